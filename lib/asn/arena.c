/*
 * Bump allocator for decoded values (see arena.h). Blocks grow geometrically from 4 KiB
 * so a large PDU costs few mallocs; every block is freed by reset/fini.
 */
#include <stdlib.h>
#include <string.h>

#include "asn/arena.h"

#define ALIGN	  16u
#define MIN_CHUNK 4096u

struct sen_asn_chunk {
	struct sen_asn_chunk *next;
	size_t size;
	/* data follows, aligned */
	_Alignas(16) uint8_t data[];
};

static uint8_t *align_up(uint8_t *p, size_t *left)
{
	size_t pad = (size_t)(-(uintptr_t)p) & (ALIGN - 1);
	if (pad > *left) {
		*left = 0;
		return p;
	}
	*left -= pad;
	return p + pad;
}

void sen_asn_arena_init(struct sen_asn_arena *a, void *buf, size_t len, size_t limit)
{
	a->first = buf;
	a->first_len = buf ? len : 0;
	a->chunks = NULL;
	a->limit = limit ? limit : SEN_ASN_ARENA_DEFAULT_LIMIT;
	sen_asn_arena_reset(a);
}

void *sen_asn_arena_alloc(struct sen_asn_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	size_t rounded = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (rounded > a->limit - a->used || a->used > a->limit)
		return NULL;
	if (rounded > a->left) {
		size_t size = MIN_CHUNK;
		if (a->chunks && a->chunks->size < (SIZE_MAX >> 2))
			size = a->chunks->size * 2;
		if (size < rounded)
			size = rounded;
		if (size > a->limit - a->used && rounded <= a->limit - a->used)
			size = rounded;
		struct sen_asn_chunk *c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = a->chunks;
		c->size = size;
		a->chunks = c;
		a->cur = c->data;
		a->left = size;
	}
	uint8_t *p = a->cur;
	a->cur += rounded;
	a->left -= rounded;
	a->used += rounded;
	memset(p, 0, n);
	return p;
}

void sen_asn_arena_reset(struct sen_asn_arena *a)
{
	struct sen_asn_chunk *c = a->chunks;
	while (c) {
		struct sen_asn_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->chunks = NULL;
	a->used = 0;
	a->left = a->first_len;
	a->cur = a->first ? align_up(a->first, &a->left) : NULL;
}

void sen_asn_arena_fini(struct sen_asn_arena *a)
{
	sen_asn_arena_reset(a);
	a->left = 0;
	a->cur = NULL;
}

void *sen_asn_arena_alloc_cb(void *ctx, size_t n)
{
	return sen_asn_arena_alloc(ctx, n);
}
