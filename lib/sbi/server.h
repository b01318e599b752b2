/*
 * SBI server: HTTP/2 (RFC 9113) over cleartext TCP with prior knowledge (h2c, TS
 * 29.500 5.2.1 / 6.1), IPv4 or IPv6, on a sen_loop; plus the in-process local
 * transport (DESIGN.md, Process model). Requests are routed (sbi/router.h) and
 * answered asynchronously through a stream handle.
 *
 *     struct sen_sbi_server_opts o = { .addr = "127.0.0.12", .port = 7777 };
 *     sen_sbi_server_new(loop, &o, &srv);
 *     sen_sbi_server_route(srv, SEN_SBI_POST,
 *         "/nudm-ueau/v1/{supiOrSuci}/security-information/generate-auth-data",
 *         on_generate_auth_data, udm);
 *     sen_sbi_server_start(srv);
 *
 *     static void on_generate_auth_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req,
 *                                       void *arg) {
 *         cJSON *body;
 *         if (sen_sbi_msg_json(req, &body) < 0) {
 *             sen_sbi_stream_respond_bad_json(st, "body is not JSON");
 *             return;
 *         }
 *         … ask the UDR, keep `st`, and later: sen_sbi_stream_respond_json(st, 200, av);
 *     }
 *
 * Hostile peers (DESIGN.md, Bad input): header lists are bounded (431), bodies are
 * bounded (413, before reading when content-length says so), concurrent streams are
 * bounded by SETTINGS_MAX_CONCURRENT_STREAMS, connections by max_conns; a peer that
 * sends anything but the connection preface (RFC 9113 3.4), or violates the protocol,
 * loses its connection only. A connection that has not completed its preface within
 * handshake_timeout_ms, or idles with no open stream for idle_timeout_ms, is closed;
 * a request whose body is still incomplete after idle_timeout_ms is reset.
 *
 * Not thread-safe: a server belongs to its loop's thread. Do not stop or free a server
 * from inside one of its handlers (post it with sen_loop_post()).
 */
#ifndef SEN_SBI_SERVER_H
#define SEN_SBI_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/loop.h"
#include "sbi/msg.h"
#include "sbi/problem.h"
#include "sbi/router.h"

struct sen_sbi_server;
struct sen_sbi_stream;

struct sen_sbi_server_opts {
	const char *addr;		 /* numeric IPv4/IPv6 address to bind ("::1", "0.0.0.0") */
	uint16_t port;			 /* 0: an ephemeral port (see sen_sbi_server_port) */
	uint32_t max_concurrent_streams; /* per connection; 0: 1024 */
	uint32_t max_header_bytes;	 /* header list size (RFC 7541 4.1 sizes); 0: 16 KiB */
	size_t max_body;		 /* request body; 0: 1 MiB */
	uint32_t max_conns;		 /* open connections; 0: 1024 */
	uint32_t handshake_timeout_ms;	 /* preface + SETTINGS; 0: 10 s */
	uint32_t idle_timeout_ms;	 /* idle connection / stalled request; 0: 300 s */
	bool no_local;			 /* don't offer the local transport for this server */
};

struct sen_sbi_server_stats {
	uint64_t conns_accepted; /* TCP connections accepted */
	uint64_t conns_refused;	 /* closed at once because max_conns were open */
	uint64_t conns_open;
	uint64_t requests;	  /* over HTTP/2 */
	uint64_t local_requests;  /* over the local transport */
	uint64_t protocol_errors; /* connections closed for a bad preface or protocol error */
};

/*
 * Create a server (not listening yet). `opts` is copied (addr included). Returns 0,
 * -SEN_EINVAL (no addr, or not a numeric address) or -SEN_ENOMEM.
 */
int sen_sbi_server_new(struct sen_loop *loop, const struct sen_sbi_server_opts *opts,
		       struct sen_sbi_server **srv);

/* Add a route (sen_sbi_router_add()); before or after start. */
int sen_sbi_server_route(struct sen_sbi_server *srv, enum sen_sbi_method method, const char *tmpl,
			 sen_sbi_handler_fn handler, void *arg);

/*
 * Bind, listen and accept on the loop, and register the server's authority for the
 * local transport (unless opts.no_local). Returns 0, -SEN_EEXIST (already started, or
 * another server in this process registered the same authority), -SEN_EIO (socket,
 * bind or listen failed; errno set) or -SEN_ENOMEM.
 */
int sen_sbi_server_start(struct sen_sbi_server *srv);

/*
 * Stop: close the listener and every connection, withdraw the local registration,
 * fail local requests not yet answered (their clients get -SEN_EIO). Handlers still
 * holding streams may answer them later; those answers are dropped. The server may be
 * started again. A no-op when not started.
 */
void sen_sbi_server_stop(struct sen_sbi_server *srv);

/* Stop (if needed) and free. NULL is a no-op. */
void sen_sbi_server_free(struct sen_sbi_server *srv);

/* The bound port (after start), and the canonical authority "host:port" / "[v6]:port". */
uint16_t sen_sbi_server_port(const struct sen_sbi_server *srv);
const char *sen_sbi_server_authority(const struct sen_sbi_server *srv);

void sen_sbi_server_get_stats(const struct sen_sbi_server *srv, struct sen_sbi_server_stats *s);

/*
 * Serve HTTP/2 on an already-connected socket `fd` (made non-blocking here; the server
 * closes it). For tests and fuzzing; the server needs not be started. Returns 0,
 * -SEN_EAGAIN (max_conns reached; fd closed) or -SEN_ENOMEM (fd closed).
 */
int sen_sbi_server_adopt_fd(struct sen_sbi_server *srv, int fd);

/* ---- answering ---- */

/*
 * Answer the request of `stream` with `rsp` (consumed in every case). Call exactly
 * once per stream; afterwards the stream handle and its request are gone. If the
 * connection (or the local client) has gone away meanwhile, the answer is dropped and
 * -SEN_ENOENT returned. Returns 0, -SEN_ENOENT, rsp's builder error (a 500 is sent
 * instead), or -SEN_EINVAL (NULL stream/rsp, or called twice — do not).
 */
int sen_sbi_stream_respond(struct sen_sbi_stream *stream, struct sen_sbi_msg *rsp);

/* Answer with `status` and no body. */
int sen_sbi_stream_respond_status(struct sen_sbi_stream *stream, int status);

/* Answer with `status` and `json` as an application/json body (the caller keeps json). */
int sen_sbi_stream_respond_json(struct sen_sbi_stream *stream, int status, const cJSON *json);

/* Answer with a ProblemDetails (sbi/problem.h). */
int sen_sbi_stream_respond_problem(struct sen_sbi_stream *stream, const struct sen_sbi_problem *p);

/*
 * Answer `status` with a ProblemDetails of `cause` (may be NULL) and the detail
 * printf(detail_fmt, …) (may be NULL).
 */
int sen_sbi_stream_respond_error(struct sen_sbi_stream *stream, int status, const char *cause,
				 const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * 400 for a body that is not the JSON expected: cause INVALID_MSG_FORMAT (TS 29.500
 * Table 5.2.7.2-1), the detail given (may be NULL).
 */
int sen_sbi_stream_respond_bad_json(struct sen_sbi_stream *stream, const char *detail);

/* The request of a stream not yet answered. */
struct sen_sbi_msg *sen_sbi_stream_request(const struct sen_sbi_stream *stream);

/*
 * False when the peer that sent the request is gone (connection closed, local client
 * cancelled or timed out, server stopped): an answer would be dropped. A handler may
 * still respond; it must, to release the stream.
 */
bool sen_sbi_stream_alive(const struct sen_sbi_stream *stream);

/* True if the request came over the local transport (for metrics; NFs need not care). */
bool sen_sbi_stream_is_local(const struct sen_sbi_stream *stream);

#endif
