/*
 * Unit tests for lib/core/loop: timer order and delays, stop/restart, 100k timers,
 * removing timers and fds from inside callbacks, fd callbacks over pipes, posting from
 * another thread, stopping from another thread, and signals.
 *
 * Timing checks only have lower bounds that the contract guarantees ("not before its
 * delay") and generous upper bounds, so a loaded machine does not make them flaky.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/loop.h"

/* Generous upper bound on lateness, and how long a test may run before it fails. */
#define SLACK_MS    1500
#define WATCHDOG_MS 10000

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct sen_loop *new_loop(void)
{
	struct sen_loop *loop = NULL;

	assert_int_equal(sen_loop_new(&loop), 0);
	assert_non_null(loop);
	return loop;
}

/* A watchdog: if it fires, the test failed to finish on its own. */
static bool watchdog_fired;

static void on_watchdog(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	watchdog_fired = true;
	sen_loop_stop(loop);
}

static void arm_watchdog(struct sen_loop *loop, struct sen_timer *t)
{
	watchdog_fired = false;
	sen_timer_init(t, loop, on_watchdog, NULL);
	assert_int_equal(sen_timer_start(t, WATCHDOG_MS), 0);
}

static void on_stop(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	sen_loop_stop(loop);
}

/* ---- timers ---- */

struct fired {
	int order[16];
	uint64_t at[16];
	int n;
};

static struct fired fired;

static void record(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	int id = (int)(intptr_t)arg;

	assert_true(fired.n < 16);
	fired.order[fired.n] = id;
	fired.at[fired.n] = mono_ms();
	fired.n++;
	assert_false(sen_timer_pending(t)); /* not pending inside its own callback */
}

static void test_timer_order_and_delay(void **state)
{
	static const uint64_t delay[] = {120, 40, 80, 0, 200};
	static const int expect[] = {3, 1, 2, 0, 4};
	struct sen_loop *loop = new_loop();
	struct sen_timer t[5], done, wd;
	uint64_t start;

	memset(&fired, 0, sizeof(fired));
	arm_watchdog(loop, &wd);
	start = sen_loop_update_now(loop);
	for (int i = 0; i < 5; i++) {
		sen_timer_init(&t[i], loop, record, (void *)(intptr_t)i);
		assert_false(sen_timer_pending(&t[i]));
		assert_int_equal(sen_timer_start(&t[i], delay[i]), 0);
		assert_true(sen_timer_pending(&t[i]));
	}
	assert_int_equal(sen_timer_remaining(&t[1]), 40);
	sen_timer_init(&done, loop, on_stop, NULL);
	assert_int_equal(sen_timer_start(&done, 250), 0);
	assert_int_equal(sen_loop_timer_count(loop), 7);

	assert_int_equal(sen_loop_run(loop), 0);
	assert_false(watchdog_fired);
	assert_int_equal(fired.n, 5);
	for (int i = 0; i < 5; i++) {
		uint64_t d = delay[expect[i]];

		assert_int_equal(fired.order[i], expect[i]);
		assert_true(fired.at[i] >= start + d);
		assert_true(fired.at[i] <= start + d + SLACK_MS);
	}
	assert_true(mono_ms() >= start + 250);
	assert_int_equal(sen_loop_timer_count(loop), 1); /* the watchdog */
	sen_timer_stop(&wd);
	assert_int_equal(sen_loop_timer_count(loop), 0);
	sen_loop_free(loop);
}

static void test_timer_same_ms_fifo(void **state)
{
	struct sen_loop *loop = new_loop();
	struct sen_timer t[10];

	memset(&fired, 0, sizeof(fired));
	/* Started in order 0..9 with the same delay: they fire in start order. */
	for (int i = 0; i < 10; i++) {
		sen_timer_init(&t[i], loop, record, (void *)(intptr_t)i);
		assert_int_equal(sen_timer_start(&t[i], 5), 0);
	}
	/* Restarting 3 moves it behind the others. */
	assert_int_equal(sen_timer_start(&t[3], 5), 0);
	while (fired.n < 10)
		assert_true(sen_loop_run_once(loop, 1000) >= 0);
	for (int i = 0; i < 9; i++)
		assert_int_equal(fired.order[i], i < 3 ? i : i + 1);
	assert_int_equal(fired.order[9], 3);
	sen_loop_free(loop);
}

static struct sen_timer *victim;
static int periodic_runs;

static void stop_victim(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	record(loop, t, arg);
	sen_timer_stop(victim);
	sen_timer_stop(t); /* stopping the firing timer: a no-op */
}

static void periodic(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	if (++periodic_runs < 3)
		assert_int_equal(sen_timer_start(t, 0), 0); /* 0 ms: fires next round */
}

static void free_self(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	(*(int *)arg)++;
	free(t);
}

static void test_timer_stop_restart(void **state)
{
	struct sen_loop *loop = new_loop();
	struct sen_timer a, b, c, d, p, done, wd, *heap_timer;
	uint64_t start;
	int freed = 0, rounds;

	memset(&fired, 0, sizeof(fired));
	arm_watchdog(loop, &wd);
	start = sen_loop_update_now(loop);

	/* a: started, then stopped: never fires. Stopping twice is harmless. */
	sen_timer_init(&a, loop, record, (void *)1);
	assert_int_equal(sen_timer_start(&a, 20), 0);
	sen_timer_stop(&a);
	sen_timer_stop(&a);
	assert_false(sen_timer_pending(&a));
	assert_int_equal(sen_timer_remaining(&a), 0);

	/* b: restarted from 20 ms to 150 ms while pending: fires once, late. */
	sen_timer_init(&b, loop, record, (void *)2);
	assert_int_equal(sen_timer_start(&b, 20), 0);
	assert_int_equal(sen_timer_start(&b, 150), 0);
	assert_int_equal(sen_timer_remaining(&b), 150);

	/* c and d due in the same round; c's callback stops d, so d never fires. */
	sen_timer_init(&c, loop, stop_victim, (void *)3);
	sen_timer_init(&d, loop, record, (void *)4);
	assert_int_equal(sen_timer_start(&c, 30), 0);
	assert_int_equal(sen_timer_start(&d, 30), 0);
	victim = &d;

	/* p restarts itself with 0 ms twice; each restart waits for the next round. */
	periodic_runs = 0;
	sen_timer_init(&p, loop, periodic, NULL);
	assert_int_equal(sen_timer_start(&p, 0), 0);
	rounds = 0;
	while (periodic_runs < 3) {
		int before = periodic_runs;

		assert_true(sen_loop_run_once(loop, 0) >= 0);
		assert_true(periodic_runs <= before + 1);
		rounds++;
	}
	assert_int_equal(rounds, 3);

	/* A heap-allocated timer freed by its own callback. */
	heap_timer = malloc(sizeof(*heap_timer));
	assert_non_null(heap_timer);
	sen_timer_init(heap_timer, loop, free_self, &freed);
	assert_int_equal(sen_timer_start(heap_timer, 10), 0);

	sen_timer_init(&done, loop, on_stop, NULL);
	assert_int_equal(sen_timer_start(&done, 200), 0);
	assert_int_equal(sen_loop_run(loop), 0);

	assert_false(watchdog_fired);
	assert_int_equal(freed, 1);
	assert_int_equal(fired.n, 2);
	assert_int_equal(fired.order[0], 3);
	assert_int_equal(fired.order[1], 2);
	assert_true(fired.at[1] >= start + 150);
	assert_false(sen_timer_pending(&d));
	sen_timer_stop(&wd);
	sen_loop_free(loop);
}

#define MANY 100000

struct many {
	struct sen_timer t;
	uint64_t due;
	int fires;
	bool stopped;
};

static struct many *many;
static uint64_t last_due;
static int many_fired;

static void many_cb(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct many *m = arg;

	assert_ptr_equal(&m->t, t);
	assert_false(m->stopped);
	/* Heap order: never a timer due earlier than the one before it. */
	assert_true(m->due >= last_due);
	assert_true(sen_loop_now(loop) >= m->due);
	last_due = m->due;
	m->fires++;
	many_fired++;
}

static void test_many_timers(void **state)
{
	struct sen_loop *loop = new_loop();
	uint32_t rnd = 12345;
	uint64_t t0, base, elapsed;
	int expect = 0;

	many = calloc(MANY, sizeof(*many));
	assert_non_null(many);
	t0 = mono_ms();
	base = sen_loop_update_now(loop);
	for (int i = 0; i < MANY; i++) {
		uint64_t ms;

		rnd = rnd * 1103515245 + 12345;
		ms = (rnd >> 8) % 100;
		sen_timer_init(&many[i].t, loop, many_cb, &many[i]);
		assert_int_equal(sen_timer_start(&many[i].t, ms), 0);
		/* the expiry counts from the clock at start, a little after base */
		many[i].due = base + sen_timer_remaining(&many[i].t);
		assert_true(many[i].due >= base + ms);
	}
	assert_int_equal(sen_loop_timer_count(loop), MANY);
	/* Stop every third, restart every fifth (some of them stopped ones) further out. */
	for (int i = 0; i < MANY; i += 3) {
		sen_timer_stop(&many[i].t);
		many[i].stopped = true;
	}
	for (int i = 0; i < MANY; i += 5) {
		uint64_t ms = 100 + (uint64_t)(i % 50);

		assert_int_equal(sen_timer_start(&many[i].t, ms), 0);
		many[i].due = base + sen_timer_remaining(&many[i].t);
		assert_true(many[i].due >= base + ms);
		many[i].stopped = false;
	}
	for (int i = 0; i < MANY; i++)
		expect += !many[i].stopped;
	assert_int_equal(sen_loop_timer_count(loop), (size_t)expect);
	elapsed = mono_ms() - t0;
	/* O(log n) operations: 200k of them take milliseconds; O(n) ones would take minutes. */
	assert_true(elapsed < 3000);

	last_due = 0;
	many_fired = 0;
	while (sen_loop_timer_count(loop) > 0)
		assert_true(sen_loop_run_once(loop, 1000) >= 0);
	assert_int_equal(many_fired, expect);
	for (int i = 0; i < MANY; i++)
		assert_int_equal(many[i].fires, many[i].stopped ? 0 : 1);

	/* Start and stop them all again, no firing: heap empties fully. */
	for (int i = 0; i < MANY; i++)
		assert_int_equal(sen_timer_start(&many[i].t, 1000 + (uint64_t)(i % 977)), 0);
	for (int i = MANY - 1; i >= 0; i -= 2)
		sen_timer_stop(&many[i].t);
	for (int i = 0; i < MANY; i++)
		sen_timer_stop(&many[i].t);
	assert_int_equal(sen_loop_timer_count(loop), 0);
	free(many);
	sen_loop_free(loop);
}

/* ---- fds ---- */

struct pipe_state {
	int rd, wr;
	char got[64];
	size_t got_len;
	unsigned events;
	int calls;
};

static void set_nonblock(int fd)
{
	assert_int_equal(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

static void make_pipe(struct pipe_state *p)
{
	int fds[2];

	memset(p, 0, sizeof(*p));
	assert_int_equal(pipe(fds), 0);
	p->rd = fds[0];
	p->wr = fds[1];
	set_nonblock(p->rd);
	set_nonblock(p->wr);
}

static void on_readable(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct pipe_state *p = arg;
	ssize_t n;

	assert_int_equal(fd, p->rd);
	p->calls++;
	p->events |= events;
	n = read(fd, p->got + p->got_len, sizeof(p->got) - p->got_len);
	if (n > 0)
		p->got_len += (size_t)n;
}

static void on_writable(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct pipe_state *p = arg;

	assert_int_equal(fd, p->wr);
	p->calls++;
	p->events |= events;
}

static void test_fd_pipe(void **state)
{
	struct sen_loop *loop = new_loop();
	struct pipe_state p, w;

	make_pipe(&p);
	assert_int_equal(sen_loop_fd_add(loop, p.rd, SEN_LOOP_READ, on_readable, &p), 0);
	assert_int_equal(sen_loop_fd_add(loop, p.rd, SEN_LOOP_READ, on_readable, &p), -SEN_EEXIST);
	assert_int_equal(sen_loop_fd_add(loop, -1, SEN_LOOP_READ, on_readable, &p), -SEN_EINVAL);
	assert_int_equal(sen_loop_fd_add(loop, p.wr, 0x80, on_readable, &p), -SEN_EINVAL);
	assert_int_equal(sen_loop_fd_add(loop, p.wr, SEN_LOOP_READ, NULL, &p), -SEN_EINVAL);
	assert_int_equal(sen_loop_fd_mod(loop, 999, SEN_LOOP_READ), -SEN_ENOENT);
	assert_int_equal(sen_loop_fd_del(loop, 999), -SEN_ENOENT);

	/* Nothing written: nothing to call. */
	assert_int_equal(sen_loop_run_once(loop, 20), 0);
	assert_int_equal(p.calls, 0);

	assert_int_equal(write(p.wr, "hello", 5), 5);
	assert_int_equal(sen_loop_run_once(loop, 1000), 1);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.events, SEN_LOOP_READ);
	assert_int_equal(p.got_len, 5);
	assert_memory_equal(p.got, "hello", 5);

	/* Write side: writable at once; after fd_mod to 0 it is not reported. */
	w = p;
	w.calls = 0;
	w.events = 0;
	assert_int_equal(sen_loop_fd_add(loop, w.wr, SEN_LOOP_WRITE, on_writable, &w), 0);
	assert_int_equal(sen_loop_run_once(loop, 1000), 1);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.events, SEN_LOOP_WRITE);
	assert_int_equal(sen_loop_fd_mod(loop, w.wr, 0), 0);
	assert_int_equal(sen_loop_run_once(loop, 20), 0);
	assert_int_equal(w.calls, 1);
	assert_int_equal(sen_loop_fd_del(loop, w.wr), 0);

	/* Reading switched off, data pending: not reported; back on: reported. */
	assert_int_equal(sen_loop_fd_mod(loop, p.rd, 0), 0);
	assert_int_equal(write(p.wr, "ab", 2), 2);
	assert_int_equal(sen_loop_run_once(loop, 20), 0);
	assert_int_equal(sen_loop_fd_mod(loop, p.rd, SEN_LOOP_READ), 0);
	assert_int_equal(sen_loop_run_once(loop, 1000), 1);
	assert_int_equal(p.got_len, 7);

	/* Writer closed: the reader sees hang-up. */
	close(p.wr);
	p.events = 0;
	assert_int_equal(sen_loop_run_once(loop, 1000), 1);
	assert_true(p.events & SEN_LOOP_ERROR);

	assert_int_equal(sen_loop_fd_del(loop, p.rd), 0);
	assert_int_equal(sen_loop_fd_del(loop, p.rd), -SEN_ENOENT);
	p.calls = 0;
	assert_int_equal(sen_loop_run_once(loop, 20), 0);
	assert_int_equal(p.calls, 0);
	close(p.rd);
	sen_loop_free(loop);
}

/* Two readable pipes; whichever callback runs first removes both watchers, closes the
 * other pipe and puts a new, silent pipe on its fd number with another callback. The
 * already-fetched event of the other pipe must reach neither callback. */
static struct pipe_state pa, pb, pc;
static int first_calls, replaced_calls;

static void on_replaced(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	replaced_calls++;
}

static void remove_both(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct pipe_state *self = arg, *other = self == &pa ? &pb : &pa;
	int fds[2], old_rd = other->rd;

	first_calls++;
	assert_int_equal(sen_loop_fd_del(loop, fd), 0); /* itself, while running */
	assert_int_equal(sen_loop_fd_del(loop, other->rd), 0);
	close(other->rd);
	close(other->wr);
	/* A new pipe whose read end takes the old fd number. */
	assert_int_equal(pipe(fds), 0);
	if (fds[0] != old_rd) {
		assert_int_equal(dup2(fds[0], old_rd), old_rd);
		close(fds[0]);
	}
	pc.rd = old_rd;
	pc.wr = fds[1];
	other->rd = other->wr = -1;
	assert_int_equal(sen_loop_fd_add(loop, pc.rd, SEN_LOOP_READ, on_replaced, &pc), 0);
}

static void test_fd_remove_in_callback(void **state)
{
	struct sen_loop *loop = new_loop();
	int rc;

	first_calls = replaced_calls = 0;
	make_pipe(&pa);
	make_pipe(&pb);
	assert_int_equal(sen_loop_fd_add(loop, pa.rd, SEN_LOOP_READ, remove_both, &pa), 0);
	assert_int_equal(sen_loop_fd_add(loop, pb.rd, SEN_LOOP_READ, remove_both, &pb), 0);
	assert_int_equal(write(pa.wr, "x", 1), 1);
	assert_int_equal(write(pb.wr, "y", 1), 1);
	/* Let both be ready before the loop looks, so both land in one epoll batch. */
	usleep(1000);
	rc = sen_loop_run_once(loop, 1000);
	assert_int_equal(rc, 1);
	assert_int_equal(first_calls, 1);
	assert_int_equal(replaced_calls, 0);
	/* The survivor's watcher is gone too; the new one is quiet until written. */
	assert_int_equal(sen_loop_run_once(loop, 20), 0);
	assert_int_equal(first_calls, 1);
	assert_int_equal(write(pc.wr, "z", 1), 1);
	assert_int_equal(sen_loop_run_once(loop, 1000), 1);
	assert_int_equal(replaced_calls, 1);

	sen_loop_fd_del(loop, pc.rd);
	for (int i = 0; i < 2; i++) {
		struct pipe_state *p = i ? &pb : &pa;

		if (p->rd >= 0) {
			close(p->rd);
			close(p->wr);
		}
	}
	close(pc.rd);
	close(pc.wr);
	sen_loop_free(loop);
}

/* ---- posting and stopping across threads ---- */

#define POSTS 2000

static int post_next;
static bool post_bad_order;
static pthread_t loop_thread;
static bool wrong_thread;

static void posted(struct sen_loop *loop, void *arg)
{
	int v = (int)(intptr_t)arg;

	if (!pthread_equal(pthread_self(), loop_thread))
		wrong_thread = true;
	if (v != post_next)
		post_bad_order = true;
	post_next++;
	if (post_next == POSTS)
		sen_loop_stop(loop);
}

static void *poster(void *arg)
{
	struct sen_loop *loop = arg;

	for (int i = 0; i < POSTS; i++) {
		assert_int_equal(sen_loop_post(loop, posted, (void *)(intptr_t)i), 0);
		if (i % 100 == 0)
			usleep(500);
	}
	return NULL;
}

static int deferred;

static void defer_cb(struct sen_loop *loop, void *arg)
{
	deferred++;
}

static void post_from_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	assert_int_equal(sen_loop_post(loop, defer_cb, NULL), 0);
	assert_int_equal(deferred, 0); /* not run inside the post call */
}

static void test_post_from_thread(void **state)
{
	struct sen_loop *loop = new_loop();
	struct sen_timer wd, t;
	pthread_t th;

	arm_watchdog(loop, &wd);
	post_next = 0;
	post_bad_order = wrong_thread = false;
	loop_thread = pthread_self();
	assert_int_equal(pthread_create(&th, NULL, poster, loop), 0);
	assert_int_equal(sen_loop_run(loop), 0);
	pthread_join(th, NULL);
	assert_false(watchdog_fired);
	assert_int_equal(post_next, POSTS);
	assert_false(post_bad_order);
	assert_false(wrong_thread);

	/* Posting from the loop's own thread defers to a later point of the loop. */
	deferred = 0;
	sen_timer_init(&t, loop, post_from_timer, NULL);
	assert_int_equal(sen_timer_start(&t, 0), 0);
	for (int i = 0; i < 3 && !deferred; i++)
		assert_true(sen_loop_run_once(loop, 100) >= 0);
	assert_int_equal(deferred, 1);
	sen_timer_stop(&wd);
	sen_loop_free(loop);
}

static void *stopper(void *arg)
{
	usleep(50 * 1000);
	sen_loop_stop(arg);
	return NULL;
}

static void test_stop_from_thread(void **state)
{
	struct sen_loop *loop = new_loop();
	struct sen_timer wd;
	pthread_t th;
	uint64_t start = mono_ms();

	arm_watchdog(loop, &wd);
	assert_int_equal(pthread_create(&th, NULL, stopper, loop), 0);
	assert_int_equal(sen_loop_run(loop), 0); /* nothing else to wake it */
	pthread_join(th, NULL);
	assert_false(watchdog_fired);
	assert_true(mono_ms() - start >= 50);

	/* The stop was consumed: a new run needs a new stop. */
	assert_int_equal(pthread_create(&th, NULL, stopper, loop), 0);
	start = mono_ms();
	assert_int_equal(sen_loop_run(loop), 0);
	pthread_join(th, NULL);
	assert_false(watchdog_fired);
	assert_true(mono_ms() - start >= 40);

	/* Posted work still queued at free is dropped, not run, and not leaked. */
	assert_int_equal(sen_loop_post(loop, defer_cb, NULL), 0);
	deferred = 0;
	sen_timer_stop(&wd);
	sen_loop_free(loop);
	assert_int_equal(deferred, 0);
}

/* A callback that stops the loop: sen_loop_run returns before the other ready fd's
 * callback runs; that one is reported again later (level-triggered). */
static int stop_calls;

static void read_and_stop(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	char c;

	stop_calls++;
	assert_int_equal(read(fd, &c, 1), 1);
	sen_loop_stop(loop);
}

static void test_stop_in_callback(void **state)
{
	struct sen_loop *loop = new_loop();
	struct pipe_state p1, p2;
	struct sen_timer wd;
	uint64_t start;

	arm_watchdog(loop, &wd);
	make_pipe(&p1);
	make_pipe(&p2);
	assert_int_equal(sen_loop_fd_add(loop, p1.rd, SEN_LOOP_READ, read_and_stop, NULL), 0);
	assert_int_equal(sen_loop_fd_add(loop, p2.rd, SEN_LOOP_READ, read_and_stop, NULL), 0);
	assert_int_equal(write(p1.wr, "a", 1), 1);
	assert_int_equal(write(p2.wr, "b", 1), 1);
	stop_calls = 0;
	assert_int_equal(sen_loop_run(loop), 0);
	assert_int_equal(stop_calls, 1);
	/* run_once is not cut short by the stop its callback requests… */
	assert_true(sen_loop_run_once(loop, 1000) >= 1);
	assert_int_equal(stop_calls, 2);
	/* …which stays pending: the next run returns without blocking. */
	start = mono_ms();
	assert_int_equal(sen_loop_run(loop), 0);
	assert_true(mono_ms() - start < WATCHDOG_MS / 2);
	assert_int_equal(stop_calls, 2);
	assert_false(watchdog_fired);
	sen_timer_stop(&wd);
	for (int i = 0; i < 2; i++) {
		struct pipe_state *p = i ? &p2 : &p1;

		sen_loop_fd_del(loop, p->rd);
		close(p->rd);
		close(p->wr);
	}
	sen_loop_free(loop);
}

/* ---- signals ---- */

static int usr1_count;

static void on_usr1(struct sen_loop *loop, int signo, void *arg)
{
	assert_int_equal(signo, SIGUSR1);
	usr1_count++;
}

static void test_signals(void **state)
{
	struct sen_loop *loop = new_loop();
	struct sen_timer wd;

	arm_watchdog(loop, &wd);
	assert_int_equal(sen_loop_signal_watch(loop, SIGKILL, on_usr1, NULL), -SEN_EINVAL);
	assert_int_equal(sen_loop_signal_watch(loop, 0, on_usr1, NULL), -SEN_EINVAL);
	assert_int_equal(sen_loop_signal_watch(loop, SIGUSR1, NULL, NULL), -SEN_EINVAL);
	assert_int_equal(sen_loop_signal_watch(loop, SIGUSR1, on_usr1, NULL), 0);
	assert_int_equal(sen_loop_stop_on_signals(loop), 0);

	usr1_count = 0;
	assert_int_equal(raise(SIGUSR1), 0); /* blocked: queued for the signalfd */
	assert_int_equal(sen_loop_run_once(loop, 1000), 1);
	assert_int_equal(usr1_count, 1);

	/* SIGTERM stops the loop instead of killing the process. */
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(sen_loop_run(loop), 0);
	assert_false(watchdog_fired);
	sen_timer_stop(&wd);
	sen_loop_free(loop);
}

static void test_now(void **state)
{
	struct sen_loop *loop = new_loop();
	uint64_t a = sen_loop_now(loop), b;

	assert_true(a > 0);
	usleep(20 * 1000);
	assert_int_equal(sen_loop_now(loop), a); /* cached until the loop reads the clock */
	b = sen_loop_update_now(loop);
	assert_true(b >= a + 20);
	assert_int_equal(sen_loop_now(loop), b);
	assert_true(sen_loop_run_once(loop, 30) >= 0);
	assert_true(sen_loop_now(loop) >= b + 30);

	/*
	 * A timer started while the loop time is stale (a long callback, or code between
	 * rounds) still waits its full delay from the start call: an SBI request's timeout
	 * must not fire early because the loop last woke a while ago.
	 */
	{
		struct sen_timer t;
		uint64_t t0;

		usleep(40 * 1000); /* the loop time is now 40 ms old */
		fired.n = 0;
		t0 = mono_ms();
		sen_timer_init(&t, loop, record, (void *)(intptr_t)1);
		assert_int_equal(sen_timer_start(&t, 30), 0);
		while (fired.n == 0 && mono_ms() < t0 + SLACK_MS)
			assert_true(sen_loop_run_once(loop, 5) >= 0);
		assert_int_equal(fired.n, 1);
		assert_true(fired.at[0] >= t0 + 30);
	}
	sen_loop_free(loop);
	sen_loop_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_timer_order_and_delay),
	    cmocka_unit_test(test_timer_same_ms_fifo),
	    cmocka_unit_test(test_timer_stop_restart),
	    cmocka_unit_test(test_many_timers),
	    cmocka_unit_test(test_fd_pipe),
	    cmocka_unit_test(test_fd_remove_in_callback),
	    cmocka_unit_test(test_post_from_thread),
	    cmocka_unit_test(test_stop_from_thread),
	    cmocka_unit_test(test_stop_in_callback),
	    cmocka_unit_test(test_signals),
	    cmocka_unit_test(test_now),
	};
	return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}
