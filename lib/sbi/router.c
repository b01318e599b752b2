/*
 * SBI router (router.h): resource URI templates (TS 29.501 4.4.1) compiled into
 * segment lists, matched segment by segment against the request path. Routes are
 * kept in one array; a lookup scans it comparing pre-split segments, and the first
 * literal segment (usually the API name, "nudm-ueau") rejects most routes at once.
 */
#include "sbi/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "sbi/internal.h"

#define MAX_SEGS 16

struct seg {
	const char *text; /* literal text, or the variable's name */
	uint16_t len;
	bool var;
};

struct route {
	enum sen_sbi_method method;
	char *tmpl;  /* owned copy; seg texts point into it */
	char *names; /* variable names, NUL-terminated, owned */
	unsigned n_seg;
	struct seg seg[MAX_SEGS];
	sen_sbi_handler_fn handler;
	void *arg;
};

struct sen_sbi_router {
	struct route *routes;
	size_t n, cap;
};

int sen_sbi_router_new(struct sen_sbi_router **r)
{
	*r = calloc(1, sizeof(**r));
	return *r ? 0 : -SEN_ENOMEM;
}

void sen_sbi_router_free(struct sen_sbi_router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->routes[i].tmpl);
		free(r->routes[i].names);
	}
	free(r->routes);
	free(r);
}

/* Split path[len] at '/' into segs (texts point into path); -1 if too many segments. */
static int split(const char *path, size_t len, struct seg *segs)
{
	int n = 0;
	size_t i = 1;

	if (len == 1) /* "/" */
		return 0;
	while (i <= len) {
		size_t start = i;

		while (i < len && path[i] != '/')
			i++;
		if (n == MAX_SEGS || i - start > UINT16_MAX)
			return -1;
		segs[n].text = path + start;
		segs[n].len = (uint16_t)(i - start);
		segs[n].var = false;
		n++;
		i++;
	}
	return n;
}

static int compile(struct route *rt, const char *tmpl)
{
	size_t len = strlen(tmpl), nv = 0;
	int n;
	char *names;

	if (len == 0 || tmpl[0] != '/')
		return -SEN_EINVAL;
	rt->tmpl = strdup(tmpl);
	rt->names = names = malloc(len + 1);
	if (!rt->tmpl || !names)
		return -SEN_ENOMEM;
	n = split(rt->tmpl, len, rt->seg);
	if (n < 0)
		return -SEN_EINVAL;
	rt->n_seg = (unsigned)n;
	for (unsigned i = 0; i < rt->n_seg; i++) {
		struct seg *s = &rt->seg[i];

		if (s->len == 0)
			return -SEN_EINVAL;
		if (memchr(s->text, '{', s->len) || memchr(s->text, '}', s->len)) {
			if (s->len < 3 || s->text[0] != '{' || s->text[s->len - 1] != '}' ||
			    memchr(s->text + 1, '{', s->len - 2) ||
			    memchr(s->text + 1, '}', s->len - 2))
				return -SEN_EINVAL;
			if (++nv > SEN_SBI_MAX_VARS)
				return -SEN_EINVAL;
			memcpy(names, s->text + 1, s->len - 2u);
			names[s->len - 2] = '\0';
			s->text = names;
			s->len = (uint16_t)(s->len - 2);
			s->var = true;
			names += s->len + 1;
		}
	}
	return 0;
}

static bool same_route(const struct route *a, const struct route *b)
{
	if (a->method != b->method || a->n_seg != b->n_seg)
		return false;
	for (unsigned i = 0; i < a->n_seg; i++) {
		if (a->seg[i].var != b->seg[i].var)
			return false;
		if (!a->seg[i].var && (a->seg[i].len != b->seg[i].len ||
				       memcmp(a->seg[i].text, b->seg[i].text, a->seg[i].len)))
			return false;
	}
	return true;
}

int sen_sbi_router_add(struct sen_sbi_router *r, enum sen_sbi_method method, const char *tmpl,
		       sen_sbi_handler_fn handler, void *arg)
{
	struct route rt = {0};
	int rv;

	if (!r || !tmpl || !handler || method == SEN_SBI_METHOD_NONE ||
	    (unsigned)method >= SEN_SBI_METHOD_MAX)
		return -SEN_EINVAL;
	rt.method = method;
	rv = compile(&rt, tmpl);
	if (rv == 0) {
		for (size_t i = 0; i < r->n; i++)
			if (same_route(&r->routes[i], &rt))
				rv = -SEN_EEXIST;
	}
	if (rv == 0 && r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct route *nr = realloc(r->routes, cap * sizeof(*nr));

		if (!nr) {
			rv = -SEN_ENOMEM;
		} else {
			r->routes = nr;
			r->cap = cap;
		}
	}
	if (rv < 0) {
		free(rt.tmpl);
		free(rt.names);
		return rv;
	}
	rt.handler = handler;
	rt.arg = arg;
	r->routes[r->n++] = rt;
	return 0;
}

/*
 * Does `rt` match the path segments? Returns a rank (higher is more specific: a bit
 * per literal segment, most significant first) or -1.
 */
static long match_rank(const struct route *rt, const struct seg *ps, unsigned n)
{
	long rank = 0;

	if (rt->n_seg != n)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		const struct seg *s = &rt->seg[i];

		rank <<= 1;
		if (s->var) {
			if (ps[i].len == 0)
				return -1;
			continue;
		}
		if (s->len != ps[i].len || memcmp(s->text, ps[i].text, s->len) != 0)
			return -1;
		rank |= 1;
	}
	return rank;
}

enum sen_sbi_route_result sen_sbi_router_match(const struct sen_sbi_router *r,
					       struct sen_sbi_msg *req, sen_sbi_handler_fn *handler,
					       void **arg, unsigned *allow)
{
	struct seg ps[MAX_SEGS];
	const char *path = sen_sbi_msg_path(req);
	const struct route *best = NULL;
	long best_rank = -1;
	unsigned mask = 0;
	int n;

	*allow = 0;
	n = split(path, strlen(path), ps);
	if (!r || n < 0 || path[0] != '/')
		return SEN_SBI_ROUTE_NO_PATH;
	for (size_t i = 0; i < r->n; i++) {
		const struct route *rt = &r->routes[i];
		long rank = match_rank(rt, ps, (unsigned)n);

		if (rank < 0)
			continue;
		mask |= 1u << rt->method;
		if (rt->method == req->method && rank > best_rank) {
			best = rt;
			best_rank = rank;
		}
	}
	if (!best) {
		*allow = mask;
		return mask ? SEN_SBI_ROUTE_NO_METHOD : SEN_SBI_ROUTE_NO_PATH;
	}
	sbi_msg_clear_vars(req);
	for (unsigned i = 0; i < best->n_seg; i++) {
		if (!best->seg[i].var)
			continue;
		if (sbi_msg_add_var(req, best->seg[i].text, ps[i].text, ps[i].len) < 0) {
			sbi_msg_clear_vars(req);
			return SEN_SBI_ROUTE_NO_PATH;
		}
	}
	*handler = best->handler;
	*arg = best->arg;
	return SEN_SBI_ROUTE_FOUND;
}

const char *sen_sbi_router_service(const struct sen_sbi_router *r, const char *path, char *buf,
				   size_t cap)
{
	const char *seg = path && path[0] == '/' ? path + 1 : NULL;
	size_t len = seg ? strcspn(seg, "/?") : 0;

	for (size_t i = 0; r && len && len < cap && i < r->n; i++) {
		const struct route *rt = &r->routes[i];

		if (rt->n_seg && !rt->seg[0].var && rt->seg[0].len == len &&
		    !memcmp(rt->seg[0].text, seg, len)) {
			memcpy(buf, seg, len);
			buf[len] = '\0';
			return buf;
		}
	}
	snprintf(buf, cap, "%s", "unknown");
	return buf;
}
