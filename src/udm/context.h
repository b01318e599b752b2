/*
 * sen-udm internals: the UDM's state, shared by its service files (context.c, ueau.c, sdm.c,
 * uecm.c, nudr.c). Not a public interface: only src/udm/ and tests/home/ include it.
 */
#ifndef SEN_UDM_CONTEXT_H
#define SEN_UDM_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/config.h"
#include "core/hash.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "crypto/suci.h"
#include "sbi/nrf_client.h"
#include "sbi/sbi.h"

#define UDM_LOG "udm"

/* Service names (TS 29.503 clause 5), also the `service` label of the request metric. */
#define UDM_SVC_UEAU "nudm-ueau"
#define UDM_SVC_SDM  "nudm-sdm"
#define UDM_SVC_UECM "nudm-uecm"

/* TS 29.503 application errors used here (Tables 6.1.7.3-1, 6.2.7.3-1, 6.3.7.3-1). */
#define UDM_CAUSE_USER_NOT_FOUND		   "USER_NOT_FOUND"		      /* 404 */
#define UDM_CAUSE_DATA_NOT_FOUND		   "DATA_NOT_FOUND"		      /* 404 */
#define UDM_CAUSE_AUTHENTICATION_REJECTED	   "AUTHENTICATION_REJECTED"	      /* 403 */
#define UDM_CAUSE_INVALID_HN_PUBLIC_KEY_IDENTIFIER "INVALID_HN_PUBLIC_KEY_IDENTIFIER" /* 403 */
#define UDM_CAUSE_INVALID_SCHEME_OUTPUT		   "INVALID_SCHEME_OUTPUT"	      /* 403 */
#define UDM_CAUSE_UNSUPPORTED_PROTECTION_SCHEME	   "UNSUPPORTED_PROTECTION_SCHEME"    /* 501 */

/* A home network private key (TS 33.501 6.12.2, Annex C) and its identifier. */
struct udm_hn_key {
	uint8_t id;
	int scheme; /* SEN_SUCI_PROFILE_A or _B */
	struct sen_hn_key *key;
};

struct udm {
	struct sen_loop *loop;
	struct sen_config *cfg;
	struct sen_cfg_udm c;
	size_t n_keys;
	struct udm_hn_key keys[SEN_CFG_MAX_HN_KEYS];
	char plmn_id[8];	 /* home PLMN as TS 29.505 VarPlmnId: MCC || MNC ("99970") */
	char addr[64];		 /* SBI address, numeric */
	char authority[80];	 /* "127.0.0.12:7777" / "[::1]:7777" */
	char api_root[96];	 /* "http://" + authority */
	char nf_instance_id[37]; /* NfInstanceId (UUID), drawn at init */
	char udr_authority[80];	 /* from the udr section when present: the fallback resolver */
	struct sen_sbi_server *srv;
	struct sen_sbi_client *client;
	bool have_nrf; /* sen.yaml has an nrf section: register and discover */
	struct sen_cfg_nrf nrf_cfg;
	struct sen_nrf_client *nrf;
	struct sen_metric *m_av; /* sen_udm_auth_vectors_total{result} */
	/* ueau.c: the standard SQN flow's per-SUPI queues (SUPI -> struct sqn_queue), and
	 * until when (sen_loop_now) the UDR is known to lack sen-udr-auth. */
	struct sen_hash *sqn_queues;
	uint64_t private_off_until;
};

/* ---- context.c ---- */

/*
 * Answers. lib/sbi counts every answer in sen_sbi_requests_total{service,status}.
 * Answer with `status` and `json` (NULL: no body).
 */
void udm_reply(struct udm *udm, struct sen_sbi_stream *st, int status, const cJSON *json);

/* Answer 201 with Location `location` (a path under this UDM's apiRoot) and `json`. */
void udm_reply_created(struct udm *udm, struct sen_sbi_stream *st, const char *location,
		       const cJSON *json);

/* Answer a ProblemDetails of `status`, `cause` (may be NULL) and a detail. */
void udm_error(struct udm *udm, struct sen_sbi_stream *st, int status, const char *cause,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* 400 MANDATORY_IE_MISSING / MANDATORY_IE_INCORRECT naming the member `param`. */
void udm_error_ie(struct udm *udm, struct sen_sbi_stream *st, bool missing, const char *param);

/* Answer from a failed UDR exchange: err < 0 (transport) or the UDR's status. */
void udm_error_udr(struct udm *udm, struct sen_sbi_stream *st, int err,
		   const struct sen_sbi_msg *rsp);

/*
 * True if `supi` is a SUPI this UDM serves (TS 29.571 Supi): "imsi-" and 5..15 digits, or
 * "nai-" and a NAI of letters, digits and "-._@+!" (nothing that would change a URI path).
 */
bool udm_supi_valid(const char *supi);

/* Send `req` (consumed) to a UDR (nf_type "UDR", service "nudr-dr"); -SEN_E… if not sent. */
int udm_udr_send(struct udm *udm, const char *supi, struct sen_sbi_msg *req, sen_sbi_response_fn cb,
		 void *arg);

/* Sen's UDR service with the atomic SQN advance (docs/udr.md "SQN"; not 3GPP). */
#define UDM_UDR_SVC_AUTH "sen-udr-auth"

/* As udm_udr_send(), to a UDR that offers `service` (with an NRF: discovered by it). */
int udm_udr_send_to(struct udm *udm, const char *service, const char *supi, struct sen_sbi_msg *req,
		    sen_sbi_response_fn cb, void *arg);

/* ---- service files: route registration ---- */
int udm_ueau_routes(struct udm *udm);
/* Free the standard SQN flow's queues and the requests waiting in them (at free). */
void udm_sqn_queues_free(struct udm *udm);
int udm_sdm_routes(struct udm *udm);
int udm_uecm_routes(struct udm *udm);

#endif
