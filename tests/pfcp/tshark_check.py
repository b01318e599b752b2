#!/usr/bin/env python3
"""tshark as an oracle for lib/pfcp: every sample message our encoder writes must decode in
Wireshark's PFCP dissector (UDP port 8805) with no malformed packet and no expert info of
severity warning or above, and its key fields (message type, SEIDs, sequence number,
cause, PDR / FAR / QER / URR IDs, F-TEIDs, QFIs, Node IDs, addresses) must read back as
the values the samples put in (written out again here, by hand, from tests/pfcp/samples.c:
the oracle does not look at our decoder).

Usage: tshark_check.py TEST_PFCP. The program's --dump mode gives "name hex" lines.
tshark missing is a failure, never a skip.
"""
import os
import shutil
import subprocess
import sys
import tempfile

# Expert severities (epan/proto.h): PI_WARN = 0x00600000, PI_ERROR = 0x00800000.
PI_WARN = 0x00600000
FIELDS = ['pfcp.msg_type', 'pfcp.seid', 'pfcp.seqno', 'pfcp.cause', 'pfcp.pdr_id',
          'pfcp.far_id', 'pfcp.qer_id', 'pfcp.urr_id', 'pfcp.f_teid.teid',
          'pfcp.f_teid.ipv4_addr', 'pfcp.f_teid.choose_id', 'pfcp.f_seid.ipv4',
          'pfcp.qfi_value', 'pfcp.offending_ie', 'pfcp.node_id_fqdn', 'pfcp.node_id_ipv4',
          'pfcp.node_id_ipv6', 'pfcp.ue_ip_addr_ipv4', 'pfcp.outer_hdr_creation.teid',
          'pfcp.outer_hdr_creation.ipv4', 'pfcp.network_instance', 'pfcp.flow_desc',
          'pfcp.ul_mbr', 'pfcp.dl_mbr', 'pfcp.dl_gbr', 'pfcp.ur_seqn', 'pfcp.apn_dnn',
          '_ws.malformed', '_ws.expert.severity', '_ws.expert.message']

EST_COMMON = {'pfcp.msg_type': '50', 'pfcp.pdr_id': '1,2', 'pfcp.far_id': '1,2,1,2',
              'pfcp.qer_id': '1,1,1', 'pfcp.urr_id': '1,1,1', 'pfcp.f_seid.ipv4': '127.0.0.4',
              'pfcp.qfi_value': '0x01,0x01', 'pfcp.node_id_ipv4': '127.0.0.4',
              'pfcp.network_instance': 'internet,internet,internet',
              'pfcp.ul_mbr': '1000000', 'pfcp.dl_mbr': '2000000', 'pfcp.apn_dnn': 'internet'}
EXPECT = {
    'heartbeat-request': {'pfcp.msg_type': '1', 'pfcp.seqno': '1', 'pfcp.seid': ''},
    'heartbeat-response': {'pfcp.msg_type': '2', 'pfcp.seqno': '1'},
    'association-setup-request': {'pfcp.msg_type': '5', 'pfcp.seqno': '2',
                                  'pfcp.node_id_ipv4': '127.0.0.4'},
    'association-setup-request-fqdn': {'pfcp.msg_type': '5', 'pfcp.seqno': '1193046',
                                       'pfcp.node_id_fqdn': 'upf1.sen.example'},
    'association-setup-response': {'pfcp.msg_type': '6', 'pfcp.cause': '1',
                                   'pfcp.node_id_ipv4': '127.0.0.7'},
    'association-setup-response-ipv6': {'pfcp.msg_type': '6', 'pfcp.cause': '75',
                                        'pfcp.node_id_ipv6': '2001:db8::7'},
    'association-release-request': {'pfcp.msg_type': '9', 'pfcp.node_id_ipv4': '127.0.0.4'},
    'association-release-response': {'pfcp.msg_type': '10', 'pfcp.cause': '1',
                                     'pfcp.node_id_ipv4': '127.0.0.7'},
    'version-not-supported-response': {'pfcp.msg_type': '11', 'pfcp.seqno': '77'},
    'session-establishment-request': dict(EST_COMMON, **{
        'pfcp.seid': '0x0000000000000000,0x0000000000000001', 'pfcp.seqno': '100',
        'pfcp.f_teid.choose_id': '05', 'pfcp.ue_ip_addr_ipv4': '10.45.0.2',
        'pfcp.flow_desc': 'permit out ip from any to assigned'}),
    'session-establishment-request-ipv6': dict(EST_COMMON, **{
        'pfcp.seid': '0x0000000000000000,0xfedcba9876543210', 'pfcp.seqno': '101',
        'pfcp.flow_desc': 'permit out 17 from 10.45.0.2 to 8.8.8.8 53,'
                          'permit out ip from any to assigned'}),
    'session-establishment-response': {
        'pfcp.msg_type': '51', 'pfcp.seid': '0x0000000000000001,0x0000000000001001',
        'pfcp.seqno': '100', 'pfcp.cause': '1', 'pfcp.pdr_id': '1',
        'pfcp.f_teid.teid': '0x0000abcd', 'pfcp.f_teid.ipv4_addr': '127.0.0.7',
        'pfcp.f_seid.ipv4': '127.0.0.7'},
    'session-establishment-response-reject': {'pfcp.msg_type': '51', 'pfcp.cause': '66',
                                              'pfcp.offending_ie': '57'},
    'session-modification-request': {
        'pfcp.msg_type': '52', 'pfcp.seid': '0x0000000000001001', 'pfcp.seqno': '103',
        'pfcp.pdr_id': '3,4,1', 'pfcp.far_id': '3,4,4,2', 'pfcp.qer_id': '3,2,2,1',
        'pfcp.urr_id': '3,1,1', 'pfcp.f_teid.teid': '0x0000abcd',
        'pfcp.outer_hdr_creation.teid': '0x00000001',
        'pfcp.outer_hdr_creation.ipv4': '10.0.0.1', 'pfcp.qfi_value': '0x05,0x05',
        'pfcp.ul_mbr': '1024,500000', 'pfcp.dl_gbr': '512'},
    'session-modification-response': {'pfcp.msg_type': '53', 'pfcp.cause': '1',
                                      'pfcp.urr_id': '1', 'pfcp.ur_seqn': '1'},
    'session-deletion-request': {'pfcp.msg_type': '54', 'pfcp.seid': '0x0000000000001001',
                                 'pfcp.seqno': '104'},
    'session-deletion-response': {'pfcp.msg_type': '55', 'pfcp.cause': '1',
                                  'pfcp.urr_id': '1,2', 'pfcp.ur_seqn': '2,3'},
    'session-deletion-response-not-found': {'pfcp.msg_type': '55', 'pfcp.cause': '65'},
    'session-report-request-dldr': {'pfcp.msg_type': '56', 'pfcp.pdr_id': '2',
                                    'pfcp.qfi_value': '0x01'},
    'session-report-request-usar': {'pfcp.msg_type': '56', 'pfcp.urr_id': '1',
                                    'pfcp.ur_seqn': '4'},
    'session-report-request-erir': {'pfcp.msg_type': '56', 'pfcp.f_teid.teid': '0x00000001',
                                    'pfcp.f_teid.ipv4_addr': '10.0.0.1'},
    'session-report-response': {'pfcp.msg_type': '57', 'pfcp.cause': '1',
                                'pfcp.seid': '0x0000000000001001'},
}


def main():
    prog = sys.argv[1]
    tshark, text2pcap = shutil.which('tshark'), shutil.which('text2pcap')
    if not tshark or not text2pcap:
        print('1..1')
        print('not ok 1 - tshark/text2pcap not installed (apt-get install tshark): '
              'the oracle cannot run, which is a failure')
        return 1
    dump = subprocess.run([prog, '--dump'], stdout=subprocess.PIPE, check=True).stdout.decode()
    samples = [l.split() for l in dump.splitlines() if l.strip()]
    work = tempfile.mkdtemp(prefix='pfcp-tshark-')
    txt, pcap = os.path.join(work, 'in.txt'), os.path.join(work, 'pfcp.pcap')
    with open(txt, 'w') as f:
        for _, h in samples:
            b = bytes.fromhex(h)
            for off in range(0, len(b), 16):
                f.write('%06x %s\n' % (off, ' '.join('%02x' % x for x in b[off:off + 16])))
            f.write('\n')
    subprocess.run([text2pcap, '-q', '-u', '8805,8805', txt, pcap], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cmd = [tshark, '-n', '-r', pcap, '-T', 'fields', '-E', 'occurrence=a',
           '-E', 'aggregator=,', '-E', 'separator=\t', '-e', 'frame.number']
    for fld in FIELDS:
        cmd += ['-e', fld]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout.decode()
    rows = [l.split('\t') for l in out.splitlines()]
    shutil.rmtree(work, ignore_errors=True)

    print('1..%d' % (len(samples) + 1))
    failed = 0
    ok = len(rows) == len(samples) and set(EXPECT) == {s[0] for s in samples}
    print('%s 1 - tshark read %d of %d packets; expectations cover every sample'
          % ('ok' if ok else 'not ok', len(rows), len(samples)))
    failed += not ok
    for i, (name, h) in enumerate(samples):
        problems = []
        if i >= len(rows):
            problems.append('no packet')
        else:
            got = dict(zip(FIELDS, rows[i][1:] + [''] * len(FIELDS)))
            if got['_ws.malformed']:
                problems.append('malformed packet')
            for sev, msg in zip(got['_ws.expert.severity'].split(','),
                                got['_ws.expert.message'].split(',')):
                if sev and int(sev) >= PI_WARN:
                    problems.append('expert %s: %s' % (hex(int(sev)), msg))
            if got['pfcp.msg_type'] == '':
                problems.append('not dissected as PFCP')
            for fld, want in EXPECT.get(name, {}).items():
                if got[fld] != want:
                    problems.append('%s is %r, want %r' % (fld, got[fld], want))
        if problems:
            failed += 1
            print('not ok %d - %s: %s (hex %s)' % (i + 2, name, '; '.join(problems), h))
        else:
            print('ok %d - %s' % (i + 2, name))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
