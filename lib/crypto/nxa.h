/*
 * The 128-bit 5G confidentiality (128-NEA0..3) and integrity (128-NIA0..3) algorithms,
 * TS 33.501 5.11.1 and Annex D: NEA1/NIA1 on SNOW 3G, NEA2/NIA2 on AES (CTR / CMAC, from
 * OpenSSL), NEA3/NIA3 on ZUC. The same algorithms serve NAS (TS 33.501 6.4) and the gNB's
 * PDCP, so the inputs are the generic KEY, COUNT, BEARER, DIRECTION and LENGTH (in bits).
 *
 * A keyed context is set up once per key (per UE and direction of use) and then applied
 * per message without any allocation; one-shot helpers wrap it for convenience.
 */
#ifndef SEN_CRYPTO_NXA_H
#define SEN_CRYPTO_NXA_H

#include <stddef.h>
#include <stdint.h>

enum sen_nxa_alg { SEN_NXA_0 = 0, SEN_NXA_1 = 1, SEN_NXA_2 = 2, SEN_NXA_3 = 3 };

struct sen_nxa; /* opaque keyed context */

/*
 * New context for ciphering (sen_nea_*) or integrity (sen_nia_*) with algorithm `alg` (0..3).
 * Returns NULL on bad algorithm, NULL key, out of memory or an OpenSSL failure. A NEA
 * context serves only sen_nea_apply() and a NIA context only sen_nia_mac() (the other gives
 * -SEN_EINVAL). A context may be used by one thread at a time.
 */
struct sen_nxa *sen_nea_new(int alg, const uint8_t key[16]);
struct sen_nxa *sen_nia_new(int alg, const uint8_t key[16]);
void sen_nxa_free(struct sen_nxa *ctx); /* wipes the key; NULL is fine */

/*
 * Encrypt or decrypt (the same operation) `len_bits` bits of `in` into `out` (may be equal).
 * Bits of the last byte past len_bits are set to zero in out. bearer < 32, dir 0 or 1.
 * Returns 0 or a negative error (-SEN_EINVAL on bad arguments, -SEN_EMSGSIZE if len_bits
 * does not fit the 32-bit LENGTH, -SEN_ECRYPTO if OpenSSL fails). in and out may be NULL
 * when len_bits is 0.
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
 * or NULL key gives -SEN_EINVAL. Only NEA2/NIA2 allocate (OpenSSL's context).
 */
int sen_nea(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *in, uint8_t *out, size_t len_bits);
int sen_nia(int alg, const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
	    const uint8_t *msg, size_t len_bits, uint8_t mac[4]);

#endif
