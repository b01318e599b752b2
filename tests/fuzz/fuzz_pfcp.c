/*
 * libFuzzer target: the PFCP decoder (TS 29.244 clauses 7, 8). Every input is decoded as
 * a UDP datagram of bundled messages (7.2.1A); each message that decodes is walked and
 * re-encoded, and the re-encoding must decode again to the same octets (the encoder must
 * accept whatever the decoder produced, and be stable).
 */
#include "pfcp/pfcp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void v_open(void *a, const char *n)
{
	(void)a;
	(void)n;
}
static void v_close(void *a)
{
	(void)a;
}
static void v_value(void *a, const char *n, const char *t)
{
	(void)a;
	(void)n;
	(void)t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sen_pfcp_visitor v = {v_open, v_close, v_value};
	static struct sen_pfcp_msg msg, msg2;
	static uint8_t out[70000], out2[70000];
	struct sen_pfcp_error e;

	/* a private copy, so that any read past `size` is caught by ASan */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	size_t off = 0;
	while (off < size) {
		int n = sen_pfcp_decode(buf + off, size - off, &msg, &e);
		if (n < 0)
			break;
		if (e.problem == NULL || e.msg == NULL)
			abort();
		sen_pfcp_walk(&msg, &v, NULL);
		int m = sen_pfcp_encode(&msg, out, sizeof(out));
		if (m < 0)
			abort(); /* what we decoded we must be able to encode */
		if (sen_pfcp_decode(out, (size_t)m, &msg2, NULL) != m)
			abort();
		int m2 = sen_pfcp_encode(&msg2, out2, sizeof(out2));
		if (m2 != m || memcmp(out, out2, (size_t)m) != 0)
			abort();
		off += (size_t)n;
		if (!msg.fo)
			break;
	}
	free(buf);
	return 0;
}
