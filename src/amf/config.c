/*
 * The `amf` section of sen.yaml (docs/configuration.md, "amf"): one schema table bound by
 * lib/core, so every problem is reported as "file:line: amf.key: what is wrong".
 */
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "core/err.h"
#include "gmm.h"
#include "ngap/ngap.h"
#include "sctp/sctp.h"

/* amf.slices[].sd: 6 hex digits (TS 23.003 28.4.2). */
static int parse_sd(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		    const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX];
	uint32_t v = 0;

	if (n->type != SEN_CFG_T_SCALAR || n->len != 6)
		goto bad;
	for (size_t i = 0; i < 6; i++) {
		char c = n->str[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			goto bad;
		v = v << 4 | d;
	}
	memcpy(dst, &v, sizeof(v));
	return 0;
bad:
	return sen_cfg_error(ctx, n, "%s is not an SD (6 hex digits, like 000001)",
			     sen_cfg_show(n, show));
}

/* clang-format off */
static const char *const transports[] = { "auto", "sctp", "sctp-udp", NULL };
static const int transport_ids[] = { SEN_SCTP_AUTO, SEN_SCTP_KERNEL, SEN_SCTP_UDP };
static const char *const nia_names[] = { "nia0", "nia1", "nia2", "nia3", NULL };
static const char *const nea_names[] = { "nea0", "nea1", "nea2", "nea3", NULL };
/* TS 38.413 9.3.1.56 TimeToWait: v1s, v2s, v5s, v10s, v20s, v60s */
static const char *const ttw_names[] = { "1", "2", "5", "10", "20", "60", NULL };

static const struct sen_cfg_field ngap_schema[] = {
	{ .key = "addr", .kind = SEN_CFG_IP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct amf_config, ngap.addr) },
	{ .key = "port", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, ngap.port),
	  .min = 1, .max = 65535, .def = "38412" },
	{ .key = "transport", .kind = SEN_CFG_ENUM, SEN_CFG_AT(struct amf_config, ngap.transport),
	  .choices = transports, .values = transport_ids, .def = "auto" },
	{ .key = "udp_port", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, ngap.udp_port),
	  .min = 1, .max = 65535, .def = "9899" },
	/* lib/sctp sndbuf (docs/sctp.md, Send space); past it downlink PDUs wait in the gNB's
	   send queue (ngap-path.c) */
	{ .key = "sndbuf", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, ngap.sndbuf),
	  .min = 4096, .max = 1073741824, .def = "4194304" },
	SEN_CFG_END,
};

/* TS 23.003 2.10.1: AMF Region ID 8 bits, AMF Set ID 10 bits, AMF Pointer 6 bits. */
static const struct sen_cfg_field guami_schema[] = {
	{ .key = "region", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct amf_config, guami.region), .min = 0, .max = 255 },
	{ .key = "set", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct amf_config, guami.set), .min = 0, .max = 1023 },
	{ .key = "pointer", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct amf_config, guami.pointer), .min = 0, .max = 63 },
	SEN_CFG_END,
};

static const struct sen_cfg_field nia_elem = {
	.kind = SEN_CFG_ENUM, SEN_CFG_ELEM(int), .choices = nia_names,
};
static const struct sen_cfg_field nea_elem = {
	.kind = SEN_CFG_ENUM, SEN_CFG_ELEM(int), .choices = nea_names,
};

static const struct sen_cfg_field security_schema[] = {
	{ .key = "integrity", .kind = SEN_CFG_LIST, .min = 1,
	  SEN_CFG_LIST_AT(struct amf_config, security.integrity, security.n_integrity),
	  .elem = &nia_elem },
	{ .key = "ciphering", .kind = SEN_CFG_LIST, .min = 1,
	  SEN_CFG_LIST_AT(struct amf_config, security.ciphering, security.n_ciphering),
	  .elem = &nea_elem },
	SEN_CFG_END,
};

static const struct sen_cfg_field tac_elem = {
	.kind = SEN_CFG_INT, SEN_CFG_ELEM(uint32_t), .min = 0, .max = 0xffffff,
};

static const struct sen_cfg_field slice_schema[] = {
	{ .key = "sst", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct sen_cfg_slice, sst), .min = 0, .max = 255 },
	{ .key = "sd", .kind = SEN_CFG_CUSTOM, SEN_CFG_AT(struct sen_cfg_slice, sd),
	  .parse = parse_sd, .def = "ffffff" },
	SEN_CFG_END,
};
static const struct sen_cfg_field slice_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct sen_cfg_slice), .sub = slice_schema,
};

/* TS 24.501 table 10.2.2: T3550, T3560, T3570, T3522 are 6 s. Milliseconds here. */
static const struct sen_cfg_field timers_schema[] = {
	{ .key = "t3550", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, timers.t3550),
	  .min = 10, .max = 600000, .def = "6000" },
	{ .key = "t3560", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, timers.t3560),
	  .min = 10, .max = 600000, .def = "6000" },
	{ .key = "t3570", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, timers.t3570),
	  .min = 10, .max = 600000, .def = "6000" },
	{ .key = "t3522", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, timers.t3522),
	  .min = 10, .max = 600000, .def = "6000" },
	/* TS 24.501 5.3.7: the mobile reachable timer, by default 4 minutes greater than
	   T3512 (0: that default), and the implicit de-registration timer, by default 4
	   minutes; milliseconds, up to 24 days */
	{ .key = "mobile_reachable", .kind = SEN_CFG_INT,
	  SEN_CFG_AT(struct amf_config, timers.mobile_reachable), .min = 0,
	  .max = 2073600000, .def = "0" },
	{ .key = "implicit_dereg", .kind = SEN_CFG_INT,
	  SEN_CFG_AT(struct amf_config, timers.implicit_dereg), .min = 10,
	  .max = 2073600000, .def = "240000" },
	SEN_CFG_END,
};

static const struct sen_cfg_field network_name_schema[] = {
	{ .key = "full", .kind = SEN_CFG_STR, SEN_CFG_AT(struct amf_config, network_name.full),
	  .min = 1 },
	{ .key = "short", .kind = SEN_CFG_STR,
	  SEN_CFG_AT(struct amf_config, network_name.short_), .min = 1 },
	SEN_CFG_END,
};

static const struct sen_cfg_field amf_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct amf_config, sbi) },
	{ .key = "ngap", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED,
	  .offset = 0, .size = sizeof(struct amf_config), .sub = ngap_schema },
	{ .key = "guami", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED,
	  .offset = 0, .size = sizeof(struct amf_config), .sub = guami_schema },
	{ .key = "security", .kind = SEN_CFG_MAP,
	  .offset = 0, .size = sizeof(struct amf_config), .sub = security_schema },
	{ .key = "name", .kind = SEN_CFG_STR, SEN_CFG_AT(struct amf_config, name), .min = 1,
	  .max = 63, .def = "sen-amf" },
	{ .key = "tac", .kind = SEN_CFG_LIST, .min = 1,
	  SEN_CFG_LIST_AT(struct amf_config, tac, n_tac), .elem = &tac_elem },
	{ .key = "slices", .kind = SEN_CFG_LIST, .min = 1,
	  SEN_CFG_LIST_AT(struct amf_config, slices, n_slices), .elem = &slice_elem },
	{ .key = "t3512", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, t3512),
	  .min = 2, .max = 35712000, .def = "3240" },
	{ .key = "timers", .kind = SEN_CFG_MAP,
	  .offset = 0, .size = sizeof(struct amf_config), .sub = timers_schema },
	{ .key = "sbi_timeout", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_config, sbi_timeout),
	  .min = 100, .max = 60000, .def = "5000" },
	{ .key = "unknown_subscriber_cause", .kind = SEN_CFG_INT,
	  SEN_CFG_AT(struct amf_config, unknown_subscriber_cause), .min = 1, .max = 255,
	  .def = "7" },
	{ .key = "relative_capacity", .kind = SEN_CFG_INT,
	  SEN_CFG_AT(struct amf_config, relative_capacity), .min = 0, .max = 255, .def = "255" },
	{ .key = "time_to_wait", .kind = SEN_CFG_ENUM, SEN_CFG_AT(struct amf_config, time_to_wait),
	  .choices = ttw_names, .def = "5" },
	{ .key = "network_name", .kind = SEN_CFG_MAP,
	  .offset = 0, .size = sizeof(struct amf_config), .sub = network_name_schema },
	{ .key = "default_dnn", .kind = SEN_CFG_STR, SEN_CFG_AT(struct amf_config, default_dnn),
	  .min = 1, .max = 63, .def = "internet" },
	SEN_CFG_END,
};
/* clang-format on */

/* A problem found after binding (duplicates …): reported at the section's line. */
static int post_error(struct sen_config *cfg, char *err, size_t errlen, const char *key,
		      const char *what)
{
	const struct sen_cfg_node *n = sen_config_section(cfg, "amf");
	const struct sen_cfg_node *v = NULL;
	char copy[64];
	char *dot;

	snprintf(copy, sizeof(copy), "%s", key);
	dot = strchr(copy, '.');
	if (dot)
		*dot = '\0';
	v = sen_cfg_map_get(n, copy);
	if (v && dot)
		v = sen_cfg_map_get(v, dot + 1) ? sen_cfg_map_get(v, dot + 1) : v;
	snprintf(err, errlen, "%s:%u: amf.%s: %s", cfg->file, v ? v->line : n ? n->line : 0, key,
		 what);
	return -SEN_ECONFIG;
}

int amf_config_bind(struct sen_config *cfg, struct amf_config *c, char *err, size_t errlen)
{
	int rc;
	unsigned seen;

	memset(c, 0, sizeof(*c));
	rc = sen_config_bind_section(cfg, "amf", amf_schema, c, err, errlen);
	if (rc < 0)
		return rc;
	if (!c->security.n_integrity) { /* default: nia2, nia1, nia3 */
		static const int def[] = {2, 1, 3};
		memcpy(c->security.integrity, def, sizeof(def));
		c->security.n_integrity = 3;
	}
	if (!c->security.n_ciphering) { /* default: nea2, nea1, nea3, nea0 */
		static const int def[] = {2, 1, 3, 0};
		memcpy(c->security.ciphering, def, sizeof(def));
		c->security.n_ciphering = 4;
	}
	seen = 0;
	for (size_t i = 0; i < c->security.n_integrity; i++) {
		if (seen & (1u << c->security.integrity[i]))
			return post_error(cfg, err, errlen, "security.integrity",
					  "an algorithm is listed twice");
		seen |= 1u << c->security.integrity[i];
	}
	/* DESIGN.md, Security rules: NIA0 is never selected outside emergency services, so a
	 * list of only nia0 could never register anybody. */
	if (seen == 1u)
		return post_error(cfg, err, errlen, "security.integrity",
				  "nia0 alone: NIA0 is never used outside emergency services");
	seen = 0;
	for (size_t i = 0; i < c->security.n_ciphering; i++) {
		if (seen & (1u << c->security.ciphering[i]))
			return post_error(cfg, err, errlen, "security.ciphering",
					  "an algorithm is listed twice");
		seen |= 1u << c->security.ciphering[i];
	}
	/* TS 24.501 5.3.7: the mobile reachable timer runs longer than the T3512 the UE is
	 * given (rounded up to what GPRS timer 3 carries), or a UE doing its periodic
	 * registration on time is implicitly de-registered first. */
	if (c->timers.mobile_reachable &&
	    c->timers.mobile_reachable <= (uint64_t)amf_t3512_sent(c->t3512) * 1000u) {
		char what[160];
		snprintf(what, sizeof(what), "%u ms is not greater than T3512 (%u s as sent to the "
			 "UE for t3512 %u; TS 24.501 5.3.7)", c->timers.mobile_reachable,
			 amf_t3512_sent(c->t3512), c->t3512);
		return post_error(cfg, err, errlen, "timers.mobile_reachable", what);
	}
	if (!c->n_tac) {
		c->n_tac = cfg->global.n_tac < AMF_MAX_TAC ? cfg->global.n_tac : AMF_MAX_TAC;
		memcpy(c->tac, cfg->global.tac, c->n_tac * sizeof(c->tac[0]));
	}
	if (!c->n_slices) {
		c->n_slices = cfg->global.n_slices < AMF_MAX_SLICES ? cfg->global.n_slices
								     : AMF_MAX_SLICES;
		memcpy(c->slices, cfg->global.slices, c->n_slices * sizeof(c->slices[0]));
	}
	return 0;
}
