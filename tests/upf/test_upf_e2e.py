#!/usr/bin/env python3
"""sen-upf end to end, in network namespaces (TAP output).

Topology (three namespaces, two veth pairs, names unique per run):

    gnb ns  10.99.3.2 (n3g) ---- n3u 10.99.3.1  upf ns  n6u 10.99.6.1 ---- n6d 10.99.6.2  dn ns
    test SMF (PFCP :8805)              sen-upf: PFCP + GTP-U on 10.99.3.1,   2001:db8:99::1/64
    test gNB (GTP-U :2152)             TUN sen0 10.45.0.1/16 and            2001:db8:99::2/64
                                       2001:db8:cafe::1/48, forwarding on,
                                       2 data-plane workers

This script plays the SMF (PFCP with raw bytes, TS 29.244) and the gNB (GTP-U, TS 29.281,
with the PDU Session Container of TS 38.415) from the gnb namespace, pings a host in the dn
namespace from UE 10.45.0.2 through the UPF, and checks every answer. An IPv4v6 session
(the /64 2001:db8:cafe:1::/64 in the UE IP Address IE, V4 and V6) pings the dn host over
IPv6 and gets a Router Advertisement of its /64 for a Router Solicitation; many sessions
at once spread over the two workers. tshark then decodes a capture of the well-formed
exchange. Namespaces and the daemon are removed on any exit, and every wait is bounded.

Usage: test_upf_e2e.py path/to/sen-upf
"""
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import netkit  # noqa: E402
from netkit import (echo6, enter_ns, gpdu, icmp6, icmp_echo, parse_gtpu, parse_ra,  # noqa: E402
                    router_solicitation)

UPF_BIN = sys.argv[1]
TAG = 'su%d' % (os.getpid() % 100000)
NS_U, NS_G, NS_D = TAG + 'u', TAG + 'g', TAG + 'd'
UPF_IP, GNB_IP, DN_UPF_IP, DN_IP = '10.99.3.1', '10.99.3.2', '10.99.6.1', '10.99.6.2'
UE_IP = '10.45.0.2'
DN_UPF_IP6, DN_IP6 = '2001:db8:99::1', '2001:db8:99::2'
UE_PFX6 = '2001:db8:cafe:1::'  # the IPv4v6 session's /64
UE_IP6 = '2001:db8:cafe:1::5'
UE_IP4_2 = '10.45.0.3'
BAD_PORT = 40000  # malformed input is sent from here; the tshark check ignores it
ECHO6_DATA = b'sen-upf-v6' * 4

tap = netkit.Tap()
results = tap.results
procs = []
tmpdir = tempfile.mkdtemp(prefix='sen-upf-test-')


# The namespaces of the diagram above, with IPv6 on N6 too; net.up() builds them.
net = netkit.Topology(
    {'upf': NS_U, 'gnb': NS_G, 'dn': NS_D},
    veths=[('upf', 'n3u', 'gnb', 'n3g'), ('upf', 'n6u', 'dn', 'n6d')],
    addrs=[('upf', 'n3u', UPF_IP + '/24'), ('gnb', 'n3g', GNB_IP + '/24'),
           ('upf', 'n6u', DN_UPF_IP + '/24'), ('dn', 'n6d', DN_IP + '/24'),
           ('upf', 'n6u', DN_UPF_IP6 + '/64'), ('dn', 'n6d', DN_IP6 + '/64')],
    routes=[('dn', '10.45.0.0/16', DN_UPF_IP), ('dn', '2001:db8:cafe::/48', DN_UPF_IP6)],
    sysctls=[('upf', 'net.ipv4.ip_forward=1'), ('upf', 'net.ipv6.conf.all.disable_ipv6=0'),
             ('dn', 'net.ipv6.conf.all.disable_ipv6=0'),
             ('upf', 'net.ipv6.conf.all.forwarding=1')],
    procs=procs)


CONFIG = '''plmn: { mcc: "999", mnc: "70" }
tac: [1]
slices: [ { sst: 1 } ]
log: { level: debug }
upf:
  pfcp: %s
  gtpu: %s
  n6: { tun: sen0, subnet: [10.45.0.1/16, "2001:db8:cafe::1/48"], mtu: 1400 }
  heartbeat: 1
  workers: 2
metrics: { port: 9090 }
''' % (UPF_IP, UPF_IP)

# ---------------------------------------------------------------------------------------
# PFCP (TS 29.244 7.2.2 header, 8.1.1 IE format)


def ie(t, v):
    return struct.pack('!HH', t, len(v)) + v


def pfcp(mtype, seq, body, seid=None, version=1):
    if seid is None:
        return struct.pack('!BBHI', version << 5, mtype, len(body) + 4, seq << 8) + body
    return struct.pack('!BBHQI', (version << 5) | 1, mtype, len(body) + 12, seid,
                       seq << 8) + body


def parse_ies(b):
    out = []
    while len(b) >= 4:
        t, n = struct.unpack('!HH', b[:4])
        out.append((t, b[4:4 + n]))
        b = b[4 + n:]
    return out


def parse_pfcp(b):
    flags, mtype, length = struct.unpack('!BBH', b[:4])
    if flags & 1:
        seid, seqw = struct.unpack('!QI', b[4:16])
        body = b[16:4 + length]
    else:
        seid = None
        seqw, = struct.unpack('!I', b[4:8])
        body = b[8:4 + length]
    return {'type': mtype, 'seid': seid, 'seq': seqw >> 8, 'ies': parse_ies(body)}


def get(ies, t):
    for k, v in ies:
        if k == t:
            return v
    return None


def cause_of(m):
    v = get(m['ies'], 19)
    return v[0] if v else None


def node_id(ip):
    return ie(60, b'\x00' + socket.inet_aton(ip))


RECOVERY = ie(96, struct.pack('!I', 3900000000))


def create_pdr(pdr_id, prec, pdi, far_id, qer_id=None, urr_id=None, ohr=False):
    b = ie(56, struct.pack('!H', pdr_id)) + ie(29, struct.pack('!I', prec)) + ie(2, pdi)
    if ohr:
        b += ie(95, b'\x00')  # GTP-U/UDP/IPv4
    b += ie(108, struct.pack('!I', far_id))
    if urr_id:
        b += ie(81, struct.pack('!I', urr_id))
    if qer_id:
        b += ie(109, struct.pack('!I', qer_id))
    return ie(1, b)


def ohc(teid, ip):
    return ie(84, struct.pack('!HI', 0x0100, teid) + socket.inet_aton(ip))


def create_far(far_id, action, dst_if, extra=b''):
    fwd = ie(4, ie(42, bytes([dst_if])) + extra)
    return ie(3, ie(108, struct.pack('!I', far_id)) + ie(44, bytes([action])) + fwd)


def mbr(ul_kbps, dl_kbps):
    return ie(26, ul_kbps.to_bytes(5, 'big') + dl_kbps.to_bytes(5, 'big'))


def create_qer(qer_id, gate=0, qfi=9, rate=None):
    b = ie(109, struct.pack('!I', qer_id)) + ie(25, bytes([gate]))
    if rate:
        b += mbr(*rate)
    return ie(7, b + ie(124, bytes([qfi])))


def ue_ip_ie(v4, pfx6, sd):
    """UE IP Address (8.2.62): V4 and/or V6 (the /64 with a zero interface identifier)."""
    flags = (0x02 if v4 else 0) | (0x01 if pfx6 else 0) | (0x04 if sd else 0)
    return ie(93, bytes([flags]) + (socket.inet_aton(v4) if v4 else b'') +
              (socket.inet_pton(socket.AF_INET6, pfx6) if pfx6 else b''))


def establishment(seq, cp_seid, dl_teid, qfi=9, skip=(), ue4=UE_IP, pfx6=None):
    ni = ie(22, b'\x08internet')
    ul_pdi = ie(20, b'\x00') + ie(21, b'\x05') + ni + ie(124, bytes([qfi]))
    if pfx6:  # anti-spoofing on the uplink by address and /64
        ul_pdi += ue_ip_ie(ue4, pfx6, False)
    dl_pdi = ie(20, b'\x01') + ni + ue_ip_ie(ue4, pfx6, True)
    parts = {
        'node': node_id(GNB_IP),
        'fseid': ie(57, b'\x02' + struct.pack('!Q', cp_seid) + socket.inet_aton(GNB_IP)),
        'pdr1': create_pdr(1, 200, ul_pdi, 1, qer_id=1, urr_id=1, ohr=True),
        'pdr2': create_pdr(2, 200, dl_pdi, 2, qer_id=1, urr_id=1),
        'far1': create_far(1, 0x02, 1),
        'far2': create_far(2, 0x02, 0, ohc(dl_teid, GNB_IP)),
        'qer': create_qer(1, qfi=qfi),
        'urr': ie(6, ie(81, struct.pack('!I', 1)) + ie(62, b'\x02') + ie(37, b'\x00\x00')),
    }
    body = b''.join(v for k, v in parts.items() if k not in skip)
    return pfcp(50, seq, body, seid=0)


def update_far(far_id, action=None, fwd=b''):
    b = ie(108, struct.pack('!I', far_id))
    if action is not None:
        b += ie(44, bytes([action]))
    if fwd:
        b += ie(11, fwd)
    return ie(10, b)


def update_qer(qer_id, gate):
    return ie(14, ie(109, struct.pack('!I', qer_id)) + ie(25, bytes([gate])))


# ---------------------------------------------------------------------------------------
# IPv4 / ICMP, IPv6 / ICMPv6 and GTP-U: tests/support/netkit.py (ICMPv6 echoes carry
# ECHO6_DATA)


class Peer:
    """The test SMF (PFCP on 8805) and gNB (GTP-U on 2152), in the gnb namespace."""

    def __init__(self):
        self.n4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.n4.bind((GNB_IP, 8805))
        self.n3 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.n3.bind((GNB_IP, 2152))
        self.bad = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.bad.bind((GNB_IP, BAD_PORT))
        self.seq = 100
        self.upf_requests = []  # requests the UPF sent us (heartbeat, report)

    def next_seq(self):
        self.seq += 1
        return self.seq

    def request(self, msg, sock=None, timeout=3.0):
        """Send a PFCP request and return the response with the same sequence number."""
        sock = sock or self.n4
        seq = parse_pfcp(msg)['seq'] if len(msg) >= 8 else None
        sock.sendto(msg, (UPF_IP, 8805))
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                return None
            data, _ = sock.recvfrom(65535)
            m = parse_pfcp(data)
            if m['type'] in (1, 56):  # a request from the UPF: answer it
                self.answer_upf(m, sock)
                continue
            if seq is None or m['seq'] == seq:
                return m

    def answer_upf(self, m, sock):
        self.upf_requests.append(m)
        if m['type'] == 1:
            sock.sendto(pfcp(2, m['seq'], RECOVERY), (UPF_IP, 8805))
        elif m['type'] == 56:
            sock.sendto(pfcp(57, m['seq'], ie(19, b'\x01'), seid=m['seid']), (UPF_IP, 8805))

    def wait_upf_request(self, mtype, timeout=3.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for m in self.upf_requests:
                if m['type'] == mtype:
                    self.upf_requests.remove(m)
                    return m
            if select.select([self.n4], [], [], max(0, end - time.monotonic()))[0]:
                data, _ = self.n4.recvfrom(65535)
                m = parse_pfcp(data)
                if m['type'] in (1, 56):
                    self.answer_upf(m, self.n4)
        return None

    def gtpu_recv(self, timeout=2.0, sock=None, want=None):
        """The next GTP-U message (optionally of type `want`) on N3, or None."""
        sock = sock or self.n3
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                return None
            data, _ = sock.recvfrom(65535)
            g = parse_gtpu(data)
            if want is None or g['type'] == want:
                return g

    def drain(self):
        for s in (self.n3, self.bad):
            while select.select([s], [], [], 0)[0]:
                s.recvfrom(65535)

    def ping6(self, ul_teid, seq, src=UE_IP6, timeout=2.0):
        """ICMPv6 echo from the UE to the dn host in a G-PDU; the reply's G-PDU or None."""
        self.n3.sendto(gpdu(ul_teid, echo6(src, DN_IP6, 0x6666, seq, ECHO6_DATA)),
                       (UPF_IP, 2152))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            g = self.gtpu_recv(end - time.monotonic(), want=255)
            if g is None:
                return None
            ip = g['payload']
            if len(ip) >= 48 and ip[0] >> 4 == 6 and ip[6] == 58 and ip[40] == 129 and \
                    struct.unpack('!H', ip[46:48])[0] == seq:
                return g
        return None

    def ping(self, ul_teid, seq, timeout=2.0, qfi=9):
        """Send one echo request in a G-PDU; return the reply's GTP-U message or None."""
        self.n3.sendto(gpdu(ul_teid, icmp_echo(UE_IP, DN_IP, 0x4242, seq), qfi),
                       (UPF_IP, 2152))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            g = self.gtpu_recv(end - time.monotonic(), want=255)
            if g is None:
                return None
            ip = g['payload']
            if len(ip) >= 28 and ip[9] == 1 and ip[20] == 0 and \
                    struct.unpack('!H', ip[26:28])[0] == seq:
                return g
        return None


def metrics():
    try:
        with urllib.request.urlopen('http://%s:9090/metrics' % UPF_IP, timeout=3) as r:
            text = r.read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith('#'):
            k, _, v = line.rpartition(' ')
            out[k] = float(v)
    return out


def config_errors():
    """Bad configuration stops start-up with file:line: upf.key: problem."""
    cases = [
        ('missing pfcp', 'upf: { gtpu: 10.0.0.1 }', ':4: upf.pfcp', 'missing'),
        ('bad subnet', 'upf: { pfcp: 10.0.0.1, gtpu: 10.0.0.1, n6: { subnet: [10.45.0.0/16] } }',
         ':4: upf.n6.subnet', 'gateway'),
        ('bad address', 'upf: { pfcp: 10.0.0.300, gtpu: 10.0.0.1 }', ':4: upf.pfcp', 'IPv4'),
        ('bad port', 'upf: { pfcp: "10.0.0.1:0", gtpu: 10.0.0.1 }', ':4: upf.pfcp', 'range'),
        ('bad mtu', 'upf: { pfcp: 10.0.0.1, gtpu: 10.0.0.1, n6: { mtu: 100 } }',
         ':4: upf.n6.mtu', 'range'),
        ('unknown key', 'upf: { pfcp: 10.0.0.1, gtpu: 10.0.0.1, tunn: x }', ':4: upf',
         'tunn'),
        ('workers 0', 'upf: { pfcp: 10.0.0.1, gtpu: 10.0.0.1, workers: 0 }', ':4: upf.workers',
         'range'),
        ('workers too many', 'upf: { pfcp: 10.0.0.1, gtpu: 10.0.0.1, workers: 1000 }',
         ':4: upf.workers', 'range'),
        ('IPv6 subnet without gateway', 'upf: { pfcp: 10.0.0.1, gtpu: 10.0.0.1, '
         'n6: { subnet: ["2001:db8:cafe::/48"] } }', ':4: upf.n6.subnet', 'gateway'),
    ]
    for name, section, where, what in cases:
        path = os.path.join(tmpdir, 'bad.yaml')
        with open(path, 'w') as f:
            f.write('plmn: { mcc: "999", mnc: "70" }\ntac: [1]\nslices: [ { sst: 1 } ]\n' +
                    section + '\n')
        p = subprocess.run([UPF_BIN, '-c', path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=10)
        out = p.stdout.decode(errors='replace').strip()
        ok = p.returncode == 1 and (path + where) in out and what in out
        tap(ok, 'config error, %s: %s' % (name, out.splitlines()[-1] if out else ''),
            'rc=%d out=%r' % (p.returncode, out))


def main():
    print('1..49', flush=True)
    config_errors()  # 9 cases
    net.up()
    cfg = os.path.join(tmpdir, 'sen.yaml')
    with open(cfg, 'w') as f:
        f.write(CONFIG)
    log = open(os.path.join(tmpdir, 'upf.log'), 'w')
    upf = subprocess.Popen(['ip', 'netns', 'exec', NS_U, UPF_BIN, '-c', cfg], stdout=log,
                           stderr=subprocess.STDOUT)
    procs.append(upf)
    pcap = os.path.join(tmpdir, 'n3.pcap')
    cap = subprocess.Popen(['ip', 'netns', 'exec', NS_G, 'tshark', '-q', '-i', 'n3g', '-w',
                            pcap], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    procs.append(cap)
    enter_ns(NS_G)
    peer = Peer()

    # 7: up and answering heartbeats (TS 29.244 7.4.2)
    hb = None
    end = time.monotonic() + 10
    while hb is None and time.monotonic() < end and upf.poll() is None:
        hb = peer.request(pfcp(1, peer.next_seq(), RECOVERY), timeout=0.5)
    tap(hb is not None and hb['type'] == 2 and get(hb['ies'], 96) is not None,
        'Heartbeat Response with Recovery Time Stamp', 'no answer')
    if hb is None:
        log.flush()
        print(open(os.path.join(tmpdir, 'upf.log')).read(), file=sys.stderr)
    # tshark needs a moment to start capturing
    time.sleep(1.0)

    # 8: no association yet -> cause 72
    m = peer.request(establishment(peer.next_seq(), 0x1001, 0x5001))
    tap(m is not None and m['type'] == 51 and cause_of(m) == 72,
        'Session Establishment without association: cause 72', repr(m))

    # 9: association setup (7.4.4.1/2)
    m = peer.request(pfcp(5, peer.next_seq(), node_id(GNB_IP) + RECOVERY +
                          ie(89, b'\x00')))
    feat = get(m['ies'], 43) if m else None
    tap(m is not None and m['type'] == 6 and cause_of(m) == 1 and feat is not None and
        feat[0] & 0x10 and get(m['ies'], 60) == b'\x00' + socket.inet_aton(UPF_IP),
        'Association Setup accepted, UP features with FTUP, Node ID', repr(m))

    # 10: the UPF heartbeats us (heartbeat: 1 s)
    m = peer.wait_upf_request(1, timeout=3)
    tap(m is not None and get(m['ies'], 96) is not None, 'UPF sends Heartbeat Requests',
        'none within 3 s')

    # 11: session establishment with CHOOSE
    seq = peer.next_seq()
    est = establishment(seq, 0x1001, 0x5001)
    m = peer.request(est)
    ul_teid = None
    up_seid = None
    ok = m is not None and m['type'] == 51 and cause_of(m) == 1 and m['seid'] == 0x1001
    if ok:
        fseid = get(m['ies'], 57)
        up_seid = struct.unpack('!Q', fseid[1:9])[0]
        cp = get(m['ies'], 8)
        ft = get(parse_ies(cp), 21) if cp else None
        ok = ft is not None and ft[0] == 0x01 and ft[5:9] == socket.inet_aton(UPF_IP)
        if ok:
            ul_teid = struct.unpack('!I', ft[1:5])[0]
    tap(ok and ul_teid != 0, 'Session Establishment: UP F-SEID, Created PDR with chosen '
        'F-TEID on N3', repr(m))

    # 12: retransmission gets the same answer, no second session (6.4)
    m2 = peer.request(est)
    tap(m2 is not None and m2 == m and metrics().get('fivegs_upffunction_upf_sessionnbr') == 1,
        'retransmitted establishment: same response, one session', repr(m2))

    # 13: ping through the UPF
    g = None
    for i in range(5):
        g = peer.ping(ul_teid or 0, 1 + i, timeout=1.0)
        if g:
            break
    tap(g is not None and g['teid'] == 0x5001 and g['qfi'] == 9 and g['psc_type'] == 0,
        'ICMP echo UE -> dn and back: reply in a G-PDU with the gNB TEID and QFI 9',
        repr(g))

    # 14: GTP-U echo (TS 29.281 7.2.1/7.2.2)
    peer.n3.sendto(struct.pack('!BBHIHBB', 0x32, 1, 4, 0, 0x1234, 0, 0), (UPF_IP, 2152))
    e = peer.gtpu_recv(2.0, want=2)
    tap(e is not None and e['seq'] == 0x1234, 'GTP-U Echo Response with the same sequence',
        repr(e))

    # 15: modification: new gNB TEID, with SNDEM -> End Marker on the old path
    new_fwd = ohc(0x5002, GNB_IP) + ie(49, b'\x02')
    m = peer.request(pfcp(52, peer.next_seq(), update_far(2, fwd=new_fwd), seid=up_seid))
    em = peer.gtpu_recv(2.0, want=254)
    tap(m is not None and m['type'] == 53 and cause_of(m) == 1 and m['seid'] == 0x1001 and
        em is not None and em['teid'] == 0x5001,
        'Session Modification (new gNB TEID, SNDEM): accepted, End Marker on old TEID',
        'rsp=%r em=%r' % (m, em))
    g = peer.ping(ul_teid, 20)
    tap(g is not None and g['teid'] == 0x5002, 'after modification the reply uses the new '
        'TEID', repr(g))

    # 17-18: QER gate closed (UL) drops; opened again forwards (TS 29.244 5.2.4)
    m = peer.request(pfcp(52, peer.next_seq(), update_qer(1, 0x04), seid=up_seid))
    g = peer.ping(ul_teid, 30, timeout=1.0)
    tap(m is not None and cause_of(m) == 1 and g is None, 'UL gate closed: packets dropped',
        repr(g))
    m = peer.request(pfcp(52, peer.next_seq(), update_qer(1, 0x00), seid=up_seid))
    g = peer.ping(ul_teid, 31)
    tap(g is not None, 'gate open again: traffic flows', repr(m))

    # 19-20: buffering with NOCP -> Session Report (DLDR), then FORW flushes the buffer
    m = peer.request(pfcp(52, peer.next_seq(), update_far(2, action=0x0c), seid=up_seid))
    dn_ping = subprocess.Popen(['ip', 'netns', 'exec', NS_D, 'ping', '-c', '1', '-W', '3',
                                UE_IP], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(dn_ping)
    rep = peer.wait_upf_request(56, timeout=3)
    dldr = get(rep['ies'], 83) if rep else None
    pdr_in = get(parse_ies(dldr), 56) if dldr else None
    tap(m is not None and cause_of(m) == 1 and rep is not None and rep['seid'] == 0x1001 and
        get(rep['ies'], 39) == b'\x01' and pdr_in == b'\x00\x02',
        'FAR BUFF|NOCP: DL data -> Session Report Request (DLDR, PDR 2)', repr(rep))
    m = peer.request(pfcp(52, peer.next_seq(), update_far(2, action=0x02), seid=up_seid))
    g = peer.gtpu_recv(2.0, want=255)
    ok = g is not None and g['teid'] == 0x5002 and len(g['payload']) >= 28 and \
        g['payload'][20] == 8
    tap(m is not None and cause_of(m) == 1 and ok,
        'FAR back to FORW: the buffered packet is delivered to the gNB', repr(g))
    try:
        dn_ping.wait(timeout=5)
    except subprocess.TimeoutExpired:
        dn_ping.kill()

    # 21-27: malformed and refused PFCP (TS 29.244 7.6), from the "bad" port
    m = peer.request(establishment(peer.next_seq(), 0x2001, 0x6001, skip=('fseid',)),
                     sock=peer.bad)
    tap(m is not None and cause_of(m) == 66 and get(m['ies'], 40) == b'\x00\x39',
        'establishment without CP F-SEID: cause 66, Offending IE F-SEID', repr(m))
    m = peer.request(establishment(peer.next_seq(), 0x2002, 0x6001, skip=('far1',)),
                     sock=peer.bad)
    tap(m is not None and m['type'] == 51 and cause_of(m) in (73, 64) and
        metrics().get('fivegs_upffunction_upf_sessionnbr') == 1,
        'PDR naming an unknown FAR: rejected, no session created', repr(m))
    m = peer.request(pfcp(52, peer.next_seq(), update_qer(1, 0), seid=0xdead), sock=peer.bad)
    tap(m is not None and m['type'] == 53 and cause_of(m) == 65 and m['seid'] == 0,
        'modification of an unknown session: cause 65', repr(m))
    bad_fteid = ie(1, ie(56, b'\x00\x09') + ie(29, b'\x00\x00\x00\x01') +
                   ie(2, ie(20, b'\x00') + ie(21, b'\x01\x00\x00')) + ie(108, b'\x00\x00\x00\x01'))
    m = peer.request(pfcp(52, peer.next_seq(), bad_fteid, seid=up_seid), sock=peer.bad)
    tap(m is not None and cause_of(m) in (68, 69) and m['seid'] == 0x1001,
        'Create PDR with a truncated F-TEID: cause 68/69, session SEID kept', repr(m))
    m = peer.request(pfcp(1, peer.next_seq(), RECOVERY, version=2), sock=peer.bad)
    tap(m is not None and m['type'] == 11, 'PFCP version 2: Version Not Supported Response',
        repr(m))
    for junk in (b'', b'\x20', b'\x21\x32\x00\x01', b'\x20\x01\xff\xff\x00\x00\x01\x00',
                 os.urandom(64), b'\x21\x34' + b'\x00' * 30, b'\x20\x05\x00\x08\x00\x00\x02\x00'
                 + b'\x00\x3c\x00\x09abc'):
        peer.bad.sendto(junk, (UPF_IP, 8805))
    for _ in range(200):
        peer.bad.sendto(os.urandom(int.from_bytes(os.urandom(1), 'big')), (UPF_IP, 8805))
    hb = peer.request(pfcp(1, peer.next_seq(), RECOVERY))
    tap(hb is not None and hb['type'] == 2 and upf.poll() is None,
        'junk PFCP datagrams: UPF still answers heartbeats', repr(hb))
    m = peer.request(pfcp(5, peer.next_seq(), RECOVERY), sock=peer.bad)
    tap(m is not None and m['type'] == 6 and cause_of(m) == 66 and
        metrics().get('fivegs_upffunction_upf_sessionnbr') == 1,
        'Association Setup without Node ID: cause 66, existing sessions untouched', repr(m))

    # 28-29: malformed GTP-U, unknown TEID -> Error Indication (TS 29.281 7.3.1)
    for junk in (b'', b'\x30', b'\x34\xff\x00\x10\x00\x00\x00\x01', b'\x30\xff\xff\xff' +
                 struct.pack('!I', ul_teid), b'\x34\xff\x00\x08' + struct.pack('!I', ul_teid) +
                 b'\x00\x00\x00\x85\x05\x10\x09\x00', os.urandom(100), b'\x32\x01\x00\x00'):
        peer.bad.sendto(junk, (UPF_IP, 2152))
    for _ in range(200):
        peer.bad.sendto(os.urandom(int.from_bytes(os.urandom(1), 'big') + 1), (UPF_IP, 2152))
    peer.drain()
    # Echo is over UDP and a GTP-U peer retransmits an unanswered Echo Request (TS 29.281
    # 7.2.1, T3-RESPONSE / N3-REQUESTS): up to three tries, so a datagram the kernel dropped
    # behind the junk burst on a loaded machine is not taken for a dead UPF.
    e, tries = None, 0
    while e is None and tries < 3 and upf.poll() is None:
        tries += 1
        peer.n3.sendto(struct.pack('!BBHIHBB', 0x32, 1, 4, 0, 0x77, 0, 0), (UPF_IP, 2152))
        e = peer.gtpu_recv(2.0, want=2)
    tap(e is not None and upf.poll() is None, 'junk GTP-U datagrams: UPF still answers echo',
        '%r after %d tries' % (e, tries))
    peer.n3.sendto(gpdu(0xabcdef, icmp_echo(UE_IP, DN_IP, 1, 1)), (UPF_IP, 2152))
    ei = peer.gtpu_recv(2.0, want=26)
    ok = False
    if ei:
        p = ei['payload']
        ok = p[:5] == b'\x10' + struct.pack('!I', 0xabcdef) and \
            p[5:8] == b'\x85\x00\x04' and p[8:12] == socket.inet_aton(UPF_IP)
    tap(ok, 'G-PDU for an unknown TEID: Error Indication with TEID Data I and peer address',
        repr(ei))

    # 30: metrics. A worker adds its counters after the batch a packet was in, so the
    # Error Indication above may be seen a moment before it is counted: look again.
    def metrics_ok(mt):
        return mt.get('fivegs_ep_n3_gtp_indatapktn3upf', 0) >= 3 and \
            mt.get('fivegs_ep_n3_gtp_outdatapktn3upf', 0) >= 3 and \
            mt.get('sen_upf_gtpu_error_indications_sent_total', 0) >= 1 and \
            mt.get('fivegs_upffunction_sm_n4sessionestabreq', 0) >= 2
    mt = metrics()
    end = time.monotonic() + 2
    while not metrics_ok(mt) and time.monotonic() < end:
        time.sleep(0.1)
        mt = metrics()
    tap(metrics_ok(mt),
        'Prometheus metrics count packets and sessions',
        repr({k: v for k, v in mt.items() if 'upf' in k}))

    # 31-33: deletion with a usage report; afterwards traffic gets an Error Indication
    m = peer.request(pfcp(54, peer.next_seq(), b'', seid=up_seid))
    ur = get(m['ies'], 79) if m else None
    vol = get(parse_ies(ur), 66) if ur else None
    ul_bytes = struct.unpack('!Q', vol[9:17])[0] if vol and len(vol) >= 25 else 0
    tap(m is not None and m['type'] == 55 and cause_of(m) == 1 and m['seid'] == 0x1001 and
        ul_bytes > 0, 'Session Deletion: accepted with a final usage report (UL %d octets)'
        % ul_bytes, repr(m))
    peer.drain()
    peer.n3.sendto(gpdu(ul_teid, icmp_echo(UE_IP, DN_IP, 0x4242, 40)), (UPF_IP, 2152))
    got = []
    while True:
        g = peer.gtpu_recv(1.0)
        if g is None:
            break
        got.append(g)
    ei = [g for g in got if g['type'] == 26]
    tap(not [g for g in got if g['type'] == 255] and len(ei) == 1 and
        ei[0]['payload'][1:5] == struct.pack('!I', ul_teid),
        'after deletion: no reply, Error Indication for the old TEID', repr(got))
    m = peer.request(pfcp(54, peer.next_seq(), b'', seid=up_seid), sock=peer.bad)
    tap(m is not None and m['type'] == 55 and cause_of(m) == 65,
        'deletion of a deleted session: cause 65', repr(m))

    # 34: a second session re-uses the UE IP after the first is gone
    m = peer.request(establishment(peer.next_seq(), 0x3001, 0x7001))
    ok = m is not None and cause_of(m) == 1
    if ok:
        seid2 = struct.unpack('!Q', get(m['ies'], 57)[1:9])[0]
        ft = get(parse_ies(get(m['ies'], 8)), 21)
        g = peer.ping(struct.unpack('!I', ft[1:5])[0], 50)
        ok = g is not None and g['teid'] == 0x7001
    tap(ok, 'a new session for the same UE works', repr(m))

    # 35: a second session cannot steal the UE IP of a live one
    m = peer.request(establishment(peer.next_seq(), 0x3002, 0x7002))
    tap(m is not None and cause_of(m) == 73, 'duplicate UE IP in another session: cause 73',
        repr(m))

    # IPv6: an IPv4v6 session with its /64 in the UE IP Address IE (V4 and V6)
    m = peer.request(establishment(peer.next_seq(), 0x4001, 0x8001, ue4=UE_IP4_2,
                                   pfx6=UE_PFX6))
    ul6 = None
    if m is not None and cause_of(m) == 1:
        ul6 = struct.unpack('!I', get(parse_ies(get(m['ies'], 8)), 21)[1:5])[0]
    g = None
    for i in range(5):  # the first may wait for neighbour discovery on N6
        g = peer.ping6(ul6 or 0, 60 + i, timeout=1.0)
        if g:
            break
    tap(g is not None and g['teid'] == 0x8001 and g['qfi'] == 9,
        'IPv4v6 session: ICMPv6 echo %s -> %s and back through the UPF' % (UE_IP6, DN_IP6),
        'est=%r reply=%r' % (m, g))
    g4 = peer.ping(ul6 or 0, 70) if ul6 else None
    peer.n3.sendto(gpdu(ul6 or 0, echo6('2001:db8:cafe:2::5', DN_IP6, 0x6666, 80, ECHO6_DATA)),
                   (UPF_IP, 2152))
    spoofed = peer.gtpu_recv(1.0, want=255)
    tap(g4 is None and spoofed is None,
        'anti-spoofing: IPv4 from another address and IPv6 from another /64 are dropped',
        'v4=%r v6=%r' % (g4, spoofed))

    # TS 23.501 5.8.2.2.1 / TS 29.561 8.4: Router Solicitation -> Router Advertisement
    peer.drain()
    peer.n3.sendto(gpdu(ul6 or 0, router_solicitation('fe80::5')), (UPF_IP, 2152))
    g = peer.gtpu_recv(2.0, want=255)
    ra = parse_ra(g['payload']) if g else None
    tap(ra is not None and g['teid'] == 0x8001 and g['qfi'] == 9 and ra['hop'] == 255 and
        ra['csum_ok'] and ra['src'].startswith('fe80::') and ra['dst'] == 'fe80::5' and
        ra['prefix'] == UE_PFX6 + '/64' and ra['pio_flags'] == 0x40 and ra['mtu'] == 1400 and
        ra['lifetime'] > 0,
        'Router Solicitation: Router Advertisement with the session /64 (A=1, L=0), MTU 1400',
        repr(ra or g))
    peer.n3.sendto(gpdu(ul6 or 0, icmp6('fe80::5', 'ff02::2', 133, 0, b'\x00' * 4, hl=64)),
                   (UPF_IP, 2152))
    peer.n3.sendto(gpdu(ul6 or 0, echo6('fe80::5', 'fe80::1', 1, 1, ECHO6_DATA)), (UPF_IP, 2152))
    g = peer.gtpu_recv(1.0, want=255)
    tap(g is None, 'RS with Hop Limit 64 and link-local echo: dropped, no answer', repr(g))

    m = peer.request(establishment(peer.next_seq(), 0x4002, 0x8002, ue4='10.45.0.4',
                                   pfx6=UE_PFX6))
    tap(m is not None and cause_of(m) == 73 and get(m['ies'], 40) == b'\x00\x5d',
        'the /64 of a live session in another session: cause 73, Offending IE UE IP Address',
        repr(m))

    # many sessions at once: TEIDs spread over the two workers, every ping comes back
    seids, teids = [], []
    for k in range(16):
        m = peer.request(establishment(peer.next_seq(), 0x5000 + k, 0x9000 + k,
                                       ue4='10.45.1.%d' % (k + 1)))
        if m is not None and cause_of(m) == 1:
            seids.append(struct.unpack('!Q', get(m['ies'], 57)[1:9])[0])
            teids.append(struct.unpack('!I', get(parse_ies(get(m['ies'], 8)), 21)[1:5])[0])
    peer.drain()
    for k, t in enumerate(teids):
        peer.n3.sendto(gpdu(t, icmp_echo('10.45.1.%d' % (k + 1), DN_IP, 0x5151, k)),
                       (UPF_IP, 2152))
    got = set()
    end = time.monotonic() + 3
    while len(got) < len(teids) and time.monotonic() < end:
        g = peer.gtpu_recv(end - time.monotonic(), want=255)
        if g is None:
            break
        got.add(g['teid'])
    tap(len(teids) == 16 and got == {0x9000 + k for k in range(16)} and
        len({t % 2 for t in teids}) == 2,
        '16 sessions on 2 workers: every UE gets its echo reply', 'teids=%r got=%r' % (
            teids, sorted(got)))
    for sd in seids:
        peer.request(pfcp(54, peer.next_seq(), b'', seid=sd))

    # 36: association release deletes the sessions
    m = peer.request(pfcp(9, peer.next_seq(), node_id(GNB_IP)))
    tap(m is not None and m['type'] == 10 and cause_of(m) == 1 and
        metrics().get('fivegs_upffunction_upf_sessionnbr') == 0,
        'Association Release: accepted, sessions gone', repr(m))

    # 37: the daemon survived everything above
    tap(upf.poll() is None, 'UPF still running after all bad input')

    # 38: clean stop on SIGTERM
    upf.terminate()  # `ip netns exec` execs sen-upf: this PID is the daemon's
    try:
        rc = upf.wait(timeout=10)
    except subprocess.TimeoutExpired:
        rc = None
    tap(rc == 0, 'SIGTERM: clean exit with status 0', 'rc=%r' % rc)
    log.close()
    logtext = open(os.path.join(tmpdir, 'upf.log')).read()

    # 39-40: tshark decodes the capture of the well-formed exchange
    time.sleep(0.5)
    cap.terminate()
    try:
        cap.wait(timeout=10)
    except subprocess.TimeoutExpired:
        cap.kill()
    flt = '!(udp.port == %d) && (pfcp || gtp)' % BAD_PORT
    if os.environ.get('SEN_UPF_TSHARK_ALL'):  # to see that the check can fail
        flt = '(pfcp || gtp)'
    p = subprocess.run(['tshark', '-r', pcap, '-Y', flt], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=60)
    frames = [l for l in p.stdout.decode(errors='replace').splitlines() if l.strip()]
    p = subprocess.run(['tshark', '-r', pcap, '-Y', '(%s) && (_ws.malformed || '
                        '_ws.expert.severity >= "Warning")' % flt],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60)
    bad = [l for l in p.stdout.decode(errors='replace').splitlines() if l.strip()]
    tap(len(frames) >= 20 and p.returncode == 0 and not bad,
        'tshark: %d PFCP/GTP-U frames, none malformed or with expert warnings' % len(frames),
        'rc=%d bad=%r' % (p.returncode, bad[:5]))
    p = subprocess.run(['tshark', '-r', pcap, '-Y', 'gtp.message == 26', '-T', 'fields',
                        '-e', 'gtp.teid_data'], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=60)
    tap('0x00abcdef' in p.stdout.decode().lower(), 'tshark reads the Error Indication\'s TEID '
        'Data I', p.stdout.decode()[:200])
    if not all(results):
        print('# --- sen-upf log ---', file=sys.stderr)
        for l in logtext.splitlines()[-60:]:
            print('# ' + l, file=sys.stderr)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # a crash must show as a failure, with the reason
        import traceback
        traceback.print_exc()
        tap(False, 'test script raised %s: %s' % (type(e).__name__, e))
    finally:
        net.down()
    sys.exit(0 if results and all(results) else 1)
