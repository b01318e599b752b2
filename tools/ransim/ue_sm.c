/*
 * sen-ransim UE: 5GSM procedures of the UE (TS 24.501 clause 6) on one state table per
 * PDU session, and their transport in UL / DL NAS Transport (5.4.5).
 *
 * States are the PDU session states of 6.1.3.2.1 (INACTIVE, ACTIVE PENDING, ACTIVE,
 * INACTIVE PENDING); each row lists the events it accepts and the states it may go to.
 * A downlink 5GSM message the session does not expect is answered with 5GSM STATUS: #43
 * "invalid PDU session identity" for an inactive session, #98 "message type not
 * compatible with the protocol state" otherwise; an answer whose PTI is not the one in
 * progress gets #47 "PTI mismatch" (7.3.1). Undecodable messages get #96 / #97 (7.4, 7.5).
 *
 * Procedures: UE-requested establishment 6.4.1 (T3580, 4 retransmissions), UE-requested
 * release 6.4.3 (T3582), network-requested release 6.3.3 and modification 6.3.2, 5GSM
 * STATUS 6.5, local release when 5GMM de-registers. An Accept the UE cannot use (no PDU
 * address of the selected type, or a type it did not ask for) fails the establishment and
 * is answered with a Release Request, #96.
 */
#include "ue_int.h"

#include "core/err.h"
#include "core/log.h"

#include <string.h>

#define EV(e) (1u << (e))
#define ST(s) (1u << (s))

struct sm_row {
	const char *name;
	uint32_t in, out;
};

static const struct sm_row sm_rows[SEN_UE_SM_STATE_N] = {
    [SEN_UE_SM_INACTIVE] =
	{
	    .name = "PDU SESSION INACTIVE",
	    .in = EV(SM_EV_ESTABLISH) | EV(SM_EV_LOCAL_RELEASE) | EV(SM_EV_GSM_STATUS),
	    .out = ST(SEN_UE_SM_ACTIVE_PENDING),
	},
    [SEN_UE_SM_ACTIVE_PENDING] =
	{
	    .name = "PDU SESSION ACTIVE PENDING",
	    .in = EV(SM_EV_EST_ACCEPT) | EV(SM_EV_EST_REJECT) | EV(SM_EV_T3580) |
		  EV(SM_EV_LOCAL_RELEASE) | EV(SM_EV_GSM_STATUS) | EV(SM_EV_NOT_FORWARDED) |
		  EV(SM_EV_REL_COMMAND),
	    .out = ST(SEN_UE_SM_ACTIVE) | ST(SEN_UE_SM_INACTIVE),
	},
    [SEN_UE_SM_ACTIVE] =
	{
	    .name = "PDU SESSION ACTIVE",
	    .in = EV(SM_EV_RELEASE) | EV(SM_EV_REL_COMMAND) | EV(SM_EV_MOD_COMMAND) |
		  EV(SM_EV_LOCAL_RELEASE) | EV(SM_EV_GSM_STATUS),
	    .out = ST(SEN_UE_SM_INACTIVE_PENDING) | ST(SEN_UE_SM_INACTIVE),
	},
    [SEN_UE_SM_INACTIVE_PENDING] =
	{
	    .name = "PDU SESSION INACTIVE PENDING",
	    .in = EV(SM_EV_REL_COMMAND) | EV(SM_EV_REL_REJECT) | EV(SM_EV_T3582) |
		  EV(SM_EV_LOCAL_RELEASE) | EV(SM_EV_GSM_STATUS) | EV(SM_EV_NOT_FORWARDED) |
		  EV(SM_EV_MOD_COMMAND),
	    .out = ST(SEN_UE_SM_INACTIVE) | ST(SEN_UE_SM_ACTIVE),
	},
};

static const char *const sm_ev_names[SM_EV_N] = {
    [SM_EV_ESTABLISH] = "ESTABLISH",
    [SM_EV_RELEASE] = "RELEASE",
    [SM_EV_LOCAL_RELEASE] = "LOCAL_RELEASE",
    [SM_EV_T3580] = "T3580",
    [SM_EV_T3582] = "T3582",
    [SM_EV_EST_ACCEPT] = "PDU session establishment accept",
    [SM_EV_EST_REJECT] = "PDU session establishment reject",
    [SM_EV_REL_COMMAND] = "PDU session release command",
    [SM_EV_REL_REJECT] = "PDU session release reject",
    [SM_EV_MOD_COMMAND] = "PDU session modification command",
    [SM_EV_GSM_STATUS] = "5GSM status",
    [SM_EV_NOT_FORWARDED] = "DL NAS transport (not forwarded)",
};

static void sm_goto(struct ue_session *s, enum sen_ue_sm_state to)
{
	struct sen_ue *ue = s->ue;

	if (to == s->state)
		return;
	if (!(sm_rows[s->state].out & ST(to))) {
		sen_log_ue_error(UE_MOD, ue->tag, "PSI %u: refused transition %s -> %s", s->psi,
				 sm_rows[s->state].name, sm_rows[to].name);
		return;
	}
	sen_log_ue_debug(UE_MOD, ue->tag, "PSI %u: %s -> %s", s->psi, sm_rows[s->state].name,
			 sm_rows[to].name);
	s->state = to;
}

/* ---- sending ---- */

/* Wrap a 5GSM message in UL NAS Transport (8.2.10, 5.4.5.2) and send it. */
static int send_ul_sm(struct ue_session *s, const uint8_t *gsm, size_t len, bool establish)
{
	struct sen_nas_msg m;
	struct sen_nas_ul_nas_transport *t = &m.ul_nas_transport;

	sen_nas_msg_init(&m, SEN_NAS_UL_NAS_TRANSPORT);
	t->payload_container_type = 1; /* 9.11.3.40: N1 SM information */
	t->payload_container = (struct sen_nas_bytes){gsm, len};
	t->has_pdu_session_id = true;
	t->pdu_session_id = s->psi;
	if (establish) {
		t->has_request_type = true;
		t->request_type = 1; /* 9.11.3.47: initial request */
		if (s->has_snssai) {
			t->has_snssai = true;
			t->snssai = s->snssai;
		}
		if (s->dnn[0]) {
			t->has_dnn = true;
			strcpy(t->dnn.name, s->dnn);
		}
	}
	return ue_send_mm(s->ue, &m);
}

/* Encode a 5GSM message; keep it for retransmission when `keep`, then send it. */
static int send_gsm(struct ue_session *s, const struct sen_nas_msg *gsm, bool keep, bool establish)
{
	uint8_t buf[sizeof(s->last)];
	int n = sen_nas_encode(gsm, buf, sizeof(buf));

	if (n < 0) {
		sen_log_ue_error(UE_MOD, s->ue->tag, "cannot encode %s: %s",
				 sen_nas_msg_name(gsm->epd, gsm->type), sen_strerror(n));
		return n;
	}
	if (keep) {
		memcpy(s->last, buf, (size_t)n);
		s->last_len = (size_t)n;
	}
	return send_ul_sm(s, buf, (size_t)n, establish);
}

static int send_gsm_status(struct sen_ue *ue, uint8_t psi, uint8_t pti, uint8_t cause)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_5GSM_STATUS);
	m.pdu_session_id = psi;
	m.pti = pti;
	m.gsm.cause = cause;
	m.gsm.has_cause = true;
	sen_log_ue_info(UE_MOD, ue->tag, "PSI %u: sending 5GSM STATUS #%u", psi, cause);
	return send_gsm(&ue->sess[psi], &m, false, false);
}

static uint8_t alloc_pti(struct sen_ue *ue)
{
	uint8_t pti = ue->next_pti;

	/* 9.6: 1..254 are the UE's transaction identities */
	ue->next_pti = pti >= 254 ? 1 : (uint8_t)(pti + 1);
	return pti;
}

static void forget(struct ue_session *s)
{
	ue_sess_timer_stop(s, SEN_UE_T3580);
	ue_sess_timer_stop(s, SEN_UE_T3582);
	s->pti = 0;
	s->retries = 0;
	s->last_len = 0;
	s->pdu_type = 0;
	memset(s->ipv4, 0, 4);
	memset(s->ipv6_iid, 0, 8);
	s->accept_cause = 0;
	memset(&s->ambr, 0, sizeof(s->ambr));
	s->n_qos_rules = s->qfi = 0;
}

static void sess_event(struct ue_session *s, enum sen_ue_event_type type, uint8_t cause,
		       bool mm_cause)
{
	struct sen_ue_event ev = {
	    .type = type, .cause = cause, .mm_cause = mm_cause, .psi = s->psi};

	if (type == SEN_UE_EV_SESSION_ESTABLISHED || type == SEN_UE_EV_SESSION_MODIFIED) {
		memcpy(ev.ipv4, s->ipv4, 4);
		memcpy(ev.ipv6_iid, s->ipv6_iid, 8);
		ev.pdu_type = s->pdu_type;
		ev.n_qos_rules = s->n_qos_rules;
		ev.qfi = s->qfi;
		ev.ambr = s->ambr;
	}
	ue_event(s->ue, &ev);
}

/* ---- handlers ---- */

/* 6.4.1.2 */
static int h_establish(struct ue_session *s, const struct sen_nas_msg *in)
{
	struct sen_nas_msg m;
	struct sen_nas_pdu_session_establishment_request *r = &m.pdu_session_establishment_request;
	int rc;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	s->pti = alloc_pti(s->ue);
	m.pdu_session_id = s->psi;
	m.pti = s->pti;
	r->integrity_max_rate = 0xffff; /* 9.11.4.7: full data rate, both directions */
	r->has_pdu_session_type = true;
	r->pdu_session_type = s->ue->pdu_type;
	r->has_ssc_mode = true;
	r->ssc_mode = 1;
	r->has_epco = true;
	if (r->pdu_session_type != SEN_NAS_PDU_IPV6) {
		sen_nas_epco_add(&r->epco, SEN_NAS_PCO_DNS_IPV4, NULL, 0);
		sen_nas_epco_add(&r->epco, SEN_NAS_PCO_IPV4_MTU, NULL, 0);
	}
	if (r->pdu_session_type != SEN_NAS_PDU_IPV4) /* TS 24.008 10.5.6.3: 0003H */
		sen_nas_epco_add(&r->epco, SEN_NAS_PCO_DNS_IPV6, NULL, 0);
	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: PDU session establishment request (DNN %s)",
			s->psi, s->dnn[0] ? s->dnn : "-");
	s->retries = 0;
	if ((rc = send_gsm(s, &m, true, true)) < 0) {
		s->pti = 0;
		return rc;
	}
	sm_goto(s, SEN_UE_SM_ACTIVE_PENDING);
	ue_sess_timer_start(s, SEN_UE_T3580);
	return 0;
}

/* 6.4.1.6 / 6.4.3.5: retransmit four times, give up on the fifth expiry. */
static int retransmit(struct ue_session *s, enum sen_ue_timer t, bool establish)
{
	if (++s->retries < 5 && s->last_len) {
		ue_sess_timer_start(s, t);
		return send_ul_sm(s, s->last, s->last_len, establish);
	}
	sen_log_ue_warn(UE_MOD, s->ue->tag, "PSI %u: no answer, procedure aborted", s->psi);
	forget(s);
	sm_goto(s, SEN_UE_SM_INACTIVE);
	sess_event(s, SEN_UE_EV_SESSION_FAILED, 0, false);
	return 0;
}

static int h_t3580(struct ue_session *s, const struct sen_nas_msg *in)
{
	return retransmit(s, SEN_UE_T3580, true);
}

static int h_t3582(struct ue_session *s, const struct sen_nas_msg *in)
{
	return retransmit(s, SEN_UE_T3582, false);
}

static bool pti_ok(struct ue_session *s, const struct sen_nas_msg *in)
{
	if (in->pti == s->pti)
		return true;
	sen_log_ue_warn(UE_MOD, s->ue->tag, "PSI %u: PTI %u, expected %u", s->psi, in->pti, s->pti);
	send_gsm_status(s->ue, s->psi, in->pti, 47); /* 7.3.1 */
	return false;
}

/* 6.4.3.2: PDU Session Release Request with `cause`, T3582. */
static int release_request(struct ue_session *s, uint8_t cause)
{
	struct sen_nas_msg m;
	int rc;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_RELEASE_REQUEST);
	s->pti = alloc_pti(s->ue);
	m.pdu_session_id = s->psi;
	m.pti = s->pti;
	m.gsm.has_cause = true;
	m.gsm.cause = cause;
	s->retries = 0;
	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: PDU session release request (#%u)", s->psi,
			cause);
	if ((rc = send_gsm(s, &m, true, false)) < 0) {
		s->pti = 0;
		return rc;
	}
	sm_goto(s, SEN_UE_SM_INACTIVE_PENDING);
	ue_sess_timer_start(s, SEN_UE_T3582);
	return 0;
}

/*
 * Why an Accept gives the UE no session it can use, or NULL. The UE asks only for IP
 * types: the selected PDU session type (mandatory, 9.11.4.11) must be one the request
 * allows (6.4.1.3: IPv4v6 asked for, the network may select IPv4, IPv6 or IPv4v6; IPv4
 * or IPv6 asked for, only that type), and for an IP type the network includes the PDU
 * address (8.3.2.1 / 9.11.4.10) of the selected type. lib/nas drops a syntactically
 * incorrect PDU address IE (7.7), so a malformed one arrives here as absent.
 */
static const char *accept_unusable(uint8_t asked,
				   const struct sen_nas_pdu_session_establishment_accept *a)
{
	uint8_t sel = a->pdu_session_type;

	if (sel != asked &&
	    !(asked == SEN_NAS_PDU_IPV4V6 && (sel == SEN_NAS_PDU_IPV4 || sel == SEN_NAS_PDU_IPV6)))
		return "selected PDU session type not the one asked for";
	if (!a->has_pdu_address)
		return "PDU address missing or malformed";
	if (a->pdu_address.type != sel)
		return "PDU address not of the selected PDU session type";
	return NULL;
}

/* 6.4.1.3 */
static int h_est_accept(struct ue_session *s, const struct sen_nas_msg *in)
{
	const struct sen_nas_pdu_session_establishment_accept *a =
	    &in->pdu_session_establishment_accept;

	if (!pti_ok(s, in))
		return 0;
	ue_sess_timer_stop(s, SEN_UE_T3580);
	s->pti = 0;
	s->last_len = 0;
	const char *bad = accept_unusable(s->ue->pdu_type, a);
	if (bad) {
		/* The network holds the session ACTIVE; the UE cannot use it, so it releases it
		   (6.4.3.2, #96 "invalid mandatory information") and reports a failure: no
		   address of zeros ever reaches the user plane. */
		sen_log_ue_warn(UE_MOD, s->ue->tag, "PSI %u: PDU session establishment accept: %s",
				s->psi, bad);
		sm_goto(s, SEN_UE_SM_ACTIVE);
		int rc = release_request(s, SEN_NAS_CAUSE_INVALID_MANDATORY_INFO);
		if (rc < 0) {
			forget(s);
			s->state = SEN_UE_SM_INACTIVE; /* nothing sent: drop it locally */
		}
		sess_event(s, SEN_UE_EV_SESSION_FAILED, SEN_NAS_CAUSE_INVALID_MANDATORY_INFO,
			   false);
		return rc;
	}
	s->pdu_type = a->pdu_session_type;
	s->accept_cause = a->has_cause ? a->cause : 0;
	/* 9.11.4.10: IPv4 address, IPv6 interface identifier, or both (IID first) */
	if (a->has_pdu_address &&
	    (a->pdu_address.type == SEN_NAS_PDU_IPV4 || a->pdu_address.type == SEN_NAS_PDU_IPV4V6))
		memcpy(s->ipv4, a->pdu_address.ipv4, 4);
	if (a->has_pdu_address &&
	    (a->pdu_address.type == SEN_NAS_PDU_IPV6 || a->pdu_address.type == SEN_NAS_PDU_IPV4V6))
		memcpy(s->ipv6_iid, a->pdu_address.ipv6_iid, 8);
	s->ambr = a->ambr;
	s->n_qos_rules = a->qos_rules.n;
	for (unsigned i = 0; i < a->qos_rules.n; i++)
		if (a->qos_rules.r[i].dqr && a->qos_rules.r[i].has_qfi)
			s->qfi = a->qos_rules.r[i].qfi;
	sm_goto(s, SEN_UE_SM_ACTIVE);
	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: PDU session established, %u.%u.%u.%u", s->psi,
			s->ipv4[0], s->ipv4[1], s->ipv4[2], s->ipv4[3]);
	sess_event(s, SEN_UE_EV_SESSION_ESTABLISHED, 0, false);
	return 0;
}

/* 6.4.1.4 */
static int h_est_reject(struct ue_session *s, const struct sen_nas_msg *in)
{
	uint8_t cause = in->pdu_session_establishment_reject.cause;

	if (!pti_ok(s, in))
		return 0;
	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: PDU session establishment reject #%u", s->psi,
			cause);
	forget(s);
	sm_goto(s, SEN_UE_SM_INACTIVE);
	sess_event(s, SEN_UE_EV_SESSION_REJECTED, cause, false);
	return 0;
}

/* 6.4.3.2 */
static int h_release(struct ue_session *s, const struct sen_nas_msg *in)
{
	return release_request(s, 36); /* regular deactivation */
}

/* 6.3.3.3 (network-requested, PTI 0) and 6.4.3.3 (answer to the UE's request). */
static int h_rel_command(struct ue_session *s, const struct sen_nas_msg *in)
{
	struct sen_nas_msg m;
	uint8_t cause = in->gsm.cause;
	int rc;

	if (in->pti != 0 && !pti_ok(s, in))
		return 0;
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
	m.pdu_session_id = s->psi;
	m.pti = in->pti;
	rc = send_gsm(s, &m, false, false);
	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: PDU session released (#%u)", s->psi, cause);
	forget(s);
	sm_goto(s, SEN_UE_SM_INACTIVE);
	sess_event(s, SEN_UE_EV_SESSION_RELEASED, cause, false);
	return rc;
}

/* 6.4.3.4 */
static int h_rel_reject(struct ue_session *s, const struct sen_nas_msg *in)
{
	if (!pti_ok(s, in))
		return 0;
	ue_sess_timer_stop(s, SEN_UE_T3582);
	s->pti = 0;
	s->last_len = 0;
	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: PDU session release reject #%u", s->psi,
			in->gsm.cause);
	sm_goto(s, SEN_UE_SM_ACTIVE);
	sess_event(s, SEN_UE_EV_SESSION_RELEASE_REJECTED, in->gsm.cause, false);
	return 0;
}

/* 6.3.2.3 */
static int h_mod_command(struct ue_session *s, const struct sen_nas_msg *in)
{
	const struct sen_nas_pdu_session_modification_command *c =
	    &in->pdu_session_modification_command;
	struct sen_nas_msg m;
	int rc;

	if (c->has_ambr)
		s->ambr = c->ambr;
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_MODIFICATION_COMPLETE);
	m.pdu_session_id = s->psi;
	m.pti = in->pti;
	rc = send_gsm(s, &m, false, false);
	sess_event(s, SEN_UE_EV_SESSION_MODIFIED, 0, false);
	return rc;
}

static void abort_procedure(struct ue_session *s, uint8_t cause, bool mm_cause)
{
	if (s->state == SEN_UE_SM_ACTIVE_PENDING) {
		forget(s);
		sm_goto(s, SEN_UE_SM_INACTIVE);
		sess_event(s, SEN_UE_EV_SESSION_REJECTED, cause, mm_cause);
	} else if (s->state == SEN_UE_SM_INACTIVE_PENDING) {
		ue_sess_timer_stop(s, SEN_UE_T3582);
		s->pti = 0;
		s->last_len = 0;
		sm_goto(s, SEN_UE_SM_ACTIVE);
	}
}

static int h_local_release(struct ue_session *s, const struct sen_nas_msg *in)
{
	bool was = s->state != SEN_UE_SM_INACTIVE;

	forget(s);
	/* a local release may leave any state: no signalling, so no table transition */
	s->state = SEN_UE_SM_INACTIVE;
	if (was)
		sess_event(s, SEN_UE_EV_SESSION_RELEASED, 0, false);
	return 0;
}

/* 6.5.3: 5GSM STATUS from the network. */
static int h_gsm_status(struct ue_session *s, const struct sen_nas_msg *in)
{
	uint8_t cause = in->gsm.cause;

	sen_log_ue_warn(UE_MOD, s->ue->tag, "PSI %u: 5GSM STATUS #%u", s->psi, cause);
	if (cause == 43) /* invalid PDU session identity: release locally */
		return h_local_release(s, in);
	if (cause == 47 && s->pti && in->pti == s->pti) /* PTI mismatch: abort */
		abort_procedure(s, cause, false);
	return 0;
}

/* 5.4.5.3.3: the network could not forward our 5GSM message (5GMM cause in the transport). */
static int h_not_forwarded(struct ue_session *s, const struct sen_nas_msg *in)
{
	uint8_t cause = in ? in->gsm.cause : 0;

	sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: 5GSM message not forwarded (#%u)", s->psi,
			cause);
	abort_procedure(s, cause, true);
	return 0;
}

typedef int (*sm_handler)(struct ue_session *s, const struct sen_nas_msg *in);
static const sm_handler sm_handlers[SM_EV_N] = {
    [SM_EV_ESTABLISH] = h_establish,
    [SM_EV_RELEASE] = h_release,
    [SM_EV_LOCAL_RELEASE] = h_local_release,
    [SM_EV_T3580] = h_t3580,
    [SM_EV_T3582] = h_t3582,
    [SM_EV_EST_ACCEPT] = h_est_accept,
    [SM_EV_EST_REJECT] = h_est_reject,
    [SM_EV_REL_COMMAND] = h_rel_command,
    [SM_EV_REL_REJECT] = h_rel_reject,
    [SM_EV_MOD_COMMAND] = h_mod_command,
    [SM_EV_GSM_STATUS] = h_gsm_status,
    [SM_EV_NOT_FORWARDED] = h_not_forwarded,
};

int ue_sm_dispatch(struct ue_session *s, enum ue_sm_ev ev, const struct sen_nas_msg *gsm)
{
	if (!(sm_rows[s->state].in & EV(ev))) {
		sen_log_ue_info(UE_MOD, s->ue->tag, "PSI %u: %s not expected in %s", s->psi,
				sm_ev_names[ev], sm_rows[s->state].name);
		if (gsm && ev != SM_EV_NOT_FORWARDED) {
			send_gsm_status(s->ue, s->psi, gsm->pti,
					s->state == SEN_UE_SM_INACTIVE ? 43 : 98);
			return 0;
		}
		return gsm ? 0 : -SEN_EINVAL;
	}
	return sm_handlers[ev](s, gsm);
}

/* ---- DL NAS Transport (5.4.5.3) ---- */

static enum ue_sm_ev sm_event_of(uint8_t type)
{
	switch (type) {
	case SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT:
		return SM_EV_EST_ACCEPT;
	case SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT:
		return SM_EV_EST_REJECT;
	case SEN_NAS_PDU_SESSION_RELEASE_COMMAND:
		return SM_EV_REL_COMMAND;
	case SEN_NAS_PDU_SESSION_RELEASE_REJECT:
		return SM_EV_REL_REJECT;
	case SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND:
		return SM_EV_MOD_COMMAND;
	case SEN_NAS_5GSM_STATUS:
		return SM_EV_GSM_STATUS;
	default:
		return SM_EV_N;
	}
}

int ue_sm_dl_transport(struct sen_ue *ue, const struct sen_nas_dl_nas_transport *t)
{
	const struct sen_nas_bytes *pc = &t->payload_container;
	struct sen_nas_msg gsm;
	struct sen_nas_error err;
	uint8_t psi;

	if ((t->payload_container_type & 0x0f) != 1) {
		sen_log_ue_info(UE_MOD, ue->tag, "DL NAS transport: payload type %u not supported",
				t->payload_container_type);
		return -SEN_ENOTSUP;
	}
	/* 5.4.5.3.2: N1 SM information without a PDU session ID is discarded */
	if (!t->has_pdu_session_id || t->pdu_session_id < 1 || t->pdu_session_id >= UE_PSI_N) {
		sen_log_ue_warn(UE_MOD, ue->tag, "DL NAS transport without a valid PDU session ID");
		return -SEN_EPROTO;
	}
	psi = t->pdu_session_id;
	if (t->has_cause) {
		struct sen_nas_msg c;

		memset(&c, 0, sizeof(c));
		c.gsm.cause = t->cause;
		return ue_sm_dispatch(&ue->sess[psi], SM_EV_NOT_FORWARDED, &c);
	}
	if (sen_nas_decode(pc->p, pc->len, &gsm, &err) < 0) {
		if (!err.cause || pc->len < 3 || pc->p[0] != SEN_NAS_EPD_5GSM) {
			sen_log_ue_warn(UE_MOD, ue->tag, "DL 5GSM message ignored: %s",
					err.problem);
			return -SEN_EPROTO;
		}
		sen_log_ue_warn(UE_MOD, ue->tag, "bad %s: %s %s", err.msg, err.ie, err.problem);
		send_gsm_status(ue, psi, pc->p[2], err.cause);
		return 0;
	}
	if (gsm.epd != SEN_NAS_EPD_5GSM) {
		sen_log_ue_warn(UE_MOD, ue->tag, "DL NAS transport: N1 SM payload is not 5GSM");
		return -SEN_EPROTO;
	}
	enum ue_sm_ev ev = sm_event_of(gsm.type);
	if (ev == SM_EV_N) {
		send_gsm_status(ue, psi, gsm.pti, SEN_NAS_CAUSE_MSG_TYPE_NONEXISTENT);
		return 0;
	}
	if (gsm.pdu_session_id != psi) {
		sen_log_ue_warn(UE_MOD, ue->tag,
				"PSI %u in DL NAS transport, %u in the 5GSM header", psi,
				gsm.pdu_session_id);
		return -SEN_EPROTO;
	}
	return ue_sm_dispatch(&ue->sess[psi], ev, &gsm);
}

void ue_sm_release_all(struct sen_ue *ue)
{
	for (uint8_t psi = 1; psi < UE_PSI_N; psi++)
		ue_sm_dispatch(&ue->sess[psi], SM_EV_LOCAL_RELEASE, NULL);
}

uint16_t ue_sm_active_map(const struct sen_ue *ue)
{
	uint16_t map = 0;

	for (unsigned psi = 1; psi < UE_PSI_N; psi++)
		if (ue->sess[psi].state == SEN_UE_SM_ACTIVE)
			map |= (uint16_t)(1u << psi);
	return map;
}
