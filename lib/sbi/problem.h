/*
 * ProblemDetails (RFC 7807; TS 29.571 5.2.4.1 data type ProblemDetails; TS 29.500
 * 5.2.7): the body of every SBI error response, media type "application/problem+json".
 *
 * Members written: type, title, status, detail, instance, cause, invalidParams
 * ([{param, reason}], TS 29.571 InvalidParam). Application error causes are the strings
 * of TS 29.500 Table 5.2.7.2-1 (SEN_SBI_CAUSE_*) or of the service's own spec
 * (e.g. "USER_NOT_FOUND", TS 29.503).
 */
#ifndef SEN_SBI_PROBLEM_H
#define SEN_SBI_PROBLEM_H

#include <stddef.h>

#include "sbi/msg.h"

/* TS 29.500 Table 5.2.7.2-1: protocol and application errors common to all APIs. */
#define SEN_SBI_CAUSE_INVALID_API		       "INVALID_API"			  /* 400 */
#define SEN_SBI_CAUSE_INVALID_MSG_FORMAT	       "INVALID_MSG_FORMAT"		  /* 400 */
#define SEN_SBI_CAUSE_INVALID_QUERY_PARAM	       "INVALID_QUERY_PARAM"		  /* 400 */
#define SEN_SBI_CAUSE_MANDATORY_QUERY_PARAM_MISSING    "MANDATORY_QUERY_PARAM_MISSING"	  /* 400 */
#define SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT	       "MANDATORY_IE_INCORRECT"		  /* 400 */
#define SEN_SBI_CAUSE_MANDATORY_IE_MISSING	       "MANDATORY_IE_MISSING"		  /* 400 */
#define SEN_SBI_CAUSE_UNSPECIFIED_MSG_FAILURE	       "UNSPECIFIED_MSG_FAILURE"	  /* 400 */
#define SEN_SBI_CAUSE_RESOURCE_URI_STRUCTURE_NOT_FOUND "RESOURCE_URI_STRUCTURE_NOT_FOUND" /* 404   \
											   */
#define SEN_SBI_CAUSE_INCORRECT_LENGTH	      "INCORRECT_LENGTH"			  /* 411 */
#define SEN_SBI_CAUSE_NF_CONGESTION_RISK      "NF_CONGESTION_RISK"			  /* 429 */
#define SEN_SBI_CAUSE_SYSTEM_FAILURE	      "SYSTEM_FAILURE"				  /* 500 */
#define SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES  "INSUFFICIENT_RESOURCES"			  /* 500 */
#define SEN_SBI_CAUSE_NF_CONGESTION	      "NF_CONGESTION"				  /* 503 */
#define SEN_SBI_CAUSE_TARGET_NF_NOT_REACHABLE "TARGET_NF_NOT_REACHABLE"			  /* 504 */
#define SEN_SBI_CAUSE_TIMED_OUT_REQUEST	      "TIMED_OUT_REQUEST"			  /* 504 */

/* TS 29.571 InvalidParam. */
struct sen_sbi_invalid_param {
	const char *param;  /* JSON pointer or query parameter name */
	const char *reason; /* NULL: omitted */
};

/* TS 29.571 ProblemDetails; every NULL / zero member is omitted. */
struct sen_sbi_problem {
	const char *type;
	const char *title; /* NULL: the status's reason phrase */
	int status;	   /* also the response status (required) */
	const char *detail;
	const char *instance;
	const char *cause;
	const struct sen_sbi_invalid_param *invalid_params;
	size_t n_invalid_params;
};

/* The RFC 9110 reason phrase of `status` ("Not Found"), or "Unknown". */
const char *sen_sbi_reason_phrase(int status);

/*
 * A response with p->status and the ProblemDetails body (application/problem+json).
 * NULL when out of memory; -SEN_EINVAL for a status outside 100..599 is recorded as the
 * message's error.
 */
struct sen_sbi_msg *sen_sbi_problem_new(const struct sen_sbi_problem *p);

/*
 * Read a ProblemDetails response: copies its "cause" into cause[cap] (truncated,
 * NUL-terminated; "" when absent) and, if detail is not NULL, its "detail" into
 * detail[dcap]. Returns 0, or -SEN_EPROTO if the body is not a JSON object.
 */
int sen_sbi_problem_read(const struct sen_sbi_msg *m, char *cause, size_t cap, char *detail,
			 size_t dcap);

#endif
