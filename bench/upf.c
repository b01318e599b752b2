/*
 * bench-upf: sen-upf user-plane throughput per worker core (issue 8, "bench/up"), against a
 * null forwarder on the identical I/O path (run as root).
 *
 * Topology: two network namespaces the bench creates (unshare) and that vanish with it,
 * joined by a veth pair:
 *
 *   "ran/dn" netns                                  "upf" netns
 *   v-ran 10.99.0.1 ---------- veth ---------- v-upf 10.99.0.2 (N3, port 2152)
 *   lo 10.200.0.1 (DN sink, UDP 9)                  senbup0 TUN 10.45.0.1/16 (N6)
 *   gNB sink 10.99.0.1:2152                         ip_forward=1
 *   route 10.45.0.0/16 via 10.99.0.2                route 10.200.0.0/24 via 10.99.0.1
 *
 * The UPF holds 10,000 sessions; the traffic goes to the first one ("1 session") or cycles
 * through all 10,000 ("10,000 sessions").
 * UL: the generator sends G-PDUs (PDU Session Container, QFI 9) to N3, each with the TEID
 *     and inner source address of its session; a worker decapsulates into the TUN; the
 *     kernel routes the inner packet (UE -> 10.200.0.1:9) back over the veth to the DN sink.
 * DL: the generator sends UDP to the sessions' UE addresses; the upf netns routes them into
 *     the TUN; a worker encapsulates and sends GTP-U to the gNB sink (10.99.0.1:2152).
 * The UPF side is the daemon's own machinery: upf_n3_open() (SO_REUSEPORT + TEID steering),
 * upf_tun_open_mq() (one TUN queue per worker) and upf_workers_start() (src/upf/workers.c),
 * with 1 and 2 workers. The null forwarder is the same workers with dp.null_fwd set (under
 * each worker's lock): receive, no GTP-U parsing and no rule lookup, send. Per direction and
 * size, rounds of four slices ({sen-upf, null} x {1, 10,000 sessions}, order rotated) give
 * the ratios to null and 10,000 / 1 as medians of per-round ratios.
 *
 * Figures: packets and inner-IP bits per CPU-second of the worker threads (their thread CPU
 * clocks: on 2 vCPUs the generator and the sinks compete for the CPUs), wall-clock rate,
 * the user-space share of the workers' CPU, and loss = sent - received at the sinks after
 * the queues drained, split into where the kernel counted the drops (N3 socket, TUN queue,
 * sink socket; the rest: veth backlog). Headline rows go to bench_summary() (summary.h).
 *
 * Usage: bench-upf [-t SECONDS_PER_DIRECTION_AND_SIZE] [-q] [-w 1|2] [-s 1|10000]
 *                  [-d ul|dl] [-b 64|512|1400]
 */
#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "dp.h"
#include "gtpu/gtpu.h"
#include "summary.h"
#include "tun.h"
#include "workers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#define ROUNDS	  4 /* rounds per item, each: {sen-upf, null} x {1, 10,000 sessions} */
#define MAXW	  2
#define N3_PORT	  2152
#define DN_PORT	  9
#define RAN_IP	  0x0a630001u /* 10.99.0.1: generator, gNB sink */
#define UPF_IP	  0x0a630002u /* 10.99.0.2: N3 */
#define DN_IP	  0x0ac80001u /* 10.200.0.1: DN sink */
#define TUN_NAME  "senbup0"
#define GEN_BATCH 32
#define GEN_PORT  40000

static int ns_orig = -1, ns_ran = -1, ns_upf = -1;
static int snmp_ran = -1, snmp_upf = -1, dev_upf = -1; /* /proc/net files of each netns */

static struct upf_ctx ctx;
static struct upf_workers ws;
static unsigned n_workers;
static int n3_fds[MAXW], tun_fds[MAXW];
static int w_stat[MAXW]; /* /proc/self/task/TID/stat of each worker: user and system time */
static int ksoftirqd[8], n_ksoftirqd; /* /proc/PID/stat of the ksoftirqd/N kernel threads */
static uint32_t *ul_teids; /* per session */
static unsigned n_sessions; /* in the UPF's tables */

static _Atomic uint64_t sink_ul, sink_dl; /* datagrams at the DN sink / the gNB sink */
static atomic_bool sink_stop;

static void die(const char *what)
{
	fprintf(stderr, "bench-upf: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	nanosleep(&ts, NULL);
}

/* ---- namespaces ---- */

static void enter(int ns)
{
	if (setns(ns, CLONE_NEWNET) < 0)
		die("setns");
}

static int this_ns(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("/proc/thread-self/ns/net");
	return fd;
}

/* Run a shell command in the calling thread's netns (fork copies it). */
__attribute__((format(printf, 1, 2))) static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench-upf: failed: %s\n", cmd);
		exit(1);
	}
}

static int proc_net(const char *file)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	return fd;
}

/*
 * Two fresh namespaces joined by a veth pair (see the top of the file). Each is held only by
 * an fd of this process, so they disappear when it exits, however it exits.
 */
static void make_topology(void)
{
	ns_orig = this_ns();
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET) (run as root)");
	ns_upf = open("/proc/thread-self/ns/net", O_RDONLY); /* not CLOEXEC: ip opens it */
	sh("ip link set lo up");
	enter(ns_orig);
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET)");
	ns_ran = this_ns();
	sh("ip link set lo up && ip addr add 10.200.0.1/32 dev lo && "
	   "ip link add v-ran type veth peer name v-upf netns /proc/%d/fd/%d && "
	   "ip addr add 10.99.0.1/24 dev v-ran && ip link set v-ran up && "
	   "ip route add 10.45.0.0/16 via 10.99.0.2",
	   (int)getpid(), ns_upf);
	snmp_ran = proc_net("snmp");
	enter(ns_upf);
	sh("ip addr add 10.99.0.2/24 dev v-upf && ip link set v-upf up && "
	   "ip route add 10.200.0.0/24 via 10.99.0.1 && "
	   "sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 "
	   "net.ipv4.conf.default.rp_filter=0");
	snmp_upf = proc_net("snmp");
	dev_upf = proc_net("dev");
	/* The first packets must not wait for ARP: resolve 10.99.0.1 <-> 10.99.0.2 now. */
	sh("ping -c 1 -W 2 10.99.0.1 >/dev/null");
}

static size_t read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t k;

	lseek(fd, 0, SEEK_SET);
	while (n + 1 < cap && (k = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = 0;
	return n;
}

/* Udp RcvbufErrors of a netns (/proc/net/snmp: the second "Udp:" line, 5th value). */
static uint64_t udp_rcvbuf_errors(int fd)
{
	char buf[8192];
	unsigned long long v[5] = { 0 };

	read_all(fd, buf, sizeof(buf));
	char *p = strstr(buf, "\nUdp:");
	if (p && (p = strstr(p + 1, "\nUdp:")))
		sscanf(p + 5, "%llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4]);
	return v[4];
}

/* The TUN's transmit drops (packets the kernel could not queue for the workers). */
static uint64_t tun_tx_drops(void)
{
	char buf[8192];
	unsigned long long v[12] = { 0 };

	read_all(dev_upf, buf, sizeof(buf));
	char *p = strstr(buf, TUN_NAME ":");
	if (p)
		sscanf(p + sizeof(TUN_NAME), "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
		       &v[11]);
	return v[11];
}

/* ---- sessions ---- */

static uint32_t ue_ip(unsigned i)
{
	return htonl(0x0a2d0000u + 2 + i); /* 10.45.0.2 + i */
}

/* n sessions, each: UL PDR (CHOOSE) + DL PDR (UE IP), FAR to N6 and to the gNB, QER QFI 9. */
static void make_sessions(unsigned n)
{
	static struct sen_pfcp_session_establishment_request r;
	struct sen_pfcp_node_id nid = { .type = SEN_PFCP_NODE_IPV4, .ipv4 = { 10, 99, 0, 1 } };
	struct upf_fail f;
	bool created;

	if (upf_ctx_init(&ctx, (struct in_addr){ htonl(UPF_IP) }) < 0)
		die("upf_ctx_init");
	struct upf_assoc *assoc = upf_assoc_get(&ctx, &nid, &created);
	free(ul_teids);
	ul_teids = calloc(n, sizeof(*ul_teids));
	if (!assoc || !ul_teids)
		die("sessions");
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
		uint32_t ip = ue_ip(i);
		/* Both PDRs carry the UE address: UL anti-spoofing is on, as in a real session. */
		for (int k = 0; k < 2; k++) {
			r.create_pdr[k].pdi.n_ue_ip = 1;
			r.create_pdr[k].pdi.ue_ip[0].flags =
			    SEN_PFCP_UEIP_V4 | (k ? SEN_PFCP_UEIP_SD : 0);
			memcpy(r.create_pdr[k].pdi.ue_ip[0].ipv4, &ip, 4);
		}
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
		r.create_far[1].fwd.ohc.ipv4[0] = 10; /* the gNB sink, 10.99.0.1:2152 */
		r.create_far[1].fwd.ohc.ipv4[1] = 99;
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
		ul_teids[i] = s->r.pdr[0].teid;
	}
	n_sessions = n;
}

/* ---- the UPF: the daemon's sockets, TUN queues and worker threads ---- */

static void find_workers(void);

static void upf_start(unsigned nw)
{
	struct sockaddr_in n3 = { .sin_family = AF_INET, .sin_port = htons(N3_PORT),
				  .sin_addr.s_addr = htonl(UPF_IP) };
	struct upf_subnet sn = { .gw = { htonl(0x0a2d0001) }, .len = 16 };
	char err[256];

	enter(ns_upf); /* sockets and the TUN belong to the netns they are created in */
	if (upf_tun_open_mq(TUN_NAME, 1500, &sn, 1, nw, tun_fds, err, sizeof(err)) < 0 ||
	    upf_n3_open(&n3, nw, n3_fds, err, sizeof(err)) < 0 ||
	    upf_workers_start(&ws, &ctx, nw, n3_fds, tun_fds, (struct in_addr){ htonl(UPF_IP) },
			      1500, NULL, NULL, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench-upf: %s\n", err);
		exit(1);
	}
	n_workers = nw;
	for (unsigned i = 0; i < nw; i++) {
		pthread_mutex_lock(&ctx.locks[i].m);
		ws.w[i].dp.null_peer = (struct sockaddr_in){ .sin_family = AF_INET,
							    .sin_port = htons(N3_PORT),
							    .sin_addr.s_addr = htonl(RAN_IP) };
		pthread_mutex_unlock(&ctx.locks[i].m);
	}
	enter(ns_orig);
	find_workers();
}

/* The workers name themselves upf-dp0, upf-dp1, ... (workers.c): find their stat files. */
static void find_workers(void)
{
	for (int tries = 0; tries < 100; tries++) {
		unsigned found = 0;
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char path[300], comm[32] = "";
			unsigned i;
			snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
			FILE *f = fopen(path, "r");
			if (!f)
				continue;
			if (fgets(comm, sizeof(comm), f) && sscanf(comm, "upf-dp%u", &i) == 1 &&
			    i < n_workers) {
				snprintf(path, sizeof(path), "/proc/self/task/%s/stat", e->d_name);
				w_stat[i] = open(path, O_RDONLY | O_CLOEXEC);
				found++;
			}
			fclose(f);
		}
		if (d)
			closedir(d);
		if (found == n_workers)
			return;
		for (unsigned i = 0; i < n_workers; i++)
			if (w_stat[i] > 0)
				close(w_stat[i]);
		memset(w_stat, 0, sizeof(w_stat));
		sleep_s(0.01);
	}
	fprintf(stderr, "bench-upf: cannot find the worker threads\n");
	exit(1);
}

/*
 * Softirq work (forwarding, veth, delivery) normally runs in the context of the thread whose
 * syscall raised it, and so counts in the workers' CPU clocks; when softirqs pile up the
 * kernel defers them to ksoftirqd/N, whose time the workers' clocks then miss. The bench
 * prints ksoftirqd's CPU during each item so that this shows.
 */
static void find_ksoftirqd(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d)) && n_ksoftirqd < 8) {
		char path[300], comm[32] = "";
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "ksoftirqd/", 10)) {
			snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				ksoftirqd[n_ksoftirqd++] = fd;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
}

/* utime and stime of a thread, in clock ticks (proc(5): fields 14 and 15). */
static void thread_times(int fd, uint64_t *ut, uint64_t *st)
{
	char buf[1024];
	unsigned long long u = 0, s = 0;

	read_all(fd, buf, sizeof(buf));
	char *p = strrchr(buf, ')'); /* after the name: state is field 3 */
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &u, &s);
	*ut = u;
	*st = s;
}

static void upf_stop(void)
{
	upf_workers_free(&ws);
	for (unsigned i = 0; i < n_workers; i++) {
		close(w_stat[i]);
		w_stat[i] = 0;
		close(n3_fds[i]);
		close(tun_fds[i]);
	}
	upf_ctx_fini(&ctx);
}

/* Switch every worker between sen-upf and the null forwarder, between two of its batches. */
static void set_null(bool on)
{
	for (unsigned i = 0; i < n_workers; i++) {
		pthread_mutex_lock(&ctx.locks[i].m);
		ws.w[i].dp.null_fwd = on;
		pthread_mutex_unlock(&ctx.locks[i].m);
	}
}

/* ---- generator and sinks (in the ran/dn netns) ---- */

struct gen {
	pthread_t th;
	atomic_bool stop;
	bool ul;
	size_t size;	 /* inner IP packet */
	unsigned active; /* sessions the traffic cycles through: 0 .. active-1 */
	_Atomic uint64_t sent;
};

static void ip_csum(uint8_t *ip)
{
	uint32_t s = 0;

	ip[10] = ip[11] = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	ip[10] = (uint8_t)(~s >> 8);
	ip[11] = (uint8_t)~s;
}

/* IPv4 + UDP (12345 -> 9, checksum 0) of `len` octets from src to dst. */
static void ip_udp(uint8_t *p, size_t len, uint32_t src, uint32_t dst)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	p[20] = 0x30;
	p[21] = 0x39;
	p[23] = DN_PORT;
	p[24] = (uint8_t)((len - 20) >> 8);
	p[25] = (uint8_t)(len - 20);
	ip_csum(p);
}

/*
 * As fast as it goes: batches of GEN_BATCH with sendmmsg(), session after session through
 * the first g->active sessions (UL: the TEID in the GTP-U header and the UE address as
 * inner source; DL: the UE address as destination).
 */
static void *gen_main(void *arg)
{
	struct gen *g = arg;
	enum { SLOT = 2048 };
	uint8_t *mem = calloc(GEN_BATCH, SLOT);
	struct mmsghdr m[GEN_BATCH];
	struct iovec iov[GEN_BATCH];
	struct sockaddr_in dst[GEN_BATCH];
	struct sockaddr_in n3 = { .sin_family = AF_INET, .sin_port = htons(N3_PORT),
				  .sin_addr.s_addr = htonl(UPF_IP) };
	unsigned next = 0;
	int sz = 8 << 20;

	enter(ns_ran);
	/* A fixed source port: one DL flow always hashes to the same TUN queue. */
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(GEN_PORT),
				   .sin_addr.s_addr = htonl(RAN_IP) };
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || !mem || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("generator");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	memset(m, 0, sizeof(m));
	for (unsigned k = 0; k < GEN_BATCH; k++) {
		uint8_t *ip = mem + k * SLOT + 64;
		ip_udp(ip, g->size, ue_ip(0), htonl(DN_IP));
		if (g->ul) {
			iov[k].iov_base =
			    sen_gtpu_push_gpdu(ip, 64, g->size, 0, SEN_GTPU_PSC_UL, 9, false);
			iov[k].iov_len = g->size + SEN_GTPU_GPDU_HDR_PSC;
			dst[k] = n3;
		} else {
			iov[k].iov_base = ip + 28; /* the UDP payload; the kernel adds the headers */
			iov[k].iov_len = g->size - 28;
			dst[k] = (struct sockaddr_in){ .sin_family = AF_INET,
						       .sin_port = htons(DN_PORT) };
		}
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
		m[k].msg_hdr.msg_name = &dst[k];
		m[k].msg_hdr.msg_namelen = sizeof(dst[k]);
	}
	while (!atomic_load_explicit(&g->stop, memory_order_relaxed)) {
		for (unsigned k = 0; k < GEN_BATCH; k++) {
			unsigned i = next;
			next = next + 1 == g->active ? 0 : next + 1;
			if (g->ul) {
				uint8_t *h = iov[k].iov_base, *ip = h + SEN_GTPU_GPDU_HDR_PSC;
				uint32_t teid = htonl(ul_teids[i]), src = ue_ip(i);
				memcpy(h + 4, &teid, 4);
				memcpy(ip + 12, &src, 4);
				ip_csum(ip);
			} else {
				dst[k].sin_addr.s_addr = ue_ip(i);
			}
		}
		int n = sendmmsg(fd, m, GEN_BATCH, 0);
		if (n > 0)
			atomic_fetch_add_explicit(&g->sent, (uint64_t)n, memory_order_relaxed);
	}
	close(fd);
	free(mem);
	return NULL;
}

static int sink_socket(uint32_t addr, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(addr) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), sz = 16 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("sink bind");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	return fd;
}

/* Counts datagrams at the DN sink and the gNB sink; reads only their first 64 octets. */
static void *sink_main(void *arg)
{
	enum { B = 64 };
	static uint8_t buf[B][64];
	struct mmsghdr m[B];
	struct iovec iov[B];

	(void)arg;
	enter(ns_ran);
	struct pollfd pf[2] = { { .fd = sink_socket(DN_IP, DN_PORT), .events = POLLIN },
				{ .fd = sink_socket(RAN_IP, N3_PORT), .events = POLLIN } };
	memset(m, 0, sizeof(m));
	for (int k = 0; k < B; k++) {
		iov[k] = (struct iovec){ buf[k], sizeof(buf[k]) };
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
	}
	while (!atomic_load_explicit(&sink_stop, memory_order_relaxed)) {
		if (poll(pf, 2, 20) <= 0)
			continue;
		for (int s = 0; s < 2; s++) {
			int n;
			while ((n = recvmmsg(pf[s].fd, m, B, MSG_DONTWAIT, NULL)) > 0)
				atomic_fetch_add_explicit(s ? &sink_dl : &sink_ul, (uint64_t)n,
							  memory_order_relaxed);
		}
	}
	close(pf[0].fd);
	close(pf[1].fd);
	return NULL;
}

/* ---- measurement ---- */

struct snap {
	double wall, cpu[MAXW];
	uint64_t pkts[MAXW], ut[MAXW], st[MAXW];
	uint64_t softirqd; /* ksoftirqd's time, ticks */
};

static void take(struct snap *s, bool ul)
{
	s->wall = now_s(CLOCK_MONOTONIC);
	s->softirqd = 0;
	for (int i = 0; i < n_ksoftirqd; i++) {
		uint64_t u, st;
		thread_times(ksoftirqd[i], &u, &st);
		s->softirqd += u + st;
	}
	for (unsigned i = 0; i < n_workers; i++) {
		clockid_t c;
		pthread_getcpuclockid(ws.w[i].th, &c);
		s->cpu[i] = now_s(c);
		thread_times(w_stat[i], &s->ut[i], &s->st[i]);
		pthread_mutex_lock(&ctx.locks[i].m);
		s->pkts[i] = ul ? ws.w[i].dp.total.ul_pkts : ws.w[i].dp.total.dl_pkts;
		pthread_mutex_unlock(&ctx.locks[i].m);
	}
}

struct result {
	double pkts, cpu, wall;	  /* forwarded by the workers in the window, their CPU */
	double wpkts[MAXW];	  /* per worker */
	double sent, recv;	  /* whole slice, after the drain */
	double d_n3, d_tun, d_sink; /* drops counted by the kernel */
	double ut, st;		    /* workers' user and system time (ticks) */
	double softirqd;	    /* ksoftirqd's time in the window (ticks) */
};

static struct result run_slice(bool ul, bool null_fwd, unsigned active, size_t size,
			       double secs)
{
	struct gen g = { .ul = ul, .size = size, .active = active };
	struct result r = { 0 };
	struct snap a, b;
	_Atomic uint64_t *sink = ul ? &sink_ul : &sink_dl;

	set_null(null_fwd);
	uint64_t r0 = atomic_load(sink), n30 = udp_rcvbuf_errors(snmp_upf),
		 s0 = udp_rcvbuf_errors(snmp_ran), t0 = tun_tx_drops();
	pthread_create(&g.th, NULL, gen_main, &g);
	sleep_s(0.03); /* warm-up: queues fill, caches settle */
	take(&a, ul);
	sleep_s(secs);
	take(&b, ul);
	atomic_store(&g.stop, true);
	pthread_join(g.th, NULL);
	/* Drain: until neither the workers nor the sink have moved for 3 x 20 ms (at most 2 s:
	 * on a loaded machine a worker can be off its CPU for tens of ms). */
	uint64_t last = UINT64_MAX;
	for (int still = 0, i = 0; still < 3 && i < 100; i++) {
		struct snap c;
		sleep_s(0.02);
		take(&c, ul);
		uint64_t now = atomic_load(sink);
		for (unsigned w = 0; w < n_workers; w++)
			now += c.pkts[w] << 32;
		still = now == last ? still + 1 : 0;
		last = now;
	}
	r.wall = b.wall - a.wall;
	r.softirqd = (double)(b.softirqd - a.softirqd);
	for (unsigned i = 0; i < n_workers; i++) {
		r.wpkts[i] = (double)(b.pkts[i] - a.pkts[i]);
		r.pkts += r.wpkts[i];
		r.cpu += b.cpu[i] - a.cpu[i];
		r.ut += (double)(b.ut[i] - a.ut[i]);
		r.st += (double)(b.st[i] - a.st[i]);
	}
	r.sent = (double)atomic_load(&g.sent);
	r.recv = (double)(atomic_load(sink) - r0);
	r.d_n3 = (double)(udp_rcvbuf_errors(snmp_upf) - n30);
	r.d_sink = (double)(udp_rcvbuf_errors(snmp_ran) - s0);
	r.d_tun = (double)(tun_tx_drops() - t0);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One item's outcome, kept for the cross-item figures. */
struct item {
	double mpps[2]; /* per worker CPU-second: sen-upf, null */
	double ratio;	/* to null: median of the per-round ratios */
	double r10k;	/* [1] only: 10,000 / 1 session, median of the per-round ratios */
	double loss;	/* sen-upf, fraction of sent */
	bool done;	/* run (the -w/-s/-d/-b filters can leave items out) */
};

static const size_t sizes[] = { 64, 512, 1400 };
static const unsigned sess_counts[] = { 1, 10000 };
static struct item items[2][2][2][3]; /* [workers-1][sessions][ul][size] */
static bool sess_on[2] = { true, true }; /* which session counts run (-s) */
static int rounds = ROUNDS;		 /* 1 with -q */

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return (v[(n - 1) / 2] + v[n / 2]) / 2;
}

static void add(struct result *s, const struct result *x)
{
	s->pkts += x->pkts;
	s->cpu += x->cpu;
	s->wall += x->wall;
	s->sent += x->sent;
	s->recv += x->recv;
	s->d_n3 += x->d_n3;
	s->d_tun += x->d_tun;
	s->d_sink += x->d_sink;
	s->ut += x->ut;
	s->st += x->st;
	s->softirqd += x->softirqd;
	for (unsigned i = 0; i < n_workers; i++)
		s->wpkts[i] += x->wpkts[i];
}

static void print_row(bool ul, size_t size, unsigned sessions, int k, const struct result *s,
		      double ratio)
{
	double pps = s->pkts / s->cpu, lost = s->sent - s->recv, sent = s->sent > 0 ? s->sent : 1;
	char share[32] = "";

	if (n_workers > 1)
		snprintf(share, sizeof(share), " %2.0f/%2.0f", 100 * s->wpkts[0] / s->pkts,
			 100 * s->wpkts[1] / s->pkts);
	printf("| %s | %4zu | %5u | %u%-6s | %-7s | %6.3f | %5.2f | %5.3f | %4.0f%% | %3.0f%% | "
	       "%3.0f%% | "
	       "%5.1f%% | %4.1f / %4.1f / %4.1f / %4.1f |",
	       ul ? "UL" : "DL", size, sessions, n_workers, share, k ? "null" : "sen-upf",
	       pps / 1e6, pps * 8 * (double)size / 1e9, s->recv / s->wall / 1e6,
	       100 * s->cpu / s->wall, s->ut + s->st > 0 ? 100 * s->ut / (s->ut + s->st) : 0,
	       100 * s->softirqd / (double)sysconf(_SC_CLK_TCK) / s->wall,
	       100 * lost / sent, 100 * s->d_n3 / sent, 100 * s->d_tun / sent,
	       100 * s->d_sink / sent, 100 * (lost - s->d_n3 - s->d_tun - s->d_sink) / sent);
	if (k)
		printf(" |\n");
	else
		printf(" %.2f |\n", ratio);
}

/*
 * One direction and size with the running workers: ROUNDS rounds of four slices, sen-upf
 * and null with 1 and with 10,000 active sessions, the order rotated from round to round
 * so that a drift in the machine's load cancels out; the ratios are medians of per-round
 * ratios, each from slices a fraction of a second apart.
 */
static void item(bool ul, unsigned z, double secs)
{
	size_t size = sizes[z];
	struct result sum[2][2] = { 0 }; /* [sessions][sen-upf, null] */
	double to_null[2][ROUNDS], r10k[ROUNDS];
	unsigned n_on = sess_on[0] + sess_on[1];

	for (int p = 0; p < rounds; p++) {
		struct result x[2][2];
		for (int j = 0; j < 4; j++) {
			int slot = (j + p) % 4, si = slot / 2, k = slot % 2;
			if (!sess_on[si])
				continue;
			x[si][k] = run_slice(ul, k == 1, sess_counts[si], size,
					     secs / (rounds * 2 * n_on));
			add(&sum[si][k], &x[si][k]);
		}
		for (int si = 0; si < 2; si++)
			if (sess_on[si])
				to_null[si][p] = (x[si][0].pkts / x[si][0].cpu) /
						 (x[si][1].pkts / x[si][1].cpu);
		if (n_on == 2)
			r10k[p] = (x[1][0].pkts / x[1][0].cpu) / (x[0][0].pkts / x[0][0].cpu);
	}
	for (int si = 0; si < 2; si++) {
		if (!sess_on[si])
			continue;
		struct item *it = &items[n_workers - 1][si][ul][z];
		it->ratio = median(to_null[si], rounds);
		it->r10k = n_on == 2 ? median(r10k, rounds) : NAN;
		it->done = true;
		for (int k = 0; k < 2; k++) {
			struct result *r = &sum[si][k];
			it->mpps[k] = r->pkts / r->cpu / 1e6;
			if (!k)
				it->loss = r->sent > 0 ? (r->sent - r->recv) / r->sent : 0;
			print_row(ul, size, sess_counts[si], k, r, it->ratio);
		}
	}
	fflush(stdout);
}

static void summarize(void)
{
	char name[128];

	for (unsigned w = 0; w < 2; w++)
		for (unsigned si = 0; si < 2; si++)
			for (int ul = 1; ul >= 0; ul--)
				for (unsigned z = 0; z < 3; z++) {
					struct item *it = &items[w][si][ul][z];
					if (!it->done)
						continue;
					snprintf(name, sizeof(name), "%s %zu B, %u sess, %u worker%s",
						 ul ? "UL" : "DL", sizes[z], sess_counts[si], w + 1,
						 w ? "s" : "");
					bench_summary("upf", name, it->mpps[0], "Mpps/core", it->ratio,
						      ">= 0.9 x null", it->ratio >= 0.9);
				}
	for (int ul = 1; ul >= 0; ul--)
		for (unsigned z = 0; z < 3; z++) {
			double r = items[0][1][ul][z].r10k;
			if (!items[0][1][ul][z].done || !isfinite(r))
				continue;
			snprintf(name, sizeof(name), "%s %zu B: 10,000 / 1 session (1 worker)",
				 ul ? "UL" : "DL", sizes[z]);
			bench_summary("upf", name, r, "x", NAN, ">= 0.95", r >= 0.95);
		}
	for (int ul = 1; ul >= 0; ul--)
		for (unsigned z = 0; z < 3; z++) {
			if (!items[1][1][ul][z].done || !items[0][1][ul][z].done)
				continue;
			double e = items[1][1][ul][z].mpps[0] / items[0][1][ul][z].mpps[0];
			snprintf(name, sizeof(name),
				 "%s %zu B, 10,000 sess: 2 workers / 1, per worker core",
				 ul ? "UL" : "DL", sizes[z]);
			bench_summary("upf", name, e, "x", NAN, ">= 0.9 (near-linear)", e >= 0.9);
		}
	for (unsigned w = 0; w < 2; w++)
		for (int ul = 1; ul >= 0; ul--) {
			double worst = 0;
			unsigned wz = 0, ws_ = 0;
			for (unsigned si = 0; si < 2; si++)
				for (unsigned z = 0; z < 3; z++)
					if (items[w][si][ul][z].done &&
					    items[w][si][ul][z].loss >= worst) {
						worst = items[w][si][ul][z].loss;
						wz = z;
						ws_ = si;
					}
			snprintf(name, sizeof(name), "%s loss, worst item (%zu B, %u sess), %u worker%s",
				 ul ? "UL" : "DL", sizes[wz], sess_counts[ws_], w + 1, w ? "s" : "");
			if (items[w][ws_][ul][wz].done)
				bench_summary("upf", name, 100 * worst, "%", NAN, NULL, -1);
		}
}

int main(int argc, char **argv)
{
	double secs = 4.0;
	pthread_t sink;
	unsigned only_w = 0, only_s = 0, only_b = 0;
	int only_ul = -1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if (!strcmp(argv[i], "-q"))
			secs = 0.1, rounds = 1;
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			only_w = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			only_s = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			only_b = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			only_ul = !strcmp(argv[++i], "ul");
		else {
			fprintf(stderr, "usage: bench-upf [-t seconds-per-item] [-q] [-w 1|2] "
					"[-s 1|10000] [-d ul|dl] [-b 64|512|1400]\n"
					"  -w/-s/-d/-b: only the items with that many workers, sessions,\n"
					"  that direction, that size (e.g. to perf record one of them)\n");
			return 2;
		}
	}
	sen_log_set_level(SEN_LOG_WARN);
	make_topology();
	find_ksoftirqd();
	enter(ns_orig);
	pthread_create(&sink, NULL, sink_main, NULL);

	printf("bench-upf: veth between two netns, 10,000 sessions in the UPF, traffic to 1 or all "
	       "of them;\n%.2f s per direction and size in %d round(s) of {sen-upf, null} x "
	       "{1, 10,000} slices.\nMpps/core: per CPU-second of the worker threads. Mpps wall: "
	       "received at the sink per second.\nworker CPU: the workers' CPU time per second "
	       "(2 vCPUs: 200%%); of it user: the share in user space\n(sen-upf's code; the rest "
	       "is the kernel's). ksoftirqd: its CPU per second (softirq work the\nworkers' "
	       "clocks miss). loss: (sent - received at the sink) / sent, then where the kernel\n"
	       "dropped: N3 socket / TUN queue / sink socket / other (veth backlog).\n\n",
	       secs, rounds);
	printf("| dir | bytes | sessions | workers (share %%) | path | Mpps/core | Gbit/s/core | "
	       "Mpps wall | worker CPU | of it user | ksoftirqd | loss | "
	       "of sent: N3 / TUN / sink / other %% | ratio to null |\n"
	       "|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
	for (unsigned si = 0; si < 2; si++)
		sess_on[si] = !only_s || sess_counts[si] == only_s;
	for (unsigned nw = 1; nw <= MAXW; nw++) {
		if (only_w && nw != only_w)
			continue;
		make_sessions(sess_counts[1]);
		upf_start(nw);
		for (int ul = 1; ul >= 0; ul--)
			for (unsigned z = 0; z < 3; z++)
				if ((only_ul < 0 || ul == only_ul) && (!only_b || sizes[z] == only_b))
					item(ul, z, secs);
		upf_stop();
	}
	atomic_store(&sink_stop, true);
	pthread_join(sink, NULL);

	printf("\n| item | sen-upf Mpps/core | ratio |\n|---|---:|---:|\n");
	for (int ul = 1; ul >= 0; ul--)
		for (unsigned z = 0; z < 3; z++) {
			struct item *one = &items[0][0][ul][z], *tenk = &items[0][1][ul][z],
				    *two = &items[1][1][ul][z];
			if (one->done && tenk->done)
				printf("| %s %4zu B: 10,000 / 1 session, 1 worker | %.3f / %.3f | %.2f |\n",
				       ul ? "UL" : "DL", sizes[z], tenk->mpps[0], one->mpps[0],
				       tenk->r10k);
			if (two->done && tenk->done)
				printf("| %s %4zu B: 2 workers / 1, 10,000 sessions, per worker core | "
				       "%.3f / %.3f | %.2f |\n",
				       ul ? "UL" : "DL", sizes[z], two->mpps[0], tenk->mpps[0],
				       two->mpps[0] / tenk->mpps[0]);
		}
	summarize();
	free(ul_teids);
	return 0;
}
