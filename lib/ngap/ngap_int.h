/*
 * lib/ngap internals: short macros for writing lib/asn descriptor tables, and the IE
 * types shared between the table files (ies.c: common IEs of TS 38.413 9.3; msg_*.c: the
 * messages of 9.2; transfer.c: the transfers of 9.3.4; pdu.c: NGAP-PDU and clause 10).
 */
#ifndef SEN_NGAP_NGAP_INT_H
#define SEN_NGAP_NGAP_INT_H

#include <stddef.h>

#include "ngap/ngap.h"

#define NGAP_N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* ---- members ---- */

/* mandatory component */
#define M(nm, T, st, fld) {.name = nm, .type = &(T), .offset = offsetof(st, fld)}
/* OPTIONAL component with a has_<fld> flag */
#define MO(nm, T, st, fld)                                                                         \
	{.name = nm,                                                                               \
	 .type = &(T),                                                                             \
	 .offset = offsetof(st, fld),                                                              \
	 .flags = SEN_ASN_OPTIONAL,                                                                \
	 .present = SEN_ASN_PRESENT(st, has_##fld)}
/* iE-Extensions held by pointer in `ext` */
#define MX(st, T)                                                                                  \
	{.name = "iE-Extensions",                                                                  \
	 .type = &(T),                                                                             \
	 .offset = offsetof(st, ext),                                                              \
	 .flags = SEN_ASN_OPTIONAL | SEN_ASN_PTR}
#define MEXT(st) MX(st, ngap_t_ext)
/* CHOICE alternative (all alternatives share the union at u) */
#define ALT(nm, T, st) {.name = nm, .type = &(T), .offset = offsetof(st, u)}
#define ALTX(st) ALT("choice-Extensions", ngap_t_single, st)

/* IEs of an IE container */
#define IE(nm, idv, crit, T, st, fld)                                                              \
	{.name = nm,                                                                               \
	 .id = idv,                                                                                \
	 .criticality = SEN_ASN_##crit,                                                            \
	 .type = &(T),                                                                             \
	 .offset = offsetof(st, fld)}
#define IEO(nm, idv, crit, T, st, fld)                                                             \
	{.name = nm,                                                                               \
	 .id = idv,                                                                                \
	 .criticality = SEN_ASN_##crit,                                                            \
	 .type = &(T),                                                                             \
	 .offset = offsetof(st, fld),                                                              \
	 .flags = SEN_ASN_OPTIONAL,                                                                \
	 .present = SEN_ASN_PRESENT(st, has_##fld)}

/* ---- types ---- */

#define T_SEQ(var, nm, st, mem)                                                                    \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_SEQUENCE,                                 \
					 .flags = SEN_ASN_EXT,                                     \
					 .size = sizeof(st),                                       \
					 .members = mem,                                           \
					 .nmembers = NGAP_N(mem)}
#define T_CHOICE(var, nm, st, mem)                                                                 \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_CHOICE,                                   \
					 .size = sizeof(st),                                       \
					 .members = mem,                                           \
					 .nmembers = NGAP_N(mem),                                  \
					 .nroot = NGAP_N(mem),                                     \
					 .index_off = offsetof(st, present)}
#define T_LIST(var, nm, elemT, lo, hi)                                                             \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_SEQUENCE_OF,                              \
					 .size = sizeof(struct sen_asn_list),                      \
					 .min = lo,                                                \
					 .max = hi,                                                \
					 .elem = &(elemT)}
/* ENUMERATED held in a uint8_t: nr root values; ext: "..." with nx known additions */
#define T_ENUM(var, nm, nr, ext, nx)                                                               \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_ENUMERATED,                               \
					 .size = 1,                                                \
					 .flags = (ext) ? SEN_ASN_EXT : 0,                         \
					 .nroot = nr,                                              \
					 .next = nx}
#define T_INT(var, nm, sz, lo, hi, ext)                                                            \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_INTEGER,                                  \
					 .size = sz,                                               \
					 .flags = SEN_ASN_HAS_LB | SEN_ASN_HAS_UB |                \
						  ((ext) ? SEN_ASN_EXT : 0),                       \
					 .lb = lo,                                                 \
					 .ub = hi}
#define T_OCTS(var, nm, lo, hi)                                                                    \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_OCTET_STRING,                             \
					 .size = sizeof(struct sen_asn_octets),                    \
					 .min = lo,                                                \
					 .max = hi}
#define T_BITS(var, nm, lo, hi, ext)                                                               \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_BIT_STRING,                               \
					 .size = sizeof(struct sen_asn_bits),                      \
					 .flags = (ext) ? SEN_ASN_EXT : 0,                         \
					 .min = lo,                                                \
					 .max = hi}
/* A message: SEQUENCE { protocolIEs ProtocolIE-Container {{...}}, ... } */
#define T_MSG(var, nm, st, ies)                                                                    \
	static const struct sen_asn_type var##_ies = {.name = "protocolIEs",                       \
						      .kind = SEN_ASN_IE_CONTAINER,                \
						      .size = sizeof(st),                          \
						      .members = ies,                              \
						      .nmembers = NGAP_N(ies),                     \
						      .raw_off = offsetof(st, unknown) + 1};       \
	static const struct sen_asn_member var##_m[] = {                                           \
	    {.name = "protocolIEs", .type = &var##_ies, .offset = 0}};                             \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_SEQUENCE,                                 \
					 .flags = SEN_ASN_EXT,                                     \
					 .size = sizeof(st),                                       \
					 .members = var##_m,                                       \
					 .nmembers = 1}
/* A ProtocolExtensionContainer with modelled extension IEs (others kept in `unknown`) */
#define T_EXTC(var, nm, st, ies)                                                                   \
	const struct sen_asn_type var = {.name = nm,                                               \
					 .kind = SEN_ASN_IE_CONTAINER,                             \
					 .size = sizeof(st),                                       \
					 .min = 1,                                                 \
					 .max = 65535,                                             \
					 .members = ies,                                           \
					 .nmembers = NGAP_N(ies),                                  \
					 .raw_off = offsetof(st, unknown) + 1}

/* ---- shared descriptors (ies.c) ---- */

extern const struct sen_asn_type ngap_t_ext, ngap_t_single, ngap_t_criticality;
extern const struct sen_asn_type ngap_t_octets, ngap_t_nas_pdu, ngap_t_plmn, ngap_t_tac;
extern const struct sen_asn_type ngap_t_amf_ue_ngap_id, ngap_t_ran_ue_ngap_id, ngap_t_psi;
extern const struct sen_asn_type ngap_t_qfi, ngap_t_bit_rate, ngap_t_tla, ngap_t_teid;
extern const struct sen_asn_type ngap_t_snssai, ngap_t_slice_list, ngap_t_allowed_nssai;
extern const struct sen_asn_type ngap_t_tai, ngap_t_nr_cgi, ngap_t_eutra_cgi, ngap_t_uli;
extern const struct sen_asn_type ngap_t_global_ran_node_id, ngap_t_guami, ngap_t_s_tmsi;
extern const struct sen_asn_type ngap_t_amf_set_id, ngap_t_cause, ngap_t_crit_diag;
extern const struct sen_asn_type ngap_t_rrc_cause, ngap_t_ue_sec_cap, ngap_t_security_key;
extern const struct sen_asn_type ngap_t_ambr, ngap_t_up_tnl, ngap_t_cp_tnl;
extern const struct sen_asn_type ngap_t_supported_ta_list, ngap_t_plmn_support_list;
extern const struct sen_asn_type ngap_t_served_guami_list, ngap_t_amf_name;
extern const struct sen_asn_type ngap_t_ran_node_name, ngap_t_ext_ran_name, ngap_t_ext_amf_name;
extern const struct sen_asn_type ngap_t_paging_drx, ngap_t_time_to_wait, ngap_t_u8;
extern const struct sen_asn_type ngap_t_ue_ngap_ids, ngap_t_reset_type, ngap_t_ue_assoc_list;
extern const struct sen_asn_type ngap_t_ran_paging_priority, ngap_t_index_to_rfsp;
extern const struct sen_asn_type ngap_t_masked_imeisv, ngap_t_ue_radio_cap_paging;
extern const struct sen_asn_type ngap_t_emergency_fallback, ngap_t_reroute_info;
extern const struct sen_asn_type ngap_t_npn_access, ngap_t_tai_list_paging;
extern const struct sen_asn_type ngap_t_paging_identity, ngap_t_paging_priority;
extern const struct sen_asn_type ngap_t_enum1x, ngap_t_enum2x, ngap_t_enum3x, ngap_t_enum4x;
extern const struct sen_asn_type ngap_t_rrc_state, ngap_t_pdu_session_type;
extern const struct sen_asn_type ngap_t_network_instance, ngap_t_extended_connected_time;
extern const struct sen_asn_type ngap_t_type_of_error, ngap_t_triggering_message;
extern const struct sen_asn_type ngap_t_cause_rn, ngap_t_cause_tr, ngap_t_cause_nas;
extern const struct sen_asn_type ngap_t_cause_proto, ngap_t_cause_misc;
extern const struct sen_asn_type ngap_t_procedure_code, ngap_t_ie_id;

/* OCTET STRING (CONTAINING <transfer>) types: one per transfer, so a printer can tell
   which transfer an octet string holds (transfer.c) */
extern const struct sen_asn_type ngap_t_os_setup_req, ngap_t_os_setup_resp, ngap_t_os_setup_fail;
extern const struct sen_asn_type ngap_t_os_mod_req, ngap_t_os_mod_resp, ngap_t_os_mod_fail;
extern const struct sen_asn_type ngap_t_os_rel_cmd, ngap_t_os_rel_resp, ngap_t_os_notify;
extern const struct sen_asn_type ngap_t_os_notify_rel;

/* The transfer held in an OCTET STRING of type os, or NULL (transfer.c). */
const struct sen_asn_type *ngap_contained_transfer(const struct sen_asn_type *os);

/* Value names of an ENUMERATED type (walk.c), NULL when not known. */
const char *ngap_enum_name(const struct sen_asn_type *t, unsigned v);

/* Every message descriptor, for sen_ngap_check_tables (pdu.c). */
struct ngap_proc {
	uint8_t code;
	uint8_t criticality;
	const char *name;
	const struct sen_asn_type *msg[3]; /* initiating, successful, unsuccessful */
};
extern const struct ngap_proc ngap_procs[];
extern const unsigned ngap_nprocs;

/* message descriptors (msg_*.c) */
extern const struct sen_asn_type ngap_m_ng_setup_request, ngap_m_ng_setup_response,
    ngap_m_ng_setup_failure, ngap_m_ran_config_update, ngap_m_ran_config_update_ack,
    ngap_m_ran_config_update_failure, ngap_m_amf_config_update, ngap_m_amf_config_update_ack,
    ngap_m_amf_config_update_failure, ngap_m_ng_reset, ngap_m_ng_reset_ack,
    ngap_m_error_indication;
extern const struct sen_asn_type ngap_m_initial_ue_message, ngap_m_downlink_nas_transport,
    ngap_m_uplink_nas_transport, ngap_m_nas_non_delivery, ngap_m_reroute_nas_request,
    ngap_m_ics_request, ngap_m_ics_response, ngap_m_ics_failure, ngap_m_ue_ctx_rel_request,
    ngap_m_ue_ctx_rel_command, ngap_m_ue_ctx_rel_complete, ngap_m_ue_ctx_mod_request,
    ngap_m_ue_ctx_mod_response, ngap_m_ue_ctx_mod_failure, ngap_m_ue_radio_cap_info,
    ngap_m_paging;
extern const struct sen_asn_type ngap_m_pdu_setup_request, ngap_m_pdu_setup_response,
    ngap_m_pdu_release_command, ngap_m_pdu_release_response, ngap_m_pdu_modify_request,
    ngap_m_pdu_modify_response, ngap_m_pdu_notify;

#endif
