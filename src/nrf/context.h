/*
 * sen-nrf state: the NF instances registered (TS 29.510 5.2.2, one NFProfile each, kept
 * as the JSON the NF sent plus the NRF's heartBeatTimer), their heartbeat supervision,
 * the NFStatus subscriptions (5.2.2.5), and the answering helpers. Everything lives in memory, in
 * hash tables.
 *
 * Files: context.c (this), nfm-handler.c (Nnrf_NFManagement), disc-handler.c
 * (Nnrf_NFDiscovery), notify.c (subscriptions and notifications),
 * nrf.c (the module: configuration, routes, start / stop).
 */
#ifndef SEN_NRF_CONTEXT_H
#define SEN_NRF_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "core/hash.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "sbi/nfprofile.h"
#include "sbi/nrf_client.h"
#include "sbi/sbi.h"

#define NRF_LOG	     "nrf"
#define NRF_MAX_NFS  10000 /* registered NF instances (a bound against hostile peers) */
#define NRF_MAX_SUBS 4096  /* subscriptions */
#define NRF_TYPE_MAX 32
#define NRF_URI_MAX  512

/* TS 29.510 6.1.6.3.4 NotificationEventType (bit masks). */
enum {
	NRF_EV_REGISTERED = 1u << 0,
	NRF_EV_DEREGISTERED = 1u << 1,
	NRF_EV_PROFILE_CHANGED = 1u << 2,
};

struct nrf_ctx;

/* One registered NF instance. */
struct nrf_nf {
	char id[SEN_NF_UUID_LEN]; /* nfInstanceId (lower case as registered) */
	char nf_type[NRF_TYPE_MAX];
	cJSON *profile;		/* the NFProfile, heartBeatTimer included */
	struct sen_timer hb;	/* heartbeat supervision (TS 29.510 5.2.2.3.2) */
	bool suspended_by_nrf;	/* nfStatus set to SUSPENDED by a missed heartbeat */
	char status_before[16]; /* nfStatus before that suspension, restored by a heartbeat */
	struct nrf_ctx *ctx;
};

/* One NFStatusSubscribe subscription (TS 29.510 6.1.6.2.16 SubscriptionData). */
struct nrf_sub {
	char id[24];		       /* subscriptionId */
	char authority[128];	       /* of nfStatusNotificationUri */
	char path[NRF_URI_MAX];	       /* path (and query) of nfStatusNotificationUri */
	unsigned events;	       /* NRF_EV_* wanted */
	char cond_type[NRF_TYPE_MAX];  /* subscrCond NfTypeCond, or "" */
	char cond_id[SEN_NF_UUID_LEN]; /* subscrCond NfInstanceIdCond, or "" */
	char cond_service[64];	       /* subscrCond ServiceNameCond, or "" */
	cJSON *data;		       /* SubscriptionData as answered */
};

struct nrf_ctx {
	struct sen_loop *loop;
	struct sen_cfg_nrf cfg;
	struct sen_cfg_plmn home_plmn; /* sen.yaml `plmn` (mcc "" if none): discovery's
					  default requester PLMN */
	char api_root[96];	       /* "http://127.0.0.10:7777" */
	struct sen_sbi_server *srv;
	struct sen_sbi_client *notifier; /* sends notifications */
	struct sen_hash *nfs;		 /* id -> struct nrf_nf */
	struct sen_hash *subs;		 /* subscriptionId -> struct nrf_sub */
	uint64_t next_sub;
	struct sen_metric *m_nfs, *m_notifs;
};

/* ---- context.c ---- */

/* Create the tables and metrics (cfg already bound). Returns 0 or -SEN_ENOMEM. */
int nrf_ctx_init(struct nrf_ctx *ctx, struct sen_loop *loop);

/* Free every NF and subscription (no notification). */
void nrf_ctx_clear(struct nrf_ctx *ctx);

/* The NF instance `id`, or NULL. */
struct nrf_nf *nrf_nf_find(struct nrf_ctx *ctx, const char *id);

/*
 * Add (or, if present, replace the profile of) NF `id` with `profile` (taken over), set
 * its heartBeatTimer and start supervision. *created tells which. Returns 0, -SEN_ERANGE
 * (NRF_MAX_NFS reached; profile freed) or -SEN_ENOMEM (profile freed).
 */
int nrf_nf_put(struct nrf_ctx *ctx, const char *id, cJSON *profile, struct nrf_nf **out,
	       bool *created);

/* Replace nf's profile by `profile` (taken over) without other changes. */
void nrf_nf_set_profile(struct nrf_nf *nf, cJSON *profile);

/* A heartbeat arrived: restart supervision. */
void nrf_nf_heartbeat(struct nrf_nf *nf);

/* Remove and free nf (the caller notifies first). */
void nrf_nf_remove(struct nrf_nf *nf);

/* "http://…/nnrf-nfm/v1/nf-instances/<id>" into buf. */
const char *nrf_nf_uri(const struct nrf_ctx *ctx, const char *id, char *buf, size_t cap);

/* Answer (lib/sbi counts it by service and status). rsp is consumed. */
void nrf_respond(struct sen_sbi_stream *st, struct sen_sbi_msg *rsp);
void nrf_respond_json(struct sen_sbi_stream *st, int status, const cJSON *body);
void nrf_respond_status(struct sen_sbi_stream *st, int status);
/* ProblemDetails with `cause` (may be NULL), one invalid parameter `param` (may be NULL). */
void nrf_respond_error(struct sen_sbi_stream *st, int status, const char *cause, const char *param,
		       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- nfm-handler.c / disc-handler.c / notify.c: route handlers ---- */

void nrf_nfm_register(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_nfm_update(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_nfm_deregister(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_nfm_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_nfm_list(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_disc_search(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_nfm_subscribe(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);
void nrf_nfm_unsubscribe(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg);

/* ---- notify.c ---- */

/* Send `event` (NRF_EV_*) about nf to every subscription that wants it (TS 29.510 5.2.2.6). */
void nrf_notify(struct nrf_ctx *ctx, const struct nrf_nf *nf, unsigned event);

/* Free every subscription. */
void nrf_subs_clear(struct nrf_ctx *ctx);

#endif
