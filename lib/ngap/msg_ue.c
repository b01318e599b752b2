/*
 * NGAP UE-associated messages (TS 38.413 8.3 UE context management, 8.5 paging, 8.6 NAS
 * transport, 8.14 UE radio capability management; tabular definitions in 9.2.2, 9.2.4,
 * 9.2.5, 9.2.8): Initial UE Message, Downlink/Uplink NAS Transport, NAS Non Delivery
 * Indication, Reroute NAS Request, Initial Context Setup Request/Response/Failure, UE
 * Context Release Request/Command/Complete, UE Context Modification Request/Response/
 * Failure, UE Radio Capability Info Indication and Paging.
 */
#include "ngap/ngap_int.h"

/* ---- PDU session resource lists of the UE context messages (9.3.1.?) ---------------------- */

static const struct sen_asn_member ps_setup_cxt_m[] = {
    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_setup_item, psi),
    MO("nAS-PDU", ngap_t_nas_pdu, struct sen_ngap_ps_setup_item, nas_pdu),
    M("s-NSSAI", ngap_t_snssai, struct sen_ngap_ps_setup_item, snssai),
    M("pDUSessionResourceSetupRequestTransfer", ngap_t_os_setup_req, struct sen_ngap_ps_setup_item,
      transfer),
    MEXT(struct sen_ngap_ps_setup_item),
};
static T_SEQ(t_ps_setup_cxt_item, "PDUSessionResourceSetupItemCxtReq",
	     struct sen_ngap_ps_setup_item, ps_setup_cxt_m);
static T_LIST(t_ps_setup_cxt_list, "PDUSessionResourceSetupListCxtReq", t_ps_setup_cxt_item, 1,
	      256);

static const struct sen_asn_member ps_cxt_res_m[] = {
    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_transfer, psi),
    M("pDUSessionResourceSetupResponseTransfer", ngap_t_os_setup_resp, struct sen_ngap_ps_transfer,
      transfer),
    MEXT(struct sen_ngap_ps_transfer),
};
static T_SEQ(t_ps_cxt_res_item, "PDUSessionResourceSetupItemCxtRes", struct sen_ngap_ps_transfer,
	     ps_cxt_res_m);
static T_LIST(t_ps_cxt_res_list, "PDUSessionResourceSetupListCxtRes", t_ps_cxt_res_item, 1, 256);

static const struct sen_asn_member ps_failed_m[] = {
    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_transfer, psi),
    M("pDUSessionResourceSetupUnsuccessfulTransfer", ngap_t_os_setup_fail,
      struct sen_ngap_ps_transfer, transfer),
    MEXT(struct sen_ngap_ps_transfer),
};
static T_SEQ(t_ps_failed_cxt_res_item, "PDUSessionResourceFailedToSetupItemCxtRes",
	     struct sen_ngap_ps_transfer, ps_failed_m);
static T_LIST(t_ps_failed_cxt_res_list, "PDUSessionResourceFailedToSetupListCxtRes",
	      t_ps_failed_cxt_res_item, 1, 256);
static T_SEQ(t_ps_failed_cxt_fail_item, "PDUSessionResourceFailedToSetupItemCxtFail",
	     struct sen_ngap_ps_transfer, ps_failed_m);
static T_LIST(t_ps_failed_cxt_fail_list, "PDUSessionResourceFailedToSetupListCxtFail",
	      t_ps_failed_cxt_fail_item, 1, 256);

static const struct sen_asn_member ps_item_m[] = {
    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_item, psi),
    MEXT(struct sen_ngap_ps_item),
};
static T_SEQ(t_ps_rel_req_item, "PDUSessionResourceItemCxtRelReq", struct sen_ngap_ps_item,
	     ps_item_m);
static T_LIST(t_ps_rel_req_list, "PDUSessionResourceListCxtRelReq", t_ps_rel_req_item, 1, 256);
static T_SEQ(t_ps_rel_cpl_item, "PDUSessionResourceItemCxtRelCpl", struct sen_ngap_ps_item,
	     ps_item_m);
static T_LIST(t_ps_rel_cpl_list, "PDUSessionResourceListCxtRelCpl", t_ps_rel_cpl_item, 1, 256);

/* ---- NAS transport (9.2.5) ------------------------------------------------------------------ */

/* 9.2.5.1 INITIAL UE MESSAGE */
static const struct sen_asn_member initial_ue_message_ies[] = {
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id, struct sen_ngap_initial_ue_message,
       ran_ue_ngap_id),
    IE("NAS-PDU", 38, REJECT, ngap_t_nas_pdu, struct sen_ngap_initial_ue_message, nas_pdu),
    IE("UserLocationInformation", 121, REJECT, ngap_t_uli, struct sen_ngap_initial_ue_message,
       uli),
    IE("RRCEstablishmentCause", 90, IGNORE, ngap_t_rrc_cause, struct sen_ngap_initial_ue_message,
       rrc_establishment_cause),
    IEO("FiveG-S-TMSI", 26, REJECT, ngap_t_s_tmsi, struct sen_ngap_initial_ue_message, s_tmsi),
    IEO("AMFSetID", 3, IGNORE, ngap_t_amf_set_id, struct sen_ngap_initial_ue_message, amf_set_id),
    IEO("UEContextRequest", 112, IGNORE, ngap_t_enum1x, struct sen_ngap_initial_ue_message,
	ue_context_request),
    IEO("AllowedNSSAI", 0, REJECT, ngap_t_allowed_nssai, struct sen_ngap_initial_ue_message,
	allowed_nssai),
    IEO("SourceToTarget-AMFInformationReroute", 171, IGNORE, ngap_t_reroute_info,
	struct sen_ngap_initial_ue_message, reroute_info),
    IEO("SelectedPLMNIdentity", 174, IGNORE, ngap_t_plmn, struct sen_ngap_initial_ue_message,
	selected_plmn),
    IEO("IABNodeIndication", 201, REJECT, ngap_t_enum1x, struct sen_ngap_initial_ue_message,
	iab_node_indication),
    IEO("CEmodeBSupport-Indicator", 224, REJECT, ngap_t_enum1x, struct sen_ngap_initial_ue_message,
	ce_mode_b_support),
    IEO("LTEM-Indication", 225, IGNORE, ngap_t_enum1x, struct sen_ngap_initial_ue_message,
	lte_m_indication),
    IEO("EDT-Session", 227, IGNORE, ngap_t_enum1x, struct sen_ngap_initial_ue_message,
	edt_session),
    IEO("AuthenticatedIndication", 245, IGNORE, ngap_t_enum1x, struct sen_ngap_initial_ue_message,
	authenticated_indication),
    IEO("NPN-AccessInformation", 259, REJECT, ngap_t_npn_access,
	struct sen_ngap_initial_ue_message, npn_access),
};
T_MSG(ngap_m_initial_ue_message, "InitialUEMessage", struct sen_ngap_initial_ue_message,
      initial_ue_message_ies);

/* 9.2.5.2 DOWNLINK NAS TRANSPORT */
static const struct sen_asn_member dl_nas_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id, struct sen_ngap_downlink_nas_transport,
       amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id, struct sen_ngap_downlink_nas_transport,
       ran_ue_ngap_id),
    IEO("OldAMF", 48, REJECT, ngap_t_amf_name, struct sen_ngap_downlink_nas_transport, old_amf),
    IEO("RANPagingPriority", 83, IGNORE, ngap_t_ran_paging_priority,
	struct sen_ngap_downlink_nas_transport, ran_paging_priority),
    IE("NAS-PDU", 38, REJECT, ngap_t_nas_pdu, struct sen_ngap_downlink_nas_transport, nas_pdu),
    IEO("IndexToRFSP", 31, IGNORE, ngap_t_index_to_rfsp, struct sen_ngap_downlink_nas_transport,
	index_to_rfsp),
    IEO("UEAggregateMaximumBitRate", 110, IGNORE, ngap_t_ambr,
	struct sen_ngap_downlink_nas_transport, ue_ambr),
    IEO("AllowedNSSAI", 0, REJECT, ngap_t_allowed_nssai, struct sen_ngap_downlink_nas_transport,
	allowed_nssai),
    IEO("SRVCCOperationPossible", 177, IGNORE, ngap_t_enum2x,
	struct sen_ngap_downlink_nas_transport, srvcc),
    IEO("UERadioCapability", 117, IGNORE, ngap_t_octets, struct sen_ngap_downlink_nas_transport,
	ue_radio_capability),
    IEO("UERadioCapabilityID", 264, REJECT, ngap_t_octets, struct sen_ngap_downlink_nas_transport,
	ue_radio_capability_id),
    IEO("MaskedIMEISV", 34, IGNORE, ngap_t_masked_imeisv, struct sen_ngap_downlink_nas_transport,
	masked_imeisv),
};
T_MSG(ngap_m_downlink_nas_transport, "DownlinkNASTransport", struct sen_ngap_downlink_nas_transport,
      dl_nas_ies);

/* 9.2.5.3 UPLINK NAS TRANSPORT */
static const struct sen_asn_member ul_nas_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id, struct sen_ngap_uplink_nas_transport,
       amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id, struct sen_ngap_uplink_nas_transport,
       ran_ue_ngap_id),
    IE("NAS-PDU", 38, REJECT, ngap_t_nas_pdu, struct sen_ngap_uplink_nas_transport, nas_pdu),
    IE("UserLocationInformation", 121, IGNORE, ngap_t_uli, struct sen_ngap_uplink_nas_transport,
       uli),
    IEO("W-AGFIdentityInformation", 239, REJECT, ngap_t_octets,
	struct sen_ngap_uplink_nas_transport, w_agf_identity),
    IEO("TNGFIdentityInformation", 246, REJECT, ngap_t_octets,
	struct sen_ngap_uplink_nas_transport, tngf_identity),
    IEO("TWIFIdentityInformation", 247, REJECT, ngap_t_octets,
	struct sen_ngap_uplink_nas_transport, twif_identity),
};
T_MSG(ngap_m_uplink_nas_transport, "UplinkNASTransport", struct sen_ngap_uplink_nas_transport,
      ul_nas_ies);

/* 9.2.5.4 NAS NON DELIVERY INDICATION */
static const struct sen_asn_member nas_non_delivery_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_nas_non_delivery_indication, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_nas_non_delivery_indication, ran_ue_ngap_id),
    IE("NAS-PDU", 38, IGNORE, ngap_t_nas_pdu, struct sen_ngap_nas_non_delivery_indication,
       nas_pdu),
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_nas_non_delivery_indication, cause),
};
T_MSG(ngap_m_nas_non_delivery, "NASNonDeliveryIndication",
      struct sen_ngap_nas_non_delivery_indication, nas_non_delivery_ies);

/* 9.2.5.5 REROUTE NAS REQUEST */
static const struct sen_asn_member reroute_ies[] = {
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id, struct sen_ngap_reroute_nas_request,
       ran_ue_ngap_id),
    IEO("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id, struct sen_ngap_reroute_nas_request,
	amf_ue_ngap_id),
    IE("NGAP-Message", 42, REJECT, ngap_t_octets, struct sen_ngap_reroute_nas_request,
       ngap_message),
    IE("AMFSetID", 3, REJECT, ngap_t_amf_set_id, struct sen_ngap_reroute_nas_request, amf_set_id),
    IEO("AllowedNSSAI", 0, REJECT, ngap_t_allowed_nssai, struct sen_ngap_reroute_nas_request,
	allowed_nssai),
    IEO("SourceToTarget-AMFInformationReroute", 171, IGNORE, ngap_t_reroute_info,
	struct sen_ngap_reroute_nas_request, reroute_info),
};
T_MSG(ngap_m_reroute_nas_request, "RerouteNASRequest", struct sen_ngap_reroute_nas_request,
      reroute_ies);

/* ---- UE context management (9.2.2) --------------------------------------------------------- */

/* 9.2.2.1 INITIAL CONTEXT SETUP REQUEST */
static const struct sen_asn_member ics_request_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_initial_context_setup_request, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_initial_context_setup_request, ran_ue_ngap_id),
    IEO("OldAMF", 48, REJECT, ngap_t_amf_name, struct sen_ngap_initial_context_setup_request,
	old_amf),
    IEO("UEAggregateMaximumBitRate", 110, REJECT, ngap_t_ambr,
	struct sen_ngap_initial_context_setup_request, ue_ambr),
    IE("GUAMI", 28, REJECT, ngap_t_guami, struct sen_ngap_initial_context_setup_request, guami),
    IEO("PDUSessionResourceSetupListCxtReq", 71, REJECT, t_ps_setup_cxt_list,
	struct sen_ngap_initial_context_setup_request, pdu_sessions),
    IE("AllowedNSSAI", 0, REJECT, ngap_t_allowed_nssai,
       struct sen_ngap_initial_context_setup_request, allowed_nssai),
    IE("UESecurityCapabilities", 119, REJECT, ngap_t_ue_sec_cap,
       struct sen_ngap_initial_context_setup_request, ue_security_capabilities),
    IE("SecurityKey", 94, REJECT, ngap_t_security_key,
       struct sen_ngap_initial_context_setup_request, security_key),
    IEO("UERadioCapability", 117, IGNORE, ngap_t_octets,
	struct sen_ngap_initial_context_setup_request, ue_radio_capability),
    IEO("IndexToRFSP", 31, IGNORE, ngap_t_index_to_rfsp,
	struct sen_ngap_initial_context_setup_request, index_to_rfsp),
    IEO("MaskedIMEISV", 34, IGNORE, ngap_t_masked_imeisv,
	struct sen_ngap_initial_context_setup_request, masked_imeisv),
    IEO("NAS-PDU", 38, IGNORE, ngap_t_nas_pdu, struct sen_ngap_initial_context_setup_request,
	nas_pdu),
    IEO("EmergencyFallbackIndicator", 24, REJECT, ngap_t_emergency_fallback,
	struct sen_ngap_initial_context_setup_request, emergency_fallback),
    IEO("RRCInactiveTransitionReportRequest", 91, IGNORE, ngap_t_enum3x,
	struct sen_ngap_initial_context_setup_request, rrc_inactive_report_request),
    IEO("UERadioCapabilityForPaging", 118, IGNORE, ngap_t_ue_radio_cap_paging,
	struct sen_ngap_initial_context_setup_request, radio_cap_for_paging),
    IEO("SRVCCOperationPossible", 177, IGNORE, ngap_t_enum2x,
	struct sen_ngap_initial_context_setup_request, srvcc),
    IEO("UERadioCapabilityID", 264, REJECT, ngap_t_octets,
	struct sen_ngap_initial_context_setup_request, ue_radio_capability_id),
};
T_MSG(ngap_m_ics_request, "InitialContextSetupRequest",
      struct sen_ngap_initial_context_setup_request, ics_request_ies);

/* 9.2.2.2 INITIAL CONTEXT SETUP RESPONSE */
static const struct sen_asn_member ics_response_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_initial_context_setup_response, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_initial_context_setup_response, ran_ue_ngap_id),
    IEO("PDUSessionResourceSetupListCxtRes", 72, IGNORE, t_ps_cxt_res_list,
	struct sen_ngap_initial_context_setup_response, setup_list),
    IEO("PDUSessionResourceFailedToSetupListCxtRes", 55, IGNORE, t_ps_failed_cxt_res_list,
	struct sen_ngap_initial_context_setup_response, failed_list),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_initial_context_setup_response, criticality_diagnostics),
};
T_MSG(ngap_m_ics_response, "InitialContextSetupResponse",
      struct sen_ngap_initial_context_setup_response, ics_response_ies);

/* 9.2.2.3 INITIAL CONTEXT SETUP FAILURE */
static const struct sen_asn_member ics_failure_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_initial_context_setup_failure, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_initial_context_setup_failure, ran_ue_ngap_id),
    IEO("PDUSessionResourceFailedToSetupListCxtFail", 132, IGNORE, t_ps_failed_cxt_fail_list,
	struct sen_ngap_initial_context_setup_failure, failed_list),
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_initial_context_setup_failure, cause),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_initial_context_setup_failure, criticality_diagnostics),
};
T_MSG(ngap_m_ics_failure, "InitialContextSetupFailure",
      struct sen_ngap_initial_context_setup_failure, ics_failure_ies);

/* 9.2.2.4 UE CONTEXT RELEASE REQUEST */
static const struct sen_asn_member ue_ctx_rel_request_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_ue_context_release_request, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_ue_context_release_request, ran_ue_ngap_id),
    IEO("PDUSessionResourceListCxtRelReq", 133, REJECT, t_ps_rel_req_list,
	struct sen_ngap_ue_context_release_request, pdu_sessions),
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_ue_context_release_request, cause),
};
T_MSG(ngap_m_ue_ctx_rel_request, "UEContextReleaseRequest",
      struct sen_ngap_ue_context_release_request, ue_ctx_rel_request_ies);

/* 9.2.2.5 UE CONTEXT RELEASE COMMAND */
static const struct sen_asn_member ue_ctx_rel_command_ies[] = {
    IE("UE-NGAP-IDs", 114, REJECT, ngap_t_ue_ngap_ids, struct sen_ngap_ue_context_release_command,
       ue_ngap_ids),
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_ue_context_release_command, cause),
};
T_MSG(ngap_m_ue_ctx_rel_command, "UEContextReleaseCommand",
      struct sen_ngap_ue_context_release_command, ue_ctx_rel_command_ies);

/* 9.2.2.6 UE CONTEXT RELEASE COMPLETE */
static const struct sen_asn_member ue_ctx_rel_complete_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_ue_context_release_complete, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_ue_context_release_complete, ran_ue_ngap_id),
    IEO("UserLocationInformation", 121, IGNORE, ngap_t_uli,
	struct sen_ngap_ue_context_release_complete, uli),
    IEO("PDUSessionResourceListCxtRelCpl", 60, REJECT, t_ps_rel_cpl_list,
	struct sen_ngap_ue_context_release_complete, pdu_sessions),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_ue_context_release_complete, criticality_diagnostics),
};
T_MSG(ngap_m_ue_ctx_rel_complete, "UEContextReleaseComplete",
      struct sen_ngap_ue_context_release_complete, ue_ctx_rel_complete_ies);

/* 9.2.2.7 UE CONTEXT MODIFICATION REQUEST */
static const struct sen_asn_member ue_ctx_mod_request_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_ue_context_modification_request, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_ue_context_modification_request, ran_ue_ngap_id),
    IEO("RANPagingPriority", 83, IGNORE, ngap_t_ran_paging_priority,
	struct sen_ngap_ue_context_modification_request, ran_paging_priority),
    IEO("SecurityKey", 94, REJECT, ngap_t_security_key,
	struct sen_ngap_ue_context_modification_request, security_key),
    IEO("IndexToRFSP", 31, IGNORE, ngap_t_index_to_rfsp,
	struct sen_ngap_ue_context_modification_request, index_to_rfsp),
    IEO("UEAggregateMaximumBitRate", 110, IGNORE, ngap_t_ambr,
	struct sen_ngap_ue_context_modification_request, ue_ambr),
    IEO("UESecurityCapabilities", 119, REJECT, ngap_t_ue_sec_cap,
	struct sen_ngap_ue_context_modification_request, ue_security_capabilities),
    IEO("EmergencyFallbackIndicator", 24, REJECT, ngap_t_emergency_fallback,
	struct sen_ngap_ue_context_modification_request, emergency_fallback),
    IEO("NewAMF-UE-NGAP-ID", 40, REJECT, ngap_t_amf_ue_ngap_id,
	struct sen_ngap_ue_context_modification_request, new_amf_ue_ngap_id),
    IEO("RRCInactiveTransitionReportRequest", 91, IGNORE, ngap_t_enum3x,
	struct sen_ngap_ue_context_modification_request, rrc_inactive_report_request),
    IEO("NewGUAMI", 162, REJECT, ngap_t_guami, struct sen_ngap_ue_context_modification_request,
	new_guami),
    IEO("SRVCCOperationPossible", 177, IGNORE, ngap_t_enum2x,
	struct sen_ngap_ue_context_modification_request, srvcc),
    IEO("IAB-Authorized", 199, IGNORE, ngap_t_enum2x,
	struct sen_ngap_ue_context_modification_request, iab_authorized),
    IEO("UERadioCapabilityID", 264, REJECT, ngap_t_octets,
	struct sen_ngap_ue_context_modification_request, ue_radio_capability_id),
};
T_MSG(ngap_m_ue_ctx_mod_request, "UEContextModificationRequest",
      struct sen_ngap_ue_context_modification_request, ue_ctx_mod_request_ies);

/* 9.2.2.8 UE CONTEXT MODIFICATION RESPONSE */
static const struct sen_asn_member ue_ctx_mod_response_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_ue_context_modification_response, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_ue_context_modification_response, ran_ue_ngap_id),
    IEO("RRCState", 92, IGNORE, ngap_t_rrc_state, struct sen_ngap_ue_context_modification_response,
	rrc_state),
    IEO("UserLocationInformation", 121, IGNORE, ngap_t_uli,
	struct sen_ngap_ue_context_modification_response, uli),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_ue_context_modification_response, criticality_diagnostics),
};
T_MSG(ngap_m_ue_ctx_mod_response, "UEContextModificationResponse",
      struct sen_ngap_ue_context_modification_response, ue_ctx_mod_response_ies);

/* 9.2.2.9 UE CONTEXT MODIFICATION FAILURE */
static const struct sen_asn_member ue_failure_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id, struct sen_ngap_ue_failure,
       amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id, struct sen_ngap_ue_failure,
       ran_ue_ngap_id),
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_ue_failure, cause),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag, struct sen_ngap_ue_failure,
	criticality_diagnostics),
};
T_MSG(ngap_m_ue_ctx_mod_failure, "UEContextModificationFailure", struct sen_ngap_ue_failure,
      ue_failure_ies);

/* 9.2.8.1 UE RADIO CAPABILITY INFO INDICATION */
static const struct sen_asn_member ue_radio_cap_info_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_ue_radio_capability_info_indication, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_ue_radio_capability_info_indication, ran_ue_ngap_id),
    IE("UERadioCapability", 117, IGNORE, ngap_t_octets,
       struct sen_ngap_ue_radio_capability_info_indication, ue_radio_capability),
    IEO("UERadioCapabilityForPaging", 118, IGNORE, ngap_t_ue_radio_cap_paging,
	struct sen_ngap_ue_radio_capability_info_indication, radio_cap_for_paging),
    IEO("UERadioCapability-EUTRA-Format", 265, IGNORE, ngap_t_octets,
	struct sen_ngap_ue_radio_capability_info_indication, ue_radio_capability_eutra),
};
T_MSG(ngap_m_ue_radio_cap_info, "UERadioCapabilityInfoIndication",
      struct sen_ngap_ue_radio_capability_info_indication, ue_radio_cap_info_ies);

/* 9.2.4.1 PAGING */
static const struct sen_asn_member paging_ies[] = {
    IE("UEPagingIdentity", 115, IGNORE, ngap_t_paging_identity, struct sen_ngap_paging,
       ue_paging_identity),
    IEO("PagingDRX", 50, IGNORE, ngap_t_paging_drx, struct sen_ngap_paging, paging_drx),
    IE("TAIListForPaging", 103, IGNORE, ngap_t_tai_list_paging, struct sen_ngap_paging, tai_list),
    IEO("PagingPriority", 52, IGNORE, ngap_t_paging_priority, struct sen_ngap_paging,
	paging_priority),
    IEO("UERadioCapabilityForPaging", 118, IGNORE, ngap_t_ue_radio_cap_paging,
	struct sen_ngap_paging, radio_cap_for_paging),
    IEO("PagingOrigin", 51, IGNORE, ngap_t_enum1x, struct sen_ngap_paging, paging_origin),
};
T_MSG(ngap_m_paging, "Paging", struct sen_ngap_paging, paging_ies);
