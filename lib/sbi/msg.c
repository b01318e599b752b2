/*
 * SBI messages (msg.h): pooled message objects with an inline string arena, header and
 * query lists, body buffer, percent-encoding of query parameters (RFC 3986 2.1; TS
 * 29.501 4.4.3 / 5.2.x query encoding), JSON body helpers over cJSON, and the
 * per-thread object pools the transport uses.
 */
#include "sbi/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"

/* ---- per-thread pools ---- */

#define POOL_KEEP 1024

void *sbi_pool_get(struct sbi_pool *p)
{
	void *o = p->head;

	if (o) {
		p->head = *(void **)o;
		p->n--;
		memset(o, 0, p->size);
		return o;
	}
	return calloc(1, p->size);
}

void sbi_pool_put(struct sbi_pool *p, void *obj)
{
	if (!obj)
		return;
	if (p->n >= POOL_KEEP) {
		free(obj);
		return;
	}
	*(void **)obj = p->head;
	p->head = obj;
	p->n++;
}

void sbi_pool_trim(struct sbi_pool *p)
{
	while (p->head) {
		void *o = p->head;

		p->head = *(void **)o;
		free(o);
	}
	p->n = 0;
}

/* Messages have their own list: their body buffer survives recycling. */
static __thread struct sen_sbi_msg *msg_free_list;
static __thread unsigned msg_free_n;

/* Bodies larger than this are not kept across recycling. */
#define BODY_KEEP (64 * 1024)

static void msg_reset(struct sen_sbi_msg *m)
{
	struct sbi_chunk *c = m->a_chunks;

	while (c) {
		struct sbi_chunk *next = c->next;

		free(c);
		c = next;
	}
	m->a_chunks = NULL;
	m->a_cur = m->a_inline;
	m->a_left = sizeof(m->a_inline);
	m->method = SEN_SBI_METHOD_NONE;
	m->status = 0;
	m->err = 0;
	m->path = "";
	m->authority = "";
	m->n_hdr = m->n_query = m->n_var = 0;
	m->body_len = 0;
	if (m->body_cap > BODY_KEEP) {
		free(m->body);
		m->body = NULL;
		m->body_cap = 0;
	}
}

struct sen_sbi_msg *sen_sbi_msg_new(void)
{
	struct sen_sbi_msg *m = msg_free_list;

	if (m) {
		msg_free_list = m->next_free;
		msg_free_n--;
	} else {
		m = calloc(1, sizeof(*m));
		if (!m)
			return NULL;
	}
	m->next_free = NULL;
	msg_reset(m);
	return m;
}

void sen_sbi_msg_free(struct sen_sbi_msg *m)
{
	if (!m)
		return;
	msg_reset(m);
	if (msg_free_n >= POOL_KEEP) {
		free(m->body);
		free(m);
		return;
	}
	m->next_free = msg_free_list;
	msg_free_list = m;
	msg_free_n++;
}

void sen_sbi_pool_trim(void)
{
	while (msg_free_list) {
		struct sen_sbi_msg *m = msg_free_list;

		msg_free_list = m->next_free;
		free(m->body);
		free(m);
	}
	msg_free_n = 0;
	sbi_xact_pool_trim();
	sbi_stream_pool_trim();
}

int sbi_msg_fail(struct sen_sbi_msg *m, int err)
{
	if (!m->err && err < 0)
		m->err = err;
	return m->err;
}

int sen_sbi_msg_error(const struct sen_sbi_msg *m)
{
	return m ? m->err : -SEN_EINVAL;
}

/* ---- arena ---- */

#define CHUNK_MIN 2048

static char *arena_alloc(struct sen_sbi_msg *m, size_t n)
{
	char *p;

	if (n > m->a_left) {
		size_t sz = n > CHUNK_MIN ? n : CHUNK_MIN;
		struct sbi_chunk *c = malloc(sizeof(*c) + sz);

		if (!c) {
			sbi_msg_fail(m, -SEN_ENOMEM);
			return NULL;
		}
		c->next = m->a_chunks;
		m->a_chunks = c;
		m->a_cur = c->data;
		m->a_left = sz;
	}
	p = m->a_cur;
	m->a_cur += n;
	m->a_left -= n;
	return p;
}

char *sbi_msg_strndup(struct sen_sbi_msg *m, const char *s, size_t n)
{
	char *p = arena_alloc(m, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- methods ---- */

static const char *const method_names[SEN_SBI_METHOD_MAX] = {
    [SEN_SBI_GET] = "GET",     [SEN_SBI_POST] = "POST",	    [SEN_SBI_PUT] = "PUT",
    [SEN_SBI_PATCH] = "PATCH", [SEN_SBI_DELETE] = "DELETE", [SEN_SBI_OPTIONS] = "OPTIONS",
    [SEN_SBI_HEAD] = "HEAD",
};

const char *sen_sbi_method_name(enum sen_sbi_method m)
{
	if ((unsigned)m >= SEN_SBI_METHOD_MAX || !method_names[m])
		return "?";
	return method_names[m];
}

enum sen_sbi_method sen_sbi_method_parse(const char *s, size_t len)
{
	for (int i = 1; i < SEN_SBI_METHOD_MAX; i++)
		if (strlen(method_names[i]) == len && memcmp(method_names[i], s, len) == 0)
			return (enum sen_sbi_method)i;
	return SEN_SBI_METHOD_NONE;
}

/* ---- percent encoding ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sbi_pct_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -SEN_EINVAL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -SEN_EINVAL; /* %00 would cut the string */
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '\0') {
			return -SEN_EINVAL;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return (int)o;
}

/* RFC 3986 2.3 unreserved characters are sent as they are; everything else %XX. */
static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static size_t pct_encoded_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += unreserved((unsigned char)*s) ? 1 : 3;
	return n;
}

static char *pct_encode(char *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (unreserved(c)) {
			*out++ = (char)c;
		} else {
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 15];
		}
	}
	return out;
}

/* ---- building ---- */

static int add_kv(struct sen_sbi_msg *m, struct sbi_kv *arr, uint16_t *n, unsigned max,
		  const char *name, size_t nlen, const char *value, size_t vlen, bool decode)
{
	char *k, *v;

	if (*n >= max)
		return sbi_msg_fail(m, -SEN_EMSGSIZE);
	k = arena_alloc(m, nlen + 1);
	v = arena_alloc(m, vlen + 1);
	if (!k || !v)
		return m->err;
	if (decode) {
		if (sbi_pct_decode(name, nlen, k) < 0 || sbi_pct_decode(value, vlen, v) < 0)
			return sbi_msg_fail(m, -SEN_EINVAL);
	} else {
		memcpy(k, name, nlen);
		k[nlen] = '\0';
		memcpy(v, value, vlen);
		v[vlen] = '\0';
	}
	arr[*n].name = k;
	arr[*n].value = v;
	(*n)++;
	return 0;
}

/* Split "a=b&c=d" (encoded) into decoded query parameters. */
static int parse_query(struct sen_sbi_msg *m, const char *q, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t end = i, eq;
		int rv;

		while (end < n && q[end] != '&')
			end++;
		eq = i;
		while (eq < end && q[eq] != '=')
			eq++;
		if (end > i) {
			if (eq == end)
				rv = add_kv(m, m->query, &m->n_query, SEN_SBI_MAX_QUERY, q + i,
					    end - i, "", 0, true);
			else
				rv = add_kv(m, m->query, &m->n_query, SEN_SBI_MAX_QUERY, q + i,
					    eq - i, q + eq + 1, end - eq - 1, true);
			if (rv < 0)
				return rv;
		}
		i = end + 1;
	}
	return 0;
}

int sbi_msg_set_wire_path(struct sen_sbi_msg *m, const char *p, size_t n)
{
	size_t q = 0;
	char *path;

	if (n == 0 || p[0] != '/')
		return sbi_msg_fail(m, -SEN_EINVAL);
	while (q < n && p[q] != '?' && p[q] != '#')
		q++;
	path = sbi_msg_strndup(m, p, q);
	if (!path)
		return m->err;
	m->path = path;
	if (q < n && p[q] == '?') {
		size_t end = q + 1;

		while (end < n && p[end] != '#')
			end++;
		return parse_query(m, p + q + 1, end - q - 1);
	}
	return 0;
}

int sen_sbi_msg_set_path(struct sen_sbi_msg *m, const char *path)
{
	if (!m)
		return -SEN_EINVAL;
	if (!path)
		return sbi_msg_fail(m, -SEN_EINVAL);
	m->n_query = 0;
	for (const char *c = path; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return sbi_msg_fail(m, -SEN_EINVAL);
	return sbi_msg_set_wire_path(m, path, strlen(path));
}

int sen_sbi_msg_add_query(struct sen_sbi_msg *m, const char *name, const char *value)
{
	if (!m)
		return -SEN_EINVAL;
	if (!name || !*name || !value)
		return sbi_msg_fail(m, -SEN_EINVAL);
	return add_kv(m, m->query, &m->n_query, SEN_SBI_MAX_QUERY, name, strlen(name), value,
		      strlen(value), false);
}

const char *sbi_msg_wire_path(struct sen_sbi_msg *m, size_t *len)
{
	size_t n = strlen(m->path);
	char *out, *p;

	if (m->n_query == 0) {
		*len = n;
		return m->path;
	}
	for (unsigned i = 0; i < m->n_query; i++)
		n += 1 + pct_encoded_len(m->query[i].name) + 1 + pct_encoded_len(m->query[i].value);
	out = arena_alloc(m, n + 1);
	if (!out)
		return NULL;
	p = out + strlen(m->path);
	memcpy(out, m->path, (size_t)(p - out));
	for (unsigned i = 0; i < m->n_query; i++) {
		*p++ = i ? '&' : '?';
		p = pct_encode(p, m->query[i].name);
		*p++ = '=';
		p = pct_encode(p, m->query[i].value);
	}
	*p = '\0';
	*len = (size_t)(p - out);
	return out;
}

/* RFC 9110 5.6.2 token characters. */
static bool tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int header_check(const char *name, const char *value)
{
	if (!name || !*name || !value)
		return -SEN_EINVAL;
	for (const char *c = name; *c; c++)
		if (!tchar((unsigned char)*c))
			return -SEN_EINVAL;
	for (const char *c = value; *c; c++)
		if (*c == '\r' || *c == '\n')
			return -SEN_EINVAL;
	if (strcasecmp(name, "content-length") == 0 || strcasecmp(name, "connection") == 0 ||
	    strcasecmp(name, "transfer-encoding") == 0)
		return -SEN_EINVAL; /* RFC 9113 8.2.2: connection-specific, or ours */
	return 0;
}

static int put_header(struct sen_sbi_msg *m, const char *name, const char *value, bool replace)
{
	size_t nlen, vlen;
	char *k;
	int rv = header_check(name, value);

	if (rv < 0)
		return sbi_msg_fail(m, rv);
	nlen = strlen(name);
	vlen = strlen(value);
	if (replace) {
		for (unsigned i = 0; i < m->n_hdr; i++) {
			if (strcasecmp(m->hdr[i].name, name) == 0) {
				char *v = sbi_msg_strndup(m, value, vlen);

				if (!v)
					return m->err;
				m->hdr[i].value = v;
				return m->err;
			}
		}
	}
	rv = add_kv(m, m->hdr, &m->n_hdr, SEN_SBI_MAX_HEADERS, name, nlen, value, vlen, false);
	if (rv < 0)
		return rv;
	k = (char *)m->hdr[m->n_hdr - 1].name;
	for (; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	return m->err;
}

int sen_sbi_msg_set_header(struct sen_sbi_msg *m, const char *name, const char *value)
{
	if (!m)
		return -SEN_EINVAL;
	return put_header(m, name, value, true);
}

int sen_sbi_msg_add_header(struct sen_sbi_msg *m, const char *name, const char *value)
{
	if (!m)
		return -SEN_EINVAL;
	return put_header(m, name, value, false);
}

int sbi_msg_add_raw_header(struct sen_sbi_msg *m, const char *name, size_t nlen, const char *value,
			   size_t vlen)
{
	if (nlen == 14 && memcmp(name, "content-length", 14) == 0)
		return 0;
	return add_kv(m, m->hdr, &m->n_hdr, SEN_SBI_MAX_HEADERS, name, nlen, value, vlen, false);
}

int sen_sbi_msg_set_status(struct sen_sbi_msg *m, int status)
{
	if (!m)
		return -SEN_EINVAL;
	if (status < 100 || status > 599)
		return sbi_msg_fail(m, -SEN_EINVAL);
	m->status = status;
	return m->err;
}

static int body_reserve(struct sen_sbi_msg *m, size_t n)
{
	size_t cap;
	uint8_t *b;

	if (n <= m->body_cap)
		return 0;
	cap = m->body_cap ? m->body_cap : 512;
	while (cap < n) {
		if (cap > SIZE_MAX / 2)
			return sbi_msg_fail(m, -SEN_ENOMEM);
		cap *= 2;
	}
	b = realloc(m->body, cap);
	if (!b)
		return sbi_msg_fail(m, -SEN_ENOMEM);
	m->body = b;
	m->body_cap = cap;
	return 0;
}

int sbi_msg_append_body(struct sen_sbi_msg *m, const uint8_t *p, size_t n)
{
	if (n > SIZE_MAX - m->body_len || body_reserve(m, m->body_len + n) < 0)
		return sbi_msg_fail(m, -SEN_ENOMEM);
	memcpy(m->body + m->body_len, p, n);
	m->body_len += n;
	return 0;
}

int sen_sbi_msg_set_body(struct sen_sbi_msg *m, const void *data, size_t len,
			 const char *content_type)
{
	if (!m)
		return -SEN_EINVAL;
	if (!data && len)
		return sbi_msg_fail(m, -SEN_EINVAL);
	m->body_len = 0;
	if (len && sbi_msg_append_body(m, data, len) < 0)
		return m->err;
	if (content_type)
		put_header(m, "content-type", content_type, true);
	return m->err;
}

/* Size of the last JSON printed on this thread: the first guess for the next one. */
static __thread size_t json_guess = 1024;

int sen_sbi_msg_set_json(struct sen_sbi_msg *m, const cJSON *json, const char *content_type)
{
	size_t cap;

	if (!m)
		return -SEN_EINVAL;
	if (!json)
		return sbi_msg_fail(m, -SEN_EINVAL);
	m->body_len = 0;
	cap = m->body_cap > json_guess ? m->body_cap : json_guess;
	for (;;) {
		if (cap > (size_t)1 << 30)
			return sbi_msg_fail(m, -SEN_ENOMEM);
		if (body_reserve(m, cap) < 0)
			return m->err;
		/* cJSON needs a few spare bytes beyond the text (cJSON.h) */
		if (cJSON_PrintPreallocated((cJSON *)json, (char *)m->body, (int)m->body_cap, 0))
			break;
		cap = m->body_cap * 2;
	}
	m->body_len = strlen((char *)m->body);
	json_guess = m->body_len + 64 > 1024 ? m->body_len + 64 : 1024;
	put_header(m, "content-type", content_type ? content_type : "application/json", true);
	return m->err;
}

void sen_sbi_msg_move_body(struct sen_sbi_msg *dst, struct sen_sbi_msg *src)
{
	uint8_t *b;
	size_t cap;
	const char *ct;

	if (!dst || !src || dst == src)
		return;
	b = dst->body;
	cap = dst->body_cap;
	dst->body = src->body;
	dst->body_len = src->body_len;
	dst->body_cap = src->body_cap;
	src->body = b;
	src->body_cap = cap;
	src->body_len = 0;
	ct = sen_sbi_msg_header(src, "content-type");
	if (ct)
		put_header(dst, "content-type", ct, true);
}

struct sen_sbi_msg *sen_sbi_request_new(enum sen_sbi_method method, const char *path_fmt, ...)
{
	struct sen_sbi_msg *m = sen_sbi_msg_new();
	char small[256], *p = small;
	va_list ap;
	int n;

	if (!m)
		return NULL;
	m->method = method;
	if ((unsigned)method >= SEN_SBI_METHOD_MAX || method == SEN_SBI_METHOD_NONE)
		sbi_msg_fail(m, -SEN_EINVAL);
	if (!path_fmt) {
		sbi_msg_fail(m, -SEN_EINVAL);
		return m;
	}
	va_start(ap, path_fmt);
	n = vsnprintf(small, sizeof(small), path_fmt, ap);
	va_end(ap);
	if (n < 0) {
		sbi_msg_fail(m, -SEN_EINVAL);
		return m;
	}
	if ((size_t)n >= sizeof(small)) {
		p = arena_alloc(m, (size_t)n + 1);
		if (!p)
			return m;
		va_start(ap, path_fmt);
		vsnprintf(p, (size_t)n + 1, path_fmt, ap);
		va_end(ap);
	}
	sen_sbi_msg_set_path(m, p);
	return m;
}

struct sen_sbi_msg *sen_sbi_response_new(int status)
{
	struct sen_sbi_msg *m = sen_sbi_msg_new();

	if (m)
		sen_sbi_msg_set_status(m, status);
	return m;
}

int sbi_msg_add_var(struct sen_sbi_msg *m, const char *name, const char *v, size_t n)
{
	char *out;

	if (m->n_var >= SEN_SBI_MAX_VARS)
		return -SEN_EMSGSIZE;
	char *k = sbi_msg_strndup(m, name, strlen(name));

	out = arena_alloc(m, n + 1);
	if (!out || !k)
		return -SEN_ENOMEM;
	if (sbi_pct_decode(v, n, out) < 0)
		return -SEN_EINVAL;
	m->var[m->n_var].name = k;
	m->var[m->n_var].value = out;
	m->n_var++;
	return 0;
}

void sbi_msg_clear_vars(struct sen_sbi_msg *m)
{
	m->n_var = 0;
}

/* ---- reading ---- */

enum sen_sbi_method sen_sbi_msg_method(const struct sen_sbi_msg *m)
{
	return m ? m->method : SEN_SBI_METHOD_NONE;
}

int sen_sbi_msg_status(const struct sen_sbi_msg *m)
{
	return m ? m->status : 0;
}

const char *sen_sbi_msg_path(const struct sen_sbi_msg *m)
{
	return m && m->path ? m->path : "";
}

const char *sen_sbi_msg_authority(const struct sen_sbi_msg *m)
{
	return m && m->authority ? m->authority : "";
}

const char *sen_sbi_msg_header(const struct sen_sbi_msg *m, const char *name)
{
	if (!m || !name)
		return NULL;
	for (unsigned i = 0; i < m->n_hdr; i++)
		if (strcasecmp(m->hdr[i].name, name) == 0)
			return m->hdr[i].value;
	return NULL;
}

bool sen_sbi_msg_header_at(const struct sen_sbi_msg *m, size_t i, const char **name,
			   const char **value)
{
	if (!m || i >= m->n_hdr)
		return false;
	if (name)
		*name = m->hdr[i].name;
	if (value)
		*value = m->hdr[i].value;
	return true;
}

const char *sen_sbi_msg_query(const struct sen_sbi_msg *m, const char *name)
{
	if (!m || !name)
		return NULL;
	for (unsigned i = 0; i < m->n_query; i++)
		if (strcmp(m->query[i].name, name) == 0)
			return m->query[i].value;
	return NULL;
}

bool sen_sbi_msg_query_at(const struct sen_sbi_msg *m, size_t i, const char **name,
			  const char **value)
{
	if (!m || i >= m->n_query)
		return false;
	if (name)
		*name = m->query[i].name;
	if (value)
		*value = m->query[i].value;
	return true;
}

const char *sen_sbi_msg_var(const struct sen_sbi_msg *m, const char *name)
{
	if (!m || !name)
		return NULL;
	for (unsigned i = 0; i < m->n_var; i++)
		if (strcmp(m->var[i].name, name) == 0)
			return m->var[i].value;
	return NULL;
}

const uint8_t *sen_sbi_msg_body(const struct sen_sbi_msg *m, size_t *len)
{
	if (len)
		*len = m && m->body_len ? m->body_len : 0;
	return m && m->body_len ? m->body : NULL;
}

bool sen_sbi_msg_is_json(const struct sen_sbi_msg *m)
{
	const char *ct = sen_sbi_msg_header(m, "content-type");
	size_t n;

	if (!ct)
		return false;
	n = strcspn(ct, ";");
	while (n && ct[n - 1] == ' ')
		n--;
	if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
		return true;
	return n > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	       strncasecmp(ct + n - 5, "+json", 5) == 0;
}

/* RFC 3629 4: well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF). */
static bool utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = p[i];
		size_t len;
		uint8_t lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else
			return false;
		if (n - i < len || p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

int sen_sbi_msg_json(const struct sen_sbi_msg *m, cJSON **out)
{
	cJSON *j;

	if (!m || !out)
		return -SEN_EINVAL;
	*out = NULL;
	if (m->body_len == 0)
		return -SEN_ENOENT;
	/* RFC 8259 8.1: JSON text exchanged between systems is UTF-8. cJSON copies any bytes
	 * into its strings, which an NF would keep and hand to every other consumer (an NRF
	 * profile in each discovery answer), so a body that is not UTF-8 is malformed. */
	if (!utf8_valid(m->body, m->body_len))
		return -SEN_EPROTO;
	j = cJSON_ParseWithLength((const char *)m->body, m->body_len);
	if (!j)
		return -SEN_EPROTO;
	*out = j;
	return 0;
}
