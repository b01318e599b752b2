/*
 * Logging (see log.h for the contract and the line format).
 *
 * Levels: a global level, plus a table of per-module levels. Module names are written
 * into the table once and never moved or rewritten (clearing only resets their level to
 * "inherit"), so readers scan it without a lock; writers take `cfg_lock`. `max_level`
 * is the most verbose level in force anywhere, so a disabled call usually costs one
 * comparison.
 *
 * Output: one stack buffer per line, one write() per line. The output fd is guarded by
 * a read-write lock only so that sen_log_open() never closes an fd that another thread
 * is writing to; writers share the lock and do not block each other.
 */
#include "core/log.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define INHERIT (-1)

struct module_level {
	char name[SEN_LOG_MODULE_MAX + 1]; /* written once, before n_modules counts it */
	atomic_int level;		   /* INHERIT or an enum sen_log_level */
};

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct module_level modules[SEN_LOG_MODULES];
static atomic_int n_modules;
static atomic_int global_level = SEN_LOG_INFO;
static atomic_int max_level = SEN_LOG_INFO;
static atomic_int n_overrides; /* modules whose level is not INHERIT */

static pthread_rwlock_t out_lock = PTHREAD_RWLOCK_INITIALIZER;
static int out_fd = STDERR_FILENO;
static bool out_owned;

static const char *const level_names[] = {
    [SEN_LOG_OFF] = "OFF",   [SEN_LOG_ERROR] = "ERROR", [SEN_LOG_WARN] = "WARN",
    [SEN_LOG_INFO] = "INFO", [SEN_LOG_DEBUG] = "DEBUG", [SEN_LOG_TRACE] = "TRACE",
};

/* Collected from the module names used with SEN_LOG / sen_log_* in lib/, src/ and tools/. */
const char *const sen_log_module_names[] = {
	"amf",	  "ausf", "gtpu", "nas", "ngap", "nrf", "nrfc", "nsmf", "ransim",
	"sbi",	  "sctp", "smf",  "smf-n4", "udm", "udr", "ue",	  "upf",  NULL,
};

bool sen_log_module_known(const char *name)
{
	for (size_t i = 0; name && sen_log_module_names[i]; i++)
		if (!strcmp(name, sen_log_module_names[i]))
			return true;
	return false;
}

static bool level_valid(int level)
{
	return level >= SEN_LOG_OFF && level <= SEN_LOG_TRACE;
}

int sen_log_level_parse(const char *s, enum sen_log_level *level)
{
	if (!s)
		return -SEN_EINVAL;
	for (int i = SEN_LOG_OFF; i <= SEN_LOG_TRACE; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*level = (enum sen_log_level)i;
			return 0;
		}
	}
	if (strcasecmp(s, "warning") == 0) {
		*level = SEN_LOG_WARN;
		return 0;
	}
	return -SEN_EINVAL;
}

const char *sen_log_level_name(enum sen_log_level level)
{
	return level_valid((int)level) ? level_names[level] : "?";
}

/* Find a module's table slot, or -1. Lock-free: slots below n_modules never change name. */
static int module_find(const char *module)
{
	int n = atomic_load_explicit(&n_modules, memory_order_acquire);

	for (int i = 0; i < n; i++)
		if (modules[i].name[0] == module[0] && strcmp(modules[i].name, module) == 0)
			return i;
	return -1;
}

/* Recompute max_level and n_overrides. Caller holds cfg_lock. */
static void recompute_locked(void)
{
	int n = atomic_load(&n_modules);
	int max = atomic_load(&global_level);
	int overrides = 0;

	for (int i = 0; i < n; i++) {
		int l = atomic_load(&modules[i].level);

		if (l == INHERIT)
			continue;
		overrides++;
		if (l > max)
			max = l;
	}
	atomic_store(&n_overrides, overrides);
	atomic_store(&max_level, max);
}

void sen_log_set_level(enum sen_log_level level)
{
	if (!level_valid((int)level))
		return;
	pthread_mutex_lock(&cfg_lock);
	atomic_store(&global_level, (int)level);
	recompute_locked();
	pthread_mutex_unlock(&cfg_lock);
}

enum sen_log_level sen_log_get_level(void)
{
	return (enum sen_log_level)atomic_load(&global_level);
}

static bool module_name_ok(const char *module)
{
	return module && module[0] && strlen(module) <= SEN_LOG_MODULE_MAX;
}

/* Caller holds cfg_lock and has checked the name and level. */
static int set_module_locked(const char *module, int level)
{
	int i = module_find(module);

	if (i < 0) {
		int n = atomic_load(&n_modules);

		if (n >= SEN_LOG_MODULES)
			return -SEN_ENOMEM;
		i = n;
		strcpy(modules[i].name, module);
		atomic_store(&modules[i].level, level);
		atomic_store_explicit(&n_modules, n + 1, memory_order_release);
	} else {
		atomic_store(&modules[i].level, level);
	}
	return 0;
}

int sen_log_set_module_level(const char *module, enum sen_log_level level)
{
	int rc;

	if (!module_name_ok(module) || !level_valid((int)level))
		return -SEN_EINVAL;
	pthread_mutex_lock(&cfg_lock);
	rc = set_module_locked(module, (int)level);
	recompute_locked();
	pthread_mutex_unlock(&cfg_lock);
	return rc;
}

static void clear_locked(void)
{
	int n = atomic_load(&n_modules);

	for (int i = 0; i < n; i++)
		atomic_store(&modules[i].level, INHERIT);
}

void sen_log_clear_module_levels(void)
{
	pthread_mutex_lock(&cfg_lock);
	clear_locked();
	recompute_locked();
	pthread_mutex_unlock(&cfg_lock);
}

/* Copy [s, e) into out[cap] with surrounding spaces removed. False if it does not fit. */
static bool trim_copy(const char *s, const char *e, char *out, size_t cap)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((size_t)(e - s) >= cap)
		return false;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return true;
}

struct spec_item {
	char module[SEN_LOG_MODULE_MAX + 1]; /* "" for the global level */
	enum sen_log_level level;
};

/* Parse one "LEVEL" or "module=LEVEL" item of a spec. */
static int parse_item(const char *s, const char *e, struct spec_item *it)
{
	const char *eq = memchr(s, '=', (size_t)(e - s));
	char lvl[16];

	it->module[0] = '\0';
	if (eq) {
		if (!trim_copy(s, eq, it->module, sizeof(it->module)) || !it->module[0])
			return -SEN_EINVAL;
		s = eq + 1;
	}
	if (!trim_copy(s, e, lvl, sizeof(lvl)))
		return -SEN_EINVAL;
	return sen_log_level_parse(lvl, &it->level);
}

int sen_log_set_levels(const char *spec)
{
	struct spec_item items[SEN_LOG_MODULES + 1];
	int n = 0, n_new = 0, rc = 0;

	if (!spec)
		return -SEN_EINVAL;
	for (const char *s = spec;;) {
		const char *e = strchr(s, ',');

		if (!e)
			e = s + strlen(s);
		if (n == SEN_LOG_MODULES + 1)
			return -SEN_EINVAL;
		if (parse_item(s, e, &items[n]) < 0)
			return -SEN_EINVAL;
		/* Only the first item may set the global level. */
		if (!items[n].module[0] && n > 0)
			return -SEN_EINVAL;
		n++;
		if (!*e)
			break;
		s = e + 1;
	}

	pthread_mutex_lock(&cfg_lock);
	for (int i = 0; i < n; i++)
		if (items[i].module[0] && module_find(items[i].module) < 0)
			n_new++;
	if (atomic_load(&n_modules) + n_new > SEN_LOG_MODULES) {
		rc = -SEN_ENOMEM;
	} else {
		clear_locked();
		for (int i = 0; i < n; i++) {
			if (items[i].module[0])
				set_module_locked(items[i].module, (int)items[i].level);
			else
				atomic_store(&global_level, (int)items[i].level);
		}
	}
	recompute_locked();
	pthread_mutex_unlock(&cfg_lock);
	return rc;
}

enum sen_log_level sen_log_module_level(const char *module)
{
	if (module && atomic_load_explicit(&n_overrides, memory_order_relaxed) > 0) {
		int i = module_find(module);

		if (i >= 0) {
			int l = atomic_load_explicit(&modules[i].level, memory_order_relaxed);

			if (l != INHERIT)
				return (enum sen_log_level)l;
		}
	}
	return (enum sen_log_level)atomic_load_explicit(&global_level, memory_order_relaxed);
}

bool sen_log_enabled(const char *module, enum sen_log_level level)
{
	if ((int)level > atomic_load_explicit(&max_level, memory_order_relaxed) ||
	    level == SEN_LOG_OFF)
		return false;
	return (int)level <= (int)sen_log_module_level(module);
}

int sen_log_open(const char *path)
{
	int fd = STDERR_FILENO, old_fd;
	bool old_owned;

	if (path) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0)
			return -SEN_EIO;
	}
	pthread_rwlock_wrlock(&out_lock);
	old_fd = out_fd;
	old_owned = out_owned;
	out_fd = fd;
	out_owned = path != NULL;
	pthread_rwlock_unlock(&out_lock);
	if (old_owned)
		close(old_fd);
	return 0;
}

void sen_log_close(void)
{
	sen_log_open(NULL);
}

/*
 * "YYYY-MM-DDTHH:MM:SS" for the current second, cached per thread: gmtime_r() runs
 * once a second per thread, not once a line.
 */
static size_t format_time(char *out, size_t cap)
{
	static _Thread_local time_t cached_sec = -1;
	static _Thread_local char cached[64];
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;

		gmtime_r(&ts.tv_sec, &tm);
		snprintf(cached, sizeof(cached), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		cached_sec = ts.tv_sec;
	}
	return (size_t)snprintf(out, cap, "%s.%03ldZ ", cached, ts.tv_nsec / 1000000);
}

static void sanitize(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			s[i] = '?';
	}
}

static void write_all(const char *p, size_t n)
{
	pthread_rwlock_rdlock(&out_lock);
	while (n > 0) {
		ssize_t w = write(out_fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* nowhere to report a failure to log */
		p += w;
		n -= (size_t)w;
	}
	pthread_rwlock_unlock(&out_lock);
}

/* Append with snprintf semantics, never moving *len past cap - 1. */
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*len += (size_t)n < cap - *len ? (size_t)n : cap - *len - 1;
}

void sen_log_vwrite(enum sen_log_level level, const char *module, const char *ue, const char *fmt,
		    va_list ap)
{
	char line[SEN_LOG_LINE_MAX];
	const size_t cap = sizeof(line) - 1; /* room for the newline */
	int saved_errno = errno;
	size_t len, start;
	int n;

	len = format_time(line, cap);
	start = len;
	append(line, cap, &len, "%-5s %s: ", sen_log_level_name(level),
	       module && module[0] ? module : "-");
	if (ue && ue[0])
		append(line, cap, &len, "[%s] ", ue);
	errno = saved_errno; /* for %m */
	n = vsnprintf(line + len, cap - len, fmt, ap);
	if (n >= 0 && (size_t)n >= cap - len) {
		len = cap; /* vsnprintf's NUL at cap - 1 is overwritten below */
		memcpy(line + len - 3, "...", 3);
	} else if (n >= 0) {
		len += (size_t)n;
	}
	sanitize(line + start, len - start);
	line[len++] = '\n';
	write_all(line, len);
	errno = saved_errno;
}

void sen_log_write(enum sen_log_level level, const char *module, const char *ue, const char *fmt,
		   ...)
{
	va_list ap;

	va_start(ap, fmt);
	sen_log_vwrite(level, module, ue, fmt, ap);
	va_end(ap);
}

char *sen_log_ue_tag(char *out, size_t cap, const char *supi, int64_t ran_ue_ngap_id,
		     int64_t amf_ue_ngap_id)
{
	size_t len = 0;

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (supi && supi[0])
		append(out, cap, &len, "supi=%s", supi);
	if (ran_ue_ngap_id >= 0)
		append(out, cap, &len, "%sran=%lld", len ? " " : "", (long long)ran_ue_ngap_id);
	if (amf_ue_ngap_id >= 0)
		append(out, cap, &len, "%samf=%lld", len ? " " : "", (long long)amf_ue_ngap_id);
	return out;
}
