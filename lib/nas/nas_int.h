/*
 * lib/nas internals: the IE descriptor that drives the one decoder and encoder of
 * msg.c, and the value codecs of ie.c it calls. Not for use outside lib/nas.
 *
 * An IE descriptor gives what TS 24.501 clause 8 gives for each IE of a message: IEI,
 * format (TS 24.007 11.2.1.1), presence, length range (total octets, as the tables print
 * them), and where its value lives in the message struct.
 */
#ifndef SEN_NAS_INT_H
#define SEN_NAS_INT_H

#include "core/buf.h"
#include "nas/nas.h"

#include <stddef.h>
#include <stdint.h>

enum nas_fmt {
	NAS_V_HALF,	/* half octet value, mandatory; pairs share an octet, first in bits 4..1 */
	NAS_SPARE_HALF, /* spare half octet */
	NAS_V,		/* fixed-length value, mandatory */
	NAS_LV,
	NAS_LV_E,
	NAS_TV1, /* type 1: IEI in bits 8..5, value in bits 4..1 */
	NAS_TV,	 /* type 3: IEI + fixed-length value */
	NAS_TLV,
	NAS_TLV_E,
};

enum nas_codec {
	C_U8,	    /* one octet (uint8_t) */
	C_HALF,	    /* half octet (uint8_t, 0..15) */
	C_U16,	    /* two octets big-endian (uint16_t) */
	C_FIXED,    /* uint8_t[max value length] */
	C_BYTES,    /* struct sen_nas_bytes */
	C_OCTETS,   /* struct sen_nas_octets */
	C_MOBILE_ID,
	C_SNSSAI,
	C_NSSAI,
	C_REJ_NSSAI,
	C_TAI,
	C_TAI_LIST,
	C_PLMN,	    /* struct sen_nas_plmn: one PLMN identity (9.11.3.85) */
	C_PLMN_LIST,
	C_UE_SEC_CAP,
	C_PSI_MAP,
	C_TIMER,
	C_NAME,
	C_AMBR,
	C_PDU_ADDR,
	C_QOS_RULES,
	C_QOS_FLOWS,
	C_EPCO,
	C_DNN,
	C_ABBA,
	C_GMM_CAUSE, /* uint8_t, printed with its name */
	C_GSM_CAUSE,
	C_NCODECS
};

struct nas_ie {
	uint8_t iei; /* type 1: the IEI in bits 8..5 (0xB0 for "B-") */
	uint8_t fmt; /* enum nas_fmt */
	uint8_t codec;
	uint8_t opt; /* 1: optional (presence flag at `has`) */
	uint32_t min, max; /* total length of the IE in octets, as TS 24.501 tables give it */
	uint32_t off;	   /* offsetof value in the message struct */
	uint32_t has;	   /* offsetof bool presence flag */
	const char *name;
	/*
	 * C_MOBILE_ID only: bit n set = type of identity n (enum sen_nas_id_type) allowed in
	 * this IE; 0 = any. E.g. Service request's 5G-S-TMSI IE takes only a 5G-S-TMSI.
	 */
	uint8_t id_types;
};

struct nas_msg_desc {
	uint8_t epd;
	uint8_t type;
	const char *name;
	const struct nas_ie *ies;
	size_t n;
};

/* Message tables (tables.c). */
const struct nas_msg_desc *nas_msg_find(uint8_t epd, uint8_t type);

/* Value codecs (ie.c). The reader covers exactly the value octets of the IE. */
struct nas_codec_ops {
	int (*dec)(struct sen_buf_reader *r, void *field, const struct nas_ie *d);
	void (*enc)(struct sen_buf *b, const void *field, const struct nas_ie *d);
	void (*walk)(const void *field, const struct nas_ie *d, const struct sen_nas_visitor *v,
		     void *arg);
};
extern const struct nas_codec_ops nas_codecs[C_NCODECS];

/* Value octets of an IE from its total length (what the descriptor's min/max hold). */
size_t nas_fmt_overhead(uint8_t fmt);

/* PLMN (3 octets BCD, TS 24.008 10.5.1.13) <-> strings; shared with sec/printing. */
int nas_plmn_dec(const uint8_t o[3], struct sen_nas_plmn *p);
int nas_plmn_enc(const struct sen_nas_plmn *p, uint8_t o[3]);

const char *nas_gmm_cause_name(uint8_t cause);
const char *nas_gsm_cause_name(uint8_t cause);

#endif
