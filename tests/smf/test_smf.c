/*
 * sen-smf unit tests (cmocka): the UE address pool (O(1) allocate / release / static
 * claim, exhaustion, reserved addresses), the IPv6 /64 prefix pool (growth, reuse,
 * exhaustion, bad prefixes), the Accept / Setup Request Transfer / PFCP UE IP Address of
 * IPv6 and IPv4v6 sessions, multipart/related parsing and building (TS 29.500
 * 6.1.2.2.2) with hostile input, the BitRate parser, the 5GSM / N2 builders decoded again by
 * lib/nas and lib/ngap, and the `smf` configuration section with its error messages.
 * N4 flow control against a fake UPF socket: FIFO reuse of released addresses, the window of
 * requests in flight per UPF, T1 jitter, the quarantine of addresses whose Session Deletion
 * went unanswered (freed by a later answer, a new Recovery Time Stamp, or re-association
 * after a Heartbeat loss), the socket buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "context.h"
#include "core/err.h"
#include "multipart.h"
#include "nas/nas.h"
#include "ngap/ngap.h"
#include "pfcp/pfcp.h"

/* ---- pool ---- */

static void test_pool_basic(void **state)
{
	struct smf_ippool p;
	uint32_t a, b, base = 0x0a2d0000; /* 10.45.0.0/16 */

	(void)state;
	assert_int_equal(smf_ippool_init(&p, base, 16), 0);
	assert_int_equal(smf_ippool_capacity(&p), 65536 - 3);
	assert_int_equal(smf_ippool_alloc(&p, &a), 0);
	assert_int_equal(a, base + 2); /* .0 network, .1 gateway reserved */
	assert_int_equal(smf_ippool_alloc(&p, &b), 0);
	assert_int_equal(b, base + 3);
	smf_ippool_release(&p, a);
	assert_int_equal(smf_ippool_alloc(&p, &a), 0);
	assert_int_equal(a, base + 2); /* released addresses come back first */
	smf_ippool_release(&p, a);
	smf_ippool_release(&p, a); /* twice: no-op */
	assert_int_equal(p.used, 1);
	smf_ippool_free(&p);
	assert_int_equal(smf_ippool_init(&p, base + 1, 16), -SEN_EINVAL);
	assert_int_equal(smf_ippool_init(&p, base, 31), -SEN_EINVAL);
	smf_ippool_free(&p);
}

static void test_pool_exhaust_claim(void **state)
{
	struct smf_ippool p;
	uint32_t a, base = 0x0a2e0000, got[8];
	int n = 0;

	(void)state;
	assert_int_equal(smf_ippool_init(&p, base, 29), 0); /* 8 addresses, 5 usable */
	assert_int_equal(smf_ippool_claim(&p, base + 4), 0);
	assert_int_equal(smf_ippool_claim(&p, base + 4), -SEN_EEXIST);
	assert_int_equal(smf_ippool_claim(&p, base + 1), -SEN_ERANGE); /* gateway */
	assert_int_equal(smf_ippool_claim(&p, base + 7), -SEN_ERANGE); /* broadcast */
	assert_int_equal(smf_ippool_claim(&p, base + 8), -SEN_ERANGE); /* outside */
	while (smf_ippool_alloc(&p, &a) == 0) {
		assert_int_not_equal(a, base + 4); /* the claimed one is skipped */
		got[n++] = a;
	}
	assert_int_equal(n, 4);
	assert_int_equal(smf_ippool_alloc(&p, &a), -SEN_ENOENT);
	/* release, claim while queued (lazy skip), then allocate */
	smf_ippool_release(&p, got[0]);
	smf_ippool_release(&p, got[1]);
	assert_int_equal(smf_ippool_claim(&p, got[1]), 0);
	assert_int_equal(smf_ippool_alloc(&p, &a), 0);
	assert_int_equal(a, got[0]);
	assert_int_equal(smf_ippool_alloc(&p, &a), -SEN_ENOENT);
	/* a full cycle many times keeps the LIFO bounded */
	for (int i = 0; i < 1000; i++) {
		smf_ippool_release(&p, got[2]);
		assert_int_equal(smf_ippool_alloc(&p, &a), 0);
		assert_int_equal(a, got[2]);
	}
	assert_true(p.n_free <= p.size);
	smf_ippool_free(&p);
}

/* ---- multipart ---- */

static const char CT[] = "multipart/related; boundary=XyZ; type=\"application/json\"";

/* Released addresses come back oldest first (FIFO), not the one just released (LIFO): an
 * address whose UPF session may linger is not handed to the next UE at once. */
static void test_pool_fifo(void **state)
{
	struct smf_ippool p;
	struct smf_ip6pool p6;
	uint32_t a[8], x, base = 0x0a2f0000;
	uint8_t prefix[16] = {0x20, 0x01, 0x0d, 0xb8}, q[300][8], y[8];

	(void)state;
	assert_int_equal(smf_ippool_init(&p, base, 28), 0); /* 13 addresses */
	for (int i = 0; i < 8; i++)
		assert_int_equal(smf_ippool_alloc(&p, &a[i]), 0);
	for (int i = 0; i < 8; i++)
		smf_ippool_release(&p, a[i]);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(smf_ippool_alloc(&p, &x), 0);
		assert_int_equal(x, a[i]); /* released first, handed out first */
	}
	/* the ring wraps: release and take one at a time, many times over */
	for (int r = 0; r < 100; r++) {
		smf_ippool_release(&p, a[r % 8]);
		assert_int_equal(smf_ippool_alloc(&p, &x), 0);
		assert_int_equal(x, a[r % 8]);
	}
	/* just released, with older ones queued: the older ones come first */
	smf_ippool_release(&p, a[3]);
	smf_ippool_release(&p, a[5]);
	assert_int_equal(smf_ippool_alloc(&p, &x), 0);
	assert_int_equal(x, a[3]);
	smf_ippool_release(&p, a[3]);
	assert_int_equal(smf_ippool_alloc(&p, &x), 0);
	assert_int_equal(x, a[5]);
	smf_ippool_free(&p);

	/* IPv6 /64s: the same, across a growth of the ring (64 -> 128 -> 256 -> 512) */
	assert_int_equal(smf_ip6pool_init(&p6, prefix, 48), 0);
	for (int i = 0; i < 300; i++)
		assert_int_equal(smf_ip6pool_alloc(&p6, q[i]), 0);
	for (int i = 0; i < 40; i++) /* wrap the ring before it grows */
		smf_ip6pool_release(&p6, q[i]);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(smf_ip6pool_alloc(&p6, y), 0);
		assert_memory_equal(y, q[i], 8);
	}
	for (int i = 40; i < 300; i++)
		smf_ip6pool_release(&p6, q[i]);
	for (int i = 0; i < 30; i++)
		smf_ip6pool_release(&p6, q[i]);
	for (int i = 30; i < 300; i++) {
		assert_int_equal(smf_ip6pool_alloc(&p6, y), 0);
		assert_memory_equal(y, q[i], 8);
	}
	for (int i = 0; i < 30; i++) {
		assert_int_equal(smf_ip6pool_alloc(&p6, y), 0);
		assert_memory_equal(y, q[i], 8);
	}
	assert_int_equal(p6.used, 300);
	smf_ip6pool_free(&p6);
}

static void test_mp_parse(void **state)
{
	static const char body[] =
	    "preamble\r\n--XyZ\r\nContent-Type: application/json\r\n\r\n{\"a\":1}"
	    "\r\n--XyZ\r\ncontent-type: application/vnd.3gpp.5gnas\r\n"
	    "Content-Id: <n1>\r\nContent-Transfer-Encoding: binary\r\n\r\n"
	    "\x2e\x01\x07\xc1\r\n--XyZ--\r\nepilogue";
	struct smf_mp mp;
	const char *why;
	const struct smf_mp_part *p;

	(void)state;
	assert_int_equal(smf_mp_parse(CT, (const uint8_t *)body, sizeof(body) - 1, &mp, &why), 0);
	assert_int_equal(mp.n, 2);
	assert_string_equal(mp.part[0].type, "application/json");
	assert_int_equal(mp.part[0].len, 7);
	p = smf_mp_find(&mp, "n1");
	assert_non_null(p);
	assert_ptr_equal(p, smf_mp_find(&mp, "<n1>"));
	assert_string_equal(p->type, SMF_MT_NAS);
	assert_int_equal(p->len, 4);
	assert_memory_equal(p->data, "\x2e\x01\x07\xc1", 4);
	assert_null(smf_mp_find(&mp, "n2"));
	/* quoted boundary, no preamble */
	static const char b2[] = "--a b\r\n\r\nx\r\n--a b--";
	assert_int_equal(smf_mp_parse("Multipart/Related;boundary=\"a b\"", (const uint8_t *)b2,
				      sizeof(b2) - 1, &mp, &why),
			 0);
	assert_int_equal(mp.n, 1);
	assert_int_equal(mp.part[0].len, 1);
}

static void test_mp_hostile(void **state)
{
	static const char *const bad[] = {
	    "",
	    "--XyZ",
	    "--XyZ\r\n",
	    "--XyZ\r\nContent-Type: application/json\r\n{}",	 /* no empty line */
	    "--XyZ\r\nContent-Type: application/json\r\n\r\n{}", /* no close */
	    "--XyZ--",						 /* no parts */
	    "--XyZ\r\nno colon here\r\n\r\n{}\r\n--XyZ--",	 /* bad header */
	    "--XyZ junk\r\n\r\n{}\r\n--XyZ--",			 /* garbage after delim */
	    "--XyZ\r\nContent-Id: <>\r\n\r\n{}\r\n--XyZ--",	 /* empty id */
	    "--XyZ\r\nContent-Id: a\001b\r\n\r\n{}\r\n--XyZ--",	 /* control char */
	};
	struct smf_mp mp;
	const char *why;
	char big[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		    smf_mp_parse(CT, (const uint8_t *)bad[i], strlen(bad[i]), &mp, &why),
		    -SEN_EPROTO);
	assert_int_equal(smf_mp_parse("multipart/related", (const uint8_t *)"x", 1, &mp, &why),
			 -SEN_EPROTO);
	assert_int_equal(smf_mp_parse("application/json", (const uint8_t *)"x", 1, &mp, &why),
			 -SEN_EPROTO);
	/* too many parts */
	size_t o = 0;
	for (int i = 0; i < SMF_MP_MAX_PARTS + 1; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "--XyZ\r\n\r\nx\r\n");
	o += (size_t)snprintf(big + o, sizeof(big) - o, "--XyZ--");
	assert_int_equal(smf_mp_parse(CT, (const uint8_t *)big, o, &mp, &why), -SEN_EPROTO);
	/* a header line too long */
	o = (size_t)snprintf(big, sizeof(big), "--XyZ\r\nX-Long: ");
	memset(big + o, 'a', 600);
	o += 600;
	o += (size_t)snprintf(big + o, sizeof(big) - o, "\r\n\r\nx\r\n--XyZ--");
	assert_int_equal(smf_mp_parse(CT, (const uint8_t *)big, o, &mp, &why), -SEN_EPROTO);
	/* every truncation of a good body fails cleanly or parses within bounds */
	static const char good[] = "--XyZ\r\nContent-Type: application/json\r\n\r\n{}\r\n--XyZ\r\n"
				   "Content-Id: n1\r\n\r\nAB\r\n--XyZ--";
	for (size_t cut = 0; cut < sizeof(good) - 1; cut++) {
		uint8_t *copy = malloc(cut + 1);
		memcpy(copy, good, cut);
		int rc = smf_mp_parse(CT, copy, cut, &mp, &why);
		if (rc == 0)
			for (size_t i = 0; i < mp.n; i++)
				assert_true(mp.part[i].data + mp.part[i].len <= copy + cut);
		free(copy);
	}
}

static void test_mp_build(void **state)
{
	/* a binary part holding the first boundary candidate forces another boundary */
	static const uint8_t tricky[] = "=-sen-smf-part-boundary-0";
	struct smf_mp_out parts[2] = {
	    {SMF_MT_JSON, NULL, (const uint8_t *)"{\"x\":1}", 7},
	    {SMF_MT_NGAP, "n2msg", tricky, sizeof(tricky) - 1},
	};
	uint8_t *body;
	size_t len;
	char ct[160];
	struct smf_mp mp;
	const char *why;

	(void)state;
	assert_int_equal(smf_mp_build(parts, 2, &body, &len, ct, sizeof(ct)), 0);
	assert_int_equal(smf_mp_parse(ct, body, len, &mp, &why), 0);
	assert_int_equal(mp.n, 2);
	assert_string_equal(mp.part[1].type, SMF_MT_NGAP);
	assert_int_equal(mp.part[1].len, sizeof(tricky) - 1);
	assert_memory_equal(mp.part[1].data, tricky, sizeof(tricky) - 1);
	assert_non_null(smf_mp_find(&mp, "n2msg"));
	free(body);
}

/* ---- values and builders ---- */

static void test_bitrate(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(smf_bitrate_parse("100 Mbps", &v), 0);
	assert_true(v == 100000000ull);
	assert_int_equal(smf_bitrate_parse("1.5 Gbps", &v), 0);
	assert_true(v == 1500000000ull);
	assert_int_equal(smf_bitrate_parse("64 Kbps", &v), 0);
	assert_true(v == 64000ull);
	assert_int_equal(smf_bitrate_parse("7 bps", &v), 0);
	assert_true(v == 7);
	assert_int_equal(smf_bitrate_parse("100Mbps", &v), -SEN_EINVAL);
	assert_int_equal(smf_bitrate_parse("100 mbps", &v), -SEN_EINVAL);
	assert_int_equal(smf_bitrate_parse("-1 Mbps", &v), -SEN_EINVAL);
	assert_int_equal(smf_bitrate_parse("", &v), -SEN_EINVAL);
	assert_int_equal(smf_bitrate_parse(NULL, &v), -SEN_EINVAL);
}

static void test_builders(void **state)
{
	struct smf_dnn d = {
	    .n_dns4 = 2, .dns = {{10, 45, 0, 1}, {8, 8, 8, 8}}, .mtu = {0x05, 0x78}};
	struct smf_dnn_cfg dc = {.name = "internet"};
	struct smf_sess s = {.psi = 5,
			     .pti = 3,
			     .dnn = &d,
			     .qi5 = 9,
			     .arp_prio = 8,
			     .ambr_ul = 100000000,
			     .ambr_dl = 200000000,
			     .ue_ip = 0x0a2d0002,
			     .ul_teid = 0x1234,
			     .ul_addr = {10, 99, 3, 1},
			     .want_dns = true,
			     .want_mtu = true,
			     .req_pdu_type = SEN_NAS_PDU_IPV4,
			     .snssai = {.sst = 1, .sd = 0x000001}};
	uint8_t b[1024];
	struct sen_nas_msg m;
	int n;

	(void)state;
	d.cfg = &dc;
	strcpy(s.dnn_name, "internet");
	n = smf_build_accept(&s, b, sizeof(b));
	assert_true(n > 0);
	assert_int_equal(sen_nas_decode(b, (size_t)n, &m, NULL), 0);
	assert_int_equal(m.type, SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT);
	assert_int_equal(m.pdu_session_id, 5);
	assert_int_equal(m.pti, 3);
	const struct sen_nas_pdu_session_establishment_accept *a =
	    &m.pdu_session_establishment_accept;
	assert_true(a->has_pdu_address);
	assert_memory_equal(a->pdu_address.ipv4, "\x0a\x2d\x00\x02", 4);
	assert_true(a->qos_rules.r[0].dqr);
	assert_int_equal(a->qos_flows.f[0].param[0].v[0], 9);
	assert_true(sen_nas_bitrate_bps(a->ambr.dl_unit, a->ambr.dl) >= 200000000);
	assert_non_null(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV4));
	assert_memory_equal(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_IPV4_MTU)->p, "\x05\x78", 2);
	assert_string_equal(a->dnn.name, "internet");
	assert_int_equal(a->snssai.len, 4);
	assert_false(a->has_cause);

	n = smf_build_reject(5, 3, 27, b, sizeof(b));
	assert_true(n > 0);
	assert_int_equal(sen_nas_decode(b, (size_t)n, &m, NULL), 0);
	assert_int_equal(m.pdu_session_establishment_reject.cause, 27);

	n = smf_build_setup_request_transfer(&s, b, sizeof(b));
	assert_true(n > 0);
	/* decode it back */
	struct sen_ngap_setup_request_transfer t;
	struct sen_asn_arena ar;
	struct sen_asn_ctx ctx;
	uint8_t mem[4096];
	sen_asn_arena_init(&ar, mem, sizeof(mem), 1 << 20);
	sen_asn_ctx_init(&ctx, &ar, 0);
	memset(&t, 0, sizeof(t));
	assert_true(sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t, b,
					     (size_t)n, &ctx) > 0);
	assert_int_equal(t.ul_tnl.u.gtp.addr.nbits, 32);
	assert_memory_equal(t.ul_tnl.u.gtp.addr.data, s.ul_addr, 4);
	assert_memory_equal(t.ul_tnl.u.gtp.teid.data, "\x00\x00\x12\x34", 4);
	assert_int_equal(t.qos_flows.count, 1);
	assert_int_equal(t.qos_flows.items[0].params.characteristics.u.non_dynamic.five_qi, 9);
	assert_true(t.session_ambr.dl == 200000000);
	sen_asn_arena_fini(&ar);

	/* a Setup Response Transfer gives the gNB tunnel; garbage does not */
	struct sen_ngap_setup_response_transfer r;
	struct sen_ngap_associated_qos_flow f = {.qfi = 1};
	uint8_t ip[4] = {10, 99, 3, 2}, te[4] = {0, 0, 0, 0x42}, got[4];
	uint32_t teid;
	memset(&r, 0, sizeof(r));
	r.dl_qos_flow_per_tnl.tnl.u.gtp.addr = (struct sen_asn_bits){ip, 32};
	r.dl_qos_flow_per_tnl.tnl.u.gtp.teid = (struct sen_asn_octets){te, 4};
	r.dl_qos_flow_per_tnl.flows.items = &f;
	r.dl_qos_flow_per_tnl.flows.count = 1;
	n = sen_ngap_transfer_encode(&sen_ngap_setup_response_transfer_type, &r, b, sizeof(b));
	assert_true(n > 0);
	assert_int_equal(smf_parse_setup_response_transfer(b, (size_t)n, got, &teid), 0);
	assert_memory_equal(got, ip, 4);
	assert_int_equal(teid, 0x42);
	for (int cut = 0; cut < n; cut++)
		assert_int_equal(smf_parse_setup_response_transfer(b, (size_t)cut, got, &teid),
				 -SEN_EPROTO);
	n = smf_build_release_command_transfer(b, sizeof(b));
	assert_true(n > 0);
}

/* ---- IPv6 prefixes ---- */

static void p6(const char *text, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, text, out), 1);
}

static void test_pool6(void **state)
{
	struct smf_ip6pool p;
	uint8_t pre[16], a[8], b[8], c[8], want[16];

	(void)state;
	p6("2001:db8:cafe::", pre);
	assert_int_equal(smf_ip6pool_init(&p, pre, 48), 0);
	assert_true(smf_ip6pool_capacity(&p) == 65535); /* /64 number 0 reserved */
	assert_null(p.bits);				/* nothing allocated up front */
	assert_int_equal(smf_ip6pool_alloc(&p, a), 0);
	p6("2001:db8:cafe:1::", want);
	assert_memory_equal(a, want, 8);
	assert_int_equal(smf_ip6pool_alloc(&p, b), 0);
	p6("2001:db8:cafe:2::", want);
	assert_memory_equal(b, want, 8);
	smf_ip6pool_release(&p, a);
	smf_ip6pool_release(&p, a); /* twice: no-op */
	assert_true(p.used == 1);
	assert_int_equal(smf_ip6pool_alloc(&p, c), 0);
	assert_memory_equal(c, a, 8); /* released /64s come back first */
	/* foreign, reserved and never handed out /64s: no-ops */
	p6("2001:db8:beef:1::", want);
	smf_ip6pool_release(&p, want);
	p6("2001:db8:cafe::", want);
	smf_ip6pool_release(&p, want);
	p6("2001:db8:cafe:9999::", want);
	smf_ip6pool_release(&p, want);
	assert_true(p.used == 2);
	/* many sessions: the bitmap and the LIFO grow; nothing is handed out twice */
	static uint8_t got[5000][8];
	for (int i = 0; i < 5000; i++)
		assert_int_equal(smf_ip6pool_alloc(&p, got[i]), 0);
	for (int i = 0; i < 5000; i += 2)
		smf_ip6pool_release(&p, got[i]);
	for (int i = 0; i < 2500; i++) {
		assert_int_equal(smf_ip6pool_alloc(&p, a), 0);
		assert_memory_not_equal(a, got[1], 8);
	}
	assert_true(p.used == 5002);
	smf_ip6pool_free(&p);

	/* a /62 holds 4 /64s, 3 usable */
	p6("2001:db8:0:4::", pre);
	assert_int_equal(smf_ip6pool_init(&p, pre, 62), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(smf_ip6pool_alloc(&p, a), 0);
	p6("2001:db8:0:7::", want);
	assert_memory_equal(a, want, 8);
	assert_int_equal(smf_ip6pool_alloc(&p, b), -SEN_ENOENT);
	smf_ip6pool_release(&p, a);
	assert_int_equal(smf_ip6pool_alloc(&p, b), 0);
	assert_memory_equal(a, b, 8);
	smf_ip6pool_free(&p);
	/* a /64 is one /64, the reserved one: nothing to hand out */
	assert_int_equal(smf_ip6pool_init(&p, pre, 64), 0);
	assert_int_equal(smf_ip6pool_alloc(&p, a), -SEN_ENOENT);
	smf_ip6pool_free(&p);
	/* huge prefixes are capped, not preallocated */
	p6("2000::", pre);
	assert_int_equal(smf_ip6pool_init(&p, pre, 8), 0);
	assert_true(smf_ip6pool_capacity(&p) == (1ull << SMF_POOL6_MAX_BITS) - 1);
	smf_ip6pool_free(&p);
	/* host bits, bits beyond /64, bad lengths */
	p6("2001:db8:cafe:1::", pre);
	assert_int_equal(smf_ip6pool_init(&p, pre, 48), -SEN_EINVAL);
	p6("2001:db8:cafe::1", pre);
	assert_int_equal(smf_ip6pool_init(&p, pre, 48), -SEN_EINVAL);
	p6("2001:db8:cafe::", pre);
	assert_int_equal(smf_ip6pool_init(&p, pre, 65), -SEN_EINVAL);
	assert_int_equal(smf_ip6pool_init(&p, pre, 0), -SEN_EINVAL);
	/* an empty pool hands out nothing */
	assert_int_equal(smf_ip6pool_alloc(&p, a), -SEN_ENOENT);
	smf_ip6pool_release(&p, a);
	smf_ip6pool_free(&p);
}

static void v6_sess(struct smf_sess *s, struct smf_dnn *d, uint8_t type)
{
	memset(s, 0, sizeof(*s));
	s->psi = 2;
	s->pti = 4;
	s->ref = 0x1234;
	s->dnn = d;
	s->qi5 = 9;
	s->arp_prio = 8;
	s->ambr_ul = s->ambr_dl = 1000000;
	s->ul_teid = 7;
	s->ul_addr[0] = 10;
	s->req_pdu_type = s->pdu_type = type;
	s->want_dns = s->want_dns6 = s->want_mtu = true;
	strcpy(s->dnn_name, "internet");
	if (type != SEN_NAS_PDU_IPV6)
		s->ue_ip = 0x0a2d0009;
	if (type != SEN_NAS_PDU_IPV4) {
		s->has_ip6 = true;
		p6("2001:db8:cafe:5::1234", s->ue_ip6);
	}
}

static int decode_accept(const struct smf_sess *s, struct sen_nas_msg *m)
{
	uint8_t b[1024];
	int n = smf_build_accept(s, b, sizeof(b));

	assert_true(n > 0);
	return sen_nas_decode(b, (size_t)n, m, NULL);
}

static int transfer_type(const struct smf_sess *s)
{
	uint8_t b[1024], mem[4096];
	struct sen_ngap_setup_request_transfer t;
	struct sen_asn_arena ar;
	struct sen_asn_ctx ctx;
	int n = smf_build_setup_request_transfer(s, b, sizeof(b)), type;

	assert_true(n > 0);
	sen_asn_arena_init(&ar, mem, sizeof(mem), 1 << 20);
	sen_asn_ctx_init(&ctx, &ar, 0);
	memset(&t, 0, sizeof(t));
	assert_true(sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t, b,
					     (size_t)n, &ctx) > 0);
	type = (int)t.pdu_session_type;
	sen_asn_arena_fini(&ar);
	return type;
}

static void test_builders_v6(void **state)
{
	struct smf_dnn d = {.n_dns4 = 1, .dns = {{10, 45, 0, 1}}, .mtu = {0x05, 0x78}, .n_dns6 = 1};
	struct smf_dnn_cfg dc = {.name = "internet"};
	static const uint8_t iid[8] = {0, 0, 0, 0, 0, 0, 0x12, 0x34};
	struct smf_sess s;
	struct sen_nas_msg m;
	const struct sen_nas_pdu_session_establishment_accept *a =
	    &m.pdu_session_establishment_accept;
	const struct sen_nas_bytes *dns6;

	(void)state;
	d.cfg = &dc;
	p6("2001:db8::53", d.dns6[0]);

	/* IPv4v6 with both pools: type 3, PDU address = IID then IPv4, no cause */
	v6_sess(&s, &d, SEN_NAS_PDU_IPV4V6);
	assert_int_equal(decode_accept(&s, &m), 0);
	assert_int_equal(a->pdu_session_type, SEN_NAS_PDU_IPV4V6);
	assert_true(a->has_pdu_address);
	assert_int_equal(a->pdu_address.type, SEN_NAS_PDU_IPV4V6);
	assert_memory_equal(a->pdu_address.ipv6_iid, iid, 8);
	assert_memory_equal(a->pdu_address.ipv4, "\x0a\x2d\x00\x09", 4);
	assert_false(a->has_cause);
	dns6 = sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV6);
	assert_non_null(dns6);
	assert_int_equal(dns6->len, 16);
	assert_memory_equal(dns6->p, d.dns6[0], 16);
	assert_non_null(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV4));
	assert_int_equal(transfer_type(&s), SEN_NGAP_PDU_IPV4V6);

	/* IPv6: the IID only; no IPv4 containers even when asked */
	v6_sess(&s, &d, SEN_NAS_PDU_IPV6);
	assert_int_equal(decode_accept(&s, &m), 0);
	assert_int_equal(a->pdu_session_type, SEN_NAS_PDU_IPV6);
	assert_int_equal(a->pdu_address.type, SEN_NAS_PDU_IPV6);
	assert_memory_equal(a->pdu_address.ipv6_iid, iid, 8);
	assert_null(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV4));
	assert_null(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_IPV4_MTU));
	assert_non_null(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV6));
	assert_int_equal(transfer_type(&s), SEN_NGAP_PDU_IPV6);

	/* IPv4v6 asked on a DNN without an IPv6 prefix: IPv4 and #50 (6.4.1.3) */
	v6_sess(&s, &d, SEN_NAS_PDU_IPV4);
	s.req_pdu_type = SEN_NAS_PDU_IPV4V6;
	s.accept_cause = 50;
	assert_int_equal(decode_accept(&s, &m), 0);
	assert_int_equal(a->pdu_session_type, SEN_NAS_PDU_IPV4);
	assert_int_equal(a->pdu_address.type, SEN_NAS_PDU_IPV4);
	assert_true(a->has_cause);
	assert_int_equal(a->cause, 50);
	assert_null(sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV6));
	assert_int_equal(transfer_type(&s), SEN_NGAP_PDU_IPV4);

	/* the log text names both */
	char txt[128];
	v6_sess(&s, &d, SEN_NAS_PDU_IPV4V6);
	smf_sess_addr_text(&s, txt, sizeof(txt));
	assert_string_equal(txt, "10.45.0.9 + 2001:db8:cafe:5::/64 iid ::1234");
}

/* The PFCP Session Establishment Request of an IPv4v6 / IPv6 session, as the UPF gets it. */
static void n4_ue_ip(uint8_t type, struct sen_pfcp_ue_ip *ul, struct sen_pfcp_ue_ip *dl,
		     uint8_t *pdn_type)
{
	static struct smf smf;
	static struct smf_upf_cfg ucfg;
	struct smf_dnn_cfg dc = {.name = "internet"};
	struct smf_dnn d = {.cfg = &dc};
	struct smf_sess s;
	struct sockaddr_in upf = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
	socklen_t sl = sizeof(upf);
	int usk = socket(AF_INET, SOCK_DGRAM, 0);
	uint8_t b[8192];
	struct sen_pfcp_msg *m = calloc(1, sizeof(*m));
	struct sen_pfcp_error e;
	struct timeval tv = {.tv_sec = 2};

	memset(&smf, 0, sizeof(smf));
	assert_non_null(m);
	assert_true(usk >= 0);
	assert_int_equal(bind(usk, (struct sockaddr *)&upf, sizeof(upf)), 0);
	assert_int_equal(getsockname(usk, (struct sockaddr *)&upf, &sl), 0);
	setsockopt(usk, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&ucfg, 0, sizeof(ucfg));
	memcpy(&ucfg.pfcp.in, &upf, sizeof(upf));
	ucfg.pfcp.len = sizeof(upf);
	assert_int_equal(sen_loop_new(&smf.loop), 0);
	smf.tx = calloc(1, sizeof(*smf.tx));
	assert_non_null(smf.tx);
	assert_int_equal(sen_hash_new(&smf.n4_xacts), 0);
	smf.c.t1 = 3000;
	smf.c.pfcp.in.sin_family = AF_INET;
	smf.c.pfcp.in.sin_addr.s_addr = htonl(0x7f000001);
	smf.n4_fd = socket(AF_INET, SOCK_DGRAM, 0);
	smf.n_upf = 1;
	smf.upf[0] = (struct smf_upf){.smf = &smf, .cfg = &ucfg, .state = UPF_ASSOCIATED};

	v6_sess(&s, &d, type);
	s.smf = &smf;
	s.upf = &smf.upf[0];
	assert_int_equal(smf_n4_establish(&s, NULL), 0);
	ssize_t n = recv(usk, b, sizeof(b), 0);
	assert_true(n > 0);
	assert_true(sen_pfcp_decode(b, (size_t)n, m, &e) >= 0);
	assert_int_equal(m->type, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST);
	const struct sen_pfcp_session_establishment_request *r = &m->session_establishment_request;
	assert_int_equal(r->n_create_pdr, 2);
	assert_int_equal(r->create_pdr[0].pdi.n_ue_ip, 1);
	assert_int_equal(r->create_pdr[1].pdi.n_ue_ip, 1);
	*ul = r->create_pdr[0].pdi.ue_ip[0];
	*dl = r->create_pdr[1].pdi.ue_ip[0];
	*pdn_type = r->pdn_type;
	smf_n4_cancel(&smf, s.n4_x);
	close(smf.n4_fd);
	close(usk);
	sen_hash_free(smf.n4_xacts);
	free(smf.tx);
	free(m);
	sen_loop_free(smf.loop);
}

static void test_n4_ue_ip(void **state)
{
	struct sen_pfcp_ue_ip ul, dl;
	uint8_t pdn, prefix[16] = {0};

	(void)state;
	p6("2001:db8:cafe:5::", prefix);
	/* TS 29.244 8.2.62: one IE, V4 and V6, the /64 with a zero IID; SD on the DL PDR */
	n4_ue_ip(SEN_NAS_PDU_IPV4V6, &ul, &dl, &pdn);
	assert_int_equal(ul.flags, SEN_PFCP_UEIP_V4 | SEN_PFCP_UEIP_V6);
	assert_int_equal(dl.flags, SEN_PFCP_UEIP_V4 | SEN_PFCP_UEIP_V6 | SEN_PFCP_UEIP_SD);
	assert_memory_equal(ul.ipv4, "\x0a\x2d\x00\x09", 4);
	assert_memory_equal(ul.ipv6, prefix, 16);
	assert_memory_equal(dl.ipv6, prefix, 16);
	assert_int_equal(pdn, 3); /* 8.2.79 IPv4v6 */
	n4_ue_ip(SEN_NAS_PDU_IPV6, &ul, &dl, &pdn);
	assert_int_equal(ul.flags, SEN_PFCP_UEIP_V6);
	assert_int_equal(dl.flags, SEN_PFCP_UEIP_V6 | SEN_PFCP_UEIP_SD);
	assert_memory_equal(dl.ipv6, prefix, 16);
	assert_int_equal(pdn, 2);
	n4_ue_ip(SEN_NAS_PDU_IPV4, &ul, &dl, &pdn);
	assert_int_equal(ul.flags, SEN_PFCP_UEIP_V4);
	assert_int_equal(pdn, 1);
}

/* ---- configuration ---- */

static int bind_text(const char *text, struct smf_cfg *c, char *err, size_t errlen,
		     struct sen_config **cfg)
{
	int rc = sen_config_parse("t.yaml", text, strlen(text), 0, cfg, err, errlen);

	if (rc < 0)
		return rc;
	return smf_cfg_bind(*cfg, c, err, errlen);
}

#define HEAD "plmn: { mcc: \"999\", mnc: \"70\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"

static void test_config(void **state)
{
	static struct smf_cfg c;
	struct sen_config *cfg = NULL;
	char err[SEN_CFG_ERR_MAX];
	static const struct {
		const char *yaml, *msg;
	} bad[] = {
	    {HEAD "smf: { sbi: 127.0.0.4:7777, pfcp: 127.0.0.4 }\nupf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:4: smf.dnn: missing required key"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.0/31 } ]\nupf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[0].ipv4_pool: /31: the pool's length must be 8..30"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.1/16 } ]\nupf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[0].ipv4_pool:"},
	    {HEAD
	     "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4:99999\n  dnn: [ { name: internet, "
	     "ipv4_pool: 10.45.0.0/16 } ]\nupf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:6: smf.pfcp: port of 127.0.0.4:99999 is out of range 1..65535"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.0/16 }, { name: Internet, ipv4_pool: 10.46.0.0/16 } ]\n"
		  "upf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[1].name: Internet is given twice"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.0/16 } ]\n  upf: [ { pfcp: 127.0.0.7, dnn: [ims] } ]\n",
	     "t.yaml:8: smf.upf[0].dnn: ims is not in smf.dnn"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.0/16 } ]\n",
	     "smf.upf: no UPF"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: \"in ternet\", "
		  "ipv4_pool: 10.45.0.0/16 } ]\nupf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[0].name:"},
	    {HEAD
	     "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
	     "ipv4_pool: 10.45.0.0/16, dns: [1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4, 5.5.5.5] } ]\n"
	     "upf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[0].dns:"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  bogus: 1\n  dnn: [ { name: "
		  "internet, ipv4_pool: 10.45.0.0/16 } ]\nupf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.bogus:"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.0/16, ipv6_prefix: \"2001:db8:cafe:1::/48\" } ]\n"
		  "upf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[0].ipv6_prefix: 2001:db8:cafe:1::/48 has bits set after the "
	     "prefix"},
	    {HEAD "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { name: internet, "
		  "ipv4_pool: 10.45.0.0/16, ipv6_prefix: \"2001:db8:cafe::/96\" } ]\n"
		  "upf: { pfcp: 127.0.0.7 }\n",
	     "t.yaml:7: smf.dnn[0].ipv6_prefix: /96: must be /64 or shorter"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(bind_text(bad[i].yaml, &c, err, sizeof(err), &cfg), -SEN_ECONFIG);
		if (!strstr(err, bad[i].msg))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, bad[i].msg);
		sen_config_free(cfg);
		cfg = NULL;
	}
	/* the good sample: defaults, the upf section's address as the one UPF */
	assert_int_equal(bind_text(HEAD
				   "smf:\n  sbi: 127.0.0.4:7777\n  pfcp: 127.0.0.4\n  dnn: [ { "
				   "name: internet, ipv4_pool: 10.45.0.0/16, dns: [10.45.0.1] } ]\n"
				   "upf: { pfcp: 127.0.0.7, gtpu: 127.0.0.7 }\n",
				   &c, err, sizeof(err), &cfg),
			 0);
	assert_int_equal(c.n_upf, 1);
	assert_int_equal(ntohs(c.upf[0].pfcp.in.sin_port), 8805);
	assert_int_equal(ntohl(c.upf[0].pfcp.in.sin_addr.s_addr), 0x7f000007);
	assert_int_equal(c.dnn[0].mtu, 1400);
	assert_int_equal(c.n_slices, 1);
	assert_int_equal(c.heartbeat, 10);
	assert_int_equal(c.t1, 3000);
	assert_int_equal(c.n1, 3);
	assert_int_equal(c.quarantine_max, 600);
	sen_config_free(cfg);
}

/* ---- N4 flow control and quarantine (n4.c) against a fake UPF socket ---- */

struct n4h {
	struct smf smf;
	struct smf_upf_cfg ucfg;
	struct smf_dnn_cfg dc;
	int usk; /* the fake UPF */
	struct sen_pfcp_msg *m;
};

static struct n4h *n4h_new(unsigned window, uint32_t t1)
{
	struct n4h *h = calloc(1, sizeof(*h));
	struct sockaddr_in upf = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
	socklen_t sl = sizeof(upf);
	char err[256];

	assert_non_null(h);
	h->m = calloc(1, sizeof(*h->m));
	h->usk = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(h->usk >= 0);
	assert_int_equal(bind(h->usk, (struct sockaddr *)&upf, sizeof(upf)), 0);
	assert_int_equal(getsockname(h->usk, (struct sockaddr *)&upf, &sl), 0);
	memcpy(&h->ucfg.pfcp.in, &upf, sizeof(upf));
	h->ucfg.pfcp.len = sizeof(upf);
	assert_int_equal(sen_loop_new(&h->smf.loop), 0);
	h->smf.tx = calloc(1, sizeof(*h->smf.tx));
	h->smf.rx = calloc(1, sizeof(*h->smf.rx));
	assert_int_equal(sen_hash_new(&h->smf.n4_xacts), 0);
	assert_int_equal(sen_hash_new(&h->smf.by_ref), 0);
	assert_int_equal(sen_hash_new(&h->smf.by_psi), 0);
	h->smf.c.t1 = t1;
	h->smf.c.n1 = 1;
	h->smf.c.assoc_retry = 100000;
	h->smf.n4_window = window;
	h->smf.quarantine_retry = 60;
	h->smf.c.pfcp.in.sin_family = AF_INET;
	h->smf.c.pfcp.in.sin_addr.s_addr = htonl(0x7f000001);
	h->smf.c.pfcp.len = sizeof(struct sockaddr_in);
	snprintf(h->smf.pfcp_addr, sizeof(h->smf.pfcp_addr), "127.0.0.1");
	h->smf.n_upf = 1;
	h->smf.upf[0] = (struct smf_upf){
	    .smf = &h->smf, .cfg = &h->ucfg, .state = UPF_ASSOCIATED, .recovery_ts = 1000};
	snprintf(h->smf.upf[0].name, sizeof(h->smf.upf[0].name), "fake");
	assert_int_equal(smf_n4_open(&h->smf, err, sizeof(err)), 0);
	h->dc.name = "internet";
	h->smf.n_dnn = 1;
	h->smf.dnn[0].cfg = &h->dc;
	assert_int_equal(smf_ippool_init(&h->smf.dnn[0].pool, 0x0a2d0000, 24), 0);
	return h;
}

static void n4h_free(struct n4h *h)
{
	smf_n4_close(&h->smf);
	smf_ippool_free(&h->smf.dnn[0].pool);
	sen_hash_free(h->smf.n4_xacts);
	sen_hash_free(h->smf.by_ref);
	sen_hash_free(h->smf.by_psi);
	free(h->smf.tx);
	free(h->smf.rx);
	sen_loop_free(h->smf.loop);
	close(h->usk);
	free(h->m);
	free(h);
}

/* Run the SMF's loop for about ms milliseconds. */
static void n4h_run(struct n4h *h, int ms)
{
	uint64_t end = sen_loop_update_now(h->smf.loop) + (uint64_t)ms;

	while (sen_loop_update_now(h->smf.loop) < end)
		sen_loop_run_once(h->smf.loop, 2);
}

/* The next request the fake UPF has (decoded into h->m) and its sender; false if none. */
static bool n4h_recv(struct n4h *h, struct sockaddr_in *from)
{
	uint8_t b[8192];
	socklen_t fl = sizeof(*from);
	struct sen_pfcp_error e;
	ssize_t n = recvfrom(h->usk, b, sizeof(b), 0, (struct sockaddr *)from, &fl);

	if (n <= 0)
		return false;
	assert_true(sen_pfcp_decode(b, (size_t)n, h->m, &e) >= 0);
	return true;
}

static void n4h_send(struct n4h *h, struct sen_pfcp_msg *m, const struct sockaddr_in *to)
{
	uint8_t b[8192];
	int n = sen_pfcp_encode(m, b, sizeof(b));

	assert_true(n > 0);
	assert_int_equal(sendto(h->usk, b, (size_t)n, 0, (const struct sockaddr *)to, sizeof(*to)),
			 n);
}

static void n4h_answer_deletion(struct n4h *h, uint32_t seq, const struct sockaddr_in *to,
				uint8_t cause)
{
	struct sen_pfcp_msg *r = calloc(1, sizeof(*r));

	sen_pfcp_msg_init(r, SEN_PFCP_SESSION_DELETION_RESPONSE, seq);
	r->seid = 1;
	r->session_response.cause = cause;
	n4h_send(h, r, to);
	free(r);
}

static void n4h_sess(struct n4h *h, struct smf_sess *s, uint32_t ref, uint64_t up_seid)
{
	memset(s, 0, sizeof(*s));
	s->smf = &h->smf;
	s->upf = &h->smf.upf[0];
	s->dnn = &h->smf.dnn[0];
	s->ref = ref;
	s->up_seid = up_seid;
	snprintf(s->tag, sizeof(s->tag), "test %u", ref);
	assert_int_equal(smf_ippool_alloc(&s->dnn->pool, &s->ue_ip), 0);
}

static int n4_answers[64], n4_n_answers;

static void on_test_deleted(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;

	(void)smf;
	n4_answers[n4_n_answers++] = rsp ? (int)s->ref : -(int)s->ref;
}

/* More session requests than the window: the window's worth goes out, the rest waits and
 * goes out in order as answers come in; never more than the window in flight. */
static void test_n4_window(void **state)
{
	enum { N = 20, W = 4 };
	struct n4h *h = n4h_new(W, 5000);
	static struct smf_sess s[N];
	struct sockaddr_in from;
	uint64_t seid[N];
	uint32_t seq[N];
	int n_seen = 0, n_answered = 0;

	(void)state;
	n4_n_answers = 0;
	for (int i = 0; i < N; i++) {
		n4h_sess(h, &s[i], (uint32_t)i + 1, 0x100 + (uint64_t)i);
		assert_int_equal(smf_n4_delete(&s[i], on_test_deleted), 0);
	}
	assert_int_equal(h->smf.upf[0].n_inflight, W);
	assert_int_equal(h->smf.upf[0].n_queued, N - W);
	while (n_answered < N) {
		n4h_run(h, 5);
		while (n4h_recv(h, &from)) {
			assert_true(n_seen < N);
			assert_int_equal(h->m->type, SEN_PFCP_SESSION_DELETION_REQUEST);
			seid[n_seen] = h->m->seid;
			seq[n_seen++] = h->m->seq;
		}
		/* the UPF never has more than the window unanswered */
		assert_true(n_seen - n_answered <= W);
		assert_true(n_seen - n_answered == W || n_seen == N);
		assert_true(n_answered < n_seen);
		n4h_answer_deletion(h, seq[n_answered++], &from, SEN_PFCP_CAUSE_REQUEST_ACCEPTED);
	}
	n4h_run(h, 10);
	assert_int_equal(n_seen, N);
	assert_int_equal(n4_n_answers, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(seid[i], 0x100 + (uint64_t)i); /* sent in order */
		assert_int_equal(n4_answers[i], i + 1);		/* answered, in order */
		assert_int_equal(s[i].up_seid, 0);
	}
	assert_int_equal(h->smf.upf[0].n_inflight, 0);
	assert_int_equal(h->smf.upf[0].n_queued, 0);
	n4h_free(h);
}

/* The T1 of a burst is spread out (+-15 %): the first retransmissions of 50 requests lost
 * together do not all come in the same millisecond. */
static void test_n4_t1_jitter(void **state)
{
	enum { N = 50 };
	struct n4h *h = n4h_new(256, 200);
	static struct smf_sess s[N];
	struct sockaddr_in from;
	uint64_t t0, first = 0, last = 0;
	int n = 0;

	(void)state;
	sen_loop_update_now(h->smf.loop); /* timers count from the loop's time */
	for (int i = 0; i < N; i++) {
		n4h_sess(h, &s[i], (uint32_t)i + 1, 0x200 + (uint64_t)i);
		assert_int_equal(smf_n4_delete(&s[i], NULL), 0);
	}
	t0 = sen_loop_update_now(h->smf.loop);
	while (n4h_recv(h, &from)) /* the burst: dropped by the "UPF" */
		;
	while (n < N && sen_loop_update_now(h->smf.loop) < t0 + 1000) {
		sen_loop_run_once(h->smf.loop, 1);
		while (n4h_recv(h, &from)) {
			uint64_t t = sen_loop_update_now(h->smf.loop) - t0;
			if (!n++)
				first = t;
			last = t;
		}
	}
	assert_int_equal(n, N);
	if (first < 165 || last > 300)
		fail_msg("retransmissions from %llu to %llu ms", (unsigned long long)first,
			 (unsigned long long)last);
	assert_true(last - first >= 20); /* without jitter: all within a millisecond or two */
	for (int i = 0; i < N; i++)
		smf_n4_cancel(&h->smf, s[i].n4_x);
	n4h_free(h);
}

/* Answer the next request of type `type` the fake UPF gets within ~ms (others: dropped);
 * returns false if none came. */
static bool n4h_answer_next(struct n4h *h, uint8_t type, int ms, uint32_t recovery_ts)
{
	struct sockaddr_in from;

	for (int i = 0; i < ms / 2; i++) {
		n4h_run(h, 2);
		while (n4h_recv(h, &from)) {
			if (h->m->type != type)
				continue;
			if (type == SEN_PFCP_SESSION_DELETION_REQUEST) {
				n4h_answer_deletion(h, h->m->seq, &from,
						    SEN_PFCP_CAUSE_REQUEST_ACCEPTED);
			} else {
				struct sen_pfcp_msg *r = calloc(1, sizeof(*r));
				sen_pfcp_msg_init(r, SEN_PFCP_ASSOCIATION_SETUP_RESPONSE,
						  h->m->seq);
				r->association_setup.node_id.type = SEN_PFCP_NODE_IPV4;
				memcpy(r->association_setup.node_id.ipv4, &from.sin_addr, 4);
				r->association_setup.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
				r->association_setup.recovery_ts = recovery_ts;
				n4h_send(h, r, &from);
				free(r);
			}
			n4h_run(h, 5);
			return true;
		}
	}
	return false;
}

/* Heartbeats unanswered: the UPF's sessions are released but it may still hold them, so
 * their addresses are quarantined; the association set up again with the same Recovery
 * Time Stamp retries their deletions, which free them when answered. */
static void test_n4_quarantine_heartbeat_loss(void **state)
{
	struct n4h *h = n4h_new(256, 30);
	struct smf_ippool *pool = &h->smf.dnn[0].pool;
	struct smf_sess *s;

	(void)state;
	h->smf.c.assoc_retry = 50;
	s = smf_sess_new(&h->smf, "imsi-999700000000001", 1);
	assert_non_null(s);
	s->upf = &h->smf.upf[0];
	s->dnn = &h->smf.dnn[0];
	s->up_seid = 0x55;
	assert_int_equal(smf_ippool_alloc(pool, &s->ue_ip), 0);
	/* a Heartbeat now, left unanswered: node loss after T1 x (N1 + 1) */
	sen_timer_start(&h->smf.upf[0].timer, 1);
	n4h_run(h, 120);
	assert_int_equal(h->smf.upf[0].state != UPF_ASSOCIATED, true);
	assert_int_equal(sen_hash_count(h->smf.by_ref), 0); /* the SM context is gone */
	assert_int_equal(h->smf.n_quarantined, 1);
	assert_int_equal(pool->used, 1);
	/* the UPF answers the next Association Setup with the same Recovery Time Stamp, then
	 * the deletion that follows */
	assert_true(n4h_answer_next(h, SEN_PFCP_ASSOCIATION_SETUP_REQUEST, 300, 1000));
	assert_int_equal(h->smf.upf[0].state, UPF_ASSOCIATED);
	assert_int_equal(h->smf.n_quarantined, 1);
	assert_true(n4h_answer_next(h, SEN_PFCP_SESSION_DELETION_REQUEST, 300, 0));
	assert_int_equal(h->smf.n_quarantined, 0);
	assert_int_equal(pool->used, 0);
	n4h_free(h);
}

/* The bytes a socket buffer of `want` gets: doubled by the kernel (socket(7)), capped at
 * net.core.<max_file> unless the process may force it (root). */
static int sockbuf_expected(int want, const char *max_file)
{
	FILE *f = fopen(max_file, "r");
	int max = 0;

	if (f) {
		if (fscanf(f, "%d", &max) != 1)
			max = 0;
		fclose(f);
	}
	if (geteuid() == 0 || !max || max > want)
		return 2 * want;
	return 2 * max;
}

/* The PFCP socket has deep buffers (a burst of requests and their answers). */
static void test_n4_sockbuf(void **state)
{
	struct n4h *h = n4h_new(0, 3000);
	int v = 0;
	socklen_t vl = sizeof(v);

	(void)state;
	assert_int_equal(getsockopt(h->smf.n4_fd, SOL_SOCKET, SO_RCVBUF, &v, &vl), 0);
	assert_true(v >= sockbuf_expected(SMF_N4_SOCKBUF, "/proc/sys/net/core/rmem_max"));
	assert_true(v > 2 * 212992);
	assert_int_equal(getsockopt(h->smf.n4_fd, SOL_SOCKET, SO_SNDBUF, &v, &vl), 0);
	assert_true(v >= sockbuf_expected(SMF_N4_SOCKBUF, "/proc/sys/net/core/wmem_max"));
	n4h_free(h);
}

/* An unanswered Session Deletion keeps the UE address out of the pool (quarantine) and is
 * retried; any later answer (cause 65 too) gives the address back. */
static void test_n4_quarantine_answer(void **state)
{
	struct n4h *h = n4h_new(256, 30);
	struct smf_ippool *pool = &h->smf.dnn[0].pool;
	struct smf_sess s;
	struct sockaddr_in from;
	uint32_t addr, other;
	int tries = 0;

	(void)state;
	h->smf.quarantine_retry = 300;
	n4h_sess(h, &s, 1, 0x77);
	addr = s.ue_ip;
	smf_n4_delete_detached(&s);
	assert_int_equal(s.ue_ip, 0); /* the orphan owns it now */
	assert_int_equal(s.up_seid, 0);
	smf_sess_release_ip(&s); /* what smf_sess_free does: nothing left to release */
	assert_int_equal(pool->used, 1);
	/* the UPF does not answer: T1 x (N1 + 1) later the address is quarantined */
	n4h_run(h, 120);
	while (n4h_recv(h, &from))
		tries++;
	assert_int_equal(tries, 2); /* first try + N1 = 1 retransmission */
	assert_int_equal(h->smf.n_quarantined, 1);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 1);
	assert_int_equal(pool->used, 1);
	for (int i = 0; i < 20; i++) { /* the address is not handed out */
		assert_int_equal(smf_ippool_alloc(pool, &other), 0);
		assert_int_not_equal(other, addr);
		smf_ippool_release(pool, other);
	}
	/* the retry (after ~300 ms) is answered "session context not found": freed */
	for (int i = 0; i < 300 && !n4h_recv(h, &from); i++)
		n4h_run(h, 2);
	assert_int_equal(h->m->type, SEN_PFCP_SESSION_DELETION_REQUEST);
	assert_int_equal(h->m->seid, 0x77);
	n4h_answer_deletion(h, h->m->seq, &from, SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND);
	n4h_run(h, 10);
	assert_int_equal(h->smf.n_quarantined, 0);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 0);
	assert_int_equal(pool->used, 0);

	/* smf_n4_delete (an SM context release) unanswered: the callback runs, the address
	 * stays quarantined */
	n4_n_answers = 0;
	n4h_sess(h, &s, 2, 0x78);
	assert_int_equal(smf_n4_delete(&s, on_test_deleted), 0);
	n4h_run(h, 120);
	assert_int_equal(n4_n_answers, 1);
	assert_int_equal(n4_answers[0], -2);
	assert_int_equal(s.ue_ip, 0);
	assert_int_equal(h->smf.n_quarantined, 1);
	assert_int_equal(pool->used, 1);
	n4h_free(h);
}

/* A new Recovery Time Stamp (the UPF restarted: it holds nothing) frees quarantined
 * addresses; so does re-association with a new one after a Heartbeat loss, while the same
 * one makes the deletions go out again. */
static void test_n4_quarantine_restart(void **state)
{
	struct n4h *h = n4h_new(256, 30);
	struct smf_ippool *pool = &h->smf.dnn[0].pool;
	struct sen_pfcp_msg *hb = calloc(1, sizeof(*hb));
	struct smf_sess s;
	struct sockaddr_in from;

	(void)state;
	n4h_sess(h, &s, 1, 0x99);
	smf_n4_delete_detached(&s);
	n4h_run(h, 120);
	while (n4h_recv(h, &from))
		;
	assert_int_equal(h->smf.n_quarantined, 1);
	assert_int_equal(pool->used, 1);
	/* a Heartbeat Request with another Recovery Time Stamp: the UPF restarted */
	sen_pfcp_msg_init(hb, SEN_PFCP_HEARTBEAT_REQUEST, 4242);
	hb->heartbeat.recovery_ts = 2000;
	n4h_send(h, hb, &from);
	n4h_run(h, 10);
	assert_int_equal(h->smf.n_quarantined, 0);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 0);
	assert_int_equal(pool->used, 0);
	free(hb);
	n4h_free(h);
}

/* A session for the establishment tests: in the tables (smf_sess_free works), an address. */
static struct smf_sess *n4h_est_sess(struct n4h *h, uint8_t psi)
{
	struct smf_sess *s = smf_sess_new(&h->smf, "imsi-999700000000001", psi);

	assert_non_null(s);
	s->upf = &h->smf.upf[0];
	s->dnn = &h->smf.dnn[0];
	s->ambr_ul = s->ambr_dl = 1000000;
	assert_int_equal(smf_ippool_alloc(&s->dnn->pool, &s->ue_ip), 0);
	return s;
}

/* What nsmf.c's on_established does with no answer: quarantine, then the context goes. */
static void on_test_established(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;

	(void)smf;
	if (!rsp)
		smf_n4_establish_lost(s);
	smf_sess_free(s);
}

/* The address is not handed out while quarantined (20 allocations). */
static void assert_not_handed_out(struct smf_ippool *pool, uint32_t addr)
{
	uint32_t other;

	for (int i = 0; i < 20; i++) {
		assert_int_equal(smf_ippool_alloc(pool, &other), 0);
		assert_int_not_equal(other, addr);
		smf_ippool_release(pool, other);
	}
}

static void n4h_answer_establishment(struct n4h *h, uint32_t seq, uint64_t cp_seid,
				     const struct sockaddr_in *to, uint8_t cause, uint64_t up_seid)
{
	struct sen_pfcp_msg *r = calloc(1, sizeof(*r));

	sen_pfcp_msg_init(r, SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE, seq);
	r->seid = cp_seid;
	r->session_establishment_response.node_id.type = SEN_PFCP_NODE_IPV4;
	memcpy(r->session_establishment_response.node_id.ipv4, &to->sin_addr, 4);
	r->session_establishment_response.cause = cause;
	if (up_seid) {
		r->session_establishment_response.has_up_fseid = true;
		r->session_establishment_response.up_fseid.flags = SEN_PFCP_FSEID_V4;
		r->session_establishment_response.up_fseid.seid = up_seid;
		memcpy(r->session_establishment_response.up_fseid.ipv4, &to->sin_addr, 4);
	}
	n4h_send(h, r, to);
	free(r);
}

/* A Session Establishment unanswered after N1 retransmissions: the UPF may hold the session,
 * so the address is quarantined (not handed out) until the UPF shows it restarted. */
static void test_n4_quarantine_establishment(void **state)
{
	struct n4h *h = n4h_new(256, 30);
	struct smf_ippool *pool = &h->smf.dnn[0].pool;
	struct sen_pfcp_msg *hb = calloc(1, sizeof(*hb));
	struct sockaddr_in from;
	struct smf_sess *s;
	uint32_t addr;
	int tries = 0;

	(void)state;
	s = n4h_est_sess(h, 1);
	addr = s->ue_ip;
	assert_int_equal(smf_n4_establish(s, on_test_established), 0);
	n4h_run(h, 120); /* the "UPF" drops both tries */
	while (n4h_recv(h, &from)) {
		assert_int_equal(h->m->type, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST);
		tries++;
	}
	assert_int_equal(tries, 2);
	assert_int_equal(sen_hash_count(h->smf.by_ref), 0); /* the SM context is gone */
	assert_int_equal(h->smf.n_quarantined, 1);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 1);
	assert_int_equal(pool->used, 1);
	assert_not_handed_out(pool, addr);
	n4h_run(h, 200); /* no deletion can be sent (no UP SEID): it just waits */
	assert_false(n4h_recv(h, &from));
	assert_int_equal(h->smf.n_quarantined, 1);
	/* a Heartbeat Request with a new Recovery Time Stamp: the UPF restarted */
	sen_pfcp_msg_init(hb, SEN_PFCP_HEARTBEAT_REQUEST, 4243);
	hb->heartbeat.recovery_ts = 2000;
	n4h_send(h, hb, &from);
	n4h_run(h, 10);
	assert_int_equal(h->smf.n_quarantined, 0);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 0);
	assert_int_equal(pool->used, 0);
	free(hb);
	n4h_free(h);
}

/* Nothing ever proves the UPF dropped the session: smf.quarantine_max (here 300 ms) gives
 * the address back anyway, for an unanswered establishment and an unanswered deletion. */
static void test_n4_quarantine_bound(void **state)
{
	struct n4h *h = n4h_new(256, 30);
	struct smf_ippool *pool = &h->smf.dnn[0].pool;
	struct sockaddr_in from;
	struct smf_sess *s, d;

	(void)state;
	h->smf.quarantine_max_ms = 300;
	h->smf.quarantine_retry = 50;
	s = n4h_est_sess(h, 1);
	assert_int_equal(smf_n4_establish(s, on_test_established), 0);
	n4h_sess(h, &d, 77, 0x66);
	smf_n4_delete_detached(&d);
	n4h_run(h, 120);
	assert_int_equal(h->smf.n_quarantined, 2);
	assert_int_equal(pool->used, 2);
	n4h_run(h, 100);
	assert_int_equal(h->smf.n_quarantined, 2);
	/* ~60 ms + 300 ms after the first try; the deletion's retries are never answered */
	n4h_run(h, 250);
	while (n4h_recv(h, &from))
		;
	assert_int_equal(h->smf.n_quarantined, 0);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 0);
	assert_int_equal(pool->used, 0);
	n4h_free(h);
}

/* An establishment still in flight when its context goes keeps the address until answered:
 * accepted, the session is deleted by the UP SEID it names; a late answer (after N1) to a
 * quarantined one does the same. */
static void test_n4_quarantine_establishment_answered(void **state)
{
	struct n4h *h = n4h_new(256, 30);
	struct smf_ippool *pool = &h->smf.dnn[0].pool;
	struct sockaddr_in from;
	struct smf_sess *s;
	uint64_t cp_seid;
	uint32_t seq;

	(void)state;
	/* in flight, the context freed: the orphan takes over the request */
	s = n4h_est_sess(h, 1);
	assert_int_equal(smf_n4_establish(s, on_test_established), 0);
	n4h_run(h, 5);
	assert_true(n4h_recv(h, &from));
	assert_int_equal(h->m->type, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST);
	seq = h->m->seq;
	cp_seid = h->m->session_establishment_request.cp_fseid.seid;
	smf_sess_free(s);
	assert_int_equal(pool->used, 1);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 1);
	n4h_answer_establishment(h, seq, cp_seid, &from, SEN_PFCP_CAUSE_REQUEST_ACCEPTED, 0x4321);
	assert_true(n4h_answer_next(h, SEN_PFCP_SESSION_DELETION_REQUEST, 100, 0));
	assert_int_equal(h->m->seid, 0x4321);
	assert_int_equal(pool->used, 0);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 0);

	/* unanswered (quarantined), then the answer comes late */
	s = n4h_est_sess(h, 2);
	assert_int_equal(smf_n4_establish(s, on_test_established), 0);
	n4h_run(h, 120);
	seq = 0;
	while (n4h_recv(h, &from)) {
		seq = h->m->seq;
		cp_seid = h->m->session_establishment_request.cp_fseid.seid;
	}
	assert_int_equal(h->smf.n_quarantined, 1);
	/* a late answer with another CP SEID is not taken for it */
	n4h_answer_establishment(h, seq, cp_seid + 1, &from, SEN_PFCP_CAUSE_REQUEST_ACCEPTED, 9);
	n4h_run(h, 10);
	assert_false(n4h_recv(h, &from));
	assert_int_equal(h->smf.n_quarantined, 1);
	n4h_answer_establishment(h, seq, cp_seid, &from, SEN_PFCP_CAUSE_REQUEST_ACCEPTED, 0x8765);
	assert_true(n4h_answer_next(h, SEN_PFCP_SESSION_DELETION_REQUEST, 100, 0));
	assert_int_equal(h->m->seid, 0x8765);
	assert_int_equal(h->smf.n_quarantined, 0);
	assert_int_equal(pool->used, 0);

	/* in flight, the context freed, the UPF refuses: the address is free at once */
	s = n4h_est_sess(h, 3);
	assert_int_equal(smf_n4_establish(s, on_test_established), 0);
	n4h_run(h, 5);
	assert_true(n4h_recv(h, &from));
	seq = h->m->seq;
	cp_seid = h->m->session_establishment_request.cp_fseid.seid;
	smf_sess_free(s);
	n4h_answer_establishment(h, seq, cp_seid, &from, SEN_PFCP_CAUSE_NO_RESOURCES, 0);
	n4h_run(h, 10);
	assert_int_equal(pool->used, 0);
	assert_int_equal(smf_n4_orphans(&h->smf.upf[0]), 0);
	n4h_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pool_basic),
	    cmocka_unit_test(test_pool_exhaust_claim),
	    cmocka_unit_test(test_mp_parse),
	    cmocka_unit_test(test_mp_hostile),
	    cmocka_unit_test(test_mp_build),
	    cmocka_unit_test(test_bitrate),
	    cmocka_unit_test(test_builders),
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_pool6),
	    cmocka_unit_test(test_builders_v6),
	    cmocka_unit_test(test_n4_ue_ip),
	    cmocka_unit_test(test_pool_fifo),
	    cmocka_unit_test(test_n4_window),
	    cmocka_unit_test(test_n4_t1_jitter),
	    cmocka_unit_test(test_n4_quarantine_answer),
	    cmocka_unit_test(test_n4_quarantine_restart),
	    cmocka_unit_test(test_n4_sockbuf),
	    cmocka_unit_test(test_n4_quarantine_heartbeat_loss),
	    cmocka_unit_test(test_n4_quarantine_establishment),
	    cmocka_unit_test(test_n4_quarantine_bound),
	    cmocka_unit_test(test_n4_quarantine_establishment_answered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
