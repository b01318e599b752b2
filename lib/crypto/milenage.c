/*
 * MILENAGE, the 3GPP example algorithm set for the authentication and key generation
 * functions f1, f1*, f2, f3, f4, f5 and f5* (TS 35.206 clause 4), on AES-128 from
 * OpenSSL 3 as the kernel function E_K.
 *
 * TS 35.206 4.1 computes, from TEMP = E_K(RAND xor OPc):
 *   OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc, IN1 = SQN||AMF||SQN||AMF
 *   OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc             for n = 2 .. 5
 * and takes f1 = OUT1[0..63], f1* = OUT1[64..127], f5 = OUT2[0..47], f2 = OUT2[64..127],
 * f3 = OUT3, f4 = OUT4, f5* = OUT5[0..47] (bit 0 is the most significant bit).
 *
 * The AES context is kept per thread and re-keyed on each call (no allocation after the
 * first call on a thread); at the end of each call it is re-keyed with an all-zero key so
 * the key schedule of K does not outlive the call.
 */
#include "crypto/milenage.h"

#include "core/err.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

/* TS 35.206 4.1: rotation amounts r1..r5, in bytes (all are multiples of 8 bits). */
enum { R1 = 64 / 8, R2 = 0 / 8, R3 = 32 / 8, R4 = 64 / 8, R5 = 96 / 8 };
/* TS 35.206 4.1: constants c1..c5; only the last octet of each 128-bit value is non-zero. */
enum { C1 = 0x00, C2 = 0x01, C3 = 0x02, C4 = 0x04, C5 = 0x08 };

static pthread_once_t aes_once = PTHREAD_ONCE_INIT;
static pthread_key_t aes_tls;
static EVP_CIPHER *aes_cipher; /* fetched once, kept for the life of the process */
static int aes_ready;

static void aes_tls_free(void *p)
{
	EVP_CIPHER_CTX_free(p);
}

static void aes_init_once(void)
{
	aes_cipher = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	if (!aes_cipher)
		return;
	if (pthread_key_create(&aes_tls, aes_tls_free) != 0) {
		EVP_CIPHER_free(aes_cipher);
		aes_cipher = NULL;
		return;
	}
	aes_ready = 1;
}

/* This thread's AES-128 context keyed with k, or NULL. */
static EVP_CIPHER_CTX *aes_begin(const uint8_t k[16])
{
	if (pthread_once(&aes_once, aes_init_once) != 0 || !aes_ready)
		return NULL;
	EVP_CIPHER_CTX *ctx = pthread_getspecific(aes_tls);
	if (!ctx) {
		ctx = EVP_CIPHER_CTX_new();
		if (!ctx)
			return NULL;
		if (pthread_setspecific(aes_tls, ctx) != 0) {
			EVP_CIPHER_CTX_free(ctx);
			return NULL;
		}
	}
	if (EVP_EncryptInit_ex2(ctx, aes_cipher, k, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)
		return NULL;
	return ctx;
}

/* Overwrite the key schedule of K; drop the context if even that fails. */
static void aes_end(EVP_CIPHER_CTX *ctx)
{
	static const uint8_t zero[16];

	if (ctx && EVP_EncryptInit_ex2(ctx, NULL, zero, NULL, NULL) != 1) {
		pthread_setspecific(aes_tls, NULL);
		EVP_CIPHER_CTX_free(ctx); /* the provider clears its key schedule on free */
	}
}

/* out = E_K(in), one block. */
static int aes_block(EVP_CIPHER_CTX *ctx, const uint8_t in[16], uint8_t out[16])
{
	int n = 0;

	if (EVP_EncryptUpdate(ctx, out, &n, in, 16) != 1 || n != 16)
		return -SEN_ECRYPTO;
	return 0;
}

/* TEMP = E_K(RAND xor OPc) (TS 35.206 4.1). */
static int milenage_temp(EVP_CIPHER_CTX *ctx, const uint8_t opc[16], const uint8_t rand[16],
			 uint8_t temp[16])
{
	uint8_t x[16];

	for (int i = 0; i < 16; i++)
		x[i] = rand[i] ^ opc[i];
	int rc = aes_block(ctx, x, temp);
	OPENSSL_cleanse(x, sizeof(x));
	return rc;
}

/*
 * out = E_K(extra xor rot(x xor OPc, r) xor c) xor OPc, where `extra` is TEMP for OUT1
 * and absent (NULL) for OUT2..OUT5. rot() is a cyclic left rotation by r bytes.
 */
static int milenage_out(EVP_CIPHER_CTX *ctx, const uint8_t opc[16], const uint8_t x[16],
			const uint8_t *extra, unsigned r, uint8_t c, uint8_t out[16])
{
	uint8_t in[16];

	for (unsigned i = 0; i < 16; i++) {
		unsigned j = (i + r) % 16;
		in[i] = x[j] ^ opc[j];
		if (extra)
			in[i] ^= extra[i];
	}
	in[15] ^= c;
	int rc = aes_block(ctx, in, out);
	for (int i = 0; i < 16; i++)
		out[i] ^= opc[i];
	OPENSSL_cleanse(in, sizeof(in));
	return rc;
}

int sen_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	if (!k || !op || !opc)
		return -SEN_EINVAL;
	EVP_CIPHER_CTX *ctx = aes_begin(k);
	if (!ctx)
		return -SEN_ECRYPTO;
	uint8_t e[16];
	int rc = aes_block(ctx, op, e);
	aes_end(ctx);
	if (rc == 0) {
		/* TS 35.206 4.1: OPc = OP xor E_K(OP). */
		for (int i = 0; i < 16; i++)
			opc[i] = op[i] ^ e[i];
	}
	OPENSSL_cleanse(e, sizeof(e));
	return rc;
}

int sen_milenage_f1(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		    const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8],
		    uint8_t mac_s[8])
{
	if (!k || !opc || !rand || !sqn || !amf)
		return -SEN_EINVAL;
	if (!mac_a && !mac_s)
		return 0;

	/* TS 35.206 4.1: IN1 = SQN[0..47] || AMF[0..15] || SQN[0..47] || AMF[0..15]. */
	uint8_t in1[16], temp[16], out1[16];
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, sqn, 6);
	memcpy(in1 + 14, amf, 2);

	EVP_CIPHER_CTX *ctx = aes_begin(k);
	if (!ctx)
		return -SEN_ECRYPTO;
	int rc = milenage_temp(ctx, opc, rand, temp);
	if (rc == 0)
		rc = milenage_out(ctx, opc, in1, temp, R1, C1, out1);
	aes_end(ctx);
	if (rc == 0) {
		if (mac_a)
			memcpy(mac_a, out1, 8); /* f1 = OUT1[0..63] */
		if (mac_s)
			memcpy(mac_s, out1 + 8, 8); /* f1* = OUT1[64..127] */
	}
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(out1, sizeof(out1));
	return rc;
}

int sen_milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		       uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6])
{
	if (!k || !opc || !rand)
		return -SEN_EINVAL;
	if (!res && !ck && !ik && !ak)
		return 0;

	uint8_t temp[16], out[16];
	EVP_CIPHER_CTX *ctx = aes_begin(k);
	if (!ctx)
		return -SEN_ECRYPTO;
	int rc = milenage_temp(ctx, opc, rand, temp);
	if (rc == 0 && (res || ak)) {
		rc = milenage_out(ctx, opc, temp, NULL, R2, C2, out);
		if (rc == 0 && res)
			memcpy(res, out + 8, 8); /* f2 = OUT2[64..127] */
		if (rc == 0 && ak)
			memcpy(ak, out, 6); /* f5 = OUT2[0..47] */
	}
	if (rc == 0 && ck) {
		rc = milenage_out(ctx, opc, temp, NULL, R3, C3, out);
		if (rc == 0)
			memcpy(ck, out, 16); /* f3 = OUT3 */
	}
	if (rc == 0 && ik) {
		rc = milenage_out(ctx, opc, temp, NULL, R4, C4, out);
		if (rc == 0)
			memcpy(ik, out, 16); /* f4 = OUT4 */
	}
	aes_end(ctx);
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}

int sen_milenage_f5star(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
			uint8_t ak_star[6])
{
	if (!k || !opc || !rand || !ak_star)
		return -SEN_EINVAL;

	uint8_t temp[16], out5[16];
	EVP_CIPHER_CTX *ctx = aes_begin(k);
	if (!ctx)
		return -SEN_ECRYPTO;
	int rc = milenage_temp(ctx, opc, rand, temp);
	if (rc == 0)
		rc = milenage_out(ctx, opc, temp, NULL, R5, C5, out5);
	aes_end(ctx);
	if (rc == 0)
		memcpy(ak_star, out5, 6); /* f5* = OUT5[0..47] */
	OPENSSL_cleanse(temp, sizeof(temp));
	OPENSSL_cleanse(out5, sizeof(out5));
	return rc;
}
