/*
 * Unit tests for lib/crypto/kdf: every derivation of tests/vectors/kdf_5g.json through
 * the generic KDF (TS 33.220 B.2) and through its specific function (TS 33.501 Annex A,
 * TS 33.402 A.2, TS 33.401 A.2); the derivations the file has no entry for (A.5 HXRES*,
 * A.9 with a non-zero COUNT and non-3GPP access, A.10 NH, A.13 KAMF'), against values
 * computed independently with Python's hmac/hashlib from the spec text; the serving
 * network name (TS 24.501 9.12.1); and bad input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "crypto/kdf.h"
#include "crypto/milenage.h"
#include "vectors.h"

#define MAX_P 4
#define MAX_PLEN 128

/* One entry of kdf_5g.json, decoded. */
struct deriv {
	const char *name;
	const cJSON *json;
	uint8_t fc;
	uint8_t key[64];
	size_t key_len;
	size_t n;
	uint8_t p[MAX_P][MAX_PLEN];
	size_t plen[MAX_P];
	char pstr[MAX_P][MAX_PLEN + 1]; /* P_i as a NUL-terminated string */
	uint8_t out[32];
	size_t out_len;
};

static int failures;

static void check(const char *name, const char *what, const uint8_t *got, const uint8_t *want,
		  size_t len)
{
	if (memcmp(got, want, len) == 0)
		return;
	char g[65], w[65];
	sen_hex_encode(got, len, g);
	sen_hex_encode(want, len, w);
	print_error("# %s: %s gives %s, expected %s\n", name, what, g, w);
	failures++;
}

static void unhex(const char *s, uint8_t *out, size_t len)
{
	assert_int_equal(sen_hex_decode_exact(s, out, len), 0);
}

/* Decode an entry; a malformed entry (length field disagreeing with the bytes …) fails. */
static void parse(const cJSON *e, struct deriv *d)
{
	memset(d, 0, sizeof(*d));
	d->json = e;
	d->name = sen_test_str(e, "name");
	assert_non_null(d->name);

	const char *fc = sen_test_str(e, "FC");
	assert_non_null(fc);
	char *end = NULL;
	unsigned long v = strtoul(fc, &end, 16);
	if (*end || v > 0xFF)
		fail_msg("%s: bad FC \"%s\"", d->name, fc);
	d->fc = (uint8_t)v;

	int n = sen_test_hex(e, "key", d->key, sizeof(d->key));
	if (n <= 0)
		fail_msg("%s: bad key", d->name);
	d->key_len = (size_t)n;

	n = sen_test_hex(e, "output", d->out, sizeof(d->out));
	if (n != 16 && n != 32)
		fail_msg("%s: output is not 16 or 32 bytes", d->name);
	d->out_len = (size_t)n;

	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(e, "params"), *p;
	assert_true(cJSON_IsArray(ps));
	cJSON_ArrayForEach(p, ps) {
		if (d->n == MAX_P)
			fail_msg("%s: too many parameters", d->name);
		n = sen_test_hex(p, "value_hex", d->p[d->n], MAX_PLEN);
		const cJSON *len = cJSON_GetObjectItemCaseSensitive(p, "length");
		if (n < 0 || !cJSON_IsNumber(len) || len->valueint != n)
			fail_msg("%s: parameter %zu malformed or its length disagrees", d->name, d->n);
		d->plen[d->n] = (size_t)n;
		memcpy(d->pstr[d->n], d->p[d->n], (size_t)n);
		const char *ascii = sen_test_str(p, "value_ascii");
		if (ascii && strcmp(ascii, d->pstr[d->n]) != 0)
			fail_msg("%s: value_ascii disagrees with value_hex", d->name);
		d->n++;
	}
}

/* The 128-bit result of a 16-byte entry is the KDF output's 128 LSBs (last 16 bytes). */
static const uint8_t *want16(const struct deriv *d)
{
	return d->out_len == 32 ? d->out + 16 : d->out;
}

/* When the entry also lists its inputs, they must agree with key and params. */
static void check_input(const struct deriv *d, const char *key, const uint8_t *have, size_t len)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(d->json, "inputs");
	uint8_t b[64];

	if (!in || !cJSON_HasObjectItem(in, key))
		return;
	if (sen_test_hex(in, key, b, sizeof(b)) != (int)len || memcmp(b, have, len) != 0)
		fail_msg("%s: inputs.%s disagrees with key/params", d->name, key);
}

static cJSON *load(const cJSON **arr, int *total)
{
	cJSON *j = sen_test_vectors("kdf_5g.json");
	assert_non_null(j);
	*arr = cJSON_GetObjectItemCaseSensitive(j, "derivations");
	assert_true(cJSON_IsArray(*arr));
	*total = cJSON_GetArraySize(*arr);
	assert_true(*total > 0);
	return j;
}

/* Every entry through sen_kdf with exactly the listed FC and parameters. */
static void test_vectors_generic(void **state)
{
	const cJSON *arr, *e;
	int total, done = 0;
	cJSON *j = load(&arr, &total);
	struct deriv d;

	failures = 0;
	cJSON_ArrayForEach(e, arr) {
		struct sen_kdf_param ps[MAX_P];
		uint8_t out[32];

		parse(e, &d);
		for (size_t i = 0; i < d.n; i++)
			ps[i] = (struct sen_kdf_param){ d.p[i], d.plen[i] };
		assert_int_equal(sen_kdf(d.key, d.key_len, d.fc, ps, d.n, out), 0);
		if (d.out_len == 32)
			check(d.name, "sen_kdf", out, d.out, 32);
		else
			check(d.name, "sen_kdf (128 LSBs)", out + 16, d.out, 16);
		done++;
	}
	cJSON_Delete(j);
	assert_int_equal(done, total);
	assert_int_equal(failures, 0);
}

static void need(const struct deriv *d, size_t n, size_t key_len)
{
	if (d->n != n || d->key_len != key_len)
		fail_msg("%s: expected %zu parameters and a %zu-byte key", d->name, n, key_len);
}

static void need_len(const struct deriv *d, size_t i, size_t len)
{
	if (d->plen[i] != len)
		fail_msg("%s: P%zu is %zu bytes, expected %zu", d->name, i, d->plen[i], len);
}

/* One entry through the function of kdf.h that its FC stands for. */
static void run_specific(const struct deriv *d)
{
	const uint8_t *ck = d->key, *ik = d->key + 16;
	uint8_t o32[32], o16[16], o16b[16];

	switch (d->fc) {
	case 0x20: { /* TS 33.402 A.2 */
		need(d, 2, 32);
		need_len(d, 1, 6);
		check_input(d, "CK", ck, 16);
		check_input(d, "IK", ik, 16);
		assert_int_equal(sen_kdf_ck_ik_prime(ck, ik, d->pstr[0], d->p[1], o16, o16b), 0);
		assert_int_equal(d->out_len, 32);
		check(d->name, "CK'", o16, d->out, 16);
		check(d->name, "IK'", o16b, d->out + 16, 16);
		const cJSON *outs = cJSON_GetObjectItemCaseSensitive(d->json, "outputs");
		uint8_t w[16];
		if (outs) {
			assert_int_equal(sen_test_hex(outs, "CK'", w, 16), 16);
			check(d->name, "outputs.CK'", o16, w, 16);
			assert_int_equal(sen_test_hex(outs, "IK'", w, 16), 16);
			check(d->name, "outputs.IK'", o16b, w, 16);
		}
		break;
	}
	case 0x6A: /* TS 33.501 A.2 */
		need(d, 2, 32);
		need_len(d, 1, 6);
		check_input(d, "CK", ck, 16);
		check_input(d, "IK", ik, 16);
		check_input(d, "SQN_xor_AK", d->p[1], 6);
		assert_int_equal(sen_kdf_kausf(ck, ik, d->pstr[0], d->p[1], o32), 0);
		check(d->name, "sen_kdf_kausf", o32, d->out, 32);
		break;
	case 0x6B: /* TS 33.501 A.4 */
		need(d, 3, 32);
		need_len(d, 1, 16);
		check_input(d, "CK", ck, 16);
		check_input(d, "IK", ik, 16);
		check_input(d, "RAND", d->p[1], 16);
		check_input(d, "RES", d->p[2], d->plen[2]);
		assert_int_equal(sen_kdf_res_star(ck, ik, d->pstr[0], d->p[1], d->p[2], d->plen[2],
						  o16),
				 0);
		check(d->name, "sen_kdf_res_star", o16, want16(d), 16);
		break;
	case 0x6C: /* TS 33.501 A.6 */
		need(d, 1, 32);
		assert_int_equal(sen_kdf_kseaf(d->key, d->pstr[0], o32), 0);
		check(d->name, "sen_kdf_kseaf", o32, d->out, 32);
		break;
	case 0x6D: { /* TS 33.501 A.7 */
		need(d, 2, 32);
		char supi[MAX_PLEN + 8];
		assert_int_equal(sen_kdf_kamf(d->key, d->pstr[0], d->p[1], d->plen[1], o32), 0);
		check(d->name, "sen_kdf_kamf", o32, d->out, 32);
		/* The same SUPI in its TS 29.571 form: the "imsi-" prefix is not part of P0. */
		snprintf(supi, sizeof(supi), "imsi-%s", d->pstr[0]);
		assert_int_equal(sen_kdf_kamf(d->key, supi, d->p[1], d->plen[1], o32), 0);
		check(d->name, "sen_kdf_kamf (imsi- prefix)", o32, d->out, 32);
		break;
	}
	case 0x69: /* TS 33.501 A.8 */
		need(d, 2, 32);
		need_len(d, 0, 1);
		need_len(d, 1, 1);
		assert_int_equal(sen_kdf_alg_key(d->key, (enum sen_kdf_alg_type)d->p[0][0],
						 d->p[1][0], o16),
				 0);
		check(d->name, "sen_kdf_alg_key", o16, want16(d), 16);
		break;
	case 0x6E: { /* TS 33.501 A.9 */
		need(d, 2, 32);
		need_len(d, 0, 4);
		need_len(d, 1, 1);
		uint32_t count = (uint32_t)d->p[0][0] << 24 | (uint32_t)d->p[0][1] << 16 |
				 (uint32_t)d->p[0][2] << 8 | d->p[0][3];
		assert_int_equal(sen_kdf_kgnb(d->key, count, (enum sen_kdf_access)d->p[1][0], o32), 0);
		check(d->name, "sen_kdf_kgnb", o32, d->out, 32);
		break;
	}
	case 0x10: /* TS 33.401 A.2 */
		need(d, 2, 32);
		need_len(d, 0, 3);
		need_len(d, 1, 6);
		assert_int_equal(sen_kdf_kasme(ck, ik, d->p[0], d->p[1], o32), 0);
		check(d->name, "sen_kdf_kasme", o32, d->out, 32);
		break;
	default:
		fail_msg("%s: no specific function for FC 0x%02x", d->name, d->fc);
	}
}

static void test_vectors_specific(void **state)
{
	const cJSON *arr, *e;
	int total, done = 0;
	cJSON *j = load(&arr, &total);
	struct deriv d;

	failures = 0;
	cJSON_ArrayForEach(e, arr) {
		parse(e, &d);
		run_specific(&d);
		done++;
	}
	cJSON_Delete(j);
	assert_int_equal(done, total);
	assert_int_equal(failures, 0);
}

/*
 * Derivations without an entry in kdf_5g.json. Expected values were computed with
 * Python's hmac/hashlib straight from the parameter lists of TS 33.501 A.5, A.9, A.10,
 * A.13 (S = FC || P0 || L0 || …, 2-octet big-endian lengths, COUNT big-endian).
 */
static const char kamf_hex[] = "d655f16142035d4d72ca39583d228d2dd2ec0ca7929ad007f53b382d05544405";

static void test_hres_star(void **state)
{
	uint8_t rand[16], res_star[16], want[16], got[16];

	/* RAND and RES* of the A.4 entry of kdf_5g.json. */
	unhex("fc2d98a361208bf743639c9e632d7350", rand, 16);
	unhex("b0e35b23dbd7a18c848bfad91135e3fd", res_star, 16);
	/* A.5: the 128 least significant bits of SHA-256(RAND || RES*). */
	unhex("b15e64187086af167d293ab1121b5788", want, 16);
	assert_int_equal(sen_kdf_hres_star(rand, res_star, got), 0);
	assert_memory_equal(got, want, 16);
	res_star[15] ^= 1;
	assert_int_equal(sen_kdf_hres_star(rand, res_star, got), 0);
	assert_memory_not_equal(got, want, 16);
	assert_int_equal(sen_kdf_hres_star(NULL, res_star, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_hres_star(rand, NULL, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_hres_star(rand, res_star, NULL), -SEN_EINVAL);
}

static void test_kgnb_count_and_access(void **state)
{
	uint8_t kamf[32], want[32], got[32];

	unhex(kamf_hex, kamf, 32);
	/* COUNT 0x01020304 enters S as 01 02 03 04 (the file's entry has COUNT 0). */
	unhex("0744a461b6377dbb7ff1f9ff96fe7606ac7a0c0c31b0f915e15e46b4beca1549", want, 32);
	assert_int_equal(sen_kdf_kgnb(kamf, 0x01020304, SEN_KDF_ACCESS_3GPP, got), 0);
	assert_memory_equal(got, want, 32);
	/* KN3IWF: access type distinguisher 0x02. */
	unhex("41beb577e0a9b68b145ecbc7b1d0d104b02f76999dd7759a4e84b043c61cf574", want, 32);
	assert_int_equal(sen_kdf_kgnb(kamf, 0, SEN_KDF_ACCESS_NON3GPP, got), 0);
	assert_memory_equal(got, want, 32);
	assert_int_equal(sen_kdf_kgnb(kamf, 0, (enum sen_kdf_access)0, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kgnb(kamf, 0, (enum sen_kdf_access)3, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kgnb(NULL, 0, SEN_KDF_ACCESS_3GPP, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kgnb(kamf, 0, SEN_KDF_ACCESS_3GPP, NULL), -SEN_EINVAL);
}

static void test_nh(void **state)
{
	uint8_t kamf[32], sync[32], want[32], got[32];

	unhex(kamf_hex, kamf, 32);
	/* SYNC-input = the KgNB of the A.9 entry of kdf_5g.json. */
	unhex("493a16c58b77b627fa3f1ac6344c183039f01ba0cb7636bbccc4365b023bd562", sync, 32);
	unhex("36b236a55a1f7556e2ff066b8a813a055c04865bc372e69b2d6df63ef25fd8a9", want, 32);
	assert_int_equal(sen_kdf_nh(kamf, sync, got), 0);
	assert_memory_equal(got, want, 32);
	assert_int_equal(sen_kdf_nh(NULL, sync, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_nh(kamf, NULL, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_nh(kamf, sync, NULL), -SEN_EINVAL);
}

static void test_kamf_prime(void **state)
{
	uint8_t kamf[32], want[32], got[32];

	unhex(kamf_hex, kamf, 32);
	unhex("b99d5a74e6064f88c93b0f76b26a26661b2d7b8c0dc9c7e30aa83c59ca9d385c", want, 32);
	assert_int_equal(sen_kdf_kamf_prime(kamf, 0x00, 0x00000102, got), 0);
	assert_memory_equal(got, want, 32);
	unhex("a9e1552b8f8b418c004d012f1fe96d4f79ebb04f58de546339c4b3f0634f4589", want, 32);
	assert_int_equal(sen_kdf_kamf_prime(kamf, 0x01, 0x0a0b0c0d, got), 0);
	assert_memory_equal(got, want, 32);
	assert_int_equal(sen_kdf_kamf_prime(kamf, 0x02, 0, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf_prime(NULL, 0, 0, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf_prime(kamf, 0, 0, NULL), -SEN_EINVAL);
}

/* SUPI forms for A.7 (TS 33.501 A.7.0, TS 29.571 5.3.2), on the first KAMF entry. */
static void test_kamf_supi(void **state)
{
	uint8_t kseaf[32], want[32], got[32], other[32];
	const uint8_t abba[2] = { 0x00, 0x00 };

	unhex("6c50bfa5f32a89ade1ee6c707de6dcfea0790afb6d14f9e55943aeda58334548", kseaf, 32);
	unhex("46237ef051d6a16a3927525fa65cc39544cdfd7990b946ad796530e6d787a0da", want, 32);
	assert_int_equal(sen_kdf_kamf(kseaf, "901700000021309", abba, 2, got), 0);
	assert_memory_equal(got, want, 32);
	assert_int_equal(sen_kdf_kamf(kseaf, "imsi-901700000021309", abba, 2, got), 0);
	assert_memory_equal(got, want, 32);

	/* NAI: P0 is the NAI without "nai-". */
	assert_int_equal(sen_kdf_kamf(kseaf, "nai-user@example.org", abba, 2, got), 0);
	assert_int_equal(sen_kdf_kamf(kseaf, "user@example.org", abba, 2, other), 0);
	assert_memory_equal(got, other, 32);
	assert_memory_not_equal(got, want, 32);

	/* ABBA is an input: another value, another key. */
	const uint8_t abba2[2] = { 0x00, 0x01 };
	assert_int_equal(sen_kdf_kamf(kseaf, "901700000021309", abba2, 2, got), 0);
	assert_memory_not_equal(got, want, 32);

	assert_int_equal(sen_kdf_kamf(kseaf, "", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "imsi-", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "imsi-1234", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "imsi-1234567890123456", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "imsi-90170000002130x", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "nai-", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "901700000021309", abba, 0, got), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_kamf(kseaf, "901700000021309", NULL, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, NULL, abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(NULL, "901700000021309", abba, 2, got), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kamf(kseaf, "901700000021309", abba, 2, NULL), -SEN_EINVAL);
}

static void test_alg_key_bad(void **state)
{
	uint8_t key[32] = { 0 }, out[16];

	assert_int_equal(sen_kdf_alg_key(key, SEN_KDF_UP_INT, 15, out), 0);
	assert_int_equal(sen_kdf_alg_key(key, (enum sen_kdf_alg_type)0, 1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_alg_key(key, (enum sen_kdf_alg_type)7, 1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_alg_key(key, SEN_KDF_NAS_ENC, 16, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_alg_key(key, SEN_KDF_NAS_ENC, 0xF1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_alg_key(NULL, SEN_KDF_NAS_ENC, 1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_alg_key(key, SEN_KDF_NAS_ENC, 1, NULL), -SEN_EINVAL);
}

static void test_snn_lengths(void **state)
{
	uint8_t ck[16] = { 1 }, ik[16] = { 2 }, rand[16] = { 3 }, res[16] = { 4 }, sqn[6] = { 5 };
	uint8_t out[32], o16[16], o16b[16];
	static char name[1022];

	assert_int_equal(sen_kdf_res_star(ck, ik, "5G:x", rand, res, 4, o16), 0);
	assert_int_equal(sen_kdf_res_star(ck, ik, "5G:x", rand, res, 16, o16), 0);
	assert_int_equal(sen_kdf_res_star(ck, ik, "5G:x", rand, res, 3, o16), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_res_star(ck, ik, "5G:x", rand, res, 17, o16), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_res_star(ck, ik, "", rand, res, 8, o16), -SEN_EINVAL);
	assert_int_equal(sen_kdf_res_star(ck, ik, NULL, rand, res, 8, o16), -SEN_EINVAL);
	assert_int_equal(sen_kdf_res_star(ck, ik, "5G:x", NULL, res, 8, o16), -SEN_EINVAL);
	assert_int_equal(sen_kdf_res_star(ck, ik, "5G:x", rand, NULL, 8, o16), -SEN_EINVAL);

	/* TS 24.501 9.12.1: at most 1020 octets. */
	memset(name, 'a', 1020);
	name[1020] = '\0';
	assert_int_equal(sen_kdf_kausf(ck, ik, name, sqn, out), 0);
	assert_int_equal(sen_kdf_kseaf(out, name, out), 0);
	name[1020] = 'a';
	name[1021] = '\0';
	assert_int_equal(sen_kdf_kausf(ck, ik, name, sqn, out), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_kseaf(out, name, out), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_ck_ik_prime(ck, ik, name, sqn, o16, o16b), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_ck_ik_prime(ck, ik, "", sqn, o16, o16b), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kausf(ck, ik, "", sqn, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kausf(NULL, ik, "5G:x", sqn, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kausf(ck, ik, "5G:x", NULL, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kseaf(NULL, "5G:x", out), -SEN_EINVAL);
	assert_int_equal(sen_kdf_ck_ik_prime(ck, ik, "WLAN", sqn, NULL, o16b), -SEN_EINVAL);
	assert_int_equal(sen_kdf_kasme(ck, ik, NULL, sqn, out), -SEN_EINVAL);
}

static void test_generic_bad(void **state)
{
	uint8_t key[32] = { 9 }, out[32], out2[32], b = 0x42;
	struct sen_kdf_param p[2] = { { &b, 1 }, { NULL, 0 } };

	assert_int_equal(sen_kdf(NULL, 32, 0x6c, p, 1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf(key, 0, 0x6c, p, 1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf(key, 32, 0x6c, NULL, 1, out), -SEN_EINVAL);
	assert_int_equal(sen_kdf(key, 32, 0x6c, p, 1, NULL), -SEN_EINVAL);
	p[1] = (struct sen_kdf_param){ NULL, 3 };
	assert_int_equal(sen_kdf(key, 32, 0x6c, p, 2, out), -SEN_EINVAL);
	p[1] = (struct sen_kdf_param){ &b, 0x10000 };
	assert_int_equal(sen_kdf(key, 32, 0x6c, p, 2, out), -SEN_EMSGSIZE);

	/* No parameters, and an empty parameter (its L = 0x0000 still enters S). */
	assert_int_equal(sen_kdf(key, 32, 0x6c, NULL, 0, out), 0);
	p[1] = (struct sen_kdf_param){ NULL, 0 };
	assert_int_equal(sen_kdf(key, 32, 0x6c, p, 1, out), 0);
	assert_int_equal(sen_kdf(key, 32, 0x6c, p, 2, out2), 0);
	assert_memory_not_equal(out, out2, 32);
	/* FC is an input. */
	assert_int_equal(sen_kdf(key, 32, 0x6d, p, 1, out2), 0);
	assert_memory_not_equal(out, out2, 32);
}

static void test_snn(void **state)
{
	char out[64];

	assert_int_equal(sen_kdf_snn("999", "70", out, sizeof(out)), 32);
	assert_string_equal(out, "5G:mnc070.mcc999.3gppnetwork.org");
	assert_int_equal(sen_kdf_snn("310", "410", out, sizeof(out)), 32);
	assert_string_equal(out, "5G:mnc410.mcc310.3gppnetwork.org");
	assert_int_equal(sen_kdf_snn("001", "01", out, 33), 32);
	assert_string_equal(out, "5G:mnc001.mcc001.3gppnetwork.org");

	/* Matches the names used by the kdf_5g.json entries. */
	assert_int_equal(sen_kdf_snn("901", "70", out, sizeof(out)), 32);
	assert_string_equal(out, "5G:mnc070.mcc901.3gppnetwork.org");

	memset(out, 'x', sizeof(out));
	assert_int_equal(sen_kdf_snn("001", "01", out, 32), -SEN_EMSGSIZE);
	assert_int_equal(sen_kdf_snn("001", "01", out, 0), -SEN_EMSGSIZE);
	assert_int_equal(out[0], 'x'); /* nothing written */
	assert_int_equal(sen_kdf_snn("99", "70", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("9999", "70", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("9a9", "70", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("999", "7", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("999", "7000", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("999", "7 ", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("999", "", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn(NULL, "70", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("999", NULL, out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_kdf_snn("999", "70", NULL, sizeof(out)), -SEN_EINVAL);
}

/* The per-thread contexts give the same answers from several threads at once. */
struct thr {
	int bad;
};

static void *worker(void *arg)
{
	struct thr *t = arg;
	uint8_t kamf[32], got[32], want[32], k[16] = { 7 }, ak1[6], ak2[6];

	if (sen_hex_decode_exact(kamf_hex, kamf, 32) != 0 ||
	    sen_hex_decode_exact("0744a461b6377dbb7ff1f9ff96fe7606ac7a0c0c31b0f915e15e46b4beca1549",
				 want, 32) != 0) {
		t->bad++;
		return NULL;
	}
	if (sen_milenage_f2345(k, k, k, NULL, NULL, NULL, ak1) != 0)
		t->bad++;
	for (int i = 0; i < 2000; i++) {
		if (sen_kdf_kgnb(kamf, 0x01020304, SEN_KDF_ACCESS_3GPP, got) != 0 ||
		    memcmp(got, want, 32) != 0)
			t->bad++;
		if (sen_milenage_f2345(k, k, k, NULL, NULL, NULL, ak2) != 0 || memcmp(ak1, ak2, 6))
			t->bad++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t th[4];
	struct thr t[4] = { { 0 } };

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, &t[i]), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(t[i].bad, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_generic),
		cmocka_unit_test(test_vectors_specific),
		cmocka_unit_test(test_hres_star),
		cmocka_unit_test(test_kgnb_count_and_access),
		cmocka_unit_test(test_nh),
		cmocka_unit_test(test_kamf_prime),
		cmocka_unit_test(test_kamf_supi),
		cmocka_unit_test(test_alg_key_bad),
		cmocka_unit_test(test_snn_lengths),
		cmocka_unit_test(test_generic_bad),
		cmocka_unit_test(test_snn),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("kdf", tests, NULL, NULL);
}
