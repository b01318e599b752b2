/*
 * Test harness for sen-amf: the AMF runs as its own process (sen-amf -c <generated
 * sen.yaml>); this process holds
 *   - a test gNB written with lib/ngap + lib/sctp (usrsctp, SCTP over UDP),
 *   - test UEs written with lib/nas + lib/crypto (Milenage, 5G AKA, NAS security),
 *   - a fake AUSF and a fake UDM written with lib/sbi (HTTP/2 servers the AMF calls),
 * all on one sen_loop that the test drives with bounded waits.
 */
#ifndef SEN_TESTS_AMF_HARNESS_H
#define SEN_TESTS_AMF_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asn/asn.h"
#include "core/loop.h"
#include "nas/nas.h"
#include "nas/sec.h"
#include "ngap/ngap.h"

extern struct sen_loop *h_loop;

/* ---- AMF process ---- */

struct amf_opts {
	uint32_t t3560_ms, t3550_ms, t3522_ms, t3570_ms; /* 0: defaults of the harness */
	uint32_t ngap_sndbuf; /* amf.ngap.sndbuf; 0: the AMF's default */
	/* amf.timers.mobile_reachable / implicit_dereg; 0: the AMF's defaults */
	uint32_t mobile_reachable_ms, implicit_dereg_ms;
	/* NULL, or lines added to the `amf:` section of the generated sen.yaml, each indented
	 * by two spaces ("  t3512: 2\n") */
	const char *amf_extra;
};

/* Write the config, start sen-amf, wait until its NGAP endpoint accepts a gNB. */
int h_amf_start(const char *exe, const struct amf_opts *o);
/* Stop it (SIGTERM, then SIGKILL after 3 s). Returns its exit status or -1. */
int h_amf_stop(void);
bool h_amf_alive(void);
/* One value from the AMF's /metrics ("name" or "name{labels}"); -1 if absent. */
long long h_metric(const char *series);

/* The port of "smf" (the fake SMF) or "amf-sbi". */
uint16_t h_port(const char *which);

/* ---- fake AUSF / UDM ---- */

int h_fakes_start(void);
void h_fakes_stop(void);
/* Add a subscriber (MSIN of PLMN 999-70). */
void h_sub_add(const char *msin, uint64_t sqn);
void h_subs_clear(void);
/* The fake AUSF ("ausf": POST ue-authentications) or UDM ("udm": UECM registration)
 * answers `status` with ProblemDetails `cause` for this subscriber (until h_subs_clear). */
void h_sub_refuse(const char *msin, const char *nf, int status, const char *cause);
/* The subscribed NSSAI the fake UDM gives: one default S-NSSAI and one other (SST only;
 * 0: none). h_subs_clear restores {default 1}. */
void h_udm_nssai(uint8_t default_sst, uint8_t other_sst);
unsigned h_ausf_resyncs(void);
unsigned h_ausf_requests(void);
unsigned h_ausf_confirms(void); /* 5g-aka-confirmation PUTs */
/* POST the UDM's deregistration notification to the AMF (its deregCallbackUri). */
int h_udm_dereg_notify(const char *supi, const char *reason, int *status);

/* ---- gNB ---- */

struct h_rx {
	uint16_t stream;
	size_t len;
	uint8_t buf[4096];
	struct sen_asn_arena arena;
	uint8_t mem[16384];
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu;
	const void *msg;
};

/* Several gNBs: h_gnb_use(i) (0 <= i < H_GNBS) makes gNB i the one every h_gnb_* and h_ue_*
 * call below uses (sends on its association, waits for what arrived on it). 0 at start;
 * h_amf_stop closes them all and leaves gNB 0 in use. */
#define H_GNBS 2
void h_gnb_use(int i);
int h_gnb_connect(void);
/* Abort (true) or gracefully close the association; wait until it is down. */
void h_gnb_close(bool abort);
/* NG Setup with our PLMN (or 001-01); returns the answer's PDU kind or -1 on timeout. */
int h_gnb_ng_setup(bool good_plmn, struct h_rx **answer);
/* The same with one supported TA of TAC `tac` and one slice of SST `sst`. */
int h_gnb_ng_setup_with(bool good_plmn, uint32_t tac, uint8_t sst, struct h_rx **answer);
/* The same with `unknown` (may be NULL) added after the IEs: an IE the AMF does not know. */
int h_gnb_ng_setup_ie(bool good_plmn, uint32_t tac, uint8_t sst,
		      const struct sen_asn_raw_ie *unknown, struct h_rx **answer);
int h_gnb_send(uint16_t stream, const struct sen_ngap_pdu *pdu);
int h_gnb_send_raw(uint16_t stream, const void *data, size_t len);
/* Wait up to ms for a PDU of (kind, procedure) about RAN UE NGAP ID `ran` (-1: any). The
 * result stays valid until the next wait. NULL on timeout. */
struct h_rx *h_gnb_wait(int kind, int proc, int64_t ran, int ms);
/* Count PDUs of (kind, proc) that arrive within ms (they are consumed). */
int h_gnb_count(int kind, int proc, int ms);
void h_gnb_flush(void);
/* Run the loop for ms. */
void h_run(int ms);

/* ---- UE ---- */

struct h_ue {
	char msin[16];
	char supi[32];
	uint8_t k[16], opc[16];
	uint64_t sqn_ms; /* highest SQN accepted */
	uint32_t ran_id;
	uint64_t amf_id;
	bool have_amf_id;
	uint8_t kamf[32];
	struct sen_nas_sec_ctx sec;
	bool has_sec;
	struct sen_nas_mobile_id guti;
	bool has_guti;
	bool wrong_res; /* send a wrong RES* */
	uint8_t last_ul[600]; /* last protected uplink message (for replay tests) */
	size_t last_ul_len;
};

void h_ue_init(struct h_ue *ue, const char *msin, uint32_t ran_id);
void h_ue_free(struct h_ue *ue);
/* Encode a plain Registration Request (SUCI null scheme, or the 5G-GUTI). */
int h_ue_registration_request(struct h_ue *ue, bool use_guti, uint8_t reg_type, uint8_t *out,
			      size_t cap);
/* Send `nas` in an Initial UE Message / Uplink NAS Transport. */
int h_ue_send_initial(struct h_ue *ue, const uint8_t *nas, size_t len);
int h_ue_send_ul(struct h_ue *ue, const uint8_t *nas, size_t len);
/* Protect a plain message with the UE's context (sht 2, or 4 for SMC complete). */
int h_ue_protect(struct h_ue *ue, const struct sen_nas_msg *m, uint8_t sht, uint8_t *out,
		 size_t cap);
/* Wait for a DL NAS message (in DL NAS Transport or ICS Request) for this UE; unprotects it.
 * *ics is set when it came in an Initial Context Setup Request. Returns 0 or -1. */
int h_ue_wait_nas(struct h_ue *ue, struct sen_nas_msg *m, bool *ics, int ms);
/* The whole registration: returns 0 when registered (Registration Complete sent). */
int h_ue_register(struct h_ue *ue);
/* UE-originating deregistration (normal or switch off); waits for the release. */
int h_ue_deregister(struct h_ue *ue, bool switch_off);
/* Answer an Authentication Request as a USIM does (RES*, or AUTS when SQN is stale). */
int h_ue_answer_auth(struct h_ue *ue, const struct sen_nas_msg *req);
/* Answer a Security Mode Command (verifies it with the new context). */
int h_ue_answer_smc(struct h_ue *ue, const uint8_t *raw, size_t len);
/* Unprotect and decode a downlink NAS-PDU as the UE. 0 or -1. */
int h_ue_unwrap(struct h_ue *ue, const uint8_t *nas, size_t len, struct sen_nas_msg *m);
/* Wait for UE Context Release Command for the UE and answer Release Complete. */
int h_ue_wait_release(struct h_ue *ue, int ms);
/* The gNB asks for the UE's release (UE Context Release Request, user inactivity) and
 * completes it: the UE is in CM-IDLE. */
int h_ue_go_idle(struct h_ue *ue);

/* ---- fake SMF (fake_smf.c) ---- */

enum h_smf_mode { H_SMF_OK = 0, H_SMF_REJECT, H_SMF_ERROR };

/* What the fake SMF received last, per kind. Binary parts are copies. */
struct h_smf_req {
	char json[2048];
	uint8_t n1[512], n2[512];
	size_t n1len, n2len;
	bool has_n1, has_n2;
	char ref[16]; /* the SM context of a modify / release */
};

struct h_smf {
	enum h_smf_mode mode;
	unsigned creates, modifies, releases;
	struct h_smf_req create, modify;
	char status_uri[256]; /* smContextStatusUri of the last create */
	char bad[128];	      /* what was wrong with a request, "" when all was well */
};
extern struct h_smf h_smf;

int h_smf_start(void);
void h_smf_stop(void);
void h_smf_reset(enum h_smf_mode mode);
/* Run the loop until counter *c reaches n (up to ms). true if reached. */
bool h_wait_count(const unsigned *c, unsigned n, int ms);
/* POST N1N2MessageTransfer to the AMF (n1 / n2 may be NULL). Returns the HTTP status, or
 * -1; *cause gets the body's cause (may be NULL). */
int h_smf_n1n2(const char *ue_ctx, int psi, const uint8_t *n1, size_t n1len, const uint8_t *n2,
	       size_t n2len, const char *ngap_ie_type, char *cause, size_t cap);
/* POST the SmContextStatusNotification RELEASED to the last smContextStatusUri. */
int h_smf_notify_released(void);

/* ---- PDU session cases (test_sess.c) ---- */
void test_pdu_session(void **state);
void test_pdu_session_errors(void **state);
void test_pdu_sessions_several(void **state);

/* ---- additions for test_hostile.c ---- */

/* Consume every PDU that arrived for the gNB in use (it does not run the loop); fn (may be
 * NULL) sees each one decoded, or NULL when it did not decode. Returns how many. */
int h_gnb_drain(void (*fn)(const struct h_rx *rx, void *arg), void *arg);
/* The RAN UE NGAP ID a received PDU is about, -1 if none or not known. */
int64_t h_rx_ran_id(const struct h_rx *rx);
/* Whether the association of the gNB in use is up. */
bool h_gnb_is_up(void);

/* ---- additions for test_amf_life.c ---- */

/* The fake UDM gives subscriber `msin` a subscribed NSSAI of n S-NSSAIs (SST 1 default,
 * then SST 2..n), from then on (one such subscriber per process). */
void h_udm_nssai_many(const char *msin, unsigned n);

/* ---- additions for test_amf.c (authentication and NAS security) ---- */

/* h_ue_answer_auth, the Authentication Response protected with the UE's current context
 * and security header type sht (0: plain, as h_ue_answer_auth); no AUTS here (-1 instead). */
int h_ue_answer_auth_sht(struct h_ue *ue, const struct sen_nas_msg *req, uint8_t sht);

#endif
