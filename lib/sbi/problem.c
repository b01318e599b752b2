/*
 * ProblemDetails bodies (RFC 7807 3.1; TS 29.571 5.2.4.1 ProblemDetails and
 * InvalidParam; TS 29.500 5.2.7) and the RFC 9110 clause 15 reason phrases used as
 * their default titles.
 */
#include "sbi/problem.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "sbi/internal.h"

const char *sen_sbi_reason_phrase(int status)
{
	switch (status) {
	case 100:
		return "Continue";
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 202:
		return "Accepted";
	case 204:
		return "No Content";
	case 303:
		return "See Other";
	case 307:
		return "Temporary Redirect";
	case 308:
		return "Permanent Redirect";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 406:
		return "Not Acceptable";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 411:
		return "Length Required";
	case 412:
		return "Precondition Failed";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 415:
		return "Unsupported Media Type";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unknown";
	}
}

struct sen_sbi_msg *sen_sbi_problem_new(const struct sen_sbi_problem *p)
{
	struct sen_sbi_msg *m = sen_sbi_msg_new();
	cJSON *j;

	if (!m)
		return NULL;
	if (!p) {
		sbi_msg_fail(m, -SEN_EINVAL);
		return m;
	}
	sen_sbi_msg_set_status(m, p->status);
	j = cJSON_CreateObject();
	if (!j) {
		sbi_msg_fail(m, -SEN_ENOMEM);
		return m;
	}
	if (p->type)
		cJSON_AddStringToObject(j, "type", p->type);
	cJSON_AddStringToObject(j, "title", p->title ? p->title : sen_sbi_reason_phrase(p->status));
	cJSON_AddNumberToObject(j, "status", p->status);
	if (p->detail)
		cJSON_AddStringToObject(j, "detail", p->detail);
	if (p->instance)
		cJSON_AddStringToObject(j, "instance", p->instance);
	if (p->cause)
		cJSON_AddStringToObject(j, "cause", p->cause);
	if (p->n_invalid_params && p->invalid_params) {
		cJSON *arr = cJSON_AddArrayToObject(j, "invalidParams");

		for (size_t i = 0; arr && i < p->n_invalid_params; i++) {
			cJSON *ip = cJSON_CreateObject();

			if (!ip)
				break;
			cJSON_AddStringToObject(
			    ip, "param",
			    p->invalid_params[i].param ? p->invalid_params[i].param : "");
			if (p->invalid_params[i].reason)
				cJSON_AddStringToObject(ip, "reason", p->invalid_params[i].reason);
			cJSON_AddItemToArray(arr, ip);
		}
	}
	sen_sbi_msg_set_json(m, j, "application/problem+json");
	cJSON_Delete(j);
	return m;
}

static void copy_member(const cJSON *obj, const char *name, char *out, size_t cap)
{
	const cJSON *v;

	if (!out || !cap)
		return;
	out[0] = '\0';
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (cJSON_IsString(v) && v->valuestring)
		snprintf(out, cap, "%s", v->valuestring);
}

int sen_sbi_problem_read(const struct sen_sbi_msg *m, char *cause, size_t cap, char *detail,
			 size_t dcap)
{
	cJSON *j = NULL;

	if (cause && cap)
		cause[0] = '\0';
	if (detail && dcap)
		detail[0] = '\0';
	if (sen_sbi_msg_json(m, &j) < 0 || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return -SEN_EPROTO;
	}
	copy_member(j, "cause", cause, cap);
	copy_member(j, "detail", detail, dcap);
	cJSON_Delete(j);
	return 0;
}
