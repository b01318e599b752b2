/*
 * sen-upf configuration schema (see cfg.h). Ports: PFCP 8805 (TS 29.244 4.2.2), GTP-U 2152
 * (TS 29.281 4.4.2.3).
 */
#include "cfg.h"

#include "core/err.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a.b.c.d" or "a.b.c.d:port"; the default port is in f->arg. IPv4 only for now. */
static int parse_v4_addr(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
			 const struct sen_cfg_node *n, void *dst)
{
	struct sen_cfg_addr *a = dst;
	char host[INET_ADDRSTRLEN], show[SEN_CFG_SHOW_MAX];
	unsigned long port = (unsigned long)(uintptr_t)f->arg;

	if (n->type != SEN_CFG_T_SCALAR)
		return sen_cfg_error(ctx, n, "expected an IPv4 address or address:port");
	const char *colon = strchr(n->str, ':');
	size_t hlen = colon ? (size_t)(colon - n->str) : n->len;
	if (n->str[0] == '[' || (colon && strchr(colon + 1, ':')))
		return sen_cfg_error(ctx, n, "%s: IPv6 is not supported here yet",
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
		const char *ps = colon + 1;
		if (*ps < '0' || *ps > '9')
			goto bad;
		port = strtoul(ps, &end, 10);
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

/* "2001:db8:cafe::1/48": an IPv6 gateway address (not the subnet's all-zero one) with a
 * prefix length of 1..127, so that the kernel routes the UE prefixes into the TUN. */
static int parse_subnet6(struct sen_cfg_ctx *ctx, const struct sen_cfg_node *n,
			 struct upf_subnet *s, const char *host, unsigned long len)
{
	char show[SEN_CFG_SHOW_MAX];

	if (inet_pton(AF_INET6, host, &s->gw6) != 1)
		return sen_cfg_error(ctx, n,
				     "%s is not gateway-address/prefix-length (2001:db8:cafe::1/48)",
				     sen_cfg_show(n, show));
	if (len < 1 || len > 127)
		return sen_cfg_error(ctx, n, "prefix length of %s is out of range 1..127",
				     sen_cfg_show(n, show));
	bool host_zero = true;
	for (unsigned i = (unsigned)len; i < 128; i++)
		if (s->gw6.s6_addr[i / 8] & (0x80 >> (i % 8)))
			host_zero = false;
	if (host_zero || s->gw6.s6_addr[0] == 0xff ||
	    (s->gw6.s6_addr[0] == 0xfe && (s->gw6.s6_addr[1] & 0xc0) == 0x80))
		return sen_cfg_error(ctx, n,
				     "%s: give a unicast gateway address inside the prefix, not "
				     "the prefix itself (e.g. 2001:db8:cafe::1/48)",
				     sen_cfg_show(n, show));
	s->v6 = true;
	s->len = (uint8_t)len;
	return 0;
}

/* "10.45.0.1/16": the gateway address the TUN takes, and the subnet's prefix length; or
 * an IPv6 one (parse_subnet6). */
static int parse_subnet(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
			const struct sen_cfg_node *n, void *dst)
{
	struct upf_subnet *s = dst;
	char host[INET6_ADDRSTRLEN], show[SEN_CFG_SHOW_MAX];

	if (n->type != SEN_CFG_T_SCALAR)
		return sen_cfg_error(ctx, n, "expected gateway-address/prefix-length");
	const char *slash = strchr(n->str, '/');
	if (!slash || (size_t)(slash - n->str) >= sizeof(host) || slash == n->str)
		goto bad;
	memcpy(host, n->str, (size_t)(slash - n->str));
	host[slash - n->str] = '\0';
	char *end;
	unsigned long len = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end)
		goto bad;
	memset(s, 0, sizeof(*s));
	if (strchr(host, ':'))
		return parse_subnet6(ctx, n, s, host, len);
	if (inet_pton(AF_INET, host, &s->gw) != 1)
		goto bad;
	if (len < 1 || len > 30)
		return sen_cfg_error(ctx, n, "prefix length of %s is out of range 1..30",
				     sen_cfg_show(n, show));
	s->len = (uint8_t)len;
	uint32_t a = ntohl(s->gw.s_addr), host_mask = (1u << (32 - len)) - 1;
	if ((a & host_mask) == 0 || (a & host_mask) == host_mask)
		return sen_cfg_error(ctx, n,
				     "%s: give the gateway address inside the subnet, not the "
				     "network or broadcast address (e.g. 10.45.0.1/16)",
				     sen_cfg_show(n, show));
	return 0;
bad:
	return sen_cfg_error(ctx, n, "%s is not gateway-address/prefix-length (10.45.0.1/16)",
			     sen_cfg_show(n, show));
}

static const struct sen_cfg_field subnet_elem = {
	.kind = SEN_CFG_CUSTOM, SEN_CFG_ELEM(struct upf_subnet), .parse = parse_subnet,
};

typedef struct upf_cfg C;
/* clang-format off */
static const struct sen_cfg_field n6_schema[] = {
	{ .key = "tun", .kind = SEN_CFG_STR, SEN_CFG_AT(C, n6.tun), .min = 1, .def = "sen0" },
	{ .key = "subnet", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(C, n6.subnet, n6.n_subnet),
	  .elem = &subnet_elem },
	{ .key = "mtu", .kind = SEN_CFG_INT, SEN_CFG_AT(C, n6.mtu), .min = 576, .max = 9000 },
	SEN_CFG_END,
};

static const struct sen_cfg_field upf_schema[] = {
	{ .key = "pfcp", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(C, pfcp),
	  .parse = parse_v4_addr, .arg = (const void *)(uintptr_t)8805 },
	{ .key = "gtpu", .kind = SEN_CFG_CUSTOM, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(C, gtpu),
	  .parse = parse_v4_addr, .arg = (const void *)(uintptr_t)2152 },
	{ .key = "n6", .kind = SEN_CFG_MAP, .offset = 0, .size = sizeof(C), .sub = n6_schema },
	{ .key = "heartbeat", .kind = SEN_CFG_INT, SEN_CFG_AT(C, heartbeat), .min = 0,
	  .max = 3600, .def = "10" },
	{ .key = "workers", .kind = SEN_CFG_INT, SEN_CFG_AT(C, workers), .min = 1,
	  .max = UPF_MAX_WORKERS, .def = "1" },
	SEN_CFG_END,
};
/* clang-format on */

int upf_cfg_bind(struct sen_config *cfg, struct upf_cfg *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	return sen_config_bind_section(cfg, "upf", upf_schema, out, err, errlen);
}
