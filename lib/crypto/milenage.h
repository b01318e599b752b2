/*
 * MILENAGE authentication and key generation functions f1, f1*, f2, f3, f4, f5, f5*
 * (TS 35.206 clause 4), on AES-128 from OpenSSL. All inputs and outputs are
 * big-endian byte strings as printed in the specification.
 * Every function returns -SEN_EINVAL if a required pointer is NULL, -SEN_ECRYPTO if
 * OpenSSL fails, and is safe to call from several threads at once.
 */
#ifndef SEN_CRYPTO_MILENAGE_H
#define SEN_CRYPTO_MILENAGE_H

#include <stdint.h>

/* OPc = OP xor E_K(OP) (TS 35.206 4.1). Returns 0, -SEN_EINVAL or -SEN_ECRYPTO. */
int sen_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16]);

/*
 * f1 and f1*: network authentication code MAC-A and resynchronisation code MAC-S.
 * Either output pointer may be NULL. Returns 0, -SEN_EINVAL or -SEN_ECRYPTO.
 */
int sen_milenage_f1(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		    const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8],
		    uint8_t mac_s[8]);

/*
 * f2, f3, f4, f5: RES, CK, IK, AK. Any output pointer may be NULL.
 * Returns 0, -SEN_EINVAL or -SEN_ECRYPTO.
 */
int sen_milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		       uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6]);

/*
 * f5*: the anonymity key used in re-synchronisation (AUTS).
 * Returns 0, -SEN_EINVAL or -SEN_ECRYPTO.
 */
int sen_milenage_f5star(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
			uint8_t ak_star[6]);

#endif
