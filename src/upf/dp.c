/*
 * sen-upf data plane: the N3 / N6 fast path with batch I/O (see dp.h).
 * Specs: TS 29.281 (GTP-U: 5.1 header, 7.2 echo, 7.3.1 Error Indication, 7.3.2 End Marker),
 * TS 38.415 5.5.2 (PDU Session Container), TS 29.244 5.2 (PDR/FAR/QER processing).
 */
#include "dp.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/metrics.h"
#include "gtpu/gtpu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG "upf"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int upf_dp_init(struct upf_dp *dp, struct upf_ctx *ctx, int n3_fd, int tun_fd,
		struct in_addr n3_addr, unsigned mtu)
{
	memset(dp, 0, sizeof(*dp));
	dp->ctx = ctx;
	dp->n3_fd = n3_fd;
	dp->tun_fd = tun_fd;
	dp->n3_addr = n3_addr;
	/* An N3 datagram: inner packet + up to 64 octets of GTP-U header and extensions. */
	dp->slot = ((size_t)(mtu < 1500 ? 1500 : mtu) + UPF_HEADROOM + 128 + 63) & ~(size_t)63;
	dp->ul_mem = aligned_alloc(64, dp->slot * UPF_BATCH);
	dp->dl_mem = aligned_alloc(64, dp->slot * UPF_BATCH);
	if (!dp->ul_mem || !dp->dl_mem) {
		upf_dp_fini(dp);
		return -SEN_ENOMEM;
	}
	for (unsigned i = 0; i < UPF_BATCH; i++) {
		/* UL datagrams land after a headroom too: re-encapsulation (N9) needs it. */
		dp->riov[i].iov_base = dp->ul_mem + i * dp->slot + UPF_HEADROOM;
		dp->riov[i].iov_len = dp->slot - UPF_HEADROOM;
		dp->rmsg[i].msg_hdr.msg_iov = &dp->riov[i];
		dp->rmsg[i].msg_hdr.msg_iovlen = 1;
		dp->rmsg[i].msg_hdr.msg_name = &dp->from[i];
		dp->smsg[i].msg_hdr.msg_iov = &dp->siov[i];
		dp->smsg[i].msg_hdr.msg_iovlen = 1;
		dp->smsg[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
	}
	/* TS 28.552 5.4 names as Open5GS uses them, then Sen's own. */
	const char *ul[] = { "ul" }, *dl[] = { "dl" };
	struct sen_metric *f;
	dp->m_ul_pkts = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "fivegs_ep_n3_gtp_indatapktn3upf",
			   "GTP-U data packets received on N3 and forwarded", NULL));
	dp->m_dl_pkts = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "fivegs_ep_n3_gtp_outdatapktn3upf",
			   "GTP-U data packets sent on N3", NULL));
	f = sen_metric_new(SEN_METRIC_COUNTER, "sen_upf_bytes_total",
			   "Inner IP octets forwarded, by direction", "direction");
	dp->m_ul_bytes = sen_metric_series(f, ul);
	dp->m_dl_bytes = sen_metric_series(f, dl);
	f = sen_metric_new(SEN_METRIC_COUNTER, "sen_upf_dropped_packets_total",
			   "Packets dropped (no rule, gate closed, MBR, malformed), by direction",
			   "direction");
	dp->m_ul_drop = sen_metric_series(f, ul);
	dp->m_dl_drop = sen_metric_series(f, dl);
	dp->m_err_ind = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "sen_upf_gtpu_error_indications_sent_total",
			   "GTP-U Error Indications sent for unknown TEIDs", NULL));
	dp->m_echo = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
						      "sen_upf_gtpu_echo_requests_total",
						      "GTP-U Echo Requests answered", NULL));
	return 0;
}

void upf_dp_fini(struct upf_dp *dp)
{
	free(dp->ul_mem);
	free(dp->dl_mem);
	dp->ul_mem = dp->dl_mem = NULL;
}

void upf_dp_stats_flush(struct upf_dp *dp)
{
	struct upf_dp_stats *s = &dp->st, *t = &dp->total;

	if (s->ul_pkts)
		sen_metric_add(dp->m_ul_pkts, (int64_t)s->ul_pkts);
	if (s->dl_pkts)
		sen_metric_add(dp->m_dl_pkts, (int64_t)s->dl_pkts);
	if (s->ul_bytes)
		sen_metric_add(dp->m_ul_bytes, (int64_t)s->ul_bytes);
	if (s->dl_bytes)
		sen_metric_add(dp->m_dl_bytes, (int64_t)s->dl_bytes);
	if (s->ul_drop)
		sen_metric_add(dp->m_ul_drop, (int64_t)s->ul_drop);
	if (s->dl_drop)
		sen_metric_add(dp->m_dl_drop, (int64_t)s->dl_drop);
	if (s->err_ind)
		sen_metric_add(dp->m_err_ind, (int64_t)s->err_ind);
	if (s->echo)
		sen_metric_add(dp->m_echo, (int64_t)s->echo);
	t->ul_pkts += s->ul_pkts;
	t->dl_pkts += s->dl_pkts;
	t->ul_bytes += s->ul_bytes;
	t->dl_bytes += s->dl_bytes;
	t->ul_drop += s->ul_drop;
	t->dl_drop += s->dl_drop;
	t->err_ind += s->err_ind;
	t->echo += s->echo;
	memset(s, 0, sizeof(*s));
}

/* ---- QER (TS 29.244 5.2.4, 5.4.2) ---- */

/* Take n octets from the bucket; false if the MBR would be exceeded. */
static bool bucket_take(struct upf_bucket *b, size_t n)
{
	if (!b->rate)
		return true;
	uint64_t now = mono_ns();
	if (now > b->last) {
		uint64_t add = (now - b->last) * b->rate / 1000000000u;
		if (add) {
			b->tokens = b->tokens + add > b->burst ? b->burst : b->tokens + add;
			b->last = now;
		}
	}
	if (b->tokens < n)
		return false;
	b->tokens -= n;
	return true;
}

/* ---- GTP-U signalling ---- */

static void send_to(struct upf_dp *dp, const uint8_t *p, size_t n, const struct sockaddr_in *to)
{
	if (sendto(dp->n3_fd, p, n, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		sen_log_debug(LOG, "N3 sendto: %m");
}

/* TS 29.281 7.3.1: Error Indication for a G-PDU whose TEID has no context. */
static void send_error_ind(struct upf_dp *dp, uint32_t teid, const struct sockaddr_in *from)
{
	uint64_t sec = mono_ns() / 1000000000u;
	struct sen_gtpu_msg m;
	uint8_t out[64], port[2];

	if (sec != dp->errind_sec) {
		dp->errind_sec = sec;
		dp->errind_count = 0;
	}
	if (dp->errind_count >= UPF_ERRIND_PER_SEC)
		return;
	dp->errind_count++;
	sen_gtpu_msg_init(&m, SEN_GTPU_ERROR_INDICATION, 0);
	m.has_seq = true; /* 5.1: S = 1 for Error Indication */
	m.teid_data_i = teid;
	m.peer_addr_len = 4;
	memcpy(m.peer_addr, &dp->n3_addr, 4);
	/* 5.2.2.1: the UDP Port extension header carries the triggering packet's port. */
	port[0] = (uint8_t)(ntohs(from->sin_port) >> 8);
	port[1] = (uint8_t)ntohs(from->sin_port);
	m.n_ext = 1;
	m.ext[0].type = SEN_GTPU_EXT_UDP_PORT;
	m.ext[0].content.p = port;
	m.ext[0].content.len = 2;
	int n = sen_gtpu_encode(&m, out, sizeof(out));
	if (n > 0) {
		send_to(dp, out, (size_t)n, from);
		dp->st.err_ind++;
	}
}

/* A GTP-U message other than a G-PDU (TS 29.281 7). */
static void n3_signalling(struct upf_dp *dp, const uint8_t *p, size_t len,
			  const struct sockaddr_in *from)
{
	struct sen_gtpu_msg m, r;
	uint8_t out[64];

	if (sen_gtpu_decode(p, len, &m, NULL) < 0)
		return;
	switch (m.type) {
	case SEN_GTPU_ECHO_REQUEST: { /* 7.2.2: same sequence number, Recovery 0 */
		sen_gtpu_msg_init(&r, SEN_GTPU_ECHO_RESPONSE, 0);
		r.has_seq = true;
		r.seq = m.seq;
		r.has_recovery = true;
		int n = sen_gtpu_encode(&r, out, sizeof(out));
		if (n > 0) {
			send_to(dp, out, (size_t)n, from);
			dp->st.echo++;
		}
		break;
	}
	case SEN_GTPU_ERROR_INDICATION: {
		/* The peer has no context for a DL TEID we use: find the session (TS 29.244
		 * 5.9 / 7.5.8.4: reported to the SMF with an Error Indication Report). */
		struct in_addr a;
		if (m.peer_addr_len != 4 || !dp->on_error_ind)
			break;
		memcpy(&a, m.peer_addr, 4);
		struct sen_hash_iter it;
		void *v;
		sen_hash_iter_init(&it, dp->ctx->sess_by_seid);
		while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
			struct upf_sess *s = v;
			for (unsigned i = 0; i < s->r.n_far; i++)
				if (s->r.far[i].ohc && s->r.far[i].teid == m.teid_data_i &&
				    s->r.far[i].peer.sin_addr.s_addr == a.s_addr) {
					dp->on_error_ind(dp->arg, s, m.teid_data_i, a);
					return;
				}
		}
		sen_log_info(LOG, "Error Indication for TEID 0x%x from %s: no session",
			     m.teid_data_i, inet_ntoa(from->sin_addr));
		break;
	}
	default: /* Echo Response, End Marker, notifications: nothing to do here */
		break;
	}
}

/* ---- uplink ---- */

int upf_dp_ul_packet(struct upf_dp *dp, uint8_t *p, size_t len, const struct sockaddr_in *from)
{
	struct sen_gtpu_gpdu g;
	int rc = sen_gtpu_parse_gpdu(p, len, &g);

	if (__builtin_expect(rc != 0, 0)) {
		if (rc == -SEN_ENOENT)
			n3_signalling(dp, p, len, from);
		else
			dp->st.ul_drop++;
		return 0;
	}
	struct upf_pdr *pdr = sen_hash_get_u64(dp->ctx->ul_by_teid, g.teid);
	if (__builtin_expect(!pdr, 0)) {
		dp->st.ul_drop++;
		send_error_ind(dp, g.teid, from);
		return 0;
	}
	uint8_t *ip = p + g.payload_off;
	size_t n = g.payload_len;
	pdr = upf_pdr_match_qfi(pdr, g.qfi);
	if (!pdr || n < 20)
		goto drop;
	/* Anti-spoofing: an UL PDI with a UE IP address only matches that source (5.2.1). */
	if (pdr->has_ue_ip && ((ip[0] >> 4) != 4 || memcmp(ip + 12, &pdr->ue_ip, 4) != 0))
		goto drop;
	struct upf_far *far = pdr->far;
	struct upf_qer *qer = pdr->qer;
	if (!(far->action & SEN_PFCP_AA_FORW))
		goto drop;
	if (qer && (qer->ul_closed || (qer->has_mbr && !bucket_take(&qer->ul, n))))
		goto drop;
	pdr->pkts++;
	pdr->bytes += n;
	if (pdr->urr) {
		pdr->urr->ul_pkts++;
		pdr->urr->ul_bytes += n;
	}
	if (far->dst_if == SEN_PFCP_IF_ACCESS || far->ohc) {
		/* N9 / hairpin: a new outer header (TS 29.244 5.2.3.1), UL container. */
		uint8_t *h = sen_gtpu_push_gpdu(ip, (size_t)(ip - p) + UPF_HEADROOM, n, far->teid,
						SEN_GTPU_PSC_UL, g.qfi, false);
		if (!far->ohc || !h)
			goto drop;
		send_to(dp, h, (size_t)(ip + n - h), &far->peer);
	} else if (write(dp->tun_fd, ip, n) < 0) {
		goto drop;
	}
	dp->st.ul_pkts++;
	dp->st.ul_bytes += n;
	return 1;
drop:
	dp->st.ul_drop++;
	return 0;
}

int upf_dp_n3_input(struct upf_dp *dp)
{
	int n = recvmmsg(dp->n3_fd, dp->rmsg, UPF_BATCH, MSG_DONTWAIT, NULL);

	if (n <= 0)
		return n == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
			   ? 0
			   : -SEN_EIO;
	for (int i = 0; i < n; i++) {
		struct mmsghdr *m = &dp->rmsg[i];
		uint8_t *p = dp->riov[i].iov_base;

		if (i + 1 < n)
			__builtin_prefetch(dp->riov[i + 1].iov_base);
		if ((m->msg_hdr.msg_flags & MSG_TRUNC) ||
		    m->msg_hdr.msg_namelen != sizeof(struct sockaddr_in)) {
			dp->st.ul_drop++;
		} else if (dp->null_fwd) {
			/* Baseline: the inner packet at a fixed offset, straight to N6. */
			if (m->msg_len > SEN_GTPU_GPDU_HDR_PSC &&
			    write(dp->tun_fd, p + SEN_GTPU_GPDU_HDR_PSC,
				  m->msg_len - SEN_GTPU_GPDU_HDR_PSC) > 0) {
				dp->st.ul_pkts++;
				dp->st.ul_bytes += m->msg_len - SEN_GTPU_GPDU_HDR_PSC;
			}
		} else {
			upf_dp_ul_packet(dp, p, m->msg_len, &dp->from[i]);
		}
		m->msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
		m->msg_hdr.msg_flags = 0;
	}
	upf_dp_stats_flush(dp);
	return n;
}

/* ---- downlink ---- */

/* Keep a copy of a DL packet in a buffering FAR (TS 29.244 5.2.3.1, 5.2.4.1 DDN). */
static void dl_buffer(struct upf_dp *dp, struct upf_pdr *pdr, const uint8_t *ip, size_t len)
{
	struct upf_far *far = pdr->far;

	if (far->n_buf < UPF_DL_BUFFER) {
		struct upf_pkt *k = malloc(sizeof(*k) + len);
		if (k) {
			k->next = NULL;
			k->len = (uint16_t)len;
			memcpy(k->data, ip, len);
			if (far->buf_tail)
				far->buf_tail->next = k;
			else
				far->buf_head = k;
			far->buf_tail = k;
			far->n_buf++;
		}
	} else {
		dp->st.dl_drop++;
	}
	if ((far->action & SEN_PFCP_AA_NOCP) && !far->reported) {
		far->reported = true;
		if (dp->on_dl_data)
			dp->on_dl_data(dp->arg, pdr->sess, pdr);
	}
}

int upf_dp_dl_packet(struct upf_dp *dp, uint8_t *ip, size_t len, uint8_t **out,
		     size_t *out_len, const struct sockaddr_in **to)
{
	uint32_t dst;

	if (__builtin_expect(len < 20 || (ip[0] >> 4) != 4, 0))
		goto drop;
	memcpy(&dst, ip + 16, 4);
	struct upf_pdr *pdr = sen_hash_get_u64(dp->ctx->dl_by_ueip, dst);
	if (__builtin_expect(!pdr, 0))
		goto drop;
	struct upf_far *far = pdr->far;
	struct upf_qer *qer = pdr->qer;
	if (far->action & SEN_PFCP_AA_BUFF) {
		dl_buffer(dp, pdr, ip, len);
		return 0;
	}
	if (!(far->action & SEN_PFCP_AA_FORW) || !far->ohc)
		goto drop;
	if (qer && (qer->dl_closed || (qer->has_mbr && !bucket_take(&qer->dl, len))))
		goto drop;
	/* TS 38.415 5.5.2.1: DL PDU SESSION INFORMATION with the QFI of the QoS flow. */
	uint8_t *h = sen_gtpu_push_gpdu(ip, UPF_HEADROOM, len, far->teid,
					qer && qer->has_qfi ? SEN_GTPU_PSC_DL : -1,
					qer ? qer->qfi : 0, qer && qer->rqi);
	if (!h)
		goto drop;
	pdr->pkts++;
	pdr->bytes += len;
	if (pdr->urr) {
		pdr->urr->dl_pkts++;
		pdr->urr->dl_bytes += len;
	}
	*out = h;
	*out_len = (size_t)(ip + len - h);
	*to = &far->peer;
	dp->st.dl_pkts++;
	dp->st.dl_bytes += len;
	return 1;
drop:
	dp->st.dl_drop++;
	return 0;
}

/* sendmmsg the first n prepared messages; what the socket refuses is dropped. */
static void send_batch(struct upf_dp *dp, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		int k = sendmmsg(dp->n3_fd, dp->smsg + done, n - done, MSG_DONTWAIT);
		if (k <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			dp->st.dl_drop += n - done;
			dp->st.dl_pkts -= n - done;
			break;
		}
		done += (unsigned)k;
	}
}

int upf_dp_tun_input(struct upf_dp *dp)
{
	unsigned n = 0, k = 0;

	for (; n < UPF_BATCH; n++) {
		uint8_t *ip = dp->dl_mem + n * dp->slot + UPF_HEADROOM;
		ssize_t len = read(dp->tun_fd, ip, dp->slot - UPF_HEADROOM);

		if (len <= 0) {
			if (len < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    n == 0)
				return -SEN_EIO;
			break;
		}
		if (dp->null_fwd) {
			dp->siov[k].iov_base = ip;
			dp->siov[k].iov_len = (size_t)len;
			dp->smsg[k].msg_hdr.msg_name = &dp->null_peer;
			dp->st.dl_pkts++;
			dp->st.dl_bytes += (size_t)len;
			k++;
			continue;
		}
		uint8_t *out;
		size_t out_len;
		const struct sockaddr_in *to;
		if (upf_dp_dl_packet(dp, ip, (size_t)len, &out, &out_len, &to)) {
			dp->siov[k].iov_base = out;
			dp->siov[k].iov_len = out_len;
			dp->smsg[k].msg_hdr.msg_name = (void *)to;
			k++;
		}
	}
	if (k)
		send_batch(dp, k);
	upf_dp_stats_flush(dp);
	return (int)n;
}

void upf_dp_far_flush(struct upf_dp *dp, struct upf_pdr *pdr)
{
	struct upf_far *far = pdr->far;
	uint8_t tmp[UPF_HEADROOM + 65536];

	if (!far || (far->action & SEN_PFCP_AA_BUFF))
		return;
	while (far->buf_head) {
		struct upf_pkt *k = far->buf_head;
		uint8_t *out;
		size_t out_len;
		const struct sockaddr_in *to;

		far->buf_head = k->next;
		memcpy(tmp + UPF_HEADROOM, k->data, k->len);
		if (upf_dp_dl_packet(dp, tmp + UPF_HEADROOM, k->len, &out, &out_len, &to))
			send_to(dp, out, out_len, to);
		free(k);
	}
	far->buf_tail = NULL;
	far->n_buf = 0;
	upf_dp_stats_flush(dp);
}

void upf_dp_end_marker(struct upf_dp *dp, const struct upf_far *old)
{
	struct sen_gtpu_msg m;
	uint8_t out[32];

	sen_gtpu_msg_init(&m, SEN_GTPU_END_MARKER, old->teid);
	int n = sen_gtpu_encode(&m, out, sizeof(out));
	if (n > 0)
		send_to(dp, out, (size_t)n, &old->peer);
}
