/*
 * senctl: Sen's operator tool — entry point, subcommand table and the option parser the
 * subcommands share. See senctl.h for the exit-status contract.
 */
#include "senctl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * Length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not well formed
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). *cp gets the code point.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len;
	unsigned long c, min;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
	if (len > n)
		return 0;
	c = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* The letter of the C escape for c ('\\' for a backslash), or 0 when it has none we use. */
static char named_escape(unsigned char c)
{
	switch (c) {
	case '\\':
		return '\\';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	default:
		return 0;
	}
}

/*
 * Copy `in` to `out` so that it prints as one line of valid UTF-8 whatever the user typed:
 * a backslash becomes "\\", control characters "\n", "\r", "\t" or "\xNN", bytes that are
 * not well-formed UTF-8 "\xNN", and the C1 controls and U+2028/U+2029 (which some readers
 * take as line breaks) "\uNNNN". `out` must hold 4 * strlen(in) + 1 bytes.
 */
static void escape_line(const char *in, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in);

	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t len;
		char named = named_escape(s[i]);

		if (named) {
			*out++ = '\\';
			*out++ = named;
			i++;
		} else if (s[i] >= 0x20 && s[i] < 0x7f) {
			*out++ = (char)s[i++];
		} else if (s[i] >= 0x80 && (len = utf8_seq(s + i, n - i, &cp)) != 0) {
			/* At most 6 characters ("\uNNNN") for 2 or 3 bytes: within 4 * len. */
			if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029) {
				out += sprintf(out, "\\u%04lx", cp);
			} else {
				memcpy(out, s + i, len);
				out += len;
			}
			i += len;
		} else {
			out += sprintf(out, "\\x%02x", s[i++]);
		}
	}
	*out = '\0';
}

int senctl_bad(const char *fmt, ...)
{
	char line[512], shown[4 * sizeof(line)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line on stderr, even when the message quotes what the user typed. */
	escape_line(line, shown);
	fprintf(stderr, "senctl: %s\n", shown);
	return SENCTL_EXIT_USAGE;
}

int senctl_flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return SENCTL_EXIT_OK;
	fprintf(stderr, "senctl: cannot write the output: %s\n", strerror(errno ? errno : EIO));
	return SENCTL_EXIT_FAIL;
}

static int parse(int argc, char **argv, struct senctl_opt *opts, const char **pos, int npos,
		 const char *what)
{
	int got = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			/* Not echoed: a stray argument is often a key whose option was lost. */
			if (got >= npos)
				return senctl_bad("unexpected argument at position %d (options are "
						  "written --name VALUE)",
						  i + 1);
			pos[got++] = a;
			continue;
		}
		struct senctl_opt *o = opts;
		while (o->name && strcmp(o->name, a + 2) != 0)
			o++;
		if (!o->name) {
			/*
			 * Only the name is echoed: in "--k=HEX" what follows '=' is key material.
			 * A long name is not echoed at all: it may be a key typed after "--".
			 */
			size_t len = strcspn(a + 2, "=");
			const struct senctl_opt *known = opts;
			while (known->name &&
			       (strlen(known->name) != len || strncmp(known->name, a + 2, len)))
				known++;
			if (known->name && a[2 + len] == '=' && known->flag)
				return senctl_bad("option --%s takes no value", known->name);
			if (known->name && a[2 + len] == '=')
				return senctl_bad(
				    "option --%s takes its value as the next argument "
				    "(--%s VALUE, not --%s=VALUE)",
				    known->name, known->name, known->name);
			if (len > 20)
				return senctl_bad("unknown option of %zu characters (not shown)",
						  len + 2);
			return senctl_bad("unknown option --%.*s", (int)len, a + 2);
		}
		if (o->value)
			return senctl_bad("option %s given twice", a);
		if (o->flag) {
			o->value = "1";
			continue;
		}
		if (i + 1 >= argc)
			return senctl_bad("option %s needs a value", a);
		o->value = argv[++i];
	}
	if (got < npos)
		return senctl_bad("missing %s", what);
	return 0;
}

int senctl_parse_opts(int argc, char **argv, struct senctl_opt *opts)
{
	return parse(argc, argv, opts, NULL, 0, NULL);
}

int senctl_parse_args(int argc, char **argv, struct senctl_opt *opts, const char **pos, int npos,
		      const char *what)
{
	return parse(argc, argv, opts, pos, npos, what);
}

const char *senctl_opt(const struct senctl_opt *opts, const char *name)
{
	for (; opts->name; opts++)
		if (strcmp(opts->name, name) == 0)
			return opts->value;
	return NULL;
}

static const char usage[] =
    "usage: senctl <command> [options]\n"
    "\n"
    "commands:\n"
    "  keys milenage  --k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX --amf HEX [--json]\n"
    "                 Milenage outputs: OPc, MAC-A, MAC-S, RES, CK, IK, AK, AK*\n"
    "  keys 5g-aka    --k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX --amf HEX\n"
    "                 --snn NAME --supi SUPI --abba HEX [--json]\n"
    "                 5G AKA vector and keys: AUTN, XRES*, HXRES*, KAUSF, KSEAF, KAMF\n"
    "  keys auts      --k HEX (--op HEX | --opc HEX) --rand HEX --auts HEX [--json]\n"
    "                 re-synchronisation: check MAC-S and recover the UE's SQN\n"
    "  keys suci      --scheme (null|a|b) [--hn-key FILE] --suci SUCI [--json]\n"
    "                 de-conceal a SUCI to its SUPI\n"
    "  nas decode     HEX [--json]\n"
    "                 decode a NAS-5GS message (TS 24.501) into a tree of names and values\n"
    "  nas roundtrip  HEX\n"
    "                 decode and re-encode; prints the hex, exit 0 only if identical\n"
    "  pfcp decode    HEX [--json]\n"
    "                 decode a PFCP message (TS 29.244) into a tree of names and values\n"
    "  pfcp roundtrip HEX\n"
    "                 decode and re-encode; prints the hex, exit 0 only if identical\n"
    "  ngap decode    HEX [--json]\n"
    "                 decode an NGAP PDU (TS 38.413), NAS-PDUs inside included\n"
    "  ngap roundtrip HEX\n"
    "                 decode and re-encode; prints the hex, exit 0 only if identical\n"
    "  subscriber add --supi imsi-... --k HEX (--opc HEX | --op HEX) [--amf HEX] [--sqn HEX]\n"
    "                 [--snssai SST[:SD],...] [--dnn NAME,...] [--ambr-ul R --ambr-dl R]\n"
    "  subscriber list | show SUPI [--secrets] | del SUPI | import FILE.csv\n"
    "                 provision subscribers in the UDR (-c sen.yaml or --udr HOST:PORT)\n"
    "  help           this text\n"
    "\n"
    "Exit status: 0 success, 2 bad input (one line on stderr says what), 1 internal error.\n";

int main(int argc, char **argv)
{
	if (argc < 2)
		return senctl_bad("no command given (try 'senctl help')");
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return senctl_flush_stdout();
	}
	if (!strcmp(argv[1], "keys"))
		return senctl_keys(argc - 2, argv + 2);
	if (!strcmp(argv[1], "nas"))
		return senctl_nas(argc - 2, argv + 2);
	if (!strcmp(argv[1], "pfcp"))
		return senctl_pfcp(argc - 2, argv + 2);
	if (!strcmp(argv[1], "ngap"))
		return senctl_ngap(argc - 2, argv + 2);
	if (!strcmp(argv[1], "subscriber"))
		return senctl_subscriber(argc - 2, argv + 2);
	return senctl_bad("unknown command '%s' (try 'senctl help')", argv[1]);
}
