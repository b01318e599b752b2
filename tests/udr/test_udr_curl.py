#!/usr/bin/env python3
"""curl --http2-prior-knowledge (an independent HTTP/2 client) against a running sen-udr.

Each Nudr-DR resource (TS 29.504 / TS 29.505) is checked for success, 404 USER_NOT_FOUND,
400 for malformed input and 405 for a wrong method; also Sen's atomic SQN advance, the
provisioning API, metrics and a clean stop. Prints TAP.

Usage: test_udr_curl.py SEN_UDR sqlite|pg   (pg: run under pg_run.py)
"""
import json
import sys
import urllib.request

sys.path.insert(0, __import__('os').path.dirname(__file__))
from udr_harness import Tap, Udr, curl, expect, problem, subscriber  # noqa: E402

EXE, BACKEND = sys.argv[1], sys.argv[2]
NUDR = '/nudr-dr/v2/subscription-data'
PROV = '/sen-prov/v1/subscribers'
ADV = '/sen-udr-auth/v1/%s/sqn-advance'
PLMN = '99970'
tap = Tap()
udr = Udr(EXE, BACKEND)

# TS 35.207 test set 1: K, OP and the OPc derived from them.
K1 = '465b5ce8b199b49faa5f0a2ee238a6bc'
OP1 = 'cdc202d5123e20f62b6d676ac72cb318'
OPC1 = 'cd63cb71954a9f4e48a5994e37a02baf'


def req(path, method='GET', data=None, headers=()):
    return curl(udr.authority, path, method, data, headers)


def create(sub):
    v, code, heads, raw = req(PROV, 'POST', sub)
    expect(code == 201, 'create %s: %d %r' % (sub['supi'], code, raw[:300]))
    return heads, json.loads(raw)


@tap.case
def prov_create_and_conflict():
    heads, body = create(subscriber('imsi-999700000000001', k=K1, opc=OPC1))
    expect(heads.get('location', '').endswith(PROV + '/imsi-999700000000001'),
           'location %r' % heads.get('location'))
    expect('k' not in body and 'opc' not in body and body['opType'] == 'OPC',
           'keys in the answer: %r' % body)
    v, code, heads, raw = req(PROV, 'POST', subscriber('imsi-999700000000001'))
    expect(code == 409, 'duplicate: %d' % code)
    problem(heads, raw, 409)
    v, code, heads, raw = req(PROV, 'POST', '{"supi": ', ['content-type: application/json'])
    problem(heads, raw, 400, 'INVALID_MSG_FORMAT')
    bad = subscriber('imsi-999700000000002', k='00' * 15)
    v, code, heads, raw = req(PROV, 'POST', bad)
    pd = problem(heads, raw, 400)
    expect('k:' in pd.get('detail', ''), 'detail %r' % pd.get('detail'))
    expect('00' * 15 not in pd.get('detail', ''), 'the key value is echoed')
    v, code, heads, raw = req(PROV + '/imsi-999700000000002')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(PROV, 'PATCH', '[]', ['content-type: application/json'])
    expect(code == 405, 'PATCH on the collection: %d' % code)


@tap.case
def auth_subscription_get():
    v, code, heads, raw = req(NUDR + '/imsi-999700000000001/authentication-data/'
                              'authentication-subscription')
    expect(v == '2' and code == 200, 'HTTP/%s %d' % (v, code))
    expect(heads.get('content-type') == 'application/json', 'content-type')
    a = json.loads(raw)
    expect(a['authenticationMethod'] == '5G_AKA', 'method %r' % a)
    expect(a['encPermanentKey'] == K1 and a['encOpcKey'] == OPC1, 'keys %r' % a)
    expect(a['authenticationManagementField'] == '8000', 'amf %r' % a)
    seq = a['sequenceNumber']
    expect(seq['sqn'] == '000000000000' and seq['sqnScheme'] == 'NON_TIME_BASED', 'seq %r' % seq)
    v, code, heads, raw = req(NUDR + '/imsi-999700000000999/authentication-data/'
                              'authentication-subscription')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(NUDR + '/imsi-12/authentication-data/authentication-subscription')
    problem(heads, raw, 400, 'MANDATORY_IE_INCORRECT')
    v, code, heads, raw = req(NUDR + '/imsi-999700000000001/authentication-data/'
                              'authentication-subscription', 'POST', '{}')
    problem(heads, raw, 405)
    expect('GET' in heads.get('allow', '') and 'PATCH' in heads.get('allow', ''),
           'allow %r' % heads.get('allow'))


@tap.case
def auth_subscription_op_gives_opc():
    sub = subscriber('imsi-999700000000003', k=K1)
    del sub['opc']
    sub['op'] = OP1
    create(sub)
    v, code, heads, raw = req(NUDR + '/imsi-999700000000003/authentication-data/'
                              'authentication-subscription')
    a = json.loads(raw)
    expect(code == 200 and a['encOpcKey'] == OPC1, 'OPc from OP (TS 35.206 4.1): %r' % a)


@tap.case
def auth_subscription_patch():
    path = NUDR + '/imsi-999700000000001/authentication-data/authentication-subscription'
    jp = ['content-type: application/json-patch+json']
    v, code, heads, raw = req(path, 'PATCH', json.dumps(
        [{'op': 'replace', 'path': '/sequenceNumber/sqn', 'value': '000000000400'}]), jp)
    expect(code == 204, 'forward: %d %r' % (code, raw))
    v, code, heads, raw = req(path, 'PATCH', json.dumps(
        [{'op': 'replace', 'path': '/sequenceNumber/sqn', 'value': '000000000100'}]), jp)
    expect(code == 204, 'backward: %d %r' % (code, raw))
    v, code, heads, raw = req(path)
    expect(json.loads(raw)['sequenceNumber']['sqn'] == '000000000400',
           'SQN moved back: %r' % raw)
    v, code, heads, raw = req(path, 'PATCH', json.dumps(
        [{'op': 'replace', 'path': '/encPermanentKey', 'value': '00' * 16}]), jp)
    problem(heads, raw, 403, 'MODIFICATION_NOT_ALLOWED')
    v, code, heads, raw = req(path, 'PATCH', '{"op": "replace"}', jp)
    problem(heads, raw, 400)
    v, code, heads, raw = req(path, 'PATCH', 'not json', jp)
    problem(heads, raw, 400, 'INVALID_MSG_FORMAT')
    v, code, heads, raw = req(path.replace('0000000001', '0000000999'), 'PATCH', json.dumps(
        [{'op': 'replace', 'path': '/sequenceNumber/sqn', 'value': '000000000400'}]), jp)
    problem(heads, raw, 404, 'USER_NOT_FOUND')


@tap.case
def sqn_advance():
    sqns = []
    for _ in range(3):
        v, code, heads, raw = req(ADV % 'imsi-999700000000001', 'POST')
        expect(code == 200, 'advance: %d %r' % (code, raw))
        a = json.loads(raw)
        expect(a['encPermanentKey'] == K1, 'keys')
        sqns.append(int(a['sequenceNumber']['sqn'], 16))
    # From SQN_HE 0x400 (set by the PATCH case): SEQ + 1 each time, IND 0 (TS 33.102 C.3).
    expect(sqns == [0x420, 0x440, 0x460], 'sqns %s' % [hex(s) for s in sqns])
    v, code, heads, raw = req(ADV % 'imsi-999700000000001', 'POST', {'sqnMs': '000000010005'})
    expect(code == 200 and json.loads(raw)['sequenceNumber']['sqn'] == '000000010020',
           'resync: %d %r' % (code, raw))
    v, code, heads, raw = req(ADV % 'imsi-999700000000001', 'POST', {'sqnMs': 'xyz'})
    problem(heads, raw, 400)
    v, code, heads, raw = req(ADV % 'imsi-999700000000999', 'POST')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(ADV % 'imsi-999700000000001', 'GET')
    problem(heads, raw, 405)


@tap.case
def barred_subscriber():
    create(subscriber('imsi-999700000000004', barred=True))
    v, code, heads, raw = req(ADV % 'imsi-999700000000004', 'POST')
    problem(heads, raw, 403, 'AUTHENTICATION_REJECTED')
    v, code, heads, raw = req(NUDR + '/imsi-999700000000004/%s/provisioned-data/am-data' % PLMN)
    am = json.loads(raw)
    expect(code == 200 and am.get('coreNetworkTypeRestrictions') == ['5GC'] and
           am.get('odbPacketServices') == 'ALL_PACKET_SERVICES', 'am-data %r' % am)
    # No SQN was consumed by the refused advance.
    v, code, heads, raw = req(PROV + '/imsi-999700000000004')
    expect(json.loads(raw)['sqn'] == '000000000000', 'sqn advanced for a barred subscriber')


@tap.case
def am_data():
    v, code, heads, raw = req(NUDR + '/imsi-999700000000001/%s/provisioned-data/am-data' % PLMN)
    expect(code == 200, 'status %d' % code)
    am = json.loads(raw)
    expect(am['subscribedUeAmbr'] == {'uplink': '1 Gbps', 'downlink': '2 Gbps'}, 'ambr %r' % am)
    expect(am['nssai'] == {'defaultSingleNssais': [{'sst': 1}],
                           'singleNssais': [{'sst': 2, 'sd': '000001'}]}, 'nssai %r' % am)
    expect('coreNetworkTypeRestrictions' not in am, 'not barred')
    v, code, heads, raw = req(NUDR + '/imsi-999700000000999/%s/provisioned-data/am-data' % PLMN)
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(NUDR + '/imsi-999700000000001/9997/provisioned-data/am-data')
    problem(heads, raw, 400, 'MANDATORY_IE_INCORRECT')
    v, code, heads, raw = req(NUDR + '/imsi-999700000000001/%s/provisioned-data/am-data' % PLMN,
                              'DELETE')
    problem(heads, raw, 405)


@tap.case
def smf_selection_data():
    p = NUDR + '/%s/' + PLMN + '/provisioned-data/smf-selection-subscription-data'
    v, code, heads, raw = req(p % 'imsi-999700000000001')
    expect(code == 200, 'status %d' % code)
    d = json.loads(raw)
    expect(d == {'subscribedSnssaiInfos': {
        '1': {'dnnInfos': [{'dnn': 'internet', 'defaultDnnIndicator': True}]},
        '2-000001': {'dnnInfos': [{'dnn': 'ims', 'defaultDnnIndicator': False}]}}}, '%r' % d)
    v, code, heads, raw = req(p % 'imsi-999700000000999')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(p % 'msisdn-x')
    problem(heads, raw, 400)
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PUT', '{}')
    problem(heads, raw, 405)


@tap.case
def sm_data():
    p = NUDR + '/%s/' + PLMN + '/provisioned-data/sm-data'
    v, code, heads, raw = req(p % 'imsi-999700000000001')
    expect(code == 200, 'status %d' % code)
    d = json.loads(raw)
    expect(len(d) == 2 and d[0]['singleNssai'] == {'sst': 1}, 'sm-data %r' % d)
    inet = d[0]['dnnConfigurations']['internet']
    expect(inet['pduSessionTypes']['defaultSessionType'] == 'IPV4' and
           inet['sscModes']['defaultSscMode'] == 'SSC_MODE_1' and
           inet['5gQosProfile'] == {'5qi': 9, 'arp': {'priorityLevel': 8,
                                                     'preemptCap': 'NOT_PREEMPT',
                                                     'preemptVuln': 'PREEMPTABLE'}} and
           inet['sessionAmbr'] == {'uplink': '100 Mbps', 'downlink': '1.5 Gbps'} and
           inet['staticIpAddress'] == [{'ipv4Addr': '10.45.0.9'}], 'internet %r' % inet)
    ims = d[1]['dnnConfigurations']['ims']
    expect(ims['5gQosProfile']['5qi'] == 5 and
           ims['5gQosProfile']['arp'] == {'priorityLevel': 2, 'preemptCap': 'MAY_PREEMPT',
                                          'preemptVuln': 'NOT_PREEMPTABLE'} and
           ims['pduSessionTypes']['defaultSessionType'] == 'IPV4V6', 'ims %r' % ims)
    q = urllib.request.quote(json.dumps({'sst': 2, 'sd': '000001'}), safe='')
    v, code, heads, raw = req(p % 'imsi-999700000000001' + '?single-nssai=' + q)
    d = json.loads(raw)
    expect(code == 200 and len(d) == 1 and d[0]['singleNssai'] == {'sst': 2, 'sd': '000001'},
           'filtered by S-NSSAI: %r' % d)
    v, code, heads, raw = req(p % 'imsi-999700000000001' + '?dnn=internet')
    d = json.loads(raw)
    expect(code == 200 and len(d) == 1 and list(d[0]['dnnConfigurations']) == ['internet'],
           'filtered by DNN: %r' % d)
    v, code, heads, raw = req(p % 'imsi-999700000000001' + '?single-nssai=%7Bbad')
    problem(heads, raw, 400, 'INVALID_QUERY_PARAM')
    v, code, heads, raw = req(p % 'imsi-999700000000999')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'POST', '{}')
    problem(heads, raw, 405)


REG = {'amfInstanceId': '8f1c3e2a-1b2c-4d5e-8f90-0123456789ab',
       'deregCallbackUri': 'http://127.0.0.5:7777/namf-callback/v1/dereg',
       'guami': {'plmnId': {'mcc': '999', 'mnc': '70'}, 'amfId': '020040'},
       'ratType': 'NR', 'initialRegistrationInd': True}


@tap.case
def amf_3gpp_access():
    p = NUDR + '/%s/context-data/amf-3gpp-access'
    v, code, heads, raw = req(p % 'imsi-999700000000001')
    problem(heads, raw, 404, 'DATA_NOT_FOUND')
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PUT', REG)
    expect(code == 201 and json.loads(raw) == REG, 'create: %d %r' % (code, raw))
    expect(heads.get('location', '').endswith(p % 'imsi-999700000000001'), 'location')
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PUT', REG)
    expect(code == 204, 'replace: %d' % code)
    v, code, heads, raw = req(p % 'imsi-999700000000001')
    expect(code == 200 and json.loads(raw) == REG, 'get: %d %r' % (code, raw))
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PATCH', json.dumps(
        [{'op': 'add', 'path': '/purgeFlag', 'value': True}]),
        ['content-type: application/json-patch+json'])
    expect(code == 204, 'patch: %d %r' % (code, raw))
    v, code, heads, raw = req(p % 'imsi-999700000000001')
    expect(json.loads(raw).get('purgeFlag') is True, 'patched: %r' % raw)
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PATCH', json.dumps(
        [{'op': 'remove', 'path': '/guami'}]), ['content-type: application/json-patch+json'])
    problem(heads, raw, 400)
    bad = dict(REG)
    del bad['guami']
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PUT', bad)
    problem(heads, raw, 400, 'MANDATORY_IE_MISSING')
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'PUT', '[1', ['content-type: application/json'])
    problem(heads, raw, 400, 'INVALID_MSG_FORMAT')
    v, code, heads, raw = req(p % 'imsi-999700000000999', 'PUT', REG)
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(p % 'imsi-999700000000999')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'POST', REG)
    problem(heads, raw, 405)
    v, code, heads, raw = req(p % 'imsi-999700000000001', 'DELETE')
    expect(code == 204, 'delete: %d' % code)
    v, code, heads, raw = req(p % 'imsi-999700000000001')
    problem(heads, raw, 404, 'DATA_NOT_FOUND')


EVENT = {'nfInstanceId': '5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01', 'success': True,
         'timeStamp': '2026-11-23T10:00:00Z', 'authType': '5G_AKA',
         'servingNetworkName': '5G:mnc070.mcc999.3gppnetwork.org'}


@tap.case
def authentication_status():
    """TS 29.505 5.2.24: PUT 204, GET 200 AuthEvent, DELETE 204; kept across a restart."""
    p = NUDR + '/%s/authentication-data/authentication-status'
    one = p % 'imsi-999700000000001'
    v, code, heads, raw = req(one)
    problem(heads, raw, 404, 'DATA_NOT_FOUND')
    v, code, heads, raw = req(one, 'PUT', EVENT)
    expect(code == 204 and raw == b'', 'put: %d %r' % (code, raw))
    v, code, heads, raw = req(one)
    expect(code == 200 and json.loads(raw) == EVENT, 'get: %d %r' % (code, raw))
    failed = dict(EVENT, success=False, timeStamp='2026-11-23T10:00:05Z')
    v, code, heads, raw = req(one, 'PUT', failed)
    expect(code == 204, 'replace: %d' % code)
    expect(udr.stop() == 0, 'stop: %s' % udr.tail())
    udr.start()
    v, code, heads, raw = req(one)
    expect(code == 200 and json.loads(raw) == failed, 'after restart: %d %r' % (code, raw))
    for member in ('nfInstanceId', 'success', 'timeStamp', 'authType', 'servingNetworkName'):
        bad = dict(EVENT)
        del bad[member]
        v, code, heads, raw = req(one, 'PUT', bad)
        pd = problem(heads, raw, 400, 'MANDATORY_IE_MISSING')
        expect(member in pd.get('detail', ''), 'detail %r' % pd.get('detail'))
    for member, value in (('nfInstanceId', 'ausf-1'), ('success', 'yes'),
                          ('authType', '4G_AKA'), ('servingNetworkName', 'mnc070')):
        v, code, heads, raw = req(one, 'PUT', dict(EVENT, **{member: value}))
        problem(heads, raw, 400, 'MANDATORY_IE_INCORRECT')
    v, code, heads, raw = req(one, 'PUT', '{"success": ', ['content-type: application/json'])
    problem(heads, raw, 400, 'INVALID_MSG_FORMAT')
    v, code, heads, raw = req(one, 'PUT', '[]', ['content-type: application/json'])
    problem(heads, raw, 400, 'INVALID_MSG_FORMAT')
    v, code, heads, raw = req(one)
    expect(code == 200 and json.loads(raw) == failed, 'a refused PUT changed it: %r' % raw)
    v, code, heads, raw = req(p % 'imsi-999700000000999', 'PUT', EVENT)
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(p % 'imsi-999700000000999')
    problem(heads, raw, 404, 'USER_NOT_FOUND')
    v, code, heads, raw = req(p % 'imsi-99', 'PUT', EVENT)
    problem(heads, raw, 400, 'MANDATORY_IE_INCORRECT')
    v, code, heads, raw = req(one, 'PATCH', '[]', ['content-type: application/json-patch+json'])
    problem(heads, raw, 405)
    expect('DELETE' in heads.get('allow', '') and 'PUT' in heads.get('allow', ''),
           'allow %r' % heads.get('allow'))
    v, code, heads, raw = req(one, 'DELETE')
    expect(code == 204, 'delete: %d' % code)
    v, code, heads, raw = req(one, 'DELETE')
    problem(heads, raw, 404, 'DATA_NOT_FOUND')
    v, code, heads, raw = req(one)
    problem(heads, raw, 404, 'DATA_NOT_FOUND')


@tap.case
def prov_list_paging_get_delete():
    for i in range(10, 15):
        create(subscriber('imsi-9997000000000%02d' % i))
    seen, after, pages = [], None, 0
    while pages < 20:
        v, code, heads, raw = req(PROV + '?limit=2' + ('&after=' + after if after else ''))
        expect(code == 200, 'list: %d' % code)
        page = json.loads(raw)
        seen += [s['supi'] for s in page['subscribers']]
        expect(all('k' not in s for s in page['subscribers']), 'keys in the list')
        pages += 1
        if 'next' not in page:
            break
        after = page['next']
    expect(seen == sorted(seen) and len(seen) == len(set(seen)) and
           {'imsi-999700000000010', 'imsi-999700000000014'} <= set(seen), 'seen %r' % seen)
    v, code, heads, raw = req(PROV + '?limit=0')
    problem(heads, raw, 400, 'INVALID_QUERY_PARAM')
    v, code, heads, raw = req(PROV + '/imsi-999700000000001?secrets=true')
    s = json.loads(raw)
    expect(code == 200 and s['k'] == K1 and s['opc'] == OPC1, 'secrets %r' % s)
    v, code, heads, raw = req(PROV + '/imsi-999700000000010', 'DELETE')
    expect(code == 204, 'delete: %d' % code)
    v, code, heads, raw = req(PROV + '/imsi-999700000000010', 'DELETE')
    problem(heads, raw, 404, 'USER_NOT_FOUND')


@tap.case
def metrics_count_requests():
    port = int(open(udr.config).read().split('metrics: { port: ')[1].split(' ')[0])
    text = urllib.request.urlopen('http://127.0.0.1:%d/metrics' % port, timeout=10).read().decode()
    expect('sen_sbi_requests_total{service="nudr-dr",status="200"}' in text,
           'no nudr-dr 200 series: %r' % text[:500])
    expect('sen_sbi_requests_total{service="sen-prov",status="201"}' in text, 'no sen-prov 201')


@tap.case
def keys_not_logged():
    log = open(udr.log, errors='replace').read()
    expect(K1 not in log and OPC1 not in log and OP1 not in log, 'key material in the log')


@tap.case
def clean_stop():
    rc = udr.stop()
    expect(rc == 0, 'exit status %d after SIGTERM: %s' % (rc, udr.tail()))


if __name__ == '__main__':
    try:
        udr.start()
    except Exception as e:
        print('1..1\nnot ok 1 - start sen-udr: %s' % e)
        sys.exit(1)
    sys.exit(tap.run())
