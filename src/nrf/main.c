/*
 * sen-nrf: the NRF daemon (`sen-nrf -c sen.yaml`), the nrf module under the shared main().
 */
#include "nrf.h"

int main(int argc, char **argv)
{
	const struct sen_nf_module *mods[] = {&sen_nrf_module};

	return sen_nf_main("sen-nrf", argc, argv, mods, 1);
}
