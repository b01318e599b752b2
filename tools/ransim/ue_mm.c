/*
 * sen-ransim UE: 5GMM procedures of the UE (TS 24.501 clause 5) on one state table.
 *
 * States are the 5GMM main states of 5.1.3.2.1; each row lists the events the state accepts
 * and the states it may go to. ue_mm_dispatch() refuses any other event in one place: a
 * downlink message the state does not expect is answered with 5GMM STATUS #98 "message
 * type not compatible with the protocol state" (7.4), a local request gets -SEN_EINVAL.
 *
 * Procedures (one handler each, below):
 *   registration 5.5.1.2 (T3510, T3511, attempt counter), identification 5.4.3,
 *   5G AKA 5.4.1.3 (with the USIM of ue_usim.c), security mode control 5.4.2 (TS 33.501
 *   6.7.2), de-registration 5.5.2.2 (UE, T3521) and 5.5.2.3 (network), generic UE
 *   configuration update 5.4.4, service request 5.6.1 (T3517), 5GMM STATUS (clause 7),
 *   and the NAS transport of 5GSM messages 5.4.5 (ue_sm.c).
 */
#include "ue_int.h"

#include "core/err.h"
#include "core/log.h"
#include "crypto/nxa.h"

#include <openssl/crypto.h>
#include <string.h>

#define EV(e) (1ull << (e))
#define ST(s) (1u << (s))

/* Events every state takes: connection release and a received 5GMM STATUS. */
#define EV_ANY (EV(MM_EV_CONN_RELEASE) | EV(MM_EV_GMM_STATUS))
/* Common procedures the network may run while a connection exists (5.4). */
#define EV_COMMON                                                                                  \
	(EV(MM_EV_IDENTITY_REQUEST) | EV(MM_EV_AUTH_REQUEST) | EV(MM_EV_AUTH_RESULT) |             \
	 EV(MM_EV_AUTH_REJECT) | EV(MM_EV_SECURITY_MODE_COMMAND))

struct mm_row {
	const char *name;
	uint64_t in;  /* events accepted */
	uint32_t out; /* states it may go to */
};

static const struct mm_row mm_rows[SEN_UE_MM_STATE_N] = {
    [SEN_UE_MM_DEREGISTERED] =
	{
	    .name = "5GMM-DEREGISTERED",
	    .in = EV_ANY | EV(MM_EV_REGISTER) | EV(MM_EV_T3511),
	    .out = ST(SEN_UE_MM_REGISTERED_INITIATED),
	},
    [SEN_UE_MM_REGISTERED_INITIATED] =
	{
	    .name = "5GMM-REGISTERED-INITIATED",
	    .in = EV_ANY | EV_COMMON | EV(MM_EV_REGISTRATION_ACCEPT) |
		  EV(MM_EV_REGISTRATION_REJECT) | EV(MM_EV_DEREG_REQUEST_NW) | EV(MM_EV_T3510) |
		  EV(MM_EV_DEREGISTER),
	    .out = ST(SEN_UE_MM_DEREGISTERED) | ST(SEN_UE_MM_REGISTERED) |
		   ST(SEN_UE_MM_DEREGISTERED_INITIATED),
	},
    [SEN_UE_MM_REGISTERED] =
	{
	    .name = "5GMM-REGISTERED",
	    .in = EV_ANY | EV_COMMON | EV(MM_EV_DEREGISTER) | EV(MM_EV_SERVICE_REQUEST) |
		  EV(MM_EV_CONFIG_UPDATE_COMMAND) | EV(MM_EV_DL_NAS_TRANSPORT) |
		  EV(MM_EV_DEREG_REQUEST_NW) | EV(MM_EV_NOTIFICATION),
	    .out = ST(SEN_UE_MM_DEREGISTERED) | ST(SEN_UE_MM_DEREGISTERED_INITIATED) |
		   ST(SEN_UE_MM_SERVICE_REQUEST_INITIATED),
	},
    [SEN_UE_MM_DEREGISTERED_INITIATED] =
	{
	    .name = "5GMM-DEREGISTERED-INITIATED",
	    .in = EV_ANY | EV_COMMON | EV(MM_EV_DEREG_ACCEPT) | EV(MM_EV_DEREG_REQUEST_NW) |
		  EV(MM_EV_T3521),
	    .out = ST(SEN_UE_MM_DEREGISTERED),
	},
    [SEN_UE_MM_SERVICE_REQUEST_INITIATED] =
	{
	    .name = "5GMM-SERVICE-REQUEST-INITIATED",
	    .in = EV_ANY | EV_COMMON | EV(MM_EV_SERVICE_ACCEPT) | EV(MM_EV_SERVICE_REJECT) |
		  EV(MM_EV_T3517) | EV(MM_EV_DL_NAS_TRANSPORT) | EV(MM_EV_DEREG_REQUEST_NW) |
		  EV(MM_EV_CONFIG_UPDATE_COMMAND) | EV(MM_EV_DEREGISTER),
	    .out = ST(SEN_UE_MM_REGISTERED) | ST(SEN_UE_MM_DEREGISTERED) |
		   ST(SEN_UE_MM_DEREGISTERED_INITIATED),
	},
};

static const char *const mm_ev_names[MM_EV_N] = {
    [MM_EV_REGISTER] = "REGISTER",
    [MM_EV_DEREGISTER] = "DEREGISTER",
    [MM_EV_SERVICE_REQUEST] = "SERVICE_REQUEST",
    [MM_EV_CONN_RELEASE] = "CONN_RELEASE",
    [MM_EV_T3510] = "T3510",
    [MM_EV_T3511] = "T3511",
    [MM_EV_T3517] = "T3517",
    [MM_EV_T3521] = "T3521",
    [MM_EV_IDENTITY_REQUEST] = "Identity request",
    [MM_EV_AUTH_REQUEST] = "Authentication request",
    [MM_EV_AUTH_RESULT] = "Authentication result",
    [MM_EV_AUTH_REJECT] = "Authentication reject",
    [MM_EV_SECURITY_MODE_COMMAND] = "Security mode command",
    [MM_EV_REGISTRATION_ACCEPT] = "Registration accept",
    [MM_EV_REGISTRATION_REJECT] = "Registration reject",
    [MM_EV_DEREG_REQUEST_NW] = "Deregistration request (UE terminated)",
    [MM_EV_DEREG_ACCEPT] = "Deregistration accept (UE originating)",
    [MM_EV_CONFIG_UPDATE_COMMAND] = "Configuration update command",
    [MM_EV_DL_NAS_TRANSPORT] = "DL NAS transport",
    [MM_EV_SERVICE_ACCEPT] = "Service accept",
    [MM_EV_SERVICE_REJECT] = "Service reject",
    [MM_EV_GMM_STATUS] = "5GMM status",
    [MM_EV_NOTIFICATION] = "Notification",
};

void ue_mm_goto(struct sen_ue *ue, enum sen_ue_mm_state to)
{
	if (to == ue->mm)
		return;
	if (!(mm_rows[ue->mm].out & ST(to))) {
		sen_log_ue_error(UE_MOD, ue->tag, "refused transition %s -> %s",
				 mm_rows[ue->mm].name, mm_rows[to].name);
		return;
	}
	sen_log_ue_debug(UE_MOD, ue->tag, "%s -> %s", mm_rows[ue->mm].name, mm_rows[to].name);
	ue->mm = to;
}

int ue_mm_dispatch(struct sen_ue *ue, enum ue_mm_ev ev, const struct ue_mm_in *in)
{
	if (!(mm_rows[ue->mm].in & EV(ev))) {
		sen_log_ue_info(UE_MOD, ue->tag, "%s not expected in %s", mm_ev_names[ev],
				mm_rows[ue->mm].name);
		if (in && in->msg) {
			ue_send_gmm_status(ue, 98); /* 7.4 */
			return 0;
		}
		return -SEN_EINVAL;
	}
	return ue_mm_handlers[ev](ue, in);
}

/* ---- helpers ---- */

static void delete_identity_and_keys(struct sen_ue *ue)
{
	ue->have_guti = false;
	ue->have_tai_list = false;
	ue_sec_clear(&ue->cur);
	ue_sec_clear(&ue->pend);
	ue->have_rand = false;
}

static void stop_mm_timers(struct sen_ue *ue)
{
	ue_timer_stop(ue, SEN_UE_T3510);
	ue_timer_stop(ue, SEN_UE_T3511);
	ue_timer_stop(ue, SEN_UE_T3517);
	ue_timer_stop(ue, SEN_UE_T3521);
}

static void mobile_id_guti(const struct sen_ue *ue, struct sen_nas_mobile_id *id)
{
	memset(id, 0, sizeof(*id));
	id->type = SEN_NAS_ID_GUTI;
	id->guti = ue->guti;
}

/* 5GS mobile identity for an initial message: the 5G-GUTI if any, else a fresh SUCI. */
static int mobile_id(struct sen_ue *ue, struct sen_nas_mobile_id *id)
{
	if (ue->have_guti) {
		mobile_id_guti(ue, id);
		return 0;
	}
	return ue_usim_suci(ue, id);
}

static uint8_t current_ngksi(const struct sen_ue *ue)
{
	return ue->cur.valid ? ue->cur.ngksi : 7; /* 9.11.3.32: 7 = no key available */
}

static void deregistered(struct sen_ue *ue, struct sen_ue_event *ev)
{
	stop_mm_timers(ue);
	ue_sm_release_all(ue);
	ue->init_len = 0;
	ue_mm_goto(ue, SEN_UE_MM_DEREGISTERED);
	if (ev)
		ue_event(ue, ev);
}

/*
 * Send an initial NAS message (4.4.6). Without a valid security context: the cleartext
 * IEs only, plain. With one: the cleartext IEs plus, when `full` carries more, the whole
 * message ciphered in a NAS message container, all integrity protected; the container is
 * ciphered with the NAS COUNT of the message that carries it.
 */
static int send_initial(struct sen_ue *ue, struct sen_nas_msg *clear, bool *has_container,
			struct sen_nas_bytes *container, const uint8_t *full, size_t full_len,
			bool need_container)
{
	uint8_t plain[UE_PDU_MAX], ciph[512];
	struct ue_sec *c = &ue->cur;
	int n;

	memcpy(ue->init_msg, full, full_len);
	ue->init_len = full_len;
	if (!c->valid || !c->nas_ready) {
		ue->init_cleartext_only = true;
		if ((n = sen_nas_encode(clear, plain, sizeof(plain))) < 0)
			return n;
		return ue_send_raw(ue, plain, (size_t)n, SEN_NAS_SHT_PLAIN);
	}
	ue->init_cleartext_only = false;
	if (need_container) {
		if (sen_nea_apply(c->nas.nea, c->nas.tx_count, c->nas.bearer, SEN_NAS_DIR_UPLINK,
				  full, ciph, full_len * 8) < 0)
			return -SEN_ECRYPTO;
		*has_container = true;
		*container = (struct sen_nas_bytes){ciph, full_len};
	}
	if ((n = sen_nas_encode(clear, plain, sizeof(plain))) < 0)
		return n;
	return ue_send_raw(ue, plain, (size_t)n, SEN_NAS_SHT_INTEGRITY);
}

/* ---- registration (5.5.1.2) ---- */

static void fill_registration(struct sen_ue *ue, struct sen_nas_msg *m,
			      const struct sen_nas_mobile_id *id, bool full)
{
	struct sen_nas_registration_request *r = &m->registration_request;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REQUEST);
	r->reg_type = 0x01; /* 9.11.3.7: initial registration, no follow-on request */
	r->ngksi = current_ngksi(ue);
	r->mobile_id = *id;
	r->has_ue_sec_cap = true;
	r->ue_sec_cap = (struct sen_nas_ue_sec_cap){.len = 2, .ea = ue->ea, .ia = ue->ia};
	if (!full)
		return; /* 4.4.6: the cleartext IEs */
	r->has_gmm_cap = true;
	r->gmm_cap = (struct sen_nas_octets){1, {0x00}};
	if (ue->requested_nssai.n) {
		r->has_requested_nssai = true;
		r->requested_nssai = ue->requested_nssai;
	}
	uint16_t active = ue_sm_active_map(ue);
	if (active) {
		r->has_pdu_session_status = true;
		r->pdu_session_status = (struct sen_nas_psi_map){2, active};
	}
}

static int start_registration(struct sen_ue *ue)
{
	struct sen_nas_msg m;
	struct sen_nas_mobile_id id;
	uint8_t full[512];
	int rc, n;

	if ((rc = mobile_id(ue, &id)) < 0)
		return rc;
	fill_registration(ue, &m, &id, true);
	if ((n = sen_nas_encode(&m, full, sizeof(full))) < 0)
		return n;
	fill_registration(ue, &m, &id, false);
	sen_log_ue_info(UE_MOD, ue->tag, "Registration request (initial, %s)",
			id.type == SEN_NAS_ID_GUTI ? "5G-GUTI" : "SUCI");
	rc = send_initial(ue, &m, &m.registration_request.has_nas_container,
			  &m.registration_request.nas_container, full, (size_t)n, true);
	if (rc < 0)
		return rc;
	ue_mm_goto(ue, SEN_UE_MM_REGISTERED_INITIATED);
	ue_timer_start(ue, SEN_UE_T3510);
	return 0;
}

static int h_register(struct sen_ue *ue, const struct ue_mm_in *in)
{
	ue_timer_stop(ue, SEN_UE_T3511);
	return start_registration(ue);
}

static int h_t3511(struct sen_ue *ue, const struct ue_mm_in *in)
{
	return start_registration(ue);
}

/* 5.5.1.2.7: T3510 expired: abort, release the connection locally, count the attempt. */
static int h_t3510(struct sen_ue *ue, const struct ue_mm_in *in)
{
	ue->reg_attempts++;
	ue->connected = false;
	ue->secure = false;
	ue->init_len = 0;
	ue_mm_goto(ue, SEN_UE_MM_DEREGISTERED);
	if (ue->reg_attempts < 5) {
		sen_log_ue_info(UE_MOD, ue->tag,
				"registration attempt %u failed, retry after T3511",
				ue->reg_attempts);
		ue_timer_start(ue, SEN_UE_T3511);
		return 0;
	}
	sen_log_ue_warn(UE_MOD, ue->tag, "registration failed %u times, giving up",
			ue->reg_attempts);
	ue_event_simple(ue, SEN_UE_EV_REGISTRATION_FAILED, 0);
	return 0;
}

/* 5.5.1.2.4 */
static int h_registration_accept(struct sen_ue *ue, const struct ue_mm_in *in)
{
	const struct sen_nas_registration_accept *a = &in->msg->registration_accept;
	struct sen_nas_msg m;

	ue_timer_stop(ue, SEN_UE_T3510);
	ue->reg_attempts = 0;
	ue->init_len = 0;
	if (a->has_guti && a->guti.type == SEN_NAS_ID_GUTI) {
		ue->guti = a->guti.guti;
		ue->have_guti = true;
	}
	if (a->has_tai_list) {
		ue->tai_list = a->tai_list;
		ue->have_tai_list = true;
	}
	if (a->has_allowed_nssai)
		ue->allowed_nssai = a->allowed_nssai;
	ue_mm_goto(ue, SEN_UE_MM_REGISTERED);
	/* a new 5G-GUTI (or an SOR container) is acknowledged with Registration complete */
	if (a->has_guti || a->has_sor_container) {
		sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_COMPLETE);
		ue_send_mm(ue, &m);
	}
	sen_log_ue_info(UE_MOD, ue->tag, "registered%s",
			ue->have_guti ? " (5G-GUTI assigned)" : "");
	ue_event_simple(ue, SEN_UE_EV_REGISTERED, 0);
	return 0;
}

/* 5.5.1.2.5: causes after which the 5G-GUTI, TAI list and ngKSI are deleted. */
static bool reject_deletes_identity(uint8_t cause)
{
	static const uint8_t causes[] = {3, 6, 7, 9, 10, 11, 12, 13, 15, 27, 62, 72, 73, 74, 75};

	for (size_t i = 0; i < sizeof(causes); i++)
		if (causes[i] == cause)
			return true;
	return false;
}

static int h_registration_reject(struct sen_ue *ue, const struct ue_mm_in *in)
{
	uint8_t cause = in->msg->registration_reject.cause;
	struct sen_ue_event ev = {.type = SEN_UE_EV_REJECTED, .cause = cause};

	sen_log_ue_info(UE_MOD, ue->tag, "Registration reject #%u", cause);
	if (reject_deletes_identity(cause))
		delete_identity_and_keys(ue);
	deregistered(ue, &ev);
	return 0;
}

/* ---- identification (5.4.3) ---- */

/* IMEI from the IMEISV's TAC and SNR with the Luhn check digit (TS 23.003 6.2.1). */
static void imei_of(const char *imeisv, char imei[16])
{
	unsigned sum = 0;

	memcpy(imei, imeisv, 14);
	for (int i = 0; i < 14; i++) {
		unsigned d = (unsigned)(imeisv[i] - '0');

		if (i % 2) {
			d *= 2;
			d = d / 10 + d % 10;
		}
		sum += d;
	}
	imei[14] = (char)('0' + (10 - sum % 10) % 10);
	imei[15] = 0;
}

static int h_identity_request(struct sen_ue *ue, const struct ue_mm_in *in)
{
	uint8_t type = in->msg->identity_request.identity_type & 7;
	struct sen_nas_msg m;
	struct sen_nas_mobile_id *id = &m.identity_response.mobile_id;
	int rc;

	sen_nas_msg_init(&m, SEN_NAS_IDENTITY_RESPONSE);
	switch (type) {
	case SEN_NAS_ID_SUCI:
		if ((rc = ue_usim_suci(ue, id)) < 0)
			return rc;
		break;
	case SEN_NAS_ID_GUTI:
		if (ue->have_guti)
			mobile_id_guti(ue, id);
		break;
	case SEN_NAS_ID_IMEI:
		id->type = SEN_NAS_ID_IMEI;
		imei_of(ue->imeisv, id->digits);
		break;
	case SEN_NAS_ID_IMEISV:
		id->type = SEN_NAS_ID_IMEISV;
		strcpy(id->digits, ue->imeisv);
		break;
	default:
		break; /* 5.4.3.3: "no identity" for what the UE does not have */
	}
	sen_log_ue_info(UE_MOD, ue->tag, "Identity request (type %u)", type);
	return ue_send_mm(ue, &m);
}

/* ---- 5G AKA (5.4.1.3) ---- */

static int auth_failure(struct sen_ue *ue, uint8_t cause, const uint8_t *auts)
{
	struct sen_nas_msg m;
	int rc;

	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_FAILURE);
	m.authentication_failure.cause = cause;
	if (auts) {
		m.authentication_failure.has_auts = true;
		memcpy(m.authentication_failure.auts, auts, 14);
	}
	sen_log_ue_info(UE_MOD, ue->tag, "Authentication failure #%u", cause);
	rc = ue_send_mm(ue, &m);
	ue_event_simple(ue, SEN_UE_EV_AUTH_FAILED, cause);
	return rc;
}

static int auth_response(struct sen_ue *ue, const uint8_t res_star[16])
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_RESPONSE);
	m.authentication_response.has_res = true;
	memcpy(m.authentication_response.res, res_star, 16);
	return ue_send_mm(ue, &m);
}

static int h_auth_request(struct sen_ue *ue, const struct ue_mm_in *in)
{
	const struct sen_nas_authentication_request *a = &in->msg->authentication_request;
	uint8_t ngksi = a->ngksi & 7, res_star[16], kamf[32], auts[14];
	enum ue_aka_result result;
	int rc;

	if (!a->has_rand || !a->has_autn) {
		sen_log_ue_warn(UE_MOD, ue->tag, "EAP-AKA' is not supported by this UE");
		return -SEN_ENOTSUP;
	}
	if (ngksi == 7) { /* 9.11.3.32: "no key is available" is not for the network to send */
		ue_send_gmm_status(ue, SEN_NAS_CAUSE_INVALID_MANDATORY_INFO);
		return 0;
	}
	/* 5.4.1.3: a repeated challenge (the network's T3560 ran out): the stored RES* again */
	if (ue->have_rand && !memcmp(a->rand, ue->last_rand, 16) && ue->pend.valid &&
	    ue->pend.ngksi == ngksi) {
		sen_log_ue_info(UE_MOD, ue->tag, "Authentication request repeated: same RES*");
		return auth_response(ue, ue->last_res_star);
	}
	/* 5.4.1.3.7: the ngKSI is already associated with the current context (#71) */
	if (ue->cur.valid && ue->cur.ngksi == ngksi && !(a->ngksi & 8))
		return auth_failure(ue, 71, NULL);

	rc = ue_usim_authenticate(ue, a->rand, a->autn, a->abba.v, a->abba.len, res_star, kamf,
				  auts, &result);
	if (rc < 0) {
		sen_log_ue_error(UE_MOD, ue->tag, "USIM failure: %s", sen_strerror(rc));
		return rc;
	}
	switch (result) {
	case UE_AKA_MAC_FAILURE:
		return auth_failure(ue, 20, NULL);
	case UE_AKA_SYNCH_FAILURE:
		return auth_failure(ue, 21, auts);
	case UE_AKA_NON_5G:
		return auth_failure(ue, 26, NULL);
	case UE_AKA_OK:
		break;
	}
	/* a new partial native context, taken into use by Security Mode Command (5.4.2) */
	ue_sec_clear(&ue->pend);
	ue->pend.valid = true;
	ue->pend.ngksi = ngksi;
	memcpy(ue->pend.kamf, kamf, 32);
	memcpy(ue->last_rand, a->rand, 16);
	memcpy(ue->last_res_star, res_star, 16);
	ue->have_rand = true;
	OPENSSL_cleanse(kamf, sizeof(kamf));
	sen_log_ue_info(UE_MOD, ue->tag, "Authentication request: 5G AKA ok (ngKSI %u)", ngksi);
	return auth_response(ue, res_star);
}

static int h_auth_result(struct sen_ue *ue, const struct ue_mm_in *in)
{
	sen_log_ue_warn(UE_MOD, ue->tag, "Authentication result (EAP) is not supported");
	return -SEN_ENOTSUP;
}

/* 5.4.1.3.5: authentication not accepted by the network. */
static int h_auth_reject(struct sen_ue *ue, const struct ue_mm_in *in)
{
	struct sen_ue_event ev = {.type = SEN_UE_EV_AUTH_REJECTED};

	sen_log_ue_warn(UE_MOD, ue->tag, "Authentication reject");
	delete_identity_and_keys(ue);
	ue->reg_attempts = 5; /* the USIM is considered invalid */
	deregistered(ue, &ev);
	return 0;
}

/* ---- security mode control (5.4.2, TS 33.501 6.7.2) ---- */

static int smc_reject(struct sen_ue *ue, uint8_t cause)
{
	struct sen_nas_msg m;
	uint8_t plain[16];
	uint8_t sht = SEN_NAS_SHT_PLAIN;
	int n;

	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_REJECT);
	m.security_mode_reject.cause = cause;
	if ((n = sen_nas_encode(&m, plain, sizeof(plain))) < 0)
		return n;
	/* TS 33.501 6.7.2: protected with the previous context if there is one */
	if (ue->cur.valid && ue->cur.nas_ready)
		sht = ue->secure ? SEN_NAS_SHT_INTEGRITY_CIPHERED : SEN_NAS_SHT_INTEGRITY;
	sen_log_ue_warn(UE_MOD, ue->tag, "Security mode reject #%u", cause);
	n = ue_send_raw(ue, plain, (size_t)n, sht);
	ue_event_simple(ue, SEN_UE_EV_SECURITY_MODE_REJECTED, cause);
	return n;
}

static int h_security_mode_command(struct sen_ue *ue, const struct ue_mm_in *in)
{
	const struct sen_nas_security_mode_command *c = &in->msg->security_mode_command;
	uint8_t ngksi = c->ngksi & 7, ea = (c->algs >> 4) & 0x0f, ia = c->algs & 0x0f;
	struct ue_sec *base = NULL;
	struct sen_nas_sec_ctx nas;
	struct sen_nas_msg m;
	uint8_t scratch[UE_PDU_MAX], plain[UE_PDU_MAX];
	bool fresh = false;
	int n;

	if (ue->pend.valid && ue->pend.ngksi == ngksi && !(c->ngksi & 8)) {
		base = &ue->pend;
		fresh = true;
	} else if (ue->cur.valid && ue->cur.ngksi == ngksi) {
		base = &ue->cur;
	}
	if (!base) {
		sen_log_ue_warn(UE_MOD, ue->tag, "Security mode command for unknown ngKSI %u",
				ngksi);
		return smc_reject(ue, 24);
	}
	/* 5.4.2.3: algorithms the UE supports; 5G-IA0 only for emergency services */
	if (ea > 3 || ia > 3 || ia == 0 || !(ue->ea & SEN_NAS_ALG_BIT(ea)) ||
	    !(ue->ia & SEN_NAS_ALG_BIT(ia))) {
		sen_log_ue_warn(UE_MOD, ue->tag, "Security mode command selects 5G-EA%u/5G-IA%u",
				ea, ia);
		return smc_reject(ue, 24);
	}
	/* 5.4.2.3: the replayed UE security capabilities must be the ones the UE sent */
	if (c->replayed_ue_sec_cap.len != 2 || c->replayed_ue_sec_cap.ea != ue->ea ||
	    c->replayed_ue_sec_cap.ia != ue->ia) {
		sen_log_ue_warn(UE_MOD, ue->tag, "replayed UE security capabilities do not match");
		return smc_reject(ue, 23);
	}
	if (sen_nas_sec_init_kamf(&nas, base->kamf, ia, ea, SEN_NAS_ACCESS_3GPP, true) < 0)
		return smc_reject(ue, 24);
	if (!fresh && ue->cur.nas_ready) {
		nas.tx_count = ue->cur.nas.tx_count;
		nas.rx_count = ue->cur.nas.rx_count;
		nas.rx_any = ue->cur.nas.rx_any;
	}
	/* TS 33.501 6.7.2: check the MAC with the new context, else reject */
	n = sen_nas_unprotect(&nas, in->raw, in->raw_len, scratch, sizeof(scratch), NULL);
	if (n < 0) {
		sen_nas_sec_clear(&nas);
		sen_log_ue_warn(UE_MOD, ue->tag,
				"Security mode command: integrity check failed (%s)",
				sen_strerror(n));
		return smc_reject(ue, 24);
	}
	/* take the context into use */
	if (fresh) {
		ue_sec_clear(&ue->cur);
		ue->cur.valid = true;
		ue->cur.ngksi = ngksi;
		memcpy(ue->cur.kamf, ue->pend.kamf, 32);
		ue_sec_clear(&ue->pend);
	} else if (ue->cur.nas_ready) {
		sen_nas_sec_clear(&ue->cur.nas);
	}
	ue->cur.nas = nas;
	ue->cur.nas_ready = true;
	ue->secure = true;
	ue->have_rand = false;

	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMPLETE);
	struct sen_nas_security_mode_complete *k = &m.security_mode_complete;
	if (c->has_imeisv_request && (c->imeisv_request & 7) == 1) {
		k->has_imeisv = true;
		k->imeisv.type = SEN_NAS_ID_IMEISV;
		strcpy(k->imeisv.digits, ue->imeisv);
	}
	/* 4.4.6: the whole initial message after a cleartext-only one, or when asked (RINMR) */
	bool rinmr = c->has_additional_sec_info && (c->additional_sec_info & 0x02);
	if (ue->init_len && (ue->init_cleartext_only || rinmr)) {
		k->has_nas_container = true;
		k->nas_container = (struct sen_nas_bytes){ue->init_msg, ue->init_len};
	}
	if ((n = sen_nas_encode(&m, plain, sizeof(plain))) < 0)
		return n;
	ue->init_len = 0;
	sen_log_ue_info(UE_MOD, ue->tag, "Security mode complete (5G-EA%u, 5G-IA%u, ngKSI %u)", ea,
			ia, ngksi);
	return ue_send_raw(ue, plain, (size_t)n, SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX);
}

/* ---- de-registration (5.5.2) ---- */

static int send_dereg_request(struct sen_ue *ue)
{
	struct sen_nas_msg m;
	struct sen_nas_deregistration_request_ue_orig *d = &m.deregistration_request_ue_orig;
	int rc;

	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	/* 9.11.3.20: bit 4 switch off, bits 2..1 access type 01 = 3GPP */
	d->dereg_type = (uint8_t)((ue->dereg_switch_off ? 0x08 : 0x00) | 0x01);
	d->ngksi = current_ngksi(ue);
	if ((rc = mobile_id(ue, &d->mobile_id)) < 0)
		return rc;
	return ue_send_mm(ue, &m);
}

static int h_deregister(struct sen_ue *ue, const struct ue_mm_in *in)
{
	int rc;

	stop_mm_timers(ue);
	sen_log_ue_info(UE_MOD, ue->tag, "Deregistration request (%s)",
			ue->dereg_switch_off ? "switch off" : "normal");
	rc = send_dereg_request(ue);
	if (ue->dereg_switch_off) {
		/* 5.5.2.2.2: after a switch-off request the UE waits for nothing */
		struct sen_ue_event ev = {.type = SEN_UE_EV_DEREGISTERED, .switch_off = true};

		deregistered(ue, &ev);
		return rc;
	}
	ue->dereg_retries = 0;
	ue_mm_goto(ue, SEN_UE_MM_DEREGISTERED_INITIATED);
	ue_timer_start(ue, SEN_UE_T3521);
	return rc;
}

/* 5.5.2.2.6: retransmit on the first four expiries, abort on the fifth. */
static int h_t3521(struct sen_ue *ue, const struct ue_mm_in *in)
{
	if (++ue->dereg_retries < 5) {
		ue_timer_start(ue, SEN_UE_T3521);
		return send_dereg_request(ue);
	}
	struct sen_ue_event ev = {.type = SEN_UE_EV_DEREGISTERED};

	sen_log_ue_warn(UE_MOD, ue->tag, "no Deregistration accept: deregistered locally");
	deregistered(ue, &ev);
	return 0;
}

static int h_dereg_accept(struct sen_ue *ue, const struct ue_mm_in *in)
{
	struct sen_ue_event ev = {.type = SEN_UE_EV_DEREGISTERED};

	sen_log_ue_info(UE_MOD, ue->tag, "Deregistration accept");
	deregistered(ue, &ev);
	return 0;
}

/* 5.5.2.3: network-initiated de-registration. */
static int h_dereg_request_nw(struct sen_ue *ue, const struct ue_mm_in *in)
{
	const struct sen_nas_deregistration_request_ue_term *d =
	    &in->msg->deregistration_request_ue_term;
	struct sen_ue_event ev = {.type = SEN_UE_EV_DEREGISTERED, .by_network = true};
	struct sen_nas_msg m;
	int rc;

	ev.reregistration_required = d->dereg_type & 0x04; /* 9.11.3.20 bit 3 */
	ev.cause = d->has_cause ? d->cause : 0;
	sen_log_ue_info(UE_MOD, ue->tag, "network deregistration (cause #%u%s)", ev.cause,
			ev.reregistration_required ? ", re-registration required" : "");
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM);
	rc = ue_send_mm(ue, &m);
	/* 5.5.2.3.4: causes that invalidate the 5G-GUTI and the key set */
	if (d->has_cause && reject_deletes_identity(d->cause))
		delete_identity_and_keys(ue);
	deregistered(ue, &ev);
	return rc;
}

/* ---- generic UE configuration update (5.4.4) ---- */

static int h_config_update_command(struct sen_ue *ue, const struct ue_mm_in *in)
{
	const struct sen_nas_configuration_update_command *c =
	    &in->msg->configuration_update_command;
	struct sen_ue_event ev = {.type = SEN_UE_EV_CONFIG_UPDATED};
	struct sen_nas_msg m;
	int rc = 0;

	if (c->has_guti && c->guti.type == SEN_NAS_ID_GUTI) {
		ue->guti = c->guti.guti;
		ue->have_guti = true;
	}
	if (c->has_tai_list) {
		ue->tai_list = c->tai_list;
		ue->have_tai_list = true;
	}
	if (c->has_allowed_nssai)
		ue->allowed_nssai = c->allowed_nssai;
	/* 9.11.3.18: bit 1 acknowledgement requested, bit 2 registration requested */
	if (c->has_indication && (c->indication & 0x01)) {
		sen_nas_msg_init(&m, SEN_NAS_CONFIGURATION_UPDATE_COMPLETE);
		rc = ue_send_mm(ue, &m);
	}
	ev.reregistration_required = c->has_indication && (c->indication & 0x02);
	sen_log_ue_info(UE_MOD, ue->tag, "Configuration update command");
	ue_event(ue, &ev);
	return rc;
}

/* ---- service request (5.6.1) ---- */

static void fill_service_request(struct sen_ue *ue, struct sen_nas_msg *m, bool full)
{
	struct sen_nas_service_request *s = &m->service_request;
	uint16_t active = ue_sm_active_map(ue);

	sen_nas_msg_init(m, SEN_NAS_SERVICE_REQUEST);
	s->ngksi = current_ngksi(ue);
	s->service_type = ue->service_type;
	s->s_tmsi.type = SEN_NAS_ID_S_TMSI;
	s->s_tmsi.guti = ue->guti;
	if (full && active) {
		s->has_pdu_session_status = true;
		s->pdu_session_status = (struct sen_nas_psi_map){2, active};
		if (ue->service_type == 1) {
			s->has_ul_data_status = true;
			s->ul_data_status = (struct sen_nas_psi_map){2, active};
		}
	}
}

static int h_service_request(struct sen_ue *ue, const struct ue_mm_in *in)
{
	struct sen_nas_msg m;
	uint8_t full[256];
	int n, rc;

	fill_service_request(ue, &m, true);
	if ((n = sen_nas_encode(&m, full, sizeof(full))) < 0)
		return n;
	fill_service_request(ue, &m, false);
	sen_log_ue_info(UE_MOD, ue->tag, "Service request (type %u)", ue->service_type);
	rc = send_initial(ue, &m, &m.service_request.has_nas_container,
			  &m.service_request.nas_container, full, (size_t)n, ue_sm_active_map(ue));
	if (rc < 0)
		return rc;
	ue_mm_goto(ue, SEN_UE_MM_SERVICE_REQUEST_INITIATED);
	ue_timer_start(ue, SEN_UE_T3517);
	return 0;
}

static int h_service_accept(struct sen_ue *ue, const struct ue_mm_in *in)
{
	ue_timer_stop(ue, SEN_UE_T3517);
	ue->init_len = 0;
	ue_mm_goto(ue, SEN_UE_MM_REGISTERED);
	sen_log_ue_info(UE_MOD, ue->tag, "Service accept");
	ue_event_simple(ue, SEN_UE_EV_SERVICE_ACCEPTED, 0);
	return 0;
}

/* 5.6.1.5 */
static int h_service_reject(struct sen_ue *ue, const struct ue_mm_in *in)
{
	uint8_t cause = in->msg->service_reject.cause;
	struct sen_ue_event ev = {.type = SEN_UE_EV_SERVICE_REJECTED, .cause = cause};

	ue_timer_stop(ue, SEN_UE_T3517);
	ue->init_len = 0;
	sen_log_ue_info(UE_MOD, ue->tag, "Service reject #%u", cause);
	if (reject_deletes_identity(cause)) {
		delete_identity_and_keys(ue);
		deregistered(ue, &ev);
		return 0;
	}
	ue_mm_goto(ue, SEN_UE_MM_REGISTERED);
	ue_event(ue, &ev);
	return 0;
}

/* 5.6.1.7: T3517 expired: the procedure is aborted. */
static int h_t3517(struct sen_ue *ue, const struct ue_mm_in *in)
{
	ue->init_len = 0;
	ue_mm_goto(ue, SEN_UE_MM_REGISTERED);
	ue_event_simple(ue, SEN_UE_EV_SERVICE_REJECTED, 0);
	return 0;
}

/* ---- the rest ---- */

/* Lower layers released the connection: 5.5.1.2.7, 5.6.1.7, 5.5.2.2.6. */
static int h_conn_release(struct sen_ue *ue, const struct ue_mm_in *in)
{
	struct sen_ue_event ev = {0};

	ue->init_len = 0;
	switch (ue->mm) {
	case SEN_UE_MM_REGISTERED_INITIATED:
		ue_timer_stop(ue, SEN_UE_T3510);
		ue_mm_goto(ue, SEN_UE_MM_DEREGISTERED);
		ue_event_simple(ue, SEN_UE_EV_REGISTRATION_FAILED, 0);
		break;
	case SEN_UE_MM_SERVICE_REQUEST_INITIATED:
		ue_timer_stop(ue, SEN_UE_T3517);
		ue_mm_goto(ue, SEN_UE_MM_REGISTERED);
		ue_event_simple(ue, SEN_UE_EV_SERVICE_REJECTED, 0);
		break;
	case SEN_UE_MM_DEREGISTERED_INITIATED:
		ev.type = SEN_UE_EV_DEREGISTERED;
		deregistered(ue, &ev);
		break;
	default:
		break;
	}
	return 0;
}

static int h_gmm_status(struct sen_ue *ue, const struct ue_mm_in *in)
{
	uint8_t cause = in->msg->gmm_status.cause;

	sen_log_ue_warn(UE_MOD, ue->tag, "5GMM STATUS #%u from the network", cause);
	ue_event_simple(ue, SEN_UE_EV_STATUS, cause);
	return 0;
}

static int h_dl_nas_transport(struct sen_ue *ue, const struct ue_mm_in *in)
{
	return ue_sm_dl_transport(ue, &in->msg->dl_nas_transport);
}

static int h_notification(struct sen_ue *ue, const struct ue_mm_in *in)
{
	sen_log_ue_info(UE_MOD, ue->tag, "Notification (non-3GPP access) is not supported");
	return -SEN_ENOTSUP;
}

const ue_mm_handler ue_mm_handlers[MM_EV_N] = {
    [MM_EV_REGISTER] = h_register,
    [MM_EV_DEREGISTER] = h_deregister,
    [MM_EV_SERVICE_REQUEST] = h_service_request,
    [MM_EV_CONN_RELEASE] = h_conn_release,
    [MM_EV_T3510] = h_t3510,
    [MM_EV_T3511] = h_t3511,
    [MM_EV_T3517] = h_t3517,
    [MM_EV_T3521] = h_t3521,
    [MM_EV_IDENTITY_REQUEST] = h_identity_request,
    [MM_EV_AUTH_REQUEST] = h_auth_request,
    [MM_EV_AUTH_RESULT] = h_auth_result,
    [MM_EV_AUTH_REJECT] = h_auth_reject,
    [MM_EV_SECURITY_MODE_COMMAND] = h_security_mode_command,
    [MM_EV_REGISTRATION_ACCEPT] = h_registration_accept,
    [MM_EV_REGISTRATION_REJECT] = h_registration_reject,
    [MM_EV_DEREG_REQUEST_NW] = h_dereg_request_nw,
    [MM_EV_DEREG_ACCEPT] = h_dereg_accept,
    [MM_EV_CONFIG_UPDATE_COMMAND] = h_config_update_command,
    [MM_EV_DL_NAS_TRANSPORT] = h_dl_nas_transport,
    [MM_EV_SERVICE_ACCEPT] = h_service_accept,
    [MM_EV_SERVICE_REJECT] = h_service_reject,
    [MM_EV_GMM_STATUS] = h_gmm_status,
    [MM_EV_NOTIFICATION] = h_notification,
};
