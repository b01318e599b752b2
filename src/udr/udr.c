/*
 * sen-udr: the Unified Data Repository as a Sen NF module (src/common/nf.h). It serves
 * Nudr-DR (TS 29.504, data model TS 29.505; nudr_handler.c) and Sen's provisioning API
 * (prov_handler.c) over SBI, on the subscriber store (store.h), and registers an NFProfile
 * of type UDR with service nudr-dr at the NRF (TS 29.510 5.2.2.2).
 *
 * This file holds what is not a handler:
 *  - the module life cycle: bind the udr section of sen.yaml, open the store handles, start
 *    the worker threads and the SBI server, register with the NRF; stop and free;
 *  - the worker threads. The store blocks (an SQLite commit waits for fsync, a PostgreSQL
 *    call for a round trip), so the loop never calls it for a write: jobs go to the read
 *    lane (UDR_READERS threads, each with its own handle; SQLite in WAL mode lets them
 *    read while the writer writes) or the write lane (ONE thread: every write is
 *    serialised, as provisioning requires, and SQLite has a single writer anyway). The
 *    writer commits what queued up together in one transaction (group commit, one fsync
 *    for all, none answered before it). With SQLite, reads run on the loop itself (a WAL
 *    read never waits for a lock or an fsync; a thread hand-off would cost more);
 *  - per-SUPI ordering: jobs for one SUPI run one at a time, in arrival order, whatever
 *    lane they take, so a read that arrives after a write of the same subscriber sees it;
 *  - the answer: the worker leaves status and body text; the loop sends them (lib/sbi
 *    counts every answer in sen_sbi_requests_total{service,status}).
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include "udr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/config.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "nf.h"
#include "sbi/nrf_client.h"
#include "udr_int.h"
#include "udr_json.h"

#define UDR_READERS   4	 /* reader threads (and store handles) */
#define UDR_BATCH_MAX 64 /* writes in one group commit */

struct lane {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct udr_job *head, *tail;
	bool stop;
};

struct worker {
	struct udr *udr;
	struct lane *lane;
	struct sen_udr_store *store;
	pthread_t thread;
	bool running;
};

/* Jobs of one SUPI: head is running (or queued on its lane), the rest wait behind it. */
struct supi_chain {
	struct udr_job *head, *tail;
};

struct udr {
	struct sen_loop *loop;
	struct sen_config *cfg;
	struct sen_cfg_udr c;
	char addr[INET6_ADDRSTRLEN];
	uint16_t port;
	char authority[INET6_ADDRSTRLEN + 8];

	struct sen_sbi_server *srv;
	struct lane rlane, wlane;
	struct worker workers[UDR_READERS + 1]; /* [0] is the writer */
	/* SQLite: the loop's own handle; reads run on the loop (see udr_job_submit). */
	struct sen_udr_store *loop_store;
	size_t n_workers;
	struct sen_hash *chains; /* SUPI -> struct supi_chain */
	atomic_int posted;	 /* results posted to the loop and not yet handled */

	/* NRF registration (TS 29.510 NFRegister / heartbeat / NFDeregister). */
	bool have_nrf;
	struct sen_cfg_nrf nrf_cfg;
	struct sen_sbi_client *sbi;
	struct sen_nrf_client *nrf;

	struct sen_metric_series *m_batches, *m_batched; /* group commits, writes in them */
};

/* ---------------------------------------------------------------------------------------- */
/* Answers.                                                                                   */

void udr_reply_error(struct udr *udr, struct sen_sbi_stream *stream, int status, const char *cause,
		     const char *fmt, ...)
{
	char detail[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	sen_sbi_stream_respond_error(stream, status, cause, "%s", detail);
}

void udr_res_error(struct udr_job *job, int status, const char *cause, const char *fmt, ...)
{
	va_list ap;

	job->res.status = status;
	job->res.cause = cause;
	va_start(ap, fmt);
	vsnprintf(job->res.detail, sizeof(job->res.detail), fmt, ap);
	va_end(ap);
}

void udr_res_json(struct udr_job *job, int status, cJSON *json)
{
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;

	sen_udr_json_wipe_delete(json);
	if (!text) {
		udr_res_error(job, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, "out of memory");
		return;
	}
	job->res.status = status;
	job->res.body = text;
}

void udr_res_store_error(struct udr_job *job, int rc)
{
	switch (rc) {
	case -SEN_ENOENT:
		/* TS 29.505 5.5 (errors as TS 29.504 6.1.6): the user does not exist. */
		udr_res_error(job, 404, UDR_CAUSE_USER_NOT_FOUND, "no subscriber %s", job->supi);
		break;
	case -SEN_EEXIST:
		udr_res_error(job, 409, "SUBSCRIBER_ALREADY_EXISTS", "%s is already provisioned",
			      job->supi);
		break;
	case -SEN_EINVAL:
		udr_res_error(job, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
			      "invalid subscriber data");
		break;
	case -SEN_EAGAIN:
		udr_res_error(job, 503, SEN_SBI_CAUSE_NF_CONGESTION, "the database is busy");
		break;
	default:
		udr_res_error(job, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE, "store: %s",
			      sen_strerror(rc));
		break;
	}
}

static void job_free(struct udr_job *job)
{
	if (!job)
		return;
	cJSON_Delete(job->in);
	if (job->sub) {
		OPENSSL_cleanse(job->sub, sizeof(*job->sub));
		free(job->sub);
	}
	if (job->res.body) {
		OPENSSL_cleanse(job->res.body, strlen(job->res.body));
		free(job->res.body);
	}
	free(job);
}

/* Send job->res on the stream (the server may be gone: the answer is then dropped). */
static void job_answer(struct udr_job *job)
{
	struct udr_result *r = &job->res;
	struct sen_sbi_msg *rsp;

	if (r->status >= 400 || !r->status) {
		sen_sbi_stream_respond_error(job->stream, r->status ? r->status : 500,
					     r->cause ? r->cause : SEN_SBI_CAUSE_SYSTEM_FAILURE,
					     "%s", r->detail);
		return;
	}
	if (!(rsp = sen_sbi_response_new(r->status))) {
		sen_sbi_stream_respond_status(job->stream, 500);
		return;
	}
	if (r->body)
		sen_sbi_msg_set_body(rsp, r->body, strlen(r->body),
				     r->ctype ? r->ctype : "application/json");
	if (r->location[0]) {
		char loc[sizeof(r->location) + 80];
		snprintf(loc, sizeof(loc), "http://%s%s", job->udr->authority, r->location);
		sen_sbi_msg_set_header(rsp, "location", loc);
	}
	sen_sbi_stream_respond(job->stream, rsp);
}

/* ---------------------------------------------------------------------------------------- */
/* Lanes and workers.                                                                         */

static void lane_push(struct lane *l, struct udr_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&l->mu);
	if (l->tail)
		l->tail->next = job;
	else
		l->head = job;
	l->tail = job;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static void job_done(struct sen_loop *loop, void *arg);

/* Hand a finished job back to the loop (which answers it). */
static void post_done(struct worker *w, struct udr_job *job)
{
	atomic_fetch_add(&w->udr->posted, 1);
	/* The loop's post queue only fails when out of memory: wait and retry. */
	while (sen_loop_post(w->udr->loop, job_done, job) < 0)
		usleep(1000);
}

/*
 * Group commit on the write lane: the jobs that queued up while the previous commit waited
 * for its fsync run in ONE transaction (each job's store calls in savepoints of it), and
 * none is answered before that transaction has committed. So an SQN (or any write) is
 * durable before anyone sees it, as with one transaction per job, but n writes cost one
 * fsync. If the commit fails, every job of the batch that had succeeded is answered with
 * the commit's error instead (their writes were undone with it).
 */
static void run_batch(struct worker *w, struct udr_job *batch, unsigned n)
{
	struct udr *udr = w->udr;
	struct udr_job *job, *next;
	int rc = n > 1 ? sen_udr_store_batch_begin(w->store) : -SEN_EINVAL;

	for (job = batch; job; job = job->next)
		job->exec(job, w->store); /* no batch (one job, or begin failed): one tx each */
	if (rc == 0) {
		sen_metric_add(udr->m_batches, 1);
		sen_metric_add(udr->m_batched, (int64_t)n);
		if ((rc = sen_udr_store_batch_commit(w->store)) < 0) {
			sen_log_error(UDR_LOG, "group commit of %u writes failed: %s", n,
				      sen_strerror(rc));
			for (job = batch; job; job = job->next) {
				if (job->res.status >= 400 || !job->res.status)
					continue;
				if (job->res.body) {
					OPENSSL_cleanse(job->res.body, strlen(job->res.body));
					free(job->res.body);
					job->res.body = NULL;
				}
				job->res.location[0] = '\0';
				udr_res_store_error(job, rc);
			}
		}
	}
	for (job = batch; job; job = next) {
		next = job->next;
		post_done(w, job);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct lane *l = w->lane;
	bool writer = w == &w->udr->workers[0];

	/* Named for per-thread CPU figures (top -H, bench/cp.py). */
	pthread_setname_np(pthread_self(), writer ? "udr-writer" : "udr-reader");
	for (;;) {
		pthread_mutex_lock(&l->mu);
		while (!l->head && !l->stop)
			pthread_cond_wait(&l->cv, &l->mu);
		if (l->stop) {
			pthread_mutex_unlock(&l->mu);
			break;
		}
		/* A reader takes one job; the writer everything queued, up to UDR_BATCH_MAX. */
		struct udr_job *job = l->head, *last = job;
		unsigned n = 1;
		while (writer && n < UDR_BATCH_MAX && last->next) {
			last = last->next;
			n++;
		}
		l->head = last->next;
		if (!l->head)
			l->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&l->mu);

		if (writer) {
			run_batch(w, job, n);
		} else {
			job->exec(job, w->store);
			post_done(w, job);
		}
	}
	return NULL;
}

static void dispatch(struct udr *udr, struct udr_job *job)
{
	lane_push(job->lane == UDR_LANE_WRITE ? &udr->wlane : &udr->rlane, job);
}

/* On the loop: answer, then release the next job of the same SUPI. */
static void job_done(struct sen_loop *loop, void *arg)
{
	struct udr_job *job = arg;
	struct udr *udr = job->udr;

	atomic_fetch_sub(&udr->posted, 1);
	job_answer(job);
	if (job->supi[0]) {
		struct supi_chain *ch = sen_hash_get_str(udr->chains, job->supi);
		if (ch && ch->head == job) {
			ch->head = job->order_next;
			if (ch->head) {
				dispatch(udr, ch->head);
			} else {
				sen_hash_del_str(udr->chains, job->supi);
				free(ch);
			}
		}
	}
	job_free(job);
}

struct udr_job *udr_job_new(struct udr *udr, struct sen_sbi_stream *stream, enum udr_lane lane,
			    const char *supi, udr_exec_fn exec)
{
	struct udr_job *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	job->udr = udr;
	job->stream = stream;
	job->lane = lane;
	job->exec = exec;
	if (supi)
		snprintf(job->supi, sizeof(job->supi), "%s", supi);
	return job;
}

void udr_job_submit(struct udr_job *job)
{
	struct udr *udr = job->udr;
	struct supi_chain *ch;

	/*
	 * SQLite reads run here, on the loop, when no earlier job of the SUPI is pending (it
	 * would have to be seen first): a read in WAL mode takes no lock a writer holds and
	 * never waits for an fsync; its pages are in the page cache. Handing it to a reader
	 * thread and back would cost two thread wake-ups, more than the read itself (tens of
	 * microseconds against a few). PostgreSQL reads wait for a round trip: those always go
	 * to the reader threads.
	 */
	if (job->lane == UDR_LANE_READ && udr->loop_store &&
	    (!job->supi[0] || !sen_hash_get_str(udr->chains, job->supi))) {
		job->exec(job, udr->loop_store);
		job_answer(job);
		job_free(job);
		return;
	}

	if (!job->supi[0]) {
		dispatch(udr, job);
		return;
	}
	ch = sen_hash_get_str(udr->chains, job->supi);
	if (ch) {
		/* An earlier job of this SUPI is running: wait behind it. */
		ch->tail->order_next = job;
		ch->tail = job;
		return;
	}
	if (!(ch = calloc(1, sizeof(*ch))) || sen_hash_add_str(udr->chains, job->supi, ch) < 0) {
		free(ch);
		udr_reply_error(udr, job->stream, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
				"out of memory");
		job_free(job);
		return;
	}
	ch->head = ch->tail = job;
	dispatch(udr, job);
}

struct sen_sbi_server *udr_server(struct udr *udr)
{
	return udr->srv;
}

bool udr_check_supi(struct udr *udr, struct sen_sbi_stream *st, const char *supi)
{
	if (sen_udr_supi_valid(supi))
		return true;
	/* TS 29.571 Supi: "imsi-" and 5..15 digits is the only form this UDR keeps. */
	udr_reply_error(udr, st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
			"ueId: not a SUPI of the form imsi-<5..15 digits>");
	return false;
}

/* ---------------------------------------------------------------------------------------- */
/* NRF registration.                                                                          */

/*
 * Register an NFProfile of type UDR (TS 29.510 6.1.6.2.2) with service nudr-dr, whose API
 * version in the URI is v2 (TS 29.504 6.1.1), and Sen's own service sen-udr-auth (v1, the
 * atomic SQN advance, docs/udr.md "SQN"): a UDM uses that one only when the UDR it
 * discovered advertises it, so another vendor's UDR (standard services only) still serves
 * a Sen UDM. No udrInfo.supiRanges: this UDR serves every SUPI. The client keeps the
 * registration alive (heartbeat) and deregisters at stop.
 */
static int nrf_start(struct udr *udr, char *err, size_t errlen)
{
	cJSON *profile = NULL;
	char nrf_auth[64];
	int rc;

	if (!udr->have_nrf)
		return 0;
	rc = sen_nf_profile_build(
	    &(struct sen_nf_profile_desc){
		.nf_type = "UDR",
		.sbi = &udr->c.sbi,
		.plmns = &udr->cfg->global.plmn,
		.n_plmns = 1,
		.services = (const char *[]){"nudr-dr", "sen-udr-auth"},
		.n_services = 2,
	    },
	    &profile);
	if (rc < 0) {
		snprintf(err, errlen, "cannot build the NFProfile: %s", sen_strerror(rc));
		return rc;
	}
	/* The builder writes version v1 for every service; Nudr-DR is v2 (TS 29.504). */
	const cJSON *svc;
	cJSON_ArrayForEach(svc, cJSON_GetObjectItemCaseSensitive(profile, "nfServices"))
	{
		const cJSON *v;
		const char *name = sen_nf_json_str(svc, "serviceName");
		if (!name || strcmp(name, "nudr-dr"))
			continue;
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(svc, "versions"))
		{
			cJSON_ReplaceItemInObjectCaseSensitive((cJSON *)v, "apiVersionInUri",
							       cJSON_CreateString("v2"));
			cJSON_ReplaceItemInObjectCaseSensitive((cJSON *)v, "apiFullVersion",
							       cJSON_CreateString("2.2.0"));
		}
	}
	rc = sen_sbi_client_new(udr->loop, NULL, &udr->sbi);
	if (rc == 0)
		rc = sen_nrf_client_new(udr->loop, udr->sbi,
					&(struct sen_nrf_client_opts){
					    .nrf = sen_nrf_addr_authority(
						&udr->nrf_cfg.sbi, nrf_auth, sizeof(nrf_auth)),
					    .profile = profile,
					},
					&udr->nrf);
	cJSON_Delete(profile);
	if (rc == 0)
		rc = sen_nrf_client_start(udr->nrf);
	if (rc < 0)
		snprintf(err, errlen, "cannot start the NRF client: %s", sen_strerror(rc));
	return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Module.                                                                                    */

static void udr_free(void *state);
static int udr_setup(struct sen_nf_env *env, void **state, char *err, size_t errlen);

/* Prepare everything but sockets and threads; on failure release it all (main() does not
 * call free() for a module whose init failed). */
static int udr_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	int rc;

	*state = NULL;
	rc = udr_setup(env, state, err, errlen);
	if (rc < 0) {
		udr_free(*state);
		*state = NULL;
	}
	return rc;
}

static int udr_setup(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct udr *udr = calloc(1, sizeof(*udr));
	int rc;

	if (!udr) {
		snprintf(err, errlen, "out of memory");
		return -SEN_ENOMEM;
	}
	*state = udr;
	udr->loop = env->loop;
	udr->cfg = env->cfg;
	atomic_init(&udr->posted, 0);
	pthread_mutex_init(&udr->rlane.mu, NULL);
	pthread_cond_init(&udr->rlane.cv, NULL);
	pthread_mutex_init(&udr->wlane.mu, NULL);
	pthread_cond_init(&udr->wlane.cv, NULL);
	if ((rc = sen_config_bind_section(env->cfg, "udr", sen_cfg_udr_schema, &udr->c, err,
					  errlen)) < 0)
		return rc;
	/* The NRF section is optional for the UDR alone (tests, provisioning); with it, the
	 * UDR registers. */
	if (sen_config_section(env->cfg, "nrf")) {
		if ((rc = sen_nrf_cfg_bind(env->cfg, &udr->nrf_cfg, err, errlen)) < 0)
			return rc;
		udr->have_nrf = true;
	}
	const struct sen_cfg_addr *a = &udr->c.sbi;
	if (a->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a->in6.sin6_addr, udr->addr, sizeof(udr->addr));
		udr->port = ntohs(a->in6.sin6_port);
		snprintf(udr->authority, sizeof(udr->authority), "[%s]:%u", udr->addr, udr->port);
	} else {
		inet_ntop(AF_INET, &a->in.sin_addr, udr->addr, sizeof(udr->addr));
		udr->port = ntohs(a->in.sin_port);
		snprintf(udr->authority, sizeof(udr->authority), "%s:%u", udr->addr, udr->port);
	}
	udr->m_batches = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "sen_udr_group_commits_total",
			   "Write transactions that committed several writes at once", NULL));
	udr->m_batched = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "sen_udr_group_commit_writes_total",
			   "Writes committed in group commits", NULL));
	if ((rc = sen_hash_new(&udr->chains)) < 0 ||
	    (rc = sen_sbi_server_new(
		 env->loop, &(struct sen_sbi_server_opts){.addr = udr->addr, .port = udr->port},
		 &udr->srv)) < 0) {
		snprintf(err, errlen, "cannot create the SBI server: %s", sen_strerror(rc));
		return rc;
	}
	if ((rc = udr_nudr_routes(udr)) < 0 || (rc = udr_prov_routes(udr)) < 0) {
		snprintf(err, errlen, "cannot add the SBI routes: %s", sen_strerror(rc));
		return rc;
	}
	return 0;
}

static int start_workers(struct udr *udr, char *err, size_t errlen)
{
	/* The writer's handle first: the first open of a database creates its tables. */
	for (size_t i = 0; i < UDR_READERS + 1; i++) {
		struct worker *w = &udr->workers[i];
		int rc = sen_udr_store_open(udr->c.db, &w->store);
		if (rc < 0) {
			/* The URL may hold a password: name the back end only. */
			snprintf(err, errlen,
				 "%s: udr.db: cannot open the subscriber store (%s): %s",
				 udr->cfg->file,
				 !strncmp(udr->c.db, "sqlite:", 7) ? udr->c.db : "postgresql",
				 sen_strerror(rc));
			return rc;
		}
		w->udr = udr;
		w->lane = i == 0 ? &udr->wlane : &udr->rlane;
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			sen_udr_store_close(w->store);
			w->store = NULL;
			snprintf(err, errlen, "cannot start a worker thread: %s", strerror(errno));
			return -SEN_EIO;
		}
		w->running = true;
		udr->n_workers = i + 1;
	}
	if (!strcmp(sen_udr_store_backend(udr->workers[0].store), "sqlite")) {
		int rc = sen_udr_store_open(udr->c.db, &udr->loop_store);
		if (rc < 0) {
			snprintf(err, errlen,
				 "%s: udr.db: cannot open the subscriber store (%s): %s",
				 udr->cfg->file, udr->c.db, sen_strerror(rc));
			return rc;
		}
	}
	sen_log_info(UDR_LOG, "subscriber store: %s, %d readers%s and one writer",
		     sen_udr_store_backend(udr->workers[0].store), UDR_READERS,
		     udr->loop_store ? " (and reads on the loop)" : "");
	return 0;
}

static int udr_start(void *state, char *err, size_t errlen)
{
	struct udr *udr = state;
	int rc;

	if ((rc = start_workers(udr, err, errlen)) < 0)
		return rc;
	if ((rc = sen_sbi_server_start(udr->srv)) < 0) {
		snprintf(err, errlen, "%s: udr.sbi: cannot serve on %s: %s", udr->cfg->file,
			 udr->authority, rc == -SEN_EIO ? strerror(errno) : sen_strerror(rc));
		return rc;
	}
	sen_log_info(UDR_LOG, "serving nudr-dr and sen-prov on %s", udr->authority);
	return nrf_start(udr, err, errlen);
}

static void udr_stop(void *state)
{
	struct udr *udr = state;

	if (udr->nrf)
		sen_nrf_client_stop(udr->nrf);
	sen_sbi_server_stop(udr->srv);
}

static void lane_stop(struct lane *l)
{
	pthread_mutex_lock(&l->mu);
	l->stop = true;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static void udr_free(void *state)
{
	struct udr *udr = state;

	if (!udr)
		return;
	lane_stop(&udr->rlane);
	lane_stop(&udr->wlane);
	for (size_t i = 0; i < udr->n_workers; i++)
		if (udr->workers[i].running)
			pthread_join(udr->workers[i].thread, NULL);
	/* Results the workers posted: answer them (the server is stopped, so the answers
	 * are dropped) and free them. Bounded: each round runs every posted function. */
	for (int i = 0; i < 100 && atomic_load(&udr->posted) > 0; i++)
		sen_loop_run_once(udr->loop, 10);
	/* Jobs never run: still queued on a lane, or waiting behind another of their SUPI. */
	if (udr->chains) {
		struct sen_hash_iter it;
		const void *key;
		size_t klen;
		void *val;
		sen_hash_iter_init(&it, udr->chains);
		while (sen_hash_iter_next(&it, &key, &klen, &val)) {
			struct supi_chain *ch = val;
			for (struct udr_job *j = ch->head, *n; j; j = n) {
				n = j->order_next;
				sen_sbi_stream_respond_status(j->stream, 503);
				job_free(j);
			}
			free(ch);
		}
		sen_hash_free(udr->chains);
	}
	struct lane *lanes[] = {&udr->rlane, &udr->wlane};
	for (int i = 0; i < 2; i++)
		for (struct udr_job *j = lanes[i]->head, *n; j; j = n) {
			n = j->next;
			if (j->supi[0])
				continue; /* freed with its chain above */
			sen_sbi_stream_respond_status(j->stream, 503);
			job_free(j);
		}
	for (size_t i = 0; i < udr->n_workers; i++)
		sen_udr_store_close(udr->workers[i].store);
	sen_udr_store_close(udr->loop_store);
	sen_nrf_client_free(udr->nrf);
	sen_sbi_client_free(udr->sbi);
	sen_sbi_server_free(udr->srv);
	pthread_mutex_destroy(&udr->rlane.mu);
	pthread_cond_destroy(&udr->rlane.cv);
	pthread_mutex_destroy(&udr->wlane.mu);
	pthread_cond_destroy(&udr->wlane.cv);
	free(udr);
}

static const char *udr_metrics_addr(void *state)
{
	struct udr *udr = state;
	return udr->addr;
}

const struct sen_nf_module sen_udr_module = {
    .name = "udr",
    .init = udr_init,
    .start = udr_start,
    .stop = udr_stop,
    .free = udr_free,
    .metrics_addr = udr_metrics_addr,
};
