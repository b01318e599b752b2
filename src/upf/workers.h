/*
 * sen-upf data-plane workers: `upf.workers` threads, apart from the PFCP thread, each with
 * its own event loop, its own N3 UDP socket and its own TUN queue.
 *
 * - N3: every worker's socket is bound to the same address and port with SO_REUSEPORT. All
 *   GTP-U from one gNB shares one 4-tuple, so the kernel's flow hash would send it all to
 *   one worker; a classic-BPF program (SO_ATTACH_REUSEPORT_CBPF, which sees the UDP
 *   payload) picks the worker by TEID instead: octets 4..7 of the GTP-U header (TS 29.281
 *   5.1) modulo the number of workers. One session's uplink thus stays on one worker, and
 *   many sessions spread over all of them.
 * - N6: the TUN is opened with IFF_MULTI_QUEUE, one fd per worker; the kernel spreads
 *   downlink packets over the queues by flow.
 * - Shared state: the context's tables and rules, read under the worker's own lock for a
 *   batch at a time; the PFCP thread takes every worker's lock to change them (context.h).
 * - Reports (DLDR, Error Indication) leave a worker through the dp callbacks, which the N4
 *   side posts to the PFCP thread (n4.h); metrics series are atomic.
 */
#ifndef SEN_UPF_WORKERS_H
#define SEN_UPF_WORKERS_H

#include "context.h"
#include "dp.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct sen_loop;

struct upf_worker {
	struct upf_workers *ws;
	unsigned idx;
	pthread_t th;
	bool started, dp_ok;
	struct sen_loop *loop;
	struct upf_dp dp;
};

struct upf_workers {
	struct upf_ctx *ctx;
	unsigned n;
	struct upf_worker *w;
};

/*
 * Open n UDP sockets on `addr` (non-blocking, SO_REUSEPORT, deep buffers) for the workers'
 * N3, and with n > 1 steer datagrams by TEID (see above). fds[n] receives them; a failure
 * of the steering program is logged and leaves the kernel's hashing. Returns 0, or -SEN_EIO
 * with a line in err ("upf.gtpu: cannot bind …") and no fd left open.
 */
int upf_n3_open(const struct sockaddr_in *addr, unsigned n, int *fds, char *err, size_t errlen);

/*
 * Start n workers over the contexts `ctx`: worker i owns n3_fds[i] and tun_fds[i] (the
 * caller keeps owning the fds and closes them after upf_workers_stop), gets reader lock i
 * (upf_ctx_set_workers), and reports through on_dl_data / on_error_ind with `arg` (called
 * on the worker thread: post, do not block). Returns 0, or -SEN_ENOMEM / -SEN_EIO with a
 * line in err (whatever started is stopped).
 */
int upf_workers_start(struct upf_workers *ws, struct upf_ctx *ctx, unsigned n,
		      const int *n3_fds, const int *tun_fds, struct in_addr n3_addr, unsigned mtu,
		      void (*on_dl_data)(void *, struct upf_sess *, struct upf_pdr *),
		      void (*on_error_ind)(void *, struct upf_sess *, uint32_t, struct in_addr),
		      void *arg, char *err, size_t errlen);

/*
 * Stop every worker's loop, join the threads, free loops and buffers. Idempotent. The
 * counters stay readable (ws->w[i].dp.total) until upf_workers_free.
 */
void upf_workers_stop(struct upf_workers *ws);

/* Stop (if running) and free the worker array. */
void upf_workers_free(struct upf_workers *ws);

#endif
