/*
 * sen-smf: the SMF daemon — `sen-smf -c sen.yaml`. See smf.h.
 */
#include "smf.h"

int main(int argc, char **argv)
{
	static const struct sen_nf_module *const mods[] = {&sen_smf_module};

	return sen_nf_main("sen-smf", argc, argv, mods, 1);
}
