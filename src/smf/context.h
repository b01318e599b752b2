/*
 * sen-smf internals: configuration, the SMF state (UPF nodes, SM contexts), and the
 * functions the files of src/smf share. One file per interface, as in the other NFs:
 *
 *   config.c      the `smf` section (docs/configuration.md, "smf")
 *   context.c     SM contexts: creation, lookup by smContextRef / SUPI+PSI / SEID, release
 *   ippool.c      UE IPv4 pools and IPv6 /64 prefix pools (O(1))
 *   multipart.c   multipart/related bodies (TS 29.500 6.1.2.2.2)
 *   n4.c          PFCP path to the UPFs: association, heartbeat, T1/N1 retransmission,
 *                 session establishment / modification / deletion, reports (TS 29.244)
 *   build.c       5GSM messages (TS 24.501 8.3) and N2 SM transfers (TS 38.413 9.3.4)
 *   nsmf.c        Nsmf_PDUSession SM context service (TS 29.502 5.2.2, TS 23.502 4.3.2,
 *                 4.3.4)
 *   sbi-path.c    the SMF as SBI consumer: Nudm-SDM, Namf-Communication N1N2MessageTransfer,
 *                 SM context status notifications, NRF registration and the resolver
 *   smf.c         the NF module (init / start / stop / free) and metrics
 *
 * Everything runs on the module's loop thread.
 */
#ifndef SEN_SMF_CONTEXT_H
#define SEN_SMF_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/config.h"
#include "core/hash.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "ippool.h"
#include "pfcp/pfcp.h"
#include "sbi/nrf_client.h"
#include "sbi/sbi.h"

#define SMF_LOG "smf"
#define N4_LOG	"smf-n4"

#define SMF_MAX_DNN	16
#define SMF_MAX_DNS	4
#define SMF_MAX_UPF	8
#define SMF_DNN_MAX	100 /* TS 23.003 9.1 */
#define SMF_SUPI_MAX	64
#define SMF_URI_MAX	256
#define SMF_DEFAULT_QFI 1

/*
 * N4 flow control (see n4.c): PFCP session requests in flight per UPF (more wait in order),
 * the socket buffers asked for, and the retry of a quarantined Session Deletion.
 */
#define SMF_N4_WINDOW	     256
#define SMF_N4_SOCKBUF	     (8 << 20)
#define SMF_QUARANTINE_RETRY 5000 /* ms (jittered) between Session Deletion retries */
#define SMF_QUARANTINE_TRIES 60	  /* then kept until the UPF restarts or re-associates */
#define SMF_QUARANTINE_MAX   600  /* s: default smf.quarantine_max, the longest quarantine */

/* ---- configuration ---- */

struct smf_dnn_cfg {
	const char *name;
	struct sen_cfg_prefix ipv4_pool;
	struct sen_cfg_prefix ipv6_prefix; /* family 0 when absent */
	size_t n_dns;
	struct sen_cfg_ip dns[SMF_MAX_DNS];
	uint16_t mtu;
};

struct smf_upf_cfg {
	struct sen_cfg_addr pfcp; /* IPv4, port 8805 by default */
	size_t n_dnn;		  /* 0: every DNN */
	const char *dnn[SMF_MAX_DNN];
	size_t n_slices; /* 0: every slice */
	struct sen_cfg_slice slices[SEN_CFG_MAX_SLICES];
};

struct smf_cfg {
	struct sen_cfg_addr sbi;
	struct sen_cfg_addr pfcp; /* IPv4, port 8805 by default */
	size_t n_dnn;
	struct smf_dnn_cfg dnn[SMF_MAX_DNN];
	size_t n_upf;
	struct smf_upf_cfg upf[SMF_MAX_UPF];
	size_t n_slices;
	struct sen_cfg_slice slices[SEN_CFG_MAX_SLICES];
	uint16_t heartbeat;	 /* s between PFCP Heartbeat Requests; 0: none */
	uint32_t t1;		 /* ms: PFCP response timer (TS 29.244 6.4) */
	uint8_t n1;		 /* PFCP retransmissions */
	uint32_t assoc_retry;	 /* ms between Association Setup attempts */
	uint32_t quarantine_max; /* s: a quarantined UE address returns to the pool after it */
};

/*
 * Bind the `smf` section into *c (and, without smf.upf, the upf section's pfcp address).
 * Returns 0 or -SEN_ECONFIG with "file:line: smf.key: problem" in err.
 */
int smf_cfg_bind(struct sen_config *cfg, struct smf_cfg *c, char *err, size_t errlen);

/* ---- state ---- */

struct smf;
struct smf_sess;
struct smf_n4_xact;
struct smf_n4_orphan;

struct smf_dnn {
	const struct smf_dnn_cfg *cfg;
	struct smf_ippool pool;
	struct smf_ip6pool pool6;    /* len 0: no ipv6_prefix */
	uint8_t dns[SMF_MAX_DNS][4]; /* IPv4 DNS servers for the ePCO */
	size_t n_dns4;
	uint8_t dns6[SMF_MAX_DNS][16]; /* IPv6 DNS servers for the ePCO */
	size_t n_dns6;
	uint8_t mtu[2];
};

enum smf_upf_state { UPF_IDLE, UPF_ASSOCIATING, UPF_ASSOCIATED };

struct smf_upf {
	struct smf *smf;
	const struct smf_upf_cfg *cfg;
	char name[32]; /* "10.99.3.1" */
	enum smf_upf_state state;
	struct sen_timer timer; /* association retry / heartbeat */
	struct smf_n4_xact *hb, *assoc;
	uint32_t recovery_ts; /* the UPF's, from Association Setup Response */
	uint8_t ftup;	      /* UP function features: F-TEID allocation by the UPF */
	size_t n_sess;
	/* flow control (n4.c): session requests sent and unanswered, and those waiting */
	unsigned n_inflight;
	struct smf_n4_xact *q_head, *q_tail;
	size_t n_queued;
	/* UP sessions whose SM context is gone but whose deletion the UPF has not confirmed:
	 * they hold the UE addresses (quarantine) */
	struct smf_n4_orphan *orphans;
};

/* Where an SM context is (TS 23.502 4.3.2.2.1, 4.3.4.2). */
enum smf_sess_state {
	SESS_SDM,	 /* waiting for the UDM's sm-data */
	SESS_N4_EST,	 /* PFCP Session Establishment sent */
	SESS_N1N2,	 /* N1N2MessageTransfer sent */
	SESS_ACTIVATING, /* waiting for the N2 PDU Session Resource Setup Response Transfer */
	SESS_N4_MOD,	 /* PFCP Session Modification sent (gNB tunnel / deactivation) */
	SESS_ACTIVE,
	SESS_INACTIVE,	/* user plane deactivated (DL buffered at the UPF) */
	SESS_RELEASING, /* PFCP Session Deletion sent */
	SESS_RELEASED,	/* N1/N2 release commands out; waiting for the UE / gNB answers */
};

struct smf_sess {
	struct smf *smf;
	uint32_t ref; /* smContextRef; also the CP SEID */
	char ref_str[12];
	char supi[SMF_SUPI_MAX + 1];
	char tag[96]; /* log tag: supi and PSI */
	uint8_t psi, pti;
	char dnn_name[SMF_DNN_MAX + 1];
	struct smf_dnn *dnn;
	struct sen_cfg_slice snssai;
	enum smf_sess_state state;
	uint8_t req_pdu_type; /* 5GSM PDU session type the UE asked for (enum sen_nas_pdu_type) */
	uint8_t pdu_type;     /* the type selected (TS 24.501 6.4.1.3): IPv4, IPv6 or IPv4v6 */
	uint8_t accept_cause; /* 5GSM cause in the Accept (#50 IPv4 only allowed), 0: none */
	bool want_dns, want_dns6, want_mtu; /* ePCO container requests (TS 24.008 10.5.6.3) */
	/* subscription (TS 29.503 DnnConfiguration) */
	uint8_t qi5, arp_prio, arp_cap, arp_vuln;
	uint64_t ambr_ul, ambr_dl; /* bit/s */
	bool has_static_ip;
	uint32_t static_ip;
	/* user plane */
	uint32_t ue_ip;	    /* host order, 0: none */
	bool has_ip6;	    /* a /64 from the DNN's ipv6_prefix */
	uint8_t ue_ip6[16]; /* the /64 prefix (octets 0-7) and the interface identifier (8-15) */
	struct smf_upf *upf;
	uint64_t up_seid;
	uint32_t ul_teid; /* UPF N3 F-TEID */
	uint8_t ul_addr[4];
	uint32_t dl_teid; /* gNB N3 tunnel */
	uint8_t dl_addr[4];
	bool dl_known;
	uint8_t ni[SMF_DNN_MAX + 2]; /* the DNN as DNS labels: Network Instance, APN/DNN */
	size_t ni_len;
	char status_uri[SMF_URI_MAX]; /* smContextStatusUri ("" if none) */
	/* what is pending: at most one SBI request, one PFCP request, one held answer */
	struct sen_sbi_xact *sbi_x;
	struct smf_n4_xact *n4_x;
	void (*n4_cb)(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg);
	struct sen_sbi_stream *st;
	int pending_cause; /* N1 release: 5GSM cause of the Release Request */
};

struct smf_metrics {
	struct sen_metric_series *creq, *csucc, *sessions, *assoc, *n4_req, *n4_fail;
	struct sen_metric_series *addr4, *addr6; /* UE addresses / prefixes in use */
	struct sen_metric_series *quarantined;	 /* sessions whose addresses are held */
	struct sen_metric *cfail;		 /* {cause} */
};

struct smf {
	struct sen_loop *loop;
	struct sen_config *config;
	struct smf_cfg c;
	char sbi_addr[64], authority[80], api_root[96];
	char pfcp_addr[16];
	size_t n_dnn;
	struct smf_dnn dnn[SMF_MAX_DNN];
	size_t n_upf;
	struct smf_upf upf[SMF_MAX_UPF];
	/* SBI */
	struct sen_sbi_server *srv;
	struct sen_sbi_client *client;
	struct sen_nrf_client *nrf;
	bool have_nrf;
	struct sen_cfg_nrf nrf_cfg;
	char udm_authority[80], amf_authority[80]; /* static peers without an NRF */
	char nf_instance_id[40];
	/* N4 */
	int n4_fd;
	uint32_t n4_seq;
	uint32_t recovery_ts;
	struct sen_hash *n4_xacts; /* seq -> xact */
	struct sen_pfcp_msg *tx, *rx;
	unsigned n4_window;	    /* session requests in flight per UPF (SMF_N4_WINDOW) */
	uint32_t quarantine_retry;  /* ms (SMF_QUARANTINE_RETRY) */
	uint32_t quarantine_max_ms; /* ms; 0: c.quarantine_max s (tests set it directly) */
	uint64_t n4_rng;	    /* xorshift state: T1 jitter */
	size_t n_quarantined;	    /* orphans whose deletion or establishment went unanswered */
	/* sessions */
	uint32_t next_ref;
	struct sen_hash *by_ref; /* ref -> sess */
	struct sen_hash *by_psi; /* "supi/psi" -> sess */
	struct smf_metrics m;
	bool stopping;
};

/* ---- context.c ---- */

/* A new SM context for supi/psi (registered in the tables), or NULL (out of memory). */
struct smf_sess *smf_sess_new(struct smf *smf, const char *supi, uint8_t psi);
struct smf_sess *smf_sess_by_ref(struct smf *smf, const char *ref);
struct smf_sess *smf_sess_by_seid(struct smf *smf, uint64_t seid);
struct smf_sess *smf_sess_by_psi(struct smf *smf, const char *supi, uint8_t psi);
/*
 * Free the context: cancel its SBI and PFCP requests (an Establishment in flight is handed
 * to an orphan with the addresses, smf_n4_abandon), answer a held stream with 500, release
 * its IP address, drop it from the tables. It must no longer be used.
 */
void smf_sess_free(struct smf_sess *s);
/* Release the UE address and IPv6 prefix of s (idempotent). */
void smf_sess_release_ip(struct smf_sess *s);
/* "10.45.0.2", "2001:db8:cafe:1::/64 iid ::1" or both: the session's addresses for logs. */
void smf_sess_addr_text(const struct smf_sess *s, char *out, size_t cap);
/* The configured DNN of that name (case-insensitive), or NULL. */
struct smf_dnn *smf_dnn_find(struct smf *smf, const char *name);
/* True if the SMF serves slice s (smf.slices). */
bool smf_serves_slice(const struct smf *smf, const struct sen_cfg_slice *s);
/* The first associated UPF serving dnn and slice, or NULL. */
struct smf_upf *smf_upf_select(struct smf *smf, const char *dnn, const struct sen_cfg_slice *s);
void smf_update_gauges(struct smf *smf);

/* ---- n4.c ---- */

/* Answer of a PFCP request: rsp NULL when it timed out after N1 retransmissions. */
typedef void (*smf_n4_cb)(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg);

int smf_n4_open(struct smf *smf, char *err, size_t errlen);
void smf_n4_start_associations(struct smf *smf);
void smf_n4_close(struct smf *smf);
/* Cancel a pending request: its callback is not called. */
void smf_n4_cancel(struct smf *smf, struct smf_n4_xact *x);
/*
 * PFCP Session Establishment (TS 29.244 7.5.2) for s on s->upf: UL PDR (F-TEID CHOOSE, QFI,
 * outer header removal) -> FAR forward to core; DL PDR (UE IP) -> FAR buffer; QER (gate
 * open, MBR = session AMBR, QFI); URR (volume). cb gets the response. Returns 0 or -SEN_E….
 */
int smf_n4_establish(struct smf_sess *s, smf_n4_cb cb);
/* PFCP Session Modification: DL FAR forward to the gNB tunnel (true) or buffer (false). */
int smf_n4_modify_dl(struct smf_sess *s, bool forward, smf_n4_cb cb);
/*
 * PFCP Session Deletion. Any answer (accepted, or cause 65: the UPF holds no such session)
 * clears s->up_seid; none after N1 retransmissions quarantines s's UE addresses (they move
 * to an orphan that retries the deletion, see smf_n4_delete_detached) before cb runs.
 */
int smf_n4_delete(struct smf_sess *s, smf_n4_cb cb);
/*
 * PFCP Session Deletion whose answer nobody waits for (s may be freed right after): the
 * UE addresses of s move to an orphan record (s->ue_ip = 0, s->has_ip6 = false,
 * s->up_seid = 0) and go back to the pool only once the UPF answers. Unanswered after N1
 * retransmissions, the addresses are quarantined and the deletion retried every
 * SMF_QUARANTINE_RETRY ms; a new Recovery Time Stamp or an Association Release from the
 * UPF (it holds nothing any more) releases them. No-op without an associated UPF or a UP
 * SEID.
 */
void smf_n4_delete_detached(struct smf_sess *s);
/*
 * The PFCP Session Establishment of s went unanswered after N1 retransmissions: the UPF may
 * have created the session (the request arrived, the answer was lost), and the SMF does not
 * know its UP SEID, so it cannot delete it. The UE addresses of s move to a quarantined
 * orphan (s->ue_ip = 0, s->has_ip6 = false), freed by proof that the UPF holds nothing (new
 * Recovery Time Stamp, Association Release), by a late Establishment Response (accepted: the
 * session is deleted first; refused: at once) or, at the latest, after smf.quarantine_max s.
 */
void smf_n4_establish_lost(struct smf_sess *s);
/*
 * s goes away with its PFCP request s->n4_x pending (smf_sess_free, SM context release).
 * A Session Establishment already sent may still create the session at the UPF: the UE
 * addresses of s move to an orphan that takes over the request (answered: the session is
 * deleted, or the addresses freed if refused; unanswered: quarantined as for
 * smf_n4_establish_lost). Any other request is cancelled. s->n4_x is NULL afterwards.
 */
void smf_n4_abandon(struct smf_sess *s);
/* The orphans of u: UP sessions whose deletion it has not answered yet (O(n), for tests). */
size_t smf_n4_orphans(const struct smf_upf *u);

/* ---- build.c ---- */

/* A 5GSM message into out[cap]: the length or -SEN_E…. */
int smf_build_accept(const struct smf_sess *s, uint8_t *out, size_t cap);
int smf_build_reject(uint8_t psi, uint8_t pti, uint8_t cause, uint8_t *out, size_t cap);
int smf_build_release_command(const struct smf_sess *s, uint8_t cause, uint8_t *out, size_t cap);
/* N2 SM information (TS 38.413 9.3.4.1, 9.3.4.12) into out[cap]. */
int smf_build_setup_request_transfer(const struct smf_sess *s, uint8_t *out, size_t cap);
int smf_build_release_command_transfer(uint8_t *out, size_t cap);
/*
 * Read the gNB's DL tunnel from a PDU Session Resource Setup Response Transfer
 * (9.3.4.2). Returns 0 or -SEN_EPROTO (undecodable, not IPv4 GTP).
 */
int smf_parse_setup_response_transfer(const uint8_t *buf, size_t len, uint8_t addr[4],
				      uint32_t *teid);
/* TS 29.571 BitRate "100 Mbps" <-> bit/s. */
int smf_bitrate_parse(const char *s, uint64_t *bps);
/* TS 29.571 Snssai JSON (NULL on out of memory). */
cJSON *smf_snssai_json(const struct sen_cfg_slice *s);

/* ---- nsmf.c ---- */

int smf_nsmf_routes(struct smf *smf);
/* The UPF node of s failed: release s locally and tell the AMF. */
void smf_sess_lost(struct smf_sess *s);

/* ---- sbi-path.c ---- */

int smf_sbi_start(struct smf *smf, char *err, size_t errlen);
void smf_sbi_stop(struct smf *smf);
void smf_sbi_free(struct smf *smf);
/* GET sm-data from the UDM for s; cb as for sen_sbi_client_request. */
int smf_udm_get_sm_data(struct smf_sess *s, sen_sbi_response_fn cb);
/*
 * POST N1N2MessageTransfer for s (TS 29.518 5.2.2.3.1) with the N1 message n1[n1len]
 * (may be NULL) and the N2 SM information n2[n2len] of type ngap_ie_type (may be NULL).
 */
int smf_amf_n1n2(struct smf_sess *s, const uint8_t *n1, size_t n1len, const uint8_t *n2,
		 size_t n2len, const char *ngap_ie_type, sen_sbi_response_fn cb);
/* SmContextStatusNotification RELEASED to s->status_uri (fire and forget). */
void smf_notify_released(struct smf_sess *s);
/*
 * Answer a stream with JSON `json` plus binary parts (multipart/related when any part);
 * consumes nothing but the stream. Returns what sen_sbi_stream_respond returns.
 */
int smf_respond_parts(struct sen_sbi_stream *st, int status, const cJSON *json,
		      const char *location, const uint8_t *n1, size_t n1len, const uint8_t *n2,
		      size_t n2len);

#endif
