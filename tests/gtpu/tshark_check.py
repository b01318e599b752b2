#!/usr/bin/env python3
"""tshark as an oracle for lib/gtpu: every sample message our encoder writes must decode in
Wireshark's GTP dissector (UDP port 2152) with no malformed packet and no expert info of
severity warning or above, and its key fields (message type, TEID, sequence / N-PDU
numbers, PDU Session Container type, QFI, RQI, PPI, Recovery, TEID Data I, peer address,
extension types, and the inner IP packet of a G-PDU) must read back as the values the
samples put in (written out again here, by hand, from tests/gtpu/test_gtpu.c).

Usage: tshark_check.py TEST_GTPU. The program's --dump mode gives "name hex" lines.
tshark missing is a failure, never a skip.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import tshark_oracle  # noqa: E402

FIELDS = ['gtp.message', 'gtp.teid', 'gtp.seq_number', 'gtp.npdu_number',
          'gtp.ext_hdr.pdu_ses_con.pdu_type', 'gtp.ext_hdr.pdu_ses_con.qos_flow_id',
          'gtp.ext_hdr.pdu_ses_cont.rqi', 'gtp.ext_hdr.pdu_ses_cont.ppi', 'gtp.recovery',
          'gtp.teid_data', 'gtp.gsn_ipv4', 'gtp.gsn_ipv6', 'gtp.ext_hdr.udp_port',
          'gtp.ext_hdr_type', 'ip.dst', 'icmp.type',
          '_ws.malformed', '_ws.expert.severity', '_ws.expert.message']
# The outer IP header is text2pcap's (10.2.2.2); the inner one is the UE's packet.
INNER = {'ip.dst': '10.2.2.2,8.8.8.8', 'icmp.type': '8'}
EXPECT = {
    'gpdu': dict(INNER, **{'gtp.message': '0xff', 'gtp.teid': '0x00001234'}),
    'gpdu-ul-psc': dict(INNER, **{'gtp.message': '0xff', 'gtp.teid': '0x0000abcd',
                                  'gtp.ext_hdr.pdu_ses_con.pdu_type': '1',
                                  'gtp.ext_hdr.pdu_ses_con.qos_flow_id': '9'}),
    'gpdu-dl-psc-ppi-rqi': dict(INNER, **{'gtp.teid': '0x00000001',
                                          'gtp.ext_hdr.pdu_ses_con.pdu_type': '0',
                                          'gtp.ext_hdr.pdu_ses_con.qos_flow_id': '1',
                                          'gtp.ext_hdr.pdu_ses_cont.rqi': '1',
                                          'gtp.ext_hdr.pdu_ses_cont.ppi': '3'}),
    'gpdu-dl-psc-qmp-snp': dict(INNER, **{'gtp.teid': '0x00000002',
                                          'gtp.ext_hdr.pdu_ses_con.pdu_type': '0',
                                          'gtp.ext_hdr.pdu_ses_con.qos_flow_id': '5'}),
    'gpdu-seq-npdu': dict(INNER, **{'gtp.teid': '0x00000003', 'gtp.seq_number': '0x1234',
                                    'gtp.npdu_number': '0x07'}),
    'gpdu-psc-udp-port': dict(INNER, **{'gtp.ext_hdr.pdu_ses_con.qos_flow_id': '9',
                                        'gtp.ext_hdr.udp_port': '2152'}),
    'echo-request': {'gtp.message': '0x01', 'gtp.teid': '0x00000000',
                     'gtp.seq_number': '0x0001'},
    'echo-response': {'gtp.message': '0x02', 'gtp.recovery': '0', 'gtp.seq_number': '0x0001'},
    'error-indication': {'gtp.message': '0x1a', 'gtp.teid_data': '0x0000beef',
                         'gtp.gsn_ipv4': '127.0.0.7'},
    'error-indication-ipv6': {'gtp.message': '0x1a', 'gtp.teid_data': '0x0000beef',
                              'gtp.gsn_ipv6': '2001:db8::7'},
    'end-marker': {'gtp.message': '0xfe', 'gtp.teid': '0x00000001'},
    'supported-extension-headers': {'gtp.message': '0x1f', 'gtp.ext_hdr_type': '133,64'},
}


def main():
    return tshark_oracle.check_samples(
        sys.argv[1], ['-u', '2152,2152'], FIELDS, EXPECT,
        extra=lambda got: ['not dissected as GTP'] if got['gtp.message'] == '' else [])


if __name__ == '__main__':
    sys.exit(main())
