/*
 * sen-ransim gNB: the NG-C side of one simulated gNB (TS 38.413 clause 8) over lib/sctp.
 *
 * - Interface management: NG Setup (8.7.1) when the association comes up; NG Setup Failure
 *   ends the gNB with the cause (and time to wait); Error Indication (8.7.5) is logged and
 *   counted; NG Reset (8.7.4) and AMF Configuration Update (8.7.3) are acknowledged.
 * - UE-associated logical NG-connections (one struct rs_conn each), found by RAN UE NGAP ID
 *   or AMF UE NGAP ID in hash tables; each UE's signalling on one stream other than 0
 *   (TS 38.412 7): Initial UE Message, Uplink / Downlink NAS Transport (8.6), Initial
 *   Context Setup (8.3.1; the Security Key is compared with the UE engine's KgNB), UE
 *   Context Release (8.3.3), PDU Session Resource Setup (8.2.1: the transfer gives the UPF's
 *   N3 tunnel and the QoS flow; the gNB allocates its DL tunnel) and Release (8.2.2).
 * - Clause 10: undecodable PDUs and PDUs with IEs that must be rejected get an Error
 *   Indication with a protocol cause; unknown UE NGAP IDs get one with
 *   unknown-local-UE-NGAP-ID / inconsistent-remote-UE-NGAP-ID (10.6).
 *
 * All on the loop thread; nothing the AMF sends can make it assert.
 */
#include "ransim.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/log.h"
#include "ngap/ngap.h"
#include "sctp/sctp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PS 8 /* PDU sessions handled in one message */

/* ---- connections ------------------------------------------------------------------------ */

static struct rs_conn *conn_new(struct rs_gnb *g, struct rs_ue *ue)
{
	struct rs_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->gnb = g;
	c->ue = ue;
	do {
		c->ran_id = g->next_ran_id++;
	} while (sen_hash_get_u64(g->by_ran, c->ran_id));
	/* TS 38.412 7: stream 0 is for non-UE-associated signalling; spread the UEs over the
	   others, one stream per UE so that its messages stay in order */
	c->stream = g->out_streams > 1 ? (uint16_t)(1 + c->ran_id % (g->out_streams - 1u)) : 0;
	if (sen_hash_add_u64(g->by_ran, c->ran_id, c) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

void rs_gnb_conn_free(struct rs_conn *c)
{
	if (!c)
		return;
	sen_hash_del_u64(c->gnb->by_ran, c->ran_id);
	if (c->has_amf_id && sen_hash_get_u64(c->gnb->by_amf, c->amf_id) == c)
		sen_hash_del_u64(c->gnb->by_amf, c->amf_id);
	if (c->ue && c->ue->conn == c)
		c->ue->conn = NULL;
	free(c);
}

static void conn_set_amf_id(struct rs_conn *c, uint64_t amf_id)
{
	if (c->has_amf_id && c->amf_id == amf_id)
		return;
	if (c->has_amf_id && sen_hash_get_u64(c->gnb->by_amf, c->amf_id) == c)
		sen_hash_del_u64(c->gnb->by_amf, c->amf_id);
	c->amf_id = amf_id;
	c->has_amf_id = true;
	sen_hash_put_u64(c->gnb->by_amf, amf_id, c);
	if (c->ue)
		sen_log_ue_tag(c->ue->tag, sizeof(c->ue->tag), c->ue->supi, c->ran_id,
			       (int64_t)amf_id);
}

/* The UE's connection is gone from the gNB (release, reset, association down). */
static void conn_drop(struct rs_conn *c, bool tell_ue)
{
	struct rs_ue *ue = c->ue;

	rs_gnb_conn_free(c);
	if (ue && tell_ue) {
		if (ue->sess.tunnel)
			rs_gtp_tunnel_del(ue);
		sen_ue_conn_release(ue->ue);
		rs_scenario_conn_lost(ue);
	}
}

/*
 * Find the connection a UE-associated message is about (TS 38.413 10.6): by RAN UE NGAP
 * ID, the AMF UE NGAP ID must match when we have one. On failure an Error Indication is
 * sent and NULL returned.
 */
static struct rs_conn *conn_find(struct rs_gnb *g, uint16_t stream, uint64_t amf_id,
				 uint32_t ran_id, const char *what)
{
	struct rs_conn *c = sen_hash_get_u64(g->by_ran, ran_id);

	if (!c) {
		sen_log_warn("ngap", "%s: %s for unknown RAN UE NGAP ID %u", g->name, what, ran_id);
		rs_ngap_error_indication(g, stream, &amf_id, &ran_id, SEN_NGAP_CAUSE_RADIO_NETWORK,
					 SEN_NGAP_CAUSE_RN_UNKNOWN_LOCAL_UE_NGAP_ID);
		return NULL;
	}
	if (c->has_amf_id && c->amf_id != amf_id && c->context_setup) {
		sen_log_warn("ngap", "%s: %s: AMF UE NGAP ID %llu, expected %llu", g->name, what,
			     (unsigned long long)amf_id, (unsigned long long)c->amf_id);
		rs_ngap_error_indication(g, stream, &amf_id, &ran_id, SEN_NGAP_CAUSE_RADIO_NETWORK,
					 SEN_NGAP_CAUSE_RN_INCONSISTENT_REMOTE_UE_NGAP_ID);
		return NULL;
	}
	conn_set_amf_id(c, amf_id);
	return c;
}

/* Hand a downlink NAS PDU to the UE engine. */
static void deliver_nas(struct rs_conn *c, const struct sen_asn_octets *nas)
{
	if (!c || !c->ue || !nas->len)
		return;
	int rc = sen_ue_deliver(c->ue->ue, nas->data, nas->len);
	if (rc < 0)
		sen_log_ue_debug("ransim", c->ue->tag, "downlink NAS dropped by the UE: %s",
				 sen_strerror(rc));
}

/* ---- PDU session resources (8.2.1, 8.2.2) ------------------------------------------------ */

struct ps_out {
	struct sen_ngap_ps_transfer ok[MAX_PS], failed[MAX_PS];
	unsigned n_ok, n_failed;
	uint8_t buf[MAX_PS][160];
	unsigned n_buf;
	struct sen_asn_octets nas[MAX_PS];
	unsigned n_nas;
};

static void ps_fail(struct ps_out *o, uint8_t psi, uint8_t cause)
{
	struct sen_ngap_unsuccessful_transfer t;

	if (o->n_failed >= MAX_PS || o->n_buf >= MAX_PS)
		return;
	memset(&t, 0, sizeof(t));
	t.cause.present = SEN_NGAP_CAUSE_RADIO_NETWORK;
	t.cause.u.value = cause;
	uint8_t *b = o->buf[o->n_buf++];
	int n = sen_ngap_transfer_encode(&sen_ngap_setup_unsuccessful_transfer_type, &t, b, 160);
	if (n < 0)
		return;
	o->failed[o->n_failed].psi = psi;
	o->failed[o->n_failed].transfer = (struct sen_asn_octets){b, (uint32_t)n};
	o->failed[o->n_failed].ext = NULL;
	o->n_failed++;
}

/* Set up one session from its PDU Session Resource Setup Request Transfer (9.3.4.1). */
static void ps_setup(struct rs_conn *c, const struct sen_ngap_ps_setup_item *it,
		     struct ps_out *o)
{
	struct rs_ue *ue = c->ue;
	struct sen_ngap_setup_request_transfer t;
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	uint8_t mem[4096];

	if (it->has_nas_pdu && o->n_nas < MAX_PS)
		o->nas[o->n_nas++] = it->nas_pdu;
	if (!ue || it->psi != RS_PSI || ue->sess.tunnel) {
		ps_fail(o, it->psi,
			ue && it->psi == RS_PSI ? 28 /* multiple-PDU-session-ID-instances */
						: SEN_NGAP_CAUSE_RN_UNSPECIFIED);
		return;
	}
	sen_asn_arena_init(&arena, mem, sizeof(mem), 1 << 16);
	sen_asn_ctx_init(&ctx, &arena, 0);
	memset(&t, 0, sizeof(t));
	int rc = sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t,
					  it->transfer.data, it->transfer.len, &ctx);
	const struct sen_ngap_gtp_tunnel *ul = &t.ul_tnl.u.gtp;
	if (rc < 0 || t.ul_tnl.present != 0 || (ul->addr.nbits != 32 && ul->addr.nbits != 160) ||
	    ul->teid.len != 4 || t.qos_flows.count == 0) {
		sen_log_ue_warn("ngap", ue->tag, "PDU session %u: bad setup request transfer",
				it->psi);
		ps_fail(o, it->psi, SEN_NGAP_CAUSE_RN_UNSPECIFIED);
		sen_asn_arena_fini(&arena);
		return;
	}
	struct rs_session *s = &ue->sess;
	memset(&s->upf, 0, sizeof(s->upf));
	s->upf.sin_family = AF_INET;
	s->upf.sin_port = htons(c->gnb->rs->cfg->gnb.upf_port);
	memcpy(&s->upf.sin_addr, ul->addr.data, 4); /* 32 bits, or IPv4 first of 160 */
	s->ul_teid = (uint32_t)ul->teid.data[0] << 24 | (uint32_t)ul->teid.data[1] << 16 |
		     (uint32_t)ul->teid.data[2] << 8 | ul->teid.data[3];
	s->qfi = t.qos_flows.items[0].qfi;
	sen_asn_arena_fini(&arena);
	if (rs_gtp_tunnel_add(ue) < 0 || o->n_ok >= MAX_PS || o->n_buf >= MAX_PS) {
		ps_fail(o, it->psi, 22 /* radio-resources-not-available */);
		return;
	}

	/* 9.3.4.2 Setup Response Transfer: our DL tunnel and the flow it carries */
	struct sen_ngap_setup_response_transfer r;
	struct sen_ngap_associated_qos_flow flow = {.qfi = s->qfi};
	uint8_t teid[4] = {(uint8_t)(s->dl_teid >> 24), (uint8_t)(s->dl_teid >> 16),
			   (uint8_t)(s->dl_teid >> 8), (uint8_t)s->dl_teid};
	const struct sen_cfg_ip *n3 = &c->gnb->rs->cfg->gnb.n3;
	memset(&r, 0, sizeof(r));
	r.dl_qos_flow_per_tnl.tnl.present = 0;
	r.dl_qos_flow_per_tnl.tnl.u.gtp.addr = (struct sen_asn_bits){(const uint8_t *)&n3->v4, 32};
	r.dl_qos_flow_per_tnl.tnl.u.gtp.teid = (struct sen_asn_octets){teid, 4};
	r.dl_qos_flow_per_tnl.flows.items = &flow;
	r.dl_qos_flow_per_tnl.flows.count = 1;
	uint8_t *b = o->buf[o->n_buf++];
	int n = sen_ngap_transfer_encode(&sen_ngap_setup_response_transfer_type, &r, b, 160);
	if (n < 0) {
		rs_gtp_tunnel_del(ue);
		ps_fail(o, it->psi, SEN_NGAP_CAUSE_RN_UNSPECIFIED);
		return;
	}
	o->ok[o->n_ok].psi = it->psi;
	o->ok[o->n_ok].transfer = (struct sen_asn_octets){b, (uint32_t)n};
	o->ok[o->n_ok].ext = NULL;
	o->n_ok++;
	char up[INET_ADDRSTRLEN];
	sen_log_ue_info("ngap", ue->tag, "PDU session %u: UL TEID 0x%08x at %s, DL TEID 0x%08x, QFI %u",
			it->psi, s->ul_teid, inet_ntop(AF_INET, &s->upf.sin_addr, up, sizeof(up)),
			s->dl_teid, s->qfi);
}

/* ---- handlers (one per downlink message) --------------------------------------------------- */

static void on_ng_setup_response(struct rs_gnb *g, const struct sen_ngap_ng_setup_response *m)
{
	char name[64] = "";

	if (g->state != RS_GNB_SETUP)
		return;
	sen_timer_stop(&g->guard);
	snprintf(name, sizeof(name), "%.*s", (int)(m->amf_name.len < 63 ? m->amf_name.len : 63),
		 m->amf_name.data ? (const char *)m->amf_name.data : "");
	g->state = RS_GNB_READY;
	rs_stats_ok(&g->rs->stats, RS_PROC_NG_SETUP, rs_now_us() - g->t_setup);
	sen_log_info("ngap", "%s: NG Setup with AMF '%s' (%u PLMN(s), relative capacity %u)",
		     g->name, name, m->plmn_support_list.count, m->relative_amf_capacity);
	rs_scenario_gnb_settled(g->rs);
}

static const unsigned ttw_s[] = {1, 2, 5, 10, 20, 60};

static void on_ng_setup_failure(struct rs_gnb *g, const struct sen_ngap_setup_failure *m)
{
	char cause[96], ttw[32] = "";

	if (g->state != RS_GNB_SETUP)
		return;
	sen_timer_stop(&g->guard);
	rs_ngap_cause_str(m->cause.present, m->cause.u.value, cause, sizeof(cause));
	if (m->has_time_to_wait && m->time_to_wait < 6)
		snprintf(ttw, sizeof(ttw), ", time to wait %u s", ttw_s[m->time_to_wait]);
	snprintf(g->fail_why, sizeof(g->fail_why), "NG Setup Failure: %s%s", cause, ttw);
	g->state = RS_GNB_FAILED;
	rs_stats_fail(&g->rs->stats, RS_PROC_NG_SETUP, g->name, g->fail_why);
	sen_log_error("ngap", "%s: %s", g->name, g->fail_why);
	fprintf(stderr, "sen-ransim: %s: %s\n", g->name, g->fail_why);
	rs_scenario_gnb_settled(g->rs);
}

static void on_dl_nas(struct rs_gnb *g, uint16_t stream,
		      const struct sen_ngap_downlink_nas_transport *m)
{
	struct rs_conn *c = conn_find(g, stream, m->amf_ue_ngap_id, m->ran_ue_ngap_id,
				      "DownlinkNASTransport");
	if (c)
		deliver_nas(c, &m->nas_pdu);
}

static void on_ics_request(struct rs_gnb *g, uint16_t stream,
			   const struct sen_ngap_initial_context_setup_request *m)
{
	struct rs_conn *c = conn_find(g, stream, m->amf_ue_ngap_id, m->ran_ue_ngap_id,
				      "InitialContextSetupRequest");
	struct ps_out *o;
	uint8_t kgnb[32];
	uint32_t count;

	if (!c)
		return;
	/* The Security Key is KgNB (9.3.1.87); the UE derives the same from KAMF and the UL NAS
	   COUNT of its last protected uplink (TS 33.501 A.9). A mismatch means the UE could not
	   activate AS security: Initial Context Setup Failure (8.3.1.3). */
	bool match = c->ue && m->security_key.nbits == 256 &&
		     sen_ue_last_ul_count(c->ue->ue, &count) == 0 &&
		     sen_ue_kgnb(c->ue->ue, count, kgnb) == 0 &&
		     memcmp(kgnb, m->security_key.data, 32) == 0;
	if (c->ue)
		rs_scenario_kgnb(c->ue, match);
	if (!match) {
		struct sen_ngap_initial_context_setup_failure f;
		memset(&f, 0, sizeof(f));
		f.amf_ue_ngap_id = c->amf_id;
		f.ran_ue_ngap_id = c->ran_id;
		f.cause.present = SEN_NGAP_CAUSE_RADIO_NETWORK;
		f.cause.u.value = 24; /* failure-in-radio-interface-procedure */
		rs_ngap_send_msg(g, c->stream, SEN_NGAP_UNSUCCESSFUL,
				 SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, &f);
		return;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return;
	if (m->has_pdu_sessions)
		for (uint32_t i = 0; i < m->pdu_sessions.count; i++)
			ps_setup(c, &m->pdu_sessions.items[i], o);
	c->context_setup = true;
	rs_ngap_ics_response(c, o->ok, o->n_ok, o->failed, o->n_failed);
	/* the gNB answers once AS security is up; the UE's NAS (e.g. Registration Complete)
	   follows over the radio */
	if (m->has_nas_pdu)
		deliver_nas(c, &m->nas_pdu);
	for (unsigned i = 0; i < o->n_nas; i++)
		deliver_nas(c, &o->nas[i]);
	if (o->n_ok && c->ue)
		rs_scenario_tunnel(c->ue);
	free(o);
}

static void on_ue_release_command(struct rs_gnb *g, uint16_t stream,
				  const struct sen_ngap_ue_context_release_command *m)
{
	struct rs_conn *c = NULL;
	uint8_t psis[1];
	unsigned n = 0;

	if (m->ue_ngap_ids.present == SEN_NGAP_IDS_PAIR) {
		c = conn_find(g, stream, m->ue_ngap_ids.u.pair.amf_ue_ngap_id,
			      m->ue_ngap_ids.u.pair.ran_ue_ngap_id, "UEContextReleaseCommand");
	} else if (m->ue_ngap_ids.present == SEN_NGAP_IDS_AMF) {
		uint64_t id = m->ue_ngap_ids.u.amf_ue_ngap_id;
		c = sen_hash_get_u64(g->by_amf, id);
		if (!c)
			rs_ngap_error_indication(g, stream, &id, NULL, SEN_NGAP_CAUSE_RADIO_NETWORK,
						 SEN_NGAP_CAUSE_RN_INCONSISTENT_REMOTE_UE_NGAP_ID);
	}
	if (!c)
		return;
	char cause[96];
	sen_log_debug("ngap", "%s: UE context release (RAN %u): %s", g->name, c->ran_id,
		      rs_ngap_cause_str(m->cause.present, m->cause.u.value, cause, sizeof(cause)));
	if (c->ue && c->ue->sess.tunnel)
		psis[n++] = RS_PSI;
	rs_ngap_release_complete(c, psis, n);
	conn_drop(c, true);
}

static void on_pdu_setup_request(struct rs_gnb *g, uint16_t stream,
				 const struct sen_ngap_pdu_session_resource_setup_request *m)
{
	struct rs_conn *c = conn_find(g, stream, m->amf_ue_ngap_id, m->ran_ue_ngap_id,
				      "PDUSessionResourceSetupRequest");
	struct ps_out *o;

	if (!c || !(o = calloc(1, sizeof(*o))))
		return;
	for (uint32_t i = 0; i < m->pdu_sessions.count; i++)
		ps_setup(c, &m->pdu_sessions.items[i], o);
	rs_ngap_pdu_setup_response(c, o->ok, o->n_ok, o->failed, o->n_failed);
	if (m->has_nas_pdu)
		deliver_nas(c, &m->nas_pdu);
	for (unsigned i = 0; i < o->n_nas; i++)
		deliver_nas(c, &o->nas[i]);
	if (o->n_ok && c->ue)
		rs_scenario_tunnel(c->ue);
	free(o);
}

static void on_pdu_release_command(struct rs_gnb *g, uint16_t stream,
				   const struct sen_ngap_pdu_session_resource_release_command *m)
{
	struct rs_conn *c = conn_find(g, stream, m->amf_ue_ngap_id, m->ran_ue_ngap_id,
				      "PDUSessionResourceReleaseCommand");
	uint8_t psis[16];
	unsigned n = 0;
	bool changed = false;

	if (!c)
		return;
	for (uint32_t i = 0; i < m->pdu_sessions.count && n < 16; i++) {
		uint8_t psi = m->pdu_sessions.items[i].psi;
		psis[n++] = psi;
		if (c->ue && psi == RS_PSI && c->ue->sess.tunnel) {
			rs_gtp_tunnel_del(c->ue);
			changed = true;
		}
	}
	rs_ngap_pdu_release_response(c, psis, n);
	if (m->has_nas_pdu)
		deliver_nas(c, &m->nas_pdu);
	if (changed && c->ue)
		rs_scenario_tunnel(c->ue);
}

static void on_error_indication(struct rs_gnb *g, const struct sen_ngap_error_indication *m)
{
	char cause[96] = "no cause";

	g->rs->stats.error_indications++;
	rs_inject_error_indication(g);
	if (m->has_cause)
		rs_ngap_cause_str(m->cause.present, m->cause.u.value, cause, sizeof(cause));
	sen_log_warn("ngap", "%s: Error Indication from the AMF (AMF UE NGAP ID %s%llu, RAN UE "
			     "NGAP ID %s%u): %s",
		     g->name, m->has_amf_ue_ngap_id ? "" : "-",
		     (unsigned long long)m->amf_ue_ngap_id, m->has_ran_ue_ngap_id ? "" : "-",
		     m->ran_ue_ngap_id, cause);
}

/* 8.7.4.2.1: NG Reset from the AMF: release the UE contexts it names (or all), then
   acknowledge. */
static void on_ng_reset(struct rs_gnb *g, const struct sen_ngap_ng_reset *m)
{
	struct sen_ngap_ng_reset_ack ack;

	memset(&ack, 0, sizeof(ack));
	if (m->reset_type.present == SEN_NGAP_RESET_ALL) {
		struct sen_hash_iter it;
		void *v;
		sen_hash_iter_init(&it, g->by_ran);
		while (sen_hash_iter_next(&it, NULL, NULL, &v))
			conn_drop(v, true);
	} else if (m->reset_type.present == SEN_NGAP_RESET_PART) {
		for (uint32_t i = 0; i < m->reset_type.u.part.count; i++) {
			const struct sen_ngap_ue_assoc_item *a = &m->reset_type.u.part.items[i];
			struct rs_conn *c = NULL;
			if (a->has_ran_ue_ngap_id)
				c = sen_hash_get_u64(g->by_ran, a->ran_ue_ngap_id);
			else if (a->has_amf_ue_ngap_id)
				c = sen_hash_get_u64(g->by_amf, a->amf_ue_ngap_id);
			if (c)
				conn_drop(c, true);
		}
		ack.has_ue_associated_list = true;
		ack.ue_associated_list = m->reset_type.u.part;
	}
	sen_log_warn("ngap", "%s: NG Reset from the AMF", g->name);
	rs_ngap_send_msg(g, 0, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_RESET, &ack);
}

static void dispatch(struct rs_gnb *g, uint16_t stream, const struct sen_ngap_pdu *pdu)
{
	const void *v = pdu->msg.value.value;
	unsigned proc = pdu->msg.procedure_code;

	if (!v) {
		sen_log_warn("ngap", "%s: %s not handled", g->name, sen_ngap_msg_name(pdu));
		return;
	}
	if (pdu->present == SEN_NGAP_SUCCESSFUL && proc == SEN_NGAP_PROC_NG_SETUP)
		on_ng_setup_response(g, v);
	else if (pdu->present == SEN_NGAP_UNSUCCESSFUL && proc == SEN_NGAP_PROC_NG_SETUP)
		on_ng_setup_failure(g, v);
	else if (pdu->present != SEN_NGAP_INITIATING)
		sen_log_info("ngap", "%s: %s ignored", g->name, sen_ngap_msg_name(pdu));
	else if (proc == SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT)
		on_dl_nas(g, stream, v);
	else if (proc == SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP)
		on_ics_request(g, stream, v);
	else if (proc == SEN_NGAP_PROC_UE_CONTEXT_RELEASE)
		on_ue_release_command(g, stream, v);
	else if (proc == SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP)
		on_pdu_setup_request(g, stream, v);
	else if (proc == SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE)
		on_pdu_release_command(g, stream, v);
	else if (proc == SEN_NGAP_PROC_ERROR_INDICATION)
		on_error_indication(g, v);
	else if (proc == SEN_NGAP_PROC_NG_RESET)
		on_ng_reset(g, v);
	else if (proc == SEN_NGAP_PROC_AMF_CONFIGURATION_UPDATE) {
		struct sen_ngap_amf_configuration_update_ack ack;
		memset(&ack, 0, sizeof(ack));
		rs_ngap_send_msg(g, 0, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_AMF_CONFIGURATION_UPDATE,
				 &ack);
	} else
		sen_log_info("ngap", "%s: %s not handled", g->name, sen_ngap_msg_name(pdu));
}

/* ---- SCTP callbacks ------------------------------------------------------------------------ */

static void on_message(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
		       const uint8_t *data, size_t len, void *arg)
{
	struct rs_gnb *g = arg;
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu;
	struct sen_ngap_judgement j;
	uint8_t mem[16384];

	if (ppid != SEN_SCTP_PPID_NGAP) {
		sen_log_warn("ngap", "%s: message with PPID %u ignored", g->name, ppid);
		return;
	}
	sen_asn_arena_init(&arena, mem, sizeof(mem), 1 << 20);
	sen_asn_ctx_init(&ctx, &arena, 0);
	int rc = sen_ngap_decode(&pdu, data, len, &ctx);
	if (rc < 0) {
		char where[160];
		sen_asn_ctx_where(&ctx, where, sizeof(where));
		sen_log_warn("ngap", "%s: undecodable NGAP PDU (%zu octets): %s at %s", g->name,
			     len, sen_strerror(rc), where);
		/* 10.2: transfer syntax error -> Error Indication */
		rs_ngap_error_indication(g, stream, NULL, NULL, SEN_NGAP_CAUSE_PROTOCOL,
					 SEN_NGAP_CAUSE_PROTO_TRANSFER_SYNTAX_ERROR);
		sen_asn_arena_fini(&arena);
		return;
	}
	sen_log_debug("ngap", "%s: received %s (stream %u)", g->name, sen_ngap_msg_name(&pdu),
		      stream);
	enum sen_ngap_action act = sen_ngap_judge(&pdu, &ctx, &j);
	if (act != SEN_NGAP_PROCEED && j.reply != SEN_NGAP_REPLY_NONE &&
	    j.reply != SEN_NGAP_REPLY_LOCAL) {
		struct sen_ngap_error_indication ei;
		memset(&ei, 0, sizeof(ei));
		ei.has_cause = true;
		ei.cause.present = SEN_NGAP_CAUSE_PROTOCOL;
		ei.cause.u.value = j.cause_protocol;
		ei.has_criticality_diagnostics = true;
		ei.criticality_diagnostics = j.diag;
		rs_ngap_send_msg(g, stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION,
				 &ei);
	}
	if (act != SEN_NGAP_REJECT)
		dispatch(g, stream, &pdu);
	sen_asn_arena_fini(&arena);
}

static void on_guard(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs_gnb *g = arg;

	if (g->state != RS_GNB_SETUP && g->state != RS_GNB_CONNECTING)
		return;
	snprintf(g->fail_why, sizeof(g->fail_why), "%s",
		 g->state == RS_GNB_SETUP ? "no answer to NG Setup Request"
					  : "SCTP association to the AMF not established");
	g->state = RS_GNB_FAILED;
	rs_stats_fail(&g->rs->stats, RS_PROC_NG_SETUP, g->name, g->fail_why);
	fprintf(stderr, "sen-ransim: %s: %s\n", g->name, g->fail_why);
	rs_scenario_gnb_settled(g->rs);
}

static void on_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	struct rs_gnb *g = arg;
	char peer[64];

	g->assoc = a;
	g->out_streams = out;
	sen_log_info("ngap", "%s: SCTP association to %s up (%u in, %u out streams)", g->name,
		     sen_sctp_assoc_peer(a, peer, sizeof(peer)), in, out);
	rs_ngap_flush(g);
	if (g->state != RS_GNB_CONNECTING)
		return;
	g->state = RS_GNB_SETUP;
	g->t_setup = rs_now_us();
	sen_timer_start(&g->guard, g->rs->cfg->procedure_timeout_ms);
	if (rs_ngap_ng_setup_request(g) < 0)
		on_guard(g->rs->loop, &g->guard, g);
}

static const char *const down_names[] = {"shut down", "lost", "refused", "timed out",
					  "aborted", "overload"};

static void on_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason why, void *arg)
{
	struct rs_gnb *g = arg;
	const char *w = why < 6 ? down_names[why] : "down";
	enum rs_gnb_state was = g->state;
	struct sen_hash_iter it;
	void *v;

	g->assoc = NULL;
	rs_ngap_txq_clear(g);
	sen_timer_stop(&g->guard);
	sen_hash_iter_init(&it, g->by_ran);
	while (sen_hash_iter_next(&it, NULL, NULL, &v))
		conn_drop(v, true);
	if (was == RS_GNB_CONNECTING || was == RS_GNB_SETUP) {
		snprintf(g->fail_why, sizeof(g->fail_why), "SCTP association to the AMF %s", w);
		g->state = RS_GNB_FAILED;
		rs_stats_fail(&g->rs->stats, RS_PROC_NG_SETUP, g->name, g->fail_why);
		fprintf(stderr, "sen-ransim: %s: %s\n", g->name, g->fail_why);
		rs_scenario_gnb_settled(g->rs);
		return;
	}
	if (was == RS_GNB_READY && !g->rs->stopping)
		sen_log_warn("ngap", "%s: SCTP association %s", g->name, w);
	g->state = RS_GNB_DOWN;
}

static void on_restart(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	struct rs_gnb *g = arg;

	sen_log_warn("ngap", "%s: the AMF restarted the association: its UE contexts are gone",
		     g->name);
	rs_ngap_txq_clear(g); /* PDUs of those contexts */
	struct sen_hash_iter it;
	void *v;
	sen_hash_iter_init(&it, g->by_ran);
	while (sen_hash_iter_next(&it, NULL, NULL, &v))
		conn_drop(v, true);
}

/* The association has send space again: send what waits, in order. */
static void on_writable(struct sen_sctp_assoc *a, void *arg)
{
	struct rs_gnb *g = arg;

	if (g->assoc == a)
		rs_ngap_flush(g);
}

static const struct sen_sctp_callbacks callbacks = {
	.up = on_up, .restart = on_restart, .down = on_down, .message = on_message,
	.writable = on_writable,
};

/* ---- gNB lifecycle ------------------------------------------------------------------------- */

int rs_gnb_start(struct rs *rs, unsigned i)
{
	const struct rs_config *cfg = rs->cfg;
	struct rs_gnb *g = &rs->gnbs[i];
	char amf[INET6_ADDRSTRLEN];
	int rc;

	memset(g, 0, sizeof(*g));
	g->rs = rs;
	g->idx = i;
	g->gnb_id = cfg->gnb.id + i;
	g->nci = (uint64_t)g->gnb_id << (36 - cfg->gnb.id_bits) | cfg->gnb.cell;
	g->next_ran_id = 1;
	if (cfg->gnb.count > 1)
		snprintf(g->name, sizeof(g->name), "%s-%u", cfg->gnb.name, i + 1);
	else
		snprintf(g->name, sizeof(g->name), "%s", cfg->gnb.name);
	if (sen_ngap_plmn_encode(cfg->plmn.mcc, cfg->plmn.mnc, g->plmn) < 0)
		return -SEN_EINVAL;
	g->tac[0] = (uint8_t)(cfg->tac >> 16);
	g->tac[1] = (uint8_t)(cfg->tac >> 8);
	g->tac[2] = (uint8_t)cfg->tac;
	uint32_t idv = cfg->gnb.id_bits < 32 ? g->gnb_id << (32 - cfg->gnb.id_bits) : g->gnb_id;
	for (int k = 0; k < 4; k++)
		g->id_bits[k] = (uint8_t)(idv >> (24 - 8 * k));
	uint64_t nv = g->nci << 4; /* 36 bits left-aligned in 40 */
	for (int k = 0; k < 5; k++)
		g->nci_bits[k] = (uint8_t)(nv >> (32 - 8 * k));
	sen_timer_init(&g->guard, rs->loop, on_guard, g);
	if ((rc = sen_hash_new(&g->by_ran)) < 0 || (rc = sen_hash_new(&g->by_amf)) < 0)
		return rc;

	struct sen_sctp_config sc = {
		.transport = (enum sen_sctp_transport)cfg->amf.transport,
		.udp_local_port = cfg->gnb.udp_port,
		.udp_remote_port = cfg->amf.udp_port,
		.streams = cfg->gnb.streams,
		.sndbuf = cfg->gnb.sctp_sndbuf,
	};
	rc = sen_sctp_endpoint_new(&g->ep, rs->loop, &sc, &callbacks, g);
	if (rc < 0) {
		fprintf(stderr, "sen-ransim: %s: SCTP endpoint (%s, UDP port %u): %s\n", g->name,
			sen_sctp_transport_name(sc.transport), sc.udp_local_port, sen_strerror(rc));
		return rc;
	}
	sen_cfg_ip_str(&cfg->amf.addr, amf, sizeof(amf));
	g->state = RS_GNB_CONNECTING;
	sen_timer_start(&g->guard, cfg->amf.connect_timeout_ms + 1000);
	rc = sen_sctp_connect(g->ep, amf, cfg->amf.port, cfg->amf.connect_timeout_ms, &g->assoc);
	if (rc < 0) {
		fprintf(stderr, "sen-ransim: %s: connect to %s:%u: %s\n", g->name, amf,
			cfg->amf.port, sen_strerror(rc));
		return rc;
	}
	sen_log_info("ngap", "%s: gNB ID %u (%u bits), NR cell 0x%09llx, connecting to %s:%u (%s)",
		     g->name, g->gnb_id, cfg->gnb.id_bits, (unsigned long long)g->nci, amf,
		     cfg->amf.port, sen_sctp_transport_name(sen_sctp_endpoint_transport(g->ep)));
	return 0;
}

void rs_gnb_stop(struct rs_gnb *g)
{
	struct sen_hash_iter it;
	void *v;

	if (!g->rs)
		return;
	sen_timer_stop(&g->guard);
	if (g->by_ran) {
		sen_hash_iter_init(&it, g->by_ran);
		while (sen_hash_iter_next(&it, NULL, NULL, &v))
			conn_drop(v, false);
	}
	if (g->ep)
		sen_sctp_close(g->ep);
	g->ep = NULL;
	g->assoc = NULL;
	rs_ngap_txq_clear(g);
	sen_hash_free(g->by_ran);
	sen_hash_free(g->by_amf);
	g->by_ran = g->by_amf = NULL;
}

int rs_gnb_uplink(struct rs_ue *ue, const uint8_t *nas, size_t len, unsigned flags)
{
	struct rs_gnb *g = ue->gnb;

	if (!g || g->state != RS_GNB_READY)
		return -SEN_ENOENT;
	if (flags & SEN_UE_UL_INITIAL) {
		/* a new N1 signalling connection: a new UE-associated logical NG-connection */
		if (ue->conn)
			rs_gnb_conn_free(ue->conn);
		ue->conn = conn_new(g, ue);
		if (!ue->conn)
			return -SEN_ENOMEM;
		sen_log_ue_tag(ue->tag, sizeof(ue->tag), ue->supi, ue->conn->ran_id, -1);
		return rs_ngap_initial_ue_message(ue->conn, nas, len);
	}
	if (!ue->conn || !ue->conn->has_amf_id) {
		sen_log_ue_warn("ngap", ue->tag, "uplink NAS without an NG connection: dropped");
		return -SEN_ENOENT;
	}
	return rs_ngap_uplink_nas(ue->conn, nas, len);
}
