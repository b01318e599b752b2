/*
 * NGAP transfers (TS 38.413 9.3.4): the SMF-to-gNB and gNB-to-SMF containers that travel
 * inside PDU session resource messages as OCTET STRING (CONTAINING ...), each a complete
 * APER encoding of its own: PDU Session Resource Setup Request / Response / Unsuccessful,
 * Modify Request / Response / Unsuccessful, Release Command / Response, Notify and Notify
 * Released transfers, with the QoS flow and tunnel IEs they carry (9.3.1.12 QoS Flow
 * Level QoS Parameters, 9.3.2.2 UP Transport Layer Information, 9.3.1.? security
 * indication/result).
 */
#include "ngap/ngap_int.h"

/* ---- OCTET STRING (CONTAINING <transfer>) ----------------------------------------------- */

T_OCTS(ngap_t_os_setup_req, "PDUSessionResourceSetupRequestTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_setup_resp, "PDUSessionResourceSetupResponseTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_setup_fail, "PDUSessionResourceSetupUnsuccessfulTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_mod_req, "PDUSessionResourceModifyRequestTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_mod_resp, "PDUSessionResourceModifyResponseTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_mod_fail, "PDUSessionResourceModifyUnsuccessfulTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_rel_cmd, "PDUSessionResourceReleaseCommandTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_rel_resp, "PDUSessionResourceReleaseResponseTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_notify, "PDUSessionResourceNotifyTransfer (encoded)", 0, 0);
T_OCTS(ngap_t_os_notify_rel, "PDUSessionResourceNotifyReleasedTransfer (encoded)", 0, 0);

/* ---- IEs of the transfers --------------------------------------------------------------- */

static const struct sen_asn_member session_ambr_m[] = {
    M("pDUSessionAggregateMaximumBitRateDL", ngap_t_bit_rate, struct sen_ngap_ambr, dl),
    M("pDUSessionAggregateMaximumBitRateUL", ngap_t_bit_rate, struct sen_ngap_ambr, ul),
    MEXT(struct sen_ngap_ambr),
};
static T_SEQ(t_session_ambr, "PDUSessionAggregateMaximumBitRate", struct sen_ngap_ambr,
	     session_ambr_m);

static const struct sen_asn_member up_tnl_item_m[] = {
    M("nGU-UP-TNLInformation", ngap_t_up_tnl, struct sen_ngap_up_tnl_item, tnl),
    MEXT(struct sen_ngap_up_tnl_item),
};
static T_SEQ(t_up_tnl_item, "UPTransportLayerInformationItem", struct sen_ngap_up_tnl_item,
	     up_tnl_item_m);
static T_LIST(t_up_tnl_list, "UPTransportLayerInformationList", t_up_tnl_item, 1, 3);

static const struct sen_asn_member sec_ind_m[] = {
    M("integrityProtectionIndication", ngap_t_enum3x, struct sen_ngap_security_indication,
      integrity),
    M("confidentialityProtectionIndication", ngap_t_enum3x, struct sen_ngap_security_indication,
      confidentiality),
    MO("maximumIntegrityProtectedDataRate-UL", ngap_t_enum2x, struct sen_ngap_security_indication,
       max_ip_rate_ul),
    MEXT(struct sen_ngap_security_indication),
};
static T_SEQ(t_security_indication, "SecurityIndication", struct sen_ngap_security_indication,
	     sec_ind_m);
static const struct sen_asn_member sec_res_m[] = {
    M("integrityProtectionResult", ngap_t_enum2x, struct sen_ngap_security_result, integrity),
    M("confidentialityProtectionResult", ngap_t_enum2x, struct sen_ngap_security_result,
      confidentiality),
    MEXT(struct sen_ngap_security_result),
};
static T_SEQ(t_security_result, "SecurityResult", struct sen_ngap_security_result, sec_res_m);

/* QoS (9.3.1.12 - 9.3.1.20) */
static T_INT(t_five_qi, "FiveQI", 2, 0, 255, 1);
static T_INT(t_priority_qos, "PriorityLevelQos", 1, 1, 127, 1);
static T_INT(t_priority_arp, "PriorityLevelARP", 1, 1, 15, 0);
static T_INT(t_pdb, "PacketDelayBudget", 2, 0, 1023, 1);
static T_INT(t_averaging_window, "AveragingWindow", 2, 0, 4095, 1);
static T_INT(t_mdbv, "MaximumDataBurstVolume", 4, 0, 4095, 1);
static T_INT(t_per_digit, "INTEGER (0..9, ...)", 1, 0, 9, 1);
static T_INT(t_packet_loss_rate, "PacketLossRate", 2, 0, 1000, 1);
static T_INT(t_e_rab_id, "E-RAB-ID", 1, 0, 15, 1);
static T_ENUM(t_pre_emption_cap, "Pre-emptionCapability", 2, 1, 0);
static T_ENUM(t_pre_emption_vul, "Pre-emptionVulnerability", 2, 1, 0);
static T_ENUM(t_notification_cause, "NotificationCause", 2, 1, 0);

static const struct sen_asn_member per_m[] = {
    M("pERScalar", t_per_digit, struct sen_ngap_per, scalar),
    M("pERExponent", t_per_digit, struct sen_ngap_per, exponent),
    MEXT(struct sen_ngap_per),
};
static T_SEQ(t_per, "PacketErrorRate", struct sen_ngap_per, per_m);

static const struct sen_asn_member non_dynamic_m[] = {
    M("fiveQI", t_five_qi, struct sen_ngap_non_dynamic_5qi, five_qi),
    MO("priorityLevelQos", t_priority_qos, struct sen_ngap_non_dynamic_5qi, priority_level),
    MO("averagingWindow", t_averaging_window, struct sen_ngap_non_dynamic_5qi, averaging_window),
    MO("maximumDataBurstVolume", t_mdbv, struct sen_ngap_non_dynamic_5qi, max_data_burst_volume),
    MEXT(struct sen_ngap_non_dynamic_5qi),
};
static T_SEQ(t_non_dynamic, "NonDynamic5QIDescriptor", struct sen_ngap_non_dynamic_5qi,
	     non_dynamic_m);
static const struct sen_asn_member dynamic_m[] = {
    M("priorityLevelQos", t_priority_qos, struct sen_ngap_dynamic_5qi, priority_level),
    M("packetDelayBudget", t_pdb, struct sen_ngap_dynamic_5qi, packet_delay_budget),
    M("packetErrorRate", t_per, struct sen_ngap_dynamic_5qi, packet_error_rate),
    MO("fiveQI", t_five_qi, struct sen_ngap_dynamic_5qi, five_qi),
    MO("delayCritical", ngap_t_enum2x, struct sen_ngap_dynamic_5qi, delay_critical),
    MO("averagingWindow", t_averaging_window, struct sen_ngap_dynamic_5qi, averaging_window),
    MO("maximumDataBurstVolume", t_mdbv, struct sen_ngap_dynamic_5qi, max_data_burst_volume),
    MEXT(struct sen_ngap_dynamic_5qi),
};
static T_SEQ(t_dynamic, "Dynamic5QIDescriptor", struct sen_ngap_dynamic_5qi, dynamic_m);
static const struct sen_asn_member qos_char_m[] = {
    ALT("nonDynamic5QI", t_non_dynamic, struct sen_ngap_qos_characteristics),
    ALT("dynamic5QI", t_dynamic, struct sen_ngap_qos_characteristics),
    ALTX(struct sen_ngap_qos_characteristics),
};
static T_CHOICE(t_qos_characteristics, "QosCharacteristics", struct sen_ngap_qos_characteristics,
		qos_char_m);

static const struct sen_asn_member arp_m[] = {
    M("priorityLevelARP", t_priority_arp, struct sen_ngap_arp, priority_level),
    M("pre-emptionCapability", t_pre_emption_cap, struct sen_ngap_arp, pre_emption_capability),
    M("pre-emptionVulnerability", t_pre_emption_vul, struct sen_ngap_arp,
      pre_emption_vulnerability),
    MEXT(struct sen_ngap_arp),
};
static T_SEQ(t_arp, "AllocationAndRetentionPriority", struct sen_ngap_arp, arp_m);

static const struct sen_asn_member gbr_m[] = {
    M("maximumFlowBitRateDL", ngap_t_bit_rate, struct sen_ngap_gbr_qos, mfbr_dl),
    M("maximumFlowBitRateUL", ngap_t_bit_rate, struct sen_ngap_gbr_qos, mfbr_ul),
    M("guaranteedFlowBitRateDL", ngap_t_bit_rate, struct sen_ngap_gbr_qos, gfbr_dl),
    M("guaranteedFlowBitRateUL", ngap_t_bit_rate, struct sen_ngap_gbr_qos, gfbr_ul),
    MO("notificationControl", ngap_t_enum1x, struct sen_ngap_gbr_qos, notification_control),
    MO("maximumPacketLossRateDL", t_packet_loss_rate, struct sen_ngap_gbr_qos, max_loss_dl),
    MO("maximumPacketLossRateUL", t_packet_loss_rate, struct sen_ngap_gbr_qos, max_loss_ul),
    MEXT(struct sen_ngap_gbr_qos),
};
static T_SEQ(t_gbr, "GBR-QosInformation", struct sen_ngap_gbr_qos, gbr_m);

static const struct sen_asn_member qos_params_m[] = {
    M("qosCharacteristics", t_qos_characteristics, struct sen_ngap_qos_params, characteristics),
    M("allocationAndRetentionPriority", t_arp, struct sen_ngap_qos_params, arp),
    MO("gBR-QosInformation", t_gbr, struct sen_ngap_qos_params, gbr),
    MO("reflectiveQosAttribute", ngap_t_enum1x, struct sen_ngap_qos_params, reflective_qos),
    MO("additionalQosFlowInformation", ngap_t_enum1x, struct sen_ngap_qos_params,
       additional_info),
    MEXT(struct sen_ngap_qos_params),
};
static T_SEQ(t_qos_params, "QosFlowLevelQosParameters", struct sen_ngap_qos_params,
	     qos_params_m);

static const struct sen_asn_member qos_setup_item_m[] = {
    M("qosFlowIdentifier", ngap_t_qfi, struct sen_ngap_qos_flow_setup_item, qfi),
    M("qosFlowLevelQosParameters", t_qos_params, struct sen_ngap_qos_flow_setup_item, params),
    MO("e-RAB-ID", t_e_rab_id, struct sen_ngap_qos_flow_setup_item, e_rab_id),
    MEXT(struct sen_ngap_qos_flow_setup_item),
};
static T_SEQ(t_qos_setup_item, "QosFlowSetupRequestItem", struct sen_ngap_qos_flow_setup_item,
	     qos_setup_item_m);
static T_LIST(t_qos_setup_list, "QosFlowSetupRequestList", t_qos_setup_item, 1, 64);

static const struct sen_asn_member qos_modify_item_m[] = {
    M("qosFlowIdentifier", ngap_t_qfi, struct sen_ngap_qos_flow_modify_item, qfi),
    MO("qosFlowLevelQosParameters", t_qos_params, struct sen_ngap_qos_flow_modify_item, params),
    MO("e-RAB-ID", t_e_rab_id, struct sen_ngap_qos_flow_modify_item, e_rab_id),
    MEXT(struct sen_ngap_qos_flow_modify_item),
};
static T_SEQ(t_qos_modify_item, "QosFlowAddOrModifyRequestItem",
	     struct sen_ngap_qos_flow_modify_item, qos_modify_item_m);
static T_LIST(t_qos_modify_list, "QosFlowAddOrModifyRequestList", t_qos_modify_item, 1, 64);

static const struct sen_asn_member qos_cause_item_m[] = {
    M("qosFlowIdentifier", ngap_t_qfi, struct sen_ngap_qos_flow_cause_item, qfi),
    M("cause", ngap_t_cause, struct sen_ngap_qos_flow_cause_item, cause),
    MEXT(struct sen_ngap_qos_flow_cause_item),
};
static T_SEQ(t_qos_cause_item, "QosFlowWithCauseItem", struct sen_ngap_qos_flow_cause_item,
	     qos_cause_item_m);
static T_LIST(t_qos_cause_list, "QosFlowListWithCause", t_qos_cause_item, 1, 64);

static const struct sen_asn_member assoc_flow_m[] = {
    M("qosFlowIdentifier", ngap_t_qfi, struct sen_ngap_associated_qos_flow, qfi),
    MO("qosFlowMappingIndication", ngap_t_enum2x, struct sen_ngap_associated_qos_flow, mapping),
    MEXT(struct sen_ngap_associated_qos_flow),
};
static T_SEQ(t_assoc_flow, "AssociatedQosFlowItem", struct sen_ngap_associated_qos_flow,
	     assoc_flow_m);
static T_LIST(t_assoc_flow_list, "AssociatedQosFlowList", t_assoc_flow, 1, 64);

static const struct sen_asn_member per_tnl_m[] = {
    M("uPTransportLayerInformation", ngap_t_up_tnl, struct sen_ngap_qos_flow_per_tnl, tnl),
    M("associatedQosFlowList", t_assoc_flow_list, struct sen_ngap_qos_flow_per_tnl, flows),
    MEXT(struct sen_ngap_qos_flow_per_tnl),
};
static T_SEQ(t_per_tnl, "QosFlowPerTNLInformation", struct sen_ngap_qos_flow_per_tnl, per_tnl_m);
static const struct sen_asn_member per_tnl_item_m[] = {
    M("qosFlowPerTNLInformation", t_per_tnl, struct sen_ngap_qos_flow_per_tnl_item, info),
    MEXT(struct sen_ngap_qos_flow_per_tnl_item),
};
static T_SEQ(t_per_tnl_item, "QosFlowPerTNLInformationItem", struct sen_ngap_qos_flow_per_tnl_item,
	     per_tnl_item_m);
static T_LIST(t_per_tnl_list, "QosFlowPerTNLInformationList", t_per_tnl_item, 1, 3);

static const struct sen_asn_member ul_modify_m[] = {
    M("uL-NGU-UP-TNLInformation", ngap_t_up_tnl, struct sen_ngap_ul_tnl_modify_item, ul),
    M("dL-NGU-UP-TNLInformation", ngap_t_up_tnl, struct sen_ngap_ul_tnl_modify_item, dl),
    MEXT(struct sen_ngap_ul_tnl_modify_item),
};
static T_SEQ(t_ul_modify_item, "UL-NGU-UP-TNLModifyItem", struct sen_ngap_ul_tnl_modify_item,
	     ul_modify_m);
static T_LIST(t_ul_modify_list, "UL-NGU-UP-TNLModifyList", t_ul_modify_item, 1, 4);

static const struct sen_asn_member qfi_item_m[] = {
    M("qosFlowIdentifier", ngap_t_qfi, struct sen_ngap_qfi_item, qfi),
    MEXT(struct sen_ngap_qfi_item),
};
static T_SEQ(t_qfi_item, "QosFlowAddOrModifyResponseItem", struct sen_ngap_qfi_item, qfi_item_m);
static T_LIST(t_qfi_list, "QosFlowAddOrModifyResponseList", t_qfi_item, 1, 64);

static const struct sen_asn_member notify_item_m[] = {
    M("qosFlowIdentifier", ngap_t_qfi, struct sen_ngap_qos_notify_item, qfi),
    M("notificationCause", t_notification_cause, struct sen_ngap_qos_notify_item,
      notification_cause),
    MEXT(struct sen_ngap_qos_notify_item),
};
static T_SEQ(t_notify_item, "QosFlowNotifyItem", struct sen_ngap_qos_notify_item, notify_item_m);
static T_LIST(t_notify_list, "QosFlowNotifyList", t_notify_item, 1, 64);

/* ---- the transfers ----------------------------------------------------------------------- */

/* 9.3.4.1 PDU Session Resource Setup Request Transfer */
static const struct sen_asn_member setup_req_ies[] = {
    IEO("PDUSessionAggregateMaximumBitRate", 130, REJECT, t_session_ambr,
	struct sen_ngap_setup_request_transfer, session_ambr),
    IE("UL-NGU-UP-TNLInformation", 139, REJECT, ngap_t_up_tnl,
       struct sen_ngap_setup_request_transfer, ul_tnl),
    IEO("AdditionalUL-NGU-UP-TNLInformation", 126, REJECT, t_up_tnl_list,
	struct sen_ngap_setup_request_transfer, additional_ul_tnl),
    IEO("DataForwardingNotPossible", 127, REJECT, ngap_t_enum1x,
	struct sen_ngap_setup_request_transfer, data_forwarding_not_possible),
    IE("PDUSessionType", 134, REJECT, ngap_t_pdu_session_type,
       struct sen_ngap_setup_request_transfer, pdu_session_type),
    IEO("SecurityIndication", 138, REJECT, t_security_indication,
	struct sen_ngap_setup_request_transfer, security_indication),
    IEO("NetworkInstance", 129, REJECT, ngap_t_network_instance,
	struct sen_ngap_setup_request_transfer, network_instance),
    IE("QosFlowSetupRequestList", 136, REJECT, t_qos_setup_list,
       struct sen_ngap_setup_request_transfer, qos_flows),
    IEO("CommonNetworkInstance", 166, IGNORE, ngap_t_octets,
	struct sen_ngap_setup_request_transfer, common_network_instance),
    IEO("DirectForwardingPathAvailability", 22, IGNORE, ngap_t_enum1x,
	struct sen_ngap_setup_request_transfer, direct_forwarding_path),
};
T_MSG(sen_ngap_setup_request_transfer_type, "PDUSessionResourceSetupRequestTransfer",
      struct sen_ngap_setup_request_transfer, setup_req_ies);

/* 9.3.4.2 PDU Session Resource Setup Response Transfer */
static const struct sen_asn_member setup_resp_m[] = {
    M("dLQosFlowPerTNLInformation", t_per_tnl, struct sen_ngap_setup_response_transfer,
      dl_qos_flow_per_tnl),
    MO("additionalDLQosFlowPerTNLInformation", t_per_tnl_list,
       struct sen_ngap_setup_response_transfer, additional_dl),
    MO("securityResult", t_security_result, struct sen_ngap_setup_response_transfer,
       security_result),
    MO("qosFlowFailedToSetupList", t_qos_cause_list, struct sen_ngap_setup_response_transfer,
       failed_flows),
    MEXT(struct sen_ngap_setup_response_transfer),
};
T_SEQ(sen_ngap_setup_response_transfer_type, "PDUSessionResourceSetupResponseTransfer",
      struct sen_ngap_setup_response_transfer, setup_resp_m);

/* 9.3.4.16 Setup Unsuccessful Transfer, 9.3.4.? Modify Unsuccessful Transfer */
static const struct sen_asn_member unsuccessful_m[] = {
    M("cause", ngap_t_cause, struct sen_ngap_unsuccessful_transfer, cause),
    MO("criticalityDiagnostics", ngap_t_crit_diag, struct sen_ngap_unsuccessful_transfer,
       criticality_diagnostics),
    MEXT(struct sen_ngap_unsuccessful_transfer),
};
T_SEQ(sen_ngap_setup_unsuccessful_transfer_type, "PDUSessionResourceSetupUnsuccessfulTransfer",
      struct sen_ngap_unsuccessful_transfer, unsuccessful_m);
T_SEQ(sen_ngap_modify_unsuccessful_transfer_type, "PDUSessionResourceModifyUnsuccessfulTransfer",
      struct sen_ngap_unsuccessful_transfer, unsuccessful_m);

/* 9.3.4.3 PDU Session Resource Modify Request Transfer */
static const struct sen_asn_member mod_req_ies[] = {
    IEO("PDUSessionAggregateMaximumBitRate", 130, REJECT, t_session_ambr,
	struct sen_ngap_modify_request_transfer, session_ambr),
    IEO("UL-NGU-UP-TNLModifyList", 140, REJECT, t_ul_modify_list,
	struct sen_ngap_modify_request_transfer, ul_tnl_modify),
    IEO("NetworkInstance", 129, REJECT, ngap_t_network_instance,
	struct sen_ngap_modify_request_transfer, network_instance),
    IEO("QosFlowAddOrModifyRequestList", 135, REJECT, t_qos_modify_list,
	struct sen_ngap_modify_request_transfer, add_or_modify),
    IEO("QosFlowToReleaseList", 137, REJECT, t_qos_cause_list,
	struct sen_ngap_modify_request_transfer, to_release),
    IEO("AdditionalUL-NGU-UP-TNLInformation", 126, REJECT, t_up_tnl_list,
	struct sen_ngap_modify_request_transfer, additional_ul_tnl),
    IEO("CommonNetworkInstance", 166, IGNORE, ngap_t_octets,
	struct sen_ngap_modify_request_transfer, common_network_instance),
    IEO("SecurityIndication", 138, IGNORE, t_security_indication,
	struct sen_ngap_modify_request_transfer, security_indication),
};
T_MSG(sen_ngap_modify_request_transfer_type, "PDUSessionResourceModifyRequestTransfer",
      struct sen_ngap_modify_request_transfer, mod_req_ies);

/* 9.3.4.4 PDU Session Resource Modify Response Transfer */
static const struct sen_asn_member mod_resp_m[] = {
    MO("dL-NGU-UP-TNLInformation", ngap_t_up_tnl, struct sen_ngap_modify_response_transfer,
       dl_tnl),
    MO("uL-NGU-UP-TNLInformation", ngap_t_up_tnl, struct sen_ngap_modify_response_transfer,
       ul_tnl),
    MO("qosFlowAddOrModifyResponseList", t_qfi_list, struct sen_ngap_modify_response_transfer,
       flows),
    MO("additionalDLQosFlowPerTNLInformation", t_per_tnl_list,
       struct sen_ngap_modify_response_transfer, additional_dl),
    MO("qosFlowFailedToAddOrModifyList", t_qos_cause_list,
       struct sen_ngap_modify_response_transfer, failed_flows),
    MEXT(struct sen_ngap_modify_response_transfer),
};
T_SEQ(sen_ngap_modify_response_transfer_type, "PDUSessionResourceModifyResponseTransfer",
      struct sen_ngap_modify_response_transfer, mod_resp_m);

/* 9.3.4.12 Release Command Transfer; Notify Released Transfer: {cause} */
static const struct sen_asn_member cause_transfer_m[] = {
    M("cause", ngap_t_cause, struct sen_ngap_cause_transfer, cause),
    MEXT(struct sen_ngap_cause_transfer),
};
T_SEQ(sen_ngap_release_command_transfer_type, "PDUSessionResourceReleaseCommandTransfer",
      struct sen_ngap_cause_transfer, cause_transfer_m);
T_SEQ(sen_ngap_notify_released_transfer_type, "PDUSessionResourceNotifyReleasedTransfer",
      struct sen_ngap_cause_transfer, cause_transfer_m);

/* 9.3.4.21 Release Response Transfer */
static const struct sen_asn_member rel_resp_m[] = {
    MEXT(struct sen_ngap_release_response_transfer),
};
T_SEQ(sen_ngap_release_response_transfer_type, "PDUSessionResourceReleaseResponseTransfer",
      struct sen_ngap_release_response_transfer, rel_resp_m);

/* 9.3.4.5 Notify Transfer */
static const struct sen_asn_member notify_m[] = {
    MO("qosFlowNotifyList", t_notify_list, struct sen_ngap_notify_transfer, notify_flows),
    MO("qosFlowReleasedList", t_qos_cause_list, struct sen_ngap_notify_transfer, released_flows),
    MEXT(struct sen_ngap_notify_transfer),
};
T_SEQ(sen_ngap_notify_transfer_type, "PDUSessionResourceNotifyTransfer",
      struct sen_ngap_notify_transfer, notify_m);

/* ---- lookup and API ------------------------------------------------------------------------- */

static const struct {
	const struct sen_asn_type *os, *transfer;
} contained[] = {
    {&ngap_t_os_setup_req, &sen_ngap_setup_request_transfer_type},
    {&ngap_t_os_setup_resp, &sen_ngap_setup_response_transfer_type},
    {&ngap_t_os_setup_fail, &sen_ngap_setup_unsuccessful_transfer_type},
    {&ngap_t_os_mod_req, &sen_ngap_modify_request_transfer_type},
    {&ngap_t_os_mod_resp, &sen_ngap_modify_response_transfer_type},
    {&ngap_t_os_mod_fail, &sen_ngap_modify_unsuccessful_transfer_type},
    {&ngap_t_os_rel_cmd, &sen_ngap_release_command_transfer_type},
    {&ngap_t_os_rel_resp, &sen_ngap_release_response_transfer_type},
    {&ngap_t_os_notify, &sen_ngap_notify_transfer_type},
    {&ngap_t_os_notify_rel, &sen_ngap_notify_released_transfer_type},
};

const struct sen_asn_type *ngap_contained_transfer(const struct sen_asn_type *os)
{
	for (unsigned i = 0; i < NGAP_N(contained); i++)
		if (contained[i].os == os)
			return contained[i].transfer;
	return NULL;
}

int sen_ngap_transfer_decode(const struct sen_asn_type *t, void *value, const uint8_t *buf,
			     size_t len, struct sen_asn_ctx *ctx)
{
	return sen_asn_decode(t, value, buf, len, ctx);
}

int sen_ngap_transfer_encode(const struct sen_asn_type *t, const void *value, uint8_t *out,
			     size_t cap)
{
	return sen_asn_encode(t, value, out, cap);
}
