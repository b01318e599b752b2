/*
 * sen-amf 5GMM (TS 24.501 clause 5) for one UE: a table-driven state machine (gmm-sm.c:
 * states x events -> handler, with the states each state may go to), the procedures it
 * runs (gmm-reg.c registration and identification, gmm-auth.c 5G AKA and security mode
 * control, gmm-dereg.c deregistration), the NAS path (nas-path.c: integrity, replay,
 * decoding, protection) and the NAS timers with their retransmission limits (timer.c,
 * TS 24.501 10.2).
 */
#ifndef SEN_AMF_GMM_H
#define SEN_AMF_GMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "nas/nas.h"

/* What happens to a UE. NAS messages become events after nas-path.c has checked them. */
enum gmm_event {
	GMM_EV_REGISTRATION_REQUEST = 0,
	GMM_EV_IDENTITY_RESPONSE,
	GMM_EV_AUTHENTICATION_RESPONSE,
	GMM_EV_AUTHENTICATION_FAILURE,
	GMM_EV_SECURITY_MODE_COMPLETE,
	GMM_EV_SECURITY_MODE_REJECT,
	GMM_EV_REGISTRATION_COMPLETE,
	GMM_EV_DEREGISTRATION_REQUEST,	/* UE originating */
	GMM_EV_DEREGISTRATION_ACCEPT,	/* UE terminated: the UE's accept */
	GMM_EV_GMM_STATUS,
	GMM_EV_UL_NAS_TRANSPORT,
	GMM_EV_SERVICE_REQUEST,
	GMM_EV_CONFIGURATION_UPDATE_COMPLETE,
	GMM_EV_AUSF_AUTH,	 /* Nausf: challenge received (ue->rand/autn/hxres_star) */
	GMM_EV_AUSF_CONFIRM,	 /* Nausf: 5G AKA confirmed, KAMF derived, SUPI known */
	GMM_EV_UDM_DONE,	 /* Nudm: UECM registration and SDM data obtained */
	GMM_EV_SBI_FAIL,	 /* an SBI step failed: ev->cause says how to reject */
	GMM_EV_T3550,		 /* fifth expiry: abort (retransmissions are in timer.c) */
	GMM_EV_T3560,
	GMM_EV_T3570,
	GMM_EV_T3522,
	GMM_EV_NW_DEREGISTER,	 /* network-initiated deregistration (UDM notification) */
	GMM_EV_ICS_FAILED,	 /* Initial Context Setup Failure */
	GMM_N_EVENTS
};

struct gmm_ev {
	enum gmm_event type;
	const struct sen_nas_msg *nas;
	bool integrity; /* the NAS message passed the integrity check */
	uint8_t cause;	/* GMM_EV_SBI_FAIL: 5GMM cause; GMM_EV_NW_DEREGISTER: cause or 0 */
	bool auth_reject; /* GMM_EV_SBI_FAIL: authentication itself failed */
	/* An initial Registration / Service Request whose NAS message container could not be
	 * deciphered or decoded (TS 24.501 4.4.6): the cleartext IEs are used, and the SMC
	 * asks for the whole message (RINMR, 5.4.2.2). */
	bool container_failed;
	/* The message verified with the pending new 5G NAS security context of a running
	 * security mode control (gmm_sec_unprotect), not with the current one. */
	bool new_ctx;
};

/* ---- state machine (gmm-sm.c) ---- */

typedef void (*gmm_handler_fn)(struct amf_ue *ue, const struct gmm_ev *ev);

void gmm_dispatch(struct amf_ue *ue, const struct gmm_ev *ev);
/* Move to `to` if the table allows it from the current state; logs and returns false if not. */
bool gmm_set_state(struct amf_ue *ue, enum gmm_state to);
const char *gmm_state_name(enum gmm_state s);
const char *gmm_event_name(enum gmm_event e);

/* ---- procedures (gmm-reg.c, gmm-auth.c, gmm-dereg.c) ---- */

void gmm_on_registration_request(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_identity_response(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_registration_complete(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_udm_done(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_sbi_fail(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_t3550(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_t3570(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_status(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_ul_nas_transport(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_service_request(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_ignore(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_ics_failed(struct amf_ue *ue, const struct gmm_ev *ev);

void gmm_auth_start(struct amf_ue *ue);
void gmm_on_ausf_auth(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_auth_response(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_auth_failure(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_ausf_confirm(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_t3560(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_smc_complete(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_smc_reject(struct amf_ue *ue, const struct gmm_ev *ev);
/* A Registration Request is about to be handled: note the ngKSI the UE indicated (the new
 * one must differ, 5.4.1.3.2) and whether the SMC must ask for the whole initial message
 * (RINMR: not verified, or its container unusable; 4.4.6, 5.4.2.2). */
void gmm_auth_note_initial(struct amf_ue *ue, const struct gmm_ev *ev);
/* Drop the pending new security context (if any) and go back to the current KAMF. */
void gmm_auth_drop_pending(struct amf_ue *ue);
/* The context that protects a downlink message of security header type sht (0: as the
 * connection allows): the pending new context for "integrity protected with new 5G NAS
 * security context" (the SMC, 4.4.2.2 / 5.4.2.2), else the current one; NULL if none. */
struct sen_nas_sec_ctx *gmm_sec_tx(struct amf_ue *ue, uint8_t sht);
/* Check and remove the protection of an uplink message (sen_nas_unprotect): a "new
 * context" security header type (3, 4: SMC Complete, 4.4.2.3, 5.4.2.3) only with the
 * pending new context; anything else with the current one, falling back to the pending
 * one when the MAC does not verify (a Security Mode Reject stays under the current
 * context, 5.4.2.5). *new_ctx tells whether the pending context verified it. Returns the
 * plain length or sen_nas_unprotect's error (-SEN_EAUTH when there is no context). */
int gmm_sec_unprotect(struct amf_ue *ue, const uint8_t *pdu, size_t len, uint8_t *out,
		      size_t cap, struct sen_nas_sec_hdr *hdr, bool *new_ctx);

void gmm_on_deregistration_request(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_nw_deregister(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_deregistration_accept(struct amf_ue *ue, const struct gmm_ev *ev);
void gmm_on_t3522(struct amf_ue *ue, const struct gmm_ev *ev);

/* Helpers shared by the procedures (gmm-reg.c). */
/* Take what a Registration Request says into the context: registration type, follow-on
 * request, UE security capability, requested NSSAI (TS 24.501 5.5.1.2.2, 5.5.1.3.2). Used
 * for the initial message and for the whole message a Security Mode Complete carries
 * (4.4.6, 5.4.2.3). 0, or the 5GMM cause to reject the registration with. */
uint8_t gmm_registration_take_ies(struct amf_ue *ue,
				  const struct sen_nas_registration_request *r);
/* After authentication + security mode: obtain subscription data, then accept. */
void gmm_registration_continue(struct amf_ue *ue);
/* Registration Reject with `cause` (TS 24.501 5.5.1.2.5), then release N2. */
void gmm_registration_reject(struct amf_ue *ue, uint8_t cause);
/* Service Reject with `cause` (TS 24.501 5.6.1.5), then release N2; a registered UE stays
 * registered (CM-IDLE), any other context is released. */
void gmm_service_reject(struct amf_ue *ue, uint8_t cause);
/* Authentication Reject (5.4.1.3.5), then release N2. */
void gmm_authentication_reject(struct amf_ue *ue);
/* Stop whatever procedure runs (timers, SBI request). */
void gmm_abort_procedure(struct amf_ue *ue);
/* End of the UE's N2 connection: move to `state` and send UE Context Release Command with
 * an NGAP cause of the NAS group (TS 38.413 9.3.1.2). Without N2, a UE that is not
 * registered is freed at once. */
void gmm_release(struct amf_ue *ue, enum gmm_state state, uint8_t nas_cause);

/* ---- PDU sessions, the 5GMM side (gmm-sess.c) ---- */

/* Send a 5GSM message back to the UE in DL NAS Transport with 5GMM `cause` (#90 payload was
 * not forwarded, #91 DNN not supported or not subscribed in the slice; TS 24.501 5.4.5.3). */
void gmm_sess_return_n1(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t len,
			uint8_t cause);
/*
 * Deliver what an SMF sends (N1N2MessageTransfer, or an SmContextUpdatedData): the N1 SM
 * message in DL NAS Transport, and/or the N2 SM information of n2type PDU_RES_SETUP_REQ
 * (PDU Session Resource Setup Request, with the NAS-PDU in the item) or PDU_RES_REL_CMD
 * (PDU Session Resource Release Command, with the NAS-PDU). snssai may be NULL (the
 * session's). Returns 0, -SEN_ENOENT (no N2 connection), -SEN_ENOTSUP (n2type) or an error.
 */
int gmm_sess_deliver(struct amf_ue *ue, uint8_t psi, const uint8_t *n1, size_t n1len,
		     const uint8_t *n2, size_t n2len, const char *n2type,
		     const struct sen_nas_snssai *snssai);
/* N2 SM information from the gNB for a session (n2type as TS 29.502 N2SmInfoType). */
void gmm_sess_n2_response(struct amf_ue *ue, uint8_t psi, const char *n2type,
			  const uint8_t *transfer, size_t len);
/* The UE's N2 connection is gone while registered: its user planes are deactivated. */
void gmm_sess_an_released(struct amf_ue *ue);
/* Deregistration: release every SM context (TS 23.502 4.2.2.3.2 step 2). */
void gmm_sess_release_all(struct amf_ue *ue);

/* ---- N2 events (from ngap-handler.c) ---- */

/* The N2 connection is gone (gNB lost, NG Reset, release complete). */
void gmm_n2_lost(struct amf_ue *ue);

/* ---- NAS path (nas-path.c) ---- */

/* A NAS-PDU from the UE (Initial UE Message or Uplink NAS Transport). May replace `ue` by
 * a known context of the same UE (5G-GUTI): the N2 binding moves there. */
void amf_nas_receive(struct amf_ue *ue, const uint8_t *pdu, size_t len);
/* Encode `m`, protect it as the context allows (or with `sht` if non-zero) into out. */
int amf_nas_build(struct amf_ue *ue, const struct sen_nas_msg *m, uint8_t sht, uint8_t *out,
		  size_t cap);
/* Protect an already encoded plain message and send it in a Downlink NAS Transport. */
int amf_nas_send_plain(struct amf_ue *ue, const uint8_t *plain, size_t len, uint8_t sht);
/* Build and send `m` in a Downlink NAS Transport. */
int amf_nas_send(struct amf_ue *ue, const struct sen_nas_msg *m);
/* 5GMM STATUS with `cause` (TS 24.501 5.4.6), protected when security is in use. */
void amf_nas_send_status(struct amf_ue *ue, uint8_t cause);

/* ---- NAS timers (timer.c) ---- */

void gmm_timers_init(struct amf_ue *ue);
void gmm_timers_stop(struct amf_ue *ue);
/* Send `m` (encoded plain, protected with `sht` or as the context allows) and start the
 * timer guarding it; it is retransmitted on expiry up to the limit (10.2). */
int gmm_send_guarded(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
		     uint8_t sht);
/* Start the timer for a message already sent some other way (in Initial Context Setup). */
void gmm_timer_arm(struct amf_ue *ue, enum amf_timer_id which, const struct sen_nas_msg *m,
		   uint8_t sht);
void gmm_timer_stop(struct amf_ue *ue, enum amf_timer_id which);

/* ---- NAS builders (gmm-build.c) ---- */

void gmm_build_registration_accept(struct amf_ue *ue, struct sen_nas_msg *m);
void gmm_build_registration_reject(struct sen_nas_msg *m, uint8_t cause);
void gmm_build_authentication_request(struct amf_ue *ue, struct sen_nas_msg *m);
void gmm_build_security_mode_command(struct amf_ue *ue, struct sen_nas_msg *m);
void gmm_build_identity_request(struct sen_nas_msg *m, uint8_t type);
void gmm_build_deregistration_request(struct sen_nas_msg *m, uint8_t cause);
/* GPRS timer 3 (TS 24.008 10.5.7.4a) for `seconds`, rounded up to what it can carry. */
void gmm_timer3(uint32_t seconds, struct sen_nas_timer *t);
/* The T3512 the UE is actually given for a configured t3512 (seconds): what gmm_timer3()
 * encodes, e.g. 3240 -> 3600 (6 x 10 min). The mobile reachable timer is based on it
 * (TS 24.501 5.3.7). */
uint32_t amf_t3512_sent(uint32_t t3512);

#endif
