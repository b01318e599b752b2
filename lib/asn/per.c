/*
 * ALIGNED PER bit I/O and the whole-number / length encodings of ITU-T X.691 clause 11.
 * See per.h for the contracts. Bits are handled a byte at a time (never a bit at a
 * time); octet-aligned runs are plain memcpy.
 *
 * Writer invariant: the bits after w->bit in the last, partly written octet are zero, so
 * appending ORs into that octet and alignment padding is free.
 */
#include <string.h>

#include "asn/per.h"
#include "core/err.h"

/* Octets needed for v, at least one (X.691 11.3.6 / 11.4.6 "minimum number of octets"). */
static unsigned octets_u(uint64_t v)
{
	unsigned b = sen_asn_bitlen(v);
	return b ? (b + 7) / 8 : 1;
}

/* Octets for v in two's complement, at least one. */
static unsigned octets_s(int64_t v)
{
	uint64_t m = v < 0 ? ~(uint64_t)v : (uint64_t)v; /* bits besides the sign */
	return sen_asn_bitlen(m) / 8 + 1;
}

/* ---- writer ---------------------------------------------------------------------- */

void sen_asn_wr_init(struct sen_asn_wr *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap > SIZE_MAX / 8 ? SIZE_MAX / 8 : cap;
	w->bit = 0;
}

static int wr_room(const struct sen_asn_wr *w, size_t nbits)
{
	/* w->bit <= cap * 8 always holds (cap is clamped in _init). */
	return nbits > w->cap * 8 - w->bit ? -SEN_EMSGSIZE : 0;
}

int sen_asn_put_bits(struct sen_asn_wr *w, uint64_t v, unsigned n)
{
	if (n == 0)
		return 0;
	if (n > 64)
		return -SEN_EINVAL;
	if (wr_room(w, n))
		return -SEN_EMSGSIZE;
	if (n < 64)
		v &= (UINT64_C(1) << n) - 1;
	uint8_t *p = w->buf + (w->bit >> 3);
	unsigned off = w->bit & 7;
	w->bit += n;
	if (off) {
		unsigned room = 8 - off;
		if (n <= room) {
			*p |= (uint8_t)(v << (room - n));
			return 0;
		}
		n -= room;
		*p++ |= (uint8_t)(v >> n);
	}
	while (n >= 8) {
		n -= 8;
		*p++ = (uint8_t)(v >> n);
	}
	if (n)
		*p = (uint8_t)(v << (8 - n));
	return 0;
}

int sen_asn_put_align(struct sen_asn_wr *w)
{
	/* The padding bits are already zero (writer invariant). */
	w->bit = (w->bit + 7) & ~(size_t)7;
	return 0;
}

int sen_asn_put_octets(struct sen_asn_wr *w, const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n > SIZE_MAX / 8 || wr_room(w, n * 8))
		return -SEN_EMSGSIZE;
	unsigned off = w->bit & 7;
	uint8_t *d = w->buf + (w->bit >> 3);
	w->bit += n * 8;
	if (!off) {
		memcpy(d, p, n);
		return 0;
	}
	/* Unaligned: each source octet straddles two output octets. */
	unsigned room = 8 - off;
	for (size_t i = 0; i < n; i++) {
		*d++ |= (uint8_t)(p[i] >> off);
		*d = (uint8_t)(p[i] << room);
	}
	return 0;
}

int sen_asn_put_bitstr(struct sen_asn_wr *w, const uint8_t *p, size_t nbits)
{
	int rc = sen_asn_put_octets(w, p, nbits / 8);
	unsigned rem = nbits & 7;
	if (rc || !rem)
		return rc;
	return sen_asn_put_bits(w, (uint64_t)(p[nbits / 8] >> (8 - rem)), rem);
}

int sen_asn_put_cwn(struct sen_asn_wr *w, uint64_t n, uint64_t span)
{
	int rc;

	if (n > span)
		return -SEN_ERANGE;
	if (span == 0)
		return 0; /* 11.5.4 */
	if (span < 255)	  /* 11.5.7.1 */
		return sen_asn_put_bits(w, n, sen_asn_bitlen(span));
	if (span == 255) { /* 11.5.7.2 */
		sen_asn_put_align(w);
		return sen_asn_put_bits(w, n, 8);
	}
	if (span < SEN_ASN_64K) { /* 11.5.7.3 */
		sen_asn_put_align(w);
		return sen_asn_put_bits(w, n, 16);
	}
	/* 11.5.7.4: octet count as a constrained whole number 1..octets(span). */
	unsigned len = octets_u(n), max = octets_u(span);
	if ((rc = sen_asn_put_bits(w, len - 1, sen_asn_bitlen(max - 1))))
		return rc;
	sen_asn_put_align(w);
	return sen_asn_put_bits(w, n, len * 8);
}

int sen_asn_put_constrained(struct sen_asn_wr *w, int64_t v, int64_t lb, int64_t ub)
{
	if (lb > ub)
		return -SEN_EINVAL;
	if (v < lb || v > ub)
		return -SEN_ERANGE;
	return sen_asn_put_cwn(w, (uint64_t)v - (uint64_t)lb, (uint64_t)ub - (uint64_t)lb);
}

/* A length determinant for fewer than 16K items (11.9.3.6, 11.9.3.7). */
static int put_len_small(struct sen_asn_wr *w, size_t n)
{
	sen_asn_put_align(w);
	if (n < 128)
		return sen_asn_put_bits(w, n, 8);
	return sen_asn_put_bits(w, 0x8000 | n, 16);
}

int sen_asn_put_semi(struct sen_asn_wr *w, int64_t v, int64_t lb)
{
	int rc;

	if (v < lb)
		return -SEN_ERANGE;
	uint64_t n = (uint64_t)v - (uint64_t)lb;
	unsigned len = octets_u(n);
	if ((rc = put_len_small(w, len)))
		return rc;
	return sen_asn_put_bits(w, n, len * 8);
}

int sen_asn_put_unconstrained(struct sen_asn_wr *w, int64_t v)
{
	int rc;
	unsigned len = octets_s(v);

	if ((rc = put_len_small(w, len)))
		return rc;
	return sen_asn_put_bits(w, (uint64_t)v, len * 8);
}

int sen_asn_put_nsnn(struct sen_asn_wr *w, uint64_t n)
{
	int rc;

	if (n <= 63)
		return sen_asn_put_bits(w, n, 7);
	if ((rc = sen_asn_put_bits(w, 1, 1)))
		return rc;
	if (n > INT64_MAX)
		return -SEN_ERANGE;
	return sen_asn_put_semi(w, (int64_t)n, 0);
}

int sen_asn_put_nsl(struct sen_asn_wr *w, size_t n)
{
	int rc;

	if (n == 0 || n >= SEN_ASN_16K)
		return -SEN_ERANGE;
	if (n <= 64)
		return sen_asn_put_bits(w, n - 1, 7);
	if ((rc = sen_asn_put_bits(w, 1, 1)))
		return rc;
	return put_len_small(w, n);
}

int sen_asn_put_length(struct sen_asn_wr *w, size_t n, size_t lb, size_t ub)
{
	if (ub >= SEN_ASN_64K || lb > ub)
		return -SEN_EINVAL;
	if (n < lb || n > ub)
		return -SEN_ERANGE;
	return sen_asn_put_cwn(w, n - lb, ub - lb);
}

int sen_asn_put_len_frag(struct sen_asn_wr *w, size_t remaining, size_t *chunk)
{
	if (remaining < SEN_ASN_16K) {
		*chunk = remaining;
		return put_len_small(w, remaining);
	}
	size_t m = remaining / SEN_ASN_16K;
	if (m > 4)
		m = 4;
	*chunk = m * SEN_ASN_16K;
	sen_asn_put_align(w);
	return sen_asn_put_bits(w, 0xc0 | m, 8);
}

int sen_asn_put_len_octets(struct sen_asn_wr *w, const uint8_t *p, size_t n)
{
	size_t done = 0, chunk;
	int rc;

	for (;;) {
		if ((rc = sen_asn_put_len_frag(w, n - done, &chunk)))
			return rc;
		if (chunk && (rc = sen_asn_put_octets(w, p + done, chunk)))
			return rc;
		done += chunk;
		if (chunk < SEN_ASN_16K)
			return 0;
	}
}

int sen_asn_put_open_begin(struct sen_asn_wr *w, size_t *mark)
{
	sen_asn_put_align(w);
	/* Reserve one octet for the common case (< 128 octets); _end makes room if needed. */
	if (wr_room(w, 8))
		return -SEN_EMSGSIZE;
	w->buf[w->bit >> 3] = 0;
	w->bit += 8;
	*mark = w->bit >> 3; /* first octet of the contents */
	return 0;
}

int sen_asn_put_open_end(struct sen_asn_wr *w, size_t mark)
{
	int rc;

	sen_asn_put_align(w);
	size_t end = w->bit >> 3;
	if (mark == 0 || end < mark)
		return -SEN_EINVAL;
	if (end == mark) { /* empty complete encoding -> one zero octet (11.1) */
		if ((rc = sen_asn_put_bits(w, 0, 8)))
			return rc;
		end++;
	}
	size_t n = end - mark;
	if (n < 128) {
		w->buf[mark - 1] = (uint8_t)n;
		return 0;
	}
	/*
	 * Layout of 11.9.3.8: k fragments of 64K, at most one of m*16K (m = 1..3), each with
	 * a one-octet header 11mmmmmm, then a final length (1 or 2 octets, possibly 0) and
	 * the rest. Every fragment header is one octet, so piece i (a fragment) moves from
	 * contents offset src to header position mark-1 + i + src. Move the last piece first.
	 */
	size_t full = n / SEN_ASN_64K, rem = n % SEN_ASN_64K;
	size_t m = rem / SEN_ASN_16K, fin = rem % SEN_ASN_16K;
	size_t nfrag = full + (m ? 1 : 0);
	size_t fin_hlen = fin < 128 ? 1 : 2;
	size_t extra = nfrag + fin_hlen - 1; /* one octet was reserved by _begin */
	if (extra > w->cap - end)
		return -SEN_EMSGSIZE;
	uint8_t *base = w->buf + mark;
	uint8_t *hdr = w->buf + mark - 1;
	size_t fsrc = n - fin;
	uint8_t *d = hdr + nfrag + fsrc;
	memmove(d + fin_hlen, base + fsrc, fin);
	if (fin_hlen == 1) {
		d[0] = (uint8_t)fin;
	} else {
		d[0] = (uint8_t)(0x80 | (fin >> 8));
		d[1] = (uint8_t)fin;
	}
	for (size_t i = nfrag; i-- > 0;) {
		size_t src = i * SEN_ASN_64K;
		size_t len = i < full ? SEN_ASN_64K : m * SEN_ASN_16K;
		d = hdr + i + src;
		memmove(d + 1, base + src, len);
		d[0] = (uint8_t)(0xc0 | (len / SEN_ASN_16K));
	}
	w->bit = (end + extra) * 8;
	return 0;
}

/* ---- reader ---------------------------------------------------------------------- */

void sen_asn_rd_init(struct sen_asn_rd *r, const uint8_t *buf, size_t len)
{
	r->buf = buf;
	r->bit = 0;
	r->end = len > SIZE_MAX / 8 ? (SIZE_MAX / 8) * 8 : len * 8;
}

int sen_asn_get_bits(struct sen_asn_rd *r, unsigned n, uint64_t *v)
{
	if (n > 64)
		return -SEN_EINVAL;
	if (n > r->end - r->bit)
		return -SEN_EMSGSIZE;
	if (n == 0) {
		*v = 0;
		return 0;
	}
	const uint8_t *p = r->buf + (r->bit >> 3);
	unsigned off = r->bit & 7;
	uint64_t acc = 0;
	r->bit += n;
	if (off) {
		unsigned room = 8 - off;
		uint8_t b = (uint8_t)(*p++ & (0xffu >> off));
		if (n <= room) {
			*v = b >> (room - n);
			return 0;
		}
		acc = b;
		n -= room;
	}
	while (n >= 8) {
		acc = (acc << 8) | *p++;
		n -= 8;
	}
	if (n)
		acc = (acc << n) | (uint64_t)(*p >> (8 - n));
	*v = acc;
	return 0;
}

int sen_asn_get_align(struct sen_asn_rd *r)
{
	size_t b = (r->bit + 7) & ~(size_t)7;
	if (b > r->end)
		return -SEN_EMSGSIZE;
	r->bit = b;
	return 0;
}

int sen_asn_get_skip(struct sen_asn_rd *r, size_t nbits)
{
	if (nbits > r->end - r->bit)
		return -SEN_EMSGSIZE;
	r->bit += nbits;
	return 0;
}

int sen_asn_get_octets(struct sen_asn_rd *r, uint8_t *dst, size_t n)
{
	if (n == 0)
		return 0;
	if (n > (r->end - r->bit) / 8)
		return -SEN_EMSGSIZE;
	const uint8_t *p = r->buf + (r->bit >> 3);
	unsigned off = r->bit & 7;
	r->bit += n * 8;
	if (!off) {
		memcpy(dst, p, n);
		return 0;
	}
	unsigned room = 8 - off;
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)((p[i] << off) | (p[i + 1] >> room));
	return 0;
}

int sen_asn_get_bitstr(struct sen_asn_rd *r, uint8_t *dst, size_t nbits)
{
	int rc;
	uint64_t v;

	if (nbits > r->end - r->bit)
		return -SEN_EMSGSIZE;
	if ((rc = sen_asn_get_octets(r, dst, nbits / 8)))
		return rc;
	unsigned rem = nbits & 7;
	if (!rem)
		return 0;
	if ((rc = sen_asn_get_bits(r, rem, &v)))
		return rc;
	dst[nbits / 8] = (uint8_t)(v << (8 - rem));
	return 0;
}

int sen_asn_get_cwn(struct sen_asn_rd *r, uint64_t span, uint64_t *n)
{
	int rc;
	uint64_t v, len;

	if (span == 0) {
		*n = 0;
		return 0;
	}
	if (span < 255) {
		if ((rc = sen_asn_get_bits(r, sen_asn_bitlen(span), &v)))
			return rc;
	} else if (span == 255) {
		if ((rc = sen_asn_get_align(r)) || (rc = sen_asn_get_bits(r, 8, &v)))
			return rc;
	} else if (span < SEN_ASN_64K) {
		if ((rc = sen_asn_get_align(r)) || (rc = sen_asn_get_bits(r, 16, &v)))
			return rc;
	} else {
		unsigned max = octets_u(span);
		if ((rc = sen_asn_get_bits(r, sen_asn_bitlen(max - 1), &len)))
			return rc;
		if (len + 1 > max)
			return -SEN_EPROTO;
		if ((rc = sen_asn_get_align(r)) ||
		    (rc = sen_asn_get_bits(r, (unsigned)(len + 1) * 8, &v)))
			return rc;
	}
	if (v > span)
		return -SEN_EPROTO;
	*n = v;
	return 0;
}

int sen_asn_get_constrained(struct sen_asn_rd *r, int64_t lb, int64_t ub, int64_t *v)
{
	uint64_t n;
	int rc;

	if (lb > ub)
		return -SEN_EINVAL;
	if ((rc = sen_asn_get_cwn(r, (uint64_t)ub - (uint64_t)lb, &n)))
		return rc;
	*v = (int64_t)((uint64_t)lb + n);
	return 0;
}

int sen_asn_get_len_frag(struct sen_asn_rd *r, size_t *n, bool *more)
{
	int rc;
	uint64_t b, b2;

	if ((rc = sen_asn_get_align(r)) || (rc = sen_asn_get_bits(r, 8, &b)))
		return rc;
	*more = false;
	if (!(b & 0x80)) {
		*n = (size_t)b;
		return 0;
	}
	if (!(b & 0x40)) {
		if ((rc = sen_asn_get_bits(r, 8, &b2)))
			return rc;
		*n = (size_t)(((b & 0x3f) << 8) | b2);
		return 0;
	}
	b &= 0x3f;
	if (b < 1 || b > 4) /* 11.9.3.8.1: m is 1 to 4 */
		return -SEN_EPROTO;
	*n = (size_t)b * SEN_ASN_16K;
	*more = true;
	return 0;
}

/* Length of a whole number's contents: a single, unfragmented length of 1..8 octets. */
static int get_int_len(struct sen_asn_rd *r, unsigned *len)
{
	size_t n;
	bool more;
	int rc = sen_asn_get_len_frag(r, &n, &more);
	if (rc)
		return rc;
	if (more || n == 0 || n > 8)
		return -SEN_EPROTO;
	*len = (unsigned)n;
	return 0;
}

int sen_asn_get_semi(struct sen_asn_rd *r, int64_t lb, int64_t *v)
{
	unsigned len;
	uint64_t n;
	int rc;

	if ((rc = get_int_len(r, &len)) || (rc = sen_asn_get_bits(r, len * 8, &n)))
		return rc;
	/* lb + n must fit in int64_t; INT64_MAX - lb is exact in uint64_t for any lb. */
	if (n > (uint64_t)INT64_MAX - (uint64_t)lb)
		return -SEN_EPROTO;
	*v = (int64_t)((uint64_t)lb + n);
	return 0;
}

int sen_asn_get_unconstrained(struct sen_asn_rd *r, int64_t *v)
{
	unsigned len;
	uint64_t n;
	int rc;

	if ((rc = get_int_len(r, &len)) || (rc = sen_asn_get_bits(r, len * 8, &n)))
		return rc;
	if (len < 8 && (n >> (len * 8 - 1)) & 1) /* negative: sign-extend */
		n |= ~UINT64_C(0) << (len * 8);
	*v = (int64_t)n;
	return 0;
}

int sen_asn_get_nsnn(struct sen_asn_rd *r, uint64_t *n)
{
	uint64_t b;
	int64_t v;
	int rc;

	if ((rc = sen_asn_get_bits(r, 1, &b)))
		return rc;
	if (!b)
		return sen_asn_get_bits(r, 6, n);
	if ((rc = sen_asn_get_semi(r, 0, &v)))
		return rc;
	*n = (uint64_t)v;
	return 0;
}

int sen_asn_get_nsl(struct sen_asn_rd *r, size_t *n)
{
	uint64_t b;
	bool more;
	int rc;

	if ((rc = sen_asn_get_bits(r, 1, &b)))
		return rc;
	if (!b) {
		if ((rc = sen_asn_get_bits(r, 6, &b)))
			return rc;
		*n = (size_t)b + 1;
		return 0;
	}
	if ((rc = sen_asn_get_len_frag(r, n, &more)))
		return rc;
	if (more || *n == 0)
		return -SEN_EPROTO;
	return 0;
}

int sen_asn_get_length(struct sen_asn_rd *r, size_t lb, size_t ub, size_t *n)
{
	uint64_t v;
	int rc;

	if (ub >= SEN_ASN_64K || lb > ub)
		return -SEN_EINVAL;
	if ((rc = sen_asn_get_cwn(r, ub - lb, &v)))
		return rc;
	*n = lb + (size_t)v;
	return 0;
}

int sen_asn_get_len_octets(struct sen_asn_rd *r, const uint8_t **p, size_t *n,
			   void *(*alloc)(void *ctx, size_t n), void *ctx)
{
	struct sen_asn_rd start = *r;
	size_t len, total = 0;
	bool more;
	int rc;

	if ((rc = sen_asn_get_len_frag(r, &len, &more)))
		return rc;
	if (len > (r->end - r->bit) / 8)
		return -SEN_EMSGSIZE;
	if (!more) {
		*p = r->buf + (r->bit >> 3);
		*n = len;
		r->bit += len * 8;
		return 0;
	}
	/* Fragmented: the first pass checks every fragment against the input and sizes it. */
	for (;;) {
		r->bit += len * 8;
		total += len;
		if (!more)
			break;
		if ((rc = sen_asn_get_len_frag(r, &len, &more)))
			return rc;
		if (len > (r->end - r->bit) / 8)
			return -SEN_EMSGSIZE;
	}
	if (!alloc)
		return -SEN_ENOTSUP;
	uint8_t *dst = alloc(ctx, total ? total : 1);
	if (!dst)
		return -SEN_ENOMEM;
	/* The second pass joins the fragments; after a header the position is aligned. */
	size_t at = 0;
	do {
		if ((rc = sen_asn_get_len_frag(&start, &len, &more)))
			return rc;
		memcpy(dst + at, start.buf + (start.bit >> 3), len);
		at += len;
		start.bit += len * 8;
	} while (more);
	*p = dst;
	*n = total;
	return 0;
}
