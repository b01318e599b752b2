/*
 * senctl nas: decode NAS-5GS messages (TS 24.501) given in hex, for operators reading
 * traces and for checking lib/nas against other implementations.
 *
 *   nas decode HEX [--json]   the message as an indented tree of names and values (or
 *                             JSON); a security protected message shows its security
 *                             header, and its inner message when it is not ciphered
 *   nas roundtrip HEX         decode, re-encode, print the re-encoded hex; exit 0 only
 *                             if it equals the input octet for octet (else 2)
 *
 * Malformed input: one line on stderr naming the message, the IE and the problem; exit 2.
 */
#include "senctl.h"
#include "walk.h"

#include "core/err.h"
#include "core/hex.h"
#include "nas/nas.h"
#include "nas/sec.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAS_MAX 65600

static const struct sen_nas_visitor out_visitor = {senctl_out_open_object, senctl_out_close,
						   senctl_out_value};

/* ---- decode ---- */

/*
 * e->offset counts from the first octet of the plain message given to sen_nas_decode;
 * base is where that message starts in the input (the security header length for a
 * protected message), so that the octet printed is the input's.
 */
static int bad_msg(const struct sen_nas_error *e, size_t base)
{
	if (e->ie && *e->ie)
		return senctl_bad("nas: %s: %s: %s (octet %zu)", e->msg, e->ie, e->problem,
				  base + e->offset);
	return senctl_bad("nas: %s: %s (octet %zu)", e->msg, e->problem, base + e->offset);
}

/* "T3346 value (IEI 0x5f) at octet 4: optional IE runs past the end..." of e's first IE. */
static void ignored_ie(const struct sen_nas_error *e, size_t base, char *s, size_t n)
{
	if (!*e->problem) {
		snprintf(s, n, "?");
		return;
	}
	snprintf(s, n, "%s (IEI 0x%02x) at octet %zu: %s", e->ie, e->iei, base + e->offset,
		 e->problem);
}

static int read_hex(const char *hex, uint8_t **out, int *len)
{
	return senctl_read_hex(hex, NAS_MAX, "nas", "message", INT_MAX, out, len);
}

static bool is_protected(const uint8_t *p, int len)
{
	return len >= 2 && p[0] == SEN_NAS_EPD_5GMM && (p[1] & 0x0f) != 0;
}

static int decode_cmd(const char *hex, bool json)
{
	static struct sen_nas_msg msg;
	struct sen_nas_error e;
	struct sen_nas_sec_hdr h;
	uint8_t *buf;
	const uint8_t *plain;
	size_t plain_len;
	int len, rc;
	char mac[9];

	if ((rc = read_hex(hex, &buf, &len)) != 0)
		return rc;
	plain = buf;
	plain_len = (size_t)len;
	bool prot = is_protected(buf, len);
	if (prot) {
		if (sen_nas_sec_parse(buf, (size_t)len, &h) < 0) {
			unsigned sht = buf[1] & 0x0f;
			free(buf);
			return senctl_bad("nas: security protected message: bad security header "
					  "type %u or too short",
					  sht);
		}
		sen_hex_encode(h.mac, 4, mac);
		plain = h.payload;
		plain_len = h.payload_len;
	}
	bool ciphered = prot && (h.sht == SEN_NAS_SHT_INTEGRITY_CIPHERED ||
				 h.sht == SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX);
	size_t base = prot ? SEN_NAS_SEC_OVERHEAD : 0;
	if (!ciphered && (rc = sen_nas_decode(plain, plain_len, &msg, &e)) < 0) {
		free(buf);
		return bad_msg(&e, base);
	}

	struct senctl_out o;
	const struct sen_nas_visitor *v = &out_visitor;
	void *arg = &o;
	if (senctl_out_begin(&o, json)) {
		free(buf);
		return SENCTL_EXIT_FAIL;
	}
	if (prot) {
		char s[64];
		v->open(arg, "Security protected NAS message");
		snprintf(s, sizeof(s), "%u", h.sht);
		v->value(arg, "security header type", s);
		v->value(arg, "message authentication code", mac);
		snprintf(s, sizeof(s), "%u", h.sqn);
		v->value(arg, "sequence number", s);
		if (ciphered) {
			char *x = malloc(2 * h.payload_len + 1);
			if (x) {
				v->value(arg, "ciphered message",
					 sen_hex_encode(h.payload, h.payload_len, x));
				free(x);
			}
		}
	}
	if (!ciphered)
		sen_nas_walk(&msg, v, arg);
	if (!ciphered && e.ignored) { /* e is not filled for a ciphered message */
		char s[300], first[200];
		ignored_ie(&e, base, first, sizeof(first));
		snprintf(s, sizeof(s), "%u optional IE(s) ignored, first: %s", e.ignored, first);
		v->value(arg, "note", s);
	}
	if (prot)
		v->close(arg);
	free(buf);
	return json ? senctl_out_json(o.stack[0], o.oom) : SENCTL_EXIT_OK;
}

/* ---- roundtrip ---- */

static int roundtrip_cmd(const char *hex)
{
	static struct sen_nas_msg msg;
	static uint8_t out[NAS_MAX];
	struct sen_nas_error e;
	struct sen_nas_sec_hdr h;
	uint8_t *buf;
	int len, rc;
	size_t off = 0;

	if ((rc = read_hex(hex, &buf, &len)) != 0)
		return rc;
	if (is_protected(buf, len)) {
		if (sen_nas_sec_parse(buf, (size_t)len, &h) < 0) {
			free(buf);
			return senctl_bad("nas: security protected message: bad header");
		}
		if (h.sht == SEN_NAS_SHT_INTEGRITY_CIPHERED ||
		    h.sht == SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX) {
			free(buf);
			return senctl_bad("nas: ciphered message: cannot re-encode without keys");
		}
		off = SEN_NAS_SEC_OVERHEAD; /* the security header is kept as it was */
		memcpy(out, buf, off);
	}
	if (sen_nas_decode(buf + off, (size_t)len - off, &msg, &e) < 0) {
		free(buf);
		return bad_msg(&e, off);
	}
	int n = sen_nas_encode(&msg, out + off, sizeof(out) - off);
	if (n < 0) {
		free(buf);
		return senctl_bad("nas: %s: re-encoding failed: %s", e.msg, sen_strerror(n));
	}
	size_t total = off + (size_t)n;
	if (senctl_put_hex(out, total)) {
		free(buf);
		return SENCTL_EXIT_FAIL;
	}
	rc = SENCTL_EXIT_OK;
	if (total != (size_t)len || memcmp(out, buf, total) != 0) {
		size_t i = senctl_same_prefix(out, total, buf, (size_t)len);
		char why[260] = "";
		if (e.ignored) {
			char first[200];
			ignored_ie(&e, off, first, sizeof(first));
			snprintf(why, sizeof(why), " (%u optional IE(s) dropped, first: %s)",
				 e.ignored, first);
		}
		rc = senctl_bad("nas: %s: re-encoding differs from the input from octet %zu%s",
				e.msg, i, why);
	}
	free(buf);
	return rc;
}

int senctl_nas(int argc, char **argv)
{
	return senctl_codec_main(argc, argv, "nas", "HEX (the NAS message)", decode_cmd,
				 roundtrip_cmd);
}
