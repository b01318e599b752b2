/*
 * The local transport's plumbing (DESIGN.md, Process model):
 *
 * - the registry: every started server (unless opts.no_local) registers its canonical
 *   authority here; a client whose target authority is registered by a server on the
 *   same loop hands the request over by function call instead of HTTP/2. The registry
 *   is process-wide (servers on other threads' loops are listed too, and never used
 *   locally), so it is locked; clients cache their lookups and re-check only when the
 *   generation number changes.
 *
 * - the deferred-call queue: an intrusive FIFO drained by a 0 ms sen_timer, i.e. in
 *   the loop's next round. Requests and answers crossing the local transport go
 *   through it, so a handler never runs on its caller's stack and a callback never runs
 *   inside sen_sbi_client_request() or sen_sbi_stream_respond(); no syscall and no
 *   allocation is involved (the items are embedded in the stream / transaction).
 */
#include "sbi/internal.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/err.h"
#include "core/hash.h"

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sen_hash *reg;
static atomic_uint reg_gen = 1;

int sbi_local_register(const char *canon, struct sen_sbi_server *srv)
{
	int rv;

	pthread_mutex_lock(&reg_lock);
	rv = reg ? 0 : sen_hash_new(&reg);
	if (rv == 0)
		rv = sen_hash_add_str(reg, canon, srv);
	if (rv == 0)
		atomic_fetch_add(&reg_gen, 1);
	pthread_mutex_unlock(&reg_lock);
	return rv;
}

void sbi_local_unregister(const char *canon, struct sen_sbi_server *srv)
{
	pthread_mutex_lock(&reg_lock);
	if (reg && sen_hash_get_str(reg, canon) == srv) {
		sen_hash_del_str(reg, canon);
		atomic_fetch_add(&reg_gen, 1);
		if (sen_hash_count(reg) == 0) {
			sen_hash_free(reg);
			reg = NULL;
		}
	}
	pthread_mutex_unlock(&reg_lock);
}

struct sen_sbi_server *sbi_local_lookup(const char *canon, struct sen_loop *loop)
{
	struct sen_sbi_server *srv = NULL;

	pthread_mutex_lock(&reg_lock);
	if (reg)
		srv = sen_hash_get_str(reg, canon);
	if (srv && sbi_server_loop(srv) != loop)
		srv = NULL;
	pthread_mutex_unlock(&reg_lock);
	return srv;
}

unsigned sbi_local_generation(void)
{
	return atomic_load(&reg_gen);
}

/* ---- deferred calls ---- */

static void on_defer_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	sbi_defer_run(arg);
}

void sbi_defer_init(struct sbi_defer_q *q, struct sen_loop *loop)
{
	q->head = NULL;
	q->tail = &q->head;
	sen_timer_init(&q->timer, loop, on_defer_timer, q);
}

void sbi_defer_push(struct sbi_defer_q *q, struct sbi_defer *d)
{
	d->next = NULL;
	*q->tail = d;
	q->tail = &d->next;
	if (!sen_timer_pending(&q->timer))
		sen_timer_start(&q->timer, 0);
}

struct sbi_defer *sbi_defer_take(struct sbi_defer_q *q)
{
	struct sbi_defer *list = q->head;

	q->head = NULL;
	q->tail = &q->head;
	return list;
}

void sbi_defer_run(struct sbi_defer_q *q)
{
	struct sbi_defer *d = sbi_defer_take(q);

	while (d) {
		struct sbi_defer *next = d->next;

		d->next = NULL;
		d->fn(d);
		d = next;
	}
}

void sbi_defer_fini(struct sbi_defer_q *q)
{
	sen_timer_stop(&q->timer);
	q->head = NULL;
	q->tail = &q->head;
}
