/*
 * sen-upf context: PFCP associations, sessions and their packet rules (PDR, FAR, QER, URR;
 * TS 29.244 5.2), and the two O(1) lookup tables the fast path uses: uplink by local TEID
 * (the PDI's F-TEID) and downlink by UE IPv4 address or by the top 64 bits of a UE IPv6
 * address (the PDI's UE IP Address, TS 29.244 8.2.62: one /64 prefix per PDU session,
 * TS 23.501 5.8.2.2.1).
 *
 * Ownership: the context owns associations and sessions; a session owns its rules in four
 * arrays sized to it (allocated at establishment for the rules it creates, reallocated by a
 * modification that adds rules; never beyond UPF_MAX_*), no pointer into other sessions.
 * The lookup tables map a key to the highest-precedence PDR for it; PDRs sharing a key (one
 * TEID, several QFIs) are chained through pdr->next in precedence order (TS 29.244 5.2.1:
 * the lowest Precedence value wins).
 *
 * Changes are all-or-nothing: a Session Modification is applied to a copy of the rules (new
 * arrays, with room for what it creates), checked, and only then committed (unindex, swap
 * the arrays, re-resolve, re-index), so a rejected request never leaves a half-applied
 * session behind.
 *
 * Threads: the PFCP thread is the only writer; data-plane workers read the tables and the
 * rules. Each worker holds its own lock (ctx->locks[i]) while it processes a batch; the
 * writer takes every worker's lock, in order, around a change (upf_ctx_wrlock: a
 * "big-reader" lock, so workers never share a cache line on the fast path). What the fast
 * path itself writes is race-free without the writer: PDR and URR counters are atomic
 * adds, a QER token bucket has a one-byte spin lock, and FAR buffers are under
 * ctx->buf_lock (a rare path).
 */
#ifndef SEN_UPF_CONTEXT_H
#define SEN_UPF_CONTEXT_H

#include "pfcp/pfcp.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_hash;

#define UPF_MAX_PDR SEN_PFCP_MAX_PDR
#define UPF_MAX_FAR SEN_PFCP_MAX_FAR
#define UPF_MAX_QER SEN_PFCP_MAX_QER
#define UPF_MAX_URR SEN_PFCP_MAX_URR
#define UPF_MAX_QFI SEN_PFCP_MAX_QFI
#define UPF_DL_BUFFER 16 /* DL packets kept per buffering FAR (TS 29.244 5.2.3.1) */

/* A token bucket for one direction of an MBR (TS 29.244 5.4.2: MBR enforcement). */
struct upf_bucket {
	uint64_t rate;	 /* bytes per second; 0: unlimited */
	uint64_t burst;	 /* bucket depth in bytes */
	uint64_t tokens; /* bytes available */
	uint64_t last;	 /* time of the last refill, ns (CLOCK_MONOTONIC) */
	uint8_t lock;	 /* spin lock (__atomic_test_and_set): workers share a QER */
};

struct upf_qer {
	uint32_t id;
	bool ul_closed, dl_closed; /* Gate Status (8.2.7) */
	bool has_qfi, rqi;
	uint8_t qfi;
	bool has_mbr;
	struct upf_bucket ul, dl;
};

/* A packet waiting in a buffering FAR. */
struct upf_pkt {
	struct upf_pkt *next;
	uint16_t len;
	uint8_t data[];
};

struct upf_far {
	uint32_t id;
	uint8_t action; /* SEN_PFCP_AA_* */
	uint8_t dst_if; /* enum sen_pfcp_interface */
	bool ohc;	/* Outer Header Creation GTP-U/UDP/IPv4 */
	uint32_t teid;	/* the peer's TEID */
	struct sockaddr_in peer;
	bool reported; /* a Downlink Data Report went out for this buffering */
	uint8_t n_buf;
	struct upf_pkt *buf_head, *buf_tail; /* DL packets held while BUFF */
};

/* Measurement of a URR (TS 29.244 5.2.2): volume and packets per direction. */
struct upf_urr {
	uint32_t id;
	uint32_t seqn;
	uint32_t start; /* NTP seconds */
	uint64_t ul_bytes, dl_bytes, ul_pkts, dl_pkts; /* atomic adds */
};

struct upf_sess;

struct upf_pdr {
	struct upf_pdr *next;  /* same lookup key, lower priority */
	struct upf_pdr *next6; /* the same in the IPv6 table (a DL PDR may be in both) */
	struct upf_sess *sess;
	struct upf_far *far; /* resolved from far_id; NULL: drop */
	struct upf_qer *qer; /* the first QER, or NULL */
	struct upf_urr *urr; /* the first URR, or NULL */
	uint16_t id;
	uint8_t src_if; /* enum sen_pfcp_interface */
	bool has_teid, has_ue_ip, has_ue_ip6, has_choose_id, ohr, has_far_id;
	uint8_t choose_id;
	uint8_t n_qfi, n_qer, n_urr;
	uint8_t qfi[UPF_MAX_QFI];
	uint32_t precedence;
	uint32_t teid;	 /* local TEID (UL PDI) */
	uint32_t ue_ip;	 /* network order */
	uint64_t ue_ip6; /* the /64 prefix: octets 0..7 of the IPv6 address, as in memory */
	uint32_t far_id;
	uint32_t qer_id[SEN_PFCP_MAX_RULE_REF];
	uint32_t urr_id[SEN_PFCP_MAX_RULE_REF];
	uint64_t pkts, bytes; /* added to atomically (several workers) */
};

/* A session's rules: n_x in use of cap_x allocated (cap_x <= UPF_MAX_X). */
struct upf_rules {
	uint8_t n_pdr, n_far, n_qer, n_urr;
	uint8_t cap_pdr, cap_far, cap_qer, cap_urr;
	struct upf_pdr *pdr;
	struct upf_far *far;
	struct upf_qer *qer;
	struct upf_urr *urr;
};

struct upf_assoc {
	struct sen_pfcp_node_id node_id;
	uint8_t key[20]; /* node ID as a hash key: type + address (FQDN: hashed text) */
	size_t key_len;
	uint32_t recovery_ts;
	struct sockaddr_in peer; /* the CP function's PFCP address */
	unsigned n_sess;
	unsigned hb_missed;
	bool hb_pending;
	uint32_t hb_seq;
};

struct upf_sess {
	uint64_t seid;	  /* ours (UP F-SEID) */
	uint64_t cp_seid; /* the SMF's (CP F-SEID) */
	struct upf_assoc *assoc;
	struct sockaddr_in cp; /* CP F-SEID IPv4, port 8805: where reports go */
	struct upf_rules r;
	char tag[48]; /* "seid=0x…" for log lines */
};

/* The result of a rule change: 0, or a PFCP cause with the IE it concerns. */
struct upf_fail {
	uint8_t cause;
	uint16_t offending_ie;
	const char *why; /* for the log */
};

/* One worker's side of the big-reader lock, alone on its cache line. */
struct upf_lock {
	pthread_mutex_t m;
} __attribute__((aligned(64)));

struct upf_ctx {
	struct sen_hash *sess_by_seid; /* u64 UP SEID -> sess */
	struct sen_hash *ul_by_teid;   /* u64 TEID -> head PDR */
	struct sen_hash *dl_by_ueip;   /* u64 IPv4 (network order) -> head PDR */
	struct sen_hash *dl_by_ueip6;  /* u64 IPv6 /64 prefix (octets 0..7) -> head PDR */
	struct sen_hash *assoc_by_node;
	uint64_t next_seid;
	uint32_t next_teid;
	struct in_addr n3_addr; /* our N3 address, in allocated F-TEIDs */
	size_t n_sess;
	/* Called when a PDR is removed or the session freed while its FAR holds packets. */
	void (*on_free_far)(void *arg, struct upf_far *far);
	void *arg;
	pthread_mutex_t buf_lock; /* FAR buffers, between workers */
	struct upf_lock *locks;	  /* one per worker (NULL: no workers) */
	unsigned n_locks;
};

/* Set up an empty context. Returns 0 or -SEN_ENOMEM. */
int upf_ctx_init(struct upf_ctx *ctx, struct in_addr n3_addr);

/* Free every session and association and the tables. */
void upf_ctx_fini(struct upf_ctx *ctx);

/*
 * Give the context `n` reader locks (one per data-plane worker; worker i takes
 * ctx->locks[i].m around each batch). Call before the workers start. 0 or -SEN_ENOMEM.
 */
int upf_ctx_set_workers(struct upf_ctx *ctx, unsigned n);

/* The writer side: take (release) every worker's lock, in order. No-op without workers. */
void upf_ctx_wrlock(struct upf_ctx *ctx);
void upf_ctx_wrunlock(struct upf_ctx *ctx);

/* The association of `node_id`, or NULL. */
struct upf_assoc *upf_assoc_find(struct upf_ctx *ctx, const struct sen_pfcp_node_id *node_id);

/* Create (or return the existing) association of `node_id`. NULL on out of memory. */
struct upf_assoc *upf_assoc_get(struct upf_ctx *ctx, const struct sen_pfcp_node_id *node_id,
				bool *created);

/* Delete the association and every session it holds. */
void upf_assoc_del(struct upf_ctx *ctx, struct upf_assoc *a);

/* Delete every session of association `a` (it stays). */
void upf_assoc_del_sessions(struct upf_ctx *ctx, struct upf_assoc *a);

/* The session with UP SEID `seid`, or NULL. */
struct upf_sess *upf_sess_find(struct upf_ctx *ctx, uint64_t seid);

/*
 * Create a session from a Session Establishment Request (TS 29.244 7.5.2) for association
 * `a`: build its rules, allocate TEIDs for F-TEIDs with CHOOSE (5.5.3), check and index
 * them. Returns the session, or NULL with *fail set (cause, offending IE).
 */
struct upf_sess *upf_sess_create(struct upf_ctx *ctx, struct upf_assoc *a,
				 const struct sen_pfcp_session_establishment_request *req,
				 struct upf_fail *fail);

/*
 * Apply a Session Modification Request (7.5.4): removals, then creations, then updates,
 * on a copy of the rules; commit only if all of it is valid. Returns 0, or -1 with *fail.
 * `old_far` (may be NULL) receives, for each FAR whose peer changed while SNDEM was set,
 * a copy of the FAR before the change (for End Marker packets); *n_old counts them.
 */
int upf_sess_modify(struct upf_ctx *ctx, struct upf_sess *s,
		    const struct sen_pfcp_session_modification_request *req, struct upf_fail *fail,
		    struct upf_far *old_far, size_t *n_old);

/* Unindex and free the session. */
void upf_sess_del(struct upf_ctx *ctx, struct upf_sess *s);

/* The UL PDR for `teid` and `qfi` (0: none in the packet), or NULL. O(1) + the chain. */
static inline struct upf_pdr *upf_pdr_match_qfi(struct upf_pdr *p, uint8_t qfi)
{
	for (; p; p = p->next) {
		if (!p->n_qfi)
			return p;
		for (unsigned i = 0; i < p->n_qfi; i++)
			if (p->qfi[i] == qfi)
				return p;
	}
	return NULL;
}

/* Fill the Created PDR list of a response: PDRs with an F-TEID. Returns the count. */
unsigned upf_sess_created_pdrs(const struct upf_ctx *ctx, const struct upf_sess *s,
			       const uint16_t *ids, unsigned n_ids,
			       struct sen_pfcp_created_pdr *out, unsigned cap);

/* Free every packet a FAR buffers. */
void upf_far_drop_buffer(struct upf_far *far);

#endif
