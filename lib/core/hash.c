/*
 * Hash table (see hash.h for the contract).
 *
 * Open addressing, linear probing, power-of-two capacity. Each slot keeps the key's full
 * 64-bit hash, so a probe compares keys only on a hash match. Deletion leaves a
 * tombstone (entries never move outside put), which is what makes deletion during
 * iteration safe; a tombstone followed by an empty slot is turned back into an empty
 * slot at once, since no probe sequence can pass through it. Put rehashes when live
 * entries plus tombstones would pass 3/4 of the capacity, to the size that leaves the
 * live entries at most half full: growing, shrinking and sweeping tombstones are one
 * operation.
 *
 * The hash is SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012, with 1 compression and 3 finalisation rounds) under a per-table random key.
 */
#include "core/hash.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define EMPTY	   0u /* slot.hash values with a meaning; real hashes are >= 2 */
#define DELETED	   1u
#define INLINE_KEY 16
#define MIN_CAP	   16

struct slot {
	uint64_t hash;
	void *val;
	uint32_t klen;
	union {
		uint8_t bytes[INLINE_KEY]; /* klen <= INLINE_KEY */
		uint8_t *ptr;		   /* klen > INLINE_KEY: malloc'ed copy */
	} key;
};

struct sen_hash {
	struct slot *slots;
	size_t cap;   /* 0 or a power of two */
	size_t count; /* live entries */
	size_t used;  /* live entries + tombstones */
	uint8_t seed[16];
};

/* ---- SipHash ---- */

static uint64_t rotl(uint64_t x, unsigned b)
{
	return x << b | x >> (64 - b);
}

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl(s->v2, 32);
}

static void sip_block(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s); /* c = 1 */
	s->v0 ^= m;
}

uint64_t sen_hash_siphash13(const uint8_t k[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = load_le64(k), k1 = load_le64(k + 8);
	struct sip s = {
	    k0 ^ 0x736f6d6570736575ull,
	    k1 ^ 0x646f72616e646f6dull,
	    k0 ^ 0x6c7967656e657261ull,
	    k1 ^ 0x7465646279746573ull,
	};
	size_t full = len & ~(size_t)7;
	uint64_t last = (uint64_t)(len & 0xff) << 56;

	for (size_t i = 0; i < full; i += 8)
		sip_block(&s, load_le64(p + i));
	for (size_t i = 0; i < (len & 7); i++)
		last |= (uint64_t)p[full + i] << (8 * i);
	sip_block(&s, last);
	s.v2 ^= 0xff;
	sip_round(&s); /* d = 3 */
	sip_round(&s);
	sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

static uint64_t key_hash(const struct sen_hash *h, const void *key, size_t klen)
{
	uint64_t x = sen_hash_siphash13(h->seed, key, klen);

	return x < 2 ? x + 2 : x;
}

/* 128 unpredictable bits; falls back to clock and address mixing if getrandom fails. */
static void make_seed(struct sen_hash *h)
{
	static const uint8_t fixed[16] = {0x53, 0x65, 0x6e, 0x21};
	size_t got = 0;

	while (got < sizeof(h->seed)) {
		ssize_t n = getrandom(h->seed + got, sizeof(h->seed) - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(h->seed)) {
		struct timespec ts[2];
		uint64_t a, b;
		const void *addr = h;

		clock_gettime(CLOCK_REALTIME, &ts[0]);
		clock_gettime(CLOCK_MONOTONIC, &ts[1]);
		a = sen_hash_siphash13(fixed, ts, sizeof(ts));
		b = sen_hash_siphash13(fixed, &addr, sizeof(addr)) ^ a;
		memcpy(h->seed, &a, 8);
		memcpy(h->seed + 8, &b, 8);
	}
}

/* ---- table ---- */

static const uint8_t *slot_key(const struct slot *s)
{
	return s->klen <= INLINE_KEY ? s->key.bytes : s->key.ptr;
}

static void slot_free_key(struct slot *s)
{
	if (s->klen > INLINE_KEY)
		free(s->key.ptr);
}

/* Index of the live slot holding the key, or SIZE_MAX. */
static size_t find(const struct sen_hash *h, const void *key, size_t klen, uint64_t hash)
{
	size_t mask = h->cap - 1;

	if (!h->cap)
		return SIZE_MAX;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		const struct slot *s = &h->slots[i];

		if (s->hash == EMPTY)
			return SIZE_MAX;
		if (s->hash == hash && s->klen == klen && memcmp(slot_key(s), key, klen) == 0)
			return i;
	}
}

/* First free (empty or tombstone) slot on the key's probe sequence. */
static size_t free_slot(const struct sen_hash *h, uint64_t hash)
{
	size_t mask = h->cap - 1;
	size_t i = hash & mask;

	while (h->slots[i].hash != EMPTY && h->slots[i].hash != DELETED)
		i = (i + 1) & mask;
	return i;
}

static int rehash(struct sen_hash *h, size_t want)
{
	size_t cap = MIN_CAP;
	struct slot *slots;

	while (cap < want * 2)
		cap *= 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -SEN_ENOMEM;
	for (size_t i = 0; i < h->cap; i++) {
		struct slot *s = &h->slots[i];
		size_t mask = cap - 1, j;

		if (s->hash < 2)
			continue;
		for (j = s->hash & mask; slots[j].hash != EMPTY; j = (j + 1) & mask)
			;
		slots[j] = *s;
	}
	free(h->slots);
	h->slots = slots;
	h->cap = cap;
	h->used = h->count;
	return 0;
}

int sen_hash_new(struct sen_hash **out)
{
	struct sen_hash *h = calloc(1, sizeof(*h));

	*out = h;
	if (!h)
		return -SEN_ENOMEM;
	make_seed(h);
	return 0;
}

void sen_hash_clear(struct sen_hash *h)
{
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i].hash >= 2)
			slot_free_key(&h->slots[i]);
	free(h->slots);
	h->slots = NULL;
	h->cap = h->count = h->used = 0;
}

void sen_hash_free(struct sen_hash *h)
{
	if (!h)
		return;
	sen_hash_clear(h);
	free(h);
}

size_t sen_hash_count(const struct sen_hash *h)
{
	return h->count;
}

static int insert(struct sen_hash *h, const void *key, size_t klen, void *val, bool replace)
{
	uint64_t hash;
	uint8_t *copy = NULL;
	struct slot *s;
	size_t i;

	if (!val || (!key && klen) || klen > UINT32_MAX)
		return -SEN_EINVAL;
	if (!key)
		key = ""; /* a 0-byte key: memcmp/memcpy want a pointer */
	hash = key_hash(h, key, klen);
	i = find(h, key, klen, hash);
	if (i != SIZE_MAX) {
		if (!replace)
			return -SEN_EEXIST;
		h->slots[i].val = val;
		return 0;
	}
	if (klen > INLINE_KEY) {
		copy = malloc(klen);
		if (!copy)
			return -SEN_ENOMEM;
		memcpy(copy, key, klen);
	}
	if ((h->used + 1) * 4 > h->cap * 3 && rehash(h, h->count + 1) < 0) {
		free(copy);
		return -SEN_ENOMEM;
	}
	i = free_slot(h, hash);
	s = &h->slots[i];
	if (s->hash == EMPTY)
		h->used++;
	s->hash = hash;
	s->val = val;
	s->klen = (uint32_t)klen;
	if (copy)
		s->key.ptr = copy;
	else if (klen)
		memcpy(s->key.bytes, key, klen);
	h->count++;
	return 0;
}

int sen_hash_put(struct sen_hash *h, const void *key, size_t klen, void *val)
{
	return insert(h, key, klen, val, true);
}

int sen_hash_add(struct sen_hash *h, const void *key, size_t klen, void *val)
{
	return insert(h, key, klen, val, false);
}

void *sen_hash_get(const struct sen_hash *h, const void *key, size_t klen)
{
	size_t i;

	if ((!key && klen) || klen > UINT32_MAX || !h->count)
		return NULL;
	if (!key)
		key = "";
	i = find(h, key, klen, key_hash(h, key, klen));
	return i == SIZE_MAX ? NULL : h->slots[i].val;
}

void *sen_hash_del(struct sen_hash *h, const void *key, size_t klen)
{
	size_t mask = h->cap - 1, i;
	struct slot *s;
	void *val;

	if ((!key && klen) || klen > UINT32_MAX || !h->count)
		return NULL;
	if (!key)
		key = "";
	i = find(h, key, klen, key_hash(h, key, klen));
	if (i == SIZE_MAX)
		return NULL;
	s = &h->slots[i];
	val = s->val;
	slot_free_key(s);
	memset(s, 0, sizeof(*s));
	s->hash = DELETED;
	h->count--;
	/* If the next slot is empty, no probe passes here: empty this run of tombstones. */
	if (h->slots[(i + 1) & mask].hash == EMPTY) {
		while (h->slots[i].hash == DELETED) {
			h->slots[i].hash = EMPTY;
			h->used--;
			i = (i - 1) & mask;
		}
	}
	return val;
}

int sen_hash_put_u64(struct sen_hash *h, uint64_t key, void *val)
{
	return sen_hash_put(h, &key, sizeof(key), val);
}

int sen_hash_add_u64(struct sen_hash *h, uint64_t key, void *val)
{
	return sen_hash_add(h, &key, sizeof(key), val);
}

void *sen_hash_get_u64(const struct sen_hash *h, uint64_t key)
{
	return sen_hash_get(h, &key, sizeof(key));
}

void *sen_hash_del_u64(struct sen_hash *h, uint64_t key)
{
	return sen_hash_del(h, &key, sizeof(key));
}

int sen_hash_put_str(struct sen_hash *h, const char *key, void *val)
{
	return key ? sen_hash_put(h, key, strlen(key), val) : -SEN_EINVAL;
}

int sen_hash_add_str(struct sen_hash *h, const char *key, void *val)
{
	return key ? sen_hash_add(h, key, strlen(key), val) : -SEN_EINVAL;
}

void *sen_hash_get_str(const struct sen_hash *h, const char *key)
{
	return key ? sen_hash_get(h, key, strlen(key)) : NULL;
}

void *sen_hash_del_str(struct sen_hash *h, const char *key)
{
	return key ? sen_hash_del(h, key, strlen(key)) : NULL;
}

void sen_hash_iter_init(struct sen_hash_iter *it, struct sen_hash *h)
{
	it->h = h;
	it->pos = 0;
}

bool sen_hash_iter_next(struct sen_hash_iter *it, const void **key, size_t *klen, void **val)
{
	struct sen_hash *h = it->h;

	while (it->pos < h->cap) {
		struct slot *s = &h->slots[it->pos++];

		if (s->hash < 2)
			continue;
		if (key)
			*key = slot_key(s);
		if (klen)
			*klen = s->klen;
		if (val)
			*val = s->val;
		return true;
	}
	return false;
}
