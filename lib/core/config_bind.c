/*
 * Sen configuration binding (see config.h): one recursive walk of a map node of the tree
 * (config.c) against a const schema table, filling a C struct. Every kind of field has one
 * parser here; network functions add their own schemas, not their own parsing code. The
 * first problem ends the walk with one formatted message. The global schema and the
 * simple sections' schemas are at the end.
 */
#include "core/config.h"
#include "core/config_int.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"

/* ---------------------------------------------------------------------------------------- */
/* Scalar parsers (no messages here; the binder words them).                                  */

int sen_cfg_parse_int(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = false, hex = false, over = false;
	uint64_t v = 0, limit;
	int base = 10;

	if (*p == '-') {
		neg = true;
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (neg)
			return -SEN_EINVAL;
		hex = true;
		base = 16;
		p += 2;
	}
	if (!*p)
		return -SEN_EINVAL;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (hex && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (hex && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return -SEN_EINVAL;
		if (v > (limit - d) / (unsigned)base)
			over = true; /* keep scanning: junk later still makes it EINVAL */
		else
			v = v * (unsigned)base + d;
	}
	if (over)
		return -SEN_ERANGE;
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

/* Parse an IP address of a family allowed by flags (SEN_CFG_V4 / SEN_CFG_V6). */
static bool parse_ip(const char *s, unsigned flags, struct sen_cfg_ip *ip)
{
	struct sen_cfg_ip r;

	memset(&r, 0, sizeof(r));
	if (!(flags & SEN_CFG_V6) && inet_pton(AF_INET, s, &r.v4) == 1)
		r.family = AF_INET;
	else if (!(flags & SEN_CFG_V4) && inet_pton(AF_INET6, s, &r.v6) == 1)
		r.family = AF_INET6;
	else
		return false;
	*ip = r;
	return true;
}

static const char *ip_what(unsigned flags)
{
	if (flags & SEN_CFG_V4)
		return "an IPv4 address";
	if (flags & SEN_CFG_V6)
		return "an IPv6 address";
	return "an IP address";
}

/* Strict decimal digits (1..digits_max of them) into *v. */
static bool parse_digits(const char *s, size_t len, size_t digits_max, unsigned long *v)
{
	size_t i;

	if (len == 0 || len > digits_max)
		return false;
	*v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned long)(s[i] - '0');
	}
	return true;
}

int sen_cfg_addr_text(const struct sen_cfg_addr *a, char *host, size_t hcap, char *auth,
		      size_t acap)
{
	uint16_t port;

	if (a->sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &a->in.sin_addr, host, (socklen_t)hcap);
		port = ntohs(a->in.sin_port);
		snprintf(auth, acap, "%s:%u", host, port);
	} else if (a->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a->in6.sin6_addr, host, (socklen_t)hcap);
		port = ntohs(a->in6.sin6_port);
		snprintf(auth, acap, "[%s]:%u", host, port);
	} else {
		return -SEN_EINVAL;
	}
	return port;
}

const char *sen_cfg_ip_str(const struct sen_cfg_ip *ip, char *buf, size_t len)
{
	if (!ip->family ||
	    !inet_ntop(ip->family,
		       ip->family == AF_INET ? (const void *)&ip->v4 : (const void *)&ip->v6, buf,
		       (socklen_t)len))
		snprintf(buf, len, "none");
	return buf;
}

/* ---------------------------------------------------------------------------------------- */
/* Binding.                                                                                   */

struct sen_cfg_ctx {
	struct sen_config *cfg;
	char *err;
	size_t errlen;
	struct cfg_kpath path;
	unsigned key_line; /* line of the key whose value is being bound */
};

static int ctx_error(struct sen_cfg_ctx *ctx, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int ctx_error(struct sen_cfg_ctx *ctx, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_format_error(ctx->err, ctx->errlen, ctx->cfg->file, line, ctx->path.buf, fmt, ap);
	va_end(ap);
	return -SEN_ECONFIG;
}

int sen_cfg_error(struct sen_cfg_ctx *ctx, const struct sen_cfg_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_format_error(ctx->err, ctx->errlen, ctx->cfg->file, n ? n->line : 0, ctx->path.buf, fmt,
		     ap);
	va_end(ap);
	return -SEN_ECONFIG;
}

void *sen_cfg_alloc(struct sen_cfg_ctx *ctx, size_t size)
{
	return cfg_mem_alloc(ctx->cfg->mem, size);
}

const struct sen_config *sen_cfg_ctx_config(const struct sen_cfg_ctx *ctx)
{
	return ctx->cfg;
}

static int nomem(struct sen_cfg_ctx *ctx)
{
	ctx_error(ctx, 0, "out of memory");
	return -SEN_ENOMEM;
}

static int schema_bug(struct sen_cfg_ctx *ctx, const char *why)
{
	return ctx_error(ctx, 0, "internal error: bad schema (%s)", why);
}

/* Store v in an integer member of `size` bytes (the caller checked the range). */
static bool write_int(void *dst, size_t size, int64_t v)
{
	uint64_t u = (uint64_t)v;

	switch (size) {
	case 1: {
		uint8_t x = (uint8_t)u;
		memcpy(dst, &x, 1);
		return true;
	}
	case 2: {
		uint16_t x = (uint16_t)u;
		memcpy(dst, &x, 2);
		return true;
	}
	case 4: {
		uint32_t x = (uint32_t)u;
		memcpy(dst, &x, 4);
		return true;
	}
	case 8:
		memcpy(dst, &u, 8);
		return true;
	default:
		return false;
	}
}

static const char *node_what(const struct sen_cfg_node *n, char show[SEN_CFG_SHOW_MAX])
{
	return sen_cfg_show(n, show);
}

static const char *kind_what(const struct sen_cfg_field *f)
{
	switch (f->kind) {
	case SEN_CFG_BOOL:
		return "true or false";
	case SEN_CFG_INT:
		return "an integer";
	case SEN_CFG_DIGITS:
		return "digits";
	case SEN_CFG_ENUM:
		return "a name";
	case SEN_CFG_IP:
		return ip_what(f->flags);
	case SEN_CFG_ADDR:
		return "an address:port";
	case SEN_CFG_PREFIX:
		return "an IP prefix";
	case SEN_CFG_PATH:
	case SEN_CFG_PATHP:
		return "a file path";
	case SEN_CFG_MAP:
	case SEN_CFG_DICT:
		return "a map";
	case SEN_CFG_LIST:
		return "a list";
	default:
		return "a string";
	}
}

static int wrong_type(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		      const struct sen_cfg_node *n)
{
	char show[SEN_CFG_SHOW_MAX];

	return ctx_error(ctx, n->line, "expected %s, got %s", kind_what(f), node_what(n, show));
}

static int check_len(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		     const struct sen_cfg_node *n, size_t max)
{
	if (f->max > 0 && (uint64_t)f->max < max)
		max = (size_t)f->max;
	if (n->len > max)
		return ctx_error(ctx, n->line, "too long (at most %zu characters)", max);
	if (f->min > 0 && n->len < (uint64_t)f->min) {
		if (n->len == 0)
			return ctx_error(ctx, n->line, "must not be empty");
		return ctx_error(ctx, n->line, "too short (at least %" PRId64 " characters)",
				 f->min);
	}
	return 0;
}

static int bind_int(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		    const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX];
	int64_t v, lo = f->min, hi = f->max, tlo, thi;
	int rc;

	if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
		return schema_bug(ctx, "integer size");
	/* limits of the member type: signed if the range goes below zero */
	if (f->size == 8) {
		tlo = lo < 0 ? INT64_MIN : 0;
		thi = INT64_MAX;
	} else {
		int bits = (int)f->size * 8;

		tlo = lo < 0 ? -((int64_t)1 << (bits - 1)) : 0;
		thi = lo < 0 ? ((int64_t)1 << (bits - 1)) - 1 : ((int64_t)1 << bits) - 1;
	}
	if (lo == 0 && hi == 0) {
		lo = tlo;
		hi = thi;
	}
	if (lo < tlo || hi > thi || lo > hi)
		return schema_bug(ctx, "integer range");
	rc = sen_cfg_parse_int(n->str, &v);
	if (rc == -SEN_EINVAL)
		return ctx_error(ctx, n->line, "expected an integer, got %s", node_what(n, show));
	if (rc || v < lo || v > hi)
		return ctx_error(ctx, n->line, "%s is out of range %" PRId64 "..%" PRId64,
				 node_what(n, show), lo, hi);
	write_int(dst, f->size, v);
	return 0;
}

static int bind_enum(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		     const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX], list[256];
	size_t i, len = 0;

	if (!f->choices || (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8))
		return schema_bug(ctx, "enum");
	for (i = 0; f->choices[i]; i++) {
		if (!strcmp(n->str, f->choices[i])) {
			write_int(dst, f->size, f->values ? f->values[i] : (int64_t)i);
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; f->choices[i]; i++) {
		int w =
		    snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", f->choices[i]);

		if (w < 0 || (size_t)w >= sizeof(list) - len)
			break;
		len += (size_t)w;
	}
	return ctx_error(ctx, n->line, "%s is not one of: %s", node_what(n, show), list);
}

static int bind_addr(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		     const struct sen_cfg_node *n, struct sen_cfg_addr *a)
{
	char show[SEN_CFG_SHOW_MAX], host[INET6_ADDRSTRLEN + 1];
	const char *s = n->str, *h, *port;
	size_t hlen;
	unsigned long p;
	struct sen_cfg_ip ip;
	bool v6;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		h = s + 1;
		hlen = (size_t)(close - h);
		port = close + 2;
		v6 = true;
	} else {
		const char *colon = strrchr(s, ':');

		if (!colon)
			goto bad;
		h = s;
		hlen = (size_t)(colon - s);
		port = colon + 1;
		v6 = false;
		if (memchr(h, ':', hlen))
			return ctx_error(ctx, n->line,
					 "%s is not an address:port (write an IPv6 address in "
					 "brackets: [::1]:7777)",
					 node_what(n, show));
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (!parse_ip(host, v6 ? SEN_CFG_V6 : SEN_CFG_V4, &ip))
		goto bad;
	if ((f->flags & SEN_CFG_V4 && v6) || (f->flags & SEN_CFG_V6 && !v6))
		return ctx_error(ctx, n->line, "%s is not %s:port", node_what(n, show),
				 ip_what(f->flags));
	if (!parse_digits(port, strlen(port), 9, &p))
		goto bad;
	if (p < 1 || p > 65535)
		return ctx_error(ctx, n->line, "port of %s is out of range 1..65535",
				 node_what(n, show));
	memset(a, 0, sizeof(*a));
	if (v6) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_addr = ip.v6;
		a->in6.sin6_port = htons((uint16_t)p);
		a->len = sizeof(a->in6);
	} else {
		a->in.sin_family = AF_INET;
		a->in.sin_addr = ip.v4;
		a->in.sin_port = htons((uint16_t)p);
		a->len = sizeof(a->in);
	}
	return 0;
bad:
	return ctx_error(ctx, n->line,
			 "%s is not an address:port (like 127.0.0.1:7777 or [::1]:7777)",
			 node_what(n, show));
}

static int bind_prefix(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		       const struct sen_cfg_node *n, struct sen_cfg_prefix *pf)
{
	char show[SEN_CFG_SHOW_MAX], host[INET6_ADDRSTRLEN + 1], fixed[INET6_ADDRSTRLEN];
	const char *slash = strchr(n->str, '/');
	struct sen_cfg_ip ip;
	unsigned long len, maxlen, i;
	uint8_t *b;
	size_t hlen, bytes;
	bool host_bits = false;

	if (!slash)
		goto bad;
	hlen = (size_t)(slash - n->str);
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, n->str, hlen);
	host[hlen] = '\0';
	if (!parse_ip(host, f->flags, &ip) || !parse_digits(slash + 1, strlen(slash + 1), 3, &len))
		goto bad;
	maxlen = ip.family == AF_INET ? 32 : 128;
	if (len > maxlen)
		return ctx_error(ctx, n->line, "prefix length of %s is out of range 0..%lu",
				 node_what(n, show), maxlen);
	b = ip.family == AF_INET ? (uint8_t *)&ip.v4 : (uint8_t *)&ip.v6;
	bytes = maxlen / 8;
	for (i = 0; i < bytes; i++) {
		unsigned keep = len >= (i + 1) * 8 ? 8 : len > i * 8 ? (unsigned)(len - i * 8) : 0;
		uint8_t mask = (uint8_t)(keep ? 0xff << (8 - keep) : 0);

		if (b[i] & ~mask) {
			host_bits = true;
			b[i] &= mask;
		}
	}
	if (host_bits)
		return ctx_error(
		    ctx, n->line, "%s has bits set after the prefix length (did you mean %s/%lu?)",
		    node_what(n, show), sen_cfg_ip_str(&ip, fixed, sizeof(fixed)), len);
	pf->ip = ip;
	pf->len = (uint8_t)len;
	return 0;
bad:
	if (f->flags & SEN_CFG_V4)
		return ctx_error(ctx, n->line, "%s is not an IPv4 prefix (like 10.45.0.0/16)",
				 node_what(n, show));
	if (f->flags & SEN_CFG_V6)
		return ctx_error(ctx, n->line, "%s is not an IPv6 prefix (like 2001:db8::/48)",
				 node_what(n, show));
	return ctx_error(ctx, n->line, "%s is not an IP prefix (like 10.45.0.0/16)",
			 node_what(n, show));
}

static int bind_digits(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		       const struct sen_cfg_node *n, char *dst)
{
	char show[SEN_CFG_SHOW_MAX], want[80];
	size_t i, lo = f->min > 0 ? (size_t)f->min : 1, hi = f->max > 0 ? (size_t)f->max : 0;
	bool ok = true;

	if (f->size == 0)
		return schema_bug(ctx, "digits size");
	if (hi == 0 || hi > f->size - 1)
		hi = f->size - 1;
	if (lo > hi)
		return schema_bug(ctx, "digits range");
	for (i = 0; i < n->len; i++)
		if (n->str[i] < '0' || n->str[i] > '9')
			ok = false;
	if (!ok || n->len < lo || n->len > hi) {
		if (lo == hi)
			snprintf(want, sizeof(want), "%zu digits", lo);
		else if (lo + 1 == hi)
			snprintf(want, sizeof(want), "%zu or %zu digits", lo, hi);
		else
			snprintf(want, sizeof(want), "%zu to %zu digits", lo, hi);
		return ctx_error(ctx, n->line, "%s must be %s", node_what(n, show), want);
	}
	memcpy(dst, n->str, n->len + 1);
	return 0;
}

static int bind_path(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		     const struct sen_cfg_node *n, void *dst)
{
	char *out;
	size_t cap;
	int rc;

	if (n->len == 0)
		return ctx_error(ctx, n->line, "must not be empty");
	if (f->kind == SEN_CFG_PATH) {
		if (f->size == 0)
			return schema_bug(ctx, "path size");
		out = dst;
		cap = f->size;
	} else {
		cap = strlen(ctx->cfg->dir) + n->len + 2;
		out = cfg_mem_alloc(ctx->cfg->mem, cap);
		if (!out)
			return nomem(ctx);
	}
	rc = sen_config_resolve_path(ctx->cfg, n->str, out, cap);
	if (rc)
		return ctx_error(ctx, n->line, "path is too long (at most %zu characters)",
				 cap - 1);
	if (f->kind == SEN_CFG_PATHP)
		memcpy(dst, &out, sizeof(out));
	return 0;
}

static int bind_value(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		      const struct sen_cfg_node *n, void *dst);
static int bind_map(struct sen_cfg_ctx *ctx, const struct sen_cfg_node *node, unsigned line,
		    const struct sen_cfg_field *schema, void *base);

/* LIST (seq) and DICT (map): elements at base + i*stride, count at count_off. */
static int bind_list(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		     const struct sen_cfg_node *n, void *fbase)
{
	char *arr = (char *)fbase + f->offset;
	size_t i, stride;
	bool dict = f->kind == SEN_CFG_DICT;

	if (!f->elem || f->cap == 0 || f->size % f->cap)
		return schema_bug(ctx, "list");
	stride = f->size / f->cap;
	if (n->type != (dict ? SEN_CFG_T_MAP : SEN_CFG_T_SEQ))
		return wrong_type(ctx, f, n);
	for (i = 0; i < n->count; i++) {
		const struct sen_cfg_node *item = dict ? n->pairs[i].value : n->items[i];
		unsigned line = dict ? n->pairs[i].line : item->line;
		size_t old;
		int rc;

		if (i >= f->cap)
			return ctx_error(ctx, line, "too many entries (at most %zu)", f->cap);
		old = dict ? cfg_kpath_key(&ctx->path, n->pairs[i].key) : cfg_kpath_index(&ctx->path, i);
		if (sen_cfg_is_null(item)) {
			rc = ctx_error(ctx, line, dict ? "missing value" : "empty entry");
		} else {
			if (dict)
				memcpy(arr + i * stride + f->key_off, &n->pairs[i].key,
				       sizeof(const char *));
			ctx->key_line = line;
			rc = bind_value(ctx, f->elem, item, arr + i * stride + f->elem->offset);
		}
		if (rc)
			return rc;
		cfg_kpath_pop(&ctx->path, old);
	}
	if (f->min > 0 && n->count < (uint64_t)f->min)
		return ctx_error(ctx, n->line, "needs at least %" PRId64 " %s", f->min,
				 f->min == 1 ? "entry" : "entries");
	if (!write_int((char *)fbase + f->count_off, f->count_size, (int64_t)n->count))
		return schema_bug(ctx, "count size");
	return 0;
}

/* Bind a present, non-null node to the member at dst (for LIST/DICT, dst is the struct
 * holding the array and the count: see bind_field). */
static int bind_value(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		      const struct sen_cfg_node *n, void *dst)
{
	bool scalar = n->type == SEN_CFG_T_SCALAR;

	switch (f->kind) {
	case SEN_CFG_MAP:
		/* a missing key inside is reported at the line of the map's own key */
		return bind_map(ctx, n, ctx->key_line, f->sub, dst);
	case SEN_CFG_LIST:
	case SEN_CFG_DICT:
		return schema_bug(ctx, "list of lists"); /* handled in bind_field */
	case SEN_CFG_NODE:
		if ((f->flags & SEN_CFG_MAPNODE) && n->type != SEN_CFG_T_MAP)
			return wrong_type(ctx, &(struct sen_cfg_field){.kind = SEN_CFG_MAP}, n);
		memcpy(dst, &n, sizeof(n));
		return 0;
	case SEN_CFG_CUSTOM:
		if (!f->parse)
			return schema_bug(ctx, "no parse callback");
		return f->parse(ctx, f, n, dst);
	default:
		break;
	}
	if (!scalar)
		return wrong_type(ctx, f, n);
	/* A number or a boolean is written plain: "3240" in quotes is a string. */
	if (!n->plain && (f->kind == SEN_CFG_INT || f->kind == SEN_CFG_BOOL))
		return ctx_error(ctx, n->line, "expected %s, got a quoted string (write it "
				 "without quotes)", kind_what(f));

	switch (f->kind) {
	case SEN_CFG_STR: {
		int rc;

		if (f->size == 0)
			return schema_bug(ctx, "string size");
		if ((rc = check_len(ctx, f, n, f->size - 1)))
			return rc;
		memcpy(dst, n->str, n->len + 1);
		return 0;
	}
	case SEN_CFG_STRP: {
		int rc = check_len(ctx, f, n, SIZE_MAX);

		if (!rc)
			memcpy(dst, &n->str, sizeof(n->str));
		return rc;
	}
	case SEN_CFG_DIGITS:
		return bind_digits(ctx, f, n, dst);
	case SEN_CFG_BOOL: {
		static const char *const t[] = {"true", "True", "TRUE"};
		static const char *const fa[] = {"false", "False", "FALSE"};
		char show[SEN_CFG_SHOW_MAX];
		bool v;
		size_t i;

		for (i = 0; i < 3; i++) {
			if (!strcmp(n->str, t[i]) || !strcmp(n->str, fa[i])) {
				v = !strcmp(n->str, t[i]);
				memcpy(dst, &v, sizeof(v));
				return 0;
			}
		}
		return ctx_error(ctx, n->line, "expected true or false, got %s",
				 node_what(n, show));
	}
	case SEN_CFG_INT:
		return bind_int(ctx, f, n, dst);
	case SEN_CFG_ENUM:
		return bind_enum(ctx, f, n, dst);
	case SEN_CFG_IP: {
		char show[SEN_CFG_SHOW_MAX];
		struct sen_cfg_ip ip;

		if (!parse_ip(n->str, f->flags, &ip))
			return ctx_error(ctx, n->line, "%s is not %s", node_what(n, show),
					 ip_what(f->flags));
		memcpy(dst, &ip, sizeof(ip));
		return 0;
	}
	case SEN_CFG_ADDR:
		return bind_addr(ctx, f, n, dst);
	case SEN_CFG_PREFIX:
		return bind_prefix(ctx, f, n, dst);
	case SEN_CFG_HEX:
		/* the value may be key material: never show it */
		if (f->size == 0 || f->size > SIZE_MAX / 2)
			return schema_bug(ctx, "hex size");
		if (sen_hex_decode_exact(n->str, dst, f->size))
			return ctx_error(ctx, n->line, "must be %zu hex digits (%zu bytes)",
					 f->size * 2, f->size);
		return 0;
	case SEN_CFG_PATH:
	case SEN_CFG_PATHP:
		return bind_path(ctx, f, n, dst);
	default:
		return schema_bug(ctx, "unknown kind");
	}
}

/* An absent (or null) field: required error, default, or zero. */
static int bind_absent(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f, unsigned line,
		       void *base)
{
	char *dst = (char *)base + f->offset;

	if (f->flags & SEN_CFG_REQUIRED)
		return ctx_error(ctx, line, "missing required key");
	if (f->def) {
		struct sen_cfg_node d = {
		    .type = SEN_CFG_T_SCALAR,
		    .line = line,
		    .plain = true,
		    .str = f->def,
		    .len = strlen(f->def),
		};

		if (f->kind == SEN_CFG_LIST || f->kind == SEN_CFG_DICT)
			return schema_bug(ctx, "default for a list");
		return bind_value(ctx, f, &d, dst);
	}
	switch (f->kind) {
	case SEN_CFG_MAP:
		return bind_map(ctx, NULL, line, f->sub, dst);
	case SEN_CFG_LIST:
	case SEN_CFG_DICT:
		if (!write_int((char *)base + f->count_off, f->count_size, 0))
			return schema_bug(ctx, "count size");
		return 0;
	default:
		memset(dst, 0, f->size);
		return 0;
	}
}

/* A key present in the file. */
static int bind_field(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		      const struct sen_cfg_node *n, void *base)
{
	if (sen_cfg_is_null(n)) {
		if (f->flags & SEN_CFG_REQUIRED)
			return ctx_error(ctx, n->line, "missing value");
		/* `t3512: ~` is not a number: leave the key out to get the default */
		if (f->kind == SEN_CFG_INT || f->kind == SEN_CFG_BOOL)
			return ctx_error(ctx, n->line, "expected %s, got null", kind_what(f));
		return bind_absent(ctx, f, n->line, base);
	}
	if (f->kind == SEN_CFG_LIST || f->kind == SEN_CFG_DICT)
		return bind_list(ctx, f, n, base);
	return bind_value(ctx, f, n, (char *)base + f->offset);
}

static const struct sen_cfg_field *find_field(const struct sen_cfg_field *schema, const char *key)
{
	for (; schema->key; schema++)
		if (!strcmp(schema->key, key))
			return schema;
	return NULL;
}

static int unknown_key(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *schema, unsigned line)
{
	char list[320];
	size_t len = 0;

	list[0] = '\0';
	for (; schema->key; schema++) {
		int w =
		    snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", schema->key);

		if (w < 0 || (size_t)w >= sizeof(list) - len)
			break;
		len += (size_t)w;
	}
	if (!len)
		return ctx_error(ctx, line, "unknown key (no keys are allowed here)");
	return ctx_error(ctx, line, "unknown key (allowed: %s)", list);
}

static int bind_map(struct sen_cfg_ctx *ctx, const struct sen_cfg_node *node, unsigned line,
		    const struct sen_cfg_field *schema, void *base)
{
	const struct sen_cfg_field *f;
	size_t i, old;
	int rc;

	if (!schema)
		return schema_bug(ctx, "no nested schema");
	if (node && node->type != SEN_CFG_T_MAP)
		return wrong_type(ctx, &(struct sen_cfg_field){.kind = SEN_CFG_MAP}, node);
	/* the file's keys, in file order, so the first error is the first in the file */
	for (i = 0; node && i < node->count; i++) {
		const struct sen_cfg_pair *p = &node->pairs[i];

		old = cfg_kpath_key(&ctx->path, p->key);
		ctx->key_line = p->line;
		f = find_field(schema, p->key);
		rc = f ? bind_field(ctx, f, p->value, base) : unknown_key(ctx, schema, p->line);
		if (rc)
			return rc;
		cfg_kpath_pop(&ctx->path, old);
	}
	/* then the schema's keys that the file leaves out */
	for (f = schema; f->key; f++) {
		if (node && sen_cfg_map_get(node, f->key))
			continue;
		old = cfg_kpath_key(&ctx->path, f->key);
		rc = bind_absent(ctx, f, line, base);
		if (rc)
			return rc;
		cfg_kpath_pop(&ctx->path, old);
	}
	return 0;
}

/* Bind map `node` (NULL: empty); a missing key is reported at `line` (0: no line). */
int cfg_bind_root(struct sen_config *cfg, const struct sen_cfg_node *node, unsigned line,
		  const char *prefix, const struct sen_cfg_field *schema, void *dst, char *err,
		  size_t errlen)
{
	struct sen_cfg_ctx ctx;

	if (err && errlen)
		err[0] = '\0';
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	ctx.err = err;
	ctx.errlen = errlen;
	if (prefix && *prefix)
		cfg_kpath_key(&ctx.path, prefix);
	return bind_map(&ctx, node, line, schema, dst);
}

int sen_cfg_bind(struct sen_config *cfg, const struct sen_cfg_node *node, const char *prefix,
		 const struct sen_cfg_field *schema, void *dst, char *err, size_t errlen)
{
	return cfg_bind_root(cfg, node, node ? node->line : 0, prefix, schema, dst, err, errlen);
}

int sen_config_bind_section(struct sen_config *cfg, const char *name,
			    const struct sen_cfg_field *schema, void *dst, char *err, size_t errlen)
{
	const struct sen_cfg_node *n = sen_config_section(cfg, name);
	size_t i;

	if (!n)
		return cfg_set_error(err, errlen, cfg->file, 0, name, -SEN_ECONFIG,
				 "section is missing");
	for (i = 0; i < cfg->root->count; i++)
		if (cfg->root->pairs[i].value == n)
			break;
	return cfg_bind_root(cfg, n, cfg->root->pairs[i].line, name, schema, dst, err, errlen);
}

int sen_config_check_section(struct sen_config *cfg, const char *name,
			     const struct sen_cfg_field *schema, size_t size, char *err,
			     size_t errlen)
{
	void *scratch;
	int rc;

	if (!sen_config_section(cfg, name))
		return 0;
	if (!(scratch = calloc(1, size ? size : 1)))
		return cfg_set_error(err, errlen, cfg->file, 0, name, -SEN_ENOMEM, "out of memory");
	rc = sen_config_bind_section(cfg, name, schema, scratch, err, errlen);
	free(scratch);
	return rc;
}

int sen_config_check_core_sections(struct sen_config *cfg, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		const struct sen_cfg_field *schema;
		size_t size;
	} core[] = {
	    {"nrf", sen_cfg_nrf_schema, sizeof(struct sen_cfg_nrf)},
	    {"udr", sen_cfg_udr_schema, sizeof(struct sen_cfg_udr)},
	    {"udm", sen_cfg_udm_schema, sizeof(struct sen_cfg_udm)},
	    {"ausf", sen_cfg_ausf_schema, sizeof(struct sen_cfg_sbi_only)},
	};
	int rc;

	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if ((rc = sen_config_check_section(cfg, core[i].name, core[i].schema, core[i].size,
						   err, errlen)) < 0)
			return rc;
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* The global schema.                                                                         */

/* slices[].sd: 6 hex digits (TS 23.003 28.4.2), stored as a 24-bit number. */
static int parse_sd(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		    const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX];
	uint32_t v = 0;
	size_t i;

	if (n->type != SEN_CFG_T_SCALAR || n->len != 6)
		goto bad;
	for (i = 0; i < 6; i++) {
		char c = n->str[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			goto bad;
		v = v << 4 | d;
	}
	memcpy(dst, &v, sizeof(v));
	return 0;
bad:
	return sen_cfg_error(ctx, n, "%s is not an SD (6 hex digits, like 000001)",
			     sen_cfg_show(n, show));
}

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const char *const log_levels[] = { "error", "warn", "info", "debug", "trace", NULL };

static const struct sen_cfg_field plmn_schema[] = {
	{ .key = "mcc", .kind = SEN_CFG_DIGITS, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_plmn, mcc), .min = 3, .max = 3 },
	{ .key = "mnc", .kind = SEN_CFG_DIGITS, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_plmn, mnc), .min = 2, .max = 3 },
	SEN_CFG_END,
};

/* TS 38.413 9.3.3.10: the 5GS TAC is 3 octets. */
static const struct sen_cfg_field tac_elem = {
	.kind = SEN_CFG_INT, SEN_CFG_ELEM(uint32_t), .min = 0, .max = 0xffffff,
};

static const struct sen_cfg_field slice_schema[] = {
	{ .key = "sst", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_slice, sst), .min = 0, .max = 255 },
	{ .key = "sd", .kind = SEN_CFG_CUSTOM, SEN_CFG_AT(struct sen_cfg_slice, sd),
	  .parse = parse_sd, .def = "ffffff" },
	SEN_CFG_END,
};

static const struct sen_cfg_field slice_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct sen_cfg_slice), .sub = slice_schema,
};

static const struct sen_cfg_field log_module_elem = {
	.kind = SEN_CFG_ENUM, SEN_CFG_AT(struct sen_cfg_log_module, level), .choices = log_levels,
};

static const struct sen_cfg_field log_schema[] = {
	{ .key = "level", .kind = SEN_CFG_ENUM, SEN_CFG_AT(struct sen_cfg_log, level),
	  .choices = log_levels, .def = "info" },
	{ .key = "file", .kind = SEN_CFG_PATHP, SEN_CFG_AT(struct sen_cfg_log, file) },
	{ .key = "modules", .kind = SEN_CFG_DICT,
	  SEN_CFG_LIST_AT(struct sen_cfg_log, modules, n_modules), .elem = &log_module_elem,
	  .key_off = offsetof(struct sen_cfg_log_module, name) },
	SEN_CFG_END,
};

static const struct sen_cfg_field metrics_schema[] = {
	{ .key = "port", .kind = SEN_CFG_INT, SEN_CFG_AT(struct sen_cfg_metrics, port), .min = 1,
	  .max = 65535, .def = "9090" },
	SEN_CFG_END,
};

#define NF_SECTION(name) \
	{ .key = #name, .kind = SEN_CFG_NODE, .flags = SEN_CFG_MAPNODE, \
	  SEN_CFG_AT(struct sen_cfg_global, name) }

const struct sen_cfg_field sen_cfg_global_schema[] = {
	{ .key = "plmn", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_global, plmn), .sub = plmn_schema },
	{ .key = "tac", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_LIST_AT(struct sen_cfg_global, tac, n_tac), .elem = &tac_elem, .min = 1 },
	{ .key = "slices", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_LIST_AT(struct sen_cfg_global, slices, n_slices), .elem = &slice_elem, .min = 1 },
	{ .key = "log", .kind = SEN_CFG_MAP, SEN_CFG_AT(struct sen_cfg_global, log),
	  .sub = log_schema },
	{ .key = "metrics", .kind = SEN_CFG_MAP, SEN_CFG_AT(struct sen_cfg_global, metrics),
	  .sub = metrics_schema },
	NF_SECTION(nrf),
	NF_SECTION(amf),
	NF_SECTION(smf),
	NF_SECTION(upf),
	NF_SECTION(ausf),
	NF_SECTION(udm),
	NF_SECTION(udr),
	SEN_CFG_END,
};

/* ---------------------------------------------------------------------------------------- */
/* Sections with a simple shape.                                                              */

const struct sen_cfg_field sen_cfg_nrf_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_nrf, sbi) },
	{ .key = "heartbeat", .kind = SEN_CFG_INT, SEN_CFG_AT(struct sen_cfg_nrf, heartbeat),
	  .min = 1, .max = 3600, .def = "10" },
	{ .key = "validity", .kind = SEN_CFG_INT, SEN_CFG_AT(struct sen_cfg_nrf, validity),
	  .min = 0, .max = 86400, .def = "60" },
	SEN_CFG_END,
};

const struct sen_cfg_field sen_cfg_ausf_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_sbi_only, sbi) },
	SEN_CFG_END,
};
/* clang-format on */

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const char *const hn_schemes[] = { "a", "b", NULL };
static const int hn_scheme_ids[] = {1, 2}; /* TS 33.501 Annex C: Profile A, Profile B */

static const struct sen_cfg_field hn_key_schema[] = {
	{ .key = "id", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_hn_key_ref, id), .min = 0, .max = 255 },
	{ .key = "scheme", .kind = SEN_CFG_ENUM, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_hn_key_ref, scheme), .choices = hn_schemes,
	  .values = hn_scheme_ids },
	{ .key = "file", .kind = SEN_CFG_PATHP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_hn_key_ref, file) },
	SEN_CFG_END,
};

static const struct sen_cfg_field hn_key_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct sen_cfg_hn_key_ref), .sub = hn_key_schema,
};

const struct sen_cfg_field sen_cfg_udm_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_udm, sbi) },
	{ .key = "hn_keys", .kind = SEN_CFG_LIST,
	  SEN_CFG_LIST_AT(struct sen_cfg_udm, hn_keys, n_hn_keys), .elem = &hn_key_elem },
	SEN_CFG_END,
};
/* clang-format on */

/* udr.db: "sqlite:<path>" (path resolved against the config's directory) or a PostgreSQL
 * URI, kept as written. The value is never echoed: a URI may carry a password. */
static int parse_db(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		    const struct sen_cfg_node *n, void *dst)
{
	static const char sqlite[] = "sqlite:";
	const size_t plen = sizeof(sqlite) - 1;
	const char *out = NULL;

	if (n->type != SEN_CFG_T_SCALAR)
		goto bad;
	if (!strncmp(n->str, sqlite, plen) && n->str[plen]) {
		const struct sen_config *cfg = sen_cfg_ctx_config(ctx);
		size_t cap = plen + strlen(cfg->dir) + n->len + 2;
		char *s = sen_cfg_alloc(ctx, cap);

		if (!s)
			return sen_cfg_error(ctx, NULL, "out of memory");
		memcpy(s, sqlite, plen);
		if (sen_config_resolve_path(cfg, n->str + plen, s + plen, cap - plen))
			goto bad;
		out = s;
	} else if ((!strncmp(n->str, "postgresql://", 13) && n->len > 13) ||
		   (!strncmp(n->str, "postgres://", 11) && n->len > 11)) {
		out = n->str;
	} else {
		goto bad;
	}
	memcpy(dst, &out, sizeof(out));
	return 0;
bad:
	return sen_cfg_error(ctx, n, "expected sqlite:<file> or postgresql://<host>/<database>");
}

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
const struct sen_cfg_field sen_cfg_udr_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_udr, sbi) },
	{ .key = "db", .kind = SEN_CFG_CUSTOM, SEN_CFG_AT(struct sen_cfg_udr, db),
	  .parse = parse_db, .def = "sqlite:subscribers.db" },
	SEN_CFG_END,
};
/* clang-format on */
