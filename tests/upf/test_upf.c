/*
 * sen-upf unit tests: packet rules (src/upf/context.c) and the fast path (src/upf/dp.c)
 * without a daemon. N6 is a SOCK_SEQPACKET socketpair (one packet per record, like a TUN),
 * N3 a UDP socket on 127.0.0.1 with a second one playing the gNB. IPv6 sessions: the /64
 * lookup, anti-spoofing, Router Solicitation -> Advertisement. The workers test runs the
 * data plane on 2 threads (src/upf/workers.c) over reuseport N3 sockets steered by TEID,
 * with rules changing and sessions deleted while traffic flows. The PFCP socket gets deep
 * buffers (bursts of requests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "context.h"
#include "core/err.h"
#include "core/hash.h"
#include "dp.h"
#include "gtpu/gtpu.h"

#include "n4.h"
#include "workers.h"

#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define UE_IP	 "10.45.0.2"
#define GNB_TEID 0x5001

static struct upf_ctx ctx;
static struct upf_dp dp;
static int n6[2], n3_fd, gnb_fd;
static struct sockaddr_in gnb_addr;
static struct upf_assoc *assoc;
static struct sen_pfcp_session_establishment_request est;
static struct sen_pfcp_session_modification_request mod;
static int dl_data_calls;

static void on_dl_data(void *arg, struct upf_sess *s, struct upf_pdr *p)
{
	(void)arg;
	(void)s;
	(void)p;
	dl_data_calls++;
}

static int setup(void **state)
{
	struct in_addr n3 = { htonl(0x7f000001) };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr = n3 };
	socklen_t al = sizeof(gnb_addr);
	struct sen_pfcp_node_id nid = { .type = SEN_PFCP_NODE_IPV4, .ipv4 = { 127, 0, 0, 1 } };
	bool created;

	(void)state;
	assert_int_equal(upf_ctx_init(&ctx, n3), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, n6), 0);
	n3_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	gnb_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_int_equal(bind(n3_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(bind(gnb_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(gnb_fd, (struct sockaddr *)&gnb_addr, &al), 0);
	assert_int_equal(upf_dp_init(&dp, &ctx, n3_fd, n6[0], n3, 1500), 0);
	dp.on_dl_data = on_dl_data;
	assoc = upf_assoc_get(&ctx, &nid, &created);
	assert_non_null(assoc);
	dl_data_calls = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	upf_dp_fini(&dp);
	upf_ctx_fini(&ctx);
	close(n6[0]);
	close(n6[1]);
	close(n3_fd);
	close(gnb_fd);
	return 0;
}

/* UL PDR 1 (CHOOSE, CHID 1, QFI 5, prec 100) and PDR 3 (CHID 1, any QFI, prec 200) share
 * a TEID; DL PDR 2 by UE IP; FAR 1 to core, FAR 2 to the gNB; QER 1 with QFI 5. */
static void build_est(void)
{
	memset(&est, 0, sizeof(est));
	est.node_id = assoc->node_id;
	est.cp_fseid.flags = SEN_PFCP_FSEID_V4;
	est.cp_fseid.seid = 0x77;
	inet_pton(AF_INET, "127.0.0.1", est.cp_fseid.ipv4);
	est.n_create_pdr = 3;
	for (int i = 0; i < 3; i++) {
		struct sen_pfcp_create_pdr *p = &est.create_pdr[i];
		p->pdr_id = (uint16_t)(i + 1);
		p->has_far_id = true;
		p->n_qer_id = 1;
		p->qer_id[0] = 1;
	}
	struct sen_pfcp_create_pdr *ul = &est.create_pdr[0], *dl = &est.create_pdr[1],
				   *ul2 = &est.create_pdr[2];
	ul->precedence = 100;
	ul->far_id = 1;
	ul->has_ohr = true;
	ul->pdi.source_interface = SEN_PFCP_IF_ACCESS;
	ul->pdi.has_local_fteid = true;
	ul->pdi.local_fteid.flags = SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_CHID | SEN_PFCP_FTEID_V4;
	ul->pdi.local_fteid.choose_id = 1;
	ul->pdi.n_qfi = 1;
	ul->pdi.qfi[0] = 5;
	ul->pdi.n_ue_ip = 1;
	ul->pdi.ue_ip[0].flags = SEN_PFCP_UEIP_V4;
	inet_pton(AF_INET, UE_IP, ul->pdi.ue_ip[0].ipv4);
	*ul2 = *ul;
	ul2->pdr_id = 3;
	ul2->precedence = 200;
	ul2->pdi.n_qfi = 0;
	dl->precedence = 100;
	dl->far_id = 2;
	dl->pdi.source_interface = SEN_PFCP_IF_CORE;
	dl->pdi.n_ue_ip = 1;
	dl->pdi.ue_ip[0].flags = SEN_PFCP_UEIP_V4 | SEN_PFCP_UEIP_SD;
	inet_pton(AF_INET, UE_IP, dl->pdi.ue_ip[0].ipv4);
	est.n_create_far = 2;
	est.create_far[0].far_id = 1;
	est.create_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
	est.create_far[0].has_fwd = true;
	est.create_far[0].fwd.destination_interface = SEN_PFCP_IF_CORE;
	est.create_far[1].far_id = 2;
	est.create_far[1].apply_action.bits = SEN_PFCP_AA_FORW;
	est.create_far[1].has_fwd = true;
	est.create_far[1].fwd.destination_interface = SEN_PFCP_IF_ACCESS;
	est.create_far[1].fwd.has_ohc = true;
	est.create_far[1].fwd.ohc.desc = SEN_PFCP_OHC_GTPU_UDP_IPV4;
	est.create_far[1].fwd.ohc.teid = GNB_TEID;
	memcpy(est.create_far[1].fwd.ohc.ipv4, &gnb_addr.sin_addr, 4);
	est.n_create_qer = 1;
	est.create_qer[0].qer_id = 1;
	est.create_qer[0].has_qfi = true;
	est.create_qer[0].qfi = 5;
}

static struct upf_sess *establish(void)
{
	struct upf_fail f;

	build_est();
	struct upf_sess *s = upf_sess_create(&ctx, assoc, &est, &f);
	assert_non_null(s);
	return s;
}

/* An IPv4 packet of `len` octets from src to dst. */
static size_t ip_packet(uint8_t *p, size_t len, const char *src, const char *dst)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, src, p + 12);
	inet_pton(AF_INET, dst, p + 16);
	return len;
}

/* Build a G-PDU in buf (UPF_HEADROOM in front is free); returns its start. */
static uint8_t *gpdu(uint8_t *buf, size_t *len, uint32_t teid, int qfi, const char *src)
{
	uint8_t *ip = buf + UPF_HEADROOM + 16;
	size_t n = ip_packet(ip, 100, src, "10.99.6.2");
	uint8_t *h = sen_gtpu_push_gpdu(ip, UPF_HEADROOM + 16, n, teid,
					qfi < 0 ? -1 : SEN_GTPU_PSC_UL, (uint8_t)(qfi < 0 ? 0 : qfi),
					false);
	*len = (size_t)(ip + n - h);
	return h;
}

static ssize_t n6_read(uint8_t *out, size_t cap)
{
	return recv(n6[1], out, cap, MSG_DONTWAIT);
}

static void test_choose_and_chain(void **state)
{
	(void)state;
	struct upf_sess *s = establish();
	assert_int_equal(s->r.n_pdr, 3);
	/* TS 29.244 5.5.3: one Choose ID, one F-TEID. */
	assert_true(s->r.pdr[0].has_teid);
	assert_int_equal(s->r.pdr[0].teid, s->r.pdr[2].teid);
	struct upf_pdr *head = sen_hash_get_u64(ctx.ul_by_teid, s->r.pdr[0].teid);
	assert_ptr_equal(head, &s->r.pdr[0]); /* lower precedence value first */
	assert_ptr_equal(upf_pdr_match_qfi(head, 5), &s->r.pdr[0]);
	assert_ptr_equal(upf_pdr_match_qfi(head, 7), &s->r.pdr[2]);
	struct sen_pfcp_created_pdr c[4];
	uint16_t ids[] = { 1, 3 };
	assert_int_equal(upf_sess_created_pdrs(&ctx, s, ids, 2, c, 4), 2);
	assert_int_equal(c[0].local_fteid.teid, s->r.pdr[0].teid);
}

static void test_ul_forward(void **state)
{
	(void)state;
	struct upf_sess *s = establish();
	uint8_t buf[2048], out[2048];
	size_t len;
	uint8_t *p = gpdu(buf, &len, s->r.pdr[0].teid, 5, UE_IP);

	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 1);
	assert_int_equal(n6_read(out, sizeof(out)), 100);
	assert_memory_equal(out, p + 16, 100);
	assert_int_equal(s->r.pdr[0].pkts, 1);
	assert_int_equal(s->r.n_urr, 0); /* no URR: the PDR counts */
	assert_int_equal(s->r.pdr[0].bytes, 100);
	/* Other QFI: the catch-all PDR 3 of the same TEID. */
	p = gpdu(buf, &len, s->r.pdr[0].teid, 7, UE_IP);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 1);
	assert_int_equal(s->r.pdr[2].pkts, 1);
	/* No container at all. */
	p = gpdu(buf, &len, s->r.pdr[0].teid, -1, UE_IP);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 1);
	/* Spoofed source address: dropped. */
	p = gpdu(buf, &len, s->r.pdr[0].teid, 5, "10.45.0.99");
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	assert_int_equal(dp.st.ul_drop, 1);
}

static void test_unknown_teid_error_indication(void **state)
{
	(void)state;
	uint8_t buf[2048], rx[256];
	size_t len;
	struct sockaddr_in from = gnb_addr;
	uint8_t *p = gpdu(buf, &len, 0xabcdef, 5, UE_IP);

	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &from), 0);
	struct pollfd pf = { .fd = gnb_fd, .events = POLLIN };
	assert_int_equal(poll(&pf, 1, 1000), 1);
	ssize_t n = recv(gnb_fd, rx, sizeof(rx), 0);
	struct sen_gtpu_msg m;
	assert_true(n > 0);
	assert_true(sen_gtpu_decode(rx, (size_t)n, &m, NULL) > 0);
	assert_int_equal(m.type, SEN_GTPU_ERROR_INDICATION);
	assert_int_equal(m.teid_data_i, 0xabcdef);
	assert_int_equal(m.peer_addr_len, 4);
	/* Malformed G-PDUs are dropped silently. */
	assert_int_equal(upf_dp_ul_packet(&dp, p, 5, &from), 0);
	p[3] = 0xff;
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &from), 0);
	assert_int_equal(recv(gnb_fd, rx, sizeof(rx), MSG_DONTWAIT), -1);
}

static void test_dl_encap(void **state)
{
	(void)state;
	establish();
	uint8_t buf[2048], *out;
	size_t out_len;
	const struct sockaddr_in *to;
	uint8_t *ip = buf + UPF_HEADROOM;
	size_t n = ip_packet(ip, 200, "10.99.6.2", UE_IP);

	assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &out, &out_len, &to), 1);
	assert_int_equal(out_len, 216);
	assert_int_equal(to->sin_addr.s_addr, gnb_addr.sin_addr.s_addr);
	assert_int_equal(ntohs(to->sin_port), 2152);
	struct sen_gtpu_gpdu g;
	assert_int_equal(sen_gtpu_parse_gpdu(out, out_len, &g), 0);
	assert_int_equal(g.teid, GNB_TEID);
	assert_true(g.has_psc);
	assert_int_equal(g.qfi, 5);
	assert_int_equal(out[13] >> 4, SEN_GTPU_PSC_DL);
	/* Unknown UE: dropped. */
	n = ip_packet(ip, 200, "10.99.6.2", "10.45.9.9");
	assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &out, &out_len, &to), 0);
	/* Not IPv4: dropped. */
	ip[0] = 0x60;
	assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &out, &out_len, &to), 0);
}

static void test_gate_and_mbr(void **state)
{
	(void)state;
	struct upf_sess *s = establish();
	uint8_t buf[2048], *out;
	size_t out_len;
	const struct sockaddr_in *to;
	uint8_t *ip = buf + UPF_HEADROOM;

	memset(&mod, 0, sizeof(mod));
	mod.n_update_qer = 1;
	mod.update_qer[0].qer_id = 1;
	mod.update_qer[0].has_gate_status = true;
	mod.update_qer[0].gate_status = SEN_PFCP_GATE(false, true);
	struct upf_fail f;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	size_t n = ip_packet(ip, 200, "10.99.6.2", UE_IP);
	assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &out, &out_len, &to), 0);
	/* Open, with an MBR of 8 kbit/s: the 64 KiB bucket passes ~65 packets of 1000. */
	mod.update_qer[0].gate_status = SEN_PFCP_GATE(false, false);
	mod.update_qer[0].has_mbr = true;
	mod.update_qer[0].mbr.ul = 8;
	mod.update_qer[0].mbr.dl = 8;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	int passed = 0;
	for (int i = 0; i < 100; i++) {
		n = ip_packet(ip, 1000, "10.99.6.2", UE_IP);
		passed += upf_dp_dl_packet(&dp, ip, n, &out, &out_len, &to);
	}
	assert_in_range(passed, 60, 70);
}

static void test_modify_all_or_nothing(void **state)
{
	(void)state;
	struct upf_sess *s = establish();
	uint32_t teid = s->r.pdr[0].teid;
	struct upf_fail f;

	/* Remove PDR 1 and update a FAR that does not exist: rejected as a whole. */
	memset(&mod, 0, sizeof(mod));
	mod.n_remove_pdr = 1;
	mod.remove_pdr[0].id = 1;
	mod.n_update_far = 1;
	mod.update_far[0].far_id = 99;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), -1);
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE);
	assert_int_equal(s->r.n_pdr, 3);
	assert_ptr_equal(sen_hash_get_u64(ctx.ul_by_teid, teid), &s->r.pdr[0]);
	/* Removing the FAR a PDR uses: rejected too. */
	memset(&mod, 0, sizeof(mod));
	mod.n_remove_far = 1;
	mod.remove_far[0].id = 2;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), -1);
	/* Remove PDRs 1 and 3: the TEID is no longer found; pointers stay valid. */
	memset(&mod, 0, sizeof(mod));
	mod.n_remove_pdr = 2;
	mod.remove_pdr[0].id = 1;
	mod.remove_pdr[1].id = 3;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	assert_null(sen_hash_get_u64(ctx.ul_by_teid, teid));
	assert_int_equal(s->r.n_pdr, 1);
	uint32_t ue;
	inet_pton(AF_INET, UE_IP, &ue);
	assert_ptr_equal(sen_hash_get_u64(ctx.dl_by_ueip, ue), &s->r.pdr[0]);
	/* Delete: nothing left in the tables. */
	upf_sess_del(&ctx, s);
	assert_null(sen_hash_get_u64(ctx.dl_by_ueip, ue));
	assert_int_equal(ctx.n_sess, 0);
}

/* Issue #8: a session's rule arrays are sized to it (not 16 PDR / 16 FAR / 8 QER / 8 URR
 * inline); a modification that creates rules grows them, one that fails leaves them as
 * they were, and the limits stay. */
static void test_rules_sized(void **state)
{
	(void)state;
	struct upf_sess *s = establish();
	struct upf_pdr *pdr0;
	struct upf_fail f;
	uint32_t teid;

	assert_true(sizeof(struct upf_sess) < 256);
	assert_int_equal(s->r.cap_pdr, 3);
	assert_int_equal(s->r.cap_far, 2);
	assert_int_equal(s->r.cap_qer, 1);
	assert_int_equal(s->r.cap_urr, 0);
	teid = s->r.pdr[0].teid;
	pdr0 = s->r.pdr;
	/* create URR 1 and PDR 4 (with a bad FAR): refused, nothing changed */
	memset(&mod, 0, sizeof(mod));
	mod.n_create_urr = 1;
	mod.create_urr[0].urr_id = 1;
	mod.n_create_pdr = 1;
	mod.create_pdr[0] = est.create_pdr[1];
	mod.create_pdr[0].pdr_id = 4;
	mod.create_pdr[0].far_id = 99;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), -1);
	assert_ptr_equal(s->r.pdr, pdr0);
	assert_int_equal(s->r.cap_pdr, 3);
	assert_int_equal(s->r.n_urr, 0);
	assert_ptr_equal(sen_hash_get_u64(ctx.ul_by_teid, teid), &s->r.pdr[0]);
	/* the same with FAR 2 and another UE address: accepted, the arrays grow */
	mod.create_pdr[0].far_id = 2;
	inet_pton(AF_INET, "10.45.0.3", mod.create_pdr[0].pdi.ue_ip[0].ipv4);
	mod.create_pdr[0].n_urr_id = 1;
	mod.create_pdr[0].urr_id[0] = 1;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	assert_int_equal(s->r.n_pdr, 4);
	assert_true(s->r.cap_pdr >= 4);
	assert_int_equal(s->r.n_urr, 1);
	assert_ptr_equal(s->r.pdr[3].urr, &s->r.urr[0]);
	assert_ptr_equal(s->r.pdr[3].far, &s->r.far[1]);
	assert_ptr_equal(sen_hash_get_u64(ctx.ul_by_teid, teid), &s->r.pdr[0]);
	uint32_t ue3;
	inet_pton(AF_INET, "10.45.0.3", &ue3);
	assert_ptr_equal(sen_hash_get_u64(ctx.dl_by_ueip, ue3), &s->r.pdr[3]);
	/* the limit: UPF_MAX_PDR PDRs in all */
	memset(&mod, 0, sizeof(mod));
	mod.n_create_pdr = UPF_MAX_PDR - 4 + 1;
	for (unsigned k = 0; k < mod.n_create_pdr; k++) {
		mod.create_pdr[k] = est.create_pdr[1];
		mod.create_pdr[k].pdr_id = (uint16_t)(10 + k);
		mod.create_pdr[k].pdi.ue_ip[0].ipv4[3] = (uint8_t)(100 + k);
	}
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), -1);
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE);
	assert_int_equal(s->r.n_pdr, 4);
	mod.n_create_pdr--;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	assert_int_equal(s->r.n_pdr, UPF_MAX_PDR);
	upf_sess_del(&ctx, s);
	assert_int_equal(ctx.n_sess, 0);
}

static void test_duplicate_ue_ip(void **state)
{
	(void)state;
	struct upf_fail f;

	establish();
	build_est();
	assert_null(upf_sess_create(&ctx, assoc, &est, &f));
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE);
	assert_int_equal(ctx.n_sess, 1);
	/* A PDR without FAR ID: conditional IE missing. */
	build_est();
	inet_pton(AF_INET, "10.45.0.3", est.create_pdr[1].pdi.ue_ip[0].ipv4);
	est.create_pdr[1].has_far_id = false;
	assert_null(upf_sess_create(&ctx, assoc, &est, &f));
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_CONDITIONAL_IE_MISSING);
	assert_int_equal(f.offending_ie, SEN_PFCP_IE_FAR_ID);
	/* UE IP allocation by the UPF is not offered. */
	build_est();
	est.create_pdr[1].pdi.ue_ip[0].flags = SEN_PFCP_UEIP_CHV4;
	assert_null(upf_sess_create(&ctx, assoc, &est, &f));
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED);
}

static void test_buffering(void **state)
{
	(void)state;
	struct upf_sess *s = establish();
	uint8_t buf[2048], *out;
	size_t out_len;
	const struct sockaddr_in *to;
	uint8_t *ip = buf + UPF_HEADROOM;
	struct upf_fail f;

	memset(&mod, 0, sizeof(mod));
	mod.n_update_far = 1;
	mod.update_far[0].far_id = 2;
	mod.update_far[0].has_apply_action = true;
	mod.update_far[0].apply_action.bits = SEN_PFCP_AA_BUFF | SEN_PFCP_AA_NOCP;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	for (int i = 0; i < UPF_DL_BUFFER + 4; i++) {
		size_t n = ip_packet(ip, 120, "10.99.6.2", UE_IP);
		assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &out, &out_len, &to), 0);
	}
	assert_int_equal(dl_data_calls, 1); /* one report per buffering period */
	struct upf_far *far = &s->r.far[1];
	assert_int_equal(far->n_buf, UPF_DL_BUFFER);
	mod.update_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
	assert_int_equal(upf_sess_modify(&ctx, s, &mod, &f, NULL, NULL), 0);
	upf_dp_far_flush(&dp, &s->r.pdr[1]);
	assert_null(s->r.far[1].buf_head);
	/* Sent to the FAR's peer (port 2152, nobody there in this test): counted as sent. */
	assert_int_equal(dp.total.dl_pkts, UPF_DL_BUFFER);
	assert_int_equal(s->r.far[1].n_buf, 0);
}

/* ---- IPv6 PDU sessions ---- */

#define UE_PFX "2001:db8:cafe:1::" /* the session's /64, interface identifier 0 */

/* The session of build_est() with the /64 in every PDI next to the IPv4 address (one UE
 * IP Address IE with V4 and V6, as the SMF sends for IPv4v6). */
static struct upf_sess *establish6(void)
{
	struct upf_fail f;

	build_est();
	for (int i = 0; i < 3; i++) {
		struct sen_pfcp_ue_ip *u = &est.create_pdr[i].pdi.ue_ip[0];
		u->flags |= SEN_PFCP_UEIP_V6;
		inet_pton(AF_INET6, UE_PFX, u->ipv6);
	}
	struct upf_sess *s = upf_sess_create(&ctx, assoc, &est, &f);
	assert_non_null(s);
	/* The FAR sends to port 2152 (TS 29.281 4.4.2.3); here the gNB has another port. */
	s->r.far[1].peer.sin_port = gnb_addr.sin_port;
	return s;
}

static uint16_t csum6(const uint8_t *ip, const uint8_t *m, size_t len)
{
	uint32_t sum = (uint32_t)len + 58;

	for (int i = 8; i < 40; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(m[i] << 8 | m[i + 1]);
	if (len & 1)
		sum += (uint32_t)m[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv6 packet of 40 + plen octets (next header nh, hop limit hl). */
static size_t ip6_packet(uint8_t *p, size_t plen, const char *src, const char *dst, uint8_t nh,
			 uint8_t hl)
{
	memset(p, 0, 40 + plen);
	p[0] = 0x60;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = nh;
	p[7] = hl;
	inet_pton(AF_INET6, src, p + 8);
	inet_pton(AF_INET6, dst, p + 24);
	return 40 + plen;
}

/* A Router Solicitation (RFC 4861 4.1), with a Source Link-Layer Address option if asked. */
static size_t rs_packet(uint8_t *p, const char *src, uint8_t hl, bool sllao)
{
	size_t n = ip6_packet(p, sllao ? 16 : 8, src, "ff02::2", 58, hl);
	uint8_t *m = p + 40;

	m[0] = 133;
	if (sllao) {
		m[8] = 1;
		m[9] = 1;
	}
	uint16_t c = csum6(p, m, n - 40);
	m[2] = (uint8_t)(c >> 8);
	m[3] = (uint8_t)c;
	return n;
}

/* Wrap ip[n] (already at buf + UPF_HEADROOM + 16) in a G-PDU; returns its start. */
static uint8_t *encap(uint8_t *buf, size_t n, uint32_t teid, int qfi, size_t *len)
{
	uint8_t *ip = buf + UPF_HEADROOM + 16;
	uint8_t *h = sen_gtpu_push_gpdu(ip, UPF_HEADROOM + 16, n, teid,
					qfi < 0 ? -1 : SEN_GTPU_PSC_UL, (uint8_t)(qfi < 0 ? 0 : qfi),
					false);
	*len = (size_t)(ip + n - h);
	return h;
}

/* The next G-PDU the gNB socket receives within 1 s: its inner packet in out (length). */
static ssize_t gnb_recv_gpdu(uint8_t *out, size_t cap, struct sen_gtpu_gpdu *g)
{
	uint8_t rx[2048];
	struct pollfd pf = { .fd = gnb_fd, .events = POLLIN };

	while (poll(&pf, 1, 1000) == 1) {
		ssize_t n = recv(gnb_fd, rx, sizeof(rx), 0);
		if (n > 0 && sen_gtpu_parse_gpdu(rx, (size_t)n, g) == 0) {
			if (g->payload_len > cap)
				return -1;
			memcpy(out, rx + g->payload_off, g->payload_len);
			return g->payload_len;
		}
	}
	return -1;
}

static void test_ipv6_forward(void **state)
{
	(void)state;
	struct upf_sess *s = establish6();
	uint8_t buf[2048], out[2048], pfx[16], *o;
	size_t len, out_len;
	const struct sockaddr_in *to;

	inet_pton(AF_INET6, UE_PFX, pfx);
	uint64_t key;
	memcpy(&key, pfx, 8);
	assert_ptr_equal(sen_hash_get_u64(ctx.dl_by_ueip6, key), &s->r.pdr[1]);
	assert_true(s->r.pdr[0].has_ue_ip && s->r.pdr[0].has_ue_ip6);
	/* UL from an address of the /64 (any interface identifier): to N6. */
	uint8_t *ip = buf + UPF_HEADROOM + 16;
	size_t n = ip6_packet(ip, 60, "2001:db8:cafe:1:aa:bb:cc:dd", "2001:db8:99::2", 17, 64);
	uint8_t *p = encap(buf, n, s->r.pdr[0].teid, 5, &len);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 1);
	assert_int_equal(n6_read(out, sizeof(out)), 100);
	assert_memory_equal(out, ip, 100);
	/* Anti-spoofing by /64: another prefix, a link-local source, a multicast destination. */
	const char *bad[][2] = { { "2001:db8:cafe:2::1", "2001:db8:99::2" },
				 { "fe80::1234", "2001:db8:99::2" },
				 { "2001:db8:cafe:1::5", "ff02::1" },
				 { "2001:db8:cafe:1::5", "fe80::1" } };
	for (unsigned i = 0; i < 4; i++) {
		n = ip6_packet(ip, 60, bad[i][0], bad[i][1], 17, 64);
		p = encap(buf, n, s->r.pdr[0].teid, 5, &len);
		assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	}
	assert_int_equal(dp.st.ul_drop, 4);
	assert_int_equal(n6_read(out, sizeof(out)), -1);
	/* IPv4 from the session's address still passes; a truncated IPv6 header does not. */
	p = gpdu(buf, &len, s->r.pdr[0].teid, 5, UE_IP);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 1);
	n = ip6_packet(ip, 60, "2001:db8:cafe:1::5", "2001:db8:99::2", 17, 64);
	p = encap(buf, 30, s->r.pdr[0].teid, 5, &len);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	/* DL to the /64: encapsulated with the QFI; another /64 is dropped. */
	ip = buf + UPF_HEADROOM;
	n = ip6_packet(ip, 100, "2001:db8:99::2", "2001:db8:cafe:1:1:2:3:4", 17, 63);
	assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &o, &out_len, &to), 1);
	assert_int_equal(out_len, n + 16);
	struct sen_gtpu_gpdu g;
	assert_int_equal(sen_gtpu_parse_gpdu(o, out_len, &g), 0);
	assert_int_equal(g.teid, GNB_TEID);
	assert_int_equal(g.qfi, 5);
	n = ip6_packet(ip, 100, "2001:db8:99::2", "2001:db8:cafe:2::4", 17, 63);
	assert_int_equal(upf_dp_dl_packet(&dp, ip, n, &o, &out_len, &to), 0);
	n = ip6_packet(ip, 100, "2001:db8:99::2", "2001:db8:cafe:1::4", 17, 63);
	assert_int_equal(upf_dp_dl_packet(&dp, ip, 39, &o, &out_len, &to), 0);
	/* Deleted: the /64 is gone from the table. */
	upf_sess_del(&ctx, s);
	assert_null(sen_hash_get_u64(ctx.dl_by_ueip6, key));
}

/* Check a Router Advertisement (RFC 4861 4.2) for UE_PFX sent to `dst`. */
static void check_ra(const uint8_t *ra, size_t n, const char *dst)
{
	uint8_t a[16], pfx[16];

	assert_true(n >= 40 + 16 + 32);
	assert_int_equal(ra[0] >> 4, 6);
	assert_int_equal(ra[6], 58);
	assert_int_equal(ra[7], 255);
	assert_int_equal((size_t)(ra[4] << 8 | ra[5]) + 40, n);
	inet_pton(AF_INET6, "fe80::1", a);
	assert_memory_equal(ra + 8, a, 16);
	inet_pton(AF_INET6, dst, a);
	assert_memory_equal(ra + 24, a, 16);
	const uint8_t *m = ra + 40;
	assert_int_equal(m[0], 134);
	assert_int_equal(m[1], 0);
	assert_int_equal(csum6(ra, m, n - 40), 0);
	assert_true((m[6] << 8 | m[7]) > 0); /* a default router */
	bool pio = false, mtu = false;
	inet_pton(AF_INET6, UE_PFX, pfx);
	for (size_t off = 16; off + 8 <= n - 40; off += m[off + 1] * 8u) {
		assert_true(m[off + 1] > 0);
		if (m[off] == 3) {
			assert_int_equal(m[off + 1], 4);
			assert_int_equal(m[off + 2], 64);
			assert_int_equal(m[off + 3], 0x40); /* L = 0, A = 1 */
			assert_memory_equal(m + off + 16, pfx, 16);
			pio = true;
		} else if (m[off] == 5) {
			assert_int_equal(m[off + 4] << 24 | m[off + 5] << 16 | m[off + 6] << 8 |
					     m[off + 7],
					 1500);
			mtu = true;
		}
	}
	assert_true(pio && mtu);
}

static void test_ipv6_router_solicitation(void **state)
{
	(void)state;
	struct upf_sess *s = establish6();
	uint8_t buf[2048], ra[2048];
	uint8_t *ip = buf + UPF_HEADROOM + 16;
	size_t len;
	struct sen_gtpu_gpdu g;

	/* A valid RS from the UE's link-local address: an RA down the session. */
	size_t n = rs_packet(ip, "fe80::abcd", 255, true);
	uint8_t *p = encap(buf, n, s->r.pdr[0].teid, 5, &len);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	ssize_t k = gnb_recv_gpdu(ra, sizeof(ra), &g);
	assert_true(k > 0);
	assert_int_equal(g.teid, GNB_TEID);
	assert_true(g.has_psc);
	assert_int_equal(g.qfi, 5);
	check_ra(ra, (size_t)k, "fe80::abcd");
	assert_int_equal(dp.st.ra, 1);
	/* From the unspecified address (no SLLAO allowed): to all-nodes. */
	n = rs_packet(ip, "::", 255, false);
	p = encap(buf, n, s->r.pdr[0].teid, 5, &len);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	k = gnb_recv_gpdu(ra, sizeof(ra), &g);
	assert_true(k > 0);
	check_ra(ra, (size_t)k, "ff02::1");
	/* RFC 4861 6.1.1: invalid ones are dropped without an answer. */
	struct {
		const char *src;
		uint8_t hl;
		bool sllao;
		int corrupt; /* 0 none, 1 checksum, 2 code, 3 option length 0, 4 ICMP length */
	} bad[] = { { "fe80::abcd", 64, false, 0 }, { "fe80::abcd", 255, false, 1 },
		    { "fe80::abcd", 255, false, 2 }, { "::", 255, true, 0 },
		    { "fe80::abcd", 255, true, 3 },  { "fe80::abcd", 255, true, 4 } };
	uint64_t drops = dp.st.ul_drop;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = rs_packet(ip, bad[i].src, bad[i].hl, bad[i].sllao);
		if (bad[i].corrupt == 1)
			ip[42] ^= 0x55;
		else if (bad[i].corrupt == 2)
			ip[41] = 1;
		else if (bad[i].corrupt == 3)
			ip[49] = 0;
		else if (bad[i].corrupt == 4)
			ip[5] = 200; /* payload length past the packet */
		p = encap(buf, n, s->r.pdr[0].teid, 5, &len);
		assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	}
	assert_int_equal(dp.st.ul_drop - drops, sizeof(bad) / sizeof(bad[0]));
	assert_int_equal(recv(gnb_fd, ra, sizeof(ra), MSG_DONTWAIT), -1);
	assert_int_equal(dp.st.ra, 2);
	/* The RA itself, directly. */
	uint8_t pfx[16];
	inet_pton(AF_INET6, UE_PFX, pfx);
	assert_int_equal(upf_dp_build_ra(&dp, pfx, pfx, ra, 50), 0);
}

static void test_ipv6_rules(void **state)
{
	(void)state;
	struct upf_fail f;

	/* A v4-only session's UL PDR drops IPv6, RS included (no prefix to advertise). */
	struct upf_sess *s = establish();
	uint8_t buf[2048];
	size_t len, n = rs_packet(buf + UPF_HEADROOM + 16, "fe80::abcd", 255, false);
	uint8_t *p = encap(buf, n, s->r.pdr[0].teid, 5, &len);
	assert_int_equal(upf_dp_ul_packet(&dp, p, len, &gnb_addr), 0);
	assert_int_equal(dp.st.ra, 0);
	upf_sess_del(&ctx, s);
	/* The same /64 in another session: cause 73 (IPv4 differs, so only the prefix
	 * clashes). */
	establish6();
	build_est();
	for (int i = 0; i < 3; i++) {
		struct sen_pfcp_ue_ip *u = &est.create_pdr[i].pdi.ue_ip[0];
		inet_pton(AF_INET, "10.45.0.77", u->ipv4);
		u->flags |= SEN_PFCP_UEIP_V6;
		inet_pton(AF_INET6, "2001:db8:cafe:1::", u->ipv6);
	}
	assert_null(upf_sess_create(&ctx, assoc, &est, &f));
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE);
	assert_int_equal(f.offending_ie, SEN_PFCP_IE_UE_IP_ADDRESS);
	/* An IPv6-only session (V6 without V4) with another /64 is fine. */
	for (int i = 0; i < 3; i++) {
		struct sen_pfcp_ue_ip *u = &est.create_pdr[i].pdi.ue_ip[0];
		u->flags &= (uint8_t)~SEN_PFCP_UEIP_V4;
		inet_pton(AF_INET6, "2001:db8:cafe:2::", u->ipv6);
	}
	s = upf_sess_create(&ctx, assoc, &est, &f);
	assert_non_null(s);
	assert_false(s->r.pdr[1].has_ue_ip);
	/* Prefix delegation is not offered: 76; a link-local "prefix" is refused. */
	build_est();
	est.create_pdr[1].pdi.ue_ip[0].flags = SEN_PFCP_UEIP_V6 | SEN_PFCP_UEIP_SD |
					       SEN_PFCP_UEIP_IPV6D;
	inet_pton(AF_INET6, "2001:db8:cafe:3::", est.create_pdr[1].pdi.ue_ip[0].ipv6);
	assert_null(upf_sess_create(&ctx, assoc, &est, &f));
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED);
	est.create_pdr[1].pdi.ue_ip[0].flags = SEN_PFCP_UEIP_V6 | SEN_PFCP_UEIP_SD;
	inet_pton(AF_INET6, "fe80::", est.create_pdr[1].pdi.ue_ip[0].ipv6);
	assert_null(upf_sess_create(&ctx, assoc, &est, &f));
	assert_int_equal(f.cause, SEN_PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(ctx.n_sess, 2);
}

/* ---- data plane on worker threads ---- */

#define W_MAIN	     64 /* sessions that keep forwarding */
#define W_CHURN	     16 /* sessions deleted and re-created while traffic flows */
#define W_PKTS	     20 /* per main session and direction, in the counted phase */
#define W_CHURN_TEID 0x9000

static struct upf_sess *w_sess[W_MAIN + W_CHURN];
static uint32_t w_teid[W_MAIN + W_CHURN];
static int w_tun[2][2];
static int w_stop;	    /* __atomic */
static unsigned w_rounds; /* writer rounds done (read after the join) */

static uint32_t w_ue(unsigned i) /* 10.46.0.0 + i + 1 */
{
	return htonl(0x0a2e0001u + i);
}

/* Session i: UL PDR with CHOOSE (main) or a fixed TEID (churn, so that it comes back the
 * same), DL PDR by UE IP, FARs to N6 and to the gNB (port 2152 of `gnb`), URR 1 on both. */
static struct upf_sess *w_create(unsigned i, struct in_addr gnb)
{
	static struct sen_pfcp_session_establishment_request r;
	struct upf_fail f;

	memset(&r, 0, sizeof(r));
	r.node_id = assoc->node_id;
	r.cp_fseid.flags = SEN_PFCP_FSEID_V4;
	r.cp_fseid.seid = i + 1;
	r.n_create_pdr = 2;
	for (int k = 0; k < 2; k++) {
		struct sen_pfcp_create_pdr *p = &r.create_pdr[k];
		p->pdr_id = (uint16_t)(k + 1);
		p->precedence = 100;
		p->has_far_id = true;
		p->far_id = (uint32_t)(k + 1);
		p->n_urr_id = 1;
		p->urr_id[0] = 1;
		p->n_qer_id = 1;
		p->qer_id[0] = 1;
	}
	struct sen_pfcp_pdi *ul = &r.create_pdr[0].pdi, *dl = &r.create_pdr[1].pdi;
	ul->source_interface = SEN_PFCP_IF_ACCESS;
	ul->has_local_fteid = true;
	if (i < W_MAIN) {
		ul->local_fteid.flags = SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_V4;
	} else {
		ul->local_fteid.flags = SEN_PFCP_FTEID_V4;
		ul->local_fteid.teid = W_CHURN_TEID + i;
	}
	r.create_pdr[0].has_ohr = true;
	dl->source_interface = SEN_PFCP_IF_CORE;
	dl->n_ue_ip = 1;
	dl->ue_ip[0].flags = SEN_PFCP_UEIP_V4 | SEN_PFCP_UEIP_SD;
	uint32_t ue = w_ue(i);
	memcpy(dl->ue_ip[0].ipv4, &ue, 4);
	r.n_create_far = 2;
	r.create_far[0].far_id = 1;
	r.create_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
	r.create_far[0].has_fwd = true;
	r.create_far[0].fwd.destination_interface = SEN_PFCP_IF_CORE;
	r.create_far[1].far_id = 2;
	r.create_far[1].apply_action.bits = SEN_PFCP_AA_FORW;
	r.create_far[1].has_fwd = true;
	r.create_far[1].fwd.destination_interface = SEN_PFCP_IF_ACCESS;
	r.create_far[1].fwd.has_ohc = true;
	r.create_far[1].fwd.ohc.desc = SEN_PFCP_OHC_GTPU_UDP_IPV4;
	r.create_far[1].fwd.ohc.teid = 0x100000 + i;
	memcpy(r.create_far[1].fwd.ohc.ipv4, &gnb, 4);
	r.n_create_qer = 1;
	r.create_qer[0].qer_id = 1;
	r.create_qer[0].has_qfi = true;
	r.create_qer[0].qfi = 9;
	r.n_create_urr = 1;
	r.create_urr[0].urr_id = 1;
	struct upf_sess *s = upf_sess_create(&ctx, assoc, &r, &f);
	assert_non_null(s);
	return s;
}

/* The "PFCP thread": under the writer lock, modify the main sessions (FAR and QER updates
 * that keep them forwarding, with an MBR so that the token buckets are shared) and delete
 * and re-create the churn sessions, until told to stop. */
static void *w_writer(void *arg)
{
	static struct sen_pfcp_session_modification_request m;
	struct in_addr gnb = *(struct in_addr *)arg;
	struct upf_fail f;
	unsigned round = 0;

	while (!__atomic_load_n(&w_stop, __ATOMIC_RELAXED)) {
		unsigned i = round % W_MAIN, c = W_MAIN + round % W_CHURN;
		memset(&m, 0, sizeof(m));
		m.n_update_far = 1;
		m.update_far[0].far_id = 2;
		m.update_far[0].has_apply_action = true;
		m.update_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
		m.n_update_qer = 1;
		m.update_qer[0].qer_id = 1;
		m.update_qer[0].has_gate_status = true;
		m.update_qer[0].has_mbr = true;
		m.update_qer[0].mbr.ul = m.update_qer[0].mbr.dl = 1000000; /* 1 Gbit/s */
		upf_ctx_wrlock(&ctx);
		int rc = upf_sess_modify(&ctx, w_sess[i], &m, &f, NULL, NULL);
		if (w_sess[c]) {
			upf_sess_del(&ctx, w_sess[c]);
			w_sess[c] = NULL;
		} else {
			w_sess[c] = w_create(c, gnb);
		}
		upf_ctx_wrunlock(&ctx);
		if (rc != 0)
			fail_msg("modification failed: %s", f.why);
		round++;
		w_rounds = round;
		struct timespec ts = { 0, 200000 };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Read what reached N6 (the two TUN queues) and the gNB; count per main session. */
static void w_drain(unsigned *ul_rx, unsigned *dl_rx, unsigned *per_q, int sink)
{
	uint8_t b[2048];
	ssize_t n;

	for (int q = 0; q < 2; q++)
		while ((n = recv(w_tun[q][1], b, sizeof(b), MSG_DONTWAIT)) >= 20) {
			uint32_t src;
			memcpy(&src, b + 12, 4);
			unsigned i = ntohl(src) - ntohl(w_ue(0));
			if (i < W_MAIN) {
				ul_rx[i]++;
				per_q[q]++;
				/* TEID steering: session i's uplink is on worker TEID mod 2. */
				if (w_teid[i] % 2 != (unsigned)q)
					fail_msg("TEID 0x%x on queue %d", w_teid[i], q);
			}
		}
	while ((n = recv(sink, b, sizeof(b), MSG_DONTWAIT)) > 0) {
		struct sen_gtpu_gpdu g;
		if (sen_gtpu_parse_gpdu(b, (size_t)n, &g) == 0 && g.teid - 0x100000 < W_MAIN)
			dl_rx[g.teid - 0x100000]++;
	}
}

/* Send one UL G-PDU for session i (from the gNB) and one DL packet (into TUN queue q). */
static void w_send(unsigned i, int q, int gnb, const struct sockaddr_in *n3)
{
	uint8_t buf[512], ip[128];
	size_t len;
	struct in_addr ue = { w_ue(i) };
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &ue, a, sizeof(a));
	uint8_t *p = gpdu(buf, &len, w_teid[i], 9, a);
	sendto(gnb, p, len, 0, (const struct sockaddr *)n3, sizeof(*n3));
	ip_packet(ip, 100, "10.99.6.2", a);
	send(w_tun[q][1], ip, 100, MSG_DONTWAIT);
}

/* Wait until the counts reach `want` packets in each direction (or 3 s pass). */
static void w_wait(unsigned *ul_rx, unsigned *dl_rx, unsigned *per_q, int sink, unsigned want)
{
	for (int t = 0; t < 3000; t++) {
		unsigned ul = 0, dl = 0;
		w_drain(ul_rx, dl_rx, per_q, sink);
		for (unsigned i = 0; i < W_MAIN; i++) {
			ul += ul_rx[i];
			dl += dl_rx[i];
		}
		if (ul >= want && dl >= want)
			return;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
}

static void test_workers(void **state)
{
	(void)state;
	struct upf_workers ws;
	struct sockaddr_in n3 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	/* The gNB's DL sink: 127.77.x.y:2152 (the FARs send to port 2152). */
	struct sockaddr_in sk = { .sin_family = AF_INET, .sin_port = htons(2152) };
	int n3_fds[2], tun_fds[2], sink = -1;
	socklen_t al = sizeof(n3);
	char err[256];
	unsigned ul_rx[W_MAIN] = { 0 }, dl_rx[W_MAIN] = { 0 }, per_q[2] = { 0 };
	pthread_t writer;

	for (int t = 0; t < 20 && sink < 0; t++) {
		sk.sin_addr.s_addr = htonl(0x7f4d0000u | (uint32_t)(rand() & 0xfffe) | 1);
		sink = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (bind(sink, (struct sockaddr *)&sk, sizeof(sk)) < 0) {
			close(sink);
			sink = -1;
		}
	}
	assert_true(sink >= 0);
	int sz = 4 << 20;
	setsockopt(sink, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	/* A free port for the N3 group. */
	int tmp = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(tmp, (struct sockaddr *)&n3, sizeof(n3)), 0);
	assert_int_equal(getsockname(tmp, (struct sockaddr *)&n3, &al), 0);
	close(tmp);
	assert_int_equal(upf_n3_open(&n3, 2, n3_fds, err, sizeof(err)), 0);
	for (int q = 0; q < 2; q++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, w_tun[q]),
				 0);
		setsockopt(w_tun[q][0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		setsockopt(w_tun[q][1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		tun_fds[q] = w_tun[q][0];
	}
	for (unsigned i = 0; i < W_MAIN + W_CHURN; i++) {
		w_sess[i] = w_create(i, sk.sin_addr);
		w_teid[i] = w_sess[i]->r.pdr[0].teid;
	}
	assert_int_equal(upf_workers_start(&ws, &ctx, 2, n3_fds, tun_fds, n3.sin_addr, 1500, NULL,
					   NULL, NULL, err, sizeof(err)),
			 0);

	/* Phase 1: W_PKTS packets per main session and direction, paced, all delivered. */
	for (unsigned k = 0; k < W_PKTS; k++) {
		for (unsigned i = 0; i < W_MAIN; i++)
			w_send(i, (int)((i + k) % 2), gnb_fd, &n3);
		w_wait(ul_rx, dl_rx, per_q, sink, (k + 1) * W_MAIN);
	}
	for (unsigned i = 0; i < W_MAIN; i++) {
		assert_int_equal(ul_rx[i], W_PKTS);
		assert_int_equal(dl_rx[i], W_PKTS);
	}
	assert_int_equal(per_q[0], W_MAIN / 2 * W_PKTS); /* TEIDs 1..64: half even */
	assert_int_equal(per_q[1], W_MAIN / 2 * W_PKTS);

	/* Phase 2: rules change and churn sessions come and go while traffic flows to all. */
	__atomic_store_n(&w_stop, 0, __ATOMIC_RELAXED);
	assert_int_equal(pthread_create(&writer, NULL, w_writer, &sk.sin_addr), 0);
	unsigned sent = 0;
	for (unsigned k = 0; k < 200; k++) {
		for (unsigned i = 0; i < W_MAIN + W_CHURN; i++)
			w_send(i, (int)((i + k) % 2), gnb_fd, &n3);
		sent++;
		w_wait(ul_rx, dl_rx, per_q, sink, (W_PKTS + sent) * W_MAIN);
	}
	__atomic_store_n(&w_stop, 1, __ATOMIC_RELAXED);
	pthread_join(writer, NULL);
	assert_true(w_rounds >= 2 * W_CHURN); /* every churn session deleted and back */
	w_wait(ul_rx, dl_rx, per_q, sink, (W_PKTS + sent) * W_MAIN);
	upf_workers_stop(&ws);
	w_drain(ul_rx, dl_rx, per_q, sink);

	/* Every main-session packet went through, and the counters agree: per URR, per PDR,
	 * and the workers' totals (main sessions plus what churn sessions let through). */
	uint64_t ul_total = 0, dl_total = 0;
	for (unsigned i = 0; i < W_MAIN; i++) {
		assert_int_equal(ul_rx[i], W_PKTS + sent);
		assert_int_equal(dl_rx[i], W_PKTS + sent);
		assert_int_equal(w_sess[i]->r.urr[0].ul_pkts, W_PKTS + sent);
		assert_int_equal(w_sess[i]->r.urr[0].dl_pkts, W_PKTS + sent);
		assert_int_equal(w_sess[i]->r.urr[0].ul_bytes, (W_PKTS + sent) * 100);
		assert_int_equal(w_sess[i]->r.pdr[0].pkts + w_sess[i]->r.pdr[1].pkts,
				 2 * (W_PKTS + sent));
	}
	for (unsigned q = 0; q < 2; q++) {
		ul_total += ws.w[q].dp.total.ul_pkts;
		dl_total += ws.w[q].dp.total.dl_pkts;
		assert_true(ws.w[q].dp.total.ul_pkts > 0 && ws.w[q].dp.total.dl_pkts > 0);
	}
	assert_true(ul_total >= (uint64_t)W_MAIN * (W_PKTS + sent));
	assert_true(ul_total <= (uint64_t)(W_MAIN + W_CHURN) * (W_PKTS + sent));
	assert_true(dl_total >= (uint64_t)W_MAIN * (W_PKTS + sent));
	upf_workers_free(&ws);
	for (int q = 0; q < 2; q++) {
		close(n3_fds[q]);
		close(w_tun[q][0]);
		close(w_tun[q][1]);
	}
	close(sink);
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

/* The PFCP socket has deep buffers: a burst of Session Deletion Requests (10,000 UEs
 * deregistering at once) must not overflow the kernel's default 212,992 B. */
static void test_n4_sockbuf(void **state)
{
	static struct upf_n4 n4;
	struct sen_loop *loop;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	char err[128];
	int v = 0;
	socklen_t vl = sizeof(v);

	(void)state;
	assert_int_equal(sen_loop_new(&loop), 0);
	memset(&n4, 0, sizeof(n4));
	assert_int_equal(upf_n4_start(&n4, loop, &ctx, &dp, &a, 0, err, sizeof(err)), 0);
	assert_int_equal(getsockopt(n4.fd, SOL_SOCKET, SO_RCVBUF, &v, &vl), 0);
	assert_true(v >= sockbuf_expected(UPF_N4_SOCKBUF, "/proc/sys/net/core/rmem_max"));
	assert_true(v > 2 * 212992);
	assert_int_equal(getsockopt(n4.fd, SOL_SOCKET, SO_SNDBUF, &v, &vl), 0);
	assert_true(v >= sockbuf_expected(UPF_N4_SOCKBUF, "/proc/sys/net/core/wmem_max"));
	upf_n4_stop(&n4);
	dp.on_dl_data = on_dl_data;
	sen_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_choose_and_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ul_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_teid_error_indication, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dl_encap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gate_and_mbr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modify_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_ue_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_router_solicitation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_n4_sockbuf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_sized, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
