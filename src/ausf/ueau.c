/*
 * Nausf-UEAU for 5G AKA (TS 29.509 5.2.2.2, 6.1.3; TS 33.501 6.1.3.2).
 *
 * POST /nausf-auth/v1/ue-authentications   AuthenticationInfo -> 201 UEAuthenticationCtx
 *   1. TS 33.501 6.1.2: the AUSF checks that the requesting serving network is entitled to the
 *      serving network name. Sen serves its home PLMN only: the name must be the one of
 *      plmn (TS 24.501 9.12.1), else 403 SERVING_NETWORK_NOT_AUTHORIZED.
 *   2. Nudm_UEAU_Get (TS 29.503 6.3.3.2) with the SUCI or SUPI, the name, this AUSF's
 *      instance id and, on a re-synchronisation, the RAND and AUTS (TS 33.501 6.1.3.3.2).
 *   3. Step 4-5: XRES* and KAUSF are kept in an authentication context; HXRES* (A.5) and KSEAF
 *      (A.6) are computed; the SEAF gets RAND, AUTN, HXRES* and the link to confirm.
 * PUT /nausf-auth/v1/ue-authentications/{authCtxId}/5g-aka-confirmation
 *   ConfirmationData {resStar} -> 200 ConfirmationDataResponse (TS 29.509 6.1.6.2.5/6)
 *   Steps 10-12: RES* is compared with XRES* in constant time; only when they are equal does
 *   the answer carry AUTHENTICATION_SUCCESS, the SUPI and KSEAF. Either way the context is
 *   gone afterwards (one attempt per vector), and the result goes to the UDM as an auth event
 *   (TS 33.501 6.1.4.1a, TS 29.503 6.3.3.3).
 * A context not confirmed within its lifetime expires (context.c).
 * KAUSF and KSEAF are never logged.
 */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "crypto/kdf.h"

struct start {
	struct ausf *ausf;
	struct sen_sbi_stream *st;
	char snn[AUSF_SNN_MAX + 1];
	char id[80]; /* supiOrSuci, shortened for logs */
};

/* A hex member of `obj` of exactly `len` bytes; false if absent or malformed. */
static bool json_hex(const cJSON *obj, const char *name, uint8_t *out, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) && strlen(v->valuestring) == 2 * len &&
	       sen_hex_decode_exact(v->valuestring, out, len) == 0;
}

/* TS 29.571 SupiOrSuci in a path segment: only characters that need no escaping. */
static bool supi_or_suci_ok(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789-._@+!";
	size_t n = strspn(s, ok);

	return n > 0 && n <= SEN_SUCI_STR_MAX && s[n] == '\0';
}

static void wipe_strings(cJSON *j)
{
	for (; j; j = j->next) {
		if (cJSON_IsString(j))
			OPENSSL_cleanse(j->valuestring, strlen(j->valuestring));
		wipe_strings(j->child);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Start: the UDM's vector becomes an authentication context.                                */

static void answer_ctx(struct start *s, const cJSON *av, const char *supi)
{
	struct ausf *ausf = s->ausf;
	struct ausf_ctx *ctx;
	uint8_t rand[16], autn[16], hxres[16];
	char h[65], path[160], href[320];
	cJSON *out, *d, *links, *l;

	if (!(ctx = ausf_ctx_new(ausf, supi, s->snn))) {
		ausf_error(s->st, 503, SEN_SBI_CAUSE_NF_CONGESTION, "too many contexts");
		return;
	}
	if (!json_hex(av, "rand", rand, 16) || !json_hex(av, "autn", autn, 16) ||
	    !json_hex(av, "xresStar", ctx->xres_star, 16) ||
	    !json_hex(av, "kausf", ctx->kausf, 32) ||
	    /* TS 33.501 A.5 and A.6. */
	    sen_kdf_hres_star(rand, ctx->xres_star, hxres) < 0 ||
	    sen_kdf_kseaf(ctx->kausf, ctx->snn, ctx->kseaf) < 0) {
		sen_log_ue_error(AUSF_LOG, ctx->tag, "UDM sent a malformed authentication vector");
		ausf_ctx_free(ctx);
		ausf_error(s->st, 500, AUSF_CAUSE_UPSTREAM_SERVER_ERROR,
			   "malformed authentication vector");
		return;
	}
	snprintf(path, sizeof(path), "/nausf-auth/v1/ue-authentications/%s", ctx->id);
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "authType", "5G_AKA");
	d = cJSON_AddObjectToObject(out, "5gAuthData"); /* TS 29.509 6.1.6.2.4 Av5gAka */
	cJSON_AddStringToObject(d, "rand", sen_hex_encode(rand, 16, h));
	cJSON_AddStringToObject(d, "hxresStar", sen_hex_encode(hxres, 16, h));
	cJSON_AddStringToObject(d, "autn", sen_hex_encode(autn, 16, h));
	links = cJSON_AddObjectToObject(out, "_links");
	l = cJSON_AddObjectToObject(links, "5g-aka");
	snprintf(href, sizeof(href), "%s%s/5g-aka-confirmation", ausf->api_root, path);
	cJSON_AddStringToObject(l, "href", href);
	cJSON_AddStringToObject(out, "servingNetworkName", ctx->snn);
	sen_log_ue_info(AUSF_LOG, ctx->tag, "5G AKA started, context %s", ctx->id);
	ausf_reply_created(ausf, s->st, path, out);
	cJSON_Delete(out);
}

static void on_udm_av(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct start *s = arg;
	struct ausf *ausf = s->ausf;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);
	cJSON *res = NULL, *av, *supi, *type;
	char cause[64] = "", detail[128] = "";

	if (status == 200 && sen_sbi_msg_json(rsp, &res) == 0) {
		/* TS 29.503 6.3.6.2.3 AuthenticationInfoResult. */
		type = cJSON_GetObjectItemCaseSensitive(res, "authType");
		av = cJSON_GetObjectItemCaseSensitive(res, "authenticationVector");
		supi = cJSON_GetObjectItemCaseSensitive(res, "supi");
		if (cJSON_IsString(type) && !strcmp(type->valuestring, "5G_AKA") &&
		    cJSON_IsObject(av) && cJSON_IsString(supi) &&
		    supi_or_suci_ok(supi->valuestring) &&
		    (!strncmp(supi->valuestring, "imsi-", 5) ||
		     !strncmp(supi->valuestring, "nai-", 4)))
			answer_ctx(s, av, supi->valuestring);
		else
			ausf_error(s->st, 500, AUSF_CAUSE_UPSTREAM_SERVER_ERROR,
				   "unexpected answer from the UDM");
		wipe_strings(res);
		cJSON_Delete(res);
	} else if (err < 0) {
		sen_log_warn(AUSF_LOG, "UDM unreachable for %s: %s", s->id, sen_strerror(err));
		ausf_error(s->st, 504, AUSF_CAUSE_UPSTREAM_SERVER_ERROR, "UDM: %s",
			   sen_strerror(err));
	} else {
		sen_sbi_problem_read(rsp, cause, sizeof(cause), detail, sizeof(detail));
		sen_log_info(AUSF_LOG, "UDM refused %s: %d %s", s->id, status, cause);
		switch (status) {
		case 400:
		case 403:
		case 404:
		case 501:
			/* The UDM's verdict on the SUCI or the subscriber goes to the SEAF. */
			ausf_error(s->st, status,
				   cause[0]	   ? cause
				   : status == 404 ? AUSF_CAUSE_USER_NOT_FOUND
						   : NULL,
				   "%s", detail[0] ? detail : "refused by the UDM");
			break;
		default:
			ausf_error(s->st, 504, AUSF_CAUSE_UPSTREAM_SERVER_ERROR, "UDM answered %d",
				   status);
		}
	}
	if (status != 200 || !res)
		sen_metric_add(sen_metric_series(ausf->m_auth, (const char *[]){"refused"}), 1);
	free(s);
}

static void on_ue_authentications(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct ausf *ausf = arg;
	cJSON *body = NULL, *id, *snn, *ri, *fwd = NULL;
	struct sen_sbi_msg *m;
	struct start *s;

	if (sen_sbi_msg_json(req, &body) < 0 || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		ausf_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
			   "AuthenticationInfo expected");
		return;
	}
	/* TS 29.509 6.1.6.2.2 AuthenticationInfo. */
	id = cJSON_GetObjectItemCaseSensitive(body, "supiOrSuci");
	snn = cJSON_GetObjectItemCaseSensitive(body, "servingNetworkName");
	ri = cJSON_GetObjectItemCaseSensitive(body, "resynchronizationInfo");
	if (!cJSON_IsString(id) || !supi_or_suci_ok(id->valuestring)) {
		ausf_error_ie(st, !id, "supiOrSuci");
		goto out;
	}
	if (!cJSON_IsString(snn) || !snn->valuestring[0] ||
	    strlen(snn->valuestring) > AUSF_SNN_MAX) {
		ausf_error_ie(st, !snn, "servingNetworkName");
		goto out;
	}
	if (ri) {
		uint8_t r[16], a[14];
		if (!cJSON_IsObject(ri) || !json_hex(ri, "rand", r, 16) ||
		    !json_hex(ri, "auts", a, 14)) {
			ausf_error_ie(st, false, "resynchronizationInfo");
			goto out;
		}
	}
	/* TS 33.501 6.1.2 / 6.1.3.2 step 3: is the serving network entitled to this name? */
	if (strcmp(snn->valuestring, ausf->home_snn) != 0) {
		sen_log_warn(AUSF_LOG, "serving network name not authorised for %.40s",
			     id->valuestring);
		sen_metric_add(sen_metric_series(ausf->m_auth, (const char *[]){"refused"}), 1);
		ausf_error(st, 403, AUSF_CAUSE_SERVING_NETWORK_NOT_AUTHORIZED,
			   "serving network name not authorised");
		goto out;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		ausf_error(st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL);
		goto out;
	}
	s->ausf = ausf;
	s->st = st;
	snprintf(s->snn, sizeof(s->snn), "%s", snn->valuestring);
	snprintf(s->id, sizeof(s->id), "%s", id->valuestring);
	/* TS 29.503 6.3.6.2.2 AuthenticationInfoRequest. */
	fwd = cJSON_CreateObject();
	cJSON_AddStringToObject(fwd, "servingNetworkName", s->snn);
	cJSON_AddStringToObject(fwd, "ausfInstanceId", ausf->nf_instance_id);
	if (ri)
		cJSON_AddItemToObject(fwd, "resynchronizationInfo", cJSON_Duplicate(ri, true));
	m = sen_sbi_request_new(SEN_SBI_POST,
				"/nudm-ueau/v1/%s/security-information/generate-auth-data",
				id->valuestring);
	if (m)
		sen_sbi_msg_set_json(m, fwd, NULL);
	/* TS 29.510 6.2.3.2.3.1: a SUPI selects a UDM by supiRanges; a SUCI does not. */
	if (!m || ausf_udm_send(ausf, strncmp(id->valuestring, "suci-", 5) ? id->valuestring : NULL,
				m, on_udm_av, s) < 0) {
		ausf_error(st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "cannot reach the UDM");
		free(s);
	}
out:
	cJSON_Delete(fwd);
	cJSON_Delete(body);
}

/* ---------------------------------------------------------------------------------------- */
/* Confirmation.                                                                              */

static void on_event_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	char *supi = arg;

	if (err < 0 || sen_sbi_msg_status(rsp) != 201)
		sen_log_warn(AUSF_LOG, "[supi=%s] auth event not stored by the UDM (%s %d)", supi,
			     err < 0 ? sen_strerror(err) : "status",
			     err < 0 ? 0 : sen_sbi_msg_status(rsp));
	free(supi);
}

/* TS 33.501 6.1.4.1a: tell the UDM the result (Nudm_UEAU_ResultConfirmation). */
static void report_event(struct ausf *ausf, const struct ausf_ctx *ctx, bool success)
{
	struct timespec ts;
	struct tm tm;
	char stamp[96];
	cJSON *ev = cJSON_CreateObject();
	struct sen_sbi_msg *m;
	char *supi = strdup(ctx->supi);

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (long)(ts.tv_nsec / 1000000) % 1000);
	/* TS 29.503 6.3.6.2.6 AuthEvent. */
	cJSON_AddStringToObject(ev, "nfInstanceId", ausf->nf_instance_id);
	cJSON_AddBoolToObject(ev, "success", success);
	cJSON_AddStringToObject(ev, "timeStamp", stamp);
	cJSON_AddStringToObject(ev, "authType", "5G_AKA");
	cJSON_AddStringToObject(ev, "servingNetworkName", ctx->snn);
	m = sen_sbi_request_new(SEN_SBI_POST, "/nudm-ueau/v1/%s/auth-events", ctx->supi);
	if (m)
		sen_sbi_msg_set_json(m, ev, NULL);
	cJSON_Delete(ev);
	if (!supi || !m || ausf_udm_send(ausf, ctx->supi, m, on_event_answer, supi) < 0) {
		sen_log_ue_warn(AUSF_LOG, ctx->tag, "auth event not sent");
		free(supi);
	}
}

static void on_confirmation(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct ausf *ausf = arg;
	struct ausf_ctx *ctx = ausf_ctx_find(ausf, sen_sbi_msg_var(req, "authCtxId"));
	uint8_t res_star[16];
	cJSON *body = NULL, *out;
	char h[65];
	bool ok;

	if (!ctx) {
		ausf_error(st, 404, AUSF_CAUSE_CONTEXT_NOT_FOUND, "no such authentication context");
		return;
	}
	if (sen_sbi_msg_json(req, &body) < 0 || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		ausf_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, "ConfirmationData expected");
		return;
	}
	/* TS 29.509 6.1.6.2.5 ConfirmationData {resStar}. */
	if (!json_hex(body, "resStar", res_star, 16)) {
		ausf_error_ie(st, !cJSON_GetObjectItemCaseSensitive(body, "resStar"), "resStar");
		cJSON_Delete(body);
		return;
	}
	cJSON_Delete(body);
	/* TS 33.501 6.1.3.2 step 11: compare RES* with XRES*, in constant time. */
	ok = CRYPTO_memcmp(res_star, ctx->xres_star, sizeof(res_star)) == 0;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "authResult",
				ok ? "AUTHENTICATION_SUCCESS" : "AUTHENTICATION_FAILURE");
	if (ok) {
		cJSON_AddStringToObject(out, "supi", ctx->supi);
		cJSON_AddStringToObject(out, "kseaf", sen_hex_encode(ctx->kseaf, 32, h));
		OPENSSL_cleanse(h, sizeof(h));
	}
	sen_log_ue_info(AUSF_LOG, ctx->tag, "5G AKA %s", ok ? "succeeded" : "failed: RES* differs");
	sen_metric_add(
	    sen_metric_series(ausf->m_auth, (const char *[]){ok ? "success" : "failure"}), 1);
	ausf_reply(st, 200, out);
	wipe_strings(out);
	cJSON_Delete(out);
	report_event(ausf, ctx, ok);
	ausf_ctx_free(ctx);
}

int ausf_ueau_routes(struct ausf *ausf)
{
	int rc = sen_sbi_server_route(ausf->srv, SEN_SBI_POST, "/nausf-auth/v1/ue-authentications",
				      on_ue_authentications, ausf);

	if (rc == 0)
		rc = sen_sbi_server_route(
		    ausf->srv, SEN_SBI_PUT,
		    "/nausf-auth/v1/ue-authentications/{authCtxId}/5g-aka-confirmation",
		    on_confirmation, ausf);
	return rc;
}
