/*
 * Unit tests for lib/nas messages and IEs (TS 24.501 clauses 7, 8, 9):
 *   - every sample message (samples.c) encodes, decodes and re-encodes to the same octets;
 *   - public hex messages decode, with their key fields checked;
 *   - every truncation of every message decodes without crashing, and truncation inside
 *     the header or a mandatory IE is an error;
 *   - the error classes of clause 7 (#96, #97, ignored) come out as nas.h promises.
 * With "--dump" it prints "name hex" per sample instead, "--dump-r17" the same for the
 * Release 17 samples, "--dump-r17-ies" where their optional IEs start, and "--dump-probe"
 * one message per optional IE of every table (for the tshark oracle test).
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
#include "nas/nas.h"
#include "nas/nas_int.h" /* the message tables, for the IE coverage test */
#include "samples.h"

static uint8_t enc[8192], enc2[8192];
static struct sen_nas_msg msg, msg2;

static void nop_open(void *a, const char *n)
{
	(*(int *)a)++;
	assert_non_null(n);
}
static void nop_close(void *a)
{
	(*(int *)a)--;
}
static void nop_value(void *a, const char *n, const char *t)
{
	assert_non_null(n);
	assert_non_null(t);
}
static const struct sen_nas_visitor nop = {nop_open, nop_close, nop_value};

/* Sample i of both sets: nas_samples, then nas_samples_r17. */
static size_t n_all(void)
{
	return nas_n_samples + nas_n_samples_r17;
}
static const struct nas_sample *sample(size_t i)
{
	return i < nas_n_samples ? &nas_samples[i] : &nas_samples_r17[i - nas_n_samples];
}

static int encode_sample(size_t i, uint8_t *out, size_t cap)
{
	memset(&msg, 0, sizeof(msg));
	sample(i)->build(&msg);
	return sen_nas_encode(&msg, out, cap);
}

static void test_samples_roundtrip(void **state)
{
	for (size_t i = 0; i < n_all(); i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		if (n <= 0)
			fail_msg("%s: encode returned %d", sample(i)->name, n);
		struct sen_nas_error e;
		int rc = sen_nas_decode(enc, (size_t)n, &msg2, &e);
		if (rc != 0)
			fail_msg("%s: decode %d: %s / %s", sample(i)->name, rc, e.ie, e.problem);
		/* no IE skipped as unknown or dropped as malformed: every one is in a table */
		if (e.ignored)
			fail_msg("%s: %u IEs ignored (%s: %s)", sample(i)->name, e.ignored, e.ie,
				 e.problem);
		assert_int_equal(msg2.type, msg.type);
		int n2 = sen_nas_encode(&msg2, enc2, sizeof(enc2));
		assert_int_equal(n2, n);
		if (memcmp(enc, enc2, (size_t)n) != 0)
			fail_msg("%s: re-encoding differs", sample(i)->name);
		int depth = 0;
		assert_int_equal(sen_nas_walk(&msg2, &nop, &depth), 0);
		assert_int_equal(depth, 0);
		/* a buffer one octet short is refused, never overrun */
		assert_int_equal(sen_nas_encode(&msg, enc2, (size_t)n - 1), -SEN_EMSGSIZE);
	}
}

static void test_sample_fields(void **state)
{
	/* registration request: SUCI, half octets, NSSAI, TAI */
	int n = encode_sample(0, enc, sizeof(enc));
	assert_true(n > 0);
	assert_int_equal(enc[3], 0x79); /* ngKSI 7 in bits 8..5, registration type 9 in 4..1 */
	assert_int_equal(sen_nas_decode(enc, (size_t)n, &msg2, NULL), 0);
	const struct sen_nas_registration_request *r = &msg2.registration_request;
	assert_int_equal(r->reg_type, 9);
	assert_int_equal(r->ngksi, 7);
	assert_int_equal(r->mobile_id.type, SEN_NAS_ID_SUCI);
	assert_string_equal(r->mobile_id.suci.mcc, "999");
	assert_string_equal(r->mobile_id.suci.mnc, "70");
	assert_string_equal(r->mobile_id.suci.routing, "0");
	assert_int_equal(r->requested_nssai.n, 2);
	assert_int_equal(r->requested_nssai.s[1].sd, 1);
	assert_int_equal(r->last_tai.tac, 1);

	/* the establishment accept with its QoS rules, flows, ePCO */
	for (size_t i = 0; i < nas_n_samples; i++)
		if (!strcmp(nas_samples[i].name, "pdu-session-establishment-accept"))
			n = encode_sample(i, enc, sizeof(enc));
	assert_int_equal(sen_nas_decode(enc, (size_t)n, &msg2, NULL), 0);
	const struct sen_nas_pdu_session_establishment_accept *a =
	    &msg2.pdu_session_establishment_accept;
	assert_int_equal(msg2.pdu_session_id, 1);
	assert_int_equal(a->qos_rules.n, 2);
	assert_true(a->qos_rules.r[0].dqr);
	assert_int_equal(a->qos_rules.r[1].pf[0].content.len, 14);
	assert_int_equal(a->qos_flows.f[1].param[1].id, SEN_NAS_QOS_GFBR_UL);
	const struct sen_nas_bytes *dns = sen_nas_epco_find(&a->epco, SEN_NAS_PCO_DNS_IPV4);
	assert_non_null(dns);
	assert_int_equal(dns->len, 4);
	assert_int_equal(dns->p[3], 1);
	assert_string_equal(a->dnn.name, "internet");
	assert_int_equal(sen_nas_bitrate_bps(a->ambr.dl_unit, a->ambr.dl), 100000000ull);
}

static const struct nas_sample *named(const char *name)
{
	for (size_t i = 0; i < n_all(); i++)
		if (!strcmp(sample(i)->name, name))
			return sample(i);
	fail_msg("no sample %s", name);
	return NULL;
}

static int encode_named(const char *name)
{
	memset(&msg, 0, sizeof(msg));
	named(name)->build(&msg);
	return sen_nas_encode(&msg, enc, sizeof(enc));
}

/* S-NSSAI of every length (9.11.2.8) and PDU addresses of every type (9.11.4.10). */
static void test_snssai_pdu_address(void **state)
{
	/* 2f 19 | 01 01 | 02 02 01 | 04 01 000001 | 05 03 0000aa 02 | 08 04 123456 01 000001 */
	static const uint8_t nssai[] = {0x2f, 0x19, 0x01, 0x01, 0x02, 0x02, 0x01, 0x04,
					0x01, 0x00, 0x00, 0x01, 0x05, 0x03, 0x00, 0x00,
					0xaa, 0x02, 0x08, 0x04, 0x12, 0x34, 0x56, 0x01,
					0x00, 0x00, 0x01};
	int n = encode_named("registration-request-roaming-nssai");
	assert_true(n > 0);
	bool found = false;
	for (int i = 0; i + (int)sizeof(nssai) <= n && !found; i++)
		found = !memcmp(enc + i, nssai, sizeof(nssai));
	assert_true(found);
	assert_int_equal(sen_nas_decode(enc, (size_t)n, &msg2, NULL), 0);
	const struct sen_nas_nssai *r = &msg2.registration_request.requested_nssai;
	assert_int_equal(r->n, 5);
	assert_int_equal(r->s[1].len, 2);
	assert_int_equal(r->s[1].sst, 2);
	assert_int_equal(r->s[1].mapped_sst, 1);
	assert_int_equal(r->s[3].len, 5);
	assert_int_equal(r->s[3].sd, 0xaa);
	assert_int_equal(r->s[3].mapped_sst, 2);
	assert_int_equal(r->s[4].mapped_sd, 1);

	/* IPv6: type 2 and the 8-octet interface identifier */
	static const uint8_t v6[] = {0x29, 0x09, 0x02, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
	n = encode_named("pdu-session-establishment-accept-ipv6");
	found = false;
	for (int i = 0; i + (int)sizeof(v6) <= n && !found; i++)
		found = !memcmp(enc + i, v6, sizeof(v6));
	assert_true(found);
	assert_int_equal(sen_nas_decode(enc, (size_t)n, &msg2, NULL), 0);
	const struct sen_nas_pdu_session_establishment_accept *a =
	    &msg2.pdu_session_establishment_accept;
	assert_int_equal(a->pdu_session_type, SEN_NAS_PDU_IPV6);
	assert_int_equal(a->pdu_address.type, SEN_NAS_PDU_IPV6);
	assert_int_equal(a->pdu_address.ipv6_iid[7], 0x55);
	/* IPv4v6: type 3, interface identifier then IPv4 address */
	static const uint8_t v46[] = {0x29, 0x0d, 0x03, 0, 0, 0, 0, 0, 0, 0, 1, 10, 45, 0, 3};
	n = encode_named("pdu-session-establishment-accept-ipv4v6");
	found = false;
	for (int i = 0; i + (int)sizeof(v46) <= n && !found; i++)
		found = !memcmp(enc + i, v46, sizeof(v46));
	assert_true(found);
	assert_int_equal(sen_nas_decode(enc, (size_t)n, &msg2, NULL), 0);
	assert_int_equal(msg2.pdu_session_establishment_accept.pdu_address.ipv4[3], 3);
}

static void test_vectors(void **state)
{
	uint8_t b[512];

	for (size_t i = 0; i < nas_n_vectors; i++) {
		int n = sen_hex_decode(nas_vectors[i].hex, b, sizeof(b));
		assert_true(n > 0);
		struct sen_nas_error e;
		int rc = sen_nas_decode(b, (size_t)n, &msg, &e);
		if (rc != 0)
			fail_msg("%s (%s): %d %s: %s", nas_vectors[i].name, nas_vectors[i].source, rc,
				 e.ie, e.problem);
		assert_int_equal(msg.type, nas_vectors[i].type);
		int depth = 0;
		assert_int_equal(sen_nas_walk(&msg, &nop, &depth), 0);
		n = sen_nas_encode(&msg, enc, sizeof(enc));
		assert_true(n > 0);
	}
}

static int decode_hex(const char *hex, struct sen_nas_msg *m, struct sen_nas_error *e)
{
	static uint8_t b[512];
	int n = sen_hex_decode(hex, b, sizeof(b));

	assert_true(n >= 0);
	return sen_nas_decode(b, (size_t)n, m, e);
}

static void test_vector_fields(void **state)
{
	/* SUCI with routing indicator 1234, MSIN 0123456789 (gonas) */
	assert_int_equal(decode_hex(nas_vectors[0].hex, &msg, NULL), 0);
	const struct sen_suci *s = &msg.registration_request.mobile_id.suci;
	assert_string_equal(s->mcc, "208");
	assert_string_equal(s->mnc, "93");
	assert_string_equal(s->routing, "1234");
	assert_int_equal(s->output_len, 5);
	assert_int_equal(s->output[0], 0x10);
	assert_true(msg.registration_request.has_gmm_cap);
	assert_int_equal(msg.registration_request.ue_sec_cap.ea, 0x80);
	assert_int_equal(msg.registration_request.ue_sec_cap.ia, 0xa0);

	/* authentication request: ABBA 0000, RAND, AUTN */
	assert_int_equal(decode_hex(nas_vectors[3].hex, &msg, NULL), 0);
	assert_int_equal(msg.authentication_request.abba.len, 2);
	assert_true(msg.authentication_request.has_rand && msg.authentication_request.has_autn);
	assert_int_equal(msg.authentication_request.rand[0], 0xfc);
	assert_int_equal(msg.authentication_request.autn[15], 0x37);

	/* UL NAS transport carrying an establishment request, S-NSSAI 1/010203, DNN internet */
	assert_int_equal(decode_hex(nas_vectors[9].hex, &msg, NULL), 0);
	const struct sen_nas_ul_nas_transport *u = &msg.ul_nas_transport;
	assert_int_equal(u->payload_container_type, 1);
	assert_int_equal(u->pdu_session_id, 1);
	assert_int_equal(u->request_type, 1);
	assert_int_equal(u->snssai.sd, 0x010203);
	assert_string_equal(u->dnn.name, "internet");
	assert_int_equal(sen_nas_decode(u->payload_container.p, u->payload_container.len, &msg2,
					NULL),
			 0);
	assert_int_equal(msg2.type, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	assert_int_equal(msg2.pdu_session_establishment_request.pdu_session_type, 3);

	/* registration accept: GUTI, TAI list, allowed NSSAI, timers */
	assert_int_equal(decode_hex(nas_vectors[11].hex, &msg, NULL), 0);
	const struct sen_nas_registration_accept *a = &msg.registration_accept;
	assert_int_equal(a->guti.guti.amf_region_id, 0xca);
	assert_int_equal(a->guti.guti.amf_set_id, 0x3f8);
	assert_int_equal(a->guti.guti.tmsi, 1);
	assert_int_equal(a->tai_list.list[0].tai[0].tac, 1);
	assert_int_equal(a->allowed_nssai.n, 2);
	assert_int_equal(a->allowed_nssai.s[1].sd, 0x112233);
	assert_int_equal(sen_nas_timer3_seconds(&a->t3512), 3600);
	assert_int_equal(sen_nas_timer2_seconds(&a->t3502), 12 * 60);

	/* DL NAS transport with an establishment accept: match-all rule, 60.60.0.1, #50 */
	assert_int_equal(decode_hex(nas_vectors[12].hex, &msg, NULL), 0);
	const struct sen_nas_dl_nas_transport *d = &msg.dl_nas_transport;
	assert_true(d->has_pdu_session_id);
	assert_int_equal(sen_nas_decode(d->payload_container.p, d->payload_container.len, &msg2,
					NULL),
			 0);
	const struct sen_nas_pdu_session_establishment_accept *ea =
	    &msg2.pdu_session_establishment_accept;
	assert_int_equal(ea->qos_rules.n, 1);
	assert_int_equal(ea->qos_rules.r[0].pf[0].content.p[0], 0x01);
	assert_int_equal(ea->cause, 50);
	assert_int_equal(ea->pdu_address.ipv4[0], 60);
	/* the source wrote 1000 little-endian ("e803"); on the wire that is 59395 kbps */
	assert_int_equal(ea->ambr.dl_unit, 1);
	assert_int_equal(ea->ambr.dl, 0xe803);

	/* IMEISV in security mode complete */
	assert_int_equal(decode_hex(nas_vectors[6].hex, &msg, NULL), 0);
	assert_string_equal(msg.security_mode_complete.imeisv.digits, "0000000100000101");
}

static void test_truncation(void **state)
{
	for (size_t i = 0; i < n_all(); i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		assert_true(n > 0);
		for (int cut = 0; cut < n; cut++) {
			/* a fresh heap copy so that a read past `cut` is seen by ASan */
			uint8_t *p = malloc(cut ? (size_t)cut : 1);
			assert_non_null(p);
			memcpy(p, enc, (size_t)cut);
			struct sen_nas_error e;
			int rc = sen_nas_decode(p, (size_t)cut, &msg2, &e);
			if (rc == 0) {
				/* only optional IEs were lost: what is left re-encodes shorter */
				int n2 = sen_nas_encode(&msg2, enc2, sizeof(enc2));
				assert_true(n2 > 0 && n2 <= cut);
			} else {
				assert_true(rc == -SEN_EMSGSIZE || rc == -SEN_EPROTO);
				assert_non_null(e.problem);
			}
			if (cut < (enc[0] == SEN_NAS_EPD_5GSM ? 4 : 3))
				assert_int_equal(rc, -SEN_EMSGSIZE);
			free(p);
		}
	}
}

static void test_errors(void **state)
{
	struct sen_nas_error e;

	/* #97: message type non-existent */
	assert_int_equal(decode_hex("7e0040", &msg, &e), -SEN_ENOTSUP);
	assert_int_equal(e.fault, SEN_NAS_FAULT_MSG_TYPE);
	assert_int_equal(e.cause, 97);
	assert_int_equal(decode_hex("2e0101c0", &msg, &e), -SEN_ENOTSUP);
	assert_int_equal(e.cause, 97);
	/* #96: mandatory 5GMM cause missing; mandatory LV-E running past the end */
	assert_int_equal(decode_hex("7e0044", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_NAS_FAULT_MANDATORY);
	assert_int_equal(e.cause, 96);
	assert_string_equal(e.ie, "5GMM cause");
	/* offsets count from octet 0 of the message: the header is not counted twice */
	assert_int_equal(e.offset, 3);
	assert_int_equal(decode_hex("2e0101c1", &msg, &e), -SEN_EPROTO);
	assert_string_equal(e.ie, "Integrity protection maximum data rate");
	assert_int_equal(e.offset, 4);
	assert_int_equal(decode_hex("7e005c000d01", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.offset, 3);
	assert_int_equal(decode_hex("7e005c000d01", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	/* mandatory IE with invalid contents: BCD digit > 9 in the MCC */
	assert_int_equal(decode_hex("7e005c000d01a9f9070000000000000010", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	/* too short, unknown EPD, protected message given as plain: ignored (no cause) */
	assert_int_equal(decode_hex("7e00", &msg, &e), -SEN_EMSGSIZE);
	assert_int_equal(e.fault, SEN_NAS_FAULT_TOO_SHORT);
	assert_int_equal(decode_hex("", &msg, &e), -SEN_EMSGSIZE);
	assert_int_equal(decode_hex("0b0041", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_NAS_FAULT_EPD);
	assert_int_equal(e.cause, 0);
	assert_int_equal(decode_hex("7e02aabbccdd017e0043", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_NAS_FAULT_EPD);
	/* spare bits of the plain header are ignored */
	assert_int_equal(decode_hex("7ef043", &msg, &e), 0);

	/* unknown optional IEs skipped by format: TLV 0x3c, TLV-E 0x7f, type 1 0x9-: 3 ignored */
	assert_int_equal(decode_hex("7e00440b3c020102" "7f0001ff" "95" "5f0121", &msg, &e), 0);
	assert_int_equal(e.ignored, 3);
	/* the first one is named, at its offset */
	assert_int_equal(e.iei, 0x3c);
	assert_string_equal(e.ie, "unknown IE");
	assert_int_equal(e.offset, 4);
	assert_true(msg.registration_reject.has_t3346);
	assert_int_equal(msg.registration_reject.t3346.value, 1);
	/* comprehension required (IEI 0000xxxx) not understood: #96 */
	assert_int_equal(decode_hex("7e00440b0e0100", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	/* repeated IE: the first is used */
	assert_int_equal(decode_hex("7e00440b5f01215f0122", &msg, &e), 0);
	assert_int_equal(msg.registration_reject.t3346.value, 1);
	assert_int_equal(e.ignored, 1);
	/* malformed optional IE (TAI list type 3) is treated as absent */
	assert_int_equal(decode_hex("7e0042010154076099f907000001", &msg, &e), 0);
	assert_false(msg.registration_accept.has_tai_list);
	assert_int_equal(e.ignored, 1);
	assert_string_equal(e.ie, "TAI list");
	/* optional IE running past the end: dropped */
	assert_int_equal(decode_hex("7e00440b5f05", &msg, &e), 0);
	assert_false(msg.registration_reject.has_t3346);
	assert_int_equal(e.ignored, 1);
	assert_string_equal(e.ie, "T3346 value");
	assert_int_equal(e.iei, 0x5f);
	assert_int_equal(e.offset, 4);
	/*
	 * Port management information container of a modification complete is IEI 0x74
	 * (TS 24.501 table 8.3.10.1.1); the table had 0x7c, so the IE was skipped as unknown.
	 */
	assert_int_equal(decode_hex("2e0101cc" "740003010203", &msg, &e), 0);
	assert_int_equal(e.ignored, 0);
	assert_true(msg.pdu_session_modification_complete.has_pmic);
	assert_int_equal(msg.pdu_session_modification_complete.pmic.len, 3);
	/* DL NAS transport's lower bound timer (Rel-17, IEI 0x3a) is known */
	assert_int_equal(decode_hex("7e0068010002aabb" "3a0121", &msg, &e), 0);
	assert_int_equal(e.ignored, 0);
	assert_true(msg.dl_nas_transport.has_lower_bound_timer);
	/* TLV length below the IE's minimum: dropped */
	assert_int_equal(decode_hex("7e0044035f00", &msg, &e), 0);
	assert_false(msg.registration_reject.has_t3346);
	/*
	 * "No identity" is octet 4 alone: one with more octets is malformed (it used to decode,
	 * and the encoder then refused what the decoder had produced). Found by fuzzing.
	 */
	assert_int_equal(decode_hex("7e004511000400101010", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_NAS_FAULT_MANDATORY);
	assert_string_equal(e.ie, "5GS mobile identity");
	assert_int_equal(decode_hex("7e0045110001f0", &msg, &e), 0);
	assert_int_equal(msg.deregistration_request_ue_orig.mobile_id.type, SEN_NAS_ID_NONE);
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), 7);
}

static void test_encode_errors(void **state)
{
	sen_nas_msg_init(&msg, SEN_NAS_IDENTITY_RESPONSE);
	msg.identity_response.mobile_id.type = SEN_NAS_ID_IMEI;
	strcpy(msg.identity_response.mobile_id.digits, "12345");
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	sen_nas_msg_init(&msg, SEN_NAS_REGISTRATION_ACCEPT);
	msg.registration_accept.result = 1;
	msg.registration_accept.has_allowed_nssai = true;
	msg.registration_accept.allowed_nssai.n = 1;
	msg.registration_accept.allowed_nssai.s[0].len = 3; /* no such S-NSSAI length */
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	msg.type = 0x99;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_ENOTSUP);
	sen_nas_msg_init(&msg, SEN_NAS_UL_NAS_TRANSPORT);
	msg.ul_nas_transport.payload_container_type = 1;
	msg.ul_nas_transport.payload_container = (struct sen_nas_bytes){enc2, 2};
	msg.ul_nas_transport.has_dnn = true;
	strcpy(msg.ul_nas_transport.dnn.name, "bad..dnn");
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
}

static void test_helpers(void **state)
{
	uint8_t unit;
	uint16_t v;
	struct sen_nas_network_name nn;

	assert_int_equal(sen_nas_bitrate_from_bps(1000000000ull, &unit, &v), 0);
	assert_true(sen_nas_bitrate_bps(unit, v) >= 1000000000ull);
	assert_int_equal(sen_nas_bitrate_from_bps(1500, &unit, &v), 0);
	assert_int_equal(unit, 1);
	assert_int_equal(v, 2);
	assert_int_equal(sen_nas_bitrate_bps(0, 5), 0);
	/* "Sen" in GSM 7-bit: 0xd3 0xb2 0x1b, 3 spare bits (TS 23.038 6.1.2.1.1) */
	assert_int_equal(sen_nas_network_name_set(&nn, "Sen"), 0);
	assert_int_equal(nn.len, 3);
	assert_int_equal(nn.text[0], 0xd3);
	assert_int_equal(nn.text[1], 0xb2);
	assert_int_equal(nn.text[2], 0x1b);
	assert_int_equal(nn.spare_bits, 3);
	assert_int_equal(sen_nas_network_name_set(&nn, "a@b"), -SEN_EINVAL);
	struct sen_nas_timer t = {7, 0};
	assert_int_equal(sen_nas_timer3_seconds(&t), -1);
	assert_string_equal(sen_nas_msg_name(SEN_NAS_EPD_5GSM, 0xc2),
			    "PDU session establishment accept");
	assert_null(sen_nas_msg_name(SEN_NAS_EPD_5GMM, 0xc2));
}

/*
 * Every IE of every message table (TS 24.501 clause 8, Release 17) is carried by at least
 * one sample, so each one is encoded, decoded and re-encoded with realistic contents.
 */
static void test_ie_coverage(void **state)
{
	static const uint8_t types[] = {0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4c,
					0x4d, 0x4e, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
					0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x64, 0x65, 0x66, 0x67,
					0x68, 0xc1, 0xc2, 0xc3, 0xc9, 0xca, 0xcb, 0xcc, 0xcd,
					0xd1, 0xd2, 0xd3, 0xd4, 0xd6};
	unsigned missing = 0, total = 0;

	for (size_t t = 0; t < sizeof(types); t++) {
		uint8_t epd = types[t] >= 0xc0 ? SEN_NAS_EPD_5GSM : SEN_NAS_EPD_5GMM;
		const struct nas_msg_desc *md = nas_msg_find(epd, types[t]);
		assert_non_null(md);
		for (size_t k = 0; k < md->n; k++) {
			const struct nas_ie *d = &md->ies[k];
			bool seen = false;
			/* IEIs are unique within a message (TS 24.007 11.2.4) */
			for (size_t j = 0; j < k; j++)
				if (d->opt && md->ies[j].opt && md->ies[j].iei == d->iei)
					fail_msg("%s: IEI 0x%02x twice", md->name, d->iei);
			if (!d->opt)
				continue;
			total++;
			for (size_t i = 0; i < n_all() && !seen; i++) {
				int n = encode_sample(i, enc, sizeof(enc));
				if (msg.type != types[t] || msg.epd != epd)
					continue;
				assert_int_equal(sen_nas_decode(enc, (size_t)n, &msg2, NULL), 0);
				seen = *(const bool *)((const uint8_t *)&msg2.registration_request + d->has);
			}
			if (!seen) {
				printf("# no sample carries %s / %s (IEI 0x%02x)\n", md->name, d->name,
				       d->iei);
				missing++;
			}
		}
	}
	printf("# %u of %u optional IEs carried by samples\n", total - missing, total);
	/*
	 * Every IE added for Release 17 is covered; 92 Release 15/16 IEs (EAP message, LADN,
	 * mapped EPS bearer contexts...) still wait for a sample. A ratchet: the number may
	 * only go down.
	 */
	assert_true(missing <= 92);
}

/*
 * 5GS mobile identity, type MAC address (TS 24.501 9.11.3.4, figure 9.11.3.4.6): octet 11
 * (MAURI in bit 1) is part of the identity. The decoder used to accept 6 or 7 octets
 * after octet 4 while the encoder always wrote 7, so a 6-octet identity re-encoded
 * one octet longer.
 */
static void test_mac_identity(void **state)
{
	struct sen_nas_error e;

	/* identity response: 7 octets after octet 4, MAURI set */
	assert_int_equal(decode_hex("7e005c000806" "02005e102030" "01", &msg, &e), 0);
	assert_int_equal(msg.identity_response.mobile_id.type, SEN_NAS_ID_MAC);
	assert_true(msg.identity_response.mobile_id.mac.mauri);
	assert_int_equal(msg.identity_response.mobile_id.mac.addr[5], 0x30);
	int n = sen_nas_encode(&msg, enc, sizeof(enc));
	uint8_t want[] = {0x7e, 0x00, 0x5c, 0x00, 0x08, 0x06, 0x02, 0x00, 0x5e,
			  0x10, 0x20, 0x30, 0x01};
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(enc, want, sizeof(want));
	/* without octet 11, or with one octet too many: invalid mandatory IE, #96 */
	assert_int_equal(decode_hex("7e005c000706" "02005e102030", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	assert_int_equal(decode_hex("7e005c000906" "02005e102030" "0000", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	/* spare bits of octet 11 are ignored (re-encoded as 0) */
	assert_int_equal(decode_hex("7e005c000806" "02005e102030" "fe", &msg, &e), 0);
	assert_false(msg.identity_response.mobile_id.mac.mauri);
}

/* 8.2.16: the 5G-S-TMSI IE of Service request takes a 5G-S-TMSI and nothing else. */
static void test_identity_types(void **state)
{
	struct sen_nas_error e;

	/* a 5G-S-TMSI: fine */
	if (decode_hex("7e004c11" "0007f40040c0ffee01", &msg, &e) != 0)
		fail_msg("%s: %s", e.ie, e.problem);
	assert_int_equal(msg.service_request.s_tmsi.type, SEN_NAS_ID_S_TMSI);
	/* the same octets typed as a 5G-GUTI or a SUCI: refused with #96 */
	assert_int_equal(decode_hex("7e004c11" "0007f20040c0ffee01", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	assert_int_equal(decode_hex("7e004c11" "0007010040c0ffee01", &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 96);
	assert_string_equal(e.ie, "5G-S-TMSI");
	/* the encoder refuses a 5G-GUTI there */
	sen_nas_msg_init(&msg, SEN_NAS_SERVICE_REQUEST);
	msg.service_request.s_tmsi.type = SEN_NAS_ID_GUTI;
	strcpy(msg.service_request.s_tmsi.guti.plmn.mcc, "999");
	strcpy(msg.service_request.s_tmsi.guti.plmn.mnc, "70");
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	/* an optional 5G-GUTI IE holding a SUCI of the same length is dropped as malformed */
	assert_int_equal(decode_hex("7e00420101" "77000b0199f90700000000000010", &msg, &e),
			 0);
	assert_false(msg.registration_accept.has_guti);
	assert_int_equal(e.ignored, 1);
	/* IMEISV IE of security mode complete must be an IMEISV */
	assert_int_equal(decode_hex("7e005e77000903" "0000000100000101", &msg, &e), 0);
	assert_false(msg.security_mode_complete.has_imeisv);
}

/*
 * ePCO (TS 24.501 9.11.4.6, TS 24.008 10.5.6.3): a container's length is one octet, so up
 * to 255. The decoder took 255 while the encoder refused more than 253 (the PCO limit),
 * so a decoded establishment request failed to re-encode. Found by fuzzing.
 */
static void test_epco_long_container(void **state)
{
	static uint8_t b[300], big[255];
	size_t n = 0;

	memcpy(b, (uint8_t[]){0x2e, 0x01, 0x01, 0xc1, 0xff, 0xff, 0x7b, 0x01, 0x03, 0x80, 0x00,
			      0x0d, 0xff},
	       13);
	n = 13 + 255;
	memset(b + 13, 0x5a, 255);
	assert_int_equal(sen_nas_decode(b, n, &msg, NULL), 0);
	assert_int_equal(msg.pdu_session_establishment_request.epco.item[0].v.len, 255);
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), (int)n);
	assert_memory_equal(enc, b, n);
	struct sen_nas_epco e = {0};
	assert_int_equal(sen_nas_epco_add(&e, SEN_NAS_PCO_DNS_IPV4, big, 255), 0);
	assert_int_equal(sen_nas_epco_add(&e, SEN_NAS_PCO_DNS_IPV4, big, 256), -SEN_ERANGE);
}

/*
 * PDU address (9.11.4.10): the PDU session type value fixes the length. An IPv4 address
 * in the 11-octet "suggested interface identifier" IE decoded, leaving 4 octets unread,
 * and the encoder then refused the 7-octet IE. Found by fuzzing.
 */
static void test_pdu_address_length(void **state)
{
	struct sen_nas_error e;

	assert_int_equal(decode_hex("2e0101c1ffff" "2909" "020000000000000042", &msg, &e), 0);
	assert_true(msg.pdu_session_establishment_request.has_suggested_iid);
	assert_int_equal(decode_hex("2e0101c1ffff" "2909" "01ff00000000000042", &msg, &e), 0);
	assert_false(msg.pdu_session_establishment_request.has_suggested_iid);
	assert_int_equal(e.ignored, 1);
	/* PDU address of an establishment accept with an IPv4 address and 2 octets more */
	assert_int_equal(decode_hex("2e0100c211000901000631310101000006" "01e80301e803" "5932"
				    "2907013c3c0001aabb", &msg, &e), 0);
	assert_false(msg.pdu_session_establishment_accept.has_pdu_address);
	assert_true(sen_nas_encode(&msg, enc, sizeof(enc)) > 0);
}

/* A registration request whose 5GS mobile identity is the SUCI: PLMN, key id, output. */
static int reg_suci(const char *plmn, const char *key, const char *out, struct sen_nas_error *e)
{
	char hex[256];

	snprintf(hex, sizeof(hex), "7e004179%04zx01%s000000%s%s", 8 + strlen(out) / 2, plmn, key,
		 out);
	return decode_hex(hex, &msg, e);
}

/*
 * Null-scheme SUCI, SUPI format IMSI (9.11.3.4, TS 23.003 2.2B): the MSIN is BCD with the
 * 0xF end mark only in bits 8..5 of the last octet, at most 15 - 3 - (2 or 3) digits, and
 * the home network public key identifier is 0. A filler in the middle was dropped
 * ("MSIN: 0000101") and a key id of 7 accepted; both are now a malformed mandatory IE.
 */
static void test_suci_null_msin(void **state)
{
	struct sen_nas_error e;
	const struct sen_suci *s = &msg.registration_request.mobile_id.suci;

	assert_int_equal(reg_suci("99f907", "00", "0000000021", &e), 0); /* 10 digits */
	assert_int_equal(reg_suci("99f907", "00", "21436587f9", &e), 0); /* 9, end mark */
	assert_int_equal(s->output_len, 5);
	assert_int_equal(reg_suci("990970", "00", "21436587f9", &e), 0); /* MNC 070: 9 */
	assert_string_equal(s->mnc, "070");
	static const char *const bad[][3] = {
		{"99f907", "00", "000000f01010"}, /* 0xF in the middle */
		{"99f907", "00", "0000000000f1"}, /* 11 digits with a 2-digit MNC */
		{"99f907", "00", "000000000000"}, /* 12 digits */
		{"990970", "00", "0000000021"},	  /* 10 digits with a 3-digit MNC */
		{"99f907", "00", "0a00000021"},	  /* not a BCD digit */
		{"99f907", "00", "00000000ff"},	  /* 0xF in a low nibble, last octet */
		{"99f907", "00", "0000000f21"},	  /* ... in a low nibble */
		{"99f907", "00", ""},		  /* no MSIN at all */
		{"99f907", "07", "0000000021"},	  /* key id 7 with the null scheme */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		if (reg_suci(bad[i][0], bad[i][1], bad[i][2], &e) != -SEN_EPROTO)
			fail_msg("case %zu (%s) decoded", i, bad[i][2]);
		assert_int_equal(e.cause, 96);
		assert_string_equal(e.ie, "5GS mobile identity");
	}
	/* a key id with a protection scheme other than null is fine */
	assert_int_equal(decode_hex("7e004179" "0035" "0199f9070000" "0107" "00112233445566778899"
				    "aabbccddeeff00112233445566778899aabbccddeeff" "0011223344"
				    "0102030405060708", &msg, &e), 0);
	assert_int_equal(s->hn_key_id, 7);

	/* the encoder refuses the same */
	sen_nas_msg_init(&msg, SEN_NAS_REGISTRATION_REQUEST);
	struct sen_nas_registration_request *r = &msg.registration_request;
	r->reg_type = 1;
	r->ngksi = 7;
	r->mobile_id.type = SEN_NAS_ID_SUCI;
	struct sen_suci *w = &r->mobile_id.suci;
	w->supi_type = SEN_SUPI_IMSI;
	strcpy(w->mcc, "999");
	strcpy(w->mnc, "70");
	strcpy(w->routing, "0");
	w->scheme = SEN_SUCI_NULL;
	memcpy(w->output, (uint8_t[]){0x00, 0x00, 0x00, 0x00, 0x21}, 5);
	w->output_len = 5;
	assert_true(sen_nas_encode(&msg, enc, sizeof(enc)) > 0);
	w->hn_key_id = 1;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	w->hn_key_id = 0;
	w->output[2] = 0xf0;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
}

/* A modification request with one Requested QoS flow descriptions IE (optional). */
static int mod_req_flows(const char *flows, struct sen_nas_error *e)
{
	char hex[256];

	snprintf(hex, sizeof(hex), "2e0101c979%04zx%s", strlen(flows) / 2, flows);
	memset(e, 0, sizeof(*e));
	return decode_hex(hex, &msg, e);
}

/*
 * QoS flow descriptions (9.11.4.12, table 9.11.4.12.1): the known parameters have fixed
 * lengths (5QI 1, GFBR / MFBR 3, averaging window 2, EBI 1). A 2-octet or empty 5QI was
 * taken; now the IE is malformed (here optional, so dropped). Unknown identifiers are
 * skipped over.
 */
static void test_qos_flow_param_lengths(void **state)
{
	struct sen_nas_error e;
	const struct sen_nas_pdu_session_modification_request *r =
	    &msg.pdu_session_modification_request;

	assert_int_equal(mod_req_flows("012041" "010109", &e), 0);
	assert_true(r->has_qos_flows);
	assert_int_equal(r->qos_flows.f[0].param[0].v[0], 9);
	assert_int_equal(mod_req_flows("012046" "010101" "0203010080" "0303010080" "0403010100"
				       "0503010100" "0602ea60",
				       &e),
			 0);
	assert_int_equal(r->qos_flows.f[0].n_params, 6);
	assert_int_equal(mod_req_flows("012041" "070150", &e), 0); /* EBI 5 */
	static const char *const bad[] = {
		"012041" "0102090a",   /* 2-octet 5QI */
		"012041" "0100",       /* empty 5QI */
		"012041" "02020100",   /* 2-octet GFBR uplink */
		"012041" "0304010000ff", /* 4-octet GFBR downlink */
		"012041" "040101",     /* 1-octet MFBR uplink */
		"012041" "05020101",   /* 2-octet MFBR downlink */
		"012041" "0603ea6000", /* 3-octet averaging window */
		"012041" "07025000",   /* 2-octet EBI */
		"012042" "010109" "0101", /* the second parameter runs past the end */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (mod_req_flows(bad[i], &e) != 0)
			fail_msg("case %zu (%s): refused whole message", i, bad[i]);
		if (r->has_qos_flows || e.ignored != 1)
			fail_msg("case %zu (%s) taken", i, bad[i]);
		assert_string_equal(e.ie, "Requested QoS flow descriptions");
	}
	/* unknown identifiers: kept when short, skipped over when too long to keep */
	assert_int_equal(mod_req_flows("012042" "010109" "2003010203", &e) + e.ignored, 0);
	assert_int_equal(r->qos_flows.f[0].n_params, 2);
	assert_int_equal(mod_req_flows("012042" "2014" "000102030405060708090a0b0c0d0e0f10111213"
				       "010109",
				       &e) + e.ignored,
			 0);
	assert_int_equal(r->qos_flows.f[0].n_params, 1);
	assert_int_equal(r->qos_flows.f[0].param[0].id, SEN_NAS_QOS_5QI);

	/* the encoder refuses a 2-octet 5QI */
	sen_nas_msg_init(&msg, SEN_NAS_PDU_SESSION_MODIFICATION_REQUEST);
	msg.pdu_session_id = 1;
	msg.pti = 1;
	struct sen_nas_pdu_session_modification_request *w = &msg.pdu_session_modification_request;
	w->has_qos_flows = true;
	w->qos_flows.n = 1;
	w->qos_flows.f[0] = (struct sen_nas_qos_flow){.qfi = 1, .op = 1, .e_bit = true,
						      .n_params = 1};
	w->qos_flows.f[0].param[0].id = SEN_NAS_QOS_5QI;
	w->qos_flows.f[0].param[0].len = 1;
	assert_true(sen_nas_encode(&msg, enc, sizeof(enc)) > 0);
	w->qos_flows.f[0].param[0].len = 2;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
}

/* An establishment accept whose (mandatory) Authorized QoS rules are `rules`. */
static int est_acc_rules(const char *rules, struct sen_nas_error *e)
{
	char hex[256];

	snprintf(hex, sizeof(hex), "2e0100c211%04zx%s0601e80301e803", strlen(rules) / 2, rules);
	memset(e, 0, sizeof(*e));
	return decode_hex(hex, &msg, e);
}

/*
 * QoS rule operations (9.11.4.13): "delete existing QoS rule" carries neither precedence
 * nor QFI (the rule is its operation octet), "create new QoS rule" carries both, the four
 * "modify existing QoS rule" operations both or neither (an SMF leaves out what does not
 * change); no packet filter for "delete" and "modify without modifying packet filters",
 * at least one for "add packet filters" and "delete packet filters", any number for
 * "create" and "replace all packet filters". A delete rule with precedence 255 and QFI 1
 * was taken; then modify rules without precedence and QFI were refused.
 */
static void test_qos_rule_ops(void **state)
{
	struct sen_nas_error e;
	const struct sen_nas_qos_rule *q = &msg.pdu_session_establishment_accept.qos_rules.r[0];

	static const char *const good[] = {
		"010001" "40",		   /* delete */
		"010006" "21310101ff01",   /* create, match-all filter */
		"010003" "20ff01",	   /* create, no filter (e.g. unstructured) */
		"010006" "61310101ff01",   /* add packet filters */
		"010003" "80ff01",	   /* replace all packet filters with none */
		"010004" "a102ff01",	   /* delete packet filter 2 */
		"010003" "c0ff01",	   /* modify without modifying packet filters */
		/* the modify operations without precedence and QFI */
		"010004" "61310101",	   /* add packet filters */
		"010001" "80",		   /* replace all packet filters with none */
		"010004" "81310101",	   /* replace all packet filters with one */
		"010002" "a102",	   /* delete packet filter 2 */
		"010001" "d0",		   /* modify without modifying packet filters, DQR */
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char hex[256], out[2 * 256 + 1];
		if (est_acc_rules(good[i], &e) != 0)
			fail_msg("case %zu (%s): %s: %s", i, good[i], e.ie, e.problem);
		/* and each round-trips octet for octet */
		snprintf(hex, sizeof(hex), "2e0100c211%04zx%s0601e80301e803", strlen(good[i]) / 2,
			 good[i]);
		int n = sen_nas_encode(&msg, enc, sizeof(enc));
		if (n <= 0 || strcmp(sen_hex_encode(enc, (size_t)n, out), hex))
			fail_msg("case %zu (%s): encoded %d: %s", i, good[i], n, n > 0 ? out : "");
	}
	assert_int_equal(est_acc_rules(good[0], &e), 0);
	assert_int_equal(q->op, SEN_NAS_QOS_RULE_DELETE);
	assert_false(q->has_precedence || q->has_qfi);
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), 18);
	assert_int_equal(est_acc_rules("010004" "a102ff07", &e), 0);
	assert_true(q->has_precedence && q->has_qfi);
	assert_int_equal(q->precedence, 255);
	assert_int_equal(q->qfi, 7);
	assert_int_equal(est_acc_rules("010002" "a102", &e), 0);
	assert_int_equal(q->op, SEN_NAS_QOS_RULE_MODIFY_DELETE_PF);
	assert_int_equal(q->n_pf, 1);
	assert_int_equal(q->pf[0].id, 2);
	assert_false(q->has_precedence || q->has_qfi);
	assert_int_equal(est_acc_rules("010001" "d0", &e), 0);
	assert_int_equal(q->op, SEN_NAS_QOS_RULE_MODIFY_NO_PF);
	assert_true(q->dqr);
	assert_false(q->has_precedence || q->has_qfi);

	static const char *const bad[] = {
		"010003" "40ff01",	 /* delete with precedence and QFI */
		"010002" "40ff",	 /* delete with precedence */
		"010005" "2131010101ff", /* create without QFI */
		"010004" "21310101",	 /* create without precedence and QFI */
		"010001" "20",		 /* create, no filter, without precedence and QFI */
		"010003" "60ff01",	 /* add packet filters: none */
		"010003" "a0ff01",	 /* delete packet filters: none */
		"010002" "c0ff",	 /* modify with precedence but no QFI */
		"010005" "61310101ff",	 /* add packet filters, precedence but no QFI */
		"010003" "a10201",	 /* delete packet filters, one octet after the filter */
		"010004" "c1ff01",	 /* modify without filters, one filter (too short anyway) */
		"010004" "a102ff0100",	 /* an octet after the QFI */
		"010000" "",		 /* an empty rule */
		"010005" "c0ff010000",	 /* modify, two octets after the QFI */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (est_acc_rules(bad[i], &e) != -SEN_EPROTO)
			fail_msg("case %zu (%s) decoded", i, bad[i]);
		assert_int_equal(e.cause, 96);
		assert_string_equal(e.ie, "Authorized QoS rules");
	}

	/* the encoder refuses the same shapes */
	assert_int_equal(est_acc_rules(good[0], &e), 0);
	struct sen_nas_qos_rule *w = &msg.pdu_session_establishment_accept.qos_rules.r[0];
	w->has_precedence = w->has_qfi = true;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	assert_int_equal(est_acc_rules(good[1], &e), 0);
	w->has_qfi = false;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	w->has_precedence = false; /* create: both needed */
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	assert_int_equal(est_acc_rules(good[3], &e), 0);
	w->n_pf = 0;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	assert_int_equal(est_acc_rules(good[6], &e), 0); /* modify: one without the other */
	w->has_qfi = false;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	w->has_qfi = true;
	w->has_precedence = false;
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), -SEN_EINVAL);
	w->has_qfi = false; /* neither: the operation octet alone */
	assert_int_equal(sen_nas_encode(&msg, enc, sizeof(enc)), 18);
	assert_memory_equal(enc + 5, "\x00\x04\x01\x00\x01\xc0", 6);
}

static int dump(const struct nas_sample *set, size_t n_set)
{
	static char hex[2 * sizeof(enc) + 1];

	for (size_t i = 0; i < n_set; i++) {
		memset(&msg, 0, sizeof(msg));
		set[i].build(&msg);
		int n = sen_nas_encode(&msg, enc, sizeof(enc));
		if (n <= 0) {
			fprintf(stderr, "%s: encode failed (%d)\n", set[i].name, n);
			return 1;
		}
		printf("%s %s\n", set[i].name, sen_hex_encode(enc, (size_t)n, hex));
	}
	return 0;
}

/* ---- tshark probes (tshark_check.py) ---- */

static const uint8_t all_types[] = {0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x4c,
				    0x4d, 0x4e, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
				    0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x64, 0x65, 0x66, 0x67,
				    0x68, 0xc1, 0xc2, 0xc3, 0xc9, 0xca, 0xcb, 0xcc, 0xcd,
				    0xd1, 0xd2, 0xd3, 0xd4, 0xd6};

static bool *has_flag(struct sen_nas_msg *m, const struct nas_ie *d)
{
	return (bool *)((uint8_t *)&m->registration_request + d->has);
}

static void clear_optional(struct sen_nas_msg *m, const struct nas_msg_desc *md)
{
	for (size_t k = 0; k < md->n; k++)
		if (md->ies[k].opt)
			*has_flag(m, &md->ies[k]) = false;
}

/*
 * Value octets (after IEI and length; for a type 1 IE, the half octet) of each optional
 * IE that no sample carries, by IE name: minimal, plausible contents per TS 24.501 9.11.
 */
static const struct {
	const char *ie, *hex;
} probe_values[] = {
	{"EAP message", "04010004"},			 /* EAP-Failure, identifier 1 */
	{"Extended protocol configuration options", "80000d00"}, /* DNS server IPv4 request */
	{"5GSM cause", "1a"},				 /* #26 insufficient resources */
	{"Network slicing indication", "1"},
	{"Mapped EPS bearer contexts", "50000180"},	 /* EBI 5: delete */
	{"5GSM congestion re-attempt indicator", "01"},
	{"Service area list", "0099f907000001"},	 /* allowed, 999/70 TAC 1 */
	{"SOR transparent container", "00" "00112233445566778899aabbccddeeff" "0001"},
	{"Re-attempt indicator", "01"},
	{"RQ timer value", "21"},			 /* 1 minute */
	{"PDU session reactivation result error cause", "012b"}, /* PSI 1: #43 */
	{"MICO indication", "1"},
	{"LADN information", "0908696e7465726e6574" "07" "0099f907000001"},
	{"EPS bearer context status", "2000"},		 /* EBI 5 */
	{"Configured NSSAI", "0101"},
	{"Always-on PDU session requested", "1"},
	{"Always-on PDU session indication", "1"},
	{"Additional information", "aa"},
	{"non-IMEISV PEI", "4b09512430325781"},	 /* IMEI 490154203237518 */
	{"UE status", "02"},				 /* N1 mode registered */
	{"T3502 value", "21"},
	{"T3448 value", "21"},
	{"T3346 value", "21"},
	{"Selected EPS NAS security algorithms", "12"}, /* EEA1, EIA2 */
	{"SM PDU DN request container", "75736572"},
	{"S1 UE network capability", "e0e0"},
	{"Requested QoS flow descriptions", "012041010109"}, /* QFI 1 create, 5QI 9 */
	{"Requested DRX parameters", "02"},
	{"Negotiated DRX parameters", "02"},
	{"Replayed S1 UE security capabilities", "e0e0"},
	{"Release assistance indication", "1"},
	{"Rejected NSSAI", "1001"},			 /* SST 1, cause 0 */
	{"Payload container type", "1"},
	{"Payload container", "2e0101d4"},		 /* 5GSM: release complete */
	{"PDU session status", "0200"},			 /* PSI 1 */
	{"PDU session reactivation result", "0200"},
	{"Allowed PDU session status", "0200"},
	{"Old PDU session ID", "02"},
	{"Non-3GPP de-registration timer value", "21"},
	{"NSSAI inclusion mode", "1"},
	{"NAS message container", "7e0043"},		 /* Registration complete */
	{"Maximum number of supported packet filters", "0200"}, /* 16 */
	{"MA PDU session information", "1"},
	{"LADN indication", "0908696e7465726e6574"},
	{"Integrity protection maximum data rate", "ffff"},
	{"Emergency number list", "030111f2"},		 /* police: 112 */
	{"EPS NAS message container", "0746"},		 /* EMM: detach accept */
	{"Back-off timer value", "21"},
	{"Allowed NSSAI", "0101"},
	{"Additional GUTI", "f299f907020040c0ffee01"},
};

/* Message md with mandatory IEs from a sample and the one optional IE d, into enc. */
static int probe_msg(const struct nas_msg_desc *md, const struct nas_ie *d)
{
	const struct nas_sample *base = NULL;

	for (size_t i = 0; i < n_all(); i++) {
		memset(&msg, 0, sizeof(msg));
		sample(i)->build(&msg);
		if (msg.epd != md->epd || msg.type != md->type)
			continue;
		if (!base)
			base = sample(i);
		if (*has_flag(&msg, d)) {
			clear_optional(&msg, md);
			*has_flag(&msg, d) = true;
			return sen_nas_encode(&msg, enc, sizeof(enc));
		}
	}
	if (!base)
		return -1;
	const char *hex = NULL;
	for (size_t i = 0; i < sizeof(probe_values) / sizeof(probe_values[0]); i++)
		if (!strcmp(probe_values[i].ie, d->name))
			hex = probe_values[i].hex;
	if (!hex) {
		fprintf(stderr, "%s / %s: no sample and no probe value\n", md->name, d->name);
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	base->build(&msg);
	clear_optional(&msg, md);
	int n = sen_nas_encode(&msg, enc, sizeof(enc));
	uint8_t v[256];
	int vl = (int)strlen(hex);
	if (n <= 0 || (d->fmt == NAS_TV1 ? vl != 1 : sen_hex_decode(hex, v, sizeof(v)) != vl / 2))
		return -1;
	vl /= 2;
	switch (d->fmt) {
	case NAS_TV1:
		enc[n++] = (uint8_t)(d->iei | (hex[0] - '0'));
		vl = 0;
		break;
	case NAS_TV:
		enc[n++] = d->iei;
		break;
	case NAS_TLV:
		enc[n++] = d->iei;
		enc[n++] = (uint8_t)vl;
		break;
	default:
		enc[n++] = d->iei;
		enc[n++] = (uint8_t)(vl >> 8);
		enc[n++] = (uint8_t)vl;
		break;
	}
	memcpy(enc + n, v, (size_t)vl);
	return n + vl;
}

/*
 * "--dump-probe": for every optional IE of every message table, "MT-IEI hex offset" of a
 * message carrying only that optional IE (starting at octet `offset`), which our decoder
 * must take without dropping anything.
 */
static int dump_probe(void)
{
	static char hex[2 * sizeof(enc) + 1];

	for (size_t t = 0; t < sizeof(all_types); t++) {
		uint8_t epd = all_types[t] >= 0xc0 ? SEN_NAS_EPD_5GSM : SEN_NAS_EPD_5GMM;
		const struct nas_msg_desc *md = nas_msg_find(epd, all_types[t]);
		for (size_t k = 0; md && k < md->n; k++) {
			const struct nas_ie *d = &md->ies[k];
			if (!d->opt)
				continue;
			int n = probe_msg(md, d);
			struct sen_nas_error e;
			if (n <= 0 || sen_nas_decode(enc, (size_t)n, &msg2, &e) != 0 || e.ignored ||
			    !*has_flag(&msg2, d)) {
				fprintf(stderr, "%s / %s: probe does not decode (%d)\n", md->name,
					d->name, n);
				return 1;
			}
			/* where the IE starts: the message without it ends there */
			*has_flag(&msg2, d) = false;
			int at = sen_nas_encode(&msg2, enc2, sizeof(enc2));
			printf("%02x-%02x %s %d\n", md->type, d->iei,
			       sen_hex_encode(enc, (size_t)n, hex), at);
		}
	}
	return 0;
}

/*
 * "--dump-r17-ies": per Release 17 sample, "name IEI@offset,..." of its optional IEs. The
 * encoder writes optional IEs in table order, so adding them one by one in that order
 * gives where each starts.
 */
static int dump_r17_ies(void)
{
	for (size_t i = 0; i < nas_n_samples_r17; i++) {
		static struct sen_nas_msg full;
		memset(&full, 0, sizeof(full));
		nas_samples_r17[i].build(&full);
		const struct nas_msg_desc *md = nas_msg_find(full.epd, full.type);
		msg = full;
		clear_optional(&msg, md);
		int at = sen_nas_encode(&msg, enc, sizeof(enc));
		printf("%s ", nas_samples_r17[i].name);
		const char *sep = "";
		for (size_t k = 0; k < md->n && at > 0; k++) {
			const struct nas_ie *d = &md->ies[k];
			if (!d->opt || !*has_flag(&full, d))
				continue;
			*has_flag(&msg, d) = true;
			printf("%s%02x@%d", sep, d->iei, at);
			sep = ",";
			at = sen_nas_encode(&msg, enc, sizeof(enc));
		}
		printf("\n");
		if (at <= 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--dump"))
		return dump(nas_samples, nas_n_samples);
	if (argc > 1 && !strcmp(argv[1], "--dump-r17"))
		return dump(nas_samples_r17, nas_n_samples_r17);
	if (argc > 1 && !strcmp(argv[1], "--dump-r17-ies"))
		return dump_r17_ies();
	if (argc > 1 && !strcmp(argv[1], "--dump-probe"))
		return dump_probe();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples_roundtrip),
		cmocka_unit_test(test_sample_fields),
		cmocka_unit_test(test_snssai_pdu_address),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_vector_fields),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_ie_coverage),
		cmocka_unit_test(test_mac_identity),
		cmocka_unit_test(test_identity_types),
		cmocka_unit_test(test_epco_long_container),
		cmocka_unit_test(test_pdu_address_length),
		cmocka_unit_test(test_suci_null_msin),
		cmocka_unit_test(test_qos_flow_param_lengths),
		cmocka_unit_test(test_qos_rule_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
