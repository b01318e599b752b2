/*
 * sen-ransim: the NGAP messages a gNB sends (TS 38.413 9.2), built as lib/ngap structs and
 * sent on the gNB's SCTP association with PPID 60: non-UE-associated signalling (NG Setup,
 * Error Indication without UE IDs) on stream 0, each UE's signalling on that UE's stream
 * (TS 38.412 clause 7).
 *
 * Send queue: when every UE acts at once (all de-register) the association's send buffer
 * fills and lib/sctp refuses with -SEN_EAGAIN. The PDU then waits in the gNB's queue,
 * and so does every PDU after it while anything waits (one FIFO per association: a UE's
 * messages never overtake each other, nor the non-UE ones); the association's writable
 * callback (gnb.c) sends the queue in order. The queue holds at most RS_TXQ_MAX bytes.
 */
#include "ransim.h"

#include "core/err.h"
#include "core/log.h"
#include "ngap/ngap.h"
#include "sctp/sctp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NGAP_MAX 8192

/* Append a PDU to g's send queue: 0, or -SEN_ENOMEM (RS_TXQ_MAX reached, no memory). */
static int txq_push(struct rs_gnb *g, uint16_t stream, const uint8_t *pdu, size_t len)
{
	struct rs_txmsg *m;

	if (g->txq_bytes + len > RS_TXQ_MAX) {
		sen_log_warn("ngap", "%s: send queue full (%zu octets waiting)", g->name,
			     g->txq_bytes);
		g->rs->stats.ngap_queue_dropped++;
		return -SEN_ENOMEM;
	}
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -SEN_ENOMEM;
	m->next = NULL;
	m->stream = stream;
	m->len = (uint32_t)len;
	memcpy(m->data, pdu, len);
	if (g->txq_tail)
		g->txq_tail->next = m;
	else
		g->txq_head = m;
	g->txq_tail = m;
	g->txq_bytes += len;
	g->txq_len++;
	g->rs->stats.ngap_queued++;
	if (g->txq_len > g->rs->stats.ngap_queue_peak)
		g->rs->stats.ngap_queue_peak = g->txq_len;
	return 0;
}

int rs_ngap_send(struct rs_gnb *g, uint16_t stream, const struct sen_ngap_pdu *pdu)
{
	uint8_t buf[NGAP_MAX];
	int n = sen_ngap_encode(pdu, buf, sizeof(buf));

	if (n < 0) {
		sen_log_error("ngap", "%s: cannot encode %s: %s", g->name, sen_ngap_msg_name(pdu),
			      sen_strerror(n));
		return n;
	}
	if (!g->assoc)
		return -SEN_ENOENT;
	int rc = g->txq_head ? -SEN_EAGAIN /* behind what waits */
			     : sen_sctp_send(g->assoc, stream, SEN_SCTP_PPID_NGAP, buf, (size_t)n);
	if (rc == -SEN_EAGAIN) {
		rc = txq_push(g, stream, buf, (size_t)n);
		if (rc == 0) {
			sen_log_debug("ngap", "%s: %s queued (%d octets, stream %u; %llu waiting)",
				      g->name, sen_ngap_msg_name(pdu), n, stream,
				      (unsigned long long)g->txq_len);
			return 0;
		}
	}
	if (rc < 0)
		sen_log_warn("ngap", "%s: %s not sent on stream %u: %s", g->name,
			     sen_ngap_msg_name(pdu), stream, sen_strerror(rc));
	else
		sen_log_debug("ngap", "%s: sent %s (%d octets, stream %u)", g->name,
			      sen_ngap_msg_name(pdu), n, stream);
	return rc;
}

void rs_ngap_flush(struct rs_gnb *g)
{
	struct rs_txmsg *m;

	while ((m = g->txq_head) && g->assoc) {
		int rc = sen_sctp_send(g->assoc, m->stream, SEN_SCTP_PPID_NGAP, m->data, m->len);
		if (rc == -SEN_EAGAIN)
			return; /* full again: the next writable callback goes on */
		if (rc < 0) {
			sen_log_warn("ngap",
				     "%s: queued NGAP PDU (%u octets, stream %u) not sent: %s",
				     g->name, m->len, m->stream, sen_strerror(rc));
			g->rs->stats.ngap_queue_dropped++;
		}
		g->txq_head = m->next;
		if (!g->txq_head)
			g->txq_tail = NULL;
		g->txq_bytes -= m->len;
		g->txq_len--;
		free(m);
		if (rc == -SEN_ENOENT) { /* the association is going down */
			rs_ngap_txq_clear(g);
			return;
		}
	}
	if (!g->txq_head)
		sen_log_debug("ngap", "%s: send queue empty", g->name);
}

void rs_ngap_txq_clear(struct rs_gnb *g)
{
	if (g->txq_len)
		sen_log_warn("ngap", "%s: %llu queued NGAP PDUs dropped", g->name,
			     (unsigned long long)g->txq_len);
	g->rs->stats.ngap_queue_dropped += g->txq_len;
	while (g->txq_head) {
		struct rs_txmsg *m = g->txq_head;
		g->txq_head = m->next;
		free(m);
	}
	g->txq_tail = NULL;
	g->txq_bytes = 0;
	g->txq_len = 0;
}

int rs_ngap_send_msg(struct rs_gnb *g, uint16_t stream, unsigned kind, unsigned proc,
		     const void *msg)
{
	struct sen_ngap_pdu pdu;
	int rc = sen_ngap_pdu_init(&pdu, kind, proc, msg);

	return rc < 0 ? rc : rs_ngap_send(g, stream, &pdu);
}

/* TS 38.413 9.2.6.1 NG SETUP REQUEST: Global RAN Node ID (gNB), RAN node name, Supported TA
 * List (TAC, broadcast PLMN with the slices), Default Paging DRX. */
int rs_ngap_ng_setup_request(struct rs_gnb *g)
{
	const struct rs_config *cfg = g->rs->cfg;
	struct sen_ngap_slice_item slices[RS_MAX_SLICES];
	uint8_t sst[RS_MAX_SLICES], sd[RS_MAX_SLICES][3];
	struct sen_ngap_bplmn_item bplmn;
	struct sen_ngap_ta_item ta;
	struct sen_ngap_ng_setup_request m;

	memset(slices, 0, sizeof(slices));
	for (size_t i = 0; i < cfg->n_slices; i++) {
		sst[i] = cfg->slices[i].sst;
		slices[i].snssai.sst = (struct sen_asn_octets){&sst[i], 1};
		if (cfg->slices[i].sd != SEN_CFG_SD_NONE) {
			sd[i][0] = (uint8_t)(cfg->slices[i].sd >> 16);
			sd[i][1] = (uint8_t)(cfg->slices[i].sd >> 8);
			sd[i][2] = (uint8_t)cfg->slices[i].sd;
			slices[i].snssai.has_sd = true;
			slices[i].snssai.sd = (struct sen_asn_octets){sd[i], 3};
		}
	}
	memset(&bplmn, 0, sizeof(bplmn));
	bplmn.plmn = (struct sen_asn_octets){g->plmn, 3};
	bplmn.slices.items = slices;
	bplmn.slices.count = (uint32_t)cfg->n_slices;
	memset(&ta, 0, sizeof(ta));
	ta.tac = (struct sen_asn_octets){g->tac, 3};
	ta.bplmns.items = &bplmn;
	ta.bplmns.count = 1;

	memset(&m, 0, sizeof(m));
	m.global_ran_node_id.present = SEN_NGAP_NODE_GNB;
	m.global_ran_node_id.u.node.plmn = (struct sen_asn_octets){g->plmn, 3};
	m.global_ran_node_id.u.node.id.present = SEN_NGAP_CHOICE0;
	m.global_ran_node_id.u.node.id.u.bits = (struct sen_asn_bits){g->id_bits, cfg->gnb.id_bits};
	m.has_ran_node_name = true;
	m.ran_node_name = (struct sen_asn_octets){(const uint8_t *)g->name, (uint32_t)strlen(g->name)};
	m.supported_ta_list.items = &ta;
	m.supported_ta_list.count = 1;
	m.default_paging_drx = (uint8_t)cfg->gnb.paging_drx;
	return rs_ngap_send_msg(g, 0, SEN_NGAP_INITIATING, SEN_NGAP_PROC_NG_SETUP, &m);
}

void rs_ngap_fill_uli(const struct rs_gnb *g, struct sen_ngap_uli *u)
{
	memset(u, 0, sizeof(*u));
	u->present = SEN_NGAP_ULI_NR;
	u->u.nr.cgi.plmn = (struct sen_asn_octets){g->plmn, 3};
	u->u.nr.cgi.cell_id = (struct sen_asn_bits){g->nci_bits, 36};
	u->u.nr.tai.plmn = (struct sen_asn_octets){g->plmn, 3};
	u->u.nr.tai.tac = (struct sen_asn_octets){g->tac, 3};
}

/* TS 38.413 9.2.5.1 INITIAL UE MESSAGE: RAN UE NGAP ID, NAS-PDU, User Location Information
 * (NR CGI + TAI), RRC Establishment Cause (mo-Signalling: TS 38.331 for a registration). */
int rs_ngap_initial_ue_message(struct rs_conn *c, const uint8_t *nas, size_t len)
{
	struct sen_ngap_initial_ue_message m;

	memset(&m, 0, sizeof(m));
	m.ran_ue_ngap_id = c->ran_id;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	rs_ngap_fill_uli(c->gnb, &m.uli);
	m.rrc_establishment_cause = SEN_NGAP_RRC_MO_SIGNALLING;
	m.has_ue_context_request = true; /* 9.3.1.? UE Context Request: requested */
	m.ue_context_request = 0;
	return rs_ngap_send_msg(c->gnb, c->stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_UE_MESSAGE,
			&m);
}

/* TS 38.413 9.2.5.3 UPLINK NAS TRANSPORT */
int rs_ngap_uplink_nas(struct rs_conn *c, const uint8_t *nas, size_t len)
{
	struct sen_ngap_uplink_nas_transport m;

	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = c->amf_id;
	m.ran_ue_ngap_id = c->ran_id;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	rs_ngap_fill_uli(c->gnb, &m.uli);
	return rs_ngap_send_msg(c->gnb, c->stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT,
			&m);
}

/* TS 38.413 9.2.6.13 ERROR INDICATION (8.7.5: either node may send it). */
int rs_ngap_error_indication(struct rs_gnb *g, uint16_t stream, const uint64_t *amf_id,
			     const uint32_t *ran_id, unsigned cause_kind, uint8_t cause)
{
	struct sen_ngap_error_indication m;

	memset(&m, 0, sizeof(m));
	if (amf_id) {
		m.has_amf_ue_ngap_id = true;
		m.amf_ue_ngap_id = *amf_id;
	}
	if (ran_id) {
		m.has_ran_ue_ngap_id = true;
		m.ran_ue_ngap_id = *ran_id;
	}
	m.has_cause = true;
	m.cause.present = cause_kind;
	m.cause.u.value = cause;
	return rs_ngap_send_msg(g, stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, &m);
}

/* TS 38.413 9.2.2.2 INITIAL CONTEXT SETUP RESPONSE */
int rs_ngap_ics_response(struct rs_conn *c, struct sen_ngap_ps_transfer *ok, unsigned n_ok,
			 struct sen_ngap_ps_transfer *failed, unsigned n_failed)
{
	struct sen_ngap_initial_context_setup_response m;

	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = c->amf_id;
	m.ran_ue_ngap_id = c->ran_id;
	if (n_ok) {
		m.has_setup_list = true;
		m.setup_list.items = ok;
		m.setup_list.count = n_ok;
	}
	if (n_failed) {
		m.has_failed_list = true;
		m.failed_list.items = failed;
		m.failed_list.count = n_failed;
	}
	return rs_ngap_send_msg(c->gnb, c->stream, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP,
			&m);
}

/* TS 38.413 9.2.1.2 PDU SESSION RESOURCE SETUP RESPONSE */
int rs_ngap_pdu_setup_response(struct rs_conn *c, struct sen_ngap_ps_transfer *ok,
			       unsigned n_ok, struct sen_ngap_ps_transfer *failed,
			       unsigned n_failed)
{
	struct sen_ngap_pdu_session_resource_setup_response m;

	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = c->amf_id;
	m.ran_ue_ngap_id = c->ran_id;
	if (n_ok) {
		m.has_setup_list = true;
		m.setup_list.items = ok;
		m.setup_list.count = n_ok;
	}
	if (n_failed) {
		m.has_failed_list = true;
		m.failed_list.items = failed;
		m.failed_list.count = n_failed;
	}
	return rs_ngap_send_msg(c->gnb, c->stream, SEN_NGAP_SUCCESSFUL,
			SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP, &m);
}

/* TS 38.413 9.2.1.4 PDU SESSION RESOURCE RELEASE RESPONSE: each released session with a
 * PDU Session Resource Release Response Transfer (9.3.4.21, extensions only). */
int rs_ngap_pdu_release_response(struct rs_conn *c, const uint8_t *psis, unsigned n)
{
	struct sen_ngap_pdu_session_resource_release_response m;
	struct sen_ngap_ps_transfer items[16];
	struct sen_ngap_release_response_transfer t = {0};
	uint8_t tbuf[16];
	int tl = sen_ngap_transfer_encode(&sen_ngap_release_response_transfer_type, &t, tbuf,
					  sizeof(tbuf));

	if (tl < 0)
		return tl;
	if (n > 16)
		n = 16;
	memset(&m, 0, sizeof(m));
	memset(items, 0, sizeof(items));
	for (unsigned i = 0; i < n; i++) {
		items[i].psi = psis[i];
		items[i].transfer = (struct sen_asn_octets){tbuf, (uint32_t)tl};
	}
	m.amf_ue_ngap_id = c->amf_id;
	m.ran_ue_ngap_id = c->ran_id;
	m.released_list.items = items;
	m.released_list.count = n;
	return rs_ngap_send_msg(c->gnb, c->stream, SEN_NGAP_SUCCESSFUL,
			SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE, &m);
}

/* TS 38.413 9.2.2.6 UE CONTEXT RELEASE COMPLETE, with the User Location Information and the
 * PDU sessions that had resources (8.3.3.2). */
int rs_ngap_release_complete(struct rs_conn *c, const uint8_t *psis, unsigned n)
{
	struct sen_ngap_ue_context_release_complete m;
	struct sen_ngap_ps_item items[16];

	if (n > 16)
		n = 16;
	memset(&m, 0, sizeof(m));
	memset(items, 0, sizeof(items));
	m.amf_ue_ngap_id = c->amf_id;
	m.ran_ue_ngap_id = c->ran_id;
	m.has_uli = true;
	rs_ngap_fill_uli(c->gnb, &m.uli);
	for (unsigned i = 0; i < n; i++)
		items[i].psi = psis[i];
	if (n) {
		m.has_pdu_sessions = true;
		m.pdu_sessions.items = items;
		m.pdu_sessions.count = n;
	}
	return rs_ngap_send_msg(c->gnb, c->stream, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_UE_CONTEXT_RELEASE,
			&m);
}

/* ---- cause names (TS 38.413 9.3.1.2), for log lines and the NG Setup failure report ---- */

static const char *const rn_causes[] = {
	"unspecified", "txnrelocoverall-expiry", "successful-handover",
	"release-due-to-ngran-generated-reason", "release-due-to-5gc-generated-reason",
	"handover-cancelled", "partial-handover", "ho-failure-in-target-5GC-ngran-node-or-target-system",
	"ho-target-not-allowed", "tngrelocoverall-expiry", "tngrelocprep-expiry",
	"cell-not-available", "unknown-targetID", "no-radio-resources-available-in-target-cell",
	"unknown-local-UE-NGAP-ID", "inconsistent-remote-UE-NGAP-ID",
	"handover-desirable-for-radio-reason", "time-critical-handover",
	"resource-optimisation-handover", "reduce-load-in-serving-cell", "user-inactivity",
	"radio-connection-with-ue-lost", "radio-resources-not-available", "invalid-qos-combination",
	"failure-in-radio-interface-procedure", "interaction-with-other-procedure",
	"unknown-PDU-session-ID", "unkown-qos-flow-ID", "multiple-PDU-session-ID-instances",
	"multiple-qos-flow-ID-instances",
};
static const char *const transport_causes[] = {"transport-resource-unavailable", "unspecified"};
static const char *const nas_causes[] = {"normal-release", "authentication-failure",
					 "deregister", "unspecified"};
static const char *const protocol_causes[] = {
	"transfer-syntax-error", "abstract-syntax-error-reject",
	"abstract-syntax-error-ignore-and-notify", "message-not-compatible-with-receiver-state",
	"semantic-error", "abstract-syntax-error-falsely-constructed-message", "unspecified",
};
static const char *const misc_causes[] = {
	"control-processing-overload", "not-enough-user-plane-processing-resources",
	"hardware-failure", "om-intervention", "unknown-PLMN-or-SNPN", "unspecified",
};

#define NAMES(a) a, sizeof(a) / sizeof(a[0])

const char *rs_ngap_cause_str(unsigned kind, unsigned value, char *buf, size_t len)
{
	static const struct {
		const char *kind;
		const char *const *names;
		unsigned n;
	} t[] = {
		{"radioNetwork", NAMES(rn_causes)}, {"transport", NAMES(transport_causes)},
		{"nas", NAMES(nas_causes)},	    {"protocol", NAMES(protocol_causes)},
		{"misc", NAMES(misc_causes)},
	};

	if (kind >= sizeof(t) / sizeof(t[0]))
		snprintf(buf, len, "cause extension");
	else if (value < t[kind].n)
		snprintf(buf, len, "%s/%s", t[kind].kind, t[kind].names[value]);
	else
		snprintf(buf, len, "%s/%u", t[kind].kind, value);
	return buf;
}
