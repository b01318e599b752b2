/*
 * sen-ransim user plane (N3): one GTP-U endpoint (TS 29.281) on the gNB's N3 address,
 * shared by every simulated gNB, with the sessions' tunnels found by the gNB's DL TEID.
 *
 * Uplink G-PDUs carry a PDU Session Container of type UL PDU SESSION INFORMATION with the
 * session's QFI (TS 38.415 5.5.2.2; TS 29.281 5.2.2.7), as a gNB sends them. Downlink
 * G-PDUs are matched by TEID; an unknown TEID gets an Error Indication (TS 29.281 7.3.1),
 * an Echo Request an Echo Response (7.2.2).
 *
 * The packets a UE sends and receives come either from a TUN device per session (config
 * `tun: true` or --tun: "uesimtun0" with the UE's address, so that `ping -I uesimtun0 HOST`
 * and other programs use the session), or from the built-in ICMP / ICMPv6 echo generator
 * (--ping HOST --count N), which needs no privileges and measures loss and RTT.
 *
 * IPv6 (TS 23.501 5.8.2.2.3, TS 24.501 9.11.4.10): the PDU Session Establishment Accept
 * gives the UE only a 64-bit interface identifier (IID); the /64 prefix comes in a Router
 * Advertisement. The UE sends Router Solicitations (RFC 4861 6.3.7: ICMPv6 type 133, from
 * fe80::IID to ff02::2, hop limit 255) up its session every second, at most three, until a
 * valid Router Advertisement (RFC 4861 6.1.2: hop limit 255, link-local source, ICMP code
 * 0, checksum, well-formed options) with a /64 Prefix Information option (4.6.2) arrives
 * down the session; its address is then prefix::IID (on the TUN device as /64).
 */
#include "ransim.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "gtpu/gtpu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEADROOM  32
#define PKT_MAX	  2048
#define PING_DATA 56 /* as ping(8) */

#define IP6_HDR	       40
#define ICMP6	       58 /* next header: ICMPv6 (RFC 4443) */
#define ICMP6_ECHO_REQ 128
#define ICMP6_ECHO_REP 129
#define ICMP6_RS       133  /* RFC 4861 4.1 */
#define ICMP6_RA       134  /* RFC 4861 4.2 */
#define ND_OPT_PREFIX  3    /* RFC 4861 4.6.2 */
#define RS_INTERVAL_MS 1000 /* RFC 4861 10 says 4 s; a simulator wants an answer sooner */
#define RS_MAX	       3    /* MAX_RTR_SOLICITATIONS */

/* ---- IPv4 / ICMP ---------------------------------------------------------------------- */

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An ICMP echo request (RFC 792) from src to dst in an IPv4 packet (RFC 791). */
static size_t build_echo(uint8_t *p, const uint8_t src[4], struct in_addr dst, uint16_t id,
			 uint16_t seq)
{
	size_t len = 20 + 8 + PING_DATA;
	uint16_t c;

	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)(seq >> 8); /* identification */
	p[5] = (uint8_t)seq;
	p[6] = 0x40; /* DF */
	p[8] = 64;   /* TTL */
	p[9] = 1;    /* ICMP */
	memcpy(p + 12, src, 4);
	memcpy(p + 16, &dst, 4);
	c = csum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	uint8_t *icmp = p + 20;
	icmp[0] = 8; /* echo request */
	icmp[4] = (uint8_t)(id >> 8);
	icmp[5] = (uint8_t)id;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	for (int i = 0; i < PING_DATA; i++)
		icmp[8 + i] = (uint8_t)i;
	c = csum(icmp, 8 + PING_DATA);
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	return len;
}

/* ---- IPv6 / ICMPv6 ------------------------------------------------------------------- */

/* The ICMPv6 checksum (RFC 4443 2.3) over the pseudo-header (RFC 8200 8.1) and the message
 * of the IPv6 packet p (a 40-octet header, then plen octets of ICMPv6). */
static uint16_t icmp6_csum(const uint8_t *p, size_t plen)
{
	uint32_t s = 0;
	const uint8_t *m = p + IP6_HDR;

	for (int i = 8; i < 40; i += 2) /* source and destination addresses */
		s += (uint32_t)p[i] << 8 | p[i + 1];
	s += (uint32_t)(plen >> 16) + (uint32_t)(plen & 0xffff) + ICMP6;
	for (size_t i = 0; i + 1 < plen; i += 2)
		s += (uint32_t)m[i] << 8 | m[i + 1];
	if (plen & 1)
		s += (uint32_t)m[plen - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An IPv6 header (RFC 8200 3) for an ICMPv6 message of plen octets, src -> dst. */
static void ip6_header(uint8_t *p, size_t plen, const uint8_t src[16], const uint8_t dst[16],
		       uint8_t hop_limit)
{
	memset(p, 0, IP6_HDR);
	p[0] = 0x60;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = ICMP6;
	p[7] = hop_limit;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

static void icmp6_finish(uint8_t *p, size_t plen)
{
	uint16_t c;

	p[IP6_HDR + 2] = p[IP6_HDR + 3] = 0;
	c = icmp6_csum(p, plen);
	p[IP6_HDR + 2] = (uint8_t)(c >> 8);
	p[IP6_HDR + 3] = (uint8_t)c;
}

/* RFC 4861 4.1 Router Solicitation from fe80::IID to all-routers ff02::2 (no source
 * link-layer address option: the PDU session has no link-layer addresses). */
static size_t build_rs(uint8_t *p, const uint8_t iid[8])
{
	static const uint8_t all_routers[16] = {0xff, 0x02, [15] = 0x02};
	uint8_t ll[16] = {0xfe, 0x80};

	memcpy(ll + 8, iid, 8);
	ip6_header(p, 8, ll, all_routers, 255);
	memset(p + IP6_HDR, 0, 8);
	p[IP6_HDR] = ICMP6_RS;
	icmp6_finish(p, 8);
	return IP6_HDR + 8;
}

/* An ICMPv6 echo request (RFC 4443 4.1) from src to dst. */
static size_t build_echo6(uint8_t *p, const uint8_t src[16], const struct in6_addr *dst,
			  uint16_t id, uint16_t seq)
{
	size_t plen = 8 + PING_DATA;
	uint8_t *m = p + IP6_HDR;

	ip6_header(p, plen, src, dst->s6_addr, 64);
	memset(m, 0, plen);
	m[0] = ICMP6_ECHO_REQ;
	m[4] = (uint8_t)(id >> 8);
	m[5] = (uint8_t)id;
	m[6] = (uint8_t)(seq >> 8);
	m[7] = (uint8_t)seq;
	for (int i = 0; i < PING_DATA; i++)
		m[8 + i] = (uint8_t)i;
	icmp6_finish(p, plen);
	return IP6_HDR + plen;
}

/*
 * An ICMPv6 message in p[len] (no extension headers): its type, or -1 when it is not a
 * well-formed ICMPv6 packet with a correct checksum. *plen: the ICMPv6 message's length.
 */
static int icmp6_type(const uint8_t *p, size_t len, size_t *plen)
{
	size_t pl;

	if (len < IP6_HDR + 8 || (p[0] >> 4) != 6 || p[6] != ICMP6)
		return -1;
	pl = (size_t)p[4] << 8 | p[5];
	if (pl < 8 || pl > len - IP6_HDR || icmp6_csum(p, pl) != 0)
		return -1;
	*plen = pl;
	return p[IP6_HDR];
}

/* ---- sending -------------------------------------------------------------------------- */

/* Send the IP packet at pkt[len] (with HEADROOM octets before it) up the session's tunnel. */
static int send_ul(struct rs_ue *ue, uint8_t *pkt, size_t len)
{
	struct rs *rs = ue->rs;
	struct rs_session *s = &ue->sess;

	if (!s->tunnel || rs->gtp_fd < 0)
		return -SEN_ENOENT;
	uint8_t *h =
	    sen_gtpu_push_gpdu(pkt, HEADROOM, len, s->ul_teid, SEN_GTPU_PSC_UL, s->qfi, false);
	if (!h)
		return -SEN_EMSGSIZE;
	if (sendto(rs->gtp_fd, h, (size_t)(pkt + len - h), 0, (const struct sockaddr *)&s->upf,
		   sizeof(s->upf)) < 0)
		return -SEN_EIO;
	rs->stats.gtp_ul_packets++;
	return 0;
}

/* TS 29.281 7.3.1: a G-PDU for a TEID we do not have. */
static void send_error_indication(struct rs *rs, uint32_t teid, const struct sockaddr_in *to)
{
	struct sen_gtpu_msg m;
	uint8_t out[64];

	sen_gtpu_msg_init(&m, SEN_GTPU_ERROR_INDICATION, 0);
	m.teid_data_i = teid;
	m.peer_addr_len = 4;
	memcpy(m.peer_addr, &rs->cfg->gnb.n3.v4, 4);
	int n = sen_gtpu_encode(&m, out, sizeof(out));
	if (n > 0)
		sendto(rs->gtp_fd, out, (size_t)n, 0, (const struct sockaddr *)to, sizeof(*to));
}

/* ---- ping generator --------------------------------------------------------------------- */

static void ping_finish(struct rs_ue *ue)
{
	struct rs_session *s = &ue->sess;

	if (!s->ping_active)
		return;
	s->ping_active = false;
	sen_timer_stop(&s->ping_timer);
	for (unsigned i = s->ping_recv; i < s->ping_sent; i++)
		rs_stats_fail(&ue->rs->stats, RS_PROC_PING, ue->supi, "no echo reply");
	sen_log_ue_info("ransim", ue->tag, "ping: %u sent, %u received", s->ping_sent,
			s->ping_recv);
	rs_scenario_ping_done(ue);
}

static void ping_tick(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs_ue *ue = arg;
	struct rs *rs = ue->rs;
	struct rs_session *s = &ue->sess;
	uint8_t buf[HEADROOM + 128];

	if (!s->ping_active)
		return;
	if (s->ping_final || s->ping_sent >= rs->opts.count) {
		ping_finish(ue);
		return;
	}
	size_t len =
	    rs->ping_v6
		? build_echo6(buf + HEADROOM, s->ipv6, &rs->ping_dst6, s->ping_id, s->ping_sent)
		: build_echo(buf + HEADROOM, s->ipv4, rs->ping_dst, s->ping_id, s->ping_sent);
	s->ping_t0[s->ping_sent % 64] = rs_now_us();
	s->ping_sent++;
	if (send_ul(ue, buf + HEADROOM, len) < 0)
		sen_log_ue_warn("ransim", ue->tag, "ping: echo request %u not sent", s->ping_sent);
	if (s->ping_sent >= rs->opts.count) {
		/* wait for the last replies: twice the interval, at least one second */
		unsigned w = rs->opts.interval_ms * 2 < 1000 ? 1000 : rs->opts.interval_ms * 2;
		s->ping_final = true;
		sen_timer_start(&s->ping_timer, w);
	} else
		sen_timer_start(&s->ping_timer, rs->opts.interval_ms);
}

int rs_gtp_ping_start(struct rs_ue *ue)
{
	struct rs_session *s = &ue->sess;

	if (!s->tunnel || !s->nas_active)
		return -SEN_ENOENT;
	/* an IPv6 host needs the address made from the advertised /64; IPv4 an IPv4 address */
	if (ue->rs->ping_v6 ? !s->v6_ready : !s->has_v4)
		return -SEN_EINVAL;
	s->ping_id = (uint16_t)(0x5000 + ue->idx);
	s->ping_sent = s->ping_recv = 0;
	s->ping_active = true;
	s->ping_final = false;
	sen_timer_init(&s->ping_timer, ue->rs->loop, ping_tick, ue);
	ping_tick(ue->rs->loop, &s->ping_timer, ue);
	return 0;
}

void rs_gtp_ping_stop(struct rs_ue *ue)
{
	if (ue->sess.ping_active)
		sen_timer_stop(&ue->sess.ping_timer);
	ue->sess.ping_active = false;
}

static void ping_got(struct rs_ue *ue, uint16_t id, uint16_t seq)
{
	struct rs_session *s = &ue->sess;

	if (id != s->ping_id || !s->ping_active || seq >= s->ping_sent || s->ping_sent - seq > 64)
		return;
	s->ping_recv++;
	rs_stats_ok(&ue->rs->stats, RS_PROC_PING, rs_now_us() - s->ping_t0[seq % 64]);
	if (s->ping_recv >= ue->rs->opts.count)
		ping_finish(ue);
}

/* An ICMPv6 echo reply (RFC 4443 4.2) to our address from the host we ping. */
static void ping6_reply(struct rs_ue *ue, const uint8_t *p, size_t plen)
{
	const uint8_t *m = p + IP6_HDR;

	if (!ue->rs->ping_v6 || !ue->sess.v6_ready || m[1] != 0 ||
	    memcmp(p + 24, ue->sess.ipv6, 16) != 0 ||
	    memcmp(p + 8, ue->rs->ping_dst6.s6_addr, 16) != 0)
		return;
	ping_got(ue, (uint16_t)(m[4] << 8 | m[5]), (uint16_t)(m[6] << 8 | m[7]));
}

/* A downlink packet for a session without a TUN: is it our echo reply? */
static void ping_reply(struct rs_ue *ue, const uint8_t *p, size_t len)
{
	struct rs_session *s = &ue->sess;

	if (ue->rs->ping_v6)
		return;
	if (len < 28 || (p[0] >> 4) != 4 || p[9] != 1)
		return;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 8)
		return;
	const uint8_t *icmp = p + ihl;
	uint16_t id = (uint16_t)(icmp[4] << 8 | icmp[5]), seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
	if (icmp[0] != 0 || memcmp(p + 16, s->ipv4, 4) != 0)
		return;
	ping_got(ue, id, seq);
}

/* ---- Router Solicitation / Advertisement (RFC 4861) ------------------------------------- */

static void rs_tick(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs_ue *ue = arg;
	struct rs_session *s = &ue->sess;
	uint8_t buf[HEADROOM + IP6_HDR + 8];
	char why[96];

	if (s->v6_ready)
		return;
	if (s->rs_sent >= RS_MAX) {
		snprintf(why, sizeof(why), "no Router Advertisement after %u Router Solicitations",
			 s->rs_sent);
		rs_scenario_ra_done(ue, why);
		return;
	}
	size_t len = build_rs(buf + HEADROOM, s->iid);
	s->rs_sent++;
	if (send_ul(ue, buf + HEADROOM, len) < 0)
		sen_log_ue_warn("ransim", ue->tag, "Router Solicitation %u not sent", s->rs_sent);
	sen_timer_start(&s->rs_timer, RS_INTERVAL_MS);
}

int rs_gtp_rs_start(struct rs_ue *ue)
{
	struct rs_session *s = &ue->sess;

	if (!s->tunnel || !s->nas_active || !s->has_v6)
		return -SEN_ENOENT;
	rs_gtp_rs_stop(ue);
	s->rs_sent = 0;
	s->v6_ready = false;
	sen_timer_init(&s->rs_timer, ue->rs->loop, rs_tick, ue);
	rs_tick(ue->rs->loop, &s->rs_timer, ue);
	return 0;
}

void rs_gtp_rs_stop(struct rs_ue *ue)
{
	if (ue->sess.rs_sent)
		sen_timer_stop(&ue->sess.rs_timer);
}

static int tun_add_ipv6(struct rs_ue *ue);

/*
 * A Router Advertisement (RFC 4861 4.2) down the session: validated as 6.1.2 says (hop limit
 * 255, link-local source, code 0, checksum checked by the caller, at least 16 octets, every
 * option of non-zero length inside the message); the first Prefix Information option with
 * a /64 gives the address prefix::IID. Anything else is ignored.
 */
static void on_ra(struct rs_ue *ue, const uint8_t *p, size_t plen)
{
	struct rs_session *s = &ue->sess;
	const uint8_t *m = p + IP6_HDR, *prefix = NULL;
	char a[INET6_ADDRSTRLEN];

	if (!s->has_v6 || p[7] != 255 || p[8] != 0xfe || (p[9] & 0xc0) != 0x80 || m[1] != 0 ||
	    plen < 16)
		return;
	for (size_t off = 16; off < plen;) {
		if (plen - off < 2)
			return; /* 6.1.2: an option cut short: drop the RA */
		size_t olen = (size_t)m[off + 1] * 8;
		if (olen == 0 || olen > plen - off)
			return; /* 6.1.2: an option of length 0, or cut short: drop the RA */
		/* 4.6.2: type 3, length 4: prefix length, L|A, lifetimes, reserved, prefix */
		if (m[off] == ND_OPT_PREFIX && olen == 32 && m[off + 2] == 64 && !prefix)
			prefix = m + off + 16;
		off += olen;
	}
	if (!prefix) {
		sen_log_ue_warn("ransim", ue->tag, "Router Advertisement without a /64 prefix");
		return;
	}
	if (s->v6_ready && !memcmp(s->ipv6, prefix, 8))
		return; /* the same again (an answer to a retransmitted RS) */
	memcpy(s->ipv6, prefix, 8);
	memcpy(s->ipv6 + 8, s->iid, 8);
	s->v6_ready = true;
	sen_timer_stop(&s->rs_timer);
	inet_ntop(AF_INET6, s->ipv6, a, sizeof(a));
	sen_log_ue_info("ransim", ue->tag, "Router Advertisement: address %s/64", a);
	if (s->addr_slot >= 0)
		snprintf(ue->rs->stats.addrs[s->addr_slot].ipv6,
			 sizeof(ue->rs->stats.addrs[0].ipv6), "%s", a);
	if (s->tun_fd >= 0 && tun_add_ipv6(ue) < 0) {
		rs_scenario_ra_done(ue, "cannot give the TUN device the IPv6 address");
		return;
	}
	rs_scenario_ra_done(ue, NULL);
}

/* ---- receiving -------------------------------------------------------------------------- */

static void on_gtp(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct rs *rs = arg;
	uint8_t buf[PKT_MAX];

	for (int burst = 0; burst < 64; burst++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		struct sen_gtpu_gpdu g;
		int rc = sen_gtpu_parse_gpdu(buf, (size_t)n, &g);
		if (rc == -SEN_ENOENT) {
			struct sen_gtpu_msg m;
			if (sen_gtpu_decode(buf, (size_t)n, &m, NULL) < 0)
				continue;
			if (m.type == SEN_GTPU_ECHO_REQUEST) {
				struct sen_gtpu_msg r;
				uint8_t out[32];
				sen_gtpu_msg_init(&r, SEN_GTPU_ECHO_RESPONSE, 0);
				r.has_seq = m.has_seq;
				r.seq = m.seq;
				r.has_recovery = true;
				int l = sen_gtpu_encode(&r, out, sizeof(out));
				if (l > 0)
					sendto(fd, out, (size_t)l, 0, (struct sockaddr *)&from, fl);
			} else if (m.type == SEN_GTPU_ERROR_INDICATION) {
				sen_log_warn("gtpu",
					     "Error Indication from the UPF for TEID 0x%08x",
					     m.teid_data_i);
			}
			continue;
		}
		if (rc < 0) {
			rs->stats.gtp_dl_dropped++;
			continue;
		}
		struct rs_ue *ue = sen_hash_get_u64(rs->by_teid, g.teid);
		if (!ue) {
			rs->stats.gtp_dl_dropped++;
			send_error_indication(rs, g.teid, &from);
			continue;
		}
		rs->stats.gtp_dl_packets++;
		const uint8_t *inner = buf + g.payload_off;
		size_t plen;
		int t6 = icmp6_type(inner, g.payload_len, &plen);
		if (t6 == ICMP6_RA) { /* for the UE itself, not for the TUN's kernel */
			on_ra(ue, inner, plen);
			continue;
		}
		if (t6 == ICMP6_ECHO_REP && ue->sess.tun_fd < 0) {
			ping6_reply(ue, inner, plen);
			continue;
		}
		if (ue->sess.tun_fd >= 0) {
			if (write(ue->sess.tun_fd, inner, g.payload_len) < 0)
				rs->stats.gtp_dl_dropped++;
		} else
			ping_reply(ue, inner, g.payload_len);
	}
}

int rs_gtp_open(struct rs *rs)
{
	const struct rs_config *cfg = rs->cfg;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(cfg->gnb.gtpu_port),
				.sin_addr = cfg->gnb.n3.v4};
	char ip[INET_ADDRSTRLEN];
	int rc;

	rs->next_teid = 0x00010000u | ((uint32_t)getpid() & 0xfff) << 4;
	if ((rc = sen_hash_new(&rs->by_teid)) < 0)
		return rc;
	rs->gtp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rs->gtp_fd < 0)
		return -SEN_EIO;
	if (bind(rs->gtp_fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "sen-ransim: GTP-U: cannot bind %s:%u: %s\n",
			inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip)), cfg->gnb.gtpu_port,
			strerror(errno));
		close(rs->gtp_fd);
		rs->gtp_fd = -1;
		return -SEN_EIO;
	}
	int sz = 4 << 20;
	setsockopt(rs->gtp_fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return sen_loop_fd_add(rs->loop, rs->gtp_fd, SEN_LOOP_READ, on_gtp, rs);
}

void rs_gtp_close(struct rs *rs)
{
	if (rs->gtp_fd >= 0) {
		sen_loop_fd_del(rs->loop, rs->gtp_fd);
		close(rs->gtp_fd);
	}
	rs->gtp_fd = -1;
	sen_hash_free(rs->by_teid);
	rs->by_teid = NULL;
}

int rs_gtp_tunnel_add(struct rs_ue *ue)
{
	struct rs *rs = ue->rs;

	if (!rs->by_teid)
		return -SEN_ENOENT;
	if (ue->sess.tunnel)
		rs_gtp_tunnel_del(ue);
	do {
		ue->sess.dl_teid = rs->next_teid++;
	} while (ue->sess.dl_teid == 0 || sen_hash_get_u64(rs->by_teid, ue->sess.dl_teid));
	int rc = sen_hash_add_u64(rs->by_teid, ue->sess.dl_teid, ue);
	if (rc < 0)
		return rc;
	ue->sess.tunnel = true;
	return 0;
}

void rs_gtp_tunnel_del(struct rs_ue *ue)
{
	if (!ue->sess.tunnel)
		return;
	if (ue->rs->by_teid)
		sen_hash_del_u64(ue->rs->by_teid, ue->sess.dl_teid);
	ue->sess.tunnel = false;
}

/* ---- TUN devices ---------------------------------------------------------------------- */

static void on_tun(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct rs_ue *ue = arg;
	uint8_t buf[HEADROOM + PKT_MAX];

	for (int burst = 0; burst < 64; burst++) {
		ssize_t n = read(fd, buf + HEADROOM, PKT_MAX);
		if (n <= 0)
			return;
		unsigned v = buf[HEADROOM] >> 4;
		/* what the session carries; IPv6 once the /64 is known (not the kernel's own
		   link-local chatter before) */
		if (!(v == 4 && ue->sess.has_v4) && !(v == 6 && ue->sess.v6_ready))
			continue;
		send_ul(ue, buf + HEADROOM, (size_t)n);
	}
}

static int ifreq_ioctl(int s, unsigned long req, struct ifreq *ifr, const char *what)
{
	if (ioctl(s, req, ifr) < 0) {
		sen_log_error("ransim", "%s: %s: %s", ifr->ifr_name, what, strerror(errno));
		return -SEN_EIO;
	}
	return 0;
}

static void set_sysctl(const char *fam, const char *name, const char *key, const char *value)
{
	char path[128];
	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", fam, name, key);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, value, strlen(value)) < 0)
			sen_log_debug("ransim", "%s: %m", path);
		close(fd);
	}
}

/*
 * prefix::IID/64 on the UE's TUN device (SIOCSIFADDR on an AF_INET6 socket takes a struct
 * in6_ifreq, <linux/ipv6.h>, declared here to keep <netinet/in.h> and the kernel headers
 * apart). No duplicate address detection (the /64 is the session's alone) and no
 * autoconfiguration by the kernel from the RAs (the UE engine does it).
 */
static int tun_add_ipv6(struct rs_ue *ue)
{
	struct rs_session *s = &ue->sess;
	struct {
		struct in6_addr addr;
		uint32_t prefixlen;
		int ifindex;
	} r6;
	struct ifreq ifr;
	int sk = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -SEN_EIO;

	if (sk < 0)
		return -SEN_EIO;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", s->tun_name);
	if (ifreq_ioctl(sk, SIOCGIFINDEX, &ifr, "get index") < 0)
		goto out;
	memset(&r6, 0, sizeof(r6));
	memcpy(r6.addr.s6_addr, s->ipv6, 16);
	r6.prefixlen = 64;
	r6.ifindex = ifr.ifr_ifindex;
	if (ioctl(sk, SIOCSIFADDR, &r6) < 0) {
		sen_log_ue_error("ransim", ue->tag, "%s: add IPv6 address: %s", s->tun_name,
				 strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(sk);
	return rc;
}

/* Create the UE's TUN device, give it the UE's address (/32) and bring it up. */
static int tun_open(struct rs_ue *ue)
{
	struct rs_session *s = &ue->sess;
	struct ifreq ifr;
	int fd, sk = -1, rc = -SEN_EIO;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		sen_log_ue_error("ransim", ue->tag, "cannot open /dev/net/tun: %s (needs root)",
				 strerror(errno));
		return -SEN_EIO;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s%u", ue->rs->cfg->tun_prefix, ue->idx);
	if (ifreq_ioctl(fd, TUNSETIFF, &ifr, "TUNSETIFF") < 0)
		goto out;
	snprintf(s->tun_name, sizeof(s->tun_name), "%s", ifr.ifr_name);
	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		goto out;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	if (s->has_v4) {
		memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, s->ipv4, 4);
		if (ifreq_ioctl(sk, SIOCSIFADDR, &ifr, "set address") < 0)
			goto out;
		memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = 0xffffffffu;
		if (ifreq_ioctl(sk, SIOCSIFNETMASK, &ifr, "set netmask") < 0)
			goto out;
	}
	if (s->has_v6) {
		set_sysctl("ipv6", s->tun_name, "disable_ipv6", "0");
		set_sysctl("ipv6", s->tun_name, "accept_dad", "0");
		set_sysctl("ipv6", s->tun_name, "accept_ra", "0");
	}
	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	ifr.ifr_mtu = 1400;
	ifreq_ioctl(sk, SIOCSIFMTU, &ifr, "set MTU");
	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	if (ifreq_ioctl(sk, SIOCGIFFLAGS, &ifr, "get flags") < 0)
		goto out;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ifreq_ioctl(sk, SIOCSIFFLAGS, &ifr, "bring up") < 0)
		goto out;
	/* replies arrive from hosts the routing table does not place behind this device */
	set_sysctl("ipv4", s->tun_name, "rp_filter", "0");
	if (sen_loop_fd_add(ue->rs->loop, fd, SEN_LOOP_READ, on_tun, ue) < 0)
		goto out;
	s->tun_fd = fd;
	fd = -1;
	rc = 0;
	sen_log_ue_info("ransim", ue->tag, "%s up with %u.%u.%u.%u%s", s->tun_name, s->ipv4[0],
			s->ipv4[1], s->ipv4[2], s->ipv4[3],
			s->has_v6 ? " (IPv6 once a Router Advertisement comes)" : "");
	if (s->v6_ready && tun_add_ipv6(ue) < 0)
		rc = -SEN_EIO;
out:
	if (sk >= 0)
		close(sk);
	if (fd >= 0)
		close(fd);
	return rc;
}

int rs_gtp_session_up(struct rs_ue *ue)
{
	if (!ue->rs->opts.tun || ue->sess.tun_fd >= 0)
		return 0;
	return tun_open(ue);
}

void rs_gtp_session_down(struct rs_ue *ue)
{
	rs_gtp_ping_stop(ue);
	rs_gtp_rs_stop(ue);
	ue->sess.v6_ready = false;
	if (ue->sess.tun_fd >= 0) {
		sen_loop_fd_del(ue->rs->loop, ue->sess.tun_fd);
		close(ue->sess.tun_fd); /* a non-persistent TUN device disappears with its fd */
		ue->sess.tun_fd = -1;
	}
}
