/*
 * JSON Patch (RFC 6902) over cJSON, with JSON Pointer (RFC 6901) paths: what NFUpdate
 * (TS 29.510 5.2.2.3, PATCH with application/json-patch+json, TS 29.500 5.2.4) applies to
 * a stored NFProfile. Every operation of RFC 6902 clause 4 is supported.
 */
#include "context.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define TOKEN_MAX 256

/*
 * Read the next reference token of pointer *p ("/a~1b" -> "a/b"), advancing *p.
 * Returns 1 (token read), 0 (end of pointer) or -1 (malformed).
 */
static int next_token(const char **p, char *tok)
{
	const char *s = *p;
	size_t n = 0;

	if (!*s)
		return 0;
	if (*s != '/')
		return -1;
	for (s++; *s && *s != '/'; s++) {
		char c = *s;
		if (c == '~') {
			if (s[1] == '0')
				c = '~';
			else if (s[1] == '1')
				c = '/';
			else
				return -1; /* RFC 6901 3: '~' only as ~0 or ~1 */
			s++;
		}
		if (n + 1 >= TOKEN_MAX)
			return -1;
		tok[n++] = c;
	}
	tok[n] = '\0';
	*p = s;
	return 1;
}

/* An array index token (RFC 6901 4: no leading zeros); -1 if it is not one. */
static long array_index(const char *tok)
{
	long v = 0;

	if (!*tok || (tok[0] == '0' && tok[1]))
		return -1;
	for (; *tok; tok++) {
		if (!isdigit((unsigned char)*tok) || v > 100000000)
			return -1;
		v = v * 10 + (*tok - '0');
	}
	return v;
}

static cJSON *child(cJSON *node, const char *tok)
{
	if (cJSON_IsObject(node))
		return cJSON_GetObjectItemCaseSensitive(node, tok);
	if (cJSON_IsArray(node)) {
		long i = array_index(tok);
		return i < 0 ? NULL : cJSON_GetArrayItem(node, (int)i);
	}
	return NULL;
}

/* The node at `ptr` ("" is the document), or NULL. */
static cJSON *ptr_get(cJSON *doc, const char *ptr)
{
	char tok[TOKEN_MAX];
	int r;

	while (doc && (r = next_token(&ptr, tok)) != 0) {
		if (r < 0)
			return NULL;
		doc = child(doc, tok);
	}
	return doc;
}

/* Split `ptr` into its parent node and last token. Returns 0 or -1 (ptr is "" or bad). */
static int ptr_parent(cJSON *doc, const char *ptr, cJSON **parent, char *last)
{
	char tok[TOKEN_MAX];
	cJSON *node = doc, *prev = NULL;
	int r;

	if (!*ptr)
		return -1;
	while ((r = next_token(&ptr, tok)) != 0) {
		if (r < 0 || !node)
			return -1;
		if (*ptr == '\0') {
			prev = node;
			memcpy(last, tok, strlen(tok) + 1);
			break;
		}
		node = child(node, tok);
	}
	if (!prev || (!cJSON_IsObject(prev) && !cJSON_IsArray(prev)))
		return -1;
	*parent = prev;
	return 0;
}

/* RFC 6902 4.1 add (value taken over; freed on failure). */
static int op_add(cJSON **doc, const char *path, cJSON *value)
{
	char last[TOKEN_MAX];
	cJSON *parent;

	if (!*path) {
		cJSON_Delete(*doc);
		*doc = value;
		return 0;
	}
	if (ptr_parent(*doc, path, &parent, last) < 0)
		goto fail;
	if (cJSON_IsObject(parent)) {
		if (cJSON_GetObjectItemCaseSensitive(parent, last))
			cJSON_ReplaceItemInObjectCaseSensitive(parent, last, value);
		else
			cJSON_AddItemToObject(parent, last, value);
		return 0;
	}
	if (!strcmp(last, "-")) {
		cJSON_AddItemToArray(parent, value);
		return 0;
	}
	long i = array_index(last);
	int n = cJSON_GetArraySize(parent);
	if (i < 0 || i > n)
		goto fail;
	/*
	 * Insert at i: append, then rotate the old tail behind the new element
	 * (cJSON_InsertItemInArray of Debian's cJSON 1.7.15 refuses a middle position).
	 */
	cJSON_AddItemToArray(parent, value);
	for (long k = i; k < n; k++)
		cJSON_AddItemToArray(parent, cJSON_DetachItemFromArray(parent, (int)i));
	return 0;
fail:
	cJSON_Delete(value);
	return -1;
}

/* Replace the existing node at path by value (taken over; freed on failure). */
static int op_replace(cJSON **doc, const char *path, cJSON *value)
{
	char last[TOKEN_MAX];
	cJSON *parent;
	long i;

	if (!*path) {
		cJSON_Delete(*doc);
		*doc = value;
		return 0;
	}
	if (ptr_parent(*doc, path, &parent, last) < 0)
		goto fail;
	if (cJSON_IsObject(parent) && cJSON_ReplaceItemInObjectCaseSensitive(parent, last, value))
		return 0;
	if (cJSON_IsArray(parent) && (i = array_index(last)) >= 0 &&
	    i < cJSON_GetArraySize(parent) && cJSON_ReplaceItemInArray(parent, (int)i, value))
		return 0;
fail:
	cJSON_Delete(value);
	return -1;
}

/* Detach the node at path (RFC 6902 4.2 remove; also the first half of move). */
static cJSON *detach(cJSON *doc, const char *path)
{
	char last[TOKEN_MAX];
	cJSON *parent, *node;

	if (ptr_parent(doc, path, &parent, last) < 0 || !(node = child(parent, last)))
		return NULL;
	return cJSON_DetachItemViaPointer(parent, node);
}

static int apply_one(cJSON **doc, const cJSON *op, char *why, size_t whylen)
{
	const char *name = sen_nf_json_str(op, "op"), *path = sen_nf_json_str(op, "path");
	const char *from = sen_nf_json_str(op, "from");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
	cJSON *v, *target;

	if (!name || !path) {
		snprintf(why, whylen, "operation without op or path");
		return -SEN_EPROTO;
	}
	if (!strcmp(name, "test")) {
		if (!value || !(target = ptr_get(*doc, path)) ||
		    !cJSON_Compare(target, value, true))
			goto fail;
		return 0;
	}
	if (!strcmp(name, "remove")) {
		if (!*path || !(v = detach(*doc, path)))
			goto fail;
		cJSON_Delete(v);
		return 0;
	}
	if (!strcmp(name, "add") || !strcmp(name, "replace")) {
		if (!value) {
			snprintf(why, whylen, "%s %s without value", name, path);
			return -SEN_EPROTO;
		}
		if (!strcmp(name, "replace")) {
			/* RFC 6902 4.3: the target location must exist. */
			if (!ptr_get(*doc, path) || !(v = cJSON_Duplicate(value, true)))
				goto fail;
			if (op_replace(doc, path, v) < 0)
				goto fail;
			return 0;
		}
		if (!(v = cJSON_Duplicate(value, true)) || op_add(doc, path, v) < 0)
			goto fail;
		return 0;
	}
	if (!strcmp(name, "move") || !strcmp(name, "copy")) {
		size_t fl = from ? strlen(from) : 0;
		if (!from || !(target = ptr_get(*doc, from)))
			goto fail;
		if (!strcmp(name, "copy")) {
			if (!(v = cJSON_Duplicate(target, true)) || op_add(doc, path, v) < 0)
				goto fail;
			return 0;
		}
		/* RFC 6902 4.4: a location cannot be moved into one of its children. */
		if (!strncmp(path, from, fl) && (path[fl] == '/' || path[fl] == '\0')) {
			if (path[fl] == '\0')
				return 0;
			goto fail;
		}
		if (!*from || !(v = detach(*doc, from)) || op_add(doc, path, v) < 0)
			goto fail;
		return 0;
	}
	snprintf(why, whylen, "unknown operation '%.32s'", name);
	return -SEN_EPROTO;
fail:
	snprintf(why, whylen, "%s %.200s failed", name, path);
	return -SEN_EINVAL;
}

int nrf_json_patch(cJSON **doc, const cJSON *patch, char *why, size_t whylen)
{
	const cJSON *op;
	int rv;

	if (!cJSON_IsArray(patch)) {
		snprintf(why, whylen, "a JSON Patch is an array of operations");
		return -SEN_EPROTO;
	}
	cJSON_ArrayForEach(op, patch)
	{
		if (!cJSON_IsObject(op)) {
			snprintf(why, whylen, "a JSON Patch operation is an object");
			return -SEN_EPROTO;
		}
		if ((rv = apply_one(doc, op, why, whylen)) < 0)
			return rv;
	}
	return 0;
}
