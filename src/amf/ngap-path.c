/*
 * sen-amf NGAP path: the SCTP endpoint that gNBs associate with (TS 38.412 clause 7: PPID
 * 60, stream 0 for non-UE-associated signalling), decoding of every received PDU, the
 * TS 38.413 clause 10 judgement (sen_ngap_judge) and the hand-over to ngap-handler.c.
 *
 * Everything received is hostile (DESIGN.md, Bad input): a PDU that does not decode is
 * answered with an Error Indication (10.2 transfer syntax error / 10.3 abstract syntax
 * error), never with an assert; only the association it came on is concerned.
 *
 * Send queue: when thousands of UEs act at once the association's send buffer fills and
 * lib/sctp refuses with -SEN_EAGAIN. The PDU then waits in the gNB's FIFO, and so does
 * every later PDU for that gNB while anything waits (no UE's messages overtake each
 * other, nor the non-UE ones); the writable callback sends the queue in order until the
 * next refusal (docs/sctp.md, Send space). At most AMF_NGAP_TXQ_MAX octets wait per gNB:
 * past that a PDU is dropped, counted and logged (that UE's procedure is then recovered
 * by the NAS timers). What waits is dropped and counted when the association goes down
 * or restarts, or the AMF stops.
 */
#include "ngap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asn/asn.h"
#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "metrics.h"
#include "core/metrics.h"
#include "sctp/sctp.h"

#define NGAP_STREAMS 16

/* One downlink PDU waiting in a gNB's send queue. */
struct amf_ngap_txmsg {
	struct amf_ngap_txmsg *next;
	uint16_t stream;
	uint32_t len;
	uint8_t data[];
};

/* Send-queue metrics, over all gNBs. */
static struct sen_metric *m_queued, *m_qdropped, *m_qpdus, *m_qbytes;
static int64_t q_pdus, q_bytes;

static void txq_metrics_init(void)
{
	m_queued = sen_metric_new(
	    SEN_METRIC_COUNTER, "sen_amf_ngap_send_queued_total",
	    "NGAP PDUs that waited in a gNB's send queue (SCTP send buffer full)", NULL);
	m_qdropped =
	    sen_metric_new(SEN_METRIC_COUNTER, "sen_amf_ngap_send_queue_dropped_total",
			   "NGAP PDUs dropped from or refused by a gNB's send queue", "reason");
	m_qpdus = sen_metric_new(SEN_METRIC_GAUGE, "sen_amf_ngap_send_queue_pdus",
				 "NGAP PDUs waiting in the gNBs' send queues", NULL);
	m_qbytes = sen_metric_new(SEN_METRIC_GAUGE, "sen_amf_ngap_send_queue_bytes",
				  "Octets of NGAP PDUs waiting in the gNBs' send queues", NULL);
	q_pdus = q_bytes = 0;
	if (m_qpdus)
		sen_metric_set(sen_metric_single(m_qpdus), 0);
	if (m_qbytes)
		sen_metric_set(sen_metric_single(m_qbytes), 0);
}

static void txq_depth(int64_t pdus, int64_t bytes)
{
	q_pdus += pdus;
	q_bytes += bytes;
	if (m_qpdus)
		sen_metric_set(sen_metric_single(m_qpdus), q_pdus);
	if (m_qbytes)
		sen_metric_set(sen_metric_single(m_qbytes), q_bytes);
}

static void txq_dropped(const char *reason, uint64_t n)
{
	if (m_qdropped && n)
		sen_metric_add(sen_metric_series(m_qdropped, (const char *[]){reason}), (int64_t)n);
}

/* Append a PDU to gnb's send queue: 0, or -SEN_ENOMEM (AMF_NGAP_TXQ_MAX reached, no
 * memory; counted and logged). */
static int txq_push(struct amf_gnb *gnb, uint16_t stream, const uint8_t *pdu, size_t len,
		    const char *what)
{
	struct amf_ngap_txmsg *m;

	if (gnb->txq_bytes + len > AMF_NGAP_TXQ_MAX) {
		sen_log_error("ngap",
			      "gNB %s: send queue full (%zu octets, %zu PDUs waiting): "
			      "%s dropped",
			      gnb->name, gnb->txq_bytes, gnb->txq_len, what);
		txq_dropped("full", 1);
		return -SEN_ENOMEM;
	}
	m = malloc(sizeof(*m) + len);
	if (!m) {
		sen_log_error("ngap", "gNB %s: out of memory for the send queue: %s dropped",
			      gnb->name, what);
		txq_dropped("nomem", 1);
		return -SEN_ENOMEM;
	}
	m->next = NULL;
	m->stream = stream;
	m->len = (uint32_t)len;
	memcpy(m->data, pdu, len);
	if (gnb->txq_tail)
		gnb->txq_tail->next = m;
	else
		gnb->txq_head = m;
	gnb->txq_tail = m;
	gnb->txq_bytes += len;
	gnb->txq_len++;
	if (m_queued)
		sen_metric_add(sen_metric_single(m_queued), 1);
	txq_depth(1, (int64_t)len);
	return 0;
}

/* Take the head of gnb's send queue off and free it. */
static void txq_pop(struct amf_gnb *gnb)
{
	struct amf_ngap_txmsg *m = gnb->txq_head;

	gnb->txq_head = m->next;
	if (!gnb->txq_head)
		gnb->txq_tail = NULL;
	gnb->txq_bytes -= m->len;
	gnb->txq_len--;
	txq_depth(-1, -(int64_t)m->len);
	free(m);
}

void amf_ngap_txq_clear(struct amf_gnb *gnb, const char *why)
{
	size_t n = gnb->txq_len;

	if (!n)
		return;
	sen_log_warn("ngap", "gNB %s: %zu queued NGAP PDUs (%zu octets) dropped: %s", gnb->name, n,
		     gnb->txq_bytes, why);
	while (gnb->txq_head)
		txq_pop(gnb);
	txq_dropped(why, n);
}

/* Send what waits in gnb's queue, in order, until the association refuses again. */
static void txq_flush(struct amf_gnb *gnb)
{
	while (gnb->txq_head && gnb->assoc) {
		struct amf_ngap_txmsg *m = gnb->txq_head;
		int rc = sen_sctp_send(gnb->assoc, m->stream, SEN_SCTP_PPID_NGAP, m->data, m->len);
		if (rc == -SEN_EAGAIN)
			return; /* full again: the next writable callback goes on */
		if (rc < 0) {
			sen_log_error("ngap",
				      "gNB %s: queued NGAP PDU (%u octets, stream %u) not "
				      "sent: %s",
				      gnb->name, m->len, m->stream, sen_strerror(rc));
			txq_dropped("error", 1);
		}
		txq_pop(gnb);
		if (rc == -SEN_ENOENT) { /* the association is going down */
			amf_ngap_txq_clear(gnb, "down");
			return;
		}
	}
	if (!gnb->txq_head)
		sen_log_debug("ngap", "gNB %s: send queue empty", gnb->name);
}

static void on_up(struct sen_sctp_assoc *assoc, uint16_t in, uint16_t out, void *arg)
{
	struct amf *amf = arg;
	struct amf_gnb *gnb = sen_sctp_assoc_data(assoc);

	if (gnb) { /* restart reported as up again: start over */
		sen_sctp_assoc_set_data(assoc, NULL);
		gnb->assoc = NULL; /* nothing more for the old contexts */
		amf_ngap_txq_clear(gnb, "restart");
		amf_gnb_free(gnb);
	}
	gnb = amf_gnb_new(amf, assoc);
	if (!gnb) {
		sen_log_error("ngap", "out of memory for a gNB: association aborted");
		sen_sctp_abort(assoc);
		return;
	}
	gnb->out_streams = out;
	sen_sctp_assoc_set_data(assoc, gnb);
	sen_log_info("ngap", "gNB %s associated (%u/%u streams)", gnb->peer, in, out);
}

static void on_restart(struct sen_sctp_assoc *assoc, uint16_t in, uint16_t out, void *arg)
{
	/* TS 38.412 / RFC 9260 5.2.4: the peer lost its state; so do we for it. */
	sen_log_warn("ngap", "SCTP restart from a gNB: its UE contexts are released");
	on_up(assoc, in, out, arg);
}

static void on_down(struct sen_sctp_assoc *assoc, enum sen_sctp_down_reason why, void *arg)
{
	struct amf_gnb *gnb = sen_sctp_assoc_data(assoc);

	if (!gnb)
		return;
	sen_log_info("ngap", "gNB %s (%s) association down (reason %d)", gnb->name, gnb->peer,
		     (int)why);
	gnb->assoc = NULL;
	sen_sctp_assoc_set_data(assoc, NULL);
	amf_ngap_txq_clear(gnb, "down");
	amf_gnb_free(gnb);
}

/* The association has send space again (after a -SEN_EAGAIN): send what waits. */
static void on_writable(struct sen_sctp_assoc *assoc, void *arg)
{
	struct amf_gnb *gnb = sen_sctp_assoc_data(assoc);

	(void)arg;
	if (gnb && gnb->assoc == assoc)
		txq_flush(gnb);
}

/* Best-effort UE NGAP IDs of a PDU that failed to decode, for the Error Indication: not
 * available without decoding, so none are given (TS 38.413 10.2 allows this). */
static void transfer_syntax_error(struct amf_gnb *gnb, uint16_t stream,
				  const struct sen_asn_ctx *ctx, int rc)
{
	char where[256];

	sen_asn_ctx_where(ctx, where, sizeof(where));
	sen_log_warn("ngap", "gNB %s: undecodable PDU (%s) at %s: Error Indication", gnb->name,
		     sen_strerror(rc), where[0] ? where : "?");
	amf_metrics_ngap_error("malformed");
	/* TS 38.413 10.2: Error Indication with cause Transfer Syntax Error. */
	amf_ngap_send_error_indication(gnb, stream, -1, -1, SEN_NGAP_CAUSE_PROTOCOL,
				       SEN_NGAP_CAUSE_PROTO_TRANSFER_SYNTAX_ERROR, NULL);
}

/* UE NGAP IDs named in a message, for Error Indications about it. */
static void ue_ids_of(const struct sen_ngap_pdu *pdu, int64_t *amf_id, int64_t *ran_id)
{
	*amf_id = *ran_id = -1;
	if (!pdu->msg.value.type || !pdu->msg.value.value)
		return;
	switch (pdu->msg.procedure_code) {
	case SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT: {
		const struct sen_ngap_uplink_nas_transport *m = pdu->msg.value.value;
		*amf_id = (int64_t)m->amf_ue_ngap_id;
		*ran_id = m->ran_ue_ngap_id;
		break;
	}
	case SEN_NGAP_PROC_INITIAL_UE_MESSAGE: {
		const struct sen_ngap_initial_ue_message *m = pdu->msg.value.value;
		*ran_id = m->ran_ue_ngap_id;
		break;
	}
	default:
		break;
	}
}

/* 9.3.1.3: in an Error Indication, Criticality Diagnostics name the procedure and the
 * triggering message (sen_ngap_judge leaves them out unless it chose the Error Indication). */
static void diag_for_error_indication(struct sen_ngap_crit_diag *d, const struct sen_ngap_pdu *pdu)
{
	d->has_procedure_code = true;
	d->procedure_code = pdu->msg.procedure_code;
	if (pdu->present <= SEN_NGAP_UNSUCCESSFUL) {
		d->has_triggering_message = true;
		d->triggering_message = (uint8_t)pdu->present;
	}
}

/* The class 1 procedures a gNB starts that the AMF answers (ngap-handler.c), whose responses
 * carry Criticality Diagnostics (9.2.6.2, 9.2.6.3, 9.2.6.5, 9.2.6.6, 9.2.6.12). */
static bool answers_with_diag(const struct sen_ngap_pdu *pdu)
{
	if (pdu->present != SEN_NGAP_INITIATING)
		return false;
	switch (pdu->msg.procedure_code) {
	case SEN_NGAP_PROC_NG_SETUP:
	case SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE:
	case SEN_NGAP_PROC_NG_RESET:
		return true;
	default:
		return false;
	}
}

/* 10.3.4.2 / 10.3.5 "reject IE": the procedure's unsuccessful outcome, with CauseProtocol and
 * the Criticality Diagnostics. -SEN_ENOENT for a procedure whose failure the AMF does not
 * send (the caller sends an Error Indication). */
static int send_unsuccessful(struct amf_gnb *gnb, const struct sen_ngap_pdu *pdu,
			     const struct sen_ngap_judgement *j)
{
	switch (pdu->msg.procedure_code) {
	case SEN_NGAP_PROC_NG_SETUP:
		amf_ngap_send_ng_setup_failure(gnb, SEN_NGAP_CAUSE_PROTOCOL, j->cause_protocol,
					       &j->diag);
		return 0;
	case SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE:
		amf_ngap_send_ran_config_update_failure(gnb, SEN_NGAP_CAUSE_PROTOCOL,
							j->cause_protocol, &j->diag);
		return 0;
	default:
		return -SEN_ENOENT;
	}
}

static void on_message(struct sen_sctp_assoc *assoc, uint16_t stream, uint32_t ppid,
		       const uint8_t *data, size_t len, void *arg)
{
	struct amf_gnb *gnb = sen_sctp_assoc_data(assoc);
	uint8_t stack[8192];
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu;
	struct sen_ngap_judgement j;
	const struct sen_ngap_crit_diag *diag = NULL;
	int rc;

	if (!gnb)
		return;
	if (ppid != SEN_SCTP_PPID_NGAP) {
		sen_log_warn("ngap", "gNB %s: message with PPID %u dropped", gnb->name, ppid);
		amf_metrics_ngap_error("ppid");
		return;
	}
	sen_asn_arena_init(&arena, stack, sizeof(stack), 1u << 20);
	sen_asn_ctx_init(&ctx, &arena, 0);
	rc = sen_ngap_decode(&pdu, data, len, &ctx);
	if (rc < 0) {
		transfer_syntax_error(gnb, stream, &ctx, rc);
		goto out;
	}
	amf_metrics_ngap_rx(&pdu);
	switch (sen_ngap_judge(&pdu, &ctx, &j)) { /* TS 38.413 clause 10 */
	case SEN_NGAP_REJECT: {
		int64_t amf_id, ran_id;
		amf_metrics_ngap_error("criticality");
		ue_ids_of(&pdu, &amf_id, &ran_id);
		sen_log_warn("ngap", "gNB %s: %s rejected (clause 10, cause protocol %u)",
			     gnb->name, sen_ngap_msg_name(&pdu), j.cause_protocol);
		if (j.reply == SEN_NGAP_REPLY_UNSUCCESSFUL && send_unsuccessful(gnb, &pdu, &j) == 0)
			goto out;
		if (j.reply == SEN_NGAP_REPLY_UNSUCCESSFUL ||
		    j.reply == SEN_NGAP_REPLY_ERROR_INDICATION) {
			/* A procedure whose failure the AMF does not send (10.3.4.2): an Error
			   Indication, whose diagnostics name the procedure (9.3.1.3). */
			diag_for_error_indication(&j.diag, &pdu);
			amf_ngap_send_error_indication(gnb, stream, amf_id, ran_id,
						       SEN_NGAP_CAUSE_PROTOCOL, j.cause_protocol,
						       &j.diag);
		}
		goto out;
	}
	case SEN_NGAP_PROCEED_NOTIFY: {
		int64_t amf_id, ran_id;
		if (j.reply == SEN_NGAP_REPLY_RESPONSE && answers_with_diag(&pdu)) {
			/* 10.3.4.2 / 10.3.5: run the procedure; its response (successful or
			   unsuccessful outcome) reports the ignored IEs in Criticality
			   Diagnostics */
			diag = &j.diag;
			break;
		}
		if (j.reply == SEN_NGAP_REPLY_RESPONSE) {
			/* A class 1 procedure the AMF does not answer (one a gNB does not
			   start): report by Error Indication rather than not at all, with the
			   fields 9.3.1.3 wants there. */
			diag_for_error_indication(&j.diag, &pdu);
		}
		ue_ids_of(&pdu, &amf_id, &ran_id);
		amf_ngap_send_error_indication(gnb, stream, amf_id, ran_id, SEN_NGAP_CAUSE_PROTOCOL,
					       j.cause_protocol, &j.diag);
		break;
	}
	case SEN_NGAP_PROCEED:
		break;
	}
	if (!pdu.msg.value.type) { /* unknown procedure with criticality ignore */
		sen_log_debug("ngap", "gNB %s: unknown procedure %u ignored", gnb->name,
			      pdu.msg.procedure_code);
		goto out;
	}
	struct amf_ngap_rx rx = {.gnb = gnb, .stream = stream, .pdu = &pdu,
				 .msg = pdu.msg.value.value, .diag = diag};
	amf_ngap_handle(&rx);
out:
	sen_asn_arena_fini(&arena);
}

int amf_ngap_send(struct amf_gnb *gnb, uint16_t stream, const struct sen_ngap_pdu *pdu)
{
	uint8_t out[4096];
	int n, rc;

	if (!gnb->assoc)
		return -SEN_ENOENT;
	n = sen_ngap_encode(pdu, out, sizeof(out));
	if (n < 0) {
		sen_log_error("ngap", "cannot encode %s: %s", sen_ngap_msg_name(pdu),
			      sen_strerror(n));
		return n;
	}
	if (stream >= gnb->out_streams)
		stream = 0;
	rc = gnb->txq_head ? -SEN_EAGAIN /* behind what waits */
			   : sen_sctp_send(gnb->assoc, stream, SEN_SCTP_PPID_NGAP, out, (size_t)n);
	if (rc == -SEN_EAGAIN) {
		rc = txq_push(gnb, stream, out, (size_t)n, sen_ngap_msg_name(pdu));
		if (rc < 0)
			return rc; /* logged and counted */
		sen_log_debug("ngap", "gNB %s: %s queued (%d octets, stream %u; %zu waiting)",
			      gnb->name, sen_ngap_msg_name(pdu), n, stream, gnb->txq_len);
	}
	if (rc >= 0) /* sent, or queued to be sent in order */
		amf_metrics_ngap_tx(pdu);
	if (rc < 0)
		sen_log_warn("ngap", "gNB %s: %s not sent: %s", gnb->name, sen_ngap_msg_name(pdu),
			     sen_strerror(rc));
	return rc < 0 ? rc : 0;
}

int amf_ngap_start(struct amf *amf, char *err, size_t errlen)
{
	struct sen_sctp_config sc = {
	    .transport = (enum sen_sctp_transport)amf->cfg.ngap.transport,
	    .udp_local_port = amf->cfg.ngap.udp_port,
	    .streams = NGAP_STREAMS,
	    .sndbuf = amf->cfg.ngap.sndbuf,
	};
	struct sen_sctp_callbacks cbs = {.up = on_up,
					 .restart = on_restart,
					 .down = on_down,
					 .message = on_message,
					 .writable = on_writable};
	char addr[64];
	int rc;

	txq_metrics_init();
	sen_cfg_ip_str(&amf->cfg.ngap.addr, addr, sizeof(addr));
	rc = sen_sctp_endpoint_new(&amf->sctp, amf->loop, &sc, &cbs, amf);
	if (rc < 0) {
		snprintf(err, errlen, "%s: amf.ngap: cannot open the SCTP endpoint (%s): %s",
			 amf->file->file, sen_sctp_transport_name(sc.transport), sen_strerror(rc));
		return rc;
	}
	rc = sen_sctp_listen(amf->sctp, addr, amf->cfg.ngap.port);
	if (rc < 0) {
		snprintf(err, errlen, "%s: amf.ngap: cannot listen on %s:%u: %s", amf->file->file,
			 addr, amf->cfg.ngap.port, sen_strerror(rc));
		sen_sctp_close(amf->sctp);
		amf->sctp = NULL;
		return rc;
	}
	sen_log_info("ngap", "NGAP on %s:%u (%s)", addr, amf->cfg.ngap.port,
		     sen_sctp_transport_name(sen_sctp_endpoint_transport(amf->sctp)));
	return 0;
}

void amf_ngap_stop(struct amf *amf)
{
	if (!amf->sctp)
		return;
	for (struct amf_gnb *g = amf->gnbs; g; g = g->next) {
		g->assoc = NULL;
		amf_ngap_txq_clear(g, "stopped");
	}
	sen_sctp_close(amf->sctp);
	amf->sctp = NULL;
}
