/*
 * The message tables of TS 24.501 clause 8 (Release 17): for each 5GMM (8.2) and 5GSM
 * (8.3) message, its IEs in the order of the spec's table, with IEI, format, presence
 * and total length range as printed there. msg.c decodes and encodes every message from
 * these rows; nothing here is per-message code. Every IE of the Release 17 tables is
 * listed: the ones the issue asks for structured (identities, NSSAI, TAI lists, timers,
 * QoS, ePCO...) have their own codec; the rest are kept as their value octets
 * (C_BYTES / C_OCTETS / C_U8), length-checked against the table, so that they
 * round-trip byte for byte. IEs of later releases are skipped as unknown
 * (TS 24.007 11.2.4).
 */
#include "nas/nas_int.h"

#include <stddef.h>

#define NOLIMIT 65538u

/* Mandatory IEs: no IEI, no presence flag. */
#define M_HALF(S, f, n) {0, NAS_V_HALF, C_HALF, 0, 1, 1, offsetof(S, f), 0, n, 0}
#define M_SPARE {0, NAS_SPARE_HALF, C_HALF, 0, 1, 1, 0, 0, "spare half octet", 0}
#define M_V(S, f, c, len, n) {0, NAS_V, c, 0, len, len, offsetof(S, f), 0, n, 0}
#define M_LV(S, f, c, lo, hi, n) {0, NAS_LV, c, 0, lo, hi, offsetof(S, f), 0, n, 0}
#define M_LVE(S, f, c, lo, hi, n) {0, NAS_LV_E, c, 0, lo, hi, offsetof(S, f), 0, n, 0}
/* Optional IEs: field f with presence flag has_f. */
#define O(S, f, iei, fmt, c, lo, hi, n)                                                            \
	{iei, fmt, c, 1, lo, hi, offsetof(S, f), offsetof(S, has_##f), n, 0}
#define O_TV1(S, f, iei, n) O(S, f, iei, NAS_TV1, C_HALF, 1, 1, n)
/* 5GS mobile identity limited to the identity types in mask t (bit n = type n, 9.11.3.4). */
#define ID(t) (1u << (t))
#define M_LVE_ID(S, f, lo, hi, n, t)                                                               \
	{0, NAS_LV_E, C_MOBILE_ID, 0, lo, hi, offsetof(S, f), 0, n, t}
#define O_ID(S, f, iei, lo, hi, n, t)                                                              \
	{iei, NAS_TLV_E, C_MOBILE_ID, 1, lo, hi, offsetof(S, f), offsetof(S, has_##f), n, t}
/* Shapes that recur in many messages. */
#define O_TIMER(S, f, iei, n) O(S, f, iei, NAS_TLV, C_TIMER, 3, 3, n)
#define O_TLV1(S, f, iei, n) O(S, f, iei, NAS_TLV, C_U8, 3, 3, n) /* one octet of value */
#define O_BYTES(S, f, iei, lo, hi, n) O(S, f, iei, NAS_TLV, C_BYTES, lo, hi, n)
#define O_BYTES_E(S, f, iei, lo, hi, n) O(S, f, iei, NAS_TLV_E, C_BYTES, lo, hi, n)
#define O_WAIT(S, f, iei, n) O(S, f, iei, NAS_TLV, C_U16, 4, 4, n) /* 9.11.3.84 */
#define O_SLAA(S, iei)                                                                             \
	O_BYTES_E(S, service_level_aa, iei, 6, NOLIMIT, "Service-level-AA container")
#define O_CAG(S) O_BYTES_E(S, cag_info_list, 0x75, 3, NOLIMIT, "CAG information list")
#define O_ECAG(S)                                                                                  \
	O_BYTES_E(S, extended_cag_info_list, 0x71, 3, NOLIMIT, "Extended CAG information list")
#define O_EXT_REJ_NSSAI(S)                                                                         \
	O_BYTES(S, extended_rejected_nssai, 0x68, 5, 90, "Extended rejected NSSAI")
#define O_FORBIDDEN_TAIS(S)                                                                        \
	O(S, forbidden_tai_roaming, 0x1d, NAS_TLV, C_TAI_LIST, 9, 114,                             \
	  "Forbidden TAI(s) for the list of 5GS forbidden tracking areas for roaming"),            \
	    O(S, forbidden_tai_rpos, 0x1e, NAS_TLV, C_TAI_LIST, 9, 114,                            \
	      "Forbidden TAI(s) for the list of 5GS forbidden tracking areas for regional "        \
	      "provision of service")

#define MSG(epd, type, name, tab) {epd, type, name, tab, sizeof(tab) / sizeof(tab[0])}
#define MSG0(epd, type, name) {epd, type, name, NULL, 0}

/* ---- 5GMM (8.2) ---- */

#define S struct sen_nas_registration_request
static const struct nas_ie reg_req[] = { /* 8.2.6 */
	M_HALF(S, reg_type, "5GS registration type"),
	M_HALF(S, ngksi, "ngKSI"),
	M_LVE(S, mobile_id, C_MOBILE_ID, 6, NOLIMIT, "5GS mobile identity"),
	O_TV1(S, non_current_ngksi, 0xc0, "Non-current native NAS key set identifier"),
	O(S, gmm_cap, 0x10, NAS_TLV, C_OCTETS, 3, 15, "5GMM capability"),
	O(S, ue_sec_cap, 0x2e, NAS_TLV, C_UE_SEC_CAP, 4, 10, "UE security capability"),
	O(S, requested_nssai, 0x2f, NAS_TLV, C_NSSAI, 4, 74, "Requested NSSAI"),
	O(S, last_tai, 0x52, NAS_TV, C_TAI, 7, 7, "Last visited registered TAI"),
	O(S, s1_ue_net_cap, 0x17, NAS_TLV, C_OCTETS, 4, 15, "S1 UE network capability"),
	O(S, ul_data_status, 0x40, NAS_TLV, C_PSI_MAP, 4, 34, "Uplink data status"),
	O(S, pdu_session_status, 0x50, NAS_TLV, C_PSI_MAP, 4, 34, "PDU session status"),
	O_TV1(S, mico, 0xb0, "MICO indication"),
	O(S, ue_status, 0x2b, NAS_TLV, C_U8, 3, 3, "UE status"),
	O_ID(S, additional_guti, 0x77, 14, 14, "Additional GUTI", ID(SEN_NAS_ID_GUTI)),
	O(S, allowed_pdu_session_status, 0x25, NAS_TLV, C_PSI_MAP, 4, 34,
	  "Allowed PDU session status"),
	O(S, ue_usage_setting, 0x18, NAS_TLV, C_U8, 3, 3, "UE's usage setting"),
	O(S, requested_drx, 0x51, NAS_TLV, C_U8, 3, 3, "Requested DRX parameters"),
	O(S, eps_nas_container, 0x70, NAS_TLV_E, C_BYTES, 4, NOLIMIT, "EPS NAS message container"),
	O(S, ladn_indication, 0x74, NAS_TLV_E, C_BYTES, 3, 811, "LADN indication"),
	O_TV1(S, payload_container_type, 0x80, "Payload container type"),
	O(S, payload_container, 0x7b, NAS_TLV_E, C_BYTES, 4, NOLIMIT, "Payload container"),
	O_TV1(S, network_slicing_ind, 0x90, "Network slicing indication"),
	O(S, update_type, 0x53, NAS_TLV, C_U8, 3, 3, "5GS update type"),
	O(S, ms_classmark2, 0x41, NAS_TLV, C_FIXED, 5, 5, "Mobile station classmark 2"),
	O_BYTES(S, supported_codecs, 0x42, 5, 257, "Supported codecs"),
	O(S, nas_container, 0x71, NAS_TLV_E, C_BYTES, 4, NOLIMIT, "NAS message container"),
	O(S, eps_bearer_status, 0x60, NAS_TLV, C_OCTETS, 4, 4, "EPS bearer context status"),
	O(S, requested_edrx, 0x6e, NAS_TLV, C_OCTETS, 3, 4, "Requested extended DRX parameters"),
	O_TIMER(S, t3324, 0x6a, "T3324 value"),
	O_BYTES(S, ue_radio_cap_id, 0x67, 3, 257, "UE radio capability ID"),
	O_BYTES(S, requested_mapped_nssai, 0x35, 3, 42, "Requested mapped NSSAI"),
	O_TLV1(S, additional_info_requested, 0x48, "Additional information requested"),
	O_BYTES(S, requested_wus_info, 0x1a, 3, 257, "Requested WUS assistance information"),
	O_TV1(S, n5gc_indication, 0xa0, "N5GC indication"),
	O_TLV1(S, requested_nb_n1_drx, 0x30, "Requested NB-N1 mode DRX parameters"),
	O_TLV1(S, ue_request_type, 0x29, "UE request type"),
	O_BYTES(S, paging_restriction, 0x28, 3, 35, "Paging restriction"),
	O_SLAA(S, 0x72),
	O(S, nid, 0x32, NAS_TLV, C_FIXED, 8, 8, "NID"),
	O(S, disaster_plmn, 0x16, NAS_TLV, C_PLMN, 5, 5,
	  "MS determined PLMN with disaster condition"),
	O_BYTES(S, requested_peips_info, 0x2a, 3, 257, "Requested PEIPS assistance information"),
	O_TIMER(S, requested_t3512, 0x3b, "Requested T3512 value"),
};
#undef S

#define S struct sen_nas_registration_accept
static const struct nas_ie reg_acc[] = { /* 8.2.7 */
	M_LV(S, result, C_U8, 2, 2, "5GS registration result"),
	O_ID(S, guti, 0x77, 14, 14, "5G-GUTI", ID(SEN_NAS_ID_GUTI)),
	O(S, equivalent_plmns, 0x4a, NAS_TLV, C_PLMN_LIST, 5, 47, "Equivalent PLMNs"),
	O(S, tai_list, 0x54, NAS_TLV, C_TAI_LIST, 9, 114, "TAI list"),
	O(S, allowed_nssai, 0x15, NAS_TLV, C_NSSAI, 4, 74, "Allowed NSSAI"),
	O(S, rejected_nssai, 0x11, NAS_TLV, C_REJ_NSSAI, 4, 42, "Rejected NSSAI"),
	O(S, configured_nssai, 0x31, NAS_TLV, C_NSSAI, 4, 146, "Configured NSSAI"),
	O(S, network_feature_support, 0x21, NAS_TLV, C_OCTETS, 3, 5,
	  "5GS network feature support"),
	O(S, pdu_session_status, 0x50, NAS_TLV, C_PSI_MAP, 4, 34, "PDU session status"),
	O(S, reactivation_result, 0x26, NAS_TLV, C_PSI_MAP, 4, 34,
	  "PDU session reactivation result"),
	O(S, reactivation_error, 0x72, NAS_TLV_E, C_BYTES, 5, 515,
	  "PDU session reactivation result error cause"),
	O(S, ladn_info, 0x79, NAS_TLV_E, C_BYTES, 3, 1715, "LADN information"),
	O_TV1(S, mico, 0xb0, "MICO indication"),
	O_TV1(S, network_slicing_ind, 0x90, "Network slicing indication"),
	O(S, service_area_list, 0x27, NAS_TLV, C_BYTES, 6, 114, "Service area list"),
	O(S, t3512, 0x5e, NAS_TLV, C_TIMER, 3, 3, "T3512 value"),
	O(S, non3gpp_dereg_timer, 0x5d, NAS_TLV, C_TIMER, 3, 3,
	  "Non-3GPP de-registration timer value"),
	O(S, t3502, 0x16, NAS_TLV, C_TIMER, 3, 3, "T3502 value"),
	O(S, emergency_numbers, 0x34, NAS_TLV, C_BYTES, 5, 50, "Emergency number list"),
	O_BYTES_E(S, extended_emergency_numbers, 0x7a, 7, NOLIMIT,
		  "Extended emergency number list"),
	O(S, sor_container, 0x73, NAS_TLV_E, C_BYTES, 20, NOLIMIT, "SOR transparent container"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O_TV1(S, nssai_inclusion_mode, 0xa0, "NSSAI inclusion mode"),
	O_BYTES_E(S, operator_access_categories, 0x76, 3, 8323,
		  "Operator-defined access category definitions"),
	O(S, negotiated_drx, 0x51, NAS_TLV, C_U8, 3, 3, "Negotiated DRX parameters"),
	O_TV1(S, non3gpp_nw_policies, 0xd0, "Non-3GPP NW policies"),
	O(S, eps_bearer_status, 0x60, NAS_TLV, C_OCTETS, 4, 4, "EPS bearer context status"),
	O(S, negotiated_edrx, 0x6e, NAS_TLV, C_OCTETS, 3, 4, "Negotiated extended DRX parameters"),
	O_TIMER(S, t3447, 0x6c, "T3447 value"),
	O_TIMER(S, t3448, 0x6b, "T3448 value"),
	O_TIMER(S, t3324, 0x6a, "T3324 value"),
	O_BYTES(S, ue_radio_cap_id, 0x67, 3, 257, "UE radio capability ID"),
	O_TV1(S, ue_radio_cap_id_deletion, 0xe0, "UE radio capability ID deletion indication"),
	O(S, pending_nssai, 0x39, NAS_TLV, C_NSSAI, 4, 146, "Pending NSSAI"),
	O_BYTES_E(S, ciphering_key_data, 0x74, 34, NOLIMIT, "Ciphering key data"),
	O_CAG(S),
	O_TLV1(S, truncated_s_tmsi_cfg, 0x1b, "Truncated 5G-S-TMSI configuration"),
	O_BYTES(S, negotiated_wus_info, 0x1c, 3, 257, "Negotiated WUS assistance information"),
	O_TLV1(S, negotiated_nb_n1_drx, 0x29, "Negotiated NB-N1 mode DRX parameters"),
	O_EXT_REJ_NSSAI(S),
	O_SLAA(S, 0x7b),
	O_BYTES(S, negotiated_peips_info, 0x33, 3, 257, "Negotiated PEIPS assistance information"),
	/* 0x35: 0x34 in early Rel-17 versions clashed with the emergency number list above */
	O_TLV1(S, additional_request_result, 0x35, "5GS additional request result"),
	O_BYTES_E(S, nssrg_info, 0x70, 7, 4099, "NSSRG information"),
	O_WAIT(S, disaster_roaming_wait_range, 0x14, "Disaster roaming wait range"),
	O_WAIT(S, disaster_return_wait_range, 0x2c, "Disaster return wait range"),
	O_BYTES(S, disaster_plmn_list, 0x13, 2, 257,
		"List of PLMNs to be used in disaster condition"),
	O_FORBIDDEN_TAIS(S),
	O_ECAG(S),
	O_BYTES_E(S, nsag_info, 0x7c, 9, 3143, "NSAG information"),
};
#undef S

#define S struct sen_nas_registration_complete
static const struct nas_ie reg_cpl[] = { /* 8.2.8 */
	O(S, sor_container, 0x73, NAS_TLV_E, C_BYTES, 20, NOLIMIT, "SOR transparent container"),
};
#undef S

#define S struct sen_nas_registration_reject
static const struct nas_ie reg_rej[] = { /* 8.2.9 */
	M_V(S, cause, C_GMM_CAUSE, 1, "5GMM cause"),
	O(S, t3346, 0x5f, NAS_TLV, C_TIMER, 3, 3, "T3346 value"),
	O(S, t3502, 0x16, NAS_TLV, C_TIMER, 3, 3, "T3502 value"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O(S, rejected_nssai, 0x69, NAS_TLV, C_REJ_NSSAI, 4, 42, "Rejected NSSAI"),
	O_CAG(S),
	O_EXT_REJ_NSSAI(S),
	O_WAIT(S, disaster_return_wait_range, 0x2c, "Disaster return wait range"),
	O_ECAG(S),
	O_TIMER(S, lower_bound_timer, 0x3a, "Lower bound timer value"),
	O_FORBIDDEN_TAIS(S),
};
#undef S

#define S struct sen_nas_ul_nas_transport
static const struct nas_ie ul_nas[] = { /* 8.2.10 */
	M_HALF(S, payload_container_type, "Payload container type"),
	M_SPARE,
	M_LVE(S, payload_container, C_BYTES, 3, NOLIMIT, "Payload container"),
	O(S, pdu_session_id, 0x12, NAS_TV, C_U8, 2, 2, "PDU session ID"),
	O(S, old_pdu_session_id, 0x59, NAS_TV, C_U8, 2, 2, "Old PDU session ID"),
	O_TV1(S, request_type, 0x80, "Request type"),
	O(S, snssai, 0x22, NAS_TLV, C_SNSSAI, 3, 10, "S-NSSAI"),
	O(S, dnn, 0x25, NAS_TLV, C_DNN, 3, 102, "DNN"),
	O(S, additional_info, 0x24, NAS_TLV, C_BYTES, 3, 257, "Additional information"),
	O_TV1(S, ma_pdu_info, 0xa0, "MA PDU session information"),
	O_TV1(S, release_assistance, 0xf0, "Release assistance indication"),
};
#undef S

#define S struct sen_nas_dl_nas_transport
static const struct nas_ie dl_nas[] = { /* 8.2.11 */
	M_HALF(S, payload_container_type, "Payload container type"),
	M_SPARE,
	M_LVE(S, payload_container, C_BYTES, 3, NOLIMIT, "Payload container"),
	O(S, pdu_session_id, 0x12, NAS_TV, C_U8, 2, 2, "PDU session ID"),
	O(S, additional_info, 0x24, NAS_TLV, C_BYTES, 3, 257, "Additional information"),
	O(S, cause, 0x58, NAS_TV, C_GMM_CAUSE, 2, 2, "5GMM cause"),
	O(S, backoff_timer, 0x37, NAS_TLV, C_TIMER, 3, 3, "Back-off timer value"),
	O_TIMER(S, lower_bound_timer, 0x3a, "Lower bound timer value"),
};
#undef S

#define S struct sen_nas_deregistration_request_ue_orig
static const struct nas_ie dereg_req_orig[] = { /* 8.2.12 */
	M_HALF(S, dereg_type, "De-registration type"),
	M_HALF(S, ngksi, "ngKSI"),
	M_LVE(S, mobile_id, C_MOBILE_ID, 3, NOLIMIT, "5GS mobile identity"),
};
#undef S

#define S struct sen_nas_deregistration_request_ue_term
static const struct nas_ie dereg_req_term[] = { /* 8.2.14 */
	M_HALF(S, dereg_type, "De-registration type"),
	M_SPARE,
	O(S, cause, 0x58, NAS_TV, C_GMM_CAUSE, 2, 2, "5GMM cause"),
	O(S, t3346, 0x5f, NAS_TLV, C_TIMER, 3, 3, "T3346 value"),
	O(S, rejected_nssai, 0x6d, NAS_TLV, C_REJ_NSSAI, 4, 42, "Rejected NSSAI"),
	O_CAG(S),
	O_EXT_REJ_NSSAI(S),
	O_WAIT(S, disaster_return_wait_range, 0x2c, "Disaster return wait range"),
	O_ECAG(S),
	O_TIMER(S, lower_bound_timer, 0x3a, "Lower bound timer value"),
	O_FORBIDDEN_TAIS(S),
};
#undef S

#define S struct sen_nas_service_request
static const struct nas_ie svc_req[] = { /* 8.2.16 */
	M_HALF(S, ngksi, "ngKSI"),
	M_HALF(S, service_type, "Service type"),
	M_LVE_ID(S, s_tmsi, 9, 9, "5G-S-TMSI", ID(SEN_NAS_ID_S_TMSI)),
	O(S, ul_data_status, 0x40, NAS_TLV, C_PSI_MAP, 4, 34, "Uplink data status"),
	O(S, pdu_session_status, 0x50, NAS_TLV, C_PSI_MAP, 4, 34, "PDU session status"),
	O(S, allowed_pdu_session_status, 0x25, NAS_TLV, C_PSI_MAP, 4, 34,
	  "Allowed PDU session status"),
	O(S, nas_container, 0x71, NAS_TLV_E, C_BYTES, 4, NOLIMIT, "NAS message container"),
	O_TLV1(S, ue_request_type, 0x29, "UE request type"),
	O_BYTES(S, paging_restriction, 0x28, 3, 35, "Paging restriction"),
};
#undef S

#define S struct sen_nas_service_accept
static const struct nas_ie svc_acc[] = { /* 8.2.17 */
	O(S, pdu_session_status, 0x50, NAS_TLV, C_PSI_MAP, 4, 34, "PDU session status"),
	O(S, reactivation_result, 0x26, NAS_TLV, C_PSI_MAP, 4, 34,
	  "PDU session reactivation result"),
	O(S, reactivation_error, 0x72, NAS_TLV_E, C_BYTES, 5, 515,
	  "PDU session reactivation result error cause"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O(S, t3448, 0x6b, NAS_TLV, C_TIMER, 3, 3, "T3448 value"),
	O_TLV1(S, additional_request_result, 0x34, "5GS additional request result"),
	O_FORBIDDEN_TAIS(S),
};
#undef S

#define S struct sen_nas_service_reject
static const struct nas_ie svc_rej[] = { /* 8.2.18 */
	M_V(S, cause, C_GMM_CAUSE, 1, "5GMM cause"),
	O(S, pdu_session_status, 0x50, NAS_TLV, C_PSI_MAP, 4, 34, "PDU session status"),
	O(S, t3346, 0x5f, NAS_TLV, C_TIMER, 3, 3, "T3346 value"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O(S, t3448, 0x6b, NAS_TLV, C_TIMER, 3, 3, "T3448 value"),
	O_CAG(S),
	O_WAIT(S, disaster_return_wait_range, 0x2c, "Disaster return wait range"),
	O_ECAG(S),
	O_TIMER(S, lower_bound_timer, 0x3a, "Lower bound timer value"),
	O_FORBIDDEN_TAIS(S),
};
#undef S

#define S struct sen_nas_configuration_update_command
static const struct nas_ie cfg_cmd[] = { /* 8.2.19 */
	O_TV1(S, indication, 0xd0, "Configuration update indication"),
	O_ID(S, guti, 0x77, 14, 14, "5G-GUTI", ID(SEN_NAS_ID_GUTI)),
	O(S, tai_list, 0x54, NAS_TLV, C_TAI_LIST, 9, 114, "TAI list"),
	O(S, allowed_nssai, 0x15, NAS_TLV, C_NSSAI, 4, 74, "Allowed NSSAI"),
	O(S, service_area_list, 0x27, NAS_TLV, C_BYTES, 6, 114, "Service area list"),
	O(S, full_name, 0x43, NAS_TLV, C_NAME, 3, 131, "Full name for network"),
	O(S, short_name, 0x45, NAS_TLV, C_NAME, 3, 131, "Short name for network"),
	O(S, local_time_zone, 0x46, NAS_TV, C_U8, 2, 2, "Local time zone"),
	O(S, universal_time, 0x47, NAS_TV, C_FIXED, 8, 8, "Universal time and local time zone"),
	O(S, daylight_saving, 0x49, NAS_TLV, C_U8, 3, 3, "Network daylight saving time"),
	O(S, ladn_info, 0x79, NAS_TLV_E, C_BYTES, 3, 1715, "LADN information"),
	O_TV1(S, mico, 0xb0, "MICO indication"),
	O_TV1(S, network_slicing_ind, 0x90, "Network slicing indication"),
	O(S, configured_nssai, 0x31, NAS_TLV, C_NSSAI, 4, 146, "Configured NSSAI"),
	O(S, rejected_nssai, 0x11, NAS_TLV, C_REJ_NSSAI, 4, 42, "Rejected NSSAI"),
	O_BYTES_E(S, operator_access_categories, 0x76, 3, 8323,
		  "Operator-defined access category definitions"),
	O_TV1(S, sms_indication, 0xf0, "SMS indication"),
	O_TIMER(S, t3447, 0x6c, "T3447 value"),
	O_CAG(S),
	O_BYTES(S, ue_radio_cap_id, 0x67, 3, 257, "UE radio capability ID"),
	O_TV1(S, ue_radio_cap_id_deletion, 0xa0, "UE radio capability ID deletion indication"),
	O_TLV1(S, registration_result, 0x44, "5GS registration result"),
	O_TLV1(S, truncated_s_tmsi_cfg, 0x1b, "Truncated 5G-S-TMSI configuration"),
	O_TV1(S, additional_cfg_indication, 0xc0, "Additional configuration indication"),
	O_EXT_REJ_NSSAI(S),
	O_SLAA(S, 0x72),
	O_BYTES_E(S, nssrg_info, 0x70, 7, 4099, "NSSRG information"),
	O_WAIT(S, disaster_roaming_wait_range, 0x14, "Disaster roaming wait range"),
	O_WAIT(S, disaster_return_wait_range, 0x2c, "Disaster return wait range"),
	O_BYTES(S, disaster_plmn_list, 0x13, 2, 257,
		"List of PLMNs to be used in disaster condition"),
	O_ECAG(S),
	O_BYTES(S, updated_peips_info, 0x1f, 3, 257, "Updated PEIPS assistance information"),
	O_BYTES_E(S, nsag_info, 0x73, 9, 3143, "NSAG information"),
	O_TV1(S, priority_indicator, 0xe0, "Priority indicator"),
};
#undef S

#define S struct sen_nas_authentication_request
static const struct nas_ie auth_req[] = { /* 8.2.1 */
	M_HALF(S, ngksi, "ngKSI"),
	M_SPARE,
	M_LV(S, abba, C_ABBA, 3, 17, "ABBA"),
	O(S, rand, 0x21, NAS_TV, C_FIXED, 17, 17, "Authentication parameter RAND"),
	O(S, autn, 0x20, NAS_TLV, C_FIXED, 18, 18, "Authentication parameter AUTN"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
};
#undef S

#define S struct sen_nas_authentication_response
static const struct nas_ie auth_rsp[] = { /* 8.2.2 */
	O(S, res, 0x2d, NAS_TLV, C_FIXED, 18, 18, "Authentication response parameter"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
};
#undef S

#define S struct sen_nas_authentication_result
static const struct nas_ie auth_res[] = { /* 8.2.3 */
	M_HALF(S, ngksi, "ngKSI"),
	M_SPARE,
	M_LVE(S, eap, C_BYTES, 6, 1502, "EAP message"),
	O(S, abba, 0x38, NAS_TLV, C_ABBA, 4, 18, "ABBA"),
};
#undef S

#define S struct sen_nas_authentication_failure
static const struct nas_ie auth_fail[] = { /* 8.2.4 */
	M_V(S, cause, C_GMM_CAUSE, 1, "5GMM cause"),
	O(S, auts, 0x30, NAS_TLV, C_FIXED, 16, 16, "Authentication failure parameter"),
};
#undef S

#define S struct sen_nas_authentication_reject
static const struct nas_ie auth_rej[] = { /* 8.2.5 */
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
};
#undef S

#define S struct sen_nas_identity_request
static const struct nas_ie id_req[] = { /* 8.2.21 */
	M_HALF(S, identity_type, "Identity type"),
	M_SPARE,
};
#undef S

#define S struct sen_nas_identity_response
static const struct nas_ie id_rsp[] = { /* 8.2.22 */
	M_LVE(S, mobile_id, C_MOBILE_ID, 3, NOLIMIT, "Mobile identity"),
};
#undef S

#define S struct sen_nas_security_mode_command
static const struct nas_ie smc[] = { /* 8.2.25 */
	M_V(S, algs, C_U8, 1, "Selected NAS security algorithms"),
	M_HALF(S, ngksi, "ngKSI"),
	M_SPARE,
	M_LV(S, replayed_ue_sec_cap, C_UE_SEC_CAP, 3, 9, "Replayed UE security capabilities"),
	O_TV1(S, imeisv_request, 0xe0, "IMEISV request"),
	O(S, eps_algs, 0x57, NAS_TV, C_U8, 2, 2, "Selected EPS NAS security algorithms"),
	O(S, additional_sec_info, 0x36, NAS_TLV, C_U8, 3, 3, "Additional 5G security information"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O(S, abba, 0x38, NAS_TLV, C_ABBA, 4, 18, "ABBA"),
	O(S, replayed_s1_ue_sec_cap, 0x19, NAS_TLV, C_OCTETS, 4, 7,
	  "Replayed S1 UE security capabilities"),
};
#undef S

#define S struct sen_nas_security_mode_complete
static const struct nas_ie smc_cpl[] = { /* 8.2.26 */
	O_ID(S, imeisv, 0x77, 12, 12, "IMEISV", ID(SEN_NAS_ID_IMEISV)),
	O(S, nas_container, 0x71, NAS_TLV_E, C_BYTES, 4, NOLIMIT, "NAS message container"),
	/* 5.4.2.3: a PEI that is not an IMEISV: IMEI, MAC address or EUI-64 */
	O_ID(S, non_imeisv_pei, 0x78, 7, NOLIMIT, "non-IMEISV PEI",
	     ID(SEN_NAS_ID_IMEI) | ID(SEN_NAS_ID_MAC) | ID(SEN_NAS_ID_EUI64)),
};
#undef S

#define S struct sen_nas_security_mode_reject
static const struct nas_ie smc_rej[] = { /* 8.2.27 */
	M_V(S, cause, C_GMM_CAUSE, 1, "5GMM cause"),
};
#undef S

#define S struct sen_nas_gmm_status
static const struct nas_ie gmm_status[] = { /* 8.2.29 */
	M_V(S, cause, C_GMM_CAUSE, 1, "5GMM cause"),
};
#undef S

#define S struct sen_nas_notification
static const struct nas_ie notif[] = { /* 8.2.23 */
	M_HALF(S, access_type, "Access type"),
	M_SPARE,
};
#undef S

#define S struct sen_nas_notification_response
static const struct nas_ie notif_rsp[] = { /* 8.2.24 */
	O(S, pdu_session_status, 0x50, NAS_TLV, C_PSI_MAP, 4, 34, "PDU session status"),
};
#undef S

/* ---- 5GSM (8.3) ---- */

#define S struct sen_nas_pdu_session_establishment_request
static const struct nas_ie est_req[] = { /* 8.3.1 */
	M_V(S, integrity_max_rate, C_U16, 2, "Integrity protection maximum data rate"),
	O_TV1(S, pdu_session_type, 0x90, "PDU session type"),
	O_TV1(S, ssc_mode, 0xa0, "SSC mode"),
	O(S, gsm_cap, 0x28, NAS_TLV, C_OCTETS, 3, 15, "5GSM capability"),
	O(S, max_packet_filters, 0x55, NAS_TV, C_U16, 3, 3,
	  "Maximum number of supported packet filters"),
	O_TV1(S, always_on, 0xb0, "Always-on PDU session requested"),
	O(S, dn_request_container, 0x39, NAS_TLV, C_BYTES, 3, 255, "SM PDU DN request container"),
	O(S, epco, 0x7b, NAS_TLV_E, C_EPCO, 4, NOLIMIT, "Extended protocol configuration options"),
	O_BYTES(S, ip_hc_config, 0x66, 5, 257, "IP header compression configuration"),
	O(S, dstt_mac, 0x6e, NAS_TLV, C_FIXED, 8, 8, "DS-TT Ethernet port MAC address"),
	O(S, ue_dstt_residence_time, 0x6f, NAS_TLV, C_FIXED, 10, 10, "UE-DS-TT residence time"),
	O_BYTES_E(S, pmic, 0x74, 8, NOLIMIT, "Port management information container"),
	O_TLV1(S, eth_hc_config, 0x1f, "Ethernet header compression configuration"),
	O(S, suggested_iid, 0x29, NAS_TLV, C_PDU_ADDR, 11, 11, "Suggested interface identifier"),
	O_SLAA(S, 0x72),
	O_BYTES_E(S, requested_mbs, 0x70, 8, NOLIMIT, "Requested MBS container"),
	O_TLV1(S, pdu_session_pair_id, 0x34, "PDU session pair ID"),
	O_TLV1(S, rsn, 0x35, "RSN"),
};
#undef S

#define S struct sen_nas_pdu_session_establishment_accept
static const struct nas_ie est_acc[] = { /* 8.3.2 */
	M_HALF(S, pdu_session_type, "Selected PDU session type"),
	M_HALF(S, ssc_mode, "Selected SSC mode"),
	M_LVE(S, qos_rules, C_QOS_RULES, 6, NOLIMIT, "Authorized QoS rules"),
	M_LV(S, ambr, C_AMBR, 7, 7, "Session AMBR"),
	O(S, cause, 0x59, NAS_TV, C_GSM_CAUSE, 2, 2, "5GSM cause"),
	O(S, pdu_address, 0x29, NAS_TLV, C_PDU_ADDR, 7, 31, "PDU address"),
	O(S, rq_timer, 0x56, NAS_TV, C_TIMER, 2, 2, "RQ timer value"),
	O(S, snssai, 0x22, NAS_TLV, C_SNSSAI, 3, 10, "S-NSSAI"),
	O_TV1(S, always_on, 0x80, "Always-on PDU session indication"),
	O(S, mapped_eps_bearers, 0x75, NAS_TLV_E, C_BYTES, 7, NOLIMIT,
	  "Mapped EPS bearer contexts"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O(S, qos_flows, 0x79, NAS_TLV_E, C_QOS_FLOWS, 6, NOLIMIT,
	  "Authorized QoS flow descriptions"),
	O(S, epco, 0x7b, NAS_TLV_E, C_EPCO, 4, NOLIMIT, "Extended protocol configuration options"),
	O(S, dnn, 0x25, NAS_TLV, C_DNN, 3, 102, "DNN"),
	O(S, gsm_network_feature_support, 0x17, NAS_TLV, C_OCTETS, 3, 15,
	  "5GSM network feature support"),
	O(S, serving_plmn_rate_control, 0x18, NAS_TLV, C_U16, 4, 4, "Serving PLMN rate control"),
	O_BYTES_E(S, atsss, 0x77, 3, NOLIMIT, "ATSSS container"),
	O_TV1(S, cp_only, 0xc0, "Control plane only indication"),
	O_BYTES(S, ip_hc_config, 0x66, 5, 257, "IP header compression configuration"),
	O_TLV1(S, eth_hc_config, 0x1f, "Ethernet header compression configuration"),
	O_SLAA(S, 0x72),
	O_BYTES_E(S, received_mbs, 0x71, 9, NOLIMIT, "Received MBS container"),
};
#undef S

#define S struct sen_nas_pdu_session_establishment_reject
static const struct nas_ie est_rej[] = { /* 8.3.3 */
	M_V(S, cause, C_GSM_CAUSE, 1, "5GSM cause"),
	O(S, backoff_timer, 0x37, NAS_TLV, C_TIMER, 3, 3, "Back-off timer value"),
	O_TV1(S, allowed_ssc_mode, 0xf0, "Allowed SSC mode"),
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	O(S, congestion_reattempt, 0x61, NAS_TLV, C_U8, 3, 3,
	  "5GSM congestion re-attempt indicator"),
	O(S, epco, 0x7b, NAS_TLV_E, C_EPCO, 4, NOLIMIT, "Extended protocol configuration options"),
	O(S, reattempt, 0x1d, NAS_TLV, C_U8, 3, 3, "Re-attempt indicator"),
	O_SLAA(S, 0x72),
};
#undef S

#define S struct sen_nas_pdu_session_modification_request
static const struct nas_ie mod_req[] = { /* 8.3.7 */
	O(S, gsm_cap, 0x28, NAS_TLV, C_OCTETS, 3, 15, "5GSM capability"),
	O(S, cause, 0x59, NAS_TV, C_GSM_CAUSE, 2, 2, "5GSM cause"),
	O(S, max_packet_filters, 0x55, NAS_TV, C_U16, 3, 3,
	  "Maximum number of supported packet filters"),
	O_TV1(S, always_on, 0xb0, "Always-on PDU session requested"),
	O(S, integrity_max_rate, 0x13, NAS_TV, C_U16, 3, 3,
	  "Integrity protection maximum data rate"),
	O(S, qos_rules, 0x7a, NAS_TLV_E, C_QOS_RULES, 7, NOLIMIT, "Requested QoS rules"),
	O(S, qos_flows, 0x79, NAS_TLV_E, C_QOS_FLOWS, 6, NOLIMIT,
	  "Requested QoS flow descriptions"),
	O(S, mapped_eps_bearers, 0x75, NAS_TLV_E, C_BYTES, 7, NOLIMIT,
	  "Mapped EPS bearer contexts"),
	O(S, epco, 0x7b, NAS_TLV_E, C_EPCO, 4, NOLIMIT, "Extended protocol configuration options"),
	O_BYTES_E(S, pmic, 0x74, 4, NOLIMIT, "Port management information container"),
	O_BYTES(S, ip_hc_config, 0x66, 5, 257, "IP header compression configuration"),
	O_TLV1(S, eth_hc_config, 0x1f, "Ethernet header compression configuration"),
	O_BYTES_E(S, requested_mbs, 0x70, 8, NOLIMIT, "Requested MBS container"),
	O_SLAA(S, 0x72),
};
#undef S

#define S struct sen_nas_pdu_session_modification_command
static const struct nas_ie mod_cmd[] = { /* 8.3.9 */
	O(S, cause, 0x59, NAS_TV, C_GSM_CAUSE, 2, 2, "5GSM cause"),
	O(S, ambr, 0x2a, NAS_TLV, C_AMBR, 8, 8, "Session AMBR"),
	O(S, rq_timer, 0x56, NAS_TV, C_TIMER, 2, 2, "RQ timer value"),
	O_TV1(S, always_on, 0x80, "Always-on PDU session indication"),
	O(S, qos_rules, 0x7a, NAS_TLV_E, C_QOS_RULES, 7, NOLIMIT, "Authorized QoS rules"),
	O(S, mapped_eps_bearers, 0x75, NAS_TLV_E, C_BYTES, 7, NOLIMIT,
	  "Mapped EPS bearer contexts"),
	O(S, qos_flows, 0x79, NAS_TLV_E, C_QOS_FLOWS, 6, NOLIMIT,
	  "Authorized QoS flow descriptions"),
	O(S, epco, 0x7b, NAS_TLV_E, C_EPCO, 4, NOLIMIT, "Extended protocol configuration options"),
	O_BYTES_E(S, atsss, 0x77, 3, NOLIMIT, "ATSSS container"),
	O_BYTES(S, ip_hc_config, 0x66, 5, 257, "IP header compression configuration"),
	O_BYTES_E(S, pmic, 0x74, 4, NOLIMIT, "Port management information container"),
	O(S, serving_plmn_rate_control, 0x1e, NAS_TLV, C_U16, 4, 4, "Serving PLMN rate control"),
	O_TLV1(S, eth_hc_config, 0x1f, "Ethernet header compression configuration"),
	O_BYTES_E(S, received_mbs, 0x71, 9, NOLIMIT, "Received MBS container"),
	O_SLAA(S, 0x72),
};
#undef S

/* The 5GSM messages of 8.3.8 - 8.3.16: a cause, a back-off timer, ePCO... */
#define CAUSE_M M_V(S, cause, C_GSM_CAUSE, 1, "5GSM cause")
#define CAUSE_O O(S, cause, 0x59, NAS_TV, C_GSM_CAUSE, 2, 2, "5GSM cause")
#define BACKOFF O(S, backoff_timer, 0x37, NAS_TLV, C_TIMER, 3, 3, "Back-off timer value")
#define CONGEST                                                                                    \
	O(S, congestion_reattempt, 0x61, NAS_TLV, C_U8, 3, 3, "5GSM congestion re-attempt indicator")
#define EPCO O(S, epco, 0x7b, NAS_TLV_E, C_EPCO, 4, NOLIMIT, "Extended protocol configuration options")
#define REATT O(S, reattempt, 0x1d, NAS_TLV, C_U8, 3, 3, "Re-attempt indicator")

#define S struct sen_nas_pdu_session_modification_reject
static const struct nas_ie mod_rej[] = {CAUSE_M, BACKOFF, CONGEST, EPCO, REATT}; /* 8.3.8 */
#undef S
#define S struct sen_nas_pdu_session_modification_complete
static const struct nas_ie mod_cpl[] = { /* 8.3.10, table 8.3.10.1.1 */
	EPCO,
	O_BYTES_E(S, pmic, 0x74, 4, NOLIMIT, "Port management information container"),
};
#undef S
#define S struct sen_nas_pdu_session_modification_command_reject
static const struct nas_ie mod_cmd_rej[] = {CAUSE_M, EPCO}; /* 8.3.11 */
#undef S
#define S struct sen_nas_pdu_session_release_request
static const struct nas_ie rel_req[] = {CAUSE_O, EPCO}; /* 8.3.12 */
#undef S
#define S struct sen_nas_pdu_session_release_reject
static const struct nas_ie rel_rej[] = {CAUSE_M, EPCO}; /* 8.3.13 */
#undef S
#define S struct sen_nas_pdu_session_release_command
static const struct nas_ie rel_cmd[] = { /* 8.3.14 */
	CAUSE_M,
	BACKOFF,
	O(S, eap, 0x78, NAS_TLV_E, C_BYTES, 7, 1503, "EAP message"),
	CONGEST,
	EPCO,
	O(S, access_type, 0xd0, NAS_TV1, C_HALF, 1, 1, "Access type"),
	O_SLAA(S, 0x72),
};
#undef S
#define S struct sen_nas_pdu_session_release_complete
static const struct nas_ie rel_cpl[] = {CAUSE_O, EPCO}; /* 8.3.15 */
#undef S
#define S struct sen_nas_gsm_status
static const struct nas_ie gsm_status[] = {CAUSE_M}; /* 8.3.16 */
#undef S

/* The `gsm` view of struct sen_nas_msg reaches the cause of each of these (nas.h). */
#define SAME_START(T)                                                                              \
	_Static_assert(offsetof(T, cause) == offsetof(struct sen_nas_gsm_simple, cause) &&         \
			   offsetof(T, has_cause) == offsetof(struct sen_nas_gsm_simple, has_cause), \
		       #T " does not begin as struct sen_nas_gsm_simple")
SAME_START(struct sen_nas_pdu_session_modification_reject);
SAME_START(struct sen_nas_pdu_session_modification_command_reject);
SAME_START(struct sen_nas_pdu_session_release_request);
SAME_START(struct sen_nas_pdu_session_release_reject);
SAME_START(struct sen_nas_pdu_session_release_command);
SAME_START(struct sen_nas_pdu_session_release_complete);
SAME_START(struct sen_nas_gsm_status);

static const struct nas_msg_desc msgs[] = {
	MSG(SEN_NAS_EPD_5GMM, 0x41, "Registration request", reg_req),
	MSG(SEN_NAS_EPD_5GMM, 0x42, "Registration accept", reg_acc),
	MSG(SEN_NAS_EPD_5GMM, 0x43, "Registration complete", reg_cpl),
	MSG(SEN_NAS_EPD_5GMM, 0x44, "Registration reject", reg_rej),
	MSG(SEN_NAS_EPD_5GMM, 0x45, "Deregistration request (UE originating)", dereg_req_orig),
	MSG0(SEN_NAS_EPD_5GMM, 0x46, "Deregistration accept (UE originating)"),
	MSG(SEN_NAS_EPD_5GMM, 0x47, "Deregistration request (UE terminated)", dereg_req_term),
	MSG0(SEN_NAS_EPD_5GMM, 0x48, "Deregistration accept (UE terminated)"),
	MSG(SEN_NAS_EPD_5GMM, 0x4c, "Service request", svc_req),
	MSG(SEN_NAS_EPD_5GMM, 0x4d, "Service reject", svc_rej),
	MSG(SEN_NAS_EPD_5GMM, 0x4e, "Service accept", svc_acc),
	MSG(SEN_NAS_EPD_5GMM, 0x54, "Configuration update command", cfg_cmd),
	MSG0(SEN_NAS_EPD_5GMM, 0x55, "Configuration update complete"),
	MSG(SEN_NAS_EPD_5GMM, 0x56, "Authentication request", auth_req),
	MSG(SEN_NAS_EPD_5GMM, 0x57, "Authentication response", auth_rsp),
	MSG(SEN_NAS_EPD_5GMM, 0x58, "Authentication reject", auth_rej),
	MSG(SEN_NAS_EPD_5GMM, 0x59, "Authentication failure", auth_fail),
	MSG(SEN_NAS_EPD_5GMM, 0x5a, "Authentication result", auth_res),
	MSG(SEN_NAS_EPD_5GMM, 0x5b, "Identity request", id_req),
	MSG(SEN_NAS_EPD_5GMM, 0x5c, "Identity response", id_rsp),
	MSG(SEN_NAS_EPD_5GMM, 0x5d, "Security mode command", smc),
	MSG(SEN_NAS_EPD_5GMM, 0x5e, "Security mode complete", smc_cpl),
	MSG(SEN_NAS_EPD_5GMM, 0x5f, "Security mode reject", smc_rej),
	MSG(SEN_NAS_EPD_5GMM, 0x64, "5GMM status", gmm_status),
	MSG(SEN_NAS_EPD_5GMM, 0x65, "Notification", notif),
	MSG(SEN_NAS_EPD_5GMM, 0x66, "Notification response", notif_rsp),
	MSG(SEN_NAS_EPD_5GMM, 0x67, "UL NAS transport", ul_nas),
	MSG(SEN_NAS_EPD_5GMM, 0x68, "DL NAS transport", dl_nas),

	MSG(SEN_NAS_EPD_5GSM, 0xc1, "PDU session establishment request", est_req),
	MSG(SEN_NAS_EPD_5GSM, 0xc2, "PDU session establishment accept", est_acc),
	MSG(SEN_NAS_EPD_5GSM, 0xc3, "PDU session establishment reject", est_rej),
	MSG(SEN_NAS_EPD_5GSM, 0xc9, "PDU session modification request", mod_req),
	MSG(SEN_NAS_EPD_5GSM, 0xca, "PDU session modification reject", mod_rej),
	MSG(SEN_NAS_EPD_5GSM, 0xcb, "PDU session modification command", mod_cmd),
	MSG(SEN_NAS_EPD_5GSM, 0xcc, "PDU session modification complete", mod_cpl),
	MSG(SEN_NAS_EPD_5GSM, 0xcd, "PDU session modification command reject", mod_cmd_rej),
	MSG(SEN_NAS_EPD_5GSM, 0xd1, "PDU session release request", rel_req),
	MSG(SEN_NAS_EPD_5GSM, 0xd2, "PDU session release reject", rel_rej),
	MSG(SEN_NAS_EPD_5GSM, 0xd3, "PDU session release command", rel_cmd),
	MSG(SEN_NAS_EPD_5GSM, 0xd4, "PDU session release complete", rel_cpl),
	MSG(SEN_NAS_EPD_5GSM, 0xd6, "5GSM status", gsm_status),
};

const struct nas_msg_desc *nas_msg_find(uint8_t epd, uint8_t type)
{
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (msgs[i].epd == epd && msgs[i].type == type)
			return &msgs[i];
	return NULL;
}
