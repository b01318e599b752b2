/*
 * NAS security: protection and unprotection of 5GMM messages (TS 24.501 4.4.3-4.4.5,
 * 9.1.1; TS 33.501 6.4.3, 6.4.4) on the 128-NEA/NIA algorithms of crypto/nxa.h.
 * See nas/sec.h for the COUNT, BEARER and DIRECTION rules.
 */
#include "nas/sec.h"

#include "core/err.h"
#include "crypto/kdf.h"
#include "crypto/nxa.h"
#include "nas/nas.h"

#include <openssl/crypto.h>
#include <string.h>

#define COUNT_MAX 0xffffffu

int sen_nas_sec_init(struct sen_nas_sec_ctx *ctx, const uint8_t knas_int[16],
		     const uint8_t knas_enc[16], uint8_t ia, uint8_t ea, int access, bool ue_side)
{
	memset(ctx, 0, sizeof(*ctx));
	if (ia > 3 || ea > 3 || (access != SEN_NAS_ACCESS_3GPP && access != SEN_NAS_ACCESS_NON3GPP))
		return -SEN_EINVAL;
	if (sen_nia_init(ctx->nia, ia, knas_int) != 0 ||
	    sen_nea_init(ctx->nea, ea, knas_enc) != 0) {
		sen_nas_sec_clear(ctx);
		return -SEN_EINVAL;
	}
	ctx->ia = ia;
	ctx->ea = ea;
	ctx->bearer = (uint8_t)access;
	ctx->ue_side = ue_side;
	return 0;
}

int sen_nas_sec_init_kamf(struct sen_nas_sec_ctx *ctx, const uint8_t kamf[32], uint8_t ia,
			  uint8_t ea, int access, bool ue_side)
{
	uint8_t kint[16], kenc[16];
	int rc;

	memset(ctx, 0, sizeof(*ctx));
	if (ia > 3 || ea > 3)
		return -SEN_EINVAL;
	rc = sen_kdf_alg_key(kamf, SEN_KDF_NAS_INT, ia, kint);
	if (rc == 0)
		rc = sen_kdf_alg_key(kamf, SEN_KDF_NAS_ENC, ea, kenc);
	if (rc == 0)
		rc = sen_nas_sec_init(ctx, kint, kenc, ia, ea, access, ue_side);
	OPENSSL_cleanse(kint, sizeof(kint));
	OPENSSL_cleanse(kenc, sizeof(kenc));
	return rc;
}

void sen_nas_sec_clear(struct sen_nas_sec_ctx *ctx)
{
	OPENSSL_cleanse(ctx, sizeof(*ctx));
}

/* set up by sen_nas_sec_init (a zeroed or cleared context is not) */
static bool ready(const struct sen_nas_sec_ctx *ctx)
{
	return ctx->nia->kind != 0 && ctx->nea->kind != 0;
}

static uint8_t tx_dir(const struct sen_nas_sec_ctx *ctx)
{
	return ctx->ue_side ? SEN_NAS_DIR_UPLINK : SEN_NAS_DIR_DOWNLINK;
}

static uint8_t rx_dir(const struct sen_nas_sec_ctx *ctx)
{
	return ctx->ue_side ? SEN_NAS_DIR_DOWNLINK : SEN_NAS_DIR_UPLINK;
}

static bool ciphered(uint8_t sht)
{
	return sht == SEN_NAS_SHT_INTEGRITY_CIPHERED || sht == SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX;
}

int sen_nas_protect(struct sen_nas_sec_ctx *ctx, uint8_t sht, const uint8_t *plain, size_t len,
		    uint8_t *out, size_t cap)
{
	uint32_t count = ctx->tx_count;

	if (sht < SEN_NAS_SHT_INTEGRITY || sht > SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX || !len ||
	    !ready(ctx))
		return -SEN_EINVAL;
	if (len > cap || cap - len < SEN_NAS_SEC_OVERHEAD || len > (SIZE_MAX - 64) / 8)
		return -SEN_EMSGSIZE;
	if (count > COUNT_MAX)
		return -SEN_ERANGE;
	out[0] = SEN_NAS_EPD_5GMM;
	out[1] = sht;
	out[6] = (uint8_t)(count & 0xff);
	if (ciphered(sht)) {
		if (sen_nea_apply(ctx->nea, count, ctx->bearer, tx_dir(ctx), plain, out + 7,
				  len * 8) < 0)
			return -SEN_ECRYPTO;
	} else {
		memcpy(out + 7, plain, len);
	}
	if (sen_nia_mac(ctx->nia, count, ctx->bearer, tx_dir(ctx), out + 6, (len + 1) * 8,
			out + 2) < 0)
		return -SEN_ECRYPTO;
	ctx->tx_count = count + 1;
	return (int)(len + SEN_NAS_SEC_OVERHEAD);
}

int sen_nas_sec_parse(const uint8_t *in, size_t len, struct sen_nas_sec_hdr *hdr)
{
	/* the protected message must hold at least a plain 5GMM header (3 octets) */
	if (!in || len < SEN_NAS_SEC_OVERHEAD + 3)
		return -SEN_EMSGSIZE;
	if (in[0] != SEN_NAS_EPD_5GMM)
		return -SEN_EPROTO;
	hdr->sht = in[1] & 0x0f;
	if (hdr->sht < SEN_NAS_SHT_INTEGRITY || hdr->sht > SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX)
		return -SEN_EPROTO;
	memcpy(hdr->mac, in + 2, 4);
	hdr->sqn = in[6];
	hdr->payload = in + 7;
	hdr->payload_len = len - 7;
	return 0;
}

static int mac_ok(struct sen_nas_sec_ctx *ctx, uint32_t count, const uint8_t *in, size_t len,
		  bool *ok)
{
	uint8_t mac[4];

	if (sen_nia_mac(ctx->nia, count, ctx->bearer, rx_dir(ctx), in + 6, (len - 6) * 8, mac) < 0)
		return -SEN_ECRYPTO;
	*ok = CRYPTO_memcmp(mac, in + 2, 4) == 0;
	return 0;
}

int sen_nas_unprotect(struct sen_nas_sec_ctx *ctx, const uint8_t *in, size_t len, uint8_t *out,
		      size_t cap, struct sen_nas_sec_hdr *hdr)
{
	struct sen_nas_sec_hdr h;
	uint32_t same, est;
	bool ok;
	int rc;

	if (!hdr)
		hdr = &h;
	rc = sen_nas_sec_parse(in, len, hdr);
	if (rc < 0)
		return rc;
	if (!ready(ctx))
		return -SEN_EINVAL;
	if (cap < hdr->payload_len || len > (SIZE_MAX - 64) / 8)
		return -SEN_EMSGSIZE;

	/* TS 24.501 4.4.3.1: estimate the NAS COUNT from the 8-bit SQN. */
	uint32_t last = ctx->rx_any ? ctx->rx_count : 0;
	same = (last & ~0xffu) | hdr->sqn;
	if (!ctx->rx_any)
		est = same;
	else if (hdr->sqn > (last & 0xff))
		est = same;
	else
		est = same + 0x100;

	if (ctx->ia == 0) {
		/* No MAC to check: only an exact repeat is recognisable as a replay. */
		if (ctx->rx_any && same == last)
			return -SEN_EEXIST;
	} else {
		if ((rc = mac_ok(ctx, est, in, len, &ok)) < 0)
			return rc;
		if (!ok) {
			/* A message whose MAC verifies at an already accepted COUNT is a replay. */
			if (ctx->rx_any && same <= last) {
				if ((rc = mac_ok(ctx, same, in, len, &ok)) < 0)
					return rc;
				if (ok)
					return -SEN_EEXIST;
			}
			return -SEN_EAUTH;
		}
	}
	if (est > COUNT_MAX)
		return -SEN_ERANGE;
	if (ciphered(hdr->sht)) {
		if (sen_nea_apply(ctx->nea, est, ctx->bearer, rx_dir(ctx), hdr->payload, out,
				  hdr->payload_len * 8) < 0)
			return -SEN_ECRYPTO;
	} else {
		memcpy(out, hdr->payload, hdr->payload_len);
	}
	ctx->rx_count = est;
	ctx->rx_any = true;
	return (int)hdr->payload_len;
}
