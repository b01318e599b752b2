/*
 * sen-upf context: associations, sessions, packet rules and the fast-path lookup tables
 * (see context.h). Rule semantics follow TS 29.244 clause 5.2 (PDR 5.2.1, FAR 5.2.3,
 * QER 5.2.4 / 5.4.2, URR 5.2.2) and F-TEID allocation by the UP function, 5.5.3.
 */
#include "context.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG "upf"

int upf_ctx_init(struct upf_ctx *ctx, struct in_addr n3_addr)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->n3_addr = n3_addr;
	ctx->next_seid = 1;
	ctx->next_teid = 1;
	pthread_mutex_init(&ctx->buf_lock, NULL);
	if (sen_hash_new(&ctx->sess_by_seid) || sen_hash_new(&ctx->ul_by_teid) ||
	    sen_hash_new(&ctx->dl_by_ueip) || sen_hash_new(&ctx->dl_by_ueip6) ||
	    sen_hash_new(&ctx->assoc_by_node)) {
		upf_ctx_fini(ctx);
		return -SEN_ENOMEM;
	}
	return 0;
}

void upf_ctx_fini(struct upf_ctx *ctx)
{
	struct sen_hash_iter it;
	void *v;

	if (ctx->sess_by_seid) {
		sen_hash_iter_init(&it, ctx->sess_by_seid);
		while (sen_hash_iter_next(&it, NULL, NULL, &v))
			upf_sess_del(ctx, v);
	}
	if (ctx->assoc_by_node) {
		sen_hash_iter_init(&it, ctx->assoc_by_node);
		while (sen_hash_iter_next(&it, NULL, NULL, &v))
			free(v);
	}
	sen_hash_free(ctx->sess_by_seid);
	sen_hash_free(ctx->ul_by_teid);
	sen_hash_free(ctx->dl_by_ueip);
	sen_hash_free(ctx->dl_by_ueip6);
	sen_hash_free(ctx->assoc_by_node);
	ctx->sess_by_seid = ctx->ul_by_teid = ctx->dl_by_ueip = ctx->dl_by_ueip6 = NULL;
	ctx->assoc_by_node = NULL;
	for (unsigned i = 0; i < ctx->n_locks; i++)
		pthread_mutex_destroy(&ctx->locks[i].m);
	free(ctx->locks);
	ctx->locks = NULL;
	ctx->n_locks = 0;
	pthread_mutex_destroy(&ctx->buf_lock);
}

int upf_ctx_set_workers(struct upf_ctx *ctx, unsigned n)
{
	struct upf_lock *l = aligned_alloc(64, sizeof(*l) * (n ? n : 1));

	if (!l)
		return -SEN_ENOMEM;
	for (unsigned i = 0; i < n; i++)
		pthread_mutex_init(&l[i].m, NULL);
	for (unsigned i = 0; i < ctx->n_locks; i++)
		pthread_mutex_destroy(&ctx->locks[i].m);
	free(ctx->locks);
	ctx->locks = l;
	ctx->n_locks = n;
	return 0;
}

void upf_ctx_wrlock(struct upf_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_locks; i++)
		pthread_mutex_lock(&ctx->locks[i].m);
}

void upf_ctx_wrunlock(struct upf_ctx *ctx)
{
	for (unsigned i = ctx->n_locks; i-- > 0;)
		pthread_mutex_unlock(&ctx->locks[i].m);
}

/* ---- associations (TS 29.244 6.2.6) ---- */

static size_t node_key(const struct sen_pfcp_node_id *n, uint8_t key[20])
{
	key[0] = n->type;
	switch (n->type) {
	case SEN_PFCP_NODE_IPV4:
		memcpy(key + 1, n->ipv4, 4);
		return 5;
	case SEN_PFCP_NODE_IPV6:
		memcpy(key + 1, n->ipv6, 16);
		return 17;
	default: {
		/* FQDN: 64 bits of SipHash under a fixed key suffice to tell peers apart. */
		static const uint8_t k[16] = { 's', 'e', 'n', '-', 'u', 'p', 'f' };
		uint64_t h = sen_hash_siphash13(k, n->fqdn, strlen(n->fqdn));
		memcpy(key + 1, &h, 8);
		return 9;
	}
	}
}

struct upf_assoc *upf_assoc_find(struct upf_ctx *ctx, const struct sen_pfcp_node_id *node_id)
{
	uint8_t key[20];
	size_t n = node_key(node_id, key);

	return sen_hash_get(ctx->assoc_by_node, key, n);
}

struct upf_assoc *upf_assoc_get(struct upf_ctx *ctx, const struct sen_pfcp_node_id *node_id,
				bool *created)
{
	struct upf_assoc *a = upf_assoc_find(ctx, node_id);

	*created = false;
	if (a)
		return a;
	if (!(a = calloc(1, sizeof(*a))))
		return NULL;
	a->node_id = *node_id;
	a->key_len = node_key(node_id, a->key);
	if (sen_hash_add(ctx->assoc_by_node, a->key, a->key_len, a)) {
		free(a);
		return NULL;
	}
	*created = true;
	return a;
}

void upf_assoc_del_sessions(struct upf_ctx *ctx, struct upf_assoc *a)
{
	struct sen_hash_iter it;
	void *v;

	sen_hash_iter_init(&it, ctx->sess_by_seid);
	while (sen_hash_iter_next(&it, NULL, NULL, &v))
		if (((struct upf_sess *)v)->assoc == a)
			upf_sess_del(ctx, v);
}

void upf_assoc_del(struct upf_ctx *ctx, struct upf_assoc *a)
{
	upf_assoc_del_sessions(ctx, a);
	sen_hash_del(ctx->assoc_by_node, a->key, a->key_len);
	free(a);
}

/* ---- lookup tables ---- */

/* The chain link of p in the IPv4/TEID tables (v6 false) or in the IPv6 table. */
static struct upf_pdr **link_of(struct upf_pdr *p, bool v6)
{
	return v6 ? &p->next6 : &p->next;
}

/* Insert p in the chain of `key` by precedence (lowest value first). */
static int index_add(struct sen_hash *h, uint64_t key, struct upf_pdr *p, bool v6)
{
	struct upf_pdr *head = sen_hash_get_u64(h, key), **pp = &head;

	while (*pp && (*pp)->precedence <= p->precedence)
		pp = link_of(*pp, v6);
	*link_of(p, v6) = *pp;
	*pp = p;
	return sen_hash_put_u64(h, key, head);
}

static void index_del(struct sen_hash *h, uint64_t key, struct upf_pdr *p, bool v6)
{
	struct upf_pdr *head = sen_hash_get_u64(h, key), **pp = &head;

	while (*pp && *pp != p)
		pp = link_of(*pp, v6);
	if (!*pp)
		return;
	*pp = *link_of(p, v6);
	*link_of(p, v6) = NULL;
	if (head)
		sen_hash_put_u64(h, key, head); /* replaces: cannot fail */
	else
		sen_hash_del_u64(h, key);
}

/* True if `key` in `h` is held by a PDR of another session. */
static bool index_taken(struct sen_hash *h, uint64_t key, const struct upf_sess *s, bool v6)
{
	for (struct upf_pdr *p = sen_hash_get_u64(h, key); p; p = *link_of(p, v6))
		if (p->sess != s)
			return true;
	return false;
}

static bool pdr_is_ul(const struct upf_pdr *p)
{
	return p->has_teid;
}

/* A DL PDR: no F-TEID, a UE IPv4 address and/or IPv6 prefix (indexed in each table). */
static bool pdr_is_dl(const struct upf_pdr *p)
{
	return !p->has_teid && (p->has_ue_ip || p->has_ue_ip6);
}

static void pdr_unindex(struct upf_ctx *ctx, struct upf_pdr *p)
{
	if (pdr_is_ul(p)) {
		index_del(ctx->ul_by_teid, p->teid, p, false);
		return;
	}
	if (!pdr_is_dl(p))
		return;
	if (p->has_ue_ip)
		index_del(ctx->dl_by_ueip, p->ue_ip, p, false);
	if (p->has_ue_ip6)
		index_del(ctx->dl_by_ueip6, p->ue_ip6, p, true);
}

static void sess_unindex(struct upf_ctx *ctx, struct upf_sess *s)
{
	for (unsigned i = 0; i < s->r.n_pdr; i++)
		pdr_unindex(ctx, &s->r.pdr[i]);
}

static int sess_index(struct upf_ctx *ctx, struct upf_sess *s)
{
	for (unsigned i = 0; i < s->r.n_pdr; i++) {
		struct upf_pdr *p = &s->r.pdr[i];
		int rc = 0;

		p->sess = s;
		p->next = p->next6 = NULL;
		if (pdr_is_ul(p)) {
			rc = index_add(ctx->ul_by_teid, p->teid, p, false);
		} else if (pdr_is_dl(p)) {
			if (p->has_ue_ip)
				rc = index_add(ctx->dl_by_ueip, p->ue_ip, p, false);
			if (!rc && p->has_ue_ip6 &&
			    (rc = index_add(ctx->dl_by_ueip6, p->ue_ip6, p, true)) && p->has_ue_ip)
				index_del(ctx->dl_by_ueip, p->ue_ip, p, false);
		}
		if (rc) {
			for (unsigned j = 0; j < i; j++)
				pdr_unindex(ctx, &s->r.pdr[j]);
			return rc;
		}
	}
	return 0;
}

/* ---- building rules from PFCP IEs ---- */

static void fail_set(struct upf_fail *f, uint8_t cause, uint16_t ie, const char *why)
{
	f->cause = cause;
	f->offending_ie = ie;
	f->why = why;
}

static struct upf_far *far_find(struct upf_rules *r, uint32_t id)
{
	for (unsigned i = 0; i < r->n_far; i++)
		if (r->far[i].id == id)
			return &r->far[i];
	return NULL;
}

static struct upf_qer *qer_find(struct upf_rules *r, uint32_t id)
{
	for (unsigned i = 0; i < r->n_qer; i++)
		if (r->qer[i].id == id)
			return &r->qer[i];
	return NULL;
}

static struct upf_urr *urr_find(struct upf_rules *r, uint32_t id)
{
	for (unsigned i = 0; i < r->n_urr; i++)
		if (r->urr[i].id == id)
			return &r->urr[i];
	return NULL;
}

static struct upf_pdr *pdr_find(struct upf_rules *r, uint32_t id)
{
	for (unsigned i = 0; i < r->n_pdr; i++)
		if (r->pdr[i].id == id)
			return &r->pdr[i];
	return NULL;
}

/* The TEID of a CHOOSE F-TEID: shared with an earlier PDR of the same Choose ID (5.5.3). */
static uint32_t teid_alloc(struct upf_ctx *ctx)
{
	for (;;) {
		uint32_t t = ctx->next_teid++;

		if (t && !sen_hash_get_u64(ctx->ul_by_teid, t))
			return t;
	}
}

/* PDI (TS 29.244 7.5.2.2-2) into a PDR. */
static int pdi_set(struct upf_ctx *ctx, struct upf_rules *r, struct upf_pdr *p,
		   const struct sen_pfcp_pdi *pdi, struct upf_fail *fail)
{
	p->src_if = pdi->source_interface;
	p->has_ue_ip = p->has_ue_ip6 = false;
	for (unsigned i = 0; i < pdi->n_ue_ip; i++) {
		const struct sen_pfcp_ue_ip *u = &pdi->ue_ip[i];

		if (u->flags & (SEN_PFCP_UEIP_CHV4 | SEN_PFCP_UEIP_CHV6)) {
			fail_set(fail, SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED,
				 SEN_PFCP_IE_UE_IP_ADDRESS, "UE IP allocation by the UPF");
			return -1;
		}
		if ((u->flags & SEN_PFCP_UEIP_V4) && !p->has_ue_ip) {
			memcpy(&p->ue_ip, u->ipv4, 4);
			p->has_ue_ip = true;
		}
		if (!(u->flags & SEN_PFCP_UEIP_V6) || p->has_ue_ip6)
			continue;
		/* 8.2.62: V6 with the address; the SMF gives the session's /64 prefix with a
		 * zero interface identifier (TS 23.501 5.8.2.2.1). Shorter prefixes (IPv6
		 * prefix delegation, IPV6D; IP6PL < 64) are not offered. */
		if ((u->flags & SEN_PFCP_UEIP_IPV6D) ||
		    ((u->flags & SEN_PFCP_UEIP_IP6PL) && u->ipv6_prefix_len < 64)) {
			fail_set(fail, SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED,
				 SEN_PFCP_IE_UE_IP_ADDRESS, "IPv6 prefix shorter than /64");
			return -1;
		}
		if (u->ipv6[0] == 0xff || (u->ipv6[0] == 0xfe && (u->ipv6[1] & 0xc0) == 0x80) ||
		    !memcmp(u->ipv6, (const uint8_t[8]){ 0 }, 8)) {
			fail_set(fail, SEN_PFCP_CAUSE_MANDATORY_IE_INCORRECT,
				 SEN_PFCP_IE_UE_IP_ADDRESS,
				 "UE IPv6 prefix is multicast, link-local or zero");
			return -1;
		}
		memcpy(&p->ue_ip6, u->ipv6, 8);
		p->has_ue_ip6 = true;
	}
	p->n_qfi = pdi->n_qfi;
	memcpy(p->qfi, pdi->qfi, pdi->n_qfi);
	if (!pdi->has_local_fteid) {
		if (p->has_teid && p->src_if == SEN_PFCP_IF_ACCESS)
			return 0; /* an updated PDI keeps the F-TEID it had */
		p->has_teid = false;
		return 0;
	}
	const struct sen_pfcp_fteid *ft = &pdi->local_fteid;
	if (!(ft->flags & SEN_PFCP_FTEID_CH)) {
		if (!(ft->flags & SEN_PFCP_FTEID_V4) || !ft->teid) {
			fail_set(fail, SEN_PFCP_CAUSE_MANDATORY_IE_INCORRECT, SEN_PFCP_IE_F_TEID,
				 "F-TEID without IPv4 address or with TEID 0");
			return -1;
		}
		p->teid = ft->teid;
		p->has_teid = true;
		p->has_choose_id = false;
		return 0;
	}
	if (!(ft->flags & SEN_PFCP_FTEID_V4)) {
		fail_set(fail, SEN_PFCP_CAUSE_INVALID_FTEID_ALLOCATION, SEN_PFCP_IE_F_TEID,
			 "CHOOSE without IPv4: N3 is IPv4 only");
		return -1;
	}
	if (p->has_teid && !(ft->flags & SEN_PFCP_FTEID_CHID))
		return 0; /* CHOOSE again on update: keep the TEID already allocated */
	if (ft->flags & SEN_PFCP_FTEID_CHID) {
		for (unsigned i = 0; i < r->n_pdr; i++) {
			struct upf_pdr *q = &r->pdr[i];
			if (q != p && q->has_teid && q->has_choose_id &&
			    q->choose_id == ft->choose_id) {
				p->teid = q->teid;
				p->has_teid = p->has_choose_id = true;
				p->choose_id = ft->choose_id;
				return 0;
			}
		}
		p->has_choose_id = true;
		p->choose_id = ft->choose_id;
	}
	p->teid = teid_alloc(ctx);
	p->has_teid = true;
	return 0;
}

static void refs_set(uint8_t *n_dst, uint32_t *dst, uint8_t n, const uint32_t *src)
{
	*n_dst = n;
	memcpy(dst, src, n * sizeof(*src));
}

static int pdr_create(struct upf_ctx *ctx, struct upf_rules *r,
		      const struct sen_pfcp_create_pdr *c, struct upf_fail *fail)
{
	if (pdr_find(r, c->pdr_id) || r->n_pdr >= r->cap_pdr) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_CREATE_PDR,
			 "PDR ID in use or too many PDRs");
		return -1;
	}
	struct upf_pdr *p = &r->pdr[r->n_pdr++];
	memset(p, 0, sizeof(*p));
	p->id = c->pdr_id;
	p->precedence = c->precedence;
	p->ohr = c->has_ohr;
	p->has_far_id = c->has_far_id;
	p->far_id = c->far_id;
	refs_set(&p->n_qer, p->qer_id, c->n_qer_id, c->qer_id);
	refs_set(&p->n_urr, p->urr_id, c->n_urr_id, c->urr_id);
	return pdi_set(ctx, r, p, &c->pdi, fail);
}

static int pdr_update(struct upf_ctx *ctx, struct upf_rules *r,
		      const struct sen_pfcp_update_pdr *u, struct upf_fail *fail)
{
	struct upf_pdr *p = pdr_find(r, u->pdr_id);

	if (!p) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_UPDATE_PDR,
			 "Update PDR: no such PDR");
		return -1;
	}
	if (u->has_ohr)
		p->ohr = true;
	if (u->has_precedence)
		p->precedence = u->precedence;
	if (u->has_far_id) {
		p->far_id = u->far_id;
		p->has_far_id = true;
	}
	if (u->n_qer_id)
		refs_set(&p->n_qer, p->qer_id, u->n_qer_id, u->qer_id);
	if (u->n_urr_id)
		refs_set(&p->n_urr, p->urr_id, u->n_urr_id, u->urr_id);
	return u->has_pdi ? pdi_set(ctx, r, p, &u->pdi, fail) : 0;
}

/* Forwarding Parameters (7.5.2.3-2) / Update Forwarding Parameters (7.5.4.3-2). */
static int fwd_set(struct upf_far *f, const struct sen_pfcp_fwd_params *fp, bool update,
		   struct upf_fail *fail)
{
	if (!update || fp->has_destination_interface)
		f->dst_if = fp->destination_interface;
	if (!fp->has_ohc)
		return 0;
	if (!(fp->ohc.desc & SEN_PFCP_OHC_GTPU_UDP_IPV4)) {
		fail_set(fail, SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED,
			 SEN_PFCP_IE_OUTER_HEADER_CREATION, "only GTP-U/UDP/IPv4 outer headers");
		return -1;
	}
	f->ohc = true;
	f->teid = fp->ohc.teid;
	memset(&f->peer, 0, sizeof(f->peer));
	f->peer.sin_family = AF_INET;
	memcpy(&f->peer.sin_addr, fp->ohc.ipv4, 4);
	/* TS 29.281 4.4.2.3: GTP-U uses port 2152 on both ends. */
	f->peer.sin_port = htons(2152);
	return 0;
}

static int far_create(struct upf_rules *r, const struct sen_pfcp_create_far *c,
		      struct upf_fail *fail)
{
	if (far_find(r, c->far_id) || r->n_far >= r->cap_far) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_CREATE_FAR,
			 "FAR ID in use or too many FARs");
		return -1;
	}
	struct upf_far *f = &r->far[r->n_far++];
	memset(f, 0, sizeof(*f));
	f->id = c->far_id;
	f->action = (uint8_t)c->apply_action.bits;
	return c->has_fwd ? fwd_set(f, &c->fwd, false, fail) : 0;
}

static int far_update(struct upf_rules *r, const struct sen_pfcp_update_far *u,
		      struct upf_fail *fail, struct upf_far *old, size_t *n_old)
{
	struct upf_far *f = far_find(r, u->far_id);

	if (!f) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_UPDATE_FAR,
			 "Update FAR: no such FAR");
		return -1;
	}
	struct upf_far before = *f;
	if (u->has_apply_action) {
		f->action = (uint8_t)u->apply_action.bits;
		if (!(f->action & SEN_PFCP_AA_BUFF))
			f->reported = false;
	}
	if (u->has_fwd && fwd_set(f, &u->fwd, true, fail) < 0)
		return -1;
	/* TS 29.244 5.2.3.1 / TS 29.281 5.6: SNDEM asks for End Markers on the old path. */
	if (old && u->has_fwd && u->fwd.has_smreq_flags &&
	    (u->fwd.smreq_flags.bits & SEN_PFCP_SMREQ_SNDEM) && before.ohc &&
	    (before.teid != f->teid || before.peer.sin_addr.s_addr != f->peer.sin_addr.s_addr))
		old[(*n_old)++] = before;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* MBR in kbit/s (8.2.8) to a bucket of bytes/s holding 100 ms, at least 64 KiB. */
static void bucket_set(struct upf_bucket *b, uint64_t kbps)
{
	b->rate = kbps * 1000 / 8;
	b->burst = b->rate / 10 > 65536 ? b->rate / 10 : 65536;
	b->tokens = b->burst;
	b->last = now_ns();
}

static void qer_apply(struct upf_qer *q, const struct sen_pfcp_qer *c, bool update)
{
	if (!update || c->has_gate_status) {
		q->ul_closed = (c->gate_status >> 2) & 3;
		q->dl_closed = c->gate_status & 3;
	}
	if (c->has_qfi) {
		q->has_qfi = true;
		q->qfi = c->qfi;
	}
	if (c->has_rqi)
		q->rqi = c->rqi & 1;
	if (c->has_mbr) {
		q->has_mbr = c->mbr.ul || c->mbr.dl;
		bucket_set(&q->ul, c->mbr.ul);
		bucket_set(&q->dl, c->mbr.dl);
	}
}

static int qer_create(struct upf_rules *r, const struct sen_pfcp_qer *c, struct upf_fail *fail)
{
	if (qer_find(r, c->qer_id) || r->n_qer >= r->cap_qer) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_CREATE_QER,
			 "QER ID in use or too many QERs");
		return -1;
	}
	struct upf_qer *q = &r->qer[r->n_qer++];
	memset(q, 0, sizeof(*q));
	q->id = c->qer_id;
	qer_apply(q, c, false);
	return 0;
}

static int urr_create(struct upf_rules *r, const struct sen_pfcp_urr *c, struct upf_fail *fail)
{
	if (urr_find(r, c->urr_id) || r->n_urr >= r->cap_urr) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_CREATE_URR,
			 "URR ID in use or too many URRs");
		return -1;
	}
	struct upf_urr *u = &r->urr[r->n_urr++];
	memset(u, 0, sizeof(*u));
	u->id = c->urr_id;
	u->start = sen_pfcp_ntp_from_unix(time(NULL));
	return 0;
}

/* Remove entry `i` of an array of n elements of `size` bytes, keeping the order. */
static void arr_remove(void *arr, uint8_t *n, unsigned i, size_t size)
{
	uint8_t *a = arr;

	memmove(a + i * size, a + (i + 1) * size, (size_t)(*n - i - 1) * size);
	(*n)--;
}

static int remove_rule(struct upf_rules *r, int kind, uint32_t id, struct upf_fail *fail)
{
	static const uint16_t ies[] = { SEN_PFCP_IE_REMOVE_PDR, SEN_PFCP_IE_REMOVE_FAR,
					SEN_PFCP_IE_REMOVE_QER, SEN_PFCP_IE_REMOVE_URR };
	void *e = kind == 0   ? (void *)pdr_find(r, id)
		  : kind == 1 ? (void *)far_find(r, id)
		  : kind == 2 ? (void *)qer_find(r, id)
			      : (void *)urr_find(r, id);

	if (!e) {
		fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, ies[kind],
			 "removal of an unknown rule");
		return -1;
	}
	switch (kind) {
	case 0:
		arr_remove(r->pdr, &r->n_pdr, (unsigned)((struct upf_pdr *)e - r->pdr),
			   sizeof(r->pdr[0]));
		break;
	case 1:
		arr_remove(r->far, &r->n_far, (unsigned)((struct upf_far *)e - r->far),
			   sizeof(r->far[0]));
		break;
	case 2:
		arr_remove(r->qer, &r->n_qer, (unsigned)((struct upf_qer *)e - r->qer),
			   sizeof(r->qer[0]));
		break;
	default:
		arr_remove(r->urr, &r->n_urr, (unsigned)((struct upf_urr *)e - r->urr),
			   sizeof(r->urr[0]));
	}
	return 0;
}

/*
 * Check the rules as a whole and resolve references: every PDR names an existing FAR
 * (TS 29.244 7.5.2.2: FAR ID is present unless predefined rules are activated, which
 * Sen does not support), QERs and URRs exist; UL PDRs have an F-TEID, DL PDRs a UE IP;
 * no key is held by another session.
 */
static int rules_resolve(struct upf_ctx *ctx, struct upf_sess *s, struct upf_rules *r,
			 struct upf_fail *fail)
{
	for (unsigned i = 0; i < r->n_pdr; i++) {
		struct upf_pdr *p = &r->pdr[i];

		if (!p->has_far_id) {
			fail_set(fail, SEN_PFCP_CAUSE_CONDITIONAL_IE_MISSING, SEN_PFCP_IE_FAR_ID,
				 "PDR without FAR ID");
			return -1;
		}
		if (!(p->far = far_find(r, p->far_id))) {
			fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE, SEN_PFCP_IE_FAR_ID,
				 "PDR refers to an unknown FAR");
			return -1;
		}
		p->qer = NULL;
		for (unsigned k = 0; k < p->n_qer; k++) {
			struct upf_qer *q = qer_find(r, p->qer_id[k]);
			if (!q) {
				fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE,
					 SEN_PFCP_IE_QER_ID, "PDR refers to an unknown QER");
				return -1;
			}
			if (!p->qer)
				p->qer = q;
		}
		p->urr = NULL;
		for (unsigned k = 0; k < p->n_urr; k++) {
			struct upf_urr *u = urr_find(r, p->urr_id[k]);
			if (!u) {
				fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE,
					 SEN_PFCP_IE_URR_ID, "PDR refers to an unknown URR");
				return -1;
			}
			if (!p->urr)
				p->urr = u;
		}
		if (p->src_if == SEN_PFCP_IF_ACCESS && !p->has_teid) {
			fail_set(fail, SEN_PFCP_CAUSE_CONDITIONAL_IE_MISSING, SEN_PFCP_IE_F_TEID,
				 "access-side PDR without Local F-TEID");
			return -1;
		}
		if (p->src_if != SEN_PFCP_IF_ACCESS && !p->has_teid && !p->has_ue_ip &&
		    !p->has_ue_ip6) {
			fail_set(fail, SEN_PFCP_CAUSE_CONDITIONAL_IE_MISSING,
				 SEN_PFCP_IE_UE_IP_ADDRESS, "core-side PDR without UE IP Address");
			return -1;
		}
		if (pdr_is_ul(p) ? index_taken(ctx->ul_by_teid, p->teid, s, false)
				 : (p->has_ue_ip &&
				    index_taken(ctx->dl_by_ueip, p->ue_ip, s, false)) ||
				       (p->has_ue_ip6 &&
					index_taken(ctx->dl_by_ueip6, p->ue_ip6, s, true))) {
			fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE,
				 pdr_is_ul(p) ? SEN_PFCP_IE_F_TEID : SEN_PFCP_IE_UE_IP_ADDRESS,
				 "TEID, UE IP address or IPv6 prefix already used by another "
				 "session");
			return -1;
		}
	}
	return 0;
}

/* Free the buffers of FARs in `old` that are no longer in `now` (same FAR ID). */
static void drop_gone_buffers(struct upf_rules *old, struct upf_rules *now)
{
	for (unsigned i = 0; i < old->n_far; i++)
		if (old->far[i].buf_head && !far_find(now, old->far[i].id))
			upf_far_drop_buffer(&old->far[i]);
}

void upf_far_drop_buffer(struct upf_far *far)
{
	while (far->buf_head) {
		struct upf_pkt *k = far->buf_head;
		far->buf_head = k->next;
		free(k);
	}
	far->buf_tail = NULL;
	far->n_buf = 0;
}

/* ---- rule arrays ---- */

static uint8_t cap_for(unsigned have, unsigned add, unsigned max)
{
	return (uint8_t)(have + add < max ? have + add : max);
}

static void *arr_dup(const void *src, unsigned n, unsigned cap, size_t elem)
{
	void *a = cap ? calloc(cap, elem) : NULL;

	if (a && n)
		memcpy(a, src, n * elem);
	return a;
}

static void rules_free(struct upf_rules *r)
{
	free(r->pdr);
	free(r->far);
	free(r->qer);
	free(r->urr);
	memset(r, 0, sizeof(*r));
}

/*
 * *r = a copy of `from` (may be NULL: empty) in new arrays with room for add_* more rules
 * each (capped at UPF_MAX_*: what does not fit is refused as "too many" when created).
 * FAR buffers are copied as pointers: the caller decides which copy owns them.
 * Returns 0 or -1 (out of memory; nothing allocated).
 */
static int rules_alloc(struct upf_rules *r, const struct upf_rules *from, unsigned add_pdr,
		       unsigned add_far, unsigned add_qer, unsigned add_urr)
{
	static const struct upf_rules none;

	if (!from)
		from = &none;
	memset(r, 0, sizeof(*r));
	r->n_pdr = from->n_pdr;
	r->n_far = from->n_far;
	r->n_qer = from->n_qer;
	r->n_urr = from->n_urr;
	r->cap_pdr = cap_for(from->n_pdr, add_pdr, UPF_MAX_PDR);
	r->cap_far = cap_for(from->n_far, add_far, UPF_MAX_FAR);
	r->cap_qer = cap_for(from->n_qer, add_qer, UPF_MAX_QER);
	r->cap_urr = cap_for(from->n_urr, add_urr, UPF_MAX_URR);
	r->pdr = arr_dup(from->pdr, r->n_pdr, r->cap_pdr, sizeof(*r->pdr));
	r->far = arr_dup(from->far, r->n_far, r->cap_far, sizeof(*r->far));
	r->qer = arr_dup(from->qer, r->n_qer, r->cap_qer, sizeof(*r->qer));
	r->urr = arr_dup(from->urr, r->n_urr, r->cap_urr, sizeof(*r->urr));
	if ((r->cap_pdr && !r->pdr) || (r->cap_far && !r->far) || (r->cap_qer && !r->qer) ||
	    (r->cap_urr && !r->urr)) {
		rules_free(r);
		return -1;
	}
	return 0;
}

/* ---- sessions ---- */

struct upf_sess *upf_sess_find(struct upf_ctx *ctx, uint64_t seid)
{
	return sen_hash_get_u64(ctx->sess_by_seid, seid);
}

struct upf_sess *upf_sess_create(struct upf_ctx *ctx, struct upf_assoc *a,
				 const struct sen_pfcp_session_establishment_request *req,
				 struct upf_fail *fail)
{
	struct upf_sess *s = calloc(1, sizeof(*s));

	fail_set(fail, 0, 0, "");
	if (!s) {
		fail_set(fail, SEN_PFCP_CAUSE_NO_RESOURCES, 0, "out of memory");
		return NULL;
	}
	if (!(req->cp_fseid.flags & SEN_PFCP_FSEID_V4)) {
		fail_set(fail, SEN_PFCP_CAUSE_SERVICE_NOT_SUPPORTED, SEN_PFCP_IE_F_SEID,
			 "CP F-SEID without IPv4");
		goto bad;
	}
	s->assoc = a;
	s->cp_seid = req->cp_fseid.seid;
	s->cp.sin_family = AF_INET;
	memcpy(&s->cp.sin_addr, req->cp_fseid.ipv4, 4);
	s->cp.sin_port = htons(SEN_PFCP_PORT);
	if (rules_alloc(&s->r, NULL, req->n_create_pdr, req->n_create_far, req->n_create_qer,
			req->n_create_urr) < 0)
		goto oom;
	for (unsigned i = 0; i < req->n_create_far; i++)
		if (far_create(&s->r, &req->create_far[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_qer; i++)
		if (qer_create(&s->r, &req->create_qer[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_urr; i++)
		if (urr_create(&s->r, &req->create_urr[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_pdr; i++)
		if (pdr_create(ctx, &s->r, &req->create_pdr[i], fail) < 0)
			goto bad;
	if (rules_resolve(ctx, s, &s->r, fail) < 0)
		goto bad;
	do
		s->seid = ctx->next_seid++;
	while (!s->seid || sen_hash_get_u64(ctx->sess_by_seid, s->seid));
	snprintf(s->tag, sizeof(s->tag), "seid=0x%llx", (unsigned long long)s->seid);
	if (sen_hash_add_u64(ctx->sess_by_seid, s->seid, s) < 0)
		goto oom;
	if (sess_index(ctx, s) < 0) {
		sen_hash_del_u64(ctx->sess_by_seid, s->seid);
		goto oom;
	}
	a->n_sess++;
	ctx->n_sess++;
	return s;
oom:
	fail_set(fail, SEN_PFCP_CAUSE_NO_RESOURCES, 0, "out of memory");
bad:
	rules_free(&s->r);
	free(s);
	return NULL;
}

int upf_sess_modify(struct upf_ctx *ctx, struct upf_sess *s,
		    const struct sen_pfcp_session_modification_request *req, struct upf_fail *fail,
		    struct upf_far *old_far, size_t *n_old)
{
	struct upf_rules tmp, *r = &tmp;

	fail_set(fail, 0, 0, "");
	if (n_old)
		*n_old = 0;
	/* the copy, with room for what the request creates */
	if (rules_alloc(r, &s->r, req->n_create_pdr, req->n_create_far, req->n_create_qer,
			req->n_create_urr) < 0) {
		fail_set(fail, SEN_PFCP_CAUSE_NO_RESOURCES, 0, "out of memory");
		return -1;
	}
	for (unsigned i = 0; i < req->n_remove_pdr; i++)
		if (remove_rule(r, 0, req->remove_pdr[i].id, fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_remove_far; i++)
		if (remove_rule(r, 1, req->remove_far[i].id, fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_remove_qer; i++)
		if (remove_rule(r, 2, req->remove_qer[i].id, fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_remove_urr; i++)
		if (remove_rule(r, 3, req->remove_urr[i].id, fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_far; i++)
		if (far_create(r, &req->create_far[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_qer; i++)
		if (qer_create(r, &req->create_qer[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_urr; i++)
		if (urr_create(r, &req->create_urr[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_create_pdr; i++)
		if (pdr_create(ctx, r, &req->create_pdr[i], fail) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_update_far; i++)
		if (far_update(r, &req->update_far[i], fail, old_far, n_old) < 0)
			goto bad;
	for (unsigned i = 0; i < req->n_update_qer; i++) {
		struct upf_qer *q = qer_find(r, req->update_qer[i].qer_id);
		if (!q) {
			fail_set(fail, SEN_PFCP_CAUSE_RULE_CREATION_FAILURE,
				 SEN_PFCP_IE_UPDATE_QER, "Update QER: no such QER");
			goto bad;
		}
		qer_apply(q, &req->update_qer[i], true);
	}
	for (unsigned i = 0; i < req->n_update_pdr; i++)
		if (pdr_update(ctx, r, &req->update_pdr[i], fail) < 0)
			goto bad;
	if (rules_resolve(ctx, s, r, fail) < 0)
		goto bad;
	/* Commit. The tables hold pointers into s->r, so unindex before the swap; the copy
	 * now owns the FAR buffers (those of FARs that are gone are freed). */
	sess_unindex(ctx, s);
	drop_gone_buffers(&s->r, r);
	rules_free(&s->r);
	s->r = *r;
	if (rules_resolve(ctx, s, &s->r, fail) < 0 || sess_index(ctx, s) < 0) {
		/* cannot happen after the check above, except out of memory */
		fail_set(fail, SEN_PFCP_CAUSE_NO_RESOURCES, 0, "out of memory");
		return -1;
	}
	return 0;
bad:
	rules_free(r); /* the buffers stay with s->r */
	return -1;
}

void upf_sess_del(struct upf_ctx *ctx, struct upf_sess *s)
{
	sess_unindex(ctx, s);
	for (unsigned i = 0; i < s->r.n_far; i++)
		upf_far_drop_buffer(&s->r.far[i]);
	sen_hash_del_u64(ctx->sess_by_seid, s->seid);
	if (s->assoc)
		s->assoc->n_sess--;
	ctx->n_sess--;
	rules_free(&s->r);
	free(s);
}

unsigned upf_sess_created_pdrs(const struct upf_ctx *ctx, const struct upf_sess *s,
			       const uint16_t *ids, unsigned n_ids,
			       struct sen_pfcp_created_pdr *out, unsigned cap)
{
	unsigned n = 0;

	for (unsigned k = 0; k < n_ids && n < cap; k++) {
		for (unsigned i = 0; i < s->r.n_pdr; i++) {
			const struct upf_pdr *p = &s->r.pdr[i];
			if (p->id != ids[k] || !p->has_teid)
				continue;
			struct sen_pfcp_created_pdr *c = &out[n++];
			memset(c, 0, sizeof(*c));
			c->pdr_id = p->id;
			c->has_local_fteid = true;
			c->local_fteid.flags = SEN_PFCP_FTEID_V4;
			c->local_fteid.teid = p->teid;
			memcpy(c->local_fteid.ipv4, &ctx->n3_addr, 4);
			break;
		}
	}
	return n;
}
