/*
 * sen-ransim UE: a simulated UE's NAS engine (5GMM and 5GSM, TS 24.501 clauses 5 and 6),
 * with its USIM (5G AKA, TS 33.501 6.1.3.2, SQN freshness of TS 33.102 Annex C) and NAS
 * security (TS 33.501 6.4 and 6.7.2, TS 24.501 4.4).
 *
 * The engine is transport-independent: it consumes downlink NAS PDUs and produces uplink
 * NAS PDUs and events. Whoever drives it (the gNB simulator, or a test playing the network)
 * carries the PDUs over NGAP, and tells the UE when its N1 signalling connection is released.
 *
 *     struct sen_ue *ue;
 *     sen_ue_new(&cfg, &ue);
 *     sen_ue_register(ue);                    -> uplink: Registration Request (initial)
 *     sen_ue_deliver(ue, dl, dl_len);         -> uplinks and events, as TS 24.501 says
 *
 * Uplink PDUs go to cfg.tx when it is set, else to a queue read with sen_ue_uplink_pop().
 * Events go to cfg.on_event when set, else to a queue read with sen_ue_event_pop().
 * Callbacks must not call back into the same UE (except the read-only getters).
 *
 * Timers (T3510, T3511, T3517, T3521 per UE; T3580, T3582 per PDU session; TS 24.501
 * 10.2) run on cfg.loop when one is given. Without a loop they are only marked as running;
 * sen_ue_timer_expire() then plays an expiry (unit tests, or a driver with its own clock).
 *
 * Everything that arrives from the network is checked; a bad message is logged and dropped
 * or answered with 5GMM / 5GSM STATUS as TS 24.501 clause 7 says. Nothing the network
 * sends can make the engine assert or read out of bounds. K, OPc and derived keys are
 * never logged.
 *
 * One UE object belongs to one thread (the one running its loop).
 */
#ifndef SEN_RANSIM_UE_H
#define SEN_RANSIM_UE_H

#include "crypto/suci.h"
#include "nas/nas.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_loop;
struct sen_ue;

/* 5GMM main states of the UE (TS 24.501 5.1.3.2.1). */
enum sen_ue_mm_state {
	SEN_UE_MM_DEREGISTERED = 0,
	SEN_UE_MM_REGISTERED_INITIATED,
	SEN_UE_MM_REGISTERED,
	SEN_UE_MM_DEREGISTERED_INITIATED,
	SEN_UE_MM_SERVICE_REQUEST_INITIATED,
	SEN_UE_MM_STATE_N
};

/* PDU session states in the UE (TS 24.501 6.1.3.2.1). */
enum sen_ue_sm_state {
	SEN_UE_SM_INACTIVE = 0,
	SEN_UE_SM_ACTIVE_PENDING,
	SEN_UE_SM_ACTIVE,
	SEN_UE_SM_INACTIVE_PENDING,
	SEN_UE_SM_STATE_N
};

/* UE timers (TS 24.501 10.2, tables 10.2.1 and 10.3.1). */
enum sen_ue_timer {
	SEN_UE_T3510 = 0, /* registration: 15 s */
	SEN_UE_T3511,	  /* retry registration after a failed attempt: 10 s */
	SEN_UE_T3517,	  /* service request: 15 s */
	SEN_UE_T3521,	  /* de-registration: 15 s, 4 retransmissions */
	SEN_UE_T3580,	  /* PDU session establishment: 16 s, 4 retransmissions (per PSI) */
	SEN_UE_T3582,	  /* PDU session release: 16 s, 4 retransmissions (per PSI) */
	SEN_UE_TIMER_N
};

enum sen_ue_event_type {
	SEN_UE_EV_REGISTERED = 1,      /* Registration Accept processed (guti, tai list stored) */
	SEN_UE_EV_REGISTRATION_FAILED, /* attempt limit reached, or connection lost (cause 0) */
	SEN_UE_EV_REJECTED,	       /* Registration Reject: cause = 5GMM cause */
	SEN_UE_EV_AUTH_FAILED,	       /* UE sent Authentication Failure: cause 20, 21, 26 or 71 */
	SEN_UE_EV_AUTH_REJECTED,       /* network sent Authentication Reject */
	SEN_UE_EV_SECURITY_MODE_REJECTED, /* UE sent Security Mode Reject: cause 23 or 24 */
	SEN_UE_EV_DEREGISTERED,		  /* switch_off, network (cause, reregistration_required) */
	SEN_UE_EV_SERVICE_ACCEPTED,
	SEN_UE_EV_SERVICE_REJECTED,    /* cause = 5GMM cause; 0 when T3517 ran out */
	SEN_UE_EV_CONFIG_UPDATED,      /* Configuration Update Command processed */
	SEN_UE_EV_STATUS,	       /* 5GMM STATUS received: cause */
	SEN_UE_EV_SESSION_ESTABLISHED, /* psi, ipv4, ambr, qos */
	SEN_UE_EV_SESSION_REJECTED,    /* psi, cause (5GSM; or 5GMM when mm_cause) */
	SEN_UE_EV_SESSION_RELEASED,    /* psi, cause (0 for a local release) */
	SEN_UE_EV_SESSION_MODIFIED,    /* psi */
	SEN_UE_EV_SESSION_FAILED,      /* psi: T3580 / T3582 retransmissions exhausted (cause
					  0), or an unusable Accept (cause 96: no PDU address
					  of the selected type, or a type not asked for; the UE
					  has sent a Release Request) */
	SEN_UE_EV_DL_DROPPED,	       /* a downlink message was dropped: reason = -SEN_E… */
	SEN_UE_EV_SESSION_RELEASE_REJECTED, /* psi, cause: PDU Session Release Reject (6.4.3.4) */
};

/* Why a downlink message was dropped (SEN_UE_EV_DL_DROPPED). */
enum sen_ue_drop {
	SEN_UE_DROP_NONE = 0,
	SEN_UE_DROP_MALFORMED,	 /* too short, unknown EPD, bad security header (clause 7) */
	SEN_UE_DROP_MAC,	 /* integrity check failed (4.4.4.2) */
	SEN_UE_DROP_REPLAY,	 /* NAS COUNT already accepted (TS 33.501 6.4.3.2) */
	SEN_UE_DROP_UNPROTECTED, /* not integrity protected where 4.4.4.2 requires it */
	SEN_UE_DROP_NO_CONTEXT,	 /* protected, but the UE has no security context */
	SEN_UE_DROP_UNSUPPORTED, /* valid but not handled by this UE (EAP, other payloads) */
};

struct sen_ue_event {
	enum sen_ue_event_type type;
	uint8_t cause;	 /* 5GMM or 5GSM cause where one applies, else 0 */
	bool mm_cause;	 /* session events: cause is a 5GMM cause from DL NAS Transport */
	bool switch_off; /* DEREGISTERED: UE-originated switch-off */
	bool by_network; /* DEREGISTERED: network-originated */
	bool reregistration_required; /* DEREGISTERED (network), CONFIG_UPDATED */
	uint8_t psi;		      /* session events */
	uint8_t ipv4[4];	      /* SESSION_ESTABLISHED: the UE's address (IPv4 or IPv4v6) */
	uint8_t ipv6_iid[8];	      /* SESSION_ESTABLISHED: interface identifier (IPv6, IPv4v6) */
	uint8_t pdu_type;	      /* SESSION_ESTABLISHED: enum sen_nas_pdu_type */
	uint8_t n_qos_rules;	      /* SESSION_ESTABLISHED */
	uint8_t qfi;		      /* SESSION_ESTABLISHED: QFI of the default QoS rule */
	struct sen_nas_ambr ambr;     /* SESSION_ESTABLISHED / _MODIFIED */
	enum sen_ue_drop drop;	      /* DL_DROPPED: why */
};

/* Uplink flags. */
#define SEN_UE_UL_INITIAL                                                                          \
	0x1 /* first message of a NAS signalling connection (Initial UE                            \
	       Message on N2); others go in Uplink NAS Transport */

typedef void (*sen_ue_tx_fn)(struct sen_ue *ue, const uint8_t *pdu, size_t len, unsigned flags,
			     void *arg);
typedef void (*sen_ue_event_fn)(struct sen_ue *ue, const struct sen_ue_event *ev, void *arg);

struct sen_ue_config {
	const char *supi;      /* "imsi-<digits>" or the digits, 6..15 of them */
	const char *mcc, *mnc; /* home PLMN: splits the IMSI into MCC | MNC | MSIN */
	/* Serving PLMN (the cell's): gives the serving network name. NULL: the home PLMN. */
	const char *serving_mcc, *serving_mnc;
	uint8_t k[16];
	uint8_t op[16]; /* OPc when op_is_opc, else OP (OPc is derived) */
	bool op_is_opc;
	uint8_t amf[2];	       /* AMF field of the USIM; unused by the UE side except logging */
	uint64_t sqn;	       /* SQN_MS as provisioned: the highest accepted SQN */
	uint8_t suci_scheme;   /* enum sen_suci_scheme */
	uint8_t hn_key_id;     /* home network public key id (Profile A/B) */
	const uint8_t *hn_pub; /* home network public key: 32 (A), 33 or 65 (B) octets */
	size_t hn_pub_len;
	const char *routing_indicator; /* 1..4 digits; NULL: "0" */
	const char *imeisv;	       /* 16 digits; NULL: derived from the MSIN */
	uint8_t ea, ia;		       /* 5G-EA / 5G-IA bitmaps (SEN_NAS_ALG_BIT); 0: defaults
					  (EA0..3, IA1..3) */
	struct sen_nas_nssai requested_nssai;
	const char *dnn;		   /* default DNN for PDU sessions; NULL: none */
	uint8_t pdu_type; /* PDU session type asked for (enum sen_nas_pdu_type: IPv4, IPv6,
			     IPv4v6); 0: IPv4 */
	struct sen_loop *loop;		   /* optional: timers run on it */
	uint32_t timer_ms[SEN_UE_TIMER_N]; /* 0: the TS 24.501 default */
	sen_ue_tx_fn tx;		   /* optional: uplink PDUs (else queued) */
	sen_ue_event_fn on_event;	   /* optional: events (else queued) */
	void *arg;			   /* for tx and on_event */
};

/* What the UE knows of one PDU session. */
struct sen_ue_session_info {
	enum sen_ue_sm_state state;
	uint8_t pdu_type;
	uint8_t ipv4[4];
	uint8_t ipv6_iid[8];
	uint8_t accept_cause; /* 5GSM cause of the Accept (#50, #51), 0: none */
	struct sen_nas_ambr ambr;
	uint8_t n_qos_rules;
	uint8_t qfi;
	char dnn[SEN_NAS_DNN_MAX + 1];
};

/*
 * Create a UE from *cfg (copied; the strings and key buffers need not outlive the call).
 * The UE starts in 5GMM-DEREGISTERED with no 5G-GUTI and no security context.
 * Returns 0 and sets *out, or -SEN_EINVAL (bad SUPI / PLMN / keys / SUCI parameters / IMEISV),
 * -SEN_ENOMEM, -SEN_ECRYPTO (OPc derivation failed).
 */
int sen_ue_new(const struct sen_ue_config *cfg, struct sen_ue **out);

/* Stop the UE's timers, wipe its keys and free it. NULL is a no-op. */
void sen_ue_free(struct sen_ue *ue);

/*
 * Start an initial registration (TS 24.501 5.5.1.2.2): sends a Registration Request with
 * the 5G-GUTI when the UE has one, else a fresh SUCI; integrity protected, with the whole
 * message ciphered in a NAS message container, when the UE has a valid security context
 * (4.4.6); starts T3510. Returns 0, -SEN_EINVAL unless 5GMM-DEREGISTERED, or an encoding
 * / crypto error.
 */
int sen_ue_register(struct sen_ue *ue);

/*
 * Consume one downlink NAS PDU. Produces zero or more uplink PDUs and events.
 * Returns 0 when the message was processed (including when it was answered with a 5GMM
 * or 5GSM STATUS), or a negative code when it was dropped (an SEN_UE_EV_DL_DROPPED event
 * is raised too, saying why): -SEN_EPROTO (malformed, ignored), -SEN_EAUTH (integrity check
 * failed, or not integrity protected where TS 24.501 4.4.4.2 requires it), -SEN_EEXIST
 * (replayed NAS COUNT), -SEN_ENOENT (no security context to check it), -SEN_ENOTSUP.
 */
int sen_ue_deliver(struct sen_ue *ue, const uint8_t *dl, size_t len);

/*
 * UE-originated de-registration (TS 24.501 5.5.2.2). switch_off: the request says
 * "switch off" and the UE is de-registered at once (no accept expected); otherwise it
 * waits for De-registration Accept under T3521. Returns 0, -SEN_EINVAL when already
 * de-registered or de-registering.
 */
int sen_ue_deregister(struct sen_ue *ue, bool switch_off);

/*
 * UE-requested PDU session establishment (TS 24.501 6.4.1.2): PDU Session Establishment
 * Request (cfg.pdu_type: IPv4, IPv6 or IPv4v6; SSC mode 1) in UL NAS Transport with request type "initial request",
 * `dnn` (NULL: the configured default) and `snssai` (NULL: the first requested S-NSSAI,
 * if any); starts T3580. The Accept ends it (SESSION_ESTABLISHED), unless it has no PDU
 * address of the selected type or selects a type not asked for: then SESSION_FAILED #96,
 * and the UE releases the session (6.4.3.2). psi is 1..15. Returns 0, -SEN_EINVAL (bad psi, not registered,
 * 5GMM-IDLE: call sen_ue_service_request first, DNN too long), -SEN_EEXIST (the session
 * is not inactive).
 */
int sen_ue_pdu_session_establish(struct sen_ue *ue, uint8_t psi, const char *dnn,
				 const struct sen_nas_snssai *snssai);

/*
 * UE-requested PDU session release (TS 24.501 6.4.3.2): PDU Session Release Request with
 * cause #36 (regular deactivation); starts T3582. The Release Command ends it (event
 * SESSION_RELEASED), a Release Reject too (SESSION_RELEASE_REJECTED, the session stays). Returns 0, -SEN_EINVAL (bad psi, not
 * registered, 5GMM-IDLE), -SEN_ENOENT (the session is not active).
 */
int sen_ue_pdu_session_release(struct sen_ue *ue, uint8_t psi);

/*
 * Service request from 5GMM-IDLE (TS 24.501 5.6.1.2): needs a 5G-GUTI and a security
 * context; service_type per 9.11.3.50 (0 signalling, 1 data). Starts T3517.
 * Returns 0, -SEN_EINVAL (not registered, or connected), -SEN_ENOENT (no GUTI / context).
 */
int sen_ue_service_request(struct sen_ue *ue, uint8_t service_type);

/*
 * The access network released the N1 NAS signalling connection (the UE enters
 * 5GMM-IDLE). A pending registration, service request or de-registration is aborted as
 * the abnormal cases of 5.5.1.2.7, 5.6.1.7 and 5.5.2.2.6 say.
 */
void sen_ue_conn_release(struct sen_ue *ue);

/*
 * Play the expiry of a running timer now (psi selects the session for T3580 / T3582).
 * Returns 0, -SEN_EINVAL (bad timer / psi), -SEN_ENOENT (not running).
 */
int sen_ue_timer_expire(struct sen_ue *ue, enum sen_ue_timer t, uint8_t psi);

/* True when the timer is running (with or without a loop). */
bool sen_ue_timer_running(const struct sen_ue *ue, enum sen_ue_timer t, uint8_t psi);

/*
 * KgNB (TS 33.501 A.9) from the current KAMF and an uplink NAS COUNT, as the AMF derives
 * it for the Initial Context Setup. Returns 0, -SEN_ENOENT (no security context).
 */
int sen_ue_kgnb(const struct sen_ue *ue, uint32_t ul_nas_count, uint8_t kgnb[32]);

/*
 * The uplink NAS COUNT of the last protected message the UE sent (the count an AMF uses for
 * KgNB after receiving it). Returns 0, -SEN_ENOENT (no security context or nothing sent).
 */
int sen_ue_last_ul_count(const struct sen_ue *ue, uint32_t *count);

/*
 * Test injection (sen-ransim --inject bad-nas): send the given plain 5GMM octets, which need
 * not be a valid message, integrity protected and ciphered with the current context (a new
 * uplink NAS COUNT), on the current connection. Returns 0, -SEN_ENOENT (no security
 * context), -SEN_EINVAL (not connected, or len out of range).
 */
int sen_ue_send_protected_raw(struct sen_ue *ue, const uint8_t *plain, size_t len);

/*
 * Next queued uplink PDU (only when cfg.tx is NULL): copies it to out[cap], sets *flags
 * (SEN_UE_UL_*; may be NULL). Returns its length, 0 when the queue is empty, or
 * -SEN_EMSGSIZE (cap too small; the PDU stays queued).
 */
int sen_ue_uplink_pop(struct sen_ue *ue, uint8_t *out, size_t cap, unsigned *flags);

/* Next queued event (only when cfg.on_event is NULL). Returns true and fills *ev, or false. */
bool sen_ue_event_pop(struct sen_ue *ue, struct sen_ue_event *ev);

/* Read-only getters. */
enum sen_ue_mm_state sen_ue_mm_state(const struct sen_ue *ue);
const char *sen_ue_mm_state_name(enum sen_ue_mm_state s); /* "5GMM-REGISTERED" …, never NULL */
const char *sen_ue_event_name(enum sen_ue_event_type t);  /* "registered" …, never NULL */
const char *sen_ue_supi(const struct sen_ue *ue);	  /* "imsi-…" */
bool sen_ue_connected(const struct sen_ue *ue);		  /* 5GMM-CONNECTED */
/* The 5G-GUTI, if the UE has one: returns true and fills *guti (may be NULL). */
bool sen_ue_guti(const struct sen_ue *ue, struct sen_nas_guti *guti);
/* True when the UE holds a current (valid) 5G NAS security context; *ngksi may be NULL. */
bool sen_ue_security(const struct sen_ue *ue, uint8_t *ngksi);
/* Session `psi` (1..15): returns 0 and fills *info, or -SEN_EINVAL. */
int sen_ue_session(const struct sen_ue *ue, uint8_t psi, struct sen_ue_session_info *info);

#endif
