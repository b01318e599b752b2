#!/usr/bin/env python3
"""curl (an independent HTTP/2 client) against the lib/sbi test server (routes.h).

Each case runs `curl --http2-prior-knowledge` (h2c, TS 29.500 6.1) and checks the HTTP
version, the status, the content type and the JSON body (ProblemDetails for errors,
TS 29.571 / RFC 7807). Prints TAP. Usage: test_sbi_curl.py SBI_TEST_SERVER
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

MAX_BODY = 65536
cases = []


def case(fn):
    cases.append(fn)
    return fn


def curl(port, path, method='GET', data=None, headers=(), host='127.0.0.1', extra=()):
    url = 'http://%s:%d%s' % ('[%s]' % host if ':' in host else host, port, path)
    with tempfile.NamedTemporaryFile() as hdr, tempfile.NamedTemporaryFile() as body:
        cmd = ['curl', '-sS', '--http2-prior-knowledge', '-X', method, '-o', body.name,
               '-D', hdr.name, '-w', '%{http_version} %{http_code}', '--max-time', '10', url]
        for h in headers:
            cmd += ['-H', h]
        if data is not None:
            if isinstance(data, bytes):
                dfile = tempfile.NamedTemporaryFile(delete=False)
                dfile.write(data)
                dfile.close()
                cmd += ['--data-binary', '@' + dfile.name]
            else:
                cmd += ['--data-binary', data]
        cmd += list(extra)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
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
    expect(heads.get('content-type') == 'application/problem+json',
           'content-type %r' % heads.get('content-type'))
    pd = json.loads(raw)
    expect(pd.get('status') == status, 'ProblemDetails status %r' % pd.get('status'))
    expect(isinstance(pd.get('title'), str) and pd['title'], 'no title')
    if cause:
        expect(pd.get('cause') == cause, 'cause %r' % pd.get('cause'))
    return pd


@case
def get_success(port, **_):
    v, code, heads, raw = curl(port, '/ntest/v1/echo/imsi-999700000000001?x=a%20b&y=1',
                               headers=['Accept: application/json'])
    expect(v == '2', 'HTTP version %s' % v)
    expect(code == 200, 'status %d' % code)
    expect(heads.get('content-type') == 'application/json', 'content-type')
    j = json.loads(raw)
    expect(j['id'] == 'imsi-999700000000001', 'id %r' % j['id'])
    expect(j['query'] == {'x': 'a b', 'y': '1'}, 'query %r' % j['query'])
    expect(j['method'] == 'GET' and j['accept'] == 'application/json', 'echo %r' % j)


@case
def post_created(port, **_):
    v, code, heads, raw = curl(port, '/ntest/v1/items', 'POST', '{"name":"curl"}',
                               ['Content-Type: application/json'])
    expect(code == 201, 'status %d' % code)
    expect(heads.get('location', '').startswith('/ntest/v1/items/'), 'location %r' % heads)
    j = json.loads(raw)
    expect(j == {'name': 'curl', 'created': True}, 'body %r' % j)


@case
def put_no_content(port, **_):
    v, code, heads, raw = curl(port, '/ntest/v1/items/5', 'PUT', '{}',
                               ['Content-Type: application/json'])
    expect(code == 204 and raw == b'', 'status %d body %r' % (code, raw))


@case
def not_found_404(port, **_):
    v, code, heads, raw = curl(port, '/nudm-xyz/v1/nothing')
    expect(code == 404, 'status %d' % code)
    problem(heads, raw, 404, 'RESOURCE_URI_STRUCTURE_NOT_FOUND')


@case
def method_not_allowed_405(port, **_):
    v, code, heads, raw = curl(port, '/ntest/v1/items/5', 'PATCH', '[]',
                               ['Content-Type: application/json-patch+json'])
    expect(code == 405, 'status %d' % code)
    expect(heads.get('allow') == 'PUT, DELETE', 'allow %r' % heads.get('allow'))
    problem(heads, raw, 405)


@case
def malformed_json_400(port, **_):
    v, code, heads, raw = curl(port, '/ntest/v1/items', 'POST', '{"name": tru',
                               ['Content-Type: application/json'])
    expect(code == 400, 'status %d' % code)
    problem(heads, raw, 400, 'INVALID_MSG_FORMAT')


@case
def too_large_413(port, **_):
    big = b'{"name":"' + b'x' * (4 * MAX_BODY) + b'"}'
    v, code, heads, raw = curl(port, '/ntest/v1/items', 'POST', big,
                               ['Content-Type: application/json'])
    expect(code == 413, 'status %d' % code)
    problem(heads, raw, 413)


@case
def too_large_413_chunked(port, **_):
    # no content-length up front: the limit is found while the body streams in
    big = b'{"name":"' + b'x' * (4 * MAX_BODY) + b'"}'
    v, code, heads, raw = curl(port, '/ntest/v1/items', 'POST', big,
                               ['Content-Type: application/json', 'Transfer-Encoding: chunked'])
    expect(code == 413, 'status %d' % code)
    problem(heads, raw, 413)


@case
def many_clients_at_once(port, **_):
    # 30 curl processes at the same time, each on its own connection. (Several
    # requests on one curl connection are not tried: curl 7.88 fails to reuse an h2c
    # prior-knowledge connection, curl/curl#10634; lib/sbi's own client covers reuse.)
    url = 'http://127.0.0.1:%d/ntest/v1/echo/' % port
    procs = [subprocess.Popen(['curl', '-sS', '--http2-prior-knowledge', '-o', '/dev/null',
                               '-w', '%{http_version} %{http_code}', '--max-time', '20',
                               url + str(i)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(30)]
    outs = [p.communicate(timeout=60)[0].decode() for p in procs]
    expect(outs.count('2 200') == 30, 'results %r' % outs)


@case
def garbage_then_curl(port, **_):
    # a peer sending HTTP/1.1 (no prior knowledge) loses its connection; others are fine
    s = socket.create_connection(('127.0.0.1', port))
    s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    s.settimeout(5)
    data = b''
    while True:
        d = s.recv(4096)
        if not d:
            break
        data += d
    s.close()
    v, code, heads, raw = curl(port, '/ntest/v1/echo/after-garbage')
    expect(code == 200, 'status %d' % code)


@case
def ipv6(port6, **_):
    if port6 is None:
        raise AssertionError('no IPv6 server')
    v, code, heads, raw = curl(port6, '/ntest/v1/echo/v6', host='::1')
    expect(v == '2' and code == 200, 'version %s status %d' % (v, code))


def start(server, addr):
    p = subprocess.Popen([server, addr, '0', str(MAX_BODY)], stdout=subprocess.PIPE)
    line = p.stdout.readline().decode().split()
    if len(line) != 2 or line[0] != 'port':
        p.kill()
        raise RuntimeError('server did not start on %s' % addr)
    return p, int(line[1])


def main():
    server = sys.argv[1]
    print('1..%d' % len(cases))
    if not shutil.which('curl'):
        for i, c in enumerate(cases, 1):
            print('not ok %d - %s # curl not installed' % (i, c.__name__))
        return 1
    p4, port = start(server, '127.0.0.1')
    try:
        p6, port6 = start(server, '::1')
    except RuntimeError:
        p6, port6 = None, None
    failed = 0
    try:
        for i, c in enumerate(cases, 1):
            try:
                c(port=port, port6=port6)
                print('ok %d - %s' % (i, c.__name__))
            except Exception as e:  # noqa: BLE001 (report every failure as TAP)
                failed += 1
                print('not ok %d - %s: %s' % (i, c.__name__, str(e).replace('\n', ' ')[:300]))
            sys.stdout.flush()
        # the servers must still be alive after everything
        for p in (p4, p6):
            if p is not None and p.poll() is not None:
                print('# server died with status %d' % p.returncode)
                failed += 1
    finally:
        for p in (p4, p6):
            if p is not None:
                p.terminate()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
