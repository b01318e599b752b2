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

static void xact_free(struct smf_n4_xact *x)
{
	sen_timer_stop(&x->t1);
	sen_hash_del_u64(x->smf->n4_xacts, x->seq);
	free(x);
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
		sen_timer_start(&x->t1, smf->c.t1);
		return;
	}
	sen_log_warn(N4_LOG, "no answer from UPF %s to %s (seq %u)", x->upf->name,
		     sen_pfcp_msg_name(x->type), x->seq);
	smf_n4_cb cb = x->cb;
	void *cbarg = x->arg;
	xact_free(x);
	cb(smf, NULL, cbarg);
}

/* Encode smf->tx (seq is set here) and send it as a request with T1/N1. */
static struct smf_n4_xact *request(struct smf *smf, struct smf_upf *u, smf_n4_cb cb, void *arg)
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
				  .cb = cb,
				  .arg = arg,
				  .len = (size_t)n};
	memcpy(x->buf, tmp, (size_t)n);
	if (sen_hash_put_u64(smf->n4_xacts, x->seq, x) < 0) {
		free(x);
		return NULL;
	}
	sen_timer_init(&x->t1, smf->loop, on_t1, x);
	sen_timer_start(&x->t1, smf->c.t1);
	send_raw(smf, u, x->buf, x->len);
	return x;
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

/* TS 29.244 6.2.6.2.x / 6.2.2: the UPF is gone (or restarted): its sessions are lost. */
static void node_lost(struct smf_upf *u, const char *why)
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
		if (s->upf == u)
			smf_sess_lost(s);
	}
	u->n_sess = 0;
	smf_update_gauges(smf);
	sen_timer_start(&u->timer, smf->c.assoc_retry);
}

static void on_heartbeat_rsp(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_upf *u = arg;

	u->hb = NULL;
	if (!rsp) {
		node_lost(u, "no Heartbeat Response");
		return;
	}
	if (u->recovery_ts && rsp->heartbeat.recovery_ts != u->recovery_ts) {
		node_lost(u, "the UPF restarted (new Recovery Time Stamp)");
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
	u->recovery_ts = a->recovery_ts;
	u->ftup = a->has_up_features && (a->up_features.bits & SEN_PFCP_UP_FTUP); /* 8.2.25 */
	u->state = UPF_ASSOCIATED;
	smf_update_gauges(smf);
	sen_log_info(N4_LOG, "UPF %s associated%s", u->name,
		     u->ftup ? "" : " (it does not announce FTUP: F-TEID CHOOSE may fail)");
	if (smf->c.heartbeat)
		sen_timer_start(&u->timer, (uint64_t)smf->c.heartbeat * 1000);
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
			node_lost(u, "the UPF restarted (new Recovery Time Stamp)");
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
			u->recovery_ts = m->association_setup.recovery_ts;
			u->state = UPF_ASSOCIATED;
			smf_update_gauges(smf);
			sen_log_info(N4_LOG, "UPF %s associated (UP-initiated)", u->name);
			if (smf->c.heartbeat)
				sen_timer_start(&u->timer, (uint64_t)smf->c.heartbeat * 1000);
		}
		break;
	case SEN_PFCP_ASSOCIATION_RELEASE_REQUEST:
		sen_pfcp_msg_init(smf->tx, SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE, m->seq);
		node_id(smf, &smf->tx->association_release.node_id);
		smf->tx->association_release.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
		respond(smf, from, fl);
		if (u && u->state == UPF_ASSOCIATED)
			node_lost(u, "the UPF released the association");
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
		if (!x || x->type + 1 != smf->rx->type ||
		    x->upf->cfg->pfcp.in.sin_addr.s_addr != from.sin_addr.s_addr) {
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
		sen_timer_stop(&smf->upf[i].timer);
		smf->upf[i].hb = smf->upf[i].assoc = NULL;
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
	s->n4_x = request(smf, s->upf, session_cb, s);
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

static void on_orphan_deleted(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	(void)smf;
	(void)arg;
	if (!rsp || rsp->session_response.cause != SEN_PFCP_CAUSE_REQUEST_ACCEPTED)
		sen_log_debug(N4_LOG, "deletion of an abandoned session: %s",
			      rsp ? sen_pfcp_cause_name(rsp->session_response.cause) : "no answer");
}

void smf_n4_delete_detached(struct smf_sess *s)
{
	struct smf *smf = s->smf;

	if (!s->upf || !s->up_seid || s->upf->state != UPF_ASSOCIATED)
		return;
	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_DELETION_REQUEST, 0);
	smf->tx->seid = s->up_seid;
	request(smf, s->upf, on_orphan_deleted, NULL);
	s->up_seid = 0;
}

int smf_n4_delete(struct smf_sess *s, smf_n4_cb cb)
{
	struct smf *smf = s->smf;

	sen_pfcp_msg_init(smf->tx, SEN_PFCP_SESSION_DELETION_REQUEST, 0);
	smf->tx->seid = s->up_seid;
	return session_request(s, cb);
}
