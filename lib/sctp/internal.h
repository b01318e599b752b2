/*
 * lib/sctp internals shared by the common layer (sctp.c) and the two back ends
 * (kernel.c: kernel SCTP; udp.c: usrsctp over UDP). The common layer owns the
 * association objects, message reassembly, size limits, timers and the user callbacks;
 * a back end owns one socket and turns what its stack reports into the neutral calls
 * sctp_ev_*(), always on the loop thread.
 *
 * usrsctp.h and <netinet/sctp.h> declare the same names differently, so each back end
 * includes only its own, and nothing here includes either.
 */
#ifndef SEN_SCTP_INTERNAL_H
#define SEN_SCTP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/loop.h"
#include "sctp/sctp.h"

#define SCTP_LOG "sctp"

struct sctp_backend {
	const char *name;
	/* At endpoint creation, before any socket (UDP: take a reference on the stack). */
	int (*init)(struct sen_sctp_endpoint *ep);
	/* Create the socket of `family` and apply the endpoint's options. */
	int (*open)(struct sen_sctp_endpoint *ep, int family);
	int (*bind)(struct sen_sctp_endpoint *ep, const struct sockaddr *sa, socklen_t len);
	int (*listen)(struct sen_sctp_endpoint *ep);
	/* Non-blocking connect; sets the new association's id. */
	int (*connect)(struct sen_sctp_endpoint *ep, const struct sockaddr *sa, socklen_t len,
		       uint32_t *id);
	/* Returns 0, -SEN_EAGAIN (buffer full) or -SEN_EIO. `ppid` in host order. On
	 * -SEN_EAGAIN the back end arms its send-space notification: sctp_ev_writable()
	 * follows, from the loop, once any association of the endpoint may have room (a
	 * spurious call is allowed, a lost one is not). */
	int (*send)(struct sen_sctp_endpoint *ep, uint32_t id, uint16_t stream, uint32_t ppid,
		    const void *data, size_t len);
	int (*shutdown)(struct sen_sctp_endpoint *ep, uint32_t id);
	int (*abort)(struct sen_sctp_endpoint *ep, uint32_t id);
	/* Close the socket; afterwards no sctp_ev_* call is made for this endpoint. */
	void (*close)(struct sen_sctp_endpoint *ep);
	/* Undo init (called once, after close if a socket was opened). */
	void (*release)(struct sen_sctp_endpoint *ep);
};

extern const struct sctp_backend sctp_backend_kernel;
extern const struct sctp_backend sctp_backend_udp;

/* Effective configuration: every field resolved to its value. */
struct sctp_conf {
	enum sen_sctp_transport transport;
	uint16_t udp_local_port, udp_remote_port;
	uint16_t streams;
	uint32_t max_message, pd_point;
	uint32_t rto_initial_ms, rto_min_ms, rto_max_ms, hb_interval_ms;
	uint16_t max_retrans, init_attempts;
	uint32_t sndbuf, rx_queue_max;
};

struct sen_sctp_endpoint {
	struct sen_loop *loop;
	const struct sctp_backend *be;
	void *be_data; /* back end's private state */
	struct sctp_conf conf;
	struct sen_sctp_callbacks cbs;
	void *arg;
	int family;    /* 0 until the socket exists */
	bool bound, listening, closed;
	unsigned depth; /* nesting of back end dispatch / timer callbacks */
	struct sen_hash *assocs;	  /* id -> live association */
	struct sen_sctp_assoc *dead;	  /* locally aborted / timed out, down not yet called */
	struct sen_timer defer;		  /* zero-delay timer that reports `dead` */
	unsigned n_blocked;		  /* associations whose last send met a full buffer */
	struct sen_sctp_stats stats;
	struct sockaddr_storage local; /* local_addr for connect-only endpoints */
	socklen_t local_len;
};

/*
 * Guard a back end's dispatch: sctp_enter() before handing events over, sctp_leave()
 * after. When the user closes the endpoint inside a callback, sctp_leave() frees it and
 * returns false; the back end must not touch `ep` afterwards. Between events, a back end
 * checks ep->closed and stops.
 */
void sctp_enter(struct sen_sctp_endpoint *ep);
bool sctp_leave(struct sen_sctp_endpoint *ep);

/* Neutral events, called by back ends on the loop thread inside enter/leave. */
enum sctp_assoc_event {
	SCTP_EV_UP,
	SCTP_EV_RESTART,
	SCTP_EV_LOST,
	SCTP_EV_SHUTDOWN_DONE,
	SCTP_EV_CANT_START,
};
void sctp_ev_assoc(struct sen_sctp_endpoint *ep, uint32_t id, enum sctp_assoc_event ev,
		   uint16_t in_streams, uint16_t out_streams, const struct sockaddr *peer,
		   socklen_t peer_len);
/* A piece of a message; `eor` on its last piece (MSG_EOR, RFC 6458 5.3.1). */
void sctp_ev_data(struct sen_sctp_endpoint *ep, uint32_t id, uint16_t stream, uint32_t ppid,
		  const uint8_t *data, size_t len, bool eor, const struct sockaddr *peer,
		  socklen_t peer_len);
/* The back end had to drop data of `id` (its queue was full): abort the association. */
void sctp_ev_overload(struct sen_sctp_endpoint *ep, uint32_t id);
/* Send space may have come back (after a back end send returned -SEN_EAGAIN): the
 * associations that were refused get their writable callback. */
void sctp_ev_writable(struct sen_sctp_endpoint *ep);
/* SCTP_PARTIAL_DELIVERY_EVENT with SCTP_PARTIAL_DELIVERY_ABORTED (RFC 6458 6.1.7). */
void sctp_ev_pd_aborted(struct sen_sctp_endpoint *ep, uint32_t id);

#endif
