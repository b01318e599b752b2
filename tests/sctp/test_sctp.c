/*
 * lib/sctp tests over usrsctp with UDP encapsulation (RFC 6951) on loopback. This process
 * holds one usrsctp stack on one local UDP port; every peer is a sctp-peer process (the
 * helper in peer.c) on its own UDP port. Ports are chosen from the pid so that two runs
 * at once do not collide.
 *
 * When the kernel has SCTP, the kernel back end's cases (test_kernel_*: two endpoints of
 * this process talking over loopback) are registered too; without it they are not
 * registered at all (a case that cannot run is not reported as passed), and
 * test_kernel_unavailable checks the refusal instead.
 *
 * Usage: test-sctp PATH/TO/sctp-peer
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "sctp/sctp.h"

#define ADDR "127.0.0.1"
#define PEER_ADDR "127.0.0.1"
#define MAX_RX 1024

static const char *peer_exe;
static uint16_t udp_base; /* ours; peers use udp_base + 1 + k */
static uint16_t sctp_port = 38412;
static struct sen_loop *loop;

/* ---- what the callbacks saw ---- */

struct rx {
	struct sen_sctp_assoc *assoc;
	char peer[64]; /* sen_sctp_assoc_peer() when it came */
	uint16_t stream;
	uint32_t ppid;
	size_t len;
	uint8_t *data;
};

static struct {
	unsigned ups, downs, restarts, msgs;
	uint16_t in, out;
	enum sen_sctp_down_reason reason;
	struct sen_sctp_assoc *last_up, *last_restart;
	struct rx rx[MAX_RX];
	bool echo;	     /* server side: echo what arrives */
	bool close_in_msg;   /* close the endpoint inside the message callback */
	struct sen_sctp_endpoint *ep;
	uint64_t t_msg;	     /* loop time of the last message */
	bool in_abort_call;  /* set around sen_sctp_abort() */
	bool down_inside_abort;
} seen;

static void reset_seen(void)
{
	for (unsigned i = 0; i < seen.msgs && i < MAX_RX; i++)
		free(seen.rx[i].data);
	memset(&seen, 0, sizeof(seen));
}

static void on_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	seen.ups++;
	seen.in = in;
	seen.out = out;
	seen.last_up = a;
}

static void on_restart(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	seen.restarts++;
	seen.in = in;
	seen.out = out;
	seen.last_restart = a;
}

static void on_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason r, void *arg)
{
	seen.downs++;
	seen.reason = r;
	if (seen.in_abort_call)
		seen.down_inside_abort = true;
	if (seen.last_up == a)
		seen.last_up = NULL;
}

static void on_message(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
		       const uint8_t *data, size_t len, void *arg)
{
	if (seen.msgs < MAX_RX) {
		struct rx *r = &seen.rx[seen.msgs];
		r->assoc = a;
		sen_sctp_assoc_peer(a, r->peer, sizeof(r->peer));
		r->stream = stream;
		r->ppid = ppid;
		r->len = len;
		r->data = malloc(len);
		memcpy(r->data, data, len);
	}
	seen.msgs++;
	seen.t_msg = sen_loop_update_now(loop);
	if (seen.echo)
		sen_sctp_send(a, stream, ppid, data, len);
	if (seen.close_in_msg) {
		sen_sctp_close(seen.ep);
		seen.ep = NULL;
	}
}

/* A sender that keeps order the way sen-ransim does: what the stack refuses (-SEN_EAGAIN,
 * send buffer full) waits here, and the writable callback sends it and what follows. */
static struct {
	struct sen_sctp_assoc *assoc;
	unsigned next, total; /* messages "S<i>" sent so far / to send */
	size_t len;	      /* bytes per message (padded) */
	unsigned eagain, writable, errors;
} pump;

static void pump_run(void)
{
	while (pump.assoc && pump.next < pump.total) {
		char m[2048];
		int n = snprintf(m, sizeof(m), "S%u", pump.next);
		size_t len = pump.len > (size_t)n ? pump.len : (size_t)n;
		memset(m + n, 'p', len - (size_t)n);
		int err = sen_sctp_send(pump.assoc, 1, SEN_SCTP_PPID_NGAP, m, len);
		if (err == -SEN_EAGAIN) {
			pump.eagain++;
			return; /* the writable callback resumes */
		}
		if (err) {
			pump.errors++;
			return;
		}
		pump.next++;
	}
}

static void on_writable(struct sen_sctp_assoc *a, void *arg)
{
	pump.writable++;
	if (a == pump.assoc)
		pump_run();
}

static const struct sen_sctp_callbacks cbs = {
	.up = on_up, .restart = on_restart, .down = on_down, .message = on_message,
	.writable = on_writable,
};

/* ---- helpers ---- */

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run the loop until *flag >= want or `ms` pass. Returns true if reached. */
static bool run_until(const unsigned *flag, unsigned want, unsigned ms)
{
	uint64_t end = now_ms() + ms;
	while (*flag < want) {
		uint64_t t = now_ms();
		if (t >= end)
			return false;
		sen_loop_run_once(loop, (int)(end - t > 50 ? 50 : end - t));
	}
	return true;
}

static void run_for(unsigned ms)
{
	uint64_t end = now_ms() + ms;
	for (uint64_t t; (t = now_ms()) < end;)
		sen_loop_run_once(loop, (int)(end - t));
}

struct child {
	pid_t pid;
	int out; /* its stdout */
};

/* Start sctp-peer with args; for a server, wait for its READY line. */
static struct child spawn(bool wait_ready, const char *mode, uint16_t ulocal, uint16_t uremote,
			  const char *addr, uint16_t port, unsigned n)
{
	struct child c = {.pid = -1, .out = -1};
	char a2[8], a3[8], a5[8], a6[16];
	int p[2];

	snprintf(a2, sizeof(a2), "%u", ulocal);
	snprintf(a3, sizeof(a3), "%u", uremote);
	snprintf(a5, sizeof(a5), "%u", port);
	snprintf(a6, sizeof(a6), "%u", n);
	assert_int_equal(pipe(p), 0);
	c.pid = fork();
	assert_true(c.pid >= 0);
	if (c.pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(peer_exe, peer_exe, mode, a2, a3, addr, a5, a6, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	c.out = p[0];
	if (wait_ready) {
		char buf[16] = {0};
		struct pollfd pfd = {.fd = c.out, .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_true(read(c.out, buf, sizeof(buf) - 1) > 0);
		assert_non_null(strstr(buf, "READY"));
	}
	return c;
}

/* Wait for a child to exit within ms; returns its exit status, or -1 (then kills it). */
static int reap(struct child *c, unsigned ms)
{
	uint64_t end = now_ms() + ms;
	int st;

	while (now_ms() < end) {
		pid_t r = waitpid(c->pid, &st, WNOHANG);
		if (r == c->pid) {
			close(c->out);
			c->pid = -1;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		sen_loop_run_once(loop, 20); /* keep our side of the associations alive */
	}
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &st, 0);
	close(c->out);
	c->pid = -1;
	return -1;
}

static void stop(struct child *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		reap(c, 3000);
	}
}

static struct sen_sctp_config base_cfg(void)
{
	struct sen_sctp_config cfg = {
		.transport = SEN_SCTP_UDP,
		.udp_local_port = udp_base,
		.streams = 16,
		.local_addr = ADDR,
	};
	return cfg;
}

/* An endpoint connected to a fresh echo server on `addr` (helper on udp_base + k). */
static struct sen_sctp_endpoint *connect_to_server_at(struct child *srv, unsigned k,
						      const struct sen_sctp_config *cfg_in,
						      struct sen_sctp_assoc **assoc, const char *addr)
{
	struct sen_sctp_config cfg = cfg_in ? *cfg_in : base_cfg();
	struct sen_sctp_endpoint *ep;
	uint16_t peer_udp = (uint16_t)(udp_base + k);

	reset_seen();
	sctp_port++;
	*srv = spawn(true, "server", peer_udp, udp_base, addr, sctp_port, 8);
	cfg.udp_remote_port = peer_udp;
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	assert_int_equal(sen_sctp_connect(ep, addr, sctp_port, 5000, assoc), 0);
	assert_true(run_until(&seen.ups, 1, 5000));
	assert_ptr_equal(seen.last_up, *assoc);
	return ep;
}

static struct sen_sctp_endpoint *connect_to_server(struct child *srv, unsigned k,
						   const struct sen_sctp_config *cfg_in,
						   struct sen_sctp_assoc **assoc)
{
	return connect_to_server_at(srv, k, cfg_in, assoc, PEER_ADDR);
}

/* ---- cases ---- */

/* Runs first, before this process has a stack: a busy UDP port is refused cleanly. */
static void test_udp_port_in_use(void **state)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(udp_base + 36)};
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep = NULL;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	cfg.udp_local_port = (uint16_t)(udp_base + 36);
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), -SEN_EEXIST);
	assert_null(ep);
	close(fd);
}

static void test_config(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep, *ep2;
	enum sen_sctp_transport t;

	assert_int_equal(sen_sctp_transport_parse("sctp-udp", &t), 0);
	assert_int_equal(t, SEN_SCTP_UDP);
	assert_int_equal(sen_sctp_transport_parse("sctp", &t), 0);
	assert_int_equal(t, SEN_SCTP_KERNEL);
	assert_int_equal(sen_sctp_transport_parse("auto", &t), 0);
	assert_int_equal(t, SEN_SCTP_AUTO);
	assert_int_equal(sen_sctp_transport_parse("tcp", &t), -SEN_EINVAL);
	assert_string_equal(sen_sctp_transport_name(SEN_SCTP_UDP), "sctp-udp");

	cfg.streams = 1; /* TS 38.412 7: at least two streams */
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), -SEN_EINVAL);
	cfg = base_cfg();
	cfg.sndbuf = 100; /* below 1 KiB */
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), -SEN_EINVAL);
	cfg = base_cfg();
	cfg.local_addr = "not-an-address";
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), -SEN_EINVAL);

	/* one stack per process: a second local UDP port is refused while one runs */
	cfg = base_cfg();
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	cfg.udp_local_port = (uint16_t)(udp_base + 37);
	assert_int_equal(sen_sctp_endpoint_new(&ep2, loop, &cfg, &cbs, NULL), -SEN_EEXIST);
	/* the same port is shared */
	cfg.udp_local_port = udp_base;
	assert_int_equal(sen_sctp_endpoint_new(&ep2, loop, &cfg, &cbs, NULL), 0);
	sen_sctp_close(ep2);
	sen_sctp_close(ep);
}

/* Our own probe, independent of the library: does the kernel have SCTP? */
static bool kernel_has_sctp(void)
{
	int fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0)
		fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* AUTO: the kernel when it has SCTP, else usrsctp over UDP. */
static void test_auto_transport(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	bool k = kernel_has_sctp();

	print_message("# kernel SCTP: %s\n", k ? "yes" : "no (DESIGN.md: the development machines)");
	assert_int_equal(sen_sctp_kernel_available(), k);
	cfg.transport = SEN_SCTP_AUTO;
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	assert_int_equal(sen_sctp_endpoint_transport(ep), k ? SEN_SCTP_KERNEL : SEN_SCTP_UDP);
	sen_sctp_close(ep);
}

/* Registered only when the kernel has no SCTP. */
static void test_kernel_unavailable(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep = (void *)1;

	assert_false(kernel_has_sctp());
	cfg.transport = SEN_SCTP_KERNEL;
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), -SEN_ENOTSUP);
	assert_null(ep);
}

static void test_assoc_up_and_shutdown(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;
	char peer[64], want[64];

	ep = connect_to_server(&srv, 1, NULL, &a);
	/* we ask 16 out / accept 16 in; the peer 8 and 8 (RFC 9260 5.1.1: min of both) */
	assert_int_equal(seen.in, 8);
	assert_int_equal(seen.out, 8);
	assert_int_equal(sen_sctp_assoc_out_streams(a), 8);
	assert_int_equal(sen_sctp_assoc_in_streams(a), 8);
	snprintf(want, sizeof(want), PEER_ADDR ":%u", sctp_port);
	assert_string_equal(sen_sctp_assoc_peer(a, peer, sizeof(peer)), want);
	assert_int_equal(sen_sctp_endpoint_transport(ep), SEN_SCTP_UDP);
	sen_sctp_assoc_set_data(a, &srv);
	assert_ptr_equal(sen_sctp_assoc_data(a), &srv);
	assert_ptr_equal(sen_sctp_assoc_endpoint(a), ep);

	assert_int_equal(sen_sctp_shutdown(a), 0);
	assert_int_equal(sen_sctp_shutdown(a), -SEN_ENOENT);
	assert_true(run_until(&seen.downs, 1, 5000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_SHUTDOWN);
	sen_sctp_close(ep);
	stop(&srv);
}

/*
 * A peer on another loopback address than ours (127.0.0.2; any 127.x.y.z is local on
 * lo): our packets to it leave from 127.0.0.1, and its answers must come from the
 * address we sent to, or our stack cannot match them to the association (INIT ACK
 * dropped, the connect times out). udp.c answers from the address each peer's
 * datagrams came to (IP_PKTINFO).
 */
static void test_other_loopback_address(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;
	char peer[64], want[64];

	ep = connect_to_server_at(&srv, 15, NULL, &a, "127.0.0.2");
	snprintf(want, sizeof(want), "127.0.0.2:%u", sctp_port);
	assert_string_equal(sen_sctp_assoc_peer(a, peer, sizeof(peer)), want);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "via 127.0.0.2", 13), 0);
	assert_true(run_until(&seen.msgs, 1, 5000));
	assert_int_equal(seen.rx[0].len, 13);
	assert_memory_equal(seen.rx[0].data, "via 127.0.0.2", 13);
	assert_int_equal(sen_sctp_shutdown(a), 0);
	assert_true(run_until(&seen.downs, 1, 5000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_SHUTDOWN);
	sen_sctp_close(ep);
	stop(&srv);
}

/* Whether this process may send raw IPv4 packets (CAP_NET_RAW), to forge a source. */
static bool can_raw(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Send a UDP datagram with source 127.0.0.1:`sport` (whoever owns that port) to
 * `dst`:`dport`, through a raw socket: the kernel writes the IP header, we the UDP one
 * (checksum 0: none, RFC 768). */
static void forge_udp(uint16_t sport, const char *dst, uint16_t dport, const void *data,
		      size_t len)
{
	struct sockaddr_in src = {.sin_family = AF_INET}, to = {.sin_family = AF_INET};
	uint8_t pkt[256];
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);

	assert_true(fd >= 0);
	assert_true(len + 8 <= sizeof(pkt));
	inet_pton(AF_INET, "127.0.0.1", &src.sin_addr);
	inet_pton(AF_INET, dst, &to.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	pkt[0] = (uint8_t)(sport >> 8), pkt[1] = (uint8_t)sport;
	pkt[2] = (uint8_t)(dport >> 8), pkt[3] = (uint8_t)dport;
	pkt[4] = (uint8_t)((len + 8) >> 8), pkt[5] = (uint8_t)(len + 8);
	pkt[6] = pkt[7] = 0;
	memcpy(pkt + 8, data, len);
	assert_int_equal(sendto(fd, pkt, len + 8, 0, (struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)(len + 8));
	close(fd);
}

/*
 * A datagram with a peer's source address forged, sent to another local address of
 * ours (127.0.0.2; our UDP socket is bound to all), must not move the source of what we
 * send that peer: the peer would drop our packets (they come from an address it does
 * not know) and the association would die. udp.c learns the local address before
 * usrsctp checks a packet, so it keeps the first one and changes it on an INIT only.
 * Needs CAP_NET_RAW to forge the source (registered only then, see main).
 */
static void test_forged_source_keeps_local(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;
	/* garbage SCTP: the peer's ports, a wrong tag and CRC32c, one DATA chunk (type 0) */
	uint8_t junk[32] = {0x96, 0x4c, 0x96, 0x4c, 0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0x56, 0x78,
			    0x00, 0x03, 0x00, 0x14};

	ep = connect_to_server(&srv, 17, NULL, &a);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "before", 6), 0);
	assert_true(run_until(&seen.msgs, 1, 5000));
	forge_udp((uint16_t)(udp_base + 17), "127.0.0.2", udp_base, junk, sizeof(junk));
	run_for(50); /* our stack reads it */
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "after", 5), 0);
	assert_true(run_until(&seen.msgs, 2, 3000));
	assert_int_equal(seen.rx[1].len, 5);
	assert_memory_equal(seen.rx[1].data, "after", 5);
	assert_int_equal(seen.downs, 0);
	assert_int_equal(sen_sctp_shutdown(a), 0);
	assert_true(run_until(&seen.downs, 1, 5000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_SHUTDOWN);
	sen_sctp_close(ep);
	stop(&srv);
}

/*
 * The peer restarts (RFC 9260 5.2.4): it dies without a word (a userspace stack sends no
 * ABORT) and a new process with the same UDP port, addresses and SCTP ports starts the
 * association again. We see the restart callback on the same association object, never
 * down + up, and messages flow to the new peer.
 */
static void test_peer_restart(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child c;
	uint16_t peer_udp = (uint16_t)(udp_base + 16);
	uint16_t lport;

	reset_seen();
	sctp_port++;
	lport = (uint16_t)(sctp_port + 1000);
	cfg.local_addr = NULL;
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	assert_int_equal(sen_sctp_listen(ep, ADDR, sctp_port), 0);
	c = spawn(false, "rclient", peer_udp, udp_base, ADDR, sctp_port, lport);
	assert_true(run_until(&seen.ups, 1, 5000));
	a = seen.last_up;
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "first", 5), 0);
	assert_true(run_until(&seen.msgs, 1, 5000));
	assert_memory_equal(seen.rx[0].data, "first", 5);

	kill(c.pid, SIGKILL);
	reap(&c, 2000);
	c = spawn(false, "rclient", peer_udp, udp_base, ADDR, sctp_port, lport);
	assert_true(run_until(&seen.restarts, 1, 5000));
	assert_ptr_equal(seen.last_restart, a);
	assert_int_equal(seen.ups, 1);
	assert_int_equal(seen.downs, 0);
	assert_int_equal(seen.in, 16);
	assert_int_equal(seen.out, 16);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "second", 6), 0);
	assert_true(run_until(&seen.msgs, 2, 5000));
	assert_ptr_equal(seen.rx[1].assoc, a);
	assert_memory_equal(seen.rx[1].data, "second", 6);
	run_for(200);
	assert_int_equal(seen.downs, 0);
	assert_int_equal(seen.ups, 1);
	sen_sctp_close(ep);
	stop(&c);
}

static void test_streams_and_ppid(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	ep = connect_to_server(&srv, 2, NULL, &a);
	for (uint16_t s = 0; s < 8; s++) {
		char m[16];
		int n = snprintf(m, sizeof(m), "on %u", s);
		assert_int_equal(sen_sctp_send(a, s, SEN_SCTP_PPID_NGAP, m, (size_t)n), 0);
	}
	assert_int_equal(sen_sctp_send(a, 3, 0x12345678, "other", 5), 0);
	assert_true(run_until(&seen.msgs, 9, 5000));
	unsigned found = 0;
	for (unsigned i = 0; i < 9; i++) {
		struct rx *r = &seen.rx[i];
		char m[16];
		assert_ptr_equal(r->assoc, a);
		if (r->ppid == 0x12345678) {
			assert_int_equal(r->stream, 3);
			assert_memory_equal(r->data, "other", 5);
			continue;
		}
		assert_int_equal(r->ppid, SEN_SCTP_PPID_NGAP);
		snprintf(m, sizeof(m), "on %u", r->stream);
		assert_int_equal(r->len, strlen(m));
		assert_memory_equal(r->data, m, r->len);
		found |= 1u << r->stream;
	}
	assert_int_equal(found, 0xff);
	/* API bounds */
	assert_int_equal(sen_sctp_send(a, 8, SEN_SCTP_PPID_NGAP, "x", 1), -SEN_ERANGE);
	assert_int_equal(sen_sctp_send(a, 0, SEN_SCTP_PPID_NGAP, "x", 0), -SEN_EMSGSIZE);
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_order_100_per_stream(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;
	unsigned next[4] = {0};

	ep = connect_to_server(&srv, 3, NULL, &a);
	for (unsigned i = 0; i < 100; i++) {
		for (uint16_t s = 1; s <= 3; s++) {
			char m[24];
			int n = snprintf(m, sizeof(m), "%u:%u", s, i);
			int err;
			while ((err = sen_sctp_send(a, s, SEN_SCTP_PPID_NGAP, m, (size_t)n)) == -SEN_EAGAIN)
				sen_loop_run_once(loop, 1);
			assert_int_equal(err, 0);
		}
	}
	assert_true(run_until(&seen.msgs, 300, 10000));
	for (unsigned i = 0; i < 300; i++) {
		struct rx *r = &seen.rx[i];
		unsigned s, k;
		char m[24] = {0};
		memcpy(m, r->data, r->len < 23 ? r->len : 23);
		assert_int_equal(sscanf(m, "%u:%u", &s, &k), 2);
		assert_int_equal(s, r->stream);
		assert_int_equal(k, next[s]); /* RFC 9260 6.6: ordered within a stream */
		next[s]++;
	}
	assert_int_equal(next[1] + next[2] + next[3], 300);
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_60k_message(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct sen_sctp_stats st;
	struct child srv;
	size_t n = 60 * 1024;
	uint8_t *b = malloc(n);

	cfg.pd_point = 4096; /* force partial delivery: pieces reassembled here */
	ep = connect_to_server(&srv, 4, &cfg, &a);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7 + (i >> 8));
	assert_int_equal(sen_sctp_send(a, 2, SEN_SCTP_PPID_NGAP, b, n), 0);
	assert_int_equal(sen_sctp_send(a, 2, SEN_SCTP_PPID_NGAP, "after", 5), 0);
	assert_true(run_until(&seen.msgs, 2, 5000));
	assert_int_equal(seen.rx[0].len, n);
	assert_int_equal(seen.rx[0].stream, 2);
	assert_memory_equal(seen.rx[0].data, b, n);
	assert_int_equal(seen.rx[1].len, 5);
	sen_sctp_get_stats(ep, &st);
	assert_true(st.msgs_reassembled >= 1);
	assert_int_equal(st.dropped_oversize, 0);
	free(b);
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_several_clients(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct child cli[4];
	enum { NCLI = 4, NMSG = 5 };

	reset_seen();
	sctp_port++;
	seen.echo = true;
	cfg.local_addr = NULL;
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	assert_int_equal(sen_sctp_listen(ep, ADDR, sctp_port), 0);
	assert_int_equal(sen_sctp_listen(ep, ADDR, sctp_port), -SEN_EINVAL);
	for (unsigned i = 0; i < NCLI; i++)
		cli[i] = spawn(false, "client", (uint16_t)(udp_base + 20 + i), udp_base, ADDR,
			       sctp_port, NMSG);
	assert_true(run_until(&seen.downs, NCLI, 10000));
	for (unsigned i = 0; i < NCLI; i++)
		assert_int_equal(reap(&cli[i], 5000), 0); /* each got all its echoes */
	assert_int_equal(seen.ups, NCLI);
	assert_int_equal(seen.msgs, NCLI * NMSG);
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_SHUTDOWN);
	/* the messages came on NCLI distinct associations: told apart by the peer's
	 * address and SCTP port (an association's memory may be reused once it is down) */
	const char *as[NCLI] = {0};
	unsigned nas = 0;
	for (unsigned i = 0; i < seen.msgs; i++) {
		bool have = false;
		for (unsigned j = 0; j < nas; j++)
			have |= strcmp(as[j], seen.rx[i].peer) == 0;
		if (!have && nas < NCLI)
			as[nas++] = seen.rx[i].peer;
	}
	for (unsigned j = 0; j < nas; j++)
		assert_true(strncmp(as[j], "127.0.0.1:", 10) == 0);
	assert_int_equal(nas, NCLI);
	sen_sctp_close(ep);
}

static void test_peer_shutdown(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	ep = connect_to_server(&srv, 5, NULL, &a);
	assert_int_equal(sen_sctp_send(a, 0, SEN_SCTP_PPID_NGAP, "CMD:shutdown", 12), 0);
	assert_true(run_until(&seen.downs, 1, 5000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_SHUTDOWN);
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_peer_killed(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	cfg.hb_interval_ms = 200;
	cfg.rto_min_ms = 100;
	cfg.rto_initial_ms = 200;
	cfg.rto_max_ms = 300;
	cfg.max_retrans = 2;
	ep = connect_to_server(&srv, 6, &cfg, &a);
	/* the peer vanishes without a word: a userspace stack sends no ABORT */
	kill(srv.pid, SIGKILL);
	uint64_t t0 = now_ms();
	assert_true(run_until(&seen.downs, 1, 15000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_LOST);
	print_message("# peer loss detected in %llu ms\n", (unsigned long long)(now_ms() - t0));
	reap(&srv, 1000);
	sen_sctp_close(ep);
}

static void test_peer_exit_mid_association(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	cfg.hb_interval_ms = 200;
	cfg.rto_min_ms = 100;
	cfg.rto_initial_ms = 200;
	cfg.rto_max_ms = 300;
	cfg.max_retrans = 2;
	ep = connect_to_server(&srv, 7, &cfg, &a);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "CMD:exit", 8), 0);
	assert_int_equal(reap(&srv, 3000), 0);
	/* our data towards it is now unacknowledged: the association must still end */
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "anyone?", 7), 0);
	assert_true(run_until(&seen.downs, 1, 15000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_LOST);
	sen_sctp_close(ep);
}

static void test_connect_timeout(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;

	reset_seen();
	cfg.udp_remote_port = (uint16_t)(udp_base + 38); /* nobody there */
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	uint64_t t0 = now_ms();
	assert_int_equal(sen_sctp_connect(ep, PEER_ADDR, sctp_port, 700, &a), 0);
	assert_int_equal(sen_sctp_send(a, 0, SEN_SCTP_PPID_NGAP, "x", 1), -SEN_EAGAIN);
	assert_true(run_until(&seen.downs, 1, 5000));
	uint64_t took = now_ms() - t0;
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_TIMEOUT);
	assert_int_equal(seen.ups, 0);
	print_message("# connect gave up after %llu ms\n", (unsigned long long)took);
	assert_true(took >= 650 && took < 2000);
	/* nothing else fires for it later */
	run_for(300);
	assert_int_equal(seen.downs, 1);
	assert_int_equal(seen.ups, 0);
	sen_sctp_close(ep);
}

static void test_oversize_dropped(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct sen_sctp_stats st;
	struct child srv;
	static uint8_t big[5000];

	cfg.max_message = 4096;
	ep = connect_to_server(&srv, 8, &cfg, &a);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, big, sizeof(big)), -SEN_EMSGSIZE);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "CMD:big 100000", 14), 0);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "CMD:big 5000", 12), 0);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "CMD:big 4096", 12), 0);
	assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "still here", 10), 0);
	assert_true(run_until(&seen.msgs, 2, 5000));
	run_for(200);
	assert_int_equal(seen.msgs, 2);
	assert_int_equal(seen.rx[0].len, 4096); /* exactly the limit passes */
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(seen.rx[0].data[i], (uint8_t)(i % 251));
	assert_int_equal(seen.rx[1].len, 10);
	assert_memory_equal(seen.rx[1].data, "still here", 10);
	sen_sctp_get_stats(ep, &st);
	assert_int_equal(st.dropped_oversize, 2);
	assert_int_equal(seen.downs, 0); /* the association survives */
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_abort_mid_message(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_stats st;
	struct child h;

	reset_seen();
	sctp_port++;
	cfg.local_addr = NULL;
	cfg.pd_point = 1024; /* pieces reach us before the message ends */
	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0);
	assert_int_equal(sen_sctp_listen(ep, ADDR, sctp_port), 0);
	h = spawn(false, "hostile", (uint16_t)(udp_base + 30), udp_base, ADDR, sctp_port, 0);
	assert_true(run_until(&seen.downs, 1, 10000));
	assert_int_equal(seen.ups, 1);
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_LOST);
	assert_int_equal(seen.msgs, 0); /* nothing incomplete is ever delivered */
	sen_sctp_get_stats(ep, &st);
	assert_int_equal(st.dropped_partial, 1);
	assert_int_equal(reap(&h, 5000), 0);
	sen_sctp_close(ep);
}

/*
 * A peer that sends faster than the loop reads is held back, not buffered without bound:
 * usrsctp runs on the loop, so while the loop does not run nothing is read or
 * acknowledged and SCTP flow control (RFC 9260 6.2) stops the peer; the queue between
 * the stack and the common layer never nears rx_queue_max (1 MiB here), so nothing is
 * dropped and the association stays up. (With usrsctp's own threads this flood outran
 * the loop and the association was aborted, OVERLOAD.)
 */
static void test_flood_throttled(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct sen_sctp_stats st;
	struct child srv;

	cfg.max_message = 65536;
	cfg.rx_queue_max = 1 << 20; /* queue bound 1 MiB */
	ep = connect_to_server(&srv, 12, &cfg, &a);
	assert_int_equal(sen_sctp_send(a, 4, SEN_SCTP_PPID_NGAP, "CMD:flood 100", 13), 0);
	sleep(2); /* the loop does not run: the peer has 6 MB to send meanwhile */
	assert_true(run_until(&seen.msgs, 100, 10000));
	assert_int_equal(seen.downs, 0);
	sen_sctp_get_stats(ep, &st);
	assert_int_equal(st.dropped_overload, 0);
	for (unsigned i = 0; i < seen.msgs && i < MAX_RX; i++) { /* all whole, in order */
		assert_int_equal(seen.rx[i].len, 60000);
		assert_int_equal(seen.rx[i].stream, 4);
		assert_int_equal(seen.rx[i].data[59999], 'f');
	}
	print_message("# %u whole messages of 60000 bytes delivered, none dropped\n", seen.msgs);
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_local_abort(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	ep = connect_to_server(&srv, 9, NULL, &a);
	seen.in_abort_call = true;
	assert_int_equal(sen_sctp_abort(a), 0);
	seen.in_abort_call = false;
	assert_int_equal(seen.downs, 0); /* from the loop, not from inside the call */
	assert_int_equal(sen_sctp_abort(a), -SEN_ENOENT);
	assert_int_equal(sen_sctp_send(a, 0, 60, "x", 1), -SEN_ENOENT);
	assert_true(run_until(&seen.downs, 1, 2000));
	assert_int_equal(seen.reason, SEN_SCTP_DOWN_ABORTED);
	assert_false(seen.down_inside_abort);
	run_for(300);
	assert_int_equal(seen.downs, 1);
	sen_sctp_close(ep);
	stop(&srv);
}

static void test_close_in_callback(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	ep = connect_to_server(&srv, 10, NULL, &a);
	seen.ep = ep;
	seen.close_in_msg = true;
	for (int i = 0; i < 20; i++)
		assert_int_equal(sen_sctp_send(a, 1, 60, "ping", 4), 0);
	assert_true(run_until(&seen.msgs, 1, 5000));
	/* closed inside the first message callback: no other callback, ever */
	run_for(500);
	assert_int_equal(seen.msgs, 1);
	assert_int_equal(seen.downs, 0);
	assert_null(seen.ep);
	stop(&srv);
}

/*
 * Send `total` messages "S<i>" of `len` bytes on stream 1 through the pump, as fast as
 * the stack takes them, and check the peer got them all, in order ("CMD:seq").
 */
static void pump_and_check(struct sen_sctp_endpoint *ep, struct sen_sctp_assoc *a,
			   unsigned total, size_t len, unsigned ms)
{
	struct sen_sctp_stats st;
	unsigned got = 0, bad = 0;
	uint64_t t0 = now_ms(), end = t0 + ms;

	memset(&pump, 0, sizeof(pump));
	pump.assoc = a;
	pump.total = total;
	pump.len = len;
	pump_run(); /* a tight loop: stops at the first refusal, the callback goes on */
	while (pump.next < pump.total && !pump.errors && now_ms() < end)
		sen_loop_run_once(loop, 20);
	assert_int_equal(pump.errors, 0);
	assert_int_equal(pump.next, total);
	unsigned want = seen.msgs + 1;
	int err;
	while ((err = sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, "CMD:seq", 7)) == -SEN_EAGAIN &&
	       now_ms() < end)
		sen_loop_run_once(loop, 20);
	assert_int_equal(err, 0);
	assert_true(run_until(&seen.msgs, want, (unsigned)(end > now_ms() ? end - now_ms() : 1)));
	struct rx *r = &seen.rx[want - 1];
	char m[48] = {0};
	memcpy(m, r->data, r->len < 47 ? r->len : 47);
	assert_int_equal(sscanf(m, "R %u %u", &got, &bad), 2);
	sen_sctp_get_stats(ep, &st);
	print_message("# %u messages of %zu bytes in %llu ms: %u refused (-SEN_EAGAIN), %u writable "
		      "callbacks; the peer got %u, %u out of order\n",
		      total, len, (unsigned long long)(now_ms() - t0), pump.eagain, pump.writable,
		      got, bad);
	assert_int_equal(got, total);
	assert_int_equal(bad, 0);
	assert_int_equal(st.send_full, pump.eagain);
	pump.assoc = NULL;
}

/* A small send buffer fills: sends are refused, the writable callback comes, and
 * everything refused and sent afterwards arrives, in order. */
static void test_send_full_then_writable(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct sen_sctp_stats st;
	struct child srv;

	cfg.sndbuf = 4096;
	ep = connect_to_server(&srv, 13, &cfg, &a);
	pump_and_check(ep, a, 400, 500, 20000);
	assert_true(pump.eagain >= 1);
	assert_true(pump.writable >= 1);
	sen_sctp_get_stats(ep, &st);
	assert_int_equal(st.writable, pump.writable);
	sen_sctp_close(ep);
	stop(&srv);
}

/* 50,000 small messages in a tight loop (all UEs de-registering at once): all arrive, in
 * order, with the default buffers. */
static void test_burst_50k(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;

	ep = connect_to_server(&srv, 14, NULL, &a);
	pump_and_check(ep, a, 50000, 60, 25000);
	sen_sctp_close(ep);
	stop(&srv);
}

/* The stack's UDP socket on our port was given 8 MiB buffers (root: past rmem_max). */
static void test_udp_socket_buffers(void **state)
{
	struct sen_sctp_config cfg = base_cfg();
	struct sen_sctp_endpoint *ep;
	int found = 0;

	assert_int_equal(sen_sctp_endpoint_new(&ep, loop, &cfg, &cbs, NULL), 0); /* the stack */
	for (int fd = 0; fd < 1024; fd++) {
		struct sockaddr_in sin;
		socklen_t len = sizeof(sin);
		int type = 0, rb = 0, sb = 0;
		socklen_t il = sizeof(int);
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &il) < 0 || type != SOCK_DGRAM)
			continue;
		if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0 || sin.sin_family != AF_INET ||
		    ntohs(sin.sin_port) != udp_base)
			continue;
		il = sizeof(int);
		assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, &il), 0);
		il = sizeof(int);
		assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sb, &il), 0);
		print_message("# usrsctp UDP socket: SO_RCVBUF %d, SO_SNDBUF %d\n", rb, sb);
		if (geteuid() == 0) {
			assert_true(rb >= 8 << 20);
			assert_true(sb >= 8 << 20);
		}
		found++;
	}
	assert_int_equal(found, 1);
	sen_sctp_close(ep);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

static void test_latency(void **state)
{
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *a;
	struct child srv;
	enum { N = 200 };
	uint64_t rtt[N];
	struct timespec t0, t1;

	ep = connect_to_server(&srv, 11, NULL, &a);
	for (unsigned i = 0; i < N; i++) {
		uint8_t m[64];
		memset(m, (int)i, sizeof(m));
		unsigned want = seen.msgs + 1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		/* A message the peer does not answer, then one it echoes: with Nagle-style
		 * bundling the second waits for the SACK of the first, and with delayed SACK
		 * that SACK comes ~200 ms late (RFC 9260 6.2). Both are off here. */
		m[0] = 'Q';
		assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, m, sizeof(m)), 0);
		m[0] = 'E';
		assert_int_equal(sen_sctp_send(a, 1, SEN_SCTP_PPID_NGAP, m, sizeof(m)), 0);
		assert_true(run_until(&seen.msgs, want, 3000));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		rtt[i] = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000 +
			 (uint64_t)((t1.tv_nsec - t0.tv_nsec) / 1000);
		if (seen.msgs > MAX_RX / 2) { /* keep the record small */
			for (unsigned k = 0; k < seen.msgs && k < MAX_RX; k++)
				free(seen.rx[k].data);
			seen.msgs = 0;
		}
	}
	qsort(rtt, N, sizeof(rtt[0]), cmp_u64);
	print_message("# round trip of 64 bytes over usrsctp/UDP: median %llu us, p90 %llu us, max %llu us\n",
		      (unsigned long long)rtt[N / 2], (unsigned long long)rtt[N * 9 / 10],
		      (unsigned long long)rtt[N - 1]);
	/* a delayed SACK stalls ~200 ms; the median must be far below */
	assert_true(rtt[N / 2] < 20000);
	assert_true(rtt[N * 9 / 10] < 100000);
	sen_sctp_close(ep);
	stop(&srv);
}

/* ---- the kernel back end (registered only when the kernel has SCTP) ---- */

/* One side of an in-process kernel association: what its callbacks saw. */
struct kside {
	unsigned ups, downs, msgs;
	enum sen_sctp_down_reason reason;
	struct sen_sctp_assoc *a;
	uint16_t in, out;
	bool echo;
	struct rx rx[16];
};
static struct kside ks_srv, ks_cli;

static void k_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	struct kside *k = arg;
	k->ups++;
	k->a = a;
	k->in = in;
	k->out = out;
}

static void k_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason r, void *arg)
{
	struct kside *k = arg;
	k->downs++;
	k->reason = r;
	if (k->a == a)
		k->a = NULL;
}

static void k_message(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
		      const uint8_t *data, size_t len, void *arg)
{
	struct kside *k = arg;
	if (k->msgs < 16) {
		struct rx *r = &k->rx[k->msgs];
		r->assoc = a;
		r->stream = stream;
		r->ppid = ppid;
		r->len = len;
		r->data = malloc(len);
		memcpy(r->data, data, len);
	}
	k->msgs++;
	if (k->echo)
		sen_sctp_send(a, stream, ppid, data, len);
}

static const struct sen_sctp_callbacks k_cbs = {
	.up = k_up, .down = k_down, .message = k_message,
};

static void k_reset(void)
{
	struct kside *sides[] = {&ks_srv, &ks_cli};
	for (unsigned s = 0; s < 2; s++) {
		for (unsigned i = 0; i < sides[s]->msgs && i < 16; i++)
			free(sides[s]->rx[i].data);
		memset(sides[s], 0, sizeof(*sides[s]));
	}
}

/* A kernel listener (8 streams, echoing) and a kernel client (16 streams, `ccfg`
 * otherwise) of this process, associated over loopback. */
static void kernel_pair(struct sen_sctp_endpoint **srv, struct sen_sctp_endpoint **cli,
			const struct sen_sctp_config *ccfg, struct sen_sctp_assoc **a)
{
	struct sen_sctp_config scfg = {.transport = SEN_SCTP_KERNEL, .streams = 8};
	struct sen_sctp_config cfg = ccfg ? *ccfg : (struct sen_sctp_config){0};

	k_reset();
	sctp_port++;
	ks_srv.echo = true;
	cfg.transport = SEN_SCTP_KERNEL;
	cfg.streams = 16;
	assert_int_equal(sen_sctp_endpoint_new(srv, loop, &scfg, &k_cbs, &ks_srv), 0);
	assert_int_equal(sen_sctp_endpoint_transport(*srv), SEN_SCTP_KERNEL);
	assert_int_equal(sen_sctp_listen(*srv, ADDR, sctp_port), 0);
	assert_int_equal(sen_sctp_endpoint_new(cli, loop, &cfg, &k_cbs, &ks_cli), 0);
	assert_int_equal(sen_sctp_connect(*cli, ADDR, sctp_port, 5000, a), 0);
	assert_true(run_until(&ks_cli.ups, 1, 5000));
	assert_true(run_until(&ks_srv.ups, 1, 5000));
	assert_ptr_equal(ks_cli.a, *a);
}

/* Up with negotiated streams, messages on every stream with their PPID, a 60 KiB
 * message, then a graceful shutdown seen on both sides. */
static void test_kernel_assoc(void **state)
{
	struct sen_sctp_config cfg = {.pd_point = 4096};
	struct sen_sctp_endpoint *srv, *cli;
	struct sen_sctp_assoc *a;
	char peer[64], want[64];
	size_t big = 60 * 1024;
	uint8_t *b = malloc(big);

	kernel_pair(&srv, &cli, &cfg, &a);
	assert_int_equal(ks_cli.in, 8); /* RFC 9260 5.1.1: min of both */
	assert_int_equal(ks_cli.out, 8);
	assert_int_equal(ks_srv.in, 8);
	assert_int_equal(ks_srv.out, 8);
	snprintf(want, sizeof(want), ADDR ":%u", sctp_port);
	assert_string_equal(sen_sctp_assoc_peer(a, peer, sizeof(peer)), want);
	for (uint16_t st = 0; st < 8; st++) {
		char m[16];
		int n = snprintf(m, sizeof(m), "on %u", st);
		assert_int_equal(sen_sctp_send(a, st, SEN_SCTP_PPID_NGAP, m, (size_t)n), 0);
	}
	assert_int_equal(sen_sctp_send(a, 3, 0x12345678, "other", 5), 0);
	assert_true(run_until(&ks_cli.msgs, 9, 5000));
	unsigned found = 0;
	for (unsigned i = 0; i < 9; i++) {
		struct rx *r = &ks_cli.rx[i];
		char m[16];
		if (r->ppid == 0x12345678) {
			assert_int_equal(r->stream, 3);
			assert_memory_equal(r->data, "other", 5);
			continue;
		}
		assert_int_equal(r->ppid, SEN_SCTP_PPID_NGAP);
		snprintf(m, sizeof(m), "on %u", r->stream);
		assert_int_equal(r->len, strlen(m));
		assert_memory_equal(r->data, m, r->len);
		found |= 1u << r->stream;
	}
	assert_int_equal(found, 0xff);
	assert_int_equal(sen_sctp_send(a, 8, SEN_SCTP_PPID_NGAP, "x", 1), -SEN_ERANGE);
	for (size_t i = 0; i < big; i++)
		b[i] = (uint8_t)(i * 7 + (i >> 8));
	assert_int_equal(sen_sctp_send(a, 2, SEN_SCTP_PPID_NGAP, b, big), 0);
	assert_true(run_until(&ks_cli.msgs, 10, 5000));
	assert_int_equal(ks_cli.rx[9].len, big);
	assert_memory_equal(ks_cli.rx[9].data, b, big);
	free(b);

	assert_int_equal(sen_sctp_shutdown(a), 0);
	assert_true(run_until(&ks_cli.downs, 1, 5000));
	assert_true(run_until(&ks_srv.downs, 1, 5000));
	assert_int_equal(ks_cli.reason, SEN_SCTP_DOWN_SHUTDOWN);
	assert_int_equal(ks_srv.reason, SEN_SCTP_DOWN_SHUTDOWN);
	sen_sctp_close(cli);
	sen_sctp_close(srv);
	k_reset();
}

/* An abort here: down(ABORTED) here, from the loop; down(LOST) at the peer. */
static void test_kernel_abort(void **state)
{
	struct sen_sctp_endpoint *srv, *cli;
	struct sen_sctp_assoc *a;

	kernel_pair(&srv, &cli, NULL, &a);
	assert_int_equal(sen_sctp_abort(a), 0);
	assert_int_equal(ks_cli.downs, 0);
	assert_true(run_until(&ks_cli.downs, 1, 2000));
	assert_int_equal(ks_cli.reason, SEN_SCTP_DOWN_ABORTED);
	assert_true(run_until(&ks_srv.downs, 1, 5000));
	assert_int_equal(ks_srv.reason, SEN_SCTP_DOWN_LOST);
	sen_sctp_close(cli);
	sen_sctp_close(srv);
	k_reset();
}

static bool ports_free(uint16_t base, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(base + i)};
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		int r = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
		close(fd);
		if (r < 0)
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_port_in_use),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_auto_transport),
		cmocka_unit_test(test_assoc_up_and_shutdown),
		cmocka_unit_test(test_other_loopback_address),
		cmocka_unit_test(test_peer_restart),
		cmocka_unit_test(test_streams_and_ppid),
		cmocka_unit_test(test_order_100_per_stream),
		cmocka_unit_test(test_60k_message),
		cmocka_unit_test(test_several_clients),
		cmocka_unit_test(test_peer_shutdown),
		cmocka_unit_test(test_peer_killed),
		cmocka_unit_test(test_peer_exit_mid_association),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_oversize_dropped),
		cmocka_unit_test(test_abort_mid_message),
		cmocka_unit_test(test_flood_throttled),
		cmocka_unit_test(test_local_abort),
		cmocka_unit_test(test_close_in_callback),
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_send_full_then_writable),
		cmocka_unit_test(test_burst_50k),
		cmocka_unit_test(test_udp_socket_buffers),
	};
	/* the kernel back end's cases only where they can run (file comment) */
	const struct CMUnitTest with_kernel[] = {
		cmocka_unit_test(test_kernel_assoc),
		cmocka_unit_test(test_kernel_abort),
	};
	const struct CMUnitTest without_kernel[] = {
		cmocka_unit_test(test_kernel_unavailable),
	};
	/* forging a source address needs CAP_NET_RAW: registered only with it */
	const struct CMUnitTest with_raw[] = {
		cmocka_unit_test(test_forged_source_keeps_local),
	};
	enum { NT = sizeof(tests) / sizeof(tests[0]) };
	struct CMUnitTest all[NT + 3];
	size_t n = 0;
	bool kernel = kernel_has_sctp();
	int rc;

	for (size_t i = 0; i < NT; i++)
		all[n++] = tests[i];
	if (can_raw())
		all[n++] = with_raw[0];
	if (kernel)
		for (size_t i = 0; i < 2; i++)
			all[n++] = with_kernel[i];
	else
		all[n++] = without_kernel[0];

	if (argc < 2) {
		fprintf(stderr, "usage: test-sctp PATH/TO/sctp-peer\n");
		return 2;
	}
	peer_exe = argv[1];
	/* 40 free UDP ports per run, somewhere in 20000..59999, starting from the pid */
	for (unsigned k = 0; k < 1000; k++) {
		udp_base = (uint16_t)(20000 + ((unsigned)getpid() + k) % 1000 * 40);
		if (ports_free(udp_base, 40))
			break;
	}
	sen_log_set_levels(getenv("SEN_SCTP_LOG") ? getenv("SEN_SCTP_LOG") : "off");
	if (getenv("SEN_SCTP_TEST"))
		cmocka_set_test_filter(getenv("SEN_SCTP_TEST"));
	signal(SIGPIPE, SIG_IGN);
	if (sen_loop_new(&loop))
		return 2;
	rc = _cmocka_run_group_tests("sctp", all, n, NULL, NULL);
	reset_seen();
	sen_loop_free(loop);
	return rc;
}
