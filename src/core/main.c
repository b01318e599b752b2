/*
 * sen-core: several network functions in one process (DESIGN.md, "Process model"):
 *
 *     sen-core -c sen.yaml --nf nrf,udr,udm,ausf
 *
 * Every module runs on the one event loop, so SBI requests between them go through
 * lib/sbi's local transport (a function call) while keeping their exact form.
 */
#include "modules.h"

int main(int argc, char **argv)
{
	return sen_nf_main("sen-core", argc, argv, sen_core_modules, sen_core_n_modules);
}
