/*
 * GTP-U message codec (TS 29.281): header (5.1), extension header chain (5.2), the PDU
 * Session Container (TS 38.415 5.5.2), and the IEs of clause 8 for Echo, Error
 * Indication and Supported Extension Headers Notification (7.2, 7.3). The fast path
 * lives inline in gtpu.h; its rare shapes come here through sen_gtpu_parse_gpdu_slow().
 */
#include "gtpu/gtpu.h"

#include "core/buf.h"
#include "core/err.h"

#include <string.h>

static int fail(struct sen_gtpu_error *e, int code, const char *what, const char *problem,
		size_t offset)
{
	e->what = what;
	e->problem = problem;
	e->offset = offset;
	return code;
}

/* Extension header types TS 29.281 5.2.1 defines (any of them may be carried raw). */
static bool ext_known(uint8_t t)
{
	switch (t) {
	case 0x20: /* Service Class Indicator */
	case SEN_GTPU_EXT_UDP_PORT:
	case SEN_GTPU_EXT_RAN_CONTAINER:
	case SEN_GTPU_EXT_LONG_PDCP_PDU_NUMBER:
	case 0x83: /* Xw RAN Container */
	case SEN_GTPU_EXT_NR_RAN_CONTAINER:
	case SEN_GTPU_EXT_PDU_SESSION_CONTAINER:
	case SEN_GTPU_EXT_PDCP_PDU_NUMBER:
		return true;
	default:
		return false;
	}
}

/* PDU Session Container content (TS 38.415 5.5.2.1, 5.5.2.2); padding follows. */
static int dec_psc(struct sen_buf_reader *r, struct sen_gtpu_psc *c)
{
	uint8_t o1 = sen_buf_get_u8(r), o2 = sen_buf_get_u8(r);

	c->type = o1 >> 4;
	c->qmp = o1 & 0x08;
	c->qfi = o2 & 0x3f;
	if (c->type == SEN_GTPU_PSC_DL) {
		c->snp = o1 & 0x04;
		c->msnp = o1 & 0x02;
		c->ppp = o2 & 0x80;
		c->rqi = o2 & 0x40;
		if (c->ppp)
			c->ppi = sen_buf_get_u8(r) >> 5;
		if (c->qmp)
			c->dl_sending_ts = sen_buf_get_u64(r);
		if (c->snp)
			c->dl_qfi_seq = sen_buf_get_u24(r);
		if (c->msnp)
			c->dl_mbs_qfi_seq = sen_buf_get_u32(r);
	} else if (c->type == SEN_GTPU_PSC_UL) {
		c->dl_delay_ind = o1 & 0x04;
		c->ul_delay_ind = o1 & 0x02;
		c->snp = o1 & 0x01;
		c->n3n9_delay_ind = o2 & 0x80;
		/* o2 bit 7, New IE Flag: later octets carry newer IEs; read as padding. */
		if (c->qmp) {
			c->dl_sending_ts = sen_buf_get_u64(r);
			c->dl_received_ts = sen_buf_get_u64(r);
			c->ul_sending_ts = sen_buf_get_u64(r);
		}
		if (c->dl_delay_ind)
			c->dl_delay = sen_buf_get_u32(r);
		if (c->ul_delay_ind)
			c->ul_delay = sen_buf_get_u32(r);
		if (c->snp)
			c->ul_qfi_seq = sen_buf_get_u24(r);
		if (c->n3n9_delay_ind)
			c->n3n9_delay = sen_buf_get_u32(r);
	} else {
		return -SEN_EPROTO;
	}
	return sen_buf_reader_error(r) ? -SEN_EMSGSIZE : 0;
}

static void enc_psc(struct sen_buf *b, const struct sen_gtpu_psc *c)
{
	if (c->qfi > 63 || c->type > SEN_GTPU_PSC_UL || c->ppi > 7) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	if (c->type == SEN_GTPU_PSC_DL) {
		sen_buf_put_u8(b, (uint8_t)(c->qmp << 3 | c->snp << 2 | c->msnp << 1));
		sen_buf_put_u8(b, (uint8_t)(c->ppp << 7 | c->rqi << 6 | c->qfi));
		if (c->ppp)
			sen_buf_put_u8(b, (uint8_t)(c->ppi << 5));
		if (c->qmp)
			sen_buf_put_u64(b, c->dl_sending_ts);
		if (c->snp)
			sen_buf_put_u24(b, c->dl_qfi_seq);
		if (c->msnp)
			sen_buf_put_u32(b, c->dl_mbs_qfi_seq);
		return;
	}
	sen_buf_put_u8(b, (uint8_t)(0x10 | c->qmp << 3 | c->dl_delay_ind << 2 |
				    c->ul_delay_ind << 1 | c->snp));
	sen_buf_put_u8(b, (uint8_t)(c->n3n9_delay_ind << 7 | c->qfi));
	if (c->qmp) {
		sen_buf_put_u64(b, c->dl_sending_ts);
		sen_buf_put_u64(b, c->dl_received_ts);
		sen_buf_put_u64(b, c->ul_sending_ts);
	}
	if (c->dl_delay_ind)
		sen_buf_put_u32(b, c->dl_delay);
	if (c->ul_delay_ind)
		sen_buf_put_u32(b, c->ul_delay);
	if (c->snp)
		sen_buf_put_u24(b, c->ul_qfi_seq);
	if (c->n3n9_delay_ind)
		sen_buf_put_u32(b, c->n3n9_delay);
}

/* The IEs of a signalling message (TS 29.281 8): TV below 128, TLV from 128. */
static int dec_ies(struct sen_buf_reader *r, struct sen_gtpu_msg *m, struct sen_gtpu_error *e)
{
	while (sen_buf_left(r)) {
		size_t at = 8 + sen_buf_pos(r);
		uint8_t t = sen_buf_get_u8(r);
		size_t l;
		if (t == SEN_GTPU_IE_RECOVERY) {
			m->recovery = sen_buf_get_u8(r);
			m->has_recovery = true;
		} else if (t == SEN_GTPU_IE_TEID_DATA_I) {
			m->teid_data_i = sen_buf_get_u32(r);
		} else if (t < 128) {
			return fail(e, -SEN_EPROTO, "IE", "unknown TV IE: cannot be delimited", at);
		} else {
			l = t == SEN_GTPU_IE_EXT_HEADER_TYPE_LIST ? sen_buf_get_u8(r)
								  : sen_buf_get_u16(r);
			const uint8_t *v = sen_buf_get_ptr(r, l);
			if (!v)
				return fail(e, -SEN_EMSGSIZE, "IE", "IE runs past the message", at);
			if (t == SEN_GTPU_IE_PEER_ADDRESS) {
				if (l != 4 && l != 16)
					return fail(e, -SEN_EPROTO, "GTP-U Peer Address",
						    "length not 4 or 16", at);
				memcpy(m->peer_addr, v, l);
				m->peer_addr_len = (uint8_t)l;
			} else if (t == SEN_GTPU_IE_EXT_HEADER_TYPE_LIST) {
				if (l > sizeof(m->ext_types))
					return fail(e, -SEN_EPROTO, "Extension Header Type List",
						    "too many types", at);
				memcpy(m->ext_types, v, l);
				m->n_ext_types = (uint8_t)l;
			}
			/* Private Extension and unknown TLV IEs: skipped. */
		}
		if (sen_buf_reader_error(r))
			return fail(e, -SEN_EMSGSIZE, "IE", "IE runs past the message", at);
	}
	return 0;
}

int sen_gtpu_decode(const uint8_t *p, size_t len, struct sen_gtpu_msg *m,
		    struct sen_gtpu_error *err)
{
	struct sen_gtpu_error dummy;
	struct sen_gtpu_error *e = err ? err : &dummy;
	struct sen_buf_reader r;

	memset(m, 0, sizeof(*m));
	e->what = "header";
	e->problem = "";
	e->offset = 0;
	if (!p || len < 8)
		return fail(e, -SEN_EMSGSIZE, "header", "shorter than the GTP-U header", 0);
	uint8_t f = p[0];
	if (f >> 5 != 1 || !(f & 0x10))
		return fail(e, -SEN_EPROTO, "header", "not GTPv1-U (version 1, PT 1)", 0);
	m->type = p[1];
	size_t total = 8 + ((size_t)p[2] << 8 | p[3]);
	m->teid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	if (total > len)
		return fail(e, -SEN_EMSGSIZE, "header", "length field runs past the datagram", 2);
	if (!sen_gtpu_msg_name(m->type))
		return fail(e, -SEN_ENOTSUP, "message type", "unknown message type", 1);
	sen_buf_reader_init(&r, p + 8, total - 8);

	uint8_t next = 0;
	if (f & 0x07) {
		m->seq = sen_buf_get_u16(&r);
		m->npdu = sen_buf_get_u8(&r);
		next = sen_buf_get_u8(&r);
		m->has_seq = f & 0x02;
		m->has_npdu = f & 0x01;
		if (!(f & 0x04))
			next = 0; /* E clear: the field is not evaluated (5.1) */
		if (!m->has_seq)
			m->seq = 0;
		if (!m->has_npdu)
			m->npdu = 0;
		if (sen_buf_reader_error(&r))
			return fail(e, -SEN_EMSGSIZE, "header", "optional fields truncated", 8);
	}
	while (next != SEN_GTPU_EXT_NONE) {
		size_t at = 8 + sen_buf_pos(&r);
		uint8_t type = next;
		uint8_t units = sen_buf_get_u8(&r);
		if (units == 0 && !sen_buf_reader_error(&r))
			return fail(e, -SEN_EPROTO, "extension header", "length 0", at);
		size_t clen = 4 * (size_t)units - 2;
		const uint8_t *c = sen_buf_get_ptr(&r, clen);
		next = sen_buf_get_u8(&r);
		if (!c || sen_buf_reader_error(&r))
			return fail(e, -SEN_EMSGSIZE, "extension header",
				    "runs past the end of the message", at);
		if (type == SEN_GTPU_EXT_PDU_SESSION_CONTAINER && !m->has_psc) {
			struct sen_buf_reader cr;
			sen_buf_reader_init(&cr, c, clen);
			int rc = dec_psc(&cr, &m->psc);
			if (rc < 0)
				return fail(e, rc, "PDU Session Container",
					    rc == -SEN_EMSGSIZE ? "shorter than its flags require"
								: "unknown PDU type",
					    at);
			m->has_psc = true;
			continue;
		}
		/* TS 29.281 5.2.1: bits 8..7 = 1x: the endpoint must comprehend it. */
		if (!ext_known(type) && (type & 0x80))
			return fail(e, -SEN_EPROTO, "extension header",
				    "unknown type whose comprehension is required", at);
		if (m->n_ext < SEN_GTPU_EXT_MAX) {
			m->ext[m->n_ext].type = type;
			m->ext[m->n_ext].content.p = c;
			m->ext[m->n_ext].content.len = clen;
			m->n_ext++;
		}
	}

	if (m->type == SEN_GTPU_GPDU) {
		m->tpdu.len = sen_buf_left(&r);
		m->tpdu.p = sen_buf_get_ptr(&r, m->tpdu.len);
		return (int)total;
	}
	int rc = dec_ies(&r, m, e);
	if (rc < 0)
		return rc;
	switch (m->type) {
	case SEN_GTPU_ECHO_RESPONSE: /* 7.2.2 */
		if (!m->has_recovery)
			return fail(e, -SEN_EPROTO, "Recovery", "mandatory IE missing", total);
		break;
	case SEN_GTPU_ERROR_INDICATION: /* 7.3.1 */
		if (!m->peer_addr_len)
			return fail(e, -SEN_EPROTO, "GTP-U Peer Address", "mandatory IE missing",
				    total);
		break;
	case SEN_GTPU_SUPPORTED_EXT_HEADERS: /* 7.2.3 */
		if (!m->n_ext_types)
			return fail(e, -SEN_EPROTO, "Extension Header Type List",
				    "mandatory IE missing", total);
		break;
	}
	return (int)total;
}

int sen_gtpu_parse_gpdu_slow(const uint8_t *p, size_t len, struct sen_gtpu_gpdu *g)
{
	struct sen_gtpu_msg m;
	int n = sen_gtpu_decode(p, len, &m, NULL);

	if (n < 0)
		return n == -SEN_ENOTSUP ? -SEN_EPROTO : n;
	if (m.type != SEN_GTPU_GPDU)
		return -SEN_ENOENT;
	g->teid = m.teid;
	g->has_psc = m.has_psc;
	g->qfi = m.has_psc ? m.psc.qfi : 0;
	g->payload_off = (uint16_t)(m.tpdu.p - p);
	g->payload_len = (uint16_t)m.tpdu.len;
	return 0;
}

/* ---- encoding ---- */

/* One extension header: length octet, content padded to 4n - 2, then `next`. */
static void enc_ext(struct sen_buf *b, const struct sen_gtpu_msg *m, int i, uint8_t next)
{
	size_t at = sen_buf_len(b);

	sen_buf_put_u8(b, 0);
	if (i < 0) {
		enc_psc(b, &m->psc);
	} else {
		const struct sen_gtpu_ext *x = &m->ext[i];
		if (x->content.len % 4 != 2 || x->content.len > 4 * 255 - 2 ||
		    x->type == SEN_GTPU_EXT_NONE || (x->content.len && !x->content.p))
			sen_buf_fail(b, -SEN_EINVAL);
		else
			sen_buf_put_bytes(b, x->content.p, x->content.len);
	}
	if (sen_buf_error(b))
		return;
	size_t clen = sen_buf_len(b) - at - 1;
	while (clen % 4 != 2) {
		sen_buf_put_u8(b, 0);
		clen++;
	}
	sen_buf_put_u8(b, next);
	sen_buf_set_u8(b, at, (uint8_t)((clen + 2) / 4));
}

int sen_gtpu_encode(const struct sen_gtpu_msg *m, uint8_t *out, size_t cap)
{
	struct sen_buf b;
	int first = m->has_psc ? -1 : 0;
	int n = m->n_ext;
	bool ext = m->has_psc || n > 0;

	if (!sen_gtpu_msg_name(m->type))
		return -SEN_ENOTSUP;
	if (n > SEN_GTPU_EXT_MAX)
		return -SEN_EINVAL;
	sen_buf_init_fixed(&b, out, cap);
	sen_buf_put_u8(
	    &b, (uint8_t)(0x30 | (ext ? 4 : 0) | (m->has_seq ? 2 : 0) | (m->has_npdu ? 1 : 0)));
	sen_buf_put_u8(&b, m->type);
	sen_buf_put_u16(&b, 0);
	sen_buf_put_u32(&b, m->teid);
	if (ext || m->has_seq || m->has_npdu) {
		sen_buf_put_u16(&b, m->has_seq ? m->seq : 0);
		sen_buf_put_u8(&b, m->has_npdu ? m->npdu : 0);
		sen_buf_put_u8(&b, !ext		? 0
				   : m->has_psc ? SEN_GTPU_EXT_PDU_SESSION_CONTAINER
						: m->ext[0].type);
	}
	if (ext) {
		for (int i = first; i < n; i++)
			enc_ext(&b, m, i, i + 1 < n ? m->ext[i + 1].type : SEN_GTPU_EXT_NONE);
	}
	switch (m->type) {
	case SEN_GTPU_GPDU:
		if (m->tpdu.len && !m->tpdu.p)
			return -SEN_EINVAL;
		sen_buf_put_bytes(&b, m->tpdu.p, m->tpdu.len);
		break;
	case SEN_GTPU_ECHO_RESPONSE:
		sen_buf_put_u8(&b, SEN_GTPU_IE_RECOVERY);
		sen_buf_put_u8(&b, m->recovery);
		break;
	case SEN_GTPU_ERROR_INDICATION:
		if (m->peer_addr_len != 4 && m->peer_addr_len != 16)
			return -SEN_EINVAL;
		sen_buf_put_u8(&b, SEN_GTPU_IE_TEID_DATA_I);
		sen_buf_put_u32(&b, m->teid_data_i);
		sen_buf_put_u8(&b, SEN_GTPU_IE_PEER_ADDRESS);
		sen_buf_put_u16(&b, m->peer_addr_len);
		sen_buf_put_bytes(&b, m->peer_addr, m->peer_addr_len);
		break;
	case SEN_GTPU_SUPPORTED_EXT_HEADERS:
		if (m->n_ext_types == 0 || m->n_ext_types > sizeof(m->ext_types))
			return -SEN_EINVAL;
		sen_buf_put_u8(&b, SEN_GTPU_IE_EXT_HEADER_TYPE_LIST);
		sen_buf_put_u8(&b, m->n_ext_types);
		sen_buf_put_bytes(&b, m->ext_types, m->n_ext_types);
		break;
	}
	if (sen_buf_error(&b))
		return sen_buf_error(&b);
	size_t len = sen_buf_len(&b);
	if (len - 8 > 0xffff)
		return -SEN_EMSGSIZE;
	sen_buf_set_u16(&b, 2, (uint16_t)(len - 8));
	return (int)len;
}

void sen_gtpu_msg_init(struct sen_gtpu_msg *msg, uint8_t type, uint32_t teid)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
	msg->teid = teid;
}

const char *sen_gtpu_msg_name(uint8_t type)
{
	switch (type) {
	case SEN_GTPU_ECHO_REQUEST:
		return "Echo Request";
	case SEN_GTPU_ECHO_RESPONSE:
		return "Echo Response";
	case SEN_GTPU_ERROR_INDICATION:
		return "Error Indication";
	case SEN_GTPU_SUPPORTED_EXT_HEADERS:
		return "Supported Extension Headers Notification";
	case SEN_GTPU_END_MARKER:
		return "End Marker";
	case SEN_GTPU_GPDU:
		return "G-PDU";
	default:
		return NULL;
	}
}
