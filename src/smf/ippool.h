/*
 * UE IPv4 address pools, one per DNN (TS 23.501 5.8.2.2: the SMF allocates the UE IP
 * address of an IP PDU session). Allocation, release and claiming a given address (a
 * static IP from the subscription, TS 29.503 DnnConfiguration.staticIpAddress) are O(1)
 * (amortised): a FIFO ring of released offsets, a bump index for offsets never handed out,
 * and two bits per address (in use, queued in the FIFO) so a claimed address that still
 * sits in the FIFO is skipped when it surfaces.
 *
 * Released addresses are handed out again oldest first (FIFO), never at once: an address
 * whose PFCP session a UPF may still hold for a moment (a Session Deletion in flight, a
 * late retransmission) is not given to the next UE straight away (the UPF would refuse a
 * second session with an address it still holds).
 *
 * Reserved: the network address, the first host address (the UPF's N6 gateway, as
 * `upf.n6.subnet: [10.45.0.1/16]` configures it) and the broadcast address.
 */
#ifndef SEN_SMF_IPPOOL_H
#define SEN_SMF_IPPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMF_POOL_MIN_LEN 8 /* /8 .. /30 */
#define SMF_POOL_MAX_LEN 30

struct smf_ippool {
	uint32_t base;	 /* network address, host order */
	uint32_t size;	 /* addresses in the prefix */
	uint32_t first;	 /* first allocatable offset (2) */
	uint32_t last;	 /* last allocatable offset (size - 2) */
	uint32_t next;	 /* bump index: offsets >= next were never handed out */
	uint32_t head;	 /* FIFO: index in free[] of the oldest released offset */
	uint32_t n_free; /* FIFO depth */
	uint32_t *free;	 /* FIFO ring (size entries) of released offsets */
	uint8_t *bits;	 /* per offset: 1 in use, 2 in the FIFO */
	uint32_t used;	 /* addresses in use */
};

/*
 * Prepare a pool for prefix base/len (base host order, no host bits; len 8..30).
 * Returns 0, -SEN_EINVAL or -SEN_ENOMEM.
 */
int smf_ippool_init(struct smf_ippool *p, uint32_t base, uint8_t len);
void smf_ippool_free(struct smf_ippool *p);

/* Allocate an address (host order) into *addr. Returns 0 or -SEN_ENOENT (exhausted). */
int smf_ippool_alloc(struct smf_ippool *p, uint32_t *addr);

/*
 * Claim `addr` (a static address). Returns 0, -SEN_ERANGE (outside the pool or reserved)
 * or -SEN_EEXIST (in use).
 */
int smf_ippool_claim(struct smf_ippool *p, uint32_t addr);

/* Release `addr`; a no-op for an address that is not in use. */
void smf_ippool_release(struct smf_ippool *p, uint32_t addr);

/* True if addr lies in the pool's prefix (reserved addresses included). */
bool smf_ippool_contains(const struct smf_ippool *p, uint32_t addr);

/* Addresses that can be handed out in total. */
uint32_t smf_ippool_capacity(const struct smf_ippool *p);

/*
 * UE IPv6 prefixes, one pool per DNN (smf.dnn[].ipv6_prefix): every IPv6 / IPv4v6 PDU
 * session gets a /64 of its own (TS 23.501 5.8.2.2.3: the SMF allocates a /64 IPv6 prefix
 * per PDU session, advertised by Router Advertisement; the UE builds its address from it and
 * the interface identifier of the NAS PDU address, TS 24.501 9.11.4.10).
 *
 * A /48 holds 65,536 /64s, a /32 four thousand million: nothing is preallocated. A bump
 * index hands out /64s in order; released ones go on a FIFO ring (oldest first) that grows
 * as needed; one
 * in-use bit per /64 below the bump index (the bitmap grows with it) makes a double or a
 * foreign release a no-op. All operations are O(1) amortised.
 *
 * Reserved: /64 number 0 of the prefix (for the UPF's N6 side, as .1 in the IPv4 pool).
 * At most 2^32 /64s of a prefix are used (a /32 or longer prefix is used in full).
 */
#define SMF_POOL6_MAX_BITS 32 /* /64s handed out at most: 2^32 */

struct smf_ip6pool {
	uint64_t base;	/* the prefix's first 64 bits, host order, no bits beyond len */
	uint8_t len;	/* prefix length 1..64; 0: no pool */
	uint64_t size;	/* /64s in the prefix (capped at 2^SMF_POOL6_MAX_BITS) */
	uint64_t next;	/* bump index: /64s >= next were never handed out */
	uint64_t used;	/* /64s in use */
	uint32_t *free; /* FIFO ring of released /64 numbers */
	size_t head, n_free, cap_free; /* head: the oldest */
	uint8_t *bits;		       /* in-use bit per /64 number < next */
	size_t cap_bits;	       /* bytes of bits */
};

/*
 * Prepare a pool for prefix[16]/len (len 1..64; bits beyond len must be zero).
 * Returns 0 or -SEN_EINVAL. Nothing is allocated until the first /64 is handed out.
 */
int smf_ip6pool_init(struct smf_ip6pool *p, const uint8_t prefix[16], uint8_t len);
void smf_ip6pool_free(struct smf_ip6pool *p);

/*
 * Allocate a /64: its first 8 octets into prefix64[8]. Returns 0, -SEN_ENOENT (exhausted)
 * or -SEN_ENOMEM.
 */
int smf_ip6pool_alloc(struct smf_ip6pool *p, uint8_t prefix64[8]);

/* Release a /64 (its first 8 octets); a no-op for one that is not in use. */
void smf_ip6pool_release(struct smf_ip6pool *p, const uint8_t prefix64[8]);

/* /64s that can be handed out in total. */
uint64_t smf_ip6pool_capacity(const struct smf_ip6pool *p);

#endif
