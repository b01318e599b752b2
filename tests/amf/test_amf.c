/*
 * sen-amf tests: the AMF as a process, driven by a test gNB (lib/ngap + lib/sctp over UDP)
 * and test UEs (lib/nas + lib/crypto), with a fake AUSF and UDM (lib/sbi). Every case
 * starts its own AMF and checks at the end that it is still running and stops cleanly.
 *
 * Usage: test-amf PATH/TO/sen-amf
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

static int start_with(const struct amf_opts *o)
{
	h_subs_clear();
	h_sub_add(MSIN1, 0);
	h_sub_add(MSIN2, 0);
	if (h_amf_start(amf_exe, o) < 0)
		return -1;
	return 0;
}

static int setup(void **state)
{
	return start_with(NULL);
}

static int setup_ready(void **state)
{
	if (start_with(NULL) < 0)
		return -1;
	return h_gnb_ng_setup(true, NULL) == SEN_NGAP_SUCCESSFUL ? 0 : -1;
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

/* ---- NG Setup (TS 38.413 8.7.1) ---- */

static void test_ng_setup_success(void **state)
{
	struct h_rx *rx;

	assert_int_equal(h_gnb_ng_setup(true, &rx), SEN_NGAP_SUCCESSFUL);
	const struct sen_ngap_ng_setup_response *r = rx->msg;
	assert_int_equal(r->amf_name.len, 7);
	assert_memory_equal(r->amf_name.data, "sen-amf", 7);
	assert_int_equal(r->served_guami_list.count, 1);
	assert_int_equal(r->served_guami_list.items[0].guami.region.data[0], 2);
	assert_int_equal(r->plmn_support_list.count, 1);
	assert_int_equal(r->plmn_support_list.items[0].slices.count, 1);
	assert_int_equal(h_metric("gnb"), 1);
}

static void test_ng_setup_wrong_plmn(void **state)
{
	struct h_rx *rx;

	assert_int_equal(h_gnb_ng_setup(false, &rx), SEN_NGAP_UNSUCCESSFUL);
	const struct sen_ngap_setup_failure *f = rx->msg;
	assert_int_equal(f->cause.present, SEN_NGAP_CAUSE_MISC);
	assert_int_equal(f->cause.u.value, SEN_NGAP_CAUSE_MISC_UNKNOWN_PLMN);
	assert_true(f->has_time_to_wait);
	assert_int_equal(f->time_to_wait, SEN_NGAP_TTW_5S);
	/* and the gNB may not send UE messages before a successful setup */
	struct h_ue ue;
	uint8_t buf[256];
	h_ue_init(&ue, MSIN1, 1);
	int n = h_ue_registration_request(&ue, false, 1, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_non_null(h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, -1, 2000));
	/* a good NG Setup afterwards succeeds */
	assert_int_equal(h_gnb_ng_setup(true, NULL), SEN_NGAP_SUCCESSFUL);
}

/* ---- registration and deregistration (TS 23.502 4.2.2.2.2, 4.2.2.3.2) ---- */

static void test_register_deregister(void **state)
{
	struct h_ue ue;

	h_ue_init(&ue, MSIN1, 1);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_rm_reginitreq"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_rm_reginitsucc"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_amf_authreq"), 1);
	assert_int_equal(h_metric("ran_ue"), 1);
	/* the network name follows in a Configuration Update Command (TS 24.501 5.4.4) */
	struct sen_nas_msg m;
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 2000), 0);
	assert_int_equal(m.type, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	assert_true(m.configuration_update_command.has_full_name);

	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	assert_int_equal(h_metric("ran_ue"), 0);
	h_ue_free(&ue);

	/* switch-off deregistration: no accept, only the release */
	h_ue_init(&ue, MSIN2, 2);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(100);
	h_gnb_flush();
	assert_int_equal(h_ue_deregister(&ue, true), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	h_ue_free(&ue);
}

static void test_wrong_res(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 7);
	ue.wrong_res = true;
	n = h_ue_registration_request(&ue, false, 1, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth(&ue, &m), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REJECT);
	assert_int_equal(h_ue_wait_release(&ue, 3000), 0);
	h_run(100);
	assert_int_equal(h_metric("fivegs_amffunction_amf_authreject"), 1);
	/* the SEAF's own HRES* check refused it: the AUSF was never asked to confirm */
	assert_int_equal(h_ausf_confirms(), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	h_ue_free(&ue);
}

static void test_resync(void **state)
{
	struct h_ue ue;

	h_ue_init(&ue, MSIN1, 8);
	ue.sqn_ms = 100000; /* the USIM is ahead of the home network: synch failure */
	assert_int_equal(h_ue_register(&ue), 0);
	assert_int_equal(h_ausf_resyncs(), 1);
	assert_true(ue.sqn_ms > 100000);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_amf_authfail{cause=\"21\"}"), 1);
	h_ue_free(&ue);
}

static void test_unknown_subscriber(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, "0000009999", 9);
	n = h_ue_registration_request(&ue, false, 1, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 7);
	assert_int_equal(h_ue_wait_release(&ue, 3000), 0);
	h_run(100);
	assert_int_equal(h_metric("fivegs_amffunction_rm_reginitfail{cause=\"7\"}"), 1);
	h_ue_free(&ue);
}

static void test_plmn_not_allowed(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 10);
	n = h_ue_registration_request(&ue, false, 1, buf, sizeof(buf));
	/* the SUCI's MCC (octets 6-7 of the message after the header) names another PLMN */
	struct sen_nas_msg r;
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	snprintf(r.registration_request.mobile_id.suci.mcc, 4, "001");
	snprintf(r.registration_request.mobile_id.suci.mnc, 4, "01");
	n = sen_nas_encode(&r, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 11);
	assert_int_equal(h_ausf_requests(), 0);
	h_ue_free(&ue);
}

/* ---- bad input (TS 38.413 clause 10; TS 24.501 4.4.4.3) ---- */

static void test_malformed_ngap(void **state)
{
	struct h_ue a, b;
	static const uint8_t garbage[] = {0x00, 0x2e, 0x40, 0x7f, 0xff, 0xff, 0x13};
	struct h_rx *rx;

	h_ue_init(&a, MSIN1, 11);
	assert_int_equal(h_ue_register(&a), 0);
	h_run(100);
	h_gnb_flush();

	/* a PDU that does not decode -> Error Indication, transfer syntax error (10.2) */
	assert_int_equal(h_gnb_send_raw(1, garbage, sizeof(garbage)), 0);
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, -1, 2000);
	assert_non_null(rx);
	const struct sen_ngap_error_indication *e = rx->msg;
	assert_true(e->has_cause);
	assert_int_equal(e->cause.present, SEN_NGAP_CAUSE_PROTOCOL);
	assert_int_equal(e->cause.u.value, SEN_NGAP_CAUSE_PROTO_TRANSFER_SYNTAX_ERROR);

	/* an Uplink NAS Transport for an unknown AMF UE NGAP ID -> Error Indication (10.6) */
	struct h_ue ghost;
	h_ue_init(&ghost, MSIN2, 99);
	ghost.amf_id = 0xabcdef;
	uint8_t nas[] = {0x7e, 0x00, 0x64, 0x6f};
	assert_int_equal(h_ue_send_ul(&ghost, nas, sizeof(nas)), 0);
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 99, 2000);
	assert_non_null(rx);
	e = rx->msg;
	assert_int_equal(e->cause.present, SEN_NGAP_CAUSE_RADIO_NETWORK);
	assert_int_equal(e->cause.u.value, SEN_NGAP_CAUSE_RN_UNKNOWN_LOCAL_UE_NGAP_ID);

	/* a malformed NAS message inside a good PDU from another UE -> 5GMM STATUS #96 / ignored,
	 * and the first UE is not disturbed */
	h_ue_init(&b, MSIN2, 12);
	uint8_t bad_reg[] = {0x7e, 0x00, 0x41, 0x79, 0x00, 0x0d}; /* mobile identity cut short */
	assert_int_equal(h_ue_send_initial(&b, bad_reg, sizeof(bad_reg)), 0);
	struct sen_nas_msg m;
	assert_int_equal(h_ue_wait_nas(&b, &m, NULL, 2000), 0);
	assert_true(m.type == SEN_NAS_REGISTRATION_REJECT || m.type == SEN_NAS_5GMM_STATUS);

	/* UE a is still registered and deregisters normally; UE b can still register */
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	assert_int_equal(h_ue_deregister(&a, false), 0);
	h_ue_free(&b);
	h_ue_init(&b, MSIN2, 13);
	assert_int_equal(h_ue_register(&b), 0);
	h_ue_free(&a);
	h_ue_free(&b);
	h_ue_free(&ghost);
}

static void test_nas_after_security(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 21);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_flush();

	/* 1. an unprotected Deregistration Request: dropped (no accept, no release) */
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	m.deregistration_request_ue_orig.dereg_type = 0x01;
	m.deregistration_request_ue_orig.mobile_id = ue.guti;
	n = sen_nas_encode(&m, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	/* 2. the Registration Complete replayed: dropped */
	assert_int_equal(h_ue_send_ul(&ue, ue.last_ul, ue.last_ul_len), 0);
	/* 3. a protected message with a broken MAC: dropped */
	n = h_ue_protect(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	buf[3] ^= 0xff;
	ue.sec.tx_count--; /* the UE's COUNT is not spent on a message that was dropped */
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	/* 4. garbage inside a protected message: 5GMM STATUS #97 at most, never a crash */
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, 500), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 10), 0);
	assert_int_equal(h_metric("sen_amf_nas_dropped_total{reason=\"unprotected\"}"), 1);
	assert_int_equal(h_metric("sen_amf_nas_dropped_total{reason=\"replay\"}"), 1);
	assert_int_equal(h_metric("sen_amf_nas_dropped_total{reason=\"integrity\"}"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);

	/* the properly protected request still works */
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
}

/* ---- timers (TS 24.501 10.2) ---- */

static int setup_short_t3560(void **state)
{
	struct amf_opts o = {.t3560_ms = 150};
	if (start_with(&o) < 0)
		return -1;
	return h_gnb_ng_setup(true, NULL) == SEN_NGAP_SUCCESSFUL ? 0 : -1;
}

static void test_t3560(void **state)
{
	struct h_ue ue;
	uint8_t buf[256];
	int n, requests;

	h_ue_init(&ue, MSIN1, 31);
	n = h_ue_registration_request(&ue, false, 1, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	/* the UE never answers: the request and 4 retransmissions, then the release */
	requests = h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 1200);
	assert_int_equal(requests, 5);
	assert_int_equal(h_ue_wait_release(&ue, 1000), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 300), 0);
	h_ue_free(&ue);
}

/* ---- association loss (TS 38.413 8.7; TS 23.502 4.2.6) ---- */

static void test_gnb_loss(void **state)
{
	struct h_ue a, b;
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	h_ue_init(&a, MSIN1, 41);
	assert_int_equal(h_ue_register(&a), 0);
	h_ue_init(&b, MSIN2, 42); /* b stops in the middle of authentication */
	n = h_ue_registration_request(&b, false, 1, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&b, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&b, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	h_run(100);
	assert_int_equal(h_metric("ran_ue"), 2);

	h_gnb_close(true);
	h_run(300);
	assert_int_equal(h_metric("gnb"), 0);
	assert_int_equal(h_metric("ran_ue"), 0);
	/* the registered UE stays registered (CM-IDLE), the other one is gone */
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);

	/* a new gNB: the registered UE comes back with its 5G-GUTI (periodic update) and is
	 * accepted without a new authentication, its MAC checked with the stored context */
	assert_int_equal(h_gnb_connect(), 0);
	assert_int_equal(h_gnb_ng_setup(true, NULL), SEN_NGAP_SUCCESSFUL);
	unsigned auths = h_ausf_requests();
	n = h_ue_registration_request(&a, true, 0x03, buf, sizeof(buf));
	struct sen_nas_msg r;
	sen_nas_decode(buf, (size_t)n, &r, NULL);
	a.ran_id = 43;
	n = h_ue_protect(&a, &r, SEN_NAS_SHT_INTEGRITY, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&a, buf, (size_t)n), 0);
	bool ics = true;
	assert_int_equal(h_ue_wait_nas(&a, &m, &ics, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_false(ics);
	assert_int_equal(h_ausf_requests(), auths);
	assert_true(m.registration_accept.has_guti);
	assert_int_not_equal(m.registration_accept.guti.guti.tmsi, a.guti.guti.tmsi); /* reallocated */
	a.guti = m.registration_accept.guti;
	sen_nas_msg_init(&r, SEN_NAS_REGISTRATION_COMPLETE);
	n = h_ue_protect(&a, &r, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&a, buf, (size_t)n), 0);
	/* periodic update without follow-on: the AMF releases the connection */
	assert_int_equal(h_ue_wait_release(&a, 2000), 0);
	h_run(100);
	assert_int_equal(h_metric("fivegs_amffunction_rm_regperiodsucc"), 1);
	h_ue_free(&a);
	h_ue_free(&b);
}

/* ---- downlink send queue (ngap-path.c): the AMF's SCTP send buffer fills ---- */

#define BURST_UES 400
static struct h_ue burst[BURST_UES];

static int setup_burst(void **state)
{
	struct amf_opts o = {.ngap_sndbuf = 4096}; /* a few PDUs fill it */
	char msin[16];

	h_subs_clear();
	for (unsigned i = 0; i < BURST_UES; i++) {
		snprintf(msin, sizeof(msin), "%010u", 1000 + i);
		h_sub_add(msin, 0);
	}
	if (h_amf_start(amf_exe, &o) < 0)
		return -1;
	return h_gnb_ng_setup(true, NULL) == SEN_NGAP_SUCCESSFUL ? 0 : -1;
}

/* BURST_UES UEs register at once, in lock step: every UE's message of a step is sent before
 * any answer is read, so the AMF's downlink comes in bursts that a 4 KiB send buffer
 * refuses. Every UE must still complete (nothing dropped, each UE's messages in order) and
 * the queue must have been used. */
static void test_burst_send_queue(void **state)
{
	uint8_t buf[512];
	struct sen_nas_msg m;
	bool ics;
	int n;

	for (unsigned i = 0; i < BURST_UES; i++) {
		char msin[16];
		snprintf(msin, sizeof(msin), "%010u", 1000 + i);
		h_ue_init(&burst[i], msin, 1000 + i);
		n = h_ue_registration_request(&burst[i], false, 0x09, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(h_ue_send_initial(&burst[i], buf, (size_t)n), 0);
	}
	for (unsigned i = 0; i < BURST_UES; i++) {
		assert_int_equal(h_ue_wait_nas(&burst[i], &m, NULL, 10000), 0);
		assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
		assert_int_equal(h_ue_answer_auth(&burst[i], &m), 0);
	}
	for (unsigned i = 0; i < BURST_UES; i++) {
		assert_int_equal(h_ue_wait_nas(&burst[i], &m, NULL, 10000), 0);
		assert_int_equal(m.type, SEN_NAS_SECURITY_MODE_COMMAND);
		assert_int_equal(h_ue_answer_smc(&burst[i], NULL, 0), 0);
	}
	for (unsigned i = 0; i < BURST_UES; i++) {
		struct sen_nas_msg c;
		ics = false;
		assert_int_equal(h_ue_wait_nas(&burst[i], &m, &ics, 10000), 0);
		assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
		assert_true(ics);
		assert_true(m.registration_accept.has_guti);
		burst[i].guti = m.registration_accept.guti;
		burst[i].has_guti = true;
		sen_nas_msg_init(&c, SEN_NAS_REGISTRATION_COMPLETE);
		n = h_ue_protect(&burst[i], &c, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(h_ue_send_ul(&burst[i], buf, (size_t)n), 0);
	}
	/* each UE's Configuration Update Command follows its Registration Accept */
	for (unsigned i = 0; i < BURST_UES; i++) {
		assert_int_equal(h_ue_wait_nas(&burst[i], &m, NULL, 10000), 0);
		assert_int_equal(m.type, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	}
	h_run(300);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), BURST_UES);
	assert_int_equal(h_metric("fivegs_amffunction_rm_reginitsucc"), BURST_UES);
	long long queued = h_metric("sen_amf_ngap_send_queued_total");
	fprintf(stderr, "# %d UEs: %lld downlink PDUs waited in the send queue\n", BURST_UES,
		queued);
	assert_true(queued > 0);
	assert_int_equal(h_metric("sen_amf_ngap_send_queue_pdus"), 0);
	assert_int_equal(h_metric("sen_amf_ngap_send_queue_bytes"), 0);
	assert_true(h_metric("sen_amf_ngap_send_queue_dropped_total{reason=\"full\"}") <= 0);

	/* the gNB goes away: its UEs are released, nothing waits */
	h_gnb_close(true);
	h_run(300);
	assert_int_equal(h_metric("ran_ue"), 0);
	assert_int_equal(h_metric("sen_amf_ngap_send_queue_pdus"), 0);
	for (unsigned i = 0; i < BURST_UES; i++)
		h_ue_free(&burst[i]);
}

/* ---- network-initiated deregistration (TS 24.501 5.5.2.3) ---- */

static void test_network_deregistration(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	uint8_t buf[128];
	int status = 0, n;

	h_ue_init(&ue, MSIN1, 51);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_udm_dereg_notify("imsi-99970" MSIN1, "SUBSCRIPTION_WITHDRAWN", &status), 0);
	assert_int_equal(status, 204);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 2000), 0);
	assert_int_equal(m.type, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	assert_true(m.deregistration_request_ue_term.has_cause);
	assert_int_equal(m.deregistration_request_ue_term.cause, 7);
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM);
	n = h_ue_protect(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_release(&ue, 2000), 0);
	h_run(100);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	/* an unknown SUPI: 404 */
	assert_int_equal(h_udm_dereg_notify("imsi-999709999999999", "SUBSCRIPTION_WITHDRAWN", &status), 0);
	assert_int_equal(status, 404);
	h_ue_free(&ue);
}

/* ---- helpers for the cases below ---- */

/* A Registration Request with SUCI: UE security capability ea/ia (0: the harness's),
 * requested NSSAI of one SST (0: the harness's {1}), sent in an Initial UE Message. */
static void send_reg(struct h_ue *ue, uint8_t reg_type, uint8_t ea, uint8_t ia, uint8_t sst)
{
	uint8_t buf[256];
	struct sen_nas_msg r;
	int n = h_ue_registration_request(ue, false, reg_type, buf, sizeof(buf));

	assert_true(n > 0);
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	if (ea || ia) {
		r.registration_request.ue_sec_cap.ea = ea;
		r.registration_request.ue_sec_cap.ia = ia;
	}
	if (sst)
		r.registration_request.requested_nssai.s[0].sst = sst;
	n = sen_nas_encode(&r, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_initial(ue, buf, (size_t)n), 0);
}

/* Answer the Authentication Request and the Security Mode Command (returned in *smc). */
static void auth_and_smc(struct h_ue *ue, struct sen_nas_msg *smc)
{
	struct sen_nas_msg m;

	assert_int_equal(h_ue_wait_nas(ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth(ue, &m), 0);
	assert_int_equal(h_ue_wait_nas(ue, smc, NULL, 3000), 0);
	assert_int_equal(smc->type, SEN_NAS_SECURITY_MODE_COMMAND);
	assert_int_equal(h_ue_answer_smc(ue, NULL, 0), 0);
}

/* Registration Accept received (in ICS when ics_expected): keep the 5G-GUTI, complete. */
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

/* A 5G-GUTI of our PLMN and AMF that this AMF never allocated. */
static void foreign_guti(struct h_ue *ue, uint32_t tmsi)
{
	memset(&ue->guti, 0, sizeof(ue->guti));
	ue->guti.type = SEN_NAS_ID_GUTI;
	snprintf(ue->guti.guti.plmn.mcc, sizeof(ue->guti.guti.plmn.mcc), "999");
	snprintf(ue->guti.guti.plmn.mnc, sizeof(ue->guti.guti.plmn.mnc), "70");
	ue->guti.guti.amf_region_id = 2;
	ue->guti.guti.amf_set_id = 1;
	ue->guti.guti.tmsi = tmsi;
	ue->has_guti = true;
}

/* A Deregistration Request (UE originating, 3GPP access) with the UE's 5G-GUTI, in an
 * Initial UE Message on RAN UE NGAP ID ran: integrity protected with the UE's context
 * (MAC broken when bad_mac), or plain without one. */
static void send_initial_dereg(struct h_ue *ue, bool switch_off, uint32_t ran, bool bad_mac)
{
	struct sen_nas_msg m;
	uint8_t buf[256];
	int n;

	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	m.deregistration_request_ue_orig.dereg_type = (uint8_t)((switch_off ? 0x08 : 0) | 0x01);
	m.deregistration_request_ue_orig.ngksi = 0;
	m.deregistration_request_ue_orig.mobile_id = ue->guti;
	if (ue->has_sec)
		n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY, buf, sizeof(buf));
	else
		n = sen_nas_encode(&m, buf, sizeof(buf));
	assert_true(n > 7);
	if (bad_mac)
		buf[3] ^= 0xff;
	ue->ran_id = ran;
	assert_int_equal(h_ue_send_initial(ue, buf, (size_t)n), 0);
}

/* The next DL NAS Transport for the UE: its security header type, and the message. */
static int next_dl_nas(struct h_ue *ue, struct sen_nas_msg *m)
{
	struct h_rx *rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT,
				     ue->ran_id, 2000);
	const struct sen_ngap_downlink_nas_transport *d;

	if (!rx)
		return -1;
	d = rx->msg;
	ue->amf_id = d->amf_ue_ngap_id;
	ue->have_amf_id = true;
	if (d->nas_pdu.len < 3 || h_ue_unwrap(ue, d->nas_pdu.data, d->nas_pdu.len, m) < 0)
		return -1;
	return d->nas_pdu.data[1] & 0x0f;
}

/* ---- deregistration from CM-IDLE (TS 24.501 5.5.2.2; TS 23.502 4.2.2.3.2) ---- */

static void test_idle_deregistration(void **state)
{
	struct h_ue a, b, c;
	struct sen_nas_msg m;

	h_ue_init(&a, MSIN1, 81);
	assert_int_equal(h_ue_register(&a), 0);
	h_ue_init(&b, MSIN2, 82);
	assert_int_equal(h_ue_register(&b), 0);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_ue_go_idle(&a), 0);
	assert_int_equal(h_ue_go_idle(&b), 0);
	h_run(200);
	assert_int_equal(h_metric("ran_ue"), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 2);

	/* normal: a protected Deregistration Accept, the release, the UE deregistered */
	send_initial_dereg(&a, false, 181, false);
	assert_int_equal(next_dl_nas(&a, &m), SEN_NAS_SHT_INTEGRITY_CIPHERED);
	assert_int_equal(m.type, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
	assert_int_equal(h_ue_wait_release(&a, 2000), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);

	/* a request naming b's 5G-GUTI with a broken MAC: answered and released on a new
	 * context, b stays registered (TS 23.502 4.2.2.3.2 step 1a) */
	send_initial_dereg(&b, false, 182, true);
	assert_int_equal(next_dl_nas(&b, &m), SEN_NAS_SHT_PLAIN);
	assert_int_equal(m.type, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
	assert_int_equal(h_ue_wait_release(&b, 2000), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);

	/* a 5G-GUTI the AMF does not know: accepted without any state */
	h_ue_init(&c, "0000000003", 83);
	foreign_guti(&c, 0x0badcafe);
	send_initial_dereg(&c, false, 183, false);
	assert_int_equal(next_dl_nas(&c, &m), SEN_NAS_SHT_PLAIN);
	assert_int_equal(m.type, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
	assert_int_equal(h_ue_wait_release(&c, 2000), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);

	/* switch-off with a valid MAC: no accept, only the release; b is deregistered */
	send_initial_dereg(&b, true, 184, false);
	assert_int_equal(h_ue_wait_release(&b, 2000), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 300), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	assert_int_equal(h_metric("ran_ue"), 0);
	h_ue_free(&a);
	h_ue_free(&b);
	h_ue_free(&c);
}

/* ---- slices (TS 23.501 5.15.5.2.1; TS 24.501 5.5.1.2.4, 5.5.1.2.5) ---- */

static void test_nssai_defaults(void **state)
{
	struct h_ue a, b;
	struct sen_nas_msg smc, m;
	bool ics = false;

	/* only SST 2 requested (neither subscribed nor supported): accepted with the default
	 * subscribed S-NSSAI (SST 1), SST 2 in the rejected NSSAI */
	h_ue_init(&a, MSIN1, 91);
	send_reg(&a, 0x09, 0, 0, 2);
	auth_and_smc(&a, &smc);
	assert_int_equal(h_ue_wait_nas(&a, &m, &ics, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_true(m.registration_accept.has_allowed_nssai);
	assert_int_equal(m.registration_accept.allowed_nssai.n, 1);
	assert_int_equal(m.registration_accept.allowed_nssai.s[0].sst, 1);
	assert_true(m.registration_accept.has_rejected_nssai);
	assert_int_equal(m.registration_accept.rejected_nssai.n, 1);
	assert_int_equal(m.registration_accept.rejected_nssai.r[0].s.sst, 2);
	assert_int_equal(m.registration_accept.rejected_nssai.r[0].cause, 0);

	/* the subscription's only slice (SST 3) is not one the AMF supports: #62 */
	h_udm_nssai(3, 0);
	h_ue_init(&b, MSIN2, 92);
	send_reg(&b, 0x09, 0, 0, 0);
	auth_and_smc(&b, &smc);
	assert_int_equal(h_ue_wait_nas(&b, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 62);
	assert_int_equal(h_ue_wait_release(&b, 2000), 0);
	h_ue_free(&a);
	h_ue_free(&b);
}

/* ---- security mode control (TS 24.501 5.4.2; TS 33.501 5.5.2, 6.7.1) ---- */

static void test_smc_algorithms(void **state)
{
	/* configured: integrity [nia2, nia1, nia3], ciphering [nea2, nea1, nea3, nea0] */
	static const struct {
		uint8_t ea, ia, algs; /* UE capability bits (0x80 = alg 0); expected EA << 4 | IA */
	} cases[] = {
	    {0xf0, 0xf0, 0x22}, /* all: the first of each list */
	    {0xd0, 0x50, 0x11}, /* EA0,1,3 / IA1,3: NEA1, NIA1 */
	    {0x80, 0x10, 0x03}, /* EA0 / IA3: NEA0 (it is listed), NIA3 */
	};
	struct sen_nas_msg smc, m;
	char msin[16];

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct h_ue ue;
		snprintf(msin, sizeof(msin), "00000001%02u", i);
		h_sub_add(msin, 0);
		h_ue_init(&ue, msin, 100 + i);
		send_reg(&ue, 0x09, cases[i].ea, cases[i].ia, 0);
		auth_and_smc(&ue, &smc);
		assert_int_equal(smc.security_mode_command.algs, cases[i].algs);
		assert_true(smc.security_mode_command.has_imeisv_request);
		assert_int_equal(smc.security_mode_command.imeisv_request, 1);
		assert_int_equal(smc.security_mode_command.replayed_ue_sec_cap.ea, cases[i].ea);
		assert_int_equal(smc.security_mode_command.replayed_ue_sec_cap.ia, cases[i].ia);
		complete_registration(&ue, true); /* keys and algorithms agree on both sides */
		h_ue_free(&ue);
	}
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 3);

	/* only 5G-IA0: never selected outside emergency services -> #23, no SMC */
	struct h_ue ue;
	h_sub_add("0000000199", 0);
	h_ue_init(&ue, "0000000199", 109);
	send_reg(&ue, 0x09, 0xf0, 0x80, 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth(&ue, &m), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 23);
	assert_int_equal(h_ue_wait_release(&ue, 2000), 0);
	h_ue_free(&ue);
}

/* ---- subscriber refused by the home network (TS 24.501 5.5.1.2.5) ---- */

static void test_barred_subscriber(void **state)
{
	struct h_ue a, b, c;
	struct sen_nas_msg m, smc;

	/* the AUSF refuses to authenticate: #7, no authentication */
	h_sub_refuse(MSIN1, "ausf", 403, "AUTHENTICATION_REJECTED");
	h_ue_init(&a, MSIN1, 111);
	send_reg(&a, 0x09, 0, 0, 0);
	assert_int_equal(h_ue_wait_nas(&a, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 7);
	assert_int_equal(h_ue_wait_release(&a, 2000), 0);

	/* the UDM refuses the UECM registration after authentication: #7, protected */
	h_sub_refuse(MSIN2, "udm", 403, "UNKNOWN_5GS_SUBSCRIPTION");
	h_ue_init(&b, MSIN2, 112);
	send_reg(&b, 0x09, 0, 0, 0);
	auth_and_smc(&b, &smc);
	assert_int_equal(next_dl_nas(&b, &m), SEN_NAS_SHT_INTEGRITY_CIPHERED);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 7);
	assert_int_equal(h_ue_wait_release(&b, 2000), 0);

	/* ... and when roaming is not allowed: #11 */
	h_sub_add("0000000003", 0);
	h_sub_refuse("0000000003", "udm", 403, "ROAMING_NOT_ALLOWED");
	h_ue_init(&c, "0000000003", 113);
	send_reg(&c, 0x09, 0, 0, 0);
	auth_and_smc(&c, &smc);
	assert_int_equal(h_ue_wait_nas(&c, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_REJECT);
	assert_int_equal(m.registration_reject.cause, 11);
	assert_int_equal(h_ue_wait_release(&c, 2000), 0);
	h_run(100);
	assert_int_equal(h_metric("fivegs_amffunction_rm_reginitfail{cause=\"7\"}"), 2);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	h_ue_free(&a);
	h_ue_free(&b);
	h_ue_free(&c);
}

/* ---- identification (TS 24.501 5.4.3) ---- */

static void test_unknown_guti_identity(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, r, smc;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 121);
	foreign_guti(&ue, 0x12345678);
	n = h_ue_registration_request(&ue, true, 0x09, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_IDENTITY_REQUEST);
	assert_int_equal(m.identity_request.identity_type, SEN_NAS_ID_SUCI);
	/* the Identity Response with the SUCI: the registration goes on with it */
	n = h_ue_registration_request(&ue, false, 0x09, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	sen_nas_msg_init(&m, SEN_NAS_IDENTITY_RESPONSE);
	m.identity_response.mobile_id = r.registration_request.mobile_id;
	n = sen_nas_encode(&m, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	auth_and_smc(&ue, &smc);
	complete_registration(&ue, true);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_rm_reginitsucc"), 1);
	h_ue_free(&ue);
}

/* ---- mobility registration updating (TS 24.501 5.5.1.3) ---- */

static void test_mobility_update(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg r;
	struct sen_nas_mobile_id old;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 131);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_flush();
	unsigned auths = h_ausf_requests();

	/* in CM-CONNECTED: accepted in a DL NAS Transport with a new 5G-GUTI; without
	 * follow-on request the AMF then releases the connection */
	n = h_ue_registration_request(&ue, true, 0x02, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	n = h_ue_protect(&ue, &r, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	old = ue.guti;
	complete_registration(&ue, false);
	assert_int_not_equal(ue.guti.guti.tmsi, old.guti.tmsi);
	assert_int_equal(h_ue_wait_release(&ue, 2000), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_regmobreq"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_rm_regmobsucc"), 1);

	/* from CM-IDLE with follow-on request: the new 5G-GUTI names the context, the MAC
	 * verifies, the accept comes in an Initial Context Setup, the connection stays */
	n = h_ue_registration_request(&ue, true, 0x0a, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	n = h_ue_protect(&ue, &r, SEN_NAS_SHT_INTEGRITY, buf, sizeof(buf));
	ue.ran_id = 132;
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	complete_registration(&ue, true);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, 400), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_regmobreq"), 2);
	assert_int_equal(h_metric("fivegs_amffunction_rm_regmobsucc"), 2);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	assert_int_equal(h_ausf_requests(), auths); /* no new authentication */
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
}

/* ---- timers T3550, T3570, T3522 (TS 24.501 10.2) ---- */

static int setup_short_timers(void **state)
{
	struct amf_opts o = {.t3550_ms = 150, .t3570_ms = 150, .t3522_ms = 150};
	if (start_with(&o) < 0)
		return -1;
	return h_gnb_ng_setup(true, NULL) == SEN_NGAP_SUCCESSFUL ? 0 : -1;
}

static void test_t3550(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, smc;
	bool ics = false;

	h_ue_init(&ue, MSIN1, 141);
	send_reg(&ue, 0x09, 0, 0, 0);
	auth_and_smc(&ue, &smc);
	assert_int_equal(h_ue_wait_nas(&ue, &m, &ics, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_true(ics);
	ue.guti = m.registration_accept.guti;
	ue.has_guti = true;
	/* no Registration Complete: 4 retransmissions (5.5.1.2.8 c), each decodable */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(h_ue_wait_nas(&ue, &m, &ics, 1000), 0);
		assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
		assert_false(ics);
		assert_int_equal(m.registration_accept.guti.guti.tmsi, ue.guti.guti.tmsi);
	}
	/* the fifth expiry aborts the procedure (5.5.1.2.8 d): nothing more is sent, no
	 * release, and the UE counts as registered */
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 500), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, 10), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	/* and the UE can deregister with the new 5G-GUTI */
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_run(100);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	h_ue_free(&ue);
}

static void test_t3570(void **state)
{
	struct h_ue ue;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 151);
	foreign_guti(&ue, 0x12345678);
	n = h_ue_registration_request(&ue, true, 0x09, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	/* the Identity Request and 4 retransmissions (5.4.3.7 b), then the release */
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 1200), 5);
	assert_int_equal(h_ue_wait_release(&ue, 1000), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 300), 0);
	h_run(100);
	assert_int_equal(h_metric("ran_ue"), 0);
	h_ue_free(&ue);
}

static void test_t3522(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m;
	int status = 0;

	h_ue_init(&ue, MSIN1, 161);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_udm_dereg_notify("imsi-99970" MSIN1, "SUBSCRIPTION_WITHDRAWN", &status), 0);
	assert_int_equal(status, 204);
	/* the Deregistration Request and 4 retransmissions (5.5.2.3.4 b), each decodable */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 1000), 0);
		assert_int_equal(m.type, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	}
	assert_int_equal(h_ue_wait_release(&ue, 1000), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 300), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	assert_int_equal(h_metric("ran_ue"), 0);
	h_ue_free(&ue);
}

/* ---- NG Reset (TS 38.413 8.7.4.2.1) ---- */

/* An NG Reset of the whole interface (item NULL) or of item's connection, with `unknown` (may
 * be NULL) added after its IEs. */
static int send_ng_reset(const struct sen_ngap_ue_assoc_item *item,
			 const struct sen_asn_raw_ie *unknown)
{
	struct sen_ngap_ng_reset r;
	struct sen_ngap_pdu pdu;

	memset(&r, 0, sizeof(r));
	r.cause.present = SEN_NGAP_CAUSE_MISC;
	r.cause.u.value = SEN_NGAP_CAUSE_MISC_UNSPECIFIED;
	if (item) {
		r.reset_type.present = SEN_NGAP_RESET_PART;
		r.reset_type.u.part.items = (struct sen_ngap_ue_assoc_item *)item;
		r.reset_type.u.part.count = 1;
	} else {
		r.reset_type.present = SEN_NGAP_RESET_ALL;
	}
	if (unknown) {
		r.unknown.items = (struct sen_asn_raw_ie *)unknown;
		r.unknown.count = 1;
	}
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_NG_RESET, &r);
	return h_gnb_send(0, &pdu);
}

static struct h_rx *ng_reset(const struct sen_ngap_ue_assoc_item *item)
{
	if (send_ng_reset(item, NULL) < 0)
		return NULL;
	return h_gnb_wait(SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_RESET, -1, 2000);
}

static void test_ng_reset(void **state)
{
	struct h_ue a, b;
	struct sen_ngap_ue_assoc_item it = {0};
	struct h_rx *rx;

	h_ue_init(&a, MSIN1, 171);
	assert_int_equal(h_ue_register(&a), 0);
	h_ue_init(&b, MSIN2, 172);
	assert_int_equal(h_ue_register(&b), 0);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_metric("ran_ue"), 2);

	/* part of the interface: a's connection only; the acknowledge names it */
	it.has_amf_ue_ngap_id = true;
	it.amf_ue_ngap_id = a.amf_id;
	rx = ng_reset(&it);
	assert_non_null(rx);
	const struct sen_ngap_ng_reset_ack *ack = rx->msg;
	assert_true(ack->has_ue_associated_list);
	assert_int_equal(ack->ue_associated_list.count, 1);
	assert_int_equal(ack->ue_associated_list.items[0].amf_ue_ngap_id, a.amf_id);
	h_run(200);
	assert_int_equal(h_metric("ran_ue"), 1);

	/* the whole interface: every connection released, both UEs stay registered */
	rx = ng_reset(NULL);
	assert_non_null(rx);
	assert_false(((const struct sen_ngap_ng_reset_ack *)rx->msg)->has_ue_associated_list);
	h_run(200);
	assert_int_equal(h_metric("ran_ue"), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 2);
	/* no UE Context Release Command follows a reset (8.7.4.2.1) */
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, 200), 0);
	/* the contexts are intact: a deregisters from CM-IDLE */
	send_initial_dereg(&a, true, 173, false);
	assert_int_equal(h_ue_wait_release(&a, 2000), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	h_ue_free(&a);
	h_ue_free(&b);
}

/* ---- several gNBs (TS 38.413 8.7.1; TS 23.502 4.2.6) ---- */

static void test_two_gnbs(void **state)
{
	struct h_ue a, b;

	h_ue_init(&a, MSIN1, 7); /* the same RAN UE NGAP ID on both gNBs */
	assert_int_equal(h_ue_register(&a), 0);
	h_gnb_use(1);
	assert_int_equal(h_gnb_connect(), 0);
	assert_int_equal(h_gnb_ng_setup(true, NULL), SEN_NGAP_SUCCESSFUL);
	h_ue_init(&b, MSIN2, 7);
	assert_int_equal(h_ue_register(&b), 0);
	h_run(200);
	assert_int_equal(h_metric("gnb"), 2);
	assert_int_equal(h_metric("ran_ue"), 2);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 2);

	/* gNB 1 is lost: only b's connection goes, both stay registered */
	h_gnb_close(true);
	h_run(300);
	assert_int_equal(h_metric("gnb"), 1);
	assert_int_equal(h_metric("ran_ue"), 1);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 2);

	/* a, on gNB 0, is undisturbed */
	h_gnb_use(0);
	assert_int_equal(h_ue_deregister(&a, false), 0);
	h_run(200);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 1);
	assert_int_equal(h_metric("ran_ue"), 0);
	h_ue_free(&a);
	h_ue_free(&b);
}

/* ---- NG Setup refused (TS 38.413 8.7.1.4) ---- */

static void test_ng_setup_failures(void **state)
{
	struct h_rx *rx;
	const struct sen_ngap_setup_failure *f;

	/* a TAC the AMF does not serve */
	assert_int_equal(h_gnb_ng_setup_with(true, 2, 1, &rx), SEN_NGAP_UNSUCCESSFUL);
	f = rx->msg;
	assert_int_equal(f->cause.present, SEN_NGAP_CAUSE_MISC);
	assert_int_equal(f->cause.u.value, SEN_NGAP_CAUSE_MISC_UNSPECIFIED);
	assert_true(f->has_time_to_wait);
	assert_int_equal(f->time_to_wait, SEN_NGAP_TTW_5S);
	/* a slice the AMF does not support */
	assert_int_equal(h_gnb_ng_setup_with(true, 1, 2, &rx), SEN_NGAP_UNSUCCESSFUL);
	f = rx->msg;
	assert_int_equal(f->cause.present, SEN_NGAP_CAUSE_MISC);
	assert_int_equal(f->cause.u.value, SEN_NGAP_CAUSE_MISC_UNSPECIFIED);
	assert_true(f->has_time_to_wait);
	/* then the right one */
	assert_int_equal(h_gnb_ng_setup(true, NULL), SEN_NGAP_SUCCESSFUL);
}

/* ---- IEs not comprehended in the gNB's class 1 messages (TS 38.413 10.3.4.2) ---- */

#define UNKNOWN_IE 999 /* an IE id no NGAP message of lib/ngap has */

/* The Criticality Diagnostics of a procedure's own response (9.3.1.3): the IE, its criticality
 * and "not understood"; Procedure Code and Triggering Message only in an Error Indication. */
static void assert_diag(bool has, const struct sen_ngap_crit_diag *d, uint8_t crit)
{
	assert_true(has);
	assert_false(d->has_procedure_code);
	assert_false(d->has_triggering_message);
	assert_true(d->has_ies);
	assert_int_equal(d->ies.count, 1);
	assert_int_equal(d->ies.items[0].id, UNKNOWN_IE);
	assert_int_equal(d->ies.items[0].criticality, crit);
	assert_int_equal(d->ies.items[0].type_of_error, SEN_NGAP_NOT_UNDERSTOOD);
}

static int send_ran_config_update(const struct sen_asn_raw_ie *unknown)
{
	struct sen_ngap_ran_configuration_update m;
	struct sen_ngap_pdu pdu;

	memset(&m, 0, sizeof(m));
	if (unknown) {
		m.unknown.items = (struct sen_asn_raw_ie *)unknown;
		m.unknown.count = 1;
	}
	sen_ngap_pdu_init(&pdu, SEN_NGAP_INITIATING, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE, &m);
	return h_gnb_send(0, &pdu);
}

static void test_ng_setup_unknown_ie(void **state)
{
	struct sen_asn_raw_ie ie = {.id = UNKNOWN_IE, .data = (const uint8_t *)"\x2a", .len = 1};
	struct h_rx *rx;

	/* criticality reject: NG Setup Failure, cause abstract syntax error (reject) */
	ie.criticality = SEN_ASN_REJECT;
	assert_int_equal(h_gnb_ng_setup_ie(true, 1, 1, &ie, &rx), SEN_NGAP_UNSUCCESSFUL);
	const struct sen_ngap_setup_failure *f = rx->msg;
	assert_int_equal(f->cause.present, SEN_NGAP_CAUSE_PROTOCOL);
	assert_int_equal(f->cause.u.value, SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT);
	assert_diag(f->has_criticality_diagnostics, &f->criticality_diagnostics, SEN_ASN_REJECT);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);

	/* ignore and notify, and the setup fails for its own reason (a TAC not served): the
	   failure reports the IE */
	ie.criticality = SEN_ASN_NOTIFY;
	assert_int_equal(h_gnb_ng_setup_ie(true, 2, 1, &ie, &rx), SEN_NGAP_UNSUCCESSFUL);
	f = rx->msg;
	assert_int_equal(f->cause.present, SEN_NGAP_CAUSE_MISC);
	assert_diag(f->has_criticality_diagnostics, &f->criticality_diagnostics, SEN_ASN_NOTIFY);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);

	/* ignore and notify: the setup succeeds and the response reports the IE */
	assert_int_equal(h_gnb_ng_setup_ie(true, 1, 1, &ie, &rx), SEN_NGAP_SUCCESSFUL);
	const struct sen_ngap_ng_setup_response *r = rx->msg;
	assert_diag(r->has_criticality_diagnostics, &r->criticality_diagnostics, SEN_ASN_NOTIFY);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);

	/* ignore: nothing reported */
	ie.criticality = SEN_ASN_IGNORE;
	assert_int_equal(h_gnb_ng_setup_ie(true, 1, 1, &ie, &rx), SEN_NGAP_SUCCESSFUL);
	assert_false(((const struct sen_ngap_ng_setup_response *)rx->msg)->has_criticality_diagnostics);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);
}

static void test_ran_config_update_unknown_ie(void **state)
{
	struct sen_asn_raw_ie ie = {.id = UNKNOWN_IE, .data = (const uint8_t *)"\x2a", .len = 1};
	struct h_rx *rx;

	/* a plain update: an acknowledge without diagnostics */
	assert_int_equal(send_ran_config_update(NULL), 0);
	rx = h_gnb_wait(SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE, -1, 2000);
	assert_non_null(rx);
	assert_false(((const struct sen_ngap_cd_only *)rx->msg)->has_criticality_diagnostics);

	/* ignore and notify: acknowledged, the acknowledge reports the IE (9.2.6.5) */
	ie.criticality = SEN_ASN_NOTIFY;
	assert_int_equal(send_ran_config_update(&ie), 0);
	rx = h_gnb_wait(SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE, -1, 2000);
	assert_non_null(rx);
	const struct sen_ngap_cd_only *a = rx->msg;
	assert_diag(a->has_criticality_diagnostics, &a->criticality_diagnostics, SEN_ASN_NOTIFY);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);

	/* reject: RAN Configuration Update Failure (9.2.6.6) reports it */
	ie.criticality = SEN_ASN_REJECT;
	assert_int_equal(send_ran_config_update(&ie), 0);
	rx = h_gnb_wait(SEN_NGAP_UNSUCCESSFUL, SEN_NGAP_PROC_RAN_CONFIGURATION_UPDATE, -1, 2000);
	assert_non_null(rx);
	const struct sen_ngap_setup_failure *f = rx->msg;
	assert_int_equal(f->cause.present, SEN_NGAP_CAUSE_PROTOCOL);
	assert_int_equal(f->cause.u.value, SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT);
	assert_diag(f->has_criticality_diagnostics, &f->criticality_diagnostics, SEN_ASN_REJECT);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);
}

static void test_ng_reset_unknown_ie(void **state)
{
	struct sen_asn_raw_ie ie = {.id = UNKNOWN_IE, .data = (const uint8_t *)"\x2a", .len = 1};
	struct h_rx *rx;

	/* ignore and notify: the acknowledge reports the IE (9.2.6.12) */
	ie.criticality = SEN_ASN_NOTIFY;
	assert_int_equal(send_ng_reset(NULL, &ie), 0);
	rx = h_gnb_wait(SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_RESET, -1, 2000);
	assert_non_null(rx);
	const struct sen_ngap_ng_reset_ack *a = rx->msg;
	assert_diag(a->has_criticality_diagnostics, &a->criticality_diagnostics, SEN_ASN_NOTIFY);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, 300), 0);

	/* reject: NG Reset has no failure message, so an Error Indication, whose diagnostics
	   name the procedure and the triggering message (10.3.4.2, 9.3.1.3); no acknowledge */
	ie.criticality = SEN_ASN_REJECT;
	assert_int_equal(send_ng_reset(NULL, &ie), 0);
	rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_ERROR_INDICATION, -1, 2000);
	assert_non_null(rx);
	const struct sen_ngap_error_indication *e = rx->msg;
	assert_true(e->has_cause);
	assert_int_equal(e->cause.present, SEN_NGAP_CAUSE_PROTOCOL);
	assert_int_equal(e->cause.u.value, SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_REJECT);
	assert_true(e->has_criticality_diagnostics);
	assert_true(e->criticality_diagnostics.has_procedure_code);
	assert_int_equal(e->criticality_diagnostics.procedure_code, SEN_NGAP_PROC_NG_RESET);
	assert_true(e->criticality_diagnostics.has_triggering_message);
	assert_int_equal(e->criticality_diagnostics.triggering_message, SEN_NGAP_INITIATING);
	assert_int_equal(h_gnb_count(SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_RESET, 300), 0);
}

/* ---- ngKSI, security mode control and initial NAS message protection (TS 24.501 5.4.1.3,
 * 5.4.2, 4.4.6) ---- */

/* A Registration Request (SUCI, or the 5G-GUTI when use_guti) indicating ngKSI `ngksi`;
 * requested NSSAI {sst} (0: none). Encoded plain into buf; returns its length. */
static int build_reg(struct h_ue *ue, bool use_guti, uint8_t reg_type, uint8_t ngksi,
		     uint8_t sst, uint8_t *buf, size_t cap)
{
	struct sen_nas_msg r;
	int n = h_ue_registration_request(ue, use_guti, reg_type, buf, cap);

	assert_true(n > 0);
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	r.registration_request.ngksi = ngksi;
	r.registration_request.has_requested_nssai = sst != 0;
	r.registration_request.requested_nssai.s[0].sst = sst;
	n = sen_nas_encode(&r, buf, cap);
	assert_true(n > 0);
	return n;
}

/* The next DL NAS Transport for the UE, as it came (not unprotected): its NAS-PDU. */
static size_t next_dl_raw(struct h_ue *ue, uint8_t *out, size_t cap)
{
	struct h_rx *rx = h_gnb_wait(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT,
				     ue->ran_id, 3000);
	const struct sen_ngap_downlink_nas_transport *d;

	assert_non_null(rx);
	d = rx->msg;
	ue->amf_id = d->amf_ue_ngap_id;
	ue->have_amf_id = true;
	assert_true(d->nas_pdu.len <= cap);
	memcpy(out, d->nas_pdu.data, d->nas_pdu.len);
	return d->nas_pdu.len;
}

/* Security Mode Complete (IMEISV) under the UE's new context, with the whole initial
 * message in the NAS message container when container is not NULL. */
static void send_smc_complete(struct h_ue *ue, const uint8_t *container, size_t len)
{
	struct sen_nas_msg m;
	uint8_t out[600];
	int n;

	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMPLETE);
	m.security_mode_complete.has_imeisv = true;
	m.security_mode_complete.imeisv.type = SEN_NAS_ID_IMEISV;
	snprintf(m.security_mode_complete.imeisv.digits, 17, "4370816125816151");
	if (container) {
		m.security_mode_complete.has_nas_container = true;
		m.security_mode_complete.nas_container = (struct sen_nas_bytes){container, len};
	}
	n = h_ue_protect(ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX, out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(ue, out, (size_t)n), 0);
}

/* TS 24.501 5.4.1.3.2: the ngKSI of the Authentication Request differs from the one the UE
 * indicated (here 0, the first value a new context would otherwise get). */
static void test_auth_ngksi_differs(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, smc;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 141);
	n = build_reg(&ue, false, 0x09, 0, 1, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	uint8_t ksi = m.authentication_request.ngksi & 0x07;
	assert_int_not_equal(ksi, 0);
	assert_int_not_equal(ksi, 7);
	assert_int_equal(h_ue_answer_auth(&ue, &m), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &smc, NULL, 3000), 0);
	assert_int_equal(smc.type, SEN_NAS_SECURITY_MODE_COMMAND);
	assert_int_equal(smc.security_mode_command.ngksi & 0x07, ksi); /* the same context */
	assert_int_equal(h_ue_answer_smc(&ue, NULL, 0), 0);
	complete_registration(&ue, true);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
}

/* TS 24.501 4.4.2.3, 5.4.2.3: Security Mode Complete completes the SMC only when it verifies
 * with the new context: one protected with the current context (security header type 4)
 * is dropped, even after another message verified with the new one. */
static void test_smc_complete_current_ctx(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, st;
	struct sen_nas_sec_ctx old, fresh;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 161);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_flush();
	/* an initial registration on the connection: authentication and SMC again, the
	 * current context staying in use until Security Mode Complete */
	n = h_ue_registration_request(&ue, true, 0x09, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &m, NULL), 0);
	n = h_ue_protect(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth_sht(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	old = ue.sec; /* h_ue_unwrap takes the SMC's new context into ue.sec */
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_SECURITY_MODE_COMMAND);
	/* a 5GMM STATUS that verifies with the new context */
	sen_nas_msg_init(&st, SEN_NAS_5GMM_STATUS);
	st.gmm_status.cause = 111;
	n = h_ue_protect(&ue, &st, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	h_run(100);
	/* Security Mode Complete protected with the current context: dropped */
	fresh = ue.sec;
	ue.sec = old;
	send_smc_complete(&ue, NULL, 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 500), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, 0), 0);
	/* with the new context: registered */
	ue.sec = fresh;
	send_smc_complete(&ue, NULL, 0);
	complete_registration(&ue, false);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
}

/* TS 24.501 5.4.1.3.7: #71 "ngKSI already in use": the same challenge again with a new
 * ngKSI (not the refused one, not the UE's), no new AUSF request; then registered. */
static void test_auth_ngksi_in_use(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg a1, a2, m;
	uint8_t buf[256];
	int n;

	h_ue_init(&ue, MSIN1, 142);
	n = build_reg(&ue, false, 0x09, 3, 1, buf, sizeof(buf));
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &a1, NULL, 3000), 0);
	assert_int_equal(a1.type, SEN_NAS_AUTHENTICATION_REQUEST);
	unsigned auths = h_ausf_requests();

	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_FAILURE);
	m.authentication_failure.cause = 71;
	n = sen_nas_encode(&m, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &a2, NULL, 3000), 0);
	assert_int_equal(a2.type, SEN_NAS_AUTHENTICATION_REQUEST); /* not a reject */
	assert_int_not_equal(a2.authentication_request.ngksi & 7, a1.authentication_request.ngksi & 7);
	assert_int_not_equal(a2.authentication_request.ngksi & 7, 3);
	assert_int_not_equal(a2.authentication_request.ngksi & 7, 7);
	assert_memory_equal(a2.authentication_request.rand, a1.authentication_request.rand, 16);
	assert_memory_equal(a2.authentication_request.autn, a1.authentication_request.autn, 16);
	assert_int_equal(h_ausf_requests(), auths);
	assert_int_equal(h_ue_answer_auth(&ue, &a2), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_SECURITY_MODE_COMMAND);
	assert_int_equal(m.security_mode_command.ngksi & 7, a2.authentication_request.ngksi & 7);
	assert_int_equal(h_ue_answer_smc(&ue, NULL, 0), 0);
	complete_registration(&ue, true);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_ue_deregister(&ue, false), 0);
	h_ue_free(&ue);
}

/* TS 24.501 5.4.2.5: after a re-authentication the UE rejects the SMC with a Security Mode
 * Reject protected (and ciphered) with the context in use before: the AMF verifies it with
 * that context, stops T3560 and aborts the registration (the release, at once). */
static void test_smc_reject_old_context(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, r;
	struct sen_nas_sec_hdr hdr;
	uint8_t buf[512];
	size_t len;
	int n;

	h_ue_init(&ue, MSIN1, 143);
	assert_int_equal(h_ue_register(&ue), 0);
	h_run(200);
	h_gnb_flush();

	/* a new initial registration on the secured connection: re-authentication */
	n = build_reg(&ue, true, 0x01, 0, 1, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &r, NULL), 0);
	n = h_ue_protect(&ue, &r, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth_sht(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);

	/* the SMC, under the new context; the UE keeps its current one */
	len = next_dl_raw(&ue, buf, sizeof(buf));
	assert_int_equal(sen_nas_sec_parse(buf, len, &hdr), 0);
	assert_int_equal(hdr.sht, SEN_NAS_SHT_INTEGRITY_NEW_CTX);
	assert_int_equal(sen_nas_decode(hdr.payload, hdr.payload_len, &m, NULL), 0);
	assert_int_equal(m.type, SEN_NAS_SECURITY_MODE_COMMAND);

	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_REJECT);
	m.security_mode_reject.cause = 24;
	n = h_ue_protect(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED, buf, sizeof(buf));
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_release(&ue, 2000), 0);
	assert_int_equal(h_gnb_count(SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, 300), 0);
	assert_int_equal(h_metric("fivegs_amffunction_rm_registeredsubnbr"), 0);
	h_ue_free(&ue);
}

/* Register, keep the 5G-GUTI and the context, go to CM-IDLE. Subscribed NSSAI: default
 * SST 2 (which the AMF does not support) and SST 1, so an allowed NSSAI {1} can only come
 * from a requested NSSAI {1}; without one the registration is rejected (#62). */
static void registered_idle(struct h_ue *ue, uint32_t ran)
{
	h_udm_nssai(2, 1);
	h_ue_init(ue, MSIN1, ran);
	assert_int_equal(h_ue_register(ue), 0);
	h_run(200);
	h_gnb_flush();
	assert_int_equal(h_ue_go_idle(ue), 0);
	h_run(100);
}

/* TS 24.501 4.4.6: from CM-IDLE, an initial Registration Request (initial registration,
 * 5G-GUTI) integrity protected with the stored context, its cleartext IEs outside and the
 * whole message (with the requested NSSAI) ciphered in the NAS message container: the AMF
 * deciphers it and the allowed NSSAI follows it. The SMC does not ask for the message. */
static void test_initial_container(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, smc;
	uint8_t full[256], clear[256], ciph[256], buf[512];
	bool ics = false;
	int nf, nc, n;

	registered_idle(&ue, 144);
	nf = build_reg(&ue, true, 0x01, 0, 1, full, sizeof(full));
	nc = build_reg(&ue, true, 0x01, 0, 0, clear, sizeof(clear)); /* cleartext IEs only */
	assert_int_equal(sen_nas_decode(clear, (size_t)nc, &m, NULL), 0);
	/* the value part ciphered with the NAS COUNT of the message that carries it */
	assert_int_equal(sen_nea_apply(ue.sec.nea, ue.sec.tx_count, ue.sec.bearer,
				       SEN_NAS_DIR_UPLINK, full, ciph, (size_t)nf * 8), 0);
	m.registration_request.has_nas_container = true;
	m.registration_request.nas_container = (struct sen_nas_bytes){ciph, (size_t)nf};
	n = h_ue_protect(&ue, &m, SEN_NAS_SHT_INTEGRITY, buf, sizeof(buf));
	assert_true(n > 0);
	ue.ran_id = 145;
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);

	/* re-authentication on the resumed (protected) connection */
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth_sht(&ue, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &smc, NULL, 3000), 0);
	assert_int_equal(smc.type, SEN_NAS_SECURITY_MODE_COMMAND);
	assert_false(smc.security_mode_command.has_additional_sec_info &&
		     (smc.security_mode_command.additional_sec_info & 0x02));
	send_smc_complete(&ue, NULL, 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, &ics, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_true(m.registration_accept.has_allowed_nssai);
	assert_int_equal(m.registration_accept.allowed_nssai.n, 1);
	assert_int_equal(m.registration_accept.allowed_nssai.s[0].sst, 1);
	h_ue_free(&ue);
}

/* TS 24.501 4.4.6, 5.4.2.2: an initial Registration Request whose MAC does not verify is
 * handled on a new context (identification, authentication); the SMC sets RINMR and the
 * AMF uses the whole message from the NAS message container of Security Mode Complete. */
static void test_smc_rinmr(void **state)
{
	struct h_ue ue;
	struct sen_nas_msg m, smc, id;
	uint8_t full[256], buf[512];
	bool ics = false;
	int nf, n;

	registered_idle(&ue, 146);
	nf = build_reg(&ue, true, 0x01, 0, 1, full, sizeof(full));
	n = build_reg(&ue, true, 0x01, 0, 0, buf, sizeof(buf));
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &m, NULL), 0);
	n = h_ue_protect(&ue, &m, SEN_NAS_SHT_INTEGRITY, buf, sizeof(buf));
	assert_true(n > 7);
	buf[3] ^= 0xff; /* the MAC does not verify */
	ue.ran_id = 147;
	assert_int_equal(h_ue_send_initial(&ue, buf, (size_t)n), 0);

	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_IDENTITY_REQUEST);
	n = build_reg(&ue, false, 0x01, 7, 0, buf, sizeof(buf)); /* for its SUCI */
	assert_int_equal(sen_nas_decode(buf, (size_t)n, &m, NULL), 0);
	sen_nas_msg_init(&id, SEN_NAS_IDENTITY_RESPONSE);
	id.identity_response.mobile_id = m.registration_request.mobile_id;
	n = sen_nas_encode(&id, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(h_ue_send_ul(&ue, buf, (size_t)n), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &m, NULL, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_AUTHENTICATION_REQUEST);
	assert_int_equal(h_ue_answer_auth(&ue, &m), 0);
	assert_int_equal(h_ue_wait_nas(&ue, &smc, NULL, 3000), 0);
	assert_int_equal(smc.type, SEN_NAS_SECURITY_MODE_COMMAND);
	assert_true(smc.security_mode_command.has_additional_sec_info);
	assert_true(smc.security_mode_command.additional_sec_info & 0x02); /* RINMR */
	send_smc_complete(&ue, full, (size_t)nf);
	assert_int_equal(h_ue_wait_nas(&ue, &m, &ics, 3000), 0);
	assert_int_equal(m.type, SEN_NAS_REGISTRATION_ACCEPT);
	assert_true(m.registration_accept.has_allowed_nssai);
	assert_int_equal(m.registration_accept.allowed_nssai.n, 1);
	assert_int_equal(m.registration_accept.allowed_nssai.s[0].sst, 1);
	h_ue_free(&ue);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ng_setup_success, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ng_setup_wrong_plmn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_register_deregister, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_res, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_resync, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_subscriber, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_plmn_not_allowed, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_ngap, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_nas_after_security, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_t3560, setup_short_t3560, teardown),
	    cmocka_unit_test_setup_teardown(test_gnb_loss, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_network_deregistration, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_ng_setup_failures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_gnbs, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_ng_reset, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_ng_setup_unknown_ie, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ran_config_update_unknown_ie, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_ng_reset_unknown_ie, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_idle_deregistration, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_nssai_defaults, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_smc_algorithms, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_barred_subscriber, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_guti_identity, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_mobility_update, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_t3550, setup_short_timers, teardown),
	    cmocka_unit_test_setup_teardown(test_t3570, setup_short_timers, teardown),
	    cmocka_unit_test_setup_teardown(test_t3522, setup_short_timers, teardown),
	    cmocka_unit_test_setup_teardown(test_burst_send_queue, setup_burst, teardown),
	    cmocka_unit_test_setup_teardown(test_pdu_session, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_pdu_session_errors, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_pdu_sessions_several, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_auth_ngksi_differs, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_smc_complete_current_ctx, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_auth_ngksi_in_use, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_smc_reject_old_context, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_initial_container, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_smc_rinmr, setup_ready, teardown),
	};
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH/TO/sen-amf\n", argv[0]);
		return 2;
	}
	amf_exe = argv[1];
	if (argc > 2) /* run only the cases matching a pattern, e.g. "test_t35*" */
		cmocka_set_test_filter(argv[2]);
	sen_log_set_level(getenv("AMF_LOG") ? SEN_LOG_DEBUG : SEN_LOG_WARN);
	if (sen_loop_new(&h_loop) < 0 || h_fakes_start() < 0 || h_smf_start() < 0) {
		fprintf(stderr, "cannot set up the harness\n");
		return 1;
	}
	rc = cmocka_run_group_tests_name("amf", tests, NULL, NULL);
	h_smf_stop();
	h_fakes_stop();
	return rc;
}
