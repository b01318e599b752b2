/*
 * UE IPv4 address pools and IPv6 /64 prefix pools: O(1) allocate / release / claim (see
 * ippool.h).
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
		uint32_t off = p->free[p->head]; /* FIFO: the address released longest ago */
		p->head = p->head + 1 == p->size ? 0 : p->head + 1;
		p->n_free--;
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
		return; /* the bump index or the FIFO will still find it */
	p->bits[off] |= QUEUED;
	/* at most one entry per offset (QUEUED): the ring of `size` entries cannot overflow */
	p->free[(p->head + p->n_free) % p->size] = off;
	p->n_free++;
}

uint32_t smf_ippool_capacity(const struct smf_ippool *p)
{
	return p->size ? p->last - p->first + 1 : 0;
}

/* ---- IPv6 /64 prefixes ---- */

static uint64_t get_be64(const uint8_t *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static void put_be64(uint8_t *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t)v;
}

int smf_ip6pool_init(struct smf_ip6pool *p, const uint8_t prefix[16], uint8_t len)
{
	unsigned host_bits;

	memset(p, 0, sizeof(*p));
	if (len < 1 || len > 64)
		return -SEN_EINVAL;
	for (int i = 8; i < 16; i++)
		if (prefix[i])
			return -SEN_EINVAL;
	host_bits = 64u - len;
	p->base = get_be64(prefix);
	if (host_bits && (p->base & ((1ull << host_bits) - 1))) /* len >= 1: host_bits <= 63 */
		return -SEN_EINVAL;
	p->len = len;
	p->size = 1ull << (host_bits > SMF_POOL6_MAX_BITS ? SMF_POOL6_MAX_BITS : host_bits);
	p->next = 1; /* /64 number 0 is reserved */
	return 0;
}

void smf_ip6pool_free(struct smf_ip6pool *p)
{
	free(p->free);
	free(p->bits);
	p->free = NULL;
	p->bits = NULL;
	p->n_free = p->cap_free = p->cap_bits = p->head = 0;
}

static bool bit_get(const struct smf_ip6pool *p, uint64_t i)
{
	return i / 8 < p->cap_bits && (p->bits[i / 8] >> (i % 8)) & 1u;
}

int smf_ip6pool_alloc(struct smf_ip6pool *p, uint8_t prefix64[8])
{
	uint64_t i;

	if (!p->len)
		return -SEN_ENOENT;
	while (p->n_free) {
		i = p->free[p->head]; /* FIFO: the /64 released longest ago */
		p->head = p->head + 1 == p->cap_free ? 0 : p->head + 1;
		p->n_free--;
		if (bit_get(p, i))
			continue; /* cannot happen (no claims), but never hand out a /64 twice */
		goto take;
	}
	if (p->next >= p->size)
		return -SEN_ENOENT;
	i = p->next;
	if (i / 8 >= p->cap_bits) {
		size_t cap = p->cap_bits ? p->cap_bits * 2 : 64;
		uint8_t *nb;
		while (cap <= i / 8)
			cap *= 2;
		nb = realloc(p->bits, cap);
		if (!nb)
			return -SEN_ENOMEM;
		memset(nb + p->cap_bits, 0, cap - p->cap_bits);
		p->bits = nb;
		p->cap_bits = cap;
	}
	p->next++;
take:
	p->bits[i / 8] |= (uint8_t)(1u << (i % 8));
	p->used++;
	put_be64(prefix64, p->base + i);
	return 0;
}

void smf_ip6pool_release(struct smf_ip6pool *p, const uint8_t prefix64[8])
{
	uint64_t i = get_be64(prefix64) - p->base;

	if (!p->len || i >= p->next || !bit_get(p, i))
		return;
	if (p->n_free == p->cap_free) {
		size_t cap = p->cap_free ? p->cap_free * 2 : 64;
		uint32_t *nf = malloc(cap * sizeof(*nf));
		if (!nf)
			return; /* stays in use: lost until restart, never handed out twice */
		for (size_t k = 0; k < p->n_free; k++) /* unwrap the ring */
			nf[k] = p->free[(p->head + k) % p->cap_free];
		free(p->free);
		p->free = nf;
		p->cap_free = cap;
		p->head = 0;
	}
	p->bits[i / 8] &= (uint8_t) ~(1u << (i % 8));
	p->used--;
	p->free[(p->head + p->n_free) % p->cap_free] = (uint32_t)i;
	p->n_free++;
}

uint64_t smf_ip6pool_capacity(const struct smf_ip6pool *p)
{
	return p->len ? p->size - 1 : 0;
}
