/*
 * sen-amf PDU session cases (TS 23.502 4.3.2.2.1, 4.3.4.2; TS 24.501 5.4.5; TS 29.502;
 * TS 29.518 N1N2MessageTransfer), with the fake SMF of fake_smf.c, the test gNB and UE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "sbi/sbi.h"

#define MSIN1 "0000000001"
#define MSIN2 "0000000002"

/* A 5GSM message in a protected UL NAS Transport (TS 24.501 8.2.10). */
static void ul_sm(struct h_ue *ue, uint8_t psi, uint8_t req_type, const char *dnn,
		  const uint8_t *n1, size_t len)
{
	struct sen_nas_msg m;
	uint8_t buf[1024];
	int n;

	sen_nas_msg_init(&m, SEN_NAS_UL_NAS_TRANSPORT);
	m.ul_nas_transport.payload_container_type = 1;
	m.ul_nas_transport.payload_container.p = n1;
	m.ul_nas_transport.payload_container.len = len;
	m.ul_nas_transport.has_pdu_session_id = true;
	m.ul_nas_transport.pdu_session_id = psi;
	if (req_type) {
		m.ul_nas_transport.has_request_type = true;
		m.ul_nas_transport.request_type = req_type;
		m.ul_nas_transport.has_snssai = true;
		m.ul_nas_transport.snssai.len = 1;
		m.ul_nas_transport.snssai.sst = 1;
	}
	if (dnn) {
		m.ul_nas_transport.has_dnn = true;
		snprintf(m.ul_nas_transport.dnn.name, sizeof(m.ul_nas_transport.dnn.name), "%s", dnn);
	}
	n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(ue, buf, (size_t)n), 0);
}

static int est_request(uint8_t psi, uint8_t *out, size_t cap)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	m.pdu_session_id = psi;
	m.pti = 1;
	m.pdu_session_establishment_request.integrity_max_rate = 0xffff;
	m.pdu_session_establishment_request.has_pdu_session_type = true;
	m.pdu_session_establishment_request.pdu_session_type = 1; /* IPv4 */
	return sen_nas_encode(&m, out, cap);
}

/* Wait for a DL NAS Transport; checks PSI and the 5GMM cause (0: none). */
static void expect_dl_sm(struct h_ue *ue, uint8_t psi, uint8_t cause, const uint8_t *payload,
			 size_t len)
{
	struct sen_nas_msg m;

	assert_int_equal(h_ue_wait_nas(ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_DL_NAS_TRANSPORT);
	assert_int_equal(m.dl_nas_transport.payload_container_type, 1);
	assert_true(m.dl_nas_transport.has_pdu_session_id);
	assert_int_equal(m.dl_nas_transport.pdu_session_id, psi);
	assert_int_equal(m.dl_nas_transport.has_cause, cause != 0);
	if (cause)
		assert_int_equal(m.dl_nas_transport.cause, cause);
	assert_int_equal(m.dl_nas_transport.payload_container.len, len);
	assert_memory_equal(m.dl_nas_transport.payload_container.p, payload, len);
}

static void register_ue(struct h_ue *ue, const char *msin, uint32_t ran)
{
	struct sen_nas_msg m;

	h_ue_init(ue, msin, ran);
	assert_int_equal(h_ue_register(ue), 0);
	assert_int_equal(h_ue_wait_nas(ue, &m, NULL, 2000), 0); /* Configuration Update */
	h_run(100);
}

static const char *jstr(const cJSON *o, const char *path)
{
	char buf[128], *save = NULL, *tok;
	const cJSON *v = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = cJSON_GetObjectItemCaseSensitive(v, tok);
	return cJSON_GetStringValue(v);
}

/* UE establishes, the gNB sets it up, then the UE releases it (TS 23.502 4.3.2.2.1, 4.3.4.2). */
void test_pdu_session(void **state)
{
	static const uint8_t accept[] = {0x2e, 5, 1, 0xc2, 0x11, 0x22, 0x33, 0x44};
	static const uint8_t n2req[] = "SETUP-REQUEST-TRANSFER", n2rsp[] = "SETUP-RESPONSE-XFER";
	static const uint8_t relreq[] = {0x2e, 5, 2, 0xd1}, relcmd[] = {0x2e, 5, 2, 0xd3, 36};
	static const uint8_t relcpl[] = {0x2e, 5, 2, 0xd4}, relrsp[] = "REL-RSP";
	uint8_t est[128];
	char cause[64];
	struct h_ue ue;
	struct sen_nas_msg m;
	struct h_rx *rx;
	struct sen_ngap_pdu pdu;
	cJSON *j;
	int n = est_request(5, est, sizeof(est));

	h_smf_reset(H_SMF_OK);
	register_ue(&ue, MSIN1, 61);
	ul_sm(&ue, 5, 1, "internet", est, (size_t)n);

	/* the SMF gets a well-formed create with the exact N1 bytes */
	assert_true(h_wait_count(&h_smf.creates, 1, 3000));
	assert_string_equal(h_smf.bad, "");
	j = cJSON_Parse(h_smf.create.json);
	assert_non_null(j);
	assert_string_equal(jstr(j, "supi"), ue.supi);
	assert_int_equal(cJSON_GetObjectItem(j, "pduSessionId")->valueint, 5);
	assert_string_equal(jstr(j, "dnn"), "internet");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "sNssai"), "sst")->valueint, 1);
	assert_int_equal(strlen(jstr(j, "servingNfId")), 36);
	assert_string_equal(jstr(j, "anType"), "3GPP_ACCESS");
	assert_string_equal(jstr(j, "ratType"), "NR");
	assert_string_equal(jstr(j, "servingNetwork.mcc"), "999");
	assert_string_equal(jstr(j, "ueLocation.nrLocation.tai.tac"), "000001");
	assert_string_equal(jstr(j, "ueLocation.nrLocation.ncgi.nrCellId"), "000000010");
	assert_string_equal(jstr(j, "guami.amfId"), "020040");
	assert_non_null(strstr(jstr(j, "smContextStatusUri"), "/namf-callback/v1/imsi-999700000000001/"));
	cJSON_Delete(j);
	assert_true(h_smf.create.has_n1);
	assert_int_equal(h_smf.create.n1len, (size_t)n);
	assert_memory_equal(h_smf.create.n1, est, (size_t)n);

	/* N1N2MessageTransfer: Accept + Setup Request Transfer */
	assert_int_equal(h_smf_n1n2(ue.supi, 5, accept, sizeof(accept), n2req, sizeof(n2req) - 1,
				    "PDU_RES_SETUP_REQ", cause, sizeof(cause)), 200);
	assert_string_equal(cause, "N1_N2_TRANSFER_INITIATED");
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP, ue.ran_id, 2000);
	assert_non_null(rx);
	const struct sen_ngap_pdu_session_resource_setup_request *sr = rx->msg;
	assert_int_equal(sr->pdu_sessions.count, 1);
	assert_int_equal(sr->pdu_sessions.items[0].psi, 5);
	assert_int_equal(sr->pdu_sessions.items[0].snssai.sst.data[0], 1);
	assert_int_equal(sr->pdu_sessions.items[0].transfer.len, sizeof(n2req) - 1);
	assert_memory_equal(sr->pdu_sessions.items[0].transfer.data, n2req, sizeof(n2req) - 1);
	assert_true(sr->pdu_sessions.items[0].has_nas_pdu);
	assert_int_equal(h_ue_unwrap(&ue, sr->pdu_sessions.items[0].nas_pdu.data,
				     sr->pdu_sessions.items[0].nas_pdu.len, &m), 0);
	assert_int_equal(m.type, SEN_NAS_DL_NAS_TRANSPORT);
	assert_int_equal(m.dl_nas_transport.pdu_session_id, 5);
	assert_false(m.dl_nas_transport.has_cause);
	assert_int_equal(m.dl_nas_transport.payload_container.len, sizeof(accept));
	assert_memory_equal(m.dl_nas_transport.payload_container.p, accept, sizeof(accept));

	/* Setup Response -> modify with n2SmInfo PDU_RES_SETUP_RSP and the gNB's bytes */
	struct sen_ngap_ps_transfer item = {.psi = 5,
					    .transfer = {n2rsp, (uint32_t)sizeof(n2rsp) - 1}};
	struct sen_ngap_pdu_session_resource_setup_response rsp = {
	    .amf_ue_ngap_id = ue.amf_id, .ran_ue_ngap_id = ue.ran_id, .has_setup_list = true,
	    .setup_list = {.items = &item, .count = 1}};
	sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP, &rsp);
	assert_int_equal(h_gnb_send(1, &pdu), 0);
	assert_true(h_wait_count(&h_smf.modifies, 1, 3000));
	assert_string_equal(h_smf.modify.ref, "1");
	j = cJSON_Parse(h_smf.modify.json);
	assert_string_equal(jstr(j, "n2SmInfoType"), "PDU_RES_SETUP_RSP");
	cJSON_Delete(j);
	assert_true(h_smf.modify.has_n2);
	assert_int_equal(h_smf.modify.n2len, sizeof(n2rsp) - 1);
	assert_memory_equal(h_smf.modify.n2, n2rsp, sizeof(n2rsp) - 1);

	/* UE-requested release: N1 to the SMF, its Release Command + N2 to the gNB */
	ul_sm(&ue, 5, 0, NULL, relreq, sizeof(relreq));
	assert_true(h_wait_count(&h_smf.modifies, 2, 3000));
	assert_true(h_smf.modify.has_n1);
	assert_memory_equal(h_smf.modify.n1, relreq, sizeof(relreq));
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE, ue.ran_id, 2000);
	assert_non_null(rx);
	const struct sen_ngap_pdu_session_resource_release_command *rc = rx->msg;
	assert_int_equal(rc->pdu_sessions.count, 1);
	assert_int_equal(rc->pdu_sessions.items[0].psi, 5);
	assert_memory_equal(rc->pdu_sessions.items[0].transfer.data, "REL-CMD-TRANSFER", 16);
	assert_true(rc->has_nas_pdu);
	assert_int_equal(h_ue_unwrap(&ue, rc->nas_pdu.data, rc->nas_pdu.len, &m), 0);
	assert_int_equal(m.type, SEN_NAS_DL_NAS_TRANSPORT);
	assert_memory_equal(m.dl_nas_transport.payload_container.p, relcmd, sizeof(relcmd));

	struct sen_ngap_ps_transfer ritem = {.psi = 5,
					     .transfer = {relrsp, (uint32_t)sizeof(relrsp) - 1}};
	struct sen_ngap_pdu_session_resource_release_response rr = {
	    .amf_ue_ngap_id = ue.amf_id, .ran_ue_ngap_id = ue.ran_id,
	    .released_list = {.items = &ritem, .count = 1}};
	sen_ngap_pdu_init(&pdu, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE, &rr);
	assert_int_equal(h_gnb_send(1, &pdu), 0);
	assert_true(h_wait_count(&h_smf.modifies, 3, 3000));
	j = cJSON_Parse(h_smf.modify.json);
	assert_string_equal(jstr(j, "n2SmInfoType"), "PDU_RES_REL_RSP");
	cJSON_Delete(j);
	assert_memory_equal(h_smf.modify.n2, relrsp, sizeof(relrsp) - 1);

	ul_sm(&ue, 5, 0, NULL, relcpl, sizeof(relcpl));
	assert_true(h_wait_count(&h_smf.modifies, 4, 3000));
	assert_memory_equal(h_smf.modify.n1, relcpl, sizeof(relcpl));
	assert_int_equal(h_smf_notify_released(), 204);

	/* the routing context is gone: #90 (TS 24.501 5.4.5.2.5), the SMF not asked */
	ul_sm(&ue, 5, 0, NULL, relcpl, sizeof(relcpl));
	expect_dl_sm(&ue, 5, 90, relcpl, sizeof(relcpl));
	assert_int_equal(h_smf.modifies, 4);
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_run(200);
	assert_int_equal(h_smf.releases, 0);
	h_ue_free(&ue);
}

/* What cannot be routed goes back with #90 / #91; an SMF reject reaches the UE. */
void test_pdu_session_errors(void **state)
{
	static const uint8_t rej[] = {0x2e, 2, 1, 0xc3, 27};
	uint8_t est[128];
	char cause[64];
	struct h_ue ue;
	cJSON *j;
	int n;

	h_smf_reset(H_SMF_ERROR);
	register_ue(&ue, MSIN2, 62);

	/* a DNN no SMF serves (smf.dnn of the file): #91 without asking the SMF */
	n = est_request(1, est, sizeof(est));
	ul_sm(&ue, 1, 1, "ims", est, (size_t)n);
	expect_dl_sm(&ue, 1, 91, est, (size_t)n);
	assert_int_equal(h_smf.creates, 0);

	/* an SMF error (500, no N1): #90 (DNN matched case-insensitively) */
	ul_sm(&ue, 1, 1, "corp.example", est, (size_t)n);
	expect_dl_sm(&ue, 1, 90, est, (size_t)n);
	assert_int_equal(h_smf.creates, 1);

	/* the SMF rejects with an N1 Establishment Reject: forwarded as it is; no DNN from the
	 * UE: the configured default DNN */
	h_smf.mode = H_SMF_REJECT;
	n = est_request(2, est, sizeof(est));
	ul_sm(&ue, 2, 1, NULL, est, (size_t)n);
	expect_dl_sm(&ue, 2, 0, rej, sizeof(rej));
	j = cJSON_Parse(h_smf.create.json);
	assert_string_equal(jstr(j, "dnn"), "internet");
	cJSON_Delete(j);

	/* an existing-session message without a routing context: #90 */
	ul_sm(&ue, 3, 2, NULL, est, (size_t)n);
	expect_dl_sm(&ue, 3, 90, est, (size_t)n);

	/* N1N2MessageTransfer for an unknown UE: 404; without any container: 400 */
	assert_int_equal(h_smf_n1n2("imsi-999709999999999", 1, rej, sizeof(rej), NULL, 0, NULL,
				    cause, sizeof(cause)), 404);
	assert_int_equal(h_smf_n1n2(ue.supi, 1, NULL, 0, NULL, 0, NULL, cause, sizeof(cause)), 400);

	/* a session that exists is released at the SMF on deregistration (23.502 4.2.2.3.2) */
	h_smf.mode = H_SMF_OK;
	n = est_request(4, est, sizeof(est));
	ul_sm(&ue, 4, 1, "internet", est, (size_t)n);
	assert_true(h_wait_count(&h_smf.creates, 3, 3000));
	h_run(200);
	assert_int_equal(h_ue_deregister(&ue, true), 0);
	assert_true(h_wait_count(&h_smf.releases, 1, 3000));
	h_ue_free(&ue);
}

/* Several PDU sessions of one UE at once (the AMF keeps them as a list, allocated per
 * session): each routes on its own; one dropped by the SMF's status notification, one
 * replaced by a duplicate initial request (TS 23.502 4.3.2.2.1 step 2), the others still
 * route, and deregistration releases exactly the ones left. */
void test_pdu_sessions_several(void **state)
{
	static const uint8_t relreq1[] = {0x2e, 1, 2, 0xd1}, relreq3[] = {0x2e, 3, 2, 0xd1};
	uint8_t est[128];
	struct h_ue ue;
	int n;

	h_smf_reset(H_SMF_OK);
	register_ue(&ue, MSIN1, 63);
	for (uint8_t psi = 1; psi <= 3; psi++) {
		n = est_request(psi, est, sizeof(est));
		ul_sm(&ue, psi, 1, "internet", est, (size_t)n);
		assert_true(h_wait_count(&h_smf.creates, psi, 3000));
		h_run(100); /* the 201 */
	}
	assert_string_equal(h_smf.bad, "");

	/* the SMF released PSI 3 (the last created): its routing context goes, once */
	assert_int_equal(h_smf_notify_released(), 204);
	assert_int_equal(h_smf_notify_released(), 404);
	ul_sm(&ue, 3, 0, NULL, relreq3, sizeof(relreq3));
	expect_dl_sm(&ue, 3, 90, relreq3, sizeof(relreq3));

	/* PSI 2 again with an initial request: the old SM context is released, a new created */
	n = est_request(2, est, sizeof(est));
	ul_sm(&ue, 2, 1, "internet", est, (size_t)n);
	assert_true(h_wait_count(&h_smf.releases, 1, 3000));
	assert_true(h_wait_count(&h_smf.creates, 4, 3000));
	h_run(100);

	/* PSI 1 still routes to its SM context */
	ul_sm(&ue, 1, 0, NULL, relreq1, sizeof(relreq1));
	assert_true(h_wait_count(&h_smf.modifies, 1, 3000));
	assert_true(h_smf.modify.has_n1);
	assert_memory_equal(h_smf.modify.n1, relreq1, sizeof(relreq1));

	/* deregistration releases PSI 1 and 2 (3 is gone) */
	assert_int_equal(h_ue_deregister(&ue, true), 0);
	assert_true(h_wait_count(&h_smf.releases, 3, 3000));
	h_run(200);
	assert_int_equal(h_smf.releases, 3);
	h_ue_free(&ue);
}
