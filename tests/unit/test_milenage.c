/*
 * Unit tests for lib/crypto/milenage (TS 35.206): every test set of
 * tests/vectors/milenage.json (TS 35.207 / 35.208 data: OPc from OP, f1, f1*, f2, f3, f4,
 * f5, f5*), and every supplementary example (AUTN construction, AUTS re-synchronisation,
 * OPc derivation). Each mismatch is printed with its set and field, then fails the case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "crypto/aka.h"
#include "crypto/milenage.h"
#include "vectors.h"

static int failures;

/* Compare and report; counts a failure instead of stopping, so one run lists them all. */
static void check(const char *name, const char *field, const uint8_t *got, const uint8_t *want,
		  size_t len)
{
	if (memcmp(got, want, len) == 0)
		return;
	char g[65], w[65];
	sen_hex_encode(got, len, g);
	sen_hex_encode(want, len, w);
	print_error("# %s: %s is %s, expected %s\n", name, field, g, w);
	failures++;
}

/* Hex member of exactly len bytes; a malformed vector file fails the test. */
static void hex_exact(const cJSON *o, const char *key, uint8_t *out, size_t len)
{
	int n = sen_test_hex(o, key, out, len);
	if (n != (int)len)
		fail_msg("vector member %s missing or not %zu bytes", key, len);
}

static cJSON *load(void)
{
	cJSON *j = sen_test_vectors("milenage.json");
	assert_non_null(j);
	return j;
}

static void test_sets(void **state)
{
	cJSON *j = load();
	const cJSON *sets = cJSON_GetObjectItemCaseSensitive(j, "test_sets");
	assert_true(cJSON_IsArray(sets));
	int total = cJSON_GetArraySize(sets), done = 0;
	assert_true(total >= 20); /* TS 35.208 4.3 has 20 test sets */

	failures = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, sets) {
		uint8_t k[16], rand[16], sqn[6], amf[2], op[16], opc_want[16];
		uint8_t f1[8], f1s[8], f2[8], f3[16], f4[16], f5[6], f5s[6];
		uint8_t opc[16], mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], aks[6];
		const char *name = sen_test_str(t, "name");
		assert_non_null(name);

		hex_exact(t, "K", k, 16);
		hex_exact(t, "RAND", rand, 16);
		hex_exact(t, "SQN", sqn, 6);
		hex_exact(t, "AMF", amf, 2);
		hex_exact(t, "OP", op, 16);
		hex_exact(t, "OPc", opc_want, 16);
		hex_exact(t, "f1", f1, 8);
		hex_exact(t, "f1_star", f1s, 8);
		hex_exact(t, "f2", f2, 8);
		hex_exact(t, "f3", f3, 16);
		hex_exact(t, "f4", f4, 16);
		hex_exact(t, "f5", f5, 6);
		hex_exact(t, "f5_star", f5s, 6);

		/* OPc from OP (TS 35.206 4.1); the functions then run on the computed OPc. */
		assert_int_equal(sen_milenage_opc(k, op, opc), 0);
		check(name, "OPc", opc, opc_want, 16);

		assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, mac_a, mac_s), 0);
		check(name, "f1", mac_a, f1, 8);
		check(name, "f1*", mac_s, f1s, 8);

		assert_int_equal(sen_milenage_f2345(k, opc, rand, res, ck, ik, ak), 0);
		check(name, "f2", res, f2, 8);
		check(name, "f3", ck, f3, 16);
		check(name, "f4", ik, f4, 16);
		check(name, "f5", ak, f5, 6);

		assert_int_equal(sen_milenage_f5star(k, opc, rand, aks), 0);
		check(name, "f5*", aks, f5s, 6);

		/* Each output alone (the others NULL) gives the same value. */
		memset(mac_s, 0, 8);
		assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, NULL, mac_s), 0);
		check(name, "f1* alone", mac_s, f1s, 8);
		memset(ak, 0, 6);
		assert_int_equal(sen_milenage_f2345(k, opc, rand, NULL, NULL, NULL, ak), 0);
		check(name, "f5 alone", ak, f5, 6);
		memset(ik, 0, 16);
		assert_int_equal(sen_milenage_f2345(k, opc, rand, NULL, NULL, ik, NULL), 0);
		check(name, "f4 alone", ik, f4, 16);
		done++;
	}
	cJSON_Delete(j);
	assert_int_equal(done, total);
	assert_int_equal(failures, 0);
}

/* AUTN = (SQN xor AK) || AMF || MAC-A (TS 33.102 6.3.2), plus RES, CK, IK. */
static void supp_autn(const cJSON *e, const char *name)
{
	uint8_t k[16], opc[16], rand[16], sqn[6], amf[2], res_w[8], ck_w[16], ik_w[16], autn_w[16];
	uint8_t mac_a[8], res[8], ck[16], ik[16], ak[6], autn[16];

	hex_exact(e, "K", k, 16);
	hex_exact(e, "OPc", opc, 16);
	hex_exact(e, "RAND", rand, 16);
	hex_exact(e, "SQN", sqn, 6);
	hex_exact(e, "AMF", amf, 2);
	hex_exact(e, "RES", res_w, 8);
	hex_exact(e, "CK", ck_w, 16);
	hex_exact(e, "IK", ik_w, 16);
	hex_exact(e, "AUTN", autn_w, 16);

	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, mac_a, NULL), 0);
	assert_int_equal(sen_milenage_f2345(k, opc, rand, res, ck, ik, ak), 0);
	for (int i = 0; i < 6; i++)
		autn[i] = sqn[i] ^ ak[i];
	memcpy(autn + 6, amf, 2);
	memcpy(autn + 8, mac_a, 8);
	check(name, "RES", res, res_w, 8);
	check(name, "CK", ck, ck_w, 16);
	check(name, "IK", ik, ik_w, 16);
	check(name, "AUTN", autn, autn_w, 16);
}

/*
 * AUTS = (SQN_MS xor f5*) || f1*(SQN_MS, RAND, AMF = 0000) (TS 33.102 6.3.3): positive
 * entries must give expected_SQN_MS; entries with expected_SQN_MS null must be refused.
 */
static void supp_auts(const cJSON *e, const char *name)
{
	uint8_t k[16], opc[16], rand[16], auts[14], sqn_w[6], sqn[6], aks[6], mac_s[8];
	static const uint8_t amf0[2];

	hex_exact(e, "K", k, 16);
	hex_exact(e, "OPc", opc, 16);
	hex_exact(e, "RAND", rand, 16);
	hex_exact(e, "AUTS", auts, 14);
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(e, "expected_SQN_MS");
	assert_non_null(x);

	/* MAC-S recomputed from the Milenage functions alone. */
	assert_int_equal(sen_milenage_f5star(k, opc, rand, aks), 0);
	for (int i = 0; i < 6; i++)
		sqn[i] = auts[i] ^ aks[i];
	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf0, NULL, mac_s), 0);
	int mac_ok = memcmp(mac_s, auts + 6, 8) == 0;

	if (cJSON_IsNull(x)) {
		if (mac_ok) {
			print_error("# %s: MAC-S verifies but the vector says it must not\n", name);
			failures++;
		}
		memset(sqn, 0x5a, 6);
		assert_int_equal(sen_aka_resync(k, opc, rand, auts, sqn), -SEN_EAUTH);
		for (int i = 0; i < 6; i++)
			assert_int_equal(sqn[i], 0x5a); /* nothing written on failure */
		return;
	}
	hex_exact(e, "expected_SQN_MS", sqn_w, 6);
	if (!mac_ok) {
		print_error("# %s: f1* does not reproduce MAC-S of AUTS\n", name);
		failures++;
	}
	check(name, "SQN_MS (f5*)", sqn, sqn_w, 6);
	memset(sqn, 0, 6);
	assert_int_equal(sen_aka_resync(k, opc, rand, auts, sqn), 0);
	check(name, "SQN_MS (sen_aka_resync)", sqn, sqn_w, 6);
}

static void supp_opc(const cJSON *e, const char *name)
{
	uint8_t k[16], op[16], opc_w[16], opc[16];

	hex_exact(e, "K", k, 16);
	hex_exact(e, "OP", op, 16);
	hex_exact(e, "OPc", opc_w, 16);
	assert_int_equal(sen_milenage_opc(k, op, opc), 0);
	check(name, "OPc", opc, opc_w, 16);
}

static void test_supplementary(void **state)
{
	cJSON *j = load();
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "supplementary_non_3gpp_examples");
	assert_true(cJSON_IsArray(arr));
	int total = cJSON_GetArraySize(arr), done = 0, n_autn = 0, n_auts = 0, n_opc = 0;
	assert_true(total > 0);

	failures = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) {
		const char *name = sen_test_str(e, "name");
		assert_non_null(name);
		if (cJSON_HasObjectItem(e, "AUTN")) {
			supp_autn(e, name);
			n_autn++;
		} else if (cJSON_HasObjectItem(e, "AUTS")) {
			supp_auts(e, name);
			n_auts++;
		} else if (cJSON_HasObjectItem(e, "OP") && cJSON_HasObjectItem(e, "OPc")) {
			supp_opc(e, name);
			n_opc++;
		} else {
			fail_msg("supplementary entry \"%s\" has a shape this test does not know", name);
		}
		done++;
	}
	cJSON_Delete(j);
	assert_int_equal(done, total);
	assert_true(n_autn >= 1 && n_auts >= 2 && n_opc >= 1);
	assert_int_equal(failures, 0);
}

/* Changing any input changes the outputs (guards against inputs being ignored). */
static void test_inputs_matter(void **state)
{
	uint8_t k[16] = { 1 }, opc[16] = { 2 }, rand[16] = { 3 }, sqn[6] = { 4 }, amf[2] = { 5 };
	uint8_t a1[8], s1[8], a2[8], s2[8];

	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, a1, s1), 0);
	sqn[5] ^= 1;
	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, a2, s2), 0);
	assert_memory_not_equal(a1, a2, 8);
	assert_memory_not_equal(s1, s2, 8);
	sqn[5] ^= 1;
	amf[1] ^= 0x80;
	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, a2, s2), 0);
	assert_memory_not_equal(a1, a2, 8);
	amf[1] ^= 0x80;
	k[15] ^= 1;
	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, a2, s2), 0);
	assert_memory_not_equal(a1, a2, 8);
}

static void test_bad_args(void **state)
{
	uint8_t b16[16] = { 0 }, b6[6] = { 0 }, b2[2] = { 0 }, b8[8];

	assert_int_equal(sen_milenage_opc(NULL, b16, b16), -SEN_EINVAL);
	assert_int_equal(sen_milenage_opc(b16, NULL, b16), -SEN_EINVAL);
	assert_int_equal(sen_milenage_opc(b16, b16, NULL), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f1(NULL, b16, b16, b6, b2, b8, b8), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f1(b16, NULL, b16, b6, b2, b8, b8), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f1(b16, b16, NULL, b6, b2, b8, b8), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f1(b16, b16, b16, NULL, b2, b8, b8), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f1(b16, b16, b16, b6, NULL, b8, b8), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f1(b16, b16, b16, b6, b2, NULL, NULL), 0);
	assert_int_equal(sen_milenage_f2345(NULL, b16, b16, b8, NULL, NULL, NULL), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f2345(b16, NULL, b16, b8, NULL, NULL, NULL), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f2345(b16, b16, NULL, b8, NULL, NULL, NULL), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f2345(b16, b16, b16, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(sen_milenage_f5star(NULL, b16, b16, b6), -SEN_EINVAL);
	assert_int_equal(sen_milenage_f5star(b16, b16, b16, NULL), -SEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_supplementary),
		cmocka_unit_test(test_inputs_matter),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests_name("milenage", tests, NULL, NULL);
}
