/*
 * lib/sbi internals shared by its files (not installed, not for NF code):
 * the message struct, per-thread object pools, the deferred-call queue of the local
 * transport, the connection I/O layer under both HTTP/2 ends, authority parsing and
 * the in-process registry of servers.
 */
#ifndef SEN_SBI_INTERNAL_H
#define SEN_SBI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <nghttp2/nghttp2.h>

#include "core/loop.h"
#include "sbi/client.h"
#include "sbi/msg.h"
#include "sbi/server.h"

#define SBI_MOD "sbi"

/* ---- messages ---- */

struct sbi_kv {
	const char *name;
	const char *value;
};

struct sbi_chunk {
	struct sbi_chunk *next;
	char data[];
};

#define SBI_ARENA_INLINE 640

struct sen_sbi_msg {
	struct sen_sbi_msg *next_free;
	enum sen_sbi_method method;
	int status;
	int err;
	const char *path;
	const char *authority;
	uint16_t n_hdr, n_query, n_var;
	struct sbi_kv hdr[SEN_SBI_MAX_HEADERS];
	struct sbi_kv query[SEN_SBI_MAX_QUERY];
	struct sbi_kv var[SEN_SBI_MAX_VARS];
	uint8_t *body;
	size_t body_len, body_cap;
	/* string arena: inline first, then malloc'ed chunks (freed on reset) */
	char *a_cur;
	size_t a_left;
	struct sbi_chunk *a_chunks;
	char a_inline[SBI_ARENA_INLINE];
};

/* Copy s[n] into the message's arena, NUL-terminated; NULL (error recorded) on ENOMEM. */
char *sbi_msg_strndup(struct sen_sbi_msg *m, const char *s, size_t n);

/* Record err unless one is recorded already; returns the recorded error. */
int sbi_msg_fail(struct sen_sbi_msg *m, int err);

/*
 * Add a received header (name already lower-case and validated by nghttp2). Returns 0,
 * -SEN_EMSGSIZE (too many headers) or -SEN_ENOMEM. content-length is skipped.
 */
int sbi_msg_add_raw_header(struct sen_sbi_msg *m, const char *name, size_t nlen, const char *value,
			   size_t vlen);

/* Append received body bytes (-SEN_ENOMEM). */
int sbi_msg_append_body(struct sen_sbi_msg *m, const uint8_t *p, size_t n);

/* Set the path and query from a received ":path" (-SEN_EINVAL for a bad one). */
int sbi_msg_set_wire_path(struct sen_sbi_msg *m, const char *p, size_t n);

/*
 * Write the request's path plus its encoded query ("/a/b?x=1&y=%2F") into the arena.
 * NULL on ENOMEM. Sets *len.
 */
const char *sbi_msg_wire_path(struct sen_sbi_msg *m, size_t *len);

/* Store a route variable (value decoded from v[n]); -SEN_EINVAL on a bad escape. */
int sbi_msg_add_var(struct sen_sbi_msg *m, const char *name, const char *v, size_t n);

/* Drop route variables (before re-routing). */
void sbi_msg_clear_vars(struct sen_sbi_msg *m);

/* Percent-decode s[n] into out (at least n+1 bytes); returns length or -SEN_EINVAL. */
int sbi_pct_decode(const char *s, size_t n, char *out);

/* ---- per-thread pools of fixed-size objects ---- */

struct sbi_pool {
	void *head;
	unsigned n;
	size_t size;
};

/* A zeroed object of pool->size bytes, or NULL. */
void *sbi_pool_get(struct sbi_pool *p);
/* Give it back (kept for reuse up to a cap, else freed). NULL is a no-op. */
void sbi_pool_put(struct sbi_pool *p, void *obj);
void sbi_pool_trim(struct sbi_pool *p);

/* ---- deferred calls (local transport; no syscall, never re-entrant) ---- */

struct sbi_defer {
	struct sbi_defer *next;
	void (*fn)(struct sbi_defer *d);
};

struct sbi_defer_q {
	struct sbi_defer *head, **tail;
	struct sen_timer timer; /* 0 ms: runs the queue in the loop's next round */
};

void sbi_defer_init(struct sbi_defer_q *q, struct sen_loop *loop);
/* Queue d; it runs in a later loop round (or at the next sbi_defer_run). */
void sbi_defer_push(struct sbi_defer_q *q, struct sbi_defer *d);
/* Run what is queued now; items queued meanwhile wait for the next round. */
void sbi_defer_run(struct sbi_defer_q *q);
/* Take every queued item off the queue (for teardown); returns the list. */
struct sbi_defer *sbi_defer_take(struct sbi_defer_q *q);
void sbi_defer_fini(struct sbi_defer_q *q);

/* ---- connection I/O (the layer TLS will slot into) ---- */

struct sbi_conn;

struct sbi_io_ops {
	/* like recv/send: bytes, 0 on EOF (recv), -1 with errno (EAGAIN when would block) */
	ssize_t (*recv)(struct sbi_conn *c, void *buf, size_t n);
	ssize_t (*send)(struct sbi_conn *c, const void *buf, size_t n);
};

extern const struct sbi_io_ops sbi_tcp_io;

struct sbi_conn {
	struct sen_loop *loop;
	int fd;
	nghttp2_session *ng;
	const struct sbi_io_ops *io;
	uint8_t *out;
	size_t out_len, out_off, out_cap;
	unsigned events; /* currently watched */
	bool connecting; /* client: non-blocking connect in progress */
	bool in_io;	 /* inside the fd handler: a flush follows anyway */
	bool failed;	 /* must close */
	struct sen_timer flush_timer;
	/* owner hooks */
	void (*after_recv)(struct sbi_conn *c); /* after input was processed */
	void (*on_close)(struct sbi_conn *c);	/* the owner closes and frees */
	void (*on_connected)(struct sbi_conn *c);
};

/* Set up c over fd (non-blocking) and watch it. Returns 0, -SEN_ENOMEM or -SEN_EIO. */
int sbi_conn_start(struct sbi_conn *c, struct sen_loop *loop, int fd);

/* Ask for a flush: now if in the fd handler's tail, else in the next loop round. */
void sbi_conn_kick(struct sbi_conn *c);

/* Stop watching, close the fd, free the session and the output buffer. */
void sbi_conn_teardown(struct sbi_conn *c);

/* ---- authorities ---- */

#define SBI_AUTH_MAX 64

struct sbi_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char canon[SBI_AUTH_MAX]; /* "1.2.3.4:80" or "[::1]:80" */
};

/*
 * Parse "host:port", "[v6]:port" or "http://host:port[/…]" (numeric host or
 * "localhost"). Returns 0, -SEN_EINVAL or -SEN_ENOTSUP (https, host names).
 */
int sbi_addr_parse(const char *s, struct sbi_addr *a);

/* Canonical authority of a bound/peer socket address. */
void sbi_addr_canon(const struct sockaddr *sa, char *out, size_t cap);

/* ---- local transport ---- */

/* Registry of started servers by canonical authority (process-wide, locked). */
int sbi_local_register(const char *canon, struct sen_sbi_server *srv);
void sbi_local_unregister(const char *canon, struct sen_sbi_server *srv);
/* The server registered under canon that runs on `loop`, or NULL. */
struct sen_sbi_server *sbi_local_lookup(const char *canon, struct sen_loop *loop);
/* Changes whenever the registry changes (for clients' cached lookups). */
unsigned sbi_local_generation(void);

/* server.c: deliver a client's request to a local server (x->req moves to the stream). */
struct sen_sbi_stream *sbi_server_local_submit(struct sen_sbi_server *srv, struct sen_sbi_xact *x,
					       struct sen_sbi_msg *req);
/* server.c: the loop a server runs on (for the registry). */
struct sen_loop *sbi_server_loop(const struct sen_sbi_server *srv);
/* per-thread pools of transactions and streams (sen_sbi_pool_trim) */
void sbi_xact_pool_trim(void);
void sbi_stream_pool_trim(void);
/* server.c: the client side of a local stream is gone (timeout, cancel, client freed). */
void sbi_stream_local_detach(struct sen_sbi_stream *st);

/* client.c: the answer (or failure) of a local request. rsp is consumed. */
void sbi_xact_local_done(struct sen_sbi_xact *x, int err, struct sen_sbi_msg *rsp);

/* Shared nghttp2 helpers. */
int sbi_ng_option_new(nghttp2_option **opt, bool server);

#endif
