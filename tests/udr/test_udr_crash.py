#!/usr/bin/env python3
"""Durability of sen-udr across kill -9 (TAP output).

curl sends 1,000 provisioning requests (subscriber creates) over HTTP/2 (--parallel, 16
streams on one connection) and, on a second connection at the same time, a stream of Sen's
atomic SQN advances for one subscriber; SQNs are also advanced before the load. When about
half of the creates have been answered, sen-udr is killed with SIGKILL. After a restart:
every subscriber whose create was acknowledged (201) is there with its data; every SQN that
was handed out (200), before or during the load, is distinct; and the SQNs handed out after
the restart are distinct too and above all of them (no SQN is ever reused, DESIGN.md
"Subscriber data"). A run where the kill did not land in the middle (nothing acknowledged,
or nothing lost) fails rather than passing vacuously.

Usage: test_udr_crash.py SEN_UDR sqlite|pg   (pg: run under pg_run.py)
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from udr_harness import Tap, Udr, curl, expect, subscriber, _procs  # noqa: E402

EXE, BACKEND = sys.argv[1], sys.argv[2]
N = 1000           # provisioning requests (creates)
N_SQN = 300        # SQN advances sent alongside the creates
SQN_BEFORE = 20    # SQN advances acknowledged before the load
SQN_AFTER = 20     # SQN advances after the restart
KILL_AFTER = 500   # creates answered when sen-udr is killed
tap = Tap()
udr = Udr(EXE, BACKEND)
SQN_SUPI = 'imsi-999709999999999'
state = {}


def k_of(i):
    return '%032x' % (0x1000 + i)


def quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def advance_config(name, n):
    """A curl config of n SQN advances for SQN_SUPI; returns (path, out_dir)."""
    cfg = os.path.join(udr.dir, name + '.curl')
    out_dir = os.path.join(udr.dir, name)
    os.makedirs(out_dir, exist_ok=True)
    with open(cfg, 'w') as f:
        for i in range(n):
            f.write('url = "http://%s/sen-udr-auth/v1/%s/sqn-advance"\nrequest = "POST"\n'
                    'output = %s\nwrite-out = "%%{http_code} %%{filename_effective}\\n"\n'
                    'max-time = 20\n'
                    % (udr.authority, SQN_SUPI, quote(os.path.join(out_dir, 's%04d.json' % i))))
            if i + 1 < n:
                f.write('next\n')
    return cfg


def advanced_sqns(lines):
    """The SQNs of the acknowledged (200) advances among curl write-out lines."""
    sqns = []
    for line in lines:
        code, fname = line.split(' ', 1)
        if code == '200':
            sqns.append(int(json.load(open(fname))['sequenceNumber']['sqn'], 16))
    return sqns


def advance(name, n, parallel=4):
    """n SQN advances now (sen-udr up); returns the SQNs handed out."""
    p = subprocess.run(['curl', '-sS', '--http2-prior-knowledge', '--parallel',
                        '--parallel-max', str(parallel), '-K', advance_config(name, n)],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    lines = p.stdout.decode().splitlines()
    sqns = advanced_sqns(lines)
    expect(len(sqns) == n, '%s: %d of %d SQN advances answered 200' % (name, len(sqns), n))
    return sqns


def run_load():
    """Start curl with N creates and curl with N_SQN advances; kill sen-udr -9 after
    KILL_AFTER creates are answered."""
    cfg = os.path.join(udr.dir, 'load.curl')
    out_dir = os.path.join(udr.dir, 'out')
    os.makedirs(out_dir, exist_ok=True)
    kinds = {}
    with open(cfg, 'w') as f:
        for i in range(N):
            out = os.path.join(out_dir, 'r%04d.json' % i)
            supi = 'imsi-99970%010d' % i
            kinds[out] = supi
            body = json.dumps(subscriber(supi, k=k_of(i)))
            f.write('url = "http://%s/sen-prov/v1/subscribers"\n'
                    'header = "content-type: application/json"\n'
                    'data-binary = %s\n' % (udr.authority, quote(body)))
            f.write('output = %s\nwrite-out = "%%{http_code} %%{filename_effective}\\n"\n'
                    'max-time = 20\n' % quote(out))
            if i + 1 < N:
                f.write('next\n')
    wlog = os.path.join(udr.dir, 'writeout.txt')
    slog = os.path.join(udr.dir, 'sqn-writeout.txt')
    with open(wlog, 'w') as w, open(slog, 'w') as sw:
        p = subprocess.Popen(['curl', '-sS', '--http2-prior-knowledge', '--parallel',
                              '--parallel-max', '16', '-K', cfg], stdout=w,
                             stderr=subprocess.DEVNULL)
        _procs.append(p)
        q = subprocess.Popen(['curl', '-sS', '--http2-prior-knowledge', '--parallel',
                              '--parallel-max', '4', '-K', advance_config('during', N_SQN)],
                             stdout=sw, stderr=subprocess.DEVNULL)
        _procs.append(q)
    deadline = time.monotonic() + 120
    killed = False
    while time.monotonic() < deadline:
        n = len(open(wlog).read().splitlines())
        if n >= KILL_AFTER:
            udr.kill9()
            killed = True
            break
        if p.poll() is not None:
            break
        time.sleep(0.005)
    for c in (p, q):
        try:
            c.wait(timeout=60)
        except subprocess.TimeoutExpired:
            c.kill()
            c.wait()
            raise AssertionError('curl did not finish within 60 s of the kill')
    expect(killed, 'sen-udr was not killed: curl ended or stalled after %d answers'
           % len(open(wlog).read().splitlines()))
    acked, lost = [], 0
    lines = open(wlog).read().splitlines()
    for line in lines:
        code, fname = line.split(' ', 1)
        if code == '201':
            acked.append(kinds[fname])
        else:
            lost += 1
    lost += N - len(lines)
    return acked, advanced_sqns(open(slog).read().splitlines()), lost


@tap.case
def load_and_kill9():
    v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers', 'POST',
                               subscriber(SQN_SUPI))
    expect(code == 201, 'create the SQN subscriber: %d' % code)
    before = advance('before', SQN_BEFORE)
    acked, during, lost = run_load()
    state.update(acked=acked, sqns=before + during)
    expect(len(acked) >= 100, 'too little acknowledged before the kill: %d creates'
           % len(acked))
    expect(lost > 0, 'nothing was lost: the kill did not land in the middle')
    print('# %d of %d creates acknowledged, %d lost to the kill; %d SQN advances before '
          'the load, %d during it' % (len(acked), N, lost, len(before), len(during)))


@tap.case
def restart_after_kill9():
    udr.start()


@tap.case
def every_acknowledged_subscriber_is_there():
    expect(state.get('acked'), 'no data from the load case')
    missing = []
    for supi in state['acked']:
        v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers/%s?secrets=true'
                                   % supi)
        if code != 200:
            missing.append(supi)
            continue
        i = int(supi[-10:])
        s = json.loads(raw)
        expect(s['k'] == k_of(i) and len(s['slices']) == 2, 'data of %s: %r' % (supi, s))
    expect(not missing, '%d acknowledged subscribers missing, e.g. %s'
           % (len(missing), missing[:3]))


@tap.case
def no_sqn_reused():
    sqns = state.get('sqns')
    expect(sqns, 'no data from the load case')
    expect(len(set(sqns)) == len(sqns), 'an SQN was handed out twice before the kill')
    after = advance('after', SQN_AFTER)
    expect(len(set(after)) == len(after), 'an SQN was handed out twice after the restart')
    expect(min(after) > max(sqns), 'SQN %#x after restart is not above %#x handed out before'
           % (min(after), max(sqns)))
    # At most the advances in flight at the kill were committed but not acknowledged.
    expect(min(after) <= max(sqns) + 32 * (1 + 4), 'SQN jumped from %#x to %#x'
           % (max(sqns), min(after)))


def metric(name):
    import re
    import urllib.request
    port = re.search(r'metrics: \{ port: (\d+) \}', open(udr.config).read()).group(1)
    text = urllib.request.urlopen('http://127.0.0.1:%s/metrics' % port, timeout=5).read().decode()
    m = re.search(r'^%s (\d+)' % name, text, re.M)
    return int(m.group(1)) if m else 0


@tap.case
def group_commit():
    """16 parallel SQN advances per round for 16 subscribers: the writer commits the ones
    that queued together in one transaction (sen_udr_group_commits_total counts those), and
    every SQN handed out is still distinct and acknowledged only after its commit."""
    supis = ['imsi-9997088888%05d' % i for i in range(16)]
    for s_ in supis:
        v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers', 'POST',
                                   subscriber(s_))
        expect(code == 201, 'create %s: %d' % (s_, code))
    cfg = os.path.join(udr.dir, 'burst.curl')
    out_dir = os.path.join(udr.dir, 'burst')
    os.makedirs(out_dir, exist_ok=True)
    with open(cfg, 'w') as f:
        for i in range(320):
            f.write('url = "http://%s/sen-udr-auth/v1/%s/sqn-advance"\nrequest = "POST"\n'
                    'output = "%s/b%04d.json"\nwrite-out = "%%{http_code} %%{filename_effective}\\n"\n'
                    % (udr.authority, supis[i % 16], out_dir, i))
            if i + 1 < 320:
                f.write('next\n')
    p = subprocess.run(['curl', '-sS', '--http2-prior-knowledge', '--parallel', '--parallel-max',
                        '16', '-K', cfg], stdout=subprocess.PIPE, timeout=120)
    by_supi = {}
    lines = p.stdout.decode().splitlines()
    expect(len(lines) == 320, '%d answers of 320' % len(lines))
    for line in lines:
        code, fname = line.split(' ', 1)
        expect(code == '200', 'advance: %s' % code)
        i = int(os.path.basename(fname)[1:5])
        by_supi.setdefault(supis[i % 16], []).append(
            int(json.load(open(fname))['sequenceNumber']['sqn'], 16))
    for s_, v in by_supi.items():
        expect(sorted(v) == [32 * (k + 1) for k in range(len(v))],
               '%s: SQNs not 32, 64, ... without gaps or repeats: %s' % (s_, sorted(v)[:8]))
    batches = metric('sen_udr_group_commits_total')
    writes = metric('sen_udr_group_commit_writes_total')
    expect(batches > 0 and writes >= 2 * batches, 'no group commit: %d batches, %d writes'
           % (batches, writes))
    print('# %d group commits carried %d of the 320 advances' % (batches, writes))


@tap.case
def clean_stop():
    rc = udr.stop()
    expect(rc == 0, 'exit status %d: %s' % (rc, udr.tail()))


if __name__ == '__main__':
    try:
        udr.start()
    except Exception as e:
        print('1..1\nnot ok 1 - start sen-udr: %s' % e)
        sys.exit(1)
    sys.exit(tap.run())
