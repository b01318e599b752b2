/*
 * Sen configuration: one sen.yaml describes a whole deployment (docs/configuration.md).
 *
 * Two layers, one mechanism:
 *
 *  1. Loading turns the YAML text into a small read-only tree of nodes (map, sequence,
 *     scalar), each with its line number. Everything in the file is untrusted: the size, the
 *     nesting depth and the node count are bounded; anchors, aliases, tags, complex keys,
 *     several documents and duplicate map keys are refused. Scalars are kept as text: YAML's
 *     own typing is not applied, so `mnc: 01` keeps its leading zero and the schema alone
 *     decides what a value means.
 *
 *  2. Binding walks a map node against a schema, a const table of struct sen_cfg_field
 *     (key, kind, offset and size of the destination member, required or default, range,
 *     allowed names, nested schema …), and fills a C struct. The first problem found stops
 *     the walk and becomes one message:
 *
 *         configs/sen.yaml:14: amf.ngap.port: 70000 is out of range 1..65535
 *
 * sen_config_load() reads the file, builds the tree and binds the global part (plmn, tac,
 * slices, log, metrics) into cfg->global. Each network function then binds its own section
 * with its own schema: sen_config_bind_section(cfg, "amf", amf_schema, &amf, …).
 */
#ifndef SEN_CORE_CONFIG_H
#define SEN_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Limits on what a configuration may contain (anything larger is refused, with a message). */
#define SEN_CFG_MAX_FILE  (1024 * 1024) /* bytes in the file */
#define SEN_CFG_MAX_DEPTH 32		/* nesting of maps and sequences */
#define SEN_CFG_MAX_NODES 100000	/* nodes in the tree */
#define SEN_CFG_MAX_KEYS  4096		/* keys in one map */
#define SEN_CFG_ERR_MAX	  512		/* an error buffer of this size never truncates much */

/* ---------------------------------------------------------------------------------------- */
/* The node tree (read-only for users; owned by the struct sen_config).                       */

enum sen_cfg_type { SEN_CFG_T_SCALAR, SEN_CFG_T_MAP, SEN_CFG_T_SEQ };

struct sen_cfg_node;

struct sen_cfg_pair {
	const char *key;		  /* NUL-terminated key text */
	unsigned line;			  /* line of the key (1-based) */
	const struct sen_cfg_node *value; /* never NULL */
};

struct sen_cfg_node {
	enum sen_cfg_type type;
	unsigned line;	 /* 1-based line where the node starts */
	bool plain;	 /* scalar written without quotes */
	const char *str; /* scalar: NUL-terminated text (never holds a NUL inside); else NULL */
	size_t len;	 /* scalar: strlen(str) */
	size_t count;	 /* map: pairs; sequence: items; scalar: 0 */
	const struct sen_cfg_pair *pairs;	 /* map: in file order, keys unique */
	const struct sen_cfg_node *const *items; /* sequence: in file order */
};

/* The value of `key` in map node `map`, or NULL (also when `map` is NULL or not a map). */
const struct sen_cfg_node *sen_cfg_map_get(const struct sen_cfg_node *map, const char *key);

/* True for a plain scalar that YAML reads as null: empty, "~", "null", "Null", "NULL". */
bool sen_cfg_is_null(const struct sen_cfg_node *n);

/* ---------------------------------------------------------------------------------------- */
/* Value types that kinds of fields fill.                                                     */

/* An IPv4 or IPv6 address. family is AF_INET, AF_INET6, or 0 when absent. */
struct sen_cfg_ip {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* "addr:port" ("127.0.0.5:7777", "[::1]:7777"), ready for bind()/connect(). len is 0 when
 * absent. */
struct sen_cfg_addr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	};
	socklen_t len;
};

/* "10.45.0.0/16", "2001:db8::/48": the address has no bit set after the prefix length. */
struct sen_cfg_prefix {
	struct sen_cfg_ip ip;
	uint8_t len;
};

/* ---------------------------------------------------------------------------------------- */
/* Schemas.                                                                                   */

enum sen_cfg_kind {
	SEN_CFG_STR,	/* char[size]; length min..max (max 0: as the array allows) */
	SEN_CFG_STRP,	/* const char *, points into the tree; length min..max (max 0: any) */
	SEN_CFG_DIGITS, /* char[size] of decimal digits, min..max of them, leading zeros kept */
	SEN_CFG_BOOL,	/* bool: true or false */
	SEN_CFG_INT,	/* integer member of 1, 2, 4 or 8 bytes; decimal or 0x hex; min..max */
	SEN_CFG_ENUM,	/* integer member: index of the name in `choices` (or values[index]) */
	SEN_CFG_IP,	/* struct sen_cfg_ip; flags SEN_CFG_V4 / SEN_CFG_V6 restrict the family */
	SEN_CFG_ADDR,	/* struct sen_cfg_addr from "ip:port" / "[ipv6]:port", port 1..65535 */
	SEN_CFG_PREFIX, /* struct sen_cfg_prefix; flags SEN_CFG_V4 / SEN_CFG_V6 as for IP */
	SEN_CFG_HEX,	/* uint8_t[size]: exactly 2*size hex digits; never echoed in messages */
	SEN_CFG_PATH,	/* char[size]: a file path, resolved against the config file's directory */
	SEN_CFG_PATHP,	/* const char *: as PATH, allocated; lives as long as the config */
	SEN_CFG_MAP,	/* nested struct at offset, fields in `sub` (offsets relative to it) */
	SEN_CFG_LIST,	/* array at offset: cap elements described by `elem`, count at count_off */
	SEN_CFG_DICT,	/* map with free keys: like LIST, each element's key (const char *) is
			   stored at key_off within the element, its value bound with `elem` */
	SEN_CFG_NODE,	/* const struct sen_cfg_node *: the raw node, for a later bind */
	SEN_CFG_CUSTOM, /* `parse` callback */
};

/* Field flags. */
#define SEN_CFG_REQUIRED 0x1u /* the key must be present (and not null) */
#define SEN_CFG_V4	 0x2u /* IP / PREFIX / ADDR: IPv4 only */
#define SEN_CFG_V6	 0x4u /* IP / PREFIX / ADDR: IPv6 only */
#define SEN_CFG_MAPNODE	 0x8u /* NODE: the node must be a map */

struct sen_cfg_ctx;
struct sen_cfg_field;

/*
 * A custom parser for a scalar, map or sequence node `n` (never a null scalar), writing to
 * `dst` (the member at the field's offset). Returns 0, or the value of sen_cfg_error().
 */
typedef int (*sen_cfg_parse_fn)(struct sen_cfg_ctx *ctx, const struct sen_cfg_field *f,
				const struct sen_cfg_node *n, void *dst);

struct sen_cfg_field {
	const char *key; /* NULL ends a schema */
	enum sen_cfg_kind kind;
	unsigned flags; /* SEN_CFG_REQUIRED (wins over def), SEN_CFG_V4, _V6, _MAPNODE */
	size_t offset;	/* of the member in the destination struct (in an element) */
	size_t size;	/* sizeof the member; LIST/DICT: of the whole array */
	/*
	 * INT: range (both 0: the member type's range); STR/STRP/DIGITS: length;
	 * LIST/DICT: min is the least count of entries when present.
	 */
	int64_t min, max;
	/*
	 * Used when the key is absent (or null): the text is parsed as if it were written in
	 * the file. Without a default an optional absent field is zeroed (empty string, NULL
	 * pointer, family 0, count 0); an absent MAP still gets its own fields' defaults.
	 */
	const char *def;
	const char *const *choices;	 /* ENUM: allowed names, NULL-terminated */
	const int *values;		 /* ENUM: stored value per name (NULL: the index) */
	const struct sen_cfg_field *sub; /* MAP: its schema */
	/*
	 * LIST/DICT: how to bind one value, with offset/size of the member inside one element
	 * (for a list of scalars offset 0, size of the element; for a list of maps, kind MAP).
	 */
	const struct sen_cfg_field *elem;
	size_t cap;		      /* LIST/DICT: array capacity; the stride is size/cap */
	size_t count_off, count_size; /* LIST/DICT: the element count member */
	size_t key_off;		      /* DICT: const char * key member within an element */
	sen_cfg_parse_fn parse;	      /* CUSTOM */
	const void *arg;	      /* CUSTOM: free for the callback's use */
};

/* Member helpers for schema tables: `.offset` and `.size` of member m of struct type T. */
#define SEN_CFG_AT(T, m) .offset = offsetof(T, m), .size = sizeof(((T *)0)->m)
/* Array member `arr` with count member `n` for LIST / DICT fields. */
#define SEN_CFG_LIST_AT(T, arr, n)                                                                 \
	.offset = offsetof(T, arr), .size = sizeof(((T *)0)->arr),                                 \
	.cap = sizeof(((T *)0)->arr) / sizeof(((T *)0)->arr[0]), .count_off = offsetof(T, n),      \
	.count_size = sizeof(((T *)0)->n)
/* A list element of type T (its offset is 0). */
#define SEN_CFG_ELEM(T) .offset = 0, .size = sizeof(T)
/* clang-format off */
#define SEN_CFG_END { .key = NULL }

/*
 * Example: an NF's section { sbi: addr:port, port: 1..65535 (default 38412), names: [...] }
 *
 *	struct amf_cfg {
 *		struct sen_cfg_addr sbi;
 *		uint16_t port;
 *		size_t n;
 *		char names[4][16];
 *	};
 *	static const struct sen_cfg_field name_elem = {
 *		.kind = SEN_CFG_STR, SEN_CFG_ELEM(char[16]),
 *	};
 *	static const struct sen_cfg_field amf_schema[] = {
 *		{ .key = "sbi", .kind = SEN_CFG_ADDR, .flags = SEN_CFG_REQUIRED,
 *		  SEN_CFG_AT(struct amf_cfg, sbi) },
 *		{ .key = "port", .kind = SEN_CFG_INT, SEN_CFG_AT(struct amf_cfg, port),
 *		  .min = 1, .max = 65535, .def = "38412" },
 *		{ .key = "names", .kind = SEN_CFG_LIST,
 *		  SEN_CFG_LIST_AT(struct amf_cfg, names, n), .elem = &name_elem },
 *		SEN_CFG_END,
 *	};
 *	rc = sen_config_bind_section(cfg, "amf", amf_schema, &amf, err, sizeof(err));
 */
/* clang-format on */

/* ---------------------------------------------------------------------------------------- */
/* The global part of sen.yaml.                                                               */

#define SEN_CFG_MAX_TAC		16
#define SEN_CFG_MAX_SLICES	16
#define SEN_CFG_MAX_LOG_MODULES 32
#define SEN_CFG_SD_NONE		0xffffffu /* TS 23.003 28.4.2: no SD */

enum sen_cfg_log_level {
	SEN_CFG_LOG_ERROR,
	SEN_CFG_LOG_WARN,
	SEN_CFG_LOG_INFO,
	SEN_CFG_LOG_DEBUG,
	SEN_CFG_LOG_TRACE,
};

struct sen_cfg_plmn {
	char mcc[4]; /* 3 digits */
	char mnc[4]; /* 2 or 3 digits, leading zeros kept */
};

struct sen_cfg_slice {
	uint8_t sst;
	uint32_t sd; /* 24 bits, SEN_CFG_SD_NONE when not configured */
};

struct sen_cfg_log_module {
	const char *name; /* module name as written */
	int level;	  /* enum sen_cfg_log_level */
};

struct sen_cfg_log {
	int level;	  /* enum sen_cfg_log_level, default info */
	const char *file; /* resolved path, NULL: standard error */
	size_t n_modules;
	struct sen_cfg_log_module modules[SEN_CFG_MAX_LOG_MODULES];
};

struct sen_cfg_metrics {
	uint16_t port; /* Prometheus text on every NF's SBI address; default 9090 */
};

struct sen_cfg_global {
	struct sen_cfg_plmn plmn;
	size_t n_tac;
	uint32_t tac[SEN_CFG_MAX_TAC]; /* 0..16777215 (24-bit TAC) */
	size_t n_slices;
	struct sen_cfg_slice slices[SEN_CFG_MAX_SLICES];
	struct sen_cfg_log log;
	struct sen_cfg_metrics metrics;
	/* The network functions' sections, NULL when absent; each NF binds its own. */
	const struct sen_cfg_node *nrf, *amf, *smf, *upf, *ausf, *udm, *udr;
};

/* The schema of the top level, exported for tools that want to list or document it. */
extern const struct sen_cfg_field sen_cfg_global_schema[];

struct sen_cfg_mem;

struct sen_config {
	const char *file;		 /* the path as given to load (used in messages) */
	const char *dir;		 /* absolute directory of the file, for relative paths */
	const struct sen_cfg_node *root; /* the top-level map */
	struct sen_cfg_global global;	 /* bound by sen_config_load */
	struct sen_cfg_mem *mem;	 /* private: owns everything above */
};

/* ---------------------------------------------------------------------------------------- */
/* Loading.                                                                                   */

/*
 * Read and check the configuration file `path`: build the tree and bind the global part.
 * On success returns 0 and sets *cfg (free with sen_config_free). On failure returns
 *   -SEN_ECONFIG  the file is not a valid configuration,
 *   -SEN_EIO      it cannot be opened or read,
 *   -SEN_ENOMEM   out of memory,
 * sets *cfg to NULL and writes one NUL-terminated line to err (errlen bytes, truncated if
 * needed; err may be NULL), e.g. "sen.yaml:3: plmn.mcc: 1234 must be 3 digits".
 */
int sen_config_load(const char *path, struct sen_config **cfg, char *err, size_t errlen);

#define SEN_CONFIG_TREE_ONLY 0x1u /* build the tree; leave cfg->global zeroed and unchecked */

/*
 * As sen_config_load, from `len` bytes of `text` (need not be NUL-terminated). `name` is the
 * file name used in messages; its directory anchors relative paths.
 */
int sen_config_parse(const char *name, const char *text, size_t len, unsigned flags,
		     struct sen_config **cfg, char *err, size_t errlen);

/* Free the configuration and everything bound from it (strings, paths). NULL is fine. */
void sen_config_free(struct sen_config *cfg);

/* The top-level section `name` ("amf", …), or NULL if the file has none. */
const struct sen_cfg_node *sen_config_section(const struct sen_config *cfg, const char *name);

/*
 * The line of the key (or list entry) at a dotted path built from `fmt`
 * ("udm.hn_keys[%zu].id"), or 0 if the path is not in the file: for messages about a value checked after binding
 * ("file:line: udm.hn_keys[1].id: 1 is given twice"). Keys holding '.' or '[' cannot be
 * named.
 */
unsigned sen_config_line(const struct sen_config *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Resolve `path` against the directory of the config file: an absolute path is copied, a
 * relative one is joined to cfg->dir. Returns 0, -SEN_EINVAL (empty path) or -SEN_ERANGE
 * (the result does not fit in outlen bytes, NUL included).
 */
int sen_config_resolve_path(const struct sen_config *cfg, const char *path, char *out,
			    size_t outlen);

/* ---------------------------------------------------------------------------------------- */
/* Binding.                                                                                   */

/*
 * Bind map node `node` against `schema`, filling the struct at `dst`. `prefix` ("amf") is
 * the dotted path of the node, used in messages ("" or NULL at the top). A NULL node binds
 * as an empty map (defaults apply; a missing required key is reported without a line).
 *
 * Every key of the node must be in the schema; every field of the schema is written (the
 * value, the default, or zero), other bytes of dst are untouched. Returns 0, or -SEN_ECONFIG
 * (-SEN_ENOMEM) with the first problem in err, as "file:line: dotted.path: what is wrong".
 * Strings and paths bound by pointer live as long as cfg.
 */
int sen_cfg_bind(struct sen_config *cfg, const struct sen_cfg_node *node, const char *prefix,
		 const struct sen_cfg_field *schema, void *dst, char *err, size_t errlen);

/*
 * Bind the top-level section `name` against `schema`. A missing section is an error
 * ("file: amf: section is missing").
 */
int sen_config_bind_section(struct sen_config *cfg, const char *name,
			    const struct sen_cfg_field *schema, void *dst, char *err,
			    size_t errlen);

/*
 * Check the top-level section `name` against `schema` without keeping anything: bind it
 * into `size` zeroed scratch bytes (the size of the struct the schema describes), then
 * drop them. Returns 0 when the section is valid or absent, else as sen_cfg_bind. No side
 * effect beyond memory: files named in the section are not opened.
 */
int sen_config_check_section(struct sen_config *cfg, const char *name,
			     const struct sen_cfg_field *schema, size_t size, char *err,
			     size_t errlen);

/*
 * sen_config_check_section for each section whose schema lib/core holds (nrf, udr, udm,
 * ausf): every daemon calls it before starting, so a typo in another NF's section of the
 * shared sen.yaml stops start-up too.
 */
int sen_config_check_core_sections(struct sen_config *cfg, char *err, size_t errlen);

/*
 * For custom parsers: report a problem with node `n` (its line and the current key path)
 * as "file:line: path: <message>". Returns -SEN_ECONFIG. Never put key material in it.
 */
int sen_cfg_error(struct sen_cfg_ctx *ctx, const struct sen_cfg_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* For custom parsers: memory that lives as long as the config (zeroed), or NULL. */
void *sen_cfg_alloc(struct sen_cfg_ctx *ctx, size_t size);

/* For custom parsers: the configuration being bound (file, dir). */
const struct sen_config *sen_cfg_ctx_config(const struct sen_cfg_ctx *ctx);

/*
 * For custom parsers: the text of scalar `n` made safe to print (non-printable bytes as
 * \xNN, long text cut with "...", quoted if empty or holding spaces). Returns buf.
 */
#define SEN_CFG_SHOW_MAX 96
const char *sen_cfg_show(const struct sen_cfg_node *n, char buf[SEN_CFG_SHOW_MAX]);

/*
 * Strict integer parsing used by SEN_CFG_INT: optional '-' and decimal digits, or 0x and hex
 * digits; nothing else. Returns 0, -SEN_EINVAL (not an integer) or -SEN_ERANGE (does not
 * fit in int64_t).
 */
int sen_cfg_parse_int(const char *s, int64_t *out);

/* Text form of an address ("127.0.0.5", "::1"); buf holds INET6_ADDRSTRLEN. Returns buf. */
const char *sen_cfg_ip_str(const struct sen_cfg_ip *ip, char *buf, size_t len);

/*
 * An address:port as text: the host alone into host[hcap] ("127.0.0.5", "::1") and the
 * authority into auth[acap] ("127.0.0.5:7777", "[::1]:7777"). Returns the port, or
 * -SEN_EINVAL (outputs untouched) when the address is neither IPv4 nor IPv6.
 */
int sen_cfg_addr_text(const struct sen_cfg_addr *a, char *host, size_t hcap, char *auth,
		      size_t acap);

/* ---------------------------------------------------------------------------------------- */
/* Sections with a simple shape, bound with sen_config_bind_section.                          */

/*
 * nrf: { sbi: addr:port, heartbeat: s, validity: s }. The one definition of the section:
 * sen-nrf binds all of it, every other NF needs it to find the NRF (lib/sbi's
 * sen_nrf_cfg_bind() binds it with this schema).
 */
struct sen_cfg_nrf {
	struct sen_cfg_addr sbi; /* where the NRF serves (required) */
	uint32_t heartbeat;	 /* s: heartBeatTimer the NRF grants, TS 29.510 6.1.6.2.2
				    (1..3600, default 10) */
	uint32_t validity;	 /* s: validityPeriod of discovery results, TS 29.510
				    6.2.6.2.2 (0..86400, default 60; 0: no caching) */
};
extern const struct sen_cfg_field sen_cfg_nrf_schema[];

/* ausf: { sbi: addr:port } */
struct sen_cfg_sbi_only {
	struct sen_cfg_addr sbi;
};
extern const struct sen_cfg_field sen_cfg_ausf_schema[];

#define SEN_CFG_MAX_HN_KEYS 8

/* udm: { sbi, hn_keys: [ { id: 0..255, scheme: a | b, file: path } ] } */
struct sen_cfg_hn_key_ref {
	uint8_t id;	  /* home network public key identifier (TS 23.003 2.2B) */
	int scheme;	  /* SUCI protection scheme identifier: 1 (a) or 2 (b) */
	const char *file; /* resolved path of the private key */
};
struct sen_cfg_udm {
	struct sen_cfg_addr sbi;
	size_t n_hn_keys;
	struct sen_cfg_hn_key_ref hn_keys[SEN_CFG_MAX_HN_KEYS];
};
extern const struct sen_cfg_field sen_cfg_udm_schema[];

/* udr: { sbi, db: "sqlite:<path>" | "postgresql://…" | "postgres://…" } */
struct sen_cfg_udr {
	struct sen_cfg_addr sbi;
	/* "sqlite:" + the resolved absolute path, or the PostgreSQL URI as written;
	 * default "sqlite:subscribers.db" (next to the config file) */
	const char *db;
};
extern const struct sen_cfg_field sen_cfg_udr_schema[];

#endif
