/*
 * sen-amf metrics (DESIGN.md, Observability): TS 28.552 measurements under the names
 * Open5GS gives them (fivegs_amffunction_*), so existing dashboards work, plus gauges of
 * gNBs, RAN UEs and registered UEs, and counters of dropped NAS/NGAP input.
 */
#ifndef SEN_AMF_METRICS_H
#define SEN_AMF_METRICS_H

#include <stdint.h>

struct amf;

/* Registration procedure by type (TS 24.501 9.11.3.7 values 1..4). */
enum amf_reg_kind { AMF_REG_INIT = 0, AMF_REG_MOB, AMF_REG_PERIOD, AMF_REG_EMERG };

int amf_metrics_init(void);
void amf_metrics_gnbs(struct amf *amf);
void amf_metrics_registered(struct amf *amf);
void amf_metrics_ran_ues(struct amf *amf, int delta);
void amf_metrics_reg_req(uint8_t reg_type);
void amf_metrics_reg_succ(uint8_t reg_type);
void amf_metrics_reg_fail(uint8_t reg_type, uint8_t cause);
void amf_metrics_auth_req(void);
void amf_metrics_auth_reject(void);
void amf_metrics_auth_fail(uint8_t cause);
/* A NAS message dropped: reason "integrity", "replay", "unprotected", "malformed", "state". */
void amf_metrics_nas_dropped(const char *reason);
/*
 * An NGAP PDU received from / sent to a gNB (decoded, resp. handed to SCTP), counted in
 * sen_amf_ngap_messages_total{direction="received"|"sent", message="<TS 38.413 message
 * name>"}, e.g. message="InitialUEMessage". Undecodable PDUs are counted in
 * sen_amf_ngap_errors_total instead. A series is looked up once per (direction, message).
 */
struct sen_ngap_pdu;
void amf_metrics_ngap_rx(const struct sen_ngap_pdu *pdu);
void amf_metrics_ngap_tx(const struct sen_ngap_pdu *pdu);
/* An NGAP PDU that could not be handled: reason "malformed", "unknown-ue", "criticality". */
void amf_metrics_ngap_error(const char *reason);

#endif
