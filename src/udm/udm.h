/*
 * sen-udm: Unified Data Management (TS 29.503), the home network's front end to the UDR.
 *
 * Services (docs/udm-ausf.md):
 *   Nudm-UEAU  generate-auth-data (5G AKA vectors, SUCI de-concealment, re-synchronisation
 *              from AUTS) and auth-events                         TS 29.503 6.3, TS 33.501 6.1.3.2
 *   Nudm-SDM   am-data, smf-select-data, sm-data, nssai           TS 29.503 6.1
 *   Nudm-UECM  registration of the serving AMF (3GPP access)      TS 29.503 6.2
 *
 * The module runs under the shared main() (src/common/nf.h): `sen-udm -c sen.yaml` alone, or
 * inside `sen-core`. It binds the `udm` section of sen.yaml (sbi, hn_keys) and reaches the UDR
 * by NF type ("UDR", service "nudr-dr") through its SBI client's resolver.
 */
#ifndef SEN_UDM_UDM_H
#define SEN_UDM_UDM_H

#include "nf.h"

extern const struct sen_nf_module sen_udm_module;

#endif
