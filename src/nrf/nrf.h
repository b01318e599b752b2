/*
 * sen-nrf as a module (src/common/nf.h): the NF Repository Function, TS 29.510
 * Nnrf_NFManagement and Nnrf_NFDiscovery. Run alone by sen-nrf, or with other NFs by
 * sen-core. Reads the `nrf` section of sen.yaml (sen_cfg_nrf_schema in core/config.h):
 * { sbi: addr:port, heartbeat: seconds (10), validity: seconds (60) }. See docs/nrf.md.
 */
#ifndef SEN_NRF_NRF_H
#define SEN_NRF_NRF_H

#include "nf.h"

extern const struct sen_nf_module sen_nrf_module;

#endif
