/*
 * SM contexts (TS 29.502 5.2.2.2: an SM context per PDU session, identified by its
 * smContextRef) and the lookups the interfaces need: by smContextRef (Nsmf resource URI),
 * by SUPI + PDU session ID (a new establishment for an existing PSI replaces the old
 * session, TS 23.502 4.3.2.2.1 step 3), by CP SEID (PFCP Session Report; the CP SEID is
 * the smContextRef). UPF selection by DNN and S-NSSAI (TS 23.501 6.3.3).
 */
#include "context.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/log.h"

static void psi_key(char *out, size_t cap, const char *supi, uint8_t psi)
{
	snprintf(out, cap, "%s/%u", supi, psi);
}

struct smf_sess *smf_sess_new(struct smf *smf, const char *supi, uint8_t psi)
{
	struct smf_sess *s = calloc(1, sizeof(*s));
	char key[SMF_SUPI_MAX + 8];

	if (!s)
		return NULL;
	s->smf = smf;
	/* smContextRef: never 0, never reused while the old one exists */
	do {
		s->ref = ++smf->next_ref;
	} while (s->ref == 0 || sen_hash_get_u64(smf->by_ref, s->ref));
	snprintf(s->ref_str, sizeof(s->ref_str), "%u", s->ref);
	snprintf(s->supi, sizeof(s->supi), "%s", supi);
	s->psi = psi;
	snprintf(s->tag, sizeof(s->tag), "supi=%s psi=%u", supi, psi);
	psi_key(key, sizeof(key), supi, psi);
	if (sen_hash_add_u64(smf->by_ref, s->ref, s) < 0 ||
	    sen_hash_put_str(smf->by_psi, key, s) < 0) {
		sen_hash_del_u64(smf->by_ref, s->ref);
		free(s);
		return NULL;
	}
	smf_update_gauges(smf);
	return s;
}

struct smf_sess *smf_sess_by_ref(struct smf *smf, const char *ref)
{
	char *end;
	unsigned long v;

	if (!ref || ref[0] < '1' || ref[0] > '9' || strlen(ref) > 10)
		return NULL;
	v = strtoul(ref, &end, 10);
	if (*end || v > UINT32_MAX)
		return NULL;
	return sen_hash_get_u64(smf->by_ref, v);
}

struct smf_sess *smf_sess_by_seid(struct smf *smf, uint64_t seid)
{
	return seid > UINT32_MAX ? NULL : sen_hash_get_u64(smf->by_ref, seid);
}

struct smf_sess *smf_sess_by_psi(struct smf *smf, const char *supi, uint8_t psi)
{
	char key[SMF_SUPI_MAX + 8];

	psi_key(key, sizeof(key), supi, psi);
	return sen_hash_get_str(smf->by_psi, key);
}

void smf_sess_release_ip(struct smf_sess *s)
{
	if (s->ue_ip && s->dnn)
		smf_ippool_release(&s->dnn->pool, s->ue_ip);
	s->ue_ip = 0;
	if (s->has_ip6 && s->dnn)
		smf_ip6pool_release(&s->dnn->pool6, s->ue_ip6);
	s->has_ip6 = false;
	if (s->smf)
		smf_update_gauges(s->smf);
}

void smf_sess_addr_text(const struct smf_sess *s, char *out, size_t cap)
{
	char p6[INET6_ADDRSTRLEN], iid[INET6_ADDRSTRLEN];
	uint8_t a[16] = {0};
	int n = 0;

	out[0] = '\0';
	if (s->ue_ip)
		n = snprintf(out, cap, "%u.%u.%u.%u", s->ue_ip >> 24, (s->ue_ip >> 16) & 255,
			     (s->ue_ip >> 8) & 255, s->ue_ip & 255);
	if (!s->has_ip6 || n < 0 || (size_t)n >= cap)
		return;
	memcpy(a, s->ue_ip6, 8);
	inet_ntop(AF_INET6, a, p6, sizeof(p6));
	memset(a, 0, 8);
	memcpy(a + 8, s->ue_ip6 + 8, 8);
	inet_ntop(AF_INET6, a, iid, sizeof(iid));
	snprintf(out + n, cap - (size_t)n, "%s%s/64 iid %s", n ? " + " : "", p6, iid);
}

void smf_sess_free(struct smf_sess *s)
{
	struct smf *smf = s->smf;
	char key[SMF_SUPI_MAX + 8];

	if (s->sbi_x)
		sen_sbi_xact_cancel(s->sbi_x);
	smf_n4_abandon(s); /* an Establishment in flight keeps the addresses (n4.c) */
	if (s->st)
		sen_sbi_stream_respond_error(s->st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
					     "the SM context was released");
	smf_sess_release_ip(s);
	if (s->upf && s->upf->n_sess)
		s->upf->n_sess--;
	sen_hash_del_u64(smf->by_ref, s->ref);
	psi_key(key, sizeof(key), s->supi, s->psi);
	if (sen_hash_get_str(smf->by_psi, key) == s)
		sen_hash_del_str(smf->by_psi, key);
	sen_log_ue_debug(SMF_LOG, s->tag, "SM context %u freed", s->ref);
	free(s);
	smf_update_gauges(smf);
}

struct smf_dnn *smf_dnn_find(struct smf *smf, const char *name)
{
	for (size_t i = 0; i < smf->n_dnn; i++)
		if (!strcasecmp(smf->dnn[i].cfg->name, name))
			return &smf->dnn[i];
	return NULL;
}

static bool slice_eq(const struct sen_cfg_slice *a, const struct sen_cfg_slice *b)
{
	return a->sst == b->sst && a->sd == b->sd;
}

bool smf_serves_slice(const struct smf *smf, const struct sen_cfg_slice *s)
{
	for (size_t i = 0; i < smf->c.n_slices; i++)
		if (slice_eq(&smf->c.slices[i], s))
			return true;
	return false;
}

struct smf_upf *smf_upf_select(struct smf *smf, const char *dnn, const struct sen_cfg_slice *s)
{
	struct smf_upf *best = NULL;

	for (size_t i = 0; i < smf->n_upf; i++) {
		struct smf_upf *u = &smf->upf[i];
		bool dnn_ok = u->cfg->n_dnn == 0, slice_ok = u->cfg->n_slices == 0;

		if (u->state != UPF_ASSOCIATED)
			continue;
		for (size_t k = 0; k < u->cfg->n_dnn; k++)
			dnn_ok |= !strcasecmp(u->cfg->dnn[k], dnn);
		for (size_t k = 0; k < u->cfg->n_slices; k++)
			slice_ok |= slice_eq(&u->cfg->slices[k], s);
		/* among the fitting UPFs, the one with the fewest sessions */
		if (dnn_ok && slice_ok && (!best || u->n_sess < best->n_sess))
			best = u;
	}
	return best;
}

void smf_update_gauges(struct smf *smf)
{
	size_t assoc = 0;

	for (size_t i = 0; i < smf->n_upf; i++)
		assoc += smf->upf[i].state == UPF_ASSOCIATED;
	uint64_t v4 = 0, v6 = 0;

	for (size_t i = 0; i < smf->n_dnn; i++) {
		v4 += smf->dnn[i].pool.used;
		v6 += smf->dnn[i].pool6.used;
	}
	sen_metric_set(smf->m.sessions, (int64_t)sen_hash_count(smf->by_ref));
	sen_metric_set(smf->m.assoc, (int64_t)assoc);
	sen_metric_set(smf->m.addr4, (int64_t)v4);
	sen_metric_set(smf->m.addr6, (int64_t)v6);
	sen_metric_set(smf->m.quarantined, (int64_t)smf->n_quarantined);
}
