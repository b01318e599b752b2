/*
 * Hash table: the one map of the project (UE by AMF UE NGAP ID, session by TEID or SEID,
 * subscriber by SUPI, UE by IPv4/IPv6 address …).
 *
 * - Keys are byte strings (any length up to UINT32_MAX, zero included), with
 *   convenience functions for u64 keys (the 8 bytes of the value in host order; use
 *   them for u32 IDs as well) and C-string keys (the bytes without the NUL).
 *   A u64 key and the same 8 bytes given as a byte key are the same key.
 * - Keys are COPIED into the table (up to 16 bytes inline, longer ones in one
 *   allocation); the caller's key memory can be reused as soon as a call returns.
 * - Values are non-NULL void pointers the table does not own: sen_hash_get() returns
 *   NULL exactly when the key is absent.
 * - Hash: SipHash-1-3 keyed with 128 random bits per table (getrandom), so a peer that
 *   picks IDs, TEIDs or addresses cannot predict which keys collide.
 * - Open addressing with linear probing and tombstones; O(1) average put/get/del. The
 *   table grows (and shrinks after many deletions) automatically, but only inside put,
 *   never inside del or get.
 * - Iteration visits every entry once, in no particular order. Deleting entries while
 *   iterating (the current one or any other) is allowed; deleted entries not yet
 *   visited are not visited. Adding a NEW key while iterating is not (it may rehash);
 *   replacing the value of an existing key with sen_hash_put() is.
 *
 * Not thread-safe: one table belongs to one loop thread (or is locked by its owner).
 */
#ifndef SEN_CORE_HASH_H
#define SEN_CORE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_hash;

struct sen_hash_iter {
	struct sen_hash *h;
	size_t pos; /* private */
};

/* Create an empty table. Returns 0 and sets *h, or -SEN_ENOMEM. */
int sen_hash_new(struct sen_hash **h);

/* Free the table and its key copies (not the values). NULL is a no-op. */
void sen_hash_free(struct sen_hash *h);

/* Remove every entry (values are not freed) and release the slot memory. */
void sen_hash_clear(struct sen_hash *h);

/* Number of entries. */
size_t sen_hash_count(const struct sen_hash *h);

/*
 * Insert `key[klen]` -> `val`, replacing the value if the key is present. Returns 0,
 * -SEN_EINVAL (val NULL, key NULL with klen > 0, klen > UINT32_MAX) or -SEN_ENOMEM
 * (the table is unchanged).
 */
int sen_hash_put(struct sen_hash *h, const void *key, size_t klen, void *val);

/* As sen_hash_put, but fails with -SEN_EEXIST (table unchanged) if the key is present. */
int sen_hash_add(struct sen_hash *h, const void *key, size_t klen, void *val);

/* The value stored under the key, or NULL if absent. */
void *sen_hash_get(const struct sen_hash *h, const void *key, size_t klen);

/* Remove the key. Returns the value it had, or NULL if it was absent. */
void *sen_hash_del(struct sen_hash *h, const void *key, size_t klen);

/* The same for u64 keys (use for u32 IDs too: TEID, RAN UE NGAP ID …). */
int sen_hash_put_u64(struct sen_hash *h, uint64_t key, void *val);
int sen_hash_add_u64(struct sen_hash *h, uint64_t key, void *val);
void *sen_hash_get_u64(const struct sen_hash *h, uint64_t key);
void *sen_hash_del_u64(struct sen_hash *h, uint64_t key);

/* The same for NUL-terminated string keys (SUPI, DNN, NF instance ID …). */
int sen_hash_put_str(struct sen_hash *h, const char *key, void *val);
int sen_hash_add_str(struct sen_hash *h, const char *key, void *val);
void *sen_hash_get_str(const struct sen_hash *h, const char *key);
void *sen_hash_del_str(struct sen_hash *h, const char *key);

/* Start iterating over `h`. */
void sen_hash_iter_init(struct sen_hash_iter *it, struct sen_hash *h);

/*
 * Step to the next entry: returns true and sets *key, *klen and *val (each may be NULL
 * if not wanted), or false when every entry has been visited. *key points into the
 * table and stays valid until that entry is deleted or the table changes size.
 */
bool sen_hash_iter_next(struct sen_hash_iter *it, const void **key, size_t *klen, void **val);

/*
 * SipHash-1-3 of data[len] under the 16-byte key `k` (the table's hash function, for
 * other uses such as load balancing by flow). Not a MAC: use HMAC/CMAC for security.
 */
uint64_t sen_hash_siphash13(const uint8_t k[16], const void *data, size_t len);

#endif
