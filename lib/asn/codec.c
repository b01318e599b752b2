/*
 * Table-driven APER encoder and decoder (see asn.h): one function per ASN.1 kind, each
 * citing its ITU-T X.691 (02/2021) clause; dispatch on sen_asn_type.kind.
 *
 *   BOOLEAN 12, INTEGER 13, ENUMERATED 14, BIT STRING 16, OCTET STRING 17, NULL 18,
 *   SEQUENCE 19 (preamble 19.2-19.3, extension additions 19.7-19.9), SEQUENCE OF 20,
 *   CHOICE 23, open type 11.2, known-multiplier character strings 30.5, UTF8String 30.6.
 * IE containers (TS 38.413 9.4 / X.681 information object sets, flattened) are in ies.c.
 */
#include <stdio.h>
#include <string.h>

#include "asn/asn_int.h"
#include "core/err.h"

/* ---- integers in C storage ------------------------------------------------------- */

int sen_asn_load_int(const void *p, uint32_t size, bool sgn, int64_t *v)
{
	switch (size) {
	case 1:
		*v = sgn ? *(const int8_t *)p : *(const uint8_t *)p;
		return 0;
	case 2:
		*v = sgn ? *(const int16_t *)p : *(const uint16_t *)p;
		return 0;
	case 4:
		*v = sgn ? *(const int32_t *)p : (int64_t) * (const uint32_t *)p;
		return 0;
	case 8:
		if (!sgn && *(const uint64_t *)p > (uint64_t)INT64_MAX)
			return -SEN_ERANGE;
		*v = *(const int64_t *)p;
		return 0;
	}
	return -SEN_EINVAL;
}

int sen_asn_store_int(void *p, uint32_t size, bool sgn, int64_t v)
{
	int64_t lo, hi;

	switch (size) {
	case 1:
		lo = sgn ? INT8_MIN : 0, hi = sgn ? INT8_MAX : UINT8_MAX;
		break;
	case 2:
		lo = sgn ? INT16_MIN : 0, hi = sgn ? INT16_MAX : UINT16_MAX;
		break;
	case 4:
		lo = sgn ? INT32_MIN : 0, hi = sgn ? INT32_MAX : (int64_t)UINT32_MAX;
		break;
	case 8:
		lo = sgn ? INT64_MIN : 0, hi = INT64_MAX;
		break;
	default:
		return -SEN_EINVAL;
	}
	if (v < lo || v > hi)
		return -SEN_EPROTO; /* the peer sent a value our representation cannot hold */
	switch (size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(uint64_t *)p = (uint64_t)v;
		break;
	}
	return 0;
}

/* ---- context and error path ------------------------------------------------------ */

void sen_asn_ctx_init(struct sen_asn_ctx *ctx, struct sen_asn_arena *arena, unsigned flags)
{
	ctx->arena = arena;
	ctx->flags = flags;
	ctx->depth = 0;
	ctx->ndiag = 0;
	ctx->diag_lost = false;
	ctx->npath = 0;
	ctx->path_lost = false;
	ctx->overrun_len = ctx->overrun_left = 0;
}

bool sen_asn_ctx_must_reject(const struct sen_asn_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->ndiag; i++)
		if (ctx->diag[i].criticality == SEN_ASN_REJECT)
			return true;
	return false;
}

void sen_asn_path_push(struct sen_asn_ctx *ctx, const char *name, int32_t ie, int32_t item)
{
	/* Levels arrive innermost first; when full, drop the innermost kept so far: the
	   outer levels (message, IE) say more about where the problem is. */
	if (ctx->npath >= SEN_ASN_MAX_PATH) {
		memmove(&ctx->path[0], &ctx->path[1],
			sizeof(ctx->path[0]) * (SEN_ASN_MAX_PATH - 1));
		ctx->npath = SEN_ASN_MAX_PATH - 1;
		ctx->path_lost = true;
	}
	struct sen_asn_where *p = &ctx->path[ctx->npath++];
	p->name = name ? name : "?";
	p->ie = ie;
	p->item = item;
}

int sen_asn_ctx_where(const struct sen_asn_ctx *ctx, char *buf, size_t len)
{
	size_t at = 0;
	int n;

	if (len)
		buf[0] = 0;
	for (unsigned i = ctx->npath; i-- > 0;) {
		const struct sen_asn_where *p = &ctx->path[i];
		const char *sep = at ? "." : "";
		if (p->item >= 0)
			n = snprintf(at < len ? buf + at : NULL, at < len ? len - at : 0, "%s[%d]",
				     sep, p->item);
		else if (p->ie >= 0)
			n = snprintf(at < len ? buf + at : NULL, at < len ? len - at : 0,
				     "%s%s(id %d)", sep, p->name, p->ie);
		else
			n = snprintf(at < len ? buf + at : NULL, at < len ? len - at : 0, "%s%s",
				     sep, p->name);
		if (n < 0)
			return -SEN_EINVAL;
		at += (size_t)n;
	}
	if (ctx->path_lost) {
		n = snprintf(at < len ? buf + at : NULL, at < len ? len - at : 0, "...");
		at += n > 0 ? (size_t)n : 0;
	}
	return (int)at;
}

/* ---- helpers --------------------------------------------------------------------- */

/* Octets from the reader: point into the input when aligned (and copies are not
 * requested), else copy into the arena. */
static int take_octets(struct sen_asn_rd *r, size_t n, const uint8_t **out, struct sen_asn_ctx *ctx)
{
	if (n > sen_asn_rd_left(r) / 8)
		return -SEN_EMSGSIZE;
	if (!(r->bit & 7) && !(ctx->flags & SEN_ASN_COPY)) {
		*out = r->buf + (r->bit >> 3);
		r->bit += n * 8;
		return 0;
	}
	uint8_t *d = sen_asn_ctx_alloc(ctx, n);
	if (!d)
		return -SEN_ENOMEM;
	*out = d;
	return sen_asn_get_octets(r, d, n);
}

/* Bits: point into the input only for whole, aligned octets; else copy (zero pad bits). */
static int take_bits(struct sen_asn_rd *r, size_t nbits, const uint8_t **out,
		     struct sen_asn_ctx *ctx)
{
	if (nbits > sen_asn_rd_left(r))
		return -SEN_EMSGSIZE;
	if (!(nbits & 7))
		return take_octets(r, nbits / 8, out, ctx);
	uint8_t *d = sen_asn_ctx_alloc(ctx, (nbits + 7) / 8);
	if (!d)
		return -SEN_ENOMEM;
	*out = d;
	return sen_asn_get_bitstr(r, d, nbits);
}

int sen_asn_get_open(struct sen_asn_rd *r, const uint8_t **p, size_t *len, struct sen_asn_ctx *ctx)
{
	struct sen_asn_rd at = *r;
	int rc = sen_asn_get_len_octets(r, p, len, sen_asn_arena_alloc_cb, ctx->arena);
	if (rc == -SEN_EMSGSIZE && !ctx->overrun_len) { /* the innermost overrun is kept */
		size_t n;
		bool more;
		if (!sen_asn_get_len_frag(&at, &n, &more)) {
			ctx->overrun_len = n;
			ctx->overrun_left = sen_asn_rd_left(&at) / 8;
		}
	}
	return rc == -SEN_ENOTSUP ? -SEN_ENOMEM : rc;
}

int sen_asn_skip_len_octets(struct sen_asn_rd *r)
{
	size_t n;
	bool more;
	int rc;

	do {
		if ((rc = sen_asn_get_len_frag(r, &n, &more)))
			return rc;
		if (n > sen_asn_rd_left(r) / 8)
			return -SEN_EMSGSIZE;
		r->bit += n * 8;
	} while (more);
	return 0;
}

/* Effective size constraint of a string / SEQUENCE OF: *bounded false = none. */
struct size_c {
	bool has;    /* a PER-visible size constraint exists */
	uint32_t lo; /* lower bound (0 without constraint) */
	uint32_t hi; /* upper bound (SEN_ASN_MAX = none) */
	bool small;  /* hi < 64K: the length is a constrained whole number (11.9.4.1) */
};

static struct size_c size_of(const struct sen_asn_type *t)
{
	struct size_c c;
	c.has = !(t->min == 0 && t->max == 0);
	c.lo = c.has ? t->min : 0;
	c.hi = c.has ? t->max : SEN_ASN_MAX;
	c.small = c.has && c.hi < SEN_ASN_64K;
	return c;
}

/*
 * The preamble shared by all size-constrained kinds (16.6, 17.3, 20.4, 30.5.4): the
 * extension bit when the size constraint is extensible. Returns 1 when the length is
 * outside the root (the caller then encodes as if unconstrained), 0 otherwise.
 */
static int put_size_ext(struct sen_asn_wr *w, const struct sen_asn_type *t, const struct size_c *c,
			size_t n)
{
	bool in_root = !c->has || (n >= c->lo && n <= c->hi);
	if (t->flags & SEN_ASN_EXT) {
		int rc = sen_asn_put_bits(w, in_root ? 0 : 1, 1);
		if (rc)
			return rc;
		return in_root ? 0 : 1;
	}
	return in_root ? 0 : -SEN_ERANGE;
}

static int get_size_ext(struct sen_asn_rd *r, const struct sen_asn_type *t, bool *ext)
{
	uint64_t b = 0;
	int rc = 0;
	if (t->flags & SEN_ASN_EXT)
		rc = sen_asn_get_bits(r, 1, &b);
	*ext = b != 0;
	return rc;
}

/* ---- BOOLEAN (12), NULL (18) ------------------------------------------------------- */

static int enc_boolean(const void *v, struct sen_asn_wr *w)
{
	return sen_asn_put_bits(w, *(const bool *)v ? 1 : 0, 1);
}

static int dec_boolean(void *v, struct sen_asn_rd *r)
{
	uint64_t b;
	int rc = sen_asn_get_bits(r, 1, &b);
	if (!rc)
		*(bool *)v = b != 0;
	return rc;
}

/* ---- INTEGER (13) ------------------------------------------------------------------ */

static int enc_integer(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w)
{
	int64_t x;
	int rc;
	bool ext = t->flags & SEN_ASN_EXT;
	bool has_lb = t->flags & SEN_ASN_HAS_LB, has_ub = has_lb && (t->flags & SEN_ASN_HAS_UB);

	if ((rc = sen_asn_load_int(v, t->size, sen_asn_int_signed(t), &x)))
		return rc;
	bool in_root = (!has_lb || x >= t->lb) && (!has_ub || x <= t->ub);
	if (ext) { /* 13.1: extension bit; outside the root: unconstrained (13.2.6) */
		if ((rc = sen_asn_put_bits(w, in_root ? 0 : 1, 1)))
			return rc;
		if (!in_root)
			return sen_asn_put_unconstrained(w, x);
	} else if (!in_root) {
		return -SEN_ERANGE;
	}
	if (has_ub) /* 13.2.2 constrained */
		return sen_asn_put_constrained(w, x, t->lb, t->ub);
	if (has_lb) /* 13.2.3 semi-constrained */
		return sen_asn_put_semi(w, x, t->lb);
	return sen_asn_put_unconstrained(w, x); /* 13.2.4 */
}

static int dec_integer(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r)
{
	int64_t x;
	uint64_t b = 0;
	int rc;
	bool has_lb = t->flags & SEN_ASN_HAS_LB, has_ub = has_lb && (t->flags & SEN_ASN_HAS_UB);

	if ((t->flags & SEN_ASN_EXT) && (rc = sen_asn_get_bits(r, 1, &b)))
		return rc;
	if (b)
		rc = sen_asn_get_unconstrained(r, &x);
	else if (has_ub)
		rc = sen_asn_get_constrained(r, t->lb, t->ub, &x);
	else if (has_lb)
		rc = sen_asn_get_semi(r, t->lb, &x);
	else
		rc = sen_asn_get_unconstrained(r, &x);
	if (rc)
		return rc;
	return sen_asn_store_int(v, t->size, sen_asn_int_signed(t), x);
}

/* ---- ENUMERATED (14) --------------------------------------------------------------- */

static int enc_enumerated(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w)
{
	int64_t x;
	int rc;

	if ((rc = sen_asn_load_int(v, t->size, false, &x)))
		return rc;
	if (t->nroot == 0)
		return -SEN_EINVAL;
	if (x < t->nroot) {
		if ((t->flags & SEN_ASN_EXT) && (rc = sen_asn_put_bits(w, 0, 1)))
			return rc;
		return sen_asn_put_cwn(w, (uint64_t)x, t->nroot - 1); /* 14.2 */
	}
	if (!(t->flags & SEN_ASN_EXT))
		return -SEN_ERANGE;
	/* 14.3: extension bit 1, then the addition's index (x - nroot) as a normally small
	   non-negative whole number. Any index is encodable, including one this descriptor
	   does not know (t->next counts the known ones only): a value decoded from a newer
	   peer is re-encoded as it came. */
	if ((rc = sen_asn_put_bits(w, 1, 1)))
		return rc;
	return sen_asn_put_nsnn(w, (uint64_t)x - t->nroot);
}

static int dec_enumerated(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r)
{
	uint64_t b = 0, x;
	int rc;

	if (t->nroot == 0)
		return -SEN_EINVAL;
	if ((t->flags & SEN_ASN_EXT) && (rc = sen_asn_get_bits(r, 1, &b)))
		return rc;
	if (!b) {
		if ((rc = sen_asn_get_cwn(r, t->nroot - 1, &x)))
			return rc;
	} else {
		/* an extension value, possibly unknown to us: kept as nroot + index */
		if ((rc = sen_asn_get_nsnn(r, &x)))
			return rc;
		if (x > (uint64_t)INT64_MAX - t->nroot)
			return -SEN_EPROTO;
		x += t->nroot;
	}
	return sen_asn_store_int(v, t->size, false, (int64_t)x);
}

/* ---- BIT STRING (16) --------------------------------------------------------------- */

static int enc_bit_string(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w)
{
	const struct sen_asn_bits *b = v;
	struct size_c c = size_of(t);
	size_t n = b->nbits;
	int rc;

	if (n && !b->data)
		return -SEN_EINVAL;
	if ((rc = put_size_ext(w, t, &c, n)) < 0)
		return rc;
	if (rc == 0 && c.small) {
		if (c.lo == c.hi) {
			if (n == 0)
				return 0; /* 16.8 */
			if (n > 16)
				sen_asn_put_align(w);		  /* 16.10 */
			return sen_asn_put_bitstr(w, b->data, n); /* 16.9 */
		}
		if ((rc = sen_asn_put_length(w, n, c.lo, c.hi))) /* 16.11 */
			return rc;
		if (n)
			sen_asn_put_align(w);
		return sen_asn_put_bitstr(w, b->data, n);
	}
	/* 16.11 with ub >= 64K or none: unconstrained length in bits, fragmented */
	size_t done = 0, chunk;
	if (n == 0)
		return sen_asn_put_len_frag(w, 0, &chunk);
	for (;;) {
		if ((rc = sen_asn_put_len_frag(w, n - done, &chunk)))
			return rc;
		if (chunk < SEN_ASN_16K) {
			/* last part: starts at a multiple of 16K bits = whole octets */
			return sen_asn_put_bitstr(w, b->data + done / 8, chunk);
		}
		if ((rc = sen_asn_put_octets(w, b->data + done / 8, chunk / 8)))
			return rc;
		done += chunk;
	}
}

static int dec_bit_string(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
			  struct sen_asn_ctx *ctx)
{
	struct sen_asn_bits *b = v;
	struct size_c c = size_of(t);
	size_t n;
	bool ext, more;
	int rc;

	if ((rc = get_size_ext(r, t, &ext)))
		return rc;
	if (!ext && c.small) {
		if (c.lo == c.hi) {
			n = c.lo;
			if (n > 16 && (rc = sen_asn_get_align(r)))
				return rc;
		} else {
			if ((rc = sen_asn_get_length(r, c.lo, c.hi, &n)))
				return rc;
			if (n && (rc = sen_asn_get_align(r)))
				return rc;
		}
		b->nbits = (uint32_t)n;
		return n ? take_bits(r, n, &b->data, ctx) : 0;
	}
	/* unconstrained length in bits, possibly fragmented */
	if ((rc = sen_asn_get_len_frag(r, &n, &more)))
		return rc;
	if (!more) {
		if (n > sen_asn_rd_left(r))
			return -SEN_EMSGSIZE;
		if (!ext && c.has && (n < c.lo || n > c.hi))
			return -SEN_EPROTO;
		b->nbits = (uint32_t)n;
		return n ? take_bits(r, n, &b->data, ctx) : 0;
	}
	/* fragmented: size it first, checking each fragment against the input */
	struct sen_asn_rd scan = *r;
	size_t total = 0, part = n;
	bool m = more;
	for (;;) {
		if (part > sen_asn_rd_left(&scan))
			return -SEN_EMSGSIZE;
		scan.bit += part;
		total += part;
		if (!m)
			break;
		if ((rc = sen_asn_get_len_frag(&scan, &part, &m)))
			return rc;
	}
	if (total > UINT32_MAX || (!ext && c.has && (total < c.lo || total > c.hi)))
		return -SEN_EPROTO;
	uint8_t *d = sen_asn_ctx_alloc(ctx, (total + 7) / 8);
	if (!d)
		return -SEN_ENOMEM;
	size_t at = 0;
	for (;;) {
		/* n bits follow; fragments are multiples of 16K bits so `at` stays whole octets */
		if ((rc = sen_asn_get_bitstr(r, d + at / 8, n)))
			return rc;
		at += n;
		if (!more)
			break;
		if ((rc = sen_asn_get_len_frag(r, &n, &more)))
			return rc;
	}
	b->data = d;
	b->nbits = (uint32_t)total;
	return 0;
}

/* ---- OCTET STRING (17) and character strings (30) ---------------------------------- */

/* Permitted characters of the known-multiplier types without a FROM constraint. */
static bool char_ok(uint8_t kind, uint8_t ch)
{
	switch (kind) {
	case SEN_ASN_PRINTABLE_STRING: /* X.680 41.4 */
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9'))
			return true;
		return ch && strchr(" '()+,-./:=?", ch) != NULL;
	case SEN_ASN_VISIBLE_STRING:
		return ch >= 0x20 && ch <= 0x7e;
	case SEN_ASN_IA5_STRING:
		return ch <= 0x7f;
	default:
		return true;
	}
}

static bool chars_ok(uint8_t kind, const uint8_t *p, size_t n)
{
	if (kind == SEN_ASN_OCTET_STRING || kind == SEN_ASN_UTF8_STRING)
		return true;
	for (size_t i = 0; i < n; i++)
		if (!char_ok(kind, p[i]))
			return false;
	return true;
}

/*
 * OCTET STRING and the 8-bit known-multiplier strings share one layout in APER: with no
 * permitted-alphabet constraint every character of PrintableString, VisibleString and
 * IA5String takes B = 8 bits (30.5.2: b = 7 rounded up to a power of two in ALIGNED), so
 * a string of n characters is n octets. They differ in alignment only (30.5.7 vs 17.6-8):
 *   fixed size:      OCTET STRING is unaligned up to 2 octets; strings when n*8 <= 16
 *   variable size:   OCTET STRING aligned; strings aligned when ub*8 >= 16
 * Alignment is only added before at least one octet.
 */
static bool fixed_aligned(uint8_t kind, size_t n)
{
	(void)kind;
	return n > 2; /* 17.6 / 17.7 and 30.5.6 / 30.5.7 coincide for B = 8 */
}

static bool var_aligned(uint8_t kind, const struct size_c *c)
{
	if (kind == SEN_ASN_OCTET_STRING)
		return true;
	return c->hi >= 2;
}

static int enc_octets(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w)
{
	const struct sen_asn_octets *o = v;
	struct size_c c = size_of(t);
	size_t n = o->len;
	int rc;

	if (n && !o->data)
		return -SEN_EINVAL;
	if (!chars_ok(t->kind, o->data, n))
		return -SEN_ERANGE;
	if (t->kind == SEN_ASN_UTF8_STRING) /* 30.6: constraints are not PER-visible */
		return sen_asn_put_len_octets(w, o->data, n);
	if ((rc = put_size_ext(w, t, &c, n)) < 0)
		return rc;
	if (rc == 0 && c.small) {
		if (c.lo == c.hi) {
			if (n == 0)
				return 0;
			if (fixed_aligned(t->kind, n))
				sen_asn_put_align(w);
			return sen_asn_put_octets(w, o->data, n);
		}
		if ((rc = sen_asn_put_length(w, n, c.lo, c.hi)))
			return rc;
		if (n && var_aligned(t->kind, &c))
			sen_asn_put_align(w);
		return sen_asn_put_octets(w, o->data, n);
	}
	return sen_asn_put_len_octets(w, o->data, n); /* 17.8 / 30.5.7 unbounded */
}

static int dec_octets(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
		      struct sen_asn_ctx *ctx)
{
	struct sen_asn_octets *o = v;
	struct size_c c = size_of(t);
	size_t n;
	bool ext = false;
	int rc;

	if (t->kind != SEN_ASN_UTF8_STRING && (rc = get_size_ext(r, t, &ext)))
		return rc;
	if (t->kind != SEN_ASN_UTF8_STRING && !ext && c.small) {
		if (c.lo == c.hi) {
			n = c.lo;
			if (n && fixed_aligned(t->kind, n) && (rc = sen_asn_get_align(r)))
				return rc;
		} else {
			if ((rc = sen_asn_get_length(r, c.lo, c.hi, &n)))
				return rc;
			if (n && var_aligned(t->kind, &c) && (rc = sen_asn_get_align(r)))
				return rc;
		}
		if (n && (rc = take_octets(r, n, &o->data, ctx)))
			return rc;
	} else {
		const uint8_t *p;
		if ((rc = sen_asn_get_open(r, &p, &n, ctx)))
			return rc;
		if (n > UINT32_MAX)
			return -SEN_EPROTO;
		if (t->kind != SEN_ASN_UTF8_STRING && !ext && c.has && (n < c.lo || n > c.hi))
			return -SEN_EPROTO;
		if ((ctx->flags & SEN_ASN_COPY) && n && p >= r->buf && p < r->buf + r->end / 8) {
			uint8_t *d = sen_asn_ctx_alloc(ctx, n);
			if (!d)
				return -SEN_ENOMEM;
			memcpy(d, p, n);
			p = d;
		}
		o->data = n ? p : NULL;
	}
	o->len = (uint32_t)n;
	if (!chars_ok(t->kind, o->data, n))
		return -SEN_EPROTO;
	return 0;
}

/* ---- SEQUENCE (19) ----------------------------------------------------------------- */

int sen_asn_enc_member(const struct sen_asn_member *m, const void *parent, struct sen_asn_wr *w,
		       unsigned depth)
{
	const char *p = (const char *)parent + m->offset;
	if (m->flags & SEN_ASN_PTR) {
		const void *ptr;
		memcpy(&ptr, p, sizeof(ptr));
		if (!ptr)
			return -SEN_EINVAL; /* mandatory pointer member not set */
		return sen_asn_enc_type(m->type, ptr, parent, w, depth);
	}
	return sen_asn_enc_type(m->type, p, parent, w, depth);
}

int sen_asn_dec_member(const struct sen_asn_member *m, void *parent, struct sen_asn_rd *r,
		       struct sen_asn_ctx *ctx, int32_t ie)
{
	char *p = (char *)parent + m->offset;
	int rc;

	if (m->flags & SEN_ASN_PTR) {
		void *val = sen_asn_ctx_alloc(ctx, m->type->size);
		if (!val) {
			sen_asn_path_push(ctx, m->name, ie, -1);
			return -SEN_ENOMEM;
		}
		memcpy(p, &val, sizeof(val));
		p = val;
	}
	if (m->present)
		*(bool *)((char *)parent + m->present - 1) = true;
	rc = sen_asn_dec_type(m->type, p, parent, r, ctx);
	if (rc < 0)
		sen_asn_path_push(ctx, m->name, ie, -1);
	return rc;
}

/* Kept unknown extension additions of a SEQUENCE value (NULL when the type keeps none). */
static const sen_asn_raw_exts *seq_raw(const struct sen_asn_type *t, const void *v)
{
	return t->raw_off ? (const void *)((const char *)v + t->raw_off - 1) : NULL;
}

static int enc_sequence(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w,
			unsigned depth)
{
	const struct sen_asn_member *m = t->members;
	const sen_asn_raw_exts *raw = seq_raw(t, v);
	uint32_t nroot = 0, nadd;
	bool any_ext = false;
	int rc;

	if (t->nmembers > SEN_ASN_MAX_MEMBERS)
		return -SEN_EINVAL;
	while (nroot < t->nmembers && !(m[nroot].flags & SEN_ASN_EXTADD))
		nroot++;
	nadd = t->nmembers - nroot; /* extension additions the descriptor knows */
	for (uint32_t i = nroot; i < t->nmembers; i++)
		if (sen_asn_member_present(&m[i], v))
			any_ext = true;
	if (raw && raw->count) {
		/* unknown additions lie beyond the known ones, in ascending order */
		if (!raw->items)
			return -SEN_EINVAL;
		for (uint32_t k = 0; k < raw->count; k++) {
			const struct sen_asn_raw_ext *x = &raw->items[k];
			if (x->index < nadd || (k && x->index <= raw->items[k - 1].index) ||
			    x->index >= SEN_ASN_MAX_RAW_EXT || !x->len || !x->data)
				return -SEN_EINVAL;
		}
		nadd = raw->items[raw->count - 1].index + 1;
		any_ext = true;
	}
	if (any_ext && !(t->flags & SEN_ASN_EXT))
		return -SEN_EINVAL;
	/* 19.1: extension bit; 19.2-19.3: presence bitmap of the root OPTIONAL/DEFAULT */
	if ((t->flags & SEN_ASN_EXT) && (rc = sen_asn_put_bits(w, any_ext ? 1 : 0, 1)))
		return rc;
	uint64_t acc = 0;
	unsigned nacc = 0;
	for (uint32_t i = 0; i < nroot; i++) {
		if (!(m[i].flags & SEN_ASN_OPTIONAL))
			continue;
		acc = (acc << 1) | (sen_asn_member_present(&m[i], v) ? 1 : 0);
		if (++nacc == 64) {
			if ((rc = sen_asn_put_bits(w, acc, 64)))
				return rc;
			acc = 0, nacc = 0;
		}
	}
	if ((rc = sen_asn_put_bits(w, acc, nacc)))
		return rc;
	/* 19.4-19.6: the root components in order */
	for (uint32_t i = 0; i < nroot; i++) {
		if ((m[i].flags & SEN_ASN_OPTIONAL) && !sen_asn_member_present(&m[i], v))
			continue;
		if ((rc = sen_asn_enc_member(&m[i], v, w, depth)))
			return rc;
	}
	if (!any_ext)
		return 0;
	/* 19.7-19.8: a bit-field with one bit per extension addition IN THE TYPE (all of
	   them, present or not: nadd, or up to the last kept unknown one), preceded by its
	   length as a normally small length; 19.9: then each present addition as an open
	   type, in order */
	if ((rc = sen_asn_put_nsl(w, nadd)))
		return rc;
	uint32_t k = 0;
	for (uint32_t i = 0; i < nadd; i++) {
		bool on;
		if (nroot + i < t->nmembers) {
			on = sen_asn_member_present(&m[nroot + i], v);
		} else {
			on = k < raw->count && raw->items[k].index == i;
			k += on ? 1 : 0;
		}
		if ((rc = sen_asn_put_bits(w, on ? 1 : 0, 1)))
			return rc;
	}
	k = 0;
	for (uint32_t i = 0; i < nadd; i++) {
		size_t mark;
		if (nroot + i >= t->nmembers) {
			if (k < raw->count && raw->items[k].index == i) {
				const struct sen_asn_raw_ext *x = &raw->items[k++];
				if ((rc = sen_asn_put_len_octets(w, x->data, x->len)))
					return rc;
			}
			continue;
		}
		if (!sen_asn_member_present(&m[nroot + i], v))
			continue;
		if ((rc = sen_asn_put_open_begin(w, &mark)) ||
		    (rc = sen_asn_enc_member(&m[nroot + i], v, w, depth)) ||
		    (rc = sen_asn_put_open_end(w, mark)))
			return rc;
	}
	return 0;
}

/* Keep the unknown extension additions of the bitmap at *bm (n bits) in the value's
 * sen_asn_raw_exts, reading their open types from r. nunknown were counted before. */
static int keep_raw_exts(const struct sen_asn_type *t, void *v, struct sen_asn_rd bm, size_t n,
			 size_t nknown, size_t nunknown, struct sen_asn_rd *r,
			 struct sen_asn_ctx *ctx)
{
	sen_asn_raw_exts *raw = (void *)((char *)v + t->raw_off - 1);
	uint64_t b;
	int rc;

	raw->items = sen_asn_ctx_alloc(ctx, nunknown * sizeof(*raw->items));
	if (!raw->items)
		return -SEN_ENOMEM;
	raw->count = 0;
	for (size_t i = 0; i < n; i++) {
		if ((rc = sen_asn_get_bits(&bm, 1, &b)))
			return rc;
		if (!b || i < nknown)
			continue;
		if (i >= SEN_ASN_MAX_RAW_EXT)
			return -SEN_EPROTO; /* more additions than any type of ours will have */
		const uint8_t *p;
		size_t len;
		if ((rc = sen_asn_get_open(r, &p, &len, ctx)))
			return rc;
		if (len > UINT32_MAX)
			return -SEN_EPROTO;
		if ((rc = sen_asn_ctx_keep(ctx, &p, len)))
			return rc;
		struct sen_asn_raw_ext *x = &raw->items[raw->count++];
		x->index = (uint32_t)i;
		x->data = p;
		x->len = (uint32_t)len;
	}
	return 0;
}

static int dec_sequence(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
			struct sen_asn_ctx *ctx)
{
	const struct sen_asn_member *m = t->members;
	uint64_t opt[SEN_ASN_MAX_MEMBERS / 64] = {0}, ext = 0, b;
	uint32_t nroot = 0, nopt = 0;
	int rc;

	if (t->nmembers > SEN_ASN_MAX_MEMBERS)
		return -SEN_EINVAL;
	while (nroot < t->nmembers && !(m[nroot].flags & SEN_ASN_EXTADD)) {
		if (m[nroot].flags & SEN_ASN_OPTIONAL)
			nopt++;
		nroot++;
	}
	if ((t->flags & SEN_ASN_EXT) && (rc = sen_asn_get_bits(r, 1, &ext)))
		return rc;
	for (uint32_t i = 0; i < nopt; i += 64) {
		unsigned k = nopt - i < 64 ? nopt - i : 64;
		if ((rc = sen_asn_get_bits(r, k, &b)))
			return rc;
		opt[i / 64] = k < 64 ? b << (64 - k) : b; /* MSB = first optional */
	}
	for (uint32_t i = 0, j = 0; i < nroot; i++) {
		if (m[i].flags & SEN_ASN_OPTIONAL) {
			bool on = (opt[j / 64] >> (63 - j % 64)) & 1;
			j++;
			if (!on)
				continue;
		}
		if ((rc = sen_asn_dec_member(&m[i], v, r, ctx, -1)) < 0)
			return rc;
	}
	if (!ext)
		return 0;
	/* 19.7-19.8: extension additions: which are present (the sender's type may have
	   more or fewer than ours); unknown ones (beyond our members) are counted, then kept
	   (raw_off) or skipped */
	size_t n, nknown = t->nmembers - nroot, unknown = 0;
	uint64_t known[SEN_ASN_MAX_MEMBERS / 64] = {0};
	if ((rc = sen_asn_get_nsl(r, &n)))
		return rc;
	if (n > sen_asn_rd_left(r))
		return -SEN_EMSGSIZE;
	struct sen_asn_rd bitmap = *r;
	for (size_t i = 0; i < n; i += 64) {
		unsigned k = n - i < 64 ? (unsigned)(n - i) : 64;
		if ((rc = sen_asn_get_bits(r, k, &b)))
			return rc;
		for (unsigned j = 0; j < k; j++) {
			bool on = (b >> (k - 1 - j)) & 1;
			if (!on)
				continue;
			if (i + j < nknown)
				known[(i + j) / 64] |= UINT64_C(1) << ((i + j) % 64);
			else
				unknown++;
		}
	}
	for (size_t i = 0; i < nknown && i < n; i++) {
		if (!((known[i / 64] >> (i % 64)) & 1))
			continue;
		const uint8_t *p;
		size_t len;
		struct sen_asn_rd sub;
		if ((rc = sen_asn_get_open(r, &p, &len, ctx)))
			return rc;
		sen_asn_rd_init(&sub, p, len);
		if ((rc = sen_asn_dec_member(&m[nroot + i], v, &sub, ctx, -1)) < 0)
			return rc;
	}
	if (unknown && t->raw_off)
		return keep_raw_exts(t, v, bitmap, n, nknown, unknown, r, ctx);
	while (unknown--)
		if ((rc = sen_asn_skip_len_octets(r)))
			return rc;
	return 0;
}

/* ---- SEQUENCE OF (20) -------------------------------------------------------------- */

static int enc_sequence_of(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w,
			   unsigned depth)
{
	const struct sen_asn_list *l = v;
	struct size_c c = size_of(t);
	size_t n = l->count, es = t->elem ? t->elem->size : 0;
	const char *items = l->items;
	int rc;

	if (!t->elem || (n && !items))
		return -SEN_EINVAL;
	if ((rc = put_size_ext(w, t, &c, n)) < 0)
		return rc;
	if (rc == 0 && c.small) {
		if (c.lo != c.hi && (rc = sen_asn_put_length(w, n, c.lo, c.hi))) /* 20.6 */
			return rc;
		for (size_t i = 0; i < n; i++)
			if ((rc = sen_asn_enc_type(t->elem, items + i * es, NULL, w, depth)))
				return rc;
		return 0;
	}
	size_t done = 0, chunk; /* 20.6 with ub >= 64K or none: fragmented count */
	for (;;) {
		if ((rc = sen_asn_put_len_frag(w, n - done, &chunk)))
			return rc;
		for (size_t i = done; i < done + chunk; i++)
			if ((rc = sen_asn_enc_type(t->elem, items + i * es, NULL, w, depth)))
				return rc;
		done += chunk;
		if (chunk < SEN_ASN_16K)
			return 0;
	}
}

/* Elements [from, from+n) of a list being decoded into arr (elem size es). */
static int dec_items(const struct sen_asn_type *t, char *arr, size_t from, size_t n,
		     struct sen_asn_rd *r, struct sen_asn_ctx *ctx)
{
	size_t es = t->elem->size;
	for (size_t i = from; i < from + n; i++) {
		int rc = sen_asn_dec_type(t->elem, arr + i * es, NULL, r, ctx);
		if (rc < 0) {
			sen_asn_path_push(ctx, NULL, -1, (int32_t)(i > INT32_MAX ? INT32_MAX : i));
			return rc;
		}
	}
	return 0;
}

/* A count is plausible if each element can take one bit; a few empty ones are allowed. */
static bool count_fits(const struct sen_asn_rd *r, size_t n)
{
	return n <= SEN_ASN_MAX_EMPTY || n <= sen_asn_rd_left(r);
}

static int dec_sequence_of(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
			   struct sen_asn_ctx *ctx)
{
	struct sen_asn_list *l = v;
	struct size_c c = size_of(t);
	size_t n, es;
	bool ext, more;
	int rc;

	if (!t->elem)
		return -SEN_EINVAL;
	es = t->elem->size;
	if ((rc = get_size_ext(r, t, &ext)))
		return rc;
	if (!ext && c.small) {
		if (c.lo == c.hi)
			n = c.lo;
		else if ((rc = sen_asn_get_length(r, c.lo, c.hi, &n)))
			return rc;
		if (!count_fits(r, n))
			return -SEN_EPROTO;
		char *arr = sen_asn_ctx_alloc(ctx, n * es);
		if (!arr)
			return -SEN_ENOMEM;
		l->items = arr;
		l->count = (uint32_t)n;
		return dec_items(t, arr, 0, n, r, ctx);
	}
	/* unconstrained count, fragments of m*16K elements; the array grows per fragment */
	char *arr = NULL;
	size_t total = 0;
	do {
		if ((rc = sen_asn_get_len_frag(r, &n, &more)))
			return rc;
		if (!count_fits(r, n) || total + n > UINT32_MAX)
			return -SEN_EPROTO;
		if (es && total + n > SIZE_MAX / es)
			return -SEN_EPROTO;
		char *grown = sen_asn_ctx_alloc(ctx, (total + n) * es);
		if (!grown)
			return -SEN_ENOMEM;
		if (total)
			memcpy(grown, arr, total * es);
		arr = grown;
		if ((rc = dec_items(t, arr, total, n, r, ctx)) < 0)
			return rc;
		total += n;
	} while (more);
	if (!ext && c.has && (total < c.lo || total > c.hi))
		return -SEN_EPROTO;
	l->items = arr;
	l->count = (uint32_t)total;
	return 0;
}

/* ---- CHOICE (23) ------------------------------------------------------------------- */

static int enc_choice(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w,
		      unsigned depth)
{
	uint32_t idx = *(const uint32_t *)((const char *)v + t->index_off);
	bool ext = t->flags & SEN_ASN_EXT;
	int rc;

	if (t->nroot == 0 || t->nroot > t->nmembers)
		return -SEN_EINVAL;
	if (idx < t->nroot) {
		if (ext && (rc = sen_asn_put_bits(w, 0, 1)))
			return rc;
		if ((rc = sen_asn_put_cwn(w, idx, t->nroot - 1))) /* 23.6-23.7 */
			return rc;
		return sen_asn_enc_member(&t->members[idx], v, w, depth);
	}
	if (!ext)
		return -SEN_EINVAL;
	/* 23.8: extension alternative: normally small index, then an open type */
	if ((rc = sen_asn_put_bits(w, 1, 1)) || (rc = sen_asn_put_nsnn(w, idx - t->nroot)))
		return rc;
	if (idx < t->nmembers) {
		size_t mark;
		if ((rc = sen_asn_put_open_begin(w, &mark)) ||
		    (rc = sen_asn_enc_member(&t->members[idx], v, w, depth)))
			return rc;
		return sen_asn_put_open_end(w, mark);
	}
	if (!t->raw_off)
		return -SEN_EINVAL;
	const struct sen_asn_octets *raw = (const void *)((const char *)v + t->raw_off - 1);
	if (!raw->len || !raw->data)
		return -SEN_EINVAL;
	return sen_asn_put_len_octets(w, raw->data, raw->len);
}

static int dec_choice(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
		      struct sen_asn_ctx *ctx)
{
	uint64_t b = 0, x;
	int rc;

	if (t->nroot == 0 || t->nroot > t->nmembers)
		return -SEN_EINVAL;
	if ((t->flags & SEN_ASN_EXT) && (rc = sen_asn_get_bits(r, 1, &b)))
		return rc;
	uint32_t *idx = (uint32_t *)((char *)v + t->index_off);
	if (!b) {
		if ((rc = sen_asn_get_cwn(r, t->nroot - 1, &x)))
			return rc;
		*idx = (uint32_t)x;
		return sen_asn_dec_member(&t->members[x], v, r, ctx, -1);
	}
	if ((rc = sen_asn_get_nsnn(r, &x)))
		return rc;
	if (x >= UINT32_MAX - t->nroot)
		return -SEN_EPROTO;
	*idx = (uint32_t)(x + t->nroot);
	const uint8_t *p;
	size_t len;
	if ((rc = sen_asn_get_open(r, &p, &len, ctx)))
		return rc;
	if (*idx < t->nmembers) {
		struct sen_asn_rd sub;
		sen_asn_rd_init(&sub, p, len);
		return sen_asn_dec_member(&t->members[*idx], v, &sub, ctx, -1);
	}
	if (t->raw_off) { /* an alternative we do not know: keep its encoding */
		struct sen_asn_octets *raw = (void *)((char *)v + t->raw_off - 1);
		struct sen_asn_rd sub;
		sen_asn_rd_init(&sub, p, len);
		if ((rc = take_octets(&sub, len, &raw->data, ctx)))
			return rc;
		raw->len = (uint32_t)len;
	}
	return 0;
}

/* ---- open type (11.2) -------------------------------------------------------------- */

const struct sen_asn_type *sen_asn_resolve_key(const struct sen_asn_type *self, const void *parent)
{
	int64_t key;
	if (!parent || !self->table)
		return NULL;
	if (sen_asn_load_int((const char *)parent + self->key_off, self->key_size, self->key_signed,
			     &key))
		return NULL;
	for (uint32_t i = 0; i < self->ntable; i++)
		if (self->table[i].key == key)
			return self->table[i].type;
	return NULL;
}

static int enc_open(const struct sen_asn_type *t, const void *v, const void *parent,
		    struct sen_asn_wr *w, unsigned depth)
{
	const struct sen_asn_open *o = v;
	const struct sen_asn_type *type = o->type;
	int rc;

	if (o->value) {
		if (!type && t->resolve)
			type = t->resolve(t, parent);
		if (!type)
			return -SEN_EINVAL;
		size_t mark;
		if ((rc = sen_asn_put_open_begin(w, &mark)) ||
		    (rc = sen_asn_enc_type(type, o->value, NULL, w, depth)))
			return rc;
		return sen_asn_put_open_end(w, mark);
	}
	if (!o->len || !o->data)
		return -SEN_EINVAL; /* an open type holds at least one octet (11.1) */
	return sen_asn_put_len_octets(w, o->data, o->len);
}

static int dec_open(const struct sen_asn_type *t, void *v, const void *parent, struct sen_asn_rd *r,
		    struct sen_asn_ctx *ctx)
{
	struct sen_asn_open *o = v;
	const uint8_t *p;
	size_t len;
	int rc;

	if ((rc = sen_asn_get_open(r, &p, &len, ctx)))
		return rc;
	if (len > UINT32_MAX)
		return -SEN_EPROTO;
	o->data = p;
	o->len = (uint32_t)len;
	o->type = t->resolve ? t->resolve(t, parent) : NULL;
	if (!o->type)
		return sen_asn_ctx_keep(ctx, &o->data, len);
	o->value = sen_asn_ctx_alloc(ctx, o->type->size);
	if (!o->value)
		return -SEN_ENOMEM;
	struct sen_asn_rd sub;
	sen_asn_rd_init(&sub, p, len);
	rc = sen_asn_dec_type(o->type, o->value, NULL, &sub, ctx);
	if (rc < 0)
		sen_asn_path_push(ctx, o->type->name, -1, -1);
	return rc;
}

/* ---- dispatch ---------------------------------------------------------------------- */

int sen_asn_enc_type(const struct sen_asn_type *t, const void *v, const void *parent,
		     struct sen_asn_wr *w, unsigned depth)
{
	if (++depth > SEN_ASN_MAX_DEPTH)
		return -SEN_EINVAL;
	switch (t->kind) {
	case SEN_ASN_NULL:
		return 0;
	case SEN_ASN_BOOLEAN:
		return enc_boolean(v, w);
	case SEN_ASN_INTEGER:
		return enc_integer(t, v, w);
	case SEN_ASN_ENUMERATED:
		return enc_enumerated(t, v, w);
	case SEN_ASN_BIT_STRING:
		return enc_bit_string(t, v, w);
	case SEN_ASN_OCTET_STRING:
	case SEN_ASN_PRINTABLE_STRING:
	case SEN_ASN_VISIBLE_STRING:
	case SEN_ASN_IA5_STRING:
	case SEN_ASN_UTF8_STRING:
		return enc_octets(t, v, w);
	case SEN_ASN_SEQUENCE:
		return enc_sequence(t, v, w, depth);
	case SEN_ASN_SEQUENCE_OF:
		return enc_sequence_of(t, v, w, depth);
	case SEN_ASN_CHOICE:
		return enc_choice(t, v, w, depth);
	case SEN_ASN_OPEN_TYPE:
		return enc_open(t, v, parent, w, depth);
	case SEN_ASN_IE_CONTAINER:
		return sen_asn_enc_ies(t, v, w, depth);
	}
	return -SEN_EINVAL;
}

int sen_asn_dec_type(const struct sen_asn_type *t, void *v, const void *parent,
		     struct sen_asn_rd *r, struct sen_asn_ctx *ctx)
{
	int rc;

	if (ctx->depth >= SEN_ASN_MAX_DEPTH)
		return -SEN_EPROTO; /* nesting deeper than any protocol of ours needs */
	ctx->depth++;
	switch (t->kind) {
	case SEN_ASN_NULL:
		rc = 0;
		break;
	case SEN_ASN_BOOLEAN:
		rc = dec_boolean(v, r);
		break;
	case SEN_ASN_INTEGER:
		rc = dec_integer(t, v, r);
		break;
	case SEN_ASN_ENUMERATED:
		rc = dec_enumerated(t, v, r);
		break;
	case SEN_ASN_BIT_STRING:
		rc = dec_bit_string(t, v, r, ctx);
		break;
	case SEN_ASN_OCTET_STRING:
	case SEN_ASN_PRINTABLE_STRING:
	case SEN_ASN_VISIBLE_STRING:
	case SEN_ASN_IA5_STRING:
	case SEN_ASN_UTF8_STRING:
		rc = dec_octets(t, v, r, ctx);
		break;
	case SEN_ASN_SEQUENCE:
		rc = dec_sequence(t, v, r, ctx);
		break;
	case SEN_ASN_SEQUENCE_OF:
		rc = dec_sequence_of(t, v, r, ctx);
		break;
	case SEN_ASN_CHOICE:
		rc = dec_choice(t, v, r, ctx);
		break;
	case SEN_ASN_OPEN_TYPE:
		rc = dec_open(t, v, parent, r, ctx);
		break;
	case SEN_ASN_IE_CONTAINER:
		rc = sen_asn_dec_ies(t, v, r, ctx);
		break;
	default:
		rc = -SEN_EINVAL;
		break;
	}
	ctx->depth--;
	return rc;
}

/* ---- public entry points ----------------------------------------------------------- */

int sen_asn_encode_to(const struct sen_asn_type *t, const void *value, struct sen_asn_wr *w)
{
	return sen_asn_enc_type(t, value, NULL, w, 0);
}

int sen_asn_encode(const struct sen_asn_type *t, const void *value, uint8_t *out, size_t cap)
{
	struct sen_asn_wr w;
	int rc;

	sen_asn_wr_init(&w, out, cap);
	if ((rc = sen_asn_enc_type(t, value, NULL, &w, 0)))
		return rc;
	if (w.bit == 0 && (rc = sen_asn_put_bits(&w, 0, 8))) /* 11.1: at least one octet */
		return rc;
	sen_asn_put_align(&w);
	size_t n = sen_asn_wr_len(&w);
	return n > INT32_MAX ? -SEN_EMSGSIZE : (int)n;
}

int sen_asn_decode_from(const struct sen_asn_type *t, void *value, struct sen_asn_rd *r,
			struct sen_asn_ctx *ctx)
{
	return sen_asn_dec_type(t, value, NULL, r, ctx);
}

int sen_asn_decode(const struct sen_asn_type *t, void *value, const uint8_t *data, size_t len,
		   struct sen_asn_ctx *ctx)
{
	struct sen_asn_rd r;
	int rc;

	memset(value, 0, t->size);
	ctx->npath = 0;
	ctx->path_lost = false;
	ctx->depth = 0;
	ctx->ndiag = 0;
	ctx->diag_lost = false;
	ctx->overrun_len = ctx->overrun_left = 0;
	sen_asn_rd_init(&r, data, len);
	rc = sen_asn_dec_type(t, value, NULL, &r, ctx);
	if (rc < 0) {
		if (t->name)
			sen_asn_path_push(ctx, t->name, -1, -1);
		return rc;
	}
	size_t used = sen_asn_rd_used(&r);
	if (used == 0 && len > 0)
		used = 1; /* an empty encoding is sent as one zero octet */
	return used > INT32_MAX ? -SEN_EMSGSIZE : (int)used;
}
