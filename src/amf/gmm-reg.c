/*
 * sen-amf registration procedures of one UE (TS 24.501 5.5.1; TS 23.502 4.2.2.2.2):
 * Registration Request (initial, mobility and periodic updating), identification
 * (5.4.3), subscription data from the UDM, Registration Accept with 5G-GUTI, TAI list,
 * allowed NSSAI and T3512 (in Initial Context Setup, with KgNB), Registration Complete,
 * Registration Reject, and what happens when the N2 connection goes away.
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
#include "sbi/client.h"

/* 5GMM causes used here (TS 24.501 9.11.3.2) */
#define CAUSE_UE_ID_NOT_DERIVED	 9
#define CAUSE_PLMN_NOT_ALLOWED	 11
#define CAUSE_NO_SLICES		 62
#define CAUSE_INVALID_MANDATORY	 96
#define CAUSE_PROTOCOL_ERROR	 111

void gmm_abort_procedure(struct amf_ue *ue)
{
	for (int i = 0; i < AMF_N_TIMERS; i++)
		gmm_timer_stop(ue, (enum amf_timer_id)i);
	if (ue->xact) {
		sen_sbi_xact_cancel(ue->xact);
		ue->xact = NULL;
	}
}

void gmm_release(struct amf_ue *ue, enum gmm_state state, uint8_t nas_cause)
{
	gmm_abort_procedure(ue);
	if (state != GMM_REGISTERED)
		amf_ue_set_registered(ue, false);
	if (!gmm_set_state(ue, state))
		ue->state = GMM_RELEASING;
	if (ue->gnb)
		amf_ngap_send_ue_release(ue, SEN_NGAP_CAUSE_NAS, nas_cause);
	else if (ue->state != GMM_REGISTERED)
		amf_ue_free(ue);
}

void gmm_registration_reject(struct amf_ue *ue, uint8_t cause)
{
	struct sen_nas_msg m;

	sen_log_ue_info("amf", ue->tag, "Registration reject #%u", cause);
	amf_metrics_reg_fail(ue->reg_type, cause);
	gmm_build_registration_reject(&m, cause);
	amf_nas_send(ue, &m);
	gmm_release(ue, GMM_RELEASING, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}

/* S-NSSAI equality on what the configuration knows: SST and SD. */
static bool same_slice(const struct sen_nas_snssai *a, uint8_t sst, uint32_t sd)
{
	uint32_t asd = a->len >= 4 ? a->sd : SEN_CFG_SD_NONE;
	return a->sst == sst && asd == sd;
}

static bool configured(const struct amf *amf, const struct sen_nas_snssai *s)
{
	for (size_t i = 0; i < amf->cfg.n_slices; i++)
		if (same_slice(s, amf->cfg.slices[i].sst, amf->cfg.slices[i].sd))
			return true;
	return false;
}

static bool in_list(const struct sen_nas_nssai *l, const struct sen_nas_snssai *s)
{
	for (unsigned i = 0; l && i < l->n; i++)
		if (same_slice(&l->s[i], s->sst, s->len >= 4 ? s->sd : SEN_CFG_SD_NONE))
			return true;
	return false;
}

static bool allowed_slice(const struct amf_ue *ue, const struct sen_nas_snssai *s)
{
	return configured(ue->amf, s) && in_list(ue->subscribed_nssai, s);
}

/* TS 23.501 5.15.2.1: an allowed NSSAI holds at most 8 S-NSSAIs (TS 38.413 9.3.1.31
 * maxnoofAllowedS-NSSAIs): the ones past the eighth are left out. */
static void add_slice(struct sen_nas_nssai *l, const struct sen_nas_snssai *s)
{
	if (l->n >= AMF_MAX_ALLOWED_NSSAI || in_list(l, s))
		return;
	l->s[l->n] = *s;
	l->s[l->n].len = s->len >= 4 ? 4 : 1; /* no mapped S-NSSAI in the home PLMN */
	l->n++;
}

/*
 * TS 23.501 5.15.5.2.1, TS 24.501 5.5.1.2.4: allowed NSSAI = requested ∩ subscribed ∩
 * supported. When the UE requested none, or none of those it requested can be allowed,
 * the default subscribed S-NSSAIs the AMF supports (the subscribed ones when the UDM marks
 * none as default); only when that is empty too is the UE rejected (#62, 5.5.1.2.5). The
 * requested S-NSSAIs not allowed go in *rej with cause "S-NSSAI not available in the
 * current PLMN" (9.11.3.46). The requested and subscribed NSSAIs are not needed afterwards
 * and are freed. 0 or -SEN_ENOMEM.
 */
static int compute_allowed_nssai(struct amf_ue *ue, struct sen_nas_rejected_nssai *rej)
{
	const struct sen_nas_nssai *req = ue->requested_nssai, *sub = ue->subscribed_nssai;
	struct sen_nas_nssai out = {0};
	int rc;

	memset(rej, 0, sizeof(*rej));
	for (unsigned i = 0; req && i < req->n; i++) {
		if (allowed_slice(ue, &req->s[i])) {
			add_slice(&out, &req->s[i]);
		} else if (rej->n < sizeof(rej->r) / sizeof(rej->r[0])) {
			rej->r[rej->n].cause = 0;
			rej->r[rej->n].s = req->s[i];
			rej->r[rej->n].s.len = req->s[i].len >= 4 ? 4 : 1;
			rej->n++;
		}
	}
	if (!out.n && sub) {
		unsigned nd = ue->sub_n_default && ue->sub_n_default <= sub->n ? ue->sub_n_default
									   : sub->n;
		for (unsigned i = 0; i < nd; i++)
			if (configured(ue->amf, &sub->s[i]))
				add_slice(&out, &sub->s[i]);
	}
	rc = amf_ue_set_allowed_nssai(ue, out.s, out.n);
	amf_nssai_hold(&ue->requested_nssai, NULL);
	amf_nssai_hold(&ue->subscribed_nssai, NULL);
	return rc;
}

/* Registration Accept: in an Initial Context Setup Request when the connection has no AS
 * security yet (TS 23.502 4.2.2.2.2 step 21), in a Downlink NAS Transport otherwise. */
static void send_registration_accept(struct amf_ue *ue,
				     const struct sen_nas_rejected_nssai *rej)
{
	struct sen_nas_msg m;
	uint8_t nas[1024], kgnb[32];
	int n, rc;

	/* A mobility / periodic update without new authentication keeps the allowed NSSAI:
	 * what the request carried is not held on (compute_allowed_nssai frees it otherwise). */
	amf_nssai_hold(&ue->requested_nssai, NULL);
	amf_nssai_hold(&ue->subscribed_nssai, NULL);
	if (amf_ue_new_guti(ue) < 0) { /* 5G-GUTI reallocation (5.5.1.2.4, 5.4.4) */
		gmm_registration_reject(ue, CAUSE_PROTOCOL_ERROR);
		return;
	}
	gmm_build_registration_accept(ue, &m);
	if (rej && rej->n) {
		m.registration_accept.has_rejected_nssai = true;
		m.registration_accept.rejected_nssai = *rej;
	}
	if (!gmm_set_state(ue, GMM_WAIT_REG_COMPLETE))
		return;
	/* TS 23.502 4.2.2.2.2 step 21: N2 context set-up for an initial registration or a
	 * follow-on request; a periodic / mobility update alone goes in DL NAS Transport. */
	if (!ue->ics_sent && (ue->reg_type == 1 || ue->follow_on)) {
		n = amf_nas_build(ue, &m, 0, nas, sizeof(nas));
		/* TS 33.501 A.9: KgNB from KAMF and the uplink NAS COUNT last received. */
		if (n < 0 || sen_kdf_kgnb(ue->kamf, ue->sec.rx_count, SEN_KDF_ACCESS_3GPP, kgnb) < 0) {
			gmm_registration_reject(ue, CAUSE_PROTOCOL_ERROR);
			return;
		}
		rc = amf_ngap_send_ics_request(ue, kgnb, nas, (size_t)n);
		OPENSSL_cleanse(kgnb, sizeof(kgnb));
		if (rc < 0) {
			/* The accept cannot reach the UE: the registration fails and the N2
			 * connection is released (TS 38.413 9.3.1.2, misc: unspecified). */
			sen_log_ue_error("amf", ue->tag, "Initial Context Setup Request not sent: "
					 "%s: UE released", sen_strerror(rc));
			amf_metrics_reg_fail(ue->reg_type, 0);
			gmm_abort_procedure(ue);
			amf_ue_set_registered(ue, false);
			if (!gmm_set_state(ue, GMM_RELEASING))
				ue->state = GMM_RELEASING;
			if (!ue->gnb || amf_ngap_send_ue_release(ue, SEN_NGAP_CAUSE_MISC,
								 SEN_NGAP_CAUSE_MISC_UNSPECIFIED) < 0)
				amf_ue_free(ue);
			return;
		}
		gmm_timer_arm(ue, AMF_T3550, &m, 0);
	} else {
		gmm_send_guarded(ue, AMF_T3550, &m, 0);
	}
	sen_log_ue_info("amf", ue->tag, "Registration accept (5G-TMSI %08x)", ue->tmsi);
}

void gmm_registration_continue(struct amf_ue *ue)
{
	if (!gmm_set_state(ue, GMM_WAIT_UDM))
		return;
	amf_sbi_udm_register(ue);
}

void gmm_on_udm_done(struct amf_ue *ue, const struct gmm_ev *ev)
{
	struct sen_nas_rejected_nssai rej;

	if (compute_allowed_nssai(ue, &rej) < 0) {
		sen_log_ue_warn("amf", ue->tag, "no memory for the allowed NSSAI");
		gmm_registration_reject(ue, CAUSE_PROTOCOL_ERROR);
		return;
	}
	if (!ue->allowed_nssai.n) {
		sen_log_ue_info("amf", ue->tag, "no S-NSSAI is both subscribed and supported");
		gmm_registration_reject(ue, CAUSE_NO_SLICES);
		return;
	}
	send_registration_accept(ue, &rej);
}

void gmm_on_sbi_fail(struct amf_ue *ue, const struct gmm_ev *ev)
{
	if (ev->auth_reject)
		gmm_authentication_reject(ue);
	else
		gmm_registration_reject(ue, ev->cause ? ev->cause : CAUSE_PROTOCOL_ERROR);
}

/* The home PLMN of an IMSI-type SUCI must be ours: no roaming (TS 24.501 #11). */
static bool suci_plmn_ok(const struct amf_ue *ue, const struct sen_suci *s)
{
	if (s->supi_type != SEN_SUPI_IMSI)
		return true;
	return !strcmp(s->mcc, ue->amf->nas_plmn.mcc) && !strcmp(s->mnc, ue->amf->nas_plmn.mnc);
}

static void start_identification(struct amf_ue *ue)
{
	struct sen_nas_msg m;

	if (!gmm_set_state(ue, GMM_IDENTIFYING))
		return;
	gmm_build_identity_request(&m, SEN_NAS_ID_SUCI);
	gmm_send_guarded(ue, AMF_T3570, &m, 0);
}

uint8_t gmm_registration_take_ies(struct amf_ue *ue, const struct sen_nas_registration_request *r)
{
	uint8_t type = r->reg_type & 0x07;

	/* 9.11.3.7: unused values are read as initial registration. */
	ue->reg_type = type >= 1 && type <= 4 ? type : 1;
	ue->follow_on = r->reg_type & 0x08;
	if (ue->reg_type == 4) /* emergency services are not offered by this AMF */
		return CAUSE_PROTOCOL_ERROR;
	if (r->has_ue_sec_cap) {
		ue->has_ue_sec_cap = true;
		ue->ue_sec_cap = r->ue_sec_cap;
	} else if (!ue->has_ue_sec_cap) { /* 5.5.1.2.2: mandatory in an initial registration */
		return CAUSE_INVALID_MANDATORY;
	}
	if (amf_nssai_hold(&ue->requested_nssai,
			   r->has_requested_nssai && r->requested_nssai.n ? &r->requested_nssai
									 : NULL) < 0)
		return CAUSE_PROTOCOL_ERROR; /* no memory */
	return 0;
}

void gmm_on_registration_request(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_registration_request *r = &ev->nas->registration_request;
	uint8_t cause;
	int rc;

	gmm_abort_procedure(ue);
	cause = gmm_registration_take_ies(ue, r);
	amf_metrics_reg_req(ue->reg_type);
	sen_log_ue_info("amf", ue->tag, "Registration request (type %u, %s)", ue->reg_type,
			r->mobile_id.type == SEN_NAS_ID_SUCI ? "SUCI" : "5G-GUTI");
	if (ue->state == GMM_RELEASING || ue->release_sent) {
		gmm_set_state(ue, GMM_DEREGISTERED); /* a new attempt on a connection being released */
		ue->release_sent = false;
	}
	if (cause) {
		gmm_registration_reject(ue, cause);
		return;
	}

	switch (r->mobile_id.type) {
	case SEN_NAS_ID_SUCI:
		if (!suci_plmn_ok(ue, &r->mobile_id.suci)) {
			gmm_registration_reject(ue, CAUSE_PLMN_NOT_ALLOWED);
			return;
		}
		if ((rc = amf_ue_set_suci(ue, &r->mobile_id.suci)) < 0) {
			sen_log_ue_warn("amf", ue->tag, "SUCI not held: %s", sen_strerror(rc));
			gmm_registration_reject(ue, CAUSE_PROTOCOL_ERROR);
			return;
		}
		if (ue->state == GMM_REGISTERED)
			amf_ue_set_registered(ue, false);
		gmm_set_state(ue, GMM_DEREGISTERED);
		gmm_auth_start(ue);
		return;
	case SEN_NAS_ID_GUTI:
		if (!ue->supi) { /* not a context of ours (nas-path.c found none) */
			gmm_set_state(ue, GMM_DEREGISTERED);
			start_identification(ue);
			return;
		}
		if (ev->integrity && !ev->container_failed && ue->has_kamf && ue->sec_active &&
		    ue->reg_type != 1 && ue->state == GMM_REGISTERED) {
			/* Mobility / periodic updating with a verified context (5.5.1.3): no
			 * new authentication; the accept carries a new 5G-GUTI. Not when the
			 * NAS message container was unusable: its IEs are asked for again in
			 * the security mode control (RINMR, TS 24.501 4.4.6, 5.4.2.2), after a
			 * new authentication (5.4.1.1: the network may authenticate at any
			 * time). */
			send_registration_accept(ue, NULL);
			return;
		}
		if (ue->state == GMM_REGISTERED)
			amf_ue_set_registered(ue, false);
		gmm_set_state(ue, GMM_DEREGISTERED);
		gmm_auth_start(ue);
		return;
	default:
		gmm_registration_reject(ue, CAUSE_INVALID_MANDATORY);
		return;
	}
}

void gmm_on_identity_response(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_mobile_id *id = &ev->nas->identity_response.mobile_id;
	int rc;

	gmm_timer_stop(ue, AMF_T3570);
	if (id->type != SEN_NAS_ID_SUCI) {
		gmm_registration_reject(ue, CAUSE_INVALID_MANDATORY);
		return;
	}
	if (!suci_plmn_ok(ue, &id->suci)) {
		gmm_registration_reject(ue, CAUSE_PLMN_NOT_ALLOWED);
		return;
	}
	if ((rc = amf_ue_set_suci(ue, &id->suci)) < 0) {
		sen_log_ue_warn("amf", ue->tag, "SUCI not held: %s", sen_strerror(rc));
		gmm_registration_reject(ue, CAUSE_PROTOCOL_ERROR);
		return;
	}
	gmm_auth_start(ue);
}

/* TS 24.501 5.4.3.7 b: fifth expiry of T3570: abort and release. */
void gmm_on_t3570(struct amf_ue *ue, const struct gmm_ev *ev)
{
	amf_metrics_reg_fail(ue->reg_type, 0);
	gmm_release(ue, GMM_RELEASING, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}

/* Configuration Update Command with the network name (TS 24.501 5.4.4), if configured. */
static void send_network_name(struct amf_ue *ue)
{
	const struct amf_config *c = &ue->amf->cfg;
	struct sen_nas_msg m;

	if (!c->network_name.full[0] && !c->network_name.short_[0])
		return;
	sen_nas_msg_init(&m, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	if (c->network_name.full[0] &&
	    sen_nas_network_name_set(&m.configuration_update_command.full_name,
				     c->network_name.full) == 0)
		m.configuration_update_command.has_full_name = true;
	if (c->network_name.short_[0] &&
	    sen_nas_network_name_set(&m.configuration_update_command.short_name,
				     c->network_name.short_) == 0)
		m.configuration_update_command.has_short_name = true;
	amf_nas_send(ue, &m);
}

void gmm_on_registration_complete(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_timer_stop(ue, AMF_T3550);
	amf_ue_guti_confirmed(ue);
	if (!gmm_set_state(ue, GMM_REGISTERED))
		return;
	amf_ue_set_registered(ue, true);
	amf_metrics_reg_succ(ue->reg_type);
	sen_log_ue_info("amf", ue->tag, "registered");
	if (ue->reg_type == 1)
		send_network_name(ue);
	/* TS 23.502 4.2.2.2.2 step 23: without follow-on request the AMF may release the
	 * connection of a mobility / periodic registration. */
	if (ue->reg_type != 1 && !ue->follow_on && ue->gnb)
		amf_ngap_send_ue_release(ue, SEN_NGAP_CAUSE_NAS, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}

/* TS 24.501 5.5.1.2.8 d: fifth expiry of T3550: the procedure is aborted, the UE is
 * considered registered with both 5G-GUTIs valid. */
void gmm_on_t3550(struct amf_ue *ue, const struct gmm_ev *ev)
{
	if (gmm_set_state(ue, GMM_REGISTERED))
		amf_ue_set_registered(ue, true);
}

void gmm_on_status(struct amf_ue *ue, const struct gmm_ev *ev)
{
	sen_log_ue_info("nas", ue->tag, "5GMM STATUS #%u from the UE", ev->nas->gmm_status.cause);
}

void gmm_on_ignore(struct amf_ue *ue, const struct gmm_ev *ev)
{
}

void gmm_service_reject(struct amf_ue *ue, uint8_t cause)
{
	struct sen_nas_msg m;

	sen_log_ue_info("amf", ue->tag, "Service reject #%u", cause);
	sen_nas_msg_init(&m, SEN_NAS_SERVICE_REJECT);
	m.service_reject.cause = cause;
	amf_nas_send(ue, &m);
	gmm_release(ue, ue->state == GMM_REGISTERED ? GMM_REGISTERED : GMM_RELEASING,
		    SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}

/* TS 24.501 5.6.1: Service Request of a registered UE with a verified context: Service
 * Accept in an Initial Context Setup (AS security from a fresh KgNB). */
void gmm_on_service_request(struct amf_ue *ue, const struct gmm_ev *ev)
{
	struct sen_nas_msg m;
	uint8_t nas[256], kgnb[32];
	int n;

	if (!ev->integrity || !ue->has_kamf) {
		gmm_service_reject(ue, CAUSE_UE_ID_NOT_DERIVED);
		return;
	}
	if (ev->container_failed) {
		/* TS 24.501 4.4.6, 5.4.2.2: verified, but its NAS message container (the
		 * non-cleartext IEs) did not decipher or decode. The answer would be a security
		 * mode control with RINMR first, which this AMF runs only within registration:
		 * the UE is rejected as for an unusable message and registers again (5.6.1.5
		 * #9), rather than served on the cleartext IEs alone. */
		sen_log_ue_info("amf", ue->tag, "Service request with an unusable NAS message "
				"container");
		gmm_service_reject(ue, CAUSE_UE_ID_NOT_DERIVED);
		return;
	}
	sen_nas_msg_init(&m, SEN_NAS_SERVICE_ACCEPT);
	n = amf_nas_build(ue, &m, 0, nas, sizeof(nas));
	if (n < 0 || ue->ics_sent ||
	    sen_kdf_kgnb(ue->kamf, ue->sec.rx_count, SEN_KDF_ACCESS_3GPP, kgnb) < 0) {
		if (n > 0)
			amf_ngap_send_dl_nas(ue, nas, (size_t)n);
		return;
	}
	amf_ngap_send_ics_request(ue, kgnb, nas, (size_t)n);
	OPENSSL_cleanse(kgnb, sizeof(kgnb));
}

void gmm_on_ics_failed(struct amf_ue *ue, const struct gmm_ev *ev)
{
	sen_log_ue_warn("amf", ue->tag, "Initial Context Setup failed: N2 released");
	gmm_release(ue, ue->state == GMM_REGISTERED ? GMM_REGISTERED : GMM_RELEASING,
		    SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
}

void gmm_n2_lost(struct amf_ue *ue)
{
	if (ue->state == GMM_REGISTERED) /* TS 23.502 4.2.6 step 5: user planes deactivated */
		gmm_sess_an_released(ue);
	if (ue->state != GMM_REGISTERED) {
		gmm_abort_procedure(ue);
		if (ue->state == GMM_WAIT_REG_COMPLETE) /* abnormal case 5.5.1.2.8 a: aborted */
			amf_metrics_reg_fail(ue->reg_type, 0);
	}
	amf_ue_n2_detach(ue);
}
