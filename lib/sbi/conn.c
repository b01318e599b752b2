/*
 * The byte layer under both HTTP/2 ends (RFC 9113 over TCP): a non-blocking socket on
 * the sen_loop feeding nghttp2 (nghttp2_session_mem_recv) and draining it
 * (nghttp2_session_mem_send) into one output buffer written with as few send() calls
 * as possible. Output made outside the fd handler (an asynchronous answer) is flushed
 * once per loop round through a 0 ms timer, so many answers share one write.
 *
 * The socket is reached only through struct sbi_io_ops, so TLS (TS 33.210 / TS 29.500
 * 6.1 https) can be added as another ops table without touching the HTTP/2 code.
 *
 * Also: parsing target authorities ("host:port", "[v6]:port", "http://…").
 */
#include "sbi/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

/* ---- plain TCP ---- */

static ssize_t tcp_recv(struct sbi_conn *c, void *buf, size_t n)
{
	return recv(c->fd, buf, n, 0);
}

static ssize_t tcp_send(struct sbi_conn *c, const void *buf, size_t n)
{
	return send(c->fd, buf, n, MSG_NOSIGNAL);
}

const struct sbi_io_ops sbi_tcp_io = {tcp_recv, tcp_send};

/* ---- output ---- */

/* Stop filling the output buffer at this size; wait for the socket to drain. */
#define OUT_HIGH (256 * 1024)
/* Bytes read per recv, and recv calls per readiness event (fairness between peers). */
#define IN_CHUNK  (32 * 1024)
#define IN_ROUNDS 8

static int out_append(struct sbi_conn *c, const uint8_t *p, size_t n)
{
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 16384;
		uint8_t *b;

		while (cap < c->out_len + n)
			cap *= 2;
		b = realloc(c->out, cap);
		if (!b)
			return -SEN_ENOMEM;
		c->out = b;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
	return 0;
}

static void set_events(struct sbi_conn *c, unsigned ev)
{
	if (ev != c->events && sen_loop_fd_mod(c->loop, c->fd, ev) == 0)
		c->events = ev;
}

/* Write what can be written; returns 0 or a negative error (the connection must close). */
static int conn_flush(struct sbi_conn *c)
{
	if (c->connecting || c->failed)
		return 0;
	for (;;) {
		while (c->out_off < c->out_len) {
			ssize_t n = c->io->send(c, c->out + c->out_off, c->out_len - c->out_off);

			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					set_events(c, SEN_LOOP_READ | SEN_LOOP_WRITE);
					return 0;
				}
				if (errno == EINTR)
					continue;
				return -SEN_EIO;
			}
			c->out_off += (size_t)n;
		}
		c->out_len = c->out_off = 0;
		while (c->out_len < OUT_HIGH) {
			const uint8_t *data;
			ssize_t n = nghttp2_session_mem_send(c->ng, &data);

			if (n < 0)
				return -SEN_EPROTO;
			if (n == 0)
				break;
			if (out_append(c, data, (size_t)n) < 0)
				return -SEN_ENOMEM;
		}
		if (c->out_len == 0) {
			set_events(c, SEN_LOOP_READ);
			return 0;
		}
	}
}

static void conn_close(struct sbi_conn *c)
{
	c->failed = true;
	c->on_close(c); /* the owner tears down and frees */
}

static bool conn_finished(struct sbi_conn *c)
{
	return c->out_off == c->out_len && !nghttp2_session_want_read(c->ng) &&
	       !nghttp2_session_want_write(c->ng);
}

static void on_flush_timer(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct sbi_conn *c = arg;

	if (c->failed || conn_flush(c) < 0 || conn_finished(c))
		conn_close(c);
}

void sbi_conn_kick(struct sbi_conn *c)
{
	if (c->in_io || c->failed || sen_timer_pending(&c->flush_timer))
		return;
	sen_timer_start(&c->flush_timer, 0);
}

static int conn_check_connect(struct sbi_conn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		errno = err;
		return -SEN_EIO;
	}
	c->connecting = false;
	if (c->on_connected)
		c->on_connected(c);
	return 0;
}

static void on_fd(struct sen_loop *loop, int fd, unsigned events, void *arg)
{
	struct sbi_conn *c = arg;
	int rv = 0;

	c->in_io = true;
	if (c->connecting) {
		if (!(events & (SEN_LOOP_WRITE | SEN_LOOP_ERROR))) {
			c->in_io = false;
			return;
		}
		rv = conn_check_connect(c);
		if (rv < 0)
			sen_log_debug(SBI_MOD, "connect failed: %m");
	}
	if (rv == 0 && (events & (SEN_LOOP_READ | SEN_LOOP_ERROR))) {
		uint8_t buf[IN_CHUNK];

		for (int i = 0; i < IN_ROUNDS; i++) {
			ssize_t n = c->io->recv(c, buf, sizeof(buf));

			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK)
					rv = -SEN_EIO;
				break;
			}
			if (n == 0) {
				rv = -SEN_EIO; /* peer closed */
				break;
			}
			n = nghttp2_session_mem_recv(c->ng, buf, (size_t)n);
			if (n < 0) {
				sen_log_debug(SBI_MOD, "HTTP/2 error from peer: %s",
					      nghttp2_strerror((int)n));
				rv = -SEN_EPROTO;
				break;
			}
			if ((size_t)n < sizeof(buf))
				break;
		}
	}
	/* even on error: answers already made (e.g. a GOAWAY) are worth sending */
	if (c->after_recv)
		c->after_recv(c);
	if (conn_flush(c) < 0 && rv == 0)
		rv = -SEN_EIO;
	c->in_io = false;
	if (rv < 0 || conn_finished(c)) {
		c->failed = rv < 0 ? true : c->failed;
		conn_close(c);
	}
}

int sbi_conn_start(struct sbi_conn *c, struct sen_loop *loop, int fd)
{
	int one = 1;
	int fl = fcntl(fd, F_GETFL);

	c->loop = loop;
	c->fd = fd;
	if (!c->io)
		c->io = &sbi_tcp_io;
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -SEN_EIO;
	/* request/response traffic: never wait for more bytes to fill a segment */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	sen_timer_init(&c->flush_timer, loop, on_flush_timer, c);
	c->events = c->connecting ? (SEN_LOOP_READ | SEN_LOOP_WRITE) : SEN_LOOP_READ;
	return sen_loop_fd_add(loop, fd, c->events, on_fd, c);
}

void sbi_conn_teardown(struct sbi_conn *c)
{
	sen_timer_stop(&c->flush_timer);
	if (c->fd >= 0) {
		sen_loop_fd_del(c->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	if (c->ng) {
		nghttp2_session_del(c->ng);
		c->ng = NULL;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = c->out_cap = 0;
}

int sbi_ng_option_new(nghttp2_option **opt, bool server)
{
	if (nghttp2_option_new(opt) != 0)
		return -SEN_ENOMEM;
	/* bounded bookkeeping of closed streams and pending control frames */
	nghttp2_option_set_no_closed_streams(*opt, 1);
	nghttp2_option_set_max_outbound_ack(*opt, 1000);
	nghttp2_option_set_max_settings(*opt, 32);
	if (!server)
		/* until the server's SETTINGS arrive (RFC 9113 6.5.2: initially unlimited) */
		nghttp2_option_set_peer_max_concurrent_streams(*opt, 100);
	return 0;
}

/* ---- authorities ---- */

void sbi_addr_canon(const struct sockaddr *sa, char *out, size_t cap)
{
	char host[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(out, cap, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(out, cap, "%s:%u", host, ntohs(s4->sin_port));
	}
}

int sbi_addr_parse(const char *s, struct sbi_addr *a)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *h, *colon, *end;
	size_t hlen;
	unsigned long port;
	char *pe;

	memset(a, 0, sizeof(*a));
	if (!s)
		return -SEN_EINVAL;
	if (strncasecmp(s, "https://", 8) == 0)
		return -SEN_ENOTSUP;
	if (strncasecmp(s, "http://", 7) == 0)
		s += 7;
	end = s + strcspn(s, "/");
	if (*s == '[') {
		h = s + 1;
		colon = memchr(s, ']', (size_t)(end - s));
		if (!colon || colon + 1 >= end || colon[1] != ':')
			return -SEN_EINVAL;
		hlen = (size_t)(colon - h);
		colon++;
	} else {
		h = s;
		colon = NULL;
		for (const char *p = s; p < end; p++)
			if (*p == ':')
				colon = p;
		if (!colon)
			return -SEN_EINVAL; /* SBI peers always give a port (TS 29.510 ipEndPoints)
					     */
		hlen = (size_t)(colon - h);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -SEN_EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (colon + 1 >= end || colon[1] < '0' || colon[1] > '9')
		return -SEN_EINVAL;
	port = strtoul(colon + 1, &pe, 10);
	if (pe != end || port == 0 || port > 65535)
		return -SEN_EINVAL;
	if (strcasecmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	if (*s == '[') {
		struct sockaddr_in6 *s6 = (void *)&a->ss;

		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -SEN_EINVAL;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		a->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&a->ss;

		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return strchr(host, ':') ? -SEN_EINVAL
						 : -SEN_ENOTSUP; /* a name: no DNS yet */
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		a->len = sizeof(*s4);
	}
	sbi_addr_canon((const struct sockaddr *)&a->ss, a->canon, sizeof(a->canon));
	return 0;
}
