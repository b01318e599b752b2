/*
 * sen-upf module: init (bind the `upf` section), start (N3 sockets, N6 TUN queues, the
 * data-plane workers, N4), stop, free. N4 runs on the module's loop (the PFCP thread);
 * the data plane on `upf.workers` threads of their own (workers.h), each with an N3
 * socket and a TUN queue. The PFCP thread keeps a struct upf_dp of its own, over worker
 * 0's sockets, for what it sends on N3 itself (End Markers, packets a FAR buffered).
 */
#include "upf.h"

#include "cfg.h"
#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "dp.h"
#include "n4.h"
#include "tun.h"
#include "workers.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOG "upf"

struct upf {
	struct sen_loop *loop;
	struct upf_cfg cfg;
	struct upf_ctx ctx;
	struct upf_dp dp; /* the PFCP thread's */
	struct upf_n4 n4;
	struct upf_workers workers;
	int n3_fd[UPF_MAX_WORKERS], tun_fd[UPF_MAX_WORKERS];
	unsigned n_fd; /* how many of each are open */
	bool ctx_ok, dp_ok, n4_ok;
	char metrics_addr[INET_ADDRSTRLEN];
};

static int upf_init(struct sen_nf_env *env, void **state, char *err, size_t errlen)
{
	struct upf *u = calloc(1, sizeof(*u));

	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -SEN_ENOMEM;
	}
	int rc = upf_cfg_bind(env->cfg, &u->cfg, err, errlen);
	if (rc < 0) {
		free(u);
		return rc;
	}
	u->loop = env->loop;
	inet_ntop(AF_INET, &u->cfg.pfcp.in.sin_addr, u->metrics_addr, sizeof(u->metrics_addr));
	*state = u;
	return 0;
}

static int upf_start(void *state, char *err, size_t errlen)
{
	struct upf *u = state;
	unsigned nw = u->cfg.workers ? u->cfg.workers : 1;
	unsigned mtu = u->cfg.n6.mtu ? u->cfg.n6.mtu : 1500;
	int rc;

	if ((rc = upf_ctx_init(&u->ctx, u->cfg.gtpu.in.sin_addr)) < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	u->ctx_ok = true;
	if ((rc = upf_n3_open(&u->cfg.gtpu.in, nw, u->n3_fd, err, errlen)) < 0)
		return rc;
	if ((rc = upf_tun_open_mq(u->cfg.n6.tun, u->cfg.n6.mtu, u->cfg.n6.subnet,
				  u->cfg.n6.n_subnet, nw, u->tun_fd, err, errlen)) < 0) {
		for (unsigned i = 0; i < nw; i++)
			close(u->n3_fd[i]);
		return rc;
	}
	u->n_fd = nw;
	if ((rc = upf_dp_init(&u->dp, &u->ctx, u->n3_fd[0], u->tun_fd[0],
			      u->cfg.gtpu.in.sin_addr, mtu)) < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	u->dp_ok = true;
	if ((rc = upf_n4_start(&u->n4, u->loop, &u->ctx, &u->dp, &u->cfg.pfcp.in,
			       u->cfg.heartbeat, err, errlen)) < 0)
		return rc;
	u->n4_ok = true;
	if ((rc = upf_workers_start(&u->workers, &u->ctx, nw, u->n3_fd, u->tun_fd,
				    u->cfg.gtpu.in.sin_addr, mtu, upf_n4_on_dl_data,
				    upf_n4_on_error_ind, &u->n4, err, errlen)) < 0)
		return rc;
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &u->cfg.gtpu.in.sin_addr, a, sizeof(a));
	sen_log_info(LOG, "GTP-U on %s:%u, N6 on %s (%zu subnets), %u data-plane worker%s", a,
		     ntohs(u->cfg.gtpu.in.sin_port), u->cfg.n6.tun, u->cfg.n6.n_subnet, nw,
		     nw == 1 ? "" : "s");
	return 0;
}

static void upf_stop(void *state)
{
	struct upf *u = state;

	/* Workers first: after the join nothing posts to the PFCP loop any more. */
	upf_workers_stop(&u->workers);
	if (u->n4_ok) {
		upf_n4_stop(&u->n4);
		u->n4_ok = false;
	}
}

static void upf_free(void *state)
{
	struct upf *u = state;

	if (!u)
		return;
	upf_stop(u);
	upf_workers_free(&u->workers);
	if (u->dp_ok)
		upf_dp_fini(&u->dp);
	if (u->ctx_ok)
		upf_ctx_fini(&u->ctx);
	for (unsigned i = 0; i < u->n_fd; i++) {
		close(u->n3_fd[i]);
		close(u->tun_fd[i]);
	}
	free(u);
}

static const char *upf_metrics_addr(void *state)
{
	return ((struct upf *)state)->metrics_addr;
}

/* Check the upf section without side effects (see nf.h): bind into scratch memory. */
static int upf_bind_any(struct sen_config *cfg, void *out, char *err, size_t errlen)
{
	return upf_cfg_bind(cfg, out, err, errlen);
}

static int upf_check(struct sen_config *cfg, char *err, size_t errlen)
{
	return sen_nf_check_bind(cfg, sizeof(struct upf_cfg), upf_bind_any, err, errlen);
}

const struct sen_nf_module sen_upf_module = {
	.name = "upf",
	.init = upf_init,
	.start = upf_start,
	.stop = upf_stop,
	.free = upf_free,
	.metrics_addr = upf_metrics_addr,
	.check = upf_check,
};
