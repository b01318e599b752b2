/*
 * lib/asn internals shared by codec.c (types), ies.c (IE containers) and check.c
 * (descriptor checks). Not for use outside lib/asn.
 */
#ifndef SEN_ASN_ASN_INT_H
#define SEN_ASN_ASN_INT_H

#include <stdbool.h>
#include <string.h>

#include "asn/asn.h"
#include "core/err.h"

/* Encode t's value v; parent is the value that contains v (for open-type resolvers). */
int sen_asn_enc_type(const struct sen_asn_type *t, const void *v, const void *parent,
		     struct sen_asn_wr *w, unsigned depth);

/* Decode t into v (already zeroed, or a zeroed arena block). */
int sen_asn_dec_type(const struct sen_asn_type *t, void *v, const void *parent,
		     struct sen_asn_rd *r, struct sen_asn_ctx *ctx);

/* Encode/decode one member of the value at parent (pointer and presence aware). */
int sen_asn_enc_member(const struct sen_asn_member *m, const void *parent, struct sen_asn_wr *w,
		       unsigned depth);
int sen_asn_dec_member(const struct sen_asn_member *m, void *parent, struct sen_asn_rd *r,
		       struct sen_asn_ctx *ctx, int32_t ie);

int sen_asn_enc_ies(const struct sen_asn_type *t, const void *v, struct sen_asn_wr *w,
		    unsigned depth);
int sen_asn_dec_ies(const struct sen_asn_type *t, void *v, struct sen_asn_rd *r,
		    struct sen_asn_ctx *ctx);

/* Record one level of an error path (innermost first). */
void sen_asn_path_push(struct sen_asn_ctx *ctx, const char *name, int32_t ie, int32_t item);

/* sen_asn_get_len_octets with the arena of ctx; on -SEN_EMSGSIZE notes the length that
 * overran the input in ctx->overrun_len / overrun_left. */
int sen_asn_get_open(struct sen_asn_rd *r, const uint8_t **p, size_t *len, struct sen_asn_ctx *ctx);

/* Skip an open type / unconstrained-length octet string without joining fragments. */
int sen_asn_skip_len_octets(struct sen_asn_rd *r);

/* Arena allocation through the context (NULL arena: -SEN_ENOMEM). */
static inline void *sen_asn_ctx_alloc(struct sen_asn_ctx *ctx, size_t n)
{
	return ctx->arena ? sen_asn_arena_alloc(ctx->arena, n) : NULL;
}

/* With SEN_ASN_COPY, move *p (len octets pointing into the input) into the arena, so the
 * decoded value outlives the input. 0 or -SEN_ENOMEM. */
static inline int sen_asn_ctx_keep(struct sen_asn_ctx *ctx, const uint8_t **p, size_t len)
{
	uint8_t *d;

	if (!(ctx->flags & SEN_ASN_COPY) || !len)
		return 0;
	if (!(d = sen_asn_ctx_alloc(ctx, len)))
		return -SEN_ENOMEM;
	memcpy(d, *p, len);
	*p = d;
	return 0;
}

static inline bool sen_asn_member_present(const struct sen_asn_member *m, const void *parent)
{
	const char *p = parent;
	if (m->flags & SEN_ASN_PTR) {
		void *ptr;
		memcpy(&ptr, p + m->offset, sizeof(ptr));
		return ptr != NULL;
	}
	if (m->present)
		return *(const bool *)(p + m->present - 1);
	return true;
}

/* Storage of an INTEGER/ENUMERATED (size 1, 2, 4, 8; signedness from the constraint). */
static inline bool sen_asn_int_signed(const struct sen_asn_type *t)
{
	return t->kind == SEN_ASN_INTEGER && (!(t->flags & SEN_ASN_HAS_LB) || t->lb < 0);
}

int sen_asn_load_int(const void *p, uint32_t size, bool sgn, int64_t *v);
int sen_asn_store_int(void *p, uint32_t size, bool sgn, int64_t v);

#endif
