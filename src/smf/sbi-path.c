/*
 * The SMF as an SBI consumer and the NRF registration:
 *
 * - Nudm-SDM Get sm-data (TS 29.503 5.2.2.2.5, 6.1.3.7: GET /nudm-sdm/v2/{supi}/sm-data
 *   ?single-nssai=…&dnn=…) for the subscribed 5QI, ARP, session AMBR and static address;
 * - Namf-Communication N1N2MessageTransfer (TS 29.518 5.2.2.3.1, 6.1.3.5.3.1: POST
 *   /namf-comm/v1/ue-contexts/{ueContextId}/n1-n2-messages) with the N1 SM message and the
 *   N2 SM information as multipart/related (6.1.2.4);
 * - SmContextStatusNotification (TS 29.502 5.2.2.5) to the AMF's smContextStatusUri;
 * - NFRegister with the NRF (TS 29.510): type SMF, service nsmf-pdusession, smfInfo with
 *   sNssaiSmfInfoList / dnnList. UDM and AMF are named by NF type only: with an nrf section
 *   they are discovered (TS 29.510 5.3.2.2); without one, or when the NRF knows none, a
 *   target of type UDM or AMF goes to udm.sbi / amf.sbi of the same sen.yaml.
 */
#include "context.h"
#include "multipart.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

static int send_typed(struct smf *smf, const char *nf_type, const char *service, const char *supi,
		      struct sen_sbi_msg *req, sen_sbi_response_fn cb, void *arg,
		      struct sen_sbi_xact **x)
{
	struct sen_sbi_target t = {.nf_type = nf_type, .service = service, .hint = supi};

	sen_sbi_msg_set_header(req, "accept", "application/json, application/problem+json");
	return sen_sbi_client_request(smf->client, &t, req, 0, cb, arg, x);
}

int smf_udm_get_sm_data(struct smf_sess *s, sen_sbi_response_fn cb)
{
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_GET, "/nudm-sdm/v2/%s/sm-data", s->supi);
	cJSON *j = smf_snssai_json(&s->snssai);
	char *nssai = j ? cJSON_PrintUnformatted(j) : NULL;
	int rc;

	cJSON_Delete(j);
	if (!req || !nssai) {
		free(nssai);
		sen_sbi_msg_free(req);
		return -SEN_ENOMEM;
	}
	sen_sbi_msg_add_query(req, "single-nssai", nssai);
	sen_sbi_msg_add_query(req, "dnn", s->dnn_name);
	free(nssai);
	rc = send_typed(s->smf, "UDM", "nudm-sdm", s->supi, req, cb, s, &s->sbi_x);
	if (rc < 0)
		s->sbi_x = NULL;
	return rc;
}

/* Set the body of m: JSON alone, or multipart/related with the binary parts. */
static int set_parts(struct sen_sbi_msg *m, const cJSON *json, const uint8_t *n1, size_t n1len,
		     const uint8_t *n2, size_t n2len)
{
	struct smf_mp_out parts[3];
	size_t np = 1, blen;
	uint8_t *body;
	char *text, ctype[160];
	int rc;

	if (!n1 && !n2)
		return sen_sbi_msg_set_json(m, json, NULL);
	if (!(text = cJSON_PrintUnformatted(json)))
		return -SEN_ENOMEM;
	parts[0] = (struct smf_mp_out){SMF_MT_JSON, NULL, (const uint8_t *)text, strlen(text)};
	if (n1)
		parts[np++] = (struct smf_mp_out){SMF_MT_NAS, "n1msg", n1, n1len};
	if (n2)
		parts[np++] = (struct smf_mp_out){SMF_MT_NGAP, "n2msg", n2, n2len};
	rc = smf_mp_build(parts, np, &body, &blen, ctype, sizeof(ctype));
	free(text);
	if (rc < 0)
		return rc;
	rc = sen_sbi_msg_set_body(m, body, blen, ctype);
	free(body);
	return rc;
}

int smf_respond_parts(struct sen_sbi_stream *st, int status, const cJSON *json,
		      const char *location, const uint8_t *n1, size_t n1len, const uint8_t *n2,
		      size_t n2len)
{
	struct sen_sbi_msg *rsp = sen_sbi_response_new(status);

	if (!rsp)
		return sen_sbi_stream_respond_status(st, 500);
	if (location)
		sen_sbi_msg_set_header(rsp, "location", location);
	if (json)
		set_parts(rsp, json, n1, n1len, n2, n2len);
	return sen_sbi_stream_respond(st, rsp);
}

int smf_amf_n1n2(struct smf_sess *s, const uint8_t *n1, size_t n1len, const uint8_t *n2,
		 size_t n2len, const char *ngap_ie_type, sen_sbi_response_fn cb)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(
	    SEN_SBI_POST, "/namf-comm/v1/ue-contexts/%s/n1-n2-messages", s->supi);
	cJSON *j = cJSON_CreateObject(), *c, *sm, *info;
	int rc = -SEN_ENOMEM;

	/* TS 29.518 6.1.6.2.x N1N2MessageTransferReqData */
	if (!req || !j || !cJSON_AddNumberToObject(j, "pduSessionId", s->psi))
		goto out;
	if (n1) {
		if (!(c = cJSON_AddObjectToObject(j, "n1MessageContainer")) ||
		    !cJSON_AddStringToObject(c, "n1MessageClass", "SM") ||
		    !(info = cJSON_AddObjectToObject(c, "n1MessageContent")) ||
		    !cJSON_AddStringToObject(info, "contentId", "n1msg"))
			goto out;
	}
	if (n2) {
		if (!(c = cJSON_AddObjectToObject(j, "n2InfoContainer")) ||
		    !cJSON_AddStringToObject(c, "n2InformationClass", "SM") ||
		    !(sm = cJSON_AddObjectToObject(c, "smInfo")) ||
		    !cJSON_AddNumberToObject(sm, "pduSessionId", s->psi) ||
		    !(info = cJSON_AddObjectToObject(sm, "n2InfoContent")) ||
		    !cJSON_AddStringToObject(info, "ngapIeType", ngap_ie_type) ||
		    !(info = cJSON_AddObjectToObject(info, "ngapData")) ||
		    !cJSON_AddStringToObject(info, "contentId", "n2msg"))
			goto out;
		cJSON_AddItemToObject(sm, "sNssai", smf_snssai_json(&s->snssai));
	}
	if ((rc = set_parts(req, j, n1, n1len, n2, n2len)) < 0)
		goto out;
	cJSON_Delete(j);
	rc = send_typed(s->smf, "AMF", "namf-comm", s->supi, req, cb, s, &s->sbi_x);
	if (rc < 0)
		s->sbi_x = NULL;
	return rc;
out:
	cJSON_Delete(j);
	sen_sbi_msg_free(req);
	return rc;
}

static void on_notify_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	(void)arg;
	if (err < 0)
		sen_log_debug(SMF_LOG, "SM context status notification: %s", sen_strerror(err));
	else if (sen_sbi_msg_status(rsp) >= 300)
		sen_log_debug(SMF_LOG, "SM context status notification answered %d",
			      sen_sbi_msg_status(rsp));
}

void smf_notify_released(struct smf_sess *s)
{
	char auth[128], path[SMF_URI_MAX];
	struct sen_sbi_msg *req;
	cJSON *j, *si;

	/* the AMF's smContextStatusUri, "http://host:port/path" */
	if (sen_sbi_uri_split(s->status_uri, auth, sizeof(auth), path, sizeof(path)) < 0)
		return;
	req = sen_sbi_request_new(SEN_SBI_POST, "%s", path);
	j = cJSON_CreateObject();
	if (req && j && (si = cJSON_AddObjectToObject(j, "statusInfo")) &&
	    cJSON_AddStringToObject(si, "resourceStatus", "RELEASED") &&
	    sen_sbi_msg_set_json(req, j, NULL) == 0) {
		sen_sbi_client_request(s->smf->client, &(struct sen_sbi_target){.authority = auth},
				       req, 0, on_notify_rsp, NULL, NULL);
		req = NULL;
	}
	sen_sbi_msg_free(req);
	cJSON_Delete(j);
}

/* ---------------------------------------------------------------------------------------- */
/* Peers and the NRF.                                                                         */

/* A resolution waiting for the NRF's discovery answer. */
struct resolve {
	struct sen_sbi_xact *x;
	char service[32];
	char fallback[80];
};

static void on_discovered(int err, const cJSON *nf_instances, void *arg)
{
	struct resolve *r = arg;
	const cJSON *p;
	char auth[80];

	if (err == 0)
		cJSON_ArrayForEach(p, nf_instances)
		{
			if (sen_nf_profile_authority(p, r->service, auth, sizeof(auth)) == 0) {
				sen_sbi_xact_resolved(r->x, auth, 0);
				free(r);
				return;
			}
		}
	/* nobody registered (or no NRF answer): the peer of the same sen.yaml, if any */
	if (r->fallback[0])
		sen_sbi_xact_resolved(r->x, r->fallback, 0);
	else
		sen_sbi_xact_resolved(r->x, NULL, err < 0 ? err : -SEN_ENOENT);
	free(r);
}

/*
 * Targets by NF type: NRF discovery (TS 29.510 5.3.2.2) when there is an NRF, else, or when
 * it knows no such NF, udm.sbi / amf.sbi of the same file.
 */
static void resolve(struct sen_sbi_client *c, struct sen_sbi_xact *x,
		    const struct sen_sbi_target *t, void *arg)
{
	struct smf *smf = arg;
	const char *fallback = NULL;
	struct resolve *r;

	(void)c;
	if (t->nf_type && !strcmp(t->nf_type, "UDM") && smf->udm_authority[0])
		fallback = smf->udm_authority;
	else if (t->nf_type && !strcmp(t->nf_type, "AMF") && smf->amf_authority[0])
		fallback = smf->amf_authority;
	if (!smf->nrf || !t->nf_type) {
		sen_sbi_xact_resolved(x, fallback, fallback ? 0 : -SEN_ENOENT);
		return;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		sen_sbi_xact_resolved(x, NULL, -SEN_ENOMEM);
		return;
	}
	r->x = x;
	snprintf(r->service, sizeof(r->service), "%s", t->service ? t->service : "");
	snprintf(r->fallback, sizeof(r->fallback), "%s", fallback ? fallback : "");
	if (sen_nrf_client_discover(smf->nrf,
				    &(struct sen_nrf_query){.nf_type = t->nf_type,
							    .service = t->service,
							    .supi = t->hint},
				    on_discovered, r) < 0)
		on_discovered(-SEN_ENOMEM, NULL, r);
}

static int nrf_start(struct smf *smf, char *err, size_t errlen)
{
	static const char *const services[] = {"nsmf-pdusession"};
	const char *dnns[SMF_MAX_DNN];
	cJSON *profile = NULL;
	char nrf_auth[64];
	int rc;

	for (size_t i = 0; i < smf->n_dnn; i++)
		dnns[i] = smf->dnn[i].cfg->name;
	rc = sen_nf_profile_build(
	    &(struct sen_nf_profile_desc){
		.nf_instance_id = smf->nf_instance_id,
		.nf_type = "SMF",
		.sbi = &smf->c.sbi,
		.plmns = &smf->config->global.plmn,
		.n_plmns = 1,
		.snssais = smf->c.slices,
		.n_snssais = smf->c.n_slices,
		.services = services,
		.n_services = 1,
		.dnns = dnns,
		.n_dnns = smf->n_dnn,
	    },
	    &profile);
	if (rc < 0) {
		snprintf(err, errlen, "smf: cannot build the NFProfile: %s", sen_strerror(rc));
		return rc;
	}
	rc = sen_nrf_client_new(
	    smf->loop, smf->client,
	    &(struct sen_nrf_client_opts){
		.nrf = sen_nrf_addr_authority(&smf->nrf_cfg.sbi, nrf_auth, sizeof(nrf_auth)),
		.profile = profile,
		.no_resolver = true, /* resolve() asks it, with a fallback */
	    },
	    &smf->nrf);
	cJSON_Delete(profile);
	if (rc == 0)
		rc = sen_nrf_client_start(smf->nrf);
	if (rc < 0)
		snprintf(err, errlen, "smf: cannot start the NRF client: %s", sen_strerror(rc));
	return rc;
}

int smf_sbi_start(struct smf *smf, char *err, size_t errlen)
{
	uint16_t port = smf->c.sbi.sa.sa_family == AF_INET6 ? ntohs(smf->c.sbi.in6.sin6_port)
							    : ntohs(smf->c.sbi.in.sin_port);
	struct sen_sbi_server_opts so = {.addr = smf->sbi_addr, .port = port};
	int rc;

	rc = sen_sbi_client_new(smf->loop, NULL, &smf->client);
	if (rc == 0)
		rc = sen_sbi_server_new(smf->loop, &so, &smf->srv);
	if (rc == 0)
		rc = smf_nsmf_routes(smf);
	if (rc < 0) {
		snprintf(err, errlen, "smf: cannot set up the SBI: %s", sen_strerror(rc));
		return rc;
	}
	sen_sbi_client_set_resolver(smf->client, resolve, smf);
	rc = sen_sbi_server_start(smf->srv);
	if (rc < 0) {
		snprintf(err, errlen, "smf.sbi: cannot listen on %s: %s", smf->authority,
			 sen_strerror(rc));
		return rc;
	}
	if (smf->have_nrf && (rc = nrf_start(smf, err, errlen)) < 0)
		return rc;
	return 0;
}

void smf_sbi_stop(struct smf *smf)
{
	if (smf->nrf)
		sen_nrf_client_stop(smf->nrf);
	sen_sbi_server_stop(smf->srv);
}

void smf_sbi_free(struct smf *smf)
{
	sen_nrf_client_free(smf->nrf);
	smf->nrf = NULL;
	sen_sbi_server_free(smf->srv);
	smf->srv = NULL;
	sen_sbi_client_free(smf->client);
	smf->client = NULL;
}
