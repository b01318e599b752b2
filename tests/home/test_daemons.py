#!/usr/bin/env python3
"""The home network as separate processes: sen-nrf (when built), sen-udr (when built; else
home-tool's in-memory UDR), sen-udm and sen-ausf, each started from one sen.yaml written here.
curl --http2-prior-knowledge plays the AMF/SEAF over SBI (TS 29.509, TS 29.503) and
home-tool plays the UE (USIM and ME, lib/crypto) for a full 5G AKA (TS 33.501 6.1.3.2).

Cases: 5G AKA with SUCIs in the null scheme, Profile A and Profile B (KSEAF compared with the
UE's own TS 33.501 A.6 derivation), a wrong RES*, re-synchronisation from AUTS, error paths
(400 malformed JSON, 404 USER_NOT_FOUND, 405, 403 serving network / key id), Nudm-SDM and
Nudm-UECM, NRF registration of UDM and AUSF, metrics, no key material in the logs, a clean
stop on SIGTERM. Every wait is bounded; every process is killed on the way out.

With --core EXE, the same cases run against ONE process (sen-core, or tests/home's
home-core) carrying nrf, udr, udm and ausf, whose SBI calls to each other take the local
transport.

Usage: test_daemons.py --udm EXE --ausf EXE --tool EXE --keys DIR [--udr EXE] [--nrf EXE]
       test_daemons.py --core EXE --udm - --ausf - --tool EXE --keys DIR
Prints TAP.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

SNN = '5G:mnc070.mcc999.3gppnetwork.org'
SUPI = 'imsi-999700000000001'
MSIN = '0000000001'
SUPI_X = 'imsi-999709999999999'

cases = []


def case(fn):
    cases.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


class Env:
    pass


E = Env()


# ---------------------------------------------------------------------------------------
# Processes

def free_port(ips):
    """A TCP port free on every address of `ips`."""
    for _ in range(200):
        s = socket.socket()
        s.bind((ips[0], 0))
        port = s.getsockname()[1]
        s.close()
        ok = True
        for ip in ips[1:]:
            t = socket.socket()
            try:
                t.bind((ip, port))
            except OSError:
                ok = False
            t.close()
        if ok:
            return port
    raise RuntimeError('no free port')


def wait_port(ip, port, proc, secs=10):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError('%s exited with %s' % (proc.args[0], proc.returncode))
        try:
            socket.create_connection((ip, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError('nothing listens on %s:%d after %ds' % (ip, port, secs))


def die_with_parent():
    """In the child: SIGKILL when this script dies (prctl PR_SET_PDEATHSIG), so that a
    runner's timeout never leaves a daemon behind."""
    try:
        import ctypes
        ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL)
    except OSError:
        pass


def start(name, argv):
    log = open(os.path.join(E.dir, name + '.log'), 'w+b')
    p = subprocess.Popen([str(a) for a in argv], stdout=log, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
    E.procs.append((name, p, log))
    return p


def log_text(name):
    for n, _, log in E.procs:
        if n == name:
            log.flush()
            log.seek(0)
            return log.read().decode(errors='replace')
    return ''


def stop_all(timeout=5):
    """SIGTERM the NFs, then the NRF (so that they can deregister), SIGKILL what is left
    after `timeout` seconds. Returns the exit codes."""
    codes = {}
    for last in (False, True):
        group = [(n, p) for n, p, _ in E.procs if (n == 'nrf') == last]
        for name, p in group:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        end = time.monotonic() + timeout
        for name, p in group:
            try:
                codes[name] = p.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
                codes[name] = 'killed'
    return codes


# ---------------------------------------------------------------------------------------
# SBI with curl (an independent HTTP/2 client)

def curl(authority, path, method='GET', body=None):
    url = 'http://%s%s' % (authority, path)
    with tempfile.NamedTemporaryFile() as hdr, tempfile.NamedTemporaryFile() as out:
        cmd = ['curl', '-sS', '--http2-prior-knowledge', '-X', method, '-o', out.name,
               '-D', hdr.name, '-w', '%{http_version} %{http_code}', '--max-time', '10', url]
        if body is not None:
            cmd += ['-H', 'content-type: application/json', '--data-binary',
                    body if isinstance(body, str) else json.dumps(body)]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        if p.returncode != 0:
            raise AssertionError('curl %s %s failed: %s' % (method, path, p.stderr.decode()))
        version, code = p.stdout.decode().split()
        heads = {}
        for line in open(hdr.name, 'rb').read().decode(errors='replace').splitlines():
            if ':' in line and not line.startswith('HTTP/'):
                k, v = line.split(':', 1)
                heads[k.strip().lower()] = v.strip()
        raw = open(out.name, 'rb').read()
    expect(version == '2', 'HTTP version %s' % version)
    j = json.loads(raw) if raw else None
    return int(code), heads, j


def problem(code, heads, j, status, cause=None):
    expect(code == status, 'status %d, expected %d: %r' % (code, status, j))
    expect(heads.get('content-type') == 'application/problem+json',
           'content-type %r' % heads.get('content-type'))
    expect(j.get('status') == status, 'ProblemDetails.status %r' % j.get('status'))
    if cause:
        expect(j.get('cause') == cause, 'cause %r, expected %s' % (j.get('cause'), cause))


def tool(*args, ok=(0,)):
    p = subprocess.run([E.tool] + [str(a) for a in args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    if p.returncode not in ok:
        raise AssertionError('home-tool %s: %s' % (args[0], p.stderr.decode()))
    return p.stdout.decode().strip()


def ue(rand, autn):
    return json.loads(tool('ue', E.k, E.opc, rand, autn, SNN, ok=(0, 3)))


# ---------------------------------------------------------------------------------------
# The SEAF

def start_auth(ident, snn=SNN, resync=None, retry=0):
    body = {'supiOrSuci': ident, 'servingNetworkName': snn}
    if resync:
        body['resynchronizationInfo'] = resync
    end = time.monotonic() + retry
    while True:
        code, heads, j = curl(E.ausf, '/nausf-auth/v1/ue-authentications', 'POST', body)
        # With an NRF, the first requests may come before discovery can see the peers.
        if code != 504 or time.monotonic() >= end:
            return code, heads, j
        time.sleep(0.2)


def started(code, heads, j):
    expect(code == 201, 'POST ue-authentications: %d %r' % (code, j))
    # TS 29.509 OpenAPI: the 201 UEAuthenticationCtx is application/3gppHal+json.
    expect(heads.get('content-type') == 'application/3gppHal+json',
           'content-type %r' % heads.get('content-type'))
    expect(j['authType'] == '5G_AKA', 'authType %r' % j.get('authType'))
    d = j['5gAuthData']
    href = j['_links']['5g-aka']['href']
    expect(href.startswith('http://' + E.ausf + '/nausf-auth/v1/ue-authentications/'),
           'href %s' % href)
    expect(href.startswith(heads.get('location', '-')), 'Location %r' % heads.get('location'))
    return d['rand'], d['autn'], d['hxresStar'], href[len('http://' + E.ausf):]


def confirm(path, res_star):
    return curl(E.ausf, path, 'PUT', {'resStar': res_star})


def full_aka(ident, retry=0):
    rand, autn, _, path = started(*start_auth(ident, retry=retry))
    u = ue(rand, autn)
    expect(u['mac'], 'the UE refuses AUTN')
    code, _, j = confirm(path, u['resStar'])
    expect(code == 200, 'confirmation: %d %r' % (code, j))
    expect(j['authResult'] == 'AUTHENTICATION_SUCCESS', 'authResult %r' % j)
    expect(j['supi'] == SUPI, 'supi %r' % j.get('supi'))
    expect(j['kseaf'].lower() == u['kseaf'], 'KSEAF differs from the UE\'s')
    E.kseafs.append(u['kseaf'])
    return u['sqn']


# ---------------------------------------------------------------------------------------
# Cases

@case
def aka_suci_null():
    a = full_aka('suci-0-999-70-0-0-0-' + MSIN, retry=10)
    b = full_aka('suci-0-999-70-0-0-0-' + MSIN)
    expect(b == a + 32, 'SQN %d then %d (TS 33.102 C.3: SEQ + 1, IND 0)' % (a, b))


@case
def aka_suci_profile_a():
    full_aka(tool('suci', 'a', E.key_a, 1, '999', '70', MSIN))


@case
def aka_suci_profile_b():
    full_aka(tool('suci', 'b', E.key_b, 2, '999', '70', MSIN))


@case
def aka_supi_and_wrong_res_star():
    full_aka(SUPI)
    rand, autn, _, path = started(*start_auth(SUPI))
    u = ue(rand, autn)
    bad = u['resStar'][:-1] + ('0' if u['resStar'][-1] != '0' else '1')
    code, _, j = confirm(path, bad)
    expect(code == 200 and j['authResult'] == 'AUTHENTICATION_FAILURE', 'result %r' % j)
    expect('kseaf' not in j and 'supi' not in j, 'a failure carries no key: %r' % j)
    code, heads, j = confirm(path, u['resStar'])
    problem(code, heads, j, 404)
    # AUSF -> UDM auth event -> UDR authentication status (TS 29.505 5.2.24): the failure
    # replaces the success of the first run, once the AUSF's event has gone through.
    st = '/nudr-dr/v2/subscription-data/%s/authentication-data/authentication-status' % SUPI
    deadline, j = time.monotonic() + 5, None
    while time.monotonic() < deadline:
        code, _, j = curl(E.udr, st)
        if code == 200 and j.get('success') is False:
            break
        time.sleep(0.05)
    expect(code == 200 and j.get('success') is False, 'authentication status %d %r' % (code, j))
    expect(j.get('servingNetworkName') == SNN and j.get('authType') == '5G_AKA',
           'authentication status %r' % j)


@case
def resync_from_auts():
    rand, autn, _, path = started(*start_auth(SUPI))
    u = ue(rand, autn)
    sqn_ms = u['sqn'] + 10 * 32 + 3   # the USIM is ahead
    auts = tool('auts', E.k, E.opc, rand, sqn_ms)
    rand, autn, _, path = started(*start_auth(SUPI, resync={'rand': rand, 'auts': auts}))
    u = ue(rand, autn)
    expect(u['mac'], 'the UE refuses AUTN after resync')
    expect(u['sqn'] == ((sqn_ms >> 5) + 1) << 5, 'SQN %d after SQN_MS %d' % (u['sqn'], sqn_ms))
    code, _, j = confirm(path, u['resStar'])
    expect(j['authResult'] == 'AUTHENTICATION_SUCCESS', 'after resync: %r' % j)


@case
def error_paths():
    code, heads, j = curl(E.ausf, '/nausf-auth/v1/ue-authentications', 'POST', '{"supiOrSuci":')
    problem(code, heads, j, 400, 'INVALID_MSG_FORMAT')
    code, heads, j = curl(E.udm, '/nudm-ueau/v1/%s/security-information/generate-auth-data'
                          % SUPI, 'POST', '{"servingNetworkName": 1')
    problem(code, heads, j, 400, 'INVALID_MSG_FORMAT')
    code, heads, j = curl(E.ausf, '/nausf-auth/v1/ue-authentications', 'POST',
                          {'servingNetworkName': SNN})
    problem(code, heads, j, 400, 'MANDATORY_IE_MISSING')
    problem(*start_auth(SUPI_X), 404, 'USER_NOT_FOUND')
    problem(*curl(E.udm, '/nudm-ueau/v1/%s/security-information/generate-auth-data' % SUPI_X,
                  'POST', {'servingNetworkName': SNN, 'ausfInstanceId': 'x'}),
            404, 'USER_NOT_FOUND')
    problem(*curl(E.udm, '/nudm-sdm/v2/%s/am-data' % SUPI_X), 404, 'USER_NOT_FOUND')
    problem(*curl(E.ausf, '/nausf-auth/v1/ue-authentications', 'DELETE'), 405)
    problem(*curl(E.udm, '/nudm-sdm/v2/%s/am-data' % SUPI, 'PATCH', '[]'), 405)
    problem(*start_auth(SUPI, snn='5G:mnc001.mcc001.3gppnetwork.org'), 403,
            'SERVING_NETWORK_NOT_AUTHORIZED')
    problem(*start_auth(tool('suci', 'a', E.key_a, 7, '999', '70', MSIN)), 403,
            'INVALID_HN_PUBLIC_KEY_IDENTIFIER')
    s = tool('suci', 'b', E.key_b, 2, '999', '70', MSIN)
    s = s[:-2] + ('00' if s[-2:] != '00' else '11')
    problem(*start_auth(s), 403, 'INVALID_SCHEME_OUTPUT')
    problem(*curl(E.udm, '/nudm-nothing/v1/x'), 404, 'RESOURCE_URI_STRUCTURE_NOT_FOUND')


@case
def sdm_and_uecm():
    code, _, j = curl(E.udm, '/nudm-sdm/v2/%s/am-data' % SUPI)
    expect(code == 200 and j['subscribedUeAmbr']['uplink'] == '1 Gbps', 'am-data %r' % j)
    code, _, j = curl(E.udm, '/nudm-sdm/v2/%s/nssai' % SUPI)
    expect(code == 200 and j['defaultSingleNssais'] == [{'sst': 1}], 'nssai %r' % j)
    code, _, j = curl(E.udm, '/nudm-sdm/v2/%s/smf-select-data' % SUPI)
    expect(code == 200 and '1-000001' in j['subscribedSnssaiInfos'], 'smf-select %r' % j)
    code, _, j = curl(E.udm, '/nudm-sdm/v2/%s/sm-data?single-nssai=%%7B%%22sst%%22%%3A1%%7D'
                      '&dnn=ims' % SUPI)
    expect(code == 200 and len(j) == 1 and list(j[0]['dnnConfigurations']) == ['ims'],
           'sm-data %r' % j)
    reg = {'amfInstanceId': '6e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01',
           'deregCallbackUri': 'http://127.0.0.5:7777/namf-callback/v1/dereg',
           'guami': {'plmnId': {'mcc': '999', 'mnc': '70'}, 'amfId': '020040'},
           'ratType': 'NR'}
    path = '/nudm-uecm/v1/%s/registrations/amf-3gpp-access' % SUPI
    code, heads, j = curl(E.udm, path, 'PUT', reg)
    expect(code == 201 and heads.get('location', '').endswith(path), 'PUT: %d %r' % (code, j))
    code, _, j = curl(E.udm, path, 'PUT', reg)
    expect(code == 200 and j['ratType'] == 'NR', 'PUT again: %d %r' % (code, j))
    del reg['deregCallbackUri']
    problem(*curl(E.udm, path, 'PUT', reg), 400, 'MANDATORY_IE_MISSING')


@case
def nrf_registration():
    if not E.nrf:
        # No NRF in this build: peers come from sen.yaml, and nothing may try an NRF.
        for name, _, _ in E.procs:
            expect('nrfc:' not in log_text(name), '%s talks to an NRF' % name)
        return
    for t in ('UDM', 'AUSF'):
        code, _, j = curl(E.nrf, '/nnrf-disc/v1/nf-instances?target-nf-type=%s'
                          '&requester-nf-type=AMF' % t)
        expect(code == 200 and any(p.get('nfType') == t for p in j.get('nfInstances', [])),
               'NRF does not know a %s: %d %r' % (t, code, j))


@case
def metrics_and_logs():
    # One metrics server per process, on its first module's address.
    with socket.create_connection((E.ip['nrf' if E.core else 'udm'], E.metrics),
                                  timeout=5) as s:
        s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        data = b''
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    text = data.decode(errors='replace')
    expect('sen_sbi_requests_total{service="nudm-ueau",status="200"}' in text,
           'no nudm-ueau 200 in the UDM metrics')
    for name, _, _ in E.procs:
        t = log_text(name).lower()
        for secret in [E.k, E.opc] + E.kseafs:
            expect(secret.lower() not in t, 'key material in the %s log' % name)
        # Every auth event reached the UDR (no "not stored" / "keeps no" warnings).
        expect('auth event not stored' not in t and 'keeps no authentication' not in t,
               'an auth event was lost (%s log)' % name)


@case
def clean_stop():
    codes = stop_all()
    for name, c in codes.items():
        expect(c == 0, '%s exit status %r' % (name, c))


# ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    for a in ('udm', 'ausf', 'tool', 'keys'):
        ap.add_argument('--' + a, required=True)
    ap.add_argument('--udr')
    ap.add_argument('--nrf')
    ap.add_argument('--core')
    o = ap.parse_args()
    E.core = o.core
    if o.core:
        o.nrf = o.udr = o.core
    E.procs, E.kseafs, E.tool, E.failed = [], [], o.tool, False
    E.key_a = os.path.join(o.keys, 'hn-a.key')
    E.key_b = os.path.join(o.keys, 'hn-b.key')
    vec = json.load(open(os.path.join(os.environ['SEN_VECTORS'], 'milenage.json')))
    ts = vec['test_sets'][0]
    E.k, E.opc = ts['K'].lower(), ts['OPc'].lower()
    E.dir = tempfile.mkdtemp(prefix='sen-home-')
    # One loopback address per NF, one SBI port and one metrics port free on all of them.
    base = 100 + os.getpid() % 100
    E.ip = {n: '127.%d.%d.%d' % (base, os.getpid() % 250 + 1, i + 1)
            for i, n in enumerate(('nrf', 'udr', 'udm', 'ausf'))}
    ips = list(E.ip.values())
    port = free_port(ips)
    E.metrics = free_port(ips)
    E.udm = '%s:%d' % (E.ip['udm'], port)
    E.ausf = '%s:%d' % (E.ip['ausf'], port)
    E.nrf = '%s:%d' % (E.ip['nrf'], port) if o.nrf else None
    udr_auth = E.udr = '%s:%d' % (E.ip['udr'], port)
    db = os.path.join(E.dir, 'subscribers.db')
    conf = os.path.join(E.dir, 'sen.yaml')
    with open(conf, 'w') as f:
        f.write('plmn: { mcc: "999", mnc: "70" }\ntac: [1]\nslices: [ { sst: 1 } ]\n'
                'log: { level: info }\nmetrics: { port: %d }\n' % E.metrics)
        if o.nrf:
            f.write('nrf: { sbi: %s }\n' % E.nrf)
        f.write('ausf: { sbi: %s }\n' % E.ausf)
        f.write('udm:\n  sbi: %s\n  hn_keys: [ { id: 1, scheme: a, file: %s }, '
                '{ id: 2, scheme: b, file: %s } ]\n' % (E.udm, E.key_a, E.key_b))
        f.write('udr: { sbi: %s, db: "sqlite:%s" }\n' % (udr_auth, db))

    print('1..%d' % len(cases))
    try:
        run_cases(o, port, conf, db)
    finally:
        stop_all()
        for _, _, log in E.procs:
            log.close()
        subprocess.run(['rm', '-rf', E.dir])
    return 0


def run_cases(o, port, conf, db):
    ok, why = True, ''
    try:
        if o.core:
            print('# one process: %s --nf nrf,udr,udm,ausf' % o.core)
            tool('provision', 'sqlite:' + db, SUPI, E.k, E.opc, 0)
            p = start('core', [o.core, '-c', conf, '--nf', 'nrf,udr,udm,ausf'])
            for n in ('nrf', 'udr', 'udm', 'ausf'):
                wait_port(E.ip[n], port, p)
        elif o.nrf:
            wait_port(E.ip['nrf'], port, start('nrf', [o.nrf, '-c', conf]))
        if o.core:
            pass
        elif o.udr:
            print('# UDR: sen-udr (%s)' % o.udr)
            tool('provision', 'sqlite:' + db, SUPI, E.k, E.opc, 0)
            p = start('udr', [o.udr, '-c', conf])
        else:
            print('# UDR: home-tool fake-udr (no sen-udr in this build)')
            p = start('udr', [o.tool, 'fake-udr', E.ip['udr'], port, SUPI, E.k, E.opc, '0'])
        if not o.core:
            wait_port(E.ip['udr'], port, p)
            wait_port(E.ip['udm'], port, start('udm', [o.udm, '-c', conf]))
            wait_port(E.ip['ausf'], port, start('ausf', [o.ausf, '-c', conf]))
    except Exception as e:
        ok = False
        why = str(e)
    for i, fn in enumerate(cases, 1):
        if not ok:
            print('not ok %d - %s # setup failed: %s' % (i, fn.__name__, why))
            continue
        try:
            fn()
            print('ok %d - %s' % (i, fn.__name__))
        except Exception as e:
            print('not ok %d - %s' % (i, fn.__name__))
            E.failed = True
            for line in traceback.format_exc().splitlines():
                print('#   ' + line)
    stop_all()
    if os.environ.get('SEN_HOME_LOGS') or not ok or E.failed:
        for n in [n for n, _, _ in E.procs]:
            for line in log_text(n).splitlines()[-30:]:
                print('# %s: %s' % (n, line))


if __name__ == '__main__':
    sys.exit(main())
