/*
 * Sen configuration loader (see config.h and docs/configuration.md): the arena, error
 * messages, the YAML tree, and loading / freeing. Binding a tree against schemas is in
 * config_bind.c.
 *
 * The file is read whole (at most SEN_CFG_MAX_FILE bytes) and parsed with libyaml's event
 * API into a tree of struct sen_cfg_node. The event API, not libyaml's document loader, is
 * used so that nesting depth, node count, anchors, aliases, tags and duplicate keys are
 * checked while building, with the line and the key path at hand. All memory of one
 * configuration (nodes, strings, bound paths) comes from one arena, freed at once.
 */
#define _GNU_SOURCE
#include "core/config.h"
#include "core/config_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "core/err.h"
#include "core/log.h"

#define SHOW_BYTES 48 /* bytes of a value shown in messages */

/* ---------------------------------------------------------------------------------------- */
/* Arena: every allocation of one configuration, freed together.                              */

void *cfg_mem_alloc(struct sen_cfg_mem *m, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct cfg_chunk *c = m->head;
	void *p;

	if (size > SIZE_MAX / 4)
		return NULL;
	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	if (!c || c->cap - c->used < size) {
		size_t cap = size > 16384 ? size : 16384;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = m->head;
		m->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *cfg_mem_strndup(struct sen_cfg_mem *m, const char *s, size_t len)
{
	char *p = cfg_mem_alloc(m, len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static void cfg_mem_free(struct sen_cfg_mem *m)
{
	struct cfg_chunk *c, *next;

	if (!m)
		return;
	for (c = m->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(m);
}

/* ---------------------------------------------------------------------------------------- */
/* Messages.                                                                                  */

/* Append bytes of s to out[*len..cap), escaping what is not printable ASCII; stop at max
 * source bytes or when full, ending with "..." if cut. `quote` also escapes '"' and '\'. */
static void put_escaped(char *out, size_t cap, size_t *len, const char *s, size_t slen, size_t max,
			bool quote)
{
	size_t i, l = *len;

	for (i = 0; i < slen; i++) {
		unsigned char c = (unsigned char)s[i];
		char piece[5];
		size_t plen;

		if (c < 0x20 || c >= 0x7f)
			plen = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", c);
		else if (quote && (c == '"' || c == '\\'))
			plen = (size_t)snprintf(piece, sizeof(piece), "\\%c", c);
		else {
			piece[0] = (char)c;
			plen = 1;
		}
		/* room for the piece, "...", a closing quote and the NUL */
		if (i >= max || l + plen + 5 > cap) {
			if (l + 4 <= cap) {
				memcpy(out + l, "...", 3);
				l += 3;
			}
			break;
		}
		memcpy(out + l, piece, plen);
		l += plen;
	}
	out[l] = '\0';
	*len = l;
}

static const char *show_text(const char *s, size_t slen, char *buf, size_t cap)
{
	bool quote = slen == 0;
	size_t i, len = 0;

	for (i = 0; i < slen && !quote; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == ',')
			quote = true;
	}
	if (quote)
		buf[len++] = '"';
	put_escaped(buf, cap - 1, &len, s, slen, SHOW_BYTES, quote);
	if (quote) {
		buf[len++] = '"';
		buf[len] = '\0';
	}
	return buf;
}

const char *sen_cfg_show(const struct sen_cfg_node *n, char buf[SEN_CFG_SHOW_MAX])
{
	if (!n)
		return strcpy(buf, "nothing");
	if (n->type == SEN_CFG_T_MAP)
		return strcpy(buf, "a map");
	if (n->type == SEN_CFG_T_SEQ)
		return strcpy(buf, "a list");
	return show_text(n->str, n->len, buf, SEN_CFG_SHOW_MAX);
}

/* "file:line: path: message" into err; line 0 leaves the line out, an empty path the path. */
void cfg_format_error(char *err, size_t errlen, const char *file, unsigned line,
		      const char *path, const char *fmt, va_list ap)
{
	char msg[SEN_CFG_ERR_MAX], where[32] = "";

	if (!err || errlen == 0)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line)
		snprintf(where, sizeof(where), ":%u", line);
	snprintf(err, errlen, "%s%s: %s%s%s", file, where, path && *path ? path : "",
		 path && *path ? ": " : "", msg);
}

int cfg_set_error(char *err, size_t errlen, const char *file, unsigned line, const char *path,
		  int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_format_error(err, errlen, file, line, path, fmt, ap);
	va_end(ap);
	return rc;
}

size_t cfg_kpath_key(struct cfg_kpath *p, const char *key)
{
	size_t old = p->len;

	if (p->len && p->len + 2 < sizeof(p->buf))
		p->buf[p->len++] = '.';
	put_escaped(p->buf, sizeof(p->buf), &p->len, key, strlen(key), 64, false);
	return old;
}

size_t cfg_kpath_index(struct cfg_kpath *p, size_t i)
{
	size_t old = p->len;
	int n = snprintf(p->buf + p->len, sizeof(p->buf) - p->len, "[%zu]", i);

	if (n > 0 && (size_t)n < sizeof(p->buf) - p->len)
		p->len += (size_t)n;
	else
		p->buf[p->len] = '\0';
	return old;
}

void cfg_kpath_pop(struct cfg_kpath *p, size_t old)
{
	p->len = old;
	p->buf[old] = '\0';
}

/* ---------------------------------------------------------------------------------------- */
/* The tree.                                                                                  */

bool sen_cfg_is_null(const struct sen_cfg_node *n)
{
	if (!n || n->type != SEN_CFG_T_SCALAR || !n->plain)
		return false;
	return n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
	       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const struct sen_cfg_node *sen_cfg_map_get(const struct sen_cfg_node *map, const char *key)
{
	size_t i;

	if (!map || map->type != SEN_CFG_T_MAP || !key)
		return NULL;
	for (i = 0; i < map->count; i++)
		if (!strcmp(map->pairs[i].key, key))
			return map->pairs[i].value;
	return NULL;
}

/* A map or sequence under construction; its children grow in a malloc'd array. */
struct frame {
	struct sen_cfg_node *node;
	void *tmp; /* struct sen_cfg_pair[] or const struct sen_cfg_node *[] */
	size_t n, cap;
	const char *key; /* map: the key waiting for its value */
	unsigned key_line;
	bool have_key;
};

struct builder {
	struct sen_config *cfg;
	const char *text;
	size_t len;
	struct frame st[SEN_CFG_MAX_DEPTH];
	int depth;
	size_t nodes;
	int docs;
	const struct sen_cfg_node *root;
	char *err;
	size_t errlen;
};

static unsigned mark_line(yaml_mark_t m)
{
	return m.line >= UINT_MAX - 1 ? UINT_MAX : (unsigned)m.line + 1;
}

/* Key path of the node being built (for errors found while loading). */
static void builder_path(const struct builder *b, struct cfg_kpath *p)
{
	int i;

	p->len = 0;
	p->buf[0] = '\0';
	for (i = 0; i < b->depth; i++) {
		const struct frame *f = &b->st[i];

		if (f->node->type == SEN_CFG_T_MAP) {
			if (f->have_key)
				cfg_kpath_key(p, f->key);
		} else {
			cfg_kpath_index(p, f->n);
		}
	}
}

static int build_error(struct builder *b, unsigned line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int build_error(struct builder *b, unsigned line, const char *key, const char *fmt, ...)
{
	struct cfg_kpath p;
	va_list ap;

	builder_path(b, &p);
	if (key)
		cfg_kpath_key(&p, key);
	va_start(ap, fmt);
	cfg_format_error(b->err, b->errlen, b->cfg->file, line, p.buf, fmt, ap);
	va_end(ap);
	return -SEN_ECONFIG;
}

static int build_nomem(struct builder *b)
{
	return cfg_set_error(b->err, b->errlen, b->cfg->file, 0, NULL, -SEN_ENOMEM, "out of memory");
}

static int grow(struct frame *f, size_t elem)
{
	void *p;
	size_t cap;

	if (f->n < f->cap)
		return 0;
	cap = f->cap ? f->cap * 2 : 8;
	p = realloc(f->tmp, cap * elem);
	if (!p)
		return -SEN_ENOMEM;
	f->tmp = p;
	f->cap = cap;
	return 0;
}

/* Hang a finished node under the innermost open container (or make it the root). */
static int attach(struct builder *b, const struct sen_cfg_node *n)
{
	struct frame *f;

	if (b->depth == 0) {
		b->root = n;
		return 0;
	}
	f = &b->st[b->depth - 1];
	if (f->node->type == SEN_CFG_T_MAP) {
		struct sen_cfg_pair *pairs;

		if (grow(f, sizeof(struct sen_cfg_pair)))
			return build_nomem(b);
		pairs = f->tmp;
		pairs[f->n].key = f->key;
		pairs[f->n].line = f->key_line;
		pairs[f->n].value = n;
		f->n++;
		f->have_key = false;
	} else {
		const struct sen_cfg_node **items;

		if (grow(f, sizeof(*items)))
			return build_nomem(b);
		items = f->tmp;
		items[f->n++] = n;
	}
	return 0;
}

/* A scalar in key position of a map: check it and keep it as the pending key. */
static int take_key(struct builder *b, struct frame *f, const char *key, unsigned line)
{
	const struct sen_cfg_pair *pairs = f->tmp;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(pairs[i].key, key))
			return build_error(b, line, key, "duplicate key (first at line %u)",
					   pairs[i].line);
	if (f->n >= SEN_CFG_MAX_KEYS)
		return build_error(b, line, NULL, "more than %d keys in one map", SEN_CFG_MAX_KEYS);
	f->key = key;
	f->key_line = line;
	f->have_key = true;
	return 0;
}

static int count_node(struct builder *b, unsigned line)
{
	if (++b->nodes > SEN_CFG_MAX_NODES)
		return build_error(b, line, NULL, "more than %d values in the file",
				   SEN_CFG_MAX_NODES);
	return 0;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	unsigned line = mark_line(ev->start_mark);
	struct frame *f = b->depth ? &b->st[b->depth - 1] : NULL;
	struct sen_cfg_node *n;
	char *s;
	int rc;

	if (memchr(text, '\0', len))
		return build_error(b, line, NULL, "a value holds a NUL character");
	if ((rc = count_node(b, line)))
		return rc;
	s = cfg_mem_strndup(b->cfg->mem, text, len);
	if (!s)
		return build_nomem(b);
	if (f && f->node->type == SEN_CFG_T_MAP && !f->have_key)
		return take_key(b, f, s, line);
	n = cfg_mem_alloc(b->cfg->mem, sizeof(*n));
	if (!n)
		return build_nomem(b);
	n->type = SEN_CFG_T_SCALAR;
	n->line = line;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->str = s;
	n->len = len;
	return attach(b, n);
}

static int on_start(struct builder *b, const yaml_event_t *ev, enum sen_cfg_type type)
{
	unsigned line = mark_line(ev->start_mark);
	struct frame *f = b->depth ? &b->st[b->depth - 1] : NULL;
	struct sen_cfg_node *n;
	int rc;

	if (f && f->node->type == SEN_CFG_T_MAP && !f->have_key)
		return build_error(b, line, NULL, "a map key must be a plain value");
	if (b->depth >= SEN_CFG_MAX_DEPTH)
		return build_error(b, line, NULL, "nested deeper than %d levels",
				   SEN_CFG_MAX_DEPTH);
	if ((rc = count_node(b, line)))
		return rc;
	n = cfg_mem_alloc(b->cfg->mem, sizeof(*n));
	if (!n)
		return build_nomem(b);
	n->type = type;
	n->line = line;
	f = &b->st[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	return 0;
}

static int on_end(struct builder *b)
{
	struct frame *f = &b->st[b->depth - 1];
	struct sen_cfg_node *n = f->node;
	size_t elem = n->type == SEN_CFG_T_MAP ? sizeof(struct sen_cfg_pair)
					       : sizeof(const struct sen_cfg_node *);
	void *arr = NULL;

	if (f->n) {
		arr = cfg_mem_alloc(b->cfg->mem, f->n * elem);
		if (!arr)
			return build_nomem(b);
		memcpy(arr, f->tmp, f->n * elem);
	}
	if (n->type == SEN_CFG_T_MAP)
		n->pairs = arr;
	else
		n->items = arr;
	n->count = f->n;
	free(f->tmp);
	f->tmp = NULL;
	b->depth--;
	return attach(b, n);
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	unsigned line = mark_line(ev->start_mark);
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		break;
	}
	if (anchor)
		return build_error(b, line, NULL, "YAML anchors (&name) are not supported");
	if (tag)
		return build_error(b, line, NULL, "YAML tags (!tag) are not supported");

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->docs++)
			return build_error(b, line, NULL, "more than one YAML document");
		return 0;
	case YAML_ALIAS_EVENT:
		return build_error(b, line, NULL, "YAML aliases (*name) are not supported");
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, SEN_CFG_T_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, SEN_CFG_T_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth == 0) /* libyaml never does this; refuse rather than underflow */
			return build_error(b, line, NULL, "unbalanced YAML structure");
		return on_end(b);
	default:
		return 0;
	}
}

static int syntax_error(struct builder *b, const yaml_parser_t *p)
{
	unsigned line;
	size_t i;

	if (p->error == YAML_MEMORY_ERROR)
		return build_nomem(b);
	if (p->error == YAML_READER_ERROR) {
		/* the reader reports a byte offset, not a mark */
		line = 1;
		for (i = 0; i < p->problem_offset && i < b->len; i++)
			if (b->text[i] == '\n')
				line++;
	} else {
		line = mark_line(p->problem_mark);
	}
	if (p->context)
		return cfg_set_error(b->err, b->errlen, b->cfg->file, line, NULL, -SEN_ECONFIG,
				 "YAML syntax error: %s (%s at line %u)",
				 p->problem ? p->problem : "unknown", p->context,
				 mark_line(p->context_mark));
	return cfg_set_error(b->err, b->errlen, b->cfg->file, line, NULL, -SEN_ECONFIG,
			 "YAML syntax error: %s", p->problem ? p->problem : "unknown");
}

static int build_tree(struct builder *b)
{
	yaml_parser_t p;
	int rc = 0, i;

	if (!yaml_parser_initialize(&p))
		return build_nomem(b);
	yaml_parser_set_input_string(&p, (const unsigned char *)b->text, b->len);
	for (;;) {
		yaml_event_t ev;
		yaml_event_type_t type;

		if (!yaml_parser_parse(&p, &ev)) {
			rc = syntax_error(b, &p);
			break;
		}
		rc = on_event(b, &ev);
		type = ev.type;
		yaml_event_delete(&ev);
		if (rc || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&p);
	for (i = 0; i < b->depth; i++)
		free(b->st[i].tmp);
	b->depth = 0;
	if (rc)
		return rc;
	if (!b->root || sen_cfg_is_null(b->root))
		return cfg_set_error(b->err, b->errlen, b->cfg->file, 1, NULL, -SEN_ECONFIG,
				 "the file holds no settings");
	if (b->root->type != SEN_CFG_T_MAP) {
		char show[SEN_CFG_SHOW_MAX];

		return cfg_set_error(b->err, b->errlen, b->cfg->file, b->root->line, NULL, -SEN_ECONFIG,
				 "expected a map at the top level, got %s",
				 sen_cfg_show(b->root, show));
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Loading and freeing.                                                                       */

/* Absolute directory of file `name` (copied into the arena), or NULL when out of memory. */
static const char *config_dir(struct sen_cfg_mem *m, const char *name)
{
	const char *slash = strrchr(name, '/');
	char *dir, *real, cwd[PATH_MAX];
	const char *out;

	if (!slash)
		dir = strdup(".");
	else if (slash == name)
		dir = strdup("/");
	else
		dir = strndup(name, (size_t)(slash - name));
	if (!dir)
		return NULL;
	real = realpath(dir, NULL);
	if (real) {
		out = cfg_mem_strndup(m, real, strlen(real));
		free(real);
	} else if (dir[0] != '/' && getcwd(cwd, sizeof(cwd))) {
		size_t a = strlen(cwd), d = strlen(dir);
		char *j = cfg_mem_alloc(m, a + d + 2);

		if (j) {
			memcpy(j, cwd, a);
			j[a] = '/';
			memcpy(j + a + 1, dir, d + 1);
		}
		out = j;
	} else {
		out = cfg_mem_strndup(m, dir, strlen(dir));
	}
	free(dir);
	return out;
}

unsigned sen_config_line(const struct sen_config *cfg, const char *fmt, ...)
{
	char path[CFG_PATH_BUF];
	const struct sen_cfg_node *n = cfg ? cfg->root : NULL;
	unsigned line = 0;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(path))
		return 0;
	for (char *p = path; n && *p;) {
		size_t k = strcspn(p, ".[");
		char c = p[k];

		if (k) {
			const struct sen_cfg_node *m = n;

			p[k] = '\0';
			n = NULL;
			for (size_t i = 0; m->type == SEN_CFG_T_MAP && i < m->count; i++)
				if (!strcmp(m->pairs[i].key, p)) {
					n = m->pairs[i].value;
					line = m->pairs[i].line;
				}
		}
		p += k;
		if (c == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);

			if (*end != ']' || !n || n->type != SEN_CFG_T_SEQ || i >= n->count)
				return 0;
			n = n->items[i];
			line = n->line;
			p = end + 1;
		} else if (c == '.') {
			p++;
		}
	}
	return n ? line : 0;
}

/* log.modules: only the names the code logs under can have a level (a typo would be
 * silently ignored otherwise). */
static int check_log_modules(const struct sen_config *cfg, char *err, size_t errlen)
{
	const struct sen_cfg_node *m = sen_cfg_map_get(sen_cfg_map_get(cfg->root, "log"), "modules");
	char known[256];
	size_t len = 0;

	if (!m || m->type != SEN_CFG_T_MAP)
		return 0;
	for (size_t i = 0; i < m->count; i++) {
		struct cfg_kpath p = { .len = 0 };

		if (sen_log_module_known(m->pairs[i].key))
			continue;
		known[0] = '\0';
		for (size_t k = 0; sen_log_module_names[k] && len + 1 < sizeof(known); k++) {
			int n = snprintf(known + len, sizeof(known) - len, "%s%s", k ? ", " : "",
					 sen_log_module_names[k]);
			if (n < 0)
				break;
			len += (size_t)n;
		}
		p.buf[0] = '\0';
		cfg_kpath_key(&p, "log");
		cfg_kpath_key(&p, "modules");
		cfg_kpath_key(&p, m->pairs[i].key);
		return cfg_set_error(err, errlen, cfg->file, m->pairs[i].line, p.buf, -SEN_ECONFIG,
				     "unknown log module (known: %s)", known);
	}
	return 0;
}

int sen_config_parse(const char *name, const char *text, size_t len, unsigned flags,
		     struct sen_config **cfgp, char *err, size_t errlen)
{
	struct sen_config *cfg;
	struct builder *b;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	*cfgp = NULL;
	if (!name)
		name = "(config)";
	if (len > SEN_CFG_MAX_FILE)
		return cfg_set_error(err, errlen, name, 0, NULL, -SEN_ECONFIG,
				 "the file is larger than %d bytes", SEN_CFG_MAX_FILE);
	cfg = calloc(1, sizeof(*cfg));
	b = calloc(1, sizeof(*b));
	if (!cfg || !b || !(cfg->mem = calloc(1, sizeof(*cfg->mem)))) {
		free(b);
		free(cfg);
		return cfg_set_error(err, errlen, name, 0, NULL, -SEN_ENOMEM, "out of memory");
	}
	cfg->file = cfg_mem_strndup(cfg->mem, name, strlen(name));
	cfg->dir = config_dir(cfg->mem, name);
	if (!cfg->file || !cfg->dir) {
		rc = cfg_set_error(err, errlen, name, 0, NULL, -SEN_ENOMEM, "out of memory");
		goto fail;
	}
	b->cfg = cfg;
	b->text = text ? text : "";
	b->len = text ? len : 0;
	b->err = err;
	b->errlen = errlen;
	rc = build_tree(b);
	if (rc)
		goto fail;
	cfg->root = b->root;
	if (!(flags & SEN_CONFIG_TREE_ONLY)) {
		/* a missing top-level key has no line to point at */
		rc = cfg_bind_root(cfg, cfg->root, 0, NULL, sen_cfg_global_schema, &cfg->global, err,
			       errlen);
		if (!rc)
			rc = check_log_modules(cfg, err, errlen);
		if (rc)
			goto fail;
	}
	free(b);
	*cfgp = cfg;
	return 0;
fail:
	free(b);
	sen_config_free(cfg);
	return rc;
}

int sen_config_load(const char *path, struct sen_config **cfgp, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	size_t len = 0;
	int fd, rc;

	*cfgp = NULL;
	if (err && errlen)
		err[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cfg_set_error(err, errlen, path, 0, NULL, -SEN_EIO, "cannot open: %s",
				 strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return cfg_set_error(err, errlen, path, 0, NULL, -SEN_EIO, "is a directory");
	}
	/* one byte more than allowed, to tell "too large" from "exactly the limit" */
	text = malloc(SEN_CFG_MAX_FILE + 1);
	if (!text) {
		close(fd);
		return cfg_set_error(err, errlen, path, 0, NULL, -SEN_ENOMEM, "out of memory");
	}
	while (len < SEN_CFG_MAX_FILE + 1) {
		ssize_t r = read(fd, text + len, SEN_CFG_MAX_FILE + 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = cfg_set_error(err, errlen, path, 0, NULL, -SEN_EIO, "cannot read: %s",
				       strerror(errno));
			close(fd);
			free(text);
			return rc;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	rc = sen_config_parse(path, text, len, 0, cfgp, err, errlen);
	free(text);
	return rc;
}

void sen_config_free(struct sen_config *cfg)
{
	if (!cfg)
		return;
	cfg_mem_free(cfg->mem);
	free(cfg);
}

const struct sen_cfg_node *sen_config_section(const struct sen_config *cfg, const char *name)
{
	const struct sen_cfg_node *n = cfg ? sen_cfg_map_get(cfg->root, name) : NULL;

	return sen_cfg_is_null(n) ? NULL : n;
}

int sen_config_resolve_path(const struct sen_config *cfg, const char *path, char *out,
			    size_t outlen)
{
	int n;

	if (!path || !*path)
		return -SEN_EINVAL;
	if (path[0] == '/')
		n = snprintf(out, outlen, "%s", path);
	else if (!strcmp(cfg->dir, "/"))
		n = snprintf(out, outlen, "/%s", path);
	else
		n = snprintf(out, outlen, "%s/%s", cfg->dir, path);
	if (n < 0 || (size_t)n >= outlen) {
		if (outlen)
			out[0] = '\0';
		return -SEN_ERANGE;
	}
	return 0;
}
