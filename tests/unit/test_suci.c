/*
 * Unit tests for lib/crypto/suci: TS 33.501 Annex C.4 ECIES test data with every
 * intermediate value, the SUCI strings of tests/vectors/suci.json, tampered and truncated
 * outputs, malformed strings, NAI SUCIs, random round trips and home network key files
 * (tests/data/suci: the spec's private keys as hex, PKCS#8 and SEC1 PEM).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/hex.h"
#include "crypto/suci.h"
#include "vectors.h"

static cJSON *vec;

static int setup(void **state)
{
	vec = sen_test_vectors("suci.json");
	return vec ? 0 : -1;
}

static int teardown(void **state)
{
	cJSON_Delete(vec);
	return 0;
}

static size_t hexv(const cJSON *obj, const char *key, uint8_t *out, size_t cap)
{
	int n = sen_test_hex(obj, key, out, cap);

	assert_true(n >= 0);
	return (size_t)n;
}

static void assert_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len)
{
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
}

static struct sen_hn_key *key_hex(int scheme, const char *hex)
{
	uint8_t priv[32];
	struct sen_hn_key *k = NULL;

	assert_int_equal(sen_hex_decode_exact(hex, priv, 32), 0);
	assert_int_equal(sen_hn_key_from_bytes(scheme, priv, 32, &k), 0);
	assert_non_null(k);
	return k;
}

static const cJSON *hn_keys(void)
{
	const cJSON *k =
	    cJSON_GetObjectItemCaseSensitive(vec, "home_network_keys_used_by_suci_strings");

	assert_non_null(k);
	return k;
}

static struct sen_hn_key *spec_key(int scheme)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(
	    hn_keys(), scheme == SEN_SUCI_PROFILE_A ? "profile_A" : "profile_B");
	const char *priv = sen_test_str(k, "private");

	assert_non_null(priv);
	return key_hex(scheme, priv);
}

static void imsi_suci(struct sen_suci *s, const char *mcc, const char *mnc)
{
	memset(s, 0, sizeof(*s));
	s->supi_type = SEN_SUPI_IMSI;
	strcpy(s->mcc, mcc);
	strcpy(s->mnc, mnc);
	strcpy(s->routing, "0");
}

static void nai_suci(struct sen_suci *s, const char *realm)
{
	memset(s, 0, sizeof(*s));
	s->supi_type = SEN_SUPI_NAI;
	strcpy(s->realm, realm);
	strcpy(s->routing, "0");
}

/* ---- TS 33.501 C.4 ECIES test data -------------------------------------------------- */

static void test_ecies_vectors(void **state)
{
	const cJSON *cases = cJSON_GetObjectItemCaseSensitive(vec, "ecies_test_cases"), *c;
	int count = 0;

	cJSON_ArrayForEach(c, cases)
	{
		const char *profile = sen_test_str(c, "profile");
		int scheme = !strcmp(profile, "A") ? SEN_SUCI_PROFILE_A : SEN_SUCI_PROFILE_B;
		size_t pub_len = scheme == SEN_SUCI_PROFILE_A ? 32 : 33;
		uint8_t hn_priv[32], hn_pub[65], eph_priv[32], eph_pub[65], z[32], info[65];
		uint8_t enc[16], icb[16], mk[32], plain[64], ct[64], tag[8], out[256], b[65];
		uint8_t w_enc[16], w_icb[16], w_mk[32], got_z[32];
		size_t n_hn_pub = hexv(c, "home_network_public_key", hn_pub, sizeof(hn_pub));
		size_t n_eph_pub = hexv(c, "ephemeral_public_key", eph_pub, sizeof(eph_pub));
		size_t n_info = hexv(c, "kdf_shared_info1", info, sizeof(info));
		size_t n_plain = hexv(c, "plaintext_block", plain, sizeof(plain));
		size_t n_ct = hexv(c, "ciphertext", ct, sizeof(ct));
		size_t n_out = hexv(c, "scheme_output", out, sizeof(out));
		struct sen_hn_key *hn, *eph;
		struct sen_suci s;
		char supi[SEN_SUPI_MAX], want[SEN_SUPI_MAX];
		int is_imsi = strstr(sen_test_str(c, "name"), "IMSI") != NULL;

		print_message("# %s\n", sen_test_str(c, "name"));
		assert_int_equal(hexv(c, "home_network_private_key", hn_priv, 32), 32);
		assert_int_equal(hexv(c, "ephemeral_private_key", eph_priv, 32), 32);
		assert_int_equal(hexv(c, "shared_secret", z, 32), 32);
		assert_int_equal(hexv(c, "encryption_key", w_enc, 16), 16);
		assert_int_equal(hexv(c, "icb", w_icb, 16), 16);
		assert_int_equal(hexv(c, "mac_key", w_mk, 32), 32);
		assert_int_equal(hexv(c, "mac_tag", tag, 8), 8);

		/* Key pairs: public keys from the private keys. */
		assert_int_equal(sen_hn_key_from_bytes(scheme, hn_priv, 32, &hn), 0);
		assert_int_equal(sen_hn_key_from_bytes(scheme, eph_priv, 32, &eph), 0);
		assert_int_equal(sen_hn_key_public(hn, b, sizeof(b)), (int)pub_len);
		assert_bytes(b, pub_len, hn_pub, n_hn_pub);
		assert_int_equal(sen_hn_key_public(eph, b, sizeof(b)), (int)pub_len);
		assert_bytes(b, pub_len, eph_pub, n_eph_pub);
		/* SharedInfo1 is the ephemeral public key as transmitted. */
		assert_bytes(info, n_info, eph_pub, n_eph_pub);

		/* ECDH in both directions. */
		assert_int_equal(sen_hn_key_shared_secret(hn, eph_pub, n_eph_pub, got_z), 0);
		assert_memory_equal(got_z, z, 32);
		memset(got_z, 0, 32);
		assert_int_equal(sen_hn_key_shared_secret(eph, hn_pub, n_hn_pub, got_z), 0);
		assert_memory_equal(got_z, z, 32);

		/* X9.63 KDF. */
		assert_int_equal(sen_suci_ecies_kdf(z, info, n_info, enc, icb, mk), 0);
		assert_memory_equal(enc, w_enc, 16);
		assert_memory_equal(icb, w_icb, 16);
		assert_memory_equal(mk, w_mk, 32);

		/* Concealment with the fixed ephemeral key reproduces the scheme output. */
		if (is_imsi) {
			const char *dec = sen_test_str(c, "plaintext_decoded");
			char msin[16];

			assert_int_equal(sscanf(dec, "MSIN %15[0-9]", msin), 1);
			imsi_suci(&s, "001", "01");
			/* The null scheme gives the plaintext block: the BCD MSIN. */
			assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_NULL, NULL, 0, NULL, msin),
					 0);
			assert_bytes(s.output, s.output_len, plain, n_plain);
			assert_int_equal(
			    sen_suci_conceal(&s, scheme, hn_pub, n_hn_pub, eph_priv, msin), 0);
			snprintf(want, sizeof(want), "imsi-00101%s", msin);
		} else {
			char user[64];

			memcpy(user, plain, n_plain);
			user[n_plain] = '\0';
			assert_string_equal(user, sen_test_str(c, "plaintext_decoded"));
			nai_suci(&s, "example.org");
			assert_int_equal(
			    sen_suci_conceal(&s, scheme, hn_pub, n_hn_pub, eph_priv, user), 0);
			snprintf(want, sizeof(want), "nai-%s@example.org", user);
		}
		assert_int_equal(s.scheme, scheme);
		assert_bytes(s.output, s.output_len, out, n_out);
		assert_memory_equal(s.output, eph_pub, pub_len);
		assert_bytes(s.output + pub_len, s.output_len - pub_len - 8, ct, n_ct);
		assert_memory_equal(s.output + s.output_len - 8, tag, 8);

		/* De-concealment. */
		s.hn_key_id = 1;
		memset(s.output, 0, sizeof(s.output));
		memcpy(s.output, out, n_out);
		s.output_len = n_out;
		assert_int_equal(sen_suci_deconceal(&s, hn, supi, sizeof(supi)), 0);
		assert_string_equal(supi, want);

		sen_hn_key_free(hn);
		sen_hn_key_free(eph);
		count++;
	}
	assert_int_equal(count, 4);
}

/* ---- suci_strings ------------------------------------------------------------------- */

static void check_fields(const cJSON *f, const struct sen_suci *s)
{
	char num[8];

	snprintf(num, sizeof(num), "%u", s->supi_type);
	assert_string_equal(num, sen_test_str(f, "supi_type"));
	assert_string_equal(s->mcc, sen_test_str(f, "mcc"));
	assert_string_equal(s->mnc, sen_test_str(f, "mnc"));
	assert_string_equal(s->routing, sen_test_str(f, "routing_indicator"));
	snprintf(num, sizeof(num), "%u", s->scheme);
	assert_string_equal(num, sen_test_str(f, "protection_scheme_id"));
	snprintf(num, sizeof(num), "%u", s->hn_key_id);
	assert_string_equal(num, sen_test_str(f, "home_network_public_key_id"));
	if (s->scheme == SEN_SUCI_NULL) {
		/* The string carries the MSIN digits; the struct carries them in BCD. */
		const char *msin = sen_test_str(f, "scheme_output");
		uint8_t bcd[8];
		size_t n = strlen(msin);

		for (size_t i = 0; i < n; i += 2)
			bcd[i / 2] =
			    (uint8_t)((i + 1 < n ? msin[i + 1] - '0' : 0xF) << 4 | (msin[i] - '0'));
		assert_bytes(s->output, s->output_len, bcd, (n + 1) / 2);
	} else {
		uint8_t out[256];
		size_t n = hexv(f, "scheme_output", out, sizeof(out));

		assert_bytes(s->output, s->output_len, out, n);
	}
}

static void test_suci_strings(void **state)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(vec, "suci_strings"), *c;
	struct sen_hn_key *ka = spec_key(SEN_SUCI_PROFILE_A), *kb = spec_key(SEN_SUCI_PROFILE_B);
	int good = 0, bad = 0;

	cJSON_ArrayForEach(c, list)
	{
		const char *str = sen_test_str(c, "suci"), *want = sen_test_str(c, "expected_supi");
		struct sen_suci s;
		struct sen_hn_key *k;
		char supi[SEN_SUPI_MAX], back[SEN_SUCI_STR_MAX + 1];
		int rc;

		print_message("# %.40s...\n", str);
		assert_int_equal(sen_suci_parse(str, &s), 0);
		check_fields(cJSON_GetObjectItemCaseSensitive(c, "fields_as_parsed"), &s);
		assert_int_equal(sen_suci_format(&s, back, sizeof(back)), (int)strlen(str));
		assert_string_equal(back, str);
		/* Key ids as the vector file's note maps them: 1 = A, 2 and 3 = B. */
		switch (s.hn_key_id) {
		case 0:
			k = NULL;
			break;
		case 1:
			k = ka;
			break;
		case 2:
		case 3:
			k = kb;
			break;
		default:
			fail_msg("unexpected key id %u", s.hn_key_id);
			return;
		}
		rc = sen_suci_deconceal(&s, k, supi, sizeof(supi));
		if (want) {
			assert_int_equal(rc, 0);
			assert_string_equal(supi, want);
			good++;
		} else {
			/* Ephemeral key that is no valid compressed P-256 point. */
			assert_non_null(sen_test_str(c, "expected_error"));
			assert_int_equal(rc, -SEN_EPROTO);
			bad++;
		}
	}
	assert_int_equal(good, 6);
	assert_int_equal(bad, 2);
	sen_hn_key_free(ka);
	sen_hn_key_free(kb);
}

/* The public keys given for key ids 2 (uncompressed) and 3 (compressed) both conceal. */
static void test_hn_public_forms(void **state)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(hn_keys(), "profile_B");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(hn_keys(), "profile_A");
	struct sen_hn_key *kb = spec_key(SEN_SUCI_PROFILE_B), *ka = spec_key(SEN_SUCI_PROFILE_A);
	uint8_t pu[65], pc[33], pa[32], got[65];
	struct sen_suci s;
	char supi[SEN_SUPI_MAX];

	assert_int_equal(hexv(b, "public_uncompressed", pu, sizeof(pu)), 65);
	assert_int_equal(hexv(b, "public_compressed", pc, sizeof(pc)), 33);
	assert_int_equal(hexv(a, "public", pa, sizeof(pa)), 32);
	assert_int_equal(sen_hn_key_public(kb, got, sizeof(got)), 33);
	assert_memory_equal(got, pc, 33);
	assert_int_equal(sen_hn_key_public(ka, got, sizeof(got)), 32);
	assert_memory_equal(got, pa, 32);

	imsi_suci(&s, "208", "93");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, pu, 65, NULL, "0000000001"), 0);
	assert_int_equal(s.output[0] == 0x02 || s.output[0] == 0x03, 1);
	assert_int_equal(sen_suci_deconceal(&s, kb, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "imsi-208930000000001");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, pc, 33, NULL, "0000000002"), 0);
	assert_int_equal(sen_suci_deconceal(&s, kb, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "imsi-208930000000002");
	sen_hn_key_free(kb);
	sen_hn_key_free(ka);
}

/* ---- tampering and truncation --------------------------------------------------------- */

/* A parsed, valid SUCI of the vector file for `scheme`, and its SUPI. */
static void vector_suci(int scheme, struct sen_suci *s, const char **supi)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(vec, "suci_strings"), *c;

	cJSON_ArrayForEach(c, list)
	{
		const char *want = sen_test_str(c, "expected_supi");

		if (!want || sen_suci_parse(sen_test_str(c, "suci"), s) != 0 || s->scheme != scheme)
			continue;
		*supi = want;
		return;
	}
	fail_msg("no vector SUCI for scheme %d", scheme);
}

static void test_tampered(void **state)
{
	for (int scheme = SEN_SUCI_PROFILE_A; scheme <= SEN_SUCI_PROFILE_B; scheme++) {
		struct sen_hn_key *k = spec_key(scheme);
		size_t eph_len = scheme == SEN_SUCI_PROFILE_A ? 32 : 33;
		struct sen_suci s, t;
		const char *want;
		char supi[SEN_SUPI_MAX];

		vector_suci(scheme, &s, &want);
		assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), 0);
		assert_string_equal(supi, want);
		/* Every bit of the ciphertext and of the MAC tag. */
		for (size_t i = eph_len; i < s.output_len; i++) {
			for (int bit = 0; bit < 8; bit++) {
				t = s;
				t.output[i] ^= (uint8_t)(1u << bit);
				strcpy(supi, "untouched");
				assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)),
						 -SEN_EAUTH);
				assert_string_equal(supi, "untouched");
			}
		}
		/* A changed ephemeral key: another point (tag fails) or no point at all. */
		for (size_t i = 1; i < eph_len; i++) {
			int rc;

			t = s;
			t.output[i] ^= 0x01;
			rc = sen_suci_deconceal(&t, k, supi, sizeof(supi));
			assert_true(rc == -SEN_EAUTH || rc == -SEN_EPROTO);
		}
		/* The wrong home network key of the right scheme. */
		uint8_t other[32];
		struct sen_hn_key *k2;

		memset(other, 0x42, sizeof(other));
		assert_int_equal(sen_hn_key_from_bytes(scheme, other, 32, &k2), 0);
		assert_int_equal(sen_suci_deconceal(&s, k2, supi, sizeof(supi)), -SEN_EAUTH);
		sen_hn_key_free(k2);
		sen_hn_key_free(k);
	}
}

static void test_truncated(void **state)
{
	for (int scheme = SEN_SUCI_PROFILE_A; scheme <= SEN_SUCI_PROFILE_B; scheme++) {
		struct sen_hn_key *k = spec_key(scheme);
		size_t eph_len = scheme == SEN_SUCI_PROFILE_A ? 32 : 33;
		struct sen_suci s, t;
		const char *want;
		char supi[SEN_SUPI_MAX], str[SEN_SUCI_STR_MAX + 1];

		vector_suci(scheme, &s, &want);
		/* Up to the key plus the tag, with no ciphertext: malformed. */
		for (size_t len = 1; len <= eph_len + 8; len++) {
			t = s;
			t.output_len = len;
			assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)),
					 -SEN_EPROTO);
		}
		/* Shorter by some octets, still well-formed: the tag no longer verifies. */
		for (size_t len = eph_len + 9; len < s.output_len; len++) {
			t = s;
			t.output_len = len;
			assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)), -SEN_EAUTH);
		}
		/* Empty output is no SUCI at all. */
		t = s;
		t.output_len = 0;
		assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)), -SEN_EPROTO);
		/* String form: an odd hex digit count does not parse; even short ones do. */
		assert_true(sen_suci_format(&s, str, sizeof(str)) > 0);
		str[strlen(str) - 1] = '\0';
		assert_int_equal(sen_suci_parse(str, &t), -SEN_EINVAL);
		str[strlen(str) - 1] = '\0';
		assert_int_equal(sen_suci_parse(str, &t), 0);
		assert_int_equal(t.output_len, s.output_len - 1);
		assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)), -SEN_EAUTH);
		str[strlen(str) - 2 * (s.output_len - 1 - eph_len - 8)] = '\0';
		assert_int_equal(sen_suci_parse(str, &t), 0);
		assert_int_equal(t.output_len, eph_len + 8);
		assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)), -SEN_EPROTO);
		sen_hn_key_free(k);
	}
}

/* ---- points that are not points ------------------------------------------------------- */

static void test_bad_points(void **state)
{
	struct sen_hn_key *ka = spec_key(SEN_SUCI_PROFILE_A), *kb = spec_key(SEN_SUCI_PROFILE_B);
	struct sen_suci s;
	const char *want;
	char supi[SEN_SUPI_MAX];
	uint8_t z[32];

	/* Profile B: x >= p, and every prefix that is not 02 / 03. */
	vector_suci(SEN_SUCI_PROFILE_B, &s, &want);
	memset(s.output + 1, 0xff, 32);
	assert_int_equal(sen_suci_deconceal(&s, kb, supi, sizeof(supi)), -SEN_EPROTO);
	assert_int_equal(sen_hn_key_shared_secret(kb, s.output, 33, z), -SEN_EPROTO);
	for (int prefix = 0; prefix < 256; prefix++) {
		if (prefix == 2 || prefix == 3)
			continue;
		vector_suci(SEN_SUCI_PROFILE_B, &s, &want);
		s.output[0] = (uint8_t)prefix;
		assert_int_equal(sen_suci_deconceal(&s, kb, supi, sizeof(supi)), -SEN_EPROTO);
	}
	/* Profile A: the all-zero (low-order) point gives an all-zero secret. */
	vector_suci(SEN_SUCI_PROFILE_A, &s, &want);
	memset(s.output, 0, 32);
	assert_int_equal(sen_suci_deconceal(&s, ka, supi, sizeof(supi)), -SEN_EPROTO);
	assert_int_equal(sen_hn_key_shared_secret(ka, s.output, 32, z), -SEN_EPROTO);
	/* Wrong lengths for the shared secret. */
	assert_int_equal(sen_hn_key_shared_secret(ka, s.output, 31, z), -SEN_EPROTO);
	assert_int_equal(sen_hn_key_shared_secret(kb, s.output, 32, z), -SEN_EPROTO);
	sen_hn_key_free(ka);
	sen_hn_key_free(kb);
}

/*
 * ECIES built here from the library's ECDH and KDF steps and OpenSSL's AES and HMAC, to
 * seal plaintexts sen_suci_conceal will not produce (bad BCD, bad usernames).
 */
static void seal_raw(int scheme, const uint8_t *plain, size_t len, struct sen_suci *s)
{
	struct sen_hn_key *hn = spec_key(scheme), *eph;
	uint8_t priv[32], hn_pub[33], z[32], enc[16], icb[16], mk[32], mac[32];
	size_t pub_len = scheme == SEN_SUCI_PROFILE_A ? 32 : 33, maclen = 0;
	int hn_len = sen_hn_key_public(hn, hn_pub, sizeof(hn_pub)), n = 0;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	memset(priv, 0x17, sizeof(priv));
	assert_int_equal(sen_hn_key_from_bytes(scheme, priv, 32, &eph), 0);
	assert_int_equal(sen_hn_key_public(eph, s->output, pub_len), (int)pub_len);
	assert_int_equal(sen_hn_key_shared_secret(eph, hn_pub, (size_t)hn_len, z), 0);
	assert_int_equal(sen_suci_ecies_kdf(z, s->output, pub_len, enc, icb, mk), 0);
	assert_non_null(ctx);
	assert_int_equal(EVP_EncryptInit_ex2(ctx, EVP_aes_128_ctr(), enc, icb, NULL), 1);
	assert_int_equal(EVP_EncryptUpdate(ctx, s->output + pub_len, &n, plain, (int)len), 1);
	assert_int_equal((size_t)n, len);
	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, mk, 32, s->output + pub_len,
				  len, mac, sizeof(mac), &maclen));
	memcpy(s->output + pub_len + len, mac, 8);
	s->output_len = pub_len + len + 8;
	s->scheme = (uint8_t)scheme;
	s->hn_key_id = 1;
	EVP_CIPHER_CTX_free(ctx);
	sen_hn_key_free(eph);
	sen_hn_key_free(hn);
}

static void test_bad_plaintext(void **state)
{
	static const struct {
		const char *hex;
		int rc;
	} imsi[] = {
	    {"00012080f6", 0},		   /* the spec's MSIN: the sealing here is right */
	    {"0a", -SEN_EPROTO},	   /* digit A */
	    {"a0", -SEN_EPROTO},	   /* high digit A */
	    {"0f", -SEN_EPROTO},	   /* filler in the low nibble */
	    {"f012", -SEN_EPROTO},	   /* filler before the last octet */
	    {"f1", 0},			   /* one digit and the filler */
	    {"ff", -SEN_EPROTO},	   /* filler only */
	    {"1032547698", 0},		   /* 10 digits: MNC 2 leaves 10 */
	    {"103254769810", -SEN_EPROTO}, /* 12 digits: IMSI longer than 15 */
	    {"10325476f9", 0},		   /* 9 digits */
	    {"10f2547698", -SEN_EPROTO},   /* filler in the middle */
	};
	static const struct {
		const char *user;
		int rc;
	} nai[] = {
	    {"alice", 0},
	    {"a.b-c_d", 0},
	    {"al@ce", -SEN_EPROTO},
	    {".alice", -SEN_EPROTO},
	    {"alice.", -SEN_EPROTO},
	    {"a..b", -SEN_EPROTO},
	    {"a b", -SEN_EPROTO},
	    {"caf\xc3\xa9", -SEN_EPROTO},
	    {"a\x01", -SEN_EPROTO},
	};
	char supi[SEN_SUPI_MAX];

	for (int scheme = SEN_SUCI_PROFILE_A; scheme <= SEN_SUCI_PROFILE_B; scheme++) {
		struct sen_hn_key *k = spec_key(scheme);
		struct sen_suci s;

		for (size_t i = 0; i < sizeof(imsi) / sizeof(imsi[0]); i++) {
			uint8_t p[16];
			int n = sen_hex_decode(imsi[i].hex, p, sizeof(p));

			print_message("# imsi plaintext %s\n", imsi[i].hex);
			assert_true(n > 0);
			imsi_suci(&s, "001", "01");
			seal_raw(scheme, p, (size_t)n, &s);
			assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), imsi[i].rc);
		}
		imsi_suci(&s, "001", "01");
		seal_raw(scheme, (const uint8_t *)"\x00\x01\x20\x80\xf6", 5, &s);
		assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), 0);
		assert_string_equal(supi, "imsi-00101001002086");
		/* A 3-digit MNC leaves room for 9 MSIN digits only. */
		imsi_suci(&s, "001", "001");
		seal_raw(scheme, (const uint8_t *)"\x10\x32\x54\x76\x98", 5, &s);
		assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), -SEN_EPROTO);
		seal_raw(scheme, (const uint8_t *)"\x10\x32\x54\x76\xf8", 5, &s);
		assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), 0);
		assert_string_equal(supi, "imsi-001001012345678");

		for (size_t i = 0; i < sizeof(nai) / sizeof(nai[0]); i++) {
			print_message("# nai plaintext %s\n", nai[i].user);
			nai_suci(&s, "example.org");
			seal_raw(scheme, (const uint8_t *)nai[i].user, strlen(nai[i].user), &s);
			assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), nai[i].rc);
			if (nai[i].rc == 0) {
				char want[64];

				snprintf(want, sizeof(want), "nai-%s@example.org", nai[i].user);
				assert_string_equal(supi, want);
			}
		}
		sen_hn_key_free(k);
	}
}

/* ---- string form ---------------------------------------------------------------------- */

static void test_parse_good(void **state)
{
	struct sen_suci s;
	char back[SEN_SUCI_STR_MAX + 1], supi[SEN_SUPI_MAX];

	assert_int_equal(sen_suci_parse("suci-0-310-410-1234-0-0-123456789", &s), 0);
	assert_string_equal(s.mcc, "310");
	assert_string_equal(s.mnc, "410");
	assert_string_equal(s.routing, "1234");
	assert_int_equal(s.output_len, 5);
	assert_memory_equal(s.output, "\x21\x43\x65\x87\xf9", 5);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "imsi-310410123456789");
	assert_int_equal(sen_suci_format(&s, back, sizeof(back)), 33);
	assert_string_equal(back, "suci-0-310-410-1234-0-0-123456789");

	/* Upper-case hex, scheme 15 and key id 255; format writes lower case. */
	assert_int_equal(sen_suci_parse("suci-0-001-01-7-F-255-ABcd", &s), 0);
	assert_int_equal(s.scheme, 15);
	assert_int_equal(s.hn_key_id, 255);
	assert_int_equal(s.output_len, 2);
	assert_int_equal(sen_suci_format(&s, back, sizeof(back)), 26);
	assert_string_equal(back, "suci-0-001-01-7-f-255-abcd");
	/* Unknown schemes parse but do not de-conceal. */
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), -SEN_ENOTSUP);
	assert_int_equal(sen_suci_parse("suci-0-001-01-7-3-1-00", &s), 0);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), -SEN_ENOTSUP);
	assert_int_equal(sen_suci_parse("suci-0-001-01-7-a-0-00", &s), 0);
	assert_int_equal(s.scheme, 10);

	/* Shortest MSIN, and the longest with a 2-digit MNC. */
	assert_int_equal(sen_suci_parse("suci-0-001-01-0-0-0-1", &s), 0);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "imsi-001011");
	assert_int_equal(sen_suci_parse("suci-0-001-01-0-0-0-1234567890", &s), 0);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "imsi-001011234567890");
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "suci",
	    "suci-",
	    "SUCI-0-208-93-0-0-0-00007487",
	    "supi-0-208-93-0-0-0-00007487",
	    "suci-8-208-93-0-0-0-00007487", /* SUPI type > 7 */
	    "suci-a-208-93-0-0-0-00007487",
	    "suci-00-208-93-0-0-0-00007487",
	    "suci-0-20-93-0-0-0-00007487",   /* MCC 2 digits */
	    "suci-0-2089-93-0-0-0-00007487", /* MCC 4 digits */
	    "suci-0-2a8-93-0-0-0-00007487",
	    "suci-0-208-9-0-0-0-00007487",    /* MNC 1 digit */
	    "suci-0-208-9345-0-0-0-00007487", /* MNC 4 digits */
	    "suci-0-208-9x-0-0-0-00007487",
	    "suci-0-208-93--0-0-00007487", /* no routing indicator */
	    "suci-0-208-93-12345-0-0-00007487",
	    "suci-0-208-93-0a-0-0-00007487",
	    "suci-0-208-93-0-g-0-00007487", /* scheme not hex */
	    "suci-0-208-93-0-10-1-abcd",    /* scheme is one hex digit */
	    "suci-0-208-93-0--0-00007487",
	    "suci-0-208-93-0-1-256-abcd", /* key id > 255 */
	    "suci-0-208-93-0-1-1000-abcd",
	    "suci-0-208-93-0-1-01-abcd", /* leading zero */
	    "suci-0-208-93-0-1--1-abcd",
	    "suci-0-208-93-0-1-x-abcd",
	    "suci-0-208-93-0-0-1-00007487", /* null scheme needs key id 0 */
	    "suci-0-208-93-0-0-0-",	    /* no output */
	    "suci-0-208-93-0-0-0",
	    "suci-0-208-93-0-0-0-0000748a",    /* MSIN digits only */
	    "suci-0-208-93-0-0-0-12345678901", /* MSIN longer than 10 */
	    "suci-0-208-933-0-0-0-1234567890", /* longer than 9 with a 3-digit MNC */
	    "suci-0-208-93-0-0-0-0000 7487",
	    "suci-0-208-93-0-1-1-abc", /* odd hex */
	    "suci-0-208-93-0-1-1-abcg",
	    "suci-0-208-93-0-1-1-ab cd",
	    "suci-0-208-93-0-1-1-ab-cd",
	    "suci-0-208-93-0-1-1-abcd\n",
	    " suci-0-208-93-0-0-0-00007487",
	    "suci-0-208-93-0-0-0-00007487 ",
	    "suci-1--0-0-0-user", /* empty realm */
	    "suci-1-a..b-0-0-0-user",
	    "suci-1-exa_mple.org-0-0-0-user",
	    "suci-1--example.org-0-0-0-user",
	    "suci-1-example-.org-0-0-0-user",
	    "suci-1-example.org.-0-0-0-user",
	    "suci-1-example.org-0-0-0-us@er",
	    "suci-1-example.org-0-0-0-.user",
	    "suci-1-example.org-0-0-0-",
	    "suci-1-example.org-0-0-1-user",
	    "suci-1-example.org-0-1-1-xyz",
	    "suci-1-example.org",
	};
	struct sen_suci s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# %s\n", bad[i]);
		memset(&s, 0x5a, sizeof(s));
		assert_int_equal(sen_suci_parse(bad[i], &s), -SEN_EINVAL);
		/* Nothing is written on failure. */
		assert_int_equal(s.supi_type, 0x5a);
		assert_int_equal(s.output[0], 0x5a);
	}
	assert_int_equal(sen_suci_parse(NULL, &s), -SEN_EINVAL);
	assert_int_equal(sen_suci_parse("suci-0-208-93-0-0-0-00007487", NULL), -SEN_EINVAL);

	/* Too long: an output one octet over the maximum, and a string over the limit. */
	size_t cap = SEN_SUCI_STR_MAX + 64;
	char *big = malloc(cap);

	assert_non_null(big);
	int n = snprintf(big, cap, "suci-0-001-01-0-1-1-");
	memset(big + n, 'a', 2 * SEN_SUCI_OUTPUT_MAX);
	big[n + 2 * SEN_SUCI_OUTPUT_MAX] = '\0';
	assert_int_equal(sen_suci_parse(big, &s), 0);
	assert_int_equal(s.output_len, SEN_SUCI_OUTPUT_MAX);
	memcpy(big + n + 2 * SEN_SUCI_OUTPUT_MAX, "aa", 3);
	assert_int_equal(sen_suci_parse(big, &s), -SEN_EINVAL);
	memset(big + n, 'a', cap - (size_t)n - 1);
	big[cap - 1] = '\0';
	assert_int_equal(sen_suci_parse(big, &s), -SEN_EINVAL);
	free(big);
}

/* The longest SUCI: a 253-octet realm, 4-digit routing, key id 255, a maximal output. */
static void test_longest(void **state)
{
	static struct sen_suci s, t;
	static char str[SEN_SUCI_STR_MAX + 1];

	memset(&s, 0, sizeof(s));
	s.supi_type = SEN_SUPI_NAI;
	memset(s.realm, 'r', SEN_SUCI_REALM_MAX);
	for (int i = 63; i < SEN_SUCI_REALM_MAX; i += 64)
		s.realm[i] = '.';
	strcpy(s.routing, "9999");
	s.scheme = 0xe;
	s.hn_key_id = 255;
	memset(s.output, 0xa5, SEN_SUCI_OUTPUT_MAX);
	s.output_len = SEN_SUCI_OUTPUT_MAX;
	assert_int_equal(sen_suci_format(&s, str, sizeof(str)), SEN_SUCI_STR_MAX);
	assert_int_equal(sen_suci_format(&s, str, sizeof(str) - 1), -SEN_EMSGSIZE);
	assert_int_equal(sen_suci_format(&s, str, sizeof(str)), SEN_SUCI_STR_MAX);
	assert_int_equal(sen_suci_parse(str, &t), 0);
	assert_memory_equal(&t, &s, sizeof(s));
}

static void test_nai(void **state)
{
	struct sen_suci s, t;
	char back[SEN_SUCI_STR_MAX + 1], supi[SEN_SUPI_MAX];
	struct sen_hn_key *ka = spec_key(SEN_SUCI_PROFILE_A);
	uint8_t pa[32];

	/* Null scheme: realm and username may both hold '-'. */
	const char *str = "suci-1-my-realm.example.org-12-0-0-user-1.x";
	assert_int_equal(sen_suci_parse(str, &s), 0);
	assert_int_equal(s.supi_type, SEN_SUPI_NAI);
	assert_string_equal(s.realm, "my-realm.example.org");
	assert_string_equal(s.mcc, "");
	assert_string_equal(s.routing, "12");
	assert_int_equal(s.scheme, 0);
	assert_int_equal(s.output_len, 8);
	assert_memory_equal(s.output, "user-1.x", 8);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "nai-user-1.x@my-realm.example.org");
	assert_int_equal(sen_suci_format(&s, back, sizeof(back)), (int)strlen(str));
	assert_string_equal(back, str);

	/* Profile A with a realm holding '-' and a digit after it. */
	assert_int_equal(sen_hn_key_public(ka, pa, sizeof(pa)), 32);
	nai_suci(&s, "my-op-1.example-2.org");
	strcpy(s.routing, "7");
	s.hn_key_id = 9;
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, "bob"), 0);
	assert_true(sen_suci_format(&s, back, sizeof(back)) > 0);
	assert_true(strncmp(back, "suci-1-my-op-1.example-2.org-7-1-9-", 35) == 0);
	assert_int_equal(sen_suci_parse(back, &t), 0);
	assert_string_equal(t.realm, "my-op-1.example-2.org");
	assert_string_equal(t.routing, "7");
	assert_int_equal(t.scheme, 1);
	assert_int_equal(t.hn_key_id, 9);
	assert_bytes(t.output, t.output_len, s.output, s.output_len);
	assert_int_equal(sen_suci_deconceal(&t, ka, supi, sizeof(supi)), 0);
	assert_string_equal(supi, "nai-bob@my-op-1.example-2.org");
	/* The form is ambiguous for some realms; the first split that parses is taken. */
	assert_int_equal(sen_suci_parse("suci-1-a.b-0-0-0-7-1-9-ab", &t), 0);
	assert_string_equal(t.realm, "a.b");
	assert_int_equal(t.scheme, 0);
	assert_int_equal(t.output_len, 8);
	assert_memory_equal(t.output, "7-1-9-ab", 8);

	/* A whole NAI is at most 253 octets. */
	char realm[SEN_SUCI_REALM_MAX + 1], user[16];
	memset(realm, 'r', sizeof(realm));
	for (int i = 63; i < SEN_SUCI_REALM_MAX; i += 64)
		realm[i] = '.';
	realm[SEN_SUCI_REALM_MAX - 4] = '\0'; /* 249 octets: room for "abc@" */
	nai_suci(&s, realm);
	strcpy(user, "abc");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_NULL, NULL, 0, NULL, user), 0);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), 0);
	assert_int_equal(strlen(supi), 4 + 253);
	assert_int_equal(sen_suci_format(&s, back, sizeof(back)), (int)(7 + 249 + 7 + 3));
	assert_int_equal(sen_suci_parse(back, &t), 0);
	strcpy(user, "abcd");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_NULL, NULL, 0, NULL, user), 0);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), -SEN_EPROTO);
	assert_int_equal(sen_suci_format(&s, back, sizeof(back)), -SEN_EINVAL);
	strcpy(back, "suci-1-");
	strcat(back, realm);
	strcat(back, "-0-0-0-abcd");
	assert_int_equal(sen_suci_parse(back, &t), -SEN_EINVAL);
	back[strlen(back) - 1] = '\0';
	assert_int_equal(sen_suci_parse(back, &t), 0);
	/* A label over 63 octets. */
	realm[63] = 'r';
	nai_suci(&s, realm);
	s.output_len = 1;
	s.output[0] = 'a';
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), -SEN_EPROTO);

	/* GLI / GCI (types 2, 3) parse but are not de-concealed. */
	assert_int_equal(sen_suci_parse("suci-2-operator.com-0-0-0-line1", &s), 0);
	assert_int_equal(s.supi_type, 2);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), -SEN_ENOTSUP);
	/* Concealment only knows IMSI and NAI. */
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_NULL, NULL, 0, NULL, "x"), -SEN_ENOTSUP);
	sen_hn_key_free(ka);
}

static void test_format(void **state)
{
	struct sen_suci s, t;
	char out[512];
	const char *str = "suci-0-208-93-0-0-0-00007487";
	int n;

	assert_int_equal(sen_suci_parse(str, &s), 0);
	n = (int)strlen(str);
	/* Every capacity short of length + NUL is refused. */
	for (int cap = 1; cap <= n; cap++)
		assert_int_equal(sen_suci_format(&s, out, (size_t)cap), -SEN_EMSGSIZE);
	assert_int_equal(sen_suci_format(&s, out, (size_t)n + 1), n);
	assert_string_equal(out, str);
	assert_int_equal(sen_suci_format(&s, NULL, 10), -SEN_EINVAL);

	/* Fields parse would refuse are not formatted. */
	t = s;
	strcpy(t.mcc, "20");
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	memcpy(t.mnc, "9339", 4); /* unterminated */
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	strcpy(t.routing, "");
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	t.scheme = 16;
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	t.hn_key_id = 1;
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	t.output[0] = 0x0a;
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	t.output_len = SEN_SUCI_OUTPUT_MAX + 1;
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
	t = s;
	t.supi_type = 8;
	assert_int_equal(sen_suci_format(&t, out, sizeof(out)), -SEN_EINVAL);
}

/* ---- de-concealment and concealment arguments ---------------------------------------- */

static void test_deconceal_args(void **state)
{
	struct sen_hn_key *ka = spec_key(SEN_SUCI_PROFILE_A), *kb = spec_key(SEN_SUCI_PROFILE_B);
	struct sen_suci s, t;
	const char *want;
	char supi[SEN_SUPI_MAX];

	vector_suci(SEN_SUCI_PROFILE_A, &s, &want);
	assert_int_equal(sen_suci_deconceal(&s, NULL, supi, sizeof(supi)), -SEN_EINVAL);
	assert_int_equal(sen_suci_deconceal(&s, kb, supi, sizeof(supi)), -SEN_EINVAL);
	assert_int_equal(sen_suci_deconceal(NULL, ka, supi, sizeof(supi)), -SEN_EINVAL);
	assert_int_equal(sen_suci_deconceal(&s, ka, NULL, 10), -SEN_EINVAL);
	/* The SUPI buffer: exactly enough, one short. */
	size_t len = strlen(want);
	assert_int_equal(sen_suci_deconceal(&s, ka, supi, len), -SEN_EMSGSIZE);
	assert_int_equal(sen_suci_deconceal(&s, ka, supi, len + 1), 0);
	assert_string_equal(supi, want);
	/* Malformed fields in a struct that did not come from sen_suci_parse. */
	t = s;
	strcpy(t.mcc, "2x8");
	assert_int_equal(sen_suci_deconceal(&t, ka, supi, sizeof(supi)), -SEN_EPROTO);
	t = s;
	strcpy(t.mnc, "9");
	assert_int_equal(sen_suci_deconceal(&t, ka, supi, sizeof(supi)), -SEN_EPROTO);
	t = s;
	strcpy(t.routing, "12a");
	assert_int_equal(sen_suci_deconceal(&t, ka, supi, sizeof(supi)), -SEN_EPROTO);
	t = s;
	t.output_len = SEN_SUCI_OUTPUT_MAX + 1;
	assert_int_equal(sen_suci_deconceal(&t, ka, supi, sizeof(supi)), -SEN_EPROTO);
	t = s;
	t.supi_type = 9;
	assert_int_equal(sen_suci_deconceal(&t, ka, supi, sizeof(supi)), -SEN_EPROTO);

	/* Null scheme structs with bad BCD or too many digits. */
	static const struct {
		const char *hex;
		int rc;
	} null_out[] = {
	    {"21436587f9", 0},	 {"2143658709", 0},   {"214365870911", -SEN_EPROTO},
	    {"2a", -SEN_EPROTO}, {"2f", -SEN_EPROTO}, {"2f43", -SEN_EPROTO},
	    {"f2", 0},		 {"ff", -SEN_EPROTO},
	};
	for (size_t i = 0; i < sizeof(null_out) / sizeof(null_out[0]); i++) {
		imsi_suci(&t, "001", "01");
		t.output_len = (size_t)sen_hex_decode(null_out[i].hex, t.output, sizeof(t.output));
		assert_int_equal(sen_suci_deconceal(&t, NULL, supi, sizeof(supi)), null_out[i].rc);
	}
	imsi_suci(&t, "001", "01");
	t.output_len = 0;
	assert_int_equal(sen_suci_deconceal(&t, NULL, supi, sizeof(supi)), -SEN_EPROTO);
	sen_hn_key_free(ka);
	sen_hn_key_free(kb);
}

static void test_conceal_args(void **state)
{
	struct sen_hn_key *ka = spec_key(SEN_SUCI_PROFILE_A), *kb = spec_key(SEN_SUCI_PROFILE_B);
	uint8_t pa[32], pb[33], bad[65], zero[32] = {0};
	struct sen_suci s;

	assert_int_equal(sen_hn_key_public(ka, pa, sizeof(pa)), 32);
	assert_int_equal(sen_hn_key_public(kb, pb, sizeof(pb)), 33);
	imsi_suci(&s, "001", "01");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, ""), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, "12a4"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, "12345678901"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, NULL), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(NULL, SEN_SUCI_PROFILE_A, pa, 32, NULL, "1"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, NULL, 32, NULL, "1"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 31, NULL, "1"), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, zero, 32, NULL, "1"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, pb, 32, NULL, "1"), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, pa, 32, NULL, "1"), -SEN_EINVAL);
	memcpy(bad, pb, 33);
	memset(bad + 1, 0xff, 64);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, bad, 33, NULL, "1"), -SEN_EINVAL);
	bad[0] = 0x04;
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, bad, 65, NULL, "1"), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, pb, 33, zero, "1"), -SEN_EINVAL);
	memset(bad, 0xff, 32); /* above the group order */
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_B, pb, 33, bad, "1"), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, 3, pa, 32, NULL, "1"), -SEN_ENOTSUP);
	assert_int_equal(sen_suci_conceal(&s, -1, pa, 32, NULL, "1"), -SEN_ENOTSUP);
	/* A 3-digit MNC leaves 9 MSIN digits. */
	imsi_suci(&s, "001", "001");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_NULL, NULL, 0, NULL, "1234567890"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_NULL, NULL, 0, NULL, "123456789"), 0);
	assert_int_equal(s.output_len, 5);
	/* NAI usernames. */
	nai_suci(&s, "example.org");
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, "a@b"),
			 -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, ""), -SEN_EINVAL);
	assert_int_equal(sen_suci_conceal(&s, SEN_SUCI_PROFILE_A, pa, 32, NULL, "a"), 0);
	assert_int_equal(s.output_len, 32 + 1 + 8);
	sen_hn_key_free(ka);
	sen_hn_key_free(kb);
}

/* ---- random round trips --------------------------------------------------------------- */

static void test_roundtrip_random(void **state)
{
	for (int scheme = SEN_SUCI_NULL; scheme <= SEN_SUCI_PROFILE_B; scheme++) {
		for (int iter = 0; iter < 100; iter++) {
			uint8_t priv[32], pub[33], r[16];
			struct sen_hn_key *k = NULL;
			struct sen_suci s, s2, t;
			char msin[12], want[32], supi[SEN_SUPI_MAX], str[SEN_SUCI_STR_MAX + 1];
			int pub_len = 0;
			const char *mnc = iter % 2 ? "01" : "001";

			assert_int_equal(RAND_bytes(r, sizeof(r)), 1);
			if (scheme != SEN_SUCI_NULL) {
				/* A fresh home network key every 10 rounds, the spec key otherwise.
				 */
				if (iter % 10 == 0) {
					assert_int_equal(RAND_bytes(priv, sizeof(priv)), 1);
					priv[0] &= 0x7f; /* below the P-256 order */
					priv[31] |= 1;
					assert_int_equal(
					    sen_hn_key_from_bytes(scheme, priv, 32, &k), 0);
				} else {
					k = spec_key(scheme);
				}
				pub_len = sen_hn_key_public(k, pub, sizeof(pub));
				assert_true(pub_len == 32 || pub_len == 33);
			}
			size_t n = 1 + r[0] % (iter % 2 ? 10 : 9);
			for (size_t i = 0; i < n; i++)
				msin[i] = (char)('0' + r[1 + i] % 10);
			msin[n] = '\0';
			imsi_suci(&s, "999", mnc);
			snprintf(s.routing, sizeof(s.routing), "%u", r[12] % 10000);
			s.hn_key_id = scheme == SEN_SUCI_NULL ? 0 : (uint8_t)(1 + r[13] % 255);
			s2 = s;
			assert_int_equal(
			    sen_suci_conceal(&s, scheme, pub, (size_t)pub_len, NULL, msin), 0);
			snprintf(want, sizeof(want), "imsi-999%s%s", mnc, msin);
			assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), 0);
			assert_string_equal(supi, want);
			/* Through the string form and back. */
			assert_true(sen_suci_format(&s, str, sizeof(str)) > 0);
			assert_int_equal(sen_suci_parse(str, &t), 0);
			assert_int_equal(t.output_len, s.output_len);
			assert_memory_equal(t.output, s.output, s.output_len);
			assert_string_equal(t.routing, s.routing);
			assert_int_equal(t.hn_key_id, s.hn_key_id);
			assert_int_equal(sen_suci_deconceal(&t, k, supi, sizeof(supi)), 0);
			assert_string_equal(supi, want);
			if (scheme != SEN_SUCI_NULL) {
				/* A fresh ephemeral key each time: never the same output. */
				assert_int_equal(
				    sen_suci_conceal(&s2, scheme, pub, (size_t)pub_len, NULL, msin),
				    0);
				assert_int_equal(s2.output_len, s.output_len);
				assert_true(memcmp(s2.output, s.output, s.output_len) != 0);
				assert_int_equal(sen_suci_deconceal(&s2, k, supi, sizeof(supi)), 0);
				assert_string_equal(supi, want);
			}
			sen_hn_key_free(k);
		}
	}
}

/* ---- keys ----------------------------------------------------------------------------- */

static void test_key_bytes(void **state)
{
	uint8_t priv[33] = {1}, pub[33];
	struct sen_hn_key *k = (struct sen_hn_key *)&k;

	assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_PROFILE_A, priv, 31, &k), -SEN_EINVAL);
	assert_null(k);
	assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_PROFILE_A, priv, 33, &k), -SEN_EINVAL);
	assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_NULL, priv, 32, &k), -SEN_EINVAL);
	assert_int_equal(sen_hn_key_from_bytes(3, priv, 32, &k), -SEN_EINVAL);
	assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_PROFILE_A, NULL, 32, &k), -SEN_EINVAL);
	assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_PROFILE_A, priv, 32, NULL), -SEN_EINVAL);
	/* P-256: 0 and n are not private keys, n - 1 and 1 are. */
	static const char *const p256[][2] = {
	    {"0000000000000000000000000000000000000000000000000000000000000000", "bad"},
	    {"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "bad"},
	    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "bad"},
	    {"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", "ok"},
	    {"0000000000000000000000000000000000000000000000000000000000000001", "ok"},
	};
	for (size_t i = 0; i < sizeof(p256) / sizeof(p256[0]); i++) {
		assert_int_equal(sen_hex_decode_exact(p256[i][0], priv, 32), 0);
		int rc = sen_hn_key_from_bytes(SEN_SUCI_PROFILE_B, priv, 32, &k);
		assert_int_equal(rc, !strcmp(p256[i][1], "ok") ? 0 : -SEN_EINVAL);
		sen_hn_key_free(k);
		/* Any 32 octets are an X25519 key. */
		assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_PROFILE_A, priv, 32, &k), 0);
		sen_hn_key_free(k);
	}
	/* The P-256 key 1 has the generator as its public key. */
	assert_int_equal(sen_hn_key_from_bytes(SEN_SUCI_PROFILE_B, priv, 32, &k), 0);
	assert_int_equal(sen_hn_key_public(k, pub, 32), -SEN_EMSGSIZE);
	assert_int_equal(sen_hn_key_public(k, pub, 33), 33);
	assert_memory_equal(pub,
			    "\x03\x6b\x17\xd1\xf2\xe1\x2c\x42\x47\xf8\xbc\xe6\xe5\x63\xa4\x40"
			    "\xf2\x77\x03\x7d\x81\x2d\xeb\x33\xa0\xf4\xa1\x39\x45\xd8\x98\xc2"
			    "\x96",
			    33);
	assert_int_equal(sen_hn_key_public(NULL, pub, 33), -SEN_EINVAL);
	sen_hn_key_free(k);
	sen_hn_key_free(NULL);
}

static char *data_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("SEN_TESTDATA");

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/suci/%s", dir, name);
	return path;
}

/* Load a key file and check it is the spec's key of that scheme (public key and use). */
static void check_loaded(int scheme, const char *name)
{
	struct sen_hn_key *k = NULL;
	struct sen_suci s;
	const char *want;
	uint8_t pub[33], wpub[33];
	char supi[SEN_SUPI_MAX];
	const cJSON *hk = cJSON_GetObjectItemCaseSensitive(
	    hn_keys(), scheme == SEN_SUCI_PROFILE_A ? "profile_A" : "profile_B");

	print_message("# %s\n", name);
	assert_int_equal(sen_hn_key_load_file(scheme, data_path(name), &k), 0);
	size_t n = hexv(hk, scheme == SEN_SUCI_PROFILE_A ? "public" : "public_compressed", wpub,
			sizeof(wpub));
	assert_int_equal(sen_hn_key_public(k, pub, sizeof(pub)), (int)n);
	assert_memory_equal(pub, wpub, n);
	vector_suci(scheme, &s, &want);
	assert_int_equal(sen_suci_deconceal(&s, k, supi, sizeof(supi)), 0);
	assert_string_equal(supi, want);
	sen_hn_key_free(k);
}

static void test_key_files(void **state)
{
	struct sen_hn_key *k = (struct sen_hn_key *)&k;

	check_loaded(SEN_SUCI_PROFILE_A, "hn-a.hex");
	check_loaded(SEN_SUCI_PROFILE_A, "hn-a.pem");
	check_loaded(SEN_SUCI_PROFILE_B, "hn-b.hex");
	check_loaded(SEN_SUCI_PROFILE_B, "hn-b.pem");
	check_loaded(SEN_SUCI_PROFILE_B, "hn-b-sec1.pem");

	/* A key of another scheme or curve, or an encrypted one, is refused. */
	static const struct {
		int scheme;
		const char *name;
		int rc;
	} bad[] = {
	    {SEN_SUCI_PROFILE_B, "hn-a.pem", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "hn-b.pem", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "hn-b-sec1.pem", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_B, "p384.pem", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "p384.pem", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_B, "k256.pem", -SEN_EINVAL},    /* 32-octet scalar, other curve */
	    {SEN_SUCI_PROFILE_A, "ed25519.pem", -SEN_EINVAL}, /* 32-octet key, not X25519 */
	    {SEN_SUCI_PROFILE_B, "ed25519.pem", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "hn-a-enc.pem", -SEN_EINVAL},
	    {SEN_SUCI_NULL, "hn-a.hex", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "no-such-file", -SEN_EIO},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# %s as scheme %d\n", bad[i].name, bad[i].scheme);
		assert_int_equal(sen_hn_key_load_file(bad[i].scheme, data_path(bad[i].name), &k),
				 bad[i].rc);
		assert_null(k);
	}
	/* A directory cannot be read as a file. */
	assert_int_equal(sen_hn_key_load_file(SEN_SUCI_PROFILE_A, getenv("SEN_TESTDATA"), &k),
			 -SEN_EIO);
	assert_int_equal(sen_hn_key_load_file(SEN_SUCI_PROFILE_A, NULL, &k), -SEN_EINVAL);
	assert_int_equal(sen_hn_key_load_file(SEN_SUCI_PROFILE_A, data_path("hn-a.hex"), NULL),
			 -SEN_EINVAL);
}

/* Hex key files written on the spot: what is and is not 64 hex digits. */
static void test_key_file_hex(void **state)
{
	static const struct {
		int scheme;
		const char *text;
		int rc;
	} cases[] = {
	    {SEN_SUCI_PROFILE_A,
	     "\t\r\n c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d \n\n", 0},
	    {SEN_SUCI_PROFILE_A, "C53C22208B61860B06C62E5406A7B330C2B577AA5558981510D128247D38BD1D",
	     0},
	    {SEN_SUCI_PROFILE_A, "c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1",
	     -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A,
	     "c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d0", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A,
	     "c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d00", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A,
	     "c53c22208b61860b06c62e5406a7b330 c2b577aa5558981510d128247d38bd1d", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "0xc53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd",
	     -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "g53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d",
	     -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "hello\n", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "", -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_B, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	     -SEN_EINVAL},
	    {SEN_SUCI_PROFILE_A, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	     0},
	    {SEN_SUCI_PROFILE_B, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
	     -SEN_EINVAL},
	};
	char path[64] = "/tmp/sen-test-suci-";
	size_t plen = strlen(path);

	memset(path + plen, 'X', 6); /* the mkstemp template */
	path[plen + 6] = '\0';
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sen_hn_key *k = NULL;
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		fputs(cases[i].text, f);
		fclose(f);
		print_message("# case %zu\n", i);
		assert_int_equal(sen_hn_key_load_file(cases[i].scheme, path, &k), cases[i].rc);
		assert_true((k != NULL) == (cases[i].rc == 0));
		sen_hn_key_free(k);
	}
	/* An embedded NUL, and a file too big to be a key. */
	FILE *f = fopen(path, "wb");
	struct sen_hn_key *k = NULL;

	assert_non_null(f);
	fwrite("c53c22208b61860b06c62e5406a7b330\0c2b577aa5558981510d128247d38bd1d", 1, 65, f);
	fclose(f);
	assert_int_equal(sen_hn_key_load_file(SEN_SUCI_PROFILE_A, path, &k), -SEN_EINVAL);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 2000; i++)
		fputs("          ", f);
	fputs("c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d", f);
	fclose(f);
	assert_int_equal(sen_hn_key_load_file(SEN_SUCI_PROFILE_A, path, &k), -SEN_EINVAL);
	assert_null(k);
	unlink(path);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecies_vectors),
		cmocka_unit_test(test_suci_strings),
		cmocka_unit_test(test_hn_public_forms),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_points),
		cmocka_unit_test(test_bad_plaintext),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_nai),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_deconceal_args),
		cmocka_unit_test(test_conceal_args),
		cmocka_unit_test(test_roundtrip_random),
		cmocka_unit_test(test_key_bytes),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_key_file_hex),
	};
	/* clang-format on */
	return cmocka_run_group_tests_name("suci", tests, setup, teardown);
}
