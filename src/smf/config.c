/*
 * The `smf` section of sen.yaml (docs/configuration.md, "smf"), bound with lib/core's
 * declarative schemas, plus the checks a schema cannot express (pool sizes, duplicate
 * DNNs, UPFs naming DNNs the SMF does not serve). Without `smf.upf`, the one UPF is the
 * `upf` section's pfcp address in the same file.
 *
 *   smf:
 *     sbi: 127.0.0.4:7777
 *     pfcp: 127.0.0.4                    # N4, port 8805 unless "addr:port"
 *     dnn:
 *       - { name: internet, ipv4_pool: 10.45.0.0/16, ipv6_prefix: 2001:db8:cafe::/48,
 *           dns: [10.45.0.1], mtu: 1400 }
 *     upf: [ { pfcp: 127.0.0.7, dnn: [internet], slices: [ { sst: 1 } ] } ]
 *     slices: [ { sst: 1 } ]             # default: the global slices
 *     heartbeat: 10                      # s; 0: no heartbeat
 *     pfcp_t1: 3000                      # ms, TS 29.244 6.4 T1
 *     pfcp_n1: 3                         # retransmissions
 *     quarantine_max: 600                # s: longest quarantine of a UE address
 */
#include "context.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"

/* "a.b.c.d" or "a.b.c.d:port" (default port 8805). IPv4 only: N4 over IPv6 is not yet. */
static int parse_pfcp_addr(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
			   const struct sen_cfg_node *n, void *dst)
{
	struct sen_cfg_addr *a = dst;
	char host[INET_ADDRSTRLEN], show[SEN_CFG_SHOW_MAX];
	unsigned long port = SEN_PFCP_PORT;
	const char *colon;
	size_t hlen;

	(void)f;
	if (n->type != SEN_CFG_T_SCALAR)
		return sen_cfg_error(ctx, n, "expected an IPv4 address or address:port");
	colon = strchr(n->str, ':');
	hlen = colon ? (size_t)(colon - n->str) : n->len;
	if (n->str[0] == '[' || (colon && strchr(colon + 1, ':')))
		return sen_cfg_error(ctx, n, "%s: IPv6 is not supported for PFCP yet",
				     sen_cfg_show(n, show));
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, n->str, hlen);
	host[hlen] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, host, &a->in.sin_addr) != 1)
		goto bad;
	if (colon) {
		char *end;
		if (colon[1] < '0' || colon[1] > '9')
			goto bad;
		port = strtoul(colon + 1, &end, 10);
		if (*end || port < 1 || port > 65535)
			return sen_cfg_error(ctx, n, "port of %s is out of range 1..65535",
					     sen_cfg_show(n, show));
	}
	a->in.sin_family = AF_INET;
	a->in.sin_port = htons((uint16_t)port);
	a->len = sizeof(a->in);
	return 0;
bad:
	return sen_cfg_error(ctx, n, "%s is not an IPv4 address or address:port",
			     sen_cfg_show(n, show));
}

/* S-NSSAI SD: 6 hex digits (TS 23.003 28.4.2). */
static int parse_sd(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		    const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX], *end;
	unsigned long v;

	(void)f;
	if (n->type != SEN_CFG_T_SCALAR || n->len != 6 ||
	    !strchr("0123456789abcdefABCDEF", n->str[0]))
		goto bad;
	v = strtoul(n->str, &end, 16);
	if (*end)
		goto bad;
	*(uint32_t *)dst = (uint32_t)v;
	return 0;
bad:
	return sen_cfg_error(ctx, n, "%s is not an SD (6 hex digits, like 000001)",
			     sen_cfg_show(n, show));
}

/* A DNN name: DNS labels (TS 23.003 9.1), 1..100 octets. */
static int parse_dnn_name(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
			  const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX];
	uint8_t tmp[SMF_DNN_MAX + 2];

	(void)f;
	if (n->type != SEN_CFG_T_SCALAR || n->len == 0 || n->len > SMF_DNN_MAX ||
	    sen_pfcp_labels_encode(n->str, tmp, sizeof(tmp)) < 0)
		return sen_cfg_error(ctx, n,
				     "%s is not a DNN (labels like internet or ims.example)",
				     sen_cfg_show(n, show));
	for (size_t i = 0; i < n->len; i++) {
		char c = n->str[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return sen_cfg_error(ctx, n, "%s: a DNN holds letters, digits, '-' and '.'",
					     sen_cfg_show(n, show));
	}
	*(const char **)dst = n->str;
	return 0;
}

/* clang-format off */
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
static const struct sen_cfg_field dns_elem = {
	.kind = SEN_CFG_IP, SEN_CFG_ELEM(struct sen_cfg_ip),
};
static const struct sen_cfg_field dnn_ref_elem = {
	.kind = SEN_CFG_CUSTOM, SEN_CFG_ELEM(const char *), .parse = parse_dnn_name,
};

#define D struct smf_dnn_cfg
static const struct sen_cfg_field dnn_schema[] = {
	{ .key = "name", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(D, name),
	  .parse = parse_dnn_name },
	{ .key = "ipv4_pool", .kind = SEN_CFG_PREFIX, .flags = SEN_CFG_REQUIRED | SEN_CFG_V4,
	  SEN_CFG_AT(D, ipv4_pool) },
	{ .key = "ipv6_prefix", .kind = SEN_CFG_PREFIX, .flags = SEN_CFG_V6,
	  SEN_CFG_AT(D, ipv6_prefix) },
	{ .key = "dns", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(D, dns, n_dns), .elem = &dns_elem },
	{ .key = "mtu", .kind = SEN_CFG_INT, SEN_CFG_AT(D, mtu), .min = 576, .max = 9000,
	  .def = "1400" },
	SEN_CFG_END,
};
#undef D
static const struct sen_cfg_field dnn_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct smf_dnn_cfg), .sub = dnn_schema,
};

#define U struct smf_upf_cfg
static const struct sen_cfg_field upf_schema[] = {
	{ .key = "pfcp", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(U, pfcp),
	  .parse = parse_pfcp_addr },
	{ .key = "dnn", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(U, dnn, n_dnn), .elem = &dnn_ref_elem },
	{ .key = "slices", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(U, slices, n_slices),
	  .elem = &slice_elem },
	SEN_CFG_END,
};
#undef U
static const struct sen_cfg_field upf_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct smf_upf_cfg), .sub = upf_schema,
};

#define C struct smf_cfg
static const struct sen_cfg_field smf_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(C, sbi) },
	{ .key = "pfcp", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(C, pfcp),
	  .parse = parse_pfcp_addr },
	{ .key = "dnn", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_LIST_AT(C, dnn, n_dnn), .elem = &dnn_elem, .min = 1 },
	{ .key = "upf", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(C, upf, n_upf), .elem = &upf_elem,
	  .min = 1 },
	{ .key = "slices", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(C, slices, n_slices),
	  .elem = &slice_elem, .min = 1 },
	{ .key = "heartbeat", .kind = SEN_CFG_INT, SEN_CFG_AT(C, heartbeat), .min = 0, .max = 3600,
	  .def = "10" },
	{ .key = "pfcp_t1", .kind = SEN_CFG_INT, SEN_CFG_AT(C, t1), .min = 100, .max = 60000,
	  .def = "3000" },
	{ .key = "pfcp_n1", .kind = SEN_CFG_INT, SEN_CFG_AT(C, n1), .min = 0, .max = 10,
	  .def = "3" },
	{ .key = "assoc_retry", .kind = SEN_CFG_INT, SEN_CFG_AT(C, assoc_retry), .min = 100,
	  .max = 600000, .def = "2000" },
	{ .key = "quarantine_max", .kind = SEN_CFG_INT, SEN_CFG_AT(C, quarantine_max), .min = 10,
	  .max = 86400, .def = "600" },
	SEN_CFG_END,
};
#undef C
static const struct sen_cfg_field upf_default_schema[] = {
	{ .key = "pfcp", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct smf_upf_cfg, pfcp), .parse = parse_pfcp_addr },
	SEN_CFG_END,
};
/* clang-format on */

/* The line of smf.<key>[i] (or of smf.<key>), for messages about cross-entry checks. */
static unsigned line_of(struct sen_config *cfg, const char *key, size_t i, const char *sub)
{
	const struct sen_cfg_node *n = sen_cfg_map_get(cfg->global.smf, key);

	if (n && n->type == SEN_CFG_T_SEQ && i < n->count) {
		const struct sen_cfg_node *e = n->items[i], *v = sen_cfg_map_get(e, sub);
		return v ? v->line : e->line;
	}
	return n ? n->line : cfg->global.smf ? cfg->global.smf->line : 0;
}

int smf_cfg_bind(struct sen_config *cfg, struct smf_cfg *c, char *err, size_t errlen)
{
	int rc;

	memset(c, 0, sizeof(*c));
	rc = sen_config_bind_section(cfg, "smf", smf_schema, c, err, errlen);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < c->n_dnn; i++) {
		const struct sen_cfg_prefix *p = &c->dnn[i].ipv4_pool;
		if (p->len < SMF_POOL_MIN_LEN || p->len > SMF_POOL_MAX_LEN) {
			snprintf(
			    err, errlen,
			    "%s:%u: smf.dnn[%zu].ipv4_pool: /%u: the pool's length must be %u..%u",
			    cfg->file, line_of(cfg, "dnn", i, "ipv4_pool"), i, p->len,
			    SMF_POOL_MIN_LEN, SMF_POOL_MAX_LEN);
			return -SEN_ECONFIG;
		}
		if (c->dnn[i].ipv6_prefix.ip.family && c->dnn[i].ipv6_prefix.len > 64) {
			snprintf(err, errlen,
				 "%s:%u: smf.dnn[%zu].ipv6_prefix: /%u: must be /64 or shorter",
				 cfg->file, line_of(cfg, "dnn", i, "ipv6_prefix"), i,
				 c->dnn[i].ipv6_prefix.len);
			return -SEN_ECONFIG;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcasecmp(c->dnn[j].name, c->dnn[i].name)) {
				snprintf(err, errlen, "%s:%u: smf.dnn[%zu].name: %s is given twice",
					 cfg->file, line_of(cfg, "dnn", i, "name"), i,
					 c->dnn[i].name);
				return -SEN_ECONFIG;
			}
	}
	for (size_t u = 0; u < c->n_upf; u++)
		for (size_t k = 0; k < c->upf[u].n_dnn; k++) {
			bool found = false;
			for (size_t i = 0; i < c->n_dnn; i++)
				found |= !strcasecmp(c->dnn[i].name, c->upf[u].dnn[k]);
			if (!found) {
				snprintf(err, errlen,
					 "%s:%u: smf.upf[%zu].dnn: %s is not in smf.dnn", cfg->file,
					 line_of(cfg, "upf", u, "dnn"), u, c->upf[u].dnn[k]);
				return -SEN_ECONFIG;
			}
		}
	if (c->n_slices == 0) {
		c->n_slices = cfg->global.n_slices;
		memcpy(c->slices, cfg->global.slices, sizeof(c->slices));
	}
	if (c->n_upf == 0) {
		/* The UPF of the same file (single-machine deployments). */
		if (!cfg->global.upf) {
			snprintf(err, errlen,
				 "%s:%u: smf.upf: no UPF: give smf.upf or a upf section", cfg->file,
				 cfg->global.smf ? cfg->global.smf->line : 0);
			return -SEN_ECONFIG;
		}
		struct sen_cfg_node tmp = *cfg->global.upf;
		const struct sen_cfg_node *pf = sen_cfg_map_get(cfg->global.upf, "pfcp");
		struct sen_cfg_pair pair;
		if (!pf) {
			snprintf(err, errlen,
				 "%s:%u: upf.pfcp: missing required key (the SMF's default UPF)",
				 cfg->file, cfg->global.upf->line);
			return -SEN_ECONFIG;
		}
		/* bind only the pfcp key of the upf section */
		pair = (struct sen_cfg_pair){.key = "pfcp", .line = pf->line, .value = pf};
		tmp.count = 1;
		tmp.pairs = &pair;
		rc = sen_cfg_bind(cfg, &tmp, "upf", upf_default_schema, &c->upf[0], err, errlen);
		if (rc < 0)
			return rc;
		c->n_upf = 1;
	}
	return 0;
}
