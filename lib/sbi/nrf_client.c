/*
 * The NRF client (see nrf_client.h): NFRegister / heartbeat / NFDeregister (TS 29.510
 * 5.2.2.2, 5.2.2.3.2, 5.2.2.4), NFDiscover with a cache honouring validityPeriod (5.3.2.2,
 * 6.2.6.2.2), and the sbi client resolver that turns {nf_type, service, SUPI} into an
 * authority.
 *
 * Cache: one entry per distinct query (NF type, service, DNN, S-NSSAI), holding the
 * NRF's nfInstances array and its expiry. A query in flight collects the requests that
 * wait for it (waiters), so a burst of requests to a new peer type costs one NFDiscover.
 * A failed refresh falls back to the expired answer when there is one. Discovery and
 * the resolver leave the SUPI out of the NFDiscover and select among the cached profiles
 * by their supiRanges, so the cache does not grow with the number of subscribers (and a
 * UE costs no NFDiscover).
 */
#include "sbi/nrf_client.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "sbi/msg.h"
#include "sbi/problem.h"

#define LOG "nrfc"

int sen_nrf_cfg_bind(struct sen_config *cfg, struct sen_cfg_nrf *out, char *err, size_t errlen)
{
	return sen_config_bind_section(cfg, "nrf", sen_cfg_nrf_schema, out, err, errlen);
}

const char *sen_nrf_addr_authority(const struct sen_cfg_addr *a, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (a->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a->in6.sin6_addr, ip, sizeof(ip));
		snprintf(buf, cap, "[%s]:%u", ip, ntohs(a->in6.sin6_port));
	} else {
		inet_ntop(AF_INET, &a->in.sin_addr, ip, sizeof(ip));
		snprintf(buf, cap, "%s:%u", ip, ntohs(a->in.sin_port));
	}
	return buf;
}

/* ---- state ---- */

#define STR_MAX 64

enum reg_state { RS_IDLE, RS_REGISTERING, RS_REGISTERED, RS_STOPPED };

struct entry;

/* A request (resolver) or a discover() call waiting for an entry's answer. */
struct waiter {
	struct waiter *next;
	struct entry *e;
	struct sen_sbi_xact *x; /* resolver waiter; NULL for discover() */
	char supi[STR_MAX];	/* the SUPI to serve ("" none): resolver and discover() */
	sen_nrf_discover_fn cb; /* discover() */
	void *arg;
};

struct entry {
	char key[5 * STR_MAX];
	char nf_type[STR_MAX], service[STR_MAX], supi[STR_MAX], dnn[STR_MAX];
	bool has_snssai;
	struct sen_cfg_slice snssai;
	cJSON *instances;	    /* the last answer (NULL: none yet) */
	uint64_t expires;	    /* loop ms */
	struct sen_sbi_xact *query; /* NFDiscover in flight */
	struct waiter *waiters;
	unsigned busy; /* waiters here or on the ready list */
	unsigned rr;   /* round robin among equal candidates */
	struct sen_nrf_client *c;
};

struct sen_nrf_client {
	struct sen_loop *loop;
	struct sen_sbi_client *sbi;
	struct sen_nrf_client_opts o;
	char nrf[128];
	char nf_type[STR_MAX];
	cJSON *profile;
	const char *instance_id; /* inside profile */
	enum reg_state state;
	bool started, resolver;
	uint32_t heartbeat_s;
	unsigned fail_streak;
	struct sen_timer timer;		    /* registration retry / heartbeat */
	struct sen_sbi_xact *reg_x;	    /* PUT / PATCH / DELETE in flight */
	struct sen_hash *cache;		    /* key -> struct entry */
	struct waiter *ready, **ready_tail; /* discover() answers due from the cache */
	struct sen_timer ready_timer;
	struct sen_nrf_query req_q; /* the query of sen_nrf_client_request() during the call */
	struct sen_nrf_client_stats st;
};

static void send_register(struct sen_nrf_client *c);

static void set_state(struct sen_nrf_client *c, enum reg_state s)
{
	bool was = c->state == RS_REGISTERED, now = s == RS_REGISTERED;

	c->state = s;
	if (was != now && c->o.on_state)
		c->o.on_state(c, now, c->o.arg);
}

/* ---- registration and heartbeat (TS 29.510 5.2.2.2, 5.2.2.3.2, 5.2.2.4) ---- */

static void on_timer(struct sen_loop *loop, struct sen_timer *t, void *arg);

static void on_heartbeat(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct sen_nrf_client *c = arg;
	int status = err ? 0 : sen_sbi_msg_status(rsp);

	c->reg_x = NULL;
	if (status == 204 || status == 200) {
		c->st.heartbeats++;
		sen_timer_start(&c->timer, c->heartbeat_s * 1000u);
		return;
	}
	c->st.heartbeat_failures++;
	if (status == 404) {
		/* The NRF no longer knows us (restarted, or our profile expired): register. */
		sen_log_warn(LOG, "heartbeat: NRF answered 404, registering again");
		set_state(c, RS_REGISTERING);
		send_register(c);
		return;
	}
	sen_log_warn(LOG, "heartbeat to %s failed: %s", c->nrf,
		     err ? sen_strerror(err) : sen_sbi_reason_phrase(status));
	sen_timer_start(&c->timer, c->heartbeat_s * 1000u);
}

static void send_heartbeat(struct sen_nrf_client *c)
{
	static const char patch[] = "[{\"op\":\"replace\",\"path\":\"/nfStatus\",\"value\":"
				    "\"REGISTERED\"}]";
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_PATCH, "/nnrf-nfm/v1/nf-instances/%s", c->instance_id);

	if (req)
		sen_sbi_msg_set_body(req, patch, sizeof(patch) - 1, "application/json-patch+json");
	if (!req || sen_sbi_client_request(c->sbi, &(struct sen_sbi_target){.authority = c->nrf},
					   req, c->o.timeout_ms, on_heartbeat, c, &c->reg_x) < 0) {
		c->st.heartbeat_failures++;
		sen_timer_start(&c->timer, c->heartbeat_s * 1000u);
	}
}

static void on_register(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct sen_nrf_client *c = arg;
	int status = err ? 0 : sen_sbi_msg_status(rsp);
	cJSON *body = NULL;

	c->reg_x = NULL;
	if (status != 200 && status != 201) {
		char cause[64] = "";
		/* The first failure of a streak is a warning, the retries only debug. */
		enum sen_log_level lvl = c->fail_streak ? SEN_LOG_DEBUG : SEN_LOG_WARN;
		c->fail_streak++;
		c->st.register_failures++;
		if (status)
			sen_sbi_problem_read(rsp, cause, sizeof(cause), NULL, 0);
		SEN_LOG(lvl, LOG, NULL,
			"NFRegister to %s failed: %s%s%s, retrying every %u ms", c->nrf,
			err ? sen_strerror(err) : sen_sbi_reason_phrase(status), *cause ? " " : "",
			cause, c->o.retry_ms);
		sen_timer_start(&c->timer, c->o.retry_ms);
		return;
	}
	/* TS 29.510 6.1.6.2.2 heartBeatTimer: the NRF's value is the one to follow. */
	c->heartbeat_s = 10;
	if (sen_sbi_msg_json(rsp, &body) == 0) {
		const cJSON *hb = cJSON_GetObjectItemCaseSensitive(body, "heartBeatTimer");
		if (cJSON_IsNumber(hb) && hb->valuedouble >= 1 && hb->valuedouble <= 86400)
			c->heartbeat_s = (uint32_t)hb->valuedouble;
	}
	cJSON_Delete(body);
	c->fail_streak = 0;
	c->st.registrations++;
	sen_log_info(LOG, "registered %s %s with the NRF at %s (heartbeat %u s)",
		     sen_nf_json_str(c->profile, "nfType"), c->instance_id, c->nrf, c->heartbeat_s);
	set_state(c, RS_REGISTERED);
	sen_timer_start(&c->timer, c->heartbeat_s * 1000u);
}

static void send_register(struct sen_nrf_client *c)
{
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_PUT, "/nnrf-nfm/v1/nf-instances/%s", c->instance_id);

	if (req)
		sen_sbi_msg_set_json(req, c->profile, NULL);
	if (!req || sen_sbi_client_request(c->sbi, &(struct sen_sbi_target){.authority = c->nrf},
					   req, c->o.timeout_ms, on_register, c, &c->reg_x) < 0) {
		c->st.register_failures++;
		sen_timer_start(&c->timer, c->o.retry_ms);
	}
}

static void on_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sen_nrf_client *c = arg;

	if (c->state == RS_REGISTERING)
		send_register(c);
	else if (c->state == RS_REGISTERED)
		send_heartbeat(c);
}

static void on_deregister(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct sen_nrf_client *c = arg;
	int status = err ? 0 : sen_sbi_msg_status(rsp);

	c->reg_x = NULL;
	if (status == 204 || status == 200)
		sen_log_info(LOG, "deregistered %s from the NRF", c->instance_id);
	else
		sen_log_warn(LOG, "NFDeregister failed: %s",
			     err ? sen_strerror(err) : sen_sbi_reason_phrase(status));
}

/* ---- discovery cache (TS 29.510 5.3.2.2, 6.2.3.2.3.1) ---- */

static int copy_str(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= STR_MAX)
		return -SEN_EINVAL;
	memcpy(dst, src ? src : "", n + 1);
	return 0;
}

/* Find or create the entry for q. */
static int entry_get(struct sen_nrf_client *c, const struct sen_nrf_query *q, struct entry **out);

static void entry_free(struct entry *e)
{
	cJSON_Delete(e->instances);
	free(e);
}

/* Drop idle entries when the cache is full. */
static void cache_trim(struct sen_nrf_client *c)
{
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	if (sen_hash_count(c->cache) < c->o.max_cache)
		return;
	sen_hash_iter_init(&it, c->cache);
	while (sen_hash_iter_next(&it, &k, &kl, &v)) {
		struct entry *e = v;
		if (!e->busy && !e->query) {
			sen_hash_del(c->cache, k, kl);
			entry_free(e);
		}
	}
}

static int entry_get(struct sen_nrf_client *c, const struct sen_nrf_query *q, struct entry **out)
{
	char key[sizeof(((struct entry *)0)->key)];
	struct entry *e;
	int rv;

	if (!q->nf_type || !*q->nf_type)
		return -SEN_EINVAL;
	snprintf(key, sizeof(key), "%s|%s|%s|%s|%d:%x", q->nf_type, q->service ? q->service : "",
		 q->supi ? q->supi : "", q->dnn ? q->dnn : "", q->snssai ? q->snssai->sst : -1,
		 q->snssai ? q->snssai->sd : 0);
	e = sen_hash_get_str(c->cache, key);
	if (e) {
		*out = e;
		return 0;
	}
	cache_trim(c);
	if (!(e = calloc(1, sizeof(*e))))
		return -SEN_ENOMEM;
	memcpy(e->key, key, sizeof(key));
	if (copy_str(e->nf_type, q->nf_type) || copy_str(e->service, q->service) ||
	    copy_str(e->supi, q->supi) || copy_str(e->dnn, q->dnn)) {
		free(e);
		return -SEN_EINVAL;
	}
	if (q->snssai) {
		e->has_snssai = true;
		e->snssai = *q->snssai;
	}
	e->c = c;
	if ((rv = sen_hash_add_str(c->cache, e->key, e)) < 0) {
		free(e);
		return rv;
	}
	*out = e;
	return 0;
}

/* Choose an authority among e's instances for service / supi. */
static int pick(struct entry *e, const char *service, const char *supi, char *auth, size_t cap)
{
	const cJSON *p;
	int best = INT_MAX, n = 0, k;

	for (int pass = 0; pass < 2; pass++) {
		k = 0;
		cJSON_ArrayForEach(p, e->instances)
		{
			const char *st = sen_nf_json_str(p, "nfStatus");
			const cJSON *pr = cJSON_GetObjectItemCaseSensitive(p, "priority");
			int prio = cJSON_IsNumber(pr) ? pr->valueint : 65536;
			char a[80];
			if ((st && strcmp(st, "REGISTERED")) ||
			    (supi && *supi && !sen_nf_profile_serves_supi(p, supi)) ||
			    sen_nf_profile_authority(p, service && *service ? service : NULL, a,
						     sizeof(a)) < 0)
				continue;
			if (pass == 0) {
				if (prio < best) {
					best = prio;
					n = 0;
				}
				if (prio == best)
					n++;
				continue;
			}
			if (prio != best || k++ != (int)(e->rr % (unsigned)n))
				continue;
			e->rr++;
			return snprintf(auth, cap, "%s", a) >= (int)cap ? -SEN_ERANGE : 0;
		}
		if (!n)
			return -SEN_ENOENT;
	}
	return -SEN_ENOENT;
}

/*
 * Give a discover() waiter its answer: the cached instances, or, for a query with a SUPI,
 * those of them that serve it (TS 29.510 6.2.3.2.3.1 "supi": inside the profile's
 * supiRanges, or none declared; the NRF applies the same rule). The SUPI is left out of
 * the NFDiscover itself, so one cached answer serves every subscriber.
 */
static void deliver(struct waiter *w, int err)
{
	const cJSON *all = err ? NULL : w->e->instances, *p;
	cJSON *some = NULL;
	int n = 0, total = 0;

	if (all && w->supi[0]) {
		cJSON_ArrayForEach(p, all)
		{
			total++;
			n += sen_nf_profile_serves_supi(p, w->supi);
		}
		if (n != total) {
			if (!(some = cJSON_CreateArray())) {
				w->cb(-SEN_ENOMEM, NULL, w->arg);
				return;
			}
			cJSON_ArrayForEach(p, all)
			{
				if (sen_nf_profile_serves_supi(p, w->supi) &&
				    !cJSON_AddItemReferenceToArray(some, (cJSON *)p)) {
					cJSON_Delete(some);
					w->cb(-SEN_ENOMEM, NULL, w->arg);
					return;
				}
			}
			all = some;
		}
	}
	w->cb(err, all, w->arg);
	cJSON_Delete(some); /* references only: the cached profiles stay */
}

static void resolve_waiter(struct waiter *w, int err)
{
	char auth[80];

	if (!err)
		err = pick(w->e, w->e->service, w->supi, auth, sizeof(auth));
	sen_sbi_xact_resolved(w->x, err ? NULL : auth, err ? err : 0);
}

/* Answer every waiter of e (err < 0: the query failed and there is nothing cached). */
static void entry_complete(struct entry *e, int err)
{
	struct waiter *w = e->waiters, *next;

	e->waiters = NULL;
	for (; w; w = next) {
		next = w->next;
		e->busy--;
		if (w->x)
			resolve_waiter(w, err);
		else
			deliver(w, err);
		free(w);
	}
}

static void on_discovered(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct entry *e = arg;
	struct sen_nrf_client *c = e->c;
	int status = err ? 0 : sen_sbi_msg_status(rsp);
	cJSON *body = NULL, *list;
	uint32_t validity = 0;

	e->query = NULL;
	if (status == 200 && sen_sbi_msg_json(rsp, &body) == 0 &&
	    cJSON_IsArray(list = cJSON_GetObjectItemCaseSensitive(body, "nfInstances"))) {
		const cJSON *vp = cJSON_GetObjectItemCaseSensitive(body, "validityPeriod");
		/* TS 29.510 6.2.6.2.2: validityPeriod, seconds the result may be cached. */
		if (cJSON_IsNumber(vp) && vp->valuedouble > 0 && vp->valuedouble < 864000)
			validity = (uint32_t)vp->valuedouble;
		cJSON_Delete(e->instances);
		e->instances = cJSON_DetachItemViaPointer(body, list);
		e->expires = sen_loop_now(c->loop) + (uint64_t)validity * 1000u;
		sen_log_debug(LOG, "discovered %d %s instance(s), valid %u s",
			      cJSON_GetArraySize(e->instances), e->nf_type, validity);
		err = 0;
	} else {
		if (!err)
			err = -SEN_EPROTO;
		sen_log_warn(LOG, "NFDiscover %s from %s failed: %s%s", e->nf_type, c->nrf,
			     status ? sen_sbi_reason_phrase(status) : sen_strerror(err),
			     e->instances ? " (using the expired answer)" : "");
		if (e->instances)
			err = 0;
	}
	cJSON_Delete(body);
	entry_complete(e, err);
}

static int send_query(struct entry *e)
{
	struct sen_nrf_client *c = e->c;
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_GET, "/nnrf-disc/v1/nf-instances");
	int rv;

	if (!req)
		return -SEN_ENOMEM;
	sen_sbi_msg_add_query(req, "target-nf-type", e->nf_type);
	sen_sbi_msg_add_query(req, "requester-nf-type", c->nf_type);
	if (c->instance_id)
		sen_sbi_msg_add_query(req, "requester-nf-instance-id", c->instance_id);
	if (*e->service)
		sen_sbi_msg_add_query(req, "service-names", e->service);
	if (*e->supi)
		sen_sbi_msg_add_query(req, "supi", e->supi);
	if (*e->dnn)
		sen_sbi_msg_add_query(req, "dnn", e->dnn);
	if (e->has_snssai) {
		/* TS 29.510 6.2.3.2.3.1: snssais is an array of Snssai, as JSON in the query. */
		cJSON *arr = cJSON_CreateArray();
		char *txt = NULL;
		if (arr) {
			cJSON_AddItemToArray(arr, sen_nf_snssai_json(&e->snssai));
			txt = cJSON_PrintUnformatted(arr);
		}
		if (txt)
			sen_sbi_msg_add_query(req, "snssais", txt);
		cJSON_free(txt);
		cJSON_Delete(arr);
		if (!txt) {
			sen_sbi_msg_free(req);
			return -SEN_ENOMEM;
		}
	}
	sen_sbi_msg_set_header(req, "accept", "application/json");
	rv = sen_sbi_client_request(c->sbi, &(struct sen_sbi_target){.authority = c->nrf}, req,
				    c->o.timeout_ms, on_discovered, e, &e->query);
	if (rv == 0)
		c->st.discoveries++;
	return rv;
}

/* Queue w on e; start a query unless one is in flight. */
static int entry_wait(struct entry *e, struct waiter *w)
{
	int rv;

	if (!e->query && (rv = send_query(e)) < 0)
		return rv;
	w->e = e;
	w->next = e->waiters;
	e->waiters = w;
	e->busy++;
	return 0;
}

static bool entry_fresh(const struct entry *e)
{
	return e->instances && sen_loop_now(e->c->loop) < e->expires;
}

static void on_ready(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sen_nrf_client *c = arg;
	struct waiter *w = c->ready, *next;

	c->ready = NULL;
	c->ready_tail = &c->ready;
	for (; w; w = next) {
		next = w->next;
		w->e->busy--;
		deliver(w, 0);
		free(w);
	}
}

int sen_nrf_client_discover(struct sen_nrf_client *c, const struct sen_nrf_query *q,
			    sen_nrf_discover_fn cb, void *arg)
{
	struct waiter *w;
	struct entry *e;
	int rv;

	if (!c || !q || !cb)
		return -SEN_EINVAL;
	/* The SUPI is applied to the cached answer (deliver()), not sent to the NRF: an
	 * entry per subscriber would cost one NFDiscover per UE. */
	struct sen_nrf_query nq = *q;
	nq.supi = NULL;
	if ((rv = entry_get(c, &nq, &e)) < 0)
		return rv;
	if (!(w = calloc(1, sizeof(*w))))
		return -SEN_ENOMEM;
	if ((rv = copy_str(w->supi, q->supi)) < 0) {
		free(w);
		return rv;
	}
	w->cb = cb;
	w->arg = arg;
	if (entry_fresh(e)) {
		c->st.cache_hits++;
		w->e = e;
		e->busy++;
		*c->ready_tail = w;
		c->ready_tail = &w->next;
		sen_timer_start(&c->ready_timer, 0);
		return 0;
	}
	if ((rv = entry_wait(e, w)) < 0)
		free(w);
	return rv;
}

/* The sbi client's resolver: target {nf_type, service, hint = SUPI or our req_q}. */
static void resolve(struct sen_sbi_client *sbi, struct sen_sbi_xact *x,
		    const struct sen_sbi_target *t, void *arg)
{
	struct sen_nrf_client *c = arg;
	struct sen_nrf_query q = {.nf_type = t->nf_type, .service = t->service};
	const char *supi = t->hint;
	struct waiter *w;
	struct entry *e;
	char auth[80];
	int rv;

	if (t->hint && t->hint == (const void *)&c->req_q) {
		q = c->req_q;
		supi = q.supi;
	}
	q.supi = NULL; /* selected locally among the cached profiles */
	if ((rv = entry_get(c, &q, &e)) < 0)
		goto fail;
	if (entry_fresh(e)) {
		c->st.cache_hits++;
		rv = pick(e, e->service, supi, auth, sizeof(auth));
		sen_sbi_xact_resolved(x, rv ? NULL : auth, rv);
		return;
	}
	rv = -SEN_ENOMEM;
	if (!(w = calloc(1, sizeof(*w))))
		goto fail;
	w->x = x;
	if ((rv = copy_str(w->supi, supi)) < 0 || (rv = entry_wait(e, w)) < 0) {
		free(w);
		goto fail;
	}
	return;
fail:
	sen_sbi_xact_resolved(x, NULL, rv);
}

int sen_nrf_client_request(struct sen_nrf_client *c, const struct sen_nrf_query *q,
			   struct sen_sbi_msg *req, uint32_t timeout_ms, sen_sbi_response_fn cb,
			   void *arg, struct sen_sbi_xact **xact)
{
	struct sen_sbi_target t;
	int rv;

	if (!c || !q || !q->nf_type || !c->resolver) {
		sen_sbi_msg_free(req);
		return -SEN_EINVAL;
	}
	/* The resolver runs inside sen_sbi_client_request() and recognises &c->req_q. */
	c->req_q = *q;
	t = (struct sen_sbi_target){
	    .nf_type = q->nf_type, .service = q->service, .hint = &c->req_q};
	rv = sen_sbi_client_request(c->sbi, &t, req, timeout_ms, cb, arg, xact);
	memset(&c->req_q, 0, sizeof(c->req_q));
	return rv;
}

void sen_nrf_client_flush(struct sen_nrf_client *c)
{
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	if (!c)
		return;
	sen_hash_iter_init(&it, c->cache);
	while (sen_hash_iter_next(&it, &k, &kl, &v))
		((struct entry *)v)->expires = 0;
}

/* ---- life cycle ---- */

int sen_nrf_client_new(struct sen_loop *loop, struct sen_sbi_client *sbi,
		       const struct sen_nrf_client_opts *opts, struct sen_nrf_client **out)
{
	struct sen_nrf_client *c;
	const char *type;

	*out = NULL;
	if (!loop || !sbi || !opts || !opts->nrf || !*opts->nrf)
		return -SEN_EINVAL;
	if (!(c = calloc(1, sizeof(*c))))
		return -SEN_ENOMEM;
	c->loop = loop;
	c->sbi = sbi;
	c->o = *opts;
	c->o.profile = NULL;
	if (!c->o.retry_ms)
		c->o.retry_ms = 1000;
	if (!c->o.timeout_ms)
		c->o.timeout_ms = 3000;
	if (!c->o.max_cache)
		c->o.max_cache = 256;
	c->ready_tail = &c->ready;
	sen_timer_init(&c->timer, loop, on_timer, c);
	sen_timer_init(&c->ready_timer, loop, on_ready, c);
	if (snprintf(c->nrf, sizeof(c->nrf), "%s", opts->nrf) >= (int)sizeof(c->nrf))
		goto inval;
	type = opts->nf_type ? opts->nf_type : "AF";
	if (opts->profile) {
		if (!(c->profile = cJSON_Duplicate(opts->profile, true))) {
			free(c);
			return -SEN_ENOMEM;
		}
		c->instance_id = sen_nf_json_str(c->profile, "nfInstanceId");
		type = sen_nf_json_str(c->profile, "nfType");
		if (!c->instance_id || !sen_nf_uuid_valid(c->instance_id) || !type)
			goto inval;
	}
	if (copy_str(c->nf_type, type) < 0)
		goto inval;
	if (sen_hash_new(&c->cache) < 0) {
		cJSON_Delete(c->profile);
		free(c);
		return -SEN_ENOMEM;
	}
	*out = c;
	return 0;
inval:
	cJSON_Delete(c->profile);
	free(c);
	return -SEN_EINVAL;
}

int sen_nrf_client_start(struct sen_nrf_client *c)
{
	if (!c || c->started)
		return -SEN_EINVAL;
	c->started = true;
	if (!c->o.no_resolver) {
		sen_sbi_client_set_resolver(c->sbi, resolve, c);
		c->resolver = true;
	}
	if (c->profile) {
		set_state(c, RS_REGISTERING);
		send_register(c);
	}
	return 0;
}

void sen_nrf_client_stop(struct sen_nrf_client *c)
{
	struct sen_sbi_msg *req;

	if (!c || c->state == RS_STOPPED || !c->started)
		return;
	sen_timer_stop(&c->timer);
	if (c->reg_x) {
		sen_sbi_xact_cancel(c->reg_x);
		c->reg_x = NULL;
	}
	if (c->state == RS_REGISTERED) {
		req = sen_sbi_request_new(SEN_SBI_DELETE, "/nnrf-nfm/v1/nf-instances/%s",
					  c->instance_id);
		if (req)
			sen_sbi_client_request(c->sbi,
					       &(struct sen_sbi_target){.authority = c->nrf}, req,
					       c->o.timeout_ms, on_deregister, c, &c->reg_x);
	}
	set_state(c, RS_STOPPED);
}

void sen_nrf_client_free(struct sen_nrf_client *c)
{
	struct sen_hash_iter it;
	struct waiter *w, *next;
	const void *k;
	size_t kl;
	void *v;

	if (!c)
		return;
	sen_timer_stop(&c->timer);
	sen_timer_stop(&c->ready_timer);
	if (c->reg_x)
		sen_sbi_xact_cancel(c->reg_x);
	if (c->resolver)
		sen_sbi_client_set_resolver(c->sbi, NULL, NULL);
	for (w = c->ready; w; w = next) {
		next = w->next;
		free(w);
	}
	sen_hash_iter_init(&it, c->cache);
	while (sen_hash_iter_next(&it, &k, &kl, &v)) {
		struct entry *e = v;
		if (e->query)
			sen_sbi_xact_cancel(e->query);
		for (w = e->waiters; w; w = next) {
			next = w->next;
			if (w->x)
				sen_sbi_xact_resolved(w->x, NULL, -SEN_EIO);
			free(w);
		}
		entry_free(e);
	}
	sen_hash_free(c->cache);
	cJSON_Delete(c->profile);
	free(c);
}

bool sen_nrf_client_registered(const struct sen_nrf_client *c)
{
	return c && c->state == RS_REGISTERED;
}

const char *sen_nrf_client_instance_id(const struct sen_nrf_client *c)
{
	return c ? c->instance_id : NULL;
}

uint32_t sen_nrf_client_heartbeat(const struct sen_nrf_client *c)
{
	return c && c->state == RS_REGISTERED ? c->heartbeat_s : 0;
}

void sen_nrf_client_get_stats(const struct sen_nrf_client *c, struct sen_nrf_client_stats *s)
{
	if (c && s)
		*s = c->st;
}
