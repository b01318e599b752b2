/*
 * sen-amf 5GMM state machine for one UE, as tables (STYLE.md, Osmocom): each state is a
 * row naming the events it accepts with their handler, and the states it may move to.
 * An event a state does not list is refused by one mechanism, logged with names: a NAS
 * message is answered with 5GMM STATUS #98 "message type not compatible with the protocol
 * state" (TS 24.501 7.4), anything else (a late SBI answer, a stale timer) is dropped.
 *
 * The states refine the network side states of TS 24.501 5.1.3.2.2 (5GMM-DEREGISTERED,
 * 5GMM-COMMON-PROCEDURE-INITIATED, 5GMM-REGISTERED, 5GMM-DEREGISTERED-INITIATED) with the
 * step of the registration that is waiting, so that each handler finds the data it needs.
 */
#include "gmm.h"

#include "core/log.h"
#include "metrics.h"

#define S(x) (1u << (x))
#define ALL_STATES (S(GMM_N_STATES) - 1u)

struct gmm_state_row {
	const char *name;
	uint32_t out_mask; /* states this one may move to */
	gmm_handler_fn on[GMM_N_EVENTS];
};

/* Events every state handles the same way. */
#define COMMON_EVENTS                                                                              \
	[GMM_EV_REGISTRATION_REQUEST] = gmm_on_registration_request,                               \
	[GMM_EV_DEREGISTRATION_REQUEST] = gmm_on_deregistration_request,                           \
	[GMM_EV_GMM_STATUS] = gmm_on_status, [GMM_EV_ICS_FAILED] = gmm_on_ics_failed

/* Every state may start over (a new Registration Request), be rejected or released. */
#define ANY_START (S(GMM_DEREGISTERED) | S(GMM_IDENTIFYING) | S(GMM_AUTH_WAIT_AUSF) |              \
		   S(GMM_RELEASING) | S(GMM_WAIT_UDM) | S(GMM_WAIT_REG_COMPLETE))

static const struct gmm_state_row table[GMM_N_STATES] = {
	[GMM_DEREGISTERED] = {
		.name = "DEREGISTERED",
		.out_mask = ANY_START,
		.on = { COMMON_EVENTS },
	},
	[GMM_IDENTIFYING] = {
		.name = "IDENTIFYING",
		.out_mask = ANY_START,
		.on = { COMMON_EVENTS,
			[GMM_EV_IDENTITY_RESPONSE] = gmm_on_identity_response,
			[GMM_EV_T3570] = gmm_on_t3570 },
	},
	[GMM_AUTH_WAIT_AUSF] = {
		.name = "AUTH-WAIT-AUSF",
		.out_mask = ANY_START | S(GMM_AUTHENTICATING),
		.on = { COMMON_EVENTS,
			[GMM_EV_AUSF_AUTH] = gmm_on_ausf_auth,
			[GMM_EV_SBI_FAIL] = gmm_on_sbi_fail },
	},
	[GMM_AUTHENTICATING] = {
		.name = "AUTHENTICATING",
		.out_mask = ANY_START | S(GMM_AUTH_WAIT_CONFIRM),
		.on = { COMMON_EVENTS,
			[GMM_EV_AUTHENTICATION_RESPONSE] = gmm_on_auth_response,
			[GMM_EV_AUTHENTICATION_FAILURE] = gmm_on_auth_failure,
			[GMM_EV_T3560] = gmm_on_t3560 },
	},
	[GMM_AUTH_WAIT_CONFIRM] = {
		.name = "AUTH-WAIT-CONFIRM",
		.out_mask = ANY_START | S(GMM_SECURITY_MODE),
		.on = { COMMON_EVENTS,
			[GMM_EV_AUSF_CONFIRM] = gmm_on_ausf_confirm,
			[GMM_EV_SBI_FAIL] = gmm_on_sbi_fail },
	},
	[GMM_SECURITY_MODE] = {
		.name = "SECURITY-MODE",
		.out_mask = ANY_START,
		.on = { COMMON_EVENTS,
			[GMM_EV_SECURITY_MODE_COMPLETE] = gmm_on_smc_complete,
			[GMM_EV_SECURITY_MODE_REJECT] = gmm_on_smc_reject,
			[GMM_EV_T3560] = gmm_on_t3560 },
	},
	[GMM_WAIT_UDM] = {
		.name = "WAIT-UDM",
		.out_mask = ANY_START,
		.on = { COMMON_EVENTS,
			[GMM_EV_UDM_DONE] = gmm_on_udm_done,
			[GMM_EV_SBI_FAIL] = gmm_on_sbi_fail },
	},
	[GMM_WAIT_REG_COMPLETE] = {
		.name = "WAIT-REG-COMPLETE",
		.out_mask = ANY_START | S(GMM_REGISTERED),
		.on = { COMMON_EVENTS,
			[GMM_EV_REGISTRATION_COMPLETE] = gmm_on_registration_complete,
			[GMM_EV_UL_NAS_TRANSPORT] = gmm_on_ul_nas_transport,
			[GMM_EV_T3550] = gmm_on_t3550,
			[GMM_EV_NW_DEREGISTER] = gmm_on_nw_deregister },
	},
	[GMM_REGISTERED] = {
		.name = "REGISTERED",
		.out_mask = ANY_START | S(GMM_DEREG_INITIATED),
		.on = { COMMON_EVENTS,
			[GMM_EV_UL_NAS_TRANSPORT] = gmm_on_ul_nas_transport,
			[GMM_EV_SERVICE_REQUEST] = gmm_on_service_request,
			[GMM_EV_CONFIGURATION_UPDATE_COMPLETE] = gmm_on_ignore,
			[GMM_EV_REGISTRATION_COMPLETE] = gmm_on_ignore,
			[GMM_EV_NW_DEREGISTER] = gmm_on_nw_deregister },
	},
	[GMM_DEREG_INITIATED] = {
		.name = "DEREG-INITIATED",
		.out_mask = ANY_START,
		.on = { COMMON_EVENTS,
			[GMM_EV_DEREGISTRATION_ACCEPT] = gmm_on_deregistration_accept,
			[GMM_EV_T3522] = gmm_on_t3522 },
	},
	[GMM_RELEASING] = {
		.name = "RELEASING",
		.out_mask = ANY_START,
		/* A fresh Registration Request starts over; everything else waits for the
		 * release (TS 24.501 5.5.1.2.5: after a reject the UE releases). */
		.on = { [GMM_EV_REGISTRATION_REQUEST] = gmm_on_registration_request,
			[GMM_EV_GMM_STATUS] = gmm_on_status,
			[GMM_EV_DEREGISTRATION_REQUEST] = gmm_on_deregistration_request },
	},
};

static const char *const event_names[GMM_N_EVENTS] = {
	[GMM_EV_REGISTRATION_REQUEST] = "Registration request",
	[GMM_EV_IDENTITY_RESPONSE] = "Identity response",
	[GMM_EV_AUTHENTICATION_RESPONSE] = "Authentication response",
	[GMM_EV_AUTHENTICATION_FAILURE] = "Authentication failure",
	[GMM_EV_SECURITY_MODE_COMPLETE] = "Security mode complete",
	[GMM_EV_SECURITY_MODE_REJECT] = "Security mode reject",
	[GMM_EV_REGISTRATION_COMPLETE] = "Registration complete",
	[GMM_EV_DEREGISTRATION_REQUEST] = "Deregistration request (UE originating)",
	[GMM_EV_DEREGISTRATION_ACCEPT] = "Deregistration accept (UE terminated)",
	[GMM_EV_GMM_STATUS] = "5GMM status",
	[GMM_EV_UL_NAS_TRANSPORT] = "UL NAS transport",
	[GMM_EV_SERVICE_REQUEST] = "Service request",
	[GMM_EV_CONFIGURATION_UPDATE_COMPLETE] = "Configuration update complete",
	[GMM_EV_AUSF_AUTH] = "AUSF challenge",
	[GMM_EV_AUSF_CONFIRM] = "AUSF confirmation",
	[GMM_EV_UDM_DONE] = "UDM data",
	[GMM_EV_SBI_FAIL] = "SBI failure",
	[GMM_EV_T3550] = "T3550 limit",
	[GMM_EV_T3560] = "T3560 limit",
	[GMM_EV_T3570] = "T3570 limit",
	[GMM_EV_T3522] = "T3522 limit",
	[GMM_EV_NW_DEREGISTER] = "network deregistration",
	[GMM_EV_ICS_FAILED] = "Initial Context Setup failure",
};

const char *gmm_state_name(enum gmm_state s)
{
	return (unsigned)s < GMM_N_STATES ? table[s].name : "?";
}

const char *gmm_event_name(enum gmm_event e)
{
	return (unsigned)e < GMM_N_EVENTS && event_names[e] ? event_names[e] : "?";
}

/* Events that are NAS messages from the UE. */
static bool is_nas_event(enum gmm_event e)
{
	return e <= GMM_EV_CONFIGURATION_UPDATE_COMPLETE;
}

void gmm_dispatch(struct amf_ue *ue, const struct gmm_ev *ev)
{
	gmm_handler_fn fn;

	if (ue->gone || (unsigned)ev->type >= GMM_N_EVENTS || (unsigned)ue->state >= GMM_N_STATES)
		return;
	fn = table[ue->state].on[ev->type];
	if (!fn) {
		if (is_nas_event(ev->type)) {
			sen_log_ue_info("nas", ue->tag, "%s not expected in state %s: 5GMM STATUS #98",
					gmm_event_name(ev->type), gmm_state_name(ue->state));
			amf_metrics_nas_dropped("state");
			/* TS 24.501 7.4 / 9.11.3.2: #98 message type not compatible with the
			 * protocol state. */
			amf_nas_send_status(ue, 98);
		} else {
			sen_log_ue_debug("amf", ue->tag, "%s ignored in state %s",
					 gmm_event_name(ev->type), gmm_state_name(ue->state));
		}
		return;
	}
	sen_log_ue_debug("amf", ue->tag, "%s in state %s", gmm_event_name(ev->type),
			 gmm_state_name(ue->state));
	if (ev->type == GMM_EV_REGISTRATION_REQUEST) /* what authentication / SMC need of it */
		gmm_auth_note_initial(ue, ev);
	fn(ue, ev);
}

bool gmm_set_state(struct amf_ue *ue, enum gmm_state to)
{
	if ((unsigned)to >= GMM_N_STATES)
		return false;
	if (to == ue->state)
		return true;
	if (!(table[ue->state].out_mask & S(to))) {
		sen_log_ue_error("amf", ue->tag, "transition %s -> %s refused by the state table",
				 gmm_state_name(ue->state), gmm_state_name(to));
		return false;
	}
	sen_log_ue_debug("amf", ue->tag, "%s -> %s", gmm_state_name(ue->state), gmm_state_name(to));
	ue->state = to;
	return true;
}
