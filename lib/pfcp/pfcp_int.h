/*
 * lib/pfcp internals: the IE descriptor that drives the one decoder, encoder and walker
 * of msg.c, and the value codecs of ie.c they call. Not for use outside lib/pfcp.
 *
 * A group (a message body or a grouped IE, TS 29.244 8.1.1) is a table of IE descriptors
 * giving what the spec's tables give: IE type, presence (M or C/O), whether it may
 * repeat, and where its value lives in the struct.
 */
#ifndef SEN_PFCP_INT_H
#define SEN_PFCP_INT_H

#include "core/buf.h"
#include "pfcp/pfcp.h"

#include <stddef.h>
#include <stdint.h>

enum pfcp_codec {
	PC_U8,	     /* uint8_t, 1 octet */
	PC_U16,	     /* uint16_t, 2 octets */
	PC_U32,	     /* uint32_t, 4 octets */
	PC_U16W,     /* uint32_t holding 2 octets (PDR ID in struct sen_pfcp_remove) */
	PC_IFACE,    /* uint8_t, 4 bits (Source / Destination Interface) */
	PC_QFI,	     /* uint8_t, 6 bits */
	PC_PPI,	     /* uint8_t, 3 bits (Paging Policy Indicator) */
	PC_PDN_TYPE, /* uint8_t, 3 bits */
	PC_CAUSE,    /* uint8_t, printed with its name */
	PC_IE_TYPE,  /* uint16_t, printed with its name (Offending IE) */
	PC_RULE_ID,  /* uint32_t FAR / QER / URR ID */
	PC_NTP,	     /* uint32_t NTP seconds */
	PC_BYTES,    /* struct sen_pfcp_bytes, opaque */
	PC_LABELS,   /* struct sen_pfcp_bytes holding DNS labels (Network Instance, DNN) */
	PC_FLAGS,    /* struct sen_pfcp_flags */
	PC_NODE_ID,
	PC_FSEID,
	PC_FTEID,
	PC_UE_IP,
	PC_SDF,
	PC_OHR,
	PC_OHC,
	PC_BITRATE,
	PC_VOLUME,	/* threshold / quota: TOVOL, ULVOL, DLVOL */
	PC_VOLUME_MEAS, /* measurement: volumes and packet counts */
	PC_DDSI,
	PC_GATE,
	PC_GROUP, /* a grouped IE: the descriptor's `group` */
	PC_NCODECS
};

#define PFCP_NO_FLAG 0xffffffffu

struct pfcp_group;

struct pfcp_ie {
	uint16_t type;
	uint8_t codec;			/* enum pfcp_codec */
	uint8_t mandatory;		/* 1: M */
	uint8_t max;			/* 1: single; > 1: an array of this capacity */
	uint8_t min_len;		/* PC_FLAGS: octets the IE always has */
	uint16_t esize;			/* element size of an array */
	uint32_t off;			/* offsetof the value (or the array) in the struct */
	uint32_t has;			/* single: offsetof bool has_x, or PFCP_NO_FLAG;
					   array: offsetof uint8_t n_x */
	const struct pfcp_group *group; /* PC_GROUP */
	const char *name;
};

struct pfcp_group {
	const char *name;
	const struct pfcp_ie *ies;
	uint8_t n;
};

struct pfcp_msg_desc {
	uint8_t type;
	const char *name;
	const struct pfcp_group *body;
};

/* Tables (tables.c). */
const struct pfcp_msg_desc *pfcp_msg_find(uint8_t type);
const char *pfcp_ie_name(uint16_t type);

/*
 * Value codecs (ie.c). dec reads the value octets through r (exactly the IE's value);
 * it returns 0, -SEN_EMSGSIZE (value too short for its fields: cause 68) or -SEN_EPROTO
 * (a value out of range: cause 69). enc writes the value (errors through the buffer's
 * sticky error). text writes a one-line rendering for the walker.
 */
struct pfcp_codec_ops {
	int (*dec)(struct sen_buf_reader *r, void *field, const struct pfcp_ie *d);
	void (*enc)(struct sen_buf *b, const void *field, const struct pfcp_ie *d);
	void (*text)(const void *field, const struct pfcp_ie *d, char *out, size_t cap);
};
extern const struct pfcp_codec_ops pfcp_codecs[PC_NCODECS];

#endif
