/*
 * Nudr-DR handlers (TS 29.504 Nudr_DataRepository, version v2; resources and data of
 * TS 29.505 "Usage of the UDR services for subscription data"), the part the UDM uses:
 *
 *   {apiRoot}/nudr-dr/v2/subscription-data/{ueId}/
 *     authentication-data/authentication-subscription       GET, PATCH
 *     authentication-data/authentication-status             PUT, GET, DELETE (5.2.24)
 *     {servingPlmnId}/provisioned-data/am-data              GET
 *     {servingPlmnId}/provisioned-data/smf-selection-subscription-data  GET
 *     {servingPlmnId}/provisioned-data/sm-data              GET (?single-nssai, ?dnn)
 *     context-data/amf-3gpp-access                           GET, PUT, PATCH (+ DELETE, Sen)
 *
 * and one Sen operation for the atomic SQN advance the Sen UDM uses (docs/udr.md):
 *
 *   POST {apiRoot}/sen-udr-auth/v1/{ueId}/sqn-advance   body {} or {"sqnMs": "<12 hex>"}
 *
 * Each handler checks the request on the loop (400 at once when malformed), then hands a
 * job to the worker threads (udr.c); the store call and the building of the answer run
 * there. Errors: unknown SUPI 404 USER_NOT_FOUND, missing AMF registration 404
 * DATA_NOT_FOUND (TS 29.505 5.5, TS 29.504 6.1.6); malformed path variables, query or body 400 with
 * a TS 29.500 Table 5.2.7.2-1 cause; wrong method 405 (the router).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "udr_int.h"
#include "sbi/json_patch.h"
#include "udr_json.h"

#define BASE "/nudr-dr/v2/subscription-data"

enum { DS_AM, DS_SMF_SEL, DS_SM };

/* ---------------------------------------------------------------------------------------- */
/* Request checks (on the loop).                                                              */

/* TS 29.505 VarPlmnId: MCC and MNC digits, 5 or 6 of them. */
static bool plmn_ok(const char *p)
{
	size_t n = 0;
	for (; p && p[n]; n++)
		if (p[n] < '0' || p[n] > '9')
			return false;
	return n == 5 || n == 6;
}

/* Parse the request body as JSON; answers 400 and returns NULL when it is not. */
static cJSON *body_json(struct udr *udr, struct sen_sbi_stream *st, struct sen_sbi_msg *req,
			const char *what)
{
	cJSON *j = NULL;
	int rc = sen_sbi_msg_json(req, &j);

	if (rc == -SEN_ENOENT) {
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING,
				"the body (%s) is missing", what);
		return NULL;
	}
	if (rc < 0) {
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
				"the body is not JSON (%s expected)", what);
		return NULL;
	}
	return j;
}

static void submit(struct udr *udr, struct sen_sbi_stream *st, enum udr_lane lane, const char *supi,
		   udr_exec_fn exec, cJSON *in, int kind)
{
	struct udr_job *job = udr_job_new(udr, st, lane, supi, exec);

	if (!job) {
		cJSON_Delete(in);
		udr_reply_error(udr, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				"out of memory");
		return;
	}
	job->in = in;
	job->kind = kind;
	udr_job_submit(job);
}

/*
 * The answer to a JSON Patch that failed (sen_sbi_json_patch, TS 29.500 5.2.4): a failed
 * "test" is 409 MODIFICATION_CONFLICT (RFC 6902 4.6 / RFC 5789 2.2), a malformed
 * PatchDocument 400 INVALID_MSG_FORMAT, an operation that cannot apply 400
 * MANDATORY_IE_INCORRECT.
 */
static void patch_error(struct udr_job *job, int rc, const char *why)
{
	if (rc == -SEN_EAGAIN)
		udr_res_error(job, 409, "MODIFICATION_CONFLICT", "%s", why);
	else if (rc == -SEN_ENOMEM)
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
	else if (rc == -SEN_EPROTO)
		udr_res_error(job, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, "%s", why);
	else
		udr_res_error(job, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT, "%s", why);
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication subscription (OpenAPI QueryAuthSubsData, ModifyAuthenticationSubscription). */

static void exec_auth_get(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_auth auth;
	int rc = sen_udr_store_auth_get(st, job->supi, &auth, NULL);

	if (rc < 0)
		udr_res_store_error(job, rc);
	else
		udr_res_json(job, 200, sen_udr_json_auth_subscription(&auth, auth.sqn));
	OPENSSL_cleanse(&auth, sizeof(auth));
}

static void on_auth_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *supi = sen_sbi_msg_var(req, "ueId");

	if (udr_check_supi(udr, st, supi))
		submit(udr, st, UDR_LANE_READ, supi, exec_auth_get, NULL, 0);
}

static int sqn_from_hex(const cJSON *s, uint64_t *sqn)
{
	uint8_t b[6];

	if (!cJSON_IsString(s) || strlen(s->valuestring) != 12 ||
	    sen_hex_decode_exact(s->valuestring, b, 6) < 0)
		return -SEN_EINVAL;
	*sqn = 0;
	for (int i = 0; i < 6; i++)
		*sqn = *sqn << 8 | b[i];
	return 0;
}

/*
 * PATCH authentication-subscription (ModifyAuthenticationSubscription): a JSON Patch on the
 * AuthenticationSubscription. Only sequenceNumber may change through Nudr (keys and AMF
 * belong to provisioning: 403 MODIFICATION_NOT_ALLOWED). The new sqn is applied as a
 * re-synchronisation in one transaction: SQN_HE := max(SQN_HE, SEQ || 0)
 * (sen_udr_store_sqn_resync), so a consumer that reads, increments and writes back can
 * never move the counter backwards, even when two of them race.
 */
static void exec_auth_patch(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_auth auth;
	cJSON *before = NULL, *after = NULL;
	char why[160] = "";
	uint64_t sqn;
	int rc = sen_udr_store_auth_get(st, job->supi, &auth, NULL);

	if (rc < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	before = sen_udr_json_auth_subscription(&auth, auth.sqn);
	after = before ? cJSON_Duplicate(before, true) : NULL;
	if (!after) {
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		goto out;
	}
	rc = sen_sbi_json_patch(&after, job->in, why, sizeof(why));
	if (rc < 0) {
		patch_error(job, rc, why);
		goto out;
	}
	const cJSON *seq = cJSON_GetObjectItemCaseSensitive(after, "sequenceNumber");
	if (!cJSON_IsObject(after) ||
	    sqn_from_hex(cJSON_GetObjectItemCaseSensitive(seq, "sqn"), &sqn) < 0) {
		udr_res_error(job, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
			      "sequenceNumber.sqn: must be 12 hex digits");
		goto out;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(before, "sequenceNumber");
	cJSON_DeleteItemFromObjectCaseSensitive(after, "sequenceNumber");
	if (!cJSON_Compare(before, after, true)) {
		udr_res_error(job, 403, UDR_CAUSE_MODIFICATION_NOT_ALLOWED,
			      "only sequenceNumber may be modified through Nudr");
		goto out;
	}
	if ((rc = sen_udr_store_sqn_resync(st, job->supi, sqn)) < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	job->res.status = 204;
out:
	/* The trees hold K and OPc as text. */
	sen_udr_json_wipe_delete(before);
	sen_udr_json_wipe_delete(after);
	OPENSSL_cleanse(&auth, sizeof(auth));
}

static void on_auth_patch(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *supi = sen_sbi_msg_var(req, "ueId");
	cJSON *patch;

	if (!udr_check_supi(udr, st, supi) ||
	    !(patch = body_json(udr, st, req, "an array of PatchItem")))
		return;
	if (!cJSON_IsArray(patch) || cJSON_GetArraySize(patch) < 1) {
		cJSON_Delete(patch);
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
				"the body must be a non-empty array of PatchItem");
		return;
	}
	submit(udr, st, UDR_LANE_WRITE, supi, exec_auth_patch, patch, 0);
}

/*
 * Sen's atomic SQN advance (docs/udr.md "SQN"): in one job on the writer thread, refuse a
 * barred subscriber (403 AUTHENTICATION_REJECTED, which the UDM passes on as TS 29.503
 * generate-auth-data's error), re-synchronise first when the body carries sqnMs (the
 * SQN_MS the UDM recovered from a verified AUTS, TS 33.102 6.3.5), then advance the SQN in
 * one transaction (sen_udr_store_sqn_next) and return the AuthenticationSubscription whose
 * sequenceNumber.sqn is the SQN to put in the vector. That SQN is durable before the
 * answer leaves, and never handed out again.
 */
static void exec_sqn_advance(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_auth auth;
	bool barred = false;
	uint64_t sqn;
	int rc = sen_udr_store_auth_get(st, job->supi, &auth, &barred);

	if (rc < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	if (barred) {
		udr_res_error(job, 403, "AUTHENTICATION_REJECTED", "the subscriber is barred");
		goto out;
	}
	if (job->flag && (rc = sen_udr_store_sqn_resync(st, job->supi, job->num)) < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	rc = sen_udr_store_sqn_next(st, job->supi, &sqn);
	if (rc == -SEN_ERANGE) {
		udr_res_error(job, 403, "AUTHENTICATION_REJECTED",
			      "the SQN is exhausted (TS 33.102 C.2.1): the USIM needs new data");
		goto out;
	}
	if (rc < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	udr_res_json(job, 200, sen_udr_json_auth_subscription(&auth, sqn));
out:
	OPENSSL_cleanse(&auth, sizeof(auth));
}

static void on_sqn_advance(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *supi = sen_sbi_msg_var(req, "ueId");
	cJSON *body = NULL;
	size_t len = 0;
	uint64_t sqn_ms = 0;
	bool resync = false;

	if (!udr_check_supi(udr, st, supi))
		return;
	sen_sbi_msg_body(req, &len);
	if (len) {
		const cJSON *m;
		if (!(body = body_json(udr, st, req, "{} or {\"sqnMs\": hex}")))
			return;
		if (!cJSON_IsObject(body))
			goto bad;
		cJSON_ArrayForEach(m, body)
		{
			if (strcmp(m->string, "sqnMs") || sqn_from_hex(m, &sqn_ms) < 0)
				goto bad;
			resync = true;
		}
		cJSON_Delete(body);
	}
	struct udr_job *job = udr_job_new(udr, st, UDR_LANE_WRITE, supi, exec_sqn_advance);
	if (!job) {
		udr_reply_error(udr, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				"out of memory");
		return;
	}
	job->flag = resync;
	job->num = sqn_ms;
	udr_job_submit(job);
	return;
bad:
	cJSON_Delete(body);
	udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
			"the body must be {} or {\"sqnMs\": \"<12 hex digits>\"}");
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication status (TS 29.505 5.2.24: CreateAuthenticationStatus PUT -> 204,            */
/* QueryAuthenticationStatus GET -> 200 AuthEvent, DeleteAuthenticationStatus DELETE -> 204). */

enum { AS_PUT, AS_GET, AS_DEL };

/* TS 29.503 6.3.6.3.3 AuthType. */
static const char *const auth_types[] = {"5G_AKA", "EAP_AKA_PRIME", "EAP_TLS", "EAP_TTLS", "NONE"};

/* A string member of at most cap - 1 printable ASCII characters, or NULL. */
static const char *ev_str(const cJSON *ev, const char *name, size_t cap)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(ev, name);
	size_t n;

	if (!cJSON_IsString(m))
		return NULL;
	n = strlen(m->valuestring);
	if (n == 0 || n >= cap)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (m->valuestring[i] < ' ' || m->valuestring[i] > '~')
			return NULL;
	return m->valuestring;
}

/*
 * Check an AuthEvent (TS 29.503 6.3.6.2.6: nfInstanceId, success, timeStamp, authType and
 * servingNetworkName are mandatory) and fill *out with the members the store keeps in
 * columns. Returns NULL, or the member that is wrong (*missing: absent rather than bad).
 */
static const char *auth_event_check(const cJSON *ev, struct sen_udr_auth_status *out, bool *missing)
{
	static const struct {
		const char *name;
		size_t off, cap;
	} strs[] = {
	    {"nfInstanceId", offsetof(struct sen_udr_auth_status, nf_instance_id),
	     SEN_UDR_NFID_SIZE},
	    {"timeStamp", offsetof(struct sen_udr_auth_status, time_stamp), SEN_UDR_TIME_SIZE},
	    {"authType", offsetof(struct sen_udr_auth_status, auth_type), SEN_UDR_AUTH_TYPE_SIZE},
	    {"servingNetworkName", offsetof(struct sen_udr_auth_status, serving_network_name),
	     SEN_UDR_SNN_SIZE},
	};
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(ev, "success");
	const char *s;
	size_t i;

	memset(out, 0, sizeof(*out));
	*missing = false;
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (!(s = ev_str(ev, strs[i].name, strs[i].cap))) {
			*missing = !cJSON_GetObjectItemCaseSensitive(ev, strs[i].name);
			return strs[i].name;
		}
		memcpy((char *)out + strs[i].off, s, strlen(s) + 1);
	}
	if (!cJSON_IsBool(ok)) {
		*missing = !ok;
		return "success";
	}
	out->success = cJSON_IsTrue(ok);
	/* NfInstanceId is a UUID (TS 29.571 5.3.2). */
	for (i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23)
			? out->nf_instance_id[i] != '-'
			: !strchr("0123456789abcdefABCDEF", out->nf_instance_id[i]))
			return "nfInstanceId";
	if (out->nf_instance_id[36])
		return "nfInstanceId";
	for (i = 0; i < sizeof(auth_types) / sizeof(auth_types[0]); i++)
		if (!strcmp(out->auth_type, auth_types[i]))
			break;
	if (i == sizeof(auth_types) / sizeof(auth_types[0]))
		return "authType";
	/* TS 29.503 ServingNetworkName: "5G:mnc<MNC>.mcc<MCC>.3gppnetwork.org…" or "5G:NSWO". */
	if (strncmp(out->serving_network_name, "5G:", 3))
		return "servingNetworkName";
	return NULL;
}

static void status_not_found(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_auth auth;
	int rc = sen_udr_store_auth_get(st, job->supi, &auth, NULL);

	OPENSSL_cleanse(&auth, sizeof(auth));
	if (rc == 0)
		udr_res_error(job, 404, UDR_CAUSE_DATA_NOT_FOUND, "no authentication status for %s",
			      job->supi);
	else
		udr_res_store_error(job, rc);
}

static void exec_auth_status(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_auth_status ev;
	char *json = NULL;
	bool missing;
	int rc;

	switch (job->kind) {
	case AS_PUT:
		if (auth_event_check(job->in, &ev, &missing) ||
		    !(json = cJSON_PrintUnformatted(job->in))) {
			udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				      "out of memory");
			return;
		}
		rc = sen_udr_store_auth_status_put(st, job->supi, &ev, json);
		free(json);
		if (rc < 0)
			udr_res_store_error(job, rc);
		else
			job->res.status = 204;
		return;
	case AS_GET:
		rc = sen_udr_store_auth_status_get(st, job->supi, NULL, &json);
		if (rc == -SEN_ENOENT) {
			status_not_found(job, st);
		} else if (rc < 0) {
			udr_res_store_error(job, rc);
		} else {
			job->res.status = 200;
			job->res.body = json;
		}
		return;
	default:
		rc = sen_udr_store_auth_status_del(st, job->supi);
		if (rc == -SEN_ENOENT)
			status_not_found(job, st);
		else if (rc < 0)
			udr_res_store_error(job, rc);
		else
			job->res.status = 204;
		return;
	}
}

static void status_request(struct sen_sbi_stream *st, struct sen_sbi_msg *req, struct udr *udr,
			   int kind)
{
	const char *supi = sen_sbi_msg_var(req, "ueId");
	struct sen_udr_auth_status ev;
	const char *bad;
	bool missing;
	size_t len = 0;
	cJSON *in = NULL;

	if (!udr_check_supi(udr, st, supi))
		return;
	if (kind == AS_PUT) {
		sen_sbi_msg_body(req, &len);
		if (len > SEN_UDR_AUTH_STATUS_MAX) {
			udr_reply_error(udr, st, 413, "TOO_MUCH_DATA",
					"an AuthEvent is at most %d bytes",
					SEN_UDR_AUTH_STATUS_MAX);
			return;
		}
		if (!(in = body_json(udr, st, req, "AuthEvent")))
			return;
		if (!cJSON_IsObject(in)) {
			cJSON_Delete(in);
			udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
					"AuthEvent must be a JSON object");
			return;
		}
		if ((bad = auth_event_check(in, &ev, &missing))) {
			cJSON_Delete(in);
			udr_reply_error(udr, st, 400,
					missing ? SEN_SBI_CAUSE_MANDATORY_IE_MISSING
						: SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					"%s: %s (TS 29.503 AuthEvent)", bad,
					missing ? "missing" : "incorrect");
			return;
		}
	}
	submit(udr, st, kind == AS_GET ? UDR_LANE_READ : UDR_LANE_WRITE, supi, exec_auth_status, in,
	       kind);
}

static void on_status_put(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	status_request(st, req, arg, AS_PUT);
}

static void on_status_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	status_request(st, req, arg, AS_GET);
}

static void on_status_delete(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	status_request(st, req, arg, AS_DEL);
}

/* ---------------------------------------------------------------------------------------- */
/* Provisioned data (QueryAmData, QuerySmfSelectData, QuerySmData).                          */

static void exec_provisioned(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_subscriber *sub = malloc(sizeof(*sub));
	cJSON *j = NULL;
	int rc;

	if (!sub) {
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		return;
	}
	if ((rc = sen_udr_store_get(st, job->supi, sub)) < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	switch (job->kind) {
	case DS_AM:
		j = sen_udr_json_am_data(sub);
		break;
	case DS_SMF_SEL:
		j = sen_udr_json_smf_sel_data(sub);
		break;
	default:
		j = sen_udr_json_sm_data(sub, job->has_snssai, job->sst, job->sd,
					 job->dnn[0] ? job->dnn : NULL);
		break;
	}
	udr_res_json(job, 200, j);
out:
	OPENSSL_cleanse(sub, sizeof(*sub));
	free(sub);
}

static struct udr_job *provisioned_job(struct udr *udr, struct sen_sbi_stream *st,
				       struct sen_sbi_msg *req, int kind)
{
	const char *supi = sen_sbi_msg_var(req, "ueId");
	const char *plmn = sen_sbi_msg_var(req, "servingPlmnId");
	struct udr_job *job;

	if (!udr_check_supi(udr, st, supi))
		return NULL;
	if (!plmn_ok(plmn)) {
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				"servingPlmnId: must be MCC and MNC, 5 or 6 digits");
		return NULL;
	}
	if (!(job = udr_job_new(udr, st, UDR_LANE_READ, supi, exec_provisioned))) {
		udr_reply_error(udr, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				"out of memory");
		return NULL;
	}
	job->kind = kind;
	return job;
}

static void on_am_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr_job *job = provisioned_job(arg, st, req, DS_AM);
	if (job)
		udr_job_submit(job);
}

static void on_smf_sel_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr_job *job = provisioned_job(arg, st, req, DS_SMF_SEL);
	if (job)
		udr_job_submit(job);
}

/* TS 29.505 QuerySmData: single-nssai (a JSON-encoded Snssai) and dnn filter the answer. */
static void on_sm_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *q_nssai = sen_sbi_msg_query(req, "single-nssai");
	const char *q_dnn = sen_sbi_msg_query(req, "dnn");
	struct udr_job *job = provisioned_job(udr, st, req, DS_SM);

	if (!job)
		return;
	if (q_nssai) {
		cJSON *j = cJSON_Parse(q_nssai);
		int rc = sen_udr_json_parse_snssai(j, &job->sst, &job->sd);
		cJSON_Delete(j);
		if (rc < 0) {
			udr_reply_error(
			    udr, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM,
			    "single-nssai: must be a JSON Snssai {\"sst\": n, \"sd\": hex}");
			free(job);
			return;
		}
		job->has_snssai = true;
	}
	if (q_dnn) {
		if (!q_dnn[0] || strlen(q_dnn) >= sizeof(job->dnn)) {
			udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM,
					"dnn: must be a DNN name");
			free(job);
			return;
		}
		strcpy(job->dnn, q_dnn);
	}
	udr_job_submit(job);
}

/* ---------------------------------------------------------------------------------------- */
/* AMF 3GPP access registration (QueryAmfContext3gpp, CreateAmfContext3gpp, AmfContext3gpp;  */
/* data type TS 29.503 Amf3GppAccessRegistration).                                            */

enum { REG_GET, REG_PUT, REG_PATCH, REG_DEL };

/* 404 for a missing registration: is it the user or only the data that is missing? */
static void reg_not_found(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_auth auth;
	int rc = sen_udr_store_auth_get(st, job->supi, &auth, NULL);

	OPENSSL_cleanse(&auth, sizeof(auth));
	if (rc == 0)
		udr_res_error(job, 404, UDR_CAUSE_DATA_NOT_FOUND,
			      "no AMF 3GPP access registration for %s", job->supi);
	else
		udr_res_store_error(job, rc);
}

/*
 * The mandatory members of Amf3GppAccessRegistration (TS 29.503 6.2.6.2.2): amfInstanceId
 * (a UUID), deregCallbackUri, guami, ratType. Returns NULL or what is wrong.
 */
static const char *reg_check(const cJSON *r)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "amfInstanceId");
	const char *s;

	if (!cJSON_IsObject(r))
		return "Amf3GppAccessRegistration must be a JSON object";
	if (!cJSON_IsString(id))
		return "amfInstanceId: missing";
	s = id->valuestring;
	if (strlen(s) != 36)
		return "amfInstanceId: must be a UUID";
	for (int i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23)
			? s[i] != '-'
			: !strchr("0123456789abcdefABCDEF", s[i]))
			return "amfInstanceId: must be a UUID";
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "deregCallbackUri")))
		return "deregCallbackUri: missing";
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(r, "guami")))
		return "guami: missing";
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "ratType")))
		return "ratType: missing";
	return NULL;
}

static void reg_put(struct udr_job *job, struct sen_udr_store *st, cJSON *reg, bool created)
{
	char *text = cJSON_PrintUnformatted(reg);
	const char *id = cJSON_GetObjectItemCaseSensitive(reg, "amfInstanceId")->valuestring;
	int rc;

	if (!text) {
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		return;
	}
	if (strlen(text) > SEN_UDR_AMF_REG_MAX) {
		free(text);
		udr_res_error(job, 413, "TOO_MUCH_DATA", "the registration is over %d bytes",
			      SEN_UDR_AMF_REG_MAX);
		return;
	}
	rc = sen_udr_store_amf_reg_put(st, job->supi, id, text);
	if (rc < 0) {
		free(text);
		udr_res_store_error(job, rc);
		return;
	}
	if (created) {
		/* TS 29.505: 201 with the representation and its Location. */
		job->res.status = 201;
		job->res.body = text;
		snprintf(job->res.location, sizeof(job->res.location),
			 BASE "/%s/context-data/amf-3gpp-access", job->supi);
	} else {
		free(text);
		job->res.status = 204;
	}
}

static void exec_reg(struct udr_job *job, struct sen_udr_store *st)
{
	char *json = NULL;
	cJSON *reg = NULL;
	char why[160] = "";
	const char *bad;
	int rc = job->kind == REG_DEL ? sen_udr_store_amf_reg_del(st, job->supi)
				      : sen_udr_store_amf_reg_get(st, job->supi, NULL, &json);

	if (rc == -SEN_ENOENT && job->kind != REG_PUT) {
		reg_not_found(job, st);
		goto out;
	}
	if (rc < 0 && rc != -SEN_ENOENT) {
		udr_res_store_error(job, rc);
		goto out;
	}
	switch (job->kind) {
	case REG_GET:
		job->res.status = 200;
		job->res.body = json;
		json = NULL;
		break;
	case REG_DEL:
		job->res.status = 204;
		break;
	case REG_PUT:
		reg_put(job, st, job->in, rc == -SEN_ENOENT);
		break;
	case REG_PATCH:
		if (!(reg = cJSON_Parse(json))) {
			udr_res_error(job, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
				      "the stored registration is not JSON");
			break;
		}
		rc = sen_sbi_json_patch(&reg, job->in, why, sizeof(why));
		if (rc < 0) {
			patch_error(job, rc, why);
		} else if ((bad = reg_check(reg))) {
			udr_res_error(job, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT, "%s", bad);
		} else {
			reg_put(job, st, reg, false);
		}
		break;
	}
out:
	free(json);
	cJSON_Delete(reg);
}

static void reg_request(struct sen_sbi_stream *st, struct sen_sbi_msg *req, struct udr *udr,
			int kind)
{
	const char *supi = sen_sbi_msg_var(req, "ueId");
	cJSON *in = NULL;
	const char *bad;

	if (!udr_check_supi(udr, st, supi))
		return;
	if (kind == REG_PUT) {
		if (!(in = body_json(udr, st, req, "Amf3GppAccessRegistration")))
			return;
		if ((bad = reg_check(in))) {
			cJSON_Delete(in);
			udr_reply_error(udr, st, 400,
					strstr(bad, "missing")
					    ? SEN_SBI_CAUSE_MANDATORY_IE_MISSING
					    : SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					"%s", bad);
			return;
		}
	} else if (kind == REG_PATCH) {
		if (!(in = body_json(udr, st, req, "an array of PatchItem")))
			return;
		if (!cJSON_IsArray(in) || cJSON_GetArraySize(in) < 1) {
			cJSON_Delete(in);
			udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
					"the body must be a non-empty array of PatchItem");
			return;
		}
	}
	submit(udr, st, kind == REG_GET ? UDR_LANE_READ : UDR_LANE_WRITE, supi, exec_reg, in, kind);
}

static void on_reg_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	reg_request(st, req, arg, REG_GET);
}

static void on_reg_put(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	reg_request(st, req, arg, REG_PUT);
}

static void on_reg_patch(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	reg_request(st, req, arg, REG_PATCH);
}

static void on_reg_delete(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	reg_request(st, req, arg, REG_DEL);
}

/* ---------------------------------------------------------------------------------------- */

int udr_nudr_routes(struct udr *udr)
{
	static const struct {
		enum sen_sbi_method m;
		const char *path;
		sen_sbi_handler_fn fn;
	} routes[] = {
	    {SEN_SBI_GET, BASE "/{ueId}/authentication-data/authentication-subscription",
	     on_auth_get},
	    {SEN_SBI_PATCH, BASE "/{ueId}/authentication-data/authentication-subscription",
	     on_auth_patch},
	    {SEN_SBI_PUT, BASE "/{ueId}/authentication-data/authentication-status", on_status_put},
	    {SEN_SBI_GET, BASE "/{ueId}/authentication-data/authentication-status", on_status_get},
	    {SEN_SBI_DELETE, BASE "/{ueId}/authentication-data/authentication-status",
	     on_status_delete},
	    {SEN_SBI_GET, BASE "/{ueId}/{servingPlmnId}/provisioned-data/am-data", on_am_data},
	    {SEN_SBI_GET,
	     BASE "/{ueId}/{servingPlmnId}/provisioned-data/smf-selection-subscription-data",
	     on_smf_sel_data},
	    {SEN_SBI_GET, BASE "/{ueId}/{servingPlmnId}/provisioned-data/sm-data", on_sm_data},
	    {SEN_SBI_GET, BASE "/{ueId}/context-data/amf-3gpp-access", on_reg_get},
	    {SEN_SBI_PUT, BASE "/{ueId}/context-data/amf-3gpp-access", on_reg_put},
	    {SEN_SBI_PATCH, BASE "/{ueId}/context-data/amf-3gpp-access", on_reg_patch},
	    {SEN_SBI_DELETE, BASE "/{ueId}/context-data/amf-3gpp-access", on_reg_delete},
	    {SEN_SBI_POST, "/sen-udr-auth/v1/{ueId}/sqn-advance", on_sqn_advance},
	};
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		int rc = sen_sbi_server_route(udr_server(udr), routes[i].m, routes[i].path,
					      routes[i].fn, udr);
		if (rc < 0)
			return rc;
	}
	return 0;
}
