/*
 * Network-function modules and the one main() every daemon shares (DESIGN.md, "Process
 * model: split or together, same code").
 *
 * Each NF (nrf, udr, udm, ausf, amf, smf, upf) is a module with init / start / stop / free
 * on one event loop. `sen-<nf> -c sen.yaml` runs one module; `sen-core -c sen.yaml --nf
 * nrf,udr,…` runs several in one process. sen_nf_main() does everything around them:
 * options, loading sen.yaml and checking every section in it that the program knows a
 * schema for, run or not (a bad file stops start-up with "file:line: key: problem"),
 * logging from the `log` section, the Prometheus metrics server, SIGINT/SIGTERM for a clean
 * stop, and the order: init all, start all, run, stop all (reverse), free all.
 */
#ifndef SEN_NF_H
#define SEN_NF_H

#include <stddef.h>

struct sen_loop;
struct sen_config;

/* What a module is given at init. Valid until its free() returns. */
struct sen_nf_env {
	struct sen_loop *loop;
	struct sen_config *cfg; /* the whole sen.yaml; a module binds its own section */
};

struct sen_nf_module {
	const char *name; /* "nrf", "udr" … (also the section name in sen.yaml) */
	/*
	 * Read the module's section and prepare its state; no sockets yet. On a bad
	 * configuration write one line "file:line: key: problem" to err and return
	 * -SEN_ECONFIG; other failures return their -SEN_E… code with a line in err.
	 */
	int (*init)(struct sen_nf_env *env, void **state, char *err, size_t errlen);
	/* Open sockets, register with the NRF, start serving. Same error convention. */
	int (*start)(void *state, char *err, size_t errlen);
	/* Stop serving (deregister from the NRF …). Called on the loop, which still runs. */
	void (*stop)(void *state);
	/* Release everything. */
	void (*free)(void *state);
	/* The address the module's metrics are served on (its SBI or PFCP address), or NULL. */
	const char *(*metrics_addr)(void *state);
	/*
	 * Optional: check the module's section (present in the file) with no side effect
	 * (bind it into scratch memory and drop it: no file opened, no socket), writing
	 * "file:line: key: problem" to err and returning -SEN_ECONFIG when it is wrong.
	 * Without it, the section is checked with lib/core's schema when lib/core has one
	 * (nrf, udr, udm, ausf).
	 */
	int (*check)(struct sen_config *cfg, char *err, size_t errlen);
};

/*
 * A module's check (see `check` above) in one call: bind the section with `bind` into
 * `size` bytes of zeroed scratch memory and free it. `bind` is a module's config binder
 * behind a small wrapper taking `void *` (the binders have typed struct pointers).
 * Returns what `bind` returns, or -SEN_ENOMEM (with a line in err).
 */
int sen_nf_check_bind(struct sen_config *cfg, size_t size,
		      int (*bind)(struct sen_config *cfg, void *out, char *err, size_t errlen),
		      char *err, size_t errlen);

/*
 * The shared main(). `mods` lists the modules this program can run; `prog` names the
 * program in messages. With one module it runs that module; with several (sen-core), the
 * "--nf a,b,c" option picks which (default: all), in the order of `mods`.
 * Options: -c FILE (default /etc/sen/sen.yaml), --nf LIST, -h.
 * Returns the process exit status: 0 after a clean stop, 1 on a start-up failure
 * (one line on stderr says why), 2 on bad options.
 */
int sen_nf_main(const char *prog, int argc, char **argv, const struct sen_nf_module *const *mods,
		size_t n_mods);

#endif
