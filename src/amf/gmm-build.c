/*
 * sen-amf 5GMM message builders (TS 24.501 clause 8): one function per message the AMF
 * sends, filling lib/nas's structs. Protection is nas-path.c's business.
 */
#include <string.h>

#include "gmm.h"

/* GPRS timer 3 (TS 24.008 10.5.7.4a) units, as (unit, seconds). */
static const struct {
	uint8_t unit;
	uint32_t secs;
} timer3_units[] = {{3, 2}, {4, 30}, {5, 60}, {0, 600}, {1, 3600}, {2, 36000}, {6, 1152000}};
#define N_TIMER3_UNITS (sizeof(timer3_units) / sizeof(timer3_units[0]))

/* GPRS timer 3 (TS 24.008 10.5.7.4a): value (5 bits) x unit; the finest unit that holds
 * the value exactly, else the finest that holds it rounded up (the UE never gets less
 * than configured). */
void gmm_timer3(uint32_t s, struct sen_nas_timer *t)
{
	for (size_t i = 0; i < N_TIMER3_UNITS; i++)
		if (s / timer3_units[i].secs <= 31 && s % timer3_units[i].secs == 0) {
			t->unit = timer3_units[i].unit;
			t->value = (uint8_t)(s / timer3_units[i].secs);
			return;
		}
	for (size_t i = 0; i < N_TIMER3_UNITS; i++)
		if ((s + timer3_units[i].secs - 1) / timer3_units[i].secs <= 31) {
			t->unit = timer3_units[i].unit;
			t->value = (uint8_t)((s + timer3_units[i].secs - 1) / timer3_units[i].secs);
			return;
		}
	t->unit = 6;
	t->value = 31;
}

uint32_t amf_t3512_sent(uint32_t t3512)
{
	struct sen_nas_timer t;

	gmm_timer3(t3512, &t);
	for (size_t i = 0; i < N_TIMER3_UNITS; i++)
		if (timer3_units[i].unit == t.unit)
			return t.value * timer3_units[i].secs;
	return t3512; /* not reached: gmm_timer3 uses the units of the table */
}

/* 8.2.7 Registration accept: 5G-GUTI, TAI list, allowed NSSAI, T3512. */
void gmm_build_registration_accept(struct amf_ue *ue, struct sen_nas_msg *m)
{
	const struct amf_config *c = &ue->amf->cfg;
	struct sen_nas_registration_accept *a = &m->registration_accept;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_ACCEPT);
	a->result = 0x01; /* 9.11.3.6: 3GPP access, SMS over NAS not allowed */
	a->has_guti = true;
	amf_ue_guti(ue, &a->guti);
	/* 9.11.3.9: one partial list of type 0 (TACs of one PLMN). */
	a->has_tai_list = true;
	a->tai_list.n = 1;
	a->tai_list.list[0].type = 0;
	a->tai_list.list[0].n = (uint8_t)(c->n_tac < SEN_NAS_TAI_MAX ? c->n_tac : SEN_NAS_TAI_MAX);
	for (unsigned i = 0; i < a->tai_list.list[0].n; i++) {
		a->tai_list.list[0].tai[i].plmn = ue->amf->nas_plmn;
		a->tai_list.list[0].tai[i].tac = c->tac[i];
	}
	if (ue->allowed_nssai.n) {
		a->has_allowed_nssai = true;
		/* at most AMF_MAX_ALLOWED_NSSAI (8, TS 23.501 5.15.2.1): add_slice() in
		 * gmm-reg.c, the only producer, caps it */
		a->allowed_nssai.n = ue->allowed_nssai.n;
		memcpy(a->allowed_nssai.s, ue->allowed_nssai.s,
		       a->allowed_nssai.n * sizeof(a->allowed_nssai.s[0]));
	}
	a->has_t3512 = true;
	gmm_timer3(c->t3512, &a->t3512); /* amf_t3512_sent(c->t3512) seconds */
}

/* 8.2.9 Registration reject */
void gmm_build_registration_reject(struct sen_nas_msg *m, uint8_t cause)
{
	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REJECT);
	m->registration_reject.cause = cause;
}

/* 8.2.1 Authentication request: ngKSI, ABBA, RAND, AUTN (5G AKA, TS 33.501 6.1.3.2). */
void gmm_build_authentication_request(struct amf_ue *ue, struct sen_nas_msg *m)
{
	struct sen_nas_authentication_request *r = &m->authentication_request;

	sen_nas_msg_init(m, SEN_NAS_AUTHENTICATION_REQUEST);
	r->ngksi = ue->ngksi;
	r->abba.len = 2; /* TS 33.501 A.7.1: ABBA 0x0000 */
	r->has_rand = true;
	memcpy(r->rand, ue->rand, 16);
	r->has_autn = true;
	memcpy(r->autn, ue->autn, 16);
}

/* 8.2.25 Security mode command: selected algorithms, ngKSI, replayed UE security
 * capabilities, IMEISV request, ABBA. */
void gmm_build_security_mode_command(struct amf_ue *ue, struct sen_nas_msg *m)
{
	struct sen_nas_security_mode_command *s = &m->security_mode_command;

	sen_nas_msg_init(m, SEN_NAS_SECURITY_MODE_COMMAND);
	s->algs = (uint8_t)(ue->ea << 4 | ue->ia); /* 9.11.3.34 */
	s->ngksi = ue->ngksi;
	s->replayed_ue_sec_cap = ue->ue_sec_cap;
	s->has_imeisv_request = true;
	s->imeisv_request = 1; /* 9.11.3.28: IMEISV requested */
	s->has_abba = true;
	s->abba.len = 2;
}

/* 8.2.21 Identity request */
void gmm_build_identity_request(struct sen_nas_msg *m, uint8_t type)
{
	sen_nas_msg_init(m, SEN_NAS_IDENTITY_REQUEST);
	m->identity_request.identity_type = type;
}

/* 8.2.14 De-registration request (UE terminated): 3GPP access, re-registration not
 * required (9.11.3.20), with a 5GMM cause when there is one. The caller sets bit 3
 * ("re-registration required", 0x04) when the UE is to register again (gmm-dereg.c). */
void gmm_build_deregistration_request(struct sen_nas_msg *m, uint8_t cause)
{
	sen_nas_msg_init(m, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	m->deregistration_request_ue_term.dereg_type = 0x01;
	if (cause) {
		m->deregistration_request_ue_term.has_cause = true;
		m->deregistration_request_ue_term.cause = cause;
	}
}
