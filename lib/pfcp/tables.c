/*
 * The IE tables of TS 29.244 (Release 17) clauses 7.4 and 7.5: for each message and each
 * grouped IE Sen models, its IEs in the order of the spec's table, with type (8.1.2),
 * presence and repetition. msg.c decodes, encodes and prints every message from these
 * rows; nothing here is per-message code. IEs of a message that Sen does not model are
 * left out on purpose: the decoder skips them as unknown (7.6.1).
 *
 * Presence: M rows are mandatory. Conditional and optional rows are both "O" here: the
 * conditions are the caller's business (the SMF or UPF knows when an F-TEID is needed).
 */
#include "pfcp/pfcp_int.h"

#include <stddef.h>

#define NOF	      PFCP_NO_FLAG
#define ALEN(S, f)    (sizeof(((S *)0)->f) / sizeof(((S *)0)->f[0]))
#define ESIZE(S, f)   sizeof(((S *)0)->f[0])
#define GROUP(name, tab) {name, tab, sizeof(tab) / sizeof(tab[0])}

/* Mandatory single IE; MH: one that shares a struct with an "Update" IE, so has_ exists. */
#define M(S, f, t, c, n)  {t, c, 1, 1, 0, 0, offsetof(S, f), NOF, NULL, n}
#define MH(S, f, t, c, n) {t, c, 1, 1, 0, 0, offsetof(S, f), offsetof(S, has_##f), NULL, n}
/* Conditional / optional single IE with flag has_f. */
#define O(S, f, t, c, n) {t, c, 0, 1, 0, 0, offsetof(S, f), offsetof(S, has_##f), NULL, n}
/* Flags IEs with the number of octets their definition always has. */
#define MF(S, f, t, min, n)  {t, PC_FLAGS, 1, 1, min, 0, offsetof(S, f), NOF, NULL, n}
#define MFH(S, f, t, min, n) {t, PC_FLAGS, 1, 1, min, 0, offsetof(S, f), offsetof(S, has_##f), NULL, n}
#define OF(S, f, t, min, n)  {t, PC_FLAGS, 0, 1, min, 0, offsetof(S, f), offsetof(S, has_##f), NULL, n}
/* Repeated IE: array f with count n_f; m = 1 when at least one is mandatory. */
#define R(S, f, t, c, m, n)                                                                        \
	{t, c, m, ALEN(S, f), 0, ESIZE(S, f), offsetof(S, f), offsetof(S, n_##f), NULL, n}
/* Grouped IEs. */
#define MG(S, f, t, g, n) {t, PC_GROUP, 1, 1, 0, 0, offsetof(S, f), NOF, &g, n}
#define OG(S, f, t, g, n) {t, PC_GROUP, 0, 1, 0, 0, offsetof(S, f), offsetof(S, has_##f), &g, n}
#define RG(S, f, t, g, m, n)                                                                       \
	{t, PC_GROUP, m, ALEN(S, f), 0, ESIZE(S, f), offsetof(S, f), offsetof(S, n_##f), &g, n}

/* ---- grouped IEs ---- */

#define S struct sen_pfcp_pdi
static const struct pfcp_ie pdi_ies[] = { /* 7.5.2.2-2 */
	M(S, source_interface, SEN_PFCP_IE_SOURCE_INTERFACE, PC_IFACE, "Source Interface"),
	O(S, local_fteid, SEN_PFCP_IE_F_TEID, PC_FTEID, "Local F-TEID"),
	O(S, network_instance, SEN_PFCP_IE_NETWORK_INSTANCE, PC_LABELS, "Network Instance"),
	R(S, ue_ip, SEN_PFCP_IE_UE_IP_ADDRESS, PC_UE_IP, 0, "UE IP Address"),
	R(S, sdf_filter, SEN_PFCP_IE_SDF_FILTER, PC_SDF, 0, "SDF Filter"),
	O(S, application_id, SEN_PFCP_IE_APPLICATION_ID, PC_BYTES, "Application ID"),
	R(S, qfi, SEN_PFCP_IE_QFI, PC_QFI, 0, "QFI"),
};
#undef S
static const struct pfcp_group g_pdi = GROUP("PDI", pdi_ies);

#define S struct sen_pfcp_create_pdr
static const struct pfcp_ie create_pdr_ies[] = { /* 7.5.2.2-1 */
	M(S, pdr_id, SEN_PFCP_IE_PDR_ID, PC_U16, "PDR ID"),
	M(S, precedence, SEN_PFCP_IE_PRECEDENCE, PC_U32, "Precedence"),
	MG(S, pdi, SEN_PFCP_IE_PDI, g_pdi, "PDI"),
	O(S, ohr, SEN_PFCP_IE_OUTER_HEADER_REMOVAL, PC_OHR, "Outer Header Removal"),
	O(S, far_id, SEN_PFCP_IE_FAR_ID, PC_RULE_ID, "FAR ID"),
	R(S, urr_id, SEN_PFCP_IE_URR_ID, PC_RULE_ID, 0, "URR ID"),
	R(S, qer_id, SEN_PFCP_IE_QER_ID, PC_RULE_ID, 0, "QER ID"),
};
#undef S
static const struct pfcp_group g_create_pdr = GROUP("Create PDR", create_pdr_ies);

#define S struct sen_pfcp_update_pdr
static const struct pfcp_ie update_pdr_ies[] = { /* 7.5.4.2-1 */
	M(S, pdr_id, SEN_PFCP_IE_PDR_ID, PC_U16, "PDR ID"),
	O(S, ohr, SEN_PFCP_IE_OUTER_HEADER_REMOVAL, PC_OHR, "Outer Header Removal"),
	O(S, precedence, SEN_PFCP_IE_PRECEDENCE, PC_U32, "Precedence"),
	OG(S, pdi, SEN_PFCP_IE_PDI, g_pdi, "PDI"),
	O(S, far_id, SEN_PFCP_IE_FAR_ID, PC_RULE_ID, "FAR ID"),
	R(S, urr_id, SEN_PFCP_IE_URR_ID, PC_RULE_ID, 0, "URR ID"),
	R(S, qer_id, SEN_PFCP_IE_QER_ID, PC_RULE_ID, 0, "QER ID"),
};
#undef S
static const struct pfcp_group g_update_pdr = GROUP("Update PDR", update_pdr_ies);

#define S struct sen_pfcp_fwd_params
static const struct pfcp_ie fwd_ies[] = { /* 7.5.2.3-2 */
	MH(S, destination_interface, SEN_PFCP_IE_DESTINATION_INTERFACE, PC_IFACE,
	   "Destination Interface"),
	O(S, network_instance, SEN_PFCP_IE_NETWORK_INSTANCE, PC_LABELS, "Network Instance"),
	O(S, ohc, SEN_PFCP_IE_OUTER_HEADER_CREATION, PC_OHC, "Outer Header Creation"),
	O(S, tlm, SEN_PFCP_IE_TRANSPORT_LEVEL_MARKING, PC_U16, "Transport Level Marking"),
};
static const struct pfcp_ie upd_fwd_ies[] = { /* 7.5.4.3-2 */
	O(S, destination_interface, SEN_PFCP_IE_DESTINATION_INTERFACE, PC_IFACE,
	  "Destination Interface"),
	O(S, network_instance, SEN_PFCP_IE_NETWORK_INSTANCE, PC_LABELS, "Network Instance"),
	O(S, ohc, SEN_PFCP_IE_OUTER_HEADER_CREATION, PC_OHC, "Outer Header Creation"),
	O(S, tlm, SEN_PFCP_IE_TRANSPORT_LEVEL_MARKING, PC_U16, "Transport Level Marking"),
	OF(S, smreq_flags, SEN_PFCP_IE_PFCPSMREQ_FLAGS, 1, "PFCPSMReq-Flags"),
};
#undef S
static const struct pfcp_group g_fwd = GROUP("Forwarding Parameters", fwd_ies);
static const struct pfcp_group g_upd_fwd = GROUP("Update Forwarding Parameters", upd_fwd_ies);

#define S struct sen_pfcp_create_far
static const struct pfcp_ie create_far_ies[] = { /* 7.5.2.3-1 */
	M(S, far_id, SEN_PFCP_IE_FAR_ID, PC_RULE_ID, "FAR ID"),
	MF(S, apply_action, SEN_PFCP_IE_APPLY_ACTION, 2, "Apply Action"),
	OG(S, fwd, SEN_PFCP_IE_FORWARDING_PARAMETERS, g_fwd, "Forwarding Parameters"),
	O(S, bar_id, SEN_PFCP_IE_BAR_ID, PC_U8, "BAR ID"),
};
#undef S
static const struct pfcp_group g_create_far = GROUP("Create FAR", create_far_ies);

#define S struct sen_pfcp_update_far
static const struct pfcp_ie update_far_ies[] = { /* 7.5.4.3-1 */
	M(S, far_id, SEN_PFCP_IE_FAR_ID, PC_RULE_ID, "FAR ID"),
	OF(S, apply_action, SEN_PFCP_IE_APPLY_ACTION, 2, "Apply Action"),
	OG(S, fwd, SEN_PFCP_IE_UPDATE_FORWARDING_PARAMETERS, g_upd_fwd,
	   "Update Forwarding Parameters"),
	O(S, bar_id, SEN_PFCP_IE_BAR_ID, PC_U8, "BAR ID"),
};
#undef S
static const struct pfcp_group g_update_far = GROUP("Update FAR", update_far_ies);

#define S struct sen_pfcp_urr
#define URR_COMMON                                                                                 \
	O(S, measurement_period, SEN_PFCP_IE_MEASUREMENT_PERIOD, PC_U32, "Measurement Period"),   \
	    O(S, volume_threshold, SEN_PFCP_IE_VOLUME_THRESHOLD, PC_VOLUME, "Volume Threshold"),  \
	    O(S, volume_quota, SEN_PFCP_IE_VOLUME_QUOTA, PC_VOLUME, "Volume Quota"),              \
	    O(S, time_threshold, SEN_PFCP_IE_TIME_THRESHOLD, PC_U32, "Time Threshold"),           \
	    O(S, time_quota, SEN_PFCP_IE_TIME_QUOTA, PC_U32, "Time Quota")
static const struct pfcp_ie create_urr_ies[] = { /* 7.5.2.4-1 */
	M(S, urr_id, SEN_PFCP_IE_URR_ID, PC_RULE_ID, "URR ID"),
	MFH(S, measurement_method, SEN_PFCP_IE_MEASUREMENT_METHOD, 1, "Measurement Method"),
	MFH(S, reporting_triggers, SEN_PFCP_IE_REPORTING_TRIGGERS, 2, "Reporting Triggers"),
	URR_COMMON,
};
static const struct pfcp_ie update_urr_ies[] = { /* 7.5.4.4-1 */
	M(S, urr_id, SEN_PFCP_IE_URR_ID, PC_RULE_ID, "URR ID"),
	OF(S, measurement_method, SEN_PFCP_IE_MEASUREMENT_METHOD, 1, "Measurement Method"),
	OF(S, reporting_triggers, SEN_PFCP_IE_REPORTING_TRIGGERS, 2, "Reporting Triggers"),
	URR_COMMON,
};
#undef URR_COMMON
#undef S
static const struct pfcp_group g_create_urr = GROUP("Create URR", create_urr_ies);
static const struct pfcp_group g_update_urr = GROUP("Update URR", update_urr_ies);

#define S struct sen_pfcp_qer
#define QER_COMMON                                                                                 \
	O(S, mbr, SEN_PFCP_IE_MBR, PC_BITRATE, "MBR"),                                             \
	    O(S, gbr, SEN_PFCP_IE_GBR, PC_BITRATE, "GBR"),                                         \
	    O(S, qfi, SEN_PFCP_IE_QFI, PC_QFI, "QFI"), O(S, rqi, SEN_PFCP_IE_RQI, PC_U8, "RQI"),   \
	    O(S, ppi, SEN_PFCP_IE_PAGING_POLICY_INDICATOR, PC_PPI, "Paging Policy Indicator")
static const struct pfcp_ie create_qer_ies[] = { /* 7.5.2.5-1 */
	M(S, qer_id, SEN_PFCP_IE_QER_ID, PC_RULE_ID, "QER ID"),
	O(S, qer_corr_id, SEN_PFCP_IE_QER_CORRELATION_ID, PC_U32, "QER Correlation ID"),
	MH(S, gate_status, SEN_PFCP_IE_GATE_STATUS, PC_GATE, "Gate Status"),
	QER_COMMON,
};
static const struct pfcp_ie update_qer_ies[] = { /* 7.5.4.5-1 */
	M(S, qer_id, SEN_PFCP_IE_QER_ID, PC_RULE_ID, "QER ID"),
	O(S, qer_corr_id, SEN_PFCP_IE_QER_CORRELATION_ID, PC_U32, "QER Correlation ID"),
	O(S, gate_status, SEN_PFCP_IE_GATE_STATUS, PC_GATE, "Gate Status"),
	QER_COMMON,
};
#undef QER_COMMON
#undef S
static const struct pfcp_group g_create_qer = GROUP("Create QER", create_qer_ies);
static const struct pfcp_group g_update_qer = GROUP("Update QER", update_qer_ies);

#define S struct sen_pfcp_remove
static const struct pfcp_ie remove_pdr_ies[] = { /* 7.5.4.6 */
	M(S, id, SEN_PFCP_IE_PDR_ID, PC_U16W, "PDR ID"),
};
static const struct pfcp_ie remove_far_ies[] = { /* 7.5.4.7 */
	M(S, id, SEN_PFCP_IE_FAR_ID, PC_RULE_ID, "FAR ID"),
};
static const struct pfcp_ie remove_urr_ies[] = { /* 7.5.4.8 */
	M(S, id, SEN_PFCP_IE_URR_ID, PC_RULE_ID, "URR ID"),
};
static const struct pfcp_ie remove_qer_ies[] = { /* 7.5.4.9 */
	M(S, id, SEN_PFCP_IE_QER_ID, PC_RULE_ID, "QER ID"),
};
#undef S
static const struct pfcp_group g_remove_pdr = GROUP("Remove PDR", remove_pdr_ies);
static const struct pfcp_group g_remove_far = GROUP("Remove FAR", remove_far_ies);
static const struct pfcp_group g_remove_urr = GROUP("Remove URR", remove_urr_ies);
static const struct pfcp_group g_remove_qer = GROUP("Remove QER", remove_qer_ies);

#define S struct sen_pfcp_created_pdr
static const struct pfcp_ie created_pdr_ies[] = { /* 7.5.3.2-1 */
	M(S, pdr_id, SEN_PFCP_IE_PDR_ID, PC_U16, "PDR ID"),
	O(S, local_fteid, SEN_PFCP_IE_F_TEID, PC_FTEID, "Local F-TEID"),
	O(S, ue_ip, SEN_PFCP_IE_UE_IP_ADDRESS, PC_UE_IP, "UE IP Address"),
};
#undef S
static const struct pfcp_group g_created_pdr = GROUP("Created PDR", created_pdr_ies);

#define S struct sen_pfcp_usage_report
static const struct pfcp_ie usage_report_ies[] = { /* 7.5.5.2-1, 7.5.7.2-1, 7.5.8.3-1 */
	M(S, urr_id, SEN_PFCP_IE_URR_ID, PC_RULE_ID, "URR ID"),
	M(S, ur_seqn, SEN_PFCP_IE_UR_SEQN, PC_U32, "UR-SEQN"),
	MF(S, trigger, SEN_PFCP_IE_USAGE_REPORT_TRIGGER, 3, "Usage Report Trigger"),
	O(S, start_time, SEN_PFCP_IE_START_TIME, PC_NTP, "Start Time"),
	O(S, end_time, SEN_PFCP_IE_END_TIME, PC_NTP, "End Time"),
	O(S, volume, SEN_PFCP_IE_VOLUME_MEASUREMENT, PC_VOLUME_MEAS, "Volume Measurement"),
	O(S, duration, SEN_PFCP_IE_DURATION_MEASUREMENT, PC_U32, "Duration Measurement"),
	O(S, first_pkt, SEN_PFCP_IE_TIME_OF_FIRST_PACKET, PC_NTP, "Time of First Packet"),
	O(S, last_pkt, SEN_PFCP_IE_TIME_OF_LAST_PACKET, PC_NTP, "Time of Last Packet"),
};
#undef S
static const struct pfcp_group g_usage_report = GROUP("Usage Report", usage_report_ies);

#define S struct sen_pfcp_dl_data_report
static const struct pfcp_ie dl_data_report_ies[] = { /* 7.5.8.2-1 */
	R(S, pdr_id, SEN_PFCP_IE_PDR_ID, PC_U16, 1, "PDR ID"),
	R(S, service_info, SEN_PFCP_IE_DL_DATA_SERVICE_INFORMATION, PC_DDSI, 0,
	  "Downlink Data Service Information"),
};
#undef S
static const struct pfcp_group g_dl_data_report = GROUP("Downlink Data Report", dl_data_report_ies);

#define S struct sen_pfcp_error_indication_report
static const struct pfcp_ie err_ind_report_ies[] = { /* 7.5.8.4-1 */
	R(S, remote_fteid, SEN_PFCP_IE_F_TEID, PC_FTEID, 1, "Remote F-TEID"),
};
#undef S
static const struct pfcp_group g_err_ind_report =
	GROUP("Error Indication Report", err_ind_report_ies);

/* ---- messages ---- */

#define S struct sen_pfcp_heartbeat
static const struct pfcp_ie heartbeat_ies[] = { /* 7.4.2.1, 7.4.2.2 */
	M(S, recovery_ts, SEN_PFCP_IE_RECOVERY_TIME_STAMP, PC_NTP, "Recovery Time Stamp"),
};
#undef S

#define S struct sen_pfcp_association_setup
static const struct pfcp_ie assoc_setup_req_ies[] = { /* 7.4.4.1-1 */
	M(S, node_id, SEN_PFCP_IE_NODE_ID, PC_NODE_ID, "Node ID"),
	M(S, recovery_ts, SEN_PFCP_IE_RECOVERY_TIME_STAMP, PC_NTP, "Recovery Time Stamp"),
	OF(S, up_features, SEN_PFCP_IE_UP_FUNCTION_FEATURES, 2, "UP Function Features"),
	OF(S, cp_features, SEN_PFCP_IE_CP_FUNCTION_FEATURES, 1, "CP Function Features"),
};
static const struct pfcp_ie assoc_setup_rsp_ies[] = { /* 7.4.4.2-1 */
	M(S, node_id, SEN_PFCP_IE_NODE_ID, PC_NODE_ID, "Node ID"),
	M(S, cause, SEN_PFCP_IE_CAUSE, PC_CAUSE, "Cause"),
	M(S, recovery_ts, SEN_PFCP_IE_RECOVERY_TIME_STAMP, PC_NTP, "Recovery Time Stamp"),
	OF(S, up_features, SEN_PFCP_IE_UP_FUNCTION_FEATURES, 2, "UP Function Features"),
	OF(S, cp_features, SEN_PFCP_IE_CP_FUNCTION_FEATURES, 1, "CP Function Features"),
};
#undef S

#define S struct sen_pfcp_association_release
static const struct pfcp_ie assoc_release_req_ies[] = { /* 7.4.4.5-1 */
	M(S, node_id, SEN_PFCP_IE_NODE_ID, PC_NODE_ID, "Node ID"),
};
static const struct pfcp_ie assoc_release_rsp_ies[] = { /* 7.4.4.6-1 */
	M(S, node_id, SEN_PFCP_IE_NODE_ID, PC_NODE_ID, "Node ID"),
	M(S, cause, SEN_PFCP_IE_CAUSE, PC_CAUSE, "Cause"),
};
#undef S

#define S struct sen_pfcp_session_establishment_request
static const struct pfcp_ie sess_est_req_ies[] = { /* 7.5.2.1-1 */
	M(S, node_id, SEN_PFCP_IE_NODE_ID, PC_NODE_ID, "Node ID"),
	M(S, cp_fseid, SEN_PFCP_IE_F_SEID, PC_FSEID, "CP F-SEID"),
	RG(S, create_pdr, SEN_PFCP_IE_CREATE_PDR, g_create_pdr, 1, "Create PDR"),
	RG(S, create_far, SEN_PFCP_IE_CREATE_FAR, g_create_far, 1, "Create FAR"),
	RG(S, create_urr, SEN_PFCP_IE_CREATE_URR, g_create_urr, 0, "Create URR"),
	RG(S, create_qer, SEN_PFCP_IE_CREATE_QER, g_create_qer, 0, "Create QER"),
	O(S, pdn_type, SEN_PFCP_IE_PDN_TYPE, PC_PDN_TYPE, "PDN Type"),
	O(S, apn_dnn, SEN_PFCP_IE_APN_DNN, PC_LABELS, "APN/DNN"),
};
#undef S

#define S struct sen_pfcp_session_establishment_response
static const struct pfcp_ie sess_est_rsp_ies[] = { /* 7.5.3.1-1 */
	M(S, node_id, SEN_PFCP_IE_NODE_ID, PC_NODE_ID, "Node ID"),
	M(S, cause, SEN_PFCP_IE_CAUSE, PC_CAUSE, "Cause"),
	O(S, offending_ie, SEN_PFCP_IE_OFFENDING_IE, PC_IE_TYPE, "Offending IE"),
	O(S, up_fseid, SEN_PFCP_IE_F_SEID, PC_FSEID, "UP F-SEID"),
	RG(S, created_pdr, SEN_PFCP_IE_CREATED_PDR, g_created_pdr, 0, "Created PDR"),
};
#undef S

#define S struct sen_pfcp_session_modification_request
static const struct pfcp_ie sess_mod_req_ies[] = { /* 7.5.4.1-1 */
	O(S, cp_fseid, SEN_PFCP_IE_F_SEID, PC_FSEID, "CP F-SEID"),
	RG(S, remove_pdr, SEN_PFCP_IE_REMOVE_PDR, g_remove_pdr, 0, "Remove PDR"),
	RG(S, remove_far, SEN_PFCP_IE_REMOVE_FAR, g_remove_far, 0, "Remove FAR"),
	RG(S, remove_urr, SEN_PFCP_IE_REMOVE_URR, g_remove_urr, 0, "Remove URR"),
	RG(S, remove_qer, SEN_PFCP_IE_REMOVE_QER, g_remove_qer, 0, "Remove QER"),
	RG(S, create_pdr, SEN_PFCP_IE_CREATE_PDR, g_create_pdr, 0, "Create PDR"),
	RG(S, create_far, SEN_PFCP_IE_CREATE_FAR, g_create_far, 0, "Create FAR"),
	RG(S, create_urr, SEN_PFCP_IE_CREATE_URR, g_create_urr, 0, "Create URR"),
	RG(S, create_qer, SEN_PFCP_IE_CREATE_QER, g_create_qer, 0, "Create QER"),
	RG(S, update_pdr, SEN_PFCP_IE_UPDATE_PDR, g_update_pdr, 0, "Update PDR"),
	RG(S, update_far, SEN_PFCP_IE_UPDATE_FAR, g_update_far, 0, "Update FAR"),
	RG(S, update_urr, SEN_PFCP_IE_UPDATE_URR, g_update_urr, 0, "Update URR"),
	RG(S, update_qer, SEN_PFCP_IE_UPDATE_QER, g_update_qer, 0, "Update QER"),
	OF(S, smreq_flags, SEN_PFCP_IE_PFCPSMREQ_FLAGS, 1, "PFCPSMReq-Flags"),
};
#undef S

#define S struct sen_pfcp_session_response
static const struct pfcp_ie sess_mod_rsp_ies[] = { /* 7.5.5.1-1 */
	M(S, cause, SEN_PFCP_IE_CAUSE, PC_CAUSE, "Cause"),
	O(S, offending_ie, SEN_PFCP_IE_OFFENDING_IE, PC_IE_TYPE, "Offending IE"),
	RG(S, created_pdr, SEN_PFCP_IE_CREATED_PDR, g_created_pdr, 0, "Created PDR"),
	RG(S, usage_report, SEN_PFCP_IE_USAGE_REPORT_MODIFICATION, g_usage_report, 0,
	   "Usage Report"),
};
static const struct pfcp_ie sess_del_rsp_ies[] = { /* 7.5.7.1-1 */
	M(S, cause, SEN_PFCP_IE_CAUSE, PC_CAUSE, "Cause"),
	O(S, offending_ie, SEN_PFCP_IE_OFFENDING_IE, PC_IE_TYPE, "Offending IE"),
	RG(S, usage_report, SEN_PFCP_IE_USAGE_REPORT_DELETION, g_usage_report, 0, "Usage Report"),
};
#undef S

#define S struct sen_pfcp_session_report_request
static const struct pfcp_ie sess_report_req_ies[] = { /* 7.5.8.1-1 */
	MF(S, report_type, SEN_PFCP_IE_REPORT_TYPE, 1, "Report Type"),
	OG(S, dl_data_report, SEN_PFCP_IE_DOWNLINK_DATA_REPORT, g_dl_data_report,
	   "Downlink Data Report"),
	RG(S, usage_report, SEN_PFCP_IE_USAGE_REPORT_REPORT, g_usage_report, 0, "Usage Report"),
	OG(S, error_indication_report, SEN_PFCP_IE_ERROR_INDICATION_REPORT, g_err_ind_report,
	   "Error Indication Report"),
};
#undef S

#define S struct sen_pfcp_session_report_response
static const struct pfcp_ie sess_report_rsp_ies[] = { /* 7.5.9.1-1 */
	M(S, cause, SEN_PFCP_IE_CAUSE, PC_CAUSE, "Cause"),
	O(S, offending_ie, SEN_PFCP_IE_OFFENDING_IE, PC_IE_TYPE, "Offending IE"),
	OF(S, srrsp_flags, SEN_PFCP_IE_PFCPSRRSP_FLAGS, 1, "PFCPSRRsp-Flags"),
};
#undef S

static const struct pfcp_group b_heartbeat = GROUP("Heartbeat", heartbeat_ies);
static const struct pfcp_group b_assoc_setup_req = GROUP("", assoc_setup_req_ies);
static const struct pfcp_group b_assoc_setup_rsp = GROUP("", assoc_setup_rsp_ies);
static const struct pfcp_group b_assoc_release_req = GROUP("", assoc_release_req_ies);
static const struct pfcp_group b_assoc_release_rsp = GROUP("", assoc_release_rsp_ies);
static const struct pfcp_group b_sess_est_req = GROUP("", sess_est_req_ies);
static const struct pfcp_group b_sess_est_rsp = GROUP("", sess_est_rsp_ies);
static const struct pfcp_group b_sess_mod_req = GROUP("", sess_mod_req_ies);
static const struct pfcp_group b_sess_mod_rsp = GROUP("", sess_mod_rsp_ies);
static const struct pfcp_group b_sess_del_rsp = GROUP("", sess_del_rsp_ies);
static const struct pfcp_group b_sess_report_req = GROUP("", sess_report_req_ies);
static const struct pfcp_group b_sess_report_rsp = GROUP("", sess_report_rsp_ies);
static const struct pfcp_group b_empty = {"", NULL, 0};

static const struct pfcp_msg_desc msgs[] = {
	{SEN_PFCP_HEARTBEAT_REQUEST, "Heartbeat Request", &b_heartbeat},
	{SEN_PFCP_HEARTBEAT_RESPONSE, "Heartbeat Response", &b_heartbeat},
	{SEN_PFCP_ASSOCIATION_SETUP_REQUEST, "Association Setup Request", &b_assoc_setup_req},
	{SEN_PFCP_ASSOCIATION_SETUP_RESPONSE, "Association Setup Response", &b_assoc_setup_rsp},
	{SEN_PFCP_ASSOCIATION_RELEASE_REQUEST, "Association Release Request",
	 &b_assoc_release_req},
	{SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE, "Association Release Response",
	 &b_assoc_release_rsp},
	{SEN_PFCP_VERSION_NOT_SUPPORTED_RESPONSE, "Version Not Supported Response", &b_empty},
	{SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST, "Session Establishment Request",
	 &b_sess_est_req},
	{SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE, "Session Establishment Response",
	 &b_sess_est_rsp},
	{SEN_PFCP_SESSION_MODIFICATION_REQUEST, "Session Modification Request",
	 &b_sess_mod_req},
	{SEN_PFCP_SESSION_MODIFICATION_RESPONSE, "Session Modification Response",
	 &b_sess_mod_rsp},
	{SEN_PFCP_SESSION_DELETION_REQUEST, "Session Deletion Request", &b_empty},
	{SEN_PFCP_SESSION_DELETION_RESPONSE, "Session Deletion Response", &b_sess_del_rsp},
	{SEN_PFCP_SESSION_REPORT_REQUEST, "Session Report Request", &b_sess_report_req},
	{SEN_PFCP_SESSION_REPORT_RESPONSE, "Session Report Response", &b_sess_report_rsp},
};

const struct pfcp_msg_desc *pfcp_msg_find(uint8_t type)
{
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (msgs[i].type == type)
			return &msgs[i];
	return NULL;
}

/* IE names by type, for Offending IE and error messages (table 8.1.2-1). */
static const struct {
	uint16_t type;
	const char *name;
} ie_names[] = {
	{1, "Create PDR"},
	{2, "PDI"},
	{3, "Create FAR"},
	{4, "Forwarding Parameters"},
	{6, "Create URR"},
	{7, "Create QER"},
	{8, "Created PDR"},
	{9, "Update PDR"},
	{10, "Update FAR"},
	{11, "Update Forwarding Parameters"},
	{13, "Update URR"},
	{14, "Update QER"},
	{15, "Remove PDR"},
	{16, "Remove FAR"},
	{17, "Remove URR"},
	{18, "Remove QER"},
	{19, "Cause"},
	{20, "Source Interface"},
	{21, "F-TEID"},
	{22, "Network Instance"},
	{23, "SDF Filter"},
	{24, "Application ID"},
	{25, "Gate Status"},
	{26, "MBR"},
	{27, "GBR"},
	{28, "QER Correlation ID"},
	{29, "Precedence"},
	{30, "Transport Level Marking"},
	{31, "Volume Threshold"},
	{32, "Time Threshold"},
	{37, "Reporting Triggers"},
	{39, "Report Type"},
	{40, "Offending IE"},
	{42, "Destination Interface"},
	{43, "UP Function Features"},
	{44, "Apply Action"},
	{45, "Downlink Data Service Information"},
	{49, "PFCPSMReq-Flags"},
	{50, "PFCPSRRsp-Flags"},
	{56, "PDR ID"},
	{57, "F-SEID"},
	{60, "Node ID"},
	{62, "Measurement Method"},
	{63, "Usage Report Trigger"},
	{64, "Measurement Period"},
	{66, "Volume Measurement"},
	{67, "Duration Measurement"},
	{69, "Time of First Packet"},
	{70, "Time of Last Packet"},
	{73, "Volume Quota"},
	{74, "Time Quota"},
	{75, "Start Time"},
	{76, "End Time"},
	{78, "Usage Report"},
	{79, "Usage Report"},
	{80, "Usage Report"},
	{81, "URR ID"},
	{83, "Downlink Data Report"},
	{84, "Outer Header Creation"},
	{88, "BAR ID"},
	{89, "CP Function Features"},
	{93, "UE IP Address"},
	{95, "Outer Header Removal"},
	{96, "Recovery Time Stamp"},
	{99, "Error Indication Report"},
	{104, "UR-SEQN"},
	{108, "FAR ID"},
	{109, "QER ID"},
	{113, "PDN Type"},
	{123, "RQI"},
	{124, "QFI"},
	{158, "Paging Policy Indicator"},
	{159, "APN/DNN"},
};

const char *pfcp_ie_name(uint16_t type)
{
	for (size_t i = 0; i < sizeof(ie_names) / sizeof(ie_names[0]); i++)
		if (ie_names[i].type == type)
			return ie_names[i].name;
	return NULL;
}
