/*
 * Unit tests for lib/crypto/aka (TS 33.501 6.1.3.2, TS 33.102 6.3): HE AV construction
 * checked against the published Milenage outputs of tests/vectors/milenage.json and the
 * generic KDF; the USIM accepting a genuine AUTN and refusing every single-bit corruption;
 * AUTS round trips through sen_aka_resync (and corrupted AUTS refused); a whole 5G AKA run
 * UE side against network side; SQN conversions; NULL and bad-length arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <string.h>

#include "core/err.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"
#include "crypto/milenage.h"
#include "vectors.h"

static const char snn[] = "5G:mnc070.mcc901.3gppnetwork.org";

/* A Milenage test set, with the published outputs. */
struct set {
	uint8_t k[16], opc[16], rand[16], sqn[6], amf[2];
	uint8_t f1[8], f1s[8], f2[8], f3[16], f4[16], f5[6], f5s[6];
};

#define MAX_SETS 32
static struct set sets[MAX_SETS];
static int n_sets;

static void hex_exact(const cJSON *o, const char *key, uint8_t *out, size_t len)
{
	if (sen_test_hex(o, key, out, len) != (int)len)
		fail_msg("vector member %s missing or not %zu bytes", key, len);
}

static int setup(void **state)
{
	cJSON *j = sen_test_vectors("milenage.json");
	if (!j)
		return -1;
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "test_sets"), *t;
	n_sets = 0;
	cJSON_ArrayForEach(t, arr) {
		if (n_sets == MAX_SETS)
			break;
		struct set *s = &sets[n_sets++];
		if (sen_test_hex(t, "K", s->k, 16) != 16 || sen_test_hex(t, "OPc", s->opc, 16) != 16 ||
		    sen_test_hex(t, "RAND", s->rand, 16) != 16 ||
		    sen_test_hex(t, "SQN", s->sqn, 6) != 6 || sen_test_hex(t, "AMF", s->amf, 2) != 2 ||
		    sen_test_hex(t, "f1", s->f1, 8) != 8 || sen_test_hex(t, "f1_star", s->f1s, 8) != 8 ||
		    sen_test_hex(t, "f2", s->f2, 8) != 8 || sen_test_hex(t, "f3", s->f3, 16) != 16 ||
		    sen_test_hex(t, "f4", s->f4, 16) != 16 || sen_test_hex(t, "f5", s->f5, 6) != 6 ||
		    sen_test_hex(t, "f5_star", s->f5s, 6) != 6) {
			cJSON_Delete(j);
			return -1;
		}
	}
	int total = cJSON_GetArraySize(arr);
	cJSON_Delete(j);
	return n_sets == total && n_sets >= 20 ? 0 : -1;
}

static void sha256(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t out[32])
{
	uint8_t buf[64];
	unsigned n = 0;

	assert_true(alen + blen <= sizeof(buf));
	memcpy(buf, a, alen);
	memcpy(buf + alen, b, blen);
	assert_int_equal(EVP_Digest(buf, alen + blen, out, &n, EVP_sha256(), NULL), 1);
	assert_int_equal(n, 32);
}

/*
 * Every field of the HE AV from the published f1..f5 values: AUTN per TS 33.102 6.3.2,
 * XRES* (A.4) and KAUSF (A.2) through the generic KDF, HXRES* (A.5) through SHA-256.
 */
static void test_he_av_vectors(void **state)
{
	for (int i = 0; i < n_sets; i++) {
		const struct set *s = &sets[i];
		struct sen_aka_he_av av;
		uint8_t autn[16], conc[6], key[32], out[32], md[32];

		memset(&av, 0xee, sizeof(av));
		assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, snn, &av), 0);

		for (int b = 0; b < 6; b++)
			conc[b] = s->sqn[b] ^ s->f5[b];
		memcpy(autn, conc, 6);
		memcpy(autn + 6, s->amf, 2);
		memcpy(autn + 8, s->f1, 8);
		assert_memory_equal(av.rand, s->rand, 16);
		assert_memory_equal(av.autn, autn, 16);
		assert_memory_equal(av.xres, s->f2, 8);
		assert_memory_equal(av.ck, s->f3, 16);
		assert_memory_equal(av.ik, s->f4, 16);
		assert_memory_equal(av.ak, s->f5, 6);
		assert_memory_equal(av.mac_a, s->f1, 8);

		memcpy(key, s->f3, 16);
		memcpy(key + 16, s->f4, 16);
		struct sen_kdf_param p_res[] = {
			{ (const uint8_t *)snn, strlen(snn) }, { s->rand, 16 }, { s->f2, 8 } };
		assert_int_equal(sen_kdf(key, 32, 0x6B, p_res, 3, out), 0);
		assert_memory_equal(av.xres_star, out + 16, 16);

		struct sen_kdf_param p_ausf[] = { { (const uint8_t *)snn, strlen(snn) }, { conc, 6 } };
		assert_int_equal(sen_kdf(key, 32, 0x6A, p_ausf, 2, out), 0);
		assert_memory_equal(av.kausf, out, 32);

		sha256(s->rand, 16, av.xres_star, 16, md);
		assert_memory_equal(av.hxres_star, md + 16, 16);
	}
}

/* The supplementary AUTN example of milenage.json (inputs of TS 35.208 set 19). */
static void test_he_av_autn_example(void **state)
{
	cJSON *j = sen_test_vectors("milenage.json");
	assert_non_null(j);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "supplementary_non_3gpp_examples"), *e;
	int seen = 0;

	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_HasObjectItem(e, "AUTN"))
			continue;
		uint8_t k[16], opc[16], rand[16], sqn[6], amf[2], autn[16], res[8], ck[16], ik[16];
		struct sen_aka_he_av av;
		hex_exact(e, "K", k, 16);
		hex_exact(e, "OPc", opc, 16);
		hex_exact(e, "RAND", rand, 16);
		hex_exact(e, "SQN", sqn, 6);
		hex_exact(e, "AMF", amf, 2);
		hex_exact(e, "AUTN", autn, 16);
		hex_exact(e, "RES", res, 8);
		hex_exact(e, "CK", ck, 16);
		hex_exact(e, "IK", ik, 16);
		assert_int_equal(sen_aka_he_av(k, opc, rand, sqn, amf, snn, &av), 0);
		assert_memory_equal(av.autn, autn, 16);
		assert_memory_equal(av.xres, res, 8);
		assert_memory_equal(av.ck, ck, 16);
		assert_memory_equal(av.ik, ik, 16);
		seen++;
	}
	cJSON_Delete(j);
	assert_true(seen >= 1);
}

static void test_usim_accepts_genuine(void **state)
{
	for (int i = 0; i < n_sets; i++) {
		const struct set *s = &sets[i];
		struct sen_aka_he_av av;
		uint8_t res[8], ck[16], ik[16], sqn[6];

		assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, snn, &av), 0);
		assert_int_equal(sen_aka_usim_check(s->k, s->opc, s->rand, av.autn, res, ck, ik, sqn),
				 0);
		assert_memory_equal(res, s->f2, 8);
		assert_memory_equal(ck, s->f3, 16);
		assert_memory_equal(ik, s->f4, 16);
		assert_memory_equal(sqn, s->sqn, 6);
		/* Outputs are optional. */
		assert_int_equal(
			sen_aka_usim_check(s->k, s->opc, s->rand, av.autn, NULL, NULL, NULL, NULL), 0);
	}
}

static void test_usim_rejects_corrupted(void **state)
{
	const struct set *s = &sets[0];
	struct sen_aka_he_av av;
	uint8_t autn[16], res[8], ck[16], ik[16], sqn[6], other[16];

	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, snn, &av), 0);
	/* Every single-bit change of AUTN (SQN xor AK, AMF and MAC-A) is refused. */
	for (int bit = 0; bit < 128; bit++) {
		memcpy(autn, av.autn, 16);
		autn[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		memset(res, 0xa5, sizeof(res));
		memset(ck, 0xa5, sizeof(ck));
		memset(ik, 0xa5, sizeof(ik));
		memset(sqn, 0xa5, sizeof(sqn));
		assert_int_equal(sen_aka_usim_check(s->k, s->opc, s->rand, autn, res, ck, ik, sqn),
				 -SEN_EAUTH);
		for (int b = 0; b < 8; b++)
			assert_int_equal(res[b], 0xa5); /* nothing released on failure */
		for (int b = 0; b < 16; b++)
			assert_int_equal(ck[b] & ik[b], 0xa5);
		for (int b = 0; b < 6; b++)
			assert_int_equal(sqn[b], 0xa5);
	}
	/* The right AUTN with another RAND, K or OPc. */
	memcpy(other, s->rand, 16);
	other[0] ^= 1;
	assert_int_equal(sen_aka_usim_check(s->k, s->opc, other, av.autn, res, ck, ik, sqn),
			 -SEN_EAUTH);
	memcpy(other, s->k, 16);
	other[15] ^= 1;
	assert_int_equal(sen_aka_usim_check(other, s->opc, s->rand, av.autn, res, ck, ik, sqn),
			 -SEN_EAUTH);
	memcpy(other, s->opc, 16);
	other[7] ^= 1;
	assert_int_equal(sen_aka_usim_check(s->k, other, s->rand, av.autn, res, ck, ik, sqn),
			 -SEN_EAUTH);
}

static void test_resync(void **state)
{
	static const uint8_t amf0[2];

	for (int i = 0; i < n_sets; i++) {
		const struct set *s = &sets[i];
		uint8_t auts[14], bad[14], sqn_ms[6], mac_s[8];

		assert_int_equal(sen_aka_usim_auts(s->k, s->opc, s->rand, s->sqn, auts), 0);
		/* AUTS = (SQN_MS xor f5*) || f1*(SQN_MS, RAND, AMF = 0x0000). */
		for (int b = 0; b < 6; b++)
			assert_int_equal(auts[b], s->sqn[b] ^ s->f5s[b]);
		assert_int_equal(sen_milenage_f1(s->k, s->opc, s->rand, s->sqn, amf0, NULL, mac_s), 0);
		assert_memory_equal(auts + 6, mac_s, 8);

		memset(sqn_ms, 0, 6);
		assert_int_equal(sen_aka_resync(s->k, s->opc, s->rand, auts, sqn_ms), 0);
		assert_memory_equal(sqn_ms, s->sqn, 6);

		/* MAC-S computed with the AV's own AMF instead of 0x0000 is refused. */
		if (s->amf[0] | s->amf[1]) {
			memcpy(bad, auts, 6);
			memcpy(bad + 6, s->f1s, 8);
			assert_int_equal(sen_aka_resync(s->k, s->opc, s->rand, bad, sqn_ms), -SEN_EAUTH);
		}
	}

	/* Every single-bit change of AUTS is refused, and SQN_MS is left alone. */
	const struct set *s = &sets[0];
	uint8_t auts[14], bad[14], sqn_ms[6], rand[16];
	assert_int_equal(sen_aka_usim_auts(s->k, s->opc, s->rand, s->sqn, auts), 0);
	for (int bit = 0; bit < 112; bit++) {
		memcpy(bad, auts, 14);
		bad[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		memset(sqn_ms, 0x3c, 6);
		assert_int_equal(sen_aka_resync(s->k, s->opc, s->rand, bad, sqn_ms), -SEN_EAUTH);
		for (int b = 0; b < 6; b++)
			assert_int_equal(sqn_ms[b], 0x3c);
	}
	memcpy(rand, s->rand, 16);
	rand[15] ^= 0x10;
	assert_int_equal(sen_aka_resync(s->k, s->opc, rand, auts, sqn_ms), -SEN_EAUTH);
}

/* A whole 5G AKA run (TS 33.501 6.1.3.2): the UE's RES*, HRES*, KAUSF equal the network's. */
static void test_5g_aka_run(void **state)
{
	const struct set *s = &sets[5];
	struct sen_aka_he_av av;
	uint8_t res[8], ck[16], ik[16], sqn[6], res_star[16], hres_star[16], kausf[32];
	uint8_t kseaf_ue[32], kseaf_nw[32], kamf_ue[32], kamf_nw[32];
	const uint8_t abba[2] = { 0, 0 };

	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, snn, &av), 0);
	assert_int_equal(sen_aka_usim_check(s->k, s->opc, av.rand, av.autn, res, ck, ik, sqn), 0);
	assert_int_equal(sen_kdf_res_star(ck, ik, snn, av.rand, res, 8, res_star), 0);
	assert_memory_equal(res_star, av.xres_star, 16);
	assert_int_equal(sen_kdf_hres_star(av.rand, res_star, hres_star), 0);
	assert_memory_equal(hres_star, av.hxres_star, 16);
	assert_int_equal(sen_kdf_kausf(ck, ik, snn, av.autn, kausf), 0);
	assert_memory_equal(kausf, av.kausf, 32);
	assert_int_equal(sen_kdf_kseaf(kausf, snn, kseaf_ue), 0);
	assert_int_equal(sen_kdf_kseaf(av.kausf, snn, kseaf_nw), 0);
	assert_memory_equal(kseaf_ue, kseaf_nw, 32);
	assert_int_equal(sen_kdf_kamf(kseaf_ue, "001010123456780", abba, 2, kamf_ue), 0);
	assert_int_equal(sen_kdf_kamf(kseaf_nw, "imsi-001010123456780", abba, 2, kamf_nw), 0);
	assert_memory_equal(kamf_ue, kamf_nw, 32);

	/* Another serving network: another XRES* and KAUSF, same AUTN. */
	struct sen_aka_he_av av2;
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf,
				       "5G:mnc001.mcc001.3gppnetwork.org", &av2),
			 0);
	assert_memory_equal(av2.autn, av.autn, 16);
	assert_memory_not_equal(av2.xres_star, av.xres_star, 16);
	assert_memory_not_equal(av2.kausf, av.kausf, 32);
}

static void test_sqn(void **state)
{
	static const uint64_t v[] = { 0, 1, 0xff, 0x100, 0x123456789abcULL, 0xffffffffffffULL };
	uint8_t b[6], guard[8];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sen_aka_sqn_put(v[i], b);
		assert_true(sen_aka_sqn_get(b) == v[i]);
	}
	sen_aka_sqn_put(0x010203040506ULL, b);
	assert_int_equal(b[0], 0x01);
	assert_int_equal(b[5], 0x06);
	const uint8_t be[6] = { 0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07 }; /* SQN of TS 35.208 set 1 */
	assert_true(sen_aka_sqn_get(be) == 0xff9bb4d0b607ULL);

	/* Only 48 bits are kept, and nothing beyond 6 bytes is written. */
	memset(guard, 0x77, sizeof(guard));
	sen_aka_sqn_put(0xabcd000000000001ULL, guard + 1);
	assert_int_equal(guard[0], 0x77);
	assert_int_equal(guard[7], 0x77);
	assert_true(sen_aka_sqn_get(guard + 1) == 1);

	/* SQN + 1 with a carry across bytes. */
	sen_aka_sqn_put(sen_aka_sqn_get((const uint8_t[6]){ 0, 0, 0, 0, 0, 0xff }) + 1, b);
	assert_int_equal(b[4], 0x01);
	assert_int_equal(b[5], 0x00);

	assert_true(sen_aka_sqn_get(NULL) == 0);
	sen_aka_sqn_put(5, NULL); /* must not crash */
}

static void test_bad_args(void **state)
{
	const struct set *s = &sets[0];
	struct sen_aka_he_av av;
	uint8_t auts[14], sqn[6], b8[8], b16[16], b16b[16];
	static char long_snn[1100];

	assert_int_equal(sen_aka_he_av(NULL, s->opc, s->rand, s->sqn, s->amf, snn, &av), -SEN_EINVAL);
	assert_int_equal(sen_aka_he_av(s->k, NULL, s->rand, s->sqn, s->amf, snn, &av), -SEN_EINVAL);
	assert_int_equal(sen_aka_he_av(s->k, s->opc, NULL, s->sqn, s->amf, snn, &av), -SEN_EINVAL);
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, NULL, s->amf, snn, &av), -SEN_EINVAL);
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, NULL, snn, &av), -SEN_EINVAL);
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, NULL, &av), -SEN_EINVAL);
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, snn, NULL), -SEN_EINVAL);

	/* Bad serving network names: empty, longer than 1020 octets; the AV is left alone. */
	memset(&av, 0x11, sizeof(av));
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, "", &av), -SEN_EINVAL);
	memset(long_snn, 'n', sizeof(long_snn) - 1);
	assert_int_equal(sen_aka_he_av(s->k, s->opc, s->rand, s->sqn, s->amf, long_snn, &av),
			 -SEN_EMSGSIZE);
	for (size_t i = 0; i < sizeof(av.autn); i++)
		assert_int_equal(av.autn[i], 0x11);

	assert_int_equal(sen_aka_usim_check(NULL, s->opc, s->rand, b16, b8, b16, b16b, sqn),
			 -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_check(s->k, NULL, s->rand, b16, b8, b16, b16b, sqn),
			 -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_check(s->k, s->opc, NULL, b16, b8, b16, b16b, sqn),
			 -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_check(s->k, s->opc, s->rand, NULL, b8, b16, b16b, sqn),
			 -SEN_EINVAL);

	assert_int_equal(sen_aka_usim_auts(NULL, s->opc, s->rand, s->sqn, auts), -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_auts(s->k, NULL, s->rand, s->sqn, auts), -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_auts(s->k, s->opc, NULL, s->sqn, auts), -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_auts(s->k, s->opc, s->rand, NULL, auts), -SEN_EINVAL);
	assert_int_equal(sen_aka_usim_auts(s->k, s->opc, s->rand, s->sqn, NULL), -SEN_EINVAL);

	assert_int_equal(sen_aka_usim_auts(s->k, s->opc, s->rand, s->sqn, auts), 0);
	assert_int_equal(sen_aka_resync(NULL, s->opc, s->rand, auts, sqn), -SEN_EINVAL);
	assert_int_equal(sen_aka_resync(s->k, NULL, s->rand, auts, sqn), -SEN_EINVAL);
	assert_int_equal(sen_aka_resync(s->k, s->opc, NULL, auts, sqn), -SEN_EINVAL);
	assert_int_equal(sen_aka_resync(s->k, s->opc, s->rand, NULL, sqn), -SEN_EINVAL);
	assert_int_equal(sen_aka_resync(s->k, s->opc, s->rand, auts, NULL), -SEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_he_av_vectors),
		cmocka_unit_test(test_he_av_autn_example),
		cmocka_unit_test(test_usim_accepts_genuine),
		cmocka_unit_test(test_usim_rejects_corrupted),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_5g_aka_run),
		cmocka_unit_test(test_sqn),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests_name("aka", tests, setup, NULL);
}
