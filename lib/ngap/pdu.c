/*
 * NGAP-PDU (TS 38.413 9.4, module NGAP-PDU-Descriptions): the CHOICE of initiating /
 * successful / unsuccessful message, the elementary procedure table (procedure code ->
 * message types and procedure criticality, 8.1 and NGAP-PDU-Descriptions), the encode /
 * decode entry points, the clause 10 criticality judgement, and small helpers (PLMN
 * identity digits, bit string values, table self-check).
 */
#include <string.h>

#include "core/err.h"
#include "ngap/ngap_int.h"

/* ---- elementary procedures (NGAP-PDU-Descriptions, Release 17) ------------------------------ */

#define P(code, crit, nm, a, b, c)                                                                  \
	{code, SEN_ASN_##crit, nm, {a, b, c}}
const struct ngap_proc ngap_procs[] = {
    P(0, REJECT, "AMFConfigurationUpdate", &ngap_m_amf_config_update, &ngap_m_amf_config_update_ack,
      &ngap_m_amf_config_update_failure),
    P(4, IGNORE, "DownlinkNASTransport", &ngap_m_downlink_nas_transport, NULL, NULL),
    P(9, IGNORE, "ErrorIndication", &ngap_m_error_indication, NULL, NULL),
    P(14, REJECT, "InitialContextSetup", &ngap_m_ics_request, &ngap_m_ics_response,
      &ngap_m_ics_failure),
    P(15, IGNORE, "InitialUEMessage", &ngap_m_initial_ue_message, NULL, NULL),
    P(19, IGNORE, "NASNonDeliveryIndication", &ngap_m_nas_non_delivery, NULL, NULL),
    P(20, REJECT, "NGReset", &ngap_m_ng_reset, &ngap_m_ng_reset_ack, NULL),
    P(21, REJECT, "NGSetup", &ngap_m_ng_setup_request, &ngap_m_ng_setup_response,
      &ngap_m_ng_setup_failure),
    P(24, IGNORE, "Paging", &ngap_m_paging, NULL, NULL),
    P(26, REJECT, "PDUSessionResourceModify", &ngap_m_pdu_modify_request,
      &ngap_m_pdu_modify_response, NULL),
    P(28, REJECT, "PDUSessionResourceRelease", &ngap_m_pdu_release_command,
      &ngap_m_pdu_release_response, NULL),
    P(29, REJECT, "PDUSessionResourceSetup", &ngap_m_pdu_setup_request, &ngap_m_pdu_setup_response,
      NULL),
    P(30, IGNORE, "PDUSessionResourceNotify", &ngap_m_pdu_notify, NULL, NULL),
    P(35, REJECT, "RANConfigurationUpdate", &ngap_m_ran_config_update,
      &ngap_m_ran_config_update_ack, &ngap_m_ran_config_update_failure),
    P(36, REJECT, "RerouteNASRequest", &ngap_m_reroute_nas_request, NULL, NULL),
    P(40, REJECT, "UEContextModification", &ngap_m_ue_ctx_mod_request, &ngap_m_ue_ctx_mod_response,
      &ngap_m_ue_ctx_mod_failure),
    P(41, REJECT, "UEContextRelease", &ngap_m_ue_ctx_rel_command, &ngap_m_ue_ctx_rel_complete,
      NULL),
    P(42, IGNORE, "UEContextReleaseRequest", &ngap_m_ue_ctx_rel_request, NULL, NULL),
    P(44, IGNORE, "UERadioCapabilityInfoIndication", &ngap_m_ue_radio_cap_info, NULL, NULL),
    P(46, IGNORE, "UplinkNASTransport", &ngap_m_uplink_nas_transport, NULL, NULL),
};
const unsigned ngap_nprocs = NGAP_N(ngap_procs);

/* Names of every procedure code of NGAP-Constants, for logs of the ones not modelled. */
static const char *const proc_names[] = {
    "AMFConfigurationUpdate", "AMFStatusIndication", "CellTrafficTrace", "DeactivateTrace",
    "DownlinkNASTransport", "DownlinkNonUEAssociatedNRPPaTransport",
    "DownlinkRANConfigurationTransfer", "DownlinkRANStatusTransfer",
    "DownlinkUEAssociatedNRPPaTransport", "ErrorIndication", "HandoverCancel",
    "HandoverNotification", "HandoverPreparation", "HandoverResourceAllocation",
    "InitialContextSetup", "InitialUEMessage", "LocationReportingControl",
    "LocationReportingFailureIndication", "LocationReport", "NASNonDeliveryIndication", "NGReset",
    "NGSetup", "OverloadStart", "OverloadStop", "Paging", "PathSwitchRequest",
    "PDUSessionResourceModify", "PDUSessionResourceModifyIndication",
    "PDUSessionResourceRelease", "PDUSessionResourceSetup", "PDUSessionResourceNotify",
    "PrivateMessage", "PWSCancel", "PWSFailureIndication", "PWSRestartIndication",
    "RANConfigurationUpdate", "RerouteNASRequest", "RRCInactiveTransitionReport",
    "TraceFailureIndication", "TraceStart", "UEContextModification", "UEContextRelease",
    "UEContextReleaseRequest", "UERadioCapabilityCheck", "UERadioCapabilityInfoIndication",
    "UETNLABindingRelease", "UplinkNASTransport", "UplinkNonUEAssociatedNRPPaTransport",
    "UplinkRANConfigurationTransfer", "UplinkRANStatusTransfer",
    "UplinkUEAssociatedNRPPaTransport", "WriteReplaceWarning", "SecondaryRATDataUsageReport",
    "UplinkRIMInformationTransfer", "DownlinkRIMInformationTransfer", "RetrieveUEInformation",
    "UEInformationTransfer", "RANCPRelocationIndication", "UEContextResume", "UEContextSuspend",
    "UERadioCapabilityIDMapping", "HandoverSuccess", "UplinkRANEarlyStatusTransfer",
    "DownlinkRANEarlyStatusTransfer", "AMFCPRelocationIndication",
    "ConnectionEstablishmentIndication", "BroadcastSessionModification",
    "BroadcastSessionRelease", "BroadcastSessionSetup", "DistributionSetup",
    "DistributionRelease", "MulticastSessionActivation", "MulticastSessionDeactivation",
    "MulticastSessionUpdate", "MulticastGroupPaging", "BroadcastSessionReleaseRequired",
};

static const struct ngap_proc *find_proc(unsigned code)
{
	for (unsigned i = 0; i < ngap_nprocs; i++)
		if (ngap_procs[i].code == code)
			return &ngap_procs[i];
	return NULL;
}

const struct sen_asn_type *sen_ngap_msg_type(unsigned kind, unsigned procedure_code)
{
	const struct ngap_proc *p = find_proc(procedure_code);
	return p && kind < 3 ? p->msg[kind] : NULL;
}

const char *sen_ngap_procedure_name(unsigned procedure_code)
{
	return procedure_code < NGAP_N(proc_names) ? proc_names[procedure_code] : "?";
}

const char *sen_ngap_msg_name(const struct sen_ngap_pdu *pdu)
{
	static const char *const kinds[] = {"initiatingMessage", "successfulOutcome",
					    "unsuccessfulOutcome"};
	const struct sen_asn_type *t = sen_ngap_msg_type(pdu->present, pdu->msg.procedure_code);
	if (t)
		return t->name;
	return pdu->present < 3 ? kinds[pdu->present] : "NGAP-PDU extension";
}

bool sen_ngap_has_unsuccessful(unsigned procedure_code)
{
	const struct ngap_proc *p = find_proc(procedure_code);
	return p && p->msg[SEN_NGAP_UNSUCCESSFUL];
}

/* ---- NGAP-PDU ------------------------------------------------------------------------------ */

static const struct sen_asn_type *resolve(const void *parent, unsigned kind)
{
	const struct sen_ngap_msg *m = parent;
	return m ? sen_ngap_msg_type(kind, m->procedure_code) : NULL;
}
static const struct sen_asn_type *resolve_init(const struct sen_asn_type *self, const void *parent)
{
	return resolve(parent, SEN_NGAP_INITIATING);
}
static const struct sen_asn_type *resolve_succ(const struct sen_asn_type *self, const void *parent)
{
	return resolve(parent, SEN_NGAP_SUCCESSFUL);
}
static const struct sen_asn_type *resolve_unsucc(const struct sen_asn_type *self,
						 const void *parent)
{
	return resolve(parent, SEN_NGAP_UNSUCCESSFUL);
}

#define VALUE(var, fn)                                                                             \
	static const struct sen_asn_type var = {.name = "value",                                   \
						.kind = SEN_ASN_OPEN_TYPE,                         \
						.size = sizeof(struct sen_asn_open),               \
						.resolve = fn}
VALUE(t_init_value, resolve_init);
VALUE(t_succ_value, resolve_succ);
VALUE(t_unsucc_value, resolve_unsucc);

#define MSG_SEQ(var, nm, val)                                                                      \
	static const struct sen_asn_member var##_m[] = {                                           \
	    M("procedureCode", ngap_t_procedure_code, struct sen_ngap_msg, procedure_code),         \
	    M("criticality", ngap_t_criticality, struct sen_ngap_msg, criticality),                \
	    M("value", val, struct sen_ngap_msg, value),                                           \
	};                                                                                         \
	static const struct sen_asn_type var = {.name = nm,                                        \
						.kind = SEN_ASN_SEQUENCE,                          \
						.size = sizeof(struct sen_ngap_msg),               \
						.members = var##_m,                                \
						.nmembers = 3}
MSG_SEQ(t_initiating, "InitiatingMessage", t_init_value);
MSG_SEQ(t_successful, "SuccessfulOutcome", t_succ_value);
MSG_SEQ(t_unsuccessful, "UnsuccessfulOutcome", t_unsucc_value);

static const struct sen_asn_member pdu_m[] = {
    {.name = "initiatingMessage", .type = &t_initiating, .offset = offsetof(struct sen_ngap_pdu, msg)},
    {.name = "successfulOutcome", .type = &t_successful, .offset = offsetof(struct sen_ngap_pdu, msg)},
    {.name = "unsuccessfulOutcome",
     .type = &t_unsuccessful,
     .offset = offsetof(struct sen_ngap_pdu, msg)},
};
const struct sen_asn_type sen_ngap_pdu_type = {
    .name = "NGAP-PDU",
    .kind = SEN_ASN_CHOICE,
    .flags = SEN_ASN_EXT,
    .size = sizeof(struct sen_ngap_pdu),
    .members = pdu_m,
    .nmembers = 3,
    .nroot = 3,
    .index_off = offsetof(struct sen_ngap_pdu, present),
    .raw_off = offsetof(struct sen_ngap_pdu, unknown_alternative) + 1,
};

int sen_ngap_decode(struct sen_ngap_pdu *pdu, const uint8_t *buf, size_t len,
		    struct sen_asn_ctx *ctx)
{
	return sen_asn_decode(&sen_ngap_pdu_type, pdu, buf, len, ctx);
}

int sen_ngap_encode(const struct sen_ngap_pdu *pdu, uint8_t *out, size_t cap)
{
	return sen_asn_encode(&sen_ngap_pdu_type, pdu, out, cap);
}

int sen_ngap_pdu_init(struct sen_ngap_pdu *pdu, unsigned kind, unsigned procedure_code,
		      const void *msg)
{
	const struct ngap_proc *p = find_proc(procedure_code);
	memset(pdu, 0, sizeof(*pdu));
	if (!p || kind > 2 || !p->msg[kind])
		return -SEN_ENOENT;
	pdu->present = kind;
	pdu->msg.procedure_code = (uint8_t)procedure_code;
	pdu->msg.criticality = p->criticality;
	pdu->msg.value.type = p->msg[kind];
	pdu->msg.value.value = (void *)msg;
	return 0;
}

/* ---- clause 10 ---------------------------------------------------------------------------- */

static unsigned rank(enum sen_ngap_action a)
{
	return (unsigned)a;
}

/* True when the message type (SEQUENCE { protocolIEs }) has a Criticality Diagnostics IE
 * to report in. */
static bool has_cd_ie(const struct sen_asn_type *t)
{
	if (t && t->kind == SEN_ASN_SEQUENCE && t->nmembers)
		t = t->members[0].type;
	if (!t || t->kind != SEN_ASN_IE_CONTAINER)
		return false;
	for (uint32_t i = 0; i < t->nmembers; i++)
		if (t->members[i].id == SEN_NGAP_ID_CRITICALITY_DIAGNOSTICS)
			return true;
	return false;
}

enum sen_ngap_action sen_ngap_judge(const struct sen_ngap_pdu *pdu, const struct sen_asn_ctx *ctx,
				    struct sen_ngap_judgement *j)
{
	memset(j, 0, sizeof(*j));
	j->diag.has_procedure_criticality = true;
	j->diag.procedure_criticality = pdu->msg.criticality;

	bool initiating = pdu->present == SEN_NGAP_INITIATING;
	if (pdu->present > SEN_NGAP_UNSUCCESSFUL || !pdu->msg.value.type) {
		/* 10.3.4.1: procedure code (or message of it) not comprehended: the procedure
		   is not run; reject and ignore-and-notify are reported by Error Indication */
		j->action = SEN_NGAP_REJECT;
		switch (pdu->msg.criticality) {
		case SEN_ASN_REJECT:
			j->reply = SEN_NGAP_REPLY_ERROR_INDICATION;
			j->cause_protocol = SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT;
			break;
		case SEN_ASN_NOTIFY:
			j->reply = SEN_NGAP_REPLY_ERROR_INDICATION;
			j->cause_protocol = SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_IGNORE_AND_NOTIFY;
			break;
		default:
			j->reply = SEN_NGAP_REPLY_NONE;
			break;
		}
		goto trigger;
	}

	enum sen_ngap_action worst = SEN_NGAP_PROCEED;
	uint8_t cause = 0;
	for (unsigned i = 0; i < ctx->ndiag; i++) {
		const struct sen_asn_diag *d = &ctx->diag[i];
		enum sen_ngap_action a;
		uint8_t c;
		bool item = true;
		if (d->kind == SEN_ASN_DUPLICATE || d->kind == SEN_ASN_WRONG_ORDER) {
			/* 10.3.6: wrong order or too many occurrences: abstract syntax error
			   (falsely constructed message), whatever the criticality */
			a = SEN_NGAP_REJECT;
			c = SEN_NGAP_CAUSE_PROTO_FALSELY_CONSTRUCTED;
			item = d->kind == SEN_ASN_DUPLICATE; /* an IE in the wrong place was
								understood: no TypeOfError fits */
		} else if (d->criticality == SEN_ASN_REJECT) { /* 10.3.4.2, 10.3.5 */
			a = SEN_NGAP_REJECT;
			c = SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT;
		} else if (d->criticality == SEN_ASN_NOTIFY) {
			a = SEN_NGAP_PROCEED_NOTIFY;
			c = SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_IGNORE_AND_NOTIFY;
		} else {
			continue; /* ignore: not reported */
		}
		if (item) {
			struct sen_ngap_cd_ie *it = &j->items[j->diag.ies.count++];
			it->criticality = d->criticality;
			it->id = (uint16_t)d->id;
			it->type_of_error =
			    d->kind == SEN_ASN_MISSING ? SEN_NGAP_MISSING : SEN_NGAP_NOT_UNDERSTOOD;
		}
		if (rank(a) > rank(worst) || (a == worst && !cause)) {
			worst = a;
			cause = c;
		}
	}
	if (j->diag.ies.count) {
		j->diag.has_ies = true;
		j->diag.ies.items = j->items;
	}
	j->action = worst;
	j->cause_protocol = cause;
	const struct ngap_proc *p = find_proc(pdu->msg.procedure_code);
	if (worst == SEN_NGAP_REJECT) {
		/* 10.3.4.2 / 10.3.5 / 10.3.6 "reject IE": the initiating message of a procedure
		   with an unsuccessful outcome is answered by it; of one without, by an Error
		   Indication; a faulty response ends the procedure locally */
		const struct sen_asn_type *fail = p ? p->msg[SEN_NGAP_UNSUCCESSFUL] : NULL;
		j->reply = !initiating		       ? SEN_NGAP_REPLY_LOCAL
			   : fail && has_cd_ie(fail) ? SEN_NGAP_REPLY_UNSUCCESSFUL
						     : SEN_NGAP_REPLY_ERROR_INDICATION;
	} else if (worst == SEN_NGAP_PROCEED_NOTIFY) {
		/* 10.3.4.2 / 10.3.5 "ignore IE and notify sender": the procedure goes on and its
		   response reports the IEs in Criticality Diagnostics; only a class 2 procedure
		   (no response) or a response message itself is answered by an Error
		   Indication */
		const struct sen_asn_type *resp = p ? p->msg[SEN_NGAP_SUCCESSFUL] : NULL;
		j->reply = initiating && resp && has_cd_ie(resp) ? SEN_NGAP_REPLY_RESPONSE
								 : SEN_NGAP_REPLY_ERROR_INDICATION;
	}
trigger:
	/* 9.3.1.3: Procedure Code and Triggering Message are only used when the Criticality
	   Diagnostics is part of an Error Indication, not in the procedure's own response */
	if (j->reply == SEN_NGAP_REPLY_ERROR_INDICATION) {
		j->diag.has_procedure_code = true;
		j->diag.procedure_code = pdu->msg.procedure_code;
		if (pdu->present <= SEN_NGAP_UNSUCCESSFUL) {
			j->diag.has_triggering_message = true;
			j->diag.triggering_message = (uint8_t)pdu->present;
		}
	}
	return j->action;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static int digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : -1;
}

int sen_ngap_plmn_encode(const char *mcc, const char *mnc, uint8_t out[3])
{
	size_t nl = strlen(mnc);
	if (strlen(mcc) != 3 || (nl != 2 && nl != 3))
		return -SEN_EINVAL;
	int d[6];
	for (int i = 0; i < 3; i++)
		if ((d[i] = digit(mcc[i])) < 0)
			return -SEN_EINVAL;
	for (size_t i = 0; i < nl; i++)
		if ((d[3 + i] = digit(mnc[i])) < 0)
			return -SEN_EINVAL;
	/* TS 24.008 10.5.1.13: MCC2 MCC1 | MNC3 MCC3 | MNC2 MNC1 */
	out[0] = (uint8_t)(d[1] << 4 | d[0]);
	out[1] = (uint8_t)((nl == 3 ? d[5] : 0xf) << 4 | d[2]);
	out[2] = (uint8_t)(d[4] << 4 | d[3]);
	return 0;
}

int sen_ngap_plmn_decode(const uint8_t in[3], char mcc[4], char mnc[4])
{
	int d[6] = {in[0] & 15, in[0] >> 4, in[1] & 15, in[2] & 15, in[2] >> 4, in[1] >> 4};
	for (int i = 0; i < 5; i++)
		if (d[i] > 9)
			return -SEN_EPROTO;
	if (d[5] > 9 && d[5] != 15)
		return -SEN_EPROTO;
	for (int i = 0; i < 3; i++)
		mcc[i] = (char)('0' + d[i]);
	mcc[3] = 0;
	mnc[0] = (char)('0' + d[3]);
	mnc[1] = (char)('0' + d[4]);
	mnc[2] = d[5] == 15 ? 0 : (char)('0' + d[5]);
	mnc[3] = 0;
	return 0;
}

uint64_t sen_ngap_bits_value(const struct sen_asn_bits *b)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < b->nbits && i < 64; i++)
		v = v << 1 | ((b->data[i / 8] >> (7 - i % 8)) & 1);
	return v;
}

int sen_ngap_check_tables(char *why, size_t why_len)
{
	static const struct sen_asn_type *const transfers[] = {
	    &sen_ngap_setup_request_transfer_type,    &sen_ngap_setup_response_transfer_type,
	    &sen_ngap_setup_unsuccessful_transfer_type, &sen_ngap_modify_request_transfer_type,
	    &sen_ngap_modify_response_transfer_type,  &sen_ngap_modify_unsuccessful_transfer_type,
	    &sen_ngap_release_command_transfer_type,  &sen_ngap_release_response_transfer_type,
	    &sen_ngap_notify_transfer_type,	      &sen_ngap_notify_released_transfer_type,
	};
	int rc = sen_asn_check(&sen_ngap_pdu_type, why, why_len);
	for (unsigned i = 0; !rc && i < ngap_nprocs; i++)
		for (unsigned k = 0; !rc && k < 3; k++)
			if (ngap_procs[i].msg[k])
				rc = sen_asn_check(ngap_procs[i].msg[k], why, why_len);
	for (unsigned i = 0; !rc && i < NGAP_N(transfers); i++)
		rc = sen_asn_check(transfers[i], why, why_len);
	return rc;
}
