/*
 * sen-amf: the life of a registration after it is accepted, with the harness of test_amf.c
 * (the AMF as a process, a test gNB and UEs, fake AUSF / UDM / SMF):
 *   - CM-IDLE supervision: the mobile reachable timer, then the implicit de-registration
 *     timer, then implicit de-registration (TS 24.501 5.3.7; TS 23.501 5.4.1.1), and both
 *     timers stopped when the UE comes back;
 *   - the UDM's deregistration notification by deregReason (TS 29.503 DeregistrationReason;
 *     TS 23.502 4.2.2.2.2 step 14c, 4.2.2.3.3; TS 24.501 9.11.3.20);
 *   - an allowed NSSAI of at most 8 S-NSSAIs (TS 23.501 5.15.2.1; TS 38.413
 *     maxnoofAllowedS-NSSAIs).
 *
 * Usage: test-amf-life PATH/TO/sen-amf [filter]
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/log.h"
#include "harness.h"

static const char *amf_exe;

#define MSIN1 "0000000001"
#define MSIN2 "0000000002"
#define MSIN_MANY "0000000009" /* the subscriber with many subscribed S-NSSAIs */
#define REGISTERED "fivegs_amffunction_rm_registeredsubnbr"

/* Mobile reachable 2.2 s (greater than T3512, 2 s: TS 24.501 5.3.7, checked at start-up),
 * implicit de-registration 400 ms. */
#define REACH_MS 2200
#define IMPLICIT_MS 400

static int start_with(const struct amf_opts *o)
{
	h_subs_clear();
	h_sub_add(MSIN1, 0);
	h_sub_add(MSIN2, 0);
	h_sub_add(MSIN_MANY, 0);
	if (h_amf_start(amf_exe, o) < 0)
		return -1;
	return h_gnb_ng_setup(true, NULL) == SEN_NGAP_SUCCESSFUL ? 0 : -1;
}

static int setup_ready(void **state)
{
	return start_with(NULL);
}

static int setup_short_reach(void **state)
{
	const struct amf_opts o = {.mobile_reachable_ms = REACH_MS,
				   .implicit_dereg_ms = IMPLICIT_MS,
				   .amf_extra = "  t3512: 2\n"};

	return start_with(&o);
}

static int setup_many_slices(void **state)
{
	const struct amf_opts o = {.amf_extra = "  slices: [ {sst: 1}, {sst: 2}, {sst: 3}, "
						"{sst: 4}, {sst: 5}, {sst: 6}, {sst: 7}, "
						"{sst: 8}, {sst: 9}, {sst: 10} ]\n"};

	return start_with(&o);
}

static int teardown(void **state)
{
	bool alive = h_amf_alive();
	int st = h_amf_stop();
	h_gnb_flush();
	if (!alive || st != 0) {
		fprintf(stderr, "# sen-amf %s, exit status %d\n", alive ? "alive" : "DEAD", st);
		return -1;
	}
	return 0;
}

/* ---- helpers ---- */

/* Register, and take the Configuration Update Command that follows. */
static void register_ue(struct h_ue *ue, const char *msin, uint32_t ran)
{
	h_ue_init(ue, msin, ran);
	assert_int_equal(h_ue_register(ue), 0);
	h_run(200);
	h_gnb_flush();
}

/* A PDU session (PSI 5) whose SM context the fake SMF created (TS 23.502 4.3.2.2.1). */
static void create_session(struct h_ue *ue)
{
	struct sen_nas_msg est, m;
	uint8_t n1[64], buf[256];
	int n1len, n;
	unsigned before = h_smf.creates;

	sen_nas_msg_init(&est, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	est.pdu_session_id = 5;
	est.pti = 1;
	est.pdu_session_establishment_request.integrity_max_rate = 0xffff;
	est.pdu_session_establishment_request.has_pdu_session_type = true;
	est.pdu_session_establishment_request.pdu_session_type = 1;
	n1len = sen_nas_encode(&est, n1, sizeof(n1));
	assert_true(n1len > 0);
	sen_nas_msg_init(&m, SEN_NAS_UL_NAS_TRANSPORT);
	m.ul_nas_transport.payload_container_type = 1;
	m.ul_nas_transport.payload_container.p = n1;
	m.ul_nas_transport.payload_container.len = (size_t)n1len;
	m.ul_nas_transport.has_pdu_session_id = true;
	m.ul_nas_transport.pdu_session_id = 5;
	m.ul_nas_transport.has_request_type = true;
	m.ul_nas_transport.request_type = 1;
	m.ul_nas_transport.has_snssai = true;
	m.ul_nas_transport.snssai.len = 1;
	m.ul_nas_transport.snssai.sst = 1;
	m.ul_nas_transport.has_dnn = true;
	snprintf(m.ul_nas_transport.dnn.name, sizeof(m.ul_nas_transport.dnn.name), "internet");
	n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(ue, buf, (size_t)n), 0);
	assert_true(h_wait_count(&h_smf.creates, before + 1, 3000));
	h_run(300); /* the 201 handled: the SM context reference is known */
}

/* Registration Accept (in ICS when ics_expected): keep the 5G-GUTI, complete. */
static void complete_registration(struct h_ue *ue, bool ics_expected)
{
	struct sen_nas_msg m, c;
	uint8_t buf[256];
	bool ics = !ics_expected;
	int n;

	assert_int_equal(h_ue_wait_nas(ue, &m, &ics, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_int_equal(ics, ics_expected);
	assert_true(m.registration_accept.has_guti);
	ue->guti = m.registration_accept.guti;
	ue->has_guti = true;
	sen_nas_msg_init(&c, SEN_NAS_REGISTRATION_COMPLETE);
	n = h_ue_protect(ue, &c, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(ue, buf, (size_t)n), 0);
}

/* Poll the registered gauge until it is `want` (up to ms). */
static bool gauge_becomes(long long want, int ms)
{
	for (int t = 0; t < ms; t += 100) {
		if (h_metric(REGISTERED) == want)
			return true;
		h_run(100);
	}
	return h_metric(REGISTERED) == want;
}

/* ---- implicit de-registration (TS 24.501 5.3.7) ---- */

static void test_implicit_deregistration(void **state)
{
	struct h_ue ue;

	h_smf_reset(H_SMF_OK);
	register_ue(&ue, MSIN1, 11);
	create_session(&ue);
	unsigned releases = h_smf.releases;
	assert_int_equal(h_ue_go_idle(&ue), 0);
	/* mobile reachable timer running, then the implicit de-registration timer: still
	 * registered for a while */
	h_run(REACH_MS / 2);
	assert_int_equal(h_metric(REGISTERED), 1);
	/* both expired: deregistered locally, its SM context released at the SMF, no NAS
	 * message and no N2 signalling (the UE is in CM-IDLE) */
	assert_true(gauge_becomes(0, REACH_MS + IMPLICIT_MS + 3000));
	assert_true(h_wait_count(&h_smf.releases, releases + 1, 3000));
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 200), 0);
	h_ue_free(&ue);
}

static void test_reachable_timers_stopped(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg r;
	uint8_t buf[256];
	int n;

	register_ue(&ue, MSIN1, 21);
	assert_int_equal(h_ue_go_idle(&ue), 0);
	/* back during the implicit de-registration timer: a periodic registration update with
	 * follow-on request from CM-IDLE (TS 24.501 5.5.1.3), so the connection stays */
	h_run(REACH_MS + IMPLICIT_MS / 2);
	n = h_ue_registration_request(&ue, true, 0x0b, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	n = h_ue_protect(&ue, &r, SEN_NAS_SHT_INTEGRITY, buf, sizeof(buf));
	ue.ran_id = 22;
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	complete_registration(&ue, true);
	/* the timers stopped: the UE stays registered however long it stays connected */
	h_run(REACH_MS + IMPLICIT_MS + 600);
	assert_int_equal(h_metric(REGISTERED), 1);
	/* in CM-IDLE again, supervised again from the start */
	assert_int_equal(h_ue_go_idle(&ue), 0);
	h_run(REACH_MS / 2);
	assert_int_equal(h_metric(REGISTERED), 1);
	assert_true(gauge_becomes(0, REACH_MS + IMPLICIT_MS + 3000));
	h_ue_free(&ue);
}

/* ---- the UDM's deregistration notification (TS 29.503 5.3.2.2.4) ---- */

static void notify(const char *msin, const char *reason)
{
	char supi[40];
	int status = 0;

	snprintf(supi, sizeof(supi), "imsi-99970%s", msin);
	assert_int_equal(h_udm_dereg_notify(supi, reason, &status), 0);
	assert_int_equal(status, 204);
}

/* Registered at another AMF (TS 23.502 4.2.2.2.2 step 14c): the context goes without a NAS
 * message; for an initial registration there the SM contexts are released, for a
 * registration area change they moved with the UE and are not. */
static void test_dereg_reason_moved(void **state)
{
	struct h_ue a, b;
	unsigned releases;

	h_smf_reset(H_SMF_OK);
	register_ue(&a, MSIN1, 31);
	create_session(&a);
	register_ue(&b, MSIN2, 32);
	create_session(&b);
	assert_int_equal(h_metric(REGISTERED), 2);

	/* a, CM-CONNECTED: UE_INITIAL_REGISTRATION -> N2 released, SM context released */
	h_gnb_flush();
	releases = h_smf.releases;
	notify(MSIN1, "UE_INITIAL_REGISTRATION");
	assert_int_equal(h_ue_wait_release(&a, 2000), 0);
	assert_true(h_wait_count(&h_smf.releases, releases + 1, 3000));
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 300), 0);
	assert_true(gauge_becomes(1, 1000));

	/* b, CM-IDLE: UE_REGISTRATION_AREA_CHANGE -> removed, its SM context kept */
	assert_int_equal(h_ue_go_idle(&b), 0);
	h_run(200);
	h_gnb_flush();
	releases = h_smf.releases;
	notify(MSIN2, "UE_REGISTRATION_AREA_CHANGE");
	assert_true(gauge_becomes(0, 1000));
	h_run(300);
	assert_int_equal(h_smf.releases, releases);
	assert_int_equal(h_gnb_drain(NULL, NULL), 0); /* nothing for the gNB */
	/* the context is gone: a second notification finds none */
	int status = 0;
	assert_int_equal(h_udm_dereg_notify("imsi-99970" MSIN2, "UE_REGISTRATION_AREA_CHANGE",
					    &status), 0);
	assert_int_equal(status, 404);
	h_ue_free(&a);
	h_ue_free(&b);
}

/* Network deregistration: the Deregistration Request the UE gets, accepted, then release. */
static void expect_nw_dereg(struct h_ue *ue, uint8_t dereg_type, int cause)
{
	struct sen_nas_msg m;
	uint8_t buf[128];
	int n;

	assert_int_equal(h_ue_wait_nas(ue, &m, NULL, 2000), 0);
	assert_int_equal(m.type, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	/* 9.11.3.20: bits 1-2 access type (3GPP), bit 3 re-registration required */
	assert_int_equal(m.deregistration_request_ue_term.dereg_type & 0x07, dereg_type);
	assert_int_equal(m.deregistration_request_ue_term.has_cause, cause >= 0);
	if (cause >= 0)
		assert_int_equal(m.deregistration_request_ue_term.cause, cause);
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM);
	n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_release(ue, 2000), 0);
}

static void test_dereg_reason_network(void **state)
{
	struct h_ue a, b;

	register_ue(&a, MSIN1, 41);
	register_ue(&b, MSIN2, 42);

	/* REREGISTRATION_REQUIRED: "re-registration required", no cause */
	notify(MSIN1, "REREGISTRATION_REQUIRED");
	expect_nw_dereg(&a, 0x05, -1);
	assert_true(gauge_becomes(1, 1000));

	/* a reason of the SMF registrations: nothing happens to the UE */
	notify(MSIN2, "DUPLICATE_PDU_SESSION");
	h_run(400);
	assert_int_equal(h_gnb_drain(NULL, NULL), 0);
	assert_int_equal(h_metric(REGISTERED), 1);

	/* SUBSCRIPTION_WITHDRAWN: re-registration not required, #7 */
	notify(MSIN2, "SUBSCRIPTION_WITHDRAWN");
	expect_nw_dereg(&b, 0x01, 7);
	assert_true(gauge_becomes(0, 1000));
	h_ue_free(&a);
	h_ue_free(&b);
}

/* ---- allowed NSSAI of at most 8 (TS 23.501 5.15.2.1) ---- */

static void test_allowed_nssai_max8(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg r, m, c;
	struct h_rx *rx;
	uint8_t buf[512];
	bool ics = false;
	int n;

	/* 10 S-NSSAIs supported, subscribed and requested */
	h_udm_nssai_many(MSIN_MANY, 10);
	h_ue_init(&ue, MSIN_MANY, 51);
	n = h_ue_registration_request(&ue, false, 0x09, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	r.registration_request.requested_nssai.n = 10;
	for (unsigned i = 0; i < 10; i++) {
		r.registration_request.requested_nssai.s[i].len = 1;
		r.registration_request.requested_nssai.s[i].sst = (uint8_t)(i + 1);
	}
	n = sen_nas_encode(&r, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth(&ue, &m), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_SECURITY_MODE_COMMAND);
	assert_int_equal(h_ue_answer_smc(&ue, NULL, 0), 0);

	/* the Initial Context Setup carries 8 allowed S-NSSAIs */
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, ue.ran_id, 3000);
	assert_non_null(rx);
	const struct sen_ngap_initial_context_setup_request *ics_req = rx->msg;
	assert_int_equal(ics_req->allowed_nssai.count, 8);
	ue.amf_id = ics_req->amf_ue_ngap_id;
	ue.have_amf_id = true;
	assert_true(ics_req->has_nas_pdu);
	assert_int_equal(h_ue_unwrap(&ue, ics_req->nas_pdu.data, ics_req->nas_pdu.len, &m), 0);
	ics = true;
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_true(m.registration_accept.has_allowed_nssai);
	assert_int_equal(m.registration_accept.allowed_nssai.n, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(m.registration_accept.allowed_nssai.s[i].sst, i + 1);
	ue.guti = m.registration_accept.guti;
	ue.has_guti = true;
	sen_nas_msg_init(&c, SEN_NAS_REGISTRATION_COMPLETE);
	n = h_ue_protect(&ue, &c, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_true(ics);
	assert_true(gauge_becomes(1, 1000));
	h_run(300);
	h_gnb_flush(); /* the Configuration Update Command */
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_implicit_deregistration, setup_short_reach, teardown),
	    cmocka_unit_test_setup_teardown(test_reachable_timers_stopped, setup_short_reach, teardown),
	    cmocka_unit_test_setup_teardown(test_dereg_reason_moved, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_dereg_reason_network, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_allowed_nssai_max8, setup_many_slices, teardown),
	};
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH/TO/sen-amf\n", argv[0]);
		return 2;
	}
	amf_exe = argv[1];
	if (argc > 2)
		cmocka_set_test_filter(argv[2]);
	sen_log_set_level(getenv("AMF_LOG") ? SEN_LOG_DEBUG : SEN_LOG_WARN);
	if (sen_loop_new(&h_loop) < 0 || h_fakes_start() < 0 || h_smf_start() < 0) {
		fprintf(stderr, "cannot set up the harness\n");
		return 1;
	}
	rc = cmocka_run_group_tests_name("amf-life", tests, NULL, NULL);
	h_smf_stop();
	h_fakes_stop();
	return rc;
}
