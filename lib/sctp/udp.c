/*
 * lib/sctp back end over usrsctp with SCTP-over-UDP encapsulation (RFC 6951), for
 * machines whose kernel has no SCTP (DESIGN.md, "SCTP and the machines here").
 *
 * One stack per process: usrsctp_init() is called by the first endpoint and
 * usrsctp_finish() after the last one is closed (refcounted). The stack's local UDP port
 * is fixed at init (RFC 6951 5.1: 9899 by default), so all endpoints of a process share
 * it; two stacks on one port hang silently, so the port is probed first and a clash is
 * an error (-SEN_EEXIST). The stack also opens raw IP-protocol-132 sockets and would
 * see other stacks' raw SCTP packets: the blackhole sysctl is set to 2 so it never
 * answers packets of associations it does not own (no ABORT to out-of-the-blue packets,
 * RFC 9260 8.4).
 *
 * Threads: usrsctp calls receive_cb() on its own threads. The callback looks its
 * endpoint up by a token in a registry (never by a pointer that could be stale), queues
 * the event and wakes the loop through the endpoint's eventfd; the loop thread then
 * hands the events to the common layer. The queue is bounded (rx_queue_max, 64 MiB by
 * default, counting ~170 bytes of overhead per message): an association that outruns
 * the loop past that is aborted, never buffered without limit. Closing unregisters the endpoint first, so no
 * event is queued for it afterwards, and our mutex is never held while calling into
 * usrsctp (its threads hold their locks while calling us).
 *
 * Send space: with a receive callback usrsctp never wakes a socket upcall for writing;
 * it calls the socket's send callback instead, after each SACK that leaves at least
 * sb_threshold bytes free in that association's send buffer (and its chunk count under
 * sctp_max_chunks_on_queue). The callback only counts (space_gen) and, when a send was
 * refused (want_write), queues a writable report for the loop. A send refused with
 * EWOULDBLOCK arms want_write under the registry mutex unless space_gen moved since
 * just before the send: then room came back in between and the report is queued at
 * once, so no wake-up is lost.
 *
 * Bursts: the stack's UDP sockets get 8 MiB buffers (usrsctp opens them with 128 KiB,
 * and datagrams beyond the kernel's buffer are dropped and must be retransmitted),
 * every association a 4 MiB send buffer by default (SO_SNDBUF of the usrsctp socket),
 * and sctp_max_chunks_on_queue (DATA chunks in flight per association, a second reason
 * for EWOULDBLOCK) goes from 512 to 32768.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
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
	int efd;
	uintptr_t token;
	bool registered, stack_ref;
	struct udp_ev *head, **tail; /* under reg_mu */
	size_t queued, queue_max;    /* bytes in the queue, under reg_mu */
	bool want_write;	     /* a send was refused: report send space, under reg_mu */
	bool writable;		     /* a writable report is queued, under reg_mu */
	uint64_t space_gen;	     /* send callbacks so far; written under reg_mu */
	struct udp_ep *next;	     /* registry, under reg_mu */
};

/* Buffers of the stack's UDP sockets (SO_RCVBUF / SO_SNDBUF). */
#define UDP_SOCKET_BUF (8 << 20)
/* DATA chunks an association may have in flight (usrsctp's default is 512). */
#define MAX_CHUNKS_ON_QUEUE 32768

/* Stack life (init/finish); never taken by usrsctp's threads. */
static pthread_mutex_t stack_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned stack_refs;
static bool stack_running;
static uint16_t stack_port;

/* Registry of live endpoints and their event queues; taken by usrsctp's threads. */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct udp_ep *registry;
static uintptr_t next_token = 1;

/* ---- the stack ---- */

/* Is UDP `port` free for the stack to bind (INADDR_ANY, as usrsctp does)? */
static int probe_udp_port(uint16_t port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return -SEN_EIO;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		err = errno == EADDRINUSE ? -SEN_EEXIST : -SEN_EIO;
	close(fd);
	return err;
}

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

/*
 * usrsctp_init() opened the stack's UDP sockets (IPv4 and IPv6) on `port` with 128 KiB
 * buffers and gives no handle to them: find them among this process's descriptors (UDP,
 * bound to `port`; the port was probed free, so they are the stack's) and enlarge them.
 */
static void enlarge_udp_buffers(uint16_t port)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	unsigned found = 0;

	if (!d) {
		sen_log_warn(SCTP_LOG, "cannot list /proc/self/fd: UDP buffers of the stack unchanged");
		return;
	}
	while ((de = readdir(d))) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd, type = 0, proto = 0;
		socklen_t il = sizeof(int);
		uint16_t p;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd == dirfd(d))
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &il) < 0 || type != SOCK_DGRAM)
			continue;
		il = sizeof(int);
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &il) < 0 ||
		    proto != IPPROTO_UDP)
			continue;
		if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
			continue;
		if (ss.ss_family == AF_INET)
			p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		else
			continue;
		if (p != port)
			continue;
		int rb = set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, UDP_SOCKET_BUF);
		int sb = set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, UDP_SOCKET_BUF);
		sen_log_debug(SCTP_LOG,
			      "UDP socket %d of the stack: receive buffer %d, send buffer %d bytes",
			      fd, rb, sb);
		found++;
	}
	closedir(d);
	if (!found)
		sen_log_warn(SCTP_LOG, "no UDP socket of the stack found on port %u: buffers unchanged",
			     port);
}

static int stack_ref(uint16_t port)
{
	int err = 0;

	pthread_mutex_lock(&stack_mu);
	if (stack_running) {
		if (port != stack_port) {
			sen_log_error(SCTP_LOG, "usrsctp already runs on UDP port %u in this process; "
				      "one stack per process, so %u cannot be used too", stack_port, port);
			err = -SEN_EEXIST;
		} else {
			stack_refs++;
		}
		goto out;
	}
	err = probe_udp_port(port);
	if (err) {
		sen_log_error(SCTP_LOG, "UDP port %u for SCTP over UDP is in use (another stack?)", port);
		goto out;
	}
	usrsctp_init(port, NULL, NULL);
	/* DESIGN.md: ignore packets of associations this stack does not own. */
	usrsctp_sysctl_set_sctp_blackhole(2);
	/* RFC 9260 6.2 allows delaying SACKs up to 500 ms; one SACK per packet instead. */
	usrsctp_sysctl_set_sctp_sack_freq_default(1);
	usrsctp_sysctl_set_sctp_max_chunks_on_queue(MAX_CHUNKS_ON_QUEUE);
	enlarge_udp_buffers(port);
	stack_running = true;
	stack_port = port;
	stack_refs = 1;
	sen_log_debug(SCTP_LOG, "usrsctp stack up on UDP port %u", port);
out:
	pthread_mutex_unlock(&stack_mu);
	return err;
}

static void stack_unref(void)
{
	pthread_mutex_lock(&stack_mu);
	if (stack_refs && --stack_refs == 0) {
		/* usrsctp_finish() refuses while closed sockets still shut down their
		 * associations; then the stack stays up for the next endpoint. */
		for (int i = 0; i < 30; i++) {
			if (usrsctp_finish() == 0) {
				stack_running = false;
				sen_log_debug(SCTP_LOG, "usrsctp stack finished");
				break;
			}
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	pthread_mutex_unlock(&stack_mu);
}

/* ---- usrsctp's threads ---- */

static int receive_cb(struct socket *so, union sctp_sockstore addr, void *data, size_t len,
		      struct sctp_rcvinfo rcv, int flags, void *ulp_info)
{
	uintptr_t token = (uintptr_t)ulp_info;
	struct udp_ev *ev;
	struct udp_ep *ue;

	if (!data)
		return 1; /* the socket is closing */
	ev = calloc(1, sizeof(*ev));
	if (!ev) {
		free(data);
		return 1;
	}
	ev->data = data;
	ev->len = len;
	ev->rcv = rcv;
	ev->flags = flags;
	if (addr.sa.sa_family == AF_INET) {
		memcpy(&ev->from, &addr.sin, sizeof(addr.sin));
		ev->from_len = sizeof(addr.sin);
	} else if (addr.sa.sa_family == AF_INET6) {
		memcpy(&ev->from, &addr.sin6, sizeof(addr.sin6));
		ev->from_len = sizeof(addr.sin6);
	}
	pthread_mutex_lock(&reg_mu);
	for (ue = registry; ue && ue->token != token; ue = ue->next)
		;
	if (ue && !(flags & MSG_NOTIFICATION) &&
	    ue->queued + len + sizeof(*ev) > ue->queue_max) {
		/* In this mode usrsctp opens its receive window as soon as we return, so
		 * a peer can send faster than the loop reads: past queue_max its data is
		 * dropped and a marker queued instead, behind everything already queued.
		 * The loop aborts that association at the marker, so the gap is never
		 * seen as data. */
		free(ev->data);
		ev->data = NULL;
		ev->len = 0;
		ev->overload = true;
	}
	if (ue) {
		bool wake = ue->head == NULL && !ue->writable;
		*ue->tail = ev;
		ue->tail = &ev->next;
		ue->queued += ev->len + sizeof(*ev);
		if (wake) {
			uint64_t one = 1;
			if (write(ue->efd, &one, sizeof(one)) < 0) {
				/* the counter cannot overflow with one write per empty queue */
			}
		}
		ev = NULL;
	}
	pthread_mutex_unlock(&reg_mu);
	if (ev) {
		free(ev->data);
		free(ev);
	}
	return 1;
}

static void wake_loop(struct udp_ep *ue)
{
	uint64_t one = 1;

	if (write(ue->efd, &one, sizeof(one)) < 0) {
		/* the counter cannot overflow with one write per empty queue */
	}
}

/* Queue a writable report for the loop; under reg_mu. */
static void queue_writable(struct udp_ep *ue)
{
	bool wake = ue->head == NULL && !ue->writable;

	ue->want_write = false;
	ue->writable = true;
	if (wake)
		wake_loop(ue);
}

/* After a SACK left room in an association's send buffer (see the file comment). */
static int send_cb(struct socket *so, uint32_t sb_free, void *ulp_info)
{
	uintptr_t token = (uintptr_t)ulp_info;
	struct udp_ep *ue;

	(void)so;
	(void)sb_free;
	pthread_mutex_lock(&reg_mu);
	for (ue = registry; ue && ue->token != token; ue = ue->next)
		;
	if (ue) {
		__atomic_store_n(&ue->space_gen, ue->space_gen + 1, __ATOMIC_RELEASE);
		if (ue->want_write)
			queue_writable(ue);
	}
	pthread_mutex_unlock(&reg_mu);
	return 1;
}

/* ---- the loop thread ---- */

static void free_events(struct udp_ev *ev)
{
	while (ev) {
		struct udp_ev *next = ev->next;
		free(ev->data);
		free(ev);
		ev = next;
	}
}

/* The peer's primary address (RFC 6458 9.3 sctp_getpaddrs); the address usrsctp passes
 * with a notification is not the peer's. */
static socklen_t peer_addr(struct udp_ep *ue, uint32_t id, struct sockaddr_storage *ss)
{
	struct sockaddr *addrs = NULL;
	socklen_t len = 0;

	if (usrsctp_getpaddrs(ue->so, id, &addrs) > 0 && addrs) {
		if (addrs->sa_family == AF_INET)
			len = sizeof(struct sockaddr_in);
		else if (addrs->sa_family == AF_INET6)
			len = sizeof(struct sockaddr_in6);
		memcpy(ss, addrs, len);
	}
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

static void on_wake(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct udp_ep *ue = arg;
	struct sen_sctp_endpoint *ep = ue->ep;
	struct udp_ev *list, *ev;
	bool writable;
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		sen_log_warn(SCTP_LOG, "eventfd read: %m");
	pthread_mutex_lock(&reg_mu);
	list = ue->head;
	ue->head = NULL;
	ue->tail = &ue->head;
	ue->queued = 0;
	writable = ue->writable;
	ue->writable = false;
	pthread_mutex_unlock(&reg_mu);

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

static void unregister(struct udp_ep *ue)
{
	struct udp_ep **pp;
	struct udp_ev *left = NULL;

	if (!ue->registered)
		return;
	pthread_mutex_lock(&reg_mu);
	for (pp = &registry; *pp; pp = &(*pp)->next) {
		if (*pp == ue) {
			*pp = ue->next;
			break;
		}
	}
	left = ue->head;
	ue->head = NULL;
	ue->tail = &ue->head;
	ue->want_write = ue->writable = false;
	pthread_mutex_unlock(&reg_mu);
	free_events(left);
	ue->registered = false;
	sen_loop_fd_del(ue->ep->loop, ue->efd);
}

static int udp_init(struct sen_sctp_endpoint *ep)
{
	struct udp_ep *ue = calloc(1, sizeof(*ue));
	int err;

	if (!ue)
		return -SEN_ENOMEM;
	ue->ep = ep;
	ue->tail = &ue->head;
	ue->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ue->efd < 0) {
		free(ue);
		return -SEN_EIO;
	}
	ue->queue_max = ep->conf.rx_queue_max;
	err = stack_ref(ep->conf.udp_local_port);
	if (err)
		goto fail;
	ue->stack_ref = true;
	err = sen_loop_fd_add(ep->loop, ue->efd, SEN_LOOP_READ, on_wake, ue);
	if (err)
		goto fail;
	pthread_mutex_lock(&reg_mu);
	ue->token = next_token++;
	ue->next = registry;
	registry = ue;
	pthread_mutex_unlock(&reg_mu);
	ue->registered = true;
	ep->be_data = ue;
	return 0;
fail:
	if (ue->stack_ref)
		stack_unref();
	close(ue->efd);
	free(ue);
	return err;
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

	/* RFC 6458 3: a one-to-many style socket carries all associations. */
	/* send_cb after a SACK that leaves a quarter of the send buffer (at most 64 KiB)
	 * free (file comment) */
	ue->so = usrsctp_socket(family, SOCK_SEQPACKET, IPPROTO_SCTP, receive_cb, send_cb,
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
	/* RFC 6951 5.2 (and the SCTP_REMOTE_UDP_ENCAPS_PORT option of 5.3/6): the peer's
	 * UDP port for associations this endpoint starts. */
	struct sctp_udpencaps enc;
	memset(&enc, 0, sizeof(enc));
	enc.sue_assoc_id = SCTP_FUTURE_ASSOC;
	enc.sue_port = htons(c->udp_remote_port);
	err = err ? err : setopt(ue->so, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc), "SCTP_REMOTE_UDP_ENCAPS_PORT");
	if (err) {
		usrsctp_close(ue->so);
		ue->so = NULL;
	}
	return err;
}

static int udp_bind(struct sen_sctp_endpoint *ep, const struct sockaddr *sa, socklen_t len)
{
	struct udp_ep *ue = ep->be_data;

	if (usrsctp_bind(ue->so, (struct sockaddr *)sa, len) < 0) {
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
	sctp_assoc_t aid = 0;

	(void)len;
	/* RFC 6458 9.9: sctp_connectx() gives the association id before it is up. */
	if (usrsctp_connectx(ue->so, sa, 1, &aid) < 0 && errno != EINPROGRESS) {
		sen_log_warn(SCTP_LOG, "usrsctp connect: %m");
		return errno == EINVAL || errno == EAFNOSUPPORT ? -SEN_EINVAL : -SEN_EIO;
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
	uint64_t gen = __atomic_load_n(&ue->space_gen, __ATOMIC_ACQUIRE);
	/* RFC 6458 5.3.4: ppid is opaque to the stack, so it goes in network order. */
	int err = udp_sendv(ue, id, 0, stream, ppid, data, len);

	if (err == -SEN_EAGAIN) {
		/* Arm the writable report; if a send callback ran since `gen` was read, room
		 * may have come back after the stack refused: report it at once. */
		pthread_mutex_lock(&reg_mu);
		if (ue->registered) {
			if (ue->space_gen != gen)
				queue_writable(ue);
			else
				ue->want_write = true;
		}
		pthread_mutex_unlock(&reg_mu);
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
	close(ue->efd);
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
