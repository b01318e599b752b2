/*
 * A small fake AMF and fake UPF for the sen-ransim tests, in the test process on one
 * sen_loop: NGAP over lib/sctp (usrsctp, SCTP over UDP) with lib/ngap, the network side of
 * NAS with lib/nas and lib/crypto (5G AKA vectors, KAMF, NAS security, KgNB), and a GTP-U
 * echo responder with lib/gtpu. It plays a scripted, well-behaved core (NG Setup,
 * registration, PDU session of the type asked for, UE-requested PDU session release,
 * de-registration) with switches for the failure cases, and records what the gNB sent so
 * that the tests can check it. For IPv6 / IPv4v6 sessions the UPF is also the router:
 * it checks the UE's Router Solicitations (RFC 4861 4.1) and answers each with a Router
 * Advertisement for 2001:db8:cafe:1::/64, and answers ICMPv6 echo requests (RFC 4443).
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
	uint8_t pdu_type;	/* the Accept's selected type and PDU address (TS 24.501
				   9.11.4.10): 0 / 1 IPv4, 2 IPv6 (IID), 3 IPv4v6 (IID, IPv4) */
	uint8_t accept_cause;	/* 5GSM cause in the Accept (#50 ...), 0: none */
	bool no_pdu_address;	/* the Accept of an IP session without its PDU address IE */
	bool release_reject;	/* answer a PDU Session Release Request with Release Reject #35 */
	bool ra_variants;	/* UE slot i gets Router Advertisement kind i % FA_RA_N (below);
				   otherwise every RA is FA_RA_GOOD */
};

/* Router Advertisements of the fake UPF: one good, and one kind per rule of RFC 4861
 * 6.1.2 / 4.6.2 that a UE must check. */
enum fa_ra_kind {
	FA_RA_GOOD = 0,	    /* fe80::1, hop limit 255, /64 prefix option, MTU option */
	FA_RA_HOP_LIMIT,    /* IP hop limit 64 */
	FA_RA_GLOBAL_SRC,   /* source 2001:db8::1, not link-local */
	FA_RA_BAD_CSUM,	    /* ICMPv6 checksum wrong */
	FA_RA_TRUNC_OPT,    /* after the prefix, an option announces 16 octets, 8 are left */
	FA_RA_NO_PREFIX,    /* MTU option only */
	FA_RA_PREFIX_48,    /* the prefix option is a /48 */
	FA_RA_ZERO_LEN_OPT, /* after the prefix, an option of length 0 */
	FA_RA_CODE_1,	    /* ICMP code 1 */
	FA_RA_N
};

/* The interface identifier the fake SMF gives UE slot idx: 0200:0000:0000:<idx + 1>. */
void fa_iid(unsigned idx, uint8_t iid[8]);

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
	/* PDU session type and release (TS 24.501 6.4.1, 6.4.3; TS 38.413 8.2.2) */
	uint8_t est_pdu_type;	/* PDU session type of the last Establishment Request */
	bool est_dns6;		/* its ePCO asked for IPv6 DNS servers */
	unsigned rel_requests, rel_request_cause, rel_commands, rel_rejects;
	unsigned rel_completes, rel_complete_pti_ok, rel_responses, rel_response_psi;
	/* IPv6 user plane */
	unsigned rs_ok, rs_bad;	/* Router Solicitations as RFC 4861 4.1 says / not */
	unsigned ra_sent;
	unsigned echo6_requests, echo6_replies; /* ICMPv6 echo, from prefix::IID, checksum ok */
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
