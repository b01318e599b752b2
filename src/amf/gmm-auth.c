/*
 * sen-amf primary authentication and NAS security of one UE:
 *   - 5G AKA with the AUSF (TS 33.501 6.1.3.2; TS 24.501 5.4.1.3): Authentication Request
 *     with RAND, AUTN, ngKSI and ABBA; the SEAF's own check HRES* == HXRES* before the
 *     AUSF's confirmation; KAMF from KSEAF;
 *   - authentication failures (5.4.1.3.7): #21 synch failure with AUTS -> a new challenge
 *     through the AUSF with resynchronizationInfo; #20 MAC failure, #26 and a wrong RES*
 *     -> Authentication Reject;
 *   - security mode control (5.4.2): algorithms from the configured preference lists that
 *     the UE supports (NIA0 never: no emergency services here; NEA0 only if configured),
 *     IMEISV request, Security Mode Complete taking the new context into use.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "core/log.h"
#include "crypto/kdf.h"
#include "gmm.h"
#include "metrics.h"
#include "ngap.h"
#include "sbi-path.h"

#define CAUSE_MAC_FAILURE	 20
#define CAUSE_SYNCH_FAILURE	 21
#define CAUSE_SEC_CAP_MISMATCH	 23
#define MAX_RESYNC		 2

void gmm_authentication_reject(struct amf_ue *ue)
{
	struct sen_nas_msg m;

	sen_log_ue_info("amf", ue->tag, "Authentication reject");
	amf_metrics_auth_reject();
	amf_metrics_reg_fail(ue->reg_type, 0);
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_REJECT);
	amf_nas_send(ue, &m);
	gmm_release(ue, GMM_RELEASING, 1 /* CauseNas authentication-failure */);
}

void gmm_auth_start(struct amf_ue *ue)
{
	ue->resyncs = 0;
	if (!gmm_set_state(ue, GMM_AUTH_WAIT_AUSF))
		return;
	amf_sbi_ausf_authenticate(ue, NULL);
}

void gmm_on_ausf_auth(struct amf_ue *ue, const struct gmm_ev *ev)
{
	struct sen_nas_msg m;

	/* TS 24.501 9.11.3.32: a new ngKSI for the new context (0..6; 7 = no key). */
	ue->ngksi = ue->ngksi >= 6 ? 0 : (uint8_t)(ue->ngksi + 1);
	if (!gmm_set_state(ue, GMM_AUTHENTICATING))
		return;
	gmm_build_authentication_request(ue, &m);
	amf_metrics_auth_req();
	gmm_send_guarded(ue, AMF_T3560, &m, 0);
}

void gmm_on_auth_response(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_authentication_response *r = &ev->nas->authentication_response;
	uint8_t hres[16];

	gmm_timer_stop(ue, AMF_T3560);
	/* TS 33.501 6.1.3.2 step 10: the SEAF computes HRES* from RES* and compares it with
	 * HXRES*; a mismatch is an authentication failure from the serving network's view. */
	if (!r->has_res || sen_kdf_hres_star(ue->rand, r->res, hres) < 0 ||
	    CRYPTO_memcmp(hres, ue->hxres_star, 16) != 0) {
		sen_log_ue_info("amf", ue->tag, "RES* does not match HXRES*");
		amf_metrics_auth_fail(0);
		gmm_authentication_reject(ue);
		return;
	}
	if (!gmm_set_state(ue, GMM_AUTH_WAIT_CONFIRM))
		return;
	amf_sbi_ausf_confirm(ue, r->res);
}

void gmm_on_auth_failure(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_authentication_failure *f = &ev->nas->authentication_failure;

	gmm_timer_stop(ue, AMF_T3560);
	amf_metrics_auth_fail(f->cause);
	sen_log_ue_info("amf", ue->tag, "Authentication failure #%u", f->cause);
	if (f->cause == CAUSE_SYNCH_FAILURE && f->has_auts && ue->resyncs < MAX_RESYNC) {
		/* 5.4.1.3.7 f: re-synchronise through the AUSF/UDM (TS 33.501 6.1.3.3). */
		ue->resyncs++;
		if (!gmm_set_state(ue, GMM_AUTH_WAIT_AUSF))
			return;
		amf_sbi_ausf_authenticate(ue, f->auts);
		return;
	}
	/* #20 MAC failure, #26 non-5G authentication unacceptable, a synch failure without
	 * AUTS or repeated: the network is not authenticated by the UE, or will not be. */
	gmm_authentication_reject(ue);
}

/* 5.4.1.3.7 b, 5.4.2.7 b: fifth expiry of T3560: abort and release. */
void gmm_on_t3560(struct amf_ue *ue, const struct gmm_ev *ev)
{
	amf_metrics_reg_fail(ue->reg_type, 0);
	gmm_release(ue, GMM_RELEASING, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}

/* The first algorithm of `pref` that the UE's bitmap has; -1 if none. */
static int choose(const int *pref, size_t n, uint8_t ue_bits, bool allow_0)
{
	for (size_t i = 0; i < n; i++) {
		int a = pref[i];
		if (a == 0 && !allow_0)
			continue;
		if (ue_bits & SEN_NAS_ALG_BIT(a))
			return a;
	}
	return -1;
}

void gmm_on_ausf_confirm(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct amf_config *c = &ue->amf->cfg;
	struct sen_nas_msg m;
	int ia, ea;

	sen_log_ue_info("amf", ue->tag, "5G AKA confirmed");
	/* DESIGN.md, Security rules: NIA0 never outside emergency services; NEA0 only when
	 * the configuration lists it. */
	ia = choose(c->security.integrity, c->security.n_integrity, ue->ue_sec_cap.ia, false);
	ea = choose(c->security.ciphering, c->security.n_ciphering, ue->ue_sec_cap.ea, true);
	if (ia < 0 || ea < 0) {
		sen_log_ue_info("amf", ue->tag, "no common NAS algorithms");
		gmm_registration_reject(ue, CAUSE_SEC_CAP_MISMATCH);
		return;
	}
	if (amf_ue_set_security(ue, (uint8_t)ia, (uint8_t)ea) < 0) {
		gmm_registration_reject(ue, 111);
		return;
	}
	ue->sec_active = false; /* the new context is used from Security Mode Complete on */
	if (!gmm_set_state(ue, GMM_SECURITY_MODE))
		return;
	gmm_build_security_mode_command(ue, &m);
	sen_log_ue_debug("amf", ue->tag, "Security mode command: 128-NIA%d, 128-NEA%d", ia, ea);
	/* 4.4.2.2 / 9.3.1: integrity protected with the new 5G NAS security context. */
	gmm_send_guarded(ue, AMF_T3560, &m, SEN_NAS_SHT_INTEGRITY_NEW_CTX);
}

void gmm_on_smc_complete(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_security_mode_complete *c = &ev->nas->security_mode_complete;
	struct sen_nas_msg inner;

	gmm_timer_stop(ue, AMF_T3560);
	ue->sec_active = true;
	if (c->has_imeisv && c->imeisv.type == SEN_NAS_ID_IMEISV)
		snprintf(ue->imeisv, sizeof(ue->imeisv), "%s", c->imeisv.digits);
	/* 4.4.6: the complete initial message in the NAS message container. */
	if (c->has_nas_container &&
	    sen_nas_decode(c->nas_container.p, c->nas_container.len, &inner, NULL) == 0 &&
	    inner.type == SEN_NAS_REGISTRATION_REQUEST &&
	    inner.registration_request.has_requested_nssai &&
	    amf_nssai_hold(&ue->requested_nssai, inner.registration_request.requested_nssai.n
						     ? &inner.registration_request.requested_nssai
						     : NULL) < 0) {
		sen_log_ue_warn("amf", ue->tag, "no memory for the requested NSSAI");
		gmm_registration_reject(ue, 111); /* #111 protocol error, as for other failures */
		return;
	}
	sen_log_ue_info("amf", ue->tag, "Security mode complete");
	gmm_registration_continue(ue);
}

/* 5.4.2.5: the UE rejected the security mode command: the procedure that needed it is
 * aborted. */
void gmm_on_smc_reject(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_timer_stop(ue, AMF_T3560);
	sen_log_ue_info("amf", ue->tag, "Security mode reject #%u",
			ev->nas->security_mode_reject.cause);
	amf_metrics_reg_fail(ue->reg_type, ev->nas->security_mode_reject.cause);
	gmm_release(ue, GMM_RELEASING, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}
