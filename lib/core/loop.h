/*
 * Event loop: one per thread, built on epoll. Every daemon runs its NF modules on one
 * (DESIGN.md, Process model); nothing in a callback may block.
 *
 * - fd watchers: a callback per fd, called with what the fd is ready for. Level-
 *   triggered: a readable fd is reported again until it has been drained.
 * - timers: struct sen_timer is embedded in the caller's object (a UE context holds its
 *   T3550, T3560, T3512 …). A timer is never allocated: start and stop move an entry
 *   in the loop's binary min-heap, O(log n), so 100k+ pending timers are fine. The heap
 *   array grows by doubling; sen_loop_timer_reserve() sizes it up front. One-shot; restart from the
 *   callback for periodic behaviour. Millisecond resolution on CLOCK_MONOTONIC. Timers
 *   due at the same millisecond fire in the order they were started.
 * - sen_loop_post(): the one thread-safe way to hand work to a loop (eventfd-backed).
 * - signals: sen_loop_signal_watch() turns signals into callbacks (signalfd);
 *   sen_loop_stop_on_signals() stops the loop cleanly on SIGINT/SIGTERM.
 *
 * Re-entrancy: from inside any callback it is safe to add, modify or remove any fd
 * (including the one whose callback is running), start, stop or free any timer
 * (including the one firing), post, and stop the loop. A watcher removed inside a
 * callback is never called again, even if it was already reported ready in the same
 * epoll batch. Freeing the loop inside a callback is not allowed.
 *
 * Threads: all functions except sen_loop_post() and sen_loop_stop() must be called on the
 * loop's thread (the one running sen_loop_run), or before it runs.
 */
#ifndef SEN_CORE_LOOP_H
#define SEN_CORE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_loop;
struct sen_timer;

/* Event bits for fd watchers. */
enum {
	SEN_LOOP_READ = 1 << 0,	 /* readable (or EOF to read) */
	SEN_LOOP_WRITE = 1 << 1, /* writable */
	SEN_LOOP_ERROR = 1 << 2, /* error or hang-up: always reported, need not be asked for */
};

typedef void (*sen_loop_fd_fn)(struct sen_loop *loop, int fd, unsigned events, void *arg);
typedef void (*sen_timer_fn)(struct sen_loop *loop, struct sen_timer *timer, void *arg);
typedef void (*sen_loop_fn)(struct sen_loop *loop, void *arg);
typedef void (*sen_loop_signal_fn)(struct sen_loop *loop, int signo, void *arg);

/*
 * A timer. Embed it, call sen_timer_init() once, then start/stop at will. The fields
 * are private. A pending timer must be stopped before its memory is freed.
 */
struct sen_timer {
	struct sen_loop *loop;
	sen_timer_fn cb;
	void *arg;
	uint32_t index; /* 1 + position in the loop's heap; 0 when not pending */
};

/*
 * Create a loop. Returns 0 and sets *loop, or -SEN_ENOMEM / -SEN_EIO (errno set) if
 * epoll or the eventfd cannot be created.
 */
int sen_loop_new(struct sen_loop **loop);

/*
 * Free a loop that is not running: closes its epoll fd, eventfd and signalfd (not the
 * watched fds, which belong to the caller). Pending timers are forgotten (their structs
 * are left "not pending"); posted functions that never ran are dropped without being
 * called. NULL is a no-op.
 */
void sen_loop_free(struct sen_loop *loop);

/*
 * Run until sen_loop_stop(): wait for fds, timers and posted functions and call their
 * callbacks. Returns 0 after a stop, or -SEN_EIO (errno set) if epoll_wait fails. The
 * return consumes the stop request, so the loop can be run again; a stop requested
 * while the loop is not running makes the next sen_loop_run() return after at most one
 * round.
 */
int sen_loop_run(struct sen_loop *loop);

/*
 * One round: wait at most `timeout_ms` (-1: until something happens; 0: don't wait;
 * the wait is cut short by the next due timer), then dispatch what is ready, due timers
 * and posted functions. Returns the number of callbacks called (>= 0) or -SEN_EIO.
 * For tests and for programs that drive the loop themselves. A stop request does not
 * cut this round short; it stays pending for the next sen_loop_run().
 */
int sen_loop_run_once(struct sen_loop *loop, int timeout_ms);

/* Make sen_loop_run() return after the current callback. Thread-safe. */
void sen_loop_stop(struct sen_loop *loop);

/*
 * Loop time: CLOCK_MONOTONIC in milliseconds, read once per loop round (so all
 * callbacks of one round see the same value, and reading it costs nothing).
 */
uint64_t sen_loop_now(const struct sen_loop *loop);

/* Re-read the clock into the loop time (after a long computation) and return it. */
uint64_t sen_loop_update_now(struct sen_loop *loop);

/*
 * Watch `fd` (non-negative; the caller should make it non-blocking) for `events`
 * (SEN_LOOP_READ | SEN_LOOP_WRITE; 0 watches only errors) and call cb(loop, fd,
 * ready, arg) when it is ready, with `ready` a mask of SEN_LOOP_* bits. Returns 0,
 * -SEN_EINVAL (bad fd, NULL cb, unknown bits), -SEN_EEXIST if fd is already watched,
 * -SEN_ENOMEM, or -SEN_EIO (epoll_ctl failed, errno set).
 */
int sen_loop_fd_add(struct sen_loop *loop, int fd, unsigned events, sen_loop_fd_fn cb, void *arg);

/* Change the events watched on `fd`. Returns 0, -SEN_ENOENT if not watched, -SEN_EIO. */
int sen_loop_fd_mod(struct sen_loop *loop, int fd, unsigned events);

/*
 * Stop watching `fd`; its callback will not be called again. Call this before closing
 * the fd. Returns 0 or -SEN_ENOENT if not watched.
 */
int sen_loop_fd_del(struct sen_loop *loop, int fd);

/*
 * Run fn(loop, arg) on the loop's thread, soon: in the current or next round, in the
 * order posted. Callable from any thread, including the loop's own (to defer work out
 * of a callback). Returns 0, or -SEN_ENOMEM (fn will not run).
 */
int sen_loop_post(struct sen_loop *loop, sen_loop_fn fn, void *arg);

/*
 * Call cb(loop, signo, arg) on the loop's thread when `signo` arrives. The signal is
 * blocked in the calling thread (with pthread_sigmask) and read through a signalfd, so
 * call this before starting other threads: they inherit the mask, and a signal not
 * blocked in some thread is delivered there instead. Returns 0, -SEN_EINVAL (bad signo,
 * SIGKILL/SIGSTOP, NULL cb) or -SEN_EIO.
 */
int sen_loop_signal_watch(struct sen_loop *loop, int signo, sen_loop_signal_fn cb, void *arg);

/* sen_loop_signal_watch() for SIGINT and SIGTERM with a callback that stops the loop. */
int sen_loop_stop_on_signals(struct sen_loop *loop);

/*
 * Make room for `n` pending timers in total so that sen_timer_start() cannot fail while
 * fewer are pending. Returns 0 or -SEN_ENOMEM.
 */
int sen_loop_timer_reserve(struct sen_loop *loop, size_t n);

/* Number of pending timers. */
size_t sen_loop_timer_count(const struct sen_loop *loop);

/* Bind `timer` to `loop` with its callback; it is not pending. Call once, before use. */
void sen_timer_init(struct sen_timer *timer, struct sen_loop *loop, sen_timer_fn cb, void *arg);

/*
 * (Re)start `timer` to fire once, no earlier than `ms` milliseconds from now (the clock
 * is read here, not the loop time, which may be a round old). A pending timer is moved
 * (restart); no allocation unless the heap must grow. Returns 0 or
 * -SEN_ENOMEM (only when growing the heap fails; the timer is then not pending).
 */
int sen_timer_start(struct sen_timer *timer, uint64_t ms);

/* Stop `timer` if pending; a no-op otherwise (also from inside its own callback). */
void sen_timer_stop(struct sen_timer *timer);

/* True while started and not yet fired or stopped. False inside its own callback. */
bool sen_timer_pending(const struct sen_timer *timer);

/* Milliseconds until `timer` is due by the loop time; 0 if due or not pending. */
uint64_t sen_timer_remaining(const struct sen_timer *timer);

#endif
