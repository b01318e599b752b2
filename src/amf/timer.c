/*
 * sen-amf NAS timers of the network side (TS 24.501 10.2, table 10.2.2), on sen_timer:
 *
 *   T3550  Registration Accept sent          -> Registration Complete      retransmit 4x
 *   T3560  Authentication Request / SMC sent -> Auth Response / SMC Complete retransmit 4x
 *   T3570  Identity Request sent             -> Identity Response          retransmit 4x
 *   T3522  Deregistration Request sent       -> Deregistration Accept      retransmit 4x
 *
 * "On the first expiry of the timer, the network shall retransmit ... and shall reset and
 * restart the timer. This retransmission is repeated four times, i.e. on the fifth expiry
 * of timer Txxxx, the network shall abort the procedure" (5.4.1.3.7, 5.4.2.7, 5.4.3.7,
 * 5.5.1.2.8, 5.5.2.3.4). The retransmissions happen here; the fifth expiry goes to the
 * state machine as GMM_EV_T35xx. A retransmitted message is protected again with a fresh
 * NAS COUNT, so the UE's replay check never drops it.
 *
 * One timer per UE (issue 8: memory per UE): each of the four guards a step of one 5GMM
 * procedure (identification, authentication / security mode control, registration,
 * network deregistration), a UE runs one procedure at a time (the 5GMM state says which:
 * GMM_IDENTIFYING, GMM_AUTHENTICATING / GMM_SECURITY_MODE, GMM_WAIT_REG_COMPLETE,
 * GMM_DEREG_INITIATED), and every path that starts one aborts the procedure before
 * (gmm_abort_procedure) or stops its own timer first. Starting one while another runs
 * replaces it, with a warning. gmm_timer_stop(which) stops only that timer.
 * The plain copy is allocated, of the message's length, when the timer starts and freed when
 * it stops or aborts. Without memory for the copy the message is still sent and the timer
 * still runs (the procedure is bounded by the fifth expiry), without retransmissions.
 *
 * The CM-IDLE supervision of a registered UE (TS 24.501 5.3.7; TS 23.501 5.4.1.1) is a second
 * timer per UE, ue->reach, in two phases: the mobile reachable timer (by default 4 minutes
 * greater than T3512) starts when the AMF releases the NAS signalling connection of a
 * REGISTERED UE; on its expiry the implicit de-registration timer starts (by default 4
 * minutes: this AMF never runs T3346); on that one's expiry the UE is implicitly
 * de-registered. Both stop when a NAS signalling connection is established for the UE
 * (amf_ue_reach_stop, from amf_ue_adopt_n2) and when the context goes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "gmm.h"

#define MAX_EXPIRIES 5

static const struct {
	const char *name;
	enum gmm_event limit;
	size_t cfg_off;
} timers[AMF_N_TIMERS] = {
	[AMF_T3550] = {"T3550", GMM_EV_T3550, offsetof(struct amf_config, timers.t3550)},
	[AMF_T3560] = {"T3560", GMM_EV_T3560, offsetof(struct amf_config, timers.t3560)},
	[AMF_T3570] = {"T3570", GMM_EV_T3570, offsetof(struct amf_config, timers.t3570)},
	[AMF_T3522] = {"T3522", GMM_EV_T3522, offsetof(struct amf_config, timers.t3522)},
};

static uint32_t duration(const struct amf_ue *ue, enum amf_timer_id which)
{
	uint32_t ms;
	memcpy(&ms, (const uint8_t *)&ue->amf->cfg + timers[which].cfg_off, sizeof(ms));
	return ms;
}

static void drop_copy(struct amf_nas_timer *t)
{
	free(t->plain);
	t->plain = NULL;
	t->len = 0;
}

static void stop(struct amf_nas_timer *t)
{
	sen_timer_stop(&t->timer);
	drop_copy(t);
	t->which = AMF_N_TIMERS;
}

static void on_expiry(struct sen_loop *loop, struct sen_timer *timer, void *arg)
{
	struct amf_nas_timer *t = arg;
	struct amf_ue *ue = t->ue;

	if (ue->gone || t->which >= AMF_N_TIMERS)
		return;
	t->expiries++;
	if (t->expiries >= MAX_EXPIRIES) {
		struct gmm_ev ev = {.type = timers[t->which].limit};
		sen_log_ue_warn("nas", ue->tag, "%s expired %u times: procedure aborted",
				timers[t->which].name, t->expiries);
		stop(t);
		gmm_dispatch(ue, &ev);
		return;
	}
	if (!t->plain) {
		sen_log_ue_warn("nas", ue->tag, "%s expired (%u): no copy to retransmit",
				timers[t->which].name, t->expiries);
	} else {
		sen_log_ue_info("nas", ue->tag, "%s expired (%u): retransmission",
				timers[t->which].name, t->expiries);
		if (amf_nas_send_plain(ue, t->plain, t->len, t->sht) < 0 && !ue->gnb)
			return; /* no N2 connection any more: gmm_n2_lost() took care of the UE */
		if (ue->gone || !t->plain)
			return; /* stopped while sending */
	}
	sen_timer_start(&t->timer, duration(ue, t->which));
}

/* ---- mobile reachable / implicit de-registration (TS 24.501 5.3.7) ---- */

#define REACH_NONE     0
#define REACH_MOBILE   1 /* mobile reachable timer */
#define REACH_IMPLICIT 2 /* implicit de-registration timer */

/* 5.3.7: "By default, the mobile reachable timer is 4 minutes greater than the value of
 * timer T3512": the value the UE was given in Registration Accept (amf_t3512_sent: the
 * configured one rounded up to GPRS timer 3), in seconds up to 35712000: 64 bits of
 * milliseconds. A configured value is greater than that (config.c). */
static uint64_t mobile_reachable_ms(const struct amf_config *c)
{
	if (c->timers.mobile_reachable)
		return c->timers.mobile_reachable;
	return ((uint64_t)amf_t3512_sent(c->t3512) + 240u) * 1000u;
}

/* Start the supervision timer in `phase`; without it (no memory) the UE is not supervised:
 * say so rather than keep a phase no timer will end. */
static void reach_arm(struct amf_ue *ue, uint8_t phase, uint64_t ms)
{
	int rc;

	ue->reach_phase = phase;
	if ((rc = sen_timer_start(&ue->reach, ms)) < 0) {
		ue->reach_phase = REACH_NONE;
		sen_log_ue_error("amf", ue->tag, "%s timer not started: %s: the UE is not "
				 "supervised in CM-IDLE", phase == REACH_MOBILE ? "mobile reachable"
				 : "implicit de-registration", sen_strerror(rc));
	}
}

static void on_reach_expiry(struct sen_loop *loop, struct sen_timer *timer, void *arg)
{
	struct amf_ue *ue = arg;

	if (ue->gone)
		return;
	if (ue->gnb || ue->state != GMM_REGISTERED) { /* not CM-IDLE and registered any more */
		ue->reach_phase = REACH_NONE;
		return;
	}
	if (ue->reach_phase == REACH_MOBILE) {
		/* 5.3.7: "Upon expiry of the mobile reachable timer the network shall start the
		 * implicit de-registration timer." */
		sen_log_ue_info("amf", ue->tag, "mobile reachable timer expired: implicit "
				"de-registration timer started");
		reach_arm(ue, REACH_IMPLICIT, ue->amf->cfg.timers.implicit_dereg);
		return;
	}
	ue->reach_phase = REACH_NONE;
	/* 5.3.7: "If the implicit de-registration timer expires before the UE contacts the
	 * network, the network shall implicitly de-register the UE." */
	sen_log_ue_info("amf", ue->tag, "implicit de-registration timer expired");
	amf_ue_implicit_deregister(ue);
}

void amf_ue_reach_start(struct amf_ue *ue)
{
	if (ue->gone || ue->gnb || ue->state != GMM_REGISTERED)
		return;
	reach_arm(ue, REACH_MOBILE, mobile_reachable_ms(&ue->amf->cfg));
}

void amf_ue_reach_stop(struct amf_ue *ue)
{
	sen_timer_stop(&ue->reach);
	ue->reach_phase = REACH_NONE;
}

void gmm_timers_init(struct amf_ue *ue)
{
	ue->t.ue = ue;
	ue->t.which = AMF_N_TIMERS;
	sen_timer_init(&ue->t.timer, ue->amf->loop, on_expiry, &ue->t);
	sen_timer_init(&ue->reach, ue->amf->loop, on_reach_expiry, ue);
}

void gmm_timers_stop(struct amf_ue *ue)
{
	stop(&ue->t);
	sen_timer_stop(&ue->release_guard);
	amf_ue_reach_stop(ue);
}

void gmm_timer_stop(struct amf_ue *ue, enum amf_timer_id which)
{
	if (ue->t.which == which)
		stop(&ue->t);
}

/* Encode m into buf (the caller's, 512 bytes as the copy used to be) and start the timer
 * with a copy of it. Returns the length or the encoder's error (timer not started). */
static int arm(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
	       uint8_t sht, uint8_t *buf, size_t cap)
{
	struct amf_nas_timer *t = &ue->t;
	int n = sen_nas_encode(m, buf, cap);

	if (t->which < AMF_N_TIMERS && t->which != which)
		sen_log_ue_warn("nas", ue->tag, "%s replaces %s, which was running",
				timers[which].name, timers[t->which].name);
	stop(t);
	if (n < 0) {
		sen_log_ue_error("nas", ue->tag, "cannot encode %s: %s",
				 sen_nas_msg_name(m->epd, m->type), sen_strerror(n));
		return n;
	}
	if ((t->plain = malloc((size_t)n ? (size_t)n : 1)) != NULL) {
		memcpy(t->plain, buf, (size_t)n);
		t->len = (uint16_t)n;
	} else {
		sen_log_ue_warn("nas", ue->tag, "%s: no memory for the retransmission copy",
				timers[which].name);
	}
	t->which = (uint8_t)which;
	t->sht = sht;
	t->expiries = 0;
	sen_timer_start(&t->timer, duration(ue, which));
	return n;
}

void gmm_timer_arm(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
		   uint8_t sht)
{
	uint8_t buf[512];

	arm(ue, which, m, sht, buf, sizeof(buf));
}

int gmm_send_guarded(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
		     uint8_t sht)
{
	uint8_t buf[512];
	int n = arm(ue, which, m, sht, buf, sizeof(buf));

	if (n < 0)
		return -SEN_EINVAL;
	return amf_nas_send_plain(ue, buf, (size_t)n, sht);
}
