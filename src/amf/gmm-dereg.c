/*
 * sen-amf deregistration of one UE (TS 24.501 5.5.2; TS 23.502 4.2.2.3):
 *   - UE-originating (5.5.2.2): Deregistration Accept unless the UE switched off, then
 *     the N2 connection is released (cause NAS deregister) and the context freed;
 *   - network-originating (5.5.2.3), here on the UDM's deregistration notification:
 *     Deregistration Request guarded by T3522 (retransmitted 4 times, 5.5.2.3.4), then
 *     release; a UE without N2 connection is deregistered locally (no paging yet);
 *   - implicit (5.3.7; TS 23.501 5.4.1.1), when the implicit de-registration timer of a
 *     UE in CM-IDLE expires (timer.c): local, without NAS signalling;
 *   - removal of the context of a UE that registered at another AMF (TS 23.502 4.2.2.2.2
 *     step 14c, the UDM's notification with reason UE_INITIAL_REGISTRATION or
 *     UE_REGISTRATION_AREA_CHANGE): local, without NAS signalling.
 */
#include "core/log.h"
#include "gmm.h"
#include "ngap.h"
#include "sbi-path.h"

void gmm_on_deregistration_request(struct amf_ue *ue, const struct gmm_ev *ev)
{
	const struct sen_nas_deregistration_request_ue_orig *r =
	    &ev->nas->deregistration_request_ue_orig;
	bool switch_off = r->dereg_type & 0x08; /* 9.11.3.20 bit 4 */
	struct sen_nas_msg m;

	gmm_abort_procedure(ue);
	sen_log_ue_info("amf", ue->tag, "Deregistration request%s",
			switch_off ? " (switch off)" : "");
	gmm_sess_release_all(ue); /* TS 23.502 4.2.2.3.2 step 2 */
	if (!switch_off) {
		sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
		amf_nas_send(ue, &m);
	}
	gmm_release(ue, GMM_DEREGISTERED, SEN_NGAP_CAUSE_NAS_DEREGISTER);
}

void gmm_on_nw_deregister(struct amf_ue *ue, const struct gmm_ev *ev)
{
	struct sen_nas_msg m;

	gmm_abort_procedure(ue);
	gmm_sess_release_all(ue); /* TS 23.502 4.2.2.3.3 step 3 */
	if (!ue->gnb) {
		sen_log_ue_info("amf", ue->tag, "deregistered locally (CM-IDLE)");
		gmm_release(ue, GMM_DEREGISTERED, SEN_NGAP_CAUSE_NAS_DEREGISTER);
		return;
	}
	if (!gmm_set_state(ue, GMM_DEREG_INITIATED))
		return;
	amf_ue_set_registered(ue, false);
	gmm_build_deregistration_request(&m, ue->nw_dereg_rereg ? 0 : ev->cause);
	if (ue->nw_dereg_rereg) /* 9.11.3.20: bit 3, re-registration required */
		m.deregistration_request_ue_term.dereg_type |= 0x04;
	sen_log_ue_info("amf", ue->tag, "Deregistration request (network%s)",
			ue->nw_dereg_rereg ? ", re-registration required" : "");
	gmm_send_guarded(ue, AMF_T3522, &m, 0);
}

void gmm_on_deregistration_accept(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_timer_stop(ue, AMF_T3522);
	sen_log_ue_info("amf", ue->tag, "Deregistration accept");
	gmm_release(ue, GMM_DEREGISTERED, SEN_NGAP_CAUSE_NAS_DEREGISTER);
}

/* 5.5.2.3.4 b: fifth expiry of T3522: the procedure is aborted, the UE deregistered. */
void gmm_on_t3522(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_release(ue, GMM_DEREGISTERED, SEN_NGAP_CAUSE_NAS_DEREGISTER);
}

/* TS 24.501 5.3.7: "the network shall implicitly de-register the UE"; TS 23.502 4.2.2.3.3
 * (network-initiated, implicit): no NAS message is sent (the UE is not reachable), the
 * context goes, and with it its SM contexts are released at the SMFs (step 3:
 * amf_ue_free -> amf_nsmf_ue_gone). */
void amf_ue_implicit_deregister(struct amf_ue *ue)
{
	if (ue->gone || ue->gnb || ue->state != GMM_REGISTERED)
		return;
	sen_log_ue_info("amf", ue->tag, "implicitly deregistered");
	gmm_abort_procedure(ue);
	gmm_release(ue, GMM_DEREGISTERED, SEN_NGAP_CAUSE_NAS_DEREGISTER); /* CM-IDLE: freed */
}

/*
 * TS 23.502 4.2.2.2.2 step 14c: "The old AMF removes the MM context of the UE. If the serving
 * NF removal reason indicated by the UDM is Initial Registration, then the old AMF [tells]
 * all the associated SMFs of the UE ... The SMF shall release the PDU Session(s)". With a
 * registration area change the SM contexts moved to the new AMF with the UE context
 * (4.2.2.2.2 steps 4-5): they are only forgotten here. No NAS message: the UE is served by
 * the other AMF. A stale N2 connection here is released.
 */
void amf_ue_remove_moved(struct amf_ue *ue, bool release_sm)
{
	if (ue->gone)
		return;
	sen_log_ue_info("amf", ue->tag, "registered at another AMF: context removed (%s)",
			release_sm ? "SM contexts released" : "SM contexts kept");
	gmm_abort_procedure(ue);
	/* released at the SMFs by amf_ue_free (amf_nsmf_ue_gone) unless forgotten here */
	if (!release_sm)
		amf_nsmf_forget_all(ue);
	amf_ue_set_registered(ue, false);
	if (ue->gnb)
		amf_ngap_send_ue_release(ue, SEN_NGAP_CAUSE_RADIO_NETWORK,
					 SEN_NGAP_CAUSE_RN_RELEASE_DUE_TO_5GC);
	amf_ue_free(ue);
}
