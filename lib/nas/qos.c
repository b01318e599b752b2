/*
 * Session management IE codecs of TS 24.501 9.11.4: QoS rules (9.11.4.13) with their
 * packet filters, QoS flow descriptions (9.11.4.12), extended protocol configuration
 * options (9.11.4.6, coded as TS 24.008 10.5.6.3), and the 5GMM / 5GSM cause names
 * (9.11.3.2, 9.11.4.2) used when printing.
 */
#include "nas/nas_int.h"

#include "core/err.h"
#include "core/hex.h"

#include <stdio.h>
#include <string.h>

static void leaf_u(const struct sen_nas_visitor *v, void *arg, const char *name, unsigned x)
{
	char t[16];

	snprintf(t, sizeof(t), "%u", x);
	v->value(arg, name, t);
}

static void leaf_hex(const struct sen_nas_visitor *v, void *arg, const char *name,
		     const uint8_t *p, size_t len)
{
	char t[2 * 256 + 1];

	if (len > 256)
		len = 256;
	v->value(arg, name, sen_hex_encode(p, len, t));
}

/*
 * Packet filter component value lengths (table 9.11.4.13.1); -1: unknown type. The
 * match-all component has no value and must be alone.
 */
static int pf_component_len(uint8_t type)
{
	switch (type) {
	case 0x01: return 0;  /* match-all */
	case 0x10:	      /* IPv4 remote address + mask */
	case 0x11: return 8;  /* IPv4 local address + mask */
	case 0x21:	      /* IPv6 remote address/prefix length */
	case 0x23: return 17; /* IPv6 local address/prefix length */
	case 0x30: return 1;  /* protocol identifier / next header */
	case 0x40:	      /* single local port */
	case 0x50: return 2;  /* single remote port */
	case 0x41:	      /* local port range */
	case 0x51: return 4;  /* remote port range */
	case 0x60: return 4;  /* security parameter index */
	case 0x70: return 2;  /* type of service / traffic class + mask */
	case 0x80: return 3;  /* flow label */
	case 0x81:	      /* destination MAC address */
	case 0x82: return 6;  /* source MAC address */
	case 0x83:	      /* 802.1Q C-TAG VID */
	case 0x84: return 2;  /* 802.1Q S-TAG VID */
	case 0x85:	      /* 802.1Q C-TAG PCP/DEI */
	case 0x86: return 1;  /* 802.1Q S-TAG PCP/DEI */
	case 0x87: return 2;  /* ethertype */
	case 0x88:	      /* destination MAC address range */
	case 0x89: return 12; /* source MAC address range */
	default: return -1;
	}
}

static int pf_content_check(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return -SEN_EPROTO;
	while (i < n) {
		int l = pf_component_len(p[i]);
		if (l < 0 || (p[i] == 0x01 && n != 1) || (size_t)l > n - i - 1)
			return -SEN_EPROTO;
		i += 1 + (size_t)l;
	}
	return 0;
}

/*
 * Which fields a rule operation carries (9.11.4.13, figure 9.11.4.13.2 and table
 * 9.11.4.13.1):
 * - number of packet filters: 0 for "delete existing QoS rule" and "modify existing QoS
 *   rule without modifying packet filters"; 0 to 15 for "create new QoS rule" and "modify
 *   existing QoS rule and replace all packet filters" (a default rule of an unstructured
 *   or Ethernet session may have none); 1 to 15 for "... add packet filters" and "...
 *   delete packet filters" (the list names what to add or delete; cf. the syntactical
 *   errors in QoS operations of 6.3.2.4 / 6.4.1.3).
 * - QoS rule precedence (octet m+1) and segregation / QFI (octet m+2): "For the "delete
 *   existing QoS rule" operation, the QoS rule precedence value field shall not be
 *   included. For the "create new QoS rule" operation, the QoS rule precedence value field
 *   shall be included", and the same for the QFI; for the four "modify existing QoS rule"
 *   operations the clause leaves them optional (an SMF omits them when they do not
 *   change). Both octets or neither: one alone cannot be told apart. So a deleting rule is
 *   the operation octet alone (length of QoS rule 1).
 */
static int rule_shape_ok(const struct sen_nas_qos_rule *q)
{
	if (q->op == 0 || q->op > 6 || q->n_pf > 15)
		return 0;
	switch (q->op) {
	case SEN_NAS_QOS_RULE_DELETE:
		return q->n_pf == 0 && !q->has_precedence && !q->has_qfi;
	case SEN_NAS_QOS_RULE_CREATE:
		return q->has_precedence && q->has_qfi;
	case SEN_NAS_QOS_RULE_MODIFY_NO_PF:
		if (q->n_pf)
			return 0;
		break;
	case SEN_NAS_QOS_RULE_MODIFY_ADD_PF:
	case SEN_NAS_QOS_RULE_MODIFY_DELETE_PF:
		if (q->n_pf == 0)
			return 0;
		break;
	}
	return q->has_precedence == q->has_qfi; /* a "modify" operation: both or neither */
}

static int rule_get(struct sen_buf_reader *r, struct sen_nas_qos_rule *q)
{
	uint8_t o = sen_buf_get_u8(r);

	memset(q, 0, sizeof(*q));
	q->op = o >> 5;
	q->dqr = (o >> 4) & 1;
	q->n_pf = o & 0x0f;
	if (q->op == 0 || q->op == 7)
		return -SEN_EPROTO;
	if ((q->op == SEN_NAS_QOS_RULE_DELETE || q->op == SEN_NAS_QOS_RULE_MODIFY_NO_PF) &&
	    q->n_pf)
		return -SEN_EPROTO;
	for (unsigned i = 0; i < q->n_pf; i++) {
		struct sen_nas_packet_filter *pf = &q->pf[i];
		o = sen_buf_get_u8(r);
		pf->id = o & 0x0f;
		if (q->op == SEN_NAS_QOS_RULE_MODIFY_DELETE_PF)
			continue;
		pf->dir = (o >> 4) & 3;
		pf->content.len = sen_buf_get_u8(r);
		pf->content.p = sen_buf_get_ptr(r, pf->content.len);
		if (!pf->content.p || pf_content_check(pf->content.p, pf->content.len) < 0)
			return -SEN_EPROTO;
	}
	if (!sen_buf_reader_error(r) && sen_buf_left(r) == 2) {
		/*
		 * precedence and QFI octets, when the rule has two octets left after its
		 * filters; rule_shape_ok() then says whether the operation allows them
		 * (never "delete", always "create", either for "modify"). Any other
		 * remainder is refused below.
		 */
		q->has_precedence = q->has_qfi = true;
		q->precedence = sen_buf_get_u8(r);
		o = sen_buf_get_u8(r);
		q->segregation = (o >> 6) & 1;
		q->qfi = o & 0x3f;
	}
	if (sen_buf_reader_error(r) || sen_buf_left(r) || !rule_shape_ok(q))
		return -SEN_EPROTO;
	return 0;
}

int nas_dec_qos_rules(struct sen_buf_reader *r, void *f, const struct nas_ie *d);
int nas_dec_qos_rules(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_qos_rules *x = f;

	x->n = 0;
	while (sen_buf_left(r)) {
		if (x->n == SEN_NAS_QOS_RULES_MAX)
			return -SEN_EPROTO;
		uint8_t id = sen_buf_get_u8(r);
		uint16_t l = sen_buf_get_u16(r);
		struct sen_buf_reader sub = sen_buf_get_sub(r, l);
		if (sen_buf_reader_error(r) || id == 0 || rule_get(&sub, &x->r[x->n]) < 0)
			return -SEN_EPROTO;
		x->r[x->n++].id = id;
	}
	return x->n ? 0 : -SEN_EPROTO;
}

void nas_enc_qos_rules(struct sen_buf *b, const void *f, const struct nas_ie *d);
void nas_enc_qos_rules(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_qos_rules *x = f;

	if (x->n > SEN_NAS_QOS_RULES_MAX) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	for (unsigned i = 0; i < x->n; i++) {
		const struct sen_nas_qos_rule *q = &x->r[i];
		if (!rule_shape_ok(q) || q->qfi > 0x3f) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, q->id);
		size_t at = sen_buf_len(b);
		sen_buf_put_u16(b, 0);
		sen_buf_put_u8(b, (uint8_t)(q->op << 5 | (q->dqr ? 0x10 : 0) | q->n_pf));
		for (unsigned k = 0; k < q->n_pf; k++) {
			const struct sen_nas_packet_filter *pf = &q->pf[k];
			if (q->op == SEN_NAS_QOS_RULE_MODIFY_DELETE_PF) {
				sen_buf_put_u8(b, pf->id & 0x0f);
				continue;
			}
			if (pf->content.len > 255 || (pf->content.len && !pf->content.p) ||
			    pf->dir > 3 || pf->id > 15) {
				sen_buf_fail(b, -SEN_EINVAL);
				return;
			}
			sen_buf_put_u8(b, (uint8_t)(pf->dir << 4 | pf->id));
			sen_buf_put_u8(b, (uint8_t)pf->content.len);
			sen_buf_put_bytes(b, pf->content.p, pf->content.len);
		}
		if (q->has_precedence)
			sen_buf_put_u8(b, q->precedence);
		if (q->has_qfi)
			sen_buf_put_u8(b, (uint8_t)((q->segregation ? 0x40 : 0) | q->qfi));
		size_t l = sen_buf_len(b) - at - 2;
		if (l > 0xffff)
			sen_buf_fail(b, -SEN_EINVAL);
		sen_buf_set_u16(b, at, (uint16_t)l);
	}
}

void nas_walk_qos_rules(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg);
void nas_walk_qos_rules(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg)
{
	const struct sen_nas_qos_rules *x = f;
	char name[32];

	for (unsigned i = 0; i < x->n && i < SEN_NAS_QOS_RULES_MAX; i++) {
		const struct sen_nas_qos_rule *q = &x->r[i];
		snprintf(name, sizeof(name), "QoS rule #%u", i + 1);
		v->open(arg, name);
		leaf_u(v, arg, "identifier", q->id);
		leaf_u(v, arg, "operation", q->op);
		leaf_u(v, arg, "DQR", q->dqr);
		for (unsigned k = 0; k < q->n_pf && k < 15; k++) {
			snprintf(name, sizeof(name), "packet filter #%u", k + 1);
			v->open(arg, name);
			leaf_u(v, arg, "identifier", q->pf[k].id);
			leaf_u(v, arg, "direction", q->pf[k].dir);
			if (q->pf[k].content.len)
				leaf_hex(v, arg, "components", q->pf[k].content.p,
					 q->pf[k].content.len);
			v->close(arg);
		}
		if (q->has_precedence)
			leaf_u(v, arg, "precedence", q->precedence);
		if (q->has_qfi) {
			leaf_u(v, arg, "segregation", q->segregation);
			leaf_u(v, arg, "QFI", q->qfi);
		}
		v->close(arg);
	}
}

/* ---- QoS flow descriptions (9.11.4.12) ---- */

/*
 * Length of a parameter's contents (table 9.11.4.12.1): 5QI one octet; GFBR and MFBR,
 * uplink and downlink, a unit octet and a two-octet value; averaging window two octets;
 * EPS bearer identity one octet (EBI in bits 8..5). -1: an identifier of no known length.
 */
static int qos_param_len(uint8_t id)
{
	switch (id) {
	case SEN_NAS_QOS_5QI: return 1;
	case SEN_NAS_QOS_GFBR_UL:
	case SEN_NAS_QOS_GFBR_DL:
	case SEN_NAS_QOS_MFBR_UL:
	case SEN_NAS_QOS_MFBR_DL: return 3;
	case SEN_NAS_QOS_AVG_WINDOW: return 2;
	case SEN_NAS_QOS_EBI: return 1;
	default: return -1;
	}
}

int nas_dec_qos_flows(struct sen_buf_reader *r, void *f, const struct nas_ie *d);
int nas_dec_qos_flows(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_qos_flows *x = f;

	x->n = 0;
	while (sen_buf_left(r)) {
		if (x->n == SEN_NAS_QOS_FLOWS_MAX)
			return -SEN_EPROTO;
		struct sen_nas_qos_flow *q = &x->f[x->n];
		memset(q, 0, sizeof(*q));
		q->qfi = sen_buf_get_u8(r) & 0x3f;
		q->op = sen_buf_get_u8(r) >> 5;
		uint8_t o = sen_buf_get_u8(r);
		q->e_bit = (o >> 6) & 1;
		q->n_params = o & 0x3f;
		if (q->op < 1 || q->op > 3 || q->n_params > 8)
			return -SEN_EPROTO;
		unsigned n = q->n_params, k = 0;
		for (unsigned i = 0; i < n; i++) {
			uint8_t id = sen_buf_get_u8(r), len = sen_buf_get_u8(r);
			const uint8_t *v = sen_buf_get_ptr(r, len);
			int want = qos_param_len(id);
			if (!v)
				return -SEN_EPROTO;
			/* a known parameter has its fixed length: a 2-octet 5QI is malformed */
			if (want >= 0 && len != want)
				return -SEN_EPROTO;
			if (len > sizeof(q->param[k].v)) {
				/* unknown and too long to keep: skipped over, not kept */
				q->n_params--;
				continue;
			}
			q->param[k].id = id;
			q->param[k].len = len;
			memcpy(q->param[k].v, v, len);
			k++;
		}
		if (sen_buf_reader_error(r))
			return -SEN_EPROTO;
		x->n++;
	}
	return x->n ? 0 : -SEN_EPROTO;
}

void nas_enc_qos_flows(struct sen_buf *b, const void *f, const struct nas_ie *d);
void nas_enc_qos_flows(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_qos_flows *x = f;

	if (x->n > SEN_NAS_QOS_FLOWS_MAX) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	for (unsigned i = 0; i < x->n; i++) {
		const struct sen_nas_qos_flow *q = &x->f[i];
		if (q->qfi > 0x3f || q->op < 1 || q->op > 3 || q->n_params > 8) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u8(b, q->qfi);
		sen_buf_put_u8(b, (uint8_t)(q->op << 5));
		sen_buf_put_u8(b, (uint8_t)((q->e_bit ? 0x40 : 0) | q->n_params));
		for (unsigned k = 0; k < q->n_params; k++) {
			int want = qos_param_len(q->param[k].id);
			if (q->param[k].len > sizeof(q->param[k].v) ||
			    (want >= 0 && q->param[k].len != want)) {
				sen_buf_fail(b, -SEN_EINVAL);
				return;
			}
			sen_buf_put_u8(b, q->param[k].id);
			sen_buf_put_u8(b, q->param[k].len);
			sen_buf_put_bytes(b, q->param[k].v, q->param[k].len);
		}
	}
}

static const char *qos_param_name(uint8_t id)
{
	static const char *const n[] = {"?", "5QI", "GFBR uplink", "GFBR downlink",
					"MFBR uplink", "MFBR downlink", "averaging window",
					"EPS bearer identity"};
	return id < sizeof(n) / sizeof(n[0]) ? n[id] : "parameter";
}

void nas_walk_qos_flows(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg);
void nas_walk_qos_flows(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
			void *arg)
{
	const struct sen_nas_qos_flows *x = f;
	char name[32];

	for (unsigned i = 0; i < x->n && i < SEN_NAS_QOS_FLOWS_MAX; i++) {
		const struct sen_nas_qos_flow *q = &x->f[i];
		snprintf(name, sizeof(name), "QoS flow #%u", i + 1);
		v->open(arg, name);
		leaf_u(v, arg, "QFI", q->qfi);
		leaf_u(v, arg, "operation", q->op);
		leaf_u(v, arg, "E bit", q->e_bit);
		for (unsigned k = 0; k < q->n_params && k < 8; k++) {
			uint8_t id = q->param[k].id, l = q->param[k].len;
			snprintf(name, sizeof(name), "%s", qos_param_name(id));
			if (id == SEN_NAS_QOS_5QI && l == 1)
				leaf_u(v, arg, name, q->param[k].v[0]);
			else
				leaf_hex(v, arg, name, q->param[k].v,
					 l <= sizeof(q->param[k].v) ? l : 0);
		}
		v->close(arg);
	}
}

/* ---- extended protocol configuration options (9.11.4.6) ---- */

int nas_dec_epco(struct sen_buf_reader *r, void *f, const struct nas_ie *d);
int nas_dec_epco(struct sen_buf_reader *r, void *f, const struct nas_ie *d)
{
	struct sen_nas_epco *e = f;
	uint8_t o = sen_buf_get_u8(r);

	e->n = 0;
	e->config_proto = o & 7;
	while (sen_buf_left(r)) {
		if (e->n == SEN_NAS_PCO_MAX)
			return -SEN_EPROTO;
		e->item[e->n].id = sen_buf_get_u16(r);
		uint8_t l = sen_buf_get_u8(r);
		e->item[e->n].v.len = l;
		e->item[e->n].v.p = sen_buf_get_ptr(r, l);
		if (sen_buf_reader_error(r))
			return -SEN_EPROTO;
		e->n++;
	}
	return sen_buf_reader_error(r) ? -SEN_EPROTO : 0;
}

void nas_enc_epco(struct sen_buf *b, const void *f, const struct nas_ie *d);
void nas_enc_epco(struct sen_buf *b, const void *f, const struct nas_ie *d)
{
	const struct sen_nas_epco *e = f;

	if (e->n > SEN_NAS_PCO_MAX || e->config_proto > 7) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	sen_buf_put_u8(b, (uint8_t)(0x80 | e->config_proto)); /* bit 8: extension, 1 */
	for (unsigned i = 0; i < e->n; i++) {
		if (e->item[i].v.len > 255 || (e->item[i].v.len && !e->item[i].v.p)) {
			sen_buf_fail(b, -SEN_EINVAL);
			return;
		}
		sen_buf_put_u16(b, e->item[i].id);
		sen_buf_put_u8(b, (uint8_t)e->item[i].v.len);
		sen_buf_put_bytes(b, e->item[i].v.p, e->item[i].v.len);
	}
}

static const char *pco_name(uint16_t id)
{
	switch (id) {
	case 0x0003: return "DNS server IPv6 address";
	case 0x000a: return "IP address allocation via NAS signalling";
	case 0x000d: return "DNS server IPv4 address";
	case 0x0010: return "IPv4 link MTU";
	case 0x8021: return "IPCP";
	case 0xc023: return "PAP";
	case 0xc223: return "CHAP";
	default: return NULL;
	}
}

void nas_walk_epco(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		   void *arg);
void nas_walk_epco(const void *f, const struct nas_ie *d, const struct sen_nas_visitor *v,
		   void *arg)
{
	const struct sen_nas_epco *e = f;
	char name[80], text[64];

	leaf_u(v, arg, "configuration protocol", e->config_proto);
	for (unsigned i = 0; i < e->n && i < SEN_NAS_PCO_MAX; i++) {
		const struct sen_nas_bytes *x = &e->item[i].v;
		const char *pn = pco_name(e->item[i].id);
		snprintf(name, sizeof(name), "#%u 0x%04x %s", i + 1, e->item[i].id, pn ? pn : "");
		if (e->item[i].id == SEN_NAS_PCO_DNS_IPV4 && x->len == 4) {
			snprintf(text, sizeof(text), "%u.%u.%u.%u", x->p[0], x->p[1], x->p[2], x->p[3]);
			v->value(arg, name, text);
		} else if (e->item[i].id == SEN_NAS_PCO_IPV4_MTU && x->len == 2) {
			leaf_u(v, arg, name, (unsigned)(x->p[0] << 8 | x->p[1]));
		} else if (x->len) {
			leaf_hex(v, arg, name, x->p, x->len);
		} else {
			v->value(arg, name, "(empty)");
		}
	}
}

int sen_nas_epco_add(struct sen_nas_epco *e, uint16_t id, const uint8_t *v, size_t len)
{
	if (e->n >= SEN_NAS_PCO_MAX || len > 255 || (len && !v))
		return -SEN_ERANGE;
	e->item[e->n].id = id;
	e->item[e->n].v.p = v;
	e->item[e->n].v.len = len;
	e->n++;
	return 0;
}

const struct sen_nas_bytes *sen_nas_epco_find(const struct sen_nas_epco *e, uint16_t id)
{
	for (unsigned i = 0; i < e->n && i < SEN_NAS_PCO_MAX; i++)
		if (e->item[i].id == id)
			return &e->item[i].v;
	return NULL;
}

/* ---- cause names (9.11.3.2, 9.11.4.2) ---- */

const char *nas_gmm_cause_name(uint8_t c)
{
	switch (c) {
	case 3: return "illegal UE";
	case 5: return "PEI not accepted";
	case 6: return "illegal ME";
	case 7: return "5GS services not allowed";
	case 9: return "UE identity cannot be derived by the network";
	case 10: return "implicitly de-registered";
	case 11: return "PLMN not allowed";
	case 12: return "tracking area not allowed";
	case 13: return "roaming not allowed in this tracking area";
	case 15: return "no suitable cells in tracking area";
	case 20: return "MAC failure";
	case 21: return "synch failure";
	case 22: return "congestion";
	case 23: return "UE security capabilities mismatch";
	case 24: return "security mode rejected, unspecified";
	case 26: return "non-5G authentication unacceptable";
	case 27: return "N1 mode not allowed";
	case 28: return "restricted service area";
	case 31: return "redirection to EPC required";
	case 43: return "LADN not available";
	case 62: return "no network slices available";
	case 65: return "maximum number of PDU sessions reached";
	case 67: return "insufficient resources for specific slice and DNN";
	case 69: return "insufficient resources for specific slice";
	case 71: return "ngKSI already in use";
	case 72: return "non-3GPP access to 5GCN not allowed";
	case 73: return "serving network not authorized";
	case 74: return "temporarily not authorized for this SNPN";
	case 75: return "permanently not authorized for this SNPN";
	case 76: return "not authorized for this CAG or authorized for CAG cells only";
	case 77: return "wireline access area not allowed";
	case 90: return "payload was not forwarded";
	case 91: return "DNN not supported or not subscribed in the slice";
	case 92: return "insufficient user-plane resources for the PDU session";
	case 95: return "semantically incorrect message";
	case 96: return "invalid mandatory information";
	case 97: return "message type non-existent or not implemented";
	case 98: return "message type not compatible with the protocol state";
	case 99: return "information element non-existent or not implemented";
	case 100: return "conditional IE error";
	case 101: return "message not compatible with the protocol state";
	case 111: return "protocol error, unspecified";
	default: return "unknown";
	}
}

const char *nas_gsm_cause_name(uint8_t c)
{
	switch (c) {
	case 8: return "operator determined barring";
	case 26: return "insufficient resources";
	case 27: return "missing or unknown DNN";
	case 28: return "unknown PDU session type";
	case 29: return "user authentication or authorization failed";
	case 31: return "request rejected, unspecified";
	case 32: return "service option not supported";
	case 33: return "requested service option not subscribed";
	case 35: return "PTI already in use";
	case 36: return "regular deactivation";
	case 38: return "network failure";
	case 39: return "reactivation requested";
	case 41: return "semantic error in the TFT operation";
	case 42: return "syntactical error in the TFT operation";
	case 43: return "invalid PDU session identity";
	case 44: return "semantic errors in packet filter(s)";
	case 45: return "syntactical error in packet filter(s)";
	case 46: return "out of LADN service area";
	case 47: return "PTI mismatch";
	case 50: return "PDU session type IPv4 only allowed";
	case 51: return "PDU session type IPv6 only allowed";
	case 54: return "PDU session does not exist";
	case 67: return "insufficient resources for specific slice and DNN";
	case 68: return "not supported SSC mode";
	case 69: return "insufficient resources for specific slice";
	case 70: return "missing or unknown DNN in a slice";
	case 81: return "invalid PTI value";
	case 82: return "maximum data rate per UE for user-plane integrity protection is too low";
	case 83: return "semantic error in the QoS operation";
	case 84: return "syntactical error in the QoS operation";
	case 85: return "invalid mapped EPS bearer identity";
	case 95: return "semantically incorrect message";
	case 96: return "invalid mandatory information";
	case 97: return "message type non-existent or not implemented";
	case 98: return "message type not compatible with the protocol state";
	case 99: return "information element non-existent or not implemented";
	case 100: return "conditional IE error";
	case 101: return "message not compatible with the protocol state";
	case 111: return "protocol error, unspecified";
	default: return "unknown";
	}
}
