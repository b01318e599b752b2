/*
 * PFCP (TS 29.244 Release 17) messages and information elements for N4: one C struct per
 * message of clause 7.4 / 7.5 that Sen uses, the IEs of clause 8.2 they carry, and one
 * table-driven decoder and encoder for all of them (lib/pfcp/tables.c holds the tables).
 *
 * Wire format: a header (7.2.2) then IEs as Type (2 octets), Length (2 octets), value
 * (8.1.1). Grouped IEs (Create PDR, PDI, Forwarding Parameters, ...) hold IEs in the same
 * format, nested to any depth; each grouped IE here is a struct with its own table.
 *
 * Presence: a mandatory IE is a plain field; a conditional or optional IE has a has_
 * flag; an IE that may repeat is an array with a count n_ (capacity SEN_PFCP_MAX_*).
 * The encoder writes IEs in the order of the spec's tables; the decoder accepts any order.
 *
 * Input is hostile. The decoder checks every length and never reads outside the buffer,
 * and follows TS 29.244 7.6:
 *   - shorter than the header, or an unknown message type: silently discarded;
 *   - version other than 1: answer Version Not Supported Response (7.6.2);
 *   - message or IE length inconsistent: cause 68 "Invalid length";
 *   - mandatory IE missing: cause 66 "Mandatory IE missing" with Offending IE;
 *   - a known IE with an invalid value: cause 69 "Mandatory IE incorrect" with Offending IE
 *     (conditional IEs are treated as mandatory here: a malformed F-TEID or PDI is never
 *     silently dropped);
 *   - unknown IEs (and vendor IEs, type >= 32768) are skipped (7.6.1); a repeated IE that
 *     may occur once is used once (the first), the rest are skipped.
 * struct sen_pfcp_error says which of these happened and names the IE.
 *
 * Byte strings (struct sen_pfcp_bytes) in a decoded message point into the input: keep
 * the input as long as the message. When encoding they point to the caller's data.
 * The message struct is large (tens of KiB): keep it static or on the heap.
 */
#ifndef SEN_PFCP_PFCP_H
#define SEN_PFCP_PFCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEN_PFCP_PORT	 8805 /* TS 29.244 4.2.2 */
#define SEN_PFCP_VERSION 1

/* ---- message types (TS 29.244 7.3, table 7.3-1) ---- */

enum sen_pfcp_msg_type {
	SEN_PFCP_HEARTBEAT_REQUEST = 1,
	SEN_PFCP_HEARTBEAT_RESPONSE = 2,
	SEN_PFCP_ASSOCIATION_SETUP_REQUEST = 5,
	SEN_PFCP_ASSOCIATION_SETUP_RESPONSE = 6,
	SEN_PFCP_ASSOCIATION_RELEASE_REQUEST = 9,
	SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE = 10,
	SEN_PFCP_VERSION_NOT_SUPPORTED_RESPONSE = 11,
	SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST = 50,
	SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE = 51,
	SEN_PFCP_SESSION_MODIFICATION_REQUEST = 52,
	SEN_PFCP_SESSION_MODIFICATION_RESPONSE = 53,
	SEN_PFCP_SESSION_DELETION_REQUEST = 54,
	SEN_PFCP_SESSION_DELETION_RESPONSE = 55,
	SEN_PFCP_SESSION_REPORT_REQUEST = 56,
	SEN_PFCP_SESSION_REPORT_RESPONSE = 57,
};

/* ---- IE types (TS 29.244 8.1.2, table 8.1.2-1): the ones modelled here ---- */

enum sen_pfcp_ie_type {
	SEN_PFCP_IE_CREATE_PDR = 1,
	SEN_PFCP_IE_PDI = 2,
	SEN_PFCP_IE_CREATE_FAR = 3,
	SEN_PFCP_IE_FORWARDING_PARAMETERS = 4,
	SEN_PFCP_IE_CREATE_URR = 6,
	SEN_PFCP_IE_CREATE_QER = 7,
	SEN_PFCP_IE_CREATED_PDR = 8,
	SEN_PFCP_IE_UPDATE_PDR = 9,
	SEN_PFCP_IE_UPDATE_FAR = 10,
	SEN_PFCP_IE_UPDATE_FORWARDING_PARAMETERS = 11,
	SEN_PFCP_IE_UPDATE_URR = 13,
	SEN_PFCP_IE_UPDATE_QER = 14,
	SEN_PFCP_IE_REMOVE_PDR = 15,
	SEN_PFCP_IE_REMOVE_FAR = 16,
	SEN_PFCP_IE_REMOVE_URR = 17,
	SEN_PFCP_IE_REMOVE_QER = 18,
	SEN_PFCP_IE_CAUSE = 19,
	SEN_PFCP_IE_SOURCE_INTERFACE = 20,
	SEN_PFCP_IE_F_TEID = 21,
	SEN_PFCP_IE_NETWORK_INSTANCE = 22,
	SEN_PFCP_IE_SDF_FILTER = 23,
	SEN_PFCP_IE_APPLICATION_ID = 24,
	SEN_PFCP_IE_GATE_STATUS = 25,
	SEN_PFCP_IE_MBR = 26,
	SEN_PFCP_IE_GBR = 27,
	SEN_PFCP_IE_QER_CORRELATION_ID = 28,
	SEN_PFCP_IE_PRECEDENCE = 29,
	SEN_PFCP_IE_TRANSPORT_LEVEL_MARKING = 30,
	SEN_PFCP_IE_VOLUME_THRESHOLD = 31,
	SEN_PFCP_IE_TIME_THRESHOLD = 32,
	SEN_PFCP_IE_REPORTING_TRIGGERS = 37,
	SEN_PFCP_IE_REPORT_TYPE = 39,
	SEN_PFCP_IE_OFFENDING_IE = 40,
	SEN_PFCP_IE_DESTINATION_INTERFACE = 42,
	SEN_PFCP_IE_UP_FUNCTION_FEATURES = 43,
	SEN_PFCP_IE_APPLY_ACTION = 44,
	SEN_PFCP_IE_DL_DATA_SERVICE_INFORMATION = 45,
	SEN_PFCP_IE_PFCPSMREQ_FLAGS = 49,
	SEN_PFCP_IE_PFCPSRRSP_FLAGS = 50,
	SEN_PFCP_IE_PDR_ID = 56,
	SEN_PFCP_IE_F_SEID = 57,
	SEN_PFCP_IE_NODE_ID = 60,
	SEN_PFCP_IE_MEASUREMENT_METHOD = 62,
	SEN_PFCP_IE_USAGE_REPORT_TRIGGER = 63,
	SEN_PFCP_IE_MEASUREMENT_PERIOD = 64,
	SEN_PFCP_IE_VOLUME_MEASUREMENT = 66,
	SEN_PFCP_IE_DURATION_MEASUREMENT = 67,
	SEN_PFCP_IE_TIME_OF_FIRST_PACKET = 69,
	SEN_PFCP_IE_TIME_OF_LAST_PACKET = 70,
	SEN_PFCP_IE_VOLUME_QUOTA = 73,
	SEN_PFCP_IE_TIME_QUOTA = 74,
	SEN_PFCP_IE_START_TIME = 75,
	SEN_PFCP_IE_END_TIME = 76,
	SEN_PFCP_IE_USAGE_REPORT_MODIFICATION = 78, /* in Session Modification Response */
	SEN_PFCP_IE_USAGE_REPORT_DELETION = 79,	    /* in Session Deletion Response */
	SEN_PFCP_IE_USAGE_REPORT_REPORT = 80,	    /* in Session Report Request */
	SEN_PFCP_IE_URR_ID = 81,
	SEN_PFCP_IE_DOWNLINK_DATA_REPORT = 83,
	SEN_PFCP_IE_OUTER_HEADER_CREATION = 84,
	SEN_PFCP_IE_BAR_ID = 88,
	SEN_PFCP_IE_CP_FUNCTION_FEATURES = 89,
	SEN_PFCP_IE_UE_IP_ADDRESS = 93,
	SEN_PFCP_IE_OUTER_HEADER_REMOVAL = 95,
	SEN_PFCP_IE_RECOVERY_TIME_STAMP = 96,
	SEN_PFCP_IE_ERROR_INDICATION_REPORT = 99,
	SEN_PFCP_IE_UR_SEQN = 104,
	SEN_PFCP_IE_FAR_ID = 108,
	SEN_PFCP_IE_QER_ID = 109,
	SEN_PFCP_IE_PDN_TYPE = 113,
	SEN_PFCP_IE_RQI = 123,
	SEN_PFCP_IE_QFI = 124,
	SEN_PFCP_IE_PAGING_POLICY_INDICATOR = 158,
	SEN_PFCP_IE_APN_DNN = 159,
};

/* ---- cause values (TS 29.244 8.2.1, table 8.2.1-1) ---- */

enum sen_pfcp_cause {
	SEN_PFCP_CAUSE_REQUEST_ACCEPTED = 1,
	SEN_PFCP_CAUSE_MORE_USAGE_REPORT = 2,
	SEN_PFCP_CAUSE_PARTIALLY_ACCEPTED = 3,
	SEN_PFCP_CAUSE_REQUEST_REJECTED = 64,
	SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND = 65,
	SEN_PFCP_CAUSE_MANDATORY_IE_MISSING = 66,
	SEN_PFCP_CAUSE_CONDITIONAL_IE_MISSING = 67,
	SEN_PFCP_CAUSE_INVALID_LENGTH = 68,
	SEN_PFCP_CAUSE_MANDATORY_IE_INCORRECT = 69,
	SEN_PFCP_CAUSE_INVALID_FORWARDING_POLICY = 70,
	SEN_PFCP_CAUSE_INVALID_FTEID_ALLOCATION = 71,
	SEN_PFCP_CAUSE_NO_ESTABLISHED_ASSOCIATION = 72,
	SEN_PFCP_CAUSE_RULE_CREATION_FAILURE = 73,
	SEN_PFCP_CAUSE_CONGESTION = 74,
	SEN_PFCP_CAUSE_NO_RESOURCES = 75,
	SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED = 76,
	SEN_PFCP_CAUSE_SYSTEM_FAILURE = 77,
};

/* ---- IE values ---- */

/* Bytes that belong to someone else (see the file comment). */
struct sen_pfcp_bytes {
	const uint8_t *p;
	size_t len;
};

/*
 * A flags IE of one or more octets (Apply Action, UP/CP Function Features, Reporting
 * Triggers, Measurement Method, Usage Report Trigger, Report Type, PFCPSMReq-Flags,
 * PFCPSRRsp-Flags). Bit b (1..8) of octet 5+k is bit (8k + b - 1) of `bits`. `len` is the
 * number of octets on the wire (1..8); 0 when encoding means "as few as hold the bits,
 * but at least what the IE's definition requires". The decoder keeps up to 8 octets.
 */
struct sen_pfcp_flags {
	uint64_t bits;
	uint8_t len;
};

/* Apply Action (8.2.26) */
#define SEN_PFCP_AA_DROP (1u << 0)
#define SEN_PFCP_AA_FORW (1u << 1)
#define SEN_PFCP_AA_BUFF (1u << 2)
#define SEN_PFCP_AA_NOCP (1u << 3)
#define SEN_PFCP_AA_DUPL (1u << 4)
/* Measurement Method (8.2.40) */
#define SEN_PFCP_MM_DURAT (1u << 0)
#define SEN_PFCP_MM_VOLUM (1u << 1)
#define SEN_PFCP_MM_EVENT (1u << 2)
/* Reporting Triggers (8.2.19) */
#define SEN_PFCP_RT_PERIO (1u << 0)
#define SEN_PFCP_RT_VOLTH (1u << 1)
#define SEN_PFCP_RT_TIMTH (1u << 2)
#define SEN_PFCP_RT_QUHTI (1u << 3)
#define SEN_PFCP_RT_START (1u << 4)
#define SEN_PFCP_RT_STOPT (1u << 5)
#define SEN_PFCP_RT_DROTH (1u << 6)
#define SEN_PFCP_RT_LIUSA (1u << 7)
#define SEN_PFCP_RT_VOLQU (1u << 8)
#define SEN_PFCP_RT_TIMQU (1u << 9)
/* Usage Report Trigger (8.2.41) */
#define SEN_PFCP_URT_PERIO (1u << 0)
#define SEN_PFCP_URT_VOLTH (1u << 1)
#define SEN_PFCP_URT_TIMTH (1u << 2)
#define SEN_PFCP_URT_QUHTI (1u << 3)
#define SEN_PFCP_URT_START (1u << 4)
#define SEN_PFCP_URT_STOPT (1u << 5)
#define SEN_PFCP_URT_DROTH (1u << 6)
#define SEN_PFCP_URT_IMMER (1u << 7)
#define SEN_PFCP_URT_VOLQU (1u << 8)
#define SEN_PFCP_URT_TIMQU (1u << 9)
#define SEN_PFCP_URT_LIUSA (1u << 10)
#define SEN_PFCP_URT_TERMR (1u << 11)
/* Report Type (8.2.21) */
#define SEN_PFCP_REPORT_DLDR (1u << 0) /* downlink data report */
#define SEN_PFCP_REPORT_USAR (1u << 1) /* usage report */
#define SEN_PFCP_REPORT_ERIR (1u << 2) /* error indication report */
#define SEN_PFCP_REPORT_UPIR (1u << 3) /* user plane inactivity report */
/* UP Function Features (8.2.25), first octets */
#define SEN_PFCP_UP_BUCP (1u << 0)
#define SEN_PFCP_UP_DDND (1u << 1)
#define SEN_PFCP_UP_DLBD (1u << 2)
#define SEN_PFCP_UP_TRST (1u << 3)
#define SEN_PFCP_UP_FTUP (1u << 4) /* F-TEID allocation (CHOOSE) in the UP function */
#define SEN_PFCP_UP_PFDM (1u << 5)
#define SEN_PFCP_UP_HEEU (1u << 6)
#define SEN_PFCP_UP_TREU (1u << 7)
#define SEN_PFCP_UP_EMPU (1u << 8)
/* CP Function Features (8.2.58) */
#define SEN_PFCP_CP_LOAD (1u << 0)
#define SEN_PFCP_CP_OVRL (1u << 1)
/* PFCPSMReq-Flags (8.2.31) */
#define SEN_PFCP_SMREQ_DROBU (1u << 0)
#define SEN_PFCP_SMREQ_SNDEM (1u << 1) /* send end marker packets */
#define SEN_PFCP_SMREQ_QAURR (1u << 2)

/* Interface values of Source / Destination Interface (8.2.2, 8.2.24). */
enum sen_pfcp_interface {
	SEN_PFCP_IF_ACCESS = 0,
	SEN_PFCP_IF_CORE = 1,
	SEN_PFCP_IF_N6_LAN = 2, /* SGi-LAN / N6-LAN */
	SEN_PFCP_IF_CP_FUNCTION = 3,
	SEN_PFCP_IF_5G_VN_INTERNAL = 4,
};

/* Node ID (8.2.38). */
enum sen_pfcp_node_id_type {
	SEN_PFCP_NODE_IPV4 = 0,
	SEN_PFCP_NODE_IPV6 = 1,
	SEN_PFCP_NODE_FQDN = 2,
};
#define SEN_PFCP_FQDN_MAX 255
struct sen_pfcp_node_id {
	uint8_t type;
	uint8_t ipv4[4];
	uint8_t ipv6[16];
	char fqdn[SEN_PFCP_FQDN_MAX + 1]; /* dotted text; DNS labels on the wire */
};

/* F-SEID (8.2.37). */
#define SEN_PFCP_FSEID_V6 0x01
#define SEN_PFCP_FSEID_V4 0x02
struct sen_pfcp_fseid {
	uint8_t flags; /* SEN_PFCP_FSEID_* */
	uint64_t seid;
	uint8_t ipv4[4];
	uint8_t ipv6[16];
};

/*
 * F-TEID (8.2.3). With CH (CHOOSE) set the UP function allocates the TEID: TEID and
 * addresses are absent and V4/V6 say which address families are wanted; CHID adds a
 * Choose ID so that PDRs with the same ID share one F-TEID.
 */
#define SEN_PFCP_FTEID_V4   0x01
#define SEN_PFCP_FTEID_V6   0x02
#define SEN_PFCP_FTEID_CH   0x04
#define SEN_PFCP_FTEID_CHID 0x08
struct sen_pfcp_fteid {
	uint8_t flags; /* SEN_PFCP_FTEID_* */
	uint32_t teid;
	uint8_t ipv4[4];
	uint8_t ipv6[16];
	uint8_t choose_id;
};

/* UE IP Address (8.2.62). */
#define SEN_PFCP_UEIP_V6    0x01
#define SEN_PFCP_UEIP_V4    0x02
#define SEN_PFCP_UEIP_SD    0x04 /* 1: destination address (downlink PDI) */
#define SEN_PFCP_UEIP_IPV6D 0x08
#define SEN_PFCP_UEIP_CHV4  0x10
#define SEN_PFCP_UEIP_CHV6  0x20
#define SEN_PFCP_UEIP_IP6PL 0x40
struct sen_pfcp_ue_ip {
	uint8_t flags; /* SEN_PFCP_UEIP_* */
	uint8_t ipv4[4];
	uint8_t ipv6[16];
	uint8_t ipv6_pd_bits;	 /* with IPV6D */
	uint8_t ipv6_prefix_len; /* with IP6PL */
};

/* SDF Filter (8.2.5). */
#define SEN_PFCP_SDF_FD	 0x01 /* flow description */
#define SEN_PFCP_SDF_TTC 0x02 /* ToS traffic class */
#define SEN_PFCP_SDF_SPI 0x04 /* security parameter index */
#define SEN_PFCP_SDF_FL	 0x08 /* flow label */
#define SEN_PFCP_SDF_BID 0x10 /* SDF filter ID */
struct sen_pfcp_sdf_filter {
	uint8_t flags;			 /* SEN_PFCP_SDF_* */
	struct sen_pfcp_bytes flow_desc; /* IPFilterRule text (RFC 6733), no NUL */
	uint16_t tos_tc;
	uint32_t spi;
	uint32_t flow_label; /* 24 bits */
	uint32_t filter_id;
};

/* Outer Header Removal (8.2.64). */
enum sen_pfcp_ohr_desc {
	SEN_PFCP_OHR_GTPU_UDP_IPV4 = 0,
	SEN_PFCP_OHR_GTPU_UDP_IPV6 = 1,
	SEN_PFCP_OHR_UDP_IPV4 = 2,
	SEN_PFCP_OHR_UDP_IPV6 = 3,
	SEN_PFCP_OHR_IPV4 = 4,
	SEN_PFCP_OHR_IPV6 = 5,
	SEN_PFCP_OHR_GTPU_UDP_IP = 6,
};
struct sen_pfcp_ohr {
	uint8_t desc;
	bool has_ext_deletion;
	uint8_t ext_deletion; /* bit 1: PDU session container */
};

/* Outer Header Creation (8.2.56): description bits, octet 5 in the high byte. */
#define SEN_PFCP_OHC_GTPU_UDP_IPV4 0x0100
#define SEN_PFCP_OHC_GTPU_UDP_IPV6 0x0200
#define SEN_PFCP_OHC_UDP_IPV4	   0x0400
#define SEN_PFCP_OHC_UDP_IPV6	   0x0800
#define SEN_PFCP_OHC_IPV4	   0x1000
#define SEN_PFCP_OHC_IPV6	   0x2000
#define SEN_PFCP_OHC_CTAG	   0x4000
#define SEN_PFCP_OHC_STAG	   0x8000
#define SEN_PFCP_OHC_N19	   0x0001
#define SEN_PFCP_OHC_N6		   0x0002
struct sen_pfcp_ohc {
	uint16_t desc;
	uint32_t teid;
	uint8_t ipv4[4];
	uint8_t ipv6[16];
	uint16_t port;
	uint32_t ctag, stag; /* 24 bits each */
};

/* MBR / GBR (8.2.8, 8.2.9): kbit/s, 40 bits each. */
struct sen_pfcp_bitrate {
	uint64_t ul, dl;
};

/* Gate Status (8.2.7): UL gate in bits 4..3, DL gate in bits 2..1; 0 open, 1 closed. */
#define SEN_PFCP_GATE(ul_closed, dl_closed)                                                        \
	((uint8_t)(((ul_closed) ? 4 : 0) | ((dl_closed) ? 1 : 0)))

/* Volume Threshold / Quota (8.2.13, 8.2.50) and Volume Measurement (8.2.44). */
#define SEN_PFCP_VOL_TOVOL 0x01
#define SEN_PFCP_VOL_ULVOL 0x02
#define SEN_PFCP_VOL_DLVOL 0x04
#define SEN_PFCP_VOL_TONOP 0x08 /* measurement only: packet counts */
#define SEN_PFCP_VOL_ULNOP 0x10
#define SEN_PFCP_VOL_DLNOP 0x20
struct sen_pfcp_volume {
	uint8_t flags;			       /* SEN_PFCP_VOL_* */
	uint64_t total, ul, dl;		       /* octets */
	uint64_t total_pkts, ul_pkts, dl_pkts; /* measurement only */
};

/* Downlink Data Service Information (8.2.27). */
#define SEN_PFCP_DDSI_PPI  0x01
#define SEN_PFCP_DDSI_QFII 0x02
struct sen_pfcp_dl_service_info {
	uint8_t flags;
	uint8_t ppi; /* paging policy indication, 6 bits */
	uint8_t qfi; /* 6 bits */
};

/* ---- grouped IEs ---- */

#define SEN_PFCP_MAX_PDR      16
#define SEN_PFCP_MAX_FAR      16
#define SEN_PFCP_MAX_URR      8
#define SEN_PFCP_MAX_QER      8
#define SEN_PFCP_MAX_SDF      8
#define SEN_PFCP_MAX_UE_IP    2
#define SEN_PFCP_MAX_QFI      8
#define SEN_PFCP_MAX_RULE_REF 8 /* URR IDs / QER IDs one PDR refers to */
#define SEN_PFCP_MAX_USAGE    8
#define SEN_PFCP_MAX_DL_PDR   8
#define SEN_PFCP_MAX_REMOTE   4

/* PDI (7.5.2.2-2) */
struct sen_pfcp_pdi {
	uint8_t source_interface; /* enum sen_pfcp_interface */
	bool has_local_fteid, has_network_instance, has_application_id;
	struct sen_pfcp_fteid local_fteid;
	struct sen_pfcp_bytes network_instance;
	uint8_t n_ue_ip;
	struct sen_pfcp_ue_ip ue_ip[SEN_PFCP_MAX_UE_IP];
	uint8_t n_sdf_filter;
	struct sen_pfcp_sdf_filter sdf_filter[SEN_PFCP_MAX_SDF];
	struct sen_pfcp_bytes application_id;
	uint8_t n_qfi;
	uint8_t qfi[SEN_PFCP_MAX_QFI];
};

/* Create PDR (7.5.2.2) */
struct sen_pfcp_create_pdr {
	uint16_t pdr_id;
	uint32_t precedence;
	struct sen_pfcp_pdi pdi;
	bool has_ohr, has_far_id;
	struct sen_pfcp_ohr ohr;
	uint32_t far_id;
	uint8_t n_urr_id, n_qer_id;
	uint32_t urr_id[SEN_PFCP_MAX_RULE_REF];
	uint32_t qer_id[SEN_PFCP_MAX_RULE_REF];
};

/* Update PDR (7.5.4.2) */
struct sen_pfcp_update_pdr {
	uint16_t pdr_id;
	bool has_ohr, has_precedence, has_pdi, has_far_id;
	struct sen_pfcp_ohr ohr;
	uint32_t precedence;
	struct sen_pfcp_pdi pdi;
	uint32_t far_id;
	uint8_t n_urr_id, n_qer_id;
	uint32_t urr_id[SEN_PFCP_MAX_RULE_REF];
	uint32_t qer_id[SEN_PFCP_MAX_RULE_REF];
};

/* Forwarding Parameters (7.5.2.3-2) and Update Forwarding Parameters (7.5.4.3-2) */
struct sen_pfcp_fwd_params {
	uint8_t destination_interface;	/* mandatory in Forwarding Parameters */
	bool has_destination_interface; /* Update Forwarding Parameters only */
	bool has_network_instance, has_ohc, has_tlm, has_smreq_flags;
	struct sen_pfcp_bytes network_instance;
	struct sen_pfcp_ohc ohc;
	uint16_t tlm;			   /* Transport Level Marking: ToS/traffic class */
	struct sen_pfcp_flags smreq_flags; /* Update only: PFCPSMReq-Flags (SNDEM) */
};

/* Create FAR (7.5.2.3) and Update FAR (7.5.4.3) */
struct sen_pfcp_create_far {
	uint32_t far_id;
	struct sen_pfcp_flags apply_action;
	bool has_fwd, has_bar_id;
	struct sen_pfcp_fwd_params fwd;
	uint8_t bar_id;
};
struct sen_pfcp_update_far {
	uint32_t far_id;
	bool has_apply_action, has_fwd, has_bar_id;
	struct sen_pfcp_flags apply_action;
	struct sen_pfcp_fwd_params fwd; /* Update Forwarding Parameters */
	uint8_t bar_id;
};

/* Create URR (7.5.2.4) and Update URR (7.5.4.4): the basic measurement IEs. */
struct sen_pfcp_urr {
	uint32_t urr_id;
	bool has_measurement_method, has_reporting_triggers; /* mandatory in Create URR */
	struct sen_pfcp_flags measurement_method;
	struct sen_pfcp_flags reporting_triggers;
	bool has_measurement_period, has_volume_threshold, has_volume_quota, has_time_threshold,
	    has_time_quota;
	uint32_t measurement_period; /* seconds */
	struct sen_pfcp_volume volume_threshold;
	struct sen_pfcp_volume volume_quota;
	uint32_t time_threshold; /* seconds */
	uint32_t time_quota;
};

/* Create QER (7.5.2.5) and Update QER (7.5.4.5) */
struct sen_pfcp_qer {
	uint32_t qer_id;
	bool has_gate_status; /* mandatory in Create QER */
	uint8_t gate_status;  /* SEN_PFCP_GATE() */
	bool has_qer_corr_id, has_mbr, has_gbr, has_qfi, has_rqi, has_ppi;
	uint32_t qer_corr_id;
	struct sen_pfcp_bitrate mbr, gbr;
	uint8_t qfi;
	uint8_t rqi; /* bit 1 */
	uint8_t ppi; /* paging policy indicator, 3 bits */
};

/* Remove PDR / FAR / URR / QER (7.5.4.6 - 7.5.4.9): the rule ID only. */
struct sen_pfcp_remove {
	uint32_t id; /* PDR ID (16 bits), FAR / URR / QER ID */
};

/* Created PDR (7.5.3.2) */
struct sen_pfcp_created_pdr {
	uint16_t pdr_id;
	bool has_local_fteid, has_ue_ip;
	struct sen_pfcp_fteid local_fteid;
	struct sen_pfcp_ue_ip ue_ip;
};

/* Usage Report (7.5.5.2, 7.5.7.2, 7.5.8.3): the basic measurement IEs. */
struct sen_pfcp_usage_report {
	uint32_t urr_id;
	uint32_t ur_seqn;
	struct sen_pfcp_flags trigger; /* Usage Report Trigger */
	bool has_start_time, has_end_time, has_volume, has_duration, has_first_pkt, has_last_pkt;
	uint32_t start_time, end_time; /* NTP seconds (8.2.75, 8.2.76) */
	struct sen_pfcp_volume volume; /* Volume Measurement */
	uint32_t duration;	       /* seconds */
	uint32_t first_pkt, last_pkt;  /* NTP seconds */
};

/* Downlink Data Report (7.5.8.2) */
struct sen_pfcp_dl_data_report {
	uint8_t n_pdr_id;
	uint16_t pdr_id[SEN_PFCP_MAX_DL_PDR];
	uint8_t n_service_info;
	struct sen_pfcp_dl_service_info service_info[SEN_PFCP_MAX_DL_PDR];
};

/* Error Indication Report (7.5.8.4): the remote F-TEIDs an Error Indication named. */
struct sen_pfcp_error_indication_report {
	uint8_t n_remote_fteid;
	struct sen_pfcp_fteid remote_fteid[SEN_PFCP_MAX_REMOTE];
};

/* ---- messages (TS 29.244 7.4, 7.5) ---- */

/* 7.4.2 Heartbeat Request / Response */
struct sen_pfcp_heartbeat {
	uint32_t recovery_ts; /* Recovery Time Stamp (8.2.65), NTP seconds */
};

/* 7.4.4.1 Association Setup Request, 7.4.4.2 Association Setup Response */
struct sen_pfcp_association_setup {
	struct sen_pfcp_node_id node_id;
	uint8_t cause; /* response only */
	uint32_t recovery_ts;
	bool has_up_features, has_cp_features;
	struct sen_pfcp_flags up_features;
	struct sen_pfcp_flags cp_features;
};

/* 7.4.4.5 Association Release Request (node_id) / 7.4.4.6 Response (node_id, cause) */
struct sen_pfcp_association_release {
	struct sen_pfcp_node_id node_id;
	uint8_t cause; /* response only */
};

/* 7.5.2 Session Establishment Request */
struct sen_pfcp_session_establishment_request {
	struct sen_pfcp_node_id node_id;
	struct sen_pfcp_fseid cp_fseid;
	uint8_t n_create_pdr, n_create_far, n_create_urr, n_create_qer;
	struct sen_pfcp_create_pdr create_pdr[SEN_PFCP_MAX_PDR];
	struct sen_pfcp_create_far create_far[SEN_PFCP_MAX_FAR];
	struct sen_pfcp_urr create_urr[SEN_PFCP_MAX_URR];
	struct sen_pfcp_qer create_qer[SEN_PFCP_MAX_QER];
	bool has_pdn_type, has_apn_dnn;
	uint8_t pdn_type;	       /* 8.2.79: 1 IPv4, 2 IPv6, 3 IPv4v6, 4 non-IP, 5 Ethernet */
	struct sen_pfcp_bytes apn_dnn; /* DNS labels as on the wire (8.2.103) */
};

/* 7.5.3 Session Establishment Response */
struct sen_pfcp_session_establishment_response {
	struct sen_pfcp_node_id node_id;
	uint8_t cause;
	bool has_offending_ie, has_up_fseid;
	uint16_t offending_ie;
	struct sen_pfcp_fseid up_fseid;
	uint8_t n_created_pdr;
	struct sen_pfcp_created_pdr created_pdr[SEN_PFCP_MAX_PDR];
};

/* 7.5.4 Session Modification Request */
struct sen_pfcp_session_modification_request {
	bool has_cp_fseid, has_smreq_flags;
	struct sen_pfcp_fseid cp_fseid;
	uint8_t n_remove_pdr, n_remove_far, n_remove_urr, n_remove_qer;
	struct sen_pfcp_remove remove_pdr[SEN_PFCP_MAX_PDR];
	struct sen_pfcp_remove remove_far[SEN_PFCP_MAX_FAR];
	struct sen_pfcp_remove remove_urr[SEN_PFCP_MAX_URR];
	struct sen_pfcp_remove remove_qer[SEN_PFCP_MAX_QER];
	uint8_t n_create_pdr, n_create_far, n_create_urr, n_create_qer;
	struct sen_pfcp_create_pdr create_pdr[SEN_PFCP_MAX_PDR];
	struct sen_pfcp_create_far create_far[SEN_PFCP_MAX_FAR];
	struct sen_pfcp_urr create_urr[SEN_PFCP_MAX_URR];
	struct sen_pfcp_qer create_qer[SEN_PFCP_MAX_QER];
	uint8_t n_update_pdr, n_update_far, n_update_urr, n_update_qer;
	struct sen_pfcp_update_pdr update_pdr[SEN_PFCP_MAX_PDR];
	struct sen_pfcp_update_far update_far[SEN_PFCP_MAX_FAR];
	struct sen_pfcp_urr update_urr[SEN_PFCP_MAX_URR];
	struct sen_pfcp_qer update_qer[SEN_PFCP_MAX_QER];
	struct sen_pfcp_flags smreq_flags;
};

/* 7.5.5 Session Modification Response, 7.5.7 Session Deletion Response */
struct sen_pfcp_session_response {
	uint8_t cause;
	bool has_offending_ie;
	uint16_t offending_ie;
	uint8_t n_created_pdr; /* modification only */
	struct sen_pfcp_created_pdr created_pdr[SEN_PFCP_MAX_PDR];
	uint8_t n_usage_report;
	struct sen_pfcp_usage_report usage_report[SEN_PFCP_MAX_USAGE];
};

/* 7.5.8 Session Report Request */
struct sen_pfcp_session_report_request {
	struct sen_pfcp_flags report_type;
	bool has_dl_data_report, has_error_indication_report;
	struct sen_pfcp_dl_data_report dl_data_report;
	uint8_t n_usage_report;
	struct sen_pfcp_usage_report usage_report[SEN_PFCP_MAX_USAGE];
	struct sen_pfcp_error_indication_report error_indication_report;
};

/* 7.5.9 Session Report Response */
struct sen_pfcp_session_report_response {
	uint8_t cause;
	bool has_offending_ie, has_srrsp_flags;
	uint16_t offending_ie;
	struct sen_pfcp_flags srrsp_flags; /* PFCPSRRsp-Flags: bit 1 DROBU */
};

/*
 * One PFCP message. Header (7.2.2): the S flag (SEID present) follows from the message
 * type: session related messages (50..57) carry `seid`, node related ones do not.
 * Session Deletion Request and Version Not Supported Response have no IEs.
 */
struct sen_pfcp_msg {
	uint8_t type;	  /* enum sen_pfcp_msg_type */
	bool fo;	  /* Follow On: another message follows in the datagram (7.2.1A) */
	bool mp;	  /* message priority present */
	uint8_t priority; /* 4 bits, with mp */
	uint64_t seid;
	uint32_t seq; /* 24 bits */
	union {
		struct sen_pfcp_heartbeat heartbeat;
		struct sen_pfcp_association_setup association_setup;
		struct sen_pfcp_association_release association_release;
		struct sen_pfcp_session_establishment_request session_establishment_request;
		struct sen_pfcp_session_establishment_response session_establishment_response;
		struct sen_pfcp_session_modification_request session_modification_request;
		struct sen_pfcp_session_response session_response; /* modification, deletion */
		struct sen_pfcp_session_report_request session_report_request;
		struct sen_pfcp_session_report_response session_report_response;
	};
};

/* ---- decode / encode ---- */

/* What went wrong, in the terms of TS 29.244 7.6. */
enum sen_pfcp_fault {
	SEN_PFCP_FAULT_NONE = 0,
	SEN_PFCP_FAULT_TOO_SHORT, /* shorter than its header: discard */
	SEN_PFCP_FAULT_VERSION,	  /* version != 1: Version Not Supported Response (7.6.2) */
	SEN_PFCP_FAULT_MSG_TYPE,  /* unknown / unsupported message type: discard */
	SEN_PFCP_FAULT_HEADER,	  /* S flag does not match the message type: discard */
	SEN_PFCP_FAULT_LENGTH,	  /* message or IE length inconsistent: cause 68 */
	SEN_PFCP_FAULT_MISSING,	  /* mandatory IE missing: cause 66 + Offending IE */
	SEN_PFCP_FAULT_INCORRECT, /* IE value invalid: cause 69 + Offending IE */
	SEN_PFCP_FAULT_CAPACITY,  /* more repeated IEs than Sen holds: cause 64 */
};

struct sen_pfcp_error {
	enum sen_pfcp_fault fault;
	uint8_t cause;	       /* to answer a request with; 0 when the message is discarded */
	uint16_t offending_ie; /* IE type for the Offending IE (8.2.22); 0 if none */
	const char *msg;       /* message name, never NULL */
	char ie[128];	       /* path of the faulty IE ("Create PDR / PDI / F-TEID") or "" */
	const char *problem;   /* what is wrong, never NULL ("" on success) */
	size_t offset;	       /* octet offset in the input where the problem was found */
	unsigned ignored;      /* unknown, vendor or repeated IEs skipped */
};

/*
 * Decode one PFCP message from buf[len] into *msg (overwritten). `len` may hold more
 * than one message (bundling, 7.2.1A): the message's own length field delimits it, and
 * the return value says how many octets it took (decode the rest when msg->fo is set).
 * err may be NULL; it is filled on success too (fault NONE, ignored count).
 * Returns the message's length in octets (> 0), or:
 *   -SEN_EMSGSIZE  shorter than the header (TOO_SHORT), or the length field runs past
 *                  the buffer (LENGTH, cause 68)
 *   -SEN_ENOTSUP   version != 1 (VERSION) or unknown message type (MSG_TYPE)
 *   -SEN_EPROTO    header inconsistent (HEADER), or an IE fault (LENGTH 68, MISSING 66,
 *                  INCORRECT 69; err->offending_ie names the IE)
 *   -SEN_ERANGE    more repeated IEs than the struct holds (CAPACITY, cause 64)
 * Whenever the fault is neither TOO_SHORT nor VERSION, msg->type, seid and seq hold the
 * header's values, so that the caller can answer with the cause and sequence number.
 */
int sen_pfcp_decode(const uint8_t *buf, size_t len, struct sen_pfcp_msg *msg,
		    struct sen_pfcp_error *err);

/*
 * Encode *msg into out[cap]. Conditional / optional IEs are written when their has_ flag
 * is set (repeated IEs: the first n_), in the order of the spec's tables.
 * Returns the length, or -SEN_EMSGSIZE (does not fit), -SEN_EINVAL (a field out of range:
 * a count above capacity or a mandatory repeated IE with count 0, a QFI above 63, a bad
 * FQDN, an IE longer than 65535 octets...), -SEN_ENOTSUP (unknown message type).
 */
int sen_pfcp_encode(const struct sen_pfcp_msg *msg, uint8_t *out, size_t cap);

/* Initialise *msg for building: zeroed, with type and sequence number set. */
void sen_pfcp_msg_init(struct sen_pfcp_msg *msg, uint8_t type, uint32_t seq);

/* Name of a message type ("Session Establishment Request"), or NULL if not supported. */
const char *sen_pfcp_msg_name(uint8_t type);

/* True for the session related message types (SEID in the header). */
bool sen_pfcp_msg_has_seid(uint8_t type);

/* Name of an IE type ("F-TEID") for those modelled here, else NULL. */
const char *sen_pfcp_ie_name(uint16_t type);

/* Name of a cause value ("Mandatory IE missing"); never NULL ("unknown"). */
const char *sen_pfcp_cause_name(uint8_t cause);

/*
 * Walk a decoded message as a tree for printing (senctl pfcp decode, logs): open/close
 * bracket a message or grouped IE, value() gives one leaf as text.
 * Returns 0 or -SEN_ENOTSUP (unknown type).
 */
struct sen_pfcp_visitor {
	void (*open)(void *arg, const char *name);
	void (*close)(void *arg);
	void (*value)(void *arg, const char *name, const char *text);
};
int sen_pfcp_walk(const struct sen_pfcp_msg *msg, const struct sen_pfcp_visitor *v, void *arg);

/* ---- helpers ---- */

/* Seconds since 1900-01-01 (NTP era 0, as Recovery Time Stamp uses) for Unix time t. */
uint32_t sen_pfcp_ntp_from_unix(int64_t unix_seconds);

/*
 * Write `name` ("internet", "upf.example.org") as DNS labels (RFC 1035 3.1, no root
 * label) into out[cap], as Network Instance, APN/DNN and Node ID FQDN carry it.
 * Returns the length, or -SEN_EINVAL (empty label, label over 63) / -SEN_EMSGSIZE.
 */
int sen_pfcp_labels_encode(const char *name, uint8_t *out, size_t cap);

/*
 * Read DNS labels in[len] into dotted text out[cap] (NUL-terminated). Returns the text
 * length, or -SEN_EPROTO (a label runs past the end, an empty or non-printable label)
 * / -SEN_EMSGSIZE.
 */
int sen_pfcp_labels_decode(const uint8_t *in, size_t len, char *out, size_t cap);

#endif
