#!/usr/bin/env python3
"""tshark as an oracle for lib/ngap (TS 38.413): every sample PDU our encoder writes, and
every public PDU of tests/ngap/data/public.txt, goes into a pcap as SCTP DATA with PPID 60
(text2pcap -S 38412,38412,60), which Wireshark's NGAP dissector decodes. Each must show no
malformed packet and no expert info of severity warning or above, and the key fields of
the samples (procedure code, AMF/RAN UE NGAP IDs, PLMN, TAC, NAS-PDU bytes, GTP TEIDs) must
equal the values written again here by hand from tests/ngap/samples.c (the oracle does not
use our decoder). Good PDUs were checked first to produce no expert info at all.

Usage: tshark_check.py TEST_NGAP PUBLIC_TXT. tshark missing is a failure, never a skip.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import tshark_oracle  # noqa: E402

AMF = '4294967301'
RAN = '1001'
PLMN = '99f907'
NAS = '7e004171000d010011000000000099898877f71001002e04804080402f020101'
TEID_UL = '00001234'
TEID_DL = 'abcd0001'
FIELDS = ['ngap.procedureCode', 'ngap.AMF_UE_NGAP_ID', 'ngap.RAN_UE_NGAP_ID',
          'ngap.pLMNIdentity', 'ngap.tAC', 'ngap.NAS_PDU', 'ngap.gTP_TEID',
          '_ws.malformed', '_ws.expert.severity', '_ws.expert.message']

UE = {'ngap.AMF_UE_NGAP_ID': AMF, 'ngap.RAN_UE_NGAP_ID': RAN}
# name -> expected first procedure code and other fields (exact comma-joined values)
EXPECT = {
    'ng-setup-request': (21, {'ngap.pLMNIdentity': PLMN + ',' + PLMN, 'ngap.tAC': '1'}),
    'ng-setup-response': (21, {'ngap.pLMNIdentity': PLMN + ',' + PLMN}),
    'ng-setup-failure': (21, {}),
    'ran-configuration-update': (35, {'ngap.tAC': '1'}),
    'ran-configuration-update-ack': (35, {}),
    'ran-configuration-update-failure': (35, {}),
    'amf-configuration-update': (0, {}),
    'amf-configuration-update-ack': (0, {}),
    'amf-configuration-update-failure': (0, {}),
    'ng-reset': (20, UE),
    'ng-reset-ack': (20, UE),
    'error-indication': (9, UE),
    'initial-ue-message': (15, {'ngap.RAN_UE_NGAP_ID': RAN, 'ngap.NAS_PDU': NAS,
                                'ngap.tAC': '1', 'ngap.pLMNIdentity': PLMN + ',' + PLMN}),
    'downlink-nas-transport': (4, dict(UE, **{'ngap.NAS_PDU': NAS})),
    'uplink-nas-transport': (46, dict(UE, **{'ngap.NAS_PDU': NAS, 'ngap.tAC': '1'})),
    'nas-non-delivery-indication': (19, dict(UE, **{'ngap.NAS_PDU': NAS})),
    'reroute-nas-request': (36, {'ngap.AMF_UE_NGAP_ID': AMF,
                                 'ngap.RAN_UE_NGAP_ID': RAN + ',' + RAN}),
    'initial-context-setup-request': (14, dict(UE, **{'ngap.gTP_TEID': TEID_UL,
                                                     'ngap.NAS_PDU': NAS})),
    'initial-context-setup-response': (14, dict(UE, **{'ngap.gTP_TEID': TEID_DL})),
    'initial-context-setup-failure': (14, UE),
    'ue-context-release-request': (42, UE),
    'ue-context-release-command': (41, UE),
    'ue-context-release-complete': (41, dict(UE, **{'ngap.tAC': '1'})),
    'ue-context-modification-request': (40, {'ngap.AMF_UE_NGAP_ID': AMF + ',' + str(int(AMF) + 1),
                                             'ngap.RAN_UE_NGAP_ID': RAN}),
    'ue-context-modification-response': (40, UE),
    'ue-context-modification-failure': (40, UE),
    'ue-radio-capability-info-indication': (44, UE),
    'paging': (24, {'ngap.tAC': '1', 'ngap.pLMNIdentity': PLMN}),
    'pdu-session-resource-setup-request': (29, dict(UE, **{'ngap.gTP_TEID': TEID_UL})),
    'pdu-session-resource-setup-response': (29, dict(UE, **{'ngap.gTP_TEID': TEID_DL})),
    'pdu-session-resource-release-command': (28, UE),
    'pdu-session-resource-release-response': (28, UE),
    'pdu-session-resource-modify-request': (26, UE),
    'pdu-session-resource-modify-response': (26, UE),
    'pdu-session-resource-notify': (30, UE),
}


def norm(v):
    return v.replace(':', '').lower()


def main():
    exe, public = sys.argv[1], sys.argv[2]
    tap = tshark_oracle.Tap(max_diag=None)
    if not tshark_oracle.have_tools('tshark', 'text2pcap'):
        tap.check(False, 'tshark/text2pcap not installed (apt-get install tshark)')
        tap.check(False, 'tshark/text2pcap not installed')
        return tap.finish()
    pdus = []
    for line in subprocess.check_output([exe, '--dump']).decode().splitlines():
        name, hexs = line.split()
        pdus.append((name, hexs, True))
    for line in open(public):
        if line.startswith('#') or not line.strip():
            continue
        name, hexs = line.split()[:2]
        if not name.startswith('!'):
            pdus.append((name, hexs, False))
    with tempfile.TemporaryDirectory() as d:
        pcap = os.path.join(d, 'n.pcap')
        tshark_oracle.text2pcap([hexs for _, hexs, _ in pdus], pcap, ['-S', '38412,38412,60'])
        rc, out, err = tshark_oracle.read_fields(pcap, FIELDS)
    bad_syntax, bad_fields = [], []
    if rc != 0:
        bad_syntax.append('tshark exit %d: %s' % (rc, err.strip()))
    if len(out) != len(pdus):
        bad_syntax.append('tshark saw %d packets, %d written' % (len(out), len(pdus)))
    seen = set()
    for (name, _, ours), v in zip(pdus, out):
        bad = tshark_oracle.problems(v)
        if bad:
            bad_syntax.append('%s: %s' % (name, '; '.join(bad)))
        if not ours:
            continue
        seen.add(name)
        proc, want = EXPECT.get(name, (None, {}))
        if proc is None:
            bad_fields.append('%s: no expectation written' % name)
            continue
        got_proc = v['ngap.procedureCode'].split(',')[0]
        if got_proc != str(proc):
            bad_fields.append('%s: procedureCode %s, want %d' % (name, got_proc, proc))
        for fl, exp in want.items():
            if norm(v[fl]) != norm(exp):
                bad_fields.append('%s: %s = %r, want %r' % (name, fl, v[fl], exp))
    missing = set(EXPECT) - seen
    if missing:
        bad_fields.append('samples missing: ' + ', '.join(sorted(missing)))
    tap.check(not bad_syntax, 'no malformed packet or expert warning in %d PDUs' % len(pdus),
              '\n'.join(bad_syntax))
    tap.check(not bad_fields, 'key fields of %d samples equal what we encoded' % len(EXPECT),
              '\n'.join(bad_fields))
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())
