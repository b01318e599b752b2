/*
 * The module table of sen-core. Adding an NF: include its src/<nf>/<nf>.h here, add one
 * line to the table (in start order: the NRF first, so the others can register), and its
 * dependency to sen_core_mod_deps in meson.build.
 */
#include "modules.h"

#include "amf/amf.h"
#include "ausf/ausf.h"
#include "nrf/nrf.h"
#include "smf/smf.h"
#include "udm/udm.h"
#include "udr/udr.h"
#include "upf/upf.h"

const struct sen_nf_module *const sen_core_modules[] = {
	&sen_nrf_module, &sen_udr_module, &sen_udm_module, &sen_ausf_module, &sen_amf_module,
	&sen_smf_module, &sen_upf_module,
};

const size_t sen_core_n_modules = sizeof(sen_core_modules) / sizeof(sen_core_modules[0]);
