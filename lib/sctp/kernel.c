/*
 * lib/sctp back end over the kernel's SCTP (RFC 9260) through the sockets API of
 * RFC 6458: one non-blocking one-to-many (SOCK_SEQPACKET) socket per endpoint, watched
 * by the endpoint's sen_loop. Everything runs on the loop thread; there are no threads
 * of ours or the stack's to hand over from.
 *
 * The kernels of the development machines have no SCTP (DESIGN.md), so here this back
 * end is only compiled, and its absence is detected (sen_sctp_kernel_available(),
 * -SEN_ENOTSUP); the sockets calls it makes are the same RFC 6458 calls the usrsctp
 * back end makes, so the two share one set of options.
 *
 * Send space: a sendmsg() refused with EAGAIN adds SEN_LOOP_WRITE to the socket's watch
 * (level-triggered, so room that came back before is seen at once); when the socket is
 * writable the watch goes back to reading and the common layer is told
 * (sctp_ev_writable). SO_SNDBUF is the configured send buffer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "sctp/internal.h"

/* Largest piece read at once; longer messages arrive in pieces (MSG_EOR on the last). */
#define READ_SIZE 65536
/* Messages read per readiness callback, so one busy association cannot starve the loop. */
#define READ_BATCH 64

struct kernel_ep {
	int fd;
	uint8_t *buf;
	bool want_write; /* SEN_LOOP_WRITE is watched */
};

bool sen_sctp_kernel_available(void)
{
	static const int types[] = {SOCK_SEQPACKET, SOCK_STREAM};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = socket(AF_INET, types[i] | SOCK_CLOEXEC, IPPROTO_SCTP);
		if (fd >= 0) {
			close(fd);
			return true;
		}
	}
	return false;
}

static int kernel_init(struct sen_sctp_endpoint *ep)
{
	struct kernel_ep *ke = calloc(1, sizeof(*ke));

	if (!ke)
		return -SEN_ENOMEM;
	ke->fd = -1;
	ke->buf = malloc(READ_SIZE);
	if (!ke->buf) {
		free(ke);
		return -SEN_ENOMEM;
	}
	ep->be_data = ke;
	return 0;
}

static int setopt(int fd, int opt, const void *v, socklen_t len, const char *name)
{
	if (setsockopt(fd, IPPROTO_SCTP, opt, v, len) < 0) {
		sen_log_error(SCTP_LOG, "setsockopt %s: %m", name);
		return -SEN_EIO;
	}
	return 0;
}

static void handle_notification(struct sen_sctp_endpoint *ep, const uint8_t *p, size_t len,
				const struct sockaddr *from, socklen_t from_len)
{
	const union sctp_notification *n = (const union sctp_notification *)p;

	if (len < sizeof(n->sn_header) || n->sn_header.sn_length > len)
		return;
	switch (n->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE: {
		const struct sctp_assoc_change *c = &n->sn_assoc_change;
		enum sctp_assoc_event e;
		if (len < sizeof(*c))
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
		sctp_ev_assoc(ep, (uint32_t)c->sac_assoc_id, e, c->sac_inbound_streams,
			      c->sac_outbound_streams, from, from_len);
		return;
	}
	case SCTP_PARTIAL_DELIVERY_EVENT: {
		const struct sctp_pdapi_event *pd = &n->sn_pdapi_event;
		if (len >= sizeof(*pd) && pd->pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED)
			sctp_ev_pd_aborted(ep, (uint32_t)pd->pdapi_assoc_id);
		return;
	}
	case SCTP_SHUTDOWN_EVENT:
		sen_log_debug(SCTP_LOG, "assoc %u: peer sent SHUTDOWN",
			      (uint32_t)n->sn_shutdown_event.sse_assoc_id);
		return;
	case SCTP_SEND_FAILED:
		sen_log_warn(SCTP_LOG, "assoc %u: a message could not be sent",
			     (uint32_t)n->sn_send_failed.ssf_assoc_id);
		return;
	default:
		return;
	}
}

static void on_readable(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct sen_sctp_endpoint *ep = arg;
	struct kernel_ep *ke = ep->be_data;

	sctp_enter(ep);
	if ((events & SEN_LOOP_WRITE) && ke->want_write) {
		ke->want_write = false;
		sen_loop_fd_mod(loop, fd, SEN_LOOP_READ);
		sctp_ev_writable(ep);
	}
	if (!(events & (SEN_LOOP_READ | SEN_LOOP_ERROR))) {
		sctp_leave(ep);
		return;
	}
	for (int i = 0; i < READ_BATCH && !ep->closed; i++) {
		union {
			struct cmsghdr align;
			uint8_t b[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
		} ctl;
		struct sockaddr_storage from;
		struct iovec iov = {.iov_base = ke->buf, .iov_len = READ_SIZE};
		struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof(from),
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)};
		const struct sctp_sndrcvinfo *sinfo = NULL;
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				sen_log_warn(SCTP_LOG, "recvmsg: %m");
			break;
		}
		if (mh.msg_flags & MSG_NOTIFICATION) {
			/* notifications are small and come whole with a 64 KiB buffer */
			if (mh.msg_flags & MSG_EOR)
				handle_notification(ep, ke->buf, (size_t)n,
						    (struct sockaddr *)&from, mh.msg_namelen);
			continue;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_SNDRCV &&
			    c->cmsg_len >= CMSG_LEN(sizeof(*sinfo)))
				sinfo = (const struct sctp_sndrcvinfo *)CMSG_DATA(c);
		}
		if (!sinfo) {
			sen_log_warn(SCTP_LOG, "message without SCTP_SNDRCV information dropped");
			continue;
		}
		sctp_ev_data(ep, (uint32_t)sinfo->sinfo_assoc_id, sinfo->sinfo_stream,
			     ntohl(sinfo->sinfo_ppid), ke->buf, (size_t)n,
			     (mh.msg_flags & MSG_EOR) != 0, (struct sockaddr *)&from,
			     mh.msg_namelen);
	}
	sctp_leave(ep);
}

static int kernel_open(struct sen_sctp_endpoint *ep, int family)
{
	struct kernel_ep *ke = ep->be_data;
	const struct sctp_conf *c = &ep->conf;
	int on = 1, err = 0;

	ke->fd = socket(family, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_SCTP);
	if (ke->fd < 0) {
		int e = errno;
		sen_log_error(SCTP_LOG, "socket(SCTP): %m");
		return e == EPROTONOSUPPORT || e == ESOCKTNOSUPPORT || e == EAFNOSUPPORT
			       ? -SEN_ENOTSUP
			       : -SEN_EIO;
	}
	/* The same options, clause by clause, as the usrsctp back end (udp.c). */
	int sndbuf = (int)c->sndbuf;
	if (setsockopt(ke->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0 &&
	    setsockopt(ke->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) < 0)
		sen_log_warn(SCTP_LOG, "setsockopt SO_SNDBUF %d: %m", sndbuf);
	err = setopt(ke->fd, SCTP_NODELAY, &on, sizeof(on), "SCTP_NODELAY");
	struct sctp_sack_info sack = {.sack_assoc_id = 0, .sack_delay = 0, .sack_freq = 1};
	err = err ? err : setopt(ke->fd, SCTP_DELAYED_SACK, &sack, sizeof(sack), "SCTP_DELAYED_SACK");
	struct sctp_initmsg init = {.sinit_num_ostreams = c->streams,
				    .sinit_max_instreams = c->streams,
				    .sinit_max_attempts = c->init_attempts,
				    .sinit_max_init_timeo = (uint16_t)(c->rto_max_ms > 65535 ? 65535 : c->rto_max_ms)};
	err = err ? err : setopt(ke->fd, SCTP_INITMSG, &init, sizeof(init), "SCTP_INITMSG");
	struct sctp_rtoinfo rto = {.srto_assoc_id = 0, .srto_initial = c->rto_initial_ms,
				   .srto_max = c->rto_max_ms, .srto_min = c->rto_min_ms};
	err = err ? err : setopt(ke->fd, SCTP_RTOINFO, &rto, sizeof(rto), "SCTP_RTOINFO");
	struct sctp_assocparams ap;
	memset(&ap, 0, sizeof(ap));
	ap.sasoc_asocmaxrxt = c->max_retrans;
	err = err ? err : setopt(ke->fd, SCTP_ASSOCINFO, &ap, sizeof(ap), "SCTP_ASSOCINFO");
	struct sctp_paddrparams pp;
	memset(&pp, 0, sizeof(pp));
	pp.spp_hbinterval = c->hb_interval_ms;
	pp.spp_pathmaxrxt = c->max_retrans;
	pp.spp_flags = SPP_HB_ENABLE;
	err = err ? err : setopt(ke->fd, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), "SCTP_PEER_ADDR_PARAMS");
	/* RFC 6458 6.2.2 (SCTP_EVENTS, understood by every Linux version): SCTP_SNDRCV
	 * with each message, and the notifications the common layer acts on. */
	struct sctp_event_subscribe ev;
	memset(&ev, 0, sizeof(ev));
	ev.sctp_data_io_event = 1;
	ev.sctp_association_event = 1;
	ev.sctp_send_failure_event = 1;
	ev.sctp_shutdown_event = 1;
	ev.sctp_partial_delivery_event = 1;
	err = err ? err : setopt(ke->fd, SCTP_EVENTS, &ev, sizeof(ev), "SCTP_EVENTS");
	err = err ? err : setopt(ke->fd, SCTP_FRAGMENT_INTERLEAVE, &on, sizeof(on), "SCTP_FRAGMENT_INTERLEAVE");
	if (c->pd_point) {
		uint32_t pd = c->pd_point;
		err = err ? err : setopt(ke->fd, SCTP_PARTIAL_DELIVERY_POINT, &pd, sizeof(pd), "SCTP_PARTIAL_DELIVERY_POINT");
	}
	err = err ? err : sen_loop_fd_add(ep->loop, ke->fd, SEN_LOOP_READ, on_readable, ep);
	if (err) {
		close(ke->fd);
		ke->fd = -1;
	}
	return err;
}

static int kernel_bind(struct sen_sctp_endpoint *ep, const struct sockaddr *sa, socklen_t len)
{
	struct kernel_ep *ke = ep->be_data;

	if (bind(ke->fd, sa, len) < 0) {
		int e = errno;
		sen_log_error(SCTP_LOG, "bind: %m");
		return e == EADDRINUSE ? -SEN_EEXIST : e == EADDRNOTAVAIL ? -SEN_EINVAL : -SEN_EIO;
	}
	return 0;
}

static int kernel_listen(struct sen_sctp_endpoint *ep)
{
	struct kernel_ep *ke = ep->be_data;

	if (listen(ke->fd, 128) < 0) {
		sen_log_error(SCTP_LOG, "listen: %m");
		return -SEN_EIO;
	}
	return 0;
}

static int kernel_connect(struct sen_sctp_endpoint *ep, const struct sockaddr *sa,
			  socklen_t len, uint32_t *id)
{
	struct kernel_ep *ke = ep->be_data;
	sctp_assoc_t aid = 0;

	(void)len;
	/* RFC 6458 9.9: sctp_connectx() returns the association id even when the
	 * non-blocking connect is still in progress. */
	if (sctp_connectx(ke->fd, (struct sockaddr *)sa, 1, &aid) < 0 && errno != EINPROGRESS) {
		int e = errno;
		sen_log_warn(SCTP_LOG, "sctp_connectx: %m");
		return e == EINVAL || e == EAFNOSUPPORT ? -SEN_EINVAL : -SEN_EIO;
	}
	if (aid == 0) {
		sen_log_error(SCTP_LOG, "sctp_connectx gave no association id");
		return -SEN_EIO;
	}
	*id = (uint32_t)aid;
	return 0;
}

static int kernel_sendmsg(struct kernel_ep *ke, uint32_t id, uint16_t flags, uint16_t stream,
			  uint32_t ppid, const void *data, size_t len)
{
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct sctp_sndrcvinfo))];
	} ctl;
	struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)};
	struct cmsghdr *c;
	struct sctp_sndrcvinfo sinfo;

	memset(&ctl, 0, sizeof(ctl));
	memset(&sinfo, 0, sizeof(sinfo));
	/* RFC 6458 5.3.2: SCTP_SNDRCV ancillary data; the PPID is opaque, network order. */
	sinfo.sinfo_stream = stream;
	sinfo.sinfo_flags = flags;
	sinfo.sinfo_ppid = htonl(ppid);
	sinfo.sinfo_assoc_id = (sctp_assoc_t)id;
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDRCV;
	c->cmsg_len = CMSG_LEN(sizeof(sinfo));
	memcpy(CMSG_DATA(c), &sinfo, sizeof(sinfo));
	if (sendmsg(ke->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -SEN_EAGAIN;
		sen_log_warn(SCTP_LOG, "assoc %u: sendmsg: %m", id);
		return errno == EMSGSIZE ? -SEN_EMSGSIZE : -SEN_EIO;
	}
	return 0;
}

static int kernel_send(struct sen_sctp_endpoint *ep, uint32_t id, uint16_t stream,
		       uint32_t ppid, const void *data, size_t len)
{
	struct kernel_ep *ke = ep->be_data;
	int err = kernel_sendmsg(ke, id, 0, stream, ppid, data, len);

	if (err == -SEN_EAGAIN && !ke->want_write &&
	    sen_loop_fd_mod(ep->loop, ke->fd, SEN_LOOP_READ | SEN_LOOP_WRITE) == 0)
		ke->want_write = true;
	return err;
}

static int kernel_shutdown(struct sen_sctp_endpoint *ep, uint32_t id)
{
	return kernel_sendmsg(ep->be_data, id, SCTP_EOF, 0, 0, NULL, 0);
}

static int kernel_abort(struct sen_sctp_endpoint *ep, uint32_t id)
{
	return kernel_sendmsg(ep->be_data, id, SCTP_ABORT, 0, 0, NULL, 0);
}

static void kernel_close(struct sen_sctp_endpoint *ep)
{
	struct kernel_ep *ke = ep->be_data;

	if (ke->fd >= 0) {
		sen_loop_fd_del(ep->loop, ke->fd);
		close(ke->fd); /* RFC 6458 3.1.8: graceful shutdown of every association */
		ke->fd = -1;
	}
}

static void kernel_release(struct sen_sctp_endpoint *ep)
{
	struct kernel_ep *ke = ep->be_data;

	if (!ke)
		return;
	kernel_close(ep);
	free(ke->buf);
	free(ke);
	ep->be_data = NULL;
}

const struct sctp_backend sctp_backend_kernel = {
	.name = "kernel",
	.init = kernel_init,
	.open = kernel_open,
	.bind = kernel_bind,
	.listen = kernel_listen,
	.connect = kernel_connect,
	.send = kernel_send,
	.shutdown = kernel_shutdown,
	.abort = kernel_abort,
	.close = kernel_close,
	.release = kernel_release,
};
