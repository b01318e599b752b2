/*
 * sen-ransim internals: one process simulating one or more gNBs and many UEs against a 5G
 * core. The UE NAS engine (ue.h) is driven by the gNB side here:
 *
 *   config.c      ransim.yaml, bound with lib/core/config schemas
 *   gnb.c         the gNB's NGAP: SCTP association, NG Setup, UE-associated logical
 *                 connections (looked up by RAN / AMF UE NGAP ID), the handlers of each
 *                 downlink message (TS 38.413 clause 8)
 *   ngap_build.c  the gNB's uplink NGAP messages (TS 38.413 9.2) and its send queue (PDUs
 *                 waiting for SCTP send space, in order)
 *   gtp.c         N3: the GTP-U endpoint (TS 29.281, PDU session container of TS 38.415),
 *                 per-session tunnels by DL TEID, TUN devices, IPv6 Router Solicitation /
 *                 Advertisement (RFC 4861), the built-in ICMP / ICMPv6 echo generator
 *   scenario.c    the per-UE procedure flow (register, PDU session, IPv6 router
 *                 solicitation, ping, hold, session release, de-register) at a given
 *                 rate, with a guard timer per procedure
 *   inject.c      --inject: faulty uplinks (replayed / unprotected / malformed NAS,
 *                 broken NGAP) sent by the first registered UE, and the answers seen
 *   stats.c       per-procedure counts and latencies; text and JSON reports
 *   main.c        the command line
 *
 * Everything runs on one sen_loop thread.
 */
#ifndef SEN_RANSIM_RANSIM_H
#define SEN_RANSIM_RANSIM_H

#include "core/config.h"
#include "core/loop.h"
#include "ue.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_hash;
struct sen_sctp_endpoint;
struct sen_sctp_assoc;
struct sen_ngap_pdu;

#define RS_MAX_SLICES  8
#define RS_MAX_GNBS    64
#define RS_PSI	       1 /* the PDU session every simulated UE establishes */
#define RS_NAME_MAX    48
#define RS_TUN_NAME    16 /* IFNAMSIZ */

/* ---- configuration (config.c) ---------------------------------------------------------- */

struct rs_slice {
	uint8_t sst;
	uint32_t sd; /* SEN_CFG_SD_NONE when absent */
};

struct rs_config {
	char file[256];
	struct sen_cfg_plmn plmn;
	uint32_t tac;
	size_t n_slices;
	struct rs_slice slices[RS_MAX_SLICES];
	int log_level; /* enum sen_log_level */
	struct {
		struct sen_cfg_ip addr;
		uint16_t port;	   /* SCTP port, 38412 */
		int transport;	   /* enum sen_sctp_transport */
		uint16_t udp_port; /* the AMF's SCTP-over-UDP port (RFC 6951) */
		uint32_t connect_timeout_ms;
	} amf;
	struct {
		uint32_t id;	   /* gNB ID of the first gNB (TS 38.413 9.3.1.6) */
		uint8_t id_bits;   /* 22..32 */
		char name[RS_NAME_MAX];
		uint32_t count;	   /* gNBs simulated: ids id, id + 1, ... */
		uint32_t cell;	   /* local cell id: NR cell identity = gNB ID << (36 - bits) | cell */
		int paging_drx;	   /* enum sen_ngap_paging_drx */
		uint16_t streams;  /* SCTP streams requested (TS 38.412 7: >= 2) */
		uint16_t udp_port; /* our SCTP-over-UDP port */
		uint32_t sctp_sndbuf; /* SCTP send buffer, bytes (lib/sctp sndbuf) */
		struct sen_cfg_ip n3; /* N3 address: GTP-U endpoint and the DL tunnel address */
		uint16_t gtpu_port;   /* our GTP-U port, 2152 */
		uint16_t upf_port;    /* the UPF's GTP-U port, 2152 (only tests change it) */
	} gnb;
	struct {
		char supi[32]; /* the first UE's SUPI, "imsi-<15 digits>" */
		uint8_t k[16], op[16]; /* op: OPc when op_is_opc (bound from opc / op) */
		uint8_t opc_in[16];
		bool op_is_opc;
		uint8_t amf[2];
		uint64_t sqn;
		int suci_scheme; /* enum sen_suci_scheme */
		uint8_t hn_key_id;
		uint8_t hn_pub[65];
		size_t hn_pub_len;
		char routing_indicator[5];
		char dnn[64];
		char imeisv[17]; /* "" = derived by the UE engine */
		int pdu_type;	 /* enum sen_nas_pdu_type: IPv4, IPv6 or IPv4v6 */
	} ue;
	bool tun;			/* a TUN device per established session */
	char tun_prefix[RS_TUN_NAME - 4]; /* "uesimtun" -> uesimtun0, uesimtun1, ... */
	uint32_t procedure_timeout_ms;	/* guard on every procedure */
};

/*
 * Read and bind `path`. Returns 0, or -SEN_ECONFIG / -SEN_EIO / -SEN_ENOMEM with one line in
 * err ("file:line: key: problem"). Keys are never echoed.
 */
int rs_config_load(const char *path, struct rs_config *cfg, char *err, size_t errlen);

/* ---- statistics (stats.c) --------------------------------------------------------------- */

enum rs_proc {
	RS_PROC_NG_SETUP = 0,
	RS_PROC_REGISTRATION,
	RS_PROC_PDU_SESSION,
	RS_PROC_RA,	 /* IPv6: Router Solicitation sent -> Router Advertisement with a /64 */
	RS_PROC_PING,
	RS_PROC_RELEASE, /* UE-requested PDU session release */
	RS_PROC_DEREGISTRATION,
	RS_PROC_N
};

#define RS_MAX_ADDR_REPORT 32 /* sessions whose addresses the report lists */

struct rs_samples {
	uint64_t ok, fail;
	uint32_t *us; /* latencies of the successes, microseconds */
	size_t n, cap;
};

/* 5GMM STATUS causes kept per --inject kind (the first ones; the count says how many came). */
#define RS_INJ_CAUSES 4

/* --inject kinds (bits of rs_opts.inject), in the order they are sent. */
enum rs_inject {
	RS_INJ_REPLAY = 0, /* the last integrity-protected uplink NAS PDU again, same COUNT */
	RS_INJ_PLAIN,	   /* a plain 5GMM STATUS after security is in use */
	RS_INJ_BAD_NAS,	   /* protected UL NAS Transport, payload container cut short */
	RS_INJ_BAD_NGAP,   /* an NGAP PDU that does not decode, on the UE's stream */
	RS_INJ_N
};

struct rs_stats {
	struct rs_samples proc[RS_PROC_N];
	bool used[RS_PROC_N]; /* shown in the report */
	uint64_t gtp_ul_packets, gtp_dl_packets, gtp_dl_dropped;
	uint64_t kgnb_mismatch;
	uint64_t error_indications;
	/* NGAP PDUs that waited for SCTP send space (gNB send queue), the most waiting at
	 * once, and those dropped (queue over RS_TXQ_MAX, or the association went down) */
	uint64_t ngap_queued, ngap_queue_peak, ngap_queue_dropped;
	struct {
		uint64_t sent, not_sent;
		uint64_t gmm_status, error_indication; /* answers seen after it (until the next) */
		uint8_t gmm_causes[RS_INJ_CAUSES]; /* the 5GMM causes of the first STATUS answers */
	} inject[RS_INJ_N];
	/* the addresses the first RS_MAX_ADDR_REPORT sessions got (texts, "" when none) */
	unsigned n_addrs;
	struct {
		char supi[32];
		uint8_t pdu_type; /* enum sen_nas_pdu_type of the Accept */
		uint8_t cause;	  /* 5GSM cause of the Accept (#50 ...), 0: none */
		char ipv4[16];
		char iid[24];	  /* "::1234" */
		char ipv6[48];	  /* prefix::iid, once a Router Advertisement gave the /64 */
	} addrs[RS_MAX_ADDR_REPORT];
	unsigned n_failures; /* lines kept in failures[] */
	struct {
		char supi[32];
		enum rs_proc proc;
		char why[96];
	} failures[32];
};

const char *rs_proc_name(enum rs_proc p); /* "registration" ... */
const char *rs_inject_name(enum rs_inject k); /* "replay" ... */
uint64_t rs_now_us(void);		   /* CLOCK_MONOTONIC in microseconds */
void rs_stats_ok(struct rs_stats *s, enum rs_proc p, uint64_t us);
void rs_stats_fail(struct rs_stats *s, enum rs_proc p, const char *supi, const char *why);
/* A slot in s->addrs for a session of supi (-1 when the list is full). */
int rs_stats_addr_slot(struct rs_stats *s, const char *supi);
/* p50 / p99 of the successes (nearest rank), in microseconds; 0 when there are none. */
uint32_t rs_stats_pct(struct rs_samples *smp, unsigned pct);
bool rs_stats_failed(const struct rs_stats *s); /* any failure counted */
/* Print the report: a table, or one JSON object (json). */
void rs_stats_print(struct rs_stats *s, bool json, unsigned n_gnbs, unsigned n_ues,
		    uint64_t elapsed_us);
void rs_stats_free(struct rs_stats *s);

/* ---- the simulator's objects ------------------------------------------------------------ */

struct rs;
struct rs_gnb;
struct rs_ue;

/* One NGAP UE-associated logical NG-connection (TS 38.413 8.1: from the Initial UE Message
 * until UE Context Release). */
struct rs_conn {
	struct rs_gnb *gnb;
	struct rs_ue *ue; /* NULL once the UE went away (released locally) */
	uint32_t ran_id;
	uint64_t amf_id;
	bool has_amf_id;
	uint16_t stream; /* TS 38.412 7: one stream per UE, never stream 0 */
	bool context_setup; /* Initial Context Setup done: AS security "active" */
};

/* One PDU session's user plane at the gNB. */
struct rs_session {
	bool nas_active;   /* the UE engine reported the session established */
	bool tunnel;	   /* resources set up by PDU Session Resource Setup */
	uint8_t qfi;	   /* from the setup request's QoS flow (default flow) */
	uint32_t ul_teid;  /* the UPF's N3 TEID */
	struct sockaddr_in upf;
	uint32_t dl_teid;  /* ours */
	uint8_t ipv4[4];   /* the UE's address */
	uint8_t pdu_type;  /* of the Accept (enum sen_nas_pdu_type) */
	bool has_v4, has_v6;
	uint8_t iid[8];	   /* IPv6 interface identifier from the PDU address */
	bool v6_ready;	   /* a Router Advertisement gave the /64: ipv6 is usable */
	uint8_t ipv6[16];  /* prefix::iid */
	unsigned rs_sent;  /* Router Solicitations sent */
	struct sen_timer rs_timer;
	int addr_slot;	   /* index in stats.addrs, -1: none */
	int tun_fd;	   /* -1: none */
	char tun_name[RS_TUN_NAME];
	/* ping generator */
	uint16_t ping_id;
	uint16_t ping_sent, ping_recv;
	bool ping_active, ping_final;
	uint64_t ping_t0[64]; /* send time of seq % 64 */
	struct sen_timer ping_timer;
};

enum rs_step {
	RS_STEP_WAIT = 0,     /* not launched yet */
	RS_STEP_REGISTER,
	RS_STEP_SESSION,
	RS_STEP_RA,	 /* IPv6 / IPv4v6 sessions: learn the /64 */
	RS_STEP_PING,
	RS_STEP_RELEASE, /* --release */
	RS_STEP_HOLD,
	RS_STEP_DEREGISTER,
	RS_STEP_DONE,
	RS_STEP_NEXT, /* between steps: the kick timer moves it on */
};

struct rs_ue {
	struct rs *rs;
	unsigned idx;
	char supi[32];
	char tag[96]; /* log tag */
	struct sen_ue *ue;
	struct rs_gnb *gnb;
	struct rs_conn *conn; /* NULL in 5GMM-IDLE */
	enum rs_step step;
	uint64_t t_start;     /* start of the current procedure, us */
	bool failed;
	bool kgnb_mismatch;
	bool registered;
	bool svc_pending;     /* SESSION / RELEASE: waiting for Service Accept */
	enum rs_step next;    /* the step the kick timer starts */
	char why[96];	      /* what went wrong last (authentication failure ...) */
	struct sen_timer guard; /* procedure timeout */
	struct sen_timer hold;
	struct sen_timer kick; /* 0 ms: leaves the UE engine's callbacks before acting */
	struct rs_session sess;
	uint8_t *last_prot; /* --inject: the last integrity-protected uplink NAS PDU */
	size_t last_prot_len;
};

/* An NGAP PDU waiting in a gNB's send queue for SCTP send space (ngap_build.c). */
struct rs_txmsg {
	struct rs_txmsg *next;
	uint16_t stream;
	uint32_t len;
	uint8_t data[];
};

/* Bytes of NGAP PDUs one gNB's send queue may hold (~1M UL NAS Transports). */
#define RS_TXQ_MAX (128u << 20)

enum rs_gnb_state {
	RS_GNB_CONNECTING = 0,
	RS_GNB_SETUP,	  /* NG Setup Request sent */
	RS_GNB_READY,
	RS_GNB_FAILED,	  /* NG Setup Failure or no answer */
	RS_GNB_DOWN,
};

struct rs_gnb {
	struct rs *rs;
	unsigned idx;
	uint32_t gnb_id;
	uint64_t nci; /* NR cell identity, 36 bits */
	uint8_t plmn[3], tac[3];	 /* as NGAP carries them */
	uint8_t id_bits[4], nci_bits[5]; /* gNB ID and NR cell identity, left-aligned */
	char name[RS_NAME_MAX + 8];
	enum rs_gnb_state state;
	struct sen_sctp_endpoint *ep;
	struct sen_sctp_assoc *assoc;
	uint16_t out_streams;
	uint32_t next_ran_id;
	struct sen_hash *by_ran; /* RAN UE NGAP ID -> struct rs_conn */
	struct sen_hash *by_amf; /* AMF UE NGAP ID -> struct rs_conn */
	uint64_t t_setup;
	struct sen_timer guard;
	char fail_why[128];
	/* NGAP PDUs the association refused (send buffer full), oldest first; once one
	   waits, every later PDU queues behind it, so no UE's messages overtake each other */
	struct rs_txmsg *txq_head, *txq_tail;
	size_t txq_bytes;
	uint64_t txq_len;
};

struct rs_opts {
	unsigned ues;
	bool reg, session, dereg, json, tun, release;
	int pdu_type;	  /* --pdu-type (enum sen_nas_pdu_type); 0: ue.pdu_type of the config */
	double rate;	  /* new UEs per second */
	double duration;  /* seconds to hold the UEs up before de-registering */
	const char *ping; /* host of the ICMP echo generator, NULL: none */
	unsigned count;	  /* echo requests per UE */
	unsigned interval_ms;
	unsigned inject;  /* bits 1 << enum rs_inject */
};

struct rs {
	struct sen_loop *loop;
	const struct rs_config *cfg;
	struct rs_opts opts;
	struct rs_stats stats;
	unsigned n_gnbs;
	struct rs_gnb gnbs[RS_MAX_GNBS];
	unsigned n_ues;
	struct rs_ue *ues;
	unsigned launched, done, gnbs_settled, signals;
	uint64_t t_launch0;
	struct sen_timer launcher, drain;
	unsigned drain_ticks;
	struct in_addr ping_dst;
	bool ping_v6; /* --ping names an IPv6 host: ping_dst6 */
	struct in6_addr ping_dst6;
	/* N3 */
	int gtp_fd;
	struct sen_hash *by_teid; /* DL TEID -> struct rs_ue */
	uint32_t next_teid;
	/* --inject */
	struct rs_ue *injector; /* the first UE that registered */
	int inj_last;		/* the kind sent last, -1: none yet */
	unsigned inj_next;	/* the kind to try next */
	struct sen_timer inj_timer;
	bool stopping;
	int exit_code; /* set when the run must end early (NG Setup failed ...) */
};

/* ---- gnb.c ------------------------------------------------------------------------------ */

/* Create gNB i's endpoint and start its association (NG Setup follows when it is up). */
int rs_gnb_start(struct rs *rs, unsigned i);
void rs_gnb_stop(struct rs_gnb *g);
/* Carry an uplink NAS PDU of ue: Initial UE Message (SEN_UE_UL_INITIAL) or UL NAS
 * Transport. Returns 0 or a negative code (no connection, send failed). */
int rs_gnb_uplink(struct rs_ue *ue, const uint8_t *nas, size_t len, unsigned flags);
/* Forget a UE's connection locally (no message): used when the UE object goes away. */
void rs_gnb_conn_free(struct rs_conn *c);

/* ---- ngap_build.c ----------------------------------------------------------------------- */

/* Encode and send `pdu` on `stream`; when the association's send buffer is full (or
 * PDUs already wait) it is queued and sent by rs_ngap_flush(). Returns 0 (sent or
 * queued) or a negative code (not sent: no association, encoding, queue over RS_TXQ_MAX). */
int rs_ngap_send(struct rs_gnb *g, uint16_t stream, const struct sen_ngap_pdu *pdu);
/* Send what waits in g's queue, in order, until the association refuses again (its
 * writable callback calls this again later). */
void rs_ngap_flush(struct rs_gnb *g);
/* Drop g's queue (association down or restarted, gNB stopped); counts what is dropped. */
void rs_ngap_txq_clear(struct rs_gnb *g);
/* Wrap message struct `msg` of (kind, procedure) in a PDU and send it. */
int rs_ngap_send_msg(struct rs_gnb *g, uint16_t stream, unsigned kind, unsigned proc,
		     const void *msg);
int rs_ngap_ng_setup_request(struct rs_gnb *g);
int rs_ngap_initial_ue_message(struct rs_conn *c, const uint8_t *nas, size_t len);
int rs_ngap_uplink_nas(struct rs_conn *c, const uint8_t *nas, size_t len);
int rs_ngap_error_indication(struct rs_gnb *g, uint16_t stream, const uint64_t *amf_id,
			     const uint32_t *ran_id, unsigned cause_kind, uint8_t cause);
struct sen_ngap_uli;
struct sen_ngap_ps_transfer;
/* Fill an NR User Location Information (NR CGI + TAI) of gNB g (points into g). */
void rs_ngap_fill_uli(const struct rs_gnb *g, struct sen_ngap_uli *u);
/* Responses (TS 38.413 9.2): lists of {PSI, transfer} for the set-up / failed sessions. */
int rs_ngap_ics_response(struct rs_conn *c, struct sen_ngap_ps_transfer *ok, unsigned n_ok,
			 struct sen_ngap_ps_transfer *failed, unsigned n_failed);
int rs_ngap_pdu_setup_response(struct rs_conn *c, struct sen_ngap_ps_transfer *ok,
			       unsigned n_ok, struct sen_ngap_ps_transfer *failed,
			       unsigned n_failed);
int rs_ngap_pdu_release_response(struct rs_conn *c, const uint8_t *psis, unsigned n);
int rs_ngap_release_complete(struct rs_conn *c, const uint8_t *psis, unsigned n);
const char *rs_ngap_cause_str(unsigned kind, unsigned value, char *buf, size_t len);

/* ---- inject.c --------------------------------------------------------------------------- */

/* Parse "replay,plain,bad-nas,bad-ngap" (or "all") into rs_opts.inject bits; -1 if bad. */
int rs_inject_parse(const char *arg, unsigned *bits);
void rs_inject_init(struct rs *rs);
void rs_inject_free(struct rs *rs);
/* An uplink NAS PDU of ue went out (kept when it is integrity protected). */
void rs_inject_uplink(struct rs_ue *ue, const uint8_t *nas, size_t len);
/* ue registered: the first one starts the injections. */
void rs_inject_registered(struct rs_ue *ue);
/* Answers: a 5GMM STATUS reached ue; an Error Indication reached gNB g. */
void rs_inject_gmm_status(struct rs_ue *ue, uint8_t cause);
void rs_inject_error_indication(struct rs_gnb *g);

/* ---- gtp.c ------------------------------------------------------------------------------ */

/* Open the N3 GTP-U socket on cfg->gnb.n3:gtpu_port. */
int rs_gtp_open(struct rs *rs);
void rs_gtp_close(struct rs *rs);
/* Tunnel of ue's session: allocate the DL TEID (and register it). */
int rs_gtp_tunnel_add(struct rs_ue *ue);
void rs_gtp_tunnel_del(struct rs_ue *ue);
/* The session is usable (tunnel + UE address): open the TUN device if asked. */
int rs_gtp_session_up(struct rs_ue *ue);
void rs_gtp_session_down(struct rs_ue *ue);
/* Start sending opts.count echo requests; done via rs_scenario_ping_done(). */
int rs_gtp_ping_start(struct rs_ue *ue);
void rs_gtp_ping_stop(struct rs_ue *ue);
/* Send Router Solicitations (RFC 4861 6.3.7) until a Router Advertisement with a /64
 * arrives; done via rs_scenario_ra_done(). */
int rs_gtp_rs_start(struct rs_ue *ue);
void rs_gtp_rs_stop(struct rs_ue *ue);

/* ---- scenario.c ------------------------------------------------------------------------- */

int rs_scenario_init(struct rs *rs);
void rs_scenario_free(struct rs *rs);
/* SIGINT / SIGTERM: launch no more UEs, end the holds (de-registration still runs). */
void rs_scenario_stop(struct rs *rs);
/* A gNB finished NG Setup (ok) or failed; the launcher starts when all are settled. */
void rs_scenario_gnb_settled(struct rs *rs);
/* The gNB lost a UE's connection (association down, released): tell the UE engine. */
void rs_scenario_conn_lost(struct rs_ue *ue);
/* Initial Context Setup checked the key: mismatch counts against the registration. */
void rs_scenario_kgnb(struct rs_ue *ue, bool match);
/* The session's tunnel changed (set up or released by the AMF). */
void rs_scenario_tunnel(struct rs_ue *ue);
void rs_scenario_ping_done(struct rs_ue *ue);
/* The Router Solicitation step ended: a /64 was learnt (why NULL) or not (why). */
void rs_scenario_ra_done(struct rs_ue *ue, const char *why);
/* Mark the current procedure failed with a reason and move the UE to its end. */
void rs_scenario_fail(struct rs_ue *ue, const char *why);

#endif
