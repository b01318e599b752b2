/*
 * Nnrf_NFDiscovery (TS 29.510 5.3.2, 6.2): GET /nnrf-disc/v1/nf-instances answers a
 * SearchResult {validityPeriod, nfInstances} (6.2.6.2.2) with the REGISTERED profiles
 * that satisfy every query parameter given (6.2.3.2.3.1):
 *
 *   target-nf-type, requester-nf-type   mandatory (400 MANDATORY_QUERY_PARAM_MISSING)
 *   service-names                       at least one of the listed services
 *   target-nf-instance-id               that instance
 *   supi                                inside the profile's supiRanges (or none declared)
 *   dnn                                 listed in smfInfo / upfInfo (or none declared)
 *   snssais                             one of them in sNssais / sNssai*InfoList
 *   target-plmn-list                    one of them in plmnList (or none declared)
 *   limit                               at most that many profiles
 *
 * and that the requester may discover (5.3.2.2.2; NFProfile 6.1.6.2.2, NFService 6.1.6.2.3):
 * allowedNfTypes must list requester-nf-type, allowedPlmns one of requester-plmn-list (absent:
 * the requester is in the NRF's PLMN, sen.yaml `plmn`), allowedNssais one of
 * requester-snssais (absent: not checked); an absent or empty allowed* list allows all.
 * Services of a profile that the requester may not use are left out of the answer, and a
 * profile none of whose services it may use is not returned.
 *
 * Query parameters of a JSON type (snssais, target-plmn-list) are JSON text in the query
 * (TS 29.501 5.2.3.2.6 / OpenAPI "content: application/json").
 */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

#define MAX_LIST 16

struct disc_query {
	const char *target_type;
	const char *requester_type;
	const char *service_names; /* comma-separated */
	const char *instance_id;
	const char *supi;
	const char *dnn;
	struct sen_cfg_slice snssais[MAX_LIST];
	size_t n_snssais;
	struct sen_cfg_plmn plmns[MAX_LIST];
	size_t n_plmns;
	/* requester-snssais, requester-plmn-list (or the NRF's own PLMN; 0 if unknown) */
	struct sen_cfg_slice req_snssais[MAX_LIST];
	size_t n_req_snssais;
	struct sen_cfg_plmn req_plmns[MAX_LIST];
	size_t n_req_plmns;
	long limit;
};

/* service-names is an array in "form, explode: false" style: "a,b,c". Is `name` in it? */
static bool name_listed(const char *names, const char *name)
{
	size_t len = strlen(name);
	const char *s = names;

	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == len && !memcmp(s, name, n))
			return true;
		s += n + (e ? 1 : 0);
	}
	return false;
}

/* One of the PlmnId of `list` (a JSON array) is one of p[n]. */
static bool plmn_listed(const cJSON *list, const struct sen_cfg_plmn *p, size_t n)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		const char *mcc = sen_nf_json_str(e, "mcc"), *mnc = sen_nf_json_str(e, "mnc");
		for (size_t i = 0; mcc && mnc && i < n; i++)
			if (!strcmp(mcc, p[i].mcc) && !strcmp(mnc, p[i].mnc))
				return true;
	}
	return false;
}

static bool serves_plmn(const cJSON *p, const struct disc_query *q)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(p, "plmnList");

	if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list))
		return true; /* none declared: the NRF's own PLMN */
	return plmn_listed(list, q->plmns, q->n_plmns);
}

/* A non-empty array member `name` of `o`, or NULL (absent or empty: no restriction). */
static const cJSON *restriction(const cJSON *o, const char *name)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsArray(a) && cJSON_GetArraySize(a) ? a : NULL;
}

/*
 * TS 29.510 6.1.6.2.2 (NFProfile) / 6.1.6.2.3 (NFService): may the requester of `q` access
 * `o`? allowedNfTypes, allowedPlmns and allowedNssais each restrict when present.
 */
static bool allows(const cJSON *o, const struct disc_query *q)
{
	const cJSON *l, *e;
	bool hit = false;

	if ((l = restriction(o, "allowedNfTypes"))) {
		cJSON_ArrayForEach(e, l)
		{
			if (cJSON_IsString(e) && !strcmp(e->valuestring, q->requester_type))
				hit = true;
		}
		if (!hit)
			return false;
	}
	if ((l = restriction(o, "allowedPlmns")) && q->n_req_plmns &&
	    !plmn_listed(l, q->req_plmns, q->n_req_plmns))
		return false;
	if ((l = restriction(o, "allowedNssais")) && q->n_req_snssais) {
		hit = false;
		cJSON_ArrayForEach(e, l)
		{
			struct sen_cfg_slice v;
			if (sen_nf_snssai_parse(e, &v) < 0)
				continue;
			for (size_t i = 0; i < q->n_req_snssais; i++)
				if (q->req_snssais[i].sst == v.sst && q->req_snssais[i].sd == v.sd)
					hit = true;
		}
		if (!hit)
			return false;
	}
	return true;
}

/* An NFService the requester may use and, with service-names, one it asked for. */
static bool service_ok(const cJSON *svc, const struct disc_query *q)
{
	const char *name = sen_nf_json_str(svc, "serviceName");

	if (q->service_names && (!name || !name_listed(q->service_names, name)))
		return false;
	return allows(svc, q);
}

/*
 * The profile's services decide: with service-names, one of those that the requester may
 * use; without, any service it may use (a profile without services: none needed).
 */
static bool services_match(const cJSON *p, const struct disc_query *q)
{
	const cJSON *svcs = cJSON_GetObjectItemCaseSensitive(p, "nfServices"), *s;

	if (!cJSON_IsArray(svcs) || !cJSON_GetArraySize(svcs))
		return !q->service_names;
	cJSON_ArrayForEach(s, svcs)
	{
		if (service_ok(s, q))
			return true;
	}
	return false;
}

/* Leave out of the answer (a copy) the services the requester may not use. */
static void drop_refused_services(cJSON *copy, const struct disc_query *q)
{
	cJSON *svcs = cJSON_GetObjectItemCaseSensitive(copy, "nfServices"), *s, *next;

	if (!cJSON_IsArray(svcs))
		return;
	for (s = svcs->child; s; s = next) {
		next = s->next;
		if (!allows(s, q))
			cJSON_Delete(cJSON_DetachItemViaPointer(svcs, s));
	}
}

static bool matches(const struct nrf_nf *nf, const struct disc_query *q)
{
	const cJSON *p = nf->profile;
	const char *status = sen_nf_json_str(p, "nfStatus");

	/* TS 29.510 5.3.2.2.2: only NF instances that are REGISTERED are discovered. */
	if (!status || strcmp(status, "REGISTERED") || strcmp(nf->nf_type, q->target_type))
		return false;
	if (q->instance_id && strcasecmp(q->instance_id, nf->id))
		return false;
	/* TS 29.510 5.3.2.2.2: only what the requester is allowed to discover. */
	if (!allows(p, q) || !services_match(p, q))
		return false;
	if (q->supi && !sen_nf_profile_serves_supi(p, q->supi))
		return false;
	if (q->dnn && !sen_nf_profile_serves_dnn(p, q->dnn))
		return false;
	if (q->n_snssais && !sen_nf_profile_serves_snssai(p, q->snssais, q->n_snssais))
		return false;
	if (q->n_plmns && !serves_plmn(p, q))
		return false;
	return true;
}

/* snssais / requester-snssais: a JSON array of 1..MAX_LIST Snssai. Returns 0 or -1. */
static int parse_snssais(const char *text, struct sen_cfg_slice *out, size_t *n)
{
	cJSON *arr = cJSON_Parse(text), *e;
	int rv = 0;

	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr) || cJSON_GetArraySize(arr) > MAX_LIST)
		rv = -1;
	cJSON_ArrayForEach(e, arr)
	{
		if (rv || sen_nf_snssai_parse(e, &out[(*n)++]) < 0) {
			rv = -1;
			break;
		}
	}
	cJSON_Delete(arr);
	return rv;
}

/* target-plmn-list / requester-plmn-list: a JSON array of 1..MAX_LIST PlmnId. 0 or -1. */
static int parse_plmns(const char *text, struct sen_cfg_plmn *out, size_t *n)
{
	cJSON *arr = cJSON_Parse(text), *e;
	int rv = 0;

	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr) || cJSON_GetArraySize(arr) > MAX_LIST)
		rv = -1;
	cJSON_ArrayForEach(e, arr)
	{
		const char *mcc = sen_nf_json_str(e, "mcc"), *mnc = sen_nf_json_str(e, "mnc");
		if (rv || !mcc || !mnc || strlen(mcc) != 3 || strlen(mnc) < 2 || strlen(mnc) > 3) {
			rv = -1;
			break;
		}
		struct sen_cfg_plmn *p = &out[(*n)++];
		memcpy(p->mcc, mcc, 4);
		memcpy(p->mnc, mnc, strlen(mnc) + 1);
	}
	cJSON_Delete(arr);
	return rv;
}

void nrf_disc_search(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	static const char *const mandatory[] = {"target-nf-type", "requester-nf-type"};
	struct nrf_ctx *ctx = arg;
	struct disc_query q = {0};
	const char *v, *bad = NULL;
	struct sen_hash_iter it;
	cJSON *body, *list;
	const void *k;
	size_t kl;
	void *val;
	long n = 0;

	for (size_t i = 0; i < 2; i++)
		if (!sen_sbi_msg_query(req, mandatory[i])) {
			nrf_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_QUERY_PARAM_MISSING,
					  mandatory[i], "%s is mandatory", mandatory[i]);
			return;
		}
	q.target_type = sen_sbi_msg_query(req, "target-nf-type");
	q.requester_type = sen_sbi_msg_query(req, "requester-nf-type");
	q.service_names = sen_sbi_msg_query(req, "service-names");
	q.instance_id = sen_sbi_msg_query(req, "target-nf-instance-id");
	q.supi = sen_sbi_msg_query(req, "supi");
	q.dnn = sen_sbi_msg_query(req, "dnn");
	if ((v = sen_sbi_msg_query(req, "snssais")) &&
	    parse_snssais(v, q.snssais, &q.n_snssais) < 0)
		bad = "snssais";
	else if ((v = sen_sbi_msg_query(req, "target-plmn-list")) &&
		 parse_plmns(v, q.plmns, &q.n_plmns) < 0)
		bad = "target-plmn-list";
	else if ((v = sen_sbi_msg_query(req, "requester-snssais")) &&
		 parse_snssais(v, q.req_snssais, &q.n_req_snssais) < 0)
		bad = "requester-snssais";
	else if ((v = sen_sbi_msg_query(req, "requester-plmn-list")) &&
		 parse_plmns(v, q.req_plmns, &q.n_req_plmns) < 0)
		bad = "requester-plmn-list";
	else if ((v = sen_sbi_msg_query(req, "limit"))) {
		char *end;
		q.limit = strtol(v, &end, 10);
		if (!*v || *end || q.limit < 1 || q.limit > 1000000)
			bad = "limit";
	}
	/* TS 29.510 6.2.3.2.3.1 requester-plmn-list absent: the requester is in the NRF's
	 * PLMN. */
	if (!bad && !q.n_req_plmns && ctx->home_plmn.mcc[0])
		q.req_plmns[q.n_req_plmns++] = ctx->home_plmn;
	if (bad) {
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM, bad,
				  "%s is not valid", bad);
		return;
	}
	body = cJSON_CreateObject();
	/* TS 29.510 6.2.6.2.2 SearchResult: validityPeriod in seconds, then the profiles. */
	if (!body || !cJSON_AddNumberToObject(body, "validityPeriod", ctx->cfg.validity) ||
	    !(list = cJSON_AddArrayToObject(body, "nfInstances"))) {
		cJSON_Delete(body);
		nrf_respond_status(st, 500);
		return;
	}
	sen_hash_iter_init(&it, ctx->nfs);
	while (sen_hash_iter_next(&it, &k, &kl, &val)) {
		const struct nrf_nf *nf = val;
		cJSON *dup;
		if (q.limit && n >= q.limit)
			break;
		if (!matches(nf, &q))
			continue;
		if (!(dup = cJSON_Duplicate(nf->profile, true))) {
			cJSON_Delete(body);
			nrf_respond_status(st, 500);
			return;
		}
		drop_refused_services(dup, &q);
		cJSON_AddItemToArray(list, dup);
		n++;
	}
	sen_log_debug(NRF_LOG, "discovery of %s by %s: %ld instance(s)", q.target_type,
		      sen_sbi_msg_query(req, "requester-nf-type"), n);
	nrf_respond_json(st, 200, body);
	cJSON_Delete(body);
}
