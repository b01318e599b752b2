/*
 * sen-amf context: the AMF itself, its gNBs (one per NGAP association) and its UEs.
 *
 * Ownership (STYLE.md, "ownership trees for UE state"): a UE is struct amf_ue and what
 * hangs off it. Its N2 binding (gNB, RAN/AMF UE NGAP IDs), its 5GMM state, keys, the NAS
 * security context, its NAS timers and its pending SBI transaction live inside it; what is
 * held only for a while or sized by its content is allocated when needed and owned by the
 * UE (issue 8, memory per UE): the log tag, SUPI, SUCI (identification and authentication
 * only), the 5G AKA confirmation URI, the requested and subscribed NSSAIs (until the
 * allowed NSSAI is computed), the allowed NSSAI and the subscribed DNNs (sized to their
 * content), each PDU session (while it exists) and the plain copy of the NAS message a
 * running timer retransmits. Freeing a UE is amf_ue_free() (deferred to the next loop
 * round, so a handler that releases the UE it is working on never touches freed memory),
 * which frees all of it.
 *
 * Lookups (lib/core hash tables): AMF UE NGAP ID -> UE, (gNB, RAN UE NGAP ID) -> UE,
 * SUPI -> UE, 5G-TMSI -> UE. The IDs that come from a peer are only ever used as keys:
 * nothing asserts on them.
 */
#ifndef SEN_AMF_CONTEXT_H
#define SEN_AMF_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/loop.h"
#include "crypto/suci.h"
#include "nas/nas.h"
#include "nas/sec.h"
#include "sbi/nrf_client.h"

struct sen_hash;
struct sen_sctp_endpoint;
struct sen_sctp_assoc;
struct sen_sbi_client;
struct sen_sbi_server;
struct sen_sbi_xact;

/* ---- configuration (bound from the `amf` section, config.c) ---------------------------- */

#define AMF_MAX_ALGS 4
#define AMF_MAX_TAC  16
#define AMF_MAX_SLICES 16
/* TS 23.501 5.15.2.1 / TS 38.413 maxnoofAllowedS-NSSAIs: at most 8 S-NSSAIs allowed. */
#define AMF_MAX_ALLOWED_NSSAI 8

struct amf_config {
	struct sen_cfg_addr sbi;
	struct {
		struct sen_cfg_ip addr;
		uint16_t port;
		int transport; /* enum sen_sctp_transport */
		uint16_t udp_port;
		uint32_t sndbuf; /* SCTP send buffer per association, bytes (lib/sctp sndbuf) */
	} ngap;
	struct {
		uint8_t region;
		uint16_t set;	 /* 10 bits */
		uint8_t pointer; /* 6 bits */
	} guami;
	struct {
		size_t n_integrity;
		int integrity[AMF_MAX_ALGS]; /* 0..3, preference order */
		size_t n_ciphering;
		int ciphering[AMF_MAX_ALGS];
	} security;
	char name[64];		     /* AMF Name (TS 38.413 9.3.3.21) */
	size_t n_tac;		     /* tracking areas served (default: the global `tac`) */
	uint32_t tac[AMF_MAX_TAC];
	size_t n_slices;	     /* S-NSSAIs supported (default: the global `slices`) */
	struct sen_cfg_slice slices[AMF_MAX_SLICES];
	uint32_t t3512;		     /* periodic registration timer, seconds */
	struct {
		uint32_t t3550, t3560, t3570, t3522; /* ms (TS 24.501 table 10.2.2: 6 s) */
		/* TS 24.501 5.3.7, TS 23.501 5.4.1.1: ms; mobile_reachable 0 = T3512 + 4 min,
		 * implicit_dereg default 4 min */
		uint32_t mobile_reachable, implicit_dereg;
	} timers;
	uint32_t sbi_timeout;	     /* ms per SBI request */
	uint8_t unknown_subscriber_cause; /* 5GMM cause for a subscriber the UDM does not know */
	uint8_t relative_capacity;
	int time_to_wait; /* NG Setup Failure TimeToWait, enum sen_ngap_time_to_wait */
	struct {
		char full[64], short_[32]; /* network name (Configuration Update Command) */
	} network_name;
	char default_dnn[64];	     /* DNN when neither the UE nor the subscription gives one */
};

/* Bind the `amf` section. 0 or -SEN_ECONFIG with "file:line: amf.key: problem" in err. */
int amf_config_bind(struct sen_config *cfg, struct amf_config *out, char *err, size_t errlen);

/* ---- gNB ----------------------------------------------------------------------------------- */

struct amf_ue;
struct amf_ngap_txmsg; /* ngap-path.c */

struct amf_gnb {
	struct amf *amf;
	struct sen_sctp_assoc *assoc;
	uint32_t id;	     /* global gNB ID value */
	char name[64];	     /* RAN node name, sanitised; or the peer address */
	char peer[64];
	bool setup_done;     /* NG Setup succeeded */
	uint16_t out_streams;
	struct sen_hash *ues_by_ran; /* RAN UE NGAP ID -> UE */
	/* Downlink PDUs refused with -SEN_EAGAIN (send buffer full) and every later one while
	 * any waits, in order; sent from the writable callback (ngap-path.c). Cleared by
	 * amf_ngap_txq_clear() when the association goes, and by amf_gnb_free(). */
	struct amf_ngap_txmsg *txq_head, *txq_tail;
	size_t txq_bytes, txq_len;
	struct amf_gnb *next, *prev; /* amf->gnbs */
};

/* ---- UE ------------------------------------------------------------------------------------ */

/* 5GMM states of one UE (gmm-sm.c has the table of what each accepts). */
enum gmm_state {
	GMM_DEREGISTERED = 0,	/* no procedure running, not registered */
	GMM_IDENTIFYING,	/* Identity Request sent, T3570 (TS 24.501 5.4.3) */
	GMM_AUTH_WAIT_AUSF,	/* Nausf ue-authentications pending */
	GMM_AUTHENTICATING,	/* Authentication Request sent, T3560 (5.4.1.3) */
	GMM_AUTH_WAIT_CONFIRM,	/* Nausf 5g-aka-confirmation pending */
	GMM_SECURITY_MODE,	/* Security Mode Command sent, T3560 (5.4.2) */
	GMM_WAIT_UDM,		/* Nudm UECM registration / SDM pending */
	GMM_WAIT_REG_COMPLETE,	/* Registration Accept sent, T3550 (5.5.1.2.4) */
	GMM_REGISTERED,		/* 5GMM-REGISTERED */
	GMM_DEREG_INITIATED,	/* network Deregistration Request sent, T3522 (5.5.2.3) */
	GMM_RELEASING,		/* procedure ended (reject, abort): waiting for N2 release */
	GMM_N_STATES
};

/* The NAS retransmission timer of a UE (TS 24.501 10.2): T3550, T3560, T3570 or T3522, one
 * at a time (each guards a step of one 5GMM procedure, and a UE runs one procedure at a
 * time: timer.c). The message is kept plain and protected again (with a new NAS COUNT) on
 * every retransmission; the plain copy is malloc'd, of its own length, when the timer
 * starts and freed when it stops. */
struct amf_nas_timer {
	struct sen_timer timer;
	struct amf_ue *ue;
	uint8_t which; /* enum amf_timer_id; AMF_N_TIMERS when none runs */
	uint8_t expiries;
	uint8_t sht; /* security header type to send with; 0 = as the context allows */
	uint16_t len;
	uint8_t *plain; /* NULL when not running (or no memory: expiries without retransmission) */
};

enum amf_timer_id { AMF_T3550 = 0, AMF_T3560, AMF_T3570, AMF_T3522, AMF_N_TIMERS };

/* PDU session IDs 1..15 (TS 24.007 11.2.3.1b). */
#define AMF_MAX_PSI 15
#define AMF_MAX_SUB_DNN 8
/* Longest URI kept for a UE (SM context reference, 5G AKA confirmation link), with NUL. */
#define AMF_URI_MAX 256

/*
 * One PDU session of a UE as the AMF knows it: the PDU session routing context of TS 24.501
 * 5.4.5.2.2 (PSI -> SMF SM context), allocated when the create is sent (amf_sess_new), its
 * smContextRef when the SMF answered 201 (TS 29.502 5.2.2.2), freed on release
 * (amf_sess_free). A UE's sessions are a list (ue->sess), found by PSI with amf_sess_get.
 */
struct amf_sess {
	struct amf_sess *next; /* ue->sess */
	uint8_t psi;	     /* 1..AMF_MAX_PSI */
	bool has_ref;	     /* SM context created: ref is set */
	bool an_active;	     /* N2 resources set up at the gNB */
	struct sen_nas_snssai snssai;
	char *dnn;	     /* malloc'd, set before the create is sent */
	char *ref;	     /* malloc'd: the SM context URI (Location of the 201) */
	/*
	 * The gNB's answer to the PDU Session Resource Setup/Release (its N2 SM transfer)
	 * when it comes before the SMF's 201 has been handled: the SMF's N1N2MessageTransfer
	 * and its 201 travel on different connections, so the N2 request can reach the gNB,
	 * and its answer come back, first (TS 23.502 4.3.2.2.1 steps 11-15). Sent to the SMF
	 * once the smContextRef is known. malloc'd; freed by amf_sess_free().
	 */
	uint8_t *pend_n2;
	size_t pend_len;
	char pend_type[24];
};

/* The routing context of PSI psi (1..AMF_MAX_PSI) of ue, NULL when there is none. */
struct amf_sess *amf_sess_get(struct amf_ue *ue, unsigned psi);
/* A new, empty routing context for psi (which must have none). NULL when out of memory. */
struct amf_sess *amf_sess_new(struct amf_ue *ue, unsigned psi);
/* Drop the routing context of psi (if any), freeing what it owns. */
void amf_sess_free(struct amf_ue *ue, unsigned psi);

/* An NSSAI sized to its content (malloc'd array of n S-NSSAIs; NULL when n is 0). */
struct amf_nssai {
	uint8_t n;
	struct sen_nas_snssai *s;
};

/* SMF selection subscription data (TS 29.503 SmfSelectionSubscriptionData): DNNs per slice. */
struct amf_sub_dnn {
	struct sen_nas_snssai snssai;
	char dnn[64];
	bool is_default;
};

struct amf_smcall; /* nsmf.c: an Nsmf request in flight for one PDU session */

struct amf_ue {
	struct amf *amf;
	struct amf_ue *next, *prev; /* amf->ues */
	bool gone;		    /* released: waiting to be freed */
	char *tag;		    /* log tag: supi, ran, amf ids (malloc'd; NULL: none) */

	/* N2 binding (TS 38.413 9.3.3.1/9.3.3.2); gnb NULL when the UE is CM-IDLE */
	struct amf_gnb *gnb;
	uint32_t ran_ue_ngap_id;
	uint64_t amf_ue_ngap_id;
	uint16_t stream;
	bool ics_sent, ics_done;    /* Initial Context Setup */
	bool release_sent;	    /* UE Context Release Command sent */
	struct sen_timer release_guard;
	struct sen_nas_tai tai;	    /* from the User Location Information */
	uint64_t nr_cell_id;	    /* NR Cell Identity (36 bits) of the same */

	/* identities */
	char *supi;		/* malloc'd; NULL until known (amf_ue_set_supi) */
	char *suci;		/* string form (TS 29.571 Suci), malloc'd; held from the
				 * Registration Request / Identity Response until the SUPI is known */
	bool has_guti;
	uint32_t tmsi;		/* 5G-TMSI of the current 5G-GUTI */
	bool has_old_guti;
	uint32_t old_tmsi;	/* kept valid until Registration Complete (5.5.1.2.4) */
	char imeisv[17];

	/* 5GMM */
	enum gmm_state state;
	uint8_t reg_type;	/* 9.11.3.7: 1 initial, 2 mobility, 3 periodic, 4 emergency */
	bool follow_on;
	bool registered_once;	/* counted in the registered gauge */
	bool has_ue_sec_cap;
	struct sen_nas_ue_sec_cap ue_sec_cap;
	/* Requested NSSAI of the running registration: malloc'd, NULL when the UE sent none;
	 * freed with the subscribed NSSAI once the allowed NSSAI is computed. */
	struct sen_nas_nssai *requested_nssai;
	struct amf_nssai allowed_nssai;
	uint8_t reject_cause;

	/* 5G AKA (TS 33.501 6.1.3.2) */
	uint8_t ngksi;		/* key set identifier of the current / new context */
	uint8_t rand[16], autn[16], hxres_star[16];
	char *confirm_uri;	/* _links.5g-aka.href, malloc'd until the confirmation */
	uint8_t resyncs;	/* AUTS re-synchronisations in this procedure */
	uint8_t kamf[32];
	bool has_kamf;

	/* NAS security (TS 24.501 4.4) */
	struct sen_nas_sec_ctx sec;
	bool has_sec;		/* sec holds a context (maybe not yet taken into use) */
	bool sec_active;	/* Security Mode Complete received on this connection */
	uint8_t ia, ea;
	/* The new context of a running authentication / security mode control (gmm-auth.c):
	 * `sec` stays the current one until Security Mode Complete (TS 24.501 4.4.2.2,
	 * 5.4.2.4, 5.4.2.5); the SMC is protected with sec_new and SMC Complete verified with
	 * it. kamf is the new KAMF from the AUSF's confirmation on; prev_kamf the current one
	 * until then (restored on Security Mode Reject). */
	struct sen_nas_sec_ctx sec_new;
	bool has_sec_new;
	uint8_t ngksi_new;	/* ngKSI of the new context (Authentication Request, SMC) */
	uint8_t ue_ngksi;	/* ngKSI the UE indicated in its Registration Request */
	bool has_prev_kamf;
	uint8_t prev_kamf[32];
	bool rinmr;		/* the initial message was not verified: RINMR in the SMC */

	/* subscription (SDM) */
	uint64_t ambr_ul, ambr_dl; /* bit/s, 0 = unknown */
	struct sen_nas_nssai *subscribed_nssai; /* from the SDM answer until used; malloc'd */
	bool udm_registered;
	uint8_t sub_n_default;	/* the first sub_n_default of subscribed_nssai are the
				 * default S-NSSAIs (TS 29.503 defaultSingleNssais) */

	struct amf_nas_timer t;
	struct sen_sbi_xact *xact; /* the pending SBI request, cancelled on free */
	uint8_t sbi_step;	   /* which SBI call the answer belongs to */
	uint8_t nw_dereg_cause;	   /* network deregistration: 5GMM cause, 0 none */
	bool nw_dereg_rereg;	   /* network deregistration: "re-registration required" */

	/* CM-IDLE supervision (TS 24.501 5.3.7): the mobile reachable timer, then the implicit
	 * de-registration timer, on one sen_timer (timer.c, amf_ue_reach_start) */
	struct sen_timer reach;
	uint8_t reach_phase;	   /* 0 none, 1 mobile reachable, 2 implicit de-registration */

	/* PDU sessions (gmm-sess.c, nsmf.c) */
	struct amf_sess *sess;			/* PDU sessions (routing contexts), a list */
	struct amf_smcall *smcalls;		/* Nsmf requests in flight, cancelled on free */
	bool has_smf_sel;			/* sub_dnn is the subscription's */
	uint8_t n_sub_dnn;
	struct amf_sub_dnn *sub_dnn;		/* n_sub_dnn of them, malloc'd */
};

/* ---- the AMF -------------------------------------------------------------------------------- */

struct amf {
	struct sen_loop *loop;
	struct sen_config *file;
	struct amf_config cfg;
	uint8_t plmn[3];	/* home PLMN, TS 24.008 digit order */
	struct sen_nas_plmn nas_plmn;
	char snn[40];		/* serving network name (TS 24.501 9.12.1) */
	char sbi_authority[64]; /* our own SBI address for callbacks */
	char ausf_authority[64], udm_authority[64]; /* static peers when no NRF resolver */
	char smf_authority[64];
	char instance_id[SEN_NF_UUID_LEN]; /* nfInstanceId (servingNfId, amfInstanceId) */
	bool have_nrf, stopping;
	struct sen_nrf_cfg nrf_cfg;
	struct sen_nrf_client *nrf;

	struct sen_sctp_endpoint *sctp;
	struct sen_sbi_client *sbi;
	struct sen_sbi_server *sbi_server;

	struct amf_gnb *gnbs;
	struct amf_ue *ues;
	struct amf_ue *graveyard; /* released UEs freed on the next loop round */
	bool reap_posted;
	size_t n_gnbs, n_ues, n_registered;

	struct sen_hash *ue_by_amf_id, *ue_by_supi, *ue_by_tmsi;
	uint64_t next_amf_ue_ngap_id;
	uint32_t next_tmsi;
};

/* ---- context functions (context.c) --------------------------------------------------------- */

int amf_context_init(struct amf *amf);
void amf_context_fini(struct amf *amf); /* frees every UE and gNB (no messages sent) */

struct amf_gnb *amf_gnb_new(struct amf *amf, struct sen_sctp_assoc *assoc);
/* The association is gone: release the gNB's UEs (registered UEs stay, CM-IDLE) and free it. */
void amf_gnb_free(struct amf_gnb *gnb);

/* A new UE on gnb with the gNB's RAN UE NGAP ID; allocates an AMF UE NGAP ID. NULL when
 * out of memory or the RAN ID is taken on that gNB (-> *err). */
struct amf_ue *amf_ue_new(struct amf_gnb *gnb, uint32_t ran_ue_ngap_id, int *err);
/* Release a UE: detach it from every table, stop its timers, cancel its SBI request, and
 * free it on the next loop round. Safe to call twice and from inside its own handlers. */
void amf_ue_free(struct amf_ue *ue);
/* Drop the N2 binding (CM-IDLE). A UE that is not registered is freed. */
void amf_ue_n2_detach(struct amf_ue *ue);
/* Move the N2 binding of `from` (a fresh UE) onto `to` (a known 5GMM context) and free `from`. */
void amf_ue_adopt_n2(struct amf_ue *to, struct amf_ue *from);

struct amf_ue *amf_ue_by_amf_id(struct amf *amf, uint64_t amf_ue_ngap_id);
struct amf_ue *amf_ue_by_ran_id(struct amf_gnb *gnb, uint32_t ran_ue_ngap_id);
struct amf_ue *amf_ue_by_supi(struct amf *amf, const char *supi);
struct amf_ue *amf_ue_by_tmsi(struct amf *amf, uint32_t tmsi);

/* Set the SUPI (and drop the SUCI). 0, -SEN_EINVAL (too long) or -SEN_ENOMEM. */
int amf_ue_set_supi(struct amf_ue *ue, const char *supi);
/* Hold the SUCI of a Registration Request / Identity Response in its string form until the
 * SUPI is known. 0, -SEN_EINVAL (cannot be formatted) or -SEN_ENOMEM. */
int amf_ue_set_suci(struct amf_ue *ue, const struct sen_suci *suci);
/* Allocate a new 5G-GUTI (5G-TMSI); the previous one is kept as old until confirmed. */
int amf_ue_new_guti(struct amf_ue *ue);
/* Registration Complete: the old 5G-GUTI is no longer valid. */
void amf_ue_guti_confirmed(struct amf_ue *ue);
void amf_ue_update_tag(struct amf_ue *ue);
/* Count the UE as registered (or no longer) in the gauges. */
void amf_ue_set_registered(struct amf_ue *ue, bool registered);

/* Hold a copy of src in *dst (malloc'd; freed first). src NULL: *dst becomes NULL.
 * 0 or -SEN_ENOMEM (then *dst is NULL). */
int amf_nssai_hold(struct sen_nas_nssai **dst, const struct sen_nas_nssai *src);
/* Set the allowed NSSAI to the n S-NSSAIs of s, sized to them. n is at most
 * AMF_MAX_ALLOWED_NSSAI (the caller, gmm-reg.c add_slice(), caps it; the NAS and NGAP
 * builders rely on it): more is refused. 0, -SEN_EINVAL or -SEN_ENOMEM (then it is empty). */
int amf_ue_set_allowed_nssai(struct amf_ue *ue, const struct sen_nas_snssai *s, unsigned n);
/* Forget the SMF selection subscription data (sub_dnn). */
void amf_ue_drop_smf_sel(struct amf_ue *ue);

/* The 5G-GUTI of a UE as a NAS mobile identity. */
void amf_ue_guti(const struct amf_ue *ue, struct sen_nas_mobile_id *id);

/* ---- CM-IDLE supervision and local removal (timer.c, gmm-dereg.c) ---------------------- */

/* A REGISTERED UE entered CM-IDLE: (re)start the mobile reachable timer (TS 24.501 5.3.7).
 * On its expiry the implicit de-registration timer runs; on that one's expiry the UE is
 * deregistered locally (amf_ue_implicit_deregister). */
void amf_ue_reach_start(struct amf_ue *ue);
/* A NAS signalling connection is established for the UE: stop both timers (5.3.7). */
void amf_ue_reach_stop(struct amf_ue *ue);
/* Implicit de-registration (TS 24.501 5.3.7, TS 23.502 4.2.2.3.3): SM contexts released,
 * the context freed, no NAS message. */
void amf_ue_implicit_deregister(struct amf_ue *ue);
/* The UDM says the UE registered at another AMF (TS 23.502 4.2.2.2.2 step 14c): remove the
 * MM context without a NAS message; with release_sm the SM contexts are released at the SMFs
 * (initial registration elsewhere), else they are forgotten here (moved with the UE). */
void amf_ue_remove_moved(struct amf_ue *ue, bool release_sm);

#endif
