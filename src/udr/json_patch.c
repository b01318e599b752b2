/*
 * JSON Patch (RFC 6902) with JSON Pointer paths (RFC 6901): the body of the Nudr-DR PATCH
 * operations of TS 29.505 (authentication-subscription, amf-3gpp-access), media type
 * "application/json-patch+json", an array of TS 29.571 PatchItem {op, path, from?, value?}.
 * Declared in udr_json.h.
 *
 * The patch is applied to a copy of the document, so a failing item leaves the original
 * untouched (RFC 6902 5: the whole patch or nothing).
 */
#include "udr_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * Set every item's prev link as cJSON's list code expects (the first child's prev is the
 * last one): cJSON 1.7.15's cJSON_Duplicate leaves them unset, and cJSON_InsertItemInArray
 * then refuses the array as corrupted.
 */
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
				return -SEN_EINVAL;
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

/* An array index token: "0" or digits without a leading zero (RFC 6901 4). */
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
		if (next_token(&p, tok) < 0)
			return -SEN_EINVAL;
		if (!*p)
			break;
		int idx;
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
	if (cJSON_IsArray(parent) && array_index(tok, cJSON_GetArraySize(parent), false, &idx))
		return cJSON_GetArrayItem(parent, idx);
	return NULL;
}

/*
 * Insert val before item idx of arr. Done by hand: the cJSON 1.7.15 of Debian 12 returns
 * false from cJSON_InsertItemInArray without inserting.
 */
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

/* RFC 6902 4.1 add (replace_only: 4.3 replace). Takes `val` in every case. */
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
	if (cJSON_IsArray(parent)) {
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
	}
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
	if (cJSON_IsArray(parent) && array_index(tok, cJSON_GetArraySize(parent), false, &idx))
		return cJSON_DetachItemFromArray(parent, idx);
	return NULL;
}

static int apply_one(cJSON **doc, const cJSON *item, size_t i, char *why, size_t whylen)
{
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(item, "op");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(item, "path");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(item, "from");
	const char *o;

	if (!cJSON_IsObject(item) || !cJSON_IsString(op) || !cJSON_IsString(path))
		return perr(why, whylen, -SEN_EINVAL, "patch item %zu: needs \"op\" and \"path\"",
			    i);
	o = op->valuestring;
	if (!strcmp(o, "add") || !strcmp(o, "replace") || !strcmp(o, "test")) {
		if (!value)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: \"value\" missing",
				    i);
		if (!strcmp(o, "test")) {
			cJSON *cur = lookup(*doc, path->valuestring);
			if (!cur || !cJSON_Compare(cur, value, true))
				return perr(why, whylen, -SEN_EAGAIN, "patch item %zu: test failed",
					    i);
			return 0;
		}
		cJSON *dup = cJSON_Duplicate(value, true);
		if (!dup)
			return -SEN_ENOMEM;
		relink(dup);
		if (do_add(doc, path->valuestring, dup, !strcmp(o, "replace")) < 0)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: path %s not found",
				    i, path->valuestring);
		return 0;
	}
	if (!strcmp(o, "remove")) {
		cJSON *old = do_detach(*doc, path->valuestring);
		if (!old)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: path %s not found",
				    i, path->valuestring);
		cJSON_Delete(old);
		return 0;
	}
	if (!strcmp(o, "move") || !strcmp(o, "copy")) {
		if (!cJSON_IsString(from))
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: \"from\" missing",
				    i);
		size_t fl = strlen(from->valuestring);
		bool move = !strcmp(o, "move");
		/* RFC 6902 4.4: a location cannot be moved into one of its children. */
		if (move && !strncmp(path->valuestring, from->valuestring, fl) &&
		    path->valuestring[fl] == '/')
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: move into itself",
				    i);
		cJSON *v;
		if (move) {
			v = do_detach(*doc, from->valuestring);
		} else {
			cJSON *src = lookup(*doc, from->valuestring);
			v = src ? cJSON_Duplicate(src, true) : NULL;
			relink(v);
		}
		if (!v)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: from %s not found",
				    i, from->valuestring);
		if (do_add(doc, path->valuestring, v, false) < 0)
			return perr(why, whylen, -SEN_EINVAL, "patch item %zu: path %s not found",
				    i, path->valuestring);
		return 0;
	}
	return perr(why, whylen, -SEN_EINVAL, "patch item %zu: unknown op", i);
}

int sen_udr_json_patch(cJSON **doc, const cJSON *patch, char *why, size_t whylen)
{
	const cJSON *item;
	size_t i = 0;
	cJSON *work;

	if (!doc || !*doc || !cJSON_IsArray(patch) || cJSON_GetArraySize(patch) < 1)
		return perr(why, whylen, -SEN_EINVAL, "the patch must be a non-empty array");
	if (!(work = cJSON_Duplicate(*doc, true)))
		return -SEN_ENOMEM;
	relink(work);
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
