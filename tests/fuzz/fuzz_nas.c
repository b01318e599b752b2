/*
 * libFuzzer target: the NAS-5GS decoder (TS 24.501 clauses 8, 9) and NAS unprotect
 * (TS 24.501 4.4). Every input is decoded as a plain message; what decodes is walked and
 * re-encoded (the encoder must accept whatever the decoder produced), and the input is
 * also offered to sen_nas_unprotect under a fixed context, whose plain output is decoded.
 */
#include "nas/nas.h"
#include "nas/sec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void v_open(void *a, const char *n) { (void)a; (void)n; }
static void v_close(void *a) { (void)a; }
static void v_value(void *a, const char *n, const char *t) { (void)a; (void)n; (void)t; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	static const struct sen_nas_visitor v = {v_open, v_close, v_value};
	static struct sen_nas_msg msg, msg2;
	static uint8_t out[70000], plain[70000];
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
		if (n > 0 && sen_nas_decode(out, (size_t)n, &msg2, NULL) != 0)
			abort(); /* what we encode we must be able to decode */
	}
	if (sen_nas_sec_init(&ctx, k, k, size ? data[0] & 3 : 0, 2, SEN_NAS_ACCESS_3GPP, false) ==
	    0) {
		int n = sen_nas_unprotect(&ctx, buf, size, plain, sizeof(plain), NULL);
		if (n > 0)
			sen_nas_decode(plain, (size_t)n, &msg, NULL);
		sen_nas_sec_clear(&ctx);
	}
	free(buf);
	return 0;
}
