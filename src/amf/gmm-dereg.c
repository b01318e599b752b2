/*
 * sen-amf deregistration of one UE (TS 24.501 5.5.2; TS 23.502 4.2.2.3):
 *   - UE-originating (5.5.2.2): Deregistration Accept unless the UE switched off, then
 *     the N2 connection is released (cause NAS deregister) and the context freed;
 *   - network-originating (5.5.2.3), here on the UDM's deregistration notification:
 *     Deregistration Request guarded by T3522 (retransmitted 4 times, 5.5.2.3.4), then
 *     release; a UE without N2 connection is deregistered locally (no paging yet).
 */
#include "core/log.h"
#include "gmm.h"
#include "ngap.h"

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
	gmm_build_deregistration_request(&m, ev->cause);
	sen_log_ue_info("amf", ue->tag, "Deregistration request (network)");
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
