/*
 * sen-ausf: Authentication Server Function (TS 29.509), the home network's 5G AKA endpoint
 * for the SEAF (in the AMF).
 *
 * Service Nausf-UEAU (TS 29.509 clause 5.2, 6.1; TS 33.501 6.1.3.2):
 *   POST /nausf-auth/v1/ue-authentications                      start 5G AKA
 *   PUT  /nausf-auth/v1/ue-authentications/{authCtxId}/5g-aka-confirmation   RES* check
 * See docs/udm-ausf.md.
 *
 * The module runs under the shared main() (src/common/nf.h): `sen-ausf -c sen.yaml`, or inside
 * `sen-core`. It binds the `ausf` section (sbi) and reaches the UDM by NF type ("UDM",
 * service "nudm-ueau") through its SBI client's resolver.
 */
#ifndef SEN_AUSF_AUSF_H
#define SEN_AUSF_AUSF_H

#include "nf.h"

extern const struct sen_nf_module sen_ausf_module;

#endif
