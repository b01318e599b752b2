/*
 * The shared daemon main() and module lifecycle (see nf.h).
 */
#include "nf.h"

#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/metrics.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODS 16

/* TS-independent: map the config's level names onto lib/core log levels. */
static enum sen_log_level log_level(int cfg_level)
{
	switch (cfg_level) {
	case SEN_CFG_LOG_ERROR:
		return SEN_LOG_ERROR;
	case SEN_CFG_LOG_WARN:
		return SEN_LOG_WARN;
	case SEN_CFG_LOG_DEBUG:
		return SEN_LOG_DEBUG;
	case SEN_CFG_LOG_TRACE:
		return SEN_LOG_TRACE;
	default:
		return SEN_LOG_INFO;
	}
}

static int setup_logging(const struct sen_config *cfg, char *err, size_t errlen)
{
	const struct sen_cfg_log *l = &cfg->global.log;

	sen_log_set_level(log_level(l->level));
	for (size_t i = 0; i < l->n_modules; i++) {
		const char *name = l->modules[i].name;

		if (sen_log_set_module_level(name, log_level(l->modules[i].level)) < 0) {
			snprintf(err, errlen, "%s:%u: log.modules.%s: cannot have its own level",
				 cfg->file, sen_config_line(cfg, "log.modules.%s", name), name);
			return -SEN_ECONFIG;
		}
	}
	if (l->file && sen_log_open(l->file) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s:%u: log.file: cannot open %s: %s", cfg->file,
			 sen_config_line(cfg, "log.file"), l->file, strerror(e));
		return -SEN_ECONFIG;
	}
	return 0;
}

int sen_nf_check_bind(struct sen_config *cfg, size_t size,
		      int (*bind)(struct sen_config *cfg, void *out, char *err, size_t errlen),
		      char *err, size_t errlen)
{
	void *scratch = calloc(1, size);
	int rc;

	if (!scratch) {
		snprintf(err, errlen, "%s: out of memory checking the configuration", cfg->file);
		return -SEN_ENOMEM;
	}
	rc = bind(cfg, scratch, err, errlen);
	free(scratch);
	return rc;
}

/*
 * Check every section of the file this program has a schema for, before any module
 * starts (DESIGN.md: one sen.yaml for every daemon, so a typo in another NF's section
 * stops start-up too, not only when that NF is run).
 */
static int check_sections(struct sen_config *cfg, const struct sen_nf_module *const *mods,
			  size_t n_mods, char *err, size_t errlen)
{
	int rc;

	for (size_t i = 0; i < n_mods; i++)
		if (mods[i]->check && sen_config_section(cfg, mods[i]->name) &&
		    (rc = mods[i]->check(cfg, err, errlen)) < 0)
			return rc;
	return sen_config_check_core_sections(cfg, err, errlen);
}

/* Run the loop until it has been idle for two rounds of 10 ms, at most 0.5 s. */
static void drain(struct sen_loop *loop)
{
	int idle = 0;

	for (int i = 0; loop && i < 50 && idle < 2; i++)
		idle = sen_loop_run_once(loop, 10) > 0 ? 0 : idle + 1;
}

static void usage(const char *prog, bool several, const struct sen_nf_module *const *mods,
		  size_t n)
{
	fprintf(stderr, "usage: %s [-c sen.yaml]%s\n", prog, several ? " [--nf LIST]" : "");
	if (several) {
		fprintf(stderr, "  --nf LIST  comma-separated network functions to run (default all):");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s%s", i ? "," : " ", mods[i]->name);
		fputc('\n', stderr);
	}
}

/* Select modules from "a,b,c"; returns the count or -1 (message printed). */
static int select_mods(const char *prog, const char *list, const struct sen_nf_module *const *mods,
		       size_t n, const struct sen_nf_module **out)
{
	bool want[MAX_MODS] = { false };
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		size_t i;
		for (i = 0; i < n; i++)
			if (strlen(mods[i]->name) == len && !strncmp(mods[i]->name, p, len))
				break;
		if (i == n) {
			fprintf(stderr, "%s: --nf: unknown network function '%.*s'\n", prog,
				(int)len, p);
			return -1;
		}
		want[i] = true;
		p = e ? e + 1 : p + len;
	}
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (want[i])
			out[k++] = mods[i];
	if (!k)
		fprintf(stderr, "%s: --nf: no network function given\n", prog);
	return k ? k : -1;
}

int sen_nf_main(const char *prog, int argc, char **argv, const struct sen_nf_module *const *mods,
		size_t n_mods)
{
	const char *path = "/etc/sen/sen.yaml", *nf_list = NULL;
	const struct sen_nf_module *run[MAX_MODS];
	void *state[MAX_MODS] = { NULL };
	char err[SEN_CFG_ERR_MAX] = "";
	bool several = n_mods > 1;
	int n_run, n_init = 0, n_started = 0, status = 1;

	if (n_mods == 0 || n_mods > MAX_MODS)
		return 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			path = argv[++i];
		} else if (several && !strcmp(argv[i], "--nf") && i + 1 < argc) {
			nf_list = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(prog, several, mods, n_mods);
			return 0;
		} else {
			fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[i]);
			usage(prog, several, mods, n_mods);
			return 2;
		}
	}
	if (nf_list) {
		if ((n_run = select_mods(prog, nf_list, mods, n_mods, run)) < 0)
			return 2;
	} else {
		for (size_t i = 0; i < n_mods; i++)
			run[i] = mods[i];
		n_run = (int)n_mods;
	}

	struct sen_config *cfg = NULL;
	struct sen_loop *loop = NULL;
	struct sen_metrics_server *metrics = NULL;
	if (sen_config_load(path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return 1;
	}
	if (check_sections(cfg, mods, n_mods, err, sizeof(err)) < 0 ||
	    setup_logging(cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", prog, err);
		goto out;
	}
	int rc = sen_loop_new(&loop);
	if (rc < 0 || (rc = sen_loop_stop_on_signals(loop)) < 0) {
		fprintf(stderr, "%s: cannot create the event loop: %s\n", prog, sen_strerror(rc));
		goto out;
	}
	struct sen_nf_env env = { .loop = loop, .cfg = cfg };
	for (; n_init < n_run; n_init++) {
		err[0] = '\0';
		if (run[n_init]->init(&env, &state[n_init], err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err[0] ? err : "initialisation failed");
			goto out;
		}
	}
	for (; n_started < n_run; n_started++) {
		err[0] = '\0';
		if (run[n_started]->start(state[n_started], err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, run[n_started]->name,
				err[0] ? err : "start failed");
			goto out;
		}
	}
	/* One metrics server per process, on the first module's address. */
	const char *maddr = run[0]->metrics_addr ? run[0]->metrics_addr(state[0]) : NULL;
	if (maddr && cfg->global.metrics.port &&
	    (rc = sen_metrics_server_start(loop, maddr, cfg->global.metrics.port, &metrics)) < 0) {
		fprintf(stderr, "%s: %s: metrics.port: cannot listen on %s:%u: %m\n", prog,
			cfg->file, maddr, cfg->global.metrics.port);
		goto out;
	}
	for (int i = 0; i < n_run; i++)
		sen_log_info(run[i]->name, "started (%s)", cfg->file);
	sen_loop_run(loop);
	status = 0;
out:
	/*
	 * Stop in reverse order, letting what each stop() queued (NRF deregistration …) go
	 * out before the next module stops: in sen-core the NRF is first in the list, so it
	 * still serves the others' deregistrations.
	 */
	while (n_started > 0) {
		n_started--;
		run[n_started]->stop(state[n_started]);
		drain(loop);
	}
	sen_metrics_server_stop(metrics);
	while (n_init > 0) {
		n_init--;
		run[n_init]->free(state[n_init]);
	}
	if (status == 0)
		sen_log_info(prog, "stopped");
	sen_loop_free(loop);
	sen_config_free(cfg);
	return status;
}
