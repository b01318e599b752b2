/*
 * bench-sbi: Nudm_UEAuthentication generate-auth-data (TS 29.503 5.4.2.2, 6.3.3.2.4)
 * requests per second through the UDM and the UDR (Sen's atomic SQN advance, docs/udr.md),
 * on one core, against the HTTP/2 round trip of an empty handler measured in the same run
 * (issue 5, "Performance"; docs/BENCHMARKS.md "SBI / home network").
 *
 * Items:
 *   h2-empty     baseline: POST of the same request body to a handler that answers 204 at
 *                once, over HTTP/2 (h2c) on loopback; client and server on one loop
 *   local-empty  the same over lib/sbi's local transport (function call, no socket)
 *   gad-local    nrf + udr + udm modules on one loop as sen-core runs them (UDM -> UDR by
 *                the local transport, found through the NRF); the client calls the UDM
 *                locally too
 *   gad-h2       the same NFs as processes: nrf + udr in one, udm in another, the client in
 *                this one; every hop is HTTP/2 over loopback
 * Each gad item runs twice: with the store as configured (SQLite, WAL, synchronous=FULL,
 * on the file system of -d, default /tmp), where every SQN advance waits for an fsync
 * (DESIGN.md "Subscriber data"), and with the SQLite file on /dev/shm (tmpfs: fsync costs
 * nothing), which leaves the handler path alone: HTTP/2 or local hops, JSON, SQLite
 * statements, Milenage and the KDFs.
 *
 * Every process and thread is pinned to one CPU (-c, default the first one allowed), so
 * req/s is per core. "CPU" is the CPU time used by all of them (this process's threads,
 * the UDR's worker threads, the child processes) per wall second: below 100 % the core
 * was waiting (for fsync) rather than working. The ratio is req/s over h2-empty's req/s,
 * h2-empty being measured at the start and at the end (their mean).
 *
 * Usage: bench-sbi [-t SECONDS] [-n IN_FLIGHT] [-c CPU] [-d DIR] [-q]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "summary.h"
#include "nf.h"
#include "nrf.h"
#include "sbi/sbi.h"
#include "store.h"
#include "udm/udm.h"
#include "udr.h"

#define N_SUPI	   256
#define SUPI_FMT   "imsi-9997000000%05u"
#define SNN	   "5G:mnc070.mcc999.3gppnetwork.org"
#define GAD_BODY   "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":" \
		   "\"5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01\"}"
#define EMPTY_PATH "/bench/v1/empty"

static double opt_secs = 2.0;
static unsigned opt_inflight = 32;
static int opt_cpu = -1;
static const char *opt_dir = "/tmp";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (all threads) and of the given children. */
static double cpu_secs(const pid_t *kids, int n)
{
	struct rusage ru;
	double s;
	long tck = sysconf(_SC_CLK_TCK);

	getrusage(RUSAGE_SELF, &ru);
	s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	    ru.ru_stime.tv_usec / 1e6;
	for (int i = 0; i < n; i++) {
		char path[64], buf[1024], *p;
		unsigned long ut, st;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)kids[i]);
		if (!(f = fopen(path, "r")))
			continue;
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
			   &st) == 2)
			s += (double)(ut + st) / (double)tck;
		fclose(f);
	}
	return s;
}

/* ---------------------------------------------------------------------------------------- */
/* The load generator: a closed loop keeping opt_inflight requests outstanding.               */

struct gen {
	struct sen_loop *loop;
	struct sen_sbi_client *cli;
	const char *auth;
	bool gad; /* generate-auth-data (200) or the empty handler (204) */
	unsigned inflight, next;
	uint64_t ok, bad;
	int last_bad;
	bool stopping;
};

static void gen_send(struct gen *g);

static void gen_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct gen *g = arg;
	int want = g->gad ? 200 : 204;

	g->inflight--;
	if (err == 0 && sen_sbi_msg_status(rsp) == want) {
		g->ok++;
	} else {
		g->bad++;
		g->last_bad = err < 0 ? err : sen_sbi_msg_status(rsp);
	}
	if (!g->stopping)
		gen_send(g);
	else if (!g->inflight)
		sen_loop_stop(g->loop);
}

static void gen_send(struct gen *g)
{
	struct sen_sbi_msg *m;

	if (g->gad) {
		char supi[32];
		snprintf(supi, sizeof(supi), SUPI_FMT, g->next++ % N_SUPI);
		m = sen_sbi_request_new(
		    SEN_SBI_POST, "/nudm-ueau/v1/%s/security-information/generate-auth-data", supi);
	} else {
		m = sen_sbi_request_new(SEN_SBI_POST, EMPTY_PATH);
	}
	if (!m || sen_sbi_msg_set_body(m, GAD_BODY, sizeof(GAD_BODY) - 1, "application/json") < 0 ||
	    sen_sbi_client_send(g->cli, g->auth, m, 10000, gen_answer, g) < 0) {
		fprintf(stderr, "bench-sbi: cannot send\n");
		exit(1);
	}
	g->inflight++;
}

struct result {
	double rps, cpu;
	uint64_t bad;
};

static void on_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	sen_loop_stop(loop);
}

/* Run the loop for `secs` seconds (other callbacks keep running). */
static void run_for(struct sen_loop *loop, double secs)
{
	struct sen_timer t;

	sen_timer_init(&t, loop, on_timer, NULL);
	sen_timer_start(&t, (uint64_t)(secs * 1000));
	sen_loop_run(loop);
	sen_timer_stop(&t);
}

/*
 * Warm up until `need` answers were right (at most `max_wait` s), then measure opt_secs.
 * Returns the result; exits if nothing ever answered right.
 */
static struct result measure(struct gen *g, const pid_t *kids, int nk, unsigned need,
			     double max_wait)
{
	struct result r = {0};
	double t0 = now(), c0, w0;

	for (unsigned i = 0; i < opt_inflight; i++)
		gen_send(g);
	while (g->ok < need && now() - t0 < max_wait)
		run_for(g->loop, 0.05);
	if (g->ok < need) {
		fprintf(stderr, "bench-sbi: no answer from %s (last: %d)\n", g->auth, g->last_bad);
		exit(1);
	}
	run_for(g->loop, opt_secs / 10); /* steady state */
	g->ok = g->bad = 0;
	c0 = cpu_secs(kids, nk);
	w0 = now();
	run_for(g->loop, opt_secs);
	r.rps = (double)g->ok / (now() - w0);
	r.cpu = (cpu_secs(kids, nk) - c0) / (now() - w0);
	r.bad = g->bad;
	g->stopping = true;
	t0 = now();
	while (g->inflight && now() - t0 < 15)
		run_for(g->loop, 0.1);
	return r;
}

/* ---------------------------------------------------------------------------------------- */
/* Items.                                                                                     */

static uint16_t free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) < 0) {
		perror("bench-sbi: port");
		exit(1);
	}
	close(fd);
	return ntohs(a.sin_port);
}

static void on_empty(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	(void)req;
	(void)arg;
	sen_sbi_stream_respond_status(st, 204);
}

static struct result item_empty(bool h2)
{
	struct sen_loop *loop;
	struct sen_sbi_server *srv;
	struct gen g = {0};
	struct result r;
	char auth[64];
	uint16_t port = free_port();

	if (sen_loop_new(&loop) < 0 ||
	    sen_sbi_server_new(loop, &(struct sen_sbi_server_opts){.addr = "127.0.0.1", .port = port},
			       &srv) < 0 ||
	    sen_sbi_server_route(srv, SEN_SBI_POST, EMPTY_PATH, on_empty, NULL) < 0 ||
	    sen_sbi_server_start(srv) < 0 ||
	    sen_sbi_client_new(loop, &(struct sen_sbi_client_opts){.no_local = h2}, &g.cli) < 0) {
		fprintf(stderr, "bench-sbi: empty server\n");
		exit(1);
	}
	snprintf(auth, sizeof(auth), "127.0.0.1:%u", port);
	g.loop = loop;
	g.auth = auth;
	r = measure(&g, NULL, 0, 1, 5);
	sen_sbi_client_free(g.cli);
	sen_sbi_server_free(srv);
	sen_loop_free(loop);
	return r;
}

/* The sen.yaml of the home network: each NF on its own loopback address, one port. */
static void write_config(const char *path, const char *db, uint16_t port, uint16_t mport)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f,
		"plmn: { mcc: \"999\", mnc: \"70\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"
		"log: { level: error }\nmetrics: { port: %u }\n"
		"nrf: { sbi: 127.0.0.10:%u }\n"
		"udm: { sbi: 127.0.0.12:%u }\n"
		"udr: { sbi: 127.0.0.20:%u, db: \"sqlite:%s\" }\n",
		mport, port, port, port, db);
	fclose(f);
}

/* A fresh store in dir with N_SUPI subscribers (K, OPc of TS 35.208 set 1). */
static void provision(const char *db)
{
	static const uint8_t k[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
				      0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
	static const uint8_t opc[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e,
					0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf};
	struct sen_udr_subscriber *s = calloc(1, sizeof(*s));
	struct sen_udr_store *st;
	char url[600];

	snprintf(url, sizeof(url), "sqlite:%s", db);
	unlink(db);
	if (!s || sen_udr_store_open(url, &st) < 0) {
		fprintf(stderr, "bench-sbi: cannot open %s\n", url);
		exit(1);
	}
	for (unsigned i = 0; i < N_SUPI; i++) {
		char supi[32];
		snprintf(supi, sizeof(supi), SUPI_FMT, i);
		sen_udr_subscriber_init(s, supi);
		memcpy(s->auth.k, k, 16);
		memcpy(s->auth.op, opc, 16);
		s->n_slices = 1;
		s->slices[0].sst = 1;
		s->slices[0].sd = SEN_UDR_SD_NONE;
		s->slices[0].is_default = true;
		if (sen_udr_store_add(st, s) < 0) {
			fprintf(stderr, "bench-sbi: provisioning failed\n");
			exit(1);
		}
	}
	sen_udr_store_close(st);
	free(s);
}

static const struct sen_nf_module *const home_mods[] = {&sen_nrf_module, &sen_udr_module,
							 &sen_udm_module};

/* nrf + udr + udm on one loop, the client on the same loop (local transport throughout). */
static struct result item_gad_local(const char *db)
{
	char conf[600], err[SEN_CFG_ERR_MAX], auth[64];
	void *state[3];
	struct sen_config *cfg;
	struct sen_loop *loop;
	struct gen g = {0};
	struct result r;
	uint16_t port = free_port();

	snprintf(conf, sizeof(conf), "%s.yaml", db);
	write_config(conf, db, port, free_port());
	if (sen_config_load(conf, &cfg, err, sizeof(err)) < 0 || sen_loop_new(&loop) < 0) {
		fprintf(stderr, "bench-sbi: %s\n", err);
		exit(1);
	}
	struct sen_nf_env env = {.loop = loop, .cfg = cfg};
	for (int i = 0; i < 3; i++) {
		if (home_mods[i]->init(&env, &state[i], err, sizeof(err)) < 0 ||
		    home_mods[i]->start(state[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "bench-sbi: %s: %s\n", home_mods[i]->name, err);
			exit(1);
		}
	}
	sen_sbi_client_new(loop, NULL, &g.cli);
	snprintf(auth, sizeof(auth), "127.0.0.12:%u", port);
	g.loop = loop;
	g.auth = auth;
	g.gad = true;
	r = measure(&g, NULL, 0, 1, 15);
	sen_sbi_client_free(g.cli);
	for (int i = 2; i >= 0; i--) {
		home_mods[i]->stop(state[i]);
		run_for(loop, 0.05);
	}
	for (int i = 2; i >= 0; i--)
		home_mods[i]->free(state[i]);
	sen_loop_free(loop);
	sen_config_free(cfg);
	return r;
}

static pid_t spawn(const char *conf, const char *nfs)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = {"bench-sbi", "-c", (char *)conf, "--nf", (char *)nfs, NULL};
		_exit(sen_nf_main("bench-sbi", 5, argv, home_mods, 3));
	}
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	return pid;
}

/* nrf + udr in one process, udm in another, the client here: HTTP/2 on every hop. */
static struct result item_gad_h2(const char *db)
{
	char conf[600], auth[64];
	struct sen_loop *loop;
	struct gen g = {0};
	struct result r;
	uint16_t port = free_port();
	pid_t kids[2];

	snprintf(conf, sizeof(conf), "%s.yaml", db);
	write_config(conf, db, port, free_port());
	kids[0] = spawn(conf, "nrf,udr");
	usleep(200000);
	kids[1] = spawn(conf, "udm");
	if (sen_loop_new(&loop) < 0 || sen_sbi_client_new(loop, NULL, &g.cli) < 0)
		exit(1);
	snprintf(auth, sizeof(auth), "127.0.0.12:%u", port);
	g.loop = loop;
	g.auth = auth;
	g.gad = true;
	r = measure(&g, kids, 2, 1, 20);
	sen_sbi_client_free(g.cli);
	sen_loop_free(loop);
	for (int i = 1; i >= 0; i--) {
		int status;
		kill(kids[i], SIGTERM);
		waitpid(kids[i], &status, 0);
	}
	return r;
}

/* ---------------------------------------------------------------------------------------- */

static void row(const char *name, const char *store, struct result r, double base)
{
	printf("%-12s %-26s %10.0f %7.0f%% %10.0f %8.3f %6llu\n", name, store, r.rps,
	       100 * r.cpu, r.cpu > 0 ? r.rps / r.cpu : 0, base > 0 ? r.rps / base : 1.0,
	       (unsigned long long)r.bad);
	fflush(stdout);
	if (base > 0) {
		char item[80];

		snprintf(item, sizeof(item), "%s, %s (ratio: to h2-empty)", name, store);
		bench_summary("sbi", item, r.rps, "req/s", r.rps / base, "errors 0", r.bad == 0);
	}
}

int main(int argc, char **argv)
{
	char disk[512], shm[512], db_disk[600], db_shm[600];
	struct result h2a, h2b, loc, gl[2], gh[2];
	double base;
	cpu_set_t set;
	int o;

	while ((o = getopt(argc, argv, "t:n:c:d:q")) != -1) {
		switch (o) {
		case 't':
			opt_secs = atof(optarg);
			break;
		case 'n':
			opt_inflight = (unsigned)atoi(optarg);
			break;
		case 'c':
			opt_cpu = atoi(optarg);
			break;
		case 'd':
			opt_dir = optarg;
			break;
		case 'q':
			opt_secs = 0.3;
			break;
		default:
			fprintf(stderr, "usage: bench-sbi [-t SECONDS] [-n IN_FLIGHT] [-c CPU] "
					"[-d DIR] [-q]\n");
			return 2;
		}
	}
	if (opt_secs <= 0 || opt_inflight < 1 || opt_inflight > 1000)
		return 2;
	sen_log_set_levels("error");
	signal(SIGPIPE, SIG_IGN);
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && opt_cpu < 0)
		for (opt_cpu = 0; opt_cpu < CPU_SETSIZE && !CPU_ISSET(opt_cpu, &set); opt_cpu++)
			;
	CPU_ZERO(&set);
	CPU_SET(opt_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		perror("bench-sbi: pin");
		return 1;
	}

	snprintf(disk, sizeof(disk), "%s/bench-sbi-XXXXXX", opt_dir);
	snprintf(shm, sizeof(shm), "/dev/shm/bench-sbi-XXXXXX");
	if (!mkdtemp(disk) || !mkdtemp(shm)) {
		perror("bench-sbi: mkdtemp");
		return 1;
	}
	snprintf(db_disk, sizeof(db_disk), "%s/subscribers.db", disk);
	snprintf(db_shm, sizeof(db_shm), "%s/subscribers.db", shm);
	provision(db_disk);
	provision(db_shm);

	printf("bench-sbi: CPU %d, %u requests in flight, %.1f s per item, %u SUPIs\n", opt_cpu,
	       opt_inflight, opt_secs, N_SUPI);
	printf("%-12s %-26s %10s %8s %10s %8s %6s\n", "item", "store", "req/s", "CPU",
	       "req/CPU-s", "ratio", "errors");
	h2a = item_empty(true);
	row("h2-empty", "-", h2a, 0);
	loc = item_empty(false);
	gl[0] = item_gad_local(db_disk);
	gl[1] = item_gad_local(db_shm);
	gh[0] = item_gad_h2(db_disk);
	gh[1] = item_gad_h2(db_shm);
	h2b = item_empty(true);
	row("h2-empty", "- (again, at the end)", h2b, 0);
	base = (h2a.rps + h2b.rps) / 2;
	row("local-empty", "-", loc, base);
	char where[64];
	snprintf(where, sizeof(where), "sqlite FULL, %.16s", opt_dir);
	row("gad-local", where, gl[0], base);
	row("gad-local", "sqlite FULL, /dev/shm", gl[1], base);
	row("gad-h2", where, gh[0], base);
	row("gad-h2", "sqlite FULL, /dev/shm", gh[1], base);

	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", disk, shm);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-sbi: could not remove %s, %s\n", disk, shm);
	return 0;
}
