/*
 * Nnrf_NFManagement (TS 29.510 5.2.2, 6.1), the NF instance resources:
 *
 *   PUT    /nnrf-nfm/v1/nf-instances/{nfInstanceID}  NFRegister (5.2.2.2): 201 + Location,
 *                                                    or 200 when replacing (5.2.2.2.3)
 *   PATCH  /nnrf-nfm/v1/nf-instances/{nfInstanceID}  NFUpdate (5.2.2.3.1) and heartbeat
 *                                                    (5.2.2.3.2): 204, or 200 + profile
 *   DELETE /nnrf-nfm/v1/nf-instances/{nfInstanceID}  NFDeregister (5.2.2.4): 204
 *   GET    /nnrf-nfm/v1/nf-instances/{nfInstanceID}  NFProfileRetrieval (5.2.2.7): 200
 *   GET    /nnrf-nfm/v1/nf-instances?nf-type=&limit= NFListRetrieval (5.2.2.6): UriList
 *
 * Subscriptions (POST/DELETE /subscriptions) are in notify.c.
 */
#include "context.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "sbi/json_patch.h"

/* TS 29.510 6.1.6.3.2 NFStatus values an NF may register with. */
static bool valid_status(const char *s)
{
	return s && (!strcmp(s, "REGISTERED") || !strcmp(s, "SUSPENDED") ||
		     !strcmp(s, "UNDISCOVERABLE"));
}

/*
 * TS 29.510 6.1.6.2.9 SupiRange.pattern is a regular expression: one that is too long or
 * does not compile (as POSIX ERE, the dialect discovery matches with) could never select
 * a SUPI, so NFRegister/NFUpdate refuse it rather than store it. Returns false if some
 * supiRanges pattern of the profile's NF infos is bad.
 */
static bool supi_patterns_ok(const cJSON *p)
{
	static const char *const infos[] = {"udmInfo", "ausfInfo", "udrInfo", "pcfInfo", "chfInfo"};

	for (size_t i = 0; i < sizeof(infos) / sizeof(infos[0]); i++) {
		const cJSON *info = cJSON_GetObjectItemCaseSensitive(p, infos[i]);
		const cJSON *ranges = cJSON_GetObjectItemCaseSensitive(info, "supiRanges"), *r;
		cJSON_ArrayForEach(r, ranges)
		{
			const cJSON *pat = cJSON_GetObjectItemCaseSensitive(r, "pattern");
			regex_t re;
			if (!pat)
				continue;
			if (!cJSON_IsString(pat) || strlen(pat->valuestring) > SEN_NF_PATTERN_MAX ||
			    regcomp(&re, pat->valuestring, REG_EXTENDED | REG_NOSUB) != 0)
				return false;
			regfree(&re);
		}
	}
	return true;
}

/* Check a profile's mandatory members (TS 29.510 6.1.6.2.2). Returns NULL or the bad one. */
static const char *check_profile(const cJSON *p, const char *id, bool *missing)
{
	const char *pid = sen_nf_json_str(p, "nfInstanceId");
	const char *type = sen_nf_json_str(p, "nfType");
	const char *status = sen_nf_json_str(p, "nfStatus");

	*missing = true;
	if (!cJSON_GetObjectItemCaseSensitive(p, "nfInstanceId"))
		return "nfInstanceId";
	if (!cJSON_GetObjectItemCaseSensitive(p, "nfType"))
		return "nfType";
	if (!cJSON_GetObjectItemCaseSensitive(p, "nfStatus"))
		return "nfStatus";
	*missing = false;
	if (!pid || strcasecmp(pid, id))
		return "nfInstanceId";
	if (!type || !*type || strlen(type) >= NRF_TYPE_MAX)
		return "nfType";
	if (!valid_status(status))
		return "nfStatus";
	if (!supi_patterns_ok(p))
		return "supiRanges";
	return NULL;
}

/* The nfInstanceID route variable, validated as a UUID; answers 400 and returns NULL. */
static const char *instance_id(struct nrf_ctx *ctx, struct sen_sbi_stream *st,
			       struct sen_sbi_msg *req)
{
	const char *id = sen_sbi_msg_var(req, "nfInstanceID");

	if (!sen_nf_uuid_valid(id)) {
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, "nfInstanceID",
				  "nfInstanceID is not a UUID");
		return NULL;
	}
	return id;
}

static void respond_not_found(struct nrf_ctx *ctx, struct sen_sbi_stream *st, const char *id)
{
	nrf_respond_error(st, 404, NULL, NULL, "no NF instance %s", id);
}

void nrf_nfm_register(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	const char *id = instance_id(ctx, st, req), *bad;
	struct sen_sbi_msg *rsp;
	struct nrf_nf *nf;
	cJSON *profile;
	char uri[NRF_URI_MAX];
	bool created, missing;
	int rv;

	if (!id)
		return;
	if (sen_sbi_msg_json(req, &profile) < 0 || !cJSON_IsObject(profile)) {
		cJSON_Delete(profile);
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, NULL,
				  "NFProfile expected");
		return;
	}
	if ((bad = check_profile(profile, id, &missing))) {
		cJSON_Delete(profile);
		nrf_respond_error(st, 400,
				  missing ? SEN_SBI_CAUSE_MANDATORY_IE_MISSING
					  : SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				  bad, "%s %s", bad, missing ? "missing" : "incorrect");
		return;
	}
	if ((rv = nrf_nf_put(ctx, id, profile, &nf, &created)) < 0) {
		nrf_respond_error(st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL, "%s",
				  rv == -SEN_ERANGE ? "too many NF instances" : "out of memory");
		return;
	}
	sen_log_info(NRF_LOG, "%s %s %s (%s)", nf->nf_type, nf->id,
		     created ? "registered" : "re-registered",
		     sen_sbi_stream_is_local(st) ? "local" : "HTTP/2");
	rsp = sen_sbi_response_new(created ? 201 : 200);
	if (rsp) {
		sen_sbi_msg_set_json(rsp, nf->profile, NULL);
		/* TS 29.510 5.2.2.2.2: 201 Created carries the resource URI in Location. */
		if (created)
			sen_sbi_msg_set_header(rsp, "location",
					       nrf_nf_uri(ctx, nf->id, uri, sizeof(uri)));
	}
	nrf_respond(st, rsp);
	nrf_notify(ctx, nf, created ? NRF_EV_REGISTERED : NRF_EV_PROFILE_CHANGED);
}

/* True when some operation of the PatchDocument targets `path`. */
static bool patch_touches(const cJSON *patch, const char *path)
{
	const cJSON *op;

	cJSON_ArrayForEach(op, patch)
	{
		const char *p = sen_nf_json_str(op, "path");
		if (p && !strcmp(p, path))
			return true;
	}
	return false;
}

/* True when every operation touches only what a heartbeat may carry (5.2.2.3.2). */
static bool heartbeat_only(const cJSON *patch)
{
	const cJSON *op;

	cJSON_ArrayForEach(op, patch)
	{
		const char *path = sen_nf_json_str(op, "path");
		if (!path || (strcmp(path, "/nfStatus") && strcmp(path, "/load") &&
			      strcmp(path, "/loadTimeStamp")))
			return false;
	}
	return true;
}

void nrf_nfm_update(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	const char *id = instance_id(ctx, st, req), *ct, *bad, *old_status, *new_status;
	struct nrf_nf *nf;
	cJSON *patch = NULL, *doc;
	char why[256];
	bool missing, status_changed;
	int rv;

	if (!id)
		return;
	if (!(nf = nrf_nf_find(ctx, id))) {
		respond_not_found(ctx, st, id);
		return;
	}
	/* TS 29.510 6.1.3.3.3.2: the body is a PatchDocument (RFC 6902), TS 29.500 5.2.4. */
	ct = sen_sbi_msg_header(req, "content-type");
	if (ct && strncasecmp(ct, "application/json-patch+json", 27)) {
		nrf_respond_error(st, 415, NULL, NULL,
				  "content-type must be application/json-patch+json");
		return;
	}
	if ((rv = sen_sbi_msg_json(req, &patch)) < 0 && rv != -SEN_ENOENT) {
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, NULL,
				  "PatchDocument expected");
		return;
	}
	if (!patch && !(patch = cJSON_CreateArray())) { /* an empty body: a bare heartbeat */
		nrf_respond_status(st, 500);
		return;
	}
	if (!(doc = cJSON_Duplicate(nf->profile, true))) {
		cJSON_Delete(patch);
		nrf_respond_status(st, 500);
		return;
	}
	/* RFC 6902 5 / TS 29.500 5.2.4: a malformed PatchDocument is 400, an operation
	 * that cannot apply (or a failed test) 409 Conflict. */
	if ((rv = sen_sbi_json_patch(&doc, patch, why, sizeof(why))) < 0) {
		cJSON_Delete(doc);
		cJSON_Delete(patch);
		nrf_respond_error(st, rv == -SEN_EPROTO ? 400 : 409,
				  rv == -SEN_EPROTO ? SEN_SBI_CAUSE_INVALID_MSG_FORMAT : NULL, NULL,
				  "%s", why);
		return;
	}
	/* nfInstanceId and nfType are not changed by an update. */
	if ((bad = check_profile(doc, id, &missing)) ||
	    strcmp(sen_nf_json_str(doc, "nfType"), nf->nf_type)) {
		cJSON_Delete(doc);
		cJSON_Delete(patch);
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				  bad ? bad : "nfType", "the patch leaves %s %s",
				  bad ? bad : "nfType", missing ? "missing" : "incorrect");
		return;
	}
	/*
	 * The NRF set this NF SUSPENDED for missed heartbeats (context.c): a heartbeat that
	 * leaves nfStatus alone means the NF is alive again, so it gets back the status it
	 * had before (REGISTERED and discoverable again, or still UNDISCOVERABLE). When that
	 * changes the profile the answer is 200 with the profile and NF_PROFILE_CHANGED
	 * subscribers are told (TS 29.510 5.2.2.3.2).
	 */
	if (nf->suspended_by_nrf && !patch_touches(patch, "/nfStatus")) {
		const char *prev =
		    valid_status(nf->status_before) ? nf->status_before : "REGISTERED";
		cJSON *reg = cJSON_CreateString(prev);
		if (!reg || !cJSON_ReplaceItemInObjectCaseSensitive(doc, "nfStatus", reg)) {
			cJSON_Delete(reg);
			cJSON_Delete(doc);
			cJSON_Delete(patch);
			nrf_respond_status(st, 500);
			return;
		}
		sen_log_info(NRF_LOG, "%s %s: heartbeat again, %s", nf->nf_type, nf->id, prev);
	}
	old_status = sen_nf_json_str(nf->profile, "nfStatus");
	new_status = sen_nf_json_str(doc, "nfStatus");
	status_changed = strcmp(old_status, new_status) != 0;
	nrf_nf_heartbeat(nf);
	if (heartbeat_only(patch) && !status_changed) {
		/* TS 29.510 5.2.2.3.2: a heartbeat is answered 204 No Content. */
		nrf_nf_set_profile(nf, doc);
		cJSON_Delete(patch);
		nrf_respond_status(st, 204);
		return;
	}
	cJSON_Delete(patch);
	nrf_nf_set_profile(nf, doc);
	sen_log_info(NRF_LOG, "%s %s updated (nfStatus %s)", nf->nf_type, nf->id, new_status);
	nrf_respond_json(st, 200, nf->profile);
	nrf_notify(ctx, nf, NRF_EV_PROFILE_CHANGED);
}

void nrf_nfm_deregister(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	const char *id = instance_id(ctx, st, req);
	struct nrf_nf *nf;

	if (!id)
		return;
	if (!(nf = nrf_nf_find(ctx, id))) {
		respond_not_found(ctx, st, id);
		return;
	}
	sen_log_info(NRF_LOG, "%s %s deregistered", nf->nf_type, nf->id);
	nrf_respond_status(st, 204);
	nrf_notify(ctx, nf, NRF_EV_DEREGISTERED);
	nrf_nf_remove(nf);
}

void nrf_nfm_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	const char *id = instance_id(ctx, st, req);
	struct nrf_nf *nf;

	if (!id)
		return;
	if (!(nf = nrf_nf_find(ctx, id))) {
		respond_not_found(ctx, st, id);
		return;
	}
	nrf_respond_json(st, 200, nf->profile);
}

/* Parse a positive integer query parameter; 0 if absent, -1 if bad. */
static long query_uint(const struct sen_sbi_msg *req, const char *name)
{
	const char *v = sen_sbi_msg_query(req, name);
	char *end;
	long n;

	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	return *v && !*end && n >= 1 && n <= 1000000 ? n : -1;
}

static bool add_href(cJSON *arr, const char *href)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return false;
	cJSON_AddItemToArray(arr, o);
	return cJSON_AddStringToObject(o, "href", href) != NULL;
}

void nrf_nfm_list(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	const char *type = sen_sbi_msg_query(req, "nf-type");
	long limit = query_uint(req, "limit");
	cJSON *body = cJSON_CreateObject(), *links, *items, *self;
	struct sen_hash_iter it;
	char uri[NRF_URI_MAX];
	const void *k;
	size_t kl;
	void *v;
	long n = 0;
	bool ok;

	if (limit < 0) {
		cJSON_Delete(body);
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM, "limit",
				  "limit must be a positive integer");
		return;
	}
	/*
	 * TS 29.510 6.1.3.2.3.1 / 6.1.6.2.x UriList: {"_links": {"self": {href}, "item":
	 * [{href}…]}, "totalItemCount": n} (TS 29.571 LinksValueSchema): `_links` has two
	 * members, "item" (the array) and "self"; totalItemCount counts every matching
	 * instance, also those left out by `limit`.
	 */
	ok = body && (links = cJSON_AddObjectToObject(body, "_links")) &&
	     (items = cJSON_AddArrayToObject(links, "item")) &&
	     (self = cJSON_AddObjectToObject(links, "self"));
	snprintf(uri, sizeof(uri), "%s/nnrf-nfm/v1/nf-instances%s%s", ctx->api_root,
		 type ? "?nf-type=" : "", type ? type : "");
	ok = ok && cJSON_AddStringToObject(self, "href", uri);
	sen_hash_iter_init(&it, ctx->nfs);
	while (ok && sen_hash_iter_next(&it, &k, &kl, &v)) {
		struct nrf_nf *nf = v;
		if (type && strcmp(type, nf->nf_type))
			continue;
		if (!limit || n < limit)
			ok = add_href(items, nrf_nf_uri(ctx, nf->id, uri, sizeof(uri)));
		n++;
	}
	ok = ok && cJSON_AddNumberToObject(body, "totalItemCount", (double)n);
	if (!ok) {
		cJSON_Delete(body);
		nrf_respond_status(st, 500);
		return;
	}
	nrf_respond_json(st, 200, body);
	cJSON_Delete(body);
}
