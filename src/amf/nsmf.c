/*
 * sen-amf towards the SMF:
 *
 * - Nsmf_PDUSession consumer (TS 29.502 5.2.2; TS 23.502 4.3.2.2.1, 4.3.4.2, 4.2.6):
 *     POST /nsmf-pdusession/v1/sm-contexts            SmContextCreateData + N1 (multipart)
 *          201 + Location = the SM context, or SmContextCreateError {error, n1SmMsg?}
 *     POST {smContextRef}/modify                       SmContextUpdateData: n1SmMsg, or
 *          n2SmInfo + n2SmInfoType, or upCnxState DEACTIVATED; the 200 SmContextUpdatedData
 *          may carry N1 / N2 for the UE and the gNB (UE-requested release)
 *     POST {smContextRef}/release                      SmContextReleaseData
 *   The SMF is chosen by DNN and S-NSSAI (sbi-path.c resolver). A failed create or update
 *   returns the UE's 5GSM message with 5GMM #90 / #91 (TS 24.501 5.4.5.2.5).
 * - Namf_Communication producer: N1N2MessageTransfer (TS 29.518 5.2.2.3.1, 6.1.3.5.3.1)
 *     POST /namf-comm/v1/ue-contexts/{ueContextId}/n1-n2-messages
 *          N1N2MessageTransferReqData {n1MessageContainer, n2InfoContainer, pduSessionId}
 *          -> 200 N1N2MessageTransferRspData {cause N1_N2_TRANSFER_INITIATED}; 404 unknown UE;
 *          409 while a registration runs; 504 UE_NOT_REACHABLE in CM-IDLE (no paging yet)
 * - the SM context status notification (TS 29.502 5.2.2.5) to the smContextStatusUri we
 *   give: POST /namf-callback/v1/{supi}/sm-context-status/{psi} -> 204.
 *
 * Each Nsmf request is a `struct amf_smcall` owned by the UE (cancelled when the UE goes);
 * releases are sent without one, so they outlive the UE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "gmm.h"
#include "multipart.h"
#include "sbi-path.h"
#include "sbi/sbi.h"

#define BASE "/nsmf-pdusession/v1/sm-contexts"

enum smcall_op { OP_CREATE = 1, OP_UPDATE_N1, OP_UPDATE_N2, OP_DEACTIVATE };

struct amf_smcall {
	struct amf_ue *ue;
	struct amf_smcall *next, *prev;
	struct sen_sbi_xact *xact;
	uint8_t psi, op;
	size_t n1len;
	uint8_t n1[]; /* the UE's N1 SM message (returned to it if not forwarded) */
};

static const char *const op_names[] = {"", "create", "update (N1)", "update (N2)", "deactivate"};

static struct amf_smcall *call_new(struct amf_ue *ue, uint8_t psi, uint8_t op, const uint8_t *n1,
				   size_t n1len)
{
	struct amf_smcall *c = calloc(1, sizeof(*c) + (n1 ? n1len : 0));

	if (!c)
		return NULL;
	c->ue = ue;
	c->psi = psi;
	c->op = op;
	if (n1) {
		memcpy(c->n1, n1, n1len);
		c->n1len = n1len;
	}
	c->next = ue->smcalls;
	if (ue->smcalls)
		ue->smcalls->prev = c;
	ue->smcalls = c;
	return c;
}

static void call_unlink(struct amf_smcall *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else if (c->ue->smcalls == c)
		c->ue->smcalls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
}

static void forget(struct amf_ue *ue, uint8_t psi)
{
	amf_sess_free(ue, psi);
}

/* The request could not be completed (err < 0: not sent / no answer; else the status). */
static void call_failed(struct amf_smcall *c, int err, int status)
{
	struct amf_ue *ue = c->ue;

	sen_log_ue_info("nsmf", ue->tag, "PDU session %u: %s failed: %s%d", c->psi, op_names[c->op],
			err < 0 ? sen_strerror(err) : "HTTP ", err < 0 ? 0 : status);
	switch (c->op) {
	case OP_CREATE:
		/* TS 24.501 5.4.5.2.5: the 5GSM message goes back to the UE, #91 when no SMF
		 * serves the DNN on the slice, #90 otherwise. */
		gmm_sess_return_n1(ue, c->psi, c->n1, c->n1len, err == -SEN_ERANGE ? 91 : 90);
		forget(ue, c->psi);
		break;
	case OP_UPDATE_N1:
		gmm_sess_return_n1(ue, c->psi, c->n1, c->n1len, 90);
		/* fallthrough */
	default:
		if (status == 404) /* the SMF has no such context any more */
			forget(ue, c->psi);
		break;
	}
}

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg);

/* Send req for call c to `target`; on failure handle it now and free c. */
static void call_send(struct amf_smcall *c, const struct sen_sbi_target *t, struct sen_sbi_msg *req)
{
	struct amf *amf = c->ue->amf;
	int rc = -SEN_ENOMEM;

	if (req) {
		sen_sbi_msg_set_header(
		    req, "accept", "application/json, multipart/related, application/problem+json");
		rc = sen_sbi_client_request(amf->sbi, t, req, amf->cfg.sbi_timeout, on_answer, c,
					    &c->xact);
	}
	if (rc < 0) {
		c->xact = NULL;
		call_unlink(c);
		call_failed(c, rc, 0);
		free(c);
	}
}

static cJSON *snssai_json(const struct sen_nas_snssai *s)
{
	struct sen_cfg_slice sl = {.sst = s->sst, .sd = s->len >= 4 ? s->sd : SEN_CFG_SD_NONE};
	return sen_nf_snssai_json(&sl);
}

static void plmn_json(const struct amf *amf, cJSON *o, const char *name)
{
	cJSON *p = cJSON_AddObjectToObject(o, name);
	if (p) {
		cJSON_AddStringToObject(p, "mcc", amf->nas_plmn.mcc);
		cJSON_AddStringToObject(p, "mnc", amf->nas_plmn.mnc);
	}
}

/* TS 29.571 UserLocation {nrLocation {tai {plmnId, tac}, ncgi {plmnId, nrCellId}}}. */
static void location_json(const struct amf_ue *ue, cJSON *o)
{
	cJSON *loc = cJSON_AddObjectToObject(o, "ueLocation"), *nr, *tai, *ncgi, *p;
	char hex[16];

	if (!loc || !(nr = cJSON_AddObjectToObject(loc, "nrLocation")) ||
	    !(tai = cJSON_AddObjectToObject(nr, "tai")) ||
	    !(ncgi = cJSON_AddObjectToObject(nr, "ncgi")))
		return;
	if ((p = cJSON_AddObjectToObject(tai, "plmnId"))) {
		cJSON_AddStringToObject(
		    p, "mcc", ue->tai.plmn.mcc[0] ? ue->tai.plmn.mcc : ue->amf->nas_plmn.mcc);
		cJSON_AddStringToObject(
		    p, "mnc", ue->tai.plmn.mnc[0] ? ue->tai.plmn.mnc : ue->amf->nas_plmn.mnc);
	}
	snprintf(hex, sizeof(hex), "%06x", ue->tai.tac & 0xffffffu);
	cJSON_AddStringToObject(tai, "tac", hex);
	plmn_json(ue->amf, ncgi, "plmnId");
	snprintf(hex, sizeof(hex), "%09llx", (unsigned long long)(ue->nr_cell_id & 0xfffffffffull));
	cJSON_AddStringToObject(ncgi, "nrCellId", hex);
}

/* ---- Create SM Context ---- */

void amf_nsmf_create(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t len)
{
	struct amf *amf = ue->amf;
	struct amf_sess *s = amf_sess_get(ue, psi); /* gmm-sess.c made it */
	struct sen_cfg_slice sl = {.sst = s->snssai.sst,
				   .sd = s->snssai.len >= 4 ? s->snssai.sd : SEN_CFG_SD_NONE};
	struct amf_smf_hint hint = {.dnn = s->dnn, .snssai = &sl};
	struct sen_sbi_target t = {.nf_type = "SMF", .service = "nsmf-pdusession", .hint = &hint};
	struct amf_smcall *c = ue->supi ? call_new(ue, psi, OP_CREATE, n1, len) : NULL;
	struct sen_sbi_msg *req = NULL;
	cJSON *j = cJSON_CreateObject(), *r;
	char uri[sizeof(amf->sbi_authority) + SEN_SUPI_MAX + 64];

	if (!c) {
		cJSON_Delete(j);
		gmm_sess_return_n1(ue, psi, n1, len, 90);
		forget(ue, psi);
		return;
	}
	/* TS 29.502 6.1.6.2.2 SmContextCreateData */
	snprintf(uri, sizeof(uri), "http://%s/namf-callback/v1/%s/sm-context-status/%u",
		 amf->sbi_authority, ue->supi, psi);
	if (j && cJSON_AddStringToObject(j, "supi", ue->supi) &&
	    cJSON_AddNumberToObject(j, "pduSessionId", psi) &&
	    cJSON_AddStringToObject(j, "dnn", s->dnn) &&
	    cJSON_AddItemToObject(j, "sNssai", snssai_json(&s->snssai)) &&
	    cJSON_AddStringToObject(j, "servingNfId", amf->instance_id) &&
	    cJSON_AddStringToObject(j, "requestType", "INITIAL_REQUEST") &&
	    (r = cJSON_AddObjectToObject(j, "n1SmMsg")) &&
	    cJSON_AddStringToObject(r, "contentId", "n1msg") &&
	    cJSON_AddStringToObject(j, "anType", "3GPP_ACCESS") &&
	    cJSON_AddStringToObject(j, "ratType", "NR") &&
	    cJSON_AddStringToObject(j, "smContextStatusUri", uri)) {
		char pei[32];
		if (ue->imeisv[0]) {
			snprintf(pei, sizeof(pei), "imeisv-%s", ue->imeisv);
			cJSON_AddStringToObject(j, "pei", pei);
		}
		amf_sbi_guami_json(amf, j);
		plmn_json(amf, j, "servingNetwork");
		location_json(ue, j);
		req = sen_sbi_request_new(SEN_SBI_POST, BASE);
		if (req && amf_mp_set_body(req, j, n1, len, NULL, 0) < 0) {
			sen_sbi_msg_free(req);
			req = NULL;
		}
	}
	cJSON_Delete(j);
	sen_log_ue_info("nsmf", ue->tag, "PDU session %u: create SM context (dnn %s, sst %u)", psi,
			s->dnn, s->snssai.sst);
	call_send(c, &t, req);
}

/* ---- Update SM Context ---- */

static void update(struct amf_ue *ue, uint8_t psi, uint8_t op, const uint8_t *n1, size_t n1len,
		   const char *n2type, const uint8_t *n2, size_t n2len)
{
	struct amf_sess *s = amf_sess_get(ue, psi);
	struct amf_smcall *c = call_new(ue, psi, op, op == OP_UPDATE_N1 ? n1 : NULL, n1len);
	struct sen_sbi_target t = {0};
	struct sen_sbi_msg *req = NULL;
	char auth[128], path[512];
	cJSON *j = cJSON_CreateObject(), *r;

	if (!c) {
		cJSON_Delete(j);
		if (op == OP_UPDATE_N1)
			gmm_sess_return_n1(ue, psi, n1, n1len, 90);
		return;
	}
	if (j && s && s->has_ref && sen_sbi_uri_split(s->ref, auth, sizeof(auth), path, sizeof(path)) == 0) {
		/* TS 29.502 6.1.6.2.4 SmContextUpdateData */
		if (n1 && (r = cJSON_AddObjectToObject(j, "n1SmMsg")))
			cJSON_AddStringToObject(r, "contentId", "n1msg");
		if (n2 && (r = cJSON_AddObjectToObject(j, "n2SmInfo"))) {
			cJSON_AddStringToObject(r, "contentId", "n2msg");
			cJSON_AddStringToObject(j, "n2SmInfoType", n2type);
		}
		if (op == OP_DEACTIVATE)
			cJSON_AddStringToObject(j, "upCnxState", "DEACTIVATED");
		cJSON_AddStringToObject(j, "anType", "3GPP_ACCESS");
		location_json(ue, j);
		t.authority = auth;
		req = sen_sbi_request_new(SEN_SBI_POST, "%s/modify", path);
		if (req && amf_mp_set_body(req, j, n1, n1len, n2, n2len) < 0) {
			sen_sbi_msg_free(req);
			req = NULL;
		}
	}
	cJSON_Delete(j);
	call_send(c, &t, req);
}

void amf_nsmf_update_n1(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t len)
{
	update(ue, psi, OP_UPDATE_N1, n1, len, NULL, NULL, 0);
}

void amf_nsmf_update_n2(struct amf_ue *ue, uint8_t psi, const char *n2type, const uint8_t *n2,
			size_t len)
{
	update(ue, psi, OP_UPDATE_N2, NULL, 0, n2type, n2, len);
}

void amf_nsmf_deactivate(struct amf_ue *ue, uint8_t psi)
{
	update(ue, psi, OP_DEACTIVATE, NULL, 0, NULL, NULL, 0);
}

/* ---- answers ---- */

static void create_answer(struct amf_smcall *c, int status, struct sen_sbi_msg *rsp, const cJSON *j,
			  const struct amf_mp *mp)
{
	struct amf_ue *ue = c->ue;
	struct amf_sess *s = amf_sess_get(ue, c->psi);
	const char *loc = sen_sbi_msg_header(rsp, "location");
	const struct amf_mp_part *n1 = j ? amf_mp_ref(mp, j, "n1SmMsg") : NULL;

	if (status == 201 && !s) {
		/* the routing context went away while the create ran (a status notification) */
		sen_log_ue_info("nsmf", ue->tag, "PDU session %u: SM context %s for no routing "
				"context: ignored", c->psi, loc ? loc : "");
		return;
	}
	if (status == 201 && loc && strlen(loc) < AMF_URI_MAX && strstr(loc, "://")) {
		free(s->ref);
		if (!(s->ref = strdup(loc))) {
			/* no memory: as an SMF failure (#90); the SMF context stays there */
			sen_log_ue_warn("nsmf", ue->tag, "PDU session %u: no memory for %s",
					c->psi, loc);
			call_failed(c, -SEN_ENOMEM, 0);
			return;
		}
		s->has_ref = true;
		sen_log_ue_info("nsmf", ue->tag, "PDU session %u: SM context %s", c->psi, loc);
		if (s->pend_n2) { /* the gNB answered before this 201 arrived */
			uint8_t *n2 = s->pend_n2;
			s->pend_n2 = NULL;
			amf_nsmf_update_n2(ue, c->psi, s->pend_type, n2, s->pend_len);
			free(n2);
		}
		return;
	}
	if (status != 201 && n1) {
		/* SmContextCreateError with the PDU Session Establishment Reject: to the UE */
		sen_log_ue_info("nsmf", ue->tag, "PDU session %u: SMF refused (%d)", c->psi,
				status);
		gmm_sess_deliver(ue, c->psi, n1->data, n1->len, NULL, 0, NULL, NULL);
		forget(ue, c->psi);
		return;
	}
	call_failed(c, 0, status);
}

static void update_answer(struct amf_smcall *c, int status, const cJSON *j, const struct amf_mp *mp)
{
	struct amf_ue *ue = c->ue;
	const struct amf_mp_part *n1 = j ? amf_mp_ref(mp, j, "n1SmMsg") : NULL;
	const struct amf_mp_part *n2 = j ? amf_mp_ref(mp, j, "n2SmInfo") : NULL;
	const char *n2type = j ? sen_nf_json_str(j, "n2SmInfoType") : NULL;

	if (status == 200 || status == 204) {
		if (n1 || (n2 && n2type))
			gmm_sess_deliver(ue, c->psi, n1 ? n1->data : NULL, n1 ? n1->len : 0,
					 n2 && n2type ? n2->data : NULL, n2 && n2type ? n2->len : 0,
					 n2type, NULL);
		return;
	}
	if (n1) { /* SmContextUpdateError with an N1 SM message for the UE */
		gmm_sess_deliver(ue, c->psi, n1->data, n1->len, NULL, 0, NULL, NULL);
		return;
	}
	call_failed(c, 0, status);
}

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct amf_smcall *c = arg;
	struct amf_mp mp;
	cJSON *j = NULL;
	int status;

	c->xact = NULL;
	call_unlink(c); /* whatever happens to the UE now, c is ours */
	if (err < 0) {
		call_failed(c, err, 0);
		free(c);
		return;
	}
	status = sen_sbi_msg_status(rsp);
	if (amf_mp_read(rsp, &j, &mp) < 0)
		j = NULL;
	if (c->op == OP_CREATE)
		create_answer(c, status, rsp, j, &mp);
	else
		update_answer(c, status, j, &mp);
	cJSON_Delete(j);
	free(c);
}

/* ---- Release SM Context ---- */

static void on_released(int err, struct sen_sbi_msg *rsp, void *arg)
{
	(void)arg;
	if (err < 0 || sen_sbi_msg_status(rsp) >= 300)
		sen_log_debug("nsmf", "SM context release: %s %d", err < 0 ? sen_strerror(err) : "",
			      err < 0 ? 0 : sen_sbi_msg_status(rsp));
}

void amf_nsmf_release(struct amf_ue *ue, uint8_t psi, const char *cause)
{
	struct amf_sess *s = amf_sess_get(ue, psi);
	struct sen_sbi_target t = {0};
	struct sen_sbi_msg *req;
	char auth[128], path[512];
	cJSON *j;

	if (!s)
		return;
	if (s->has_ref && sen_sbi_uri_split(s->ref, auth, sizeof(auth), path, sizeof(path)) == 0 &&
	    (req = sen_sbi_request_new(SEN_SBI_POST, "%s/release", path))) {
		/* TS 29.502 6.1.6.2.5 SmContextReleaseData (every member optional) */
		j = cJSON_CreateObject();
		if (j && cause)
			cJSON_AddStringToObject(j, "cause", cause);
		if (j)
			sen_sbi_msg_set_json(req, j, NULL);
		cJSON_Delete(j);
		t.authority = auth;
		sen_log_ue_info("nsmf", ue->tag, "PDU session %u: release SM context", psi);
		sen_sbi_client_request(ue->amf->sbi, &t, req, ue->amf->cfg.sbi_timeout, on_released,
				       NULL, NULL);
	}
	forget(ue, psi);
}

void amf_nsmf_forget_all(struct amf_ue *ue)
{
	for (uint8_t psi = 1; psi <= AMF_MAX_PSI; psi++)
		forget(ue, psi);
}

void amf_nsmf_ue_gone(struct amf_ue *ue)
{
	while (ue->smcalls) {
		struct amf_smcall *c = ue->smcalls;
		call_unlink(c);
		if (c->xact)
			sen_sbi_xact_cancel(c->xact);
		free(c);
	}
	for (uint8_t psi = 1; psi <= AMF_MAX_PSI; psi++) {
		if (!ue->amf->stopping)
			amf_nsmf_release(ue, psi, NULL);
		else
			forget(ue, psi);
	}
}

/* ---- Namf_Communication N1N2MessageTransfer (TS 29.518 5.2.2.3.1) ---- */

static int json_psi(const cJSON *o)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, "pduSessionId") : NULL;

	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble ||
	    v->valueint < 1 || v->valueint > AMF_MAX_PSI)
		return -1;
	return v->valueint;
}

static void on_n1n2(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct amf *amf = arg;
	const char *id = sen_sbi_msg_var(req, "ueContextId"), *cls, *n2type = NULL;
	struct amf_ue *ue = id ? amf_ue_by_supi(amf, id) : NULL;
	const cJSON *n1c, *n2c, *sm = NULL, *content = NULL;
	const struct amf_mp_part *n1 = NULL, *n2 = NULL;
	struct sen_nas_snssai sn = {0}, *snp = NULL;
	struct amf_mp mp;
	cJSON *j = NULL, *ok;
	int psi, rc;

	if (!ue || ue->gone) {
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND", "no UE context");
		return;
	}
	rc = amf_mp_read(req, &j, &mp);
	if (rc == -SEN_ENOTSUP) {
		sen_sbi_stream_respond_error(st, 415, NULL,
					     "expected application/json or multipart/related");
		return;
	}
	if (rc < 0) {
		sen_sbi_stream_respond_bad_json(st, "N1N2MessageTransferReqData expected");
		return;
	}
	/* TS 29.518 6.1.6.2.x N1MessageContainer / N2InfoContainer; only class SM here */
	n1c = cJSON_GetObjectItemCaseSensitive(j, "n1MessageContainer");
	n2c = cJSON_GetObjectItemCaseSensitive(j, "n2InfoContainer");
	if (n1c) {
		cls = sen_nf_json_str(n1c, "n1MessageClass");
		n1 = amf_mp_ref(&mp, n1c, "n1MessageContent");
		if (!cls || strcmp(cls, "SM") || !n1)
			goto bad;
	}
	if (n2c) {
		cls = sen_nf_json_str(n2c, "n2InformationClass");
		sm = cJSON_GetObjectItemCaseSensitive(n2c, "smInfo");
		content = sm ? cJSON_GetObjectItemCaseSensitive(sm, "n2InfoContent") : NULL;
		n2type = content ? sen_nf_json_str(content, "ngapIeType") : NULL;
		n2 = content ? amf_mp_ref(&mp, content, "ngapData") : NULL;
		if (!cls || strcmp(cls, "SM") || !n2 || !n2type)
			goto bad;
		struct sen_cfg_slice sl;
		const cJSON *sj = cJSON_GetObjectItemCaseSensitive(sm, "sNssai");
		if (sj && sen_nf_snssai_parse(sj, &sl) == 0) {
			sn.sst = (uint8_t)sl.sst;
			sn.len = sl.sd == SEN_CFG_SD_NONE ? 1 : 4;
			sn.sd = sl.sd == SEN_CFG_SD_NONE ? 0 : sl.sd;
			snp = &sn;
		}
	}
	psi = json_psi(j);
	if (psi < 0)
		psi = json_psi(sm);
	if ((!n1 && !n2) || psi < 0)
		goto bad;
	if (ue->state == GMM_DEREGISTERED || ue->state == GMM_RELEASING ||
	    ue->state == GMM_DEREG_INITIATED) {
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND",
					     "the UE is not registered");
		goto out;
	}
	if (ue->state != GMM_REGISTERED && ue->state != GMM_WAIT_REG_COMPLETE) {
		sen_sbi_stream_respond_error(st, 409, "TEMPORARY_REJECT_REGISTRATION_ONGOING",
					     NULL);
		goto out;
	}
	if (!ue->gnb) { /* CM-IDLE: paging is not done yet (TS 23.502 4.2.3.3) */
		sen_sbi_stream_respond_error(st, 504, "UE_NOT_REACHABLE", "the UE is in CM-IDLE");
		goto out;
	}
	rc = gmm_sess_deliver(ue, (uint8_t)psi, n1 ? n1->data : NULL, n1 ? n1->len : 0,
			      n2 ? n2->data : NULL, n2 ? n2->len : 0, n2type, snp);
	if (rc == -SEN_ENOTSUP) {
		sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					     "ngapIeType %s is not supported", n2type);
		goto out;
	}
	if (rc < 0) {
		sen_sbi_stream_respond_error(st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE, "%s",
					     sen_strerror(rc));
		goto out;
	}
	ok = cJSON_CreateObject();
	if (ok)
		cJSON_AddStringToObject(ok, "cause", "N1_N2_TRANSFER_INITIATED");
	if (ok)
		sen_sbi_stream_respond_json(st, 200, ok);
	else
		sen_sbi_stream_respond_status(st, 500);
	cJSON_Delete(ok);
	goto out;
bad:
	sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				     "N1N2MessageTransferReqData: a container, its class, its "
				     "binary part or the PDU session ID is missing or wrong");
out:
	cJSON_Delete(j);
}

/* ---- SmContextStatusNotification (TS 29.502 5.2.2.5, 6.1.6.2.8) ---- */

static void on_sm_status(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct amf *amf = arg;
	const char *supi = sen_sbi_msg_var(req, "supi"), *ps = sen_sbi_msg_var(req, "psi");
	struct amf_ue *ue = supi ? amf_ue_by_supi(amf, supi) : NULL;
	int psi = ps ? atoi(ps) : 0;
	const char *status;
	const cJSON *si;
	cJSON *j = NULL;

	if (sen_sbi_msg_json(req, &j) < 0 ||
	    !(si = cJSON_GetObjectItemCaseSensitive(j, "statusInfo")) ||
	    !(status = sen_nf_json_str(si, "resourceStatus"))) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_bad_json(st, "SmContextStatusNotification expected");
		return;
	}
	if (!ue || ue->gone || !amf_sess_get(ue, (unsigned)psi)) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND", "no such PDU session");
		return;
	}
	sen_log_ue_info("nsmf", ue->tag, "PDU session %d: SM context %s", psi, status);
	if (!strcmp(status, "RELEASED"))
		forget(ue, (uint8_t)psi);
	cJSON_Delete(j);
	sen_sbi_stream_respond_status(st, 204);
}

int amf_nsmf_routes(struct amf *amf)
{
	int rc = sen_sbi_server_route(amf->sbi_server, SEN_SBI_POST,
				      "/namf-comm/v1/ue-contexts/{ueContextId}/n1-n2-messages",
				      on_n1n2, amf);
	if (rc == 0)
		rc = sen_sbi_server_route(amf->sbi_server, SEN_SBI_POST,
					  "/namf-callback/v1/{supi}/sm-context-status/{psi}",
					  on_sm_status, amf);
	return rc;
}
