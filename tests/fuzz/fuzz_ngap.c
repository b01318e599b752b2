/*
 * libFuzzer target: the NGAP decoder (TS 38.413 on lib/asn's APER codec). Every input is
 * decoded as an NGAP-PDU in a private copy (so ASan sees any read past it), judged by
 * clause 10, walked by the printer (which also decodes the transfers inside), and
 * re-encoded; what re-encodes must decode again and re-encode to the same octets. The
 * input is also offered to each of the ten transfer decoders.
 */
#include "ngap/ngap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void v_open(void *a, const char *n, bool l) { (void)a; (void)n; (void)l; }
static void v_close(void *a) { (void)a; }
static void v_value(void *a, const char *n, const char *t) { (void)a; (void)n; (void)t; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sen_ngap_visitor v = {v_open, v_close, v_value, NULL};
	static const struct sen_asn_type *const transfers[] = {
	    &sen_ngap_setup_request_transfer_type,
	    &sen_ngap_setup_response_transfer_type,
	    &sen_ngap_setup_unsuccessful_transfer_type,
	    &sen_ngap_modify_request_transfer_type,
	    &sen_ngap_modify_response_transfer_type,
	    &sen_ngap_modify_unsuccessful_transfer_type,
	    &sen_ngap_release_command_transfer_type,
	    &sen_ngap_release_response_transfer_type,
	    &sen_ngap_notify_transfer_type,
	    &sen_ngap_notify_released_transfer_type,
	};
	static uint8_t arena_buf[8192], out[70000], out2[70000];
	static uint64_t tval[512]; /* aligned for any transfer struct */
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu, pdu2;
	struct sen_ngap_judgement j;

	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	sen_asn_arena_init(&arena, arena_buf, sizeof(arena_buf), 4 << 20);
	sen_asn_ctx_init(&ctx, &arena, 0);
	if (sen_ngap_decode(&pdu, buf, size, &ctx) >= 0) {
		(void)sen_ngap_judge(&pdu, &ctx, &j);
		/* with the decode's context: mandatory IEs found missing are skipped */
		(void)sen_ngap_walk(&pdu, &v, NULL, &ctx);
		int n = sen_ngap_encode(&pdu, out, sizeof(out));
		if (n > 0) {
			struct sen_asn_arena a2;
			struct sen_asn_ctx c2;
			sen_asn_arena_init(&a2, NULL, 0, 4 << 20);
			sen_asn_ctx_init(&c2, &a2, 0);
			if (sen_ngap_decode(&pdu2, out, (size_t)n, &c2) < 0)
				abort(); /* what we encode we must decode */
			if (sen_ngap_encode(&pdu2, out2, sizeof(out2)) != n || memcmp(out, out2, (size_t)n))
				abort(); /* and it must be stable */
			sen_asn_arena_fini(&a2);
		}
	}
	for (unsigned i = 0; i < sizeof(transfers) / sizeof(transfers[0]); i++) {
		sen_asn_arena_reset(&arena);
		if (transfers[i]->size <= sizeof(tval))
			(void)sen_ngap_transfer_decode(transfers[i], tval, buf, size, &ctx);
	}
	sen_asn_arena_fini(&arena);
	free(buf);
	return 0;
}
