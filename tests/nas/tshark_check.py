#!/usr/bin/env python3
"""tshark as an oracle for lib/nas: every sample message our encoder writes must decode in
Wireshark's nas-5gs dissector with no malformed packet and no expert info of severity
warning or above, and its key fields (message types, causes, identities, DNN, addresses,
QFIs) must read back as the values the samples put in (written out again here, by hand,
from tests/nas/samples.c: the oracle does not look at our decoder).

Usage: tshark_check.py TEST_NAS_MSG. The program's --dump mode gives "name hex" lines.
text2pcap writes them with user DLT 147, which a uat option maps to nas-5gs.
tshark missing is a failure, never a skip.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import tshark_oracle  # noqa: E402

UAT = 'uat:user_dlts:"User 0 (DLT=147)","nas-5gs","0","","0",""'
FIELDS = ['nas_5gs.mm.message_type', 'nas_5gs.sm.message_type', 'nas_5gs.mm.5gmm_cause',
          'nas_5gs.sm.5gsm_cause', 'nas_5gs.mm.suci.msin', 'nas_5gs.5g_tmsi',
          'nas_5gs.mm.type_id', 'nas_5gs.cmn.dnn', 'nas_5gs.sm.pdu_addr_inf_ipv4',
          'nas_5gs.sm.qfi', 'nas_5gs.sm.5qi', 'e212.mcc', 'e212.mnc', 'nas_5gs.pdu_session_id',
          'nas_5gs.tac', 'nas_5gs.mm.sst', '_ws.malformed', '_ws.expert.severity',
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
                                                'nas_5gs.sm.pdu_addr_inf_ipv4': '10.45.0.3'},
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


def extraneous(got):
    # a note only, but tshark stopped at an IE it does not know or mis-parsed one of ours,
    # so the rest of the message was never checked
    if 'Extraneous Data' in got['_ws.expert.message']:
        return ['tshark left data undecoded (extraneous data)']
    return []


def main():
    return tshark_oracle.check_samples(sys.argv[1], ['-l', '147'], FIELDS, EXPECT,
                                       tshark_opts=['-o', UAT], extra=extraneous)


if __name__ == '__main__':
    sys.exit(main())
