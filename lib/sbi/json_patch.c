/*
 * JSON Patch (RFC 6902) with JSON Pointer paths (RFC 6901) over cJSON, for the PATCH
 * operations of every NF (TS 29.500 5.2.4). The contract is in json_patch.h.
 *
 * The patch runs on a duplicate of the document, so a failing operation leaves the
 * original untouched (RFC 6902 5). Two workarounds for the cJSON 1.7.15 of Debian 12:
 * cJSON_Duplicate leaves the prev links of the copied children unset (relink() sets them),
 * and cJSON_InsertItemInArray refuses a middle position on such arrays, so insertion is
 * done by hand (array_insert()).
 */
#include "sbi/json_patch.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#define MAX_TOKEN 256

static int perr(char *why, size_t whylen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int perr(char *why, size_t whylen, int rc, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Set every item's prev link as cJSON's list code expects (the first child's prev is the
 * last one). */
static void relink(cJSON *j)
{
	for (; j; j = j->next) {
		cJSON *c = j->child, *last = NULL;
		for (cJSON *i = c; i; i = i->next) {
			if (last)
				i->prev = last;
			last = i;
		}
		if (c)
			c->prev = last;
		relink(c);
	}
}

static cJSON *dup_tree(const cJSON *j)
{
	cJSON *d = cJSON_Duplicate(j, true);

	if (d) {
		/* relink() walks siblings too: the copy has none. */
		d->next = d->prev = NULL;
		relink(d);
	}
	return d;
}

/* Next reference token of pointer *p (after its '/'), unescaped (~1 -> '/', ~0 -> '~'). */
static int next_token(const char **p, char tok[MAX_TOKEN])
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '/')
		return -SEN_EINVAL;
	for (s++; *s && *s != '/'; s++) {
		char c = *s;
		if (c == '~') {
			if (s[1] == '0')
				c = '~';
			else if (s[1] == '1')
				c = '/';
			else
				return -SEN_EINVAL; /* RFC 6901 3: '~' only as ~0 or ~1 */
			s++;
		}
		if (n + 1 >= MAX_TOKEN)
			return -SEN_EINVAL;
		tok[n++] = c;
	}
	tok[n] = '\0';
	*p = s;
	return 0;
}

/*
 * An array index token: "0" or digits without a leading zero (RFC 6901 4), below `size`,
 * or equal to it (and "-", RFC 6902 4.1) when allow_end.
 */
static bool array_index(const char *tok, int size, bool allow_end, int *idx)
{
	long v = 0;

	if (allow_end && !strcmp(tok, "-")) {
		*idx = size;
		return true;
	}
	if (!tok[0] || (tok[0] == '0' && tok[1]))
		return false;
	for (const char *c = tok; *c; c++) {
		if (*c < '0' || *c > '9' || v > 1000000)
			return false;
		v = v * 10 + (*c - '0');
	}
	if (v > size || (!allow_end && v == size))
		return false;
	*idx = (int)v;
	return true;
}

/*
 * Resolve `path` in doc down to its parent: *parent is the container, tok the last token.
 * For path "" (the whole document) *parent is NULL.
 */
static int resolve_parent(cJSON *doc, const char *path, cJSON **parent, char tok[MAX_TOKEN])
{
	const char *p = path;
	cJSON *cur = doc;

	if (!*p) {
		*parent = NULL;
		return 0;
	}
	for (;;) {
		int idx;

		if (next_token(&p, tok) < 0)
			return -SEN_EINVAL;
		if (!*p)
			break;
		if (cJSON_IsObject(cur))
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
		else if (cJSON_IsArray(cur) &&
			 array_index(tok, cJSON_GetArraySize(cur), false, &idx))
			cur = cJSON_GetArrayItem(cur, idx);
		else
			cur = NULL;
		if (!cur)
			return -SEN_EINVAL;
	}
	if (!cJSON_IsObject(cur) && !cJSON_IsArray(cur))
		return -SEN_EINVAL;
	*parent = cur;
	return 0;
}

/* The value at `path`, or NULL. */
static cJSON *lookup(cJSON *doc, const char *path)
{
	char tok[MAX_TOKEN];
	cJSON *parent;
	int idx;

	if (resolve_parent(doc, path, &parent, tok) < 0)
		return NULL;
	if (!parent)
		return doc;
	if (cJSON_IsObject(parent))
		return cJSON_GetObjectItemCaseSensitive(parent, tok);
	if (array_index(tok, cJSON_GetArraySize(parent), false, &idx))
		return cJSON_GetArrayItem(parent, idx);
	return NULL;
}

/* Insert val before item idx of arr (by hand: see the top of the file). */
static bool array_insert(cJSON *arr, int idx, cJSON *val)
{
	cJSON *rest = cJSON_CreateArray();

	if (!rest)
		return false;
	while (cJSON_GetArraySize(arr) > idx)
		cJSON_AddItemToArray(rest, cJSON_DetachItemFromArray(arr, idx));
	cJSON_AddItemToArray(arr, val);
	while (cJSON_GetArraySize(rest) > 0)
		cJSON_AddItemToArray(arr, cJSON_DetachItemFromArray(rest, 0));
	cJSON_Delete(rest);
	return true;
}

/* RFC 6902 4.1 add (replace_only: 4.3 replace, the target must exist). Takes `val`. */
static int do_add(cJSON **doc, const char *path, cJSON *val, bool replace_only)
{
	char tok[MAX_TOKEN];
	cJSON *parent;
	int idx;

	if (resolve_parent(*doc, path, &parent, tok) < 0)
		goto bad;
	if (!parent) {
		cJSON_Delete(*doc);
		*doc = val;
		return 0;
	}
	if (cJSON_IsObject(parent)) {
		if (cJSON_GetObjectItemCaseSensitive(parent, tok)) {
			if (!cJSON_ReplaceItemInObjectCaseSensitive(parent, tok, val))
				goto bad;
			return 0;
		}
		if (replace_only || !cJSON_AddItemToObject(parent, tok, val))
			goto bad;
		return 0;
	}
	int size = cJSON_GetArraySize(parent);
	if (!array_index(tok, size, !replace_only, &idx))
		goto bad;
	if (replace_only) {
		if (!cJSON_ReplaceItemInArray(parent, idx, val))
			goto bad;
	} else if (idx == size) {
		if (!cJSON_AddItemToArray(parent, val))
			goto bad;
	} else if (!array_insert(parent, idx, val)) {
		goto bad;
	}
	return 0;
bad:
	cJSON_Delete(val);
	return -SEN_EINVAL;
}

/* RFC 6902 4.2 remove: detach and return the value at path (NULL if absent or the root). */
static cJSON *do_detach(cJSON *doc, const char *path)
{
	char tok[MAX_TOKEN];
	cJSON *parent;
	int idx;

	if (resolve_parent(doc, path, &parent, tok) < 0 || !parent)
		return NULL;
	if (cJSON_IsObject(parent))
		return cJSON_DetachItemFromObjectCaseSensitive(parent, tok);
	if (array_index(tok, cJSON_GetArraySize(parent), false, &idx))
		return cJSON_DetachItemFromArray(parent, idx);
	return NULL;
}

static int apply_one(cJSON **doc, const cJSON *item, size_t i, char *why, size_t whylen)
{
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(item, "op");
	const cJSON *jpath = cJSON_GetObjectItemCaseSensitive(item, "path");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
	const cJSON *jfrom = cJSON_GetObjectItemCaseSensitive(item, "from");
	const char *o, *path;
	cJSON *v;

	if (!cJSON_IsObject(item))
		return perr(why, whylen, -SEN_EPROTO, "patch item %zu: not an object", i);
	if (!cJSON_IsString(op) || !cJSON_IsString(jpath))
		return perr(why, whylen, -SEN_EPROTO, "patch item %zu: needs \"op\" and \"path\"",
			    i);
	o = op->valuestring;
	path = jpath->valuestring;
	if (!strcmp(o, "add") || !strcmp(o, "replace") || !strcmp(o, "test")) {
		if (!value)
			return perr(why, whylen, -SEN_EPROTO,
				    "patch item %zu: %.16s without \"value\"", i, o);
		if (!strcmp(o, "test")) {
			cJSON *cur = lookup(*doc, path);
			if (!cur || !cJSON_Compare(cur, value, true))
				return perr(why, whylen, -SEN_EAGAIN,
					    "patch item %zu: test %.200s failed", i, path);
			return 0;
		}
		if (!(v = dup_tree(value)))
			return -SEN_ENOMEM;
		if (do_add(doc, path, v, !strcmp(o, "replace")) < 0)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: %s %.200s failed", i,
				    o, path);
		return 0;
	}
	if (!strcmp(o, "remove")) {
		if (!(v = do_detach(*doc, path)))
			return perr(why, whylen, -SEN_EINVAL,
				    "patch item %zu: remove %.200s: no such location", i, path);
		cJSON_Delete(v);
		return 0;
	}
	if (!strcmp(o, "move") || !strcmp(o, "copy")) {
		bool move = !strcmp(o, "move");
		const char *from;
		size_t fl;

		if (!cJSON_IsString(jfrom))
			return perr(why, whylen, -SEN_EPROTO,
				    "patch item %zu: %s without \"from\"", i, o);
		from = jfrom->valuestring;
		fl = strlen(from);
		if (move && !strncmp(path, from, fl) && (path[fl] == '/' || path[fl] == '\0')) {
			if (path[fl] == '\0' && lookup(*doc, from))
				return 0; /* moved onto itself */
			/* RFC 6902 4.4: a location cannot be moved into one of its children. */
			return perr(why, whylen, -SEN_EINVAL,
				    "patch item %zu: move %.200s into itself", i, from);
		}
		if (move) {
			v = do_detach(*doc, from);
		} else {
			cJSON *src = lookup(*doc, from);
			v = src ? dup_tree(src) : NULL;
			if (src && !v)
				return -SEN_ENOMEM;
		}
		if (!v)
			return perr(why, whylen, -SEN_EINVAL,
				    "patch item %zu: from %.200s: no such location", i, from);
		if (do_add(doc, path, v, false) < 0)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: %s to %.200s failed",
				    i, o, path);
		return 0;
	}
	return perr(why, whylen, -SEN_EPROTO, "patch item %zu: unknown op \"%.32s\"", i, o);
}

int sen_sbi_json_patch(cJSON **doc, const cJSON *patch, char *why, size_t whylen)
{
	const cJSON *item;
	size_t i = 0;
	cJSON *work;

	if (!doc || !*doc)
		return perr(why, whylen, -SEN_EINVAL, "no document to patch");
	if (!cJSON_IsArray(patch))
		return perr(why, whylen, -SEN_EPROTO,
			    "a JSON Patch is an array of operations (RFC 6902 3)");
	if (!(work = dup_tree(*doc)))
		return perr(why, whylen, -SEN_ENOMEM, "out of memory");
	cJSON_ArrayForEach(item, patch)
	{
		int rc = apply_one(&work, item, i++, why, whylen);
		if (rc < 0) {
			cJSON_Delete(work);
			return rc;
		}
	}
	cJSON_Delete(*doc);
	*doc = work;
	return 0;
}
