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

#include "core/config.h"

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
 * and smf-select-data (optional: a failure leaves the DNN choice to the configuration)
 * -> GMM_EV_UDM_DONE or GMM_EV_SBI_FAIL. */
void amf_sbi_udm_register(struct amf_ue *ue);

/*
 * SMF selection (TS 23.502 4.3.2.2.3): the `hint` of a target of type "SMF". The resolver
 * asks the NRF for an SMF serving the DNN on the S-NSSAI, and falls back to smf.sbi of the
 * same sen.yaml when that section lists the DNN (or lists none). It fails the request with
 * -SEN_ERANGE when SMFs are known but none serves the DNN on the slice (5GMM #91), and
 * -SEN_ENOENT when no SMF is known at all (#90).
 */
struct amf_smf_hint {
	const char *dnn;
	const struct sen_cfg_slice *snssai;
};

/* The GUAMI as TS 29.571 Guami {plmnId, amfId} into object o (member "guami"). */
struct cJSON;
void amf_sbi_guami_json(const struct amf *amf, struct cJSON *o);

/* ---- Nsmf_PDUSession consumer and Namf_Communication producer (nsmf.c) ---- */

/* Routes of the Namf-Communication N1N2MessageTransfer and the SM context status callback. */
int amf_nsmf_routes(struct amf *amf);
/* Create SM Context (TS 29.502 5.2.2.2) for amf_sess_get(ue, psi) with the N1 SM message n1. On
 * failure the N1 is returned to the UE with 5GMM #90 / #91 (TS 24.501 5.4.5.2.5). */
void amf_nsmf_create(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t len);
/* Update SM Context (5.2.2.3) with an N1 SM message (returned with #90 on failure). */
void amf_nsmf_update_n1(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t len);
/* Update SM Context with N2 SM information of n2type ("PDU_RES_SETUP_RSP" …). */
void amf_nsmf_update_n2(struct amf_ue *ue, uint8_t psi, const char *n2type, const uint8_t *n2,
			size_t len);
/* Update SM Context with upCnxState DEACTIVATED (TS 23.502 4.2.6 AN release). */
void amf_nsmf_deactivate(struct amf_ue *ue, uint8_t psi);
/* Release SM Context (5.2.2.4) with `cause` (may be NULL) and forget the session here;
 * the request outlives the UE. */
void amf_nsmf_release(struct amf_ue *ue, uint8_t psi, const char *cause);
/* Forget every session of the UE here, without a request to its SMF (the SM contexts
 * moved with the UE to another AMF). */
void amf_nsmf_forget_all(struct amf_ue *ue);
/* The UE context goes away: cancel its Nsmf requests; unless the AMF is stopping, release
 * its SM contexts at the SMFs. */
void amf_nsmf_ue_gone(struct amf_ue *ue);

#endif
