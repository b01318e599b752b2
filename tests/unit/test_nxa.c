/*
 * Unit tests for lib/crypto/nxa (128-NEA0..3 / 128-NIA0..3, TS 33.501 Annex D) and the
 * SNOW 3G / ZUC code under it:
 *  - every test set of tests/vectors/nea_nia.json as its own case (one-shot and keyed
 *    context, both directions, in place, both GF(2^64) / EIA3 paths), compared under the
 *    length_bits mask as tests/vectors/README.md says;
 *  - encrypt-then-decrypt round trips at odd bit lengths, in-place use, context reuse,
 *    one-bit message changes, NIA2 against OpenSSL's own CMAC (also with the per-thread key
 *    cache hit and missed, and from several threads), in-place contexts, the portable MAC paths
 *    against PCLMULQDQ, keystream continuity, the ZUC keystream sets of its Document 3, and
 *    bad arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/err.h"
#include "core/hex.h"
#include "crypto/nxa.h"
#include "crypto/snow3g.h"
#include "crypto/zuc.h"
#include "vectors.h"

#define N_SETS 37 /* sets in nea_nia.json: NEA1 6, NIA1 7, NEA2 6, NIA2 8, NEA3 5, NIA3 5 */

/* ---- helpers ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static size_t nbytes(size_t len_bits)
{
	return (len_bits + 7) / 8;
}

/* Mask of the bits of the last byte that belong to the first len_bits bits. */
static uint8_t last_mask(size_t len_bits)
{
	return (len_bits & 7) ? (uint8_t)(0xff << (8 - (len_bits & 7))) : 0xff;
}

/* The first len_bits bits of a and b are equal. */
static int bits_equal(const uint8_t *a, const uint8_t *b, size_t len_bits)
{
	size_t n = len_bits / 8;

	if (memcmp(a, b, n) != 0)
		return 0;
	return !(len_bits & 7) || ((a[n] ^ b[n]) & last_mask(len_bits)) == 0;
}

/* Out-buffers carry a guard byte; the algorithms must write exactly nbytes(len). */
#define GUARD 0xa5

static void report(const char *name, const char *what, const uint8_t *got, const uint8_t *want,
		   size_t len_bits)
{
	size_t n = nbytes(len_bits) > 64 ? 64 : nbytes(len_bits);
	char g[129], w[129];

	sen_hex_encode(got, n, g);
	sen_hex_encode(want, n, w);
	print_error("# %s: %s differs (%zu bits)\n#  got  %s%s\n#  want %s%s\n", name, what,
		    len_bits, g, n < nbytes(len_bits) ? "..." : "", w,
		    n < nbytes(len_bits) ? "..." : "");
}

/* ---- the vector file ---- */

struct vec {
	const char *name;
	int nia; /* 0: NEA set, 1: NIA set */
	int alg; /* 1..3 */
	uint8_t key[16];
	uint32_t count;
	uint8_t bearer, dir;
	size_t len_bits;
	uint8_t *a;   /* plaintext or message */
	size_t a_len; /* bytes in the hex string */
	uint8_t *b;   /* ciphertext (NEA) */
	size_t b_len;
	uint8_t mac[4];
};

static uint8_t *hex_alloc(const cJSON *o, const char *key, size_t *len)
{
	const char *s = sen_test_str(o, key);
	if (!s)
		fail_msg("vector member %s missing", key);
	size_t cap = strlen(s) / 2 + 1;
	uint8_t *p = malloc(cap);
	assert_non_null(p);
	int n = sen_test_hex(o, key, p, cap);
	if (n < 0)
		fail_msg("vector member %s is not hex", key);
	*len = (size_t)n;
	return p;
}

static void parse_vec(const cJSON *t, struct vec *v)
{
	const char *alg = sen_test_str(t, "algorithm");
	uint8_t cnt[4];
	const cJSON *bearer = cJSON_GetObjectItemCaseSensitive(t, "bearer");
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(t, "direction");
	const cJSON *len = cJSON_GetObjectItemCaseSensitive(t, "length_bits");

	memset(v, 0, sizeof(*v));
	v->name = sen_test_str(t, "name");
	assert_non_null(v->name);
	assert_non_null(alg);
	if (strncmp(alg, "128-NEA", 7) == 0)
		v->nia = 0;
	else if (strncmp(alg, "128-NIA", 7) == 0)
		v->nia = 1;
	else
		fail_msg("%s: unknown algorithm %s", v->name, alg);
	v->alg = alg[7] - '0';
	if (v->alg < 1 || v->alg > 3 || alg[8])
		fail_msg("%s: unknown algorithm %s", v->name, alg);
	if (sen_test_hex(t, "key", v->key, 16) != 16 || sen_test_hex(t, "count", cnt, 4) != 4)
		fail_msg("%s: bad key or count", v->name);
	v->count = (uint32_t)cnt[0] << 24 | (uint32_t)cnt[1] << 16 | (uint32_t)cnt[2] << 8 | cnt[3];
	assert_true(cJSON_IsNumber(bearer) && cJSON_IsNumber(dir) && cJSON_IsNumber(len));
	assert_true(bearer->valueint >= 0 && bearer->valueint < 32);
	assert_true(dir->valueint == 0 || dir->valueint == 1);
	assert_true(len->valuedouble >= 1 && len->valuedouble < 1e6);
	v->bearer = (uint8_t)bearer->valueint;
	v->dir = (uint8_t)dir->valueint;
	v->len_bits = (size_t)len->valuedouble;
	if (!v->nia) {
		v->a = hex_alloc(t, "plaintext", &v->a_len);
		v->b = hex_alloc(t, "ciphertext", &v->b_len);
		assert_true(v->b_len >= nbytes(v->len_bits));
	} else {
		v->a = hex_alloc(t, "message", &v->a_len);
		if (sen_test_hex(t, "mac", v->mac, 4) != 4)
			fail_msg("%s: bad mac", v->name);
	}
	assert_true(v->a_len >= nbytes(v->len_bits));
}

static void free_vec(struct vec *v)
{
	free(v->a);
	free(v->b);
}

/* One NEA application, checked: result under the mask, zero tail bits, guard byte intact. */
static void nea_check(const struct vec *v, const char *how, struct sen_nxa *ctx, const uint8_t *in,
		      const uint8_t *want, int in_place)
{
	size_t n = nbytes(v->len_bits);
	uint8_t *out = malloc(n + 1);
	int rc;

	assert_non_null(out);
	out[n] = GUARD;
	if (in_place)
		memcpy(out, in, n);
	if (ctx)
		rc = sen_nea_apply(ctx, v->count, v->bearer, v->dir, in_place ? out : in, out,
				   v->len_bits);
	else
		rc = sen_nea(v->alg, v->key, v->count, v->bearer, v->dir, in_place ? out : in, out,
			     v->len_bits);
	assert_int_equal(rc, 0);
	if (!bits_equal(out, want, v->len_bits)) {
		report(v->name, how, out, want, v->len_bits);
		free(out);
		fail();
	}
	assert_int_equal(out[n - 1] & (uint8_t)~last_mask(v->len_bits), 0);
	assert_int_equal(out[n], GUARD);
	free(out);
}

static void nia_check(const struct vec *v, const char *how, struct sen_nxa *ctx, const uint8_t *msg)
{
	uint8_t mac[4] = {0};
	int rc = ctx ? sen_nia_mac(ctx, v->count, v->bearer, v->dir, msg, v->len_bits, mac)
		     : sen_nia(v->alg, v->key, v->count, v->bearer, v->dir, msg, v->len_bits, mac);

	assert_int_equal(rc, 0);
	if (memcmp(mac, v->mac, 4) != 0) {
		report(v->name, how, mac, v->mac, 32);
		fail();
	}
}

static void run_nea_set(const struct vec *v)
{
	struct sen_nxa *ctx = sen_nea_new(v->alg, v->key);

	assert_non_null(ctx);
	nea_check(v, "one-shot encrypt", NULL, v->a, v->b, 0);
	nea_check(v, "one-shot decrypt", NULL, v->b, v->a, 0);
	nea_check(v, "context encrypt", ctx, v->a, v->b, 0);
	nea_check(v, "context decrypt", ctx, v->b, v->a, 0);
	nea_check(v, "context encrypt again", ctx, v->a, v->b, 0);
	nea_check(v, "in-place encrypt", ctx, v->a, v->b, 1);
	nea_check(v, "in-place one-shot decrypt", NULL, v->b, v->a, 1);
	sen_nxa_free(ctx);
}

static void run_nia_set(const struct vec *v)
{
	struct sen_nxa *ctx = sen_nia_new(v->alg, v->key);
	size_t n = nbytes(v->len_bits);
	uint8_t *noisy = malloc(n);

	assert_non_null(ctx);
	assert_non_null(noisy);
	/* The same message with every bit past len_bits set: only len_bits bits count. */
	memcpy(noisy, v->a, n);
	noisy[n - 1] |= (uint8_t)~last_mask(v->len_bits);

	for (int portable = 0; portable < 2; portable++) {
		if (v->alg != SEN_NXA_2) {
			sen_snow3g_clmul(!portable);
			sen_zuc_clmul(!portable);
		} else if (portable) {
			break;
		}
		nia_check(v, portable ? "one-shot (portable)" : "one-shot", NULL, v->a);
		nia_check(v, portable ? "context (portable)" : "context", ctx, v->a);
		nia_check(v, "context again", ctx, v->a);
		nia_check(v, "bits past LENGTH set", ctx, noisy);
	}
	sen_snow3g_clmul(1);
	sen_zuc_clmul(1);
	free(noisy);
	sen_nxa_free(ctx);
}

static void test_vector_set(void **state)
{
	struct vec v;

	parse_vec((const cJSON *)*state, &v);
	if (v.nia)
		run_nia_set(&v);
	else
		run_nea_set(&v);
	free_vec(&v);
}

/* The file holds the 37 sets named in its README, each with a known algorithm. */
static cJSON *vectors;

static void test_vector_file(void **state)
{
	const cJSON *sets = cJSON_GetObjectItemCaseSensitive(vectors, "test_sets");
	int per[2][4] = {{0}};
	const cJSON *t;

	assert_int_equal(cJSON_GetArraySize(sets), N_SETS);
	cJSON_ArrayForEach(t, sets) {
		struct vec v;

		parse_vec(t, &v);
		per[v.nia][v.alg]++;
		free_vec(&v);
	}
	assert_int_equal(per[0][1], 6);
	assert_int_equal(per[1][1], 7);
	assert_int_equal(per[0][2], 6);
	assert_int_equal(per[1][2], 8);
	assert_int_equal(per[0][3], 5);
	assert_int_equal(per[1][3], 5);
}

/* ---- properties ---- */

static const size_t odd_lengths[] = {
    1, 2, 7, 8, 9, 31, 33, 63, 65, 127, 129, 255, 257, 511, 513, 999, 1001, 4097, 12001, 12007,
};

/* Encrypt then decrypt gives the message back (masked) for every algorithm and length. */
static void test_roundtrip(void **state)
{
	uint8_t key[16], pt[1502], ct[1502], back[1502];

	for (int alg = 0; alg <= 3; alg++) {
		for (size_t i = 0; i < sizeof(odd_lengths) / sizeof(odd_lengths[0]); i++) {
			size_t len = odd_lengths[i], n = nbytes(len);
			uint32_t count = rnd();
			uint8_t bearer = rnd() % 32, dir = rnd() % 2;

			fill(key, 16);
			fill(pt, sizeof(pt));
			memset(ct, GUARD, sizeof(ct));
			memset(back, GUARD, sizeof(back));
			assert_int_equal(sen_nea(alg, key, count, bearer, dir, pt, ct, len), 0);
			assert_int_equal(sen_nea(alg, key, count, bearer, dir, ct, back, len), 0);
			assert_true(bits_equal(back, pt, len));
			assert_int_equal(ct[n - 1] & (uint8_t)~last_mask(len), 0);
			assert_int_equal(back[n - 1] & (uint8_t)~last_mask(len), 0);
			assert_int_equal(ct[n], GUARD);
			assert_int_equal(back[n], GUARD);
			if (alg == 0)
				assert_true(bits_equal(ct, pt, len));
			else if (len >= 64)
				assert_false(bits_equal(ct, pt, len));
		}
	}
}

/* Same key, different COUNT / BEARER / DIRECTION: different keystreams. */
static void test_inputs_matter(void **state)
{
	uint8_t key[16], zero[64] = {0}, ks[4][64];

	fill(key, 16);
	for (int alg = 1; alg <= 3; alg++) {
		assert_int_equal(sen_nea(alg, key, 5, 3, 0, zero, ks[0], 512), 0);
		assert_int_equal(sen_nea(alg, key, 6, 3, 0, zero, ks[1], 512), 0);
		assert_int_equal(sen_nea(alg, key, 5, 4, 0, zero, ks[2], 512), 0);
		assert_int_equal(sen_nea(alg, key, 5, 3, 1, zero, ks[3], 512), 0);
		for (int i = 0; i < 4; i++)
			for (int j = i + 1; j < 4; j++)
				assert_memory_not_equal(ks[i], ks[j], 64);
	}
}

/* In place (in == out) gives what out-of-place gives. */
static void test_in_place(void **state)
{
	uint8_t key[16], pt[1500], ct[1500], buf[1500];

	fill(key, 16);
	for (int alg = 0; alg <= 3; alg++) {
		struct sen_nxa *ctx = sen_nea_new(alg, key);

		assert_non_null(ctx);
		for (size_t len = 1; len <= 8 * sizeof(pt); len = len * 3 + 5) {
			fill(pt, sizeof(pt));
			memcpy(buf, pt, sizeof(buf));
			assert_int_equal(sen_nea_apply(ctx, 77, 9, 1, pt, ct, len), 0);
			assert_int_equal(sen_nea_apply(ctx, 77, 9, 1, buf, buf, len), 0);
			assert_memory_equal(buf, ct, nbytes(len));
			assert_memory_equal(buf + nbytes(len), pt + nbytes(len),
					    sizeof(buf) - nbytes(len)); /* untouched after */
		}
		sen_nxa_free(ctx);
	}
}

/* A keyed context applied many times (interleaved with another) equals the one-shot form. */
static void test_context_reuse(void **state)
{
	uint8_t k1[16], k2[16], msg[700], a[700], b[700], ma[4], mb[4];

	fill(k1, 16);
	fill(k2, 16);
	for (int alg = 0; alg <= 3; alg++) {
		struct sen_nxa *e1 = sen_nea_new(alg, k1), *e2 = sen_nea_new(alg, k2);
		struct sen_nxa *i1 = sen_nia_new(alg, k1), *i2 = sen_nia_new(alg, k2);

		assert_true(e1 && e2 && i1 && i2);
		for (int round = 0; round < 40; round++) {
			size_t len = 1 + rnd() % (8 * sizeof(msg));
			uint32_t count = rnd();
			uint8_t bearer = rnd() % 32, dir = rnd() % 2;
			int second = round & 1;

			fill(msg, sizeof(msg));
			assert_int_equal(
			    sen_nea_apply(second ? e2 : e1, count, bearer, dir, msg, a, len), 0);
			assert_int_equal(
			    sen_nea(alg, second ? k2 : k1, count, bearer, dir, msg, b, len), 0);
			assert_memory_equal(a, b, nbytes(len));
			assert_int_equal(
			    sen_nia_mac(second ? i2 : i1, count, bearer, dir, msg, len, ma), 0);
			assert_int_equal(
			    sen_nia(alg, second ? k2 : k1, count, bearer, dir, msg, len, mb), 0);
			assert_memory_equal(ma, mb, 4);
		}
		sen_nxa_free(e1);
		sen_nxa_free(e2);
		sen_nxa_free(i1);
		sen_nxa_free(i2);
	}
}

/* Changing any one message bit (or COUNT, BEARER, DIRECTION) changes the MAC; bits past
 * LENGTH do not. NIA0's MAC is always zero. */
static void test_mac_changes(void **state)
{
	uint8_t key[16], msg[40], mac0[4], mac[4];
	const size_t len = 301; /* 37 bytes and 5 bits */

	fill(key, 16);
	fill(msg, sizeof(msg));
	for (int alg = 1; alg <= 3; alg++) {
		struct sen_nxa *ctx = sen_nia_new(alg, key);

		assert_non_null(ctx);
		assert_int_equal(sen_nia_mac(ctx, 1000, 7, 0, msg, len, mac0), 0);
		for (size_t bit = 0; bit < len; bit++) {
			msg[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			assert_int_equal(sen_nia_mac(ctx, 1000, 7, 0, msg, len, mac), 0);
			msg[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			if (memcmp(mac, mac0, 4) == 0)
				fail_msg("NIA%d: flipping bit %zu leaves the MAC unchanged", alg,
					 bit);
		}
		for (size_t bit = len; bit < 8 * nbytes(len) + 16; bit++) {
			msg[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			assert_int_equal(sen_nia_mac(ctx, 1000, 7, 0, msg, len, mac), 0);
			msg[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			assert_memory_equal(mac, mac0, 4);
		}
		/* one more bit of length (a zero bit appended) changes it too */
		msg[len / 8] &= (uint8_t) ~(0x80 >> (len % 8));
		assert_int_equal(sen_nia_mac(ctx, 1000, 7, 0, msg, len + 1, mac), 0);
		assert_memory_not_equal(mac, mac0, 4);
		assert_int_equal(sen_nia_mac(ctx, 1001, 7, 0, msg, len, mac), 0);
		assert_memory_not_equal(mac, mac0, 4);
		assert_int_equal(sen_nia_mac(ctx, 1000, 8, 0, msg, len, mac), 0);
		assert_memory_not_equal(mac, mac0, 4);
		assert_int_equal(sen_nia_mac(ctx, 1000, 7, 1, msg, len, mac), 0);
		assert_memory_not_equal(mac, mac0, 4);
		sen_nxa_free(ctx);
	}
	memset(mac, 0xff, 4);
	assert_int_equal(sen_nia(0, key, 1, 2, 1, msg, len, mac), 0);
	assert_memory_equal(mac, "\0\0\0\0", 4);
}

/* NIA2 on whole-byte messages equals OpenSSL's CMAC over COUNT||BEARER||DIR||0^26||MSG. */
static void test_nia2_vs_openssl(void **state)
{
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *m = alg ? EVP_MAC_CTX_new(alg) : NULL;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0),
	    OSSL_PARAM_construct_end(),
	};
	uint8_t key[16], msg[1600], hdr[8], full[16], mac[4];
	size_t fl;

	assert_non_null(m);
	for (size_t n = 0; n <= 1600; n = n < 80 ? n + 1 : n * 2 + 3) {
		uint32_t count = rnd();
		uint8_t bearer = rnd() % 32, dir = rnd() % 2;

		if (n > sizeof(msg))
			n = sizeof(msg);
		fill(key, 16);
		fill(msg, n);
		hdr[0] = (uint8_t)(count >> 24);
		hdr[1] = (uint8_t)(count >> 16);
		hdr[2] = (uint8_t)(count >> 8);
		hdr[3] = (uint8_t)count;
		hdr[4] = (uint8_t)(bearer << 3 | dir << 2);
		hdr[5] = hdr[6] = hdr[7] = 0;
		assert_int_equal(EVP_MAC_init(m, key, 16, params), 1);
		assert_int_equal(EVP_MAC_update(m, hdr, 8), 1);
		assert_int_equal(EVP_MAC_update(m, msg, n), 1);
		assert_int_equal(EVP_MAC_final(m, full, &fl, sizeof(full)), 1);
		assert_int_equal(sen_nia(SEN_NXA_2, key, count, bearer, dir, msg, 8 * n, mac), 0);
		if (memcmp(mac, full, 4) != 0)
			fail_msg("NIA2 differs from OpenSSL CMAC at %zu bytes", n);
		if (n == sizeof(msg))
			break;
	}
	EVP_MAC_CTX_free(m);
	EVP_MAC_free(alg);
}

/* AES-128-CMAC (OpenSSL's EVP_MAC) over COUNT || BEARER || DIRECTION || 0^26 || msg[n]. */
static void ossl_nia2(EVP_MAC_CTX *m, const uint8_t key[16], uint32_t count, uint8_t bearer,
		      uint8_t dir, const uint8_t *msg, size_t n, uint8_t mac[4])
{
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0),
	    OSSL_PARAM_construct_end(),
	};
	uint8_t hdr[8] = {(uint8_t)(count >> 24), (uint8_t)(count >> 16), (uint8_t)(count >> 8),
			  (uint8_t)count, (uint8_t)(bearer << 3 | dir << 2)};
	uint8_t full[16];
	size_t fl;

	assert_int_equal(EVP_MAC_init(m, key, 16, params), 1);
	assert_int_equal(EVP_MAC_update(m, hdr, 8), 1);
	assert_int_equal(EVP_MAC_update(m, msg, n), 1);
	assert_int_equal(EVP_MAC_final(m, full, &fl, sizeof(full)), 1);
	memcpy(mac, full, 4);
}

/* AES-128-CTR (a fresh OpenSSL context) from T1 = COUNT || BEARER || DIRECTION || 0^90. */
static void ossl_nea2(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		      const uint8_t *in, uint8_t *out, size_t n)
{
	uint8_t t1[16] = {(uint8_t)(count >> 24), (uint8_t)(count >> 16), (uint8_t)(count >> 8),
			  (uint8_t)count, (uint8_t)(bearer << 3 | dir << 2)};
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int outl;

	assert_non_null(c);
	assert_int_equal(EVP_EncryptInit_ex2(c, EVP_aes_128_ctr(), key, t1, NULL), 1);
	assert_int_equal(EVP_EncryptUpdate(c, out, &outl, in, (int)n), 1);
	EVP_CIPHER_CTX_free(c);
}

/*
 * The per-thread OpenSSL state is re-keyed only when the key changes: runs of messages under
 * one key (the CBC chain carried from message to message) and under alternating keys, at
 * lengths of one block, several blocks and past the 512-octet bulk buffer, all agree with
 * OpenSSL used from scratch.
 */
static void test_key_cache(void **state)
{
	EVP_MAC *alg = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *m = alg ? EVP_MAC_CTX_new(alg) : NULL;
	static const size_t lens[] = {0, 1, 7, 8, 9, 23, 24, 25, 50, 100, 519, 520, 521, 1200};
	uint8_t keys[3][16], msg[1200], a[1200], b[1200], ma[4], mb[4];
	struct sen_nxa nia[3], nea[3];

	assert_non_null(m);
	for (int k = 0; k < 3; k++) {
		fill(keys[k], 16);
		assert_int_equal(sen_nia_init(&nia[k], SEN_NXA_2, keys[k]), 0);
		assert_int_equal(sen_nea_init(&nea[k], SEN_NXA_2, keys[k]), 0);
	}
	for (int round = 0; round < 300; round++) {
		int k = (rnd() % 4 == 0) ? (int)(rnd() % 3) : round / 10 % 3; /* runs, then jumps */
		size_t n = lens[rnd() % (sizeof(lens) / sizeof(lens[0]))];
		uint32_t count = rnd();
		uint8_t bearer = rnd() % 32, dir = rnd() % 2;

		fill(msg, n);
		assert_int_equal(sen_nia_mac(&nia[k], count, bearer, dir, msg, 8 * n, ma), 0);
		ossl_nia2(m, keys[k], count, bearer, dir, msg, n, mb);
		if (memcmp(ma, mb, 4) != 0)
			fail_msg("NIA2 differs from OpenSSL CMAC, round %d, key %d, %zu bytes", round,
				 k, n);
		if (!n)
			continue;
		assert_int_equal(sen_nea_apply(&nea[k], count, bearer, dir, msg, a, 8 * n), 0);
		ossl_nea2(keys[k], count, bearer, dir, msg, b, n);
		if (memcmp(a, b, n) != 0)
			fail_msg("NEA2 differs from OpenSSL CTR, round %d, key %d, %zu bytes", round,
				 k, n);
	}
	for (int k = 0; k < 3; k++) {
		sen_nxa_clear(&nia[k]);
		sen_nxa_clear(&nea[k]);
	}
	EVP_MAC_CTX_free(m);
	EVP_MAC_free(alg);
}

/* A context is its key: set up in place, copied by assignment, unusable when zeroed or
 * cleared. */
static void test_in_place_context(void **state)
{
	uint8_t key[16], msg[64], a[64], b[64], ma[4], mb[4];
	struct sen_nxa zero = {0};

	fill(key, 16);
	fill(msg, sizeof(msg));
	for (int alg = 0; alg <= 3; alg++) {
		struct sen_nxa e, i, e2, i2;

		assert_int_equal(sen_nea_init(&e, alg, key), 0);
		assert_int_equal(sen_nia_init(&i, alg, key), 0);
		e2 = e;
		i2 = i;
		assert_int_equal(sen_nea_apply(&e2, 5, 3, 1, msg, a, 8 * sizeof(msg) - 3), 0);
		assert_int_equal(sen_nea(alg, key, 5, 3, 1, msg, b, 8 * sizeof(msg) - 3), 0);
		assert_memory_equal(a, b, sizeof(msg));
		assert_int_equal(sen_nia_mac(&i2, 5, 3, 1, msg, 8 * sizeof(msg) - 3, ma), 0);
		assert_int_equal(sen_nia(alg, key, 5, 3, 1, msg, 8 * sizeof(msg) - 3, mb), 0);
		assert_memory_equal(ma, mb, 4);
		sen_nxa_clear(&e);
		sen_nxa_clear(&i);
		assert_int_equal(sen_nea_apply(&e, 0, 0, 0, msg, a, 8), -SEN_EINVAL);
		assert_int_equal(sen_nia_mac(&i, 0, 0, 0, msg, 8, ma), -SEN_EINVAL);
	}
	assert_int_equal(sen_nea_apply(&zero, 0, 0, 0, msg, a, 8), -SEN_EINVAL);
	assert_int_equal(sen_nia_mac(&zero, 0, 0, 0, msg, 8, ma), -SEN_EINVAL);
	assert_int_equal(sen_nea_init(&zero, 4, key), -SEN_EINVAL);
	assert_int_equal(sen_nia_init(&zero, SEN_NXA_2, NULL), -SEN_EINVAL);
	assert_int_equal(sen_nia_mac(&zero, 0, 0, 0, msg, 8, ma), -SEN_EINVAL);
	assert_int_equal(sen_nea_init(NULL, 1, key), -SEN_EINVAL);
	sen_nxa_clear(NULL);
}

/* Contexts shared by threads: each thread has its own OpenSSL state (freed at its exit). */
struct thread_arg {
	const struct sen_nxa *nia, *nea; /* two of each */
	const uint8_t *msg;
	uint8_t want_mac[2][64][4];
	uint8_t want_ct[2][64][64];
	int bad;
};

static void *thread_run(void *p)
{
	struct thread_arg *t = p;
	uint8_t mac[4], ct[64];

	for (int rep = 0; rep < 20; rep++)
		for (int i = 0; i < 64; i++)
			for (int k = 0; k < 2; k++) {
				struct sen_nxa ia = t->nia[k], ea = t->nea[k];

				if (sen_nia_mac(&ia, (uint32_t)i, 1, 1, t->msg, 8 * 50, mac) != 0 ||
				    memcmp(mac, t->want_mac[k][i], 4) != 0 ||
				    sen_nea_apply(&ea, (uint32_t)i, 1, 1, t->msg, ct, 8 * 64) != 0 ||
				    memcmp(ct, t->want_ct[k][i], 64) != 0)
					t->bad++;
			}
	return NULL;
}

static void test_threads(void **state)
{
	static struct thread_arg arg[3];
	struct sen_nxa nia[2], nea[2];
	uint8_t keys[2][16], msg[64];
	pthread_t th[3];

	fill(msg, sizeof(msg));
	for (int k = 0; k < 2; k++) {
		fill(keys[k], 16);
		assert_int_equal(sen_nia_init(&nia[k], SEN_NXA_2, keys[k]), 0);
		assert_int_equal(sen_nea_init(&nea[k], SEN_NXA_2, keys[k]), 0);
	}
	for (int a = 0; a < 3; a++) {
		arg[a].nia = nia;
		arg[a].nea = nea;
		arg[a].msg = msg;
		arg[a].bad = 0;
		for (int k = 0; k < 2; k++)
			for (int i = 0; i < 64; i++) {
				assert_int_equal(sen_nia(SEN_NXA_2, keys[k], (uint32_t)i, 1, 1, msg,
							 8 * 50, arg[a].want_mac[k][i]),
						 0);
				assert_int_equal(sen_nea(SEN_NXA_2, keys[k], (uint32_t)i, 1, 1, msg,
							 arg[a].want_ct[k][i], 8 * 64),
						 0);
			}
	}
	for (int a = 0; a < 3; a++)
		assert_int_equal(pthread_create(&th[a], NULL, thread_run, &arg[a]), 0);
	for (int a = 0; a < 3; a++) {
		assert_int_equal(pthread_join(th[a], NULL), 0);
		assert_int_equal(arg[a].bad, 0);
	}
}

/* The portable GF(2^64) and EIA3 paths agree with the PCLMULQDQ ones at every length. */
static void test_portable_paths(void **state)
{
	uint8_t key[16], msg[300];
	int have = sen_snow3g_clmul(1) && sen_zuc_clmul(1);

	if (!have) {
		print_message("# no PCLMULQDQ here: only the portable path runs\n");
		skip();
	}
	fill(key, 16);
	fill(msg, sizeof(msg));
	for (uint32_t len = 0; len <= 8 * sizeof(msg); len += 1 + len / 64) {
		uint32_t count = rnd(), fresh = rnd();
		uint8_t bearer = rnd() % 32, dir = rnd() % 2;

		sen_snow3g_clmul(1);
		sen_zuc_clmul(1);
		uint32_t s_fast = sen_snow3g_f9(key, count, fresh, dir, msg, len);
		uint32_t z_fast = sen_zuc_eia3(key, count, bearer, dir, msg, len);
		sen_snow3g_clmul(0);
		sen_zuc_clmul(0);
		uint32_t s_port = sen_snow3g_f9(key, count, fresh, dir, msg, len);
		uint32_t z_port = sen_zuc_eia3(key, count, bearer, dir, msg, len);
		sen_snow3g_clmul(1);
		sen_zuc_clmul(1);
		if (s_fast != s_port || z_fast != z_port)
			fail_msg("length %u: UIA2 %08x/%08x, EIA3 %08x/%08x (clmul/portable)", len,
				 s_fast, s_port, z_fast, z_port);
	}
}

/* Keystream words in pieces of any size continue the same stream. */
static void test_keystream_pieces(void **state)
{
	uint8_t key[16], ivb[16];
	uint32_t k[4], iv[4], whole[100], part[100];
	const size_t cuts[] = {1, 15, 16, 17, 3, 32, 7, 9};

	fill(key, 16);
	fill(ivb, 16);
	for (int i = 0; i < 4; i++) {
		k[i] = rnd();
		iv[i] = rnd();
	}
	struct sen_snow3g s1, s2;
	sen_snow3g_init(&s1, k, iv);
	sen_snow3g_init(&s2, k, iv);
	sen_snow3g_keystream(&s1, whole, 100);
	for (size_t off = 0, c = 0; off < 100; c++) {
		size_t n = cuts[c % 8] < 100 - off ? cuts[c % 8] : 100 - off;
		sen_snow3g_keystream(&s2, part + off, n);
		off += n;
	}
	assert_memory_equal(whole, part, sizeof(whole));

	struct sen_zuc z1, z2;
	sen_zuc_init(&z1, key, ivb);
	sen_zuc_init(&z2, key, ivb);
	sen_zuc_keystream(&z1, whole, 100);
	for (size_t off = 0, c = 0; off < 100; c++) {
		size_t n = cuts[c % 8] < 100 - off ? cuts[c % 8] : 100 - off;
		sen_zuc_keystream(&z2, part + off, n);
		off += n;
	}
	assert_memory_equal(whole, part, sizeof(whole));
}

/* The raw ZUC keystream: the three sets of ZUC Document 3 (implementor's test data), 3.x. */
static void test_zuc_keystream(void **state)
{
	static const struct {
		const char *key, *iv;
		uint32_t z1, z2;
	} sets[] = {
	    {"00000000000000000000000000000000", "00000000000000000000000000000000", 0x27bede74,
	     0x018082da},
	    {"ffffffffffffffffffffffffffffffff", "ffffffffffffffffffffffffffffffff", 0x0657cfa0,
	     0x7096398b},
	    {"3d4c4be96a82fdaeb58f641db17b455b", "84319aa8de6915ca1f6bda6bfbd8c766", 0x14f1c272,
	     0x3279c419},
	};

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		uint8_t key[16], iv[16];
		uint32_t z[2];
		struct sen_zuc st;

		assert_int_equal(sen_hex_decode(sets[i].key, key, 16), 16);
		assert_int_equal(sen_hex_decode(sets[i].iv, iv, 16), 16);
		sen_zuc_init(&st, key, iv);
		sen_zuc_keystream(&st, z, 2);
		assert_int_equal(z[0], sets[i].z1);
		assert_int_equal(z[1], sets[i].z2);
	}
}

/*
 * 128-EIA3 at the largest LENGTH nxa.h allows (2^32 - 1 bits): LENGTH + 31 must not wrap in
 * 32 bits (it did, and the MAC then read keystream words from outside its window). Over an
 * all-zero message T is 0, so the MAC is z_LENGTH xor z_{32(L-1)}, L = ceil(LENGTH/32) + 2
 * (Document 1), which is computed here from the raw keystream.
 */
static void test_eia3_max_length(void **state)
{
	const uint32_t len = UINT32_MAX;
	const size_t bytes = ((size_t)len + 7) / 8, words = ((size_t)len + 31) / 32 + 2;
	const uint8_t key[16] = {0x47, 0x05, 0x41, 0x25, 0x56, 0x1e, 0xb2, 0xdd,
				 0xa9, 0x40, 0x59, 0xda, 0x05, 0x09, 0x78, 0x50};
	const uint32_t count = 0x561eb2dd;
	const uint8_t bearer = 0x14, dir = 1;
	uint8_t iv[16] = {0};
	static uint32_t z[4096];
	uint32_t w_len = 0, w_next = 0, w_last = 0;
	struct sen_zuc st;

	/* a zero message that costs no memory: untouched anonymous pages read as zeros */
	uint8_t *msg = mmap(NULL, bytes, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			    -1, 0);
	assert_true(msg != MAP_FAILED);

	/* Document 1, 128-EIA3 initialisation */
	iv[0] = (uint8_t)(count >> 24);
	iv[1] = (uint8_t)(count >> 16);
	iv[2] = (uint8_t)(count >> 8);
	iv[3] = (uint8_t)count;
	iv[4] = (uint8_t)(bearer << 3);
	memcpy(iv + 8, iv, 8);
	iv[8] ^= (uint8_t)(dir << 7);
	iv[14] ^= (uint8_t)(dir << 7);
	sen_zuc_init(&st, key, iv);
	for (size_t base = 0; base < words; base += 4096) {
		size_t n = words - base < 4096 ? words - base : 4096;

		sen_zuc_keystream(&st, z, n);
		for (size_t i = 0; i < n; i++) {
			if (base + i == len / 32)
				w_len = z[i];
			if (base + i == len / 32 + 1)
				w_next = z[i];
			if (base + i == words - 1)
				w_last = z[i];
		}
	}
	uint32_t rem = len % 32;
	uint32_t want = (uint32_t)(((uint64_t)w_len << 32 | w_next) << rem >> 32) ^ w_last;

	assert_int_equal(sen_zuc_eia3(key, count, bearer, dir, msg, len), want);
	uint8_t mac[4];
	assert_int_equal(sen_nia(SEN_NXA_3, key, count, bearer, dir, msg, len, mac), 0);
	assert_int_equal((uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 | mac[2] << 8 | mac[3],
			 want);
	munmap(msg, bytes);
}

/* Bad arguments are errors, never crashes. */
static void test_bad_args(void **state)
{
	uint8_t key[16] = {1}, buf[16] = {0}, mac[4];
	struct sen_nxa *nea = sen_nea_new(SEN_NXA_2, key), *nia = sen_nia_new(SEN_NXA_2, key);

	assert_non_null(nea);
	assert_non_null(nia);
	assert_null(sen_nea_new(4, key));
	assert_null(sen_nia_new(4, key));
	assert_null(sen_nea_new(-1, key));
	assert_null(sen_nia_new(SEN_NXA_1, NULL));
	assert_int_equal(sen_nea(4, key, 0, 0, 0, buf, buf, 8), -SEN_EINVAL);
	assert_int_equal(sen_nia(4, key, 0, 0, 0, buf, 8, mac), -SEN_EINVAL);
	assert_int_equal(sen_nea(1, NULL, 0, 0, 0, buf, buf, 8), -SEN_EINVAL);
	for (int alg = 0; alg <= 3; alg++) {
		assert_int_equal(sen_nea(alg, key, 0, 32, 0, buf, buf, 8), -SEN_EINVAL);
		assert_int_equal(sen_nea(alg, key, 0, 0, 2, buf, buf, 8), -SEN_EINVAL);
		assert_int_equal(sen_nea(alg, key, 0, 0, 0, NULL, buf, 8), -SEN_EINVAL);
		assert_int_equal(sen_nea(alg, key, 0, 0, 0, buf, NULL, 8), -SEN_EINVAL);
		assert_int_equal(sen_nia(alg, key, 0, 32, 0, buf, 8, mac), -SEN_EINVAL);
		assert_int_equal(sen_nia(alg, key, 0, 0, 2, buf, 8, mac), -SEN_EINVAL);
		assert_int_equal(sen_nia(alg, key, 0, 0, 0, NULL, 8, mac), -SEN_EINVAL);
		assert_int_equal(sen_nia(alg, key, 0, 0, 0, buf, 8, NULL), -SEN_EINVAL);
		/* zero length with NULL buffers is fine */
		assert_int_equal(sen_nea(alg, key, 0, 0, 0, NULL, NULL, 0), 0);
		assert_int_equal(sen_nia(alg, key, 0, 0, 0, NULL, 0, mac), 0);
	}
	assert_int_equal(sen_nea_apply(NULL, 0, 0, 0, buf, buf, 8), -SEN_EINVAL);
	assert_int_equal(sen_nia_mac(NULL, 0, 0, 0, buf, 8, mac), -SEN_EINVAL);
	assert_int_equal(sen_nea_apply(nia, 0, 0, 0, buf, buf, 8), -SEN_EINVAL); /* wrong kind */
	assert_int_equal(sen_nia_mac(nea, 0, 0, 0, buf, 8, mac), -SEN_EINVAL);
	assert_int_equal(sen_nea_apply(nea, 0, 31, 1, buf, buf, 8), 0); /* limits themselves */
	assert_int_equal(sen_nia_mac(nia, 0, 31, 1, buf, 8, mac), 0);
	if (sizeof(size_t) > 4) {
		size_t huge = (size_t)UINT32_MAX + 1;
		assert_int_equal(sen_nea_apply(nea, 0, 0, 0, buf, buf, huge), -SEN_EMSGSIZE);
		assert_int_equal(sen_nia_mac(nia, 0, 0, 0, buf, huge, mac), -SEN_EMSGSIZE);
	}
	sen_nxa_free(nea);
	sen_nxa_free(nia);
	sen_nxa_free(NULL);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_vector_file),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_inputs_matter),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_context_reuse),
		cmocka_unit_test(test_mac_changes),
		cmocka_unit_test(test_nia2_vs_openssl),
		cmocka_unit_test(test_key_cache),
		cmocka_unit_test(test_in_place_context),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_portable_paths),
		cmocka_unit_test(test_keystream_pieces),
		cmocka_unit_test(test_zuc_keystream),
		cmocka_unit_test(test_eia3_max_length),
		cmocka_unit_test(test_bad_args),
	};
	const size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest tests[N_SETS + sizeof(fixed) / sizeof(fixed[0])];
	size_t n = 0;
	const cJSON *t;

	vectors = sen_test_vectors("nea_nia.json");
	if (!vectors) {
		printf("1..1\nnot ok 1 - nea_nia.json could not be loaded\n");
		return 1;
	}
	/* One case per vector set, named after it; more sets than expected fail the file case. */
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(vectors, "test_sets")) {
		const char *name = sen_test_str(t, "name");

		if (n == N_SETS)
			break;
		tests[n] = (struct CMUnitTest){name ? name : "unnamed set", test_vector_set, NULL,
					       NULL, (void *)t};
		n++;
	}
	memcpy(tests + n, fixed, sizeof(fixed));
	int rc = _cmocka_run_group_tests("nxa", tests, n + nfixed, NULL, NULL);
	cJSON_Delete(vectors);
	return rc;
}
