/*
 * sen-upf: the user plane function daemon (`sen-upf -c sen.yaml`); see upf.h.
 */
#include "upf.h"

int main(int argc, char **argv)
{
	static const struct sen_nf_module *const mods[] = { &sen_upf_module };

	return sen_nf_main("sen-upf", argc, argv, mods, 1);
}
