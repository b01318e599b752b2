"""Shared helpers for the sen-udr daemon tests (test_udr_*.py): start and stop sen-udr on a
temporary sen.yaml, on SQLite or on the PostgreSQL server pg_run.py started, talk to it with
curl --http2-prior-knowledge, and report TAP.

Every wait is bounded, and every process started here is killed when the test ends, passes
or fails (atexit, and a parent-death signal on the daemon).
"""
import atexit
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

PR_SET_PDEATHSIG = 1
_procs = []
_dirs = []


def _cleanup():
    for p in _procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    for d in _dirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup)


def _die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Udr:
    """A sen-udr process on 127.0.0.1:<free port> with its own config and store."""

    def __init__(self, exe, backend, tag='udr'):
        self.exe = os.path.abspath(exe)
        self.dir = tempfile.mkdtemp(prefix='sen-udr-test-')
        _dirs.append(self.dir)
        self.port = free_port()
        self.authority = '127.0.0.1:%d' % self.port
        if backend == 'pg':
            host, user = os.environ['SEN_UDR_PG_HOST'], os.environ['SEN_UDR_PG_USER']
            # One database per test program (pg_run.py starts one server per program).
            db = 'postgresql:///postgres?host=%s&user=%s' % (host, user)
        else:
            db = 'sqlite:subscribers.db'
        self.config = os.path.join(self.dir, 'sen.yaml')
        with open(self.config, 'w') as f:
            f.write('plmn: { mcc: "999", mnc: "70" }\ntac: [1]\nslices: [ { sst: 1 } ]\n'
                    'log: { level: info }\n'
                    'udr: { sbi: "127.0.0.1:%d", db: "%s" }\n'
                    'metrics: { port: %d }\n' % (self.port, db, free_port()))
        self.proc = None
        self.log = os.path.join(self.dir, '%s.log' % tag)

    def start(self, timeout=20):
        logf = open(self.log, 'a')
        self.proc = subprocess.Popen([self.exe, '-c', self.config], stdout=logf,
                                     stderr=subprocess.STDOUT, cwd=self.dir,
                                     preexec_fn=_die_with_parent)
        logf.close()
        _procs.append(self.proc)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError('sen-udr exited with %d at start: %s'
                                     % (self.proc.returncode, self.tail()))
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError('sen-udr not listening after %d s: %s' % (timeout, self.tail()))

    def stop(self, timeout=10):
        """SIGTERM and wait for a clean exit (status 0)."""
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError('sen-udr did not stop within %d s of SIGTERM' % timeout)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def tail(self, n=20):
        try:
            with open(self.log, errors='replace') as f:
                return ' | '.join(f.read().splitlines()[-n:])
        except OSError:
            return ''


def curl(authority, path, method='GET', data=None, headers=(), timeout=10):
    """One HTTP/2 (prior knowledge) request. Returns (http_version, status, headers, body)."""
    with tempfile.NamedTemporaryFile() as hdr, tempfile.NamedTemporaryFile() as body:
        cmd = ['curl', '-sS', '--http2-prior-knowledge', '-X', method, '-o', body.name,
               '-D', hdr.name, '-w', '%{http_version} %{http_code}', '--max-time',
               str(timeout), 'http://%s%s' % (authority, path)]
        for h in headers:
            cmd += ['-H', h]
        if data is not None:
            if not isinstance(data, (str, bytes)):
                data = json.dumps(data)
                cmd += ['-H', 'content-type: application/json']
            cmd += ['--data-binary', data if isinstance(data, str) else data.decode()]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout + 20)
        if p.returncode != 0:
            raise AssertionError('curl failed (%d): %s' % (p.returncode, p.stderr.decode()))
        version, code = p.stdout.decode().split()
        heads = {}
        for line in open(hdr.name, 'rb').read().decode(errors='replace').splitlines():
            if ':' in line and not line.startswith('HTTP/'):
                k, v = line.split(':', 1)
                heads[k.strip().lower()] = v.strip()
        raw = open(body.name, 'rb').read()
    return version, int(code), heads, raw


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def problem(heads, raw, status, cause=None):
    """Check a ProblemDetails answer (RFC 7807, TS 29.571) and return it."""
    expect(heads.get('content-type') == 'application/problem+json',
           'content-type %r (body %r)' % (heads.get('content-type'), raw[:200]))
    pd = json.loads(raw)
    expect(pd.get('status') == status, 'ProblemDetails status %r' % pd.get('status'))
    if cause:
        expect(pd.get('cause') == cause, 'cause %r, expected %s' % (pd.get('cause'), cause))
    return pd


class Tap:
    """Collects cases and prints TAP: one 'ok'/'not ok' line per case."""

    def __init__(self):
        self.cases = []

    def case(self, fn):
        self.cases.append(fn)
        return fn

    def run(self, *args):
        print('1..%d' % len(self.cases))
        failed = 0
        for i, fn in enumerate(self.cases, 1):
            try:
                fn(*args)
                print('ok %d - %s' % (i, fn.__name__))
            except Exception as e:  # any failure is this case's, the others go on
                failed += 1
                print('not ok %d - %s: %s' % (i, fn.__name__, e))
                for line in traceback.format_exc().splitlines()[-6:]:
                    print('# ' + line)
            sys.stdout.flush()
        return 1 if failed else 0


def subscriber(supi, k='000102030405060708090a0b0c0d0e0f', opc='0f0e0d0c0b0a09080706050403020100',
               **extra):
    s = {'supi': supi, 'k': k, 'opc': opc,
         'subscribedUeAmbr': {'uplink': '1 Gbps', 'downlink': '2 Gbps'},
         'slices': [{'sst': 1, 'default': True,
                     'dnns': [{'dnn': 'internet', 'default': True,
                               'sessionAmbr': {'uplink': '100 Mbps', 'downlink': '1.5 Gbps'},
                               'staticIpv4': '10.45.0.9'}]},
                    {'sst': 2, 'sd': '000001',
                     'dnns': [{'dnn': 'ims', 'pduSessionType': 'IPV4V6', '5qi': 5,
                               'arp': {'priorityLevel': 2, 'preemptCap': 'MAY_PREEMPT',
                                       'preemptVuln': 'NOT_PREEMPTABLE'}}]}]}
    s.update(extra)
    return s
