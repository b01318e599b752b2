/*
 * 128-NEA0..3 and 128-NIA0..3 behind one context type (see nxa.h): TS 33.501 D.1 (NEA0,
 * NIA0), D.2.1 (128-NEA1/2/3), D.3.1 (128-NIA1/2/3), which take the algorithms of TS 33.401
 * Annex B (B.1.2-B.1.4, B.2.2-B.2.4) unchanged.
 *
 *  - NEA1 / NIA1: SNOW 3G UEA2 / UIA2 (snow3g.c); FRESH = BEARER || 0^27 (TS 33.401 B.2.2).
 *  - NEA3 / NIA3: ZUC 128-EEA3 / 128-EIA3 (zuc.c).
 *  - NEA2: AES-128 in CTR mode from OpenSSL; the first counter block is
 *    COUNT || BEARER || DIRECTION || 0^26 || 0^64 (TS 33.401 B.1.3).
 *  - NIA2: AES-CMAC (NIST SP 800-38B) over COUNT || BEARER || DIRECTION || 0^26 || MESSAGE,
 *    MAC = the first 32 bits (TS 33.401 B.2.3). CMAC is built here on OpenSSL's AES-128-CBC
 *    (the CBC chain is CMAC's chain; the subkeys K1/K2 are computed when keying and the
 *    last block is padded and masked here) rather than on EVP_MAC "CMAC", because
 *    MESSAGE may end inside a byte (the 10* padding must then start mid-byte, which a
 *    byte-oriented CMAC cannot express), and because OpenSSL 3.0's CMAC runs the cipher
 *    one block per call, slower than a bulk CBC call. The unit tests check it against
 *    EVP_MAC "CMAC" on whole-byte messages.
 *
 * A context is only the algorithm and the raw key (nxa.h). The OpenSSL algorithms are fetched
 * once per process; each thread keeps one AES-128-CTR and one AES-128-CBC EVP_CIPHER_CTX
 * (struct nxa_tls), each keyed with the last key used on that thread (and, for CBC, that
 * key's CMAC subkeys). A message under the same key only sets the CTR IV (NEA2) or goes on
 * with the CBC chain (NIA2, see cmac_key); a message under another key re-runs the key
 * schedule in place (EVP_EncryptInit_ex2 with a NULL cipher: no allocation) and, for NIA2,
 * recomputes K1/K2 (one more AES block): about +80 ns (NIA2) and +55 ns (NEA2) per message
 * on a 50-octet message, against 1.4 KB of OpenSSL state per UE when every context was
 * keyed. The per-thread state is freed, and its key copies wiped, by a pthread key
 * destructor at thread exit.
 */
#include "crypto/nxa.h"

#include "core/err.h"
#include "crypto/snow3g.h"
#include "crypto/zuc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum nxa_kind { NXA_NONE = 0, NXA_NEA, NXA_NIA };

/* One thread's keyed OpenSSL state; see the file comment. */
struct nxa_tls {
	EVP_CIPHER_CTX *ctr; /* NEA2: AES-128-CTR, keyed with ctr_key when ctr_keyed */
	EVP_CIPHER_CTX *cbc; /* NIA2: AES-128-CBC, keyed with cbc_key when cbc_keyed */
	bool ctr_keyed, cbc_keyed;
	uint8_t ctr_key[16];
	uint8_t cbc_key[16];
	uint8_t chain[16]; /* the CBC chain value of cbc (its last ciphertext block) */
	uint8_t k1[16];	   /* CMAC subkeys of cbc_key, SP 800-38B 6.1 */
	uint8_t k2[16];
};

static pthread_once_t nxa_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER *aes_ctr; /* fetched once, kept for the life of the process */
static EVP_CIPHER *aes_cbc;
static pthread_key_t tls_key; /* its destructor frees a thread's nxa_tls */
static bool tls_key_ok;
static __thread struct nxa_tls *tls;

static const uint8_t zero16[16];

static void tls_free(void *p)
{
	struct nxa_tls *t = p;

	if (!t)
		return;
	EVP_CIPHER_CTX_free(t->ctr); /* frees and wipes the key schedule */
	EVP_CIPHER_CTX_free(t->cbc);
	OPENSSL_cleanse(t, sizeof(*t));
	free(t);
}

static void nxa_init_once(void)
{
	aes_ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
	aes_cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
	tls_key_ok = pthread_key_create(&tls_key, tls_free) == 0;
}

/* This thread's state, made on first use: NULL if out of memory or OpenSSL failed. */
static struct nxa_tls *tls_get(void)
{
	struct nxa_tls *t = tls;

	if (t)
		return t;
	if (pthread_once(&nxa_once, nxa_init_once) != 0 || !aes_ctr || !aes_cbc)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ctr = EVP_CIPHER_CTX_new();
	t->cbc = EVP_CIPHER_CTX_new();
	/* the cipher is set once; re-keying later passes a NULL cipher, which keeps it */
	if (!t->ctr || !t->cbc || !EVP_EncryptInit_ex2(t->ctr, aes_ctr, NULL, NULL, NULL) ||
	    !EVP_EncryptInit_ex2(t->cbc, aes_cbc, NULL, NULL, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(t->cbc, 0)) {
		tls_free(t);
		return NULL;
	}
	/* without the key (pthread_key_create failed) the state lives until the process ends */
	if (tls_key_ok && pthread_setspecific(tls_key, t) != 0) {
		tls_free(t);
		return NULL;
	}
	tls = t;
	return t;
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

/* AES-CBC on whole blocks (n a multiple of 16); the chain continues in t->cbc. */
static int cbc(struct nxa_tls *t, const uint8_t *in, size_t n, uint8_t *out)
{
	int outl;

	if (!EVP_EncryptUpdate(t->cbc, out, &outl, in, (int)n) || (size_t)outl != n)
		return -SEN_ECRYPTO;
	return 0;
}

static int nxa_setup(struct sen_nxa *c, enum nxa_kind kind, int alg, const uint8_t *key)
{
	memset(c, 0, sizeof(*c));
	if (alg < SEN_NXA_0 || alg > SEN_NXA_3 || !key)
		return -SEN_EINVAL;
	c->kind = (uint8_t)kind;
	c->alg = (uint8_t)alg;
	memcpy(c->key, key, 16);
	return 0;
}

int sen_nea_init(struct sen_nxa *ctx, int alg, const uint8_t key[16])
{
	if (!ctx)
		return -SEN_EINVAL;
	return nxa_setup(ctx, NXA_NEA, alg, key);
}

int sen_nia_init(struct sen_nxa *ctx, int alg, const uint8_t key[16])
{
	if (!ctx)
		return -SEN_EINVAL;
	return nxa_setup(ctx, NXA_NIA, alg, key);
}

void sen_nxa_clear(struct sen_nxa *ctx)
{
	if (ctx)
		OPENSSL_cleanse(ctx, sizeof(*ctx));
}

static struct sen_nxa *nxa_new(enum nxa_kind kind, int alg, const uint8_t *key)
{
	struct sen_nxa *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	if (nxa_setup(c, kind, alg, key) != 0) {
		sen_nxa_clear(c);
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
	sen_nxa_clear(ctx);
	free(ctx);
}

/* TS 33.401 B.1.3: AES-128-CTR from T1 = COUNT || BEARER || DIRECTION || 0^26 || 0^64. */
static int nea2(const struct sen_nxa *c, uint32_t count, uint8_t bearer, uint8_t dir,
		const uint8_t *in, uint8_t *out, size_t nbytes)
{
	struct nxa_tls *t = tls_get();
	uint8_t t1[16] = {0};
	const uint8_t *key = c->key;
	int outl;

	if (!t)
		return -SEN_ENOMEM;
	store_be32(t1, count);
	t1[4] = (uint8_t)(bearer << 3 | dir << 2);
	if (t->ctr_keyed && CRYPTO_memcmp(t->ctr_key, c->key, 16) == 0)
		key = NULL; /* keyed already: only the IV changes */
	t->ctr_keyed = false;
	if (!EVP_EncryptInit_ex2(t->ctr, NULL, key, t1, NULL))
		return -SEN_ECRYPTO;
	memcpy(t->ctr_key, c->key, 16);
	t->ctr_keyed = true;
	if (!EVP_EncryptUpdate(t->ctr, out, &outl, in, (int)nbytes) || (size_t)outl != nbytes)
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
 * Key this thread's CBC context with c->key unless it is already. The CBC chain is never
 * reset to a zero IV: t->chain holds its current value (the last ciphertext block), which
 * nia2 XORs into the first block of the next message, the same as starting from zero.
 */
static int cmac_key(struct nxa_tls *t, const struct sen_nxa *c)
{
	uint8_t l[16];

	if (t->cbc_keyed && CRYPTO_memcmp(t->cbc_key, c->key, 16) == 0)
		return 0;
	/* SP 800-38B 6.1: L = AES_K(0^128), K1 = dbl(L), K2 = dbl(K1). */
	t->cbc_keyed = false;
	if (!EVP_EncryptInit_ex2(t->cbc, NULL, c->key, zero16, NULL) || cbc(t, zero16, 16, l) != 0)
		return -SEN_ECRYPTO;
	cmac_dbl(l, t->k1);
	cmac_dbl(t->k1, t->k2);
	memcpy(t->chain, l, 16); /* the chain now stands at L */
	memcpy(t->cbc_key, c->key, 16);
	t->cbc_keyed = true;
	OPENSSL_cleanse(l, sizeof(l));
	return 0;
}

static void xor16(uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i++)
		a[i] ^= b[i];
}

static int nia2_chain(struct nxa_tls *t, uint32_t count, uint8_t bearer, uint8_t dir,
		      const uint8_t *msg, size_t len_bits, uint8_t mac[4])
{
	uint8_t blk[16], out[512];
	uint64_t mlen = 64 + (uint64_t)len_bits;
	uint64_t nblk = (mlen + 127) / 128;
	unsigned last = (unsigned)(mlen - 128 * (nblk - 1)); /* bits in the last block, 1..128 */
	const uint8_t *p;
	int rc;

	memset(blk, 0, sizeof(blk));
	store_be32(blk, count);
	blk[4] = (uint8_t)(bearer << 3 | dir << 2);
	if (nblk == 1) {
		/* header and the whole message in one (last) block */
		memcpy(blk + 8, msg, (len_bits + 7) / 8);
	} else {
		memcpy(blk + 8, msg, 8);
		xor16(blk, t->chain); /* as if the chain started from a zero IV */
		if ((rc = cbc(t, blk, 16, out)) != 0)
			return rc;
		p = msg + 8;
		for (size_t mid = (size_t)(nblk - 2) * 16; mid;) {
			size_t n = mid < sizeof(out) ? mid : sizeof(out);

			if ((rc = cbc(t, p, n, out)) != 0)
				return rc;
			p += n;
			mid -= n;
		}
		memset(blk, 0, sizeof(blk));
		memcpy(blk, p, (last + 7) / 8);
	}
	if (last == 128) {
		xor16(blk, t->k1);
	} else {
		blk[last / 8] &= (uint8_t)(0xff00 >> (last % 8));
		blk[last / 8] |= (uint8_t)(0x80 >> (last % 8));
		xor16(blk, t->k2);
	}
	if (nblk == 1)
		xor16(blk, t->chain);
	if ((rc = cbc(t, blk, 16, out)) != 0)
		return rc;
	memcpy(t->chain, out, 16);
	memcpy(mac, out, 4); /* T, truncated to its first 32 bits */
	OPENSSL_cleanse(blk, sizeof(blk));
	return 0;
}

/*
 * TS 33.401 B.2.3 with SP 800-38B 6.2: CMAC over M = COUNT || BEARER || DIRECTION || 0^26
 * || MESSAGE, Mlen = 64 + LENGTH bits. All blocks but the last go through the CBC chain as
 * they are; the last is XORed with K1 if complete, else padded with 10* and XORed with K2.
 */
static int nia2(const struct sen_nxa *c, uint32_t count, uint8_t bearer, uint8_t dir,
		const uint8_t *msg, size_t len_bits, uint8_t mac[4])
{
	struct nxa_tls *t = tls_get();
	int rc;

	if (!t)
		return -SEN_ENOMEM;
	if ((rc = cmac_key(t, c)) != 0)
		return rc;
	rc = nia2_chain(t, count, bearer, dir, msg, len_bits, mac);
	if (rc != 0)
		t->cbc_keyed = false; /* the chain value is unknown: re-key next time */
	return rc;
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
	sen_nxa_clear(&c);
	return rc;
}

int sen_nia(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *msg, size_t len_bits, uint8_t mac[4])
{
	struct sen_nxa c;
	int rc = nxa_setup(&c, NXA_NIA, alg, key);

	if (rc == 0)
		rc = sen_nia_mac(&c, count, bearer, dir, msg, len_bits, mac);
	sen_nxa_clear(&c);
	return rc;
}
