/*
 * sen-amf SBI: the AMF's calls to the AUSF (Nausf_UEAuthentication, TS 29.509) and the UDM
 * (Nudm_UECM, Nudm_SDM, TS 29.503), and its own Namf callback for the UDM's deregistration
 * notification (TS 29.503 6.2.5.2.3.2). Peers are addressed by NF type and service; the
 * resolver (the NRF client's, or the static one here, from the peers' sections of sen.yaml)
 * finds them. Every call is asynchronous with a timeout; its answer, or its failure,
 * becomes one state machine event, so a UE whose call fails is rejected, never stuck.
 */
#ifndef SEN_AMF_SBI_PATH_H
#define SEN_AMF_SBI_PATH_H

#include <stddef.h>
#include <stdint.h>

struct amf;
struct amf_ue;

int amf_sbi_start(struct amf *amf, char *err, size_t errlen);
void amf_sbi_stop(struct amf *amf);

/* POST /nausf-auth/v1/ue-authentications (TS 29.509 5.2.2.2.2) for the UE's SUCI or SUPI;
 * with `auts` (14 octets) the resynchronizationInfo of the last RAND (6.1.3.2 / 5.4.1.3.7).
 * -> GMM_EV_AUSF_AUTH or GMM_EV_SBI_FAIL. */
void amf_sbi_ausf_authenticate(struct amf_ue *ue, const uint8_t *auts);
/* PUT {5g-aka link} with RES* -> GMM_EV_AUSF_CONFIRM (KAMF derived, SUPI set) or FAIL. */
void amf_sbi_ausf_confirm(struct amf_ue *ue, const uint8_t res_star[16]);
/* PUT UECM amf-3gpp-access registration, GET SDM am-data (and nssai when am-data has none)
 * -> GMM_EV_UDM_DONE or GMM_EV_SBI_FAIL. */
void amf_sbi_udm_register(struct amf_ue *ue);

#endif
