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
#include "walk.h"

#include "core/err.h"
#include "core/hex.h"
#include "pfcp/pfcp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PFCP_MAX  65600 /* one UDP datagram */
#define PFCP_MSGS 16	/* bundled messages shown */

static const struct sen_pfcp_visitor out_visitor = {senctl_out_open_object, senctl_out_close,
						    senctl_out_value};

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
	return senctl_read_hex(hex, PFCP_MAX, "pfcp", "message", INT_MAX, out, len);
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

	/* JSON: one object per message, in an array when the datagram bundles several */
	struct senctl_out o;
	cJSON *root = json && n > 1 ? cJSON_CreateArray() : NULL;
	if (senctl_out_begin(&o, json) || (json && n > 1 && !root)) {
		cJSON_Delete(root);
		cJSON_Delete(o.stack[0]);
		free(buf);
		free(msgs);
		return SENCTL_EXIT_FAIL;
	}
	for (int i = 0; i < n; i++) {
		if (json && i > 0) {
			cJSON_AddItemToArray(root, o.stack[0]);
			o.stack[0] = cJSON_CreateObject();
			o.depth = 0;
			if (!o.stack[0]) {
				o.oom = true;
				break;
			}
		}
		sen_pfcp_walk(&msgs[i], &out_visitor, &o);
	}
	if (ignored) {
		char s[64];
		snprintf(s, sizeof(s), "%u unknown or repeated IE(s) skipped", ignored);
		senctl_out_value(&o, "note", s);
	}
	free(buf);
	free(msgs);
	if (!json)
		return SENCTL_EXIT_OK;
	if (root)
		cJSON_AddItemToArray(root, o.stack[0]);
	else
		root = o.stack[0];
	return senctl_out_json(root, o.oom);
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
	if (senctl_put_hex(out, total)) {
		free(buf);
		return SENCTL_EXIT_FAIL;
	}
	rc = SENCTL_EXIT_OK;
	if (total != (size_t)len || memcmp(out, buf, total) != 0) {
		size_t i = senctl_same_prefix(out, total, buf, (size_t)len);
		rc = senctl_bad("pfcp: re-encoding differs from the input from octet %zu%s", i,
				ignored ? " (unknown or repeated IEs were skipped)" : "");
	}
	free(buf);
	return rc;
}

int senctl_pfcp(int argc, char **argv)
{
	return senctl_codec_main(argc, argv, "pfcp", "HEX (the PFCP message)", decode_cmd,
				 roundtrip_cmd);
}
