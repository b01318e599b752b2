#!/usr/bin/env python3
"""The whole core end to end in network namespaces, with sen-ransim as the RAN (TAP output).

    ran ns                         core ns                                dn ns
    sen-ransim  n2r 10.201.0.2 --- n2c 10.201.0.1  NRF UDR UDM AUSF       n6d 10.202.0.2
    (gNB + UEs; N3 on 10.201.0.2)  AMF (NGAP sctp-udp on 10.201.0.1)  --- 2001:db8:ffff::2
                                   UPF (GTP-U on 10.201.0.1, TUN sen0,     (the data network
                                   n6c 10.202.0.1, 2001:db8:ffff::1),      host: routes to
                                   SMF; SBI on 127.0.0.x                   10.45/16 and
                                                                           2001:db8:cafe::/48
                                                                           via core)

--mode split starts sen-nrf, sen-udr, sen-udm, sen-ausf, sen-amf, sen-smf and sen-upf as
separate processes; --mode core starts one sen-core running all of them. Subscribers go into
sen-udr's SQLite store (a temporary directory) with `senctl subscriber import` and `add`.
Then sen-ransim (--json report) runs each case:

  1 UE registers and deregisters; 200 UEs at once; SUCI Profile A and B (configs/keys);
  unknown SUPI -> Registration Reject #7; a barred subscriber (the UDR's provisioning API,
  "barred": true) -> the UDR refuses to authenticate it, Registration Reject #7, no SQN
  used; wrong K -> Authentication Failure #20 and
  Authentication Reject; the subscriber's SQN behind the UE's -> AUTS, re-synchronisation,
  success; a PDU session and a ping to the dn host through the UPF (built-in generator, and
  --tun with the system ping); 100 UEs with sessions; with 4 UEs registered, the first sends
  (sen-ransim --inject) a replayed NAS PDU, an unprotected 5GMM STATUS, a protected NAS
  message with a mandatory IE cut short and an undecodable NGAP PDU -> dropped, dropped,
  5GMM STATUS #96, Error Indication, while the other UEs stay registered and deregister; deregistration releases the sessions
  in the SMF and the UPF; a UE releases its session (sen-ransim --release, TS 23.502
  4.3.4.2) and, still registered, is held by neither the SMF nor the UPF, then deregisters;
  an IPv4v6 session (--pdu-type ipv4v6) gets an IPv4 address and an interface identifier,
  learns its /64 by Router Solicitation / Advertisement through the UPF and pings the dn
  host's IPv6 address (the RS/RA and ping6 checks fail, saying so, while sen-upf does not
  answer Router Solicitations).

dumpcap records everything in the core namespace (NGAP over SCTP over UDP 9899, HTTP/2 SBI on
port 7777, PFCP 8805, GTP-U 2152); tshark must decode it with no malformed packet and show
what the cases claim (SUCI schemes, reject and failure causes). Every wait is bounded;
processes are killed and namespaces removed on any exit.

Usage: test_e2e.py --mode split|core --nrf EXE --udr EXE --udm EXE --ausf EXE --amf EXE
       --smf EXE --upf EXE --core EXE --ransim EXE --senctl EXE --keys DIR
E2E_KEEP=1 keeps the temporary directory (logs, configs, capture); E2E_LOG=debug sets the NFs'
log level; E2E_TSHARK_ALL=1 checks every frame of the capture, not only the 3GPP/SBI ones.
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import netkit  # noqa: E402

MCC, MNC = '999', '70'
K = '465B5CE8B199B49FAA5F0A2EE238A6BC'
OPC = 'CD63CB71954A9F4E48A5994E37A02BAF'
WRONG_K = '000102030405060708090A0B0C0D0E0F'
PUB_A = '5a8d38864820197c3394b92613b20b91633cbd897119273bf8e4a6f4eec0a650'
PUB_B = '0272da71976234ce833a6907425867b82e074d44ef907dfb4b3e21c1c2256ebcd1'
CORE_N2, RAN_N2 = '10.201.0.1', '10.201.0.2'
CORE_N6, DN_IP = '10.202.0.1', '10.202.0.2'
CORE_N6_6, DN_IP6 = '2001:db8:ffff::1', '2001:db8:ffff::2'
UE_PREFIX6 = '2001:db8:cafe::/48'
SBI = {'nrf': '127.0.0.10', 'udr': '127.0.0.20', 'udm': '127.0.0.12', 'ausf': '127.0.0.11',
       'amf': '127.0.0.5', 'smf': '127.0.0.4', 'upf': '127.0.0.7'}
NFS = ['nrf', 'udr', 'udm', 'ausf', 'amf', 'smf', 'upf']  # start order


def supi(n):
    return 'imsi-%s%s%010d' % (MCC, MNC, n)


# SUPIs per case (MSIN numbers); each case has its own subscribers.
ONE, PROF_A, PROF_B, WRONGK, SQN_UE, UNKNOWN, PING, TUN = 1, 11, 12, 13, 14, 99, 21, 22
BARRED = 15
REL, DUAL, DUAL_TUN = 31, 32, 33
MANY, MANY_N = 1000, 200
SESS, SESS_N = 2000, 100
INJ, INJ_N = 3000, 4
# the undecodable NGAP PDU sen-ransim --inject bad-ngap sends (excluded from the capture check)
BAD_NGAP_HEX = '00:2e:40:20:00:00:03'
SQN_MS = 0x40000  # the UE's SQN; the subscriber is provisioned with SQN 0x20 (behind it)

tap = netkit.Tap(why_max=600, one_line=True, falsy_why=True)
results = tap.results


def note(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


def die_with_parent():
    ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def core_net(tag):
    """The three namespaces of the diagram above (net.core, net.ran, net.dn are their names);
    IPv6 on N6: the dn host reaches the UEs' /64s through the core namespace."""
    return netkit.Topology(
        {'core': tag + 'c', 'ran': tag + 'r', 'dn': tag + 'd'},
        veths=[('core', 'n2c', 'ran', 'n2r'), ('core', 'n6c', 'dn', 'n6d')],
        addrs=[('core', 'n2c', CORE_N2 + '/24'), ('ran', 'n2r', RAN_N2 + '/24'),
               ('core', 'n6c', CORE_N6 + '/24'), ('dn', 'n6d', DN_IP + '/24'),
               ('core', 'n6c', CORE_N6_6 + '/64'), ('dn', 'n6d', DN_IP6 + '/64')],
        routes=[('dn', '10.45.0.0/16', CORE_N6), ('dn', UE_PREFIX6, CORE_N6_6)],
        sysctls=[('core', 'net.ipv4.ip_forward=1'), ('core', 'net.ipv6.conf.all.forwarding=1')])


class Run:
    def __init__(self, a):
        self.a = a
        self.dir = tempfile.mkdtemp(prefix='sen-e2e-%s-' % a.mode)
        self.net = core_net('e2e%d%s' % (os.getpid() % 100000, a.mode[0]))
        self.procs = []  # (name, Popen, logfile)
        self.cfg = os.path.join(self.dir, 'sen.yaml')

    # ---- processes

    def start(self, name, ns, argv, log=True):
        out = open(os.path.join(self.dir, name + '.log'), 'w') if log else subprocess.DEVNULL
        p = subprocess.Popen(['ip', 'netns', 'exec', ns] + [str(x) for x in argv],
                             stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             preexec_fn=die_with_parent)
        self.procs.append((name, p, out))
        return p

    def kill_all(self):
        netkit.kill_all(p for _, p, _ in self.procs)

    def log(self, name):
        try:
            with open(os.path.join(self.dir, name + '.log'), errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def in_core(self, argv, timeout=30):
        return subprocess.run(['ip', 'netns', 'exec', self.net.core] + [str(x) for x in argv],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)

    # ---- configuration

    def write_config(self):
        level = os.environ.get('E2E_LOG', 'info')
        keys = os.path.abspath(self.a.keys)
        with open(self.cfg, 'w') as f:
            f.write('''plmn: { mcc: "%(mcc)s", mnc: "%(mnc)s" }
tac: [1]
slices: [ { sst: 1 } ]
log: { level: %(level)s }
nrf:  { sbi: 127.0.0.10:7777 }
amf:
  sbi: 127.0.0.5:7777
  ngap: { addr: %(n2)s, port: 38412, transport: sctp-udp, udp_port: 9899 }
  guami: { region: 2, set: 1, pointer: 0 }
  network_name: { full: Sen, short: Sen }
smf:
  sbi: 127.0.0.4:7777
  pfcp: 127.0.0.4
  dnn: [ { name: internet, ipv4_pool: 10.45.0.0/16, ipv6_prefix: "%(p6)s", dns: [10.45.0.1],
           mtu: 1400 } ]
upf:  { pfcp: 127.0.0.7, gtpu: %(n2)s, n6: { tun: sen0, subnet: [10.45.0.1/16] } }
ausf: { sbi: 127.0.0.11:7777 }
udm:
  sbi: 127.0.0.12:7777
  hn_keys: [ { id: 1, scheme: a, file: %(keys)s/hn-a.key }, { id: 2, scheme: b, file: %(keys)s/hn-b.key } ]
udr:  { sbi: 127.0.0.20:7777, db: "sqlite:subscribers.db" }
metrics: { port: 9090 }
''' % {'mcc': MCC, 'mnc': MNC, 'level': level, 'n2': CORE_N2, 'keys': keys,
       'p6': UE_PREFIX6})

    def ransim_config(self, name, first, k=K, sqn=0, suci='{ scheme: null }'):
        path = os.path.join(self.dir, 'ransim-%s.yaml' % name)
        with open(path, 'w') as f:
            f.write('''plmn: { mcc: "%s", mnc: "%s" }
tac: 1
slices: [ { sst: 1 } ]
log: { level: warn }
amf: { addr: %s, port: 38412, transport: sctp-udp, udp_port: 9899, connect_timeout_ms: 3000 }
gnb: { id: 1, name: e2e-gnb, n3: %s, udp_port: 9898 }
ue:
  supi: %s
  k: %s
  opc: %s
  sqn: %d
  suci: %s
  dnn: internet
procedure_timeout_ms: 15000
''' % (MCC, MNC, CORE_N2, RAN_N2, supi(first), k, OPC, sqn, suci))
        return path

    def ransim(self, name, first, args, timeout=60, **kw):
        """Run sen-ransim in the ran namespace; returns (rc, report dict, stderr)."""
        cfg = self.ransim_config(name, first, **kw)
        argv = ['ip', 'netns', 'exec', self.net.ran, self.a.ransim, '-c', cfg, '--json'] + args
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=timeout, preexec_fn=die_with_parent)
        except subprocess.TimeoutExpired:
            return None, {}, 'sen-ransim did not finish within %d s' % timeout
        err = p.stderr.decode(errors='replace')
        with open(os.path.join(self.dir, 'ransim-%s.log' % name), 'w') as f:
            f.write(p.stdout.decode(errors='replace') + '\n' + err)
        try:
            rep = json.loads(p.stdout.decode())
        except ValueError:
            rep = {}
        return p.returncode, rep, err

    # ---- observation

    def metrics(self, nf):
        """Prometheus text of the NF (sen-core: one server, on the NRF's address)."""
        host = SBI['nrf'] if self.a.mode == 'core' else SBI[nf]
        p = self.in_core(['curl', '-s', '-m', '3', 'http://%s:9090/metrics' % host], 10)
        out = {}
        for line in p.stdout.decode(errors='replace').splitlines():
            if line and not line.startswith('#'):
                key, _, val = line.rpartition(' ')
                try:
                    out[key] = float(val)
                except ValueError:
                    pass
        return out

    def serves_metrics(self, nf):
        host = SBI['nrf'] if self.a.mode == 'core' else SBI[nf]
        p = self.in_core(['curl', '-sf', '-m', '2', '-o', '/dev/null',
                          'http://%s:9090/metrics' % host], 10)
        return p.returncode == 0

    def wait_metric(self, nf, name, want, secs=8.0):
        end, v = time.monotonic() + secs, None
        while time.monotonic() < end:
            v = self.metrics(nf).get(name)
            if v == want:
                return True, v
            time.sleep(0.2)
        return False, v

    def nrf_types(self):
        found = set()
        for t in ('UDR', 'UDM', 'AUSF', 'AMF', 'SMF'):
            p = self.in_core(['curl', '-s', '-m', '3', '--http2-prior-knowledge',
                              'http://127.0.0.10:7777/nnrf-disc/v1/nf-instances?'
                              'target-nf-type=%s&requester-nf-type=AMF' % t], 10)
            try:
                if json.loads(p.stdout.decode()).get('nfInstances'):
                    found.add(t)
            except ValueError:
                pass
        return found


def summary(rep):
    procs = rep.get('procedures') or {}
    return ' '.join('%s %d/%d' % (k, v.get('ok', 0), v.get('ok', 0) + v.get('fail', 0))
                    for k, v in procs.items())


def proc_ok(rep, name, n):
    p = (rep.get('procedures') or {}).get(name) or {}
    return p.get('ok') == n and p.get('fail') == 0


def clean(rep):
    return rep.get('kgnb_mismatch') == 0 and rep.get('error_indications') == 0


def reasons(rep):
    return [f.get('reason', '') for f in rep.get('failures') or []]


def tshark_fields(pcap, flt, field):
    p = subprocess.run(['tshark', '-r', pcap, '-d', 'tcp.port==7777,http2', '-Y', flt, '-T',
                        'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', field],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    vals = []
    for line in p.stdout.decode(errors='replace').splitlines():
        vals += [v for v in line.split(',') if v]
    return p.returncode, vals


N_CASES = 30
AMF_DROP = 'sen_amf_nas_dropped_total{reason="%s"}'
AMF_NGAP_MALFORMED = 'sen_amf_ngap_errors_total{reason="malformed"}'
AMF_REGISTERED = 'fivegs_amffunction_rm_registeredsubnbr'


def inject_case(r):
    """INJ_N UEs register; the first sends every --inject kind; the others must not notice."""
    def drops(m):
        return {k: m.get(AMF_DROP % k, 0) for k in ('replay', 'unprotected', 'malformed')}

    m0 = r.metrics('amf')
    d0, e0, reg0 = drops(m0), m0.get(AMF_NGAP_MALFORMED, 0), m0.get(AMF_REGISTERED, 0)
    out = {}

    def run():
        out['res'] = r.ransim('inject', INJ, ['--ues', str(INJ_N), '--rate', '1000',
                                              '--inject', 'replay,plain,bad-nas,bad-ngap',
                                              '--duration', '3', '--deregister'])
    th = threading.Thread(target=run)
    t = time.monotonic()
    th.start()
    # the last injection (bad-ngap) shows as the AMF's malformed-NGAP counter rising
    end, m = time.monotonic() + 8, {}
    while time.monotonic() < end:
        m = r.metrics('amf')
        if m.get(AMF_NGAP_MALFORMED, 0) > e0:
            break
        time.sleep(0.1)
    time.sleep(0.3)  # the Error Indication and 5GMM STATUS have gone out by now
    m = r.metrics('amf')
    reg_during = m.get(AMF_REGISTERED, 0) - reg0
    th.join(70)
    took = time.monotonic() - t
    rc, rep, err = out.get('res', (None, {}, 'sen-ransim did not finish'))
    d1, e1 = drops(m), m.get(AMF_NGAP_MALFORMED, 0)
    inj = rep.get('injections') or {}

    def seen(kind, what):
        return (inj.get(kind) or {}).get(what, -1)
    sent = all(seen(k, 'sent') == 1 for k in ('replay', 'plain', 'bad-nas', 'bad-ngap'))
    tap(sent and d1['replay'] > d0['replay'] and d1['unprotected'] > d0['unprotected'] and
        d1['malformed'] > d0['malformed'] and e1 > e0 and
        seen('replay', 'gmm_status') == 0 and seen('plain', 'gmm_status') == 0 and
        seen('bad-nas', 'gmm_status') == 1 and seen('bad-nas', 'gmm_status_causes') == [96] and
        seen('bad-ngap', 'error_indication') == 1 and
        seen('replay', 'error_indication') == 0 and seen('plain', 'error_indication') == 0 and
        seen('bad-nas', 'error_indication') == 0,
        'after security: a replayed and an unprotected NAS PDU are dropped (counted), a '
        'NAS message with its mandatory payload container cut short gets 5GMM STATUS #96 '
        '(invalid mandatory information, TS 24.501 7.5), a malformed NGAP PDU an Error '
        'Indication',
        'injections=%s drops %s -> %s ngap malformed %s -> %s' % (inj, d0, d1, e0, e1))
    dead = [n for n, p, _ in r.procs if p.poll() is not None and n not in ('ransim-tun', 'ransim-tun6')]
    gone, v = r.wait_metric('amf', AMF_REGISTERED, reg0, 5)
    tap(rc == 0 and reg_during == INJ_N and proc_ok(rep, 'registration', INJ_N) and
        proc_ok(rep, 'deregistration', INJ_N) and rep.get('kgnb_mismatch') == 0 and
        rep.get('error_indications') == 1 and gone and not dead,
        'after the bad input all %d UEs are still registered, then deregister (%.1f s): %s'
        % (INJ_N, took, summary(rep)),
        'rc=%s registered during=+%s after=%s exited=%s %s %s' %
        (rc, reg_during, v, dead, reasons(rep), err[-300:]))


def barred_case(r):
    """Bar a provisioned subscriber through the UDR's provisioning API (senctl has no flag for
    it): GET it with its keys, PUT it back with "barred": true (docs/udr.md). Its
    registration must be rejected: the UDR refuses the SQN advance with 403
    AUTHENTICATION_REJECTED, the UDM and the AUSF pass that on, and the AMF answers
    Registration Reject #7, 5GS services not allowed (TS 24.501 5.5.1.2.5); no SQN is used."""
    url = 'http://%s:7777/sen-prov/v1/subscribers/%s' % (SBI['udr'], supi(BARRED))
    p = r.in_core(['curl', '-s', '-m', '5', '--http2-prior-knowledge', url + '?secrets=true'])
    try:
        sub = json.loads(p.stdout.decode())
    except ValueError:
        sub = {}
    sub['barred'] = True
    p = subprocess.run(
        ['ip', 'netns', 'exec', r.net.core, 'curl', '-s', '-m', '5', '--http2-prior-knowledge',
         '-X', 'PUT', '-H', 'content-type: application/json', '--data-binary', '@-', '-o',
         '/dev/null', '-w', '%{http_code}', url], input=json.dumps(sub).encode(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    put = p.stdout.decode(errors='replace')

    def show():
        out = r.in_core([r.a.senctl, 'subscriber', 'show', '-c', r.cfg, supi(BARRED)])
        text = out.stdout.decode(errors='replace')
        m = re.search(r'^sqn\s+([0-9a-f]{12})', text, re.M)
        b = re.search(r'^barred\s+(\S+)', text, re.M)
        return (m.group(1) if m else None), (b.group(1) if b else None)
    sqn0, barred = show()
    rc, rep, err = r.ransim('barred', BARRED, ['--register'])
    sqn1, _ = show()
    amf_log = r.log('amf' if r.a.mode == 'split' else 'core')
    tap(put == '204' and barred == 'yes' and rc == 1 and
        reasons(rep) == ['Registration Reject, 5GMM cause #7'] and sqn0 is not None and
        sqn1 == sqn0 and '403 AUTHENTICATION_REJECTED' in amf_log,
        'barred subscriber: the UDR refuses its authentication (403 AUTHENTICATION_REJECTED, '
        'no SQN used), Registration Reject, 5GMM cause #7 (5GS services not allowed)',
        'PUT barred=%s shown barred=%s sqn %s -> %s rc=%s %s %s' % (
            put, barred, sqn0, sqn1, rc, reasons(rep), err[-300:]))


SMF_SESSIONS = 'fivegs_smffunction_sm_sessionnbr'
UPF_SESSIONS = 'fivegs_upffunction_upf_sessionnbr'
SMF_V6 = 'sen_smf_ue_addresses{family="ipv6"}'


def release_case(r):
    """A UE pings, releases its PDU session (TS 23.502 4.3.4.2), holds 3 s registered
    without it, then deregisters: during the hold neither the SMF nor the UPF holds it."""
    # the UEs of the cases before are gone (the gauge may still be coming down)
    r.wait_metric('amf', AMF_REGISTERED, 0, 5)
    reg0 = r.metrics('amf').get(AMF_REGISTERED, 0)
    out = {}

    def run():
        out['res'] = r.ransim('release', REL, ['--ping', DN_IP, '--count', '5', '--interval',
                                               '200', '--release', '--duration', '3',
                                               '--deregister'])
    th = threading.Thread(target=run)
    th.start()
    # the session appears, then goes while the UE stays registered
    seen_up, held, end = False, None, time.monotonic() + 15
    while time.monotonic() < end and th.is_alive():
        m = r.metrics('smf')
        if m.get(SMF_SESSIONS) == 1:
            seen_up = True
        elif seen_up and m.get(SMF_SESSIONS) == 0:
            held = (m.get(SMF_SESSIONS), r.metrics('upf').get(UPF_SESSIONS),
                    r.metrics('amf').get(AMF_REGISTERED, 0) - reg0)
            break
        time.sleep(0.1)
    th.join(70)
    rc, rep, err = out.get('res', (None, {}, 'sen-ransim did not finish'))
    smf_log = 'smf' if r.a.mode == 'split' else 'core'
    tap(seen_up and held == (0, 0, 1) and 'UE-requested release' in r.log(smf_log),
        'a UE releases its PDU session: while it stays registered the SMF and the UPF no '
        'longer hold the session', 'seen_up=%s (smf, upf, registered)=%s' % (seen_up, held))
    gone, v = r.wait_metric('amf', AMF_REGISTERED, reg0, 5)
    tap(rc == 0 and proc_ok(rep, 'pdu-session', 1) and proc_ok(rep, 'ping', 5) and
        proc_ok(rep, 'pdu-release', 1) and proc_ok(rep, 'deregistration', 1) and clean(rep) and
        gone, 'sen-ransim --release: Release Request, Release Command via the AMF, Complete '
        '(counted with its latency), then a clean deregistration: %s' % summary(rep),
        'rc=%s registered after=%s %s %s' % (rc, v, reasons(rep), err[-300:]))


def dual_case(r):
    """An IPv4v6 session: IPv4 + IID from the SMF, the /64 by RS/RA through the UPF, ping6."""
    rc, rep, err = r.ransim('ipv4v6', DUAL, ['--pdu-type', 'ipv4v6', '--ping', DN_IP6,
                                             '--count', '3', '--interval', '200',
                                             '--deregister'])
    sess = (rep.get('sessions') or [{}])[0]
    iid = sess.get('ipv6_iid', '')
    tap(proc_ok(rep, 'pdu-session', 1) and sess.get('pdu_type') == 'ipv4v6' and
        'cause' not in sess and str(sess.get('ipv4', '')).startswith('10.45.') and
        iid.startswith('::') and iid != '::',
        'IPv4v6 PDU session: the Accept gives an IPv4 address and a non-zero 64-bit interface '
        'identifier (no #50): %s' % sess, 'rc=%s %s %s %s' % (rc, rep.get('sessions'),
                                                              reasons(rep), err[-300:]))
    ra = (rep.get('procedures') or {}).get('ipv6-ra') or {}
    addr = sess.get('ipv6', '')
    answered = ra.get('ok') == 1
    why = ('the UPF does not answer Router Solicitations yet (sen-upf: RS -> RA with the '
           'session\'s /64 is pending): %s' % reasons(rep)) if not answered else \
        'address %r iid %r' % (addr, iid)
    tap(answered and addr.startswith('2001:db8:cafe:') and addr.endswith(iid[2:]) and
        ra.get('fail') == 0,
        'Router Solicitation through the session: the UPF answers with a Router '
        'Advertisement carrying the /64; the UE address is prefix::IID (%s)' % addr, why)
    tap(answered and proc_ok(rep, 'ping', 3),
        'ICMPv6 echo from prefix::IID to the dn host %s through the UPF: 3 replies' % DN_IP6,
        why if not answered else 'rc=%s %s' % (rc, reasons(rep)))
    ok1, v1 = r.wait_metric('smf', SMF_V6, 0, 5)
    ok2, v2 = r.wait_metric('upf', UPF_SESSIONS, 0, 5)
    gone, v3 = r.wait_metric('amf', AMF_REGISTERED, 0, 5)
    tun_ok, tun_why = dual_tun(r)
    tap(tun_ok, 'sen-ransim --pdu-type ipv4v6 --tun: uesimtun0 gets prefix::IID/64 and the '
        'system ping -6 -I uesimtun0 %s gets 3 replies' % DN_IP6, tun_why)
    tap(proc_ok(rep, 'deregistration', 1) and ok1 and ok2 and gone,
        'after deregistration the /64 is back in the pool and the UPF holds no session',
        'ipv6 in use=%s upf sessions=%s registered=%s %s' % (v1, v2, v3, reasons(rep)))


def dual_tun(r):
    """IPv4v6 with --tun: the device gets prefix::IID/64 from the RA; the system ping6."""
    cfg = r.ransim_config('tun6', DUAL_TUN)
    tun = subprocess.Popen(['ip', 'netns', 'exec', r.net.ran, r.a.ransim, '-c', cfg, '--json',
                            '--pdu-type', 'ipv4v6', '--session', '--tun', '--duration',
                            '20', '--deregister', '--log', 'info'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=die_with_parent)
    r.procs.append(('ransim-tun6', tun, subprocess.DEVNULL))
    end, addr = time.monotonic() + 10, ''
    while time.monotonic() < end and tun.poll() is None and not addr:
        p = subprocess.run(['ip', '-n', r.net.ran, '-6', 'addr', 'show', 'uesimtun0'],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        m = re.search(r'inet6 (2001:db8:cafe:[0-9a-f:]+)/64', p.stdout.decode())
        addr = m.group(1) if m else ''
        time.sleep(0.1)
    ping_out, ping_rc = '', None
    if addr:
        subprocess.run(['ip', '-n', r.net.ran, '-6', 'route', 'replace', DN_IP6, 'dev',
                        'uesimtun0'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p = subprocess.run(['ip', 'netns', 'exec', r.net.ran, 'ping', '-6', '-I', 'uesimtun0',
                            '-c', '3', '-i', '0.2', '-W', '2', DN_IP6], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
        ping_out, ping_rc = p.stdout.decode(errors='replace'), p.returncode
    if tun.poll() is None:
        tun.send_signal(signal.SIGINT)
    try:
        out, err = tun.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        tun.kill()
        out, err = tun.communicate()
    with open(os.path.join(r.dir, 'ransim-tun6.log'), 'w') as f:
        f.write(out.decode(errors='replace') + '\n' + err.decode(errors='replace'))
    try:
        rep = json.loads(out.decode())
    except ValueError:
        rep = {}
    sess = (rep.get('sessions') or [{}])[0]
    ok = (addr != '' and addr == sess.get('ipv6') and ping_rc == 0 and
          ' 0% packet loss' in ping_out and tun.returncode == 0)
    return ok, 'addr=%r report=%s ping rc=%s %s ransim rc=%s %s %s' % (
        addr, sess, ping_rc, ping_out[-200:], tun.returncode, reasons(rep),
        err.decode(errors='replace')[-300:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mode', choices=['split', 'core'], required=True)
    for nf in NFS + ['core', 'ransim', 'senctl']:
        ap.add_argument('--' + nf, required=True)
    ap.add_argument('--keys', required=True)
    a = ap.parse_args()
    print('1..%d' % N_CASES, flush=True)
    t0 = time.monotonic()
    r = Run(a)
    try:
        body(r)
    except Exception:
        tap(False, 'the test script raised', traceback.format_exc())
    finally:
        r.kill_all()
        r.net.down()
        while len(results) < N_CASES:
            tap(False, 'not reached')
        note('%s mode: %.1f s' % (a.mode, time.monotonic() - t0))
        if not all(results):
            for name, _, _ in r.procs:
                if name in ('dumpcap',):
                    continue
                tail = r.log(name).splitlines()[-25:]
                if tail:
                    note('--- %s.log (last %d lines)' % (name, len(tail)))
                    note('\n'.join(tail))
        if all(results) and not os.environ.get('E2E_KEEP'):
            shutil.rmtree(r.dir, ignore_errors=True)
        else:
            note('logs, configs and the capture are in %s' % r.dir)
    sys.exit(0 if all(results) else 1)


def body(r):
    a = r.a
    r.net.up()
    r.write_config()
    pcap = os.path.join(r.dir, 'core.pcapng')
    # dumpcap on every interface of the core namespace: lo (SBI, PFCP), n2c (NGAP, GTP-U),
    # n6c and sen0 (the user plane on N6).
    cap = r.start('dumpcap', r.net.core, ['dumpcap', '-q', '-i', 'any', '-w', pcap])
    end = time.monotonic() + 10
    while time.monotonic() < end and not (os.path.exists(pcap) and os.path.getsize(pcap) > 0):
        time.sleep(0.1)
    time.sleep(0.5)

    # ---- 1: the core starts
    if a.mode == 'split':
        for nf in ['nrf', 'udr', 'udm', 'ausf', 'upf', 'smf', 'amf']:  # UPF before the SMF
            r.start(nf, r.net.core, [getattr(a, nf), '-c', r.cfg])
            if nf == 'nrf':
                time.sleep(0.3)
    else:
        r.start('core', r.net.core, [a.core, '-c', r.cfg])
    names = NFS if a.mode == 'split' else ['core']
    end = time.monotonic() + 15
    up = set()
    while time.monotonic() < end and len(up) < len(names):
        for nf in names:
            if nf not in up and r.serves_metrics(nf if nf != 'core' else 'nrf'):
                up.add(nf)
        time.sleep(0.2)
    dead = [n for n, p, _ in r.procs if p.poll() is not None]
    tap(len(up) == len(names) and not dead, '%s: every NF is up and serves its metrics'
        % ('7 daemons' if a.mode == 'split' else 'sen-core with 7 NFs'),
        'up=%s dead=%s' % (sorted(up), dead))
    # the UEs' /64s are behind the UPF's TUN (sen-upf routes only its IPv4 subnets)
    p = r.in_core(['ip', '-6', 'route', 'replace', UE_PREFIX6, 'dev', 'sen0'])
    if p.returncode:
        note('ip -6 route %s dev sen0: %s' % (UE_PREFIX6, p.stderr.decode(errors='replace')))

    # ---- 2, 3: NRF registrations and the N4 association
    end = time.monotonic() + 10
    types = set()
    while time.monotonic() < end and not {'UDR', 'UDM', 'AUSF', 'SMF'} <= types:
        types = r.nrf_types()
        time.sleep(0.3)
    assoc, v = r.wait_metric('smf', 'sen_smf_pfcp_associations', 1)
    tap({'UDR', 'UDM', 'AUSF', 'SMF'} <= types and assoc,
        'UDR, UDM, AUSF and SMF are registered in the NRF; the SMF has a PFCP association with '
        'the UPF', 'registered=%s associations=%s' % (sorted(types), v))
    tap('AMF' in types or 'AMF' in r.nrf_types(),
        'the AMF is registered in the NRF (Namf, TS 29.510 NFRegister)',
        'registered types: %s' % sorted(types))

    # ---- 4: provisioning with senctl (CSV import + add)
    csv = os.path.join(r.dir, 'subscribers.csv')
    rows = [(ONE, 0), (PROF_A, 0), (PROF_B, 0), (WRONGK, 0), (PING, 0), (TUN, 0), (REL, 0),
            (DUAL, 0), (DUAL_TUN, 0), (BARRED, 0)]
    rows += [(MANY + i, 0) for i in range(MANY_N)] + [(SESS + i, 0) for i in range(SESS_N)]
    rows += [(INJ + i, 0) for i in range(INJ_N)]
    with open(csv, 'w') as f:
        f.write('supi,k,opc,sqn\n')
        for n, sqn in rows:
            f.write('%s,%s,%s,%x\n' % (supi(n), K, OPC, sqn))
    p1 = r.in_core([a.senctl, 'subscriber', 'import', '-c', r.cfg, csv], 60)
    p2 = r.in_core([a.senctl, 'subscriber', 'add', '-c', r.cfg, '--supi', supi(SQN_UE), '--k',
                    K, '--opc', OPC, '--sqn', '20'])
    p3 = r.in_core([a.senctl, 'subscriber', 'list', '-c', r.cfg])
    listed = len([l for l in p3.stdout.decode().splitlines() if l.startswith('imsi-')])
    tap(p1.returncode == 0 and p2.returncode == 0 and listed == len(rows) + 1,
        'senctl subscriber import + add: %d subscribers in the UDR (SQLite)' % listed,
        (p1.stderr + p2.stderr + p3.stderr).decode(errors='replace'))

    # ---- 5: one UE registers and deregisters
    rc, rep, err = r.ransim('one', ONE, ['--register', '--deregister'])
    gone, v = r.wait_metric('amf', 'fivegs_amffunction_rm_registeredsubnbr', 0, 5)
    tap(rc == 0 and proc_ok(rep, 'ng-setup', 1) and proc_ok(rep, 'registration', 1) and
        proc_ok(rep, 'deregistration', 1) and clean(rep) and gone,
        '1 UE registers (5G AKA, SMC, ICS with a matching KgNB) and deregisters: %s'
        % summary(rep), 'rc=%s registered after=%s %s %s' % (rc, v, reasons(rep), err))

    # ---- 6: 200 UEs at once
    t = time.monotonic()
    rc, rep, err = r.ransim('many', MANY, ['--ues', str(MANY_N), '--rate', '2000',
                                          '--register', '--deregister'], timeout=90)
    took = time.monotonic() - t
    tap(rc == 0 and proc_ok(rep, 'registration', MANY_N) and
        proc_ok(rep, 'deregistration', MANY_N) and clean(rep),
        '%d UEs register at once and deregister (%.1f s): %s' % (MANY_N, took, summary(rep)),
        'rc=%s %s %s' % (rc, reasons(rep)[:3], err[-300:]))

    # ---- 7a, 7b: bad input from one UE while others are registered (sen-ransim --inject)
    inject_case(r)

    # ---- 7, 8: SUCI Profile A and B
    for name, n, suci in (('A', PROF_A, '{ scheme: a, key_id: 1, public_key: %s }' % PUB_A),
                          ('B', PROF_B, '{ scheme: b, key_id: 2, public_key: %s }' % PUB_B)):
        rc, rep, err = r.ransim('suci-' + name, n, ['--register', '--deregister'], suci=suci)
        tap(rc == 0 and proc_ok(rep, 'registration', 1) and proc_ok(rep, 'deregistration', 1),
            'SUCI Profile %s: the UDM de-conceals, the UE registers and deregisters' % name,
            'rc=%s %s %s' % (rc, reasons(rep), err[-300:]))

    # ---- 9: unknown subscriber
    rc, rep, err = r.ransim('unknown', UNKNOWN, ['--register'])
    tap(rc == 1 and reasons(rep) == ['Registration Reject, 5GMM cause #7'],
        'unknown SUPI: Registration Reject, 5GMM cause #7 (5GS services not allowed, the '
        'AMF\'s default unknown_subscriber_cause)',
        'rc=%s %s %s' % (rc, reasons(rep), err[-300:]))

    # ---- 9b: barred subscriber
    barred_case(r)

    # ---- 10: wrong K
    rc, rep, err = r.ransim('wrong-k', WRONGK, ['--register'], k=WRONG_K)
    tap(rc == 1 and reasons(rep) == ['Authentication Reject after Authentication Failure #20 '
                                     'sent'],
        'wrong K: the UE answers Authentication Failure #20 (MAC failure), the network '
        'rejects', 'rc=%s %s %s' % (rc, reasons(rep), err[-300:]))

    # ---- 11: SQN out of range -> resync
    before = r.metrics('amf').get('fivegs_amffunction_amf_authfail{cause="21"}', 0)
    rc, rep, err = r.ransim('sqn', SQN_UE, ['--register', '--deregister'], sqn=SQN_MS)
    after = r.metrics('amf').get('fivegs_amffunction_amf_authfail{cause="21"}', 0)
    p = r.in_core([a.senctl, 'subscriber', 'show', '-c', r.cfg, supi(SQN_UE)])
    m = re.search(r'^sqn\s+([0-9a-f]{12})', p.stdout.decode(), re.M)
    sqn_he = int(m.group(1), 16) if m else -1
    tap(rc == 0 and proc_ok(rep, 'registration', 1) and after == before + 1 and
        sqn_he > SQN_MS, 'SQN behind the UE\'s: Authentication Failure #21 (AUTS), '
        're-synchronisation, then success (UDR SQN now %#x > UE %#x)' % (sqn_he, SQN_MS),
        'rc=%s authfail21 %s->%s %s %s' % (rc, before, after, reasons(rep), err[-300:]))

    # ---- 12: PDU session + ping (the built-in generator) through the UPF
    rc, rep, err = r.ransim('ping', PING, ['--ping', DN_IP, '--count', '3', '--interval', '200',
                                          '--deregister'])
    sessions_ok = rc == 0 and proc_ok(rep, 'pdu-session', 1) and proc_ok(rep, 'ping', 3)
    tap(sessions_ok and proc_ok(rep, 'deregistration', 1),
        'PDU session, 3 pings from the UE to the dn host %s through the UPF: %s'
        % (DN_IP, summary(rep)), 'rc=%s %s %s' % (rc, reasons(rep), err[-300:]))

    # ---- 13: --tun and the system ping
    cfg = r.ransim_config('tun', TUN)
    tun = subprocess.Popen(['ip', 'netns', 'exec', r.net.ran, a.ransim, '-c', cfg, '--json',
                            '--session', '--tun', '--duration', '20', '--deregister'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           preexec_fn=die_with_parent)
    r.procs.append(('ransim-tun', tun, subprocess.DEVNULL))
    end, have = time.monotonic() + 10, False
    while time.monotonic() < end and tun.poll() is None and not have:
        have = subprocess.run(['ip', '-n', r.net.ran, 'addr', 'show', 'uesimtun0'],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).returncode == 0
        time.sleep(0.1)
    ping_out = ''
    if have:
        p = subprocess.run(['ip', 'netns', 'exec', r.net.ran, 'ping', '-I', 'uesimtun0', '-c',
                            '3', '-i', '0.2', '-W', '2', DN_IP], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=20)
        ping_out = p.stdout.decode(errors='replace')
        ping_rc = p.returncode
    else:
        ping_rc = None
    if tun.poll() is None:
        tun.send_signal(signal.SIGINT)  # ends the hold; the UE still deregisters
    try:
        out, err = tun.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        tun.kill()
        out, err = tun.communicate()
    try:
        rep = json.loads(out.decode())
    except ValueError:
        rep = {}
    tap(have and ping_rc == 0 and ' 0% packet loss' in ping_out and tun.returncode == 0,
        'sen-ransim --tun: the system ping -I uesimtun0 %s gets 3 replies through the UPF'
        % DN_IP, 'tun=%s ping rc=%s %s ransim rc=%s %s %s' % (
            have, ping_rc, ping_out[-200:], tun.returncode, reasons(rep),
            err.decode(errors='replace')[-300:]))

    # ---- 14: 100 UEs with sessions at once
    # The gNB's PDU Session Resource Setup Response reaches the SMF (Update SM Context) on
    # another connection than the AMF's N1N2MessageTransfer answer and may overtake it
    # (TS 23.502 4.3.2.2.1 steps 11/15); the SMF must not refuse it, or the DL FAR stays
    # BUFF and the echo reply stays buffered in the UPF. Count such refusals in the SMF log
    # (a 409 to an update overtaken by the release of a deregistering UE is not one).
    smf_log, amf_log = ('smf', 'amf') if r.a.mode == 'split' else ('core', 'core')
    log0, alog0 = len(r.log(smf_log)), len(r.log(amf_log))
    rc, rep, err = r.ransim('sessions', SESS, ['--ues', str(SESS_N), '--rate', '1000',
                                              '--ping', DN_IP, '--count', '1', '--deregister'],
                            timeout=90)
    refused = r.log(smf_log)[log0:].count('Update SM Context refused')
    # the AMF's side of the same race: a Setup Response before the SMF's 201 (diagnostic)
    ignored = r.log(amf_log)[alog0:].count('PDU_RES_SETUP_RSP for unknown PDU session')
    tap(rc == 0 and proc_ok(rep, 'pdu-session', SESS_N) and proc_ok(rep, 'ping', SESS_N) and
        proc_ok(rep, 'deregistration', SESS_N) and clean(rep) and refused == 0,
        '%d UEs with a session and a ping each, at once: %s' % (SESS_N, summary(rep)),
        'rc=%s %s N2 updates refused by the SMF=%d, setup responses ignored by the AMF=%d %s'
        % (rc, reasons(rep)[:3], refused, ignored, err[-300:]))

    # ---- 15: deregistration released every session in the SMF and the UPF
    m_smf = r.metrics('smf')
    ok1, v1 = r.wait_metric('smf', 'fivegs_smffunction_sm_sessionnbr', 0, 5)
    ok2, v2 = r.wait_metric('upf', 'fivegs_upffunction_upf_sessionnbr', 0, 5)
    created = m_smf.get('fivegs_smffunction_sm_pdusessioncreationsucc', 0)
    tap(ok1 and ok2 and created >= 2 + SESS_N,
        'after deregistration no session is left in the SMF or the UPF (%d created)' % created,
        'smf sessions=%s upf sessions=%s created=%s' % (v1, v2, created))

    # ---- UE-requested PDU session release; an IPv4v6 session
    release_case(r)
    dual_case(r)

    # ---- 16: the home network kept no UE registered; daemons alive
    ok, v = r.wait_metric('amf', 'fivegs_amffunction_rm_registeredsubnbr', 0, 5)
    dead = [n for n, p, _ in r.procs if p.poll() is not None and n not in ('ransim-tun', 'ransim-tun6')]
    tap(ok and not dead, 'every daemon still runs and no UE is left registered in the AMF',
        'registered=%s exited=%s' % (v, dead))

    # ---- 17: SIGTERM stops the core cleanly
    codes = {}
    for name, p, _ in reversed(r.procs):
        if name in names and p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for name, p, _ in r.procs:
        if name in names:
            try:
                codes[name] = p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                codes[name] = 'hung'
    tap(all(c == 0 for c in codes.values()), 'SIGTERM: every NF exits with status 0', codes)

    # ---- 18: no key material in any log
    leaked = [n for n in os.listdir(r.dir) if n.endswith('.log') and
              any(x.lower() in open(os.path.join(r.dir, n), errors='replace').read().lower()
                  for x in (K, OPC))]
    tap(not leaked, 'K and OPc appear in no log', leaked)

    # ---- 19, 20: the capture
    time.sleep(0.5)
    cap.send_signal(signal.SIGINT)
    try:
        cap.wait(timeout=10)
    except subprocess.TimeoutExpired:
        cap.kill()
    flt = 'ngap || nas-5gs || http2 || pfcp || gtp || sctp'
    if os.environ.get('E2E_TSHARK_ALL'):
        flt = 'frame'
    counts = {}
    for proto in ('sctp', 'ngap', 'nas-5gs', 'http2', 'pfcp', 'gtp'):
        _, vals = tshark_fields(pcap, proto, 'frame.number')
        counts[proto] = len(vals)
    # TCP's own expert notes (window full, zero window on lo) are flow control, not errors.
    # The one undecodable NGAP PDU sen-ransim --inject bad-ngap sent on purpose is not one.
    bad_flt = ('(%s) && (_ws.malformed || (_ws.expert.severity >= "Warning" && '
               '!tcp.analysis.flags)) && !(frame contains %s)' % (flt, BAD_NGAP_HEX))
    rc, bad = tshark_fields(pcap, bad_flt, 'frame.number')
    _, bad_what = tshark_fields(pcap, bad_flt, '_ws.expert.message')
    need = ['sctp', 'ngap', 'nas-5gs', 'http2', 'pfcp'] + (['gtp'] if sessions_ok else [])
    tap(rc == 0 and not bad and all(counts[p] > 0 for p in need),
        'tshark decodes the capture with no malformed packet or expert warning: %s' %
        ', '.join('%s %d' % kv for kv in counts.items()),
        'rc=%s bad frames %s: %s' % (rc, bad[:10], sorted(set(bad_what))[:5]))
    _, schemes = tshark_fields(pcap, 'nas_5gs.mm.suci.scheme_id', 'nas_5gs.mm.suci.scheme_id')
    _, causes = tshark_fields(pcap, 'nas_5gs.mm.5gmm_cause', 'nas_5gs.mm.5gmm_cause')
    _, mtypes = tshark_fields(pcap, 'nas_5gs.mm.message_type', 'nas_5gs.mm.message_type')
    schemes, causes, mtypes = set(schemes), set(causes), set(mtypes)
    tap({'0', '1', '2'} <= schemes and {'7', '20', '21'} <= causes and
        {'0x41', '0x44', '0x56', '0x58', '0x59'} <= mtypes,
        'the capture shows SUCIs in the null scheme, Profile A and B; Registration Reject #7; '
        'Authentication Failure #20 and #21; Authentication Reject',
        'schemes=%s causes=%s types=%s' % (sorted(schemes), sorted(causes), sorted(mtypes)))


if __name__ == '__main__':
    main()
