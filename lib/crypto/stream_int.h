/*
 * lib/crypto internals shared by the two 32-bit-word stream ciphers, SNOW 3G (snow3g.c:
 * UEA2/UIA2 = 128-NEA1/NIA1) and ZUC (zuc.c: 128-EEA3/EIA3 = 128-NEA3/NIA3): big-endian
 * word access, the confidentiality loop that adds the keystream to the data (UEA2 and
 * 128-EEA3 both use keystream words as 32-bit big-endian bit strings from the left and
 * zero the bits past LENGTH in the last byte), and the run-time choice of the PCLMULQDQ
 * integrity paths. All static inline so that the per-word code is compiled into each
 * cipher as before. Not for use outside lib/crypto.
 */
#ifndef SEN_CRYPTO_STREAM_INT_H
#define SEN_CRYPTO_STREAM_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SEN_CRYPTO_X86 1 /* PCLMULQDQ paths are compiled; used when the CPU has it */
#endif

static inline uint32_t sen_load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t sen_load_be64(const uint8_t *p)
{
	return (uint64_t)sen_load_be32(p) << 32 | sen_load_be32(p + 4);
}

static inline void sen_store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The word whose in-memory bytes are v in big-endian order. */
static inline uint32_t sen_to_be32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

/* out = in ^ the first n bytes of the keystream words z (n <= 4 * words). */
static inline void sen_xor_keystream(uint8_t *out, const uint8_t *in, const uint32_t *z, size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		uint32_t w;

		memcpy(&w, in + i, 4);
		w ^= sen_to_be32(z[i / 4]);
		memcpy(out + i, &w, 4);
	}
	for (; i < n; i++)
		out[i] = in[i] ^ (uint8_t)(z[i / 4] >> (24 - 8 * (i % 4)));
}

/*
 * out = in ^ keystream for len_bits bits (UEA2 / 128-EEA3 "encryption/decryption"), the
 * keystream taken 16 words at a time from ks(st, z, n) of an initialised cipher state; the
 * bits of the last byte past len_bits are zeroed. in and out may be the same buffer.
 * Inline, so that ks (a constant at each call site) becomes a direct call.
 */
static inline void sen_stream_crypt(void *st, void (*ks)(void *st, uint32_t *z, size_t n),
				    const uint8_t *in, uint8_t *out, size_t len_bits)
{
	uint32_t z[16];
	size_t left = len_bits / 8 + ((len_bits & 7) != 0);

	while (left) {
		size_t n = left < sizeof(z) ? left : sizeof(z);
		size_t words = (n + 3) / 4;

		ks(st, z, words);
		sen_xor_keystream(out, in, z, n);
		in += n;
		out += n;
		left -= n;
	}
	if (len_bits & 7)
		out[-1] &= (uint8_t)(0xff << (8 - (len_bits & 7)));
}

/* Whether this CPU has PCLMULQDQ (and SSE2) for the carry-less integrity paths. */
static inline int sen_clmul_available(void)
{
#ifdef SEN_CRYPTO_X86
	__builtin_cpu_init();
	return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
#else
	return 0;
#endif
}

/*
 * One algorithm's choice of path, *use: -1 not yet decided, 0 portable, 1 PCLMULQDQ. Atomic
 * (relaxed) so that threads may race on the first decision: they all store the same value.
 */
static inline int sen_clmul_set(atomic_int *use, int on)
{
	int v = on && sen_clmul_available();

	atomic_store_explicit(use, v, memory_order_relaxed);
	return v;
}

static inline int sen_clmul_get(atomic_int *use)
{
	int v = atomic_load_explicit(use, memory_order_relaxed);

	return v < 0 ? sen_clmul_set(use, 1) : v;
}

#endif
