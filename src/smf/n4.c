/*
 * N4: the SMF's PFCP path to its UPFs (TS 29.244).
 *
 * - One UDP socket on smf.pfcp, port 8805 (4.2.2): requests to the UPFs and their
 *   requests to us (Heartbeat, Session Report, Association Setup/Release) share it.
 * - Requests are retransmitted every T1 up to N1 times and matched to responses by
 *   sequence number and peer (6.4); a response to nothing pending is dropped.
 * - Association Setup (6.2.6) is tried at start and every assoc_retry ms until a UPF
 *   accepts; then Heartbeats (6.2.2) every `heartbeat` s. A Heartbeat unanswered after N1
 *   retransmissions, or a new Recovery Time Stamp from the UPF (it restarted and lost its
 *   state, 6.2.2), is node loss: the UPF's sessions are released and the association is set
 *   up again.
 * - Session Establishment / Modification / Deletion (6.3.2-6.3.4) for SM contexts; Session
 *   Report Requests (6.3.5) are answered (cause 65 for an unknown SEID).
 *
 * Bursts (10,000 UEs deregistering at once) must not lose sessions at the UPF:
 * - the socket buffers are deep (SMF_N4_SOCKBUF; beyond net.core.rmem_max as root);
 * - at most smf->n4_window session requests are in flight per UPF; the others wait in
 *   order and go out as answers (or N1 timeouts) free the window. Node messages (Heartbeat,
 *   Association Setup) do not wait;
 * - T1 is jittered by up to +-15 % so the retransmissions of a burst spread out;
 * - a Session Deletion left unanswered after N1 retransmissions does not give the UE
 *   addresses back: an orphan record keeps them out of the pool (quarantine) and retries
 *   the deletion every few seconds; any answer (cause 65 included: the UPF holds nothing)
 *   frees them, so does proof that the UPF lost its state (new Recovery Time Stamp,
 *   Association Release). Otherwise the UPF would refuse the address to the next UE.
 *   Sessions of a UPF that stopped answering Heartbeats are released, their addresses
 *   quarantined the same way: a new association with the same Recovery Time Stamp retries
 *   their deletions, one with a new one frees them.
 * - a Session Establishment left unanswered (or abandoned while in flight) may still have
 *   created the session at the UPF, whose SEID the SMF then does not know: deletion is
 *   addressed by the UP SEID (7.2.2.4.2), so the addresses are quarantined until a late
 *   answer names it (the session is then deleted), or the UPF shows it holds nothing (new
 *   Recovery Time Stamp, Association Release).
 * - no quarantine lasts longer than smf.quarantine_max s: then the addresses return to the
 *   pool with a warning, so that a UPF that never answers cannot leak the pool.
 */
#include "context.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

#define N4_MAX_MSG 8192

/* PDR / FAR / QER / URR IDs of the default QoS flow (one per direction). */
enum { PDR_UL = 1, PDR_DL = 2, FAR_UL = 1, FAR_DL = 2, QER_ID = 1, URR_ID = 1 };

struct smf_n4_xact {
	struct smf *smf;
	struct smf_upf *upf;
	uint32_t seq;
	uint8_t type;
	bool windowed; /* a session request: counts against the UPF's window */
	bool queued;   /* waiting in upf->q_head..q_tail, not sent yet */
	bool sent;     /* sent: T1 runs (and, windowed, it holds a place in the window) */
	struct smf_n4_xact *qprev, *qnext;
	unsigned tries;
	struct sen_timer t1;
	smf_n4_cb cb;
	void *arg;
	size_t len;
	uint8_t buf[];
};

/* ---------------------------------------------------------------------------------------- */
/* Sending, retransmission, matching.                                                         */

static void send_raw(struct smf *smf, struct smf_upf *u, const uint8_t *b, size_t n)
{
	if (sendto(smf->n4_fd, b, n, 0, &u->cfg->pfcp.sa, u->cfg->pfcp.len) < 0)
		sen_log_debug(N4_LOG, "send to UPF %s: %m", u->name);
}

/* TS 29.244 6.4: T1, spread over +-15 % so that the requests of a burst, lost together,
 * are not all retransmitted in the same millisecond (and lost together again). */
static uint64_t t1_jittered(struct smf *smf, uint64_t t1)
{
	uint64_t span = t1 * 15 / 100, r;

	if (!smf->n4_rng)
		smf->n4_rng = 0x9e3779b97f4a7c15ull ^ smf->recovery_ts ^ (uint64_t)getpid() << 32;
	smf->n4_rng ^= smf->n4_rng << 13; /* xorshift64 */
	smf->n4_rng ^= smf->n4_rng >> 7;
	smf->n4_rng ^= smf->n4_rng << 17;
	r = smf->n4_rng;
	return span ? t1 - span + r % (2 * span + 1) : t1;
}

static void xact_send(struct smf_n4_xact *x)
{
	x->sent = true;
	if (x->windowed)
		x->upf->n_inflight++;
	sen_timer_start(&x->t1, t1_jittered(x->smf, x->smf->c.t1));
	send_raw(x->smf, x->upf, x->buf, x->len);
}

static unsigned window(const struct smf *smf)
{
	return smf->n4_window ? smf->n4_window : SMF_N4_WINDOW;
}

/* Send waiting session requests, oldest first, while the UPF's window has room. */
static void window_pump(struct smf_upf *u)
{
	while (u->q_head && u->n_inflight < window(u->smf) && u->state == UPF_ASSOCIATED) {
		struct smf_n4_xact *x = u->q_head;
		u->q_head = x->qnext;
		if (u->q_head)
			u->q_head->qprev = NULL;
		else
			u->q_tail = NULL;
		u->n_queued--;
		x->queued = false;
		x->qnext = x->qprev = NULL;
		xact_send(x);
	}
}

static void xact_free(struct smf_n4_xact *x)
{
	struct smf_upf *u = x->upf;

	sen_timer_stop(&x->t1);
	sen_hash_del_u64(x->smf->n4_xacts, x->seq);
	if (x->queued) {
		if (x->qprev)
			x->qprev->qnext = x->qnext;
		else
			u->q_head = x->qnext;
		if (x->qnext)
			x->qnext->qprev = x->qprev;
		else
			u->q_tail = x->qprev;
		u->n_queued--;
	}
	if (x->sent && x->windowed && u->n_inflight)
		u->n_inflight--;
	free(x);
	window_pump(u);
}

static void on_t1(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct smf_n4_xact *x = arg;
	struct smf *smf = x->smf;

	(void)loop;
	(void)t;
	if (x->tries++ < smf->c.n1) {
		sen_log_debug(N4_LOG, "T1 expired: %s to UPF %s again (seq %u)",
			      sen_pfcp_msg_name(x->type), x->upf->name, x->seq);
		send_raw(smf, x->upf, x->buf, x->len);
		sen_timer_start(&x->t1, t1_jittered(smf, smf->c.t1));
		return;
	}
	sen_log_warn(N4_LOG, "no answer from UPF %s to %s (seq %u)", x->upf->name,
		     sen_pfcp_msg_name(x->type), x->seq);
	smf_n4_cb cb = x->cb;
	void *cbarg = x->arg;
	xact_free(x);
	cb(smf, NULL, cbarg);
}

/*
 * Encode smf->tx (seq is set here) and send it as a request with T1/N1; a session request
 * (windowed) waits in the UPF's queue while smf->n4_window requests are in flight.
 */
static struct smf_n4_xact *request_w(struct smf *smf, struct smf_upf *u, bool windowed,
				     smf_n4_cb cb, void *arg)
{
	uint8_t tmp[N4_MAX_MSG];
	struct smf_n4_xact *x;
	int n;

	smf->n4_seq = (smf->n4_seq + 1) & 0xffffff;
	if (smf->n4_seq == 0)
		smf->n4_seq = 1;
	smf->tx->seq = smf->n4_seq;
	n = sen_pfcp_encode(smf->tx, tmp, sizeof(tmp));
	if (n < 0) {
		sen_log_error(N4_LOG, "cannot encode %s: %s", sen_pfcp_msg_name(smf->tx->type),
			      sen_strerror(n));
		return NULL;
	}
	x = malloc(sizeof(*x) + (size_t)n);
	if (!x)
		return NULL;
	*x = (struct smf_n4_xact){.smf = smf,
				  .upf = u,
				  .seq = smf->tx->seq,
				  .type = smf->tx->type,
				  .windowed = windowed,
				  .cb = cb,
				  .arg = arg,
				  .len = (size_t)n};
	memcpy(x->buf, tmp, (size_t)n);
	if (sen_hash_put_u64(smf->n4_xacts, x->seq, x) < 0) {
		free(x);
		return NULL;
	}
	sen_timer_init(&x->t1, smf->loop, on_t1, x);
	if (windowed && (u->n_inflight >= window(smf) || u->q_head)) {
		x->queued = true;
		x->qprev = u->q_tail;
		if (u->q_tail)
			u->q_tail->qnext = x;
		else
			u->q_head = x;
		u->q_tail = x;
		u->n_queued++;
		return x;
	}
	xact_send(x);
	return x;
}

/* A node request (Heartbeat, Association Setup): never waits behind session requests. */
static struct smf_n4_xact *request(struct smf *smf, struct smf_upf *u, smf_n4_cb cb, void *arg)
{
	return request_w(smf, u, false, cb, arg);
}

void smf_n4_cancel(struct smf *smf, struct smf_n4_xact *x)
{
	(void)smf;
	if (x)
		xact_free(x);
}

static void respond(struct smf *smf, const struct sockaddr_in *to, socklen_t tolen)
{
	uint8_t b[N4_MAX_MSG];
	int n = sen_pfcp_encode(smf->tx, b, sizeof(b));

	if (n > 0 && sendto(smf->n4_fd, b, (size_t)n, 0, (const struct sockaddr *)to, tolen) < 0)
		sen_log_debug(N4_LOG, "cannot send a response: %m");
}

static void node_id(struct smf *smf, struct sen_pfcp_node_id *id)
{
	id->type = SEN_PFCP_NODE_IPV4;
	memcpy(id->ipv4, &smf->c.pfcp.in.sin_addr, 4);
}

/* ---------------------------------------------------------------------------------------- */
/* Node procedures.                                                                           */

static void assoc_send(struct smf_upf *u);
static void on_upf_timer(struct sen_loop *loop, struct sen_timer *t, void *arg);
static void orphans_reassociated(struct smf_upf *u, uint32_t old_recovery_ts);
static void orphans_node_lost(struct smf_upf *u, bool holds_nothing);
static void orphan_free(struct smf_n4_orphan *o, bool release);
static struct smf_n4_orphan *orphan_new(struct smf_sess *s);
static bool orphan_late_answer(struct smf *smf, const struct sockaddr_in *from,
			       const struct sen_pfcp_msg *rsp);

/*
 * TS 29.244 6.2.6.2.x / 6.2.2: the UPF is gone (or restarted): its sessions are lost.
 * holds_nothing: it restarted (new Recovery Time Stamp) or released the association, so
 * it holds none of the sessions of the SMF; otherwise (no Heartbeat Response) it may.
 */
static void node_lost(struct smf_upf *u, const char *why, bool holds_nothing)
{
	struct smf *smf = u->smf;
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	sen_log_warn(N4_LOG, "UPF %s: association lost (%s); releasing its sessions", u->name, why);
	if (u->hb)
		xact_free(u->hb);
	u->hb = NULL;
	u->state = UPF_IDLE;
	sen_hash_iter_init(&it, smf->by_ref);
	while (sen_hash_iter_next(&it, &k, &kl, &v)) {
		struct smf_sess *s = v;
		if (s->upf != u)
			continue;
		/* a UPF that merely stopped answering may still hold the session: its
		 * addresses wait in quarantine for the next association (orphans_node_lost) */
		if (!holds_nothing && s->up_seid)
			orphan_new(s);
		smf_sess_lost(s);
	}
	u->n_sess = 0;
	orphans_node_lost(u, holds_nothing);
	smf_update_gauges(smf);
	sen_timer_start(&u->timer, smf->c.assoc_retry);
}

static void on_heartbeat_rsp(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_upf *u = arg;

	u->hb = NULL;
	if (!rsp) {
		node_lost(u, "no Heartbeat Response", false);
		return;
	}
	if (u->recovery_ts && rsp->heartbeat.recovery_ts != u->recovery_ts) {
		node_lost(u, "the UPF restarted (new Recovery Time Stamp)", true);
		return;
	}
	if (smf->c.heartbeat)
		sen_timer_start(&u->timer, (uint64_t)smf->c.heartbeat * 1000);
}

static void on_assoc_rsp(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_upf *u = arg;
	const struct sen_pfcp_association_setup *a;

	u->assoc = NULL;
	if (!rsp) {
		u->state = UPF_IDLE;
		sen_timer_start(&u->timer, smf->c.assoc_retry);
		return;
	}
	a = &rsp->association_setup;
	if (a->cause != SEN_PFCP_CAUSE_REQUEST_ACCEPTED) {
		sen_log_warn(N4_LOG, "UPF %s refused the association: cause %u (%s)", u->name,
			     a->cause, sen_pfcp_cause_name(a->cause));
		u->state = UPF_IDLE;
		sen_timer_start(&u->timer, smf->c.assoc_retry);
		return;
	}
	uint32_t old_ts = u->recovery_ts;
	u->recovery_ts = a->recovery_ts;
	u->ftup = a->has_up_features && (a->up_features.bits & SEN_PFCP_UP_FTUP); /* 8.2.25 */
	u->state = UPF_ASSOCIATED;
	smf_update_gauges(smf);
	sen_log_info(N4_LOG, "UPF %s associated%s", u->name,
		     u->ftup ? "" : " (it does not announce FTUP: F-TEID CHOOSE may fail)");
	if (smf->c.heartbeat)
		sen_timer_start(&u->timer, (uint64_t)smf->c.heartbeat * 1000);
	orphans_reassociated(u, old_ts);
}

static void assoc_send(struct smf_upf *u)
{
	struct smf *smf = u->smf;
	struct sen_pfcp_association_setup *a;

	sen_pfcp_msg_init(smf->tx, SEN_PFCP_ASSOCIATION_SETUP_REQUEST, 0);
	a = &smf->tx->association_setup;
	node_id(smf, &a->node_id);
	a->recovery_ts = smf->recovery_ts;
	a->has_cp_features = true; /* 8.2.58: no optional CP features */
	u->state = UPF_ASSOCIATING;
	u->assoc = request(smf, u, on_assoc_rsp, u);
	if (!u->assoc) {
		u->state = UPF_IDLE;
		sen_timer_start(&u->timer, smf->c.assoc_retry);
	}
}

static void on_upf_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct smf_upf *u = arg;
	struct smf *smf = u->smf;

	(void)loop;
	(void)t;
	if (u->state == UPF_IDLE) {
		assoc_send(u);
		return;
	}
	if (u->state == UPF_ASSOCIATED && !u->hb) {
		sen_pfcp_msg_init(smf->tx, SEN_PFCP_HEARTBEAT_REQUEST, 0);
		smf->tx->heartbeat.recovery_ts = smf->recovery_ts;
		u->hb = request(smf, u, on_heartbeat_rsp, u);
	}
}

void smf_n4_start_associations(struct smf *smf)
{
	for (size_t i = 0; i < smf->n_upf; i++)
		assoc_send(&smf->upf[i]);
}

/* ---------------------------------------------------------------------------------------- */
/* Incoming.                                                                                  */

static struct smf_upf *upf_by_addr(struct smf *smf, const struct sockaddr_in *from)
{
	for (size_t i = 0; i < smf->n_upf; i++) {
		const struct sockaddr_in *a = &smf->upf[i].cfg->pfcp.in;
		if (a->sin_addr.s_addr == from->sin_addr.s_addr && a->sin_port == from->sin_port)
			return &smf->upf[i];
	}
	for (size_t i = 0; i < smf->n_upf; i++) /* a UPF may send from another port */
		if (smf->upf[i].cfg->pfcp.in.sin_addr.s_addr == from->sin_addr.s_addr)
			return &smf->upf[i];
	return NULL;
}

static void on_report(struct smf *smf, const struct sen_pfcp_msg *m, const struct sockaddr_in *from,
		      socklen_t fl)
{
	struct smf_sess *s = smf_sess_by_seid(smf, m->seid);
	const struct sen_pfcp_session_report_request *r = &m->session_report_request;
	uint64_t up_seid = s ? s->up_seid : 0;

	if (s) {
		/* 8.2.21 Report Type: bit 1 DLDR, bit 2 USAR, bit 3 ERIR */
		if (r->report_type.bits & 1u)
			sen_log_ue_info(
			    N4_LOG, s->tag,
			    "downlink data for an idle session (paging is not done yet)");
		if (r->report_type.bits & 4u)
			sen_log_ue_warn(
			    N4_LOG, s->tag,
			    "the gNB reported an Error Indication for the session's tunnel");
	}
	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_REPORT_RESPONSE, m->seq);
	smf->tx->seid = up_seid;
	smf->tx->session_report_response.cause =
	    s ? SEN_PFCP_CAUSE_REQUEST_ACCEPTED : SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND;
	respond(smf, from, fl);
}

static void on_request(struct smf *smf, const struct sen_pfcp_msg *m,
		       const struct sockaddr_in *from, socklen_t fl)
{
	struct smf_upf *u = upf_by_addr(smf, from);

	switch (m->type) {
	case SEN_PFCP_HEARTBEAT_REQUEST:
		/* 6.2.2: a Heartbeat from a restarted UPF (new Recovery Time Stamp) */
		sen_pfcp_msg_init(smf->tx, SEN_PFCP_HEARTBEAT_RESPONSE, m->seq);
		smf->tx->heartbeat.recovery_ts = smf->recovery_ts;
		respond(smf, from, fl);
		if (u && u->state == UPF_ASSOCIATED && u->recovery_ts &&
		    m->heartbeat.recovery_ts != u->recovery_ts)
			node_lost(u, "the UPF restarted (new Recovery Time Stamp)", true);
		break;
	case SEN_PFCP_ASSOCIATION_SETUP_REQUEST:
		/* 6.2.6.3: a UP-initiated association: accepted for configured UPFs */
		sen_pfcp_msg_init(smf->tx, SEN_PFCP_ASSOCIATION_SETUP_RESPONSE, m->seq);
		node_id(smf, &smf->tx->association_setup.node_id);
		smf->tx->association_setup.recovery_ts = smf->recovery_ts;
		smf->tx->association_setup.cause =
		    u ? SEN_PFCP_CAUSE_REQUEST_ACCEPTED : SEN_PFCP_CAUSE_REQUEST_REJECTED;
		respond(smf, from, fl);
		if (u && u->state != UPF_ASSOCIATED) {
			if (u->assoc)
				xact_free(u->assoc);
			u->assoc = NULL;
			uint32_t old_ts = u->recovery_ts;
			u->recovery_ts = m->association_setup.recovery_ts;
			u->state = UPF_ASSOCIATED;
			smf_update_gauges(smf);
			sen_log_info(N4_LOG, "UPF %s associated (UP-initiated)", u->name);
			if (smf->c.heartbeat)
				sen_timer_start(&u->timer, (uint64_t)smf->c.heartbeat * 1000);
			orphans_reassociated(u, old_ts);
		}
		break;
	case SEN_PFCP_ASSOCIATION_RELEASE_REQUEST:
		sen_pfcp_msg_init(smf->tx, SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE, m->seq);
		node_id(smf, &smf->tx->association_release.node_id);
		smf->tx->association_release.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
		respond(smf, from, fl);
		if (u && u->state == UPF_ASSOCIATED)
			/* the UPF deletes the association's sessions with it */
			node_lost(u, "the UPF released the association", true);
		break;
	case SEN_PFCP_SESSION_REPORT_REQUEST:
		on_report(smf, m, from, fl);
		break;
	default:
		sen_log_debug(N4_LOG, "unexpected %s ignored", sen_pfcp_msg_name(m->type));
	}
}

static bool is_request(uint8_t t)
{
	return t == SEN_PFCP_HEARTBEAT_REQUEST || t == SEN_PFCP_ASSOCIATION_SETUP_REQUEST ||
	       t == SEN_PFCP_ASSOCIATION_RELEASE_REQUEST || t == SEN_PFCP_SESSION_REPORT_REQUEST ||
	       t == SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST ||
	       t == SEN_PFCP_SESSION_MODIFICATION_REQUEST || t == SEN_PFCP_SESSION_DELETION_REQUEST;
}

static void on_readable(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct smf *smf = arg;
	uint8_t b[N4_MAX_MSG];

	(void)loop;
	(void)events;
	for (int i = 0; i < 64; i++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		struct sen_pfcp_error e;
		struct smf_n4_xact *x;
		ssize_t n = recvfrom(fd, b, sizeof(b), 0, (struct sockaddr *)&from, &fl);
		int rc;

		if (n < 0)
			return;
		if (from.sin_family != AF_INET)
			continue;
		rc = sen_pfcp_decode(b, (size_t)n, smf->rx, &e);
		if (rc < 0) {
			sen_log_debug(N4_LOG, "bad PFCP message: %s %s: %s", e.msg, e.ie,
				      e.problem);
			if (e.fault == SEN_PFCP_FAULT_VERSION) {
				sen_pfcp_msg_init(smf->tx, SEN_PFCP_VERSION_NOT_SUPPORTED_RESPONSE,
						  smf->rx->seq);
				respond(smf, &from, fl);
			}
			/* A malformed response is ignored: T1 retransmits the request. */
			continue;
		}
		if (is_request(smf->rx->type)) {
			on_request(smf, smf->rx, &from, fl);
			continue;
		}
		x = sen_hash_get_u64(smf->n4_xacts, smf->rx->seq);
		if (!x || !x->sent || x->type + 1 != smf->rx->type ||
		    x->upf->cfg->pfcp.in.sin_addr.s_addr != from.sin_addr.s_addr) {
			if (smf->rx->type == SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE &&
			    orphan_late_answer(smf, &from, smf->rx))
				continue;
			sen_log_debug(N4_LOG, "%s (seq %u) matches no request: dropped",
				      sen_pfcp_msg_name(smf->rx->type), smf->rx->seq);
			continue;
		}
		smf_n4_cb cb = x->cb;
		void *cbarg = x->arg;
		xact_free(x);
		cb(smf, smf->rx, cbarg);
	}
	(void)fd;
}

/*
 * Socket buffers for bursts (the kernel's default of 212,992 B holds only a few hundred
 * datagrams, however small: each is charged its buffer's true size): SO_RCVBUFFORCE / SO_SNDBUFFORCE (CAP_NET_ADMIN) go beyond
 * net.core.rmem_max / wmem_max; without the capability SO_RCVBUF / SO_SNDBUF get what the
 * kernel allows (silently capped).
 */
static void deep_buffers(int fd)
{
	int sz = SMF_N4_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

int smf_n4_open(struct smf *smf, char *err, size_t errlen)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, &smf->c.pfcp.sa, smf->c.pfcp.len) < 0) {
		snprintf(err, errlen, "smf.pfcp: cannot bind %s:%u: %s", smf->pfcp_addr,
			 ntohs(smf->c.pfcp.in.sin_port), strerror(errno));
		if (fd >= 0)
			close(fd);
		return -SEN_EIO;
	}
	smf->n4_fd = fd;
	deep_buffers(fd);
	/* TS 29.244 8.2.65: NTP seconds of the start */
	smf->recovery_ts = sen_pfcp_ntp_from_unix((int64_t)time(NULL));
	if (sen_loop_fd_add(smf->loop, fd, SEN_LOOP_READ, on_readable, smf) < 0) {
		snprintf(err, errlen, "smf.pfcp: cannot watch the socket");
		return -SEN_EIO;
	}
	for (size_t i = 0; i < smf->n_upf; i++)
		sen_timer_init(&smf->upf[i].timer, smf->loop, on_upf_timer, &smf->upf[i]);
	return 0;
}

void smf_n4_close(struct smf *smf)
{
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	for (size_t i = 0; i < smf->n_upf; i++) {
		struct smf_upf *u = &smf->upf[i];
		sen_timer_stop(&u->timer);
		u->hb = u->assoc = NULL;
		u->state = UPF_IDLE; /* nothing more is sent (window_pump) */
		while (u->orphans)
			orphan_free(u->orphans, false);
	}
	if (smf->n4_xacts) {
		sen_hash_iter_init(&it, smf->n4_xacts);
		while (sen_hash_iter_next(&it, &k, &kl, &v))
			xact_free(v);
	}
	if (smf->n4_fd >= 0) {
		sen_loop_fd_del(smf->loop, smf->n4_fd);
		close(smf->n4_fd);
		smf->n4_fd = -1;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Session procedures.                                                                        */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void session_cb(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg);

/*
 * 8.2.62 UE IP Address of a PDI: V4 with the address, V6 with the session's /64 (the prefix
 * with a zero interface identifier; no IP6PL: the default prefix length /64 applies, 5.21),
 * both in one IE for an IPv4v6 session.
 */
static void ue_ip_ie(const struct smf_sess *s, struct sen_pfcp_ue_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (s->ue_ip) {
		ip->flags |= SEN_PFCP_UEIP_V4;
		put_be32(ip->ipv4, s->ue_ip);
	}
	if (s->has_ip6) {
		ip->flags |= SEN_PFCP_UEIP_V6;
		memcpy(ip->ipv6, s->ue_ip6, 8);
	}
}

/* One session request: the xact is recorded in s->n4_x until it is answered. */
static int session_request(struct smf_sess *s, smf_n4_cb cb)
{
	struct smf *smf = s->smf;

	if (!s->upf || s->upf->state != UPF_ASSOCIATED)
		return -SEN_EAGAIN;
	s->n4_x = request_w(smf, s->upf, true, session_cb, s);
	if (!s->n4_x)
		return -SEN_ENOMEM;
	s->n4_cb = cb;
	return 0;
}

static void session_cb(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	smf_n4_cb cb = s->n4_cb;

	s->n4_x = NULL;
	s->n4_cb = NULL;
	if (cb)
		cb(smf, rsp, s);
}

int smf_n4_establish(struct smf_sess *s, smf_n4_cb cb)
{
	struct smf *smf = s->smf;
	struct sen_pfcp_session_establishment_request *r;
	struct sen_pfcp_create_pdr *ul, *dl;
	struct sen_pfcp_create_far *fu, *fd;
	struct sen_pfcp_qer *q;
	struct sen_pfcp_urr *urr;
	int n;

	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST, 0);
	smf->tx->seid = 0; /* 7.2.2.4.2: no UP SEID yet */
	r = &smf->tx->session_establishment_request;
	node_id(smf, &r->node_id);
	r->cp_fseid.flags = SEN_PFCP_FSEID_V4;
	r->cp_fseid.seid = s->ref;
	memcpy(r->cp_fseid.ipv4, &smf->c.pfcp.in.sin_addr, 4);
	n = sen_pfcp_labels_encode(s->dnn->cfg->name, s->ni, sizeof(s->ni));
	if (n < 0)
		return n;
	s->ni_len = (size_t)n;

	/* UL PDR (5.2.1): N3 tunnel chosen by the UPF (F-TEID CH, 8.2.3), QFI, remove GTP-U */
	r->n_create_pdr = 2;
	ul = &r->create_pdr[0];
	ul->pdr_id = PDR_UL;
	ul->precedence = 200;
	ul->pdi.source_interface = SEN_PFCP_IF_ACCESS;
	ul->pdi.has_local_fteid = true;
	ul->pdi.local_fteid.flags = SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_V4;
	ul->pdi.has_network_instance = true;
	ul->pdi.network_instance = (struct sen_pfcp_bytes){s->ni, s->ni_len};
	ul->pdi.n_ue_ip = 1;
	ue_ip_ie(s, &ul->pdi.ue_ip[0]); /* source address (anti-spoofing) */
	ul->pdi.n_qfi = 1;
	ul->pdi.qfi[0] = SMF_DEFAULT_QFI;
	ul->has_ohr = true;
	ul->ohr.desc = SEN_PFCP_OHR_GTPU_UDP_IPV4;
	ul->has_far_id = true;
	ul->far_id = FAR_UL;
	ul->n_qer_id = 1;
	ul->qer_id[0] = QER_ID;
	ul->n_urr_id = 1;
	ul->urr_id[0] = URR_ID;

	/* DL PDR: packets to the UE address from N6 */
	dl = &r->create_pdr[1];
	dl->pdr_id = PDR_DL;
	dl->precedence = 200;
	dl->pdi.source_interface = SEN_PFCP_IF_CORE;
	dl->pdi.has_network_instance = true;
	dl->pdi.network_instance = (struct sen_pfcp_bytes){s->ni, s->ni_len};
	dl->pdi.n_ue_ip = 1;
	ue_ip_ie(s, &dl->pdi.ue_ip[0]);
	dl->pdi.ue_ip[0].flags |= SEN_PFCP_UEIP_SD; /* destination address */
	dl->has_far_id = true;
	dl->far_id = FAR_DL;
	dl->n_qer_id = 1;
	dl->qer_id[0] = QER_ID;
	dl->n_urr_id = 1;
	dl->urr_id[0] = URR_ID;

	/* FARs (5.2.1): UL to the data network; DL buffered (and reported) until the gNB's
	 * tunnel is known (TS 23.502 4.3.2.2.1 step 10a: N4 Session Establishment before the
	 * AN tunnel info) */
	r->n_create_far = 2;
	fu = &r->create_far[0];
	fu->far_id = FAR_UL;
	fu->apply_action.bits = SEN_PFCP_AA_FORW;
	fu->has_fwd = true;
	fu->fwd.destination_interface = SEN_PFCP_IF_CORE;
	fu->fwd.has_network_instance = true;
	fu->fwd.network_instance = (struct sen_pfcp_bytes){s->ni, s->ni_len};
	fd = &r->create_far[1];
	fd->far_id = FAR_DL;
	fd->apply_action.bits = SEN_PFCP_AA_BUFF | SEN_PFCP_AA_NOCP;

	/* QER (5.2.1.2 / 5.4): gates open, MBR = session AMBR (kbit/s), QFI of the flow */
	r->n_create_qer = 1;
	q = &r->create_qer[0];
	q->qer_id = QER_ID;
	q->has_gate_status = true;
	q->gate_status = SEN_PFCP_GATE(false, false);
	q->has_mbr = true;
	q->mbr.ul = (s->ambr_ul + 999) / 1000;
	q->mbr.dl = (s->ambr_dl + 999) / 1000;
	q->has_qfi = true;
	q->qfi = SMF_DEFAULT_QFI;

	/* URR: volume measurement, reported at deletion */
	r->n_create_urr = 1;
	urr = &r->create_urr[0];
	urr->urr_id = URR_ID;
	urr->has_measurement_method = true;
	urr->measurement_method.bits = SEN_PFCP_MM_VOLUM;
	urr->has_reporting_triggers = true;
	urr->reporting_triggers.bits = 0;
	urr->reporting_triggers.len = 2;

	r->has_pdn_type = true;
	/* 8.2.79 PDN Type: 1 IPv4, 2 IPv6, 3 IPv4v6 (the 5GSM values, TS 24.501 9.11.4.11) */
	r->pdn_type = s->pdu_type ? s->pdu_type : 1;
	r->has_apn_dnn = true;
	r->apn_dnn = (struct sen_pfcp_bytes){s->ni, s->ni_len};
	return session_request(s, cb);
}

int smf_n4_modify_dl(struct smf_sess *s, bool forward, smf_n4_cb cb)
{
	struct smf *smf = s->smf;
	struct sen_pfcp_update_far *f;

	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_MODIFICATION_REQUEST, 0);
	smf->tx->seid = s->up_seid;
	smf->tx->session_modification_request.n_update_far = 1;
	f = &smf->tx->session_modification_request.update_far[0];
	f->far_id = FAR_DL;
	f->has_apply_action = true;
	if (forward) {
		/* 5.2.3: forward with a GTP-U header to the gNB (Outer Header Creation 8.2.56) */
		f->apply_action.bits = SEN_PFCP_AA_FORW;
		f->has_fwd = true;
		f->fwd.has_destination_interface = true;
		f->fwd.destination_interface = SEN_PFCP_IF_ACCESS;
		f->fwd.has_network_instance = true;
		f->fwd.network_instance = (struct sen_pfcp_bytes){s->ni, s->ni_len};
		f->fwd.has_ohc = true;
		f->fwd.ohc.desc = SEN_PFCP_OHC_GTPU_UDP_IPV4;
		f->fwd.ohc.teid = s->dl_teid;
		memcpy(f->fwd.ohc.ipv4, s->dl_addr, 4);
	} else {
		/* TS 23.502 4.2.6: AN release: buffer and notify */
		f->apply_action.bits = SEN_PFCP_AA_BUFF | SEN_PFCP_AA_NOCP;
	}
	return session_request(s, cb);
}

/* ---------------------------------------------------------------------------------------- */
/* Orphans: UP sessions the SMF let go of, holding their UE addresses until the UPF answers.  */

struct smf_n4_orphan {
	struct smf *smf;
	struct smf_upf *upf;
	uint64_t up_seid; /* 0: an establishment orphan whose UP SEID is not known (yet) */
	uint64_t cp_seid; /* an establishment orphan: the CP SEID it sent, 0: none */
	struct smf_dnn *dnn;
	uint32_t ue_ip; /* host order, 0: none */
	bool has_ip6;
	uint8_t ue_ip6[8]; /* the /64 */
	bool quarantined;  /* a deletion or establishment went unanswered after N1 retries */
	unsigned tries;	   /* unanswered deletions */
	struct sen_timer retry;
	struct sen_timer bound; /* smf.quarantine_max, from the quarantine on */
	struct smf_n4_xact *x;
	struct smf_n4_orphan *prev, *next;
};

static void orphan_send(struct smf_n4_orphan *o);

static void orphan_free(struct smf_n4_orphan *o, bool release)
{
	struct smf *smf = o->smf;
	struct smf_upf *u = o->upf;

	sen_timer_stop(&o->retry);
	sen_timer_stop(&o->bound);
	if (o->x) {
		struct smf_n4_xact *x = o->x;
		o->x = NULL;
		xact_free(x);
	}
	if (o->prev)
		o->prev->next = o->next;
	else
		u->orphans = o->next;
	if (o->next)
		o->next->prev = o->prev;
	if (o->quarantined && smf->n_quarantined)
		smf->n_quarantined--;
	if (release && o->dnn) {
		if (o->ue_ip)
			smf_ippool_release(&o->dnn->pool, o->ue_ip);
		if (o->has_ip6)
			smf_ip6pool_release(&o->dnn->pool6, o->ue_ip6);
	}
	free(o);
	smf_update_gauges(smf);
}

static void on_orphan_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct smf_n4_orphan *o = arg;

	(void)loop;
	(void)t;
	if (o->upf->state == UPF_ASSOCIATED && !o->x && o->up_seid)
		orphan_send(o); /* else: the association, once set up again, decides */
}

/* "10.45.0.7", "2001:db8:cafe:1::/64" or both: the orphan's addresses for logs. */
static void orphan_addr_text(const struct smf_n4_orphan *o, char *out, size_t cap)
{
	char p6[INET6_ADDRSTRLEN];
	uint8_t a[16] = {0};
	int n = 0;

	out[0] = '\0';
	if (o->ue_ip)
		n = snprintf(out, cap, "%u.%u.%u.%u", o->ue_ip >> 24, (o->ue_ip >> 16) & 255,
			     (o->ue_ip >> 8) & 255, o->ue_ip & 255);
	if (!o->has_ip6 || n < 0 || (size_t)n >= cap)
		return;
	memcpy(a, o->ue_ip6, 8);
	inet_ntop(AF_INET6, a, p6, sizeof(p6));
	snprintf(out + n, cap - (size_t)n, "%s%s/64", n ? " + " : "", p6);
}

static uint64_t quarantine_max_ms(const struct smf *smf)
{
	if (smf->quarantine_max_ms)
		return smf->quarantine_max_ms;
	return (uint64_t)(smf->c.quarantine_max ? smf->c.quarantine_max : SMF_QUARANTINE_MAX) *
	       1000;
}

/* The upper bound: no proof came that the UPF dropped the session; the addresses go back
 * anyway, so that a UPF that never answers cannot drain the pool. */
static void on_orphan_bound(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct smf_n4_orphan *o = arg;
	char addr[96];

	(void)loop;
	(void)t;
	orphan_addr_text(o, addr, sizeof(addr));
	sen_log_warn(N4_LOG,
		     "UPF %s: UE address %s leaves quarantine after %llu s (smf.quarantine_max) "
		     "without proof that the UPF dropped its session (%s SEID 0x%llx)",
		     o->upf->name, addr, (unsigned long long)(quarantine_max_ms(o->smf) / 1000),
		     o->up_seid ? "UP" : "CP",
		     (unsigned long long)(o->up_seid ? o->up_seid : o->cp_seid));
	orphan_free(o, true);
}

/* o's addresses are quarantined: counted (sen_smf_ue_addresses_quarantined), at most
 * smf.quarantine_max s from now. */
static void orphan_quarantine(struct smf_n4_orphan *o)
{
	struct smf *smf = o->smf;

	if (o->quarantined)
		return;
	o->quarantined = true;
	smf->n_quarantined++;
	sen_timer_start(&o->bound, quarantine_max_ms(smf));
	smf_update_gauges(smf);
}

static void orphan_retry_later(struct smf_n4_orphan *o)
{
	struct smf *smf = o->smf;
	uint32_t ms = smf->quarantine_retry ? smf->quarantine_retry : SMF_QUARANTINE_RETRY;

	orphan_quarantine(o);
	if (!o->up_seid)
		return; /* an establishment orphan has nothing to delete by */
	if (o->tries >= SMF_QUARANTINE_TRIES) {
		sen_log_error(
		    N4_LOG,
		    "UPF %s: Session Deletion (UP SEID 0x%llx) unanswered %u times: its UE "
		    "address stays quarantined until the UPF restarts or re-associates (at "
		    "most smf.quarantine_max)",
		    o->upf->name, (unsigned long long)o->up_seid, o->tries);
		return;
	}
	sen_timer_start(&o->retry, t1_jittered(smf, ms));
}

static void on_orphan_answer(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_n4_orphan *o = arg;

	o->x = NULL;
	if (rsp) {
		/* accepted, or 65 "session context not found": the UPF holds it no more */
		if (rsp->session_response.cause != SEN_PFCP_CAUSE_REQUEST_ACCEPTED)
			sen_log_debug(N4_LOG, "deletion of an abandoned session: %s",
				      sen_pfcp_cause_name(rsp->session_response.cause));
		if (o->quarantined)
			sen_log_info(N4_LOG,
				     "UPF %s answered the Session Deletion (UP SEID 0x%llx): "
				     "its UE address leaves quarantine",
				     o->upf->name, (unsigned long long)o->up_seid);
		orphan_free(o, true);
		return;
	}
	o->tries++;
	if (!o->quarantined)
		sen_log_warn(N4_LOG,
			     "UPF %s did not answer the Session Deletion (UP SEID 0x%llx): "
			     "its UE address is quarantined, the deletion retried",
			     o->upf->name, (unsigned long long)o->up_seid);
	(void)smf;
	orphan_retry_later(o);
}

static void orphan_send(struct smf_n4_orphan *o)
{
	struct smf *smf = o->smf;

	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_DELETION_REQUEST, 0);
	smf->tx->seid = o->up_seid;
	o->x = request_w(smf, o->upf, true, on_orphan_answer, o);
	if (!o->x)
		orphan_retry_later(o);
}

static void on_unwatched_answer(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	(void)smf;
	(void)rsp;
	(void)arg;
}

/* Move the UP session of s (SEID, UE addresses) into a new orphan of s->upf, or NULL. */
static struct smf_n4_orphan *orphan_new(struct smf_sess *s)
{
	struct smf_n4_orphan *o = calloc(1, sizeof(*o));
	struct smf_upf *u = s->upf;

	if (!o)
		return NULL;
	o->smf = s->smf;
	o->upf = u;
	o->up_seid = s->up_seid;
	o->dnn = s->dnn;
	o->ue_ip = s->ue_ip;
	o->has_ip6 = s->has_ip6;
	memcpy(o->ue_ip6, s->ue_ip6, 8);
	sen_timer_init(&o->retry, s->smf->loop, on_orphan_timer, o);
	sen_timer_init(&o->bound, s->smf->loop, on_orphan_bound, o);
	o->next = u->orphans;
	if (u->orphans)
		u->orphans->prev = o;
	u->orphans = o;
	/* the addresses stay counted in use in the pools: they now belong to o */
	s->ue_ip = 0;
	s->has_ip6 = false;
	s->up_seid = 0;
	return o;
}

/*
 * The association with u came up again (recovery_ts: the Recovery Time Stamp it had before).
 * A UPF that restarted holds none of the orphans' sessions: their addresses are free; one
 * that did not still holds them: the deletions go out again.
 */
static void orphans_reassociated(struct smf_upf *u, uint32_t old_recovery_ts)
{
	bool restarted = old_recovery_ts && old_recovery_ts != u->recovery_ts;
	struct smf_n4_orphan *o = u->orphans, *next;

	for (; o; o = next) {
		next = o->next;
		if (restarted) {
			orphan_free(o, true);
		} else if (!o->x && o->up_seid) {
			/* (an establishment orphan waits: the UPF kept its sessions) */
			sen_timer_stop(&o->retry);
			o->tries = 0;
			orphan_send(o);
		}
	}
}

/* Node loss: the pending deletions stop; a UPF that restarted or released the association
 * holds no sessions any more, so the addresses are free. */
static void orphans_node_lost(struct smf_upf *u, bool holds_nothing)
{
	struct smf_n4_orphan *o = u->orphans, *next;

	for (; o; o = next) {
		next = o->next;
		if (holds_nothing) {
			orphan_free(o, true);
			continue;
		}
		if (o->x) {
			struct smf_n4_xact *x = o->x;
			o->x = NULL;
			xact_free(x);
		}
		sen_timer_stop(&o->retry);
		orphan_quarantine(o);
	}
	smf_update_gauges(u->smf);
}

size_t smf_n4_orphans(const struct smf_upf *u)
{
	size_t n = 0;

	for (const struct smf_n4_orphan *o = u->orphans; o; o = o->next)
		n++;
	return n;
}

void smf_n4_delete_detached(struct smf_sess *s)
{
	struct smf_n4_orphan *o;

	if (!s->upf || !s->up_seid || s->upf->state != UPF_ASSOCIATED)
		return;
	o = orphan_new(s);
	if (!o) {
		/* out of memory: the addresses go back with s; the deletion is still tried */
		struct smf *smf = s->smf;
		sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_DELETION_REQUEST, 0);
		smf->tx->seid = s->up_seid;
		request_w(smf, s->upf, true, on_unwatched_answer, NULL);
		s->up_seid = 0;
		return;
	}
	orphan_send(o);
}

/*
 * The answer to an abandoned Session Establishment, a late one included: refused, the UPF
 * created nothing (the addresses are free); accepted, it names the UP SEID (7.5.3.1 UP
 * F-SEID) and the session is deleted like any orphan's.
 */
static void orphan_est_answered(struct smf_n4_orphan *o, const struct sen_pfcp_msg *rsp)
{
	const struct sen_pfcp_session_establishment_response *r =
	    &rsp->session_establishment_response;

	if (r->cause != SEN_PFCP_CAUSE_REQUEST_ACCEPTED) {
		sen_log_info(N4_LOG,
			     "UPF %s refused the abandoned Session Establishment (CP SEID 0x%llx, "
			     "cause %u): its UE address is free",
			     o->upf->name, (unsigned long long)o->cp_seid, r->cause);
		orphan_free(o, true);
		return;
	}
	if (!r->has_up_fseid || !r->up_fseid.seid) {
		/* accepted without the mandatory UP F-SEID: nothing to delete it by */
		sen_log_warn(N4_LOG,
			     "UPF %s accepted the abandoned Session Establishment (CP SEID 0x%llx) "
			     "without a UP F-SEID: its UE address stays quarantined",
			     o->upf->name, (unsigned long long)o->cp_seid);
		orphan_quarantine(o);
		return;
	}
	o->up_seid = r->up_fseid.seid;
	o->tries = 0;
	sen_log_info(N4_LOG,
		     "UPF %s answered the abandoned Session Establishment (CP SEID 0x%llx): "
		     "deleting UP SEID 0x%llx",
		     o->upf->name, (unsigned long long)o->cp_seid, (unsigned long long)o->up_seid);
	if (o->upf->state == UPF_ASSOCIATED)
		orphan_send(o);
	else
		orphan_quarantine(o); /* the next association retries the deletion */
}

static void on_orphan_est_answer(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_n4_orphan *o = arg;

	(void)smf;
	o->x = NULL;
	if (rsp) {
		orphan_est_answered(o, rsp);
		return;
	}
	sen_log_warn(N4_LOG,
		     "UPF %s did not answer the Session Establishment (CP SEID 0x%llx): it may "
		     "hold the session, its UE address is quarantined",
		     o->upf->name, (unsigned long long)o->cp_seid);
	orphan_quarantine(o);
}

/* An Establishment Response that matched no request: the late answer to one whose orphan
 * is quarantined? (At most a few orphans per UPF: a linear search.) */
static bool orphan_late_answer(struct smf *smf, const struct sockaddr_in *from,
			       const struct sen_pfcp_msg *rsp)
{
	struct smf_upf *u = upf_by_addr(smf, from);

	if (!u || !rsp->seid)
		return false;
	for (struct smf_n4_orphan *o = u->orphans; o; o = o->next)
		if (o->cp_seid == rsp->seid && !o->up_seid && !o->x) {
			orphan_est_answered(o, rsp);
			return true;
		}
	return false;
}

void smf_n4_establish_lost(struct smf_sess *s)
{
	struct smf_n4_orphan *o;

	if (!s->upf || (!s->ue_ip && !s->has_ip6))
		return;
	o = orphan_new(s); /* out of memory: the addresses go back with s */
	if (!o)
		return;
	o->cp_seid = s->ref;
	sen_log_ue_warn(N4_LOG, s->tag,
			"UPF %s did not answer the Session Establishment: it may hold the "
			"session, the UE address is quarantined",
			o->upf->name);
	orphan_quarantine(o);
}

void smf_n4_abandon(struct smf_sess *s)
{
	struct smf_n4_xact *x = s->n4_x;
	struct smf_n4_orphan *o = NULL;

	if (!x)
		return;
	s->n4_x = NULL;
	s->n4_cb = NULL;
	/* a request still waiting in the window never reached the UPF */
	if (x->type == SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST && x->sent && s->upf == x->upf &&
	    (s->ue_ip || s->has_ip6))
		o = orphan_new(s);
	if (!o) {
		xact_free(x);
		return;
	}
	o->cp_seid = s->ref;
	o->x = x;
	x->cb = on_orphan_est_answer;
	x->arg = o;
}

/* The answer to smf_n4_delete: none after N1 retransmissions quarantines the addresses. */
static void deletion_cb(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	smf_n4_cb cb = s->n4_cb;

	s->n4_x = NULL;
	s->n4_cb = NULL;
	if (rsp) {
		s->up_seid = 0; /* any answer: the UPF holds it no more */
	} else {
		struct smf_n4_orphan *o = orphan_new(s);
		if (o) {
			o->tries = 1;
			sen_log_ue_warn(
			    N4_LOG, s->tag,
			    "UPF %s did not answer the Session Deletion: the UE address "
			    "is quarantined, the deletion retried",
			    o->upf->name);
			orphan_retry_later(o);
		}
	}
	if (cb)
		cb(smf, rsp, s);
}

int smf_n4_delete(struct smf_sess *s, smf_n4_cb cb)
{
	struct smf *smf = s->smf;

	if (!s->upf || s->upf->state != UPF_ASSOCIATED)
		return -SEN_EAGAIN;
	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_DELETION_REQUEST, 0);
	smf->tx->seid = s->up_seid;
	s->n4_x = request_w(smf, s->upf, true, deletion_cb, s);
	if (!s->n4_x)
		return -SEN_ENOMEM;
	s->n4_cb = cb;
	return 0;
}
