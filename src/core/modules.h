/*
 * The modules sen-core can run, in start order (the NRF first, so that the others
 * register with it over the local transport from their first attempt).
 */
#ifndef SEN_CORE_MODULES_H
#define SEN_CORE_MODULES_H

#include <stddef.h>

#include "nf.h"

extern const struct sen_nf_module *const sen_core_modules[];
extern const size_t sen_core_n_modules;

#endif
