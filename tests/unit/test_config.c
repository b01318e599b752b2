/*
 * Unit tests for lib/core config: the YAML tree, the schema binder (every kind of field),
 * defaults, the global part of sen.yaml, the sample configs/sen.yaml, the exact text of each
 * kind of error, relative paths, and junk input. Test files: $SEN_TESTDATA/config/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/err.h"

#define ERRLEN SEN_CFG_ERR_MAX

/* $SEN_TESTDATA/config/<name> */
static const char *data(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	const char *dir = getenv("SEN_TESTDATA");
	char *out = buf[next++ % 4];

	assert_non_null(dir);
	snprintf(out, PATH_MAX, "%s/config/%s", dir, name);
	return out;
}

/* Absolute directory of the test data (what cfg->dir must be). */
static const char *data_dir(void)
{
	static char buf[PATH_MAX];
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s/config", getenv("SEN_TESTDATA"));
	assert_non_null(realpath(tmp, buf));
	return buf;
}

static struct sen_config *load_ok(const char *path)
{
	struct sen_config *cfg = NULL;
	char err[ERRLEN];
	int rc = sen_config_load(path, &cfg, err, sizeof(err));

	if (rc)
		fail_msg("loading %s: %s", path, err);
	assert_non_null(cfg);
	return cfg;
}

/* Loading $SEN_TESTDATA/config/<file> fails with exactly "<path><tail>". */
static void expect_load_error(const char *file, const char *tail)
{
	struct sen_config *cfg = (struct sen_config *)1;
	char err[ERRLEN], want[ERRLEN + PATH_MAX];
	const char *path = data(file);

	assert_int_equal(sen_config_load(path, &cfg, err, sizeof(err)), -SEN_ECONFIG);
	assert_null(cfg);
	snprintf(want, sizeof(want), "%s%s", path, tail);
	assert_string_equal(err, want);
}

/* Parsing `text` (named "mem/t.yaml") fails with exactly "mem/t.yaml<tail>". */
static void expect_parse_error(unsigned flags, const char *text, const char *tail)
{
	struct sen_config *cfg = (struct sen_config *)1;
	char err[ERRLEN], want[ERRLEN];

	assert_int_equal(
	    sen_config_parse("mem/t.yaml", text, strlen(text), flags, &cfg, err, sizeof(err)),
	    -SEN_ECONFIG);
	assert_null(cfg);
	snprintf(want, sizeof(want), "mem/t.yaml%s", tail);
	assert_string_equal(err, want);
}

static const char *addr_str(const struct sen_cfg_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (a->sa.sa_family == AF_INET) {
		inet_ntop(AF_INET, &a->in.sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(a->in.sin_port));
	} else if (a->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &a->in6.sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(a->in6.sin6_port));
	} else {
		snprintf(buf, len, "none");
	}
	return buf;
}

static void assert_addr(const struct sen_cfg_addr *a, const char *want)
{
	char buf[80];

	assert_string_equal(addr_str(a, buf, sizeof(buf)), want);
	assert_int_equal(a->len, a->sa.sa_family == AF_INET ? sizeof(struct sockaddr_in)
							    : sizeof(struct sockaddr_in6));
}

static void assert_ip(const struct sen_cfg_ip *ip, const char *want)
{
	char buf[INET6_ADDRSTRLEN];

	assert_string_equal(sen_cfg_ip_str(ip, buf, sizeof(buf)), want);
}

/* ---------------------------------------------------------------------------------------- */
/* Schemas for the sample's amf, smf and upf sections, written here as an NF would.           */

struct t_amf {
	struct sen_cfg_addr sbi;
	struct {
		struct sen_cfg_ip addr;
		uint16_t port;
		int transport;
		uint16_t udp_port;
	} ngap;
	struct {
		uint8_t region;
		uint16_t set;
		uint8_t pointer;
	} guami;
	struct {
		uint8_t n_nia, n_nea;
		int nia[4], nea[4];
	} sec;
};

static const char *const transports[] = {"sctp", "sctp-udp", "auto", NULL};
static const char *const nias[] = {"nia0", "nia1", "nia2", "nia3", NULL};
static const char *const neas[] = {"nea0", "nea1", "nea2", "nea3", NULL};

typedef __typeof__(((struct t_amf *)0)->ngap) t_ngap;
typedef __typeof__(((struct t_amf *)0)->guami) t_guami;
typedef __typeof__(((struct t_amf *)0)->sec) t_sec;

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const struct sen_cfg_field ngap_schema[] = {
	{ .key = "addr", .kind = SEN_CFG_IP, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(t_ngap, addr) },
	{ .key = "port", .kind = SEN_CFG_INT, SEN_CFG_AT(t_ngap, port), .min = 1, .max = 65535,
	  .def = "38412" },
	{ .key = "transport", .kind = SEN_CFG_ENUM, SEN_CFG_AT(t_ngap, transport),
	  .choices = transports, .def = "auto" },
	{ .key = "udp_port", .kind = SEN_CFG_INT, SEN_CFG_AT(t_ngap, udp_port), .min = 1,
	  .max = 65535, .def = "9899" },
	SEN_CFG_END,
};

static const struct sen_cfg_field guami_schema[] = {
	{ .key = "region", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(t_guami, region), .min = 0, .max = 255 },
	{ .key = "set", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(t_guami, set),
	  .min = 0, .max = 1023 },
	{ .key = "pointer", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(t_guami, pointer), .min = 0, .max = 63 },
	SEN_CFG_END,
};

static const struct sen_cfg_field nia_elem = {
	.kind = SEN_CFG_ENUM, SEN_CFG_ELEM(int), .choices = nias,
};
static const struct sen_cfg_field nea_elem = {
	.kind = SEN_CFG_ENUM, SEN_CFG_ELEM(int), .choices = neas,
};

static const struct sen_cfg_field sec_schema[] = {
	{ .key = "integrity", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_LIST_AT(t_sec, nia, n_nia), .elem = &nia_elem, .min = 1 },
	{ .key = "ciphering", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_LIST_AT(t_sec, nea, n_nea), .elem = &nea_elem, .min = 1 },
	SEN_CFG_END,
};
/* clang-format on */

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const struct sen_cfg_field amf_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_amf, sbi) },
	{ .key = "ngap", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_amf, ngap), .sub = ngap_schema },
	{ .key = "guami", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_amf, guami), .sub = guami_schema },
	{ .key = "security", .kind = SEN_CFG_MAP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_amf, sec), .sub = sec_schema },
	SEN_CFG_END,
};
/* clang-format on */

struct t_dnn {
	char name[64];
	struct sen_cfg_prefix pool;
	size_t n_dns;
	struct sen_cfg_ip dns[2];
	uint16_t mtu;
};

struct t_smf {
	struct sen_cfg_addr sbi;
	struct sen_cfg_ip pfcp;
	size_t n_dnn;
	struct t_dnn dnn[4];
};

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const struct sen_cfg_field ip_elem = {
	.kind = SEN_CFG_IP, SEN_CFG_ELEM(struct sen_cfg_ip),
};

static const struct sen_cfg_field dnn_schema[] = {
	{ .key = "name", .kind = SEN_CFG_STR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_dnn, name), .min = 1 },
	{ .key = "ipv4_pool", .kind = SEN_CFG_PREFIX, .flags = SEN_CFG_V4,
	  SEN_CFG_AT(struct t_dnn, pool) },
	{ .key = "dns", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(struct t_dnn, dns, n_dns),
	  .elem = &ip_elem },
	{ .key = "mtu", .kind = SEN_CFG_INT, SEN_CFG_AT(struct t_dnn, mtu), .min = 576, .max = 9000,
	  .def = "1400" },
	SEN_CFG_END,
};

static const struct sen_cfg_field dnn_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct t_dnn), .sub = dnn_schema,
};

static const struct sen_cfg_field smf_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_smf, sbi) },
	{ .key = "pfcp", .kind = SEN_CFG_IP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_smf, pfcp) },
	{ .key = "dnn", .kind = SEN_CFG_LIST, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_LIST_AT(struct t_smf, dnn, n_dnn), .elem = &dnn_elem, .min = 1 },
	SEN_CFG_END,
};
/* clang-format on */

struct t_upf {
	struct sen_cfg_ip pfcp, gtpu;
	struct {
		char tun[16];
	} n6;
};

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const struct sen_cfg_field n6_schema[] = {
	{ .key = "tun", .kind = SEN_CFG_STR, .offset = 0, .size = 16, .min = 1, .max = 15,
	  .def = "sen0" },
	SEN_CFG_END,
};

static const struct sen_cfg_field upf_schema[] = {
	{ .key = "pfcp", .kind = SEN_CFG_IP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_upf, pfcp) },
	{ .key = "gtpu", .kind = SEN_CFG_IP, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct t_upf, gtpu) },
	{ .key = "n6", .kind = SEN_CFG_MAP, SEN_CFG_AT(struct t_upf, n6), .sub = n6_schema },
	SEN_CFG_END,
};
/* clang-format on */

/* configs/sen.yaml, found from $SEN_TESTDATA (tests/data) as ../../configs/sen.yaml. */
static void test_sample(void **state)
{
	char path[PATH_MAX], real[PATH_MAX], want[PATH_MAX + 32], err[ERRLEN];
	struct sen_config *cfg;
	const struct sen_cfg_global *g;
	struct sen_cfg_nrf nrf;
	struct sen_cfg_sbi_only ausf;
	struct sen_cfg_udm udm;
	struct sen_cfg_udr udr;

	snprintf(path, sizeof(path), "%s/../../configs/sen.yaml", getenv("SEN_TESTDATA"));
	cfg = load_ok(path);
	g = &cfg->global;
	assert_string_equal(cfg->file, path);
	snprintf(path, sizeof(path), "%s/../../configs", getenv("SEN_TESTDATA"));
	assert_non_null(realpath(path, real));
	assert_string_equal(cfg->dir, real);

	assert_string_equal(g->plmn.mcc, "999");
	assert_string_equal(g->plmn.mnc, "70");
	assert_int_equal(g->n_tac, 1);
	assert_int_equal(g->tac[0], 1);
	assert_int_equal(g->n_slices, 1);
	assert_int_equal(g->slices[0].sst, 1);
	assert_int_equal(g->slices[0].sd, SEN_CFG_SD_NONE);
	assert_int_equal(g->log.level, SEN_CFG_LOG_INFO);
	assert_null(g->log.file);
	assert_int_equal(g->log.n_modules, 0);
	assert_int_equal(g->metrics.port, 9090);
	assert_ptr_equal(g->nrf, sen_config_section(cfg, "nrf"));
	assert_ptr_equal(g->udr, sen_config_section(cfg, "udr"));
	assert_non_null(g->amf);
	assert_non_null(g->smf);
	assert_non_null(g->upf);
	assert_non_null(g->ausf);
	assert_non_null(g->udm);
	assert_int_equal(g->amf->line, 12);
	assert_null(sen_config_section(cfg, "pcf"));

	assert_int_equal(
	    sen_config_bind_section(cfg, "nrf", sen_cfg_nrf_schema, &nrf, err, sizeof(err)), 0);
	assert_addr(&nrf.sbi, "127.0.0.10:7777");
	assert_int_equal(
	    sen_config_bind_section(cfg, "ausf", sen_cfg_ausf_schema, &ausf, err, sizeof(err)), 0);
	assert_addr(&ausf.sbi, "127.0.0.11:7777");
	assert_int_equal(
	    sen_config_bind_section(cfg, "udm", sen_cfg_udm_schema, &udm, err, sizeof(err)), 0);
	assert_addr(&udm.sbi, "127.0.0.12:7777");
	assert_int_equal(udm.n_hn_keys, 2);
	assert_int_equal(udm.hn_keys[0].id, 1);
	assert_int_equal(udm.hn_keys[0].scheme, 1);
	snprintf(want, sizeof(want), "%s/keys/hn-a.key", real);
	assert_string_equal(udm.hn_keys[0].file, want);
	assert_int_equal(udm.hn_keys[1].id, 2);
	assert_int_equal(udm.hn_keys[1].scheme, 2);
	snprintf(want, sizeof(want), "%s/keys/hn-b.key", real);
	assert_string_equal(udm.hn_keys[1].file, want);
	assert_int_equal(
	    sen_config_bind_section(cfg, "udr", sen_cfg_udr_schema, &udr, err, sizeof(err)), 0);
	assert_addr(&udr.sbi, "127.0.0.20:7777");
	snprintf(want, sizeof(want), "sqlite:%s/subscribers.db", real);
	assert_string_equal(udr.db, want);

	/*
	 * amf, smf and upf are bound by their daemons' own schemas (src/<nf>/config.c), which
	 * the end-to-end tests run against this sample.
	 */
	assert_non_null(sen_cfg_map_get(g->amf, "ngap"));
	assert_non_null(sen_cfg_map_get(g->smf, "dnn"));
	assert_non_null(sen_cfg_map_get(g->upf, "n6"));
	sen_config_free(cfg);
}

/* ---------------------------------------------------------------------------------------- */
/* Every kind of field (types.yaml).                                                          */

struct t_inner {
	int64_t x;
};
struct t_nested {
	struct t_inner inner;
	int extra;
};
struct t_item {
	int a;
	char b[8];
};
struct t_mod {
	int level;
	const char *name;
};

struct t_types {
	char name[16];
	const char *strp;
	char digits[8];
	bool flag, off;
	int8_t i8;
	uint16_t u16;
	int32_t i32;
	uint64_t u64;
	int level;
	uint8_t scheme;
	struct sen_cfg_ip ip4, ip6;
	struct sen_cfg_addr addr4, addr6;
	struct sen_cfg_prefix pfx4, pfx6;
	uint8_t key[16];
	char path[128];
	const char *abspath;
	struct t_nested nested;
	size_t n_ints;
	uint16_t ints[4];
	unsigned n_maps;
	struct t_item maps[3];
	uint8_t n_dict;
	struct t_mod dict[4];
	const struct sen_cfg_node *raw;
	int even;
	/* absent from types.yaml: defaults or zero */
	uint16_t d_port;
	char d_str[8];
	int d_enum;
	struct sen_cfg_ip d_ip;
	struct sen_cfg_addr d_addr;
	bool d_bool;
	struct t_nested d_map;
	int64_t z_int;
	char z_str[4];
	const char *z_strp;
	struct sen_cfg_ip z_ip;
	size_t n_z_list;
	int z_list[2];
	const struct sen_cfg_node *z_node;
};

static const char *const levels[] = {"error", "warn", "info", "debug", "trace", NULL};
static const char *const schemes[] = {"a", "b", NULL};
static const int scheme_ids[] = {10, 20};

/* A custom kind: an even integer. */
static int parse_even(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
		      const struct sen_cfg_node *n, void *dst)
{
	char show[SEN_CFG_SHOW_MAX];
	int64_t v;
	int iv;

	if (n->type != SEN_CFG_T_SCALAR || sen_cfg_parse_int(n->str, &v) || v % 2 || v > INT_MAX ||
	    v < INT_MIN)
		return sen_cfg_error(ctx, n, "%s is not an even number (%s)", sen_cfg_show(n, show),
				     (const char *)f->arg);
	iv = (int)v;
	memcpy(dst, &iv, sizeof(iv));
	return 0;
}

/* Schema tables are laid out by hand, one field per entry. */
/* clang-format off */
static const struct sen_cfg_field inner_schema[] = {
	{ .key = "x", .kind = SEN_CFG_INT, SEN_CFG_AT(struct t_inner, x), .min = -100, .max = 100,
	  .def = "-5" },
	SEN_CFG_END,
};

static const struct sen_cfg_field nested_schema[] = {
	{ .key = "inner", .kind = SEN_CFG_MAP, SEN_CFG_AT(struct t_nested, inner),
	  .sub = inner_schema },
	{ .key = "extra", .kind = SEN_CFG_INT, SEN_CFG_AT(struct t_nested, extra), .min = 0,
	  .max = 10, .def = "3" },
	SEN_CFG_END,
};

static const struct sen_cfg_field item_schema[] = {
	{ .key = "a", .kind = SEN_CFG_INT, .flags = SEN_CFG_REQUIRED, SEN_CFG_AT(struct t_item, a),
	  .min = 0, .max = 9 },
	{ .key = "b", .kind = SEN_CFG_STR, SEN_CFG_AT(struct t_item, b), .def = "none" },
	SEN_CFG_END,
};

static const struct sen_cfg_field int16_elem = {
	.kind = SEN_CFG_INT, SEN_CFG_ELEM(uint16_t), .min = 0, .max = 1000,
};
static const struct sen_cfg_field item_elem = {
	.kind = SEN_CFG_MAP, SEN_CFG_ELEM(struct t_item), .sub = item_schema,
};
static const struct sen_cfg_field mod_elem = {
	.kind = SEN_CFG_ENUM, SEN_CFG_AT(struct t_mod, level), .choices = levels,
};
static const struct sen_cfg_field int_elem = {
	.kind = SEN_CFG_INT, SEN_CFG_ELEM(int),
};

#define T(k) SEN_CFG_AT(struct t_types, k)
static const struct sen_cfg_field types_schema[] = {
	{ .key = "name", .kind = SEN_CFG_STR, T(name), .min = 1 },
	{ .key = "strp", .kind = SEN_CFG_STRP, T(strp), .max = 20 },
	{ .key = "digits", .kind = SEN_CFG_DIGITS, T(digits), .min = 1, .max = 7 },
	{ .key = "flag", .kind = SEN_CFG_BOOL, T(flag) },
	{ .key = "off", .kind = SEN_CFG_BOOL, T(off), .def = "true" },
	{ .key = "i8", .kind = SEN_CFG_INT, T(i8), .min = -128, .max = 127 },
	{ .key = "u16", .kind = SEN_CFG_INT, T(u16) },
	{ .key = "i32", .kind = SEN_CFG_INT, T(i32), .min = INT32_MIN, .max = INT32_MAX },
	{ .key = "u64", .kind = SEN_CFG_INT, T(u64) },
	{ .key = "level", .kind = SEN_CFG_ENUM, T(level), .choices = levels },
	{ .key = "scheme", .kind = SEN_CFG_ENUM, T(scheme), .choices = schemes,
	  .values = scheme_ids },
	{ .key = "ip4", .kind = SEN_CFG_IP, .flags = SEN_CFG_V4, T(ip4) },
	{ .key = "ip6", .kind = SEN_CFG_IP, .flags = SEN_CFG_V6, T(ip6) },
	{ .key = "addr4", .kind = SEN_CFG_ADDR, T(addr4) },
	{ .key = "addr6", .kind = SEN_CFG_ADDR, T(addr6) },
	{ .key = "pfx4", .kind = SEN_CFG_PREFIX, T(pfx4) },
	{ .key = "pfx6", .kind = SEN_CFG_PREFIX, .flags = SEN_CFG_V6, T(pfx6) },
	{ .key = "key", .kind = SEN_CFG_HEX, T(key) },
	{ .key = "path", .kind = SEN_CFG_PATH, T(path) },
	{ .key = "abspath", .kind = SEN_CFG_PATHP, T(abspath) },
	{ .key = "nested", .kind = SEN_CFG_MAP, T(nested), .sub = nested_schema },
	{ .key = "ints", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(struct t_types, ints, n_ints),
	  .elem = &int16_elem },
	{ .key = "maps", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(struct t_types, maps, n_maps),
	  .elem = &item_elem },
	{ .key = "dict", .kind = SEN_CFG_DICT, SEN_CFG_LIST_AT(struct t_types, dict, n_dict),
	  .elem = &mod_elem, .key_off = offsetof(struct t_mod, name) },
	{ .key = "raw", .kind = SEN_CFG_NODE, T(raw) },
	{ .key = "even", .kind = SEN_CFG_CUSTOM, T(even), .parse = parse_even, .arg = "custom" },
	{ .key = "d_port", .kind = SEN_CFG_INT, T(d_port), .min = 1, .max = 65535,
	  .def = "0x1f90" },
	{ .key = "d_str", .kind = SEN_CFG_STR, T(d_str), .def = "abc" },
	{ .key = "d_enum", .kind = SEN_CFG_ENUM, T(d_enum), .choices = levels, .def = "warn" },
	{ .key = "d_ip", .kind = SEN_CFG_IP, T(d_ip), .def = "::" },
	{ .key = "d_addr", .kind = SEN_CFG_ADDR, T(d_addr), .def = "0.0.0.0:9090" },
	{ .key = "d_bool", .kind = SEN_CFG_BOOL, T(d_bool), .def = "TRUE" },
	{ .key = "d_map", .kind = SEN_CFG_MAP, T(d_map), .sub = nested_schema },
	{ .key = "z_int", .kind = SEN_CFG_INT, T(z_int) },
	{ .key = "z_str", .kind = SEN_CFG_STR, T(z_str) },
	{ .key = "z_strp", .kind = SEN_CFG_STRP, T(z_strp) },
	{ .key = "z_ip", .kind = SEN_CFG_IP, T(z_ip) },
	{ .key = "z_list", .kind = SEN_CFG_LIST, SEN_CFG_LIST_AT(struct t_types, z_list, n_z_list),
	  .elem = &int_elem },
	{ .key = "z_node", .kind = SEN_CFG_NODE, T(z_node) },
	SEN_CFG_END,
};
/* clang-format on */
#undef T

static struct sen_config *parse_tree(const char *text)
{
	struct sen_config *cfg = NULL;
	char err[ERRLEN];

	if (sen_config_parse("mem/t.yaml", text, strlen(text), SEN_CONFIG_TREE_ONLY, &cfg, err,
			     sizeof(err)))
		fail_msg("%s", err);
	return cfg;
}

static void test_types(void **state)
{
	static const uint8_t key[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
					0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
	struct sen_config *cfg = NULL;
	struct t_types t;
	char err[ERRLEN], want[PATH_MAX + 32];
	const char *path = data("types.yaml");

	assert_int_equal(sen_config_parse(path, "", 0, 0, &cfg, err, sizeof(err)), -SEN_ECONFIG);
	/* tree only: the global schema is not applied */
	{
		char *text;
		FILE *fp = fopen(path, "r");
		long len;

		assert_non_null(fp);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		text = malloc((size_t)len);
		assert_int_equal(fread(text, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		assert_int_equal(sen_config_parse(path, text, (size_t)len, SEN_CONFIG_TREE_ONLY,
						  &cfg, err, sizeof(err)),
				 0);
		free(text);
	}
	memset(&t, 0xa5, sizeof(t));
	if (sen_cfg_bind(cfg, cfg->root, NULL, types_schema, &t, err, sizeof(err)))
		fail_msg("%s", err);

	assert_string_equal(t.name, "sen-test");
	assert_string_equal(t.strp, "a pointer string");
	assert_string_equal(t.digits, "00123");
	assert_true(t.flag);
	assert_false(t.off);
	assert_int_equal(t.i8, -128);
	assert_int_equal(t.u16, 0xffff);
	assert_int_equal(t.i32, INT32_MIN);
	assert_true(t.u64 == (uint64_t)INT64_MAX);
	assert_int_equal(t.level, SEN_CFG_LOG_DEBUG);
	assert_int_equal(t.scheme, 20);
	assert_int_equal(t.ip4.family, AF_INET);
	assert_ip(&t.ip4, "192.0.2.1");
	assert_int_equal(t.ip6.family, AF_INET6);
	assert_ip(&t.ip6, "2001:db8::1");
	assert_addr(&t.addr4, "127.0.0.5:7777");
	assert_addr(&t.addr6, "[::1]:8080");
	assert_ip(&t.pfx4.ip, "10.45.0.0");
	assert_int_equal(t.pfx4.len, 16);
	assert_ip(&t.pfx6.ip, "2001:db8:1::");
	assert_int_equal(t.pfx6.len, 48);
	assert_memory_equal(t.key, key, 16);
	snprintf(want, sizeof(want), "%s/keys/a.key", data_dir());
	assert_string_equal(t.path, want);
	assert_string_equal(t.abspath, "/etc/sen/b.key");
	assert_int_equal(t.nested.inner.x, 7);
	assert_int_equal(t.nested.extra, 3);
	assert_int_equal(t.n_ints, 3);
	assert_int_equal(t.ints[0], 1);
	assert_int_equal(t.ints[2], 3);
	assert_int_equal(t.n_maps, 2);
	assert_int_equal(t.maps[0].a, 1);
	assert_string_equal(t.maps[0].b, "one");
	assert_int_equal(t.maps[1].a, 2);
	assert_string_equal(t.maps[1].b, "none");
	assert_int_equal(t.n_dict, 2);
	assert_string_equal(t.dict[0].name, "ngap");
	assert_int_equal(t.dict[0].level, SEN_CFG_LOG_TRACE);
	assert_string_equal(t.dict[1].name, "nas");
	assert_int_equal(t.dict[1].level, SEN_CFG_LOG_WARN);
	assert_non_null(t.raw);
	assert_int_equal(t.raw->type, SEN_CFG_T_MAP);
	assert_int_equal(t.raw->line, 28);
	assert_int_equal(sen_cfg_map_get(t.raw, "anything")->count, 2);
	assert_string_equal(sen_cfg_map_get(t.raw, "anything")->items[1]->str, "2");
	assert_int_equal(t.even, 42);

	/* defaults */
	assert_int_equal(t.d_port, 8080);
	assert_string_equal(t.d_str, "abc");
	assert_int_equal(t.d_enum, SEN_CFG_LOG_WARN);
	assert_int_equal(t.d_ip.family, AF_INET6);
	assert_ip(&t.d_ip, "::");
	assert_addr(&t.d_addr, "0.0.0.0:9090");
	assert_true(t.d_bool);
	assert_int_equal(t.d_map.inner.x, -5);
	assert_int_equal(t.d_map.extra, 3);
	/* absent without default: zero */
	assert_true(t.z_int == 0);
	assert_string_equal(t.z_str, "");
	assert_null(t.z_strp);
	assert_int_equal(t.z_ip.family, 0);
	assert_int_equal(t.n_z_list, 0);
	assert_null(t.z_node);
	sen_config_free(cfg);
}

/* The global part's defaults and optional keys (minimal.yaml). */
static void test_global_defaults(void **state)
{
	struct sen_config *cfg = load_ok(data("minimal.yaml"));
	const struct sen_cfg_global *g = &cfg->global;
	char want[PATH_MAX + 32], err[ERRLEN];
	struct sen_cfg_nrf nrf;

	assert_string_equal(g->plmn.mcc, "001");
	assert_string_equal(g->plmn.mnc, "01"); /* a plain 01 keeps its leading zero */
	assert_int_equal(g->n_tac, 2);
	assert_int_equal(g->tac[0], 16);
	assert_int_equal(g->tac[1], 16777215);
	assert_int_equal(g->n_slices, 2);
	assert_int_equal(g->slices[0].sst, 1);
	assert_int_equal(g->slices[0].sd, 0xab);
	assert_int_equal(g->slices[1].sst, 255);
	assert_int_equal(g->slices[1].sd, SEN_CFG_SD_NONE);
	assert_int_equal(g->log.level, SEN_CFG_LOG_INFO);
	snprintf(want, sizeof(want), "%s/logs/sen.log", data_dir());
	assert_string_equal(g->log.file, want);
	assert_int_equal(g->log.n_modules, 2);
	assert_string_equal(g->log.modules[0].name, "ngap");
	assert_int_equal(g->log.modules[0].level, SEN_CFG_LOG_DEBUG);
	assert_string_equal(g->log.modules[1].name, "nas");
	assert_int_equal(g->log.modules[1].level, SEN_CFG_LOG_TRACE);
	assert_int_equal(g->metrics.port, 9090);
	assert_null(g->nrf);
	assert_null(g->amf);
	assert_null(g->udr);
	assert_null(sen_config_section(cfg, "amf"));
	assert_int_equal(
	    sen_config_bind_section(cfg, "nrf", sen_cfg_nrf_schema, &nrf, err, sizeof(err)),
	    -SEN_ECONFIG);
	snprintf(want, sizeof(want), "%s: nrf: section is missing", data("minimal.yaml"));
	assert_string_equal(err, want);
	sen_config_free(cfg);
}

/* ---------------------------------------------------------------------------------------- */
/* Errors: each kind, exact text.                                                             */

static void test_error_files(void **state)
{
	static const struct {
		const char *file, *tail;
	} cases[] = {
	    {"err_unknown_top.yaml", ":4: pcf: unknown key (allowed: plmn, tac, slices, log, "
				     "metrics, nrf, amf, smf, upf, ausf, udm, udr)"},
	    {"err_unknown_nested.yaml",
	     ":6: log.colour: unknown key (allowed: level, file, modules)"},
	    {"err_range.yaml", ":5: metrics.port: 70000 is out of range 1..65535"},
	    {"err_tac_range.yaml", ":2: tac[1]: 16777216 is out of range 0..16777215"},
	    {"err_type_map.yaml", ":1: plmn: expected a map, got 99970"},
	    {"err_type_int.yaml", ":4: metrics.port: expected an integer, got http"},
	    {"err_type_list.yaml", ":2: tac: expected a list, got 1"},
	    {"err_missing.yaml", ":1: plmn.mnc: missing required key"},
	    {"err_missing_top.yaml", ": tac: missing required key"},
	    {"err_null.yaml", ":1: plmn.mnc: missing value"},
	    {"err_duplicate.yaml", ":4: plmn.mcc: duplicate key (first at line 2)"},
	    {"err_syntax.yaml", ":3: YAML syntax error: did not find expected ',' or ']' "
				"(while parsing a flow sequence at line 2)"},
	    {"err_indent.yaml", ":6: YAML syntax error: did not find expected key (while "
				"parsing a block mapping at line 1)"},
	    {"err_enum.yaml",
	     ":4: log.level: verbose is not one of: error, warn, info, debug, trace"},
	    {"err_module_level.yaml", ":6: log.modules.ngap: loud is not one of: error, warn, "
				      "info, debug, trace"},
	    {"err_capacity.yaml", ":20: tac: too many entries (at most 16)"},
	    {"err_list_empty.yaml", ":2: tac: needs at least 1 entry"},
	    {"err_list_entry.yaml", ":5: tac[1]: empty entry"},
	    {"err_anchor.yaml", ":1: plmn: YAML anchors (&name) are not supported"},
	    {"err_digits.yaml", ":1: plmn.mcc: 9999 must be 3 digits"},
	    {"err_sd.yaml", ":3: slices[0].sd: 12345 is not an SD (6 hex digits, like 000001)"},
	    {"err_empty.yaml", ":1: the file holds no settings"},
	    {"err_toplist.yaml", ":1: expected a map at the top level, got a list"},
	    {"err_twodocs.yaml", ":5: more than one YAML document"},
	    {"err_section_type.yaml", ":4: amf: expected a map, got 5"},
	    {"err_log_module.yaml", ":7: log.modules.ngpa: unknown log module (known: amf, ausf, "
				    "gtpu, nas, ngap, nrf, nrfc, nsmf, ransim, sbi, sctp, smf, "
				    "smf-n4, udm, udr, ue, upf)"},
	    {"err_quoted_int.yaml", ":5: metrics.port: expected an integer, got a quoted string "
				    "(write it without quotes)"},
	    {"err_null_int.yaml", ":5: metrics.port: expected an integer, got null"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_load_error(cases[i].file, cases[i].tail);
}

/*
 * Sections checked without being kept (what every daemon does before starting): the
 * sections lib/core has schemas for, and any other with its own schema; an absent section
 * is fine. And sen_config_line, for messages about values checked after binding.
 */
static void test_check_sections(void **state)
{
	static const struct sen_cfg_field amf_like[] = {
	    {.key = "port", .kind = SEN_CFG_INT, .offset = 0, .size = 2, .min = 1, .max = 9},
	    SEN_CFG_END,
	};
	char err[ERRLEN], want[PATH_MAX + ERRLEN];
	struct sen_config *cfg = load_ok(data("err_other_section.yaml"));

	/* the load itself (global part) passes: NF sections are bound by their NFs */
	assert_int_equal(sen_config_check_core_sections(cfg, err, sizeof(err)), -SEN_ECONFIG);
	snprintf(want, sizeof(want),
		 "%s:16: udm.hn_keys[1].colour: unknown key (allowed: id, scheme, file)",
		 data("err_other_section.yaml"));
	assert_string_equal(err, want);
	assert_int_equal(sen_config_check_section(cfg, "amf", amf_like, 2, err, sizeof(err)),
			 -SEN_ECONFIG);
	snprintf(want, sizeof(want), "%s:8: amf.bogus: unknown key (allowed: port)",
		 data("err_other_section.yaml"));
	assert_string_equal(err, want);
	assert_int_equal(sen_config_check_section(cfg, "smf", amf_like, 2, err, sizeof(err)), 0);
	assert_int_equal(sen_config_check_section(cfg, "nrf", sen_cfg_nrf_schema,
						  sizeof(struct sen_cfg_nrf), err, sizeof(err)),
			 0);

	assert_int_equal(sen_config_line(cfg, "nrf"), 5);
	assert_int_equal(sen_config_line(cfg, "nrf.sbi"), 6);
	assert_int_equal(sen_config_line(cfg, "udm.hn_keys[%d].file", 0), 12);
	assert_int_equal(sen_config_line(cfg, "udm.hn_keys[%d].id", 1), 13);
	assert_int_equal(sen_config_line(cfg, "udm.hn_keys[%d].file", 1), 15);
	assert_int_equal(sen_config_line(cfg, "udm.hn_keys[2]"), 0);
	assert_int_equal(sen_config_line(cfg, "udm.hn_keys[x]"), 0);
	assert_int_equal(sen_config_line(cfg, "udm.sbi[0]"), 0);
	assert_int_equal(sen_config_line(cfg, "smf.sbi"), 0);
	sen_config_free(cfg);

	/* every section of the shipped configurations passes */
	static const char *const shipped[] = {"minimal.yaml", "../../../configs/sen.yaml",
					      "../../../configs/demo/sen.yaml"};
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		cfg = load_ok(data(shipped[i]));
		if (sen_config_check_core_sections(cfg, err, sizeof(err)))
			fail_msg("%s", err);
		sen_config_free(cfg);
	}
}

/* Errors found when an NF binds its section (the global part is fine). */
static void test_section_errors(void **state)
{
	char err[ERRLEN], want[PATH_MAX + ERRLEN];
	struct sen_config *cfg = load_ok(data("err_addr.yaml"));
	struct sen_cfg_nrf nrf;
	struct sen_cfg_udm udm;

	assert_int_equal(
	    sen_config_bind_section(cfg, "nrf", sen_cfg_nrf_schema, &nrf, err, sizeof(err)),
	    -SEN_ECONFIG);
	snprintf(want, sizeof(want),
		 "%s:4: nrf.sbi: 127.0.0.300:7777 is not an address:port (like 127.0.0.1:7777 "
		 "or [::1]:7777)",
		 data("err_addr.yaml"));
	assert_string_equal(err, want);
	sen_config_free(cfg);

	cfg = load_ok(data("err_hn_scheme.yaml"));
	assert_int_equal(
	    sen_config_bind_section(cfg, "udm", sen_cfg_udm_schema, &udm, err, sizeof(err)),
	    -SEN_ECONFIG);
	snprintf(want, sizeof(want), "%s:7: udm.hn_keys[0].scheme: c is not one of: a, b",
		 data("err_hn_scheme.yaml"));
	assert_string_equal(err, want);
	sen_config_free(cfg);

	/* a bare IP against a schema that wants IPv4 */
	cfg = NULL;
	{
		struct t_types t;
		char *p = realpath(data("err_ip.yaml"), NULL);
		FILE *fp;
		char text[64];
		size_t n;

		assert_non_null(p);
		fp = fopen(p, "r");
		assert_non_null(fp);
		n = fread(text, 1, sizeof(text), fp);
		fclose(fp);
		assert_int_equal(
		    sen_config_parse(p, text, n, SEN_CONFIG_TREE_ONLY, &cfg, err, sizeof(err)), 0);
		assert_int_equal(
		    sen_cfg_bind(cfg, cfg->root, "x", types_schema, &t, err, sizeof(err)),
		    -SEN_ECONFIG);
		snprintf(want, sizeof(want), "%s:1: x.ip4: 10.0.0.256 is not an IPv4 address", p);
		assert_string_equal(err, want);
		free(p);
		sen_config_free(cfg);
	}
}

/* Type-specific problems, from text in memory against types_schema. */
static void test_type_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"name: \"\"", ":1: name: must not be empty"},
	    {"name: 0123456789abcdef", ":1: name: too long (at most 15 characters)"},
	    {"strp: 0123456789abcdefghij!", ":1: strp: too long (at most 20 characters)"},
	    {"digits: 12a", ":1: digits: 12a must be 1 to 7 digits"},
	    {"digits: \"\"", ":1: digits: \"\" must be 1 to 7 digits"},
	    {"flag: yes", ":1: flag: expected true or false, got yes"},
	    {"flag: [true]", ":1: flag: expected true or false, got a list"},
	    {"i8: 128", ":1: i8: 128 is out of range -128..127"},
	    {"i8: -129", ":1: i8: -129 is out of range -128..127"},
	    {"u16: 0x10000", ":1: u16: 0x10000 is out of range 0..65535"},
	    {"u16: -1", ":1: u16: -1 is out of range 0..65535"},
	    {"u16: 12abc", ":1: u16: expected an integer, got 12abc"},
	    {"u16: 1.5", ":1: u16: expected an integer, got 1.5"},
	    {"u16: \" 1\"", ":1: u16: expected an integer, got a quoted string (write it "
			   "without quotes)"},
	    /* a quoted number is a string, null is no number: both the wrong type */
	    {"u16: \"3240\"", ":1: u16: expected an integer, got a quoted string (write it "
			     "without quotes)"},
	    {"u16: '3240'", ":1: u16: expected an integer, got a quoted string (write it "
			    "without quotes)"},
	    {"u16: ~", ":1: u16: expected an integer, got null"},
	    {"z_int: null", ":1: z_int: expected an integer, got null"},
	    {"d_port:", ":1: d_port: expected an integer, got null"},
	    {"ints: [\"1\"]", ":1: ints[0]: expected an integer, got a quoted string (write "
			    "it without quotes)"},
	    {"flag: \"true\"", ":1: flag: expected true or false, got a quoted string (write "
			     "it without quotes)"},
	    {"flag: ~", ":1: flag: expected true or false, got null"},
	    {"u16: 99999999999999999999999",
	     ":1: u16: 99999999999999999999999 is out of range 0..65535"},
	    {"u64: -1", ":1: u64: -1 is out of range 0..9223372036854775807"},
	    {"level: Debug", ":1: level: Debug is not one of: error, warn, info, debug, trace"},
	    {"ip4: ::1", ":1: ip4: ::1 is not an IPv4 address"},
	    {"ip4: 127.1", ":1: ip4: 127.1 is not an IPv4 address"},
	    {"ip6: 10.0.0.1", ":1: ip6: 10.0.0.1 is not an IPv6 address"},
	    {"addr4: 127.0.0.1", ":1: addr4: 127.0.0.1 is not an address:port (like "
				 "127.0.0.1:7777 or [::1]:7777)"},
	    {"addr4: 127.0.0.1:70000", ":1: addr4: port of 127.0.0.1:70000 is out of range "
				       "1..65535"},
	    {"addr4: 127.0.0.1:0", ":1: addr4: port of 127.0.0.1:0 is out of range 1..65535"},
	    {"addr4: 127.0.0.1:+80", ":1: addr4: 127.0.0.1:+80 is not an address:port (like "
				     "127.0.0.1:7777 or [::1]:7777)"},
	    {"addr4: host:80", ":1: addr4: host:80 is not an address:port (like "
			       "127.0.0.1:7777 or [::1]:7777)"},
	    {"addr6: ::1:7777", ":1: addr6: ::1:7777 is not an address:port (write an IPv6 "
				"address in brackets: [::1]:7777)"},
	    {"addr6: \"[::1]\"", ":1: addr6: [::1] is not an address:port (like "
				 "127.0.0.1:7777 or [::1]:7777)"},
	    {"pfx4: 10.45.0.1/16", ":1: pfx4: 10.45.0.1/16 has bits set after the prefix "
				   "length (did you mean 10.45.0.0/16?)"},
	    {"pfx4: 10.45.0.0/33", ":1: pfx4: prefix length of 10.45.0.0/33 is out of range "
				   "0..32"},
	    {"pfx4: 10.45.0.0", ":1: pfx4: 10.45.0.0 is not an IP prefix (like 10.45.0.0/16)"},
	    {"pfx4: 10.45.0.0/", ":1: pfx4: 10.45.0.0/ is not an IP prefix (like "
				 "10.45.0.0/16)"},
	    {"pfx6: 10.0.0.0/8", ":1: pfx6: 10.0.0.0/8 is not an IPv6 prefix (like "
				 "2001:db8::/48)"},
	    {"pfx6: 2001:db8::1/129", ":1: pfx6: prefix length of 2001:db8::1/129 is out of "
				      "range 0..128"},
	    {"pfx6: 2001:db8::1/64", ":1: pfx6: 2001:db8::1/64 has bits set after the prefix "
				     "length (did you mean 2001:db8::/64?)"},
	    {"key: 465B5CE8B199B49FAA5F0A2EE238A6", ":1: key: must be 32 hex digits (16 "
						    "bytes)"},
	    {"key: 465B5CE8B199B49FAA5F0A2EE238A6BZ", ":1: key: must be 32 hex digits (16 "
						      "bytes)"},
	    {"path: \"\"", ":1: path: must not be empty"},
	    {"nested: { inner: { x: 101 } }", ":1: nested.inner.x: 101 is out of range "
					      "-100..100"},
	    {"nested: { inner: { y: 1 } }", ":1: nested.inner.y: unknown key (allowed: x)"},
	    {"nested:\n  inner: 5", ":2: nested.inner: expected a map, got 5"},
	    {"ints: [1, 2, 3, 4, 5]", ":1: ints: too many entries (at most 4)"},
	    {"ints: [1, x]", ":1: ints[1]: expected an integer, got x"},
	    {"ints: { a: 1 }", ":1: ints: expected a list, got a map"},
	    {"maps:\n  - { a: 1 }\n  - { b: x }", ":3: maps[1].a: missing required key"},
	    {"maps:\n  - a: 1\n  - a: 10", ":3: maps[1].a: 10 is out of range 0..9"},
	    {"maps: [ {a: 1}, {a: 2}, {a: 3}, {a: 4} ]", ":1: maps: too many entries (at most 3)"},
	    {"maps: [ 5 ]", ":1: maps[0]: expected a map, got 5"},
	    {"dict: { a: info, b: info, c: info, d: info, e: info }",
	     ":1: dict: too many entries (at most 4)"},
	    {"dict: [info]", ":1: dict: expected a map, got a list"},
	    {"dict:\n  a:\n", ":2: dict.a: missing value"},
	    {"even: 3", ":1: even: 3 is not an even number (custom)"},
	    {"strange key: 1", ":1: strange key: unknown key (allowed: name, strp, digits, "
			       "flag, off, i8, u16, i32, u64, level, scheme, ip4, ip6, addr4, "
			       "addr6, pfx4, pfx6, key, path, abspath, nested, ints, maps, "
			       "dict, raw, even, d_port, d_str, d_enum, d_ip, d_addr, d_bool, "
			       "d_map, z_int, z_str, z_strp, z_ip, z_list, z_node)"},
	    {"\"k\\x01\": 1", ":1: k\\x01: unknown key (allowed: name, strp, digits, "
			      "flag, off, i8, u16, i32, u64, level, scheme, ip4, ip6, addr4, "
			      "addr6, pfx4, pfx6, key, path, abspath, nested, ints, maps, "
			      "dict, raw, even, d_port, d_str, d_enum, d_ip, d_addr, d_bool, "
			      "d_map, z_int, z_str, z_strp, z_ip, z_list, z_node)"},
	    {"level: \"a\\tb\\\"c\"", ":1: level: \"a\\x09b\\\"c\" is not one of: error, "
				      "warn, info, debug, trace"},
	    {"level: " /* 60 x's: cut after 48 */
	     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	     ":1: level: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... is not one of: "
	     "error, warn, info, debug, trace"},
	};
	char err[ERRLEN], want[ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sen_config *cfg = parse_tree(cases[i].text);
		struct t_types t;

		memset(&t, 0, sizeof(t));
		err[0] = '\0';
		assert_int_equal(
		    sen_cfg_bind(cfg, cfg->root, NULL, types_schema, &t, err, sizeof(err)),
		    -SEN_ECONFIG);
		snprintf(want, sizeof(want), "mem/t.yaml%s", cases[i].msg);
		if (strcmp(err, want))
			fail_msg("case %zu (%s):\n got  %s\n want %s", i, cases[i].text, err, want);
		sen_config_free(cfg);
	}
}

/* Problems found while building the tree, from text in memory. */
static void test_tree_errors(void **state)
{
	char deep[200];
	size_t i;

	expect_parse_error(0, "a: *x\n", ":1: a: YAML aliases (*name) are not supported");
	expect_parse_error(0, "a: !!str 001\n", ":1: a: YAML tags (!tag) are not supported");
	expect_parse_error(0, "a: [1, &x 2]\n", ":1: a[1]: YAML anchors (&name) are not supported");
	expect_parse_error(0, "? [a]\n: 1\n", ":1: a map key must be a plain value");
	expect_parse_error(0, "a:\n  - b: 1\n    b: 2\n",
			   ":3: a[0].b: duplicate key (first at "
			   "line 2)");
	expect_parse_error(0, "a: \"x\\0y\"\n", ":1: a: a value holds a NUL character");
	expect_parse_error(0, "", ":1: the file holds no settings");
	expect_parse_error(0, "---\n", ":1: the file holds no settings");
	expect_parse_error(0, "~\n", ":1: the file holds no settings");
	expect_parse_error(0, "just text\n",
			   ":1: expected a map at the top level, got "
			   "\"just text\"");
	expect_parse_error(0, "a: 1\n\tb: 2\n",
			   ":2: YAML syntax error: found a tab character "
			   "that violates indentation (while scanning a plain "
			   "scalar at line 1)");
	expect_parse_error(0, "a: \"open\n",
			   ":2: YAML syntax error: found unexpected end of "
			   "stream (while scanning a quoted scalar at line 1)");
	expect_parse_error(0, "a: 1\nb: \xff\xfe\n",
			   ":2: YAML syntax error: invalid leading "
			   "UTF-8 octet");

	/* 33 levels of nesting */
	for (i = 0; i < 33; i++)
		deep[i] = '[';
	deep[i] = '\0';
	expect_parse_error(SEN_CONFIG_TREE_ONLY, deep,
			   ":1: [0][0][0][0][0][0][0][0][0][0][0]"
			   "[0][0][0][0][0][0][0][0][0][0][0][0][0]"
			   "[0][0][0][0][0][0][0][0]: nested deeper "
			   "than 32 levels");
	memcpy(deep, "a: ", 3);
	for (i = 3; i < 3 + 31; i++)
		deep[i] = '[';
	deep[i] = '\0';
	/* the map and 31 lists make 32 levels: fine for the tree; the text then ends early */
	expect_parse_error(SEN_CONFIG_TREE_ONLY, deep,
			   ":2: YAML syntax error: did not find expected node content (while "
			   "parsing a flow node at line 2)");
}

/* ---------------------------------------------------------------------------------------- */
/* Loading, paths, helpers.                                                                   */

static void test_load_io(void **state)
{
	struct sen_config *cfg = (struct sen_config *)1;
	char err[ERRLEN], want[PATH_MAX + 64];
	const char *missing = data("no-such-file.yaml");

	assert_int_equal(sen_config_load(missing, &cfg, err, sizeof(err)), -SEN_EIO);
	assert_null(cfg);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", missing);
	assert_string_equal(err, want);

	snprintf(want, sizeof(want), "%s/config", getenv("SEN_TESTDATA"));
	assert_int_equal(sen_config_load(want, &cfg, err, sizeof(err)), -SEN_EIO);
	strcat(want, ": is a directory");
	assert_string_equal(err, want);

	/* errlen 0, NULL err and a tiny buffer are all safe */
	assert_int_equal(sen_config_load(missing, &cfg, NULL, 0), -SEN_EIO);
	assert_int_equal(sen_config_load(data("err_range.yaml"), &cfg, err, 8), -SEN_ECONFIG);
	assert_int_equal(strlen(err), 7);
	assert_memory_equal(err, data("err_range.yaml"), 7);
	sen_config_free(NULL);
}

static void test_paths(void **state)
{
	struct sen_config *cfg = load_ok(data("minimal.yaml"));
	char out[PATH_MAX], want[PATH_MAX + 16], small[8];
	struct {
		char p[12];
	} d;
	/* Schema tables are laid out by hand, one field per entry. */
	/* clang-format off */
	static const struct sen_cfg_field small_schema[] = {
		{ .key = "p", .kind = SEN_CFG_PATH, .offset = 0, .size = 12 },
		SEN_CFG_END,
	};
	/* clang-format on */
	struct sen_config *t;
	char err[ERRLEN];

	assert_string_equal(cfg->dir, data_dir());
	assert_int_equal(sen_config_resolve_path(cfg, "keys/x.key", out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s/keys/x.key", data_dir());
	assert_string_equal(out, want);
	assert_int_equal(sen_config_resolve_path(cfg, "/abs/y", out, sizeof(out)), 0);
	assert_string_equal(out, "/abs/y");
	assert_int_equal(sen_config_resolve_path(cfg, "", out, sizeof(out)), -SEN_EINVAL);
	assert_int_equal(sen_config_resolve_path(cfg, "keys/x.key", small, sizeof(small)),
			 -SEN_ERANGE);
	assert_string_equal(small, "");
	assert_int_equal(sen_config_resolve_path(cfg, "/abcdefg", small, sizeof(small)),
			 -SEN_ERANGE);
	assert_int_equal(sen_config_resolve_path(cfg, "/abcdef", small, sizeof(small)), 0);
	sen_config_free(cfg);

	/* a relative file name: the directory is made absolute from the working directory */
	assert_int_equal(sen_config_parse("no-dir/x.yaml", "a: 1", 4, SEN_CONFIG_TREE_ONLY, &t, err,
					  sizeof(err)),
			 0);
	assert_non_null(getcwd(out, sizeof(out)));
	snprintf(want, sizeof(want), "%s/no-dir", out);
	assert_string_equal(t->dir, want);
	sen_config_free(t);
	assert_int_equal(
	    sen_config_parse("/x.yaml", "p: /a", 5, SEN_CONFIG_TREE_ONLY, &t, err, sizeof(err)), 0);
	assert_string_equal(t->dir, "/");
	assert_int_equal(sen_config_resolve_path(t, "k", out, sizeof(out)), 0);
	assert_string_equal(out, "/k");
	/* PATH into a 12-byte array: "/a" fits, a long one does not */
	assert_int_equal(sen_cfg_bind(t, t->root, NULL, small_schema, &d, err, sizeof(err)), 0);
	assert_string_equal(d.p, "/a");
	sen_config_free(t);
	assert_int_equal(sen_config_parse("/x.yaml", "p: /abcdefghijk", 15, SEN_CONFIG_TREE_ONLY,
					  &t, err, sizeof(err)),
			 0);
	assert_int_equal(sen_cfg_bind(t, t->root, "s", small_schema, &d, err, sizeof(err)),
			 -SEN_ECONFIG);
	assert_string_equal(err, "/x.yaml:1: s.p: path is too long (at most 11 characters)");
	sen_config_free(t);
}

static void test_parse_int(void **state)
{
	static const struct {
		const char *s;
		int rc;
		int64_t v;
	} cases[] = {
	    {"0", 0, 0},
	    {"-0", 0, 0},
	    {"007", 0, 7},
	    {"123", 0, 123},
	    {"0x1F", 0, 31},
	    {"0X1f", 0, 31},
	    {"9223372036854775807", 0, INT64_MAX},
	    {"-9223372036854775808", 0, INT64_MIN},
	    {"0x7fffffffffffffff", 0, INT64_MAX},
	    {"9223372036854775808", -SEN_ERANGE, 0},
	    {"-9223372036854775809", -SEN_ERANGE, 0},
	    {"0x8000000000000000", -SEN_ERANGE, 0},
	    {"18446744073709551616", -SEN_ERANGE, 0},
	    {"", -SEN_EINVAL, 0},
	    {"-", -SEN_EINVAL, 0},
	    {"0x", -SEN_EINVAL, 0},
	    {"12a", -SEN_EINVAL, 0},
	    {" 1", -SEN_EINVAL, 0},
	    {"1 ", -SEN_EINVAL, 0},
	    {"+1", -SEN_EINVAL, 0},
	    {"-0x1", -SEN_EINVAL, 0},
	    {"1e3", -SEN_EINVAL, 0},
	    {"0x1g", -SEN_EINVAL, 0},
	    {"99999999999999999999x", -SEN_EINVAL, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = 12345;
		int rc = sen_cfg_parse_int(cases[i].s, &v);

		if (rc != cases[i].rc || (rc == 0 && v != cases[i].v))
			fail_msg("\"%s\": rc %d value %" PRId64, cases[i].s, rc, v);
		if (rc)
			assert_true(v == 12345);
	}
}

static void test_tree_api(void **state)
{
	struct sen_config *cfg = parse_tree("a: 1\nb: 'q'\nc: [x, ~, null, \"\", '']\nd:\n");
	const struct sen_cfg_node *c = sen_cfg_map_get(cfg->root, "c");
	char show[SEN_CFG_SHOW_MAX];

	assert_int_equal(cfg->root->count, 4);
	assert_string_equal(cfg->root->pairs[1].key, "b");
	assert_int_equal(cfg->root->pairs[1].line, 2);
	assert_true(sen_cfg_map_get(cfg->root, "a")->plain);
	assert_false(sen_cfg_map_get(cfg->root, "b")->plain);
	assert_null(sen_cfg_map_get(cfg->root, "zz"));
	assert_null(sen_cfg_map_get(NULL, "a"));
	assert_null(sen_cfg_map_get(c, "a"));
	assert_int_equal(c->type, SEN_CFG_T_SEQ);
	assert_int_equal(c->count, 5);
	assert_false(sen_cfg_is_null(c->items[0]));
	assert_true(sen_cfg_is_null(c->items[1]));
	assert_true(sen_cfg_is_null(c->items[2]));
	assert_false(sen_cfg_is_null(c->items[3])); /* quoted: an empty string, not null */
	assert_false(sen_cfg_is_null(c->items[4]));
	assert_true(sen_cfg_is_null(sen_cfg_map_get(cfg->root, "d")));
	assert_null(sen_config_section(cfg, "d")); /* a null section is no section */
	assert_string_equal(sen_cfg_show(c, show), "a list");
	assert_string_equal(sen_cfg_show(cfg->root, show), "a map");
	assert_string_equal(sen_cfg_show(c->items[3], show), "\"\"");
	assert_string_equal(sen_cfg_show(NULL, show), "nothing");
	sen_config_free(cfg);
}

/* A schema mistake is reported, not followed. */
static void test_schema_bugs(void **state)
{
	struct sen_config *cfg = parse_tree("a: 5\n");
	struct {
		uint8_t b[3];
		int64_t v;
	} d;
	/* Schema tables are laid out by hand, one field per entry. */
	/* clang-format off */
	static const struct sen_cfg_field odd_size[] = {
		{ .key = "a", .kind = SEN_CFG_INT, .offset = 0, .size = 3 },
		SEN_CFG_END,
	};
	static const struct sen_cfg_field too_wide[] = {
		{ .key = "a", .kind = SEN_CFG_INT, .offset = 0, .size = 1, .min = 0, .max = 256 },
		SEN_CFG_END,
	};
	/* clang-format on */
	char err[ERRLEN];

	assert_int_equal(sen_cfg_bind(cfg, cfg->root, NULL, odd_size, &d, err, sizeof(err)),
			 -SEN_ECONFIG);
	assert_string_equal(err, "mem/t.yaml: a: internal error: bad schema (integer size)");
	assert_int_equal(sen_cfg_bind(cfg, cfg->root, NULL, too_wide, &d, err, sizeof(err)),
			 -SEN_ECONFIG);
	assert_string_equal(err, "mem/t.yaml: a: internal error: bad schema (integer range)");
	sen_config_free(cfg);
}

/* The example in config.h, as written there: a list of strings in char arrays. */
struct amf_cfg {
	struct sen_cfg_addr sbi;
	uint16_t port;
	size_t n;
	char names[4][16];
};

/* clang-format off */
static const struct sen_cfg_field name_elem = {
	.kind = SEN_CFG_STR, SEN_CFG_ELEM(char[16]),
};
static const struct sen_cfg_field example_schema[] = {
	{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
	  SEN_CFG_AT(struct amf_cfg, sbi) },
	{ .key = "port", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_cfg, port),
	  .min = 1, .max = 65535, .def = "38412" },
	{ .key = "names", .kind = SEN_CFG_LIST,
	  SEN_CFG_LIST_AT(struct amf_cfg, names, n), .elem = &name_elem },
	SEN_CFG_END,
};
/* clang-format on */

static void test_header_example(void **state)
{
	static const char text[] = "amf:\n  sbi: \"[2001:db8::5]:7777\"\n"
				   "  names: [first, second, fifteen-chars-x]\n";
	struct sen_config *cfg = NULL;
	static const char too_long[] = "amf: { sbi: 10.0.0.1:80, names: [sixteen-chars-xx] }";
	struct amf_cfg amf;
	char err[ERRLEN];

	assert_int_equal(sen_config_parse("/etc/sen/sen.yaml", text, sizeof(text) - 1,
					  SEN_CONFIG_TREE_ONLY, &cfg, err, sizeof(err)),
			 0);
	memset(&amf, 0xa5, sizeof(amf));
	if (sen_config_bind_section(cfg, "amf", example_schema, &amf, err, sizeof(err)))
		fail_msg("%s", err);
	assert_addr(&amf.sbi, "[2001:db8::5]:7777");
	assert_int_equal(amf.port, 38412);
	assert_int_equal(amf.n, 3);
	assert_string_equal(amf.names[0], "first");
	assert_string_equal(amf.names[1], "second");
	assert_string_equal(amf.names[2], "fifteen-chars-x");
	sen_config_free(cfg);

	/* 16 characters do not fit in char[16] */
	assert_int_equal(sen_config_parse("/etc/sen/sen.yaml", too_long, strlen(too_long),
					  SEN_CONFIG_TREE_ONLY, &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(
	    sen_config_bind_section(cfg, "amf", example_schema, &amf, err, sizeof(err)),
	    -SEN_ECONFIG);
	assert_string_equal(err, "/etc/sen/sen.yaml:1: amf.names[0]: too long (at most 15 "
				 "characters)");
	sen_config_free(cfg);
}

/* The nrf section has one schema, sen_cfg_nrf_schema: sbi, heartbeat, validity. */
static void nrf_bind(const char *text, struct sen_cfg_nrf *nrf, int want_rc, const char *want)
{
	struct sen_config *cfg = NULL;
	char err[ERRLEN] = "";

	assert_int_equal(sen_config_parse("/etc/sen/sen.yaml", text, strlen(text),
					  SEN_CONFIG_TREE_ONLY, &cfg, err, sizeof(err)),
			 0);
	memset(nrf, 0xa5, sizeof(*nrf));
	assert_int_equal(
	    sen_config_bind_section(cfg, "nrf", sen_cfg_nrf_schema, nrf, err, sizeof(err)),
	    want_rc);
	if (want)
		assert_string_equal(err, want);
	sen_config_free(cfg);
}

static void test_nrf_section(void **state)
{
	struct sen_cfg_nrf nrf;

	(void)state;
	nrf_bind("nrf: { sbi: 127.0.0.10:7777 }\n", &nrf, 0, NULL);
	assert_addr(&nrf.sbi, "127.0.0.10:7777");
	assert_int_equal(nrf.heartbeat, 10);
	assert_int_equal(nrf.validity, 60);
	nrf_bind("nrf: { sbi: 127.0.0.10:7777, heartbeat: 3600, validity: 0 }\n", &nrf, 0, NULL);
	assert_int_equal(nrf.heartbeat, 3600);
	assert_int_equal(nrf.validity, 0);
	nrf_bind("nrf:\n  sbi: 127.0.0.10:7777\n  heartbeat: 0\n", &nrf, -SEN_ECONFIG,
		 "/etc/sen/sen.yaml:3: nrf.heartbeat: 0 is out of range 1..3600");
	nrf_bind("nrf:\n  sbi: 127.0.0.10:7777\n  validity: 86401\n", &nrf, -SEN_ECONFIG,
		 "/etc/sen/sen.yaml:3: nrf.validity: 86401 is out of range 0..86400");
	nrf_bind("nrf: { heartbeat: 5 }\n", &nrf, -SEN_ECONFIG, NULL);
	nrf_bind("nrf: { sbi: 127.0.0.10:7777, heartbeet: 5 }\n", &nrf, -SEN_ECONFIG, NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Junk: every input fails cleanly or loads; nothing crashes or overruns.                     */

static uint32_t rng_state = 0x12345678;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Parse and, if it loads, bind every section against every schema: must not crash. */
static int try_text(const char *text, size_t len, char *err, size_t errlen)
{
	struct sen_config *cfg = NULL;
	struct t_amf amf;
	struct t_smf smf;
	struct t_upf upf;
	struct sen_cfg_udm udm;
	struct sen_cfg_udr udr;
	struct sen_cfg_nrf nrf;
	int rc = sen_config_parse("junk.yaml", text, len, 0, &cfg, err, errlen);

	if (rc) {
		assert_null(cfg);
		assert_int_equal(strncmp(err, "junk.yaml", 9), 0);
		assert_true(strlen(err) < errlen);
		return rc;
	}
	sen_config_bind_section(cfg, "amf", amf_schema, &amf, err, errlen);
	sen_config_bind_section(cfg, "smf", smf_schema, &smf, err, errlen);
	sen_config_bind_section(cfg, "upf", upf_schema, &upf, err, errlen);
	sen_config_bind_section(cfg, "udm", sen_cfg_udm_schema, &udm, err, errlen);
	sen_config_bind_section(cfg, "udr", sen_cfg_udr_schema, &udr, err, errlen);
	sen_config_bind_section(cfg, "nrf", sen_cfg_nrf_schema, &nrf, err, errlen);
	sen_config_free(cfg);
	return 0;
}

static void test_junk(void **state)
{
	char err[ERRLEN], want[ERRLEN];
	char *big, *sample;
	size_t i, len, n_ok = 0;
	char path[PATH_MAX];

	/* random bytes */
	big = malloc(SEN_CFG_MAX_FILE + 2);
	assert_non_null(big);
	for (i = 0; i < 200; i++) {
		size_t j, n = rng() % 300;

		for (j = 0; j < n; j++)
			big[j] = (char)rng();
		assert_int_not_equal(try_text(big, n, err, sizeof(err)), 0);
	}
	/* NUL bytes */
	assert_int_equal(try_text("a: 1\0b: 2", 9, err, sizeof(err)), -SEN_ECONFIG);
	/* a very long value and a very long key: messages stay short */
	memset(big, 'k', 600000);
	memcpy(big + 600000, ": 1\n", 4);
	assert_int_equal(try_text(big, 600004, err, sizeof(err)), -SEN_ECONFIG);
	assert_true(strlen(err) < 400);
	memcpy(big, "plmn: ", 6);
	assert_int_equal(try_text(big, 600000, err, sizeof(err)), -SEN_ECONFIG);
	assert_string_equal(err, "junk.yaml:1: plmn: expected a map, got "
				 "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...");
	/* over the size limit */
	memset(big, ' ', SEN_CFG_MAX_FILE + 1);
	assert_int_equal(try_text(big, SEN_CFG_MAX_FILE + 1, err, sizeof(err)), -SEN_ECONFIG);
	assert_string_equal(err, "junk.yaml: the file is larger than 1048576 bytes");
	/* very many nodes */
	memcpy(big, "a: [", 4);
	for (i = 4; i + 2 < 4 + 2 * (SEN_CFG_MAX_NODES + 10); i += 2) {
		big[i] = '1';
		big[i + 1] = ',';
	}
	big[i] = ']';
	assert_int_equal(try_text(big, i + 1, err, sizeof(err)), -SEN_ECONFIG);
	snprintf(want, sizeof(want), "junk.yaml:1: a[%d]: more than %d values in the file",
		 SEN_CFG_MAX_NODES - 3, SEN_CFG_MAX_NODES);
	assert_string_equal(err, want);
	/* deep nesting of maps */
	len = 0;
	for (i = 0; i < 5000; i++)
		len += (size_t)sprintf(big + len, "{a: ");
	assert_int_equal(try_text(big, len, err, sizeof(err)), -SEN_ECONFIG);
	assert_non_null(strstr(err, "nested deeper than 32 levels"));
	/* too many keys in one map */
	len = 0;
	for (i = 0; i < SEN_CFG_MAX_KEYS + 1; i++)
		len += (size_t)sprintf(big + len, "k%zu: 1\n", i);
	assert_int_equal(try_text(big, len, err, sizeof(err)), -SEN_ECONFIG);
	snprintf(want, sizeof(want), "junk.yaml:%d: more than %d keys in one map",
		 SEN_CFG_MAX_KEYS + 1, SEN_CFG_MAX_KEYS);
	assert_string_equal(err, want);
	/* UTF-16 and a BOM, control characters */
	assert_int_not_equal(try_text("\xff\xfe"
				      "a\0:\0 \0"
				      "1\0",
				      10, err, sizeof(err)),
			     0);
	assert_int_equal(try_text("a: \x01\n", 5, err, sizeof(err)), -SEN_ECONFIG);

	/* mutations of the sample: flip, delete and duplicate bytes */
	snprintf(path, sizeof(path), "%s/../../configs/sen.yaml", getenv("SEN_TESTDATA"));
	{
		FILE *fp = fopen(path, "r");

		assert_non_null(fp);
		sample = malloc(65536);
		assert_non_null(sample);
		len = fread(sample, 1, 65536, fp);
		fclose(fp);
	}
	assert_int_equal(try_text(sample, len, err, sizeof(err)), 0);
	for (i = 0; i < 3000; i++) {
		size_t n = len, k, edits = 1 + rng() % 4;

		memcpy(big, sample, len);
		for (k = 0; k < edits && n > 1; k++) {
			size_t at = rng() % n;

			switch (rng() % 3) {
			case 0:
				big[at] = (char)(rng() % 3 ? " :-[]{},#&*!\"'\n9a"[rng() % 18]
							   : (char)rng());
				break;
			case 1:
				memmove(big + at, big + at + 1, n - at - 1);
				n--;
				break;
			default:
				memmove(big + at + 1, big + at, n - at);
				n++;
				break;
			}
		}
		if (try_text(big, n, err, sizeof(err)) == 0)
			n_ok++;
	}
	/* some mutations are harmless (comments, spaces): both outcomes are exercised */
	assert_true(n_ok > 0 && n_ok < 3000);
	free(sample);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sample),	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_global_defaults), cmocka_unit_test(test_error_files),
	    cmocka_unit_test(test_section_errors),  cmocka_unit_test(test_type_errors),
	    cmocka_unit_test(test_tree_errors),	    cmocka_unit_test(test_load_io),
	    cmocka_unit_test(test_paths),	    cmocka_unit_test(test_parse_int),
	    cmocka_unit_test(test_tree_api),	    cmocka_unit_test(test_schema_bugs),
	    cmocka_unit_test(test_header_example),  cmocka_unit_test(test_junk),
	    cmocka_unit_test(test_nrf_section),	    cmocka_unit_test(test_check_sections),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
