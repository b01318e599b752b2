/*
 * Value codecs for the NAS-5GS information elements of TS 24.501 clause 9.11 (and the
 * TS 24.008 IEs it borrows). Each codec decodes the value octets of one IE from a reader
 * that covers exactly those octets (framing is msg.c's job), encodes them back, and
 * walks them for printing. Decoders treat every octet as hostile: counts and lengths are
 * checked against the struct's arrays and the reader never reads past the value.
 */
#include "nas/nas_int.h"

#include "core/err.h"
#include "core/hex.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(type, p) ((type *)(p))

static int rd_err(struct sen_buf_reader *r)
{
	return sen_buf_reader_error(r) ? -SEN_EPROTO : 0;
}

static void leaf(const struct sen_nas_visitor *v, void *arg, const char *name, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));
static void leaf(const struct sen_nas_visitor *v, void *arg, const char *name, const char *fmt,
		 ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	v->value(arg, name, text);
}

static void leaf_hex(const struct sen_nas_visitor *v, void *arg, const char *name,
		     const uint8_t *p, size_t len)
{
	char text[2 * 1024 + 4];
	size_t n = len > 1024 ? 1024 : len;

	sen_hex_encode(p, n, text);
	if (n < len)
		strcat(text, "...");
	v->value(arg, name, text);
}

size_t nas_fmt_overhead(uint8_t fmt)
{
	switch (fmt) {
	case NAS_LV:
	case NAS_TV:
		return 1;
	case NAS_LV_E:
	case NAS_TLV:
		return 2;
	case NAS_TLV_E:
		return 3;
	default:
		return 0;
	}
}

/* ---- BCD digits and PLMN (TS 24.008 10.5.1.13) ---- */

int nas_plmn_dec(const uint8_t o[3], struct sen_nas_plmn *p)
{
	uint8_t d[6] = {o[0] & 0xf, o[0] >> 4, o[1] & 0xf, o[2] & 0xf, o[2] >> 4, o[1] >> 4};

	for (int i = 0; i < 5; i++)
		if (d[i] > 9)
			return -SEN_EPROTO;
	if (d[5] != 0xf && d[5] > 9)
		return -SEN_EPROTO;
	p->mcc[0] = (char)('0' + d[0]);
	p->mcc[1] = (char)('0' + d[1]);
	p->mcc[2] = (char)('0' + d[2]);
	p->mcc[3] = '\0';
	p->mnc[0] = (char)('0' + d[3]);
	p->mnc[1] = (char)('0' + d[4]);
	p->mnc[2] = d[5] == 0xf ? '\0' : (char)('0' + d[5]);
	p->mnc[3] = '\0';
	return 0;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int nas_plmn_enc(const struct sen_nas_plmn *p, uint8_t o[3])
{
	if (!all_digits(p->mcc, 3, 3) || !all_digits(p->mnc, 2, 3))
		return -SEN_EINVAL;
	uint8_t m3 = p->mnc[2] ? (uint8_t)(p->mnc[2] - '0') : 0xf;
	o[0] = (uint8_t)((p->mcc[0] - '0') | (p->mcc[1] - '0') << 4);
	o[1] = (uint8_t)((p->mcc[2] - '0') | m3 << 4);
	o[2] = (uint8_t)((p->mnc[0] - '0') | (p->mnc[1] - '0') << 4);
	return 0;
}

static void plmn_get(struct sen_buf_reader *r, struct sen_nas_plmn *p)
{
	uint8_t o[3];

	sen_buf_get_bytes(r, o, 3);
	if (!sen_buf_reader_error(r) && nas_plmn_dec(o, p) < 0)
		sen_buf_reader_fail(r, -SEN_EPROTO);
}

static void plmn_put(struct sen_buf *b, const struct sen_nas_plmn *p)
{
	uint8_t o[3];

	if (nas_plmn_enc(p, o) < 0)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_bytes(b, o, 3);
}

static void walk_plmn(const struct sen_nas_plmn *p, const struct sen_nas_visitor *v, void *arg)
{
	leaf(v, arg, "MCC", "%s", p->mcc);
	leaf(v, arg, "MNC", "%s", p->mnc);
}

/* ---- simple values ---- */

static int dec_u8(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	*FIELD(uint8_t, f) = sen_buf_get_u8(r);
	return rd_err(r);
}
static void enc_u8(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	sen_buf_put_u8(b, *FIELD(const uint8_t, f));
}
static void walk_u8(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		    void *arg)
{
	leaf(v, arg, "value", "0x%02x", *FIELD(const uint8_t, f));
}

static int dec_half(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	*FIELD(uint8_t, f) = sen_buf_get_u8(r) & 0x0f;
	return rd_err(r);
}
static void enc_half(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	uint8_t x = *FIELD(const uint8_t, f);

	if (x > 15)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, x & 0x0f);
}
static void walk_half(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		      void *arg)
{
	leaf(v, arg, "value", "%u", *FIELD(const uint8_t, f));
}

static int dec_u16(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	*FIELD(uint16_t, f) = sen_buf_get_u16(r);
	return rd_err(r);
}
static void enc_u16(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	sen_buf_put_u16(b, *FIELD(const uint16_t, f));
}
static void walk_u16(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		     void *arg)
{
	leaf(v, arg, "value", "0x%04x", *FIELD(const uint16_t, f));
}

/* uint8_t[n], n = the IE's fixed value length */
static size_t fixed_len(const struct nas_ie *d)
{
	return d->max - nas_fmt_overhead(d->fmt);
}
static int dec_fixed(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	size_t n = fixed_len(d);

	if (sen_buf_left(r) < n)
		return -SEN_EPROTO;
	sen_buf_get_bytes(r, f, n);
	return rd_err(r);
}
static void enc_fixed(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	sen_buf_put_bytes(b, f, fixed_len(d));
}
static void walk_fixed(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		       void *arg)
{
	leaf_hex(v, arg, "value", f, fixed_len(d));
}

static int dec_bytes(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_bytes *x = f;

	x->len = sen_buf_left(r);
	x->p = sen_buf_get_ptr(r, x->len);
	return rd_err(r);
}
static void enc_bytes(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_bytes *x = f;

	if (x->len && !x->p)
		sen_buf_fail(b, -SEN_EINVAL);
	else
		sen_buf_put_bytes(b, x->p, x->len);
}
static void walk_bytes(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		       void *arg)
{
	const struct sen_nas_bytes *x = f;

	leaf_hex(v, arg, "value", x->p, x->len);
}

static int dec_octets(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_octets *x = f;
	size_t n = sen_buf_left(r);

	if (n > sizeof(x->v))
		n = sizeof(x->v); /* longer: later-release octets, ignored (TS 24.007 11.4.2) */
	x->len = (uint8_t)n;
	sen_buf_get_bytes(r, x->v, n);
	return rd_err(r);
}
static void enc_octets(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_octets *x = f;

	if (x->len > sizeof(x->v))
		sen_buf_fail(b, -SEN_EINVAL);
	else
		sen_buf_put_bytes(b, x->v, x->len);
}
static void walk_octets(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg)
{
	const struct sen_nas_octets *x = f;

	leaf_hex(v, arg, "value", x->v, x->len);
}

/* ---- 5GS mobile identity (9.11.3.4) ---- */

static int bcd_digit(unsigned n)
{
	return n <= 9 ? (int)('0' + n) : -1;
}

/* Routing indicator: up to 4 BCD digits, unused ones 0xF (9.11.3.4). */
static int routing_dec(const uint8_t o[2], char out[5])
{
	unsigned nib[4] = {o[0] & 0xfu, o[0] >> 4, o[1] & 0xfu, o[1] >> 4};
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		if (nib[i] == 0xf) {
			for (int j = i + 1; j < 4; j++)
				if (nib[j] != 0xf)
					return -SEN_EPROTO;
			break;
		}
		int c = bcd_digit(nib[i]);
		if (c < 0)
			return -SEN_EPROTO;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n ? 0 : -SEN_EPROTO;
}

static int routing_enc(const char *rid, uint8_t o[2])
{
	unsigned nib[4] = {0xf, 0xf, 0xf, 0xf};

	if (!all_digits(rid, 1, 4))
		return -SEN_EINVAL;
	for (size_t i = 0; rid[i]; i++)
		nib[i] = (unsigned)(rid[i] - '0');
	o[0] = (uint8_t)(nib[0] | nib[1] << 4);
	o[1] = (uint8_t)(nib[2] | nib[3] << 4);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Ephemeral public key length for a protection scheme (TS 33.501 C.3.4). */
static size_t eph_len(uint8_t scheme)
{
	return scheme == SEN_SUCI_PROFILE_A ? 32 : scheme == SEN_SUCI_PROFILE_B ? 33 : 0;
}

/* Append hex text s[n] as bytes to the SUCI output. */
static int nai_hex(struct sen_suci *s, const char *h, size_t n)
{
	if (n % 2 || s->output_len + n / 2 > sizeof(s->output))
		return -SEN_EPROTO;
	for (size_t i = 0; i < n; i += 2) {
		int a = hexval(h[i]), b = hexval(h[i + 1]);
		if (a < 0 || b < 0)
			return -SEN_EPROTO;
		s->output[s->output_len++] = (uint8_t)(a << 4 | b);
	}
	return 0;
}

/*
 * SUCI in NAI form (TS 23.003 2.2B): "type<t>.rid<r>.schid<s>.userid<u>@<realm>" for the
 * null scheme, ".hnkey<k>.ecckey<hex>.cip<hex>.mac<hex>" in place of ".userid" otherwise.
 */
static int suci_nai_dec(const uint8_t *p, size_t n, struct sen_suci *s)
{
	char str[SEN_SUCI_STR_MAX + 1];
	unsigned long v;
	char *e, *at, *q;

	if (n == 0 || n > SEN_SUCI_STR_MAX || memchr(p, 0, n))
		return -SEN_EPROTO;
	memcpy(str, p, n);
	str[n] = '\0';
	at = strrchr(str, '@');
	if (!at || strlen(at + 1) == 0 || strlen(at + 1) > SEN_SUCI_REALM_MAX)
		return -SEN_EPROTO;
	*at = '\0';
	strcpy(s->realm, at + 1);
	if (strncmp(str, "type", 4) != 0 || str[4] < '1' || str[4] > '7' || str[5] != '.')
		return -SEN_EPROTO;
	s->supi_type = (uint8_t)(str[4] - '0');
	q = str + 6;
	if (strncmp(q, "rid", 3) != 0)
		return -SEN_EPROTO;
	q += 3;
	e = strchr(q, '.');
	if (!e || e - q < 1 || e - q > 4)
		return -SEN_EPROTO;
	memcpy(s->routing, q, (size_t)(e - q));
	s->routing[e - q] = '\0';
	if (!all_digits(s->routing, 1, 4) || strncmp(e + 1, "schid", 5) != 0)
		return -SEN_EPROTO;
	q = e + 6;
	if (*q < '0' || *q > '9')
		return -SEN_EPROTO;
	v = strtoul(q, &e, 10);
	if (v > 15 || *e != '.')
		return -SEN_EPROTO;
	s->scheme = (uint8_t)v;
	q = e + 1;
	if (s->scheme == SEN_SUCI_NULL) {
		if (strncmp(q, "userid", 6) != 0)
			return -SEN_EPROTO;
		q += 6;
		size_t ul = strlen(q);
		if (ul == 0 || ul > sizeof(s->output))
			return -SEN_EPROTO;
		memcpy(s->output, q, ul);
		s->output_len = ul;
		return 0;
	}
	if (!eph_len(s->scheme) || strncmp(q, "hnkey", 5) != 0 || q[5] < '0' || q[5] > '9')
		return -SEN_EPROTO;
	v = strtoul(q + 5, &e, 10);
	if (v > 255 || strncmp(e, ".ecckey", 7) != 0)
		return -SEN_EPROTO;
	s->hn_key_id = (uint8_t)v;
	q = e + 7;
	char *cip = strstr(q, ".cip"), *mac = cip ? strstr(cip + 4, ".mac") : NULL;
	if (!mac || (size_t)(cip - q) != 2 * eph_len(s->scheme) || strlen(mac + 4) != 16)
		return -SEN_EPROTO;
	s->output_len = 0;
	if (nai_hex(s, q, (size_t)(cip - q)) < 0 || nai_hex(s, cip + 4, (size_t)(mac - cip - 4)) < 0 ||
	    nai_hex(s, mac + 4, 16) < 0)
		return -SEN_EPROTO;
	return 0;
}

static void put_hex(struct sen_buf *b, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		sen_buf_put_u8(b, (uint8_t)hx[p[i] >> 4]);
		sen_buf_put_u8(b, (uint8_t)hx[p[i] & 0xf]);
	}
}

static void suci_nai_enc(struct sen_buf *b, const struct sen_suci *s)
{
	char head[64];
	size_t el = eph_len(s->scheme);

	if (s->supi_type < 1 || s->supi_type > 7 || !all_digits(s->routing, 1, 4) ||
	    !s->realm[0] || s->scheme > 15 || s->output_len > sizeof(s->output)) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	snprintf(head, sizeof(head), "type%u.rid%s.schid%u.", s->supi_type, s->routing, s->scheme);
	sen_buf_put_bytes(b, head, strlen(head));
	if (s->scheme == SEN_SUCI_NULL) {
		sen_buf_put_bytes(b, "userid", 6);
		sen_buf_put_bytes(b, s->output, s->output_len);
	} else {
		if (!el || s->output_len < el + 8) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		snprintf(head, sizeof(head), "hnkey%u.ecckey", s->hn_key_id);
		sen_buf_put_bytes(b, head, strlen(head));
		put_hex(b, s->output, el);
		sen_buf_put_bytes(b, ".cip", 4);
		put_hex(b, s->output + el, s->output_len - el - 8);
		sen_buf_put_bytes(b, ".mac", 4);
		put_hex(b, s->output + s->output_len - 8, 8);
	}
	sen_buf_put_u8(b, '@');
	sen_buf_put_bytes(b, s->realm, strlen(s->realm));
}

/* IMEI / IMEISV digits (9.11.3.4, figure 9.11.3.4.2): digit 1 in octet 4 bits 8..5. */
static int imei_dec(uint8_t first, struct sen_buf_reader *r, uint8_t type, char *out)
{
	size_t rest = sen_buf_left(r), n = 0;
	bool odd = first & 0x08;
	size_t want = type == SEN_NAS_ID_IMEI ? 15 : 16;

	if (1 + 2 * rest - (odd ? 0 : 1) != want)
		return -SEN_EPROTO;
	int c = bcd_digit(first >> 4);
	if (c < 0)
		return -SEN_EPROTO;
	out[n++] = (char)c;
	for (size_t i = 0; i < rest; i++) {
		uint8_t o = sen_buf_get_u8(r);
		if ((c = bcd_digit(o & 0xf)) < 0)
			return -SEN_EPROTO;
		out[n++] = (char)c;
		if (n == want) {
			if ((o >> 4) != 0xf)
				return -SEN_EPROTO;
			break;
		}
		if ((c = bcd_digit(o >> 4)) < 0)
			return -SEN_EPROTO;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return rd_err(r);
}

static void imei_enc(struct sen_buf *b, const char *dg, uint8_t type)
{
	size_t want = type == SEN_NAS_ID_IMEI ? 15 : 16;

	if (!all_digits(dg, want, want)) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	sen_buf_put_u8(b, (uint8_t)((dg[0] - '0') << 4 | (want % 2 ? 0x08 : 0) | type));
	for (size_t i = 1; i < want; i += 2) {
		unsigned hi = i + 1 < want ? (unsigned)(dg[i + 1] - '0') : 0xfu;
		sen_buf_put_u8(b, (uint8_t)((unsigned)(dg[i] - '0') | hi << 4));
	}
}

/*
 * Null-scheme SUCI of SUPI format IMSI (TS 24.501 9.11.3.4, TS 23.003 2.2B): the home
 * network public key identifier is 0 ("in case of null-scheme being used, this field shall
 * be set to 0", TS 23.003 2.2B), and the scheme output is the MSIN in BCD, digit 1 in bits
 * 4..1 of the first octet, with bits 8..5 of the last octet the end mark "1111" when the
 * MSIN has an odd number of digits (table 9.11.3.4.1): digits 0-9 only, 0xF nowhere else.
 * An IMSI has at most 15 digits (TS 23.003 2.2), so the MSIN at most 15 - 3 (MCC) - 2 or 3
 * (MNC). The same rules as lib/crypto's SUPI derivation, checked here so that a bad SUCI is
 * a malformed mobile identity (#96) rather than a later, vaguer UDM error.
 */
static int suci_null_imsi_check(const struct sen_suci *s)
{
	size_t max = 15 - 3 - (strlen(s->mnc) == 3 ? 3 : 2), d = 0;

	if (s->hn_key_id != 0 || s->output_len == 0 || s->output_len > sizeof(s->output))
		return -SEN_EPROTO;
	for (size_t i = 0; i < s->output_len; i++) {
		unsigned lo = s->output[i] & 0xfu, hi = s->output[i] >> 4;
		if (lo > 9)
			return -SEN_EPROTO;
		d++;
		if (hi == 0xf && i == s->output_len - 1)
			break;
		if (hi > 9)
			return -SEN_EPROTO;
		d++;
	}
	return d <= max ? 0 : -SEN_EPROTO;
}

static int mobile_id_get(struct sen_buf_reader *r, struct sen_nas_mobile_id *m)
{
	uint8_t o = sen_buf_get_u8(r), rid[2], tmp[2];
	size_t left;

	if (sen_buf_reader_error(r))
		return -SEN_EPROTO;
	memset(m, 0, sizeof(*m));
	m->type = o & 0x07;
	switch (m->type) {
	case SEN_NAS_ID_NONE:
		/* octet 4 is the whole identity: more octets would be dropped on re-encoding */
		return sen_buf_left(r) ? -SEN_EPROTO : 0;
	case SEN_NAS_ID_SUCI: {
		struct sen_suci *s = &m->suci;
		uint8_t fmt = (o >> 4) & 0x07;
		if (fmt == 1) {
			left = sen_buf_left(r);
			return suci_nai_dec(sen_buf_get_ptr(r, left), left, s);
		}
		if (fmt != 0)
			return -SEN_EPROTO;
		s->supi_type = SEN_SUPI_IMSI;
		uint8_t plmn[3];
		sen_buf_get_bytes(r, plmn, 3);
		sen_buf_get_bytes(r, rid, 2);
		s->scheme = sen_buf_get_u8(r) & 0x0f;
		s->hn_key_id = sen_buf_get_u8(r);
		if (sen_buf_reader_error(r))
			return -SEN_EPROTO;
		struct sen_nas_plmn p;
		if (nas_plmn_dec(plmn, &p) < 0 || routing_dec(rid, s->routing) < 0)
			return -SEN_EPROTO;
		memcpy(s->mcc, p.mcc, 4);
		memcpy(s->mnc, p.mnc, 4);
		left = sen_buf_left(r);
		if (left > sizeof(s->output))
			return -SEN_EPROTO;
		s->output_len = left;
		sen_buf_get_bytes(r, s->output, left);
		if (s->scheme == SEN_SUCI_NULL && suci_null_imsi_check(s) < 0)
			return -SEN_EPROTO;
		return rd_err(r);
	}
	case SEN_NAS_ID_GUTI:
		plmn_get(r, &m->guti.plmn);
		m->guti.amf_region_id = sen_buf_get_u8(r);
		/* set id, pointer and 5G-TMSI are common to 5G-S-TMSI */
		/* fall through */
	case SEN_NAS_ID_S_TMSI:
		sen_buf_get_bytes(r, tmp, 2);
		m->guti.amf_set_id = (uint16_t)(tmp[0] << 2 | tmp[1] >> 6);
		m->guti.amf_pointer = tmp[1] & 0x3f;
		m->guti.tmsi = sen_buf_get_u32(r);
		if (sen_buf_left(r))
			return -SEN_EPROTO;
		return rd_err(r);
	case SEN_NAS_ID_IMEI:
	case SEN_NAS_ID_IMEISV:
		return imei_dec(o, r, m->type, m->digits);
	case SEN_NAS_ID_MAC:
		/*
		 * Figure 9.11.3.4.6: octets 5-10 the MAC address, octet 11 the MAURI in bit 1
		 * (bits 8..2 spare). Octet 11 is part of the identity: exactly 7 octets follow
		 * octet 4, as the encoder writes them.
		 */
		if (sen_buf_left(r) != 7)
			return -SEN_EPROTO;
		sen_buf_get_bytes(r, m->mac.addr, 6);
		m->mac.mauri = sen_buf_get_u8(r) & 0x01;
		return rd_err(r);
	case SEN_NAS_ID_EUI64:
		sen_buf_get_bytes(r, m->eui64, 8);
		if (sen_buf_left(r))
			return -SEN_EPROTO;
		return rd_err(r);
	}
	return -SEN_EPROTO;
}

/* Is identity type t allowed in IE d (nas_ie.id_types; 0 = any)? */
static bool id_type_ok(const struct nas_ie *d, uint8_t t)
{
	return !d->id_types || (t < 8 && (d->id_types & (1u << t)));
}

static int dec_mobile_id(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_mobile_id *m = f;
	int rc = mobile_id_get(r, m);

	if (rc == 0 && !id_type_ok(d, m->type))
		return -SEN_EPROTO; /* e.g. a SUCI where only a 5G-S-TMSI may be (8.2.16) */
	return rc;
}

static void enc_mobile_id(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_mobile_id *m = f;
	uint8_t rid[2];

	if (!id_type_ok(d, m->type)) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}

	switch (m->type) {
	case SEN_NAS_ID_NONE:
		sen_buf_put_u8(b, 0x00);
		return;
	case SEN_NAS_ID_SUCI: {
		const struct sen_suci *s = &m->suci;
		if (s->supi_type != SEN_SUPI_IMSI) {
			sen_buf_put_u8(b, 0x10 | SEN_NAS_ID_SUCI);
			suci_nai_enc(b, s);
			return;
		}
		struct sen_nas_plmn p;
		memcpy(p.mcc, s->mcc, 4);
		memcpy(p.mnc, s->mnc, 4);
		if (routing_enc(s->routing, rid) < 0 || s->scheme > 15 ||
		    s->output_len > sizeof(s->output) ||
		    (s->scheme == SEN_SUCI_NULL && suci_null_imsi_check(s) < 0)) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, SEN_NAS_ID_SUCI);
		plmn_put(b, &p);
		sen_buf_put_bytes(b, rid, 2);
		sen_buf_put_u8(b, s->scheme);
		sen_buf_put_u8(b, s->hn_key_id);
		sen_buf_put_bytes(b, s->output, s->output_len);
		return;
	}
	case SEN_NAS_ID_GUTI:
	case SEN_NAS_ID_S_TMSI:
		if (m->guti.amf_set_id > 0x3ff || m->guti.amf_pointer > 0x3f) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, (uint8_t)(0xf0 | m->type));
		if (m->type == SEN_NAS_ID_GUTI) {
			plmn_put(b, &m->guti.plmn);
			sen_buf_put_u8(b, m->guti.amf_region_id);
		}
		sen_buf_put_u8(b, (uint8_t)(m->guti.amf_set_id >> 2));
		sen_buf_put_u8(b, (uint8_t)((m->guti.amf_set_id & 3) << 6 | m->guti.amf_pointer));
		sen_buf_put_u32(b, m->guti.tmsi);
		return;
	case SEN_NAS_ID_IMEI:
	case SEN_NAS_ID_IMEISV:
		imei_enc(b, m->digits, m->type);
		return;
	case SEN_NAS_ID_MAC:
		sen_buf_put_u8(b, SEN_NAS_ID_MAC);
		sen_buf_put_bytes(b, m->mac.addr, 6);
		sen_buf_put_u8(b, m->mac.mauri ? 1 : 0);
		return;
	case SEN_NAS_ID_EUI64:
		sen_buf_put_u8(b, SEN_NAS_ID_EUI64);
		sen_buf_put_bytes(b, m->eui64, 8);
		return;
	}
	sen_buf_fail(b, -SEN_EINVAL);
}

static const char *const id_type_names[8] = {"no identity", "SUCI", "5G-GUTI",  "IMEI",
					     "5G-S-TMSI",   "IMEISV", "MAC address", "EUI-64"};

static void walk_mobile_id(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			   void *arg)
{
	const struct sen_nas_mobile_id *m = f;

	leaf(v, arg, "type", "%s", id_type_names[m->type & 7]);
	switch (m->type) {
	case SEN_NAS_ID_SUCI: {
		const struct sen_suci *s = &m->suci;
		leaf(v, arg, "SUPI format", "%s", s->supi_type == SEN_SUPI_IMSI ? "IMSI" : "NAI");
		if (s->supi_type == SEN_SUPI_IMSI) {
			leaf(v, arg, "MCC", "%s", s->mcc);
			leaf(v, arg, "MNC", "%s", s->mnc);
		} else {
			leaf(v, arg, "SUPI type", "%u", s->supi_type);
			leaf(v, arg, "realm", "%s", s->realm);
		}
		leaf(v, arg, "routing indicator", "%s", s->routing);
		leaf(v, arg, "protection scheme", "%u", s->scheme);
		leaf(v, arg, "home network public key id", "%u", s->hn_key_id);
		if (s->scheme == SEN_SUCI_NULL && s->supi_type == SEN_SUPI_IMSI) {
			char msin[2 * SEN_SUCI_OUTPUT_MAX + 1];
			size_t n = 0;
			for (size_t i = 0; i < s->output_len; i++) {
				unsigned lo = s->output[i] & 0xfu, hi = s->output[i] >> 4;
				msin[n++] = lo <= 9 ? (char)('0' + lo) : '?';
				/* 0xF is the end mark only in the last octet (9.11.3.4) */
				if (hi != 0xf || i + 1 < s->output_len)
					msin[n++] = hi <= 9 ? (char)('0' + hi) : '?';
			}
			msin[n] = '\0';
			leaf(v, arg, "MSIN", "%s", msin);
		} else if (s->scheme == SEN_SUCI_NULL) {
			leaf(v, arg, "username", "%.*s", (int)s->output_len, (const char *)s->output);
		} else {
			leaf_hex(v, arg, "scheme output", s->output, s->output_len);
		}
		break;
	}
	case SEN_NAS_ID_GUTI:
		walk_plmn(&m->guti.plmn, v, arg);
		leaf(v, arg, "AMF region id", "%u", m->guti.amf_region_id);
		/* fall through */
	case SEN_NAS_ID_S_TMSI:
		leaf(v, arg, "AMF set id", "%u", m->guti.amf_set_id);
		leaf(v, arg, "AMF pointer", "%u", m->guti.amf_pointer);
		leaf(v, arg, "5G-TMSI", "0x%08" PRIx32, m->guti.tmsi);
		break;
	case SEN_NAS_ID_IMEI:
	case SEN_NAS_ID_IMEISV:
		leaf(v, arg, "digits", "%s", m->digits);
		break;
	case SEN_NAS_ID_MAC:
		leaf_hex(v, arg, "MAC address", m->mac.addr, 6);
		leaf(v, arg, "MAURI", "%u", m->mac.mauri);
		break;
	case SEN_NAS_ID_EUI64:
		leaf_hex(v, arg, "EUI-64", m->eui64, 8);
		break;
	}
}

/* ---- S-NSSAI, NSSAI, rejected NSSAI (9.11.2.8, 9.11.3.37, 9.11.3.46) ---- */

static int snssai_get(struct sen_buf_reader *r, struct sen_nas_snssai *s)
{
	size_t n = sen_buf_left(r);

	if (n != 1 && n != 2 && n != 4 && n != 5 && n != 8)
		return -SEN_EPROTO;
	memset(s, 0, sizeof(*s));
	s->len = (uint8_t)n;
	s->sst = sen_buf_get_u8(r);
	if (n == 2)
		s->mapped_sst = sen_buf_get_u8(r);
	if (n >= 4)
		s->sd = sen_buf_get_u24(r);
	if (n >= 5)
		s->mapped_sst = sen_buf_get_u8(r);
	if (n == 8)
		s->mapped_sd = sen_buf_get_u24(r);
	return rd_err(r);
}

static void snssai_put(struct sen_buf *b, const struct sen_nas_snssai *s)
{
	uint8_t n = s->len;

	if ((n != 1 && n != 2 && n != 4 && n != 5 && n != 8) || s->sd > 0xffffff ||
	    s->mapped_sd > 0xffffff) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	sen_buf_put_u8(b, s->sst);
	if (n == 2)
		sen_buf_put_u8(b, s->mapped_sst);
	if (n >= 4)
		sen_buf_put_u24(b, s->sd);
	if (n >= 5)
		sen_buf_put_u8(b, s->mapped_sst);
	if (n == 8)
		sen_buf_put_u24(b, s->mapped_sd);
}

static void walk_snssai_fields(const struct sen_nas_snssai *s, const struct sen_nas_visitor *v,
			       void *arg)
{
	leaf(v, arg, "SST", "%u", s->sst);
	if (s->len >= 4)
		leaf(v, arg, "SD", "0x%06" PRIx32, s->sd);
	if (s->len == 2 || s->len >= 5)
		leaf(v, arg, "mapped HPLMN SST", "%u", s->mapped_sst);
	if (s->len == 8)
		leaf(v, arg, "mapped HPLMN SD", "0x%06" PRIx32, s->mapped_sd);
}

static int dec_snssai(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	return snssai_get(r, f);
}
static void enc_snssai(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	snssai_put(b, f);
}
static void walk_snssai(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg)
{
	walk_snssai_fields(f, v, arg);
}

static int dec_nssai(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_nssai *x = f;

	x->n = 0;
	while (sen_buf_left(r)) {
		if (x->n == SEN_NAS_NSSAI_MAX)
			return -SEN_EPROTO;
		uint8_t l = sen_buf_get_u8(r);
		struct sen_buf_reader sub = sen_buf_get_sub(r, l);
		if (sen_buf_reader_error(r) || snssai_get(&sub, &x->s[x->n]) < 0)
			return -SEN_EPROTO;
		x->n++;
	}
	return x->n ? rd_err(r) : -SEN_EPROTO;
}
static void enc_nssai(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_nssai *x = f;

	if (x->n > SEN_NAS_NSSAI_MAX) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	for (unsigned i = 0; i < x->n; i++) {
		sen_buf_put_u8(b, x->s[i].len);
		snssai_put(b, &x->s[i]);
	}
}
static void walk_nssai(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		       void *arg)
{
	const struct sen_nas_nssai *x = f;
	char name[32];

	for (unsigned i = 0; i < x->n && i < SEN_NAS_NSSAI_MAX; i++) {
		snprintf(name, sizeof(name), "S-NSSAI #%u", i + 1);
		v->open(arg, name);
		walk_snssai_fields(&x->s[i], v, arg);
		v->close(arg);
	}
}

static int dec_rej_nssai(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_rejected_nssai *x = f;

	x->n = 0;
	while (sen_buf_left(r)) {
		if (x->n == 8)
			return -SEN_EPROTO;
		uint8_t o = sen_buf_get_u8(r);
		struct sen_buf_reader sub = sen_buf_get_sub(r, o >> 4);
		if ((o >> 4) != 1 && (o >> 4) != 4)
			return -SEN_EPROTO;
		x->r[x->n].cause = o & 0x0f;
		if (sen_buf_reader_error(r) || snssai_get(&sub, &x->r[x->n].s) < 0)
			return -SEN_EPROTO;
		x->n++;
	}
	return rd_err(r);
}
static void enc_rej_nssai(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_rejected_nssai *x = f;

	if (x->n > 8) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	for (unsigned i = 0; i < x->n; i++) {
		uint8_t l = x->r[i].s.len;
		if ((l != 1 && l != 4) || x->r[i].cause > 15) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, (uint8_t)(l << 4 | x->r[i].cause));
		snssai_put(b, &x->r[i].s);
	}
}
static void walk_rej_nssai(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			   void *arg)
{
	const struct sen_nas_rejected_nssai *x = f;
	char name[32];

	for (unsigned i = 0; i < x->n && i < 8; i++) {
		snprintf(name, sizeof(name), "rejected S-NSSAI #%u", i + 1);
		v->open(arg, name);
		leaf(v, arg, "cause", "%u", x->r[i].cause);
		walk_snssai_fields(&x->r[i].s, v, arg);
		v->close(arg);
	}
}

/* ---- TAI, TAI list, PLMN list (9.11.3.8, 9.11.3.9, 9.11.3.45) ---- */

static int dec_tai(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_tai *t = f;

	plmn_get(r, &t->plmn);
	t->tac = sen_buf_get_u24(r);
	return rd_err(r);
}
static void enc_tai(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_tai *t = f;

	plmn_put(b, &t->plmn);
	sen_buf_put_u24(b, t->tac);
}
static void walk_tai(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		     void *arg)
{
	const struct sen_nas_tai *t = f;

	walk_plmn(&t->plmn, v, arg);
	leaf(v, arg, "TAC", "0x%06" PRIx32, t->tac);
}

static int dec_tai_list(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_tai_list *x = f;

	x->n = 0;
	while (sen_buf_left(r)) {
		if (x->n == SEN_NAS_TAI_MAX)
			return -SEN_EPROTO;
		uint8_t o = sen_buf_get_u8(r), type = (o >> 5) & 3, n = (uint8_t)((o & 0x1f) + 1);
		if (type == 3 || n > SEN_NAS_TAI_MAX)
			return -SEN_EPROTO;
		x->list[x->n].type = type;
		x->list[x->n].n = n;
		struct sen_nas_tai *t = x->list[x->n].tai;
		if (type == 0) {
			plmn_get(r, &t[0].plmn);
			for (unsigned i = 0; i < n; i++) {
				t[i].plmn = t[0].plmn;
				t[i].tac = sen_buf_get_u24(r);
			}
		} else if (type == 1) {
			plmn_get(r, &t[0].plmn);
			t[0].tac = sen_buf_get_u24(r);
			for (unsigned i = 1; i < n; i++) {
				t[i].plmn = t[0].plmn;
				t[i].tac = (t[0].tac + i) & 0xffffff;
			}
		} else {
			for (unsigned i = 0; i < n; i++) {
				plmn_get(r, &t[i].plmn);
				t[i].tac = sen_buf_get_u24(r);
			}
		}
		if (sen_buf_reader_error(r))
			return -SEN_EPROTO;
		x->n++;
	}
	return x->n ? 0 : -SEN_EPROTO;
}
static void enc_tai_list(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_tai_list *x = f;

	if (x->n > SEN_NAS_TAI_MAX || x->n == 0) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	for (unsigned l = 0; l < x->n; l++) {
		uint8_t type = x->list[l].type, n = x->list[l].n;
		const struct sen_nas_tai *t = x->list[l].tai;
		if (type > 2 || n < 1 || n > SEN_NAS_TAI_MAX) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, (uint8_t)(type << 5 | (n - 1)));
		if (type != 2)
			plmn_put(b, &t[0].plmn);
		for (unsigned i = 0; i < (type == 1 ? 1u : n); i++) {
			if (type == 2)
				plmn_put(b, &t[i].plmn);
			sen_buf_put_u24(b, t[i].tac);
		}
	}
}
static void walk_tai_list(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			  void *arg)
{
	const struct sen_nas_tai_list *x = f;
	char name[32];

	for (unsigned l = 0; l < x->n && l < SEN_NAS_TAI_MAX; l++) {
		snprintf(name, sizeof(name), "partial list #%u", l + 1);
		v->open(arg, name);
		leaf(v, arg, "type", "%u", x->list[l].type);
		for (unsigned i = 0; i < x->list[l].n && i < SEN_NAS_TAI_MAX; i++) {
			snprintf(name, sizeof(name), "TAI #%u", i + 1);
			v->open(arg, name);
			walk_tai(&x->list[l].tai[i], d, v, arg);
			v->close(arg);
		}
		v->close(arg);
	}
}

static int dec_plmn(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	plmn_get(r, f);
	return rd_err(r);
}
static void enc_plmn(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	plmn_put(b, f);
}
static void walk_plmn_ie(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			 void *arg)
{
	walk_plmn(f, v, arg);
}

static int dec_plmn_list(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_plmn_list *x = f;

	x->n = 0;
	if (sen_buf_left(r) % 3 || sen_buf_left(r) > 3 * 16)
		return -SEN_EPROTO;
	while (sen_buf_left(r))
		plmn_get(r, &x->plmn[x->n++]);
	return rd_err(r);
}
static void enc_plmn_list(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_plmn_list *x = f;

	if (x->n > 16)
		sen_buf_fail(b, -SEN_EINVAL);
	for (unsigned i = 0; i < x->n && i < 16; i++)
		plmn_put(b, &x->plmn[i]);
}
static void walk_plmn_list(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			   void *arg)
{
	const struct sen_nas_plmn_list *x = f;
	char name[32];

	for (unsigned i = 0; i < x->n && i < 16; i++) {
		snprintf(name, sizeof(name), "PLMN #%u", i + 1);
		v->open(arg, name);
		walk_plmn(&x->plmn[i], v, arg);
		v->close(arg);
	}
}

/* ---- UE security capability (9.11.3.54) ---- */

static int dec_ue_sec_cap(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_ue_sec_cap *c = f;
	size_t n = sen_buf_left(r);

	if (n < 2 || n > 8)
		return -SEN_EPROTO;
	memset(c, 0, sizeof(*c));
	c->len = (uint8_t)n;
	c->ea = sen_buf_get_u8(r);
	c->ia = sen_buf_get_u8(r);
	if (n >= 3)
		c->eea = sen_buf_get_u8(r);
	if (n >= 4)
		c->eia = sen_buf_get_u8(r);
	return rd_err(r);
}
static void enc_ue_sec_cap(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_ue_sec_cap *c = f;

	if (c->len < 2 || c->len > 8) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	sen_buf_put_u8(b, c->ea);
	sen_buf_put_u8(b, c->ia);
	if (c->len >= 3)
		sen_buf_put_u8(b, c->eea);
	if (c->len >= 4)
		sen_buf_put_u8(b, c->eia);
	if (c->len > 4)
		sen_buf_put_zeros(b, c->len - 4u);
}
static void walk_ue_sec_cap(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			    void *arg)
{
	const struct sen_nas_ue_sec_cap *c = f;

	leaf(v, arg, "5G-EA", "0x%02x", c->ea);
	leaf(v, arg, "5G-IA", "0x%02x", c->ia);
	if (c->len >= 3)
		leaf(v, arg, "EEA", "0x%02x", c->eea);
	if (c->len >= 4)
		leaf(v, arg, "EIA", "0x%02x", c->eia);
}

/* ---- PSI bitmaps (9.11.3.44 and friends) ---- */

static int dec_psi_map(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_psi_map *x = f;
	size_t n = sen_buf_left(r);

	if (n < 2 || n > 32)
		return -SEN_EPROTO;
	x->len = (uint8_t)n;
	x->psi = sen_buf_get_u8(r);
	x->psi |= (uint16_t)(sen_buf_get_u8(r) << 8);
	return rd_err(r);
}
static void enc_psi_map(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_psi_map *x = f;
	uint8_t n = x->len < 2 ? 2 : x->len;

	if (n > 32)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, (uint8_t)(x->psi & 0xff));
	sen_buf_put_u8(b, (uint8_t)(x->psi >> 8));
	sen_buf_put_zeros(b, n - 2u);
}
static void walk_psi_map(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			 void *arg)
{
	const struct sen_nas_psi_map *x = f;
	char text[64] = "";
	size_t n = 0;

	for (unsigned i = 1; i < 16; i++)
		if (x->psi & (1u << i))
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%u", n ? "," : "", i);
	v->value(arg, "PSIs", n ? text : "none");
}

/* ---- timers (TS 24.008 10.5.7.3, 10.5.7.4, 10.5.7.4a) ---- */

static int dec_timer(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_timer *t = f;
	uint8_t o = sen_buf_get_u8(r);

	t->unit = o >> 5;
	t->value = o & 0x1f;
	return rd_err(r);
}
static void enc_timer(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_timer *t = f;

	if (t->unit > 7 || t->value > 31)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, (uint8_t)(t->unit << 5 | (t->value & 0x1f)));
}
static void walk_timer(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		       void *arg)
{
	const struct sen_nas_timer *t = f;

	leaf(v, arg, "unit", "%u", t->unit);
	leaf(v, arg, "value", "%u", t->value);
}

int64_t sen_nas_timer3_seconds(const struct sen_nas_timer *t)
{
	static const int64_t mult[8] = {600, 3600, 36000, 2, 30, 60, 1152000, -1};

	if (mult[t->unit & 7] < 0)
		return -1;
	return mult[t->unit & 7] * (t->value & 0x1f);
}

int64_t sen_nas_timer2_seconds(const struct sen_nas_timer *t)
{
	switch (t->unit & 7) {
	case 0:
		return 2 * (int64_t)(t->value & 0x1f);
	case 1:
		return 60 * (int64_t)(t->value & 0x1f);
	case 2:
		return 360 * (int64_t)(t->value & 0x1f);
	case 7:
		return -1;
	default:
		return 60 * (int64_t)(t->value & 0x1f); /* other values: minutes (24.008) */
	}
}

/* ---- network name (TS 24.008 10.5.3.5a) ---- */

static int dec_name(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_network_name *x = f;
	uint8_t o = sen_buf_get_u8(r);
	size_t n = sen_buf_left(r);

	if (n > sizeof(x->text))
		return -SEN_EPROTO;
	x->coding = (o >> 4) & 7;
	x->add_ci = (o >> 3) & 1;
	x->spare_bits = o & 7;
	x->len = (uint8_t)n;
	sen_buf_get_bytes(r, x->text, n);
	return rd_err(r);
}
static void enc_name(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_network_name *x = f;

	if (x->coding > 7 || x->spare_bits > 7 || x->len > sizeof(x->text)) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	sen_buf_put_u8(b, (uint8_t)(0x80 | x->coding << 4 | (x->add_ci ? 8 : 0) | x->spare_bits));
	sen_buf_put_bytes(b, x->text, x->len);
}
static void walk_name(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		      void *arg)
{
	const struct sen_nas_network_name *x = f;
	char text[sizeof(x->text) * 8 / 7 + 2];
	size_t n = 0;

	leaf(v, arg, "coding", "%s", x->coding == 0 ? "GSM 7-bit" : x->coding == 1 ? "UCS2" : "?");
	if (x->coding == 0 && x->len <= sizeof(x->text)) {
		size_t chars = ((size_t)x->len * 8 - (x->spare_bits & 7)) / 7;
		for (size_t i = 0; i < chars && n + 1 < sizeof(text); i++) {
			size_t bit = i * 7, byte = bit / 8, sh = bit % 8;
			unsigned c = x->text[byte] >> sh;
			if (sh > 1 && byte + 1 < x->len)
				c |= (unsigned)x->text[byte + 1] << (8 - sh);
			c &= 0x7f;
			text[n++] = c >= 0x20 && c < 0x7f && c != '@' ? (char)c : '?';
		}
		text[n] = '\0';
		leaf(v, arg, "text", "%s", text);
	} else {
		leaf_hex(v, arg, "text", x->text, x->len);
	}
}

int sen_nas_network_name_set(struct sen_nas_network_name *x, const char *ascii)
{
	size_t chars = strlen(ascii), bits = chars * 7;

	memset(x, 0, sizeof(*x));
	if ((bits + 7) / 8 > sizeof(x->text))
		return -SEN_ERANGE;
	for (size_t i = 0; i < chars; i++) {
		unsigned c = (unsigned char)ascii[i];
		if (c < 0x20 || c >= 0x7f || c == '@' || c == '$' || c == '_' || c == '`' ||
		    (c >= '[' && c <= '^') || c >= '{')
			return -SEN_EINVAL; /* keep to where GSM 7-bit and ASCII agree */
		size_t bit = i * 7, byte = bit / 8, sh = bit % 8;
		x->text[byte] |= (uint8_t)(c << sh);
		if (sh > 1)
			x->text[byte + 1] |= (uint8_t)(c >> (8 - sh));
	}
	x->len = (uint8_t)((bits + 7) / 8);
	x->spare_bits = (uint8_t)(x->len * 8 - bits);
	return 0;
}

/* ---- Session-AMBR, PDU address (9.11.4.14, 9.11.4.10) ---- */

static int dec_ambr(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_ambr *a = f;

	if (sen_buf_left(r) < 6)
		return -SEN_EPROTO;
	a->dl_unit = sen_buf_get_u8(r);
	a->dl = sen_buf_get_u16(r);
	a->ul_unit = sen_buf_get_u8(r);
	a->ul = sen_buf_get_u16(r);
	return rd_err(r);
}
static void enc_ambr(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_ambr *a = f;

	sen_buf_put_u8(b, a->dl_unit);
	sen_buf_put_u16(b, a->dl);
	sen_buf_put_u8(b, a->ul_unit);
	sen_buf_put_u16(b, a->ul);
}
static void walk_ambr(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		      void *arg)
{
	const struct sen_nas_ambr *a = f;

	leaf(v, arg, "downlink", "%" PRIu64 " bps", sen_nas_bitrate_bps(a->dl_unit, a->dl));
	leaf(v, arg, "uplink", "%" PRIu64 " bps", sen_nas_bitrate_bps(a->ul_unit, a->ul));
}

/*
 * Units of table 9.11.4.14.1: 1..5 are 1, 4, 16, 64, 256 kbps; 6..10 the same in Mbps;
 * then Gbps, Tbps, Pbps (unit 25: 256 Pbps).
 */
static uint64_t unit_bps(uint8_t unit)
{
	uint64_t m = 1000;

	for (unsigned i = 0; i < (unsigned)(unit - 1) / 5; i++)
		m *= 1000;
	for (unsigned i = 0; i < (unsigned)(unit - 1) % 5; i++)
		m *= 4;
	return m;
}

uint64_t sen_nas_bitrate_bps(uint8_t unit, uint16_t value)
{
	if (unit == 0 || unit > 25)
		return 0;
	uint64_t m = unit_bps(unit);
	if (value && m > UINT64_MAX / value)
		return UINT64_MAX;
	return m * value;
}

int sen_nas_bitrate_from_bps(uint64_t bps, uint8_t *unit, uint16_t *value)
{
	for (uint8_t u = 1; u <= 25; u++) {
		uint64_t m = unit_bps(u);
		uint64_t v = bps / m + (bps % m ? 1 : 0);
		if (v <= 0xffff) {
			*unit = u;
			*value = (uint16_t)v;
			return 0;
		}
	}
	return -SEN_ERANGE;
}

static int dec_pdu_addr(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_pdu_addr *a = f;
	uint8_t o = sen_buf_get_u8(r);

	memset(a, 0, sizeof(*a));
	a->type = o & 7;
	a->si6lla = (o >> 3) & 1;
	switch (a->type) {
	case SEN_NAS_PDU_IPV4:
		sen_buf_get_bytes(r, a->ipv4, 4);
		break;
	case SEN_NAS_PDU_IPV6:
		sen_buf_get_bytes(r, a->ipv6_iid, 8);
		break;
	case SEN_NAS_PDU_IPV4V6:
		sen_buf_get_bytes(r, a->ipv6_iid, 8);
		sen_buf_get_bytes(r, a->ipv4, 4);
		break;
	default:
		return -SEN_EPROTO;
	}
	if (a->si6lla)
		sen_buf_get_bytes(r, a->smf_ll, 16);
	/* the type says how long the address is: octets beyond would be lost on re-encoding */
	if (sen_buf_left(r))
		return -SEN_EPROTO;
	return rd_err(r);
}
static void enc_pdu_addr(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_pdu_addr *a = f;

	if (a->type < 1 || a->type > 3) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	sen_buf_put_u8(b, (uint8_t)(a->type | (a->si6lla ? 8 : 0)));
	if (a->type != SEN_NAS_PDU_IPV4)
		sen_buf_put_bytes(b, a->ipv6_iid, 8);
	if (a->type != SEN_NAS_PDU_IPV6)
		sen_buf_put_bytes(b, a->ipv4, 4);
	if (a->si6lla)
		sen_buf_put_bytes(b, a->smf_ll, 16);
}
static void walk_pdu_addr(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			  void *arg)
{
	const struct sen_nas_pdu_addr *a = f;

	leaf(v, arg, "type", "%s",
	     a->type == 1 ? "IPv4" : a->type == 2 ? "IPv6" : a->type == 3 ? "IPv4v6" : "?");
	if (a->type != SEN_NAS_PDU_IPV4)
		leaf_hex(v, arg, "IPv6 interface identifier", a->ipv6_iid, 8);
	if (a->type != SEN_NAS_PDU_IPV6)
		leaf(v, arg, "IPv4", "%u.%u.%u.%u", a->ipv4[0], a->ipv4[1], a->ipv4[2], a->ipv4[3]);
	if (a->si6lla)
		leaf_hex(v, arg, "SMF IPv6 link local address", a->smf_ll, 16);
}

/* ---- DNN (9.11.2.1B: APN encoding of TS 23.003 9.1) ---- */

static int dec_dnn(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_dnn *x = f;
	size_t n = 0;

	if (sen_buf_left(r) == 0 || sen_buf_left(r) > SEN_NAS_DNN_MAX)
		return -SEN_EPROTO;
	while (sen_buf_left(r)) {
		uint8_t l = sen_buf_get_u8(r);
		if (l == 0 || l > 63 || l > sen_buf_left(r))
			return -SEN_EPROTO;
		if (n)
			x->name[n++] = '.';
		for (unsigned i = 0; i < l; i++) {
			uint8_t c = sen_buf_get_u8(r);
			if (c <= 0x20 || c >= 0x7f || c == '.')
				return -SEN_EPROTO;
			x->name[n++] = (char)c;
		}
	}
	x->name[n] = '\0';
	return rd_err(r);
}
static void enc_dnn(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_dnn *x = f;
	size_t total = strnlen(x->name, sizeof(x->name));
	const char *p = x->name;

	if (total == 0 || total > SEN_NAS_DNN_MAX - 1) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > 63) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, (uint8_t)l);
		sen_buf_put_bytes(b, p, l);
		p += l;
		if (*p == '.' && !*++p) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
	}
}
static void walk_dnn(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		     void *arg)
{
	leaf(v, arg, "DNN", "%s", FIELD(const struct sen_nas_dnn, f)->name);
}

/* ---- ABBA (9.11.3.10) ---- */

static int dec_abba(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_abba *a = f;
	size_t n = sen_buf_left(r);

	if (n < 2 || n > SEN_NAS_ABBA_MAX)
		return -SEN_EPROTO;
	a->len = (uint8_t)n;
	sen_buf_get_bytes(r, a->v, n);
	return rd_err(r);
}
static void enc_abba(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_abba *a = f;

	if (a->len < 2 || a->len > SEN_NAS_ABBA_MAX)
		sen_buf_fail(b, -SEN_EINVAL);
	else
		sen_buf_put_bytes(b, a->v, a->len);
}
static void walk_abba(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		      void *arg)
{
	const struct sen_nas_abba *a = f;

	leaf_hex(v, arg, "value", a->v, a->len);
}

/* ---- causes ---- */

static void walk_gmm_cause(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			   void *arg)
{
	uint8_t c = *FIELD(const uint8_t, f);

	leaf(v, arg, "cause", "%u (%s)", c, nas_gmm_cause_name(c));
}
static void walk_gsm_cause(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			   void *arg)
{
	uint8_t c = *FIELD(const uint8_t, f);

	leaf(v, arg, "cause", "%u (%s)", c, nas_gsm_cause_name(c));
}

/* The QoS and ePCO codecs live in qos.c. */
int nas_dec_qos_rules(struct sen_buf_reader *r, void *f, const struct nas_ie *d);
void nas_enc_qos_rules(struct sen_buf *b, const void *f, const struct nas_ie *d);
void nas_walk_qos_rules(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg);
int nas_dec_qos_flows(struct sen_buf_reader *r, void *f, const struct nas_ie *d);
void nas_enc_qos_flows(struct sen_buf *b, const void *f, const struct nas_ie *d);
void nas_walk_qos_flows(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg);
int nas_dec_epco(struct sen_buf_reader *r, void *f, const struct nas_ie *d);
void nas_enc_epco(struct sen_buf *b, const void *f, const struct nas_ie *d);
void nas_walk_epco(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		   void *arg);

const struct nas_codec_ops nas_codecs[C_NCODECS] = {
	[C_U8] = {dec_u8, enc_u8, walk_u8},
	[C_HALF] = {dec_half, enc_half, walk_half},
	[C_U16] = {dec_u16, enc_u16, walk_u16},
	[C_FIXED] = {dec_fixed, enc_fixed, walk_fixed},
	[C_BYTES] = {dec_bytes, enc_bytes, walk_bytes},
	[C_OCTETS] = {dec_octets, enc_octets, walk_octets},
	[C_MOBILE_ID] = {dec_mobile_id, enc_mobile_id, walk_mobile_id},
	[C_SNSSAI] = {dec_snssai, enc_snssai, walk_snssai},
	[C_NSSAI] = {dec_nssai, enc_nssai, walk_nssai},
	[C_REJ_NSSAI] = {dec_rej_nssai, enc_rej_nssai, walk_rej_nssai},
	[C_TAI] = {dec_tai, enc_tai, walk_tai},
	[C_TAI_LIST] = {dec_tai_list, enc_tai_list, walk_tai_list},
	[C_PLMN] = {dec_plmn, enc_plmn, walk_plmn_ie},
	[C_PLMN_LIST] = {dec_plmn_list, enc_plmn_list, walk_plmn_list},
	[C_UE_SEC_CAP] = {dec_ue_sec_cap, enc_ue_sec_cap, walk_ue_sec_cap},
	[C_PSI_MAP] = {dec_psi_map, enc_psi_map, walk_psi_map},
	[C_TIMER] = {dec_timer, enc_timer, walk_timer},
	[C_NAME] = {dec_name, enc_name, walk_name},
	[C_AMBR] = {dec_ambr, enc_ambr, walk_ambr},
	[C_PDU_ADDR] = {dec_pdu_addr, enc_pdu_addr, walk_pdu_addr},
	[C_QOS_RULES] = {nas_dec_qos_rules, nas_enc_qos_rules, nas_walk_qos_rules},
	[C_QOS_FLOWS] = {nas_dec_qos_flows, nas_enc_qos_flows, nas_walk_qos_flows},
	[C_EPCO] = {nas_dec_epco, nas_enc_epco, nas_walk_epco},
	[C_DNN] = {dec_dnn, enc_dnn, walk_dnn},
	[C_ABBA] = {dec_abba, enc_abba, walk_abba},
	[C_GMM_CAUSE] = {dec_u8, enc_u8, walk_gmm_cause},
	[C_GSM_CAUSE] = {dec_u8, enc_u8, walk_gsm_cause},
};
