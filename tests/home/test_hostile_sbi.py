#!/usr/bin/env python3
"""A hostile SBI client against the real home-network daemons (DESIGN.md, Bad input:
"everything a peer sends is hostile ... keep serving everyone else").

sen-nrf, sen-udr (SQLite), sen-udm and sen-ausf run as processes on loopback, configured
and started with the helpers of test_daemons.py. For each daemon, a seeded generator takes
valid requests (NF register / discover / subscribe, subscriber create / get / update,
authentication-subscription, SDM gets, UECM, 5G-AKA start and confirmation) and mutates them:
 - at HTTP level: methods, paths with %-escapes, "..", overlong paths, bad SUPIs and
   SUCIs, query parameters repeated / empty / overlong, absent or bad content-type,
   headers in numbers or of forbidden kinds, bodies empty / huge / invalid UTF-8 / deeply
   nested / with duplicate keys, wrong JSON types, huge numbers, nulls;
 - at HTTP/2 level (frames written by hand, RFC 9113): bad prefaces, HTTP/1.1, frames on
   stream 0 or even streams, bad SETTINGS and WINDOW_UPDATE, CONTINUATION floods, rapid
   reset (CVE-2023-44487), PING floods, DATA beyond the window, requests abandoned while
   their handler waits for a peer, idle and half-sent connections.
Every answer must be a well-formed HTTP/2 response; a 4xx/5xx carries an
application/problem+json ProblemDetails whose status matches; no 5xx for a client's error
(501 only for an unknown method); no stream is left without an answer while its connection
lives. A daemon may refuse a stream (RST_STREAM) or a connection (GOAWAY) that breaks
HTTP/2. Afterwards every daemon is alive, a 5G-AKA across NRF/UDR/UDM/AUSF still works,
the protected subscribers are unchanged, and each daemon stops cleanly on SIGTERM (so
that an ASan build also reports its leaks).

The seed is fixed and printed; SEN_HOSTILE_SEED=N picks another, SEN_HOSTILE_N=N the number
of mutated requests per daemon (default 1000, 4,000 in all) for longer manual runs.

Usage: test_hostile_sbi.py --nrf EXE --udr EXE --udm EXE --ausf EXE --tool EXE --keys DIR
Prints TAP. Needs Python's h2 (Debian python3-h2, scripts/deps.sh).
"""
import argparse
import json
import os
import random
import socket
import struct
import sys
import time
import traceback
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_daemons as td  # noqa: E402

try:
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions
    import hpack
except ImportError:
    # The Debian package, when python3 is another interpreter (pyenv, venv).
    sys.path.append('/usr/lib/python3/dist-packages')
    try:
        import h2.config
        import h2.connection
        import h2.events
        import h2.exceptions
        import hpack
    except ImportError:
        h2 = None

E = td.E
SEED = int(os.environ.get('SEN_HOSTILE_SEED', '20240605'))
N_PER_NF = int(os.environ.get('SEN_HOSTILE_N', '1000'))
TIMEOUT = float(os.environ.get('SEN_HOSTILE_TIMEOUT', '15'))

PROTECTED = [td.SUPI, 'imsi-999700000000002']
VICTIMS = ['imsi-9997000000009%02d' % i for i in range(10)]
SBI_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS')
STD_METHODS = ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT')

cases = []


def case(fn):
    cases.append(fn)
    return fn


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


# ---------------------------------------------------------------------------------------
# A hostile HTTP/2 client: h2's state machine with every outbound check off

class Conn:
    def __init__(self, authority):
        host, port = authority.rsplit(':', 1)
        self.authority = authority
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        cfg = h2.config.H2Configuration(client_side=True, header_encoding=None,
                                        validate_outbound_headers=False,
                                        normalize_outbound_headers=False,
                                        validate_inbound_headers=False)
        self.c = h2.connection.H2Connection(cfg)
        self.c.initiate_connection()
        self.c.increment_flow_control_window(1 << 30)
        self.dead = None
        self.flush()

    def flush(self):
        data = self.c.data_to_send()
        if data and not self.dead:
            try:
                self.sock.sendall(data)
            except OSError as e:
                self.dead = 'send: %s' % e

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def pump(self, streams, deadline):
        """Read once and apply the events to `streams` (id -> dict)."""
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = self.sock.recv(1 << 16)
        except socket.timeout:
            return
        except OSError as e:
            self.dead = 'recv: %s' % e
            return
        if not data:
            self.dead = 'closed by the daemon'
            return
        try:
            events = self.c.receive_data(data)
        except h2.exceptions.ProtocolError as e:
            # The daemon broke HTTP/2 (or h2 does not follow us after our own abuse).
            self.dead = 'protocol error from the daemon: %r' % e
            self.broken = repr(e)
            return
        for ev in events:
            s = streams.get(getattr(ev, 'stream_id', None))
            if isinstance(ev, h2.events.ResponseReceived) and s is not None:
                s['headers'] = ev.headers
            elif isinstance(ev, h2.events.DataReceived):
                if s is not None:
                    s['body'] += ev.data
                if ev.flow_controlled_length:
                    try:
                        self.c.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                    except h2.exceptions.StreamClosedError:
                        pass
            elif isinstance(ev, h2.events.StreamEnded) and s is not None:
                s['done'] = True
            elif isinstance(ev, h2.events.StreamReset) and s is not None:
                s['reset'] = ev.error_code
                s['done'] = True
            elif isinstance(ev, h2.events.ConnectionTerminated):
                self.dead = 'GOAWAY %s' % ev.error_code
        self.flush()

    def batch(self, reqs):
        """Send the requests on concurrent streams; return one dict per request with
        headers / body / reset / done, or None for a request never sent."""
        self.broken = None
        streams, out, pending = {}, [], []
        for method, path, headers, body in reqs:
            if self.dead:
                out.append(None)
                continue
            sid = self.c.get_next_available_stream_id()
            hdrs = [(b':method', method), (b':scheme', b'http'),
                    (b':authority', self.authority.encode()), (b':path', path)] + headers
            hdrs = [h for h in hdrs if h[1] is not None]
            try:
                self.c.send_headers(sid, hdrs, end_stream=body is None)
            except h2.exceptions.H2Error:
                out.append(None)
                continue
            s = {'id': sid, 'headers': None, 'body': b'', 'reset': None, 'done': False,
                 'method': method}
            streams[sid] = s
            out.append(s)
            if body is not None:
                pending.append([sid, body])
            self.flush()
        deadline = time.monotonic() + TIMEOUT
        while not self.dead and time.monotonic() < deadline:
            # Bodies as the flow-control windows allow; none after the stream is answered.
            for p in pending:
                sid, body = p
                if streams[sid]['done']:
                    if body is not None:
                        try:
                            self.c.reset_stream(sid, 8)  # CANCEL
                        except h2.exceptions.H2Error:
                            pass
                        p[1] = None
                    continue
                while body is not None:
                    try:
                        n = min(len(body), self.c.local_flow_control_window(sid),
                                self.c.max_outbound_frame_size)
                    except h2.exceptions.H2Error:
                        p[1] = body = None
                        break
                    if n == 0 and body:
                        break
                    try:
                        self.c.send_data(sid, body[:n], end_stream=(n == len(body)))
                    except h2.exceptions.H2Error:
                        p[1] = body = None
                        break
                    body = body[n:] if n < len(body) else None
                    p[1] = body
            self.flush()
            if all(s['done'] for s in streams.values()):
                break
            self.pump(streams, deadline)
        return out


# ---------------------------------------------------------------------------------------
# Valid requests, per daemon: (method, path template, body); {supi} is a subscriber, {ro}
# says the request only reads (a protected subscriber may take it).

SNN = td.SNN
UUID_POOL = ['3f2a6c1e-0000-4000-8000-%012d' % i for i in range(50)]


def nf_profile(r, nf_id):
    return {'nfInstanceId': nf_id, 'nfType': r.choice(['AMF', 'SMF', 'PCF', 'NSSF']),
            'nfStatus': 'REGISTERED', 'heartBeatTimer': 30,
            'ipv4Addresses': ['127.0.0.%d' % r.randint(200, 250)],
            'plmnList': [{'mcc': '999', 'mnc': '70'}],
            'sNssais': [{'sst': 1}, {'sst': 2, 'sd': '000001'}],
            'nfServices': [{'serviceInstanceId': '1', 'serviceName': 'namf-comm',
                            'versions': [{'apiVersionInUri': 'v1', 'apiFullVersion': '1.0.0'}],
                            'scheme': 'http', 'nfServiceStatus': 'REGISTERED'}]}


def prov_subscriber(supi):
    return {'supi': supi, 'k': '465b5ce8b199b49faa5f0a2ee238a6bc',
            'opc': 'e8ed289deba952e4283b54e88e6183ca', 'amf': '8000', 'sqn': '000000000020',
            'gpsis': ['msisdn-4915112345678'],
            'subscribedUeAmbr': {'uplink': '1 Gbps', 'downlink': '2 Gbps'},
            'slices': [{'sst': 1, 'default': True, 'dnns': [
                {'dnn': 'internet', 'default': True, 'pduSessionType': 'IPV4', '5qi': 9,
                 'arp': {'priorityLevel': 8, 'preemptCap': 'NOT_PREEMPT',
                         'preemptVuln': 'PREEMPTABLE'},
                 'sessionAmbr': {'uplink': '100 Mbps', 'downlink': '1 Gbps'},
                 'staticIpv4': '10.45.0.9'}]},
                {'sst': 2, 'sd': '000001', 'dnns': [{'dnn': 'ims', '5qi': 5}]}]}


def base_nrf(r):
    nf_id = r.choice(UUID_POOL)
    return r.choice([
        ('PUT', '/nnrf-nfm/v1/nf-instances/' + nf_id, nf_profile(r, nf_id), False),
        ('PATCH', '/nnrf-nfm/v1/nf-instances/' + nf_id,
         [{'op': 'replace', 'path': '/nfStatus', 'value': 'REGISTERED'}], False),
        ('DELETE', '/nnrf-nfm/v1/nf-instances/' + nf_id, None, False),
        ('GET', '/nnrf-nfm/v1/nf-instances/' + nf_id, None, True),
        ('GET', '/nnrf-nfm/v1/nf-instances?nf-type=AMF&limit=5', None, True),
        ('GET', '/nnrf-disc/v1/nf-instances?target-nf-type=UDM&requester-nf-type=AUSF'
         '&supi={supi}', None, True),
        ('GET', '/nnrf-disc/v1/nf-instances?target-nf-type=SMF&requester-nf-type=AMF'
         '&dnn=internet&snssais=%5B%7B%22sst%22%3A1%7D%5D', None, True),
        ('POST', '/nnrf-nfm/v1/subscriptions',
         {'nfStatusNotificationUri': 'http://127.0.0.1:9/cb', 'subscrCond': {'nfType': 'SMF'},
          'reqNfType': 'AMF'}, False),
        ('DELETE', '/nnrf-nfm/v1/subscriptions/%d' % r.randint(0, 99), None, False),
    ])


def base_udr(r):
    dr = '/nudr-dr/v2/subscription-data/{supi}'
    return r.choice([
        ('POST', '/sen-prov/v1/subscribers', prov_subscriber('{victim}'), False),
        ('GET', '/sen-prov/v1/subscribers/{supi}?secrets=true', None, True),
        ('GET', '/sen-prov/v1/subscribers?limit=3&after={supi}', None, True),
        ('PUT', '/sen-prov/v1/subscribers/{supi}', prov_subscriber('{supi}'), False),
        ('DELETE', '/sen-prov/v1/subscribers/{supi}', None, False),
        ('GET', dr + '/authentication-data/authentication-subscription', None, True),
        ('PATCH', dr + '/authentication-data/authentication-subscription',
         [{'op': 'replace', 'path': '/sequenceNumber/sqn', 'value': '000000000100'}], False),
        ('PUT', dr + '/authentication-data/authentication-status',
         {'nfInstanceId': UUID_POOL[0], 'success': True, 'timeStamp': '2024-01-01T00:00:00Z',
          'authType': '5G_AKA', 'servingNetworkName': SNN}, False),
        ('GET', dr + '/authentication-data/authentication-status', None, True),
        ('GET', dr + '/99970/provisioned-data/am-data', None, True),
        ('GET', dr + '/99970/provisioned-data/sm-data?single-nssai=%7B%22sst%22%3A1%7D&dnn=ims',
         None, True),
        ('GET', dr + '/99970/provisioned-data/smf-selection-subscription-data', None, True),
        ('PUT', dr + '/context-data/amf-3gpp-access', uecm_reg(), False),
        ('GET', dr + '/context-data/amf-3gpp-access', None, True),
        ('POST', '/sen-udr-auth/v1/{supi}/sqn-advance', {}, False),
    ])


def uecm_reg():
    return {'amfInstanceId': UUID_POOL[1], 'deregCallbackUri': 'http://127.0.0.1:9/dereg',
            'guami': {'plmnId': {'mcc': '999', 'mnc': '70'}, 'amfId': '020040'},
            'ratType': 'NR'}


def base_udm(r):
    return r.choice([
        ('POST', '/nudm-ueau/v1/{supi}/security-information/generate-auth-data',
         {'servingNetworkName': SNN, 'ausfInstanceId': UUID_POOL[2]}, True),
        ('POST', '/nudm-ueau/v1/{supi}/security-information/generate-auth-data',
         {'servingNetworkName': SNN, 'ausfInstanceId': UUID_POOL[2],
          'resynchronizationInfo': {'rand': '00' * 16, 'auts': '11' * 14}}, True),
        ('POST', '/nudm-ueau/v1/{supi}/auth-events',
         {'nfInstanceId': UUID_POOL[2], 'success': True, 'timeStamp': '2024-01-01T00:00:00Z',
          'authType': '5G_AKA', 'servingNetworkName': SNN}, True),
        ('GET', '/nudm-sdm/v2/{supi}/am-data?plmn-id=%7B%22mcc%22%3A%22999%22%2C%22mnc%22%3A'
         '%2270%22%7D', None, True),
        ('GET', '/nudm-sdm/v2/{supi}/nssai', None, True),
        ('GET', '/nudm-sdm/v2/{supi}/smf-select-data', None, True),
        ('GET', '/nudm-sdm/v2/{supi}/sm-data?single-nssai=%7B%22sst%22%3A1%7D&dnn=ims', None,
         True),
        ('PUT', '/nudm-uecm/v1/{supi}/registrations/amf-3gpp-access', uecm_reg(), True),
        ('GET', '/nudm-uecm/v1/{supi}/registrations/amf-3gpp-access', None, True),
    ])


def base_ausf(r):
    ctx = r.choice(E.auth_ctx) if E.auth_ctx and r.random() < 0.7 else 'x'
    return r.choice([
        ('POST', '/nausf-auth/v1/ue-authentications',
         {'supiOrSuci': '{supi}', 'servingNetworkName': SNN}, True),
        ('POST', '/nausf-auth/v1/ue-authentications',
         {'supiOrSuci': 'suci-0-999-70-0-0-0-0000000001', 'servingNetworkName': SNN,
          'resynchronizationInfo': {'rand': '00' * 16, 'auts': '11' * 14}}, True),
        ('PUT', '/nausf-auth/v1/ue-authentications/%s/5g-aka-confirmation' % ctx,
         {'resStar': '00' * 16}, True),
    ])


# ---------------------------------------------------------------------------------------
# Mutations

BAD_IDS = ['', 'imsi-', 'imsi-1', 'imsi-99970000000000112345678901234', 'IMSI-999700000000001',
           'imsi-99970000000000a', 'imsi-999700000000001 ', 'nai-x@y', 'gli-', 'gci-',
           'msisdn-', 'msisdn-4915112345678', 'suci-', 'suci-0-999-70-0-0-0-',
           'suci-0-999-70-0-0-0-0000000001-', 'suci-0-9999-70-0-0-0-0000000001',
           'suci-0-999-7-0-0-0-0000000001', 'suci-1-999-70-0-0-0-0000000001',
           'suci-0-999-70-0-1-1-abab', 'suci-0-999-70-0-1-1-' + 'ab' * 40,
           'suci-0-999-70-0-2-2-' + '00' * 300, 'suci-0-999-70-0-1-255-' + '11' * 50,
           'suci-0-999-70-0-9-1-' + '11' * 50, 'suci-0-999-70-65535-0-0-0000000001',
           'suci-0-999-70-0-0-0-zz', '..', '.', 'x' * 5000, 'imsi-99970000000000\u00e9',
           '%00', '%', '%zz', '%2F', 'imsi-999700000000001%00', '{supi}', 'imsi-%39'] + VICTIMS

BAD_VALUES = [None, True, False, 0, -1, 1.5, 1e308, -1e308, 10 ** 40, -(10 ** 40), '', ' ',
              'x' * 300, 'y' * 70000, '\u0000', '\ud800', '\uffff', 'é', [], {}, [[[[]]]],
              [None], {'': None}, 'AMF', 'NULL', '5G:', '5G:' + 'm' * 1000, '0' * 64,
              'zz' * 16, '-1', 'NaN', 'http://[::1', 'http://127.0.0.1:9/' + 'p' * 2000,
              '2024-13-45T99:99:99Z']

RAW_BODIES = [b'', b'null', b'[]', b'{}', b'"x"', b'0', b'-', b'{', b'}', b'{"a"', b'{"a":}',
              b'[' * 100000, b'{"a":' * 50000, b'1' * 100000, b'1e999999', b'-1e-999999',
              b'\xef\xbb\xbf{}', b'\xff\xfe\x00{', b'{"\xc0\x80":1}', b'{"a":"\xed\xa0\x80"}',
              b'{"a":"\\ud800"}', b'{"a":"\\u0000"}', b'\x00' * 100, b' ' * 200000 + b'{}',
              b'{"a":1}garbage', b'[1,2,]', b'{"a":1,}', b'{\'a\':1}', b'NaN', b'Infinity',
              b'{"a":tru}', b'\n\n\n', b'{"a":"' + b'\\' * 10001 + b'"}']

CONTENT_TYPES = [None, b'', b'text/plain', b'application/json; charset=latin1',
                 b'application/problem+json', b'application/json-patch+json',
                 b'multipart/related; boundary=x', b'application/merge-patch+json',
                 b'x' * 9000, b'application/json\x00', b'APPLICATION/JSON']


def walk(obj, r, depth=0):
    """A random (container, key) inside obj, or None."""
    spots = []

    def rec(o, d):
        if d > 6:
            return
        if isinstance(o, dict):
            for k in list(o):
                spots.append((o, k))
                rec(o[k], d + 1)
        elif isinstance(o, list):
            for i in range(len(o)):
                spots.append((o, i))
                rec(o[i], d + 1)
    rec(obj, depth)
    return r.choice(spots) if spots else None


def mutate_json(obj, r):
    """(text or bytes) of a mutated JSON body."""
    choice = r.random()
    if choice < 0.45:
        spot = walk(obj, r)
        if spot:
            c, k = spot
            c[k] = r.choice(BAD_VALUES + [r.choice(BAD_IDS)])
    elif choice < 0.6:
        spot = walk(obj, r)
        if spot:
            c, k = spot
            del c[k]
    elif choice < 0.7:
        spot = walk(obj, r)
        if spot and isinstance(spot[0], dict):
            spot[0]['x' * r.choice([1, 5, 3000])] = r.choice(BAD_VALUES)
    elif choice < 0.8:
        # Duplicate keys: the same member again with another value, first or last.
        text = json.dumps(obj)
        if isinstance(obj, dict) and obj:
            k = r.choice(list(obj))
            extra = '%s: %s' % (json.dumps(k), json.dumps(r.choice(BAD_VALUES)))
            if r.random() < 0.5:
                return ('{' + extra + (', ' if len(text) > 2 else '') + text[1:]).encode()
            return (text[:-1] + ', ' + extra + '}').encode()
        return text.encode()
    elif choice < 0.85:
        obj = [obj] if r.random() < 0.5 else {'wrapped': obj}
    elif choice < 0.92:
        return r.choice(RAW_BODIES)
    else:
        # Byte-level damage: truncate, flip, or insert invalid UTF-8.
        b = bytearray(json.dumps(obj).encode())
        if b:
            i = r.randrange(len(b))
            op = r.randrange(3)
            if op == 0:
                del b[i:]
            elif op == 1:
                b[i] = r.randrange(256)
            else:
                b[i:i] = r.choice([b'\xff', b'\xc0\x80', b'\xed\xa0\x80', b'\x00', b'\xf4\x90'])
        return bytes(b)
    return json.dumps(obj).encode()


def mutate_path(path, r):
    op = r.randrange(14)
    if op == 0:  # %-escape some characters, or all
        return ''.join('%%%02X' % ord(c) if c.isalnum() and r.random() < 0.3 else c
                       for c in path)
    if op == 1:
        i = r.randrange(len(path) + 1)
        return path[:i] + r.choice(['%00', '%', '%G1', '%2F', '%2e%2e', '/..', '//', ';',
                                    '%ff', '%c0%af', '\\', ' ', '#', '?']) + path[i:]
    if op == 2:
        return path + '/' + 'a' * r.choice([100, 1000, 8000, 17000, 70000])
    if op == 3:
        return path + r.choice(['?', '?&&&', '?=', '?a', '?a=1&a=1&a=1', '?' + '&' * 5000,
                                '?x=' + 'y' * 20000, '?limit=-1', '?limit=99999999999999999999',
                                '?limit=0', '?limit=', '?after=', '?secrets=yes',
                                '?target-nf-type=&target-nf-type=UDM',
                                '?requester-nf-type=' + 'A' * 3000, '?supi=%00',
                                '?dnn=&dnn=&dnn=', '?single-nssai=%7B', '?single-nssai=[]',
                                '?plmn-id=%7B%22mcc%22%3A1%7D', '?%=%', '?a=%zz'])
    if op == 4:
        return path.rstrip('/') + '/'
    if op == 5:
        return path.lstrip('/')
    if op == 6:
        parts = path.split('/')
        if len(parts) > 2:
            i = r.randrange(1, len(parts))
            parts[i] = r.choice(['', '..', '.', 'v9', '%2E', parts[i].upper(), 'x' * 3000])
        return '/'.join(parts)
    if op == 7:
        return r.choice(['*', '', '/', '//', '/%', '/nudm-ueau', '/nudm-ueau/v1',
                         '/nnrf-nfm/v1/nf-instances/', '/sen-prov/v1/subscribers/'])
    if op == 8:
        return path + '/extra/segments/' * r.randint(1, 50)
    if op == 9:
        return path.replace('{supi}', '{supi}/{supi}')
    # else: the path as is; a SUPI mutation follows
    return path


def mutate_headers(r, body_given):
    hdrs = []
    ct = b'application/json' if body_given else None
    op = r.randrange(12)
    if op == 0:
        ct = r.choice(CONTENT_TYPES)
    elif op == 1:
        hdrs += [(b'x-junk-%d' % i, b'v' * r.choice([1, 100])) for i in range(
            r.choice([50, 200, 2000]))]
    elif op == 2:
        hdrs.append((b'content-length', r.choice([b'0', b'1', b'-1', b'99999999999999999999',
                                                  b'abc', b'', b'5000000'])))
    elif op == 3:
        hdrs.append(r.choice([(b'Content-Type', b'application/json'), (b'connection', b'close'),
                              (b'te', b'gzip'), (b'transfer-encoding', b'chunked'),
                              (b'upgrade', b'h2c'), (b'host', b'evil'),
                              (b'x-bad', b'a\r\nb: c'), (b'x-nul', b'\x00'),
                              (b'', b'empty-name'), (b':extra', b'pseudo'),
                              (b'x bad', b'space')]))
    elif op == 4:
        hdrs += [(b'3gpp-sbi-target-apiroot', r.choice([b'http://127.0.0.1:9', b'', b'x' * 5000,
                                                        b'http://[::1'])),
                 (b'3gpp-sbi-discovery-target-nf-type', b'UDM'),
                 (b'3gpp-sbi-callback', b'Nudm_x'), (b'3gpp-sbi-message-priority', b'-99'),
                 (b'3gpp-sbi-max-forward-hops', b'0')]
    elif op == 5:
        hdrs.append((b'x-big', b'b' * r.choice([4000, 20000, 70000])))
    elif op == 6:
        hdrs += [(b'content-type', b'application/json'), (b'content-type', b'text/plain')]
    elif op == 7:
        hdrs += [(b'accept', b'\xff\xfe'), (b'accept-encoding', b'gzip, br'),
                 (b'user-agent', b'AMF-' + b'z' * 100)]
    if ct is not None:
        hdrs.insert(0, (b'content-type', ct))
    return hdrs


def pseudo_mutation(r, method, path):
    """Returns (method bytes, path bytes, extra headers) with pseudo-header abuse."""
    op = r.randrange(6)
    if op == 0:
        return method, None, []  # no :path
    if op == 1:
        return method, path, [(b':path', b'/other')]  # twice
    if op == 2:
        return b'', path, []
    if op == 3:
        return method, path, [(b':protocol', b'websocket')]
    if op == 4:
        return method, path + b'\x00\xff', []
    return method.lower(), path, []


def mutated(nf, r):
    method, path, body, readonly = {'nrf': base_nrf, 'udr': base_udr, 'udm': base_udm,
                                    'ausf': base_ausf}[nf](r)
    body = json.loads(json.dumps(body)) if body is not None else None
    n_mut = r.choice([1, 1, 1, 2, 2, 3])
    ops = [r.randrange(6) for _ in range(n_mut)]
    supi = r.choice(PROTECTED if readonly else VICTIMS)
    raw_body = None
    extra, pseudo = [], None
    for op in ops:
        if op == 0:
            method = r.choice(list(STD_METHODS) + ['FOO', 'get', 'M' * 300, 'PRI', 'GET '])
        elif op == 1:
            path = mutate_path(path, r)
        elif op == 2:
            supi = r.choice(BAD_IDS)
        elif op == 3:
            if body is None:
                body = r.choice([{}, {'a': 1}, [], 'x'])
            raw_body = mutate_json(body, r)
        elif op == 4:
            extra = mutate_headers(r, body is not None or raw_body is not None)
        elif op == 5:
            if r.random() < 0.25:
                pseudo = True
            else:
                raw_body = r.choice(RAW_BODIES + [b'{' * 3000, b'x' * r.choice([10 ** 5, 10 ** 5, (1 << 20) + 1])])
    # Writes never reach the protected subscribers: the test checks them afterwards.
    if not readonly or method not in ('GET', 'HEAD', 'OPTIONS', 'TRACE', 'FOO', 'get'):
        if supi in PROTECTED or (nf == 'udr' and method not in ('GET', 'HEAD')):
            supi = r.choice(VICTIMS) if supi in PROTECTED else supi
    victim = r.choice(VICTIMS)
    path = path.replace('{supi}', supi).replace('{victim}', victim)
    if raw_body is None and body is not None:
        raw_body = json.dumps(body).replace('{supi}', supi).replace('{victim}', victim).encode()
    elif raw_body is not None:
        raw_body = raw_body.replace(b'{supi}', supi.encode('utf-8', 'surrogatepass')).replace(
            b'{victim}', victim.encode())
    if nf == 'udr':
        for p in PROTECTED:  # a write on a protected subscriber by any path
            if method not in ('GET', 'HEAD') and p in urllib.parse.unquote(path):
                path = path.replace(p, victim)
            if method in ('POST', 'PUT') and raw_body and p.encode() in raw_body:
                raw_body = raw_body.replace(p.encode(), victim.encode())
    if nf == 'nrf' and raw_body:
        for t in (b'UDM', b'AUSF', b'UDR', b'NRF'):  # never impersonate the home network
            raw_body = raw_body.replace(b'"%s"' % t, b'"AMF"')
    if not extra and raw_body is not None:
        extra = [(b'content-type', b'application/json')]
    m, p = method.encode(), path.encode('utf-8', 'surrogatepass')
    if pseudo:
        m, p, more = pseudo_mutation(r, m, p)
        extra = more + extra
    return m, p, extra, raw_body


# ---------------------------------------------------------------------------------------
# Checks

def check_answer(nf, req, s, fails):
    method, path, _, body = req

    def fail(why):
        fails.append('%s: %s %r (%d-byte body %r): %s' % (
            nf, method.decode(errors='replace')[:20], path[:120], len(body or b''),
            (body or b'')[:80], why))

    if s is None or s['headers'] is None:
        return 'none'
    h = {}
    for k, v in s['headers']:
        h.setdefault(k.lower(), v)
    st = h.get(b':status', b'')
    if not (len(st) == 3 and st.isdigit() and 100 <= int(st) <= 599):
        fail('bad :status %r' % st)
        return 'bad'
    code = int(st)
    if not s['done'] or s['reset'] not in (None, 0):
        return code  # answered; the body may have been cut by our own RST or the limit
    if code >= 500:
        # RFC 9110 15.6.2: 501 for a method the server does not implement (TRACE ...).
        unknown = method.decode(errors='replace') not in SBI_METHODS
        # TS 29.503 6.3.7.3, TS 29.509 6.1.7.3: 501 UNSUPPORTED_PROTECTION_SCHEME.
        scheme = b'"UNSUPPORTED_PROTECTION_SCHEME"' in s['body']
        if not (code == 501 and (unknown or scheme)):
            fail('%d for a client error: %r' % (code, s['body'][:300]))
    ctype = h.get(b'content-type', b'')
    if code >= 400 and method != b'HEAD':
        if ctype != b'application/problem+json':
            fail('%d with content-type %r' % (code, ctype))
            return code
        try:
            pd = json.loads(s['body'])
        except ValueError:
            fail('%d ProblemDetails is not JSON: %r' % (code, s['body'][:200]))
            return code
        if not isinstance(pd, dict) or pd.get('status') != code:
            fail('ProblemDetails %r for %d' % (pd, code))
        elif 'cause' in pd and not isinstance(pd['cause'], str):
            fail('ProblemDetails cause %r' % pd['cause'])
    elif s['body'] and b'json' in ctype:
        try:
            json.loads(s['body'])
        except ValueError:
            fail('%d %s body is not JSON: %r' % (code, ctype, s['body'][:200]))
    return code


def alive(nf):
    p = E.proc[nf]
    expect(p.poll() is None, 'sen-%s died (exit %s); last log lines:\n%s' % (
        nf, p.returncode, '\n'.join(td.log_text(nf).splitlines()[-15:])))


def valid_request_works(nf):
    """A valid request on a new connection gets its normal answer."""
    path = {'nrf': '/nnrf-disc/v1/nf-instances?target-nf-type=UDM&requester-nf-type=AMF',
            'udr': '/sen-prov/v1/subscribers/%s' % td.SUPI,
            'udm': '/nudm-sdm/v2/%s/nssai' % td.SUPI,
            'ausf': '/nausf-auth/v1/ue-authentications/none/5g-aka-confirmation'}[nf]
    code = {'nrf': 200, 'udr': 200, 'udm': 200, 'ausf': 404}[nf]
    method = b'PUT' if nf == 'ausf' else b'GET'
    body = b'{"resStar":"00000000000000000000000000000000"}' if nf == 'ausf' else None
    hdr = [(b'content-type', b'application/json')] if body else []
    c = Conn(E.addr[nf])
    try:
        s = c.batch([(method, path.encode(), hdr, body)])[0]
    finally:
        c.close()
    expect(s and s['headers'] and dict(s['headers']).get(b':status') == str(code).encode(),
           'sen-%s no longer answers a valid request: %r' % (nf, s))


def fuzz(nf):
    r = random.Random('%d-%s' % (SEED, nf))
    fails, stats, conn, i = [], {}, None, 0
    start = time.monotonic()
    while i < N_PER_NF:
        if conn is None or conn.dead:
            if conn:
                stats['reconnects'] = stats.get('reconnects', 0) + 1
                conn.close()
            conn = Conn(E.addr[nf])
        reqs = [mutated(nf, r) for _ in range(min(16, N_PER_NF - i))]
        i += len(reqs)
        answers = conn.batch(reqs)
        for req, s in zip(reqs, answers):
            code = check_answer(nf, req, s, fails)
            stats[code] = stats.get(code, 0) + 1
            if s is not None and not s['done'] and not conn.dead:
                fails.append('%s: no answer in %ss to %r %r' % (nf, TIMEOUT, req[0], req[1][:120]))
        if conn.broken:
            fails.append('%s: HTTP/2 broken by the daemon: %s' % (nf, conn.broken))
        if E.proc[nf].poll() is not None:
            fails.append('%s died after one of: %r' % (nf, [(q[0], q[1][:100]) for q in reqs]))
            break
        if len(fails) > 20:
            break
    if conn:
        conn.close()
    print('# %s: %d requests in %.1fs, answers %s' % (
        nf, i, time.monotonic() - start,
        ' '.join('%s:%d' % kv for kv in sorted(stats.items(), key=lambda kv: str(kv[0])))))
    alive(nf)
    expect(not fails, '\n'.join(fails[:20]))
    valid_request_works(nf)


# ---------------------------------------------------------------------------------------
# HTTP/2 frames by hand (RFC 9113 4.1, 6)

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WINUP, CONT = range(10)


def frame(ftype, flags, sid, payload=b''):
    return struct.pack('>I', len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack('>I', sid & 0x7fffffff) + payload


def hblock(authority, method='GET', path='/', extra=()):
    enc = hpack.Encoder()
    return enc.encode([(':method', method), (':scheme', 'http'), (':authority', authority),
                       (':path', path)] + list(extra))


def raw_session(nf, data, read_secs=1.0):
    """Send bytes on a new connection and read until the daemon closes or read_secs."""
    host, port = E.addr[nf].rsplit(':', 1)
    s = socket.create_connection((host, int(port)), timeout=5)
    try:
        s.sendall(data)
    except OSError:
        pass
    got, end = b'', time.monotonic() + read_secs
    try:
        while time.monotonic() < end:
            s.settimeout(max(0.01, end - time.monotonic()))
            b = s.recv(1 << 16)
            if not b:
                break
            got += b
    except OSError:
        pass
    s.close()
    return got


def frame_attacks(nf):
    a = E.addr[nf]
    udm_path = '/nudm-ueau/v1/%s/security-information/generate-auth-data' % td.SUPI
    auth_body = json.dumps({'servingNetworkName': SNN, 'ausfInstanceId': UUID_POOL[2]}).encode()
    slow = {'udm': ('POST', udm_path, auth_body),
            'ausf': ('POST', '/nausf-auth/v1/ue-authentications',
                     json.dumps({'supiOrSuci': td.SUPI, 'servingNetworkName': SNN}).encode()),
            'udr': ('GET', '/sen-prov/v1/subscribers/%s' % td.SUPI, None),
            'nrf': ('GET', '/nnrf-disc/v1/nf-instances?target-nf-type=UDM&requester-nf-type=AMF',
                    None)}[nf]
    ok_settings = frame(SETTINGS, 0, 0)
    start = PREFACE + ok_settings
    ct = [('content-type', 'application/json')]

    def req(sid, end=True, extra=()):
        m, p, b = slow
        fl = 0x4 | (0x1 if end and b is None else 0)
        out = frame(HEADERS, fl, sid, hblock(a, m, p, list(extra) + (ct if b else [])))
        if b is not None and end:
            out += frame(DATA, 1, sid, b)
        return out

    attacks = {
        'garbage preface': b'\x00' * 24 + b'\xff' * 1000,
        'HTTP/1.1': b'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
        'HTTP/1.1 h2c upgrade': b'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n'
                                b'HTTP2-Settings: AAMAAABkAAQAAP__\r\nConnection: Upgrade\r\n\r\n',
        'preface only, then close': PREFACE,
        'unknown frame types': start + frame(0xfa, 0xff, 0, b'x' * 100) +
        frame(0x0b, 0, 1, b'y' * 50) + req(1),
        'bad SETTINGS': PREFACE + frame(SETTINGS, 0, 0, struct.pack('>HI', 4, 1 << 31)),
        'SETTINGS max frame 1': PREFACE + frame(SETTINGS, 0, 0, struct.pack('>HI', 5, 1)),
        'SETTINGS odd length': PREFACE + frame(SETTINGS, 0, 0, b'\x00\x01\x00'),
        'SETTINGS on a stream': start + frame(SETTINGS, 0, 1, b''),
        'SETTINGS flood': start + frame(SETTINGS, 0, 0, struct.pack('>HI', 1, 4096)) * 20000,
        'WINDOW_UPDATE 0': start + frame(WINUP, 0, 0, struct.pack('>I', 0)),
        'WINDOW_UPDATE overflow': start + frame(WINUP, 0, 0, struct.pack('>I', 0x7fffffff)) * 3,
        'HEADERS on stream 0': start + frame(HEADERS, 0x5, 0, hblock(a)),
        'HEADERS on an even stream': start + frame(HEADERS, 0x5, 2, hblock(a)),
        'stream ids going back': start + req(5) + req(3),
        'HPACK garbage': start + frame(HEADERS, 0x5, 1, b'\xff' * 64),
        'HPACK table size bomb': start + frame(HEADERS, 0x5, 1, b'\x3f\xe1\xff\xff\xff\x0f'),
        'CONTINUATION flood': start + frame(HEADERS, 0, 1, hblock(a)) + b''.join(
            frame(CONT, 0, 1, hpack.Encoder().encode([('x-c%d' % i, 'v' * 1000)]))
            for i in range(3000)),
        'CONTINUATION without HEADERS': start + frame(CONT, 0x4, 1, hblock(a)),
        'CONTINUATION interrupted': start + frame(HEADERS, 0, 1, hblock(a)) + frame(PING, 0, 0, b'\0' * 8),
        'rapid reset': start + b''.join(req(i) + frame(RST, 0, i, struct.pack('>I', 8))
                                        for i in range(1, 4001, 2)),
        'abandoned requests': start + b''.join(req(i) for i in range(1, 201, 2)),
        'PING flood': start + frame(PING, 0, 0, b'\1' * 8) * 50000,
        'PING bad length': start + frame(PING, 0, 0, b'\1' * 7),
        'PRIORITY self-dependency': start + frame(PRIORITY, 0, 1, struct.pack('>IB', 1, 15)),
        'HEADERS self-dependency': start + frame(HEADERS, 0x25, 3, struct.pack('>IB', 3, 15) +
                                                 hblock(a)),
        'PUSH_PROMISE from a client': start + frame(PUSH, 0x4, 1, struct.pack('>I', 2) + hblock(a)),
        'DATA on an idle stream': start + frame(DATA, 1, 7, b'{}'),
        'DATA beyond the window': start + req(1, end=False) + frame(DATA, 0, 1, b'x' * 16384) * 10,
        'DATA after END_STREAM': start + req(1) + frame(DATA, 1, 1, b'{}'),
        'DATA bad padding': start + req(1, end=False) + frame(DATA, 0x9, 1, b'\xff' + b'x' * 10),
        'RST_STREAM on stream 0': start + frame(RST, 0, 0, struct.pack('>I', 0)),
        'GOAWAY from a client, then requests': start + frame(GOAWAY, 0, 0, struct.pack('>II', 0, 0))
        + req(1),
        'max concurrent streams': start + b''.join(req(i, end=False) for i in range(1, 2001, 2)),
        'header list bomb': start + frame(HEADERS, 0x5, 1, hblock(a, extra=[
            ('x-h%d' % i, 'v' * 100) for i in range(150)])),
        'frame larger than max': start + frame(HEADERS, 0x5, 1, hblock(a) + b'\x00' * 20000),
    }
    # Idle and half-sent connections stay open while the attacks and a valid request run.
    host, port = a.rsplit(':', 1)
    idle = []
    for i in range(40):
        s = socket.create_connection((host, int(port)), timeout=5)
        if i % 2:
            s.sendall(start + req(1, end=False))
        idle.append(s)
    try:
        for name, data in attacks.items():
            raw_session(nf, data, read_secs=0.15)
            if E.proc[nf].poll() is not None:
                raise AssertionError('sen-%s died on "%s"' % (nf, name))
        # Requests whose connection goes away while the handler waits for a peer.
        for i in range(30):
            host, port = a.rsplit(':', 1)
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(start + b''.join(req(j) for j in range(1, 21, 2)))
            s.close()
        valid_request_works(nf)
    finally:
        for s in idle:
            s.close()
    time.sleep(0.2)
    alive(nf)
    valid_request_works(nf)


# ---------------------------------------------------------------------------------------
# Cases

@case
def setup_protected():
    sub = prov_subscriber(PROTECTED[1])
    code, _, j = td.curl(E.udr, '/sen-prov/v1/subscribers', 'POST', sub)
    expect(code == 201, 'create %s: %d %r' % (PROTECTED[1], code, j))
    for v in VICTIMS[:5]:
        td.curl(E.udr, '/sen-prov/v1/subscribers', 'POST', prov_subscriber(v))
    E.snapshot = {}
    for supi in PROTECTED:
        code, _, j = td.curl(E.udr, '/sen-prov/v1/subscribers/%s?secrets=true' % supi)
        expect(code == 200, 'GET %s: %d %r' % (supi, code, j))
        j.pop('sqn', None)
        E.snapshot[supi] = j
    # One 5G-AKA first (it also waits for the NRF to know the UDM), and a few live AUSF
    # contexts for the mutated confirmations.
    td.full_aka(td.SUPI, retry=10)
    for _ in range(3):
        _, _, _, path = td.started(*td.start_auth(td.SUPI))
        E.auth_ctx.append(path.split('/')[-2] if path.endswith('confirmation')
                          else path.rsplit('/', 1)[-1])


for _nf in ('nrf', 'udr', 'udm', 'ausf'):
    def _fz(nf=_nf):
        fuzz(nf)
    _fz.__name__ = 'mutated_requests_' + _nf
    case(_fz)

for _nf in ('nrf', 'udr', 'udm', 'ausf'):
    def _fr(nf=_nf):
        frame_attacks(nf)
    _fr.__name__ = 'http2_frame_abuse_' + _nf
    case(_fr)


@case
def aka_still_works():
    for nf in ('nrf', 'udr', 'udm', 'ausf'):
        alive(nf)
    td.full_aka('suci-0-999-70-0-0-0-' + td.MSIN, retry=5)
    td.full_aka(td.tool('suci', 'a', E.key_a, 1, '999', '70', td.MSIN))


@case
def subscribers_intact():
    for supi in PROTECTED:
        code, _, j = td.curl(E.udr, '/sen-prov/v1/subscribers/%s?secrets=true' % supi)
        expect(code == 200, 'GET %s: %d %r' % (supi, code, j))
        j.pop('sqn', None)
        expect(j == E.snapshot[supi], '%s changed:\n%r\n%r' % (supi, E.snapshot[supi], j))
    code, _, j = td.curl(E.udr, '/sen-prov/v1/subscribers?limit=500')
    expect(code == 200 and isinstance(j.get('subscribers'), list), 'list: %d %r' % (code, j))
    have = {s.get('supi') for s in j['subscribers']}
    expect(set(PROTECTED) <= have, 'list lacks protected subscribers: %r' % sorted(have))
    expect(all(isinstance(s, str) and s.startswith('imsi-') for s in have),
           'odd subscribers stored: %r' % sorted(have, key=str)[:20])


@case
def clean_stop():
    codes = td.stop_all(timeout=10)
    for name, c in codes.items():
        expect(c == 0, 'sen-%s exit status %r after the abuse; log tail:\n%s' % (
            name, c, '\n'.join(td.log_text(name).splitlines()[-20:])))


# ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    for a in ('nrf', 'udr', 'udm', 'ausf', 'tool', 'keys'):
        ap.add_argument('--' + a, required=True)
    o = ap.parse_args()
    if h2 is None:
        print('1..1\nnot ok 1 - python h2 missing (Debian python3-h2; scripts/deps.sh)')
        return 1
    print('# seed %d (SEN_HOSTILE_SEED), %d mutated requests per daemon (SEN_HOSTILE_N)'
          % (SEED, N_PER_NF))
    E.core = None
    E.procs, E.kseafs, E.tool, E.failed, E.auth_ctx = [], [], o.tool, False, []
    E.key_a = os.path.join(os.path.abspath(o.keys), 'hn-a.key')
    E.key_b = os.path.join(os.path.abspath(o.keys), 'hn-b.key')
    vec = json.load(open(os.path.join(os.environ['SEN_VECTORS'], 'milenage.json')))
    ts = vec['test_sets'][0]
    E.k, E.opc = ts['K'].lower(), ts['OPc'].lower()
    import tempfile
    E.dir = tempfile.mkdtemp(prefix='sen-hostile-')
    base = 100 + (os.getpid() + 37) % 100
    E.ip = {n: '127.%d.%d.%d' % (base, (os.getpid() + 11) % 250 + 1, i + 1)
            for i, n in enumerate(('nrf', 'udr', 'udm', 'ausf'))}
    port = td.free_port(list(E.ip.values()))
    E.metrics = td.free_port(list(E.ip.values()))
    E.addr = {n: '%s:%d' % (ip, port) for n, ip in E.ip.items()}
    E.nrf, E.udr, E.udm, E.ausf = E.addr['nrf'], E.addr['udr'], E.addr['udm'], E.addr['ausf']
    db = os.path.join(E.dir, 'subscribers.db')
    conf = os.path.join(E.dir, 'sen.yaml')
    with open(conf, 'w') as f:
        f.write('plmn: { mcc: "999", mnc: "70" }\ntac: [1]\nslices: [ { sst: 1 } ]\n'
                'log: { level: warn }\nmetrics: { port: %d }\n' % E.metrics)
        f.write('nrf: { sbi: %s }\nausf: { sbi: %s }\n' % (E.nrf, E.ausf))
        f.write('udm:\n  sbi: %s\n  hn_keys: [ { id: 1, scheme: a, file: %s }, '
                '{ id: 2, scheme: b, file: %s } ]\n' % (E.udm, E.key_a, E.key_b))
        f.write('udr: { sbi: %s, db: "sqlite:%s" }\n' % (E.udr, db))
    print('1..%d' % len(cases))
    E.proc = {}
    try:
        ok, why = True, ''
        try:
            td.tool('provision', 'sqlite:' + db, td.SUPI, E.k, E.opc, 0)
            for nf in ('nrf', 'udr', 'udm', 'ausf'):
                E.proc[nf] = td.start(nf, [getattr(o, nf), '-c', conf])
                td.wait_port(E.ip[nf], port, E.proc[nf], secs=30)
        except Exception as e:
            ok, why = False, str(e)
        for i, fn in enumerate(cases, 1):
            if not ok:
                print('not ok %d - %s # setup failed: %s' % (i, fn.__name__, why))
                continue
            t0 = time.monotonic()
            try:
                fn()
                print('ok %d - %s # %.1fs' % (i, fn.__name__, time.monotonic() - t0))
            except Exception:
                print('not ok %d - %s' % (i, fn.__name__))
                E.failed = True
                for line in traceback.format_exc().splitlines()[-40:]:
                    print('#   ' + line)
            sys.stdout.flush()
        td.stop_all()
        if os.environ.get('SEN_HOME_LOGS') or not ok or E.failed:
            for n in E.proc:
                for line in td.log_text(n).splitlines()[-30:]:
                    print('# %s: %s' % (n, line))
    finally:
        td.stop_all()
        for _, _, log in E.procs:
            log.close()
        subprocess_rm(E.dir)
    return 0


def subprocess_rm(d):
    import shutil
    shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
