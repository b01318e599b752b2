/*
 * SUCI: the Subscription Concealed Identifier (TS 23.003 2.2B, TS 24.501 9.11.3.4) and its
 * de-concealment by the home network (TS 33.501 6.12, Annex C): the null scheme, ECIES
 * Profile A (X25519) and Profile B (secp256r1 with a compressed ephemeral key).
 * The MAC tag is always checked before anything is decrypted.
 *
 * The UE side (concealment) is here too, for sen-ransim and for round-trip tests.
 */
#ifndef SEN_CRYPTO_SUCI_H
#define SEN_CRYPTO_SUCI_H

#include <stddef.h>
#include <stdint.h>

enum sen_suci_scheme {
	SEN_SUCI_NULL = 0,      /* null scheme: the MSIN in clear */
	SEN_SUCI_PROFILE_A = 1, /* ECIES X25519 */
	SEN_SUCI_PROFILE_B = 2, /* ECIES secp256r1 */
};

enum sen_supi_type { SEN_SUPI_IMSI = 0, SEN_SUPI_NAI = 1 };

#define SEN_SUCI_OUTPUT_MAX 3000 /* NAS carries at most a 3-octet-length IE */

struct sen_suci {
	uint8_t supi_type;     /* enum sen_supi_type */
	char mcc[4];           /* 3 digits */
	char mnc[4];           /* 2 or 3 digits */
	char routing[5];       /* routing indicator, 1 to 4 digits */
	uint8_t scheme;        /* protection scheme identifier, 0..15 */
	uint8_t hn_key_id;     /* home network public key identifier, 0..255 */
	/*
	 * Scheme output exactly as NAS carries it (TS 24.501 9.11.3.4): for the null scheme
	 * the MSIN in BCD (two digits per octet, low nibble first, 0xF filler); for Profile A/B
	 * ephemeral public key || ciphertext || MAC tag (8 bytes).
	 */
	uint8_t output[SEN_SUCI_OUTPUT_MAX];
	size_t output_len;
};

/*
 * Parse the string form "suci-<type>-<mcc>-<mnc>-<routing>-<scheme>-<keyid>-<output>"
 * (TS 23.003 28.7.3); <output> is the MSIN digits for the null scheme, hex otherwise.
 * Returns 0, or -SEN_EINVAL naming nothing: use the return code only.
 */
int sen_suci_parse(const char *str, struct sen_suci *suci);

/* Home network private key for one protection scheme. */
struct sen_hn_key;

/* From raw private key bytes (32 for both profiles). Returns 0 or a negative error. */
int sen_hn_key_from_bytes(int scheme, const uint8_t *priv, size_t len, struct sen_hn_key **key);

/*
 * From a file holding the private key as 64 hex digits (whitespace around it allowed) or
 * as a PEM private key (PKCS#8 or, for Profile B, SEC1 "EC PRIVATE KEY").
 * Returns 0, -SEN_EIO (cannot read), -SEN_EINVAL (not a key of that scheme).
 */
int sen_hn_key_load_file(int scheme, const char *path, struct sen_hn_key **key);

/* Public key bytes: 32 for Profile A, 33 (compressed) for Profile B. Returns length or error. */
int sen_hn_key_public(const struct sen_hn_key *key, uint8_t *out, size_t cap);

void sen_hn_key_free(struct sen_hn_key *key);

/*
 * De-conceal: write the SUPI as "imsi-<mcc><mnc><msin>" (or "nai-…") into `supi`.
 * `key` may be NULL for the null scheme and must match suci->scheme otherwise.
 * Returns 0, -SEN_EAUTH (MAC tag does not verify), -SEN_EPROTO (malformed output, e.g.
 * an ephemeral key not on the curve, bad BCD), -SEN_ENOTSUP (unknown scheme),
 * -SEN_EMSGSIZE (`supi` too small).
 */
int sen_suci_deconceal(const struct sen_suci *suci, const struct sen_hn_key *key, char *supi,
		       size_t cap);

/*
 * UE side: conceal an IMSI's MSIN (digits) with the given scheme and home network public
 * key (32 bytes for A; 33 or 65 for B), filling suci->output. `eph_priv` (32 bytes) fixes
 * the ephemeral key for tests; NULL draws a fresh one. Other suci fields are the caller's.
 */
int sen_suci_conceal(struct sen_suci *suci, int scheme, const uint8_t *hn_pub, size_t hn_pub_len,
		     const uint8_t *eph_priv, const char *msin);

/* Format the string form of a SUCI into out. Returns the length or -SEN_EMSGSIZE. */
int sen_suci_format(const struct sen_suci *suci, char *out, size_t cap);

#endif
