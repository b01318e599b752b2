/*
 * SUCI: string form, de-concealment (home network) and concealment (UE side).
 *
 * TS 33.501 6.12.2 builds the scheme input from the SUPI: the MSIN for an IMSI, the NAI
 * username otherwise. Annex C.3 conceals it with ECIES:
 *   Z = ECDH(ephemeral private, home network public) = ECDH(hn private, ephemeral public)
 *   K = ANSI X9.63 KDF, SHA-256, SharedInfo1 = ephemeral public key, 64 octets
 *     = encryption key (16) || ICB (16) || MAC key (32)             (C.3.4.1, C.3.4.2)
 *   ciphertext = AES-128-CTR(encryption key, ICB, plaintext)
 *   MAC tag = first 8 octets of HMAC-SHA-256(MAC key, ciphertext)
 *   scheme output = ephemeral public key || ciphertext || MAC tag      (C.3.2)
 * Profile A uses X25519 (32-octet keys), Profile B secp256r1 with the ephemeral key
 * compressed (33 octets). The home network checks the tag before it decrypts (C.3.3).
 *
 * The scheme output of the null scheme and the plaintext of an IMSI are the MSIN in BCD
 * (TS 24.501 9.11.3.4, TS 33.501 C.2, C.3.2). The string form is TS 29.571's SupiOrSuci
 * "suci-..." form of TS 23.003 2.2B's fields.
 *
 * Everything here may come from a peer: lengths, digits and points are checked, nothing
 * asserts, and private keys, shared secrets and derived keys are wiped after use.
 */
#include "crypto/suci.h"

#include "core/err.h"
#include "core/hex.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAC_TAG_LEN	8  /* TS 33.501 C.3.4: maclen 64 bits */
#define X25519_LEN	32 /* C.3.4.1 */
#define P256_PUB_C_LEN	33 /* C.3.4.2: point compression */
#define P256_PUB_U_LEN	65
#define PRIV_LEN	32
#define IMSI_DIGITS_MAX 15    /* TS 23.003 2.2 */
#define KEY_FILE_MAX	16384 /* a key file is small; anything bigger is not a key */
#define P256_GROUP	"prime256v1"

struct sen_hn_key {
	int scheme;
	EVP_PKEY *pkey;
	uint8_t pub[P256_PUB_C_LEN];
	size_t pub_len;
};

/* ---- characters, BCD, NAI ------------------------------------------------------------- */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Length of the NUL-terminated field in an array of `size` chars; `size` if unterminated. */
static size_t field_len(const char *s, size_t size)
{
	return strnlen(s, size);
}

/* `n` digits as BCD, low nibble first, 0xF filler (TS 24.501 9.11.3.4). Returns octets. */
static size_t bcd_encode(const char *digits, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i += 2) {
		uint8_t hi = i + 1 < n ? (uint8_t)(digits[i + 1] - '0') : 0xF;
		out[i / 2] = (uint8_t)(hi << 4 | (digits[i] - '0'));
	}
	return (n + 1) / 2;
}

/*
 * BCD to digits; out holds max + 1 chars. Only the high nibble of the last octet may be the
 * 0xF filler. Returns the digit count (>= 1) or -SEN_EPROTO.
 */
static int bcd_decode(const uint8_t *in, size_t len, char *out, size_t max)
{
	size_t d = 0;

	if (len == 0)
		return -SEN_EPROTO;
	for (size_t i = 0; i < len; i++) {
		unsigned lo = in[i] & 0xF, hi = in[i] >> 4;

		if (lo > 9 || d >= max)
			return -SEN_EPROTO;
		out[d++] = (char)('0' + lo);
		if (hi == 0xF && i == len - 1)
			break;
		if (hi > 9 || d >= max)
			return -SEN_EPROTO;
		out[d++] = (char)('0' + hi);
	}
	out[d] = '\0';
	return (int)d;
}

/*
 * NAI username (RFC 7542 2.2): dot-string of atext characters. Multi-octet UTF-8 is not
 * accepted (ASCII only), nor are '@', controls or spaces.
 */
static int username_ok(const uint8_t *u, size_t n)
{
	static const char special[] = "!#$%&'*+-/=?^_`{|}~";

	if (n == 0 || n > SEN_SUCI_NAI_MAX || u[0] == '.' || u[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		int c = u[i];

		if (c == '.') {
			if (u[i - 1] == '.')
				return 0;
			continue;
		}
		if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c != 0 && strchr(special, c))))
			return 0;
	}
	return 1;
}

/* Realm: labels of letters, digits and inner hyphens, separated by dots (RFC 7542 2.2). */
static int realm_ok(const char *r, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > SEN_SUCI_REALM_MAX)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)r[i] : '.';

		if (c == '.') {
			if (label == 0 || label > 63 || r[i - 1] == '-')
				return 0;
			label = 0;
		} else if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c == '-' && label > 0)) {
			label++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Most MSIN digits an IMSI with this MNC can hold (MCC is 3 digits). */
static size_t msin_max(const char *mnc)
{
	return IMSI_DIGITS_MAX - 3 - (field_len(mnc, 4) == 3 ? 3 : 2);
}

/*
 * Fields every SUCI must have right (TS 23.003 2.2B): SUPI type 0..7, MCC 3 digits and MNC
 * 2 or 3 for IMSI, a realm otherwise, routing indicator 1..4 digits, scheme 0..15, key id 0
 * for the null scheme (TS 33.501 6.12.2), an output of 1..SEN_SUCI_OUTPUT_MAX octets.
 */
static int fields_ok(const struct sen_suci *s)
{
	size_t n;

	if (s->supi_type > 7 || s->scheme > 15 || s->output_len == 0 ||
	    s->output_len > SEN_SUCI_OUTPUT_MAX)
		return 0;
	if (s->supi_type == SEN_SUPI_IMSI) {
		if (field_len(s->mcc, sizeof(s->mcc)) != 3 || !all_digits(s->mcc, 3))
			return 0;
		n = field_len(s->mnc, sizeof(s->mnc));
		if (n < 2 || n > 3 || !all_digits(s->mnc, n))
			return 0;
	} else {
		n = field_len(s->realm, sizeof(s->realm));
		if (n == sizeof(s->realm) || !realm_ok(s->realm, n))
			return 0;
	}
	n = field_len(s->routing, sizeof(s->routing));
	if (n < 1 || n > 4 || !all_digits(s->routing, n))
		return 0;
	if (s->scheme == SEN_SUCI_NULL && s->hn_key_id != 0)
		return 0;
	/* Null scheme, NAI: the output is the username; the NAI is at most 253 octets. */
	if (s->scheme == SEN_SUCI_NULL && s->supi_type != SEN_SUPI_IMSI &&
	    (!username_ok(s->output, s->output_len) ||
	     s->output_len + 1 + strlen(s->realm) > SEN_SUCI_NAI_MAX))
		return 0;
	return 1;
}

/* ---- keys ----------------------------------------------------------------------------- */

static EC_GROUP *p256_group(void)
{
	return EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
}

/* An EC P-256 EVP_PKEY from an encoded public point and, if d is set, the private scalar. */
static EVP_PKEY *p256_pkey(const BIGNUM *d, const uint8_t *pub, size_t pub_len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, P256_GROUP, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, pub_len) ||
	    (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
out:
	OSSL_PARAM_free(params); /* wipes the secure copy of d */
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* Profile B key pair from a 32-octet scalar in [1, n-1] (SEC 1 3.2.1). */
static int p256_keypair(const uint8_t priv[PRIV_LEN], struct sen_hn_key *k)
{
	EC_GROUP *group = p256_group();
	BIGNUM *d = BN_secure_new();
	EC_POINT *q = group ? EC_POINT_new(group) : NULL;
	uint8_t pub[P256_PUB_U_LEN];
	int rc = -SEN_ECRYPTO;

	if (!group || !d || !q || !BN_bin2bn(priv, PRIV_LEN, d))
		goto out;
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group)) >= 0) {
		rc = -SEN_EINVAL;
		goto out;
	}
	if (!EC_POINT_mul(group, q, d, NULL, NULL, NULL) ||
	    EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, pub, sizeof(pub), NULL) !=
		sizeof(pub) ||
	    EC_POINT_point2oct(group, q, POINT_CONVERSION_COMPRESSED, k->pub, sizeof(k->pub),
			       NULL) != P256_PUB_C_LEN)
		goto out;
	k->pub_len = P256_PUB_C_LEN;
	k->pkey = p256_pkey(d, pub, sizeof(pub));
	rc = k->pkey ? 0 : -SEN_ECRYPTO;
out:
	BN_clear_free(d);
	EC_POINT_free(q);
	EC_GROUP_free(group);
	return rc;
}

/* Profile A key pair (RFC 7748 5: any 32 octets, clamped by X25519 itself). */
static int x25519_keypair(const uint8_t priv[PRIV_LEN], struct sen_hn_key *k)
{
	size_t len = X25519_LEN;

	k->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, PRIV_LEN);
	if (!k->pkey || EVP_PKEY_get_raw_public_key(k->pkey, k->pub, &len) <= 0 ||
	    len != X25519_LEN)
		return -SEN_ECRYPTO;
	k->pub_len = X25519_LEN;
	return 0;
}

int sen_hn_key_from_bytes(int scheme, const uint8_t *priv, size_t len, struct sen_hn_key **key)
{
	struct sen_hn_key *k;
	int rc;

	if (!key)
		return -SEN_EINVAL;
	*key = NULL;
	if (!priv || len != PRIV_LEN ||
	    (scheme != SEN_SUCI_PROFILE_A && scheme != SEN_SUCI_PROFILE_B))
		return -SEN_EINVAL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -SEN_ENOMEM;
	k->scheme = scheme;
	rc = scheme == SEN_SUCI_PROFILE_A ? x25519_keypair(priv, k) : p256_keypair(priv, k);
	if (rc < 0) {
		ERR_clear_error();
		sen_hn_key_free(k);
		return rc;
	}
	*key = k;
	return 0;
}

int sen_hn_key_public(const struct sen_hn_key *key, uint8_t *out, size_t cap)
{
	if (!key || !out)
		return -SEN_EINVAL;
	if (cap < key->pub_len)
		return -SEN_EMSGSIZE;
	memcpy(out, key->pub, key->pub_len);
	return (int)key->pub_len;
}

void sen_hn_key_free(struct sen_hn_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey); /* OpenSSL clears the private key it holds */
	OPENSSL_cleanse(key, sizeof(*key));
	free(key);
}

/*
 * A peer public key as an EVP_PKEY: 32 octets for X25519; for P-256 an SEC 1 point,
 * compressed (33) or uncompressed (65), decoded with EC_POINT_oct2point, which refuses
 * points off the curve and x values with no square root.
 */
static int peer_key(int scheme, const uint8_t *pub, size_t len, EVP_PKEY **out)
{
	*out = NULL;
	if (scheme == SEN_SUCI_PROFILE_A) {
		if (len != X25519_LEN)
			return -SEN_EPROTO;
		*out = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub, len);
		return *out ? 0 : -SEN_ECRYPTO;
	}
	if (!((len == P256_PUB_C_LEN && (pub[0] == 0x02 || pub[0] == 0x03)) ||
	      (len == P256_PUB_U_LEN && pub[0] == 0x04)))
		return -SEN_EPROTO;
	EC_GROUP *group = p256_group();
	EC_POINT *p = group ? EC_POINT_new(group) : NULL;
	int rc = -SEN_ECRYPTO;

	if (p) {
		if (!EC_POINT_oct2point(group, p, pub, len, NULL) ||
		    EC_POINT_is_at_infinity(group, p))
			rc = -SEN_EPROTO;
		else if ((*out = p256_pkey(NULL, pub, len)))
			rc = 0;
	}
	EC_POINT_free(p);
	EC_GROUP_free(group);
	return rc;
}

int sen_hn_key_shared_secret(const struct sen_hn_key *key, const uint8_t *peer_pub, size_t peer_len,
			     uint8_t z[32])
{
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t zlen = 32;
	int rc;

	if (!key || !peer_pub || !z)
		return -SEN_EINVAL;
	rc = peer_key(key->scheme, peer_pub, peer_len, &peer);
	if (rc < 0)
		goto out;
	rc = -SEN_ECRYPTO;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) <= 0) {
		rc = -SEN_EPROTO;
		goto out;
	}
	/* X25519 refuses an all-zero result (a low-order point): the peer's doing. */
	if (EVP_PKEY_derive(ctx, z, &zlen) <= 0 || zlen != 32) {
		OPENSSL_cleanse(z, 32);
		rc = key->scheme == SEN_SUCI_PROFILE_A ? -SEN_EPROTO : -SEN_ECRYPTO;
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return rc;
}

/* ---- key files ------------------------------------------------------------------------ */

/* Never prompt for a passphrase: an encrypted key file is refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* The 32-octet private key in a PEM file, if it is a key of `scheme`. */
static int pem_private(int scheme, const char *text, size_t len, uint8_t priv[PRIV_LEN])
{
	BIO *bio = BIO_new_mem_buf(text, (int)len);
	EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL) : NULL;
	BIGNUM *d = NULL;
	char group[64];
	size_t n = PRIV_LEN;
	int rc = -SEN_EINVAL;

	if (!pkey)
		goto out;
	if (scheme == SEN_SUCI_PROFILE_A) {
		if (EVP_PKEY_is_a(pkey, "X25519") &&
		    EVP_PKEY_get_raw_private_key(pkey, priv, &n) > 0 && n == PRIV_LEN)
			rc = 0;
	} else if (EVP_PKEY_is_a(pkey, "EC") &&
		   EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) > 0 &&
		   !strcmp(group, P256_GROUP) &&
		   EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) > 0 &&
		   BN_bn2binpad(d, priv, PRIV_LEN) == PRIV_LEN) {
		rc = 0;
	}
out:
	ERR_clear_error();
	BN_clear_free(d);
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	return rc;
}

/* 64 hex digits with only whitespace around them. */
static int hex_private(const char *text, size_t len, uint8_t priv[PRIV_LEN])
{
	static const char ws[] = " \t\r\n\v\f";
	char hex[2 * PRIV_LEN + 1];
	size_t a = 0, b = len;
	int rc;

	while (a < b && text[a] && strchr(ws, text[a]))
		a++;
	while (b > a && text[b - 1] && strchr(ws, text[b - 1]))
		b--;
	if (b - a != 2 * PRIV_LEN)
		return -SEN_EINVAL;
	memcpy(hex, text + a, 2 * PRIV_LEN);
	hex[2 * PRIV_LEN] = '\0';
	rc = sen_hex_decode_exact(hex, priv, PRIV_LEN) < 0 ? -SEN_EINVAL : 0;
	OPENSSL_cleanse(hex, sizeof(hex));
	return rc;
}

int sen_hn_key_load_file(int scheme, const char *path, struct sen_hn_key **key)
{
	uint8_t priv[PRIV_LEN];
	char *text;
	size_t len;
	FILE *f;
	int rc;

	if (!key)
		return -SEN_EINVAL;
	*key = NULL;
	if (!path || (scheme != SEN_SUCI_PROFILE_A && scheme != SEN_SUCI_PROFILE_B))
		return -SEN_EINVAL;
	f = fopen(path, "rb");
	if (!f)
		return -SEN_EIO;
	text = calloc(1, KEY_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		return -SEN_ENOMEM;
	}
	len = fread(text, 1, KEY_FILE_MAX + 1, f);
	if (ferror(f))
		rc = -SEN_EIO;
	else if (len > KEY_FILE_MAX || memchr(text, '\0', len))
		rc = -SEN_EINVAL;
	else if (strstr(text, "-----BEGIN"))
		rc = pem_private(scheme, text, len, priv);
	else
		rc = hex_private(text, len, priv);
	fclose(f);
	if (rc == 0)
		rc = sen_hn_key_from_bytes(scheme, priv, PRIV_LEN, key);
	OPENSSL_cleanse(priv, sizeof(priv));
	OPENSSL_cleanse(text, KEY_FILE_MAX + 1);
	free(text);
	return rc;
}

/* ---- ECIES (TS 33.501 C.3) ------------------------------------------------------------ */

int sen_suci_ecies_kdf(const uint8_t z[32], const uint8_t *eph_pub, size_t eph_len,
		       uint8_t enc_key[16], uint8_t icb[16], uint8_t mac_key[32])
{
	char digest[] = "SHA256";
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_X963KDF, NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	uint8_t k[64];
	int rc = -SEN_ECRYPTO;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)z, 32),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)eph_pub, eph_len),
	    OSSL_PARAM_construct_end(),
	};

	if (ctx && EVP_KDF_derive(ctx, k, sizeof(k), params) > 0) {
		memcpy(enc_key, k, 16);
		memcpy(icb, k + 16, 16);
		memcpy(mac_key, k + 32, 32);
		rc = 0;
	}
	OPENSSL_cleanse(k, sizeof(k));
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

/* AES-128-CTR with the KDF's ICB as the initial counter block (C.3.4). */
static int aes128_ctr(const uint8_t key[16], const uint8_t icb[16], const uint8_t *in, size_t len,
		      uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0, rc = -SEN_ECRYPTO;

	if (ctx && len <= SEN_SUCI_OUTPUT_MAX &&
	    EVP_EncryptInit_ex2(ctx, EVP_aes_128_ctr(), key, icb, NULL) > 0 &&
	    EVP_EncryptUpdate(ctx, out, &n, in, (int)len) > 0 &&
	    EVP_EncryptFinal_ex(ctx, out + n, &fin) > 0 && (size_t)(n + fin) == len)
		rc = 0;
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

/* The MAC tag: the first 8 octets of HMAC-SHA-256(MAC key, ciphertext) (C.3.4). */
static int mac_tag(const uint8_t key[32], const uint8_t *ct, size_t len, uint8_t tag[MAC_TAG_LEN])
{
	uint8_t full[32];
	size_t n = 0;
	int rc = -SEN_ECRYPTO;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, 32, ct, len, full, sizeof(full),
		      &n) &&
	    n == sizeof(full)) {
		memcpy(tag, full, MAC_TAG_LEN);
		rc = 0;
	}
	OPENSSL_cleanse(full, sizeof(full));
	return rc;
}

/*
 * Home network side (C.3.3): split the scheme output, derive the keys, verify the tag and
 * only then decrypt into plain (ciphertext length octets).
 */
static int ecies_open(const struct sen_hn_key *key, const uint8_t *in, size_t len, uint8_t *plain,
		      size_t *plain_len)
{
	size_t eph_len = key->scheme == SEN_SUCI_PROFILE_A ? X25519_LEN : P256_PUB_C_LEN;
	uint8_t z[32], enc[16], icb[16], mk[32], tag[MAC_TAG_LEN];
	int rc;

	/* At least one octet of ciphertext between the key and the tag. */
	if (len <= eph_len + MAC_TAG_LEN)
		return -SEN_EPROTO;
	/* C.3.4.2: Profile B carries the ephemeral key compressed. */
	if (key->scheme == SEN_SUCI_PROFILE_B && in[0] != 0x02 && in[0] != 0x03)
		return -SEN_EPROTO;
	const uint8_t *ct = in + eph_len;
	size_t ct_len = len - eph_len - MAC_TAG_LEN;

	rc = sen_hn_key_shared_secret(key, in, eph_len, z);
	if (rc < 0)
		return rc;
	rc = sen_suci_ecies_kdf(z, in, eph_len, enc, icb, mk);
	if (rc == 0)
		rc = mac_tag(mk, ct, ct_len, tag);
	if (rc == 0 && CRYPTO_memcmp(tag, ct + ct_len, MAC_TAG_LEN) != 0)
		rc = -SEN_EAUTH;
	if (rc == 0)
		rc = aes128_ctr(enc, icb, ct, ct_len, plain);
	if (rc == 0)
		*plain_len = ct_len;
	OPENSSL_cleanse(z, sizeof(z));
	OPENSSL_cleanse(enc, sizeof(enc));
	OPENSSL_cleanse(icb, sizeof(icb));
	OPENSSL_cleanse(mk, sizeof(mk));
	return rc;
}

/* A fresh ephemeral key pair (C.3.2), or the one the caller fixed. */
static int ephemeral_key(int scheme, const uint8_t *eph_priv, struct sen_hn_key **eph)
{
	uint8_t priv[PRIV_LEN];
	int rc = -SEN_ECRYPTO;

	if (eph_priv)
		return sen_hn_key_from_bytes(scheme, eph_priv, PRIV_LEN, eph);
	/* A P-256 scalar is out of range with probability ~2^-32: draw again. */
	for (int i = 0; i < 8; i++) {
		if (RAND_priv_bytes(priv, sizeof(priv)) != 1) {
			rc = -SEN_ECRYPTO;
			break;
		}
		rc = sen_hn_key_from_bytes(scheme, priv, PRIV_LEN, eph);
		if (rc != -SEN_EINVAL)
			break;
	}
	OPENSSL_cleanse(priv, sizeof(priv));
	return rc;
}

/* UE side (C.3.2): out = ephemeral public key || ciphertext || MAC tag. */
static int ecies_seal(int scheme, const uint8_t *hn_pub, size_t hn_len, const uint8_t *eph_priv,
		      const uint8_t *plain, size_t plain_len, uint8_t *out, size_t *out_len)
{
	struct sen_hn_key *eph = NULL;
	uint8_t z[32], enc[16], icb[16], mk[32], *ct;
	int rc;

	if (!hn_pub)
		return -SEN_EINVAL;
	rc = ephemeral_key(scheme, eph_priv, &eph);
	if (rc < 0)
		return rc;
	if (eph->pub_len + plain_len + MAC_TAG_LEN > SEN_SUCI_OUTPUT_MAX) {
		rc = -SEN_EINVAL;
		goto out;
	}
	rc = sen_hn_key_shared_secret(eph, hn_pub, hn_len, z);
	if (rc == -SEN_EPROTO)
		rc = -SEN_EINVAL; /* the caller's home network key is not a valid point */
	if (rc < 0)
		goto out;
	ct = out + eph->pub_len;
	memcpy(out, eph->pub, eph->pub_len);
	rc = sen_suci_ecies_kdf(z, eph->pub, eph->pub_len, enc, icb, mk);
	if (rc == 0)
		rc = aes128_ctr(enc, icb, plain, plain_len, ct);
	if (rc == 0)
		rc = mac_tag(mk, ct, plain_len, ct + plain_len);
	if (rc == 0)
		*out_len = eph->pub_len + plain_len + MAC_TAG_LEN;
out:
	OPENSSL_cleanse(z, sizeof(z));
	OPENSSL_cleanse(enc, sizeof(enc));
	OPENSSL_cleanse(icb, sizeof(icb));
	OPENSSL_cleanse(mk, sizeof(mk));
	sen_hn_key_free(eph);
	return rc;
}

/* ---- de-concealment and concealment --------------------------------------------------- */

/* The SUPI (TS 23.003 2.2A; TS 29.571 "imsi-" / "nai-" forms) from the scheme input. */
static int supi_from_input(const struct sen_suci *s, const uint8_t *in, size_t len, char *supi,
			   size_t cap)
{
	char buf[SEN_SUPI_MAX];
	int n;

	if (s->supi_type == SEN_SUPI_IMSI) {
		char msin[IMSI_DIGITS_MAX + 1];

		if (bcd_decode(in, len, msin, msin_max(s->mnc)) < 0)
			return -SEN_EPROTO;
		n = snprintf(buf, sizeof(buf), "imsi-%s%s%s", s->mcc, s->mnc, msin);
	} else {
		size_t rlen = strlen(s->realm);

		if (!username_ok(in, len) || len + 1 + rlen > SEN_SUCI_NAI_MAX)
			return -SEN_EPROTO;
		n = snprintf(buf, sizeof(buf), "nai-%.*s@%s", (int)len, (const char *)in, s->realm);
	}
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -SEN_EPROTO;
	if ((size_t)n >= cap)
		return -SEN_EMSGSIZE;
	memcpy(supi, buf, (size_t)n + 1);
	return 0;
}

int sen_suci_deconceal(const struct sen_suci *suci, const struct sen_hn_key *key, char *supi,
		       size_t cap)
{
	uint8_t plain[SEN_SUCI_OUTPUT_MAX];
	size_t plain_len = 0;
	int rc;

	if (!suci || !supi)
		return -SEN_EINVAL;
	if (!fields_ok(suci))
		return -SEN_EPROTO;
	if (suci->supi_type != SEN_SUPI_IMSI && suci->supi_type != SEN_SUPI_NAI)
		return -SEN_ENOTSUP; /* GLI, GCI, spare */
	if (suci->scheme == SEN_SUCI_NULL)
		return supi_from_input(suci, suci->output, suci->output_len, supi, cap);
	if (suci->scheme != SEN_SUCI_PROFILE_A && suci->scheme != SEN_SUCI_PROFILE_B)
		return -SEN_ENOTSUP; /* reserved or HPLMN proprietary (TS 33.501 Annex C) */
	if (!key || key->scheme != suci->scheme)
		return -SEN_EINVAL;
	rc = ecies_open(key, suci->output, suci->output_len, plain, &plain_len);
	if (rc == 0)
		rc = supi_from_input(suci, plain, plain_len, supi, cap);
	OPENSSL_cleanse(plain, plain_len);
	return rc;
}

int sen_suci_conceal(struct sen_suci *suci, int scheme, const uint8_t *hn_pub, size_t hn_pub_len,
		     const uint8_t *eph_priv, const char *msin)
{
	uint8_t input[SEN_SUCI_NAI_MAX];
	size_t len, out_len = 0;
	int rc;

	if (!suci || !msin)
		return -SEN_EINVAL;
	if (scheme != SEN_SUCI_NULL && scheme != SEN_SUCI_PROFILE_A && scheme != SEN_SUCI_PROFILE_B)
		return -SEN_ENOTSUP;
	len = strnlen(msin, SEN_SUCI_NAI_MAX + 1);
	/* TS 33.501 6.12.2: the scheme input is the MSIN, or the NAI username. */
	if (suci->supi_type == SEN_SUPI_IMSI) {
		if (len == 0 || len > msin_max(suci->mnc) || !all_digits(msin, len))
			return -SEN_EINVAL;
		len = bcd_encode(msin, len, input);
	} else if (suci->supi_type == SEN_SUPI_NAI) {
		if (!username_ok((const uint8_t *)msin, len))
			return -SEN_EINVAL;
		memcpy(input, msin, len);
	} else {
		return -SEN_ENOTSUP;
	}
	if (scheme == SEN_SUCI_NULL) {
		memcpy(suci->output, input, len);
		out_len = len;
		rc = 0;
	} else {
		rc = ecies_seal(scheme, hn_pub, hn_pub_len, eph_priv, input, len, suci->output,
				&out_len);
	}
	if (rc == 0) {
		suci->scheme = (uint8_t)scheme;
		suci->output_len = out_len;
	}
	OPENSSL_cleanse(input, sizeof(input));
	return rc;
}

/* ---- string form ---------------------------------------------------------------------- */

/*
 * "<routing>-<scheme>-<keyid>-<output>" running to the end of the string, into s (whose
 * supi_type, mnc and realm are set).
 */
static int parse_tail(const char *t, struct sen_suci *s)
{
	size_t i = 0, n;
	unsigned keyid = 0;
	int v;

	/* Routing indicator: 1 to 4 digits (TS 23.003 2.2B). */
	while (is_digit((unsigned char)t[i]) && i < 5)
		i++;
	if (i < 1 || i > 4 || t[i] != '-')
		return -SEN_EINVAL;
	memcpy(s->routing, t, i);
	s->routing[i] = '\0';
	t += i + 1;
	/* Protection scheme identifier: one hex digit, 0..15. */
	v = hex_value((unsigned char)t[0]);
	if (v < 0 || t[1] != '-')
		return -SEN_EINVAL;
	s->scheme = (uint8_t)v;
	t += 2;
	/* Home network public key identifier: 0..255, no leading zeros. */
	for (i = 0; is_digit((unsigned char)t[i]) && i < 4; i++)
		keyid = keyid * 10 + (unsigned)(t[i] - '0');
	if (i < 1 || i > 3 || (i > 1 && t[0] == '0') || keyid > 255 || t[i] != '-')
		return -SEN_EINVAL;
	s->hn_key_id = (uint8_t)keyid;
	t += i + 1;
	/* Scheme output, to the end. */
	n = strlen(t);
	if (n == 0)
		return -SEN_EINVAL;
	if (s->scheme != SEN_SUCI_NULL) {
		if (n % 2 || n / 2 > SEN_SUCI_OUTPUT_MAX)
			return -SEN_EINVAL;
		v = sen_hex_decode(t, s->output, SEN_SUCI_OUTPUT_MAX);
		if (v < 0)
			return -SEN_EINVAL;
		s->output_len = (size_t)v;
	} else if (s->supi_type == SEN_SUPI_IMSI) {
		if (n > msin_max(s->mnc) || !all_digits(t, n))
			return -SEN_EINVAL;
		s->output_len = bcd_encode(t, n, s->output);
	} else {
		if (!username_ok((const uint8_t *)t, n) ||
		    n + 1 + strlen(s->realm) > SEN_SUCI_NAI_MAX)
			return -SEN_EINVAL;
		memcpy(s->output, t, n);
		s->output_len = n;
	}
	return 0;
}

int sen_suci_parse(const char *str, struct sen_suci *suci)
{
	struct sen_suci s;
	const char *p;
	size_t len, n;

	if (!str || !suci)
		return -SEN_EINVAL;
	len = strnlen(str, SEN_SUCI_STR_MAX + 1);
	if (len > SEN_SUCI_STR_MAX || strncmp(str, "suci-", 5) != 0)
		return -SEN_EINVAL;
	memset(&s, 0, sizeof(s));
	p = str + 5;
	/* SUPI type: 0..7 (TS 23.003 2.2B). */
	if (p[0] < '0' || p[0] > '7' || p[1] != '-')
		return -SEN_EINVAL;
	s.supi_type = (uint8_t)(p[0] - '0');
	p += 2;
	if (s.supi_type == SEN_SUPI_IMSI) {
		/* Home network identifier: MCC 3 digits, MNC 2 or 3 digits. */
		if (!all_digits(p, 3) || p[3] != '-')
			return -SEN_EINVAL;
		memcpy(s.mcc, p, 3);
		p += 4;
		for (n = 0; is_digit((unsigned char)p[n]) && n < 4; n++)
			;
		if (n < 2 || n > 3 || p[n] != '-')
			return -SEN_EINVAL;
		memcpy(s.mnc, p, n);
		if (parse_tail(p + n + 1, &s) < 0)
			return -SEN_EINVAL;
	} else {
		/*
		 * Home network identifier: a domain name, which may hold '-'. Take the first
		 * split after which the rest parses (the only one when the output is hex).
		 */
		const char *q;
		int ok = 0;

		for (q = p; *q && !ok && (size_t)(q - p) <= SEN_SUCI_REALM_MAX; q++) {
			n = (size_t)(q - p);
			if (*q != '-' || !realm_ok(p, n))
				continue;
			memcpy(s.realm, p, n);
			s.realm[n] = '\0';
			ok = parse_tail(q + 1, &s) == 0;
		}
		if (!ok)
			return -SEN_EINVAL;
	}
	if (!fields_ok(&s))
		return -SEN_EINVAL;
	memcpy(suci, &s, sizeof(s));
	return 0;
}

struct writer {
	char *p;
	size_t cap, len;
};

static void put(struct writer *w, const char *s, size_t n)
{
	if (w->len < w->cap)
		memcpy(w->p + w->len, s, w->len + n <= w->cap ? n : w->cap - w->len);
	w->len += n;
}

int sen_suci_format(const struct sen_suci *suci, char *out, size_t cap)
{
	struct writer w = {out, cap, 0};
	char head[16];
	int n;

	if (!suci || !out || !fields_ok(suci))
		return -SEN_EINVAL;
	n = snprintf(head, sizeof(head), "suci-%u-", (unsigned)suci->supi_type);
	put(&w, head, (size_t)n);
	if (suci->supi_type == SEN_SUPI_IMSI) {
		put(&w, suci->mcc, strlen(suci->mcc));
		put(&w, "-", 1);
		put(&w, suci->mnc, strlen(suci->mnc));
	} else {
		put(&w, suci->realm, strlen(suci->realm));
	}
	n = snprintf(head, sizeof(head), "-%s-%x-%u-", suci->routing, (unsigned)suci->scheme,
		     (unsigned)suci->hn_key_id);
	put(&w, head, (size_t)n);
	if (suci->scheme != SEN_SUCI_NULL) {
		char hx[3];

		for (size_t i = 0; i < suci->output_len; i++)
			put(&w, sen_hex_encode(&suci->output[i], 1, hx), 2);
	} else if (suci->supi_type == SEN_SUPI_IMSI) {
		char msin[IMSI_DIGITS_MAX + 1];

		n = bcd_decode(suci->output, suci->output_len, msin, msin_max(suci->mnc));
		if (n < 0)
			return -SEN_EINVAL;
		put(&w, msin, (size_t)n);
	} else {
		if (!username_ok(suci->output, suci->output_len))
			return -SEN_EINVAL;
		put(&w, (const char *)suci->output, suci->output_len);
	}
	if (w.len >= cap)
		return -SEN_EMSGSIZE;
	out[w.len] = '\0';
	return (int)w.len;
}
