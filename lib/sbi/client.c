/*
 * SBI client (client.h): one HTTP/2 connection per peer authority, opened on demand
 * with a non-blocking connect and reused by every request (RFC 9113 9.1; TS 29.500
 * 5.2.1 / 6.1: h2c with prior knowledge, many concurrent streams), per-request
 * timeouts, and the client end of the local transport (DESIGN.md, Process model).
 *
 * A transaction (struct sen_sbi_xact) is one request waiting for its answer. It sits on
 * exactly one list while in flight: its connection's (HTTP/2), the client's local list
 * (local transport) or the client's resolving list (waiting for the resolver hook).
 * However it ends (answer, timeout, drop, cancel) it goes through xact_finish(), which
 * detaches it from everything and queues the callback on the client's deferred-call
 * queue: callbacks never run inside sen_sbi_client_request() nor inside nghttp2.
 */
#include "sbi/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"

struct peer {
	struct sbi_addr addr;
	struct cconn *conn; /* the connection new requests go to */
	struct sen_sbi_server *local;
	unsigned gen;  /* registry generation `local` was looked up at */
	unsigned refs; /* transactions whose x->peer this is */
	struct peer *next;
};

/*
 * Peers come from authorities that other NFs name (callback URIs, Location headers), so
 * they are bounded: past PEERS_REAP, a new peer first frees the idle ones (no connection,
 * no transaction); past PEERS_MAX busy ones, new authorities are refused (-SEN_EAGAIN).
 */
#define PEERS_REAP 256
#define PEERS_MAX  1024

struct cconn {
	struct sbi_conn io; /* first */
	struct sen_sbi_client *c;
	struct peer *peer; /* NULL once draining (GOAWAY) */
	struct cconn *prev, *next;
	struct sen_sbi_xact *xacts;
	struct sen_timer connect_timer;
};

enum xstate { XS_NEW, XS_RESOLVING, XS_FLIGHT, XS_DONE };

struct sen_sbi_xact {
	struct sbi_defer defer; /* first: the callback queue */
	struct sen_sbi_client *c;
	struct sen_sbi_msg *req, *rsp;
	sen_sbi_response_fn cb;
	void *arg;
	struct sen_timer timer;
	struct sen_sbi_xact *prev, *next, **list;
	struct cconn *conn;
	struct peer *peer;
	struct sen_sbi_stream *lstream;
	int32_t stream_id;
	uint8_t retries;
	bool queued; /* on the client's deferred-call queue */
	size_t hdr_bytes;
	int err;
	enum xstate state;
	bool cancelled, resolver_holds, delivered;
};

struct sen_sbi_client {
	struct sen_loop *loop;
	struct sen_sbi_client_opts o;
	struct sen_hash *peers; /* target string and canonical authority -> peer */
	struct peer *peer_list;
	size_t n_peers;
	struct cconn *conns;
	struct sen_sbi_xact *local, *resolving;
	struct sbi_defer_q q;
	nghttp2_session_callbacks *cbs;
	nghttp2_option *ngopt;
	sen_sbi_resolve_fn resolve;
	void *resolve_arg;
	struct sen_sbi_client_stats st;
};

static __thread struct sbi_pool xact_pool = {.size = sizeof(struct sen_sbi_xact)};

void sbi_xact_pool_trim(void)
{
	sbi_pool_trim(&xact_pool);
}

/* ---- lists ---- */

static void x_link(struct sen_sbi_xact **head, struct sen_sbi_xact *x)
{
	x->list = head;
	x->prev = NULL;
	x->next = *head;
	if (*head)
		(*head)->prev = x;
	*head = x;
}

static void x_unlink(struct sen_sbi_xact *x)
{
	if (!x->list)
		return;
	if (x->prev)
		x->prev->next = x->next;
	else
		*x->list = x->next;
	if (x->next)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
	x->list = NULL;
}

/* ---- completion ---- */

static void xact_release(struct sen_sbi_xact *x)
{
	if (x->peer)
		x->peer->refs--;
	x->peer = NULL;
	sen_sbi_msg_free(x->req);
	sen_sbi_msg_free(x->rsp);
	sbi_pool_put(&xact_pool, x);
}

/* Put x on the client's queue to run fn (once: a queued x only changes its fn). */
static void xact_queue(struct sen_sbi_xact *x, void (*fn)(struct sbi_defer *d))
{
	x->defer.fn = fn;
	if (!x->queued) {
		x->queued = true;
		sbi_defer_push(&x->c->q, &x->defer);
	}
}

static void xact_deliver(struct sbi_defer *d)
{
	struct sen_sbi_xact *x = (struct sen_sbi_xact *)d;

	x->queued = false;
	if (!x->cancelled && x->cb)
		x->cb(x->err, x->err < 0 ? NULL : x->rsp, x->arg);
	x->delivered = true;
	sen_sbi_msg_free(x->rsp);
	x->rsp = NULL;
	if (!x->resolver_holds)
		xact_release(x);
}

/*
 * End x with err / rsp (consumed). `reset`: cancel its HTTP/2 stream if any. Queues
 * the callback. A no-op (rsp freed) if x already ended.
 */
static void xact_finish(struct sen_sbi_xact *x, int err, struct sen_sbi_msg *rsp, bool reset)
{
	if (x->state == XS_DONE) {
		sen_sbi_msg_free(rsp);
		return;
	}
	sen_timer_stop(&x->timer);
	x_unlink(x);
	if (x->conn) {
		nghttp2_session *ng = x->conn->io.ng;

		if (ng && x->stream_id > 0) {
			nghttp2_session_set_stream_user_data(ng, x->stream_id, NULL);
			if (reset) {
				nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, x->stream_id,
							  NGHTTP2_CANCEL);
				sbi_conn_kick(&x->conn->io);
			}
		}
		x->conn = NULL;
	}
	if (x->lstream) {
		sbi_stream_local_detach(x->lstream);
		x->lstream = NULL;
	}
	x->state = XS_DONE;
	x->err = err;
	sen_sbi_msg_free(x->rsp);
	x->rsp = rsp;
	sen_sbi_msg_free(x->req);
	x->req = NULL;
	xact_queue(x, xact_deliver);
}

void sbi_xact_local_done(struct sen_sbi_xact *x, int err, struct sen_sbi_msg *rsp)
{
	x->lstream = NULL;
	xact_finish(x, err, rsp, false);
}

static void on_timeout(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sen_sbi_xact *x = arg;

	x->c->st.timeouts++;
	sen_log_debug(SBI_MOD, "%s %s: no answer in time",
		      sen_sbi_method_name(x->req ? x->req->method : 0), x->req ? x->req->path : "");
	xact_finish(x, -SEN_ETIMEDOUT, NULL, true);
}

void sen_sbi_xact_cancel(struct sen_sbi_xact *x)
{
	if (!x)
		return;
	x->cancelled = true;
	if (x->state != XS_DONE && x->c)
		xact_finish(x, -SEN_EIO, NULL, true);
}

/* ---- HTTP/2 client callbacks ---- */

static void xact_retry(struct sbi_defer *d);

static struct sen_sbi_xact *stream_xact(nghttp2_session *ng, int32_t id)
{
	return nghttp2_session_get_stream_user_data(ng, id);
}

static int on_begin_headers(nghttp2_session *ng, const nghttp2_frame *f, void *ud)
{
	struct sen_sbi_xact *x;

	if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_RESPONSE)
		return 0;
	x = stream_xact(ng, f->hd.stream_id);
	if (!x)
		return 0;
	sen_sbi_msg_free(x->rsp); /* after a 1xx interim response: start again */
	x->hdr_bytes = 0;
	x->rsp = sen_sbi_msg_new();
	if (!x->rsp) {
		xact_finish(x, -SEN_ENOMEM, NULL, true);
		return 0;
	}
	return 0;
}

static int on_header(nghttp2_session *ng, const nghttp2_frame *f, const uint8_t *name, size_t nlen,
		     const uint8_t *value, size_t vlen, uint8_t flags, void *ud)
{
	struct cconn *cc = ud;
	struct sen_sbi_xact *x;

	if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_RESPONSE)
		return 0;
	x = stream_xact(ng, f->hd.stream_id);
	if (!x || !x->rsp)
		return 0;
	x->hdr_bytes += nlen + vlen + 32;
	if (x->hdr_bytes > cc->c->o.max_header_bytes) {
		xact_finish(x, -SEN_EMSGSIZE, NULL, true);
		return 0;
	}
	if (nlen == 7 && memcmp(name, ":status", 7) == 0) {
		int s = 0;

		for (size_t i = 0; i < vlen && i < 3; i++)
			s = s * 10 + (value[i] - '0');
		if (vlen != 3 || s < 100 || s > 599) {
			xact_finish(x, -SEN_EPROTO, NULL, true);
			return 0;
		}
		x->rsp->status = s;
		return 0;
	}
	if (nlen && name[0] == ':')
		return 0;
	if (sbi_msg_add_raw_header(x->rsp, (const char *)name, nlen, (const char *)value, vlen) < 0)
		xact_finish(x, x->rsp->err == -SEN_EMSGSIZE ? -SEN_EMSGSIZE : -SEN_ENOMEM, NULL,
			    true);
	return 0;
}

static int on_data(nghttp2_session *ng, uint8_t flags, int32_t id, const uint8_t *data, size_t len,
		   void *ud)
{
	struct cconn *cc = ud;
	struct sen_sbi_xact *x = stream_xact(ng, id);

	if (!x || !x->rsp)
		return 0;
	if (x->rsp->body_len + len > cc->c->o.max_body) {
		xact_finish(x, -SEN_EMSGSIZE, NULL, true);
		return 0;
	}
	if (sbi_msg_append_body(x->rsp, data, len) < 0)
		xact_finish(x, -SEN_ENOMEM, NULL, true);
	return 0;
}

static int on_frame_recv(nghttp2_session *ng, const nghttp2_frame *f, void *ud)
{
	struct cconn *cc = ud;
	struct sen_sbi_xact *x;

	switch (f->hd.type) {
	case NGHTTP2_GOAWAY:
		/* RFC 9113 6.8: no new streams here; nghttp2 fails those it did not take */
		if (cc->peer && cc->peer->conn == cc)
			cc->peer->conn = NULL;
		cc->peer = NULL;
		return 0;
	case NGHTTP2_HEADERS:
	case NGHTTP2_DATA:
		if (!(f->hd.flags & NGHTTP2_FLAG_END_STREAM))
			return 0;
		x = stream_xact(ng, f->hd.stream_id);
		if (!x)
			return 0;
		if (!x->rsp || x->rsp->status < 200) {
			xact_finish(x, -SEN_EPROTO, NULL, true);
		} else {
			struct sen_sbi_msg *rsp = x->rsp;

			x->rsp = NULL;
			xact_finish(x, 0, rsp, false);
		}
		return 0;
	default:
		return 0;
	}
}

static int on_stream_close(nghttp2_session *ng, int32_t id, uint32_t err, void *ud)
{
	struct sen_sbi_xact *x = stream_xact(ng, id);

	if (x && err == NGHTTP2_REFUSED_STREAM && x->req && x->retries < 3) {
		/*
		 * RFC 9113 8.7: a refused stream was not processed (over the peer's
		 * SETTINGS_MAX_CONCURRENT_STREAMS before we knew it, or above a GOAWAY's
		 * last stream): send it again.
		 */
		x->retries++;
		nghttp2_session_set_stream_user_data(ng, id, NULL);
		x_unlink(x);
		x->conn = NULL;
		x->stream_id = 0;
		sen_sbi_msg_free(x->rsp);
		x->rsp = NULL;
		xact_queue(x, xact_retry);
		return 0;
	}
	/* closed before a complete answer: reset by the peer, GOAWAY'd … */
	if (x) {
		sen_log_debug(SBI_MOD, "stream %d closed without an answer (%s)", id,
			      nghttp2_http2_strerror(err));
		xact_finish(x, -SEN_EIO, NULL, false);
	}
	return 0;
}

static ssize_t req_read(nghttp2_session *ng, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
			nghttp2_data_source *src, void *ud)
{
	struct sen_sbi_xact *x = stream_xact(ng, id);
	struct sen_sbi_msg *req;
	size_t off = (size_t)src->ptr - 1, n; /* ptr: 1 + bytes already sent */

	if (!x || !x->req)
		return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
	req = x->req;
	n = req->body_len - off < len ? req->body_len - off : len;
	memcpy(buf, req->body + off, n);
	off += n;
	src->ptr = (void *)(off + 1);
	if (off == req->body_len)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

/* ---- connections ---- */

static void cconn_close(struct sbi_conn *io)
{
	struct cconn *cc = (struct cconn *)io;
	struct sen_sbi_client *c = cc->c;
	struct sen_sbi_xact *x;

	if (cc->prev)
		cc->prev->next = cc->next;
	else if (c->conns == cc)
		c->conns = cc->next;
	if (cc->next)
		cc->next->prev = cc->prev;
	if (cc->peer && cc->peer->conn == cc)
		cc->peer->conn = NULL;
	if (cc->xacts || cc->io.connecting)
		c->st.conns_failed++;
	if (cc->xacts) {
		sen_log_debug(SBI_MOD, "connection to %s lost with requests pending",
			      cc->peer ? cc->peer->addr.canon : "peer");
	}
	while ((x = cc->xacts)) {
		x->conn = NULL; /* the session goes away: no stream bookkeeping */
		xact_finish(x, -SEN_EIO, NULL, false);
	}
	sen_timer_stop(&cc->connect_timer);
	sbi_conn_teardown(&cc->io);
	free(cc);
}

static void on_connect_timeout(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct cconn *cc = arg;

	sen_log_debug(SBI_MOD, "connect to %s: timed out",
		      cc->peer ? cc->peer->addr.canon : "peer");
	cc->io.failed = true;
	cconn_close(&cc->io);
}

static void cconn_connected(struct sbi_conn *io)
{
	struct cconn *cc = (struct cconn *)io;

	sen_timer_stop(&cc->connect_timer);
}

static void cconn_after_recv(struct sbi_conn *io)
{
	struct cconn *cc = (struct cconn *)io;

	/* answers completed by this input: deliver them now rather than next round */
	sbi_defer_run(&cc->c->q);
}

static struct cconn *cconn_open(struct sen_sbi_client *c, struct peer *p)
{
	nghttp2_settings_entry iv[] = {
	    {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
	    {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20},
	    {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, c->o.max_header_bytes},
	};
	struct cconn *cc;
	int fd;

	fd = socket(p->addr.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		close(fd);
		return NULL;
	}
	cc->c = c;
	cc->io.fd = -1;
	cc->io.after_recv = cconn_after_recv;
	cc->io.on_close = cconn_close;
	cc->io.on_connected = cconn_connected;
	sen_timer_init(&cc->connect_timer, c->loop, on_connect_timeout, cc);
	if (connect(fd, (struct sockaddr *)&p->addr.ss, p->addr.len) < 0) {
		if (errno != EINPROGRESS) {
			sen_log_debug(SBI_MOD, "connect to %s: %m", p->addr.canon);
			close(fd);
			free(cc);
			c->st.conns_failed++;
			return NULL;
		}
		cc->io.connecting = true;
	}
	if (nghttp2_session_client_new2(&cc->io.ng, c->cbs, cc, c->ngopt) != 0) {
		close(fd);
		free(cc);
		return NULL;
	}
	/* RFC 9113 3.4: nghttp2 sends the client preface, then these SETTINGS */
	nghttp2_submit_settings(cc->io.ng, NGHTTP2_FLAG_NONE, iv, sizeof(iv) / sizeof(iv[0]));
	nghttp2_session_set_local_window_size(cc->io.ng, NGHTTP2_FLAG_NONE, 0, 16 << 20);
	if (sbi_conn_start(&cc->io, c->loop, fd) < 0) {
		nghttp2_session_del(cc->io.ng);
		close(fd);
		free(cc);
		return NULL;
	}
	if (cc->io.connecting)
		sen_timer_start(&cc->connect_timer, c->o.connect_timeout_ms);
	cc->peer = p;
	p->conn = cc;
	cc->next = c->conns;
	if (c->conns)
		c->conns->prev = cc;
	c->conns = cc;
	c->st.conns_opened++;
	return cc;
}

#define NV(n, v, vl)                                                                               \
	((nghttp2_nv){(uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, (vl), NGHTTP2_NV_FLAG_NONE})

static int submit(struct cconn *cc, struct sen_sbi_xact *x)
{
	struct sen_sbi_msg *req = x->req;
	nghttp2_nv nva[SEN_SBI_MAX_HEADERS + 5];
	nghttp2_data_provider dp = {.source.ptr = (void *)1, .read_callback = req_read};
	const char *method = sen_sbi_method_name(req->method), *path;
	char clen[24];
	size_t n = 0, plen;
	int32_t id;

	path = sbi_msg_wire_path(req, &plen);
	if (!path)
		return -SEN_ENOMEM;
	nva[n++] = NV(":method", method, strlen(method));
	nva[n++] = NV(":scheme", "http", 4);
	nva[n++] = NV(":authority", req->authority, strlen(req->authority));
	nva[n++] = NV(":path", path, plen);
	if (req->body_len) {
		snprintf(clen, sizeof(clen), "%zu", req->body_len);
		nva[n++] = NV("content-length", clen, strlen(clen));
	}
	for (unsigned i = 0; i < req->n_hdr; i++)
		nva[n++] = (nghttp2_nv){(uint8_t *)req->hdr[i].name, (uint8_t *)req->hdr[i].value,
					strlen(req->hdr[i].name), strlen(req->hdr[i].value),
					NGHTTP2_NV_FLAG_NONE};
	id = nghttp2_submit_request(cc->io.ng, NULL, nva, n, req->body_len ? &dp : NULL, x);
	if (id < 0)
		return id == NGHTTP2_ERR_NOMEM ? -SEN_ENOMEM : -SEN_EAGAIN;
	x->stream_id = id;
	x->conn = cc;
	x_link(&cc->xacts, x);
	cc->c->st.requests++;
	sbi_conn_kick(&cc->io);
	return 0;
}

/* ---- sending ---- */

/* Free the peers nothing uses (no connection, no transaction), aliases included. */
static void peers_reap(struct sen_sbi_client *c)
{
	struct peer **pp = &c->peer_list, *p;
	struct sen_hash_iter it;
	const void *key;
	void *v;

	while ((p = *pp)) {
		if (p->conn || p->refs) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		sen_hash_iter_init(&it, c->peers);
		while (sen_hash_iter_next(&it, &key, NULL, &v))
			if (v == p)
				sen_hash_del_str(c->peers, key);
		free(p);
		c->n_peers--;
	}
}

static int peer_get(struct sen_sbi_client *c, const char *target, struct peer **out)
{
	struct peer *p = sen_hash_get_str(c->peers, target);
	struct sbi_addr a;
	int rv;

	if (p) {
		*out = p;
		return 0;
	}
	rv = sbi_addr_parse(target, &a);
	if (rv < 0)
		return rv;
	p = sen_hash_get_str(c->peers, a.canon);
	if (!p && c->n_peers >= PEERS_REAP)
		peers_reap(c);
	if (!p && c->n_peers >= PEERS_MAX) {
		sen_log_warn("sbi", "%zu peers busy: %s refused", c->n_peers, a.canon);
		return -SEN_EAGAIN;
	}
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -SEN_ENOMEM;
		p->addr = a;
		if (sen_hash_put_str(c->peers, a.canon, p) < 0) {
			free(p);
			return -SEN_ENOMEM;
		}
		p->next = c->peer_list;
		c->peer_list = p;
		c->n_peers++;
	}
	if (strcmp(target, a.canon) != 0 && sen_hash_count(c->peers) < 4096)
		sen_hash_put_str(c->peers, target, p); /* a cache: failure is harmless */
	*out = p;
	return 0;
}

static void xact_dispatch(struct sen_sbi_xact *x, struct peer *p)
{
	struct sen_sbi_client *c = x->c;
	struct cconn *cc;
	const char *auth = sbi_msg_strndup(x->req, p->addr.canon, strlen(p->addr.canon));
	int rv;

	if (!auth) {
		xact_finish(x, -SEN_ENOMEM, NULL, false);
		return;
	}
	x->req->authority = auth;
	x->state = XS_FLIGHT;
	if (x->peer != p) {
		if (x->peer)
			x->peer->refs--;
		p->refs++;
		x->peer = p;
	}
	if (!c->o.no_local) {
		unsigned gen = sbi_local_generation();

		if (p->gen != gen) {
			p->local = sbi_local_lookup(p->addr.canon, c->loop);
			p->gen = gen;
		}
		if (p->local) {
			struct sen_sbi_msg *req = x->req;

			x->req = NULL;
			x_link(&c->local, x);
			x->lstream = sbi_server_local_submit(p->local, x, req);
			if (!x->lstream) {
				x->req = req;
				xact_finish(x, -SEN_ENOMEM, NULL, false);
				return;
			}
			c->st.local_requests++;
			return;
		}
	}
	cc = p->conn;
	if (cc && !nghttp2_session_check_request_allowed(cc->io.ng)) {
		cc->peer = NULL; /* draining */
		p->conn = NULL;
		cc = NULL;
	}
	if (!cc)
		cc = cconn_open(c, p);
	if (!cc) {
		xact_finish(x, -SEN_EIO, NULL, false);
		return;
	}
	rv = submit(cc, x);
	if (rv == -SEN_EAGAIN) { /* stream IDs used up (RFC 9113 5.1.1): a fresh connection */
		cc->peer = NULL;
		p->conn = NULL;
		cc = cconn_open(c, p);
		rv = cc ? submit(cc, x) : -SEN_EIO;
	}
	if (rv < 0)
		xact_finish(x, rv == -SEN_EAGAIN ? -SEN_EIO : rv, NULL, false);
}

static void xact_retry(struct sbi_defer *d)
{
	struct sen_sbi_xact *x = (struct sen_sbi_xact *)d;

	x->queued = false;
	xact_dispatch(x, x->peer);
}

int sen_sbi_client_request(struct sen_sbi_client *c, const struct sen_sbi_target *t,
			   struct sen_sbi_msg *req, uint32_t timeout_ms, sen_sbi_response_fn cb,
			   void *arg, struct sen_sbi_xact **out)
{
	struct sen_sbi_xact *x;
	struct peer *p = NULL;
	int rv;

	if (out)
		*out = NULL;
	if (!c || !t || !req || !cb) {
		sen_sbi_msg_free(req);
		return -SEN_EINVAL;
	}
	if (req->err < 0) {
		rv = req->err;
		sen_sbi_msg_free(req);
		return rv;
	}
	if (req->method == SEN_SBI_METHOD_NONE || !req->path || req->path[0] != '/') {
		sen_sbi_msg_free(req);
		return -SEN_EINVAL;
	}
	if (t->authority) {
		rv = peer_get(c, t->authority, &p);
		if (rv < 0) {
			sen_sbi_msg_free(req);
			return rv;
		}
	} else if (!c->resolve) {
		sen_sbi_msg_free(req);
		return -SEN_EINVAL;
	}
	x = sbi_pool_get(&xact_pool);
	if (!x) {
		sen_sbi_msg_free(req);
		return -SEN_ENOMEM;
	}
	x->c = c;
	x->req = req;
	x->cb = cb;
	x->arg = arg;
	sen_timer_init(&x->timer, c->loop, on_timeout, x);
	sen_timer_start(&x->timer, timeout_ms ? timeout_ms : c->o.timeout_ms);
	if (out)
		*out = x;
	if (p) {
		xact_dispatch(x, p);
	} else {
		x->state = XS_RESOLVING;
		x->resolver_holds = true;
		x_link(&c->resolving, x);
		c->resolve(c, x, t, c->resolve_arg);
	}
	return 0;
}

int sen_sbi_client_send(struct sen_sbi_client *c, const char *authority, struct sen_sbi_msg *req,
			uint32_t timeout_ms, sen_sbi_response_fn cb, void *arg)
{
	struct sen_sbi_target t = {.authority = authority};

	if (!authority) {
		sen_sbi_msg_free(req);
		return -SEN_EINVAL;
	}
	return sen_sbi_client_request(c, &t, req, timeout_ms, cb, arg, NULL);
}

int sen_sbi_xact_resolved(struct sen_sbi_xact *x, const char *authority, int err)
{
	struct peer *p;
	int rv;

	if (!x || !x->resolver_holds)
		return -SEN_EINVAL;
	x->resolver_holds = false;
	if (!x->c) { /* the client was freed meanwhile */
		xact_release(x);
		return 0;
	}
	if (x->state != XS_RESOLVING) { /* timed out or cancelled meanwhile */
		if (x->delivered)
			xact_release(x);
		return 0;
	}
	x_unlink(x);
	if (err < 0 || !authority) {
		xact_finish(x, err < 0 ? err : -SEN_ENOENT, NULL, false);
		return 0;
	}
	rv = peer_get(x->c, authority, &p);
	if (rv < 0) {
		xact_finish(x, rv, NULL, false);
		return rv;
	}
	xact_dispatch(x, p);
	return 0;
}

void sen_sbi_client_set_resolver(struct sen_sbi_client *c, sen_sbi_resolve_fn fn, void *arg)
{
	if (!c)
		return;
	c->resolve = fn;
	c->resolve_arg = arg;
}

/* ---- client ---- */

int sen_sbi_client_new(struct sen_loop *loop, const struct sen_sbi_client_opts *opts,
		       struct sen_sbi_client **out)
{
	struct sen_sbi_client *c;

	*out = NULL;
	if (!loop)
		return -SEN_EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -SEN_ENOMEM;
	c->loop = loop;
	if (opts)
		c->o = *opts;
	if (!c->o.timeout_ms)
		c->o.timeout_ms = 5000;
	if (!c->o.connect_timeout_ms)
		c->o.connect_timeout_ms = c->o.timeout_ms;
	if (!c->o.max_body)
		c->o.max_body = 16 * 1024 * 1024;
	if (!c->o.max_header_bytes)
		c->o.max_header_bytes = 16 * 1024;
	sbi_defer_init(&c->q, loop);
	if (sen_hash_new(&c->peers) < 0 || nghttp2_session_callbacks_new(&c->cbs) != 0 ||
	    sbi_ng_option_new(&c->ngopt, false) < 0) {
		sen_sbi_client_free(c);
		return -SEN_ENOMEM;
	}
	nghttp2_session_callbacks_set_on_begin_headers_callback(c->cbs, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(c->cbs, on_header);
	nghttp2_session_callbacks_set_on_frame_recv_callback(c->cbs, on_frame_recv);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(c->cbs, on_data);
	nghttp2_session_callbacks_set_on_stream_close_callback(c->cbs, on_stream_close);
	*out = c;
	return 0;
}

/* Drop x without a callback (client teardown). */
static void xact_drop(struct sen_sbi_xact *x)
{
	sen_timer_stop(&x->timer);
	x_unlink(x);
	x->conn = NULL;
	if (x->lstream) {
		sbi_stream_local_detach(x->lstream);
		x->lstream = NULL;
	}
	if (x->resolver_holds) {
		x->c = NULL; /* sen_sbi_xact_resolved() will release it */
		sen_sbi_msg_free(x->req);
		x->req = NULL;
		return;
	}
	xact_release(x);
}

void sen_sbi_client_free(struct sen_sbi_client *c)
{
	struct sbi_defer *d;

	if (!c)
		return;
	while (c->conns) {
		struct cconn *cc = c->conns;

		while (cc->xacts)
			xact_drop(cc->xacts);
		c->conns = cc->next;
		sen_timer_stop(&cc->connect_timer);
		sbi_conn_teardown(&cc->io);
		free(cc);
	}
	while (c->local)
		xact_drop(c->local);
	while (c->resolving)
		xact_drop(c->resolving);
	d = sbi_defer_take(&c->q);
	while (d) {
		struct sbi_defer *next = d->next;

		xact_drop((struct sen_sbi_xact *)d);
		d = next;
	}
	sbi_defer_fini(&c->q);
	while (c->peer_list) {
		struct peer *p = c->peer_list;

		c->peer_list = p->next;
		free(p);
	}
	sen_hash_free(c->peers);
	if (c->cbs)
		nghttp2_session_callbacks_del(c->cbs);
	if (c->ngopt)
		nghttp2_option_del(c->ngopt);
	free(c);
}

void sen_sbi_client_get_stats(const struct sen_sbi_client *c, struct sen_sbi_client_stats *s)
{
	if (c && s) {
		*s = c->st;
		s->peers = c->n_peers;
	}
}

int sen_sbi_uri_split(const char *uri, char *auth, size_t auth_cap, char *path, size_t path_cap)
{
	static const char http[] = "http://";
	const char *a, *slash;
	size_t alen;

	if (!uri || !auth_cap || !path_cap || strncasecmp(uri, http, sizeof(http) - 1))
		return -SEN_EINVAL;
	for (const char *p = uri; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -SEN_EINVAL;
	a = uri + sizeof(http) - 1;
	slash = strchr(a, '/');
	alen = slash ? (size_t)(slash - a) : strlen(a);
	if (!alen || alen >= auth_cap || memchr(a, '@', alen))
		return -SEN_EINVAL;
	if (snprintf(path, path_cap, "%s", slash ? slash : "/") >= (int)path_cap)
		return -SEN_EINVAL;
	memcpy(auth, a, alen);
	auth[alen] = '\0';
	return 0;
}
