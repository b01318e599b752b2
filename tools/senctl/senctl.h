/*
 * senctl: Sen's operator tool. Each subcommand lives in its own file and is reached
 * through the table in senctl.c.
 *
 * Exit status: 0 success, 1 internal failure, 2 bad input (usage, malformed value,
 * verification failure). On bad input exactly one line goes to stderr and nothing to stdout.
 */
#ifndef SEN_SENCTL_H
#define SEN_SENCTL_H

#include <stdbool.h>

#define SENCTL_EXIT_OK	  0
#define SENCTL_EXIT_FAIL  1
#define SENCTL_EXIT_USAGE 2

/*
 * Prints "senctl: <message>" as one line on stderr and returns SENCTL_EXIT_USAGE. The message
 * may quote user input: control characters, backslashes and bytes that are not UTF-8 are
 * shown escaped ("\n", "\\", "\xNN", "\uNNNN"), so it stays one line.
 */
int senctl_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Flushes stdout. On a write error (a full disk) prints one line on stderr and returns
 * SENCTL_EXIT_FAIL; otherwise SENCTL_EXIT_OK. Call it after printing a result. A closed
 * pipe ends senctl by SIGPIPE, as it does other Unix tools (`senctl ... | head`).
 */
int senctl_flush_stdout(void);

/* Simple "--name value" / "--flag" option parsing shared by subcommands. */
struct senctl_opt {
	const char *name;  /* without the leading "--" */
	bool flag;	   /* takes no value */
	const char *value; /* set by senctl_parse_opts; "1" for a flag that was given */
};

#define OPT(n)                                                                                     \
	{                                                                                          \
		.name = n                                                                          \
	}
#define FLAG(n)                                                                                    \
	{                                                                                          \
		.name = n, .flag = true                                                            \
	}
#define OPT_END                                                                                    \
	{                                                                                          \
		.name = NULL                                                                       \
	}

/*
 * Parse argv[0..argc) against opts (terminated by a NULL name). Unknown options,
 * repeated options, missing values and stray arguments are reported through senctl_bad.
 * Returns 0 or SENCTL_EXIT_USAGE.
 */
int senctl_parse_opts(int argc, char **argv, struct senctl_opt *opts);

/*
 * As senctl_parse_opts, but also accepts positional arguments anywhere among the options:
 * exactly `npos` of them are stored in pos[] in order; fewer or more is reported through
 * senctl_bad using `what` (e.g. "HEX") to name the missing argument.
 */
int senctl_parse_args(int argc, char **argv, struct senctl_opt *opts, const char **pos, int npos,
		      const char *what);

/* The value of option `name`, or NULL when it was not given. */
const char *senctl_opt(const struct senctl_opt *opts, const char *name);

int senctl_keys(int argc, char **argv);
int senctl_nas(int argc, char **argv);
int senctl_pfcp(int argc, char **argv);
int senctl_ngap(int argc, char **argv);
int senctl_subscriber(int argc, char **argv);

#endif
