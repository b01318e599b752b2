/*
 * nrf-peer: a small NF for the NRF tests, on lib/sbi and the NRF client.
 *
 *   nrf-peer ADDR [--nrf AUTHORITY --type NFTYPE [--service NAME] [--supi-range S-E]]
 *
 * Serves HTTP/2 on ADDR (an ephemeral port) and prints "port N". Every POST to
 * /notify/{x} (an NFStatusNotify, TS 29.510 6.1.5.2) is answered 204 and printed as
 * "notify <x> <body>"; a GET /ping/{x} is answered 200 {"pong": x}.
 * With --nrf it also registers an NFProfile of NFTYPE offering NAME (default "nudm-ueau")
 * at ADDR:port through the NRF client over TCP (printing "registered <id> heartbeat <s>"),
 * and each line "call <type> <service> [<supi>]" read on stdin sends GET /ping/<supi> to
 * {nf_type: type, service, hint: supi} through the resolver, printing "answer <status>
 * <body>" or "answer error <err>". SIGTERM/SIGINT: deregister, print "stopped", exit 0.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "sbi/nrf_client.h"
#include "sbi/sbi.h"

static struct sen_sbi_client *sbi;
static struct sen_nrf_client *nrfc;
static char nf_type[32] = "UDM";

static void on_notify(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	size_t len;
	const uint8_t *b = sen_sbi_msg_body(req, &len);

	printf("notify %s %.*s\n", sen_sbi_msg_var(req, "x"), (int)len, b ? (const char *)b : "");
	fflush(stdout);
	sen_sbi_stream_respond_status(st, 204);
}

static void on_ping(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "pong", sen_sbi_msg_var(req, "x"));
	cJSON_AddBoolToObject(j, "local", sen_sbi_stream_is_local(st));
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	size_t len = 0;
	const uint8_t *b = rsp ? sen_sbi_msg_body(rsp, &len) : NULL;

	if (err)
		printf("answer error %s\n", sen_strerror(err));
	else
		printf("answer %d %.*s\n", sen_sbi_msg_status(rsp), (int)len,
		       b ? (const char *)b : "");
	fflush(stdout);
}

static void on_stdin(struct sen_loop *loop, int fd, unsigned ev, void *arg)
{
	static char line[512];
	static size_t used;
	ssize_t n = read(fd, line + used, sizeof(line) - 1 - used);
	char *nl;

	if (n <= 0) {
		sen_loop_fd_del(loop, fd);
		return;
	}
	used += (size_t)n;
	line[used] = '\0';
	while ((nl = strchr(line, '\n'))) {
		char type[32] = "", service[64] = "", supi[64] = "";
		*nl = '\0';
		if (sscanf(line, "call %31s %63s %63s", type, service, supi) >= 2) {
			struct sen_sbi_msg *req =
			    sen_sbi_request_new(SEN_SBI_GET, "/ping/%s", *supi ? supi : "none");
			struct sen_sbi_target t = {
			    .nf_type = type, .service = service, .hint = *supi ? supi : NULL};
			int rv = sen_sbi_client_request(sbi, &t, req, 3000, on_answer, NULL, NULL);
			if (rv < 0)
				on_answer(rv, NULL, NULL);
		}
		used -= (size_t)(nl + 1 - line);
		memmove(line, nl + 1, used + 1);
	}
	if (used == sizeof(line) - 1)
		used = 0;
}

static void on_state(struct sen_nrf_client *c, bool registered, void *arg)
{
	if (registered)
		printf("registered %s heartbeat %u\n", sen_nrf_client_instance_id(c),
		       sen_nrf_client_heartbeat(c));
	else
		printf("unregistered\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *addr, *nrf = NULL, *service = "nudm-ueau", *range = NULL;
	struct sen_sbi_server_opts so = {0};
	struct sen_sbi_server *srv;
	struct sen_loop *loop;
	char start[32] = "", end[32] = "";
	int rv;

	if (argc < 2)
		return 2;
	addr = argv[1];
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--nrf"))
			nrf = argv[i + 1];
		else if (!strcmp(argv[i], "--type"))
			snprintf(nf_type, sizeof(nf_type), "%s", argv[i + 1]);
		else if (!strcmp(argv[i], "--service"))
			service = argv[i + 1];
		else if (!strcmp(argv[i], "--supi-range"))
			range = argv[i + 1];
		else
			return 2;
	}
	sen_log_set_levels(getenv("SEN_LOG") ? getenv("SEN_LOG") : "warn");
	so.addr = addr;
	if (sen_loop_new(&loop) < 0 || sen_loop_stop_on_signals(loop) < 0 ||
	    sen_sbi_server_new(loop, &so, &srv) < 0 ||
	    sen_sbi_server_route(srv, SEN_SBI_POST, "/notify/{x}", on_notify, NULL) < 0 ||
	    sen_sbi_server_route(srv, SEN_SBI_GET, "/ping/{x}", on_ping, NULL) < 0 ||
	    (rv = sen_sbi_server_start(srv)) < 0 || sen_sbi_client_new(loop, NULL, &sbi) < 0) {
		fprintf(stderr, "nrf-peer: cannot start\n");
		return 1;
	}
	printf("port %u\n", sen_sbi_server_port(srv));
	fflush(stdout);
	if (nrf) {
		struct sen_cfg_addr a = {0};
		struct sen_nf_supi_range r = {start, end, NULL};
		cJSON *profile;
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons(sen_sbi_server_port(srv));
		inet_pton(AF_INET, addr, &a.in.sin_addr);
		a.len = sizeof(a.in);
		if (range && sscanf(range, "%31[0-9]-%31[0-9]", start, end) != 2)
			return 2;
		struct sen_nf_profile_desc d = {
		    .nf_type = nf_type,
		    .sbi = &a,
		    .services = (const char *[]){service},
		    .n_services = 1,
		    .supi_ranges = &r,
		    .n_supi_ranges = range ? 1 : 0,
		};
		if (sen_nf_profile_build(&d, &profile) < 0 ||
		    sen_nrf_client_new(
			loop, sbi,
			&(struct sen_nrf_client_opts){
			    .nrf = nrf, .profile = profile, .retry_ms = 200, .on_state = on_state},
			&nrfc) < 0 ||
		    sen_nrf_client_start(nrfc) < 0) {
			fprintf(stderr, "nrf-peer: cannot start the NRF client\n");
			return 1;
		}
		cJSON_Delete(profile);
		sen_loop_fd_add(loop, 0, SEN_LOOP_READ, on_stdin, NULL);
	}
	sen_loop_run(loop);
	if (nrfc) {
		sen_nrf_client_stop(nrfc);
		for (int i = 0; i < 50 && sen_loop_run_once(loop, 10) >= 0; i++)
			;
		sen_nrf_client_free(nrfc);
	}
	printf("stopped\n");
	fflush(stdout);
	sen_sbi_client_free(sbi);
	sen_sbi_server_free(srv);
	sen_loop_free(loop);
	return 0;
}
