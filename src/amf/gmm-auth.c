/*
 * sen-amf primary authentication and NAS security of one UE:
 *   - 5G AKA with the AUSF (TS 33.501 6.1.3.2; TS 24.501 5.4.1.3): Authentication Request
 *     with RAND, AUTN, ngKSI and ABBA; the SEAF's own check HRES* == HXRES* before the
 *     AUSF's confirmation; KAMF from KSEAF;
 *   - the ngKSI of the new context differs from the current one and from the one the UE
 *     indicated in its Registration Request (5.4.1.3.2);
 *   - authentication failures (5.4.1.3.7): #21 synch failure with AUTS -> a new challenge
 *     through the AUSF with resynchronizationInfo; #71 ngKSI already in use -> the same
 *     challenge with another ngKSI; #20 MAC failure, #26 and a wrong RES* ->
 *     Authentication Reject;
 *   - security mode control (5.4.2): algorithms from the configured preference lists that
 *     the UE supports (NIA0 never: no emergency services here; NEA0 only if configured),
 *     IMEISV request, RINMR when the initial message was not verified (4.4.6, 5.4.2.2).
 *     The new 5G NAS security context is held pending (ue->sec_new) from the AUSF's
 *     confirmation: the SMC is integrity protected with it, Security Mode Complete must
 *     verify with it and takes it into use (5.4.2.4); until then the current context (if
 *     any) stays in use, so a Security Mode Reject protected with it verifies, and after
 *     it the current context and KAMF are kept (5.4.2.5).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "core/err.h"
#include "core/log.h"
#include "crypto/kdf.h"
#include "gmm.h"
#include "metrics.h"
#include "ngap.h"
#include "sbi-path.h"

#define CAUSE_MAC_FAILURE	 20
#define CAUSE_SYNCH_FAILURE	 21
#define CAUSE_SEC_CAP_MISMATCH	 23
#define CAUSE_NGKSI_IN_USE	 71
#define MAX_RESYNC		 2 /* new challenges (#21) or new ngKSIs (#71) per procedure */
#define RINMR			 0x02 /* 9.11.3.12: Additional 5G security information, bit 2 */

void gmm_auth_drop_pending(struct amf_ue *ue)
{
	if (ue->has_sec_new)
		sen_nas_sec_clear(&ue->sec_new);
	ue->has_sec_new = false;
	if (ue->has_prev_kamf) {
		memcpy(ue->kamf, ue->prev_kamf, sizeof(ue->kamf));
		OPENSSL_cleanse(ue->prev_kamf, sizeof(ue->prev_kamf));
		ue->has_prev_kamf = false;
	}
}

/* 5.4.2.4: Security Mode Complete: the new context becomes the current one. */
static void take_new_context(struct amf_ue *ue)
{
	if (ue->has_sec)
		sen_nas_sec_clear(&ue->sec);
	ue->sec = ue->sec_new; /* keys and counts only: copyable (lib/nas/sec.h) */
	ue->has_sec = true;
	ue->ia = ue->sec.ia;
	ue->ea = ue->sec.ea;
	ue->ngksi = ue->ngksi_new;
	ue->sec_active = true;
	sen_nas_sec_clear(&ue->sec_new);
	ue->has_sec_new = false;
	if (ue->has_prev_kamf)
		OPENSSL_cleanse(ue->prev_kamf, sizeof(ue->prev_kamf));
	ue->has_prev_kamf = false;
}

struct sen_nas_sec_ctx *gmm_sec_tx(struct amf_ue *ue, uint8_t sht)
{
	if ((sht == SEN_NAS_SHT_INTEGRITY_NEW_CTX || sht == SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX) &&
	    ue->has_sec_new)
		return &ue->sec_new;
	return ue->has_sec ? &ue->sec : NULL;
}

int gmm_sec_unprotect(struct amf_ue *ue, const uint8_t *pdu, size_t len, uint8_t *out,
		      size_t cap, struct sen_nas_sec_hdr *hdr, bool *new_ctx)
{
	struct sen_nas_sec_ctx *cur = ue->has_sec ? &ue->sec : NULL;
	struct sen_nas_sec_ctx *pend = ue->has_sec_new ? &ue->sec_new : NULL;
	uint8_t sht = len > 1 ? (uint8_t)(pdu[1] & 0x0f) : 0;
	int rc;

	*new_ctx = false;
	if (sht == SEN_NAS_SHT_INTEGRITY_NEW_CTX || sht == SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX) {
		/* TS 24.501 4.4.2.3, 5.4.2.3: security header types 3 and 4 say "new 5G NAS
		 * security context": only the pending one is tried (the current context would
		 * verify a message the UE did not protect with the new one, and advance its
		 * uplink NAS COUNT). */
		if (!pend)
			return -SEN_EAUTH;
		rc = sen_nas_unprotect(pend, pdu, len, out, cap, hdr);
		*new_ctx = rc >= 0;
		return rc;
	}
	if (cur) {
		rc = sen_nas_unprotect(cur, pdu, len, out, cap, hdr);
		if (rc != -SEN_EAUTH || !pend)
			return rc;
	} else if (!pend) {
		return -SEN_EAUTH;
	}
	/* Mid-SMC, a message of another header type that does not verify with the current
	 * context (or without one) is tried with the pending one (5.4.2.4: the UE may have
	 * taken it into use). */
	rc = sen_nas_unprotect(pend, pdu, len, out, cap, hdr);
	*new_ctx = rc >= 0;
	return rc;
}

void gmm_auth_note_initial(struct amf_ue *ue, const struct gmm_ev *ev)
{
	/* 9.11.3.32: TSC (bit 4) and the key set identifier (bits 3..1) */
	ue->ue_ngksi = ev->nas->registration_request.ngksi & 0x0f;
	ue->rinmr = !ev->integrity || ev->container_failed;
}

/*
 * TS 24.501 5.4.1.3.2: the network includes an ngKSI different from the one the UE
 * indicated; it must not name the current context either (the UE keeps it until the SMC).
 * The next key set identifier after `from` (0..6; 7 "no key" is never assigned, 9.11.3.32)
 * that is neither.
 */
static uint8_t next_ngksi(const struct amf_ue *ue, uint8_t from)
{
	uint8_t k = from;

	for (int i = 0; i < 7; i++) {
		k = k >= 6 ? 0 : (uint8_t)(k + 1);
		if (k != (ue->ue_ngksi & 0x07) && k != ue->ngksi)
			return k;
	}
	return 0; /* not reached: at most two of the seven values are excluded */
}

static void send_authentication_request(struct amf_ue *ue)
{
	struct sen_nas_msg m;

	gmm_build_authentication_request(ue, &m);
	m.authentication_request.ngksi = ue->ngksi_new; /* native context: TSC 0 */
	amf_metrics_auth_req();
	gmm_send_guarded(ue, AMF_T3560, &m, 0);
}

void gmm_authentication_reject(struct amf_ue *ue)
{
	struct sen_nas_msg m;

	sen_log_ue_info("amf", ue->tag, "Authentication reject");
	gmm_auth_drop_pending(ue);
	amf_metrics_auth_reject();
	amf_metrics_reg_fail(ue->reg_type, 0);
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_REJECT);
	amf_nas_send(ue, &m);
	gmm_release(ue, GMM_RELEASING, 1 /* CauseNas authentication-failure */);
}

void gmm_auth_start(struct amf_ue *ue)
{
	ue->resyncs = 0;
	gmm_auth_drop_pending(ue);
	if (!gmm_set_state(ue, GMM_AUTH_WAIT_AUSF))
		return;
	amf_sbi_ausf_authenticate(ue, NULL);
}

void gmm_on_ausf_auth(struct amf_ue *ue, const struct gmm_ev *ev)
{
	/* TS 24.501 5.4.1.3.2, 9.11.3.32: the ngKSI of the new context; ue->ngksi stays the
	 * current context's until Security Mode Complete. */
	ue->ngksi_new = next_ngksi(ue, ue->ngksi);
	if (!gmm_set_state(ue, GMM_AUTHENTICATING))
		return;
	send_authentication_request(ue);
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
	/* The AUSF's confirmation brings the new KAMF into ue->kamf (sbi-path.c): the
	 * current one is kept until Security Mode Complete (5.4.2.5). */
	if (ue->has_kamf && !ue->has_prev_kamf) {
		memcpy(ue->prev_kamf, ue->kamf, sizeof(ue->prev_kamf));
		ue->has_prev_kamf = true;
	}
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
	if (f->cause == CAUSE_NGKSI_IN_USE && ue->resyncs < MAX_RESYNC) {
		/* 5.4.1.3.7 e: the network selects a new ngKSI and sends the same 5G
		 * authentication challenge (RAND, AUTN: no new one from the AUSF). */
		ue->resyncs++;
		ue->ngksi_new = next_ngksi(ue, ue->ngksi_new);
		send_authentication_request(ue);
		return;
	}
	/* #20 MAC failure, #26 non-5G authentication unacceptable, a synch failure without
	 * AUTS or repeated: the network is not authenticated by the UE, or will not be. */
	gmm_authentication_reject(ue);
}

/* 5.4.1.3.7 b, 5.4.2.7 b: fifth expiry of T3560: abort and release; the new context is
 * not taken into use. */
void gmm_on_t3560(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_auth_drop_pending(ue);
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
	/* 5.4.2.2: the new context, held pending: the downlink and uplink NAS COUNTs start at
	 * 0; the current context (if any) stays in use until Security Mode Complete. */
	if (ue->has_sec_new)
		sen_nas_sec_clear(&ue->sec_new);
	ue->has_sec_new = false;
	if (sen_nas_sec_init_kamf(&ue->sec_new, ue->kamf, (uint8_t)ia, (uint8_t)ea,
				  SEN_NAS_ACCESS_3GPP, false) < 0) {
		gmm_registration_reject(ue, 111);
		return;
	}
	ue->has_sec_new = true;
	if (!gmm_set_state(ue, GMM_SECURITY_MODE))
		return;
	gmm_build_security_mode_command(ue, &m);
	m.security_mode_command.algs = (uint8_t)(ea << 4 | ia); /* 9.11.3.34 */
	m.security_mode_command.ngksi = ue->ngksi_new;
	if (ue->rinmr) {
		/* 5.4.2.2, 4.4.6: the initial message did not pass the integrity check (or its
		 * NAS message container was unusable): the UE is to send the whole message in
		 * Security Mode Complete. */
		m.security_mode_command.has_additional_sec_info = true;
		m.security_mode_command.additional_sec_info |= RINMR;
	}
	sen_log_ue_debug("amf", ue->tag, "Security mode command: 128-NIA%d, 128-NEA%d, ngKSI %u%s",
			 ia, ea, ue->ngksi_new, ue->rinmr ? ", RINMR" : "");
	/* 4.4.2.2 / 9.3.1: integrity protected with the new 5G NAS security context
	 * (gmm_sec_tx picks ue->sec_new for this header type, retransmissions too). */
	gmm_send_guarded(ue, AMF_T3560, &m, SEN_NAS_SHT_INTEGRITY_NEW_CTX);
}

void gmm_on_smc_complete(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_security_mode_complete *c = &ev->nas->security_mode_complete;
	struct sen_nas_msg inner;

	if (!ue->has_sec_new || !ev->new_ctx) {
		/* 5.4.2.3: the UE protects it with the new context; one that did not verify
		 * with it (this message, whatever came before) does not complete this security
		 * mode control. */
		sen_log_ue_info("nas", ue->tag, "Security mode complete not protected with the new "
				"context: dropped");
		amf_metrics_nas_dropped("integrity");
		return;
	}
	gmm_timer_stop(ue, AMF_T3560);
	take_new_context(ue);
	if (c->has_imeisv && c->imeisv.type == SEN_NAS_ID_IMEISV)
		snprintf(ue->imeisv, sizeof(ue->imeisv), "%s", c->imeisv.digits);
	/* 4.4.6, 5.4.2.3: the complete initial message in the NAS message container (sent
	 * after a cleartext-only initial message, or because the SMC set RINMR): the
	 * registration goes on with it, as with the container of a verified initial message
	 * (nas-path.c), in place of the cleartext IEs. */
	if (c->has_nas_container &&
	    sen_nas_decode(c->nas_container.p, c->nas_container.len, &inner, NULL) == 0 &&
	    inner.epd == SEN_NAS_EPD_5GMM && inner.type == SEN_NAS_REGISTRATION_REQUEST) {
		uint8_t cause = gmm_registration_take_ies(ue, &inner.registration_request);
		if (cause) {
			gmm_registration_reject(ue, cause);
			return;
		}
	} else if (ue->rinmr) {
		/* 5.4.2.3: the UE "shall include" it when RINMR is set. The spec gives the
		 * network no abnormal case for its absence: the message is integrity protected
		 * and ciphered with the new context, so the registration goes on with the
		 * cleartext IEs of the initial message (4.4.6), as taken before. */
		sen_log_ue_warn("nas", ue->tag, "Security mode complete without the requested "
				"initial message (RINMR): cleartext IEs used");
	}
	sen_log_ue_info("amf", ue->tag, "Security mode complete");
	gmm_registration_continue(ue);
}

/* 5.4.2.5: the UE rejected the security mode command (the reject is protected with the
 * current context, if any: nas-path.c verifies it with that one): the procedure that
 * needed it is aborted. */
void gmm_on_smc_reject(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_timer_stop(ue, AMF_T3560);
	/* Both sides keep the 5G NAS security context in use before the SMC, if any. */
	gmm_auth_drop_pending(ue);
	sen_log_ue_info("amf", ue->tag, "Security mode reject #%u",
			ev->nas->security_mode_reject.cause);
	amf_metrics_reg_fail(ue->reg_type, ev->nas->security_mode_reject.cause);
	gmm_release(ue, GMM_RELEASING, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}
