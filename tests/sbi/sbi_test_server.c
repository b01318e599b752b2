/*
 * sbi-test-server: the "ntest" API (routes.h) on HTTP/2, for tests with independent
 * clients (curl). Usage: sbi-test-server ADDR [PORT] [MAX_BODY]. Prints "port N" on
 * stdout once listening, serves until SIGTERM/SIGINT, then prints its statistics.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/log.h"
#include "routes.h"

int main(int argc, char **argv)
{
	struct sen_loop *loop;
	struct sen_sbi_server *srv;
	struct sen_sbi_server_opts o = {0};
	struct sen_sbi_server_stats st;
	int rv;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ADDR [PORT] [MAX_BODY]\n", argv[0]);
		return 2;
	}
	o.addr = argv[1];
	o.port = argc > 2 ? (uint16_t)atoi(argv[2]) : 0;
	o.max_body = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;
	o.handshake_timeout_ms = 1000;
	sen_log_set_levels(getenv("SEN_LOG") ? getenv("SEN_LOG") : "warn");
	if (sen_loop_new(&loop) < 0 || sen_loop_stop_on_signals(loop) < 0)
		return 1;
	rv = sen_sbi_server_new(loop, &o, &srv);
	if (rv == 0)
		rv = routes_add(srv, loop);
	if (rv == 0)
		rv = sen_sbi_server_start(srv);
	if (rv < 0) {
		fprintf(stderr, "cannot start: %s\n", sen_strerror(rv));
		return 1;
	}
	printf("port %u\n", sen_sbi_server_port(srv));
	fflush(stdout);
	sen_loop_run(loop);
	sen_sbi_server_get_stats(srv, &st);
	printf("accepted %llu requests %llu protocol_errors %llu\n",
	       (unsigned long long)st.conns_accepted, (unsigned long long)st.requests,
	       (unsigned long long)st.protocol_errors);
	routes_release_held();
	sen_sbi_server_free(srv);
	sen_loop_free(loop);
	return 0;
}
