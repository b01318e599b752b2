/*
 * Nudm-SDM (TS 29.503 clause 5.2 and 6.1): subscription data for the AMF and the SMF,
 * read from the UDR (TS 29.505 5.2.2.3 provisioned data) and answered in TS 29.503 shapes.
 *
 *   GET /nudm-sdm/v2/{supi}/am-data          AccessAndMobilitySubscriptionData (6.1.6.2.4)
 *   GET /nudm-sdm/v2/{supi}/nssai            Nssai (6.1.6.2.2), from the am-data
 *   GET /nudm-sdm/v2/{supi}/smf-select-data  SmfSelectionSubscriptionData (6.1.6.2.5)
 *   GET /nudm-sdm/v2/{supi}/sm-data          [SessionManagementSubscriptionData] (6.1.6.2.8),
 *       ?single-nssai={"sst":1,"sd":"000001"} and ?dnn=internet select (TS 29.503 6.1.3.5.3.1)
 *
 * Optional ?plmn-id={"mcc":"999","mnc":"70"} names the serving PLMN (TS 29.503 6.1.3.x);
 * without it the home PLMN is used as the UDR's servingPlmnId.
 * Errors: unknown subscriber 404 USER_NOT_FOUND; no such data 404 DATA_NOT_FOUND; a bad
 * query parameter 400 INVALID_QUERY_PARAM.
 */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/log.h"

enum sdm_kind { SDM_AM, SDM_NSSAI, SDM_SMF_SEL, SDM_SM };

static const char *const udr_leaf[] = {
    [SDM_AM] = "am-data",
    [SDM_NSSAI] = "am-data",
    [SDM_SMF_SEL] = "smf-selection-subscription-data",
    [SDM_SM] = "sm-data",
};

struct sdm_get {
	struct udm *udm;
	struct sen_sbi_stream *st;
	enum sdm_kind kind;
	bool has_snssai;
	int sst;
	char sd[7]; /* "" when the filter has no SD */
	char dnn[128];
};

/* TS 29.571 Snssai {sst 0..255, sd 6 hex digits}; sd "" when absent. */
static bool snssai_parse(const cJSON *o, int *sst, char sd[7])
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "sst");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "sd");

	if (!cJSON_IsNumber(s) || s->valuedouble < 0 || s->valuedouble > 255 ||
	    s->valuedouble != (int)s->valuedouble)
		return false;
	*sst = (int)s->valuedouble;
	sd[0] = '\0';
	if (d) {
		if (!cJSON_IsString(d) || strlen(d->valuestring) != 6 ||
		    strspn(d->valuestring, "0123456789abcdefABCDEF") != 6)
			return false;
		memcpy(sd, d->valuestring, 7);
	}
	return true;
}

static bool snssai_match(const cJSON *o, int sst, const char *sd)
{
	int s;
	char d[7];

	/* TS 23.003 28.4.2: an absent SD and "ffffff" both mean no SD. */
	if (!snssai_parse(o, &s, d) || s != sst)
		return false;
	const char *a = strcasecmp(d, "ffffff") ? d : "";
	const char *b = strcasecmp(sd, "ffffff") ? sd : "";
	return strcasecmp(a, b) == 0;
}

/* Keep the elements of the SmSubsData array that the filters select. */
static void sm_filter(struct sdm_get *q, cJSON *arr)
{
	cJSON *e = arr->child, *next;

	for (; e; e = next) {
		next = e->next;
		cJSON *cfgs = cJSON_GetObjectItemCaseSensitive(e, "dnnConfigurations");
		bool keep = true;
		if (q->has_snssai)
			keep = snssai_match(cJSON_GetObjectItemCaseSensitive(e, "singleNssai"),
					    q->sst, q->sd);
		if (keep && q->dnn[0]) {
			/* TS 23.003 9.1: DNNs compare without case. Keep only that DNN. */
			cJSON *c = cfgs ? cfgs->child : NULL, *cn;
			keep = false;
			for (; c; c = cn) {
				cn = c->next;
				if (c->string && !strcasecmp(c->string, q->dnn))
					keep = true;
				else
					cJSON_Delete(cJSON_DetachItemViaPointer(cfgs, c));
			}
		}
		if (!keep)
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, e));
	}
}

static void on_udr_data(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct sdm_get *q = arg;
	struct udm *udm = q->udm;
	cJSON *data = NULL, *out;

	if (err < 0 || sen_sbi_msg_status(rsp) != 200) {
		udm_error_udr(udm, q->st, err, rsp);
		free(q);
		return;
	}
	if (sen_sbi_msg_json(rsp, &data) < 0 ||
	    (q->kind == SDM_SM ? !cJSON_IsArray(data) : !cJSON_IsObject(data))) {
		sen_log_error(UDM_LOG, "UDR sent malformed %s", udr_leaf[q->kind]);
		udm_error(udm, q->st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
			  "malformed subscription data");
		goto out;
	}
	out = data;
	switch (q->kind) {
	case SDM_NSSAI:
		out = cJSON_GetObjectItemCaseSensitive(data, "nssai");
		if (!cJSON_IsObject(out)) {
			udm_error(udm, q->st, 404, UDM_CAUSE_DATA_NOT_FOUND, "no subscribed NSSAI");
			goto out;
		}
		break;
	case SDM_SM:
		sm_filter(q, data);
		if ((q->has_snssai || q->dnn[0]) && !cJSON_GetArraySize(data)) {
			udm_error(udm, q->st, 404, UDM_CAUSE_DATA_NOT_FOUND,
				  "no session management data for that selection");
			goto out;
		}
		break;
	default:
		break;
	}
	udm_reply(udm, q->st, 200, out);
out:
	cJSON_Delete(data);
	free(q);
}

/* Serving PLMN for the UDR path: ?plmn-id (TS 29.571 PlmnId as JSON) or the home PLMN. */
static bool plmn_param(struct udm *udm, struct sen_sbi_msg *req, char out[8])
{
	const char *p = sen_sbi_msg_query(req, "plmn-id");
	cJSON *j, *mcc, *mnc;
	bool ok;

	if (!p) {
		memcpy(out, udm->plmn_id, 8);
		return true;
	}
	j = cJSON_Parse(p);
	mcc = cJSON_GetObjectItemCaseSensitive(j, "mcc");
	mnc = cJSON_GetObjectItemCaseSensitive(j, "mnc");
	ok = cJSON_IsString(mcc) && cJSON_IsString(mnc) && strlen(mcc->valuestring) == 3 &&
	     strspn(mcc->valuestring, "0123456789") == 3 &&
	     (strlen(mnc->valuestring) == 2 || strlen(mnc->valuestring) == 3) &&
	     strspn(mnc->valuestring, "0123456789") == strlen(mnc->valuestring);
	if (ok)
		snprintf(out, 8, "%s%s", mcc->valuestring, mnc->valuestring);
	cJSON_Delete(j);
	return ok;
}

static void sdm_get(struct udm *udm, struct sen_sbi_stream *st, struct sen_sbi_msg *req,
		    enum sdm_kind kind)
{
	const char *supi = sen_sbi_msg_var(req, "supi");
	struct sen_sbi_msg *r;
	struct sdm_get *q;
	char plmn[8];

	if (!udm_supi_valid(supi)) {
		udm_error_ie(udm, st, false, "supi");
		return;
	}
	if (!plmn_param(udm, req, plmn)) {
		udm_error(udm, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM, "plmn-id");
		return;
	}
	if (!(q = calloc(1, sizeof(*q)))) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL);
		return;
	}
	q->udm = udm;
	q->st = st;
	q->kind = kind;
	if (kind == SDM_SM) {
		const char *s = sen_sbi_msg_query(req, "single-nssai");
		const char *d = sen_sbi_msg_query(req, "dnn");
		if (s) {
			cJSON *j = cJSON_Parse(s);
			q->has_snssai = cJSON_IsObject(j) && snssai_parse(j, &q->sst, q->sd);
			cJSON_Delete(j);
			if (!q->has_snssai) {
				udm_error(udm, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM,
					  "single-nssai");
				free(q);
				return;
			}
		}
		if (d) {
			/* TS 23.003 9.1: at most 100 octets. */
			if (!d[0] || strlen(d) > 100) {
				udm_error(udm, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM, "dnn");
				free(q);
				return;
			}
			snprintf(q->dnn, sizeof(q->dnn), "%s", d);
		}
	}
	r = sen_sbi_request_new(SEN_SBI_GET,
				"/nudr-dr/v2/subscription-data/%s/%s/provisioned-data/%s", supi,
				plmn, udr_leaf[kind]);
	if (!r || udm_udr_send(udm, supi, r, on_udr_data, q) < 0) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
			  "cannot reach the UDR");
		free(q);
	}
}

static void on_am_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	sdm_get(arg, st, req, SDM_AM);
}

static void on_nssai(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	sdm_get(arg, st, req, SDM_NSSAI);
}

static void on_smf_select(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	sdm_get(arg, st, req, SDM_SMF_SEL);
}

static void on_sm_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	sdm_get(arg, st, req, SDM_SM);
}

int udm_sdm_routes(struct udm *udm)
{
	static const struct {
		const char *path;
		sen_sbi_handler_fn fn;
	} r[] = {
	    {"/nudm-sdm/v2/{supi}/am-data", on_am_data},
	    {"/nudm-sdm/v2/{supi}/nssai", on_nssai},
	    {"/nudm-sdm/v2/{supi}/smf-select-data", on_smf_select},
	    {"/nudm-sdm/v2/{supi}/sm-data", on_sm_data},
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]) && rc == 0; i++)
		rc = sen_sbi_server_route(udm->srv, SEN_SBI_GET, r[i].path, r[i].fn, udm);
	return rc;
}
