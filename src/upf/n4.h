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
 */
#ifndef SEN_UPF_N4_H
#define SEN_UPF_N4_H

#include "context.h"
#include "core/loop.h"
#include "dp.h"

#include <netinet/in.h>
#include <stdint.h>

#define UPF_N4_CACHE 256 /* responses kept for retransmitted requests */

struct sen_metric_series;

struct upf_n4_cached {
	struct sockaddr_in peer;
	uint32_t seq;
	uint8_t type; /* of the request */
	uint16_t len;
	uint8_t *data;
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
};

/*
 * Open the PFCP socket on `addr`, start the heartbeat timer (heartbeat_s > 0) and watch
 * the socket on `loop`. Wires dp's report callbacks to this side. Returns 0, or -SEN_EIO /
 * -SEN_ENOMEM with a line in err.
 */
int upf_n4_start(struct upf_n4 *n4, struct sen_loop *loop, struct upf_ctx *ctx,
		 struct upf_dp *dp, const struct sockaddr_in *addr, unsigned heartbeat_s,
		 char *err, size_t errlen);

/* Stop watching the socket and the timer; close it; free what start allocated. */
void upf_n4_stop(struct upf_n4 *n4);

/*
 * Handle one received datagram buf[len] from `from` (bundled messages included). Exposed
 * for tests; the socket callback calls it.
 */
void upf_n4_input(struct upf_n4 *n4, const uint8_t *buf, size_t len,
		  const struct sockaddr_in *from);

#endif
