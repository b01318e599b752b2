/*
 * sen-smf module: init (the `smf` section, pools, tables), start (N4 socket and
 * associations, SBI server and client, NRF registration), stop, free; and the metrics
 * (TS 28.552 5.1.1.5 names as Open5GS spells them).
 */
#include "smf.h"

#include "context.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

static void smf_free(void *state);

static void metrics_init(struct smf *smf)
{
	struct smf_metrics *m = &smf->m;

	m->creq = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "fivegs_smffunction_sm_pdusessioncreationreq",
			   "PDU session creation requests (Create SM Context)", NULL));
	m->csucc = sen_metric_single(
	    sen_metric_new(SEN_METRIC_COUNTER, "fivegs_smffunction_sm_pdusessioncreationsucc",
			   "PDU sessions established (Accept sent to the UE)", NULL));
	m->cfail =
	    sen_metric_new(SEN_METRIC_COUNTER, "fivegs_smffunction_sm_pdusessioncreationfail",
			   "PDU session creations failed, by 5GSM cause", "cause");
	m->sessions = sen_metric_single(sen_metric_new(
	    SEN_METRIC_GAUGE, "fivegs_smffunction_sm_sessionnbr", "SM contexts", NULL));
	m->assoc = sen_metric_single(sen_metric_new(SEN_METRIC_GAUGE, "sen_smf_pfcp_associations",
						    "UPFs with a PFCP association", NULL));
	m->n4_req = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
						     "fivegs_smffunction_sm_n4sessionestabreq",
						     "PFCP Session Establishment Requests", NULL));
	m->n4_fail = sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER,
						      "fivegs_smffunction_sm_n4sessionestabfail",
						      "PFCP Session Establishments failed", NULL));
	struct sen_metric *ue_addr =
	    sen_metric_new(SEN_METRIC_GAUGE, "sen_smf_ue_addresses",
			   "UE IPv4 addresses / IPv6 /64 prefixes in use, all DNNs", "family");
	m->addr4 = sen_metric_series(ue_addr, (const char *[]){"ipv4"});
	m->addr6 = sen_metric_series(ue_addr, (const char *[]){"ipv6"});
	m->quarantined = sen_metric_single(sen_metric_new(
	    SEN_METRIC_GAUGE, "sen_smf_ue_addresses_quarantined",
	    "UP sessions whose Session Deletion the UPF left unanswered: their UE addresses are "
	    "kept out of the pool until it answers or restarts",
	    NULL));
}

/* The sbi address of another section of the same file (static peers without an NRF). */
static void peer_authority(struct sen_config *cfg, const struct sen_cfg_node *sec, char *out,
			   size_t cap)
{
	static const struct sen_cfg_field f[] = {
	    {.key = "sbi", .kind = SEN_CFG_ADDR, .offset = 0, .size = sizeof(struct sen_cfg_addr)},
	    SEN_CFG_END,
	};
	const struct sen_cfg_node *sbi = sen_cfg_map_get(sec, "sbi");
	struct sen_cfg_pair pair;
	struct sen_cfg_node tmp;
	struct sen_cfg_addr a;
	char host[64], err[SEN_CFG_ERR_MAX];

	out[0] = '\0';
	if (!sbi)
		return;
	tmp = *sec;
	pair = (struct sen_cfg_pair){.key = "sbi", .line = sbi->line, .value = sbi};
	tmp.count = 1;
	tmp.pairs = &pair;
	memset(&a, 0, sizeof(a));
	if (sen_cfg_bind(cfg, &tmp, "peer", f, &a, err, sizeof(err)) == 0 && a.len)
		sen_cfg_addr_text(&a, host, sizeof(host), out, cap);
}

static int smf_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct smf *smf = calloc(1, sizeof(*smf));
	int rc;

	*state = NULL;
	if (!smf) {
		snprintf(err, errlen, "smf: out of memory");
		return -SEN_ENOMEM;
	}
	smf->loop = env->loop;
	smf->config = env->cfg;
	smf->n4_fd = -1;
	if ((rc = smf_cfg_bind(env->cfg, &smf->c, err, errlen)) < 0)
		goto fail;
	sen_cfg_addr_text(&smf->c.sbi, smf->sbi_addr, sizeof(smf->sbi_addr), smf->authority,
			  sizeof(smf->authority));
	snprintf(smf->api_root, sizeof(smf->api_root), "http://%s", smf->authority);
	inet_ntop(AF_INET, &smf->c.pfcp.in.sin_addr, smf->pfcp_addr, sizeof(smf->pfcp_addr));
	rc = -SEN_ENOMEM;
	smf->tx = calloc(1, sizeof(*smf->tx));
	smf->rx = calloc(1, sizeof(*smf->rx));
	if (!smf->tx || !smf->rx || sen_hash_new(&smf->by_ref) < 0 ||
	    sen_hash_new(&smf->by_psi) < 0 || sen_hash_new(&smf->n4_xacts) < 0) {
		snprintf(err, errlen, "smf: out of memory");
		goto fail;
	}
	for (size_t i = 0; i < smf->c.n_dnn; i++) {
		struct smf_dnn *d = &smf->dnn[i];
		const struct smf_dnn_cfg *dc = &smf->c.dnn[i];
		d->cfg = dc;
		rc =
		    smf_ippool_init(&d->pool, ntohl(dc->ipv4_pool.ip.v4.s_addr), dc->ipv4_pool.len);
		if (rc < 0) {
			snprintf(err, errlen, "smf.dnn[%zu].ipv4_pool: %s", i, sen_strerror(rc));
			goto fail;
		}
		smf->n_dnn = i + 1;
		if (dc->ipv6_prefix.ip.family == AF_INET6) {
			rc = smf_ip6pool_init(&d->pool6, dc->ipv6_prefix.ip.v6.s6_addr,
					      dc->ipv6_prefix.len);
			if (rc < 0) {
				snprintf(err, errlen,
					 "smf.dnn[%zu].ipv6_prefix: %s (give the prefix without "
					 "host bits, /64 or shorter)",
					 i, sen_strerror(rc));
				goto fail;
			}
		}
		for (size_t k = 0; k < dc->n_dns; k++)
			if (dc->dns[k].family == AF_INET)
				memcpy(d->dns[d->n_dns4++], &dc->dns[k].v4, 4);
			else if (dc->dns[k].family == AF_INET6)
				memcpy(d->dns6[d->n_dns6++], dc->dns[k].v6.s6_addr, 16);
		d->mtu[0] = (uint8_t)(dc->mtu >> 8);
		d->mtu[1] = (uint8_t)dc->mtu;
	}
	for (size_t i = 0; i < smf->c.n_upf; i++) {
		struct smf_upf *u = &smf->upf[i];
		u->smf = smf;
		u->cfg = &smf->c.upf[i];
		inet_ntop(AF_INET, &u->cfg->pfcp.in.sin_addr, u->name, sizeof(u->name));
	}
	smf->n_upf = smf->c.n_upf;
	if (env->cfg->global.udm)
		peer_authority(env->cfg, env->cfg->global.udm, smf->udm_authority,
			       sizeof(smf->udm_authority));
	if (env->cfg->global.amf)
		peer_authority(env->cfg, env->cfg->global.amf, smf->amf_authority,
			       sizeof(smf->amf_authority));
	if (sen_config_section(env->cfg, "nrf")) {
		if ((rc = sen_nrf_cfg_bind(env->cfg, &smf->nrf_cfg, err, errlen)) < 0)
			goto fail;
		smf->have_nrf = true;
	}
	if (sen_nf_uuid_v4(smf->nf_instance_id) < 0) {
		snprintf(err, errlen, "smf: no random numbers for the NF instance id");
		rc = -SEN_EIO;
		goto fail;
	}
	metrics_init(smf);
	*state = smf;
	return 0;
fail:
	smf_free(smf);
	return rc;
}

static int smf_start(void *state, char *err, size_t errlen)
{
	struct smf *smf = state;
	int rc;

	if ((rc = smf_n4_open(smf, err, errlen)) < 0)
		return rc;
	if ((rc = smf_sbi_start(smf, err, errlen)) < 0)
		return rc;
	smf_n4_start_associations(smf);
	smf_update_gauges(smf);
	sen_log_info(SMF_LOG, "Nsmf on %s, N4 on %s:%u, %zu DNN%s, %zu UPF%s%s", smf->authority,
		     smf->pfcp_addr, ntohs(smf->c.pfcp.in.sin_port), smf->n_dnn,
		     smf->n_dnn == 1 ? "" : "s", smf->n_upf, smf->n_upf == 1 ? "" : "s",
		     smf->have_nrf ? ", registering with the NRF" : "");
	return 0;
}

static void free_sessions(struct smf *smf)
{
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	if (!smf->by_ref)
		return;
	sen_hash_iter_init(&it, smf->by_ref);
	while (sen_hash_iter_next(&it, &k, &kl, &v))
		smf_sess_free(v);
}

static void smf_stop(void *state)
{
	struct smf *smf = state;

	smf->stopping = true;
	smf_sbi_stop(smf);
}

static void smf_free(void *state)
{
	struct smf *smf = state;

	if (!smf)
		return;
	free_sessions(smf);
	smf_n4_close(smf);
	smf_sbi_free(smf);
	for (size_t i = 0; i < smf->n_dnn; i++) {
		smf_ippool_free(&smf->dnn[i].pool);
		smf_ip6pool_free(&smf->dnn[i].pool6);
	}
	sen_hash_free(smf->by_ref);
	sen_hash_free(smf->by_psi);
	sen_hash_free(smf->n4_xacts);
	free(smf->tx);
	free(smf->rx);
	free(smf);
}

static const char *smf_metrics_addr(void *state)
{
	return ((struct smf *)state)->sbi_addr;
}

/* Check the smf section without side effects (see nf.h): bind into scratch memory. */
static int smf_bind_any(struct sen_config *cfg, void *out, char *err, size_t errlen)
{
	return smf_cfg_bind(cfg, out, err, errlen);
}

static int smf_check(struct sen_config *cfg, char *err, size_t errlen)
{
	return sen_nf_check_bind(cfg, sizeof(struct smf_cfg), smf_bind_any, err, errlen);
}

const struct sen_nf_module sen_smf_module = {
    .name = "smf",
    .init = smf_init,
    .start = smf_start,
    .stop = smf_stop,
    .free = smf_free,
    .metrics_addr = smf_metrics_addr,
    .check = smf_check,
};
