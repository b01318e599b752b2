/*
 * sen-nrf state (see context.h): the NF instance table with heartbeat supervision
 * (TS 29.510 5.2.2.3.2: an NF that misses its heartbeats is set SUSPENDED, subscribers are
 * told, and it is removed if it stays silent), and the answer helpers (lib/sbi counts
 * every answer in sen_sbi_requests_total{service,status}).
 */
#include "context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"

/*
 * Supervision: a heartbeat is due every heartBeatTimer seconds. After 1.5 intervals of
 * silence the NF is SUSPENDED (subscribers get NF_PROFILE_CHANGED), after 1.5 more it is
 * removed (NF_DEREGISTERED). TS 29.510 5.2.2.3.2 leaves the margin to the NRF.
 */
static uint64_t hb_grace_ms(const struct nrf_nf *nf)
{
	return (uint64_t)nf->ctx->cfg.heartbeat * 1500u;
}

static void update_gauge(struct nrf_ctx *ctx)
{
	sen_metric_set(sen_metric_single(ctx->m_nfs), (int64_t)sen_hash_count(ctx->nfs));
}

static void on_hb_expiry(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct nrf_nf *nf = arg;
	struct nrf_ctx *ctx = nf->ctx;
	const char *status = sen_nf_json_str(nf->profile, "nfStatus");

	if (nf->suspended_by_nrf) {
		sen_log_info(NRF_LOG, "%s %s: no heartbeat, removed", nf->nf_type, nf->id);
		nrf_notify(ctx, nf, NRF_EV_DEREGISTERED);
		nrf_nf_remove(nf);
		return;
	}
	/* Remember what the NF had declared (REGISTERED, UNDISCOVERABLE, or SUSPENDED
	 * itself): a later heartbeat restores exactly that, so an UNDISCOVERABLE NF does
	 * not become discoverable by missing heartbeats (nfm-handler.c). */
	snprintf(nf->status_before, sizeof(nf->status_before), "%s",
		 status ? status : "REGISTERED");
	nf->suspended_by_nrf = true;
	sen_timer_start(&nf->hb, hb_grace_ms(nf));
	if (status && !strcmp(status, "SUSPENDED"))
		return; /* already SUSPENDED by the NF: nothing changes for subscribers */
	sen_log_warn(NRF_LOG, "%s %s: heartbeat missed, SUSPENDED", nf->nf_type, nf->id);
	cJSON_ReplaceItemInObjectCaseSensitive(nf->profile, "nfStatus",
					       cJSON_CreateString("SUSPENDED"));
	nrf_notify(ctx, nf, NRF_EV_PROFILE_CHANGED);
}

int nrf_ctx_init(struct nrf_ctx *ctx, struct sen_loop *loop)
{
	ctx->loop = loop;
	ctx->next_sub = 1;
	if (sen_hash_new(&ctx->nfs) < 0 || sen_hash_new(&ctx->subs) < 0)
		return -SEN_ENOMEM;
	ctx->m_nfs = sen_metric_new(SEN_METRIC_GAUGE, "sen_nrf_nf_instances",
				    "NF instances registered with the NRF", NULL);
	ctx->m_notifs = sen_metric_new(SEN_METRIC_COUNTER, "sen_nrf_notifications_total",
				       "NFStatusNotify requests sent, by result", "result");
	return 0;
}

void nrf_ctx_clear(struct nrf_ctx *ctx)
{
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	if (ctx->nfs) {
		sen_hash_iter_init(&it, ctx->nfs);
		while (sen_hash_iter_next(&it, &k, &kl, &v))
			nrf_nf_remove(v);
		sen_hash_free(ctx->nfs);
		ctx->nfs = NULL;
	}
	if (ctx->subs) {
		nrf_subs_clear(ctx);
		sen_hash_free(ctx->subs);
		ctx->subs = NULL;
	}
}

struct nrf_nf *nrf_nf_find(struct nrf_ctx *ctx, const char *id)
{
	return id ? sen_hash_get_str(ctx->nfs, id) : NULL;
}

static void set_heartbeat_timer(struct nrf_nf *nf)
{
	/* TS 29.510 6.1.6.2.2 heartBeatTimer: the NRF's configured value is the one granted. */
	cJSON *hb = cJSON_CreateNumber(nf->ctx->cfg.heartbeat);

	if (!hb)
		return;
	if (cJSON_GetObjectItemCaseSensitive(nf->profile, "heartBeatTimer"))
		cJSON_ReplaceItemInObjectCaseSensitive(nf->profile, "heartBeatTimer", hb);
	else
		cJSON_AddItemToObject(nf->profile, "heartBeatTimer", hb);
}

void nrf_nf_set_profile(struct nrf_nf *nf, cJSON *profile)
{
	const char *t = sen_nf_json_str(profile, "nfType");

	cJSON_Delete(nf->profile);
	nf->profile = profile;
	snprintf(nf->nf_type, sizeof(nf->nf_type), "%s", t ? t : "");
	set_heartbeat_timer(nf);
	nf->suspended_by_nrf = false;
}

int nrf_nf_put(struct nrf_ctx *ctx, const char *id, cJSON *profile, struct nrf_nf **out,
	       bool *created)
{
	struct nrf_nf *nf = nrf_nf_find(ctx, id);

	*created = !nf;
	if (!nf) {
		if (sen_hash_count(ctx->nfs) >= NRF_MAX_NFS) {
			cJSON_Delete(profile);
			return -SEN_ERANGE;
		}
		if (!(nf = calloc(1, sizeof(*nf)))) {
			cJSON_Delete(profile);
			return -SEN_ENOMEM;
		}
		snprintf(nf->id, sizeof(nf->id), "%s", id);
		nf->ctx = ctx;
		sen_timer_init(&nf->hb, ctx->loop, on_hb_expiry, nf);
		if (sen_hash_add_str(ctx->nfs, nf->id, nf) < 0) {
			free(nf);
			cJSON_Delete(profile);
			return -SEN_ENOMEM;
		}
	}
	nrf_nf_set_profile(nf, profile);
	nrf_nf_heartbeat(nf);
	update_gauge(ctx);
	*out = nf;
	return 0;
}

void nrf_nf_heartbeat(struct nrf_nf *nf)
{
	sen_timer_start(&nf->hb, hb_grace_ms(nf));
}

void nrf_nf_remove(struct nrf_nf *nf)
{
	struct nrf_ctx *ctx = nf->ctx;

	sen_timer_stop(&nf->hb);
	sen_hash_del_str(ctx->nfs, nf->id);
	cJSON_Delete(nf->profile);
	free(nf);
	update_gauge(ctx);
}

const char *nrf_nf_uri(const struct nrf_ctx *ctx, const char *id, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/nnrf-nfm/v1/nf-instances/%s", ctx->api_root, id);
	return buf;
}

/* ---- answers ---- */

void nrf_respond(struct sen_sbi_stream *st, struct sen_sbi_msg *rsp)
{
	if (!rsp) /* out of memory: the stream must still be answered */
		rsp = sen_sbi_response_new(500);
	sen_sbi_stream_respond(st, rsp);
}

void nrf_respond_json(struct sen_sbi_stream *st, int status, const cJSON *body)
{
	struct sen_sbi_msg *rsp = sen_sbi_response_new(status);

	if (rsp)
		sen_sbi_msg_set_json(rsp, body, NULL);
	nrf_respond(st, rsp);
}

void nrf_respond_status(struct sen_sbi_stream *st, int status)
{
	nrf_respond(st, sen_sbi_response_new(status));
}

void nrf_respond_error(struct sen_sbi_stream *st, int status, const char *cause, const char *param,
		       const char *fmt, ...)
{
	struct sen_sbi_invalid_param ip = {.param = param};
	struct sen_sbi_problem p = {.status = status, .cause = cause};
	char detail[256];
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
		p.detail = detail;
		ip.reason = detail;
	}
	if (param) {
		p.invalid_params = &ip;
		p.n_invalid_params = 1;
	}
	nrf_respond(st, sen_sbi_problem_new(&p));
}
