/*
 * Sen's provisioning API: not a 3GPP service (TS 29.505 leaves provisioning of the UDR to
 * the operator), hence its own name and version, /sen-prov/v1. `senctl subscriber` uses
 * it; docs/udr.md describes the JSON form (udr_json.h, sen_udr_json_prov).
 *
 *   GET    /sen-prov/v1/subscribers[?limit=N&after=SUPI]   a page of subscribers, by SUPI
 *   POST   /sen-prov/v1/subscribers                        create: 201 + Location, 409 if
 *                                                          the SUPI exists, 400 if invalid
 *   GET    /sen-prov/v1/subscribers/{supi}[?secrets=true]  one subscriber (K/OP only with
 *                                                          secrets=true)
 *   PUT    /sen-prov/v1/subscribers/{supi}                 replace (all but the SQN): 204
 *   DELETE /sen-prov/v1/subscribers/{supi}                 204, 404 if unknown
 *
 * Every write runs on the UDR's single writer thread, one transaction each, and is durable
 * before the answer is sent (store.h): an acknowledged subscriber survives a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/err.h"
#include "udr_int.h"
#include "udr_json.h"

#define BASE	 "/sen-prov/v1/subscribers"
#define PAGE_DEF 100
#define PAGE_MAX 500

enum { PROV_LIST, PROV_GET, PROV_CREATE, PROV_UPDATE, PROV_DEL };

static void exec_list(struct udr_job *job, struct sen_udr_store *st)
{
	size_t max = (size_t)job->num, n = 0;
	char(*supis)[SEN_UDR_SUPI_SIZE] = calloc(max, sizeof(*supis));
	struct sen_udr_subscriber *sub = malloc(sizeof(*sub));
	cJSON *o = cJSON_CreateObject(), *arr;
	int rc;

	if (!supis || !sub || !o || !(arr = cJSON_AddArrayToObject(o, "subscribers"))) {
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		goto out;
	}
	if ((rc = sen_udr_store_list(st, job->arg[0] ? job->arg : NULL, supis, max, &n)) < 0) {
		udr_res_store_error(job, rc);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		rc = sen_udr_store_get(st, supis[i], sub);
		if (rc == -SEN_ENOENT)
			continue; /* deleted since the list was read */
		if (rc < 0) {
			udr_res_store_error(job, rc);
			goto out;
		}
		cJSON *item = sen_udr_json_prov(sub, false);
		if (!item || !cJSON_AddItemToArray(arr, item)) {
			cJSON_Delete(item);
			udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				      "out of memory");
			goto out;
		}
	}
	/* A full page: there may be more after the last SUPI. */
	if (n == max && !cJSON_AddStringToObject(o, "next", supis[n - 1])) {
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		goto out;
	}
	udr_res_json(job, 200, o);
	o = NULL;
out:
	cJSON_Delete(o);
	free(supis);
	if (sub)
		OPENSSL_cleanse(sub, sizeof(*sub));
	free(sub);
}

static void exec_one(struct udr_job *job, struct sen_udr_store *st)
{
	struct sen_udr_subscriber *sub = job->sub;
	int rc;

	switch (job->kind) {
	case PROV_GET:
		if (!(sub = job->sub = malloc(sizeof(*sub)))) {
			udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				      "out of memory");
			return;
		}
		if ((rc = sen_udr_store_get(st, job->supi, sub)) < 0)
			udr_res_store_error(job, rc);
		else
			udr_res_json(job, 200, sen_udr_json_prov(sub, job->flag));
		return;
	case PROV_CREATE:
		if ((rc = sen_udr_store_add(st, sub)) < 0) {
			udr_res_store_error(job, rc);
			return;
		}
		udr_res_json(job, 201, sen_udr_json_prov(sub, false));
		snprintf(job->res.location, sizeof(job->res.location), BASE "/%s", job->supi);
		return;
	case PROV_UPDATE:
		if ((rc = sen_udr_store_update(st, sub)) < 0)
			udr_res_store_error(job, rc);
		else
			job->res.status = 204;
		return;
	default:
		if ((rc = sen_udr_store_del(st, job->supi)) < 0)
			udr_res_store_error(job, rc);
		else
			job->res.status = 204;
		return;
	}
}

static struct udr_job *job_or_500(struct udr *udr, struct sen_sbi_stream *st, enum udr_lane lane,
				  const char *supi, udr_exec_fn exec, int kind)
{
	struct udr_job *job = udr_job_new(udr, st, lane, supi, exec);

	if (!job)
		udr_reply_error(udr, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				"out of memory");
	else
		job->kind = kind;
	return job;
}

static void on_list(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *limit = sen_sbi_msg_query(req, "limit");
	const char *after = sen_sbi_msg_query(req, "after");
	long n = PAGE_DEF;
	struct udr_job *job;

	if (limit) {
		char *end;
		n = strtol(limit, &end, 10);
		if (!limit[0] || *end || n < 1 || n > PAGE_MAX) {
			udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM,
					"limit: must be 1..%d", PAGE_MAX);
			return;
		}
	}
	if (after && !sen_udr_supi_valid(after)) {
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM,
				"after: must be a SUPI (imsi-<5..15 digits>)");
		return;
	}
	if (!(job = job_or_500(udr, st, UDR_LANE_READ, NULL, exec_list, PROV_LIST)))
		return;
	job->num = (uint64_t)n;
	if (after)
		snprintf(job->arg, sizeof(job->arg), "%s", after);
	udr_job_submit(job);
}

/* Parse a subscriber body; answers 400 and returns NULL when it is not valid. */
static struct sen_udr_subscriber *body_sub(struct udr *udr, struct sen_sbi_stream *st,
					   struct sen_sbi_msg *req)
{
	struct sen_udr_subscriber *sub;
	char why[192] = "";
	cJSON *j = NULL;
	int rc = sen_sbi_msg_json(req, &j);

	if (rc < 0) {
		udr_reply_error(udr, st, 400,
				rc == -SEN_ENOENT ? SEN_SBI_CAUSE_MANDATORY_IE_MISSING
						  : SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
				"the body must be a subscriber as JSON");
		return NULL;
	}
	if (!(sub = malloc(sizeof(*sub)))) {
		sen_udr_json_wipe_delete(j);
		udr_reply_error(udr, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				"out of memory");
		return NULL;
	}
	rc = sen_udr_json_parse_prov(j, sub, why, sizeof(why));
	sen_udr_json_wipe_delete(j);
	if (rc < 0) {
		OPENSSL_cleanse(sub, sizeof(*sub));
		free(sub);
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT, "%s", why);
		return NULL;
	}
	return sub;
}

static void on_create(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	struct sen_udr_subscriber *sub = body_sub(udr, st, req);
	struct udr_job *job;

	if (!sub)
		return;
	if (!(job = job_or_500(udr, st, UDR_LANE_WRITE, sub->supi, exec_one, PROV_CREATE))) {
		OPENSSL_cleanse(sub, sizeof(*sub));
		free(sub);
		return;
	}
	job->sub = sub;
	udr_job_submit(job);
}

static void on_update(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *supi = sen_sbi_msg_var(req, "supi");
	struct sen_udr_subscriber *sub;
	struct udr_job *job;

	if (!udr_check_supi(udr, st, supi) || !(sub = body_sub(udr, st, req)))
		return;
	if (strcmp(sub->supi, supi)) {
		OPENSSL_cleanse(sub, sizeof(*sub));
		free(sub);
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				"supi: the body's SUPI differs from the path's");
		return;
	}
	if (!(job = job_or_500(udr, st, UDR_LANE_WRITE, supi, exec_one, PROV_UPDATE))) {
		OPENSSL_cleanse(sub, sizeof(*sub));
		free(sub);
		return;
	}
	job->sub = sub;
	udr_job_submit(job);
}

static void on_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *supi = sen_sbi_msg_var(req, "supi");
	const char *secrets = sen_sbi_msg_query(req, "secrets");
	struct udr_job *job;

	if (!udr_check_supi(udr, st, supi))
		return;
	if (secrets && strcmp(secrets, "true") && strcmp(secrets, "false")) {
		udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM,
				"secrets: must be true or false");
		return;
	}
	if (!(job = job_or_500(udr, st, UDR_LANE_READ, supi, exec_one, PROV_GET)))
		return;
	job->flag = secrets && !strcmp(secrets, "true");
	udr_job_submit(job);
}

static void on_delete(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udr *udr = arg;
	const char *supi = sen_sbi_msg_var(req, "supi");
	struct udr_job *job;

	if (udr_check_supi(udr, st, supi) &&
	    (job = job_or_500(udr, st, UDR_LANE_WRITE, supi, exec_one, PROV_DEL)))
		udr_job_submit(job);
}

int udr_prov_routes(struct udr *udr)
{
	struct sen_sbi_server *srv = udr_server(udr);
	int rc;

	if ((rc = sen_sbi_server_route(srv, SEN_SBI_GET, BASE, on_list, udr)) < 0 ||
	    (rc = sen_sbi_server_route(srv, SEN_SBI_POST, BASE, on_create, udr)) < 0 ||
	    (rc = sen_sbi_server_route(srv, SEN_SBI_GET, BASE "/{supi}", on_get, udr)) < 0 ||
	    (rc = sen_sbi_server_route(srv, SEN_SBI_PUT, BASE "/{supi}", on_update, udr)) < 0 ||
	    (rc = sen_sbi_server_route(srv, SEN_SBI_DELETE, BASE "/{supi}", on_delete, udr)) < 0)
		return rc;
	return 0;
}
