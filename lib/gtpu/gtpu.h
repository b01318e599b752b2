/*
 * GTP-U (TS 29.281 Release 17) for N3 / N9: the header of clause 5.1, the extension
 * header chain of 5.2 with the PDU Session Container of TS 38.415 5.5.2, and the
 * messages of clause 7 Sen uses: G-PDU, Echo Request / Response, Error Indication, End
 * Marker and Supported Extension Headers Notification, with the IEs of clause 8.
 *
 * Two layers:
 *   - the fast path, for the UPF's data plane and sen-ransim: sen_gtpu_parse_gpdu() reads
 *     a G-PDU header in place (TEID, QFI, payload offset; no allocation, no copy, and one
 *     predictable branch for the two common shapes), and sen_gtpu_push_gpdu() writes an
 *     encapsulation header in place into the headroom before a payload;
 *   - the full codec, sen_gtpu_decode() / sen_gtpu_encode(), for signalling messages,
 *     tools and tests.
 *
 * Input is hostile: every length is checked and nothing is read outside the buffer.
 * Rules (TS 29.281 5.2.1, 7.3): an extension header whose comprehension is not required
 * (type bits 8..7 = 00 or 01) is skipped when unknown; an unknown one whose comprehension
 * is required is an error (the receiver drops the packet and may send a Supported
 * Extension Headers Notification). Unknown TLV IEs are skipped; unknown TV IEs cannot be
 * delimited and are an error.
 *
 * Byte strings in a decoded message point into the input buffer.
 */
#ifndef SEN_GTPU_GTPU_H
#define SEN_GTPU_GTPU_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SEN_GTPU_PORT 2152 /* TS 29.281 4.4.2.3 */

/* Message types (TS 29.281 6.1, table 6.1-1). */
enum sen_gtpu_msg_type {
	SEN_GTPU_ECHO_REQUEST = 1,
	SEN_GTPU_ECHO_RESPONSE = 2,
	SEN_GTPU_ERROR_INDICATION = 26,
	SEN_GTPU_SUPPORTED_EXT_HEADERS = 31, /* Supported Extension Headers Notification */
	SEN_GTPU_END_MARKER = 254,
	SEN_GTPU_GPDU = 255,
};

/* Extension header types (TS 29.281 5.2.1, figure 5.2.1-3). */
enum sen_gtpu_ext_type {
	SEN_GTPU_EXT_NONE = 0x00,
	SEN_GTPU_EXT_UDP_PORT = 0x40,
	SEN_GTPU_EXT_RAN_CONTAINER = 0x81,
	SEN_GTPU_EXT_LONG_PDCP_PDU_NUMBER = 0x82,
	SEN_GTPU_EXT_NR_RAN_CONTAINER = 0x84,
	SEN_GTPU_EXT_PDU_SESSION_CONTAINER = 0x85,
	SEN_GTPU_EXT_PDCP_PDU_NUMBER = 0xc0,
};

/* IE types (TS 29.281 8.1). */
enum sen_gtpu_ie_type {
	SEN_GTPU_IE_RECOVERY = 14,		/* TV, 1 octet */
	SEN_GTPU_IE_TEID_DATA_I = 16,		/* TV, 4 octets */
	SEN_GTPU_IE_PEER_ADDRESS = 133,		/* TLV: 4 or 16 octets */
	SEN_GTPU_IE_EXT_HEADER_TYPE_LIST = 141, /* TLV with a 1-octet length */
	SEN_GTPU_IE_PRIVATE_EXTENSION = 255,
};

/* ---- fast path ---- */

/* PDU Session Container types (TS 38.415 5.5.3.1). */
#define SEN_GTPU_PSC_DL 0 /* DL PDU SESSION INFORMATION (UPF to gNB) */
#define SEN_GTPU_PSC_UL 1 /* UL PDU SESSION INFORMATION (gNB to UPF) */

struct sen_gtpu_gpdu {
	uint32_t teid;
	uint8_t qfi;	      /* from the PDU Session Container; 0 when there is none */
	bool has_psc;	      /* a PDU Session Container was present */
	uint16_t payload_off; /* T-PDU offset from the start of the GTP-U header */
	uint16_t payload_len; /* T-PDU length */
};

/* Parse the rest of a G-PDU header (any extension chain). Use sen_gtpu_parse_gpdu(). */
int sen_gtpu_parse_gpdu_slow(const uint8_t *p, size_t len, struct sen_gtpu_gpdu *g);

/*
 * Parse the GTP-U header of a G-PDU in place: p[len] is the UDP payload. Fills *g and
 * returns 0; or returns -SEN_EMSGSIZE (truncated, or the length field runs past len),
 * -SEN_EPROTO (not GTPv1-U, bad extension chain, a comprehension-required extension
 * header Sen does not know), -SEN_ENOENT (a valid GTP-U message that is not a G-PDU:
 * hand it to sen_gtpu_decode()). Octets after the length field's end are ignored.
 * The common shapes (no optional fields; or one PDU Session Container of 4 octets) take
 * the inline path; anything else goes through sen_gtpu_parse_gpdu_slow().
 */
static inline int sen_gtpu_parse_gpdu(const uint8_t *p, size_t len, struct sen_gtpu_gpdu *g)
{
	if (__builtin_expect(len < 8, 0))
		return -SEN_EMSGSIZE;
	uint32_t mlen = (uint32_t)p[2] << 8 | p[3];
	uint8_t f = p[0] & 0xf7; /* the spare bit is ignored (5.1) */
	if (__builtin_expect((f != 0x30 && f != 0x34) || p[1] != SEN_GTPU_GPDU || mlen + 8 > len,
			     0))
		return sen_gtpu_parse_gpdu_slow(p, len, g);
	g->teid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	if (f == 0x30) {
		g->qfi = 0;
		g->has_psc = false;
		g->payload_off = 8;
		g->payload_len = (uint16_t)mlen;
		return 0;
	}
	/* E set, S and PN clear: one 4-octet PDU Session Container ending the chain. */
	/* No optional container fields: DL without PPP, UL without N3/N9 delay or new IEs. */
	if (mlen >= 8 && p[11] == SEN_GTPU_EXT_PDU_SESSION_CONTAINER && p[12] == 1 &&
	    p[15] == SEN_GTPU_EXT_NONE && (p[13] & 0xef) == 0 &&
	    (p[14] & (p[13] ? 0xc0 : 0x80)) == 0) {
		g->qfi = p[14] & 0x3f;
		g->has_psc = true;
		g->payload_off = 16;
		g->payload_len = (uint16_t)(mlen - 8);
		return 0;
	}
	return sen_gtpu_parse_gpdu_slow(p, len, g);
}

/* Octets sen_gtpu_push_gpdu() writes: 8, or 16 with a PDU Session Container. */
#define SEN_GTPU_GPDU_HDR     8
#define SEN_GTPU_GPDU_HDR_PSC 16

/*
 * Encapsulate in place: write a G-PDU header into the `headroom` octets before
 * `payload` (which holds payload_len octets) and return a pointer to the header's first
 * octet; the packet is then [returned pointer, payload + payload_len). With psc_type
 * SEN_GTPU_PSC_DL or SEN_GTPU_PSC_UL a 4-octet PDU Session Container (TS 38.415 5.5.2.1
 * / 5.5.2.2) with `qfi` (and RQI, DL only) is added; with psc_type < 0 there is none.
 * Returns NULL if the headroom is too small, payload_len + header exceeds 65535 + 8, or
 * qfi > 63. Nothing is allocated; no field but the header's is touched.
 */
static inline uint8_t *sen_gtpu_push_gpdu(uint8_t *payload, size_t headroom, size_t payload_len,
					  uint32_t teid, int psc_type, uint8_t qfi, bool rqi)
{
	size_t hl = psc_type < 0 ? SEN_GTPU_GPDU_HDR : SEN_GTPU_GPDU_HDR_PSC;
	if (headroom < hl || payload_len + hl - 8 > 0xffff || qfi > 63 || psc_type > 1)
		return NULL;
	uint8_t *h = payload - hl;
	size_t mlen = payload_len + hl - 8;
	h[0] = psc_type < 0 ? 0x30 : 0x34;
	h[1] = SEN_GTPU_GPDU;
	h[2] = (uint8_t)(mlen >> 8);
	h[3] = (uint8_t)mlen;
	h[4] = (uint8_t)(teid >> 24);
	h[5] = (uint8_t)(teid >> 16);
	h[6] = (uint8_t)(teid >> 8);
	h[7] = (uint8_t)teid;
	if (psc_type >= 0) {
		h[8] = h[9] = h[10] = 0; /* sequence number, N-PDU number: not used */
		h[11] = SEN_GTPU_EXT_PDU_SESSION_CONTAINER;
		h[12] = 1; /* length in 4-octet units */
		h[13] = (uint8_t)(psc_type << 4);
		h[14] = (uint8_t)(qfi | (rqi && psc_type == SEN_GTPU_PSC_DL ? 0x40 : 0));
		h[15] = SEN_GTPU_EXT_NONE;
	}
	return h;
}

/* ---- full codec ---- */

struct sen_gtpu_bytes {
	const uint8_t *p;
	size_t len;
};

/*
 * PDU Session Container (TS 38.415 5.5.2). DL PDU SESSION INFORMATION (type 0): QMP,
 * SNP, MSNP flags, PPP + PPI, RQI, QFI, then the DL sending time stamp (QMP), DL QFI
 * sequence number (SNP) and DL MBS QFI sequence number (MSNP). UL PDU SESSION
 * INFORMATION (type 1): QMP, DL/UL/N3N9 delay indications, SNP, QFI, then the time
 * stamps (QMP), delay results and UL QFI sequence number (SNP).
 */
struct sen_gtpu_psc {
	uint8_t type; /* SEN_GTPU_PSC_DL or SEN_GTPU_PSC_UL */
	uint8_t qfi;  /* 6 bits */
	bool qmp;     /* QoS monitoring packet: time stamps follow */
	bool snp;     /* QFI sequence number present */
	/* DL only */
	bool rqi, ppp, msnp;
	uint8_t ppi; /* 3 bits, with ppp */
	uint64_t dl_sending_ts;
	uint32_t dl_qfi_seq; /* 24 bits */
	uint32_t dl_mbs_qfi_seq;
	/* UL only */
	bool dl_delay_ind, ul_delay_ind, n3n9_delay_ind;
	uint64_t dl_received_ts, ul_sending_ts; /* with qmp (dl_sending_ts too) */
	uint32_t dl_delay, ul_delay, n3n9_delay;
	uint32_t ul_qfi_seq; /* 24 bits */
};

/* Another extension header, kept as its content octets (between length and next type). */
#define SEN_GTPU_EXT_MAX 4
struct sen_gtpu_ext {
	uint8_t type;
	struct sen_gtpu_bytes content; /* 4n - 2 octets */
};

struct sen_gtpu_msg {
	uint8_t type; /* enum sen_gtpu_msg_type */
	uint32_t teid;
	bool has_seq, has_npdu; /* S and PN flags */
	uint16_t seq;
	uint8_t npdu;
	bool has_psc; /* written first in the extension chain */
	struct sen_gtpu_psc psc;
	uint8_t n_ext; /* other extension headers, in order */
	struct sen_gtpu_ext ext[SEN_GTPU_EXT_MAX];

	/* IEs (TS 29.281 7.2, 7.3) */
	bool has_recovery; /* Echo Response: mandatory, value 0 */
	uint8_t recovery;
	uint32_t teid_data_i;  /* Error Indication */
	uint8_t peer_addr_len; /* Error Indication: 4 or 16 */
	uint8_t peer_addr[16];
	uint8_t n_ext_types; /* Supported Extension Headers Notification */
	uint8_t ext_types[32];

	struct sen_gtpu_bytes tpdu; /* G-PDU payload */
};

struct sen_gtpu_error {
	const char *what;    /* the field or IE ("extension header chain"), never NULL */
	const char *problem; /* never NULL, "" on success */
	size_t offset;	     /* octet offset in the input */
};

/*
 * Decode the GTP-U message p[len] (a UDP payload) into *msg (overwritten). err may be
 * NULL. Returns the message length from the header (<= len), or -SEN_EMSGSIZE
 * (truncated), -SEN_EPROTO (malformed: bad version or PT, bad extension chain, a missing
 * mandatory IE, an unknown comprehension-required extension header or TV IE),
 * -SEN_ENOTSUP (unknown message type).
 */
int sen_gtpu_decode(const uint8_t *p, size_t len, struct sen_gtpu_msg *msg,
		    struct sen_gtpu_error *err);

/*
 * Encode *msg into out[cap]. The S / PN / E flags follow has_seq, has_npdu and
 * (has_psc || n_ext); when any is set all three optional fields are written (5.1).
 * Returns the length, or -SEN_EMSGSIZE (no room or over 65535 + 8 octets), -SEN_EINVAL
 * (a field out of range: QFI > 63, peer address length not 4 or 16, an extension
 * content not 4n - 2 octets), -SEN_ENOTSUP (unknown message type).
 */
int sen_gtpu_encode(const struct sen_gtpu_msg *msg, uint8_t *out, size_t cap);

/* Initialise *msg for building: zeroed, with type and TEID set. */
void sen_gtpu_msg_init(struct sen_gtpu_msg *msg, uint8_t type, uint32_t teid);

/* Name of a message type ("Echo Request"), or NULL. */
const char *sen_gtpu_msg_name(uint8_t type);

#endif
