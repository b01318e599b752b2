/*
 * Sample messages for the NAS tests (see samples.h): the contents a Sen AMF, SMF and
 * sen-ransim UE exchange in registration, authentication, security mode, sessions and
 * deregistration, with PLMN 999/70 as in configs/sen.yaml.
 */
#include "samples.h"

#include <string.h>

static void plmn(struct sen_nas_plmn *p, const char *mcc, const char *mnc)
{
	strcpy(p->mcc, mcc);
	strcpy(p->mnc, mnc);
}

static void guti(struct sen_nas_mobile_id *id)
{
	id->type = SEN_NAS_ID_GUTI;
	plmn(&id->guti.plmn, "999", "70");
	id->guti.amf_region_id = 2;
	id->guti.amf_set_id = 1;
	id->guti.amf_pointer = 0;
	id->guti.tmsi = 0xc0ffee01;
}

static void suci_null(struct sen_nas_mobile_id *id)
{
	static const uint8_t msin[] = {0x00, 0x00, 0x00, 0x00, 0x21}; /* 0000000012 */

	id->type = SEN_NAS_ID_SUCI;
	id->suci.supi_type = SEN_SUPI_IMSI;
	strcpy(id->suci.mcc, "999");
	strcpy(id->suci.mnc, "70");
	strcpy(id->suci.routing, "0");
	id->suci.scheme = SEN_SUCI_NULL;
	memcpy(id->suci.output, msin, sizeof(msin));
	id->suci.output_len = sizeof(msin);
}

static void suci_profile_a(struct sen_nas_mobile_id *id)
{
	id->type = SEN_NAS_ID_SUCI;
	id->suci.supi_type = SEN_SUPI_IMSI;
	strcpy(id->suci.mcc, "999");
	strcpy(id->suci.mnc, "070");
	strcpy(id->suci.routing, "1234");
	id->suci.scheme = SEN_SUCI_PROFILE_A;
	id->suci.hn_key_id = 1;
	for (unsigned i = 0; i < 32 + 5 + 8; i++)
		id->suci.output[i] = (uint8_t)(0x11 * i + 7);
	id->suci.output_len = 32 + 5 + 8;
}

static void snssai(struct sen_nas_snssai *s, uint8_t sst, int32_t sd)
{
	memset(s, 0, sizeof(*s));
	s->sst = sst;
	s->len = 1;
	if (sd >= 0) {
		s->sd = (uint32_t)sd;
		s->len = 4;
	}
}

static void tai_list(struct sen_nas_tai_list *t)
{
	t->n = 3;
	t->list[0].type = 0;
	t->list[0].n = 2;
	plmn(&t->list[0].tai[0].plmn, "999", "70");
	t->list[0].tai[0].tac = 1;
	t->list[0].tai[1].plmn = t->list[0].tai[0].plmn;
	t->list[0].tai[1].tac = 7;
	t->list[1].type = 1;
	t->list[1].n = 4;
	plmn(&t->list[1].tai[0].plmn, "999", "70");
	t->list[1].tai[0].tac = 0x100;
	for (unsigned i = 1; i < 4; i++)
		t->list[1].tai[i] = (struct sen_nas_tai){t->list[1].tai[0].plmn, 0x100 + i};
	t->list[2].type = 2;
	t->list[2].n = 2;
	plmn(&t->list[2].tai[0].plmn, "001", "01");
	t->list[2].tai[0].tac = 0x000203;
	plmn(&t->list[2].tai[1].plmn, "310", "260");
	t->list[2].tai[1].tac = 0xabcdef;
}

/* ---- 5GMM ---- */

static void reg_req_initial(struct sen_nas_msg *m)
{
	struct sen_nas_registration_request *r = &m->registration_request;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REQUEST);
	r->reg_type = 0x09; /* follow-on request pending, initial registration */
	r->ngksi = 7;	    /* no key is available */
	suci_null(&r->mobile_id);
	r->has_gmm_cap = true;
	r->gmm_cap.len = 1;
	r->gmm_cap.v[0] = 0x07;
	r->has_ue_sec_cap = true;
	r->ue_sec_cap = (struct sen_nas_ue_sec_cap){4, 0xf0, 0x70, 0xf0, 0x70};
	r->has_requested_nssai = true;
	r->requested_nssai.n = 2;
	snssai(&r->requested_nssai.s[0], 1, -1);
	snssai(&r->requested_nssai.s[1], 1, 0x000001);
	r->has_last_tai = true;
	plmn(&r->last_tai.plmn, "999", "70");
	r->last_tai.tac = 1;
	r->has_ue_usage_setting = true;
	r->ue_usage_setting = 1;
	r->has_update_type = true;
	r->update_type = 0x00;
}

/*
 * A roaming UE's requested NSSAI with S-NSSAIs of every length (9.11.2.8): SST; SST and
 * mapped HPLMN SST; SST and SD; SST, SD and mapped HPLMN SST; all four fields.
 */
static void reg_req_roaming_nssai(struct sen_nas_msg *m)
{
	struct sen_nas_nssai *n = &m->registration_request.requested_nssai;

	reg_req_initial(m);
	n->n = 5;
	snssai(&n->s[0], 1, -1);
	n->s[1] = (struct sen_nas_snssai){.len = 2, .sst = 2, .mapped_sst = 1};
	snssai(&n->s[2], 1, 0x000001);
	n->s[3] = (struct sen_nas_snssai){.len = 5, .sst = 3, .sd = 0x0000aa, .mapped_sst = 2};
	n->s[4] = (struct sen_nas_snssai){
	    .len = 8, .sst = 4, .sd = 0x123456, .mapped_sst = 1, .mapped_sd = 0x000001};
}

static void reg_req_mobility(struct sen_nas_msg *m)
{
	static const uint8_t inner[] = {0x7e, 0x00, 0x41, 0x11, 0x00, 0x0b, 0xf2, 0x99, 0xf9,
					0x07, 0x02, 0x00, 0x40, 0xc0, 0xff, 0xee, 0x01};
	struct sen_nas_registration_request *r = &m->registration_request;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REQUEST);
	r->reg_type = 0x02; /* mobility registration updating */
	r->ngksi = 1;
	guti(&r->mobile_id);
	r->has_non_current_ngksi = true;
	r->non_current_ngksi = 2;
	r->has_ue_sec_cap = true;
	r->ue_sec_cap = (struct sen_nas_ue_sec_cap){2, 0xe0, 0x60, 0, 0};
	r->has_ul_data_status = true;
	r->ul_data_status = (struct sen_nas_psi_map){2, 0x0002};
	r->has_pdu_session_status = true;
	r->pdu_session_status = (struct sen_nas_psi_map){2, 0x0006};
	r->has_mico = true;
	r->mico = 1;
	r->has_allowed_pdu_session_status = true;
	r->allowed_pdu_session_status = (struct sen_nas_psi_map){2, 0x0002};
	r->has_nas_container = true;
	r->nas_container = (struct sen_nas_bytes){inner, sizeof(inner)};
}

static void reg_acc(struct sen_nas_msg *m)
{
	struct sen_nas_registration_accept *a = &m->registration_accept;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_ACCEPT);
	a->result = 0x01; /* 3GPP access */
	a->has_guti = true;
	guti(&a->guti);
	a->has_equivalent_plmns = true;
	a->equivalent_plmns.n = 2;
	plmn(&a->equivalent_plmns.plmn[0], "001", "01");
	plmn(&a->equivalent_plmns.plmn[1], "310", "410");
	a->has_tai_list = true;
	tai_list(&a->tai_list);
	a->has_allowed_nssai = true;
	a->allowed_nssai.n = 3;
	snssai(&a->allowed_nssai.s[0], 1, -1);
	snssai(&a->allowed_nssai.s[1], 1, 0x000001);
	a->allowed_nssai.s[2] = (struct sen_nas_snssai){8, 2, 0xabcdef, 3, 0x123456};
	a->has_rejected_nssai = true;
	a->rejected_nssai.n = 1;
	a->rejected_nssai.r[0].cause = 1;
	snssai(&a->rejected_nssai.r[0].s, 4, 0x000010);
	a->has_network_feature_support = true;
	a->network_feature_support = (struct sen_nas_octets){2, {0x01, 0x00}};
	a->has_t3512 = true;
	a->t3512 = (struct sen_nas_timer){1, 1}; /* 1 hour */
	a->has_t3502 = true;
	a->t3502 = (struct sen_nas_timer){1, 12};
}

static void reg_cpl(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_COMPLETE);
}

static void reg_rej(struct sen_nas_msg *m)
{
	struct sen_nas_registration_reject *r = &m->registration_reject;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REJECT);
	r->cause = 7; /* 5GS services not allowed */
	r->has_t3346 = true;
	r->t3346 = (struct sen_nas_timer){1, 5};
}

static const uint8_t gsm_est_req[] = {0x2e, 0x01, 0x01, 0xc1, 0xff, 0xff, 0x91, 0xa1};

static void ul_nas(struct sen_nas_msg *m)
{
	struct sen_nas_ul_nas_transport *u = &m->ul_nas_transport;

	sen_nas_msg_init(m, SEN_NAS_UL_NAS_TRANSPORT);
	u->payload_container_type = 1; /* N1 SM information */
	u->payload_container = (struct sen_nas_bytes){gsm_est_req, sizeof(gsm_est_req)};
	u->has_pdu_session_id = true;
	u->pdu_session_id = 1;
	u->has_request_type = true;
	u->request_type = 1; /* initial request */
	u->has_snssai = true;
	snssai(&u->snssai, 1, 0x000001);
	u->has_dnn = true;
	strcpy(u->dnn.name, "internet");
}

static void dl_nas(struct sen_nas_msg *m)
{
	static const uint8_t gsm_rel_cmd[] = {0x2e, 0x01, 0x00, 0xd3, 0x24};
	struct sen_nas_dl_nas_transport *d = &m->dl_nas_transport;

	sen_nas_msg_init(m, SEN_NAS_DL_NAS_TRANSPORT);
	d->payload_container_type = 1;
	d->payload_container = (struct sen_nas_bytes){gsm_rel_cmd, sizeof(gsm_rel_cmd)};
	d->has_pdu_session_id = true;
	d->pdu_session_id = 1;
	d->has_cause = true;
	d->cause = 90;
}

static void dereg_req_orig(struct sen_nas_msg *m)
{
	struct sen_nas_deregistration_request_ue_orig *d = &m->deregistration_request_ue_orig;

	sen_nas_msg_init(m, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	d->dereg_type = 0x09; /* switch off, 3GPP access */
	d->ngksi = 1;
	guti(&d->mobile_id);
}

static void dereg_acc_orig(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
}

static void dereg_req_term(struct sen_nas_msg *m)
{
	struct sen_nas_deregistration_request_ue_term *d = &m->deregistration_request_ue_term;

	sen_nas_msg_init(m, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	d->dereg_type = 0x05; /* re-registration required, 3GPP access */
	d->has_cause = true;
	d->cause = 10; /* implicitly de-registered */
	d->has_t3346 = true;
	d->t3346 = (struct sen_nas_timer){0, 30};
}

static void dereg_acc_term(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM);
}

static void svc_req(struct sen_nas_msg *m)
{
	struct sen_nas_service_request *s = &m->service_request;

	sen_nas_msg_init(m, SEN_NAS_SERVICE_REQUEST);
	s->ngksi = 1;
	s->service_type = 1; /* data */
	s->s_tmsi.type = SEN_NAS_ID_S_TMSI;
	s->s_tmsi.guti.amf_set_id = 1;
	s->s_tmsi.guti.amf_pointer = 0;
	s->s_tmsi.guti.tmsi = 0xc0ffee01;
	s->has_ul_data_status = true;
	s->ul_data_status = (struct sen_nas_psi_map){2, 0x0002};
	s->has_pdu_session_status = true;
	s->pdu_session_status = (struct sen_nas_psi_map){2, 0x0002};
}

static void svc_acc(struct sen_nas_msg *m)
{
	struct sen_nas_service_accept *s = &m->service_accept;

	sen_nas_msg_init(m, SEN_NAS_SERVICE_ACCEPT);
	s->has_pdu_session_status = true;
	s->pdu_session_status = (struct sen_nas_psi_map){2, 0x0002};
	s->has_reactivation_result = true;
	s->reactivation_result = (struct sen_nas_psi_map){2, 0x0000};
}

static void svc_rej(struct sen_nas_msg *m)
{
	struct sen_nas_service_reject *s = &m->service_reject;

	sen_nas_msg_init(m, SEN_NAS_SERVICE_REJECT);
	s->cause = 9; /* UE identity cannot be derived by the network */
	s->has_pdu_session_status = true;
	s->pdu_session_status = (struct sen_nas_psi_map){2, 0x0000};
}

static void cfg_cmd(struct sen_nas_msg *m)
{
	static const uint8_t utc[7] = {0x52, 0x10, 0x91, 0x21, 0x43, 0x65, 0x40};
	struct sen_nas_configuration_update_command *c = &m->configuration_update_command;

	sen_nas_msg_init(m, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	c->has_indication = true;
	c->indication = 0x01; /* acknowledgement requested */
	c->has_guti = true;
	guti(&c->guti);
	c->has_tai_list = true;
	tai_list(&c->tai_list);
	c->has_full_name = true;
	sen_nas_network_name_set(&c->full_name, "Sen 5G Core");
	c->has_short_name = true;
	sen_nas_network_name_set(&c->short_name, "Sen");
	c->has_local_time_zone = true;
	c->local_time_zone = 0x40; /* GMT+1 in quarters, BCD swapped */
	c->has_universal_time = true;
	memcpy(c->universal_time, utc, 7);
	c->has_daylight_saving = true;
	c->daylight_saving = 0;
}

static void cfg_cpl(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_CONFIGURATION_UPDATE_COMPLETE);
}

static void auth_req(struct sen_nas_msg *m)
{
	struct sen_nas_authentication_request *a = &m->authentication_request;

	sen_nas_msg_init(m, SEN_NAS_AUTHENTICATION_REQUEST);
	a->ngksi = 0;
	a->abba = (struct sen_nas_abba){2, {0, 0}};
	a->has_rand = true;
	for (unsigned i = 0; i < 16; i++)
		a->rand[i] = (uint8_t)(0x23 + i * 7);
	a->has_autn = true;
	for (unsigned i = 0; i < 16; i++)
		a->autn[i] = (uint8_t)(0x55 ^ (i * 13));
}

static void auth_rsp(struct sen_nas_msg *m)
{
	struct sen_nas_authentication_response *a = &m->authentication_response;

	sen_nas_msg_init(m, SEN_NAS_AUTHENTICATION_RESPONSE);
	a->has_res = true;
	for (unsigned i = 0; i < 16; i++)
		a->res[i] = (uint8_t)(0xa0 + i);
}

static void auth_fail(struct sen_nas_msg *m)
{
	struct sen_nas_authentication_failure *a = &m->authentication_failure;

	sen_nas_msg_init(m, SEN_NAS_AUTHENTICATION_FAILURE);
	a->cause = 21; /* synch failure */
	a->has_auts = true;
	for (unsigned i = 0; i < 14; i++)
		a->auts[i] = (uint8_t)(0x10 + i);
}

static void auth_rej(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_AUTHENTICATION_REJECT);
}

static void auth_res(struct sen_nas_msg *m)
{
	static const uint8_t eap_success[] = {0x03, 0x01, 0x00, 0x04};
	struct sen_nas_authentication_result *a = &m->authentication_result;

	sen_nas_msg_init(m, SEN_NAS_AUTHENTICATION_RESULT);
	a->ngksi = 0;
	a->eap = (struct sen_nas_bytes){eap_success, sizeof(eap_success)};
	a->has_abba = true;
	a->abba = (struct sen_nas_abba){2, {0, 0}};
}

static void id_req(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_IDENTITY_REQUEST);
	m->identity_request.identity_type = SEN_NAS_ID_SUCI;
}

static void id_rsp_suci_a(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_IDENTITY_RESPONSE);
	suci_profile_a(&m->identity_response.mobile_id);
}

static void id_rsp_imei(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_IDENTITY_RESPONSE);
	m->identity_response.mobile_id.type = SEN_NAS_ID_IMEI;
	strcpy(m->identity_response.mobile_id.digits, "490154203237518");
}

static void id_rsp_nai(struct sen_nas_msg *m)
{
	struct sen_suci *s = &m->identity_response.mobile_id.suci;

	sen_nas_msg_init(m, SEN_NAS_IDENTITY_RESPONSE);
	m->identity_response.mobile_id.type = SEN_NAS_ID_SUCI;
	s->supi_type = SEN_SUPI_NAI;
	strcpy(s->realm, "example.com");
	strcpy(s->routing, "678");
	s->scheme = SEN_SUCI_NULL;
	memcpy(s->output, "alice", 5);
	s->output_len = 5;
}

static void id_rsp_mac(struct sen_nas_msg *m)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

	sen_nas_msg_init(m, SEN_NAS_IDENTITY_RESPONSE);
	m->identity_response.mobile_id.type = SEN_NAS_ID_MAC;
	memcpy(m->identity_response.mobile_id.mac.addr, mac, 6);
}

static void id_rsp_none(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_IDENTITY_RESPONSE);
	m->identity_response.mobile_id.type = SEN_NAS_ID_NONE;
}

static void smc(struct sen_nas_msg *m)
{
	struct sen_nas_security_mode_command *s = &m->security_mode_command;

	sen_nas_msg_init(m, SEN_NAS_SECURITY_MODE_COMMAND);
	s->algs = 0x22; /* 128-5G-EA2, 128-5G-IA2 */
	s->ngksi = 0;
	s->replayed_ue_sec_cap = (struct sen_nas_ue_sec_cap){4, 0xf0, 0x70, 0xf0, 0x70};
	s->has_imeisv_request = true;
	s->imeisv_request = 1;
	s->has_additional_sec_info = true;
	s->additional_sec_info = 0x01; /* re-transmission of the initial NAS message requested */
	s->has_abba = true;
	s->abba = (struct sen_nas_abba){2, {0, 0}};
}

static void smc_cpl(struct sen_nas_msg *m)
{
	static const uint8_t inner[] = {0x7e, 0x00, 0x41, 0x79, 0x00, 0x0d, 0x01, 0x99, 0xf9, 0x07,
					0xf0, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21};
	struct sen_nas_security_mode_complete *s = &m->security_mode_complete;

	sen_nas_msg_init(m, SEN_NAS_SECURITY_MODE_COMPLETE);
	s->has_imeisv = true;
	s->imeisv.type = SEN_NAS_ID_IMEISV;
	strcpy(s->imeisv.digits, "4901542032375181");
	s->has_nas_container = true;
	s->nas_container = (struct sen_nas_bytes){inner, sizeof(inner)};
}

static void smc_rej(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_SECURITY_MODE_REJECT);
	m->security_mode_reject.cause = 23; /* UE security capabilities mismatch */
}

static void gmm_status(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_5GMM_STATUS);
	m->gmm_status.cause = 96;
}

static void notif(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_NOTIFICATION);
	m->notification.access_type = 1;
}

static void notif_rsp(struct sen_nas_msg *m)
{
	sen_nas_msg_init(m, SEN_NAS_NOTIFICATION_RESPONSE);
	m->notification_response.has_pdu_session_status = true;
	m->notification_response.pdu_session_status = (struct sen_nas_psi_map){2, 0x0022};
}

/* ---- 5GSM ---- */

static void gsm_hdr(struct sen_nas_msg *m, uint8_t type)
{
	sen_nas_msg_init(m, type);
	m->pdu_session_id = 1;
	m->pti = type == SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND ||
			 type == SEN_NAS_PDU_SESSION_RELEASE_COMMAND
		 ? 0
		 : 1;
}

static void est_req(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_establishment_request *e = &m->pdu_session_establishment_request;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	e->integrity_max_rate = 0xffff; /* full data rate both ways */
	e->has_pdu_session_type = true;
	e->pdu_session_type = SEN_NAS_PDU_IPV4;
	e->has_ssc_mode = true;
	e->ssc_mode = 1;
	e->has_gsm_cap = true;
	e->gsm_cap = (struct sen_nas_octets){1, {0x00}};
	e->has_epco = true;
	sen_nas_epco_add(&e->epco, SEN_NAS_PCO_DNS_IPV4, NULL, 0);
	sen_nas_epco_add(&e->epco, SEN_NAS_PCO_IPV4_MTU, NULL, 0);
	sen_nas_epco_add(&e->epco, SEN_NAS_PCO_IP_ALLOC_NAS, NULL, 0);
}

/* match-all packet filter; and a rule for UDP to 10.45.0.0/16 port 5060 */
static const uint8_t pf_all[] = {0x01};
static const uint8_t pf_sip[] = {0x10, 10, 45, 0, 0, 255, 255, 0, 0, 0x30, 17, 0x50, 0x13, 0xc4};

static void est_acc(struct sen_nas_msg *m)
{
	static const uint8_t dns[4] = {10, 45, 0, 1}, mtu[2] = {0x05, 0x78};
	struct sen_nas_pdu_session_establishment_accept *a = &m->pdu_session_establishment_accept;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT);
	a->pdu_session_type = SEN_NAS_PDU_IPV4;
	a->ssc_mode = 1;
	a->qos_rules.n = 2;
	struct sen_nas_qos_rule *q = &a->qos_rules.r[0];
	q->id = 1;
	q->op = SEN_NAS_QOS_RULE_CREATE;
	q->dqr = true;
	q->n_pf = 1;
	q->pf[0] = (struct sen_nas_packet_filter){3, 1, {pf_all, sizeof(pf_all)}};
	q->has_precedence = q->has_qfi = true;
	q->precedence = 255;
	q->qfi = 1;
	q = &a->qos_rules.r[1];
	q->id = 2;
	q->op = SEN_NAS_QOS_RULE_CREATE;
	q->n_pf = 1;
	q->pf[0] = (struct sen_nas_packet_filter){3, 2, {pf_sip, sizeof(pf_sip)}};
	q->has_precedence = q->has_qfi = true;
	q->precedence = 10;
	q->qfi = 5;
	a->ambr = (struct sen_nas_ambr){6, 100, 6, 50}; /* 100 / 50 Mbps */
	a->has_pdu_address = true;
	a->pdu_address.type = SEN_NAS_PDU_IPV4;
	memcpy(a->pdu_address.ipv4, (uint8_t[]){10, 45, 0, 2}, 4);
	a->has_snssai = true;
	snssai(&a->snssai, 1, 0x000001);
	a->has_qos_flows = true;
	a->qos_flows.n = 2;
	struct sen_nas_qos_flow *f = &a->qos_flows.f[0];
	f->qfi = 1;
	f->op = 1;
	f->e_bit = true;
	f->n_params = 1;
	f->param[0].id = SEN_NAS_QOS_5QI;
	f->param[0].len = 1;
	f->param[0].v[0] = 9;
	f = &a->qos_flows.f[1];
	f->qfi = 5;
	f->op = 1;
	f->e_bit = true;
	f->n_params = 3;
	f->param[0].id = SEN_NAS_QOS_5QI;
	f->param[0].len = 1;
	f->param[0].v[0] = 1;
	f->param[1].id = SEN_NAS_QOS_GFBR_UL;
	f->param[1].len = 3;
	memcpy(f->param[1].v, (uint8_t[]){0x01, 0x00, 0x80}, 3); /* 128 kbps */
	f->param[2].id = SEN_NAS_QOS_GFBR_DL;
	f->param[2].len = 3;
	memcpy(f->param[2].v, (uint8_t[]){0x01, 0x00, 0x80}, 3);
	a->has_epco = true;
	sen_nas_epco_add(&a->epco, SEN_NAS_PCO_DNS_IPV4, dns, 4);
	sen_nas_epco_add(&a->epco, SEN_NAS_PCO_IPV4_MTU, mtu, 2);
	a->has_dnn = true;
	strcpy(a->dnn.name, "internet");
}

static void est_acc_v6(struct sen_nas_msg *m)
{
	static const uint8_t dns6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x53};
	struct sen_nas_pdu_session_establishment_accept *a = &m->pdu_session_establishment_accept;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT);
	a->pdu_session_type = SEN_NAS_PDU_IPV4V6;
	a->ssc_mode = 1;
	a->qos_rules.n = 1;
	struct sen_nas_qos_rule *q = &a->qos_rules.r[0];
	q->id = 1;
	q->op = SEN_NAS_QOS_RULE_CREATE;
	q->dqr = true;
	q->n_pf = 1;
	q->pf[0] = (struct sen_nas_packet_filter){3, 1, {pf_all, sizeof(pf_all)}};
	q->has_precedence = q->has_qfi = true;
	q->precedence = 255;
	q->qfi = 1;
	a->ambr = (struct sen_nas_ambr){11, 1, 11, 1}; /* 1 Gbps */
	a->has_pdu_address = true;
	a->pdu_address.type = SEN_NAS_PDU_IPV4V6;
	memcpy(a->pdu_address.ipv6_iid, (uint8_t[]){0, 0, 0, 0, 0, 0, 0, 1}, 8);
	memcpy(a->pdu_address.ipv4, (uint8_t[]){10, 45, 0, 3}, 4);
	a->has_epco = true;
	sen_nas_epco_add(&a->epco, SEN_NAS_PCO_DNS_IPV6, dns6, 16);
	a->has_dnn = true;
	strcpy(a->dnn.name, "ims.mnc070.mcc999.gprs");
}

/* An IPv6-only session: the PDU address is the interface identifier (9.11.4.10). */
static void est_acc_ipv6(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_establishment_accept *a = &m->pdu_session_establishment_accept;

	est_acc_v6(m);
	a->pdu_session_type = SEN_NAS_PDU_IPV6;
	a->pdu_address.type = SEN_NAS_PDU_IPV6;
	memset(a->pdu_address.ipv4, 0, 4);
	memcpy(a->pdu_address.ipv6_iid, (uint8_t[]){0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55},
	       8);
	a->has_snssai = true;
	snssai(&a->snssai, 1, 0x000001);
}

static void est_rej(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_establishment_reject *r = &m->pdu_session_establishment_reject;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT);
	r->cause = 27; /* missing or unknown DNN */
	r->has_backoff_timer = true;
	r->backoff_timer = (struct sen_nas_timer){5, 2}; /* 2 minutes */
	r->has_allowed_ssc_mode = true;
	r->allowed_ssc_mode = 1;
}

static void mod_req(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_modification_request *r = &m->pdu_session_modification_request;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_MODIFICATION_REQUEST);
	r->has_gsm_cap = true;
	r->gsm_cap = (struct sen_nas_octets){1, {0x00}};
	r->has_max_packet_filters = true;
	r->max_packet_filters = 16 << 5;
	r->has_qos_rules = true;
	r->qos_rules.n = 1;
	struct sen_nas_qos_rule *q = &r->qos_rules.r[0];
	q->id = 3;
	q->op = SEN_NAS_QOS_RULE_CREATE;
	q->n_pf = 1;
	q->pf[0] = (struct sen_nas_packet_filter){2, 1, {pf_sip, sizeof(pf_sip)}};
	q->has_precedence = q->has_qfi = true;
	q->precedence = 20;
	q->qfi = 0;
}

static void mod_cmd(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_modification_command *c = &m->pdu_session_modification_command;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND);
	c->has_ambr = true;
	c->ambr = (struct sen_nas_ambr){6, 200, 6, 100};
	c->has_qos_rules = true;
	c->qos_rules.n = 2;
	struct sen_nas_qos_rule *q = &c->qos_rules.r[0];
	q->id = 2;
	q->op = SEN_NAS_QOS_RULE_MODIFY_DELETE_PF;
	q->n_pf = 1;
	q->pf[0].id = 2;
	q->has_precedence = q->has_qfi = true;
	q->precedence = 10;
	q->qfi = 5;
	q = &c->qos_rules.r[1];
	q->id = 3;
	q->op = SEN_NAS_QOS_RULE_DELETE;
	c->has_qos_flows = true;
	c->qos_flows.n = 1;
	c->qos_flows.f[0].qfi = 5;
	c->qos_flows.f[0].op = 2; /* delete */
}

/* Sets the cause through the `gsm` view, as src/ and sen-ransim do (nas.h). */
static void gsm_simple(struct sen_nas_msg *m, uint8_t type, uint8_t cause, bool opt_cause)
{
	gsm_hdr(m, type);
	m->gsm.cause = cause;
	m->gsm.has_cause = opt_cause;
}

static void mod_rej(struct sen_nas_msg *m)
{
	gsm_simple(m, SEN_NAS_PDU_SESSION_MODIFICATION_REJECT, 31, false);
	m->pdu_session_modification_reject.has_backoff_timer = true;
	m->pdu_session_modification_reject.backoff_timer = (struct sen_nas_timer){7, 0}; /* off */
}

static void mod_cpl(struct sen_nas_msg *m)
{
	gsm_hdr(m, SEN_NAS_PDU_SESSION_MODIFICATION_COMPLETE);
}

static void mod_cmd_rej(struct sen_nas_msg *m)
{
	gsm_simple(m, SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND_REJECT, 83, false);
}

static void rel_req(struct sen_nas_msg *m)
{
	gsm_simple(m, SEN_NAS_PDU_SESSION_RELEASE_REQUEST, 36, true);
}

static void rel_rej(struct sen_nas_msg *m)
{
	gsm_simple(m, SEN_NAS_PDU_SESSION_RELEASE_REJECT, 43, false);
}

static void rel_cmd(struct sen_nas_msg *m)
{
	gsm_simple(m, SEN_NAS_PDU_SESSION_RELEASE_COMMAND, 36, false);
	m->pdu_session_release_command.has_access_type = true;
	m->pdu_session_release_command.access_type = 1;
}

static void rel_cpl(struct sen_nas_msg *m)
{
	gsm_hdr(m, SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
}

static void gsm_status(struct sen_nas_msg *m)
{
	gsm_simple(m, SEN_NAS_5GSM_STATUS, 98, false);
}

/* ---- Release 17 IEs (TS 24.501 V17 message tables; contents per clause 9.11) ---- */

/* field = the octets given, kept in static storage */
#define SET_B(field, ...)                                                                          \
	do {                                                                                       \
		static const uint8_t b_[] = {__VA_ARGS__};                                         \
		(field) = (struct sen_nas_bytes){b_, sizeof(b_)};                                  \
	} while (0)

static const struct sen_nas_timer t_1h = {1, 1}, t_10m = {2, 1}, t_6m = {1, 6};

static void tai_list_one(struct sen_nas_tai_list *t, uint32_t tac0, uint8_t n)
{
	t->n = 1;
	t->list[0].type = 0;
	t->list[0].n = n;
	for (uint8_t i = 0; i < n; i++) {
		plmn(&t->list[0].tai[i].plmn, "999", "70");
		t->list[0].tai[i].tac = tac0 + i;
	}
}

static void reg_req_r17(struct sen_nas_msg *m)
{
	static const uint8_t nid[6] = {0x10, 0x32, 0x54, 0x76, 0x98, 0xba};
	struct sen_nas_registration_request *r = &m->registration_request;

	reg_req_initial(m);
	r->has_ms_classmark2 = true;
	memcpy(r->ms_classmark2, (uint8_t[]){0x57, 0x58, 0xa6}, 3);
	r->has_supported_codecs = true; /* UMTS AMR-WB/AMR, GSM FR/HR/EFR (TS 26.103) */
	SET_B(r->supported_codecs, 0x04, 0x02, 0x60, 0x04, 0x00, 0x02, 0x1f, 0x02);
	r->has_requested_edrx = true;
	r->requested_edrx = (struct sen_nas_octets){1, {0x25}}; /* PTW 3.84 s, eDRX 20.48 s */
	r->has_t3324 = true;
	r->t3324 = t_6m;
	r->has_ue_radio_cap_id = true;
	SET_B(r->ue_radio_cap_id, 0x01, 0x23, 0x45, 0x67, 0x89);
	r->has_requested_mapped_nssai = true; /* HPLMN S-NSSAIs 1 and 1/000001 */
	SET_B(r->requested_mapped_nssai, 0x01, 0x01, 0x04, 0x01, 0x00, 0x00, 0x01);
	r->has_additional_info_requested = true;
	r->additional_info_requested = 0x01; /* ciphering keys for ciphered broadcast */
	r->has_requested_wus_info = true;
	SET_B(r->requested_wus_info, 0x0a);
	r->has_requested_nb_n1_drx = true;
	r->requested_nb_n1_drx = 0x05;
	r->has_ue_request_type = true;
	r->ue_request_type = 0x02;
	r->has_paging_restriction = true;
	SET_B(r->paging_restriction, 0x01); /* all paging is restricted */
	r->has_service_level_aa = true; /* service-level device ID "uav1" */
	SET_B(r->service_level_aa, 0x01, 0x04, 'u', 'a', 'v', '1');
	r->has_nid = true;
	memcpy(r->nid, nid, 6);
	r->has_disaster_plmn = true;
	plmn(&r->disaster_plmn, "001", "01");
	r->has_requested_peips_info = true;
	SET_B(r->requested_peips_info, 0x21);
	r->has_requested_t3512 = true;
	r->requested_t3512 = t_1h;
}

static void reg_req_n5gc(struct sen_nas_msg *m)
{
	static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x31};
	struct sen_nas_registration_request *r = &m->registration_request;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REQUEST);
	r->reg_type = 0x01;
	r->ngksi = 7;
	r->mobile_id.type = SEN_NAS_ID_MAC; /* a non-5G-capable device behind a 5G-RG */
	memcpy(r->mobile_id.mac.addr, mac, 6);
	r->mobile_id.mac.mauri = true;
	r->has_n5gc_indication = true;
	r->n5gc_indication = 1;
}

static void reg_acc_r17(struct sen_nas_msg *m)
{
	static const uint8_t ckd[] = {
	    0x00, 0x01,							/* ciphering set ID */
	    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
	    0xee, 0xff,							/* ciphering key */
	    0x08, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* c0 */
	    0x01, 0x01,							/* E-UTRA posSIB */
	    0x01, 0x01,							/* NR posSIB */
	    0x22, 0x10, 0x91, 0x21, 0x00,				/* validity start */
	    0x05, 0xa0,							/* validity duration */
	    0x00};							/* no TAI list */
	struct sen_nas_registration_accept *a = &m->registration_accept;

	reg_acc(m);
	a->has_extended_emergency_numbers = true; /* 911, sub-service "police" */
	SET_B(a->extended_emergency_numbers, 0x00, 0x02, 0x19, 0xf1, 0x06, 'p', 'o', 'l', 'i', 'c', 'e');
	a->has_operator_access_categories = true; /* category 32 for DNN "ims", precedence 1 */
	SET_B(a->operator_access_categories, 0x0a, 0x01, 0x00, 0x07, 0x00, 0x01, 0x04, 0x03, 'i', 'm', 's');
	a->has_non3gpp_nw_policies = true;
	a->non3gpp_nw_policies = 1;
	a->has_negotiated_edrx = true;
	a->negotiated_edrx = (struct sen_nas_octets){1, {0x25}};
	a->has_t3447 = true;
	a->t3447 = t_10m;
	a->has_t3448 = true;
	a->t3448 = (struct sen_nas_timer){0, 15};
	a->has_t3324 = true;
	a->t3324 = t_6m;
	a->has_ue_radio_cap_id = true;
	SET_B(a->ue_radio_cap_id, 0x01, 0x23, 0x45, 0x67, 0x89);
	a->has_ue_radio_cap_id_deletion = true;
	a->ue_radio_cap_id_deletion = 1;
	a->has_pending_nssai = true;
	a->pending_nssai.n = 1;
	snssai(&a->pending_nssai.s[0], 2, 0x000002);
	a->has_ciphering_key_data = true;
	a->ciphering_key_data = (struct sen_nas_bytes){ckd, sizeof(ckd)};
	a->has_cag_info_list = true; /* PLMN 999/70, not CAG-only, CAG-ID 1 */
	SET_B(a->cag_info_list, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01);
	a->has_truncated_s_tmsi_cfg = true;
	a->truncated_s_tmsi_cfg = 0x43;
	a->has_negotiated_wus_info = true;
	SET_B(a->negotiated_wus_info, 0x0a);
	a->has_negotiated_nb_n1_drx = true;
	a->negotiated_nb_n1_drx = 0x05;
	a->has_extended_rejected_nssai = true; /* SST 3: max number of UEs, back-off 1 h */
	SET_B(a->extended_rejected_nssai, 0x10, 0x21, 0x12, 0x03);
	a->has_service_level_aa = true;
	SET_B(a->service_level_aa, 0x01, 0x04, 'u', 'a', 'v', '1');
	a->has_negotiated_peips_info = true;
	SET_B(a->negotiated_peips_info, 0x21);
	a->has_additional_request_result = true;
	a->additional_request_result = 0x01;
	a->has_nssrg_info = true; /* SST 1 and SST 2 in NSSRG 5 */
	SET_B(a->nssrg_info, 0x03, 0x01, 0x01, 0x05, 0x03, 0x01, 0x02, 0x05);
	a->has_disaster_roaming_wait_range = true;
	a->disaster_roaming_wait_range = 0x050a;
	a->has_disaster_return_wait_range = true;
	a->disaster_return_wait_range = 0x0214;
	a->has_disaster_plmn_list = true;
	SET_B(a->disaster_plmn_list, 0x00, 0xf1, 0x10);
	a->has_forbidden_tai_roaming = true;
	tai_list_one(&a->forbidden_tai_roaming, 0x200, 2);
	a->has_forbidden_tai_rpos = true;
	tai_list_one(&a->forbidden_tai_rpos, 0x300, 1);
	a->has_extended_cag_info_list = true;
	SET_B(a->extended_cag_info_list, 0x00, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x02);
	a->has_nsag_info = true; /* NSAG 1 = {SST 1, SST 2}, priority 1 */
	SET_B(a->nsag_info, 0x07, 0x01, 0x04, 0x01, 0x01, 0x01, 0x02, 0x01);
}

static void dl_nas_r17(struct sen_nas_msg *m)
{
	struct sen_nas_dl_nas_transport *d = &m->dl_nas_transport;

	dl_nas(m);
	d->cause = 67; /* insufficient resources for specific slice and DNN */
	d->has_backoff_timer = true;
	d->backoff_timer = t_10m;
	d->has_lower_bound_timer = true;
	d->lower_bound_timer = t_6m;
}

static void reg_rej_cag(struct sen_nas_msg *m)
{
	struct sen_nas_registration_reject *r = &m->registration_reject;

	sen_nas_msg_init(m, SEN_NAS_REGISTRATION_REJECT);
	r->cause = 76; /* not authorized for this CAG or authorized for CAG cells only */
	r->has_cag_info_list = true;
	SET_B(r->cag_info_list, 0x08, 0x99, 0xf9, 0x07, 0x01, 0x00, 0x00, 0x00, 0x01);
	r->has_extended_rejected_nssai = true;
	SET_B(r->extended_rejected_nssai, 0x00, 0x11, 0x02);
	r->has_disaster_return_wait_range = true;
	r->disaster_return_wait_range = 0x0214;
	r->has_extended_cag_info_list = true;
	SET_B(r->extended_cag_info_list, 0x00, 0x08, 0x99, 0xf9, 0x07, 0x01, 0x00, 0x00, 0x00, 0x01);
	r->has_lower_bound_timer = true;
	r->lower_bound_timer = t_10m;
	r->has_forbidden_tai_roaming = true;
	tai_list_one(&r->forbidden_tai_roaming, 0x200, 1);
	r->has_forbidden_tai_rpos = true;
	tai_list_one(&r->forbidden_tai_rpos, 0x300, 2);
}

static void dereg_req_term_r17(struct sen_nas_msg *m)
{
	struct sen_nas_deregistration_request_ue_term *d = &m->deregistration_request_ue_term;

	sen_nas_msg_init(m, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	d->dereg_type = 0x01; /* re-registration not required, 3GPP access */
	d->has_cause = true;
	d->cause = 78; /* PLMN not allowed to operate at the present UE location */
	d->has_cag_info_list = true;
	SET_B(d->cag_info_list, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01);
	d->has_extended_rejected_nssai = true;
	SET_B(d->extended_rejected_nssai, 0x00, 0x11, 0x02);
	d->has_disaster_return_wait_range = true;
	d->disaster_return_wait_range = 0x0214;
	d->has_extended_cag_info_list = true;
	SET_B(d->extended_cag_info_list, 0x00, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01);
	d->has_lower_bound_timer = true;
	d->lower_bound_timer = t_1h;
	d->has_forbidden_tai_roaming = true;
	tai_list_one(&d->forbidden_tai_roaming, 0x200, 1);
	d->has_forbidden_tai_rpos = true;
	tai_list_one(&d->forbidden_tai_rpos, 0x300, 1);
}

static void svc_req_r17(struct sen_nas_msg *m)
{
	svc_req(m);
	m->service_request.has_ue_request_type = true;
	m->service_request.ue_request_type = 0x02;
	m->service_request.has_paging_restriction = true;
	SET_B(m->service_request.paging_restriction, 0x02, 0x06, 0x00); /* all but PSIs 1, 2 */
}

static void svc_acc_r17(struct sen_nas_msg *m)
{
	struct sen_nas_service_accept *s = &m->service_accept;

	svc_acc(m);
	s->has_t3448 = true;
	s->t3448 = (struct sen_nas_timer){0, 15};
	s->has_additional_request_result = true;
	s->additional_request_result = 0x01;
	s->has_forbidden_tai_roaming = true;
	tai_list_one(&s->forbidden_tai_roaming, 0x200, 1);
	s->has_forbidden_tai_rpos = true;
	tai_list_one(&s->forbidden_tai_rpos, 0x300, 1);
}

static void svc_rej_r17(struct sen_nas_msg *m)
{
	struct sen_nas_service_reject *s = &m->service_reject;

	sen_nas_msg_init(m, SEN_NAS_SERVICE_REJECT);
	s->cause = 78;
	s->has_cag_info_list = true;
	SET_B(s->cag_info_list, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01);
	s->has_disaster_return_wait_range = true;
	s->disaster_return_wait_range = 0x0214;
	s->has_extended_cag_info_list = true;
	SET_B(s->extended_cag_info_list, 0x00, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01);
	s->has_lower_bound_timer = true;
	s->lower_bound_timer = t_10m;
	s->has_forbidden_tai_roaming = true;
	tai_list_one(&s->forbidden_tai_roaming, 0x200, 1);
	s->has_forbidden_tai_rpos = true;
	tai_list_one(&s->forbidden_tai_rpos, 0x300, 1);
}

static void cfg_cmd_r17(struct sen_nas_msg *m)
{
	struct sen_nas_configuration_update_command *c = &m->configuration_update_command;

	sen_nas_msg_init(m, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	c->has_indication = true;
	c->indication = 0x01;
	c->has_operator_access_categories = true;
	SET_B(c->operator_access_categories, 0x0a, 0x01, 0x00, 0x07, 0x00, 0x01, 0x04, 0x03, 'i', 'm', 's');
	c->has_sms_indication = true;
	c->sms_indication = 1;
	c->has_t3447 = true;
	c->t3447 = t_10m;
	c->has_cag_info_list = true;
	SET_B(c->cag_info_list, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x01);
	c->has_ue_radio_cap_id = true;
	SET_B(c->ue_radio_cap_id, 0x01, 0x23, 0x45, 0x67, 0x89);
	c->has_ue_radio_cap_id_deletion = true;
	c->ue_radio_cap_id_deletion = 1;
	c->has_registration_result = true;
	c->registration_result = 0x01;
	c->has_truncated_s_tmsi_cfg = true;
	c->truncated_s_tmsi_cfg = 0x43;
	c->has_additional_cfg_indication = true;
	c->additional_cfg_indication = 1;
	c->has_extended_rejected_nssai = true;
	SET_B(c->extended_rejected_nssai, 0x10, 0x21, 0x12, 0x03);
	c->has_service_level_aa = true;
	SET_B(c->service_level_aa, 0x01, 0x04, 'u', 'a', 'v', '1');
	c->has_nssrg_info = true;
	SET_B(c->nssrg_info, 0x03, 0x01, 0x01, 0x05, 0x03, 0x01, 0x02, 0x05);
	c->has_disaster_roaming_wait_range = true;
	c->disaster_roaming_wait_range = 0x050a;
	c->has_disaster_return_wait_range = true;
	c->disaster_return_wait_range = 0x0214;
	c->has_disaster_plmn_list = true;
	SET_B(c->disaster_plmn_list, 0x00, 0xf1, 0x10);
	c->has_extended_cag_info_list = true;
	SET_B(c->extended_cag_info_list, 0x00, 0x08, 0x99, 0xf9, 0x07, 0x00, 0x00, 0x00, 0x00, 0x02);
	c->has_updated_peips_info = true;
	SET_B(c->updated_peips_info, 0x21);
	c->has_nsag_info = true;
	SET_B(c->nsag_info, 0x07, 0x01, 0x04, 0x01, 0x01, 0x01, 0x02, 0x01);
	c->has_priority_indicator = true;
	c->priority_indicator = 1; /* MPS */
}

static const uint8_t slaa[] = {0x01, 0x04, 'u', 'a', 'v', '1'};
static const uint8_t pmic[] = {0x01, 0x00, 0x01, 0x00, 0x00}; /* port management msg */

static void est_req_r17(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_establishment_request *e = &m->pdu_session_establishment_request;

	est_req(m);
	e->has_ip_hc_config = true; /* ROHC profiles 0x0002, 0x0003; MAX_CID 15 */
	SET_B(e->ip_hc_config, 0x06, 0x00, 0x0f);
	e->has_dstt_mac = true;
	memcpy(e->dstt_mac, (uint8_t[]){0x02, 0x00, 0x5e, 0x00, 0x53, 0x01}, 6);
	e->has_ue_dstt_residence_time = true;
	memcpy(e->ue_dstt_residence_time, (uint8_t[]){0, 0, 0, 0, 0, 0x01, 0x86, 0xa0}, 8);
	e->has_pmic = true;
	e->pmic = (struct sen_nas_bytes){pmic, sizeof(pmic)};
	e->has_eth_hc_config = true;
	e->eth_hc_config = 0x01; /* CID length 7 bits */
	e->has_suggested_iid = true;
	e->suggested_iid.type = SEN_NAS_PDU_IPV6;
	memcpy(e->suggested_iid.ipv6_iid, (uint8_t[]){0, 0, 0, 0, 0, 0, 0, 0x42}, 8);
	e->has_service_level_aa = true;
	e->service_level_aa = (struct sen_nas_bytes){slaa, sizeof(slaa)};
	e->has_requested_mbs = true; /* join TMGI 000001 / 999-70 */
	SET_B(e->requested_mbs, 0x01, 0x01, 0x00, 0x00, 0x01, 0x99, 0xf9, 0x07);
	e->has_pdu_session_pair_id = true;
	e->pdu_session_pair_id = 1;
	e->has_rsn = true;
	e->rsn = 0x01; /* v2 */
}

static void est_acc_r17(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_establishment_accept *a = &m->pdu_session_establishment_accept;

	est_acc_v6(m);
	a->has_gsm_network_feature_support = true;
	a->gsm_network_feature_support = (struct sen_nas_octets){1, {0x01}};
	a->has_serving_plmn_rate_control = true;
	a->serving_plmn_rate_control = 10; /* 10 uplink messages per 6 minutes */
	a->has_atsss = true;
	SET_B(a->atsss, 0x01, 0x02, 0x03);
	a->has_cp_only = true;
	a->cp_only = 1;
	a->has_ip_hc_config = true;
	SET_B(a->ip_hc_config, 0x06, 0x00, 0x0f);
	a->has_eth_hc_config = true;
	a->eth_hc_config = 0x01;
	a->has_service_level_aa = true;
	a->service_level_aa = (struct sen_nas_bytes){slaa, sizeof(slaa)};
	a->has_received_mbs = true;
	SET_B(a->received_mbs, 0x01, 0x00, 0x00, 0x01, 0x99, 0xf9, 0x07);
}

static void est_rej_r17(struct sen_nas_msg *m)
{
	est_rej(m);
	m->pdu_session_establishment_reject.cause = 29; /* user authentication failed */
	m->pdu_session_establishment_reject.has_service_level_aa = true;
	m->pdu_session_establishment_reject.service_level_aa =
	    (struct sen_nas_bytes){slaa, sizeof(slaa)};
}

static void mod_req_r17(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_modification_request *r = &m->pdu_session_modification_request;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_MODIFICATION_REQUEST);
	r->has_pmic = true;
	r->pmic = (struct sen_nas_bytes){pmic, sizeof(pmic)};
	r->has_ip_hc_config = true;
	SET_B(r->ip_hc_config, 0x06, 0x00, 0x0f);
	r->has_eth_hc_config = true;
	r->eth_hc_config = 0x02;
	r->has_requested_mbs = true;
	SET_B(r->requested_mbs, 0x02, 0x01, 0x00, 0x00, 0x01, 0x99, 0xf9, 0x07);
	r->has_service_level_aa = true;
	r->service_level_aa = (struct sen_nas_bytes){slaa, sizeof(slaa)};
}

static void mod_cmd_r17(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_modification_command *c = &m->pdu_session_modification_command;

	gsm_hdr(m, SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND);
	c->has_atsss = true;
	SET_B(c->atsss, 0x01, 0x02, 0x03);
	c->has_ip_hc_config = true;
	SET_B(c->ip_hc_config, 0x06, 0x00, 0x0f);
	c->has_pmic = true;
	c->pmic = (struct sen_nas_bytes){pmic, sizeof(pmic)};
	c->has_serving_plmn_rate_control = true;
	c->serving_plmn_rate_control = 10;
	c->has_eth_hc_config = true;
	c->eth_hc_config = 0x01;
	c->has_received_mbs = true;
	SET_B(c->received_mbs, 0x01, 0x00, 0x00, 0x01, 0x99, 0xf9, 0x07);
	c->has_service_level_aa = true;
	c->service_level_aa = (struct sen_nas_bytes){slaa, sizeof(slaa)};
}

static void mod_cpl_r17(struct sen_nas_msg *m)
{
	gsm_hdr(m, SEN_NAS_PDU_SESSION_MODIFICATION_COMPLETE);
	m->pdu_session_modification_complete.has_pmic = true;
	m->pdu_session_modification_complete.pmic = (struct sen_nas_bytes){pmic, sizeof(pmic)};
}

static void rel_cmd_r17(struct sen_nas_msg *m)
{
	rel_cmd(m);
	m->pdu_session_release_command.cause = 29;
	m->pdu_session_release_command.has_service_level_aa = true;
	m->pdu_session_release_command.service_level_aa = (struct sen_nas_bytes){slaa, sizeof(slaa)};
}

/* Subsets of the above with only the IEs that Wireshark 4.0's dissector knows. */
static void reg_req_codecs(struct sen_nas_msg *m)
{
	struct sen_nas_registration_request *r = &m->registration_request;

	reg_req_r17(m);
	r->has_requested_edrx = r->has_t3324 = r->has_ue_radio_cap_id = false;
	r->has_requested_mapped_nssai = r->has_additional_info_requested = false;
	r->has_requested_wus_info = r->has_requested_nb_n1_drx = r->has_ue_request_type = false;
	r->has_paging_restriction = r->has_service_level_aa = r->has_nid = false;
	r->has_disaster_plmn = r->has_requested_peips_info = r->has_requested_t3512 = false;
}

static void reg_acc_een(struct sen_nas_msg *m)
{
	struct sen_nas_registration_accept *a = &m->registration_accept;

	reg_acc(m);
	a->has_extended_emergency_numbers = true;
	SET_B(a->extended_emergency_numbers, 0x00, 0x02, 0x19, 0xf1, 0x06, 'p', 'o', 'l', 'i', 'c', 'e');
}

static void est_req_tsn(struct sen_nas_msg *m)
{
	struct sen_nas_pdu_session_establishment_request *e = &m->pdu_session_establishment_request;

	est_req_r17(m);
	e->has_service_level_aa = e->has_requested_mbs = false;
	e->has_pdu_session_pair_id = e->has_rsn = false;
}

static void mod_req_hc(struct sen_nas_msg *m)
{
	mod_req_r17(m);
	m->pdu_session_modification_request.has_requested_mbs = false;
	m->pdu_session_modification_request.has_service_level_aa = false;
}

static void mod_cmd_hc(struct sen_nas_msg *m)
{
	mod_cmd_r17(m);
	m->pdu_session_modification_command.has_received_mbs = false;
	m->pdu_session_modification_command.has_service_level_aa = false;
}

const struct nas_sample nas_samples[] = {
	{"registration-request-initial", reg_req_initial},
	{"registration-request-mobility", reg_req_mobility},
	{"registration-request-roaming-nssai", reg_req_roaming_nssai},
	{"registration-accept", reg_acc},
	{"registration-complete", reg_cpl},
	{"registration-reject", reg_rej},
	{"ul-nas-transport", ul_nas},
	{"dl-nas-transport", dl_nas},
	{"deregistration-request-ue-orig", dereg_req_orig},
	{"deregistration-accept-ue-orig", dereg_acc_orig},
	{"deregistration-request-ue-term", dereg_req_term},
	{"deregistration-accept-ue-term", dereg_acc_term},
	{"service-request", svc_req},
	{"service-accept", svc_acc},
	{"service-reject", svc_rej},
	{"configuration-update-command", cfg_cmd},
	{"configuration-update-complete", cfg_cpl},
	{"authentication-request", auth_req},
	{"authentication-response", auth_rsp},
	{"authentication-failure", auth_fail},
	{"authentication-reject", auth_rej},
	{"authentication-result", auth_res},
	{"identity-request", id_req},
	{"identity-response-suci-profile-a", id_rsp_suci_a},
	{"identity-response-suci-nai", id_rsp_nai},
	{"identity-response-imei", id_rsp_imei},
	{"identity-response-mac", id_rsp_mac},
	{"identity-response-none", id_rsp_none},
	{"security-mode-command", smc},
	{"security-mode-complete", smc_cpl},
	{"security-mode-reject", smc_rej},
	{"5gmm-status", gmm_status},
	{"notification", notif},
	{"notification-response", notif_rsp},
	{"pdu-session-establishment-request", est_req},
	{"pdu-session-establishment-accept", est_acc},
	{"pdu-session-establishment-accept-ipv4v6", est_acc_v6},
	{"pdu-session-establishment-accept-ipv6", est_acc_ipv6},
	{"pdu-session-establishment-reject", est_rej},
	{"pdu-session-modification-request", mod_req},
	{"pdu-session-modification-reject", mod_rej},
	{"pdu-session-modification-command", mod_cmd},
	{"pdu-session-modification-complete", mod_cpl},
	{"pdu-session-modification-command-reject", mod_cmd_rej},
	{"pdu-session-release-request", rel_req},
	{"pdu-session-release-reject", rel_rej},
	{"pdu-session-release-command", rel_cmd},
	{"pdu-session-release-complete", rel_cpl},
	{"5gsm-status", gsm_status},
	{"registration-request-codecs", reg_req_codecs},
	{"registration-request-n5gc-mac", reg_req_n5gc},
	{"registration-accept-emergency-numbers", reg_acc_een},
	{"pdu-session-establishment-request-tsn", est_req_tsn},
	{"pdu-session-modification-request-hc", mod_req_hc},
	{"pdu-session-modification-command-hc", mod_cmd_hc},
};
const size_t nas_n_samples = sizeof(nas_samples) / sizeof(nas_samples[0]);

/* Every Release 17 IE of the clause 8 tables, in realistic messages (see samples.h). */
const struct nas_sample nas_samples_r17[] = {
	{"registration-request-rel17", reg_req_r17},
	{"registration-accept-rel17", reg_acc_r17},
	{"registration-reject-cag", reg_rej_cag},
	{"dl-nas-transport-rel17", dl_nas_r17},
	{"deregistration-request-ue-term-rel17", dereg_req_term_r17},
	{"service-request-rel17", svc_req_r17},
	{"service-accept-rel17", svc_acc_r17},
	{"service-reject-rel17", svc_rej_r17},
	{"configuration-update-command-rel17", cfg_cmd_r17},
	{"pdu-session-establishment-request-rel17", est_req_r17},
	{"pdu-session-establishment-accept-rel17", est_acc_r17},
	{"pdu-session-establishment-reject-rel17", est_rej_r17},
	{"pdu-session-modification-request-rel17", mod_req_r17},
	{"pdu-session-modification-command-rel17", mod_cmd_r17},
	{"pdu-session-modification-complete-rel17", mod_cpl_r17},
	{"pdu-session-release-command-rel17", rel_cmd_r17},
};
const size_t nas_n_samples_r17 = sizeof(nas_samples_r17) / sizeof(nas_samples_r17[0]);

/*
 * Public messages (facts only: the octets). "gonas" is the test file nas_test.go of a
 * public Go 5G UE simulator (messages exchanged with a free5GC core); "oxirush" is the
 * test suite of the oxirush-nas Rust crate; "kotlin" is a public Android NAS viewer's
 * test, which also gives Wireshark's reading of it. Security protected ones are listed
 * as the plain inner message (octets 8 onwards of the original).
 */
const struct nas_vector nas_vectors[] = {
	{"registration request (SUCI 208/93, routing 1234)",
	 "7e004179000d0102f8392143000010325476981001202e0480a00000", "gonas", 0x41},
	{"registration request (SUCI 999/70, UE sec cap len 8)",
	 "7e004179000d0199f9070000000000000010022e08a020000000000000", "oxirush", 0x41},
	{"registration request (SUCI 001/01, MSIN 0123456789)",
	 "7e004179000d0100f110f0ff000010325476982e04f070f070", "kotlin", 0x41},
	{"authentication request", "7e00560002000021fc64081953bb33c0682edf1690b25821201094bbaf40940a8000c6a72c4efbaf0337", "gonas", 0x56},
	{"authentication request", "7e0056070200002123e87a6d2b0cde95ca763ded3a017c3020102b3e6160baed8000b77ab234553870f1", "gonas (older)", 0x56},
	{"authentication response", "7e00572d10803adcacc364fc000bdc0f65e324eaa1", "gonas", 0x57},
	{"security mode complete (IMEISV)", "7e005e7700090500000001000001f1", "gonas", 0x5e},
	{"security mode complete (IMEISV, NAS container)",
	 "7e005e7700090500000001000001f171001c7e004179000d0102f8392143000010325476981001202e0480a00000",
	 "gonas", 0x5e},
	{"registration complete", "7e0043", "gonas", 0x43},
	{"UL NAS transport (PDU session establishment request)",
	 "7e00670100072e0101c1ffff93120181220401010203250908696e7465726e6574", "gonas", 0x67},
	{"deregistration request (5G-GUTI)", "7e004571000bf202f839cafe0000000001", "gonas", 0x45},
	{"registration accept (inner SHT cleared)",
	 "7e0042010177000b0202f839cafe000000000154070002f839000001150a040101020304011122335e010616012c",
	 "gonas", 0x42},
	{"DL NAS transport (PDU session establishment accept)",
	 "7e00680100202e0100c21100090100063131010100000601e80301e80359322905013c3c00011201", "gonas",
	 0x68},
	{"deregistration accept", "7e0046", "gonas", 0x46},
	{"identity response (SUCI 999/70)", "7e005c000d0199f907000000000000000010", "public fuzzing notes", 0x5c},
};
const size_t nas_n_vectors = sizeof(nas_vectors) / sizeof(nas_vectors[0]);
