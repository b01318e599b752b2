/*
 * sen-amf N2 (NGAP, TS 38.413) inside the AMF: ngap-path.c (SCTP association, decoding,
 * clause 10 judgement, dispatch), ngap-handler.c (what each received message does),
 * ngap-build.c (each message the AMF sends).
 */
#ifndef SEN_AMF_NGAP_H
#define SEN_AMF_NGAP_H

#include <stddef.h>
#include <stdint.h>

#include "nas/nas.h"
#include "ngap/ngap.h"

struct amf;
struct amf_gnb;
struct amf_ue;

/* ---- path ---- */

/* Open the NGAP endpoint (amf.ngap) and listen. 0 or an error with a line in err. */
int amf_ngap_start(struct amf *amf, char *err, size_t errlen);
void amf_ngap_stop(struct amf *amf);

/* Most octets of downlink PDUs that may wait in one gNB's send queue (ngap-path.c). */
#define AMF_NGAP_TXQ_MAX (64u << 20)

/* Encode and send a PDU to a gNB on `stream`. When the association's send buffer is full
 * (or PDUs already wait), the PDU joins the gNB's FIFO send queue, sent in order when
 * lib/sctp reports send space: 0 then too. A negative error (logged) when it is neither
 * sent nor queued: no association, encoding error, or the queue at AMF_NGAP_TXQ_MAX
 * (counted in sen_amf_ngap_send_queue_dropped_total{reason="full"}). */
int amf_ngap_send(struct amf_gnb *gnb, uint16_t stream, const struct sen_ngap_pdu *pdu);
/* Drop (counted, logged with `why`) what waits in gnb's send queue. The path calls it when
 * the association goes down or restarts and before the gNB is freed. */
void amf_ngap_txq_clear(struct amf_gnb *gnb, const char *why);

/* ---- handlers (ngap-handler.c); `pdu` was decoded and judged by the path ---- */

struct amf_ngap_rx {
	struct amf_gnb *gnb;
	uint16_t stream;
	const struct sen_ngap_pdu *pdu;
	const void *msg; /* pdu->msg.value.value */
	/* TS 38.413 10.3.4.2 / 10.3.5: IEs ignored with "notify sender" in the initiating
	   message, to report in the procedure's response (NULL when there are none; only
	   NG Setup, RAN Configuration Update and NG Reset get one, see ngap-path.c) */
	const struct sen_ngap_crit_diag *diag;
};

void amf_ngap_handle(const struct amf_ngap_rx *rx);

/* ---- builders (ngap-build.c) ---- */

/* The answers of the class 1 procedures a gNB starts. diag (may be NULL): the Criticality
 * Diagnostics of the initiating message (TS 38.413 10.3.4.2, 10.3.5), without Procedure
 * Code or Triggering Message (9.3.1.3). */
int amf_ngap_send_ng_setup_response(struct amf_gnb *gnb, const struct sen_ngap_crit_diag *diag);
/* NG Setup Failure, with the configured Time to Wait. */
int amf_ngap_send_ng_setup_failure(struct amf_gnb *gnb, unsigned cause_kind, uint8_t cause,
				   const struct sen_ngap_crit_diag *diag);
int amf_ngap_send_ran_config_update_ack(struct amf_gnb *gnb, const struct sen_ngap_crit_diag *diag);
/* RAN Configuration Update Failure, without Time to Wait. */
int amf_ngap_send_ran_config_update_failure(struct amf_gnb *gnb, unsigned cause_kind, uint8_t cause,
					    const struct sen_ngap_crit_diag *diag);
/* NG Reset Acknowledge; a partial reset's list of UE-associated connections is echoed. */
int amf_ngap_send_ng_reset_ack(struct amf_gnb *gnb, const struct sen_ngap_ng_reset *reset,
			       const struct sen_ngap_crit_diag *diag);
/* Error Indication (9.2.6.13). IDs < 0 are left out; diag may be NULL. */
int amf_ngap_send_error_indication(struct amf_gnb *gnb, uint16_t stream, int64_t amf_ue_ngap_id,
				   int64_t ran_ue_ngap_id, unsigned cause_kind, uint8_t cause,
				   const struct sen_ngap_crit_diag *diag);
int amf_ngap_send_dl_nas(struct amf_ue *ue, const uint8_t *nas, size_t len);
/* Initial Context Setup Request with KgNB, UE security capabilities and the NAS-PDU. */
int amf_ngap_send_ics_request(struct amf_ue *ue, const uint8_t kgnb[32], const uint8_t *nas,
			      size_t len);
/* UE Context Release Command (9.2.2.5) for the UE's N2 binding; starts the release guard. */
int amf_ngap_send_ue_release(struct amf_ue *ue, unsigned cause_kind, uint8_t cause);
int amf_ngap_send_ue_release_ids(struct amf_gnb *gnb, uint64_t amf_ue_ngap_id,
				 uint32_t ran_ue_ngap_id, unsigned cause_kind, uint8_t cause);
/* PDU Session Resource Setup Request (9.2.1.1) for one session: its S-NSSAI, the Setup
 * Request Transfer from the SMF and, if nas is not NULL, the PDU Session NAS-PDU. */
int amf_ngap_send_ps_setup(struct amf_ue *ue, uint8_t psi, const struct sen_nas_snssai *snssai,
			   const uint8_t *transfer, size_t tlen, const uint8_t *nas, size_t nlen);
/* PDU Session Resource Release Command (9.2.1.3) for one session, with the NAS-PDU. */
int amf_ngap_send_ps_release(struct amf_ue *ue, uint8_t psi, const uint8_t *transfer,
			     size_t tlen, const uint8_t *nas, size_t nlen);

#endif
