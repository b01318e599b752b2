/*
 * SBI client: requests to other NFs over HTTP/2 (h2c with prior knowledge, RFC 9113
 * 3.3; TS 29.500 5.2, 6.1) or, when the target is served in this process, over the
 * local transport (DESIGN.md, Process model) — the caller cannot tell which.
 *
 *     struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_POST,
 *         "/nudr-dr/v2/subscription-data/%s/authentication-data/authentication-subscription",
 *         supi);
 *     sen_sbi_msg_set_json(req, body, NULL);
 *     sen_sbi_client_send(client, "127.0.0.20:7777", req, 0, on_udr_answer, ue);
 *
 *     static void on_udr_answer(int err, struct sen_sbi_msg *rsp, void *arg) {
 *         if (err < 0) … -SEN_ETIMEDOUT, -SEN_EIO (connection failed or dropped) …
 *         else if (sen_sbi_msg_status(rsp) == 200) …
 *     }
 *
 * Connections: one per peer authority (host:port), opened on demand (non-blocking
 * connect), reused by every later request, carrying many concurrent streams (beyond
 * the peer's SETTINGS_MAX_CONCURRENT_STREAMS, requests wait inside the HTTP/2 engine).
 * When it fails or drops, every request on it fails with -SEN_EIO, and the next
 * request opens a new one. After a GOAWAY (RFC 9113 6.8) new requests go to a new
 * connection while the old one finishes its streams.
 *
 * Targets: an authority "host:port", "[v6addr]:port" or an apiRoot
 * "http://host:port[/…]" (only the authority is used), with a numeric address or
 * "localhost". A target given by NF type instead of authority goes to the resolver
 * hook (sen_sbi_client_set_resolver), which the NRF client installs.
 *
 * Not thread-safe: a client belongs to its loop's thread. Do not free a client from
 * inside one of its callbacks.
 */
#ifndef SEN_SBI_CLIENT_H
#define SEN_SBI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/loop.h"
#include "sbi/msg.h"

struct sen_sbi_client;
struct sen_sbi_xact;

struct sen_sbi_client_opts {
	uint32_t timeout_ms;	     /* default per-request timeout; 0: 5000 */
	uint32_t connect_timeout_ms; /* TCP connect; 0: timeout_ms (then requests on it fail) */
	size_t max_body;	     /* response body; 0: 16 MiB */
	uint32_t max_header_bytes;   /* response header list; 0: 16 KiB */
	bool no_local;		     /* always use HTTP/2, even to servers in this process */
};

/*
 * What to send a request to. `authority` set: that peer. `authority` NULL: the
 * resolver decides from the rest (TS 29.510 NF discovery by type, service …).
 */
struct sen_sbi_target {
	const char *authority; /* "host:port", "[v6]:port" or "http://host:port" */
	const char *nf_type;   /* TS 29.510 NFType ("UDM", "UDR" …), for the resolver */
	const char *service;   /* service name ("nudm-ueau"), for the resolver */
	const void *hint;      /* resolver-specific (SUPI for range selection …) */
};

/*
 * The answer to a request: err 0 and the response (any status), or err < 0 and rsp
 * NULL: -SEN_ETIMEDOUT, -SEN_EIO (connect failed, connection dropped, stream reset),
 * -SEN_EMSGSIZE (response over the limits), -SEN_EPROTO (malformed response),
 * -SEN_ENOENT (the resolver found no target) or the resolver's error. `rsp` belongs to
 * the client and is freed when the callback returns (take its body with
 * sen_sbi_msg_move_body() to keep it). Called on the loop, never from inside
 * sen_sbi_client_request().
 */
typedef void (*sen_sbi_response_fn)(int err, struct sen_sbi_msg *rsp, void *arg);

/*
 * The resolver hook: choose an authority for `target` (authority NULL) and call
 * sen_sbi_xact_resolved(xact, …) exactly once, now or later. `target` is valid only
 * during this call.
 */
typedef void (*sen_sbi_resolve_fn)(struct sen_sbi_client *client, struct sen_sbi_xact *xact,
				   const struct sen_sbi_target *target, void *arg);

struct sen_sbi_client_stats {
	uint64_t conns_opened;	 /* TCP connections opened */
	uint64_t conns_failed;	 /* connect failures and drops */
	uint64_t requests;	 /* sent over HTTP/2 */
	uint64_t local_requests; /* sent over the local transport */
	uint64_t timeouts;
	uint64_t peers; /* peer authorities known now (idle ones are reaped) */
};

/* Create a client. `opts` may be NULL. Returns 0 or -SEN_ENOMEM. */
int sen_sbi_client_new(struct sen_loop *loop, const struct sen_sbi_client_opts *opts,
		       struct sen_sbi_client **client);

/*
 * Free a client: close its connections and drop its pending requests WITHOUT calling
 * their callbacks. NULL is a no-op.
 */
void sen_sbi_client_free(struct sen_sbi_client *client);

/*
 * Send `req` (consumed in every case) to `target`, answer through cb(err, rsp, arg)
 * after at most timeout_ms (0: the client's default). On success returns 0 and, if
 * `xact` is not NULL, sets *xact to a handle valid until the callback runs (for
 * sen_sbi_xact_cancel). Returns -SEN_EINVAL (NULL argument, request without method or
 * path, unparsable authority, no authority and no resolver; cb is then not called),
 * -SEN_ENOTSUP (https or a host name: not yet), or req's builder error.
 */
int sen_sbi_client_request(struct sen_sbi_client *client, const struct sen_sbi_target *target,
			   struct sen_sbi_msg *req, uint32_t timeout_ms, sen_sbi_response_fn cb,
			   void *arg, struct sen_sbi_xact **xact);

/*
 * A callback URI a peer gave us (nfStatusNotificationUri, deregCallbackUri, ...):
 * "http://host:port/path?q" -> authority "host:port" and path "/path?q" ("/" when it has
 * none). 0, or -SEN_EINVAL for another scheme, user info, an empty authority, either part
 * longer than its buffer, or a space or control character anywhere (it would go on the
 * request line).
 */
int sen_sbi_uri_split(const char *uri, char *auth, size_t auth_cap, char *path, size_t path_cap);

/* sen_sbi_client_request() to an authority ("127.0.0.20:7777"). */
int sen_sbi_client_send(struct sen_sbi_client *client, const char *authority,
			struct sen_sbi_msg *req, uint32_t timeout_ms, sen_sbi_response_fn cb,
			void *arg);

/*
 * Cancel a pending request: its callback will not be called, its stream is reset.
 * The handle is invalid afterwards.
 */
void sen_sbi_xact_cancel(struct sen_sbi_xact *xact);

/* Install the resolver for targets without authority (NULL removes it). */
void sen_sbi_client_set_resolver(struct sen_sbi_client *client, sen_sbi_resolve_fn fn, void *arg);

/*
 * The resolver's answer for `xact`: send to `authority` (err 0), or fail the request
 * with err < 0. If the request timed out or was cancelled meanwhile, this just
 * releases it. Returns 0 or -SEN_EINVAL (unparsable authority; the request fails).
 */
int sen_sbi_xact_resolved(struct sen_sbi_xact *xact, const char *authority, int err);

void sen_sbi_client_get_stats(const struct sen_sbi_client *client, struct sen_sbi_client_stats *s);

#endif
