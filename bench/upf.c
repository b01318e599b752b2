/*
 * bench-upf: sen-upf user-plane throughput per core (issue 8, "bench/up"), against a null
 * forwarder on the identical I/O path, in a private network namespace (run as root).
 *
 * Uplink:   a generator thread sends G-PDUs (PDU Session Container, QFI 9) with sendmmsg()
 *           to the UPF's N3 socket on 127.0.0.1:2152; the UPF thread runs the real data
 *           plane (src/upf/dp.c: recvmmsg, parse, PDR by TEID, QER, FAR, write to TUN).
 * Downlink: a generator thread sends UDP packets to UE addresses routed into the TUN; the
 *           UPF thread reads them from the TUN, finds the PDR by UE IP, pushes GTP-U + PSC
 *           and sendmmsg()s them to a sink socket playing the gNB.
 * Baseline: the same dp code in null-forwarder mode (dp->null_fwd): receive, no GTP-U
 *           parsing and no rule lookup, send; same syscalls, same buffers.
 *
 * Figures: packets and bits per CPU-second of the UPF thread (CLOCK_THREAD_CPUTIME_ID, so
 * the generator's CPU does not count), for 64/512/1400-octet inner IP packets, with 1 and
 * 10,000 sessions. Each pair (sen-upf, null) runs in alternating slices and the ratio is the
 * median of the per-pair ratios. Also a pure-CPU figure for the DL rule lookup + encap.
 *
 * Usage: bench-upf [-t SECONDS_PER_ITEM] [-q] [-c CPU]
 */
#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "dp.h"
#include "gtpu/gtpu.h"
#include "tun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLICES	  6
#define N3_PORT	  2152
#define SINK_PORT 2153

static struct upf_ctx ctx;
static struct upf_dp dp;
static int n3_fd, tun_fd, sink_fd;
static struct upf_assoc *assoc;
static uint32_t *ul_teids; /* per session */
static unsigned n_sessions;

static double now_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-upf: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A private network namespace with lo up: nothing here touches the host's network. */
static void own_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET) (run as root)");
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, IFNAMSIZ, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("lo up");
	close(s);
}

static int udp_socket(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), sz = 8 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return fd;
}

static uint32_t ue_ip(unsigned i)
{
	return htonl(0x0a2d0000u + 2 + i); /* 10.45.0.2 + i */
}

/* n sessions, each: UL PDR (CHOOSE) + DL PDR (UE IP), FAR to N6 and to the gNB, QER QFI 9. */
static void make_sessions(unsigned n)
{
	static struct sen_pfcp_session_establishment_request r;
	struct upf_fail f;

	free(ul_teids);
	ul_teids = calloc(n, sizeof(*ul_teids));
	for (unsigned i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		r.node_id = assoc->node_id;
		r.cp_fseid.flags = SEN_PFCP_FSEID_V4;
		r.cp_fseid.seid = i + 1;
		r.n_create_pdr = 2;
		r.create_pdr[0].pdr_id = 1;
		r.create_pdr[0].has_far_id = true;
		r.create_pdr[0].far_id = 1;
		r.create_pdr[0].has_ohr = true;
		r.create_pdr[0].n_qer_id = 1;
		r.create_pdr[0].qer_id[0] = 1;
		r.create_pdr[0].pdi.source_interface = SEN_PFCP_IF_ACCESS;
		r.create_pdr[0].pdi.has_local_fteid = true;
		r.create_pdr[0].pdi.local_fteid.flags = SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_V4;
		r.create_pdr[1] = r.create_pdr[0];
		r.create_pdr[1].pdr_id = 2;
		r.create_pdr[1].far_id = 2;
		r.create_pdr[1].has_ohr = false;
		r.create_pdr[1].pdi.source_interface = SEN_PFCP_IF_CORE;
		r.create_pdr[1].pdi.has_local_fteid = false;
		r.create_pdr[1].pdi.n_ue_ip = 1;
		r.create_pdr[1].pdi.ue_ip[0].flags = SEN_PFCP_UEIP_V4 | SEN_PFCP_UEIP_SD;
		uint32_t ip = ue_ip(i);
		memcpy(r.create_pdr[1].pdi.ue_ip[0].ipv4, &ip, 4);
		r.n_create_far = 2;
		r.create_far[0].far_id = 1;
		r.create_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
		r.create_far[0].has_fwd = true;
		r.create_far[0].fwd.destination_interface = SEN_PFCP_IF_CORE;
		r.create_far[1].far_id = 2;
		r.create_far[1].apply_action.bits = SEN_PFCP_AA_FORW;
		r.create_far[1].has_fwd = true;
		r.create_far[1].fwd.destination_interface = SEN_PFCP_IF_ACCESS;
		r.create_far[1].fwd.has_ohc = true;
		r.create_far[1].fwd.ohc.desc = SEN_PFCP_OHC_GTPU_UDP_IPV4;
		r.create_far[1].fwd.ohc.teid = 0x100000 + i;
		r.create_far[1].fwd.ohc.ipv4[0] = 127;
		r.create_far[1].fwd.ohc.ipv4[3] = 1;
		r.n_create_qer = 1;
		r.create_qer[0].qer_id = 1;
		r.create_qer[0].has_qfi = true;
		r.create_qer[0].qfi = 9;
		struct upf_sess *s = upf_sess_create(&ctx, assoc, &r, &f);
		if (!s) {
			fprintf(stderr, "bench-upf: session %u: %s\n", i, f.why);
			exit(1);
		}
		/* The FAR's peer port is 2152; the bench's gNB sink listens on 2153. */
		s->r.far[1].peer.sin_port = htons(SINK_PORT);
		ul_teids[i] = s->r.pdr[0].teid;
	}
	n_sessions = n;
}

static void del_sessions(void)
{
	upf_ctx_fini(&ctx);
	upf_ctx_init(&ctx, (struct in_addr){ htonl(INADDR_LOOPBACK) });
	struct sen_pfcp_node_id nid = { .type = SEN_PFCP_NODE_IPV4, .ipv4 = { 127, 0, 0, 1 } };
	bool created;
	assoc = upf_assoc_get(&ctx, &nid, &created);
}

/* ---- generators ---- */

struct gen {
	pthread_t th;
	atomic_bool stop;
	bool ul;
	size_t size; /* inner IP packet */
	uint64_t sent;
};

static void ip_header(uint8_t *p, size_t len, uint32_t src, uint32_t dst)
{
	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	p[20] = 0x30; /* UDP ports 12345 -> 9 */
	p[21] = 0x39;
	p[23] = 9;
	p[24] = (uint8_t)((len - 20) >> 8);
	p[25] = (uint8_t)(len - 20);
}

static void *gen_main(void *arg)
{
	struct gen *g = arg;
	enum { B = 32, POOL = 1024 };
	size_t stride = g->size + 64;
	unsigned pool = n_sessions < POOL ? n_sessions : POOL;
	uint8_t *mem = calloc(pool, stride);
	struct mmsghdr m[B];
	struct iovec iov[B];
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), sz = 8 << 20;
	unsigned next = 0;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	/* Prebuilt packets, one per session (the first POOL sessions, then they rotate). */
	uint8_t **pkt = calloc(pool, sizeof(*pkt));
	size_t *plen = calloc(pool, sizeof(*plen));
	for (unsigned i = 0; i < pool; i++) {
		uint8_t *ip = mem + i * stride + 16;
		ip_header(ip, g->size, ue_ip(i), htonl(0x0ac80001)); /* to 10.200.0.1 */
		if (g->ul) {
			pkt[i] = sen_gtpu_push_gpdu(ip, 16, g->size, ul_teids[i], SEN_GTPU_PSC_UL,
						    9, false);
			plen[i] = g->size + 16;
		} else {
			pkt[i] = ip + 28; /* the UDP payload; the kernel adds the headers */
			plen[i] = g->size - 28;
		}
	}
	memset(m, 0, sizeof(m));
	while (!atomic_load_explicit(&g->stop, memory_order_relaxed)) {
		uint32_t dst_ip[B];
		struct sockaddr_in dsts[B];
		for (unsigned k = 0; k < B; k++) {
			unsigned i = next++ % pool;
			iov[k].iov_base = pkt[i];
			iov[k].iov_len = plen[i];
			m[k].msg_hdr.msg_iov = &iov[k];
			m[k].msg_hdr.msg_iovlen = 1;
			dsts[k] = to;
			if (g->ul) {
				dsts[k].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
				dsts[k].sin_port = htons(N3_PORT);
			} else {
				dst_ip[k] = ue_ip(i);
				dsts[k].sin_addr.s_addr = dst_ip[k];
				dsts[k].sin_port = htons(9);
			}
			m[k].msg_hdr.msg_name = &dsts[k];
			m[k].msg_hdr.msg_namelen = sizeof(dsts[k]);
		}
		int n = sendmmsg(fd, m, B, 0);
		if (n > 0)
			g->sent += (uint64_t)n;
	}
	close(fd);
	free(pkt);
	free(plen);
	free(mem);
	return NULL;
}

/* ---- one measurement slice ---- */

struct result {
	double pkts, cpu, wall, sent;
};

static void drain(void)
{
	uint8_t b[65536];

	while (recv(n3_fd, b, sizeof(b), MSG_DONTWAIT) > 0 || read(tun_fd, b, sizeof(b)) > 0)
		;
}

static struct result run_slice(bool ul, bool null_fwd, size_t size, double secs)
{
	struct gen g = { .ul = ul, .size = size };
	struct result r = { 0 };

	dp.null_fwd = null_fwd;
	drain();
	memset(&dp.total, 0, sizeof(dp.total));
	atomic_store(&g.stop, false);
	pthread_create(&g.th, NULL, gen_main, &g);
	usleep(20000); /* let the generator fill the queue */
	double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	uint64_t p0 = ul ? dp.total.ul_pkts : dp.total.dl_pkts;
	struct pollfd pf = { .fd = ul ? n3_fd : tun_fd, .events = POLLIN };
	while (now_s(CLOCK_MONOTONIC) - w0 < secs) {
		int n = ul ? upf_dp_n3_input(&dp) : upf_dp_tun_input(&dp);
		if (n <= 0)
			poll(&pf, 1, 5);
	}
	r.cpu = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	r.wall = now_s(CLOCK_MONOTONIC) - w0;
	r.pkts = (double)((ul ? dp.total.ul_pkts : dp.total.dl_pkts) - p0);
	atomic_store(&g.stop, true);
	pthread_join(g.th, NULL);
	r.sent = (double)g.sent;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void item(bool ul, size_t size, double secs)
{
	struct result sum[2] = { 0 };
	double ratio[SLICES];

	for (int s = 0; s < SLICES; s++) {
		struct result a = run_slice(ul, false, size, secs / SLICES);
		struct result b = run_slice(ul, true, size, secs / SLICES);
		for (int k = 0; k < 2; k++) {
			struct result *x = k ? &b : &a;
			sum[k].pkts += x->pkts;
			sum[k].cpu += x->cpu;
			sum[k].wall += x->wall;
			sum[k].sent += x->sent;
		}
		ratio[s] = (a.pkts / a.cpu) / (b.pkts / b.cpu);
	}
	qsort(ratio, SLICES, sizeof(ratio[0]), cmp_double);
	for (int k = 0; k < 2; k++) {
		double pps = sum[k].pkts / sum[k].cpu;
		printf("| %s | %5zu | %6u | %-8s | %6.3f | %6.2f | %5.2f | %5.0f%% |", ul ? "UL" : "DL",
		       size, n_sessions, k ? "null" : "sen-upf", pps / 1e6, pps * 8 * (double)size / 1e9,
		       sum[k].pkts / sum[k].wall / 1e6, 100 * sum[k].cpu / sum[k].wall);
		if (k == 0)
			printf(" %.2f |\n", (ratio[SLICES / 2 - 1] + ratio[SLICES / 2]) / 2);
		else
			printf(" |\n");
	}
	fflush(stdout);
}

/* Pure CPU: DL lookup + encapsulation, no syscalls. */
static void cpu_only(size_t size)
{
	enum { N = 1024 };
	uint8_t *mem = malloc((size_t)N * (size + UPF_HEADROOM));
	uint8_t *out;
	size_t out_len;
	const struct sockaddr_in *to;
	uint64_t done = 0;

	for (unsigned i = 0; i < N; i++)
		ip_header(mem + i * (size + UPF_HEADROOM) + UPF_HEADROOM, size, htonl(0x0ac80001),
			  ue_ip(i % n_sessions));
	double c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	while (now_s(CLOCK_THREAD_CPUTIME_ID) - c0 < 0.3)
		for (unsigned i = 0; i < N; i++)
			done += (uint64_t)upf_dp_dl_packet(
			    &dp, mem + i * (size + UPF_HEADROOM) + UPF_HEADROOM, size, &out,
			    &out_len, &to);
	double c = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	printf("| DL rule lookup + GTP-U/PSC push only (no I/O) | %u sessions | %.1f ns/packet |\n",
	       n_sessions, c * 1e9 / (double)done);
	memset(&dp.st, 0, sizeof(dp.st));
	free(mem);
}

int main(int argc, char **argv)
{
	double secs = 1.2;
	int cpu = -1;
	char err[256];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "-q"))
			secs = 0.12;
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			cpu = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: bench-upf [-t seconds-per-item] [-q] [-c cpu]\n");
			return 2;
		}
	}
	sen_log_set_level(SEN_LOG_WARN);
	own_netns();
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	struct upf_subnet sn = { .gw = { htonl(0x0a2d0001) }, .len = 16 };
	tun_fd = upf_tun_open("senbench0", 1500, &sn, 1, err, sizeof(err));
	if (tun_fd < 0) {
		fprintf(stderr, "bench-upf: %s\n", err);
		return 1;
	}
	n3_fd = udp_socket(N3_PORT);
	sink_fd = udp_socket(SINK_PORT);
	int small = 4096;
	setsockopt(sink_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)); /* drop early */
	del_sessions();
	if (upf_dp_init(&dp, &ctx, n3_fd, tun_fd, (struct in_addr){ htonl(INADDR_LOOPBACK) },
			1500) < 0)
		return 1;
	dp.null_peer = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(SINK_PORT),
					     .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	printf("bench-upf: %.2f s per item, %d alternating slices; per core = per CPU-second of "
	       "the UPF thread\n\n", secs, SLICES);
	printf("| dir | bytes | sessions | path | Mpps/core | Gbit/s/core | Mpps wall | UPF CPU | "
	       "ratio to null |\n|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
	static const unsigned sess[] = { 1, 10000 };
	static const size_t sizes[] = { 64, 512, 1400 };
	for (unsigned s = 0; s < 2; s++) {
		del_sessions();
		dp.ctx = &ctx;
		make_sessions(sess[s]);
		for (int dir = 0; dir < 2; dir++)
			for (unsigned z = 0; z < 3; z++)
				item(dir == 0, sizes[z], secs);
	}
	printf("\n");
	for (unsigned s = 0; s < 2; s++) {
		del_sessions();
		dp.ctx = &ctx;
		make_sessions(sess[s]);
		cpu_only(512);
	}
	upf_dp_fini(&dp);
	upf_ctx_fini(&ctx);
	free(ul_teids);
	close(n3_fd);
	close(sink_fd);
	close(tun_fd);
	return 0;
}
