#!/usr/bin/env python3
"""sen-nrf against independent and Sen clients (TS 29.510), printing TAP.

curl --http2-prior-knowledge plays the NFs for Nnrf_NFManagement and Nnrf_NFDiscovery
(register, get, list, heartbeat, update, deregister, discovery filters, subscriptions and
ProblemDetails errors); nrf-peer (lib/sbi + the NRF client) receives notifications and
is the NRF client over TCP between processes; sen-core runs the nrf module alone; bad
configurations stop start-up with one line.

Usage: test_nrf.py SEN_NRF SEN_CORE NRF_PEER
"""
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

SEN_NRF, SEN_CORE, NRF_PEER = sys.argv[1:4]
TMP = tempfile.mkdtemp(prefix='sen-nrf-test-')
HB = 2          # heartbeat (s) given to sen-nrf in these tests
VALIDITY = 2    # validityPeriod (s)
cases = []
procs = []


def case(fn):
    cases.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_config(name, nrf_section, metrics_port=None):
    path = os.path.join(TMP, name)
    with open(path, 'w') as f:
        f.write('plmn: { mcc: "999", mnc: "70" }\ntac: [1]\nslices: [ { sst: 1 } ]\n'
                'log: { level: info }\n')
        f.write('nrf:\n' + ''.join('  %s\n' % l for l in nrf_section))
        f.write('metrics: { port: %d }\n' % (metrics_port or free_port()))
    return path


class Proc:
    """A child process whose stdout (and stderr) lines are read by a thread, bounded waits."""

    def __init__(self, cmd, stdin=False):
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.PIPE if stdin else subprocess.DEVNULL)
        self.lines = queue.Queue()
        self.seen = []
        self.pending = []   # lines read but not matched yet, in order
        threading.Thread(target=self._read, daemon=True).start()
        procs.append(self)

    def _read(self):
        for raw in self.p.stdout:
            self.lines.put(raw.decode(errors='replace').rstrip('\n'))
        self.lines.put(None)

    def wait_line(self, pattern, timeout=5.0):
        """The first new line matching the regex, or an AssertionError after timeout."""
        for k, line in enumerate(self.pending):
            m = re.search(pattern, line)
            if m:
                del self.pending[k]
                return m
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError('no line matching %r within %.1fs (seen: %s)'
                                     % (pattern, timeout, self.seen[-8:]))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError('process exited (%s) waiting for %r; output: %s'
                                     % (self.p.poll(), pattern, self.seen[-8:]))
            self.seen.append(line)
            m = re.search(pattern, line)
            if m:
                return m
            self.pending.append(line)

    def no_line(self, pattern, secs):
        """Assert that no line matches pattern for secs (pending lines included)."""
        for line in self.pending:
            expect(not re.search(pattern, line), 'unexpected line %r' % line)
        end = time.monotonic() + secs
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                continue
            if line is None:
                return
            self.seen.append(line)
            expect(not re.search(pattern, line), 'unexpected line %r' % line)

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def stop(self, timeout=5.0):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
                raise AssertionError('did not stop within %.1fs after SIGTERM' % timeout)
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def curl(base, path, method='GET', body=None, ctype='application/json'):
    with tempfile.NamedTemporaryFile() as hdr, tempfile.NamedTemporaryFile() as out:
        cmd = ['curl', '-sS', '--http2-prior-knowledge', '-X', method, '-o', out.name,
               '-D', hdr.name, '-w', '%{http_version} %{http_code}', '--max-time', '5',
               base + path]
        if body is not None:
            data = body if isinstance(body, str) else json.dumps(body)
            cmd += ['-H', 'content-type: ' + ctype, '--data-binary', data]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=15)
        if p.returncode != 0:
            raise AssertionError('curl failed (%d): %s' % (p.returncode, p.stderr.decode()))
        version, code = p.stdout.decode().split()
        heads = {}
        for line in open(hdr.name, 'rb').read().decode(errors='replace').splitlines():
            if ':' in line and not line.startswith('HTTP/'):
                k, v = line.split(':', 1)
                heads[k.strip().lower()] = v.strip()
        raw = open(out.name, 'rb').read()
    expect(version == '2', 'HTTP version %s' % version)
    j = None
    if raw and heads.get('content-type', '').endswith('json'):
        j = json.loads(raw)
    return int(code), heads, j


def problem(code, heads, j, status, cause=None):
    expect(code == status, 'status %d, expected %d (%s)' % (code, status, j))
    expect(heads.get('content-type') == 'application/problem+json',
           'content-type %r' % heads.get('content-type'))
    expect(j.get('status') == status, 'ProblemDetails status %r' % j.get('status'))
    if cause:
        expect(j.get('cause') == cause, 'cause %r, expected %s' % (j.get('cause'), cause))
    return j


def profile(nf_id, nf_type='UDM', ip='127.0.0.12', port=7777, services=('nudm-ueau',),
            **extra):
    p = {'nfInstanceId': nf_id, 'nfType': nf_type, 'nfStatus': 'REGISTERED',
         'ipv4Addresses': [ip],
         'nfServices': [{'serviceInstanceId': str(i), 'serviceName': s,
                         'versions': [{'apiVersionInUri': 'v1', 'apiFullVersion': '1.0.0'}],
                         'scheme': 'http', 'nfServiceStatus': 'REGISTERED',
                         'ipEndPoints': [{'ipv4Address': ip, 'port': port}]}
                        for i, s in enumerate(services)]}
    p.update(extra)
    return p


def nf_path(nf_id):
    return '/nnrf-nfm/v1/nf-instances/' + nf_id


def register(env, p):
    env['cleanup'].add(p['nfInstanceId'])
    code, heads, j = curl(env['base'], nf_path(p['nfInstanceId']), 'PUT', p)
    expect(code in (200, 201), 'register: %d %s' % (code, j))
    return code, heads, j


def discover(env, query):
    code, _, j = curl(env['base'], '/nnrf-disc/v1/nf-instances?' + query)
    expect(code == 200, 'discovery: %d %s' % (code, j))
    expect(isinstance(j.get('validityPeriod'), int), 'validityPeriod %r' % j)
    return sorted(p['nfInstanceId'] for p in j['nfInstances'])


def heartbeat(env, nf_id, status='REGISTERED'):
    return curl(env['base'], nf_path(nf_id), 'PATCH',
                [{'op': 'replace', 'path': '/nfStatus', 'value': status}],
                'application/json-patch+json')


# ---------------------------------------------------------------------------------------
# NFManagement

@case
def register_get_replace(env):
    nf_id = str(uuid.uuid4())
    code, heads, j = register(env, profile(nf_id))
    expect(code == 201, 'first PUT gives 201, got %d' % code)
    expect(heads.get('location') == env['base'] + nf_path(nf_id), 'location %r'
           % heads.get('location'))
    expect(j['heartBeatTimer'] == HB, 'heartBeatTimer %r' % j.get('heartBeatTimer'))
    expect(j['nfInstanceId'] == nf_id and j['nfType'] == 'UDM', 'profile echoed %r' % j)
    code, _, j = curl(env['base'], nf_path(nf_id))
    expect(code == 200 and j['nfServices'][0]['serviceName'] == 'nudm-ueau', 'GET %d' % code)
    code, heads, j = register(env, profile(nf_id, priority=3))
    expect(code == 200 and j['priority'] == 3, 'replace gives 200 with the new profile')
    expect('location' not in heads, 'no Location on 200')
    code, _, _ = curl(env['base'], nf_path(nf_id), 'DELETE')
    expect(code == 204, 'DELETE %d' % code)
    problem(*curl(env['base'], nf_path(nf_id)), 404)
    problem(*curl(env['base'], nf_path(nf_id), 'DELETE'), 404)


@case
def list_by_type(env):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    register(env, profile(ids[0], 'AUSF', services=('nausf-auth',)))
    register(env, profile(ids[1], 'AUSF', services=('nausf-auth',)))
    register(env, profile(ids[2], 'UDR', services=('nudr-dr',)))
    code, _, j = curl(env['base'], '/nnrf-nfm/v1/nf-instances?nf-type=AUSF')
    expect(code == 200, 'list %d' % code)
    # TS 29.510 UriList: _links has the members "item" (an array of {href}) and "self".
    expect(set(j['_links']) == {'item', 'self'}, '_links members %r' % sorted(j['_links']))
    hrefs = sorted(i['href'] for i in j['_links']['item'])
    expect(hrefs == sorted(env['base'] + nf_path(i) for i in ids[:2]), 'item %r' % hrefs)
    expect(j['_links']['self']['href'].endswith('/nnrf-nfm/v1/nf-instances?nf-type=AUSF'),
           'self %r' % j['_links']['self'])
    expect(j['totalItemCount'] == 2, 'totalItemCount %r' % j.get('totalItemCount'))
    code, _, j = curl(env['base'], '/nnrf-nfm/v1/nf-instances?nf-type=AUSF&limit=1')
    expect(len(j['_links']['item']) == 1, 'limit=1 gives one item')
    # totalItemCount is every match, not only those returned.
    expect(j['totalItemCount'] == 2, 'totalItemCount with limit %r' % j.get('totalItemCount'))
    for i in ids:
        curl(env['base'], nf_path(i), 'DELETE')


@case
def patch_heartbeat_and_update(env):
    nf_id = str(uuid.uuid4())
    register(env, profile(nf_id))
    code, _, j = heartbeat(env, nf_id)
    expect(code == 204 and j is None, 'heartbeat answered %d' % code)
    code, _, j = curl(env['base'], nf_path(nf_id), 'PATCH', '[]', 'application/json-patch+json')
    expect(code == 204, 'empty patch answered %d' % code)
    code, _, j = curl(env['base'], nf_path(nf_id), 'PATCH',
                      [{'op': 'replace', 'path': '/nfStatus', 'value': 'REGISTERED'},
                       {'op': 'add', 'path': '/load', 'value': 40}],
                      'application/json-patch+json')
    expect(code == 204, 'heartbeat with load answered %d' % code)
    code, _, j = curl(env['base'], nf_path(nf_id))
    expect(j.get('load') == 40, 'load stored: %r' % j.get('load'))
    code, _, j = heartbeat(env, nf_id, 'SUSPENDED')
    expect(code == 200 and j['nfStatus'] == 'SUSPENDED', 'status change gives 200 + profile')
    expect(nf_id not in discover(env, 'target-nf-type=UDM&requester-nf-type=AUSF'),
           'a SUSPENDED NF is not discovered')
    code, _, j = curl(env['base'], nf_path(nf_id), 'PATCH',
                      [{'op': 'replace', 'path': '/nfStatus', 'value': 'REGISTERED'},
                       {'op': 'add', 'path': '/nfServices/-',
                        'value': {'serviceInstanceId': '9', 'serviceName': 'nudm-sdm',
                                  'scheme': 'http', 'nfServiceStatus': 'REGISTERED',
                                  'versions': []}}],
                      'application/json-patch+json')
    expect(code == 200 and len(j['nfServices']) == 2, 'add a service: %d' % code)
    problem(*curl(env['base'], nf_path(nf_id), 'PATCH',
                  [{'op': 'replace', 'path': '/nfType', 'value': 'AMF'}],
                  'application/json-patch+json'), 400, 'MANDATORY_IE_INCORRECT')
    problem(*curl(env['base'], nf_path(nf_id), 'PATCH',
                  [{'op': 'remove', 'path': '/nope'}], 'application/json-patch+json'), 409)
    problem(*curl(env['base'], nf_path(nf_id), 'PATCH', '{"op":', 'application/json-patch+json'),
            400, 'INVALID_MSG_FORMAT')
    problem(*curl(env['base'], nf_path(nf_id), 'PATCH', '[]', 'text/plain'), 415)
    problem(*heartbeat(env, str(uuid.uuid4())), 404)
    curl(env['base'], nf_path(nf_id), 'DELETE')


@case
def errors_400_404_405(env):
    nf_id = str(uuid.uuid4())
    problem(*curl(env['base'], nf_path(nf_id), 'PUT', '{"nfInstanceId": '), 400,
            'INVALID_MSG_FORMAT')
    problem(*curl(env['base'], nf_path(nf_id), 'PUT', '[1,2]'), 400, 'INVALID_MSG_FORMAT')
    p = profile(nf_id)
    del p['nfType']
    j = problem(*curl(env['base'], nf_path(nf_id), 'PUT', p), 400, 'MANDATORY_IE_MISSING')
    expect(j['invalidParams'][0]['param'] == 'nfType', 'invalidParams %r' % j)
    problem(*curl(env['base'], nf_path(nf_id), 'PUT', profile(str(uuid.uuid4()))), 400,
            'MANDATORY_IE_INCORRECT')
    problem(*curl(env['base'], nf_path(nf_id), 'PUT', profile(nf_id, nfStatus='BUSY')), 400,
            'MANDATORY_IE_INCORRECT')
    problem(*curl(env['base'], nf_path('not-a-uuid'), 'PUT', profile('not-a-uuid')), 400)
    problem(*curl(env['base'], nf_path(nf_id)), 404)
    code, heads, j = curl(env['base'], nf_path(nf_id), 'POST', profile(nf_id))
    problem(code, heads, j, 405)
    expect('PUT' in heads.get('allow', '') and 'PATCH' in heads.get('allow', ''),
           'Allow %r' % heads.get('allow'))
    problem(*curl(env['base'], '/nnrf-disc/v1/nf-instances', 'DELETE'), 405)
    problem(*curl(env['base'], '/nnrf-nfm/v1/nowhere'), 404, 'RESOURCE_URI_STRUCTURE_NOT_FOUND')


# ---------------------------------------------------------------------------------------
# NFDiscovery

@case
def discovery_filters(env):
    udm1, udm2, smf1, smf2 = (str(uuid.uuid4()) for _ in range(4))
    register(env, profile(udm1, services=('nudm-ueau', 'nudm-sdm'),
                          udmInfo={'supiRanges': [{'start': '999700000000000',
                                                   'end': '999700000000099'}]}))
    register(env, profile(udm2, services=('nudm-ueau',),
                          udmInfo={'supiRanges': [{'pattern': '^imsi-999700000000[1-9][0-9]{2}$'}]}))
    register(env, profile(smf1, 'SMF', services=('nsmf-pdusession',),
                          sNssais=[{'sst': 1}],
                          smfInfo={'sNssaiSmfInfoList': [{'sNssai': {'sst': 1},
                                                          'dnnSmfInfoList': [{'dnn': 'internet'}]}]}))
    register(env, profile(smf2, 'SMF', services=('nsmf-pdusession',),
                          sNssais=[{'sst': 1, 'sd': '000001'}],
                          smfInfo={'sNssaiSmfInfoList': [{'sNssai': {'sst': 1, 'sd': '000001'},
                                                          'dnnSmfInfoList': [{'dnn': 'ims'}]}]}))
    base = 'target-nf-type=UDM&requester-nf-type=AUSF'
    expect(discover(env, base) == sorted([udm1, udm2]), 'by type')
    expect(discover(env, base + '&service-names=nudm-sdm') == [udm1], 'by service')
    expect(discover(env, base + '&service-names=nudm-sdm,nudm-ueau') == sorted([udm1, udm2]),
           'by service list')
    expect(discover(env, base + '&service-names=nudm-uecm') == [], 'no such service')
    expect(discover(env, base + '&supi=imsi-999700000000042') == [udm1], 'supi in range')
    expect(discover(env, base + '&supi=imsi-999700000000542') == [udm2], 'supi by pattern')
    expect(discover(env, base + '&supi=imsi-001010000000001') == [], 'supi outside all ranges')
    expect(discover(env, base + '&target-nf-instance-id=' + udm2) == [udm2], 'by instance')
    expect(len(discover(env, base + '&limit=1')) == 1, 'limit')
    smf = 'target-nf-type=SMF&requester-nf-type=AMF'
    expect(discover(env, smf + '&dnn=internet') == [smf1], 'by dnn')
    expect(discover(env, smf + '&dnn=IMS') == [smf2], 'dnn case-insensitive')
    expect(discover(env, smf + '&snssais=%5B%7B%22sst%22%3A1%7D%5D') == [smf1], 'by snssai')
    expect(discover(env, smf + '&snssais=' + '[{"sst":1,"sd":"000001"}]'.replace('"', '%22')
                    .replace('{', '%7B').replace('}', '%7D').replace('[', '%5B')
                    .replace(']', '%5D')) == [smf2], 'by snssai with sd')
    expect(discover(env, smf + '&dnn=internet&snssais=%5B%7B%22sst%22%3A2%7D%5D') == [],
           'dnn and snssai both apply')
    code, _, j = curl(env['base'], '/nnrf-disc/v1/nf-instances?' + base)
    expect(j['validityPeriod'] == VALIDITY, 'validityPeriod %r' % j['validityPeriod'])
    j = problem(*curl(env['base'], '/nnrf-disc/v1/nf-instances?target-nf-type=UDM'), 400,
                'MANDATORY_QUERY_PARAM_MISSING')
    expect(j['invalidParams'][0]['param'] == 'requester-nf-type', 'invalidParams %r' % j)
    problem(*curl(env['base'], '/nnrf-disc/v1/nf-instances?requester-nf-type=UDM'), 400,
            'MANDATORY_QUERY_PARAM_MISSING')
    problem(*curl(env['base'], '/nnrf-disc/v1/nf-instances?' + base + '&snssais=%5B%7B'), 400,
            'INVALID_QUERY_PARAM')
    problem(*curl(env['base'], '/nnrf-disc/v1/nf-instances?' + base + '&limit=x'), 400,
            'INVALID_QUERY_PARAM')
    for i in (udm1, udm2, smf1, smf2):
        curl(env['base'], nf_path(i), 'DELETE')


def q(obj):
    """A JSON-typed query parameter (TS 29.501 5.2.3.2.6), percent-encoded."""
    return urllib.parse.quote(json.dumps(obj, separators=(',', ':')), safe='')


def discovered(env, query):
    code, _, j = curl(env['base'], '/nnrf-disc/v1/nf-instances?' + query)
    expect(code == 200, 'discovery: %d %s' % (code, j))
    return {p['nfInstanceId']: p for p in j['nfInstances']}


@case
def discovery_allowed(env):
    """TS 29.510 5.3.2.2.2: allowedNfTypes / allowedPlmns / allowedNssais of the NFProfile
    and of its NFServices limit who discovers what."""
    only_udm, plmn, nssai, per_svc = (str(uuid.uuid4()) for _ in range(4))
    register(env, profile(only_udm, 'AUSF', services=('nausf-auth',), allowedNfTypes=['UDM']))
    register(env, profile(plmn, 'AUSF', services=('nausf-auth',),
                          allowedPlmns=[{'mcc': '001', 'mnc': '01'}]))
    register(env, profile(nssai, 'AUSF', services=('nausf-auth',), allowedNssais=[{'sst': 2}]))
    p = profile(per_svc, 'AUSF', services=('nausf-auth', 'nausf-sorprotection'))
    p['nfServices'][0]['allowedNfTypes'] = ['SMF']
    register(env, p)
    amf = 'target-nf-type=AUSF&requester-nf-type=AMF'
    udm = 'target-nf-type=AUSF&requester-nf-type=UDM'
    # Profile-level allowedNfTypes.
    got = discovered(env, amf)
    expect(only_udm not in got, 'an AUSF for UDMs only is not given to an AMF')
    expect(only_udm in discovered(env, udm), 'it is given to a UDM')
    # allowedPlmns: the requester in the NRF's PLMN (999/70, no requester-plmn-list) or in
    # another one.
    expect(plmn not in got, 'PLMN 001/01 only: not for a requester of 999/70')
    expect(plmn in discovered(env, amf + '&requester-plmn-list=' +
                              q([{'mcc': '001', 'mnc': '01'}])), 'given to 001/01')
    expect(plmn not in discovered(env, amf + '&requester-plmn-list=' +
                                  q([{'mcc': '999', 'mnc': '70'}])), 'not to 999/70')
    # allowedNssais against requester-snssais (not checked when absent).
    expect(nssai in got, 'no requester-snssais: not narrowed')
    expect(nssai not in discovered(env, amf + '&requester-snssais=' + q([{'sst': 1}])),
           'slice 2 only: not for a requester of slice 1')
    expect(nssai in discovered(env, amf + '&requester-snssais=' + q([{'sst': 1}, {'sst': 2}])),
           'given to a requester of slice 2')
    # NFService-level allowedNfTypes: the refused service is left out of the profile.
    expect(per_svc in got, 'the profile has a service the AMF may use')
    names = [s['serviceName'] for s in got[per_svc]['nfServices']]
    expect(names == ['nausf-sorprotection'], 'AMF sees only the allowed service: %r' % names)
    expect(per_svc not in discovered(env, amf + '&service-names=nausf-auth'),
           'nausf-auth is not for AMFs')
    smf = discovered(env, 'target-nf-type=AUSF&requester-nf-type=SMF&service-names=nausf-auth')
    expect(per_svc in smf and len(smf[per_svc]['nfServices']) == 2, 'an SMF gets both')
    for i in (only_udm, plmn, nssai, per_svc):
        curl(env['base'], nf_path(i), 'DELETE')


@case
def discovery_supi_pattern_is_anchored(env):
    """TS 29.510 6.1.6.2.9 SupiRange: the SUPI must match the pattern as a whole."""
    nf = str(uuid.uuid4())
    register(env, profile(nf, services=('nudm-ueau',),
                          udmInfo={'supiRanges': [{'pattern': 'imsi-9997000000007[0-9]'}]}))
    base = 'target-nf-type=UDM&requester-nf-type=AUSF&target-nf-instance-id=' + nf
    expect(discover(env, base + '&supi=imsi-99970000000071') == [nf], 'full match')
    expect(discover(env, base + '&supi=imsi-999700000000771') == [], 'a prefix is no match')
    expect(discover(env, base + '&supi=xximsi-99970000000071') == [], 'nor a suffix')
    curl(env['base'], nf_path(nf), 'DELETE')


@case
def bad_supi_pattern_refused(env):
    """A SupiRange pattern that is no regular expression is refused at NFRegister and
    NFUpdate (400): pasted into "^(...)$" "x)|(.*" used to match every SUPI."""
    nf = str(uuid.uuid4())
    for pat in ('x)|(.*', 'x\\', '(', 'a{2,1}'):
        env['cleanup'].add(nf)
        problem(*curl(env['base'], nf_path(nf), 'PUT',
                      profile(nf, udmInfo={'supiRanges': [{'pattern': pat}]})),
                400, 'MANDATORY_IE_INCORRECT')
    problem(*curl(env['base'], nf_path(nf)), 404)
    register(env, profile(nf, udmInfo={'supiRanges': [{'pattern': 'imsi-99970000000079'}]}))
    problem(*curl(env['base'], nf_path(nf), 'PATCH',
                  [{'op': 'replace', 'path': '/udmInfo/supiRanges/0/pattern',
                    'value': 'x)|(.*'}], 'application/json-patch+json'),
            400, 'MANDATORY_IE_INCORRECT')
    base = 'target-nf-type=UDM&requester-nf-type=AUSF&target-nf-instance-id=' + nf
    expect(discover(env, base + '&supi=imsi-001010000000001') == [], 'pattern unchanged')
    expect(discover(env, base + '&supi=imsi-99970000000079') == [nf], 'pattern still matches')
    curl(env['base'], nf_path(nf), 'DELETE')


# ---------------------------------------------------------------------------------------
# Subscriptions and notifications

def subscribe(env, listener_port, tag, **extra):
    data = {'nfStatusNotificationUri': 'http://127.0.0.1:%d/notify/%s' % (listener_port, tag)}
    data.update(extra)
    code, heads, j = curl(env['base'], '/nnrf-nfm/v1/subscriptions', 'POST', data)
    expect(code == 201, 'subscribe: %d %s' % (code, j))
    sid = j['subscriptionId']
    expect(heads.get('location') == env['base'] + '/nnrf-nfm/v1/subscriptions/' + sid,
           'location %r' % heads.get('location'))
    return sid


def notification(listener, tag, timeout=5.0):
    m = listener.wait_line(r'^notify %s (.*)$' % tag, timeout)
    return json.loads(m.group(1))


@case
def subscribe_and_notify(env):
    lst = env['listener']
    sid = subscribe(env, env['listener_port'], 'all')
    sid_amf = subscribe(env, env['listener_port'], 'amf', subscrCond={'nfType': 'AMF'},
                        reqNotifEvents=['NF_DEREGISTERED'])
    nf_id = str(uuid.uuid4())
    register(env, profile(nf_id, 'UDR', services=('nudr-dr',)))
    n = notification(lst, 'all')
    expect(n['event'] == 'NF_REGISTERED', 'event %r' % n['event'])
    expect(n['nfInstanceUri'] == env['base'] + nf_path(nf_id), 'nfInstanceUri %r'
           % n['nfInstanceUri'])
    expect(n['nfProfile']['nfInstanceId'] == nf_id, 'nfProfile in NF_REGISTERED')
    heartbeat(env, nf_id, 'SUSPENDED')
    n = notification(lst, 'all')
    expect(n['event'] == 'NF_PROFILE_CHANGED' and n['nfProfile']['nfStatus'] == 'SUSPENDED',
           'profile change %r' % n)
    heartbeat(env, nf_id)
    n = notification(lst, 'all')
    expect(n['event'] == 'NF_PROFILE_CHANGED', 'back to REGISTERED')
    curl(env['base'], nf_path(nf_id), 'DELETE')
    n = notification(lst, 'all')
    expect(n['event'] == 'NF_DEREGISTERED' and 'nfProfile' not in n, 'deregistered %r' % n)
    # The AMF-only subscription saw none of that; it sees an AMF's deregistration only.
    amf = str(uuid.uuid4())
    register(env, profile(amf, 'AMF', services=('namf-comm',)))
    expect(notification(lst, 'all')['event'] == 'NF_REGISTERED', 'AMF registered')
    curl(env['base'], nf_path(amf), 'DELETE')
    n = notification(lst, 'amf')
    expect(n['event'] == 'NF_DEREGISTERED' and n['nfInstanceUri'].endswith(amf), 'amf cond')
    notification(lst, 'all')
    for s in (sid, sid_amf):
        code, _, _ = curl(env['base'], '/nnrf-nfm/v1/subscriptions/' + s, 'DELETE')
        expect(code == 204, 'unsubscribe %d' % code)
    problem(*curl(env['base'], '/nnrf-nfm/v1/subscriptions/' + sid, 'DELETE'), 404)
    register(env, profile(nf_id))
    lst.no_line(r'^notify ', 0.5)
    curl(env['base'], nf_path(nf_id), 'DELETE')


@case
def subscribe_errors(env):
    problem(*curl(env['base'], '/nnrf-nfm/v1/subscriptions', 'POST', '{'), 400,
            'INVALID_MSG_FORMAT')
    problem(*curl(env['base'], '/nnrf-nfm/v1/subscriptions', 'POST', {'reqNfType': 'AMF'}), 400,
            'MANDATORY_IE_MISSING')
    problem(*curl(env['base'], '/nnrf-nfm/v1/subscriptions', 'POST',
                  {'nfStatusNotificationUri': 'ftp://x/y'}), 400, 'MANDATORY_IE_INCORRECT')
    problem(*curl(env['base'], '/nnrf-nfm/v1/subscriptions', 'POST',
                  {'nfStatusNotificationUri': 'http://127.0.0.1:1/n',
                   'reqNotifEvents': ['NF_EXPLODED']}), 400, 'MANDATORY_IE_INCORRECT')


@case
def heartbeat_expiry(env):
    lst = env['listener']
    nf_id = str(uuid.uuid4())
    sid = subscribe(env, env['listener_port'], 'exp', subscrCond={'nfInstanceId': nf_id})
    t0 = time.monotonic()
    register(env, profile(nf_id, 'PCF', services=('npcf-smpolicycontrol',)))
    expect(notification(lst, 'exp')['event'] == 'NF_REGISTERED', 'registered')
    # Heartbeats keep it REGISTERED beyond the timer ...
    for _ in range(3):
        time.sleep(HB * 0.6)
        code, _, _ = heartbeat(env, nf_id)
        expect(code == 204, 'heartbeat %d' % code)
    _, _, j = curl(env['base'], nf_path(nf_id))
    expect(j['nfStatus'] == 'REGISTERED', 'still REGISTERED after %.1fs of heartbeats'
           % (time.monotonic() - t0))
    # ... silence makes it SUSPENDED, then removed, each step notified.
    n = notification(lst, 'exp', HB * 3)
    expect(n['event'] == 'NF_PROFILE_CHANGED' and n['nfProfile']['nfStatus'] == 'SUSPENDED',
           'suspended %r' % n)
    _, _, j = curl(env['base'], nf_path(nf_id))
    expect(j['nfStatus'] == 'SUSPENDED', 'GET shows SUSPENDED')
    expect(nf_id not in discover(env, 'target-nf-type=PCF&requester-nf-type=SMF'),
           'not discoverable while SUSPENDED')
    # A heartbeat that leaves nfStatus alone (an empty PatchDocument) revives it: the
    # profile changes back to REGISTERED, so 200 with the profile (TS 29.510 5.2.2.3.2),
    # subscribers are told, and discovery returns it again.
    code, _, j = curl(env['base'], nf_path(nf_id), 'PATCH', '[]', 'application/json-patch+json')
    expect(code == 200 and j.get('nfStatus') == 'REGISTERED',
           'heartbeat after suspension: %d %r' % (code, j))
    n = notification(lst, 'exp', HB * 3)
    expect(n['event'] == 'NF_PROFILE_CHANGED' and n['nfProfile']['nfStatus'] == 'REGISTERED',
           'resumed %r' % n)
    _, _, j = curl(env['base'], nf_path(nf_id))
    expect(j['nfStatus'] == 'REGISTERED', 'GET shows REGISTERED after the heartbeat')
    expect(nf_id in discover(env, 'target-nf-type=PCF&requester-nf-type=SMF'),
           'discoverable again after the heartbeat')
    code, _, _ = curl(env['base'], nf_path(nf_id), 'PATCH', '[]', 'application/json-patch+json')
    expect(code == 204, 'next heartbeat changes nothing: %d' % code)
    # Silent again: SUSPENDED, then removed.
    n = notification(lst, 'exp', HB * 3)
    expect(n['event'] == 'NF_PROFILE_CHANGED' and n['nfProfile']['nfStatus'] == 'SUSPENDED',
           'suspended again %r' % n)
    n = notification(lst, 'exp', HB * 3)
    expect(n['event'] == 'NF_DEREGISTERED', 'removed %r' % n)
    problem(*curl(env['base'], nf_path(nf_id)), 404)
    curl(env['base'], '/nnrf-nfm/v1/subscriptions/' + sid, 'DELETE')


@case
def heartbeat_expiry_keeps_undiscoverable(env):
    """An UNDISCOVERABLE NF suspended for missed heartbeats gets UNDISCOVERABLE back
    (not REGISTERED) with its next heartbeat."""
    lst = env['listener']
    nf_id = str(uuid.uuid4())
    sid = subscribe(env, env['listener_port'], 'und', subscrCond={'nfInstanceId': nf_id})
    p = profile(nf_id, 'PCF', services=('npcf-smpolicycontrol',))
    p['nfStatus'] = 'UNDISCOVERABLE'
    register(env, p)
    expect(notification(lst, 'und')['event'] == 'NF_REGISTERED', 'registered')
    n = notification(lst, 'und', HB * 3)
    expect(n['event'] == 'NF_PROFILE_CHANGED' and n['nfProfile']['nfStatus'] == 'SUSPENDED',
           'suspended %r' % n)
    code, _, j = curl(env['base'], nf_path(nf_id), 'PATCH', '[]', 'application/json-patch+json')
    expect(code == 200 and j.get('nfStatus') == 'UNDISCOVERABLE',
           'heartbeat after suspension: %d %r' % (code, j))
    n = notification(lst, 'und', HB * 3)
    expect(n['event'] == 'NF_PROFILE_CHANGED' and
           n['nfProfile']['nfStatus'] == 'UNDISCOVERABLE', 'resumed %r' % n)
    expect(nf_id not in discover(env, 'target-nf-type=PCF&requester-nf-type=SMF'),
           'still not discoverable')
    curl(env['base'], nf_path(nf_id), 'DELETE')
    curl(env['base'], '/nnrf-nfm/v1/subscriptions/' + sid, 'DELETE')


# ---------------------------------------------------------------------------------------
# The NRF client over TCP (nrf-peer processes), sen-core, configuration, metrics

@case
def nrf_client_over_tcp(env):
    udm = Proc([NRF_PEER, '127.0.0.1', '--nrf', env['authority'], '--type', 'UDM',
                '--service', 'nudm-ueau', '--supi-range', '999700000000000-999700000000099'])
    udm.wait_line(r'^port \d+')
    m = udm.wait_line(r'^registered (\S+) heartbeat (\d+)')
    udm_id = m.group(1)
    expect(int(m.group(2)) == HB, 'heartbeat granted %s' % m.group(2))
    ausf = Proc([NRF_PEER, '127.0.0.1', '--nrf', env['authority'], '--type', 'AUSF',
                 '--service', 'nausf-auth'], stdin=True)
    ausf.wait_line(r'^registered ')
    code, _, j = curl(env['base'], nf_path(udm_id))
    expect(code == 200 and j['udmInfo']['supiRanges'][0]['start'] == '999700000000000',
           'UDM profile at the NRF: %d' % code)
    expect(j['nfServices'][0]['ipEndPoints'][0]['ipv4Address'] == '127.0.0.1',
           'ipEndPoints %r' % j['nfServices'][0])
    # AUSF -> {UDM, nudm-ueau, supi}: discovery at the NRF, then HTTP/2 to the UDM process.
    ausf.send('call UDM nudm-ueau imsi-999700000000007\n')
    m = ausf.wait_line(r'^answer (.*)')
    expect(m.group(1).startswith('200 '), 'answer %s' % m.group(1))
    a = json.loads(m.group(1)[4:])
    expect(a == {'pong': 'imsi-999700000000007', 'local': False}, 'reached the UDM %r' % a)
    ausf.send('call UDM nudm-ueau imsi-001010000000001\n')
    m = ausf.wait_line(r'^answer (.*)')
    expect(m.group(1) == 'error not found', 'SUPI outside the range: %s' % m.group(1))
    ausf.send('call UDM nudm-sdm imsi-999700000000007\n')
    m = ausf.wait_line(r'^answer (.*)')
    expect(m.group(1) == 'error not found', 'no such service: %s' % m.group(1))
    # Heartbeats keep the UDM registered past the expiry time.
    time.sleep(HB * 2.5)
    _, _, j = curl(env['base'], nf_path(udm_id))
    expect(j and j['nfStatus'] == 'REGISTERED', 'UDM kept alive by heartbeats: %r' % j)
    # NRF lost the profile: the next heartbeat gets 404 and the client registers again.
    curl(env['base'], nf_path(udm_id), 'DELETE')
    udm.wait_line(r'^unregistered', HB * 2)
    udm.wait_line(r'^registered ' + udm_id, HB * 2)
    # SIGTERM: deregistration.
    expect(udm.stop() == 0, 'nrf-peer exit status')
    expect(any(l == 'stopped' for l in udm.seen) or udm.wait_line('^stopped', 1), 'stopped')
    problem(*curl(env['base'], nf_path(udm_id)), 404)
    ausf.stop()


@case
def sen_core_runs_nrf(env):
    port = free_port()
    cfg = write_config('core.yaml', ['sbi: 127.0.0.1:%d' % port, 'heartbeat: 5'])
    core = Proc([SEN_CORE, '-c', cfg, '--nf', 'nrf'])
    core.wait_line(r'nrf: started')
    base = 'http://127.0.0.1:%d' % port
    nf_id = str(uuid.uuid4())
    code, _, j = curl(base, nf_path(nf_id), 'PUT', profile(nf_id))
    expect(code == 201 and j['heartBeatTimer'] == 5, 'sen-core NRF answers %d' % code)
    t0 = time.monotonic()
    rc = core.stop()
    expect(rc == 0, 'exit status %s' % rc)
    expect(time.monotonic() - t0 < 2, 'stopped within 2 s')
    expect(any('sen-core: stopped' in l for l in core.seen) or
           core.wait_line('sen-core: stopped', 1), 'clean stop logged')
    p = subprocess.run([SEN_CORE, '-c', cfg, '--nf', 'nrf,bogus'], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=10)
    expect(p.returncode == 2 and b'bogus' in p.stderr, 'unknown NF refused')


def bad_config(lines, key, what):
    cfg = write_config('bad.yaml', lines)
    p = subprocess.run([SEN_NRF, '-c', cfg], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=10)
    err = p.stderr.decode().strip().splitlines()
    expect(p.returncode == 1, 'exit status %d' % p.returncode)
    expect(len(err) == 1, 'one line expected: %r' % err)
    expect(re.search(r'bad\.yaml:\d+: %s: .*%s' % (re.escape(key), what), err[0]),
           'message %r' % err[0])


@case
def bad_configuration(env):
    bad_config(['sbi: 127.0.0.1:7777', 'heartbeat: 0'], 'nrf.heartbeat', 'range')
    bad_config(['sbi: 127.0.0.1:7777', 'validity: lots'], 'nrf.validity', '')
    bad_config(['sbi: 127.0.0.1:99999'], 'nrf.sbi', '')
    bad_config(['sbi: 127.0.0.1:7777', 'heartbeats: 3'], 'nrf.heartbeats', '')
    bad_config(['heartbeat: 3'], 'nrf.sbi', '')


def metrics_text(env):
    with socket.create_connection(('127.0.0.1', env['metrics_port']), timeout=5) as s:
        s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        data = b''
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.decode()


def metric_value(text, series):
    for line in text.splitlines():
        if line.startswith(series + ' '):
            return int(line.split()[-1])
    return 0


@case
def metrics_by_service_and_status(env):
    # Requests the router refuses before any NRF handler runs are counted too: 405 under
    # the API's name, 404 under it when the API is served, else under "unknown".
    refused = {('nnrf-disc', '405'): ('/nnrf-disc/v1/nf-instances', 'DELETE'),
               ('nnrf-nfm', '404'): ('/nnrf-nfm/v1/no/such/resource', 'GET'),
               ('unknown', '404'): ('/no-such-api/v1/x', 'GET')}
    before = metrics_text(env)
    for (svc, status), (path, method) in refused.items():
        code, _, _ = curl(env['base'], path, method)
        expect(code == int(status), '%s %s: %d' % (method, path, code))
    text = metrics_text(env)
    for svc, status in refused:
        series = 'sen_sbi_requests_total{service="%s",status="%s"}' % (svc, status)
        expect(metric_value(text, series) == metric_value(before, series) + 1,
               '%s not counted once: %d -> %d' % (series, metric_value(before, series),
                                                  metric_value(text, series)))
    expect('service="no-such-api"' not in text, 'a peer chose a label')
    for series in ('sen_sbi_requests_total{service="nnrf-nfm",status="201"}',
                   'sen_sbi_requests_total{service="nnrf-disc",status="200"}',
                   'sen_sbi_requests_total{service="nnrf-disc",status="400"}',
                   'sen_sbi_requests_total{service="nnrf-nfm",status="404"}'):
        expect(series in text, 'metrics lack %s' % series)
    expect('sen_nrf_notifications_total{result="ok"}' in text, 'notification metric')


def cleanup(env):
    """Remove what a case registered (also after a failure) so cases stay independent."""
    for nf_id in env.get('cleanup', ()):
        try:
            curl(env['base'], nf_path(nf_id), 'DELETE')
        except Exception:  # noqa: BLE001 - best effort
            pass
    if 'listener' in env:
        try:
            env['listener'].no_line(r'^$', 0.2)   # read and forget pending notifications
        except AssertionError:
            pass
        env['listener'].pending = []


def main():
    port, mport = free_port(), free_port()
    cfg = write_config('sen.yaml', ['sbi: 127.0.0.1:%d' % port, 'heartbeat: %d' % HB,
                                    'validity: %d' % VALIDITY], mport)
    env = {'authority': '127.0.0.1:%d' % port, 'base': 'http://127.0.0.1:%d' % port,
           'metrics_port': mport}
    print('1..%d' % len(cases))
    failed = 0
    try:
        nrf = Proc([SEN_NRF, '-c', cfg])
        nrf.wait_line(r'nrf: started')
        listener = Proc([NRF_PEER, '127.0.0.1'])
        env['listener_port'] = int(listener.wait_line(r'^port (\d+)').group(1))
        env['listener'] = listener
        setup = None
    except Exception as e:  # noqa: BLE001 - reported as failures below
        setup = e
    for i, fn in enumerate(cases, 1):
        try:
            if setup:
                raise AssertionError('setup failed: %s' % setup)
            env['cleanup'] = set()
            try:
                fn(env)
            finally:
                cleanup(env)
            print('ok %d - %s' % (i, fn.__name__))
        except Exception as e:  # noqa: BLE001
            failed += 1
            print('not ok %d - %s' % (i, fn.__name__))
            for line in str(e).splitlines():
                print('# ' + line)
        sys.stdout.flush()
    if not setup:
        rc = nrf.stop()
        if rc != 0:
            print('# sen-nrf exit status %s' % rc)
            failed += 1
    for p in procs:
        p.kill()
    return 1 if failed else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    finally:
        for p in procs:
            p.kill()
