/*
 * sen-amf NGAP builders: one function per message the AMF sends (TS 38.413 9.2), filling
 * lib/ngap's C structs and handing the PDU to ngap-path.c.
 */
#include <string.h>

#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "ngap.h"

#define OCT(p, n) ((struct sen_asn_octets){(const uint8_t *)(p), (uint32_t)(n)})
#define BITS(p, n) ((struct sen_asn_bits){(const uint8_t *)(p), (uint32_t)(n)})

/* Guard on UE Context Release Complete (not a 3GPP timer; TS 38.413 8.3.3 has none). */
#define RELEASE_GUARD_MS 5000

struct guami_bits {
	uint8_t region[1], set[2], pointer[1];
};

static void fill_guami(const struct amf *amf, struct sen_ngap_guami *g, struct guami_bits *b)
{
	const struct amf_config *c = &amf->cfg;

	b->region[0] = c->guami.region;
	b->set[0] = (uint8_t)(c->guami.set >> 2); /* 10 bits, most significant first */
	b->set[1] = (uint8_t)((c->guami.set & 3u) << 6);
	b->pointer[0] = (uint8_t)(c->guami.pointer << 2); /* 6 bits */
	memset(g, 0, sizeof(*g));
	g->plmn = OCT(amf->plmn, 3);
	g->region = BITS(b->region, 8);
	g->set = BITS(b->set, 10);
	g->pointer = BITS(b->pointer, 6);
}

struct slice_bytes {
	uint8_t sst[1], sd[3];
};

static void fill_slice(struct sen_ngap_slice_item *it, struct slice_bytes *b, uint8_t sst,
		       uint32_t sd)
{
	memset(it, 0, sizeof(*it));
	b->sst[0] = sst;
	it->snssai.sst = OCT(b->sst, 1);
	if (sd != SEN_CFG_SD_NONE) {
		b->sd[0] = (uint8_t)(sd >> 16);
		b->sd[1] = (uint8_t)(sd >> 8);
		b->sd[2] = (uint8_t)sd;
		it->snssai.has_sd = true;
		it->snssai.sd = OCT(b->sd, 3);
	}
}

static void fill_cause(struct sen_ngap_cause *c, unsigned kind, uint8_t v)
{
	memset(c, 0, sizeof(*c));
	c->present = kind;
	c->u.value = v;
}

/* TS 38.413 9.2.6.2 NG SETUP RESPONSE; Criticality Diagnostics when the request had IEs
 * ignored with "notify sender" (10.3.4.2, 10.3.5) */
int amf_ngap_send_ng_setup_response(struct amf_gnb *gnb, const struct sen_ngap_crit_diag *diag)
{
	struct amf *amf = gnb->amf;
	struct sen_ngap_ng_setup_response m;
	struct sen_ngap_served_guami_item guami;
	struct guami_bits gb;
	struct sen_ngap_plmn_support_item ps;
	struct sen_ngap_slice_item slices[AMF_MAX_SLICES];
	struct slice_bytes sb[AMF_MAX_SLICES];
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	memset(&guami, 0, sizeof(guami));
	memset(&ps, 0, sizeof(ps));
	m.amf_name = OCT(amf->cfg.name, strlen(amf->cfg.name));
	fill_guami(amf, &guami.guami, &gb);
	m.served_guami_list.items = &guami;
	m.served_guami_list.count = 1;
	m.relative_amf_capacity = amf->cfg.relative_capacity;
	for (size_t i = 0; i < amf->cfg.n_slices; i++)
		fill_slice(&slices[i], &sb[i], amf->cfg.slices[i].sst, amf->cfg.slices[i].sd);
	ps.plmn = OCT(amf->plmn, 3);
	ps.slices.items = slices;
	ps.slices.count = (uint32_t)amf->cfg.n_slices;
	m.plmn_support_list.items = &ps;
	m.plmn_support_list.count = 1;
	if (diag) {
		m.has_criticality_diagnostics = true;
		m.criticality_diagnostics = *diag;
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_SETUP, &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(gnb, 0, &pdu);
}

/* TS 38.413 9.2.6.3 NG SETUP FAILURE / 9.2.6.6 RAN CONFIGURATION UPDATE FAILURE (the same
 * IEs); Time to Wait when ttw (8.7.1.3, 8.7.2.3) */
static int send_setup_failure(struct amf_gnb *gnb, unsigned proc, unsigned kind, uint8_t cause,
			      bool ttw, const struct sen_ngap_crit_diag *diag)
{
	struct sen_ngap_setup_failure m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	fill_cause(&m.cause, kind, cause);
	if (ttw) {
		m.has_time_to_wait = true;
		m.time_to_wait = (uint8_t)gnb->amf->cfg.time_to_wait;
	}
	if (diag) {
		m.has_criticality_diagnostics = true;
		m.criticality_diagnostics = *diag;
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_UNSUCCESSFUL, proc, &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(gnb, 0, &pdu);
}

int amf_ngap_send_ng_setup_failure(struct amf_gnb *gnb, unsigned kind, uint8_t cause,
				   const struct sen_ngap_crit_diag *diag)
{
	return send_setup_failure(gnb, SEN_NGAP_PROC_NG_SETUP, kind, cause, true, diag);
}

/* TS 38.413 9.2.6.5 RAN CONFIGURATION UPDATE ACKNOWLEDGE: its only IE is Criticality
 * Diagnostics (10.3.4.2, 10.3.5) */
int amf_ngap_send_ran_config_update_ack(struct amf_gnb *gnb, const struct sen_ngap_crit_diag *diag)
{
	struct sen_ngap_cd_only m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	if (diag) {
		m.has_criticality_diagnostics = true;
		m.criticality_diagnostics = *diag;
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE,
			      &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(gnb, 0, &pdu);
}

/* TS 38.413 9.2.6.6 RAN CONFIGURATION UPDATE FAILURE. Only clause 10 rejects end the procedure
 * so: no Time to Wait, the gNB may send a corrected update at once. */
int amf_ngap_send_ran_config_update_failure(struct amf_gnb *gnb, unsigned kind, uint8_t cause,
					    const struct sen_ngap_crit_diag *diag)
{
	return send_setup_failure(gnb, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE, kind, cause, false,
				  diag);
}

/* TS 38.413 9.2.6.13 ERROR INDICATION */
int amf_ngap_send_error_indication(struct amf_gnb *gnb, uint16_t stream, int64_t amf_id,
				   int64_t ran_id, unsigned kind, uint8_t cause,
				   const struct sen_ngap_crit_diag *diag)
{
	struct sen_ngap_error_indication m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	if (amf_id >= 0 && ran_id >= 0) { /* 9.2.6.13: both or neither for a UE */
		m.has_amf_ue_ngap_id = true;
		m.amf_ue_ngap_id = (uint64_t)amf_id;
		m.has_ran_ue_ngap_id = true;
		m.ran_ue_ngap_id = (uint32_t)ran_id;
	} else {
		stream = 0;
	}
	m.has_cause = true;
	fill_cause(&m.cause, kind, cause);
	if (diag) {
		m.has_criticality_diagnostics = true;
		m.criticality_diagnostics = *diag;
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(gnb, stream, &pdu);
}

/* TS 38.413 9.2.5.2 DOWNLINK NAS TRANSPORT */
int amf_ngap_send_dl_nas(struct amf_ue *ue, const uint8_t *nas, size_t len)
{
	struct sen_ngap_downlink_nas_transport m;
	struct sen_ngap_pdu pdu;

	if (!ue->gnb)
		return -SEN_ENOENT;
	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = ue->amf_ue_ngap_id;
	m.ran_ue_ngap_id = ue->ran_ue_ngap_id;
	m.nas_pdu = OCT(nas, len);
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT,
			      &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(ue->gnb, ue->stream, &pdu);
}

/* UE security capabilities (9.3.1.86) from the NAS IE (TS 24.501 9.11.3.54): NGAP's first
 * bit is algorithm 1 (NEA1/NIA1); NAS's bit 8 is algorithm 0. */
static void sec_cap_bits(uint8_t nas, uint8_t out[2])
{
	out[0] = (uint8_t)(nas << 1);
	out[1] = 0;
}

/* TS 38.413 9.2.2.1 INITIAL CONTEXT SETUP REQUEST */
int amf_ngap_send_ics_request(struct amf_ue *ue, const uint8_t kgnb[32], const uint8_t *nas,
			      size_t len)
{
	struct amf *amf = ue->amf;
	struct sen_ngap_initial_context_setup_request m;
	struct guami_bits gb;
	/* TS 38.413 9.3.1.31: maxnoofAllowedS-NSSAIs (8) */
	struct sen_ngap_slice_item slices[AMF_MAX_ALLOWED_NSSAI];
	struct slice_bytes sb[AMF_MAX_ALLOWED_NSSAI];
	/* at most AMF_MAX_ALLOWED_NSSAI: add_slice() in gmm-reg.c caps the allowed NSSAI */
	unsigned n_slices = ue->allowed_nssai.n;
	uint8_t nr_enc[2], nr_int[2], eu_enc[2], eu_int[2];
	struct sen_ngap_pdu pdu;
	int rc;

	if (!ue->gnb)
		return -SEN_ENOENT;
	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = ue->amf_ue_ngap_id;
	m.ran_ue_ngap_id = ue->ran_ue_ngap_id;
	fill_guami(amf, &m.guami, &gb);
	if (ue->ambr_dl && ue->ambr_ul) {
		m.has_ue_ambr = true;
		m.ue_ambr.dl = ue->ambr_dl;
		m.ue_ambr.ul = ue->ambr_ul;
	}
	for (unsigned i = 0; i < n_slices; i++)
		fill_slice(&slices[i], &sb[i], ue->allowed_nssai.s[i].sst,
			   ue->allowed_nssai.s[i].len >= 4 ? ue->allowed_nssai.s[i].sd
							   : SEN_CFG_SD_NONE);
	m.allowed_nssai.items = slices;
	m.allowed_nssai.count = n_slices;
	sec_cap_bits(ue->ue_sec_cap.ea, nr_enc);
	sec_cap_bits(ue->ue_sec_cap.ia, nr_int);
	sec_cap_bits(ue->ue_sec_cap.len >= 4 ? ue->ue_sec_cap.eea : 0, eu_enc);
	sec_cap_bits(ue->ue_sec_cap.len >= 4 ? ue->ue_sec_cap.eia : 0, eu_int);
	m.ue_security_capabilities.nr_enc = BITS(nr_enc, 16);
	m.ue_security_capabilities.nr_int = BITS(nr_int, 16);
	m.ue_security_capabilities.eutra_enc = BITS(eu_enc, 16);
	m.ue_security_capabilities.eutra_int = BITS(eu_int, 16);
	m.security_key = BITS(kgnb, 256);
	if (nas && len) {
		m.has_nas_pdu = true;
		m.nas_pdu = OCT(nas, len);
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, &m) < 0)
		return -SEN_EINVAL;
	rc = amf_ngap_send(ue->gnb, ue->stream, &pdu);
	if (rc == 0)
		ue->ics_sent = true;
	return rc;
}

int amf_ngap_send_ue_release_ids(struct amf_gnb *gnb, uint64_t amf_id, uint32_t ran_id,
				 unsigned kind, uint8_t cause)
{
	struct sen_ngap_ue_context_release_command m;
	struct sen_ngap_pdu pdu;
	struct amf_ue *ue;
	uint16_t stream;

	memset(&m, 0, sizeof(m));
	m.ue_ngap_ids.present = SEN_NGAP_IDS_PAIR;
	m.ue_ngap_ids.u.pair.amf_ue_ngap_id = amf_id;
	m.ue_ngap_ids.u.pair.ran_ue_ngap_id = ran_id;
	fill_cause(&m.cause, kind, cause);
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, &m) < 0)
		return -SEN_EINVAL;
	/* TS 38.412 7: a UE's signalling stays on the stream it was given; the first
	 * UE-associated stream when the pair names no UE of ours (any more). */
	ue = amf_ue_by_ran_id(gnb, ran_id);
	if (ue && ue->gnb == gnb && ue->amf_ue_ngap_id == amf_id)
		stream = ue->stream;
	else
		stream = gnb->out_streams > 1 ? 1 : 0;
	return amf_ngap_send(gnb, stream, &pdu);
}

/* TS 38.413 9.2.2.5 UE CONTEXT RELEASE COMMAND */
int amf_ngap_send_ue_release(struct amf_ue *ue, unsigned kind, uint8_t cause)
{
	int rc;

	if (!ue->gnb)
		return -SEN_ENOENT;
	if (ue->release_sent)
		return 0;
	rc = amf_ngap_send_ue_release_ids(ue->gnb, ue->amf_ue_ngap_id, ue->ran_ue_ngap_id, kind,
					  cause);
	ue->release_sent = true;
	sen_timer_start(&ue->release_guard, RELEASE_GUARD_MS);
	if (rc < 0) /* the association cannot carry it: the connection is gone anyway */
		amf_ue_n2_detach(ue);
	return rc;
}

/* TS 38.413 9.2.6.12 NG RESET ACKNOWLEDGE: the partial list is echoed (8.7.4.2.1). */
int amf_ngap_send_ng_reset_ack(struct amf_gnb *gnb, const struct sen_ngap_ng_reset *reset,
			       const struct sen_ngap_crit_diag *diag)
{
	struct sen_ngap_ng_reset_ack m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	if (reset->reset_type.present == SEN_NGAP_RESET_PART &&
	    reset->reset_type.u.part.count) {
		m.has_ue_associated_list = true;
		m.ue_associated_list = reset->reset_type.u.part;
	}
	if (diag) { /* 10.3.4.2, 10.3.5 */
		m.has_criticality_diagnostics = true;
		m.criticality_diagnostics = *diag;
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_RESET, &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(gnb, 0, &pdu);
}

/* TS 38.413 9.2.1.1 PDU SESSION RESOURCE SETUP REQUEST (8.2.1.2) */
int amf_ngap_send_ps_setup(struct amf_ue *ue, uint8_t psi, const struct sen_nas_snssai *snssai,
			   const uint8_t *transfer, size_t tlen, const uint8_t *nas, size_t nlen)
{
	struct sen_ngap_pdu_session_resource_setup_request m;
	struct sen_ngap_ps_setup_item it;
	struct sen_ngap_slice_item sl;
	struct slice_bytes sb;
	struct sen_ngap_pdu pdu;

	if (!ue->gnb)
		return -SEN_ENOENT;
	memset(&m, 0, sizeof(m));
	memset(&it, 0, sizeof(it));
	m.amf_ue_ngap_id = ue->amf_ue_ngap_id;
	m.ran_ue_ngap_id = ue->ran_ue_ngap_id;
	fill_slice(&sl, &sb, snssai->sst, snssai->len >= 4 ? snssai->sd : SEN_CFG_SD_NONE);
	it.psi = psi;
	it.snssai = sl.snssai;
	it.transfer = OCT(transfer, tlen);
	if (nas && nlen) {
		it.has_nas_pdu = true;
		it.nas_pdu = OCT(nas, nlen);
	}
	m.pdu_sessions.items = &it;
	m.pdu_sessions.count = 1;
	if (ue->ambr_dl && ue->ambr_ul) {
		m.has_ue_ambr = true;
		m.ue_ambr.dl = ue->ambr_dl;
		m.ue_ambr.ul = ue->ambr_ul;
	}
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP,
			      &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(ue->gnb, ue->stream, &pdu);
}

/* TS 38.413 9.2.1.3 PDU SESSION RESOURCE RELEASE COMMAND (8.2.2.2) */
int amf_ngap_send_ps_release(struct amf_ue *ue, uint8_t psi, const uint8_t *transfer,
			     size_t tlen, const uint8_t *nas, size_t nlen)
{
	struct sen_ngap_pdu_session_resource_release_command m;
	struct sen_ngap_ps_transfer it;
	struct sen_ngap_pdu pdu;

	if (!ue->gnb)
		return -SEN_ENOENT;
	memset(&m, 0, sizeof(m));
	memset(&it, 0, sizeof(it));
	m.amf_ue_ngap_id = ue->amf_ue_ngap_id;
	m.ran_ue_ngap_id = ue->ran_ue_ngap_id;
	if (nas && nlen) {
		m.has_nas_pdu = true;
		m.nas_pdu = OCT(nas, nlen);
	}
	it.psi = psi;
	it.transfer = OCT(transfer, tlen);
	m.pdu_sessions.items = &it;
	m.pdu_sessions.count = 1;
	if (sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING,
			      SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE, &m) < 0)
		return -SEN_EINVAL;
	return amf_ngap_send(ue->gnb, ue->stream, &pdu);
}
