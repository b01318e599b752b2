/*
 * lib/core configuration internals shared by the loader (config.c: arena, messages, the
 * YAML tree, loading) and the binder (config_bind.c: schemas and the parsers of field
 * kinds). Not for use outside lib/core; see config.h for the public contract.
 */
#ifndef SEN_CORE_CONFIG_INT_H
#define SEN_CORE_CONFIG_INT_H

#include "core/config.h"

#include <stdarg.h>
#include <stddef.h>

#define CFG_PATH_BUF 256 /* dotted key path in messages */

/* Arena: every allocation of one configuration, freed together. */
struct cfg_chunk {
	struct cfg_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct sen_cfg_mem {
	struct cfg_chunk *head;
};

/* Zeroed memory that lives as long as the arena, or NULL. */
void *cfg_mem_alloc(struct sen_cfg_mem *m, size_t size);
/* A NUL-terminated copy of s[len] in the arena, or NULL. */
char *cfg_mem_strndup(struct sen_cfg_mem *m, const char *s, size_t len);

/* "file:line: path: message" into err; line 0 leaves the line out, an empty path the path. */
void cfg_format_error(char *err, size_t errlen, const char *file, unsigned line,
		      const char *path, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
/* cfg_format_error with variable arguments; returns rc. */
int cfg_set_error(char *err, size_t errlen, const char *file, unsigned line, const char *path,
		  int rc, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* A dotted key path ("amf.ngap.port", "slices[1].sd") built as a walk descends. */
struct cfg_kpath {
	char buf[CFG_PATH_BUF];
	size_t len;
};

/* Append ".key" (escaped) or "[i]"; each returns the old length for cfg_kpath_pop. */
size_t cfg_kpath_key(struct cfg_kpath *p, const char *key);
size_t cfg_kpath_index(struct cfg_kpath *p, size_t i);
void cfg_kpath_pop(struct cfg_kpath *p, size_t old);

/*
 * Bind map `node` (NULL: empty) against `schema` into dst (config_bind.c); a missing key is
 * reported at `line` (0: no line). `prefix` starts the key path.
 */
int cfg_bind_root(struct sen_config *cfg, const struct sen_cfg_node *node, unsigned line,
		  const char *prefix, const struct sen_cfg_field *schema, void *dst, char *err,
		  size_t errlen);

#endif
