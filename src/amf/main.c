/*
 * sen-amf: the AMF as its own daemon (sen-amf -c sen.yaml).
 */
#include "amf.h"

int main(int argc, char **argv)
{
	static const struct sen_nf_module *const mods[] = {&sen_amf_module};
	return sen_nf_main("sen-amf", argc, argv, mods, 1);
}
