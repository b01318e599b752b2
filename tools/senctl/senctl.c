/*
 * senctl: Sen's operator tool — entry point, subcommand table and the option parser the
 * subcommands share. See senctl.h for the exit-status contract.
 */
#include "senctl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int senctl_bad(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "senctl: %s\n", line);
	return SENCTL_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct senctl_opt *opts, const char **pos, int npos,
		 const char *what)
{
	int got = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (got >= npos)
				return senctl_bad("unexpected argument '%s'", a);
			pos[got++] = a;
			continue;
		}
		struct senctl_opt *o = opts;
		while (o->name && strcmp(o->name, a + 2) != 0)
			o++;
		if (!o->name)
			return senctl_bad("unknown option %s", a);
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
    "                 --snn NAME --supi SUPI [--abba HEX] [--json]\n"
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
		return SENCTL_EXIT_OK;
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
