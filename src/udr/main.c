/*
 * sen-udr: the UDR daemon. Everything around the module (options, sen.yaml, logging,
 * metrics, signals) is the shared main() of src/common/nf.c.
 */
#include "udr.h"

int main(int argc, char **argv)
{
	const struct sen_nf_module *const mods[] = {&sen_udr_module};

	return sen_nf_main("sen-udr", argc, argv, mods, 1);
}
