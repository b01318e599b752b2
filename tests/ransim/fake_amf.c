/*
 * The fake AMF and UPF of the sen-ransim tests (fake_amf.h). The NAS side follows
 * TS 24.501 / TS 33.501 as a core does, written independently of the UE engine: 5G AKA
 * vectors from crypto/aka.h, KSEAF / KAMF / KgNB from crypto/kdf.h, NAS security from
 * nas/sec.h. The NGAP side answers what TS 38.413 clause 8 asks of an AMF. The UPF side
 * checks and answers ICMP / ICMPv6 echo requests and Router Solicitations (RFC 4861) with
 * its own IPv6 and checksum code, independent of sen-ransim's.
 */
#include "fake_amf.h"

#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"
#include "crypto/suci.h"
#include "gtpu/gtpu.h"
#include "nas/nas.h"
#include "nas/sec.h"
#include "ngap/ngap.h"
#include "sctp/sctp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct fa_record fa_rec;
struct fa_opts fa_opts;

static const uint8_t test_k[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
				   0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
static const uint8_t test_opc[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e,
				     0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf};
static const uint8_t plmn[3] = {0x99, 0xf9, 0x07}; /* 999-70 */
#define UL_TEID_BASE 0x10000000u

struct fa_ue {
	bool used;
	struct sen_sctp_assoc *assoc;
	uint32_t ran_id;
	uint64_t amf_id;
	uint16_t stream;
	char supi[SEN_SUPI_MAX];
	char snn[40];
	uint8_t ue_ea, ue_ia;
	struct sen_aka_he_av av;
	uint8_t kamf[32];
	struct sen_nas_sec_ctx sec;
	bool sec_on;
	uint32_t ul_count;
	uint32_t dl_teid;
	bool has_dl_teid;
	uint8_t rel_pti; /* PTI of the Release Command sent, 0: none */
	/* an echo request that came before the PDU Session Resource Setup Response gave the
	   DL tunnel (the gNB may send right after it): answered when the tunnel is known */
	uint8_t pending[2048];
	size_t pending_len;
};

static struct sen_loop *loop;
static struct sen_sctp_endpoint *ep;
static struct fa_ue ues[FA_MAX_UES];
static int upf_fd = -1;
static uint16_t gnb_gtpu;

static void upf_ul(int fd, unsigned idx, const uint8_t *ip, size_t len);

static const uint8_t ra_prefix[8] = {0x20, 0x01, 0x0d, 0xb8, 0xca, 0xfe, 0x00, 0x01};

void fa_iid(unsigned idx, uint8_t iid[8])
{
	static const uint8_t base_iid[8] = {0x02, 0x00};

	memcpy(iid, base_iid, 8);
	iid[6] = (uint8_t)((idx + 1) >> 8);
	iid[7] = (uint8_t)(idx + 1);
}

/* ---- sending ------------------------------------------------------------------------- */

static void send_msg(struct sen_sctp_assoc *a, uint16_t stream, unsigned kind, unsigned proc,
		     const void *msg)
{
	struct sen_ngap_pdu pdu;
	uint8_t buf[8192];

	if (sen_ngap_pdu_init(&pdu, kind, proc, msg) < 0)
		return;
	int n = sen_ngap_encode(&pdu, buf, sizeof(buf));
	if (n > 0)
		sen_sctp_send(a, stream, SEN_SCTP_PPID_NGAP, buf, (size_t)n);
	else
		fprintf(stderr, "fake-amf: cannot encode %s\n", sen_ngap_msg_name(&pdu));
}

/* Encode a NAS message, protect it with sht (0: plain): out holds the PDU. */
static int nas_out(struct fa_ue *u, const struct sen_nas_msg *m, uint8_t sht, uint8_t *out,
		   size_t cap)
{
	uint8_t plain[2048];
	int len = sen_nas_encode(m, plain, sizeof(plain));

	if (len <= 0)
		return -1;
	if (!sht) {
		memcpy(out, plain, (size_t)len);
		return len;
	}
	return sen_nas_protect(&u->sec, sht, plain, (size_t)len, out, cap);
}

static void dl_nas(struct fa_ue *u, const struct sen_nas_msg *m, uint8_t sht)
{
	struct sen_ngap_downlink_nas_transport dl;
	uint8_t nas[2048];
	int n = nas_out(u, m, sht, nas, sizeof(nas));

	if (n <= 0)
		return;
	memset(&dl, 0, sizeof(dl));
	dl.amf_ue_ngap_id = u->amf_id;
	dl.ran_ue_ngap_id = u->ran_id;
	dl.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)n};
	send_msg(u->assoc, u->stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT,
		 &dl);
}

static void release(struct fa_ue *u, uint8_t nas_cause)
{
	struct sen_ngap_ue_context_release_command m;

	memset(&m, 0, sizeof(m));
	m.ue_ngap_ids.present = SEN_NGAP_IDS_PAIR;
	m.ue_ngap_ids.u.pair.amf_ue_ngap_id = u->amf_id;
	m.ue_ngap_ids.u.pair.ran_ue_ngap_id = u->ran_id;
	m.cause.present = SEN_NGAP_CAUSE_NAS;
	m.cause.u.value = nas_cause;
	send_msg(u->assoc, u->stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_UE_CONTEXT_RELEASE, &m);
}

/* ---- NAS procedures ------------------------------------------------------------------ */

static void auth_request(struct fa_ue *u)
{
	struct sen_nas_msg m;
	uint8_t rand[16], sqn[6], k[16];

	memcpy(k, test_k, 16);
	if (fa_opts.wrong_k)
		k[0] ^= 0x01;
	for (int i = 0; i < 16; i++)
		rand[i] = (uint8_t)(0x37 * i + u->ran_id);
	sen_aka_sqn_put(1u << 5, sqn); /* SEQ 1, IND 0: fresh for a USIM at SQN 0 */
	if (sen_aka_he_av(k, test_opc, rand, sqn, (const uint8_t[]){0x80, 0}, u->snn, &u->av) < 0)
		return;
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_REQUEST);
	m.authentication_request.ngksi = 0;
	m.authentication_request.abba = (struct sen_nas_abba){2, {0, 0}};
	m.authentication_request.has_rand = m.authentication_request.has_autn = true;
	memcpy(m.authentication_request.rand, u->av.rand, 16);
	memcpy(m.authentication_request.autn, u->av.autn, 16);
	dl_nas(u, &m, 0);
}

static void security_mode_command(struct fa_ue *u)
{
	struct sen_nas_msg m;
	struct sen_nas_security_mode_command *c = &m.security_mode_command;

	if (u->sec_on)
		sen_nas_sec_clear(&u->sec);
	if (sen_nas_sec_init_kamf(&u->sec, u->kamf, 2, 2, SEN_NAS_ACCESS_3GPP, false) < 0)
		return;
	u->sec_on = true;
	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMMAND);
	c->algs = 2 << 4 | 2; /* 128-NEA2, 128-NIA2 */
	c->ngksi = 0;
	c->replayed_ue_sec_cap = (struct sen_nas_ue_sec_cap){.len = 2, .ea = u->ue_ea, .ia = u->ue_ia};
	c->has_imeisv_request = true;
	c->imeisv_request = 1;
	dl_nas(u, &m, SEN_NAS_SHT_INTEGRITY_NEW_CTX);
}

/* Initial Context Setup Request (TS 38.413 9.2.2.1) with KgNB and the Registration Accept. */
static void initial_context_setup(struct fa_ue *u)
{
	static const uint8_t region = 2, set_ptr[2] = {0x00, 0x40}, pointer = 0, caps[2] = {0xe0, 0};
	struct sen_ngap_initial_context_setup_request m;
	struct sen_ngap_slice_item slice;
	struct sen_nas_msg a;
	uint8_t kgnb[32], nas[512], sst = 1;
	int n;

	sen_nas_msg_init(&a, SEN_NAS_REGISTRATION_ACCEPT);
	a.registration_accept.result = 0x01;
	a.registration_accept.has_guti = true;
	a.registration_accept.guti.type = SEN_NAS_ID_GUTI;
	strcpy(a.registration_accept.guti.guti.plmn.mcc, "999");
	strcpy(a.registration_accept.guti.guti.plmn.mnc, "70");
	a.registration_accept.guti.guti.amf_region_id = 2;
	a.registration_accept.guti.guti.amf_set_id = 1;
	a.registration_accept.guti.guti.tmsi = 0xc0000000u + u->ran_id;
	a.registration_accept.has_tai_list = true;
	a.registration_accept.tai_list.n = 1;
	a.registration_accept.tai_list.list[0].n = 1;
	a.registration_accept.tai_list.list[0].tai[0] = (struct sen_nas_tai){{"999", "70"}, 1};
	a.registration_accept.has_allowed_nssai = true;
	a.registration_accept.allowed_nssai.n = 1;
	a.registration_accept.allowed_nssai.s[0] = (struct sen_nas_snssai){.len = 1, .sst = 1};
	n = nas_out(u, &a, SEN_NAS_SHT_INTEGRITY_CIPHERED, nas, sizeof(nas));
	if (n <= 0 || sen_kdf_kgnb(u->kamf, u->ul_count, SEN_KDF_ACCESS_3GPP, kgnb) < 0)
		return;
	if (fa_opts.bad_kgnb)
		kgnb[7] ^= 0x20;
	memset(&m, 0, sizeof(m));
	memset(&slice, 0, sizeof(slice));
	slice.snssai.sst = (struct sen_asn_octets){&sst, 1};
	m.amf_ue_ngap_id = u->amf_id;
	m.ran_ue_ngap_id = u->ran_id;
	m.guami.plmn = (struct sen_asn_octets){plmn, 3};
	m.guami.region = (struct sen_asn_bits){&region, 8};
	m.guami.set = (struct sen_asn_bits){set_ptr, 10};
	m.guami.pointer = (struct sen_asn_bits){&pointer, 6};
	m.allowed_nssai.items = &slice;
	m.allowed_nssai.count = 1;
	m.ue_security_capabilities.nr_enc = (struct sen_asn_bits){caps, 16};
	m.ue_security_capabilities.nr_int = (struct sen_asn_bits){caps, 16};
	m.ue_security_capabilities.eutra_enc = (struct sen_asn_bits){caps, 16};
	m.ue_security_capabilities.eutra_int = (struct sen_asn_bits){caps, 16};
	m.security_key = (struct sen_asn_bits){kgnb, 256};
	m.has_nas_pdu = true;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)n};
	send_msg(u->assoc, u->stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP, &m);
}

/* PDU Session Resource Setup Request (9.2.1.1) with the Establishment Accept and a tunnel
 * to the fake UPF. */
static void pdu_session_setup(struct fa_ue *u, const struct sen_nas_msg *req)
{
	static const uint8_t pf_all[] = {0x01};
	static const uint8_t upf_ip[4] = {127, 0, 0, 1};
	struct sen_nas_msg gsm, dl;
	uint8_t gsm_buf[512], nas[1024], tbuf[256], sst = 1, teid[4];
	unsigned idx = (unsigned)(u - ues);

	sen_nas_msg_init(&gsm, SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT);
	gsm.pdu_session_id = req->pdu_session_id;
	gsm.pti = req->pti;
	struct sen_nas_pdu_session_establishment_accept *a = &gsm.pdu_session_establishment_accept;
	uint8_t type = fa_opts.pdu_type ? fa_opts.pdu_type : SEN_NAS_PDU_IPV4;
	a->pdu_session_type = type;
	a->ssc_mode = 1;
	a->has_cause = fa_opts.accept_cause != 0;
	a->cause = fa_opts.accept_cause;
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
	a->ambr = (struct sen_nas_ambr){6, 100, 6, 50};
	a->has_pdu_address = !fa_opts.no_pdu_address;
	a->pdu_address.type = type;
	memcpy(a->pdu_address.ipv4, (uint8_t[]){10, 45, (uint8_t)(idx >> 8), (uint8_t)(2 + idx)},
	       4);
	fa_iid(idx, a->pdu_address.ipv6_iid);
	int gl = sen_nas_encode(&gsm, gsm_buf, sizeof(gsm_buf));
	if (gl <= 0)
		return;
	sen_nas_msg_init(&dl, SEN_NAS_DL_NAS_TRANSPORT);
	dl.dl_nas_transport.payload_container_type = 1;
	dl.dl_nas_transport.payload_container = (struct sen_nas_bytes){gsm_buf, (size_t)gl};
	dl.dl_nas_transport.has_pdu_session_id = true;
	dl.dl_nas_transport.pdu_session_id = req->pdu_session_id;
	int nl = nas_out(u, &dl, SEN_NAS_SHT_INTEGRITY_CIPHERED, nas, sizeof(nas));
	if (nl <= 0)
		return;

	struct sen_ngap_setup_request_transfer t;
	struct sen_ngap_qos_flow_setup_item flow;
	uint32_t ul_teid = UL_TEID_BASE + idx;
	teid[0] = (uint8_t)(ul_teid >> 24), teid[1] = (uint8_t)(ul_teid >> 16);
	teid[2] = (uint8_t)(ul_teid >> 8), teid[3] = (uint8_t)ul_teid;
	memset(&t, 0, sizeof(t));
	memset(&flow, 0, sizeof(flow));
	t.has_session_ambr = true;
	t.session_ambr.dl = 100000000;
	t.session_ambr.ul = 50000000;
	t.ul_tnl.present = 0;
	t.ul_tnl.u.gtp.addr = (struct sen_asn_bits){upf_ip, 32};
	t.ul_tnl.u.gtp.teid = (struct sen_asn_octets){teid, 4};
	t.pdu_session_type = type == SEN_NAS_PDU_IPV6	  ? SEN_NGAP_PDU_IPV6
			     : type == SEN_NAS_PDU_IPV4V6 ? SEN_NGAP_PDU_IPV4V6
							  : SEN_NGAP_PDU_IPV4;
	flow.qfi = 1;
	flow.params.characteristics.present = SEN_NGAP_QOS_NON_DYNAMIC;
	flow.params.characteristics.u.non_dynamic.five_qi = 9;
	flow.params.arp.priority_level = 8;
	flow.params.arp.pre_emption_vulnerability = 1;
	t.qos_flows.items = &flow;
	t.qos_flows.count = 1;
	int tl = sen_ngap_transfer_encode(&sen_ngap_setup_request_transfer_type, &t, tbuf,
					  sizeof(tbuf));
	if (tl <= 0)
		return;

	struct sen_ngap_pdu_session_resource_setup_request m;
	struct sen_ngap_ps_setup_item item;
	memset(&m, 0, sizeof(m));
	memset(&item, 0, sizeof(item));
	item.psi = req->pdu_session_id;
	item.has_nas_pdu = true;
	item.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)nl};
	item.snssai.sst = (struct sen_asn_octets){&sst, 1};
	item.transfer = (struct sen_asn_octets){tbuf, (uint32_t)tl};
	m.amf_ue_ngap_id = u->amf_id;
	m.ran_ue_ngap_id = u->ran_id;
	m.pdu_sessions.items = &item;
	m.pdu_sessions.count = 1;
	fa_rec.psr_requests++;
	send_msg(u->assoc, u->stream, SEN_NGAP_INITIATING, SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP,
		 &m);
}

/* TS 24.501 6.4.3 / TS 23.502 4.3.4.2: a UE-requested release. The SMF answers with a
 * Release Command in a PDU Session Resource Release Command (TS 38.413 9.2.1.3), or with a
 * Release Reject (fa_opts.release_reject) in a DL NAS Transport. */
static void pdu_session_release(struct fa_ue *u, const struct sen_nas_msg *req)
{
	struct sen_nas_msg gsm, dl;
	uint8_t gsm_buf[64], nas[256], tbuf[32];

	fa_rec.rel_requests++;
	fa_rec.rel_request_cause = req->gsm.has_cause ? req->gsm.cause : 0;
	sen_nas_msg_init(&gsm, fa_opts.release_reject ? SEN_NAS_PDU_SESSION_RELEASE_REJECT
						      : SEN_NAS_PDU_SESSION_RELEASE_COMMAND);
	gsm.pdu_session_id = req->pdu_session_id;
	gsm.pti = req->pti;
	gsm.gsm.cause = fa_opts.release_reject ? 35 : 36; /* PTI already in use / regular */
	int gl = sen_nas_encode(&gsm, gsm_buf, sizeof(gsm_buf));
	if (gl <= 0)
		return;
	sen_nas_msg_init(&dl, SEN_NAS_DL_NAS_TRANSPORT);
	dl.dl_nas_transport.payload_container_type = 1;
	dl.dl_nas_transport.payload_container = (struct sen_nas_bytes){gsm_buf, (size_t)gl};
	dl.dl_nas_transport.has_pdu_session_id = true;
	dl.dl_nas_transport.pdu_session_id = req->pdu_session_id;
	if (fa_opts.release_reject) {
		fa_rec.rel_rejects++;
		dl_nas(u, &dl, SEN_NAS_SHT_INTEGRITY_CIPHERED);
		return;
	}
	int nl = nas_out(u, &dl, SEN_NAS_SHT_INTEGRITY_CIPHERED, nas, sizeof(nas));
	struct sen_ngap_cause_transfer ct;
	memset(&ct, 0, sizeof(ct));
	ct.cause.present = SEN_NGAP_CAUSE_NAS;
	ct.cause.u.value = 0; /* normal-release */
	int tl = sen_ngap_transfer_encode(&sen_ngap_release_command_transfer_type, &ct, tbuf,
					  sizeof(tbuf));
	if (nl <= 0 || tl <= 0)
		return;
	struct sen_ngap_pdu_session_resource_release_command m;
	struct sen_ngap_ps_transfer item;
	memset(&m, 0, sizeof(m));
	memset(&item, 0, sizeof(item));
	item.psi = req->pdu_session_id;
	item.transfer = (struct sen_asn_octets){tbuf, (uint32_t)tl};
	m.amf_ue_ngap_id = u->amf_id;
	m.ran_ue_ngap_id = u->ran_id;
	m.has_nas_pdu = true;
	m.nas_pdu = (struct sen_asn_octets){nas, (uint32_t)nl};
	m.pdu_sessions.items = &item;
	m.pdu_sessions.count = 1;
	u->rel_pti = req->pti;
	fa_rec.rel_commands++;
	send_msg(u->assoc, u->stream, SEN_NGAP_INITIATING,
		 SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE, &m);
}

/* One uplink NAS PDU of UE u. */
static void ul_nas(struct fa_ue *u, const uint8_t *pdu, size_t len)
{
	uint8_t plain[2048];
	struct sen_nas_msg m, gsm;
	struct sen_nas_error err;
	size_t plen = len;

	if (len >= 3 && pdu[0] == SEN_NAS_EPD_5GMM && (pdu[1] & 0x0f)) {
		if (!u->sec_on)
			return;
		int p = sen_nas_unprotect(&u->sec, pdu, len, plain, sizeof(plain), NULL);
		if (p < 0) {
			fprintf(stderr, "fake-amf: uplink does not verify: %s\n", sen_strerror(p));
			return;
		}
		plen = (size_t)p;
		u->ul_count = u->sec.rx_count;
	} else {
		if (len > sizeof(plain))
			return;
		memcpy(plain, pdu, len);
	}
	if (sen_nas_decode(plain, plen, &m, &err) < 0) {
		fprintf(stderr, "fake-amf: uplink NAS: %s %s\n", err.msg, err.problem);
		return;
	}
	switch (m.type) {
	case SEN_NAS_REGISTRATION_REQUEST: {
		const struct sen_nas_registration_request *r = &m.registration_request;
		char supi[SEN_SUPI_MAX];
		if (r->mobile_id.type != SEN_NAS_ID_SUCI ||
		    sen_suci_deconceal(&r->mobile_id.suci, NULL, supi, sizeof(supi)) < 0)
			return;
		snprintf(u->supi, sizeof(u->supi), "%s", supi);
		if (!fa_rec.first_supi[0])
			snprintf(fa_rec.first_supi, sizeof(fa_rec.first_supi), "%.39s", supi);
		u->ue_ea = r->ue_sec_cap.ea;
		u->ue_ia = r->ue_sec_cap.ia;
		auth_request(u);
		break;
	}
	case SEN_NAS_AUTHENTICATION_RESPONSE: {
		uint8_t kseaf[32];
		if (!m.authentication_response.has_res ||
		    memcmp(m.authentication_response.res, u->av.xres_star, 16) != 0)
			return;
		if (sen_kdf_kseaf(u->av.kausf, u->snn, kseaf) < 0 ||
		    sen_kdf_kamf(kseaf, u->supi, (const uint8_t[]){0, 0}, 2, u->kamf) < 0)
			return;
		security_mode_command(u);
		break;
	}
	case SEN_NAS_AUTHENTICATION_FAILURE: {
		struct sen_nas_msg rej;
		fa_rec.auth_failures++;
		fa_rec.auth_failure_cause = m.authentication_failure.cause;
		sen_nas_msg_init(&rej, SEN_NAS_AUTHENTICATION_REJECT);
		dl_nas(u, &rej, 0);
		release(u, 1 /* authentication-failure */);
		break;
	}
	case SEN_NAS_SECURITY_MODE_COMPLETE:
		fa_rec.smc_completes++;
		initial_context_setup(u);
		break;
	case SEN_NAS_REGISTRATION_COMPLETE:
		fa_rec.reg_completes++;
		break;
	case SEN_NAS_UL_NAS_TRANSPORT:
		if (m.ul_nas_transport.payload_container_type != 1 ||
		    sen_nas_decode(m.ul_nas_transport.payload_container.p,
				   m.ul_nas_transport.payload_container.len, &gsm, &err) < 0)
			return;
		if (gsm.type == SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST) {
			const struct sen_nas_pdu_session_establishment_request *r =
			    &gsm.pdu_session_establishment_request;
			fa_rec.est_pdu_type = r->has_pdu_session_type ? r->pdu_session_type : 0;
			fa_rec.est_dns6 = r->has_epco &&
					  sen_nas_epco_find(&r->epco, SEN_NAS_PCO_DNS_IPV6) != NULL;
			pdu_session_setup(u, &gsm);
		} else if (gsm.type == SEN_NAS_PDU_SESSION_RELEASE_REQUEST) {
			pdu_session_release(u, &gsm);
		} else if (gsm.type == SEN_NAS_PDU_SESSION_RELEASE_COMPLETE) {
			fa_rec.rel_completes++;
			if (u->rel_pti && gsm.pti == u->rel_pti &&
			    m.ul_nas_transport.has_pdu_session_id &&
			    m.ul_nas_transport.pdu_session_id == gsm.pdu_session_id)
				fa_rec.rel_complete_pti_ok++;
			u->rel_pti = 0;
		}
		break;
	case SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG: {
		struct sen_nas_msg acc;
		fa_rec.dereg_requests++;
		sen_nas_msg_init(&acc, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
		dl_nas(u, &acc, SEN_NAS_SHT_INTEGRITY_CIPHERED);
		release(u, 2 /* deregister */);
		break;
	}
	default:
		break;
	}
}

/* ---- NGAP ------------------------------------------------------------------------------ */

static struct fa_ue *ue_find(struct sen_sctp_assoc *a, uint32_t ran_id)
{
	for (int i = 0; i < FA_MAX_UES; i++)
		if (ues[i].used && ues[i].assoc == a && ues[i].ran_id == ran_id)
			return &ues[i];
	return NULL;
}

static void ue_free(struct fa_ue *u)
{
	if (u->sec_on)
		sen_nas_sec_clear(&u->sec);
	memset(u, 0, sizeof(*u));
}

static void on_ng_setup(struct sen_sctp_assoc *a, uint16_t stream,
			const struct sen_ngap_ng_setup_request *m)
{
	fa_rec.ng_setup_stream = stream;
	if (fa_rec.ng_setups < 8)
		fa_rec.gnb_ids[fa_rec.ng_setups] =
		    (uint32_t)sen_ngap_bits_value(&m->global_ran_node_id.u.node.id.u.bits);
	fa_rec.ng_setups++;
	fa_rec.gnb_id_bits = m->global_ran_node_id.u.node.id.u.bits.nbits;
	if (m->global_ran_node_id.u.node.plmn.len == 3) {
		char mcc[4], mnc[4];
		sen_ngap_plmn_decode(m->global_ran_node_id.u.node.plmn.data, mcc, mnc);
		snprintf(fa_rec.plmn, sizeof(fa_rec.plmn), "%s-%s", mcc, mnc);
	}
	if (m->supported_ta_list.count) {
		const struct sen_ngap_ta_item *ta = &m->supported_ta_list.items[0];
		if (ta->tac.len == 3)
			fa_rec.tac = (uint32_t)ta->tac.data[0] << 16 | ta->tac.data[1] << 8 |
				     ta->tac.data[2];
		if (ta->bplmns.count) {
			const struct sen_ngap_bplmn_item *b = &ta->bplmns.items[0];
			fa_rec.n_slices = b->slices.count;
			if (b->slices.count && b->slices.items[0].snssai.sst.len == 1) {
				const struct sen_ngap_snssai *s = &b->slices.items[0].snssai;
				fa_rec.sst = s->sst.data[0];
				fa_rec.sd = s->has_sd && s->sd.len == 3
						? (uint32_t)s->sd.data[0] << 16 | s->sd.data[1] << 8 |
							  s->sd.data[2]
						: 0xffffff;
			}
		}
	}
	fa_rec.paging_drx = m->default_paging_drx;
	if (m->has_ran_node_name)
		snprintf(fa_rec.ran_node_name, sizeof(fa_rec.ran_node_name), "%.*s",
			 (int)m->ran_node_name.len, (const char *)m->ran_node_name.data);

	if (fa_opts.ng_setup_fail) {
		struct sen_ngap_setup_failure f;
		memset(&f, 0, sizeof(f));
		f.cause.present = SEN_NGAP_CAUSE_MISC;
		f.cause.u.value = SEN_NGAP_CAUSE_MISC_UNKNOWN_PLMN;
		f.has_time_to_wait = true;
		f.time_to_wait = SEN_NGAP_TTW_5S;
		send_msg(a, 0, SEN_NGAP_UNSUCCESSFUL, SEN_NGAP_PROC_NG_SETUP, &f);
		return;
	}
	static const uint8_t region = 2, set_ptr[2] = {0x00, 0x40}, pointer = 0, sst = 1;
	struct sen_ngap_ng_setup_response r;
	struct sen_ngap_served_guami_item g;
	struct sen_ngap_plmn_support_item ps;
	struct sen_ngap_slice_item slice;
	memset(&r, 0, sizeof(r));
	memset(&g, 0, sizeof(g));
	memset(&ps, 0, sizeof(ps));
	memset(&slice, 0, sizeof(slice));
	g.guami.plmn = (struct sen_asn_octets){plmn, 3};
	g.guami.region = (struct sen_asn_bits){&region, 8};
	g.guami.set = (struct sen_asn_bits){set_ptr, 10};
	g.guami.pointer = (struct sen_asn_bits){&pointer, 6};
	slice.snssai.sst = (struct sen_asn_octets){&sst, 1};
	ps.plmn = (struct sen_asn_octets){plmn, 3};
	ps.slices.items = &slice;
	ps.slices.count = 1;
	r.amf_name = (struct sen_asn_octets){(const uint8_t *)"fake-amf", 8};
	r.served_guami_list.items = &g;
	r.served_guami_list.count = 1;
	r.relative_amf_capacity = 255;
	r.plmn_support_list.items = &ps;
	r.plmn_support_list.count = 1;
	send_msg(a, 0, SEN_NGAP_SUCCESSFUL, SEN_NGAP_PROC_NG_SETUP, &r);
	if (fa_opts.unknown_ue_dl) {
		struct sen_ngap_downlink_nas_transport dl;
		static const uint8_t junk[] = {0x7e, 0x00, 0x5b, 0x01};
		memset(&dl, 0, sizeof(dl));
		dl.amf_ue_ngap_id = 77;
		dl.ran_ue_ngap_id = 999999;
		dl.nas_pdu = (struct sen_asn_octets){junk, sizeof(junk)};
		send_msg(a, 1, SEN_NGAP_INITIATING, SEN_NGAP_PROC_DOWNLINK_NAS_TRANSPORT, &dl);
	}
}

static void on_initial_ue(struct sen_sctp_assoc *a, uint16_t stream,
			  const struct sen_ngap_initial_ue_message *m)
{
	struct fa_ue *u = NULL;
	struct sen_nas_msg nas;
	struct sen_nas_error err;

	fa_rec.initial_ue++;
	if (stream == 0)
		fa_rec.iue_on_stream0 = true;
	else if (stream < 32)
		fa_rec.streams_seen |= 1u << stream;
	fa_rec.rrc_cause = m->rrc_establishment_cause;
	if (m->uli.present == SEN_NGAP_ULI_NR) {
		fa_rec.nci = sen_ngap_bits_value(&m->uli.u.nr.cgi.cell_id);
		const struct sen_asn_octets *t = &m->uli.u.nr.tai.tac;
		if (t->len == 3)
			fa_rec.uli_tac = (uint32_t)t->data[0] << 16 | t->data[1] << 8 | t->data[2];
	}
	if (m->ran_ue_ngap_id > fa_rec.max_ran_id)
		fa_rec.max_ran_id = m->ran_ue_ngap_id;
	fa_rec.nas_is_registration_request =
	    sen_nas_decode(m->nas_pdu.data, m->nas_pdu.len, &nas, &err) >= 0 &&
	    nas.type == SEN_NAS_REGISTRATION_REQUEST;
	for (int i = 0; i < FA_MAX_UES && !u; i++)
		if (!ues[i].used)
			u = &ues[i];
	if (!u)
		return;
	memset(u, 0, sizeof(*u));
	u->used = true;
	u->assoc = a;
	u->ran_id = m->ran_ue_ngap_id;
	u->amf_id = 1000 + (uint64_t)(u - ues);
	u->stream = stream;
	sen_kdf_snn("999", "70", u->snn, sizeof(u->snn));
	ul_nas(u, m->nas_pdu.data, m->nas_pdu.len);
}

static void on_pdu(struct sen_sctp_assoc *a, uint16_t stream, const struct sen_ngap_pdu *pdu)
{
	const void *v = pdu->msg.value.value;
	unsigned proc = pdu->msg.procedure_code;
	struct fa_ue *u;

	if (!v)
		return;
	if (pdu->present == SEN_NGAP_INITIATING) {
		switch (proc) {
		case SEN_NGAP_PROC_NG_SETUP:
			on_ng_setup(a, stream, v);
			break;
		case SEN_NGAP_PROC_INITIAL_UE_MESSAGE:
			on_initial_ue(a, stream, v);
			break;
		case SEN_NGAP_PROC_UPLINK_NAS_TRANSPORT: {
			const struct sen_ngap_uplink_nas_transport *m = v;
			if ((u = ue_find(a, m->ran_ue_ngap_id)) && m->amf_ue_ngap_id == u->amf_id)
				ul_nas(u, m->nas_pdu.data, m->nas_pdu.len);
			break;
		}
		case SEN_NGAP_PROC_ERROR_INDICATION: {
			const struct sen_ngap_error_indication *m = v;
			fa_rec.error_indications++;
			fa_rec.last_ei_cause_kind = m->has_cause ? m->cause.present : 99;
			fa_rec.last_ei_cause = m->has_cause ? m->cause.u.value : 99;
			break;
		}
		}
		return;
	}
	if (pdu->present == SEN_NGAP_SUCCESSFUL && proc == SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP) {
		const struct sen_ngap_initial_context_setup_response *m = v;
		if ((u = ue_find(a, m->ran_ue_ngap_id)) && m->amf_ue_ngap_id == u->amf_id)
			fa_rec.ics_responses++;
	} else if (pdu->present == SEN_NGAP_UNSUCCESSFUL &&
		   proc == SEN_NGAP_PROC_INITIAL_CONTEXT_SETUP) {
		const struct sen_ngap_initial_context_setup_failure *m = v;
		fa_rec.ics_failures++;
		if ((u = ue_find(a, m->ran_ue_ngap_id)))
			release(u, 3 /* unspecified */);
	} else if (pdu->present == SEN_NGAP_SUCCESSFUL &&
		   proc == SEN_NGAP_PROC_PDU_SESSION_RESOURCE_SETUP) {
		const struct sen_ngap_pdu_session_resource_setup_response *m = v;
		struct sen_ngap_setup_response_transfer t;
		struct sen_asn_arena ar;
		struct sen_asn_ctx ctx;
		uint8_t mem[4096];
		u = ue_find(a, m->ran_ue_ngap_id);
		if (!u || !m->has_setup_list || m->setup_list.count != 1)
			return;
		sen_asn_arena_init(&ar, mem, sizeof(mem), 1 << 16);
		sen_asn_ctx_init(&ctx, &ar, 0);
		const struct sen_asn_octets *tr = &m->setup_list.items[0].transfer;
		if (sen_ngap_transfer_decode(&sen_ngap_setup_response_transfer_type, &t, tr->data,
					     tr->len, &ctx) >= 0) {
			const struct sen_ngap_gtp_tunnel *g = &t.dl_qos_flow_per_tnl.tnl.u.gtp;
			if (g->addr.nbits == 32 && g->teid.len == 4 &&
			    memcmp(g->addr.data, (uint8_t[]){127, 0, 0, 1}, 4) == 0 &&
			    t.dl_qos_flow_per_tnl.flows.count == 1 &&
			    t.dl_qos_flow_per_tnl.flows.items[0].qfi == 1) {
				u->dl_teid = (uint32_t)g->teid.data[0] << 24 |
					     (uint32_t)g->teid.data[1] << 16 |
					     (uint32_t)g->teid.data[2] << 8 | g->teid.data[3];
				u->has_dl_teid = true;
				fa_rec.psr_responses++;
				size_t pl = u->pending_len;
				u->pending_len = 0;
				if (pl)
					upf_ul(upf_fd, (unsigned)(u - ues), u->pending, pl);
			}
		}
		sen_asn_arena_fini(&ar);
	} else if (pdu->present == SEN_NGAP_SUCCESSFUL &&
		   proc == SEN_NGAP_PROC_PDU_SESSION_RESOURCE_RELEASE) {
		const struct sen_ngap_pdu_session_resource_release_response *m = v;
		if ((u = ue_find(a, m->ran_ue_ngap_id)) && m->amf_ue_ngap_id == u->amf_id) {
			fa_rec.rel_responses++;
			if (m->released_list.count == 1)
				fa_rec.rel_response_psi = m->released_list.items[0].psi;
			u->has_dl_teid = false;
		}
	} else if (pdu->present == SEN_NGAP_SUCCESSFUL && proc == SEN_NGAP_PROC_UE_CONTEXT_RELEASE) {
		const struct sen_ngap_ue_context_release_complete *m = v;
		if ((u = ue_find(a, m->ran_ue_ngap_id)) && m->amf_ue_ngap_id == u->amf_id) {
			fa_rec.release_completes++;
			ue_free(u);
		}
	}
}

static void on_message(struct sen_sctp_assoc *a, uint16_t stream, uint32_t ppid,
		       const uint8_t *data, size_t len, void *arg)
{
	struct sen_asn_arena ar;
	struct sen_asn_ctx ctx;
	struct sen_ngap_pdu pdu;
	uint8_t mem[16384];

	if (ppid != SEN_SCTP_PPID_NGAP)
		return;
	sen_asn_arena_init(&ar, mem, sizeof(mem), 1 << 20);
	sen_asn_ctx_init(&ctx, &ar, 0);
	if (sen_ngap_decode(&pdu, data, len, &ctx) >= 0)
		on_pdu(a, stream, &pdu);
	else
		fprintf(stderr, "fake-amf: undecodable NGAP PDU\n");
	sen_asn_arena_fini(&ar);
}

static void on_up(struct sen_sctp_assoc *a, uint16_t in, uint16_t out, void *arg)
{
	fa_rec.assocs_up++;
}

static void on_down(struct sen_sctp_assoc *a, enum sen_sctp_down_reason r, void *arg)
{
	for (int i = 0; i < FA_MAX_UES; i++)
		if (ues[i].used && ues[i].assoc == a)
			ue_free(&ues[i]);
}

static const struct sen_sctp_callbacks cbs = {.up = on_up, .down = on_down, .message = on_message};

/* ---- fake UPF: echo responder and IPv6 router ------------------------------------------- */

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* ICMPv6 checksum (RFC 4443 2.3) of the IPv6 packet ip: pseudo-header (RFC 8200 8.1) with
 * the addresses of the header, upper-layer length plen, next header 58, then the message.
 * 0 over a message whose checksum field is right. */
static uint16_t csum6(const uint8_t *ip, size_t plen)
{
	uint8_t buf[40 + 2048];

	if (plen > 2048)
		return 0xffff;
	memcpy(buf, ip + 8, 32);
	buf[32] = (uint8_t)(plen >> 24), buf[33] = (uint8_t)(plen >> 16);
	buf[34] = (uint8_t)(plen >> 8), buf[35] = (uint8_t)plen;
	buf[36] = buf[37] = buf[38] = 0, buf[39] = 58;
	memcpy(buf + 40, ip + 40, plen);
	return csum(buf, 40 + plen);
}

/* G-PDU encapsulation for UE idx's DL TEID, sent to the gNB: ip[len] must have 32 octets of
 * headroom. */
static bool send_dl(int fd, unsigned idx, uint8_t *ip, size_t len)
{
	uint8_t *h = sen_gtpu_push_gpdu(ip, 32, len, ues[idx].dl_teid, SEN_GTPU_PSC_DL, 1, false);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(gnb_gtpu),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	return h && sendto(fd, h, (size_t)(ip + len - h), 0, (struct sockaddr *)&to,
			   sizeof(to)) > 0;
}

static void echo_reply(int fd, unsigned idx, const uint8_t *req, size_t len)
{
	uint8_t buf[64 + 2048];
	uint8_t *ip = buf + 32;

	memcpy(ip, req, len);
	/* echo reply: swap the addresses, type 0, checksums again (RFC 792) */
	uint8_t tmp[4];
	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	ip[10] = ip[11] = 0;
	uint16_t c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8), ip[11] = (uint8_t)c;
	ip[20] = 0;
	ip[22] = ip[23] = 0;
	c = csum(ip + 20, len - 20);
	ip[22] = (uint8_t)(c >> 8), ip[23] = (uint8_t)c;
	if (send_dl(fd, idx, ip, len))
		fa_rec.upf_echo_replies++;
}

/* The Router Advertisement of kind k (enum fa_ra_kind) to fe80::IID of UE idx. */
static void send_ra(int fd, unsigned idx, enum fa_ra_kind k)
{
	static const uint8_t router_ll[16] = {0xfe, 0x80, [15] = 0x01};
	static const uint8_t global[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
	uint8_t buf[32 + 40 + 64] = {0};
	uint8_t *ip = buf + 32, *m = ip + 40;
	size_t plen = 16;

	/* RFC 4861 4.2: type 134, code 0, cur hop limit 64, router lifetime 1800 s */
	m[0] = 134;
	m[1] = k == FA_RA_CODE_1 ? 1 : 0;
	m[4] = 64;
	m[6] = 0x07, m[7] = 0x08;
	if (k != FA_RA_NO_PREFIX) {
		/* 4.6.2 Prefix Information: length 4, prefix length, L|A, lifetimes, prefix */
		uint8_t *o = m + plen;
		o[0] = 3, o[1] = 4;
		o[2] = k == FA_RA_PREFIX_48 ? 48 : 64;
		o[3] = 0xc0;
		memset(o + 4, 0xff, 8);
		memcpy(o + 16, ra_prefix, 8);
		plen += 32;
	}
	/* 4.6.4 MTU option after the prefix, so that a UE that took the prefix and then
	   stopped at a bad option is caught: length 1 (8 octets); 0 for FA_RA_ZERO_LEN_OPT;
	   2 (16 octets) with 8 present for FA_RA_TRUNC_OPT */
	m[plen] = 5;
	m[plen + 1] = k == FA_RA_ZERO_LEN_OPT ? 0 : k == FA_RA_TRUNC_OPT ? 2 : 1;
	m[plen + 6] = 0x05, m[plen + 7] = 0x78; /* 1400 */
	plen += 8;
	ip[0] = 0x60;
	ip[4] = (uint8_t)(plen >> 8), ip[5] = (uint8_t)plen;
	ip[6] = 58;
	ip[7] = k == FA_RA_HOP_LIMIT ? 64 : 255;
	memcpy(ip + 8, k == FA_RA_GLOBAL_SRC ? global : router_ll, 16);
	ip[24] = 0xfe, ip[25] = 0x80;
	fa_iid(idx, ip + 32);
	uint16_t c = csum6(ip, plen);
	if (k == FA_RA_BAD_CSUM)
		c ^= 0x0101;
	m[2] = (uint8_t)(c >> 8), m[3] = (uint8_t)c;
	if (send_dl(fd, idx, ip, 40 + plen))
		fa_rec.ra_sent++;
}

/* An IPv6 packet from UE idx: Router Solicitation or ICMPv6 echo request. */
static void upf_ul6(int fd, unsigned idx, const uint8_t *ip, size_t len)
{
	static const uint8_t all_routers[16] = {0xff, 0x02, [15] = 0x02};
	size_t plen = len >= 40 ? (size_t)ip[4] << 8 | ip[5] : 0;
	uint8_t ll[16] = {0xfe, 0x80}, addr[16];

	if (len < 48 || ip[6] != 58 || plen < 8 || plen != len - 40 || csum6(ip, plen) != 0) {
		fa_rec.upf_bad++;
		return;
	}
	const uint8_t *m = ip + 40;
	fa_iid(idx, ll + 8);
	if (m[0] == 133) {
		/* RFC 4861 4.1 / 6.1.1: from fe80::IID to ff02::2, hop limit 255, code 0, no
		   options (no link-layer address on a PDU session) */
		if (ip[7] == 255 && m[1] == 0 && plen == 8 && !memcmp(ip + 8, ll, 16) &&
		    !memcmp(ip + 24, all_routers, 16))
			fa_rec.rs_ok++;
		else {
			fa_rec.rs_bad++;
			return;
		}
		send_ra(fd, idx, fa_opts.ra_variants ? (enum fa_ra_kind)(idx % FA_RA_N)
						     : FA_RA_GOOD);
		return;
	}
	memcpy(addr, ra_prefix, 8);
	fa_iid(idx, addr + 8);
	if (m[0] != 128 || m[1] != 0 || memcmp(ip + 8, addr, 16) != 0) {
		fa_rec.upf_bad++;
		return;
	}
	fa_rec.echo6_requests++;
	if (fa_opts.upf_drop)
		return;
	/* RFC 4443 4.2: echo reply, addresses swapped, checksum again */
	uint8_t buf[32 + 2048];
	uint8_t *r = buf + 32;
	memcpy(r, ip, len);
	memcpy(r + 8, ip + 24, 16);
	memcpy(r + 24, ip + 8, 16);
	r[7] = 64;
	r[40] = 129;
	r[42] = r[43] = 0;
	uint16_t c = csum6(r, plen);
	r[42] = (uint8_t)(c >> 8), r[43] = (uint8_t)c;
	if (send_dl(fd, idx, r, len))
		fa_rec.echo6_replies++;
}

/* An uplink packet of UE idx, whose DL tunnel is known. */
static void upf_ul(int fd, unsigned idx, const uint8_t *ip, size_t len)
{
	if (len >= 1 && (ip[0] >> 4) == 6) {
		upf_ul6(fd, idx, ip, len);
		return;
	}
	if (len < 28 || (ip[0] >> 4) != 4 || ip[9] != 1 || ip[20] != 8) {
		fa_rec.upf_bad++;
		return;
	}
	fa_rec.upf_echo_requests++;
	if (!fa_opts.upf_drop)
		echo_reply(fd, idx, ip, len);
}

static void on_upf(struct sen_loop *l, int fd, unsigned events, void *arg)
{
	uint8_t buf[64 + 2048];
	uint8_t *pkt = buf + 64;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd, pkt, 2048, 0, (struct sockaddr *)&from, &fl);
	struct sen_gtpu_gpdu g;

	if (n <= 0)
		return;
	if (sen_gtpu_parse_gpdu(pkt, (size_t)n, &g) < 0) {
		fa_rec.upf_bad++;
		return;
	}
	unsigned idx = g.teid - UL_TEID_BASE;
	fa_rec.upf_teid_ok = idx < FA_MAX_UES && ues[idx].used;
	fa_rec.upf_qfi_ok = g.has_psc && g.qfi == 1;
	uint8_t *ip = pkt + g.payload_off;
	size_t len = g.payload_len;
	if (!fa_rec.upf_teid_ok) {
		fa_rec.upf_bad++;
		return;
	}
	/* a packet that came before the PDU Session Resource Setup Response gave the DL tunnel
	   (the gNB may send right after it): handled when the tunnel is known */
	if (!ues[idx].has_dl_teid) {
		if (len <= sizeof(ues[idx].pending)) {
			memcpy(ues[idx].pending, ip, len);
			ues[idx].pending_len = len;
		}
		return;
	}
	upf_ul(fd, idx, ip, len);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

int fa_start(struct sen_loop *l, uint16_t sctp_port, uint16_t udp_port, uint16_t upf_port,
	     uint16_t gnb_gtpu_port)
{
	struct sen_sctp_config c = {.transport = SEN_SCTP_UDP, .udp_local_port = udp_port,
				    .streams = 16};
	loop = l;
	gnb_gtpu = gnb_gtpu_port;
	if (sen_sctp_endpoint_new(&ep, loop, &c, &cbs, NULL) < 0 ||
	    sen_sctp_listen(ep, "127.0.0.1", sctp_port) < 0)
		return -1;
	upf_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(upf_port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (upf_fd < 0 || bind(upf_fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	return sen_loop_fd_add(loop, upf_fd, SEN_LOOP_READ, on_upf, NULL);
}

void fa_stop(void)
{
	for (int i = 0; i < FA_MAX_UES; i++)
		if (ues[i].used)
			ue_free(&ues[i]);
	sen_sctp_close(ep);
	ep = NULL;
	if (upf_fd >= 0) {
		sen_loop_fd_del(loop, upf_fd);
		close(upf_fd);
		upf_fd = -1;
	}
}

void fa_reset(const struct fa_opts *o)
{
	for (int i = 0; i < FA_MAX_UES; i++)
		if (ues[i].used)
			ue_free(&ues[i]);
	memset(&fa_rec, 0, sizeof(fa_rec));
	fa_opts = o ? *o : (struct fa_opts){0};
}
