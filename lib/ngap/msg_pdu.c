/*
 * NGAP PDU session management messages (TS 38.413 8.2, tabular definitions in 9.2.1):
 * PDU Session Resource Setup Request/Response, Release Command/Response, Modify
 * Request/Response and Notify. The per-session transfers travel as OCTET STRINGs whose
 * types (ngap_t_os_*, transfer.c) name the transfer they contain.
 */
#include "ngap/ngap_int.h"

/* ---- per-session lists (9.3.1.?) ------------------------------------------------------------ */

static const struct sen_asn_member setup_su_m[] = {
    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_setup_item, psi),
    MO("pDUSessionNAS-PDU", ngap_t_nas_pdu, struct sen_ngap_ps_setup_item, nas_pdu),
    M("s-NSSAI", ngap_t_snssai, struct sen_ngap_ps_setup_item, snssai),
    M("pDUSessionResourceSetupRequestTransfer", ngap_t_os_setup_req, struct sen_ngap_ps_setup_item,
      transfer),
    MEXT(struct sen_ngap_ps_setup_item),
};
static T_SEQ(t_setup_su_item, "PDUSessionResourceSetupItemSUReq", struct sen_ngap_ps_setup_item,
	     setup_su_m);
static T_LIST(t_setup_su_list, "PDUSessionResourceSetupListSUReq", t_setup_su_item, 1, 256);

/* {pDUSessionID, <transfer>, iE-Extensions} lists: one member table per transfer */
#define PS_TRANSFER_LIST(item, list, item_name, list_name, field_name, os)                         \
	static const struct sen_asn_member item##_m[] = {                                          \
	    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_transfer, psi),                       \
	    M(field_name, os, struct sen_ngap_ps_transfer, transfer),                              \
	    MEXT(struct sen_ngap_ps_transfer),                                                     \
	};                                                                                         \
	static T_SEQ(item, item_name, struct sen_ngap_ps_transfer, item##_m);                      \
	static T_LIST(list, list_name, item, 1, 256)

PS_TRANSFER_LIST(t_setup_su_res_item, t_setup_su_res_list, "PDUSessionResourceSetupItemSURes",
		 "PDUSessionResourceSetupListSURes", "pDUSessionResourceSetupResponseTransfer",
		 ngap_t_os_setup_resp);
PS_TRANSFER_LIST(t_failed_su_res_item, t_failed_su_res_list,
		 "PDUSessionResourceFailedToSetupItemSURes",
		 "PDUSessionResourceFailedToSetupListSURes",
		 "pDUSessionResourceSetupUnsuccessfulTransfer", ngap_t_os_setup_fail);
PS_TRANSFER_LIST(t_rel_cmd_item, t_rel_cmd_list, "PDUSessionResourceToReleaseItemRelCmd",
		 "PDUSessionResourceToReleaseListRelCmd",
		 "pDUSessionResourceReleaseCommandTransfer", ngap_t_os_rel_cmd);
PS_TRANSFER_LIST(t_rel_res_item, t_rel_res_list, "PDUSessionResourceReleasedItemRelRes",
		 "PDUSessionResourceReleasedListRelRes",
		 "pDUSessionResourceReleaseResponseTransfer", ngap_t_os_rel_resp);
PS_TRANSFER_LIST(t_mod_res_item, t_mod_res_list, "PDUSessionResourceModifyItemModRes",
		 "PDUSessionResourceModifyListModRes", "pDUSessionResourceModifyResponseTransfer",
		 ngap_t_os_mod_resp);
PS_TRANSFER_LIST(t_failed_mod_item, t_failed_mod_list,
		 "PDUSessionResourceFailedToModifyItemModRes",
		 "PDUSessionResourceFailedToModifyListModRes",
		 "pDUSessionResourceModifyUnsuccessfulTransfer", ngap_t_os_mod_fail);
PS_TRANSFER_LIST(t_notify_item, t_notify_list, "PDUSessionResourceNotifyItem",
		 "PDUSessionResourceNotifyList", "pDUSessionResourceNotifyTransfer",
		 ngap_t_os_notify);
PS_TRANSFER_LIST(t_released_not_item, t_released_not_list, "PDUSessionResourceReleasedItemNot",
		 "PDUSessionResourceReleasedListNot", "pDUSessionResourceNotifyReleasedTransfer",
		 ngap_t_os_notify_rel);

static const struct sen_asn_member mod_req_m[] = {
    M("pDUSessionID", ngap_t_psi, struct sen_ngap_ps_modify_item, psi),
    MO("nAS-PDU", ngap_t_nas_pdu, struct sen_ngap_ps_modify_item, nas_pdu),
    M("pDUSessionResourceModifyRequestTransfer", ngap_t_os_mod_req, struct sen_ngap_ps_modify_item,
      transfer),
    MEXT(struct sen_ngap_ps_modify_item),
};
static T_SEQ(t_mod_req_item, "PDUSessionResourceModifyItemModReq", struct sen_ngap_ps_modify_item,
	     mod_req_m);
static T_LIST(t_mod_req_list, "PDUSessionResourceModifyListModReq", t_mod_req_item, 1, 256);

/* ---- messages ------------------------------------------------------------------------------- */

/* 9.2.1.1 PDU SESSION RESOURCE SETUP REQUEST */
static const struct sen_asn_member setup_request_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_setup_request, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_setup_request, ran_ue_ngap_id),
    IEO("RANPagingPriority", 83, IGNORE, ngap_t_ran_paging_priority,
	struct sen_ngap_pdu_session_resource_setup_request, ran_paging_priority),
    IEO("NAS-PDU", 38, REJECT, ngap_t_nas_pdu, struct sen_ngap_pdu_session_resource_setup_request,
	nas_pdu),
    IE("PDUSessionResourceSetupListSUReq", 74, REJECT, t_setup_su_list,
       struct sen_ngap_pdu_session_resource_setup_request, pdu_sessions),
    IEO("UEAggregateMaximumBitRate", 110, IGNORE, ngap_t_ambr,
	struct sen_ngap_pdu_session_resource_setup_request, ue_ambr),
};
T_MSG(ngap_m_pdu_setup_request, "PDUSessionResourceSetupRequest",
      struct sen_ngap_pdu_session_resource_setup_request, setup_request_ies);

/* 9.2.1.2 PDU SESSION RESOURCE SETUP RESPONSE */
static const struct sen_asn_member setup_response_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_setup_response, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_setup_response, ran_ue_ngap_id),
    IEO("PDUSessionResourceSetupListSURes", 75, IGNORE, t_setup_su_res_list,
	struct sen_ngap_pdu_session_resource_setup_response, setup_list),
    IEO("PDUSessionResourceFailedToSetupListSURes", 58, IGNORE, t_failed_su_res_list,
	struct sen_ngap_pdu_session_resource_setup_response, failed_list),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_pdu_session_resource_setup_response, criticality_diagnostics),
    IEO("UserLocationInformation", 121, IGNORE, ngap_t_uli,
	struct sen_ngap_pdu_session_resource_setup_response, uli),
};
T_MSG(ngap_m_pdu_setup_response, "PDUSessionResourceSetupResponse",
      struct sen_ngap_pdu_session_resource_setup_response, setup_response_ies);

/* 9.2.1.3 PDU SESSION RESOURCE RELEASE COMMAND */
static const struct sen_asn_member release_command_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_release_command, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_release_command, ran_ue_ngap_id),
    IEO("RANPagingPriority", 83, IGNORE, ngap_t_ran_paging_priority,
	struct sen_ngap_pdu_session_resource_release_command, ran_paging_priority),
    IEO("NAS-PDU", 38, IGNORE, ngap_t_nas_pdu, struct sen_ngap_pdu_session_resource_release_command,
	nas_pdu),
    IE("PDUSessionResourceToReleaseListRelCmd", 79, REJECT, t_rel_cmd_list,
       struct sen_ngap_pdu_session_resource_release_command, pdu_sessions),
};
T_MSG(ngap_m_pdu_release_command, "PDUSessionResourceReleaseCommand",
      struct sen_ngap_pdu_session_resource_release_command, release_command_ies);

/* 9.2.1.4 PDU SESSION RESOURCE RELEASE RESPONSE */
static const struct sen_asn_member release_response_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_release_response, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_release_response, ran_ue_ngap_id),
    IE("PDUSessionResourceReleasedListRelRes", 70, IGNORE, t_rel_res_list,
       struct sen_ngap_pdu_session_resource_release_response, released_list),
    IEO("UserLocationInformation", 121, IGNORE, ngap_t_uli,
	struct sen_ngap_pdu_session_resource_release_response, uli),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_pdu_session_resource_release_response, criticality_diagnostics),
};
T_MSG(ngap_m_pdu_release_response, "PDUSessionResourceReleaseResponse",
      struct sen_ngap_pdu_session_resource_release_response, release_response_ies);

/* 9.2.1.5 PDU SESSION RESOURCE MODIFY REQUEST */
static const struct sen_asn_member modify_request_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_modify_request, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_modify_request, ran_ue_ngap_id),
    IEO("RANPagingPriority", 83, IGNORE, ngap_t_ran_paging_priority,
	struct sen_ngap_pdu_session_resource_modify_request, ran_paging_priority),
    IE("PDUSessionResourceModifyListModReq", 64, REJECT, t_mod_req_list,
       struct sen_ngap_pdu_session_resource_modify_request, pdu_sessions),
};
T_MSG(ngap_m_pdu_modify_request, "PDUSessionResourceModifyRequest",
      struct sen_ngap_pdu_session_resource_modify_request, modify_request_ies);

/* 9.2.1.6 PDU SESSION RESOURCE MODIFY RESPONSE */
static const struct sen_asn_member modify_response_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, IGNORE, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_modify_response, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, IGNORE, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_modify_response, ran_ue_ngap_id),
    IEO("PDUSessionResourceModifyListModRes", 65, IGNORE, t_mod_res_list,
	struct sen_ngap_pdu_session_resource_modify_response, modify_list),
    IEO("PDUSessionResourceFailedToModifyListModRes", 54, IGNORE, t_failed_mod_list,
	struct sen_ngap_pdu_session_resource_modify_response, failed_list),
    IEO("UserLocationInformation", 121, IGNORE, ngap_t_uli,
	struct sen_ngap_pdu_session_resource_modify_response, uli),
    IEO("CriticalityDiagnostics", 19, IGNORE, ngap_t_crit_diag,
	struct sen_ngap_pdu_session_resource_modify_response, criticality_diagnostics),
};
T_MSG(ngap_m_pdu_modify_response, "PDUSessionResourceModifyResponse",
      struct sen_ngap_pdu_session_resource_modify_response, modify_response_ies);

/* 9.2.1.7 PDU SESSION RESOURCE NOTIFY */
static const struct sen_asn_member notify_ies[] = {
    IE("AMF-UE-NGAP-ID", 10, REJECT, ngap_t_amf_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_notify, amf_ue_ngap_id),
    IE("RAN-UE-NGAP-ID", 85, REJECT, ngap_t_ran_ue_ngap_id,
       struct sen_ngap_pdu_session_resource_notify, ran_ue_ngap_id),
    IEO("PDUSessionResourceNotifyList", 66, REJECT, t_notify_list,
	struct sen_ngap_pdu_session_resource_notify, notify_list),
    IEO("PDUSessionResourceReleasedListNot", 67, IGNORE, t_released_not_list,
	struct sen_ngap_pdu_session_resource_notify, released_list),
    IEO("UserLocationInformation", 121, IGNORE, ngap_t_uli,
	struct sen_ngap_pdu_session_resource_notify, uli),
};
T_MSG(ngap_m_pdu_notify, "PDUSessionResourceNotify", struct sen_ngap_pdu_session_resource_notify,
      notify_ies);
