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
	const char *service_names; /* comma-separated */
	const char *instance_id;
	const char *supi;
	const char *dnn;
	struct sen_cfg_slice snssais[MAX_LIST];
	size_t n_snssais;
	struct sen_cfg_plmn plmns[MAX_LIST];
	size_t n_plmns;
	long limit;
};

/* service-names is an array in "form, explode: false" style: "a,b,c". */
static bool has_any_service(const cJSON *p, const char *names)
{
	char name[64];
	const char *s = names;

	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n && n < sizeof(name)) {
			memcpy(name, s, n);
			name[n] = '\0';
			if (sen_nf_profile_has_service(p, name))
				return true;
		}
		s += n + (e ? 1 : 0);
	}
	return false;
}

static bool serves_plmn(const cJSON *p, const struct disc_query *q)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(p, "plmnList"), *e;

	if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list))
		return true; /* none declared: the NRF's own PLMN */
	cJSON_ArrayForEach(e, list)
	{
		const char *mcc = sen_nf_json_str(e, "mcc"), *mnc = sen_nf_json_str(e, "mnc");
		for (size_t i = 0; mcc && mnc && i < q->n_plmns; i++)
			if (!strcmp(mcc, q->plmns[i].mcc) && !strcmp(mnc, q->plmns[i].mnc))
				return true;
	}
	return false;
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
	if (q->service_names && !has_any_service(p, q->service_names))
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

/* snssais: a JSON array of 1..MAX_LIST Snssai. Returns 0 or -1. */
static int parse_snssais(const char *text, struct disc_query *q)
{
	cJSON *arr = cJSON_Parse(text), *e;
	int rv = 0;

	if (!cJSON_IsArray(arr) || !cJSON_GetArraySize(arr) || cJSON_GetArraySize(arr) > MAX_LIST)
		rv = -1;
	cJSON_ArrayForEach(e, arr)
	{
		if (rv || sen_nf_snssai_parse(e, &q->snssais[q->n_snssais++]) < 0) {
			rv = -1;
			break;
		}
	}
	cJSON_Delete(arr);
	return rv;
}

/* target-plmn-list: a JSON array of 1..MAX_LIST PlmnId. Returns 0 or -1. */
static int parse_plmns(const char *text, struct disc_query *q)
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
		struct sen_cfg_plmn *p = &q->plmns[q->n_plmns++];
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
	q.service_names = sen_sbi_msg_query(req, "service-names");
	q.instance_id = sen_sbi_msg_query(req, "target-nf-instance-id");
	q.supi = sen_sbi_msg_query(req, "supi");
	q.dnn = sen_sbi_msg_query(req, "dnn");
	if ((v = sen_sbi_msg_query(req, "snssais")) && parse_snssais(v, &q) < 0)
		bad = "snssais";
	else if ((v = sen_sbi_msg_query(req, "target-plmn-list")) && parse_plmns(v, &q) < 0)
		bad = "target-plmn-list";
	else if ((v = sen_sbi_msg_query(req, "limit"))) {
		char *end;
		q.limit = strtol(v, &end, 10);
		if (!*v || *end || q.limit < 1 || q.limit > 1000000)
			bad = "limit";
	}
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
		cJSON_AddItemToArray(list, dup);
		n++;
	}
	sen_log_debug(NRF_LOG, "discovery of %s by %s: %ld instance(s)", q.target_type,
		      sen_sbi_msg_query(req, "requester-nf-type"), n);
	nrf_respond_json(st, 200, body);
	cJSON_Delete(body);
}
