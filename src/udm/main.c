/*
 * sen-udm: the UDM daemon (TS 29.503) — `sen-udm -c sen.yaml`. See udm.h.
 */
#include "udm.h"

int main(int argc, char **argv)
{
	static const struct sen_nf_module *const mods[] = {&sen_udm_module};

	return sen_nf_main("sen-udm", argc, argv, mods, 1);
}
