/*
 * sen-amf context: gNBs, UEs and the tables that find them (see context.h for ownership).
 *
 * TS 38.413 9.3.3.1: the AMF UE NGAP ID is allocated here, unique in the AMF, 0..2^40-1.
 * TS 23.003 2.10: the 5G-GUTI is <GUAMI><5G-TMSI>; the 5G-TMSI is allocated here, unique in
 * the AMF, and never 0xFFFFFFFF (reserved).
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "crypto/kdf.h"
#include "gmm.h"
#include "metrics.h"
#include "ngap.h"
#include "sbi-path.h"
#include "sbi/client.h"
#include "sctp/sctp.h"

#define AMF_UE_NGAP_ID_MAX ((UINT64_C(1) << 40) - 1)

int amf_context_init(struct amf *amf)
{
	uint32_t r = 0;

	if (sen_hash_new(&amf->ue_by_amf_id) < 0 || sen_hash_new(&amf->ue_by_supi) < 0 ||
	    sen_hash_new(&amf->ue_by_tmsi) < 0)
		return -SEN_ENOMEM;
	/* Random starting points so that IDs do not repeat across restarts. */
	RAND_bytes((uint8_t *)&r, sizeof(r));
	amf->next_amf_ue_ngap_id = 1 + (r & 0xffff);
	RAND_bytes((uint8_t *)&amf->next_tmsi, sizeof(amf->next_tmsi));
	return 0;
}

struct amf_sess *amf_sess_get(struct amf_ue *ue, unsigned psi)
{
	for (struct amf_sess *s = ue->sess; s; s = s->next)
		if (s->psi == psi)
			return s;
	return NULL;
}

struct amf_sess *amf_sess_new(struct amf_ue *ue, unsigned psi)
{
	struct amf_sess *s;

	if (psi < 1 || psi > AMF_MAX_PSI || amf_sess_get(ue, psi))
		return NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return NULL;
	s->psi = (uint8_t)psi;
	s->next = ue->sess;
	ue->sess = s;
	return s;
}

void amf_sess_free(struct amf_ue *ue, unsigned psi)
{
	struct amf_sess **pp = &ue->sess, *s;

	while (*pp && (*pp)->psi != psi)
		pp = &(*pp)->next;
	if (!(s = *pp))
		return;
	*pp = s->next;
	free(s->pend_n2);
	free(s->dnn);
	free(s->ref);
	free(s);
}

static void ue_destroy(struct amf_ue *ue)
{
	while (ue->sess)
		amf_sess_free(ue, ue->sess->psi);
	gmm_timers_stop(ue); /* frees the retransmission copies (stopped already) */
	sen_nas_sec_clear(&ue->sec);
	sen_nas_sec_clear(&ue->sec_new); /* a pending context (mid-SMC) holds keys too */
	OPENSSL_cleanse(ue->kamf, sizeof(ue->kamf));
	OPENSSL_cleanse(ue->prev_kamf, sizeof(ue->prev_kamf));
	OPENSSL_cleanse(ue->hxres_star, sizeof(ue->hxres_star));
	free(ue->tag);
	free(ue->supi);
	free(ue->suci);
	free(ue->confirm_uri);
	free(ue->requested_nssai);
	free(ue->subscribed_nssai);
	free(ue->allowed_nssai.s);
	free(ue->sub_dnn);
	free(ue);
}

static void reap(struct sen_loop *loop, void *arg)
{
	struct amf *amf = arg;

	amf->reap_posted = false;
	while (amf->graveyard) {
		struct amf_ue *ue = amf->graveyard;
		amf->graveyard = ue->next;
		ue_destroy(ue);
	}
}

void amf_context_fini(struct amf *amf)
{
	while (amf->gnbs) {
		struct amf_gnb *g = amf->gnbs;
		g->assoc = NULL; /* the endpoint is closed: send nothing */
		amf_gnb_free(g);
	}
	while (amf->ues)
		amf_ue_free(amf->ues);
	reap(amf->loop, amf);
	sen_hash_free(amf->ue_by_amf_id);
	sen_hash_free(amf->ue_by_supi);
	sen_hash_free(amf->ue_by_tmsi);
	amf->ue_by_amf_id = amf->ue_by_supi = amf->ue_by_tmsi = NULL;
}

/* ---- gNBs ---- */

struct amf_gnb *amf_gnb_new(struct amf *amf, struct sen_sctp_assoc *assoc)
{
	struct amf_gnb *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	if (sen_hash_new(&g->ues_by_ran) < 0) {
		free(g);
		return NULL;
	}
	g->amf = amf;
	g->assoc = assoc;
	sen_sctp_assoc_peer(assoc, g->peer, sizeof(g->peer));
	snprintf(g->name, sizeof(g->name), "%s", g->peer);
	g->next = amf->gnbs;
	if (amf->gnbs)
		amf->gnbs->prev = g;
	amf->gnbs = g;
	amf->n_gnbs++;
	amf_metrics_gnbs(amf);
	return g;
}

void amf_gnb_free(struct amf_gnb *g)
{
	struct amf *amf = g->amf;
	struct sen_hash_iter it;
	void *v;

	amf_ngap_txq_clear(g, "removed"); /* callers clear it first; this keeps it leak-free */
	/* TS 38.413 8.7.1.4 / 23.502 4.2.6: the UE-associated logical connections of the
	 * association are gone with it. */
	sen_hash_iter_init(&it, g->ues_by_ran);
	while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
		struct amf_ue *ue = v;
		sen_log_ue_info("amf", ue->tag, "gNB %s lost: N2 connection released", g->name);
		gmm_n2_lost(ue);
	}
	sen_hash_free(g->ues_by_ran);
	if (g->prev)
		g->prev->next = g->next;
	else
		amf->gnbs = g->next;
	if (g->next)
		g->next->prev = g->prev;
	amf->n_gnbs--;
	amf_metrics_gnbs(amf);
	free(g);
}

/* ---- UEs ---- */

void amf_ue_update_tag(struct amf_ue *ue)
{
	char buf[SEN_SUPI_MAX + 64];
	char *tag;

	sen_log_ue_tag(buf, sizeof(buf), ue->supi, ue->gnb ? (int64_t)ue->ran_ue_ngap_id : -1,
		       ue->gnb ? (int64_t)ue->amf_ue_ngap_id : -1);
	if (ue->tag && !strcmp(ue->tag, buf))
		return;
	/* Out of memory: the log lines go without a tag rather than with a stale one. */
	tag = buf[0] ? strdup(buf) : NULL;
	free(ue->tag);
	ue->tag = tag;
}

static int n2_attach(struct amf_ue *ue, struct amf_gnb *gnb, uint32_t ran_id)
{
	struct amf *amf = ue->amf;
	uint64_t id;
	int rc;

	if (sen_hash_get_u64(gnb->ues_by_ran, ran_id))
		return -SEN_EEXIST;
	/* Next free AMF UE NGAP ID (wraps within 40 bits). */
	for (int tries = 0;; tries++) {
		id = amf->next_amf_ue_ngap_id++;
		if (amf->next_amf_ue_ngap_id > AMF_UE_NGAP_ID_MAX)
			amf->next_amf_ue_ngap_id = 1;
		if (!sen_hash_get_u64(amf->ue_by_amf_id, id))
			break;
		if (tries > 1000)
			return -SEN_ENOMEM;
	}
	if ((rc = sen_hash_add_u64(amf->ue_by_amf_id, id, ue)) < 0)
		return rc;
	if ((rc = sen_hash_add_u64(gnb->ues_by_ran, ran_id, ue)) < 0) {
		sen_hash_del_u64(amf->ue_by_amf_id, id);
		return rc;
	}
	ue->gnb = gnb;
	ue->ran_ue_ngap_id = ran_id;
	ue->amf_ue_ngap_id = id;
	/* TS 38.412 7: UE-associated signalling on the streams other than 0. */
	ue->stream = gnb->out_streams > 1 ? (uint16_t)(1 + id % (gnb->out_streams - 1u)) : 0;
	ue->ics_sent = ue->ics_done = ue->release_sent = false;
	sen_timer_stop(&ue->release_guard);
	amf_ue_update_tag(ue);
	amf_metrics_ran_ues(amf, +1);
	return 0;
}

static void n2_unbind(struct amf_ue *ue)
{
	if (!ue->gnb)
		return;
	sen_hash_del_u64(ue->gnb->ues_by_ran, ue->ran_ue_ngap_id);
	sen_hash_del_u64(ue->amf->ue_by_amf_id, ue->amf_ue_ngap_id);
	ue->gnb = NULL;
	ue->sec_active = false; /* a new connection starts without NAS security in use */
	sen_timer_stop(&ue->release_guard);
	amf_metrics_ran_ues(ue->amf, -1);
	amf_ue_update_tag(ue);
}

static void on_release_guard(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct amf_ue *ue = arg;

	sen_log_ue_warn("amf", ue->tag, "no UE Context Release Complete: N2 binding dropped");
	amf_ue_n2_detach(ue);
}

struct amf_ue *amf_ue_new(struct amf_gnb *gnb, uint32_t ran_ue_ngap_id, int *err)
{
	struct amf *amf = gnb->amf;
	struct amf_ue *ue = calloc(1, sizeof(*ue));
	int rc;

	if (!ue) {
		*err = -SEN_ENOMEM;
		return NULL;
	}
	ue->amf = amf;
	ue->state = GMM_DEREGISTERED;
	ue->ngksi = 7; /* no key */
	sen_timer_init(&ue->release_guard, amf->loop, on_release_guard, ue);
	gmm_timers_init(ue);
	if ((rc = n2_attach(ue, gnb, ran_ue_ngap_id)) < 0) {
		free(ue->tag);
		free(ue);
		*err = rc;
		return NULL;
	}
	ue->next = amf->ues;
	if (amf->ues)
		amf->ues->prev = ue;
	amf->ues = ue;
	amf->n_ues++;
	return ue;
}

void amf_ue_free(struct amf_ue *ue)
{
	struct amf *amf = ue->amf;

	if (ue->gone)
		return;
	ue->gone = true;
	gmm_timers_stop(ue);
	amf_nsmf_ue_gone(ue);
	if (ue->xact) {
		sen_sbi_xact_cancel(ue->xact);
		ue->xact = NULL;
	}
	n2_unbind(ue);
	if (ue->supi && sen_hash_get_str(amf->ue_by_supi, ue->supi) == ue)
		sen_hash_del_str(amf->ue_by_supi, ue->supi);
	if (ue->has_guti && sen_hash_get_u64(amf->ue_by_tmsi, ue->tmsi) == ue)
		sen_hash_del_u64(amf->ue_by_tmsi, ue->tmsi);
	if (ue->has_old_guti && sen_hash_get_u64(amf->ue_by_tmsi, ue->old_tmsi) == ue)
		sen_hash_del_u64(amf->ue_by_tmsi, ue->old_tmsi);
	amf_ue_set_registered(ue, false);
	if (ue->prev)
		ue->prev->next = ue->next;
	else
		amf->ues = ue->next;
	if (ue->next)
		ue->next->prev = ue->prev;
	amf->n_ues--;
	ue->prev = NULL;
	ue->next = amf->graveyard;
	amf->graveyard = ue;
	if (!amf->reap_posted && sen_loop_post(amf->loop, reap, amf) == 0)
		amf->reap_posted = true;
}

void amf_ue_n2_detach(struct amf_ue *ue)
{
	bool was_connected = ue->gnb != NULL;

	n2_unbind(ue);
	if (ue->state != GMM_REGISTERED)
		amf_ue_free(ue);
	else if (was_connected) /* CM-IDLE: supervised (TS 24.501 5.3.7) */
		amf_ue_reach_start(ue);
}

void amf_ue_adopt_n2(struct amf_ue *to, struct amf_ue *from)
{
	struct amf_gnb *gnb = from->gnb;
	uint32_t ran = from->ran_ue_ngap_id;
	uint64_t id = from->amf_ue_ngap_id;

	if (to->gnb) {
		/* The old connection is replaced (TS 23.502 4.2.2.2.2 step 1 on a new RAN
		 * connection): release it at the gNB and forget it here. */
		amf_ngap_send_ue_release_ids(to->gnb, to->amf_ue_ngap_id, to->ran_ue_ngap_id,
					     SEN_NGAP_CAUSE_RADIO_NETWORK,
					     SEN_NGAP_CAUSE_RN_RELEASE_DUE_TO_5GC);
		n2_unbind(to);
	}
	n2_unbind(from);
	amf_ue_free(from);
	/* Keep the AMF UE NGAP ID the gNB already knows. */
	if (sen_hash_add_u64(to->amf->ue_by_amf_id, id, to) < 0 ||
	    sen_hash_add_u64(gnb->ues_by_ran, ran, to) < 0) {
		sen_hash_del_u64(to->amf->ue_by_amf_id, id);
		/* No N2 connection after all: a registered UE stays (or is again) under the
		 * CM-IDLE supervision of TS 24.501 5.3.7, so it is reclaimed in the end. */
		sen_log_ue_error("amf", to->tag, "N2 connection not adopted (no memory)");
		if (!to->reach_phase)
			amf_ue_reach_start(to);
		return;
	}
	/* TS 24.501 5.3.7: a NAS signalling connection is established for the UE: the mobile
	 * reachable and implicit de-registration timers stop. */
	amf_ue_reach_stop(to);
	to->gnb = gnb;
	to->ran_ue_ngap_id = ran;
	to->amf_ue_ngap_id = id;
	to->stream = gnb->out_streams > 1 ? (uint16_t)(1 + id % (gnb->out_streams - 1u)) : 0;
	to->ics_sent = to->ics_done = to->release_sent = false;
	to->sec_active = false;
	amf_metrics_ran_ues(to->amf, +1);
	amf_ue_update_tag(to);
}

struct amf_ue *amf_ue_by_amf_id(struct amf *amf, uint64_t id)
{
	return sen_hash_get_u64(amf->ue_by_amf_id, id);
}

struct amf_ue *amf_ue_by_ran_id(struct amf_gnb *gnb, uint32_t id)
{
	return sen_hash_get_u64(gnb->ues_by_ran, id);
}

struct amf_ue *amf_ue_by_supi(struct amf *amf, const char *supi)
{
	return sen_hash_get_str(amf->ue_by_supi, supi);
}

struct amf_ue *amf_ue_by_tmsi(struct amf *amf, uint32_t tmsi)
{
	return sen_hash_get_u64(amf->ue_by_tmsi, tmsi);
}

int amf_ue_set_supi(struct amf_ue *ue, const char *supi)
{
	struct amf *amf = ue->amf;
	struct amf_ue *old;
	char *copy;

	if (strlen(supi) >= SEN_SUPI_MAX)
		return -SEN_EINVAL;
	/* The SUPI is known: the SUCI is not needed any more (TS 33.501 6.1.3.2 step 10). */
	free(ue->suci);
	ue->suci = NULL;
	if (ue->supi && !strcmp(ue->supi, supi))
		return 0;
	if (!(copy = strdup(supi)))
		return -SEN_ENOMEM;
	if (ue->supi && sen_hash_get_str(amf->ue_by_supi, ue->supi) == ue)
		sen_hash_del_str(amf->ue_by_supi, ue->supi);
	/* A previous context of the same subscriber is superseded (TS 23.502 4.2.2.2.2). */
	old = sen_hash_get_str(amf->ue_by_supi, supi);
	if (old && old != ue) {
		sen_log_ue_info("amf", old->tag, "superseded by a new registration");
		if (old->gnb)
			amf_ngap_send_ue_release(old, SEN_NGAP_CAUSE_NAS,
						 SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
		amf_ue_free(old);
	}
	free(ue->supi);
	ue->supi = copy;
	amf_ue_update_tag(ue);
	return sen_hash_put_str(amf->ue_by_supi, ue->supi, ue);
}

int amf_ue_set_suci(struct amf_ue *ue, const struct sen_suci *suci)
{
	char buf[SEN_SUCI_STR_MAX + 1];
	char *copy;
	int n = sen_suci_format(suci, buf, sizeof(buf));

	free(ue->suci);
	ue->suci = NULL;
	if (n < 0)
		return n == -SEN_EMSGSIZE ? -SEN_EINVAL : n;
	if (!(copy = strdup(buf)))
		return -SEN_ENOMEM;
	ue->suci = copy;
	return 0;
}

int amf_ue_new_guti(struct amf_ue *ue)
{
	struct amf *amf = ue->amf;
	uint32_t tmsi;

	for (int tries = 0;; tries++) {
		tmsi = amf->next_tmsi++;
		if (tmsi != 0xffffffffu && !sen_hash_get_u64(amf->ue_by_tmsi, tmsi))
			break;
		if (tries > 1000)
			return -SEN_ENOMEM;
	}
	if (ue->has_old_guti && sen_hash_get_u64(amf->ue_by_tmsi, ue->old_tmsi) == ue)
		sen_hash_del_u64(amf->ue_by_tmsi, ue->old_tmsi);
	ue->has_old_guti = ue->has_guti;
	ue->old_tmsi = ue->tmsi;
	ue->has_guti = true;
	ue->tmsi = tmsi;
	return sen_hash_put_u64(amf->ue_by_tmsi, tmsi, ue);
}

void amf_ue_guti_confirmed(struct amf_ue *ue)
{
	if (ue->has_old_guti && sen_hash_get_u64(ue->amf->ue_by_tmsi, ue->old_tmsi) == ue)
		sen_hash_del_u64(ue->amf->ue_by_tmsi, ue->old_tmsi);
	ue->has_old_guti = false;
}

void amf_ue_guti(const struct amf_ue *ue, struct sen_nas_mobile_id *id)
{
	const struct amf_config *c = &ue->amf->cfg;

	memset(id, 0, sizeof(*id));
	id->type = SEN_NAS_ID_GUTI;
	id->guti.plmn = ue->amf->nas_plmn;
	id->guti.amf_region_id = c->guami.region;
	id->guti.amf_set_id = c->guami.set;
	id->guti.amf_pointer = c->guami.pointer;
	id->guti.tmsi = ue->tmsi;
}

void amf_ue_set_registered(struct amf_ue *ue, bool registered)
{
	if (registered == ue->registered_once)
		return;
	ue->registered_once = registered;
	if (registered)
		ue->amf->n_registered++;
	else
		ue->amf->n_registered--;
	amf_metrics_registered(ue->amf);
}

int amf_nssai_hold(struct sen_nas_nssai **dst, const struct sen_nas_nssai *src)
{
	free(*dst);
	*dst = NULL;
	if (!src)
		return 0;
	if (!(*dst = malloc(sizeof(**dst))))
		return -SEN_ENOMEM;
	**dst = *src;
	return 0;
}

int amf_ue_set_allowed_nssai(struct amf_ue *ue, const struct sen_nas_snssai *s, unsigned n)
{
	struct amf_nssai *a = &ue->allowed_nssai;

	free(a->s);
	a->s = NULL;
	a->n = 0;
	if (!n)
		return 0;
	if (n > AMF_MAX_ALLOWED_NSSAI)
		return -SEN_EINVAL;
	if (!(a->s = malloc(n * sizeof(*a->s))))
		return -SEN_ENOMEM;
	memcpy(a->s, s, n * sizeof(*a->s));
	a->n = (uint8_t)n;
	return 0;
}

void amf_ue_drop_smf_sel(struct amf_ue *ue)
{
	free(ue->sub_dnn);
	ue->sub_dnn = NULL;
	ue->n_sub_dnn = 0;
	ue->has_smf_sel = false;
}
