#!/usr/bin/env python3
"""bench/cp: control-plane benchmark of the whole core (issue 8, "bench/cp"). Run as root.

    ran ns                          core ns
    sen-ransim  n2r 10.201.0.2 ---- n2c 10.201.0.1  sen-core (or the seven split daemons)
    (1 gNB, N UEs)                  NGAP sctp-udp 9899, SBI 127.0.0.x:7777, UPF TUN sen0

For each mode (sen-core, then split): two fresh namespaces, a config in a temporary
directory (log level warn), the core started and waited for (SMF-UPF PFCP association),
N subscribers imported with `senctl subscriber import` from a generated CSV, then:

  1. baseline: a few UEs one after another at a low rate (register, PDU session,
     deregister): the unloaded latency of each procedure, and the NGAP messages one UE's
     procedures take, from the AMF's counter sen_amf_ngap_messages_total (with --tshark
     also from a dumpcap capture on n2c counted by tshark, as a cross-check);
  2. (--peak) peak search: arrivals at rising rates, --peak-seconds worth of UEs each,
     until a step fails or the UEs need more than 1.25 x their arrival time; the load
     phase then runs at half the highest sustained rate (unless --rate is given);
  3. load: N UEs at --rate per second through registration + PDU session + deregistration;
     CPU of the core's own processes (utime+stime from /proc/PID/stat, sen-ransim's not
     counted; also by thread), procedures per second, NGAP messages (the AMF counter's
     increase) per core CPU-second, p50/p99, failures, UDR group commits;
  4. memory (unless --no-memory / --quick): N UEs registered with a session and held; the
     core's RSS (sum of VmRSS of its processes) idle, with all N held, and after they
     deregistered; bytes per UE.

Ratios printed: load latency against the baseline's (same run, same core, no load), and
NGAP messages per core CPU-second against bench-ngap's Initial UE Message decode rate on
this machine (the codec's ceiling: a core can never handle more NGAP messages per CPU-second
than it can decode), and against the issue's goals.

Usage: bench/cp.py [--build build] [--ues 2000] [--rate 500] [--mode both|core|split]
                   [--suci null|a] [--db-dir /dev/shm] [--baseline-ues 20] [--json FILE] [--keep]
                   [--quick] [--peak [--peak-seconds 2]] [--tshark] [--perf PREFIX]
  --quick   1,000 UEs, 10 baseline UEs, no memory phase: both modes in ~1 minute (make bench)
  --perf    perf record --call-graph dwarf of the core's processes during the load phase
"""
import argparse
import ctypes
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from summary import summary  # noqa: E402

MCC, MNC = '999', '70'
K = '465B5CE8B199B49FAA5F0A2EE238A6BC'
OPC = 'CD63CB71954A9F4E48A5994E37A02BAF'
PUB_A = '5a8d38864820197c3394b92613b20b91633cbd897119273bf8e4a6f4eec0a650'
CORE_N2, RAN_N2 = '10.201.0.1', '10.201.0.2'
SBI = {'nrf': '127.0.0.10', 'udr': '127.0.0.20', 'udm': '127.0.0.12', 'ausf': '127.0.0.11',
       'amf': '127.0.0.5', 'smf': '127.0.0.4', 'upf': '127.0.0.7'}
NFS = ['nrf', 'udr', 'udm', 'ausf', 'amf', 'smf', 'upf']  # start order
HZ = os.sysconf('SC_CLK_TCK')
PAGE = os.sysconf('SC_PAGE_SIZE')
BASE_MSIN = 1           # baseline UEs: MSIN 1 ..
LOAD_MSIN = 100000      # load and memory UEs: MSIN 100000 ..
GOAL_CORE, GOAL_SPLIT = 30000, 10000
PROCS = ['registration', 'pdu-session', 'deregistration']


def supi(n):
    return 'imsi-%s%s%010d' % (MCC, MNC, n)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die_with_parent():
    ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def sh(*args, timeout=30):
    p = subprocess.run([str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    if p.returncode:
        raise RuntimeError('%s: %s' % (' '.join(map(str, args)), p.stdout.decode(errors='replace')))
    return p.stdout.decode(errors='replace')


# ---- /proc

def cpu_s(pid):
    """utime + stime of a process (all its threads), seconds."""
    with open('/proc/%d/stat' % pid) as f:
        s = f.read()
    fields = s[s.rindex(')') + 2:].split()
    return (int(fields[11]) + int(fields[12])) / HZ   # fields 14, 15 of proc(5)


def thread_cpu(pid):
    """{thread name: [utime, stime]} seconds, summed over the threads of one process."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/stat' % (pid, tid)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index('(') + 1:s.rindex(')')]
        fields = s[s.rindex(')') + 2:].split()
        t = out.setdefault(name, [0.0, 0.0])
        t[0] += int(fields[11]) / HZ
        t[1] += int(fields[12]) / HZ
    return out


def rss(pid):
    with open('/proc/%d/statm' % pid) as f:
        return int(f.read().split()[1]) * PAGE


def hwm(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0


class Sampler(threading.Thread):
    """Peak of the summed RSS of some processes, sampled every 50 ms."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.peak, self.stop = pids, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, sum(rss(p) for p in self.pids))
            except OSError:
                pass
            self.stop.wait(0.05)


# ---- one mode

class Bench:
    def __init__(self, a, mode):
        self.a, self.mode = a, mode
        self.dir = tempfile.mkdtemp(prefix='sen-bench-cp-%s-' % mode)
        tag = 'bcp%d%s' % (os.getpid() % 100000, mode[0])
        self.ns_core, self.ns_ran = tag + 'c', tag + 'r'
        self.procs = {}    # name -> Popen (core processes)
        self.others = []   # dumpcap etc.
        self.cfg = os.path.join(self.dir, 'sen.yaml')
        self.b = os.path.abspath(a.build)
        self.dbdir = tempfile.mkdtemp(prefix='sen-bench-cp-db-', dir=a.db_dir) if a.db_dir \
            else self.dir
        self.db = os.path.join(self.dbdir, 'subscribers.db')

    # namespaces
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

    def start(self, name, ns, argv, core=True):
        out = open(os.path.join(self.dir, name + '.log'), 'w')
        # ip netns exec execs the program: the Popen pid is the program's own pid
        p = subprocess.Popen(['ip', 'netns', 'exec', ns] + [str(x) for x in argv], stdout=out,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             preexec_fn=die_with_parent)
        (self.procs.__setitem__(name, p) if core else self.others.append(p))
        return p

    def stop_all(self):
        for p in list(self.procs.values()) + self.others:
            if p.poll() is None:
                p.terminate()
        end = time.monotonic() + 5
        for p in list(self.procs.values()) + self.others:
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

    def pids(self):
        return [p.pid for p in self.procs.values()]

    def ngap_count(self):
        """NGAP messages the AMF received + sent (sen_amf_ngap_messages_total), NG Setup
        excluded, and the counts by message."""
        by = {}
        for k, v in self.metrics('amf').items():
            m = re.match(r'sen_amf_ngap_messages_total\{direction="(\w+)",message="(\w+)"\}$', k)
            if m and not m.group(2).startswith('NGSetup'):
                by['%s %s' % (m.group(1), m.group(2))] = v
        return sum(by.values()), by

    def udr_batches(self):
        m = self.metrics('udr')
        return (m.get('sen_udr_group_commits_total', 0),
                m.get('sen_udr_group_commit_writes_total', 0))

    def core_cpu(self):
        return {n: cpu_s(p.pid) for n, p in self.procs.items()}

    def core_threads(self):
        """{process/thread name: [utime, stime]} (threads of one name summed)."""
        out = {}
        for n, p in self.procs.items():
            for t, v in thread_cpu(p.pid).items():
                out[n + '/' + t] = v
        return out

    def core_rss(self):
        return sum(rss(p) for p in self.pids())

    # configuration
    def write_configs(self):
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
  dnn: [ { name: internet, ipv4_pool: 10.45.0.0/16, dns: [10.45.0.1], mtu: 1400 } ]
upf:  { pfcp: 127.0.0.7, gtpu: %(n2)s, n6: { tun: sen0, subnet: [10.45.0.1/16] } }
ausf: { sbi: 127.0.0.11:7777 }
udm:
  sbi: 127.0.0.12:7777
  hn_keys: [ { id: 1, scheme: a, file: %(keys)s/hn-a.key }, { id: 2, scheme: b, file: %(keys)s/hn-b.key } ]
udr:  { sbi: 127.0.0.20:7777, db: "sqlite:%(db)s" }
metrics: { port: 9090 }
''' % {'mcc': MCC, 'mnc': MNC, 'n2': CORE_N2, 'keys': keys, 'db': self.db})

    def ransim_config(self, name, first):
        suci = '{ scheme: null }' if self.a.suci == 'null' else \
            '{ scheme: a, key_id: 1, public_key: %s }' % PUB_A
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
  suci: %s
  dnn: internet
procedure_timeout_ms: 20000
''' % (MCC, MNC, CORE_N2, RAN_N2, supi(first), K, OPC, suci))
        return path

    # the core
    def start_core(self):
        if self.mode == 'core':
            wrap = []
            if self.a.callgrind:
                # Instruction counts of the load phase only (callgrind_control -i on/off).
                wrap = ['valgrind', '--tool=callgrind', '--instr-atstart=no',
                        '--callgrind-out-file=%s-core.%%p' % os.path.abspath(self.a.callgrind)]
            self.start('sen-core', self.ns_core, wrap + [self.b + '/src/core/sen-core', '-c',
                                                         self.cfg])
        else:
            for nf in NFS:
                self.start('sen-' + nf, self.ns_core, ['%s/src/%s/sen-%s' % (self.b, nf, nf), '-c',
                                                      self.cfg])
                if nf == 'nrf':
                    time.sleep(0.3)
        end = time.monotonic() + (90 if self.a.callgrind else 15)
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

    def provision(self, n_load):
        csv = os.path.join(self.dir, 'subscribers.csv')
        with open(csv, 'w') as f:
            f.write('supi,k,opc,sqn\n')
            for i in list(range(BASE_MSIN, BASE_MSIN + self.a.baseline_ues)) + \
                    list(range(LOAD_MSIN, LOAD_MSIN + n_load)):
                f.write('%s,%s,%s,0\n' % (supi(i), K, OPC))
        t = time.monotonic()
        p = self.in_core([self.b + '/tools/senctl/senctl', 'subscriber', 'import', '-c', self.cfg,
                          csv], 600)
        if p.returncode:
            raise RuntimeError('senctl subscriber import: ' + (p.stdout + p.stderr).decode())
        return time.monotonic() - t

    # sen-ransim
    def ransim(self, name, first, args, hold_until=None, timeout=900):
        """Run sen-ransim; returns (rc, report, its CPU seconds, wall seconds, peak RSS)."""
        cfg = self.ransim_config(name, first)
        out = open(os.path.join(self.dir, 'ransim-%s.json' % name), 'w+')
        err = open(os.path.join(self.dir, 'ransim-%s.log' % name), 'w')
        smp = Sampler(self.pids())
        smp.start()
        t = time.monotonic()
        p = subprocess.Popen(['ip', 'netns', 'exec', self.ns_ran, self.b + '/tools/ransim/sen-ransim',
                              '-c', cfg, '--json'] + [str(x) for x in args], stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        held = None
        if hold_until is not None:
            held = hold_until(p)
            p.send_signal(signal.SIGINT)   # ends the holds; the UEs deregister
        deadline = time.monotonic() + timeout
        while True:
            wpid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if wpid:
                break
            if time.monotonic() > deadline:
                p.kill()
                wpid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t
        smp.stop.set()
        smp.join()
        out.seek(0)
        try:
            rep = json.loads(out.read())
        except ValueError:
            rep = {}
        return p.returncode, rep, ru.ru_utime + ru.ru_stime, wall, smp.peak, held

    # ---- the three phases
    def baseline(self):
        """Unloaded latency, and NGAP messages per UE from the AMF's counter (with --tshark,
        cross-checked against a dumpcap capture on n2c counted by tshark)."""
        pcap = os.path.join(self.dir, 'baseline.pcapng')
        cap = self.start('dumpcap', self.ns_core, ['dumpcap', '-q', '-i', 'n2c', '-w', pcap],
                         core=False) if self.a.tshark and shutil.which('dumpcap') else None
        time.sleep(1.0 if cap else 0)
        n = self.a.baseline_ues
        c0, _ = self.ngap_count()
        rc, rep, _, _, _, _ = self.ransim('baseline', BASE_MSIN, ['--ues', n, '--rate', 10,
                                                                  '--session', '--deregister'])
        time.sleep(0.2)
        c1, _ = self.ngap_count()
        msgs_per_ue = (c1 - c0) / n if n else None
        how = 'sen_amf_ngap_messages_total: %d for %d UEs' % (c1 - c0, n)
        if cap:
            time.sleep(0.5)
            cap.terminate()
            cap.wait()
            per, thow = self.count_ngap(pcap, n)
            how += '; tshark: %s' % thow
            if per is not None and abs(per - msgs_per_ue) > 0.01:
                how += ' (DIFFERS from the counter)'
        return rc, rep, msgs_per_ue, how

    def count_ngap(self, pcap, n):
        if not shutil.which('tshark'):
            return None, 'tshark not available'
        p = subprocess.run(['tshark', '-r', pcap, '-Y', 'ngap', '-T', 'fields', '-E',
                            'occurrence=a', '-E', 'aggregator=,', '-e', 'ngap.procedureCode'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        codes = []
        for line in p.stdout.decode().splitlines():
            codes += [c for c in line.split(',') if c]
        setup = codes.count('21')   # NG Setup Request + Response
        total = len(codes) - setup
        per = total / n
        return per, '%d NGAP PDUs for %d UEs (NG Setup excluded) in the baseline capture' % (total, n)

    def load(self, n, rate):
        prof = None
        if self.a.perf:
            out = '%s-%s.data' % (self.a.perf, self.mode)
            prof = subprocess.Popen(['perf', 'record', '--call-graph', 'dwarf,32768', '-F', '1999',
                                     '-q', '-o', out, '-p',
                                     ','.join(map(str, self.pids()))],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        if self.a.callgrind and self.mode == 'core':
            sh('callgrind_control', '-i', 'on', self.procs['sen-core'].pid)
        th0 = self.core_threads()
        n0, by0 = self.ngap_count()
        b0 = self.udr_batches()
        cpu0, rss0, t0 = self.core_cpu(), self.core_rss(), time.monotonic()
        rc, rep, rcpu, wall, peak, _ = self.ransim('load', LOAD_MSIN, ['--ues', n, '--rate', rate,
                                                                        '--session', '--deregister'])
        cpu1, rss1 = self.core_cpu(), self.core_rss()
        th1 = self.core_threads()
        if self.a.callgrind and self.mode == 'core':
            sh('callgrind_control', '-i', 'off', self.procs['sen-core'].pid)
            sh('callgrind_control', '-d', self.procs['sen-core'].pid)
        time.sleep(0.2)
        n1, by1 = self.ngap_count()
        b1 = self.udr_batches()
        threads = {k: [v[0] - th0.get(k, [0, 0])[0], v[1] - th0.get(k, [0, 0])[1]]
                   for k, v in th1.items()}
        if prof:
            prof.send_signal(signal.SIGINT)
            prof.wait()
        return dict(rc=rc, rep=rep, ransim_cpu=rcpu, wall=wall, rss_before=rss0,
                    rss_peak=peak, rss_after=rss1, cpu={k: cpu1[k] - cpu0[k] for k in cpu0},
                    threads=threads, ngap_msgs=n1 - n0,
                    ngap_by_msg={k: v - by0.get(k, 0) for k, v in by1.items()},
                    udr_group_commits=b1[0] - b0[0], udr_group_writes=b1[1] - b0[1])

    PEAK_RATES = [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000]

    def peak_ues_max(self):
        return int(self.PEAK_RATES[-1] * self.a.peak_seconds)

    def peak_step(self, rate):
        n = max(200, int(rate * self.a.peak_seconds))
        cpu0 = sum(self.core_cpu().values())
        rc, rep, rcpu, wall, _, _ = self.ransim('peak-%d' % rate, LOAD_MSIN, [
            '--ues', n, '--rate', rate, '--session', '--deregister'])
        cpu = sum(self.core_cpu().values()) - cpu0
        procs = rep.get('procedures') or {}
        fail = sum(int(v.get('fail', 0)) for v in procs.values())
        ok = sum(int(procs.get(k, {}).get('ok', 0)) for k in PROCS)
        elapsed = (rep.get('elapsed_ms') or wall * 1000) / 1000.0
        reg = procs.get('registration') or {}
        # Sustained: nothing failed, and the UEs were through in about the time their
        # arrivals took (the core kept up instead of building a queue).
        sustained = rc == 0 and fail == 0 and ok == 3 * n and elapsed <= n / rate * 1.25 + 0.5
        step = dict(rate=rate, ues=n, failures=fail, ok=ok, elapsed_s=elapsed, core_cpu_s=cpu,
                    ransim_cpu_s=rcpu, reg_p50_ms=reg.get('p50_ms'), reg_p99_ms=reg.get('p99_ms'),
                    sustained=sustained)
        log('[%s] peak search: %d UEs at %d/s: %s (failures %d, %.2f s for %.2f s of arrivals, '
            'registration p99 %s ms, core CPU %.2f s)' % (
                self.mode, n, rate, 'sustained' if sustained else 'NOT sustained', fail, elapsed,
                n / rate, reg.get('p99_ms'), cpu))
        return step

    def peak_search(self):
        """Raise the arrival rate step by step until the core no longer keeps up (a failure,
        or the UEs take more than 1.25 x their arrival time); the peak is the last rate
        sustained. sen-ransim shares the machine, so this is the peak of this setup."""
        steps, peak = [], None
        for r in self.PEAK_RATES:
            st = self.peak_step(r)
            steps.append(st)
            if not st['sustained']:
                break
            peak = r
        return dict(peak_rate=peak, steps=steps)

    def memory(self, n, rate):
        rss0 = self.core_rss()
        idle_nf = {k: rss(v.pid) for k, v in self.procs.items()}
        want = n

        def hold(p):
            end = time.monotonic() + n / rate + 60
            got = 0
            while time.monotonic() < end and p.poll() is None:
                got = self.metrics('amf').get('fivegs_amffunction_rm_registeredsubnbr', 0)
                sess = self.metrics('smf').get('fivegs_smffunction_sm_sessionnbr', None)
                if got >= want and (sess is None or sess >= want):
                    time.sleep(0.5)
                    return dict(registered=got, sessions=sess, rss=self.core_rss(),
                                per_nf={k: rss(v.pid) for k, v in self.procs.items()})
                time.sleep(0.5)
            return dict(registered=got, sessions=None, rss=self.core_rss(),
                        per_nf={k: rss(v.pid) for k, v in self.procs.items()})
        rc, rep, _, _, peak, held = self.ransim('memory', LOAD_MSIN, [
            '--ues', n, '--rate', rate, '--session', '--deregister', '--duration',
            int(n / rate + 120)], hold_until=hold)
        time.sleep(1.0)
        return dict(rc=rc, rep=rep, rss_before=rss0, idle_nf=idle_nf, held=held, rss_peak=peak,
                    rss_after=self.core_rss())


# ---- reporting

def summarize(b, base, ld, mem, msgs_per_ue, how, ceiling):
    rep = ld['rep']
    procs = rep.get('procedures') or {}
    ok = {k: int(procs.get(k, {}).get('ok', 0)) for k in PROCS}
    fail = sum(int(v.get('fail', 0)) for v in procs.values())
    elapsed = (rep.get('elapsed_ms') or ld['wall'] * 1000) / 1000.0
    core_cpu = sum(ld['cpu'].values())
    n_msgs = ld['ngap_msgs'] or None
    s = dict(mode=b.mode, ues=b.a.ues, rate=b.rate, suci=b.a.suci, db=b.db, elapsed_s=elapsed,
             procedures_ok=ok, failures=fail, failure_reasons=[f.get('reason') for f in
                                                               rep.get('failures') or []][:5],
             procs_per_s=sum(ok.values()) / elapsed, core_cpu_s=core_cpu,
             core_cpu_by_process=ld['cpu'], core_cpu_by_thread=ld['threads'], core_busy=core_cpu / elapsed,
             ransim_cpu_s=ld['ransim_cpu'], ngap_msgs_per_ue=msgs_per_ue, ngap_count_how=how,
             ngap_by_msg=ld['ngap_by_msg'], udr_group_commits=ld['udr_group_commits'],
             udr_group_writes=ld['udr_group_writes'],
             ngap_msgs=n_msgs, ngap_msgs_per_core_cpu_s=(n_msgs / core_cpu) if n_msgs and core_cpu
             else None, ngap_msgs_per_wall_s=(n_msgs / elapsed) if n_msgs else None,
             latency={k: procs.get(k) for k in PROCS},
             baseline_latency={k: (base.get('procedures') or {}).get(k) for k in PROCS},
             ceiling_decode_per_s=ceiling)
    s['ratio_to_codec'] = (s['ngap_msgs_per_core_cpu_s'] / ceiling) \
        if s['ngap_msgs_per_core_cpu_s'] and ceiling else None
    if mem:
        h = mem['held'] or {}
        s['memory'] = dict(rss_idle=mem['rss_before'], rss_held=h.get('rss'),
                           held_registered=h.get('registered'), held_sessions=h.get('sessions'),
                           rss_held_by_process=h.get('per_nf'), rss_idle_by_process=mem['idle_nf'], rss_after_dereg=mem['rss_after'],
                           rss_peak=mem['rss_peak'],
                           bytes_per_ue=((h['rss'] - mem['rss_before']) / h['registered'])
                           if h.get('registered') else None,
                           failures=sum(int(v.get('fail', 0)) for v in
                                        (mem['rep'].get('procedures') or {}).values()),
                           rc=mem['rc'])
    s['load_rss'] = dict(before=ld['rss_before'], peak=ld['rss_peak'], after=ld['rss_after'])
    return s


def fmt_ms(p, key):
    return '%8.3f' % p[key] if p and key in p else '%8s' % '-'


def print_summary(s):
    g = GOAL_CORE if s['mode'] == 'core' else GOAL_SPLIT
    pk = s.get('peak')
    if pk:
        print('\n== bench/cp peak search (%s): highest sustained arrival rate %s UEs/s' % (
            s['mode'], pk['peak_rate'] if pk['peak_rate'] else 'none (not even the first step)'))
        for st in pk['steps']:
            print('  %5d/s %6d UEs: %-13s failures %d, %.2f s (arrivals %.2f s), registration '
                  'p50/p99 %s/%s ms, core CPU %.2f s, sen-ransim CPU %.2f s' % (
                      st['rate'], st['ues'], 'sustained' if st['sustained'] else 'NOT sustained',
                      st['failures'], st['elapsed_s'], st['ues'] / st['rate'],
                      st['reg_p50_ms'], st['reg_p99_ms'], st['core_cpu_s'], st['ransim_cpu_s']))
    name = 'sen-core (one process)' if s['mode'] == 'core' else 'split daemons (HTTP/2 SBI)'
    print('\n== bench/cp: %s, %d UEs at %g/s, SUCI %s, store %s' % (
        name, s['ues'], s['rate'], s['suci'], os.path.dirname(s['db'])))
    print('%-16s %8s %6s %8s %8s | %8s %8s  %s' % ('procedure', 'ok', 'fail', 'p50 ms', 'p99 ms',
                                                   'base p50', 'base p99', 'p99/base p50'))
    for k in PROCS:
        p, bp = s['latency'][k], s['baseline_latency'][k]
        r = '%.1f' % (p['p99_ms'] / bp['p50_ms']) if p and bp and bp.get('p50_ms') else '-'
        print('%-16s %8d %6d %s %s | %s %s  %s' % (k, p['ok'] if p else 0, p['fail'] if p else 0,
                                                   fmt_ms(p, 'p50_ms'), fmt_ms(p, 'p99_ms'),
                                                   fmt_ms(bp, 'p50_ms'), fmt_ms(bp, 'p99_ms'), r))
    print('failures: %d%s' % (s['failures'], ('  ' + '; '.join(map(str, s['failure_reasons'])))
                              if s['failures'] else ''))
    print('elapsed %.2f s; procedures per second: %.0f' % (s['elapsed_s'], s['procs_per_s']))
    print('core CPU: %.2f s (%.0f%% of one CPU over the run); sen-ransim CPU %.2f s' % (
        s['core_cpu_s'], 100 * s['core_busy'], s['ransim_cpu_s']))
    if len(s['core_cpu_by_process']) > 1:
        print('  by process: ' + ', '.join('%s %.2f s' % (k, v) for k, v in
                                           sorted(s['core_cpu_by_process'].items(),
                                                  key=lambda kv: -kv[1])))
    th = sorted(s['core_cpu_by_thread'].items(), key=lambda kv: -sum(kv[1]))
    print('  by thread (user+sys s): ' + ', '.join('%s %.2f+%.2f' % (k, v[0], v[1])
                                                  for k, v in th if sum(v) >= 0.01))
    if s['udr_group_commits']:
        print('UDR group commits: %d carrying %d writes' % (s['udr_group_commits'],
                                                           s['udr_group_writes']))
    if s['ngap_msgs']:
        print('NGAP messages: %d in the load phase (AMF counter); baseline: %.1f per UE (%s)' % (
            s['ngap_msgs'], s['ngap_msgs_per_ue'] or 0, s['ngap_count_how']))
        print('NGAP messages per core CPU-second: %.0f   (goal >= %d: %s)' % (
            s['ngap_msgs_per_core_cpu_s'], g, 'met' if s['ngap_msgs_per_core_cpu_s'] >= g
            else 'MISSED'))
        if s['ratio_to_codec']:
            print('  ratio to the NGAP codec ceiling (bench-ngap Initial UE Message decodes/s, '
                  '%.0f): %.4f' % (s['ceiling_decode_per_s'], s['ratio_to_codec']))
    else:
        print('NGAP messages per core CPU-second: not measured (%s)' % s['ngap_count_how'])
    summary_rows(s, g)
    lr = s['load_rss']
    print('core RSS during load: before %.1f MB, peak %.1f MB, after %.1f MB' % (
        lr['before'] / 1e6, lr['peak'] / 1e6, lr['after'] / 1e6))
    m = s.get('memory')
    if m:
        print('memory: idle %.1f MB; %s UEs registered with %s sessions held: %.1f MB '
              '(%s bytes per UE); after deregistration %.1f MB; failures %d' % (
                  m['rss_idle'] / 1e6, int(m['held_registered'] or 0),
                  int(m['held_sessions']) if m['held_sessions'] is not None else '?',
                  (m['rss_held'] or 0) / 1e6,
                  '%.0f' % m['bytes_per_ue'] if m['bytes_per_ue'] else '?',
                  m['rss_after_dereg'] / 1e6, m['failures']))
        if m['rss_held_by_process'] and len(m['rss_held_by_process']) > 1:
            print('  by process, idle -> held (MB): ' + ', '.join(
                '%s %.1f -> %.1f' % (k, m['rss_idle_by_process'][k] / 1e6, v / 1e6)
                for k, v in m['rss_held_by_process'].items()))


def summary_rows(s, g):
    """The headline figures for make bench's table (bench/summary.py)."""
    mode = s['mode']
    if s['ngap_msgs']:
        v = s['ngap_msgs_per_core_cpu_s']
        summary('cp', '%s: NGAP msgs per core CPU-second (ratio: to NGAP decode ceiling)' % mode,
                v, 'msg/core-s', s['ratio_to_codec'] or None, '>= %d' % g, v >= g)
    reg = s['latency'].get('registration')
    if reg and 'p99_ms' in reg:
        pk = s.get('peak')
        if pk and pk.get('peak_rate'):
            summary('cp', '%s: registration p99 at %g/s (half the peak %s/s)' % (
                mode, s['rate'], pk['peak_rate']), reg['p99_ms'], 'ms', None, '<= 2 ms',
                reg['p99_ms'] <= 2.0)
        else:
            summary('cp', '%s: registration p99 at %g/s (no peak search)' % (mode, s['rate']),
                    reg['p99_ms'], 'ms', None, '<= 2 ms at half the peak (run --peak)', None)
    summary('cp', '%s: procedures per second' % mode, s['procs_per_s'], 'proc/s')
    summary('cp', '%s: failures' % mode, s['failures'], 'count', None, '0', s['failures'] == 0)


def codec_ceiling(build):
    exe = os.path.join(build, 'bench', 'bench-ngap')
    if not os.access(exe, os.X_OK):
        return None
    env = {k: v for k, v in os.environ.items() if k != 'SEN_BENCH_SUMMARY'}  # not a headline
    p = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
                       env=env)
    m = re.search(r'^decode InitialUEMessage\s+(\d+) msg/s', p.stdout.decode(), re.M)
    return float(m.group(1)) if m else None


def run_mode(a, mode, ceiling):
    b = Bench(a, mode)
    try:
        b.net_up()
        b.write_configs()
        b.start_core()
        log('[%s] core up; importing %d subscribers' % (mode, a.ues + a.baseline_ues))
        t_imp = b.provision(max(a.ues, b.peak_ues_max() if a.peak else 0))
        log('[%s] imported in %.1f s; baseline (%d UEs at 10/s)' % (
            mode, t_imp, a.baseline_ues))
        rc, base, per_ue, how = b.baseline()
        if rc != 0:
            raise RuntimeError('baseline sen-ransim failed (exit %s): %s' % (rc, base.get('failures')))
        peak = None
        rate = a.rate
        if a.peak:
            peak = b.peak_search()
            if a.fixed_rate is None and peak['peak_rate']:
                rate = peak['peak_rate'] / 2
        b.rate = rate
        log('[%s] load: %d UEs at %g/s' % (mode, a.ues, rate))
        ld = b.load(a.ues, rate)
        mem = None
        if not a.no_memory:
            log('[%s] memory: %d UEs registered with a session, held' % (mode, a.ues))
            mem = b.memory(a.ues, rate)
        for n, p in b.procs.items():
            if p.poll() is not None:
                raise RuntimeError('%s died during the run:\n%s' % (n, b.logtail(n)))
        s = summarize(b, base, ld, mem, per_ue, how, ceiling)
        s['import_s'] = t_imp
        s['rate'] = rate
        s['peak'] = peak
        return s
    finally:
        b.stop_all()
        b.net_down()
        if a.keep:
            log('[%s] kept %s' % (mode, b.dir))
        else:
            shutil.rmtree(b.dir, ignore_errors=True)
        if b.dbdir != b.dir:
            shutil.rmtree(b.dbdir, ignore_errors=True)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(root, 'build'))
    ap.add_argument('--ues', type=int, default=None, help='UEs of the load phase (default 2000)')
    ap.add_argument('--rate', type=float, default=None,
                    help='new UEs per second (default 500; with --peak: half the peak)')
    ap.add_argument('--mode', choices=['both', 'core', 'split'], default='both')
    ap.add_argument('--suci', choices=['null', 'a'], default='null')
    ap.add_argument('--db-dir', help='put the UDR\'s SQLite store in a new directory under '
                    'this one (e.g. /dev/shm, to take fsync out of the measurement)')
    ap.add_argument('--baseline-ues', type=int, default=None, help='default 20')
    ap.add_argument('--no-memory', action='store_true', help='skip the held-UEs memory phase')
    ap.add_argument('--json', help='write the figures to this file')
    ap.add_argument('--keep', action='store_true', help='keep the temporary directories')
    ap.add_argument('--tshark', action='store_true', help='cross-check the AMF\'s NGAP counter '
                    'against a dumpcap capture of the baseline counted by tshark')
    ap.add_argument('--quick', action='store_true', help='a short run for make bench: 1,000 '
                    'UEs, 10 baseline UEs, no memory phase (explicit --ues etc. still win)')
    ap.add_argument('--peak', action='store_true', help='search the highest arrival rate the '
                    'core sustains with no failure, then run the load phase at half of it')
    ap.add_argument('--peak-seconds', type=float, default=2.0, help='arrivals per step of the '
                    'peak search, in seconds of the step\'s rate (default 2)')
    ap.add_argument('--callgrind', metavar='PREFIX', help='run sen-core under callgrind and '
                    'count the load phase\'s instructions into PREFIX-core.<pid>* (use a low '
                    'rate: callgrind runs the core ~50 times slower)')
    ap.add_argument('--perf', metavar='PREFIX', help='perf record -g the core\'s processes '
                    'during the load phase into PREFIX-<mode>.data')
    a = ap.parse_args()
    a.root = root
    if a.quick:
        a.no_memory = True
    for k, full, quick in (('ues', 2000, 1000), ('baseline_ues', 20, 10)):
        if getattr(a, k) is None:
            setattr(a, k, quick if a.quick else full)
    a.fixed_rate = a.rate
    if a.rate is None:
        a.rate = 500.0
    if os.geteuid() != 0:
        sys.exit('bench/cp.py: run as root (network namespaces, TUN device)')
    for t in ('ip', 'curl'):
        if not shutil.which(t):
            sys.exit('bench/cp.py: %s is missing (scripts/deps.sh installs it)' % t)
    ceiling = codec_ceiling(a.build)
    out = dict(machine=dict(cpu=cpu_model(), cpus=os.cpu_count(), kernel=platform.release()),
               command=' '.join(sys.argv), runs=[])
    ok = True
    for mode in (['core', 'split'] if a.mode == 'both' else [a.mode]):
        try:
            s = run_mode(a, mode, ceiling)
        except Exception as e:   # report and go on to the next mode
            print('\n== bench/cp %s: FAILED: %s' % (mode, e))
            ok = False
            continue
        print_summary(s)
        out['runs'].append(s)
        ok = ok and s['failures'] == 0 and (not s.get('memory') or s['memory']['failures'] == 0)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(out, f, indent=1)
    sys.exit(0 if ok else 1)


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == '__main__':
    main()
