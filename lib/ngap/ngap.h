/*
 * NGAP (TS 38.413, Release 17) on lib/asn: the NGAP-PDU, the messages of the procedures
 * an AMF and a gNB run for registration and sessions (clause 8, tabular definitions in
 * clause 9.2), their IEs (9.3) and the transfer containers carried inside OCTET STRINGs
 * (PDU Session Resource Setup/Modify/Release/Notify transfers), all described once as
 * lib/asn tables (ies.c, msg_*.c, transfer.c) and encoded/decoded by the table-driven APER
 * codec. Clause 10 (error handling by criticality) is sen_ngap_judge().
 *
 * C representation. Each message is a struct with one field per IE it is known to carry,
 * in the order of its tabular definition; an optional IE has a `has_<field>` flag. Values
 * use lib/asn's representations: struct sen_asn_octets for OCTET STRINGs (PLMN identity,
 * TAC, NAS-PDU, transfers ...), struct sen_asn_bits for BIT STRINGs (gNB-ID, cell identity,
 * transport layer address, security key ...), SEN_ASN_LIST(T) for lists, plain integers
 * for INTEGER and ENUMERATED (the enumeration index, see the SEN_NGAP_* enums). Every
 * SEQUENCE that has iE-Extensions holds them in `ext` (NULL = none; decoded extensions are
 * kept verbatim so a decoded PDU re-encodes identically). IEs that a message struct does
 * not model are kept in its `unknown` list (with their criticality) and sent again after
 * the modelled ones.
 *
 * Decoding: decoded strings point INTO THE INPUT buffer (see lib/asn/asn.h), lists and
 * nested values live in the caller's struct sen_asn_arena. Keep both for as long as the
 * decoded PDU is used; reset the arena before the next PDU.
 */
#ifndef SEN_NGAP_NGAP_H
#define SEN_NGAP_NGAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn/asn.h"

/* ---- procedure codes (NGAP-Constants) ------------------------------------------------- */

enum sen_ngap_procedure {
	SEN_NGAP_PROC_AMF_CONFIGURATION_UPDATE = 0,
	SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT = 4,
	SEN_NGAP_PROC_ERROR_INDICATION = 9,
	SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP = 14,
	SEN_NGAP_PROC_INITIAL_UE_MESSAGE = 15,
	SEN_NGAP_PROC_NAS_NON_DELIVERY_INDICATION = 19,
	SEN_NGAP_PROC_NG_RESET = 20,
	SEN_NGAP_PROC_NG_SETUP = 21,
	SEN_NGAP_PROC_PAGING = 24,
	SEN_NGAP_PROC_PDU_SESSION_RESOURCE_MODIFY = 26,
	SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE = 28,
	SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP = 29,
	SEN_NGAP_PROC_PDU_SESSION_RESOURCE_NOTIFY = 30,
	SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE = 35,
	SEN_NGAP_PROC_REROUTE_NAS_REQUEST = 36,
	SEN_NGAP_PROC_UE_CONTEXT_MODIFICATION = 40,
	SEN_NGAP_PROC_UE_CONTEXT_RELEASE = 41,
	SEN_NGAP_PROC_UE_CONTEXT_RELEASE_REQUEST = 42,
	SEN_NGAP_PROC_UE_RADIO_CAPABILITY_INFO_INDICATION = 44,
	SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT = 46,
};

/* NGAP-PDU alternatives (TS 38.413 9.4, NGAP-PDU-Descriptions) = TriggeringMessage. */
enum sen_ngap_pdu_kind {
	SEN_NGAP_INITIATING = 0,
	SEN_NGAP_SUCCESSFUL = 1,
	SEN_NGAP_UNSUCCESSFUL = 2,
};

/* ---- IE ids used by the modelled messages (NGAP-Constants) ------------------------------ */

enum sen_ngap_ie_id {
	SEN_NGAP_ID_ALLOWED_NSSAI = 0,
	SEN_NGAP_ID_AMF_NAME = 1,
	SEN_NGAP_ID_AMF_SET_ID = 3,
	SEN_NGAP_ID_AMF_TNL_ASSOCIATION_FAILED_TO_SETUP_LIST = 4,
	SEN_NGAP_ID_AMF_TNL_ASSOCIATION_SETUP_LIST = 5,
	SEN_NGAP_ID_AMF_TNL_ASSOCIATION_TO_ADD_LIST = 6,
	SEN_NGAP_ID_AMF_TNL_ASSOCIATION_TO_REMOVE_LIST = 7,
	SEN_NGAP_ID_AMF_TNL_ASSOCIATION_TO_UPDATE_LIST = 8,
	SEN_NGAP_ID_AMF_UE_NGAP_ID = 10,
	SEN_NGAP_ID_CAUSE = 15,
	SEN_NGAP_ID_CRITICALITY_DIAGNOSTICS = 19,
	SEN_NGAP_ID_DEFAULT_PAGING_DRX = 21,
	SEN_NGAP_ID_DIRECT_FORWARDING_PATH_AVAILABILITY = 22,
	SEN_NGAP_ID_EMERGENCY_FALLBACK_INDICATOR = 24,
	SEN_NGAP_ID_FIVEG_S_TMSI = 26,
	SEN_NGAP_ID_GLOBAL_RAN_NODE_ID = 27,
	SEN_NGAP_ID_GUAMI = 28,
	SEN_NGAP_ID_INDEX_TO_RFSP = 31,
	SEN_NGAP_ID_MASKED_IMEISV = 34,
	SEN_NGAP_ID_NAS_PDU = 38,
	SEN_NGAP_ID_NEW_AMF_UE_NGAP_ID = 40,
	SEN_NGAP_ID_NGAP_MESSAGE = 42,
	SEN_NGAP_ID_OLD_AMF = 48,
	SEN_NGAP_ID_PAGING_DRX = 50,
	SEN_NGAP_ID_PAGING_ORIGIN = 51,
	SEN_NGAP_ID_PAGING_PRIORITY = 52,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_FAILED_TO_MODIFY_LIST_MOD_RES = 54,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_FAILED_TO_SETUP_LIST_CXT_RES = 55,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_FAILED_TO_SETUP_LIST_SU_RES = 58,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_LIST_CXT_REL_CPL = 60,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_MODIFY_LIST_MOD_REQ = 64,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_MODIFY_LIST_MOD_RES = 65,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_NOTIFY_LIST = 66,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_RELEASED_LIST_NOT = 67,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_RELEASED_LIST_REL_RES = 70,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_SETUP_LIST_CXT_REQ = 71,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_SETUP_LIST_CXT_RES = 72,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_SETUP_LIST_SU_REQ = 74,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_SETUP_LIST_SU_RES = 75,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_TO_RELEASE_LIST_REL_CMD = 79,
	SEN_NGAP_ID_PLMN_SUPPORT_LIST = 80,
	SEN_NGAP_ID_RAN_NODE_NAME = 82,
	SEN_NGAP_ID_RAN_PAGING_PRIORITY = 83,
	SEN_NGAP_ID_RAN_UE_NGAP_ID = 85,
	SEN_NGAP_ID_RELATIVE_AMF_CAPACITY = 86,
	SEN_NGAP_ID_RESET_TYPE = 88,
	SEN_NGAP_ID_RRC_ESTABLISHMENT_CAUSE = 90,
	SEN_NGAP_ID_RRC_INACTIVE_TRANSITION_REPORT_REQUEST = 91,
	SEN_NGAP_ID_RRC_STATE = 92,
	SEN_NGAP_ID_SECURITY_KEY = 94,
	SEN_NGAP_ID_SERVED_GUAMI_LIST = 96,
	SEN_NGAP_ID_SUPPORTED_TA_LIST = 102,
	SEN_NGAP_ID_TAI_LIST_FOR_PAGING = 103,
	SEN_NGAP_ID_TIME_TO_WAIT = 107,
	SEN_NGAP_ID_UE_AGGREGATE_MAXIMUM_BIT_RATE = 110,
	SEN_NGAP_ID_UE_ASSOCIATED_LOGICAL_NG_CONNECTION_LIST = 111,
	SEN_NGAP_ID_UE_CONTEXT_REQUEST = 112,
	SEN_NGAP_ID_UE_NGAP_IDS = 114,
	SEN_NGAP_ID_UE_PAGING_IDENTITY = 115,
	SEN_NGAP_ID_UE_RADIO_CAPABILITY = 117,
	SEN_NGAP_ID_UE_RADIO_CAPABILITY_FOR_PAGING = 118,
	SEN_NGAP_ID_UE_SECURITY_CAPABILITIES = 119,
	SEN_NGAP_ID_USER_LOCATION_INFORMATION = 121,
	SEN_NGAP_ID_ADDITIONAL_UL_NGU_UP_TNL_INFORMATION = 126,
	SEN_NGAP_ID_DATA_FORWARDING_NOT_POSSIBLE = 127,
	SEN_NGAP_ID_NETWORK_INSTANCE = 129,
	SEN_NGAP_ID_PDU_SESSION_AGGREGATE_MAXIMUM_BIT_RATE = 130,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_FAILED_TO_SETUP_LIST_CXT_FAIL = 132,
	SEN_NGAP_ID_PDU_SESSION_RESOURCE_LIST_CXT_REL_REQ = 133,
	SEN_NGAP_ID_PDU_SESSION_TYPE = 134,
	SEN_NGAP_ID_QOS_FLOW_ADD_OR_MODIFY_REQUEST_LIST = 135,
	SEN_NGAP_ID_QOS_FLOW_SETUP_REQUEST_LIST = 136,
	SEN_NGAP_ID_QOS_FLOW_TO_RELEASE_LIST = 137,
	SEN_NGAP_ID_SECURITY_INDICATION = 138,
	SEN_NGAP_ID_UL_NGU_UP_TNL_INFORMATION = 139,
	SEN_NGAP_ID_UL_NGU_UP_TNL_MODIFY_LIST = 140,
	SEN_NGAP_ID_UE_RETENTION_INFORMATION = 147,
	SEN_NGAP_ID_NEW_GUAMI = 162,
	SEN_NGAP_ID_COMMON_NETWORK_INSTANCE = 166,
	SEN_NGAP_ID_NGRAN_TNL_ASSOCIATION_TO_REMOVE_LIST = 167,
	SEN_NGAP_ID_SOURCE_TO_TARGET_AMF_INFORMATION_REROUTE = 171,
	SEN_NGAP_ID_SELECTED_PLMN_IDENTITY = 174,
	SEN_NGAP_ID_SRVCC_OPERATION_POSSIBLE = 177,
	SEN_NGAP_ID_IAB_AUTHORIZED = 199,
	SEN_NGAP_ID_IAB_SUPPORTED = 200,
	SEN_NGAP_ID_IAB_NODE_INDICATION = 201,
	SEN_NGAP_ID_NB_IOT_DEFAULT_PAGING_DRX = 204,
	SEN_NGAP_ID_EXTENDED_CONNECTED_TIME = 206,
	SEN_NGAP_ID_CE_MODE_B_SUPPORT_INDICATOR = 224,
	SEN_NGAP_ID_LTE_M_INDICATION = 225,
	SEN_NGAP_ID_EDT_SESSION = 227,
	SEN_NGAP_ID_W_AGF_IDENTITY_INFORMATION = 239,
	SEN_NGAP_ID_AUTHENTICATED_INDICATION = 245,
	SEN_NGAP_ID_TNGF_IDENTITY_INFORMATION = 246,
	SEN_NGAP_ID_TWIF_IDENTITY_INFORMATION = 247,
	SEN_NGAP_ID_NPN_ACCESS_INFORMATION = 259,
	SEN_NGAP_ID_UE_RADIO_CAPABILITY_ID = 264,
	SEN_NGAP_ID_UE_RADIO_CAPABILITY_EUTRA_FORMAT = 265,
	SEN_NGAP_ID_EXTENDED_RAN_NODE_NAME = 273,
	SEN_NGAP_ID_EXTENDED_AMF_NAME = 274,
};

/* ---- ENUMERATED values (indices in the ASN.1 definitions, 9.3) -------------------------- */

enum sen_ngap_cause_kind { /* Cause CHOICE (9.3.1.2) */
	SEN_NGAP_CAUSE_RADIO_NETWORK = 0,
	SEN_NGAP_CAUSE_TRANSPORT = 1,
	SEN_NGAP_CAUSE_NAS = 2,
	SEN_NGAP_CAUSE_PROTOCOL = 3,
	SEN_NGAP_CAUSE_MISC = 4,
	SEN_NGAP_CAUSE_EXT = 5,
};
/* a few CauseRadioNetwork / CauseNas / CauseProtocol / CauseMisc values */
#define SEN_NGAP_CAUSE_RN_UNSPECIFIED 0
#define SEN_NGAP_CAUSE_RN_RELEASE_DUE_TO_5GC 4
#define SEN_NGAP_CAUSE_RN_UNKNOWN_LOCAL_UE_NGAP_ID 14
#define SEN_NGAP_CAUSE_RN_INCONSISTENT_REMOTE_UE_NGAP_ID 15
#define SEN_NGAP_CAUSE_RN_USER_INACTIVITY 20
#define SEN_NGAP_CAUSE_RN_RADIO_CONNECTION_LOST 21
#define SEN_NGAP_CAUSE_RN_UNKNOWN_PDU_SESSION_ID 26
#define SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE 0
#define SEN_NGAP_CAUSE_NAS_DEREGISTER 2
#define SEN_NGAP_CAUSE_PROTO_TRANSFER_SYNTAX_ERROR 0
#define SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT 1
#define SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_IGNORE_AND_NOTIFY 2
#define SEN_NGAP_CAUSE_PROTO_MSG_NOT_COMPATIBLE_WITH_STATE 3
#define SEN_NGAP_CAUSE_PROTO_SEMANTIC_ERROR 4
#define SEN_NGAP_CAUSE_PROTO_FALSELY_CONSTRUCTED 5
#define SEN_NGAP_CAUSE_PROTO_UNSPECIFIED 6
#define SEN_NGAP_CAUSE_MISC_UNKNOWN_PLMN 4
#define SEN_NGAP_CAUSE_MISC_UNSPECIFIED 5

enum sen_ngap_rrc_establishment_cause {
	SEN_NGAP_RRC_EMERGENCY = 0,
	SEN_NGAP_RRC_HIGH_PRIORITY_ACCESS,
	SEN_NGAP_RRC_MT_ACCESS,
	SEN_NGAP_RRC_MO_SIGNALLING,
	SEN_NGAP_RRC_MO_DATA,
	SEN_NGAP_RRC_MO_VOICE_CALL,
	SEN_NGAP_RRC_MO_VIDEO_CALL,
	SEN_NGAP_RRC_MO_SMS,
	SEN_NGAP_RRC_MPS_PRIORITY_ACCESS,
	SEN_NGAP_RRC_MCS_PRIORITY_ACCESS,
	SEN_NGAP_RRC_NOT_AVAILABLE, /* extension */
	SEN_NGAP_RRC_MO_EXCEPTION_DATA,
};

enum sen_ngap_pdu_session_type {
	SEN_NGAP_PDU_IPV4 = 0,
	SEN_NGAP_PDU_IPV6,
	SEN_NGAP_PDU_IPV4V6,
	SEN_NGAP_PDU_ETHERNET,
	SEN_NGAP_PDU_UNSTRUCTURED,
};

enum sen_ngap_paging_drx { SEN_NGAP_DRX_V32 = 0, SEN_NGAP_DRX_V64, SEN_NGAP_DRX_V128, SEN_NGAP_DRX_V256 };
enum sen_ngap_time_to_wait { SEN_NGAP_TTW_1S = 0, SEN_NGAP_TTW_2S, SEN_NGAP_TTW_5S, SEN_NGAP_TTW_10S, SEN_NGAP_TTW_20S, SEN_NGAP_TTW_60S };
enum sen_ngap_type_of_error { SEN_NGAP_NOT_UNDERSTOOD = 0, SEN_NGAP_MISSING = 1 };

/* Choice indices used in several CHOICE types. */
enum sen_ngap_uli_kind { SEN_NGAP_ULI_EUTRA = 0, SEN_NGAP_ULI_NR = 1, SEN_NGAP_ULI_N3IWF = 2, SEN_NGAP_ULI_EXT = 3 };
enum sen_ngap_ran_node_kind { SEN_NGAP_NODE_GNB = 0, SEN_NGAP_NODE_NG_ENB = 1, SEN_NGAP_NODE_N3IWF = 2, SEN_NGAP_NODE_EXT = 3 };
enum sen_ngap_ue_ngap_ids_kind { SEN_NGAP_IDS_PAIR = 0, SEN_NGAP_IDS_AMF = 1, SEN_NGAP_IDS_EXT = 2 };
enum sen_ngap_reset_kind { SEN_NGAP_RESET_ALL = 0, SEN_NGAP_RESET_PART = 1, SEN_NGAP_RESET_EXT = 2 };
enum sen_ngap_qos_char_kind { SEN_NGAP_QOS_NON_DYNAMIC = 0, SEN_NGAP_QOS_DYNAMIC = 1, SEN_NGAP_QOS_EXT = 2 };
#define SEN_NGAP_CHOICE0 0 /* first alternative of GNB-ID, N3IWF-ID, UPTransportLayerInformation,
			      CPTransportLayerInformation, UEPagingIdentity, NPN-AccessInformation */

/* ---- common IEs (TS 38.413 9.3) ---------------------------------------------------------- */

/* ProtocolExtensionContainer of a SEQUENCE, kept verbatim (9.4 NGAP-Containers). */
struct sen_ngap_ext {
	sen_asn_raw_ies ies;
};

/* ProtocolIE-SingleContainer: the choice-Extensions alternative of NGAP CHOICEs. */
struct sen_ngap_single {
	uint16_t id;
	uint8_t criticality;
	struct sen_asn_open value; /* kept as octets */
};

/* S-NSSAI (9.3.1.24): sst 1 octet, sd 3 octets */
struct sen_ngap_snssai {
	struct sen_asn_octets sst;
	bool has_sd;
	struct sen_asn_octets sd;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_slice_item { /* SliceSupportItem, AllowedNSSAI-Item */
	struct sen_ngap_snssai snssai;
	struct sen_ngap_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_slice_item) sen_ngap_slice_list;

/* TAI (9.3.3.11): PLMN identity (3 octets, TS 24.008 digit order) + TAC (3 octets) */
struct sen_ngap_tai {
	struct sen_asn_octets plmn;
	struct sen_asn_octets tac;
	struct sen_ngap_ext *ext;
};

/* NR CGI (9.3.1.7): 36-bit NR cell identity; E-UTRA CGI (9.3.1.9): 28 bits */
struct sen_ngap_cgi {
	struct sen_asn_octets plmn;
	struct sen_asn_bits cell_id;
	struct sen_ngap_ext *ext;
};

/* NGRAN-CGI CHOICE { nR-CGI, eUTRA-CGI, ext } */
struct sen_ngap_ngran_cgi {
	uint32_t present;
	union {
		struct sen_ngap_cgi cgi;
		struct sen_ngap_single ext;
	} u;
};

/* iE-Extensions of UserLocationInformationNR with the ones modelled */
struct sen_ngap_uli_nr_ext {
	bool has_pscell;
	struct sen_ngap_ngran_cgi pscell; /* PSCellInformation (149) */
	bool has_nid;
	struct sen_asn_bits nid; /* NID (263), 44 bits */
	sen_asn_raw_ies unknown;
};

struct sen_ngap_uli_nr {
	struct sen_ngap_cgi cgi;
	struct sen_ngap_tai tai;
	bool has_time_stamp;
	struct sen_asn_octets time_stamp; /* 4 octets, NTP seconds */
	struct sen_ngap_uli_nr_ext *ext;
};

struct sen_ngap_uli_eutra {
	struct sen_ngap_cgi cgi;
	struct sen_ngap_tai tai;
	bool has_time_stamp;
	struct sen_asn_octets time_stamp;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_uli_n3iwf {
	struct sen_asn_bits ip; /* TransportLayerAddress */
	struct sen_asn_octets port;
	struct sen_ngap_ext *ext;
};

/* User Location Information (9.3.1.16) */
struct sen_ngap_uli {
	uint32_t present; /* enum sen_ngap_uli_kind */
	union {
		struct sen_ngap_uli_eutra eutra;
		struct sen_ngap_uli_nr nr;
		struct sen_ngap_uli_n3iwf n3iwf;
		struct sen_ngap_single ext;
	} u;
};

/* GNB-ID / NgENB-ID / N3IWF-ID: CHOICEs whose alternatives are BIT STRINGs */
struct sen_ngap_node_id {
	uint32_t present; /* GNB-ID: 0 gNB-ID (22..32 bits); NgENB-ID: 0 macro (20), 1 short (18),
			     2 long (21); N3IWF-ID: 0 (16 bits); last: choice-Extensions */
	union {
		struct sen_asn_bits bits;
		struct sen_ngap_single ext;
	} u;
};

/* GlobalGNB-ID, GlobalNgENB-ID, GlobalN3IWF-ID (9.3.1.6, 9.3.1.8, 9.3.1.57) */
struct sen_ngap_global_node {
	struct sen_asn_octets plmn;
	struct sen_ngap_node_id id;
	struct sen_ngap_ext *ext;
};

/* Global RAN Node ID (9.3.1.5) */
struct sen_ngap_global_ran_node_id {
	uint32_t present; /* enum sen_ngap_ran_node_kind */
	union {
		struct sen_ngap_global_node node;
		struct sen_ngap_single ext;
	} u;
};

/* GUAMI (9.3.3.3) */
struct sen_ngap_guami {
	struct sen_asn_octets plmn;
	struct sen_asn_bits region; /* 8 bits */
	struct sen_asn_bits set;    /* 10 bits */
	struct sen_asn_bits pointer; /* 6 bits */
	struct sen_ngap_ext *ext;
};

/* 5G-S-TMSI (9.3.3.20) */
struct sen_ngap_5g_s_tmsi {
	struct sen_asn_bits set;     /* 10 bits */
	struct sen_asn_bits pointer; /* 6 bits */
	struct sen_asn_octets tmsi;  /* 4 octets */
	struct sen_ngap_ext *ext;
};

/* Cause (9.3.1.2) */
struct sen_ngap_cause {
	uint32_t present; /* enum sen_ngap_cause_kind */
	union {
		uint8_t value; /* index in CauseRadioNetwork / Transport / Nas / Protocol / Misc */
		struct sen_ngap_single ext;
	} u;
};

struct sen_ngap_cd_ie { /* CriticalityDiagnostics-IE-Item */
	uint8_t criticality;
	uint16_t id;
	uint8_t type_of_error; /* enum sen_ngap_type_of_error */
	struct sen_ngap_ext *ext;
};

/* Criticality Diagnostics (9.3.1.3) */
struct sen_ngap_crit_diag {
	bool has_procedure_code;
	uint8_t procedure_code;
	bool has_triggering_message;
	uint8_t triggering_message; /* enum sen_ngap_pdu_kind */
	bool has_procedure_criticality;
	uint8_t procedure_criticality;
	bool has_ies;
	SEN_ASN_LIST(struct sen_ngap_cd_ie) ies; /* 1..256 */
	struct sen_ngap_ext *ext;
};

/* UE Security Capabilities (9.3.1.86): 16-bit algorithm bitmaps, bit 1 = NEA1/NIA1 ... */
struct sen_ngap_ue_sec_cap {
	struct sen_asn_bits nr_enc, nr_int, eutra_enc, eutra_int;
	struct sen_ngap_ext *ext;
};

/* UE / PDU session Aggregate Maximum Bit Rate (9.3.1.58, 9.3.1.102), bit/s */
struct sen_ngap_ambr {
	uint64_t dl, ul;
	struct sen_ngap_ext *ext;
};

/* GTP tunnel (9.3.2.2): transport layer address (32 IPv4, 128 IPv6, 160 both) + TEID */
struct sen_ngap_gtp_tunnel {
	struct sen_asn_bits addr;
	struct sen_asn_octets teid; /* 4 octets */
	struct sen_ngap_ext *ext;
};

/* UP Transport Layer Information (9.3.2.2) CHOICE { gTPTunnel, ext } */
struct sen_ngap_up_tnl {
	uint32_t present; /* 0 = gTPTunnel */
	union {
		struct sen_ngap_gtp_tunnel gtp;
		struct sen_ngap_single ext;
	} u;
};

/* CP Transport Layer Information (9.3.2.6) CHOICE { endpointIPAddress, ext } */
struct sen_ngap_cp_tnl {
	uint32_t present;
	union {
		struct sen_asn_bits addr;
		struct sen_ngap_single ext;
	} u;
};

/* Supported TA list (9.3.3.?) with the TAI/broadcast PLMN extensions that carry reject */
struct sen_ngap_bplmn_ext {
	bool has_npn_support;
	struct sen_ngap_node_id npn_support; /* NPN-Support CHOICE { sNPN NID (44 bits), ext } */
	bool has_ext_slices;
	sen_ngap_slice_list ext_slices; /* ExtendedTAISliceSupportList 1..65535 */
	sen_asn_raw_ies unknown;
};

struct sen_ngap_bplmn_item {
	struct sen_asn_octets plmn;
	sen_ngap_slice_list slices; /* 1..1024 */
	struct sen_ngap_bplmn_ext *ext;
};

struct sen_ngap_ta_ext {
	bool has_configured_tac;
	uint8_t configured_tac; /* ConfiguredTACIndication (272) */
	bool has_rat_information;
	uint8_t rat_information; /* RAT-Information (179) */
	sen_asn_raw_ies unknown;
};

struct sen_ngap_ta_item {
	struct sen_asn_octets tac;
	SEN_ASN_LIST(struct sen_ngap_bplmn_item) bplmns; /* 1..12 */
	struct sen_ngap_ta_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_ta_item) sen_ngap_ta_list;

struct sen_ngap_plmn_support_item {
	struct sen_asn_octets plmn;
	sen_ngap_slice_list slices;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_served_guami_item {
	struct sen_ngap_guami guami;
	bool has_backup_amf_name;
	struct sen_asn_octets backup_amf_name;
	struct sen_ngap_ext *ext;
};

/* Extended-RANNodeName / Extended-AMFName */
struct sen_ngap_ext_name {
	bool has_visible;
	struct sen_asn_octets visible;
	bool has_utf8;
	struct sen_asn_octets utf8;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_ue_ngap_id_pair {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_ngap_ext *ext;
};

/* UE NGAP IDs (9.3.3.?) CHOICE { pair, amf id, ext } */
struct sen_ngap_ue_ngap_ids {
	uint32_t present; /* enum sen_ngap_ue_ngap_ids_kind */
	union {
		struct sen_ngap_ue_ngap_id_pair pair;
		uint64_t amf_ue_ngap_id;
		struct sen_ngap_single ext;
	} u;
};

struct sen_ngap_ue_assoc_item { /* UE-associatedLogicalNG-connectionItem */
	bool has_amf_ue_ngap_id;
	uint64_t amf_ue_ngap_id;
	bool has_ran_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_ngap_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_ue_assoc_item) sen_ngap_ue_assoc_list;

/* Reset Type (9.3.1.?) CHOICE { nG-Interface ResetAll, partOfNG-Interface, ext } */
struct sen_ngap_reset_type {
	uint32_t present; /* enum sen_ngap_reset_kind */
	union {
		uint8_t all; /* ResetAll: 0 = reset-all */
		sen_ngap_ue_assoc_list part;
		struct sen_ngap_single ext;
	} u;
};

struct sen_ngap_tnl_item { /* AMF-TNLAssociationSetupItem / ToRemoveItem */
	struct sen_ngap_cp_tnl addr;
	struct sen_ngap_ext *ext;
};
struct sen_ngap_tnl_add_item { /* AMF-TNLAssociationToAddItem / ToUpdateItem */
	struct sen_ngap_cp_tnl addr;
	bool has_usage;
	uint8_t usage; /* TNLAssociationUsage: ue, non-ue, both */
	bool has_weight;
	uint8_t weight; /* mandatory in ToAdd (has_weight must be set), optional in ToUpdate */
	struct sen_ngap_ext *ext;
};
struct sen_ngap_tnl_cause_item { /* TNLAssociationItem */
	struct sen_ngap_cp_tnl addr;
	struct sen_ngap_cause cause;
	struct sen_ngap_ext *ext;
};
struct sen_ngap_tnl_remove_item { /* NGRAN-TNLAssociationToRemoveItem (no extension marker) */
	struct sen_ngap_cp_tnl addr;
	bool has_amf_addr;
	struct sen_ngap_cp_tnl amf_addr;
	struct sen_ngap_ext *ext;
};

/* SourceToTarget-AMFInformationReroute (9.3.1.?) */
struct sen_ngap_reroute_info {
	bool has_configured_nssai;
	struct sen_asn_octets configured_nssai; /* 128 octets */
	bool has_rejected_in_plmn;
	struct sen_asn_octets rejected_in_plmn; /* 32 */
	bool has_rejected_in_ta;
	struct sen_asn_octets rejected_in_ta; /* 32 */
	struct sen_ngap_ext *ext;
};

/* NPN-AccessInformation CHOICE { pNI-NPN-Access-Information CellCAGList, ext } */
struct sen_ngap_npn_access {
	uint32_t present;
	union {
		SEN_ASN_LIST(struct sen_asn_bits) cag_list; /* CAG-ID 32 bits, 1..64 */
		struct sen_ngap_single ext;
	} u;
};

struct sen_ngap_tai_item { /* TAIListForPagingItem */
	struct sen_ngap_tai tai;
	struct sen_ngap_ext *ext;
};

/* UEPagingIdentity CHOICE { fiveG-S-TMSI, ext } */
struct sen_ngap_paging_identity {
	uint32_t present;
	union {
		struct sen_ngap_5g_s_tmsi s_tmsi;
		struct sen_ngap_single ext;
	} u;
};

struct sen_ngap_radio_cap_paging { /* UERadioCapabilityForPaging */
	bool has_nr;
	struct sen_asn_octets nr;
	bool has_eutra;
	struct sen_asn_octets eutra;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_emergency_fallback { /* EmergencyFallbackIndicator */
	uint8_t request; /* emergency-fallback-requested */
	bool has_target_cn;
	uint8_t target_cn; /* fiveGC, epc */
	struct sen_ngap_ext *ext;
};

/* PDU session resource list items: one C struct per shape, one descriptor per list */
struct sen_ngap_ps_item { /* {pDUSessionID, iE-Extensions}: ListCxtRelReq, ListCxtRelCpl */
	uint8_t psi;
	struct sen_ngap_ext *ext;
};
struct sen_ngap_ps_transfer { /* {pDUSessionID, <transfer>, iE-Extensions} */
	uint8_t psi;
	struct sen_asn_octets transfer; /* an encoded transfer (see the transfer types below) */
	struct sen_ngap_ext *ext;
};
struct sen_ngap_ps_setup_item { /* SetupItemSUReq, SetupItemCxtReq */
	uint8_t psi;
	bool has_nas_pdu;
	struct sen_asn_octets nas_pdu;
	struct sen_ngap_snssai snssai;
	struct sen_asn_octets transfer; /* PDUSessionResourceSetupRequestTransfer */
	struct sen_ngap_ext *ext;
};
struct sen_ngap_ps_modify_item { /* ModifyItemModReq */
	uint8_t psi;
	bool has_nas_pdu;
	struct sen_asn_octets nas_pdu;
	struct sen_asn_octets transfer; /* PDUSessionResourceModifyRequestTransfer */
	struct sen_ngap_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_ps_item) sen_ngap_ps_list;
typedef SEN_ASN_LIST(struct sen_ngap_ps_transfer) sen_ngap_ps_transfer_list;
typedef SEN_ASN_LIST(struct sen_ngap_ps_setup_item) sen_ngap_ps_setup_list;

/* ---- messages (TS 38.413 9.2) ------------------------------------------------------------ */

/* 9.2.6.1 NG SETUP REQUEST */
struct sen_ngap_ng_setup_request {
	struct sen_ngap_global_ran_node_id global_ran_node_id;
	bool has_ran_node_name;
	struct sen_asn_octets ran_node_name;
	sen_ngap_ta_list supported_ta_list;
	uint8_t default_paging_drx; /* enum sen_ngap_paging_drx */
	bool has_ue_retention_information;
	uint8_t ue_retention_information;
	bool has_nb_iot_default_paging_drx;
	uint8_t nb_iot_default_paging_drx;
	bool has_extended_ran_node_name;
	struct sen_ngap_ext_name extended_ran_node_name;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.2 NG SETUP RESPONSE */
struct sen_ngap_ng_setup_response {
	struct sen_asn_octets amf_name;
	SEN_ASN_LIST(struct sen_ngap_served_guami_item) served_guami_list; /* 1..256 */
	uint8_t relative_amf_capacity;
	SEN_ASN_LIST(struct sen_ngap_plmn_support_item) plmn_support_list; /* 1..12 */
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	bool has_ue_retention_information;
	uint8_t ue_retention_information;
	bool has_iab_supported;
	uint8_t iab_supported;
	bool has_extended_amf_name;
	struct sen_ngap_ext_name extended_amf_name;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.3 NG SETUP FAILURE, 9.2.6.6 RAN CONFIGURATION UPDATE FAILURE, 9.2.6.9 AMF
 * CONFIGURATION UPDATE FAILURE: the same IEs */
struct sen_ngap_setup_failure {
	struct sen_ngap_cause cause;
	bool has_time_to_wait;
	uint8_t time_to_wait; /* enum sen_ngap_time_to_wait */
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.4 RAN CONFIGURATION UPDATE */
struct sen_ngap_ran_configuration_update {
	bool has_ran_node_name;
	struct sen_asn_octets ran_node_name;
	bool has_supported_ta_list;
	sen_ngap_ta_list supported_ta_list;
	bool has_default_paging_drx;
	uint8_t default_paging_drx;
	bool has_global_ran_node_id;
	struct sen_ngap_global_ran_node_id global_ran_node_id;
	bool has_tnl_to_remove;
	SEN_ASN_LIST(struct sen_ngap_tnl_remove_item) tnl_to_remove; /* 1..32 */
	bool has_nb_iot_default_paging_drx;
	uint8_t nb_iot_default_paging_drx;
	bool has_extended_ran_node_name;
	struct sen_ngap_ext_name extended_ran_node_name;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.5 RAN CONFIGURATION UPDATE ACKNOWLEDGE (also its only IE: Criticality Diagnostics) */
struct sen_ngap_cd_only {
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.7 AMF CONFIGURATION UPDATE */
struct sen_ngap_amf_configuration_update {
	bool has_amf_name;
	struct sen_asn_octets amf_name;
	bool has_served_guami_list;
	SEN_ASN_LIST(struct sen_ngap_served_guami_item) served_guami_list;
	bool has_relative_amf_capacity;
	uint8_t relative_amf_capacity;
	bool has_plmn_support_list;
	SEN_ASN_LIST(struct sen_ngap_plmn_support_item) plmn_support_list;
	bool has_tnl_to_add;
	SEN_ASN_LIST(struct sen_ngap_tnl_add_item) tnl_to_add;
	bool has_tnl_to_remove;
	SEN_ASN_LIST(struct sen_ngap_tnl_item) tnl_to_remove;
	bool has_tnl_to_update;
	SEN_ASN_LIST(struct sen_ngap_tnl_add_item) tnl_to_update;
	bool has_extended_amf_name;
	struct sen_ngap_ext_name extended_amf_name;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.8 AMF CONFIGURATION UPDATE ACKNOWLEDGE */
struct sen_ngap_amf_configuration_update_ack {
	bool has_tnl_setup;
	SEN_ASN_LIST(struct sen_ngap_tnl_item) tnl_setup;
	bool has_tnl_failed;
	SEN_ASN_LIST(struct sen_ngap_tnl_cause_item) tnl_failed;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.11 NG RESET */
struct sen_ngap_ng_reset {
	struct sen_ngap_cause cause;
	struct sen_ngap_reset_type reset_type;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.12 NG RESET ACKNOWLEDGE */
struct sen_ngap_ng_reset_ack {
	bool has_ue_associated_list;
	sen_ngap_ue_assoc_list ue_associated_list;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.6.13 ERROR INDICATION */
struct sen_ngap_error_indication {
	bool has_amf_ue_ngap_id;
	uint64_t amf_ue_ngap_id;
	bool has_ran_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_cause;
	struct sen_ngap_cause cause;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	bool has_s_tmsi;
	struct sen_ngap_5g_s_tmsi s_tmsi;
	sen_asn_raw_ies unknown;
};

/* 9.2.5.1 INITIAL UE MESSAGE */
struct sen_ngap_initial_ue_message {
	uint32_t ran_ue_ngap_id;
	struct sen_asn_octets nas_pdu;
	struct sen_ngap_uli uli;
	uint8_t rrc_establishment_cause; /* enum sen_ngap_rrc_establishment_cause */
	bool has_s_tmsi;
	struct sen_ngap_5g_s_tmsi s_tmsi;
	bool has_amf_set_id;
	struct sen_asn_bits amf_set_id;
	bool has_ue_context_request;
	uint8_t ue_context_request;
	bool has_allowed_nssai;
	sen_ngap_slice_list allowed_nssai;
	bool has_reroute_info;
	struct sen_ngap_reroute_info reroute_info;
	bool has_selected_plmn;
	struct sen_asn_octets selected_plmn;
	bool has_iab_node_indication;
	uint8_t iab_node_indication;
	bool has_ce_mode_b_support;
	uint8_t ce_mode_b_support;
	bool has_lte_m_indication;
	uint8_t lte_m_indication;
	bool has_edt_session;
	uint8_t edt_session;
	bool has_authenticated_indication;
	uint8_t authenticated_indication;
	bool has_npn_access;
	struct sen_ngap_npn_access npn_access;
	sen_asn_raw_ies unknown;
};

/* 9.2.5.2 DOWNLINK NAS TRANSPORT */
struct sen_ngap_downlink_nas_transport {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_old_amf;
	struct sen_asn_octets old_amf;
	bool has_ran_paging_priority;
	uint16_t ran_paging_priority;
	struct sen_asn_octets nas_pdu;
	bool has_index_to_rfsp;
	uint16_t index_to_rfsp;
	bool has_ue_ambr;
	struct sen_ngap_ambr ue_ambr;
	bool has_allowed_nssai;
	sen_ngap_slice_list allowed_nssai;
	bool has_srvcc;
	uint8_t srvcc;
	bool has_ue_radio_capability;
	struct sen_asn_octets ue_radio_capability;
	bool has_ue_radio_capability_id;
	struct sen_asn_octets ue_radio_capability_id;
	bool has_masked_imeisv;
	struct sen_asn_bits masked_imeisv;
	sen_asn_raw_ies unknown;
};

/* 9.2.5.3 UPLINK NAS TRANSPORT */
struct sen_ngap_uplink_nas_transport {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_asn_octets nas_pdu;
	struct sen_ngap_uli uli;
	bool has_w_agf_identity;
	struct sen_asn_octets w_agf_identity;
	bool has_tngf_identity;
	struct sen_asn_octets tngf_identity;
	bool has_twif_identity;
	struct sen_asn_octets twif_identity;
	sen_asn_raw_ies unknown;
};

/* 9.2.5.4 NAS NON DELIVERY INDICATION */
struct sen_ngap_nas_non_delivery_indication {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_asn_octets nas_pdu;
	struct sen_ngap_cause cause;
	sen_asn_raw_ies unknown;
};

/* 9.2.5.5 REROUTE NAS REQUEST */
struct sen_ngap_reroute_nas_request {
	uint32_t ran_ue_ngap_id;
	bool has_amf_ue_ngap_id;
	uint64_t amf_ue_ngap_id;
	struct sen_asn_octets ngap_message; /* the Initial UE Message, encoded */
	struct sen_asn_bits amf_set_id;
	bool has_allowed_nssai;
	sen_ngap_slice_list allowed_nssai;
	bool has_reroute_info;
	struct sen_ngap_reroute_info reroute_info;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.1 INITIAL CONTEXT SETUP REQUEST */
struct sen_ngap_initial_context_setup_request {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_old_amf;
	struct sen_asn_octets old_amf;
	bool has_ue_ambr;
	struct sen_ngap_ambr ue_ambr;
	struct sen_ngap_guami guami;
	bool has_pdu_sessions;
	sen_ngap_ps_setup_list pdu_sessions; /* PDUSessionResourceSetupListCxtReq */
	sen_ngap_slice_list allowed_nssai;
	struct sen_ngap_ue_sec_cap ue_security_capabilities;
	struct sen_asn_bits security_key; /* 256 bits: K_gNB */
	bool has_ue_radio_capability;
	struct sen_asn_octets ue_radio_capability;
	bool has_index_to_rfsp;
	uint16_t index_to_rfsp;
	bool has_masked_imeisv;
	struct sen_asn_bits masked_imeisv;
	bool has_nas_pdu;
	struct sen_asn_octets nas_pdu;
	bool has_emergency_fallback;
	struct sen_ngap_emergency_fallback emergency_fallback;
	bool has_rrc_inactive_report_request;
	uint8_t rrc_inactive_report_request;
	bool has_radio_cap_for_paging;
	struct sen_ngap_radio_cap_paging radio_cap_for_paging;
	bool has_srvcc;
	uint8_t srvcc;
	bool has_ue_radio_capability_id;
	struct sen_asn_octets ue_radio_capability_id;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.2 INITIAL CONTEXT SETUP RESPONSE */
struct sen_ngap_initial_context_setup_response {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_setup_list;
	sen_ngap_ps_transfer_list setup_list; /* ...SetupListCxtRes (SetupResponseTransfer) */
	bool has_failed_list;
	sen_ngap_ps_transfer_list failed_list; /* ...FailedToSetupListCxtRes */
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.3 INITIAL CONTEXT SETUP FAILURE */
struct sen_ngap_initial_context_setup_failure {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_failed_list;
	sen_ngap_ps_transfer_list failed_list; /* ...FailedToSetupListCxtFail */
	struct sen_ngap_cause cause;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.4 UE CONTEXT RELEASE REQUEST */
struct sen_ngap_ue_context_release_request {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_pdu_sessions;
	sen_ngap_ps_list pdu_sessions;
	struct sen_ngap_cause cause;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.5 UE CONTEXT RELEASE COMMAND */
struct sen_ngap_ue_context_release_command {
	struct sen_ngap_ue_ngap_ids ue_ngap_ids;
	struct sen_ngap_cause cause;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.6 UE CONTEXT RELEASE COMPLETE */
struct sen_ngap_ue_context_release_complete {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_uli;
	struct sen_ngap_uli uli;
	bool has_pdu_sessions;
	sen_ngap_ps_list pdu_sessions;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.7 UE CONTEXT MODIFICATION REQUEST */
struct sen_ngap_ue_context_modification_request {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_ran_paging_priority;
	uint16_t ran_paging_priority;
	bool has_security_key;
	struct sen_asn_bits security_key;
	bool has_index_to_rfsp;
	uint16_t index_to_rfsp;
	bool has_ue_ambr;
	struct sen_ngap_ambr ue_ambr;
	bool has_ue_security_capabilities;
	struct sen_ngap_ue_sec_cap ue_security_capabilities;
	bool has_emergency_fallback;
	struct sen_ngap_emergency_fallback emergency_fallback;
	bool has_new_amf_ue_ngap_id;
	uint64_t new_amf_ue_ngap_id;
	bool has_rrc_inactive_report_request;
	uint8_t rrc_inactive_report_request;
	bool has_new_guami;
	struct sen_ngap_guami new_guami;
	bool has_srvcc;
	uint8_t srvcc;
	bool has_iab_authorized;
	uint8_t iab_authorized;
	bool has_ue_radio_capability_id;
	struct sen_asn_octets ue_radio_capability_id;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.8 UE CONTEXT MODIFICATION RESPONSE */
struct sen_ngap_ue_context_modification_response {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_rrc_state;
	uint8_t rrc_state; /* inactive, connected */
	bool has_uli;
	struct sen_ngap_uli uli;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.2.9 UE CONTEXT MODIFICATION FAILURE (also Handover/Suspend failures' shape) */
struct sen_ngap_ue_failure {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_ngap_cause cause;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.8.1 UE RADIO CAPABILITY INFO INDICATION */
struct sen_ngap_ue_radio_capability_info_indication {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	struct sen_asn_octets ue_radio_capability;
	bool has_radio_cap_for_paging;
	struct sen_ngap_radio_cap_paging radio_cap_for_paging;
	bool has_ue_radio_capability_eutra;
	struct sen_asn_octets ue_radio_capability_eutra;
	sen_asn_raw_ies unknown;
};

/* 9.2.4.1 PAGING */
struct sen_ngap_paging {
	struct sen_ngap_paging_identity ue_paging_identity;
	bool has_paging_drx;
	uint8_t paging_drx;
	SEN_ASN_LIST(struct sen_ngap_tai_item) tai_list; /* 1..16 */
	bool has_paging_priority;
	uint8_t paging_priority;
	bool has_radio_cap_for_paging;
	struct sen_ngap_radio_cap_paging radio_cap_for_paging;
	bool has_paging_origin;
	uint8_t paging_origin;
	sen_asn_raw_ies unknown;
};

/* 9.2.1.1 PDU SESSION RESOURCE SETUP REQUEST */
struct sen_ngap_pdu_session_resource_setup_request {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_ran_paging_priority;
	uint16_t ran_paging_priority;
	bool has_nas_pdu;
	struct sen_asn_octets nas_pdu;
	sen_ngap_ps_setup_list pdu_sessions; /* ...SetupListSUReq, 1..256 */
	bool has_ue_ambr;
	struct sen_ngap_ambr ue_ambr;
	sen_asn_raw_ies unknown;
};

/* 9.2.1.2 PDU SESSION RESOURCE SETUP RESPONSE */
struct sen_ngap_pdu_session_resource_setup_response {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_setup_list;
	sen_ngap_ps_transfer_list setup_list; /* ...SetupListSURes */
	bool has_failed_list;
	sen_ngap_ps_transfer_list failed_list; /* ...FailedToSetupListSURes */
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	bool has_uli;
	struct sen_ngap_uli uli;
	sen_asn_raw_ies unknown;
};

/* 9.2.1.3 PDU SESSION RESOURCE RELEASE COMMAND */
struct sen_ngap_pdu_session_resource_release_command {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_ran_paging_priority;
	uint16_t ran_paging_priority;
	bool has_nas_pdu;
	struct sen_asn_octets nas_pdu;
	sen_ngap_ps_transfer_list pdu_sessions; /* ...ToReleaseListRelCmd */
	sen_asn_raw_ies unknown;
};

/* 9.2.1.4 PDU SESSION RESOURCE RELEASE RESPONSE */
struct sen_ngap_pdu_session_resource_release_response {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	sen_ngap_ps_transfer_list released_list; /* ...ReleasedListRelRes */
	bool has_uli;
	struct sen_ngap_uli uli;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.1.5 PDU SESSION RESOURCE MODIFY REQUEST */
struct sen_ngap_pdu_session_resource_modify_request {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_ran_paging_priority;
	uint16_t ran_paging_priority;
	SEN_ASN_LIST(struct sen_ngap_ps_modify_item) pdu_sessions; /* ...ModifyListModReq */
	sen_asn_raw_ies unknown;
};

/* 9.2.1.6 PDU SESSION RESOURCE MODIFY RESPONSE */
struct sen_ngap_pdu_session_resource_modify_response {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_modify_list;
	sen_ngap_ps_transfer_list modify_list; /* ...ModifyListModRes */
	bool has_failed_list;
	sen_ngap_ps_transfer_list failed_list; /* ...FailedToModifyListModRes */
	bool has_uli;
	struct sen_ngap_uli uli;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	sen_asn_raw_ies unknown;
};

/* 9.2.1.7 PDU SESSION RESOURCE NOTIFY */
struct sen_ngap_pdu_session_resource_notify {
	uint64_t amf_ue_ngap_id;
	uint32_t ran_ue_ngap_id;
	bool has_notify_list;
	sen_ngap_ps_transfer_list notify_list; /* ...NotifyList (NotifyTransfer) */
	bool has_released_list;
	sen_ngap_ps_transfer_list released_list; /* ...ReleasedListNot (NotifyReleasedTransfer) */
	bool has_uli;
	struct sen_ngap_uli uli;
	sen_asn_raw_ies unknown;
};

/* ---- transfers (TS 38.413 9.3.4) ---------------------------------------------------------- */

struct sen_ngap_per { /* PacketErrorRate */
	uint8_t scalar, exponent;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_non_dynamic_5qi {
	uint16_t five_qi;
	bool has_priority_level;
	uint8_t priority_level;
	bool has_averaging_window;
	uint16_t averaging_window;
	bool has_max_data_burst_volume;
	uint32_t max_data_burst_volume;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_dynamic_5qi {
	uint8_t priority_level;
	uint16_t packet_delay_budget;
	struct sen_ngap_per packet_error_rate;
	bool has_five_qi;
	uint16_t five_qi;
	bool has_delay_critical;
	uint8_t delay_critical;
	bool has_averaging_window;
	uint16_t averaging_window;
	bool has_max_data_burst_volume;
	uint32_t max_data_burst_volume;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_characteristics {
	uint32_t present; /* enum sen_ngap_qos_char_kind */
	union {
		struct sen_ngap_non_dynamic_5qi non_dynamic;
		struct sen_ngap_dynamic_5qi dynamic;
		struct sen_ngap_single ext;
	} u;
};

struct sen_ngap_arp { /* AllocationAndRetentionPriority */
	uint8_t priority_level; /* 1..15 */
	uint8_t pre_emption_capability;	   /* shall-not-trigger, may-trigger */
	uint8_t pre_emption_vulnerability; /* not-pre-emptable, pre-emptable */
	struct sen_ngap_ext *ext;
};

struct sen_ngap_gbr_qos {
	uint64_t mfbr_dl, mfbr_ul, gfbr_dl, gfbr_ul;
	bool has_notification_control;
	uint8_t notification_control;
	bool has_max_loss_dl;
	uint16_t max_loss_dl;
	bool has_max_loss_ul;
	uint16_t max_loss_ul;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_params { /* QosFlowLevelQosParameters */
	struct sen_ngap_qos_characteristics characteristics;
	struct sen_ngap_arp arp;
	bool has_gbr;
	struct sen_ngap_gbr_qos gbr;
	bool has_reflective_qos;
	uint8_t reflective_qos;
	bool has_additional_info;
	uint8_t additional_info;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_flow_setup_item { /* QosFlowSetupRequestItem */
	uint8_t qfi;
	struct sen_ngap_qos_params params;
	bool has_e_rab_id;
	uint8_t e_rab_id;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_flow_modify_item { /* QosFlowAddOrModifyRequestItem */
	uint8_t qfi;
	bool has_params;
	struct sen_ngap_qos_params params;
	bool has_e_rab_id;
	uint8_t e_rab_id;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_flow_cause_item { /* QosFlowWithCauseItem */
	uint8_t qfi;
	struct sen_ngap_cause cause;
	struct sen_ngap_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_qos_flow_cause_item) sen_ngap_qos_cause_list;

struct sen_ngap_associated_qos_flow { /* AssociatedQosFlowItem */
	uint8_t qfi;
	bool has_mapping;
	uint8_t mapping; /* ul, dl */
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_flow_per_tnl { /* QosFlowPerTNLInformation */
	struct sen_ngap_up_tnl tnl;
	SEN_ASN_LIST(struct sen_ngap_associated_qos_flow) flows; /* 1..64 */
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_flow_per_tnl_item {
	struct sen_ngap_qos_flow_per_tnl info;
	struct sen_ngap_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_qos_flow_per_tnl_item) sen_ngap_qos_per_tnl_list;

struct sen_ngap_up_tnl_item { /* UPTransportLayerInformationItem */
	struct sen_ngap_up_tnl tnl;
	struct sen_ngap_ext *ext;
};
typedef SEN_ASN_LIST(struct sen_ngap_up_tnl_item) sen_ngap_up_tnl_list;

struct sen_ngap_security_indication {
	uint8_t integrity;	 /* required, preferred, not-needed */
	uint8_t confidentiality; /* required, preferred, not-needed */
	bool has_max_ip_rate_ul;
	uint8_t max_ip_rate_ul; /* bitrate64kbs, maximum-UE-rate */
	struct sen_ngap_ext *ext;
};

struct sen_ngap_security_result {
	uint8_t integrity;	 /* performed, not-performed */
	uint8_t confidentiality; /* performed, not-performed */
	struct sen_ngap_ext *ext;
};

/* 9.3.4.1 PDU Session Resource Setup Request Transfer (an IE container) */
struct sen_ngap_setup_request_transfer {
	bool has_session_ambr;
	struct sen_ngap_ambr session_ambr;
	struct sen_ngap_up_tnl ul_tnl; /* UL NG-U UP TNL Information (the UPF's N3 tunnel) */
	bool has_additional_ul_tnl;
	sen_ngap_up_tnl_list additional_ul_tnl;
	bool has_data_forwarding_not_possible;
	uint8_t data_forwarding_not_possible;
	uint8_t pdu_session_type; /* enum sen_ngap_pdu_session_type */
	bool has_security_indication;
	struct sen_ngap_security_indication security_indication;
	bool has_network_instance;
	uint16_t network_instance;
	SEN_ASN_LIST(struct sen_ngap_qos_flow_setup_item) qos_flows; /* 1..64 */
	bool has_common_network_instance;
	struct sen_asn_octets common_network_instance;
	bool has_direct_forwarding_path;
	uint8_t direct_forwarding_path;
	sen_asn_raw_ies unknown;
};

/* 9.3.4.2 PDU Session Resource Setup Response Transfer */
struct sen_ngap_setup_response_transfer {
	struct sen_ngap_qos_flow_per_tnl dl_qos_flow_per_tnl; /* the gNB's DL tunnel */
	bool has_additional_dl;
	sen_ngap_qos_per_tnl_list additional_dl;
	bool has_security_result;
	struct sen_ngap_security_result security_result;
	bool has_failed_flows;
	sen_ngap_qos_cause_list failed_flows;
	struct sen_ngap_ext *ext;
};

/* 9.3.4.16 PDU Session Resource Setup Unsuccessful Transfer, 9.3.4.? Modify Unsuccessful */
struct sen_ngap_unsuccessful_transfer {
	struct sen_ngap_cause cause;
	bool has_criticality_diagnostics;
	struct sen_ngap_crit_diag criticality_diagnostics;
	struct sen_ngap_ext *ext;
};

struct sen_ngap_ul_tnl_modify_item {
	struct sen_ngap_up_tnl ul, dl;
	struct sen_ngap_ext *ext;
};

/* 9.3.4.3 PDU Session Resource Modify Request Transfer (an IE container) */
struct sen_ngap_modify_request_transfer {
	bool has_session_ambr;
	struct sen_ngap_ambr session_ambr;
	bool has_ul_tnl_modify;
	SEN_ASN_LIST(struct sen_ngap_ul_tnl_modify_item) ul_tnl_modify; /* 1..4 */
	bool has_network_instance;
	uint16_t network_instance;
	bool has_add_or_modify;
	SEN_ASN_LIST(struct sen_ngap_qos_flow_modify_item) add_or_modify; /* 1..64 */
	bool has_to_release;
	sen_ngap_qos_cause_list to_release;
	bool has_additional_ul_tnl;
	sen_ngap_up_tnl_list additional_ul_tnl;
	bool has_common_network_instance;
	struct sen_asn_octets common_network_instance;
	bool has_security_indication;
	struct sen_ngap_security_indication security_indication;
	sen_asn_raw_ies unknown;
};

struct sen_ngap_qfi_item { /* QosFlowAddOrModifyResponseItem */
	uint8_t qfi;
	struct sen_ngap_ext *ext;
};

/* 9.3.4.4 PDU Session Resource Modify Response Transfer */
struct sen_ngap_modify_response_transfer {
	bool has_dl_tnl;
	struct sen_ngap_up_tnl dl_tnl;
	bool has_ul_tnl;
	struct sen_ngap_up_tnl ul_tnl;
	bool has_flows;
	SEN_ASN_LIST(struct sen_ngap_qfi_item) flows;
	bool has_additional_dl;
	sen_ngap_qos_per_tnl_list additional_dl;
	bool has_failed_flows;
	sen_ngap_qos_cause_list failed_flows;
	struct sen_ngap_ext *ext;
};

/* 9.3.4.12 Release Command Transfer, 9.3.4.? Notify Released Transfer: {cause} */
struct sen_ngap_cause_transfer {
	struct sen_ngap_cause cause;
	struct sen_ngap_ext *ext;
};

/* 9.3.4.21 PDU Session Resource Release Response Transfer: extensions only */
struct sen_ngap_release_response_transfer {
	struct sen_ngap_ext *ext;
};

struct sen_ngap_qos_notify_item {
	uint8_t qfi;
	uint8_t notification_cause; /* fulfilled, not-fulfilled */
	struct sen_ngap_ext *ext;
};

/* 9.3.4.5 PDU Session Resource Notify Transfer */
struct sen_ngap_notify_transfer {
	bool has_notify_flows;
	SEN_ASN_LIST(struct sen_ngap_qos_notify_item) notify_flows;
	bool has_released_flows;
	sen_ngap_qos_cause_list released_flows;
	struct sen_ngap_ext *ext;
};

/* ---- descriptors ------------------------------------------------------------------------- */

extern const struct sen_asn_type sen_ngap_pdu_type; /* NGAP-PDU */

/* transfers: decode with sen_ngap_transfer_decode() / sen_asn_decode() */
extern const struct sen_asn_type sen_ngap_setup_request_transfer_type;
extern const struct sen_asn_type sen_ngap_setup_response_transfer_type;
extern const struct sen_asn_type sen_ngap_setup_unsuccessful_transfer_type;
extern const struct sen_asn_type sen_ngap_modify_request_transfer_type;
extern const struct sen_asn_type sen_ngap_modify_response_transfer_type;
extern const struct sen_asn_type sen_ngap_modify_unsuccessful_transfer_type;
extern const struct sen_asn_type sen_ngap_release_command_transfer_type;
extern const struct sen_asn_type sen_ngap_release_response_transfer_type;
extern const struct sen_asn_type sen_ngap_notify_transfer_type;
extern const struct sen_asn_type sen_ngap_notify_released_transfer_type;

/* ---- PDU --------------------------------------------------------------------------------- */

/* InitiatingMessage / SuccessfulOutcome / UnsuccessfulOutcome */
struct sen_ngap_msg {
	uint8_t procedure_code;
	uint8_t criticality;	   /* of the procedure (SEN_ASN_REJECT / IGNORE / NOTIFY) */
	struct sen_asn_open value; /* .type = message descriptor, .value = message struct */
};

struct sen_ngap_pdu {
	uint32_t present; /* enum sen_ngap_pdu_kind; 3+ = unknown extension alternative */
	struct sen_ngap_msg msg;
	struct sen_asn_octets unknown_alternative;
};

/*
 * Decode an NGAP PDU (one SCTP DATA chunk with PPID 60). The message struct is allocated
 * in ctx->arena and found at pdu->msg.value.value, its descriptor at pdu->msg.value.type
 * (NULL when the procedure code / PDU kind pair is not one lib/ngap knows: then only
 * msg.value.data/len are set). Returns the octets used (trailing octets are tolerated), or -SEN_EMSGSIZE
 * (truncated), -SEN_EPROTO (malformed: ctx->path says where), -SEN_ENOMEM (arena limit).
 * A successful decode may still carry clause 10 findings: see sen_ngap_judge().
 */
int sen_ngap_decode(struct sen_ngap_pdu *pdu, const uint8_t *buf, size_t len,
		    struct sen_asn_ctx *ctx);

/* Encode into out[0..cap): the octet count, or -SEN_EMSGSIZE / -SEN_ERANGE / -SEN_EINVAL. */
int sen_ngap_encode(const struct sen_ngap_pdu *pdu, uint8_t *out, size_t cap);

/*
 * Prepare pdu to carry msg (a message struct of the kind/procedure given): sets the
 * procedure code, the procedure's criticality from NGAP-PDU-Descriptions and the message
 * descriptor. Returns 0, or -SEN_ENOENT when lib/ngap has no such message.
 */
int sen_ngap_pdu_init(struct sen_ngap_pdu *pdu, unsigned kind, unsigned procedure_code,
		      const void *msg);

/* The message's descriptor (NULL if unknown) and names for logs ("InitialUEMessage"). */
const struct sen_asn_type *sen_ngap_msg_type(unsigned kind, unsigned procedure_code);
const char *sen_ngap_procedure_name(unsigned procedure_code); /* "?" if unknown */
const char *sen_ngap_msg_name(const struct sen_ngap_pdu *pdu);

/* Decode / encode one transfer (t: one of the sen_ngap_*_transfer_type descriptors). */
int sen_ngap_transfer_decode(const struct sen_asn_type *t, void *value, const uint8_t *buf,
			     size_t len, struct sen_asn_ctx *ctx);
int sen_ngap_transfer_encode(const struct sen_asn_type *t, const void *value, uint8_t *out,
			     size_t cap);

/* ---- clause 10: criticality handling ----------------------------------------------------- */

enum sen_ngap_action {
	SEN_NGAP_PROCEED = 0,	     /* nothing to report (possibly IEs ignored silently) */
	SEN_NGAP_PROCEED_NOTIFY = 1, /* go on, ignoring the IEs, and report them (see `reply`:
					in the procedure's response, or an Error Indication;
					10.3.4.2, 10.3.5) */
	SEN_NGAP_REJECT = 2,	     /* reject: see `reply` */
};

enum sen_ngap_reply {
	SEN_NGAP_REPLY_NONE = 0,	 /* nothing to send */
	SEN_NGAP_REPLY_UNSUCCESSFUL = 1, /* the procedure's unsuccessful outcome, with cause and
					    Criticality Diagnostics (initiating message of a
					    procedure that has one) */
	SEN_NGAP_REPLY_ERROR_INDICATION = 2, /* an Error Indication with them */
	SEN_NGAP_REPLY_LOCAL = 3, /* a response was faulty: terminate the procedure, local error
				     handling (10.3.4.2) */
	SEN_NGAP_REPLY_RESPONSE = 4, /* run the procedure and put the Criticality Diagnostics
					into its response (successful or unsuccessful outcome,
					whichever it ends with): "ignore IE and notify sender"
					in the initiating message of a class 1 procedure
					(10.3.4.2, 10.3.5). No cause: the response has its own */
};

struct sen_ngap_judgement {
	enum sen_ngap_action action;
	enum sen_ngap_reply reply;
	uint8_t cause_protocol; /* CauseProtocol value for the reply (SEN_NGAP_CAUSE_PROTO_*) */
	struct sen_ngap_crit_diag diag; /* ready to put into the reply (ies point into `items`);
					   Procedure Code and Triggering Message are set only
					   for an Error Indication (9.3.1.3) */
	struct sen_ngap_cd_ie items[SEN_ASN_MAX_DIAG];
};

/*
 * TS 38.413 clause 10: decide what the receiver of a decoded PDU must do about IEs it did
 * not comprehend, mandatory IEs that are missing and IEs that are repeated (recorded by the
 * decoder in ctx->diag), and about procedure codes it does not know. Fills j (j->diag
 * points into j itself: keep j while using it) and returns j->action:
 *   - unknown procedure code: by the procedure criticality received (10.3.4.1):
 *     reject / ignore-and-notify -> Error Indication; ignore -> nothing;
 *   - IE not comprehended (10.3.4.2) or missing (10.3.5) with criticality reject ->
 *     SEN_NGAP_REJECT: unsuccessful outcome if the message initiates a procedure that has
 *     one, an Error Indication otherwise, local handling for a response;
 *     ignore-and-notify -> SEN_NGAP_PROCEED_NOTIFY: reported in the procedure's response
 *     (SEN_NGAP_REPLY_RESPONSE) when the message initiates a class 1 procedure, else by an
 *     Error Indication; ignore -> SEN_NGAP_PROCEED;
 *   - a repeated IE or IEs in the wrong order: abstract syntax error, falsely constructed
 *     message (10.3.6) -> reject, answered as for reject above.
 * The worst finding wins; all findings are listed in j->diag.
 */
enum sen_ngap_action sen_ngap_judge(const struct sen_ngap_pdu *pdu, const struct sen_asn_ctx *ctx,
				    struct sen_ngap_judgement *j);

/* True when the procedure has an unsuccessful outcome message (Class 1 with failure). */
bool sen_ngap_has_unsuccessful(unsigned procedure_code);

/* ---- printing ------------------------------------------------------------------------------ */

/*
 * A tree walk over a decoded value, for senctl and logs. open() starts a named node (list
 * true: its children are the elements of a SEQUENCE OF, opened with name NULL), value()
 * gives a leaf as text, octets() is offered every OCTET STRING first (return true if it
 * printed it, e.g. a NAS-PDU decoded by lib/nas; name is the IE or component name).
 */
struct sen_ngap_visitor {
	void (*open)(void *arg, const char *name, bool list);
	void (*close)(void *arg);
	void (*value)(void *arg, const char *name, const char *text);
	bool (*octets)(void *arg, const char *name, const uint8_t *p, size_t len);
};

/*
 * Walk pdu. Transfers found in the PDU are decoded (with ctx's arena, in a context of their
 * own) and walked too; one that fails to decode is shown as hex with the problem. Pass the
 * context pdu was decoded with: mandatory IEs its diag lists as missing hold no value and
 * are left out (a fresh context shows every mandatory field). Returns 0 or -SEN_ENOMEM.
 */
int sen_ngap_walk(const struct sen_ngap_pdu *pdu, const struct sen_ngap_visitor *v, void *arg,
		  struct sen_asn_ctx *ctx);

/* Walk any value of a lib/ngap descriptor (a message, an IE, a transfer). */
int sen_ngap_walk_value(const struct sen_asn_type *t, const void *value,
			const struct sen_ngap_visitor *v, void *arg, struct sen_asn_ctx *ctx);

/* ---- helpers ------------------------------------------------------------------------------- */

/* PLMN identity (3 octets, TS 24.008 10.5.1.13 / TS 38.413 9.3.3.5) <-> digit strings. */
int sen_ngap_plmn_encode(const char *mcc, const char *mnc, uint8_t out[3]);
int sen_ngap_plmn_decode(const uint8_t in[3], char mcc[4], char mnc[4]);

/* Bits -> integer (most significant first), for cell ids, gNB ids, AMF set ids ... */
uint64_t sen_ngap_bits_value(const struct sen_asn_bits *b);

/* Check every lib/ngap descriptor with sen_asn_check (unit tests). 0 or -SEN_EINVAL. */
int sen_ngap_check_tables(char *why, size_t why_len);

#endif
