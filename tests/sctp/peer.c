/*
 * sctp-peer: the other end of the lib/sctp tests. One process holds one usrsctp stack
 * (DESIGN.md), so the peer of a test runs in its own process, on its own local UDP
 * port (RFC 6951).
 *
 *   sctp-peer server  ULOCAL UREMOTE ADDR PORT STREAMS
 *       Listen on ADDR:PORT and echo every message on the stream and with the PPID it
 *       came with. Prints "READY" once listening. Commands (message payloads):
 *       "CMD:shutdown" shuts the association down gracefully, "CMD:exit" exits at once
 *       (a userspace stack sends nothing then), "CMD:big N" answers with N bytes
 *       (byte i = i % 251), "CMD:flood N" with N messages of 60000 bytes as fast as
 *       the stack takes them; a message starting with 'Q' gets no answer. A message
 *       "S<i>..." gets none either: it is checked to be the next of a sequence (i counts
 *       0, 1, 2 ...), and "CMD:seq" answers "R <received> <out of order>". Stops on
 *       SIGTERM.
 *   sctp-peer client  ULOCAL UREMOTE ADDR PORT NMSG
 *       Connect, send NMSG messages "msg <i>" on stream i % out-streams with PPID 60
 *       (TS 38.412), check every echo, shut down, exit 0 on success.
 *   sctp-peer rclient ULOCAL UREMOTE ADDR PORT LPORT
 *       Bind SCTP port LPORT on ADDR (by listening there), connect to ADDR:PORT, print
 *       "READY" once the association is up, then echo like the server until killed.
 *       Killed and started again with the same arguments (same UDP port, addresses and
 *       SCTP ports), the new process restarts the association (RFC 9260 5.2.4).
 *   sctp-peer hostile ULOCAL UREMOTE ADDR PORT
 *       With usrsctp directly: connect, send 16000 bytes of one message on stream 1
 *       without its end (SCTP_EXPLICIT_EOR, RFC 6458 8.1.26), then ABORT.
 *
 * Exit status: 0 success, 1 failure, 2 timeout (30 s).
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "sctp/sctp.h"

static struct sen_loop *loop;
static int status = 1;
static unsigned nmsg, echoed;
static struct sen_sctp_endpoint *ep;
static unsigned seq_next, seq_bad; /* "S<i>" messages: next expected, out of order */

static void fail(const char *what)
{
	fprintf(stderr, "sctp-peer: %s\n", what);
	exit(1);
}

/* ---- server ---- */

/* "CMD:flood N": N messages of 60000 bytes, sent as fast as the stack takes them. */
static struct {
	struct sen_sctp_assoc *assoc;
	unsigned left;
	uint16_t stream;
	struct sen_timer timer;
	uint8_t msg[60000];
} flood;

static void flood_tick(struct sen_loop *l, struct sen_timer *t, void *arg)
{
	while (flood.left && sen_sctp_send(flood.assoc, flood.stream, SEN_SCTP_PPID_NGAP,
					   flood.msg, sizeof(flood.msg)) == 0)
		flood.left--;
	if (flood.left)
		sen_timer_start(&flood.timer, 1);
}

static void srv_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason r, void *arg)
{
	if (flood.assoc == a) {
		flood.assoc = NULL;
		flood.left = 0;
		sen_timer_stop(&flood.timer);
	}
}

static void srv_message(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
			const uint8_t *data, size_t len, void *arg)
{
	if (len >= 4 && !memcmp(data, "CMD:", 4)) {
		char cmd[64];
		size_t n = len < sizeof(cmd) - 1 ? len : sizeof(cmd) - 1;
		memcpy(cmd, data, n);
		cmd[n] = 0;
		if (!strcmp(cmd, "CMD:shutdown")) {
			sen_sctp_shutdown(a);
		} else if (!strcmp(cmd, "CMD:seq")) {
			char r[48];
			int rl = snprintf(r, sizeof(r), "R %u %u", seq_next, seq_bad);
			if (sen_sctp_send(a, stream, ppid, r, (size_t)rl))
				fprintf(stderr, "sctp-peer: seq report not sent\n");
		} else if (!strcmp(cmd, "CMD:exit")) {
			_exit(0);
		} else if (!strncmp(cmd, "CMD:flood ", 10)) {
			flood.assoc = a;
			flood.stream = stream;
			flood.left = (unsigned)strtoul(cmd + 10, NULL, 10);
			memset(flood.msg, 'f', sizeof(flood.msg));
			sen_timer_init(&flood.timer, loop, flood_tick, NULL);
			sen_timer_start(&flood.timer, 0);
		} else if (!strncmp(cmd, "CMD:big ", 8)) {
			size_t big = strtoul(cmd + 8, NULL, 10);
			uint8_t *b = malloc(big ? big : 1);
			if (!b)
				fail("no memory");
			for (size_t i = 0; i < big; i++)
				b[i] = (uint8_t)(i % 251);
			if (sen_sctp_send(a, stream, ppid, b, big))
				fprintf(stderr, "sctp-peer: big send failed\n");
			free(b);
		}
		return;
	}
	if (len >= 1 && data[0] == 'Q')
		return; /* "quiet": no answer, like most NGAP messages */
	if (len >= 2 && data[0] == 'S') {
		char m[16] = {0};
		memcpy(m, data + 1, len - 1 < sizeof(m) - 1 ? len - 1 : sizeof(m) - 1);
		if ((unsigned)strtoul(m, NULL, 10) != seq_next)
			seq_bad++;
		seq_next++;
		return;
	}
	if (sen_sctp_send(a, stream, ppid, data, len))
		fprintf(stderr, "sctp-peer: echo failed\n");
}

/* ---- client ---- */

static void cli_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	for (unsigned i = 0; i < nmsg; i++) {
		char m[32];
		int n = snprintf(m, sizeof(m), "msg %u", i);
		if (sen_sctp_send(a, (uint16_t)(i % out), SEN_SCTP_PPID_NGAP, m, (size_t)n))
			fail("send");
	}
}

static void cli_message(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
			const uint8_t *data, size_t len, void *arg)
{
	unsigned i;
	char m[32];

	if (len >= sizeof(m))
		fail("echo too long");
	memcpy(m, data, len);
	m[len] = 0;
	if (sscanf(m, "msg %u", &i) != 1 || i != echoed)
		fail("echo out of order");
	if (ppid != SEN_SCTP_PPID_NGAP || stream != i % sen_sctp_assoc_out_streams(a))
		fail("echo on the wrong stream or PPID");
	if (++echoed == nmsg)
		sen_sctp_shutdown(a);
}

static void cli_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason r, void *arg)
{
	status = (r == SEN_SCTP_DOWN_SHUTDOWN && echoed == nmsg) ? 0 : 1;
	if (status)
		fprintf(stderr, "sctp-peer: down, reason %d, %u/%u echoes\n", (int)r, echoed, nmsg);
	sen_loop_stop(loop);
}

/* ---- rclient ---- */

static void rcli_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	printf("READY\n");
	fflush(stdout);
}

/* ---- hostile ---- */

static int hostile(uint16_t ulocal, uint16_t uremote, const char *addr, uint16_t port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	struct sctp_udpencaps enc;
	struct socket *so;
	int on = 1;
	static uint8_t piece[4000];

	usrsctp_init(ulocal, NULL, NULL);
	usrsctp_sysctl_set_sctp_blackhole(2);
	so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (!so)
		fail("usrsctp_socket");
	memset(&enc, 0, sizeof(enc));
	enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
	enc.sue_port = htons(uremote);
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc)) ||
	    usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)) ||
	    usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, &on, sizeof(on)))
		fail("setsockopt");
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		fail("address");
	if (usrsctp_connect(so, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		fail("connect");
	memset(piece, 'h', sizeof(piece));
	for (int i = 0; i < 4; i++) {
		struct sctp_sndinfo si = {.snd_sid = 1, .snd_ppid = htonl(SEN_SCTP_PPID_NGAP)};
		if (usrsctp_sendv(so, piece, sizeof(piece), NULL, 0, &si, sizeof(si),
				  SCTP_SENDV_SNDINFO, 0) < 0)
			fail("send piece");
	}
	struct timespec ts = {0, 500 * 1000 * 1000};
	nanosleep(&ts, NULL);
	struct sctp_sndinfo ab = {.snd_flags = SCTP_ABORT};
	if (usrsctp_sendv(so, piece, 0, NULL, 0, &ab, sizeof(ab), SCTP_SENDV_SNDINFO, 0) < 0) {
		struct linger l = {1, 0};
		usrsctp_setsockopt(so, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	usrsctp_close(so);
	ts.tv_nsec = 300 * 1000 * 1000;
	nanosleep(&ts, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct sen_sctp_config cfg = {.transport = SEN_SCTP_UDP};
	struct sen_sctp_callbacks cbs = {0};
	const char *mode, *addr;
	uint16_t port;

	if (argc < 6) {
		fprintf(stderr, "usage: sctp-peer server|client|rclient|hostile ULOCAL UREMOTE ADDR PORT [N]\n");
		return 1;
	}
	alarm(30);
	sen_log_set_levels("warn");
	signal(SIGALRM, SIG_DFL);
	mode = argv[1];
	cfg.udp_local_port = (uint16_t)atoi(argv[2]);
	cfg.udp_remote_port = (uint16_t)atoi(argv[3]);
	addr = argv[4];
	port = (uint16_t)atoi(argv[5]);
	cfg.local_addr = addr;
	if (!strcmp(mode, "hostile"))
		return hostile(cfg.udp_local_port, cfg.udp_remote_port, addr, port);

	if (sen_loop_new(&loop) || sen_loop_stop_on_signals(loop))
		fail("loop");
	if (!strcmp(mode, "server")) {
		cfg.streams = (uint16_t)(argc > 6 ? atoi(argv[6]) : 16);
		cbs.message = srv_message;
		cbs.down = srv_down;
		if (sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL))
			fail("endpoint");
		if (sen_sctp_listen(ep, addr, port))
			fail("listen");
		printf("READY\n");
		fflush(stdout);
		sen_loop_run(loop);
		status = 0;
	} else if (!strcmp(mode, "client")) {
		struct sen_sctp_assoc *a;
		nmsg = (unsigned)(argc > 6 ? atoi(argv[6]) : 10);
		cbs.up = cli_up;
		cbs.message = cli_message;
		cbs.down = cli_down;
		cfg.local_addr = NULL;
		if (sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL))
			fail("endpoint");
		if (sen_sctp_connect(ep, addr, port, 5000, &a))
			fail("connect");
		sen_loop_run(loop);
	} else if (!strcmp(mode, "rclient")) {
		struct sen_sctp_assoc *a;
		cbs.up = rcli_up;
		cbs.message = srv_message;
		cbs.down = srv_down;
		if (argc < 7)
			fail("rclient needs LPORT");
		if (sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL))
			fail("endpoint");
		if (sen_sctp_listen(ep, addr, (uint16_t)atoi(argv[6])))
			fail("listen");
		if (sen_sctp_connect(ep, addr, port, 5000, &a))
			fail("connect");
		sen_loop_run(loop);
		status = 0;
	} else {
		fail("unknown mode");
	}
	sen_sctp_close(ep);
	sen_loop_free(loop);
	return status;
}
