/*
 * sen-amf NAS path (N1 over N2): every NAS-PDU from a UE passes here before the state
 * machine sees it, and every NAS message to a UE leaves from here.
 *
 * Receiving (TS 24.501 4.4.4.3, 4.4.3.2, clause 7):
 *   - once NAS security is in use on the connection (Security Mode Complete received, or a
 *     stored context verified an initial message), a message without a valid MAC is
 *     dropped, and so is a replayed NAS COUNT (lib/nas/sec refuses it);
 *   - before that, only the messages 4.4.4.3 lists are processed unprotected (Registration
 *     Request, Identity Response, Authentication Response / Failure, Security Mode Reject,
 *     Deregistration Request / Accept, 5GMM STATUS);
 *   - an initial Registration Request, Service Request or Deregistration Request (UE
 *     originating) with a 5G-GUTI / 5G-S-TMSI this AMF allocated brings back that UE's
 *     context (the N2 binding moves onto it), but only when its MAC verifies with that
 *     context (TS 24.501 4.4.2.3, 5.5.1.3.2, 5.5.2.2.1). One that does not (or names a
 *     5G-GUTI we do not know) is handled on the new, empty context: a Registration
 *     Request goes through identification and authentication (5.5.1.2.2, 5.4.3), a
 *     Service Request is rejected with #9 (5.6.1.5), a Deregistration Request is answered
 *     and released; the registered context and its N2 connection stay as they were, so
 *     a spoofed message naming another UE cannot release, deregister or take it over;
 *   - a verified initial Registration / Service Request is replaced by the whole message
 *     its NAS message container carries, deciphered (4.4.6); when it was not verified (or
 *     the container is unusable) the SMC asks for the whole message (RINMR, gmm-auth.c);
 *   - while a security mode control runs, the new context verifies what comes under a
 *     "new context" header type and protects the SMC, the current one everything else
 *     (gmm_sec_unprotect, gmm_sec_tx: TS 24.501 4.4.2.2, 5.4.2.5);
 *   - a message that does not decode is answered with 5GMM STATUS #96 / #97 or ignored, as
 *     lib/nas judges under clause 7.
 * One UE's bad message only ever concerns that UE.
 */
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "gmm.h"
#include "metrics.h"
#include "ngap.h"

#define NAS_MAX 2048

static const struct {
	uint8_t type;
	enum gmm_event ev;
	bool plain_ok; /* may be processed without integrity before security is in use */
} nas_events[] = {
	{SEN_NAS_REGISTRATION_REQUEST, GMM_EV_REGISTRATION_REQUEST, true},
	{SEN_NAS_IDENTITY_RESPONSE, GMM_EV_IDENTITY_RESPONSE, true},
	{SEN_NAS_AUTHENTICATION_RESPONSE, GMM_EV_AUTHENTICATION_RESPONSE, true},
	{SEN_NAS_AUTHENTICATION_FAILURE, GMM_EV_AUTHENTICATION_FAILURE, true},
	{SEN_NAS_SECURITY_MODE_COMPLETE, GMM_EV_SECURITY_MODE_COMPLETE, false},
	{SEN_NAS_SECURITY_MODE_REJECT, GMM_EV_SECURITY_MODE_REJECT, true},
	{SEN_NAS_REGISTRATION_COMPLETE, GMM_EV_REGISTRATION_COMPLETE, false},
	{SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG, GMM_EV_DEREGISTRATION_REQUEST, true},
	{SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM, GMM_EV_DEREGISTRATION_ACCEPT, true},
	{SEN_NAS_5GMM_STATUS, GMM_EV_GMM_STATUS, true},
	{SEN_NAS_UL_NAS_TRANSPORT, GMM_EV_UL_NAS_TRANSPORT, false},
	{SEN_NAS_SERVICE_REQUEST, GMM_EV_SERVICE_REQUEST, true},
	{SEN_NAS_CONFIGURATION_UPDATE_COMPLETE, GMM_EV_CONFIGURATION_UPDATE_COMPLETE, false},
};

static int event_of(uint8_t type, bool *plain_ok)
{
	for (size_t i = 0; i < sizeof(nas_events) / sizeof(nas_events[0]); i++)
		if (nas_events[i].type == type) {
			*plain_ok = nas_events[i].plain_ok;
			return (int)nas_events[i].ev;
		}
	return -1;
}

/* A Registration Request, Service Request or Deregistration Request whose 5G-GUTI (5G-S-TMSI)
 * names a context of ours: that context. */
static struct amf_ue *known_context(struct amf_ue *ue, const struct sen_nas_msg *m)
{
	const struct sen_nas_mobile_id *id;
	const struct amf_config *c = &ue->amf->cfg;
	struct amf_ue *old;

	if (m->type == SEN_NAS_REGISTRATION_REQUEST)
		id = &m->registration_request.mobile_id;
	else if (m->type == SEN_NAS_SERVICE_REQUEST)
		id = &m->service_request.s_tmsi;
	else if (m->type == SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG)
		id = &m->deregistration_request_ue_orig.mobile_id;
	else
		return NULL;
	if (id->type == SEN_NAS_ID_GUTI) {
		if (strcmp(id->guti.plmn.mcc, ue->amf->nas_plmn.mcc) ||
		    strcmp(id->guti.plmn.mnc, ue->amf->nas_plmn.mnc) ||
		    id->guti.amf_region_id != c->guami.region)
			return NULL;
	} else if (id->type != SEN_NAS_ID_S_TMSI) {
		return NULL;
	}
	if (id->guti.amf_set_id != c->guami.set || id->guti.amf_pointer != c->guami.pointer)
		return NULL;
	old = amf_ue_by_tmsi(ue->amf, id->guti.tmsi);
	return old != ue ? old : NULL;
}

/*
 * TS 24.501 4.4.6: an initial Registration Request or Service Request whose MAC verified
 * with the stored context carries the whole message in its NAS message container, the
 * value part ciphered with that context and the uplink NAS COUNT of the message itself
 * (TS 33.501 6.4.6); the AMF uses that message. Returns 1 when *m was replaced by it
 * (decoded from buf, which must outlive *m), 0 when there is no container, -1 when it
 * is unusable (does not decipher or decode, or is not the same message type).
 */
static int open_initial_container(struct sen_nas_sec_ctx *sec, struct sen_nas_msg *m,
				  uint8_t *buf, size_t cap)
{
	const struct sen_nas_bytes *c;
	struct sen_nas_msg inner;

	if (m->type == SEN_NAS_REGISTRATION_REQUEST && m->registration_request.has_nas_container)
		c = &m->registration_request.nas_container;
	else if (m->type == SEN_NAS_SERVICE_REQUEST && m->service_request.has_nas_container)
		c = &m->service_request.nas_container;
	else
		return 0;
	if (!c->len || c->len > cap ||
	    sen_nea_apply(sec->nea, sec->rx_count, sec->bearer, SEN_NAS_DIR_UPLINK, c->p, buf,
			  c->len * 8) < 0 ||
	    sen_nas_decode(buf, c->len, &inner, NULL) < 0 || inner.epd != SEN_NAS_EPD_5GMM ||
	    inner.type != m->type)
		return -1;
	if (inner.type == SEN_NAS_REGISTRATION_REQUEST) /* no container in the container */
		inner.registration_request.has_nas_container = false;
	else
		inner.service_request.has_nas_container = false;
	*m = inner;
	return 1;
}

static void decode_failed(struct amf_ue *ue, const struct sen_nas_error *e)
{
	amf_metrics_nas_dropped("malformed");
	if (!e->cause) { /* 7.2, 7.3: ignore */
		sen_log_ue_info("nas", ue->tag, "NAS message ignored: %s", e->problem);
		return;
	}
	sen_log_ue_info("nas", ue->tag, "%s: %s%s%s: 5GMM STATUS #%u", e->msg, e->ie,
			e->ie[0] ? ": " : "", e->problem, e->cause);
	/* TS 24.501 7.4, 7.5: answer with 5GMM STATUS (#97 / #96). A Registration Request
	 * with invalid mandatory information is rejected instead (5.5.1.2.8 c). */
	if (e->msg_type == SEN_NAS_REGISTRATION_REQUEST && e->cause == 96 && !ue->sec_active &&
	    ue->state == GMM_DEREGISTERED)
		gmm_registration_reject(ue, 96);
	else
		amf_nas_send_status(ue, e->cause);
}

void amf_nas_receive(struct amf_ue *ue, const uint8_t *pdu, size_t len)
{
	uint8_t plain_buf[NAS_MAX], inner_buf[NAS_MAX];
	const uint8_t *plain = pdu;
	size_t plain_len = len;
	struct sen_nas_sec_hdr hdr;
	struct sen_nas_error e;
	struct sen_nas_msg m;
	bool integrity = false, plain_ok = false, container_failed = false, new_ctx = false;
	int rc, ev;

	if (len < 3 || len > NAS_MAX || pdu[0] != SEN_NAS_EPD_5GMM) {
		sen_log_ue_info("nas", ue->tag, "NAS-PDU of %zu octets ignored (TS 24.501 7.2/7.3)",
				len);
		amf_metrics_nas_dropped("malformed");
		return;
	}
	if ((pdu[1] & 0x0f) != SEN_NAS_SHT_PLAIN) {
		if (sen_nas_sec_parse(pdu, len, &hdr) < 0) {
			amf_metrics_nas_dropped("malformed");
			return;
		}
		/* the current context, or the new one of a running SMC (gmm-auth.c) */
		rc = gmm_sec_unprotect(ue, pdu, len, plain_buf, sizeof(plain_buf), &hdr, &new_ctx);
		if (rc >= 0) {
			plain = plain_buf;
			plain_len = (size_t)rc;
			integrity = true;
		} else if (rc == -SEN_EEXIST) {
			sen_log_ue_info("nas", ue->tag, "replayed NAS COUNT: message dropped");
			amf_metrics_nas_dropped("replay");
			return;
		} else if (ue->sec_active || (hdr.sht != SEN_NAS_SHT_INTEGRITY &&
					      hdr.sht != SEN_NAS_SHT_INTEGRITY_NEW_CTX)) {
			sen_log_ue_info("nas", ue->tag, "NAS integrity check failed: message dropped");
			amf_metrics_nas_dropped("integrity");
			return;
		} else { /* not ciphered: readable, processed as unprotected (4.4.4.3) */
			plain = hdr.payload;
			plain_len = hdr.payload_len;
		}
	} else if (ue->sec_active) {
		/* TS 24.501 4.4.4.3: once secure exchange is established, a message that has
		 * not passed the integrity check is discarded. */
		sen_log_ue_info("nas", ue->tag, "unprotected NAS message after security: dropped");
		amf_metrics_nas_dropped("unprotected");
		return;
	}

	if (sen_nas_decode(plain, plain_len, &m, &e) < 0) {
		if (!integrity && ue->sec_active)
			return;
		decode_failed(ue, &e);
		return;
	}
	if (m.epd != SEN_NAS_EPD_5GMM || (ev = event_of(m.type, &plain_ok)) < 0) {
		amf_nas_send_status(ue, SEN_NAS_CAUSE_MSG_TYPE_NONEXISTENT);
		return;
	}

	/* An initial message naming a context of ours (5G-GUTI): continue with that one. */
	if (!integrity && !ue->has_sec && !ue->has_sec_new) {
		struct amf_ue *old = known_context(ue, &m);
		bool verified = false;

		/* TS 24.501 4.4.2.3 / 5.5.1.3.2: an initial message is integrity protected
		 * (not ciphered) with the stored context. */
		if (old && old->has_sec && (pdu[1] & 0x0f) == SEN_NAS_SHT_INTEGRITY)
			verified = sen_nas_unprotect(&old->sec, pdu, len, plain_buf,
						     sizeof(plain_buf), &hdr) >= 0;
		if (old && !verified) {
			/* TS 24.501 4.4.4.3, 5.5.1.2.2, 5.5.2.2.1; TS 23.502 4.2.2.3.2 step 1a:
			 * without a valid MAC the message is not proven to be the registered
			 * UE's: it is handled on the new context, the registered one (and its
			 * N2 connection, perhaps on another gNB) stays. A real UE that lost
			 * its keys is identified and authenticated; only then does its new
			 * context supersede the old one (amf_ue_set_supi). */
			sen_log_ue_info("nas", old->tag, "%s naming this 5G-GUTI failed the "
					"integrity check: context kept",
					sen_nas_msg_name(m.epd, m.type));
			old = NULL;
			if (m.type == SEN_NAS_SERVICE_REQUEST) {
				/* TS 24.501 5.6.1.5 #9: the UE identity cannot be derived */
				gmm_service_reject(ue, 9);
				return;
			}
		}
		if (old) {
			sen_log_ue_info("nas", old->tag, "known 5G-GUTI: context resumed");
			amf_ue_adopt_n2(old, ue);
			ue = old;
			if (verified) { /* the stored context is taken into use */
				integrity = true;
				ue->sec_active = true;
				if (open_initial_container(&ue->sec, &m, inner_buf,
							   sizeof(inner_buf)) < 0) {
					sen_log_ue_info("nas", ue->tag, "NAS message container "
							"unusable: cleartext IEs used (4.4.6)");
					container_failed = true;
				}
			}
		}
	}
	if (!integrity && !plain_ok) {
		sen_log_ue_info("nas", ue->tag, "%s without integrity protection: dropped",
				sen_nas_msg_name(m.epd, m.type));
		amf_metrics_nas_dropped("unprotected");
		return;
	}
	struct gmm_ev gev = {.type = (enum gmm_event)ev, .nas = &m, .integrity = integrity,
			     .container_failed = container_failed, .new_ctx = new_ctx};
	gmm_dispatch(ue, &gev);
}

int amf_nas_build(struct amf_ue *ue, const struct sen_nas_msg *m, uint8_t sht, uint8_t *out,
		  size_t cap)
{
	uint8_t plain[NAS_MAX];
	struct sen_nas_sec_ctx *ctx;
	int n = sen_nas_encode(m, plain, sizeof(plain));

	if (n < 0)
		return n;
	if (!sht && !ue->sec_active) {
		if ((size_t)n > cap)
			return -SEN_EMSGSIZE;
		memcpy(out, plain, (size_t)n);
		return n;
	}
	/* the new context for the SMC's header type, the current one otherwise (gmm-auth.c) */
	if (!(ctx = gmm_sec_tx(ue, sht)))
		return -SEN_EINVAL;
	return sen_nas_protect(ctx, sht ? sht : SEN_NAS_SHT_INTEGRITY_CIPHERED, plain, (size_t)n,
			       out, cap);
}

int amf_nas_send_plain(struct amf_ue *ue, const uint8_t *plain, size_t len, uint8_t sht)
{
	uint8_t out[NAS_MAX + SEN_NAS_SEC_OVERHEAD];
	struct sen_nas_sec_ctx *ctx;
	int n;

	if (!ue->gnb)
		return -SEN_ENOENT;
	if (!sht && ue->sec_active)
		sht = SEN_NAS_SHT_INTEGRITY_CIPHERED;
	if (!sht) {
		return amf_ngap_send_dl_nas(ue, plain, len);
	}
	if (!(ctx = gmm_sec_tx(ue, sht)))
		return -SEN_EINVAL;
	n = sen_nas_protect(ctx, sht, plain, len, out, sizeof(out));
	if (n < 0) {
		sen_log_ue_error("nas", ue->tag, "cannot protect a NAS message: %s", sen_strerror(n));
		return n;
	}
	return amf_ngap_send_dl_nas(ue, out, (size_t)n);
}

int amf_nas_send(struct amf_ue *ue, const struct sen_nas_msg *m)
{
	uint8_t plain[NAS_MAX];
	int n = sen_nas_encode(m, plain, sizeof(plain));

	if (n < 0) {
		sen_log_ue_error("nas", ue->tag, "cannot encode %s: %s",
				 sen_nas_msg_name(m->epd, m->type), sen_strerror(n));
		return n;
	}
	return amf_nas_send_plain(ue, plain, (size_t)n, 0);
}

void amf_nas_send_status(struct amf_ue *ue, uint8_t cause)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_5GMM_STATUS);
	m.gmm_status.cause = cause;
	amf_nas_send(ue, &m);
}
