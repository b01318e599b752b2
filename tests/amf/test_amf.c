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
	    cmocka_unit_test_setup_teardown(test_burst_send_queue, setup_burst, teardown),
	    cmocka_unit_test_setup_teardown(test_pdu_session, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_pdu_session_errors, setup_ready, teardown),
	    cmocka_unit_test_setup_teardown(test_pdu_sessions_several, setup_ready, teardown),
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
