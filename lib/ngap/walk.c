/*
 * Printing decoded NGAP values: one walk over the lib/asn descriptors, so every message,
 * IE and transfer described in the tables prints without per-message code. Leaves are
 * formatted by type where TS 38.413 gives the octets a meaning: PLMN identity as MCC-MNC
 * (9.3.3.5), transport layer address as IPv4/IPv6 (9.3.2.4), ENUMERATED values by name;
 * OCTET STRINGs holding transfers (9.3.4) are decoded and walked in place, and the
 * caller may print NAS-PDUs (9.3.3.4) itself through the visitor's octets hook.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "ngap/ngap_int.h"

#define WALK_DEPTH 48

/* ---- ENUMERATED value names ---------------------------------------------------------------- */

static const char *const criticality_names[] = {"reject", "ignore", "notify"};
static const char *const trigger_names[] = {"initiating-message", "successful-outcome",
					    "unsuccessful-outcome"};
static const char *const type_of_error_names[] = {"not-understood", "missing"};
static const char *const rrc_cause_names[] = {
    "emergency",	"highPriorityAccess", "mt-Access",	   "mo-Signalling",
    "mo-Data",		"mo-VoiceCall",	      "mo-VideoCall",	   "mo-SMS",
    "mps-PriorityAccess", "mcs-PriorityAccess", "notAvailable", "mo-ExceptionData"};
static const char *const pdu_type_names[] = {"ipv4", "ipv6", "ipv4v6", "ethernet",
					     "unstructured"};
static const char *const drx_names[] = {"v32", "v64", "v128", "v256"};
static const char *const ttw_names[] = {"v1s", "v2s", "v5s", "v10s", "v20s", "v60s"};
static const char *const rrc_state_names[] = {"inactive", "connected"};
static const char *const cause_tr_names[] = {"transport-resource-unavailable", "unspecified"};
static const char *const cause_nas_names[] = {"normal-release", "authentication-failure",
					      "deregister", "unspecified",
					      "uE-not-in-PLMN-serving-area"};
static const char *const cause_proto_names[] = {
    "transfer-syntax-error",
    "abstract-syntax-error-reject",
    "abstract-syntax-error-ignore-and-notify",
    "message-not-compatible-with-receiver-state",
    "semantic-error",
    "abstract-syntax-error-falsely-constructed-message",
    "unspecified"};
static const char *const cause_misc_names[] = {"control-processing-overload",
					       "not-enough-user-plane-processing-resources",
					       "hardware-failure",
					       "om-intervention",
					       "unknown-PLMN-or-SNPN",
					       "unspecified"};
static const char *const cause_rn_names[] = {
    "unspecified",
    "txnrelocoverall-expiry",
    "successful-handover",
    "release-due-to-ngran-generated-reason",
    "release-due-to-5gc-generated-reason",
    "handover-cancelled",
    "partial-handover",
    "ho-failure-in-target-5GC-ngran-node-or-target-system",
    "ho-target-not-allowed",
    "tngrelocoverall-expiry",
    "tngrelocprep-expiry",
    "cell-not-available",
    "unknown-targetID",
    "no-radio-resources-available-in-target-cell",
    "unknown-local-UE-NGAP-ID",
    "inconsistent-remote-UE-NGAP-ID",
    "handover-desirable-for-radio-reason",
    "time-critical-handover",
    "resource-optimisation-handover",
    "reduce-load-in-serving-cell",
    "user-inactivity",
    "radio-connection-with-ue-lost",
    "radio-resources-not-available",
    "invalid-qos-combination",
    "failure-in-radio-interface-procedure",
    "interaction-with-other-procedure",
    "unknown-PDU-session-ID",
    "unkown-qos-flow-ID",
    "multiple-PDU-session-ID-instances",
    "multiple-qos-flow-ID-instances",
    "encryption-and-or-integrity-protection-algorithms-not-supported",
    "ng-intra-system-handover-triggered",
    "ng-inter-system-handover-triggered",
    "xn-handover-triggered",
    "not-supported-5QI-value",
    "ue-context-transfer",
    "ims-voice-eps-fallback-or-rat-fallback-triggered",
    "up-integrity-protection-not-possible",
    "up-confidentiality-protection-not-possible",
    "slice-not-supported",
    "ue-in-rrc-inactive-state-not-reachable",
    "redirection",
    "resources-not-available-for-the-slice",
    "ue-max-integrity-protected-data-rate-reason",
    "release-due-to-cn-detected-mobility",
    "n26-interface-not-available",
    "release-due-to-pre-emption",
    "multiple-location-reporting-reference-ID-instances",
    "rsn-not-available-for-the-up",
    "npn-access-denied",
    "cag-only-access-denied",
    "insufficient-ue-capabilities",
    "redcap-ue-not-supported",
    "unknown-MBS-Session-ID",
    "indicated-MBS-session-area-information-not-served-by-the-gNB",
    "inconsistent-slice-info-for-the-session",
    "misaligned-association-for-multicast-unicast"};

#define NAMES(t, a) {&(t), a, NGAP_N(a)}
static const struct {
	const struct sen_asn_type *t;
	const char *const *names;
	unsigned n;
} enum_names[] = {
    NAMES(ngap_t_criticality, criticality_names),
    NAMES(ngap_t_triggering_message, trigger_names),
    NAMES(ngap_t_type_of_error, type_of_error_names),
    NAMES(ngap_t_rrc_cause, rrc_cause_names),
    NAMES(ngap_t_pdu_session_type, pdu_type_names),
    NAMES(ngap_t_paging_drx, drx_names),
    NAMES(ngap_t_time_to_wait, ttw_names),
    NAMES(ngap_t_rrc_state, rrc_state_names),
    NAMES(ngap_t_cause_rn, cause_rn_names),
    NAMES(ngap_t_cause_tr, cause_tr_names),
    NAMES(ngap_t_cause_nas, cause_nas_names),
    NAMES(ngap_t_cause_proto, cause_proto_names),
    NAMES(ngap_t_cause_misc, cause_misc_names),
};

const char *ngap_enum_name(const struct sen_asn_type *t, unsigned v)
{
	for (unsigned i = 0; i < NGAP_N(enum_names); i++)
		if (enum_names[i].t == t)
			return v < enum_names[i].n ? enum_names[i].names[v] : NULL;
	return NULL;
}

/* ---- the walk ------------------------------------------------------------------------------- */

struct walker {
	const struct sen_ngap_visitor *v;
	void *arg;
	struct sen_asn_ctx *ctx;
	const struct sen_asn_ctx *found; /* the decode's findings for the value being walked
					    (mandatory IEs missing), or NULL */
	int rc;
};

/* A mandatory IE the decoder found absent: its field holds no value, so it is not shown. */
static bool missing(const struct walker *w, const struct sen_asn_type *container, uint32_t id)
{
	for (unsigned i = 0; w->found && i < w->found->ndiag; i++) {
		const struct sen_asn_diag *d = &w->found->diag[i];
		if (d->kind == SEN_ASN_MISSING && d->container == container && d->id == id)
			return true;
	}
	return false;
}

static int64_t load_int(const struct sen_asn_type *t, const void *p, bool *neg)
{
	bool sgn = t->kind == SEN_ASN_INTEGER && (!(t->flags & SEN_ASN_HAS_LB) || t->lb < 0);
	int64_t v = 0;
	switch (t->size) {
	case 1:
		v = sgn ? *(const int8_t *)p : *(const uint8_t *)p;
		break;
	case 2:
		v = sgn ? *(const int16_t *)p : *(const uint16_t *)p;
		break;
	case 4:
		v = sgn ? *(const int32_t *)p : (int64_t) * (const uint32_t *)p;
		break;
	case 8:
		v = *(const int64_t *)p;
		break;
	}
	*neg = sgn && v < 0;
	return v;
}

/* hex of len octets into a malloc'ed string (NULL on failure) */
static char *hex_of(const uint8_t *p, size_t len)
{
	char *s = malloc(2 * len + 1);
	if (s)
		sen_hex_encode(p, len, s);
	return s;
}

static void leaf(struct walker *w, const char *name, const char *text)
{
	w->v->value(w->arg, name, text);
}

static void leaf_hex(struct walker *w, const char *name, const uint8_t *p, size_t len,
		     const char *suffix)
{
	char *h = hex_of(p, len);
	if (!h) {
		w->rc = -SEN_ENOMEM;
		return;
	}
	if (suffix && *suffix) {
		size_t n = strlen(h) + strlen(suffix) + 2;
		char *s = malloc(n);
		if (s) {
			snprintf(s, n, "%s %s", h, suffix);
			leaf(w, name, s);
			free(s);
		} else {
			w->rc = -SEN_ENOMEM;
		}
	} else {
		leaf(w, name, h);
	}
	free(h);
}

static void walk(struct walker *w, const struct sen_asn_type *t, const void *v, const char *name,
		 unsigned depth);

static void walk_bits(struct walker *w, const struct sen_asn_type *t, const struct sen_asn_bits *b,
		      const char *name)
{
	char s[128];
	if (t == &ngap_t_tla && (b->nbits == 32 || b->nbits == 128 || b->nbits == 160)) {
		char a4[INET_ADDRSTRLEN] = "", a6[INET6_ADDRSTRLEN] = "";
		if (b->nbits != 128)
			inet_ntop(AF_INET, b->data, a4, sizeof(a4));
		if (b->nbits != 32)
			inet_ntop(AF_INET6, b->data + (b->nbits == 160 ? 4 : 0), a6, sizeof(a6));
		snprintf(s, sizeof(s), "%s%s%s", a4, *a4 && *a6 ? " " : "", a6);
		leaf(w, name, s);
		return;
	}
	if (b->nbits <= 64) {
		snprintf(s, sizeof(s), "0x%" PRIx64 " (%u bits)", sen_ngap_bits_value(b), b->nbits);
		leaf(w, name, s);
		return;
	}
	snprintf(s, sizeof(s), "(%u bits)", b->nbits);
	leaf_hex(w, name, b->data, (b->nbits + 7) / 8, s);
}

static void walk_octets(struct walker *w, const struct sen_asn_type *t,
			const struct sen_asn_octets *o, const char *name, unsigned depth)
{
	char s[200];
	if (t->kind != SEN_ASN_OCTET_STRING) { /* character strings */
		snprintf(s, sizeof(s), "\"%.*s\"", o->len > 150 ? 150 : (int)o->len,
			 o->len ? (const char *)o->data : "");
		leaf(w, name, s);
		return;
	}
	if (t == &ngap_t_plmn && o->len == 3) {
		char mcc[4], mnc[4];
		if (sen_ngap_plmn_decode(o->data, mcc, mnc) == 0) {
			snprintf(s, sizeof(s), "%s-%s (%02x%02x%02x)", mcc, mnc, o->data[0],
				 o->data[1], o->data[2]);
			leaf(w, name, s);
			return;
		}
	}
	if (w->v->octets && w->v->octets(w->arg, name, o->data, o->len))
		return;
	const struct sen_asn_type *tr = ngap_contained_transfer(t);
	if (tr && w->ctx && o->len) {
		void *val = sen_asn_arena_alloc(w->ctx->arena, tr->size);
		if (!val) {
			w->rc = -SEN_ENOMEM;
			return;
		}
		/* a private context: the transfer's diagnostics must not replace the PDU's */
		struct sen_asn_ctx sub;
		sen_asn_ctx_init(&sub, w->ctx->arena, w->ctx->flags);
		int n = sen_asn_decode(tr, val, o->data, o->len, &sub);
		if (n >= 0) {
			const struct sen_asn_ctx *outer = w->found;
			w->found = &sub;
			walk(w, tr, val, name, depth + 1);
			w->found = outer;
			return;
		}
		char where[160];
		sen_asn_ctx_where(&sub, where, sizeof(where));
		snprintf(s, sizeof(s), "(undecodable %s: %s at %s)", tr->name, sen_strerror(n),
			 where);
		leaf_hex(w, name, o->data, o->len, s);
		return;
	}
	leaf_hex(w, name, o->data, o->len, NULL);
}

static const void *member_value(const struct sen_asn_member *m, const void *parent)
{
	const char *p = (const char *)parent + m->offset;
	if (m->flags & SEN_ASN_PTR) {
		const void *ptr;
		memcpy(&ptr, p, sizeof(ptr));
		return ptr;
	}
	if ((m->flags & (SEN_ASN_OPTIONAL | SEN_ASN_EXTADD)) && m->present &&
	    !*(const bool *)((const char *)parent + m->present - 1))
		return NULL;
	return p;
}

static void walk_ies(struct walker *w, const struct sen_asn_type *t, const void *v,
		     unsigned depth)
{
	char nm[160];
	for (uint32_t i = 0; i < t->nmembers && !w->rc; i++) {
		const struct sen_asn_member *m = &t->members[i];
		const void *mv = member_value(m, v);
		if (!mv || (!(m->flags & SEN_ASN_OPTIONAL) && missing(w, t, m->id)))
			continue;
		snprintf(nm, sizeof(nm), "%s", m->name);
		walk(w, m->type, mv, nm, depth + 1);
	}
	if (!t->raw_off)
		return;
	const sen_asn_raw_ies *raw = (const void *)((const char *)v + t->raw_off - 1);
	for (uint32_t i = 0; i < raw->count && !w->rc; i++) {
		const struct sen_asn_raw_ie *ie = &raw->items[i];
		snprintf(nm, sizeof(nm), "IE %u (not understood, criticality %s)", ie->id,
			 ie->criticality < 3 ? criticality_names[ie->criticality] : "?");
		leaf_hex(w, nm, ie->data, ie->len, NULL);
	}
}

static void walk(struct walker *w, const struct sen_asn_type *t, const void *v, const char *name,
		 unsigned depth)
{
	char s[160];
	bool neg;

	if (w->rc)
		return;
	if (depth > WALK_DEPTH) {
		leaf(w, name, "(too deep)");
		return;
	}
	switch (t->kind) {
	case SEN_ASN_NULL:
		leaf(w, name, "NULL");
		return;
	case SEN_ASN_BOOLEAN:
		leaf(w, name, *(const bool *)v ? "true" : "false");
		return;
	case SEN_ASN_INTEGER: {
		int64_t x = load_int(t, v, &neg);
		if (neg)
			snprintf(s, sizeof(s), "%" PRId64, x);
		else
			snprintf(s, sizeof(s), "%" PRIu64, (uint64_t)x);
		leaf(w, name, s);
		return;
	}
	case SEN_ASN_ENUMERATED: {
		unsigned x = (unsigned)load_int(t, v, &neg);
		const char *en = ngap_enum_name(t, x);
		if (en)
			snprintf(s, sizeof(s), "%s (%u)", en, x);
		else
			snprintf(s, sizeof(s), "%u", x);
		leaf(w, name, s);
		return;
	}
	case SEN_ASN_BIT_STRING:
		walk_bits(w, t, v, name);
		return;
	case SEN_ASN_OCTET_STRING:
	case SEN_ASN_PRINTABLE_STRING:
	case SEN_ASN_VISIBLE_STRING:
	case SEN_ASN_IA5_STRING:
	case SEN_ASN_UTF8_STRING:
		walk_octets(w, t, v, name, depth);
		return;
	case SEN_ASN_SEQUENCE:
		w->v->open(w->arg, name, false);
		/* a message (SEQUENCE { protocolIEs }): its IEs inline. Not a SEQUENCE whose
		   only component is an iE-Extensions pointer (found by fuzz_ngap) */
		if (t->nmembers == 1 && t->members[0].type->kind == SEN_ASN_IE_CONTAINER &&
		    t->members[0].offset == 0 && !(t->members[0].flags & SEN_ASN_PTR)) {
			walk_ies(w, t->members[0].type, v, depth);
		} else {
			for (uint32_t i = 0; i < t->nmembers && !w->rc; i++) {
				const void *mv = member_value(&t->members[i], v);
				if (mv)
					walk(w, t->members[i].type, mv, t->members[i].name,
					     depth + 1);
			}
		}
		w->v->close(w->arg);
		return;
	case SEN_ASN_SEQUENCE_OF: {
		const struct sen_asn_list *l = v;
		w->v->open(w->arg, name, true);
		for (uint32_t i = 0; i < l->count && !w->rc; i++)
			walk(w, t->elem, (const char *)l->items + (size_t)i * t->elem->size, NULL,
			     depth + 1);
		w->v->close(w->arg);
		return;
	}
	case SEN_ASN_CHOICE: {
		uint32_t idx = *(const uint32_t *)((const char *)v + t->index_off);
		if (idx < t->nmembers) {
			const struct sen_asn_member *m = &t->members[idx];
			w->v->open(w->arg, name, false);
			walk(w, m->type, (const char *)v + m->offset, m->name, depth + 1);
			w->v->close(w->arg);
		} else if (t->raw_off) {
			const struct sen_asn_octets *raw =
			    (const void *)((const char *)v + t->raw_off - 1);
			snprintf(s, sizeof(s), "(extension alternative %u)", idx - t->nroot);
			leaf_hex(w, name, raw->data, raw->len, s);
		} else {
			leaf(w, name, "(unknown alternative)");
		}
		return;
	}
	case SEN_ASN_OPEN_TYPE: {
		const struct sen_asn_open *o = v;
		if (o->type && o->value)
			walk(w, o->type, o->value, name, depth + 1);
		else
			leaf_hex(w, name, o->data, o->len, "(not decoded)");
		return;
	}
	case SEN_ASN_IE_CONTAINER:
		w->v->open(w->arg, name, false);
		walk_ies(w, t, v, depth);
		w->v->close(w->arg);
		return;
	}
	leaf(w, name, "(?)");
}

int sen_ngap_walk_value(const struct sen_asn_type *t, const void *value,
			const struct sen_ngap_visitor *v, void *arg, struct sen_asn_ctx *ctx)
{
	struct walker w = {.v = v, .arg = arg, .ctx = ctx, .rc = 0};
	walk(&w, t, value, t->name, 0);
	return w.rc;
}

int sen_ngap_walk(const struct sen_ngap_pdu *pdu, const struct sen_ngap_visitor *v, void *arg,
		  struct sen_asn_ctx *ctx)
{
	static const char *const kinds[] = {"initiatingMessage", "successfulOutcome",
					    "unsuccessfulOutcome"};
	struct walker w = {.v = v, .arg = arg, .ctx = ctx, .found = ctx, .rc = 0};
	char s[96];

	if (pdu->present > SEN_NGAP_UNSUCCESSFUL) {
		snprintf(s, sizeof(s), "(NGAP-PDU extension alternative %u)", pdu->present - 3);
		leaf_hex(&w, "NGAP-PDU", pdu->unknown_alternative.data, pdu->unknown_alternative.len,
			 s);
		return w.rc;
	}
	v->open(arg, kinds[pdu->present], false);
	snprintf(s, sizeof(s), "%u (%s)", pdu->msg.procedure_code,
		 sen_ngap_procedure_name(pdu->msg.procedure_code));
	v->value(arg, "procedureCode", s);
	v->value(arg, "criticality",
		 pdu->msg.criticality < 3 ? criticality_names[pdu->msg.criticality] : "?");
	if (pdu->msg.value.type && pdu->msg.value.value)
		walk(&w, pdu->msg.value.type, pdu->msg.value.value, pdu->msg.value.type->name, 1);
	else
		leaf_hex(&w, "value", pdu->msg.value.data, pdu->msg.value.len,
			 "(message not known to lib/ngap)");
	v->close(arg);
	return w.rc;
}
