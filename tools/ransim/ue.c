/*
 * sen-ransim UE: the object, its output (uplink PDUs and events), the NAS security path and
 * the timers. The 5GMM procedures are in ue_mm.c, 5GSM in ue_sm.c, the USIM in ue_usim.c.
 *
 * Downlink path (sen_ue_deliver), TS 24.501 4.4.4.2 and clause 7:
 *   1. too short, not 5GMM at the top level (5GSM only travels in DL NAS Transport), an
 *      unknown security header type: ignored (7.2, 7.3);
 *   2. protected (header types 1, 2): checked and deciphered with the current 5G NAS
 *      security context; a MAC that does not verify or a replayed NAS COUNT drops the
 *      message (TS 33.501 6.4.3.2); a verified message establishes the secure exchange
 *      of NAS messages for this connection;
 *   3. header type 3 is only for Security Mode Command, checked by its handler with the
 *      new context (5.4.2.3);
 *   4. plain: dropped once the secure exchange is established; before it, only the
 *      messages 4.4.4.2 lists are processed;
 *   5. decoded; an unknown or uplink-only message type is answered with 5GMM STATUS #97,
 *      invalid mandatory information with #96 (7.4, 7.5); then the 5GMM state table
 *      decides (a message the state does not expect: 5GMM STATUS #98).
 *
 * Uplink: a message sent while 5GMM-IDLE is the initial NAS message of a new connection
 * (SEN_UE_UL_INITIAL). With a security context, messages are integrity protected and,
 * once the secure exchange is established, ciphered too (4.4.5).
 */
#include "ue_int.h"

#include "core/err.h"
#include "core/log.h"
#include "crypto/kdf.h"
#include "crypto/milenage.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* TS 24.501 10.2: T3510 15 s, T3511 10 s, T3517 15 s, T3521 15 s; 10.3: T3580, T3582 16 s */
static const uint32_t timer_default_ms[SEN_UE_TIMER_N] = {15000, 10000, 15000, 15000, 16000, 16000};
static const char *const timer_names[SEN_UE_TIMER_N] = {"T3510", "T3511", "T3517",
							"T3521", "T3580", "T3582"};

/* ---- names ---- */

const char *sen_ue_mm_state_name(enum sen_ue_mm_state s)
{
	static const char *const names[SEN_UE_MM_STATE_N] = {
	    "5GMM-DEREGISTERED", "5GMM-REGISTERED-INITIATED", "5GMM-REGISTERED",
	    "5GMM-DEREGISTERED-INITIATED", "5GMM-SERVICE-REQUEST-INITIATED"};

	return (unsigned)s < SEN_UE_MM_STATE_N ? names[s] : "?";
}

const char *sen_ue_event_name(enum sen_ue_event_type t)
{
	switch (t) {
	case SEN_UE_EV_REGISTERED:
		return "registered";
	case SEN_UE_EV_REGISTRATION_FAILED:
		return "registration failed";
	case SEN_UE_EV_REJECTED:
		return "registration rejected";
	case SEN_UE_EV_AUTH_FAILED:
		return "authentication failed";
	case SEN_UE_EV_AUTH_REJECTED:
		return "authentication rejected";
	case SEN_UE_EV_SECURITY_MODE_REJECTED:
		return "security mode rejected";
	case SEN_UE_EV_DEREGISTERED:
		return "deregistered";
	case SEN_UE_EV_SERVICE_ACCEPTED:
		return "service accepted";
	case SEN_UE_EV_SERVICE_REJECTED:
		return "service rejected";
	case SEN_UE_EV_CONFIG_UPDATED:
		return "configuration updated";
	case SEN_UE_EV_STATUS:
		return "5GMM status";
	case SEN_UE_EV_SESSION_ESTABLISHED:
		return "session established";
	case SEN_UE_EV_SESSION_REJECTED:
		return "session rejected";
	case SEN_UE_EV_SESSION_RELEASED:
		return "session released";
	case SEN_UE_EV_SESSION_MODIFIED:
		return "session modified";
	case SEN_UE_EV_SESSION_FAILED:
		return "session failed";
	case SEN_UE_EV_DL_DROPPED:
		return "downlink dropped";
	case SEN_UE_EV_SESSION_RELEASE_REJECTED:
		return "session release rejected";
	}
	return "?";
}

static const char *drop_name(enum sen_ue_drop d)
{
	static const char *const names[] = {"none",	  "malformed",	 "MAC failure",
					    "replay",	  "unprotected", "no security context",
					    "unsupported"};

	return (unsigned)d < sizeof(names) / sizeof(names[0]) ? names[d] : "?";
}

/* ---- output ---- */

void ue_event(struct sen_ue *ue, const struct sen_ue_event *ev)
{
	sen_log_ue_debug(UE_MOD, ue->tag, "event: %s (cause %u, psi %u)",
			 sen_ue_event_name(ev->type), ev->cause, ev->psi);
	if (ue->on_event) {
		ue->on_event(ue, ev, ue->arg);
		return;
	}
	if (ue->evq_n == UE_EVQ_N) {
		sen_log_ue_warn(UE_MOD, ue->tag, "event queue full: oldest event lost");
		ue->evq_head = (ue->evq_head + 1) % UE_EVQ_N;
		ue->evq_n--;
	}
	ue->evq[(ue->evq_head + ue->evq_n) % UE_EVQ_N] = *ev;
	ue->evq_n++;
}

void ue_event_simple(struct sen_ue *ue, enum sen_ue_event_type type, uint8_t cause)
{
	struct sen_ue_event ev = {.type = type, .cause = cause};

	ue_event(ue, &ev);
}

static int drop(struct sen_ue *ue, enum sen_ue_drop why, int rc, const char *what)
{
	struct sen_ue_event ev = {.type = SEN_UE_EV_DL_DROPPED, .drop = why};

	sen_log_ue_warn(UE_MOD, ue->tag, "downlink %s dropped: %s", what, drop_name(why));
	ue_event(ue, &ev);
	return rc;
}

static int output(struct sen_ue *ue, const uint8_t *pdu, size_t len)
{
	unsigned flags = ue->connected ? 0 : SEN_UE_UL_INITIAL;
	uint8_t *copy;

	ue->connected = true;
	if (ue->tx) {
		ue->tx(ue, pdu, len, flags, ue->arg);
		return 0;
	}
	if (!(copy = malloc(len)))
		return -SEN_ENOMEM;
	memcpy(copy, pdu, len);
	if (ue->ulq_n == UE_ULQ_N) {
		sen_log_ue_warn(UE_MOD, ue->tag, "uplink queue full: oldest PDU lost");
		free(ue->ulq[ue->ulq_head].pdu);
		ue->ulq_head = (ue->ulq_head + 1) % UE_ULQ_N;
		ue->ulq_n--;
	}
	ue->ulq[(ue->ulq_head + ue->ulq_n) % UE_ULQ_N] = (struct ue_ul){copy, len, flags};
	ue->ulq_n++;
	return 0;
}

int ue_send_raw(struct sen_ue *ue, const uint8_t *plain, size_t len, uint8_t sht)
{
	uint8_t out[UE_PDU_MAX + SEN_NAS_SEC_OVERHEAD];
	int n;

	if (sht == SEN_NAS_SHT_PLAIN)
		return output(ue, plain, len);
	if (!ue->cur.valid || !ue->cur.nas_ready)
		return -SEN_ENOENT;
	n = sen_nas_protect(&ue->cur.nas, sht, plain, len, out, sizeof(out));
	if (n < 0) {
		sen_log_ue_error(UE_MOD, ue->tag, "cannot protect uplink: %s", sen_strerror(n));
		return n;
	}
	return output(ue, out, (size_t)n);
}

int sen_ue_send_protected_raw(struct sen_ue *ue, const uint8_t *plain, size_t len)
{
	if (!ue->connected || !len || len > UE_PDU_MAX)
		return -SEN_EINVAL;
	sen_log_ue_info(UE_MOD, ue->tag, "UL injected protected NAS (%zu octets)", len);
	return ue_send_raw(ue, plain, len, SEN_NAS_SHT_INTEGRITY_CIPHERED);
}

int ue_send_mm(struct sen_ue *ue, const struct sen_nas_msg *m)
{
	uint8_t plain[UE_PDU_MAX];
	uint8_t sht = SEN_NAS_SHT_PLAIN;
	int n = sen_nas_encode(m, plain, sizeof(plain));

	if (n < 0) {
		sen_log_ue_error(UE_MOD, ue->tag, "cannot encode %s: %s",
				 sen_nas_msg_name(m->epd, m->type), sen_strerror(n));
		return n;
	}
	/*
	 * 4.4.5: ciphered once the secure exchange is established; an initial message from
	 * 5GMM-IDLE with a valid context is integrity protected (4.4.6); before the network
	 * has shown it holds the context on this connection, answers go plain.
	 */
	if (ue->cur.valid && ue->cur.nas_ready) {
		if (ue->secure)
			sht = SEN_NAS_SHT_INTEGRITY_CIPHERED;
		else if (!ue->connected)
			sht = SEN_NAS_SHT_INTEGRITY;
	}
	sen_log_ue_debug(UE_MOD, ue->tag, "UL %s (security header type %u)",
			 sen_nas_msg_name(m->epd, m->type), sht);
	return ue_send_raw(ue, plain, (size_t)n, sht);
}

int ue_send_gmm_status(struct sen_ue *ue, uint8_t cause)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_5GMM_STATUS);
	m.gmm_status.cause = cause;
	sen_log_ue_info(UE_MOD, ue->tag, "sending 5GMM STATUS #%u", cause);
	return ue_send_mm(ue, &m);
}

int sen_ue_uplink_pop(struct sen_ue *ue, uint8_t *out, size_t cap, unsigned *flags)
{
	struct ue_ul *u;
	size_t len;

	if (!ue->ulq_n)
		return 0;
	u = &ue->ulq[ue->ulq_head];
	if (u->len > cap)
		return -SEN_EMSGSIZE;
	len = u->len;
	memcpy(out, u->pdu, len);
	if (flags)
		*flags = u->flags;
	free(u->pdu);
	u->pdu = NULL;
	ue->ulq_head = (ue->ulq_head + 1) % UE_ULQ_N;
	ue->ulq_n--;
	return (int)len;
}

bool sen_ue_event_pop(struct sen_ue *ue, struct sen_ue_event *ev)
{
	if (!ue->evq_n)
		return false;
	*ev = ue->evq[ue->evq_head];
	ue->evq_head = (ue->evq_head + 1) % UE_EVQ_N;
	ue->evq_n--;
	return true;
}

/* ---- timers ---- */

static struct sen_timer *mm_timer(struct sen_ue *ue, enum sen_ue_timer t)
{
	switch (t) {
	case SEN_UE_T3510:
		return &ue->t3510;
	case SEN_UE_T3511:
		return &ue->t3511;
	case SEN_UE_T3517:
		return &ue->t3517;
	case SEN_UE_T3521:
		return &ue->t3521;
	default:
		return NULL;
	}
}

static const enum ue_mm_ev mm_timer_ev[] = {[SEN_UE_T3510] = MM_EV_T3510,
					    [SEN_UE_T3511] = MM_EV_T3511,
					    [SEN_UE_T3517] = MM_EV_T3517,
					    [SEN_UE_T3521] = MM_EV_T3521};

void ue_timer_start(struct sen_ue *ue, enum sen_ue_timer t)
{
	ue->t_on[t] = true;
	if (ue->loop && sen_timer_start(mm_timer(ue, t), ue->timer_ms[t]) < 0)
		sen_log_ue_error(UE_MOD, ue->tag, "cannot start %s", timer_names[t]);
}

void ue_timer_stop(struct sen_ue *ue, enum sen_ue_timer t)
{
	ue->t_on[t] = false;
	if (ue->loop)
		sen_timer_stop(mm_timer(ue, t));
}

void ue_sess_timer_start(struct ue_session *s, enum sen_ue_timer t)
{
	struct sen_ue *ue = s->ue;

	if (t == SEN_UE_T3580)
		s->t3580_on = true;
	else
		s->t3582_on = true;
	if (ue->loop &&
	    sen_timer_start(t == SEN_UE_T3580 ? &s->t3580 : &s->t3582, ue->timer_ms[t]) < 0)
		sen_log_ue_error(UE_MOD, ue->tag, "cannot start %s", timer_names[t]);
}

void ue_sess_timer_stop(struct ue_session *s, enum sen_ue_timer t)
{
	if (t == SEN_UE_T3580)
		s->t3580_on = false;
	else
		s->t3582_on = false;
	if (s->ue->loop)
		sen_timer_stop(t == SEN_UE_T3580 ? &s->t3580 : &s->t3582);
}

bool sen_ue_timer_running(const struct sen_ue *ue, enum sen_ue_timer t, uint8_t psi)
{
	if ((unsigned)t >= SEN_UE_TIMER_N)
		return false;
	if (t == SEN_UE_T3580 || t == SEN_UE_T3582) {
		if (psi < 1 || psi >= UE_PSI_N)
			return false;
		return t == SEN_UE_T3580 ? ue->sess[psi].t3580_on : ue->sess[psi].t3582_on;
	}
	return ue->t_on[t];
}

static void expire(struct sen_ue *ue, enum sen_ue_timer t, uint8_t psi)
{
	sen_log_ue_info(UE_MOD, ue->tag, "%s expired", timer_names[t]);
	if (t == SEN_UE_T3580 || t == SEN_UE_T3582) {
		struct ue_session *s = &ue->sess[psi];

		ue_sess_timer_stop(s, t);
		ue_sm_dispatch(s, t == SEN_UE_T3580 ? SM_EV_T3580 : SM_EV_T3582, NULL);
		return;
	}
	ue_timer_stop(ue, t);
	ue_mm_dispatch(ue, mm_timer_ev[t], NULL);
}

int sen_ue_timer_expire(struct sen_ue *ue, enum sen_ue_timer t, uint8_t psi)
{
	if ((unsigned)t >= SEN_UE_TIMER_N)
		return -SEN_EINVAL;
	if ((t == SEN_UE_T3580 || t == SEN_UE_T3582) && (psi < 1 || psi >= UE_PSI_N))
		return -SEN_EINVAL;
	if (!sen_ue_timer_running(ue, t, psi))
		return -SEN_ENOENT;
	expire(ue, t, psi);
	return 0;
}

static void on_mm_timer(struct sen_loop *loop, struct sen_timer *timer, void *arg)
{
	struct sen_ue *ue = arg;

	for (unsigned t = SEN_UE_T3510; t <= SEN_UE_T3521; t++)
		if (timer == mm_timer(ue, t)) {
			expire(ue, t, 0);
			return;
		}
}

static void on_sess_timer(struct sen_loop *loop, struct sen_timer *timer, void *arg)
{
	struct ue_session *s = arg;

	expire(s->ue, timer == &s->t3580 ? SEN_UE_T3580 : SEN_UE_T3582, s->psi);
}

/* ---- lifecycle ---- */

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int config_identity(struct sen_ue *ue, const struct sen_ue_config *cfg)
{
	const char *imsi = cfg->supi;
	size_t plmn_len;

	if (imsi && !strncmp(imsi, "imsi-", 5))
		imsi += 5;
	if (!all_digits(imsi, 6, 15) || !all_digits(cfg->mcc, 3, 3) || !all_digits(cfg->mnc, 2, 3))
		return -SEN_EINVAL;
	strcpy(ue->mcc, cfg->mcc);
	strcpy(ue->mnc, cfg->mnc);
	plmn_len = strlen(ue->mcc) + strlen(ue->mnc);
	if (strncmp(imsi, ue->mcc, 3) || strncmp(imsi + 3, ue->mnc, strlen(ue->mnc)) ||
	    strlen(imsi) - plmn_len > 10 || strlen(imsi) == plmn_len)
		return -SEN_EINVAL;
	snprintf(ue->supi, sizeof(ue->supi), "imsi-%s", imsi);
	strcpy(ue->msin, imsi + plmn_len);
	if (cfg->serving_mcc || cfg->serving_mnc) {
		if (!all_digits(cfg->serving_mcc, 3, 3) || !all_digits(cfg->serving_mnc, 2, 3))
			return -SEN_EINVAL;
		if (sen_kdf_snn(cfg->serving_mcc, cfg->serving_mnc, ue->snn, sizeof(ue->snn)) < 0)
			return -SEN_EINVAL;
	} else if (sen_kdf_snn(ue->mcc, ue->mnc, ue->snn, sizeof(ue->snn)) < 0) {
		return -SEN_EINVAL;
	}
	if (cfg->imeisv) {
		if (!all_digits(cfg->imeisv, 16, 16))
			return -SEN_EINVAL;
		strcpy(ue->imeisv, cfg->imeisv);
	} else {
		/* TAC 35000000, serial from the IMSI's last 6 digits, SVN 01 */
		snprintf(ue->imeisv, sizeof(ue->imeisv), "35000000%06lu01",
			 strtoul(imsi + (strlen(imsi) > 6 ? strlen(imsi) - 6 : 0), NULL, 10));
	}
	sen_log_ue_tag(ue->tag, sizeof(ue->tag), ue->supi, -1, -1);
	return 0;
}

static int config_security(struct sen_ue *ue, const struct sen_ue_config *cfg)
{
	const char *ri = cfg->routing_indicator ? cfg->routing_indicator : "0";
	int rc;

	memcpy(ue->k, cfg->k, 16);
	if (cfg->op_is_opc)
		memcpy(ue->opc, cfg->op, 16);
	else if ((rc = sen_milenage_opc(cfg->k, cfg->op, ue->opc)) < 0)
		return rc;
	if (!all_digits(ri, 1, 4))
		return -SEN_EINVAL;
	strcpy(ue->routing, ri);
	ue->suci_scheme = cfg->suci_scheme;
	ue->hn_key_id = cfg->hn_key_id;
	switch (cfg->suci_scheme) {
	case SEN_SUCI_NULL:
		break;
	case SEN_SUCI_PROFILE_A:
		if (!cfg->hn_pub || cfg->hn_pub_len != 32)
			return -SEN_EINVAL;
		break;
	case SEN_SUCI_PROFILE_B:
		if (!cfg->hn_pub || (cfg->hn_pub_len != 33 && cfg->hn_pub_len != 65))
			return -SEN_EINVAL;
		break;
	default:
		return -SEN_EINVAL;
	}
	if (cfg->hn_pub && cfg->suci_scheme != SEN_SUCI_NULL) {
		memcpy(ue->hn_pub, cfg->hn_pub, cfg->hn_pub_len);
		ue->hn_pub_len = cfg->hn_pub_len;
	}
	/* default capabilities: 5G-EA0..3, 5G-IA1..3 */
	ue->ea = cfg->ea ? cfg->ea : 0xf0;
	ue->ia = cfg->ia ? cfg->ia : 0x70;
	ue_usim_init_sqn(ue, cfg->sqn);
	return 0;
}

int sen_ue_new(const struct sen_ue_config *cfg, struct sen_ue **out)
{
	struct sen_ue *ue;
	int rc;

	if (!cfg || !out)
		return -SEN_EINVAL;
	if (!(ue = calloc(1, sizeof(*ue))))
		return -SEN_ENOMEM;
	if ((rc = config_identity(ue, cfg)) < 0 || (rc = config_security(ue, cfg)) < 0)
		goto fail;
	rc = -SEN_EINVAL;
	if (cfg->requested_nssai.n > SEN_NAS_NSSAI_MAX)
		goto fail;
	ue->requested_nssai = cfg->requested_nssai;
	if (cfg->dnn) {
		if (strlen(cfg->dnn) > SEN_NAS_DNN_MAX)
			goto fail;
		strcpy(ue->dnn, cfg->dnn);
	}
	ue->pdu_type = cfg->pdu_type ? cfg->pdu_type : SEN_NAS_PDU_IPV4;
	if (ue->pdu_type != SEN_NAS_PDU_IPV4 && ue->pdu_type != SEN_NAS_PDU_IPV6 &&
	    ue->pdu_type != SEN_NAS_PDU_IPV4V6)
		goto fail;
	ue->loop = cfg->loop;
	for (unsigned t = 0; t < SEN_UE_TIMER_N; t++)
		ue->timer_ms[t] = cfg->timer_ms[t] ? cfg->timer_ms[t] : timer_default_ms[t];
	ue->tx = cfg->tx;
	ue->on_event = cfg->on_event;
	ue->arg = cfg->arg;
	ue->mm = SEN_UE_MM_DEREGISTERED;
	ue->next_pti = 1;
	for (unsigned i = 0; i < UE_PSI_N; i++) {
		ue->sess[i].ue = ue;
		ue->sess[i].psi = (uint8_t)i;
	}
	if (ue->loop) {
		sen_timer_init(&ue->t3510, ue->loop, on_mm_timer, ue);
		sen_timer_init(&ue->t3511, ue->loop, on_mm_timer, ue);
		sen_timer_init(&ue->t3517, ue->loop, on_mm_timer, ue);
		sen_timer_init(&ue->t3521, ue->loop, on_mm_timer, ue);
		for (unsigned i = 1; i < UE_PSI_N; i++) {
			sen_timer_init(&ue->sess[i].t3580, ue->loop, on_sess_timer, &ue->sess[i]);
			sen_timer_init(&ue->sess[i].t3582, ue->loop, on_sess_timer, &ue->sess[i]);
		}
	}
	sen_log_ue_debug(UE_MOD, ue->tag, "UE created (SUCI scheme %u, SNN %s)", ue->suci_scheme,
			 ue->snn);
	*out = ue;
	return 0;
fail:
	OPENSSL_cleanse(ue, sizeof(*ue));
	free(ue);
	return rc;
}

void ue_sec_clear(struct ue_sec *s)
{
	if (s->nas_ready)
		sen_nas_sec_clear(&s->nas);
	OPENSSL_cleanse(s, sizeof(*s));
}

void sen_ue_free(struct sen_ue *ue)
{
	if (!ue)
		return;
	if (ue->loop) {
		for (unsigned t = SEN_UE_T3510; t <= SEN_UE_T3521; t++)
			sen_timer_stop(mm_timer(ue, t));
		for (unsigned i = 1; i < UE_PSI_N; i++) {
			sen_timer_stop(&ue->sess[i].t3580);
			sen_timer_stop(&ue->sess[i].t3582);
		}
	}
	while (ue->ulq_n) {
		free(ue->ulq[ue->ulq_head].pdu);
		ue->ulq_head = (ue->ulq_head + 1) % UE_ULQ_N;
		ue->ulq_n--;
	}
	ue_sec_clear(&ue->cur);
	ue_sec_clear(&ue->pend);
	OPENSSL_cleanse(ue, sizeof(*ue));
	free(ue);
}

/* ---- downlink ---- */

/* 5GMM event of a downlink message type; MM_EV_N for types the UE never receives. */
static enum ue_mm_ev mm_event_of(uint8_t type)
{
	switch (type) {
	case SEN_NAS_IDENTITY_REQUEST:
		return MM_EV_IDENTITY_REQUEST;
	case SEN_NAS_AUTHENTICATION_REQUEST:
		return MM_EV_AUTH_REQUEST;
	case SEN_NAS_AUTHENTICATION_RESULT:
		return MM_EV_AUTH_RESULT;
	case SEN_NAS_AUTHENTICATION_REJECT:
		return MM_EV_AUTH_REJECT;
	case SEN_NAS_SECURITY_MODE_COMMAND:
		return MM_EV_SECURITY_MODE_COMMAND;
	case SEN_NAS_REGISTRATION_ACCEPT:
		return MM_EV_REGISTRATION_ACCEPT;
	case SEN_NAS_REGISTRATION_REJECT:
		return MM_EV_REGISTRATION_REJECT;
	case SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM:
		return MM_EV_DEREG_REQUEST_NW;
	case SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG:
		return MM_EV_DEREG_ACCEPT;
	case SEN_NAS_CONFIGURATION_UPDATE_COMMAND:
		return MM_EV_CONFIG_UPDATE_COMMAND;
	case SEN_NAS_DL_NAS_TRANSPORT:
		return MM_EV_DL_NAS_TRANSPORT;
	case SEN_NAS_SERVICE_ACCEPT:
		return MM_EV_SERVICE_ACCEPT;
	case SEN_NAS_SERVICE_REJECT:
		return MM_EV_SERVICE_REJECT;
	case SEN_NAS_5GMM_STATUS:
		return MM_EV_GMM_STATUS;
	case SEN_NAS_NOTIFICATION:
		return MM_EV_NOTIFICATION;
	default:
		return MM_EV_N;
	}
}

/*
 * TS 24.501 4.4.4.2: the messages the UE processes without integrity protection before
 * the secure exchange of NAS messages is established. `m` may be NULL when the message did
 * not decode; then only its type is judged.
 */
static bool plain_allowed(uint8_t type, const struct sen_nas_msg *m)
{
	switch (type) {
	case SEN_NAS_IDENTITY_REQUEST:
		return !m || m->identity_request.identity_type == SEN_NAS_ID_SUCI;
	case SEN_NAS_AUTHENTICATION_REQUEST:
	case SEN_NAS_AUTHENTICATION_RESULT:
	case SEN_NAS_AUTHENTICATION_REJECT:
	case SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG:
		return true;
	case SEN_NAS_REGISTRATION_REJECT:
		return !m ||
		       (m->registration_reject.cause != 76 && m->registration_reject.cause != 78);
	case SEN_NAS_SERVICE_REJECT:
		return !m || (m->service_reject.cause != 76 && m->service_reject.cause != 78);
	default:
		return false;
	}
}

int sen_ue_deliver(struct sen_ue *ue, const uint8_t *dl, size_t len)
{
	uint8_t plain[UE_PDU_MAX];
	const uint8_t *p = dl;
	size_t plen = len;
	struct sen_nas_sec_hdr hdr;
	struct sen_nas_msg m;
	struct sen_nas_error err;
	uint8_t sht;
	bool verified = false;
	int rc;

	if (!dl || len < 3)
		return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "message"); /* 7.2 */
	if (dl[0] != SEN_NAS_EPD_5GMM)
		return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "message"); /* 7.3 */
	sht = dl[1] & 0x0f;
	switch (sht) {
	case SEN_NAS_SHT_PLAIN:
		/* 4.4.4.2: after the secure exchange, nothing unprotected is processed */
		if (ue->secure)
			return drop(ue, SEN_UE_DROP_UNPROTECTED, -SEN_EAUTH,
				    sen_nas_msg_name(SEN_NAS_EPD_5GMM, dl[2]) ?: "message");
		break;
	case SEN_NAS_SHT_INTEGRITY_NEW_CTX:
		/* only Security Mode Command; its handler checks the MAC with the new context */
		if (sen_nas_sec_parse(dl, len, &hdr) < 0 || hdr.payload[0] != SEN_NAS_EPD_5GMM ||
		    (hdr.payload[1] & 0x0f) != 0 || hdr.payload[2] != SEN_NAS_SECURITY_MODE_COMMAND)
			return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "message");
		p = hdr.payload;
		plen = hdr.payload_len;
		break;
	case SEN_NAS_SHT_INTEGRITY:
	case SEN_NAS_SHT_INTEGRITY_CIPHERED:
		if (!ue->cur.valid || !ue->cur.nas_ready)
			return drop(ue, SEN_UE_DROP_NO_CONTEXT, -SEN_ENOENT, "protected message");
		rc = sen_nas_unprotect(&ue->cur.nas, dl, len, plain, sizeof(plain), &hdr);
		if (rc == -SEN_EAUTH)
			return drop(ue, SEN_UE_DROP_MAC, rc, "protected message");
		if (rc == -SEN_EEXIST)
			return drop(ue, SEN_UE_DROP_REPLAY, rc, "protected message");
		if (rc < 0)
			return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "protected message");
		/* a verified message: the network uses the context, so the secure exchange of
		   NAS messages is established for this connection (4.4.4.2) */
		ue->secure = true;
		verified = true;
		p = plain;
		plen = (size_t)rc;
		if (plen < 3 || p[0] != SEN_NAS_EPD_5GMM || (p[1] & 0x0f) != 0)
			return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "inner message");
		break;
	default:
		return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "message");
	}

	rc = sen_nas_decode(p, plen, &m, &err);
	if (rc < 0) {
		if (err.fault == SEN_NAS_FAULT_TOO_SHORT || err.fault == SEN_NAS_FAULT_EPD ||
		    !err.cause)
			return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, err.msg);
		if (!verified && sht == SEN_NAS_SHT_PLAIN && !plain_allowed(err.msg_type, NULL))
			return drop(ue, SEN_UE_DROP_UNPROTECTED, -SEN_EAUTH, err.msg);
		sen_log_ue_warn(UE_MOD, ue->tag, "bad %s: %s %s (cause #%u)", err.msg, err.ie,
				err.problem, err.cause);
		ue_send_gmm_status(ue, err.cause); /* 7.4, 7.5 */
		return 0;
	}
	if (sht == SEN_NAS_SHT_PLAIN && !plain_allowed(m.type, &m))
		return drop(ue, SEN_UE_DROP_UNPROTECTED, -SEN_EAUTH,
			    sen_nas_msg_name(m.epd, m.type));
	enum ue_mm_ev ev = mm_event_of(m.type);
	if (ev == MM_EV_N) {
		/* 7.4: not a message type the network sends */
		sen_log_ue_warn(UE_MOD, ue->tag, "unexpected downlink %s",
				sen_nas_msg_name(m.epd, m.type) ?: "?");
		ue_send_gmm_status(ue, SEN_NAS_CAUSE_MSG_TYPE_NONEXISTENT);
		return 0;
	}
	if (ev == MM_EV_SECURITY_MODE_COMMAND && sht != SEN_NAS_SHT_INTEGRITY_NEW_CTX)
		return drop(ue, SEN_UE_DROP_MALFORMED, -SEN_EPROTO, "Security mode command");
	sen_log_ue_debug(UE_MOD, ue->tag, "DL %s (security header type %u)",
			 sen_nas_msg_name(m.epd, m.type), sht);
	struct ue_mm_in in = {.msg = &m, .raw = dl, .raw_len = len};
	rc = ue_mm_dispatch(ue, ev, &in);
	/* handlers return -SEN_ENOTSUP / -SEN_EPROTO for content they cannot act on */
	if (rc == -SEN_ENOTSUP)
		return drop(ue, SEN_UE_DROP_UNSUPPORTED, rc, sen_nas_msg_name(m.epd, m.type));
	if (rc == -SEN_EPROTO)
		return drop(ue, SEN_UE_DROP_MALFORMED, rc, sen_nas_msg_name(m.epd, m.type));
	return 0;
}

/* ---- API entry points into the state machines ---- */

int sen_ue_register(struct sen_ue *ue)
{
	if (ue->mm != SEN_UE_MM_DEREGISTERED)
		return -SEN_EINVAL;
	ue->reg_attempts = 0;
	return ue_mm_dispatch(ue, MM_EV_REGISTER, NULL);
}

int sen_ue_deregister(struct sen_ue *ue, bool switch_off)
{
	if (ue->mm == SEN_UE_MM_DEREGISTERED || ue->mm == SEN_UE_MM_DEREGISTERED_INITIATED)
		return -SEN_EINVAL;
	ue->dereg_switch_off = switch_off;
	return ue_mm_dispatch(ue, MM_EV_DEREGISTER, NULL);
}

int sen_ue_service_request(struct sen_ue *ue, uint8_t service_type)
{
	if (ue->mm != SEN_UE_MM_REGISTERED || ue->connected || service_type > 15)
		return -SEN_EINVAL;
	if (!ue->have_guti || !ue->cur.valid || !ue->cur.nas_ready)
		return -SEN_ENOENT;
	ue->service_type = service_type;
	return ue_mm_dispatch(ue, MM_EV_SERVICE_REQUEST, NULL);
}

void sen_ue_conn_release(struct sen_ue *ue)
{
	ue_mm_dispatch(ue, MM_EV_CONN_RELEASE, NULL);
	ue->connected = false;
	ue->secure = false;
}

int sen_ue_pdu_session_establish(struct sen_ue *ue, uint8_t psi, const char *dnn,
				 const struct sen_nas_snssai *snssai)
{
	struct ue_session *s;

	if (psi < 1 || psi >= UE_PSI_N || ue->mm != SEN_UE_MM_REGISTERED || !ue->connected)
		return -SEN_EINVAL;
	if (!dnn)
		dnn = ue->dnn;
	if (strlen(dnn) > SEN_NAS_DNN_MAX)
		return -SEN_EINVAL;
	s = &ue->sess[psi];
	if (s->state != SEN_UE_SM_INACTIVE)
		return -SEN_EEXIST;
	strcpy(s->dnn, dnn);
	s->has_snssai = snssai || ue->requested_nssai.n;
	if (s->has_snssai)
		s->snssai = snssai ? *snssai : ue->requested_nssai.s[0];
	return ue_sm_dispatch(s, SM_EV_ESTABLISH, NULL);
}

int sen_ue_pdu_session_release(struct sen_ue *ue, uint8_t psi)
{
	if (psi < 1 || psi >= UE_PSI_N || ue->mm != SEN_UE_MM_REGISTERED || !ue->connected)
		return -SEN_EINVAL;
	if (ue->sess[psi].state != SEN_UE_SM_ACTIVE)
		return -SEN_ENOENT;
	return ue_sm_dispatch(&ue->sess[psi], SM_EV_RELEASE, NULL);
}

/* ---- getters ---- */

int sen_ue_kgnb(const struct sen_ue *ue, uint32_t ul_nas_count, uint8_t kgnb[32])
{
	if (!ue->cur.valid)
		return -SEN_ENOENT;
	return sen_kdf_kgnb(ue->cur.kamf, ul_nas_count, SEN_KDF_ACCESS_3GPP, kgnb);
}

int sen_ue_last_ul_count(const struct sen_ue *ue, uint32_t *count)
{
	if (!ue->cur.valid || !ue->cur.nas_ready || !ue->cur.nas.tx_count)
		return -SEN_ENOENT;
	*count = ue->cur.nas.tx_count - 1;
	return 0;
}

enum sen_ue_mm_state sen_ue_mm_state(const struct sen_ue *ue)
{
	return ue->mm;
}

const char *sen_ue_supi(const struct sen_ue *ue)
{
	return ue->supi;
}

bool sen_ue_connected(const struct sen_ue *ue)
{
	return ue->connected;
}

bool sen_ue_guti(const struct sen_ue *ue, struct sen_nas_guti *guti)
{
	if (ue->have_guti && guti)
		*guti = ue->guti;
	return ue->have_guti;
}

bool sen_ue_security(const struct sen_ue *ue, uint8_t *ngksi)
{
	if (ue->cur.valid && ngksi)
		*ngksi = ue->cur.ngksi;
	return ue->cur.valid && ue->cur.nas_ready;
}

int sen_ue_session(const struct sen_ue *ue, uint8_t psi, struct sen_ue_session_info *info)
{
	const struct ue_session *s;

	if (psi < 1 || psi >= UE_PSI_N || !info)
		return -SEN_EINVAL;
	s = &ue->sess[psi];
	memset(info, 0, sizeof(*info));
	info->state = s->state;
	info->pdu_type = s->pdu_type;
	memcpy(info->ipv4, s->ipv4, 4);
	memcpy(info->ipv6_iid, s->ipv6_iid, 8);
	info->accept_cause = s->accept_cause;
	info->ambr = s->ambr;
	info->n_qos_rules = s->n_qos_rules;
	info->qfi = s->qfi;
	strcpy(info->dnn, s->dnn);
	return 0;
}
