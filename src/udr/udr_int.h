/*
 * sen-udr internals shared by udr.c (module, worker threads, ordering), nudr_handler.c
 * (Nudr-DR, TS 29.504 / TS 29.505) and prov_handler.c (Sen provisioning API). Not for
 * other callers.
 *
 * Request flow (docs/udr.md "Threads"):
 *   1. A handler runs on the loop: it checks the request (400 at once when malformed),
 *      fills a job with what the store call needs, and calls udr_job_submit().
 *   2. The job waits behind earlier jobs for the same SUPI (per-SUPI order), then goes to
 *      the read lane (several reader threads) or the write lane (one writer thread). Each
 *      thread owns its store handle; the job's exec() runs there, calls the store (which
 *      blocks) and leaves a finished answer in job->res: status, body text or cause.
 *   3. The result is posted back to the loop (sen_loop_post), answered on the stream,
 *      counted in the metrics, and the next job of that SUPI is released.
 */
#ifndef SEN_UDR_INT_H
#define SEN_UDR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sbi/sbi.h"
#include "store.h"

#define UDR_LOG "udr"

struct udr;
struct udr_job;

enum udr_lane { UDR_LANE_READ, UDR_LANE_WRITE };

/* Runs on a worker thread with that thread's store handle; fills job->res. */
typedef void (*udr_exec_fn)(struct udr_job *job, struct sen_udr_store *st);

/* The answer a worker prepared (turned into an SBI response on the loop). */
struct udr_result {
	int status;
	char *body;	    /* malloc'd JSON text or NULL; wiped before free (may hold keys) */
	const char *ctype;  /* body's content type (NULL: application/json) */
	const char *cause;  /* status >= 400: ProblemDetails cause (static string) */
	char detail[192];   /* status >= 400: ProblemDetails detail */
	char location[160]; /* 201: Location header (path; the authority is prefixed) */
};

struct udr_job {
	struct udr_job *next;	    /* lane queue link */
	struct udr_job *order_next; /* per-SUPI queue link */
	struct udr *udr;
	struct sen_sbi_stream *stream;
	enum udr_lane lane;
	char supi[SEN_UDR_SUPI_SIZE]; /* "" : no per-SUPI ordering */
	udr_exec_fn exec;

	/* Inputs (set by the handler on the loop). */
	cJSON *in;			/* request body, parsed (owned) */
	struct sen_udr_subscriber *sub; /* provisioning create (owned, wiped) */
	char arg[SEN_UDR_SUPI_SIZE];	/* list: the cursor */
	char dnn[SEN_UDR_DNN_SIZE];	/* sm-data: DNN filter ("" none) */
	bool has_snssai;		/* sm-data: S-NSSAI filter */
	uint8_t sst;
	uint32_t sd;
	uint64_t num; /* list: page size; sqn-advance: SQN_MS */
	bool flag;    /* prov get: secrets; sqn-advance: resync first */
	int kind;     /* handler-specific selector */

	struct udr_result res;
};

/* ---- udr.c ---- */

/* A zeroed job for `stream` (NULL when out of memory: the caller answers 500). */
struct udr_job *udr_job_new(struct udr *udr, struct sen_sbi_stream *stream, enum udr_lane lane,
			    const char *supi, udr_exec_fn exec);

/* Queue the job (takes it in every case; on failure it is answered with 500). */
void udr_job_submit(struct udr_job *job);

/* Answer a request on the loop without a job (lib/sbi counts it). */
void udr_reply_error(struct udr *udr, struct sen_sbi_stream *stream, int status, const char *cause,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Worker side: set job->res to an error (ProblemDetails) / a JSON body (consumes json). */
void udr_res_error(struct udr_job *job, int status, const char *cause, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void udr_res_json(struct udr_job *job, int status, cJSON *json);

/* Worker side: map a store error to the answer (404 USER_NOT_FOUND, 500 …). */
void udr_res_store_error(struct udr_job *job, int rc);

/* The server, for route registration. */
struct sen_sbi_server *udr_server(struct udr *udr);

/* ---- nudr_handler.c / prov_handler.c ---- */

/* Add the routes of each API to the server. Return 0 or a -SEN_E… code. */
int udr_nudr_routes(struct udr *udr);
int udr_prov_routes(struct udr *udr);

/*
 * Check a ueId path variable as a SUPI. False: the request was answered with 400
 * (MANDATORY_IE_INCORRECT).
 */
bool udr_check_supi(struct udr *udr, struct sen_sbi_stream *st, const char *supi);

/* Application error causes used by the UDR (TS 29.505 5.5, TS 29.504 6.1.6). */
#define UDR_CAUSE_USER_NOT_FOUND "USER_NOT_FOUND"
#define UDR_CAUSE_DATA_NOT_FOUND "DATA_NOT_FOUND"
/* TS 29.500 Table 5.2.7.2-1. */
#define UDR_CAUSE_MODIFICATION_NOT_ALLOWED "MODIFICATION_NOT_ALLOWED"

#endif
