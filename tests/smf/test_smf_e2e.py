#!/usr/bin/env python3
"""sen-smf end to end with the real sen-upf, in network namespaces (TAP output).

    gnb ns  10.99.3.2 (n3g) ---- n3u 10.99.3.1  upf ns  n6u 10.99.6.1 ---- n6d 10.99.6.2  dn ns
    sen-smf: N4 on 10.99.3.2:8805,          sen-upf: PFCP + GTP-U on 10.99.3.1,
             Nsmf on 127.0.0.4:7777          TUN sen0 10.45.0.1/16
    smf-peer: fake UDM 127.0.0.12:7777, fake AMF 127.0.0.5:7777, the Nsmf driver
    this script: the gNB's GTP-U on 10.99.3.2:2152

The script drives smf-peer (one command per line, one JSON answer per line) to play the AMF,
checks what the SMF sends (the Accept decoded by lib/nas, the N2 transfer by lib/ngap), and
plays the gNB on N3: a ping from the UE's address to a host in the dn namespace goes through
the UPF with the TEIDs the SMF set up. Every wait is bounded; processes and namespaces are
removed on any exit.

With a sen-nrf (optional 4th argument) in the gnb namespace, the SMF registers its profile
there, and finds the fake UDM and AMF (not registered) through its fallback to sen.yaml.

Usage: test_smf_e2e.py sen-smf sen-upf smf-peer [sen-nrf]
"""
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import netkit  # noqa: E402
from netkit import enter_ns, gpdu, icmp_echo, parse_gtpu  # noqa: E402

SMF_BIN, UPF_BIN, PEER_BIN = sys.argv[1:4]
NRF_BIN = sys.argv[4] if len(sys.argv) > 4 else None
TAG = 'sm%d' % (os.getpid() % 100000)
NS_U, NS_G, NS_D = TAG + 'u', TAG + 'g', TAG + 'd'
UPF_IP, GNB_IP, DN_UPF_IP, DN_IP = '10.99.3.1', '10.99.3.2', '10.99.6.1', '10.99.6.2'
GNB_TEID = 0x7788
SUPI = 'imsi-999700000000001'
ECHO_DATA = b'sen-smf-test' * 4

tap = netkit.Tap(why_max=400)
results = tap.results
procs = []
tmpdir = tempfile.mkdtemp(prefix='sen-smf-test-')


# The namespaces of the diagram above; net.up() builds them.
net = netkit.Topology(
    {'upf': NS_U, 'gnb': NS_G, 'dn': NS_D},
    veths=[('upf', 'n3u', 'gnb', 'n3g'), ('upf', 'n6u', 'dn', 'n6d')],
    addrs=[('upf', 'n3u', UPF_IP + '/24'), ('gnb', 'n3g', GNB_IP + '/24'),
           ('upf', 'n6u', DN_UPF_IP + '/24'), ('dn', 'n6d', DN_IP + '/24')],
    routes=[('dn', '10.45.0.0/16', DN_UPF_IP)],
    sysctls=[('upf', 'net.ipv4.ip_forward=1')],
    procs=procs)


HEAD = 'plmn: { mcc: "999", mnc: "70" }\ntac: [1]\nslices: [ { sst: 1 } ]\n'
CONFIG = HEAD + '''log: { level: debug }
smf:
  sbi: 127.0.0.4:7777
  pfcp: %s
  dnn:
    - { name: internet, ipv4_pool: 10.45.0.0/16, ipv6_prefix: "2001:db8:cafe::/48",
        dns: [10.45.0.1, 8.8.8.8], mtu: 1400 }
    - { name: ims, ipv4_pool: 10.46.0.0/30, dns: [10.46.0.1] }
    - { name: iot, ipv4_pool: 10.47.0.0/24 }
    - { name: v4, ipv4_pool: 10.48.0.0/24 }
  heartbeat: 1
  pfcp_t1: 400
  pfcp_n1: 2
  assoc_retry: 300
upf:
  pfcp: %s
  gtpu: %s
  n6: { tun: sen0, subnet: [10.45.0.1/16], mtu: 1400 }
  heartbeat: 1
udm: { sbi: 127.0.0.12:7777 }
amf: { sbi: 127.0.0.5:7777 }
metrics: { port: 9091 }
''' % (GNB_IP, UPF_IP, UPF_IP) + ('nrf: { sbi: 127.0.0.10:7777 }\n' if NRF_BIN else '')

# ---------------------------------------------------------------------------------------
# IPv4 / ICMP and GTP-U: tests/support/netkit.py (echoes carry ECHO_DATA, G-PDUs QFI 1)


def ping(n3, ue_ip, ul_teid, seq, timeout=2.0):
    n3.sendto(gpdu(ul_teid, icmp_echo(ue_ip, DN_IP, 0x4242, seq, ECHO_DATA), qfi=1),
              (UPF_IP, 2152))
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([n3], [], [], left)[0]:
            return None
        g = parse_gtpu(n3.recvfrom(65535)[0])
        ip = g['payload']
        if g['type'] == 255 and len(ip) >= 28 and ip[9] == 1 and ip[20] == 0 and \
                struct.unpack('!H', ip[26:28])[0] == seq:
            return g


# ---------------------------------------------------------------------------------------


class Peer:
    def __init__(self):
        self.p = subprocess.Popen(['ip', 'netns', 'exec', NS_G, PEER_BIN, '127.0.0.12:7777',
                                   '127.0.0.5:7777', '127.0.0.4:7777'],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=open(os.path.join(tmpdir, 'peer.log'), 'w'))
        procs.append(self.p)
        self.buf = b''

    def line(self, timeout=8.0):
        end = time.monotonic() + timeout
        while b'\n' not in self.buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.p.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk
        l, _, self.buf = self.buf.partition(b'\n')
        return json.loads(l)

    def send(self, text):
        self.p.stdin.write((text + '\n').encode())
        self.p.stdin.flush()

    def cmd(self, text):
        self.send(text)
        r = self.line()
        return r if r is not None else {'status': -1, 'error': 'no answer from smf-peer'}


def metrics(host, port=9091):
    try:
        with urllib.request.urlopen('http://%s:%d/metrics' % (host, port), timeout=3) as r:
            text = r.read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith('#'):
            k, _, v = line.rpartition(' ')
            out[k] = float(v)
    return out


def wait_metric(host, name, want, timeout=6.0):
    end = time.monotonic() + timeout
    v = None
    while time.monotonic() < end:
        v = metrics(host).get(name)
        if v == want:
            return True, v
        time.sleep(0.1)
    return False, v


def wait_notifications(peer, least, timeout=3.0):
    end = time.monotonic() + timeout
    while True:
        n = peer.cmd('notifications').get('count', 0)
        if n >= least or time.monotonic() > end:
            return n
        time.sleep(0.05)


def g(d, *path):
    for k in path:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def config_errors():
    cases = [
        ('no dnn', 'smf: { sbi: 127.0.0.4:7777, pfcp: 127.0.0.4 }\nupf: { pfcp: 127.0.0.7 }',
         ':4: smf.dnn', 'missing'),
        ('bad pool', 'smf: { sbi: 127.0.0.4:7777, pfcp: 127.0.0.4, dnn: [ { name: internet, '
         'ipv4_pool: 16.0.0.0/4 } ] }\nupf: { pfcp: 127.0.0.7 }', ':4: smf.dnn[0].ipv4_pool',
         '8..30'),
        ('no upf', 'smf: { sbi: 127.0.0.4:7777, pfcp: 127.0.0.4, dnn: [ { name: internet, '
         'ipv4_pool: 10.45.0.0/16 } ] }', ':4: smf.upf', 'no UPF'),
    ]
    for name, section, where, what in cases:
        path = os.path.join(tmpdir, 'bad.yaml')
        with open(path, 'w') as f:
            f.write(HEAD + section + '\n')
        p = subprocess.run([SMF_BIN, '-c', path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=10)
        out = p.stdout.decode(errors='replace').strip()
        tap(p.returncode == 1 and (path + where) in out and what in out,
            'config error, %s: %s' % (name, out.splitlines()[-1] if out else ''),
            'rc=%d out=%r' % (p.returncode, out))


def check_accept(r, ip, name):
    n1 = g(r, 'n1n2', 'n1') or {}
    n2 = g(r, 'n1n2', 'n2') or {}
    ok = (r.get('status') == 201 and r.get('ref') and n1.get('nas') == 'accept' and
          (n1.get('ip') == ip if not ip.endswith('.') else str(n1.get('ip')).startswith(ip)) and n1.get('pdu_type') == 1 and n1.get('rule_default') is True and
          n1.get('rule_qfi') == 1 and n1.get('flow_5qi') == 9 and n1.get('sst') == 1 and
          n1.get('ambr_dl_bps', 0) >= 200e6 and n1.get('ambr_ul_bps', 0) >= 100e6 and
          g(r, 'n1n2', 'ngapIeType') == 'PDU_RES_SETUP_REQ' and n2.get('ok') is True and
          n2.get('ul_addr') == UPF_IP and n2.get('ul_teid', 0) > 0 and n2.get('5qi') == 9 and
          n2.get('arp') == 8 and n2.get('qfi') == 1 and n2.get('ambr_dl') == 200e6 and
          g(r, 'n1n2', 'supi') is not None)
    tap(ok, name, r)
    return ok


def main():
    print('1..47', flush=True)
    config_errors()  # 3
    net.up()
    cfg = os.path.join(tmpdir, 'sen.yaml')
    with open(cfg, 'w') as f:
        f.write(CONFIG)
    upf_log = open(os.path.join(tmpdir, 'upf.log'), 'w')
    smf_log = open(os.path.join(tmpdir, 'smf.log'), 'w')

    def start_upf():
        p = subprocess.Popen(['ip', 'netns', 'exec', NS_U, UPF_BIN, '-c', cfg], stdout=upf_log,
                             stderr=subprocess.STDOUT)
        procs.append(p)
        return p

    upf = start_upf()
    if NRF_BIN:
        procs.append(subprocess.Popen(['ip', 'netns', 'exec', NS_G, NRF_BIN, '-c', cfg],
                                      stdout=open(os.path.join(tmpdir, 'nrf.log'), 'w'),
                                      stderr=subprocess.STDOUT))
        time.sleep(0.2)
    smf = subprocess.Popen(['ip', 'netns', 'exec', NS_G, SMF_BIN, '-c', cfg], stdout=smf_log,
                           stderr=subprocess.STDOUT)
    procs.append(smf)
    peer = Peer()
    enter_ns(NS_G)
    n3 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    n3.bind((GNB_IP, 2152))
    tap(peer.line() == {'ready': True}, 'smf-peer serves the fake UDM and AMF')

    ok, v = wait_metric('127.0.0.4', 'sen_smf_pfcp_associations', 1)
    tap(ok, 'PFCP association with the UPF is set up at start', v)

    # ---- NRF registration, TS 29.510 5.2.2.2 (smfInfo: sNssaiSmfInfoList / dnnList)
    if NRF_BIN:
        found = None
        end = time.monotonic() + 6
        while time.monotonic() < end and not found:
            r = peer.cmd('get 127.0.0.10:7777 /nnrf-disc/v1/nf-instances?target-nf-type=SMF'
                         '&requester-nf-type=AMF&service-names=nsmf-pdusession&dnn=internet')
            for p in g(r, 'body', 'nfInstances') or []:
                if p.get('nfType') == 'SMF' and 'internet' in json.dumps(p.get('smfInfo')):
                    found = p
            if not found:
                time.sleep(0.2)
        tap(found is not None, 'the SMF registered with the NRF (type SMF, nsmf-pdusession, '
            'smfInfo with the DNNs)', r)
    else:
        tap(True, 'the SMF registered with the NRF  # SKIP no sen-nrf in this build')

    # ---- establishment, TS 23.502 4.3.2.2.1
    r = peer.cmd('create %s 1 internet 1' % SUPI)
    check_accept(r, '10.45.0.2', 'create SM context: 201, Accept via N1N2 (lib/nas) and Setup '
                 'Request Transfer (lib/ngap)')
    ref1 = r.get('ref')
    n1 = g(r, 'n1n2', 'n1') or {}
    tap(n1.get('dns') == ['10.45.0.1', '8.8.8.8'] and n1.get('mtu') == 1400 and
        n1.get('dnn') == 'internet' and n1.get('psi') == 1 and n1.get('pti') == 7,
        'Accept carries the ePCO DNS servers and MTU, DNN, PSI and PTI', n1)
    ul_teid = g(r, 'n1n2', 'n2', 'ul_teid') or 0
    ok, v = wait_metric(UPF_IP, 'fivegs_upffunction_upf_sessionnbr', 1)
    tap(ok, 'the UPF holds the PFCP session', v)
    tap(ping(n3, '10.45.0.2', ul_teid, 1, timeout=1.0) is None,
        'before the gNB tunnel is known, downlink is buffered (no echo reply on N3)')

    r = peer.cmd('modify %s %s %d' % (ref1, GNB_IP, GNB_TEID))
    tap(r.get('status') == 200 and r.get('upCnxState') == 'ACTIVATED',
        'modify with the N2 Setup Response Transfer: 200 ACTIVATED', r)
    n3.setblocking(False)
    try:
        while True:
            n3.recvfrom(65535)  # the buffered reply flushed by the modification
    except BlockingIOError:
        pass
    n3.setblocking(True)
    rep = ping(n3, '10.45.0.2', ul_teid, 2)
    tap(rep is not None and rep['teid'] == GNB_TEID and rep['qfi'] == 1,
        'ping through the UPF: uplink by the UPF\'s TEID, reply to the gNB TEID with QFI 1',
        rep)

    r = peer.cmd('create %s 2 internet 1' % SUPI)
    check_accept(r, '10.45.0.3', 'a second session of the UE gets the next address')
    ref2 = r.get('ref')

    # ---- rejects, TS 24.501 6.4.1.4 / TS 29.502 6.1.3.2.3.1
    r = peer.cmd('create %s 3 foo 1' % SUPI)
    tap(r.get('status') == 403 and r.get('cause') == 'DNN_NOT_SUPPORTED' and
        g(r, 'n1', 'nas') == 'reject' and g(r, 'n1', 'gsm_cause') == 27 and r.get('multipart'),
        'unknown DNN: 403 DNN_NOT_SUPPORTED with a Reject #27', r)
    r = peer.cmd('create %s 3 iot 1' % SUPI)
    tap(r.get('status') == 403 and r.get('cause') == 'DNN_DENIED' and
        g(r, 'n1', 'gsm_cause') == 27, 'DNN not subscribed: 403 DNN_DENIED, Reject #27', r)
    r = peer.cmd('create imsi-999700000000404 1 internet 1')
    tap(r.get('status') == 403 and r.get('cause') == 'SUBSCRIPTION_DENIED' and
        g(r, 'n1', 'gsm_cause') == 29, 'unknown subscriber at the UDM: Reject #29', r)
    r = peer.cmd('create %s 3 internet 2' % SUPI)
    tap(r.get('status') == 403 and g(r, 'n1', 'nas') == 'reject',
        'slice not served: 403 with a Reject', r)
    r = peer.cmd('create %s 4 ims 1' % SUPI)
    check_accept(r, '10.46.0.2', 'ims (a /30 pool of one address): the one address')
    ref_ims = r.get('ref')
    r = peer.cmd('create imsi-999700000000002 1 ims 1')
    tap(r.get('status') == 500 and r.get('cause') == 'INSUFFICIENT_RESOURCES_SLICE_DNN' and
        g(r, 'n1', 'gsm_cause') == 26, 'pool exhausted: 500 with a Reject #26', r)
    r = peer.cmd('create imsi-999700000000077 1 internet 1')
    check_accept(r, '10.45.0.77', 'static address from the subscription is honoured')
    ref77 = r.get('ref')

    # ---- bad input: 400 ProblemDetails, nothing changes
    json_no_n1 = json.dumps({'supi': SUPI, 'pduSessionId': 5, 'dnn': 'internet',
                             'sNssai': {'sst': 1}, 'servingNfId': 'x'}).encode()
    bad = [
        ('not JSON', 'application/json', b'{{{'),
        ('JSON array', 'application/json', b'[1,2]'),
        ('no n1SmMsg', 'application/json', json_no_n1),
        ('multipart without boundary', 'multipart/related', b'--x\r\n\r\n{}\r\n--x--'),
        ('multipart never closed', 'multipart/related; boundary=x',
         b'--x\r\nContent-Type: application/json\r\n\r\n{"supi":1}'),
        ('garbage', 'multipart/related; boundary=x', os.urandom(3000)),
    ]
    all_ok, detail = True, []
    for name, ct, body in bad:
        r = peer.cmd('raw %s %s' % (ct.replace(' ', ''), body.hex()))
        if r.get('status') != 400:
            all_ok = False
            detail.append((name, r))
    tap(all_ok, 'malformed JSON / multipart / members: 400 ProblemDetails', detail)
    n1_garbage = (b'--b\r\nContent-Type: application/json\r\n\r\n' +
                  json_no_n1[:-1] + b',"n1SmMsg":{"contentId":"n1"}}\r\n--b\r\n'
                  b'Content-Type: application/vnd.3gpp.5gnas\r\nContent-Id: n1\r\n\r\n'
                  b'\x2e\x05\x01\xff\r\n--b--')
    r = peer.cmd('raw multipart/related;boundary=b %s' % n1_garbage.hex())
    tap(r.get('status') == 403 and r.get('cause') == 'N1_SM_ERROR',
        'an N1 part that is no Establishment Request: 403 N1_SM_ERROR', r)
    r = peer.cmd('modify 999999 %s 1' % GNB_IP)
    tap(r.get('status') == 404 and r.get('cause') == 'CONTEXT_NOT_FOUND',
        'modify of an unknown SM context: 404 CONTEXT_NOT_FOUND', r)
    rep = ping(n3, '10.45.0.2', ul_teid, 3)
    tap(rep is not None and rep['teid'] == GNB_TEID, 'after bad input the session still works')

    # ---- UE-requested release, TS 23.502 4.3.4.2
    r = peer.cmd('n1 %s 1 release' % ref1)
    tap(r.get('status') == 200 and g(r, 'n1', 'nas') == 'release_command' and
        g(r, 'n1', 'gsm_cause') == 36 and r.get('n2type') == 'PDU_RES_REL_CMD' and
        r.get('n2ok') is True and r.get('upCnxState') == 'DEACTIVATED',
        'UE-requested release: 200 with Release Command #36 and N2 Release Command Transfer', r)
    tap(ping(n3, '10.45.0.2', ul_teid, 4, timeout=1.0) is None,
        'after release the UPF no longer forwards the session')
    r = peer.cmd('n1 %s 1 complete' % ref1)
    tap(r.get('status') == 204, 'Release Complete: 204', r)
    n = wait_notifications(peer, 1)
    tap(n >= 1, 'the AMF got the SM context status notification', n)
    r = peer.cmd('create imsi-999700000000003 1 internet 1')
    check_accept(r, '10.45.0.2', 'the released address is allocated again')
    ref3 = r.get('ref')

    # ---- AMF-initiated release, TS 29.502 5.2.2.4
    r = peer.cmd('release %s' % ref_ims)
    tap(r.get('status') == 204, 'release SM context: 204', r)
    r = peer.cmd('create imsi-999700000000002 1 ims 1')
    check_accept(r, '10.46.0.2', 'after release the /30 pool has its address back')
    ref_ims2 = r.get('ref')
    r = peer.cmd('deactivate %s' % ref2)
    tap(r.get('status') == 200 and r.get('upCnxState') == 'DEACTIVATED',
        'AN release (upCnxState DEACTIVATED): 200', r)

    m = metrics('127.0.0.4')
    fails = sum(v for k, v in m.items() if k.startswith('fivegs_smffunction_sm_pdusessioncreationfail'))
    tap(m.get('fivegs_smffunction_sm_pdusessioncreationreq', 0) >= 13 and
        m.get('fivegs_smffunction_sm_pdusessioncreationsucc') == 6 and fails >= 5 and
        m.get('fivegs_smffunction_sm_pdusessioncreationfail{cause="27"}') == 2 and
        m.get('fivegs_smffunction_sm_sessionnbr') == 4,
        'metrics: creation req / succ / fail{cause}, sessions', {k: v for k, v in m.items()
                                                               if 'smf' in k})

    # ---- IPv6 prefixes, TS 24.501 6.4.1.3 / TS 23.501 5.8.2.2 (the sessions are released
    # again, so the counts below are those of the IPv4 sessions above)
    v6 = 'sen_smf_ue_addresses{family="ipv6"}'
    r = peer.cmd('create %s 6 internet 1 3' % SUPI)
    n1 = g(r, 'n1n2', 'n1') or {}
    n2 = g(r, 'n1n2', 'n2') or {}
    iid = n1.get('iid') or ''
    ok6, v = wait_metric('127.0.0.4', v6, 1)
    tap(r.get('status') == 201 and n1.get('nas') == 'accept' and n1.get('pdu_type') == 3 and
        n1.get('addr_type') == 3 and len(iid) == 16 and int(iid, 16) not in (0, 1) and
        str(n1.get('ip')).startswith('10.45.0.') and 'accept_cause' not in n1 and
        n2.get('pdu_type') == 2 and ok6,
        'IPv4v6 on a DNN with an ipv6_prefix: Accept IPv4v6 with an IPv4 address and a '
        'non-zero interface identifier, no #50; N2 PDU session type ipv4v6; a /64 in use', r)
    ref6 = r.get('ref')
    r = peer.cmd('create %s 9 internet 1 2' % SUPI)
    n1 = g(r, 'n1n2', 'n1') or {}
    ok6, v = wait_metric('127.0.0.4', v6, 2)
    tap(r.get('status') == 201 and n1.get('pdu_type') == 2 and n1.get('addr_type') == 2 and
        len(n1.get('iid') or '') == 16 and n1.get('iid') != iid and 'ip' not in n1 and
        g(r, 'n1n2', 'n2', 'pdu_type') == 1 and ok6,
        'IPv6: Accept IPv6 with its own interface identifier only; a second /64 in use', r)
    ref9 = r.get('ref')
    r = peer.cmd('create %s 7 v4 1 3' % SUPI)
    n1 = g(r, 'n1n2', 'n1') or {}
    tap(r.get('status') == 201 and n1.get('pdu_type') == 1 and n1.get('addr_type') == 1 and
        n1.get('accept_cause') == 50 and str(n1.get('ip')).startswith('10.48.0.'),
        'IPv4v6 on a DNN without an ipv6_prefix: IPv4 with #50 (IPv4 only allowed)', r)
    ref7 = r.get('ref')
    r = peer.cmd('create %s 8 v4 1 2' % SUPI)
    tap(r.get('status') == 403 and r.get('cause') == 'PDUTYPE_DENIED' and
        g(r, 'n1', 'nas') == 'reject' and g(r, 'n1', 'gsm_cause') == 50,
        'IPv6 on a DNN without an ipv6_prefix: 403 PDUTYPE_DENIED with a Reject #50', r)
    r1 = peer.cmd('n1 %s 6 release' % ref6)
    r2 = peer.cmd('n1 %s 6 complete' % ref6)
    r3 = peer.cmd('release %s' % ref9)
    r4 = peer.cmd('release %s' % ref7)
    ok6, v = wait_metric('127.0.0.4', v6, 0)
    tap(r1.get('status') == 200 and r2.get('status') == 204 and r3.get('status') == 204 and
        r4.get('status') == 204 and ok6,
        'UE-requested and AMF releases give the /64s back', (r1, r2, r3, r4, v))
    r = peer.cmd('create %s 6 internet 1 3' % SUPI)
    tap(g(r, 'n1n2', 'n1', 'iid') not in (None, iid) and g(r, 'n1n2', 'n1', 'pdu_type') == 3,
        'a new IPv4v6 session gets a new interface identifier', r)
    peer.cmd('release %s' % r.get('ref'))
    ok6, v = wait_metric('127.0.0.4', v6, 0)
    ok, v2 = wait_metric(UPF_IP, 'fivegs_upffunction_upf_sessionnbr', 4)
    tap(ok6 and ok, 'after the releases: no /64 in use, the UPF holds the 4 IPv4 sessions',
        (v, v2))

    # ---- retransmission, TS 29.244 6.4: the UPF sleeps through the first Establishment
    upf.send_signal(signal.SIGSTOP)
    peer.send('create imsi-999700000000005 1 internet 1')
    time.sleep(0.6)
    upf.send_signal(signal.SIGCONT)
    r = peer.line() or {}
    with open(os.path.join(tmpdir, 'smf.log')) as f:
        retx = 'T1 expired: Session Establishment Request' in f.read()
    ok, v = wait_metric(UPF_IP, 'fivegs_upffunction_upf_sessionnbr', 5)
    tap(retx and ok and g(r, 'n1n2', 'n1', 'nas') == 'accept',
        'PFCP request retransmitted after T1; the late answers are matched once', (retx, v, r))

    # ---- node loss and recovery, TS 29.244 6.2.2
    before = peer.cmd('notifications').get('count', 0)
    upf.send_signal(signal.SIGKILL)
    upf.wait(timeout=5)
    ok, v = wait_metric('127.0.0.4', 'sen_smf_pfcp_associations', 0, timeout=8)
    ok2, v2 = wait_metric('127.0.0.4', 'fivegs_smffunction_sm_sessionnbr', 0, timeout=3)
    after = wait_notifications(peer, before + 4)
    tap(ok and ok2 and after >= before + 5,
        'UPF lost (no heartbeat answers): association down, sessions released, AMF notified',
        (v, v2, before, after))
    r = peer.cmd('create %s 1 internet 1' % SUPI)
    tap(r.get('status') == 504 and g(r, 'n1', 'gsm_cause') == 26,
        'without a UPF: 504 UPF_NOT_RESPONDING with a Reject #26', r)
    upf = start_upf()
    ok, v = wait_metric('127.0.0.4', 'sen_smf_pfcp_associations', 1, timeout=10)
    tap(ok, 'the restarted UPF is associated again', v)
    r = peer.cmd('create %s 1 internet 1' % SUPI)
    check_accept(r, '10.45.0.', 'sessions work again after the UPF came back')
    ok, v = wait_metric(UPF_IP, 'fivegs_upffunction_upf_sessionnbr', 1)
    tap(ok, 'the new UPF holds exactly the new session', v)
    _ = (ref3, ref77, ref_ims2)

    peer.cmd('quit')
    smf.send_signal(signal.SIGTERM)
    try:
        rc = smf.wait(timeout=5)
    except subprocess.TimeoutExpired:
        rc = None
    tap(rc == 0, 'SIGTERM stops sen-smf cleanly', rc)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # a crash is a failure, never a silent pass
        tap(False, 'test script raised %r' % e)
    finally:
        if not all(results):
            for name in ('smf.log', 'peer.log'):
                try:
                    with open(os.path.join(tmpdir, name)) as f:
                        tail = f.read().splitlines()[-40:]
                    print('# --- %s' % name)
                    for l in tail:
                        print('# ' + l)
                except OSError:
                    pass
        if all(results):
            shutil.rmtree(tmpdir, ignore_errors=True)
        sys.exit(0 if all(results) else 1)
