/*
 * SBI server (server.h): HTTP/2 server sessions on nghttp2 (RFC 9113; h2c with prior
 * knowledge, TS 29.500 6.1), request assembly with limits, routing (router.c),
 * asynchronous answers through stream handles, and the server end of the local
 * transport (DESIGN.md, Process model).
 *
 * Stream life: created when a request's HEADERS begin; dispatched to its handler once
 * the request is complete (END_STREAM), outside nghttp2's callbacks; freed when
 * nghttp2 closes it after the answer went out. If the connection or the stream goes
 * away while the handler still holds the stream, the stream is "orphaned": detached
 * from everything, kept until the handler answers, and that answer is dropped.
 *
 * Limits (DESIGN.md, Bad input): header list size and count -> 431 (RFC 6585 5); body
 * larger than max_body -> 413 (RFC 9110 15.5.14), sent as soon as known (content-length
 * or the data received), the rest of the body read and dropped up to DISCARD_MAX, then
 * RST_STREAM(NO_ERROR) (RFC 9113 8.1); unknown
 * method -> 501; SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 6.5.2) enforced by nghttp2;
 * a bad preface or a protocol error closes that connection only (RFC 9113 3.4, 5.4.1).
 */
#define _GNU_SOURCE /* accept4 */
#include "sbi/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/metrics.h"

/* Request body read and dropped after an early answer before the stream is reset. */
#define DISCARD_MAX (16u << 20)

struct sconn {
	struct sbi_conn io; /* first */
	struct sen_sbi_server *srv;
	struct sconn *prev, *next;
	struct sen_sbi_stream *streams; /* open streams */
	struct sen_sbi_stream *ready_head, **ready_tail;
	struct sen_timer idle;
	uint64_t last_active, accepted;
	unsigned n_streams;
	bool established; /* the client's preface and SETTINGS arrived */
	char peer[SBI_AUTH_MAX];
};

struct sen_sbi_stream {
	struct sbi_defer defer;	    /* first: local dispatch */
	struct sen_sbi_server *srv; /* NULL once orphaned */
	struct sconn *conn;	    /* HTTP/2 only; NULL once orphaned */
	struct sen_sbi_stream *prev, *next;
	struct sen_sbi_stream *ready_next;
	struct sen_sbi_msg *req, *rsp;
	struct sen_sbi_xact *lx; /* local: the client's transaction, NULL once gone */
	size_t rsp_off;
	size_t hdr_bytes;
	size_t discarded; /* request body bytes dropped after an early answer */
	uint64_t started;
	int32_t id;
	int early; /* status to answer instead of dispatching */
	bool local, req_done, in_ready, closed, dispatched, responded;
};

struct sen_sbi_server {
	struct sen_loop *loop;
	struct sen_sbi_server_opts o;
	char addr[64];
	struct sen_sbi_router *router;
	int lfd;
	uint16_t port;
	char authority[SBI_AUTH_MAX];
	bool started, registered;
	struct sconn *conns;
	struct sen_sbi_stream *local_streams;
	struct sbi_defer_q q;
	nghttp2_session_callbacks *cbs;
	nghttp2_option *ngopt;
	struct sen_metric *m_req; /* sen_sbi_requests_total{service,status} */
	struct sen_sbi_server_stats st;
};

static __thread struct sbi_pool stream_pool = {.size = sizeof(struct sen_sbi_stream)};

void sbi_stream_pool_trim(void)
{
	sbi_pool_trim(&stream_pool);
}

struct sen_loop *sbi_server_loop(const struct sen_sbi_server *srv)
{
	return srv->loop;
}

/* ---- streams ---- */

static void stream_link(struct sen_sbi_stream **head, struct sen_sbi_stream *st)
{
	st->prev = NULL;
	st->next = *head;
	if (*head)
		(*head)->prev = st;
	*head = st;
}

static void stream_unlink(struct sen_sbi_stream **head, struct sen_sbi_stream *st)
{
	if (st->prev)
		st->prev->next = st->next;
	else if (*head == st)
		*head = st->next;
	if (st->next)
		st->next->prev = st->prev;
	st->prev = st->next = NULL;
}

static void stream_free(struct sen_sbi_stream *st)
{
	sen_sbi_msg_free(st->req);
	sen_sbi_msg_free(st->rsp);
	sbi_pool_put(&stream_pool, st);
}

/* The handler still holds st: detach it from everything; its answer will be dropped. */
static void stream_orphan(struct sen_sbi_stream *st)
{
	st->conn = NULL;
	st->srv = NULL;
}

/* ---- answering over HTTP/2 ---- */

static ssize_t rsp_read(nghttp2_session *ng, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
			nghttp2_data_source *src, void *ud)
{
	struct sen_sbi_stream *st = nghttp2_session_get_stream_user_data(ng, id);
	size_t left, n;

	if (!st || !st->rsp)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	left = st->rsp->body_len - st->rsp_off;
	n = left < len ? left : len;
	memcpy(buf, st->rsp->body + st->rsp_off, n);
	st->rsp_off += n;
	if (st->rsp_off == st->rsp->body_len)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

#define NV(n, v, vl)                                                                               \
	((nghttp2_nv){(uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, (vl), NGHTTP2_NV_FLAG_NONE})

static void submit_response(struct sen_sbi_stream *st)
{
	struct sconn *sc = st->conn;
	struct sen_sbi_msg *rsp = st->rsp;
	nghttp2_nv nva[SEN_SBI_MAX_HEADERS + 2];
	nghttp2_data_provider dp = {.source.ptr = NULL, .read_callback = rsp_read};
	char status[8], clen[24];
	size_t n = 0;
	int rv;

	snprintf(status, sizeof(status), "%d", rsp->status);
	nva[n++] = NV(":status", status, strlen(status));
	if (rsp->body_len) {
		snprintf(clen, sizeof(clen), "%zu", rsp->body_len);
		nva[n++] = NV("content-length", clen, strlen(clen));
	}
	for (unsigned i = 0; i < rsp->n_hdr; i++)
		nva[n++] = (nghttp2_nv){(uint8_t *)rsp->hdr[i].name, (uint8_t *)rsp->hdr[i].value,
					strlen(rsp->hdr[i].name), strlen(rsp->hdr[i].value),
					NGHTTP2_NV_FLAG_NONE};
	/* RFC 9110 9.3.2: no content in the answer to HEAD (content-length may stay,
	 * RFC 9113 8.1.1); a client counts any DATA as a protocol error. */
	rv = nghttp2_submit_response(sc->io.ng, st->id, nva, n,
				     rsp->body_len && st->req->method != SEN_SBI_HEAD ? &dp : NULL);
	if (rv != 0) {
		sen_log_debug(SBI_MOD, "cannot answer stream %d: %s", st->id, nghttp2_strerror(rv));
		nghttp2_submit_rst_stream(sc->io.ng, NGHTTP2_FLAG_NONE, st->id,
					  NGHTTP2_INTERNAL_ERROR);
	}
	sbi_conn_kick(&sc->io);
}

/* A 500 for an answer the handler failed to build. */
static struct sen_sbi_msg *internal_error(int err)
{
	char detail[64];
	struct sen_sbi_problem p = {.status = 500, .cause = SEN_SBI_CAUSE_SYSTEM_FAILURE};

	snprintf(detail, sizeof(detail), "answer could not be built: %s", sen_strerror(err));
	p.detail = detail;
	return sen_sbi_problem_new(&p);
}

/*
 * Every answered stream is counted here, whoever answered it (an NF's handler, the
 * router's 404 / 405, an early 4xx / 501), over either transport:
 * sen_sbi_requests_total{service, status}, the service being the API name of the path
 * when some route serves that API, else "unknown" (sen_sbi_router_service()). Answers to
 * orphaned streams are dropped and not counted.
 */
static void count_answer(const struct sen_sbi_stream *st, int status)
{
	char svc[64], code[8];

	if (!st->srv || !st->srv->m_req)
		return;
	sen_sbi_router_service(st->srv->router, sen_sbi_msg_path(st->req), svc, sizeof(svc));
	snprintf(code, sizeof(code), "%d", status);
	sen_metric_add(sen_metric_series(st->srv->m_req, (const char *[]){svc, code}), 1);
}

int sen_sbi_stream_respond(struct sen_sbi_stream *st, struct sen_sbi_msg *rsp)
{
	int rv = 0;

	if (!st || st->responded) {
		sen_sbi_msg_free(rsp);
		return -SEN_EINVAL;
	}
	st->responded = true;
	if (!rsp) { /* out of memory: the request fails without an answer */
		rv = -SEN_ENOMEM;
		if (st->local) {
			if (st->srv)
				stream_unlink(&st->srv->local_streams, st);
			if (st->lx)
				sbi_xact_local_done(st->lx, rv, NULL);
			stream_free(st);
		} else if (st->conn) {
			nghttp2_submit_rst_stream(st->conn->io.ng, NGHTTP2_FLAG_NONE, st->id,
						  NGHTTP2_INTERNAL_ERROR);
			sbi_conn_kick(&st->conn->io);
		} else {
			stream_free(st);
		}
		return rv;
	}
	if (rsp->err < 0 || rsp->status < 100) {
		rv = rsp->err < 0 ? rsp->err : -SEN_EINVAL;
		sen_sbi_msg_free(rsp);
		rsp = internal_error(rv);
		if (!rsp || rsp->err < 0) {
			sen_sbi_msg_free(rsp);
			rsp = sen_sbi_response_new(500);
		}
	}
	count_answer(st, rsp->status);
	if (st->local) {
		struct sen_sbi_xact *x = st->lx;

		if (st->srv)
			stream_unlink(&st->srv->local_streams, st);
		st->lx = NULL;
		if (x)
			sbi_xact_local_done(x, 0, rsp);
		else
			sen_sbi_msg_free(rsp);
		stream_free(st);
		return x ? rv : -SEN_ENOENT;
	}
	if (!st->conn) { /* orphaned: the connection went away */
		sen_sbi_msg_free(rsp);
		stream_free(st);
		return -SEN_ENOENT;
	}
	st->rsp = rsp;
	submit_response(st);
	return rv;
}

int sen_sbi_stream_respond_status(struct sen_sbi_stream *st, int status)
{
	return sen_sbi_stream_respond(st, sen_sbi_response_new(status));
}

int sen_sbi_stream_respond_json(struct sen_sbi_stream *st, int status, const cJSON *json)
{
	struct sen_sbi_msg *m = sen_sbi_response_new(status);

	if (m)
		sen_sbi_msg_set_json(m, json, NULL);
	return sen_sbi_stream_respond(st, m);
}

int sen_sbi_stream_respond_problem(struct sen_sbi_stream *st, const struct sen_sbi_problem *p)
{
	return sen_sbi_stream_respond(st, sen_sbi_problem_new(p));
}

int sen_sbi_stream_respond_error(struct sen_sbi_stream *st, int status, const char *cause,
				 const char *detail_fmt, ...)
{
	struct sen_sbi_problem p = {.status = status, .cause = cause};
	char detail[512];

	if (detail_fmt) {
		va_list ap;

		va_start(ap, detail_fmt);
		vsnprintf(detail, sizeof(detail), detail_fmt, ap);
		va_end(ap);
		p.detail = detail;
	}
	return sen_sbi_stream_respond_problem(st, &p);
}

int sen_sbi_stream_respond_bad_json(struct sen_sbi_stream *st, const char *detail)
{
	return sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, "%s",
					    detail ? detail : "malformed JSON body");
}

struct sen_sbi_msg *sen_sbi_stream_request(const struct sen_sbi_stream *st)
{
	return st && !st->responded ? st->req : NULL;
}

bool sen_sbi_stream_alive(const struct sen_sbi_stream *st)
{
	if (!st || st->responded)
		return false;
	return st->local ? st->lx != NULL && st->srv != NULL : st->conn != NULL;
}

bool sen_sbi_stream_is_local(const struct sen_sbi_stream *st)
{
	return st && st->local;
}

/* ---- dispatch ---- */

static void answer_early(struct sen_sbi_stream *st)
{
	const char *detail = NULL, *cause = NULL;

	switch (st->early) {
	case 400:
		detail = "malformed request line";
		cause = SEN_SBI_CAUSE_INVALID_MSG_FORMAT;
		break;
	case 413:
		detail = "request body too large";
		break;
	case 431:
		detail = "request header fields too large or too many";
		break;
	case 501:
		detail = "method not implemented";
		break;
	default:
		break;
	}
	sen_sbi_stream_respond_error(st, st->early, cause, detail ? "%s" : NULL, detail);
}

static void dispatch(struct sen_sbi_stream *st)
{
	struct sen_sbi_server *srv = st->srv;
	sen_sbi_handler_fn handler;
	void *arg;
	unsigned allow;
	char allowed[96];
	struct sen_sbi_msg *rsp;
	size_t n = 0;

	st->dispatched = true;
	if (st->early) {
		answer_early(st);
		return;
	}
	switch (sen_sbi_router_match(srv->router, st->req, &handler, &arg, &allow)) {
	case SEN_SBI_ROUTE_FOUND:
		handler(st, st->req, arg);
		return;
	case SEN_SBI_ROUTE_NO_PATH:
		sen_sbi_stream_respond_error(st, 404,
					     SEN_SBI_CAUSE_RESOURCE_URI_STRUCTURE_NOT_FOUND,
					     "no resource at this URI");
		return;
	case SEN_SBI_ROUTE_NO_METHOD:
		allowed[0] = '\0';
		for (int m = 1; m < SEN_SBI_METHOD_MAX; m++) {
			if (allow & (1u << m))
				n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%s",
						      n ? ", " : "", sen_sbi_method_name(m));
			if (n >= sizeof(allowed))
				n = sizeof(allowed) - 1;
		}
		{
			struct sen_sbi_problem p = {.status = 405,
						    .detail = "method not allowed here"};

			rsp = sen_sbi_problem_new(&p);
		}
		/* RFC 9110 15.5.6: a 405 carries Allow */
		sen_sbi_msg_set_header(rsp, "allow", allowed);
		sen_sbi_stream_respond(st, rsp);
		return;
	}
}

/* ---- connections ---- */

static void sconn_close(struct sbi_conn *c)
{
	struct sconn *sc = (struct sconn *)c;
	struct sen_sbi_server *srv = sc->srv;
	struct sen_sbi_stream *st;

	if (sc->prev)
		sc->prev->next = sc->next;
	else if (srv->conns == sc)
		srv->conns = sc->next;
	if (sc->next)
		sc->next->prev = sc->prev;
	srv->st.conns_open--;
	sen_timer_stop(&sc->idle);
	sbi_conn_teardown(&sc->io); /* no nghttp2 callback after this */
	while ((st = sc->ready_head)) {
		sc->ready_head = st->ready_next;
		st->in_ready = false;
		if (st->closed)
			stream_free(st);
	}
	while ((st = sc->streams)) {
		stream_unlink(&sc->streams, st);
		if (st->dispatched && !st->responded)
			stream_orphan(st);
		else
			stream_free(st);
	}
	free(sc);
}

static void sconn_after_recv(struct sbi_conn *c)
{
	struct sconn *sc = (struct sconn *)c;
	struct sen_sbi_stream *st;

	sc->last_active = sen_loop_now(c->loop);
	while ((st = sc->ready_head)) {
		sc->ready_head = st->ready_next;
		if (!sc->ready_head)
			sc->ready_tail = &sc->ready_head;
		st->in_ready = false;
		if (st->closed) {
			stream_free(st);
			continue;
		}
		sc->srv->st.requests++;
		dispatch(st);
	}
}

/* How often a connection's timeouts are checked. */
static uint64_t idle_period(const struct sen_sbi_server *srv)
{
	uint64_t p = srv->o.idle_timeout_ms / 2 + 1;

	return p < srv->o.handshake_timeout_ms ? p : srv->o.handshake_timeout_ms;
}

static void on_idle(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sconn *sc = arg;
	struct sen_sbi_server *srv = sc->srv;
	uint64_t now = sen_loop_now(loop), idle = srv->o.idle_timeout_ms;

	if (!sc->established) {
		if (now - sc->accepted < srv->o.handshake_timeout_ms) {
			sen_timer_start(&sc->idle, idle_period(srv));
			return;
		}
		sen_log_info(SBI_MOD, "%s: no HTTP/2 preface in time, closing", sc->peer);
		srv->st.protocol_errors++;
		sc->io.on_close(&sc->io);
		return;
	}
	if (sc->n_streams == 0 && now - sc->last_active >= idle) {
		nghttp2_session_terminate_session(sc->io.ng, NGHTTP2_NO_ERROR); /* GOAWAY */
		sbi_conn_kick(&sc->io);
	}
	/* requests still incomplete after the idle time: reset them (slow senders) */
	for (struct sen_sbi_stream *st = sc->streams; st; st = st->next)
		if (!st->req_done && !st->responded && now - st->started >= idle)
			nghttp2_submit_rst_stream(sc->io.ng, NGHTTP2_FLAG_NONE, st->id,
						  NGHTTP2_CANCEL);
	sbi_conn_kick(&sc->io);
	sen_timer_start(&sc->idle, idle_period(srv));
}

static void mark_early(struct sen_sbi_stream *st, int status)
{
	if (!st->early)
		st->early = status;
}

/* Answer now (before the request is complete): 413 / 431 etc. */
static void answer_now(struct sen_sbi_stream *st)
{
	if (st->responded || st->dispatched)
		return;
	st->dispatched = true;
	answer_early(st);
}

static int on_begin_headers(nghttp2_session *ng, const nghttp2_frame *f, void *ud)
{
	struct sconn *sc = ud;
	struct sen_sbi_stream *st;

	if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	st = sbi_pool_get(&stream_pool);
	if (!st)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	st->req = sen_sbi_msg_new();
	if (!st->req) {
		stream_free(st);
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	}
	st->srv = sc->srv;
	st->conn = sc;
	st->id = f->hd.stream_id;
	st->started = sen_loop_now(sc->io.loop);
	stream_link(&sc->streams, st);
	sc->n_streams++;
	nghttp2_session_set_stream_user_data(ng, st->id, st);
	return 0;
}

static bool is(const uint8_t *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int on_header(nghttp2_session *ng, const nghttp2_frame *f, const uint8_t *name, size_t nlen,
		     const uint8_t *value, size_t vlen, uint8_t flags, void *ud)
{
	struct sconn *sc = ud;
	struct sen_sbi_stream *st;
	struct sen_sbi_msg *req;

	if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0; /* trailers are ignored */
	st = nghttp2_session_get_stream_user_data(ng, f->hd.stream_id);
	if (!st || st->early)
		return 0;
	req = st->req;
	/* RFC 7541 4.1 entry size */
	st->hdr_bytes += nlen + vlen + 32;
	if (st->hdr_bytes > sc->srv->o.max_header_bytes) {
		mark_early(st, 431);
		return 0;
	}
	if (nlen && name[0] == ':') {
		if (is(name, nlen, ":method")) {
			req->method = sen_sbi_method_parse((const char *)value, vlen);
			if (req->method == SEN_SBI_METHOD_NONE)
				mark_early(st, 501);
		} else if (is(name, nlen, ":path")) {
			if (sbi_msg_set_wire_path(req, (const char *)value, vlen) < 0)
				mark_early(st, req->err == -SEN_EMSGSIZE ? 431 : 400);
		} else if (is(name, nlen, ":authority")) {
			const char *a = sbi_msg_strndup(req, (const char *)value, vlen);

			if (a)
				req->authority = a;
		}
		return 0;
	}
	if (is(name, nlen, "content-length")) {
		char tmp[24];
		unsigned long long cl;

		if (vlen >= sizeof(tmp))
			cl = ~0ULL;
		else {
			memcpy(tmp, value, vlen);
			tmp[vlen] = '\0';
			cl = strtoull(tmp, NULL, 10);
		}
		if (cl > sc->srv->o.max_body)
			mark_early(st, 413);
		return 0;
	}
	if (sbi_msg_add_raw_header(req, (const char *)name, nlen, (const char *)value, vlen) < 0)
		mark_early(st, req->err == -SEN_EMSGSIZE ? 431 : 500);
	return 0;
}

static void make_ready(struct sconn *sc, struct sen_sbi_stream *st)
{
	st->req_done = true;
	if (st->responded || st->dispatched || st->in_ready)
		return;
	st->in_ready = true;
	st->ready_next = NULL;
	*sc->ready_tail = st;
	sc->ready_tail = &st->ready_next;
}

static int on_frame_recv(nghttp2_session *ng, const nghttp2_frame *f, void *ud)
{
	struct sconn *sc = ud;
	struct sen_sbi_stream *st;

	switch (f->hd.type) {
	case NGHTTP2_SETTINGS:
		sc->established = true;
		return 0;
	case NGHTTP2_HEADERS:
	case NGHTTP2_DATA:
		st = nghttp2_session_get_stream_user_data(ng, f->hd.stream_id);
		if (!st)
			return 0;
		if (st->early && f->hd.type == NGHTTP2_HEADERS)
			answer_now(st);
		if (f->hd.flags & NGHTTP2_FLAG_END_STREAM)
			make_ready(sc, st);
		return 0;
	default:
		return 0;
	}
}

static int on_data(nghttp2_session *ng, uint8_t flags, int32_t id, const uint8_t *data, size_t len,
		   void *ud)
{
	struct sconn *sc = ud;
	struct sen_sbi_stream *st = nghttp2_session_get_stream_user_data(ng, id);

	if (!st)
		return 0;
	if (st->early || st->responded) {
		/*
		 * Answered early (413 …): keep reading and dropping the rest, so that clients
		 * which cannot take a response before their upload ends still get it; but not
		 * forever (RFC 9113 8.1: then RST_STREAM NO_ERROR).
		 */
		st->discarded += len;
		if (st->discarded > DISCARD_MAX && st->discarded - len <= DISCARD_MAX)
			nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, id, NGHTTP2_NO_ERROR);
		return 0;
	}
	if (st->req->body_len + len > sc->srv->o.max_body) {
		mark_early(st, 413);
		answer_now(st);
		return 0;
	}
	if (sbi_msg_append_body(st->req, data, len) < 0) {
		mark_early(st, 500);
		answer_now(st);
	}
	return 0;
}

static int on_stream_close(nghttp2_session *ng, int32_t id, uint32_t err, void *ud)
{
	struct sconn *sc = ud;
	struct sen_sbi_stream *st = nghttp2_session_get_stream_user_data(ng, id);

	if (!st)
		return 0;
	nghttp2_session_set_stream_user_data(ng, id, NULL);
	stream_unlink(&sc->streams, st);
	sc->n_streams--;
	if (st->in_ready) {
		st->closed = true; /* freed by the dispatcher */
		st->conn = NULL;
	} else if (st->dispatched && !st->responded) {
		stream_orphan(st);
	} else {
		stream_free(st);
	}
	return 0;
}

static int sconn_new(struct sen_sbi_server *srv, int fd)
{
	struct sconn *sc;
	nghttp2_settings_entry iv[] = {
	    {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, srv->o.max_concurrent_streams},
	    {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20},
	    {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, srv->o.max_header_bytes},
	    {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
	};
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (srv->st.conns_open >= srv->o.max_conns) {
		srv->st.conns_refused++;
		close(fd);
		return -SEN_EAGAIN;
	}
	sc = calloc(1, sizeof(*sc));
	if (!sc) {
		close(fd);
		return -SEN_ENOMEM;
	}
	sc->srv = srv;
	sc->io.fd = -1;
	sc->ready_tail = &sc->ready_head;
	sc->io.after_recv = sconn_after_recv;
	sc->io.on_close = sconn_close;
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
		sbi_addr_canon((struct sockaddr *)&ss, sc->peer, sizeof(sc->peer));
	else
		snprintf(sc->peer, sizeof(sc->peer), "fd %d", fd);
	if (nghttp2_session_server_new2(&sc->io.ng, srv->cbs, sc, srv->ngopt) != 0) {
		close(fd);
		free(sc);
		return -SEN_ENOMEM;
	}
	nghttp2_submit_settings(sc->io.ng, NGHTTP2_FLAG_NONE, iv, sizeof(iv) / sizeof(iv[0]));
	nghttp2_session_set_local_window_size(sc->io.ng, NGHTTP2_FLAG_NONE, 0, 16 << 20);
	if (sbi_conn_start(&sc->io, srv->loop, fd) < 0) {
		nghttp2_session_del(sc->io.ng);
		close(fd);
		free(sc);
		return -SEN_ENOMEM;
	}
	sc->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = sc;
	srv->conns = sc;
	srv->st.conns_open++;
	srv->st.conns_accepted++;
	sc->last_active = sc->accepted = sen_loop_now(srv->loop);
	sen_timer_init(&sc->idle, srv->loop, on_idle, sc);
	sen_timer_start(&sc->idle, idle_period(srv));
	sbi_conn_kick(&sc->io); /* our SETTINGS go out first (RFC 9113 3.4) */
	return 0;
}

/* The nghttp2 library reports why it is closing a connection; count it. */
static int on_ng_error(nghttp2_session *ng, int code, const char *msg, size_t len, void *ud)
{
	struct sconn *sc = ud;

	sc->srv->st.protocol_errors++;
	sen_log_debug(SBI_MOD, "%s: HTTP/2: %.*s", sc->peer, (int)len, msg);
	return 0;
}

int sen_sbi_server_adopt_fd(struct sen_sbi_server *srv, int fd)
{
	if (!srv || fd < 0)
		return -SEN_EINVAL;
	return sconn_new(srv, fd);
}

static void on_accept(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct sen_sbi_server *srv = arg;

	for (int i = 0; i < 64; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    errno != ECONNABORTED)
				sen_log_warn(SBI_MOD, "%s: accept: %m", srv->authority);
			return;
		}
		if (sconn_new(srv, cfd) == -SEN_EAGAIN)
			sen_log_warn(SBI_MOD, "%s: %u connections open, refusing one",
				     srv->authority, srv->o.max_conns);
	}
}

/* ---- local transport, server end ---- */

static void local_dispatch(struct sbi_defer *d)
{
	struct sen_sbi_stream *st = (struct sen_sbi_stream *)d;

	if (!st->lx || !st->srv) { /* the client went away first */
		if (st->srv)
			stream_unlink(&st->srv->local_streams, st);
		stream_free(st);
		return;
	}
	dispatch(st);
}

struct sen_sbi_stream *sbi_server_local_submit(struct sen_sbi_server *srv, struct sen_sbi_xact *x,
					       struct sen_sbi_msg *req)
{
	struct sen_sbi_stream *st = sbi_pool_get(&stream_pool);

	if (!st)
		return NULL;
	st->srv = srv;
	st->local = true;
	st->lx = x;
	st->req = req;
	st->req_done = true;
	st->started = sen_loop_now(srv->loop);
	stream_link(&srv->local_streams, st);
	srv->st.local_requests++;
	st->defer.fn = local_dispatch;
	sbi_defer_push(&srv->q, &st->defer);
	return st;
}

void sbi_stream_local_detach(struct sen_sbi_stream *st)
{
	st->lx = NULL;
}

/* ---- server ---- */

int sen_sbi_server_new(struct sen_loop *loop, const struct sen_sbi_server_opts *opts,
		       struct sen_sbi_server **out)
{
	struct sen_sbi_server *srv;
	struct sbi_addr a;
	char tmp[96];

	*out = NULL;
	if (!loop || !opts || !opts->addr || strlen(opts->addr) >= sizeof(srv->addr))
		return -SEN_EINVAL;
	snprintf(tmp, sizeof(tmp), strchr(opts->addr, ':') ? "[%s]:1" : "%s:1", opts->addr);
	if (sbi_addr_parse(tmp, &a) < 0)
		return -SEN_EINVAL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -SEN_ENOMEM;
	srv->loop = loop;
	srv->o = *opts;
	snprintf(srv->addr, sizeof(srv->addr), "%s", opts->addr);
	srv->o.addr = srv->addr;
	if (!srv->o.max_concurrent_streams)
		srv->o.max_concurrent_streams = 1024;
	if (!srv->o.max_header_bytes)
		srv->o.max_header_bytes = 16 * 1024;
	if (!srv->o.max_body)
		srv->o.max_body = 1024 * 1024;
	if (!srv->o.max_conns)
		srv->o.max_conns = 1024;
	if (!srv->o.handshake_timeout_ms)
		srv->o.handshake_timeout_ms = 10000;
	if (!srv->o.idle_timeout_ms)
		srv->o.idle_timeout_ms = 300000;
	srv->lfd = -1;
	/* One family per process, shared by every server (and so every NF) in it. */
	srv->m_req = sen_metric_new(SEN_METRIC_COUNTER, "sen_sbi_requests_total",
				    "SBI requests served, by service and status", "service,status");
	sbi_defer_init(&srv->q, loop);
	if (sen_sbi_router_new(&srv->router) < 0 || nghttp2_session_callbacks_new(&srv->cbs) != 0 ||
	    sbi_ng_option_new(&srv->ngopt, true) < 0) {
		sen_sbi_server_free(srv);
		return -SEN_ENOMEM;
	}
	nghttp2_session_callbacks_set_on_begin_headers_callback(srv->cbs, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(srv->cbs, on_header);
	nghttp2_session_callbacks_set_on_frame_recv_callback(srv->cbs, on_frame_recv);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(srv->cbs, on_data);
	nghttp2_session_callbacks_set_on_stream_close_callback(srv->cbs, on_stream_close);
	nghttp2_session_callbacks_set_error_callback2(srv->cbs, on_ng_error);
	*out = srv;
	return 0;
}

int sen_sbi_server_route(struct sen_sbi_server *srv, enum sen_sbi_method method, const char *tmpl,
			 sen_sbi_handler_fn handler, void *arg)
{
	if (!srv)
		return -SEN_EINVAL;
	return sen_sbi_router_add(srv->router, method, tmpl, handler, arg);
}

int sen_sbi_server_start(struct sen_sbi_server *srv)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	int one = 1, fd, rv;

	if (!srv)
		return -SEN_EINVAL;
	if (srv->started)
		return -SEN_EEXIST;
	if (strchr(srv->addr, ':')) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(srv->o.port);
		inet_pton(AF_INET6, srv->addr, &s6->sin6_addr);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(srv->o.port);
		inet_pton(AF_INET, srv->addr, &s4->sin_addr);
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -SEN_EIO;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1024) < 0) {
		int e = errno;

		sen_log_error(SBI_MOD, "cannot listen on %s port %u: %m", srv->addr, srv->o.port);
		close(fd);
		errno = e;
		return -SEN_EIO;
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						   : ((struct sockaddr_in *)&ss)->sin_port);
	sbi_addr_canon((struct sockaddr *)&ss, srv->authority, sizeof(srv->authority));
	if (!srv->o.no_local) {
		rv = sbi_local_register(srv->authority, srv);
		if (rv < 0) {
			close(fd);
			return rv;
		}
		srv->registered = true;
	}
	rv = sen_loop_fd_add(srv->loop, fd, SEN_LOOP_READ, on_accept, srv);
	if (rv < 0) {
		if (srv->registered)
			sbi_local_unregister(srv->authority, srv);
		srv->registered = false;
		close(fd);
		return rv;
	}
	srv->lfd = fd;
	srv->started = true;
	sen_log_info(SBI_MOD, "serving HTTP/2 (h2c) on %s", srv->authority);
	return 0;
}

void sen_sbi_server_stop(struct sen_sbi_server *srv)
{
	struct sbi_defer *d;
	struct sen_sbi_stream *st;

	if (!srv)
		return;
	if (srv->registered)
		sbi_local_unregister(srv->authority, srv);
	srv->registered = false;
	if (srv->lfd >= 0) {
		sen_loop_fd_del(srv->loop, srv->lfd);
		close(srv->lfd);
		srv->lfd = -1;
	}
	while (srv->conns)
		sconn_close(&srv->conns->io);
	/* local requests not dispatched yet, then those a handler holds */
	d = sbi_defer_take(&srv->q);
	while (d) {
		struct sbi_defer *next = d->next;

		st = (struct sen_sbi_stream *)d;
		stream_unlink(&srv->local_streams, st);
		if (st->lx)
			sbi_xact_local_done(st->lx, -SEN_EIO, NULL);
		stream_free(st);
		d = next;
	}
	while ((st = srv->local_streams)) {
		stream_unlink(&srv->local_streams, st);
		if (st->lx)
			sbi_xact_local_done(st->lx, -SEN_EIO, NULL);
		st->lx = NULL;
		stream_orphan(st);
	}
	srv->started = false;
}

void sen_sbi_server_free(struct sen_sbi_server *srv)
{
	if (!srv)
		return;
	sen_sbi_server_stop(srv);
	sbi_defer_fini(&srv->q);
	sen_sbi_router_free(srv->router);
	if (srv->cbs)
		nghttp2_session_callbacks_del(srv->cbs);
	if (srv->ngopt)
		nghttp2_option_del(srv->ngopt);
	free(srv);
}

uint16_t sen_sbi_server_port(const struct sen_sbi_server *srv)
{
	return srv ? srv->port : 0;
}

const char *sen_sbi_server_authority(const struct sen_sbi_server *srv)
{
	return srv ? srv->authority : "";
}

void sen_sbi_server_get_stats(const struct sen_sbi_server *srv, struct sen_sbi_server_stats *s)
{
	if (srv && s)
		*s = srv->st;
}
