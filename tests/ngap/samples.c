/*
 * Sample NGAP PDUs (TS 38.413 9.2) and transfers (9.3.4) with the contents a real AMF and
 * gNB exchange: PLMN 999-70, TAC 1, NR cell 0x10, gNB-ID 1 (22 bits), slice SST 1 / SD
 * 000001, UPF N3 tunnel 10.0.0.7 TEID 0x1234, gNB tunnel 10.0.0.2 TEID 0xabcd0001, QoS flow
 * 1 with 5QI 9, a real Registration Request NAS-PDU (from UERANSIM's test script).
 */
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "samples.h"

#define OCT(s) ((struct sen_asn_octets){(const uint8_t *)(s), sizeof(s) - 1})
#define BITS(s, n) ((struct sen_asn_bits){(const uint8_t *)(s), n})
#define PLMN OCT("\x99\xf9\x07")
#define TAC OCT("\x00\x00\x01")
#define AMF SAMPLE_AMF_UE_NGAP_ID
#define RAN SAMPLE_RAN_UE_NGAP_ID

static uint8_t nas[64];
static struct sen_asn_octets nas_pdu;

static struct sen_ngap_slice_item slices[2];
static struct sen_ngap_ta_item ta;
static struct sen_ngap_bplmn_item bplmn;
static struct sen_ngap_served_guami_item guami_item;
static struct sen_ngap_plmn_support_item plmn_support;
static struct sen_ngap_tai_item paging_tai;

static void fill_tai(struct sen_ngap_tai *t)
{
	t->plmn = PLMN;
	t->tac = TAC;
}

static void fill_uli(struct sen_ngap_uli *u)
{
	memset(u, 0, sizeof(*u));
	u->present = SEN_NGAP_ULI_NR;
	u->u.nr.cgi.plmn = PLMN;
	u->u.nr.cgi.cell_id = BITS("\x00\x00\x00\x01\x00", 36);
	fill_tai(&u->u.nr.tai);
	u->u.nr.has_time_stamp = true;
	u->u.nr.time_stamp = OCT("\xe8\x00\x00\x01");
}

static void fill_guami(struct sen_ngap_guami *g)
{
	g->plmn = PLMN;
	g->region = BITS("\x02", 8);
	g->set = BITS("\x00\x40", 10); /* 1 */
	g->pointer = BITS("\x00", 6);
}

static void fill_cause(struct sen_ngap_cause *c, unsigned kind, uint8_t v)
{
	c->present = kind;
	c->u.value = v;
}

static void fill_s_tmsi(struct sen_ngap_5g_s_tmsi *s)
{
	s->set = BITS("\x00\x40", 10);
	s->pointer = BITS("\x00", 6);
	s->tmsi = OCT("\xc0\xff\xee\x01");
}

static void fill_up(struct sen_ngap_up_tnl *t, const char *ip, const char *teid)
{
	t->present = 0;
	t->u.gtp.addr = (struct sen_asn_bits){(const uint8_t *)ip, 32};
	t->u.gtp.teid = (struct sen_asn_octets){(const uint8_t *)teid, 4};
}

static void fill_cd(struct sen_ngap_crit_diag *cd)
{
	static struct sen_ngap_cd_ie ie = {.criticality = SEN_ASN_REJECT, .id = 999, .type_of_error = 0};
	cd->has_procedure_code = true;
	cd->procedure_code = 15;
	cd->has_triggering_message = true;
	cd->triggering_message = 0;
	cd->has_procedure_criticality = true;
	cd->procedure_criticality = SEN_ASN_IGNORE;
	cd->has_ies = true;
	cd->ies.items = &ie;
	cd->ies.count = 1;
}

/* ---- transfers ---- */

static struct sen_ngap_setup_request_transfer t_setup_req;
static struct sen_ngap_qos_flow_setup_item qos_flow;
static struct sen_ngap_setup_response_transfer t_setup_resp;
static struct sen_ngap_associated_qos_flow assoc_flow;
static struct sen_ngap_unsuccessful_transfer t_unsucc;
static struct sen_ngap_modify_request_transfer t_mod_req;
static struct sen_ngap_qos_flow_modify_item mod_flow;
static struct sen_ngap_modify_response_transfer t_mod_resp;
static struct sen_ngap_qfi_item mod_resp_flow;
static struct sen_ngap_cause_transfer t_rel_cmd, t_notify_rel;
static struct sen_ngap_release_response_transfer t_rel_resp;
static struct sen_ngap_notify_transfer t_notify;
static struct sen_ngap_qos_notify_item notify_flow;

static uint8_t enc_buf[10][256];
static struct sen_asn_octets enc[10];

static const struct ngap_transfer_sample transfer_list[] = {
    {"setup-request-transfer", &sen_ngap_setup_request_transfer_type, &t_setup_req},
    {"setup-response-transfer", &sen_ngap_setup_response_transfer_type, &t_setup_resp},
    {"setup-unsuccessful-transfer", &sen_ngap_setup_unsuccessful_transfer_type, &t_unsucc},
    {"modify-request-transfer", &sen_ngap_modify_request_transfer_type, &t_mod_req},
    {"modify-response-transfer", &sen_ngap_modify_response_transfer_type, &t_mod_resp},
    {"modify-unsuccessful-transfer", &sen_ngap_modify_unsuccessful_transfer_type, &t_unsucc},
    {"release-command-transfer", &sen_ngap_release_command_transfer_type, &t_rel_cmd},
    {"release-response-transfer", &sen_ngap_release_response_transfer_type, &t_rel_resp},
    {"notify-transfer", &sen_ngap_notify_transfer_type, &t_notify},
    {"notify-released-transfer", &sen_ngap_notify_released_transfer_type, &t_notify_rel},
};

static void build_transfers(void)
{
	static struct sen_ngap_qos_flow_cause_item failed = {.qfi = 2};
	t_setup_req.has_session_ambr = true;
	t_setup_req.session_ambr.dl = 1000000000;
	t_setup_req.session_ambr.ul = 500000000;
	fill_up(&t_setup_req.ul_tnl, "\x0a\x00\x00\x07", SAMPLE_TEID_UL);
	t_setup_req.pdu_session_type = SEN_NGAP_PDU_IPV4;
	qos_flow.qfi = 1;
	qos_flow.params.characteristics.present = SEN_NGAP_QOS_NON_DYNAMIC;
	qos_flow.params.characteristics.u.non_dynamic.five_qi = 9;
	qos_flow.params.arp.priority_level = 8;
	qos_flow.params.arp.pre_emption_capability = 0;
	qos_flow.params.arp.pre_emption_vulnerability = 1;
	t_setup_req.qos_flows.items = &qos_flow;
	t_setup_req.qos_flows.count = 1;

	fill_up(&t_setup_resp.dl_qos_flow_per_tnl.tnl, "\x0a\x00\x00\x02", SAMPLE_TEID_DL);
	assoc_flow.qfi = 1;
	t_setup_resp.dl_qos_flow_per_tnl.flows.items = &assoc_flow;
	t_setup_resp.dl_qos_flow_per_tnl.flows.count = 1;
	fill_cause(&failed.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, 23);
	t_setup_resp.has_failed_flows = true;
	t_setup_resp.failed_flows.items = &failed;
	t_setup_resp.failed_flows.count = 1;

	fill_cause(&t_unsucc.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, 22);

	t_mod_req.has_session_ambr = true;
	t_mod_req.session_ambr.dl = 2000000000;
	t_mod_req.session_ambr.ul = 1000000000;
	mod_flow.qfi = 2;
	mod_flow.has_params = true;
	mod_flow.params.characteristics.present = SEN_NGAP_QOS_DYNAMIC;
	mod_flow.params.characteristics.u.dynamic.priority_level = 20;
	mod_flow.params.characteristics.u.dynamic.packet_delay_budget = 100;
	mod_flow.params.characteristics.u.dynamic.packet_error_rate.scalar = 1;
	mod_flow.params.characteristics.u.dynamic.packet_error_rate.exponent = 6;
	mod_flow.params.arp.priority_level = 2;
	mod_flow.params.has_gbr = true;
	mod_flow.params.gbr.mfbr_dl = mod_flow.params.gbr.mfbr_ul = 10000000;
	mod_flow.params.gbr.gfbr_dl = mod_flow.params.gbr.gfbr_ul = 5000000;
	t_mod_req.has_add_or_modify = true;
	t_mod_req.add_or_modify.items = &mod_flow;
	t_mod_req.add_or_modify.count = 1;
	/* 9.3.4.3 UL NG-U UP TNL Modify List: the UPF's new uplink and the gNB's downlink */
	static struct sen_ngap_ul_tnl_modify_item tnl_mod;
	fill_up(&tnl_mod.ul, "\x0a\x00\x00\x08", "\x00\x00\x12\x35");
	fill_up(&tnl_mod.dl, "\x0a\x00\x00\x02", SAMPLE_TEID_DL);
	t_mod_req.has_ul_tnl_modify = true;
	t_mod_req.ul_tnl_modify.items = &tnl_mod;
	t_mod_req.ul_tnl_modify.count = 1;

	/* 9.3.4.4 DL NG-U UP TNL Information: the gNB's new downlink endpoint */
	fill_up(&t_mod_resp.dl_tnl, "\x0a\x00\x00\x03", "\xab\xcd\x00\x02");
	t_mod_resp.has_dl_tnl = true;
	mod_resp_flow.qfi = 2;
	t_mod_resp.has_flows = true;
	t_mod_resp.flows.items = &mod_resp_flow;
	t_mod_resp.flows.count = 1;

	fill_cause(&t_rel_cmd.cause, SEN_NGAP_CAUSE_NAS, SEN_NGAP_CAUSE_NAS_NORMAL_RELEASE);
	fill_cause(&t_notify_rel.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, 21);
	notify_flow.qfi = 1;
	notify_flow.notification_cause = 1;
	t_notify.has_notify_flows = true;
	t_notify.notify_flows.items = &notify_flow;
	t_notify.notify_flows.count = 1;

	for (unsigned i = 0; i < 10; i++) {
		int n = sen_ngap_transfer_encode(transfer_list[i].type, transfer_list[i].value,
						 enc_buf[i], sizeof(enc_buf[i]));
		if (n < 0)
			abort();
		enc[i] = (struct sen_asn_octets){enc_buf[i], (uint32_t)n};
	}
}

/* ---- messages ---- */

static struct sen_ngap_ng_setup_request m_ngsr;
static struct sen_ngap_ng_setup_response m_ngsresp;
static struct sen_ngap_setup_failure m_fail;
static struct sen_ngap_ran_configuration_update m_rcu;
static struct sen_ngap_cd_only m_cd_only;
static struct sen_ngap_amf_configuration_update m_acu;
static struct sen_ngap_tnl_add_item tnl_add;
static struct sen_ngap_amf_configuration_update_ack m_acu_ack;
static struct sen_ngap_tnl_item tnl_setup;
static struct sen_ngap_ng_reset m_reset;
static struct sen_ngap_ue_assoc_item assoc;
static struct sen_ngap_ng_reset_ack m_reset_ack;
static struct sen_ngap_error_indication m_ei;
static struct sen_ngap_initial_ue_message m_iue;
static struct sen_ngap_downlink_nas_transport m_dl;
static struct sen_ngap_uplink_nas_transport m_ul;
static struct sen_ngap_nas_non_delivery_indication m_nnd;
static struct sen_ngap_reroute_nas_request m_reroute;
static uint8_t reroute_buf[256];
static struct sen_asn_octets reroute_msg;
static struct sen_ngap_initial_context_setup_request m_icsr;
static struct sen_ngap_ps_setup_item ps_setup;
static struct sen_ngap_initial_context_setup_response m_icsresp;
static struct sen_ngap_ps_transfer ps_resp, ps_fail, ps_rel_cmd, ps_rel_resp, ps_mod_resp,
    ps_notify, ps_notify_rel;
static struct sen_ngap_initial_context_setup_failure m_icsf;
static struct sen_ngap_ue_context_release_request m_rel_req;
static struct sen_ngap_ps_item ps_item;
static struct sen_ngap_ue_context_release_command m_rel_cmd;
static struct sen_ngap_ue_context_release_complete m_rel_cpl;
static struct sen_ngap_ue_context_modification_request m_mod_req;
static struct sen_ngap_ue_context_modification_response m_mod_resp;
static struct sen_ngap_ue_failure m_mod_fail;
static struct sen_ngap_ue_radio_capability_info_indication m_radio;
static struct sen_ngap_paging m_paging;
static struct sen_ngap_pdu_session_resource_setup_request m_pss_req;
static struct sen_ngap_pdu_session_resource_setup_response m_pss_resp;
static struct sen_ngap_pdu_session_resource_release_command m_psr_cmd;
static struct sen_ngap_pdu_session_resource_release_response m_psr_resp;
static struct sen_ngap_pdu_session_resource_modify_request m_psm_req;
static struct sen_ngap_ps_modify_item ps_mod;
static struct sen_ngap_pdu_session_resource_modify_response m_psm_resp;
static struct sen_ngap_pdu_session_resource_notify m_psn;

#define NSAMPLES 35
static struct ngap_sample samples[NSAMPLES];

static void add(int *n, const char *name, unsigned kind, unsigned proc, const void *msg)
{
	samples[*n].name = name;
	if (sen_ngap_pdu_init(&samples[*n].pdu, kind, proc, msg))
		abort();
	(*n)++;
}

static void build(void)
{
	int n = 0;
	int len = sen_hex_decode(SAMPLE_NAS_HEX, nas, sizeof(nas));
	nas_pdu = (struct sen_asn_octets){nas, (uint32_t)len};
	build_transfers();

	slices[0].snssai.sst = OCT("\x01");
	slices[1].snssai.sst = OCT("\x01");
	slices[1].snssai.has_sd = true;
	slices[1].snssai.sd = OCT("\x00\x00\x01");
	bplmn.plmn = PLMN;
	bplmn.slices.items = slices;
	bplmn.slices.count = 2;
	ta.tac = TAC;
	ta.bplmns.items = &bplmn;
	ta.bplmns.count = 1;

	m_ngsr.global_ran_node_id.present = SEN_NGAP_NODE_GNB;
	m_ngsr.global_ran_node_id.u.node.plmn = PLMN;
	m_ngsr.global_ran_node_id.u.node.id.present = 0;
	m_ngsr.global_ran_node_id.u.node.id.u.bits = BITS("\x00\x00\x04", 22);
	m_ngsr.has_ran_node_name = true;
	m_ngsr.ran_node_name = OCT("sen-gnb-1");
	m_ngsr.supported_ta_list.items = &ta;
	m_ngsr.supported_ta_list.count = 1;
	m_ngsr.default_paging_drx = SEN_NGAP_DRX_V128;
	add(&n, "ng-setup-request", SEN_NGAP_INITIATING, 21, &m_ngsr);

	fill_guami(&guami_item.guami);
	plmn_support.plmn = PLMN;
	plmn_support.slices.items = slices;
	plmn_support.slices.count = 2;
	m_ngsresp.amf_name = OCT("sen-amf");
	m_ngsresp.served_guami_list.items = &guami_item;
	m_ngsresp.served_guami_list.count = 1;
	m_ngsresp.relative_amf_capacity = 255;
	m_ngsresp.plmn_support_list.items = &plmn_support;
	m_ngsresp.plmn_support_list.count = 1;
	add(&n, "ng-setup-response", SEN_NGAP_SUCCESSFUL, 21, &m_ngsresp);

	fill_cause(&m_fail.cause, SEN_NGAP_CAUSE_MISC, SEN_NGAP_CAUSE_MISC_UNKNOWN_PLMN);
	m_fail.has_time_to_wait = true;
	m_fail.time_to_wait = SEN_NGAP_TTW_10S;
	m_fail.has_criticality_diagnostics = true;
	fill_cd(&m_fail.criticality_diagnostics);
	add(&n, "ng-setup-failure", SEN_NGAP_UNSUCCESSFUL, 21, &m_fail);

	m_rcu.has_ran_node_name = true;
	m_rcu.ran_node_name = OCT("sen-gnb-1b");
	m_rcu.has_supported_ta_list = true;
	m_rcu.supported_ta_list = m_ngsr.supported_ta_list;
	m_rcu.has_default_paging_drx = true;
	m_rcu.default_paging_drx = SEN_NGAP_DRX_V64;
	add(&n, "ran-configuration-update", SEN_NGAP_INITIATING, 35, &m_rcu);
	add(&n, "ran-configuration-update-ack", SEN_NGAP_SUCCESSFUL, 35, &m_cd_only);
	add(&n, "ran-configuration-update-failure", SEN_NGAP_UNSUCCESSFUL, 35, &m_fail);

	m_acu.has_amf_name = true;
	m_acu.amf_name = OCT("sen-amf-2");
	m_acu.has_relative_amf_capacity = true;
	m_acu.relative_amf_capacity = 100;
	tnl_add.addr.present = 0;
	tnl_add.addr.u.addr = BITS("\x0a\x00\x00\x05", 32);
	tnl_add.has_usage = true;
	tnl_add.usage = 2;
	tnl_add.weight = 10;
	m_acu.has_tnl_to_add = true;
	m_acu.tnl_to_add.items = &tnl_add;
	m_acu.tnl_to_add.count = 1;
	add(&n, "amf-configuration-update", SEN_NGAP_INITIATING, 0, &m_acu);
	tnl_setup.addr = tnl_add.addr;
	m_acu_ack.has_tnl_setup = true;
	m_acu_ack.tnl_setup.items = &tnl_setup;
	m_acu_ack.tnl_setup.count = 1;
	add(&n, "amf-configuration-update-ack", SEN_NGAP_SUCCESSFUL, 0, &m_acu_ack);
	add(&n, "amf-configuration-update-failure", SEN_NGAP_UNSUCCESSFUL, 0, &m_fail);

	fill_cause(&m_reset.cause, SEN_NGAP_CAUSE_TRANSPORT, 0);
	assoc.has_amf_ue_ngap_id = true;
	assoc.amf_ue_ngap_id = AMF;
	assoc.has_ran_ue_ngap_id = true;
	assoc.ran_ue_ngap_id = RAN;
	m_reset.reset_type.present = SEN_NGAP_RESET_PART;
	m_reset.reset_type.u.part.items = &assoc;
	m_reset.reset_type.u.part.count = 1;
	add(&n, "ng-reset", SEN_NGAP_INITIATING, 20, &m_reset);
	m_reset_ack.has_ue_associated_list = true;
	m_reset_ack.ue_associated_list = m_reset.reset_type.u.part;
	add(&n, "ng-reset-ack", SEN_NGAP_SUCCESSFUL, 20, &m_reset_ack);

	m_ei.has_amf_ue_ngap_id = true;
	m_ei.amf_ue_ngap_id = AMF;
	m_ei.has_ran_ue_ngap_id = true;
	m_ei.ran_ue_ngap_id = RAN;
	m_ei.has_cause = true;
	fill_cause(&m_ei.cause, SEN_NGAP_CAUSE_PROTOCOL,
		   SEN_NGAP_CAUSE_PROTO_ABSTRACT_SYNTAX_ERROR_IGNORE_AND_NOTIFY);
	m_ei.has_criticality_diagnostics = true;
	fill_cd(&m_ei.criticality_diagnostics);
	add(&n, "error-indication", SEN_NGAP_INITIATING, 9, &m_ei);

	m_iue.ran_ue_ngap_id = RAN;
	m_iue.nas_pdu = nas_pdu;
	fill_uli(&m_iue.uli);
	m_iue.rrc_establishment_cause = SEN_NGAP_RRC_MO_SIGNALLING;
	m_iue.has_ue_context_request = true;
	add(&n, "initial-ue-message", SEN_NGAP_INITIATING, 15, &m_iue);
	len = sen_ngap_encode(&samples[n - 1].pdu, reroute_buf, sizeof(reroute_buf));
	if (len <= 0)
		abort();
	reroute_msg = (struct sen_asn_octets){reroute_buf, (uint32_t)len};

	m_dl.amf_ue_ngap_id = AMF;
	m_dl.ran_ue_ngap_id = RAN;
	m_dl.nas_pdu = nas_pdu;
	add(&n, "downlink-nas-transport", SEN_NGAP_INITIATING, 4, &m_dl);

	m_ul.amf_ue_ngap_id = AMF;
	m_ul.ran_ue_ngap_id = RAN;
	m_ul.nas_pdu = nas_pdu;
	fill_uli(&m_ul.uli);
	add(&n, "uplink-nas-transport", SEN_NGAP_INITIATING, 46, &m_ul);

	m_nnd.amf_ue_ngap_id = AMF;
	m_nnd.ran_ue_ngap_id = RAN;
	m_nnd.nas_pdu = nas_pdu;
	fill_cause(&m_nnd.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, 21);
	add(&n, "nas-non-delivery-indication", SEN_NGAP_INITIATING, 19, &m_nnd);

	m_reroute.ran_ue_ngap_id = RAN;
	m_reroute.has_amf_ue_ngap_id = true;
	m_reroute.amf_ue_ngap_id = AMF;
	m_reroute.ngap_message = reroute_msg; /* the Initial UE Message being rerouted */
	m_reroute.amf_set_id = BITS("\x00\x40", 10);
	add(&n, "reroute-nas-request", SEN_NGAP_INITIATING, 36, &m_reroute);

	m_icsr.amf_ue_ngap_id = AMF;
	m_icsr.ran_ue_ngap_id = RAN;
	m_icsr.has_ue_ambr = true;
	m_icsr.ue_ambr.dl = 2000000000;
	m_icsr.ue_ambr.ul = 1000000000;
	fill_guami(&m_icsr.guami);
	ps_setup.psi = 1;
	ps_setup.snssai = slices[0].snssai;
	ps_setup.transfer = enc[0];
	m_icsr.has_pdu_sessions = true;
	m_icsr.pdu_sessions.items = &ps_setup;
	m_icsr.pdu_sessions.count = 1;
	m_icsr.allowed_nssai.items = slices;
	m_icsr.allowed_nssai.count = 1;
	m_icsr.ue_security_capabilities.nr_enc = BITS("\xe0\x00", 16);
	m_icsr.ue_security_capabilities.nr_int = BITS("\xe0\x00", 16);
	m_icsr.ue_security_capabilities.eutra_enc = BITS("\xe0\x00", 16);
	m_icsr.ue_security_capabilities.eutra_int = BITS("\xe0\x00", 16);
	m_icsr.security_key = BITS("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
				   "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
				   256);
	m_icsr.has_nas_pdu = true;
	m_icsr.nas_pdu = nas_pdu;
	add(&n, "initial-context-setup-request", SEN_NGAP_INITIATING, 14, &m_icsr);

	ps_resp.psi = 1;
	ps_resp.transfer = enc[1];
	m_icsresp.amf_ue_ngap_id = AMF;
	m_icsresp.ran_ue_ngap_id = RAN;
	m_icsresp.has_setup_list = true;
	m_icsresp.setup_list.items = &ps_resp;
	m_icsresp.setup_list.count = 1;
	add(&n, "initial-context-setup-response", SEN_NGAP_SUCCESSFUL, 14, &m_icsresp);

	ps_fail.psi = 1;
	ps_fail.transfer = enc[2];
	m_icsf.amf_ue_ngap_id = AMF;
	m_icsf.ran_ue_ngap_id = RAN;
	m_icsf.has_failed_list = true;
	m_icsf.failed_list.items = &ps_fail;
	m_icsf.failed_list.count = 1;
	fill_cause(&m_icsf.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, 22);
	add(&n, "initial-context-setup-failure", SEN_NGAP_UNSUCCESSFUL, 14, &m_icsf);

	m_rel_req.amf_ue_ngap_id = AMF;
	m_rel_req.ran_ue_ngap_id = RAN;
	ps_item.psi = 1;
	m_rel_req.has_pdu_sessions = true;
	m_rel_req.pdu_sessions.items = &ps_item;
	m_rel_req.pdu_sessions.count = 1;
	fill_cause(&m_rel_req.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, SEN_NGAP_CAUSE_RN_USER_INACTIVITY);
	add(&n, "ue-context-release-request", SEN_NGAP_INITIATING, 42, &m_rel_req);

	m_rel_cmd.ue_ngap_ids.present = SEN_NGAP_IDS_PAIR;
	m_rel_cmd.ue_ngap_ids.u.pair.amf_ue_ngap_id = AMF;
	m_rel_cmd.ue_ngap_ids.u.pair.ran_ue_ngap_id = RAN;
	fill_cause(&m_rel_cmd.cause, SEN_NGAP_CAUSE_NAS, SEN_NGAP_CAUSE_NAS_DEREGISTER);
	add(&n, "ue-context-release-command", SEN_NGAP_INITIATING, 41, &m_rel_cmd);

	m_rel_cpl.amf_ue_ngap_id = AMF;
	m_rel_cpl.ran_ue_ngap_id = RAN;
	m_rel_cpl.has_uli = true;
	fill_uli(&m_rel_cpl.uli);
	m_rel_cpl.has_pdu_sessions = true;
	m_rel_cpl.pdu_sessions = m_rel_req.pdu_sessions;
	add(&n, "ue-context-release-complete", SEN_NGAP_SUCCESSFUL, 41, &m_rel_cpl);

	m_mod_req.amf_ue_ngap_id = AMF;
	m_mod_req.ran_ue_ngap_id = RAN;
	m_mod_req.has_ue_ambr = true;
	m_mod_req.ue_ambr = m_icsr.ue_ambr;
	m_mod_req.has_new_amf_ue_ngap_id = true;
	m_mod_req.new_amf_ue_ngap_id = AMF + 1;
	add(&n, "ue-context-modification-request", SEN_NGAP_INITIATING, 40, &m_mod_req);
	m_mod_resp.amf_ue_ngap_id = AMF;
	m_mod_resp.ran_ue_ngap_id = RAN;
	m_mod_resp.has_rrc_state = true;
	m_mod_resp.rrc_state = 1;
	add(&n, "ue-context-modification-response", SEN_NGAP_SUCCESSFUL, 40, &m_mod_resp);
	m_mod_fail.amf_ue_ngap_id = AMF;
	m_mod_fail.ran_ue_ngap_id = RAN;
	fill_cause(&m_mod_fail.cause, SEN_NGAP_CAUSE_RADIO_NETWORK, 25);
	add(&n, "ue-context-modification-failure", SEN_NGAP_UNSUCCESSFUL, 40, &m_mod_fail);

	m_radio.amf_ue_ngap_id = AMF;
	m_radio.ran_ue_ngap_id = RAN;
	/* UERadioAccessCapabilityInformation (TS 38.331, UPER) with an empty container list */
	m_radio.ue_radio_capability = OCT("\x00\x08\x00");
	add(&n, "ue-radio-capability-info-indication", SEN_NGAP_INITIATING, 44, &m_radio);

	m_paging.ue_paging_identity.present = 0;
	fill_s_tmsi(&m_paging.ue_paging_identity.u.s_tmsi);
	m_paging.has_paging_drx = true;
	m_paging.paging_drx = SEN_NGAP_DRX_V128;
	fill_tai(&paging_tai.tai);
	m_paging.tai_list.items = &paging_tai;
	m_paging.tai_list.count = 1;
	add(&n, "paging", SEN_NGAP_INITIATING, 24, &m_paging);

	m_pss_req.amf_ue_ngap_id = AMF;
	m_pss_req.ran_ue_ngap_id = RAN;
	m_pss_req.pdu_sessions.items = &ps_setup;
	m_pss_req.pdu_sessions.count = 1;
	add(&n, "pdu-session-resource-setup-request", SEN_NGAP_INITIATING, 29, &m_pss_req);

	m_pss_resp.amf_ue_ngap_id = AMF;
	m_pss_resp.ran_ue_ngap_id = RAN;
	m_pss_resp.has_setup_list = true;
	m_pss_resp.setup_list.items = &ps_resp;
	m_pss_resp.setup_list.count = 1;
	add(&n, "pdu-session-resource-setup-response", SEN_NGAP_SUCCESSFUL, 29, &m_pss_resp);

	ps_rel_cmd.psi = 1;
	ps_rel_cmd.transfer = enc[6];
	m_psr_cmd.amf_ue_ngap_id = AMF;
	m_psr_cmd.ran_ue_ngap_id = RAN;
	m_psr_cmd.pdu_sessions.items = &ps_rel_cmd;
	m_psr_cmd.pdu_sessions.count = 1;
	add(&n, "pdu-session-resource-release-command", SEN_NGAP_INITIATING, 28, &m_psr_cmd);

	ps_rel_resp.psi = 1;
	ps_rel_resp.transfer = enc[7];
	m_psr_resp.amf_ue_ngap_id = AMF;
	m_psr_resp.ran_ue_ngap_id = RAN;
	m_psr_resp.released_list.items = &ps_rel_resp;
	m_psr_resp.released_list.count = 1;
	add(&n, "pdu-session-resource-release-response", SEN_NGAP_SUCCESSFUL, 28, &m_psr_resp);

	ps_mod.psi = 1;
	ps_mod.transfer = enc[3];
	m_psm_req.amf_ue_ngap_id = AMF;
	m_psm_req.ran_ue_ngap_id = RAN;
	m_psm_req.pdu_sessions.items = &ps_mod;
	m_psm_req.pdu_sessions.count = 1;
	add(&n, "pdu-session-resource-modify-request", SEN_NGAP_INITIATING, 26, &m_psm_req);

	ps_mod_resp.psi = 1;
	ps_mod_resp.transfer = enc[4];
	m_psm_resp.amf_ue_ngap_id = AMF;
	m_psm_resp.ran_ue_ngap_id = RAN;
	m_psm_resp.has_modify_list = true;
	m_psm_resp.modify_list.items = &ps_mod_resp;
	m_psm_resp.modify_list.count = 1;
	add(&n, "pdu-session-resource-modify-response", SEN_NGAP_SUCCESSFUL, 26, &m_psm_resp);

	ps_notify.psi = 1;
	ps_notify.transfer = enc[8];
	ps_notify_rel.psi = 2;
	ps_notify_rel.transfer = enc[9];
	m_psn.amf_ue_ngap_id = AMF;
	m_psn.ran_ue_ngap_id = RAN;
	m_psn.has_notify_list = true;
	m_psn.notify_list.items = &ps_notify;
	m_psn.notify_list.count = 1;
	m_psn.has_released_list = true;
	m_psn.released_list.items = &ps_notify_rel;
	m_psn.released_list.count = 1;
	add(&n, "pdu-session-resource-notify", SEN_NGAP_INITIATING, 30, &m_psn);

	if (n != NSAMPLES)
		abort();
}

static bool built;

int ngap_samples(const struct ngap_sample **out)
{
	if (!built) {
		build();
		built = true;
	}
	*out = samples;
	return NSAMPLES;
}

int ngap_transfer_samples(const struct ngap_transfer_sample **out)
{
	const struct ngap_sample *s;
	ngap_samples(&s);
	*out = transfer_list;
	return (int)(sizeof(transfer_list) / sizeof(transfer_list[0]));
}
