/*
 * sen-upf data plane: N3 (GTP-U over UDP, TS 29.281) and N6 (a TUN device).
 *
 * Uplink:   recvmmsg() a batch of UDP datagrams on N3 -> G-PDU header parsed in place
 *           (sen_gtpu_parse_gpdu) -> PDR by TEID (+QFI) in O(1) -> QER gate / MBR ->
 *           FAR: forward to N6 (outer header removed: the inner packet is written as is)
 *           -> write() per packet to the TUN (a TUN takes one packet per write).
 * Downlink: read() packets from the TUN into preallocated slots that keep headroom in
 *           front -> PDR by destination UE IPv4, or by the top 64 bits of an IPv6
 *           destination (the session's /64), in O(1) -> QER -> FAR: push the GTP-U
 *           header with the gNB's TEID and a PDU Session Container with the QFI in the
 *           headroom (no copy) -> one sendmmsg() for the whole batch.
 * Nothing is allocated per packet, except while a FAR buffers (BUFF: the packet is kept
 * until the SMF switches the FAR to FORW; TS 29.244 5.2.3.1). Counters are kept in the
 * struct and added to the Prometheus series once per batch.
 *
 * IPv6 (TS 23.501 5.8.2.2, TS 29.561 8.4): an uplink ICMPv6 Router Solicitation from the
 * UE's link-local (or unspecified) address is answered down the same session with a
 * Router Advertisement carrying the session's /64 (Prefix Information, L=0 A=1) and the
 * N6 MTU; other uplink link-local or multicast traffic is dropped, and an uplink packet
 * must come from the session's /64 (anti-spoofing, as for IPv4).
 *
 * Threads: one struct upf_dp per data-plane worker (own sockets, buffers, counters and
 * Error Indication rate limit); the shared context is read under the worker's lock
 * (context.h). Reports to N4 go through on_dl_data / on_error_ind, which the N4 side
 * turns into posts to the PFCP thread.
 *
 * GTP-U signalling on N3: Echo Request answered (7.2.1/7.2.2); a G-PDU for an unknown TEID
 * answered with an Error Indication (7.3.1), at most UPF_ERRIND_PER_SEC per second; an
 * Error Indication from a gNB is handed to the N4 side (Session Report, ERIR).
 *
 * The same I/O code runs in "null forwarder" mode for the benchmark baseline: receive,
 * no GTP-U parsing and no rule lookup, send (bench/upf.c).
 */
#ifndef SEN_UPF_DP_H
#define SEN_UPF_DP_H

#include "context.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define UPF_BATCH	    32
#define UPF_HEADROOM	    64	/* room for outer headers in front of a DL packet */
#define UPF_ERRIND_PER_SEC 1000 /* Error Indications sent per second, at most */

struct sen_metric_series;

/* Counters since the last flush to the metrics. */
struct upf_dp_stats {
	uint64_t ul_pkts, ul_bytes, dl_pkts, dl_bytes; /* forwarded: inner IP octets */
	uint64_t ul_drop, dl_drop;
	uint64_t err_ind, echo;
	uint64_t ra; /* Router Advertisements sent */
};

struct upf_dp {
	struct upf_ctx *ctx;
	int n3_fd, tun_fd;
	struct in_addr n3_addr;
	unsigned mtu; /* of N6: the MTU option of Router Advertisements */
	size_t slot;  /* bytes per buffer slot */
	uint8_t *ul_mem, *dl_mem;
	struct mmsghdr rmsg[UPF_BATCH], smsg[UPF_BATCH];
	struct iovec riov[UPF_BATCH], siov[UPF_BATCH];
	struct sockaddr_in from[UPF_BATCH];

	bool null_fwd;		     /* benchmark baseline: no parse, no lookup */
	struct sockaddr_in null_peer; /* where the null forwarder sends DL packets */

	uint64_t errind_sec;   /* second of the rate limit window */
	unsigned errind_count; /* sent in that second */

	struct upf_dp_stats st;	   /* since the last flush */
	struct upf_dp_stats total; /* since start */
	struct sen_metric_series *m_ul_pkts, *m_dl_pkts, *m_ul_bytes, *m_dl_bytes, *m_ul_drop,
	    *m_dl_drop, *m_err_ind, *m_echo, *m_ra;

	/* A buffering FAR got its first packet and has NOCP set: notify the SMF. Called on
	 * the data-plane thread with its lock held: post, do not do PFCP here. */
	void (*on_dl_data)(void *arg, struct upf_sess *s, struct upf_pdr *p);
	/* An Error Indication arrived from a peer for a session's DL F-TEID. */
	void (*on_error_ind)(void *arg, struct upf_sess *s, uint32_t teid, struct in_addr addr);
	void *arg;
};

/*
 * Prepare the data plane over an N3 UDP socket and a TUN fd (both non-blocking; the caller
 * keeps owning them), with buffers for packets up to `mtu` octets of inner IP. Registers
 * the metrics. Returns 0 or -SEN_ENOMEM.
 */
int upf_dp_init(struct upf_dp *dp, struct upf_ctx *ctx, int n3_fd, int tun_fd,
		struct in_addr n3_addr, unsigned mtu);

/* Free the buffers. */
void upf_dp_fini(struct upf_dp *dp);

/*
 * Handle one batch from N3: receive up to UPF_BATCH datagrams and process them. Returns the
 * number received (0: nothing was waiting), or -SEN_EIO on a socket error.
 */
int upf_dp_n3_input(struct upf_dp *dp);

/* Handle one batch from the TUN (up to UPF_BATCH packets). Same returns. */
int upf_dp_tun_input(struct upf_dp *dp);

/*
 * Process one uplink datagram p[len] received from `from` (exposed for tests and the
 * benchmark; upf_dp_n3_input calls it). p must have UPF_HEADROOM writable octets before
 * it. Returns 1 if the inner packet went to N6, 0 otherwise (a Router Solicitation
 * answered with a Router Advertisement also returns 0).
 */
int upf_dp_ul_packet(struct upf_dp *dp, uint8_t *p, size_t len, const struct sockaddr_in *from);

/*
 * Process one downlink IP packet ip[len] with UPF_HEADROOM writable octets before it. On
 * forwarding, sets *out / *out_len to the encapsulated packet (inside the headroom) and
 * *to to the peer, and returns 1; returns 0 if the packet was dropped or buffered.
 */
int upf_dp_dl_packet(struct upf_dp *dp, uint8_t *ip, size_t len, uint8_t **out,
		     size_t *out_len, const struct sockaddr_in **to);

/* Send what a FAR buffered (after it was switched to forwarding), or drop it. */
void upf_dp_far_flush(struct upf_dp *dp, struct upf_pdr *p);

/* TS 29.281 5.6 / 7.3.2: send an End Marker on the old path of a FAR. */
void upf_dp_end_marker(struct upf_dp *dp, const struct upf_far *old);

/*
 * Build the Router Advertisement (RFC 4861 4.2) for `prefix` (the /64, octets 0..7) to
 * `dst` (16 octets) into out[cap]: IPv6 header + RA + Prefix Information + MTU (when the
 * N6 MTU is at least 1280). Returns its length, or 0 if cap is too small.
 */
size_t upf_dp_build_ra(const struct upf_dp *dp, const uint8_t *prefix, const uint8_t *dst,
		       uint8_t *out, size_t cap);

/* Add the counters gathered since the last call to the metrics (thread-safe series). */
void upf_dp_stats_flush(struct upf_dp *dp);

#endif
