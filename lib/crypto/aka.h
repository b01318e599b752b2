/*
 * 5G AKA arithmetic: home-environment authentication vectors, AUTN, SQN concealment and
 * re-synchronisation from AUTS (TS 33.501 6.1.3.2; TS 33.102 6.3 and 6.3.5).
 * Both sides are here: the network side (UDM/AUSF) and the USIM side (used by sen-ransim).
 * Functions returning int give -SEN_EINVAL for a NULL required pointer or a bad `snn`
 * (see crypto/kdf.h) and -SEN_ECRYPTO if OpenSSL fails; on any error no output is written.
 */
#ifndef SEN_CRYPTO_AKA_H
#define SEN_CRYPTO_AKA_H

#include <stddef.h>
#include <stdint.h>

/* 5G home-environment authentication vector and the values it was built from. */
struct sen_aka_he_av {
	uint8_t rand[16];
	uint8_t autn[16];      /* (SQN xor AK) || AMF || MAC-A */
	uint8_t xres[8];       /* f2 output (RES) */
	uint8_t xres_star[16]; /* TS 33.501 A.4 */
	uint8_t hxres_star[16];/* TS 33.501 A.5 */
	uint8_t kausf[32];     /* TS 33.501 A.2 */
	uint8_t ck[16], ik[16], ak[6], mac_a[8];
};

/*
 * Build a 5G HE AV for the given RAND (the caller draws it) and SQN (TS 33.501 6.1.3.2).
 * `snn` is the serving network name. The caller chooses AMF; for 5G its separation bit
 * (bit 0) must be 1 (TS 33.501 6.1.3.2, TS 33.102 Annex H); it is not checked here.
 * Returns 0 or a negative error.
 */
int sen_aka_he_av(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		  const uint8_t sqn[6], const uint8_t amf[2], const char *snn,
		  struct sen_aka_he_av *av);

/*
 * Network side of re-synchronisation (TS 33.102 6.3.5): from RAND and AUTS =
 * (SQN_MS xor AK*) || MAC-S recover SQN_MS and verify MAC-S, computed with AMF = 0x0000
 * (TS 33.102 6.3.3). Returns 0 with sqn_ms set, or -SEN_EAUTH if MAC-S does not verify.
 */
int sen_aka_resync(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		   const uint8_t auts[14], uint8_t sqn_ms[6]);

/*
 * USIM side: check AUTN against RAND (TS 33.102 6.3.3). Recovers SQN and verifies MAC-A;
 * returns -SEN_EAUTH if the MAC does not verify (outputs untouched). On success fills RES
 * (8 bytes), CK, IK and the SQN (any output may be NULL). Judging SQN freshness and the
 * AMF separation bit is the caller's job.
 */
int sen_aka_usim_check(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		       const uint8_t autn[16], uint8_t res[8], uint8_t ck[16], uint8_t ik[16],
		       uint8_t sqn[6]);

/*
 * USIM side: AUTS = (SQN_MS xor AK*) || MAC-S with AMF = 0x0000 (TS 33.102 6.3.3).
 * Returns 0, -SEN_EINVAL or -SEN_ECRYPTO.
 */
int sen_aka_usim_auts(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		      const uint8_t sqn_ms[6], uint8_t auts[14]);

/*
 * 48-bit SQN as an integer and back (big-endian 6 bytes). put keeps the 48 least
 * significant bits of v. A NULL sqn gives 0 / writes nothing.
 */
uint64_t sen_aka_sqn_get(const uint8_t sqn[6]);
void sen_aka_sqn_put(uint64_t v, uint8_t sqn[6]);

#endif
