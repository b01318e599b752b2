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
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import tshark_oracle  # noqa: E402

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
    return tshark_oracle.check_samples(
        sys.argv[1], ['-u', '8805,8805'], FIELDS, EXPECT,
        extra=lambda got: ['not dissected as PFCP'] if got['pfcp.msg_type'] == '' else [])


if __name__ == '__main__':
    sys.exit(main())
