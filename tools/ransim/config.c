/*
 * sen-ransim configuration (ransim.yaml, docs/ransim.md): the PLMN, TAC and slices the
 * gNBs serve (the same keys as sen.yaml's global part), where the AMF is, the gNBs, and a
 * UE template from which consecutive SUPIs are made. Bound with lib/core/config schemas,
 * so every problem is reported as "file:line: key: problem" and unknown keys are errors.
 * K and OPc are bound with SEN_CFG_HEX, which never echoes them.
 */
#include "ransim.h"

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "crypto/suci.h"
#include "ngap/ngap.h"
#include "sctp/sctp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- custom scalars ------------------------------------------------------------------- */

/* S-NSSAI SD: 6 hex digits (TS 23.003 28.4.2). */
static int parse_sd(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		    const struct sen_cfg_node *n, void *dst)
{
	uint8_t b[3];
	char show[SEN_CFG_SHOW_MAX];

	if (n->type != SEN_CFG_T_SCALAR || n->len != 6 || sen_hex_decode_exact(n->str, b, 3) < 0)
		return sen_cfg_error(ctx, n, "%s must be 6 hex digits", sen_cfg_show(n, show));
	*(uint32_t *)dst = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	return 0;
}

/* SUPI of the first UE: "imsi-" and 15 digits (or just the digits). */
static int parse_supi(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		      const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX];
	const char *d = n->str;

	if (n->type == SEN_CFG_T_SCALAR && strncmp(d, "imsi-", 5) == 0)
		d += 5;
	size_t len = n->type == SEN_CFG_T_SCALAR ? strlen(d) : 0;
	if (len < 6 || len > 15 || strspn(d, "0123456789") != len)
		return sen_cfg_error(ctx, n, "%s must be imsi- followed by 6 to 15 digits",
				     sen_cfg_show(n, show));
	snprintf((char *)dst, 32, "imsi-%s", d);
	return 0;
}

/* Home network public key: 32 (Profile A), 33 or 65 (Profile B) octets in hex. */
static int parse_hn_pub(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
			const struct sen_cfg_node *n, void *dst)
{
	struct rs_config *c = (struct rs_config *)((uint8_t *)dst - offsetof(struct rs_config,
									     ue.hn_pub));
	int len = -1;

	if (n->type == SEN_CFG_T_SCALAR && n->len <= 130 && n->len % 2 == 0)
		len = sen_hex_decode(n->str, c->ue.hn_pub, sizeof(c->ue.hn_pub));
	if (len != 32 && len != 33 && len != 65)
		return sen_cfg_error(ctx, n,
				     "must be 64, 66 or 130 hex digits (a 32-octet X25519 or a "
				     "33/65-octet P-256 public key)");
	c->ue.hn_pub_len = (size_t)len;
	return 0;
}

/* ---- schema ----------------------------------------------------------------------------- */

static const char *const log_levels[] = {"off", "error", "warn", "info", "debug", "trace", NULL};
static const char *const transports[] = {"auto", "sctp", "sctp-udp", NULL};
static const int transport_values[] = {SEN_SCTP_AUTO, SEN_SCTP_KERNEL, SEN_SCTP_UDP};
static const char *const drx[] = {"v32", "v64", "v128", "v256", NULL};
static const char *const schemes[] = {"null", "a", "b", NULL};
static const int scheme_values[] = {SEN_SUCI_NULL, SEN_SUCI_PROFILE_A, SEN_SUCI_PROFILE_B};
/* TS 24.501 9.11.4.11 PDU session type of the UEs' establishment requests */
static const char *const pdu_types[] = {"ipv4", "ipv6", "ipv4v6", NULL};
static const int pdu_type_values[] = {SEN_NAS_PDU_IPV4, SEN_NAS_PDU_IPV6, SEN_NAS_PDU_IPV4V6};

static const struct sen_cfg_field plmn_schema[] = {
	{.key = "mcc", .kind = SEN_CFG_DIGITS, .flags = SEN_CFG_REQUIRED,
	 SEN_CFG_AT(struct sen_cfg_plmn, mcc), .min = 3, .max = 3},
	{.key = "mnc", .kind = SEN_CFG_DIGITS, .flags = SEN_CFG_REQUIRED,
	 SEN_CFG_AT(struct sen_cfg_plmn, mnc), .min = 2, .max = 3},
	SEN_CFG_END,
};

static const struct sen_cfg_field slice_schema[] = {
	{.key = "sst", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	 SEN_CFG_AT(struct rs_slice, sst), .min = 0, .max = 255},
	{.key = "sd", .kind = SEN_CFG_CUSTOM, SEN_CFG_AT(struct rs_slice, sd), .parse = parse_sd,
	 .def = "ffffff"},
	SEN_CFG_END,
};
static const struct sen_cfg_field slice_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct rs_slice), .sub = slice_schema,
};

static const struct sen_cfg_field log_schema[] = {
	{.key = "level", .kind = SEN_CFG_ENUM, SEN_CFG_AT(struct rs_config, log_level),
	 .choices = log_levels, .def = "warn"},
	SEN_CFG_END,
};

#define A(m) SEN_CFG_AT(struct rs_config, m)

static const struct sen_cfg_field amf_schema[] = {
	{.key = "addr", .kind = SEN_CFG_IP, .flags = SEN_CFG_REQUIRED | SEN_CFG_V4, A(amf.addr)},
	{.key = "port", .kind = SEN_CFG_INT, A(amf.port), .min = 1, .max = 65535, .def = "38412"},
	{.key = "transport", .kind = SEN_CFG_ENUM, A(amf.transport), .choices = transports,
	 .values = transport_values, .def = "auto"},
	{.key = "udp_port", .kind = SEN_CFG_INT, A(amf.udp_port), .min = 1, .max = 65535,
	 .def = "9899"},
	{.key = "connect_timeout_ms", .kind = SEN_CFG_INT, A(amf.connect_timeout_ms), .min = 100,
	 .max = 600000, .def = "3000"},
	SEN_CFG_END,
};

static const struct sen_cfg_field gnb_schema[] = {
	{.key = "id", .kind = SEN_CFG_INT, A(gnb.id), .min = 0, .max = 0xffffffff, .def = "1"},
	{.key = "id_bits", .kind = SEN_CFG_INT, A(gnb.id_bits), .min = 22, .max = 32, .def = "32"},
	{.key = "name", .kind = SEN_CFG_STR, A(gnb.name), .min = 1, .def = "sen-gnb"},
	{.key = "count", .kind = SEN_CFG_INT, A(gnb.count), .min = 1, .max = RS_MAX_GNBS,
	 .def = "1"},
	{.key = "cell", .kind = SEN_CFG_INT, A(gnb.cell), .min = 0, .max = 1023, .def = "1"},
	{.key = "paging_drx", .kind = SEN_CFG_ENUM, A(gnb.paging_drx), .choices = drx,
	 .def = "v128"},
	{.key = "streams", .kind = SEN_CFG_INT, A(gnb.streams), .min = 2, .max = 1024,
	 .def = "16"},
	{.key = "udp_port", .kind = SEN_CFG_INT, A(gnb.udp_port), .min = 1, .max = 65535,
	 .def = "9898"},
	{.key = "sctp_sndbuf", .kind = SEN_CFG_INT, A(gnb.sctp_sndbuf), .min = 1024,
	 .max = 1 << 30, .def = "4194304"},
	{.key = "n3", .kind = SEN_CFG_IP, .flags = SEN_CFG_V4, A(gnb.n3), .def = "127.0.0.1"},
	{.key = "gtpu_port", .kind = SEN_CFG_INT, A(gnb.gtpu_port), .min = 1, .max = 65535,
	 .def = "2152"},
	{.key = "upf_port", .kind = SEN_CFG_INT, A(gnb.upf_port), .min = 1, .max = 65535,
	 .def = "2152"},
	SEN_CFG_END,
};

static const struct sen_cfg_field suci_schema[] = {
	{.key = "scheme", .kind = SEN_CFG_ENUM, A(ue.suci_scheme), .choices = schemes,
	 .values = scheme_values, .def = "null"},
	{.key = "key_id", .kind = SEN_CFG_INT, A(ue.hn_key_id), .min = 0, .max = 255, .def = "0"},
	{.key = "public_key", .kind = SEN_CFG_CUSTOM, A(ue.hn_pub), .parse = parse_hn_pub},
	{.key = "routing_indicator", .kind = SEN_CFG_DIGITS, A(ue.routing_indicator), .min = 1,
	 .max = 4, .def = "0"},
	SEN_CFG_END,
};

static const struct sen_cfg_field ue_schema[] = {
	{.key = "supi", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED, A(ue.supi),
	 .parse = parse_supi},
	{.key = "k", .kind = SEN_CFG_HEX, .flags = SEN_CFG_REQUIRED, A(ue.k)},
	{.key = "opc", .kind = SEN_CFG_HEX, A(ue.opc_in)},
	{.key = "op", .kind = SEN_CFG_HEX, A(ue.op)},
	{.key = "amf", .kind = SEN_CFG_HEX, A(ue.amf), .def = "8000"},
	{.key = "sqn", .kind = SEN_CFG_INT, A(ue.sqn), .min = 0, .max = 0xffffffffffffLL,
	 .def = "0"},
	{.key = "suci", .kind = SEN_CFG_MAP, .sub = suci_schema},
	{.key = "dnn", .kind = SEN_CFG_STR, A(ue.dnn), .min = 1, .def = "internet"},
	{.key = "pdu_type", .kind = SEN_CFG_ENUM, A(ue.pdu_type), .choices = pdu_types,
	 .values = pdu_type_values, .def = "ipv4"},
	{.key = "imeisv", .kind = SEN_CFG_DIGITS, A(ue.imeisv), .min = 16, .max = 16},
	SEN_CFG_END,
};

static const struct sen_cfg_field root_schema[] = {
	{.key = "plmn", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED, A(plmn),
	 .sub = plmn_schema},
	{.key = "tac", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED, A(tac), .min = 0,
	 .max = 0xffffff},
	{.key = "slices", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	 SEN_CFG_LIST_AT(struct rs_config, slices, n_slices), .min = 1, .elem = &slice_elem},
	{.key = "log", .kind = SEN_CFG_MAP, .sub = log_schema},
	{.key = "amf", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED, .sub = amf_schema},
	{.key = "gnb", .kind = SEN_CFG_MAP, .sub = gnb_schema},
	{.key = "ue", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED, .sub = ue_schema},
	{.key = "tun", .kind = SEN_CFG_BOOL, A(tun), .def = "false"},
	{.key = "tun_prefix", .kind = SEN_CFG_STR, A(tun_prefix), .min = 1, .def = "uesimtun"},
	{.key = "procedure_timeout_ms", .kind = SEN_CFG_INT, A(procedure_timeout_ms), .min = 100,
	 .max = 3600000, .def = "20000"},
	SEN_CFG_END,
};

#undef A

/* ---- checks across keys ------------------------------------------------------------------ */

static int problem(const struct sen_config *sc, const struct sen_cfg_node *n, const char *key,
		  const char *what, char *err, size_t errlen)
{
	if (n)
		snprintf(err, errlen, "%s:%u: %s: %s", sc->file, n->line, key, what);
	else
		snprintf(err, errlen, "%s: %s: %s", sc->file, key, what);
	return -SEN_ECONFIG;
}

static int cross_check(const struct sen_config *sc, struct rs_config *c, char *err,
		       size_t errlen)
{
	const struct sen_cfg_node *ue = sen_cfg_map_get(sc->root, "ue");
	const struct sen_cfg_node *opc = sen_cfg_map_get(ue, "opc");
	const struct sen_cfg_node *op = sen_cfg_map_get(ue, "op");
	const struct sen_cfg_node *suci = sen_cfg_map_get(ue, "suci");
	const struct sen_cfg_node *gnb = sen_cfg_map_get(sc->root, "gnb");

	if (opc && op)
		return problem(sc, op, "ue.op", "give either opc or op, not both", err, errlen);
	if (!opc && !op)
		return problem(sc, ue, "ue", "opc (or op) is missing", err, errlen);
	c->ue.op_is_opc = opc != NULL;
	if (opc)
		memcpy(c->ue.op, c->ue.opc_in, 16);
	memset(c->ue.opc_in, 0, 16);
	if (c->ue.suci_scheme != SEN_SUCI_NULL && !c->ue.hn_pub_len)
		return problem(sc, sen_cfg_map_get(suci, "scheme"), "ue.suci.public_key",
			       "is required with scheme a or b", err, errlen);
	if (c->ue.suci_scheme == SEN_SUCI_PROFILE_A && c->ue.hn_pub_len != 32)
		return problem(sc, sen_cfg_map_get(suci, "public_key"), "ue.suci.public_key",
			       "scheme a needs a 32-octet X25519 key", err, errlen);
	if (c->ue.suci_scheme == SEN_SUCI_PROFILE_B && c->ue.hn_pub_len == 32)
		return problem(sc, sen_cfg_map_get(suci, "public_key"), "ue.suci.public_key",
			       "scheme b needs a 33- or 65-octet P-256 key", err, errlen);
	if (c->gnb.id_bits < 32 && (c->gnb.id >> c->gnb.id_bits) != 0)
		return problem(sc, sen_cfg_map_get(gnb, "id"), "gnb.id",
			       "does not fit in id_bits bits", err, errlen);
	if (c->gnb.id_bits < 32 &&
	    ((uint64_t)c->gnb.id + c->gnb.count - 1) >> c->gnb.id_bits != 0)
		return problem(sc, sen_cfg_map_get(gnb, "count"), "gnb.count",
			       "the last gNB's id does not fit in id_bits bits", err, errlen);
	if (c->gnb.cell >> (36 - c->gnb.id_bits) != 0)
		return problem(sc, sen_cfg_map_get(gnb, "cell"), "gnb.cell",
			       "does not fit in the 36 - id_bits bits of the NR cell identity", err,
			       errlen);
	return 0;
}

int rs_config_load(const char *path, struct rs_config *c, char *err, size_t errlen)
{
	struct sen_config *sc = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "rb");
	int rc;

	memset(c, 0, sizeof(*c));
	snprintf(c->file, sizeof(c->file), "%s", path);
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -SEN_EIO;
	}
	text = malloc(SEN_CFG_MAX_FILE + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -SEN_ENOMEM;
	}
	len = fread(text, 1, SEN_CFG_MAX_FILE + 1, f);
	fclose(f);
	if (len > SEN_CFG_MAX_FILE) {
		free(text);
		snprintf(err, errlen, "%s: larger than %d bytes", path, SEN_CFG_MAX_FILE);
		return -SEN_ECONFIG;
	}
	/* the tree only: ransim.yaml has its own top level (gnb, ue ...), bound below */
	rc = sen_config_parse(path, text, len, SEN_CONFIG_TREE_ONLY, &sc, err, errlen);
	free(text);
	if (rc < 0)
		return rc;
	rc = sen_cfg_bind(sc, sc->root, "", root_schema, c, err, errlen);
	if (rc == 0)
		rc = cross_check(sc, c, err, errlen);
	sen_config_free(sc);
	if (rc < 0)
		memset(c->ue.k, 0, sizeof(c->ue.k)), memset(c->ue.op, 0, sizeof(c->ue.op));
	return rc;
}
