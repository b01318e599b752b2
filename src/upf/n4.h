/*
 * sen-upf N4: the PFCP side of the UPF (TS 29.244), on the NF's event loop.
 *
 * Node procedures (clause 6.2): Heartbeat both ways (6.2.2; the UPF sends one to every
 * associated CP function each `heartbeat` seconds), Association Setup (6.2.6) with Node ID,
 * Recovery Time Stamp and UP Function Features (FTUP: the UPF allocates F-TEIDs; EMPU: it
 * sends End Markers), Association Release (6.2.8).
 * Session procedures (6.3): Establishment, Modification, Deletion, and the Session Report
 * the UPF sends for downlink data while a FAR buffers (DLDR) and for an Error Indication
 * from a gNB (ERIR).
 *
 * Bad input (7.6): a message the decoder refuses is answered, when it is a request, with
 * the cause the decoder gives (66 + Offending IE, 68, 69 + Offending IE, 64) or Version Not
 * Supported; anything else is discarded. Unknown sessions get cause 65, a Session
 * Establishment without an association cause 72. A retransmitted request (same peer and
 * sequence number, 6.4) gets the response sent the first time, without being processed again.
 *
 * Threads: N4 runs on the PFCP thread (the module's loop). It takes the context's writer
 * lock (every data-plane worker's lock) around each message it handles. The data plane's
 * report callbacks never run PFCP on a worker: they queue {kind, SEID, PDR ID / TEID} and
 * post one drain to the PFCP loop (sen_loop_post), which looks the session up again (it
 * may be gone by then) and sends the Session Report Request.
 */
#ifndef SEN_UPF_N4_H
#define SEN_UPF_N4_H

#include "context.h"
#include "core/loop.h"
#include "dp.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define UPF_N4_CACHE  256  /* responses kept for retransmitted requests */
#define UPF_N4_SOCKBUF (8 << 20) /* PFCP socket buffers asked for (bursts of requests) */
#define UPF_N4_EVENTS 1024 /* reports queued by the data plane, waiting for the PFCP thread */

struct sen_metric_series;

struct upf_n4_cached {
	struct sockaddr_in peer;
	uint32_t seq;
	uint8_t type; /* of the request */
	uint16_t len;
	uint8_t *data;
};

/* A report the data plane asks for (DLDR or Error Indication), by IDs. */
struct upf_n4_event {
	bool erir;	/* false: downlink data (pdr_id); true: Error Indication (teid, addr) */
	uint16_t pdr_id;
	uint32_t teid;
	uint64_t seid;	/* UP SEID */
	struct in_addr addr;
};

struct upf_n4 {
	struct sen_loop *loop;
	struct upf_ctx *ctx;
	struct upf_dp *dp;
	int fd;
	struct sockaddr_in addr;      /* our PFCP address */
	uint32_t recovery_ts;	      /* NTP seconds at start (8.2.65) */
	uint32_t seq;		      /* of the requests we send */
	unsigned heartbeat_s;	      /* 0: none */
	struct sen_timer hb_timer;
	struct sen_pfcp_msg *rx, *tx; /* large: on the heap */
	struct upf_n4_cached cache[UPF_N4_CACHE];
	unsigned cache_next;
	struct sen_metric_series *m_estab_req, *m_estab_fail, *m_mod_req, *m_mod_fail,
	    *m_del_req, *m_report, *m_report_succ, *m_sessions, *m_rx_bad;

	pthread_mutex_t ev_lock; /* the queue below, between workers and the PFCP thread */
	bool ev_posted;		 /* a drain is posted and has not run yet */
	unsigned ev_n, ev_lost;
	struct upf_n4_event ev[UPF_N4_EVENTS];
};

/*
 * Open the PFCP socket on `addr`, start the heartbeat timer (heartbeat_s > 0) and watch
 * the socket on `loop`. Wires dp's report callbacks to this side (give the workers'
 * dps upf_n4_on_dl_data / upf_n4_on_error_ind with n4 as arg). `dp` is the PFCP thread's
 * own (End Markers, sending what a FAR buffered). Returns 0, or -SEN_EIO / -SEN_ENOMEM
 * with a line in err.
 */
int upf_n4_start(struct upf_n4 *n4, struct sen_loop *loop, struct upf_ctx *ctx,
		 struct upf_dp *dp, const struct sockaddr_in *addr, unsigned heartbeat_s,
		 char *err, size_t errlen);

/*
 * The data plane's report callbacks (struct upf_dp on_dl_data / on_error_ind, arg n4):
 * thread-safe; they queue the report for the PFCP thread.
 */
void upf_n4_on_dl_data(void *n4, struct upf_sess *s, struct upf_pdr *p);
void upf_n4_on_error_ind(void *n4, struct upf_sess *s, uint32_t teid, struct in_addr addr);

/* Stop watching the socket and the timer; close it; free what start allocated. */
void upf_n4_stop(struct upf_n4 *n4);

/*
 * Handle one received datagram buf[len] from `from` (bundled messages included). Exposed
 * for tests; the socket callback calls it.
 */
void upf_n4_input(struct upf_n4 *n4, const uint8_t *buf, size_t len,
		  const struct sockaddr_in *from);

#endif
