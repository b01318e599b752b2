/*
 * SNOW 3G, the stream cipher under 128-NEA1 / 128-NIA1 (TS 33.501 D.2.1.2, D.3.1.2), and the
 * two 3GPP algorithms built on it: UEA2 (f8, confidentiality) and UIA2 (f9, integrity).
 *
 * Specifications: ETSI/SAGE "Specification of the 3GPP Confidentiality and Integrity
 * Algorithms UEA2 & UIA2", Document 1 (UEA2 and UIA2, = TS 35.215) and Document 2 (SNOW 3G,
 * = TS 35.216). 128-NEA1 is UEA2 and 128-NIA1 is UIA2 with the mapping of TS 33.401 B.1.2
 * and B.2.2; lib/crypto/nxa.h is the interface the rest of Sen uses.
 *
 * Bit order follows the specifications: bit 0 of a byte string is the most significant bit
 * of its first byte; 32-bit words are big-endian.
 */
#ifndef SEN_CRYPTO_SNOW3G_H
#define SEN_CRYPTO_SNOW3G_H

#include <stddef.h>
#include <stdint.h>

/* Generator state: the LFSR s0..s15 (s[0] = s0) and the FSM registers R1, R2, R3. */
struct sen_snow3g {
	uint32_t s[16];
	uint32_t r1, r2, r3;
};

/*
 * SNOW 3G Document 2, initialisation: load the key words k[i] = k_i and the IV words
 * iv[i] = IV_i (subscripts as in the specification: k3 holds the first 32 bits of the key),
 * run the 32 initialisation clocks and the one discarded clock, so the next word that
 * sen_snow3g_keystream() returns is z1.
 */
void sen_snow3g_init(struct sen_snow3g *st, const uint32_t k[4], const uint32_t iv[4]);

/* SNOW 3G Document 2, keystream generation: write the next n keystream words z_t to z. */
void sen_snow3g_keystream(struct sen_snow3g *st, uint32_t *z, size_t n);

/*
 * UEA2 (f8) of Document 1, which is 128-NEA1 (TS 33.401 B.1.2): encrypt or decrypt
 * len_bits bits of `in` into `out` with the 128-bit key `key` (CK, first byte = CK[0..7]).
 * in == out is allowed (no other overlap). Only ceil(len_bits / 8) bytes are read and
 * written; the bits of the last byte past len_bits are set to zero in out. The caller
 * checks its arguments: bearer is taken mod 32 and dir mod 2.
 */
void sen_snow3g_f8(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		   const uint8_t *in, uint8_t *out, size_t len_bits);

/*
 * UIA2 (f9) of Document 1: the 32-bit MAC-I (as a big-endian word) over the first
 * len_bits bits of msg, with integrity key `key`, COUNT-I `count`, FRESH `fresh` and
 * direction `dir` (taken mod 2). Bits of msg past len_bits are ignored. 128-NIA1 is this
 * with fresh = BEARER << 27 (TS 33.401 B.2.2).
 */
uint32_t sen_snow3g_f9(const uint8_t key[16], uint32_t count, uint32_t fresh, uint8_t dir,
		       const uint8_t *msg, uint64_t len_bits);

/*
 * UIA2 multiplies in GF(2^64) with PCLMULQDQ when the CPU has it, else with a portable
 * 4-bit table method; both give the same MACs. on = 0 forces the portable path (tests and
 * benchmarks use this), on = 1 returns to automatic choice. Returns 1 if PCLMULQDQ is now in
 * use. Set it before MACs are computed on other threads, not while they run.
 */
int sen_snow3g_clmul(int on);

#endif
