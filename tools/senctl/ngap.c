/*
 * senctl ngap: decode NGAP PDUs (TS 38.413) given in hex, for operators reading traces and
 * for checking lib/ngap against other implementations.
 *
 *   ngap decode HEX [--json]  the PDU as an indented tree (or JSON); transfers inside are
 *                             decoded in place and NAS-PDUs through lib/nas (TS 24.501);
 *                             IEs not understood and the clause 10 judgement are
 *                             noted, and octets after the PDU
 *   ngap roundtrip HEX        decode, re-encode, print the re-encoded hex; exit 0 only if
 *                             it equals the input octet for octet (else 2); octets after
 *                             the PDU fail it
 *
 * Malformed input: one line on stderr naming the procedure, the IE and the problem; exit 2.
 * A mandatory IE missing (TS 38.413 10.3.5) or IEs repeated / out of order (10.3.6) make
 * a PDU malformed here, though the decoder returns it (the AMF answers such a PDU as
 * clause 10 says).
 */
#include "senctl.h"
#include "walk.h"

#include "core/err.h"
#include "core/hex.h"
#include "nas/nas.h"
#include "nas/sec.h"
#include "ngap/ngap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NGAP_MAX 65600

/* ---- output: walk.h's tree / JSON printer, NAS-PDUs decoded in place ---- */

/* lib/nas's visitor has no lists */
static const struct sen_nas_visitor nas_visitor = {senctl_out_open_object, senctl_out_close,
						   senctl_out_value};

/* NAS-PDUs (9.3.3.4) are printed through lib/nas */
static bool o_octets(void *arg, const char *name, const uint8_t *p, size_t len)
{
	static struct sen_nas_msg msg;
	struct sen_nas_error e;
	char s[64];

	if (!name || !strstr(name, "NAS-PDU") || len < 2)
		return false;
	senctl_out_open(arg, name, false);
	const uint8_t *plain = p;
	size_t plain_len = len;
	if (p[0] == SEN_NAS_EPD_5GMM && (p[1] & 0x0f) != 0) {
		struct sen_nas_sec_hdr h;
		if (sen_nas_sec_parse(p, len, &h) < 0) {
			senctl_out_value(arg, "NAS", "(bad security header)");
			senctl_out_close(arg);
			return true;
		}
		snprintf(s, sizeof(s), "%u", h.sht);
		senctl_out_value(arg, "security header type", s);
		snprintf(s, sizeof(s), "%u", h.sqn);
		senctl_out_value(arg, "sequence number", s);
		if (h.sht == SEN_NAS_SHT_INTEGRITY_CIPHERED ||
		    h.sht == SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX) {
			senctl_out_value(arg, "ciphered message", "(not shown)");
			senctl_out_close(arg);
			return true;
		}
		plain = h.payload;
		plain_len = h.payload_len;
	}
	if (sen_nas_decode(plain, plain_len, &msg, &e) < 0) {
		char *x = malloc(2 * len + 1);
		if (x) {
			senctl_out_value(arg, "undecodable NAS", sen_hex_encode(p, len, x));
			free(x);
		}
		snprintf(s, sizeof(s), "%.60s", e.problem);
		senctl_out_value(arg, "problem", s);
	} else {
		sen_nas_walk(&msg, &nas_visitor, arg);
	}
	senctl_out_close(arg);
	return true;
}

static const struct sen_ngap_visitor ngap_visitor = {senctl_out_open, senctl_out_close,
						     senctl_out_value, o_octets};

/* ---- input ---- */

static int read_hex(const char *hex, uint8_t **out, int *len)
{
	return senctl_read_hex(hex, NGAP_MAX, "ngap", "PDU", 40, out, len);
}

/* The procedure named in a PDU that failed to decode: only when the decoder got past
 * procedureCode (the error path then goes NGAP-PDU, <kind>, criticality|value, ...). */
static const char *failed_proc(const struct sen_ngap_pdu *pdu, const struct sen_asn_ctx *ctx)
{
	if (ctx->npath < 3 || pdu->present > SEN_NGAP_UNSUCCESSFUL)
		return "NGAP-PDU";
	const char *level = ctx->path[ctx->npath - 3].name;
	if (strcmp(level, "criticality") != 0 && strcmp(level, "value") != 0)
		return "NGAP-PDU";
	return sen_ngap_procedure_name(pdu->msg.procedure_code);
}

/* One line: the procedure, the IE and the problem. */
static int bad_pdu(const struct sen_ngap_pdu *pdu, const struct sen_asn_ctx *ctx, int rc)
{
	char where[512], problem[96];
	const char *ie = NULL;
	int ie_id = -1;
	sen_asn_ctx_where(ctx, where, sizeof(where));
	for (unsigned i = ctx->npath; i-- > 0;)
		if (ctx->path[i].ie >= 0) { /* the outermost IE */
			ie = ctx->path[i].name;
			ie_id = ctx->path[i].ie;
			break;
		}
	if (rc == -SEN_EMSGSIZE && ctx->overrun_len)
		snprintf(problem, sizeof(problem), "truncated: length %zu > %zu left",
			 ctx->overrun_len, ctx->overrun_left);
	else
		snprintf(problem, sizeof(problem), "%s",
			 rc == -SEN_EMSGSIZE ? "truncated"
			 : rc == -SEN_ENOMEM ? "too large to decode"
					     : "malformed or outside its constraints");
	const char *proc = failed_proc(pdu, ctx);
	if (ie)
		return senctl_bad("ngap: %s: IE %s (id %d): %s (at %s)", proc, ie, ie_id, problem,
				  where);
	return senctl_bad("ngap: %s: %s (at %s)", proc, problem, where);
}

static const char *ie_name(const struct sen_asn_type *container, uint32_t id)
{
	for (uint32_t i = 0; container && i < container->nmembers; i++)
		if (container->members[i].id == id)
			return container->members[i].name;
	return "?";
}

/*
 * A PDU that decoded but is not well formed: a mandatory IE missing (TS 38.413 10.3.5), an
 * IE repeated or out of order (10.3.6, "falsely constructed message"). One line naming
 * the first such IE, exit 2; 0 when there is none.
 */
static int bad_structure(const struct sen_ngap_pdu *pdu, const struct sen_asn_ctx *ctx)
{
	static const char *const crits[] = {"reject", "ignore", "notify"};
	const struct sen_asn_diag *first = NULL;
	unsigned more = 0;
	for (unsigned i = 0; i < ctx->ndiag; i++) {
		if (ctx->diag[i].kind == SEN_ASN_NOT_UNDERSTOOD)
			continue;
		if (first)
			more++;
		else
			first = &ctx->diag[i];
	}
	if (!first)
		return 0;
	char also[32] = "";
	if (more)
		snprintf(also, sizeof(also), " (and %u more)", more);
	const char *proc = sen_ngap_procedure_name(pdu->msg.procedure_code);
	const char *name = ie_name(first->container, first->id);
	switch (first->kind) {
	case SEN_ASN_MISSING:
		return senctl_bad("ngap: %s: IE %s (id %u): mandatory IE missing (criticality "
				  "%s)%s",
				  proc, name, first->id, crits[first->criticality % 3], also);
	case SEN_ASN_DUPLICATE:
		return senctl_bad("ngap: %s: IE %s (id %u): repeated (falsely constructed message, "
				  "TS 38.413 10.3.6)%s",
				  proc, name, first->id, also);
	default:
		return senctl_bad("ngap: %s: IE %s (id %u): out of order (falsely constructed "
				  "message, TS 38.413 10.3.6)%s",
				  proc, name, first->id, also);
	}
}

static void note_findings(const struct sen_ngap_pdu *pdu, const struct sen_asn_ctx *ctx,
			  struct senctl_out *o)
{
	static const char *const crits[] = {"reject", "ignore", "notify"};
	static const char *const replies[] = {
	    "", ", answered by the unsuccessful outcome", ", answered by an Error Indication",
	    ", local error handling", ", reported in the response's Criticality Diagnostics"};
	static const char *const actions[] = {"proceed", "proceed and notify", "reject"};
	struct sen_ngap_judgement j;
	char s[160];
	enum sen_ngap_action a = sen_ngap_judge(pdu, ctx, &j);
	for (unsigned i = 0; i < ctx->ndiag; i++) {
		snprintf(s, sizeof(s), "IE %u not understood (criticality %s)", ctx->diag[i].id,
			 crits[ctx->diag[i].criticality % 3]);
		senctl_out_value(o, "note", s);
	}
	if (a != SEN_NGAP_PROCEED || ctx->ndiag) {
		snprintf(s, sizeof(s), "TS 38.413 clause 10: %s%s", actions[a % 3],
			 replies[j.reply % 5]);
		senctl_out_value(o, "note", s);
	}
}

static int decode_cmd(const char *hex, bool json)
{
	static uint8_t arena_buf[65536];
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu;
	uint8_t *buf;
	int len, rc;

	if ((rc = read_hex(hex, &buf, &len)) != 0)
		return rc;
	sen_asn_arena_init(&arena, arena_buf, sizeof(arena_buf), 0);
	sen_asn_ctx_init(&ctx, &arena, 0);
	rc = sen_ngap_decode(&pdu, buf, (size_t)len, &ctx);
	int used = rc;
	if (rc < 0 || (rc = bad_structure(&pdu, &ctx)) != 0) {
		if (rc < 0)
			rc = bad_pdu(&pdu, &ctx, rc);
		sen_asn_arena_fini(&arena);
		free(buf);
		return rc;
	}
	struct senctl_out o;
	if (senctl_out_begin(&o, json)) {
		sen_asn_arena_fini(&arena);
		free(buf);
		return SENCTL_EXIT_FAIL;
	}
	/* the decode context: the walk leaves out mandatory IEs it found missing */
	rc = sen_ngap_walk(&pdu, &ngap_visitor, &o, &ctx);
	note_findings(&pdu, &ctx, &o);
	if (used < len) {
		char s[96];
		snprintf(s, sizeof(s), "%d octet%s after the end of the PDU (ignored)", len - used,
			 len - used == 1 ? "" : "s");
		senctl_out_value(&o, "note", s);
	}
	sen_asn_arena_fini(&arena);
	free(buf);
	if (json && senctl_out_json(o.stack[0], o.oom) != SENCTL_EXIT_OK)
		return SENCTL_EXIT_FAIL;
	return rc ? SENCTL_EXIT_FAIL : SENCTL_EXIT_OK;
}

static int roundtrip_cmd(const char *hex)
{
	static uint8_t arena_buf[65536], out[NGAP_MAX];
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu;
	uint8_t *buf;
	int len, rc;

	if ((rc = read_hex(hex, &buf, &len)) != 0)
		return rc;
	sen_asn_arena_init(&arena, arena_buf, sizeof(arena_buf), 0);
	sen_asn_ctx_init(&ctx, &arena, 0);
	rc = sen_ngap_decode(&pdu, buf, (size_t)len, &ctx);
	if (rc < 0) {
		rc = bad_pdu(&pdu, &ctx, rc);
		goto done;
	}
	if (rc < len) {
		rc = senctl_bad("ngap: %s: %d octet%s after the end of the PDU (of %d octets)",
				sen_ngap_msg_name(&pdu), len - rc, len - rc == 1 ? "" : "s", rc);
		goto done;
	}
	if ((rc = bad_structure(&pdu, &ctx)) != 0)
		goto done;
	int n = sen_ngap_encode(&pdu, out, sizeof(out));
	if (n < 0) {
		rc = senctl_bad("ngap: %s: re-encoding failed: %s", sen_ngap_msg_name(&pdu),
				sen_strerror(n));
		goto done;
	}
	if ((rc = senctl_put_hex(out, (size_t)n)) != 0)
		goto done;
	if (n != len || memcmp(out, buf, (size_t)n) != 0) {
		size_t i = senctl_same_prefix(out, (size_t)n, buf, (size_t)len);
		rc = senctl_bad("ngap: %s: re-encoding differs from the input from octet %zu%s",
				sen_ngap_msg_name(&pdu), i,
				ctx.ndiag ? " (IEs not understood are re-sent after the known ones)"
					  : "");
	}
done:
	sen_asn_arena_fini(&arena);
	free(buf);
	return rc;
}

int senctl_ngap(int argc, char **argv)
{
	return senctl_codec_main(argc, argv, "ngap", "HEX (the NGAP PDU)", decode_cmd,
				 roundtrip_cmd);
}
