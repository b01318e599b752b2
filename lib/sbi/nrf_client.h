/*
 * The NRF client every Sen NF uses (TS 29.510 clause 5.2 NFManagement and 5.3 NFDiscovery,
 * consumer side; TS 23.502 4.17):
 *
 * - registers the NF's NFProfile at start (NFRegister, PUT, 5.2.2.2), retrying until the
 *   NRF answers; sends heartbeats (NFUpdate, PATCH nfStatus, 5.2.2.3.2) every
 *   heartBeatTimer seconds as the NRF granted; registers again if a heartbeat meets 404
 *   (the NRF lost the profile); deregisters at stop (NFDeregister, DELETE, 5.2.2.4);
 * - discovers peers (NFDiscover, GET nnrf-disc, 5.3.2.2) by NF type, service, SUPI, DNN and
 *   S-NSSAI, keeping each answer for its validityPeriod (6.2.6.2.2 SearchResult);
 * - installs itself as the sbi client's resolver, so NF code sends requests to
 *       &(struct sen_sbi_target){ .nf_type = "UDM", .service = "nudm-ueau", .hint = supi }
 *   and never handles addresses. The hint, when not NULL, is the SUPI (a const char *) the
 *   chosen peer must serve (its supiRanges); DNN / S-NSSAI selection goes through
 *   sen_nrf_client_request(). Whether a peer is reached by HTTP/2 or by the local
 *   transport is lib/sbi's decision from the authority in the peer's profile.
 *
 *     cJSON *profile;
 *     sen_nf_profile_build(&(struct sen_nf_profile_desc){ .nf_type = "UDM", .sbi = &cfg.sbi,
 *         .services = (const char *[]){ "nudm-ueau" }, .n_services = 1 }, &profile);
 *     sen_nrf_client_new(loop, sbi, &(struct sen_nrf_client_opts){ .nrf = "127.0.0.10:7777",
 *         .profile = profile }, &nrfc);
 *     sen_nrf_client_start(nrfc);           ... sen_nrf_client_stop(nrfc); free.
 *
 * The nrf section of sen.yaml (lib/core's struct sen_cfg_nrf and sen_cfg_nrf_schema) is
 * read by sen-nrf and by every NF to find the NRF: { sbi: addr:port, heartbeat: seconds,
 * validity: seconds }.
 *
 * Not thread-safe: a client belongs to its loop's thread, like the sbi client it uses.
 */
#ifndef SEN_SBI_NRF_CLIENT_H
#define SEN_SBI_NRF_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/config.h"
#include "core/loop.h"
#include "sbi/client.h"
#include "sbi/nfprofile.h"

/* ---- the nrf section of sen.yaml ---- */

/* The former name of struct sen_cfg_nrf, kept until src/amf uses the new one. */
#define sen_nrf_cfg sen_cfg_nrf

/*
 * Bind the nrf section of `cfg` into *out with lib/core's sen_cfg_nrf_schema. Returns 0, or
 * -SEN_ECONFIG with one line "file:line: nrf.key: problem" in err (also when the section is
 * missing).
 */
int sen_nrf_cfg_bind(struct sen_config *cfg, struct sen_cfg_nrf *out, char *err, size_t errlen);

/* The authority "ip:port" / "[v6]:port" of an address (buf of 64 bytes). Returns buf. */
const char *sen_nrf_addr_authority(const struct sen_cfg_addr *a, char *buf, size_t cap);

/* ---- the client ---- */

struct sen_nrf_client;

struct sen_nrf_client_opts {
	const char *nrf;      /* NRF authority ("127.0.0.10:7777") or apiRoot (required) */
	const cJSON *profile; /* NFProfile to register (copied); NULL: discovery only */
	const char *nf_type;  /* requester-nf-type when there is no profile (default "AF") */
	uint32_t retry_ms;    /* delay between registration attempts; 0: 1000 */
	uint32_t timeout_ms;  /* each NRF request; 0: 3000 */
	uint32_t max_cache;   /* discovery cache entries; 0: 256 */
	bool no_resolver;     /* don't install the resolver on the sbi client */
	/* Called when the registration state changes (registered true / false); may be NULL. */
	void (*on_state)(struct sen_nrf_client *c, bool registered, void *arg);
	void *arg;
};

/* A discovery query (TS 29.510 6.2.3.2.3.1 query parameters). */
struct sen_nrf_query {
	const char *nf_type;		    /* target-nf-type (required) */
	const char *service;		    /* service-names (one name), or NULL */
	const char *supi;		    /* supi, or NULL */
	const char *dnn;		    /* dnn, or NULL */
	const struct sen_cfg_slice *snssai; /* snssais (one S-NSSAI), or NULL */
};

struct sen_nrf_client_stats {
	uint64_t registrations;	     /* successful NFRegister */
	uint64_t register_failures;  /* failed attempts (each is retried) */
	uint64_t heartbeats;	     /* answered 2xx */
	uint64_t heartbeat_failures; /* errors, timeouts, 404 */
	uint64_t discoveries;	     /* NFDiscover requests sent to the NRF */
	uint64_t cache_hits;	     /* resolutions answered from the cache */
};

/*
 * Create a client for `loop` sending through `sbi` (which it does not own; free the NRF
 * client first). Nothing is sent before start. Returns 0, -SEN_EINVAL (no NRF authority,
 * or a profile without a string nfInstanceId and nfType) or -SEN_ENOMEM.
 */
int sen_nrf_client_new(struct sen_loop *loop, struct sen_sbi_client *sbi,
		       const struct sen_nrf_client_opts *opts, struct sen_nrf_client **out);

/*
 * Start: install the resolver (unless no_resolver) and, with a profile, register it
 * (retried every retry_ms until the NRF answers 200/201), then heartbeat. Returns 0 or
 * -SEN_EINVAL (already started).
 */
int sen_nrf_client_start(struct sen_nrf_client *c);

/*
 * Stop heartbeats and retries and, if registered, send NFDeregister (DELETE). The loop
 * should run a few more rounds for it to go out before the client is freed.
 */
void sen_nrf_client_stop(struct sen_nrf_client *c);

/*
 * Free: cancel every request in flight, fail the requests waiting for a resolution
 * (their callbacks get -SEN_EIO), drop pending discover callbacks without calling them,
 * and remove the resolver. NULL is a no-op. Not from inside one of its callbacks.
 */
void sen_nrf_client_free(struct sen_nrf_client *c);

/* True while the NRF holds our profile (after 200/201, until stop or a 404 heartbeat). */
bool sen_nrf_client_registered(const struct sen_nrf_client *c);

/* The registered profile's nfInstanceId, or NULL without a profile. */
const char *sen_nrf_client_instance_id(const struct sen_nrf_client *c);

/* The heartBeatTimer (s) the NRF granted, 0 before registration. */
uint32_t sen_nrf_client_heartbeat(const struct sen_nrf_client *c);

/*
 * The answer to a discovery: err 0 and the NFProfile array (possibly empty; owned by the
 * cache, valid during the callback), or err < 0: -SEN_ETIMEDOUT, -SEN_EIO, -SEN_EPROTO (the
 * NRF answered with an error status or a body that is not a SearchResult).
 */
typedef void (*sen_nrf_discover_fn)(int err, const cJSON *nf_instances, void *arg);

/*
 * Discover NF instances for `q`. All its members but the SUPI go to the NRF; the SUPI
 * selects among the answer's profiles those that serve it (supiRanges, as the NRF would),
 * so one cached answer serves every subscriber. Answered from the cache while an earlier
 * answer to the same query is within its validityPeriod, else by the NRF.
 * cb runs on the loop, never inside this call. Returns 0, or -SEN_EINVAL (no nf_type) /
 * -SEN_ENOMEM, and then cb is not called.
 */
int sen_nrf_client_discover(struct sen_nrf_client *c, const struct sen_nrf_query *q,
			    sen_nrf_discover_fn cb, void *arg);

/*
 * Send `req` to an NF chosen for `q`, as sen_sbi_client_request() with a target by NF
 * type: NF type, service, DNN and S-NSSAI select the discovery (cached), the SUPI selects
 * among the profiles found by their supiRanges; lower "priority" wins, equals take turns.
 * Callback, xact and return values as sen_sbi_client_request(); -SEN_ENOENT in the
 * callback when no registered NF fits.
 */
int sen_nrf_client_request(struct sen_nrf_client *c, const struct sen_nrf_query *q,
			   struct sen_sbi_msg *req, uint32_t timeout_ms, sen_sbi_response_fn cb,
			   void *arg, struct sen_sbi_xact **xact);

/* Forget every cached discovery answer (the next use asks the NRF). */
void sen_nrf_client_flush(struct sen_nrf_client *c);

void sen_nrf_client_get_stats(const struct sen_nrf_client *c, struct sen_nrf_client_stats *s);

#endif
