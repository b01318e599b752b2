/*
 * sen-ransim scenario: what each simulated UE does, and when.
 *
 * UEs are launched at opts.rate per second once every gNB has finished NG Setup, spread
 * round-robin over the gNBs that succeeded. Each UE walks the steps asked for:
 *
 *   REGISTER    initial registration (TS 23.502 4.2.2.2.2): done at "registered", with
 *               the KgNB of Initial Context Setup equal to the UE's own
 *   SESSION     PDU session establishment (TS 23.502 4.3.2.2.1), after a Service Request
 *               (TS 24.501 5.6.1) if the AMF released the UE to 5GMM-IDLE: done when the
 *               UE has the session AND the gNB holds its N3 tunnel
 *   RA          IPv6 / IPv4v6 sessions (--pdu-type): Router Solicitation through the
 *               session, done when a Router Advertisement gives the /64 (TS 23.501
 *               5.8.2.2.3; gtp.c)
 *   PING        --ping: echo requests through the tunnel (gtp.c)
 *   RELEASE     --release: UE-requested PDU session release (TS 23.502 4.3.4.2, TS 24.501
 *               6.4.3): done when the UE processed the Release Command AND the gNB released
 *               the N3 tunnel (PDU Session Resource Release Command)
 *   HOLD        --duration: keep the UE up (TUN users, manual tests; registered without a
 *               session after RELEASE)
 *   DEREGISTER  UE-originated de-registration, normal (TS 23.502 4.2.2.3.2)
 *
 * Every step runs under a guard timer (procedure_timeout_ms); its latency is measured from
 * the start of the step to its end. A failed step is counted with its reason and ends the
 * UE's walk (a registered UE still de-registers when asked to). The UE engine's callbacks
 * only record what happened; acting on it (which calls into the UE) waits for a 0 ms timer,
 * as ue.h requires.
 */
#include "ransim.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum rs_proc step_proc(enum rs_step s)
{
	switch (s) {
	case RS_STEP_REGISTER:
		return RS_PROC_REGISTRATION;
	case RS_STEP_SESSION:
		return RS_PROC_PDU_SESSION;
	case RS_STEP_RA:
		return RS_PROC_RA;
	case RS_STEP_PING:
		return RS_PROC_PING;
	case RS_STEP_RELEASE:
		return RS_PROC_RELEASE;
	case RS_STEP_DEREGISTER:
		return RS_PROC_DEREGISTRATION;
	default:
		return RS_PROC_N;
	}
}

/* The step after `s` among those asked for. */
static enum rs_step next_step(const struct rs *rs, enum rs_step s)
{
	switch (s) {
	case RS_STEP_WAIT:
		if (rs->opts.reg)
			return RS_STEP_REGISTER;
		/* fall through */
	case RS_STEP_REGISTER:
		if (rs->opts.session)
			return RS_STEP_SESSION;
		/* fall through */
	case RS_STEP_SESSION:
		if (rs->opts.pdu_type != SEN_NAS_PDU_IPV4)
			return RS_STEP_RA;
		/* fall through */
	case RS_STEP_RA:
		if (rs->opts.ping)
			return RS_STEP_PING;
		/* fall through */
	case RS_STEP_PING:
		if (rs->opts.release)
			return RS_STEP_RELEASE;
		/* fall through */
	case RS_STEP_RELEASE:
		if (rs->opts.duration > 0)
			return RS_STEP_HOLD;
		/* fall through */
	case RS_STEP_HOLD:
		if (rs->opts.dereg)
			return RS_STEP_DEREGISTER;
		/* fall through */
	default:
		return RS_STEP_DONE;
	}
}

static void check_end(struct rs *rs);

static void go(struct rs_ue *ue, enum rs_step s)
{
	ue->next = s;
	sen_timer_start(&ue->kick, 0);
}

static void step_ok(struct rs_ue *ue)
{
	enum rs_proc p = step_proc(ue->step);

	sen_timer_stop(&ue->guard);
	if (p != RS_PROC_N && p != RS_PROC_PING)
		rs_stats_ok(&ue->rs->stats, p, rs_now_us() - ue->t_start);
	go(ue, next_step(ue->rs, ue->step));
	ue->step = RS_STEP_NEXT; /* nothing more is counted until the kick */
}

void rs_scenario_fail(struct rs_ue *ue, const char *why)
{
	enum rs_proc p = step_proc(ue->step);

	if (ue->step == RS_STEP_DONE || ue->step == RS_STEP_WAIT || ue->step == RS_STEP_NEXT)
		return;
	sen_timer_stop(&ue->guard);
	ue->failed = true;
	if (p != RS_PROC_N)
		rs_stats_fail(&ue->rs->stats, p, ue->supi, why);
	sen_log_ue_warn("ransim", ue->tag, "%s failed: %s", p != RS_PROC_N ? rs_proc_name(p) : "?",
			why);
	rs_gtp_ping_stop(ue);
	rs_gtp_rs_stop(ue);
	if (ue->registered && ue->rs->opts.dereg && ue->step < RS_STEP_DEREGISTER && ue->gnb &&
	    ue->gnb->state == RS_GNB_READY)
		go(ue, RS_STEP_DEREGISTER);
	else
		go(ue, RS_STEP_DONE);
	ue->step = RS_STEP_NEXT; /* nothing more is counted until the kick */
}

static void fail_rc(struct rs_ue *ue, const char *what, int rc)
{
	char why[96];

	snprintf(why, sizeof(why), "%s: %s", what, sen_strerror(rc));
	rs_scenario_fail(ue, why);
}

/* Start step s now (on the kick timer, outside the UE engine's callbacks). */
static void start_step(struct rs_ue *ue, enum rs_step s)
{
	struct rs *rs = ue->rs;
	int rc = 0;

	ue->step = s;
	ue->t_start = rs_now_us();
	ue->why[0] = 0;
	ue->svc_pending = false;
	if (s != RS_STEP_DONE && s != RS_STEP_HOLD)
		sen_timer_start(&ue->guard, rs->cfg->procedure_timeout_ms);
	switch (s) {
	case RS_STEP_REGISTER:
		if ((rc = sen_ue_register(ue->ue)) < 0)
			fail_rc(ue, "registration request", rc);
		break;
	case RS_STEP_SESSION:
		if (!sen_ue_connected(ue->ue)) {
			ue->svc_pending = true;
			if ((rc = sen_ue_service_request(ue->ue, 1)) < 0)
				fail_rc(ue, "service request", rc);
		} else if ((rc = sen_ue_pdu_session_establish(ue->ue, RS_PSI, NULL, NULL)) < 0)
			fail_rc(ue, "PDU session establishment request", rc);
		break;
	case RS_STEP_RA:
		if (!ue->sess.has_v6) {
			/* IPv4 only was granted (#50): nothing to solicit, nothing counted */
			sen_timer_stop(&ue->guard);
			go(ue, next_step(rs, s));
			ue->step = RS_STEP_NEXT;
		} else if ((rc = rs_gtp_rs_start(ue)) < 0)
			fail_rc(ue, "Router Solicitation", rc);
		break;
	case RS_STEP_PING:
		if ((rc = rs_gtp_ping_start(ue)) < 0)
			fail_rc(ue, "no usable PDU session address", rc);
		break;
	case RS_STEP_RELEASE:
		if (!ue->sess.nas_active) {
			rs_scenario_fail(ue, "no PDU session to release");
		} else if (!sen_ue_connected(ue->ue)) {
			ue->svc_pending = true;
			if ((rc = sen_ue_service_request(ue->ue, 0)) < 0)
				fail_rc(ue, "service request", rc);
		} else if ((rc = sen_ue_pdu_session_release(ue->ue, RS_PSI)) < 0)
			fail_rc(ue, "PDU session release request", rc);
		break;
	case RS_STEP_HOLD:
		if (rs->stopping)
			go(ue, next_step(rs, s));
		else
			sen_timer_start(&ue->hold, (uint64_t)(rs->opts.duration * 1000.0));
		break;
	case RS_STEP_DEREGISTER:
		if (!ue->registered) {
			rs_scenario_fail(ue, "not registered");
			break;
		}
		if ((rc = sen_ue_deregister(ue->ue, false)) < 0)
			fail_rc(ue, "de-registration request", rc);
		break;
	case RS_STEP_DONE:
		rs_gtp_session_down(ue);
		rs->done++;
		check_end(rs);
		break;
	default:
		break;
	}
}

static void on_kick(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs_ue *ue = arg;

	start_step(ue, ue->next);
}

static void on_hold(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs_ue *ue = arg;

	if (ue->step == RS_STEP_HOLD)
		go(ue, next_step(ue->rs, RS_STEP_HOLD));
}

static void on_guard(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs_ue *ue = arg;
	char why[160];

	snprintf(why, sizeof(why), "no result within %u ms%s%s", ue->rs->cfg->procedure_timeout_ms,
		 ue->why[0] ? " after " : "", ue->why);
	rs_scenario_fail(ue, why);
}

/* ---- what the UE engine reports ------------------------------------------------------------ */

static void iid_text(const uint8_t iid[8], char *out, size_t cap)
{
	uint8_t a[16] = {0};

	memcpy(a + 8, iid, 8);
	inet_ntop(AF_INET6, a, out, (socklen_t)cap);
}

/* The Accept: what the session got (TS 24.501 9.11.4.10), noted for the report. */
static void session_established(struct rs_ue *ue, const struct sen_ue_event *ev)
{
	struct rs_session *s = &ue->sess;
	struct sen_ue_session_info info;
	char iid[INET6_ADDRSTRLEN] = "";
	uint8_t cause = 0;

	s->nas_active = true;
	s->pdu_type = ev->pdu_type;
	s->has_v4 = ev->pdu_type == SEN_NAS_PDU_IPV4 || ev->pdu_type == SEN_NAS_PDU_IPV4V6;
	s->has_v6 = ev->pdu_type == SEN_NAS_PDU_IPV6 || ev->pdu_type == SEN_NAS_PDU_IPV4V6;
	s->v6_ready = false;
	memcpy(s->ipv4, ev->ipv4, 4);
	memcpy(s->iid, ev->ipv6_iid, 8);
	if (s->has_v6)
		iid_text(s->iid, iid, sizeof(iid));
	if (sen_ue_session(ue->ue, ev->psi, &info) == 0)
		cause = info.accept_cause;
	sen_log_ue_info("ransim", ue->tag, "PDU session %u: %s %u.%u.%u.%u%s%s, QFI %u%s", ev->psi,
			s->pdu_type == SEN_NAS_PDU_IPV6	    ? "IPv6"
			: s->pdu_type == SEN_NAS_PDU_IPV4V6 ? "IPv4v6"
							    : "IPv4",
			ev->ipv4[0], ev->ipv4[1], ev->ipv4[2], ev->ipv4[3], iid[0] ? " iid " : "",
			iid, ev->qfi, cause == 50 ? " (#50: IPv4 only allowed)" : "");
	if (s->addr_slot < 0)
		s->addr_slot = rs_stats_addr_slot(&ue->rs->stats, ue->supi);
	if (s->addr_slot >= 0) {
		__typeof__(ue->rs->stats.addrs[0]) *a = &ue->rs->stats.addrs[s->addr_slot];
		a->pdu_type = s->pdu_type;
		a->cause = cause;
		if (s->has_v4)
			snprintf(a->ipv4, sizeof(a->ipv4), "%u.%u.%u.%u", ev->ipv4[0], ev->ipv4[1],
				 ev->ipv4[2], ev->ipv4[3]);
		snprintf(a->iid, sizeof(a->iid), "%s", iid);
		a->ipv6[0] = 0;
	}
}

/* RELEASE is done when the UE has no session and the gNB no tunnel (TS 23.502 4.3.4.2). */
static void release_check(struct rs_ue *ue)
{
	if (ue->step == RS_STEP_RELEASE && !ue->svc_pending && !ue->sess.nas_active &&
	    !ue->sess.tunnel)
		step_ok(ue);
}

static void session_check(struct rs_ue *ue)
{
	if (ue->step != RS_STEP_SESSION || !ue->sess.nas_active || !ue->sess.tunnel)
		return;
	int rc = rs_gtp_session_up(ue);
	if (rc < 0) {
		fail_rc(ue, "TUN device", rc);
		return;
	}
	step_ok(ue);
}

static void on_ue_event(struct sen_ue *sue, const struct sen_ue_event *ev, void *arg)
{
	struct rs_ue *ue = arg;
	char why[160];

	sen_log_ue_debug("ransim", ue->tag, "UE event: %s (cause %u)", sen_ue_event_name(ev->type),
			 ev->cause);
	switch (ev->type) {
	case SEN_UE_EV_REGISTERED:
		ue->registered = true;
		rs_inject_registered(ue);
		if (ue->step == RS_STEP_REGISTER && !ue->kgnb_mismatch)
			step_ok(ue);
		break;
	case SEN_UE_EV_REJECTED:
		snprintf(why, sizeof(why), "Registration Reject, 5GMM cause #%u", ev->cause);
		rs_scenario_fail(ue, why);
		break;
	case SEN_UE_EV_REGISTRATION_FAILED:
		rs_scenario_fail(ue, ue->why[0] ? ue->why : "registration attempts exhausted");
		break;
	case SEN_UE_EV_AUTH_FAILED:
		/* the UE answered Authentication Failure; the AMF decides what follows */
		snprintf(ue->why, sizeof(ue->why), "Authentication Failure #%u sent", ev->cause);
		break;
	case SEN_UE_EV_AUTH_REJECTED:
		snprintf(why, sizeof(why), "Authentication Reject%s%s", ue->why[0] ? " after " : "",
			 ue->why);
		ue->registered = false;
		rs_scenario_fail(ue, why);
		break;
	case SEN_UE_EV_SECURITY_MODE_REJECTED:
		snprintf(why, sizeof(why), "Security Mode Reject #%u sent", ev->cause);
		rs_scenario_fail(ue, why);
		break;
	case SEN_UE_EV_DEREGISTERED:
		ue->registered = false;
		ue->sess.nas_active = false;
		if (ue->step == RS_STEP_DEREGISTER && !ev->by_network)
			step_ok(ue);
		else if (ev->by_network)
			rs_scenario_fail(ue, "de-registered by the network");
		break;
	case SEN_UE_EV_STATUS:
		rs_inject_gmm_status(ue, ev->cause);
		break;
	case SEN_UE_EV_SERVICE_ACCEPTED:
		if (ue->svc_pending &&
		    (ue->step == RS_STEP_SESSION || ue->step == RS_STEP_RELEASE)) {
			ue->svc_pending = false;
			go(ue, ue->step); /* now connected: establish / release */
			ue->step = RS_STEP_NEXT;
		}
		break;
	case SEN_UE_EV_SERVICE_REJECTED:
		snprintf(why, sizeof(why), "Service Reject #%u", ev->cause);
		rs_scenario_fail(ue, why);
		break;
	case SEN_UE_EV_SESSION_ESTABLISHED:
		if (ev->psi != RS_PSI)
			break;
		session_established(ue, ev);
		session_check(ue);
		break;
	case SEN_UE_EV_SESSION_REJECTED:
		snprintf(why, sizeof(why), "PDU Session Establishment Reject, %s cause #%u",
			 ev->mm_cause ? "5GMM" : "5GSM", ev->cause);
		if (ue->step == RS_STEP_SESSION)
			rs_scenario_fail(ue, why);
		break;
	case SEN_UE_EV_SESSION_FAILED:
		if (ue->step == RS_STEP_SESSION && ev->cause)
			/* no session that can carry traffic: no TUN, no ping (TS 24.501 6.4.1.3) */
			rs_scenario_fail(ue, "unusable PDU Session Establishment Accept (no PDU "
					     "address of the selected type, or a type not asked "
					     "for), released with 5GSM cause #96");
		else if (ue->step == RS_STEP_SESSION)
			rs_scenario_fail(ue, "T3580 retransmissions exhausted");
		else if (ue->step == RS_STEP_RELEASE)
			rs_scenario_fail(ue, "T3582 retransmissions exhausted");
		break;
	case SEN_UE_EV_SESSION_RELEASED:
		if (ev->psi == RS_PSI) {
			ue->sess.nas_active = false;
			rs_gtp_session_down(ue);
			release_check(ue);
		}
		break;
	case SEN_UE_EV_SESSION_RELEASE_REJECTED:
		snprintf(why, sizeof(why), "PDU Session Release Reject, 5GSM cause #%u", ev->cause);
		if (ue->step == RS_STEP_RELEASE && ev->psi == RS_PSI)
			rs_scenario_fail(ue, why);
		break;
	default:
		break;
	}
}

/* The UE engine's uplink: to the gNB (never calls back into the UE). */
static void on_ue_tx(struct sen_ue *sue, const uint8_t *pdu, size_t len, unsigned flags, void *arg)
{
	struct rs_ue *ue = arg;
	int rc = rs_gnb_uplink(ue, pdu, len, flags);

	if (rc >= 0)
		rs_inject_uplink(ue, pdu, len);
	if (rc < 0)
		snprintf(ue->why, sizeof(ue->why), "uplink NAS not sent (%s)", sen_strerror(rc));
}

void rs_scenario_conn_lost(struct rs_ue *ue)
{
	if (ue->step == RS_STEP_REGISTER && !ue->registered)
		rs_scenario_fail(
		    ue, ue->why[0] ? ue->why : "UE context released before registration completed");
	else if (ue->step == RS_STEP_PING)
		rs_gtp_ping_stop(ue), rs_scenario_fail(ue, "UE context released during ping");
	else if (ue->step == RS_STEP_RA)
		rs_scenario_fail(ue, "UE context released during router solicitation");
}

void rs_scenario_kgnb(struct rs_ue *ue, bool match)
{
	ue->kgnb_mismatch = !match;
	if (match)
		return;
	ue->rs->stats.kgnb_mismatch++;
	rs_scenario_fail(ue, "Initial Context Setup: the AMF's KgNB differs from the UE's");
}

void rs_scenario_tunnel(struct rs_ue *ue)
{
	if (!ue->sess.tunnel && ue->step == RS_STEP_PING) {
		rs_gtp_ping_stop(ue);
		rs_scenario_fail(ue, "PDU session resources released during ping");
	}
	session_check(ue);
	release_check(ue);
}

void rs_scenario_ra_done(struct rs_ue *ue, const char *why)
{
	if (ue->step != RS_STEP_RA)
		return;
	if (why)
		rs_scenario_fail(ue, why);
	else
		step_ok(ue);
}

void rs_scenario_ping_done(struct rs_ue *ue)
{
	if (ue->step != RS_STEP_PING)
		return;
	sen_timer_stop(&ue->guard);
	go(ue, next_step(ue->rs, RS_STEP_PING));
	ue->step = RS_STEP_NEXT;
}

/* ---- launching and ending --------------------------------------------------------------- */

static void on_drain(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs *rs = arg;
	size_t open = 0;

	for (unsigned i = 0; i < rs->n_gnbs; i++)
		if (rs->gnbs[i].by_ran && rs->gnbs[i].state == RS_GNB_READY)
			open += sen_hash_count(rs->gnbs[i].by_ran);
	/* wait (up to 2 s) for the AMF to release the UEs it de-registered */
	if (open && rs->drain_ticks++ < 200 && rs->signals < 2) {
		sen_timer_start(&rs->drain, 10);
		return;
	}
	sen_loop_stop(rs->loop);
}

static void check_end(struct rs *rs)
{
	if (rs->done < rs->n_ues)
		return;
	sen_timer_start(&rs->drain, rs->opts.dereg ? 10 : 0);
}

static void launch(struct rs *rs, struct rs_ue *ue)
{
	unsigned ready = 0;

	for (unsigned i = 0; i < rs->n_gnbs; i++)
		ready += rs->gnbs[i].state == RS_GNB_READY;
	ue->gnb = NULL;
	for (unsigned i = 0, k = 0; i < rs->n_gnbs && ready; i++)
		if (rs->gnbs[i].state == RS_GNB_READY && k++ == ue->idx % ready)
			ue->gnb = &rs->gnbs[i];
	ue->step = RS_STEP_NEXT; /* launched: the kick starts the first step */
	if (!ue->gnb) {
		ue->step = RS_STEP_REGISTER;
		rs_scenario_fail(ue, "no gNB is connected to the AMF");
		return;
	}
	go(ue, next_step(rs, RS_STEP_WAIT));
}

static void on_launcher(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs *rs = arg;
	uint64_t now = rs_now_us();
	double due = (double)(now - rs->t_launch0) / 1e6 * rs->opts.rate + 1.0;

	while (rs->launched < rs->n_ues && (double)rs->launched < due && !rs->stopping)
		launch(rs, &rs->ues[rs->launched++]);
	if (rs->stopping) {
		/* never launched: not counted */
		while (rs->launched < rs->n_ues) {
			rs->ues[rs->launched++].step = RS_STEP_DONE;
			rs->done++;
		}
		check_end(rs);
		return;
	}
	if (rs->launched < rs->n_ues) {
		double at = (double)rs->launched / rs->opts.rate * 1e6; /* us after t0 */
		double wait = at - (double)(now - rs->t_launch0);
		sen_timer_start(&rs->launcher, wait > 1000 ? (uint64_t)(wait / 1000) : 1);
	}
}

void rs_scenario_gnb_settled(struct rs *rs)
{
	unsigned ready = 0;

	if (++rs->gnbs_settled < rs->n_gnbs)
		return;
	for (unsigned i = 0; i < rs->n_gnbs; i++)
		ready += rs->gnbs[i].state == RS_GNB_READY;
	if (!ready) {
		rs->exit_code = 1;
		sen_loop_stop(rs->loop);
		return;
	}
	if (!rs->n_ues || !(rs->opts.reg || rs->opts.session || rs->opts.dereg)) {
		sen_loop_stop(rs->loop);
		return;
	}
	rs->t_launch0 = rs_now_us();
	sen_timer_start(&rs->launcher, 0);
}

void rs_scenario_stop(struct rs *rs)
{
	rs->stopping = true;
	if (rs->gnbs_settled < rs->n_gnbs) {
		sen_loop_stop(rs->loop);
		return;
	}
	for (unsigned i = 0; i < rs->launched; i++) {
		struct rs_ue *ue = &rs->ues[i];
		if (ue->step == RS_STEP_HOLD && sen_timer_pending(&ue->hold)) {
			sen_timer_stop(&ue->hold);
			go(ue, next_step(rs, RS_STEP_HOLD));
		}
	}
	if (rs->launched < rs->n_ues)
		sen_timer_start(&rs->launcher, 0);
}

/* The SUPI of UE i: the template's MSIN plus i, same number of digits. */
static int make_supi(const char *tmpl, unsigned i, char *out, size_t cap)
{
	const char *d = tmpl + 5; /* "imsi-" checked by the config */
	size_t n = strlen(d);
	char digits[16];
	unsigned carry = i;

	memcpy(digits, d, n + 1);
	for (size_t k = n; k-- > 0 && carry;) {
		unsigned v = (unsigned)(digits[k] - '0') + carry % 10;
		carry /= 10;
		carry += v / 10;
		digits[k] = (char)('0' + v % 10);
	}
	if (carry)
		return -SEN_ERANGE;
	snprintf(out, cap, "imsi-%s", digits);
	return 0;
}

int rs_scenario_init(struct rs *rs)
{
	const struct rs_config *cfg = rs->cfg;
	struct sen_ue_config uc;
	int rc;

	sen_timer_init(&rs->launcher, rs->loop, on_launcher, rs);
	sen_timer_init(&rs->drain, rs->loop, on_drain, rs);
	rs_inject_init(rs);
	rs->ues = calloc(rs->n_ues ? rs->n_ues : 1, sizeof(*rs->ues));
	if (!rs->ues)
		return -SEN_ENOMEM;
	memset(&uc, 0, sizeof(uc));
	uc.mcc = cfg->plmn.mcc;
	uc.mnc = cfg->plmn.mnc;
	memcpy(uc.k, cfg->ue.k, 16);
	memcpy(uc.op, cfg->ue.op, 16);
	uc.op_is_opc = cfg->ue.op_is_opc;
	memcpy(uc.amf, cfg->ue.amf, 2);
	uc.sqn = cfg->ue.sqn;
	uc.suci_scheme = (uint8_t)cfg->ue.suci_scheme;
	uc.hn_key_id = cfg->ue.hn_key_id;
	uc.hn_pub = cfg->ue.hn_pub_len ? cfg->ue.hn_pub : NULL;
	uc.hn_pub_len = cfg->ue.hn_pub_len;
	uc.routing_indicator = cfg->ue.routing_indicator;
	uc.imeisv = cfg->ue.imeisv[0] ? cfg->ue.imeisv : NULL;
	for (size_t i = 0; i < cfg->n_slices && i < SEN_NAS_NSSAI_MAX; i++) {
		struct sen_nas_snssai *s = &uc.requested_nssai.s[uc.requested_nssai.n++];
		s->sst = cfg->slices[i].sst;
		s->len = cfg->slices[i].sd == SEN_CFG_SD_NONE ? 1 : 4;
		s->sd = cfg->slices[i].sd == SEN_CFG_SD_NONE ? 0 : cfg->slices[i].sd;
	}
	uc.dnn = cfg->ue.dnn;
	uc.pdu_type = (uint8_t)rs->opts.pdu_type;
	uc.loop = rs->loop;
	uc.tx = on_ue_tx;
	uc.on_event = on_ue_event;
	for (unsigned i = 0; i < rs->n_ues; i++) {
		struct rs_ue *ue = &rs->ues[i];
		ue->rs = rs;
		ue->idx = i;
		ue->sess.tun_fd = -1;
		ue->sess.addr_slot = -1;
		sen_timer_init(&ue->guard, rs->loop, on_guard, ue);
		sen_timer_init(&ue->hold, rs->loop, on_hold, ue);
		sen_timer_init(&ue->kick, rs->loop, on_kick, ue);
		if (make_supi(cfg->ue.supi, i, ue->supi, sizeof(ue->supi)) < 0) {
			fprintf(stderr, "sen-ransim: %u UEs from %s run out of SUPI digits\n",
				rs->n_ues, cfg->ue.supi);
			return -SEN_ERANGE;
		}
		sen_log_ue_tag(ue->tag, sizeof(ue->tag), ue->supi, -1, -1);
		uc.supi = ue->supi;
		uc.arg = ue;
		if ((rc = sen_ue_new(&uc, &ue->ue)) < 0) {
			fprintf(stderr, "sen-ransim: UE %s: %s\n", ue->supi, sen_strerror(rc));
			return rc;
		}
	}
	memset(uc.k, 0, sizeof(uc.k));
	memset(uc.op, 0, sizeof(uc.op));
	return 0;
}

void rs_scenario_free(struct rs *rs)
{
	sen_timer_stop(&rs->launcher);
	sen_timer_stop(&rs->drain);
	rs_inject_free(rs);
	for (unsigned i = 0; rs->ues && i < rs->n_ues; i++) {
		struct rs_ue *ue = &rs->ues[i];
		if (!ue->rs)
			continue;
		sen_timer_stop(&ue->guard);
		sen_timer_stop(&ue->hold);
		sen_timer_stop(&ue->kick);
		rs_gtp_session_down(ue);
		rs_gtp_tunnel_del(ue);
		if (ue->conn)
			ue->conn->ue = NULL;
		sen_ue_free(ue->ue);
	}
	free(rs->ues);
	rs->ues = NULL;
}
