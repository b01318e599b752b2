/*
 * SBI router: method + resource URI template -> handler (TS 29.501 4.4.1: resource URI
 * structure {apiRoot}/{apiName}/{apiVersion}/{apiSpecificResourceUriPart}).
 *
 * A template is an absolute path whose segments are literals or whole-segment
 * variables, e.g. "/nudm-ueau/v1/{supiOrSuci}/security-information/generate-auth-data".
 * Matching is segment by segment on the percent-encoded request path; a variable
 * matches one non-empty segment and is given to the handler percent-decoded
 * (sen_sbi_msg_var). When several templates match, the one whose first differing
 * segment is a literal wins (so "/x/{id}" and "/x/search" may coexist), then the one
 * added first.
 *
 * The server owns one router and answers unknown paths with 404 and known paths with
 * another method with 405 plus an Allow header (RFC 9110 15.5.6), both as
 * ProblemDetails. The router is exported for reuse and unit tests.
 */
#ifndef SEN_SBI_ROUTER_H
#define SEN_SBI_ROUTER_H

#include "sbi/msg.h"

struct sen_sbi_stream;
struct sen_sbi_router;

/*
 * A request handler. `req` stays valid (and owned by the stream) until the handler
 * answers through `stream` — now or later, exactly once (sen_sbi_stream_respond*).
 */
typedef void (*sen_sbi_handler_fn)(struct sen_sbi_stream *stream, struct sen_sbi_msg *req,
				   void *arg);

enum sen_sbi_route_result {
	SEN_SBI_ROUTE_FOUND = 0,
	SEN_SBI_ROUTE_NO_PATH,	 /* 404 */
	SEN_SBI_ROUTE_NO_METHOD, /* 405: *allow holds the allowed methods */
};

/* Create an empty router. Returns 0 or -SEN_ENOMEM. */
int sen_sbi_router_new(struct sen_sbi_router **r);

/* Free a router. NULL is a no-op. */
void sen_sbi_router_free(struct sen_sbi_router *r);

/*
 * Add a route. Returns 0, -SEN_EINVAL (bad method, NULL handler, template not starting
 * with '/', an empty, unterminated or partial "{…}" segment, more than
 * SEN_SBI_MAX_VARS variables), -SEN_EEXIST (the same method and template already
 * present) or -SEN_ENOMEM.
 */
int sen_sbi_router_add(struct sen_sbi_router *r, enum sen_sbi_method method, const char *tmpl,
		       sen_sbi_handler_fn handler, void *arg);

/*
 * Match `req`'s method and path. On FOUND, sets *handler and *arg and stores the
 * decoded variables in req. On NO_METHOD, *allow is a bit mask (1u << method) of the
 * methods the path does accept. A variable whose %-escape is bad counts as no match.
 */
enum sen_sbi_route_result sen_sbi_router_match(const struct sen_sbi_router *r,
					       struct sen_sbi_msg *req, sen_sbi_handler_fn *handler,
					       void **arg, unsigned *allow);

/*
 * The metrics label of `path`: its first segment (the API name, TS 29.501 4.4.1, e.g.
 * "nudm-ueau") copied into buf when some route's template begins with that same literal
 * segment, else "unknown" (so a peer cannot create labels at will). Returns buf.
 */
const char *sen_sbi_router_service(const struct sen_sbi_router *r, const char *path, char *buf,
				   size_t cap);

#endif
