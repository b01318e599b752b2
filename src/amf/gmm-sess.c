/*
 * sen-amf PDU sessions, the 5GMM side (TS 24.501 5.4.5 NAS transport; TS 23.502 4.3.2.2.1
 * establishment, 4.3.4.2 release, 4.2.6 AN release):
 *
 * - UL NAS Transport with payload container type "N1 SM information" (9.11.3.40): with
 *   request type "initial request" a new PDU session routing context is made (S-NSSAI and
 *   DNN chosen as 4.3.2.2.1 step 2 says) and the SMF asked to create an SM context; any
 *   other 5GSM message goes to the SMF of the session's routing context. What cannot be
 *   routed goes back to the UE in DL NAS Transport with 5GMM #90 "payload was not
 *   forwarded" or #91 "DNN not supported or not subscribed in the slice" (5.4.5.2.5).
 * - what the SMF sends for the UE and the gNB (gmm_sess_deliver): DL NAS Transport, PDU
 *   Session Resource Setup Request (TS 38.413 8.2.1) or Release Command (8.2.2);
 * - the gNB's Setup Response / Failure and Release Response go to the SMF as N2 SM
 *   information (TS 29.502 N2SmInfoType PDU_RES_SETUP_RSP / _FAIL / PDU_RES_REL_RSP).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/log.h"
#include "gmm.h"
#include "ngap.h"
#include "sbi-path.h"

/* TS 24.501 9.11.3.2 */
#define CAUSE_PAYLOAD_NOT_FWD  90
#define CAUSE_DNN_NOT_IN_SLICE 91

/* 9.11.3.40 payload container type, 9.11.3.47 request type */
#define PAYLOAD_N1_SM	 1
#define REQ_INITIAL	 1
#define REQ_EXISTING	 2
#define REQ_EMERGENCY	 3
#define REQ_EXISTING_EMG 4

void gmm_sess_return_n1(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t len,
			uint8_t cause)
{
	struct sen_nas_msg m;

	sen_log_ue_info("amf", ue->tag, "PDU session %u: 5GSM message not forwarded: #%u", psi,
			cause);
	sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
	m.dl_nas_transport.payload_container_type = PAYLOAD_N1_SM;
	m.dl_nas_transport.payload_container.p = n1;
	m.dl_nas_transport.payload_container.len = len;
	if (psi) {
		m.dl_nas_transport.has_pdu_session_id = true;
		m.dl_nas_transport.pdu_session_id = psi;
	}
	m.dl_nas_transport.has_cause = true;
	m.dl_nas_transport.cause = cause;
	amf_nas_send(ue, &m);
}

static void copy_dnn(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src); /* every source is a NUL-terminated string */

	if (n > cap - 1)
		n = cap - 1;
	memmove(dst, src, n);
	dst[n] = '\0';
}

static bool same_slice(const struct sen_nas_snssai *a, const struct sen_nas_snssai *b)
{
	uint32_t asd = a->len >= 4 ? a->sd : SEN_CFG_SD_NONE,
		 bsd = b->len >= 4 ? b->sd : SEN_CFG_SD_NONE;
	return a->sst == b->sst && asd == bsd;
}

/*
 * TS 23.502 4.3.2.2.1 step 2: the S-NSSAI is the UE's (one of the allowed NSSAI) or a
 * default one; the DNN is the UE's or the subscription's default DNN for the slice (else
 * amf.default_dnn). Returns 0 or the 5GMM cause to return the message with.
 */
static uint8_t choose(struct amf_ue *ue, const struct sen_nas_ul_nas_transport *ul,
		      struct amf_sess *s)
{
	const struct amf_nssai *allowed = &ue->allowed_nssai;
	char dnn[SEN_NAS_DNN_MAX + 1];
	bool found = false;

	if (ul->has_snssai) {
		for (unsigned i = 0; i < allowed->n && !found; i++)
			found = same_slice(&ul->snssai, &allowed->s[i]);
		if (!found) {
			sen_log_ue_info("amf", ue->tag, "S-NSSAI %u not in the allowed NSSAI",
					ul->snssai.sst);
			return CAUSE_PAYLOAD_NOT_FWD;
		}
		s->snssai = ul->snssai;
	} else if (allowed->n) {
		/* a slice with a subscribed default DNN first, else the first allowed one */
		s->snssai = allowed->s[0];
		for (unsigned i = 0; i < allowed->n && !found; i++)
			for (unsigned k = 0; k < ue->n_sub_dnn && !found; k++)
				if (ue->sub_dnn[k].is_default &&
				    same_slice(&ue->sub_dnn[k].snssai, &allowed->s[i])) {
					s->snssai = allowed->s[i];
					found = true;
				}
	} else {
		return CAUSE_PAYLOAD_NOT_FWD;
	}
	s->snssai.len = s->snssai.len >= 4 ? 4 : 1; /* no mapped S-NSSAI (no roaming) */

	if (ul->has_dnn && ul->dnn.name[0]) {
		bool ok = !ue->has_smf_sel;
		copy_dnn(dnn, sizeof(dnn), ul->dnn.name);
		for (unsigned k = 0; k < ue->n_sub_dnn && !ok; k++)
			ok = same_slice(&ue->sub_dnn[k].snssai, &s->snssai) &&
			     (!strcasecmp(ue->sub_dnn[k].dnn, dnn) ||
			      !strcmp(ue->sub_dnn[k].dnn, "*"));
		if (!ok) {
			sen_log_ue_info("amf", ue->tag, "DNN %s is not subscribed on sst %u", dnn,
					s->snssai.sst);
			return CAUSE_DNN_NOT_IN_SLICE;
		}
	} else {
		copy_dnn(dnn, sizeof(dnn), ue->amf->cfg.default_dnn);
		for (unsigned k = 0; k < ue->n_sub_dnn; k++)
			if (ue->sub_dnn[k].is_default &&
			    same_slice(&ue->sub_dnn[k].snssai, &s->snssai)) {
				copy_dnn(dnn, sizeof(dnn), ue->sub_dnn[k].dnn);
				break;
			}
	}
	if (!(s->dnn = strdup(dnn))) {
		sen_log_ue_warn("amf", ue->tag, "no memory for the PDU session's DNN");
		return CAUSE_PAYLOAD_NOT_FWD;
	}
	return 0;
}

/* TS 24.501 5.4.5.2.2 (network side) and 5.4.5.2.5. */
void gmm_on_ul_nas_transport(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_ul_nas_transport *ul = &ev->nas->ul_nas_transport;
	const uint8_t *n1 = ul->payload_container.p;
	size_t len = ul->payload_container.len;
	uint8_t psi = ul->has_pdu_session_id ? ul->pdu_session_id : 0, cause;
	struct amf_sess *s;

	if (ul->payload_container_type != PAYLOAD_N1_SM) {
		/* SMS, LPP, UE policy … are not served: returned as not forwarded */
		struct sen_nas_msg m;
		sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
		m.dl_nas_transport.payload_container_type = ul->payload_container_type;
		m.dl_nas_transport.payload_container = ul->payload_container;
		m.dl_nas_transport.has_cause = true;
		m.dl_nas_transport.cause = CAUSE_PAYLOAD_NOT_FWD;
		amf_nas_send(ue, &m);
		return;
	}
	if (psi < 1 || psi > AMF_MAX_PSI || !len) {
		gmm_sess_return_n1(ue, psi <= AMF_MAX_PSI ? psi : 0, n1, len,
				   CAUSE_PAYLOAD_NOT_FWD);
		return;
	}
	s = amf_sess_get(ue, psi);
	if (ul->has_request_type &&
	    (ul->request_type == REQ_EMERGENCY || ul->request_type == REQ_EXISTING_EMG)) {
		gmm_sess_return_n1(ue, psi, n1, len, CAUSE_PAYLOAD_NOT_FWD); /* no emergency */
		return;
	}
	if (ul->has_request_type && ul->request_type == REQ_INITIAL) {
		if (s && !s->has_ref) {
			/* the UE repeated its request (T3580) while the create runs */
			sen_log_ue_info("amf", ue->tag, "PDU session %u: create already running",
					psi);
			return;
		}
		if (s) /* TS 23.502 4.3.2.2.1 step 2: the old session is released */
			amf_nsmf_release(ue, psi, "REL_DUE_TO_DUPLICATE_SESSION_ID");
		amf_sess_free(ue, psi);
		if (!(s = amf_sess_new(ue, psi))) {
			sen_log_ue_warn("amf", ue->tag, "PDU session %u: no memory", psi);
			gmm_sess_return_n1(ue, psi, n1, len, CAUSE_PAYLOAD_NOT_FWD);
			return;
		}
		if ((cause = choose(ue, ul, s)) != 0) {
			amf_sess_free(ue, psi);
			gmm_sess_return_n1(ue, psi, n1, len, cause);
			return;
		}
		amf_nsmf_create(ue, psi, n1, len);
		return;
	}
	/* existing PDU session, modification request, or a 5GSM message without request
	 * type (release request / complete, status …): the routing context decides */
	if (!s || !s->has_ref) {
		gmm_sess_return_n1(ue, psi, n1, len, CAUSE_PAYLOAD_NOT_FWD);
		return;
	}
	amf_nsmf_update_n1(ue, psi, n1, len);
}

int gmm_sess_deliver(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t n1len,
		     const uint8_t *n2, size_t n2len, const char *n2type,
		     const struct sen_nas_snssai *snssai)
{
	static const struct sen_nas_snssai no_snssai; /* a PSI without routing context */
	struct amf_sess *s = amf_sess_get(ue, psi);
	uint8_t nas[2048 + 64] = {0};
	int nl = 0, rc;

	if (!n1 && !n2)
		return -SEN_EINVAL;
	if (!ue->gnb)
		return -SEN_ENOENT;
	if (n2 && strcmp(n2type, "PDU_RES_SETUP_REQ") && strcmp(n2type, "PDU_RES_REL_CMD"))
		return -SEN_ENOTSUP;
	if (n1) { /* TS 24.501 8.2.11: the 5GSM message in a DL NAS Transport */
		struct sen_nas_msg m;
		sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
		m.dl_nas_transport.payload_container_type = PAYLOAD_N1_SM;
		m.dl_nas_transport.payload_container.p = n1;
		m.dl_nas_transport.payload_container.len = n1len;
		m.dl_nas_transport.has_pdu_session_id = true;
		m.dl_nas_transport.pdu_session_id = psi;
		if ((nl = amf_nas_build(ue, &m, 0, nas, sizeof(nas))) < 0)
			return nl;
	}
	if (!n2)
		rc = amf_ngap_send_dl_nas(ue, nas, (size_t)nl);
	else if (!strcmp(n2type, "PDU_RES_SETUP_REQ"))
		rc = amf_ngap_send_ps_setup(ue, psi, snssai ? snssai : s ? &s->snssai : &no_snssai,
					    n2, n2len, n1 ? nas : NULL, (size_t)nl);
	else
		rc = amf_ngap_send_ps_release(ue, psi, n2, n2len, n1 ? nas : NULL, (size_t)nl);
	sen_log_ue_debug("amf", ue->tag, "PDU session %u: %s%s%s to the UE", psi, n1 ? "N1" : "",
			 n1 && n2 ? " + " : "", n2 ? n2type : "");
	/* TS 24.501 6.4.1.4: after a PDU Session Establishment Reject there is no session */
	if (n1 && n1len >= 4 && n1[0] == SEN_NAS_EPD_5GSM &&
	    n1[3] == SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT)
		amf_sess_free(ue, psi);
	return rc;
}

void gmm_sess_n2_response(struct amf_ue *ue, uint8_t psi, const char *n2type,
			  const uint8_t *transfer, size_t len)
{
	struct amf_sess *s = amf_sess_get(ue, psi);

	if (!s) {
		sen_log_ue_info("amf", ue->tag, "%s for unknown PDU session %u: ignored", n2type,
				psi);
		return;
	}
	if (!s->has_ref) {
		/* The SMF's 201 is still on its way (see struct amf_sess): keep the answer. */
		uint8_t *copy = len && len <= 65535 ? malloc(len) : NULL;
		if (!copy || strlen(n2type) >= sizeof(s->pend_type)) {
			free(copy);
			sen_log_ue_warn("amf", ue->tag,
					"%s for PDU session %u before its SM context: "
					"dropped",
					n2type, psi);
			return;
		}
		memcpy(copy, transfer, len);
		free(s->pend_n2);
		s->pend_n2 = copy;
		s->pend_len = len;
		snprintf(s->pend_type, sizeof(s->pend_type), "%s", n2type);
		s->an_active = !strcmp(n2type, "PDU_RES_SETUP_RSP");
		sen_log_ue_debug("amf", ue->tag, "%s for PDU session %u held until its SM context",
				 n2type, psi);
		return;
	}
	if (!strcmp(n2type, "PDU_RES_SETUP_RSP"))
		s->an_active = true;
	else
		s->an_active = false;
	amf_nsmf_update_n2(ue, psi, n2type, transfer, len);
}

void gmm_sess_an_released(struct amf_ue *ue)
{
	for (uint8_t psi = 1; psi <= AMF_MAX_PSI; psi++) {
		struct amf_sess *s = amf_sess_get(ue, psi);
		if (s && s->has_ref && s->an_active) {
			s->an_active = false;
			amf_nsmf_deactivate(ue, psi);
		}
	}
}

void gmm_sess_release_all(struct amf_ue *ue)
{
	for (uint8_t psi = 1; psi <= AMF_MAX_PSI; psi++)
		amf_nsmf_release(ue, psi, NULL);
}
