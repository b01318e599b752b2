/*
 * 5G AKA arithmetic on MILENAGE and the TS 33.501 Annex A KDFs:
 *
 *  - network side: the 5G HE AV (TS 33.501 6.1.3.2: RAND, AUTN, XRES*, KAUSF, and the
 *    HXRES* of the 5G SE AV) and re-synchronisation from AUTS (TS 33.102 6.3.5);
 *  - USIM side (for sen-ransim): checking AUTN (TS 33.102 6.3.3) and building AUTS.
 *
 * AUTN = (SQN xor AK) || AMF || MAC-A, AK = f5(RAND), MAC-A = f1(SQN, RAND, AMF)
 * (TS 33.102 6.3.2). AUTS = (SQN_MS xor AK*) || MAC-S, AK* = f5*(RAND),
 * MAC-S = f1*(SQN_MS, RAND, AMF*) with the dummy AMF* = 0x0000 (TS 33.102 6.3.3).
 * MACs are compared in constant time; intermediate values are wiped.
 */
#include "crypto/aka.h"

#include "core/err.h"
#include "crypto/kdf.h"
#include "crypto/milenage.h"

#include <openssl/crypto.h>
#include <string.h>

/* TS 33.102 6.3.3: "the AMF used to calculate MAC-S assumes a dummy value of all zeros". */
static const uint8_t amf_resync[2] = { 0x00, 0x00 };

int sen_aka_he_av(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		  const uint8_t sqn[6], const uint8_t amf[2], const char *snn,
		  struct sen_aka_he_av *av)
{
	if (!k || !opc || !rand || !sqn || !amf || !snn || !av)
		return -SEN_EINVAL;

	struct sen_aka_he_av v;
	uint8_t conc[6];
	memcpy(v.rand, rand, 16);

	/* TS 33.102 6.3.2: MAC-A = f1, XRES = f2, CK = f3, IK = f4, AK = f5. */
	int rc = sen_milenage_f1(k, opc, rand, sqn, amf, v.mac_a, NULL);
	if (rc == 0)
		rc = sen_milenage_f2345(k, opc, rand, v.xres, v.ck, v.ik, v.ak);
	if (rc == 0) {
		for (int i = 0; i < 6; i++)
			conc[i] = sqn[i] ^ v.ak[i];
		/* AUTN = SQN xor AK || AMF || MAC-A */
		memcpy(v.autn, conc, 6);
		memcpy(v.autn + 6, amf, 2);
		memcpy(v.autn + 8, v.mac_a, 8);
		/* TS 33.501 6.1.3.2 step 2: XRES* (A.4) and KAUSF (A.2). */
		rc = sen_kdf_res_star(v.ck, v.ik, snn, rand, v.xres, sizeof(v.xres), v.xres_star);
	}
	if (rc == 0)
		rc = sen_kdf_kausf(v.ck, v.ik, snn, conc, v.kausf);
	/* TS 33.501 6.1.3.2 step 4 / A.5: HXRES*, which the AUSF hands to the SEAF. */
	if (rc == 0)
		rc = sen_kdf_hres_star(rand, v.xres_star, v.hxres_star);
	if (rc == 0)
		memcpy(av, &v, sizeof(v));
	OPENSSL_cleanse(&v, sizeof(v));
	OPENSSL_cleanse(conc, sizeof(conc));
	return rc;
}

int sen_aka_resync(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		   const uint8_t auts[14], uint8_t sqn_ms[6])
{
	if (!k || !opc || !rand || !auts || !sqn_ms)
		return -SEN_EINVAL;

	uint8_t ak_star[6], sqn[6], xmac_s[8];
	/* TS 33.102 6.3.5: SQN_MS = Conc(SQN_MS) xor f5*(RAND) … */
	int rc = sen_milenage_f5star(k, opc, rand, ak_star);
	if (rc == 0) {
		for (int i = 0; i < 6; i++)
			sqn[i] = auts[i] ^ ak_star[i];
		/* … then XMAC-S = f1*(SQN_MS || RAND || AMF*) must equal MAC-S. */
		rc = sen_milenage_f1(k, opc, rand, sqn, amf_resync, NULL, xmac_s);
	}
	if (rc == 0 && CRYPTO_memcmp(xmac_s, auts + 6, 8) != 0)
		rc = -SEN_EAUTH;
	if (rc == 0)
		memcpy(sqn_ms, sqn, 6);
	OPENSSL_cleanse(ak_star, sizeof(ak_star));
	OPENSSL_cleanse(sqn, sizeof(sqn));
	OPENSSL_cleanse(xmac_s, sizeof(xmac_s));
	return rc;
}

int sen_aka_usim_check(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		       const uint8_t autn[16], uint8_t res[8], uint8_t ck[16], uint8_t ik[16],
		       uint8_t sqn[6])
{
	if (!k || !opc || !rand || !autn)
		return -SEN_EINVAL;

	uint8_t ak[6], s[6], xmac[8], r[8], c[16], i_[16];
	/* TS 33.102 6.3.3: AK = f5(RAND), SQN = (SQN xor AK) xor AK, with RES, CK, IK. */
	int rc = sen_milenage_f2345(k, opc, rand, r, c, i_, ak);
	if (rc == 0) {
		for (int i = 0; i < 6; i++)
			s[i] = autn[i] ^ ak[i];
		/* XMAC = f1(SQN || RAND || AMF), AMF as received in AUTN. */
		rc = sen_milenage_f1(k, opc, rand, s, autn + 6, xmac, NULL);
	}
	if (rc == 0 && CRYPTO_memcmp(xmac, autn + 8, 8) != 0)
		rc = -SEN_EAUTH;
	if (rc == 0) {
		if (res)
			memcpy(res, r, 8);
		if (ck)
			memcpy(ck, c, 16);
		if (ik)
			memcpy(ik, i_, 16);
		if (sqn)
			memcpy(sqn, s, 6);
	}
	OPENSSL_cleanse(ak, sizeof(ak));
	OPENSSL_cleanse(s, sizeof(s));
	OPENSSL_cleanse(xmac, sizeof(xmac));
	OPENSSL_cleanse(r, sizeof(r));
	OPENSSL_cleanse(c, sizeof(c));
	OPENSSL_cleanse(i_, sizeof(i_));
	return rc;
}

int sen_aka_usim_auts(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		      const uint8_t sqn_ms[6], uint8_t auts[14])
{
	if (!k || !opc || !rand || !sqn_ms || !auts)
		return -SEN_EINVAL;

	uint8_t ak_star[6], mac_s[8];
	/* TS 33.102 6.3.3: MAC-S = f1*(SQN_MS || RAND || AMF*), AK* = f5*(RAND). */
	int rc = sen_milenage_f1(k, opc, rand, sqn_ms, amf_resync, NULL, mac_s);
	if (rc == 0)
		rc = sen_milenage_f5star(k, opc, rand, ak_star);
	if (rc == 0) {
		/* AUTS = Conc(SQN_MS) || MAC-S, Conc(SQN_MS) = SQN_MS xor AK* */
		for (int i = 0; i < 6; i++)
			auts[i] = sqn_ms[i] ^ ak_star[i];
		memcpy(auts + 6, mac_s, 8);
	}
	OPENSSL_cleanse(ak_star, sizeof(ak_star));
	OPENSSL_cleanse(mac_s, sizeof(mac_s));
	return rc;
}

uint64_t sen_aka_sqn_get(const uint8_t sqn[6])
{
	uint64_t v = 0;

	if (!sqn)
		return 0;
	for (int i = 0; i < 6; i++)
		v = (v << 8) | sqn[i];
	return v;
}

void sen_aka_sqn_put(uint64_t v, uint8_t sqn[6])
{
	if (!sqn)
		return;
	for (int i = 5; i >= 0; i--) {
		sqn[i] = (uint8_t)v;
		v >>= 8;
	}
}
