/*
 * SCTP associations for NGAP (TS 38.412 clause 7) with one API and two back ends
 * (DESIGN.md, "SCTP and the machines here"):
 *
 * - SEN_SCTP_KERNEL: the kernel's SCTP (RFC 9260) through the sockets API of RFC 6458,
 *   for deployments;
 * - SEN_SCTP_UDP: usrsctp, a userspace SCTP stack, with SCTP-over-UDP encapsulation
 *   (RFC 6951), for machines whose kernel has no SCTP. The local and remote UDP ports are
 *   configurable; 9899 (the IANA port of RFC 6951 clause 5.1) by default.
 *
 * An endpoint is one one-to-many socket (RFC 6458 clause 3): it may listen for many
 * associations (an AMF and its gNBs) and/or start associations itself (a gNB connecting
 * to one or more AMFs). Messages are sent and received whole, on (association, stream,
 * PPID): NGAP uses PPID 60 (SEN_SCTP_PPID_NGAP), stream 0 for non-UE-associated
 * signalling and the other streams for UE-associated signalling (TS 38.412 clause 7).
 *
 * Threads: every function must be called on the thread of the endpoint's sen_loop, and
 * every callback runs on that thread. usrsctp runs without threads, driven by the loop
 * (all UDP endpoints of a process share one loop); what it reports is queued and handed
 * over between its calls, so no callback runs inside sen_sctp_send(). After
 * sen_sctp_close() no callback of that endpoint fires.
 *
 * Latency: both back ends are set up with SCTP_NODELAY (RFC 6458 8.1.5) and with the
 * delayed SACK algorithm off (SCTP_DELAYED_SACK, sack_freq 1, RFC 6458 8.1.19), so an
 * exchange of small messages never waits ~200 ms for a SACK (RFC 9260 6.2).
 *
 * Hostile peers: a message longer than the configured maximum is dropped and counted
 * (the association stays up); messages delivered in parts (partial delivery, RFC 6458
 * 8.1.20/8.1.21) are reassembled up to that maximum; a peer that aborts in the middle of
 * a message leaves nothing behind but a counter.
 */
#ifndef SEN_SCTP_SCTP_H
#define SEN_SCTP_SCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_loop;
struct sen_sctp_endpoint;
struct sen_sctp_assoc;

/* TS 38.412 clause 7: the payload protocol identifier of NGAP. */
#define SEN_SCTP_PPID_NGAP 60
/* RFC 6951 clause 5.1: the registered UDP port of SCTP over UDP. */
#define SEN_SCTP_UDP_PORT 9899
/* NGAP's registered SCTP port (TS 38.412 clause 7). */
#define SEN_SCTP_NGAP_PORT 38412

enum sen_sctp_transport {
	SEN_SCTP_AUTO = 0, /* the kernel when it has SCTP, else SEN_SCTP_UDP */
	SEN_SCTP_KERNEL,   /* kernel SCTP ("sctp" in sen.yaml) */
	SEN_SCTP_UDP,	   /* usrsctp over UDP, RFC 6951 ("sctp-udp") */
};

/* Why an association went down (the `reason` of the down callback). */
enum sen_sctp_down_reason {
	SEN_SCTP_DOWN_SHUTDOWN = 0, /* graceful SHUTDOWN completed (either side) */
	SEN_SCTP_DOWN_LOST,	    /* ABORT from the peer, or the peer is unreachable */
	SEN_SCTP_DOWN_REFUSED,	    /* the association could not be started */
	SEN_SCTP_DOWN_TIMEOUT,	    /* sen_sctp_connect()'s timeout expired */
	SEN_SCTP_DOWN_ABORTED,	    /* sen_sctp_abort() was called here */
	SEN_SCTP_DOWN_OVERLOAD,	    /* aborted here: the peer sent faster than the loop read */
};

/*
 * What happens on an endpoint. Every member may be NULL. `arg` is the callbacks' `arg`
 * given to sen_sctp_endpoint_new(). Inside any callback the caller may send, shut down
 * or abort any association, connect, and even close the endpoint.
 */
struct sen_sctp_callbacks {
	/*
	 * The association is established (COMMUNICATION UP, RFC 6458 6.1.1), with the
	 * number of inbound and outbound streams negotiated (RFC 9260 5.1.1).
	 */
	void (*up)(struct sen_sctp_assoc *assoc, uint16_t in_streams, uint16_t out_streams,
		   void *arg);
	/*
	 * The peer restarted the association (RFC 9260 5.2.4; RFC 6458 6.1.1 SCTP_RESTART):
	 * it kept its addresses but lost its state. For NGAP, treat it as a new peer. The
	 * association object stays the same.
	 */
	void (*restart)(struct sen_sctp_assoc *assoc, uint16_t in_streams, uint16_t out_streams,
			void *arg);
	/*
	 * The association is gone. Called exactly once for every association that was
	 * reported up or returned by sen_sctp_connect() (unless the endpoint is closed
	 * first). `assoc` is freed when this returns.
	 */
	void (*down)(struct sen_sctp_assoc *assoc, enum sen_sctp_down_reason reason, void *arg);
	/*
	 * One whole message arrived on `stream` with `ppid` (host byte order). `data` is
	 * valid only during the call.
	 */
	void (*message)(struct sen_sctp_assoc *assoc, uint16_t stream, uint32_t ppid,
			const uint8_t *data, size_t len, void *arg);
	/*
	 * The association has send space again: a sen_sctp_send() on it returned -SEN_EAGAIN
	 * because its send buffer was full, and the stack has since taken data off that
	 * buffer (acknowledged by the peer). Called once per such refusal episode: if a
	 * send fails with -SEN_EAGAIN again, another call follows later. Never called for
	 * -SEN_EAGAIN before the association is up (`up` is that signal), never from inside
	 * sen_sctp_send(). It may come when there is still too little room for a large
	 * message; the caller just tries again and waits for the next call.
	 */
	void (*writable)(struct sen_sctp_assoc *assoc, void *arg);
};

/*
 * Endpoint settings. Zero in any field means its default, so `= {0}` is a working
 * configuration (AUTO transport, UDP port 9899 both ways, 16 streams, 256 KiB messages).
 */
struct sen_sctp_config {
	enum sen_sctp_transport transport;
	uint16_t udp_local_port;  /* UDP only: our encapsulation port (default 9899) */
	uint16_t udp_remote_port; /* UDP only: the peer's port for associations we start
				     (default 9899); for associations a peer starts, the
				     source port of its packets is used (RFC 6951 5.4) */
	uint16_t streams;	  /* outbound streams requested and inbound streams accepted,
				     2..65535 (default 16; TS 38.412 7 needs >= 2) */
	uint32_t max_message;	  /* longest message accepted, bytes (default 262144) */
	uint32_t pd_point;	  /* partial delivery point, bytes (default: the stack's) */
	uint32_t rto_initial_ms;  /* RFC 9260 16: RTO.Initial (default 1000) */
	uint32_t rto_min_ms;	  /* RTO.Min (default 200) */
	uint32_t rto_max_ms;	  /* RTO.Max (default 10000) */
	uint32_t hb_interval_ms;  /* HB.interval (default 5000) */
	uint16_t max_retrans;	  /* Association.Max.Retrans and Path.Max.Retrans (default 5) */
	uint16_t init_attempts;	  /* Max.Init.Retransmits (default 5) */
	const char *local_addr;	  /* address to bind when not listening (default: any) */
	uint32_t sndbuf;	  /* send buffer, bytes (default 4 MiB): what may wait in the
				     stack for the peer's acknowledgement before sen_sctp_send()
				     says -SEN_EAGAIN. usrsctp: per association; kernel: SO_SNDBUF
				     of the socket, shared by its associations (Linux's default
				     sndbuf_policy) and capped by net.core.wmem_max */
	uint32_t rx_queue_max;	  /* UDP only: bytes (with ~170 per message of overhead)
				     that may wait between usrsctp and the common layer
				     before an association is cut off with
				     SEN_SCTP_DOWN_OVERLOAD (default 64 MiB; at least
				     max_message) */
};

/* Counters of one endpoint since it was created. */
struct sen_sctp_stats {
	uint64_t msgs_in, bytes_in;   /* messages delivered to the message callback */
	uint64_t msgs_out, bytes_out; /* messages accepted by sen_sctp_send() */
	uint64_t dropped_oversize;    /* messages longer than max_message, dropped */
	uint64_t dropped_partial;     /* partial messages cut off by an abort or a lost peer */
	uint64_t msgs_reassembled;    /* delivered messages that arrived in several pieces */
	uint64_t dropped_overload;    /* associations aborted for outrunning the loop */
	uint64_t assocs_up;	      /* associations established (incl. restarts) */
	uint64_t assocs_down;	      /* down callbacks */
	uint64_t send_full;	      /* sends refused with -SEN_EAGAIN: send buffer full */
	uint64_t writable;	      /* writable callbacks */
};

/*
 * True when the kernel offers SCTP: socket(AF_INET, SOCK_SEQPACKET or SOCK_STREAM,
 * IPPROTO_SCTP) succeeds. This is what SEN_SCTP_AUTO decides by.
 */
bool sen_sctp_kernel_available(void);

/* "sctp", "sctp-udp" or "auto" (the sen.yaml spelling); "?" if invalid. */
const char *sen_sctp_transport_name(enum sen_sctp_transport t);

/* Parse the sen.yaml spelling ("sctp", "sctp-udp", "auto"). 0 or -SEN_EINVAL. */
int sen_sctp_transport_parse(const char *s, enum sen_sctp_transport *t);

/*
 * Create an endpoint on `loop` with `cfg` (NULL: all defaults) and callbacks `cbs`
 * (copied; NULL: none) called with `arg`. Resolves AUTO. No socket is bound yet.
 * Returns 0 and sets *ep, or:
 *  -SEN_EINVAL   bad argument (streams out of range, bad local_addr …);
 *  -SEN_ENOTSUP  SEN_SCTP_KERNEL asked for and the kernel has no SCTP;
 *  -SEN_EEXIST   UDP: another process (or another SCTP stack) holds the local UDP port,
 *                or this process's usrsctp stack already runs on a different port (one
 *                stack per process, hence one local UDP port per process);
 *  -SEN_ENOMEM, -SEN_EIO.
 */
int sen_sctp_endpoint_new(struct sen_sctp_endpoint **ep, struct sen_loop *loop,
			  const struct sen_sctp_config *cfg, const struct sen_sctp_callbacks *cbs,
			  void *arg);

/* The transport in use (never SEN_SCTP_AUTO). */
enum sen_sctp_transport sen_sctp_endpoint_transport(const struct sen_sctp_endpoint *ep);

/*
 * Bind to `addr` (IPv4 or IPv6 literal; NULL or "" for any) and `port`, and accept
 * associations (RFC 6458 3.1.3). At most once per endpoint, and before any connect.
 * Returns 0, -SEN_EINVAL (bad address, already bound), -SEN_EEXIST (address in use) or
 * -SEN_EIO.
 */
int sen_sctp_listen(struct sen_sctp_endpoint *ep, const char *addr, uint16_t port);

/*
 * Start an association to `addr`:`port` (RFC 6458 3.1.5, non-blocking) and set
 * *assoc. The up callback follows when it is established; the down callback with
 * SEN_SCTP_DOWN_REFUSED or SEN_SCTP_DOWN_TIMEOUT if it is not within `timeout_ms`
 * (0: no timeout of ours; the stack gives up after init_attempts). Without a timeout a
 * connect with nobody listening takes ~100 s over UDP. Returns 0, -SEN_EINVAL (bad
 * address, or a family other than the endpoint's first one), -SEN_ENOMEM or -SEN_EIO.
 */
int sen_sctp_connect(struct sen_sctp_endpoint *ep, const char *addr, uint16_t port,
		     uint32_t timeout_ms, struct sen_sctp_assoc **assoc);

/*
 * Send one message on `stream` with `ppid` (host byte order; put on the wire in network
 * order, RFC 6458 5.3.4). Never blocks. Returns 0 or:
 *  -SEN_EAGAIN    not up yet (the up callback follows), or the send buffer is full (the
 *                 writable callback follows once there is room again); the message was
 *                 not taken, and a caller that must keep order queues it and everything
 *                 after it until then;
 *  -SEN_ERANGE    stream >= the negotiated outbound streams;
 *  -SEN_EMSGSIZE  len is 0 or larger than max_message;
 *  -SEN_ENOENT    the association is shutting down or down;
 *  -SEN_EIO.
 */
int sen_sctp_send(struct sen_sctp_assoc *assoc, uint16_t stream, uint32_t ppid,
		  const void *data, size_t len);

/*
 * Graceful SHUTDOWN (RFC 9260 9.2; SCTP_EOF, RFC 6458 5.3.4): queued data is still
 * delivered, then down(SEN_SCTP_DOWN_SHUTDOWN). On an association not yet up this is
 * sen_sctp_abort(). Returns 0, -SEN_ENOENT if already shutting down or down, or
 * -SEN_EIO.
 */
int sen_sctp_shutdown(struct sen_sctp_assoc *assoc);

/*
 * ABORT the association (RFC 9260 9.1; SCTP_ABORT, RFC 6458 5.3.4). The down callback
 * follows with SEN_SCTP_DOWN_ABORTED, from the loop, never from inside this call.
 * Returns 0 or -SEN_ENOENT if the association is already going down.
 */
int sen_sctp_abort(struct sen_sctp_assoc *assoc);

/*
 * Close the endpoint: its associations are shut down gracefully by the stack in the
 * background, all association objects are freed, and no callback fires afterwards
 * (not even down). Allowed inside a callback of this endpoint. NULL is a no-op.
 */
void sen_sctp_close(struct sen_sctp_endpoint *ep);

/* Copy the endpoint's counters into *st. */
void sen_sctp_get_stats(const struct sen_sctp_endpoint *ep, struct sen_sctp_stats *st);

/* Attach / read a pointer of the caller's (e.g. the gNB context) to an association. */
void sen_sctp_assoc_set_data(struct sen_sctp_assoc *assoc, void *data);
void *sen_sctp_assoc_data(const struct sen_sctp_assoc *assoc);

/* The endpoint an association belongs to. */
struct sen_sctp_endpoint *sen_sctp_assoc_endpoint(const struct sen_sctp_assoc *assoc);

/* The stack's association identifier (sctp_assoc_t, RFC 6458 3.1.1); for log lines. */
uint32_t sen_sctp_assoc_id(const struct sen_sctp_assoc *assoc);

/* Negotiated stream counts; 0 before up. */
uint16_t sen_sctp_assoc_in_streams(const struct sen_sctp_assoc *assoc);
uint16_t sen_sctp_assoc_out_streams(const struct sen_sctp_assoc *assoc);

/*
 * The peer's primary address as "a.b.c.d:port" or "[v6]:port" (SCTP port), written to
 * buf (NUL-terminated, cut to size). Returns buf.
 */
const char *sen_sctp_assoc_peer(const struct sen_sctp_assoc *assoc, char *buf, size_t size);

#endif
