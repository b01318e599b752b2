/*
 * Unit tests for lib/ngap (TS 38.413): the descriptor tables check out; every sample PDU
 * and transfer round-trips (encode, decode, encode again: identical octets, no clause 10
 * findings); public PDUs from other implementations (tests/ngap/data/public.txt) decode and
 * re-encode identically; every truncation and random corruption is survived; clause 10
 * judgements (unknown / missing / repeated IEs, unknown procedures); helpers; the printer.
 *
 * Usage: test-ngap DATA_DIR        (cmocka, TAP)
 *        test-ngap --dump          prints "name hex" for every sample (tshark oracle)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "ngap/ngap.h"
#include "samples.h"

static const char *data_dir = ".";
static uint8_t arena_buf[16384];
static struct sen_asn_arena arena;
static struct sen_asn_ctx ctx;
static uint8_t out[8192], out2[8192];

static void fresh(void)
{
	sen_asn_arena_reset(&arena);
	sen_asn_ctx_init(&ctx, &arena, 0);
}

static void fail_where(const char *what, int rc)
{
	char where[256];
	sen_asn_ctx_where(&ctx, where, sizeof(where));
	fail_msg("%s: %s at %s", what, sen_strerror(rc), where);
}

static void test_tables(void **state)
{
	char why[200];
	int rc = sen_ngap_check_tables(why, sizeof(why));
	if (rc)
		fail_msg("descriptor table: %s", why);
}

/* encode pdu; decode it; check the decoded value re-encodes to the same octets */
static int roundtrip(const char *name, const struct sen_ngap_pdu *pdu, struct sen_ngap_pdu *d)
{
	int n = sen_ngap_encode(pdu, out, sizeof(out));
	if (n <= 0)
		fail_msg("%s: encode: %s", name, sen_strerror(n));
	fresh();
	int m = sen_ngap_decode(d, out, (size_t)n, &ctx);
	if (m < 0)
		fail_where(name, m);
	assert_int_equal(m, n);
	if (ctx.ndiag)
		fail_msg("%s: %u clause 10 findings (first IE %u)", name, ctx.ndiag, ctx.diag[0].id);
	assert_non_null(d->msg.value.type);
	assert_ptr_equal(d->msg.value.type, pdu->msg.value.type);
	int k = sen_ngap_encode(d, out2, sizeof(out2));
	assert_int_equal(k, n);
	if (memcmp(out, out2, (size_t)n))
		fail_msg("%s: re-encoding differs", name);
	struct sen_ngap_judgement j;
	assert_int_equal(sen_ngap_judge(d, &ctx, &j), SEN_NGAP_PROCEED);
	return n;
}

static void test_roundtrip_all(void **state)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	struct sen_ngap_pdu d;
	assert_int_equal(n, 35);
	for (int i = 0; i < n; i++)
		roundtrip(s[i].name, &s[i].pdu, &d);
}

static void test_roundtrip_values(void **state)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	struct sen_ngap_pdu d;
	for (int i = 0; i < n; i++) {
		if (strcmp(s[i].name, "initial-ue-message"))
			continue;
		roundtrip(s[i].name, &s[i].pdu, &d);
		const struct sen_ngap_initial_ue_message *m = d.msg.value.value;
		assert_int_equal(d.msg.procedure_code, SEN_NGAP_PROC_INITIAL_UE_MESSAGE);
		assert_int_equal(d.msg.criticality, SEN_ASN_IGNORE);
		assert_int_equal(m->ran_ue_ngap_id, SAMPLE_RAN_UE_NGAP_ID);
		assert_int_equal(m->nas_pdu.len, strlen(SAMPLE_NAS_HEX) / 2);
		assert_int_equal(m->uli.present, SEN_NGAP_ULI_NR);
		assert_memory_equal(m->uli.u.nr.tai.plmn.data, "\x99\xf9\x07", 3);
		assert_int_equal(sen_ngap_bits_value(&m->uli.u.nr.cgi.cell_id), 0x10);
		assert_int_equal(m->rrc_establishment_cause, SEN_NGAP_RRC_MO_SIGNALLING);
		assert_true(m->has_ue_context_request);
		assert_false(m->has_s_tmsi);
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(s[i].name, "pdu-session-resource-setup-request"))
			continue;
		roundtrip(s[i].name, &s[i].pdu, &d);
		const struct sen_ngap_pdu_session_resource_setup_request *m = d.msg.value.value;
		assert_true(m->amf_ue_ngap_id == SAMPLE_AMF_UE_NGAP_ID);
		assert_int_equal(m->pdu_sessions.count, 1);
		const struct sen_ngap_ps_setup_item *it = &m->pdu_sessions.items[0];
		struct sen_ngap_setup_request_transfer t;
		assert_true(sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t,
						     it->transfer.data, it->transfer.len, &ctx) > 0);
		assert_int_equal(ctx.ndiag, 0);
		assert_int_equal(t.ul_tnl.u.gtp.addr.nbits, 32);
		assert_memory_equal(t.ul_tnl.u.gtp.addr.data, "\x0a\x00\x00\x07", 4);
		assert_memory_equal(t.ul_tnl.u.gtp.teid.data, SAMPLE_TEID_UL, 4);
		assert_int_equal(t.pdu_session_type, SEN_NGAP_PDU_IPV4);
		assert_int_equal(t.qos_flows.count, 1);
		assert_int_equal(t.qos_flows.items[0].qfi, 1);
		assert_int_equal(t.qos_flows.items[0].params.characteristics.u.non_dynamic.five_qi, 9);
		assert_int_equal(t.qos_flows.items[0].params.arp.priority_level, 8);
		assert_true(t.session_ambr.dl == 1000000000);
	}
}

static void test_transfers(void **state)
{
	const struct ngap_transfer_sample *t;
	int n = ngap_transfer_samples(&t);
	static uint8_t val[4096];
	for (int i = 0; i < n; i++) {
		int len = sen_ngap_transfer_encode(t[i].type, t[i].value, out, sizeof(out));
		if (len <= 0)
			fail_msg("%s: encode %s", t[i].name, sen_strerror(len));
		fresh();
		assert_true(t[i].type->size <= sizeof(val));
		int m = sen_ngap_transfer_decode(t[i].type, val, out, (size_t)len, &ctx);
		if (m < 0)
			fail_where(t[i].name, m);
		assert_int_equal(ctx.ndiag, 0);
		assert_int_equal(sen_ngap_transfer_encode(t[i].type, val, out2, sizeof(out2)), len);
		assert_memory_equal(out, out2, (size_t)len);
		/* truncated transfers: any result but a crash */
		for (int cut = 0; cut < len; cut++) {
			uint8_t *c = malloc(cut ? (size_t)cut : 1);
			memcpy(c, out, (size_t)cut);
			fresh();
			(void)sen_ngap_transfer_decode(t[i].type, val, c, (size_t)cut, &ctx);
			free(c);
		}
	}
}

static void test_truncation(void **state)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	struct sen_ngap_pdu d;
	for (int i = 0; i < n; i++) {
		int len = sen_ngap_encode(&s[i].pdu, out, sizeof(out));
		assert_true(len > 0);
		for (int cut = 0; cut < len; cut++) {
			uint8_t *c = malloc(cut ? (size_t)cut : 1); /* exact size: ASan sees overreads */
			memcpy(c, out, (size_t)cut);
			fresh();
			int rc = sen_ngap_decode(&d, c, (size_t)cut, &ctx);
			if (rc >= 0)
				fail_msg("%s cut at %d decoded", s[i].name, cut);
			free(c);
		}
	}
}

static void test_corruption(void **state)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	struct sen_ngap_pdu d, d2;
	uint8_t bad[4096];
	srand(7);
	for (int i = 0; i < n; i++) {
		int len = sen_ngap_encode(&s[i].pdu, out, sizeof(out));
		for (int it = 0; it < 1500; it++) {
			memcpy(bad, out, (size_t)len);
			int flips = 1 + rand() % 3;
			for (int f = 0; f < flips; f++)
				bad[rand() % len] ^= (uint8_t)(1u << (rand() % 8));
			uint8_t *c = malloc((size_t)len);
			memcpy(c, bad, (size_t)len);
			fresh();
			if (sen_ngap_decode(&d, c, (size_t)len, &ctx) >= 0) {
				struct sen_ngap_judgement j;
				(void)sen_ngap_judge(&d, &ctx, &j);
				int k = sen_ngap_encode(&d, out2, sizeof(out2));
				if (k > 0) { /* what we encode decodes, and is stable */
					static uint8_t out3[8192];
					struct sen_asn_arena a2;
					struct sen_asn_ctx c2;
					sen_asn_arena_init(&a2, NULL, 0, 0);
					sen_asn_ctx_init(&c2, &a2, 0);
					assert_true(sen_ngap_decode(&d2, out2, (size_t)k, &c2) >= 0);
					assert_int_equal(sen_ngap_encode(&d2, out3, sizeof(out3)), k);
					assert_memory_equal(out2, out3, (size_t)k);
					sen_asn_arena_fini(&a2);
				}
			}
			free(c);
		}
	}
}

/* ---- public PDUs ---- */

static int check_public(const char *name, const uint8_t *buf, int len)
{
	struct sen_ngap_pdu d;
	fresh();
	int m = sen_ngap_decode(&d, buf, (size_t)len, &ctx);
	if (name[0] == '!') {
		assert_true(m < 0);
		return 0;
	}
	if (m < 0)
		fail_where(name, m);
	assert_int_equal(m, len);
	if (!d.msg.value.type)
		fail_msg("%s: message not known", name);
	if (ctx.ndiag)
		fail_msg("%s: clause 10 finding, IE %u kind %u", name, ctx.diag[0].id,
			 ctx.diag[0].kind);
	int k = sen_ngap_encode(&d, out2, sizeof(out2));
	if (k != len || memcmp(out2, buf, (size_t)len))
		fail_msg("%s: re-encoding differs (%d octets vs %d)", name, k, len);
	if (!strcmp(name, "srsran4g-initial-ue-message")) {
		const struct sen_ngap_initial_ue_message *iu = d.msg.value.value;
		assert_int_equal(iu->ran_ue_ngap_id, 1);
		assert_int_equal(iu->nas_pdu.len, 124);
		assert_int_equal(iu->uli.present, SEN_NGAP_ULI_NR);
		assert_memory_equal(iu->uli.u.nr.cgi.plmn.data, "\x00\xf1\x10", 3);
	} else if (!strcmp(name, "srsran-project-ng-setup-request") ||
		   !strcmp(name, "srsran4g-ng-setup-request")) {
		/* the values the sources' decoded comments give */
		bool proj = name[6] == '-';
		const struct sen_ngap_ng_setup_request *r = d.msg.value.value;
		assert_int_equal(r->global_ran_node_id.present, SEN_NGAP_NODE_GNB);
		const struct sen_asn_bits *id = &r->global_ran_node_id.u.node.id.u.bits;
		assert_int_equal(id->nbits, proj ? 22 : 32);
		assert_int_equal(sen_ngap_bits_value(id), proj ? 411 : 1);
		assert_memory_equal(r->global_ran_node_id.u.node.plmn.data, "\x00\xf1\x10", 3);
		assert_true(r->has_ran_node_name);
		assert_int_equal(r->ran_node_name.len, proj ? 8 : 4);
		assert_memory_equal(r->ran_node_name.data, proj ? "srsgnb01" : "gnb1",
				    r->ran_node_name.len);
		assert_int_equal(r->supported_ta_list.count, 1);
		assert_memory_equal(r->supported_ta_list.items[0].tac.data,
				    proj ? "\x00\x00\x07" : "\x00\x00\x75", 3);
		assert_int_equal(r->default_paging_drx, 3); /* v256 */
	} else if (!strcmp(name, "ueransim-downlink-nas-transport")) {
		const struct sen_ngap_downlink_nas_transport *dl = d.msg.value.value;
		assert_true(dl->amf_ue_ngap_id == 12);
		assert_int_equal(dl->ran_ue_ngap_id, 1);
		assert_int_equal(dl->nas_pdu.len, 4);
		/* Registration reject, cause 111 */
		assert_memory_equal(dl->nas_pdu.data, "\x7e\x00\x44\x6f", 4);
	} else if (!strcmp(name, "srsran4g-uplink-nas-transport")) {
		const struct sen_ngap_uplink_nas_transport *ul = d.msg.value.value;
		assert_true(ul->amf_ue_ngap_id == 1);
		assert_int_equal(ul->ran_ue_ngap_id, 1);
		assert_int_equal(ul->nas_pdu.len, 21);
		assert_int_equal(ul->nas_pdu.data[2], 0x57); /* Authentication response */
	} else if (!strcmp(name, "srsran4g-downlink-nas-transport")) {
		const struct sen_ngap_downlink_nas_transport *dl = d.msg.value.value;
		assert_int_equal(dl->nas_pdu.len, 42);
	} else if (!strcmp(name, "srsran4g-ng-setup-response")) {
		const struct sen_ngap_ng_setup_response *r = d.msg.value.value;
		assert_int_equal(r->amf_name.len, 56);
		assert_int_equal(r->served_guami_list.count, 1);
		assert_int_equal(r->relative_amf_capacity, 5);
	} else if (!strcmp(name, "srsran4g-pdu-session-resource-setup-request")) {
		const struct sen_ngap_pdu_session_resource_setup_request *r = d.msg.value.value;
		assert_int_equal(r->pdu_sessions.count, 1);
		struct sen_ngap_setup_request_transfer t;
		const struct sen_asn_octets *o = &r->pdu_sessions.items[0].transfer;
		int tn = sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t, o->data,
						  o->len, &ctx);
		if (tn < 0)
			fail_where("srsRAN setup request transfer", tn);
		assert_memory_equal(t.ul_tnl.u.gtp.addr.data, "\xc0\xa8\x11\xd2", 4); /* 192.168.17.210 */
		assert_memory_equal(t.ul_tnl.u.gtp.teid.data, "\x00\x00\x00\x01", 4);
		assert_int_equal(t.pdu_session_type, SEN_NGAP_PDU_IPV6); /* 0x10: ipv6 */
		assert_int_equal(t.qos_flows.items[0].params.characteristics.u.non_dynamic.five_qi, 9);
		int tk = sen_ngap_transfer_encode(&sen_ngap_setup_request_transfer_type, &t, out,
						  sizeof(out));
		assert_int_equal(tk, (int)o->len);
		assert_memory_equal(out, o->data, o->len);
	} else if (!strcmp(name, "srsran4g-ue-context-release-command")) {
		const struct sen_ngap_ue_context_release_command *c = d.msg.value.value;
		assert_int_equal(c->ue_ngap_ids.present, SEN_NGAP_IDS_PAIR);
		assert_true(c->ue_ngap_ids.u.pair.amf_ue_ngap_id == 1);
		assert_int_equal(c->cause.present, SEN_NGAP_CAUSE_NAS);
	}
	return 1;
}

static void test_public(void **state)
{
	char path[1024], line[4096];
	snprintf(path, sizeof(path), "%s/public.txt", data_dir);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	int count = 0, good = 0;
	while (fgets(line, sizeof(line), f)) {
		char name[128], hex[4000];
		static uint8_t buf[2048];
		if (line[0] == '#' || sscanf(line, "%127s %3999s", name, hex) != 2)
			continue;
		int len = sen_hex_decode(hex, buf, sizeof(buf));
		assert_true(len > 0);
		/* exact-size copy so that ASan catches any overread */
		uint8_t *c = malloc((size_t)len);
		memcpy(c, buf, (size_t)len);
		good += check_public(name, c, len);
		free(c);
		count++;
	}
	fclose(f);
	assert_true(count >= 12);
	assert_true(good >= 11);
}

/* ---- clause 10 ---- */

static void test_judge_unknown_ie(void **state)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	struct sen_ngap_pdu p, d;
	struct sen_ngap_judgement j;
	static struct sen_asn_raw_ie raw = {.id = 999, .data = (const uint8_t *)"\x2a", .len = 1};
	for (int i = 0; i < n; i++) {
		bool iue = !strcmp(s[i].name, "initial-ue-message");
		bool ngs = !strcmp(s[i].name, "ng-setup-request");
		bool icr = !strcmp(s[i].name, "initial-context-setup-response");
		if (!iue && !ngs && !icr)
			continue;
		p = s[i].pdu;
		/* copy the message and add the unknown IE with each criticality */
		static uint8_t msgcopy[2048];
		memcpy(msgcopy, p.msg.value.value, p.msg.value.type->size);
		p.msg.value.value = msgcopy;
		sen_asn_raw_ies *unk = NULL;
		if (iue)
			unk = &((struct sen_ngap_initial_ue_message *)msgcopy)->unknown;
		if (ngs)
			unk = &((struct sen_ngap_ng_setup_request *)msgcopy)->unknown;
		if (icr)
			unk = &((struct sen_ngap_initial_context_setup_response *)msgcopy)->unknown;
		unk->items = &raw;
		unk->count = 1;
		for (uint8_t crit = 0; crit < 3; crit++) {
			raw.criticality = crit;
			int len = sen_ngap_encode(&p, out, sizeof(out));
			assert_true(len > 0);
			fresh();
			assert_int_equal(sen_ngap_decode(&d, out, (size_t)len, &ctx), len);
			assert_int_equal(ctx.ndiag, 1);
			enum sen_ngap_action a = sen_ngap_judge(&d, &ctx, &j);
			if (crit == SEN_ASN_IGNORE) {
				assert_int_equal(a, SEN_NGAP_PROCEED);
				assert_int_equal(j.reply, SEN_NGAP_REPLY_NONE);
				continue;
			}
			assert_true(j.diag.has_ies);
			assert_int_equal(j.diag.ies.count, 1);
			assert_int_equal(j.diag.ies.items[0].id, 999);
			assert_int_equal(j.diag.ies.items[0].type_of_error, SEN_NGAP_NOT_UNDERSTOOD);
			if (crit == SEN_ASN_NOTIFY) {
				assert_int_equal(a, SEN_NGAP_PROCEED_NOTIFY);
				/* 10.3.4.2: the initiating message of a class 1 procedure (NG
				   Setup) is answered in the procedure's response; a class 2
				   message (Initial UE Message) or a response by Error Indication */
				assert_int_equal(j.reply, ngs ? SEN_NGAP_REPLY_RESPONSE
							      : SEN_NGAP_REPLY_ERROR_INDICATION);
				assert_int_equal(j.cause_protocol,
						 SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_IGNORE_AND_NOTIFY);
			} else {
				assert_int_equal(a, SEN_NGAP_REJECT);
				assert_int_equal(j.reply, iue   ? SEN_NGAP_REPLY_ERROR_INDICATION
							  : ngs ? SEN_NGAP_REPLY_UNSUCCESSFUL
								: SEN_NGAP_REPLY_LOCAL);
				assert_int_equal(j.cause_protocol,
						 SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT);
			}
			/* 9.3.1.3: Procedure Code and Triggering Message only in an Error
			   Indication; the Procedure Criticality always */
			bool ei = j.reply == SEN_NGAP_REPLY_ERROR_INDICATION;
			assert_int_equal(j.diag.has_procedure_code, ei);
			assert_int_equal(j.diag.has_triggering_message, ei);
			if (ei) {
				assert_int_equal(j.diag.procedure_code, d.msg.procedure_code);
				assert_int_equal(j.diag.triggering_message, d.present);
			}
			assert_true(j.diag.has_procedure_criticality);
			struct sen_ngap_pdu e, ed;
			if (j.reply == SEN_NGAP_REPLY_RESPONSE) {
				/* the diagnostics go into the NG Setup Response */
				const struct ngap_sample *r = NULL;
				for (int k = 0; k < n; k++)
					if (!strcmp(s[k].name, "ng-setup-response"))
						r = &s[k];
				assert_non_null(r);
				struct sen_ngap_ng_setup_response rsp =
				    *(const struct sen_ngap_ng_setup_response *)r->pdu.msg.value.value;
				rsp.has_criticality_diagnostics = true;
				rsp.criticality_diagnostics = j.diag;
				assert_int_equal(sen_ngap_pdu_init(&e, SEN_NGAP_SUCCESSFUL, 21, &rsp), 0);
				roundtrip("ng-setup-response with diagnostics", &e, &ed);
				continue;
			}
			/* the diagnostics go into an Error Indication that encodes and decodes */
			struct sen_ngap_error_indication ei_msg = {0};
			ei_msg.has_cause = true;
			ei_msg.cause.present = SEN_NGAP_CAUSE_PROTOCOL;
			ei_msg.cause.u.value = j.cause_protocol;
			ei_msg.has_criticality_diagnostics = true;
			ei_msg.criticality_diagnostics = j.diag;
			assert_int_equal(sen_ngap_pdu_init(&e, SEN_NGAP_INITIATING, 9, &ei_msg), 0);
			roundtrip("error-indication with diagnostics", &e, &ed);
		}
	}
}

static void test_judge_missing_and_repeated(void **state)
{
	uint8_t buf[128];
	struct sen_ngap_pdu d;
	struct sen_ngap_judgement j;
	/* Downlink NAS Transport without its NAS-PDU (mandatory, reject) */
	int len = sen_hex_decode("0004400f000002000a0002000c005500020001", buf, sizeof(buf));
	assert_int_equal(len, 19);
	fresh();
	assert_int_equal(sen_ngap_decode(&d, buf, (size_t)len, &ctx), len);
	assert_int_equal(ctx.ndiag, 1);
	assert_int_equal(ctx.diag[0].kind, SEN_ASN_MISSING);
	assert_int_equal(ctx.diag[0].id, SEN_NGAP_ID_NAS_PDU);
	assert_int_equal(sen_ngap_judge(&d, &ctx, &j), SEN_NGAP_REJECT);
	assert_int_equal(j.reply, SEN_NGAP_REPLY_ERROR_INDICATION); /* no unsuccessful outcome */
	assert_int_equal(j.items[0].type_of_error, SEN_NGAP_MISSING);
	assert_int_equal(j.items[0].id, 38);

	/* RAN-UE-NGAP-ID repeated: falsely constructed message */
	len = sen_hex_decode("00044015000003000a0002000c005500020001005500020002", buf,
			     sizeof(buf));
	assert_true(len > 0);
	fresh();
	assert_true(sen_ngap_decode(&d, buf, (size_t)len, &ctx) > 0);
	assert_int_equal(sen_ngap_judge(&d, &ctx, &j), SEN_NGAP_REJECT);
	assert_int_equal(j.cause_protocol, SEN_NGAP_CAUSE_PROTO_FALSELY_CONSTRUCTED);

	/* RAN-UE-NGAP-ID before AMF-UE-NGAP-ID: wrong order, 10.3.6 falsely constructed */
	len = sen_hex_decode("00044018000003005500020001000a0002000c00260005047e00446f", buf,
			     sizeof(buf));
	assert_int_equal(len, 28);
	fresh();
	assert_int_equal(sen_ngap_decode(&d, buf, (size_t)len, &ctx), len);
	assert_int_equal(ctx.ndiag, 1);
	assert_int_equal(ctx.diag[0].kind, SEN_ASN_WRONG_ORDER);
	assert_int_equal(ctx.diag[0].id, SEN_NGAP_ID_AMF_UE_NGAP_ID);
	assert_int_equal(sen_ngap_judge(&d, &ctx, &j), SEN_NGAP_REJECT);
	assert_int_equal(j.cause_protocol, SEN_NGAP_CAUSE_PROTO_FALSELY_CONSTRUCTED);
	assert_int_equal(j.reply, SEN_NGAP_REPLY_ERROR_INDICATION); /* class 2 */
	assert_true(j.diag.has_procedure_code);
	assert_false(j.diag.has_ies);
	/* the same IEs in the tabular order: nothing to say */
	len = sen_hex_decode("00044018000003000a0002000c005500020001" "00260005047e00446f", buf,
			     sizeof(buf));
	fresh();
	assert_int_equal(sen_ngap_decode(&d, buf, (size_t)len, &ctx), len);
	assert_int_equal(ctx.ndiag, 0);
}

static void test_judge_unknown_procedure(void **state)
{
	uint8_t buf[64];
	struct sen_ngap_pdu d;
	struct sen_ngap_judgement j;
	int len = sen_hex_decode("00044018000003000a0002000c00550002000100260005047e00446f", buf,
				 sizeof(buf));
	buf[1] = 99; /* not a procedure of lib/ngap; criticality ignore */
	fresh();
	assert_int_equal(sen_ngap_decode(&d, buf, (size_t)len, &ctx), len);
	assert_null(d.msg.value.type);
	assert_int_equal(sen_ngap_judge(&d, &ctx, &j), SEN_NGAP_REJECT);
	assert_int_equal(j.reply, SEN_NGAP_REPLY_NONE);
	buf[2] = 0x00; /* criticality reject */
	fresh();
	assert_int_equal(sen_ngap_decode(&d, buf, (size_t)len, &ctx), len);
	assert_int_equal(sen_ngap_judge(&d, &ctx, &j), SEN_NGAP_REJECT);
	assert_int_equal(j.reply, SEN_NGAP_REPLY_ERROR_INDICATION);
	assert_int_equal(j.cause_protocol, SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT);
	assert_false(j.diag.has_ies);
	/* and it re-encodes unchanged (kept as octets) */
	assert_int_equal(sen_ngap_encode(&d, out, sizeof(out)), len);
	assert_memory_equal(out, buf, (size_t)len);
}

/* ---- helpers and printing ---- */

static void test_helpers(void **state)
{
	uint8_t p[3];
	char mcc[4], mnc[4];
	assert_int_equal(sen_ngap_plmn_encode("999", "70", p), 0);
	assert_memory_equal(p, "\x99\xf9\x07", 3);
	assert_int_equal(sen_ngap_plmn_decode(p, mcc, mnc), 0);
	assert_string_equal(mcc, "999");
	assert_string_equal(mnc, "70");
	assert_int_equal(sen_ngap_plmn_encode("310", "410", p), 0);
	assert_memory_equal(p, "\x13\x00\x14", 3);
	assert_int_equal(sen_ngap_plmn_decode(p, mcc, mnc), 0);
	assert_string_equal(mnc, "410");
	assert_int_equal(sen_ngap_plmn_encode("31", "410", p), -SEN_EINVAL);
	assert_int_equal(sen_ngap_plmn_decode((const uint8_t *)"\xaa\x00\x00", mcc, mnc),
			 -SEN_EPROTO);
	struct sen_asn_bits b = {(const uint8_t *)"\x00\x00\x04", 22};
	assert_int_equal(sen_ngap_bits_value(&b), 1);
	assert_string_equal(sen_ngap_procedure_name(15), "InitialUEMessage");
	assert_string_equal(sen_ngap_procedure_name(200), "?");
	assert_true(sen_ngap_has_unsuccessful(21));
	assert_false(sen_ngap_has_unsuccessful(29));
	struct sen_ngap_pdu p2;
	assert_int_equal(sen_ngap_pdu_init(&p2, SEN_NGAP_UNSUCCESSFUL, 29, NULL), -SEN_ENOENT);
}

struct text {
	char buf[16384];
	size_t at;
};
static void t_open(void *a, const char *name, bool list)
{
	struct text *t = a;
	t->at += (size_t)snprintf(t->buf + t->at, sizeof(t->buf) - t->at, "<%s%s>",
				  name ? name : "-", list ? "[]" : "");
}
static void t_close(void *a)
{
	struct text *t = a;
	t->at += (size_t)snprintf(t->buf + t->at, sizeof(t->buf) - t->at, "</>");
}
static void t_value(void *a, const char *name, const char *text)
{
	struct text *t = a;
	t->at += (size_t)snprintf(t->buf + t->at, sizeof(t->buf) - t->at, "%s=%s;",
				  name ? name : "-", text);
}

static void test_walk(void **state)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	static const struct sen_ngap_visitor v = {t_open, t_close, t_value, NULL};
	static struct text t;
	struct sen_ngap_pdu d;
	for (int i = 0; i < n; i++) {
		roundtrip(s[i].name, &s[i].pdu, &d);
		memset(&t, 0, sizeof(t));
		assert_int_equal(sen_ngap_walk(&d, &v, &t, &ctx), 0);
		assert_true(t.at > 20 && t.at < sizeof(t.buf) - 1);
		if (!strcmp(s[i].name, "initial-ue-message")) {
			assert_non_null(strstr(t.buf, "pLMNIdentity=999-70 (99f907);"));
			assert_non_null(strstr(t.buf, "RRCEstablishmentCause=mo-Signalling (3);"));
			assert_non_null(strstr(t.buf, "RAN-UE-NGAP-ID=1001;"));
		}
		if (!strcmp(s[i].name, "pdu-session-resource-setup-request")) {
			assert_non_null(strstr(t.buf, "transportLayerAddress=10.0.0.7;"));
			assert_non_null(strstr(t.buf, "gTP-TEID=00001234;"));
			assert_non_null(strstr(t.buf, "PDUSessionType=ipv4 (0);"));
			assert_non_null(strstr(t.buf, "AMF-UE-NGAP-ID=4294967301;"));
		}
		if (!strcmp(s[i].name, "ng-setup-failure"))
			assert_non_null(strstr(t.buf, "misc=unknown-PLMN-or-SNPN (4);"));
	}
	/* a mandatory IE the decoder found missing is not shown as an (empty) value */
	uint8_t buf[32];
	int len = sen_hex_decode("0004400f000002000a0002000c005500020001", buf, sizeof(buf));
	fresh();
	assert_int_equal(sen_ngap_decode(&d, buf, (size_t)len, &ctx), len);
	memset(&t, 0, sizeof(t));
	assert_int_equal(sen_ngap_walk(&d, &v, &t, &ctx), 0);
	assert_non_null(strstr(t.buf, "RAN-UE-NGAP-ID=1;"));
	assert_null(strstr(t.buf, "NAS-PDU"));
}

static int dump(void)
{
	const struct ngap_sample *s;
	int n = ngap_samples(&s);
	static char hex[2 * sizeof(out) + 1];
	for (int i = 0; i < n; i++) {
		int len = sen_ngap_encode(&s[i].pdu, out, sizeof(out));
		if (len <= 0)
			return 1;
		printf("%s %s\n", s[i].name, sen_hex_encode(out, (size_t)len, hex));
	}
	return 0;
}

static int setup(void **state)
{
	sen_asn_arena_init(&arena, arena_buf, sizeof(arena_buf), 0);
	sen_asn_ctx_init(&ctx, &arena, 0);
	return 0;
}

static int teardown(void **state)
{
	sen_asn_arena_fini(&arena);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--dump"))
		return dump();
	if (argc > 1)
		data_dir = argv[1];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_roundtrip_all),
	    cmocka_unit_test(test_roundtrip_values),
	    cmocka_unit_test(test_transfers),
	    cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_corruption),
	    cmocka_unit_test(test_public),
	    cmocka_unit_test(test_judge_unknown_ie),
	    cmocka_unit_test(test_judge_missing_and_repeated),
	    cmocka_unit_test(test_judge_unknown_procedure),
	    cmocka_unit_test(test_helpers),
	    cmocka_unit_test(test_walk),
	};
	return cmocka_run_group_tests_name("ngap", tests, setup, teardown);
}
