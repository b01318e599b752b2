/*
 * sen-udr, the Unified Data Repository (TS 23.501 6.2.11) as a Sen NF module: Nudr-DR
 * (TS 29.504, subscription data per TS 29.505) for the UDM, and Sen's provisioning API
 * (/sen-prov/v1, for `senctl subscriber`), on the subscriber store of store.h.
 * docs/udr.md describes the resources, the threads and the guarantees.
 *
 * `sen-udr -c sen.yaml` runs it alone; `sen-core --nf …,udr` with other NFs in one process.
 * Configuration: the udr section (lib/core sen_cfg_udr: sbi address, db URL), and the nrf
 * section when present (the UDR then registers with the NRF).
 */
#ifndef SEN_UDR_H
#define SEN_UDR_H

#include "nf.h"

extern const struct sen_nf_module sen_udr_module;

#endif
