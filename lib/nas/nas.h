/*
 * NAS-5GS messages: one C struct per 5GMM and 5GSM message of TS 24.501 clause 8, the
 * information elements of clause 9, and one table-driven decoder and encoder for all of
 * them (IE formats T, V, TV, LV, TLV, LV-E, TLV-E of TS 24.007 11.2.1).
 *
 * Decoding (sen_nas_decode) takes a *plain* NAS message: security header type 0 for
 * 5GMM, or a 5GSM message. Security protected messages go through nas/sec.h first.
 * Input is hostile: every length is checked, nothing is read past the buffer, and the
 * rules of TS 24.501 clause 7 apply:
 *   - message too short for its header, or an unknown EPD: ignored (7.2, 7.3);
 *   - unknown message type: answer 5GMM/5GSM STATUS with cause #97 (7.4);
 *   - missing or malformed mandatory IE: cause #96 (7.5);
 *   - unknown optional IE: skipped by its format as TS 24.007 11.2.4 says (7.6.1), unless
 *     its IEI is "comprehension required" (bits 8..5 = 0000), which is cause #96 (7.6.2);
 *   - a repeated optional IE: only the first one is used (7.6.3);
 *   - a syntactically incorrect optional IE: treated as absent (7.7.2).
 * struct sen_nas_error says which of these happened.
 *
 * Byte strings (struct sen_nas_bytes) in a decoded message point into the input buffer:
 * keep the buffer as long as the message. When encoding they point to the caller's data.
 */
#ifndef SEN_NAS_NAS_H
#define SEN_NAS_NAS_H

#include "crypto/suci.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- header (TS 24.501 9.1 - 9.7) ---- */

#define SEN_NAS_EPD_5GSM 0x2e /* TS 24.007 11.2.3.1.1A */
#define SEN_NAS_EPD_5GMM 0x7e

/* Security header type (TS 24.501 9.3.1). */
enum sen_nas_sht {
	SEN_NAS_SHT_PLAIN = 0,
	SEN_NAS_SHT_INTEGRITY = 1,
	SEN_NAS_SHT_INTEGRITY_CIPHERED = 2,
	SEN_NAS_SHT_INTEGRITY_NEW_CTX = 3,	     /* only Security Mode Command */
	SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX = 4, /* only Security Mode Complete */
};

/* Message types (TS 24.501 9.7, tables 9.7.1 and 9.7.2). */
enum sen_nas_msg_type {
	SEN_NAS_REGISTRATION_REQUEST = 0x41,
	SEN_NAS_REGISTRATION_ACCEPT = 0x42,
	SEN_NAS_REGISTRATION_COMPLETE = 0x43,
	SEN_NAS_REGISTRATION_REJECT = 0x44,
	SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG = 0x45,
	SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG = 0x46,
	SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM = 0x47,
	SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM = 0x48,
	SEN_NAS_SERVICE_REQUEST = 0x4c,
	SEN_NAS_SERVICE_REJECT = 0x4d,
	SEN_NAS_SERVICE_ACCEPT = 0x4e,
	SEN_NAS_CONFIGURATION_UPDATE_COMMAND = 0x54,
	SEN_NAS_CONFIGURATION_UPDATE_COMPLETE = 0x55,
	SEN_NAS_AUTHENTICATION_REQUEST = 0x56,
	SEN_NAS_AUTHENTICATION_RESPONSE = 0x57,
	SEN_NAS_AUTHENTICATION_REJECT = 0x58,
	SEN_NAS_AUTHENTICATION_FAILURE = 0x59,
	SEN_NAS_AUTHENTICATION_RESULT = 0x5a,
	SEN_NAS_IDENTITY_REQUEST = 0x5b,
	SEN_NAS_IDENTITY_RESPONSE = 0x5c,
	SEN_NAS_SECURITY_MODE_COMMAND = 0x5d,
	SEN_NAS_SECURITY_MODE_COMPLETE = 0x5e,
	SEN_NAS_SECURITY_MODE_REJECT = 0x5f,
	SEN_NAS_5GMM_STATUS = 0x64,
	SEN_NAS_NOTIFICATION = 0x65,
	SEN_NAS_NOTIFICATION_RESPONSE = 0x66,
	SEN_NAS_UL_NAS_TRANSPORT = 0x67,
	SEN_NAS_DL_NAS_TRANSPORT = 0x68,

	SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST = 0xc1,
	SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT = 0xc2,
	SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT = 0xc3,
	SEN_NAS_PDU_SESSION_MODIFICATION_REQUEST = 0xc9,
	SEN_NAS_PDU_SESSION_MODIFICATION_REJECT = 0xca,
	SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND = 0xcb,
	SEN_NAS_PDU_SESSION_MODIFICATION_COMPLETE = 0xcc,
	SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND_REJECT = 0xcd,
	SEN_NAS_PDU_SESSION_RELEASE_REQUEST = 0xd1,
	SEN_NAS_PDU_SESSION_RELEASE_REJECT = 0xd2,
	SEN_NAS_PDU_SESSION_RELEASE_COMMAND = 0xd3,
	SEN_NAS_PDU_SESSION_RELEASE_COMPLETE = 0xd4,
	SEN_NAS_5GSM_STATUS = 0xd6,
};

/* Causes the decoder's caller answers with (TS 24.501 9.11.3.2, 9.11.4.2). */
#define SEN_NAS_CAUSE_INVALID_MANDATORY_INFO 96
#define SEN_NAS_CAUSE_MSG_TYPE_NONEXISTENT 97
#define SEN_NAS_CAUSE_CONDITIONAL_IE_ERROR 100

/* ---- information element values (TS 24.501 9.11) ---- */

/* Bytes that belong to someone else (see the file comment). */
struct sen_nas_bytes {
	const uint8_t *p;
	size_t len;
};

/* PLMN identity as decimal digit strings; mnc is 2 or 3 digits (TS 24.008 10.5.1.13). */
struct sen_nas_plmn {
	char mcc[4];
	char mnc[4];
};

/* Type of identity (TS 24.501 9.11.3.4). */
enum sen_nas_id_type {
	SEN_NAS_ID_NONE = 0,
	SEN_NAS_ID_SUCI = 1,
	SEN_NAS_ID_GUTI = 2,
	SEN_NAS_ID_IMEI = 3,
	SEN_NAS_ID_S_TMSI = 4,
	SEN_NAS_ID_IMEISV = 5,
	SEN_NAS_ID_MAC = 6,
	SEN_NAS_ID_EUI64 = 7,
};

struct sen_nas_guti {
	struct sen_nas_plmn plmn;
	uint8_t amf_region_id;
	uint16_t amf_set_id; /* 10 bits */
	uint8_t amf_pointer; /* 6 bits */
	uint32_t tmsi;	     /* 5G-TMSI */
};

/*
 * 5GS mobile identity (9.11.3.4). For a SUCI, struct sen_suci (crypto/suci.h) holds the
 * SUPI format (supi_type 0 IMSI / 1 NAI), routing indicator, scheme, key id and the
 * scheme output bytes; for SUPI format NAI the NAS octets are the SUCI as an NAI
 * (TS 23.003 2.2B) and decode into the same fields.
 */
struct sen_nas_mobile_id {
	uint8_t type; /* enum sen_nas_id_type */
	union {
		struct sen_suci suci;
		struct sen_nas_guti guti; /* also the 5G-S-TMSI (plmn, region unused) */
		char digits[17];	  /* IMEI (15 digits) or IMEISV (16), NUL-terminated */
		struct {
			uint8_t addr[6];
			/* MAC address usage restriction indication: octet 11 bit 1 (always present) */
			bool mauri;
		} mac;
		uint8_t eui64[8];
	};
};

/*
 * S-NSSAI (9.11.2.8). `len` is the length of the contents on the wire and says which
 * fields are present: 1 SST; 2 SST + mapped SST; 4 SST + SD; 5 SST + SD + mapped SST;
 * 8 all four.
 */
struct sen_nas_snssai {
	uint8_t len;
	uint8_t sst;
	uint32_t sd; /* 24 bits */
	uint8_t mapped_sst;
	uint32_t mapped_sd;
};

#define SEN_NAS_NSSAI_MAX 16
struct sen_nas_nssai { /* 9.11.3.37 */
	uint8_t n;
	struct sen_nas_snssai s[SEN_NAS_NSSAI_MAX];
};

/* Rejected NSSAI (9.11.3.46): each S-NSSAI (len 1 or 4) with a cause. */
struct sen_nas_rejected_nssai {
	uint8_t n;
	struct {
		uint8_t cause;
		struct sen_nas_snssai s;
	} r[8];
};

struct sen_nas_tai {
	struct sen_nas_plmn plmn;
	uint32_t tac; /* 24 bits */
};

/*
 * 5GS tracking area identity list (9.11.3.9): up to 16 partial lists. Type 0: n TACs
 * in one PLMN; type 1: n consecutive TACs starting at tai[0] (the decoder fills all n);
 * type 2: n TAIs with their own PLMNs. The encoder uses tai[0].plmn for types 0 and 1,
 * and only tai[0].tac for type 1.
 */
#define SEN_NAS_TAI_MAX 16
struct sen_nas_tai_list {
	uint8_t n;
	struct {
		uint8_t type;
		uint8_t n;
		struct sen_nas_tai tai[SEN_NAS_TAI_MAX];
	} list[SEN_NAS_TAI_MAX];
};

/* PLMN list (9.11.3.45): equivalent PLMNs. */
struct sen_nas_plmn_list {
	uint8_t n;
	struct sen_nas_plmn plmn[16];
};

/*
 * UE security capability (9.11.3.54). Bit 8 of each octet is algorithm 0 (EA0 / IA0),
 * bit 1 algorithm 7. `len` 2 (5G only) or 4 (with EPS); up to 8 (the rest spare).
 */
struct sen_nas_ue_sec_cap {
	uint8_t len;
	uint8_t ea, ia;	  /* 5G-EA0..7, 5G-IA0..7 */
	uint8_t eea, eia; /* EEA0..7, EIA0..7 when len >= 4 */
};
#define SEN_NAS_ALG_BIT(n) ((uint8_t)(0x80u >> (n)))

/* A short IE kept as its octets (flags): 5GMM capability, 5GS network feature support... */
struct sen_nas_octets {
	uint8_t len;
	uint8_t v[16];
};

/*
 * PDU session status, allowed PDU session status, uplink data status, PDU session
 * reactivation result (9.11.3.44, 9.11.3.13, 9.11.3.57, 9.11.3.42): bit n of `psi` is
 * PSI(n). `len` is 2..32 (octets after the first two are spare).
 */
struct sen_nas_psi_map {
	uint8_t len;
	uint16_t psi;
};

/* GPRS timer, GPRS timer 2, GPRS timer 3 (TS 24.008 10.5.7.3, 10.5.7.4, 10.5.7.4a). */
struct sen_nas_timer {
	uint8_t unit;  /* bits 8..6 */
	uint8_t value; /* bits 5..1 */
};

/* Network name (TS 24.008 10.5.3.5a). text holds the coded octets. */
struct sen_nas_network_name {
	uint8_t coding;	    /* 0 GSM 7-bit default alphabet, 1 UCS2 */
	bool add_ci;	    /* add country initials */
	uint8_t spare_bits; /* number of spare bits in the last octet */
	uint8_t len;
	uint8_t text[128];
};

/* Session-AMBR (9.11.4.14). Units per table 9.11.4.14.1 (1 = 1 kbps ... x4 each step). */
struct sen_nas_ambr {
	uint8_t dl_unit;
	uint16_t dl;
	uint8_t ul_unit;
	uint16_t ul;
};

/* PDU session type values (9.11.4.11). */
enum sen_nas_pdu_type {
	SEN_NAS_PDU_IPV4 = 1,
	SEN_NAS_PDU_IPV6 = 2,
	SEN_NAS_PDU_IPV4V6 = 3,
	SEN_NAS_PDU_UNSTRUCTURED = 4,
	SEN_NAS_PDU_ETHERNET = 5,
};

/* PDU address (9.11.4.10). */
struct sen_nas_pdu_addr {
	uint8_t type; /* enum sen_nas_pdu_type: 1, 2 or 3 */
	bool si6lla;  /* SMF's IPv6 link local address present */
	uint8_t ipv4[4];
	uint8_t ipv6_iid[8]; /* IPv6 interface identifier */
	uint8_t smf_ll[16];
};

/* QoS rules (9.11.4.13). */
enum sen_nas_qos_rule_op {
	SEN_NAS_QOS_RULE_CREATE = 1,
	SEN_NAS_QOS_RULE_DELETE = 2,
	SEN_NAS_QOS_RULE_MODIFY_ADD_PF = 3,
	SEN_NAS_QOS_RULE_MODIFY_REPLACE_PF = 4,
	SEN_NAS_QOS_RULE_MODIFY_DELETE_PF = 5,
	SEN_NAS_QOS_RULE_MODIFY_NO_PF = 6,
};

struct sen_nas_packet_filter {
	uint8_t dir; /* 0 pre-Rel-7 TFT, 1 downlink, 2 uplink, 3 bidirectional */
	uint8_t id;  /* 4 bits */
	/* Components (type id + value), checked on decode; empty for "modify, delete PF". */
	struct sen_nas_bytes content;
};

#define SEN_NAS_QOS_RULES_MAX 8
struct sen_nas_qos_rule {
	uint8_t id;
	uint8_t op; /* enum sen_nas_qos_rule_op */
	bool dqr;   /* default QoS rule */
	uint8_t n_pf;
	struct sen_nas_packet_filter pf[15];
	/* precedence and QFI (9.11.4.13): absent for delete, present for create, both or
	 * neither for the modify operations */
	bool has_precedence;
	uint8_t precedence;
	bool has_qfi;
	bool segregation;
	uint8_t qfi; /* 6 bits */
};
struct sen_nas_qos_rules {
	uint8_t n;
	struct sen_nas_qos_rule r[SEN_NAS_QOS_RULES_MAX];
};

/* QoS flow descriptions (9.11.4.12); parameter ids in table 9.11.4.12.1. */
enum sen_nas_qos_param {
	SEN_NAS_QOS_5QI = 1,
	SEN_NAS_QOS_GFBR_UL = 2,
	SEN_NAS_QOS_GFBR_DL = 3,
	SEN_NAS_QOS_MFBR_UL = 4,
	SEN_NAS_QOS_MFBR_DL = 5,
	SEN_NAS_QOS_AVG_WINDOW = 6,
	SEN_NAS_QOS_EBI = 7,
};
#define SEN_NAS_QOS_FLOWS_MAX 8
struct sen_nas_qos_flow {
	uint8_t qfi;
	uint8_t op; /* 1 create, 2 delete, 3 modify */
	bool e_bit; /* parameters list included / replaces */
	uint8_t n_params;
	struct {
		uint8_t id;
		uint8_t len; /* <= 16 */
		uint8_t v[16];
	} param[8];
};
struct sen_nas_qos_flows {
	uint8_t n;
	struct sen_nas_qos_flow f[SEN_NAS_QOS_FLOWS_MAX];
};

/* Extended protocol configuration options (9.11.4.6, TS 24.008 10.5.6.3). */
enum sen_nas_pco_id {
	SEN_NAS_PCO_DNS_IPV6 = 0x0003,
	SEN_NAS_PCO_IP_ALLOC_NAS = 0x000a,
	SEN_NAS_PCO_DNS_IPV4 = 0x000d,
	SEN_NAS_PCO_IPV4_MTU = 0x0010,
};
#define SEN_NAS_PCO_MAX 24
struct sen_nas_epco {
	uint8_t config_proto; /* 0: PPP with IP PDP type */
	uint8_t n;
	struct {
		uint16_t id;
		struct sen_nas_bytes v; /* <= 255 octets: one length octet (TS 24.008 10.5.6.3) */
	} item[SEN_NAS_PCO_MAX];
};

/* DNN (9.11.2.1B) as a dotted name ("internet"); label-encoded on the wire. */
#define SEN_NAS_DNN_MAX 100
struct sen_nas_dnn {
	char name[SEN_NAS_DNN_MAX + 1];
};

#define SEN_NAS_ABBA_MAX 16
struct sen_nas_abba {
	uint8_t len;
	uint8_t v[SEN_NAS_ABBA_MAX];
};

/* ---- messages (TS 24.501 clause 8) ---- */

/* 8.2.6 Registration request */
struct sen_nas_registration_request {
	uint8_t reg_type; /* 9.11.3.7: bit 4 follow-on request, bits 3..1 type */
	uint8_t ngksi;	  /* 9.11.3.32: bit 4 TSC, bits 3..1 key set identifier */
	struct sen_nas_mobile_id mobile_id;
	bool has_non_current_ngksi, has_gmm_cap, has_ue_sec_cap, has_requested_nssai,
	    has_last_tai, has_s1_ue_net_cap, has_ul_data_status, has_pdu_session_status,
	    has_mico, has_ue_status, has_additional_guti, has_allowed_pdu_session_status,
	    has_ue_usage_setting, has_requested_drx, has_eps_nas_container, has_ladn_indication,
	    has_payload_container_type, has_payload_container, has_network_slicing_ind,
	    has_update_type, has_ms_classmark2, has_supported_codecs, has_nas_container,
	    has_eps_bearer_status, has_requested_edrx, has_t3324, has_ue_radio_cap_id,
	    has_requested_mapped_nssai, has_additional_info_requested, has_requested_wus_info,
	    has_n5gc_indication, has_requested_nb_n1_drx, has_ue_request_type,
	    has_paging_restriction, has_service_level_aa, has_nid, has_disaster_plmn,
	    has_requested_peips_info, has_requested_t3512;
	uint8_t non_current_ngksi;
	struct sen_nas_octets gmm_cap;
	struct sen_nas_ue_sec_cap ue_sec_cap;
	struct sen_nas_nssai requested_nssai;
	struct sen_nas_tai last_tai;
	struct sen_nas_octets s1_ue_net_cap;
	struct sen_nas_psi_map ul_data_status;
	struct sen_nas_psi_map pdu_session_status;
	uint8_t mico;
	uint8_t ue_status;
	struct sen_nas_mobile_id additional_guti;
	struct sen_nas_psi_map allowed_pdu_session_status;
	uint8_t ue_usage_setting;
	uint8_t requested_drx;
	struct sen_nas_bytes eps_nas_container;
	struct sen_nas_bytes ladn_indication;
	uint8_t payload_container_type;
	struct sen_nas_bytes payload_container;
	uint8_t network_slicing_ind;
	uint8_t update_type;
	uint8_t ms_classmark2[3];		/* 9.11.3.31C (TS 24.008 10.5.1.6) */
	struct sen_nas_bytes supported_codecs;	/* 9.11.3.51A (TS 24.008 10.5.4.32) */
	struct sen_nas_bytes nas_container; /* NAS message container (ciphered inner msg) */
	struct sen_nas_octets eps_bearer_status;
	struct sen_nas_octets requested_edrx;	/* extended DRX parameters, 9.11.3.26A */
	struct sen_nas_timer t3324;		/* GPRS timer 3 */
	struct sen_nas_bytes ue_radio_cap_id;	/* 9.11.3.68 */
	struct sen_nas_bytes requested_mapped_nssai; /* mapped NSSAI, 9.11.3.31B */
	uint8_t additional_info_requested;	/* 9.11.3.12A */
	struct sen_nas_bytes requested_wus_info; /* WUS assistance information, 9.11.3.71 */
	uint8_t n5gc_indication;		/* 9.11.3.72 */
	uint8_t requested_nb_n1_drx;		/* 9.11.3.73 */
	uint8_t ue_request_type;		/* 9.11.3.76 */
	struct sen_nas_bytes paging_restriction; /* 9.11.3.77 */
	struct sen_nas_bytes service_level_aa;	/* service-level-AA container, 9.11.2.10 */
	uint8_t nid[6];				/* 9.11.3.79 */
	struct sen_nas_plmn disaster_plmn;	/* MS determined PLMN with disaster condition */
	struct sen_nas_bytes requested_peips_info; /* PEIPS assistance information, 9.11.3.80 */
	struct sen_nas_timer requested_t3512;	/* GPRS timer 3 */
};

/* 8.2.7 Registration accept */
struct sen_nas_registration_accept {
	uint8_t result; /* 9.11.3.6 octet 3 */
	bool has_guti, has_equivalent_plmns, has_tai_list, has_allowed_nssai, has_rejected_nssai,
	    has_configured_nssai, has_network_feature_support, has_pdu_session_status,
	    has_reactivation_result, has_reactivation_error, has_ladn_info, has_mico,
	    has_network_slicing_ind, has_service_area_list, has_t3512, has_non3gpp_dereg_timer,
	    has_t3502, has_emergency_numbers, has_extended_emergency_numbers, has_sor_container,
	    has_eap, has_nssai_inclusion_mode, has_operator_access_categories,
	    has_negotiated_drx, has_non3gpp_nw_policies, has_eps_bearer_status,
	    has_negotiated_edrx, has_t3447, has_t3448, has_t3324, has_ue_radio_cap_id,
	    has_ue_radio_cap_id_deletion, has_pending_nssai, has_ciphering_key_data,
	    has_cag_info_list, has_truncated_s_tmsi_cfg, has_negotiated_wus_info,
	    has_negotiated_nb_n1_drx, has_extended_rejected_nssai, has_service_level_aa,
	    has_negotiated_peips_info, has_additional_request_result, has_nssrg_info,
	    has_disaster_roaming_wait_range, has_disaster_return_wait_range,
	    has_disaster_plmn_list, has_forbidden_tai_roaming, has_forbidden_tai_rpos,
	    has_extended_cag_info_list, has_nsag_info;
	struct sen_nas_mobile_id guti;
	struct sen_nas_plmn_list equivalent_plmns;
	struct sen_nas_tai_list tai_list;
	struct sen_nas_nssai allowed_nssai;
	struct sen_nas_rejected_nssai rejected_nssai;
	struct sen_nas_nssai configured_nssai;
	struct sen_nas_octets network_feature_support;
	struct sen_nas_psi_map pdu_session_status;
	struct sen_nas_psi_map reactivation_result;
	struct sen_nas_bytes reactivation_error;
	struct sen_nas_bytes ladn_info;
	uint8_t mico;
	uint8_t network_slicing_ind;
	struct sen_nas_bytes service_area_list;
	struct sen_nas_timer t3512;		/* GPRS timer 3 */
	struct sen_nas_timer non3gpp_dereg_timer; /* GPRS timer 2 */
	struct sen_nas_timer t3502;		/* GPRS timer 2 */
	struct sen_nas_bytes emergency_numbers;
	struct sen_nas_bytes extended_emergency_numbers; /* 9.11.3.26 */
	struct sen_nas_bytes sor_container;
	struct sen_nas_bytes eap;
	uint8_t nssai_inclusion_mode;
	struct sen_nas_bytes operator_access_categories; /* 9.11.3.38 */
	uint8_t negotiated_drx;
	uint8_t non3gpp_nw_policies;			/* 9.11.3.36A */
	struct sen_nas_octets eps_bearer_status;
	struct sen_nas_octets negotiated_edrx;		/* 9.11.3.26A */
	struct sen_nas_timer t3447;			/* GPRS timer 3 */
	struct sen_nas_timer t3448;			/* GPRS timer 2 */
	struct sen_nas_timer t3324;			/* GPRS timer 3 */
	struct sen_nas_bytes ue_radio_cap_id;		/* 9.11.3.68 */
	uint8_t ue_radio_cap_id_deletion;		/* 9.11.3.69 */
	struct sen_nas_nssai pending_nssai;
	struct sen_nas_bytes ciphering_key_data;	/* 9.11.3.18C */
	struct sen_nas_bytes cag_info_list;		/* 9.11.3.18A */
	uint8_t truncated_s_tmsi_cfg;			/* 9.11.3.70 */
	struct sen_nas_bytes negotiated_wus_info;	/* 9.11.3.71 */
	uint8_t negotiated_nb_n1_drx;			/* 9.11.3.73 */
	struct sen_nas_bytes extended_rejected_nssai;	/* 9.11.3.75 */
	struct sen_nas_bytes service_level_aa;		/* 9.11.2.10 */
	struct sen_nas_bytes negotiated_peips_info;	/* 9.11.3.80 */
	uint8_t additional_request_result;		/* 9.11.3.81 */
	struct sen_nas_bytes nssrg_info;		/* 9.11.3.82 */
	uint16_t disaster_roaming_wait_range;		/* registration wait range, 9.11.3.84 */
	uint16_t disaster_return_wait_range;
	struct sen_nas_bytes disaster_plmn_list;	/* 9.11.3.83 */
	struct sen_nas_tai_list forbidden_tai_roaming;	/* "5GS forbidden TAs for roaming" */
	struct sen_nas_tai_list forbidden_tai_rpos;	/* "... for regional provision of service" */
	struct sen_nas_bytes extended_cag_info_list;	/* 9.11.3.86 */
	struct sen_nas_bytes nsag_info;			/* 9.11.3.87 */
};

/* 8.2.8 Registration complete */
struct sen_nas_registration_complete {
	bool has_sor_container;
	struct sen_nas_bytes sor_container;
};

/* 8.2.9 Registration reject */
struct sen_nas_registration_reject {
	uint8_t cause;
	bool has_t3346, has_t3502, has_eap, has_rejected_nssai, has_cag_info_list,
	    has_extended_rejected_nssai, has_disaster_return_wait_range,
	    has_extended_cag_info_list, has_lower_bound_timer, has_forbidden_tai_roaming,
	    has_forbidden_tai_rpos;
	struct sen_nas_timer t3346, t3502;
	struct sen_nas_bytes eap;
	struct sen_nas_rejected_nssai rejected_nssai;
	struct sen_nas_bytes cag_info_list;
	struct sen_nas_bytes extended_rejected_nssai;
	uint16_t disaster_return_wait_range;
	struct sen_nas_bytes extended_cag_info_list;
	struct sen_nas_timer lower_bound_timer; /* GPRS timer 3 */
	struct sen_nas_tai_list forbidden_tai_roaming, forbidden_tai_rpos;
};

/* 8.2.10 UL NAS transport */
struct sen_nas_ul_nas_transport {
	uint8_t payload_container_type; /* 9.11.3.40: 1 N1 SM information, 2 SMS, ... */
	struct sen_nas_bytes payload_container;
	bool has_pdu_session_id, has_old_pdu_session_id, has_request_type, has_snssai, has_dnn,
	    has_additional_info, has_ma_pdu_info, has_release_assistance;
	uint8_t pdu_session_id;
	uint8_t old_pdu_session_id;
	uint8_t request_type; /* 9.11.3.47: 1 initial request, 2 existing, ... */
	struct sen_nas_snssai snssai;
	struct sen_nas_dnn dnn;
	struct sen_nas_bytes additional_info;
	uint8_t ma_pdu_info;
	uint8_t release_assistance;
};

/* 8.2.11 DL NAS transport */
struct sen_nas_dl_nas_transport {
	uint8_t payload_container_type;
	struct sen_nas_bytes payload_container;
	bool has_pdu_session_id, has_additional_info, has_cause, has_backoff_timer,
	    has_lower_bound_timer;
	uint8_t pdu_session_id;
	struct sen_nas_bytes additional_info;
	uint8_t cause;
	struct sen_nas_timer backoff_timer;	/* GPRS timer 3 */
	struct sen_nas_timer lower_bound_timer; /* GPRS timer 3 (Rel-17) */
};

/* 8.2.12 De-registration request (UE originating) */
struct sen_nas_deregistration_request_ue_orig {
	uint8_t dereg_type; /* 9.11.3.20: bit 4 switch off, bit 3 re-registration, 2..1 access */
	uint8_t ngksi;
	struct sen_nas_mobile_id mobile_id;
};

/* 8.2.14 De-registration request (UE terminated) */
struct sen_nas_deregistration_request_ue_term {
	uint8_t dereg_type;
	bool has_cause, has_t3346, has_rejected_nssai, has_cag_info_list,
	    has_extended_rejected_nssai, has_disaster_return_wait_range,
	    has_extended_cag_info_list, has_lower_bound_timer, has_forbidden_tai_roaming,
	    has_forbidden_tai_rpos;
	uint8_t cause;
	struct sen_nas_timer t3346;
	struct sen_nas_rejected_nssai rejected_nssai;
	struct sen_nas_bytes cag_info_list;
	struct sen_nas_bytes extended_rejected_nssai;
	uint16_t disaster_return_wait_range;
	struct sen_nas_bytes extended_cag_info_list;
	struct sen_nas_timer lower_bound_timer;
	struct sen_nas_tai_list forbidden_tai_roaming, forbidden_tai_rpos;
};

/* 8.2.16 Service request */
struct sen_nas_service_request {
	uint8_t ngksi;
	uint8_t service_type; /* 9.11.3.50 */
	struct sen_nas_mobile_id s_tmsi;
	bool has_ul_data_status, has_pdu_session_status, has_allowed_pdu_session_status,
	    has_nas_container, has_ue_request_type, has_paging_restriction;
	struct sen_nas_psi_map ul_data_status;
	struct sen_nas_psi_map pdu_session_status;
	struct sen_nas_psi_map allowed_pdu_session_status;
	struct sen_nas_bytes nas_container;
	uint8_t ue_request_type;		 /* 9.11.3.76 */
	struct sen_nas_bytes paging_restriction; /* 9.11.3.77 */
};

/* 8.2.17 Service accept */
struct sen_nas_service_accept {
	bool has_pdu_session_status, has_reactivation_result, has_reactivation_error, has_eap,
	    has_t3448, has_additional_request_result, has_forbidden_tai_roaming,
	    has_forbidden_tai_rpos;
	struct sen_nas_psi_map pdu_session_status;
	struct sen_nas_psi_map reactivation_result;
	struct sen_nas_bytes reactivation_error;
	struct sen_nas_bytes eap;
	struct sen_nas_timer t3448;
	uint8_t additional_request_result; /* 9.11.3.81 */
	struct sen_nas_tai_list forbidden_tai_roaming, forbidden_tai_rpos;
};

/* 8.2.18 Service reject */
struct sen_nas_service_reject {
	uint8_t cause;
	bool has_pdu_session_status, has_t3346, has_eap, has_t3448, has_cag_info_list,
	    has_disaster_return_wait_range, has_extended_cag_info_list, has_lower_bound_timer,
	    has_forbidden_tai_roaming, has_forbidden_tai_rpos;
	struct sen_nas_psi_map pdu_session_status;
	struct sen_nas_timer t3346;
	struct sen_nas_bytes eap;
	struct sen_nas_timer t3448;
	struct sen_nas_bytes cag_info_list;
	uint16_t disaster_return_wait_range;
	struct sen_nas_bytes extended_cag_info_list;
	struct sen_nas_timer lower_bound_timer;
	struct sen_nas_tai_list forbidden_tai_roaming, forbidden_tai_rpos;
};

/* 8.2.19 Configuration update command */
struct sen_nas_configuration_update_command {
	bool has_indication, has_guti, has_tai_list, has_allowed_nssai, has_service_area_list,
	    has_full_name, has_short_name, has_local_time_zone, has_universal_time,
	    has_daylight_saving, has_ladn_info, has_mico, has_network_slicing_ind,
	    has_configured_nssai, has_rejected_nssai, has_operator_access_categories,
	    has_sms_indication, has_t3447, has_cag_info_list, has_ue_radio_cap_id,
	    has_ue_radio_cap_id_deletion, has_registration_result, has_truncated_s_tmsi_cfg,
	    has_additional_cfg_indication, has_extended_rejected_nssai, has_service_level_aa,
	    has_nssrg_info, has_disaster_roaming_wait_range, has_disaster_return_wait_range,
	    has_disaster_plmn_list, has_extended_cag_info_list, has_updated_peips_info,
	    has_nsag_info, has_priority_indicator;
	uint8_t indication; /* 9.11.3.18: bit 2 registration requested, bit 1 ack requested */
	struct sen_nas_mobile_id guti;
	struct sen_nas_tai_list tai_list;
	struct sen_nas_nssai allowed_nssai;
	struct sen_nas_bytes service_area_list;
	struct sen_nas_network_name full_name, short_name;
	uint8_t local_time_zone;
	uint8_t universal_time[7];
	uint8_t daylight_saving;
	struct sen_nas_bytes ladn_info;
	uint8_t mico;
	uint8_t network_slicing_ind;
	struct sen_nas_nssai configured_nssai;
	struct sen_nas_rejected_nssai rejected_nssai;
	struct sen_nas_bytes operator_access_categories;
	uint8_t sms_indication;
	struct sen_nas_timer t3447;
	struct sen_nas_bytes cag_info_list;
	struct sen_nas_bytes ue_radio_cap_id;
	uint8_t ue_radio_cap_id_deletion;
	uint8_t registration_result;	   /* 9.11.3.6 octet 3 */
	uint8_t truncated_s_tmsi_cfg;
	uint8_t additional_cfg_indication; /* 9.11.3.74 */
	struct sen_nas_bytes extended_rejected_nssai;
	struct sen_nas_bytes service_level_aa;
	struct sen_nas_bytes nssrg_info;
	uint16_t disaster_roaming_wait_range, disaster_return_wait_range;
	struct sen_nas_bytes disaster_plmn_list;
	struct sen_nas_bytes extended_cag_info_list;
	struct sen_nas_bytes updated_peips_info;
	struct sen_nas_bytes nsag_info;
	uint8_t priority_indicator; /* 9.11.3.91 */
};

/* 8.2.1 Authentication request */
struct sen_nas_authentication_request {
	uint8_t ngksi;
	struct sen_nas_abba abba;
	bool has_rand, has_autn, has_eap;
	uint8_t rand[16];
	uint8_t autn[16];
	struct sen_nas_bytes eap;
};

/* 8.2.2 Authentication response */
struct sen_nas_authentication_response {
	bool has_res, has_eap;
	uint8_t res[16]; /* RES* */
	struct sen_nas_bytes eap;
};

/* 8.2.3 Authentication result */
struct sen_nas_authentication_result {
	uint8_t ngksi;
	struct sen_nas_bytes eap;
	bool has_abba;
	struct sen_nas_abba abba;
};

/* 8.2.4 Authentication failure */
struct sen_nas_authentication_failure {
	uint8_t cause;
	bool has_auts;
	uint8_t auts[14];
};

/* 8.2.5 Authentication reject */
struct sen_nas_authentication_reject {
	bool has_eap;
	struct sen_nas_bytes eap;
};

/* 8.2.21 Identity request */
struct sen_nas_identity_request {
	uint8_t identity_type; /* enum sen_nas_id_type */
};

/* 8.2.22 Identity response */
struct sen_nas_identity_response {
	struct sen_nas_mobile_id mobile_id;
};

/* 8.2.25 Security mode command */
struct sen_nas_security_mode_command {
	uint8_t algs; /* 9.11.3.34: bits 8..5 ciphering (5G-EA), bits 4..1 integrity (5G-IA) */
	uint8_t ngksi;
	struct sen_nas_ue_sec_cap replayed_ue_sec_cap;
	bool has_imeisv_request, has_eps_algs, has_additional_sec_info, has_eap, has_abba,
	    has_replayed_s1_ue_sec_cap;
	uint8_t imeisv_request;
	uint8_t eps_algs;
	uint8_t additional_sec_info;
	struct sen_nas_bytes eap;
	struct sen_nas_abba abba;
	struct sen_nas_octets replayed_s1_ue_sec_cap;
};

/* 8.2.26 Security mode complete */
struct sen_nas_security_mode_complete {
	bool has_imeisv, has_nas_container, has_non_imeisv_pei;
	struct sen_nas_mobile_id imeisv;
	struct sen_nas_bytes nas_container;
	struct sen_nas_mobile_id non_imeisv_pei;
};

/* 8.2.27 Security mode reject */
struct sen_nas_security_mode_reject {
	uint8_t cause;
};

/* 8.2.29 5GMM status */
struct sen_nas_gmm_status {
	uint8_t cause;
};

/* 8.2.23 Notification */
struct sen_nas_notification {
	uint8_t access_type; /* 9.11.2.1A: 1 3GPP, 2 non-3GPP */
};

/* 8.2.24 Notification response */
struct sen_nas_notification_response {
	bool has_pdu_session_status;
	struct sen_nas_psi_map pdu_session_status;
};

/* 8.3.1 PDU session establishment request */
struct sen_nas_pdu_session_establishment_request {
	uint16_t integrity_max_rate; /* 9.11.4.7: octet UL, octet DL */
	bool has_pdu_session_type, has_ssc_mode, has_gsm_cap, has_max_packet_filters,
	    has_always_on, has_dn_request_container, has_epco, has_ip_hc_config, has_dstt_mac,
	    has_ue_dstt_residence_time, has_pmic, has_eth_hc_config, has_suggested_iid,
	    has_service_level_aa, has_requested_mbs, has_pdu_session_pair_id, has_rsn;
	uint8_t pdu_session_type;
	uint8_t ssc_mode;
	struct sen_nas_octets gsm_cap;
	uint16_t max_packet_filters; /* 9.11.4.9 as on the wire: the number is the value >> 5 */
	uint8_t always_on;
	struct sen_nas_bytes dn_request_container;
	struct sen_nas_epco epco;
	struct sen_nas_bytes ip_hc_config;	/* IP header compression configuration, 9.11.4.24 */
	uint8_t dstt_mac[6];			/* DS-TT Ethernet port MAC address, 9.11.4.25 */
	uint8_t ue_dstt_residence_time[8];	/* 9.11.4.26 */
	struct sen_nas_bytes pmic;		/* port management information container, 9.11.4.27 */
	uint8_t eth_hc_config;			/* Ethernet header compression configuration, 9.11.4.28 */
	struct sen_nas_pdu_addr suggested_iid;	/* suggested interface identifier (IPv6) */
	struct sen_nas_bytes service_level_aa;	/* 9.11.2.10 */
	struct sen_nas_bytes requested_mbs;	/* requested MBS container, 9.11.4.30 */
	uint8_t pdu_session_pair_id;		/* 9.11.4.32 */
	uint8_t rsn;				/* redundancy sequence number, 9.11.4.33 */
};

/* 8.3.2 PDU session establishment accept */
struct sen_nas_pdu_session_establishment_accept {
	uint8_t pdu_session_type;
	uint8_t ssc_mode;
	struct sen_nas_qos_rules qos_rules;
	struct sen_nas_ambr ambr;
	bool has_cause, has_pdu_address, has_rq_timer, has_snssai, has_always_on,
	    has_mapped_eps_bearers, has_eap, has_qos_flows, has_epco, has_dnn,
	    has_gsm_network_feature_support, has_serving_plmn_rate_control, has_atsss,
	    has_cp_only, has_ip_hc_config, has_eth_hc_config, has_service_level_aa,
	    has_received_mbs;
	uint8_t cause;
	struct sen_nas_pdu_addr pdu_address;
	struct sen_nas_timer rq_timer;
	struct sen_nas_snssai snssai;
	uint8_t always_on;
	struct sen_nas_bytes mapped_eps_bearers;
	struct sen_nas_bytes eap;
	struct sen_nas_qos_flows qos_flows;
	struct sen_nas_epco epco;
	struct sen_nas_dnn dnn;
	struct sen_nas_octets gsm_network_feature_support; /* 9.11.4.18 */
	uint16_t serving_plmn_rate_control;		   /* 9.11.4.20 */
	struct sen_nas_bytes atsss;			   /* ATSSS container, 9.11.4.22 */
	uint8_t cp_only;				   /* control plane only indication */
	struct sen_nas_bytes ip_hc_config;
	uint8_t eth_hc_config;
	struct sen_nas_bytes service_level_aa;
	struct sen_nas_bytes received_mbs; /* received MBS container, 9.11.4.31 */
};

/* 8.3.3 PDU session establishment reject */
struct sen_nas_pdu_session_establishment_reject {
	uint8_t cause;
	bool has_backoff_timer, has_allowed_ssc_mode, has_eap, has_congestion_reattempt, has_epco,
	    has_reattempt, has_service_level_aa;
	struct sen_nas_timer backoff_timer;
	uint8_t allowed_ssc_mode;
	struct sen_nas_bytes eap;
	uint8_t congestion_reattempt;
	struct sen_nas_epco epco;
	uint8_t reattempt;
	struct sen_nas_bytes service_level_aa;
};

/* 8.3.7 PDU session modification request */
struct sen_nas_pdu_session_modification_request {
	bool has_gsm_cap, has_cause, has_max_packet_filters, has_always_on,
	    has_integrity_max_rate, has_qos_rules, has_qos_flows, has_mapped_eps_bearers, has_epco,
	    has_pmic, has_ip_hc_config, has_eth_hc_config, has_requested_mbs, has_service_level_aa;
	struct sen_nas_octets gsm_cap;
	uint8_t cause;
	uint16_t max_packet_filters;
	uint8_t always_on;
	uint16_t integrity_max_rate;
	struct sen_nas_qos_rules qos_rules;
	struct sen_nas_qos_flows qos_flows;
	struct sen_nas_bytes mapped_eps_bearers;
	struct sen_nas_epco epco;
	struct sen_nas_bytes pmic;
	struct sen_nas_bytes ip_hc_config;
	uint8_t eth_hc_config;
	struct sen_nas_bytes requested_mbs;
	struct sen_nas_bytes service_level_aa;
};

/* 8.3.9 PDU session modification command */
struct sen_nas_pdu_session_modification_command {
	bool has_cause, has_ambr, has_rq_timer, has_always_on, has_qos_rules,
	    has_mapped_eps_bearers, has_qos_flows, has_epco, has_atsss, has_ip_hc_config, has_pmic,
	    has_serving_plmn_rate_control, has_eth_hc_config, has_received_mbs,
	    has_service_level_aa;
	uint8_t cause;
	struct sen_nas_ambr ambr;
	struct sen_nas_timer rq_timer;
	uint8_t always_on;
	struct sen_nas_qos_rules qos_rules;
	struct sen_nas_bytes mapped_eps_bearers;
	struct sen_nas_qos_flows qos_flows;
	struct sen_nas_epco epco;
	struct sen_nas_bytes atsss;
	struct sen_nas_bytes ip_hc_config;
	struct sen_nas_bytes pmic;
	uint16_t serving_plmn_rate_control;
	uint8_t eth_hc_config;
	struct sen_nas_bytes received_mbs;
	struct sen_nas_bytes service_level_aa;
};

/*
 * The 5GSM messages below each have their own struct. Those that carry a 5GSM cause
 * begin with `uint8_t cause; bool has_cause;` (has_cause matters only where the cause
 * is optional: release request and release complete), so that the cause can also be
 * reached through the `gsm` member of struct sen_nas_msg (struct sen_nas_gsm_simple)
 * whichever of them the message is.
 */

/* 8.3.8 PDU session modification reject */
struct sen_nas_pdu_session_modification_reject {
	uint8_t cause;
	bool has_cause; /* unused: the cause is mandatory */
	bool has_backoff_timer, has_congestion_reattempt, has_epco, has_reattempt;
	struct sen_nas_timer backoff_timer;
	uint8_t congestion_reattempt;
	struct sen_nas_epco epco;
	uint8_t reattempt;
};

/* 8.3.10 PDU session modification complete */
struct sen_nas_pdu_session_modification_complete {
	bool has_epco, has_pmic;
	struct sen_nas_epco epco;
	struct sen_nas_bytes pmic; /* port management information container, 9.11.4.27 */
};

/* 8.3.11 PDU session modification command reject */
struct sen_nas_pdu_session_modification_command_reject {
	uint8_t cause;
	bool has_cause; /* unused: the cause is mandatory */
	bool has_epco;
	struct sen_nas_epco epco;
};

/* 8.3.12 PDU session release request */
struct sen_nas_pdu_session_release_request {
	uint8_t cause;
	bool has_cause;
	bool has_epco;
	struct sen_nas_epco epco;
};

/* 8.3.13 PDU session release reject */
struct sen_nas_pdu_session_release_reject {
	uint8_t cause;
	bool has_cause; /* unused: the cause is mandatory */
	bool has_epco;
	struct sen_nas_epco epco;
};

/* 8.3.14 PDU session release command */
struct sen_nas_pdu_session_release_command {
	uint8_t cause;
	bool has_cause; /* unused: the cause is mandatory */
	bool has_backoff_timer, has_eap, has_congestion_reattempt, has_epco, has_access_type,
	    has_service_level_aa;
	struct sen_nas_timer backoff_timer;
	struct sen_nas_bytes eap;
	uint8_t congestion_reattempt;
	struct sen_nas_epco epco;
	uint8_t access_type;
	struct sen_nas_bytes service_level_aa; /* 9.11.2.10 */
};

/* 8.3.15 PDU session release complete */
struct sen_nas_pdu_session_release_complete {
	uint8_t cause;
	bool has_cause;
	bool has_epco;
	struct sen_nas_epco epco;
};

/* 8.3.16 5GSM status */
struct sen_nas_gsm_status {
	uint8_t cause;
	bool has_cause; /* unused: the cause is mandatory */
};

/*
 * The 5GSM cause of any of the messages above but modification complete, as the older
 * `gsm` member of struct sen_nas_msg: the common initial members of those structs.
 */
struct sen_nas_gsm_simple {
	uint8_t cause;
	bool has_cause;
};

/* One NAS message. For 5GMM, pdu_session_id and pti are unused. */
struct sen_nas_msg {
	uint8_t epd;		/* SEN_NAS_EPD_5GMM or SEN_NAS_EPD_5GSM */
	uint8_t pdu_session_id; /* 5GSM header (9.4) */
	uint8_t pti;		/* 5GSM header (9.6) */
	uint8_t type;		/* enum sen_nas_msg_type */
	union {
		struct sen_nas_registration_request registration_request;
		struct sen_nas_registration_accept registration_accept;
		struct sen_nas_registration_complete registration_complete;
		struct sen_nas_registration_reject registration_reject;
		struct sen_nas_ul_nas_transport ul_nas_transport;
		struct sen_nas_dl_nas_transport dl_nas_transport;
		struct sen_nas_deregistration_request_ue_orig deregistration_request_ue_orig;
		struct sen_nas_deregistration_request_ue_term deregistration_request_ue_term;
		struct sen_nas_service_request service_request;
		struct sen_nas_service_accept service_accept;
		struct sen_nas_service_reject service_reject;
		struct sen_nas_configuration_update_command configuration_update_command;
		struct sen_nas_authentication_request authentication_request;
		struct sen_nas_authentication_response authentication_response;
		struct sen_nas_authentication_result authentication_result;
		struct sen_nas_authentication_failure authentication_failure;
		struct sen_nas_authentication_reject authentication_reject;
		struct sen_nas_identity_request identity_request;
		struct sen_nas_identity_response identity_response;
		struct sen_nas_security_mode_command security_mode_command;
		struct sen_nas_security_mode_complete security_mode_complete;
		struct sen_nas_security_mode_reject security_mode_reject;
		struct sen_nas_gmm_status gmm_status;
		struct sen_nas_notification notification;
		struct sen_nas_notification_response notification_response;
		struct sen_nas_pdu_session_establishment_request pdu_session_establishment_request;
		struct sen_nas_pdu_session_establishment_accept pdu_session_establishment_accept;
		struct sen_nas_pdu_session_establishment_reject pdu_session_establishment_reject;
		struct sen_nas_pdu_session_modification_request pdu_session_modification_request;
		struct sen_nas_pdu_session_modification_command pdu_session_modification_command;
		struct sen_nas_pdu_session_modification_reject pdu_session_modification_reject;
		struct sen_nas_pdu_session_modification_complete pdu_session_modification_complete;
		struct sen_nas_pdu_session_modification_command_reject
		    pdu_session_modification_command_reject;
		struct sen_nas_pdu_session_release_request pdu_session_release_request;
		struct sen_nas_pdu_session_release_reject pdu_session_release_reject;
		struct sen_nas_pdu_session_release_command pdu_session_release_command;
		struct sen_nas_pdu_session_release_complete pdu_session_release_complete;
		struct sen_nas_gsm_status gsm_status;
		/* the cause of any of the 5GSM messages just above (see sen_nas_gsm_simple) */
		struct sen_nas_gsm_simple gsm;
	};
};

/* ---- decode / encode ---- */

/* What went wrong, in the terms of TS 24.501 clause 7. */
enum sen_nas_fault {
	SEN_NAS_FAULT_NONE = 0,
	SEN_NAS_FAULT_TOO_SHORT,	 /* 7.2: shorter than its header: ignore */
	SEN_NAS_FAULT_EPD,		 /* 7.3: unknown EPD or protected where plain expected: ignore */
	SEN_NAS_FAULT_MSG_TYPE,		 /* 7.4: unknown message type: cause #97 */
	SEN_NAS_FAULT_MANDATORY,	 /* 7.5, 7.6.2: invalid mandatory information: cause #96 */
};

struct sen_nas_error {
	enum sen_nas_fault fault;
	uint8_t cause;	     /* cause to answer with (96, 97), 0 when the message is ignored */
	uint8_t msg_type;    /* message type octet when known */
	uint8_t iei;	     /* IEI of the faulty IE, 0 for a mandatory V/LV IE */
	const char *msg;     /* message name ("Registration request"), never NULL */
	const char *ie;	     /* IE name or "" */
	const char *problem; /* what is wrong, never NULL */
	size_t offset;	     /* octet offset in the input (from its octet 0) of the faulty IE */
	/*
	 * Optional IEs dropped under 7.6/7.7 (skipped unknown, repeated, or malformed). On a
	 * successful decode with ignored > 0, iei / ie / problem / offset name the first one.
	 */
	unsigned ignored;
};

/*
 * Decode the plain NAS message buf[len] into *msg (overwritten). err may be NULL; it is
 * filled on success too (fault NONE, ignored count). Returns 0, or:
 *   -SEN_EMSGSIZE  too short for the header (fault TOO_SHORT)
 *   -SEN_EPROTO    unknown EPD or security header type != 0 (fault EPD), or a
 *                  missing / malformed mandatory IE (fault MANDATORY, cause 96)
 *   -SEN_ENOTSUP   message type non-existent or not implemented (fault MSG_TYPE, cause 97)
 */
int sen_nas_decode(const uint8_t *buf, size_t len, struct sen_nas_msg *msg,
		   struct sen_nas_error *err);

/*
 * Encode *msg as a plain NAS message into out[cap]. Optional IEs are written when their
 * has_ flag is set, in the order of the message's table in TS 24.501 clause 8.
 * Returns the length, -SEN_EMSGSIZE (does not fit), -SEN_EINVAL (a field out of range:
 * e.g. a digit string that is not digits, too many list entries), -SEN_ENOTSUP (unknown
 * message type).
 */
int sen_nas_encode(const struct sen_nas_msg *msg, uint8_t *out, size_t cap);

/* Name of a message type ("Registration request"), or NULL if unknown for that EPD. */
const char *sen_nas_msg_name(uint8_t epd, uint8_t type);

/* Initialise *msg for building: zeroed, with epd and type set (EPD chosen by type). */
void sen_nas_msg_init(struct sen_nas_msg *msg, uint8_t type);

/*
 * Walk a decoded message as a tree for printing (senctl nas decode, logs): open/close
 * bracket an IE or a structured value, value() gives one leaf as text.
 */
struct sen_nas_visitor {
	void (*open)(void *arg, const char *name);
	void (*close)(void *arg);
	void (*value)(void *arg, const char *name, const char *text);
};
int sen_nas_walk(const struct sen_nas_msg *msg, const struct sen_nas_visitor *v, void *arg);

/* ---- helpers for IE values ---- */

/* Bit rate in bit/s of a unit + value pair of Session-AMBR (9.11.4.14); saturates. */
uint64_t sen_nas_bitrate_bps(uint8_t unit, uint16_t value);
/* Unit + value for at least `bps` (rounded up); returns 0 or -SEN_ERANGE. */
int sen_nas_bitrate_from_bps(uint64_t bps, uint8_t *unit, uint16_t *value);

/* Network name from ASCII text in GSM 7-bit default alphabet packing. */
int sen_nas_network_name_set(struct sen_nas_network_name *n, const char *ascii);

/* Timer value in seconds for GPRS timer 3 (10.5.7.4a) / GPRS timer 2 and GPRS timer; -1: deactivated. */
int64_t sen_nas_timer3_seconds(const struct sen_nas_timer *t);
int64_t sen_nas_timer2_seconds(const struct sen_nas_timer *t);

/* ePCO: append an item (value borrowed); returns 0 or -SEN_ERANGE when full / too long. */
int sen_nas_epco_add(struct sen_nas_epco *e, uint16_t id, const uint8_t *v, size_t len);
/* First item with `id`, or NULL. */
const struct sen_nas_bytes *sen_nas_epco_find(const struct sen_nas_epco *e, uint16_t id);

#endif
