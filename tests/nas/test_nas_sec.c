/*
 * Unit tests for NAS security (lib/nas/sec.c; TS 33.501 6.4, TS 24.501 4.4.3):
 * KNASint / KNASenc from KAMF against tests/vectors/kdf_5g.json, protect / unprotect
 * round trips for every 5G-IA x 5G-EA pair in both directions, wrong MAC and wrong
 * direction refused, replayed COUNT refused, SQN wrap-around and lost messages, and
 * malformed protected messages, and a known-answer protected message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "nas/nas.h"
#include "nas/sec.h"
#include "vectors.h"

static const uint8_t kint[16] = {0x2b, 0xd6, 0x45, 0x9f, 0x82, 0xc5, 0xb3, 0x00,
				 0x95, 0x2c, 0x49, 0x10, 0x48, 0x81, 0xff, 0x48};
static const uint8_t kenc[16] = {0xd3, 0xc5, 0xd5, 0x92, 0x32, 0x7f, 0xb1, 0x1c,
				 0x40, 0x35, 0xc6, 0x68, 0x0a, 0xf8, 0xc6, 0xd1};
/* a Registration complete and a 5GMM status: small plain 5GMM messages */
static const uint8_t plain[] = {0x7e, 0x00, 0x64, 0x60};

static void pair(struct sen_nas_sec_ctx *amf, struct sen_nas_sec_ctx *ue, uint8_t ia, uint8_t ea)
{
	assert_int_equal(sen_nas_sec_init(amf, kint, kenc, ia, ea, SEN_NAS_ACCESS_3GPP, false), 0);
	assert_int_equal(sen_nas_sec_init(ue, kint, kenc, ia, ea, SEN_NAS_ACCESS_3GPP, true), 0);
}

static void test_kamf_vectors(void **state)
{
	cJSON *v = sen_test_vectors("kdf_5g.json");
	assert_non_null(v);
	cJSON *ds = cJSON_GetObjectItem(v, "derivations"), *d;
	uint8_t kamf[32], kint_ref[32] = {0}, kenc_ref[32] = {0};
	int found = 0;

	cJSON_ArrayForEach(d, ds)
	{
		const char *name = sen_test_str(d, "name");
		if (!name)
			continue;
		if (strstr(name, "KNASint") && strstr(name, "NIA2")) {
			assert_int_equal(sen_test_hex(d, "key", kamf, 32), 32);
			assert_int_equal(sen_test_hex(d, "output", kint_ref, 32), 32);
			found |= 1;
		} else if (strstr(name, "KNASenc") && strstr(name, "NEA0")) {
			assert_int_equal(sen_test_hex(d, "output", kenc_ref, 32), 32);
			found |= 2;
		}
	}
	assert_int_equal(found, 3);
	struct sen_nas_sec_ctx c;
	assert_int_equal(sen_nas_sec_init_kamf(&c, kamf, 2, 0, SEN_NAS_ACCESS_3GPP, false), 0);
	/* TS 33.501 A.8: the 128 least significant bits of the KDF output */
	assert_memory_equal(c.nia->key, kint_ref + 16, 16);
	assert_memory_equal(c.nea->key, kenc_ref + 16, 16);
	assert_int_equal(c.bearer, 1);
	sen_nas_sec_clear(&c);
	cJSON_Delete(v);
}

static void test_roundtrip_all_algorithms(void **state)
{
	uint8_t prot[64], out[64];

	for (uint8_t ia = 0; ia < 4; ia++) {
		for (uint8_t ea = 0; ea < 4; ea++) {
			struct sen_nas_sec_ctx amf, ue;
			pair(&amf, &ue, ia, ea);
			for (int i = 0; i < 3; i++) {
				/* downlink, ciphered */
				int n = sen_nas_protect(&amf, SEN_NAS_SHT_INTEGRITY_CIPHERED, plain,
							sizeof(plain), prot, sizeof(prot));
				assert_int_equal(n, (int)sizeof(plain) + SEN_NAS_SEC_OVERHEAD);
				assert_int_equal(prot[0], 0x7e);
				assert_int_equal(prot[1], 2);
				assert_int_equal(prot[6], i);
				if (ea)
					assert_memory_not_equal(prot + 7, plain, sizeof(plain));
				if (ia == 0)
					assert_memory_equal(prot + 2, "\0\0\0\0", 4);
				struct sen_nas_sec_hdr h;
				int m = sen_nas_unprotect(&ue, prot, (size_t)n, out, sizeof(out), &h);
				assert_int_equal(m, (int)sizeof(plain));
				assert_memory_equal(out, plain, sizeof(plain));
				assert_int_equal(h.sqn, i);
				/* uplink, integrity only */
				n = sen_nas_protect(&ue, SEN_NAS_SHT_INTEGRITY, plain, sizeof(plain), prot,
						    sizeof(prot));
				assert_memory_equal(prot + 7, plain, sizeof(plain));
				m = sen_nas_unprotect(&amf, prot, (size_t)n, out, sizeof(out), NULL);
				assert_int_equal(m, (int)sizeof(plain));
				assert_memory_equal(out, plain, sizeof(plain));
			}
			assert_int_equal(amf.tx_count, 3);
			assert_int_equal(ue.rx_count, 2);
			sen_nas_sec_clear(&amf);
			sen_nas_sec_clear(&ue);
		}
	}
}

static void test_wrong_mac(void **state)
{
	uint8_t prot[64], bad[64], out[64];

	for (uint8_t ia = 1; ia < 4; ia++) {
		struct sen_nas_sec_ctx amf, ue;
		pair(&amf, &ue, ia, 2);
		int n = sen_nas_protect(&amf, SEN_NAS_SHT_INTEGRITY_CIPHERED, plain, sizeof(plain),
					prot, sizeof(prot));
		assert_true(n > 0);
		for (int i = 2; i < n; i++) { /* every bit of MAC, SQN and message */
			for (int bit = 0; bit < 8; bit++) {
				memcpy(bad, prot, (size_t)n);
				bad[i] ^= (uint8_t)(1 << bit);
				assert_int_equal(sen_nas_unprotect(&ue, bad, (size_t)n, out,
								   sizeof(out), NULL),
						 -SEN_EAUTH);
			}
		}
		assert_false(ue.rx_any); /* refused messages leave the context alone */
		/* the wrong direction: the AMF's own downlink message back to the AMF */
		assert_int_equal(sen_nas_unprotect(&amf, prot, (size_t)n, out, sizeof(out), NULL),
				 -SEN_EAUTH);
		/* another key */
		struct sen_nas_sec_ctx other;
		uint8_t k2[16];
		memcpy(k2, kint, 16);
		k2[0] ^= 1;
		assert_int_equal(sen_nas_sec_init(&other, k2, kenc, ia, 2, SEN_NAS_ACCESS_3GPP, true), 0);
		assert_int_equal(sen_nas_unprotect(&other, prot, (size_t)n, out, sizeof(out), NULL),
				 -SEN_EAUTH);
		/* another bearer (non-3GPP access) */
		sen_nas_sec_clear(&other);
		assert_int_equal(
		    sen_nas_sec_init(&other, kint, kenc, ia, 2, SEN_NAS_ACCESS_NON3GPP, true), 0);
		assert_int_equal(sen_nas_unprotect(&other, prot, (size_t)n, out, sizeof(out), NULL),
				 -SEN_EAUTH);
		/* and the genuine one still passes */
		assert_int_equal(sen_nas_unprotect(&ue, prot, (size_t)n, out, sizeof(out), NULL),
				 (int)sizeof(plain));
		sen_nas_sec_clear(&other);
		sen_nas_sec_clear(&amf);
		sen_nas_sec_clear(&ue);
	}
}

static void test_replay(void **state)
{
	uint8_t p0[64], p1[64], out[64];

	for (uint8_t ia = 0; ia < 4; ia++) {
		struct sen_nas_sec_ctx amf, ue;
		pair(&amf, &ue, ia, 1);
		int n0 = sen_nas_protect(&ue, SEN_NAS_SHT_INTEGRITY, plain, sizeof(plain), p0,
					 sizeof(p0));
		int n1 = sen_nas_protect(&ue, SEN_NAS_SHT_INTEGRITY_CIPHERED, plain, sizeof(plain),
					 p1, sizeof(p1));
		assert_true(n0 > 0 && n1 > 0);
		assert_int_equal(sen_nas_unprotect(&amf, p0, (size_t)n0, out, sizeof(out), NULL),
				 (int)sizeof(plain));
		assert_int_equal(sen_nas_unprotect(&amf, p0, (size_t)n0, out, sizeof(out), NULL),
				 -SEN_EEXIST);
		assert_int_equal(sen_nas_unprotect(&amf, p1, (size_t)n1, out, sizeof(out), NULL),
				 (int)sizeof(plain));
		assert_int_equal(sen_nas_unprotect(&amf, p1, (size_t)n1, out, sizeof(out), NULL),
				 -SEN_EEXIST);
		if (ia) /* an older COUNT replayed later is refused too */
			assert_int_equal(
			    sen_nas_unprotect(&amf, p0, (size_t)n0, out, sizeof(out), NULL),
			    -SEN_EEXIST);
		assert_int_equal(amf.rx_count, 1);
		sen_nas_sec_clear(&amf);
		sen_nas_sec_clear(&ue);
	}
}

static void test_sqn_wrap_and_loss(void **state)
{
	uint8_t prot[64], out[64];
	struct sen_nas_sec_ctx amf, ue;

	pair(&amf, &ue, 2, 2);
	/* 700 uplink messages, of which only every third one arrives: overflow estimated */
	for (uint32_t i = 0; i < 700; i++) {
		int n = sen_nas_protect(&ue, SEN_NAS_SHT_INTEGRITY_CIPHERED, plain, sizeof(plain),
					prot, sizeof(prot));
		assert_true(n > 0);
		if (i % 3)
			continue;
		assert_int_equal(sen_nas_unprotect(&amf, prot, (size_t)n, out, sizeof(out), NULL),
				 (int)sizeof(plain));
		assert_int_equal(amf.rx_count, i);
		assert_memory_equal(out, plain, sizeof(plain));
	}
	assert_int_equal(ue.tx_count, 700);
	/* COUNT exhausted: a new context is needed */
	ue.tx_count = 0x1000000;
	assert_int_equal(sen_nas_protect(&ue, SEN_NAS_SHT_INTEGRITY, plain, sizeof(plain), prot,
					 sizeof(prot)),
			 -SEN_ERANGE);
	sen_nas_sec_clear(&amf);
	sen_nas_sec_clear(&ue);
}

static void test_bad_input(void **state)
{
	uint8_t prot[64], out[64];
	struct sen_nas_sec_ctx amf, ue;
	struct sen_nas_sec_hdr h;

	pair(&amf, &ue, 2, 2);
	int n = sen_nas_protect(&amf, SEN_NAS_SHT_INTEGRITY_NEW_CTX, plain, sizeof(plain), prot,
				sizeof(prot));
	assert_true(n > 0);
	assert_int_equal(sen_nas_sec_parse(prot, (size_t)n, &h), 0);
	assert_int_equal(h.sht, 3);
	assert_int_equal(h.payload_len, sizeof(plain));
	for (int cut = 0; cut < n; cut++)
		assert_true(sen_nas_unprotect(&ue, prot, (size_t)cut, out, sizeof(out), NULL) < 0);
	assert_int_equal(sen_nas_sec_parse(prot, 9, &h), -SEN_EMSGSIZE);
	prot[1] = 0;
	assert_int_equal(sen_nas_sec_parse(prot, (size_t)n, &h), -SEN_EPROTO);
	prot[1] = 5;
	assert_int_equal(sen_nas_sec_parse(prot, (size_t)n, &h), -SEN_EPROTO);
	prot[1] = 3;
	prot[0] = 0x2e;
	assert_int_equal(sen_nas_unprotect(&ue, prot, (size_t)n, out, sizeof(out), NULL),
			 -SEN_EPROTO);
	prot[0] = 0x7e;
	assert_int_equal(sen_nas_unprotect(&ue, prot, (size_t)n, out, 2, NULL), -SEN_EMSGSIZE);
	assert_int_equal(sen_nas_protect(&amf, 0, plain, sizeof(plain), prot, sizeof(prot)),
			 -SEN_EINVAL);
	assert_int_equal(sen_nas_protect(&amf, 5, plain, sizeof(plain), prot, sizeof(prot)),
			 -SEN_EINVAL);
	assert_int_equal(sen_nas_protect(&amf, 1, plain, sizeof(plain), prot, 10), -SEN_EMSGSIZE);
	struct sen_nas_sec_ctx c;
	assert_int_equal(sen_nas_sec_init(&c, kint, kenc, 4, 0, SEN_NAS_ACCESS_3GPP, false),
			 -SEN_EINVAL);
	assert_int_equal(sen_nas_sec_init(&c, kint, kenc, 0, 0, 3, false), -SEN_EINVAL);
	sen_nas_sec_clear(&amf);
	sen_nas_sec_clear(&ue);
}

/*
 * Known answer: the AMF protects Registration complete 7e0043 with security header type
 * 2 under 128-5G-IA2 / 128-5G-EA2 (AES-CMAC and AES-CTR, TS 33.501 D.3, TS 33.401 B.1.3 and
 * B.2.3), KNASint 00..0f, KNASenc 10..1f, NAS COUNT 0x012345, DIRECTION 1 (downlink),
 * BEARER 1 (3GPP access). Expected octets computed independently with Python's
 * cryptography module (AES-CTR with IV COUNT || BEARER || DIRECTION || 0, AES-CMAC over
 * COUNT || BEARER || DIRECTION || 0^26 || SQN || ciphered message, first 32 bits).
 */
static void test_known_answer(void **state)
{
	static const uint8_t want[] = {0x7e, 0x02, 0xcf, 0x20, 0xbd, 0x5a, 0x45, 0x63, 0x6e, 0xdf};
	static const uint8_t msg[] = {0x7e, 0x00, 0x43};
	uint8_t ki[16], ke[16], out[64], back[64];
	struct sen_nas_sec_ctx amf, ue;

	for (int i = 0; i < 16; i++) {
		ki[i] = (uint8_t)i;
		ke[i] = (uint8_t)(0x10 + i);
	}
	assert_int_equal(sen_nas_sec_init(&amf, ki, ke, 2, 2, SEN_NAS_ACCESS_3GPP, false), 0);
	assert_int_equal(sen_nas_sec_init(&ue, ki, ke, 2, 2, SEN_NAS_ACCESS_3GPP, true), 0);
	amf.tx_count = 0x012345;
	assert_int_equal(sen_nas_protect(&amf, SEN_NAS_SHT_INTEGRITY_CIPHERED, msg, sizeof(msg), out,
					 sizeof(out)),
			 (int)sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* the UE, which last accepted COUNT 0x012344, reads it back */
	ue.rx_count = 0x012344;
	ue.rx_any = true;
	assert_int_equal(sen_nas_unprotect(&ue, want, sizeof(want), back, sizeof(back), NULL),
			 (int)sizeof(msg));
	assert_memory_equal(back, msg, sizeof(msg));
	assert_int_equal(ue.rx_count, 0x012345);
	sen_nas_sec_clear(&amf);
	sen_nas_sec_clear(&ue);
}

static void test_protected_message_decodes(void **state)
{
	uint8_t plain_msg[256], prot[300], out[300];
	struct sen_nas_msg m;
	struct sen_nas_sec_ctx amf, ue;

	/* Security mode complete carrying an IMEISV, as a UE sends it (type 4) */
	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMPLETE);
	m.security_mode_complete.has_imeisv = true;
	m.security_mode_complete.imeisv.type = SEN_NAS_ID_IMEISV;
	strcpy(m.security_mode_complete.imeisv.digits, "3534900698733101");
	int n = sen_nas_encode(&m, plain_msg, sizeof(plain_msg));
	assert_true(n > 0);
	pair(&amf, &ue, 1, 3);
	int p = sen_nas_protect(&ue, SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX, plain_msg, (size_t)n,
				prot, sizeof(prot));
	assert_int_equal(p, n + 7);
	/* the protected form is not a plain message */
	struct sen_nas_error e;
	assert_int_equal(sen_nas_decode(prot, (size_t)p, &m, &e), -SEN_EPROTO);
	assert_int_equal(e.fault, SEN_NAS_FAULT_EPD);
	int q = sen_nas_unprotect(&amf, prot, (size_t)p, out, sizeof(out), NULL);
	assert_int_equal(q, n);
	assert_int_equal(sen_nas_decode(out, (size_t)q, &m, NULL), 0);
	assert_string_equal(m.security_mode_complete.imeisv.digits, "3534900698733101");
	sen_nas_sec_clear(&amf);
	sen_nas_sec_clear(&ue);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kamf_vectors),
		cmocka_unit_test(test_roundtrip_all_algorithms),
		cmocka_unit_test(test_wrong_mac),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_sqn_wrap_and_loss),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_protected_message_decodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
