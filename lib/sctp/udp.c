/*
 * lib/sctp back end over usrsctp with SCTP-over-UDP encapsulation (RFC 6951), for
 * machines whose kernel has no SCTP (DESIGN.md, "SCTP and the machines here").
 *
 * usrsctp runs without threads, driven by the endpoint's loop (usrsctp_init_nothreads):
 * - We own the UDP socket (IPv4, and IPv6 when the host has it) bound to the local UDP
 *   port (RFC 6951 5.1: 9899 by default). Datagrams are read on the loop in batches
 *   (recvmmsg) and each, an SCTP packet (RFC 6951 5.2: the UDP payload is the SCTP
 *   packet, common header first), is handed to usrsctp_conninput().
 * - usrsctp sees every remote UDP address (IP and UDP port) as an AF_CONN address: a
 *   struct udp_peer, registered with usrsctp_register_address(), whose pointer is the
 *   address. For associations a peer starts, the source of its packets is that address
 *   (RFC 6951 5.4); for ours, the peer's IP with udp_remote_port.
 * - Source address: the UDP socket is bound to all addresses, so the kernel would pick
 *   the source of what we send by its routes (towards 127.0.0.1 from a peer that sent
 *   to 127.0.0.5: 127.0.0.1). A peer that started an association to 127.0.0.5 would then
 *   get its INIT ACK from another UDP address than the one it knows us by, and drop it.
 *   So each peer remembers the local address its datagrams came to (IP_PKTINFO /
 *   IPV6_PKTINFO) and what we send it leaves from that address, as a UDP server bound
 *   to it would answer; any local address (every 127.x.y.z on lo) works. It is learned
 *   from the peer's first datagram and then only from an INIT (peer_note_local()): the
 *   datagrams are not checked yet, and a forged one must not move it.
 * - usrsctp hands each packet to conn_output(), which sends it to the peer's UDP address
 *   (sendto, or sendmmsg for what a batch of received packets and their callbacks
 *   produced). usrsctp computes the CRC32c for AF_CONN itself (crc32c offload is off by
 *   default and never turned on here) and checks it on input, so packets on the wire
 *   are plain RFC 6951 packets any SCTP-over-UDP peer (Linux kernel, usrsctp) accepts.
 * - usrsctp_handle_timers() runs from a 10 ms loop timer (usrsctp's own tick).
 *
 * One stack per process: usrsctp_init_nothreads() is called by the first endpoint and
 * usrsctp_finish() after the last one is closed (refcounted). The stack's local UDP port
 * is fixed at init, so all endpoints of a process share it and its loop; a port taken
 * is an error (-SEN_EEXIST). The blackhole sysctl is 2: the stack never answers packets
 * of associations it does not own (no ABORT to out-of-the-blue packets, RFC 9260 8.4).
 *
 * Everything runs on the loop thread, but never calls the common layer from inside
 * usrsctp: receive_cb() and send_cb() only queue events on the endpoint (found by a
 * token in a registry, never by a pointer that could be stale). After a batch of
 * received packets or a timer tick the queues are handed to the common layer; an event
 * raised elsewhere (inside a send or an abort) is handed over by a zero-delay timer. The
 * queue is bounded (rx_queue_max, 64 MiB by default, counting ~170 bytes of overhead
 * per message): usrsctp opens its receive window as soon as receive_cb() returns, and
 * an association whose data outruns the loop past that is aborted, never buffered
 * without limit.
 *
 * Send space: with a receive callback usrsctp never wakes a socket upcall for writing;
 * it calls the socket's send callback instead, after each SACK that leaves at least
 * sb_threshold bytes free in that association's send buffer (and its chunk count under
 * sctp_max_chunks_on_queue). The callback counts (space_gen) and, when a send was
 * refused (want_write), queues a writable report. A send refused with EWOULDBLOCK arms
 * want_write unless space_gen moved since just before the send: then room came back in
 * between and the report is queued at once, so no wake-up is lost.
 *
 * Bursts: the UDP socket gets 8 MiB buffers (datagrams beyond the kernel's buffer are
 * dropped and must be retransmitted), every association a 4 MiB send buffer by default
 * (SO_SNDBUF of the usrsctp socket), and sctp_max_chunks_on_queue (DATA chunks in
 * flight per association, a second reason for EWOULDBLOCK) goes from 512 to 32768.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

#include "core/err.h"
#include "core/log.h"
#include "sctp/internal.h"

struct udp_ev {
	struct udp_ev *next;
	bool overload; /* marker: data of rcv.rcv_assoc_id was dropped here */
	void *data; /* malloc'd by usrsctp; ours to free() */
	size_t len;
	struct sctp_rcvinfo rcv;
	int flags;
	struct sockaddr_storage from;
	socklen_t from_len;
};

struct udp_ep {
	struct sen_sctp_endpoint *ep;
	struct socket *so;
	uintptr_t token;
	bool registered, stack_ref;
	struct udp_ev *head, **tail;
	size_t queued, queue_max; /* bytes in the queue */
	bool want_write;	  /* a send was refused: report send space */
	bool writable;		  /* a writable report is queued */
	uint64_t space_gen;	  /* send callbacks so far */
	struct sen_timer kick;	  /* hands the queue over when no batch is running */
	struct udp_ep *next;	  /* registry */
};

/* A remote UDP address; its pointer is the AF_CONN address usrsctp knows it by. */
struct udp_peer {
	struct udp_peer *next;
	struct sockaddr_storage sa;
	socklen_t len;
	/* The local address its last datagram was sent to (IP_PKTINFO / IPV6_PKTINFO):
	 * the source of what we send it (see "Source address" in the file comment). */
	bool has_local;
	struct in_addr local4;
	struct in6_pktinfo local6;
};

/* Room for one IP_PKTINFO or IPV6_PKTINFO control message. */
#define PKTINFO_SPACE CMSG_SPACE(sizeof(struct in6_pktinfo))
union pktinfo_buf {
	char buf[PKTINFO_SPACE];
	struct cmsghdr align;
};

/* Buffers of the stack's UDP sockets (SO_RCVBUF / SO_SNDBUF). */
#define UDP_SOCKET_BUF (8 << 20)
/* DATA chunks an association may have in flight (usrsctp's default is 512). */
#define MAX_CHUNKS_ON_QUEUE 32768
/* usrsctp's timer tick (ms). */
#define TICK_MS 10
/* Datagrams read per recvmmsg, and rounds per readiness report. */
#define RX_BATCH 32
#define RX_ROUNDS 4
/* A datagram's largest payload (over loopback a peer may send 64 KiB packets). */
#define RX_SIZE 65536
/* Packets and bytes gathered for one sendmmsg. */
#define TX_BATCH 64
#define TX_BYTES (256 << 10)
/* Remote UDP addresses remembered (each is kept while the stack runs). */
#define MAX_PEERS 65536

/* Stack life (init/finish). */
static pthread_mutex_t stack_mu = PTHREAD_MUTEX_INITIALIZER;

/* The stack; used on its loop's thread only. */
static struct {
	unsigned refs;
	bool running;
	uint16_t port;
	int fd4, fd6;
	struct sen_loop *loop; /* the loop the sockets and the tick are on; NULL: detached */
	struct sen_timer tick;
	uint64_t last_tick;
	unsigned batch; /* nesting of batches: output gathered, queues handed over at the end */
	struct udp_peer *peers, *last_peer;
	unsigned n_peers;
	uint8_t *rx_buf;
	struct mmsghdr rx[RX_BATCH];
	struct iovec rx_iov[RX_BATCH];
	struct sockaddr_storage rx_from[RX_BATCH];
	union pktinfo_buf rx_ctl[RX_BATCH];
	uint8_t *tx_buf;
	size_t tx_used;
	unsigned tx_n;
	int tx_fd;
	struct mmsghdr tx[TX_BATCH];
	struct iovec tx_iov[TX_BATCH];
	union pktinfo_buf tx_ctl[TX_BATCH];
} stack = {.fd4 = -1, .fd6 = -1, .tx_fd = -1};

/* Registry of live endpoints and their event queues. */
static struct udp_ep *registry;
static uintptr_t next_token = 1;

static void drain_all(void);

/* ---- remote UDP addresses ---- */

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0 &&
	       x->sin6_scope_id == y->sin6_scope_id;
}

/* The peer of UDP address `sa`, made and registered with usrsctp when new. */
static struct udp_peer *peer_get(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_storage key;
	struct udp_peer *p;

	memset(&key, 0, sizeof(key));
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)sa;
		struct sockaddr_in *k = (void *)&key;
		k->sin_family = AF_INET;
		k->sin_port = in->sin_port;
		k->sin_addr = in->sin_addr;
		len = sizeof(*k);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		struct sockaddr_in6 *k = (void *)&key;
		k->sin6_family = AF_INET6;
		k->sin6_port = in6->sin6_port;
		k->sin6_addr = in6->sin6_addr;
		k->sin6_scope_id = in6->sin6_scope_id;
		len = sizeof(*k);
	} else {
		return NULL;
	}
	if (stack.last_peer && same_addr(&stack.last_peer->sa, &key))
		return stack.last_peer;
	for (p = stack.peers; p; p = p->next)
		if (same_addr(&p->sa, &key))
			return stack.last_peer = p;
	if (stack.n_peers >= MAX_PEERS)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->sa = key;
	p->len = len;
	p->next = stack.peers;
	stack.peers = p;
	stack.n_peers++;
	usrsctp_register_address(p);
	return stack.last_peer = p;
}

/* The IP address of an AF_CONN address with its SCTP port, as the common layer
 * reports peers (`addr:port`). */
static socklen_t conn_to_inet(const struct sockaddr_conn *sc, struct sockaddr_storage *ss)
{
	const struct udp_peer *p = sc->sconn_addr;

	if (sc->sconn_family != AF_CONN || !p)
		return 0;
	memcpy(ss, &p->sa, p->len);
	if (p->sa.ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = sc->sconn_port;
	else
		((struct sockaddr_in6 *)ss)->sin6_port = sc->sconn_port;
	return p->len;
}

/* ---- UDP: output and input ---- */

/* Whether SCTP packet `pkt` (`len` bytes) starts an association: its first chunk, after
 * the 12-byte common header (RFC 9260 3.1), is an INIT (type 1, RFC 9260 3.3.2), which
 * carries verification tag 0 (RFC 9260 8.5.1) and is never bundled (RFC 9260 6.10). */
static bool pkt_is_init(const uint8_t *pkt, size_t len)
{
	/* common header + chunk header (type, flags, length) */
	if (len < 12 + 4)
		return false;
	return pkt[12] == 1 && pkt[4] == 0 && pkt[5] == 0 && pkt[6] == 0 && pkt[7] == 0;
}

/* Remember the local address datagram `h` (from peer `p`, SCTP packet `pkt` of `len`
 * bytes) was sent to: its IP_PKTINFO / IPV6_PKTINFO, if any, unless multicast or
 * broadcast. This runs before usrsctp has checked the packet (CRC32c, verification
 * tag), so a datagram with the peer's source forged to another local address must not
 * move the source of what we send it (the peer would drop our packets and the
 * association die): the address is learned from the peer's first datagram, and after
 * that only from an INIT (a peer starting or restarting, RFC 9260 5.2.4). */
static void peer_note_local(struct udp_peer *p, struct msghdr *h, const uint8_t *pkt, size_t len)
{
	if (p->has_local && !pkt_is_init(pkt, len))
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			uint32_t a = ntohl(pi.ipi_addr.s_addr);
			if (IN_MULTICAST(a) || a == INADDR_BROADCAST || a == INADDR_ANY)
				return;
			p->local4 = pi.ipi_addr;
			p->has_local = true;
			return;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			if (IN6_IS_ADDR_MULTICAST(&pi.ipi6_addr) || IN6_IS_ADDR_UNSPECIFIED(&pi.ipi6_addr))
				return;
			/* the interface matters for a link-local address only */
			if (!IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr))
				pi.ipi6_ifindex = 0;
			p->local6 = pi;
			p->has_local = true;
			return;
		}
	}
}

/* Put the source address for `p` (its remembered local address) on `h`. */
static void pktinfo_set(struct msghdr *h, union pktinfo_buf *ctl, const struct udp_peer *p)
{
	struct cmsghdr *c;

	h->msg_control = NULL;
	h->msg_controllen = 0;
	if (!p->has_local)
		return;
	memset(ctl, 0, sizeof(*ctl));
	h->msg_control = ctl->buf;
	if (p->sa.ss_family == AF_INET) {
		struct in_pktinfo pi = {.ipi_spec_dst = p->local4};
		h->msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(h);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		h->msg_controllen = CMSG_SPACE(sizeof(p->local6));
		c = CMSG_FIRSTHDR(h);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(p->local6));
		memcpy(CMSG_DATA(c), &p->local6, sizeof(p->local6));
	}
}

/* A send with a source address failed: the address may be gone from the host (or
 * never valid); forget it, so the next packets leave with the kernel's choice. */
static void peer_drop_local(struct udp_peer *p, int err)
{
	if (p->has_local && (err == EINVAL || err == EADDRNOTAVAIL)) {
		sen_log_debug(SCTP_LOG, "source address for a peer refused (%s): kernel's choice from now on",
			      strerror(err));
		p->has_local = false;
	}
}

static void tx_flush(void)
{
	unsigned done = 0;

	while (done < stack.tx_n) {
		int n = sendmmsg(stack.tx_fd, stack.tx + done, stack.tx_n - done, MSG_DONTWAIT);
		if (n <= 0) {
			/* full kernel buffer or a bad destination: SCTP retransmits */
			struct sockaddr_storage *sa = stack.tx[done].msg_hdr.msg_name;
			peer_drop_local((struct udp_peer *)((char *)sa - offsetof(struct udp_peer, sa)),
					errno);
			done++;
			continue;
		}
		done += (unsigned)n;
	}
	stack.tx_n = 0;
	stack.tx_used = 0;
}

/* usrsctp's output for AF_CONN: `buf` is a whole SCTP packet with its CRC32c, the UDP
 * payload (RFC 6951 5.2) for the peer `addr`. */
static int conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df)
{
	struct udp_peer *p = addr;
	int fd = p->sa.ss_family == AF_INET6 ? stack.fd6 : stack.fd4;

	(void)tos;
	(void)set_df;
	if (fd < 0)
		return EHOSTUNREACH;
	if (stack.batch && stack.tx_n &&
	    (stack.tx_fd != fd || stack.tx_n == TX_BATCH || stack.tx_used + len > TX_BYTES))
		tx_flush();
	if (stack.batch && stack.tx_used + len <= TX_BYTES) {
		struct mmsghdr *m = &stack.tx[stack.tx_n];
		struct iovec *iov = &stack.tx_iov[stack.tx_n];
		memcpy(stack.tx_buf + stack.tx_used, buf, len);
		iov->iov_base = stack.tx_buf + stack.tx_used;
		iov->iov_len = len;
		memset(m, 0, sizeof(*m));
		m->msg_hdr.msg_name = &p->sa;
		m->msg_hdr.msg_namelen = p->len;
		m->msg_hdr.msg_iov = iov;
		m->msg_hdr.msg_iovlen = 1;
		pktinfo_set(&m->msg_hdr, &stack.tx_ctl[stack.tx_n], p);
		stack.tx_fd = fd;
		stack.tx_used += len;
		stack.tx_n++;
		return 0;
	}
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr h = {.msg_name = &p->sa, .msg_namelen = p->len, .msg_iov = &iov,
			   .msg_iovlen = 1};
	union pktinfo_buf ctl;
	pktinfo_set(&h, &ctl, p);
	if (sendmsg(fd, &h, MSG_DONTWAIT) < 0) {
		int err = errno;
		peer_drop_local(p, err);
		return err;
	}
	return 0;
}

/* A batch: output gathered for sendmmsg, queues handed over at its end. */
static void batch_begin(void)
{
	stack.batch++;
}

static void batch_end(void)
{
	if (stack.batch == 1)
		drain_all();
	if (stack.batch == 1 && stack.tx_n)
		tx_flush();
	stack.batch--;
}

/* Read up to RX_BATCH datagrams from `fd` into usrsctp; the number read. */
static int rx_batch(int fd)
{
	int n;

	for (unsigned i = 0; i < RX_BATCH; i++) {
		stack.rx_iov[i].iov_base = stack.rx_buf + (size_t)i * RX_SIZE;
		stack.rx_iov[i].iov_len = RX_SIZE;
		memset(&stack.rx[i].msg_hdr, 0, sizeof(stack.rx[i].msg_hdr));
		stack.rx[i].msg_hdr.msg_name = &stack.rx_from[i];
		stack.rx[i].msg_hdr.msg_namelen = sizeof(stack.rx_from[i]);
		stack.rx[i].msg_hdr.msg_iov = &stack.rx_iov[i];
		stack.rx[i].msg_hdr.msg_iovlen = 1;
		stack.rx[i].msg_hdr.msg_control = stack.rx_ctl[i].buf;
		stack.rx[i].msg_hdr.msg_controllen = sizeof(stack.rx_ctl[i].buf);
	}
	n = recvmmsg(fd, stack.rx, RX_BATCH, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		struct msghdr *h = &stack.rx[i].msg_hdr;
		struct udp_peer *p;
		/* RFC 9260 3.1: at least the 12-byte common header */
		if ((h->msg_flags & MSG_TRUNC) || stack.rx[i].msg_len < 12)
			continue;
		/* the last endpoint closed in a callback finished the stack: stop here */
		if (!stack.running)
			break;
		p = peer_get((struct sockaddr *)h->msg_name, h->msg_namelen);
		if (!p)
			continue;
		peer_note_local(p, h, stack.rx_iov[i].iov_base, stack.rx[i].msg_len);
		usrsctp_conninput(p, stack.rx_iov[i].iov_base, stack.rx[i].msg_len, 0);
	}
	return n;
}

static void on_udp(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	(void)loop;
	(void)events;
	(void)arg;
	for (int r = 0; r < RX_ROUNDS; r++) {
		int n;
		batch_begin();
		n = rx_batch(fd);
		batch_end();
		/* the events handed over at the batch's end may have closed the last
		 * endpoint and finished the stack (its sockets closed: `fd` is stale) */
		if (n < RX_BATCH || !stack.running || (fd != stack.fd4 && fd != stack.fd6))
			break;
	}
}

static void run_timers(uint64_t now)
{
	uint64_t elapsed = now - stack.last_tick;

	stack.last_tick = now;
	batch_begin();
	usrsctp_handle_timers((uint32_t)(elapsed > 1000 ? 1000 : elapsed));
	batch_end();
}

static void on_tick(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	(void)arg;
	run_timers(sen_loop_now(loop));
	sen_timer_start(t, TICK_MS);
}

/* ---- the stack ---- */

/* SO_xxxBUFFORCE (root: past net.core.rmem_max / wmem_max) first, else the capped one. */
static int set_buf(int fd, int force, int opt, int size)
{
	int got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, opt, &got, &len) < 0)
		return 0;
	return got; /* the kernel reports twice what it was given */
}

/* The stack's UDP socket of `family` on `port` (all addresses); -SEN_EEXIST if taken. */
static int udp_socket(int family, uint16_t port, int *out)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -SEN_EIO;
	if (family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	/* the local address of each datagram, for the source of our answers */
	if (family == AF_INET)
		(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	else
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int err = errno == EADDRINUSE ? -SEN_EEXIST : -SEN_EIO;
		close(fd);
		return err;
	}
	int rb = set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, UDP_SOCKET_BUF);
	int sb = set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, UDP_SOCKET_BUF);
	sen_log_debug(SCTP_LOG, "UDP socket %d of the stack: receive buffer %d, send buffer %d bytes",
		      fd, rb, sb);
	*out = fd;
	return 0;
}

static void stack_close_sockets(void)
{
	if (stack.fd4 >= 0)
		close(stack.fd4);
	if (stack.fd6 >= 0)
		close(stack.fd6);
	stack.fd4 = stack.fd6 = -1;
}

static void stack_attach(struct sen_loop *loop)
{
	stack.loop = loop;
	if (stack.fd4 >= 0)
		(void)sen_loop_fd_add(loop, stack.fd4, SEN_LOOP_READ, on_udp, NULL);
	if (stack.fd6 >= 0)
		(void)sen_loop_fd_add(loop, stack.fd6, SEN_LOOP_READ, on_udp, NULL);
	sen_timer_init(&stack.tick, loop, on_tick, NULL);
	stack.last_tick = sen_loop_update_now(loop);
	sen_timer_start(&stack.tick, TICK_MS);
}

static void stack_detach(void)
{
	if (!stack.loop)
		return;
	if (stack.fd4 >= 0)
		sen_loop_fd_del(stack.loop, stack.fd4);
	if (stack.fd6 >= 0)
		sen_loop_fd_del(stack.loop, stack.fd6);
	sen_timer_stop(&stack.tick);
	stack.loop = NULL;
}

static int stack_start(uint16_t port)
{
	int err;

	if (!stack.rx_buf)
		stack.rx_buf = malloc((size_t)RX_BATCH * RX_SIZE);
	if (!stack.tx_buf)
		stack.tx_buf = malloc(TX_BYTES);
	if (!stack.rx_buf || !stack.tx_buf)
		return -SEN_ENOMEM;
	err = udp_socket(AF_INET, port, &stack.fd4);
	if (err)
		return err;
	if (udp_socket(AF_INET6, port, &stack.fd6) < 0)
		stack.fd6 = -1; /* no IPv6 here: IPv4 peers only */
	/* No threads: the loop reads the sockets and drives the timers (file comment). */
	usrsctp_init_nothreads(0, conn_output, NULL);
	/* DESIGN.md: ignore packets of associations this stack does not own. */
	usrsctp_sysctl_set_sctp_blackhole(2);
	/* RFC 9260 6.2 allows delaying SACKs up to 500 ms; one SACK per packet instead. */
	usrsctp_sysctl_set_sctp_sack_freq_default(1);
	usrsctp_sysctl_set_sctp_max_chunks_on_queue(MAX_CHUNKS_ON_QUEUE);
	stack.running = true;
	stack.port = port;
	sen_log_debug(SCTP_LOG, "usrsctp stack up on UDP port %u", port);
	return 0;
}

static int stack_ref(struct sen_loop *loop, uint16_t port)
{
	int err = 0;

	pthread_mutex_lock(&stack_mu);
	if (stack.running && port != stack.port) {
		sen_log_error(SCTP_LOG, "usrsctp already runs on UDP port %u in this process; "
			      "one stack per process, so %u cannot be used too", stack.port, port);
		err = -SEN_EEXIST;
		goto out;
	}
	if (stack.loop && stack.loop != loop) {
		sen_log_error(SCTP_LOG, "usrsctp runs on another loop in this process; "
			      "all its endpoints must share one loop");
		err = -SEN_EINVAL;
		goto out;
	}
	if (!stack.running) {
		err = stack_start(port);
		if (err) {
			if (err == -SEN_EEXIST)
				sen_log_error(SCTP_LOG, "UDP port %u for SCTP over UDP is in use (another stack?)",
					      port);
			goto out;
		}
	}
	if (!stack.loop)
		stack_attach(loop);
	stack.refs++;
out:
	pthread_mutex_unlock(&stack_mu);
	return err;
}

/* Run the stack for up to `ms` without the loop (the last endpoint is gone). */
static void stack_pump(int ms)
{
	struct pollfd pfd[2] = {{.fd = stack.fd4, .events = POLLIN}, {.fd = stack.fd6, .events = POLLIN}};
	struct timespec ts;

	if (poll(pfd, 2, ms) > 0) {
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd >= 0 && (pfd[i].revents & POLLIN)) {
				batch_begin();
				rx_batch(pfd[i].fd);
				batch_end();
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	run_timers((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static void stack_unref(void)
{
	pthread_mutex_lock(&stack_mu);
	if (stack.refs && --stack.refs == 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		stack.last_tick = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
		stack_detach();
		/* usrsctp_finish() refuses while closed sockets still shut down their
		 * associations: run the stack here meanwhile; if they outlast ~300 ms, the
		 * stack stays up (detached) for the next endpoint. */
		for (int i = 0; i < 30; i++) {
			if (usrsctp_finish() == 0) {
				/* packets gathered by a batch this runs inside (the last
				 * endpoint closed in a callback) go out now: they point at
				 * peers and a socket about to go */
				if (stack.tx_n)
					tx_flush();
				stack.running = false;
				stack_close_sockets();
				while (stack.peers) {
					struct udp_peer *p = stack.peers;
					stack.peers = p->next;
					free(p);
				}
				stack.last_peer = NULL;
				stack.n_peers = 0;
				sen_log_debug(SCTP_LOG, "usrsctp stack finished");
				break;
			}
			stack_pump(10);
		}
	}
	pthread_mutex_unlock(&stack_mu);
}

/* ---- callbacks from usrsctp (on the loop thread, inside usrsctp) ---- */

static struct udp_ep *find_ep(uintptr_t token)
{
	struct udp_ep *ue;

	for (ue = registry; ue && ue->token != token; ue = ue->next)
		;
	return ue;
}

/* The queue of `ue` has something: hand it over at the end of the batch, or soon. */
static void wake(struct udp_ep *ue)
{
	if (!stack.batch && !sen_timer_pending(&ue->kick))
		sen_timer_start(&ue->kick, 0);
}

static int receive_cb(struct socket *so, union sctp_sockstore addr, void *data, size_t len,
		      struct sctp_rcvinfo rcv, int flags, void *ulp_info)
{
	struct udp_ev *ev;
	struct udp_ep *ue;

	(void)so;
	if (!data)
		return 1; /* the socket is closing */
	ue = find_ep((uintptr_t)ulp_info);
	if (!ue) {
		free(data);
		return 1;
	}
	ev = calloc(1, sizeof(*ev));
	if (!ev) {
		free(data);
		return 1;
	}
	ev->data = data;
	ev->len = len;
	ev->rcv = rcv;
	ev->flags = flags;
	ev->from_len = conn_to_inet(&addr.sconn, &ev->from);
	if (!(flags & MSG_NOTIFICATION) && ue->queued + len + sizeof(*ev) > ue->queue_max) {
		/* usrsctp opens its receive window as soon as we return, so a peer can
		 * send faster than the loop hands messages over: past queue_max its data
		 * is dropped and a marker queued instead, behind everything already
		 * queued. The association is aborted at the marker, so the gap is never
		 * seen as data. */
		free(ev->data);
		ev->data = NULL;
		ev->len = 0;
		ev->overload = true;
	}
	*ue->tail = ev;
	ue->tail = &ev->next;
	ue->queued += ev->len + sizeof(*ev);
	wake(ue);
	return 1;
}

/* Queue a writable report. */
static void queue_writable(struct udp_ep *ue)
{
	ue->want_write = false;
	ue->writable = true;
	wake(ue);
}

/* After a SACK left room in an association's send buffer (see the file comment). */
static int send_cb(struct socket *so, uint32_t sb_free, void *ulp_info)
{
	struct udp_ep *ue = find_ep((uintptr_t)ulp_info);

	(void)so;
	(void)sb_free;
	if (ue) {
		ue->space_gen++;
		if (ue->want_write)
			queue_writable(ue);
	}
	return 1;
}

/* ---- handing events to the common layer ---- */

static void free_events(struct udp_ev *ev)
{
	while (ev) {
		struct udp_ev *next = ev->next;
		free(ev->data);
		free(ev);
		ev = next;
	}
}

/* The peer's primary address (RFC 6458 9.3 sctp_getpaddrs) as IP and SCTP port; the
 * address usrsctp passes with a notification is not the peer's. */
static socklen_t peer_addr(struct udp_ep *ue, uint32_t id, struct sockaddr_storage *ss)
{
	struct sockaddr *addrs = NULL;
	socklen_t len = 0;

	if (usrsctp_getpaddrs(ue->so, id, &addrs) > 0 && addrs)
		len = conn_to_inet((const struct sockaddr_conn *)addrs, ss);
	if (addrs)
		usrsctp_freepaddrs(addrs);
	return len;
}

static void handle_notification(struct sen_sctp_endpoint *ep, const struct udp_ev *ev)
{
	const union sctp_notification *n = ev->data;
	struct sockaddr_storage peer;
	socklen_t peer_len = 0;

	if (ev->len < sizeof(n->sn_header) || n->sn_header.sn_length > ev->len)
		return;
	switch (n->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE: {
		const struct sctp_assoc_change *c = &n->sn_assoc_change;
		enum sctp_assoc_event e;
		if (ev->len < sizeof(*c))
			return;
		switch (c->sac_state) {
		case SCTP_COMM_UP:
			e = SCTP_EV_UP;
			break;
		case SCTP_RESTART:
			e = SCTP_EV_RESTART;
			break;
		case SCTP_COMM_LOST:
			e = SCTP_EV_LOST;
			break;
		case SCTP_SHUTDOWN_COMP:
			e = SCTP_EV_SHUTDOWN_DONE;
			break;
		case SCTP_CANT_STR_ASSOC:
			e = SCTP_EV_CANT_START;
			break;
		default:
			return;
		}
		if (e == SCTP_EV_UP || e == SCTP_EV_RESTART)
			peer_len = peer_addr(ep->be_data, c->sac_assoc_id, &peer);
		sctp_ev_assoc(ep, c->sac_assoc_id, e, c->sac_inbound_streams,
			      c->sac_outbound_streams, (const struct sockaddr *)&peer, peer_len);
		return;
	}
	case SCTP_PARTIAL_DELIVERY_EVENT: {
		const struct sctp_pdapi_event *p = &n->sn_pdapi_event;
		if (ev->len >= sizeof(*p) && p->pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED)
			sctp_ev_pd_aborted(ep, p->pdapi_assoc_id);
		return;
	}
	case SCTP_SHUTDOWN_EVENT:
		sen_log_debug(SCTP_LOG, "assoc %u: peer sent SHUTDOWN",
			      n->sn_shutdown_event.sse_assoc_id);
		return;
	case SCTP_SEND_FAILED_EVENT:
		sen_log_warn(SCTP_LOG, "assoc %u: a message could not be sent",
			     n->sn_send_failed_event.ssfe_assoc_id);
		return;
	default:
		return;
	}
}

/* Hand the queue of `ue` to the common layer; `ue` may be gone afterwards. */
static void drain(struct udp_ep *ue)
{
	struct sen_sctp_endpoint *ep = ue->ep;
	struct udp_ev *list = ue->head, *ev;
	bool writable = ue->writable;

	sen_timer_stop(&ue->kick);
	ue->head = NULL;
	ue->tail = &ue->head;
	ue->queued = 0;
	ue->writable = false;

	sctp_enter(ep);
	for (ev = list; ev; ev = ev->next) {
		if (ep->closed)
			break;
		if (ev->overload)
			sctp_ev_overload(ep, ev->rcv.rcv_assoc_id);
		else if (ev->flags & MSG_NOTIFICATION)
			handle_notification(ep, ev);
		else
			sctp_ev_data(ep, ev->rcv.rcv_assoc_id, ev->rcv.rcv_sid,
				     ntohl(ev->rcv.rcv_ppid), ev->data, ev->len,
				     (ev->flags & MSG_EOR) != 0, (const struct sockaddr *)&ev->from,
				     ev->from_len);
	}
	free_events(list);
	if (writable && !ep->closed)
		sctp_ev_writable(ep);
	sctp_leave(ep);
}

/* Every endpoint's queue, until none has anything (callbacks may queue more). */
static void drain_all(void)
{
	for (;;) {
		struct udp_ep *ue;
		for (ue = registry; ue && !ue->head && !ue->writable; ue = ue->next)
			;
		if (!ue)
			return;
		drain(ue);
	}
}

static void on_kick(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	(void)loop;
	(void)t;
	(void)arg;
	batch_begin();
	batch_end(); /* hands over every queue, sends what the callbacks produced */
}

static void unregister(struct udp_ep *ue)
{
	struct udp_ep **pp;

	if (!ue->registered)
		return;
	for (pp = &registry; *pp; pp = &(*pp)->next) {
		if (*pp == ue) {
			*pp = ue->next;
			break;
		}
	}
	free_events(ue->head);
	ue->head = NULL;
	ue->tail = &ue->head;
	ue->want_write = ue->writable = false;
	sen_timer_stop(&ue->kick);
	ue->registered = false;
}

static int udp_init(struct sen_sctp_endpoint *ep)
{
	struct udp_ep *ue = calloc(1, sizeof(*ue));
	int err;

	if (!ue)
		return -SEN_ENOMEM;
	ue->ep = ep;
	ue->tail = &ue->head;
	ue->queue_max = ep->conf.rx_queue_max;
	sen_timer_init(&ue->kick, ep->loop, on_kick, ue);
	err = stack_ref(ep->loop, ep->conf.udp_local_port);
	if (err) {
		free(ue);
		return err;
	}
	ue->stack_ref = true;
	ue->token = next_token++;
	ue->next = registry;
	registry = ue;
	ue->registered = true;
	ep->be_data = ue;
	return 0;
}

static int setopt(struct socket *so, int opt, const void *v, socklen_t len, const char *name)
{
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, opt, v, len) < 0) {
		sen_log_error(SCTP_LOG, "usrsctp setsockopt %s: %m", name);
		return -SEN_EIO;
	}
	return 0;
}

static int udp_open(struct sen_sctp_endpoint *ep, int family)
{
	struct udp_ep *ue = ep->be_data;
	const struct sctp_conf *c = &ep->conf;
	static const uint16_t events[] = {SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT,
					  SCTP_PARTIAL_DELIVERY_EVENT, SCTP_SEND_FAILED_EVENT};
	int on = 1, err = 0;

	/* RFC 6458 3: a one-to-many style socket carries all associations; AF_CONN, its
	 * packets go through conn_output() (file comment). */
	(void)family;
	/* send_cb after a SACK that leaves a quarter of the send buffer (at most 64 KiB)
	 * free (file comment) */
	ue->so = usrsctp_socket(AF_CONN, SOCK_SEQPACKET, IPPROTO_SCTP, receive_cb, send_cb,
				c->sndbuf / 4 < 65536 ? c->sndbuf / 4 : 65536, (void *)ue->token);
	if (!ue->so) {
		sen_log_error(SCTP_LOG, "usrsctp_socket: %m");
		return -SEN_EIO;
	}
	if (usrsctp_set_non_blocking(ue->so, 1) < 0)
		err = -SEN_EIO;
	/* The send buffer of each association (usrsctp checks it per association). */
	int sndbuf = (int)c->sndbuf;
	if (!err &&
	    usrsctp_setsockopt(ue->so, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0) {
		sen_log_error(SCTP_LOG, "usrsctp setsockopt SO_SNDBUF %d: %m", sndbuf);
		err = -SEN_EIO;
	}

	/* RFC 6458 8.1.5: no Nagle-like bundling delay. */
	err = err ? err : setopt(ue->so, SCTP_NODELAY, &on, sizeof(on), "SCTP_NODELAY");
	/* RFC 6458 8.1.19: sack_freq 1 turns the delayed SACK algorithm off. */
	struct sctp_sack_info sack = {.sack_assoc_id = SCTP_FUTURE_ASSOC, .sack_freq = 1};
	err = err ? err : setopt(ue->so, SCTP_DELAYED_SACK, &sack, sizeof(sack), "SCTP_DELAYED_SACK");
	/* RFC 6458 8.1.3: streams asked for and accepted (TS 38.412 7), INIT retries. */
	struct sctp_initmsg init = {.sinit_num_ostreams = c->streams,
				    .sinit_max_instreams = c->streams,
				    .sinit_max_attempts = c->init_attempts,
				    .sinit_max_init_timeo = (uint16_t)(c->rto_max_ms > 65535 ? 65535 : c->rto_max_ms)};
	err = err ? err : setopt(ue->so, SCTP_INITMSG, &init, sizeof(init), "SCTP_INITMSG");
	/* RFC 6458 8.1.1 / RFC 9260 6.3.1: retransmission timer bounds. */
	struct sctp_rtoinfo rto = {.srto_assoc_id = SCTP_FUTURE_ASSOC,
				   .srto_initial = c->rto_initial_ms,
				   .srto_max = c->rto_max_ms,
				   .srto_min = c->rto_min_ms};
	err = err ? err : setopt(ue->so, SCTP_RTOINFO, &rto, sizeof(rto), "SCTP_RTOINFO");
	/* RFC 6458 8.1.2: Association.Max.Retrans (RFC 9260 8.1). */
	struct sctp_assocparams ap = {.sasoc_assoc_id = SCTP_FUTURE_ASSOC,
				      .sasoc_asocmaxrxt = c->max_retrans};
	err = err ? err : setopt(ue->so, SCTP_ASSOCINFO, &ap, sizeof(ap), "SCTP_ASSOCINFO");
	/* RFC 6458 8.1.12: heartbeats and Path.Max.Retrans (RFC 9260 8.2, 8.3). */
	struct sctp_paddrparams pp;
	memset(&pp, 0, sizeof(pp));
	pp.spp_assoc_id = SCTP_FUTURE_ASSOC;
	pp.spp_hbinterval = c->hb_interval_ms;
	pp.spp_pathmaxrxt = c->max_retrans;
	pp.spp_flags = SPP_HB_ENABLE;
	err = err ? err : setopt(ue->so, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), "SCTP_PEER_ADDR_PARAMS");
	/* RFC 6458 6.2.1: the notifications the common layer acts on. */
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]) && !err; i++) {
		struct sctp_event se = {.se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = events[i], .se_on = 1};
		err = setopt(ue->so, SCTP_EVENT, &se, sizeof(se), "SCTP_EVENT");
	}
	/* RFC 6458 8.1.22: stream and PPID with every message. */
	err = err ? err : setopt(ue->so, SCTP_RECVRCVINFO, &on, sizeof(on), "SCTP_RECVRCVINFO");
	/* RFC 6458 8.1.20: level 1, pieces of a message never interleave within an
	 * association (the common layer reassembles one message per association). */
	err = err ? err : setopt(ue->so, SCTP_FRAGMENT_INTERLEAVE, &on, sizeof(on), "SCTP_FRAGMENT_INTERLEAVE");
	if (c->pd_point) {
		uint32_t pd = c->pd_point;
		err = err ? err : setopt(ue->so, SCTP_PARTIAL_DELIVERY_POINT, &pd, sizeof(pd), "SCTP_PARTIAL_DELIVERY_POINT");
	}
	if (err) {
		usrsctp_close(ue->so);
		ue->so = NULL;
	}
	return err;
}

static int udp_bind(struct sen_sctp_endpoint *ep, const struct sockaddr *sa, socklen_t len)
{
	struct udp_ep *ue = ep->be_data;
	struct sockaddr_conn sc = {.sconn_family = AF_CONN};
	int fd = sa->sa_family == AF_INET6 ? stack.fd6 : stack.fd4;

	(void)len;
	if (fd < 0) {
		sen_log_error(SCTP_LOG, "usrsctp bind: no UDP socket for this address family");
		return -SEN_EINVAL;
	}
	/* The IP address is the UDP socket's (all addresses, as usrsctp's own UDP sockets
	 * were); the SCTP port is bound here, on every peer address (sconn_addr NULL). */
	sc.sconn_port = sa->sa_family == AF_INET6 ? ((const struct sockaddr_in6 *)sa)->sin6_port
						  : ((const struct sockaddr_in *)sa)->sin_port;
	if (usrsctp_bind(ue->so, (struct sockaddr *)&sc, sizeof(sc)) < 0) {
		int e = errno;
		sen_log_error(SCTP_LOG, "usrsctp bind: %m");
		return e == EADDRINUSE ? -SEN_EEXIST : e == EADDRNOTAVAIL ? -SEN_EINVAL : -SEN_EIO;
	}
	return 0;
}

static int udp_listen(struct sen_sctp_endpoint *ep)
{
	struct udp_ep *ue = ep->be_data;

	if (usrsctp_listen(ue->so, 1) < 0) {
		sen_log_error(SCTP_LOG, "usrsctp listen: %m");
		return -SEN_EIO;
	}
	return 0;
}

static int udp_connect(struct sen_sctp_endpoint *ep, const struct sockaddr *sa, socklen_t len,
		       uint32_t *id)
{
	struct udp_ep *ue = ep->be_data;
	struct sockaddr_storage udp;
	struct sockaddr_conn sc = {.sconn_family = AF_CONN};
	struct udp_peer *p;
	sctp_assoc_t aid = 0;
	int err;

	if ((sa->sa_family == AF_INET6 ? stack.fd6 : stack.fd4) < 0)
		return -SEN_EINVAL;
	/* RFC 6951 5.2: the peer's IP with its UDP port (udp_remote_port); the SCTP port
	 * goes in the SCTP common header. */
	memcpy(&udp, sa, len);
	if (sa->sa_family == AF_INET6) {
		sc.sconn_port = ((const struct sockaddr_in6 *)sa)->sin6_port;
		((struct sockaddr_in6 *)&udp)->sin6_port = htons(ep->conf.udp_remote_port);
	} else {
		sc.sconn_port = ((const struct sockaddr_in *)sa)->sin_port;
		((struct sockaddr_in *)&udp)->sin_port = htons(ep->conf.udp_remote_port);
	}
	p = peer_get((struct sockaddr *)&udp, len);
	if (!p)
		return -SEN_ENOMEM;
	sc.sconn_addr = p;
	/* usrsctp_connectx() knows no AF_CONN: connect, then ask for the association's id
	 * (RFC 6458 9.8 sctp_getassocid) before it is up. The INIT goes out from here. */
	batch_begin();
	err = usrsctp_connect(ue->so, (struct sockaddr *)&sc, sizeof(sc)) < 0 && errno != EINPROGRESS
		      ? errno : 0;
	if (!err)
		aid = usrsctp_getassocid(ue->so, (struct sockaddr *)&sc);
	batch_end();
	if (err) {
		errno = err;
		sen_log_warn(SCTP_LOG, "usrsctp connect: %m");
		return err == EINVAL || err == EAFNOSUPPORT ? -SEN_EINVAL : -SEN_EIO;
	}
	if (aid == 0) {
		sen_log_error(SCTP_LOG, "usrsctp connect gave no association id");
		return -SEN_EIO;
	}
	*id = aid;
	return 0;
}

static int udp_sendv(struct udp_ep *ue, uint32_t id, uint16_t flags, uint16_t stream,
		     uint32_t ppid, const void *data, size_t len)
{
	static const uint8_t none;
	struct sctp_sndinfo si = {.snd_sid = stream, .snd_flags = flags,
				  .snd_ppid = htonl(ppid), .snd_assoc_id = id};
	/* usrsctp refuses a NULL buffer (EFAULT) even for SCTP_EOF / SCTP_ABORT */
	ssize_t n = usrsctp_sendv(ue->so, data ? data : &none, len, NULL, 0, &si, sizeof(si),
				  SCTP_SENDV_SNDINFO, 0);

	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -SEN_EAGAIN;
		sen_log_warn(SCTP_LOG, "assoc %u: usrsctp send: %m", id);
		return errno == EMSGSIZE ? -SEN_EMSGSIZE : -SEN_EIO;
	}
	return 0;
}

static int udp_send(struct sen_sctp_endpoint *ep, uint32_t id, uint16_t stream, uint32_t ppid,
		    const void *data, size_t len)
{
	struct udp_ep *ue = ep->be_data;
	uint64_t gen = ue->space_gen;
	/* RFC 6458 5.3.4: ppid is opaque to the stack, so it goes in network order. */
	int err = udp_sendv(ue, id, 0, stream, ppid, data, len);

	if (err == -SEN_EAGAIN && ue->registered) {
		/* Arm the writable report; if a send callback ran since `gen` was read, room
		 * may have come back after the stack refused: report it at once. */
		if (ue->space_gen != gen)
			queue_writable(ue);
		else
			ue->want_write = true;
	}
	return err;
}

static int udp_shutdown(struct sen_sctp_endpoint *ep, uint32_t id)
{
	return udp_sendv(ep->be_data, id, SCTP_EOF, 0, 0, NULL, 0);
}

static int udp_abort(struct sen_sctp_endpoint *ep, uint32_t id)
{
	return udp_sendv(ep->be_data, id, SCTP_ABORT, 0, 0, NULL, 0);
}

static void udp_close(struct sen_sctp_endpoint *ep)
{
	struct udp_ep *ue = ep->be_data;

	unregister(ue);
	if (ue->so) {
		usrsctp_close(ue->so);
		ue->so = NULL;
	}
}

static void udp_release(struct sen_sctp_endpoint *ep)
{
	struct udp_ep *ue = ep->be_data;

	if (!ue)
		return;
	udp_close(ep);
	if (ue->stack_ref)
		stack_unref();
	free(ue);
	ep->be_data = NULL;
}

const struct sctp_backend sctp_backend_udp = {
	.name = "usrsctp",
	.init = udp_init,
	.open = udp_open,
	.bind = udp_bind,
	.listen = udp_listen,
	.connect = udp_connect,
	.send = udp_send,
	.shutdown = udp_shutdown,
	.abort = udp_abort,
	.close = udp_close,
	.release = udp_release,
};
