/*
 * smf-peer: the SMF's peers for tests/smf/test_smf_e2e.py, made with lib/sbi:
 *
 * - a fake UDM serving Nudm-SDM GET /nudm-sdm/v2/{supi}/sm-data (TS 29.503) from a fixed
 *   table (imsi-...404 is unknown; imsi-...077 has the static address 10.45.0.77; DNN
 *   "internet", "ims" and "v4" are subscribed on SST 1, "iot" is not);
 * - a fake AMF serving Namf-Communication N1N2MessageTransfer (TS 29.518) and the SM context
 *   status callback, keeping what it received;
 * - a driver reading one command per line on stdin, playing the AMF towards the SMF
 *   (Nsmf_PDUSession, TS 29.502) and printing one JSON line per command, with the N1 and
 *   N2 messages decoded by lib/nas and lib/ngap:
 *
 *     create SUPI PSI DNN SST [T] -> {status, ref, cause, gsm_cause, n1n2: {...}}
 *                                    (T: PDU session type 1 IPv4 (default), 2 IPv6, 3 IPv4v6)
 *     modify REF GNB_IP TEID      -> {status, upCnxState}
 *     n1 REF PSI release|complete -> {status, nas, gsm_cause, n2type, n2ok}
 *     deactivate REF              -> {status, upCnxState}
 *     release REF                 -> {status}
 *     raw CONTENT-TYPE HEXBODY    -> {status, cause}   (POST sm-contexts as given)
 *     notifications               -> {count}
 *     get AUTHORITY PATH          -> {status, body}    (any GET, e.g. NRF discovery)
 *
 * Every wait is bounded (5 s), after which the line says {"status": 0, "error": "timeout"}.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/loop.h"
#include "multipart.h"
#include "nas/nas.h"
#include "ngap/ngap.h"
#include "sbi/sbi.h"

static struct sen_loop *loop;
static struct sen_sbi_client *client;
static const char *smf_auth;
static struct sen_timer wait_timer;
static int notifications;
static char line[70000];
static size_t line_len;

/* The last N1N2MessageTransfer received. */
static struct {
	bool have;
	char supi[64];
	uint8_t n1[2048], n2[2048];
	size_t n1len, n2len;
	char ngap_type[32];
} n1n2;

/* What the running command waits for. */
static enum { IDLE, WAIT_RSP, WAIT_N1N2 } waiting;
static cJSON *out;

static void emit(void)
{
	char *s = cJSON_PrintUnformatted(out);

	printf("%s\n", s ? s : "{}");
	fflush(stdout);
	free(s);
	cJSON_Delete(out);
	out = NULL;
	waiting = IDLE;
	sen_timer_stop(&wait_timer);
	sen_loop_fd_mod(loop, 0, SEN_LOOP_READ);
}

/* ---- fake UDM ---- */

static cJSON *dnn_cfg(const char *supi)
{
	cJSON *o = cJSON_CreateObject(), *q, *a;

	q = cJSON_AddObjectToObject(o, "5gQosProfile");
	cJSON_AddNumberToObject(q, "5qi", 9);
	a = cJSON_AddObjectToObject(q, "arp");
	cJSON_AddNumberToObject(a, "priorityLevel", 8);
	cJSON_AddStringToObject(a, "preemptCap", "NOT_PREEMPT");
	cJSON_AddStringToObject(a, "preemptVuln", "PREEMPTABLE");
	a = cJSON_AddObjectToObject(o, "sessionAmbr");
	cJSON_AddStringToObject(a, "uplink", "100 Mbps");
	cJSON_AddStringToObject(a, "downlink", "200 Mbps");
	if (strstr(supi, "077")) {
		cJSON *ips = cJSON_AddArrayToObject(o, "staticIpAddress"),
		      *ip = cJSON_CreateObject();
		cJSON_AddStringToObject(ip, "ipv4Addr", "10.45.0.77");
		cJSON_AddItemToArray(ips, ip);
	}
	return o;
}

static void on_sm_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	const char *supi = sen_sbi_msg_var(req, "supi");
	const char *dnn = sen_sbi_msg_query(req, "dnn");
	cJSON *arr, *smd, *cfgs, *sn;

	(void)arg;
	if (!supi || strstr(supi, "404")) {
		sen_sbi_stream_respond_error(st, 404, "USER_NOT_FOUND", "no such subscriber");
		return;
	}
	arr = cJSON_CreateArray();
	smd = cJSON_CreateObject();
	sn = cJSON_AddObjectToObject(smd, "singleNssai");
	cJSON_AddNumberToObject(sn, "sst", 1);
	cfgs = cJSON_AddObjectToObject(smd, "dnnConfigurations");
	if (!dnn || !strcmp(dnn, "internet"))
		cJSON_AddItemToObject(cfgs, "internet", dnn_cfg(supi));
	if (!dnn || !strcmp(dnn, "ims"))
		cJSON_AddItemToObject(cfgs, "ims", dnn_cfg(supi));
	if (!dnn || !strcmp(dnn, "v4"))
		cJSON_AddItemToObject(cfgs, "v4", dnn_cfg(supi));
	if (cJSON_GetArraySize(cfgs) > 0)
		cJSON_AddItemToArray(arr, smd);
	else
		cJSON_Delete(smd);
	sen_sbi_stream_respond_json(st, 200, arr);
	cJSON_Delete(arr);
}

/* ---- fake AMF ---- */

static const struct smf_mp_part *ref(const struct smf_mp *mp, const cJSON *o)
{
	return smf_mp_find(mp, cJSON_GetStringValue(cJSON_GetObjectItem(o, "contentId")));
}

static void report_n1n2(void);

static void on_n1n2(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	size_t len;
	const uint8_t *b = sen_sbi_msg_body(req, &len);
	struct smf_mp mp;
	const char *why;
	cJSON *j, *rsp;
	const struct smf_mp_part *p1 = NULL, *p2 = NULL;

	(void)arg;
	if (smf_mp_parse(sen_sbi_msg_header(req, "content-type"), b, len, &mp, &why) < 0 ||
	    !(j = cJSON_ParseWithLength((const char *)mp.part[0].data, mp.part[0].len))) {
		sen_sbi_stream_respond_bad_json(st, "bad multipart");
		return;
	}
	memset(&n1n2, 0, sizeof(n1n2));
	snprintf(n1n2.supi, sizeof(n1n2.supi), "%s", sen_sbi_msg_var(req, "ueContextId"));
	p1 = ref(&mp, cJSON_GetObjectItem(cJSON_GetObjectItem(j, "n1MessageContainer"),
					  "n1MessageContent"));
	cJSON *info = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(j, "n2InfoContainer"), "smInfo"),
	    "n2InfoContent");
	p2 = ref(&mp, cJSON_GetObjectItem(info, "ngapData"));
	if (p1 && p1->len <= sizeof(n1n2.n1)) {
		memcpy(n1n2.n1, p1->data, p1->len);
		n1n2.n1len = p1->len;
	}
	if (p2 && p2->len <= sizeof(n1n2.n2)) {
		memcpy(n1n2.n2, p2->data, p2->len);
		n1n2.n2len = p2->len;
		snprintf(n1n2.ngap_type, sizeof(n1n2.ngap_type), "%s",
			 cJSON_GetStringValue(cJSON_GetObjectItem(info, "ngapIeType")) ?: "");
	}
	n1n2.have = true;
	cJSON_Delete(j);
	rsp = cJSON_CreateObject();
	cJSON_AddStringToObject(rsp, "cause", "N1_N2_TRANSFER_INITIATED");
	sen_sbi_stream_respond_json(st, 200, rsp);
	cJSON_Delete(rsp);
	if (waiting == WAIT_N1N2)
		report_n1n2();
}

static void on_status(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	(void)req;
	(void)arg;
	notifications++;
	sen_sbi_stream_respond_status(st, 204);
}

/* ---- decoding what the SMF sent ---- */

static void ip_str(const uint8_t *a, char *buf)
{
	sprintf(buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static cJSON *decode_n1(const uint8_t *b, size_t len)
{
	cJSON *o = cJSON_CreateObject();
	struct sen_nas_msg m;
	struct sen_nas_error e;
	char ip[20];

	if (sen_nas_decode(b, len, &m, &e) < 0) {
		cJSON_AddStringToObject(o, "nas", "undecodable");
		return o;
	}
	cJSON_AddNumberToObject(o, "psi", m.pdu_session_id);
	cJSON_AddNumberToObject(o, "pti", m.pti);
	switch (m.type) {
	case SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT: {
		const struct sen_nas_pdu_session_establishment_accept *a =
		    &m.pdu_session_establishment_accept;
		cJSON *dns = cJSON_AddArrayToObject(o, "dns");
		cJSON_AddStringToObject(o, "nas", "accept");
		cJSON_AddNumberToObject(o, "pdu_type", a->pdu_session_type);
		cJSON_AddNumberToObject(o, "ssc_mode", a->ssc_mode);
		if (a->has_pdu_address && a->pdu_address.type != SEN_NAS_PDU_IPV6) {
			ip_str(a->pdu_address.ipv4, ip);
			cJSON_AddStringToObject(o, "ip", ip);
		}
		if (a->has_pdu_address) {
			char iid[17];
			cJSON_AddNumberToObject(o, "addr_type", a->pdu_address.type);
			if (a->pdu_address.type != SEN_NAS_PDU_IPV4) {
				sen_hex_encode(a->pdu_address.ipv6_iid, 8, iid);
				cJSON_AddStringToObject(o, "iid", iid);
			}
		}
		if (a->has_cause)
			cJSON_AddNumberToObject(o, "accept_cause", a->cause);
		cJSON_AddNumberToObject(o, "n_rules", a->qos_rules.n);
		if (a->qos_rules.n) {
			cJSON_AddBoolToObject(o, "rule_default", a->qos_rules.r[0].dqr);
			cJSON_AddNumberToObject(o, "rule_qfi", a->qos_rules.r[0].qfi);
			cJSON_AddNumberToObject(o, "rule_pf_len",
						a->qos_rules.r[0].n_pf
						    ? (double)a->qos_rules.r[0].pf[0].content.len
						    : -1);
		}
		if (a->has_qos_flows && a->qos_flows.n && a->qos_flows.f[0].n_params &&
		    a->qos_flows.f[0].param[0].id == SEN_NAS_QOS_5QI)
			cJSON_AddNumberToObject(o, "flow_5qi", a->qos_flows.f[0].param[0].v[0]);
		cJSON_AddNumberToObject(o, "ambr_dl_bps",
					(double)sen_nas_bitrate_bps(a->ambr.dl_unit, a->ambr.dl));
		cJSON_AddNumberToObject(o, "ambr_ul_bps",
					(double)sen_nas_bitrate_bps(a->ambr.ul_unit, a->ambr.ul));
		if (a->has_snssai)
			cJSON_AddNumberToObject(o, "sst", a->snssai.sst);
		if (a->has_dnn)
			cJSON_AddStringToObject(o, "dnn", a->dnn.name);
		if (a->has_epco)
			for (size_t i = 0; i < a->epco.n; i++) {
				const struct sen_nas_bytes *v = &a->epco.item[i].v;
				if (a->epco.item[i].id == SEN_NAS_PCO_DNS_IPV4 && v->len == 4) {
					ip_str(v->p, ip);
					cJSON_AddItemToArray(dns, cJSON_CreateString(ip));
				} else if (a->epco.item[i].id == SEN_NAS_PCO_IPV4_MTU &&
					   v->len == 2) {
					cJSON_AddNumberToObject(o, "mtu", v->p[0] << 8 | v->p[1]);
				}
			}
		break;
	}
	case SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT:
		cJSON_AddStringToObject(o, "nas", "reject");
		cJSON_AddNumberToObject(o, "gsm_cause", m.pdu_session_establishment_reject.cause);
		break;
	case SEN_NAS_PDU_SESSION_RELEASE_COMMAND:
		cJSON_AddStringToObject(o, "nas", "release_command");
		cJSON_AddNumberToObject(o, "gsm_cause", m.gsm.cause);
		break;
	default:
		cJSON_AddStringToObject(o, "nas", sen_nas_msg_name(m.epd, m.type) ?: "?");
	}
	return o;
}

static cJSON *decode_setup_req(const uint8_t *b, size_t len)
{
	cJSON *o = cJSON_CreateObject();
	struct sen_ngap_setup_request_transfer t;
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	uint8_t mem[4096];
	char ip[20];

	sen_asn_arena_init(&arena, mem, sizeof(mem), 1 << 20);
	sen_asn_ctx_init(&ctx, &arena, 0);
	memset(&t, 0, sizeof(t));
	if (sen_ngap_transfer_decode(&sen_ngap_setup_request_transfer_type, &t, b, len, &ctx) < 0 ||
	    t.ul_tnl.present != 0 || t.ul_tnl.u.gtp.addr.nbits != 32 ||
	    t.ul_tnl.u.gtp.teid.len != 4) {
		cJSON_AddBoolToObject(o, "ok", false);
		sen_asn_arena_fini(&arena);
		return o;
	}
	cJSON_AddBoolToObject(o, "ok", true);
	ip_str(t.ul_tnl.u.gtp.addr.data, ip);
	cJSON_AddStringToObject(o, "ul_addr", ip);
	const uint8_t *te = t.ul_tnl.u.gtp.teid.data;
	cJSON_AddNumberToObject(o, "ul_teid",
				(double)((uint32_t)te[0] << 24 | te[1] << 16 | te[2] << 8 | te[3]));
	cJSON_AddNumberToObject(o, "pdu_type", t.pdu_session_type);
	if (t.has_session_ambr) {
		cJSON_AddNumberToObject(o, "ambr_dl", (double)t.session_ambr.dl);
		cJSON_AddNumberToObject(o, "ambr_ul", (double)t.session_ambr.ul);
	}
	cJSON_AddNumberToObject(o, "n_flows", t.qos_flows.count);
	if (t.qos_flows.count) {
		const struct sen_ngap_qos_flow_setup_item *f = &t.qos_flows.items[0];
		cJSON_AddNumberToObject(o, "qfi", f->qfi);
		if (f->params.characteristics.present == SEN_NGAP_QOS_NON_DYNAMIC)
			cJSON_AddNumberToObject(o, "5qi",
						f->params.characteristics.u.non_dynamic.five_qi);
		cJSON_AddNumberToObject(o, "arp", f->params.arp.priority_level);
	}
	sen_asn_arena_fini(&arena);
	return o;
}

static void report_n1n2(void)
{
	cJSON *n = cJSON_AddObjectToObject(out, "n1n2");

	cJSON_AddStringToObject(n, "supi", n1n2.supi);
	if (n1n2.n1len)
		cJSON_AddItemToObject(n, "n1", decode_n1(n1n2.n1, n1n2.n1len));
	if (n1n2.n2len) {
		cJSON_AddStringToObject(n, "ngapIeType", n1n2.ngap_type);
		cJSON_AddItemToObject(n, "n2", decode_setup_req(n1n2.n2, n1n2.n2len));
	}
	n1n2.have = false;
	emit();
}

/* ---- the driver ---- */

static void on_wait_timeout(struct sen_loop *l, struct sen_timer *t, void *arg)
{
	(void)l;
	(void)t;
	(void)arg;
	cJSON_AddStringToObject(out, "error", "timeout");
	emit();
}

/* Put the parts of a (multipart) response into out. */
static void read_response(struct sen_sbi_msg *rsp)
{
	size_t len;
	const uint8_t *b = sen_sbi_msg_body(rsp, &len);
	const char *ct = sen_sbi_msg_header(rsp, "content-type");
	const char *loc = sen_sbi_msg_header(rsp, "location");
	cJSON *j = NULL;
	struct smf_mp mp = {0};
	const char *why;

	cJSON_AddNumberToObject(out, "status", sen_sbi_msg_status(rsp));
	if (loc) {
		const char *r = strrchr(loc, '/');
		cJSON_AddStringToObject(out, "location", loc);
		cJSON_AddStringToObject(out, "ref", r ? r + 1 : "");
	}
	if (len && smf_mp_is_multipart(ct)) {
		if (smf_mp_parse(ct, b, len, &mp, &why) == 0)
			j = cJSON_ParseWithLength((const char *)mp.part[0].data, mp.part[0].len);
		cJSON_AddBoolToObject(out, "multipart", true);
	} else if (len) {
		j = cJSON_ParseWithLength((const char *)b, len);
	}
	if (!j)
		return;
	const cJSON *err = cJSON_GetObjectItem(j, "error");
	const char *cause = cJSON_GetStringValue(cJSON_GetObjectItem(err ? err : j, "cause"));
	if (cause)
		cJSON_AddStringToObject(out, "cause", cause);
	const char *up = cJSON_GetStringValue(cJSON_GetObjectItem(j, "upCnxState"));
	if (up)
		cJSON_AddStringToObject(out, "upCnxState", up);
	const char *n2type = cJSON_GetStringValue(cJSON_GetObjectItem(j, "n2SmInfoType"));
	if (n2type)
		cJSON_AddStringToObject(out, "n2type", n2type);
	const struct smf_mp_part *p1 = ref(&mp, cJSON_GetObjectItem(j, "n1SmMsg"));
	if (p1)
		cJSON_AddItemToObject(out, "n1", decode_n1(p1->data, p1->len));
	const struct smf_mp_part *p2 = ref(&mp, cJSON_GetObjectItem(j, "n2SmInfo"));
	if (p2) {
		struct sen_ngap_cause_transfer t;
		struct sen_asn_arena arena;
		struct sen_asn_ctx ctx;
		uint8_t mem[1024];
		sen_asn_arena_init(&arena, mem, sizeof(mem), 1 << 16);
		sen_asn_ctx_init(&ctx, &arena, 0);
		if (n2type && !strcmp(n2type, "PDU_RES_REL_CMD"))
			cJSON_AddBoolToObject(
			    out, "n2ok",
			    sen_ngap_transfer_decode(&sen_ngap_release_command_transfer_type, &t,
						     p2->data, p2->len, &ctx) >= 0);
		else if (n2type && !strcmp(n2type, "PDU_RES_SETUP_REQ"))
			cJSON_AddItemToObject(out, "n2", decode_setup_req(p2->data, p2->len));
		sen_asn_arena_fini(&arena);
	}
	cJSON_Delete(j);
}

static void on_create_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	(void)arg;
	if (err < 0) {
		cJSON_AddNumberToObject(out, "status", 0);
		cJSON_AddStringToObject(out, "error", sen_strerror(err));
		emit();
		return;
	}
	read_response(rsp);
	if (sen_sbi_msg_status(rsp) != 201) {
		emit();
		return;
	}
	if (n1n2.have) {
		report_n1n2();
		return;
	}
	waiting = WAIT_N1N2; /* the Accept (or a late Reject) comes by N1N2MessageTransfer */
}

static void on_plain_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	(void)arg;
	if (err < 0) {
		cJSON_AddNumberToObject(out, "status", 0);
		cJSON_AddStringToObject(out, "error", sen_strerror(err));
	} else {
		read_response(rsp);
	}
	emit();
}

static void on_get_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	size_t len;
	const uint8_t *b;
	cJSON *j;

	(void)arg;
	cJSON_AddNumberToObject(out, "status", err < 0 ? 0 : sen_sbi_msg_status(rsp));
	if (err == 0 && (b = sen_sbi_msg_body(rsp, &len)) &&
	    (j = cJSON_ParseWithLength((const char *)b, len)))
		cJSON_AddItemToObject(out, "body", j);
	emit();
}

static void send_parts(const char *path, const char *json, const uint8_t *bin, size_t blen,
		       const char *btype, sen_sbi_response_fn cb)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_POST, "%s", path);
	struct smf_mp_out parts[2] = {
	    {SMF_MT_JSON, NULL, (const uint8_t *)json, strlen(json)},
	    {btype, "binpart", bin, blen},
	};
	uint8_t *body = NULL;
	size_t len;
	char ct[160];

	if (bin) {
		smf_mp_build(parts, 2, &body, &len, ct, sizeof(ct));
		sen_sbi_msg_set_body(req, body, len, ct);
		free(body);
	} else {
		sen_sbi_msg_set_body(req, json, strlen(json), "application/json");
	}
	waiting = WAIT_RSP;
	sen_timer_start(&wait_timer, 5000);
	sen_sbi_client_send(client, smf_auth, req, 4000, cb, NULL);
}

static void cmd_create(const char *supi, int psi, const char *dnn, int sst, int type)
{
	struct sen_nas_msg m;
	uint8_t n1[256];
	char json[1024];
	int n;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	m.pdu_session_id = (uint8_t)psi;
	m.pti = 7;
	m.pdu_session_establishment_request.integrity_max_rate = 0xffff;
	m.pdu_session_establishment_request.has_pdu_session_type = true;
	m.pdu_session_establishment_request.pdu_session_type = (uint8_t)type;
	m.pdu_session_establishment_request.has_epco = true;
	sen_nas_epco_add(&m.pdu_session_establishment_request.epco, SEN_NAS_PCO_DNS_IPV4, NULL, 0);
	sen_nas_epco_add(&m.pdu_session_establishment_request.epco, SEN_NAS_PCO_IPV4_MTU, NULL, 0);
	n = sen_nas_encode(&m, n1, sizeof(n1));
	snprintf(
	    json, sizeof(json),
	    "{\"supi\":\"%s\",\"pei\":\"imeisv-4370816125816151\",\"pduSessionId\":%d,"
	    "\"dnn\":\"%s\",\"sNssai\":{\"sst\":%d},\"servingNfId\":"
	    "\"6c4a9ab0-4b1a-4b8e-9b1e-000000000005\",\"servingNetwork\":{\"mcc\":\"999\","
	    "\"mnc\":\"70\"},\"requestType\":\"INITIAL_REQUEST\",\"n1SmMsg\":{\"contentId\":"
	    "\"binpart\"},\"anType\":\"3GPP_ACCESS\",\"ratType\":\"NR\",\"smContextStatusUri\":"
	    "\"http://127.0.0.5:7777/namf-callback/v1/smContextStatus/%s/%d\"}",
	    supi, psi, dnn, sst, supi, psi);
	n1n2.have = false;
	send_parts("/nsmf-pdusession/v1/sm-contexts", json, n1, n > 0 ? (size_t)n : 0, SMF_MT_NAS,
		   on_create_rsp);
}

static void cmd_modify(const char *ref, const char *gnb, uint32_t teid)
{
	struct sen_ngap_setup_response_transfer t;
	struct sen_ngap_associated_qos_flow f = {.qfi = 1};
	uint8_t addr[4], te[4] = {(uint8_t)(teid >> 24), (uint8_t)(teid >> 16),
				  (uint8_t)(teid >> 8), (uint8_t)teid};
	uint8_t n2[256];
	char path[128];
	int n;

	inet_pton(AF_INET, gnb, addr);
	memset(&t, 0, sizeof(t));
	t.dl_qos_flow_per_tnl.tnl.present = 0;
	t.dl_qos_flow_per_tnl.tnl.u.gtp.addr = (struct sen_asn_bits){addr, 32};
	t.dl_qos_flow_per_tnl.tnl.u.gtp.teid = (struct sen_asn_octets){te, 4};
	t.dl_qos_flow_per_tnl.flows.items = &f;
	t.dl_qos_flow_per_tnl.flows.count = 1;
	n = sen_ngap_transfer_encode(&sen_ngap_setup_response_transfer_type, &t, n2, sizeof(n2));
	snprintf(path, sizeof(path), "/nsmf-pdusession/v1/sm-contexts/%s/modify", ref);
	send_parts(
	    path,
	    "{\"n2SmInfo\":{\"contentId\":\"binpart\"},\"n2SmInfoType\":\"PDU_RES_SETUP_RSP\","
	    "\"anType\":\"3GPP_ACCESS\"}",
	    n2, n > 0 ? (size_t)n : 0, SMF_MT_NGAP, on_plain_rsp);
}

static void cmd_n1(const char *ref, int psi, const char *what)
{
	struct sen_nas_msg m;
	uint8_t n1[64];
	char path[128];
	int n;

	sen_nas_msg_init(&m, !strcmp(what, "release") ? SEN_NAS_PDU_SESSION_RELEASE_REQUEST
						      : SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
	m.pdu_session_id = (uint8_t)psi;
	m.pti = 9;
	n = sen_nas_encode(&m, n1, sizeof(n1));
	snprintf(path, sizeof(path), "/nsmf-pdusession/v1/sm-contexts/%s/modify", ref);
	send_parts(path, "{\"n1SmMsg\":{\"contentId\":\"binpart\"}}", n1, n > 0 ? (size_t)n : 0,
		   SMF_MT_NAS, on_plain_rsp);
}

static void cmd_raw(const char *ct, const char *hex)
{
	static uint8_t body[32768];
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_POST, "/nsmf-pdusession/v1/sm-contexts");
	int n = sen_hex_decode(hex, body, sizeof(body));

	sen_sbi_msg_set_body(req, body, n > 0 ? (size_t)n : 0, ct);
	waiting = WAIT_RSP;
	sen_timer_start(&wait_timer, 5000);
	sen_sbi_client_send(client, smf_auth, req, 4000, on_plain_rsp, NULL);
}

static void command(char *l)
{
	char *argv[8] = {0};
	int argc = 0;

	for (char *t = strtok(l, " \t"); t && argc < 8; t = strtok(NULL, " \t"))
		argv[argc++] = t;
	if (argc == 0)
		return;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "cmd", argv[0]);
	if (!strcmp(argv[0], "create") && (argc == 5 || argc == 6)) {
		cmd_create(argv[1], atoi(argv[2]), argv[3], atoi(argv[4]),
			   argc == 6 ? atoi(argv[5]) : SEN_NAS_PDU_IPV4);
	} else if (!strcmp(argv[0], "modify") && argc == 4) {
		cmd_modify(argv[1], argv[2], (uint32_t)strtoul(argv[3], NULL, 0));
	} else if (!strcmp(argv[0], "n1") && argc == 4) {
		cmd_n1(argv[1], atoi(argv[2]), argv[3]);
	} else if (!strcmp(argv[0], "deactivate") && argc == 2) {
		char path[128];
		snprintf(path, sizeof(path), "/nsmf-pdusession/v1/sm-contexts/%s/modify", argv[1]);
		send_parts(path, "{\"upCnxState\":\"DEACTIVATED\"}", NULL, 0, NULL, on_plain_rsp);
	} else if (!strcmp(argv[0], "release") && argc == 2) {
		char path[128];
		snprintf(path, sizeof(path), "/nsmf-pdusession/v1/sm-contexts/%s/release", argv[1]);
		send_parts(path, "{\"cause\":\"REL_DUE_TO_REACTIVATION\"}", NULL, 0, NULL,
			   on_plain_rsp);
	} else if (!strcmp(argv[0], "raw") && argc == 3) {
		cmd_raw(argv[1], argv[2]);
	} else if (!strcmp(argv[0], "get") && argc == 3) {
		struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_GET, "%s", argv[2]);
		waiting = WAIT_RSP;
		sen_timer_start(&wait_timer, 5000);
		sen_sbi_client_send(client, argv[1], req, 4000, on_get_rsp, NULL);
	} else if (!strcmp(argv[0], "notifications")) {
		cJSON_AddNumberToObject(out, "count", notifications);
		emit();
	} else if (!strcmp(argv[0], "quit")) {
		sen_loop_stop(loop);
		cJSON_Delete(out);
		out = NULL;
	} else {
		cJSON_AddStringToObject(out, "error", "bad command");
		emit();
	}
}

static void on_stdin(struct sen_loop *l, int fd, unsigned events, void *arg)
{
	ssize_t n;

	(void)events;
	(void)arg;
	if (waiting != IDLE) {
		sen_loop_fd_mod(l, fd, 0); /* one command at a time; emit() reads on */
		return;
	}
	n = read(fd, line + line_len, 1);
	if (n <= 0) {
		sen_loop_stop(l);
		return;
	}
	if (line[line_len] == '\n') {
		line[line_len] = '\0';
		line_len = 0;
		command(line);
		return;
	}
	if (++line_len >= sizeof(line) - 1)
		line_len = 0;
}

static int serve(const char *auth, struct sen_sbi_server **srv)
{
	char host[64];
	const char *colon = strrchr(auth, ':');
	struct sen_sbi_server_opts o = {0};

	snprintf(host, sizeof(host), "%.*s", (int)(colon - auth), auth);
	o.addr = host;
	o.port = (uint16_t)atoi(colon + 1);
	o.no_local = true;
	return sen_sbi_server_new(loop, &o, srv);
}

int main(int argc, char **argv)
{
	struct sen_sbi_server *udm, *amf;

	if (argc != 4) {
		fprintf(stderr, "usage: smf-peer UDM_ADDR:PORT AMF_ADDR:PORT SMF_ADDR:PORT\n");
		return 2;
	}
	smf_auth = argv[3];
	if (sen_loop_new(&loop) < 0 || serve(argv[1], &udm) < 0 || serve(argv[2], &amf) < 0 ||
	    sen_sbi_client_new(loop, &(struct sen_sbi_client_opts){.no_local = true}, &client) < 0)
		return 1;
	sen_sbi_server_route(udm, SEN_SBI_GET, "/nudm-sdm/v2/{supi}/sm-data", on_sm_data, NULL);
	sen_sbi_server_route(amf, SEN_SBI_POST,
			     "/namf-comm/v1/ue-contexts/{ueContextId}/n1-n2-messages", on_n1n2,
			     NULL);
	sen_sbi_server_route(amf, SEN_SBI_POST, "/namf-callback/v1/smContextStatus/{supi}/{psi}",
			     on_status, NULL);
	if (sen_sbi_server_start(udm) < 0 || sen_sbi_server_start(amf) < 0) {
		fprintf(stderr, "smf-peer: cannot listen\n");
		return 1;
	}
	sen_timer_init(&wait_timer, loop, on_wait_timeout, NULL);
	sen_loop_fd_add(loop, 0, SEN_LOOP_READ, on_stdin, NULL);
	printf("{\"ready\":true}\n");
	fflush(stdout);
	sen_loop_run(loop);
	sen_sbi_server_free(udm);
	sen_sbi_server_free(amf);
	sen_sbi_client_free(client);
	sen_loop_free(loop);
	return 0;
}
