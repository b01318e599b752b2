/*
 * The JSON forms of subscriber data (src/udr/udr_json.h): TS 29.571 BitRate, S-NSSAI text
 * forms, JSON Patch (RFC 6902, with the RFC's own examples), and the provisioning parser's
 * refusals.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "sbi/json_patch.h"
#include "udr_json.h"

static void bitrate(void **state)
{
	static const struct {
		uint64_t bps;
		const char *text;
	} v[] = {
	    {0, "0 bps"},
	    {999, "999 bps"},
	    {1000, "1 Kbps"},
	    {1500, "1.5 Kbps"},
	    {1000000000, "1 Gbps"},
	    {1500000, "1.5 Mbps"},
	    {1234567, "1234.567 Kbps"},
	    {100000000, "100 Mbps"},
	    {2000000000000ull, "2 Tbps"},
	    {1001, "1.001 Kbps"},
	};
	char buf[SEN_UDR_BITRATE_SIZE];
	uint64_t out;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_string_equal(sen_udr_bitrate_format(v[i].bps, buf), v[i].text);
		assert_int_equal(sen_udr_bitrate_parse(v[i].text, &out), 0);
		assert_true(out == v[i].bps);
	}
	assert_int_equal(sen_udr_bitrate_parse("1Gbps", &out), 0);
	assert_true(out == 1000000000ull);
	assert_int_equal(sen_udr_bitrate_parse("0.001 Kbps", &out), 0);
	assert_true(out == 1);
	const char *bad[] = {
	    "",	       "Gbps",	  "1 gbps",	      "1 Gb",	 "1.5 bps", "-1 bps",
	    "1. Mbps", "1  Mbps", "99999999999 Tbps", "1 Mbps x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sen_udr_bitrate_parse(bad[i], &out), -SEN_EINVAL);
}

static void snssai_text(void **state)
{
	uint8_t sst;
	uint32_t sd;
	char out[16];

	(void)state;
	assert_int_equal(sen_udr_snssai_parse("1", ':', &sst, &sd), 0);
	assert_int_equal(sst, 1);
	assert_int_equal(sd, SEN_UDR_SD_NONE);
	assert_int_equal(sen_udr_snssai_parse("255:00aBcd", ':', &sst, &sd), 0);
	assert_int_equal(sst, 255);
	assert_int_equal(sd, 0xabcd);
	sen_udr_snssai_format(sst, sd, '-', out);
	assert_string_equal(out, "255-00abcd");
	const char *bad[] = {"", "256", "1:", "1:12345", "1-000001", "x", "1:0000001", "0001"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sen_udr_snssai_parse(bad[i], ':', &sst, &sd), -SEN_EINVAL);
}

/* Apply patch text to doc text and compare with the expected text (NULL: must fail). */
static void patch_case(const char *doc, const char *patch, const char *expect, int rc_expect)
{
	cJSON *d = cJSON_Parse(doc), *p = cJSON_Parse(patch),
	      *e = expect ? cJSON_Parse(expect) : NULL;
	char why[128];

	assert_non_null(d);
	assert_non_null(p);
	int rc = sen_sbi_json_patch(&d, p, why, sizeof(why));
	assert_int_equal(rc, rc_expect);
	if (rc == 0) {
		assert_non_null(e);
		assert_true(cJSON_Compare(d, e, true));
	} else {
		/* All or nothing: the document is unchanged. */
		cJSON *orig = cJSON_Parse(doc);
		assert_true(cJSON_Compare(d, orig, true));
		cJSON_Delete(orig);
	}
	cJSON_Delete(d);
	cJSON_Delete(p);
	cJSON_Delete(e);
}

static void json_patch(void **state)
{
	(void)state;
	/* RFC 6902 Appendix A examples. */
	patch_case("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
		   "{\"foo\":\"bar\",\"baz\":\"qux\"}", 0);
	patch_case("{\"foo\":[\"bar\",\"baz\"]}",
		   "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
		   "{\"foo\":[\"bar\",\"qux\",\"baz\"]}", 0);
	patch_case("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
		   "{\"foo\":\"bar\"}", 0);
	patch_case("{\"foo\":[\"bar\",\"qux\",\"baz\"]}",
		   "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]", "{\"foo\":[\"bar\",\"baz\"]}", 0);
	patch_case("{\"baz\":\"qux\",\"foo\":\"bar\"}",
		   "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
		   "{\"baz\":\"boo\",\"foo\":\"bar\"}", 0);
	patch_case("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
		   "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
		   "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}",
		   0);
	patch_case("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
		   "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},"
		   "{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
		   "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}", 0);
	patch_case("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
		   NULL, -SEN_EAGAIN);
	patch_case("{\"foo\":\"bar\"}",
		   "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
		   "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}", 0);
	patch_case("{\"foo\":\"bar\"}",
		   "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]", NULL, -SEN_EINVAL);
	patch_case("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]",
		   "{\"/\":9,\"~1\":10}", 0);
	patch_case("{\"foo\":[\"bar\"]}",
		   "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\"]}]",
		   "{\"foo\":[\"bar\",[\"abc\"]]}", 0);
	/* All or nothing: the second item fails, the first is not kept. */
	patch_case("{\"a\":1}",
		   "[{\"op\":\"replace\",\"path\":\"/"
		   "a\",\"value\":2},{\"op\":\"remove\",\"path\":\"/b\"}]",
		   NULL, -SEN_EINVAL);
	patch_case("{\"a\":1}", "[{\"op\":\"frob\",\"path\":\"/a\"}]", NULL, -SEN_EPROTO);
	patch_case("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":1}]", NULL,
		   -SEN_EINVAL);
	patch_case("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/01\",\"value\":1}]", NULL,
		   -SEN_EINVAL);
	patch_case("{\"a\":1}", "[]", "{\"a\":1}", 0); /* RFC 6902: an empty patch */
}

static void prov_refusals(void **state)
{
	static const char *const bad[] = {
	    "[]",
	    "{\"supi\":\"imsi-1\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1,\"default\":true}]"
	    "}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"0001\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1,\"default\":true}]"
	    "}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"slices\":[{\"sst\":1,\"default\":true}]}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1}]}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1,\"default\":true}]"
	    ","
	    "\"colour\":1}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"amf\":\"0000\","
	    "\"slices\":[{\"sst\":1,\"default\":true}]}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1,\"default\":true,"
	    "\"dnns\":[{\"dnn\":\"a\"},{\"dnn\":\"A\"}]}]}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1,\"default\":true,"
	    "\"dnns\":[{\"dnn\":\"a\",\"5qi\":0}]}]}",
	    "{\"supi\":\"imsi-00101000000001\",\"k\":\"000102030405060708090a0b0c0d0e0f\","
	    "\"opc\":\"000102030405060708090a0b0c0d0e0f\",\"slices\":[{\"sst\":1,\"default\":true,"
	    "\"dnns\":[{\"dnn\":\"a b\"}]}]}",
	};
	struct sen_udr_subscriber sub;
	char why[192];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *j = cJSON_Parse(bad[i]);
		assert_non_null(j);
		why[0] = '\0';
		assert_int_equal(sen_udr_json_parse_prov(j, &sub, why, sizeof(why)), -SEN_EINVAL);
		assert_true(why[0] != '\0');
		assert_null(strstr(why, "000102030405060708090a0b0c0d0e0f"));
		cJSON_Delete(j);
	}
}

/* prov -> JSON -> prov gives back the same subscriber. */
static void prov_round_trip(void **state)
{
	struct sen_udr_subscriber a, b;
	char why[192];

	(void)state;
	sen_udr_subscriber_init(&a, "imsi-001010000000001");
	memset(a.auth.k, 0x11, 16);
	memset(a.auth.op, 0x22, 16);
	a.auth.op_kind = SEN_UDR_OP;
	a.auth.sqn = 0x123456789abcull;
	a.n_gpsis = 1;
	strcpy(a.gpsis[0], "msisdn-4915112345678");
	a.ue_ambr_ul = 1500000;
	a.ue_ambr_dl = 2000000000;
	a.barred = true;
	a.n_slices = 2;
	a.slices[0] = (struct sen_udr_slice){.sst = 1, .sd = SEN_UDR_SD_NONE, .is_default = true};
	a.slices[1] = (struct sen_udr_slice){.sst = 2, .sd = 0xabcdef};
	a.slices[1].n_dnns = 1;
	a.slices[1].dnns[0] = (struct sen_udr_dnn){.is_default = true,
						   .pdu_type = SEN_UDR_PDU_IPV6,
						   .qi5 = 7,
						   .arp_priority = 3,
						   .arp_preempt_cap = true,
						   .ambr_ul = 1000,
						   .ambr_dl = 2000,
						   .has_static_ipv4 = true};
	strcpy(a.slices[1].dnns[0].dnn, "ims.mnc001.mcc001.gprs");
	a.slices[1].dnns[0].static_ipv4.s_addr = htonl(0x0a000001);
	cJSON *j = sen_udr_json_prov(&a, true);
	assert_non_null(j);
	assert_int_equal(sen_udr_json_parse_prov(j, &b, why, sizeof(why)), 0);
	assert_memory_equal(&a.auth, &b.auth, sizeof(a.auth));
	assert_string_equal(b.gpsis[0], a.gpsis[0]);
	assert_true(b.ue_ambr_ul == a.ue_ambr_ul && b.ue_ambr_dl == a.ue_ambr_dl);
	assert_true(b.barred);
	assert_int_equal(b.n_slices, 2);
	assert_int_equal(b.slices[1].sd, 0xabcdef);
	assert_memory_equal(&b.slices[1].dnns[0], &a.slices[1].dnns[0], sizeof(struct sen_udr_dnn));
	cJSON_Delete(j);
	/* Without secrets there is no K nor OP. */
	j = sen_udr_json_prov(&a, false);
	assert_null(cJSON_GetObjectItem(j, "k"));
	assert_null(cJSON_GetObjectItem(j, "op"));
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bitrate),	       cmocka_unit_test(snssai_text),
	    cmocka_unit_test(json_patch),      cmocka_unit_test(prov_refusals),
	    cmocka_unit_test(prov_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
