/*
 * Unit tests for lib/gtpu (TS 29.281, TS 38.415 PDU Session Container):
 *   - every sample message encodes, decodes and re-encodes to the same octets;
 *   - hand-assembled octets (from the spec's figures) decode, and encode back;
 *   - the fast path agrees with the full decoder on every sample, push + parse round
 *     trips, and every truncation of every sample is an error on both paths;
 *   - extension header rules (comprehension required or not, zero length, chains),
 *     mandatory IEs, and the encoder's refusals.
 * With "--dump" it prints "name hex" per sample (for the tshark oracle test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "gtpu/gtpu.h"

static uint8_t enc[4096], enc2[4096];
static struct sen_gtpu_msg msg, msg2;

/* An ICMP echo request from the UE 10.45.0.2 to 8.8.8.8, with correct checksums. */
static uint8_t icmp[48];

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void make_icmp(void)
{
	static const uint8_t ip[20] = {0x45, 0, 0,  48, 0x12, 0x34, 0x40, 0, 64, 1,
				       0,    0, 10, 45, 0,    2,    8,	  8, 8,	 8};
	memcpy(icmp, ip, 20);
	uint16_t c = csum(icmp, 20);
	icmp[10] = (uint8_t)(c >> 8);
	icmp[11] = (uint8_t)c;
	uint8_t *m = icmp + 20;
	m[0] = 8; /* echo request */
	m[4] = 0x00;
	m[5] = 0x01; /* identifier */
	m[7] = 0x01; /* sequence */
	for (int i = 8; i < 28; i++)
		m[i] = (uint8_t)('a' + i);
	c = csum(m, 28);
	m[2] = (uint8_t)(c >> 8);
	m[3] = (uint8_t)c;
}

static void payload(struct sen_gtpu_msg *m)
{
	m->tpdu.p = icmp;
	m->tpdu.len = sizeof(icmp);
}

static void gpdu_plain(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_GPDU, 0x00001234);
	payload(m);
}

static void gpdu_ul_psc(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_GPDU, 0x0000abcd);
	m->has_psc = true;
	m->psc.type = SEN_GTPU_PSC_UL;
	m->psc.qfi = 9;
	payload(m);
}

static void gpdu_dl_psc(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_GPDU, 0x00000001);
	m->has_psc = true;
	m->psc.type = SEN_GTPU_PSC_DL;
	m->psc.qfi = 1;
	m->psc.rqi = true;
	m->psc.ppp = true;
	m->psc.ppi = 3;
	payload(m);
}

static void gpdu_dl_qmp(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_GPDU, 0x00000002);
	m->has_psc = true;
	m->psc.type = SEN_GTPU_PSC_DL;
	m->psc.qfi = 5;
	m->psc.qmp = true;
	m->psc.dl_sending_ts = 0xe93c9b0012345678ull;
	m->psc.snp = true;
	m->psc.dl_qfi_seq = 0x010203;
	payload(m);
}

static void gpdu_seq(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_GPDU, 0x00000003);
	m->has_seq = true;
	m->seq = 0x1234;
	m->has_npdu = true;
	m->npdu = 7;
	payload(m);
}

static const uint8_t port_ext[2] = {0x08, 0x68}; /* UDP port 2152 */

static void gpdu_chain(struct sen_gtpu_msg *m)
{
	gpdu_ul_psc(m);
	m->n_ext = 1;
	m->ext[0].type = SEN_GTPU_EXT_UDP_PORT;
	m->ext[0].content.p = port_ext;
	m->ext[0].content.len = 2;
}

static void echo_request(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_ECHO_REQUEST, 0);
	m->has_seq = true;
	m->seq = 1;
}

static void echo_response(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_ECHO_RESPONSE, 0);
	m->has_seq = true;
	m->seq = 1;
	m->has_recovery = true;
}

static void error_indication(struct sen_gtpu_msg *m)
{
	static const uint8_t a[4] = {127, 0, 0, 7};

	sen_gtpu_msg_init(m, SEN_GTPU_ERROR_INDICATION, 0);
	m->has_seq = true;
	m->teid_data_i = 0x0000beef;
	m->peer_addr_len = 4;
	memcpy(m->peer_addr, a, 4);
}

static void error_indication_v6(struct sen_gtpu_msg *m)
{
	error_indication(m);
	m->peer_addr_len = 16;
	memset(m->peer_addr, 0, 16);
	m->peer_addr[0] = 0x20;
	m->peer_addr[1] = 0x01;
	m->peer_addr[2] = 0x0d;
	m->peer_addr[3] = 0xb8;
	m->peer_addr[15] = 7;
}

static void end_marker(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_END_MARKER, 0x00000001);
}

static void supported_ext(struct sen_gtpu_msg *m)
{
	sen_gtpu_msg_init(m, SEN_GTPU_SUPPORTED_EXT_HEADERS, 0);
	m->has_seq = true;
	m->seq = 9;
	m->n_ext_types = 2;
	m->ext_types[0] = SEN_GTPU_EXT_PDU_SESSION_CONTAINER;
	m->ext_types[1] = SEN_GTPU_EXT_UDP_PORT;
}

static const struct {
	const char *name;
	void (*build)(struct sen_gtpu_msg *m);
} samples[] = {
    {"gpdu", gpdu_plain},
    {"gpdu-ul-psc", gpdu_ul_psc},
    {"gpdu-dl-psc-ppi-rqi", gpdu_dl_psc},
    {"gpdu-dl-psc-qmp-snp", gpdu_dl_qmp},
    {"gpdu-seq-npdu", gpdu_seq},
    {"gpdu-psc-udp-port", gpdu_chain},
    {"echo-request", echo_request},
    {"echo-response", echo_response},
    {"error-indication", error_indication},
    {"error-indication-ipv6", error_indication_v6},
    {"end-marker", end_marker},
    {"supported-extension-headers", supported_ext},
};
#define N_SAMPLES (sizeof(samples) / sizeof(samples[0]))

static int encode_sample(size_t i, uint8_t *out, size_t cap)
{
	samples[i].build(&msg);
	return sen_gtpu_encode(&msg, out, cap);
}

static void test_roundtrip(void **state)
{
	for (size_t i = 0; i < N_SAMPLES; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		if (n <= 0)
			fail_msg("%s: encode %d", samples[i].name, n);
		struct sen_gtpu_error e;
		int rc = sen_gtpu_decode(enc, (size_t)n, &msg2, &e);
		if (rc != n)
			fail_msg("%s: decode %d: %s: %s", samples[i].name, rc, e.what, e.problem);
		assert_int_equal(sen_gtpu_encode(&msg2, enc2, sizeof(enc2)), n);
		if (memcmp(enc, enc2, (size_t)n))
			fail_msg("%s: re-encoding differs", samples[i].name);
		assert_int_equal(msg2.type, msg.type);
		assert_int_equal(msg2.teid, msg.teid);
	}
	gpdu_dl_qmp(&msg);
	int n = sen_gtpu_encode(&msg, enc, sizeof(enc));
	assert_int_equal(sen_gtpu_decode(enc, (size_t)n, &msg2, NULL), n);
	assert_true(msg2.has_psc && msg2.psc.qmp && msg2.psc.snp);
	assert_int_equal(msg2.psc.dl_qfi_seq, 0x010203);
	assert_int_equal(msg2.psc.dl_sending_ts, 0xe93c9b0012345678ull);
	assert_int_equal(enc[12], 4); /* 2 + 8 + 3 octets padded to 14: 4 units */
	gpdu_chain(&msg);
	n = sen_gtpu_encode(&msg, enc, sizeof(enc));
	assert_int_equal(sen_gtpu_decode(enc, (size_t)n, &msg2, NULL), n);
	assert_int_equal(msg2.n_ext, 1);
	assert_int_equal(msg2.ext[0].type, SEN_GTPU_EXT_UDP_PORT);
	assert_memory_equal(msg2.ext[0].content.p, port_ext, 2);
}

/* From TS 29.281 figures 5.1-1, 5.2.1-1 and TS 38.415 figure 5.5.2.2-1, by hand. */
static void test_hand_assembled(void **state)
{
	/* G-PDU, E=1, TEID 1, UL PSC QFI 9, 4 octets of payload. */
	const char *h1 = "34ff000c00000001000000850110090001020304";
	/* Echo Response, S=1, seq 7, Recovery 0. */
	const char *h2 = "320200060000000000070000"
			 "0e00";
	/* Error Indication: TEID Data I 0x11223344, peer 192.0.2.1. */
	const char *h3 = "321a001000000000000000001011223344850004c0000201";
	uint8_t in[64];
	int n;

	n = sen_hex_decode(h1, in, sizeof(in));
	assert_int_equal(sen_gtpu_decode(in, (size_t)n, &msg, NULL), n);
	assert_true(msg.has_psc);
	assert_int_equal(msg.psc.type, SEN_GTPU_PSC_UL);
	assert_int_equal(msg.psc.qfi, 9);
	assert_int_equal(msg.tpdu.len, 4);
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), n);
	assert_memory_equal(enc, in, (size_t)n);
	struct sen_gtpu_gpdu g;
	assert_int_equal(sen_gtpu_parse_gpdu(in, (size_t)n, &g), 0);
	assert_int_equal(g.teid, 1);
	assert_int_equal(g.qfi, 9);
	assert_int_equal(g.payload_off, 16);
	assert_int_equal(g.payload_len, 4);

	n = sen_hex_decode(h2, in, sizeof(in));
	assert_int_equal(sen_gtpu_decode(in, (size_t)n, &msg, NULL), n);
	assert_true(msg.has_recovery && msg.has_seq);
	assert_int_equal(msg.seq, 7);
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), n);
	assert_memory_equal(enc, in, (size_t)n);

	n = sen_hex_decode(h3, in, sizeof(in));
	assert_int_equal(sen_gtpu_decode(in, (size_t)n, &msg, NULL), n);
	assert_int_equal(msg.teid_data_i, 0x11223344);
	assert_int_equal(msg.peer_addr_len, 4);
	assert_int_equal(msg.peer_addr[0], 192);
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), n);
	assert_memory_equal(enc, in, (size_t)n);
}

static void test_fast_path(void **state)
{
	struct sen_gtpu_gpdu g;

	/* The fast path agrees with the full decoder on every sample. */
	for (size_t i = 0; i < N_SAMPLES; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		assert_int_equal(sen_gtpu_decode(enc, (size_t)n, &msg2, NULL), n);
		int rc = sen_gtpu_parse_gpdu(enc, (size_t)n, &g);
		if (msg2.type != SEN_GTPU_GPDU) {
			assert_int_equal(rc, -SEN_ENOENT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(g.teid, msg2.teid);
		assert_int_equal(g.has_psc, msg2.has_psc);
		assert_int_equal(g.qfi, msg2.has_psc ? msg2.psc.qfi : 0);
		assert_ptr_equal(enc + g.payload_off, msg2.tpdu.p);
		assert_int_equal(g.payload_len, msg2.tpdu.len);
	}

	/* Push in place, then parse, both container kinds and none. */
	uint8_t pkt[128];
	for (int kind = -1; kind <= 1; kind++) {
		memcpy(pkt + 32, icmp, sizeof(icmp));
		uint8_t *h = sen_gtpu_push_gpdu(pkt + 32, 32, sizeof(icmp), 0xdeadbeef, kind, 7,
						kind == SEN_GTPU_PSC_DL);
		assert_non_null(h);
		size_t len = (size_t)(pkt + 32 + sizeof(icmp) - h);
		assert_int_equal(sen_gtpu_parse_gpdu(h, len, &g), 0);
		assert_int_equal(g.teid, 0xdeadbeef);
		assert_int_equal(g.qfi, kind < 0 ? 0 : 7);
		assert_int_equal(g.payload_len, sizeof(icmp));
		assert_memory_equal(h + g.payload_off, icmp, sizeof(icmp));
		assert_int_equal(sen_gtpu_decode(h, len, &msg2, NULL), (int)len);
		if (kind == SEN_GTPU_PSC_DL)
			assert_true(msg2.psc.rqi);
		/* the same octets as the full encoder writes */
		sen_gtpu_msg_init(&msg, SEN_GTPU_GPDU, 0xdeadbeef);
		payload(&msg);
		if (kind >= 0) {
			msg.has_psc = true;
			msg.psc.type = (uint8_t)kind;
			msg.psc.qfi = 7;
			msg.psc.rqi = kind == SEN_GTPU_PSC_DL;
		}
		assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), (int)len);
		assert_memory_equal(enc, h, len);
	}
	assert_null(sen_gtpu_push_gpdu(pkt + 8, 8, 10, 1, 0, 1, false));
	assert_null(sen_gtpu_push_gpdu(pkt + 16, 16, 10, 1, 0, 64, false));
	assert_null(sen_gtpu_push_gpdu(pkt + 16, 16, 0xfff9, 1, 0, 1, false));
	assert_non_null(sen_gtpu_push_gpdu(pkt + 16, 16, 10, 1, -1, 0, false));

	/* Trailing octets after the length field's end are ignored. */
	int n = encode_sample(1, enc, sizeof(enc));
	enc[n] = 0xee;
	assert_int_equal(sen_gtpu_parse_gpdu(enc, (size_t)n + 1, &g), 0);
	assert_int_equal(g.payload_len, sizeof(icmp));
	/* Not GTPv1-U. */
	enc[0] = 0x24;
	assert_int_equal(sen_gtpu_parse_gpdu(enc, (size_t)n, &g), -SEN_EPROTO);
}

static void test_truncation(void **state)
{
	struct sen_gtpu_gpdu g;

	for (size_t i = 0; i < N_SAMPLES; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		for (int cut = 0; cut < n; cut++) {
			uint8_t *p = malloc((size_t)cut + 1);
			assert_non_null(p);
			memcpy(p, enc, (size_t)cut);
			if (sen_gtpu_decode(p, (size_t)cut, &msg2, NULL) >= 0)
				fail_msg("%s: cut at %d decoded", samples[i].name, cut);
			assert_true(sen_gtpu_parse_gpdu(p, (size_t)cut, &g) < 0);
			/* length patched to the cut: the chain or IEs are cut instead */
			if (cut >= 8) {
				p[2] = (uint8_t)((cut - 8) >> 8);
				p[3] = (uint8_t)(cut - 8);
				int rc = sen_gtpu_decode(p, (size_t)cut, &msg2, NULL);
				if (rc >= 0)
					assert_true(sen_gtpu_encode(&msg2, enc2, sizeof(enc2)) > 0);
				sen_gtpu_parse_gpdu(p, (size_t)cut, &g);
			}
			free(p);
		}
	}
}

static int dec_hex(const char *hex, struct sen_gtpu_error *e)
{
	static uint8_t in[256];
	int n = sen_hex_decode(hex, in, sizeof(in));

	assert_true(n > 0);
	return sen_gtpu_decode(in, (size_t)n, &msg, e);
}

static void test_errors(void **state)
{
	struct sen_gtpu_error e;
	struct sen_gtpu_gpdu g;
	uint8_t in[64];

	/* Unknown extension header, comprehension not required (0x21): skipped, kept. */
	assert_int_equal(dec_hex("34ff000c0000000100000021"
				 "01aabb00"
				 "01020304",
				 &e),
			 20);
	assert_int_equal(msg.n_ext, 1);
	/* Same with comprehension required (0xa1): an error. */
	assert_int_equal(dec_hex("34ff000c00000001000000a1"
				 "01aabb00"
				 "01020304",
				 &e),
			 -SEN_EPROTO);
	assert_string_equal(e.what, "extension header");
	/* Zero-length extension header. */
	assert_int_equal(dec_hex("34ff000c0000000100000085"
				 "00000000"
				 "01020304",
				 &e),
			 -SEN_EPROTO);
	/* PSC of an unknown PDU type (2). */
	assert_int_equal(dec_hex("34ff000c0000000100000085"
				 "01200900"
				 "01020304",
				 &e),
			 -SEN_EPROTO);
	/* PSC whose QMP flag asks for time stamps that are not there. */
	assert_int_equal(dec_hex("34ff000c0000000100000085"
				 "01080900"
				 "01020304",
				 &e),
			 -SEN_EMSGSIZE);
	/* The fast path hands a PSC with PPP to the slow path, which reads PPI. */
	int n = sen_hex_decode("34ff00100000000100000085"
			       "02008160"
			       "00000000"
			       "01020304",
			       in, sizeof(in));
	assert_int_equal(sen_gtpu_parse_gpdu(in, (size_t)n, &g), 0);
	assert_int_equal(g.qfi, 1);
	assert_int_equal(g.payload_off, 20);
	/* Version 2 / PT 0. */
	assert_int_equal(dec_hex("50ff000000000001", &e), -SEN_EPROTO);
	assert_int_equal(dec_hex("20ff000000000001", &e), -SEN_EPROTO);
	/* Unknown message type. */
	assert_int_equal(dec_hex("30fd000000000001", &e), -SEN_ENOTSUP);
	/* Echo Response without Recovery; with an unknown TV IE; with unknown TLV skipped. */
	assert_int_equal(dec_hex("3002000000000000", &e), -SEN_EPROTO);
	assert_int_equal(dec_hex("32020005000000000001000003", &e), -SEN_EPROTO);
	assert_int_equal(dec_hex("3202000a0000000000010000"
				 "fe0001aa"
				 "0e00",
				 &e),
			 18);
	/* Peer address of 5 octets. */
	assert_int_equal(dec_hex("321a0011000000000000000010112233448500050c00020101", &e),
			 -SEN_EPROTO);
	/* Error Indication without the peer address. */
	assert_int_equal(dec_hex("321a00090000000000000000"
				 "1011223344",
				 &e),
			 -SEN_EPROTO);
	/* Supported Extension Headers Notification with an empty list. */
	assert_int_equal(dec_hex("321f00060000000000090000"
				 "8d00",
				 &e),
			 -SEN_EPROTO);
}

static void test_encode_errors(void **state)
{
	gpdu_ul_psc(&msg);
	int n = sen_gtpu_encode(&msg, enc, sizeof(enc));
	for (int cap = 0; cap < n; cap++)
		assert_int_equal(sen_gtpu_encode(&msg, enc, (size_t)cap), -SEN_EMSGSIZE);
	msg.psc.qfi = 64;
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	gpdu_chain(&msg);
	msg.ext[0].content.len = 3;
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	error_indication(&msg);
	msg.peer_addr_len = 5;
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	supported_ext(&msg);
	msg.n_ext_types = 0;
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	sen_gtpu_msg_init(&msg, 99, 0);
	assert_int_equal(sen_gtpu_encode(&msg, enc, sizeof(enc)), -SEN_ENOTSUP);
	assert_string_equal(sen_gtpu_msg_name(SEN_GTPU_END_MARKER), "End Marker");
	assert_null(sen_gtpu_msg_name(99));
}

static int dump(void)
{
	char hex[2 * sizeof(enc) + 1];

	for (size_t i = 0; i < N_SAMPLES; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		if (n <= 0)
			return 1;
		printf("%s %s\n", samples[i].name, sen_hex_encode(enc, (size_t)n, hex));
	}
	return 0;
}

int main(int argc, char **argv)
{
	make_icmp();
	if (argc > 1 && !strcmp(argv[1], "--dump"))
		return dump();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_hand_assembled),
	    cmocka_unit_test(test_fast_path), cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_errors),    cmocka_unit_test(test_encode_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
