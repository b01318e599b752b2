/*
 * What the SMF builds for the UE and the gNB, and the few values it reads back:
 *
 * - 5GSM (TS 24.501 8.3): PDU Session Establishment Accept (8.3.2) with the default QoS
 *   rule (9.11.4.13: match-all packet filter, DQR), the QoS flow description of the default
 *   flow (9.11.4.12: 5QI), session-AMBR (9.11.4.14), PDU address (9.11.4.10: IPv4, the
 *   IPv6 interface identifier, or both), S-NSSAI, DNN and ePCO (9.11.4.6: DNS server IPv4
 *   address 000DH, DNS server IPv6 address 0003H, IPv4 link MTU 0010H, TS 24.008 10.5.6.3,
 *   when the UE asked for them); Establishment Reject (8.3.3); Release Command
 *   (8.3.14).
 * - N2 SM information (TS 38.413): PDU Session Resource Setup Request Transfer (9.3.4.1:
 *   UL NG-U tunnel = the UPF's N3 F-TEID, PDU session type, QoS flow setup list with
 *   5QI / ARP, session AMBR), Release Command Transfer (9.3.4.12); the gNB's DL tunnel
 *   from the Setup Response Transfer (9.3.4.2).
 * - TS 29.571 BitRate strings and Snssai objects.
 */
#include "context.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "nas/nas.h"
#include "ngap/ngap.h"

static void nas_snssai(const struct sen_cfg_slice *c, struct sen_nas_snssai *n)
{
	n->sst = c->sst;
	if (c->sd != SEN_CFG_SD_NONE) {
		n->len = 4;
		n->sd = c->sd;
	} else {
		n->len = 1;
	}
}

int smf_build_accept(const struct smf_sess *s, uint8_t *out, size_t cap)
{
	static const uint8_t match_all[] = {0x01}; /* 9.11.4.13 packet filter component */
	struct sen_nas_msg m;
	struct sen_nas_pdu_session_establishment_accept *a;
	struct sen_nas_qos_rule *r;
	struct sen_nas_qos_flow *f;
	int rc;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT);
	m.pdu_session_id = s->psi;
	m.pti = s->pti;
	a = &m.pdu_session_establishment_accept;
	a->pdu_session_type = s->pdu_type ? s->pdu_type : SEN_NAS_PDU_IPV4;
	a->ssc_mode = 1;
	/* The default QoS rule: every packet, both directions, on the default flow. */
	a->qos_rules.n = 1;
	r = &a->qos_rules.r[0];
	r->id = 1;
	r->op = SEN_NAS_QOS_RULE_CREATE;
	r->dqr = true;
	r->n_pf = 1;
	r->pf[0].dir = 3;
	r->pf[0].id = 1;
	r->pf[0].content = (struct sen_nas_bytes){match_all, sizeof(match_all)};
	r->has_precedence = true;
	r->precedence = 255;
	r->has_qfi = true;
	r->qfi = SMF_DEFAULT_QFI;
	if ((rc = sen_nas_bitrate_from_bps(s->ambr_dl, &a->ambr.dl_unit, &a->ambr.dl)) < 0 ||
	    (rc = sen_nas_bitrate_from_bps(s->ambr_ul, &a->ambr.ul_unit, &a->ambr.ul)) < 0)
		return rc;
	/* 6.4.1.3: the UE asked for IPv4v6 and gets IPv4 only: #50 */
	if (s->accept_cause) {
		a->has_cause = true;
		a->cause = s->accept_cause;
	}
	/* 9.11.4.10 PDU address: IPv4: the address; IPv6: the interface identifier (the UE
	 * learns the /64 by Router Advertisement, TS 23.501 5.8.2.2.3); IPv4v6: IID, then IPv4 */
	a->has_pdu_address = true;
	a->pdu_address.type = a->pdu_session_type;
	if (a->pdu_session_type != SEN_NAS_PDU_IPV4)
		memcpy(a->pdu_address.ipv6_iid, s->ue_ip6 + 8, 8);
	a->pdu_address.ipv4[0] = (uint8_t)(s->ue_ip >> 24);
	a->pdu_address.ipv4[1] = (uint8_t)(s->ue_ip >> 16);
	a->pdu_address.ipv4[2] = (uint8_t)(s->ue_ip >> 8);
	a->pdu_address.ipv4[3] = (uint8_t)s->ue_ip;
	a->has_snssai = true;
	nas_snssai(&s->snssai, &a->snssai);
	a->has_qos_flows = true;
	a->qos_flows.n = 1;
	f = &a->qos_flows.f[0];
	f->qfi = SMF_DEFAULT_QFI;
	f->op = 1; /* create new QoS flow description */
	f->e_bit = true;
	f->n_params = 1;
	f->param[0].id = SEN_NAS_QOS_5QI;
	f->param[0].len = 1;
	f->param[0].v[0] = s->qi5;
	if (s->want_dns || s->want_dns6 || s->want_mtu) {
		bool v4 = a->pdu_session_type != SEN_NAS_PDU_IPV6;
		bool v6 = a->pdu_session_type != SEN_NAS_PDU_IPV4;
		a->has_epco = true;
		a->epco.config_proto = 0;
		if (s->want_dns && v4)
			for (size_t i = 0; i < s->dnn->n_dns4; i++)
				sen_nas_epco_add(&a->epco, SEN_NAS_PCO_DNS_IPV4, s->dnn->dns[i], 4);
		/* TS 24.008 10.5.6.3: 0003H DNS server IPv6 address */
		if (s->want_dns6 && v6)
			for (size_t i = 0; i < s->dnn->n_dns6; i++)
				sen_nas_epco_add(&a->epco, SEN_NAS_PCO_DNS_IPV6, s->dnn->dns6[i],
						 16);
		if (s->want_mtu && v4)
			sen_nas_epco_add(&a->epco, SEN_NAS_PCO_IPV4_MTU, s->dnn->mtu, 2);
		a->has_epco = a->epco.n > 0;
	}
	a->has_dnn = true;
	snprintf(a->dnn.name, sizeof(a->dnn.name), "%s", s->dnn_name);
	return sen_nas_encode(&m, out, cap);
}

int smf_build_reject(uint8_t psi, uint8_t pti, uint8_t cause, uint8_t *out, size_t cap)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT);
	m.pdu_session_id = psi;
	m.pti = pti;
	m.pdu_session_establishment_reject.cause = cause;
	return sen_nas_encode(&m, out, cap);
}

int smf_build_release_command(const struct smf_sess *s, uint8_t cause, uint8_t *out, size_t cap)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_RELEASE_COMMAND);
	m.pdu_session_id = s->psi;
	m.pti = s->pti;
	m.gsm.cause = cause;
	m.gsm.has_cause = true;
	return sen_nas_encode(&m, out, cap);
}

int smf_build_setup_request_transfer(const struct smf_sess *s, uint8_t *out, size_t cap)
{
	struct sen_ngap_setup_request_transfer t;
	struct sen_ngap_qos_flow_setup_item flow;
	uint8_t teid[4] = {(uint8_t)(s->ul_teid >> 24), (uint8_t)(s->ul_teid >> 16),
			   (uint8_t)(s->ul_teid >> 8), (uint8_t)s->ul_teid};

	memset(&t, 0, sizeof(t));
	memset(&flow, 0, sizeof(flow));
	t.has_session_ambr = true;
	t.session_ambr.dl = s->ambr_dl;
	t.session_ambr.ul = s->ambr_ul;
	t.ul_tnl.present = SEN_NGAP_CHOICE0;
	t.ul_tnl.u.gtp.addr = (struct sen_asn_bits){s->ul_addr, 32};
	t.ul_tnl.u.gtp.teid = (struct sen_asn_octets){teid, 4};
	/* 9.3.1.52 PDU Session Type */
	t.pdu_session_type = s->pdu_type == SEN_NAS_PDU_IPV6	 ? SEN_NGAP_PDU_IPV6
			     : s->pdu_type == SEN_NAS_PDU_IPV4V6 ? SEN_NGAP_PDU_IPV4V6
								 : SEN_NGAP_PDU_IPV4;
	flow.qfi = SMF_DEFAULT_QFI;
	flow.params.characteristics.present = SEN_NGAP_QOS_NON_DYNAMIC;
	flow.params.characteristics.u.non_dynamic.five_qi = s->qi5;
	flow.params.arp.priority_level = s->arp_prio;
	flow.params.arp.pre_emption_capability = s->arp_cap;
	flow.params.arp.pre_emption_vulnerability = s->arp_vuln;
	t.qos_flows.items = &flow;
	t.qos_flows.count = 1;
	return sen_ngap_transfer_encode(&sen_ngap_setup_request_transfer_type, &t, out, cap);
}

int smf_build_release_command_transfer(uint8_t *out, size_t cap)
{
	struct sen_ngap_cause_transfer t;

	memset(&t, 0, sizeof(t));
	t.cause.present = SEN_NGAP_CAUSE_NAS;
	t.cause.u.value = 0; /* CauseNas normal-release */
	return sen_ngap_transfer_encode(&sen_ngap_release_command_transfer_type, &t, out, cap);
}

int smf_parse_setup_response_transfer(const uint8_t *buf, size_t len, uint8_t addr[4],
				      uint32_t *teid)
{
	struct sen_ngap_setup_response_transfer t;
	struct sen_asn_arena arena;
	struct sen_asn_ctx ctx;
	uint8_t mem[4096];
	const struct sen_ngap_gtp_tunnel *g;
	int rc = -SEN_EPROTO;

	sen_asn_arena_init(&arena, mem, sizeof(mem), 64 * 1024);
	sen_asn_ctx_init(&ctx, &arena, 0);
	memset(&t, 0, sizeof(t));
	if (sen_ngap_transfer_decode(&sen_ngap_setup_response_transfer_type, &t, buf, len, &ctx) <
	    0)
		goto out;
	if (t.dl_qos_flow_per_tnl.tnl.present != SEN_NGAP_CHOICE0)
		goto out;
	g = &t.dl_qos_flow_per_tnl.tnl.u.gtp;
	/* 9.3.2.4: 32 bits IPv4, 128 IPv6, 160 both (IPv4 first) */
	if ((g->addr.nbits != 32 && g->addr.nbits != 160) || g->teid.len != 4)
		goto out;
	memcpy(addr, g->addr.data, 4);
	*teid = (uint32_t)g->teid.data[0] << 24 | (uint32_t)g->teid.data[1] << 16 |
		(uint32_t)g->teid.data[2] << 8 | g->teid.data[3];
	rc = 0;
out:
	sen_asn_arena_fini(&arena);
	return rc;
}

int smf_bitrate_parse(const char *s, uint64_t *bps)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {{"bps", 1}, {"Kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9}, {"Tbps", 1e12}};
	char *end;
	double v;

	/* TS 29.571 5.5.2 BitRate: "^\d+(\.\d+)? (bps|Kbps|Mbps|Gbps|Tbps)$" */
	if (!s || s[0] < '0' || s[0] > '9')
		return -SEN_EINVAL;
	v = strtod(s, &end);
	if (end == s || *end != ' ' || !(v >= 0) || v > 1e15)
		return -SEN_EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end + 1, units[i].unit)) {
			double r = v * units[i].mult;
			if (r > 1.8e19)
				return -SEN_ERANGE;
			*bps = (uint64_t)llround(r);
			return 0;
		}
	return -SEN_EINVAL;
}

cJSON *smf_snssai_json(const struct sen_cfg_slice *s)
{
	cJSON *o = cJSON_CreateObject();
	char sd[8];

	if (!o || !cJSON_AddNumberToObject(o, "sst", s->sst))
		goto fail;
	if (s->sd != SEN_CFG_SD_NONE) {
		snprintf(sd, sizeof(sd), "%06x", s->sd);
		if (!cJSON_AddStringToObject(o, "sd", sd))
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}
