/*
 * Nudm-UEAU (TS 29.503 clause 5.4 and 6.3): authentication vectors for 5G AKA, and
 * authentication events.
 *
 * POST /nudm-ueau/v1/{supiOrSuci}/security-information/generate-auth-data
 *   AuthenticationInfoRequest -> 200 AuthenticationInfoResult (TS 29.503 6.3.6.2.2/.3)
 *   1. SUCI de-concealment (TS 33.501 6.12.2, Annex C): null scheme, Profile A, Profile B;
 *      the home network public key identifier in the SUCI selects the private key.
 *   2. The UDR advances the SQN atomically and durably and returns the authentication
 *      subscription (K, OPc, AMF field) with the SQN for this vector: Sen's UDR operation
 *      POST /sen-udr-auth/v1/{ueId}/sqn-advance (docs/udr.md "SQN"; TS 29.505 has no atomic
 *      increment). SQN = SEQ || IND, 5 IND bits; each vector gets SEQ_HE + 1 and IND 0
 *      (TS 33.102 C.1.1, C.3). A barred subscriber or an exhausted SQN: 403
 *      AUTHENTICATION_REJECTED from the UDR, passed on.
 *   3. Re-synchronisation (TS 33.501 6.1.3.3.2, TS 33.102 6.3.5): with resynchronizationInfo
 *      {rand, auts} the UDM first reads the authentication subscription (TS 29.505 GET),
 *      recovers SQN_MS from AUTS and verifies MAC-S; when it verifies, the advance carries
 *      SQN_MS (the UDR moves SQN_HE to max(SQN_HE, SEQ_MS) first, never back) and the
 *      vector gets SEQ_MS + 1. When MAC-S fails, a fresh vector comes without the reset
 *      (TS 33.102 6.3.5 steps 4-6).
 *   4. RAND from the CSPRNG (RAND_bytes), the 5G HE AV (TS 33.501 6.1.3.2 step 2, A.2, A.4).
 *
 * POST /nudm-ueau/v1/{supi}/auth-events  AuthEvent -> 201 (TS 29.503 6.3.3.3, TS 33.501
 *   6.1.4.1a): stored in the UDR as the authentication status (TS 29.505 5.2.24,
 *   PUT authentication-data/authentication-status -> 204) before the 201 goes out; the
 *   UDR's errors are passed on (an unknown subscriber is 404 USER_NOT_FOUND).
 *
 * K, OPc and KAUSF are wiped after use and never logged.
 */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "crypto/aka.h"
#include "crypto/suci.h"

#define SQN_IND_BITS 5	  /* TS 33.102 C.3.2 (as the UDR, src/udr/store.h): the default */
#define SQN_IND_MAX  47	  /* SQN is 48 bits (TS 33.102 C.1.2): at least one SEQ bit */
#define SNN_MAX	     1020 /* TS 24.501 9.12.1 */
#define ETAG_MAX     128
#define STD_RETRIES  4 /* re-reads after 412 Precondition Failed (another writer won) */

/* One generate-auth-data request in progress. */
struct gad {
	struct udm *udm;
	struct sen_sbi_stream *st;
	char supi[SEN_SUPI_MAX];
	char snn[SNN_MAX + 1];
	bool resync;
	uint8_t r_rand[16], auts[14];
	uint8_t k[16], opc[16], amf[2];
	uint64_t sqn; /* SQN_HE as read, then the SQN for the vector */
	uint8_t ind;  /* IND length: SequenceNumber.indLength as read (TS 29.505), default 5 */
	char tag[SEN_SUPI_MAX + 8];
	/* The standard flow (below): a verified SQN_MS to re-synchronise to, the
	 * sequenceNumber read (echoed in the PATCH), and this SUPI's queue. */
	bool have_ms, queued;
	uint64_t sqn_ms;
	cJSON *seq;
	char etag[ETAG_MAX]; /* ETag of the subscription read, sent back as If-Match */
	unsigned retries;    /* re-reads after 412 */
	struct gad *next;
};

/* The generate-auth-data requests of one SUPI in the standard flow, one at a time. */
struct sqn_queue {
	struct gad *head, *tail; /* head: the one reading and writing the SQN now */
	unsigned n;
};

#define SQN_QUEUE_MAX 64 /* waiting per SUPI (a bound against a flooding peer) */

/* The largest SEQ with `ind` IND bits (TS 33.102 C.2.1). */
static uint64_t seq_max(unsigned ind)
{
	return (UINT64_C(1) << (48 - ind)) - 1;
}

static void std_read(struct gad *g);

static void gad_wipe(struct gad *g)
{
	cJSON_Delete(g->seq);
	OPENSSL_cleanse(g, sizeof(*g));
	free(g);
}

/* Leave the SUPI's queue and start the next request waiting in it, if any. */
static void queue_leave(struct gad *g)
{
	struct udm *udm = g->udm;
	struct sqn_queue *q = sen_hash_get_str(udm->sqn_queues, g->supi);
	struct gad *next;

	if (!q || q->head != g)
		return;
	next = q->head = g->next;
	q->n--;
	if (!next) {
		sen_hash_del_str(udm->sqn_queues, g->supi);
		free(q);
		return;
	}
	if (!next->next)
		q->tail = next;
	std_read(next);
}

static void gad_free(struct gad *g)
{
	if (g->queued)
		queue_leave(g);
	gad_wipe(g);
}

void udm_sqn_queues_free(struct udm *udm)
{
	struct sen_hash_iter it;
	void *v;

	if (!udm->sqn_queues)
		return;
	/*
	 * At shutdown, after the server and the SBI client are freed: the heads' UDR
	 * requests were dropped without their callbacks, the others only wait. Their
	 * streams are orphaned (server.c) and freed once answered, so answer every one
	 * (503, dropped on the way) and wipe every request, heads included (K, OPc).
	 */
	sen_hash_iter_init(&it, udm->sqn_queues);
	while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
		struct sqn_queue *q = v;
		for (struct gad *g = q->head, *n; g; g = n) {
			n = g->next;
			sen_sbi_stream_respond_status(g->st, 503);
			gad_wipe(g);
		}
		free(q);
	}
	sen_hash_free(udm->sqn_queues);
	udm->sqn_queues = NULL;
}

static void gad_fail(struct gad *g, int status, const char *cause, const char *detail)
{
	sen_metric_add(sen_metric_series(g->udm->m_av, (const char *[]){"refused"}), 1);
	udm_error(g->udm, g->st, status, cause, "%s", detail);
	gad_free(g);
}

/* A hex member of `obj` of exactly `len` bytes; false if absent or malformed. */
static bool json_hex(const cJSON *obj, const char *name, uint8_t *out, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) && strlen(v->valuestring) == 2 * len &&
	       sen_hex_decode_exact(v->valuestring, out, len) == 0;
}

/* ---------------------------------------------------------------------------------------- */
/* SUCI de-concealment (TS 33.501 6.12.2, C.3/C.4; errors per TS 29.503 Table 6.3.7.3-1).    */

struct deconceal_result {
	int status;
	const char *cause;
	const char *detail;
};

static bool to_supi(struct udm *udm, const char *id, char *supi, size_t cap,
		    struct deconceal_result *r)
{
	struct sen_suci s;
	const struct sen_hn_key *key = NULL;
	int rc;

	if (strncmp(id, "suci-", 5) != 0) {
		if (!udm_supi_valid(id) || strlen(id) >= cap) {
			*r = (struct deconceal_result){400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
						       "supiOrSuci is neither a SUPI nor a SUCI"};
			return false;
		}
		strcpy(supi, id);
		return true;
	}
	if (sen_suci_parse(id, &s) < 0) {
		*r = (struct deconceal_result){400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					       "malformed SUCI"};
		return false;
	}
	if (s.scheme != SEN_SUCI_NULL) {
		if (s.scheme != SEN_SUCI_PROFILE_A && s.scheme != SEN_SUCI_PROFILE_B) {
			*r = (struct deconceal_result){501, UDM_CAUSE_UNSUPPORTED_PROTECTION_SCHEME,
						       "protection scheme not supported"};
			return false;
		}
		for (size_t i = 0; i < udm->n_keys; i++)
			if (udm->keys[i].id == s.hn_key_id && udm->keys[i].scheme == s.scheme)
				key = udm->keys[i].key;
		if (!key) {
			*r = (struct deconceal_result){403,
						       UDM_CAUSE_INVALID_HN_PUBLIC_KEY_IDENTIFIER,
						       "no home network key with that identifier"};
			return false;
		}
	}
	rc = sen_suci_deconceal(&s, key, supi, cap);
	if (rc == 0 && !udm_supi_valid(supi))
		rc = -SEN_EPROTO;
	switch (rc) {
	case 0:
		return true;
	case -SEN_EAUTH:
	case -SEN_EPROTO:
		*r = (struct deconceal_result){403, UDM_CAUSE_INVALID_SCHEME_OUTPUT,
					       "SUCI cannot be de-concealed"};
		return false;
	case -SEN_ENOTSUP:
		*r = (struct deconceal_result){501, UDM_CAUSE_UNSUPPORTED_PROTECTION_SCHEME,
					       "SUPI type or scheme not supported"};
		return false;
	default:
		*r = (struct deconceal_result){500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
					       "de-concealment failed"};
		return false;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* The vector.                                                                                */

static void gad_send_av(struct gad *g)
{
	struct sen_aka_he_av av;
	uint8_t rand[16], sqn[6];
	char h[65];
	cJSON *res, *v;
	int rc;

	/* TS 33.501 6.1.3.2 step 2; RAND unpredictable (TS 33.102 6.3.2). */
	if (RAND_bytes(rand, sizeof(rand)) != 1) {
		gad_fail(g, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE, "no random number");
		return;
	}
	sen_aka_sqn_put(g->sqn, sqn);
	rc = sen_aka_he_av(g->k, g->opc, rand, sqn, g->amf, g->snn, &av);
	if (rc < 0) {
		gad_fail(g, rc == -SEN_EINVAL ? 400 : 500,
			 rc == -SEN_EINVAL ? SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT
					   : SEN_SBI_CAUSE_SYSTEM_FAILURE,
			 "cannot build the vector");
		return;
	}
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "authType", "5G_AKA");
	v = cJSON_AddObjectToObject(res, "authenticationVector");
	cJSON_AddStringToObject(v, "avType", "5G_HE_AKA");
	cJSON_AddStringToObject(v, "rand", sen_hex_encode(av.rand, 16, h));
	cJSON_AddStringToObject(v, "xresStar", sen_hex_encode(av.xres_star, 16, h));
	cJSON_AddStringToObject(v, "autn", sen_hex_encode(av.autn, 16, h));
	cJSON_AddStringToObject(v, "kausf", sen_hex_encode(av.kausf, 32, h));
	cJSON_AddStringToObject(res, "supi", g->supi);
	sen_log_ue_info(UDM_LOG, g->tag, "5G HE AV issued (SEQ %llu%s)",
			(unsigned long long)(g->sqn >> g->ind),
			g->resync ? ", after re-synchronisation" : "");
	sen_metric_add(sen_metric_series(g->udm->m_av, (const char *[]){"ok"}), 1);
	udm_reply(g->udm, g->st, 200, res);
	/* The printed body held KAUSF: wipe it from cJSON's strings before freeing. */
	OPENSSL_cleanse(h, sizeof(h));
	cJSON *kv = cJSON_GetObjectItemCaseSensitive(v, "kausf");
	if (cJSON_IsString(kv))
		OPENSSL_cleanse(kv->valuestring, strlen(kv->valuestring));
	cJSON_Delete(res);
	OPENSSL_cleanse(&av, sizeof(av));
	gad_free(g);
}

/* Parse a TS 29.505 AuthenticationSubscription into g (K, OPc, AMF field, SQN). */
static int parse_subscription(struct gad *g, struct sen_sbi_msg *rsp)
{
	cJSON *sub = NULL, *v;
	uint8_t sqn[6];
	int rc = 0;

	if (sen_sbi_msg_json(rsp, &sub) < 0 || !cJSON_IsObject(sub)) {
		cJSON_Delete(sub);
		return -SEN_EPROTO;
	}
	v = cJSON_GetObjectItemCaseSensitive(sub, "authenticationMethod");
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "5G_AKA") != 0)
		rc = -SEN_ENOTSUP;
	else if (!json_hex(sub, "encPermanentKey", g->k, 16) ||
		 !json_hex(sub, "encOpcKey", g->opc, 16) ||
		 !json_hex(sub, "authenticationManagementField", g->amf, 2) ||
		 !json_hex(cJSON_GetObjectItemCaseSensitive(sub, "sequenceNumber"), "sqn", sqn, 6))
		rc = -SEN_EPROTO;
	else
		g->sqn = sen_aka_sqn_get(sqn);
	if (rc == 0) {
		/* TS 29.505 SequenceNumber.indLength: the IND length of SQN = SEQ || IND
		 * (TS 33.102 C.1.2, C.3.2); 5 when absent. */
		const cJSON *il = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(sub, "sequenceNumber"), "indLength");
		if (!il)
			g->ind = SQN_IND_BITS;
		else if (cJSON_IsNumber(il) && il->valuedouble >= 0 &&
			 il->valuedouble <= SQN_IND_MAX && il->valuedouble == (int)il->valuedouble)
			g->ind = (uint8_t)il->valuedouble;
		else
			rc = -SEN_EPROTO;
	}
	if (rc == 0) {
		cJSON_Delete(g->seq);
		g->seq =
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(sub, "sequenceNumber"), true);
	}
	/* Wipe the key text cJSON holds before it goes back to the heap. */
	for (v = sub->child; v; v = v->next)
		if (cJSON_IsString(v))
			OPENSSL_cleanse(v->valuestring, strlen(v->valuestring));
	cJSON_Delete(sub);
	return rc;
}

/* A failed UDR exchange, or a subscription the UDM cannot use: answer and forget g. */
static bool gad_udr_failed(struct gad *g, int err, struct sen_sbi_msg *rsp)
{
	if (err < 0 || sen_sbi_msg_status(rsp) != 200) {
		sen_metric_add(sen_metric_series(g->udm->m_av, (const char *[]){"refused"}), 1);
		udm_error_udr(g->udm, g->st, err, rsp);
		gad_free(g);
		return true;
	}
	switch (parse_subscription(g, rsp)) {
	case 0:
		return false;
	case -SEN_ENOTSUP:
		gad_fail(g, 403, UDM_CAUSE_AUTHENTICATION_REJECTED,
			 "the subscription does not allow 5G AKA");
		return true;
	default:
		sen_log_ue_error(UDM_LOG, g->tag,
				 "UDR sent a malformed authentication subscription");
		gad_fail(g, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
			 "malformed authentication subscription");
		return true;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* The SQN. Two ways, the same result: SQN = SEQ_HE + 1 || IND 0 (TS 33.102 C.1.1, C.3).     */

/*
 * Sen's way is one request to the UDR's atomic advance; it is used when the UDR offers it.
 * With an NRF the UDR must advertise the service sen-udr-auth (sen-udr does): the target
 * names it, so discovery finds no UDR (-SEN_ENOENT) when only standard ones are
 * registered. Without an NRF (udr.sbi of sen.yaml) the UDM tries it. Either way a 405, or
 * a 404 that is not about the subscriber (the path is unknown there), means the UDR lacks
 * it: the UDM remembers that for PRIVATE_RETRY_MS and uses the standard flow meanwhile.
 */
#define PRIVATE_RETRY_MS 60000

static bool private_missing(int err, struct sen_sbi_msg *rsp)
{
	char cause[64] = "";
	int status;

	if (err == -SEN_ENOENT)
		return true; /* no UDR advertises it */
	if (err < 0)
		return false;
	status = sen_sbi_msg_status(rsp);
	if (status == 405)
		return true;
	if (status != 404)
		return false;
	sen_sbi_problem_read(rsp, cause, sizeof(cause), NULL, 0);
	return strcmp(cause, UDM_CAUSE_USER_NOT_FOUND) && strcmp(cause, UDM_CAUSE_DATA_NOT_FOUND);
}

static void std_begin(struct gad *g);

static void on_advanced(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct gad *g = arg;

	if (private_missing(err, rsp)) {
		if (err == 0) {
			sen_log_info(UDM_LOG,
				     "the UDR has no sen-udr-auth (%d): standard "
				     "Nudr SQN update (TS 29.505) from now on",
				     sen_sbi_msg_status(rsp));
			g->udm->private_off_until = sen_loop_now(g->udm->loop) + PRIVATE_RETRY_MS;
		}
		std_begin(g);
		return;
	}
	if (!gad_udr_failed(g, err, rsp))
		gad_send_av(g);
}

/*
 * Advance the SQN in the UDR, re-synchronising first to `sqn_ms` when `resync`: the UDR's
 * atomic operation (docs/udr.md "SQN": POST /sen-udr-auth/v1/{ueId}/sqn-advance, one
 * transaction, durable before the answer; the answer is the AuthenticationSubscription
 * whose sequenceNumber.sqn is the SQN for this vector, SEQ_HE + 1 with IND 0, TS 33.102
 * C.1.1 / C.3). Two UDMs never get the same SQN, and a crash never reissues one. When the
 * UDR lacks it, the standard flow below.
 */
static void gad_advance(struct gad *g, bool resync, uint64_t sqn_ms)
{
	struct sen_sbi_msg *req;
	cJSON *body;
	uint8_t b[6];
	char hex[13];

	g->have_ms = resync;
	g->sqn_ms = sqn_ms;
	if (g->udm->private_off_until > sen_loop_now(g->udm->loop)) {
		std_begin(g);
		return;
	}
	req = sen_sbi_request_new(SEN_SBI_POST, "/sen-udr-auth/v1/%s/sqn-advance", g->supi);
	body = cJSON_CreateObject();
	if (resync) {
		sen_aka_sqn_put(sqn_ms, b);
		cJSON_AddStringToObject(body, "sqnMs", sen_hex_encode(b, 6, hex));
	}
	if (req)
		sen_sbi_msg_set_json(req, body, NULL);
	cJSON_Delete(body);
	if (!req || udm_udr_send_to(g->udm, UDM_UDR_SVC_AUTH, g->supi, req, on_advanced, g) < 0)
		gad_fail(g, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "cannot reach the UDR");
}

/*
 * The standard flow (TS 29.503 5.4.2.2 with TS 29.505 5.2.2.2): GET the
 * authentication-subscription, compute the next SQN as the UDR would (SEQ_HE + 1, IND 0;
 * after a verified AUTS from max(SEQ_HE, SEQ_MS), TS 33.102 6.3.5 / C.3), PATCH
 * sequenceNumber (PatchItem replace, TS 29.571 5.2.4.x), and only then issue the vector.
 * A read-modify-write: the requests of one SUPI go through it one at a time (a queue per
 * SUPI), so this UDM never issues an SQN twice.
 */
static void std_begin(struct gad *g)
{
	struct udm *udm = g->udm;
	struct sqn_queue *q = sen_hash_get_str(udm->sqn_queues, g->supi);

	if (q) {
		if (q->n >= SQN_QUEUE_MAX) {
			gad_fail(g, 503, SEN_SBI_CAUSE_NF_CONGESTION,
				 "too many vectors pending for this subscriber");
			return;
		}
		g->queued = true;
		q->tail->next = g;
		q->tail = g;
		q->n++;
		return;
	}
	if (!(q = calloc(1, sizeof(*q))) || sen_hash_add_str(udm->sqn_queues, g->supi, q) < 0) {
		free(q);
		gad_fail(g, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		return;
	}
	q->head = q->tail = g;
	q->n = 1;
	g->queued = true;
	std_read(g);
}

static void on_std_patched(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct gad *g = arg;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);

	/* TS 29.505 5.2.2.2.3 (ModifyAuthenticationSubscription): 204, or 200 with a body. */
	if (status == 204 || status == 200) {
		gad_send_av(g);
		return;
	}
	/* RFC 9110 13.1.1: 412, the subscription changed since it was read (another UDM
	 * issued an SQN): read it again and compute the SQN anew, a bounded number of times. */
	if (status == 412 && g->etag[0] && g->retries < STD_RETRIES) {
		g->retries++;
		sen_log_ue_info(UDM_LOG, g->tag, "SQN changed in the UDR meanwhile (412): re-read");
		std_read(g);
		return;
	}
	sen_metric_add(sen_metric_series(g->udm->m_av, (const char *[]){"refused"}), 1);
	sen_log_ue_warn(UDM_LOG, g->tag, "UDR refused the SQN update: %d", status);
	/* No answer, an unknown subscriber or a barred one: as for any UDR request. Any other
	 * refusal (400 to the PATCH the UDM built, 412 after the retries, 5xx) is the
	 * UDM's problem, not the consumer's: 500 SYSTEM_FAILURE (TS 29.500 5.2.7.2). */
	if (err < 0 || status == 403 || status == 404)
		udm_error_udr(g->udm, g->st, err, rsp);
	else
		udm_error(g->udm, g->st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
			  "UDR refused the SQN update (%d)", status);
	gad_free(g);
}

static void on_std_read(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct gad *g = arg;
	struct sen_sbi_msg *req;
	cJSON *patch, *item, *seq;
	uint64_t base, seq_he;
	const char *etag;
	uint8_t b[6];
	char hex[13];

	if (gad_udr_failed(g, err, rsp))
		return;
	/* RFC 9110 8.8.3, TS 29.500 5.2.2.2: a UDR that versions the resource gives an ETag;
	 * the PATCH carries it as If-Match, so of two UDMs writing the same SQN one gets 412
	 * and reads again (on_std_patched). Without an ETag, see docs/udm-ausf.md. */
	etag = sen_sbi_msg_header(rsp, "etag");
	if (etag && strlen(etag) < sizeof(g->etag))
		snprintf(g->etag, sizeof(g->etag), "%s", etag);
	else
		g->etag[0] = '\0';
	base = g->sqn;
	if (g->have_ms && (g->sqn_ms >> g->ind) > (base >> g->ind))
		base = g->sqn_ms; /* TS 33.102 6.3.5: SQN_HE := SQN_MS, never backwards */
	seq_he = base >> g->ind;
	if (seq_he >= seq_max(g->ind)) {
		gad_fail(g, 403, UDM_CAUSE_AUTHENTICATION_REJECTED,
			 "the SQN is exhausted (TS 33.102 C.2.1)");
		return;
	}
	g->sqn = (seq_he + 1) << g->ind;
	sen_aka_sqn_put(g->sqn, b);
	/* The sequenceNumber as read, with the new sqn (TS 29.505 SequenceNumber). */
	seq = cJSON_IsObject(g->seq) ? g->seq : NULL;
	g->seq = NULL;
	if (!seq && (seq = cJSON_CreateObject()))
		cJSON_AddStringToObject(seq, "sqnScheme", "NON_TIME_BASED");
	if (seq) {
		cJSON_DeleteItemFromObjectCaseSensitive(seq, "sqn");
		cJSON_AddStringToObject(seq, "sqn", sen_hex_encode(b, 6, hex));
	}
	patch = cJSON_CreateArray();
	item = cJSON_CreateObject();
	cJSON_AddItemToArray(patch, item);
	cJSON_AddStringToObject(item, "op", "replace");
	cJSON_AddStringToObject(item, "path", "/sequenceNumber");
	cJSON_AddItemToObject(item, "value", seq ? seq : cJSON_CreateNull());
	req = sen_sbi_request_new(
	    SEN_SBI_PATCH,
	    "/nudr-dr/v2/subscription-data/%s/authentication-data/authentication-subscription",
	    g->supi);
	if (req && seq)
		sen_sbi_msg_set_json(req, patch, "application/json-patch+json");
	if (req && g->etag[0])
		sen_sbi_msg_set_header(req, "if-match", g->etag);
	cJSON_Delete(patch);
	if (!seq) {
		sen_sbi_msg_free(req);
		req = NULL;
	}
	if (!req || udm_udr_send(g->udm, g->supi, req, on_std_patched, g) < 0)
		gad_fail(g, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "cannot reach the UDR");
}

/* Read the authentication subscription (TS 29.505 5.2.2.2.2: GET). */
static void gad_get(struct gad *g, sen_sbi_response_fn cb)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(
	    SEN_SBI_GET,
	    "/nudr-dr/v2/subscription-data/%s/authentication-data/authentication-subscription",
	    g->supi);

	if (!req || udm_udr_send(g->udm, g->supi, req, cb, g) < 0)
		gad_fail(g, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "cannot reach the UDR");
}

static void std_read(struct gad *g)
{
	gad_get(g, on_std_read);
}

/* Re-synchronisation: K and OPc are needed to verify AUTS before the SQN may move. */
static void on_subscription_for_resync(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct gad *g = arg;
	uint8_t sqn_ms[6];

	if (gad_udr_failed(g, err, rsp))
		return;
	/* TS 33.102 6.3.5: SQN_MS from AUTS; MAC-S computed with AMF = 0 (6.3.3). */
	if (sen_aka_resync(g->k, g->opc, g->r_rand, g->auts, sqn_ms) == 0) {
		sen_log_ue_info(UDM_LOG, g->tag, "re-synchronisation: SEQ_MS %llu, SEQ_HE %llu",
				(unsigned long long)(sen_aka_sqn_get(sqn_ms) >> g->ind),
				(unsigned long long)(g->sqn >> g->ind));
		gad_advance(g, true, sen_aka_sqn_get(sqn_ms));
	} else {
		/* TS 33.102 6.3.5 steps 4-6: no reset, but a fresh vector all the same. */
		sen_log_ue_warn(UDM_LOG, g->tag,
				"AUTS does not verify (MAC-S): fresh vector without reset");
		g->resync = false;
		gad_advance(g, false, 0);
	}
}

static void on_generate_auth_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udm *udm = arg;
	const char *id = sen_sbi_msg_var(req, "supiOrSuci");
	struct deconceal_result dr;
	cJSON *body = NULL, *snn, *ausf, *ri;
	struct gad *g;

	if (sen_sbi_msg_json(req, &body) < 0 || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		udm_error(udm, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
			  "AuthenticationInfoRequest expected");
		return;
	}
	/* TS 29.503 6.3.6.2.2 AuthenticationInfoRequest. */
	snn = cJSON_GetObjectItemCaseSensitive(body, "servingNetworkName");
	ausf = cJSON_GetObjectItemCaseSensitive(body, "ausfInstanceId");
	ri = cJSON_GetObjectItemCaseSensitive(body, "resynchronizationInfo");
	if (!cJSON_IsString(snn) || !snn->valuestring[0] || strlen(snn->valuestring) > SNN_MAX) {
		udm_error_ie(udm, st, !snn, "servingNetworkName");
		goto out;
	}
	if (!cJSON_IsString(ausf) || !ausf->valuestring[0]) {
		udm_error_ie(udm, st, !ausf, "ausfInstanceId");
		goto out;
	}
	if (!(g = calloc(1, sizeof(*g)))) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL);
		goto out;
	}
	g->udm = udm;
	g->st = st;
	g->ind = SQN_IND_BITS;
	strcpy(g->snn, snn->valuestring);
	if (ri) {
		/* TS 29.503 6.3.6.2.4 ResynchronizationInfo {rand, auts}. */
		if (!cJSON_IsObject(ri) || !json_hex(ri, "rand", g->r_rand, 16)) {
			udm_error_ie(udm, st, false, "resynchronizationInfo/rand");
			gad_free(g);
			goto out;
		}
		if (!json_hex(ri, "auts", g->auts, 14)) {
			udm_error_ie(udm, st, false, "resynchronizationInfo/auts");
			gad_free(g);
			goto out;
		}
		g->resync = true;
	}
	if (!id || !to_supi(udm, id, g->supi, sizeof(g->supi), &dr)) {
		if (!id)
			dr = (struct deconceal_result){400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING,
						       "supiOrSuci"};
		sen_log_info(UDM_LOG, "generate-auth-data refused: %s", dr.detail);
		g->st = st;
		gad_fail(g, dr.status, dr.cause, dr.detail);
		goto out;
	}
	snprintf(g->tag, sizeof(g->tag), "supi=%s", g->supi);
	if (g->resync)
		gad_get(g, on_subscription_for_resync);
	else
		gad_advance(g, false, 0);
out:
	cJSON_Delete(body);
}

/* ---------------------------------------------------------------------------------------- */
/* Auth events (TS 29.503 6.3.3.3; TS 33.501 6.1.4.1a).                                      */

struct auth_event {
	struct udm *udm;
	struct sen_sbi_stream *st;
	cJSON *ev;
	char supi[SEN_SUPI_MAX];
};

static void auth_event_created(struct auth_event *a)
{
	char id[37], loc[SEN_SUPI_MAX + 96];
	uint8_t b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		memset(b, 0, sizeof(b));
	sen_hex_encode(b, 16, id);
	id[32] = '\0';
	snprintf(loc, sizeof(loc), "/nudm-ueau/v1/%s/auth-events/%s", a->supi, id);
	udm_reply_created(a->udm, a->st, loc, a->ev);
}

static void on_auth_status_stored(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct auth_event *a = arg;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);

	/* TS 29.505 5.2.24.3.1: 204 No Content once stored. */
	if (status >= 200 && status < 300) {
		auth_event_created(a);
	} else if (status == 400) {
		/* The UDR refused a member of the AuthEvent (the AUSF's input): pass it on. */
		char cause[64] = "", detail[160] = "";
		sen_sbi_problem_read(rsp, cause, sizeof(cause), detail, sizeof(detail));
		udm_error(a->udm, a->st, 400,
			  cause[0] ? cause : SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT, "%s", detail);
	} else {
		udm_error_udr(a->udm, a->st, err, rsp);
	}
	cJSON_Delete(a->ev);
	free(a);
}

static void on_auth_events(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	static const char *const mandatory[] = {"nfInstanceId", "timeStamp", "authType",
						"servingNetworkName"};
	struct udm *udm = arg;
	const char *supi = sen_sbi_msg_var(req, "supi");
	struct auth_event *a;
	struct sen_sbi_msg *put;
	cJSON *ev = NULL, *ok;

	if (!udm_supi_valid(supi)) {
		udm_error_ie(udm, st, false, "supi");
		return;
	}
	if (sen_sbi_msg_json(req, &ev) < 0 || !cJSON_IsObject(ev)) {
		cJSON_Delete(ev);
		udm_error(udm, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, "AuthEvent expected");
		return;
	}
	/* TS 29.503 6.3.6.2.6 AuthEvent: these members are mandatory. */
	for (size_t i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++) {
		cJSON *m = cJSON_GetObjectItemCaseSensitive(ev, mandatory[i]);
		if (!cJSON_IsString(m) || !m->valuestring[0]) {
			udm_error_ie(udm, st, !m, mandatory[i]);
			cJSON_Delete(ev);
			return;
		}
	}
	ok = cJSON_GetObjectItemCaseSensitive(ev, "success");
	if (!cJSON_IsBool(ok)) {
		udm_error_ie(udm, st, !ok, "success");
		cJSON_Delete(ev);
		return;
	}
	sen_log_info(UDM_LOG, "[supi=%s] authentication %s reported by %s", supi,
		     cJSON_IsTrue(ok) ? "success" : "failure",
		     cJSON_GetObjectItemCaseSensitive(ev, "nfInstanceId")->valuestring);
	if (!(a = calloc(1, sizeof(*a)))) {
		cJSON_Delete(ev);
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL);
		return;
	}
	a->udm = udm;
	a->st = st;
	a->ev = ev;
	snprintf(a->supi, sizeof(a->supi), "%s", supi);
	/* TS 29.505 5.2.24.3.1 CreateAuthenticationStatus: PUT the AuthEvent. */
	put = sen_sbi_request_new(
	    SEN_SBI_PUT,
	    "/nudr-dr/v2/subscription-data/%s/authentication-data/authentication-status", supi);
	if (put)
		sen_sbi_msg_set_json(put, ev, NULL);
	if (!put || udm_udr_send(udm, supi, put, on_auth_status_stored, a) < 0) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
			  "cannot reach the UDR");
		cJSON_Delete(ev);
		free(a);
	}
}

int udm_ueau_routes(struct udm *udm)
{
	int rc = sen_sbi_server_route(
	    udm->srv, SEN_SBI_POST,
	    "/nudm-ueau/v1/{supiOrSuci}/security-information/generate-auth-data",
	    on_generate_auth_data, udm);

	if (rc == 0)
		rc = sen_sbi_server_route(udm->srv, SEN_SBI_POST,
					  "/nudm-ueau/v1/{supi}/auth-events", on_auth_events, udm);
	return rc;
}
