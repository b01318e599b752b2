/*
 * sen-amf test harness (see harness.h). Ports are derived from the pid so that two runs
 * at once do not collide; every wait is bounded.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"
#include "crypto/suci.h"
#include "sbi/sbi.h"
#include "sctp/sctp.h"

#define ADDR "127.0.0.1"
#define MCC "999"
#define MNC "70"
#define SNN "5G:mnc070.mcc999.3gppnetwork.org"
#define K_HEX "465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC_HEX "cd63cb71954a9f4e48a5994e37a02baf"

struct sen_loop *h_loop;

static uint16_t port_base;
static pid_t amf_pid;
static char cfg_path[256];
static uint16_t amf_udp, gnb_udp, amf_sbi_port, metrics_port, ausf_port, udm_port, smf_port;

static void ports(void)
{
	if (port_base)
		return;
	port_base = (uint16_t)(20000 + (getpid() % 2000) * 8);
	amf_udp = port_base;
	gnb_udp = port_base + 1;
	amf_sbi_port = port_base + 2;
	metrics_port = port_base + 3;
	ausf_port = port_base + 4;
	udm_port = port_base + 5;
	smf_port = port_base + 6;
}

uint16_t h_port(const char *which)
{
	ports();
	return !strcmp(which, "smf") ? smf_port : !strcmp(which, "amf-sbi") ? amf_sbi_port : 0;
}

void h_run(int ms)
{
	uint64_t end = sen_loop_update_now(h_loop) + (uint64_t)ms;
	while (sen_loop_update_now(h_loop) < end)
		sen_loop_run_once(h_loop, (int)(end - sen_loop_now(h_loop)));
}

/* ================================================================ fake AUSF / UDM ==== */

struct sub {
	char supi[32];
	uint64_t sqn;
	int ausf_status, uecm_status; /* 0: answer normally */
	char ausf_cause[40], uecm_cause[40];
};
static uint8_t udm_default_sst = 1, udm_other_sst; /* the subscribed NSSAI (0: none) */
static struct sub subs[1024];
static unsigned n_subs, ausf_resyncs, ausf_reqs, ausf_confirms;
static struct sen_sbi_server *ausf_srv, *udm_srv;
static struct sen_sbi_client *udm_client;

struct actx {
	bool used;
	char supi[SEN_SUPI_MAX];
	uint8_t xres_star[16], kausf[32];
};
static struct actx actx[1024];
static unsigned next_actx;

void h_sub_add(const char *msin, uint64_t sqn)
{
	if (n_subs >= sizeof(subs) / sizeof(subs[0]))
		return;
	struct sub *s = &subs[n_subs++];
	memset(s, 0, sizeof(*s));
	snprintf(s->supi, sizeof(s->supi), "imsi-" MCC MNC "%s", msin);
	s->sqn = sqn;
}

static struct sub *sub_find(const char *supi);

void h_sub_refuse(const char *msin, const char *nf, int status, const char *cause)
{
	char supi[32];
	struct sub *s;

	snprintf(supi, sizeof(supi), "imsi-" MCC MNC "%s", msin);
	if (!(s = sub_find(supi)))
		return;
	if (!strcmp(nf, "ausf")) {
		s->ausf_status = status;
		snprintf(s->ausf_cause, sizeof(s->ausf_cause), "%s", cause);
	} else {
		s->uecm_status = status;
		snprintf(s->uecm_cause, sizeof(s->uecm_cause), "%s", cause);
	}
}

void h_udm_nssai(uint8_t default_sst, uint8_t other_sst)
{
	udm_default_sst = default_sst;
	udm_other_sst = other_sst;
}

void h_subs_clear(void)
{
	n_subs = 0;
	ausf_resyncs = ausf_reqs = ausf_confirms = 0;
	udm_default_sst = 1;
	udm_other_sst = 0;
}

unsigned h_ausf_resyncs(void)
{
	return ausf_resyncs;
}

unsigned h_ausf_confirms(void)
{
	return ausf_confirms;
}

unsigned h_ausf_requests(void)
{
	return ausf_reqs;
}

static struct sub *sub_find(const char *supi)
{
	for (unsigned i = 0; i < n_subs; i++)
		if (!strcmp(subs[i].supi, supi))
			return &subs[i];
	return NULL;
}

static void key(uint8_t k[16], uint8_t opc[16])
{
	sen_hex_decode_exact(K_HEX, k, 16);
	sen_hex_decode_exact(OPC_HEX, opc, 16);
}

static const char *jstr(const cJSON *o, const char *n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, n);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* TS 29.509 POST ue-authentications */
static void ausf_post(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j, *rsp, *av, *links, *aka;
	const char *id;
	char supi[SEN_SUPI_MAX], hex[80], href[256];
	struct sen_suci suci;
	struct sub *s;
	struct sen_aka_he_av he;
	uint8_t k[16], opc[16], rand[16], sqn[6], amf[2] = {0x80, 0x00};

	ausf_reqs++;
	if (sen_sbi_msg_json(req, &j) < 0 || !(id = jstr(j, "supiOrSuci"))) {
		sen_sbi_stream_respond_bad_json(st, "AuthenticationInfo");
		cJSON_Delete(j);
		return;
	}
	if (!strncmp(id, "suci-", 5)) {
		if (sen_suci_parse(id, &suci) < 0 || sen_suci_deconceal(&suci, NULL, supi, sizeof(supi)) < 0) {
			cJSON_Delete(j);
			sen_sbi_stream_respond_error(st, 403, "DE_CONCEALMENT_FAILURE", NULL);
			return;
		}
	} else {
		snprintf(supi, sizeof(supi), "%s", id);
	}
	if (!(s = sub_find(supi))) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_error(st, 404, "USER_NOT_FOUND", "no %s", supi);
		return;
	}
	if (s->ausf_status) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_error(st, s->ausf_status, s->ausf_cause, "refused");
		return;
	}
	key(k, opc);
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(j, "resynchronizationInfo");
	if (rs) {
		uint8_t r[16], auts[14], sqn_ms[6];
		ausf_resyncs++;
		if (!jstr(rs, "rand") || !jstr(rs, "auts") ||
		    sen_hex_decode_exact(jstr(rs, "rand"), r, 16) < 0 ||
		    sen_hex_decode_exact(jstr(rs, "auts"), auts, 14) < 0 ||
		    sen_aka_resync(k, opc, r, auts, sqn_ms) < 0) {
			cJSON_Delete(j);
			sen_sbi_stream_respond_error(st, 403, "AUTHENTICATION_REJECTED", "bad AUTS");
			return;
		}
		s->sqn = sen_aka_sqn_get(sqn_ms);
	}
	cJSON_Delete(j);
	s->sqn += 32;
	sen_aka_sqn_put(s->sqn, sqn);
	RAND_bytes(rand, 16);
	sen_aka_he_av(k, opc, rand, sqn, amf, SNN, &he);
	unsigned n = next_actx++ % 1024;
	actx[n].used = true;
	snprintf(actx[n].supi, sizeof(actx[n].supi), "%s", supi);
	memcpy(actx[n].xres_star, he.xres_star, 16);
	memcpy(actx[n].kausf, he.kausf, 32);

	rsp = cJSON_CreateObject();
	cJSON_AddStringToObject(rsp, "authType", "5G_AKA");
	av = cJSON_AddObjectToObject(rsp, "5gAuthData");
	cJSON_AddStringToObject(av, "rand", sen_hex_encode(he.rand, 16, hex));
	cJSON_AddStringToObject(av, "autn", sen_hex_encode(he.autn, 16, hex));
	cJSON_AddStringToObject(av, "hxresStar", sen_hex_encode(he.hxres_star, 16, hex));
	links = cJSON_AddObjectToObject(rsp, "_links");
	aka = cJSON_AddObjectToObject(links, "5g-aka");
	snprintf(href, sizeof(href),
		 "http://" ADDR ":%u/nausf-auth/v1/ue-authentications/%u/5g-aka-confirmation",
		 ausf_port, n);
	cJSON_AddStringToObject(aka, "href", href);
	sen_sbi_stream_respond_json(st, 201, rsp);
	cJSON_Delete(rsp);
}

static void ausf_put(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	const char *id = sen_sbi_msg_var(req, "authCtxId");
	unsigned n = id ? (unsigned)atoi(id) : 999;
	uint8_t res[16], kseaf[32];
	char hex[80];
	cJSON *j, *rsp;
	bool ok;

	ausf_confirms++;
	if (n >= 1024 || !actx[n].used || sen_sbi_msg_json(req, &j) < 0) {
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND", NULL);
		return;
	}
	ok = jstr(j, "resStar") && sen_hex_decode_exact(jstr(j, "resStar"), res, 16) >= 0 &&
	     !memcmp(res, actx[n].xres_star, 16);
	cJSON_Delete(j);
	rsp = cJSON_CreateObject();
	cJSON_AddStringToObject(rsp, "authResult", ok ? "AUTHENTICATION_SUCCESS" : "AUTHENTICATION_FAILURE");
	if (ok) {
		cJSON_AddStringToObject(rsp, "supi", actx[n].supi);
		sen_kdf_kseaf(actx[n].kausf, SNN, kseaf);
		cJSON_AddStringToObject(rsp, "kseaf", sen_hex_encode(kseaf, 32, hex));
	}
	actx[n].used = false;
	sen_sbi_stream_respond_json(st, 200, rsp);
	cJSON_Delete(rsp);
}

static void udm_uecm(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	const char *id = sen_sbi_msg_var(req, "ueId");
	struct sub *s = id ? sub_find(id) : NULL;
	cJSON *j;

	if (s && s->uecm_status) {
		sen_sbi_stream_respond_error(st, s->uecm_status, s->uecm_cause, "refused");
		return;
	}
	if (sen_sbi_msg_json(req, &j) < 0 || !jstr(j, "deregCallbackUri")) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_bad_json(st, "Amf3GppAccessRegistration");
		return;
	}
	sen_sbi_stream_respond_json(st, 201, j);
	cJSON_Delete(j);
}

static cJSON *nssai_json(void)
{
	cJSON *n = cJSON_CreateObject(), *l, *s;

	if (udm_default_sst) {
		l = cJSON_AddArrayToObject(n, "defaultSingleNssais");
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "sst", udm_default_sst);
		cJSON_AddItemToArray(l, s);
	}
	if (udm_other_sst) {
		l = cJSON_AddArrayToObject(n, "singleNssais");
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "sst", udm_other_sst);
		cJSON_AddItemToArray(l, s);
	}
	return n;
}

static void udm_am_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = cJSON_CreateObject(), *ambr = cJSON_AddObjectToObject(j, "subscribedUeAmbr");
	cJSON_AddStringToObject(ambr, "uplink", "1 Gbps");
	cJSON_AddStringToObject(ambr, "downlink", "2 Gbps");
	cJSON_AddItemToObject(j, "nssai", nssai_json());
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

static void udm_nssai(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = nssai_json();
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

int h_fakes_start(void)
{
	struct sen_sbi_server_opts o = {.addr = ADDR};
	int rc;

	ports();
	o.port = ausf_port;
	if ((rc = sen_sbi_server_new(h_loop, &o, &ausf_srv)) < 0)
		return rc;
	sen_sbi_server_route(ausf_srv, SEN_SBI_POST, "/nausf-auth/v1/ue-authentications", ausf_post, NULL);
	sen_sbi_server_route(ausf_srv, SEN_SBI_PUT,
			     "/nausf-auth/v1/ue-authentications/{authCtxId}/5g-aka-confirmation",
			     ausf_put, NULL);
	if ((rc = sen_sbi_server_start(ausf_srv)) < 0)
		return rc;
	o.port = udm_port;
	if ((rc = sen_sbi_server_new(h_loop, &o, &udm_srv)) < 0)
		return rc;
	sen_sbi_server_route(udm_srv, SEN_SBI_PUT,
			     "/nudm-uecm/v1/{ueId}/registrations/amf-3gpp-access", udm_uecm, NULL);
	sen_sbi_server_route(udm_srv, SEN_SBI_GET, "/nudm-sdm/v2/{supi}/am-data", udm_am_data, NULL);
	sen_sbi_server_route(udm_srv, SEN_SBI_GET, "/nudm-sdm/v2/{supi}/nssai", udm_nssai, NULL);
	if ((rc = sen_sbi_server_start(udm_srv)) < 0)
		return rc;
	return sen_sbi_client_new(h_loop, NULL, &udm_client);
}

void h_fakes_stop(void)
{
	sen_sbi_client_free(udm_client);
	sen_sbi_server_free(ausf_srv);
	sen_sbi_server_free(udm_srv);
}

static int notify_status;
static bool notify_done;

static void on_notify(int err, struct sen_sbi_msg *rsp, void *arg)
{
	notify_status = err < 0 ? err : sen_sbi_msg_status(rsp);
	notify_done = true;
}

int h_udm_dereg_notify(const char *supi, const char *reason, int *status)
{
	char auth[64];
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_POST, "/namf-callback/v1/%s/dereg-notify", supi);
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "deregReason", reason);
	sen_sbi_msg_set_json(req, j, NULL);
	cJSON_Delete(j);
	snprintf(auth, sizeof(auth), ADDR ":%u", amf_sbi_port);
	notify_done = false;
	if (sen_sbi_client_send(udm_client, auth, req, 3000, on_notify, NULL) < 0)
		return -1;
	for (int i = 0; i < 400 && !notify_done; i++)
		h_run(10);
	*status = notify_status;
	return notify_done ? 0 : -1;
}

/* ======================================================================== gNB ==== */

#define RXQ 4096
/* H_GNBS gNBs, each its own endpoint (its own SCTP port) on the one usrsctp stack; the
 * globals below are those of the gNB in use (h_gnb_use). */
static struct gnb_slot {
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *assoc;
	bool up, down;
} gnbs[H_GNBS];
static int cur_gnb;
#define gnb_ep (gnbs[cur_gnb].ep)
#define gnb_assoc (gnbs[cur_gnb].assoc)
#define gnb_up (gnbs[cur_gnb].up)
#define gnb_down (gnbs[cur_gnb].down)
static struct {
	int gnb;
	uint16_t stream;
	size_t len;
	uint8_t *data;
} rxq[RXQ];
static unsigned rxq_n;
static struct h_rx cur;

void h_gnb_use(int i)
{
	if (i >= 0 && i < H_GNBS)
		cur_gnb = i;
}

static void g_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	struct gnb_slot *g = arg;
	g->up = true;
}

static void g_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason r, void *arg)
{
	struct gnb_slot *g = arg;
	g->down = true;
	g->up = false;
	if (a == g->assoc)
		g->assoc = NULL;
}

static void g_msg(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid, const uint8_t *d,
		  size_t len, void *arg)
{
	if (rxq_n >= RXQ || len > sizeof(cur.buf))
		return;
	rxq[rxq_n].gnb = (int)((struct gnb_slot *)arg - gnbs);
	rxq[rxq_n].stream = stream;
	rxq[rxq_n].len = len;
	rxq[rxq_n].data = malloc(len);
	memcpy(rxq[rxq_n].data, d, len);
	rxq_n++;
}

static void rxq_drop(unsigned i)
{
	free(rxq[i].data);
	memmove(&rxq[i], &rxq[i + 1], (rxq_n - i - 1) * sizeof(rxq[0]));
	rxq_n--;
}

void h_gnb_flush(void)
{
	while (rxq_n)
		rxq_drop(0);
}

static int ensure_ep(void)
{
	struct sen_sctp_config c = {.transport = SEN_SCTP_UDP, .udp_local_port = gnb_udp,
				    .udp_remote_port = amf_udp, .streams = 4};
	struct sen_sctp_callbacks cb = {.up = g_up, .down = g_down, .message = g_msg};

	ports();
	if (gnb_ep)
		return 0;
	return sen_sctp_endpoint_new(&gnb_ep, h_loop, &c, &cb, &gnbs[cur_gnb]);
}

int h_gnb_connect(void)
{
	if (ensure_ep() < 0)
		return -1;
	gnb_up = gnb_down = false;
	if (sen_sctp_connect(gnb_ep, ADDR, SEN_SCTP_NGAP_PORT, 1000, &gnb_assoc) < 0)
		return -1;
	for (int i = 0; i < 150 && !gnb_up && !gnb_down; i++)
		h_run(10);
	if (!gnb_up)
		gnb_assoc = NULL;
	return gnb_up ? 0 : -1;
}

void h_gnb_close(bool abort)
{
	if (!gnb_assoc)
		return;
	if (abort)
		sen_sctp_abort(gnb_assoc);
	else
		sen_sctp_shutdown(gnb_assoc);
	for (int i = 0; i < 300 && !gnb_down; i++)
		h_run(10);
	gnb_assoc = NULL;
	h_gnb_flush();
}

int h_gnb_send_raw(uint16_t stream, const void *data, size_t len)
{
	if (!gnb_assoc)
		return -1;
	return sen_sctp_send(gnb_assoc, stream, SEN_SCTP_PPID_NGAP, data, len);
}

int h_gnb_send(uint16_t stream, const struct sen_ngap_pdu *pdu)
{
	uint8_t out[4096];
	int n = sen_ngap_encode(pdu, out, sizeof(out));
	return n < 0 ? n : h_gnb_send_raw(stream, out, (size_t)n);
}

static int64_t ran_of(const struct sen_ngap_pdu *p)
{
	const void *m = p->msg.value.value;
	if (!m)
		return -1;
	switch (p->msg.procedure_code) {
	case SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT:
		return ((const struct sen_ngap_downlink_nas_transport *)m)->ran_ue_ngap_id;
	case SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP:
		return ((const struct sen_ngap_initial_context_setup_request *)m)->ran_ue_ngap_id;
	case SEN_NGAP_PROC_UE_CONTEXT_RELEASE: {
		const struct sen_ngap_ue_context_release_command *c = m;
		return c->ue_ngap_ids.present == SEN_NGAP_IDS_PAIR ? (int64_t)c->ue_ngap_ids.u.pair.ran_ue_ngap_id : -1;
	}
	case SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP:
		return ((const struct sen_ngap_pdu_session_resource_setup_request *)m)->ran_ue_ngap_id;
	case SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE:
		return ((const struct sen_ngap_pdu_session_resource_release_command *)m)->ran_ue_ngap_id;
	case SEN_NGAP_PROC_ERROR_INDICATION: {
		const struct sen_ngap_error_indication *e = m;
		return e->has_ran_ue_ngap_id ? (int64_t)e->ran_ue_ngap_id : -1;
	}
	default:
		return -1;
	}
}

/* Decode queue entry i into cur; true if it matches. */
static bool take(unsigned i, int kind, int proc, int64_t ran)
{
	if (rxq[i].gnb != cur_gnb)
		return false;
	cur.stream = rxq[i].stream;
	cur.len = rxq[i].len;
	memcpy(cur.buf, rxq[i].data, cur.len);
	sen_asn_arena_init(&cur.arena, cur.mem, sizeof(cur.mem), 1 << 20);
	sen_asn_ctx_init(&cur.ctx, &cur.arena, 0);
	if (sen_ngap_decode(&cur.pdu, cur.buf, cur.len, &cur.ctx) < 0)
		return false;
	cur.msg = cur.pdu.msg.value.value;
	if ((int)cur.pdu.present != kind || (int)cur.pdu.msg.procedure_code != proc)
		return false;
	return ran < 0 || ran_of(&cur.pdu) == ran;
}

struct h_rx *h_gnb_wait(int kind, int proc, int64_t ran, int ms)
{
	uint64_t end = sen_loop_update_now(h_loop) + (uint64_t)ms;

	for (;;) {
		for (unsigned i = 0; i < rxq_n; i++)
			if (take(i, kind, proc, ran)) {
				rxq_drop(i);
				return &cur;
			}
		if (sen_loop_update_now(h_loop) >= end)
			return NULL;
		sen_loop_run_once(h_loop, 10);
	}
}

int h_gnb_count(int kind, int proc, int ms)
{
	int n = 0;
	uint64_t end = sen_loop_update_now(h_loop) + (uint64_t)ms;

	while (sen_loop_update_now(h_loop) < end) {
		sen_loop_run_once(h_loop, 10);
		for (unsigned i = 0; i < rxq_n;)
			if (take(i, kind, proc, -1)) {
				rxq_drop(i);
				n++;
			} else {
				i++;
			}
	}
	return n;
}

int h_gnb_ng_setup(bool good_plmn, struct h_rx **answer)
{
	return h_gnb_ng_setup_with(good_plmn, 1, 1, answer);
}

int h_gnb_ng_setup_with(bool good_plmn, uint32_t tac_v, uint8_t sst_v, struct h_rx **answer)
{
	return h_gnb_ng_setup_ie(good_plmn, tac_v, sst_v, NULL, answer);
}

int h_gnb_ng_setup_ie(bool good_plmn, uint32_t tac_v, uint8_t sst_v,
		      const struct sen_asn_raw_ie *unknown, struct h_rx **answer)
{
	static uint8_t plmn_ok[3], plmn_bad[3];
	struct sen_ngap_ng_setup_request m;
	struct sen_ngap_slice_item slice;
	struct sen_ngap_bplmn_item bp;
	struct sen_ngap_ta_item ta;
	struct sen_ngap_pdu pdu;
	static uint8_t tac[3], gnb_id[3], sst[1];

	tac[0] = (uint8_t)(tac_v >> 16);
	tac[1] = (uint8_t)(tac_v >> 8);
	tac[2] = (uint8_t)tac_v;
	gnb_id[2] = (uint8_t)(4 + cur_gnb); /* each gNB its own id */
	sst[0] = sst_v;

	sen_ngap_plmn_encode(MCC, MNC, plmn_ok);
	sen_ngap_plmn_encode("001", "01", plmn_bad);
	memset(&m, 0, sizeof(m));
	memset(&slice, 0, sizeof(slice));
	memset(&bp, 0, sizeof(bp));
	memset(&ta, 0, sizeof(ta));
	slice.snssai.sst = (struct sen_asn_octets){sst, 1};
	bp.plmn = (struct sen_asn_octets){good_plmn ? plmn_ok : plmn_bad, 3};
	bp.slices.items = &slice;
	bp.slices.count = 1;
	ta.tac = (struct sen_asn_octets){tac, 3};
	ta.bplmns.items = &bp;
	ta.bplmns.count = 1;
	m.global_ran_node_id.present = SEN_NGAP_NODE_GNB;
	m.global_ran_node_id.u.node.plmn = bp.plmn;
	m.global_ran_node_id.u.node.id.u.bits = (struct sen_asn_bits){gnb_id, 22};
	m.has_ran_node_name = true;
	m.ran_node_name = (struct sen_asn_octets){(const uint8_t *)"test-gnb", 8};
	m.supported_ta_list.items = &ta;
	m.supported_ta_list.count = 1;
	m.default_paging_drx = SEN_NGAP_DRX_V128;
	if (unknown) {
		m.unknown.items = (struct sen_asn_raw_ie *)unknown;
		m.unknown.count = 1;
	}
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_NG_SETUP, &m);
	if (h_gnb_send(0, &pdu) < 0)
		return -1;
	uint64_t end = sen_loop_update_now(h_loop) + 2000;
	while (sen_loop_update_now(h_loop) < end) {
		for (unsigned i = 0; i < rxq_n; i++)
			if (take(i, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_SETUP, -1) ||
			    take(i, SEN_NGAP_UNSUCCESSFUL, SEN_NGAP_PROC_NG_SETUP, -1)) {
				rxq_drop(i);
				if (answer)
					*answer = &cur;
				return (int)cur.pdu.present;
			}
		sen_loop_run_once(h_loop, 10);
	}
	return -1;
}

/* ======================================================================= AMF ==== */

int h_amf_start(const char *exe, const struct amf_opts *o)
{
	FILE *f;
	char sndbuf[40] = "";

	char life[96] = "";

	ports();
	if (o && o->ngap_sndbuf)
		snprintf(sndbuf, sizeof(sndbuf), ", sndbuf: %u", o->ngap_sndbuf);
	if (o && o->mobile_reachable_ms)
		snprintf(life, sizeof(life), ", mobile_reachable: %u, implicit_dereg: %u",
			 o->mobile_reachable_ms, o->implicit_dereg_ms);
	snprintf(cfg_path, sizeof(cfg_path), "/tmp/sen-amf-test-%d.yaml", (int)getpid());
	f = fopen(cfg_path, "w");
	if (!f)
		return -1;
	fprintf(f,
		"plmn: { mcc: \"" MCC "\", mnc: \"" MNC "\" }\n"
		"tac: [1]\n"
		"slices: [ { sst: 1 } ]\n"
		"log: { level: %s }\n"
		"amf:\n"
		"  sbi: " ADDR ":%u\n"
		"  ngap: { addr: " ADDR ", port: 38412, transport: sctp-udp, udp_port: %u%s }\n"
		"  guami: { region: 2, set: 1, pointer: 0 }\n"
		"  security: { integrity: [nia2, nia1, nia3], ciphering: [nea2, nea1, nea3, nea0] }\n"
		"  network_name: { full: Sen, short: Sen }\n"
		"  sbi_timeout: 2000\n"
		"  timers: { t3550: %u, t3560: %u, t3570: %u, t3522: %u%s }\n"
		"%s"
		"ausf: { sbi: " ADDR ":%u }\n"
		"udm: { sbi: " ADDR ":%u }\n"
		"smf: { sbi: " ADDR ":%u, dnn: [ { name: internet }, { name: Corp.Example } ] }\n"
		"metrics: { port: %u }\n",
		getenv("AMF_LOG") ? getenv("AMF_LOG") : "warn", amf_sbi_port, amf_udp, sndbuf,
		o && o->t3550_ms ? o->t3550_ms : 6000u, o && o->t3560_ms ? o->t3560_ms : 6000u,
		o && o->t3570_ms ? o->t3570_ms : 6000u, o && o->t3522_ms ? o->t3522_ms : 6000u,
		life, o && o->amf_extra ? o->amf_extra : "", ausf_port, udm_port, smf_port, metrics_port);
	fclose(f);
	amf_pid = fork();
	if (amf_pid < 0)
		return -1;
	if (amf_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
		execl(exe, exe, "-c", cfg_path, (char *)NULL);
		_exit(127);
	}
	/* Ready when its metrics port answers: sen_nf_main opens it after every module
	 * started, so NGAP listens by then (bounded: 5 s). */
	for (int i = 0; i < 50; i++) {
		if (!h_amf_alive())
			break;
		if (h_metric("gnb") >= 0)
			return h_gnb_connect() == 0 ? 0 : (h_amf_stop(), -1);
		h_run(100);
	}
	h_amf_stop();
	return -1;
}

bool h_amf_alive(void)
{
	int st;
	return amf_pid > 0 && waitpid(amf_pid, &st, WNOHANG) == 0;
}

int h_amf_stop(void)
{
	int st = -1;

	for (int i = H_GNBS - 1; i >= 0; i--) {
		h_gnb_use(i);
		h_gnb_close(true);
	}
	if (amf_pid <= 0)
		return -1;
	kill(amf_pid, SIGTERM);
	for (int i = 0; i < 300; i++) {
		if (waitpid(amf_pid, &st, WNOHANG) == amf_pid) {
			amf_pid = 0;
			unlink(cfg_path);
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		h_run(10);
	}
	kill(amf_pid, SIGKILL);
	waitpid(amf_pid, &st, 0);
	amf_pid = 0;
	unlink(cfg_path);
	return -1;
}

long long h_metric(const char *series)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(metrics_port)};
	struct timeval tv = {.tv_sec = 2};
	static char buf[65536];
	size_t got = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

	inet_pton(AF_INET, ADDR, &a.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, sizeof(req) - 1) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (got < sizeof(buf) - 1 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	size_t sl = strlen(series);
	for (char *p = buf; (p = strstr(p, series)) != NULL; p++)
		if ((p == buf || p[-1] == '\n') && p[sl] == ' ')
			return atoll(p + sl + 1);
	return -1;
}

/* ======================================================================== UE ==== */

void h_ue_init(struct h_ue *ue, const char *msin, uint32_t ran_id)
{
	memset(ue, 0, sizeof(*ue));
	snprintf(ue->msin, sizeof(ue->msin), "%s", msin);
	snprintf(ue->supi, sizeof(ue->supi), "imsi-" MCC MNC "%s", msin);
	key(ue->k, ue->opc);
	ue->ran_id = ran_id;
}

void h_ue_free(struct h_ue *ue)
{
	if (ue->has_sec)
		sen_nas_sec_clear(&ue->sec);
	ue->has_sec = false;
}

int h_ue_registration_request(struct h_ue *ue, bool use_guti, uint8_t reg_type, uint8_t *out,
			      size_t cap)
{
	struct sen_nas_msg m;
	struct sen_nas_registration_request *r = &m.registration_request;

	sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_REQUEST);
	r->reg_type = reg_type;
	r->ngksi = 7;
	if (use_guti && ue->has_guti) {
		r->mobile_id = ue->guti;
	} else {
		r->mobile_id.type = SEN_NAS_ID_SUCI;
		r->mobile_id.suci.supi_type = SEN_SUPI_IMSI;
		snprintf(r->mobile_id.suci.mcc, 4, MCC);
		snprintf(r->mobile_id.suci.mnc, 4, MNC);
		snprintf(r->mobile_id.suci.routing, 5, "0");
		if (sen_suci_conceal(&r->mobile_id.suci, SEN_SUCI_NULL, NULL, 0, NULL, ue->msin) < 0)
			return -1;
	}
	r->has_ue_sec_cap = true;
	r->ue_sec_cap.len = 2;
	r->ue_sec_cap.ea = 0xf0; /* 5G-EA0..3 */
	r->ue_sec_cap.ia = 0xf0; /* 5G-IA0..3 */
	r->has_requested_nssai = true;
	r->requested_nssai.n = 1;
	r->requested_nssai.s[0].len = 1;
	r->requested_nssai.s[0].sst = 1;
	return sen_nas_encode(&m, out, cap);
}

int h_ue_send_initial(struct h_ue *ue, const uint8_t *nas, size_t len)
{
	struct sen_ngap_initial_ue_message m;
	struct sen_ngap_pdu pdu;
	static uint8_t plmn[3];
	static const uint8_t tac[3] = {0, 0, 1}, cell[5] = {0, 0, 0, 1, 0};

	sen_ngap_plmn_encode(MCC, MNC, plmn);
	memset(&m, 0, sizeof(m));
	m.ran_ue_ngap_id = ue->ran_id;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	m.uli.present = SEN_NGAP_ULI_NR;
	m.uli.u.nr.cgi.plmn = (struct sen_asn_octets){plmn, 3};
	m.uli.u.nr.cgi.cell_id = (struct sen_asn_bits){cell, 36};
	m.uli.u.nr.tai.plmn = (struct sen_asn_octets){plmn, 3};
	m.uli.u.nr.tai.tac = (struct sen_asn_octets){tac, 3};
	m.rrc_establishment_cause = SEN_NGAP_RRC_MO_SIGNALLING;
	ue->have_amf_id = false;
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_UE_MESSAGE, &m);
	return h_gnb_send(1, &pdu);
}

int h_ue_send_ul(struct h_ue *ue, const uint8_t *nas, size_t len)
{
	struct sen_ngap_uplink_nas_transport m;
	struct sen_ngap_pdu pdu;
	static uint8_t plmn[3];
	static const uint8_t tac[3] = {0, 0, 1}, cell[5] = {0, 0, 0, 1, 0};

	sen_ngap_plmn_encode(MCC, MNC, plmn);
	memset(&m, 0, sizeof(m));
	m.amf_ue_ngap_id = ue->amf_id;
	m.ran_ue_ngap_id = ue->ran_id;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	m.uli.present = SEN_NGAP_ULI_NR;
	m.uli.u.nr.cgi.plmn = (struct sen_asn_octets){plmn, 3};
	m.uli.u.nr.cgi.cell_id = (struct sen_asn_bits){cell, 36};
	m.uli.u.nr.tai.plmn = (struct sen_asn_octets){plmn, 3};
	m.uli.u.nr.tai.tac = (struct sen_asn_octets){tac, 3};
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT, &m);
	return h_gnb_send(1, &pdu);
}

int h_ue_protect(struct h_ue *ue, const struct sen_nas_msg *m, uint8_t sht, uint8_t *out,
		 size_t cap)
{
	uint8_t plain[1024];
	int n = sen_nas_encode(m, plain, sizeof(plain));

	if (n < 0 || !ue->has_sec)
		return -1;
	n = sen_nas_protect(&ue->sec, sht, plain, (size_t)n, out, cap);
	if (n > 0 && (size_t)n <= sizeof(ue->last_ul)) {
		memcpy(ue->last_ul, out, (size_t)n);
		ue->last_ul_len = (size_t)n;
	}
	return n;
}

/* The UE side of a downlink NAS message: plain, protected, or a Security Mode Command
 * under a new context (derived here from KAMF and the algorithms it names). */
int h_ue_unwrap(struct h_ue *ue, const uint8_t *nas, size_t len, struct sen_nas_msg *m)
{
	static uint8_t plain[2048];
	struct sen_nas_sec_hdr hdr;
	int n;

	if (len < 3)
		return -1;
	if ((nas[1] & 0x0f) == 0)
		return sen_nas_decode(nas, len, m, NULL);
	if (sen_nas_sec_parse(nas, len, &hdr) < 0)
		return -1;
	if (hdr.sht == SEN_NAS_SHT_INTEGRITY_NEW_CTX) {
		struct sen_nas_msg smc;
		if (sen_nas_decode(hdr.payload, hdr.payload_len, &smc, NULL) < 0 ||
		    smc.type != SEN_NAS_SECURITY_MODE_COMMAND)
			return -1;
		if (ue->has_sec)
			sen_nas_sec_clear(&ue->sec);
		if (sen_nas_sec_init_kamf(&ue->sec, ue->kamf, smc.security_mode_command.algs & 0x0f,
					  smc.security_mode_command.algs >> 4, SEN_NAS_ACCESS_3GPP,
					  true) < 0)
			return -1;
		ue->has_sec = true;
	}
	if (!ue->has_sec)
		return -1;
	n = sen_nas_unprotect(&ue->sec, nas, len, plain, sizeof(plain), &hdr);
	if (n < 0)
		return -1;
	return sen_nas_decode(plain, (size_t)n, m, NULL);
}

int h_ue_wait_nas(struct h_ue *ue, struct sen_nas_msg *m, bool *ics, int ms)
{
	uint64_t end = sen_loop_update_now(h_loop) + (uint64_t)ms;

	for (;;) {
		int left = (int)(end - sen_loop_update_now(h_loop));
		struct h_rx *rx;
		if (left <= 0)
			return -1;
		/* whichever comes first: DL NAS Transport or ICS Request for this UE */
		rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, ue->ran_id, 0);
		if (rx) {
			const struct sen_ngap_downlink_nas_transport *d = rx->msg;
			ue->amf_id = d->amf_ue_ngap_id;
			ue->have_amf_id = true;
			if (ics)
				*ics = false;
			return h_ue_unwrap(ue, d->nas_pdu.data, d->nas_pdu.len, m);
		}
		rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, ue->ran_id, 0);
		if (rx) {
			const struct sen_ngap_initial_context_setup_request *r = rx->msg;
			struct sen_ngap_initial_context_setup_response rsp = {
			    .amf_ue_ngap_id = r->amf_ue_ngap_id, .ran_ue_ngap_id = r->ran_ue_ngap_id};
			struct sen_ngap_pdu pdu;
			uint8_t kgnb[32];
			int rc;
			ue->amf_id = r->amf_ue_ngap_id;
			ue->have_amf_id = true;
			if (ics)
				*ics = true;
			/* The KgNB must be the one the UE derives (TS 33.501 A.9) from the
			 * uplink NAS COUNT of its last message. */
			sen_kdf_kgnb(ue->kamf, ue->sec.tx_count ? ue->sec.tx_count - 1 : 0,
				     SEN_KDF_ACCESS_3GPP, kgnb);
			if (r->security_key.nbits != 256 || !r->has_nas_pdu ||
			    memcmp(r->security_key.data, kgnb, 32))
				return -1;
			rc = h_ue_unwrap(ue, r->nas_pdu.data, r->nas_pdu.len, m);
			sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, &rsp);
			h_gnb_send(1, &pdu);
			return rc;
		}
		sen_loop_run_once(h_loop, 10);
	}
}

int h_ue_answer_auth(struct h_ue *ue, const struct sen_nas_msg *req)
{
	const struct sen_nas_authentication_request *a = &req->authentication_request;
	uint8_t res[8], ck[16], ik[16], sqn[6], res_star[16], kausf[32], kseaf[32], out[128];
	struct sen_nas_msg m;
	int n;

	if (!a->has_rand || !a->has_autn ||
	    sen_aka_usim_check(ue->k, ue->opc, a->rand, a->autn, res, ck, ik, sqn) < 0)
		return -1;
	if (sen_aka_sqn_get(sqn) <= ue->sqn_ms) { /* TS 33.102 6.3.3: synch failure */
		uint8_t ms[6], auts[14];
		sen_aka_sqn_put(ue->sqn_ms, ms);
		sen_aka_usim_auts(ue->k, ue->opc, a->rand, ms, auts);
		sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_FAILURE);
		m.authentication_failure.cause = 21;
		m.authentication_failure.has_auts = true;
		memcpy(m.authentication_failure.auts, auts, 14);
		n = sen_nas_encode(&m, out, sizeof(out));
		return n < 0 ? -1 : h_ue_send_ul(ue, out, (size_t)n);
	}
	ue->sqn_ms = sen_aka_sqn_get(sqn);
	sen_kdf_res_star(ck, ik, SNN, a->rand, res, 8, res_star);
	sen_kdf_kausf(ck, ik, SNN, a->autn, kausf);
	sen_kdf_kseaf(kausf, SNN, kseaf);
	sen_kdf_kamf(kseaf, ue->supi, a->abba.v, a->abba.len, ue->kamf);
	if (ue->wrong_res)
		res_star[3] ^= 0x5a;
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_RESPONSE);
	m.authentication_response.has_res = true;
	memcpy(m.authentication_response.res, res_star, 16);
	n = sen_nas_encode(&m, out, sizeof(out));
	return n < 0 ? -1 : h_ue_send_ul(ue, out, (size_t)n);
}

int h_ue_answer_smc(struct h_ue *ue, const uint8_t *raw, size_t len)
{
	struct sen_nas_msg m;
	uint8_t out[256];
	int n;

	(void)raw;
	(void)len;
	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMPLETE);
	m.security_mode_complete.has_imeisv = true;
	m.security_mode_complete.imeisv.type = SEN_NAS_ID_IMEISV;
	snprintf(m.security_mode_complete.imeisv.digits, 17, "4370816125816151");
	n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX, out, sizeof(out));
	return n < 0 ? -1 : h_ue_send_ul(ue, out, (size_t)n);
}

int h_ue_register(struct h_ue *ue)
{
	uint8_t buf[512];
	struct sen_nas_msg m;
	bool ics = false;
	int n = h_ue_registration_request(ue, false, 0x09, buf, sizeof(buf));

	if (n < 0 || h_ue_send_initial(ue, buf, (size_t)n) < 0)
		return -1;
	for (int steps = 0; steps < 6; steps++) {
		if (h_ue_wait_nas(ue, &m, &ics, 3000) < 0)
			return -1;
		switch (m.type) {
		case SEN_NAS_AUTHENTICATION_REQUEST:
			if (h_ue_answer_auth(ue, &m) < 0)
				return -1;
			break;
		case SEN_NAS_SECURITY_MODE_COMMAND:
			if (h_ue_answer_smc(ue, NULL, 0) < 0)
				return -1;
			break;
		case SEN_NAS_REGISTRATION_ACCEPT: {
			struct sen_nas_msg c;
			if (!ics || !m.registration_accept.has_guti)
				return -1;
			ue->guti = m.registration_accept.guti;
			ue->has_guti = true;
			sen_nas_msg_init(&c, SEN_NAS_REGISTRATION_COMPLETE);
			n = h_ue_protect(ue, &c, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
			return n < 0 ? -1 : h_ue_send_ul(ue, buf, (size_t)n);
		}
		default:
			return -1;
		}
	}
	return -1;
}

int h_ue_wait_release(struct h_ue *ue, int ms)
{
	struct h_rx *rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, ue->ran_id, ms);
	struct sen_ngap_ue_context_release_complete c;
	struct sen_ngap_pdu pdu;

	if (!rx)
		return -1;
	/* the AMF UE NGAP ID from the command: the UE may have had no downlink message yet */
	const struct sen_ngap_ue_context_release_command *cmd = rx->msg;
	if (cmd->ue_ngap_ids.present == SEN_NGAP_IDS_PAIR)
		ue->amf_id = cmd->ue_ngap_ids.u.pair.amf_ue_ngap_id;
	memset(&c, 0, sizeof(c));
	c.amf_ue_ngap_id = ue->amf_id;
	c.ran_ue_ngap_id = ue->ran_id;
	sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, &c);
	return h_gnb_send(1, &pdu);
}

int h_ue_deregister(struct h_ue *ue, bool switch_off)
{
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	m.deregistration_request_ue_orig.dereg_type = (uint8_t)((switch_off ? 0x08 : 0) | 0x01);
	m.deregistration_request_ue_orig.ngksi = 0;
	m.deregistration_request_ue_orig.mobile_id = ue->guti;
	n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	if (n < 0 || h_ue_send_ul(ue, buf, (size_t)n) < 0)
		return -1;
	if (!switch_off) {
		if (h_ue_wait_nas(ue, &m, NULL, 3000) < 0 ||
		    m.type != SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG)
			return -1;
	}
	return h_ue_wait_release(ue, 3000);
}

int h_ue_go_idle(struct h_ue *ue)
{
	struct sen_ngap_ue_context_release_request r;
	struct sen_ngap_pdu pdu;

	memset(&r, 0, sizeof(r));
	r.amf_ue_ngap_id = ue->amf_id;
	r.ran_ue_ngap_id = ue->ran_id;
	r.cause.present = SEN_NGAP_CAUSE_RADIO_NETWORK;
	r.cause.u.value = SEN_NGAP_CAUSE_RN_USER_INACTIVITY;
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE_REQUEST, &r);
	if (h_gnb_send(1, &pdu) < 0)
		return -1;
	return h_ue_wait_release(ue, 3000);
}

/* ================================================== additions for test_hostile.c ==== */

int h_gnb_drain(void (*fn)(const struct h_rx *rx, void *arg), void *arg)
{
	int n = 0;

	for (unsigned i = 0; i < rxq_n;) {
		if (rxq[i].gnb != cur_gnb) {
			i++;
			continue;
		}
		cur.stream = rxq[i].stream;
		cur.len = rxq[i].len;
		memcpy(cur.buf, rxq[i].data, cur.len);
		sen_asn_arena_init(&cur.arena, cur.mem, sizeof(cur.mem), 1 << 20);
		sen_asn_ctx_init(&cur.ctx, &cur.arena, 0);
		if (sen_ngap_decode(&cur.pdu, cur.buf, cur.len, &cur.ctx) < 0)
			cur.msg = NULL;
		else
			cur.msg = cur.pdu.msg.value.value;
		rxq_drop(i);
		n++;
		if (fn)
			fn(cur.msg ? &cur : NULL, arg);
	}
	return n;
}

int64_t h_rx_ran_id(const struct h_rx *rx)
{
	return rx ? ran_of(&rx->pdu) : -1;
}

bool h_gnb_is_up(void)
{
	return gnb_assoc != NULL && gnb_up;
}

/* ================================================ additions for test_amf_life.c ==== */

static unsigned many_n;

static cJSON *many_nssai_json(void)
{
	cJSON *n = cJSON_CreateObject(), *l, *s;

	l = cJSON_AddArrayToObject(n, "defaultSingleNssais");
	s = cJSON_CreateObject();
	cJSON_AddNumberToObject(s, "sst", 1);
	cJSON_AddItemToArray(l, s);
	l = cJSON_AddArrayToObject(n, "singleNssais");
	for (unsigned i = 2; i <= many_n; i++) {
		s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "sst", i);
		cJSON_AddItemToArray(l, s);
	}
	return n;
}

static void many_am_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddItemToObject(j, "nssai", many_nssai_json());
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

static void many_nssai(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = many_nssai_json();
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

void h_udm_nssai_many(const char *msin, unsigned n)
{
	static char routed[32];
	char path[128];

	many_n = n;
	if (routed[0])
		return; /* routes exist (for the first subscriber named) */
	snprintf(routed, sizeof(routed), "%s", msin);
	/* literal SUPI segments: more specific than the {supi} routes, so they win */
	snprintf(path, sizeof(path), "/nudm-sdm/v2/imsi-" MCC MNC "%s/am-data", msin);
	sen_sbi_server_route(udm_srv, SEN_SBI_GET, path, many_am_data, NULL);
	snprintf(path, sizeof(path), "/nudm-sdm/v2/imsi-" MCC MNC "%s/nssai", msin);
	sen_sbi_server_route(udm_srv, SEN_SBI_GET, path, many_nssai, NULL);
}

/* ---- additions for test_amf.c (authentication and NAS security) ---- */

int h_ue_answer_auth_sht(struct h_ue *ue, const struct sen_nas_msg *req, uint8_t sht)
{
	const struct sen_nas_authentication_request *a = &req->authentication_request;
	uint8_t res[8], ck[16], ik[16], sqn[6], res_star[16], kausf[32], kseaf[32], out[128];
	struct sen_nas_msg m;
	int n;

	if (!sht)
		return h_ue_answer_auth(ue, req);
	if (!a->has_rand || !a->has_autn || sen_aka_usim_check(ue->k, ue->opc, a->rand, a->autn,
							     res, ck, ik, sqn) < 0 ||
	    sen_aka_sqn_get(sqn) <= ue->sqn_ms)
		return -1;
	ue->sqn_ms = sen_aka_sqn_get(sqn);
	sen_kdf_res_star(ck, ik, SNN, a->rand, res, 8, res_star);
	sen_kdf_kausf(ck, ik, SNN, a->autn, kausf);
	sen_kdf_kseaf(kausf, SNN, kseaf);
	sen_kdf_kamf(kseaf, ue->supi, a->abba.v, a->abba.len, ue->kamf);
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_RESPONSE);
	m.authentication_response.has_res = true;
	memcpy(m.authentication_response.res, res_star, 16);
	n = h_ue_protect(ue, &m, sht, out, sizeof(out));
	return n < 0 ? -1 : h_ue_send_ul(ue, out, (size_t)n);
}
