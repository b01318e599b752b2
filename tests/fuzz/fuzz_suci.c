/*
 * libFuzzer target: SUCI string parsing and de-concealment (TS 33.501 6.12, Annex C).
 * The input is taken as a SUCI string; whatever parses is de-concealed with the Annex C.4
 * home-network keys, so the ECIES paths (point decoding, MAC check) see hostile data.
 */
#include "crypto/suci.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sen_hn_key *key_a, *key_b;

static void load_keys(void)
{
	/* TS 33.501 C.4.3 / C.4.4 home network private keys (public test data). */
	static const uint8_t a[32] = {
		0xc5, 0x3c, 0x22, 0x20, 0x8b, 0x61, 0x86, 0x0b, 0x06, 0xc6, 0x2e,
		0x54, 0x06, 0xa7, 0xb3, 0x30, 0xc2, 0xb5, 0x77, 0xaa, 0x55, 0x58,
		0x98, 0x15, 0x10, 0xd1, 0x28, 0x24, 0x7d, 0x38, 0xbd, 0x1d,
	};
	static const uint8_t b[32] = {
		0xf1, 0xab, 0x10, 0x74, 0x47, 0x7e, 0xbc, 0xc7, 0xf5, 0x54, 0xea,
		0x1c, 0x5f, 0xc3, 0x68, 0xb1, 0x61, 0x67, 0x30, 0x15, 0x5e, 0x00,
		0x41, 0xac, 0x44, 0x7d, 0x63, 0x01, 0x97, 0x5f, 0xec, 0xda,
	};
	if (sen_hn_key_from_bytes(SEN_SUCI_PROFILE_A, a, sizeof(a), &key_a) < 0 ||
	    sen_hn_key_from_bytes(SEN_SUCI_PROFILE_B, b, sizeof(b), &key_b) < 0)
		abort(); /* our own constant keys: a failure here is a bug, not input */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sen_suci suci;
	char str[8192], supi[512];

	if (!key_a)
		load_keys();
	if (size >= sizeof(str))
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	if (sen_suci_parse(str, &suci) < 0)
		return 0;
	const struct sen_hn_key *k = suci.scheme == SEN_SUCI_PROFILE_A	 ? key_a
				     : suci.scheme == SEN_SUCI_PROFILE_B ? key_b
									 : NULL;
	sen_suci_deconceal(&suci, k, supi, sizeof(supi));
	return 0;
}
