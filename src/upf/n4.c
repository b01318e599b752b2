/*
 * sen-upf N4: PFCP path and handlers (see n4.h). TS 29.244 clauses cited per handler.
 */
#include "n4.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOG	       "upf"
#define N4_MAX_MSG     8192
#define HB_MAX_MISSED  3

static char *addr_str(const struct sockaddr_in *a, char *buf, size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(a->sin_port));
	return buf;
}

static void our_node_id(const struct upf_n4 *n4, struct sen_pfcp_node_id *id)
{
	memset(id, 0, sizeof(*id));
	id->type = SEN_PFCP_NODE_IPV4;
	memcpy(id->ipv4, &n4->addr.sin_addr, 4);
}

static void update_gauge(struct upf_n4 *n4)
{
	sen_metric_set(n4->m_sessions, (int64_t)n4->ctx->n_sess);
}

/* ---- sending ---- */

/* Encode n4->tx and send it to `to`; keep a copy for retransmitted requests if asked. */
static void send_tx(struct upf_n4 *n4, const struct sockaddr_in *to, bool cache,
		    uint8_t req_type)
{
	uint8_t out[N4_MAX_MSG];
	char a[32];
	int n = sen_pfcp_encode(n4->tx, out, sizeof(out));

	if (n < 0) {
		sen_log_error(LOG, "cannot encode %s: %s", sen_pfcp_msg_name(n4->tx->type),
			      sen_strerror(n));
		return;
	}
	if (sendto(n4->fd, out, (size_t)n, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		sen_log_warn(LOG, "PFCP send to %s: %m", addr_str(to, a, sizeof(a)));
	if (!cache)
		return;
	struct upf_n4_cached *c = &n4->cache[n4->cache_next];
	uint8_t *copy = malloc((size_t)n);
	if (!copy)
		return;
	free(c->data);
	c->peer = *to;
	c->seq = n4->tx->seq;
	c->type = req_type;
	c->len = (uint16_t)n;
	c->data = copy;
	memcpy(copy, out, (size_t)n);
	n4->cache_next = (n4->cache_next + 1) % UPF_N4_CACHE;
}

/* TS 29.244 6.4: a retransmitted request gets the same response again. */
static bool resend_cached(struct upf_n4 *n4, const struct sockaddr_in *from, uint32_t seq,
			  uint8_t type)
{
	for (unsigned i = 0; i < UPF_N4_CACHE; i++) {
		struct upf_n4_cached *c = &n4->cache[i];
		if (c->data && c->seq == seq && c->type == type &&
		    c->peer.sin_addr.s_addr == from->sin_addr.s_addr &&
		    c->peer.sin_port == from->sin_port) {
			if (sendto(n4->fd, c->data, c->len, 0, (const struct sockaddr *)from,
				   sizeof(*from)) < 0)
				sen_log_debug(LOG, "PFCP resend: %m");
			return true;
		}
	}
	return false;
}

static uint32_t next_seq(struct upf_n4 *n4)
{
	n4->seq = (n4->seq + 1) & 0xffffff;
	if (!n4->seq)
		n4->seq = 1;
	return n4->seq;
}

/* ---- node procedures (6.2) ---- */

/* 6.2.2: Heartbeat Request answered with our Recovery Time Stamp. */
static void on_heartbeat_request(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_HEARTBEAT_RESPONSE, n4->rx->seq);
	n4->tx->heartbeat.recovery_ts = n4->recovery_ts;
	send_tx(n4, from, false, 0);
}

static void on_heartbeat_response(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	struct sen_hash_iter it;
	void *v;

	sen_hash_iter_init(&it, n4->ctx->assoc_by_node);
	while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
		struct upf_assoc *a = v;
		if (!a->hb_pending || a->hb_seq != n4->rx->seq)
			continue;
		a->hb_pending = false;
		a->hb_missed = 0;
		if (a->recovery_ts && n4->rx->heartbeat.recovery_ts != a->recovery_ts)
			/* TS 23.527 / TS 29.244 19A: the peer restarted. */
			sen_log_warn(LOG, "PFCP peer %s restarted (Recovery Time Stamp changed)",
				     inet_ntoa(from->sin_addr));
		return;
	}
}

static void hb_tick(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct upf_n4 *n4 = arg;
	struct sen_hash_iter it;
	void *v;

	sen_hash_iter_init(&it, n4->ctx->assoc_by_node);
	while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
		struct upf_assoc *a = v;
		if (a->hb_pending && ++a->hb_missed == HB_MAX_MISSED)
			sen_log_warn(LOG, "PFCP peer %s: %u heartbeats unanswered",
				     inet_ntoa(a->peer.sin_addr), HB_MAX_MISSED);
		a->hb_seq = next_seq(n4);
		a->hb_pending = true;
		sen_pfcp_msg_init(n4->tx, SEN_PFCP_HEARTBEAT_REQUEST, a->hb_seq);
		n4->tx->heartbeat.recovery_ts = n4->recovery_ts;
		send_tx(n4, &a->peer, false, 0);
	}
	sen_timer_start(t, (uint64_t)n4->heartbeat_s * 1000);
	(void)loop;
}

static char *node_str(const struct sen_pfcp_node_id *id, char *buf, size_t len)
{
	if (id->type == SEN_PFCP_NODE_IPV4)
		inet_ntop(AF_INET, id->ipv4, buf, (socklen_t)len);
	else if (id->type == SEN_PFCP_NODE_IPV6)
		inet_ntop(AF_INET6, id->ipv6, buf, (socklen_t)len);
	else
		snprintf(buf, len, "%s", id->fqdn);
	return buf;
}

/* 6.2.6.2: Association Setup Request from a CP function. */
static void on_assoc_setup(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	const struct sen_pfcp_association_setup *req = &n4->rx->association_setup;
	char name[SEN_PFCP_FQDN_MAX + 1];
	bool created;
	uint8_t cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	struct upf_assoc *a = upf_assoc_get(n4->ctx, &req->node_id, &created);

	if (!a) {
		cause = SEN_PFCP_CAUSE_NO_RESOURCES;
	} else {
		/* 6.2.6.2.2: a new Recovery Time Stamp means the CP function restarted; the
		 * sessions it had are gone on its side. */
		if (!created && a->recovery_ts != req->recovery_ts) {
			sen_log_info(LOG, "association with %s replaced: deleting its %u sessions",
				     node_str(&req->node_id, name, sizeof(name)), a->n_sess);
			upf_assoc_del_sessions(n4->ctx, a);
			update_gauge(n4);
		}
		a->recovery_ts = req->recovery_ts;
		a->peer = *from;
		a->hb_missed = 0;
		a->hb_pending = false;
		sen_log_info(LOG, "PFCP association %s with %s (%s)",
			     created ? "set up" : "updated",
			     node_str(&req->node_id, name, sizeof(name)),
			     inet_ntoa(from->sin_addr));
	}
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_ASSOCIATION_SETUP_RESPONSE, n4->rx->seq);
	struct sen_pfcp_association_setup *rsp = &n4->tx->association_setup;
	our_node_id(n4, &rsp->node_id);
	rsp->cause = cause;
	rsp->recovery_ts = n4->recovery_ts;
	rsp->has_up_features = true;
	/* 8.2.25: FTUP (F-TEID allocation), EMPU (End Marker sending, octet 6 bit 1). */
	rsp->up_features.bits = SEN_PFCP_UP_FTUP | SEN_PFCP_UP_EMPU;
	send_tx(n4, from, true, SEN_PFCP_ASSOCIATION_SETUP_REQUEST);
}

/* 6.2.8.2: Association Release Request: delete the association and its sessions. */
static void on_assoc_release(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	char name[SEN_PFCP_FQDN_MAX + 1];
	struct upf_assoc *a = upf_assoc_find(n4->ctx, &n4->rx->association_release.node_id);
	uint8_t cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;

	if (a) {
		sen_log_info(LOG, "PFCP association with %s released (%u sessions)",
			     node_str(&a->node_id, name, sizeof(name)), a->n_sess);
		upf_assoc_del(n4->ctx, a);
		update_gauge(n4);
	} else {
		cause = SEN_PFCP_CAUSE_NO_ESTABLISHED_ASSOCIATION;
	}
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE, n4->rx->seq);
	our_node_id(n4, &n4->tx->association_release.node_id);
	n4->tx->association_release.cause = cause;
	send_tx(n4, from, true, SEN_PFCP_ASSOCIATION_RELEASE_REQUEST);
}

/* ---- session procedures (6.3) ---- */

/* Send a Session Establishment Response with an error cause (7.5.3). */
static void estab_reject(struct upf_n4 *n4, const struct sockaddr_in *from, uint64_t cp_seid,
			 uint8_t cause, uint16_t offending_ie)
{
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE, n4->rx->seq);
	n4->tx->seid = cp_seid;
	struct sen_pfcp_session_establishment_response *rsp =
	    &n4->tx->session_establishment_response;
	our_node_id(n4, &rsp->node_id);
	rsp->cause = cause;
	rsp->has_offending_ie = offending_ie != 0;
	rsp->offending_ie = offending_ie;
	send_tx(n4, from, true, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST);
	sen_metric_add(n4->m_estab_fail, 1);
}

/* IDs of the PDRs whose F-TEID the request asked us to CHOOSE (7.5.3.2: Created PDR). */
static unsigned chosen_ids(const struct sen_pfcp_create_pdr *c, unsigned n, uint16_t *ids)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (c[i].pdi.has_local_fteid && (c[i].pdi.local_fteid.flags & SEN_PFCP_FTEID_CH))
			ids[k++] = c[i].pdr_id;
	return k;
}

/* 6.3.2: Session Establishment. */
static void on_session_establishment(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	const struct sen_pfcp_session_establishment_request *req =
	    &n4->rx->session_establishment_request;
	char name[SEN_PFCP_FQDN_MAX + 1];
	struct upf_fail fail;
	uint16_t ids[UPF_MAX_PDR];

	sen_metric_add(n4->m_estab_req, 1);
	struct upf_assoc *a = upf_assoc_find(n4->ctx, &req->node_id);
	if (!a) {
		/* 6.2.6.1: sessions only within an association. */
		sen_log_warn(LOG, "Session Establishment from %s without association",
			     node_str(&req->node_id, name, sizeof(name)));
		estab_reject(n4, from, req->cp_fseid.seid,
			     SEN_PFCP_CAUSE_NO_ESTABLISHED_ASSOCIATION, 0);
		return;
	}
	struct upf_sess *s = upf_sess_create(n4->ctx, a, req, &fail);
	if (!s) {
		sen_log_warn(LOG, "Session Establishment (cp seid=0x%llx) rejected: %s (cause %u)",
			     (unsigned long long)req->cp_fseid.seid, fail.why, fail.cause);
		estab_reject(n4, from, req->cp_fseid.seid, fail.cause, fail.offending_ie);
		return;
	}
	sen_log_ue_info(LOG, s->tag, "session established: %u PDR, %u FAR, %u QER, %u URR",
			s->r.n_pdr, s->r.n_far, s->r.n_qer, s->r.n_urr);
	update_gauge(n4);
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE, n4->rx->seq);
	n4->tx->seid = s->cp_seid;
	struct sen_pfcp_session_establishment_response *rsp =
	    &n4->tx->session_establishment_response;
	our_node_id(n4, &rsp->node_id);
	rsp->cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	rsp->has_up_fseid = true;
	rsp->up_fseid.flags = SEN_PFCP_FSEID_V4;
	rsp->up_fseid.seid = s->seid;
	memcpy(rsp->up_fseid.ipv4, &n4->addr.sin_addr, 4);
	unsigned k = chosen_ids(req->create_pdr, req->n_create_pdr, ids);
	rsp->n_created_pdr =
	    (uint8_t)upf_sess_created_pdrs(n4->ctx, s, ids, k, rsp->created_pdr, SEN_PFCP_MAX_PDR);
	send_tx(n4, from, true, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST);
}

/* Session Modification / Deletion Response with a cause only (7.5.5, 7.5.7). */
static void session_reply(struct upf_n4 *n4, const struct sockaddr_in *from, uint8_t type,
			  uint64_t seid, uint8_t cause, uint16_t offending_ie)
{
	sen_pfcp_msg_init(n4->tx, type, n4->rx->seq);
	n4->tx->seid = seid;
	n4->tx->session_response.cause = cause;
	n4->tx->session_response.has_offending_ie = offending_ie != 0;
	n4->tx->session_response.offending_ie = offending_ie;
	send_tx(n4, from, true, (uint8_t)(type - 1));
}

/* After a commit: End Markers on old paths, then what buffering FARs held. */
static void after_modify(struct upf_n4 *n4, struct upf_sess *s, const struct upf_far *old,
			 size_t n_old)
{
	for (size_t i = 0; i < n_old; i++)
		upf_dp_end_marker(n4->dp, &old[i]);
	for (unsigned i = 0; i < s->r.n_pdr; i++) {
		struct upf_pdr *p = &s->r.pdr[i];
		if (p->far && p->far->buf_head && !(p->far->action & SEN_PFCP_AA_BUFF))
			upf_dp_far_flush(n4->dp, p);
	}
}

/* 6.3.3: Session Modification. */
static void on_session_modification(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	const struct sen_pfcp_session_modification_request *req =
	    &n4->rx->session_modification_request;
	static struct upf_far old[UPF_MAX_FAR * 2];
	struct upf_fail fail;
	size_t n_old = 0;
	uint16_t ids[UPF_MAX_PDR];

	sen_metric_add(n4->m_mod_req, 1);
	struct upf_sess *s = upf_sess_find(n4->ctx, n4->rx->seid);
	if (!s) {
		sen_metric_add(n4->m_mod_fail, 1);
		session_reply(n4, from, SEN_PFCP_SESSION_MODIFICATION_RESPONSE, 0,
			      SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND, 0);
		return;
	}
	if (upf_sess_modify(n4->ctx, s, req, &fail, old, &n_old) < 0) {
		sen_log_ue_warn(LOG, s->tag, "Session Modification rejected: %s (cause %u)",
				fail.why, fail.cause);
		sen_metric_add(n4->m_mod_fail, 1);
		session_reply(n4, from, SEN_PFCP_SESSION_MODIFICATION_RESPONSE, s->cp_seid,
			      fail.cause, fail.offending_ie);
		return;
	}
	if (req->has_cp_fseid && (req->cp_fseid.flags & SEN_PFCP_FSEID_V4)) {
		s->cp_seid = req->cp_fseid.seid;
		memcpy(&s->cp.sin_addr, req->cp_fseid.ipv4, 4);
	}
	sen_log_ue_info(LOG, s->tag, "session modified: %u PDR, %u FAR, %u QER", s->r.n_pdr,
			s->r.n_far, s->r.n_qer);
	after_modify(n4, s, old, n_old);
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_SESSION_MODIFICATION_RESPONSE, n4->rx->seq);
	n4->tx->seid = s->cp_seid;
	struct sen_pfcp_session_response *rsp = &n4->tx->session_response;
	rsp->cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	unsigned k = chosen_ids(req->create_pdr, req->n_create_pdr, ids);
	rsp->n_created_pdr =
	    (uint8_t)upf_sess_created_pdrs(n4->ctx, s, ids, k, rsp->created_pdr, SEN_PFCP_MAX_PDR);
	send_tx(n4, from, true, SEN_PFCP_SESSION_MODIFICATION_REQUEST);
}

/* A final Usage Report per URR (7.5.7.2; trigger TERMR, 8.2.41). */
static void usage_reports(struct upf_sess *s, struct sen_pfcp_session_response *rsp)
{
	uint32_t now = sen_pfcp_ntp_from_unix(time(NULL));

	for (unsigned i = 0; i < s->r.n_urr && i < SEN_PFCP_MAX_USAGE; i++) {
		struct upf_urr *u = &s->r.urr[i];
		struct sen_pfcp_usage_report *r = &rsp->usage_report[rsp->n_usage_report++];
		memset(r, 0, sizeof(*r));
		r->urr_id = u->id;
		r->ur_seqn = u->seqn++;
		r->trigger.bits = SEN_PFCP_URT_TERMR;
		r->has_start_time = r->has_end_time = r->has_volume = true;
		r->start_time = u->start;
		r->end_time = now;
		r->volume.flags = SEN_PFCP_VOL_TOVOL | SEN_PFCP_VOL_ULVOL | SEN_PFCP_VOL_DLVOL |
				  SEN_PFCP_VOL_TONOP | SEN_PFCP_VOL_ULNOP | SEN_PFCP_VOL_DLNOP;
		r->volume.ul = u->ul_bytes;
		r->volume.dl = u->dl_bytes;
		r->volume.total = u->ul_bytes + u->dl_bytes;
		r->volume.ul_pkts = u->ul_pkts;
		r->volume.dl_pkts = u->dl_pkts;
		r->volume.total_pkts = u->ul_pkts + u->dl_pkts;
	}
}

/* 6.3.4: Session Deletion. */
static void on_session_deletion(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	sen_metric_add(n4->m_del_req, 1);
	struct upf_sess *s = upf_sess_find(n4->ctx, n4->rx->seid);
	if (!s) {
		session_reply(n4, from, SEN_PFCP_SESSION_DELETION_RESPONSE, 0,
			      SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND, 0);
		return;
	}
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_SESSION_DELETION_RESPONSE, n4->rx->seq);
	n4->tx->seid = s->cp_seid;
	n4->tx->session_response.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	usage_reports(s, &n4->tx->session_response);
	sen_log_ue_info(LOG, s->tag, "session deleted");
	upf_sess_del(n4->ctx, s);
	update_gauge(n4);
	send_tx(n4, from, true, SEN_PFCP_SESSION_DELETION_REQUEST);
}

/* 6.3.5: Session Report Request for a session (report built by the caller in n4->tx). */
static void send_report(struct upf_n4 *n4, struct upf_sess *s)
{
	n4->tx->seid = s->cp_seid;
	sen_metric_add(n4->m_report, 1);
	send_tx(n4, &s->cp, false, 0);
}

/* First DL packet for a buffering FAR with NOCP (5.2.3.1, 7.5.8.2): DLDR. */
static void report_dl_data(struct upf_n4 *n4, struct upf_sess *s, struct upf_pdr *p)
{
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_SESSION_REPORT_REQUEST, next_seq(n4));
	struct sen_pfcp_session_report_request *r = &n4->tx->session_report_request;
	r->report_type.bits = SEN_PFCP_REPORT_DLDR;
	r->has_dl_data_report = true;
	r->dl_data_report.n_pdr_id = 1;
	r->dl_data_report.pdr_id[0] = p->id;
	if (p->qer && p->qer->has_qfi) {
		r->dl_data_report.n_service_info = 1;
		r->dl_data_report.service_info[0].flags = SEN_PFCP_DDSI_QFII;
		r->dl_data_report.service_info[0].qfi = p->qer->qfi;
	}
	sen_log_ue_info(LOG, s->tag, "downlink data for buffering PDR %u: report to the SMF",
			p->id);
	send_report(n4, s);
}

/* The gNB has no context for our DL F-TEID (TS 29.244 5.9, 7.5.8.4): ERIR. */
static void report_error_ind(struct upf_n4 *n4, struct upf_sess *s, uint32_t teid,
			     struct in_addr addr)
{
	sen_pfcp_msg_init(n4->tx, SEN_PFCP_SESSION_REPORT_REQUEST, next_seq(n4));
	struct sen_pfcp_session_report_request *r = &n4->tx->session_report_request;
	r->report_type.bits = SEN_PFCP_REPORT_ERIR;
	r->has_error_indication_report = true;
	r->error_indication_report.n_remote_fteid = 1;
	r->error_indication_report.remote_fteid[0].flags = SEN_PFCP_FTEID_V4;
	r->error_indication_report.remote_fteid[0].teid = teid;
	memcpy(r->error_indication_report.remote_fteid[0].ipv4, &addr, 4);
	sen_log_ue_info(LOG, s->tag, "Error Indication for TEID 0x%x: report to the SMF", teid);
	send_report(n4, s);
}

/* On the PFCP thread: send the reports the data plane queued. Each session is looked up
 * again by its SEID (it may have been deleted since), and the PDR by its ID. */
static void drain_events(struct sen_loop *loop, void *arg)
{
	struct upf_n4 *n4 = arg;
	static struct upf_n4_event ev[UPF_N4_EVENTS]; /* one PFCP thread */
	unsigned n, lost;

	pthread_mutex_lock(&n4->ev_lock);
	n = n4->ev_n;
	lost = n4->ev_lost;
	memcpy(ev, n4->ev, n * sizeof(ev[0]));
	n4->ev_n = n4->ev_lost = 0;
	n4->ev_posted = false;
	pthread_mutex_unlock(&n4->ev_lock);
	if (lost)
		sen_log_warn(LOG, "%u data-plane reports lost: queue full", lost);
	for (unsigned i = 0; i < n; i++) {
		struct upf_sess *s = upf_sess_find(n4->ctx, ev[i].seid);
		if (!s)
			continue;
		if (ev[i].erir) {
			report_error_ind(n4, s, ev[i].teid, ev[i].addr);
			continue;
		}
		for (unsigned k = 0; k < s->r.n_pdr; k++)
			if (s->r.pdr[k].id == ev[i].pdr_id) {
				report_dl_data(n4, s, &s->r.pdr[k]);
				break;
			}
	}
	(void)loop;
}

/* Any thread: queue a report, and post one drain to the PFCP loop if none is pending. */
static void queue_event(struct upf_n4 *n4, const struct upf_n4_event *e)
{
	bool post = false;

	pthread_mutex_lock(&n4->ev_lock);
	if (n4->ev_n < UPF_N4_EVENTS)
		n4->ev[n4->ev_n++] = *e;
	else
		n4->ev_lost++;
	if (!n4->ev_posted) {
		n4->ev_posted = post = true;
	}
	pthread_mutex_unlock(&n4->ev_lock);
	if (post && sen_loop_post(n4->loop, drain_events, n4) < 0) {
		pthread_mutex_lock(&n4->ev_lock);
		n4->ev_posted = false; /* the next report tries again */
		pthread_mutex_unlock(&n4->ev_lock);
	}
}

void upf_n4_on_dl_data(void *arg, struct upf_sess *s, struct upf_pdr *p)
{
	struct upf_n4_event e = { .erir = false, .pdr_id = p->id, .seid = s->seid };

	queue_event(arg, &e);
}

void upf_n4_on_error_ind(void *arg, struct upf_sess *s, uint32_t teid, struct in_addr addr)
{
	struct upf_n4_event e = { .erir = true, .teid = teid, .seid = s->seid, .addr = addr };

	queue_event(arg, &e);
}

/* 6.3.5.3: the SMF's answer to a report; 65 means it has no such session: drop ours. */
static void on_report_response(struct upf_n4 *n4)
{
	const struct sen_pfcp_session_report_response *r = &n4->rx->session_report_response;
	struct sen_hash_iter it;
	void *v;

	if (r->cause == SEN_PFCP_CAUSE_REQUEST_ACCEPTED) {
		sen_metric_add(n4->m_report_succ, 1);
		return;
	}
	if (r->cause != SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND)
		return;
	sen_hash_iter_init(&it, n4->ctx->sess_by_seid);
	while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
		struct upf_sess *s = v;
		if (s->seid == n4->rx->seid) {
			sen_log_ue_info(LOG, s->tag, "SMF has no such session: deleted");
			upf_sess_del(n4->ctx, s);
			update_gauge(n4);
			return;
		}
	}
}

/* ---- receiving ---- */

/* Answer a request the decoder refused (7.6), when the request type has a response. */
static void reject_bad(struct upf_n4 *n4, const struct sockaddr_in *from,
		       const struct sen_pfcp_error *e)
{
	uint8_t type = n4->rx->type;
	struct upf_sess *s;

	sen_metric_add(n4->m_rx_bad, 1);
	sen_log_warn(LOG, "bad %s from %s: %s%s%s (cause %u)", e->msg, inet_ntoa(from->sin_addr),
		     e->ie, e->ie[0] ? ": " : "", e->problem, e->cause);
	if (!e->cause)
		return;
	switch (type) {
	case SEN_PFCP_ASSOCIATION_SETUP_REQUEST:
		sen_pfcp_msg_init(n4->tx, SEN_PFCP_ASSOCIATION_SETUP_RESPONSE, n4->rx->seq);
		our_node_id(n4, &n4->tx->association_setup.node_id);
		n4->tx->association_setup.cause = e->cause;
		n4->tx->association_setup.recovery_ts = n4->recovery_ts;
		send_tx(n4, from, false, 0);
		break;
	case SEN_PFCP_ASSOCIATION_RELEASE_REQUEST:
		sen_pfcp_msg_init(n4->tx, SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE, n4->rx->seq);
		our_node_id(n4, &n4->tx->association_release.node_id);
		n4->tx->association_release.cause = e->cause;
		send_tx(n4, from, false, 0);
		break;
	case SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST:
		/* 7.2.2.4.2: the CP SEID may not be readable: answer with SEID 0. */
		estab_reject(n4, from, 0, e->cause, e->offending_ie);
		break;
	case SEN_PFCP_SESSION_MODIFICATION_REQUEST:
	case SEN_PFCP_SESSION_DELETION_REQUEST:
		s = upf_sess_find(n4->ctx, n4->rx->seid);
		session_reply(n4, from, (uint8_t)(type + 1), s ? s->cp_seid : 0, e->cause,
			      e->offending_ie);
		break;
	default: /* Heartbeat (no cause in its response) and responses: discard */
		break;
	}
}

static void dispatch(struct upf_n4 *n4, const struct sockaddr_in *from)
{
	switch (n4->rx->type) {
	case SEN_PFCP_HEARTBEAT_REQUEST:
		on_heartbeat_request(n4, from);
		break;
	case SEN_PFCP_HEARTBEAT_RESPONSE:
		on_heartbeat_response(n4, from);
		break;
	case SEN_PFCP_ASSOCIATION_SETUP_REQUEST:
		on_assoc_setup(n4, from);
		break;
	case SEN_PFCP_ASSOCIATION_RELEASE_REQUEST:
		on_assoc_release(n4, from);
		break;
	case SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST:
		on_session_establishment(n4, from);
		break;
	case SEN_PFCP_SESSION_MODIFICATION_REQUEST:
		on_session_modification(n4, from);
		break;
	case SEN_PFCP_SESSION_DELETION_REQUEST:
		on_session_deletion(n4, from);
		break;
	case SEN_PFCP_SESSION_REPORT_RESPONSE:
		on_report_response(n4);
		break;
	default: /* responses to requests we never send, reports to us: ignore */
		sen_log_debug(LOG, "ignored %s", sen_pfcp_msg_name(n4->rx->type));
		break;
	}
}

static bool is_request(uint8_t type)
{
	return type == SEN_PFCP_HEARTBEAT_REQUEST || type == SEN_PFCP_ASSOCIATION_SETUP_REQUEST ||
	       type == SEN_PFCP_ASSOCIATION_RELEASE_REQUEST ||
	       type == SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST ||
	       type == SEN_PFCP_SESSION_MODIFICATION_REQUEST ||
	       type == SEN_PFCP_SESSION_DELETION_REQUEST;
}

void upf_n4_input(struct upf_n4 *n4, const uint8_t *buf, size_t len,
		  const struct sockaddr_in *from)
{
	struct sen_pfcp_error e;

	while (len > 0) {
		int n = sen_pfcp_decode(buf, len, n4->rx, &e);
		if (n < 0) {
			if (e.fault == SEN_PFCP_FAULT_VERSION && len >= 4) {
				/* 7.6.2: Version Not Supported Response with the request's seq. */
				uint32_t seq = 0;
				if ((buf[0] & 1) && len >= 16)
					seq = (uint32_t)buf[12] << 16 | buf[13] << 8 | buf[14];
				else if (!(buf[0] & 1) && len >= 8)
					seq = (uint32_t)buf[4] << 16 | buf[5] << 8 | buf[6];
				sen_pfcp_msg_init(n4->tx, SEN_PFCP_VERSION_NOT_SUPPORTED_RESPONSE,
						  seq);
				send_tx(n4, from, false, 0);
				sen_metric_add(n4->m_rx_bad, 1);
			} else if (e.fault == SEN_PFCP_FAULT_TOO_SHORT ||
				   e.fault == SEN_PFCP_FAULT_MSG_TYPE ||
				   e.fault == SEN_PFCP_FAULT_HEADER) {
				sen_metric_add(n4->m_rx_bad, 1);
				sen_log_info(LOG, "discarded PFCP datagram from %s: %s",
					     inet_ntoa(from->sin_addr), e.problem);
			} else if (is_request(n4->rx->type) &&
				   resend_cached(n4, from, n4->rx->seq, n4->rx->type)) {
				/* already answered */
			} else {
				reject_bad(n4, from, &e);
			}
			return; /* the rest of a datagram after a bad message cannot be trusted */
		}
		if (is_request(n4->rx->type) && n4->rx->type != SEN_PFCP_HEARTBEAT_REQUEST &&
		    resend_cached(n4, from, n4->rx->seq, n4->rx->type)) {
			sen_log_debug(LOG, "retransmitted %s answered again",
				      sen_pfcp_msg_name(n4->rx->type));
		} else {
			/* The writer side of the big-reader lock: no worker is inside a
			 * batch while rules change (context.h). Heartbeats change none. */
			bool w = n4->rx->type != SEN_PFCP_HEARTBEAT_REQUEST &&
				 n4->rx->type != SEN_PFCP_HEARTBEAT_RESPONSE;
			if (w)
				upf_ctx_wrlock(n4->ctx);
			dispatch(n4, from);
			if (w)
				upf_ctx_wrunlock(n4->ctx);
		}
		if (!n4->rx->fo || (size_t)n >= len)
			break;
		buf += n;
		len -= (size_t)n;
	}
}

static void on_readable(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct upf_n4 *n4 = arg;
	uint8_t buf[N4_MAX_MSG];

	for (int i = 0; i < 64; i++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &fl);
		if (n < 0)
			break;
		if (fl != sizeof(from) || from.sin_family != AF_INET)
			continue;
		upf_n4_input(n4, buf, (size_t)n, &from);
	}
	(void)loop;
	(void)events;
}

/*
 * Socket buffers for bursts: the kernel's default (212,992 B) holds only a few hundred
 * datagrams, however small (each is charged its buffer's true size), far fewer than an SMF
 * sends when 10,000 UEs deregister at once; what overflows is lost, and so are its
 * retransmissions if they come together. SO_RCVBUFFORCE / SO_SNDBUFFORCE (CAP_NET_ADMIN)
 * go beyond net.core.rmem_max / wmem_max; without the capability SO_RCVBUF / SO_SNDBUF get
 * what the kernel allows (silently capped).
 */
static void deep_buffers(int fd)
{
	int sz = UPF_N4_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

int upf_n4_start(struct upf_n4 *n4, struct sen_loop *loop, struct upf_ctx *ctx,
		 struct upf_dp *dp, const struct sockaddr_in *addr, unsigned heartbeat_s,
		 char *err, size_t errlen)
{
	char a[32];

	memset(n4, 0, sizeof(*n4));
	pthread_mutex_init(&n4->ev_lock, NULL);
	n4->fd = -1;
	n4->loop = loop;
	n4->ctx = ctx;
	n4->dp = dp;
	n4->addr = *addr;
	n4->heartbeat_s = heartbeat_s;
	n4->recovery_ts = sen_pfcp_ntp_from_unix(time(NULL));
	n4->rx = malloc(sizeof(*n4->rx));
	n4->tx = malloc(sizeof(*n4->tx));
	if (!n4->rx || !n4->tx) {
		snprintf(err, errlen, "out of memory");
		upf_n4_stop(n4);
		return -SEN_ENOMEM;
	}
	n4->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (n4->fd < 0 || bind(n4->fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
		snprintf(err, errlen, "upf.pfcp: cannot bind %s: %m",
			 addr_str(addr, a, sizeof(a)));
		upf_n4_stop(n4);
		return -SEN_EIO;
	}
	deep_buffers(n4->fd);
	if (sen_loop_fd_add(loop, n4->fd, SEN_LOOP_READ, on_readable, n4) < 0) {
		snprintf(err, errlen, "cannot watch the PFCP socket");
		upf_n4_stop(n4);
		return -SEN_EIO;
	}
	dp->on_dl_data = upf_n4_on_dl_data;
	dp->on_error_ind = upf_n4_on_error_ind;
	dp->arg = n4;
	sen_timer_init(&n4->hb_timer, loop, hb_tick, n4);
	if (heartbeat_s)
		sen_timer_start(&n4->hb_timer, (uint64_t)heartbeat_s * 1000);

	n4->m_estab_req = sen_metric_single(sen_metric_new(
	    SEN_METRIC_COUNTER, "fivegs_upffunction_sm_n4sessionestabreq",
	    "N4 Session Establishment Requests received", NULL));
	n4->m_estab_fail = sen_metric_single(sen_metric_new(
	    SEN_METRIC_COUNTER, "fivegs_upffunction_sm_n4sessionestabfail",
	    "N4 Session Establishments rejected", NULL));
	n4->m_mod_req = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
							 "sen_upf_n4_session_modification_total",
							 "N4 Session Modification Requests", NULL));
	n4->m_mod_fail = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "sen_upf_n4_session_modification_failed_total",
			   "N4 Session Modifications rejected", NULL));
	n4->m_del_req = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
							 "sen_upf_n4_session_deletion_total",
							 "N4 Session Deletion Requests", NULL));
	n4->m_report = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
							"fivegs_upffunction_sm_n4sessionreport",
							"N4 Session Reports sent", NULL));
	n4->m_report_succ = sen_metric_single(sen_metric_new(
	    SEN_METRIC_COUNTER, "fivegs_upffunction_sm_n4sessionreportsucc",
	    "N4 Session Reports accepted by the SMF", NULL));
	n4->m_sessions = sen_metric_single(sen_metric_new(
	    SEN_METRIC_GAUGE, "fivegs_upffunction_upf_sessionnbr", "PFCP sessions", NULL));
	n4->m_rx_bad = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
							"sen_upf_n4_bad_messages_total",
							"PFCP messages refused or discarded", NULL));
	update_gauge(n4);
	sen_log_info(LOG, "PFCP on %s", addr_str(addr, a, sizeof(a)));
	return 0;
}

void upf_n4_stop(struct upf_n4 *n4)
{
	if (n4->fd >= 0) {
		sen_loop_fd_del(n4->loop, n4->fd);
		close(n4->fd);
		n4->fd = -1;
	}
	if (n4->loop)
		sen_timer_stop(&n4->hb_timer);
	for (unsigned i = 0; i < UPF_N4_CACHE; i++) {
		free(n4->cache[i].data);
		n4->cache[i].data = NULL;
	}
	free(n4->rx);
	free(n4->tx);
	n4->rx = n4->tx = NULL;
}
