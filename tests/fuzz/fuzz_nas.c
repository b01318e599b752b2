/*
 * libFuzzer target: the NAS-5GS decoder (TS 24.501 clauses 8, 9) and NAS unprotect
 * (TS 24.501 4.4). Every input is decoded as a plain message; what decodes must
 *   1. walk (the senctl printer) without trouble,
 *   2. re-encode: the encoder accepts whatever the decoder produced (n > 0),
 *   3. decode again from that encoding, and
 *   4. re-encode to the same octets: decode(encode(x)) equals x structurally, compared
 *      through the encodings (the first encoding may differ from the input only where the
 *      input had spare bits or later-release octets that the codecs drop).
 * Any broken promise aborts. The input is also offered to sen_nas_unprotect under a
 * 5G-IA0 context (so that ciphered messages are deciphered, and what comes out decoded),
 * and a plain 5GMM input must survive protect + unprotect under 5G-IA1..3 / 5G-EA0..3.
 */
#include "nas/nas.h"
#include "nas/sec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void v_open(void *a, const char *n) { (void)a; (void)n; }
static void v_close(void *a) { (void)a; }
static void v_value(void *a, const char *n, const char *t) { (void)a; (void)n; (void)t; }

static void broken(const char *what, const uint8_t *p, size_t n, int rc)
{
	fprintf(stderr, "fuzz-nas: %s (rc %d), octets:", what, rc);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%02x", p[i]);
	fprintf(stderr, "\n");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const struct sen_nas_visitor v = {v_open, v_close, v_value};
	static struct sen_nas_msg msg, msg2;
	static uint8_t out[70000], out2[70000], plain[70000];
	struct sen_nas_error e;
	struct sen_nas_sec_ctx ctx;

	/* a private copy, so that any read past `size` is caught by ASan */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (sen_nas_decode(buf, size, &msg, &e) == 0) {
		sen_nas_walk(&msg, &v, NULL);
		int n = sen_nas_encode(&msg, out, sizeof(out));
		if (n <= 0)
			broken("decoded message does not re-encode", buf, size, n);
		int rc = sen_nas_decode(out, (size_t)n, &msg2, &e);
		if (rc != 0)
			broken("re-encoded message does not decode", out, (size_t)n, rc);
		int n2 = sen_nas_encode(&msg2, out2, sizeof(out2));
		if (n2 != n || memcmp(out, out2, (size_t)n) != 0)
			broken("decode(encode(x)) differs from x", out, (size_t)n, n2);
	}
	/*
	 * Unprotect the input as received by a UE whose context uses 5G-IA0: no MAC is
	 * checked (TS 33.501 5.5.2), so a protected message of type 2 or 4 is deciphered
	 * whatever its MAC. The last octet chooses the 5G-EA (0..3) (a real MAC never verifies
	 * for random input, so with 5G-IA1..3 deciphering would never be reached).
	 */
	uint8_t sel = size ? data[size - 1] : 0;
	if (sen_nas_sec_init(&ctx, k, k, 0, sel & 3, SEN_NAS_ACCESS_3GPP, true) == 0) {
		int n = sen_nas_unprotect(&ctx, buf, size, plain, sizeof(plain), NULL);
		if (n > 0 && sen_nas_decode(plain, (size_t)n, &msg, &e) == 0)
			sen_nas_walk(&msg, &v, NULL);
		sen_nas_sec_clear(&ctx);
	}
	/*
	 * A plain 5GMM message protected by the AMF (5G-IA and 5G-EA chosen by the last
	 * octet, security header type 2: ciphered) must come back unchanged at the UE.
	 */
	if (size >= 3 && size <= 4096 && buf[0] == SEN_NAS_EPD_5GMM && (buf[1] & 0x0f) == 0) {
		struct sen_nas_sec_ctx amf, ue;
		uint8_t ia = (uint8_t)(1 + sel % 3), ea = (uint8_t)((sel >> 2) & 3);
		if (sen_nas_sec_init(&amf, k, k, ia, ea, SEN_NAS_ACCESS_3GPP, false) != 0 ||
		    sen_nas_sec_init(&ue, k, k, ia, ea, SEN_NAS_ACCESS_3GPP, true) != 0)
			broken("security context", buf, size, -1);
		int n = sen_nas_protect(&amf, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, size, out,
					sizeof(out));
		if (n != (int)size + SEN_NAS_SEC_OVERHEAD)
			broken("protect", buf, size, n);
		int m = sen_nas_unprotect(&ue, out, (size_t)n, plain, sizeof(plain), NULL);
		if (m != (int)size || memcmp(plain, buf, size) != 0)
			broken("unprotect(protect(x)) differs from x", buf, size, m);
		sen_nas_sec_clear(&amf);
		sen_nas_sec_clear(&ue);
	}
	free(buf);
	return 0;
}
