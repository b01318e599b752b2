/*
 * sen-amf NGAP handlers: what the AMF does with each message a gNB sends (TS 38.413
 * clause 8), looked up in one table by (PDU kind, procedure code).
 *
 * UE-associated messages name the UE by AMF UE NGAP ID and RAN UE NGAP ID. An ID pair the
 * AMF does not know is answered with an Error Indication (TS 38.413 10.6: unknown local /
 * inconsistent remote UE NGAP ID), and only that message is concerned.
 */
#include <ctype.h>
#include <string.h>

#include "context.h"
#include "core/hash.h"
#include "core/log.h"
#include "gmm.h"
#include "metrics.h"
#include "ngap.h"

typedef void (*ngap_handler_fn)(const struct amf_ngap_rx *rx);

/* ---- helpers ---- */

static void n2_to_smf(struct amf_ue *ue, const sen_ngap_ps_transfer_list *l, const char *type);

static void tai_from_uli(struct amf_ue *ue, const struct sen_ngap_uli *uli)
{
	char mcc[4], mnc[4];
	const struct sen_ngap_tai *t;

	if (uli->present != SEN_NGAP_ULI_NR)
		return;
	t = &uli->u.nr.tai;
	if (t->plmn.len != 3 || t->tac.len != 3 || sen_ngap_plmn_decode(t->plmn.data, mcc, mnc) < 0)
		return;
	memcpy(ue->tai.plmn.mcc, mcc, sizeof(mcc));
	memcpy(ue->tai.plmn.mnc, mnc, sizeof(mnc));
	ue->tai.tac = (uint32_t)t->tac.data[0] << 16 | (uint32_t)t->tac.data[1] << 8 | t->tac.data[2];
	if (uli->u.nr.cgi.cell_id.nbits == 36)
		ue->nr_cell_id = sen_ngap_bits_value(&uli->u.nr.cgi.cell_id);
}

/* The UE of a UE-associated message, or NULL after answering with an Error Indication. */
static struct amf_ue *find_ue(const struct amf_ngap_rx *rx, uint64_t amf_id, uint32_t ran_id)
{
	struct amf_ue *ue = amf_ue_by_amf_id(rx->gnb->amf, amf_id);

	if (ue && ue->gnb == rx->gnb && ue->ran_ue_ngap_id == ran_id)
		return ue;
	amf_metrics_ngap_error("unknown-ue");
	sen_log_warn("ngap", "gNB %s: %s for unknown UE (amf %llu, ran %u): Error Indication",
		     rx->gnb->name, sen_ngap_msg_name(rx->pdu), (unsigned long long)amf_id, ran_id);
	/* TS 38.413 10.6 */
	amf_ngap_send_error_indication(rx->gnb, rx->stream, (int64_t)amf_id, ran_id,
				       SEN_NGAP_CAUSE_RADIO_NETWORK,
				       ue ? SEN_NGAP_CAUSE_RN_INCONSISTENT_REMOTE_UE_NGAP_ID
					  : SEN_NGAP_CAUSE_RN_UNKNOWN_LOCAL_UE_NGAP_ID,
				       NULL);
	return NULL;
}

/* ---- interface management (8.7) ---- */

static bool slice_supported(const struct amf *amf, const struct sen_ngap_slice_item *it)
{
	uint32_t sd = SEN_CFG_SD_NONE;

	if (it->snssai.sst.len != 1)
		return false;
	if (it->snssai.has_sd && it->snssai.sd.len == 3)
		sd = (uint32_t)it->snssai.sd.data[0] << 16 | (uint32_t)it->snssai.sd.data[1] << 8 |
		     it->snssai.sd.data[2];
	for (size_t i = 0; i < amf->cfg.n_slices; i++)
		if (amf->cfg.slices[i].sst == it->snssai.sst.data[0] && amf->cfg.slices[i].sd == sd)
			return true;
	return false;
}

/* TS 38.413 8.7.1.2: at least one supported TA in a PLMN we serve, with a TAC we serve and
 * a slice we support. Returns 0, or the CauseMisc to fail with. */
static int check_supported_tas(const struct amf *amf, const sen_ngap_ta_list *tas)
{
	bool plmn_seen = false;

	for (uint32_t i = 0; i < tas->count; i++) {
		const struct sen_ngap_ta_item *ta = &tas->items[i];
		uint32_t tac;
		bool tac_ok = false;

		if (ta->tac.len != 3)
			continue;
		tac = (uint32_t)ta->tac.data[0] << 16 | (uint32_t)ta->tac.data[1] << 8 | ta->tac.data[2];
		for (size_t k = 0; k < amf->cfg.n_tac; k++)
			tac_ok |= amf->cfg.tac[k] == tac;
		for (uint32_t b = 0; b < ta->bplmns.count; b++) {
			const struct sen_ngap_bplmn_item *bp = &ta->bplmns.items[b];
			if (bp->plmn.len != 3 || memcmp(bp->plmn.data, amf->plmn, 3))
				continue;
			plmn_seen = true;
			if (!tac_ok)
				continue;
			for (uint32_t s = 0; s < bp->slices.count; s++)
				if (slice_supported(amf, &bp->slices.items[s]))
					return 0;
		}
	}
	return plmn_seen ? SEN_NGAP_CAUSE_MISC_UNSPECIFIED : SEN_NGAP_CAUSE_MISC_UNKNOWN_PLMN;
}

static void release_all_ues(struct amf_gnb *gnb)
{
	struct sen_hash_iter it;
	void *v;

	sen_hash_iter_init(&it, gnb->ues_by_ran);
	while (sen_hash_iter_next(&it, NULL, NULL, &v))
		gmm_n2_lost(v);
}

static void on_ng_setup_request(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_ng_setup_request *m = rx->msg;
	struct amf_gnb *gnb = rx->gnb;
	int cause;

	if (m->has_ran_node_name && m->ran_node_name.len) {
		size_t n = m->ran_node_name.len < sizeof(gnb->name) - 1 ? m->ran_node_name.len
									 : sizeof(gnb->name) - 1;
		for (size_t i = 0; i < n; i++)
			gnb->name[i] = isprint(m->ran_node_name.data[i]) ? (char)m->ran_node_name.data[i]
									 : '?';
		gnb->name[n] = '\0';
	}
	if (m->global_ran_node_id.present == SEN_NGAP_NODE_GNB)
		gnb->id = (uint32_t)sen_ngap_bits_value(&m->global_ran_node_id.u.node.id.u.bits);
	cause = check_supported_tas(gnb->amf, &m->supported_ta_list);
	if (cause) {
		sen_log_warn("ngap", "NG Setup from %s (%s) refused: no served PLMN/TAC/slice",
			     gnb->name, gnb->peer);
		gnb->setup_done = false;
		amf_ngap_send_ng_setup_failure(gnb, SEN_NGAP_CAUSE_MISC, (uint8_t)cause, rx->diag);
		return;
	}
	/* A repeated NG Setup: the gNB starts afresh (8.7.1.2), so do its UE contexts. */
	release_all_ues(gnb);
	gnb->setup_done = true;
	sen_log_info("ngap", "NG Setup from %s (%s, gNB id %u)", gnb->name, gnb->peer, gnb->id);
	amf_ngap_send_ng_setup_response(gnb, rx->diag);
}

/* 8.7.4.2.1 NG Reset from the gNB: release the UE contexts named (or all), acknowledge. */
static void on_ng_reset(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_ng_reset *m = rx->msg;
	struct amf_gnb *gnb = rx->gnb;

	sen_log_info("ngap", "NG Reset from %s", gnb->name);
	if (m->reset_type.present == SEN_NGAP_RESET_ALL) {
		release_all_ues(gnb);
	} else if (m->reset_type.present == SEN_NGAP_RESET_PART) {
		for (uint32_t i = 0; i < m->reset_type.u.part.count; i++) {
			const struct sen_ngap_ue_assoc_item *it = &m->reset_type.u.part.items[i];
			struct amf_ue *ue = NULL;
			if (it->has_amf_ue_ngap_id)
				ue = amf_ue_by_amf_id(gnb->amf, it->amf_ue_ngap_id);
			else if (it->has_ran_ue_ngap_id)
				ue = amf_ue_by_ran_id(gnb, it->ran_ue_ngap_id);
			if (ue && ue->gnb == gnb)
				gmm_n2_lost(ue);
		}
	}
	amf_ngap_send_ng_reset_ack(gnb, m, rx->diag);
}

static void on_error_indication(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_error_indication *m = rx->msg;

	sen_log_warn("ngap", "Error Indication from %s (cause %u/%u, amf %lld, ran %lld)",
		     rx->gnb->name, m->has_cause ? m->cause.present : 0,
		     m->has_cause ? m->cause.u.value : 0,
		     m->has_amf_ue_ngap_id ? (long long)m->amf_ue_ngap_id : -1LL,
		     m->has_ran_ue_ngap_id ? (long long)m->ran_ue_ngap_id : -1LL);
}

/* 8.7.2.2: acknowledged; the AMF does not use what the update carries. */
static void on_ran_configuration_update(const struct amf_ngap_rx *rx)
{
	amf_ngap_send_ran_config_update_ack(rx->gnb, rx->diag);
}

/* ---- NAS transport (8.6) ---- */

static void on_initial_ue_message(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_initial_ue_message *m = rx->msg;
	struct amf_ue *ue = amf_ue_by_ran_id(rx->gnb, m->ran_ue_ngap_id);
	int err = 0;

	if (ue) { /* the gNB reuses a RAN UE NGAP ID: the old connection is gone */
		sen_log_ue_info("ngap", ue->tag, "RAN UE NGAP ID reused: old connection dropped");
		gmm_n2_lost(ue);
	}
	ue = amf_ue_new(rx->gnb, m->ran_ue_ngap_id, &err);
	if (!ue) {
		sen_log_error("ngap", "gNB %s: no UE context for RAN UE NGAP ID %u: %d",
			      rx->gnb->name, m->ran_ue_ngap_id, err);
		return;
	}
	tai_from_uli(ue, &m->uli);
	sen_log_ue_debug("ngap", ue->tag, "Initial UE Message");
	amf_nas_receive(ue, m->nas_pdu.data, m->nas_pdu.len);
}

static void on_uplink_nas_transport(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_uplink_nas_transport *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);

	if (!ue)
		return;
	tai_from_uli(ue, &m->uli);
	amf_nas_receive(ue, m->nas_pdu.data, m->nas_pdu.len);
}

static void on_nas_non_delivery(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_nas_non_delivery_indication *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);

	if (ue)
		sen_log_ue_info("ngap", ue->tag, "NAS non delivery (cause %u/%u)",
				m->cause.present, m->cause.u.value);
}

/* ---- UE context management (8.3) ---- */

static void on_ics_response(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_initial_context_setup_response *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);

	if (!ue)
		return;
	ue->ics_done = true;
	sen_log_ue_debug("ngap", ue->tag, "Initial Context Setup Response");
	if (m->has_setup_list)
		n2_to_smf(ue, &m->setup_list, "PDU_RES_SETUP_RSP");
	if (m->has_failed_list)
		n2_to_smf(ue, &m->failed_list, "PDU_RES_SETUP_FAIL");
}

static void on_ics_failure(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_initial_context_setup_failure *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);
	struct gmm_ev ev = {.type = GMM_EV_ICS_FAILED};

	if (ue)
		gmm_dispatch(ue, &ev);
}

/* 8.3.2: the gNB asks for a release: command it (the UE goes CM-IDLE if registered). */
static void on_ue_release_request(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_ue_context_release_request *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);

	if (!ue)
		return;
	sen_log_ue_info("ngap", ue->tag, "UE Context Release Request (cause %u/%u)",
			m->cause.present, m->cause.u.value);
	if (m->cause.present <= SEN_NGAP_CAUSE_MISC)
		amf_ngap_send_ue_release(ue, m->cause.present, m->cause.u.value);
	else
		amf_ngap_send_ue_release(ue, SEN_NGAP_CAUSE_RADIO_NETWORK, SEN_NGAP_CAUSE_RN_UNSPECIFIED);
}

static void on_ue_release_complete(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_ue_context_release_complete *m = rx->msg;
	struct amf_ue *ue = amf_ue_by_amf_id(rx->gnb->amf, m->amf_ue_ngap_id);

	/* A response: an unknown pair is local error handling (10.6), no Error Indication;
	 * the AMF already forgot connections it replaced. */
	if (!ue || ue->gnb != rx->gnb || ue->ran_ue_ngap_id != m->ran_ue_ngap_id) {
		sen_log_debug("ngap", "UE Context Release Complete for a forgotten connection");
		return;
	}
	sen_log_ue_debug("ngap", ue->tag, "UE Context Release Complete");
	gmm_n2_lost(ue);
}

/* ---- PDU session management (8.2): the gNB's answers go to the SMF as N2 SM information ---- */

static void n2_to_smf(struct amf_ue *ue, const sen_ngap_ps_transfer_list *l, const char *type)
{
	for (uint32_t i = 0; i < l->count; i++)
		gmm_sess_n2_response(ue, l->items[i].psi, type, l->items[i].transfer.data,
				     l->items[i].transfer.len);
}

static void on_ps_setup_response(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_pdu_session_resource_setup_response *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);

	if (!ue)
		return;
	if (m->has_uli)
		tai_from_uli(ue, &m->uli);
	if (m->has_setup_list)
		n2_to_smf(ue, &m->setup_list, "PDU_RES_SETUP_RSP");
	if (m->has_failed_list)
		n2_to_smf(ue, &m->failed_list, "PDU_RES_SETUP_FAIL");
}

static void on_ps_release_response(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_pdu_session_resource_release_response *m = rx->msg;
	struct amf_ue *ue = find_ue(rx, m->amf_ue_ngap_id, m->ran_ue_ngap_id);

	if (!ue)
		return;
	if (m->has_uli)
		tai_from_uli(ue, &m->uli);
	n2_to_smf(ue, &m->released_list, "PDU_RES_REL_RSP");
}

static void on_ignored(const struct amf_ngap_rx *rx)
{
	sen_log_debug("ngap", "gNB %s: %s ignored", rx->gnb->name, sen_ngap_msg_name(rx->pdu));
}

/* ---- dispatch ---- */

static const struct {
	uint8_t kind, proc;
	bool needs_setup;
	ngap_handler_fn fn;
} handlers[] = {
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_NG_SETUP, false, on_ng_setup_request},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_NG_RESET, true, on_ng_reset},
	{SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_RESET, true, on_ignored},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, false, on_error_indication},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE, true,
	 on_ran_configuration_update},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_UE_MESSAGE, true, on_initial_ue_message},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT, true, on_uplink_nas_transport},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_NAS_NON_DELIVERY_INDICATION, true, on_nas_non_delivery},
	{SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, true, on_ics_response},
	{SEN_NGAP_UNSUCCESSFUL, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, true, on_ics_failure},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE_REQUEST, true, on_ue_release_request},
	{SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, true, on_ue_release_complete},
	{SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP, true, on_ps_setup_response},
	{SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE, true,
	 on_ps_release_response},
	{SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_RADIO_CAPABILITY_INFO_INDICATION, true, on_ignored},
	{SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_AMF_CONFIGURATION_UPDATE, true, on_ignored},
	{SEN_NGAP_UNSUCCESSFUL, SEN_NGAP_PROC_AMF_CONFIGURATION_UPDATE, true, on_ignored},
};

void amf_ngap_handle(const struct amf_ngap_rx *rx)
{
	const struct sen_ngap_pdu *pdu = rx->pdu;

	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].kind != pdu->present || handlers[i].proc != pdu->msg.procedure_code)
			continue;
		if (handlers[i].needs_setup && !rx->gnb->setup_done) {
			/* Nothing but NG Setup before NG Setup (8.7.1): a protocol error. */
			sen_log_warn("ngap", "gNB %s: %s before NG Setup: Error Indication",
				     rx->gnb->name, sen_ngap_msg_name(pdu));
			amf_metrics_ngap_error("state");
			amf_ngap_send_error_indication(rx->gnb, 0, -1, -1, SEN_NGAP_CAUSE_PROTOCOL,
						       SEN_NGAP_CAUSE_PROTO_MSG_NOT_COMPATIBLE_WITH_STATE,
						       NULL);
			return;
		}
		handlers[i].fn(rx);
		return;
	}
	/* A message we know but the AMF does not expect (e.g. a gNB-only procedure). */
	sen_log_warn("ngap", "gNB %s: unexpected %s: Error Indication", rx->gnb->name,
		     sen_ngap_msg_name(pdu));
	amf_metrics_ngap_error("unexpected");
	amf_ngap_send_error_indication(rx->gnb, 0, -1, -1, SEN_NGAP_CAUSE_PROTOCOL,
				       SEN_NGAP_CAUSE_PROTO_MSG_NOT_COMPATIBLE_WITH_STATE, NULL);
}
