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
 */
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

static void on_expiry(struct sen_loop *loop, struct sen_timer *timer, void *arg)
{
	struct amf_nas_timer *t = arg;
	struct amf_ue *ue = t->ue;

	if (ue->gone)
		return;
	t->expiries++;
	if (t->expiries >= MAX_EXPIRIES) {
		struct gmm_ev ev = {.type = timers[t->which].limit};
		sen_log_ue_warn("nas", ue->tag, "%s expired %u times: procedure aborted",
				timers[t->which].name, t->expiries);
		gmm_dispatch(ue, &ev);
		return;
	}
	sen_log_ue_info("nas", ue->tag, "%s expired (%u): retransmission", timers[t->which].name,
			t->expiries);
	if (amf_nas_send_plain(ue, t->plain, t->len, t->sht) < 0 && !ue->gnb)
		return; /* no N2 connection any more: gmm_n2_lost() took care of the UE */
	sen_timer_start(&t->timer, duration(ue, t->which));
}

void gmm_timers_init(struct amf_ue *ue)
{
	for (int i = 0; i < AMF_N_TIMERS; i++) {
		ue->t[i].ue = ue;
		ue->t[i].which = (uint8_t)i;
		sen_timer_init(&ue->t[i].timer, ue->amf->loop, on_expiry, &ue->t[i]);
	}
}

void gmm_timers_stop(struct amf_ue *ue)
{
	for (int i = 0; i < AMF_N_TIMERS; i++)
		sen_timer_stop(&ue->t[i].timer);
	sen_timer_stop(&ue->release_guard);
}

void gmm_timer_stop(struct amf_ue *ue, enum amf_timer_id which)
{
	sen_timer_stop(&ue->t[which].timer);
}

void gmm_timer_arm(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
		   uint8_t sht)
{
	struct amf_nas_timer *t = &ue->t[which];
	int n = sen_nas_encode(m, t->plain, sizeof(t->plain));

	if (n < 0) {
		sen_log_ue_error("nas", ue->tag, "cannot encode %s: %s",
				 sen_nas_msg_name(m->epd, m->type), sen_strerror(n));
		t->len = 0;
		return;
	}
	t->len = (uint16_t)n;
	t->sht = sht;
	t->expiries = 0;
	sen_timer_start(&t->timer, duration(ue, which));
}

int gmm_send_guarded(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
		     uint8_t sht)
{
	struct amf_nas_timer *t = &ue->t[which];

	gmm_timer_arm(ue, which, m, sht);
	if (!t->len)
		return -SEN_EINVAL;
	return amf_nas_send_plain(ue, t->plain, t->len, sht);
}
