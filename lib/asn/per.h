/*
 * ITU-T X.691 ALIGNED PER (APER): bit-level writer and reader, and the encodings every
 * APER type is built from (X.691 clause 11): bit-fields with octet alignment (11.1, 3.7.3),
 * constrained whole numbers (11.5, all cases of 11.5.7), normally small non-negative
 * whole numbers (11.6), semi-constrained (11.7) and unconstrained (11.8) whole numbers,
 * length determinants (11.9: constrained, unconstrained, fragmented in 16K units, and the
 * "normally small length"), and open types (11.2: length-prefixed complete encodings).
 *
 * The table-driven layer (asn.h) uses these; lib/ngap may also call them directly.
 *
 * Conventions: every function returns 0 (or the documented non-negative value) on
 * success and a negative -SEN_E… code on failure; on failure the writer/reader position is
 * unspecified and the caller must abandon the encoding/decoding.
 *   writer: -SEN_EMSGSIZE  the output buffer is full
 *           -SEN_ERANGE    the value is outside what the constraint allows
 *           -SEN_EINVAL    bad argument (programming error)
 *   reader: -SEN_EMSGSIZE  the encoding ends before the field does (truncated input)
 *           -SEN_EPROTO    the field is malformed or violates its constraint
 * A reader never reads outside [buf, buf+len), whatever the input.
 */
#ifndef SEN_ASN_PER_H
#define SEN_ASN_PER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X.691 11.9.3.8: fragments of an unconstrained length are multiples of 16K items. */
#define SEN_ASN_16K 16384u
#define SEN_ASN_64K 65536u

/* ---- writer ---------------------------------------------------------------------- */

/* Bit writer over a caller-owned buffer. Bits are written most significant first. */
struct sen_asn_wr {
	uint8_t *buf;
	size_t cap; /* bytes available in buf */
	size_t bit; /* bits written so far */
};

/* Start writing at the beginning of buf (cap bytes). buf need not be zeroed. */
void sen_asn_wr_init(struct sen_asn_wr *w, uint8_t *buf, size_t cap);

/* Octets used so far (a partly written last octet counts; its unused bits are zero). */
static inline size_t sen_asn_wr_len(const struct sen_asn_wr *w)
{
	return (w->bit + 7) >> 3;
}

/* Append the low n bits of v (0 <= n <= 64). */
int sen_asn_put_bits(struct sen_asn_wr *w, uint64_t v, unsigned n);

/* Pad with zero bits to the next octet boundary (X.691 3.7.3 "octet-aligned"). */
int sen_asn_put_align(struct sen_asn_wr *w);

/* Append n octets at the current bit position (no alignment is added). */
int sen_asn_put_octets(struct sen_asn_wr *w, const uint8_t *p, size_t n);

/* Append the first nbits bits of p (most significant bit of p[0] first). */
int sen_asn_put_bitstr(struct sen_asn_wr *w, const uint8_t *p, size_t nbits);

/*
 * X.691 11.5.7 constrained whole number, ALIGNED variant: "n" = value - lb and
 * "span" = ub - lb (range - 1), both as unsigned 64-bit numbers:
 *   span == 0           nothing (11.5.4)
 *   range <= 255        bit-field of the minimum width, not aligned (11.5.7.1)
 *   range == 256        one octet, octet-aligned (11.5.7.2)
 *   range <= 64K        two octets, octet-aligned (11.5.7.3)
 *   range  > 64K        (11.5.7.4) the octet count of n as a constrained whole number
 *                       1..octets(span) in a bit-field, then n in that many octets, aligned.
 * -SEN_ERANGE if n > span.
 */
int sen_asn_put_cwn(struct sen_asn_wr *w, uint64_t n, uint64_t span);

/* Constrained whole number for v in lb..ub (X.691 11.5.7). -SEN_ERANGE outside. */
int sen_asn_put_constrained(struct sen_asn_wr *w, int64_t v, int64_t lb, int64_t ub);

/* X.691 11.7 semi-constrained whole number (lb..MAX): v - lb in the minimum number of
 * octets, preceded by an unconstrained length determinant. -SEN_ERANGE if v < lb. */
int sen_asn_put_semi(struct sen_asn_wr *w, int64_t v, int64_t lb);

/* X.691 11.8 unconstrained whole number: two's complement in the minimum number of
 * octets, preceded by an unconstrained length determinant. */
int sen_asn_put_unconstrained(struct sen_asn_wr *w, int64_t v);

/* X.691 11.6 normally small non-negative whole number: '0' + 6 bits when n <= 63,
 * else '1' + semi-constrained whole number with lb 0. */
int sen_asn_put_nsnn(struct sen_asn_wr *w, uint64_t n);

/* X.691 11.9.3.4 normally small length (n >= 1; used for the extension-addition
 * bitmap): '0' + 6 bits of n-1 when n <= 64, else '1' + unconstrained length.
 * Lengths of 16K and more are refused (-SEN_ERANGE). */
int sen_asn_put_nsl(struct sen_asn_wr *w, size_t n);

/* X.691 11.9.4.1 length determinant constrained to lb..ub with ub < 64K: a constrained
 * whole number (no bits when lb == ub). -SEN_ERANGE if n is outside lb..ub,
 * -SEN_EINVAL if ub >= 64K (use sen_asn_put_len_frag). */
int sen_asn_put_length(struct sen_asn_wr *w, size_t n, size_t lb, size_t ub);

/*
 * X.691 11.9.3.5-11.9.3.8 unconstrained length determinant, octet-aligned, with
 * fragmentation. Writes the header for the next part of `remaining` items and stores in
 * *chunk how many items the caller must now write. When remaining >= 16K the part is a
 * fragment of m*16K items (m = 1..4, header 11mmmmmm) and the caller must call again
 * afterwards with what is left, even if that is 0 (a final header 0x00). The last part
 * is the one with *chunk < 16K: header 0nnnnnnn (< 128) or 10nnnnnn nnnnnnnn.
 */
int sen_asn_put_len_frag(struct sen_asn_wr *w, size_t remaining, size_t *chunk);

/* Whole unconstrained-length octet string: length determinant(s) + octets, fragmented
 * as X.691 11.9.3.8 says (used for open types, OCTET STRING without an upper bound). */
int sen_asn_put_len_octets(struct sen_asn_wr *w, const uint8_t *p, size_t n);

/*
 * Open type (X.691 11.2): write a value's complete encoding as an octet string with an
 * unconstrained length. Usage:
 *     size_t mark; sen_asn_put_open_begin(w, &mark); ...encode the value into w...;
 *     sen_asn_put_open_end(w, mark);
 * The inner value is encoded in place starting on an octet boundary; _end pads it to an
 * octet boundary, replaces an empty encoding by one zero octet (X.691 11.1), writes the
 * length in front and, for 16K octets or more, splits it into fragments (moving the
 * bytes; no second buffer is needed).
 */
int sen_asn_put_open_begin(struct sen_asn_wr *w, size_t *mark);
int sen_asn_put_open_end(struct sen_asn_wr *w, size_t mark);

/* ---- reader ---------------------------------------------------------------------- */

/* Bit reader over a caller-owned buffer. */
struct sen_asn_rd {
	const uint8_t *buf;
	size_t bit; /* read position, in bits from buf */
	size_t end; /* end of the readable data, in bits from buf */
};

/* Read len octets at buf. */
void sen_asn_rd_init(struct sen_asn_rd *r, const uint8_t *buf, size_t len);

/* Bits left to read. */
static inline size_t sen_asn_rd_left(const struct sen_asn_rd *r)
{
	return r->end - r->bit;
}

/* Octets consumed so far (a partly read octet counts). */
static inline size_t sen_asn_rd_used(const struct sen_asn_rd *r)
{
	return (r->bit + 7) >> 3;
}

/* Read n bits (0 <= n <= 64) into *v. */
int sen_asn_get_bits(struct sen_asn_rd *r, unsigned n, uint64_t *v);

/* Skip to the next octet boundary (padding bits are ignored, as X.691 allows). */
int sen_asn_get_align(struct sen_asn_rd *r);

/* Skip n bits. */
int sen_asn_get_skip(struct sen_asn_rd *r, size_t nbits);

/* Copy n octets from the current bit position (which need not be aligned) to dst. */
int sen_asn_get_octets(struct sen_asn_rd *r, uint8_t *dst, size_t n);

/* Copy nbits bits to dst ((nbits+7)/8 octets; unused low bits of the last are zero). */
int sen_asn_get_bitstr(struct sen_asn_rd *r, uint8_t *dst, size_t nbits);

/* Constrained whole number with span = ub - lb (X.691 11.5.7); *n = value - lb.
 * -SEN_EPROTO if the encoded number exceeds span. */
int sen_asn_get_cwn(struct sen_asn_rd *r, uint64_t span, uint64_t *n);

/* Constrained whole number in lb..ub (lb <= ub). */
int sen_asn_get_constrained(struct sen_asn_rd *r, int64_t lb, int64_t ub, int64_t *v);

/* Semi-constrained whole number (11.7). -SEN_EPROTO if it does not fit in int64_t. */
int sen_asn_get_semi(struct sen_asn_rd *r, int64_t lb, int64_t *v);

/* Unconstrained whole number (11.8). -SEN_EPROTO if it does not fit in int64_t. */
int sen_asn_get_unconstrained(struct sen_asn_rd *r, int64_t *v);

/* Normally small non-negative whole number (11.6). */
int sen_asn_get_nsnn(struct sen_asn_rd *r, uint64_t *n);

/* Normally small length (11.9.3.4); *n >= 1. */
int sen_asn_get_nsl(struct sen_asn_rd *r, size_t *n);

/* Constrained length determinant lb..ub, ub < 64K (11.9.4.1). */
int sen_asn_get_length(struct sen_asn_rd *r, size_t lb, size_t ub, size_t *n);

/*
 * One unconstrained length determinant (11.9.3.5-8): *n items follow; *more is true when
 * this was a fragment header (11mmmmmm, m = 1..4) and another header follows the items.
 */
int sen_asn_get_len_frag(struct sen_asn_rd *r, size_t *n, bool *more);

/*
 * An octet string with an unconstrained length (open type contents, OCTET STRING without
 * an upper bound): sets *p to its first octet and *n to its length.
 * Not fragmented (< 16K octets): *p points into the reader's buffer.
 * Fragmented: the fragments are joined into memory from alloc(ctx, total) (which must
 * return NULL on failure; then -SEN_ENOMEM); with alloc NULL, -SEN_ENOTSUP.
 * The total is bounded by what the input holds, so a peer cannot make it allocate more.
 */
int sen_asn_get_len_octets(struct sen_asn_rd *r, const uint8_t **p, size_t *n,
			   void *(*alloc)(void *ctx, size_t n), void *ctx);

/* Number of bits needed to write v (0 for v == 0). */
static inline unsigned sen_asn_bitlen(uint64_t v)
{
	return v ? 64u - (unsigned)__builtin_clzll(v) : 0u;
}

#endif
