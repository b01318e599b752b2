/*
 * sen-upf data plane: the N3 / N6 fast path with batch I/O (see dp.h).
 * Specs: TS 29.281 (GTP-U: 5.1 header, 7.2 echo, 7.3.1 Error Indication, 7.3.2 End Marker),
 * TS 38.415 5.5.2 (PDU Session Container), TS 29.244 5.2 (PDR/FAR/QER processing);
 * IPv6 PDU sessions: TS 23.501 5.8.2.2.1, TS 29.561 8.4, RFC 4861 (4.1, 4.2, 6.1.1).
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

/*
 * Counters several workers add to (a session's PDR and URR): relaxed atomic adds when
 * there are several workers; with one (or none: tests, benchmark) the worker's lock makes
 * it the only writer, and a plain add spares the locked instruction.
 */
static inline void add64(const struct upf_dp *dp, uint64_t *p, uint64_t v)
{
	if (dp->ctx->n_locks > 1)
		__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
	else
		*p += v;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

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
	dp->mtu = mtu;
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
		/* Room for the source address from the first datagram on (a slot left at 0
		 * would return no address, and the datagram would be dropped). */
		dp->rmsg[i].msg_hdr.msg_namelen = sizeof(dp->from[i]);
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
	dp->m_ra = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "sen_upf_ipv6_router_advertisements_total",
			   "ICMPv6 Router Advertisements sent in answer to Solicitations", NULL));
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
	if (s->ra)
		sen_metric_add(dp->m_ra, (int64_t)s->ra);
	t->ul_pkts += s->ul_pkts;
	t->dl_pkts += s->dl_pkts;
	t->ul_bytes += s->ul_bytes;
	t->dl_bytes += s->dl_bytes;
	t->ul_drop += s->ul_drop;
	t->dl_drop += s->dl_drop;
	t->err_ind += s->err_ind;
	t->echo += s->echo;
	t->ra += s->ra;
	memset(s, 0, sizeof(*s));
}

/* ---- QER (TS 29.244 5.2.4, 5.4.2) ---- */

/*
 * Take n octets from the bucket; false if the MBR would be exceeded. Workers share a QER
 * (UL and DL of one session may land on different workers): a one-byte spin lock guards
 * the few instructions of the refill.
 */
static bool bucket_take(const struct upf_dp *dp, struct upf_bucket *b, size_t n)
{
	bool ok = false, shared = dp->ctx->n_locks > 1;

	if (!b->rate)
		return true;
	uint64_t now = mono_ns();
	while (shared && __atomic_test_and_set(&b->lock, __ATOMIC_ACQUIRE))
		cpu_relax();
	if (now > b->last) {
		uint64_t add = (now - b->last) * b->rate / 1000000000u;
		if (add) {
			b->tokens = b->tokens + add > b->burst ? b->burst : b->tokens + add;
			b->last = now;
		}
	}
	if (b->tokens >= n) {
		b->tokens -= n;
		ok = true;
	}
	if (shared)
		__atomic_clear(&b->lock, __ATOMIC_RELEASE);
	return ok;
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

/* ---- IPv6: link-local traffic and Router Advertisements ---- */

#define IP6_HDR	       40
#define ICMP6	       58  /* next header value (RFC 4443) */
#define ND_RS	       133 /* RFC 4861 4.1 */
#define ND_RA	       134 /* RFC 4861 4.2 */
#define RA_ROUTER_LIFE 65535 /* s; RFC 8319 lifts RFC 4861's 9000 limit */

static bool ip6_unspecified(const uint8_t *a)
{
	static const uint8_t zero[16];
	return !memcmp(a, zero, 16);
}

static bool ip6_link_local(const uint8_t *a) /* fe80::/10 */
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* One's complement sum of ICMPv6 over the pseudo-header (RFC 8200 8.1) and msg[len]. */
static uint16_t icmp6_csum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg,
			   size_t len)
{
	uint64_t sum = (uint64_t)len + ICMP6;

	for (unsigned i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
	if (len & 1)
		sum += (uint32_t)msg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * RFC 4861 6.1.1: a valid Router Solicitation: IPv6 Hop Limit 255, ICMPv6 directly after
 * the IPv6 header, type 133, code 0, ICMP length >= 8, correct checksum, every option of
 * non-zero length and inside the message, and no Source Link-Layer Address option when
 * the source is unspecified. ip[n] is the whole inner packet (n >= 40).
 */
static bool rs_valid(const uint8_t *ip, size_t n)
{
	size_t plen = (size_t)ip[4] << 8 | ip[5];
	const uint8_t *m = ip + IP6_HDR;

	if (ip[6] != ICMP6 || ip[7] != 255 || plen < 8 || IP6_HDR + plen > n)
		return false;
	if (m[0] != ND_RS || m[1] != 0 || icmp6_csum(ip + 8, ip + 24, m, plen) != 0)
		return false;
	for (size_t off = 8; off < plen;) {
		if (plen - off < 2 || m[off + 1] == 0 || m[off + 1] * 8u > plen - off)
			return false;
		if (m[off] == 1 && ip6_unspecified(ip + 8)) /* Source Link-Layer Address */
			return false;
		off += m[off + 1] * 8u;
	}
	return true;
}

size_t upf_dp_build_ra(const struct upf_dp *dp, const uint8_t *prefix, const uint8_t *dst,
		       uint8_t *out, size_t cap)
{
	/* The UPF's link-local address on the PDU session: fe80::1. */
	static const uint8_t src[16] = { 0xfe, 0x80, [15] = 1 };
	bool mtu = dp->mtu >= 1280; /* RFC 8200 5: the least IPv6 link MTU */
	size_t len = 16 + 32 + (mtu ? 8 : 0);

	if (cap < IP6_HDR + len)
		return 0;
	memset(out, 0, IP6_HDR + len);
	out[0] = 0x60;
	out[4] = (uint8_t)(len >> 8);
	out[5] = (uint8_t)len;
	out[6] = ICMP6;
	out[7] = 255; /* RFC 4861 4.2: Hop Limit 255 */
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	uint8_t *m = out + IP6_HDR;
	m[0] = ND_RA;
	m[4] = 64; /* Cur Hop Limit */
	/* M = O = 0: addresses by SLAAC from the one /64 (TS 23.501 5.8.2.2.1). */
	m[6] = (uint8_t)(RA_ROUTER_LIFE >> 8);
	m[7] = (uint8_t)RA_ROUTER_LIFE;
	/* Prefix Information (4.6.2): /64, L = 0 and A = 1 (TS 29.561 8.4), lifetimes
	 * infinite: the prefix lasts as long as the PDU session. */
	uint8_t *o = m + 16;
	o[0] = 3;
	o[1] = 4;
	o[2] = 64;
	o[3] = 0x40;
	memset(o + 4, 0xff, 8);
	memcpy(o + 16, prefix, 8);
	if (mtu) { /* MTU (4.6.4) */
		o = m + 48;
		o[0] = 5;
		o[1] = 1;
		o[4] = (uint8_t)(dp->mtu >> 24);
		o[5] = (uint8_t)(dp->mtu >> 16);
		o[6] = (uint8_t)(dp->mtu >> 8);
		o[7] = (uint8_t)dp->mtu;
	}
	uint16_t c = icmp6_csum(out + 8, out + 24, m, len);
	m[2] = (uint8_t)(c >> 8);
	m[3] = (uint8_t)c;
	return IP6_HDR + len;
}

static int dl_pdr(struct upf_dp *dp, struct upf_pdr *pdr, uint8_t *ip, size_t len,
		  uint8_t **out, size_t *out_len, const struct sockaddr_in **to);

/*
 * TS 23.501 5.8.2.2.1 / TS 29.561 8.4: answer a Router Solicitation from the UE with a
 * Router Advertisement of the session's /64, sent down the session like any DL packet.
 */
static void answer_rs(struct upf_dp *dp, const struct upf_pdr *ul, const uint8_t *rs)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	const struct upf_sess *s = ul->sess;
	const struct upf_pdr *p6 = ul->has_ue_ip6 ? ul : NULL;
	uint8_t buf[UPF_HEADROOM + 128], *out;
	size_t out_len;
	const struct sockaddr_in *to;

	for (unsigned i = 0; !p6 && i < s->r.n_pdr; i++)
		if (s->r.pdr[i].has_ue_ip6)
			p6 = &s->r.pdr[i];
	if (!p6)
		goto drop; /* no IPv6 prefix in this session */
	struct upf_pdr *dl = sen_hash_get_u64(dp->ctx->dl_by_ueip6, p6->ue_ip6);
	if (!dl || dl->sess != s)
		goto drop;
	uint8_t prefix[8];
	memcpy(prefix, &p6->ue_ip6, 8);
	size_t n = upf_dp_build_ra(dp, prefix, ip6_unspecified(rs + 8) ? all_nodes : rs + 8,
				   buf + UPF_HEADROOM, sizeof(buf) - UPF_HEADROOM);
	if (n && dl_pdr(dp, dl, buf + UPF_HEADROOM, n, &out, &out_len, &to)) {
		send_to(dp, out, out_len, to);
		dp->st.ra++;
	}
	return;
drop:
	dp->st.ul_drop++;
}

/* ---- uplink ---- */

/*
 * Anti-spoofing (TS 29.244 5.2.1: an UL PDI with a UE IP address only matches packets
 * from it): IPv4 from the address, IPv6 from the session's /64. A PDI without any UE IP
 * takes any source. For IPv6, link-local and multicast traffic never leaves the PDU
 * session's link: a Router Solicitation is answered (*rs set), the rest dropped.
 * Returns true if the packet may go on.
 */
static bool ul_source_ok(const struct upf_pdr *pdr, const uint8_t *ip, size_t n, bool *rs)
{
	*rs = false;
	switch (ip[0] >> 4) {
	case 4:
		if (n < 20)
			return false;
		if (!pdr->has_ue_ip && !pdr->has_ue_ip6)
			return true;
		return pdr->has_ue_ip && memcmp(ip + 12, &pdr->ue_ip, 4) == 0;
	case 6:
		if (n < IP6_HDR)
			return false;
		if (ip6_link_local(ip + 8) || ip6_unspecified(ip + 8) || ip[24] == 0xff ||
		    ip6_link_local(ip + 24)) {
			*rs = rs_valid(ip, n) &&
			      (ip6_link_local(ip + 8) || ip6_unspecified(ip + 8));
			return false;
		}
		if (!pdr->has_ue_ip && !pdr->has_ue_ip6)
			return true;
		return pdr->has_ue_ip6 && memcmp(ip + 8, &pdr->ue_ip6, 8) == 0;
	default:
		return false;
	}
}

int upf_dp_ul_packet(struct upf_dp *dp, uint8_t *p, size_t len, const struct sockaddr_in *from)
{
	struct sen_gtpu_gpdu g;
	bool rs;
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
	if (__builtin_expect(!ul_source_ok(pdr, ip, n, &rs), 0)) {
		if (!rs)
			goto drop;
		answer_rs(dp, pdr, ip);
		return 0;
	}
	struct upf_far *far = pdr->far;
	struct upf_qer *qer = pdr->qer;
	if (!(far->action & SEN_PFCP_AA_FORW))
		goto drop;
	if (qer && (qer->ul_closed || (qer->has_mbr && !bucket_take(dp, &qer->ul, n))))
		goto drop;
	add64(dp, &pdr->pkts, 1);
	add64(dp, &pdr->bytes, n);
	if (pdr->urr) {
		add64(dp, &pdr->urr->ul_pkts, 1);
		add64(dp, &pdr->urr->ul_bytes, n);
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
	bool report = false;

	pthread_mutex_lock(&dp->ctx->buf_lock); /* workers share the FAR */
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
		report = true;
	}
	pthread_mutex_unlock(&dp->ctx->buf_lock);
	if (report && dp->on_dl_data)
		dp->on_dl_data(dp->arg, pdr->sess, pdr);
}

/* The DL PDR is known: buffer, drop, or encapsulate in place (returns 1 and *out…). */
static int dl_pdr(struct upf_dp *dp, struct upf_pdr *pdr, uint8_t *ip, size_t len,
		  uint8_t **out, size_t *out_len, const struct sockaddr_in **to)
{
	struct upf_far *far = pdr->far;
	struct upf_qer *qer = pdr->qer;

	if (far->action & SEN_PFCP_AA_BUFF) {
		dl_buffer(dp, pdr, ip, len);
		return 0;
	}
	if (!(far->action & SEN_PFCP_AA_FORW) || !far->ohc)
		goto drop;
	if (qer && (qer->dl_closed || (qer->has_mbr && !bucket_take(dp, &qer->dl, len))))
		goto drop;
	/* TS 38.415 5.5.2.1: DL PDU SESSION INFORMATION with the QFI of the QoS flow. */
	uint8_t *h = sen_gtpu_push_gpdu(ip, UPF_HEADROOM, len, far->teid,
					qer && qer->has_qfi ? SEN_GTPU_PSC_DL : -1,
					qer ? qer->qfi : 0, qer && qer->rqi);
	if (!h)
		goto drop;
	add64(dp, &pdr->pkts, 1);
	add64(dp, &pdr->bytes, len);
	if (pdr->urr) {
		add64(dp, &pdr->urr->dl_pkts, 1);
		add64(dp, &pdr->urr->dl_bytes, len);
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

int upf_dp_dl_packet(struct upf_dp *dp, uint8_t *ip, size_t len, uint8_t **out,
		     size_t *out_len, const struct sockaddr_in **to)
{
	struct upf_pdr *pdr = NULL;

	if (__builtin_expect(len >= 20 && (ip[0] >> 4) == 4, 1)) {
		uint32_t dst;
		memcpy(&dst, ip + 16, 4);
		pdr = sen_hash_get_u64(dp->ctx->dl_by_ueip, dst);
	} else if (len >= IP6_HDR && (ip[0] >> 4) == 6) {
		/* The session's /64: the top 64 bits of the destination. */
		uint64_t dst6;
		memcpy(&dst6, ip + 24, 8);
		pdr = sen_hash_get_u64(dp->ctx->dl_by_ueip6, dst6);
	}
	if (__builtin_expect(!pdr, 0)) {
		dp->st.dl_drop++;
		return 0;
	}
	return dl_pdr(dp, pdr, ip, len, out, out_len, to);
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
