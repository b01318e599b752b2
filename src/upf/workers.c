/*
 * sen-upf data-plane workers (see workers.h): threads, their loops, the N3 sockets with
 * SO_REUSEPORT and the TEID-steering classic BPF program (socket(7): SO_REUSEPORT,
 * SO_ATTACH_REUSEPORT_CBPF; the program sees the UDP payload, TS 29.281 5.1 puts the TEID
 * at octets 4..7 of the GTP-U header).
 */
#include "workers.h"

#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOG	      "upf"
#define UPF_DP_ROUNDS 8 /* batches per readable event, then the loop looks around */
#define N3_SOCKBUF    (8 * 1024 * 1024)

int upf_n3_open(const struct sockaddr_in *addr, unsigned n, int *fds, char *err, size_t errlen)
{
	char a[INET_ADDRSTRLEN];
	unsigned i;
	int one = 1, sz = N3_SOCKBUF;

	inet_ntop(AF_INET, &addr->sin_addr, a, sizeof(a));
	for (i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0 ||
		    (n > 1 && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) ||
		    bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
			snprintf(err, errlen, "upf.gtpu: cannot bind %s:%u: %m", a,
				 ntohs(addr->sin_port));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		/* Deep queues absorb bursts between two loop rounds (capped by rmem_max). */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
		fds[i] = fd;
	}
	if (n > 1) {
		/* A = TEID (a 32-bit load is big-endian); A %= n; return A: the index of the
		 * socket in the group, in bind order. A datagram shorter than 8 octets fails
		 * the load and goes to socket 0, whose worker drops it as malformed. */
		struct sock_filter code[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4),
			BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, n),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		struct sock_fprog prog = { .len = 3, .filter = code };
		if (setsockopt(fds[0], SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
			       sizeof(prog)) < 0)
			sen_log_warn(LOG,
				     "N3: cannot steer by TEID (%m): the kernel spreads by flow");
	}
	return 0;
fail:
	while (i-- > 0)
		close(fds[i]);
	return -SEN_EIO;
}

/* Readable N3 socket: up to UPF_DP_ROUNDS batches, each under the worker's reader lock. */
static void on_n3(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct upf_worker *w = arg;
	pthread_mutex_t *lock = &w->ws->ctx->locks[w->idx].m;

	for (int i = 0; i < UPF_DP_ROUNDS; i++) {
		pthread_mutex_lock(lock);
		int n = upf_dp_n3_input(&w->dp);
		pthread_mutex_unlock(lock);
		if (n < UPF_BATCH)
			break;
	}
	(void)loop;
	(void)fd;
	(void)events;
}

static void on_tun(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct upf_worker *w = arg;
	pthread_mutex_t *lock = &w->ws->ctx->locks[w->idx].m;

	for (int i = 0; i < UPF_DP_ROUNDS; i++) {
		pthread_mutex_lock(lock);
		int n = upf_dp_tun_input(&w->dp);
		pthread_mutex_unlock(lock);
		if (n < UPF_BATCH)
			break;
	}
	(void)loop;
	(void)fd;
	(void)events;
}

static void *worker_main(void *arg)
{
	struct upf_worker *w = arg;
	char name[16];

	snprintf(name, sizeof(name), "upf-dp%u", w->idx);
	pthread_setname_np(pthread_self(), name);
	if (sen_loop_run(w->loop) < 0)
		sen_log_error(LOG, "data-plane worker %u: event loop failed: %m", w->idx);
	return NULL;
}

int upf_workers_start(struct upf_workers *ws, struct upf_ctx *ctx, unsigned n,
		      const int *n3_fds, const int *tun_fds, struct in_addr n3_addr, unsigned mtu,
		      void (*on_dl_data)(void *, struct upf_sess *, struct upf_pdr *),
		      void (*on_error_ind)(void *, struct upf_sess *, uint32_t, struct in_addr),
		      void *arg, char *err, size_t errlen)
{
	sigset_t all, old;
	int rc;

	memset(ws, 0, sizeof(*ws));
	ws->ctx = ctx;
	if (!n || !(ws->w = calloc(n, sizeof(*ws->w))) || upf_ctx_set_workers(ctx, n) < 0) {
		snprintf(err, errlen, "out of memory");
		free(ws->w);
		ws->w = NULL;
		return -SEN_ENOMEM;
	}
	ws->n = n;
	for (unsigned i = 0; i < n; i++) {
		struct upf_worker *w = &ws->w[i];
		w->ws = ws;
		w->idx = i;
		if ((rc = sen_loop_new(&w->loop)) < 0 ||
		    (rc = upf_dp_init(&w->dp, ctx, n3_fds[i], tun_fds[i], n3_addr, mtu)) < 0) {
			snprintf(err, errlen, "data-plane worker %u: %s", i, sen_strerror(rc));
			goto fail;
		}
		w->dp_ok = true;
		w->dp.on_dl_data = on_dl_data;
		w->dp.on_error_ind = on_error_ind;
		w->dp.arg = arg;
		if (sen_loop_fd_add(w->loop, n3_fds[i], SEN_LOOP_READ, on_n3, w) < 0 ||
		    sen_loop_fd_add(w->loop, tun_fds[i], SEN_LOOP_READ, on_tun, w) < 0) {
			snprintf(err, errlen, "data-plane worker %u: cannot watch its fds", i);
			rc = -SEN_EIO;
			goto fail;
		}
	}
	/* Signals stay with the main thread's signalfd: the workers block them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned i = 0; i < n; i++) {
		if ((rc = pthread_create(&ws->w[i].th, NULL, worker_main, &ws->w[i])) != 0) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			snprintf(err, errlen, "data-plane worker %u: cannot start a thread: %s", i,
				 strerror(rc));
			rc = -SEN_EIO;
			goto fail;
		}
		ws->w[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
fail:
	upf_workers_stop(ws);
	upf_workers_free(ws);
	return rc;
}

void upf_workers_stop(struct upf_workers *ws)
{
	if (!ws->w)
		return;
	for (unsigned i = 0; i < ws->n; i++)
		if (ws->w[i].started)
			sen_loop_stop(ws->w[i].loop);
	for (unsigned i = 0; i < ws->n; i++) {
		struct upf_worker *w = &ws->w[i];
		if (w->started)
			pthread_join(w->th, NULL);
		w->started = false;
		if (w->dp_ok) {
			sen_loop_fd_del(w->loop, w->dp.n3_fd);
			sen_loop_fd_del(w->loop, w->dp.tun_fd);
			upf_dp_stats_flush(&w->dp);
			upf_dp_fini(&w->dp);
			w->dp_ok = false;
		}
		sen_loop_free(w->loop);
		w->loop = NULL;
	}
}

void upf_workers_free(struct upf_workers *ws)
{
	upf_workers_stop(ws);
	free(ws->w);
	ws->w = NULL;
	ws->n = 0;
}
