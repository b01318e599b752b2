/*
 * sen-amf metrics. Names of TS 28.552 5.2 measurements as Open5GS exports them
 * (RM.RegInitReq -> fivegs_amffunction_rm_reginitreq …), gauges of gNBs, RAN UEs and
 * registered subscribers.
 */
#include "metrics.h"

#include <stdio.h>
#include <string.h>

#include "context.h"
#include "core/err.h"
#include "core/metrics.h"
#include "ngap/ngap.h"

static struct sen_metric *m_gnb, *m_ran_ue, *m_registered, *m_req[4], *m_succ[4], *m_fail[4],
    *m_authreq, *m_authreject, *m_authfail, *m_nas_dropped, *m_ngap_err, *m_ngap_msgs;
static int64_t ran_ues;

/* sen_amf_ngap_messages_total series by [direction][PDU kind][procedure code]: the label
 * lookup (hash, lock) is paid once per message type, not once per message. Procedure codes
 * are 0..255 (TS 38.413 9.4.7 ProcedureCode); unknown kinds share the last slot. */
#define NGAP_KINDS 4
static struct sen_metric_series *ngap_series[2][NGAP_KINDS][256];

int amf_metrics_init(void)
{
	static const char *const kind[4] = {"init", "mob", "period", "emerg"};
	char name[96], help[128];

	m_gnb = sen_metric_new(SEN_METRIC_GAUGE, "gnb", "gNodeBs connected (NG Setup done or not)", NULL);
	m_ran_ue = sen_metric_new(SEN_METRIC_GAUGE, "ran_ue", "RAN UEs (UEs with an N2 connection)", NULL);
	m_registered = sen_metric_new(SEN_METRIC_GAUGE, "fivegs_amffunction_rm_registeredsubnbr",
				      "Number of registered state subscribers per AMF", NULL);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "fivegs_amffunction_rm_reg%sreq", kind[i]);
		snprintf(help, sizeof(help), "Number of %s registration requests received by the AMF", kind[i]);
		m_req[i] = sen_metric_new(SEN_METRIC_COUNTER, name, help, NULL);
		snprintf(name, sizeof(name), "fivegs_amffunction_rm_reg%ssucc", kind[i]);
		snprintf(help, sizeof(help), "Number of successful %s registrations at the AMF", kind[i]);
		m_succ[i] = sen_metric_new(SEN_METRIC_COUNTER, name, help, NULL);
		snprintf(name, sizeof(name), "fivegs_amffunction_rm_reg%sfail", kind[i]);
		snprintf(help, sizeof(help), "Number of failed %s registrations at the AMF", kind[i]);
		m_fail[i] = sen_metric_new(SEN_METRIC_COUNTER, name, help, "cause");
	}
	m_authreq = sen_metric_new(SEN_METRIC_COUNTER, "fivegs_amffunction_amf_authreq",
				   "Number of authentication requests sent by the AMF", NULL);
	m_authreject = sen_metric_new(SEN_METRIC_COUNTER, "fivegs_amffunction_amf_authreject",
				      "Number of authentication rejections sent by the AMF", NULL);
	m_authfail = sen_metric_new(SEN_METRIC_COUNTER, "fivegs_amffunction_amf_authfail",
				    "Number of authentication failures received by the AMF", "cause");
	m_nas_dropped = sen_metric_new(SEN_METRIC_COUNTER, "sen_amf_nas_dropped_total",
				       "NAS messages dropped by the AMF", "reason");
	m_ngap_err = sen_metric_new(SEN_METRIC_COUNTER, "sen_amf_ngap_errors_total",
				    "NGAP PDUs answered with an error or dropped", "reason");
	m_ngap_msgs = sen_metric_new(SEN_METRIC_COUNTER, "sen_amf_ngap_messages_total",
				     "NGAP messages received from and sent to gNBs, by message",
				     "direction,message");
	memset(ngap_series, 0, sizeof(ngap_series));
	if (!m_gnb || !m_ran_ue || !m_registered || !m_authreq || !m_nas_dropped || !m_ngap_err ||
	    !m_ngap_msgs)
		return -SEN_ENOMEM;
	sen_metric_set(sen_metric_single(m_gnb), 0);
	sen_metric_set(sen_metric_single(m_ran_ue), 0);
	sen_metric_set(sen_metric_single(m_registered), 0);
	ran_ues = 0;
	return 0;
}

static int kind_of(uint8_t reg_type)
{
	return reg_type >= 1 && reg_type <= 4 ? reg_type - 1 : 0;
}

void amf_metrics_gnbs(struct amf *amf)
{
	sen_metric_set(sen_metric_single(m_gnb), (int64_t)amf->n_gnbs);
}

void amf_metrics_registered(struct amf *amf)
{
	sen_metric_set(sen_metric_single(m_registered), (int64_t)amf->n_registered);
}

void amf_metrics_ran_ues(struct amf *amf, int delta)
{
	ran_ues += delta;
	sen_metric_set(sen_metric_single(m_ran_ue), ran_ues);
}

void amf_metrics_reg_req(uint8_t t)
{
	sen_metric_add(sen_metric_single(m_req[kind_of(t)]), 1);
}

void amf_metrics_reg_succ(uint8_t t)
{
	sen_metric_add(sen_metric_single(m_succ[kind_of(t)]), 1);
}

void amf_metrics_reg_fail(uint8_t t, uint8_t cause)
{
	char c[8];
	snprintf(c, sizeof(c), "%u", cause);
	sen_metric_add(sen_metric_series(m_fail[kind_of(t)], (const char *[]){c}), 1);
}

void amf_metrics_auth_req(void)
{
	sen_metric_add(sen_metric_single(m_authreq), 1);
}

void amf_metrics_auth_reject(void)
{
	sen_metric_add(sen_metric_single(m_authreject), 1);
}

void amf_metrics_auth_fail(uint8_t cause)
{
	char c[8];
	snprintf(c, sizeof(c), "%u", cause);
	sen_metric_add(sen_metric_series(m_authfail, (const char *[]){c}), 1);
}

void amf_metrics_nas_dropped(const char *reason)
{
	sen_metric_add(sen_metric_series(m_nas_dropped, (const char *[]){reason}), 1);
}

static void ngap_count(int dir, const struct sen_ngap_pdu *pdu)
{
	static const char *const dirs[2] = {"received", "sent"};
	unsigned kind = pdu->present < NGAP_KINDS - 1 ? pdu->present : NGAP_KINDS - 1;
	struct sen_metric_series **s = &ngap_series[dir][kind][pdu->msg.procedure_code & 0xff];

	if (!*s)
		*s = sen_metric_series(m_ngap_msgs,
				       (const char *[]){dirs[dir], sen_ngap_msg_name(pdu)});
	sen_metric_add(*s, 1);
}

void amf_metrics_ngap_rx(const struct sen_ngap_pdu *pdu)
{
	ngap_count(0, pdu);
}

void amf_metrics_ngap_tx(const struct sen_ngap_pdu *pdu)
{
	ngap_count(1, pdu);
}

void amf_metrics_ngap_error(const char *reason)
{
	sen_metric_add(sen_metric_series(m_ngap_err, (const char *[]){reason}), 1);
}
