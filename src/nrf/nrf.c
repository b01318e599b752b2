/*
 * The nrf module (nrf.h): configuration, the Nnrf routes (TS 29.510 6.1.3 NFManagement
 * resources, 6.2.3 NFDiscovery resources), start and stop.
 */
#include "nrf.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "core/err.h"
#include "core/log.h"

struct nrf_module {
	struct nrf_ctx ctx;
	char ip[INET6_ADDRSTRLEN];
};

static const struct {
	enum sen_sbi_method method;
	const char *path;
	sen_sbi_handler_fn fn;
} routes[] = {
    {SEN_SBI_PUT, "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", nrf_nfm_register},
    {SEN_SBI_PATCH, "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", nrf_nfm_update},
    {SEN_SBI_DELETE, "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", nrf_nfm_deregister},
    {SEN_SBI_GET, "/nnrf-nfm/v1/nf-instances/{nfInstanceID}", nrf_nfm_get},
    {SEN_SBI_GET, "/nnrf-nfm/v1/nf-instances", nrf_nfm_list},
    {SEN_SBI_POST, "/nnrf-nfm/v1/subscriptions", nrf_nfm_subscribe},
    {SEN_SBI_DELETE, "/nnrf-nfm/v1/subscriptions/{subscriptionID}", nrf_nfm_unsubscribe},
    {SEN_SBI_GET, "/nnrf-disc/v1/nf-instances", nrf_disc_search},
};

static void nrf_free(void *state)
{
	struct nrf_module *m = state;

	if (!m)
		return;
	sen_sbi_server_free(m->ctx.srv);
	sen_sbi_client_free(m->ctx.notifier);
	nrf_ctx_clear(&m->ctx);
	free(m);
}

static int nrf_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct nrf_module *m = calloc(1, sizeof(*m));
	struct nrf_ctx *ctx;
	char auth[64];
	int rv;

	if (!m) {
		snprintf(err, errlen, "nrf: out of memory");
		return -SEN_ENOMEM;
	}
	ctx = &m->ctx;
	if ((rv = sen_nrf_cfg_bind(env->cfg, &ctx->cfg, err, errlen)) < 0) {
		free(m);
		return rv;
	}
	ctx->home_plmn = env->cfg->global.plmn;
	sen_nrf_addr_authority(&ctx->cfg.sbi, auth, sizeof(auth));
	snprintf(ctx->api_root, sizeof(ctx->api_root), "http://%s", auth);
	if (ctx->cfg.sbi.sa.sa_family == AF_INET6)
		inet_ntop(AF_INET6, &ctx->cfg.sbi.in6.sin6_addr, m->ip, sizeof(m->ip));
	else
		inet_ntop(AF_INET, &ctx->cfg.sbi.in.sin_addr, m->ip, sizeof(m->ip));
	struct sen_sbi_server_opts so = {
	    .addr = m->ip,
	    .port = ntohs(ctx->cfg.sbi.sa.sa_family == AF_INET6 ? ctx->cfg.sbi.in6.sin6_port
								: ctx->cfg.sbi.in.sin_port),
	};
	if ((rv = nrf_ctx_init(ctx, env->loop)) < 0 ||
	    (rv = sen_sbi_server_new(env->loop, &so, &ctx->srv)) < 0 ||
	    (rv = sen_sbi_client_new(env->loop, NULL, &ctx->notifier)) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if ((rv = sen_sbi_server_route(ctx->srv, routes[i].method, routes[i].path,
					       routes[i].fn, ctx)) < 0)
			goto fail;
	*state = m;
	return 0;
fail:
	snprintf(err, errlen, "nrf: %s", sen_strerror(rv));
	nrf_free(m);
	return rv;
}

static int nrf_start(void *state, char *err, size_t errlen)
{
	struct nrf_module *m = state;
	int rv = sen_sbi_server_start(m->ctx.srv);

	if (rv < 0) {
		if (rv == -SEN_EIO)
			snprintf(err, errlen, "nrf.sbi: cannot listen on %s: %m",
				 m->ctx.api_root + 7);
		else
			snprintf(err, errlen, "nrf.sbi: cannot listen on %s: %s",
				 m->ctx.api_root + 7, sen_strerror(rv));
		return rv;
	}
	sen_log_info(NRF_LOG, "NRF serving on %s (heartbeat %u s, validity %u s)", m->ctx.api_root,
		     m->ctx.cfg.heartbeat, m->ctx.cfg.validity);
	return 0;
}

static void nrf_stop(void *state)
{
	struct nrf_module *m = state;

	sen_sbi_server_stop(m->ctx.srv);
}

static const char *nrf_metrics_addr(void *state)
{
	return ((struct nrf_module *)state)->ip;
}

const struct sen_nf_module sen_nrf_module = {
    .name = "nrf",
    .init = nrf_init,
    .start = nrf_start,
    .stop = nrf_stop,
    .free = nrf_free,
    .metrics_addr = nrf_metrics_addr,
};
