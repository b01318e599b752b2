/*
 * UE IPv4 address pools, one per DNN (TS 23.501 5.8.2.2: the SMF allocates the UE IP
 * address of an IP PDU session). Allocation, release and claiming a given address (a
 * static IP from the subscription, TS 29.503 DnnConfiguration.staticIpAddress) are O(1)
 * (amortised): a LIFO of released offsets, a bump index for offsets never handed out, and
 * two bits per address (in use, queued in the LIFO) so a claimed address that still sits
 * in the LIFO is skipped when it surfaces.
 *
 * Reserved: the network address, the first host address (the UPF's N6 gateway, as
 * `upf.n6.subnet: [10.45.0.1/16]` configures it) and the broadcast address.
 */
#ifndef SEN_SMF_IPPOOL_H
#define SEN_SMF_IPPOOL_H

#include <stdbool.h>
#include <stdint.h>

#define SMF_POOL_MIN_LEN 8 /* /8 .. /30 */
#define SMF_POOL_MAX_LEN 30

struct smf_ippool {
	uint32_t base;	 /* network address, host order */
	uint32_t size;	 /* addresses in the prefix */
	uint32_t first;	 /* first allocatable offset (2) */
	uint32_t last;	 /* last allocatable offset (size - 2) */
	uint32_t next;	 /* bump index: offsets >= next were never handed out */
	uint32_t n_free; /* LIFO depth */
	uint32_t *free;	 /* LIFO of released offsets */
	uint8_t *bits;	 /* per offset: 1 in use, 2 in the LIFO */
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

#endif
