/*
 * sen-upf module: init (bind the `upf` section), start (N3 socket, N6 TUN, data plane,
 * N4), stop, free. The data plane runs on the module's loop, next to N4: each readable
 * event handles up to UPF_DP_ROUNDS batches, so PFCP is never starved by traffic.
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

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOG	      "upf"
#define UPF_DP_ROUNDS 8
#define N3_SOCKBUF    (8 * 1024 * 1024)

struct upf {
	struct sen_loop *loop;
	struct upf_cfg cfg;
	struct upf_ctx ctx;
	struct upf_dp dp;
	struct upf_n4 n4;
	int n3_fd, tun_fd;
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
	u->n3_fd = u->tun_fd = -1;
	inet_ntop(AF_INET, &u->cfg.pfcp.in.sin_addr, u->metrics_addr, sizeof(u->metrics_addr));
	*state = u;
	return 0;
}

static void on_n3(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct upf *u = arg;

	for (int i = 0; i < UPF_DP_ROUNDS; i++)
		if (upf_dp_n3_input(&u->dp) < UPF_BATCH)
			break;
	(void)loop;
	(void)fd;
	(void)events;
}

static void on_tun(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct upf *u = arg;

	for (int i = 0; i < UPF_DP_ROUNDS; i++)
		if (upf_dp_tun_input(&u->dp) < UPF_BATCH)
			break;
	(void)loop;
	(void)fd;
	(void)events;
}

static int open_n3(struct upf *u, char *err, size_t errlen)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), sz = N3_SOCKBUF;

	if (fd < 0 || bind(fd, &u->cfg.gtpu.sa, u->cfg.gtpu.len) < 0) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &u->cfg.gtpu.in.sin_addr, a, sizeof(a));
		snprintf(err, errlen, "upf.gtpu: cannot bind %s:%u: %m", a,
			 ntohs(u->cfg.gtpu.in.sin_port));
		if (fd >= 0)
			close(fd);
		return -SEN_EIO;
	}
	/* Deep queues absorb bursts between two loop rounds (best effort: capped by rmem_max). */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	u->n3_fd = fd;
	return 0;
}

static int upf_start(void *state, char *err, size_t errlen)
{
	struct upf *u = state;
	int rc;

	if ((rc = upf_ctx_init(&u->ctx, u->cfg.gtpu.in.sin_addr)) < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	u->ctx_ok = true;
	if ((rc = open_n3(u, err, errlen)) < 0)
		return rc;
	u->tun_fd = upf_tun_open(u->cfg.n6.tun, u->cfg.n6.mtu, u->cfg.n6.subnet,
				 u->cfg.n6.n_subnet, err, errlen);
	if (u->tun_fd < 0)
		return u->tun_fd;
	if ((rc = upf_dp_init(&u->dp, &u->ctx, u->n3_fd, u->tun_fd, u->cfg.gtpu.in.sin_addr,
			      u->cfg.n6.mtu ? u->cfg.n6.mtu : 1500)) < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	u->dp_ok = true;
	if ((rc = upf_n4_start(&u->n4, u->loop, &u->ctx, &u->dp, &u->cfg.pfcp.in,
			       u->cfg.heartbeat, err, errlen)) < 0)
		return rc;
	u->n4_ok = true;
	if (sen_loop_fd_add(u->loop, u->n3_fd, SEN_LOOP_READ, on_n3, u) < 0 ||
	    sen_loop_fd_add(u->loop, u->tun_fd, SEN_LOOP_READ, on_tun, u) < 0) {
		snprintf(err, errlen, "cannot watch the N3 socket and the TUN device");
		return -SEN_EIO;
	}
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &u->cfg.gtpu.in.sin_addr, a, sizeof(a));
	sen_log_info(LOG, "GTP-U on %s:%u, N6 on %s (%zu subnets)", a,
		     ntohs(u->cfg.gtpu.in.sin_port), u->cfg.n6.tun, u->cfg.n6.n_subnet);
	return 0;
}

static void upf_stop(void *state)
{
	struct upf *u = state;

	if (u->n3_fd >= 0)
		sen_loop_fd_del(u->loop, u->n3_fd);
	if (u->tun_fd >= 0)
		sen_loop_fd_del(u->loop, u->tun_fd);
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
	if (u->dp_ok)
		upf_dp_fini(&u->dp);
	if (u->ctx_ok)
		upf_ctx_fini(&u->ctx);
	if (u->n3_fd >= 0)
		close(u->n3_fd);
	if (u->tun_fd >= 0)
		close(u->tun_fd);
	free(u);
}

static const char *upf_metrics_addr(void *state)
{
	return ((struct upf *)state)->metrics_addr;
}

const struct sen_nf_module sen_upf_module = {
	.name = "upf",
	.init = upf_init,
	.start = upf_start,
	.stop = upf_stop,
	.free = upf_free,
	.metrics_addr = upf_metrics_addr,
};
