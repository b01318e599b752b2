/*
 * sen-udm: the module (init / start / stop / free under src/common/nf.h), its configuration
 * (the `udm` section: SBI address and home network keys, TS 33.501 6.12.2), answers with
 * metrics, and the way to the UDR (TS 29.505) through the SBI client's resolver.
 *
 * With an nrf section in sen.yaml the UDM registers its NFProfile (type UDM, services
 * nudm-ueau, nudm-sdm, nudm-uecm; TS 29.510 5.2.2.2) and finds the UDR by discovery: the NRF
 * client is the SBI client's resolver (sbi/nrf_client.h). Without one (a UDM run alone, some
 * tests), a target of type "UDR" goes to udr.sbi of the same file. The service files only
 * name NF types either way.
 */
#include "context.h"
#include "udm.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "core/err.h"
#include "core/log.h"

/* ---------------------------------------------------------------------------------------- */
/* Answers (lib/sbi counts each in sen_sbi_requests_total{service,status}).                    */

void udm_reply(struct udm *udm, struct sen_sbi_stream *st, int status, const cJSON *json)
{
	if (json)
		sen_sbi_stream_respond_json(st, status, json);
	else
		sen_sbi_stream_respond_status(st, status);
}

void udm_reply_created(struct udm *udm, struct sen_sbi_stream *st, const char *location,
		       const cJSON *json)
{
	struct sen_sbi_msg *rsp = sen_sbi_response_new(201);
	char loc[1024];

	if (!rsp) {
		sen_sbi_stream_respond_status(st, 500);
		return;
	}
	if ((size_t)snprintf(loc, sizeof(loc), "%s%s", udm->api_root, location) < sizeof(loc))
		sen_sbi_msg_set_header(rsp, "location", loc);
	if (json)
		sen_sbi_msg_set_json(rsp, json, NULL);
	sen_sbi_stream_respond(st, rsp);
}

void udm_error(struct udm *udm, struct sen_sbi_stream *st, int status, const char *cause,
	       const char *fmt, ...)
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

void udm_error_ie(struct udm *udm, struct sen_sbi_stream *st, bool missing, const char *param)
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

void udm_error_udr(struct udm *udm, struct sen_sbi_stream *st, int err,
		   const struct sen_sbi_msg *rsp)
{
	char cause[64] = "";

	if (err < 0) {
		/* TS 29.500 5.2.7.2: the UDR did not answer (in time). */
		udm_error(udm, st, 504,
			  err == -SEN_ETIMEDOUT ? SEN_SBI_CAUSE_TIMED_OUT_REQUEST
						: SEN_SBI_CAUSE_TARGET_NF_NOT_REACHABLE,
			  "UDR: %s", sen_strerror(err));
		return;
	}
	int status = sen_sbi_msg_status(rsp);
	sen_sbi_problem_read(rsp, cause, sizeof(cause), NULL, 0);
	if (status == 404 && strcmp(cause, SEN_SBI_CAUSE_RESOURCE_URI_STRUCTURE_NOT_FOUND) != 0) {
		/* TS 29.503: a subscriber without that data set is DATA_NOT_FOUND; any other
		 * 404 means an unknown subscriber, USER_NOT_FOUND, whatever the UDR named it. */
		bool data = !strcmp(cause, UDM_CAUSE_DATA_NOT_FOUND);
		udm_error(udm, st, 404, data ? UDM_CAUSE_DATA_NOT_FOUND : UDM_CAUSE_USER_NOT_FOUND,
			  NULL);
		return;
	}
	if (status == 403 && !strcmp(cause, UDM_CAUSE_AUTHENTICATION_REJECTED)) {
		/* Barred subscriber, exhausted SQN (docs/udr.md): TS 29.503 Table 6.3.7.3-1. */
		udm_error(udm, st, 403, UDM_CAUSE_AUTHENTICATION_REJECTED, NULL);
		return;
	}
	if (status == 400 || status == 413) {
		/* The UDM's requests to the UDR carry the consumer's identity and data; a 400
		 * or 413 is about those (a SUPI form the UDR does not keep, such as nai-; an
		 * AuthEvent too large to store), so it is the consumer's error too (TS 29.500
		 * 5.2.7.2), not a UDM failure. */
		if (status == 400 && !cause[0])
			snprintf(cause, sizeof(cause), "%s", SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
		udm_error(udm, st, status, cause[0] ? cause : NULL, "refused by the UDR");
		return;
	}
	sen_log_warn(UDM_LOG, "UDR answered %d %s", status, cause);
	udm_error(udm, st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE, "UDR answered %d", status);
}

bool udm_supi_valid(const char *supi)
{
	size_t n;

	if (!supi)
		return false;
	if (!strncmp(supi, "imsi-", 5)) {
		n = strspn(supi + 5, "0123456789");
		return n >= 5 && n <= 15 && supi[5 + n] == '\0';
	}
	if (!strncmp(supi, "nai-", 4)) {
		static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789-._@+!";
		n = strspn(supi + 4, ok);
		return n > 0 && n <= SEN_SUCI_NAI_MAX && supi[4 + n] == '\0' &&
		       strchr(supi + 4, '@');
	}
	return false;
}

/* ---------------------------------------------------------------------------------------- */
/* The UDR.                                                                                   */

int udm_udr_send(struct udm *udm, const char *supi, struct sen_sbi_msg *req, sen_sbi_response_fn cb,
		 void *arg)
{
	return udm_udr_send_to(udm, "nudr-dr", supi, req, cb, arg);
}

int udm_udr_send_to(struct udm *udm, const char *service, const char *supi, struct sen_sbi_msg *req,
		    sen_sbi_response_fn cb, void *arg)
{
	struct sen_sbi_target t = {.nf_type = "UDR", .service = service, .hint = supi};

	sen_sbi_msg_set_header(req, "accept", "application/json, application/problem+json");
	return sen_sbi_client_request(udm->client, &t, req, 0, cb, arg, NULL);
}

/* Resolver from sen.yaml, used until the NRF client provides discovery. */
static void resolve_static(struct sen_sbi_client *c, struct sen_sbi_xact *x,
			   const struct sen_sbi_target *t, void *arg)
{
	struct udm *udm = arg;

	if (t->nf_type && !strcmp(t->nf_type, "UDR") && udm->udr_authority[0])
		sen_sbi_xact_resolved(x, udm->udr_authority, 0);
	else
		sen_sbi_xact_resolved(x, NULL, -SEN_ENOENT);
}

/* ---------------------------------------------------------------------------------------- */
/* Module.                                                                                    */

static void udm_free(void *state);

/*
 * Register the NFProfile (TS 29.510 6.1.6.2.2) of type UDM with Nudm-UEAU and Nudm-UECM
 * (API v1) and Nudm-SDM (API v2, TS 29.503 6.1.1), and make the NRF client the resolver.
 */
static int nrf_start(struct udm *udm, char *err, size_t errlen)
{
	static const char *const services[] = {UDM_SVC_UEAU, UDM_SVC_SDM, UDM_SVC_UECM};
	cJSON *profile = NULL, *svc, *v;
	char nrf_auth[64];
	int rc;

	if (!udm->have_nrf)
		return 0;
	rc = sen_nf_profile_build(
	    &(struct sen_nf_profile_desc){
		.nf_instance_id = udm->nf_instance_id,
		.nf_type = "UDM",
		.sbi = &udm->c.sbi,
		.plmns = &udm->cfg->global.plmn,
		.n_plmns = 1,
		.services = services,
		.n_services = 3,
	    },
	    &profile);
	if (rc < 0) {
		snprintf(err, errlen, "cannot build the NFProfile: %s", sen_strerror(rc));
		return rc;
	}
	cJSON_ArrayForEach(svc, cJSON_GetObjectItemCaseSensitive(profile, "nfServices"))
	{
		if (strcmp(sen_nf_json_str(svc, "serviceName") ? sen_nf_json_str(svc, "serviceName")
							       : "",
			   UDM_SVC_SDM) != 0)
			continue;
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(svc, "versions"))
		{
			cJSON_ReplaceItemInObjectCaseSensitive(v, "apiVersionInUri",
							       cJSON_CreateString("v2"));
			cJSON_ReplaceItemInObjectCaseSensitive(v, "apiFullVersion",
							       cJSON_CreateString("2.2.0"));
		}
	}
	rc = sen_nrf_client_new(
	    udm->loop, udm->client,
	    &(struct sen_nrf_client_opts){
		.nrf = sen_nrf_addr_authority(&udm->nrf_cfg.sbi, nrf_auth, sizeof(nrf_auth)),
		.profile = profile,
	    },
	    &udm->nrf);
	cJSON_Delete(profile);
	if (rc == 0)
		rc = sen_nrf_client_start(udm->nrf);
	if (rc < 0)
		snprintf(err, errlen, "cannot start the NRF client: %s", sen_strerror(rc));
	return rc;
}

static int udm_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct udm *udm = calloc(1, sizeof(*udm));
	int rc;

	*state = NULL;
	if (!udm) {
		snprintf(err, errlen, "udm: out of memory");
		return -SEN_ENOMEM;
	}
	udm->loop = env->loop;
	udm->cfg = env->cfg;
	rc = sen_config_bind_section(env->cfg, "udm", sen_cfg_udm_schema, &udm->c, err, errlen);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < udm->c.n_hn_keys; i++) {
		const struct sen_cfg_hn_key_ref *r = &udm->c.hn_keys[i];
		for (size_t j = 0; j < i; j++)
			if (udm->c.hn_keys[j].id == r->id) {
				snprintf(err, errlen, "%s:%u: udm.hn_keys[%zu].id: %u is given twice",
					 env->cfg->file,
					 sen_config_line(env->cfg, "udm.hn_keys[%zu].id", i), i,
					 r->id);
				rc = -SEN_ECONFIG;
				goto fail;
			}
		/* TS 33.501 6.12.2: the private key is kept by the home network (here a file). */
		rc = sen_hn_key_load_file(r->scheme, r->file, &udm->keys[i].key);
		if (rc < 0) {
			snprintf(err, errlen, "%s:%u: udm.hn_keys[%zu].file: %s: %s",
				 env->cfg->file,
				 sen_config_line(env->cfg, "udm.hn_keys[%zu].file", i), i, r->file,
				 rc == -SEN_EIO ? "cannot be read"
						: "is not a private key of that scheme");
			rc = -SEN_ECONFIG;
			goto fail;
		}
		udm->keys[i].id = r->id;
		udm->keys[i].scheme = r->scheme;
		udm->n_keys = i + 1;
	}
	if (sen_cfg_addr_text(&udm->c.sbi, udm->addr, sizeof(udm->addr), udm->authority,
			      sizeof(udm->authority)) < 0) {
		snprintf(err, errlen, "%s: udm.sbi: no address", env->cfg->file);
		rc = -SEN_ECONFIG;
		goto fail;
	}
	snprintf(udm->api_root, sizeof(udm->api_root), "http://%s", udm->authority);
	snprintf(udm->plmn_id, sizeof(udm->plmn_id), "%s%s", env->cfg->global.plmn.mcc,
		 env->cfg->global.plmn.mnc);
	if (sen_nf_uuid_v4(udm->nf_instance_id) < 0) {
		snprintf(err, errlen, "udm: no random numbers for the NF instance id");
		rc = -SEN_EIO;
		goto fail;
	}
	if (sen_config_section(env->cfg, "udr")) {
		struct sen_cfg_udr udr;
		char host[64];
		if (sen_config_bind_section(env->cfg, "udr", sen_cfg_udr_schema, &udr, err,
					    errlen) == 0)
			sen_cfg_addr_text(&udr.sbi, host, sizeof(host), udm->udr_authority,
					  sizeof(udm->udr_authority));
		err[0] = '\0';
	}
	if (sen_config_section(env->cfg, "nrf")) {
		if ((rc = sen_nrf_cfg_bind(env->cfg, &udm->nrf_cfg, err, errlen)) < 0)
			goto fail;
		udm->have_nrf = true;
	}
	if ((rc = sen_hash_new(&udm->sqn_queues)) < 0) {
		snprintf(err, errlen, "udm: out of memory");
		goto fail;
	}
	udm->m_av = sen_metric_new(SEN_METRIC_COUNTER, "sen_udm_auth_vectors_total",
				   "5G HE AVs generated (result ok) or refused", "result");
	*state = udm;
	return 0;
fail:
	udm_free(udm);
	return rc;
}

static int udm_start(void *state, char *err, size_t errlen)
{
	struct udm *udm = state;
	struct sen_sbi_server_opts so = {
	    .addr = udm->addr,
	    .port = (uint16_t)(udm->c.sbi.sa.sa_family == AF_INET6 ? ntohs(udm->c.sbi.in6.sin6_port)
								   : ntohs(udm->c.sbi.in.sin_port)),
	};
	int rc;

	rc = sen_sbi_client_new(udm->loop, NULL, &udm->client);
	if (rc == 0)
		rc = sen_sbi_server_new(udm->loop, &so, &udm->srv);
	if (rc == 0)
		rc = udm_ueau_routes(udm);
	if (rc == 0)
		rc = udm_sdm_routes(udm);
	if (rc == 0)
		rc = udm_uecm_routes(udm);
	if (rc < 0) {
		snprintf(err, errlen, "cannot set up the SBI: %s", sen_strerror(rc));
		return rc;
	}
	sen_sbi_client_set_resolver(udm->client, resolve_static, udm);
	rc = sen_sbi_server_start(udm->srv);
	if (rc < 0) {
		snprintf(err, errlen, "udm.sbi: cannot listen on %s: %s", udm->authority,
			 sen_strerror(rc));
		return rc;
	}
	if ((rc = nrf_start(udm, err, errlen)) < 0)
		return rc;
	sen_log_info(UDM_LOG, "Nudm on %s (%zu home network key%s), instance %s", udm->authority,
		     udm->n_keys, udm->n_keys == 1 ? "" : "s", udm->nf_instance_id);
	return 0;
}

static void udm_stop(void *state)
{
	struct udm *udm = state;

	if (udm->nrf)
		sen_nrf_client_stop(udm->nrf);
	sen_sbi_server_stop(udm->srv);
}

static void udm_free(void *state)
{
	struct udm *udm = state;

	if (!udm)
		return;
	sen_nrf_client_free(udm->nrf);
	sen_sbi_server_free(udm->srv);
	sen_sbi_client_free(udm->client);
	udm_sqn_queues_free(udm);
	for (size_t i = 0; i < udm->n_keys; i++)
		sen_hn_key_free(udm->keys[i].key);
	free(udm);
}

static const char *udm_metrics_addr(void *state)
{
	return ((struct udm *)state)->addr;
}

const struct sen_nf_module sen_udm_module = {
    .name = "udm",
    .init = udm_init,
    .start = udm_start,
    .stop = udm_stop,
    .free = udm_free,
    .metrics_addr = udm_metrics_addr,
};
