/*
 * sen-ransim UE: the USIM and the ME's part of 5G AKA.
 *
 * - AUTN check with Milenage (crypto/aka.h), then the checks the USIM makes before it
 *   answers (TS 33.102 6.3.3): MAC-A (else cause #20 "MAC failure"), the AMF separation bit
 *   for 5G (TS 33.501 6.1.3.2, TS 33.102 Annex H; else #26 "non-5G authentication
 *   unacceptable"), and SQN freshness (else #21 "synch failure" with AUTS).
 * - SQN freshness follows TS 33.102 Annex C.2.2 with the array of C.3.2: SQN = SEQ || IND
 *   (IND 5 bits), one SQN_MS per IND value; a SQN is fresh when its SEQ is above the SEQ
 *   stored for its IND and at most Δ = 2^28 above the highest SEQ accepted. AUTS carries the
 *   highest accepted SQN, from which the HE re-synchronises SQN_HE (TS 33.102 6.3.5).
 * - Keys (TS 33.501 Annex A): RES* (A.4), KAUSF (A.2), KSEAF (A.6), KAMF (A.7) with the
 *   serving network name and ABBA.
 * - SUCI (TS 33.501 6.12.2): concealed afresh for every use, with the null scheme or ECIES
 *   Profile A / B and the home network public key.
 */
#include "ue_int.h"

#include "core/err.h"
#include "core/log.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"

#include <openssl/crypto.h>
#include <string.h>

#define IND_MASK ((1u << UE_SQN_IND_BITS) - 1)

static uint64_t seq_of(uint64_t sqn)
{
	return sqn >> UE_SQN_IND_BITS;
}

void ue_usim_init_sqn(struct sen_ue *ue, uint64_t sqn)
{
	uint64_t seq = seq_of(sqn & 0xffffffffffffull);

	for (unsigned i = 0; i <= IND_MASK; i++)
		ue->sqn_ms[i] = (seq << UE_SQN_IND_BITS) | i;
}

/* The highest accepted SQN: the array entry with the largest SEQ (TS 33.102 C.2.2). */
static uint64_t sqn_highest(const struct sen_ue *ue)
{
	uint64_t best = ue->sqn_ms[0];

	for (unsigned i = 1; i <= IND_MASK; i++)
		if (seq_of(ue->sqn_ms[i]) > seq_of(best))
			best = ue->sqn_ms[i];
	return best;
}

/* TS 33.102 C.2.2: freshness of a received SQN. */
static bool sqn_fresh(const struct sen_ue *ue, uint64_t sqn)
{
	uint64_t seq = seq_of(sqn), seq_max = seq_of(sqn_highest(ue));

	if (seq <= seq_of(ue->sqn_ms[sqn & IND_MASK]))
		return false;
	if (seq > seq_max && seq - seq_max > UE_SQN_DELTA)
		return false;
	return true;
}

int ue_usim_authenticate(struct sen_ue *ue, const uint8_t rand[16], const uint8_t autn[16],
			 const uint8_t *abba, size_t abba_len, uint8_t res_star[16],
			 uint8_t kamf[32], uint8_t auts[14], enum ue_aka_result *result)
{
	uint8_t res[8], ck[16], ik[16], sqn[6], sqn_ms[6], kausf[32], kseaf[32];
	uint64_t sqn_v;
	int rc;

	rc = sen_aka_usim_check(ue->k, ue->opc, rand, autn, res, ck, ik, sqn);
	if (rc == -SEN_EAUTH) {
		*result = UE_AKA_MAC_FAILURE;
		return 0;
	}
	if (rc < 0)
		return rc;
	rc = 0;
	/* AMF is octets 6..7 of AUTN; the separation bit is its bit 0, the MSB (Annex H). */
	if (!(autn[6] & 0x80)) {
		*result = UE_AKA_NON_5G;
		goto out;
	}
	sqn_v = sen_aka_sqn_get(sqn);
	if (!sqn_fresh(ue, sqn_v)) {
		sen_aka_sqn_put(sqn_highest(ue), sqn_ms);
		rc = sen_aka_usim_auts(ue->k, ue->opc, rand, sqn_ms, auts);
		*result = UE_AKA_SYNCH_FAILURE;
		sen_log_ue_info(UE_MOD, ue->tag, "USIM: SQN not fresh (SEQ %llu, highest %llu)",
				(unsigned long long)seq_of(sqn_v),
				(unsigned long long)seq_of(sqn_highest(ue)));
		goto out;
	}
	/* SQN xor AK is the first 6 octets of AUTN (TS 33.501 A.2). */
	rc = sen_kdf_res_star(ck, ik, ue->snn, rand, res, sizeof(res), res_star);
	if (rc == 0)
		rc = sen_kdf_kausf(ck, ik, ue->snn, autn, kausf);
	if (rc == 0)
		rc = sen_kdf_kseaf(kausf, ue->snn, kseaf);
	if (rc == 0)
		rc = sen_kdf_kamf(kseaf, ue->supi, abba, abba_len, kamf);
	if (rc == 0) {
		ue->sqn_ms[sqn_v & IND_MASK] = sqn_v; /* accepted: C.2.2 */
		*result = UE_AKA_OK;
	}
out:
	OPENSSL_cleanse(res, sizeof(res));
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
	OPENSSL_cleanse(kausf, sizeof(kausf));
	OPENSSL_cleanse(kseaf, sizeof(kseaf));
	return rc;
}

int ue_usim_suci(struct sen_ue *ue, struct sen_nas_mobile_id *id)
{
	struct sen_suci *s = &id->suci;
	int rc;

	memset(id, 0, sizeof(*id));
	id->type = SEN_NAS_ID_SUCI;
	s->supi_type = SEN_SUPI_IMSI;
	strcpy(s->mcc, ue->mcc);
	strcpy(s->mnc, ue->mnc);
	strcpy(s->routing, ue->routing);
	s->hn_key_id = ue->suci_scheme == SEN_SUCI_NULL ? 0 : ue->hn_key_id;
	rc = sen_suci_conceal(s, ue->suci_scheme, ue->hn_pub, ue->hn_pub_len, NULL, ue->msin);
	if (rc < 0)
		sen_log_ue_error(UE_MOD, ue->tag, "SUCI concealment failed: %s", sen_strerror(rc));
	return rc;
}
