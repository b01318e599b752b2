/*
 * Prometheus metrics registry and /metrics HTTP/1.1 server (see metrics.h).
 *
 * Exposition format: Prometheus text format 0.0.4 — "# HELP", "# TYPE", then one line per
 * series: name{label="value",...} value. Label values escape backslash, double quote and
 * newline.
 */
#define _GNU_SOURCE /* accept4 */
#include "core/metrics.h"

#include "core/err.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct sen_metric_series {
	struct sen_metric_series *next;
	int64_t value; /* accessed with __atomic builtins */
	char *values[SEN_METRIC_MAX_LABELS];
};

struct sen_metric {
	struct sen_metric *next;
	enum sen_metric_type type;
	char *name, *help;
	int n_labels;
	char *labels[SEN_METRIC_MAX_LABELS];
	struct sen_metric_series *series; /* append-only list, published with __atomic */
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sen_metric *families, **families_tail = &families;

static bool name_ok(const char *s, bool allow_colon)
{
	if (!s || !*s)
		return false;
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			     (allow_colon && c == ':');
		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

/* Split "a,b,c" into names; returns the count or -1. */
static int split_labels(const char *labels, char *out[SEN_METRIC_MAX_LABELS])
{
	int n = 0;

	if (!labels || !*labels)
		return 0;
	const char *p = labels;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n == SEN_METRIC_MAX_LABELS)
			goto bad;
		out[n] = strndup(p, len);
		if (!out[n] || !name_ok(out[n], false)) {
			free(out[n]);
			goto bad;
		}
		n++;
		if (!e)
			return n;
		p = e + 1;
	}
bad:
	while (n > 0)
		free(out[--n]);
	return -1;
}

static void free_family(struct sen_metric *f)
{
	struct sen_metric_series *s = f->series, *next;

	for (; s; s = next) {
		next = s->next;
		for (int i = 0; i < f->n_labels; i++)
			free(s->values[i]);
		free(s);
	}
	for (int i = 0; i < f->n_labels; i++)
		free(f->labels[i]);
	free(f->name);
	free(f->help);
	free(f);
}

struct sen_metric *sen_metric_new(enum sen_metric_type type, const char *name, const char *help,
				  const char *labels)
{
	char *names[SEN_METRIC_MAX_LABELS];
	int n;

	if (!name_ok(name, true) || (type != SEN_METRIC_COUNTER && type != SEN_METRIC_GAUGE))
		return NULL;
	if ((n = split_labels(labels, names)) < 0)
		return NULL;

	pthread_mutex_lock(&reg_lock);
	struct sen_metric *f;
	for (f = families; f; f = f->next)
		if (!strcmp(f->name, name))
			break;
	if (f) { /* existing family: must be the same shape */
		bool same = f->type == type && f->n_labels == n;
		for (int i = 0; same && i < n; i++)
			same = !strcmp(f->labels[i], names[i]);
		pthread_mutex_unlock(&reg_lock);
		for (int i = 0; i < n; i++)
			free(names[i]);
		return same ? f : NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f) {
		f->type = type;
		f->name = strdup(name);
		f->help = strdup(help ? help : "");
		f->n_labels = n;
		for (int i = 0; i < n; i++)
			f->labels[i] = names[i];
		n = 0;
		if (!f->name || !f->help) {
			free_family(f);
			f = NULL;
		} else {
			*families_tail = f;
			families_tail = &f->next;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	for (int i = 0; i < n; i++)
		free(names[i]);
	return f;
}

static bool values_equal(const struct sen_metric *f, const struct sen_metric_series *s,
			 const char *const *values)
{
	for (int i = 0; i < f->n_labels; i++)
		if (strcmp(s->values[i], values[i] ? values[i] : ""))
			return false;
	return true;
}

struct sen_metric_series *sen_metric_series(struct sen_metric *f, const char *const *values)
{
	if (!f || (f->n_labels && !values))
		return NULL;
	/* Fast path without the lock: the list is append-only. */
	for (struct sen_metric_series *s = __atomic_load_n(&f->series, __ATOMIC_ACQUIRE); s;
	     s = __atomic_load_n(&s->next, __ATOMIC_ACQUIRE))
		if (values_equal(f, s, values))
			return s;

	pthread_mutex_lock(&reg_lock);
	struct sen_metric_series **tail = &f->series, *s;
	for (s = *tail; s; tail = &s->next, s = *tail)
		if (values_equal(f, s, values))
			break;
	if (!s && (s = calloc(1, sizeof(*s)))) {
		for (int i = 0; i < f->n_labels; i++) {
			s->values[i] = strdup(values[i] ? values[i] : "");
			if (!s->values[i]) {
				while (i > 0)
					free(s->values[--i]);
				free(s);
				s = NULL;
				break;
			}
		}
		if (s)
			__atomic_store_n(tail, s, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&reg_lock);
	return s;
}

struct sen_metric_series *sen_metric_single(struct sen_metric *fam)
{
	return sen_metric_series(fam, (const char *const[]){NULL});
}

void sen_metric_add(struct sen_metric_series *s, int64_t delta)
{
	if (s)
		__atomic_add_fetch(&s->value, delta, __ATOMIC_RELAXED);
}

void sen_metric_set(struct sen_metric_series *s, int64_t value)
{
	if (s)
		__atomic_store_n(&s->value, value, __ATOMIC_RELAXED);
}

int64_t sen_metric_value(const struct sen_metric_series *s)
{
	return s ? __atomic_load_n(&s->value, __ATOMIC_RELAXED) : 0;
}

/* A growable string for rendering. */
struct text {
	char *p;
	size_t len, cap;
	bool oom;
};

static void tputc(struct text *t, char c)
{
	if (t->oom)
		return;
	if (t->len + 2 > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		char *p = realloc(t->p, cap);
		if (!p) {
			t->oom = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	t->p[t->len++] = c;
	t->p[t->len] = '\0';
}

static void tputs(struct text *t, const char *s)
{
	while (*s)
		tputc(t, *s++);
}

/* HELP text escapes backslash and newline; label values also escape the double quote. */
static void tput_escaped(struct text *t, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			tputs(t, "\\\\");
		else if (*s == '\n')
			tputs(t, "\\n");
		else if (quote && *s == '"')
			tputs(t, "\\\"");
		else
			tputc(t, *s);
	}
}

char *sen_metrics_render(size_t *len)
{
	struct text t = {0};
	char num[32];

	tputs(&t, ""); /* an empty registry renders as "" rather than NULL */
	pthread_mutex_lock(&reg_lock);
	for (struct sen_metric *f = families; f; f = f->next) {
		tputs(&t, "# HELP ");
		tputs(&t, f->name);
		tputc(&t, ' ');
		tput_escaped(&t, f->help, false);
		tputs(&t, "\n# TYPE ");
		tputs(&t, f->name);
		tputs(&t, f->type == SEN_METRIC_COUNTER ? " counter\n" : " gauge\n");
		for (struct sen_metric_series *s = f->series; s; s = s->next) {
			tputs(&t, f->name);
			for (int i = 0; i < f->n_labels; i++) {
				tputs(&t, i ? "," : "{");
				tputs(&t, f->labels[i]);
				tputs(&t, "=\"");
				tput_escaped(&t, s->values[i], true);
				tputc(&t, '"');
			}
			if (f->n_labels)
				tputc(&t, '}');
			snprintf(num, sizeof(num), " %lld\n", (long long)sen_metric_value(s));
			tputs(&t, num);
		}
	}
	pthread_mutex_unlock(&reg_lock);
	if (t.oom) {
		free(t.p);
		return NULL;
	}
	if (len)
		*len = t.len;
	return t.p;
}

void sen_metrics_reset(void)
{
	pthread_mutex_lock(&reg_lock);
	struct sen_metric *f = families, *next;
	families = NULL;
	families_tail = &families;
	pthread_mutex_unlock(&reg_lock);
	for (; f; f = next) {
		next = f->next;
		free_family(f);
	}
}

/* ---- HTTP/1.1 server ----------------------------------------------------------------- */

#define REQ_MAX	 8192
#define IDLE_MS	 10000
#define MAX_CONN 64

struct client {
	struct client *next;
	struct sen_metrics_server *srv;
	int fd;
	struct sen_timer idle;
	char req[REQ_MAX];
	size_t req_len;
	char *out; /* response being written */
	size_t out_len, out_off;
};

struct sen_metrics_server {
	struct sen_loop *loop;
	int fd;
	uint16_t port;
	struct client *clients;
	int n_clients;
};

static void client_close(struct client *c)
{
	struct sen_metrics_server *srv = c->srv;

	for (struct client **pp = &srv->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	srv->n_clients--;
	sen_timer_stop(&c->idle);
	sen_loop_fd_del(srv->loop, c->fd);
	close(c->fd);
	free(c->out);
	free(c);
}

static void client_idle(struct sen_loop *loop, struct sen_timer *timer, void *arg)
{
	client_close(arg);
}

static void client_write(struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			sen_loop_fd_mod(c->srv->loop, c->fd, SEN_LOOP_WRITE);
			return;
		}
		if (n <= 0)
			break;
		c->out_off += (size_t)n;
	}
	client_close(c); /* Connection: close */
}

static void respond(struct client *c, int status, const char *reason, const char *ctype,
		    const char *body, size_t body_len)
{
	char head[256];
	int h = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n%s\r\n",
			 status, reason, ctype, body_len, status == 405 ? "Allow: GET\r\n" : "");
	c->out = malloc((size_t)h + body_len);
	if (!c->out) {
		client_close(c);
		return;
	}
	memcpy(c->out, head, (size_t)h);
	memcpy(c->out + h, body, body_len);
	c->out_len = (size_t)h + body_len;
	client_write(c);
}

static void handle_request(struct client *c)
{
	/* Request line: METHOD SP target SP HTTP/1.x (RFC 9112 3). */
	char *sp1 = memchr(c->req, ' ', c->req_len);
	char *sp2 = sp1 ? memchr(sp1 + 1, ' ', c->req_len - (size_t)(sp1 + 1 - c->req)) : NULL;
	if (!sp1 || !sp2) {
		respond(c, 400, "Bad Request", "text/plain", "bad request\n", 12);
		return;
	}
	size_t mlen = (size_t)(sp1 - c->req), tlen = (size_t)(sp2 - sp1 - 1);
	bool is_get = mlen == 3 && !memcmp(c->req, "GET", 3);
	bool is_head = mlen == 4 && !memcmp(c->req, "HEAD", 4);
	bool path_ok = (tlen == 8 && !memcmp(sp1 + 1, "/metrics", 8)) ||
		       (tlen > 8 && !memcmp(sp1 + 1, "/metrics?", 9));
	if (!path_ok) {
		respond(c, 404, "Not Found", "text/plain", "not found\n", 10);
		return;
	}
	if (!is_get && !is_head) {
		respond(c, 405, "Method Not Allowed", "text/plain", "method not allowed\n", 19);
		return;
	}
	size_t len = 0;
	char *text = sen_metrics_render(&len);
	if (!text) {
		respond(c, 500, "Internal Server Error", "text/plain", "out of memory\n", 14);
		return;
	}
	respond(c, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", text, is_head ? 0 : len);
	free(text);
}

static void client_io(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct client *c = arg;

	if (c->out) {
		client_write(c);
		return;
	}
	if (events & SEN_LOOP_ERROR) {
		client_close(c);
		return;
	}
	ssize_t n = recv(fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(c);
		return;
	}
	c->req_len += (size_t)n;
	c->req[c->req_len] = '\0';
	if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
		handle_request(c);
		return;
	}
	if (c->req_len >= sizeof(c->req) - 1)
		respond(c, 431, "Request Header Fields Too Large", "text/plain", "too large\n", 10);
}

static void server_accept(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct sen_metrics_server *srv = arg;

	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			return; /* EAGAIN, or a transient error: try again on the next event */
		if (srv->n_clients >= MAX_CONN) {
			close(cfd);
			continue;
		}
		struct client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(cfd);
			continue;
		}
		c->srv = srv;
		c->fd = cfd;
		if (sen_loop_fd_add(loop, cfd, SEN_LOOP_READ, client_io, c) < 0) {
			close(cfd);
			free(c);
			continue;
		}
		c->next = srv->clients;
		srv->clients = c;
		srv->n_clients++;
		sen_timer_init(&c->idle, loop, client_idle, c);
		sen_timer_start(&c->idle, IDLE_MS);
	}
}

int sen_metrics_server_start(struct sen_loop *loop, const char *addr, uint16_t port,
			     struct sen_metrics_server **out)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		sl = sizeof(*a4);
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		sl = sizeof(*a6);
	} else {
		return -SEN_EINVAL;
	}
	struct sen_metrics_server *srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -SEN_ENOMEM;
	srv->loop = loop;
	srv->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (srv->fd < 0 || setsockopt(srv->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(srv->fd, (struct sockaddr *)&ss, sl) < 0 || listen(srv->fd, 64) < 0 ||
	    getsockname(srv->fd, (struct sockaddr *)&ss, &sl) < 0)
		goto fail;
	srv->port = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
	if (sen_loop_fd_add(loop, srv->fd, SEN_LOOP_READ, server_accept, srv) < 0)
		goto fail;
	*out = srv;
	return 0;
fail:;
	int e = errno;
	if (srv->fd >= 0)
		close(srv->fd);
	free(srv);
	errno = e;
	return -SEN_EIO;
}

uint16_t sen_metrics_server_port(const struct sen_metrics_server *srv)
{
	return srv ? srv->port : 0;
}

void sen_metrics_server_stop(struct sen_metrics_server *srv)
{
	if (!srv)
		return;
	while (srv->clients)
		client_close(srv->clients);
	sen_loop_fd_del(srv->loop, srv->fd);
	close(srv->fd);
	free(srv);
}
