/*
 * lib/sbi tests.
 *
 * 1. Messages, ProblemDetails and the router, without a transport.
 * 2. One request suite (the "ntest" API of routes.h) run twice: lib/sbi client to
 *    server over HTTP/2 on loopback TCP, and the same test bodies over the local
 *    transport. Success, 201 + Location, 204, 404/405/400 ProblemDetails, async
 *    answers, 200 concurrent requests with connection reuse, timeouts, cancel, server
 *    stop and restart, answers to vanished peers dropped safely, large bodies.
 * 3. HTTP/2 only: 413, 431, IPv6, SETTINGS_MAX_CONCURRENT_STREAMS, and hostile peers
 *    (garbage instead of the preface, a truncated preface, a half-sent request) that
 *    must lose their own connection only while another client keeps being served.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <nghttp2/nghttp2.h>

#include "core/err.h"
#include "core/log.h"
#include "routes.h"
#include "sbi/internal.h" /* sbi_msg_wire_path */
#include "sbi/sbi.h"

/* ---- environment ---- */

struct env {
	struct sen_loop *loop;
	struct sen_sbi_server *srv;
	struct sen_sbi_client *cli;
	struct sen_sbi_server_opts so;
	bool local;
	char target[80];
};

static struct env *env_new(bool local, const struct sen_sbi_server_opts *so)
{
	struct env *e = calloc(1, sizeof(*e));
	struct sen_sbi_client_opts co = {.no_local = !local};

	assert_non_null(e);
	e->local = local;
	if (so)
		e->so = *so;
	if (!e->so.addr)
		e->so.addr = "127.0.0.1";
	assert_int_equal(sen_loop_new(&e->loop), 0);
	assert_int_equal(sen_sbi_server_new(e->loop, &e->so, &e->srv), 0);
	assert_int_equal(routes_add(e->srv, e->loop), 0);
	assert_int_equal(sen_sbi_server_start(e->srv), 0);
	assert_int_equal(sen_sbi_client_new(e->loop, &co, &e->cli), 0);
	snprintf(e->target, sizeof(e->target), "%s", sen_sbi_server_authority(e->srv));
	return e;
}

static void env_free(struct env *e)
{
	routes_release_held();
	sen_sbi_client_free(e->cli);
	sen_sbi_server_free(e->srv);
	/* let nothing be pending on the loop */
	sen_loop_free(e->loop);
	free(e);
	sen_sbi_pool_trim();
}

static bool TCP = false, LOCAL = true;

static int setup(void **state)
{
	*state = env_new(*(bool *)*state, NULL);
	return 0;
}

static int teardown(void **state)
{
	env_free(*state);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run the loop until *counter >= target or ms pass. */
static void pump(struct env *e, const int *counter, int target, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	while ((!counter || *counter < target) && now_ms() < end)
		sen_loop_run_once(e->loop, 20);
}

/* ---- results ---- */

struct result {
	int done;
	int err;
	int status;
	size_t body_len;
	char ctype[64], location[64], allow[64], cause[64];
	cJSON *json;
};

static void on_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct result *r = arg;
	const char *h;

	r->done++;
	r->err = err;
	if (!rsp)
		return;
	r->status = sen_sbi_msg_status(rsp);
	sen_sbi_msg_body(rsp, &r->body_len);
	if ((h = sen_sbi_msg_header(rsp, "content-type")))
		snprintf(r->ctype, sizeof(r->ctype), "%s", h);
	if ((h = sen_sbi_msg_header(rsp, "location")))
		snprintf(r->location, sizeof(r->location), "%s", h);
	if ((h = sen_sbi_msg_header(rsp, "allow")))
		snprintf(r->allow, sizeof(r->allow), "%s", h);
	cJSON_Delete(r->json);
	r->json = NULL;
	if (sen_sbi_msg_json(rsp, &r->json) == 0 && strstr(r->ctype, "problem+json"))
		sen_sbi_problem_read(rsp, r->cause, sizeof(r->cause), NULL, 0);
}

static void result_clear(struct result *r)
{
	cJSON_Delete(r->json);
	memset(r, 0, sizeof(*r));
}

static const char *jstr(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Send req to the env's server and wait for the answer. */
static void roundtrip(struct env *e, struct sen_sbi_msg *req, struct result *r)
{
	result_clear(r); /* r must be initialised */
	assert_int_equal(sen_sbi_client_send(e->cli, e->target, req, 3000, on_rsp, r), 0);
	assert_int_equal(r->done, 0); /* never called from inside send */
	pump(e, &r->done, 1, 5000);
	assert_int_equal(r->done, 1);
}

/* ---- 1. messages, problem details, router ---- */

static void test_msg_query_and_headers(void **state)
{
	struct sen_sbi_msg *m = sen_sbi_request_new(
	    SEN_SBI_GET, "%s",
	    "/nnrf-disc/v1/nf-instances?target-nf-type=UDM&x=a%20b&flag&y=%7B%7D");
	const char *n, *v;
	size_t wl;

	assert_int_equal(sen_sbi_msg_error(m), 0);
	assert_string_equal(sen_sbi_msg_path(m), "/nnrf-disc/v1/nf-instances");
	assert_string_equal(sen_sbi_msg_query(m, "target-nf-type"), "UDM");
	assert_string_equal(sen_sbi_msg_query(m, "x"), "a b");
	assert_string_equal(sen_sbi_msg_query(m, "flag"), "");
	assert_string_equal(sen_sbi_msg_query(m, "y"), "{}");
	assert_true(sen_sbi_msg_query_at(m, 0, &n, &v));
	assert_string_equal(n, "target-nf-type");
	assert_false(sen_sbi_msg_query_at(m, 4, &n, &v));
	assert_int_equal(sen_sbi_msg_add_query(m, "plmn", "{\"mcc\":\"999\"}"), 0);
	/* the wire form re-encodes every parameter */
	assert_string_equal(sbi_msg_wire_path(m, &wl),
			    "/nnrf-disc/v1/nf-instances?target-nf-type=UDM&x=a%20b&flag=&y=%7B%7D"
			    "&plmn=%7B%22mcc%22%3A%22999%22%7D");
	assert_int_equal(sen_sbi_msg_set_header(m, "Accept", "application/json"), 0);
	assert_int_equal(sen_sbi_msg_set_header(m, "ACCEPT", "application/problem+json"), 0);
	assert_string_equal(sen_sbi_msg_header(m, "accept"), "application/problem+json");
	assert_true(sen_sbi_msg_header_at(m, 0, &n, &v));
	assert_string_equal(n, "accept");
	assert_false(sen_sbi_msg_header_at(m, 1, &n, &v));
	assert_int_equal(sen_sbi_msg_error(m), 0);
	/* invalid headers are refused and remembered */
	assert_int_equal(sen_sbi_msg_set_header(m, "x-bad", "a\r\nb"), -SEN_EINVAL);
	assert_int_equal(sen_sbi_msg_error(m), -SEN_EINVAL);
	sen_sbi_msg_free(m);

	m = sen_sbi_request_new(SEN_SBI_GET, "%s", "/a?x=%zz");
	assert_int_equal(sen_sbi_msg_error(m), -SEN_EINVAL);
	sen_sbi_msg_free(m);
	m = sen_sbi_request_new(SEN_SBI_GET, "no-slash");
	assert_int_equal(sen_sbi_msg_error(m), -SEN_EINVAL);
	sen_sbi_msg_free(m);
	m = sen_sbi_response_new(42);
	assert_int_equal(sen_sbi_msg_error(m), -SEN_EINVAL);
	sen_sbi_msg_free(m);
	m = sen_sbi_msg_new();
	assert_int_equal(sen_sbi_msg_set_header(m, "content-length", "5"), -SEN_EINVAL);
	sen_sbi_msg_free(m);
	/* more headers than fit */
	m = sen_sbi_msg_new();
	for (int i = 0; i < SEN_SBI_MAX_HEADERS; i++) {
		char name[16];

		snprintf(name, sizeof(name), "x-h%d", i);
		assert_int_equal(sen_sbi_msg_add_header(m, name, "v"), 0);
	}
	assert_int_equal(sen_sbi_msg_add_header(m, "x-one-more", "v"), -SEN_EMSGSIZE);
	sen_sbi_msg_free(m);
	sen_sbi_pool_trim();
}

static void test_msg_json(void **state)
{
	struct sen_sbi_msg *m = sen_sbi_response_new(200), *m2 = sen_sbi_msg_new();
	cJSON *j = cJSON_CreateObject(), *back = NULL;
	char big[5000];
	const uint8_t *b;
	size_t len;

	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cJSON_AddStringToObject(j, "supi", "imsi-999700000000001");
	cJSON_AddStringToObject(j, "big", big); /* larger than the first guess */
	assert_int_equal(sen_sbi_msg_set_json(m, j, NULL), 0);
	assert_true(sen_sbi_msg_is_json(m));
	assert_int_equal(sen_sbi_msg_json(m, &back), 0);
	assert_string_equal(jstr(back, "supi"), "imsi-999700000000001");
	assert_string_equal(jstr(back, "big"), big);
	cJSON_Delete(back);
	cJSON_Delete(j);
	/* move the body without copying */
	b = sen_sbi_msg_body(m, &len);
	sen_sbi_msg_move_body(m2, m);
	assert_ptr_equal(sen_sbi_msg_body(m2, NULL), b);
	assert_null(sen_sbi_msg_body(m, &len));
	assert_int_equal(len, 0);
	assert_string_equal(sen_sbi_msg_header(m2, "content-type"), "application/json");
	/* malformed and empty bodies */
	sen_sbi_msg_set_body(m, "{\"a\":", 5, "application/json");
	assert_int_equal(sen_sbi_msg_json(m, &back), -SEN_EPROTO);
	assert_null(back);
	sen_sbi_msg_set_body(m, NULL, 0, NULL);
	assert_int_equal(sen_sbi_msg_json(m, &back), -SEN_ENOENT);
	sen_sbi_msg_set_header(m, "content-type", "application/problem+json; charset=utf-8");
	assert_true(sen_sbi_msg_is_json(m));
	sen_sbi_msg_set_header(m, "content-type", "text/plain");
	assert_false(sen_sbi_msg_is_json(m));
	sen_sbi_msg_free(m);
	sen_sbi_msg_free(m2);
	sen_sbi_pool_trim();
}

static void test_problem(void **state)
{
	struct sen_sbi_invalid_param ip[] = {{"/supi", "bad format"}, {"/x", NULL}};
	struct sen_sbi_problem p = {.status = 400,
				    .cause = SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				    .detail = "supi",
				    .instance = "/nudm-ueau/v1/x",
				    .invalid_params = ip,
				    .n_invalid_params = 2};
	struct sen_sbi_msg *m = sen_sbi_problem_new(&p);
	char cause[64], detail[64];
	cJSON *j;
	const cJSON *arr;

	assert_int_equal(sen_sbi_msg_error(m), 0);
	assert_int_equal(sen_sbi_msg_status(m), 400);
	assert_string_equal(sen_sbi_msg_header(m, "content-type"), "application/problem+json");
	assert_int_equal(sen_sbi_msg_json(m, &j), 0);
	assert_string_equal(jstr(j, "title"), "Bad Request");
	assert_int_equal(cJSON_GetObjectItem(j, "status")->valueint, 400);
	assert_string_equal(jstr(j, "instance"), "/nudm-ueau/v1/x");
	arr = cJSON_GetObjectItem(j, "invalidParams");
	assert_int_equal(cJSON_GetArraySize(arr), 2);
	assert_string_equal(jstr(cJSON_GetArrayItem(arr, 0), "reason"), "bad format");
	assert_null(jstr(cJSON_GetArrayItem(arr, 1), "reason"));
	assert_null(cJSON_GetObjectItem(j, "type"));
	cJSON_Delete(j);
	assert_int_equal(sen_sbi_problem_read(m, cause, sizeof(cause), detail, sizeof(detail)), 0);
	assert_string_equal(cause, "MANDATORY_IE_INCORRECT");
	assert_string_equal(detail, "supi");
	sen_sbi_msg_free(m);
	assert_string_equal(sen_sbi_reason_phrase(405), "Method Not Allowed");
	sen_sbi_pool_trim();
}

static void h_a(struct sen_sbi_stream *s, struct sen_sbi_msg *r, void *a)
{
	(void)s;
	(void)r;
	(void)a;
}
static void h_b(struct sen_sbi_stream *s, struct sen_sbi_msg *r, void *a)
{
	(void)s;
	(void)r;
	(void)a;
}

static void test_router(void **state)
{
	struct sen_sbi_router *r;
	struct sen_sbi_msg *m;
	sen_sbi_handler_fn h;
	void *arg;
	unsigned allow;
	const char *t = "/nudm-ueau/v1/{supiOrSuci}/security-information/generate-auth-data";

	assert_int_equal(sen_sbi_router_new(&r), 0);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_POST, t, h_a, (void *)1), 0);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_POST, t, h_a, NULL), -SEN_EEXIST);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/x/{id}", h_a, NULL), 0);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/x/search", h_b, NULL), 0);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/x/{a}/{b}", h_b, NULL), 0);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "no-slash", h_a, NULL), -SEN_EINVAL);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/a/{b", h_a, NULL), -SEN_EINVAL);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/a/x{b}", h_a, NULL), -SEN_EINVAL);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/a//b", h_a, NULL), -SEN_EINVAL);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_GET, "/a/{}", h_a, NULL), -SEN_EINVAL);
	assert_int_equal(sen_sbi_router_add(r, SEN_SBI_METHOD_NONE, "/a", h_a, NULL), -SEN_EINVAL);

	m = sen_sbi_request_new(SEN_SBI_POST,
				"/nudm-ueau/v1/suci-0-999-70-0-0-0-0000000001/security-information/"
				"generate-auth-data?x=1");
	assert_int_equal(sen_sbi_router_match(r, m, &h, &arg, &allow), SEN_SBI_ROUTE_FOUND);
	assert_ptr_equal(h, h_a);
	assert_ptr_equal(arg, (void *)1);
	assert_string_equal(sen_sbi_msg_var(m, "supiOrSuci"), "suci-0-999-70-0-0-0-0000000001");
	sen_sbi_msg_free(m);

	m = sen_sbi_request_new(SEN_SBI_GET,
				"/nudm-ueau/v1/imsi-1/security-information/generate-auth-data");
	assert_int_equal(sen_sbi_router_match(r, m, &h, &arg, &allow), SEN_SBI_ROUTE_NO_METHOD);
	assert_int_equal(allow, 1u << SEN_SBI_POST);
	sen_sbi_msg_free(m);

	m = sen_sbi_request_new(SEN_SBI_GET, "/x/search");
	assert_int_equal(sen_sbi_router_match(r, m, &h, &arg, &allow), SEN_SBI_ROUTE_FOUND);
	assert_ptr_equal(h, h_b); /* the literal wins over {id} */
	sen_sbi_msg_free(m);

	m = sen_sbi_request_new(SEN_SBI_GET, "%s", "/x/a%2Fb");
	assert_int_equal(sen_sbi_router_match(r, m, &h, &arg, &allow), SEN_SBI_ROUTE_FOUND);
	assert_ptr_equal(h, h_a);
	assert_string_equal(sen_sbi_msg_var(m, "id"), "a/b"); /* decoded */
	sen_sbi_msg_free(m);

	m = sen_sbi_request_new(SEN_SBI_GET, "/x/1/2");
	assert_int_equal(sen_sbi_router_match(r, m, &h, &arg, &allow), SEN_SBI_ROUTE_FOUND);
	assert_string_equal(sen_sbi_msg_var(m, "a"), "1");
	assert_string_equal(sen_sbi_msg_var(m, "b"), "2");
	sen_sbi_msg_free(m);

	const char *misses[] = {"/x", "/x/", "/x//", "/x/1/2/3", "/y/1", "/", "/x/%zz"};
	for (size_t i = 0; i < sizeof(misses) / sizeof(misses[0]); i++) {
		m = sen_sbi_request_new(SEN_SBI_GET, "%s", misses[i]);
		assert_int_equal(sen_sbi_router_match(r, m, &h, &arg, &allow),
				 SEN_SBI_ROUTE_NO_PATH);
		sen_sbi_msg_free(m);
	}
	/* The metrics label: the API name when a route serves it, else "unknown". */
	char svc[16];
	assert_string_equal(sen_sbi_router_service(r, "/nudm-ueau/v1/x/no/such", svc, sizeof(svc)),
			    "nudm-ueau");
	assert_string_equal(sen_sbi_router_service(r, "/x", svc, sizeof(svc)), "x");
	assert_string_equal(sen_sbi_router_service(r, "/x?q=1", svc, sizeof(svc)), "x");
	assert_string_equal(sen_sbi_router_service(r, "/nudm-ueau-evil/v1", svc, sizeof(svc)),
			    "unknown");
	assert_string_equal(sen_sbi_router_service(r, "/nudm", svc, sizeof(svc)), "unknown");
	assert_string_equal(sen_sbi_router_service(r, "/", svc, sizeof(svc)), "unknown");
	assert_string_equal(sen_sbi_router_service(r, "", svc, sizeof(svc)), "unknown");
	assert_string_equal(sen_sbi_router_service(r, "/nudm-ueau", svc, 4), "unk");
	sen_sbi_router_free(r);
	sen_sbi_pool_trim();
}

/* ---- 2. the suite over both transports ---- */

static void check_transport(struct env *e)
{
	struct sen_sbi_client_stats cs;
	struct sen_sbi_server_stats ss;

	sen_sbi_client_get_stats(e->cli, &cs);
	sen_sbi_server_get_stats(e->srv, &ss);
	if (e->local) {
		assert_int_equal(cs.conns_opened, 0);
		assert_int_equal(ss.conns_accepted, 0);
		assert_true(cs.local_requests > 0);
		assert_int_equal(cs.local_requests, ss.local_requests);
	} else {
		assert_int_equal(cs.local_requests, 0);
		assert_int_equal(ss.local_requests, 0);
		assert_true(cs.requests > 0);
	}
}

static void test_get_echo(void **state)
{
	struct env *e = *state;
	struct result r = {0};
	struct sen_sbi_msg *req = sen_sbi_request_new(
	    SEN_SBI_GET, "%s", "/ntest/v1/echo/imsi-001%2Fx?a=1&b=hello%20world");
	const cJSON *q;

	sen_sbi_msg_add_query(req, "plmn", "{\"mcc\":\"999\",\"mnc\":\"70\"}");
	sen_sbi_msg_set_header(req, "Accept", "application/json,application/problem+json");
	roundtrip(e, req, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.ctype, "application/json");
	assert_non_null(r.json);
	assert_string_equal(jstr(r.json, "id"), "imsi-001/x");
	assert_string_equal(jstr(r.json, "method"), "GET");
	assert_string_equal(jstr(r.json, "path"), "/ntest/v1/echo/imsi-001%2Fx");
	assert_string_equal(jstr(r.json, "authority"), e->target);
	assert_string_equal(jstr(r.json, "accept"), "application/json,application/problem+json");
	q = cJSON_GetObjectItem(r.json, "query");
	assert_string_equal(jstr(q, "a"), "1");
	assert_string_equal(jstr(q, "b"), "hello world");
	assert_string_equal(jstr(q, "plmn"), "{\"mcc\":\"999\",\"mnc\":\"70\"}");
	assert_int_equal(cJSON_GetArraySize(q), 3);
	result_clear(&r);
	check_transport(e);
}

static void test_post_created(void **state)
{
	struct env *e = *state;
	struct result r = {0};
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_POST, "/ntest/v1/items");
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "name", "a");
	sen_sbi_msg_set_json(req, j, NULL);
	cJSON_Delete(j);
	roundtrip(e, req, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.status, 201);
	assert_true(strncmp(r.location, "/ntest/v1/items/", 16) == 0);
	assert_string_equal(jstr(r.json, "name"), "a");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "created")));
	result_clear(&r);

	roundtrip(e, sen_sbi_request_new(SEN_SBI_PUT, "/ntest/v1/items/7"), &r);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.body_len, 0);
	roundtrip(e, sen_sbi_request_new(SEN_SBI_DELETE, "/ntest/v1/items/7"), &r);
	assert_int_equal(r.status, 204);
	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/items/search"), &r);
	assert_int_equal(r.status, 200);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "search")));
	result_clear(&r);
	check_transport(e);
}

static void test_errors(void **state)
{
	struct env *e = *state;
	struct result r = {0};
	struct sen_sbi_msg *req;

	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/nope/v1/x"), &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.ctype, "application/problem+json");
	assert_string_equal(r.cause, "RESOURCE_URI_STRUCTURE_NOT_FOUND");
	assert_int_equal(cJSON_GetObjectItem(r.json, "status")->valueint, 404);
	result_clear(&r);

	roundtrip(e, sen_sbi_request_new(SEN_SBI_POST, "/ntest/v1/echo/1"), &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "GET");
	assert_string_equal(r.ctype, "application/problem+json");
	assert_string_equal(jstr(r.json, "title"), "Method Not Allowed");
	result_clear(&r);

	roundtrip(e, sen_sbi_request_new(SEN_SBI_PATCH, "/ntest/v1/items/3"), &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "PUT, DELETE");
	result_clear(&r);

	req = sen_sbi_request_new(SEN_SBI_POST, "/ntest/v1/items");
	sen_sbi_msg_set_body(req, "{\"name\": ", 9, "application/json");
	roundtrip(e, req, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.cause, "INVALID_MSG_FORMAT");
	assert_string_equal(r.ctype, "application/problem+json");
	result_clear(&r);

	/* requests refused before anything is sent: the callback is never called */
	req = sen_sbi_request_new(SEN_SBI_GET, "/x");
	sen_sbi_msg_set_header(req, "bad header", "v");
	assert_int_equal(sen_sbi_client_send(e->cli, e->target, req, 0, on_rsp, &r), -SEN_EINVAL);
	assert_int_equal(sen_sbi_client_send(e->cli, "nowhere",
					     sen_sbi_request_new(SEN_SBI_GET, "/x"), 0, on_rsp, &r),
			 -SEN_EINVAL);
	assert_int_equal(sen_sbi_client_send(e->cli, "https://127.0.0.1:1",
					     sen_sbi_request_new(SEN_SBI_GET, "/x"), 0, on_rsp, &r),
			 -SEN_ENOTSUP);
	pump(e, NULL, 0, 50);
	assert_int_equal(r.done, 0);
	check_transport(e);
}

static void test_async_answer(void **state)
{
	struct env *e = *state;
	struct result r = {0};
	uint64_t t0 = now_ms();

	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/80"), &r);
	assert_int_equal(r.status, 200);
	assert_true(now_ms() - t0 >= 80);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "late")));
	result_clear(&r);
}

#define N_CONC 200

static void test_concurrent(void **state)
{
	struct env *e = *state;
	static struct result r[N_CONC];
	int done = 0;
	struct sen_sbi_client_stats cs;
	struct sen_sbi_server_stats ss;

	for (int round = 0; round < 2; round++) {
		memset(r, 0, sizeof(r));
		for (int i = 0; i < N_CONC; i++) {
			/* half answered at once, half after a delay: truly concurrent streams */
			struct sen_sbi_msg *req =
			    i % 2
				? sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/%d", i)
				: sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/%d", 20 + i % 7);

			assert_int_equal(
			    sen_sbi_client_send(e->cli, e->target, req, 5000, on_rsp, &r[i]), 0);
		}
		for (uint64_t end = now_ms() + 10000; now_ms() < end;) {
			done = 0;
			for (int i = 0; i < N_CONC; i++)
				done += r[i].done;
			if (done == N_CONC)
				break;
			sen_loop_run_once(e->loop, 20);
		}
		assert_int_equal(done, N_CONC);
		for (int i = 0; i < N_CONC; i++) {
			assert_int_equal(r[i].err, 0);
			assert_int_equal(r[i].status, 200);
			if (i % 2) {
				char id[8];

				snprintf(id, sizeof(id), "%d", i);
				assert_string_equal(jstr(r[i].json, "id"), id);
			}
			result_clear(&r[i]);
		}
	}
	sen_sbi_client_get_stats(e->cli, &cs);
	sen_sbi_server_get_stats(e->srv, &ss);
	if (e->local) {
		assert_int_equal(cs.local_requests, 2 * N_CONC);
		assert_int_equal(ss.local_requests, 2 * N_CONC);
	} else {
		/* one connection, reused by the second round */
		assert_int_equal(cs.conns_opened, 1);
		assert_int_equal(ss.conns_accepted, 1);
		assert_int_equal(ss.requests, 2 * N_CONC);
	}
	check_transport(e);
}

static void test_timeout_and_dropped_answer(void **state)
{
	struct env *e = *state;
	struct result r = {0};
	struct sen_sbi_client_stats cs;
	uint64_t t0 = now_ms();

	memset(&r, 0, sizeof(r));
	assert_int_equal(
	    sen_sbi_client_send(e->cli, e->target,
				sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/never"), 150,
				on_rsp, &r),
	    0);
	pump(e, &r.done, 1, 3000);
	assert_int_equal(r.done, 1);
	assert_int_equal(r.err, -SEN_ETIMEDOUT);
	assert_true(now_ms() - t0 >= 150);
	sen_sbi_client_get_stats(e->cli, &cs);
	assert_int_equal(cs.timeouts, 1);
	pump(e, NULL, 0, 100); /* the stream reset reaches the server */
	assert_int_equal(routes_held(), 1);
	/* the late answer goes nowhere, safely */
	assert_int_equal(routes_release_held(), 0);
	pump(e, NULL, 0, 50);
	assert_int_equal(r.done, 1);
	/* the connection still works */
	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/after"), &r);
	assert_int_equal(r.status, 200);
	result_clear(&r);
}

static void test_cancel(void **state)
{
	struct env *e = *state;
	struct result r = {0}, r2 = {0};
	struct sen_sbi_target t = {.authority = e->target};
	struct sen_sbi_xact *x;

	assert_int_equal(
	    sen_sbi_client_request(e->cli, &t, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/1"),
				   0, on_rsp, &r, &x),
	    0);
	sen_sbi_xact_cancel(x);
	assert_int_equal(sen_sbi_client_request(
			     e->cli, &t, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/never"),
			     0, on_rsp, &r2, &x),
			 0);
	pump(e, NULL, 0, 100);
	assert_int_equal(routes_held(), 1);
	sen_sbi_xact_cancel(x);
	pump(e, NULL, 0, 100);
	assert_int_equal(routes_release_held(), 0);
	pump(e, NULL, 0, 50);
	assert_int_equal(r.done, 0);
	assert_int_equal(r2.done, 0);
}

static void test_server_restart(void **state)
{
	struct env *e = *state;
	struct result r = {0}, r2 = {0};
	struct sen_sbi_client_stats cs;
	uint16_t port = sen_sbi_server_port(e->srv);

	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/1"), &r);
	assert_int_equal(r.status, 200);
	result_clear(&r);
	/* a request in the server's hands when it stops fails at once (not by timeout) */
	assert_int_equal(
	    sen_sbi_client_send(e->cli, e->target,
				sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/never"), 5000,
				on_rsp, &r),
	    0);
	pump(e, NULL, 0, 100);
	assert_int_equal(routes_held(), 1);
	sen_sbi_server_stop(e->srv);
	pump(e, &r.done, 1, 2000);
	assert_int_equal(r.done, 1);
	assert_int_equal(r.err, -SEN_EIO);
	assert_int_equal(routes_release_held(), 0); /* answer to a vanished peer: dropped */
	/* while stopped: connection refused */
	memset(&r, 0, sizeof(r));
	assert_int_equal(sen_sbi_client_send(e->cli, e->target,
					     sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/2"),
					     2000, on_rsp, &r),
			 0);
	pump(e, &r.done, 1, 3000);
	assert_int_equal(r.done, 1);
	assert_int_equal(r.err, -SEN_EIO);
	/* a new server on the same port: the client reconnects on demand */
	sen_sbi_server_free(e->srv);
	e->so.port = port;
	assert_int_equal(sen_sbi_server_new(e->loop, &e->so, &e->srv), 0);
	assert_int_equal(routes_add(e->srv, e->loop), 0);
	assert_int_equal(sen_sbi_server_start(e->srv), 0);
	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/3"), &r2);
	assert_int_equal(r2.err, 0);
	assert_int_equal(r2.status, 200);
	result_clear(&r2);
	sen_sbi_client_get_stats(e->cli, &cs);
	if (!e->local) /* the first, the refused attempt, the new one */
		assert_int_equal(cs.conns_opened, 3);
}

static void test_large_body(void **state)
{
	struct env *e = *state;
	struct result r = {0};
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_POST, "/ntest/v1/items");
	size_t n = 600 * 1024;
	char *s = malloc(n + 32);
	const char *name;

	snprintf(s, n + 32, "{\"name\":\"");
	memset(s + 9, 'y', n);
	strcpy(s + 9 + n, "\"}");
	sen_sbi_msg_set_body(req, s, strlen(s), "application/json");
	roundtrip(e, req, &r);
	assert_int_equal(r.status, 201);
	name = jstr(r.json, "name");
	assert_non_null(name);
	assert_int_equal(strlen(name), n);
	result_clear(&r);
	free(s);

	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/big/300000"), &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 300002);
	result_clear(&r);
}

/* ---- 3. HTTP/2 only ---- */

static void test_413(void **state)
{
	struct sen_sbi_server_opts so = {.max_body = 64 * 1024};
	struct env *e = env_new(false, &so);
	struct result r = {0};
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_POST, "/ntest/v1/items");
	static char body[200 * 1024];

	memset(body, ' ', sizeof(body));
	body[0] = '{';
	body[sizeof(body) - 1] = '}';
	sen_sbi_msg_set_body(req, body, sizeof(body), "application/json");
	roundtrip(e, req, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.status, 413);
	assert_string_equal(r.ctype, "application/problem+json");
	result_clear(&r);
	/* the connection survives */
	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/ok"), &r);
	assert_int_equal(r.status, 200);
	result_clear(&r);
	env_free(e);
}

static void test_431(void **state)
{
	struct sen_sbi_server_opts so = {.max_header_bytes = 2048};
	struct env *e = env_new(false, &so);
	struct result r = {0};
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/1");
	char v[200];

	memset(v, 'v', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	for (int i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "x-h%d", i);
		sen_sbi_msg_add_header(req, name, v);
	}
	roundtrip(e, req, &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.status, 431);
	result_clear(&r);
	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/ok"), &r);
	assert_int_equal(r.status, 200);
	result_clear(&r);
	env_free(e);
}

static void test_ipv6(void **state)
{
	struct sen_sbi_server_opts so = {.addr = "::1"};
	struct env *e;
	struct result r = {0};
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		skip(); /* no IPv6 loopback here */
	}
	close(fd);
	e = env_new(false, &so);
	assert_true(strncmp(e->target, "[::1]:", 6) == 0);
	roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/v6"), &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "authority"), e->target);
	result_clear(&r);
	env_free(e);
}

static void test_max_concurrent_streams(void **state)
{
	struct sen_sbi_server_opts so = {.max_concurrent_streams = 8};
	struct env *e = env_new(false, &so);
	static struct result r[60];
	int done = 0;

	memset(r, 0, sizeof(r));
	for (int i = 0; i < 60; i++)
		assert_int_equal(
		    sen_sbi_client_send(e->cli, e->target,
					sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/15"), 8000,
					on_rsp, &r[i]),
		    0);
	for (uint64_t end = now_ms() + 8000; now_ms() < end && done < 60;) {
		sen_loop_run_once(e->loop, 20);
		done = 0;
		for (int i = 0; i < 60; i++)
			done += r[i].done;
	}
	assert_int_equal(done, 60);
	for (int i = 0; i < 60; i++) {
		assert_int_equal(r[i].status, 200);
		result_clear(&r[i]);
	}
	env_free(e);
}

/* A raw TCP socket to the env's server. */
static int raw_connect(struct env *e)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(sen_sbi_server_port(e->srv))};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Drain fd; true once the peer closed it. */
static bool raw_closed(int fd)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n == 0)
			return true;
		if (n < 0)
			return errno != EAGAIN && errno != EWOULDBLOCK;
	}
}

/* While the loop runs, another lib/sbi client keeps getting answers. */
static void check_others_served(struct env *e, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		struct result r = {0};

		roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/%d", i), &r);
		assert_int_equal(r.err, 0);
		assert_int_equal(r.status, 200);
		result_clear(&r);
	}
}

static void test_hostile_garbage(void **state)
{
	struct env *e = env_new(false, NULL);
	struct sen_sbi_server_stats ss;
	int fd = raw_connect(e), fd2;
	const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff\xfe garbage garbage";

	check_others_served(e, 1);
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	pump(e, NULL, 0, 200);
	assert_true(raw_closed(fd));
	check_others_served(e, 3);
	/* a correct preface followed by a garbage frame */
	fd2 = raw_connect(e);
	assert_int_equal(write(fd2, NGHTTP2_CLIENT_MAGIC, NGHTTP2_CLIENT_MAGIC_LEN),
			 NGHTTP2_CLIENT_MAGIC_LEN);
	assert_int_equal(write(fd2, "\x00\x00\x04\x09\xff\x00\x00\x00\x01zzzz", 13), 13);
	pump(e, NULL, 0, 200);
	assert_true(raw_closed(fd2));
	check_others_served(e, 3);
	sen_sbi_server_get_stats(e->srv, &ss);
	assert_int_equal(ss.conns_open, 1); /* only the good client's */
	assert_int_equal(ss.conns_accepted, 3);
	close(fd);
	close(fd2);
	env_free(e);
}

static void test_hostile_truncated_preface(void **state)
{
	struct sen_sbi_server_opts so = {.handshake_timeout_ms = 300};
	struct env *e = env_new(false, &so);
	struct sen_sbi_server_stats ss;
	int fd = raw_connect(e);
	uint64_t t0 = now_ms();

	assert_int_equal(write(fd, "PRI * HTTP/2.0\r\n", 16), 16);
	check_others_served(e, 3);
	pump(e, NULL, 0, 100);
	assert_false(raw_closed(fd)); /* still waiting for the rest */
	while (now_ms() - t0 < 1500 && !raw_closed(fd))
		sen_loop_run_once(e->loop, 20);
	assert_true(raw_closed(fd));
	assert_true(now_ms() - t0 >= 300);
	check_others_served(e, 2);
	sen_sbi_server_get_stats(e->srv, &ss);
	assert_int_equal(ss.protocol_errors, 1);
	assert_int_equal(ss.conns_open, 1);
	close(fd);
	env_free(e);
}

/* nghttp2 client producing a half-sent request: headers and part of the body. */
struct half {
	size_t sent;
	bool closed;
	uint32_t close_code;
};

static ssize_t half_read(nghttp2_session *s, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
			 nghttp2_data_source *src, void *ud)
{
	struct half *h = ud;

	if (h->sent >= 10)
		return NGHTTP2_ERR_DEFERRED; /* the rest never comes */
	memcpy(buf, "{\"name\":\"x", 10);
	h->sent = 10;
	return 10;
}

static int half_close(nghttp2_session *s, int32_t id, uint32_t code, void *ud)
{
	struct half *h = ud;

	h->closed = true;
	h->close_code = code;
	return 0;
}

static void test_hostile_half_request(void **state)
{
	struct sen_sbi_server_opts so = {.idle_timeout_ms = 400};
	struct env *e = env_new(false, &so);
	nghttp2_session_callbacks *cbs;
	nghttp2_session *s;
	struct half h = {0};
	nghttp2_nv nva[] = {
	    {(uint8_t *)":method", (uint8_t *)"POST", 7, 4, 0},
	    {(uint8_t *)":scheme", (uint8_t *)"http", 7, 4, 0},
	    {(uint8_t *)":authority", (uint8_t *)"x", 10, 1, 0},
	    {(uint8_t *)":path", (uint8_t *)"/ntest/v1/items", 5, 15, 0},
	    {(uint8_t *)"content-length", (uint8_t *)"100", 14, 3, 0},
	};
	nghttp2_data_provider dp = {.read_callback = half_read};
	const uint8_t *data;
	ssize_t n;
	int fd = raw_connect(e);
	uint64_t t0;

	nghttp2_session_callbacks_new(&cbs);
	nghttp2_session_callbacks_set_on_stream_close_callback(cbs, half_close);
	nghttp2_session_client_new(&s, cbs, &h);
	nghttp2_submit_settings(s, 0, NULL, 0);
	assert_true(nghttp2_submit_request(s, NULL, nva, 5, &dp, NULL) > 0);
	while ((n = nghttp2_session_mem_send(s, &data)) > 0)
		assert_int_equal(write(fd, data, (size_t)n), n);
	assert_int_equal(h.sent, 10);
	check_others_served(e, 3);
	/* the stalled request is reset after the idle time; its connection stays usable */
	t0 = now_ms();
	while (now_ms() - t0 < 3000 && !h.closed) {
		uint8_t buf[4096];

		sen_loop_run_once(e->loop, 20);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			nghttp2_session_mem_recv(s, buf, (size_t)n);
		while ((n = nghttp2_session_mem_send(s, &data)) > 0)
			assert_int_equal(write(fd, data, (size_t)n), n);
	}
	assert_true(h.closed);
	assert_int_equal(h.close_code, NGHTTP2_CANCEL);
	check_others_served(e, 2);
	nghttp2_session_del(s);
	nghttp2_session_callbacks_del(cbs);
	close(fd);
	env_free(e);
}

/* The local transport: a request never runs on the caller's stack. */
static int in_send;
static void h_check_stack(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	assert_int_equal(in_send, 0);
	sen_sbi_stream_respond_status(st, 204);
}

static void test_local_deferred(void **state)
{
	struct env *e = env_new(true, NULL);
	struct result r = {0};

	assert_int_equal(sen_sbi_server_route(e->srv, SEN_SBI_GET, "/stack", h_check_stack, NULL),
			 0);
	in_send = 1;
	assert_int_equal(sen_sbi_client_send(e->cli, e->target,
					     sen_sbi_request_new(SEN_SBI_GET, "/stack"), 0, on_rsp,
					     &r),
			 0);
	in_send = 0;
	assert_int_equal(r.done, 0);
	pump(e, &r.done, 1, 1000);
	assert_int_equal(r.status, 204);
	/* a client with no_local talks HTTP/2 to the same server */
	{
		struct sen_sbi_client *c2;
		struct sen_sbi_client_opts co = {.no_local = true};
		struct sen_sbi_client_stats cs;

		assert_int_equal(sen_sbi_client_new(e->loop, &co, &c2), 0);
		memset(&r, 0, sizeof(r));
		assert_int_equal(sen_sbi_client_send(c2, e->target,
						     sen_sbi_request_new(SEN_SBI_GET, "/stack"), 0,
						     on_rsp, &r),
				 0);
		pump(e, &r.done, 1, 2000);
		assert_int_equal(r.status, 204);
		sen_sbi_client_get_stats(c2, &cs);
		assert_int_equal(cs.conns_opened, 1);
		sen_sbi_client_free(c2);
	}
	env_free(e);
}

/* Freeing a client with requests in flight: no callback, and late answers are dropped. */
static void test_client_free_pending(void **state)
{
	for (int local = 0; local < 2; local++) {
		struct env *e = env_new(local, NULL);
		struct result r = {0};

		assert_int_equal(
		    sen_sbi_client_send(e->cli, e->target,
					sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/slow/never"), 0,
					on_rsp, &r),
		    0);
		assert_int_equal(
		    sen_sbi_client_send(e->cli, e->target,
					sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/1"), 0,
					on_rsp, &r),
		    0);
		pump(e, NULL, 0, 100);
		sen_sbi_client_free(e->cli);
		e->cli = NULL;
		pump(e, NULL, 0, 100);
		assert_int_equal(routes_release_held(), 0);
		pump(e, NULL, 0, 50);
		assert_int_equal(r.done <= 1,
				 1); /* the echo may have been answered before the free */
		result_clear(&r);
		env_free(e);
	}
}

/* The resolver hook: a target by NF type. */
static void resolver(struct sen_sbi_client *c, struct sen_sbi_xact *x,
		     const struct sen_sbi_target *t, void *arg)
{
	struct env *e = arg;

	if (t->nf_type && strcmp(t->nf_type, "NTEST") == 0)
		sen_sbi_xact_resolved(x, e->target, 0);
	else
		sen_sbi_xact_resolved(x, NULL, -SEN_ENOENT);
}

/* Callback URIs from peers: only http with an authority, no user info or control bytes. */
static void test_uri_split(void **state)
{
	char auth[16], path[16];
	static const char *const bad[] = {
	    "https://a:1/x", "ftp://a/x",     "http://",	  "http:///x",	     "http://u@a:1/x",
	    "http://a:1/x y", "http://a:1/\r\n", "http://a:1/x\x7f", "http://a b:1/", "a:1/x",
	    "http://authority-too-long:1/x", "http://a:1/path-far-too-long"};

	(void)state;
	assert_int_equal(sen_sbi_uri_split("http://a:1/x?q=1", auth, sizeof(auth), path,
					   sizeof(path)), 0);
	assert_string_equal(auth, "a:1");
	assert_string_equal(path, "/x?q=1");
	assert_int_equal(sen_sbi_uri_split("HTTP://[::1]:80", auth, sizeof(auth), path,
					   sizeof(path)), 0);
	assert_string_equal(auth, "[::1]:80");
	assert_string_equal(path, "/");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# %s\n", bad[i]);
		assert_int_equal(sen_sbi_uri_split(bad[i], auth, sizeof(auth), path, sizeof(path)),
				 -SEN_EINVAL);
	}
	assert_int_equal(sen_sbi_uri_split(NULL, auth, sizeof(auth), path, sizeof(path)),
			 -SEN_EINVAL);
}

static void test_resolver(void **state)
{
	struct env *e = *state;
	struct sen_sbi_target t = {.nf_type = "NTEST", .service = "ntest"};
	struct result r = {0};

	assert_int_equal(
	    sen_sbi_client_request(e->cli, &t, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/r"),
				   0, on_rsp, &r, NULL),
	    -SEN_EINVAL); /* no resolver yet */
	sen_sbi_client_set_resolver(e->cli, resolver, e);
	assert_int_equal(
	    sen_sbi_client_request(e->cli, &t, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/r"),
				   0, on_rsp, &r, NULL),
	    0);
	pump(e, &r.done, 1, 2000);
	assert_int_equal(r.status, 200);
	result_clear(&r);
	t.nf_type = "OTHER";
	assert_int_equal(
	    sen_sbi_client_request(e->cli, &t, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/r"),
				   0, on_rsp, &r, NULL),
	    0);
	pump(e, &r.done, 1, 2000);
	assert_int_equal(r.err, -SEN_ENOENT);
	check_transport(e);
}

/*
 * Peers named by other NFs (callback URIs) are bounded: 600 distinct authorities, each
 * refused, leave the client with its idle peers reaped (client.c PEERS_REAP), not 600.
 */
static void test_peers_reaped(void **state)
{
	struct env *e = *state;
	struct sen_sbi_client_stats cs;
	char auth[32];

	for (int i = 0; i < 600; i++) {
		struct result r = {0};
		/* 127.0.0.x:9: discard, not served here; whatever the answer, it ends */
		snprintf(auth, sizeof(auth), "127.0.%d.%d:9", 1 + i / 250, 1 + i % 250);
		assert_int_equal(sen_sbi_client_send(e->cli, auth,
						     sen_sbi_request_new(SEN_SBI_GET, "/x"), 2000,
						     on_rsp, &r),
				 0);
		pump(e, &r.done, 1, 3000);
		assert_int_equal(r.done, 1);
		result_clear(&r);
	}
	sen_sbi_client_get_stats(e->cli, &cs);
	assert_true(cs.peers <= 257);
	/* the client still works */
	{
		struct result r = {0};
		roundtrip(e, sen_sbi_request_new(SEN_SBI_GET, "/ntest/v1/echo/after"), &r);
		assert_int_equal(r.status, 200);
		result_clear(&r);
	}
}

#define BOTH(f)                                                                                    \
	cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, &TCP),                        \
	    cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, &LOCAL)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_msg_query_and_headers),
	    cmocka_unit_test(test_msg_json),
	    cmocka_unit_test(test_problem),
	    cmocka_unit_test(test_router),
	    cmocka_unit_test(test_uri_split),
	    BOTH(test_get_echo),
	    BOTH(test_post_created),
	    BOTH(test_errors),
	    BOTH(test_async_answer),
	    BOTH(test_concurrent),
	    BOTH(test_timeout_and_dropped_answer),
	    BOTH(test_cancel),
	    BOTH(test_server_restart),
	    BOTH(test_large_body),
	    BOTH(test_resolver),
	    cmocka_unit_test(test_413),
	    cmocka_unit_test(test_431),
	    cmocka_unit_test(test_ipv6),
	    cmocka_unit_test(test_max_concurrent_streams),
	    cmocka_unit_test(test_hostile_garbage),
	    cmocka_unit_test(test_hostile_truncated_preface),
	    cmocka_unit_test(test_hostile_half_request),
	    cmocka_unit_test(test_local_deferred),
	    cmocka_unit_test(test_client_free_pending),
	    cmocka_unit_test_prestate_setup_teardown(test_peers_reaped, setup, teardown, &TCP),
	};

	sen_log_set_levels(getenv("SEN_LOG") ? getenv("SEN_LOG") : "error");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
