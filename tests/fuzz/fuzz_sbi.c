/*
 * libFuzzer target: lib/sbi's HTTP/2 server end (RFC 9113 framing through nghttp2, our
 * request assembly, limits, routing, answers) and its message parsers. Each input is
 * (1) written as the byte stream of one client connection into a socketpair whose
 * other end the server adopts, and the loop runs until the server closed it or the
 * input is consumed; (2) parsed as a request path with query (sbi_msg_set_wire_path)
 * and routed. Whatever the bytes, nothing may crash, leak or hang; the server must
 * still be serving afterwards.
 */
#include "sbi/internal.h"
#include "sbi/sbi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sen_loop *loop;
static struct sen_sbi_server *srv;
static struct sen_sbi_router *router;
static struct sen_sbi_stream *held;

static void h_echo(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = NULL;

	if (sen_sbi_msg_json(req, &j) == -SEN_EPROTO) {
		sen_sbi_stream_respond_bad_json(st, NULL);
		return;
	}
	if (!j)
		j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "id",
				sen_sbi_msg_var(req, "id") ? sen_sbi_msg_var(req, "id") : "");
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

/* Answers the previous held stream (maybe orphaned by now) and holds this one. */
static void h_hold(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	if (held)
		sen_sbi_stream_respond_status(held, 204);
	held = st;
}

static void init(void)
{
	struct sen_sbi_server_opts o = {.addr = "127.0.0.1",
					.max_body = 4096,
					.max_header_bytes = 2048,
					.max_concurrent_streams = 16};

	sen_log_set_level(SEN_LOG_OFF);
	if (sen_loop_new(&loop) < 0 || sen_sbi_server_new(loop, &o, &srv) < 0 ||
	    sen_sbi_router_new(&router) < 0)
		abort();
	sen_sbi_server_route(srv, SEN_SBI_GET, "/ntest/v1/echo/{id}", h_echo, NULL);
	sen_sbi_server_route(srv, SEN_SBI_POST, "/ntest/v1/items", h_echo, NULL);
	sen_sbi_server_route(srv, SEN_SBI_GET, "/ntest/v1/hold/{id}", h_hold, NULL);
	sen_sbi_router_add(router, SEN_SBI_GET, "/a/{x}/b/{y}", h_echo, NULL);
	sen_sbi_router_add(router, SEN_SBI_GET, "/a/lit/b/{y}", h_echo, NULL);
}

static void feed_connection(const uint8_t *data, size_t size)
{
	int sv[2];
	size_t off = 0;
	int rounds = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	if (sen_sbi_server_adopt_fd(srv, sv[0]) < 0) {
		close(sv[1]);
		return;
	}
	/* write in pieces, letting the server run in between, then read what it sent */
	while (rounds++ < 64) {
		char buf[16384];

		if (off < size) {
			size_t n = size - off < 4096 ? size - off : 4096;
			ssize_t w = write(sv[1], data + off, n);

			if (w > 0)
				off += (size_t)w;
			else if (w < 0 && errno != EAGAIN)
				break;
		}
		sen_loop_run_once(loop, 0);
		while (read(sv[1], buf, sizeof(buf)) > 0)
			;
		if (off >= size && rounds > 4)
			break;
	}
	close(sv[1]); /* the server sees EOF and closes its end */
	for (int i = 0; i < 4; i++)
		sen_loop_run_once(loop, 0);
}

static void parse_path(const uint8_t *data, size_t size)
{
	struct sen_sbi_msg *m = sen_sbi_msg_new();
	sen_sbi_handler_fn h;
	void *arg;
	unsigned allow;
	size_t len;

	if (!m)
		return;
	m->method = SEN_SBI_GET;
	if (sbi_msg_set_wire_path(m, (const char *)data, size) == 0) {
		sen_sbi_router_match(router, m, &h, &arg, &allow);
		sbi_msg_wire_path(m, &len);
	}
	sen_sbi_msg_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sen_sbi_server_stats st;

	if (!loop)
		init();
	feed_connection(data, size);
	parse_path(data, size);
	sen_sbi_server_get_stats(srv, &st);
	if (st.conns_open != 0) /* every fuzzed connection must be gone */
		abort();
	if (held) {
		sen_sbi_stream_respond_status(held, 204);
		held = NULL;
	}
	sen_sbi_pool_trim();
	return 0;
}
