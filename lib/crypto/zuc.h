/*
 * ZUC, the stream cipher under 128-NEA3 / 128-NIA3 (TS 33.501 D.2.1.4, D.3.1.4), and the two
 * 3GPP algorithms built on it: 128-EEA3 (confidentiality) and 128-EIA3 (integrity).
 *
 * Specifications: ETSI/SAGE "Specification of the 3GPP Confidentiality and Integrity
 * Algorithms 128-EEA3 & 128-EIA3", Document 1 (EEA3 and EIA3, v1.7, = TS 35.221) and
 * Document 2 (ZUC, v1.6, = TS 35.222). 128-NEA3 is 128-EEA3 and 128-NIA3 is 128-EIA3
 * (TS 33.401 B.1.4 / B.2.4); lib/crypto/nxa.h is the interface the rest of Sen uses.
 *
 * Bit order follows the specifications: bit 0 of a byte string is the most significant bit
 * of its first byte; 32-bit words are big-endian.
 */
#ifndef SEN_CRYPTO_ZUC_H
#define SEN_CRYPTO_ZUC_H

#include <stddef.h>
#include <stdint.h>

/* Generator state: the LFSR cells s0..s15 (31 bits each, s[0] = s0) and R1, R2 of F. */
struct sen_zuc {
	uint32_t s[16];
	uint32_t r1, r2;
};

/*
 * ZUC Document 2, 3.5 and 3.6: key loading from the 128-bit key and IV (byte i = k_i / iv_i)
 * and the 32 initialisation rounds, plus the first working round whose output is discarded
 * (working stage), so the next word that sen_zuc_keystream() returns is Z_1.
 */
void sen_zuc_init(struct sen_zuc *st, const uint8_t key[16], const uint8_t iv[16]);

/* ZUC Document 2, 3.6 (working stage): write the next n keystream words to z. */
void sen_zuc_keystream(struct sen_zuc *st, uint32_t *z, size_t n);

/*
 * 128-EEA3 (Document 1): encrypt or decrypt len_bits bits of `in` into `out` with
 * the confidentiality key `key`. in == out is allowed (no other overlap). Only
 * ceil(len_bits / 8) bytes are read and written; the bits of the last byte past len_bits are
 * set to zero in out. The caller checks its arguments: bearer is taken mod 32, dir mod 2.
 */
void sen_zuc_eea3(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		  const uint8_t *in, uint8_t *out, size_t len_bits);

/*
 * 128-EIA3 (Document 1): the 32-bit MAC (as a big-endian word) over the first
 * len_bits bits of msg with integrity key `key`. Bits past len_bits are ignored. bearer is
 * taken mod 32, dir mod 2.
 */
uint32_t sen_zuc_eia3(const uint8_t key[16], uint32_t count, uint8_t bearer, uint8_t dir,
		      const uint8_t *msg, uint32_t len_bits);

/*
 * EIA3 combines message and keystream bits with PCLMULQDQ when the CPU has it, else with a
 * portable 4-bit table method; both give the same MACs. on = 0 forces the portable path
 * (tests and benchmarks use this), on = 1 returns to automatic choice. Returns 1 if
 * PCLMULQDQ is now in use. Set it before MACs are computed on other threads, not while they
 * run.
 */
int sen_zuc_clmul(int on);

#endif
