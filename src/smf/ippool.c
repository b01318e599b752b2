/*
 * UE IPv4 address pools: O(1) allocate / release / claim (see ippool.h).
 */
#include "ippool.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define USED   1u
#define QUEUED 2u

int smf_ippool_init(struct smf_ippool *p, uint32_t base, uint8_t len)
{
	memset(p, 0, sizeof(*p));
	if (len < SMF_POOL_MIN_LEN || len > SMF_POOL_MAX_LEN)
		return -SEN_EINVAL;
	p->size = 1u << (32 - len);
	if (base & (p->size - 1))
		return -SEN_EINVAL;
	p->base = base;
	p->first = 2;
	p->last = p->size - 2;
	p->next = p->first;
	p->free = malloc((size_t)p->size * sizeof(*p->free));
	p->bits = calloc(p->size, 1);
	if (!p->free || !p->bits) {
		smf_ippool_free(p);
		return -SEN_ENOMEM;
	}
	return 0;
}

void smf_ippool_free(struct smf_ippool *p)
{
	free(p->free);
	free(p->bits);
	p->free = NULL;
	p->bits = NULL;
}

int smf_ippool_alloc(struct smf_ippool *p, uint32_t *addr)
{
	while (p->n_free) {
		uint32_t off = p->free[--p->n_free];
		p->bits[off] &= (uint8_t)~QUEUED;
		if (p->bits[off] & USED)
			continue; /* claimed as a static address while queued */
		p->bits[off] |= USED;
		p->used++;
		*addr = p->base + off;
		return 0;
	}
	while (p->next <= p->last) {
		uint32_t off = p->next++;
		if (p->bits[off] & USED)
			continue; /* claimed before the bump index reached it */
		p->bits[off] |= USED;
		p->used++;
		*addr = p->base + off;
		return 0;
	}
	return -SEN_ENOENT;
}

bool smf_ippool_contains(const struct smf_ippool *p, uint32_t addr)
{
	return p->size && addr - p->base < p->size;
}

int smf_ippool_claim(struct smf_ippool *p, uint32_t addr)
{
	uint32_t off = addr - p->base;

	if (!smf_ippool_contains(p, addr) || off < p->first || off > p->last)
		return -SEN_ERANGE;
	if (p->bits[off] & USED)
		return -SEN_EEXIST;
	p->bits[off] |= USED;
	p->used++;
	return 0;
}

void smf_ippool_release(struct smf_ippool *p, uint32_t addr)
{
	uint32_t off = addr - p->base;

	if (!smf_ippool_contains(p, addr) || !(p->bits[off] & USED))
		return;
	p->bits[off] &= (uint8_t)~USED;
	p->used--;
	if (off >= p->next || (p->bits[off] & QUEUED))
		return; /* the bump index or the LIFO will still find it */
	p->bits[off] |= QUEUED;
	p->free[p->n_free++] = off;
}

uint32_t smf_ippool_capacity(const struct smf_ippool *p)
{
	return p->size ? p->last - p->first + 1 : 0;
}
