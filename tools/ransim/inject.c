/*
 * sen-ransim --inject: faulty uplinks for testing how the core treats bad input (docs/ransim.md).
 *
 * The first UE whose registration completes sends, 300 ms apart, each kind asked for:
 *
 *   replay    its last integrity-protected uplink NAS PDU again, unchanged (same NAS COUNT),
 *             in an Uplink NAS Transport: the AMF must drop it (TS 33.501 6.4.3.2)
 *   plain     a 5GMM STATUS (#111) with security header type 0: after the secure exchange,
 *             TS 24.501 4.4.4.3 says the AMF discards it
 *   bad-nas   an integrity-protected, ciphered UL NAS Transport whose mandatory payload
 *             container is cut short (length 16, 1 octet present): TS 24.501 7.5 / 7.6.2,
 *             invalid mandatory information -> the AMF answers 5GMM STATUS #96
 *   bad-ngap  an NGAP initiatingMessage (Uplink NAS Transport) whose open-type value is cut
 *             short, on the UE's SCTP stream: TS 38.413 10.2, transfer syntax error -> the
 *             AMF answers Error Indication
 *
 * Nothing here counts as a procedure failure: the report lists, per kind, whether it was
 * sent and which answers (5GMM STATUS to the injecting UE, Error Indication) arrived after it
 * and before the next kind was sent.
 */
#include "ransim.h"

#include "core/err.h"
#include "core/log.h"
#include "nas/nas.h"
#include "sctp/sctp.h"

#include <stdlib.h>
#include <string.h>

#define INJ_FIRST_MS 300
#define INJ_GAP_MS   300
#define INJ_PDU_MAX  1200

static const char *const names[RS_INJ_N] = {"replay", "plain", "bad-nas", "bad-ngap"};

const char *rs_inject_name(enum rs_inject k)
{
	return k < RS_INJ_N ? names[k] : "?";
}

int rs_inject_parse(const char *arg, unsigned *bits)
{
	char buf[128], *save = NULL;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k;
		if (!strcmp(t, "all")) {
			*bits |= (1u << RS_INJ_N) - 1;
			continue;
		}
		for (k = 0; k < RS_INJ_N && strcmp(t, names[k]); k++)
			;
		if (k == RS_INJ_N)
			return -1;
		*bits |= 1u << k;
	}
	return *bits ? 0 : -1;
}

static int send_replay(struct rs_ue *ue)
{
	if (!ue->last_prot_len)
		return -SEN_ENOENT;
	return rs_ngap_uplink_nas(ue->conn, ue->last_prot, ue->last_prot_len);
}

static int send_plain(struct rs_ue *ue)
{
	/* 5GMM STATUS, cause #111 (protocol error, unspecified): plain 5GS MM message */
	static const uint8_t msg[] = {SEN_NAS_EPD_5GMM, SEN_NAS_SHT_PLAIN, SEN_NAS_5GMM_STATUS,
				      111};
	return rs_ngap_uplink_nas(ue->conn, msg, sizeof(msg));
}

static int send_bad_nas(struct rs_ue *ue)
{
	/* UL NAS Transport: payload container type N1 SM information, then the payload
	 * container (LV-E) announcing 16 octets of which one is there */
	static const uint8_t msg[] = {
	    SEN_NAS_EPD_5GMM, SEN_NAS_SHT_PLAIN, SEN_NAS_UL_NAS_TRANSPORT, 0x01, 0x00, 0x10, 0x2e};
	return sen_ue_send_protected_raw(ue->ue, msg, sizeof(msg));
}

static int send_bad_ngap(struct rs_ue *ue)
{
	/* NGAP-PDU: initiatingMessage, procedureCode 46 (Uplink NAS Transport), criticality
	 * ignore, open type of 32 octets of which 3 are there (APER, TS 38.413 9.4) */
	static const uint8_t pdu[] = {0x00, 0x2e, 0x40, 0x20, 0x00, 0x00, 0x03};
	struct rs_gnb *g = ue->conn->gnb;

	if (!g->assoc)
		return -SEN_ENOENT;
	return sen_sctp_send(g->assoc, ue->conn->stream, SEN_SCTP_PPID_NGAP, pdu, sizeof(pdu));
}

static void on_inj_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct rs *rs = arg;
	struct rs_ue *ue = rs->injector;
	unsigned k = rs->inj_next;
	int rc;

	while (k < RS_INJ_N && !(rs->opts.inject & (1u << k)))
		k++;
	if (k >= RS_INJ_N || !ue)
		return;
	rs->inj_next = k + 1;
	if (!ue->registered || !ue->conn || !ue->conn->has_amf_id || !ue->gnb ||
	    ue->gnb->state != RS_GNB_READY)
		rc = -SEN_ENOENT;
	else if (k == RS_INJ_REPLAY)
		rc = send_replay(ue);
	else if (k == RS_INJ_PLAIN)
		rc = send_plain(ue);
	else if (k == RS_INJ_BAD_NAS)
		rc = send_bad_nas(ue);
	else
		rc = send_bad_ngap(ue);
	if (rc < 0) {
		rs->stats.inject[k].not_sent++;
		sen_log_ue_warn("ransim", ue->tag, "inject %s: not sent (%s)", names[k],
				sen_strerror(rc));
	} else {
		rs->stats.inject[k].sent++;
		rs->inj_last = (int)k;
		sen_log_ue_info("ransim", ue->tag, "inject %s: sent", names[k]);
	}
	if (rs->inj_next < RS_INJ_N)
		sen_timer_start(&rs->inj_timer, INJ_GAP_MS);
}

void rs_inject_init(struct rs *rs)
{
	rs->inj_last = -1;
	rs->inj_next = 0;
	rs->injector = NULL;
	sen_timer_init(&rs->inj_timer, rs->loop, on_inj_timer, rs);
}

void rs_inject_free(struct rs *rs)
{
	if (rs->loop)
		sen_timer_stop(&rs->inj_timer);
	for (unsigned i = 0; rs->ues && i < rs->n_ues; i++) {
		free(rs->ues[i].last_prot);
		rs->ues[i].last_prot = NULL;
	}
}

void rs_inject_uplink(struct rs_ue *ue, const uint8_t *nas, size_t len)
{
	uint8_t sht;

	if (!ue->rs->opts.inject || len < 7 || len > INJ_PDU_MAX || nas[0] != SEN_NAS_EPD_5GMM)
		return;
	sht = nas[1] & 0x0f;
	if (sht == SEN_NAS_SHT_PLAIN || sht > SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX)
		return;
	if (!ue->last_prot && !(ue->last_prot = malloc(INJ_PDU_MAX)))
		return;
	memcpy(ue->last_prot, nas, len);
	ue->last_prot_len = len;
}

void rs_inject_registered(struct rs_ue *ue)
{
	struct rs *rs = ue->rs;

	if (!rs->opts.inject || rs->injector)
		return;
	rs->injector = ue;
	sen_log_ue_info("ransim", ue->tag, "registered first: injecting from this UE");
	sen_timer_start(&rs->inj_timer, INJ_FIRST_MS);
}

void rs_inject_gmm_status(struct rs_ue *ue, uint8_t cause)
{
	struct rs *rs = ue->rs;

	if (ue != rs->injector || rs->inj_last < 0)
		return;
	/* the cause says which rule the core applied (TS 24.501 7: #96 invalid mandatory
	 * information, #97 message type non-existent ...) */
	if (rs->stats.inject[rs->inj_last].gmm_status < RS_INJ_CAUSES)
		rs->stats.inject[rs->inj_last].gmm_causes[rs->stats.inject[rs->inj_last].gmm_status] =
			cause;
	rs->stats.inject[rs->inj_last].gmm_status++;
	sen_log_ue_info("ransim", ue->tag, "inject %s: answered with 5GMM STATUS #%u",
			names[rs->inj_last], cause);
}

void rs_inject_error_indication(struct rs_gnb *g)
{
	struct rs *rs = g->rs;

	if (!rs->opts.inject || rs->inj_last < 0)
		return;
	rs->stats.inject[rs->inj_last].error_indication++;
	sen_log_info("ransim", "%s: inject %s: answered with Error Indication", g->name,
		     names[rs->inj_last]);
}
