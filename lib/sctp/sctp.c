/*
 * lib/sctp common layer: endpoints, association objects, message reassembly and size
 * limits, connect timeouts and the user callbacks. The back ends (kernel.c, udp.c) only
 * move bytes and notifications; everything a user sees is decided here, on the loop
 * thread, the same way for both.
 *
 * Association life: an association object exists from sen_sctp_connect() (client) or
 * from COMMUNICATION UP (server, RFC 6458 6.1.1) until its down callback returns. Ids
 * come from the stack (sctp_assoc_t); an event for an id we do not know (an association
 * already reported down, or one aborted here) is ignored.
 *
 * Reassembly: the stack hands over a message in pieces when it is larger than the
 * partial delivery point (RFC 6458 8.1.21), the last piece with MSG_EOR. Both back ends
 * set SCTP_FRAGMENT_INTERLEAVE to 1 (RFC 6458 8.1.20), so the pieces of one message are
 * never interleaved with other messages of the same association: one buffer per
 * association suffices. A message growing past max_message is dropped to its end.
 *
 * Send space: a send the back end refuses with -SEN_EAGAIN (buffer full) marks the
 * association `blocked`; the back end then reports sctp_ev_writable() once room may be
 * back, and every blocked association of the endpoint gets its writable callback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "sctp/internal.h"

enum assoc_state {
	AS_CONNECTING, /* INIT sent, waiting for COMMUNICATION UP */
	AS_UP,
	AS_SHUTTING, /* sen_sctp_shutdown() called */
	AS_DEAD,     /* on ep->dead, waiting for its down callback */
};

struct sen_sctp_assoc {
	struct sen_sctp_endpoint *ep;
	uint32_t id;
	enum assoc_state state;
	void *data;
	uint16_t in_streams, out_streams;
	struct sen_timer connect_timer;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	/* reassembly of a message delivered in pieces */
	struct sen_buf rbuf;
	bool rbusy, rdrop;
	uint16_t rstream;
	uint32_t rppid;
	bool blocked; /* the last send met a full buffer: writable callback owed */
	/* on ep->dead */
	enum sen_sctp_down_reason dead_reason;
	struct sen_sctp_assoc *next_dead;
};

/* A reassembly buffer above this size is given back after each message. */
#define RBUF_KEEP 16384

/* ---- configuration ---- */

const char *sen_sctp_transport_name(enum sen_sctp_transport t)
{
	switch (t) {
	case SEN_SCTP_AUTO:
		return "auto";
	case SEN_SCTP_KERNEL:
		return "sctp";
	case SEN_SCTP_UDP:
		return "sctp-udp";
	}
	return "?";
}

int sen_sctp_transport_parse(const char *s, enum sen_sctp_transport *t)
{
	if (!s || !t)
		return -SEN_EINVAL;
	if (!strcmp(s, "auto"))
		*t = SEN_SCTP_AUTO;
	else if (!strcmp(s, "sctp"))
		*t = SEN_SCTP_KERNEL;
	else if (!strcmp(s, "sctp-udp"))
		*t = SEN_SCTP_UDP;
	else
		return -SEN_EINVAL;
	return 0;
}

static uint32_t or_default(uint32_t v, uint32_t def)
{
	return v ? v : def;
}

static int resolve_conf(struct sctp_conf *c, const struct sen_sctp_config *in)
{
	static const struct sen_sctp_config zero;

	if (!in)
		in = &zero;
	if (in->transport != SEN_SCTP_AUTO && in->transport != SEN_SCTP_KERNEL &&
	    in->transport != SEN_SCTP_UDP)
		return -SEN_EINVAL;
	if (in->streams == 1)
		return -SEN_EINVAL; /* TS 38.412 7: one stream for non-UE, >= 1 for UE signalling */
	c->transport = in->transport;
	c->udp_local_port = (uint16_t)or_default(in->udp_local_port, SEN_SCTP_UDP_PORT);
	c->udp_remote_port = (uint16_t)or_default(in->udp_remote_port, SEN_SCTP_UDP_PORT);
	c->streams = (uint16_t)or_default(in->streams, 16);
	c->max_message = or_default(in->max_message, 262144);
	c->pd_point = in->pd_point;
	/* RFC 9260 16 suggests RTO.Initial 1 s, RTO.Min 1 s, RTO.Max 60 s; a core network
	 * on a LAN wants faster failure detection, so the defaults are shorter. */
	c->rto_initial_ms = or_default(in->rto_initial_ms, 1000);
	c->rto_min_ms = or_default(in->rto_min_ms, 200);
	c->rto_max_ms = or_default(in->rto_max_ms, 10000);
	c->hb_interval_ms = or_default(in->hb_interval_ms, 5000);
	c->max_retrans = (uint16_t)or_default(in->max_retrans, 5);
	c->init_attempts = (uint16_t)or_default(in->init_attempts, 5);
	/* Large enough that a burst of NGAP messages (one per UE, all UEs at once) waits in
	 * the stack rather than being refused; usrsctp's default is 256 KiB. */
	c->sndbuf = or_default(in->sndbuf, 4u << 20);
	if (c->sndbuf < 1024 || c->sndbuf > (1u << 30))
		return -SEN_EINVAL;
	/* The backlog of a burst from a gNB with 100,000 UEs (~100 bytes each) fits. */
	c->rx_queue_max = or_default(in->rx_queue_max, 64u << 20);
	if (c->rx_queue_max < c->max_message)
		c->rx_queue_max = c->max_message;
	if (c->rto_min_ms > c->rto_max_ms || c->rto_initial_ms > c->rto_max_ms ||
	    c->rto_initial_ms < c->rto_min_ms)
		return -SEN_EINVAL;
	return 0;
}

/* Parse an IPv4/IPv6 literal (NULL or "": IPv4 any) with a port into *ss. */
static int parse_addr(const char *addr, uint16_t port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (!addr || !*addr || inet_pton(AF_INET, addr, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return 0;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -SEN_EINVAL;
}

/* ---- endpoints ---- */

static void defer_fire(struct sen_loop *loop, struct sen_timer *t, void *arg);

int sen_sctp_endpoint_new(struct sen_sctp_endpoint **out, struct sen_loop *loop,
			  const struct sen_sctp_config *cfg, const struct sen_sctp_callbacks *cbs,
			  void *arg)
{
	struct sen_sctp_endpoint *ep;
	int err;

	if (!out || !loop)
		return -SEN_EINVAL;
	*out = NULL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -SEN_ENOMEM;
	err = resolve_conf(&ep->conf, cfg);
	if (err)
		goto fail;
	if (cfg && cfg->local_addr && *cfg->local_addr) {
		err = parse_addr(cfg->local_addr, 0, &ep->local, &ep->local_len);
		if (err)
			goto fail;
	}
	if (ep->conf.transport == SEN_SCTP_AUTO)
		ep->conf.transport = sen_sctp_kernel_available() ? SEN_SCTP_KERNEL : SEN_SCTP_UDP;
	if (ep->conf.transport == SEN_SCTP_KERNEL && !sen_sctp_kernel_available()) {
		sen_log_warn(SCTP_LOG, "kernel SCTP asked for, but this kernel has no SCTP");
		err = -SEN_ENOTSUP;
		goto fail;
	}
	ep->be = ep->conf.transport == SEN_SCTP_KERNEL ? &sctp_backend_kernel : &sctp_backend_udp;
	ep->loop = loop;
	ep->arg = arg;
	if (cbs)
		ep->cbs = *cbs;
	sen_timer_init(&ep->defer, loop, defer_fire, ep);
	err = sen_hash_new(&ep->assocs);
	if (err)
		goto fail;
	err = ep->be->init(ep);
	if (err)
		goto fail;
	*out = ep;
	return 0;
fail:
	if (ep->assocs)
		sen_hash_free(ep->assocs);
	free(ep);
	return err;
}

enum sen_sctp_transport sen_sctp_endpoint_transport(const struct sen_sctp_endpoint *ep)
{
	return ep->conf.transport;
}

void sen_sctp_get_stats(const struct sen_sctp_endpoint *ep, struct sen_sctp_stats *st)
{
	*st = ep->stats;
}

static int ensure_open(struct sen_sctp_endpoint *ep, int family)
{
	int err;

	if (ep->closed)
		return -SEN_EINVAL;
	if (ep->family)
		return ep->family == family ? 0 : -SEN_EINVAL;
	err = ep->be->open(ep, family);
	if (err)
		return err;
	ep->family = family;
	return 0;
}

int sen_sctp_listen(struct sen_sctp_endpoint *ep, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int err;

	if (!ep || ep->bound)
		return -SEN_EINVAL;
	err = parse_addr(addr, port, &ss, &len);
	if (err)
		return err;
	err = ensure_open(ep, ss.ss_family);
	if (err)
		return err;
	err = ep->be->bind(ep, (struct sockaddr *)&ss, len);
	if (err)
		return err;
	ep->bound = true;
	err = ep->be->listen(ep);
	if (err)
		return err;
	ep->listening = true;
	return 0;
}

/* ---- associations ---- */

static struct sen_sctp_assoc *assoc_new(struct sen_sctp_endpoint *ep, uint32_t id);
static void connect_timeout(struct sen_loop *loop, struct sen_timer *t, void *arg);

int sen_sctp_connect(struct sen_sctp_endpoint *ep, const char *addr, uint16_t port,
		     uint32_t timeout_ms, struct sen_sctp_assoc **out)
{
	struct sockaddr_storage ss;
	struct sen_sctp_assoc *a;
	socklen_t len;
	uint32_t id = 0;
	int err;

	if (!ep || !out || !addr || !*addr || port == 0)
		return -SEN_EINVAL;
	*out = NULL;
	err = parse_addr(addr, port, &ss, &len);
	if (err)
		return err;
	err = ensure_open(ep, ss.ss_family);
	if (err)
		return err;
	if (!ep->bound && ep->local_len) {
		if (ep->local.ss_family != ss.ss_family)
			return -SEN_EINVAL;
		err = ep->be->bind(ep, (struct sockaddr *)&ep->local, ep->local_len);
		if (err)
			return err;
		ep->bound = true;
	}
	err = ep->be->connect(ep, (struct sockaddr *)&ss, len, &id);
	if (err)
		return err;
	if (sen_hash_get_u64(ep->assocs, id)) {
		sen_log_error(SCTP_LOG, "stack returned association id %u twice", id);
		ep->be->abort(ep, id);
		return -SEN_EIO;
	}
	a = assoc_new(ep, id);
	if (!a) {
		ep->be->abort(ep, id);
		return -SEN_ENOMEM;
	}
	memcpy(&a->peer, &ss, len);
	a->peer_len = len;
	if (timeout_ms) {
		sen_loop_update_now(ep->loop); /* the loop's clock may be stale outside callbacks */
		sen_timer_start(&a->connect_timer, timeout_ms);
	}
	*out = a;
	return 0;
}

static struct sen_sctp_assoc *assoc_new(struct sen_sctp_endpoint *ep, uint32_t id)
{
	struct sen_sctp_assoc *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->ep = ep;
	a->id = id;
	a->state = AS_CONNECTING;
	sen_buf_init(&a->rbuf);
	sen_timer_init(&a->connect_timer, ep->loop, connect_timeout, a);
	if (sen_hash_add_u64(ep->assocs, id, a)) {
		free(a);
		return NULL;
	}
	return a;
}

static void assoc_free(struct sen_sctp_assoc *a)
{
	if (a->blocked)
		a->ep->n_blocked--;
	sen_timer_stop(&a->connect_timer);
	sen_buf_free(&a->rbuf);
	free(a);
}

static void reasm_reset(struct sen_sctp_assoc *a)
{
	a->rbusy = a->rdrop = false;
	if (a->rbuf.cap > RBUF_KEEP)
		sen_buf_free(&a->rbuf);
	else
		sen_buf_reset(&a->rbuf);
}

/* Forget a message cut off before its end (abort, restart, lost peer). */
static void reasm_discard(struct sen_sctp_assoc *a, const char *why)
{
	if (!a->rbusy)
		return;
	if (!a->rdrop) {
		a->ep->stats.dropped_partial++;
		sen_log_warn(SCTP_LOG, "assoc %u: partial message of %zu bytes on stream %u dropped (%s)",
			     a->id, sen_buf_len(&a->rbuf), a->rstream, why);
	}
	reasm_reset(a);
}

/* Report down and free. `a` is no longer in the table. */
static void assoc_report_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason reason)
{
	struct sen_sctp_endpoint *ep = a->ep;

	sen_timer_stop(&a->connect_timer);
	reasm_discard(a, "association down");
	ep->stats.assocs_down++;
	sen_log_debug(SCTP_LOG, "assoc %u down (reason %d)", a->id, (int)reason);
	if (ep->cbs.down)
		ep->cbs.down(a, reason, ep->arg);
	assoc_free(a);
}

static void assoc_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason reason)
{
	sen_hash_del_u64(a->ep->assocs, a->id);
	assoc_report_down(a, reason);
}

/* Take `a` out of the table now and report it down from the loop, soon. */
static void assoc_bury(struct sen_sctp_assoc *a, enum sen_sctp_down_reason reason)
{
	struct sen_sctp_endpoint *ep = a->ep;

	sen_hash_del_u64(ep->assocs, a->id);
	sen_timer_stop(&a->connect_timer);
	a->state = AS_DEAD;
	a->dead_reason = reason;
	a->next_dead = ep->dead;
	ep->dead = a;
	sen_timer_start(&ep->defer, 0);
}

static void defer_fire(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sen_sctp_endpoint *ep = arg;

	sctp_enter(ep);
	while (ep->dead && !ep->closed) {
		struct sen_sctp_assoc *a = ep->dead;
		ep->dead = a->next_dead;
		assoc_report_down(a, a->dead_reason);
	}
	sctp_leave(ep);
}

static void connect_timeout(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sen_sctp_assoc *a = arg;
	struct sen_sctp_endpoint *ep = a->ep;

	if (a->state != AS_CONNECTING)
		return;
	sen_log_info(SCTP_LOG, "assoc %u: not established in time, aborting", a->id);
	ep->be->abort(ep, a->id);
	sctp_enter(ep);
	assoc_down(a, SEN_SCTP_DOWN_TIMEOUT);
	sctp_leave(ep);
}

int sen_sctp_send(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid, const void *data,
		  size_t len)
{
	struct sen_sctp_endpoint *ep;
	int err;

	if (!a || (!data && len))
		return -SEN_EINVAL;
	ep = a->ep;
	if (a->state == AS_CONNECTING)
		return -SEN_EAGAIN;
	if (a->state != AS_UP || ep->closed)
		return -SEN_ENOENT;
	if (len == 0 || len > ep->conf.max_message)
		return -SEN_EMSGSIZE;
	if (stream >= a->out_streams)
		return -SEN_ERANGE;
	err = ep->be->send(ep, a->id, stream, ppid, data, len);
	if (err == -SEN_EAGAIN) {
		ep->stats.send_full++;
		if (!a->blocked) {
			a->blocked = true;
			ep->n_blocked++;
		}
	}
	if (err)
		return err;
	ep->stats.msgs_out++;
	ep->stats.bytes_out += len;
	return 0;
}

int sen_sctp_shutdown(struct sen_sctp_assoc *a)
{
	int err;

	if (!a)
		return -SEN_EINVAL;
	if (a->state == AS_SHUTTING || a->state == AS_DEAD || a->ep->closed)
		return -SEN_ENOENT;
	if (a->state == AS_CONNECTING)
		return sen_sctp_abort(a); /* no SHUTDOWN before COOKIE-ECHOED (RFC 9260 9.2) */
	err = a->ep->be->shutdown(a->ep, a->id);
	if (err)
		return err;
	a->state = AS_SHUTTING;
	return 0;
}

int sen_sctp_abort(struct sen_sctp_assoc *a)
{
	if (!a)
		return -SEN_EINVAL;
	if (a->state == AS_DEAD || a->ep->closed)
		return -SEN_ENOENT;
	a->ep->be->abort(a->ep, a->id);
	reasm_discard(a, "aborted here");
	assoc_bury(a, SEN_SCTP_DOWN_ABORTED);
	return 0;
}

void sen_sctp_assoc_set_data(struct sen_sctp_assoc *a, void *data)
{
	a->data = data;
}

void *sen_sctp_assoc_data(const struct sen_sctp_assoc *a)
{
	return a->data;
}

struct sen_sctp_endpoint *sen_sctp_assoc_endpoint(const struct sen_sctp_assoc *a)
{
	return a->ep;
}

uint32_t sen_sctp_assoc_id(const struct sen_sctp_assoc *a)
{
	return a->id;
}

uint16_t sen_sctp_assoc_in_streams(const struct sen_sctp_assoc *a)
{
	return a->in_streams;
}

uint16_t sen_sctp_assoc_out_streams(const struct sen_sctp_assoc *a)
{
	return a->out_streams;
}

const char *sen_sctp_assoc_peer(const struct sen_sctp_assoc *a, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (!buf || !size)
		return buf;
	if (a->peer.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&a->peer;
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		port = ntohs(sin->sin_port);
		snprintf(buf, size, "%s:%u", host, port);
	} else if (a->peer.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&a->peer;
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		port = ntohs(sin6->sin6_port);
		snprintf(buf, size, "[%s]:%u", host, port);
	} else {
		snprintf(buf, size, "?");
	}
	return buf;
}

/* ---- closing ---- */

static void endpoint_free(struct sen_sctp_endpoint *ep)
{
	struct sen_hash_iter it;
	void *val;

	sen_hash_iter_init(&it, ep->assocs);
	while (sen_hash_iter_next(&it, NULL, NULL, &val))
		assoc_free(val);
	sen_hash_free(ep->assocs);
	while (ep->dead) {
		struct sen_sctp_assoc *a = ep->dead;
		ep->dead = a->next_dead;
		assoc_free(a);
	}
	ep->be->release(ep);
	free(ep);
}

void sen_sctp_close(struct sen_sctp_endpoint *ep)
{
	struct sen_hash_iter it;
	void *val;

	if (!ep || ep->closed)
		return;
	ep->closed = true;
	sen_timer_stop(&ep->defer);
	sen_hash_iter_init(&it, ep->assocs);
	while (sen_hash_iter_next(&it, NULL, NULL, &val))
		sen_timer_stop(&((struct sen_sctp_assoc *)val)->connect_timer);
	if (ep->family)
		ep->be->close(ep);
	if (ep->depth == 0)
		endpoint_free(ep);
}

void sctp_enter(struct sen_sctp_endpoint *ep)
{
	ep->depth++;
}

bool sctp_leave(struct sen_sctp_endpoint *ep)
{
	if (--ep->depth == 0 && ep->closed) {
		endpoint_free(ep);
		return false;
	}
	return !ep->closed;
}

/* ---- events from the back ends ---- */

static void set_peer(struct sen_sctp_assoc *a, const struct sockaddr *peer, socklen_t len)
{
	if (!peer || !len || len > sizeof(a->peer))
		return;
	if (peer->sa_family != AF_INET && peer->sa_family != AF_INET6)
		return;
	memcpy(&a->peer, peer, len);
	a->peer_len = len;
}

void sctp_ev_assoc(struct sen_sctp_endpoint *ep, uint32_t id, enum sctp_assoc_event ev,
		   uint16_t in_streams, uint16_t out_streams, const struct sockaddr *peer,
		   socklen_t peer_len)
{
	struct sen_sctp_assoc *a = sen_hash_get_u64(ep->assocs, id);
	char pbuf[64];
	bool was_up;

	if (ep->closed)
		return;
	switch (ev) {
	case SCTP_EV_UP:
	case SCTP_EV_RESTART:
		was_up = a && a->state != AS_CONNECTING;
		if (!a) {
			a = assoc_new(ep, id);
			if (!a) {
				sen_log_error(SCTP_LOG, "assoc %u: out of memory, aborting", id);
				ep->be->abort(ep, id);
				return;
			}
		}
		sen_timer_stop(&a->connect_timer);
		set_peer(a, peer, peer_len);
		reasm_discard(a, "restart");
		a->in_streams = in_streams;
		a->out_streams = out_streams;
		if (a->state == AS_CONNECTING)
			a->state = AS_UP;
		ep->stats.assocs_up++;
		sen_log_info(SCTP_LOG, "assoc %u %s with %s, streams in %u out %u", id,
			     ev == SCTP_EV_UP ? "up" : "restarted",
			     sen_sctp_assoc_peer(a, pbuf, sizeof(pbuf)), in_streams, out_streams);
		if (ev == SCTP_EV_RESTART && was_up) {
			if (ep->cbs.restart)
				ep->cbs.restart(a, in_streams, out_streams, ep->arg);
		} else if (ep->cbs.up) {
			ep->cbs.up(a, in_streams, out_streams, ep->arg);
		}
		return;
	case SCTP_EV_LOST:
	case SCTP_EV_CANT_START:
		if (a)
			assoc_down(a, a->state == AS_CONNECTING ? SEN_SCTP_DOWN_REFUSED
								: SEN_SCTP_DOWN_LOST);
		return;
	case SCTP_EV_SHUTDOWN_DONE:
		if (a)
			assoc_down(a, a->state == AS_CONNECTING ? SEN_SCTP_DOWN_REFUSED
								: SEN_SCTP_DOWN_SHUTDOWN);
		return;
	}
}

static void deliver(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
		    const uint8_t *data, size_t len)
{
	struct sen_sctp_endpoint *ep = a->ep;

	ep->stats.msgs_in++;
	ep->stats.bytes_in += len;
	if (ep->cbs.message)
		ep->cbs.message(a, stream, ppid, data, len, ep->arg);
}

static void drop_oversize(struct sen_sctp_assoc *a, uint16_t stream, size_t seen)
{
	a->ep->stats.dropped_oversize++;
	sen_log_warn(SCTP_LOG, "assoc %u: message on stream %u longer than %u bytes (%zu so far) dropped",
		     a->id, stream, a->ep->conf.max_message, seen);
}

void sctp_ev_data(struct sen_sctp_endpoint *ep, uint32_t id, uint16_t stream, uint32_t ppid,
		  const uint8_t *data, size_t len, bool eor, const struct sockaddr *peer,
		  socklen_t peer_len)
{
	struct sen_sctp_assoc *a = sen_hash_get_u64(ep->assocs, id);
	size_t max = ep->conf.max_message;

	if (ep->closed)
		return;
	if (!a || a->state == AS_CONNECTING) {
		sen_log_debug(SCTP_LOG, "assoc %u: %zu bytes for no live association dropped", id, len);
		return;
	}
	if (a->rbusy && (stream != a->rstream || ppid != a->rppid))
		reasm_discard(a, "pieces of another message arrived");
	if (!a->rbusy) {
		if (eor) {
			/* the common case: a whole message in one piece, no copy */
			if (len > max)
				drop_oversize(a, stream, len);
			else
				deliver(a, stream, ppid, data, len);
			return;
		}
		a->rbusy = true;
		a->rdrop = false;
		a->rstream = stream;
		a->rppid = ppid;
	}
	if (!a->rdrop) {
		size_t have = sen_buf_len(&a->rbuf);
		if (len > max - have) {
			drop_oversize(a, stream, have + len);
			a->rdrop = true;
			sen_buf_free(&a->rbuf);
		} else {
			sen_buf_put_bytes(&a->rbuf, data, len);
			if (sen_buf_error(&a->rbuf)) {
				sen_log_error(SCTP_LOG, "assoc %u: out of memory reassembling, message dropped", id);
				ep->stats.dropped_partial++;
				a->rdrop = true;
				sen_buf_free(&a->rbuf);
			}
		}
	}
	if (!eor)
		return;
	if (a->rdrop) {
		reasm_reset(a);
		return;
	}
	/* Take the message out of the association before the callback: the callback may
	 * abort `a` (which discards its reassembly state) while it still reads the bytes. */
	struct sen_buf msg = a->rbuf;
	sen_buf_init(&a->rbuf);
	a->rbusy = false;
	ep->stats.msgs_reassembled++;
	deliver(a, a->rstream, a->rppid, sen_buf_data(&msg), sen_buf_len(&msg));
	if (msg.cap <= RBUF_KEEP && a->rbuf.cap == 0) {
		sen_buf_reset(&msg);
		a->rbuf = msg; /* keep a small buffer for the next message */
	} else {
		sen_buf_free(&msg);
	}
}

void sctp_ev_writable(struct sen_sctp_endpoint *ep)
{
	struct sen_hash_iter it;
	uint32_t small[16], *ids = small;
	size_t n = 0, cap = 16;
	void *val;

	if (ep->closed || ep->n_blocked == 0)
		return;
	/* Collect first: a callback may send, abort or close, which changes the table. */
	if (ep->n_blocked > cap) {
		ids = malloc(ep->n_blocked * sizeof(*ids));
		if (!ids) {
			ids = small; /* the rest stay blocked until the next report */
		} else {
			cap = ep->n_blocked;
		}
	}
	sen_hash_iter_init(&it, ep->assocs);
	while (n < cap && sen_hash_iter_next(&it, NULL, NULL, &val))
		if (((struct sen_sctp_assoc *)val)->blocked)
			ids[n++] = ((struct sen_sctp_assoc *)val)->id;
	for (size_t i = 0; i < n && !ep->closed; i++) {
		struct sen_sctp_assoc *a = sen_hash_get_u64(ep->assocs, ids[i]);
		if (!a || !a->blocked)
			continue;
		a->blocked = false;
		ep->n_blocked--;
		if (a->state != AS_UP)
			continue;
		ep->stats.writable++;
		if (ep->cbs.writable)
			ep->cbs.writable(a, ep->arg);
	}
	if (ids != small)
		free(ids);
}

void sctp_ev_pd_aborted(struct sen_sctp_endpoint *ep, uint32_t id)
{
	struct sen_sctp_assoc *a = sen_hash_get_u64(ep->assocs, id);

	if (a && !ep->closed)
		reasm_discard(a, "partial delivery aborted by the peer");
}

void sctp_ev_overload(struct sen_sctp_endpoint *ep, uint32_t id)
{
	struct sen_sctp_assoc *a = sen_hash_get_u64(ep->assocs, id);

	if (!a || ep->closed)
		return;
	ep->stats.dropped_overload++;
	sen_log_warn(SCTP_LOG, "assoc %u: peer sends faster than we read; data dropped, aborting", id);
	ep->be->abort(ep, id);
	reasm_discard(a, "overload");
	assoc_down(a, SEN_SCTP_DOWN_OVERLOAD);
}
