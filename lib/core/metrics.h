/*
 * Prometheus metrics: a process-wide registry of counters and gauges with labels, and a
 * small HTTP/1.1 server on the event loop that serves them in the Prometheus text
 * exposition format (version 0.0.4) at GET /metrics.
 *
 * Where TS 28.552 defines a measurement, NFs use the name Open5GS uses for it
 * (e.g. fivegs_amffunction_rm_reginitreq) so existing dashboards work unchanged.
 *
 * Usage:
 *   static struct sen_metric *req;
 *   req = sen_metric_new(SEN_METRIC_COUNTER, "sen_sbi_requests_total",
 *                        "SBI requests served", "service,status");
 *   sen_metric_add(sen_metric_series(req, (const char *[]){"nudm-ueau", "200"}), 1);
 *
 * Families and series live until sen_metrics_reset() (tests) or process exit. Updating a
 * series value is lock-free and safe from any thread; creating series takes a lock.
 */
#ifndef SEN_CORE_METRICS_H
#define SEN_CORE_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct sen_loop;

enum sen_metric_type { SEN_METRIC_COUNTER, SEN_METRIC_GAUGE };

#define SEN_METRIC_MAX_LABELS 4

struct sen_metric;	  /* a family: name, help, type, label names */
struct sen_metric_series; /* one set of label values of a family */

/*
 * Register a family (or return the existing one of that name if type and labels match).
 * `labels` is a comma-separated list of label names, or NULL/"" for none (at most
 * SEN_METRIC_MAX_LABELS). Names must match [a-zA-Z_:][a-zA-Z0-9_:]*. Returns NULL on a bad
 * name, a mismatch with an existing family, or out of memory.
 */
struct sen_metric *sen_metric_new(enum sen_metric_type type, const char *name, const char *help,
				  const char *labels);

/*
 * The series of `fam` with the given label values (one per label name; ignored when the
 * family has none), created at zero on first use. Values are escaped on output. Returns
 * NULL if fam is NULL or on out of memory — and every update function accepts NULL, so
 * metrics can never make a caller fail.
 */
struct sen_metric_series *sen_metric_series(struct sen_metric *fam, const char *const *values);

/* The family's only series (families without labels). */
struct sen_metric_series *sen_metric_single(struct sen_metric *fam);

void sen_metric_add(struct sen_metric_series *s, int64_t delta); /* counters: delta >= 0 */
void sen_metric_set(struct sen_metric_series *s, int64_t value); /* gauges */
int64_t sen_metric_value(const struct sen_metric_series *s);

/*
 * Render every family in the text exposition format into a malloc'd NUL-terminated
 * string (*len set when len is not NULL). Returns NULL on out of memory.
 */
char *sen_metrics_render(size_t *len);

/* Forget every family and series (for tests). Not safe while other threads update. */
void sen_metrics_reset(void);

struct sen_metrics_server;

/*
 * Serve GET /metrics over HTTP/1.1 on addr:port (IPv4 or IPv6 literal) from `loop`.
 * Any other path gets 404, any other method 405; a request header over 8 KiB or a client
 * idle for 10 s is dropped. port 0 picks a free port (see sen_metrics_server_port).
 * Returns 0 or -SEN_EINVAL (bad address), -SEN_EIO (bind/listen failed, errno kept),
 * -SEN_ENOMEM.
 */
int sen_metrics_server_start(struct sen_loop *loop, const char *addr, uint16_t port,
			     struct sen_metrics_server **srv);
uint16_t sen_metrics_server_port(const struct sen_metrics_server *srv);
void sen_metrics_server_stop(struct sen_metrics_server *srv); /* closes all; NULL is fine */

#endif
