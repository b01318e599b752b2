/*
 * smf-burst: the SMF's peers for tests/smf/test_smf_burst.py, made with lib/sbi: a fake UDM
 * (Nudm-SDM sm-data, DNN "internet" on SST 1) and a fake AMF (N1N2MessageTransfer, SM
 * context status), and a driver that plays many AMF-side UEs at once towards the SMF
 * (TS 29.502 Nsmf_PDUSession):
 *
 *   smf-burst UDM_ADDR:PORT AMF_ADDR:PORT SMF_ADDR:PORT N
 *
 * One line "go" on stdin starts each step; an empty line (or EOF) ends the program. A round
 * is two steps:
 *
 *   create: N SM contexts (imsi-99970000001xxxx, PSI 1, IPv4; at most CREATE_CONC in
 *           flight) and their Accept / Reject (N1N2MessageTransfer); prints
 *           {"round": R, "step": "created", "created": C, "accepted": A, "rejected": J, ...}
 *   release: all the created ones at once (Release SM Context, up to RELEASE_CONC in
 *           flight: a burst of PFCP Session Deletions at the UPF, as when UEs deregister
 *           together); prints {"round": R, "step": "released", "released": L, ...}
 *
 * Every step is bounded (PHASE_MS): then the line says "timeout": true.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/loop.h"
#include "multipart.h"
#include "nas/nas.h"
#include "sbi/sbi.h"

#define CREATE_CONC  200
#define RELEASE_CONC 1000
#define PHASE_MS     40000

static struct sen_loop *loop;
static struct sen_sbi_client *client;
static const char *smf_auth;
static int n_ue, round_no;
static char (*refs)[16];
static int next_ue, in_flight, created, accepted, rejected, released, failed;
static uint64_t t_phase;
static enum { IDLE, CREATING, WAIT_ACCEPTS, RELEASING } phase;
static bool next_is_release;
static struct sen_timer guard;

/* ---- fake UDM and AMF ---- */

static void on_sm_data(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *arr = cJSON_CreateArray(), *smd = cJSON_CreateObject(), *cfgs, *d, *q, *a;

	(void)req;
	(void)arg;
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(smd, "singleNssai"), "sst", 1);
	cfgs = cJSON_AddObjectToObject(smd, "dnnConfigurations");
	d = cJSON_AddObjectToObject(cfgs, "internet");
	q = cJSON_AddObjectToObject(d, "5gQosProfile");
	cJSON_AddNumberToObject(q, "5qi", 9);
	a = cJSON_AddObjectToObject(q, "arp");
	cJSON_AddNumberToObject(a, "priorityLevel", 8);
	cJSON_AddStringToObject(a, "preemptCap", "NOT_PREEMPT");
	cJSON_AddStringToObject(a, "preemptVuln", "PREEMPTABLE");
	a = cJSON_AddObjectToObject(d, "sessionAmbr");
	cJSON_AddStringToObject(a, "uplink", "100 Mbps");
	cJSON_AddStringToObject(a, "downlink", "200 Mbps");
	cJSON_AddItemToArray(arr, smd);
	sen_sbi_stream_respond_json(st, 200, arr);
	cJSON_Delete(arr);
}

static void phase_step(void);

static void on_n1n2(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	size_t len;
	const uint8_t *b = sen_sbi_msg_body(req, &len);
	struct smf_mp mp;
	const char *why;
	struct sen_nas_msg m;
	cJSON *rsp = cJSON_CreateObject();

	(void)arg;
	/* the N1 part (if any) is an Accept or a Reject */
	if (smf_mp_parse(sen_sbi_msg_header(req, "content-type"), b, len, &mp, &why) == 0)
		for (size_t i = 1; i < mp.n; i++)
			if (sen_nas_decode(mp.part[i].data, mp.part[i].len, &m, NULL) >= 0) {
				if (m.type == SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT)
					accepted++;
				else if (m.type == SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT)
					rejected++;
			}
	cJSON_AddStringToObject(rsp, "cause", "N1_N2_TRANSFER_INITIATED");
	sen_sbi_stream_respond_json(st, 200, rsp);
	cJSON_Delete(rsp);
	phase_step();
}

static void on_status(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	(void)req;
	(void)arg;
	sen_sbi_stream_respond_status(st, 204);
}

/* ---- the driver ---- */

static void on_create_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	int i = (int)(intptr_t)arg;
	const char *loc = err < 0 ? NULL : sen_sbi_msg_header(rsp, "location");

	in_flight--;
	if (loc && sen_sbi_msg_status(rsp) == 201 && strrchr(loc, '/')) {
		snprintf(refs[i], sizeof(refs[i]), "%s", strrchr(loc, '/') + 1);
		created++;
	} else {
		failed++; /* a rejected creation answers without an N1N2MessageTransfer */
		rejected++;
	}
	phase_step();
}

static void create_one(int i)
{
	struct sen_nas_msg m;
	uint8_t n1[128], *body = NULL;
	char json[1024], supi[32], ct[160];
	size_t blen;
	int n;

	snprintf(supi, sizeof(supi), "imsi-99970000001%04d", i);
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	m.pdu_session_id = 1;
	m.pti = 7;
	m.pdu_session_establishment_request.integrity_max_rate = 0xffff;
	m.pdu_session_establishment_request.has_pdu_session_type = true;
	m.pdu_session_establishment_request.pdu_session_type = SEN_NAS_PDU_IPV4;
	n = sen_nas_encode(&m, n1, sizeof(n1));
	snprintf(
	    json, sizeof(json),
	    "{\"supi\":\"%s\",\"pei\":\"imeisv-4370816125816151\",\"pduSessionId\":1,"
	    "\"dnn\":\"internet\",\"sNssai\":{\"sst\":1},\"servingNfId\":"
	    "\"6c4a9ab0-4b1a-4b8e-9b1e-000000000005\",\"servingNetwork\":{\"mcc\":\"999\","
	    "\"mnc\":\"70\"},\"requestType\":\"INITIAL_REQUEST\",\"n1SmMsg\":{\"contentId\":"
	    "\"binpart\"},\"anType\":\"3GPP_ACCESS\",\"ratType\":\"NR\",\"smContextStatusUri\":"
	    "\"http://127.0.0.5:7777/namf-callback/v1/smContextStatus/%s/1\"}",
	    supi, supi);
	struct smf_mp_out parts[2] = {
	    {SMF_MT_JSON, NULL, (const uint8_t *)json, strlen(json)},
	    {SMF_MT_NAS, "binpart", n1, n > 0 ? (size_t)n : 0},
	};
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_POST, "/nsmf-pdusession/v1/sm-contexts");
	smf_mp_build(parts, 2, &body, &blen, ct, sizeof(ct));
	sen_sbi_msg_set_body(req, body, blen, ct);
	free(body);
	in_flight++;
	sen_sbi_client_send(client, smf_auth, req, 30000, on_create_rsp, (void *)(intptr_t)i);
}

static void on_release_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	(void)arg;
	in_flight--;
	if (err == 0 && sen_sbi_msg_status(rsp) == 204)
		released++;
	else
		failed++;
	phase_step();
}

static void release_one(int i)
{
	char path[96];
	const char *j = "{\"cause\":\"REL_DUE_TO_REACTIVATION\"}";
	struct sen_sbi_msg *req;

	snprintf(path, sizeof(path), "/nsmf-pdusession/v1/sm-contexts/%s/release", refs[i]);
	req = sen_sbi_request_new(SEN_SBI_POST, "%s", path);
	sen_sbi_msg_set_body(req, j, strlen(j), "application/json");
	in_flight++;
	sen_sbi_client_send(client, smf_auth, req, 30000, on_release_rsp, NULL);
}

static void report(const char *step, bool timeout)
{
	uint64_t now = sen_loop_update_now(loop);

	printf("{\"round\":%d,\"step\":\"%s\",\"created\":%d,\"accepted\":%d,"
	       "\"rejected\":%d,\"released\":%d,\"failed\":%d,\"ms\":%llu,\"timeout\":%s}\n",
	       round_no, step, created, accepted, rejected, released, failed,
	       (unsigned long long)(now - t_phase), timeout ? "true" : "false");
	fflush(stdout);
}

static void start_step(void)
{
	t_phase = sen_loop_update_now(loop);
	sen_timer_start(&guard, PHASE_MS);
	next_ue = 0;
	if (next_is_release) {
		released = failed = 0;
		phase = RELEASING;
	} else {
		round_no++;
		memset(refs, 0, (size_t)n_ue * sizeof(*refs));
		created = accepted = rejected = released = failed = 0;
		phase = CREATING;
	}
	phase_step();
}

static void phase_step(void)
{
	switch (phase) {
	case CREATING:
		while (next_ue < n_ue && in_flight < CREATE_CONC)
			create_one(next_ue++);
		if (next_ue < n_ue || in_flight)
			return;
		phase = WAIT_ACCEPTS;
		/* fall through */
	case WAIT_ACCEPTS:
		if (accepted + rejected < n_ue)
			return;
		sen_timer_stop(&guard);
		phase = IDLE;
		next_is_release = true;
		report("created", false);
		return;
	case RELEASING:
		while (next_ue < n_ue && in_flight < RELEASE_CONC) {
			int i = next_ue++;
			if (refs[i][0])
				release_one(i);
		}
		if (next_ue < n_ue || in_flight)
			return;
		sen_timer_stop(&guard);
		phase = IDLE;
		next_is_release = false;
		report("released", false);
		return;
	case IDLE:
		break;
	}
}

static void on_guard(struct sen_loop *l, struct sen_timer *t, void *arg)
{
	(void)l;
	(void)t;
	(void)arg;
	report(phase == RELEASING ? "released" : "created", true);
	phase = IDLE;
	next_is_release = !next_is_release;
}

static void on_stdin(struct sen_loop *l, int fd, unsigned events, void *arg)
{
	static char cmd[16];
	static size_t len;
	char c;

	(void)events;
	(void)arg;
	if (read(fd, &c, 1) <= 0) {
		sen_loop_stop(l);
		return;
	}
	if (c != '\n') {
		if (len < sizeof(cmd) - 1)
			cmd[len++] = c;
		return;
	}
	cmd[len] = '\0';
	len = 0;
	if (strcmp(cmd, "go")) {
		sen_loop_stop(l);
		return;
	}
	if (phase == IDLE && in_flight == 0)
		start_step();
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

	if (argc != 5) {
		fprintf(stderr, "usage: smf-burst UDM_ADDR:PORT AMF_ADDR:PORT SMF_ADDR:PORT N\n");
		return 2;
	}
	smf_auth = argv[3];
	n_ue = atoi(argv[4]);
	if (n_ue < 1 || n_ue > 9999 || !(refs = calloc((size_t)n_ue, 16)))
		return 2;
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
		fprintf(stderr, "smf-burst: cannot listen\n");
		return 1;
	}
	sen_timer_init(&guard, loop, on_guard, NULL);
	sen_loop_fd_add(loop, 0, SEN_LOOP_READ, on_stdin, NULL);
	printf("{\"ready\":true}\n");
	fflush(stdout);
	sen_loop_run(loop);
	sen_sbi_server_free(udm);
	sen_sbi_server_free(amf);
	sen_sbi_client_free(client);
	sen_loop_free(loop);
	free(refs);
	return 0;
}
