/*
 * IE containers: NGAP's (and S1AP's, XnAP's …) ProtocolIE-Container and
 * ProtocolExtensionContainer (TS 38.413 9.4, "NGAP-Containers"), described once, flattened
 * into the message's C struct.
 *
 *   ProtocolIE-Container {IEsSetParam} ::= SEQUENCE (SIZE (0..maxProtocolIEs)) OF
 *       ProtocolIE-Field {{IEsSetParam}}
 *   ProtocolIE-Field ::= SEQUENCE { id ProtocolIE-ID, criticality Criticality,
 *                                   value IE-Type-chosen-by-id (an open type) }
 *   ProtocolIE-ID ::= INTEGER (0..65535)  -> 2 octets, aligned (X.691 11.5.7.3)
 *   Criticality ::= ENUMERATED { reject, ignore, notify }  -> 2 bits
 * (ProtocolExtensionContainer is the same with SIZE (1..maxProtocolExtensions).)
 *
 * The descriptor's members[] list the IEs of the set: id, criticality, the value's type,
 * where it lives in the struct, and whether it is optional. Encoding writes the present
 * IEs in table order (the order of the tabular message definitions in clause 9), then any
 * kept unknown IEs. Decoding accepts any order, decodes each known IE with its type, and
 * records, rather than fails on, what TS 38.413 clause 10 wants handled by criticality:
 * IEs not understood (10.3.4.1; kept raw when raw_off is set), missing mandatory IEs
 * (10.3.5), repeated IEs and known IEs out of the descriptor's order (10.3.6: "wrong order
 * or too many occurrences"; members[] must therefore follow the message's tabular order;
 * IEs not understood have no known place and are not checked). The caller looks at
 * ctx->diag and answers as clause 10 says.
 */
#include <string.h>

#include "asn/asn_int.h"
#include "core/err.h"

#define IE_ID_SPAN 65535u /* ProtocolIE-ID INTEGER (0..65535) */
#define CRIT_SPAN  2u	  /* Criticality: 3 values */

static void container_bounds(const struct sen_asn_type *t, size_t *lo, size_t *hi)
{
	if (t->min == 0 && t->max == 0) {
		*lo = 0;
		*hi = IE_ID_SPAN;
	} else {
		*lo = t->min;
		*hi = t->max > IE_ID_SPAN ? IE_ID_SPAN : t->max;
	}
}

static void diag_add(struct sen_asn_ctx *ctx, const struct sen_asn_type *t, uint32_t id,
		     uint8_t crit, uint8_t kind)
{
	if (ctx->ndiag >= SEN_ASN_MAX_DIAG) {
		ctx->diag_lost = true;
		return;
	}
	struct sen_asn_diag *d = &ctx->diag[ctx->ndiag++];
	d->container = t;
	d->id = id;
	d->criticality = crit;
	d->kind = kind;
}

int sen_asn_enc_ies(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w,
		    unsigned depth)
{
	const struct sen_asn_member *m = t->members;
	const sen_asn_raw_ies *raw = NULL;
	size_t lo, hi, count = 0;
	int rc;

	container_bounds(t, &lo, &hi);
	for (uint32_t i = 0; i < t->nmembers; i++)
		if (sen_asn_member_present(&m[i], v))
			count++;
	if (t->raw_off) {
		raw = (const void *)((const char *)v + t->raw_off - 1);
		if (raw->count && !raw->items)
			return -SEN_EINVAL;
		count += raw->count;
	}
	if ((rc = sen_asn_put_length(w, count, lo, hi)))
		return rc;
	for (uint32_t i = 0; i < t->nmembers; i++) {
		size_t mark;
		if (!sen_asn_member_present(&m[i], v))
			continue;
		if ((rc = sen_asn_put_cwn(w, m[i].id, IE_ID_SPAN)) ||
		    (rc = sen_asn_put_cwn(w, m[i].criticality, CRIT_SPAN)) ||
		    (rc = sen_asn_put_open_begin(w, &mark)) ||
		    (rc = sen_asn_enc_member(&m[i], v, w, depth)) ||
		    (rc = sen_asn_put_open_end(w, mark)))
			return rc;
	}
	for (uint32_t i = 0; raw && i < raw->count; i++) {
		const struct sen_asn_raw_ie *ie = &raw->items[i];
		if (!ie->len || !ie->data)
			return -SEN_EINVAL;
		if ((rc = sen_asn_put_cwn(w, ie->id, IE_ID_SPAN)) ||
		    (rc = sen_asn_put_cwn(w, ie->criticality, CRIT_SPAN)) ||
		    (rc = sen_asn_put_len_octets(w, ie->data, ie->len)))
			return rc;
	}
	return 0;
}

static int keep_raw(const struct sen_asn_type *t, void *v, size_t count, uint32_t id, uint8_t crit,
		    const uint8_t *p, size_t len, struct sen_asn_ctx *ctx)
{
	sen_asn_raw_ies *raw = (void *)((char *)v + t->raw_off - 1);
	int rc;

	if (!raw->items) { /* room for every IE of this container, allocated once */
		raw->items = sen_asn_ctx_alloc(ctx, count * sizeof(*raw->items));
		if (!raw->items)
			return -SEN_ENOMEM;
	}
	if ((rc = sen_asn_ctx_keep(ctx, &p, len)))
		return rc;
	struct sen_asn_raw_ie *ie = &raw->items[raw->count++];
	ie->id = id;
	ie->criticality = crit;
	ie->data = p;
	ie->len = (uint32_t)len;
	return 0;
}

int sen_asn_dec_ies(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
		    struct sen_asn_ctx *ctx)
{
	const struct sen_asn_member *m = t->members;
	uint64_t seen[SEN_ASN_MAX_MEMBERS / 64] = {0};
	size_t lo, hi, count;
	uint32_t last = 0; /* members[] index of the last known IE + 1 (0: none yet) */
	bool order_noted = false;
	int rc;

	if (t->nmembers > SEN_ASN_MAX_MEMBERS)
		return -SEN_EINVAL;
	container_bounds(t, &lo, &hi);
	if ((rc = sen_asn_get_length(r, lo, hi, &count)))
		return rc;
	/* each IE takes at least 4 octets: id (2), criticality + padding (1), length (1) */
	if (count > sen_asn_rd_left(r) / 32)
		return -SEN_EPROTO;
	for (size_t n = 0; n < count; n++) {
		uint64_t id, crit;
		const uint8_t *p;
		size_t len;
		if ((rc = sen_asn_get_cwn(r, IE_ID_SPAN, &id))) {
			sen_asn_path_push(ctx, t->name, -1, (int32_t)n);
			return rc;
		}
		uint32_t i = 0;
		while (i < t->nmembers && m[i].id != id)
			i++;
		if ((rc = sen_asn_get_cwn(r, CRIT_SPAN, &crit)) ||
		    (rc = sen_asn_get_open(r, &p, &len, ctx))) {
			/* the id was read: name the IE (when known) rather than its position */
			sen_asn_path_push(ctx, i < t->nmembers ? m[i].name : "IE not understood",
					  (int32_t)id, -1);
			return rc;
		}
		if (i == t->nmembers) {
			diag_add(ctx, t, (uint32_t)id, (uint8_t)crit, SEN_ASN_NOT_UNDERSTOOD);
			if (t->raw_off &&
			    (rc = keep_raw(t, v, count, (uint32_t)id, (uint8_t)crit, p, len, ctx)))
				return rc;
			continue;
		}
		if ((seen[i / 64] >> (i % 64)) & 1) {
			diag_add(ctx, t, (uint32_t)id, (uint8_t)crit, SEN_ASN_DUPLICATE);
			continue;
		}
		seen[i / 64] |= UINT64_C(1) << (i % 64);
		if (i + 1 < last && !order_noted) { /* 10.3.6, noted once per container */
			diag_add(ctx, t, (uint32_t)id, (uint8_t)crit, SEN_ASN_WRONG_ORDER);
			order_noted = true;
		}
		if (i + 1 > last)
			last = i + 1;
		struct sen_asn_rd sub;
		sen_asn_rd_init(&sub, p, len);
		if ((rc = sen_asn_dec_member(&m[i], v, &sub, ctx, (int32_t)id)) < 0)
			return rc;
	}
	for (uint32_t i = 0; i < t->nmembers; i++)
		if (!(m[i].flags & SEN_ASN_OPTIONAL) && !((seen[i / 64] >> (i % 64)) & 1))
			diag_add(ctx, t, m[i].id, m[i].criticality, SEN_ASN_MISSING);
	return 0;
}
