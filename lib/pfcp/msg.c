/*
 * The one PFCP message decoder, encoder and walker, driven by the tables of tables.c:
 * the header of TS 29.244 7.2.2, then IEs in the TLV format of 8.1.1, grouped IEs
 * recursing into their own tables. Error handling follows TS 29.244 7.6 as pfcp.h
 * describes; the depth of recursion is bounded by the tables, never by the input.
 */
#include "pfcp/pfcp_int.h"

#include "core/err.h"

#include <stdio.h>
#include <string.h>

#define AT(base, off)  ((void *)((uint8_t *)(base) + (off)))
#define CAT(base, off) ((const void *)((const uint8_t *)(base) + (off)))
#define DEPTH_MAX      8

/* ---- decoding ---- */

struct dctx {
	struct sen_pfcp_error *e;
	const uint8_t *base; /* the message's first octet, for offsets */
	const char *path[DEPTH_MAX];
	int depth;
};

static const uint8_t fault_cause[] = {
    [SEN_PFCP_FAULT_NONE] = 0,
    [SEN_PFCP_FAULT_TOO_SHORT] = 0,
    [SEN_PFCP_FAULT_VERSION] = 0,
    [SEN_PFCP_FAULT_MSG_TYPE] = 0,
    [SEN_PFCP_FAULT_HEADER] = 0,
    [SEN_PFCP_FAULT_LENGTH] = SEN_PFCP_CAUSE_INVALID_LENGTH,
    [SEN_PFCP_FAULT_MISSING] = SEN_PFCP_CAUSE_MANDATORY_IE_MISSING,
    [SEN_PFCP_FAULT_INCORRECT] = SEN_PFCP_CAUSE_MANDATORY_IE_INCORRECT,
    [SEN_PFCP_FAULT_CAPACITY] = SEN_PFCP_CAUSE_REQUEST_REJECTED,
};

static int fail(struct sen_pfcp_error *e, enum sen_pfcp_fault f, int code, const char *problem,
		size_t offset)
{
	e->fault = f;
	e->cause = fault_cause[f];
	e->problem = problem;
	e->offset = offset;
	return code;
}

/* A fault at an IE: record the path to it ("Create PDR / PDI / F-TEID"). */
static int fail_ie(struct dctx *c, enum sen_pfcp_fault f, int code, uint16_t type, const char *name,
		   const char *problem, size_t offset)
{
	struct sen_pfcp_error *e = c->e;
	size_t n = 0;

	e->ie[0] = 0;
	for (int i = 0; i < c->depth && n < sizeof(e->ie); i++)
		n += (size_t)snprintf(e->ie + n, sizeof(e->ie) - n, "%s / ", c->path[i]);
	if (n < sizeof(e->ie)) {
		if (name)
			snprintf(e->ie + n, sizeof(e->ie) - n, "%s", name);
		else
			snprintf(e->ie + n, sizeof(e->ie) - n, "IE type %u", type);
	}
	e->offending_ie = type;
	return fail(e, f, code, problem, offset);
}

static const struct pfcp_ie *find_ie(const struct pfcp_group *g, uint16_t type, unsigned *idx)
{
	for (unsigned i = 0; i < g->n; i++) {
		if (g->ies[i].type == type) {
			*idx = i;
			return &g->ies[i];
		}
	}
	return NULL;
}

static int dec_group(const struct pfcp_group *g, const uint8_t *p, size_t len, void *body,
		     struct dctx *c);

/* Decode one IE's value v[l] into field. Returns 0 or a fault already recorded. */
static int dec_ie(const struct pfcp_ie *d, const uint8_t *v, size_t l, void *field, struct dctx *c,
		  size_t at)
{
	if (d->codec == PC_GROUP) {
		if (c->depth >= DEPTH_MAX)
			return fail_ie(c, SEN_PFCP_FAULT_INCORRECT, -SEN_EPROTO, d->type, d->name,
				       "grouped IEs nested too deep", at);
		c->path[c->depth++] = d->name;
		int rc = dec_group(d->group, v, l, field, c);
		c->depth--;
		return rc;
	}

	struct sen_buf_reader r;
	sen_buf_reader_init(&r, v, l);
	int rc = pfcp_codecs[d->codec].dec(&r, field, d);
	if (rc == 0 && sen_buf_reader_error(&r))
		rc = -SEN_EMSGSIZE;
	if (rc == -SEN_EMSGSIZE)
		return fail_ie(c, SEN_PFCP_FAULT_LENGTH, -SEN_EPROTO, d->type, d->name,
			       "IE too short for its contents", at);
	if (rc < 0)
		return fail_ie(c, SEN_PFCP_FAULT_INCORRECT, -SEN_EPROTO, d->type, d->name,
			       "invalid value", at);
	return 0;
}

static int dec_group(const struct pfcp_group *g, const uint8_t *p, size_t len, void *body,
		     struct dctx *c)
{
	struct sen_buf_reader r;
	uint64_t seen = 0;
	size_t base = (size_t)(p - c->base);

	sen_buf_reader_init(&r, p, len);
	while (sen_buf_left(&r)) {
		size_t at = base + sen_buf_pos(&r);
		uint16_t type = sen_buf_get_u16(&r);
		uint16_t l = sen_buf_get_u16(&r);
		if (sen_buf_reader_error(&r))
			return fail_ie(c, SEN_PFCP_FAULT_LENGTH, -SEN_EPROTO, 0, "IE header",
				       "truncated IE header", at);
		const uint8_t *v = sen_buf_get_ptr(&r, l);
		unsigned i = 0;
		const struct pfcp_ie *d = find_ie(g, type, &i);
		if (!v)
			return fail_ie(c, SEN_PFCP_FAULT_LENGTH, -SEN_EPROTO, type,
				       d ? d->name : pfcp_ie_name(type),
				       "IE length runs past the end of its message or grouped IE",
				       at);
		if (!d) {
			/* Unknown, unexpected here, or vendor specific: skipped (7.6.1). */
			c->e->ignored++;
			continue;
		}
		void *field;
		uint8_t *count = NULL;
		if (d->max == 1) {
			if (seen >> i & 1) {
				c->e->ignored++; /* repeated: the first one counts */
				continue;
			}
			field = AT(body, d->off);
		} else {
			count = AT(body, d->has);
			if (*count >= d->max)
				return fail_ie(c, SEN_PFCP_FAULT_CAPACITY, -SEN_ERANGE, type,
					       d->name, "more repetitions than Sen supports", at);
			field = AT(body, d->off + (size_t)*count * d->esize);
		}
		int rc = dec_ie(d, v, l, field, c, at);
		if (rc < 0)
			return rc;
		if (count) {
			(*count)++;
		} else {
			seen |= (uint64_t)1 << i;
			if (d->has != PFCP_NO_FLAG)
				*(bool *)AT(body, d->has) = true;
		}
	}
	for (unsigned i = 0; i < g->n; i++) {
		const struct pfcp_ie *d = &g->ies[i];
		if (!d->mandatory)
			continue;
		bool present = d->max == 1 ? (seen >> i & 1) : *(uint8_t *)AT(body, d->has) > 0;
		if (!present)
			return fail_ie(c, SEN_PFCP_FAULT_MISSING, -SEN_EPROTO, d->type, d->name,
				       "mandatory IE missing", base + len);
	}
	return 0;
}

bool sen_pfcp_msg_has_seid(uint8_t type)
{
	return type >= 50 && type <= 99; /* session related messages (7.3) */
}

int sen_pfcp_decode(const uint8_t *buf, size_t len, struct sen_pfcp_msg *msg,
		    struct sen_pfcp_error *err)
{
	struct sen_pfcp_error dummy;
	struct sen_pfcp_error *e = err ? err : &dummy;
	struct sen_buf_reader r;

	memset(e, 0, sizeof(*e));
	e->msg = "PFCP message";
	e->problem = "";
	memset(msg, 0, sizeof(*msg));
	if (!buf || len < 4)
		return fail(e, SEN_PFCP_FAULT_TOO_SHORT, -SEN_EMSGSIZE,
			    "shorter than the message header", 0);
	sen_buf_reader_init(&r, buf, len);
	uint8_t flags = sen_buf_get_u8(&r);
	if (flags >> 5 != SEN_PFCP_VERSION)
		return fail(e, SEN_PFCP_FAULT_VERSION, -SEN_ENOTSUP, "PFCP version not supported",
			    0);
	msg->type = sen_buf_get_u8(&r);
	size_t total = 4 + (size_t)sen_buf_get_u16(&r);
	bool s = flags & 1;
	size_t hdr = s ? 16 : 8;
	msg->fo = flags & 4;
	msg->mp = flags & 2;
	if (len < hdr || total < hdr)
		return fail(e, SEN_PFCP_FAULT_TOO_SHORT, -SEN_EMSGSIZE,
			    "shorter than the message header", len < hdr ? len : 2);
	if (s)
		msg->seid = sen_buf_get_u64(&r);
	msg->seq = sen_buf_get_u24(&r);
	uint8_t prio = sen_buf_get_u8(&r);
	if (msg->mp)
		msg->priority = prio >> 4;
	const struct pfcp_msg_desc *md = pfcp_msg_find(msg->type);
	if (md)
		e->msg = md->name;
	if (total > len)
		return fail(e, SEN_PFCP_FAULT_LENGTH, -SEN_EMSGSIZE,
			    "message length runs past the end of the datagram", 2);
	if (!md)
		return fail(e, SEN_PFCP_FAULT_MSG_TYPE, -SEN_ENOTSUP,
			    "unknown or unsupported message type", 1);
	if (s != sen_pfcp_msg_has_seid(msg->type))
		return fail(e, SEN_PFCP_FAULT_HEADER, -SEN_EPROTO,
			    s ? "SEID present in a node related message"
			      : "SEID missing in a session related message",
			    0);
	struct dctx c = {.e = e, .base = buf};
	int rc = dec_group(md->body, buf + hdr, total - hdr, &msg->heartbeat, &c);
	return rc < 0 ? rc : (int)total;
}

/* ---- encoding ---- */

static void enc_group(const struct pfcp_group *g, struct sen_buf *b, const void *body);

static void enc_ie(struct sen_buf *b, const struct pfcp_ie *d, const void *field)
{
	sen_buf_put_u16(b, d->type);
	size_t at = sen_buf_len(b);
	sen_buf_put_u16(b, 0);
	if (d->codec == PC_GROUP)
		enc_group(d->group, b, field);
	else
		pfcp_codecs[d->codec].enc(b, field, d);
	if (sen_buf_error(b))
		return;
	size_t l = sen_buf_len(b) - at - 2;
	if (l > 0xffff)
		sen_buf_fail(b, -SEN_EINVAL);
	else
		sen_buf_set_u16(b, at, (uint16_t)l);
}

static void enc_group(const struct pfcp_group *g, struct sen_buf *b, const void *body)
{
	for (unsigned i = 0; i < g->n && !sen_buf_error(b); i++) {
		const struct pfcp_ie *d = &g->ies[i];
		if (d->max == 1) {
			if (!d->mandatory && !*(const bool *)CAT(body, d->has))
				continue;
			enc_ie(b, d, CAT(body, d->off));
			continue;
		}
		uint8_t n = *(const uint8_t *)CAT(body, d->has);
		if (n > d->max || (d->mandatory && n == 0)) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		for (unsigned k = 0; k < n; k++)
			enc_ie(b, d, CAT(body, d->off + (size_t)k * d->esize));
	}
}

int sen_pfcp_encode(const struct sen_pfcp_msg *msg, uint8_t *out, size_t cap)
{
	const struct pfcp_msg_desc *md = pfcp_msg_find(msg->type);
	bool s = sen_pfcp_msg_has_seid(msg->type);
	struct sen_buf b;

	if (!md)
		return -SEN_ENOTSUP;
	if (msg->seq > 0xffffff || msg->priority > 15)
		return -SEN_EINVAL;
	sen_buf_init_fixed(&b, out, cap);
	sen_buf_put_u8(&b, (uint8_t)(SEN_PFCP_VERSION << 5 | (msg->fo ? 4 : 0) | (msg->mp ? 2 : 0) |
				     (s ? 1 : 0)));
	sen_buf_put_u8(&b, msg->type);
	sen_buf_put_u16(&b, 0);
	if (s)
		sen_buf_put_u64(&b, msg->seid);
	sen_buf_put_u24(&b, msg->seq);
	sen_buf_put_u8(&b, msg->mp ? (uint8_t)(msg->priority << 4) : 0);
	enc_group(md->body, &b, &msg->heartbeat);
	if (sen_buf_error(&b))
		return sen_buf_error(&b);
	size_t len = sen_buf_len(&b);
	if (len - 4 > 0xffff)
		return -SEN_EMSGSIZE;
	sen_buf_set_u16(&b, 2, (uint16_t)(len - 4));
	return (int)len;
}

void sen_pfcp_msg_init(struct sen_pfcp_msg *msg, uint8_t type, uint32_t seq)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
	msg->seq = seq;
}

const char *sen_pfcp_msg_name(uint8_t type)
{
	const struct pfcp_msg_desc *md = pfcp_msg_find(type);

	return md ? md->name : NULL;
}

const char *sen_pfcp_ie_name(uint16_t type)
{
	return pfcp_ie_name(type);
}

const char *sen_pfcp_cause_name(uint8_t cause)
{
	static const char *const n[] = {
	    [1] = "Request accepted",
	    [2] = "More Usage Report to send",
	    [3] = "Request partially accepted",
	    [64] = "Request rejected",
	    [65] = "Session context not found",
	    [66] = "Mandatory IE missing",
	    [67] = "Conditional IE missing",
	    [68] = "Invalid length",
	    [69] = "Mandatory IE incorrect",
	    [70] = "Invalid Forwarding Policy",
	    [71] = "Invalid F-TEID allocation option",
	    [72] = "No established PFCP Association",
	    [73] = "Rule creation/modification Failure",
	    [74] = "PFCP entity in congestion",
	    [75] = "No resources available",
	    [76] = "Service not supported",
	    [77] = "System failure",
	    [78] = "Redirection Requested",
	    [79] = "All dynamic addresses are occupied",
	};

	if (cause < sizeof(n) / sizeof(n[0]) && n[cause])
		return n[cause];
	return "unknown";
}

/* ---- walking ---- */

static void walk_group(const struct pfcp_group *g, const void *body,
		       const struct sen_pfcp_visitor *v, void *arg);

static void walk_ie(const struct pfcp_ie *d, const void *field, int index,
		    const struct sen_pfcp_visitor *v, void *arg)
{
	char name[64], text[512];

	if (index >= 0)
		snprintf(name, sizeof(name), "%s #%d", d->name, index + 1);
	else
		snprintf(name, sizeof(name), "%s", d->name);
	if (d->codec == PC_GROUP) {
		v->open(arg, name);
		walk_group(d->group, field, v, arg);
		v->close(arg);
		return;
	}
	text[0] = 0;
	pfcp_codecs[d->codec].text(field, d, text, sizeof(text));
	v->value(arg, name, text);
}

static void walk_group(const struct pfcp_group *g, const void *body,
		       const struct sen_pfcp_visitor *v, void *arg)
{
	for (unsigned i = 0; i < g->n; i++) {
		const struct pfcp_ie *d = &g->ies[i];
		if (d->max == 1) {
			if (!d->mandatory && !*(const bool *)CAT(body, d->has))
				continue;
			walk_ie(d, CAT(body, d->off), -1, v, arg);
			continue;
		}
		uint8_t n = *(const uint8_t *)CAT(body, d->has);
		for (unsigned k = 0; k < n && k < d->max; k++)
			walk_ie(d, CAT(body, d->off + (size_t)k * d->esize), (int)k, v, arg);
	}
}

int sen_pfcp_walk(const struct sen_pfcp_msg *msg, const struct sen_pfcp_visitor *v, void *arg)
{
	const struct pfcp_msg_desc *md = pfcp_msg_find(msg->type);
	char t[64];

	if (!md)
		return -SEN_ENOTSUP;
	v->open(arg, md->name);
	snprintf(t, sizeof(t), "%u", msg->type);
	v->value(arg, "message type", t);
	if (sen_pfcp_msg_has_seid(msg->type)) {
		snprintf(t, sizeof(t), "0x%016llx", (unsigned long long)msg->seid);
		v->value(arg, "SEID", t);
	}
	snprintf(t, sizeof(t), "%u", msg->seq);
	v->value(arg, "sequence number", t);
	if (msg->mp) {
		snprintf(t, sizeof(t), "%u", msg->priority);
		v->value(arg, "message priority", t);
	}
	if (msg->fo)
		v->value(arg, "follow on", "yes");
	walk_group(md->body, &msg->heartbeat, v, arg);
	v->close(arg);
	return 0;
}
