/*
 * Sample PFCP messages with realistic contents (TS 29.244 clauses 7.4, 7.5): one or more
 * builders per message type Sen supports, as an SMF and a UPF exchange them for one
 * UE's IPv4 PDU session (N3 uplink PDR with CHOOSE F-TEID, N6 downlink PDR on the UE
 * address, buffering then forwarding FARs, a QER and a volume URR). Used by the round
 * trip tests, the tshark oracle (--dump) and as the fuzz seed corpus.
 */
#include "samples.h"

#include <string.h>

static const uint8_t smf_ip[4] = {127, 0, 0, 4}, upf_ip[4] = {127, 0, 0, 7},
		     gnb_ip[4] = {10, 0, 0, 1}, ue_ip[4] = {10, 45, 0, 2};
static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
static const uint8_t ni_internet[] = {8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't'};
static const char flow_dl[] = "permit out ip from any to assigned";
static const char flow_ul[] = "permit out 17 from 10.45.0.2 to 8.8.8.8 53";

#define TS 3913056000u /* 2024-01-01 in NTP seconds */

static void node_ipv4(struct sen_pfcp_node_id *n, const uint8_t ip[4])
{
	n->type = SEN_PFCP_NODE_IPV4;
	memcpy(n->ipv4, ip, 4);
}

static void fseid4(struct sen_pfcp_fseid *f, uint64_t seid, const uint8_t ip[4])
{
	f->flags = SEN_PFCP_FSEID_V4;
	f->seid = seid;
	memcpy(f->ipv4, ip, 4);
}

static void labels(struct sen_pfcp_bytes *b)
{
	b->p = ni_internet;
	b->len = sizeof(ni_internet);
}

static void heartbeat_request(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_HEARTBEAT_REQUEST, 1);
	m->heartbeat.recovery_ts = TS;
}

static void heartbeat_response(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_HEARTBEAT_RESPONSE, 1);
	m->heartbeat.recovery_ts = TS + 17;
}

static void assoc_setup_request(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_ASSOCIATION_SETUP_REQUEST, 2);
	node_ipv4(&m->association_setup.node_id, smf_ip);
	m->association_setup.recovery_ts = TS;
	m->association_setup.has_cp_features = true;
	m->association_setup.cp_features.bits = SEN_PFCP_CP_LOAD | SEN_PFCP_CP_OVRL;
}

static void assoc_setup_request_fqdn(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_ASSOCIATION_SETUP_REQUEST, 0x123456);
	m->association_setup.node_id.type = SEN_PFCP_NODE_FQDN;
	strcpy(m->association_setup.node_id.fqdn, "upf1.sen.example");
	m->association_setup.recovery_ts = TS + 1;
	m->association_setup.has_up_features = true;
	m->association_setup.up_features.bits = SEN_PFCP_UP_FTUP | SEN_PFCP_UP_EMPU;
	m->association_setup.up_features.len = 6;
}

static void assoc_setup_response(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_ASSOCIATION_SETUP_RESPONSE, 2);
	node_ipv4(&m->association_setup.node_id, upf_ip);
	m->association_setup.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	m->association_setup.recovery_ts = TS + 5;
	m->association_setup.has_up_features = true;
	m->association_setup.up_features.bits = SEN_PFCP_UP_FTUP | SEN_PFCP_UP_EMPU;
}

static void assoc_setup_response_ipv6(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_ASSOCIATION_SETUP_RESPONSE, 3);
	m->association_setup.node_id.type = SEN_PFCP_NODE_IPV6;
	memcpy(m->association_setup.node_id.ipv6, v6, 16);
	m->association_setup.cause = SEN_PFCP_CAUSE_NO_RESOURCES;
	m->association_setup.recovery_ts = TS + 6;
}

static void assoc_release_request(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_ASSOCIATION_RELEASE_REQUEST, 9);
	node_ipv4(&m->association_release.node_id, smf_ip);
}

static void assoc_release_response(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_ASSOCIATION_RELEASE_RESPONSE, 9);
	node_ipv4(&m->association_release.node_id, upf_ip);
	m->association_release.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
}

static void version_not_supported(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_VERSION_NOT_SUPPORTED_RESPONSE, 77);
}

/* The uplink PDR: N3, CHOOSE F-TEID, remove GTP-U, forward to N6 (FAR 1). */
static void pdr_ul(struct sen_pfcp_create_pdr *p)
{
	p->pdr_id = 1;
	p->precedence = 200;
	p->pdi.source_interface = SEN_PFCP_IF_ACCESS;
	p->pdi.has_local_fteid = true;
	p->pdi.local_fteid.flags = SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_CHID | SEN_PFCP_FTEID_V4;
	p->pdi.local_fteid.choose_id = 5;
	p->pdi.has_network_instance = true;
	labels(&p->pdi.network_instance);
	p->pdi.n_qfi = 1;
	p->pdi.qfi[0] = 1;
	p->has_ohr = true;
	p->ohr.desc = SEN_PFCP_OHR_GTPU_UDP_IPV4;
	p->ohr.has_ext_deletion = true;
	p->ohr.ext_deletion = 1;
	p->has_far_id = true;
	p->far_id = 1;
	p->n_urr_id = 1;
	p->urr_id[0] = 1;
	p->n_qer_id = 1;
	p->qer_id[0] = 1;
}

/* The downlink PDR: N6, the UE's address as destination, SDF filter, FAR 2. */
static void pdr_dl(struct sen_pfcp_create_pdr *p)
{
	p->pdr_id = 2;
	p->precedence = 200;
	p->pdi.source_interface = SEN_PFCP_IF_CORE;
	p->pdi.has_network_instance = true;
	labels(&p->pdi.network_instance);
	p->pdi.n_ue_ip = 1;
	p->pdi.ue_ip[0].flags = SEN_PFCP_UEIP_V4 | SEN_PFCP_UEIP_SD;
	memcpy(p->pdi.ue_ip[0].ipv4, ue_ip, 4);
	p->pdi.n_sdf_filter = 1;
	p->pdi.sdf_filter[0].flags = SEN_PFCP_SDF_FD;
	p->pdi.sdf_filter[0].flow_desc.p = (const uint8_t *)flow_dl;
	p->pdi.sdf_filter[0].flow_desc.len = strlen(flow_dl);
	p->has_far_id = true;
	p->far_id = 2;
	p->n_urr_id = 1;
	p->urr_id[0] = 1;
	p->n_qer_id = 1;
	p->qer_id[0] = 1;
}

static void qer1(struct sen_pfcp_qer *q)
{
	q->qer_id = 1;
	q->gate_status = SEN_PFCP_GATE(0, 0);
	q->has_mbr = true;
	q->mbr.ul = 1000000;
	q->mbr.dl = 2000000;
	q->has_qfi = true;
	q->qfi = 1;
}

static void urr1(struct sen_pfcp_urr *u)
{
	u->urr_id = 1;
	u->measurement_method.bits = SEN_PFCP_MM_VOLUM | SEN_PFCP_MM_DURAT;
	u->reporting_triggers.bits = SEN_PFCP_RT_VOLTH | SEN_PFCP_RT_PERIO;
	u->has_measurement_period = true;
	u->measurement_period = 60;
	u->has_volume_threshold = true;
	u->volume_threshold.flags = SEN_PFCP_VOL_TOVOL | SEN_PFCP_VOL_DLVOL;
	u->volume_threshold.total = 1000000000ull;
	u->volume_threshold.dl = 800000000ull;
}

static void sess_est_request(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_establishment_request *r = &m->session_establishment_request;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_ESTABLISHMENT_REQUEST, 100);
	m->seid = 0; /* the UP SEID is not known yet (7.2.2.4.2) */
	node_ipv4(&r->node_id, smf_ip);
	fseid4(&r->cp_fseid, 1, smf_ip);
	r->n_create_pdr = 2;
	pdr_ul(&r->create_pdr[0]);
	pdr_dl(&r->create_pdr[1]);
	r->n_create_far = 2;
	r->create_far[0].far_id = 1;
	r->create_far[0].apply_action.bits = SEN_PFCP_AA_FORW;
	r->create_far[0].has_fwd = true;
	r->create_far[0].fwd.destination_interface = SEN_PFCP_IF_CORE;
	r->create_far[0].fwd.has_network_instance = true;
	labels(&r->create_far[0].fwd.network_instance);
	r->create_far[1].far_id = 2;
	r->create_far[1].apply_action.bits = SEN_PFCP_AA_BUFF | SEN_PFCP_AA_NOCP;
	r->n_create_urr = 1;
	urr1(&r->create_urr[0]);
	r->n_create_qer = 1;
	qer1(&r->create_qer[0]);
	r->has_pdn_type = true;
	r->pdn_type = 1;
	r->has_apn_dnn = true;
	labels(&r->apn_dnn);
}

/* IPv6 and dual-stack variant: F-SEID with both families, CHOOSE for both, a v6 UE. */
static void sess_est_request_v6(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_establishment_request *r = &m->session_establishment_request;

	sess_est_request(m);
	m->seq = 101;
	r->cp_fseid.flags |= SEN_PFCP_FSEID_V6;
	memcpy(r->cp_fseid.ipv6, v6, 16);
	r->cp_fseid.seid = 0xfedcba9876543210ull;
	r->create_pdr[0].pdi.local_fteid.flags =
	    SEN_PFCP_FTEID_CH | SEN_PFCP_FTEID_V4 | SEN_PFCP_FTEID_V6;
	r->create_pdr[0].pdi.n_sdf_filter = 1;
	r->create_pdr[0].pdi.sdf_filter[0].flags = SEN_PFCP_SDF_FD | SEN_PFCP_SDF_BID;
	r->create_pdr[0].pdi.sdf_filter[0].flow_desc.p = (const uint8_t *)flow_ul;
	r->create_pdr[0].pdi.sdf_filter[0].flow_desc.len = strlen(flow_ul);
	r->create_pdr[0].pdi.sdf_filter[0].filter_id = 7;
	struct sen_pfcp_ue_ip *u = &r->create_pdr[1].pdi.ue_ip[0];
	u->flags = SEN_PFCP_UEIP_V6 | SEN_PFCP_UEIP_SD | SEN_PFCP_UEIP_IP6PL;
	memcpy(u->ipv6, v6, 16);
	u->ipv6[15] = 0;
	u->ipv6_prefix_len = 64;
	r->pdn_type = 3;
}

static void sess_est_response(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_establishment_response *r = &m->session_establishment_response;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE, 100);
	m->seid = 1;
	node_ipv4(&r->node_id, upf_ip);
	r->cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	r->has_up_fseid = true;
	fseid4(&r->up_fseid, 0x1001, upf_ip);
	r->n_created_pdr = 1;
	r->created_pdr[0].pdr_id = 1;
	r->created_pdr[0].has_local_fteid = true;
	r->created_pdr[0].local_fteid.flags = SEN_PFCP_FTEID_V4;
	r->created_pdr[0].local_fteid.teid = 0x0000abcd;
	memcpy(r->created_pdr[0].local_fteid.ipv4, upf_ip, 4);
}

static void sess_est_response_reject(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_establishment_response *r = &m->session_establishment_response;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_ESTABLISHMENT_RESPONSE, 102);
	m->seid = 1;
	node_ipv4(&r->node_id, upf_ip);
	r->cause = SEN_PFCP_CAUSE_MANDATORY_IE_MISSING;
	r->has_offending_ie = true;
	r->offending_ie = SEN_PFCP_IE_F_SEID;
}

/* After N2 PDU Session Resource Setup: forward downlink to the gNB, plus rule churn. */
static void sess_mod_request(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_modification_request *r = &m->session_modification_request;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_MODIFICATION_REQUEST, 103);
	m->seid = 0x1001;
	r->n_remove_pdr = 1;
	r->remove_pdr[0].id = 3;
	r->n_remove_far = 1;
	r->remove_far[0].id = 3;
	r->n_remove_urr = 1;
	r->remove_urr[0].id = 3;
	r->n_remove_qer = 1;
	r->remove_qer[0].id = 3;
	r->n_create_pdr = 1;
	pdr_dl(&r->create_pdr[0]);
	r->create_pdr[0].pdr_id = 4;
	r->create_pdr[0].far_id = 4;
	r->create_pdr[0].precedence = 100;
	r->create_pdr[0].pdi.qfi[0] = 5;
	r->create_pdr[0].pdi.n_qfi = 1;
	r->create_pdr[0].qer_id[0] = 2;
	r->n_create_far = 1;
	r->create_far[0].far_id = 4;
	r->create_far[0].apply_action.bits = SEN_PFCP_AA_DROP;
	r->n_create_qer = 1;
	r->create_qer[0].qer_id = 2;
	r->create_qer[0].gate_status = SEN_PFCP_GATE(0, 0);
	r->create_qer[0].has_gbr = true;
	r->create_qer[0].gbr.ul = 256;
	r->create_qer[0].gbr.dl = 512;
	r->create_qer[0].has_mbr = true;
	r->create_qer[0].mbr.ul = 1024;
	r->create_qer[0].mbr.dl = 2048;
	r->create_qer[0].has_qfi = true;
	r->create_qer[0].qfi = 5;
	r->n_update_pdr = 1;
	r->update_pdr[0].pdr_id = 1;
	r->update_pdr[0].has_precedence = true;
	r->update_pdr[0].precedence = 150;
	r->update_pdr[0].has_pdi = true;
	r->update_pdr[0].pdi.source_interface = SEN_PFCP_IF_ACCESS;
	r->update_pdr[0].pdi.has_local_fteid = true;
	r->update_pdr[0].pdi.local_fteid.flags = SEN_PFCP_FTEID_V4;
	r->update_pdr[0].pdi.local_fteid.teid = 0xabcd;
	memcpy(r->update_pdr[0].pdi.local_fteid.ipv4, upf_ip, 4);
	r->n_update_far = 1;
	struct sen_pfcp_update_far *f = &r->update_far[0];
	f->far_id = 2;
	f->has_apply_action = true;
	f->apply_action.bits = SEN_PFCP_AA_FORW;
	f->has_fwd = true;
	f->fwd.has_destination_interface = true;
	f->fwd.destination_interface = SEN_PFCP_IF_ACCESS;
	f->fwd.has_network_instance = true;
	labels(&f->fwd.network_instance);
	f->fwd.has_ohc = true;
	f->fwd.ohc.desc = SEN_PFCP_OHC_GTPU_UDP_IPV4;
	f->fwd.ohc.teid = 0x00000001;
	memcpy(f->fwd.ohc.ipv4, gnb_ip, 4);
	f->fwd.has_smreq_flags = true;
	f->fwd.smreq_flags.bits = SEN_PFCP_SMREQ_SNDEM;
	r->n_update_urr = 1;
	r->update_urr[0].urr_id = 1;
	r->update_urr[0].has_volume_threshold = true;
	r->update_urr[0].volume_threshold.flags = SEN_PFCP_VOL_ULVOL;
	r->update_urr[0].volume_threshold.ul = 5000000;
	r->n_update_qer = 1;
	r->update_qer[0].qer_id = 1;
	r->update_qer[0].has_gate_status = true;
	r->update_qer[0].gate_status = SEN_PFCP_GATE(0, 1);
	r->update_qer[0].has_mbr = true;
	r->update_qer[0].mbr.ul = 500000;
	r->update_qer[0].mbr.dl = 500000;
}

static void usage(struct sen_pfcp_usage_report *u, uint32_t seqn)
{
	u->urr_id = 1;
	u->ur_seqn = seqn;
	u->trigger.bits = SEN_PFCP_URT_VOLTH;
	u->has_start_time = true;
	u->start_time = TS;
	u->has_end_time = true;
	u->end_time = TS + 60;
	u->has_volume = true;
	u->volume.flags = SEN_PFCP_VOL_TOVOL | SEN_PFCP_VOL_ULVOL | SEN_PFCP_VOL_DLVOL |
			  SEN_PFCP_VOL_TONOP | SEN_PFCP_VOL_ULNOP | SEN_PFCP_VOL_DLNOP;
	u->volume.total = 3000;
	u->volume.ul = 1000;
	u->volume.dl = 2000;
	u->volume.total_pkts = 30;
	u->volume.ul_pkts = 10;
	u->volume.dl_pkts = 20;
	u->has_duration = true;
	u->duration = 60;
	u->has_first_pkt = true;
	u->first_pkt = TS + 1;
	u->has_last_pkt = true;
	u->last_pkt = TS + 59;
}

static void sess_mod_response(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_MODIFICATION_RESPONSE, 103);
	m->seid = 1;
	m->session_response.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	m->session_response.n_usage_report = 1;
	usage(&m->session_response.usage_report[0], 1);
}

static void sess_del_request(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_DELETION_REQUEST, 104);
	m->seid = 0x1001;
	m->mp = true;
	m->priority = 5;
}

static void sess_del_response(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_DELETION_RESPONSE, 104);
	m->seid = 1;
	m->session_response.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	m->session_response.n_usage_report = 2;
	usage(&m->session_response.usage_report[0], 2);
	usage(&m->session_response.usage_report[1], 3);
	m->session_response.usage_report[1].urr_id = 2;
	m->session_response.usage_report[1].trigger.bits = SEN_PFCP_URT_TERMR;
}

static void sess_del_response_not_found(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_DELETION_RESPONSE, 105);
	m->seid = 0;
	m->session_response.cause = SEN_PFCP_CAUSE_SESSION_CONTEXT_NOT_FOUND;
}

static void sess_report_dldr(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_report_request *r = &m->session_report_request;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_REPORT_REQUEST, 7);
	m->seid = 1;
	r->report_type.bits = SEN_PFCP_REPORT_DLDR;
	r->has_dl_data_report = true;
	r->dl_data_report.n_pdr_id = 1;
	r->dl_data_report.pdr_id[0] = 2;
	r->dl_data_report.n_service_info = 1;
	r->dl_data_report.service_info[0].flags = SEN_PFCP_DDSI_QFII;
	r->dl_data_report.service_info[0].qfi = 1;
}

static void sess_report_usar(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_report_request *r = &m->session_report_request;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_REPORT_REQUEST, 8);
	m->seid = 1;
	r->report_type.bits = SEN_PFCP_REPORT_USAR;
	r->n_usage_report = 1;
	usage(&r->usage_report[0], 4);
}

static void sess_report_erir(struct sen_pfcp_msg *m)
{
	struct sen_pfcp_session_report_request *r = &m->session_report_request;

	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_REPORT_REQUEST, 9);
	m->seid = 1;
	r->report_type.bits = SEN_PFCP_REPORT_ERIR;
	r->has_error_indication_report = true;
	r->error_indication_report.n_remote_fteid = 1;
	r->error_indication_report.remote_fteid[0].flags = SEN_PFCP_FTEID_V4;
	r->error_indication_report.remote_fteid[0].teid = 0x00000001;
	memcpy(r->error_indication_report.remote_fteid[0].ipv4, gnb_ip, 4);
}

static void sess_report_response(struct sen_pfcp_msg *m)
{
	sen_pfcp_msg_init(m, SEN_PFCP_SESSION_REPORT_RESPONSE, 7);
	m->seid = 0x1001;
	m->session_report_response.cause = SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
}

const struct pfcp_sample pfcp_samples[] = {
    {"heartbeat-request", heartbeat_request},
    {"heartbeat-response", heartbeat_response},
    {"association-setup-request", assoc_setup_request},
    {"association-setup-request-fqdn", assoc_setup_request_fqdn},
    {"association-setup-response", assoc_setup_response},
    {"association-setup-response-ipv6", assoc_setup_response_ipv6},
    {"association-release-request", assoc_release_request},
    {"association-release-response", assoc_release_response},
    {"version-not-supported-response", version_not_supported},
    {"session-establishment-request", sess_est_request},
    {"session-establishment-request-ipv6", sess_est_request_v6},
    {"session-establishment-response", sess_est_response},
    {"session-establishment-response-reject", sess_est_response_reject},
    {"session-modification-request", sess_mod_request},
    {"session-modification-response", sess_mod_response},
    {"session-deletion-request", sess_del_request},
    {"session-deletion-response", sess_del_response},
    {"session-deletion-response-not-found", sess_del_response_not_found},
    {"session-report-request-dldr", sess_report_dldr},
    {"session-report-request-usar", sess_report_usar},
    {"session-report-request-erir", sess_report_erir},
    {"session-report-response", sess_report_response},
};
const size_t pfcp_n_samples = sizeof(pfcp_samples) / sizeof(pfcp_samples[0]);
