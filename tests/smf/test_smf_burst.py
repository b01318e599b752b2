#!/usr/bin/env python3
"""A burst of PDU session releases (TS 23.502 4.3.4) through the real sen-smf and sen-upf, in
network namespaces (TAP output). The case of bench/mem.py: UEs deregistering together sent
the UPF a burst of PFCP Session Deletion Requests that overflowed its socket buffer; the
SMF gave up after N1 retransmissions, returned the addresses to its pool while the UPF
still held the sessions, and the UPF refused (cause 73) the next sessions given them.

    ctl ns  10.99.4.2 (n4c) ---- n4u 10.99.4.1  upf ns
    sen-smf: N4 on 10.99.4.2, Nsmf on 127.0.0.4:7777; smf-burst: fake UDM 127.0.0.12,
    fake AMF 127.0.0.5, and the driver; sen-upf: PFCP + GTP-U on 10.99.4.1, TUN sen0

Each round creates N sessions, then releases them all at once; then the UPF must hold no
session and the SMF's pool must be whole (no address in use, none quarantined) within a
bounded time:

  round 1: the UPF is stopped (SIGSTOP) for 1.2 s, as a busy UPF would be (less than
           T1 x (N1 + 1) = 1.5 s): the requests it has not read must wait in its socket
           buffer, and the SMF must not send more than that holds (before the fix: ~750 of
           2,000 sessions left behind, then ~1,450 of 2,000 refused in round 2);
  round 2: N4 is cut (the SMF's link down) for 2.5 s: the deletions sent meanwhile are
           lost and go unanswered after N1 retransmissions; their addresses must stay
           quarantined and the deletions be retried until the UPF answers;
  round 3: nothing in the way; every session of rounds 2 and 3 must be accepted (none
           refused for an address the UPF still holds).

Usage: test_smf_burst.py sen-smf sen-upf smf-burst [N]
"""
import ctypes
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

SMF_BIN, UPF_BIN, BURST_BIN = sys.argv[1:4]
N = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
TAG = 'sb%d' % (os.getpid() % 100000)
NS_U, NS_C = TAG + 'u', TAG + 'c'
UPF_IP, SMF_IP = '10.99.4.1', '10.99.4.2'
SETTLE_S = 25  # after the burst: the UPF empty, the pool whole

CONFIG = '''plmn: { mcc: "999", mnc: "70" }
tac: [1]
slices: [ { sst: 1 } ]
log: { level: info }
smf:
  sbi: 127.0.0.4:7777
  pfcp: %s
  dnn:
    - { name: internet, ipv4_pool: 10.45.0.0/16 }
  heartbeat: 0
  pfcp_t1: 500
  pfcp_n1: 2
  assoc_retry: 300
upf:
  pfcp: %s
  gtpu: %s
  n6: { tun: sen0, subnet: [10.45.0.1/16], mtu: 1400 }
  heartbeat: 2
udm: { sbi: 127.0.0.12:7777 }
amf: { sbi: 127.0.0.5:7777 }
metrics: { port: 9091 }
''' % (SMF_IP, UPF_IP, UPF_IP)

n_tests = 0
failed = 0
procs = []
tmpdir = tempfile.mkdtemp(prefix='sen-smf-burst-')


def tap(ok, what, why=None):
    global n_tests, failed
    n_tests += 1
    if not ok:
        failed += 1
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', n_tests, what,
                            '' if ok or why is None else ' (%s)' % str(why)[:400]))
    sys.stdout.flush()


def sh(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def net_up():
    for ns in (NS_U, NS_C):
        sh('ip', 'netns', 'add', ns)
        sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')
    sh('ip', 'link', 'add', TAG + 'a', 'netns', NS_U, 'type', 'veth', 'peer', 'name',
       TAG + 'b', 'netns', NS_C)
    sh('ip', '-n', NS_U, 'addr', 'add', UPF_IP + '/24', 'dev', TAG + 'a')
    sh('ip', '-n', NS_C, 'addr', 'add', SMF_IP + '/24', 'dev', TAG + 'b')
    sh('ip', '-n', NS_U, 'link', 'set', TAG + 'a', 'up')
    sh('ip', '-n', NS_C, 'link', 'set', TAG + 'b', 'up')


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
    for ns in (NS_U, NS_C):
        subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)
    if failed == 0 and not os.environ.get('SEN_KEEP_LOGS'):
        shutil.rmtree(tmpdir, ignore_errors=True)
    else:
        print('# logs kept in %s' % tmpdir)


def enter_ns(ns):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open('/var/run/netns/' + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), 'setns')
    finally:
        os.close(fd)


def metrics(host):
    try:
        with urllib.request.urlopen('http://%s:9091/metrics' % host, timeout=3) as r:
            text = r.read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith('#'):
            k, _, v = line.rpartition(' ')
            try:
                out[k] = float(v)
            except ValueError:
                pass
    return out


def wait_for(cond, timeout):
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v[0] or time.monotonic() > end:
            return v
        time.sleep(0.2)


def state():
    u, s = metrics(UPF_IP), metrics('127.0.0.4')
    return (u.get('fivegs_upffunction_upf_sessionnbr'),
            s.get('sen_smf_ue_addresses{family="ipv4"}'),
            s.get('sen_smf_ue_addresses_quarantined'),
            s.get('fivegs_smffunction_sm_sessionnbr'))


def settled():
    st = state()
    return st == (0, 0, 0, 0), st


_pending = {}


def read_line(p, timeout):
    """The next JSON line of p's stdout (None after timeout or at the end)."""
    end = time.monotonic() + timeout
    buf = _pending.get(p, b'')
    while b'\n' not in buf:
        left = end - time.monotonic()
        if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
            _pending[p] = buf
            return None
        c = os.read(p.stdout.fileno(), 4096)
        if not c:
            return None
        buf += c
    line, _, _pending[p] = buf.partition(b'\n')
    try:
        return json.loads(line.decode())
    except ValueError:
        return None


def main():
    if os.geteuid() != 0:
        print('1..0 # SKIP needs root (network namespaces)')
        return 0
    print('1..12')
    net_up()
    cfg = os.path.join(tmpdir, 'sen.yaml')
    with open(cfg, 'w') as f:
        f.write(CONFIG)
    upf = subprocess.Popen(['ip', 'netns', 'exec', NS_U, UPF_BIN, '-c', cfg],
                           stdout=open(os.path.join(tmpdir, 'upf.log'), 'w'),
                           stderr=subprocess.STDOUT)
    procs.append(upf)
    procs.append(subprocess.Popen(['ip', 'netns', 'exec', NS_C, SMF_BIN, '-c', cfg],
                                  stdout=open(os.path.join(tmpdir, 'smf.log'), 'w'),
                                  stderr=subprocess.STDOUT))
    drv = subprocess.Popen(['ip', 'netns', 'exec', NS_C, BURST_BIN, '127.0.0.12:7777',
                            '127.0.0.5:7777', '127.0.0.4:7777', str(N)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=open(os.path.join(tmpdir, 'burst.log'), 'w'), bufsize=0)
    procs.append(drv)
    enter_ns(NS_C)
    tap(read_line(drv, 8) == {'ready': True}, 'smf-burst serves the fake UDM and AMF')
    ok, v = wait_for(lambda: (metrics('127.0.0.4').get('sen_smf_pfcp_associations') == 1,
                              None), 10)
    tap(ok, 'the SMF is associated with the UPF')
    t0 = time.monotonic()
    link = ['ip', '-n', NS_C, 'link', 'set', TAG + 'b']
    for rnd, what in ((1, 'the UPF stopped 1.2 s'), (2, 'N4 cut 2.5 s'), (3, 'no hindrance')):
        drv.stdin.write(b'go\n')
        r = read_line(drv, 45)
        tap(r is not None and not r['timeout'] and r['accepted'] == N,
            'round %d: %d sessions accepted' % (rnd, N), r)
        if rnd == 1:
            upf.send_signal(signal.SIGSTOP)
        drv.stdin.write(b'go\n')
        if rnd == 1:
            time.sleep(1.2)
            upf.send_signal(signal.SIGCONT)
        elif rnd == 2:
            sh(*link, 'down')
            time.sleep(2.5)
            sh(*link, 'up')
        r = read_line(drv, 45)
        released = r is not None and not r['timeout'] and r['released'] == N
        ok, st = wait_for(settled, SETTLE_S)
        tap(released and ok, 'round %d (%s): all released at once; then the UPF holds no '
            'session, the SMF pool is whole (upf sessions, ipv4 addresses in use, '
            'quarantined, SM contexts)' % (rnd, what), (r, st))
        if rnd == 1:
            with open(os.path.join(tmpdir, 'smf.log')) as f:
                lost = f.read().count('no answer from UPF')
            tap(lost == 0, 'round 1: no PFCP request went unanswered (the socket buffers and '
                'the SMF window held the burst)', '%d unanswered' % lost)
        if rnd == 2:
            with open(os.path.join(tmpdir, 'smf.log')) as f:
                log = f.read()
            tap('quarantined' in log and 'leaves quarantine' in log,
                'round 2: unanswered deletions were quarantined, retried, then answered')
    tap(time.monotonic() - t0 < 90, 'three rounds within 90 s (%.1f s)' % (time.monotonic() - t0))
    drv.stdin.write(b'\n')
    tap(all(p.poll() is None for p in procs[:2]), 'sen-upf and sen-smf still run')
    return 0


if __name__ == '__main__':
    try:
        main()
    finally:
        cleanup()
    sys.exit(1 if failed else 0)
