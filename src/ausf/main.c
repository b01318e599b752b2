/*
 * sen-ausf: the AUSF daemon (TS 29.509) — `sen-ausf -c sen.yaml`. See ausf.h.
 */
#include "ausf.h"

int main(int argc, char **argv)
{
	static const struct sen_nf_module *const mods[] = {&sen_ausf_module};

	return sen_nf_main("sen-ausf", argc, argv, mods, 1);
}
