/*
 * sen-ausf: the module (init / start / stop / free under src/common/nf.h), the table of
 * authentication contexts with their expiry, answers with metrics, and the way to the UDM.
 *
 * With an nrf section in sen.yaml the AUSF registers its NFProfile (type AUSF, service
 * nausf-auth; TS 29.510 5.2.2.2) and finds the UDM by discovery: the NRF client is the SBI
 * client's resolver (sbi/nrf_client.h). Without one, a target of type "UDM" goes to udm.sbi
 * of the same file. ueau.c only names NF types either way.
 */
#include "context.h"
#include "ausf.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "crypto/kdf.h"

/* ---------------------------------------------------------------------------------------- */
/* Answers (lib/sbi counts each in sen_sbi_requests_total{service,status}).                   */

void ausf_reply(struct sen_sbi_stream *st, int status, const cJSON *json)
{
	if (json)
		sen_sbi_stream_respond_json(st, status, json);
	else
		sen_sbi_stream_respond_status(st, status);
}

void ausf_reply_created(struct ausf *ausf, struct sen_sbi_stream *st, const char *path,
			const cJSON *json)
{
	struct sen_sbi_msg *rsp = sen_sbi_response_new(201);
	char loc[256];

	if (!rsp) {
		sen_sbi_stream_respond_status(st, 500);
		return;
	}
	if ((size_t)snprintf(loc, sizeof(loc), "%s%s", ausf->api_root, path) < sizeof(loc))
		sen_sbi_msg_set_header(rsp, "location", loc);
	/* TS 29.509 6.1.3.2.3.1 (OpenAPI): the 201 UEAuthenticationCtx, with its _links, is
	 * application/3gppHal+json (HAL links, TS 29.501). */
	sen_sbi_msg_set_json(rsp, json, "application/3gppHal+json");
	sen_sbi_stream_respond(st, rsp);
}

void ausf_error(struct sen_sbi_stream *st, int status, const char *cause, const char *fmt, ...)
{
	char detail[256] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	sen_sbi_stream_respond_problem(st, &(struct sen_sbi_problem){
					       .status = status,
					       .cause = cause,
					       .detail = detail[0] ? detail : NULL,
					   });
}

void ausf_error_ie(struct sen_sbi_stream *st, bool missing, const char *param)
{
	struct sen_sbi_invalid_param ip = {.param = param,
					   .reason = missing ? "missing" : "incorrect"};

	sen_sbi_stream_respond_problem(st,
				       &(struct sen_sbi_problem){
					   .status = 400,
					   .cause = missing ? SEN_SBI_CAUSE_MANDATORY_IE_MISSING
							    : SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					   .detail = param,
					   .invalid_params = &ip,
					   .n_invalid_params = 1,
				       });
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication contexts.                                                                   */

static void on_expiry(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct ausf_ctx *ctx = arg;

	sen_log_ue_info(AUSF_LOG, ctx->tag, "authentication context %s expired unconfirmed",
			ctx->id);
	sen_metric_add(sen_metric_series(ctx->ausf->m_auth, (const char *[]){"expired"}), 1);
	ausf_ctx_free(ctx);
}

struct ausf_ctx *ausf_ctx_new(struct ausf *ausf, const char *supi, const char *snn)
{
	struct ausf_ctx *ctx;
	uint8_t id[16];

	if (sen_hash_count(ausf->ctxs) >= AUSF_MAX_CTXS || !(ctx = calloc(1, sizeof(*ctx))))
		return NULL;
	ctx->ausf = ausf;
	snprintf(ctx->supi, sizeof(ctx->supi), "%s", supi);
	snprintf(ctx->snn, sizeof(ctx->snn), "%s", snn);
	snprintf(ctx->tag, sizeof(ctx->tag), "supi=%s", supi);
	do {
		/* The id is a capability for the confirmation: unguessable (128 random bits). */
		if (RAND_bytes(id, sizeof(id)) != 1) {
			free(ctx);
			return NULL;
		}
		sen_hex_encode(id, sizeof(id), ctx->id);
	} while (sen_hash_get_str(ausf->ctxs, ctx->id));
	if (sen_hash_add_str(ausf->ctxs, ctx->id, ctx) < 0) {
		free(ctx);
		return NULL;
	}
	sen_timer_init(&ctx->expiry, ausf->loop, on_expiry, ctx);
	sen_timer_start(&ctx->expiry, ausf->ctx_ttl_ms);
	return ctx;
}

struct ausf_ctx *ausf_ctx_find(struct ausf *ausf, const char *id)
{
	return id ? sen_hash_get_str(ausf->ctxs, id) : NULL;
}

void ausf_ctx_free(struct ausf_ctx *ctx)
{
	if (!ctx)
		return;
	sen_timer_stop(&ctx->expiry);
	sen_hash_del_str(ctx->ausf->ctxs, ctx->id);
	OPENSSL_cleanse(ctx, sizeof(*ctx));
	free(ctx);
}

/* ---------------------------------------------------------------------------------------- */
/* The UDM.                                                                                   */

int ausf_udm_send(struct ausf *ausf, const char *hint, struct sen_sbi_msg *req,
		  sen_sbi_response_fn cb, void *arg)
{
	struct sen_sbi_target t = {.nf_type = "UDM", .service = "nudm-ueau", .hint = hint};

	sen_sbi_msg_set_header(req, "accept", "application/json, application/problem+json");
	return sen_sbi_client_request(ausf->client, &t, req, 0, cb, arg, NULL);
}

/* Resolver from sen.yaml, used until the NRF client provides discovery. */
static void resolve_static(struct sen_sbi_client *c, struct sen_sbi_xact *x,
			   const struct sen_sbi_target *t, void *arg)
{
	struct ausf *ausf = arg;

	if (t->nf_type && !strcmp(t->nf_type, "UDM") && ausf->udm_authority[0])
		sen_sbi_xact_resolved(x, ausf->udm_authority, 0);
	else
		sen_sbi_xact_resolved(x, NULL, -SEN_ENOENT);
}

/* ---------------------------------------------------------------------------------------- */
/* Module.                                                                                    */

static void ausf_free(void *state);

/* Register the NFProfile (TS 29.510 6.1.6.2.2) of type AUSF with Nausf-UEAU (API v1). */
static int nrf_start(struct ausf *ausf, char *err, size_t errlen)
{
	cJSON *profile = NULL;
	char nrf_auth[64];
	int rc;

	if (!ausf->have_nrf)
		return 0;
	rc = sen_nf_profile_build(
	    &(struct sen_nf_profile_desc){
		.nf_instance_id = ausf->nf_instance_id,
		.nf_type = "AUSF",
		.sbi = &ausf->c.sbi,
		.plmns = &ausf->cfg->global.plmn,
		.n_plmns = 1,
		.services = (const char *[]){AUSF_SVC},
		.n_services = 1,
	    },
	    &profile);
	if (rc < 0) {
		snprintf(err, errlen, "cannot build the NFProfile: %s", sen_strerror(rc));
		return rc;
	}
	rc = sen_nrf_client_new(
	    ausf->loop, ausf->client,
	    &(struct sen_nrf_client_opts){
		.nrf = sen_nrf_addr_authority(&ausf->nrf_cfg.sbi, nrf_auth, sizeof(nrf_auth)),
		.profile = profile,
	    },
	    &ausf->nrf);
	cJSON_Delete(profile);
	if (rc == 0)
		rc = sen_nrf_client_start(ausf->nrf);
	if (rc < 0)
		snprintf(err, errlen, "cannot start the NRF client: %s", sen_strerror(rc));
	return rc;
}

static int ausf_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct ausf *ausf = calloc(1, sizeof(*ausf));
	const struct sen_cfg_plmn *p = &env->cfg->global.plmn;
	int rc;

	*state = NULL;
	if (!ausf) {
		snprintf(err, errlen, "ausf: out of memory");
		return -SEN_ENOMEM;
	}
	ausf->loop = env->loop;
	ausf->cfg = env->cfg;
	ausf->ctx_ttl_ms = AUSF_CTX_TTL_MS;
	rc = sen_config_bind_section(env->cfg, "ausf", sen_cfg_ausf_schema, &ausf->c, err, errlen);
	if (rc < 0)
		goto fail;
	if (sen_cfg_addr_text(&ausf->c.sbi, ausf->addr, sizeof(ausf->addr), ausf->authority,
			      sizeof(ausf->authority)) < 0) {
		snprintf(err, errlen, "%s: ausf.sbi: no address", env->cfg->file);
		rc = -SEN_ECONFIG;
		goto fail;
	}
	if (sen_kdf_snn(p->mcc, p->mnc, ausf->home_snn, sizeof(ausf->home_snn)) < 0) {
		snprintf(err, errlen, "%s: plmn: no serving network name", env->cfg->file);
		rc = -SEN_ECONFIG;
		goto fail;
	}
	snprintf(ausf->api_root, sizeof(ausf->api_root), "http://%s", ausf->authority);
	if (sen_nf_uuid_v4(ausf->nf_instance_id) < 0) {
		snprintf(err, errlen, "ausf: no random numbers for the NF instance id");
		rc = -SEN_EIO;
		goto fail;
	}
	if (sen_config_section(env->cfg, "udm")) {
		struct sen_cfg_udm u;
		char host[64];
		/* Only udm.sbi is used; a problem in that section is the UDM's to report. */
		if (sen_config_bind_section(env->cfg, "udm", sen_cfg_udm_schema, &u, err, errlen) ==
		    0)
			sen_cfg_addr_text(&u.sbi, host, sizeof(host), ausf->udm_authority,
					  sizeof(ausf->udm_authority));
		err[0] = '\0';
	}
	if ((rc = sen_hash_new(&ausf->ctxs)) < 0) {
		snprintf(err, errlen, "ausf: out of memory");
		goto fail;
	}
	if (sen_config_section(env->cfg, "nrf")) {
		if ((rc = sen_nrf_cfg_bind(env->cfg, &ausf->nrf_cfg, err, errlen)) < 0)
			goto fail;
		ausf->have_nrf = true;
	}
	ausf->m_auth = sen_metric_new(SEN_METRIC_COUNTER, "sen_ausf_authentications_total",
				      "5G AKA authentications by result", "result");
	*state = ausf;
	return 0;
fail:
	ausf_free(ausf);
	return rc;
}

static int ausf_start(void *state, char *err, size_t errlen)
{
	struct ausf *ausf = state;
	struct sen_sbi_server_opts so = {
	    .addr = ausf->addr,
	    .port =
		(uint16_t)(ausf->c.sbi.sa.sa_family == AF_INET6 ? ntohs(ausf->c.sbi.in6.sin6_port)
								: ntohs(ausf->c.sbi.in.sin_port)),
	};
	int rc;

	rc = sen_sbi_client_new(ausf->loop, NULL, &ausf->client);
	if (rc == 0)
		rc = sen_sbi_server_new(ausf->loop, &so, &ausf->srv);
	if (rc == 0)
		rc = ausf_ueau_routes(ausf);
	if (rc < 0) {
		snprintf(err, errlen, "cannot set up the SBI: %s", sen_strerror(rc));
		return rc;
	}
	sen_sbi_client_set_resolver(ausf->client, resolve_static, ausf);
	rc = sen_sbi_server_start(ausf->srv);
	if (rc < 0) {
		snprintf(err, errlen, "ausf.sbi: cannot listen on %s: %s", ausf->authority,
			 sen_strerror(rc));
		return rc;
	}
	if ((rc = nrf_start(ausf, err, errlen)) < 0)
		return rc;
	sen_log_info(AUSF_LOG, "Nausf on %s, serving network %s, instance %s", ausf->authority,
		     ausf->home_snn, ausf->nf_instance_id);
	return 0;
}

static void ausf_stop(void *state)
{
	struct ausf *ausf = state;

	if (ausf->nrf)
		sen_nrf_client_stop(ausf->nrf);
	sen_sbi_server_stop(ausf->srv);
}

static void ausf_free(void *state)
{
	struct ausf *ausf = state;
	struct sen_hash_iter it;
	void *v;

	if (!ausf)
		return;
	if (ausf->ctxs) {
		sen_hash_iter_init(&it, ausf->ctxs);
		while (sen_hash_iter_next(&it, NULL, NULL, &v))
			ausf_ctx_free(v);
		sen_hash_free(ausf->ctxs);
	}
	sen_nrf_client_free(ausf->nrf);
	sen_sbi_server_free(ausf->srv);
	sen_sbi_client_free(ausf->client);
	free(ausf);
}

static const char *ausf_metrics_addr(void *state)
{
	return ((struct ausf *)state)->addr;
}

const struct sen_nf_module sen_ausf_module = {
    .name = "ausf",
    .init = ausf_init,
    .start = ausf_start,
    .stop = ausf_stop,
    .free = ausf_free,
    .metrics_addr = ausf_metrics_addr,
};
