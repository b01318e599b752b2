/*
 * Key derivation for 5G (and the EPS / EAP-AKA' derivations a 5G core needs):
 *
 *  - the generic 3GPP KDF, TS 33.220 B.2: derived key = HMAC-SHA-256(Key, S) with
 *    S = FC || P0 || L0 || P1 || L1 || …, Li the length of Pi in octets as a 2-octet
 *    big-endian number; character strings are UTF-8 without a terminating NUL
 *    (TS 33.220 B.2.1.2);
 *  - the derivations of TS 33.501 Annex A (A.2 KAUSF, A.4 RES*, A.5 HRES*, A.6 KSEAF,
 *    A.7 KAMF, A.8 algorithm keys, A.9 KgNB/KN3IWF, A.10 NH, A.13 KAMF'), TS 33.402 A.2
 *    (CK'/IK') and TS 33.401 A.2 (KASME);
 *  - the serving network name of TS 24.501 9.12.1.
 *
 * S is fed to HMAC piece by piece, so nothing is allocated per call. The HMAC and SHA-256
 * contexts are per thread; the HMAC context is re-keyed with a fixed dummy key at the end
 * of every derivation so the pads of the real key do not outlive the call.
 */
#include "crypto/kdf.h"

#include "core/err.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <string.h>

/* FC values (TS 33.220 Annex B, allocations of TS 33.501 A.1, 33.401 A, 33.402 A). */
enum {
	FC_KASME = 0x10,      /* TS 33.401 A.2 */
	FC_CK_IK_PRIME = 0x20, /* TS 33.402 A.2 */
	FC_ALG_KEY = 0x69,    /* TS 33.501 A.8 */
	FC_KAUSF = 0x6A,      /* TS 33.501 A.2 */
	FC_RES_STAR = 0x6B,   /* TS 33.501 A.4 */
	FC_KSEAF = 0x6C,      /* TS 33.501 A.6 */
	FC_KAMF = 0x6D,       /* TS 33.501 A.7 */
	FC_KGNB = 0x6E,       /* TS 33.501 A.9 */
	FC_NH = 0x6F,         /* TS 33.501 A.10 */
	FC_KAMF_PRIME = 0x72, /* TS 33.501 A.13 */
};

/* TS 24.501 9.12.1: "SNN is of maximum length of 1020 octets". */
#define SNN_MAX 1020

struct kdf_tls {
	EVP_MAC_CTX *hmac;
	EVP_MD_CTX *sha;
};

static pthread_once_t kdf_once = PTHREAD_ONCE_INIT;
static pthread_key_t kdf_key;
static EVP_MAC *hmac_alg;  /* fetched once, kept for the life of the process */
static EVP_MD *sha256_alg; /* idem */
static int kdf_ready;

static void kdf_tls_free(void *p)
{
	struct kdf_tls *t = p;

	if (t) {
		EVP_MAC_CTX_free(t->hmac);
		EVP_MD_CTX_free(t->sha);
		OPENSSL_free(t);
	}
}

static void kdf_init_once(void)
{
	hmac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
	sha256_alg = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!hmac_alg || !sha256_alg || pthread_key_create(&kdf_key, kdf_tls_free) != 0) {
		EVP_MAC_free(hmac_alg);
		EVP_MD_free(sha256_alg);
		hmac_alg = NULL;
		sha256_alg = NULL;
		return;
	}
	kdf_ready = 1;
}

/* This thread's contexts, created on first use; NULL on failure. */
static struct kdf_tls *kdf_tls(void)
{
	if (pthread_once(&kdf_once, kdf_init_once) != 0 || !kdf_ready)
		return NULL;
	struct kdf_tls *t = pthread_getspecific(kdf_key);
	if (t)
		return t;

	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_end(),
	};
	t = OPENSSL_zalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->hmac = EVP_MAC_CTX_new(hmac_alg);
	t->sha = EVP_MD_CTX_new();
	if (!t->hmac || !t->sha || EVP_MAC_CTX_set_params(t->hmac, params) != 1 ||
	    pthread_setspecific(kdf_key, t) != 0) {
		kdf_tls_free(t);
		return NULL;
	}
	return t;
}

/* Re-key the HMAC context with a dummy key so the real key's pads are overwritten. */
static void hmac_scrub(struct kdf_tls *t)
{
	static const uint8_t dummy[32];

	if (EVP_MAC_init(t->hmac, dummy, sizeof(dummy), NULL) != 1) {
		/* Cannot overwrite: drop the context (OpenSSL clears it on free). */
		pthread_setspecific(kdf_key, NULL);
		kdf_tls_free(t);
	}
}

/* The generic KDF on already validated arguments (TS 33.220 B.2.0). */
static int kdf_run(const uint8_t *key, size_t key_len, uint8_t fc,
		   const struct sen_kdf_param *params, size_t n_params, uint8_t out[32])
{
	struct kdf_tls *t = kdf_tls();
	if (!t)
		return -SEN_ECRYPTO;

	int ok = EVP_MAC_init(t->hmac, key, key_len, NULL) == 1 &&
		 EVP_MAC_update(t->hmac, &fc, 1) == 1;
	for (size_t i = 0; ok && i < n_params; i++) {
		uint8_t l[2] = { (uint8_t)(params[i].len >> 8), (uint8_t)params[i].len };
		if (params[i].len)
			ok = EVP_MAC_update(t->hmac, params[i].p, params[i].len) == 1;
		ok = ok && EVP_MAC_update(t->hmac, l, 2) == 1;
	}
	size_t n = 0;
	ok = ok && EVP_MAC_final(t->hmac, out, &n, 32) == 1 && n == 32;
	hmac_scrub(t);
	if (!ok) {
		OPENSSL_cleanse(out, 32);
		return -SEN_ECRYPTO;
	}
	return 0;
}

int sen_kdf(const uint8_t *key, size_t key_len, uint8_t fc, const struct sen_kdf_param *params,
	    size_t n_params, uint8_t out[32])
{
	if (!key || key_len == 0 || !out || (n_params && !params))
		return -SEN_EINVAL;
	for (size_t i = 0; i < n_params; i++) {
		if (params[i].len > 0xFFFF)
			return -SEN_EMSGSIZE;
		if (params[i].len && !params[i].p)
			return -SEN_EINVAL;
	}
	return kdf_run(key, key_len, fc, params, n_params, out);
}

/* Length of a serving network name, or a negative error (TS 24.501 9.12.1). */
static int snn_len(const char *snn, size_t *len)
{
	if (!snn)
		return -SEN_EINVAL;
	size_t n = strnlen(snn, SNN_MAX + 1);
	if (n == 0)
		return -SEN_EINVAL;
	if (n > SNN_MAX)
		return -SEN_EMSGSIZE;
	*len = n;
	return 0;
}

/* KDF keyed with CK || IK, the key of A.2, A.4, TS 33.402 A.2 and TS 33.401 A.2. */
static int kdf_ckik(const uint8_t ck[16], const uint8_t ik[16], uint8_t fc,
		    const struct sen_kdf_param *params, size_t n, uint8_t out[32])
{
	uint8_t key[32];

	memcpy(key, ck, 16);
	memcpy(key + 16, ik, 16);
	int rc = kdf_run(key, sizeof(key), fc, params, n, out);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int sen_kdf_kausf(const uint8_t ck[16], const uint8_t ik[16], const char *snn,
		  const uint8_t sqn_xor_ak[6], uint8_t kausf[32])
{
	size_t len = 0;

	if (!ck || !ik || !sqn_xor_ak || !kausf)
		return -SEN_EINVAL;
	int rc = snn_len(snn, &len);
	if (rc < 0)
		return rc;
	/* TS 33.501 A.2: FC 0x6A, P0 = serving network name, P1 = SQN xor AK (6 octets). */
	const struct sen_kdf_param p[] = {
		{ (const uint8_t *)snn, len },
		{ sqn_xor_ak, 6 },
	};
	return kdf_ckik(ck, ik, FC_KAUSF, p, 2, kausf);
}

int sen_kdf_res_star(const uint8_t ck[16], const uint8_t ik[16], const char *snn,
		     const uint8_t rand[16], const uint8_t *res, size_t res_len,
		     uint8_t res_star[16])
{
	size_t len = 0;
	uint8_t out[32];

	if (!ck || !ik || !rand || !res || !res_star)
		return -SEN_EINVAL;
	/* TS 33.501 A.4: L2 "variable length between 0x00 0x04 and 0x00 0x10". */
	if (res_len < 4 || res_len > 16)
		return -SEN_EMSGSIZE;
	int rc = snn_len(snn, &len);
	if (rc < 0)
		return rc;
	/* TS 33.501 A.4: FC 0x6B, P0 = serving network name, P1 = RAND, P2 = (X)RES. */
	const struct sen_kdf_param p[] = {
		{ (const uint8_t *)snn, len },
		{ rand, 16 },
		{ res, res_len },
	};
	rc = kdf_ckik(ck, ik, FC_RES_STAR, p, 3, out);
	if (rc == 0)
		memcpy(res_star, out + 16, 16); /* the 128 least significant bits */
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}

int sen_kdf_hres_star(const uint8_t rand[16], const uint8_t res_star[16], uint8_t hres_star[16])
{
	if (!rand || !res_star || !hres_star)
		return -SEN_EINVAL;
	struct kdf_tls *t = kdf_tls();
	if (!t)
		return -SEN_ECRYPTO;

	/* TS 33.501 A.5: SHA-256(RAND || (X)RES*); H(X)RES* = its 128 least significant bits. */
	uint8_t md[32];
	unsigned n = 0;
	if (EVP_DigestInit_ex2(t->sha, sha256_alg, NULL) != 1 ||
	    EVP_DigestUpdate(t->sha, rand, 16) != 1 ||
	    EVP_DigestUpdate(t->sha, res_star, 16) != 1 ||
	    EVP_DigestFinal_ex(t->sha, md, &n) != 1 || n != 32)
		return -SEN_ECRYPTO;
	memcpy(hres_star, md + 16, 16);
	return 0;
}

int sen_kdf_kseaf(const uint8_t kausf[32], const char *snn, uint8_t kseaf[32])
{
	size_t len = 0;

	if (!kausf || !kseaf)
		return -SEN_EINVAL;
	int rc = snn_len(snn, &len);
	if (rc < 0)
		return rc;
	/* TS 33.501 A.6: FC 0x6C, P0 = serving network name, KEY = KAUSF. */
	const struct sen_kdf_param p[] = { { (const uint8_t *)snn, len } };
	return kdf_run(kausf, 32, FC_KSEAF, p, 1, kseaf);
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * P0 of A.7 from a SUPI: without its type prefix (TS 29.571 5.3.2 "imsi-", "nai-", "gci-",
 * "gli-"). An "imsi-" SUPI must be 5 to 15 digits. Returns 0 and sets *p0 / *len.
 */
static int supi_p0(const char *supi, const char **p0, size_t *len)
{
	static const char *const prefixes[] = { "imsi-", "nai-", "gci-", "gli-" };
	const char *s = supi;
	int is_imsi = 0;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t pl = strlen(prefixes[i]);
		if (strncmp(supi, prefixes[i], pl) == 0) {
			s = supi + pl;
			is_imsi = i == 0;
			break;
		}
	}
	size_t n = strnlen(s, 0x10000);
	if (n == 0)
		return -SEN_EINVAL;
	if (n > 0xFFFF)
		return -SEN_EMSGSIZE;
	/* TS 23.003 2.2: an IMSI is at most 15 digits; TS 29.571 5.3.2: at least 5. */
	if (is_imsi && (n < 5 || n > 15 || !all_digits(s, n)))
		return -SEN_EINVAL;
	*p0 = s;
	*len = n;
	return 0;
}

int sen_kdf_kamf(const uint8_t kseaf[32], const char *supi, const uint8_t *abba, size_t abba_len,
		 uint8_t kamf[32])
{
	const char *p0 = NULL;
	size_t p0_len = 0;

	if (!kseaf || !supi || !abba || !kamf)
		return -SEN_EINVAL;
	/* TS 33.501 A.7.1: ABBA is of variable length (0x0000 today). */
	if (abba_len == 0 || abba_len > 0xFFFF)
		return -SEN_EMSGSIZE;
	int rc = supi_p0(supi, &p0, &p0_len);
	if (rc < 0)
		return rc;
	/*
	 * TS 33.501 A.7.0: FC 0x6D, P0 = the IMSI (TS 23.003 2.2) or NAI as a character
	 * string, P1 = ABBA, KEY = KSEAF.
	 */
	const struct sen_kdf_param p[] = {
		{ (const uint8_t *)p0, p0_len },
		{ abba, abba_len },
	};
	return kdf_run(kseaf, 32, FC_KAMF, p, 2, kamf);
}

int sen_kdf_alg_key(const uint8_t key[32], enum sen_kdf_alg_type type, uint8_t alg_id,
		    uint8_t out[16])
{
	uint8_t full[32];

	if (!key || !out)
		return -SEN_EINVAL;
	/* TS 33.501 Table A.8-1: 0x01 .. 0x06 are defined; the rest is reserved. */
	if (type < SEN_KDF_NAS_ENC || type > SEN_KDF_UP_INT)
		return -SEN_EINVAL;
	/* TS 33.501 A.8: the identity sits in the 4 LSBs; the 4 MSBs shall be zero. */
	if (alg_id > 0x0F)
		return -SEN_EINVAL;
	uint8_t t = (uint8_t)type;
	/* TS 33.501 A.8: FC 0x69, P0 = algorithm type distinguisher, P1 = algorithm identity. */
	const struct sen_kdf_param p[] = { { &t, 1 }, { &alg_id, 1 } };
	int rc = kdf_run(key, 32, FC_ALG_KEY, p, 2, full);
	if (rc == 0)
		memcpy(out, full + 16, 16); /* n = 128 least significant bits */
	OPENSSL_cleanse(full, sizeof(full));
	return rc;
}

static void put_be32(uint32_t v, uint8_t b[4])
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

int sen_kdf_kgnb(const uint8_t kamf[32], uint32_t ul_nas_count, enum sen_kdf_access access,
		 uint8_t kgnb[32])
{
	uint8_t count[4];

	if (!kamf || !kgnb)
		return -SEN_EINVAL;
	/* TS 33.501 Table A.9-1: 0x01 3GPP, 0x02 non-3GPP; the rest is reserved. */
	if (access != SEN_KDF_ACCESS_3GPP && access != SEN_KDF_ACCESS_NON3GPP)
		return -SEN_EINVAL;
	uint8_t a = (uint8_t)access;
	put_be32(ul_nas_count, count);
	/* TS 33.501 A.9: FC 0x6E, P0 = uplink NAS COUNT (4 octets), P1 = access type. */
	const struct sen_kdf_param p[] = { { count, 4 }, { &a, 1 } };
	return kdf_run(kamf, 32, FC_KGNB, p, 2, kgnb);
}

int sen_kdf_nh(const uint8_t kamf[32], const uint8_t sync_input[32], uint8_t nh[32])
{
	if (!kamf || !sync_input || !nh)
		return -SEN_EINVAL;
	/* TS 33.501 A.10: FC 0x6F, P0 = SYNC-input (KgNB or the previous NH, 32 octets). */
	const struct sen_kdf_param p[] = { { sync_input, 32 } };
	return kdf_run(kamf, 32, FC_NH, p, 1, nh);
}

int sen_kdf_kamf_prime(const uint8_t kamf[32], uint8_t direction, uint32_t count,
		       uint8_t kamf_prime[32])
{
	uint8_t c[4];

	if (!kamf || !kamf_prime)
		return -SEN_EINVAL;
	/* TS 33.501 A.13: DIRECTION 0x00 (idle mobility, UL COUNT) or 0x01 (handover, DL). */
	if (direction > 1)
		return -SEN_EINVAL;
	put_be32(count, c);
	/* TS 33.501 A.13: FC 0x72, P0 = DIRECTION (1 octet), P1 = COUNT (4 octets). */
	const struct sen_kdf_param p[] = { { &direction, 1 }, { c, 4 } };
	return kdf_run(kamf, 32, FC_KAMF_PRIME, p, 2, kamf_prime);
}

int sen_kdf_ck_ik_prime(const uint8_t ck[16], const uint8_t ik[16], const char *net_name,
			const uint8_t sqn_xor_ak[6], uint8_t ck_prime[16], uint8_t ik_prime[16])
{
	size_t len = 0;
	uint8_t out[32];

	if (!ck || !ik || !sqn_xor_ak || !ck_prime || !ik_prime)
		return -SEN_EINVAL;
	int rc = snn_len(net_name, &len);
	if (rc < 0)
		return rc;
	/* TS 33.402 A.2: FC 0x20, P0 = access network identity, P1 = SQN xor AK. */
	const struct sen_kdf_param p[] = {
		{ (const uint8_t *)net_name, len },
		{ sqn_xor_ak, 6 },
	};
	rc = kdf_ckik(ck, ik, FC_CK_IK_PRIME, p, 2, out);
	if (rc == 0) {
		/* TS 33.402 A.2: CK' || IK' = KDF(CK || IK, S): CK' is the most significant half. */
		memcpy(ck_prime, out, 16);
		memcpy(ik_prime, out + 16, 16);
	}
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}

int sen_kdf_kasme(const uint8_t ck[16], const uint8_t ik[16], const uint8_t plmn[3],
		  const uint8_t sqn_xor_ak[6], uint8_t kasme[32])
{
	if (!ck || !ik || !plmn || !sqn_xor_ak || !kasme)
		return -SEN_EINVAL;
	/* TS 33.401 A.2: FC 0x10, P0 = SN id (3 octets, PLMN identity), P1 = SQN xor AK. */
	const struct sen_kdf_param p[] = { { plmn, 3 }, { sqn_xor_ak, 6 } };
	return kdf_ckik(ck, ik, FC_KASME, p, 2, kasme);
}

int sen_kdf_snn(const char *mcc, const char *mnc, char *out, size_t cap)
{
	static const char head[] = "5G:mnc", tail[] = ".3gppnetwork.org";

	if (!mcc || !mnc || !out)
		return -SEN_EINVAL;
	size_t mcc_n = strnlen(mcc, 4), mnc_n = strnlen(mnc, 4);
	if (mcc_n != 3 || !all_digits(mcc, 3) || (mnc_n != 2 && mnc_n != 3) ||
	    !all_digits(mnc, mnc_n))
		return -SEN_EINVAL;

	/*
	 * TS 24.501 9.12.1: SNN = "5G" ":" "mnc" 3DIGIT "." "mcc" 3DIGIT ".3gppnetwork.org";
	 * "If the MNC of the serving PLMN has two digits, then a zero is added at the
	 * beginning."
	 */
	char buf[64];
	size_t n = sizeof(head) - 1;
	memcpy(buf, head, n);
	if (mnc_n == 2)
		buf[n++] = '0';
	memcpy(buf + n, mnc, mnc_n);
	n += mnc_n;
	memcpy(buf + n, ".mcc", 4);
	n += 4;
	memcpy(buf + n, mcc, 3);
	n += 3;
	memcpy(buf + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;

	if (cap < n + 1)
		return -SEN_EMSGSIZE;
	memcpy(out, buf, n);
	out[n] = '\0';
	return (int)n;
}
