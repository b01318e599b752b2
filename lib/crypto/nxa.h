/*
 * The 128-bit 5G confidentiality (128-NEA0..3) and integrity (128-NIA0..3) algorithms,
 * TS 33.501 5.11.1 and Annex D: NEA1/NIA1 on SNOW 3G, NEA2/NIA2 on AES (CTR / CMAC, from
 * OpenSSL), NEA3/NIA3 on ZUC. The same algorithms serve NAS (TS 33.501 6.4) and the gNB's
 * PDCP, so the inputs are the generic KEY, COUNT, BEARER, DIRECTION and LENGTH (in bits).
 *
 * A context (struct sen_nxa) is only the algorithm and the raw 128-bit key: 18 octets, no
 * allocation, copyable by assignment. The keyed work is done per message: NEA2/NIA2 re-key
 * a per-thread cached OpenSSL context (kept keyed with the last key used on that thread, so
 * consecutive messages under one key skip the key schedule); SNOW 3G and ZUC key per
 * message anyway. Any thread may use any context; the per-thread OpenSSL state is freed
 * when the thread exits.
 */
#ifndef SEN_CRYPTO_NXA_H
#define SEN_CRYPTO_NXA_H

#include <stddef.h>
#include <stdint.h>

enum sen_nxa_alg { SEN_NXA_0 = 0, SEN_NXA_1 = 1, SEN_NXA_2 = 2, SEN_NXA_3 = 3 };

/* The fields are private to nxa.c; set up with sen_nea_init() / sen_nia_init(). */
struct sen_nxa {
	uint8_t kind; /* 0: not set up (every use gives -SEN_EINVAL), else NEA or NIA */
	uint8_t alg;  /* 0..3 */
	uint8_t key[16];
};

/*
 * Set up `ctx` in place for ciphering (sen_nea_*) or integrity (sen_nia_*) with algorithm
 * `alg` (0..3) and `key`. Returns 0, or -SEN_EINVAL on a bad algorithm or NULL key (ctx is
 * then left not set up). A NEA context serves only sen_nea_apply() and a NIA context only
 * sen_nia_mac() (the other gives -SEN_EINVAL). sen_nxa_clear() wipes the key.
 */
int sen_nea_init(struct sen_nxa *ctx, int alg, const uint8_t key[16]);
int sen_nia_init(struct sen_nxa *ctx, int alg, const uint8_t key[16]);
void sen_nxa_clear(struct sen_nxa *ctx);

/*
 * Heap-allocated forms of the above. Return NULL on bad algorithm, NULL key or out of
 * memory.
 */
struct sen_nxa *sen_nea_new(int alg, const uint8_t key[16]);
struct sen_nxa *sen_nia_new(int alg, const uint8_t key[16]);
void sen_nxa_free(struct sen_nxa *ctx); /* wipes the key; NULL is fine */

/*
 * Encrypt or decrypt (the same operation) `len_bits` bits of `in` into `out` (may be equal).
 * Bits of the last byte past len_bits are set to zero in out. bearer < 32, dir 0 or 1.
 * Returns 0 or a negative error (-SEN_EINVAL on bad arguments, -SEN_EMSGSIZE if len_bits
 * does not fit the 32-bit LENGTH, -SEN_ECRYPTO if OpenSSL fails, -SEN_ENOMEM if this
 * thread's OpenSSL context cannot be allocated). in and out may be NULL when len_bits is 0.
 */
int sen_nea_apply(struct sen_nxa *ctx, uint32_t count, uint8_t bearer, uint8_t dir,
		  const uint8_t *in, uint8_t *out, size_t len_bits);

/*
 * Compute the 32-bit MAC over the first `len_bits` bits of `msg` (later bits of its last byte
 * are ignored). NIA0 gives 0. Errors as for sen_nea_apply(); msg may be NULL when len_bits
 * is 0.
 */
int sen_nia_mac(struct sen_nxa *ctx, uint32_t count, uint8_t bearer, uint8_t dir,
		const uint8_t *msg, size_t len_bits, uint8_t mac[4]);

/*
 * One-shot forms: set up a context, apply, wipe. Same results and errors; a bad algorithm
 * or NULL key gives -SEN_EINVAL. Nothing is allocated but this thread's OpenSSL context
 * (once per thread, NEA2/NIA2 only).
 */
int sen_nea(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *in, uint8_t *out, size_t len_bits);
int sen_nia(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *msg, size_t len_bits, uint8_t mac[4]);

#endif
