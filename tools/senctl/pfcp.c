/*
 * senctl pfcp: decode PFCP messages (TS 29.244) given in hex, for operators reading N4
 * traces and for checking lib/pfcp against other implementations.
 *
 *   pfcp decode HEX [--json]   the message as an indented tree of names and values (or
 *                              JSON); a datagram of bundled messages (FO flag, 7.2.1A)
 *                              shows each of them
 *   pfcp roundtrip HEX         decode, re-encode, print the re-encoded hex; exit 0 only
 *                              if it equals the input octet for octet (else 2)
 *
 * Malformed input: one line on stderr naming the message, the IE and the problem, with
 * the PFCP cause a peer would answer with; exit 2.
 */
#include "senctl.h"

#include "core/err.h"
#include "core/hex.h"
#include "pfcp/pfcp.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PFCP_MAX  65600 /* one UDP datagram */
#define PFCP_MSGS 16	/* bundled messages shown */

/* ---- printers for sen_pfcp_walk ---- */

struct tree {
	int depth;
};

static void tree_open(void *arg, const char *name)
{
	struct tree *t = arg;

	printf("%*s%s\n", 2 * t->depth, "", name);
	t->depth++;
}

static void tree_close(void *arg)
{
	((struct tree *)arg)->depth--;
}

static void tree_value(void *arg, const char *name, const char *text)
{
	printf("%*s%s: %s\n", 2 * ((struct tree *)arg)->depth, "", name, text);
}

static const struct sen_pfcp_visitor tree_visitor = {tree_open, tree_close, tree_value};

struct js {
	cJSON *stack[32];
	int depth; /* stack[depth] is the object being filled */
	bool oom;
};

static void js_open(void *arg, const char *name)
{
	struct js *j = arg;
	cJSON *o = cJSON_CreateObject();

	if (!o || j->depth + 1 >= (int)(sizeof(j->stack) / sizeof(j->stack[0]))) {
		cJSON_Delete(o);
		j->oom = true;
		return;
	}
	cJSON_AddItemToObject(j->stack[j->depth], name, o);
	j->stack[++j->depth] = o;
}

static void js_close(void *arg)
{
	struct js *j = arg;

	if (j->depth > 0)
		j->depth--;
}

static void js_value(void *arg, const char *name, const char *text)
{
	struct js *j = arg;

	if (!cJSON_AddStringToObject(j->stack[j->depth], name, text))
		j->oom = true;
}

static const struct sen_pfcp_visitor js_visitor = {js_open, js_close, js_value};

/* ---- input ---- */

static int bad_msg(const struct sen_pfcp_error *e, size_t base)
{
	char cause[80] = "";

	if (e->cause)
		snprintf(cause, sizeof(cause), "; cause %u (%s)", e->cause,
			 sen_pfcp_cause_name(e->cause));
	else
		snprintf(cause, sizeof(cause), "; discarded");
	if (e->ie[0])
		return senctl_bad("pfcp: %s: %s: %s (octet %zu%s)", e->msg, e->ie, e->problem,
				  base + e->offset, cause);
	return senctl_bad("pfcp: %s: %s (octet %zu%s)", e->msg, e->problem, base + e->offset,
			  cause);
}

static int read_hex(const char *hex, uint8_t **out, int *len)
{
	size_t n = strlen(hex) / 2 + 1;

	if (n > PFCP_MAX)
		return senctl_bad("pfcp: message longer than %d octets", PFCP_MAX);
	*out = malloc(n);
	if (!*out)
		return SENCTL_EXIT_FAIL;
	*len = sen_hex_decode(hex, *out, n);
	if (*len < 0) {
		free(*out);
		return senctl_bad("pfcp: '%s' is not hex (an even number of hex digits expected)",
				  hex);
	}
	if (*len == 0) {
		free(*out);
		return senctl_bad("pfcp: empty message");
	}
	return 0;
}

/*
 * Decode every message of the datagram buf[len] into msgs[] (heap). Returns the count,
 * or -exit status after reporting. Octets after a message without FO: an error.
 */
static int decode_all(const uint8_t *buf, size_t len, struct sen_pfcp_msg *msgs, unsigned *ignored)
{
	struct sen_pfcp_error e;
	size_t off = 0;
	int n = 0;

	*ignored = 0;
	while (off < len) {
		if (n == PFCP_MSGS)
			return -senctl_bad("pfcp: more than %d bundled messages", PFCP_MSGS);
		int m = sen_pfcp_decode(buf + off, len - off, &msgs[n], &e);
		if (m < 0)
			return -bad_msg(&e, off);
		*ignored += e.ignored;
		off += (size_t)m;
		if (!msgs[n++].fo && off < len)
			return -senctl_bad(
			    "pfcp: %s: %zu octets after the message, and FO is not set", e.msg,
			    len - off);
	}
	return n;
}

/* ---- decode ---- */

static int decode_cmd(const char *hex, bool json)
{
	struct sen_pfcp_msg *msgs = calloc(PFCP_MSGS, sizeof(*msgs));
	uint8_t *buf;
	int len, rc;
	unsigned ignored;

	if (!msgs)
		return SENCTL_EXIT_FAIL;
	if ((rc = read_hex(hex, &buf, &len)) != 0) {
		free(msgs);
		return rc;
	}
	int n = decode_all(buf, (size_t)len, msgs, &ignored);
	if (n < 0) {
		free(buf);
		free(msgs);
		return -n;
	}

	cJSON *root = NULL;
	struct js j = {.depth = 0};
	struct tree t = {.depth = 0};
	const struct sen_pfcp_visitor *v = json ? &js_visitor : &tree_visitor;
	void *arg = json ? (void *)&j : (void *)&t;
	if (json) {
		root = n > 1 ? cJSON_CreateArray() : NULL;
		j.stack[0] = cJSON_CreateObject();
		if (!j.stack[0] || (n > 1 && !root)) {
			cJSON_Delete(root);
			cJSON_Delete(j.stack[0]);
			free(buf);
			free(msgs);
			return SENCTL_EXIT_FAIL;
		}
	}
	for (int i = 0; i < n; i++) {
		if (json && i > 0) {
			cJSON_AddItemToArray(root, j.stack[0]);
			j.stack[0] = cJSON_CreateObject();
			j.depth = 0;
			if (!j.stack[0]) {
				j.oom = true;
				break;
			}
		}
		sen_pfcp_walk(&msgs[i], v, arg);
	}
	if (ignored) {
		char s[64];
		snprintf(s, sizeof(s), "%u unknown or repeated IE(s) skipped", ignored);
		if (json)
			js_value(&j, "note", s);
		else
			printf("note: %s\n", s);
	}
	free(buf);
	free(msgs);
	if (json) {
		if (root)
			cJSON_AddItemToArray(root, j.stack[0]);
		else
			root = j.stack[0];
		char *text = j.oom ? NULL : cJSON_Print(root);
		cJSON_Delete(root);
		if (!text)
			return SENCTL_EXIT_FAIL;
		puts(text);
		free(text);
	}
	return SENCTL_EXIT_OK;
}

/* ---- roundtrip ---- */

static int roundtrip_cmd(const char *hex)
{
	static uint8_t out[PFCP_MAX];
	struct sen_pfcp_msg *msgs = calloc(PFCP_MSGS, sizeof(*msgs));
	uint8_t *buf;
	int len, rc;
	unsigned ignored;
	size_t total = 0;

	if (!msgs)
		return SENCTL_EXIT_FAIL;
	if ((rc = read_hex(hex, &buf, &len)) != 0) {
		free(msgs);
		return rc;
	}
	int n = decode_all(buf, (size_t)len, msgs, &ignored);
	for (int i = 0; i < n; i++) {
		int m = sen_pfcp_encode(&msgs[i], out + total, sizeof(out) - total);
		if (m < 0) {
			rc = senctl_bad("pfcp: %s: re-encoding failed: %s",
					sen_pfcp_msg_name(msgs[i].type), sen_strerror(m));
			free(buf);
			free(msgs);
			return rc;
		}
		total += (size_t)m;
	}
	free(msgs);
	if (n < 0) {
		free(buf);
		return -n;
	}
	char *x = malloc(2 * total + 1);
	if (!x) {
		free(buf);
		return SENCTL_EXIT_FAIL;
	}
	puts(sen_hex_encode(out, total, x));
	free(x);
	rc = SENCTL_EXIT_OK;
	if (total != (size_t)len || memcmp(out, buf, total) != 0) {
		size_t i = 0;
		while (i < total && i < (size_t)len && out[i] == buf[i])
			i++;
		rc = senctl_bad("pfcp: re-encoding differs from the input from octet %zu%s", i,
				ignored ? " (unknown or repeated IEs were skipped)" : "");
	}
	free(buf);
	return rc;
}

int senctl_pfcp(int argc, char **argv)
{
	struct senctl_opt opts[] = {FLAG("json"), OPT_END};
	const char *hex = NULL;

	if (argc < 1)
		return senctl_bad("pfcp: usage: senctl pfcp decode HEX [--json] | roundtrip HEX");
	const char *cmd = argv[0];
	if (!strcmp(cmd, "decode")) {
		if (senctl_parse_args(argc - 1, argv + 1, opts, &hex, 1, "HEX (the PFCP message)"))
			return SENCTL_EXIT_USAGE;
		return decode_cmd(hex, senctl_opt(opts, "json") != NULL);
	}
	if (!strcmp(cmd, "roundtrip")) {
		opts[0] = (struct senctl_opt)OPT_END;
		if (senctl_parse_args(argc - 1, argv + 1, opts, &hex, 1, "HEX (the PFCP message)"))
			return SENCTL_EXIT_USAGE;
		return roundtrip_cmd(hex);
	}
	return senctl_bad("pfcp: unknown subcommand '%s' (decode, roundtrip)", cmd);
}
