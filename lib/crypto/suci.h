/*
 * SUCI: the Subscription Concealed Identifier (TS 23.003 2.2B, TS 24.501 9.11.3.4) and its
 * de-concealment by the home network (TS 33.501 6.12, Annex C): the null scheme, ECIES
 * Profile A (X25519) and Profile B (secp256r1 with a compressed ephemeral key).
 * The MAC tag is always checked before anything is decrypted.
 *
 * SUPI types: IMSI (type 0) and Network Specific Identifier (type 1, a NAI whose username is
 * the scheme input, TS 33.501 6.12.2). GLI and GCI (types 2, 3) parse but do not de-conceal.
 *
 * The UE side (concealment) is here too, for sen-ransim and for round-trip tests.
 */
#ifndef SEN_CRYPTO_SUCI_H
#define SEN_CRYPTO_SUCI_H

#include <stddef.h>
#include <stdint.h>

enum sen_suci_scheme {
	SEN_SUCI_NULL = 0,	/* null scheme: the MSIN in clear */
	SEN_SUCI_PROFILE_A = 1, /* ECIES X25519 */
	SEN_SUCI_PROFILE_B = 2, /* ECIES secp256r1 */
};

enum sen_supi_type { SEN_SUPI_IMSI = 0, SEN_SUPI_NAI = 1 };

#define SEN_SUCI_OUTPUT_MAX 3000 /* NAS carries at most a 3-octet-length IE */
#define SEN_SUCI_REALM_MAX  253	 /* RFC 7542 2.2: a whole NAI is at most 253 octets */
#define SEN_SUCI_NAI_MAX    253	 /* username@realm, RFC 7542 2.2 */
/* Longest string form sen_suci_parse accepts and sen_suci_format writes, without the NUL. */
#define SEN_SUCI_STR_MAX (19 + SEN_SUCI_REALM_MAX + 2 * SEN_SUCI_OUTPUT_MAX)
/* A buffer this size holds any SUPI sen_suci_deconceal writes ("nai-" + NAI + NUL). */
#define SEN_SUPI_MAX (4 + SEN_SUCI_NAI_MAX + 1)

struct sen_suci {
	uint8_t supi_type; /* 0..7 (TS 23.003 2.2B); enum sen_supi_type names 0 and 1 */
	char mcc[4];	   /* SUPI type IMSI: 3 digits; empty otherwise */
	char mnc[4];	   /* SUPI type IMSI: 2 or 3 digits; empty otherwise */
	/* Other SUPI types: the home network identifier, a domain name (TS 23.003 2.2B). */
	char realm[SEN_SUCI_REALM_MAX + 1];
	char routing[5];   /* routing indicator, 1 to 4 digits */
	uint8_t scheme;	   /* protection scheme identifier, 0..15 */
	uint8_t hn_key_id; /* home network public key identifier, 0..255 (0 for null) */
	/*
	 * Scheme output exactly as NAS carries it (TS 24.501 9.11.3.4): for the null scheme
	 * the MSIN in BCD (two digits per octet, low nibble first, 0xF filler), or for other
	 * SUPI types the NAI username octets; for Profile A/B
	 * ephemeral public key || ciphertext || MAC tag (8 bytes).
	 */
	uint8_t output[SEN_SUCI_OUTPUT_MAX];
	size_t output_len;
};

/*
 * Parse the string form (TS 29.571 5.3.2 "Suci", after TS 23.003 2.2B):
 *   "suci-0-<mcc>-<mnc>-<routing>-<scheme>-<keyid>-<output>"   SUPI type IMSI
 *   "suci-<type>-<realm>-<routing>-<scheme>-<keyid>-<output>"  types 1..7 (NAI)
 * <scheme> is one hex digit; <keyid> is decimal without leading zeros and must be 0 for the
 * null scheme; <output> is the MSIN digits (IMSI) or the NAI username (other types) for the
 * null scheme, hex (either case) otherwise. A realm that holds '-' is split at the first
 * place where the rest parses.
 * Returns 0, or -SEN_EINVAL naming nothing: use the return code only.
 */
int sen_suci_parse(const char *str, struct sen_suci *suci);

/* Home network private key for one protection scheme. */
struct sen_hn_key;

/*
 * From raw private key bytes (32 for both profiles). Returns 0, -SEN_EINVAL (scheme is not
 * A or B, wrong length, or a P-256 scalar outside [1, n-1]), -SEN_ENOMEM or -SEN_ECRYPTO.
 */
int sen_hn_key_from_bytes(int scheme, const uint8_t *priv, size_t len, struct sen_hn_key **key);

/*
 * From a file holding the private key as 64 hex digits (whitespace around it allowed) or
 * as a PEM private key (PKCS#8 or, for Profile B, SEC1 "EC PRIVATE KEY"); an encrypted PEM
 * is refused, never prompted for.
 * Returns 0, -SEN_EIO (cannot read), -SEN_EINVAL (not a key of that scheme).
 */
int sen_hn_key_load_file(int scheme, const char *path, struct sen_hn_key **key);

/* Public key bytes: 32 for Profile A, 33 (compressed) for Profile B. Returns length or error. */
int sen_hn_key_public(const struct sen_hn_key *key, uint8_t *out, size_t cap);

void sen_hn_key_free(struct sen_hn_key *key);

/*
 * De-conceal: write the SUPI as "imsi-<mcc><mnc><msin>" or "nai-<username>@<realm>" into
 * `supi` (SEN_SUPI_MAX always suffices).
 * `key` may be NULL for the null scheme and must match suci->scheme otherwise.
 * Returns 0, -SEN_EAUTH (MAC tag does not verify), -SEN_EPROTO (malformed SUCI, e.g.
 * an ephemeral key not on the curve, a truncated output, bad BCD, bad digits),
 * -SEN_ENOTSUP (unknown scheme, SUPI type other than IMSI and NAI), -SEN_EINVAL (key
 * missing or for another scheme), -SEN_EMSGSIZE (`supi` too small), -SEN_ECRYPTO.
 */
int sen_suci_deconceal(const struct sen_suci *suci, const struct sen_hn_key *key, char *supi,
		       size_t cap);

/*
 * UE side: conceal an IMSI's MSIN (digits), or for suci->supi_type NAI the NAI username
 * given in `msin`, with the given scheme and home network public key (32 bytes for A; 33
 * or 65 for B; unused for the null scheme), setting suci->scheme and filling suci->output.
 * `eph_priv` (32 bytes) fixes the ephemeral key for tests; NULL draws a fresh one. Other
 * suci fields are the caller's.
 * Returns 0, -SEN_EINVAL (bad MSIN / username / public key / eph_priv), -SEN_ENOTSUP,
 * -SEN_ECRYPTO.
 */
int sen_suci_conceal(struct sen_suci *suci, int scheme, const uint8_t *hn_pub, size_t hn_pub_len,
		     const uint8_t *eph_priv, const char *msin);

/*
 * Format the string form of a SUCI into out. Returns the length, -SEN_EMSGSIZE, or
 * -SEN_EINVAL (a field that sen_suci_parse would refuse).
 */
int sen_suci_format(const struct sen_suci *suci, char *out, size_t cap);

/*
 * ECIES steps, exposed for tests and tools (TS 33.501 C.3.2, C.3.3).
 * Shared secret Z of `key` and a peer public key (32 bytes for A; 33 compressed or 65
 * uncompressed for B). Returns 0, -SEN_EPROTO (not a valid point or a low-order point),
 * -SEN_EINVAL, -SEN_ECRYPTO.
 */
int sen_hn_key_shared_secret(const struct sen_hn_key *key, const uint8_t *peer_pub, size_t peer_len,
			     uint8_t z[32]);

/*
 * ANSI X9.63 KDF with SHA-256 over Z with SharedInfo1 = the ephemeral public key, split as
 * encryption key (16) || ICB (16) || MAC key (32) (TS 33.501 C.3.4.1, C.3.4.2).
 * Returns 0 or -SEN_ECRYPTO.
 */
int sen_suci_ecies_kdf(const uint8_t z[32], const uint8_t *eph_pub, size_t eph_len,
		       uint8_t enc_key[16], uint8_t icb[16], uint8_t mac_key[32]);

#endif
