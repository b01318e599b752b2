/*
 * Unit tests for lib/core/log: level names, global and per-module filtering, the level
 * spec string, the line format written to a file, UE tags, sanitising and truncation,
 * errno preservation, and whole lines from concurrent writers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "vectors.h"

/* Every test starts from the defaults: INFO, no module levels, stderr. */
static int reset(void **state)
{
	sen_log_close();
	sen_log_set_level(SEN_LOG_INFO);
	sen_log_clear_module_levels();
	return 0;
}

/* A fresh temporary file name (the file exists, empty). */
static void temp_path(char *path, size_t cap)
{
	int fd;

	snprintf(path, cap, "/tmp/sen-test-log-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

/* Read the whole log file back. */
static char *slurp(const char *path)
{
	char *text = sen_test_read_file(path, NULL);

	assert_non_null(text);
	return text;
}

static void test_level_parse(void **state)
{
	enum sen_log_level l = SEN_LOG_OFF;

	assert_int_equal(sen_log_level_parse("error", &l), 0);
	assert_int_equal(l, SEN_LOG_ERROR);
	assert_int_equal(sen_log_level_parse("WARN", &l), 0);
	assert_int_equal(l, SEN_LOG_WARN);
	assert_int_equal(sen_log_level_parse("warning", &l), 0);
	assert_int_equal(l, SEN_LOG_WARN);
	assert_int_equal(sen_log_level_parse("Info", &l), 0);
	assert_int_equal(l, SEN_LOG_INFO);
	assert_int_equal(sen_log_level_parse("debug", &l), 0);
	assert_int_equal(l, SEN_LOG_DEBUG);
	assert_int_equal(sen_log_level_parse("trace", &l), 0);
	assert_int_equal(l, SEN_LOG_TRACE);
	assert_int_equal(sen_log_level_parse("off", &l), 0);
	assert_int_equal(l, SEN_LOG_OFF);

	l = SEN_LOG_DEBUG;
	assert_int_equal(sen_log_level_parse("verbose", &l), -SEN_EINVAL);
	assert_int_equal(sen_log_level_parse("", &l), -SEN_EINVAL);
	assert_int_equal(sen_log_level_parse("info ", &l), -SEN_EINVAL);
	assert_int_equal(sen_log_level_parse(NULL, &l), -SEN_EINVAL);
	assert_int_equal(l, SEN_LOG_DEBUG); /* untouched on error */

	assert_string_equal(sen_log_level_name(SEN_LOG_ERROR), "ERROR");
	assert_string_equal(sen_log_level_name(SEN_LOG_TRACE), "TRACE");
	assert_string_equal(sen_log_level_name((enum sen_log_level)42), "?");
}

static void test_global_filter(void **state)
{
	assert_int_equal(sen_log_get_level(), SEN_LOG_INFO);
	assert_true(sen_log_enabled("amf", SEN_LOG_ERROR));
	assert_true(sen_log_enabled("amf", SEN_LOG_INFO));
	assert_false(sen_log_enabled("amf", SEN_LOG_DEBUG));

	sen_log_set_level(SEN_LOG_WARN);
	assert_true(sen_log_enabled("amf", SEN_LOG_WARN));
	assert_false(sen_log_enabled("amf", SEN_LOG_INFO));
	assert_false(sen_log_enabled(NULL, SEN_LOG_INFO));
	assert_true(sen_log_enabled(NULL, SEN_LOG_ERROR));

	sen_log_set_level(SEN_LOG_TRACE);
	assert_true(sen_log_enabled("smf", SEN_LOG_TRACE));

	sen_log_set_level(SEN_LOG_OFF);
	assert_false(sen_log_enabled("smf", SEN_LOG_ERROR));
	/* A line of level OFF is never written, whatever the threshold. */
	sen_log_set_level(SEN_LOG_TRACE);
	assert_false(sen_log_enabled("smf", SEN_LOG_OFF));
}

static void test_module_override(void **state)
{
	sen_log_set_level(SEN_LOG_INFO);
	assert_int_equal(sen_log_set_module_level("ngap", SEN_LOG_TRACE), 0);
	assert_int_equal(sen_log_set_module_level("sbi", SEN_LOG_ERROR), 0);

	/* More verbose for ngap only. */
	assert_true(sen_log_enabled("ngap", SEN_LOG_TRACE));
	assert_false(sen_log_enabled("amf", SEN_LOG_DEBUG));
	assert_false(sen_log_enabled("nga", SEN_LOG_DEBUG)); /* no prefix matching */
	assert_false(sen_log_enabled("ngapx", SEN_LOG_DEBUG));
	/* Quieter for sbi. */
	assert_false(sen_log_enabled("sbi", SEN_LOG_WARN));
	assert_true(sen_log_enabled("sbi", SEN_LOG_ERROR));
	assert_int_equal(sen_log_module_level("sbi"), SEN_LOG_ERROR);
	assert_int_equal(sen_log_module_level("amf"), SEN_LOG_INFO);

	/* The global level moves the others, not the overridden ones. */
	sen_log_set_level(SEN_LOG_DEBUG);
	assert_true(sen_log_enabled("amf", SEN_LOG_DEBUG));
	assert_false(sen_log_enabled("sbi", SEN_LOG_WARN));

	/* Changing an override in place. */
	assert_int_equal(sen_log_set_module_level("ngap", SEN_LOG_WARN), 0);
	assert_false(sen_log_enabled("ngap", SEN_LOG_INFO));

	sen_log_clear_module_levels();
	assert_true(sen_log_enabled("sbi", SEN_LOG_DEBUG));
	assert_true(sen_log_enabled("ngap", SEN_LOG_DEBUG));
	assert_false(sen_log_enabled("ngap", SEN_LOG_TRACE));

	assert_int_equal(sen_log_set_module_level("", SEN_LOG_INFO), -SEN_EINVAL);
	assert_int_equal(sen_log_set_module_level(NULL, SEN_LOG_INFO), -SEN_EINVAL);
	assert_int_equal(sen_log_set_module_level("a-very-long-module-name", SEN_LOG_INFO),
			 -SEN_EINVAL);
	assert_int_equal(sen_log_set_module_level("amf", (enum sen_log_level)9), -SEN_EINVAL);
}

static void test_level_spec(void **state)
{
	assert_int_equal(sen_log_set_levels("warn, ngap=debug ,sbi = trace"), 0);
	assert_int_equal(sen_log_get_level(), SEN_LOG_WARN);
	assert_int_equal(sen_log_module_level("ngap"), SEN_LOG_DEBUG);
	assert_int_equal(sen_log_module_level("sbi"), SEN_LOG_TRACE);
	assert_int_equal(sen_log_module_level("amf"), SEN_LOG_WARN);

	/* Malformed specs change nothing. */
	assert_int_equal(sen_log_set_levels("info,bogus"), -SEN_EINVAL);
	assert_int_equal(sen_log_set_levels("info,=debug"), -SEN_EINVAL);
	assert_int_equal(sen_log_set_levels("info,amf=loud"), -SEN_EINVAL);
	assert_int_equal(sen_log_set_levels("info,,amf=debug"), -SEN_EINVAL);
	assert_int_equal(sen_log_set_levels("amf=debug,info"), -SEN_EINVAL);
	assert_int_equal(sen_log_set_levels(""), -SEN_EINVAL);
	assert_int_equal(sen_log_set_levels(NULL), -SEN_EINVAL);
	assert_int_equal(sen_log_get_level(), SEN_LOG_WARN);
	assert_int_equal(sen_log_module_level("ngap"), SEN_LOG_DEBUG);

	/* A spec replaces earlier module levels; module-only specs keep the global one. */
	assert_int_equal(sen_log_set_levels("amf=trace"), 0);
	assert_int_equal(sen_log_get_level(), SEN_LOG_WARN);
	assert_int_equal(sen_log_module_level("amf"), SEN_LOG_TRACE);
	assert_int_equal(sen_log_module_level("ngap"), SEN_LOG_WARN);

	assert_int_equal(sen_log_set_levels("Info"), 0);
	assert_int_equal(sen_log_get_level(), SEN_LOG_INFO);
	assert_int_equal(sen_log_module_level("amf"), SEN_LOG_INFO);
}

static const char *LINE_RE = "^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
			     "\\.[0-9]{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) ([^ :]+): (.*)$";

/* Check one line's shape, that its time is UTC within a minute of now; return the rest. */
static const char *check_line(const char *line, const char *level, const char *module)
{
	static char rest[4096];
	regmatch_t m[10];
	regex_t re;
	struct tm tm = {0};
	char tmp[16];
	time_t t;

	assert_int_equal(regcomp(&re, LINE_RE, REG_EXTENDED), 0);
	if (regexec(&re, line, 10, m, 0) != 0) {
		print_error("# bad line: '%s'\n", line);
		fail();
	}
	regfree(&re);
#define FIELD(i)                                                                                   \
	(snprintf(tmp, sizeof(tmp), "%.*s", (int)(m[i].rm_eo - m[i].rm_so), line + m[i].rm_so),    \
	 atoi(tmp))
	tm.tm_year = FIELD(1) - 1900;
	tm.tm_mon = FIELD(2) - 1;
	tm.tm_mday = FIELD(3);
	tm.tm_hour = FIELD(4);
	tm.tm_min = FIELD(5);
	tm.tm_sec = FIELD(6);
#undef FIELD
	t = timegm(&tm);
	assert_true(llabs((long long)(t - time(NULL))) < 60);
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(m[7].rm_eo - m[7].rm_so), line + m[7].rm_so);
	assert_int_equal(strncmp(tmp, level, strlen(level)), 0);
	snprintf(rest, sizeof(rest), "%.*s", (int)(m[8].rm_eo - m[8].rm_so), line + m[8].rm_so);
	assert_string_equal(rest, module);
	snprintf(rest, sizeof(rest), "%s", line + m[9].rm_so);
	return rest;
}

/* Split text into lines (modifies it). Returns the count; every line must end in \n. */
static int split_lines(char *text, char **lines, int max)
{
	int n = 0;

	while (*text) {
		char *nl = strchr(text, '\n');

		assert_non_null(nl);
		*nl = '\0';
		assert_true(n < max);
		lines[n++] = text;
		text = nl + 1;
	}
	return n;
}

/* After sen_log_close() lines go to stderr: catch fd 2 in a file and check. */
static void write_stderr_line(void)
{
	char path[64], *text, *lines[4];
	int saved = dup(STDERR_FILENO), fd;

	temp_path(path, sizeof(path));
	fd = open(path, O_WRONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	sen_log_info("amf", "to stderr, not the file");
	dup2(saved, STDERR_FILENO);
	close(saved);
	text = slurp(path);
	assert_int_equal(split_lines(text, lines, 4), 1);
	assert_string_equal(check_line(lines[0], "INFO", "amf"), "to stderr, not the file");
	free(text);
	unlink(path);
}

static void test_file_format(void **state)
{
	char path[64], *text, *lines[16];
	char tag[96];
	int side_effects = 0;

	temp_path(path, sizeof(path));
	assert_int_equal(sen_log_open(path), 0);
	sen_log_set_level(SEN_LOG_INFO);
	sen_log_set_module_level("nas", SEN_LOG_DEBUG);

	sen_log_info("amf", "hello %d", 42);
	sen_log_debug("amf", "not written %d", ++side_effects); /* disabled: not evaluated */
	sen_log_debug("nas", "written %d", ++side_effects);
	sen_log_error(NULL, "no module");
	sen_log_ue_warn("ngap", sen_log_ue_tag(tag, sizeof(tag), "imsi-999700000000001", 1, 4096),
			"UE tagged");
	sen_log_ue_info("ngap", "", "empty tag");
	sen_log_info("sbi", "ctrl\r\nchars\x1b[31m\ttab");
	sen_log_trace("amf", "never");
	sen_log_close();
	write_stderr_line();

	assert_int_equal(side_effects, 1);
	text = slurp(path);
	assert_int_equal(split_lines(text, lines, 16), 6);
	assert_string_equal(check_line(lines[0], "INFO", "amf"), "hello 42");
	assert_string_equal(check_line(lines[1], "DEBUG", "nas"), "written 1");
	assert_string_equal(check_line(lines[2], "ERROR", "-"), "no module");
	assert_string_equal(check_line(lines[3], "WARN", "ngap"),
			    "[supi=imsi-999700000000001 ran=1 amf=4096] UE tagged");
	assert_string_equal(check_line(lines[4], "INFO", "ngap"), "empty tag");
	assert_string_equal(check_line(lines[5], "INFO", "sbi"), "ctrl??chars?[31m\ttab");
	free(text);
	unlink(path);
}

/*
 * SEN_LOG evaluates `level` and `module` once, so a level computed with a side effect
 * (e.g. "streak++ ? DEBUG : WARN") is the level both checked and written.
 */
static void test_macro_once(void **state)
{
	char path[64], *text, *lines[4];
	unsigned streak = 0, modules = 0, ues = 0;
	char tag[] = "supi=imsi-1";
	int i;

	temp_path(path, sizeof(path));
	assert_int_equal(sen_log_open(path), 0);
	sen_log_set_level(SEN_LOG_INFO);
	for (i = 0; i < 3; i++)
		SEN_LOG(streak++ ? SEN_LOG_DEBUG : SEN_LOG_WARN, (modules++, "nrfc"),
			(ues++, tag), "attempt %d", i);
	sen_log_close();

	assert_int_equal(streak, 3);
	assert_int_equal(modules, 3);
	assert_int_equal(ues, 1); /* only for the enabled line */
	text = slurp(path);
	assert_int_equal(split_lines(text, lines, 4), 1);
	assert_string_equal(check_line(lines[0], "WARN", "nrfc"), "[supi=imsi-1] attempt 0");
	free(text);
	unlink(path);
}

static void test_append_and_truncate(void **state)
{
	char path[64], *text, *lines[8];
	char big[3 * SEN_LOG_LINE_MAX];
	FILE *f;

	temp_path(path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("earlier content\n", f);
	fclose(f);

	assert_int_equal(sen_log_open(path), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sen_log_info("amf", "%s", big);
	sen_log_info("amf", "after");
	sen_log_close();

	text = slurp(path);
	assert_int_equal(split_lines(text, lines, 8), 3);
	assert_string_equal(lines[0], "earlier content");
	assert_int_equal(strlen(lines[1]) + 1, SEN_LOG_LINE_MAX);
	assert_int_equal(strcmp(lines[1] + strlen(lines[1]) - 4, "x..."), 0);
	assert_string_equal(check_line(lines[2], "INFO", "amf"), "after");
	free(text);
	unlink(path);

	/* A file that cannot be opened: error, and output stays where it was. */
	assert_int_equal(sen_log_open("/nonexistent-dir/sen.log"), -SEN_EIO);
}

static void test_errno_preserved(void **state)
{
	char path[64], *text, *lines[4];

	temp_path(path, sizeof(path));
	assert_int_equal(sen_log_open(path), 0);
	errno = ENOENT;
	sen_log_error("udr", "open failed: %m");
	assert_int_equal(errno, ENOENT);
	sen_log_close();
	text = slurp(path);
	assert_int_equal(split_lines(text, lines, 4), 1);
	assert_string_equal(check_line(lines[0], "ERROR", "udr"),
			    "open failed: No such file or directory");
	free(text);
	unlink(path);
}

static void test_ue_tag(void **state)
{
	char tag[64], small[12];

	assert_string_equal(sen_log_ue_tag(tag, sizeof(tag), NULL, -1, -1), "");
	assert_string_equal(sen_log_ue_tag(tag, sizeof(tag), "imsi-001", -1, -1), "supi=imsi-001");
	assert_string_equal(sen_log_ue_tag(tag, sizeof(tag), NULL, 7, -1), "ran=7");
	assert_string_equal(sen_log_ue_tag(tag, sizeof(tag), NULL, -1, 1099511627775LL),
			    "amf=1099511627775");
	assert_string_equal(sen_log_ue_tag(tag, sizeof(tag), "", 0, 0), "ran=0 amf=0");
	assert_string_equal(sen_log_ue_tag(small, sizeof(small), "imsi-999700000000001", 1, 2),
			    "supi=imsi-9");
}

#define WRITERS	   8
#define LINES_EACH 2000

static void *writer(void *arg)
{
	int id = (int)(intptr_t)arg;
	char fill[600];

	for (int i = 0; i < LINES_EACH; i++) {
		int n = (i * 37 + id * 101) % (int)sizeof(fill);

		memset(fill, 'a' + id, (size_t)n);
		fill[n] = '\0';
		sen_log_info("thr", "t=%d i=%d n=%d %s|", id, i, n, fill);
	}
	return NULL;
}

static void test_concurrent_lines(void **state)
{
	static char *lines[WRITERS * LINES_EACH + 1];
	static unsigned char seen[WRITERS][LINES_EACH];
	pthread_t th[WRITERS];
	char path[64], *text;
	int n;

	temp_path(path, sizeof(path));
	assert_int_equal(sen_log_open(path), 0);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, writer, (void *)(intptr_t)i), 0);
	for (int i = 0; i < WRITERS; i++)
		pthread_join(th[i], NULL);
	sen_log_close();

	text = slurp(path);
	n = split_lines(text, lines, WRITERS * LINES_EACH + 1);
	assert_int_equal(n, WRITERS * LINES_EACH);
	memset(seen, 0, sizeof(seen));
	for (int k = 0; k < n; k++) {
		const char *rest = check_line(lines[k], "INFO", "thr");
		int id, i, len, off;

		assert_int_equal(sscanf(rest, "t=%d i=%d n=%d %n", &id, &i, &len, &off), 3);
		assert_true(id >= 0 && id < WRITERS && i >= 0 && i < LINES_EACH);
		assert_int_equal((int)strlen(rest + off), len + 1);
		for (int j = 0; j < len; j++)
			assert_int_equal(rest[off + j], 'a' + id);
		assert_int_equal(rest[off + len], '|');
		assert_int_equal(seen[id][i], 0);
		seen[id][i] = 1;
	}
	free(text);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_level_parse, reset),
	    cmocka_unit_test_setup(test_global_filter, reset),
	    cmocka_unit_test_setup(test_module_override, reset),
	    cmocka_unit_test_setup(test_level_spec, reset),
	    cmocka_unit_test_setup(test_file_format, reset),
	    cmocka_unit_test_setup(test_macro_once, reset),
	    cmocka_unit_test_setup(test_append_and_truncate, reset),
	    cmocka_unit_test_setup(test_errno_preserved, reset),
	    cmocka_unit_test_setup(test_ue_tag, reset),
	    cmocka_unit_test_setup(test_concurrent_lines, reset),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
