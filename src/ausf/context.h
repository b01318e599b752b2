/*
 * sen-ausf internals: the AUSF's state and its authentication contexts, shared by context.c
 * and ueau.c. Not a public interface: only src/ausf/ and tests/home/ include it.
 */
#ifndef SEN_AUSF_CONTEXT_H
#define SEN_AUSF_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/config.h"
#include "core/hash.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "crypto/suci.h"
#include "sbi/nrf_client.h"
#include "sbi/sbi.h"

#define AUSF_LOG "ausf"
#define AUSF_SVC "nausf-auth"

/* How long an authentication context waits for its confirmation (TS 33.501 leaves it open). */
#define AUSF_CTX_TTL_MS 30000
#define AUSF_MAX_CTXS	100000 /* pending contexts; more are refused with 503 */
#define AUSF_SNN_MAX	1020   /* TS 24.501 9.12.1 */

/* TS 29.509 Table 6.1.7.3-1 application errors used here. */
#define AUSF_CAUSE_SERVING_NETWORK_NOT_AUTHORIZED "SERVING_NETWORK_NOT_AUTHORIZED" /* 403 */
#define AUSF_CAUSE_USER_NOT_FOUND		  "USER_NOT_FOUND"		   /* 404 */
#define AUSF_CAUSE_UPSTREAM_SERVER_ERROR	  "UPSTREAM_SERVER_ERROR"	   /* 504 */
#define AUSF_CAUSE_CONTEXT_NOT_FOUND		  "CONTEXT_NOT_FOUND"		   /* 404 */

struct ausf;

/* One 5G AKA authentication (TS 33.501 6.1.3.2), from the UDM's vector to the confirmation. */
struct ausf_ctx {
	struct ausf *ausf;
	char id[33]; /* authCtxId: 128 random bits in hex */
	char supi[SEN_SUPI_MAX];
	char snn[AUSF_SNN_MAX + 1];
	uint8_t xres_star[16];
	uint8_t kausf[32];
	uint8_t kseaf[32];
	struct sen_timer expiry;
	char tag[SEN_SUPI_MAX + 8]; /* log tag "supi=…" */
};

struct ausf {
	struct sen_loop *loop;
	struct sen_config *cfg;
	struct sen_cfg_sbi_only c;
	char addr[64];
	char authority[80];
	char api_root[96];
	char nf_instance_id[37];
	char home_snn[40];	/* TS 24.501 9.12.1 serving network name of the home PLMN */
	char udm_authority[80]; /* from the udm section when present: the fallback resolver */
	struct sen_sbi_server *srv;
	struct sen_sbi_client *client;
	bool have_nrf; /* sen.yaml has an nrf section: register and discover */
	struct sen_cfg_nrf nrf_cfg;
	struct sen_nrf_client *nrf;
	struct sen_hash *ctxs;	   /* authCtxId -> struct ausf_ctx */
	uint32_t ctx_ttl_ms;	   /* AUSF_CTX_TTL_MS; tests shorten it */
	struct sen_metric *m_auth; /* sen_ausf_authentications_total{result} */
};

/* ---- context.c ---- */

/* Answer `status` with `json` (NULL: no body). lib/sbi counts every answer. */
void ausf_reply(struct sen_sbi_stream *st, int status, const cJSON *json);

/* Answer 201 with Location apiRoot + `path` and `json`. */
void ausf_reply_created(struct ausf *ausf, struct sen_sbi_stream *st, const char *path,
			const cJSON *json);

/* Answer a ProblemDetails. */
void ausf_error(struct sen_sbi_stream *st, int status, const char *cause, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 400 MANDATORY_IE_MISSING / _INCORRECT naming `param`. */
void ausf_error_ie(struct sen_sbi_stream *st, bool missing, const char *param);

/*
 * A new authentication context for `supi` (its id drawn at random, its expiry timer started),
 * registered in ausf->ctxs. NULL when out of memory or AUSF_MAX_CTXS are pending.
 */
struct ausf_ctx *ausf_ctx_new(struct ausf *ausf, const char *supi, const char *snn);

/* The pending context `id`, or NULL. */
struct ausf_ctx *ausf_ctx_find(struct ausf *ausf, const char *id);

/* Forget a context: stop its timer, wipe its keys, free it. */
void ausf_ctx_free(struct ausf_ctx *ctx);

/* Send `req` (consumed) to a UDM (nf_type "UDM", service "nudm-ueau"). */
int ausf_udm_send(struct ausf *ausf, const char *hint, struct sen_sbi_msg *req,
		  sen_sbi_response_fn cb, void *arg);

/* ---- ueau.c ---- */
int ausf_ueau_routes(struct ausf *ausf);

#endif
