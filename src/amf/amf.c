/*
 * sen-amf module: init (bind the `amf` section, build the context), start (SBI client and
 * callback server, NGAP endpoint), stop, free (src/common/nf.h).
 */
#include "amf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "crypto/kdf.h"
#include "metrics.h"
#include "ngap.h"
#include "sbi-path.h"
#include "sbi/client.h"

static int amf_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct amf *amf = calloc(1, sizeof(*amf));
	const struct sen_cfg_plmn *p = &env->cfg->global.plmn;
	int rc;

	if (!amf) {
		snprintf(err, errlen, "amf: out of memory");
		return -SEN_ENOMEM;
	}
	amf->loop = env->loop;
	amf->file = env->cfg;
	if ((rc = amf_config_bind(env->cfg, &amf->cfg, err, errlen)) < 0)
		goto fail;
	if (sen_config_section(env->cfg, "nrf")) {
		if ((rc = sen_nrf_cfg_bind(env->cfg, &amf->nrf_cfg, err, errlen)) < 0)
			goto fail;
		amf->have_nrf = true;
	}
	snprintf(amf->nas_plmn.mcc, sizeof(amf->nas_plmn.mcc), "%s", p->mcc);
	snprintf(amf->nas_plmn.mnc, sizeof(amf->nas_plmn.mnc), "%s", p->mnc);
	if ((rc = sen_ngap_plmn_encode(p->mcc, p->mnc, amf->plmn)) < 0 ||
	    (rc = sen_kdf_snn(p->mcc, p->mnc, amf->snn, sizeof(amf->snn))) < 0) {
		snprintf(err, errlen, "%s: plmn: not usable by the AMF", env->cfg->file);
		goto fail;
	}
	if ((rc = amf_context_init(amf)) < 0 || (rc = amf_metrics_init()) < 0) {
		snprintf(err, errlen, "amf: %s", sen_strerror(rc));
		goto fail;
	}
	*state = amf;
	return 0;
fail:
	amf_context_fini(amf);
	free(amf);
	return rc < 0 ? rc : -SEN_ECONFIG;
}

static int amf_start(void *state, char *err, size_t errlen)
{
	struct amf *amf = state;
	int rc;

	if ((rc = amf_sbi_start(amf, err, errlen)) < 0)
		return rc;
	if ((rc = amf_ngap_start(amf, err, errlen)) < 0)
		return rc;
	sen_log_info("amf", "GUAMI %s-%s region %u set %u pointer %u, %zu TAC(s), %zu slice(s), "
		     "instance %s%s",
		     amf->nas_plmn.mcc, amf->nas_plmn.mnc, amf->cfg.guami.region,
		     amf->cfg.guami.set, amf->cfg.guami.pointer, amf->cfg.n_tac, amf->cfg.n_slices,
		     amf->instance_id, amf->have_nrf ? ", registering with the NRF" : "");
	return 0;
}

static void amf_stop(void *state)
{
	struct amf *amf = state;

	amf->stopping = true; /* SM contexts stay at the SMFs */
	amf_ngap_stop(amf);
	amf_sbi_stop(amf);
}

static void amf_free(void *state)
{
	struct amf *amf = state;

	if (!amf)
		return;
	amf->stopping = true;
	amf_ngap_stop(amf);
	amf_context_fini(amf);
	sen_nrf_client_free(amf->nrf);
	amf->nrf = NULL;
	sen_sbi_client_free(amf->sbi);
	amf_sbi_stop(amf);
	free(amf);
}

static const char *amf_metrics_addr(void *state)
{
	static char ip[64];
	struct amf *amf = state;
	struct sen_cfg_ip x = {0};

	if (amf->cfg.sbi.sa.sa_family == AF_INET6) {
		x.family = AF_INET6;
		x.v6 = amf->cfg.sbi.in6.sin6_addr;
	} else {
		x.family = AF_INET;
		x.v4 = amf->cfg.sbi.in.sin_addr;
	}
	return sen_cfg_ip_str(&x, ip, sizeof(ip));
}

/* Check the amf section without side effects (see nf.h): bind into scratch memory. */
static int amf_bind_any(struct sen_config *cfg, void *out, char *err, size_t errlen)
{
	return amf_config_bind(cfg, out, err, errlen);
}

static int amf_check(struct sen_config *cfg, char *err, size_t errlen)
{
	return sen_nf_check_bind(cfg, sizeof(struct amf_config), amf_bind_any, err, errlen);
}

const struct sen_nf_module sen_amf_module = {
	.name = "amf",
	.init = amf_init,
	.start = amf_start,
	.stop = amf_stop,
	.free = amf_free,
	.metrics_addr = amf_metrics_addr,
	.check = amf_check,
};
