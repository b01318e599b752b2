/*
 * The one NAS-5GS message decoder and encoder, driven by the tables of tables.c:
 * header (TS 24.501 9.1-9.7), the imperative part (mandatory V / LV / LV-E IEs in
 * order, half-octet pairs sharing an octet), then the non-imperative part, where IEs are
 * found by IEI. Error handling follows TS 24.501 clause 7 and TS 24.007 11.2.4 as
 * described in nas.h.
 */
#include "nas/nas_int.h"

#include "core/err.h"

#include <stdio.h>
#include <string.h>

#define AT(base, off) ((void *)((uint8_t *)(base) + (off)))
#define CAT(base, off) ((const void *)((const uint8_t *)(base) + (off)))

static int fail(struct sen_nas_error *e, enum sen_nas_fault fault, int code, uint8_t iei,
		const char *ie, const char *problem, size_t offset)
{
	e->fault = fault;
	e->cause = fault == SEN_NAS_FAULT_MSG_TYPE	? SEN_NAS_CAUSE_MSG_TYPE_NONEXISTENT
		   : fault == SEN_NAS_FAULT_MANDATORY ? SEN_NAS_CAUSE_INVALID_MANDATORY_INFO
						      : 0;
	e->iei = iei;
	e->ie = ie;
	e->problem = problem;
	e->offset = offset;
	return code;
}

/* Decode the value octets v[len] of IE d into its field. */
static int dec_value(const struct nas_ie *d, const uint8_t *v, size_t len, void *body)
{
	struct sen_buf_reader r;

	sen_buf_reader_init(&r, v, len);
	int rc = nas_codecs[d->codec].dec(&r, AT(body, d->off), d);
	if (rc == 0 && sen_buf_reader_error(&r))
		rc = -SEN_EPROTO;
	return rc;
}

static bool len_ok(const struct nas_ie *d, size_t vlen)
{
	size_t ov = nas_fmt_overhead(d->fmt);

	return vlen + ov >= d->min && vlen + ov <= d->max;
}

static const struct nas_ie *find_opt(const struct nas_msg_desc *md, uint8_t iei)
{
	for (size_t i = 0; i < md->n; i++) {
		const struct nas_ie *d = &md->ies[i];
		if (!d->opt)
			continue;
		if (d->fmt == NAS_TV1 ? (iei & 0xf0) == d->iei : iei == d->iei)
			return d;
	}
	return NULL;
}

/* Note the first optional IE dropped (7.6, 7.7), for the caller to report. */
static void note_ignored(struct sen_nas_error *e, uint8_t iei, const char *ie,
			 const char *problem, size_t at)
{
	e->ignored++;
	if (!e->problem || !*e->problem) {
		e->iei = iei;
		e->ie = ie;
		e->problem = problem;
		e->offset = at;
	}
}

/*
 * r covers the whole message and is past its header, so sen_buf_pos() is the offset of an
 * IE in the message, as struct sen_nas_error reports it.
 */
static int decode_body(const struct nas_msg_desc *md, struct sen_buf_reader *r, void *body,
		       struct sen_nas_error *e)
{
	bool half_pending = false;
	uint8_t half = 0;

	/* Imperative part: mandatory IEs in table order (TS 24.007 11.2.5). */
	for (size_t i = 0; i < md->n; i++) {
		const struct nas_ie *d = &md->ies[i];
		size_t at = sen_buf_pos(r), l;
		const uint8_t *v;
		uint8_t nib;

		if (d->opt)
			continue;
		switch (d->fmt) {
		case NAS_V_HALF:
		case NAS_SPARE_HALF:
			if (!half_pending) {
				half = sen_buf_get_u8(r);
				nib = half & 0x0f;
			} else {
				nib = half >> 4;
			}
			half_pending = !half_pending;
			if (sen_buf_reader_error(r))
				return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, 0, d->name,
					    "missing", at);
			if (d->fmt == NAS_V_HALF)
				*(uint8_t *)AT(body, d->off) = nib;
			continue;
		case NAS_V:
			l = d->max;
			break;
		case NAS_LV:
			l = sen_buf_get_u8(r);
			break;
		case NAS_LV_E:
			l = sen_buf_get_u16(r);
			break;
		default:
			return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, 0, d->name, "bad table",
				    at);
		}
		half_pending = false;
		if (sen_buf_reader_error(r))
			return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, 0, d->name, "missing",
				    at);
		if (d->fmt != NAS_V && !len_ok(d, l))
			return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, 0, d->name,
				    "length out of range", at);
		v = sen_buf_get_ptr(r, l);
		if (!v)
			return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, 0, d->name,
				    "length runs past the end of the message", at);
		if (dec_value(d, v, l, body) < 0)
			return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, 0, d->name,
				    "invalid contents", at);
	}

	/* Non-imperative part: IEs identified by IEI, in any order. */
	while (sen_buf_left(r)) {
		size_t at = sen_buf_pos(r), l;
		uint8_t iei = sen_buf_get_u8(r);
		const struct nas_ie *d = find_opt(md, iei);
		uint8_t fmt;

		if (d) {
			fmt = d->fmt;
		} else if (iei & 0x80) {
			fmt = NAS_TV1; /* type 1 or type 2: one octet (TS 24.007 11.2.4) */
		} else if ((iei & 0xf0) == 0) {
			/* TS 24.007 11.2.4 / TS 24.501 7.6.2: comprehension required. */
			return fail(e, SEN_NAS_FAULT_MANDATORY, -SEN_EPROTO, iei, "unknown IE",
				    "comprehension required IE not understood", at);
		} else {
			fmt = (iei & 0xf0) == 0x70 ? NAS_TLV_E : NAS_TLV;
		}
		switch (fmt) {
		case NAS_TV1:
			l = 0;
			break;
		case NAS_TV:
			l = d->max - 1;
			break;
		case NAS_TLV:
			l = sen_buf_get_u8(r);
			break;
		default:
			l = sen_buf_get_u16(r);
			break;
		}
		const uint8_t *v = sen_buf_get_ptr(r, l);
		if (sen_buf_reader_error(r) || !v) {
			/* Cannot be delimited: drop it and what follows (7.7.2). */
			note_ignored(e, iei, d ? d->name : "unknown IE",
				     "optional IE runs past the end of the message: ignored", at);
			break;
		}
		if (!d) {
			/* unknown in this message: skipped (7.6.1) */
			note_ignored(e, iei, "unknown IE", "not an IE of this message: skipped",
				     at);
			continue;
		}
		bool *has = AT(body, d->has);
		if (*has) {
			/* repeated: only the first is handled (7.6.3) */
			note_ignored(e, iei, d->name, "repeated IE: ignored", at);
			continue;
		}
		int rc;
		if (fmt == NAS_TV1) {
			uint8_t nib = iei & 0x0f;
			rc = dec_value(d, &nib, 1, body);
		} else {
			rc = len_ok(d, l) ? dec_value(d, v, l, body) : -SEN_EPROTO;
		}
		if (rc < 0) {
			/* Syntactically incorrect optional IE: treated as absent (7.7.2). */
			note_ignored(e, iei, d->name, "malformed optional IE: ignored", at);
			continue;
		}
		*has = true;
	}
	return 0;
}

int sen_nas_decode(const uint8_t *buf, size_t len, struct sen_nas_msg *msg,
		   struct sen_nas_error *err)
{
	struct sen_nas_error dummy;
	struct sen_nas_error *e = err ? err : &dummy;
	struct sen_buf_reader r;
	size_t hdr;

	memset(e, 0, sizeof(*e));
	e->msg = "NAS message";
	e->ie = "";
	e->problem = "";
	memset(msg, 0, sizeof(*msg));
	if (!buf && len)
		return fail(e, SEN_NAS_FAULT_TOO_SHORT, -SEN_EMSGSIZE, 0, "", "no data", 0);
	sen_buf_reader_init(&r, buf, len);
	msg->epd = sen_buf_get_u8(&r);
	if (msg->epd == SEN_NAS_EPD_5GMM) {
		uint8_t sht = sen_buf_get_u8(&r) & 0x0f; /* bits 8..5 spare (9.5) */
		msg->type = sen_buf_get_u8(&r);
		hdr = 3;
		if (!sen_buf_reader_error(&r) && sht != SEN_NAS_SHT_PLAIN)
			return fail(e, SEN_NAS_FAULT_EPD, -SEN_EPROTO, 0, "security header type",
				    "security protected message: unprotect it first", 1);
	} else if (msg->epd == SEN_NAS_EPD_5GSM) {
		msg->pdu_session_id = sen_buf_get_u8(&r);
		msg->pti = sen_buf_get_u8(&r);
		msg->type = sen_buf_get_u8(&r);
		hdr = 4;
	} else {
		if (len == 0)
			return fail(e, SEN_NAS_FAULT_TOO_SHORT, -SEN_EMSGSIZE, 0, "", "empty", 0);
		return fail(e, SEN_NAS_FAULT_EPD, -SEN_EPROTO, 0,
			    "extended protocol discriminator", "not 5GMM or 5GSM", 0);
	}
	if (sen_buf_reader_error(&r))
		return fail(e, SEN_NAS_FAULT_TOO_SHORT, -SEN_EMSGSIZE, 0, "",
			    "shorter than the message header", len);
	e->msg_type = msg->type;
	const struct nas_msg_desc *md = nas_msg_find(msg->epd, msg->type);
	if (!md)
		return fail(e, SEN_NAS_FAULT_MSG_TYPE, -SEN_ENOTSUP, 0, "message type",
			    "non-existent or not implemented", hdr - 1);
	e->msg = md->name;
	return decode_body(md, &r, &msg->registration_request, e);
}

/* ---- encoding ---- */

static void enc_value(struct sen_buf *b, const struct nas_ie *d, const void *body)
{
	nas_codecs[d->codec].enc(b, CAT(body, d->off), d);
}

/* Write value with a length field of `lsize` octets; check the IE's length range. */
static void enc_lv(struct sen_buf *b, const struct nas_ie *d, const void *body, size_t lsize)
{
	size_t at = sen_buf_len(b);

	if (lsize == 1)
		sen_buf_put_u8(b, 0);
	else
		sen_buf_put_u16(b, 0);
	enc_value(b, d, body);
	if (sen_buf_error(b))
		return;
	size_t l = sen_buf_len(b) - at - lsize;
	if (!len_ok(d, l) || l > (lsize == 1 ? 0xffu : 0xffffu)) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	if (lsize == 1)
		sen_buf_set_u8(b, at, (uint8_t)l);
	else
		sen_buf_set_u16(b, at, (uint16_t)l);
}

static void encode_body(const struct nas_msg_desc *md, struct sen_buf *b, const void *body)
{
	bool half_pending = false;
	size_t half_at = 0;

	for (size_t i = 0; i < md->n; i++) {
		const struct nas_ie *d = &md->ies[i];
		if (d->opt)
			continue;
		if (d->fmt == NAS_V_HALF || d->fmt == NAS_SPARE_HALF) {
			uint8_t nib = 0;
			if (d->fmt == NAS_V_HALF) {
				nib = *(const uint8_t *)CAT(body, d->off);
				if (nib > 15)
					sen_buf_fail(b, -SEN_EINVAL);
			}
			if (!half_pending) {
				half_at = sen_buf_len(b);
				sen_buf_put_u8(b, nib & 0x0f);
			} else if (!sen_buf_error(b)) {
				uint8_t lo = sen_buf_data(b)[half_at];
				sen_buf_set_u8(b, half_at, (uint8_t)(lo | (nib & 0x0f) << 4));
			}
			half_pending = !half_pending;
			continue;
		}
		half_pending = false;
		if (d->fmt == NAS_V) {
			size_t at = sen_buf_len(b);
			enc_value(b, d, body);
			if (!sen_buf_error(b) && sen_buf_len(b) - at != d->max)
				sen_buf_fail(b, -SEN_EINVAL);
		} else {
			enc_lv(b, d, body, d->fmt == NAS_LV ? 1 : 2);
		}
	}
	for (size_t i = 0; i < md->n; i++) {
		const struct nas_ie *d = &md->ies[i];
		if (!d->opt || !*(const bool *)CAT(body, d->has))
			continue;
		switch (d->fmt) {
		case NAS_TV1: {
			uint8_t nib = *(const uint8_t *)CAT(body, d->off);
			if (nib > 15)
				sen_buf_fail(b, -SEN_EINVAL);
			sen_buf_put_u8(b, (uint8_t)(d->iei | (nib & 0x0f)));
			break;
		}
		case NAS_TV: {
			sen_buf_put_u8(b, d->iei);
			size_t at = sen_buf_len(b);
			enc_value(b, d, body);
			if (!sen_buf_error(b) && sen_buf_len(b) - at != d->max - 1u)
				sen_buf_fail(b, -SEN_EINVAL);
			break;
		}
		case NAS_TLV:
			sen_buf_put_u8(b, d->iei);
			enc_lv(b, d, body, 1);
			break;
		case NAS_TLV_E:
			sen_buf_put_u8(b, d->iei);
			enc_lv(b, d, body, 2);
			break;
		}
	}
}

int sen_nas_encode(const struct sen_nas_msg *msg, uint8_t *out, size_t cap)
{
	const struct nas_msg_desc *md = nas_msg_find(msg->epd, msg->type);
	struct sen_buf b;

	if (!md)
		return -SEN_ENOTSUP;
	sen_buf_init_fixed(&b, out, cap);
	sen_buf_put_u8(&b, msg->epd);
	if (msg->epd == SEN_NAS_EPD_5GMM) {
		sen_buf_put_u8(&b, SEN_NAS_SHT_PLAIN);
	} else {
		sen_buf_put_u8(&b, msg->pdu_session_id);
		sen_buf_put_u8(&b, msg->pti);
	}
	sen_buf_put_u8(&b, msg->type);
	encode_body(md, &b, &msg->registration_request);
	if (sen_buf_error(&b))
		return sen_buf_error(&b);
	return (int)sen_buf_len(&b);
}

const char *sen_nas_msg_name(uint8_t epd, uint8_t type)
{
	const struct nas_msg_desc *md = nas_msg_find(epd, type);

	return md ? md->name : NULL;
}

void sen_nas_msg_init(struct sen_nas_msg *msg, uint8_t type)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
	msg->epd = type >= 0xc0 ? SEN_NAS_EPD_5GSM : SEN_NAS_EPD_5GMM;
}

/* ---- walking ---- */

int sen_nas_walk(const struct sen_nas_msg *msg, const struct sen_nas_visitor *v, void *arg)
{
	const struct nas_msg_desc *md = nas_msg_find(msg->epd, msg->type);
	const void *body = &msg->registration_request;
	char t[64];

	if (!md)
		return -SEN_ENOTSUP;
	v->open(arg, md->name);
	snprintf(t, sizeof(t), "0x%02x (%s)", msg->epd, msg->epd == SEN_NAS_EPD_5GMM ? "5GMM" : "5GSM");
	v->value(arg, "extended protocol discriminator", t);
	if (msg->epd == SEN_NAS_EPD_5GSM) {
		snprintf(t, sizeof(t), "%u", msg->pdu_session_id);
		v->value(arg, "PDU session identity", t);
		snprintf(t, sizeof(t), "%u", msg->pti);
		v->value(arg, "procedure transaction identity", t);
	} else {
		v->value(arg, "security header type", "0 (plain)");
	}
	snprintf(t, sizeof(t), "0x%02x", msg->type);
	v->value(arg, "message type", t);
	for (size_t i = 0; i < md->n; i++) {
		const struct nas_ie *d = &md->ies[i];
		if (d->fmt == NAS_SPARE_HALF)
			continue;
		if (d->opt && !*(const bool *)CAT(body, d->has))
			continue;
		v->open(arg, d->name);
		nas_codecs[d->codec].walk(CAT(body, d->off), d, v, arg);
		v->close(arg);
	}
	v->close(arg);
	return 0;
}
