/*
 * libFuzzer target: the GTP-U decoder (TS 29.281, TS 38.415 PDU Session Container) and the
 * G-PDU fast path. The fast path must agree with the full decoder (TEID, QFI, payload)
 * whenever either accepts a G-PDU; whatever decodes must re-encode and decode again.
 */
#include "gtpu/gtpu.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sen_gtpu_msg msg, msg2;
	static uint8_t out[70000];
	struct sen_gtpu_gpdu g;

	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	int n = sen_gtpu_decode(buf, size, &msg, NULL);
	int f = sen_gtpu_parse_gpdu(buf, size, &g);
	if (n >= 0 && msg.type == SEN_GTPU_GPDU) {
		if (f != 0 || g.teid != msg.teid || g.has_psc != msg.has_psc ||
		    g.qfi != (msg.has_psc ? msg.psc.qfi : 0) || buf + g.payload_off != msg.tpdu.p ||
		    g.payload_len != msg.tpdu.len)
			abort();
	} else if (f == 0) {
		abort(); /* the fast path accepted what the decoder refused */
	}
	if (n >= 0) {
		int m = sen_gtpu_encode(&msg, out, sizeof(out));
		if (m < 0 || sen_gtpu_decode(out, (size_t)m, &msg2, NULL) != m)
			abort();
		if (msg2.type != msg.type || msg2.teid != msg.teid || msg2.has_psc != msg.has_psc)
			abort();
	}
	free(buf);
	return 0;
}
