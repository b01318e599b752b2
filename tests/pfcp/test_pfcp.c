/*
 * Unit tests for lib/pfcp (TS 29.244 clauses 7, 8):
 *   - every sample message (samples.c) encodes, decodes, walks and re-encodes to the
 *     same octets, and its key fields read back;
 *   - hand-assembled octets (written from the spec's figures, not by our encoder) decode
 *     and encode to the same octets;
 *   - every truncation of every sample is an error and never a crash, also when the
 *     header's length is patched to match the cut;
 *   - the error classes of 7.6 (66 missing with Offending IE, 68 length, 69 incorrect,
 *     unknown and vendor IEs skipped, repeated IEs, version, message type, capacity),
 *     bundled messages, and the encoder's refusals.
 * With "--dump" it prints "name hex" per sample instead (for the tshark oracle test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/hex.h"
#include "pfcp/pfcp.h"
#include "samples.h"

static uint8_t enc[16384], enc2[16384];
static struct sen_pfcp_msg msg, msg2;

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
static const struct sen_pfcp_visitor nop = {nop_open, nop_close, nop_value};

static int encode_sample(size_t i, uint8_t *out, size_t cap)
{
	pfcp_samples[i].build(&msg);
	return sen_pfcp_encode(&msg, out, cap);
}

static void test_samples_roundtrip(void **state)
{
	for (size_t i = 0; i < pfcp_n_samples; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		if (n <= 0)
			fail_msg("%s: encode returned %d", pfcp_samples[i].name, n);
		struct sen_pfcp_error e;
		int rc = sen_pfcp_decode(enc, (size_t)n, &msg2, &e);
		if (rc != n)
			fail_msg("%s: decode %d: %s: %s", pfcp_samples[i].name, rc, e.ie,
				 e.problem);
		assert_int_equal(e.ignored, 0);
		assert_int_equal(e.fault, SEN_PFCP_FAULT_NONE);
		int depth = 0;
		assert_int_equal(sen_pfcp_walk(&msg2, &nop, &depth), 0);
		assert_int_equal(depth, 0);
		int n2 = sen_pfcp_encode(&msg2, enc2, sizeof(enc2));
		assert_int_equal(n2, n);
		if (memcmp(enc, enc2, (size_t)n) != 0)
			fail_msg("%s: re-encoding differs", pfcp_samples[i].name);
		assert_non_null(sen_pfcp_msg_name(msg2.type));
	}
}

static const struct pfcp_sample *find_sample(const char *name)
{
	for (size_t i = 0; i < pfcp_n_samples; i++)
		if (!strcmp(pfcp_samples[i].name, name))
			return &pfcp_samples[i];
	fail_msg("no sample %s", name);
	return NULL;
}

/* Encode a sample and decode it into msg2. */
static int decode_sample(const char *name)
{
	find_sample(name)->build(&msg);
	int n = sen_pfcp_encode(&msg, enc, sizeof(enc));
	assert_true(n > 0);
	assert_int_equal(sen_pfcp_decode(enc, (size_t)n, &msg2, NULL), n);
	return n;
}

static void test_sample_fields(void **state)
{
	decode_sample("session-establishment-request");
	const struct sen_pfcp_session_establishment_request *r =
	    &msg2.session_establishment_request;
	assert_int_equal(msg2.type, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST);
	assert_int_equal(msg2.seq, 100);
	assert_int_equal(msg2.seid, 0);
	assert_int_equal(r->cp_fseid.seid, 1);
	assert_int_equal(r->n_create_pdr, 2);
	assert_int_equal(r->create_pdr[0].pdr_id, 1);
	assert_int_equal(r->create_pdr[0].pdi.local_fteid.flags,
			 SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_CHID | SEN_PFCP_FTEID_V4);
	assert_int_equal(r->create_pdr[0].pdi.local_fteid.choose_id, 5);
	assert_int_equal(r->create_pdr[0].pdi.network_instance.len, 9);
	assert_memory_equal(r->create_pdr[0].pdi.network_instance.p, "\x08internet", 9);
	assert_true(r->create_pdr[0].has_ohr);
	assert_int_equal(r->create_pdr[0].ohr.ext_deletion, 1);
	assert_int_equal(r->create_pdr[1].pdi.ue_ip[0].ipv4[3], 2);
	assert_int_equal(r->create_pdr[1].pdi.sdf_filter[0].flow_desc.len, 34);
	assert_int_equal(r->create_far[0].apply_action.bits, SEN_PFCP_AA_FORW);
	assert_int_equal(r->create_far[0].apply_action.len, 2);
	assert_true(r->create_far[0].fwd.has_destination_interface);
	assert_int_equal(r->create_far[0].fwd.destination_interface, SEN_PFCP_IF_CORE);
	assert_false(r->create_far[1].has_fwd);
	assert_int_equal(r->create_qer[0].mbr.dl, 2000000);
	assert_true(r->create_qer[0].has_gate_status);
	assert_true(r->create_urr[0].has_measurement_method);
	assert_int_equal(r->create_urr[0].volume_threshold.total, 1000000000ull);
	assert_int_equal(r->pdn_type, 1);

	decode_sample("session-modification-request");
	const struct sen_pfcp_session_modification_request *m = &msg2.session_modification_request;
	assert_int_equal(msg2.seid, 0x1001);
	assert_int_equal(m->remove_pdr[0].id, 3);
	assert_int_equal(m->update_far[0].fwd.ohc.teid, 1);
	assert_int_equal(m->update_far[0].fwd.ohc.ipv4[0], 10);
	assert_int_equal(m->update_far[0].fwd.smreq_flags.bits, SEN_PFCP_SMREQ_SNDEM);
	assert_int_equal(m->update_qer[0].gate_status, 1);
	assert_int_equal(m->create_qer[0].gbr.dl, 512);

	decode_sample("association-setup-request-fqdn");
	assert_string_equal(msg2.association_setup.node_id.fqdn, "upf1.sen.example");
	assert_int_equal(msg2.seq, 0x123456);
	assert_int_equal(msg2.association_setup.up_features.len, 6);

	decode_sample("session-deletion-request");
	assert_true(msg2.mp);
	assert_int_equal(msg2.priority, 5);

	decode_sample("session-deletion-response");
	assert_int_equal(msg2.session_response.n_usage_report, 2);
	assert_int_equal(msg2.session_response.usage_report[1].trigger.bits, SEN_PFCP_URT_TERMR);
	assert_int_equal(msg2.session_response.usage_report[0].volume.dl_pkts, 20);
}

/* Octets assembled by hand from TS 29.244 figures 7.2.2.1-1, 8.1.1-1 and 8.2.x. */
static const struct {
	const char *name, *hex;
} hand[] = {
    /* Heartbeat Request: v1, S=0, type 1, length 12, seq 1, Recovery Time Stamp. */
    {"heartbeat", "2001000c000001000060000400000e10"},
    /* Association Setup Request: Node ID FQDN "upf.sen", Recovery, UP features FTUP. */
    {"association", "2005001f00000200"
		    "003c000902037570660373656e"
		    "006000040000000a"
		    "002b00021000"},
    /* Session Report Request: S=1, SEID 5, seq 3, Report Type USAR, Usage Report
       (URR ID 9, UR-SEQN 0, trigger PERIO in 3 octets). */
    {"report", "2138002c"
	       "0000000000000005"
	       "00000300"
	       "0027000102"
	       "00500017"
	       "0051000400000009"
	       "0068000400000000"
	       "003f0003010000"},
};

static void test_hand_assembled(void **state)
{
	uint8_t in[256];

	for (size_t i = 0; i < sizeof(hand) / sizeof(hand[0]); i++) {
		int n = sen_hex_decode(hand[i].hex, in, sizeof(in));
		assert_true(n > 0);
		struct sen_pfcp_error e;
		int rc = sen_pfcp_decode(in, (size_t)n, &msg, &e);
		if (rc != n)
			fail_msg("%s: decode %d: %s: %s", hand[i].name, rc, e.ie, e.problem);
		assert_int_equal(sen_pfcp_encode(&msg, enc, sizeof(enc)), n);
		assert_memory_equal(enc, in, (size_t)n);
	}
	sen_hex_decode(hand[1].hex, in, sizeof(in));
	sen_pfcp_decode(in, sizeof(in), &msg, NULL);
	assert_string_equal(msg.association_setup.node_id.fqdn, "upf.sen");
	assert_true(msg.association_setup.up_features.bits & SEN_PFCP_UP_FTUP);
	int n = sen_hex_decode(hand[2].hex, in, sizeof(in));
	assert_int_equal(sen_pfcp_decode(in, (size_t)n, &msg, NULL), n);
	assert_int_equal(msg.seid, 5);
	assert_int_equal(msg.seq, 3);
	assert_int_equal(msg.session_report_request.usage_report[0].urr_id, 9);
	assert_int_equal(msg.session_report_request.usage_report[0].trigger.bits,
			 SEN_PFCP_URT_PERIO);
}

static void test_truncation(void **state)
{
	for (size_t i = 0; i < pfcp_n_samples; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		assert_true(n > 0);
		for (int cut = 0; cut < n; cut++) {
			/* An exact-size copy, so that an over-read is a heap overflow. */
			uint8_t *p = malloc((size_t)cut + 1);
			assert_non_null(p);
			memcpy(p, enc, (size_t)cut);
			struct sen_pfcp_error e;
			int rc = sen_pfcp_decode(p, (size_t)cut, &msg2, &e);
			if (rc >= 0)
				fail_msg("%s: cut at %d decoded", pfcp_samples[i].name, cut);
			assert_true(e.problem && *e.problem);
			/* Same cut with the length field patched: the IEs are cut instead. */
			if (cut >= 4) {
				p[2] = (uint8_t)((cut - 4) >> 8);
				p[3] = (uint8_t)(cut - 4);
				rc = sen_pfcp_decode(p, (size_t)cut, &msg2, &e);
				if (rc >= 0) {
					assert_int_equal(rc, cut);
					assert_true(sen_pfcp_encode(&msg2, enc2, sizeof(enc2)) > 0);
				} else {
					assert_true(e.problem && *e.problem);
				}
			}
			free(p);
		}
	}
}

/* ---- hand-built messages for the error cases ---- */

static void ie(struct sen_buf *b, uint16_t type, const char *hex)
{
	uint8_t v[256];
	int n = sen_hex_decode(hex, v, sizeof(v));

	assert_true(n >= 0);
	sen_buf_put_u16(b, type);
	sen_buf_put_u16(b, (uint16_t)n);
	sen_buf_put_bytes(b, v, (size_t)n);
}

/* A grouped IE: returns the offset to close with end_group(). */
static size_t group(struct sen_buf *b, uint16_t type)
{
	sen_buf_put_u16(b, type);
	size_t at = sen_buf_len(b);
	sen_buf_put_u16(b, 0);
	return at;
}

static void end_group(struct sen_buf *b, size_t at)
{
	sen_buf_set_u16(b, at, (uint16_t)(sen_buf_len(b) - at - 2));
}

static void header(struct sen_buf *b, uint8_t type, bool s)
{
	sen_buf_put_u8(b, s ? 0x21 : 0x20);
	sen_buf_put_u8(b, type);
	sen_buf_put_u16(b, 0);
	if (s)
		sen_buf_put_u64(b, 0x1001);
	sen_buf_put_u24(b, 42);
	sen_buf_put_u8(b, 0);
}

static int finish(struct sen_buf *b, struct sen_pfcp_error *e)
{
	assert_int_equal(sen_buf_error(b), 0);
	sen_buf_set_u16(b, 2, (uint16_t)(sen_buf_len(b) - 4));
	int rc = sen_pfcp_decode(sen_buf_data(b), sen_buf_len(b), &msg, e);
	return rc;
}

/* A Session Establishment Request with one Create PDR whose PDI is given as hex IEs. */
static int est_with_pdi(struct sen_buf *b, const char *fteid_hex, bool with_pdi,
			struct sen_pfcp_error *e)
{
	sen_buf_reset(b);
	header(b, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST, true);
	ie(b, SEN_PFCP_IE_NODE_ID, "007f000004");
	ie(b, SEN_PFCP_IE_F_SEID, "0200000000000000017f000004");
	size_t pdr = group(b, SEN_PFCP_IE_CREATE_PDR);
	ie(b, SEN_PFCP_IE_PDR_ID, "0001");
	ie(b, SEN_PFCP_IE_PRECEDENCE, "000000c8");
	if (with_pdi) {
		size_t pdi = group(b, SEN_PFCP_IE_PDI);
		ie(b, SEN_PFCP_IE_SOURCE_INTERFACE, "00");
		if (fteid_hex)
			ie(b, SEN_PFCP_IE_F_TEID, fteid_hex);
		end_group(b, pdi);
	}
	end_group(b, pdr);
	size_t far = group(b, SEN_PFCP_IE_CREATE_FAR);
	ie(b, SEN_PFCP_IE_FAR_ID, "00000001");
	ie(b, SEN_PFCP_IE_APPLY_ACTION, "0200");
	end_group(b, far);
	return finish(b, e);
}

static void test_errors(void **state)
{
	struct sen_buf b;
	struct sen_pfcp_error e;
	int rc;

	sen_buf_init(&b);

	/* A valid one first, with unknown, vendor and repeated IEs to skip (7.6.1). */
	rc = est_with_pdi(&b, "0100000abc7f000007", true, &e);
	assert_true(rc > 0);
	assert_int_equal(msg.session_establishment_request.create_pdr[0].pdi.local_fteid.teid,
			 0xabc);
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_HEARTBEAT_REQUEST, false);
	ie(&b, 9999, "01020304");
	ie(&b, 0x8001, "00010203"); /* vendor IE: Enterprise ID 1 */
	ie(&b, SEN_PFCP_IE_RECOVERY_TIME_STAMP, "00000001");
	ie(&b, SEN_PFCP_IE_RECOVERY_TIME_STAMP, "00000002"); /* repeated: first wins */
	assert_true(finish(&b, &e) > 0);
	assert_int_equal(e.ignored, 3);
	assert_int_equal(msg.heartbeat.recovery_ts, 1);

	/* Missing mandatory IE at the top: cause 66, Offending IE = Recovery Time Stamp. */
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_HEARTBEAT_REQUEST, false);
	rc = finish(&b, &e);
	assert_int_equal(rc, -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_MISSING);
	assert_int_equal(e.cause, SEN_PFCP_CAUSE_MANDATORY_IE_MISSING);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_RECOVERY_TIME_STAMP);
	assert_string_equal(e.msg, "Heartbeat Request");
	assert_int_equal(msg.seq, 42); /* the header is there to answer */

	/* Missing inside a grouped IE: the path names it. */
	rc = est_with_pdi(&b, NULL, false, &e);
	assert_int_equal(rc, -SEN_EPROTO);
	assert_int_equal(e.cause, 66);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_PDI);
	assert_string_equal(e.ie, "Create PDR / PDI");
	assert_int_equal(msg.seid, 0x1001);

	/* F-TEID with CH=0 and neither V4 nor V6: incorrect, cause 69. */
	rc = est_with_pdi(&b, "0000000abc", true, &e);
	assert_int_equal(rc, -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_INCORRECT);
	assert_int_equal(e.cause, SEN_PFCP_CAUSE_MANDATORY_IE_INCORRECT);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_F_TEID);
	assert_string_equal(e.ie, "Create PDR / PDI / Local F-TEID");

	/* F-TEID too short for V4: invalid length, cause 68. */
	rc = est_with_pdi(&b, "0100000abc7f00", true, &e);
	assert_int_equal(rc, -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_LENGTH);
	assert_int_equal(e.cause, SEN_PFCP_CAUSE_INVALID_LENGTH);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_F_TEID);

	/* CHOOSE with a CHID: the Choose ID octet. */
	rc = est_with_pdi(&b, "0d07", true, &e);
	assert_true(rc > 0);
	assert_int_equal(msg.session_establishment_request.create_pdr[0].pdi.local_fteid.choose_id,
			 7);

	/* An IE whose length runs past its grouped IE. */
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_ASSOCIATION_RELEASE_REQUEST, false);
	sen_buf_put_u16(&b, SEN_PFCP_IE_NODE_ID);
	sen_buf_put_u16(&b, 9);
	sen_buf_put_bytes(&b, "\x00\x7f\x00\x00", 4);
	rc = finish(&b, &e);
	assert_int_equal(rc, -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_LENGTH);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_NODE_ID);

	/* Node ID of an unknown type: incorrect. */
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_ASSOCIATION_RELEASE_REQUEST, false);
	ie(&b, SEN_PFCP_IE_NODE_ID, "037f000004");
	assert_int_equal(finish(&b, &e), -SEN_EPROTO);
	assert_int_equal(e.cause, 69);

	/* Version 2: Version Not Supported Response (7.6.2). */
	uint8_t v2[] = {0x40, 1, 0, 4, 0, 0, 1, 0};
	assert_int_equal(sen_pfcp_decode(v2, sizeof(v2), &msg, &e), -SEN_ENOTSUP);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_VERSION);

	/* Unknown message type: discarded, header still read. */
	uint8_t unk[] = {0x20, 200, 0, 4, 0, 0, 9, 0};
	assert_int_equal(sen_pfcp_decode(unk, sizeof(unk), &msg, &e), -SEN_ENOTSUP);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_MSG_TYPE);
	assert_int_equal(e.cause, 0);
	assert_int_equal(msg.seq, 9);

	/* Session message without SEID. */
	uint8_t nos[] = {0x20, 54, 0, 4, 0, 0, 9, 0};
	assert_int_equal(sen_pfcp_decode(nos, sizeof(nos), &msg, &e), -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_HEADER);

	/* Message length past the datagram: cause 68, the header is known. */
	uint8_t lng[] = {0x21, 54, 0, 40, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 7, 0};
	assert_int_equal(sen_pfcp_decode(lng, sizeof(lng), &msg, &e), -SEN_EMSGSIZE);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_LENGTH);
	assert_int_equal(e.cause, 68);
	assert_int_equal(msg.seid, 1);
	assert_int_equal(msg.seq, 7);

	/* Length shorter than the header. */
	uint8_t shrt[] = {0x21, 54, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 7, 0};
	assert_int_equal(sen_pfcp_decode(shrt, sizeof(shrt), &msg, &e), -SEN_EMSGSIZE);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_TOO_SHORT);

	/* More Create PDRs than Sen holds: cause 64. */
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST, true);
	for (int i = 0; i <= SEN_PFCP_MAX_PDR; i++) {
		size_t pdr = group(&b, SEN_PFCP_IE_CREATE_PDR);
		ie(&b, SEN_PFCP_IE_PDR_ID, "0001");
		ie(&b, SEN_PFCP_IE_PRECEDENCE, "00000001");
		ie(&b, SEN_PFCP_IE_PDI, "0014000100");
		end_group(&b, pdr);
	}
	assert_int_equal(finish(&b, &e), -SEN_ERANGE);
	assert_int_equal(e.fault, SEN_PFCP_FAULT_CAPACITY);
	assert_int_equal(e.cause, SEN_PFCP_CAUSE_REQUEST_REJECTED);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_CREATE_PDR);

	/* Gate status value 2 is spare: incorrect. */
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_SESSION_MODIFICATION_REQUEST, true);
	size_t q = group(&b, SEN_PFCP_IE_UPDATE_QER);
	ie(&b, SEN_PFCP_IE_QER_ID, "00000001");
	ie(&b, SEN_PFCP_IE_GATE_STATUS, "02");
	end_group(&b, q);
	assert_int_equal(finish(&b, &e), -SEN_EPROTO);
	assert_string_equal(e.ie, "Update QER / Gate Status");

	/* Bad FQDN labels in a Node ID. */
	sen_buf_reset(&b);
	header(&b, SEN_PFCP_ASSOCIATION_RELEASE_REQUEST, false);
	ie(&b, SEN_PFCP_IE_NODE_ID, "0205757066");
	assert_int_equal(finish(&b, &e), -SEN_EPROTO);
	assert_int_equal(e.offending_ie, SEN_PFCP_IE_NODE_ID);

	sen_buf_free(&b);
}

/* Bundled messages (7.2.1A): FO set on all but the last. */
static void test_bundle(void **state)
{
	find_sample("heartbeat-request")->build(&msg);
	msg.fo = true;
	int n1 = sen_pfcp_encode(&msg, enc, sizeof(enc));
	find_sample("session-report-request-dldr")->build(&msg);
	int n2 = sen_pfcp_encode(&msg, enc + n1, sizeof(enc) - (size_t)n1);
	assert_true(n1 > 0 && n2 > 0);
	assert_int_equal(sen_pfcp_decode(enc, (size_t)(n1 + n2), &msg2, NULL), n1);
	assert_true(msg2.fo);
	assert_int_equal(sen_pfcp_decode(enc + n1, (size_t)n2, &msg2, NULL), n2);
	assert_false(msg2.fo);
	assert_int_equal(msg2.type, SEN_PFCP_SESSION_REPORT_REQUEST);
}

static void test_encode_errors(void **state)
{
	int n = decode_sample("session-establishment-request");

	/* Every buffer shorter than the message: -SEN_EMSGSIZE, never a partial success. */
	for (int cap = 0; cap < n; cap++)
		assert_int_equal(sen_pfcp_encode(&msg, enc2, (size_t)cap), -SEN_EMSGSIZE);

	struct sen_pfcp_session_establishment_request *r = &msg.session_establishment_request;
	r->create_pdr[0].pdi.qfi[0] = 64;
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	r->create_pdr[0].pdi.qfi[0] = 1;
	r->n_create_far = 0; /* mandatory */
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	r->n_create_far = SEN_PFCP_MAX_FAR + 1;
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	r->n_create_far = 2;
	r->create_pdr[0].pdi.local_fteid.flags = 0; /* CH=0 and no address */
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	r->create_pdr[0].pdi.local_fteid.flags = SEN_PFCP_FTEID_CH;
	r->create_qer[0].mbr.ul = 1ull << 40;
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	r->create_qer[0].mbr.ul = 1;
	r->create_far[0].apply_action.bits = 1u << 9;
	r->create_far[0].apply_action.len = 1; /* fewer octets than the bits need */
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	r->create_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
	r->create_far[0].apply_action.len = 0;
	msg.seq = 1u << 24;
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	msg.seq = 1;
	assert_true(sen_pfcp_encode(&msg, enc2, sizeof(enc2)) > 0);

	sen_pfcp_msg_init(&msg, SEN_PFCP_ASSOCIATION_RELEASE_REQUEST, 1);
	msg.association_release.node_id.type = SEN_PFCP_NODE_FQDN;
	strcpy(msg.association_release.node_id.fqdn, "bad..name");
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	msg.association_release.node_id.type = 7;
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_EINVAL);
	sen_pfcp_msg_init(&msg, 200, 1);
	assert_int_equal(sen_pfcp_encode(&msg, enc2, sizeof(enc2)), -SEN_ENOTSUP);
}

static void test_helpers(void **state)
{
	uint8_t l[64];
	char t[64];

	assert_int_equal(sen_pfcp_labels_encode("internet", l, sizeof(l)), 9);
	assert_int_equal(sen_pfcp_labels_encode("ims.mnc070.mcc999.gprs", l, sizeof(l)), 23);
	assert_int_equal(sen_pfcp_labels_decode(l, 23, t, sizeof(t)), 22);
	assert_string_equal(t, "ims.mnc070.mcc999.gprs");
	assert_int_equal(sen_pfcp_labels_decode(l, 23, t, 10), -SEN_EMSGSIZE);
	assert_int_equal(sen_pfcp_labels_decode(l, 22, t, sizeof(t)), -SEN_EPROTO);
	assert_int_equal(sen_pfcp_labels_encode("a..b", l, sizeof(l)), -SEN_EINVAL);
	assert_int_equal(sen_pfcp_labels_encode("", l, sizeof(l)), -SEN_EINVAL);
	assert_int_equal(sen_pfcp_labels_encode("internet", l, 5), -SEN_EMSGSIZE);
	assert_int_equal(sen_pfcp_ntp_from_unix(0), 2208988800u);
	assert_string_equal(sen_pfcp_cause_name(66), "Mandatory IE missing");
	assert_string_equal(sen_pfcp_cause_name(200), "unknown");
	assert_string_equal(sen_pfcp_ie_name(21), "F-TEID");
	assert_null(sen_pfcp_ie_name(5000));
	assert_string_equal(sen_pfcp_msg_name(50), "Session Establishment Request");
	assert_null(sen_pfcp_msg_name(3));
	assert_true(sen_pfcp_msg_has_seid(57));
	assert_false(sen_pfcp_msg_has_seid(1));
}

static int dump(void)
{
	char hex[2 * sizeof(enc) + 1];

	for (size_t i = 0; i < pfcp_n_samples; i++) {
		int n = encode_sample(i, enc, sizeof(enc));
		if (n <= 0)
			return 1;
		printf("%s %s\n", pfcp_samples[i].name, sen_hex_encode(enc, (size_t)n, hex));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--dump"))
		return dump();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_samples_roundtrip),
	    cmocka_unit_test(test_sample_fields),
	    cmocka_unit_test(test_hand_assembled),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_bundle),
	    cmocka_unit_test(test_encode_errors),
	    cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
