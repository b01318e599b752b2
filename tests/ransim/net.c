/*
 * The scripted network of the sen-ransim UE tests (see net.h): 5G AKA vectors from
 * crypto/aka.h, the key hierarchy from crypto/kdf.h, SUCI de-concealment, NAS security from
 * nas/sec.h, messages from nas/nas.h. Every step asserts what TS 24.501 / TS 33.501 say
 * the UE must have sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net.h"

#include "core/err.h"
#include "crypto/kdf.h"
#include "crypto/nxa.h"

#include <stdio.h>
#include <string.h>

const uint8_t net_k[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
			   0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
const uint8_t net_opc[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e,
			     0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf};

void net_ue_config(struct sen_ue_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->supi = NET_SUPI;
	cfg->mcc = "999";
	cfg->mnc = "70";
	memcpy(cfg->k, net_k, 16);
	memcpy(cfg->op, net_opc, 16);
	cfg->op_is_opc = true;
	cfg->amf[0] = 0x80;
	cfg->suci_scheme = SEN_SUCI_NULL;
	cfg->imeisv = "3569380356438091";
	cfg->requested_nssai.n = 1;
	cfg->requested_nssai.s[0] = (struct sen_nas_snssai){.len = 4, .sst = 1, .sd = 0x000001};
	cfg->dnn = "internet";
}

void net_init(struct net *n, struct sen_ue *ue)
{
	memset(n, 0, sizeof(*n));
	n->ue = ue;
	strcpy(n->supi, NET_SUPI);
	assert_true(sen_kdf_snn("999", "70", n->snn, sizeof(n->snn)) > 0);
	memcpy(n->k, net_k, 16);
	memcpy(n->opc, net_opc, 16);
	n->amf[0] = 0x80;
	n->ngksi = 0;
}

void net_free(struct net *n)
{
	if (n->sec_on)
		sen_nas_sec_clear(&n->sec);
	sen_hn_key_free(n->hn_key);
	sen_ue_free(n->ue);
	memset(n, 0, sizeof(*n));
}

int net_recv(struct net *n)
{
	struct sen_nas_error err;
	int len = sen_ue_uplink_pop(n->ue, n->ul, sizeof(n->ul), &n->ul_flags);

	assert_true(len >= 0);
	if (len == 0)
		return 0;
	n->ul_len = (size_t)len;
	assert_true(len >= 3);
	n->ul_sht = n->ul[0] == SEN_NAS_EPD_5GMM ? n->ul[1] & 0x0f : 0;
	if (n->ul_sht) {
		assert_true(n->sec_on);
		int p = sen_nas_unprotect(&n->sec, n->ul, n->ul_len, n->ul_plain,
					  sizeof(n->ul_plain), NULL);
		if (p < 0)
			fail_msg("uplink does not unprotect: %s", sen_strerror(p));
		n->ul_plain_len = (size_t)p;
		n->ul_count = n->sec.rx_count;
	} else {
		memcpy(n->ul_plain, n->ul, n->ul_len);
		n->ul_plain_len = n->ul_len;
	}
	int rc = sen_nas_decode(n->ul_plain, n->ul_plain_len, &n->m, &err);
	if (rc < 0)
		fail_msg("uplink does not decode: %s %s %s", err.msg, err.ie, err.problem);
	return n->m.type;
}

void net_expect(struct net *n, uint8_t type)
{
	int t = net_recv(n);

	if (t != type)
		fail_msg("expected uplink %s, got %s",
			 sen_nas_msg_name(type >= 0xc0 ? 0x2e : 0x7e, type),
			 t ? sen_nas_msg_name(n->m.epd, (uint8_t)t) : "nothing");
}

void net_expect_none(struct net *n)
{
	int t = net_recv(n);

	if (t)
		fail_msg("unexpected uplink %s", sen_nas_msg_name(n->m.epd, (uint8_t)t));
}

int net_send_raw(struct net *n, const uint8_t *dl, size_t len)
{
	return sen_ue_deliver(n->ue, dl, len);
}

int net_send(struct net *n, const struct sen_nas_msg *m, uint8_t sht)
{
	uint8_t plain[2048];
	int len = sen_nas_encode(m, plain, sizeof(plain));

	assert_true(len > 0);
	if (!sht) {
		memcpy(n->dl, plain, (size_t)len);
		n->dl_len = (size_t)len;
	} else {
		assert_true(n->sec_on);
		int p = sen_nas_protect(&n->sec, sht, plain, (size_t)len, n->dl, sizeof(n->dl));
		assert_true(p > 0);
		n->dl_len = (size_t)p;
	}
	return sen_ue_deliver(n->ue, n->dl, n->dl_len);
}

int net_auth_request(struct net *n)
{
	struct sen_nas_msg m;
	uint8_t rand[16], sqn[6];

	n->sqn = ((n->sqn >> 5) + 1) << 5; /* TS 33.102 C.3: SEQ + 1, IND 0 */
	for (int i = 0; i < 16; i++)
		rand[i] = (uint8_t)(0x23 * i + (n->sqn >> 5));
	sen_aka_sqn_put(n->sqn, sqn);
	assert_int_equal(sen_aka_he_av(n->k, n->opc, rand, sqn, n->amf, n->snn, &n->av), 0);
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_REQUEST);
	m.authentication_request.ngksi = n->ngksi;
	m.authentication_request.abba = (struct sen_nas_abba){2, {0x00, 0x00}};
	m.authentication_request.has_rand = m.authentication_request.has_autn = true;
	memcpy(m.authentication_request.rand, n->av.rand, 16);
	memcpy(m.authentication_request.autn, n->av.autn, 16);
	return net_send(n, &m, n->sec_on ? SEN_NAS_SHT_INTEGRITY_CIPHERED : 0);
}

void net_auth_check(struct net *n)
{
	uint8_t kseaf[32];

	assert_int_equal(n->m.type, SEN_NAS_AUTHENTICATION_RESPONSE);
	assert_true(n->m.authentication_response.has_res);
	assert_memory_equal(n->m.authentication_response.res, n->av.xres_star, 16);
	assert_int_equal(sen_kdf_kseaf(n->av.kausf, n->snn, kseaf), 0);
	assert_int_equal(sen_kdf_kamf(kseaf, n->supi, (const uint8_t[]){0, 0}, 2, n->kamf), 0);
	n->have_kamf = true;
}

int net_smc(struct net *n, uint8_t ia, uint8_t ea, uint8_t cap_ea, uint8_t cap_ia)
{
	struct sen_nas_msg m;
	struct sen_nas_security_mode_command *c = &m.security_mode_command;

	if (n->sec_on)
		sen_nas_sec_clear(&n->sec);
	assert_int_equal(
	    sen_nas_sec_init_kamf(&n->sec, n->kamf, ia, ea, SEN_NAS_ACCESS_3GPP, false), 0);
	n->sec_on = true;
	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMMAND);
	c->algs = (uint8_t)(ea << 4 | ia);
	c->ngksi = n->ngksi;
	c->replayed_ue_sec_cap = (struct sen_nas_ue_sec_cap){.len = 2, .ea = cap_ea, .ia = cap_ia};
	c->has_imeisv_request = true;
	c->imeisv_request = 1;
	return net_send(n, &m, SEN_NAS_SHT_INTEGRITY_NEW_CTX);
}

int net_registration_accept(struct net *n)
{
	struct sen_nas_msg m;
	struct sen_nas_registration_accept *a = &m.registration_accept;

	sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_ACCEPT);
	a->result = 0x01;
	a->has_guti = true;
	a->guti.type = SEN_NAS_ID_GUTI;
	strcpy(a->guti.guti.plmn.mcc, "999");
	strcpy(a->guti.guti.plmn.mnc, "70");
	a->guti.guti.amf_region_id = 2;
	a->guti.guti.amf_set_id = 1;
	a->guti.guti.amf_pointer = 0;
	a->guti.guti.tmsi = 0xc0ffee01;
	a->has_tai_list = true;
	a->tai_list.n = 1;
	a->tai_list.list[0].type = 0;
	a->tai_list.list[0].n = 1;
	a->tai_list.list[0].tai[0] = (struct sen_nas_tai){{"999", "70"}, 1};
	a->has_allowed_nssai = true;
	a->allowed_nssai.n = 1;
	a->allowed_nssai.s[0] = (struct sen_nas_snssai){.len = 4, .sst = 1, .sd = 1};
	return net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED);
}

static void check_suci(struct net *n, const struct sen_nas_mobile_id *id)
{
	char supi[SEN_SUPI_MAX];

	assert_int_equal(id->type, SEN_NAS_ID_SUCI);
	assert_int_equal(sen_suci_deconceal(&id->suci, n->hn_key, supi, sizeof(supi)), 0);
	assert_string_equal(supi, n->supi);
}

void net_register_after_request(struct net *n)
{
	struct sen_nas_msg inner;
	struct sen_nas_error err;
	uint8_t ea, ia;

	/* Registration request: cleartext IEs only (TS 24.501 4.4.6), SUCI, plain, initial */
	assert_int_equal(n->m.type, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(n->ul_sht, 0);
	assert_true(n->ul_flags & SEN_UE_UL_INITIAL);
	const struct sen_nas_registration_request *r = &n->m.registration_request;
	assert_int_equal(r->reg_type & 7, 1);
	assert_int_equal(r->ngksi, 7);
	assert_false(r->has_requested_nssai);
	assert_true(r->has_ue_sec_cap);
	ea = r->ue_sec_cap.ea;
	ia = r->ue_sec_cap.ia;
	check_suci(n, &r->mobile_id);

	/* 5G AKA */
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_RESPONSE);
	assert_false(n->ul_flags & SEN_UE_UL_INITIAL);
	net_auth_check(n);

	/* Security mode: NIA2 / NEA2 */
	assert_int_equal(net_smc(n, 2, 2, ea, ia), 0);
	net_expect(n, SEN_NAS_SECURITY_MODE_COMPLETE);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY_CIPHERED_NEW_CTX);
	const struct sen_nas_security_mode_complete *c = &n->m.security_mode_complete;
	assert_true(c->has_imeisv);
	assert_int_equal(c->imeisv.type, SEN_NAS_ID_IMEISV);
	assert_string_equal(c->imeisv.digits, "3569380356438091");
	assert_true(c->has_nas_container);
	assert_int_equal(sen_nas_decode(c->nas_container.p, c->nas_container.len, &inner, &err), 0);
	assert_int_equal(inner.type, SEN_NAS_REGISTRATION_REQUEST);
	assert_true(inner.registration_request.has_requested_nssai);
	assert_int_equal(inner.registration_request.requested_nssai.s[0].sst, 1);

	/* Registration accept -> complete */
	assert_int_equal(net_registration_accept(n), 0);
	net_expect(n, SEN_NAS_REGISTRATION_COMPLETE);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY_CIPHERED);
	net_event(n, SEN_UE_EV_REGISTERED);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_REGISTERED);
}

void net_register(struct net *n)
{
	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	net_register_after_request(n);
}

int net_send_gsm(struct net *n, const struct sen_nas_msg *gsm, uint8_t psi)
{
	uint8_t buf[1024];
	struct sen_nas_msg m;
	int len = sen_nas_encode(gsm, buf, sizeof(buf));

	assert_true(len > 0);
	sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
	m.dl_nas_transport.payload_container_type = 1;
	m.dl_nas_transport.payload_container = (struct sen_nas_bytes){buf, (size_t)len};
	m.dl_nas_transport.has_pdu_session_id = true;
	m.dl_nas_transport.pdu_session_id = psi;
	return net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED);
}

struct sen_ue_event net_event(struct net *n, enum sen_ue_event_type type)
{
	struct sen_ue_event ev;

	if (!sen_ue_event_pop(n->ue, &ev))
		fail_msg("expected event '%s', got none", sen_ue_event_name(type));
	if (ev.type != type)
		fail_msg("expected event '%s', got '%s'", sen_ue_event_name(type),
			 sen_ue_event_name(ev.type));
	return ev;
}

void net_no_event(struct net *n)
{
	struct sen_ue_event ev;

	if (sen_ue_event_pop(n->ue, &ev))
		fail_msg("unexpected event '%s'", sen_ue_event_name(ev.type));
}
