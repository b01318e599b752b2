/*
 * Key derivation: the generic 3GPP KDF (TS 33.220 Annex B.2) and the 5G key hierarchy
 * derivations of TS 33.501 Annex A, plus CK'/IK' (TS 33.402 A.2) and KASME (TS 33.401 A.2).
 *
 * The generic KDF is HMAC-SHA-256(Key, S) with S = FC || P0 || L0 || P1 || L1 …,
 * Li the 2-byte big-endian length of Pi.
 *
 * Every function returns 0 on success, -SEN_EINVAL for a NULL pointer or a malformed /
 * reserved input value, -SEN_EMSGSIZE for a length out of range, -SEN_ECRYPTO if OpenSSL
 * fails. A serving network name (`snn`) is a NUL-terminated string of 1..1020 octets
 * (TS 24.501 9.12.1). The functions are safe to call from several threads at once.
 */
#ifndef SEN_CRYPTO_KDF_H
#define SEN_CRYPTO_KDF_H

#include <stddef.h>
#include <stdint.h>

struct sen_kdf_param {
	const uint8_t *p; /* may be NULL only when len is 0 */
	size_t len;       /* must fit in 16 bits (else -SEN_EMSGSIZE) */
};

/*
 * Generic KDF (TS 33.220 B.2). out receives 32 bytes. key_len must be > 0.
 * Returns 0, -SEN_EINVAL, -SEN_EMSGSIZE or -SEN_ECRYPTO.
 */
int sen_kdf(const uint8_t *key, size_t key_len, uint8_t fc, const struct sen_kdf_param *params,
	    size_t n_params, uint8_t out[32]);

/* Algorithm type distinguishers (TS 33.501 Table A.8-1). */
enum sen_kdf_alg_type {
	SEN_KDF_NAS_ENC = 0x01,
	SEN_KDF_NAS_INT = 0x02,
	SEN_KDF_RRC_ENC = 0x03,
	SEN_KDF_RRC_INT = 0x04,
	SEN_KDF_UP_ENC = 0x05,
	SEN_KDF_UP_INT = 0x06,
};

/* Access type distinguishers (TS 33.501 Table A.9-1). */
enum sen_kdf_access { SEN_KDF_ACCESS_3GPP = 0x01, SEN_KDF_ACCESS_NON3GPP = 0x02 };

/* A.2: KAUSF from CK||IK, serving network name and SQN xor AK (FC 0x6A). */
int sen_kdf_kausf(const uint8_t ck[16], const uint8_t ik[16], const char *snn,
		  const uint8_t sqn_xor_ak[6], uint8_t kausf[32]);

/*
 * A.4: RES* / XRES* (FC 0x6B): the 128 least significant bits of the KDF output.
 * res_len is 4..16 (A.4: L2 between 0x00 0x04 and 0x00 0x10).
 */
int sen_kdf_res_star(const uint8_t ck[16], const uint8_t ik[16], const char *snn,
		     const uint8_t rand[16], const uint8_t *res, size_t res_len,
		     uint8_t res_star[16]);

/* A.5: HRES* / HXRES* = the 128 least significant bits of SHA-256(RAND || (X)RES*). */
int sen_kdf_hres_star(const uint8_t rand[16], const uint8_t res_star[16], uint8_t hres_star[16]);

/* A.6: KSEAF from KAUSF and the serving network name (FC 0x6C). */
int sen_kdf_kseaf(const uint8_t kausf[32], const char *snn, uint8_t kseaf[32]);

/*
 * A.7: KAMF from KSEAF, the SUPI and ABBA (FC 0x6D). P0 is the SUPI without its
 * type prefix as TS 33.501 A.7.0 requires (IMSI digits for an IMSI, the NAI otherwise);
 * a leading "imsi-", "nai-", "gci-" or "gli-" (TS 29.571 5.3.2) is removed, and an
 * "imsi-" SUPI must then be 5..15 digits. abba_len is 1..65535.
 */
int sen_kdf_kamf(const uint8_t kseaf[32], const char *supi, const uint8_t *abba, size_t abba_len,
		 uint8_t kamf[32]);

/*
 * A.8: algorithm key (KNASenc, KNASint, KRRCenc …; FC 0x69), 128 least significant bits.
 * type is one of Table A.8-1; alg_id is 0..15 (its 4 most significant bits shall be 0).
 */
int sen_kdf_alg_key(const uint8_t key[32], enum sen_kdf_alg_type type, uint8_t alg_id,
		    uint8_t out[16]);

/*
 * A.9: KgNB / KN3IWF from KAMF, the uplink NAS COUNT and access type (FC 0x6E). The COUNT
 * enters S as 4 octets, most significant first.
 */
int sen_kdf_kgnb(const uint8_t kamf[32], uint32_t ul_nas_count, enum sen_kdf_access access,
		 uint8_t kgnb[32]);

/* A.10: NH from KAMF and SYNC-input (KgNB or the previous NH) (FC 0x6F). */
int sen_kdf_nh(const uint8_t kamf[32], const uint8_t sync_input[32], uint8_t nh[32]);

/*
 * A.13: KAMF' derived at mobility from KAMF (FC 0x72, P0 = DIRECTION, P1 = COUNT as 4
 * octets, most significant first). direction 0x00: idle-mode mobility (mobility
 * registration update), count = the uplink NAS COUNT of the Registration Request;
 * 0x01: handover, count = the downlink NAS COUNT. Other directions: -SEN_EINVAL.
 */
int sen_kdf_kamf_prime(const uint8_t kamf[32], uint8_t direction, uint32_t count,
		       uint8_t kamf_prime[32]);

/*
 * TS 33.402 A.2 (EAP-AKA'): CK' || IK' from CK||IK, access network identity, SQN xor AK
 * (FC 0x20). CK' is the most significant half of the KDF output, IK' the least.
 * For 5G the access network identity is the serving network name (1..1020 octets).
 */
int sen_kdf_ck_ik_prime(const uint8_t ck[16], const uint8_t ik[16], const char *net_name,
			const uint8_t sqn_xor_ak[6], uint8_t ck_prime[16], uint8_t ik_prime[16]);

/* TS 33.401 A.2: KASME from CK||IK, serving network id (3-byte PLMN), SQN xor AK (FC 0x10). */
int sen_kdf_kasme(const uint8_t ck[16], const uint8_t ik[16], const uint8_t plmn[3],
		  const uint8_t sqn_xor_ak[6], uint8_t kasme[32]);

/*
 * Serving network name (TS 24.501 9.12.1): "5G:mnc<MNC>.mcc<MCC>.3gppnetwork.org", the MNC
 * padded to three digits with a leading zero. mcc must be 3 digits, mnc 2 or 3 digits.
 * Writes at most `cap` bytes including the NUL (the name is always 32 characters, so
 * cap >= 33). Returns the string length, or -SEN_EINVAL / -SEN_EMSGSIZE.
 */
int sen_kdf_snn(const char *mcc, const char *mnc, char *out, size_t cap);

#endif
