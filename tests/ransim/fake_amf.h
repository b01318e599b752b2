/*
 * A small fake AMF and fake UPF for the sen-ransim tests, in the test process on one
 * sen_loop: NGAP over lib/sctp (usrsctp, SCTP over UDP) with lib/ngap, the network side of
 * NAS with lib/nas and lib/crypto (5G AKA vectors, KAMF, NAS security, KgNB), and a GTP-U
 * echo responder with lib/gtpu. It plays a scripted, well-behaved core (NG Setup,
 * registration, PDU session, de-registration) with switches for the failure cases, and
 * records what the gNB sent so that the tests can check it.
 */
#ifndef SEN_TEST_RANSIM_FAKE_AMF_H
#define SEN_TEST_RANSIM_FAKE_AMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_loop;

#define FA_MAX_UES 256

struct fa_opts {
	bool ng_setup_fail;	/* answer NG Setup Failure: misc/unknown-PLMN, time to wait 5 s */
	bool wrong_k;		/* the network's K for every subscriber differs from the UE's */
	bool bad_kgnb;		/* Initial Context Setup with a wrong Security Key */
	bool upf_drop;		/* the UPF swallows echo requests */
	bool unknown_ue_dl;	/* after NG Setup, a DL NAS Transport for RAN UE NGAP ID 999999 */
};

struct fa_record {
	/* NG Setup Request */
	unsigned ng_setups;
	uint16_t ng_setup_stream;
	uint32_t gnb_ids[8];	/* in arrival order */
	unsigned gnb_id_bits;
	char plmn[8];		/* "999-70" of the Global gNB ID */
	uint32_t tac;
	unsigned n_slices;
	uint8_t sst;
	uint32_t sd;		/* 0xffffff: none */
	int paging_drx;
	char ran_node_name[32];
	/* Initial UE Message */
	unsigned initial_ue;
	bool iue_on_stream0;	/* any Initial UE Message on stream 0 (must not be) */
	unsigned streams_seen;	/* bitmap of UE streams 1..31 */
	int rrc_cause;
	uint64_t nci;		/* NR cell identity of the ULI */
	uint32_t uli_tac;
	bool nas_is_registration_request;
	char first_supi[40];
	/* procedures seen */
	unsigned auth_failures, auth_failure_cause;
	unsigned smc_completes, reg_completes, ics_responses, ics_failures;
	unsigned psr_requests, psr_responses, dereg_requests, release_completes;
	unsigned error_indications, last_ei_cause_kind, last_ei_cause;
	unsigned max_ran_id;
	unsigned assocs_up;
	/* user plane */
	unsigned upf_echo_requests, upf_echo_replies, upf_bad;
	bool upf_teid_ok, upf_qfi_ok;
};

extern struct fa_record fa_rec;
extern struct fa_opts fa_opts;

/* Start the fake AMF (SCTP port `sctp_port` on 127.0.0.1, SCTP over UDP on `udp_port`)
 * and the fake UPF (GTP-U on 127.0.0.1:`upf_port`); gnb_gtpu_port is where the gNB's N3
 * endpoint listens. Returns 0 or -1. */
int fa_start(struct sen_loop *loop, uint16_t sctp_port, uint16_t udp_port, uint16_t upf_port,
	     uint16_t gnb_gtpu_port);
void fa_stop(void);
/* Forget every UE and record, set the options for the next run. */
void fa_reset(const struct fa_opts *o);

#endif
