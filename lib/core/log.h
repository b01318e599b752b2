/*
 * Logging: one call for the whole project.
 *
 * A line is written as
 *
 *     2025-01-31T12:34:56.789Z INFO  amf: [supi=imsi-999700000000001] Registration complete
 *
 * UTC time with milliseconds, the level (padded to 5), the module (a short name such as
 * "amf", "ngap", "sbi") and, when the line concerns one UE, that UE's tag in brackets
 * (DESIGN.md, Observability: "Log lines carry the UE they concern"). Each line is
 * handed to the kernel in a single write(), so lines from several threads never
 * interleave. Control characters in the message (a newline inside a peer-supplied
 * string, a terminal escape) are written as '?', so one call is always one line.
 *
 * Levels are set globally and may be overridden per module. A call whose level is
 * disabled costs one integer comparison when no module override enables a more verbose
 * level, and a short table scan otherwise: its arguments are never formatted.
 *
 * Secrets: nothing here dumps bytes. Callers must never pass K, OPc or derived keys.
 *
 * Thread safety: every function may be called from any thread at any time.
 */
#ifndef SEN_CORE_LOG_H
#define SEN_CORE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum sen_log_level {
	SEN_LOG_OFF = 0, /* as a threshold: log nothing */
	SEN_LOG_ERROR,
	SEN_LOG_WARN,
	SEN_LOG_INFO,
	SEN_LOG_DEBUG,
	SEN_LOG_TRACE,
};

/* Longest module name that can carry its own level (longer names use the global level). */
#define SEN_LOG_MODULE_MAX 15
/*
 * How many distinct module names can be given their own level over the life of the
 * process (a name once given a level keeps its slot; clearing only resets the level).
 */
#define SEN_LOG_MODULES 64
/* Longest line written, newline included; longer lines are cut and end in "...". */
#define SEN_LOG_LINE_MAX 2048

/*
 * Parse a level name: "off", "error", "warn" (or "warning"), "info", "debug", "trace",
 * in any case. Returns 0 and sets *level, or -SEN_EINVAL (and leaves *level alone).
 */
int sen_log_level_parse(const char *s, enum sen_log_level *level);

/* Name of a level as written in log lines ("ERROR" … "TRACE", "OFF"); "?" if invalid. */
const char *sen_log_level_name(enum sen_log_level level);

/*
 * The module names Sen's code writes in its log lines ("amf", "nas", "ngap", "sbi" …),
 * sorted, NULL-terminated: the names sen.yaml's log.modules may give a level to. A module
 * added to the code adds its name here (and to docs/configuration.md).
 */
extern const char *const sen_log_module_names[];

/* True if `name` is one of sen_log_module_names. */
bool sen_log_module_known(const char *name);

/* Set the global level (default SEN_LOG_INFO). Modules with their own level keep it. */
void sen_log_set_level(enum sen_log_level level);

/* The global level. */
enum sen_log_level sen_log_get_level(void);

/*
 * Give `module` its own level, overriding the global one in both directions (a module
 * can be quieter or more verbose). Returns 0, -SEN_EINVAL if the name is empty or
 * longer than SEN_LOG_MODULE_MAX or the level is invalid, -SEN_ENOMEM if
 * SEN_LOG_MODULES modules already have a level.
 */
int sen_log_set_module_level(const char *module, enum sen_log_level level);

/* Remove every per-module level: all modules follow the global level again. */
void sen_log_clear_module_levels(void);

/*
 * Set levels from a spec: "LEVEL" or "LEVEL,module=LEVEL,module=LEVEL…", e.g.
 * "info" or "warn,ngap=debug,sbi=trace" (spaces around items are ignored). The first
 * item may also be a module=LEVEL pair, then the global level is unchanged. Existing
 * module levels are cleared first. Returns 0, or -SEN_EINVAL on a malformed spec, in
 * which case nothing is changed.
 */
int sen_log_set_levels(const char *spec);

/* The level that applies to `module` (its own one, else the global one). */
enum sen_log_level sen_log_module_level(const char *module);

/* True if a line of `level` from `module` would be written. Cheap; see the top. */
bool sen_log_enabled(const char *module, enum sen_log_level level);

/*
 * Write log lines to the file `path`, opened for append (created 0640 if absent), or
 * to stderr (the default) if `path` is NULL. The previous file, if any, is closed.
 * Returns 0, or -SEN_EIO (errno set) if the file cannot be opened; output is then
 * unchanged.
 */
int sen_log_open(const char *path);

/* Write lines to stderr again and close the log file, if any. */
void sen_log_close(void);

/*
 * Write one line, unconditionally (callers normally use the macros below, which check
 * the level first). `module` may be NULL ("-" is written); `ue` is the UE tag, or
 * NULL/"" for none. errno is preserved, so "%m" and later errno checks work.
 */
void sen_log_write(enum sen_log_level level, const char *module, const char *ue, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
void sen_log_vwrite(enum sen_log_level level, const char *module, const char *ue, const char *fmt,
		    va_list ap) __attribute__((format(printf, 4, 0)));

/*
 * Format a UE tag for the `ue` argument into out[cap] and return out: "supi=<supi>"
 * when `supi` is set, then "ran=<id>" and "amf=<id>" for the NGAP IDs that are
 * present (pass a negative value for an absent one), space-separated; "" if none.
 * Example: "supi=imsi-999700000000001 ran=1 amf=4096". Truncated to fit cap.
 */
char *sen_log_ue_tag(char *out, size_t cap, const char *supi, int64_t ran_ue_ngap_id,
		     int64_t amf_ue_ngap_id);

/*
 * The logging calls. `level` and `module` are evaluated exactly once; `ue` and the
 * arguments after the format are evaluated (once) only if the line is enabled. Use a
 * module name per file or subsystem, e.g.
 *
 *     sen_log_info("amf", "NG Setup from gNB %s", name);
 *     sen_log_ue_debug("nas", ue->log_tag, "T3560 expired (%d)", n);
 */
#define SEN_LOG(level, module, ue, ...)                                                            \
	do {                                                                                       \
		/* Each argument once: the level checked is the level written. */                 \
		const enum sen_log_level sen_log_lvl_ = (level);                                   \
		const char *const sen_log_mod_ = (module);                                         \
		if (sen_log_enabled(sen_log_mod_, sen_log_lvl_))                                   \
			sen_log_write(sen_log_lvl_, sen_log_mod_, (ue), __VA_ARGS__);              \
	} while (0)

#define sen_log_error(module, ...) SEN_LOG(SEN_LOG_ERROR, module, NULL, __VA_ARGS__)
#define sen_log_warn(module, ...)  SEN_LOG(SEN_LOG_WARN, module, NULL, __VA_ARGS__)
#define sen_log_info(module, ...)  SEN_LOG(SEN_LOG_INFO, module, NULL, __VA_ARGS__)
#define sen_log_debug(module, ...) SEN_LOG(SEN_LOG_DEBUG, module, NULL, __VA_ARGS__)
#define sen_log_trace(module, ...) SEN_LOG(SEN_LOG_TRACE, module, NULL, __VA_ARGS__)

/* The same with a UE tag (a string such as sen_log_ue_tag() makes, or NULL). */
#define sen_log_ue_error(module, ue, ...) SEN_LOG(SEN_LOG_ERROR, module, ue, __VA_ARGS__)
#define sen_log_ue_warn(module, ue, ...)  SEN_LOG(SEN_LOG_WARN, module, ue, __VA_ARGS__)
#define sen_log_ue_info(module, ue, ...)  SEN_LOG(SEN_LOG_INFO, module, ue, __VA_ARGS__)
#define sen_log_ue_debug(module, ue, ...) SEN_LOG(SEN_LOG_DEBUG, module, ue, __VA_ARGS__)
#define sen_log_ue_trace(module, ue, ...) SEN_LOG(SEN_LOG_TRACE, module, ue, __VA_ARGS__)

#endif
