/*
 * Arena for decoded ASN.1 values: one per decoded PDU, freed (or reset for the next PDU)
 * at once. Allocation is a pointer bump; no per-field malloc and no per-field free.
 *
 * The arena starts in a caller-supplied buffer (typically a few KB on the stack or inside
 * a per-connection context), so decoding a usual NGAP PDU does not call malloc at all. When
 * that is used up it takes further chunks from malloc, never more in total than `limit`
 * bytes: the decoder's allocations are driven by what a peer sent, and the limit is the
 * last guard against a message built to exhaust memory.
 */
#ifndef SEN_ASN_ARENA_H
#define SEN_ASN_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct sen_asn_chunk;

struct sen_asn_arena {
	uint8_t *cur;	/* next free byte in the current block */
	size_t left;	/* bytes free in the current block */
	uint8_t *first; /* caller's initial buffer (never freed here) */
	size_t first_len;
	struct sen_asn_chunk *chunks; /* malloc'ed blocks, newest first */
	size_t used;		      /* bytes handed out since init/reset */
	size_t limit;		      /* cap on bytes handed out; 0 = no cap */
};

/* Default cap used when sen_asn_arena_init is given limit 0: 16 MiB. */
#define SEN_ASN_ARENA_DEFAULT_LIMIT ((size_t)16 << 20)

/*
 * Set up an arena using buf (len bytes, may be NULL/0) first. limit caps the total handed
 * out between resets (0 = SEN_ASN_ARENA_DEFAULT_LIMIT). Never fails.
 */
void sen_asn_arena_init(struct sen_asn_arena *a, void *buf, size_t len, size_t limit);

/*
 * n bytes, zeroed, aligned for any scalar type (16 bytes). NULL when the limit would be
 * exceeded or malloc fails. n == 0 returns a valid unique-enough pointer (1 byte).
 */
void *sen_asn_arena_alloc(struct sen_asn_arena *a, size_t n);

/* Forget every allocation: free the malloc'ed chunks, keep the initial buffer. */
void sen_asn_arena_reset(struct sen_asn_arena *a);

/* Free everything the arena allocated (the initial buffer stays the caller's). */
void sen_asn_arena_fini(struct sen_asn_arena *a);

/* Adapter for sen_asn_get_len_octets(): ctx is a struct sen_asn_arena *. */
void *sen_asn_arena_alloc_cb(void *ctx, size_t n);

#endif
