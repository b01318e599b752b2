/*
 * PFCP IE value codecs (TS 29.244 8.2): for each non-grouped IE format, how its value
 * octets decode into the struct field, encode from it, and print. msg.c calls these
 * through pfcp_codecs[] as the tables of tables.c direct; the reader given to a decoder
 * covers exactly the IE's value, so no decoder can read into the next IE.
 *
 * Values longer than their format are accepted and the extra octets ignored (fields
 * added by later releases); values shorter than their fixed part are "Invalid length".
 */
#include "pfcp/pfcp_int.h"

#include "core/err.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The reader's result: -SEN_EMSGSIZE if it ran out, else rc. */
static int done(struct sen_buf_reader *r, int rc)
{
	return sen_buf_reader_error(r) ? -SEN_EMSGSIZE : rc;
}

static void ip4_text(const uint8_t a[4], char *out, size_t cap)
{
	inet_ntop(AF_INET, a, out, (socklen_t)cap);
}

static void ip6_text(const uint8_t a[16], char *out, size_t cap)
{
	inet_ntop(AF_INET6, a, out, (socklen_t)cap);
}

/* Append formatted text at the end of out[cap]. */
static void cat(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *out, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(out + n, cap - n, fmt, ap);
	va_end(ap);
}

/* ---- integers ---- */

static int dec_u8(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	*(uint8_t *)f = sen_buf_get_u8(r);
	return done(r, 0);
}
static void enc_u8(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	sen_buf_put_u8(b, *(const uint8_t *)f);
}
static void txt_u8(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	snprintf(out, cap, "%u", *(const uint8_t *)f);
}

static int dec_u16(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	*(uint16_t *)f = sen_buf_get_u16(r);
	return done(r, 0);
}
static void enc_u16(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	sen_buf_put_u16(b, *(const uint16_t *)f);
}
static void txt_u16(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	snprintf(out, cap, "%u", *(const uint16_t *)f);
}

static int dec_u32(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	*(uint32_t *)f = sen_buf_get_u32(r);
	return done(r, 0);
}
static void enc_u32(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	sen_buf_put_u32(b, *(const uint32_t *)f);
}
static void txt_u32(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	snprintf(out, cap, "%" PRIu32, *(const uint32_t *)f);
}

static int dec_u16w(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	*(uint32_t *)f = sen_buf_get_u16(r);
	return done(r, 0);
}
static void enc_u16w(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	uint32_t v = *(const uint32_t *)f;

	if (v > 0xffff)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u16(b, (uint16_t)v);
}

/* Rule IDs (8.2.74, 8.2.75, 8.2.54): bit 32 says "predefined" (allocated by the CP). */
static void txt_rule_id(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	uint32_t v = *(const uint32_t *)f;

	snprintf(out, cap, "%" PRIu32 "%s", v & 0x7fffffffu, v >> 31 ? " (predefined)" : "");
}

static void txt_ntp(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	uint32_t v = *(const uint32_t *)f;
	/* NTP era 0 starts 2208988800 s before the Unix epoch. */
	snprintf(out, cap, "%" PRIu32 " (unix %" PRId64 ")", v, (int64_t)v - (int64_t)2208988800);
}

/* A small field in the low bits of one octet; spare bits are ignored on decode. */
static uint8_t low_mask(uint8_t codec)
{
	switch (codec) {
	case PC_IFACE:
		return 0x0f;
	case PC_QFI:
		return 0x3f;
	default: /* PC_PPI, PC_PDN_TYPE */
		return 0x07;
	}
}
static int dec_low(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	*(uint8_t *)f = sen_buf_get_u8(r) & low_mask(d->codec);
	return done(r, 0);
}
static void enc_low(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	uint8_t v = *(const uint8_t *)f;

	if (v & ~low_mask(d->codec))
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, v);
}
static void txt_low(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	static const char *const ifn[] = {"Access", "Core", "SGi-LAN/N6-LAN", "CP-function",
					  "5G VN Internal"};
	static const char *const pdn[] = {"", "IPv4", "IPv6", "IPv4v6", "Non-IP", "Ethernet"};
	uint8_t v = *(const uint8_t *)f;

	if (d->codec == PC_IFACE && v < 5)
		snprintf(out, cap, "%u (%s)", v, ifn[v]);
	else if (d->codec == PC_PDN_TYPE && v >= 1 && v <= 5)
		snprintf(out, cap, "%u (%s)", v, pdn[v]);
	else
		snprintf(out, cap, "%u", v);
}

static void txt_cause(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	uint8_t v = *(const uint8_t *)f;

	snprintf(out, cap, "%u (%s)", v, sen_pfcp_cause_name(v));
}

static void txt_ie_type(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	uint16_t v = *(const uint16_t *)f;
	const char *n = pfcp_ie_name(v);

	snprintf(out, cap, "%u%s%s%s", v, n ? " (" : "", n ? n : "", n ? ")" : "");
}

/* Gate Status (8.2.7) */
static void txt_gate(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	uint8_t v = *(const uint8_t *)f;

	snprintf(out, cap, "UL %s, DL %s", (v >> 2 & 3) ? "closed" : "open",
		 (v & 3) ? "closed" : "open");
}
static int dec_gate(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	uint8_t v = sen_buf_get_u8(r) & 0x0f;

	*(uint8_t *)f = v;
	/* Values 2 and 3 of each gate are spare (8.2.7). */
	if ((v & 3) > 1 || (v >> 2) > 1)
		return done(r, -SEN_EPROTO);
	return done(r, 0);
}
static void enc_gate(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	uint8_t v = *(const uint8_t *)f;

	if ((v & 3) > 1 || (v >> 2) > 1)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, v);
}

/* ---- byte strings ---- */

static int dec_bytes(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_bytes *v = f;

	v->len = sen_buf_left(r);
	v->p = sen_buf_get_ptr(r, v->len);
	return done(r, 0);
}
static void enc_bytes(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_bytes *v = f;

	if (v->len && !v->p)
		sen_buf_fail(b, -SEN_EINVAL);
	else
		sen_buf_put_bytes(b, v->p, v->len);
}
static void hex_text(const uint8_t *p, size_t len, char *out, size_t cap)
{
	out[0] = 0;
	for (size_t i = 0; i < len && 2 * i + 3 < cap; i++)
		cat(out, cap, "%02x", p[i]);
}
static void txt_bytes(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_bytes *v = f;

	hex_text(v->p, v->len, out, cap);
}
/* Labels when they parse (the usual DNN form of Network Instance), else hex. */
static void txt_labels(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_bytes *v = f;

	if (sen_pfcp_labels_decode(v->p, v->len, out, cap) < 0)
		hex_text(v->p, v->len, out, cap);
}

/* ---- flags ---- */

static int dec_flags(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_flags *v = f;
	size_t n = sen_buf_left(r);

	v->bits = 0;
	if (n < 1) /* min_len is what we write; older peers may send fewer octets */
		return -SEN_EMSGSIZE;
	if (n > 8)
		n = 8; /* octets beyond the 8th are later releases' features: ignored */
	for (size_t i = 0; i < n; i++)
		v->bits |= (uint64_t)sen_buf_get_u8(r) << (8 * i);
	v->len = (uint8_t)n;
	return done(r, 0);
}
static void enc_flags(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_flags *v = f;
	size_t need = 1;

	while (need < 8 && (v->bits >> (8 * need)))
		need++;
	if (v->len > 8 || (v->len && v->len < need)) {
		sen_buf_fail(b, -SEN_EINVAL);
		return;
	}
	if (v->len)
		need = v->len;
	else if (need < d->min_len)
		need = d->min_len;
	for (size_t i = 0; i < need; i++)
		sen_buf_put_u8(b, (uint8_t)(v->bits >> (8 * i)));
}

/* Bit names per flags IE, octet 5 bit 1 first. */
static const char *const *flag_names(uint16_t type)
{
	static const char *const aa[] = {"DROP", "FORW", "BUFF", "NOCP", "DUPL", "IPMA", "IPMD",
					 "DFRT", "EDRT", "BDPN", "DDPN", "FSSM", "MBSU", NULL};
	static const char *const mm[] = {"DURAT", "VOLUM", "EVENT", NULL};
	static const char *const rt[] = {"PERIO", "VOLTH", "TIMTH", "QUHTI", "START",
					 "STOPT", "DROTH", "LIUSA", "VOLQU", "TIMQU",
					 "ENVCL", "MACAR", "EVETH", "EVEQU", "IPMJL",
					 "QUVTI", "REEMR", "UPINT", NULL};
	static const char *const urt[] = {"PERIO", "VOLTH", "TIMTH", "QUHTI", "START", "STOPT",
					  "DROTH", "IMMER", "VOLQU", "TIMQU", "LIUSA", "TERMR",
					  "MONIT", "ENVCL", "MACAR", "EVETH", "EVEQU", "TEBUR",
					  "IPMJL", "QUVTI", "EMRRE", "UPINT", NULL};
	static const char *const rep[] = {"DLDR", "USAR", "ERIR", "UPIR",
					  "TMIR", "SESR", "UISR", NULL};
	static const char *const up[] = {
	    "BUCP", "DDND", "DLBD",  "TRST",  "FTUP",  "PFDM", "HEEU",	"TREU",	 "EMPU",
	    "PDIU", "UDBC", "QUOAC", "TRACE", "FRRT",  "PFDE", "EPFAR", "DPDRA", "ADPDP",
	    "UEIP", "SSET", "MNOP",  "MTE",   "BUNDL", "GCOM", "MPAS",	"RTTL",	 "VTIME",
	    "NORP", "IPTV", "IP6PL", "TSCU",  "MPTCP", NULL};
	static const char *const cp[] = {"LOAD", "OVRL", "EPFAR", "SSET", "BUNDL",
					 "MPAS", "ARDR", "UIAUR", NULL};
	static const char *const smreq[] = {"DROBU", "SNDEM", "QAURR", NULL};
	static const char *const srrsp[] = {"DROBU", NULL};

	switch (type) {
	case SEN_PFCP_IE_APPLY_ACTION:
		return aa;
	case SEN_PFCP_IE_MEASUREMENT_METHOD:
		return mm;
	case SEN_PFCP_IE_REPORTING_TRIGGERS:
		return rt;
	case SEN_PFCP_IE_USAGE_REPORT_TRIGGER:
		return urt;
	case SEN_PFCP_IE_REPORT_TYPE:
		return rep;
	case SEN_PFCP_IE_UP_FUNCTION_FEATURES:
		return up;
	case SEN_PFCP_IE_CP_FUNCTION_FEATURES:
		return cp;
	case SEN_PFCP_IE_PFCPSMREQ_FLAGS:
		return smreq;
	case SEN_PFCP_IE_PFCPSRRSP_FLAGS:
		return srrsp;
	default:
		return NULL;
	}
}
static void txt_flags(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_flags *v = f;
	const char *const *names = flag_names(d->type);
	size_t nn = 0;

	while (names && names[nn])
		nn++;
	snprintf(out, cap, "0x%" PRIx64, v->bits);
	const char *sep = " (";
	for (unsigned i = 0; i < 64; i++) {
		if (!(v->bits >> i & 1))
			continue;
		if (i < nn)
			cat(out, cap, "%s%s", sep, names[i]);
		else
			cat(out, cap, "%sbit%u", sep, i);
		sep = " ";
	}
	if (v->bits)
		cat(out, cap, ")");
}

/* ---- addresses and identities ---- */

/* Node ID (8.2.38): type in bits 4..1, then IPv4, IPv6 or an FQDN in DNS labels. */
static int dec_node_id(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_node_id *v = f;

	v->type = sen_buf_get_u8(r) & 0x0f;
	switch (v->type) {
	case SEN_PFCP_NODE_IPV4:
		sen_buf_get_bytes(r, v->ipv4, 4);
		break;
	case SEN_PFCP_NODE_IPV6:
		sen_buf_get_bytes(r, v->ipv6, 16);
		break;
	case SEN_PFCP_NODE_FQDN: {
		size_t n = sen_buf_left(r);
		const uint8_t *p = sen_buf_get_ptr(r, n);
		if (!p || n == 0)
			return -SEN_EMSGSIZE;
		if (sen_pfcp_labels_decode(p, n, v->fqdn, sizeof(v->fqdn)) < 0)
			return -SEN_EPROTO;
		break;
	}
	default:
		return -SEN_EPROTO;
	}
	return done(r, 0);
}
static void enc_node_id(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_node_id *v = f;
	uint8_t lab[SEN_PFCP_FQDN_MAX + 1];
	int n;

	sen_buf_put_u8(b, v->type);
	switch (v->type) {
	case SEN_PFCP_NODE_IPV4:
		sen_buf_put_bytes(b, v->ipv4, 4);
		break;
	case SEN_PFCP_NODE_IPV6:
		sen_buf_put_bytes(b, v->ipv6, 16);
		break;
	case SEN_PFCP_NODE_FQDN:
		if (memchr(v->fqdn, 0, sizeof(v->fqdn)) == NULL ||
		    (n = sen_pfcp_labels_encode(v->fqdn, lab, sizeof(lab))) <= 0)
			sen_buf_fail(b, -SEN_EINVAL);
		else
			sen_buf_put_bytes(b, lab, (size_t)n);
		break;
	default:
		sen_buf_fail(b, -SEN_EINVAL);
	}
}
static void txt_node_id(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_node_id *v = f;

	if (v->type == SEN_PFCP_NODE_IPV4)
		ip4_text(v->ipv4, out, cap);
	else if (v->type == SEN_PFCP_NODE_IPV6)
		ip6_text(v->ipv6, out, cap);
	else
		snprintf(out, cap, "%s", v->fqdn);
}

/* F-SEID (8.2.37): flags (V4 bit 2, V6 bit 1), SEID, then the addresses. */
static int dec_fseid(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_fseid *v = f;

	v->flags = sen_buf_get_u8(r);
	v->seid = sen_buf_get_u64(r);
	if (v->flags & SEN_PFCP_FSEID_V4)
		sen_buf_get_bytes(r, v->ipv4, 4);
	if (v->flags & SEN_PFCP_FSEID_V6)
		sen_buf_get_bytes(r, v->ipv6, 16);
	if (!sen_buf_reader_error(r) && !(v->flags & (SEN_PFCP_FSEID_V4 | SEN_PFCP_FSEID_V6)))
		return -SEN_EPROTO; /* at least one address (8.2.37) */
	return done(r, 0);
}
static void enc_fseid(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_fseid *v = f;

	if (!(v->flags & (SEN_PFCP_FSEID_V4 | SEN_PFCP_FSEID_V6)))
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, v->flags);
	sen_buf_put_u64(b, v->seid);
	if (v->flags & SEN_PFCP_FSEID_V4)
		sen_buf_put_bytes(b, v->ipv4, 4);
	if (v->flags & SEN_PFCP_FSEID_V6)
		sen_buf_put_bytes(b, v->ipv6, 16);
}
static void txt_fseid(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_fseid *v = f;
	char a[64];

	snprintf(out, cap, "SEID 0x%016" PRIx64, v->seid);
	if (v->flags & SEN_PFCP_FSEID_V4) {
		ip4_text(v->ipv4, a, sizeof(a));
		cat(out, cap, ", IPv4 %s", a);
	}
	if (v->flags & SEN_PFCP_FSEID_V6) {
		ip6_text(v->ipv6, a, sizeof(a));
		cat(out, cap, ", IPv6 %s", a);
	}
}

/* F-TEID (8.2.3): CH=0: TEID and addresses; CH=1: none of them; CHID: Choose ID. */
static int dec_fteid(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_fteid *v = f;

	v->flags = sen_buf_get_u8(r);
	if (!(v->flags & SEN_PFCP_FTEID_CH)) {
		v->teid = sen_buf_get_u32(r);
		if (v->flags & SEN_PFCP_FTEID_V4)
			sen_buf_get_bytes(r, v->ipv4, 4);
		if (v->flags & SEN_PFCP_FTEID_V6)
			sen_buf_get_bytes(r, v->ipv6, 16);
		if (!sen_buf_reader_error(r) &&
		    !(v->flags & (SEN_PFCP_FTEID_V4 | SEN_PFCP_FTEID_V6)))
			return -SEN_EPROTO;
		if (v->flags & SEN_PFCP_FTEID_CHID)
			return done(r, -SEN_EPROTO); /* CHID only with CH (8.2.3) */
	} else if (v->flags & SEN_PFCP_FTEID_CHID) {
		v->choose_id = sen_buf_get_u8(r);
	}
	return done(r, 0);
}
static void enc_fteid(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_fteid *v = f;

	sen_buf_put_u8(b, v->flags);
	if (!(v->flags & SEN_PFCP_FTEID_CH)) {
		if (!(v->flags & (SEN_PFCP_FTEID_V4 | SEN_PFCP_FTEID_V6)) ||
		    (v->flags & SEN_PFCP_FTEID_CHID))
			sen_buf_fail(b, -SEN_EINVAL);
		sen_buf_put_u32(b, v->teid);
		if (v->flags & SEN_PFCP_FTEID_V4)
			sen_buf_put_bytes(b, v->ipv4, 4);
		if (v->flags & SEN_PFCP_FTEID_V6)
			sen_buf_put_bytes(b, v->ipv6, 16);
	} else if (v->flags & SEN_PFCP_FTEID_CHID) {
		sen_buf_put_u8(b, v->choose_id);
	}
}
static void txt_fteid(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_fteid *v = f;
	char a[64];

	if (v->flags & SEN_PFCP_FTEID_CH) {
		snprintf(out, cap, "CHOOSE%s%s", v->flags & SEN_PFCP_FTEID_V4 ? " IPv4" : "",
			 v->flags & SEN_PFCP_FTEID_V6 ? " IPv6" : "");
		if (v->flags & SEN_PFCP_FTEID_CHID)
			cat(out, cap, ", Choose ID %u", v->choose_id);
		return;
	}
	snprintf(out, cap, "TEID 0x%08" PRIx32, v->teid);
	if (v->flags & SEN_PFCP_FTEID_V4) {
		ip4_text(v->ipv4, a, sizeof(a));
		cat(out, cap, ", IPv4 %s", a);
	}
	if (v->flags & SEN_PFCP_FTEID_V6) {
		ip6_text(v->ipv6, a, sizeof(a));
		cat(out, cap, ", IPv6 %s", a);
	}
}

/* UE IP Address (8.2.62) */
static int dec_ue_ip(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_ue_ip *v = f;

	v->flags = sen_buf_get_u8(r);
	if (v->flags & SEN_PFCP_UEIP_V4)
		sen_buf_get_bytes(r, v->ipv4, 4);
	if (v->flags & SEN_PFCP_UEIP_V6)
		sen_buf_get_bytes(r, v->ipv6, 16);
	if (v->flags & SEN_PFCP_UEIP_IPV6D)
		v->ipv6_pd_bits = sen_buf_get_u8(r);
	if (v->flags & SEN_PFCP_UEIP_IP6PL)
		v->ipv6_prefix_len = sen_buf_get_u8(r);
	return done(r, 0);
}
static void enc_ue_ip(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_ue_ip *v = f;

	sen_buf_put_u8(b, v->flags);
	if (v->flags & SEN_PFCP_UEIP_V4)
		sen_buf_put_bytes(b, v->ipv4, 4);
	if (v->flags & SEN_PFCP_UEIP_V6)
		sen_buf_put_bytes(b, v->ipv6, 16);
	if (v->flags & SEN_PFCP_UEIP_IPV6D)
		sen_buf_put_u8(b, v->ipv6_pd_bits);
	if (v->flags & SEN_PFCP_UEIP_IP6PL)
		sen_buf_put_u8(b, v->ipv6_prefix_len);
}
static void txt_ue_ip(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_ue_ip *v = f;
	char a[64];

	snprintf(out, cap, "%s", v->flags & SEN_PFCP_UEIP_SD ? "destination" : "source");
	if (v->flags & SEN_PFCP_UEIP_V4) {
		ip4_text(v->ipv4, a, sizeof(a));
		cat(out, cap, ", IPv4 %s", a);
	}
	if (v->flags & SEN_PFCP_UEIP_V6) {
		ip6_text(v->ipv6, a, sizeof(a));
		cat(out, cap, ", IPv6 %s", a);
	}
	if (v->flags & SEN_PFCP_UEIP_CHV4)
		cat(out, cap, ", CHOOSE IPv4");
	if (v->flags & SEN_PFCP_UEIP_CHV6)
		cat(out, cap, ", CHOOSE IPv6");
	if (v->flags & SEN_PFCP_UEIP_IPV6D)
		cat(out, cap, ", prefix delegation bits %u", v->ipv6_pd_bits);
	if (v->flags & SEN_PFCP_UEIP_IP6PL)
		cat(out, cap, ", prefix length %u", v->ipv6_prefix_len);
}

/* SDF Filter (8.2.5): flags, a spare octet, then the fields the flags announce. */
static int dec_sdf(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_sdf_filter *v = f;

	v->flags = sen_buf_get_u8(r);
	sen_buf_skip(r, 1);
	if (v->flags & SEN_PFCP_SDF_FD) {
		v->flow_desc.len = sen_buf_get_u16(r);
		v->flow_desc.p = sen_buf_get_ptr(r, v->flow_desc.len);
	}
	if (v->flags & SEN_PFCP_SDF_TTC)
		v->tos_tc = sen_buf_get_u16(r);
	if (v->flags & SEN_PFCP_SDF_SPI)
		v->spi = sen_buf_get_u32(r);
	if (v->flags & SEN_PFCP_SDF_FL)
		v->flow_label = sen_buf_get_u24(r);
	if (v->flags & SEN_PFCP_SDF_BID)
		v->filter_id = sen_buf_get_u32(r);
	return done(r, 0);
}
static void enc_sdf(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_sdf_filter *v = f;

	sen_buf_put_u8(b, v->flags);
	sen_buf_put_u8(b, 0);
	if (v->flags & SEN_PFCP_SDF_FD) {
		if (v->flow_desc.len > 0xffff || (v->flow_desc.len && !v->flow_desc.p))
			sen_buf_fail(b, -SEN_EINVAL);
		sen_buf_put_u16(b, (uint16_t)v->flow_desc.len);
		sen_buf_put_bytes(b, v->flow_desc.p, v->flow_desc.len);
	}
	if (v->flags & SEN_PFCP_SDF_TTC)
		sen_buf_put_u16(b, v->tos_tc);
	if (v->flags & SEN_PFCP_SDF_SPI)
		sen_buf_put_u32(b, v->spi);
	if (v->flags & SEN_PFCP_SDF_FL)
		sen_buf_put_u24(b, v->flow_label);
	if (v->flags & SEN_PFCP_SDF_BID)
		sen_buf_put_u32(b, v->filter_id);
}
static void txt_sdf(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_sdf_filter *v = f;

	out[0] = 0;
	if (v->flags & SEN_PFCP_SDF_FD) {
		cat(out, cap, "flow \"");
		for (size_t i = 0; i < v->flow_desc.len; i++) {
			uint8_t c = v->flow_desc.p[i];
			cat(out, cap, "%c", c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
		}
		cat(out, cap, "\"");
	}
	if (v->flags & SEN_PFCP_SDF_TTC)
		cat(out, cap, "%sToS 0x%04x", *out ? ", " : "", v->tos_tc);
	if (v->flags & SEN_PFCP_SDF_SPI)
		cat(out, cap, "%sSPI 0x%08" PRIx32, *out ? ", " : "", v->spi);
	if (v->flags & SEN_PFCP_SDF_FL)
		cat(out, cap, "%sflow label 0x%06" PRIx32, *out ? ", " : "", v->flow_label);
	if (v->flags & SEN_PFCP_SDF_BID)
		cat(out, cap, "%sfilter ID %" PRIu32, *out ? ", " : "", v->filter_id);
}

/* Outer Header Removal (8.2.64): description, then optionally the extension deletion. */
static int dec_ohr(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_ohr *v = f;

	v->desc = sen_buf_get_u8(r);
	if (sen_buf_left(r)) {
		v->has_ext_deletion = true;
		v->ext_deletion = sen_buf_get_u8(r);
	}
	return done(r, 0);
}
static void enc_ohr(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_ohr *v = f;

	sen_buf_put_u8(b, v->desc);
	if (v->has_ext_deletion)
		sen_buf_put_u8(b, v->ext_deletion);
}
static void txt_ohr(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	static const char *const n[] = {"GTP-U/UDP/IPv4", "GTP-U/UDP/IPv6", "UDP/IPv4",
					"UDP/IPv6",	  "IPv4",	    "IPv6",
					"GTP-U/UDP/IP",	  "VLAN S-TAG",	    "S-TAG and C-TAG"};
	const struct sen_pfcp_ohr *v = f;

	snprintf(out, cap, "%u (%s)", v->desc, v->desc < 9 ? n[v->desc] : "spare");
	if (v->has_ext_deletion)
		cat(out, cap, ", extension header deletion 0x%02x%s", v->ext_deletion,
		    v->ext_deletion & 1 ? " (PDU session container)" : "");
}

/* Outer Header Creation (8.2.56) */
#define OHC_TEID (SEN_PFCP_OHC_GTPU_UDP_IPV4 | SEN_PFCP_OHC_GTPU_UDP_IPV6)
#define OHC_V4	 (SEN_PFCP_OHC_GTPU_UDP_IPV4 | SEN_PFCP_OHC_UDP_IPV4 | SEN_PFCP_OHC_IPV4)
#define OHC_V6	 (SEN_PFCP_OHC_GTPU_UDP_IPV6 | SEN_PFCP_OHC_UDP_IPV6 | SEN_PFCP_OHC_IPV6)
#define OHC_PORT (SEN_PFCP_OHC_UDP_IPV4 | SEN_PFCP_OHC_UDP_IPV6)
static int dec_ohc(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_ohc *v = f;

	v->desc = sen_buf_get_u16(r);
	if (v->desc & OHC_TEID)
		v->teid = sen_buf_get_u32(r);
	if (v->desc & OHC_V4)
		sen_buf_get_bytes(r, v->ipv4, 4);
	if (v->desc & OHC_V6)
		sen_buf_get_bytes(r, v->ipv6, 16);
	if (v->desc & OHC_PORT)
		v->port = sen_buf_get_u16(r);
	if (v->desc & SEN_PFCP_OHC_CTAG)
		v->ctag = sen_buf_get_u24(r);
	if (v->desc & SEN_PFCP_OHC_STAG)
		v->stag = sen_buf_get_u24(r);
	return done(r, 0);
}
static void enc_ohc(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_ohc *v = f;

	sen_buf_put_u16(b, v->desc);
	if (v->desc & OHC_TEID)
		sen_buf_put_u32(b, v->teid);
	if (v->desc & OHC_V4)
		sen_buf_put_bytes(b, v->ipv4, 4);
	if (v->desc & OHC_V6)
		sen_buf_put_bytes(b, v->ipv6, 16);
	if (v->desc & OHC_PORT)
		sen_buf_put_u16(b, v->port);
	if (v->desc & SEN_PFCP_OHC_CTAG)
		sen_buf_put_u24(b, v->ctag);
	if (v->desc & SEN_PFCP_OHC_STAG)
		sen_buf_put_u24(b, v->stag);
}
static void txt_ohc(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_ohc *v = f;
	char a[64];

	snprintf(out, cap, "description 0x%04x", v->desc);
	if (v->desc & SEN_PFCP_OHC_GTPU_UDP_IPV4)
		cat(out, cap, " GTP-U/UDP/IPv4");
	if (v->desc & SEN_PFCP_OHC_GTPU_UDP_IPV6)
		cat(out, cap, " GTP-U/UDP/IPv6");
	if (v->desc & OHC_TEID)
		cat(out, cap, ", TEID 0x%08" PRIx32, v->teid);
	if (v->desc & OHC_V4) {
		ip4_text(v->ipv4, a, sizeof(a));
		cat(out, cap, ", IPv4 %s", a);
	}
	if (v->desc & OHC_V6) {
		ip6_text(v->ipv6, a, sizeof(a));
		cat(out, cap, ", IPv6 %s", a);
	}
	if (v->desc & OHC_PORT)
		cat(out, cap, ", port %u", v->port);
}

/* MBR / GBR (8.2.8, 8.2.9): UL then DL, 5 octets each, kbit/s. */
static int dec_bitrate(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_bitrate *v = f;

	v->ul = (uint64_t)sen_buf_get_u8(r) << 32;
	v->ul |= sen_buf_get_u32(r);
	v->dl = (uint64_t)sen_buf_get_u8(r) << 32;
	v->dl |= sen_buf_get_u32(r);
	return done(r, 0);
}
static void enc_bitrate(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_bitrate *v = f;

	if ((v->ul | v->dl) >> 40)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, (uint8_t)(v->ul >> 32));
	sen_buf_put_u32(b, (uint32_t)v->ul);
	sen_buf_put_u8(b, (uint8_t)(v->dl >> 32));
	sen_buf_put_u32(b, (uint32_t)v->dl);
}
static void txt_bitrate(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_bitrate *v = f;

	snprintf(out, cap, "UL %" PRIu64 " kbit/s, DL %" PRIu64 " kbit/s", v->ul, v->dl);
}

/* Volume Threshold / Quota (8.2.13, 8.2.50) and Volume Measurement (8.2.44). */
static int dec_volume_any(struct sen_buf_reader *r, struct sen_pfcp_volume *v, bool meas)
{
	v->flags = sen_buf_get_u8(r) & (meas ? 0x3f : 0x07); /* spare bits ignored */
	if (v->flags & SEN_PFCP_VOL_TOVOL)
		v->total = sen_buf_get_u64(r);
	if (v->flags & SEN_PFCP_VOL_ULVOL)
		v->ul = sen_buf_get_u64(r);
	if (v->flags & SEN_PFCP_VOL_DLVOL)
		v->dl = sen_buf_get_u64(r);
	if (meas) {
		if (v->flags & SEN_PFCP_VOL_TONOP)
			v->total_pkts = sen_buf_get_u64(r);
		if (v->flags & SEN_PFCP_VOL_ULNOP)
			v->ul_pkts = sen_buf_get_u64(r);
		if (v->flags & SEN_PFCP_VOL_DLNOP)
			v->dl_pkts = sen_buf_get_u64(r);
	}
	return done(r, 0);
}
static void enc_volume_any(struct sen_buf *b, const struct sen_pfcp_volume *v, bool meas)
{
	uint8_t fl = v->flags & (meas ? 0x3f : 0x07);

	if (fl != v->flags)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, fl);
	if (fl & SEN_PFCP_VOL_TOVOL)
		sen_buf_put_u64(b, v->total);
	if (fl & SEN_PFCP_VOL_ULVOL)
		sen_buf_put_u64(b, v->ul);
	if (fl & SEN_PFCP_VOL_DLVOL)
		sen_buf_put_u64(b, v->dl);
	if (fl & SEN_PFCP_VOL_TONOP)
		sen_buf_put_u64(b, v->total_pkts);
	if (fl & SEN_PFCP_VOL_ULNOP)
		sen_buf_put_u64(b, v->ul_pkts);
	if (fl & SEN_PFCP_VOL_DLNOP)
		sen_buf_put_u64(b, v->dl_pkts);
}
static int dec_volume(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	return dec_volume_any(r, f, false);
}
static int dec_volume_meas(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	return dec_volume_any(r, f, true);
}
static void enc_volume(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	enc_volume_any(b, f, false);
}
static void enc_volume_meas(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	enc_volume_any(b, f, true);
}
static void txt_volume(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_volume *v = f;

	out[0] = 0;
	if (v->flags & SEN_PFCP_VOL_TOVOL)
		cat(out, cap, "total %" PRIu64 " octets", v->total);
	if (v->flags & SEN_PFCP_VOL_ULVOL)
		cat(out, cap, "%sUL %" PRIu64 " octets", *out ? ", " : "", v->ul);
	if (v->flags & SEN_PFCP_VOL_DLVOL)
		cat(out, cap, "%sDL %" PRIu64 " octets", *out ? ", " : "", v->dl);
	if (d->codec == PC_VOLUME_MEAS) {
		if (v->flags & SEN_PFCP_VOL_TONOP)
			cat(out, cap, "%stotal %" PRIu64 " packets", *out ? ", " : "",
			    v->total_pkts);
		if (v->flags & SEN_PFCP_VOL_ULNOP)
			cat(out, cap, "%sUL %" PRIu64 " packets", *out ? ", " : "", v->ul_pkts);
		if (v->flags & SEN_PFCP_VOL_DLNOP)
			cat(out, cap, "%sDL %" PRIu64 " packets", *out ? ", " : "", v->dl_pkts);
	}
	if (!*out)
		snprintf(out, cap, "none");
}

/* Downlink Data Service Information (8.2.27) */
static int dec_ddsi(struct sen_buf_reader *r, void *f, const struct pfcp_ie *d)
{
	struct sen_pfcp_dl_service_info *v = f;

	v->flags = sen_buf_get_u8(r);
	if (v->flags & SEN_PFCP_DDSI_PPI)
		v->ppi = sen_buf_get_u8(r) & 0x3f;
	if (v->flags & SEN_PFCP_DDSI_QFII)
		v->qfi = sen_buf_get_u8(r) & 0x3f;
	return done(r, 0);
}
static void enc_ddsi(struct sen_buf *b, const void *f, const struct pfcp_ie *d)
{
	const struct sen_pfcp_dl_service_info *v = f;

	if ((v->ppi | v->qfi) > 63)
		sen_buf_fail(b, -SEN_EINVAL);
	sen_buf_put_u8(b, v->flags);
	if (v->flags & SEN_PFCP_DDSI_PPI)
		sen_buf_put_u8(b, v->ppi);
	if (v->flags & SEN_PFCP_DDSI_QFII)
		sen_buf_put_u8(b, v->qfi);
}
static void txt_ddsi(const void *f, const struct pfcp_ie *d, char *out, size_t cap)
{
	const struct sen_pfcp_dl_service_info *v = f;

	out[0] = 0;
	if (v->flags & SEN_PFCP_DDSI_PPI)
		cat(out, cap, "PPI %u", v->ppi);
	if (v->flags & SEN_PFCP_DDSI_QFII)
		cat(out, cap, "%sQFI %u", *out ? ", " : "", v->qfi);
	if (!*out)
		snprintf(out, cap, "none");
}

const struct pfcp_codec_ops pfcp_codecs[PC_NCODECS] = {
    [PC_U8] = {dec_u8, enc_u8, txt_u8},
    [PC_U16] = {dec_u16, enc_u16, txt_u16},
    [PC_U32] = {dec_u32, enc_u32, txt_u32},
    [PC_U16W] = {dec_u16w, enc_u16w, txt_u32},
    [PC_IFACE] = {dec_low, enc_low, txt_low},
    [PC_QFI] = {dec_low, enc_low, txt_low},
    [PC_PPI] = {dec_low, enc_low, txt_low},
    [PC_PDN_TYPE] = {dec_low, enc_low, txt_low},
    [PC_CAUSE] = {dec_u8, enc_u8, txt_cause},
    [PC_IE_TYPE] = {dec_u16, enc_u16, txt_ie_type},
    [PC_RULE_ID] = {dec_u32, enc_u32, txt_rule_id},
    [PC_NTP] = {dec_u32, enc_u32, txt_ntp},
    [PC_BYTES] = {dec_bytes, enc_bytes, txt_bytes},
    [PC_LABELS] = {dec_bytes, enc_bytes, txt_labels},
    [PC_FLAGS] = {dec_flags, enc_flags, txt_flags},
    [PC_NODE_ID] = {dec_node_id, enc_node_id, txt_node_id},
    [PC_FSEID] = {dec_fseid, enc_fseid, txt_fseid},
    [PC_FTEID] = {dec_fteid, enc_fteid, txt_fteid},
    [PC_UE_IP] = {dec_ue_ip, enc_ue_ip, txt_ue_ip},
    [PC_SDF] = {dec_sdf, enc_sdf, txt_sdf},
    [PC_OHR] = {dec_ohr, enc_ohr, txt_ohr},
    [PC_OHC] = {dec_ohc, enc_ohc, txt_ohc},
    [PC_BITRATE] = {dec_bitrate, enc_bitrate, txt_bitrate},
    [PC_VOLUME] = {dec_volume, enc_volume, txt_volume},
    [PC_VOLUME_MEAS] = {dec_volume_meas, enc_volume_meas, txt_volume},
    [PC_DDSI] = {dec_ddsi, enc_ddsi, txt_ddsi},
    [PC_GATE] = {dec_gate, enc_gate, txt_gate},
    [PC_GROUP] = {NULL, NULL, NULL},
};

/* ---- helpers (pfcp.h) ---- */

uint32_t sen_pfcp_ntp_from_unix(int64_t unix_seconds)
{
	return (uint32_t)(unix_seconds + 2208988800LL);
}

int sen_pfcp_labels_encode(const char *name, uint8_t *out, size_t cap)
{
	size_t o = 0;
	const char *s = name;

	if (!name || !*name)
		return -SEN_EINVAL;
	for (;;) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		if (l == 0 || l > 63)
			return -SEN_EINVAL;
		if (o + 1 + l > cap)
			return -SEN_EMSGSIZE;
		out[o++] = (uint8_t)l;
		memcpy(out + o, s, l);
		o += l;
		if (!dot)
			break;
		s = dot + 1;
	}
	return (int)o;
}

int sen_pfcp_labels_decode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t i = 0, o = 0;

	if (cap == 0)
		return -SEN_EMSGSIZE;
	if (len == 0)
		return -SEN_EPROTO;
	while (i < len) {
		size_t l = in[i++];
		if (l == 0 || l > 63 || l > len - i)
			return -SEN_EPROTO;
		if (o + (o ? 1 : 0) + l + 1 > cap)
			return -SEN_EMSGSIZE;
		if (o)
			out[o++] = '.';
		for (size_t k = 0; k < l; k++) {
			uint8_t c = in[i + k];
			if (c <= 0x20 || c >= 0x7f || c == '.')
				return -SEN_EPROTO;
			out[o++] = (char)c;
		}
		i += l;
	}
	out[o] = 0;
	return (int)o;
}
