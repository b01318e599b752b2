#!/usr/bin/env python3
"""tshark as an oracle for lib/nas: every sample message our encoder writes must decode in
Wireshark's nas-5gs dissector with no malformed packet and no expert info of severity
warning or above, and its key fields (message types, causes, identities, DNN, addresses,
QFIs) must read back as the values the samples put in (written out again here, by hand,
from tests/nas/samples.c: the oracle does not look at our decoder).

Two more sets go through tshark:
- the Release 17 samples (--dump-r17), which carry IEs Wireshark 4.0 does not know: each
  must decode with no malformed packet or warning, and tshark may stop ("extraneous
  data") only exactly where the first IE of TSHARK_UNKNOWN starts (--dump-r17-ies gives
  where each IE starts), so everything before it was checked;
- one probe per optional IE of every message table (--dump-probe): a message with its
  mandatory IEs and that one optional IE. tshark must decode it whole (no malformed, no
  warning, no extraneous data), except for the IEs of TSHARK_UNKNOWN, where it must stop
  exactly at that IE (so the list stays true when tshark learns one).

Usage: tshark_check.py TEST_NAS_MSG [--probes] (the samples, or the two sets above).
The program's --dump mode gives "name hex" lines.
text2pcap writes them with user DLT 147, which a uat option maps to nas-5gs.
tshark missing is a failure, never a skip.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import tshark_oracle  # noqa: E402

UAT = 'uat:user_dlts:"User 0 (DLT=147)","nas-5gs","0","","0",""'
FIELDS = ['nas_5gs.mm.message_type', 'nas_5gs.sm.message_type', 'nas_5gs.mm.5gmm_cause',
          'nas_5gs.sm.5gsm_cause', 'nas_5gs.mm.suci.msin', 'nas_5gs.5g_tmsi',
          'nas_5gs.mm.type_id', 'nas_5gs.cmn.dnn', 'nas_5gs.sm.pdu_addr_inf_ipv4',
          'nas_5gs.sm.qfi', 'nas_5gs.sm.5qi', 'e212.mcc', 'e212.mnc', 'nas_5gs.pdu_session_id',
          'nas_5gs.tac', 'nas_5gs.mm.sst', 'nas_5gs.mm.mapped_hplmn_sst',
          'nas_5gs.sm.pdu_addr_inf_ipv6', '_ws.malformed', '_ws.expert.severity',
          '_ws.expert.message']

TMSI = str(0xc0ffee01)
# Key fields per sample: field -> the exact comma-joined list tshark must show.
EXPECT = {
    'registration-request-initial': {'nas_5gs.mm.message_type': '0x41',
                                     'nas_5gs.mm.suci.msin': '0000000012',
                                     'nas_5gs.mm.type_id': '1', 'e212.mcc': '999',
                                     'e212.mnc': '70', 'nas_5gs.tac': '1',
                                     'nas_5gs.mm.sst': '1,1'},
    'registration-request-mobility': {'nas_5gs.mm.message_type': '0x41,0x41',
                                      'nas_5gs.5g_tmsi': TMSI + ',' + TMSI},
    # S-NSSAIs of lengths 1, 2, 4, 5, 8: SSTs, and the mapped HPLMN SSTs of the last three
    'registration-request-roaming-nssai': {'nas_5gs.mm.message_type': '0x41',
                                           'nas_5gs.mm.suci.msin': '0000000012',
                                           'nas_5gs.mm.sst': '1,2,1,3,4',
                                           'nas_5gs.mm.mapped_hplmn_sst': '1,2,1'},
    'registration-accept': {'nas_5gs.mm.message_type': '0x42', 'nas_5gs.5g_tmsi': TMSI,
                            'nas_5gs.tac': '1,7,256,515,11259375',
                            'nas_5gs.mm.sst': '1,1,2,4'},
    'registration-complete': {'nas_5gs.mm.message_type': '0x43'},
    'registration-reject': {'nas_5gs.mm.message_type': '0x44', 'nas_5gs.mm.5gmm_cause': '7'},
    'ul-nas-transport': {'nas_5gs.mm.message_type': '0x67', 'nas_5gs.sm.message_type': '0xc1',
                         'nas_5gs.cmn.dnn': 'internet', 'nas_5gs.pdu_session_id': '1,1',
                         'nas_5gs.mm.sst': '1'},
    'dl-nas-transport': {'nas_5gs.mm.message_type': '0x68', 'nas_5gs.sm.message_type': '0xd3',
                         'nas_5gs.mm.5gmm_cause': '90', 'nas_5gs.sm.5gsm_cause': '36'},
    'deregistration-request-ue-orig': {'nas_5gs.mm.message_type': '0x45',
                                       'nas_5gs.5g_tmsi': TMSI},
    'deregistration-accept-ue-orig': {'nas_5gs.mm.message_type': '0x46'},
    'deregistration-request-ue-term': {'nas_5gs.mm.message_type': '0x47',
                                       'nas_5gs.mm.5gmm_cause': '10'},
    'deregistration-accept-ue-term': {'nas_5gs.mm.message_type': '0x48'},
    'service-request': {'nas_5gs.mm.message_type': '0x4c', 'nas_5gs.5g_tmsi': TMSI,
                        'nas_5gs.mm.type_id': '4'},
    'service-accept': {'nas_5gs.mm.message_type': '0x4e'},
    'service-reject': {'nas_5gs.mm.message_type': '0x4d', 'nas_5gs.mm.5gmm_cause': '9'},
    'configuration-update-command': {'nas_5gs.mm.message_type': '0x54',
                                     'nas_5gs.5g_tmsi': TMSI},
    'configuration-update-complete': {'nas_5gs.mm.message_type': '0x55'},
    'authentication-request': {'nas_5gs.mm.message_type': '0x56'},
    'authentication-response': {'nas_5gs.mm.message_type': '0x57'},
    'authentication-failure': {'nas_5gs.mm.message_type': '0x59', 'nas_5gs.mm.5gmm_cause': '21'},
    'authentication-reject': {'nas_5gs.mm.message_type': '0x58'},
    'authentication-result': {'nas_5gs.mm.message_type': '0x5a'},
    'identity-request': {'nas_5gs.mm.message_type': '0x5b'},
    'identity-response-suci-profile-a': {'nas_5gs.mm.message_type': '0x5c',
                                         'nas_5gs.mm.type_id': '1', 'e212.mcc': '999',
                                         'e212.mnc': '70'},
    'identity-response-suci-nai': {'nas_5gs.mm.message_type': '0x5c', 'nas_5gs.mm.type_id': '1'},
    'identity-response-imei': {'nas_5gs.mm.message_type': '0x5c', 'nas_5gs.mm.type_id': '3'},
    'identity-response-mac': {'nas_5gs.mm.message_type': '0x5c', 'nas_5gs.mm.type_id': '6'},
    'identity-response-none': {'nas_5gs.mm.message_type': '0x5c', 'nas_5gs.mm.type_id': '0'},
    'security-mode-command': {'nas_5gs.mm.message_type': '0x5d'},
    'security-mode-complete': {'nas_5gs.mm.message_type': '0x5e,0x41',
                               'nas_5gs.mm.type_id': '5,1', 'nas_5gs.mm.suci.msin': '0000000012'},
    'security-mode-reject': {'nas_5gs.mm.message_type': '0x5f', 'nas_5gs.mm.5gmm_cause': '23'},
    '5gmm-status': {'nas_5gs.mm.message_type': '0x64', 'nas_5gs.mm.5gmm_cause': '96'},
    'notification': {'nas_5gs.mm.message_type': '0x65'},
    'notification-response': {'nas_5gs.mm.message_type': '0x66'},
    'pdu-session-establishment-request': {'nas_5gs.sm.message_type': '0xc1',
                                          'nas_5gs.pdu_session_id': '1'},
    'pdu-session-establishment-accept': {'nas_5gs.sm.message_type': '0xc2',
                                         'nas_5gs.cmn.dnn': 'internet',
                                         'nas_5gs.sm.pdu_addr_inf_ipv4': '10.45.0.0,10.45.0.2',
                                         'nas_5gs.sm.qfi': '1,5,1,5', 'nas_5gs.sm.5qi': '9,1',
                                         'nas_5gs.mm.sst': '1'},
    'pdu-session-establishment-accept-ipv4v6': {'nas_5gs.sm.message_type': '0xc2',
                                                'nas_5gs.cmn.dnn': 'ims.mnc070.mcc999.gprs',
                                                'nas_5gs.sm.pdu_addr_inf_ipv4': '10.45.0.3',
                                                'nas_5gs.sm.pdu_addr_inf_ipv6': '0000000000000001'},
    'pdu-session-establishment-accept-ipv6': {'nas_5gs.sm.message_type': '0xc2',
                                              'nas_5gs.sm.pdu_addr_inf_ipv4': '',
                                              'nas_5gs.sm.pdu_addr_inf_ipv6':
                                                  '021122fffe334455',
                                              'nas_5gs.mm.sst': '1'},
    'pdu-session-establishment-reject': {'nas_5gs.sm.message_type': '0xc3',
                                         'nas_5gs.sm.5gsm_cause': '27'},
    'pdu-session-modification-request': {'nas_5gs.sm.message_type': '0xc9'},
    'pdu-session-modification-reject': {'nas_5gs.sm.message_type': '0xca',
                                        'nas_5gs.sm.5gsm_cause': '31'},
    'pdu-session-modification-command': {'nas_5gs.sm.message_type': '0xcb',
                                         'nas_5gs.sm.qfi': '5,5'},
    'pdu-session-modification-complete': {'nas_5gs.sm.message_type': '0xcc'},
    'pdu-session-modification-command-reject': {'nas_5gs.sm.message_type': '0xcd',
                                                'nas_5gs.sm.5gsm_cause': '83'},
    'pdu-session-release-request': {'nas_5gs.sm.message_type': '0xd1',
                                    'nas_5gs.sm.5gsm_cause': '36'},
    'pdu-session-release-reject': {'nas_5gs.sm.message_type': '0xd2',
                                   'nas_5gs.sm.5gsm_cause': '43'},
    'pdu-session-release-command': {'nas_5gs.sm.message_type': '0xd3',
                                    'nas_5gs.sm.5gsm_cause': '36'},
    'pdu-session-release-complete': {'nas_5gs.sm.message_type': '0xd4'},
    '5gsm-status': {'nas_5gs.sm.message_type': '0xd6', 'nas_5gs.sm.5gsm_cause': '98'},
    'registration-request-codecs': {'nas_5gs.mm.message_type': '0x41',
                                    'nas_5gs.mm.suci.msin': '0000000012'},
    'registration-request-n5gc-mac': {'nas_5gs.mm.message_type': '0x41',
                                      'nas_5gs.mm.type_id': '6'},
    'registration-accept-emergency-numbers': {'nas_5gs.mm.message_type': '0x42',
                                              'nas_5gs.5g_tmsi': TMSI},
    'pdu-session-establishment-request-tsn': {'nas_5gs.sm.message_type': '0xc1',
                                              'nas_5gs.pdu_session_id': '1'},
    'pdu-session-modification-request-hc': {'nas_5gs.sm.message_type': '0xc9'},
    'pdu-session-modification-command-hc': {'nas_5gs.sm.message_type': '0xcb'},
}


# (message type, IEI) of the optional IEs that Wireshark 4.0's nas-5gs dissector (Debian 12)
# does not know: it stops there with "extraneous data". All but one are Release 17 IEs.
TSHARK_UNKNOWN = {}
for mt in (0x41,):  # Registration request (8.2.6), Rel-17 IEs
    for iei in (0x29, 0x28, 0x72, 0x32, 0x16, 0x2a, 0x3b):
        # UE request type, paging restriction, service-level-AA container, NID,
        # MS determined PLMN with disaster condition, requested PEIPS assistance
        # information, requested T3512 value
        TSHARK_UNKNOWN[(mt, iei)] = 'Rel-17'
for iei in (0x7b, 0x33, 0x35, 0x70, 0x14, 0x2c, 0x13, 0x1d, 0x1e, 0x71, 0x7c):
    # Registration accept (8.2.7): service-level-AA container, negotiated PEIPS assistance
    # information, 5GS additional request result, NSSRG information, disaster roaming /
    # return wait range, list of PLMNs to be used in disaster condition, forbidden TAI(s)
    # (two lists), extended CAG information list, NSAG information
    TSHARK_UNKNOWN[(0x42, iei)] = 'Rel-17'
for mt in (0x44, 0x47, 0x4d):
    # Registration reject (8.2.9), deregistration request UE terminated (8.2.14), service
    # reject (8.2.18): disaster return wait range, extended CAG information list, lower
    # bound timer value, forbidden TAI(s) (two lists)
    for iei in (0x2c, 0x71, 0x3a, 0x1d, 0x1e):
        TSHARK_UNKNOWN[(mt, iei)] = 'Rel-17'
for iei in (0x29, 0x28):  # Service request (8.2.16): UE request type, paging restriction
    TSHARK_UNKNOWN[(0x4c, iei)] = 'Rel-17'
for iei in (0x34, 0x1d, 0x1e):
    # Service accept (8.2.17): 5GS additional request result, forbidden TAI(s) (two lists)
    TSHARK_UNKNOWN[(0x4e, iei)] = 'Rel-17'
for iei in (0x72, 0x70, 0x14, 0x2c, 0x13, 0x71, 0x1f, 0x73, 0xe0):
    # Configuration update command (8.2.19): service-level-AA container, NSSRG
    # information, disaster roaming / return wait range, list of PLMNs to be used in
    # disaster condition, extended CAG information list, updated PEIPS assistance
    # information, NSAG information, priority indicator
    TSHARK_UNKNOWN[(0x54, iei)] = 'Rel-17'
TSHARK_UNKNOWN[(0x68, 0x3a)] = 'Rel-17'  # DL NAS transport (8.2.11): lower bound timer
for iei in (0x72, 0x70, 0x34, 0x35):
    # PDU session establishment request (8.3.1): service-level-AA container, requested
    # MBS container, PDU session pair ID, RSN
    TSHARK_UNKNOWN[(0xc1, iei)] = 'Rel-17'
# PDU session establishment accept (8.3.2): service-level-AA container, received MBS
# container (Rel-17); 5GSM network feature support (9.11.4.18, Rel-16, IEI 0x17),
# which Wireshark 4.0 does not dissect in this message either.
TSHARK_UNKNOWN[(0xc2, 0x72)] = 'Rel-17'
TSHARK_UNKNOWN[(0xc2, 0x71)] = 'Rel-17'
TSHARK_UNKNOWN[(0xc2, 0x17)] = 'Rel-16, not in Wireshark 4.0'
TSHARK_UNKNOWN[(0xc3, 0x72)] = 'Rel-17'  # establishment reject: service-level-AA container
for iei in (0x70, 0x72):  # modification request: requested MBS container, SLAA container
    TSHARK_UNKNOWN[(0xc9, iei)] = 'Rel-17'
for iei in (0x71, 0x72):  # modification command: received MBS container, SLAA container
    TSHARK_UNKNOWN[(0xcb, iei)] = 'Rel-17'
TSHARK_UNKNOWN[(0xd3, 0x72)] = 'Rel-17'  # release command: service-level-AA container

EXTRANEOUS = 'Extraneous Data'


def extraneous(got):
    # a note only, but tshark stopped at an IE it does not know or mis-parsed one of ours,
    # so the rest of the message was never checked
    if EXTRANEOUS in got['_ws.expert.message']:
        return ['tshark left data undecoded (extraneous data)']
    return []


def dump(prog, mode):
    out = subprocess.run([prog, mode], stdout=subprocess.PIPE, check=True).stdout.decode()
    return [l.split() for l in out.splitlines() if l.strip()]


def stop_offsets(pcap):
    """Per packet, the offset where tshark reported extraneous data (None if nowhere)."""
    p = subprocess.run(['tshark', '-n', '-r', pcap, '-o', UAT, '-T', 'pdml'],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = []
    for pkt in ET.fromstring(p.stdout).iter('packet'):
        pos = [int(f.get('pos')) for f in pkt.iter('field')
               if f.get('name') == '' and (f.get('show') or '').startswith(EXTRANEOUS)]
        out.append(min(pos) if pos else None)
    return out


def through_tshark(work, name, hexes):
    """(rows of read_fields, extraneous-data offsets), one per hex message."""
    pcap = os.path.join(work, name + '.pcap')
    tshark_oracle.text2pcap(hexes, pcap, ['-l', '147'])
    _, rows, _ = tshark_oracle.read_fields(
        pcap, ['frame.number', '_ws.malformed', '_ws.expert.severity', '_ws.expert.message'],
        ['-o', UAT])
    return rows, stop_offsets(pcap)


def check_r17(prog, tap, work):
    samples = dump(prog, '--dump-r17')
    ies = {l[0]: [(int(x.split('@')[0], 16), int(x.split('@')[1])) for x in l[1].split(',')]
           for l in dump(prog, '--dump-r17-ies') if len(l) > 1}
    rows, stops = through_tshark(work, 'r17', [h for _, h in samples])
    tap.check(len(rows) == len(samples) == len(stops),
              'tshark read all %d Release 17 samples' % len(samples))
    for i, (name, h) in enumerate(samples):
        if i >= len(rows) or i >= len(stops):
            tap.check(False, 'rel17 ' + name, 'no packet')
            continue
        mt = int(h[6:8] if h.startswith('2e') else h[4:6], 16)
        unknown = [at for iei, at in ies.get(name, []) if (mt, iei) in TSHARK_UNKNOWN]
        bad = tshark_oracle.problems(rows[i])
        if stops[i] is not None and (not unknown or stops[i] != min(unknown)):
            bad.append('tshark stopped at octet %d, first IE it does not know at %s'
                       % (stops[i], min(unknown) if unknown else 'none'))
        if stops[i] is None and unknown:
            bad.append('tshark decoded IE(s) listed in TSHARK_UNKNOWN: update the list')
        tap.check(not bad, 'rel17 ' + name, '; '.join(bad) + ' (hex %s)' % h)


def check_probes(prog, tap, work):
    probes = dump(prog, '--dump-probe')
    rows, stops = through_tshark(work, 'probe', [p[1] for p in probes])
    tap.check(len(rows) == len(probes) == len(stops) and len(probes) > 250,
              'tshark read all %d one-IE probes' % len(probes))
    known = unknown = 0
    for i, (name, h, at) in enumerate(probes):
        mt, iei = (int(x, 16) for x in name.split('-'))
        if i >= len(rows) or i >= len(stops):
            tap.check(False, 'probe ' + name, 'no packet')
            continue
        bad = tshark_oracle.problems(rows[i])
        if (mt, iei) in TSHARK_UNKNOWN:
            unknown += 1
            if stops[i] != int(at):
                bad.append('listed as unknown to tshark (%s) but tshark stopped at %s, not '
                           'at the IE (octet %s)' % (TSHARK_UNKNOWN[(mt, iei)], stops[i], at))
        else:
            known += 1
            if stops[i] is not None:
                bad.append('tshark does not recognise the IE (extraneous data at octet %d)'
                           % stops[i])
        tap.check(not bad, 'probe %s (message 0x%02x, IEI 0x%02x)' % (name, mt, iei),
                  '; '.join(bad) + ' (hex %s)' % h)
    tap.check(unknown == len(TSHARK_UNKNOWN),
              'every TSHARK_UNKNOWN entry is an IE of the tables (%d known to tshark, %d not)'
              % (known, unknown))


def main():
    return tshark_oracle.check_samples(sys.argv[1], ['-l', '147'], FIELDS, EXPECT,
                                       tshark_opts=['-o', UAT], extra=extraneous)


def main_probes():
    """The Release 17 samples and the one-IE probes (meson test nas-tshark-probes)."""
    tap = tshark_oracle.Tap()
    if not tshark_oracle.have_tools('tshark', 'text2pcap'):
        tap.check(False, 'tshark/text2pcap not installed (apt-get install tshark): '
                  'the oracle cannot run, which is a failure')
        return tap.finish()
    with tempfile.TemporaryDirectory(prefix='sen-tshark-') as work:
        check_r17(sys.argv[1], tap, work)
        check_probes(sys.argv[1], tap, work)
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main_probes() if sys.argv[2:] == ['--probes'] else main())
