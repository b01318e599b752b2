/*
 * sen-upf unit tests: packet rules (src/upf/context.c) and the fast path (src/upf/dp.c)
 * without a daemon. N6 is a SOCK_SEQPACKET socketpair (one packet per record, like a TUN),
 * N3 a UDP socket on 127.0.0.1 with a second one playing the gNB.
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

#include <arpa/inet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
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
	assert_int_equal(s->r.urr[0].ul_bytes + s->r.pdr[0].bytes, 100); /* no URR: PDR only */
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
