/*
 * home-core: the home network in ONE process, as sen-core runs it (DESIGN.md, "Process
 * model"): the nrf, udr, udm and ausf modules on one loop, so their SBI requests to each
 * other take lib/sbi's local transport. Used by test_daemons.py --core while src/core's
 * sen-core does not carry the udm and ausf modules yet; the same shared main().
 */
#include "ausf/ausf.h"
#include "nrf.h"
#include "udm/udm.h"
#include "udr.h"

int main(int argc, char **argv)
{
	static const struct sen_nf_module *const mods[] = {&sen_nrf_module, &sen_udr_module,
							   &sen_udm_module, &sen_ausf_module};

	return sen_nf_main("home-core", argc, argv, mods, 4);
}
