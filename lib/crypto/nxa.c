/*
 * 128-NEA0..3 and 128-NIA0..3 behind one keyed context (see nxa.h): TS 33.501 D.1 (NEA0,
 * NIA0), D.2.1 (128-NEA1/2/3), D.3.1 (128-NIA1/2/3), which take the algorithms of TS 33.401
 * Annex B (B.1.2-B.1.4, B.2.2-B.2.4) unchanged.
 *
 *  - NEA1 / NIA1: SNOW 3G UEA2 / UIA2 (snow3g.c); FRESH = BEARER || 0^27 (TS 33.401 B.2.2).
 *  - NEA3 / NIA3: ZUC 128-EEA3 / 128-EIA3 (zuc.c).
 *  - NEA2: AES-128 in CTR mode from OpenSSL; the first counter block is
 *    COUNT || BEARER || DIRECTION || 0^26 || 0^64 (TS 33.401 B.1.3).
 *  - NIA2: AES-CMAC (NIST SP 800-38B) over COUNT || BEARER || DIRECTION || 0^26 || MESSAGE,
 *    MAC = the first 32 bits (TS 33.401 B.2.3). CMAC is built here on OpenSSL's AES-128-CBC
 *    (the CBC chain is CMAC's chain; the subkeys K1/K2 are computed at key setup and the
 *    last block is padded and masked here) rather than on EVP_MAC "CMAC", because
 *    MESSAGE may end inside a byte (the 10* padding must then start mid-byte, which a
 *    byte-oriented CMAC cannot express), and because OpenSSL 3.0's CMAC runs the cipher
 *    one block per call, slower than a bulk CBC call. The unit tests check it against
 *    EVP_MAC "CMAC" on whole-byte messages.
 *
 * The OpenSSL algorithms are fetched once per process; each context keeps its own keyed
 * EVP_CIPHER_CTX, so applying a context only resets the IV (no key schedule, no allocation).
 */
#include "crypto/nxa.h"

#include "core/err.h"
#include "crypto/snow3g.h"
#include "crypto/zuc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum nxa_kind { NXA_NEA, NXA_NIA };

struct sen_nxa {
	enum nxa_kind kind;
	int alg;
	uint8_t key[16];     /* NEA1/3, NIA1/3 (SNOW 3G and ZUC rekey per message anyway) */
	EVP_CIPHER_CTX *aes; /* NEA2: keyed AES-128-CTR; NIA2: keyed AES-128-CBC */
	uint8_t k1[16];	     /* NIA2: CMAC subkeys, SP 800-38B 6.1 */
	uint8_t k2[16];
};

static pthread_once_t nxa_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER *aes_ctr; /* fetched once, kept for the life of the process */
static EVP_CIPHER *aes_cbc;

static const uint8_t zero16[16];

static void nxa_init_once(void)
{
	aes_ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
	aes_cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* SP 800-38B 6.1: K <<= 1, and if the bit shifted out was 1, K ^= 0^120 || 10000111. */
static void cmac_dbl(const uint8_t in[16], uint8_t out[16])
{
	uint8_t carry = in[0] >> 7;

	for (int i = 0; i < 15; i++)
		out[i] = (uint8_t)(in[i] << 1 | in[i + 1] >> 7);
	out[15] = (uint8_t)(in[15] << 1) ^ (carry ? 0x87 : 0);
}

/* AES-CBC on whole blocks (n a multiple of 16); the chain continues in c->aes. */
static int cbc(struct sen_nxa *c, const uint8_t *in, size_t n, uint8_t *out)
{
	int outl;

	if (!EVP_EncryptUpdate(c->aes, out, &outl, in, (int)n) || (size_t)outl != n)
		return -SEN_ECRYPTO;
	return 0;
}

static void nxa_clear(struct sen_nxa *c)
{
	EVP_CIPHER_CTX_free(c->aes); /* frees and wipes the key schedule */
	OPENSSL_cleanse(c, sizeof(*c));
}

static int nxa_setup(struct sen_nxa *c, enum nxa_kind kind, int alg, const uint8_t *key)
{
	memset(c, 0, sizeof(*c));
	if (alg < SEN_NXA_0 || alg > SEN_NXA_3 || !key)
		return -SEN_EINVAL;
	c->kind = kind;
	c->alg = alg;
	if (alg != SEN_NXA_2) {
		memcpy(c->key, key, 16);
		return 0;
	}
	if (pthread_once(&nxa_once, nxa_init_once) != 0 || !aes_ctr || !aes_cbc)
		return -SEN_ECRYPTO;
	c->aes = EVP_CIPHER_CTX_new();
	if (!c->aes)
		return -SEN_ENOMEM;
	if (kind == NXA_NEA) {
		if (!EVP_EncryptInit_ex2(c->aes, aes_ctr, key, zero16, NULL))
			return -SEN_ECRYPTO;
		return 0;
	}
	/* SP 800-38B 6.1: L = AES_K(0^128), K1 = dbl(L), K2 = dbl(K1). */
	uint8_t l[16];
	int rc = -SEN_ECRYPTO;

	if (EVP_EncryptInit_ex2(c->aes, aes_cbc, key, zero16, NULL) &&
	    EVP_CIPHER_CTX_set_padding(c->aes, 0) && cbc(c, zero16, 16, l) == 0) {
		cmac_dbl(l, c->k1);
		cmac_dbl(c->k1, c->k2);
		rc = 0;
	}
	OPENSSL_cleanse(l, sizeof(l));
	return rc;
}

static struct sen_nxa *nxa_new(enum nxa_kind kind, int alg, const uint8_t *key)
{
	struct sen_nxa *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	if (nxa_setup(c, kind, alg, key) != 0) {
		nxa_clear(c);
		free(c);
		return NULL;
	}
	return c;
}

struct sen_nxa *sen_nea_new(int alg, const uint8_t key[16])
{
	return nxa_new(NXA_NEA, alg, key);
}

struct sen_nxa *sen_nia_new(int alg, const uint8_t key[16])
{
	return nxa_new(NXA_NIA, alg, key);
}

void sen_nxa_free(struct sen_nxa *ctx)
{
	if (!ctx)
		return;
	nxa_clear(ctx);
	free(ctx);
}

/* TS 33.401 B.1.3: AES-128-CTR from T1 = COUNT || BEARER || DIRECTION || 0^26 || 0^64. */
static int nea2(struct sen_nxa *c, uint32_t count, uint8_t bearer, uint8_t dir, const uint8_t *in,
		uint8_t *out, size_t nbytes)
{
	uint8_t t1[16] = {0};
	int outl;

	store_be32(t1, count);
	t1[4] = (uint8_t)(bearer << 3 | dir << 2);
	if (!EVP_EncryptInit_ex2(c->aes, NULL, NULL, t1, NULL) ||
	    !EVP_EncryptUpdate(c->aes, out, &outl, in, (int)nbytes) || (size_t)outl != nbytes)
		return -SEN_ECRYPTO;
	return 0;
}

int sen_nea_apply(struct sen_nxa *ctx, uint32_t count, uint8_t bearer, uint8_t dir,
		  const uint8_t *in, uint8_t *out, size_t len_bits)
{
	size_t nbytes = len_bits / 8 + ((len_bits & 7) != 0);
	int rc = 0;

	if (!ctx || ctx->kind != NXA_NEA || bearer > 31 || dir > 1 || (len_bits && (!in || !out)))
		return -SEN_EINVAL;
	if (len_bits > UINT32_MAX) /* LENGTH is 32 bits in 128-EEA3 (Document 1) */
		return -SEN_EMSGSIZE;
	if (!len_bits)
		return 0;
	switch (ctx->alg) {
	case SEN_NXA_0: /* TS 33.501 D.1: the keystream is all zeroes */
		if (out != in)
			memmove(out, in, nbytes);
		break;
	case SEN_NXA_1:
		sen_snow3g_f8(ctx->key, count, bearer, dir, in, out, len_bits);
		return 0;
	case SEN_NXA_2:
		rc = nea2(ctx, count, bearer, dir, in, out, nbytes);
		break;
	default:
		sen_zuc_eea3(ctx->key, count, bearer, dir, in, out, len_bits);
		return 0;
	}
	if (len_bits & 7)
		out[nbytes - 1] &= (uint8_t)(0xff << (8 - (len_bits & 7)));
	return rc;
}

/*
 * TS 33.401 B.2.3 with SP 800-38B 6.2: CMAC over M = COUNT || BEARER || DIRECTION || 0^26
 * || MESSAGE, Mlen = 64 + LENGTH bits. All blocks but the last go through the CBC chain as
 * they are; the last is XORed with K1 if complete, else padded with 10* and XORed with K2.
 */
static int nia2(struct sen_nxa *c, uint32_t count, uint8_t bearer, uint8_t dir, const uint8_t *msg,
		size_t len_bits, uint8_t mac[4])
{
	uint8_t blk[16], out[512];
	uint64_t mlen = 64 + (uint64_t)len_bits;
	uint64_t nblk = (mlen + 127) / 128;
	unsigned last = (unsigned)(mlen - 128 * (nblk - 1)); /* bits in the last block, 1..128 */
	const uint8_t *p;
	int rc;

	if (!EVP_EncryptInit_ex2(c->aes, NULL, NULL, zero16, NULL))
		return -SEN_ECRYPTO;
	memset(blk, 0, sizeof(blk));
	store_be32(blk, count);
	blk[4] = (uint8_t)(bearer << 3 | dir << 2);
	if (nblk == 1) {
		/* header and the whole message in one (last) block */
		memcpy(blk + 8, msg, (len_bits + 7) / 8);
	} else {
		memcpy(blk + 8, msg, 8);
		if ((rc = cbc(c, blk, 16, out)) != 0)
			return rc;
		p = msg + 8;
		for (size_t mid = (size_t)(nblk - 2) * 16; mid;) {
			size_t n = mid < sizeof(out) ? mid : sizeof(out);

			if ((rc = cbc(c, p, n, out)) != 0)
				return rc;
			p += n;
			mid -= n;
		}
		memset(blk, 0, sizeof(blk));
		memcpy(blk, p, (last + 7) / 8);
	}
	if (last == 128) {
		for (int i = 0; i < 16; i++)
			blk[i] ^= c->k1[i];
	} else {
		blk[last / 8] &= (uint8_t)(0xff00 >> (last % 8));
		blk[last / 8] |= (uint8_t)(0x80 >> (last % 8));
		for (int i = 0; i < 16; i++)
			blk[i] ^= c->k2[i];
	}
	if ((rc = cbc(c, blk, 16, out)) != 0)
		return rc;
	memcpy(mac, out, 4); /* T, truncated to its first 32 bits */
	OPENSSL_cleanse(blk, sizeof(blk));
	return 0;
}

int sen_nia_mac(struct sen_nxa *ctx, uint32_t count, uint8_t bearer, uint8_t dir,
		const uint8_t *msg, size_t len_bits, uint8_t mac[4])
{
	static const uint8_t empty[1];

	if (!ctx || ctx->kind != NXA_NIA || bearer > 31 || dir > 1 || !mac || (len_bits && !msg))
		return -SEN_EINVAL;
	if (len_bits > UINT32_MAX) /* LENGTH is 32 bits in 128-EIA3 (Document 1) */
		return -SEN_EMSGSIZE;
	if (!msg)
		msg = empty;
	switch (ctx->alg) {
	case SEN_NXA_0: /* TS 33.501 D.1: a MAC of all zeroes */
		memset(mac, 0, 4);
		return 0;
	case SEN_NXA_1:
		store_be32(mac, sen_snow3g_f9(ctx->key, count, (uint32_t)bearer << 27, dir, msg,
					      len_bits));
		return 0;
	case SEN_NXA_2:
		return nia2(ctx, count, bearer, dir, msg, len_bits, mac);
	default:
		store_be32(mac,
			   sen_zuc_eia3(ctx->key, count, bearer, dir, msg, (uint32_t)len_bits));
		return 0;
	}
}

int sen_nea(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *in, uint8_t *out, size_t len_bits)
{
	struct sen_nxa c;
	int rc = nxa_setup(&c, NXA_NEA, alg, key);

	if (rc == 0)
		rc = sen_nea_apply(&c, count, bearer, dir, in, out, len_bits);
	nxa_clear(&c);
	return rc;
}

int sen_nia(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *msg, size_t len_bits, uint8_t mac[4])
{
	struct sen_nxa c;
	int rc = nxa_setup(&c, NXA_NIA, alg, key);

	if (rc == 0)
		rc = sen_nia_mac(&c, count, bearer, dir, msg, len_bits, mac);
	nxa_clear(&c);
	return rc;
}
