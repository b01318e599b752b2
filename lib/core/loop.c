/*
 * Event loop on epoll (see loop.h for the contract).
 *
 * fd watchers live in a table indexed by fd. Each registration gets a fresh generation
 * number, and epoll carries (generation << 32 | fd), so an event already fetched for a
 * watcher that a callback removed — or removed and replaced with a new watcher on the
 * same fd number — in the same batch is recognised as stale and dropped.
 *
 * Timers are a binary min-heap of (expire, seq, timer*) entries; each timer records its
 * heap position, so stop and restart are O(log n) with no search. `seq` orders timers
 * due in the same millisecond by start order, and bounds each round: only timers
 * started before the round began fire in it, so a callback that restarts its timer
 * with 0 ms cannot keep the loop in the timer phase forever.
 *
 * Posted functions go on a mutex-protected list; the poster writes the loop's eventfd
 * only when the list was empty, so a burst of posts costs one wake-up.
 */
#include "core/loop.h"
#include "core/err.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define NSIG_MAX   65

struct watcher {
	sen_loop_fd_fn cb;
	void *arg;
	uint32_t gen; /* 0: slot unused */
	unsigned events;
};

struct heap_entry {
	uint64_t expire;
	uint64_t seq;
	struct sen_timer *timer;
};

struct post {
	struct post *next;
	sen_loop_fn fn;
	void *arg;
};

struct signal_handler {
	sen_loop_signal_fn cb;
	void *arg;
};

struct sen_loop {
	int epfd;
	int evfd;
	int sigfd;
	atomic_bool stop;
	uint64_t now;

	struct watcher *fds;
	size_t fds_cap;
	uint32_t gen;

	struct heap_entry *heap;
	size_t heap_len, heap_cap;
	uint64_t seq;

	pthread_mutex_t post_lock;
	struct post *post_head, **post_tail;

	sigset_t sigmask;
	struct signal_handler signals[NSIG_MAX];
};

static uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t sen_loop_now(const struct sen_loop *loop)
{
	return loop->now;
}

uint64_t sen_loop_update_now(struct sen_loop *loop)
{
	loop->now = clock_ms();
	return loop->now;
}

/* ---- fd watchers ---- */

static uint32_t to_epoll(unsigned events)
{
	uint32_t e = 0;

	if (events & SEN_LOOP_READ)
		e |= EPOLLIN;
	if (events & SEN_LOOP_WRITE)
		e |= EPOLLOUT;
	return e;
}

static unsigned from_epoll(uint32_t e)
{
	unsigned events = 0;

	if (e & (EPOLLIN | EPOLLPRI))
		events |= SEN_LOOP_READ;
	if (e & EPOLLOUT)
		events |= SEN_LOOP_WRITE;
	if (e & (EPOLLERR | EPOLLHUP))
		events |= SEN_LOOP_ERROR;
	return events;
}

static struct watcher *watcher_get(struct sen_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->fds_cap || !loop->fds[fd].gen)
		return NULL;
	return &loop->fds[fd];
}

static int fds_grow(struct sen_loop *loop, int fd)
{
	size_t cap = loop->fds_cap ? loop->fds_cap : 64;
	struct watcher *w;

	while (cap <= (size_t)fd)
		cap *= 2;
	w = realloc(loop->fds, cap * sizeof(*w));
	if (!w)
		return -SEN_ENOMEM;
	memset(w + loop->fds_cap, 0, (cap - loop->fds_cap) * sizeof(*w));
	loop->fds = w;
	loop->fds_cap = cap;
	return 0;
}

int sen_loop_fd_add(struct sen_loop *loop, int fd, unsigned events, sen_loop_fd_fn cb, void *arg)
{
	struct epoll_event ev = {0};
	struct watcher *w;
	int rc;

	if (fd < 0 || !cb || (events & ~(unsigned)(SEN_LOOP_READ | SEN_LOOP_WRITE)))
		return -SEN_EINVAL;
	if (watcher_get(loop, fd))
		return -SEN_EEXIST;
	if ((size_t)fd >= loop->fds_cap && (rc = fds_grow(loop, fd)) < 0)
		return rc;
	if (++loop->gen == 0)
		loop->gen = 1;
	ev.events = to_epoll(events);
	ev.data.u64 = (uint64_t)loop->gen << 32 | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return errno == EEXIST ? -SEN_EEXIST : errno == EBADF ? -SEN_EINVAL : -SEN_EIO;
	w = &loop->fds[fd];
	w->cb = cb;
	w->arg = arg;
	w->gen = loop->gen;
	w->events = events;
	return 0;
}

int sen_loop_fd_mod(struct sen_loop *loop, int fd, unsigned events)
{
	struct watcher *w = watcher_get(loop, fd);
	struct epoll_event ev = {0};

	if (!w)
		return -SEN_ENOENT;
	if (events & ~(unsigned)(SEN_LOOP_READ | SEN_LOOP_WRITE))
		return -SEN_EINVAL;
	ev.events = to_epoll(events);
	ev.data.u64 = (uint64_t)w->gen << 32 | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -SEN_EIO;
	w->events = events;
	return 0;
}

int sen_loop_fd_del(struct sen_loop *loop, int fd)
{
	struct watcher *w = watcher_get(loop, fd);

	if (!w)
		return -SEN_ENOENT;
	/* Fails only if the fd was already closed, which removed it from epoll anyway. */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(w, 0, sizeof(*w));
	return 0;
}

/* ---- timers ---- */

static bool entry_before(const struct heap_entry *a, const struct heap_entry *b)
{
	return a->expire < b->expire || (a->expire == b->expire && a->seq < b->seq);
}

static void heap_set(struct sen_loop *loop, size_t i, struct heap_entry e)
{
	loop->heap[i] = e;
	e.timer->index = (uint32_t)(i + 1);
}

static void sift_up(struct sen_loop *loop, size_t i)
{
	struct heap_entry e = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!entry_before(&e, &loop->heap[parent]))
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, e);
}

static void sift_down(struct sen_loop *loop, size_t i)
{
	struct heap_entry e = loop->heap[i];
	size_t n = loop->heap_len;

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= n)
			break;
		if (child + 1 < n && entry_before(&loop->heap[child + 1], &loop->heap[child]))
			child++;
		if (!entry_before(&loop->heap[child], &e))
			break;
		heap_set(loop, i, loop->heap[child]);
		i = child;
	}
	heap_set(loop, i, e);
}

/* Restore heap order around position i after its key changed. */
static void heap_fix(struct sen_loop *loop, size_t i)
{
	if (i > 0 && entry_before(&loop->heap[i], &loop->heap[(i - 1) / 2]))
		sift_up(loop, i);
	else
		sift_down(loop, i);
}

static void heap_remove(struct sen_loop *loop, size_t i)
{
	struct sen_timer *t = loop->heap[i].timer;
	size_t last = --loop->heap_len;

	t->index = 0;
	if (i != last) {
		heap_set(loop, i, loop->heap[last]);
		heap_fix(loop, i);
	}
}

int sen_loop_timer_reserve(struct sen_loop *loop, size_t n)
{
	struct heap_entry *h;

	if (n <= loop->heap_cap)
		return 0;
	if (n > UINT32_MAX - 1 || n > SIZE_MAX / sizeof(*h))
		return -SEN_ENOMEM;
	h = realloc(loop->heap, n * sizeof(*h));
	if (!h)
		return -SEN_ENOMEM;
	loop->heap = h;
	loop->heap_cap = n;
	return 0;
}

size_t sen_loop_timer_count(const struct sen_loop *loop)
{
	return loop->heap_len;
}

void sen_timer_init(struct sen_timer *timer, struct sen_loop *loop, sen_timer_fn cb, void *arg)
{
	timer->loop = loop;
	timer->cb = cb;
	timer->arg = arg;
	timer->index = 0;
}

int sen_timer_start(struct sen_timer *timer, uint64_t ms)
{
	struct sen_loop *loop = timer->loop;
	struct heap_entry e;
	uint64_t now = clock_ms(); /* loop->now may be a whole round (or a blocking wait) old */
	int rc;

	e.expire = ms > UINT64_MAX - now ? UINT64_MAX : now + ms;
	e.seq = loop->seq++;
	e.timer = timer;
	if (timer->index) {
		size_t i = timer->index - 1;

		loop->heap[i] = e;
		heap_fix(loop, i);
		return 0;
	}
	if (loop->heap_len == loop->heap_cap &&
	    (rc = sen_loop_timer_reserve(loop, loop->heap_cap ? loop->heap_cap * 2 : 64)) < 0)
		return rc;
	loop->heap[loop->heap_len++] = e;
	sift_up(loop, loop->heap_len - 1);
	return 0;
}

void sen_timer_stop(struct sen_timer *timer)
{
	if (timer->index)
		heap_remove(timer->loop, timer->index - 1);
}

bool sen_timer_pending(const struct sen_timer *timer)
{
	return timer->index != 0;
}

uint64_t sen_timer_remaining(const struct sen_timer *timer)
{
	const struct sen_loop *loop = timer->loop;
	uint64_t expire;

	if (!timer->index)
		return 0;
	expire = loop->heap[timer->index - 1].expire;
	return expire > loop->now ? expire - loop->now : 0;
}

static bool stopping(struct sen_loop *loop, bool honour_stop)
{
	return honour_stop && atomic_load_explicit(&loop->stop, memory_order_relaxed);
}

/* Fire the timers due now that were started before this round. */
static int run_timers(struct sen_loop *loop, bool honour_stop)
{
	uint64_t round_seq = loop->seq;
	int called = 0;

	while (loop->heap_len > 0 && !stopping(loop, honour_stop)) {
		struct heap_entry top = loop->heap[0];

		if (top.expire > loop->now || top.seq >= round_seq)
			break;
		heap_remove(loop, 0);
		top.timer->cb(loop, top.timer, top.timer->arg);
		called++;
	}
	return called;
}

/* Milliseconds epoll may sleep: bounded by the caller's limit and the next timer. */
static int wait_ms(struct sen_loop *loop, int timeout_ms)
{
	uint64_t wait;

	if (loop->heap_len == 0)
		return timeout_ms;
	if (loop->heap[0].expire <= loop->now)
		return 0;
	wait = loop->heap[0].expire - loop->now;
	if (wait > INT_MAX)
		wait = INT_MAX;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < wait)
		return timeout_ms;
	return (int)wait;
}

/* ---- posted functions and stop ---- */

static void wake(struct sen_loop *loop)
{
	uint64_t one = 1;
	ssize_t n;

	/* EAGAIN means the counter is already non-zero: the loop will wake anyway. */
	do
		n = write(loop->evfd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
}

int sen_loop_post(struct sen_loop *loop, sen_loop_fn fn, void *arg)
{
	struct post *p = malloc(sizeof(*p));
	bool was_empty;

	if (!p)
		return -SEN_ENOMEM;
	p->next = NULL;
	p->fn = fn;
	p->arg = arg;
	pthread_mutex_lock(&loop->post_lock);
	was_empty = loop->post_head == NULL;
	*loop->post_tail = p;
	loop->post_tail = &p->next;
	pthread_mutex_unlock(&loop->post_lock);
	if (was_empty)
		wake(loop);
	return 0;
}

void sen_loop_stop(struct sen_loop *loop)
{
	atomic_store(&loop->stop, true);
	wake(loop);
}

/* eventfd readable: reset it, then run everything posted so far. */
static void on_wake(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct post *list;
	uint64_t v;

	/* Read before taking the list: a post after the read writes the eventfd again. */
	while (read(fd, &v, sizeof(v)) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&loop->post_lock);
	list = loop->post_head;
	loop->post_head = NULL;
	loop->post_tail = &loop->post_head;
	pthread_mutex_unlock(&loop->post_lock);
	while (list) {
		struct post *p = list;

		list = p->next;
		p->fn(loop, p->arg);
		free(p);
	}
}

/* ---- signals ---- */

static void on_signal(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		struct signal_handler *h;

		if (si.ssi_signo >= NSIG_MAX)
			continue;
		h = &loop->signals[si.ssi_signo];
		if (h->cb)
			h->cb(loop, (int)si.ssi_signo, h->arg);
	}
}

int sen_loop_signal_watch(struct sen_loop *loop, int signo, sen_loop_signal_fn cb, void *arg)
{
	sigset_t one, mask = loop->sigmask;
	int fd, rc;

	if (signo <= 0 || signo >= NSIG_MAX || signo == SIGKILL || signo == SIGSTOP || !cb)
		return -SEN_EINVAL;
	sigemptyset(&one);
	if (sigaddset(&one, signo) < 0 || sigaddset(&mask, signo) < 0)
		return -SEN_EINVAL;
	if (pthread_sigmask(SIG_BLOCK, &one, NULL) != 0)
		return -SEN_EIO;
	fd = signalfd(loop->sigfd, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -SEN_EIO;
	if (loop->sigfd < 0) {
		rc = sen_loop_fd_add(loop, fd, SEN_LOOP_READ, on_signal, NULL);
		if (rc < 0) {
			close(fd);
			return rc;
		}
		loop->sigfd = fd;
	}
	loop->sigmask = mask;
	loop->signals[signo].cb = cb;
	loop->signals[signo].arg = arg;
	return 0;
}

static void stop_on_signal(struct sen_loop *loop, int signo, void *arg)
{
	sen_loop_stop(loop);
}

int sen_loop_stop_on_signals(struct sen_loop *loop)
{
	int rc = sen_loop_signal_watch(loop, SIGINT, stop_on_signal, NULL);

	return rc < 0 ? rc : sen_loop_signal_watch(loop, SIGTERM, stop_on_signal, NULL);
}

/* ---- the loop ---- */

int sen_loop_new(struct sen_loop **out)
{
	struct sen_loop *loop = calloc(1, sizeof(*loop));
	int rc = -SEN_EIO;

	*out = NULL;
	if (!loop)
		return -SEN_ENOMEM;
	loop->sigfd = -1;
	loop->evfd = -1;
	sigemptyset(&loop->sigmask);
	pthread_mutex_init(&loop->post_lock, NULL);
	loop->post_tail = &loop->post_head;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto fail;
	loop->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop->evfd < 0)
		goto fail;
	rc = sen_loop_fd_add(loop, loop->evfd, SEN_LOOP_READ, on_wake, NULL);
	if (rc < 0)
		goto fail;
	sen_loop_update_now(loop);
	*out = loop;
	return 0;
fail:
	sen_loop_free(loop);
	return rc;
}

void sen_loop_free(struct sen_loop *loop)
{
	if (!loop)
		return;
	for (size_t i = 0; i < loop->heap_len; i++)
		loop->heap[i].timer->index = 0;
	while (loop->post_head) {
		struct post *p = loop->post_head;

		loop->post_head = p->next;
		free(p);
	}
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	if (loop->evfd >= 0)
		close(loop->evfd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	pthread_mutex_destroy(&loop->post_lock);
	free(loop->heap);
	free(loop->fds);
	free(loop);
}

/*
 * One round. Inside sen_loop_run (honour_stop) a stop request ends the round after the
 * current callback; sen_loop_run_once dispatches the whole round and leaves the request
 * for the next sen_loop_run.
 */
static int run_round(struct sen_loop *loop, int timeout_ms, bool honour_stop)
{
	struct epoll_event events[MAX_EVENTS];
	int n, called = 0;

	sen_loop_update_now(loop);
	/* A stop requested while not running (no eventfd wake-up may be left): don't block. */
	if (stopping(loop, honour_stop))
		timeout_ms = 0;
	n = epoll_wait(loop->epfd, events, MAX_EVENTS, wait_ms(loop, timeout_ms));
	if (n < 0) {
		if (errno != EINTR)
			return -SEN_EIO;
		n = 0;
	}
	sen_loop_update_now(loop);
	for (int i = 0; i < n; i++) {
		int fd = (int)(uint32_t)events[i].data.u64;
		uint32_t gen = (uint32_t)(events[i].data.u64 >> 32);
		struct watcher *w = watcher_get(loop, fd);
		unsigned ready;

		if (stopping(loop, honour_stop))
			return called; /* level-triggered: the rest is reported again */
		if (!w || w->gen != gen)
			continue; /* removed (and maybe replaced) by an earlier callback */
		ready = from_epoll(events[i].events) & (w->events | SEN_LOOP_ERROR);
		if (!ready)
			continue;
		w->cb(loop, fd, ready, w->arg);
		called++;
	}
	return called + run_timers(loop, honour_stop);
}

int sen_loop_run_once(struct sen_loop *loop, int timeout_ms)
{
	return run_round(loop, timeout_ms, false);
}

int sen_loop_run(struct sen_loop *loop)
{
	int rc = 0;

	do {
		rc = run_round(loop, -1, true);
	} while (rc >= 0 && !atomic_load(&loop->stop));
	atomic_store(&loop->stop, false);
	return rc < 0 ? rc : 0;
}
