#!/usr/bin/env python3
"""bench/mem: resident memory of the core, idle and with N UEs held (issue 8, "bench/mem").

Run as root. For each mode (sen-core: every NF in one process; split: the seven daemons),
in two network namespaces of its own, set up as bench/cp.py does (core ns: sen-core or
the daemons, NGAP sctp-udp on a veth 10.201.0.1/.2; ran ns: sen-ransim; removed at exit):

  1. the core is started with a config in a temporary directory (log level warn, the SMF's
     IPv4 pool a /14 = 262,142 addresses, so 100,000 sessions fit) and the UDR's SQLite
     store in a new directory under --db-dir (default /dev/shm);
  2. idle: memory of each core process right after start (PFCP association up), and again
     after N subscribers were imported (`senctl subscriber import`, in files of at most
     50,000 rows: the UDR provisioning API, one HTTP/2 request per subscriber, 32 in flight);
  3. held: sen-ransim registers N UEs, each with one PDU session, and keeps them up
     (--duration); when the AMF's fivegs_amffunction_rm_registeredsubnbr, the SMF's
     fivegs_smffunction_sm_sessionnbr and the UPF's fivegs_upffunction_upf_sessionnbr all
     reach N, memory is read again;
  4. after: SIGINT to sen-ransim (the UEs deregister, their sessions are released); when the
     gauges are back to 0 (or have not moved for 15 s: state left behind, a failure),
     memory is read again (is it returned?);
  5. with --rounds 2, the same N UEs once more (held, after): if the second
     round's held figure is no higher than the first, the memory kept after round 1 is the
     allocator's and is reused, not a leak.

Memory of a process: VmRSS, RssAnon and RssFile from /proc/PID/status, Pss and
Private_Dirty from /proc/PID/smaps_rollup. Bytes per UE = (held RSS - idle RSS after import)
/ N, the idle core of the same run being the baseline; the goals of issue 8 are printed with
the ratio of each figure to its goal: idle sen-core <= 20 MB (20,000,000 bytes; VmRSS as the
kernel counts it, shared libraries included), <= 2 KiB per UE with a session for AMF + SMF +
UPF (in split mode from their own RSS; in sen-core mode every NF is counted), 100,000 UEs
without a failure. Exit status 1 if any UE failed or did not reach the held state, a core
process died, or state was left behind (a gauge not back to 0 after every UE deregistered).
The goals' met/MISSED do not change the exit status.

Usage: bench/mem.py [--build build] [--ues 10000] [--rate 500] [--mode both|core|split]
                    [--rounds 1] [--quick] [--db-dir /dev/shm] [--json FILE] [--keep]
                    [--heaptrack DIR [--heaptrack-at held|after]] [--trim]
  default: 10,000 UEs, sen-core then split, one round (about 90 s)
  --quick: 2,000 UEs, sen-core only (about 20 s)
  --ues 100000: the issue's scale run (about 5 minutes per mode here)
"""
import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summary import summary as bench_row  # noqa: E402

GOAL_IDLE = 20 * 1000 * 1000   # bytes: "idle sen-core <= 20 MB"
GOAL_PER_UE = 2048             # bytes: "<= 2 KiB per registered UE with a session"
FIRST_MSIN = 100000
CHUNK = 50000                  # rows per senctl import file (senctl takes at most 100,000)
SESSION_NFS = ('amf', 'smf', 'upf')


def mem(pid):
    """Memory figures of one process, bytes."""
    out = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            k, _, v = line.partition(':')
            if k in ('VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmHWM', 'VmData'):
                out[k] = int(v.split()[0]) * 1024
            elif k == 'Threads':
                out[k] = int(v)
    try:
        with open('/proc/%d/smaps_rollup' % pid) as f:
            for line in f:
                k, _, v = line.partition(':')
                if k in ('Pss', 'Private_Dirty', 'Private_Clean', 'Shared_Clean', 'Pss_Anon',
                         'Pss_File'):
                    out[k] = int(v.split()[0]) * 1024
    except OSError:
        pass
    return out


def smaps_by_mapping(pid):
    """Rss of a process grouped by what is mapped: each file (shared library, executable),
    [heap] (the main arena), [stack], and anonymous mappings (thread arenas and stacks,
    mmap'd large blocks), bytes."""
    out, name = {}, None
    with open('/proc/%d/smaps' % pid) as f:
        for line in f:
            parts = line.split()
            if '-' in parts[0] and ':' not in parts[0]:
                name = os.path.basename(parts[5]) if len(parts) > 5 else '[anon]'
            elif parts[0] == 'Rss:':
                out[name] = out.get(name, 0) + int(parts[1]) * 1024
    return out


def total(m, key='VmRSS', only=None):
    return sum(v.get(key, 0) for k, v in m.items() if only is None or k in only)


class HeldSnapshot(Exception):
    """--heaptrack: the core was killed in the held state, on purpose."""


# What bench/cp.py already has: the subscriber and network constants, sh(), and so on.
# (The namespace, config and start-up methods of MemBench still follow cp.py's Bench.)
from cp import (CORE_N2, K, MCC, MNC, NFS, OPC, PAGE, RAN_N2, SBI,  # noqa: E402
                cpu_model, die_with_parent, log, sh, supi)


class MemBench:
    def __init__(self, a, mode):
        self.a, self.mode = a, mode
        self.dir = tempfile.mkdtemp(prefix='sen-bench-mem-%s-' % mode)
        tag = 'bmem%d%s' % (os.getpid() % 100000, mode[0])
        self.ns_core, self.ns_ran = tag + 'c', tag + 'r'
        self.procs = {}    # name -> Popen (core processes)
        self.cfg = os.path.join(self.dir, 'sen.yaml')
        self.b = os.path.abspath(a.build)
        self.dbdir = tempfile.mkdtemp(prefix='sen-bench-mem-db-', dir=a.db_dir) if a.db_dir \
            else self.dir
        self.db = os.path.join(self.dbdir, 'subscribers.db')

    def net_up(self):
        for ns in (self.ns_core, self.ns_ran):
            sh('ip', 'netns', 'add', ns)
            sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
        sh('ip', '-n', self.ns_core, 'link', 'add', 'n2c', 'type', 'veth', 'peer', 'name', 'n2r',
           'netns', self.ns_ran)
        for ns, dev, addr in ((self.ns_core, 'n2c', CORE_N2), (self.ns_ran, 'n2r', RAN_N2)):
            sh('ip', '-n', ns, 'addr', 'add', addr + '/24', 'dev', dev)
            sh('ip', '-n', ns, 'link', 'set', dev, 'up')

    def net_down(self):
        for ns in (self.ns_core, self.ns_ran):
            subprocess.run(['ip', 'netns', 'del', ns], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

    def start(self, name, argv):
        out = open(os.path.join(self.dir, name + '.log'), 'w')
        # ip netns exec execs the program: the Popen pid is the program's own pid
        env = dict(os.environ, **dict(e.split('=', 1) for e in self.a.core_env))
        self.procs[name] = subprocess.Popen(['ip', 'netns', 'exec', self.ns_core] +
                                            [str(x) for x in argv], stdout=out, env=env,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            preexec_fn=die_with_parent)

    def stop_all(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        end = time.monotonic() + 5
        for p in self.procs.values():
            try:
                p.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def in_core(self, argv, timeout=30):
        return subprocess.run(['ip', 'netns', 'exec', self.ns_core] + [str(x) for x in argv],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)

    def metrics(self, nf):
        host = SBI['nrf'] if self.mode == 'core' else SBI[nf]
        p = self.in_core(['curl', '-s', '-m', '3', 'http://%s:9090/metrics' % host], 10)
        out = {}
        for line in p.stdout.decode(errors='replace').splitlines():
            if line and not line.startswith('#'):
                key, _, val = line.rpartition(' ')
                try:
                    out[key] = float(val)
                except ValueError:
                    pass
        return out

    def write_configs(self):
        """configs/demo/sen.yaml with log level warn and the UE pool a /14 (262,142
        addresses; a /16 holds 65,534 sessions)."""
        keys = os.path.join(self.a.root, 'configs', 'keys')
        with open(self.cfg, 'w') as f:
            f.write('''plmn: { mcc: "%(mcc)s", mnc: "%(mnc)s" }
tac: [1]
slices: [ { sst: 1 } ]
log: { level: warn }
nrf:  { sbi: 127.0.0.10:7777 }
amf:
  sbi: 127.0.0.5:7777
  ngap: { addr: %(n2)s, port: 38412, transport: sctp-udp, udp_port: 9899 }
  guami: { region: 2, set: 1, pointer: 0 }
  network_name: { full: Sen, short: Sen }
smf:
  sbi: 127.0.0.4:7777
  pfcp: 127.0.0.4
  dnn: [ { name: internet, ipv4_pool: 10.44.0.0/14, dns: [10.44.0.1], mtu: 1400 } ]
upf:  { pfcp: 127.0.0.7, gtpu: %(n2)s, n6: { tun: sen0, subnet: [10.44.0.1/14] } }
ausf: { sbi: 127.0.0.11:7777 }
udm:
  sbi: 127.0.0.12:7777
  hn_keys: [ { id: 1, scheme: a, file: %(keys)s/hn-a.key }, { id: 2, scheme: b, file: %(keys)s/hn-b.key } ]
udr:  { sbi: 127.0.0.20:7777, db: "sqlite:%(db)s" }
metrics: { port: 9090 }
''' % {'mcc': MCC, 'mnc': MNC, 'n2': CORE_N2, 'keys': keys, 'db': self.db})

    def ransim_config(self, name, first):
        path = os.path.join(self.dir, 'ransim-%s.yaml' % name)
        with open(path, 'w') as f:
            f.write('''plmn: { mcc: "%s", mnc: "%s" }
tac: 1
slices: [ { sst: 1 } ]
log: { level: error }
amf: { addr: %s, port: 38412, transport: sctp-udp, udp_port: 9899, connect_timeout_ms: 3000 }
gnb: { id: 1, name: bench-gnb, n3: %s, udp_port: 9898 }
ue:
  supi: %s
  k: %s
  opc: %s
  suci: { scheme: null }
  dnn: internet
procedure_timeout_ms: 20000
''' % (MCC, MNC, CORE_N2, RAN_N2, supi(first), K, OPC))
        return path

    def start_core(self):
        if self.mode == 'core':
            self.start('sen-core', [self.b + '/src/core/sen-core', '-c', self.cfg])
        else:
            for nf in NFS:
                self.start('sen-' + nf, ['%s/src/%s/sen-%s' % (self.b, nf, nf), '-c', self.cfg])
                if nf == 'nrf':
                    time.sleep(0.3)
        end = time.monotonic() + 15
        while time.monotonic() < end:
            for n, p in self.procs.items():
                if p.poll() is not None:
                    raise RuntimeError('%s exited at start:\n%s' % (n, self.logtail(n)))
            if self.metrics('smf').get('sen_smf_pfcp_associations') == 1:
                return
            time.sleep(0.1)
        raise RuntimeError('no SMF-UPF PFCP association after 15 s')

    def logtail(self, name, n=15):
        try:
            with open(os.path.join(self.dir, name + '.log'), errors='replace') as f:
                return ''.join(f.readlines()[-n:])
        except OSError:
            return ''

    def provision_n(self, n):
        t = time.monotonic()
        for start in range(0, n, CHUNK):
            csv = os.path.join(self.dir, 'subscribers-%d.csv' % start)
            with open(csv, 'w') as f:
                f.write('supi,k,opc,sqn\n')
                for i in range(FIRST_MSIN + start, FIRST_MSIN + min(n, start + CHUNK)):
                    f.write('%s,%s,%s,0\n' % (supi(i), K, OPC))
            p = self.in_core([self.b + '/tools/senctl/senctl', 'subscriber', 'import', '-c',
                              self.cfg, csv], 1800)
            if p.returncode:
                raise RuntimeError('senctl subscriber import: ' + (p.stdout + p.stderr).decode())
            os.unlink(csv)
        return time.monotonic() - t

    def attach_heaptrack(self, outdir):
        """Attribution runs: heaptrack attached to the core processes (sen-core, or the AMF,
        SMF and UPF) once they are idle, so only what is allocated from then on is recorded.
        heaptrack_print --print-peaks FILE shows what held the heap at its peak (all UEs
        held), and what was still allocated when the held core was killed (--print-leaks)."""
        os.makedirs(outdir, exist_ok=True)
        out = []
        for name, p in self.procs.items():
            if self.mode == 'split' and name[4:] not in SESSION_NFS:
                continue
            f = os.path.join(outdir, 'heaptrack.%s.%s' % (self.mode, name))
            out.append(subprocess.Popen(['heaptrack', '-o', f, '-p', str(p.pid)],
                                        stdout=open(f + '.log', 'w'), stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL))
        time.sleep(5.0)   # gdb injects the library
        return out

    def mem_all(self):
        return {k[4:] if k.startswith('sen-') else k: mem(p.pid) for k, p in self.procs.items()}

    def gauges(self):
        amf = self.metrics('amf').get('fivegs_amffunction_rm_registeredsubnbr')
        smf = self.metrics('smf').get('fivegs_smffunction_sm_sessionnbr')
        upf = self.metrics('upf').get('fivegs_upffunction_upf_sessionnbr')
        return amf, smf, upf

    def udp_rcvbuf_errors(self):
        """UDP datagrams dropped for a full receive buffer in the core's namespace (PFCP,
        SCTP over UDP, GTP-U), from /proc/net/snmp."""
        p = self.in_core(['cat', '/proc/net/snmp'], 10)
        rows = [l.split() for l in p.stdout.decode().splitlines() if l.startswith('Udp:')]
        if len(rows) >= 2 and 'RcvbufErrors' in rows[0]:
            return int(rows[1][rows[0].index('RcvbufErrors')])
        return None

    def check_alive(self):
        for n, p in self.procs.items():
            if p.poll() is not None:
                raise RuntimeError('%s died:\n%s' % (n, self.logtail(n)))

    def wait_gauges(self, pred, timeout, ransim=None):
        end = time.monotonic() + timeout
        g = (None, None, None)
        while time.monotonic() < end:
            self.check_alive()
            g = self.gauges()
            if pred(g):
                return True, g
            if ransim is not None and ransim.poll() is not None:
                return False, g
            time.sleep(0.5)
        return False, g

    def round(self, n, rate, name):
        """N UEs registered with a session and held; memory held and after."""
        cfg = self.ransim_config(name, FIRST_MSIN)
        out = open(os.path.join(self.dir, 'ransim-%s.json' % name), 'w+')
        err = open(os.path.join(self.dir, 'ransim-%s.log' % name), 'w')
        t0 = time.monotonic()
        p = subprocess.Popen(['ip', 'netns', 'exec', self.ns_ran,
                              self.b + '/tools/ransim/sen-ransim', '-c', cfg, '--json', '--ues',
                              str(n), '--rate', str(rate), '--session', '--deregister',
                              '--duration', str(int(n / rate + 600))],
                             stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             preexec_fn=die_with_parent)
        r = dict(ues=n, udp_drops_before=self.udp_rcvbuf_errors())
        try:
            # until all N are held; or give up once every UE was launched and the gauges
            # have not moved for 30 s (some failed)
            last = {'g': None, 't': time.monotonic()}

            def held(g):
                if g != last['g']:
                    last['g'], last['t'] = g, time.monotonic()
                return all(x is not None and x >= n for x in g) or (
                    time.monotonic() - t0 > n / rate and time.monotonic() - last['t'] > 30)
            ok, g = self.wait_gauges(held, 2 * n / rate + 120, p)
            ok = all(x is not None and x >= n for x in g)
            r['held_s'] = time.monotonic() - t0
            r['held_gauges'] = g
            r['held_ok'] = ok
            time.sleep(1.0)   # let the last answers and timers settle
            r['held'] = self.mem_all()
            try:
                r['ransim_held'] = mem(p.pid)
            except OSError:
                r['ransim_held'] = {}
            log('[%s] %s: %s (amf, smf, upf gauges) after %.1f s; core RSS %.1f MB' % (
                self.mode, name, g, r['held_s'], total(r['held']) / 1e6))
            if self.a.heaptrack and self.a.heaptrack_at == 'held':
                # what is still allocated when a process dies is what heaptrack_print lists as
                # "leaked": killed here, that is exactly the heap of the held state
                for pr in self.procs.values():
                    pr.kill()
                    pr.wait()
                raise HeldSnapshot(r)
        finally:
            if p.poll() is None and self.a.heaptrack and self.a.heaptrack_at == 'held':
                p.kill()
            elif p.poll() is None:
                p.send_signal(signal.SIGINT)   # ends the holds: the UEs deregister
            try:
                p.wait(timeout=n / 200 + 120)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        out.seek(0)
        try:
            rep = json.loads(out.read())
        except ValueError:
            rep = {}
        r['rc'] = p.returncode
        procs = rep.get('procedures') or {}
        r['procedures'] = {k: dict(ok=v.get('ok', 0), fail=v.get('fail', 0),
                                   p50_ms=v.get('p50_ms'), p99_ms=v.get('p99_ms'))
                           for k, v in procs.items()}
        r['failures'] = sum(int(v.get('fail', 0)) for v in procs.values())
        r['failure_reasons'] = [f.get('reason') for f in rep.get('failures') or []][:5]
        # until every gauge is 0, or none has moved for 15 s (state left behind; longer than
        # the SMF's PFCP retransmissions, T1 3 s x (1 + N1 3))
        seen = {'g': None, 't': time.monotonic()}

        def settled(g):
            if g != seen['g']:
                seen['g'], seen['t'] = g, time.monotonic()
            return all(x == 0 for x in g) or time.monotonic() - seen['t'] > 15
        ok0, g0 = self.wait_gauges(settled, 120)
        r['after_gauges'] = g0
        r['udp_drops'] = (self.udp_rcvbuf_errors() or 0) - (r['udp_drops_before'] or 0)
        time.sleep(2.0)
        r['after'] = self.mem_all()
        if self.a.trim:
            # attribution: is what is kept free memory inside glibc's heaps? malloc_trim(0)
            # gives every free page back (MADV_DONTNEED), as a daemon could do itself
            for pr in self.procs.values():
                subprocess.run(['gdb', '-q', '-batch', '-p', str(pr.pid), '-ex',
                                'call (int) malloc_trim(0)'], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=120)
            r['trimmed'] = self.mem_all()
        if self.a.heaptrack and self.a.heaptrack_at == 'after':
            # killed after the UEs left: heaptrack's "leaked" is what was not given back
            for pr in self.procs.values():
                pr.kill()
                pr.wait()
            raise HeldSnapshot(r)
        return r


def run_mode(a, mode):
    b = MemBench(a, mode)
    res = dict(mode=mode, ues=a.ues, rate=a.rate)
    tracers = []
    try:
        b.net_up()
        b.write_configs()
        b.start_core()
        time.sleep(1.0)
        res['start'] = b.mem_all()
        log('[%s] core up, RSS %.1f MB; importing %d subscribers' % (
            mode, total(res['start']) / 1e6, a.ues))
        res['import_s'] = b.provision_n(a.ues)
        time.sleep(1.0)
        res['idle'] = b.mem_all()
        res['idle_maps'] = {k[4:]: smaps_by_mapping(p.pid) for k, p in b.procs.items()}
        log('[%s] imported in %.1f s; idle RSS %.1f MB' % (mode, res['import_s'],
                                                            total(res['idle']) / 1e6))
        if a.heaptrack:
            tracers = b.attach_heaptrack(a.heaptrack)
        res['rounds'] = []
        for i in range(a.rounds):
            log('[%s] round %d: %d UEs at %g/s, registration + PDU session, held' % (
                mode, i + 1, a.ues, a.rate))
            try:
                res['rounds'].append(b.round(a.ues, a.rate, 'round%d' % (i + 1)))
            except HeldSnapshot as e:
                r = e.args[0]
                r.setdefault('after', r['held'])
                r.setdefault('rc', 0)
                r.setdefault('procedures', {})
                r.setdefault('failures', 0)
                r.setdefault('failure_reasons', [])
                res['rounds'].append(r)
                log('[%s] killed (%s) for heaptrack; see heaptrack_print --print-leaks '
                    '%s/heaptrack.*' % (mode, a.heaptrack_at, a.heaptrack))
                return res
        b.check_alive()
        try:
            res['store_bytes'] = sum(os.path.getsize(os.path.join(b.dbdir, f))
                                     for f in os.listdir(b.dbdir) if f.startswith('subscribers.db'))
        except OSError:
            pass
        return res
    finally:
        b.stop_all()
        for t in tracers:   # heaptrack writes its file once the traced process has exited
            try:
                t.wait(timeout=300)
            except subprocess.TimeoutExpired:
                t.kill()
        b.net_down()
        if a.keep:
            log('[%s] kept %s' % (mode, b.dir))
        else:
            shutil.rmtree(b.dir, ignore_errors=True)
        if b.dbdir != b.dir:
            shutil.rmtree(b.dbdir, ignore_errors=True)


def fmt_g(g):
    return '/'.join('?' if x is None else '%d' % x for x in g) if g else '-'


def mb(x):
    return '%.1f' % (x / 1e6)


def print_mode(r):
    n = r['ues']
    name = 'sen-core (one process)' if r['mode'] == 'core' else 'split daemons'
    print('\n== bench/mem: %s, %d UEs with one PDU session each (registered at %g/s)' % (
        name, n, r['rate']))
    procs = list(r['idle'].keys())
    cols = [('start', r['start']), ('idle', r['idle'])]
    for i, rd in enumerate(r['rounds']):
        cols += [('held%d' % (i + 1), rd['held']), ('after%d' % (i + 1), rd['after'])]
        if rd.get('trimmed'):
            cols.append(('trim%d' % (i + 1), rd['trimmed']))
    print('VmRSS, MB        ' + ''.join('%10s' % c for c, _ in cols) + '   bytes/UE (held1-idle)/N')
    for p in procs + ['total']:
        row = []
        for _, m in cols:
            row.append(total(m) if p == 'total' else m[p].get('VmRSS', 0))
        per = (row[2] - row[1]) / n if len(row) > 2 else 0
        print('%-16s ' % p + ''.join('%10s' % mb(x) for x in row) + '   %10.0f' % per)
    idle, held = r['idle'], r['rounds'][0]['held']
    print('idle composition (all core processes, MB): RssAnon %s, RssFile %s (shared '
          'libraries and executables), Pss %s, Private_Dirty %s' % (
              mb(total(idle, 'RssAnon')), mb(total(idle, 'RssFile')), mb(total(idle, 'Pss')),
              mb(total(idle, 'Private_Dirty'))))
    for key in ('VmRSS', 'RssAnon', 'Pss', 'Private_Dirty'):
        print('  per UE by %-13s %8.0f bytes (all core processes)' % (
            key + ':', (total(held, key) - total(idle, key)) / n))
    if r['mode'] == 'core':
        maps = sorted(r['idle_maps']['core'].items(), key=lambda kv: -kv[1])
        print('idle sen-core RSS by mapping (MB): ' + ', '.join(
            '%s %s' % (k, mb(v)) for k, v in maps[:10]))
    rd = r['rounds'][0]
    rs = rd.get('ransim_held') or {}
    if rs:
        print('sen-ransim (not counted): %s MB RSS with %d UEs held' % (mb(rs.get('VmRSS', 0)), n))
    for i, rd in enumerate(r['rounds']):
        pr = rd['procedures']
        print('round %d: %s; held after %.1f s (gauges amf/smf/upf %s, after %s); failures %d%s' % (
            i + 1, ', '.join('%s %d ok %d fail' % (k, v['ok'], v['fail']) for k, v in pr.items()),
            rd['held_s'], fmt_g(rd['held_gauges']), fmt_g(rd.get('after_gauges')), rd['failures'],
            ('  ' + '; '.join(map(str, rd['failure_reasons'][:2]))) if rd['failures'] else ''))
        if rd.get('udp_drops'):
            print('  UDP datagrams dropped in the core namespace (receive buffer full): %d' %
                  rd['udp_drops'])
        left = [x for x in (rd.get('after_gauges') or ()) if x]
        if left:
            print('  LEFT BEHIND after every UE deregistered (amf/smf/upf gauges): %s' %
                  fmt_g(rd['after_gauges']))
    if 'store_bytes' in r:
        print('UDR SQLite store (tmpfs/disk, not in any RSS): %s MB' % mb(r['store_bytes']))


def goals(r):
    """Lines comparing the figures with issue 8's goals; returns (lines, all_ok)."""
    n = r['ues']
    idle, held = r['idle'], r['rounds'][0]['held']
    lines = []
    if r['mode'] == 'core':
        i, i0 = total(idle), total(r['start'])
        lines.append('idle sen-core VmRSS at start %s MB: %.2f x the goal of 20 MB: %s' % (
            mb(i0), i0 / GOAL_IDLE, 'met' if i0 <= GOAL_IDLE else 'MISSED'))
        lines.append('idle sen-core VmRSS with %d subscribers imported %s MB: %.2f x the goal '
                     'of 20 MB: %s' % (n, mb(i), i / GOAL_IDLE,
                                       'met' if i <= GOAL_IDLE else 'MISSED'))
        bench_row('mem', 'idle sen-core VmRSS at start', i0 / 1e6, 'MB', None, '<= 20 MB',
                  i0 <= GOAL_IDLE)
        bench_row('mem', 'idle sen-core VmRSS, %d subscribers imported' % n, i / 1e6, 'MB',
                  None, '<= 20 MB', i <= GOAL_IDLE)
        per = (total(held) - i) / n
        what = 'whole sen-core (every NF)'
    else:
        per = (total(held, only=SESSION_NFS) - total(idle, only=SESSION_NFS)) / n
        what = 'sen-amf + sen-smf + sen-upf'
    fails = sum(rd['failures'] for rd in r['rounds'])
    held_all = all(rd['held_ok'] for rd in r['rounds'])
    bench_row('mem', '%s: bytes per UE with a session, %s' % (r['mode'], what)
              if r['rounds'][0]['held_ok'] else '%s: bytes per UE (NOT ALL UEs HELD)' % r['mode'],
              per, 'B/UE', None, '<= 2,048', per <= GOAL_PER_UE)
    bench_row('mem', '%s: %d UEs with a session, failures' % (r['mode'], n), fails, 'count',
              None, '0, all held', fails == 0 and held_all)
    lines.append('bytes per UE with a session, %s: %.0f: %.2f x the goal of 2,048: %s%s' % (
        what, per, per / GOAL_PER_UE, 'met' if per <= GOAL_PER_UE else 'MISSED',
        '' if r['rounds'][0]['held_ok'] else ' (NOT ALL UEs HELD: figure not valid)'))
    lines.append('%d UEs registered with a session, %d round(s): %s' % (
        n, len(r['rounds']), 'no failure' if fails == 0 and held_all else
        'FAILED (%d failures%s)' % (fails, '' if held_all else ', not all held')))
    if len(r['rounds']) > 1:
        h1, h2 = total(r['rounds'][0]['held']), total(r['rounds'][1]['held'])
        a1, a2 = total(r['rounds'][0]['after']), total(r['rounds'][1]['after'])
        lines.append('after deregistration: %s MB (%.0f%% of the held growth kept); round 2 '
                     'held %s MB (%+.0f bytes per UE against round 1), after %s MB' % (
                         mb(a1), 100 * (a1 - total(idle)) / max(1, h1 - total(idle)), mb(h2),
                         (h2 - h1) / n, mb(a2)))
    left = [rd['after_gauges'] for rd in r['rounds'] if any(rd.get('after_gauges') or ())]
    if left:
        lines.append('state LEFT BEHIND after deregistration (amf/smf/upf gauges %s): FAILED' %
                     ', '.join(fmt_g(g) for g in left))
    return lines, fails == 0 and held_all and not left and \
        all(rd['rc'] == 0 for rd in r['rounds'])


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(root, 'build'))
    ap.add_argument('--ues', type=int, default=10000)
    ap.add_argument('--rate', type=float, default=500.0, help='new UEs per second')
    ap.add_argument('--mode', choices=['both', 'core', 'split'], default='both')
    ap.add_argument('--rounds', type=int, default=1, choices=[1, 2, 3],
                    help='register and deregister the N UEs this many times (2: is the memory '
                    'kept after round 1 reused?)')
    ap.add_argument('--quick', action='store_true', help='2,000 UEs, sen-core, one round')
    ap.add_argument('--db-dir', default='/dev/shm', help='the UDR store goes in a new '
                    'directory under this one (default /dev/shm; "" for the temporary directory)')
    ap.add_argument('--heaptrack', metavar='DIR', help='attribution: attach heaptrack to the '
                    'core processes once idle, files in DIR (the figures are then not clean)')
    ap.add_argument('--heaptrack-at', choices=['held', 'after'], default='held',
                    help='with --heaptrack: kill the core with the UEs held (default), or after '
                    'round 1\'s deregistration, so that heaptrack_print --print-leaks lists the '
                    'heap of that moment')
    ap.add_argument('--trim', action='store_true', help='attribution: after each round, call '
                    'malloc_trim(0) in the core processes through gdb and read memory again')
    ap.add_argument('--core-env', action='append', default=[], metavar='NAME=VALUE',
                    help='experiments: extra environment of the core processes (e.g. '
                    'MALLOC_ARENA_MAX=1, LD_PRELOAD=...)')
    ap.add_argument('--json', help='write the figures to this file')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directories')
    a = ap.parse_args()
    if a.quick:
        a.ues, a.mode, a.rounds = 2000, 'core', 1
    a.root = root
    a.db_dir = a.db_dir or None
    if os.geteuid() != 0:
        sys.exit('bench/mem.py: run as root (network namespaces, TUN device)')
    for t in ('ip', 'curl'):
        if not shutil.which(t):
            sys.exit('bench/mem.py: %s is missing (scripts/deps.sh installs it)' % t)
    out = dict(machine=dict(cpu=cpu_model(), cpus=os.cpu_count(), kernel=platform.release(),
                            mem_total=os.sysconf('SC_PHYS_PAGES') * PAGE),
               command=' '.join(sys.argv), runs=[])
    ok = True
    summary = []
    for mode in (['core', 'split'] if a.mode == 'both' else [a.mode]):
        try:
            r = run_mode(a, mode)
        except Exception as e:   # report and go on to the next mode
            print('\n== bench/mem %s: FAILED: %s' % (mode, e))
            ok = False
            continue
        print_mode(r)
        lines, good = goals(r)
        summary += ['[%s] %s' % (mode, x) for x in lines]
        ok = ok and good
        out['runs'].append(r)
    print('\n== bench/mem against the goals of issue 8 (ratio = figure / goal)')
    for line in summary:
        print(line)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(out, f, indent=1)
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
