/*
 * NAS security (TS 33.501 6.4, TS 24.501 4.4): protect and unprotect 5GMM messages with
 * security header types 1-4 under a per-UE 5G NAS security context.
 *
 * Wire form of a security protected 5GMM message (TS 24.501 9.1.1, figure 9.1.1.2):
 *   EPD 0x7E | security header type | MAC (4) | SQN (1) | plain NAS message (maybe ciphered)
 * The MAC covers SQN || message (after ciphering); ciphering covers the message only.
 *
 * NAS COUNT (TS 24.501 4.4.3.1) is 24 bits, overflow (16) << 8 | SQN (8), and enters the
 * algorithms as the 32-bit COUNT 0x00 || NAS COUNT. On receive, the overflow is estimated
 * from the 8-bit SQN: an SQN not above the last accepted one means the overflow moved on.
 * A message whose COUNT is not above the last accepted COUNT is a replay and is refused
 * (TS 33.501 6.4.3.2, 6.4.4.2).
 *
 * DIRECTION is 0 uplink, 1 downlink (TS 33.501 D.2.1). BEARER is the NAS connection
 * identifier of the access (TS 33.501 6.4.3.1); it is set by sen_nas_sec_init from the
 * access type: 1 for 3GPP access and 2 for non-3GPP access, the values that deployed
 * 5G cores and UEs (free5GC, Open5GS, UERANSIM) interoperate with.
 */
#ifndef SEN_NAS_SEC_H
#define SEN_NAS_SEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/nxa.h"

#define SEN_NAS_SEC_OVERHEAD 7 /* EPD, security header type, MAC (4), SQN */
#define SEN_NAS_DIR_UPLINK 0
#define SEN_NAS_DIR_DOWNLINK 1
#define SEN_NAS_ACCESS_3GPP 1
#define SEN_NAS_ACCESS_NON3GPP 2

/*
 * A 5G NAS security context: raw keys, algorithms and counts only (no allocation, so it
 * may be copied by assignment). nia / nea are one-element arrays so that `ctx->nea` is a
 * `struct sen_nxa *` usable with sen_nea_apply() (e.g. for a NAS message container).
 */
struct sen_nas_sec_ctx {
	struct sen_nxa nia[1]; /* 5G-IA and KNASint */
	struct sen_nxa nea[1]; /* 5G-EA and KNASenc */
	uint8_t ia, ea;	       /* 5G-IA / 5G-EA in use, 0..3 */
	uint8_t bearer;	       /* see the file comment */
	bool ue_side;	       /* true: this end is the UE (sends uplink, receives downlink) */
	uint32_t tx_count;     /* NAS COUNT for the next message sent */
	uint32_t rx_count;     /* last accepted received NAS COUNT (valid when rx_any) */
	bool rx_any;
};

/*
 * Set up `ctx` with NAS keys and algorithms: both counts start at 0. access is
 * SEN_NAS_ACCESS_3GPP or _NON3GPP. Returns 0 or -SEN_EINVAL (algorithm > 3, bad access).
 * Nothing is allocated; sen_nas_sec_clear wipes the keys when done.
 */
int sen_nas_sec_init(struct sen_nas_sec_ctx *ctx, const uint8_t knas_int[16],
		     const uint8_t knas_enc[16], uint8_t ia, uint8_t ea, int access, bool ue_side);

/* As sen_nas_sec_init, deriving KNASint and KNASenc from KAMF (TS 33.501 A.8). */
int sen_nas_sec_init_kamf(struct sen_nas_sec_ctx *ctx, const uint8_t kamf[32], uint8_t ia,
			  uint8_t ea, int access, bool ue_side);

/* Wipe the keys (the context is then unusable until the next init). */
void sen_nas_sec_clear(struct sen_nas_sec_ctx *ctx);

/*
 * Protect the plain 5GMM message plain[len] with security header type sht (1..4):
 * integrity always, ciphering for 2 and 4. Writes len + SEN_NAS_SEC_OVERHEAD octets to
 * out (which must not overlap plain) and advances tx_count. Returns the length, or
 * -SEN_EINVAL (bad sht, empty message), -SEN_EMSGSIZE (out too small), -SEN_ERANGE (NAS
 * COUNT exhausted: a new security context is needed), -SEN_ECRYPTO.
 */
int sen_nas_protect(struct sen_nas_sec_ctx *ctx, uint8_t sht, const uint8_t *plain, size_t len,
		    uint8_t *out, size_t cap);

/* The parts of a security protected message, found without keys. */
struct sen_nas_sec_hdr {
	uint8_t sht;
	uint8_t mac[4];
	uint8_t sqn;
	const uint8_t *payload; /* the (maybe ciphered) plain NAS message, in the input */
	size_t payload_len;
};

/*
 * Split a security protected 5GMM message. Returns 0, -SEN_EMSGSIZE (shorter than the
 * security header + a message header), -SEN_EPROTO (EPD not 5GMM, or the security header
 * type is 0 or not one of 1..4).
 */
int sen_nas_sec_parse(const uint8_t *in, size_t len, struct sen_nas_sec_hdr *hdr);

/*
 * Check and remove protection: estimate the NAS COUNT, verify the MAC, refuse replays,
 * decipher (types 2 and 4), write the plain message to out (may not overlap in) and
 * record the accepted COUNT. Returns the plain length, or -SEN_EMSGSIZE, -SEN_EPROTO
 * (as sen_nas_sec_parse), -SEN_EAUTH (MAC does not verify), -SEN_EEXIST (replay: the
 * MAC verifies for a COUNT already accepted), -SEN_ERANGE (COUNT would pass 2^24),
 * -SEN_ECRYPTO. On any error the context is unchanged. With 5G-IA0 no MAC can be
 * checked (emergency services only): then only an SQN equal to the last accepted one is
 * refused as a replay, and a lower one is taken as the overflow moving on.
 */
int sen_nas_unprotect(struct sen_nas_sec_ctx *ctx, const uint8_t *in, size_t len, uint8_t *out,
		      size_t cap, struct sen_nas_sec_hdr *hdr);

#endif
