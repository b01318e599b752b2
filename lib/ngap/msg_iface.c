/*
 * NGAP interface management messages (TS 38.413 8.7, tabular definitions in 9.2.6):
 * NG Setup Request/Response/Failure, RAN Configuration Update (+Acknowledge/Failure),
 * AMF Configuration Update (+Acknowledge/Failure), NG Reset (+Acknowledge) and Error
 * Indication. Each table lists the IEs of the message's ProtocolIE-Container with the id,
 * criticality and presence of NGAP-PDU-Contents (Release 17).
 */
#include "ngap/ngap_int.h"

/* 9.2.6.1 NG SETUP REQUEST */
static const struct sen_asn_member ng_setup_request_ies[] = {
    IE("GlobalRANNodeID", 27, REJECT, ngap_t_global_ran_node_id, struct sen_ngap_ng_setup_request,
       global_ran_node_id),
    IEO("RANNodeName", 82, IGNORE, ngap_t_ran_node_name, struct sen_ngap_ng_setup_request,
	ran_node_name),
    IE("SupportedTAList", 102, REJECT, ngap_t_supported_ta_list, struct sen_ngap_ng_setup_request,
       supported_ta_list),
    IE("DefaultPagingDRX", 21, IGNORE, ngap_t_paging_drx, struct sen_ngap_ng_setup_request,
       default_paging_drx),
    IEO("UERetentionInformation", 147, IGNORE, ngap_t_enum1x, struct sen_ngap_ng_setup_request,
	ue_retention_information),
    IEO("NB-IoT-DefaultPagingDRX", 204, IGNORE, ngap_t_enum4x, struct sen_ngap_ng_setup_request,
	nb_iot_default_paging_drx),
    IEO("Extended-RANNodeName", 273, IGNORE, ngap_t_ext_ran_name,
	struct sen_ngap_ng_setup_request, extended_ran_node_name),
};
T_MSG(ngap_m_ng_setup_request, "NGSetupRequest", struct sen_ngap_ng_setup_request,
      ng_setup_request_ies);

/* 9.2.6.2 NG SETUP RESPONSE */
static const struct sen_asn_member ng_setup_response_ies[] = {
    IE("AMFName", 1, REJECT, ngap_t_amf_name, struct sen_ngap_ng_setup_response, amf_name),
    IE("ServedGUAMIList", 96, REJECT, ngap_t_served_guami_list, struct sen_ngap_ng_setup_response,
       served_guami_list),
    IE("RelativeAMFCapacity", 86, IGNORE, ngap_t_u8, struct sen_ngap_ng_setup_response,
       relative_amf_capacity),
    IE("PLMNSupportList", 80, REJECT, ngap_t_plmn_support_list, struct sen_ngap_ng_setup_response,
       plmn_support_list),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag, struct sen_ngap_ng_setup_response,
	criticality_diagnostics),
    IEO("UERetentionInformation", 147, IGNORE, ngap_t_enum1x, struct sen_ngap_ng_setup_response,
	ue_retention_information),
    IEO("IAB-Supported", 200, IGNORE, ngap_t_enum1x, struct sen_ngap_ng_setup_response,
	iab_supported),
    IEO("Extended-AMFName", 274, IGNORE, ngap_t_ext_amf_name, struct sen_ngap_ng_setup_response,
	extended_amf_name),
};
T_MSG(ngap_m_ng_setup_response, "NGSetupResponse", struct sen_ngap_ng_setup_response,
      ng_setup_response_ies);

/* 9.2.6.3 NG SETUP FAILURE, 9.2.6.6, 9.2.6.9: Cause, Time to Wait, Criticality Diagnostics */
static const struct sen_asn_member setup_failure_ies[] = {
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_setup_failure, cause),
    IEO("TimeToWait", 107, IGNORE, ngap_t_time_to_wait, struct sen_ngap_setup_failure,
	time_to_wait),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag, struct sen_ngap_setup_failure,
	criticality_diagnostics),
};
T_MSG(ngap_m_ng_setup_failure, "NGSetupFailure", struct sen_ngap_setup_failure,
      setup_failure_ies);
T_MSG(ngap_m_ran_config_update_failure, "RANConfigurationUpdateFailure",
      struct sen_ngap_setup_failure, setup_failure_ies);
T_MSG(ngap_m_amf_config_update_failure, "AMFConfigurationUpdateFailure",
      struct sen_ngap_setup_failure, setup_failure_ies);

/* NGRAN-TNLAssociationToRemoveItem has no extension marker */
static const struct sen_asn_member tnl_remove_m[] = {
    M("tNLAssociationTransportLayerAddress", ngap_t_cp_tnl, struct sen_ngap_tnl_remove_item, addr),
    MO("tNLAssociationTransportLayerAddressAMF", ngap_t_cp_tnl, struct sen_ngap_tnl_remove_item,
       amf_addr),
    MEXT(struct sen_ngap_tnl_remove_item),
};
static const struct sen_asn_type t_tnl_remove_item = {.name = "NGRAN-TNLAssociationToRemoveItem",
						      .kind = SEN_ASN_SEQUENCE,
						      .size = sizeof(struct sen_ngap_tnl_remove_item),
						      .members = tnl_remove_m,
						      .nmembers = NGAP_N(tnl_remove_m)};
static T_LIST(t_tnl_remove_list, "NGRAN-TNLAssociationToRemoveList", t_tnl_remove_item, 1, 32);

/* 9.2.6.4 RAN CONFIGURATION UPDATE */
static const struct sen_asn_member ran_config_update_ies[] = {
    IEO("RANNodeName", 82, IGNORE, ngap_t_ran_node_name, struct sen_ngap_ran_configuration_update,
	ran_node_name),
    IEO("SupportedTAList", 102, REJECT, ngap_t_supported_ta_list,
	struct sen_ngap_ran_configuration_update, supported_ta_list),
    IEO("DefaultPagingDRX", 21, IGNORE, ngap_t_paging_drx,
	struct sen_ngap_ran_configuration_update, default_paging_drx),
    IEO("GlobalRANNodeID", 27, IGNORE, ngap_t_global_ran_node_id,
	struct sen_ngap_ran_configuration_update, global_ran_node_id),
    IEO("NGRAN-TNLAssociationToRemoveList", 167, REJECT, t_tnl_remove_list,
	struct sen_ngap_ran_configuration_update, tnl_to_remove),
    IEO("NB-IoT-DefaultPagingDRX", 204, IGNORE, ngap_t_enum4x,
	struct sen_ngap_ran_configuration_update, nb_iot_default_paging_drx),
    IEO("Extended-RANNodeName", 273, IGNORE, ngap_t_ext_ran_name,
	struct sen_ngap_ran_configuration_update, extended_ran_node_name),
};
T_MSG(ngap_m_ran_config_update, "RANConfigurationUpdate", struct sen_ngap_ran_configuration_update,
      ran_config_update_ies);

/* 9.2.6.5 RAN CONFIGURATION UPDATE ACKNOWLEDGE */
static const struct sen_asn_member cd_only_ies[] = {
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag, struct sen_ngap_cd_only,
	criticality_diagnostics),
};
T_MSG(ngap_m_ran_config_update_ack, "RANConfigurationUpdateAcknowledge", struct sen_ngap_cd_only,
      cd_only_ies);

/* AMF TNL association lists (9.3.2.?) */
static const struct sen_asn_member tnl_item_m[] = {
    M("aMF-TNLAssociationAddress", ngap_t_cp_tnl, struct sen_ngap_tnl_item, addr),
    MEXT(struct sen_ngap_tnl_item),
};
static T_SEQ(t_tnl_setup_item, "AMF-TNLAssociationSetupItem", struct sen_ngap_tnl_item,
	     tnl_item_m);
static T_SEQ(t_tnl_to_remove_item, "AMF-TNLAssociationToRemoveItem", struct sen_ngap_tnl_item,
	     tnl_item_m);
static T_LIST(t_tnl_setup_list, "AMF-TNLAssociationSetupList", t_tnl_setup_item, 1, 32);
static T_LIST(t_tnl_to_remove_list, "AMF-TNLAssociationToRemoveList", t_tnl_to_remove_item, 1,
	      32);
static const struct sen_asn_member tnl_add_m[] = {
    M("aMF-TNLAssociationAddress", ngap_t_cp_tnl, struct sen_ngap_tnl_add_item, addr),
    MO("tNLAssociationUsage", ngap_t_enum3x, struct sen_ngap_tnl_add_item, usage),
    M("tNLAddressWeightFactor", ngap_t_u8, struct sen_ngap_tnl_add_item, weight),
    MEXT(struct sen_ngap_tnl_add_item),
};
static T_SEQ(t_tnl_add_item, "AMF-TNLAssociationToAddItem", struct sen_ngap_tnl_add_item,
	     tnl_add_m);
static T_LIST(t_tnl_add_list, "AMF-TNLAssociationToAddList", t_tnl_add_item, 1, 32);
static const struct sen_asn_member tnl_update_m[] = {
    M("aMF-TNLAssociationAddress", ngap_t_cp_tnl, struct sen_ngap_tnl_add_item, addr),
    MO("tNLAssociationUsage", ngap_t_enum3x, struct sen_ngap_tnl_add_item, usage),
    MO("tNLAddressWeightFactor", ngap_t_u8, struct sen_ngap_tnl_add_item, weight),
    MEXT(struct sen_ngap_tnl_add_item),
};
static T_SEQ(t_tnl_update_item, "AMF-TNLAssociationToUpdateItem", struct sen_ngap_tnl_add_item,
	     tnl_update_m);
static T_LIST(t_tnl_update_list, "AMF-TNLAssociationToUpdateList", t_tnl_update_item, 1, 32);
static const struct sen_asn_member tnl_cause_m[] = {
    M("tNLAssociationAddress", ngap_t_cp_tnl, struct sen_ngap_tnl_cause_item, addr),
    M("cause", ngap_t_cause, struct sen_ngap_tnl_cause_item, cause),
    MEXT(struct sen_ngap_tnl_cause_item),
};
static T_SEQ(t_tnl_cause_item, "TNLAssociationItem", struct sen_ngap_tnl_cause_item,
	     tnl_cause_m);
static T_LIST(t_tnl_cause_list, "TNLAssociationList", t_tnl_cause_item, 1, 32);

/* 9.2.6.7 AMF CONFIGURATION UPDATE */
static const struct sen_asn_member amf_config_update_ies[] = {
    IEO("AMFName", 1, REJECT, ngap_t_amf_name, struct sen_ngap_amf_configuration_update,
	amf_name),
    IEO("ServedGUAMIList", 96, REJECT, ngap_t_served_guami_list,
	struct sen_ngap_amf_configuration_update, served_guami_list),
    IEO("RelativeAMFCapacity", 86, IGNORE, ngap_t_u8, struct sen_ngap_amf_configuration_update,
	relative_amf_capacity),
    IEO("PLMNSupportList", 80, REJECT, ngap_t_plmn_support_list,
	struct sen_ngap_amf_configuration_update, plmn_support_list),
    IEO("AMF-TNLAssociationToAddList", 6, IGNORE, t_tnl_add_list,
	struct sen_ngap_amf_configuration_update, tnl_to_add),
    IEO("AMF-TNLAssociationToRemoveList", 7, IGNORE, t_tnl_to_remove_list,
	struct sen_ngap_amf_configuration_update, tnl_to_remove),
    IEO("AMF-TNLAssociationToUpdateList", 8, IGNORE, t_tnl_update_list,
	struct sen_ngap_amf_configuration_update, tnl_to_update),
    IEO("Extended-AMFName", 274, IGNORE, ngap_t_ext_amf_name,
	struct sen_ngap_amf_configuration_update, extended_amf_name),
};
T_MSG(ngap_m_amf_config_update, "AMFConfigurationUpdate", struct sen_ngap_amf_configuration_update,
      amf_config_update_ies);

/* 9.2.6.8 AMF CONFIGURATION UPDATE ACKNOWLEDGE */
static const struct sen_asn_member amf_config_update_ack_ies[] = {
    IEO("AMF-TNLAssociationSetupList", 5, IGNORE, t_tnl_setup_list,
	struct sen_ngap_amf_configuration_update_ack, tnl_setup),
    IEO("AMF-TNLAssociationFailedToSetupList", 4, IGNORE, t_tnl_cause_list,
	struct sen_ngap_amf_configuration_update_ack, tnl_failed),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_amf_configuration_update_ack, criticality_diagnostics),
};
T_MSG(ngap_m_amf_config_update_ack, "AMFConfigurationUpdateAcknowledge",
      struct sen_ngap_amf_configuration_update_ack, amf_config_update_ack_ies);

/* 9.2.6.11 NG RESET */
static const struct sen_asn_member ng_reset_ies[] = {
    IE("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_ng_reset, cause),
    IE("ResetType", 88, REJECT, ngap_t_reset_type, struct sen_ngap_ng_reset, reset_type),
};
T_MSG(ngap_m_ng_reset, "NGReset", struct sen_ngap_ng_reset, ng_reset_ies);

/* 9.2.6.12 NG RESET ACKNOWLEDGE */
static const struct sen_asn_member ng_reset_ack_ies[] = {
    IEO("UE-associatedLogicalNG-connectionList", 111, IGNORE, ngap_t_ue_assoc_list,
	struct sen_ngap_ng_reset_ack, ue_associated_list),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag, struct sen_ngap_ng_reset_ack,
	criticality_diagnostics),
};
T_MSG(ngap_m_ng_reset_ack, "NGResetAcknowledge", struct sen_ngap_ng_reset_ack, ng_reset_ack_ies);

/* 9.2.6.13 ERROR INDICATION */
static const struct sen_asn_member error_indication_ies[] = {
    IEO("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id, struct sen_ngap_error_indication,
	amf_ue_ngap_id),
    IEO("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id, struct sen_ngap_error_indication,
	ran_ue_ngap_id),
    IEO("Cause", 15, IGNORE, ngap_t_cause, struct sen_ngap_error_indication, cause),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag, struct sen_ngap_error_indication,
	criticality_diagnostics),
    IEO("FiveG-S-TMSI", 26, IGNORE, ngap_t_s_tmsi, struct sen_ngap_error_indication, s_tmsi),
};
T_MSG(ngap_m_error_indication, "ErrorIndication", struct sen_ngap_error_indication,
      error_indication_ies);
