/*
 * SBI messages: the one request/response model every NF uses, whichever transport
 * (HTTP/2 over a socket, or the in-process local transport) carries it.
 *
 * A message holds what TS 29.500 clause 5 says an SBI message is made of:
 * - request: method, path (the resource URI's path part, percent-encoded as on the wire,
 *   TS 29.501 4.4.1) and query parameters (decoded; encoded on the wire per RFC 3986);
 * - response: the status code;
 * - headers (names lower-case as HTTP/2 requires, RFC 9113 8.2.1): content-type,
 *   location, accept, 3gpp-Sbi-* (TS 29.500 5.2.3) …; the HTTP/2 pseudo-headers and
 *   content-length are not listed (content-length is the body's length);
 * - the body bytes (JSON as text; helpers parse into cJSON and print from it).
 * Route variables ("{supiOrSuci}") found by the server's router are attached to the
 * request as well (sen_sbi_msg_var).
 *
 * Memory: messages come from a per-thread free list and keep their buffers when
 * recycled, so steady-state traffic allocates nothing per message: strings live in a
 * small arena inside the message (overflowing into extra chunks only for large
 * headers), the body in one buffer that is reused.
 *
 * Builders never fail half-way silently: the first failure (out of memory, too many
 * headers, an invalid header) is remembered (sen_sbi_msg_error) and makes sending or
 * responding with the message fail, so a handler may build a whole message and check
 * once. Not thread-safe: a message belongs to one loop thread.
 */
#ifndef SEN_SBI_MSG_H
#define SEN_SBI_MSG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Limits per message (a peer sending more is answered 431, RFC 6585 5). */
#define SEN_SBI_MAX_HEADERS 32
#define SEN_SBI_MAX_QUERY   24
#define SEN_SBI_MAX_VARS    8

/* HTTP methods used by SBI (TS 29.500 5.2.2.1 / TS 29.501 4.4.2). */
enum sen_sbi_method {
	SEN_SBI_METHOD_NONE = 0, /* unknown / not set */
	SEN_SBI_GET,
	SEN_SBI_POST,
	SEN_SBI_PUT,
	SEN_SBI_PATCH,
	SEN_SBI_DELETE,
	SEN_SBI_OPTIONS,
	SEN_SBI_HEAD,
	SEN_SBI_METHOD_MAX
};

struct sen_sbi_msg;

/* "GET", "POST" …; "?" for NONE or an invalid value. */
const char *sen_sbi_method_name(enum sen_sbi_method m);

/* The method named s[len] (case-sensitive, as HTTP methods are), or SEN_SBI_METHOD_NONE. */
enum sen_sbi_method sen_sbi_method_parse(const char *s, size_t len);

/* ---- life cycle ---- */

/* An empty message (method NONE, status 0). NULL only when out of memory. */
struct sen_sbi_msg *sen_sbi_msg_new(void);

/* Give a message back (to the per-thread free list). NULL is a no-op. */
void sen_sbi_msg_free(struct sen_sbi_msg *m);

/*
 * A request for `method` on the path printf(path_fmt, …). The path may end in
 * "?query"; its parameters are then percent-decoded into the query list (as
 * sen_sbi_msg_set_path). NULL only when out of memory; a bad path is recorded as the
 * message's error.
 */
struct sen_sbi_msg *sen_sbi_request_new(enum sen_sbi_method method, const char *path_fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A response with `status` (100..599). NULL only when out of memory. */
struct sen_sbi_msg *sen_sbi_response_new(int status);

/* ---- building ---- */

/*
 * Set the request path. `path` starts with '/', is percent-encoded as on the wire, and
 * may carry "?name=value&…" whose parameters are decoded and appended to the query
 * list. Records -SEN_EINVAL (bad path or bad %-escape) or -SEN_ENOMEM. Returns the
 * message's error.
 */
int sen_sbi_msg_set_path(struct sen_sbi_msg *m, const char *path);

/* Append the query parameter name=value (both decoded: the transport encodes them). */
int sen_sbi_msg_add_query(struct sen_sbi_msg *m, const char *name, const char *value);

/*
 * Set header `name` (stored lower-case) to `value`, replacing an existing one of that
 * name. The name must be an HTTP token; the value must hold no CR, LF or NUL
 * (-SEN_EINVAL). "content-length" and pseudo-headers are refused (the transport sets
 * them). Returns the message's error.
 */
int sen_sbi_msg_set_header(struct sen_sbi_msg *m, const char *name, const char *value);

/* As set_header, but appends even if the name is present (for repeated headers). */
int sen_sbi_msg_add_header(struct sen_sbi_msg *m, const char *name, const char *value);

/* Set the response status (100..599; -SEN_EINVAL otherwise). */
int sen_sbi_msg_set_status(struct sen_sbi_msg *m, int status);

/*
 * Set the body to a copy of data[len] and, if content_type is not NULL, the
 * content-type header. Returns the message's error.
 */
int sen_sbi_msg_set_body(struct sen_sbi_msg *m, const void *data, size_t len,
			 const char *content_type);

/*
 * Print `json` (unformatted) as the body, straight into the message's body buffer
 * (no intermediate string), and set content-type to `content_type`, or to
 * "application/json" when NULL. The caller keeps `json`.
 */
int sen_sbi_msg_set_json(struct sen_sbi_msg *m, const cJSON *json, const char *content_type);

/* Move src's body (and its content-type) into dst without copying; src is left empty. */
void sen_sbi_msg_move_body(struct sen_sbi_msg *dst, struct sen_sbi_msg *src);

/* The first error recorded by a builder (0 if none). */
int sen_sbi_msg_error(const struct sen_sbi_msg *m);

/* ---- reading ---- */

enum sen_sbi_method sen_sbi_msg_method(const struct sen_sbi_msg *m);
int sen_sbi_msg_status(const struct sen_sbi_msg *m);

/* Path without the query ("" if none). */
const char *sen_sbi_msg_path(const struct sen_sbi_msg *m);

/* The target authority ("host:port") a request was sent to; "" if unknown. */
const char *sen_sbi_msg_authority(const struct sen_sbi_msg *m);

/* The value of header `name` (any case), or NULL. The first one if repeated. */
const char *sen_sbi_msg_header(const struct sen_sbi_msg *m, const char *name);

/* Iterate headers: false when i is past the end. */
bool sen_sbi_msg_header_at(const struct sen_sbi_msg *m, size_t i, const char **name,
			   const char **value);

/* The decoded value of query parameter `name` (exact case), or NULL. */
const char *sen_sbi_msg_query(const struct sen_sbi_msg *m, const char *name);

/* Iterate query parameters in order: false when i is past the end. */
bool sen_sbi_msg_query_at(const struct sen_sbi_msg *m, size_t i, const char **name,
			  const char **value);

/* The decoded value of route variable `name` ("supiOrSuci"), or NULL. */
const char *sen_sbi_msg_var(const struct sen_sbi_msg *m, const char *name);

/* The body bytes and their length (NULL, 0 when empty). Not NUL-terminated. */
const uint8_t *sen_sbi_msg_body(const struct sen_sbi_msg *m, size_t *len);

/* True when content-type is application/json or application/<x>+json (RFC 6839). */
bool sen_sbi_msg_is_json(const struct sen_sbi_msg *m);

/*
 * Parse the body as JSON into *out (the caller cJSON_Delete()s it). Returns 0,
 * -SEN_ENOENT if the body is empty, or -SEN_EPROTO if it is not valid JSON (answer
 * with sen_sbi_stream_respond_bad_json()).
 */
int sen_sbi_msg_json(const struct sen_sbi_msg *m, cJSON **out);

/*
 * Trim the calling thread's free list of messages (and of the transport's other
 * per-thread objects) to nothing; for tests that check for leaks and for thread exit.
 */
void sen_sbi_pool_trim(void);

#endif
