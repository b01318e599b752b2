/*
 * sen-ransim UE internals shared by ue.c (object, state machines, security path, timers),
 * ue_mm.c (5GMM procedures), ue_sm.c (5GSM procedures) and ue_usim.c (USIM: 5G AKA, SQN,
 * SUCI). Not a public interface: see ue.h.
 *
 * State machines are Osmocom-style tables (STYLE.md): each state is a row with the events
 * it accepts and the states it may go to; ue_mm_dispatch / ue_sm_dispatch refuse anything
 * else in one place, with names in the log.
 */
#ifndef SEN_RANSIM_UE_INT_H
#define SEN_RANSIM_UE_INT_H

#include "ue.h"

#include "core/loop.h"
#include "nas/sec.h"

#define UE_MOD		"ue"
#define UE_PSI_N	16	   /* PSI 1..15 (TS 24.501 9.4) */
#define UE_SQN_IND_BITS 5	   /* TS 33.102 C.3.2: a = 32 array entries */
#define UE_SQN_DELTA	(1u << 28) /* TS 33.102 C.3.2: limit on SEQ increase */
#define UE_PDU_MAX	1024	   /* largest NAS PDU the UE builds or accepts */
#define UE_ULQ_N	32
#define UE_EVQ_N	64

/* 5GMM events: downlink messages, local requests and timer expiries. */
enum ue_mm_ev {
	MM_EV_REGISTER = 0,
	MM_EV_DEREGISTER,
	MM_EV_SERVICE_REQUEST,
	MM_EV_CONN_RELEASE,
	MM_EV_T3510,
	MM_EV_T3511,
	MM_EV_T3517,
	MM_EV_T3521,
	MM_EV_IDENTITY_REQUEST,
	MM_EV_AUTH_REQUEST,
	MM_EV_AUTH_RESULT,
	MM_EV_AUTH_REJECT,
	MM_EV_SECURITY_MODE_COMMAND,
	MM_EV_REGISTRATION_ACCEPT,
	MM_EV_REGISTRATION_REJECT,
	MM_EV_DEREG_REQUEST_NW,
	MM_EV_DEREG_ACCEPT,
	MM_EV_CONFIG_UPDATE_COMMAND,
	MM_EV_DL_NAS_TRANSPORT,
	MM_EV_SERVICE_ACCEPT,
	MM_EV_SERVICE_REJECT,
	MM_EV_GMM_STATUS,
	MM_EV_NOTIFICATION,
	MM_EV_N
};

/* 5GSM events of one PDU session. */
enum ue_sm_ev {
	SM_EV_ESTABLISH = 0, /* local request */
	SM_EV_RELEASE,	     /* local request */
	SM_EV_LOCAL_RELEASE, /* de-registration: release without signalling (5.5.2) */
	SM_EV_T3580,
	SM_EV_T3582,
	SM_EV_EST_ACCEPT,
	SM_EV_EST_REJECT,
	SM_EV_REL_COMMAND,
	SM_EV_REL_REJECT,
	SM_EV_MOD_COMMAND,
	SM_EV_GSM_STATUS,
	SM_EV_NOT_FORWARDED, /* DL NAS Transport carrying our message back with a 5GMM cause */
	SM_EV_N
};

/* One 5G NAS security context (TS 33.501 6.3, TS 24.501 4.4.2). */
struct ue_sec {
	bool valid;
	uint8_t ngksi; /* key set identifier 0..6 (native) */
	uint8_t kamf[32];
	struct sen_nas_sec_ctx nas; /* keys and algorithms; set by a Security Mode Command */
	bool nas_ready;
};

struct ue_session {
	struct sen_ue *ue;
	uint8_t psi;
	enum sen_ue_sm_state state;
	uint8_t pti; /* procedure transaction in progress, 0 for none */
	char dnn[SEN_NAS_DNN_MAX + 1];
	bool has_snssai;
	struct sen_nas_snssai snssai;
	uint8_t pdu_type;
	uint8_t ipv4[4];
	uint8_t ipv6_iid[8];
	uint8_t accept_cause;
	struct sen_nas_ambr ambr;
	uint8_t n_qos_rules, qfi;
	struct sen_timer t3580, t3582;
	bool t3580_on, t3582_on; /* running (no-loop mode) */
	unsigned retries;
	uint8_t last[256]; /* the 5GSM message in progress, for retransmission */
	size_t last_len;
};

struct ue_ul {
	uint8_t *pdu;
	size_t len;
	unsigned flags;
};

struct sen_ue {
	/* identity and subscription (from the config) */
	char supi[24]; /* imsi-<digits> */
	char mcc[4], mnc[4], msin[11];
	char snn[40]; /* serving network name, TS 24.501 9.12.1 */
	uint8_t k[16], opc[16];
	uint8_t suci_scheme, hn_key_id;
	uint8_t hn_pub[65];
	size_t hn_pub_len;
	char routing[5];
	char imeisv[17];
	uint8_t ea, ia;
	struct sen_nas_nssai requested_nssai;
	char dnn[SEN_NAS_DNN_MAX + 1];
	uint8_t pdu_type; /* asked for in establishments */
	char tag[64]; /* log tag */

	/* USIM (TS 33.102 Annex C) */
	uint64_t sqn_ms[1u << UE_SQN_IND_BITS];
	bool have_rand;
	uint8_t last_rand[16], last_res_star[16]; /* RAND / RES* of the last challenge (5.4.1.3) */

	/* 5GMM */
	enum sen_ue_mm_state mm;
	bool connected;	    /* 5GMM-CONNECTED */
	bool secure;	    /* secure exchange of NAS messages established on this connection */
	struct ue_sec cur;  /* current 5G NAS security context */
	struct ue_sec pend; /* new partial context from the last successful 5G AKA */
	bool have_guti;
	struct sen_nas_guti guti;
	bool have_tai_list;
	struct sen_nas_tai_list tai_list;
	struct sen_nas_nssai allowed_nssai;
	unsigned reg_attempts; /* registration attempt counter (5.5.1.2.7) */
	bool dereg_switch_off;
	unsigned dereg_retries;
	uint8_t service_type;
	/* the initial NAS message of this connection in full, for the NAS message container of
	   Security Mode Complete (4.4.6) */
	uint8_t init_msg[512];
	size_t init_len;
	bool init_cleartext_only; /* sent without a security context: cleartext IEs only */

	struct sen_loop *loop;
	uint32_t timer_ms[SEN_UE_TIMER_N];
	struct sen_timer t3510, t3511, t3517, t3521;
	bool t_on[SEN_UE_TIMER_N]; /* running, for T3510..T3521 without a loop */

	/* 5GSM */
	struct ue_session sess[UE_PSI_N];
	uint8_t next_pti;

	/* output */
	sen_ue_tx_fn tx;
	sen_ue_event_fn on_event;
	void *arg;
	struct ue_ul ulq[UE_ULQ_N];
	unsigned ulq_head, ulq_n;
	struct sen_ue_event evq[UE_EVQ_N];
	unsigned evq_head, evq_n;
};

/* ---- ue.c ---- */
void ue_event(struct sen_ue *ue, const struct sen_ue_event *ev);
void ue_event_simple(struct sen_ue *ue, enum sen_ue_event_type type, uint8_t cause);
/* Encode and send a 5GMM message, protected as the context and connection allow. */
int ue_send_mm(struct sen_ue *ue, const struct sen_nas_msg *m);
/* Send already encoded plain 5GMM octets with an explicit security header type (0: plain). */
int ue_send_raw(struct sen_ue *ue, const uint8_t *plain, size_t len, uint8_t sht);
int ue_send_gmm_status(struct sen_ue *ue, uint8_t cause);
void ue_mm_goto(struct sen_ue *ue, enum sen_ue_mm_state to);
void ue_timer_start(struct sen_ue *ue, enum sen_ue_timer t);
void ue_timer_stop(struct sen_ue *ue, enum sen_ue_timer t);
void ue_sess_timer_start(struct ue_session *s, enum sen_ue_timer t);
void ue_sess_timer_stop(struct ue_session *s, enum sen_ue_timer t);
/* Wipe and forget a security context. */
void ue_sec_clear(struct ue_sec *s);

/* ---- ue_mm.c: one handler per 5GMM event (msg is NULL for local events) ---- */
struct ue_mm_in {
	const struct sen_nas_msg *msg;
	const uint8_t *raw; /* the downlink PDU as received (Security Mode Command MAC check) */
	size_t raw_len;
};
typedef int (*ue_mm_handler)(struct sen_ue *ue, const struct ue_mm_in *in);
extern const ue_mm_handler ue_mm_handlers[MM_EV_N];
/* Run event ev through the 5GMM state table. */
int ue_mm_dispatch(struct sen_ue *ue, enum ue_mm_ev ev, const struct ue_mm_in *in);

/* ---- ue_sm.c ---- */
/* A DL NAS Transport (already checked by the 5GMM layer). */
int ue_sm_dl_transport(struct sen_ue *ue, const struct sen_nas_dl_nas_transport *t);
int ue_sm_dispatch(struct ue_session *s, enum ue_sm_ev ev, const struct sen_nas_msg *gsm);
/* Release every session locally (de-registration, authentication reject …). */
void ue_sm_release_all(struct sen_ue *ue);
/* PSI map of the active sessions (PDU session status IE, 9.11.3.44). */
uint16_t ue_sm_active_map(const struct sen_ue *ue);

/* ---- ue_usim.c ---- */
enum ue_aka_result {
	UE_AKA_OK = 0,
	UE_AKA_MAC_FAILURE,   /* #20 */
	UE_AKA_SYNCH_FAILURE, /* #21, auts set */
	UE_AKA_NON_5G,	      /* #26: AMF separation bit is 0 */
};
/*
 * USIM + ME part of 5G AKA (TS 33.501 6.1.3.2): check AUTN, SQN freshness (TS 33.102
 * Annex C.2.2), then RES*, KAUSF, KSEAF and KAMF (TS 33.501 A.2, A.4, A.6, A.7).
 */
int ue_usim_authenticate(struct sen_ue *ue, const uint8_t rand[16], const uint8_t autn[16],
			 const uint8_t *abba, size_t abba_len, uint8_t res_star[16],
			 uint8_t kamf[32], uint8_t auts[14], enum ue_aka_result *result);
/* A fresh SUCI (TS 33.501 6.12.2: a new ephemeral key each time) as a mobile identity. */
int ue_usim_suci(struct sen_ue *ue, struct sen_nas_mobile_id *id);
/* Seed the SQN array from the provisioned SQN_MS. */
void ue_usim_init_sqn(struct sen_ue *ue, uint64_t sqn);

#endif
