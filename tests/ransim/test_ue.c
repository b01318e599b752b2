/*
 * Tests of the sen-ransim UE NAS engine (tools/ransim/ue.h) against the scripted network of
 * net.c: registration with null-scheme, Profile A and Profile B SUCIs; 5G AKA failures
 * (#20 MAC, #21 synch with AUTS and re-synchronisation, #26 non-5G, #71 ngKSI in use);
 * Security Mode Command checks (bad MAC, capability mismatch, IA0); integrity rules after
 * security (unprotected, replayed, bad MAC downlinks dropped); Registration Reject; PDU
 * sessions (IPv4, IPv6 and IPv4v6 PDU addresses, #50 / #51, malformed addresses, UE-requested
 * release with Release Command and Release Reject); de-registration both ways;
 * identification; re-registration with a 5G-GUTI and a ciphered NAS message container;
 * service request; timers with and without a loop; clause 7 answers (5GMM STATUS #96 / #97
 * / #98); KgNB equal on both sides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net.h"

#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "crypto/kdf.h"
#include "crypto/nxa.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

static struct net *new_net(struct sen_ue_config *cfg)
{
	struct net *n = calloc(1, sizeof(*n));
	struct sen_ue *ue = NULL;

	assert_non_null(n);
	assert_int_equal(sen_ue_new(cfg, &ue), 0);
	net_init(n, ue);
	return n;
}

static struct net *new_default(void)
{
	struct sen_ue_config cfg;

	net_ue_config(&cfg);
	return new_net(&cfg);
}

static void free_net(struct net *n)
{
	net_free(n);
	free(n);
}

/* A registered UE with its network. */
static struct net *registered(void)
{
	struct net *n = new_default();

	net_register(n);
	net_no_event(n);
	return n;
}

/* ---- registration with each SUCI protection scheme ---- */

static void check_kgnb(struct net *n)
{
	uint8_t kgnb_ue[32], kgnb_net[32];
	uint32_t count;

	/* the AMF derives KgNB with the UL NAS COUNT of the last uplink it received (A.9) */
	assert_int_equal(sen_ue_last_ul_count(n->ue, &count), 0);
	assert_int_equal(count, n->ul_count);
	assert_int_equal(sen_ue_kgnb(n->ue, count, kgnb_ue), 0);
	assert_int_equal(sen_kdf_kgnb(n->kamf, n->ul_count, SEN_KDF_ACCESS_3GPP, kgnb_net), 0);
	assert_memory_equal(kgnb_ue, kgnb_net, 32);
	/* and a different COUNT gives a different key */
	assert_int_equal(sen_ue_kgnb(n->ue, count + 1, kgnb_ue), 0);
	assert_memory_not_equal(kgnb_ue, kgnb_net, 32);
}

static void test_register_null_scheme(void **state)
{
	struct net *n = registered();
	struct sen_nas_guti g;
	uint8_t ngksi;

	assert_true(sen_ue_guti(n->ue, &g));
	assert_int_equal(g.tmsi, 0xc0ffee01);
	assert_true(sen_ue_security(n->ue, &ngksi));
	assert_int_equal(ngksi, 0);
	check_kgnb(n);
	free_net(n);
}

static void register_profile(int scheme)
{
	struct sen_ue_config cfg;
	uint8_t priv[32], pub[65];
	struct sen_hn_key *key = NULL;
	int len;

	/* a fresh home network key pair: any 32 random octets are a valid private key */
	do {
		assert_int_equal(RAND_bytes(priv, 32), 1);
	} while (sen_hn_key_from_bytes(scheme, priv, 32, &key) < 0);
	len = sen_hn_key_public(key, pub, sizeof(pub));
	assert_int_equal(len, scheme == SEN_SUCI_PROFILE_A ? 32 : 33);
	net_ue_config(&cfg);
	cfg.suci_scheme = (uint8_t)scheme;
	cfg.hn_key_id = 3;
	cfg.hn_pub = pub;
	cfg.hn_pub_len = (size_t)len;
	cfg.routing_indicator = "12";
	struct net *n = new_net(&cfg);
	n->hn_key = key;

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	const struct sen_suci *s = &n->m.registration_request.mobile_id.suci;
	assert_int_equal(s->scheme, scheme);
	assert_int_equal(s->hn_key_id, 3);
	assert_string_equal(s->routing, "12");
	net_register_after_request(n); /* de-conceals with the private key */
	check_kgnb(n);
	free_net(n);
}

static void test_register_profile_a(void **state)
{
	register_profile(SEN_SUCI_PROFILE_A);
}

static void test_register_profile_b(void **state)
{
	register_profile(SEN_SUCI_PROFILE_B);
}

/* ---- 5G AKA failures ---- */

static void test_auth_mac_failure(void **state)
{
	struct net *n = new_default();

	n->k[0] ^= 0x01; /* the network holds the wrong K */
	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_FAILURE);
	assert_int_equal(n->m.authentication_failure.cause, 20);
	assert_false(n->m.authentication_failure.has_auts);
	assert_int_equal(net_event(n, SEN_UE_EV_AUTH_FAILED).cause, 20);
	assert_false(sen_ue_security(n->ue, NULL));
	/* the network gives up: Authentication Reject, sent plain */
	struct sen_nas_msg m;
	sen_nas_msg_init(&m, SEN_NAS_AUTHENTICATION_REJECT);
	assert_int_equal(net_send(n, &m, 0), 0);
	net_event(n, SEN_UE_EV_AUTH_REJECTED);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
	free_net(n);
}

static void test_auth_sync_failure(void **state)
{
	struct sen_ue_config cfg;
	uint8_t sqn_ms[6];

	net_ue_config(&cfg);
	cfg.sqn = 1000u << 5; /* the USIM is ahead of the network */
	struct net *n = new_net(&cfg);
	n->sqn = 7u << 5;

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_FAILURE);
	assert_int_equal(n->m.authentication_failure.cause, 21);
	assert_true(n->m.authentication_failure.has_auts);
	assert_int_equal(net_event(n, SEN_UE_EV_AUTH_FAILED).cause, 21);

	/* the UDM recovers SQN_MS from AUTS (TS 33.102 6.3.5) and re-challenges */
	assert_int_equal(
	    sen_aka_resync(n->k, n->opc, n->av.rand, n->m.authentication_failure.auts, sqn_ms), 0);
	assert_int_equal(sen_aka_sqn_get(sqn_ms), 1000u << 5);
	n->sqn = sen_aka_sqn_get(sqn_ms);
	n->ngksi = 1;
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_RESPONSE);
	net_auth_check(n);
	assert_int_equal(net_smc(n, 2, 2, 0xf0, 0x70), 0);
	net_expect(n, SEN_NAS_SECURITY_MODE_COMPLETE);
	assert_int_equal(net_registration_accept(n), 0);
	net_expect(n, SEN_NAS_REGISTRATION_COMPLETE);
	net_event(n, SEN_UE_EV_REGISTERED);

	/* the same vector again is not fresh any more */
	struct net *n2 = new_net(&cfg);
	n2->sqn = (1000u << 5) - 32; /* next vector: SEQ 1000 == SEQ_MS */
	assert_int_equal(sen_ue_register(n2->ue), 0);
	net_expect(n2, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n2), 0);
	net_expect(n2, SEN_NAS_AUTHENTICATION_FAILURE);
	assert_int_equal(n2->m.authentication_failure.cause, 21);
	free_net(n2);
	free_net(n);
}

static void test_auth_sqn_delta(void **state)
{
	struct net *n = new_default();

	/* TS 33.102 C.2.2: a SEQ more than 2^28 ahead of the highest accepted is refused */
	n->sqn = ((uint64_t)1 << 28) << 5;
	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_FAILURE);
	assert_int_equal(n->m.authentication_failure.cause, 21);
	free_net(n);
}

static void test_auth_non_5g(void **state)
{
	struct net *n = new_default();

	n->amf[0] = 0x00; /* AMF separation bit 0 */
	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_FAILURE);
	assert_int_equal(n->m.authentication_failure.cause, 26);
	free_net(n);
}

static void test_auth_repeated_and_ngksi(void **state)
{
	struct net *n = new_default();
	uint8_t res1[16];

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_RESPONSE);
	memcpy(res1, n->m.authentication_response.res, 16);
	/* the network repeats the same challenge: the same RES*, no synch failure */
	assert_int_equal(net_send_raw(n, n->dl, n->dl_len), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_RESPONSE);
	assert_memory_equal(n->m.authentication_response.res, res1, 16);
	net_auth_check(n);
	assert_int_equal(net_smc(n, 2, 2, 0xf0, 0x70), 0);
	net_expect(n, SEN_NAS_SECURITY_MODE_COMPLETE);
	assert_int_equal(net_registration_accept(n), 0);
	net_expect(n, SEN_NAS_REGISTRATION_COMPLETE);
	net_event(n, SEN_UE_EV_REGISTERED);
	/* re-authentication with the ngKSI of the current context: #71 */
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_FAILURE);
	assert_int_equal(n->m.authentication_failure.cause, 71);
	free_net(n);
}

/* ---- security mode control ---- */

static struct net *authenticated(void)
{
	struct net *n = new_default();

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_RESPONSE);
	net_auth_check(n);
	return n;
}

static void test_smc_bad_mac(void **state)
{
	struct net *n = authenticated();

	n->kamf[5] ^= 0x40; /* the network derived another KAMF */
	assert_int_equal(net_smc(n, 2, 2, 0xf0, 0x70), 0);
	/* no previous context: the reject is plain (TS 33.501 6.7.2) */
	sen_nas_sec_clear(&n->sec);
	n->sec_on = false;
	net_expect(n, SEN_NAS_SECURITY_MODE_REJECT);
	assert_int_equal(n->ul_sht, 0);
	assert_int_equal(n->m.security_mode_reject.cause, 24);
	assert_int_equal(net_event(n, SEN_UE_EV_SECURITY_MODE_REJECTED).cause, 24);
	assert_false(sen_ue_security(n->ue, NULL));
	free_net(n);
}

static void test_smc_cap_mismatch(void **state)
{
	struct net *n = authenticated();

	assert_int_equal(net_smc(n, 2, 2, 0xf0, 0x60), 0); /* IA1 bid down */
	sen_nas_sec_clear(&n->sec);
	n->sec_on = false;
	net_expect(n, SEN_NAS_SECURITY_MODE_REJECT);
	assert_int_equal(n->m.security_mode_reject.cause, 23);
	free_net(n);
}

static void test_smc_ia0_and_unknown_ngksi(void **state)
{
	struct net *n = authenticated();

	assert_int_equal(net_smc(n, 0, 0, 0xf0, 0x70), 0);
	sen_nas_sec_clear(&n->sec);
	n->sec_on = false;
	net_expect(n, SEN_NAS_SECURITY_MODE_REJECT);
	assert_int_equal(n->m.security_mode_reject.cause, 24);
	net_event(n, SEN_UE_EV_SECURITY_MODE_REJECTED);

	n->ngksi = 4; /* no key set 4 */
	assert_int_equal(net_smc(n, 2, 2, 0xf0, 0x70), 0);
	sen_nas_sec_clear(&n->sec);
	n->sec_on = false;
	net_expect(n, SEN_NAS_SECURITY_MODE_REJECT);
	assert_int_equal(n->m.security_mode_reject.cause, 24);
	free_net(n);
}

/* ---- integrity rules (TS 24.501 4.4.4.2, TS 33.501 6.4.3.2) ---- */

static void cuc(struct sen_nas_msg *m, uint32_t tmsi)
{
	sen_nas_msg_init(m, SEN_NAS_CONFIGURATION_UPDATE_COMMAND);
	m->configuration_update_command.has_indication = true;
	m->configuration_update_command.indication = 0x01; /* acknowledgement requested */
	m->configuration_update_command.has_guti = true;
	m->configuration_update_command.guti.type = SEN_NAS_ID_GUTI;
	struct sen_nas_guti *g = &m->configuration_update_command.guti.guti;
	strcpy(g->plmn.mcc, "999");
	strcpy(g->plmn.mnc, "70");
	g->amf_region_id = 2;
	g->amf_set_id = 1;
	g->tmsi = tmsi;
}

static void test_dl_after_security(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;
	struct sen_nas_guti g;
	uint8_t replay[2048];
	size_t replay_len;

	/* a protected Configuration Update Command is processed and acknowledged */
	cuc(&m, 0x11111111);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_CONFIGURATION_UPDATE_COMPLETE);
	net_event(n, SEN_UE_EV_CONFIG_UPDATED);
	assert_true(sen_ue_guti(n->ue, &g));
	assert_int_equal(g.tmsi, 0x11111111);
	memcpy(replay, n->dl, n->dl_len);
	replay_len = n->dl_len;

	/* the same octets again: replayed NAS COUNT */
	assert_int_equal(net_send_raw(n, replay, replay_len), -SEN_EEXIST);
	net_expect_none(n);
	assert_int_equal(net_event(n, SEN_UE_EV_DL_DROPPED).drop, SEN_UE_DROP_REPLAY);

	/* unprotected after security */
	cuc(&m, 0x22222222);
	assert_int_equal(net_send(n, &m, 0), -SEN_EAUTH);
	net_expect_none(n);
	assert_int_equal(net_event(n, SEN_UE_EV_DL_DROPPED).drop, SEN_UE_DROP_UNPROTECTED);
	/* even a message 4.4.4.2 allows plain before security */
	sen_nas_msg_init(&m, SEN_NAS_IDENTITY_REQUEST);
	m.identity_request.identity_type = SEN_NAS_ID_SUCI;
	assert_int_equal(net_send(n, &m, 0), -SEN_EAUTH);
	net_expect_none(n);
	net_event(n, SEN_UE_EV_DL_DROPPED);

	/* a wrong MAC */
	cuc(&m, 0x33333333);
	int len = sen_nas_encode(&m, replay, sizeof(replay));
	uint8_t prot[2048];
	int p = sen_nas_protect(&n->sec, SEN_NAS_SHT_INTEGRITY_CIPHERED, replay, (size_t)len, prot,
				sizeof(prot));
	assert_true(p > 0);
	prot[3] ^= 0x01;
	assert_int_equal(net_send_raw(n, prot, (size_t)p), -SEN_EAUTH);
	net_expect_none(n);
	assert_int_equal(net_event(n, SEN_UE_EV_DL_DROPPED).drop, SEN_UE_DROP_MAC);
	assert_true(sen_ue_guti(n->ue, &g));
	assert_int_equal(g.tmsi, 0x11111111);

	/* and the context still works for the next genuine message */
	cuc(&m, 0x44444444);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_CONFIGURATION_UPDATE_COMPLETE);
	assert_true(sen_ue_guti(n->ue, &g));
	assert_int_equal(g.tmsi, 0x44444444);
	free_net(n);
}

static void test_plain_before_security(void **state)
{
	struct net *n = authenticated();
	struct sen_nas_msg m;

	/* Registration Accept is not among the messages 4.4.4.2 allows unprotected */
	sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_ACCEPT);
	m.registration_accept.result = 1;
	assert_int_equal(net_send(n, &m, 0), -SEN_EAUTH);
	net_expect_none(n);
	assert_int_equal(net_event(n, SEN_UE_EV_DL_DROPPED).drop, SEN_UE_DROP_UNPROTECTED);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_REGISTERED_INITIATED);
	/* nor an identity request for anything but the SUCI */
	sen_nas_msg_init(&m, SEN_NAS_IDENTITY_REQUEST);
	m.identity_request.identity_type = SEN_NAS_ID_IMEI;
	assert_int_equal(net_send(n, &m, 0), -SEN_EAUTH);
	net_expect_none(n);
	free_net(n);
}

/* ---- registration reject, identification ---- */

static void test_registration_reject_7(void **state)
{
	struct net *n = new_default();
	struct sen_nas_msg m;

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3510, 0));
	sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_REJECT);
	m.registration_reject.cause = 7;
	assert_int_equal(net_send(n, &m, 0), 0);
	assert_int_equal(net_event(n, SEN_UE_EV_REJECTED).cause, 7);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3510, 0));
	assert_false(sen_ue_guti(n->ue, NULL));
	net_expect_none(n);
	free_net(n);
}

static void test_reject_76_needs_protection(void **state)
{
	struct net *n = new_default();
	struct sen_nas_msg m;

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_REJECT);
	m.registration_reject.cause = 76; /* 4.4.4.2: not processed unprotected */
	assert_int_equal(net_send(n, &m, 0), -SEN_EAUTH);
	net_event(n, SEN_UE_EV_DL_DROPPED);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_REGISTERED_INITIATED);
	free_net(n);
}

static void test_identity_request(void **state)
{
	struct net *n = new_default();
	struct sen_nas_msg m;

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	sen_nas_msg_init(&m, SEN_NAS_IDENTITY_REQUEST);
	m.identity_request.identity_type = SEN_NAS_ID_SUCI;
	assert_int_equal(net_send(n, &m, 0), 0);
	net_expect(n, SEN_NAS_IDENTITY_RESPONSE);
	assert_int_equal(n->ul_sht, 0);
	char supi[SEN_SUPI_MAX];
	assert_int_equal(n->m.identity_response.mobile_id.type, SEN_NAS_ID_SUCI);
	assert_int_equal(
	    sen_suci_deconceal(&n->m.identity_response.mobile_id.suci, NULL, supi, sizeof(supi)),
	    0);
	assert_string_equal(supi, NET_SUPI);
	/* after security, the IMEI can be asked for (protected) */
	assert_int_equal(net_auth_request(n), 0);
	net_expect(n, SEN_NAS_AUTHENTICATION_RESPONSE);
	net_auth_check(n);
	assert_int_equal(net_smc(n, 1, 1, 0xf0, 0x70), 0); /* SNOW 3G this time */
	net_expect(n, SEN_NAS_SECURITY_MODE_COMPLETE);
	sen_nas_msg_init(&m, SEN_NAS_IDENTITY_REQUEST);
	m.identity_request.identity_type = SEN_NAS_ID_IMEI;
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_IDENTITY_RESPONSE);
	assert_int_equal(n->m.identity_response.mobile_id.type, SEN_NAS_ID_IMEI);
	assert_string_equal(n->m.identity_response.mobile_id.digits, "356938035643809");
	free_net(n);
}

/* ---- PDU sessions ---- */

static void est_accept(struct sen_nas_msg *m, uint8_t psi, uint8_t pti)
{
	static const uint8_t pf_all[] = {0x01};
	struct sen_nas_pdu_session_establishment_accept *a = &m->pdu_session_establishment_accept;

	sen_nas_msg_init(m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_ACCEPT);
	m->pdu_session_id = psi;
	m->pti = pti;
	a->pdu_session_type = SEN_NAS_PDU_IPV4;
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
	a->ambr = (struct sen_nas_ambr){6, 100, 6, 50};
	a->has_pdu_address = true;
	a->pdu_address.type = SEN_NAS_PDU_IPV4;
	memcpy(a->pdu_address.ipv4, (uint8_t[]){10, 45, 0, 2}, 4);
}

/* Establish PSI 5 and return the PTI the UE used. */
static uint8_t establish(struct net *n)
{
	struct sen_nas_msg gsm;
	struct sen_nas_error err;

	assert_int_equal(sen_ue_pdu_session_establish(n->ue, 5, NULL, NULL), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY_CIPHERED);
	const struct sen_nas_ul_nas_transport *t = &n->m.ul_nas_transport;
	assert_int_equal(t->payload_container_type, 1);
	assert_true(t->has_pdu_session_id && t->pdu_session_id == 5);
	assert_true(t->has_request_type && t->request_type == 1);
	assert_true(t->has_dnn);
	assert_string_equal(t->dnn.name, "internet");
	assert_true(t->has_snssai && t->snssai.sst == 1 && t->snssai.sd == 1);
	assert_int_equal(
	    sen_nas_decode(t->payload_container.p, t->payload_container.len, &gsm, &err), 0);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
	assert_int_equal(gsm.pdu_session_id, 5);
	assert_true(gsm.pti >= 1 && gsm.pti <= 254);
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3580, 5));
	return gsm.pti;
}

static void test_pdu_session_accept(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;
	struct sen_ue_session_info info;
	uint8_t pti = establish(n);

	assert_int_equal(sen_ue_pdu_session_establish(n->ue, 5, NULL, NULL), -SEN_EEXIST);
	/* an accept with another PTI: 5GSM STATUS #47, nothing established */
	est_accept(&m, 5, (uint8_t)(pti + 1));
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	net_no_event(n);

	est_accept(&m, 5, pti);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(ev.psi, 5);
	assert_memory_equal(ev.ipv4, ((uint8_t[]){10, 45, 0, 2}), 4);
	assert_int_equal(ev.qfi, 1);
	assert_int_equal(ev.ambr.dl, 100);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3580, 5));
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_ACTIVE);
	assert_string_equal(info.dnn, "internet");
	net_expect_none(n);

	/* network-requested release (PTI 0) -> Release Complete */
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_RELEASE_COMMAND);
	m.pdu_session_id = 5;
	m.gsm.cause = 39; /* reactivation requested */
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	struct sen_nas_msg gsm;
	assert_int_equal(sen_nas_decode(n->m.ul_nas_transport.payload_container.p,
					n->m.ul_nas_transport.payload_container.len, &gsm, NULL),
			 0);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
	assert_int_equal(net_event(n, SEN_UE_EV_SESSION_RELEASED).cause, 39);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_INACTIVE);
	free_net(n);
}

static void test_pdu_session_reject(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;
	uint8_t pti = establish(n);

	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REJECT);
	m.pdu_session_id = 5;
	m.pti = pti;
	m.pdu_session_establishment_reject.cause = 27; /* missing or unknown DNN */
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_REJECTED);
	assert_int_equal(ev.cause, 27);
	assert_false(ev.mm_cause);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3580, 5));
	net_expect_none(n);
	free_net(n);
}

static void test_pdu_session_ue_release(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m, gsm;
	uint8_t pti = establish(n);

	est_accept(&m, 5, pti);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(sen_ue_pdu_session_release(n->ue, 6), -SEN_ENOENT);
	assert_int_equal(sen_ue_pdu_session_release(n->ue, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	assert_int_equal(sen_nas_decode(n->m.ul_nas_transport.payload_container.p,
					n->m.ul_nas_transport.payload_container.len, &gsm, NULL),
			 0);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_REQUEST);
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_RELEASE_COMMAND);
	m.pdu_session_id = 5;
	m.pti = gsm.pti;
	m.gsm.cause = 36;
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	assert_int_equal(net_event(n, SEN_UE_EV_SESSION_RELEASED).cause, 36);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	free_net(n);
}

static void test_pdu_session_not_forwarded(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;

	establish(n);
	/* 5.4.5.3.3: the AMF returns the message with 5GMM cause #91 */
	sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
	m.dl_nas_transport.payload_container_type = 1;
	m.dl_nas_transport.payload_container = n->m.ul_nas_transport.payload_container;
	m.dl_nas_transport.has_pdu_session_id = true;
	m.dl_nas_transport.pdu_session_id = 5;
	m.dl_nas_transport.has_cause = true;
	m.dl_nas_transport.cause = 91;
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_REJECTED);
	assert_int_equal(ev.cause, 91);
	assert_true(ev.mm_cause);
	free_net(n);
}

/* ---- PDU session types, the PDU address (9.11.4.10) and UE-requested release (6.4.3) ---- */

/* A registered UE that asks for PDU session type `type` (0: the default). */
static struct net *registered_typed(uint8_t type)
{
	struct sen_ue_config cfg;

	net_ue_config(&cfg);
	cfg.pdu_type = type;
	struct net *n = new_net(&cfg);
	net_register(n);
	net_no_event(n);
	return n;
}

/* The 5GSM message of the last uplink: a UL NAS Transport with N1 SM information for psi. */
static void ul_gsm(struct net *n, uint8_t psi, struct sen_nas_msg *gsm)
{
	const struct sen_nas_ul_nas_transport *t = &n->m.ul_nas_transport;
	struct sen_nas_error err;

	assert_int_equal(n->m.type, SEN_NAS_UL_NAS_TRANSPORT);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY_CIPHERED);
	assert_int_equal(t->payload_container_type, 1);
	assert_true(t->has_pdu_session_id);
	assert_int_equal(t->pdu_session_id, psi);
	if (sen_nas_decode(t->payload_container.p, t->payload_container.len, gsm, &err) < 0)
		fail_msg("uplink 5GSM does not decode: %s %s %s", err.msg, err.ie, err.problem);
	assert_int_equal(gsm->epd, SEN_NAS_EPD_5GSM);
	assert_int_equal(gsm->pdu_session_id, psi);
}

/* Expect a 5GSM STATUS for psi with `cause` in the next uplink. */
static void expect_gsm_status(struct net *n, uint8_t psi, uint8_t cause)
{
	struct sen_nas_msg gsm;

	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	ul_gsm(n, psi, &gsm);
	assert_int_equal(gsm.type, SEN_NAS_5GSM_STATUS);
	assert_int_equal(gsm.gsm.cause, cause);
}

/* A 5GSM message given as octets, in a protected DL NAS Transport for psi. */
static int send_gsm_octets(struct net *n, const uint8_t *gsm, size_t len, uint8_t psi)
{
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
	m.dl_nas_transport.payload_container_type = 1;
	m.dl_nas_transport.payload_container = (struct sen_nas_bytes){gsm, len};
	m.dl_nas_transport.has_pdu_session_id = true;
	m.dl_nas_transport.pdu_session_id = psi;
	return net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED);
}

/*
 * A PDU Session Establishment Accept for PSI 5 with selected PDU session type `sel` and
 * 5GSM cause `cause` (0: none), whose PDU address IE is written here octet by octet
 * (IEI 0x29, length, value as TS 24.501 9.11.4.10 lays it out), not by lib/nas.
 */
static int send_accept_addr(struct net *n, uint8_t pti, uint8_t sel, uint8_t cause,
			    const uint8_t *ie, size_t ie_len)
{
	struct sen_nas_msg m;
	uint8_t buf[512];

	est_accept(&m, 5, pti);
	m.pdu_session_establishment_accept.pdu_session_type = sel;
	m.pdu_session_establishment_accept.has_pdu_address = false;
	m.pdu_session_establishment_accept.has_cause = cause != 0;
	m.pdu_session_establishment_accept.cause = cause;
	int len = sen_nas_encode(&m, buf, sizeof(buf));
	assert_true(len > 0 && (size_t)len + ie_len <= sizeof(buf));
	if (ie_len)
		memcpy(buf + len, ie, ie_len);
	return send_gsm_octets(n, buf, (size_t)len + ie_len, 5);
}

static const uint8_t iid1[8] = {0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
static const uint8_t zero8[8];

static void test_pdu_session_type_requested(void **state)
{
	static const struct {
		uint8_t cfg, sent;
		bool dns4, mtu4, dns6;
	} want[] = {
	    {0, SEN_NAS_PDU_IPV4, true, true, false},
	    {SEN_NAS_PDU_IPV4, SEN_NAS_PDU_IPV4, true, true, false},
	    {SEN_NAS_PDU_IPV6, SEN_NAS_PDU_IPV6, false, false, true},
	    {SEN_NAS_PDU_IPV4V6, SEN_NAS_PDU_IPV4V6, true, true, true},
	};
	struct sen_nas_msg gsm;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct net *n = registered_typed(want[i].cfg);
		establish(n);
		ul_gsm(n, 5, &gsm);
		const struct sen_nas_pdu_session_establishment_request *r =
		    &gsm.pdu_session_establishment_request;
		assert_true(r->has_pdu_session_type);
		assert_int_equal(r->pdu_session_type, want[i].sent);
		assert_true(r->has_ssc_mode && r->ssc_mode == 1);
		/* ePCO (TS 24.008 10.5.6.3): what the type can use */
		assert_true(r->has_epco);
		assert_int_equal(sen_nas_epco_find(&r->epco, SEN_NAS_PCO_DNS_IPV4) != NULL,
				 want[i].dns4);
		assert_int_equal(sen_nas_epco_find(&r->epco, SEN_NAS_PCO_IPV4_MTU) != NULL,
				 want[i].mtu4);
		assert_int_equal(sen_nas_epco_find(&r->epco, SEN_NAS_PCO_DNS_IPV6) != NULL,
				 want[i].dns6);
		free_net(n);
	}
	/* only the IP types can be asked for */
	struct sen_ue_config cfg;
	struct sen_ue *ue = NULL;
	net_ue_config(&cfg);
	cfg.pdu_type = SEN_NAS_PDU_UNSTRUCTURED;
	assert_int_equal(sen_ue_new(&cfg, &ue), -SEN_EINVAL);
	cfg.pdu_type = 9;
	assert_int_equal(sen_ue_new(&cfg, &ue), -SEN_EINVAL);
	assert_null(ue);
}

static void test_pdu_session_ipv6_accept(void **state)
{
	struct net *n = registered_typed(SEN_NAS_PDU_IPV6);
	struct sen_ue_session_info info;
	uint8_t pti = establish(n);
	/* 9.11.4.10: type 2 (IPv6), then the 8-octet interface identifier */
	const uint8_t ie[] = {0x29, 9, 0x02, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};

	assert_int_equal(send_accept_addr(n, pti, SEN_NAS_PDU_IPV6, 0, ie, sizeof(ie)), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(ev.psi, 5);
	assert_int_equal(ev.pdu_type, SEN_NAS_PDU_IPV6);
	assert_memory_equal(ev.ipv6_iid, iid1, 8);
	assert_memory_equal(ev.ipv4, zero8, 4);
	assert_int_equal(ev.qfi, 1);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_ACTIVE);
	assert_int_equal(info.pdu_type, SEN_NAS_PDU_IPV6);
	assert_memory_equal(info.ipv6_iid, iid1, 8);
	assert_memory_equal(info.ipv4, zero8, 4);
	assert_int_equal(info.accept_cause, 0);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3580, 5));
	net_expect_none(n);
	net_no_event(n);
	free_net(n);
}

static void test_pdu_session_ipv4v6_accept(void **state)
{
	/* IID first, then the IPv4 address; with SI6LLA (bit 4) the SMF's link-local address
	   follows and is not taken for either */
	static const uint8_t plain[] = {0x29, 13,   0x03, 0x02, 0x11, 0x22, 0xff, 0xfe,
					0x33, 0x44, 0x55, 10,   45,   0,    7};
	static const uint8_t si6lla[] = {0x29, 29,   0x0b, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33,
					 0x44, 0x55, 10,   45,   0,    7,    0xfe, 0x80, 0,
					 0,    0,    0,    0,    0,    0,    0,    0,    0,
					 0,    0,    0,    1};
	const struct {
		const uint8_t *ie;
		size_t len;
	} cases[] = {{plain, sizeof(plain)}, {si6lla, sizeof(si6lla)}};

	for (size_t i = 0; i < 2; i++) {
		struct net *n = registered_typed(SEN_NAS_PDU_IPV4V6);
		struct sen_ue_session_info info;
		uint8_t pti = establish(n);

		assert_int_equal(
		    send_accept_addr(n, pti, SEN_NAS_PDU_IPV4V6, 0, cases[i].ie, cases[i].len), 0);
		struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
		assert_int_equal(ev.pdu_type, SEN_NAS_PDU_IPV4V6);
		assert_memory_equal(ev.ipv6_iid, iid1, 8);
		assert_memory_equal(ev.ipv4, ((uint8_t[]){10, 45, 0, 7}), 4);
		assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
		assert_int_equal(info.state, SEN_UE_SM_ACTIVE);
		assert_int_equal(info.pdu_type, SEN_NAS_PDU_IPV4V6);
		assert_memory_equal(info.ipv6_iid, iid1, 8);
		assert_memory_equal(info.ipv4, ((uint8_t[]){10, 45, 0, 7}), 4);
		assert_int_equal(info.accept_cause, 0);
		net_expect_none(n);
		free_net(n);
	}
}

/* IPv4v6 asked for, one family granted: the Accept's 5GSM cause (#50 / #51, 6.4.1.3). */
static void test_pdu_session_cause_50_51(void **state)
{
	static const uint8_t v4[] = {0x29, 5, 0x01, 10, 45, 0, 9};
	static const uint8_t v6[] = {0x29, 9, 0x02, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
	struct sen_ue_session_info info;
	struct net *n = registered_typed(SEN_NAS_PDU_IPV4V6);
	uint8_t pti = establish(n);

	assert_int_equal(send_accept_addr(n, pti, SEN_NAS_PDU_IPV4, 50, v4, sizeof(v4)), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(ev.pdu_type, SEN_NAS_PDU_IPV4);
	assert_memory_equal(ev.ipv4, ((uint8_t[]){10, 45, 0, 9}), 4);
	assert_memory_equal(ev.ipv6_iid, zero8, 8);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.accept_cause, 50);
	assert_int_equal(info.pdu_type, SEN_NAS_PDU_IPV4);
	assert_memory_equal(info.ipv6_iid, zero8, 8);
	net_expect_none(n);
	free_net(n);

	n = registered_typed(SEN_NAS_PDU_IPV4V6);
	pti = establish(n);
	assert_int_equal(send_accept_addr(n, pti, SEN_NAS_PDU_IPV6, 51, v6, sizeof(v6)), 0);
	ev = net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(ev.pdu_type, SEN_NAS_PDU_IPV6);
	assert_memory_equal(ev.ipv6_iid, iid1, 8);
	assert_memory_equal(ev.ipv4, zero8, 4);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.accept_cause, 51);
	free_net(n);
}

/* A Release Command for PSI 5. */
static void rel_command(struct sen_nas_msg *m, uint8_t pti, uint8_t cause);

/*
 * After an Accept the UE cannot use (est_pti was the establishment's PTI): "session
 * failed" #96, no address, and a Release Request #96 (6.4.3.2) under T3582; the network's
 * Release Command ends it. Nothing of the Accept is kept.
 */
static void expect_unusable_accept(struct net *n, uint8_t est_pti, const char *what)
{
	struct sen_ue_session_info info;
	struct sen_nas_msg gsm, m;

	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_FAILED);
	if (ev.cause != 96)
		fail_msg("%s: session failed with cause %u", what, ev.cause);
	assert_int_equal(ev.psi, 5);
	assert_memory_equal(ev.ipv4, zero8, 4);
	assert_memory_equal(ev.ipv6_iid, zero8, 8);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	ul_gsm(n, 5, &gsm);
	assert_false(n->m.ul_nas_transport.has_request_type);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_REQUEST);
	assert_true(gsm.gsm.has_cause);
	assert_int_equal(gsm.gsm.cause, 96); /* invalid mandatory information */
	assert_true(gsm.pti >= 1 && gsm.pti <= 254);
	assert_int_not_equal(gsm.pti, est_pti);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3580, 5));
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_INACTIVE_PENDING);
	assert_memory_equal(info.ipv6_iid, zero8, 8);
	assert_memory_equal(info.ipv4, zero8, 4);
	assert_int_equal(sen_ue_pdu_session_release(n->ue, 5), -SEN_ENOENT);
	net_expect_none(n);
	net_no_event(n);
	/* the network releases it: Release Complete, the session is gone */
	rel_command(&m, gsm.pti, 36);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	ul_gsm(n, 5, &gsm);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
	net_event(n, SEN_UE_EV_SESSION_RELEASED);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_INACTIVE);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	net_no_event(n);
}

/*
 * Hostile PDU address IEs: too short for the type, longer than the type, an unknown type,
 * below the IE's minimum length, SI6LLA without the address, running past the end of the
 * message. lib/nas finds each syntactically incorrect and drops the optional IE (TS 24.501
 * 7.7). The Accept then has no PDU address for its IP type, which the network must include
 * (8.3.2.1): the UE has no usable session, so the step fails with #96 and the UE releases
 * the session (6.4.3.2) instead of taking an address of zeros. The same for an Accept
 * without the IE, one whose address is of another type than the selected one, and one
 * selecting a type the UE did not ask for (6.4.1.3).
 */
static void test_pdu_address_malformed(void **state)
{
	static const uint8_t bad[][32] = {
	    /* IPv6 with 4 octets */
	    {0x29, 5, 0x02, 0xaa, 0xbb, 0xcc, 0xdd},
	    /* IPv4v6 with the IID only */
	    {0x29, 9, 0x03, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22},
	    /* IPv4v6 with 12 octets and one missing */
	    {0x29, 12, 0x03, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22, 10, 45, 0},
	    /* IPv4 with 8 octets */
	    {0x29, 9, 0x01, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22},
	    /* IPv6 with 12 octets */
	    {0x29, 13, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22, 10, 45, 0, 3},
	    /* type 4 (unstructured) with 8 octets; type 0 / 7 with 12 */
	    {0x29, 9, 0x04, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22},
	    {0x29, 13, 0x00, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22, 10, 45, 0, 3},
	    {0x29, 13, 0x07, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22, 10, 45, 0, 3},
	    /* shorter than any address: 2 and 0 octets */
	    {0x29, 2, 0x01, 10},
	    {0x29, 0},
	    /* IPv4v6 with SI6LLA set and no link-local address */
	    {0x29, 13, 0x0b, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22, 10, 45, 0, 3},
	    /* the length runs past the end of the message */
	    {0x29, 30, 0x03, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22, 10, 45, 0, 3},
	};
	static const uint8_t len[] = {7, 11, 14, 11, 15, 11, 15, 15, 4, 2, 15, 15};
	_Static_assert(sizeof(len) == sizeof(bad) / sizeof(bad[0]), "one length per case");
	char what[32];

	for (size_t i = 0; i < sizeof(len); i++) {
		struct net *n = registered_typed(SEN_NAS_PDU_IPV4V6);
		uint8_t pti = establish(n);
		int rc = send_accept_addr(n, pti, SEN_NAS_PDU_IPV4V6, 0, bad[i], len[i]);

		if (rc != 0)
			fail_msg("case %zu: sen_ue_deliver %d", i, rc);
		snprintf(what, sizeof(what), "case %zu", i);
		expect_unusable_accept(n, pti, what);
		free_net(n);
	}

	/* no PDU address IE at all, for each IP type */
	for (uint8_t t = SEN_NAS_PDU_IPV4; t <= SEN_NAS_PDU_IPV4V6; t++) {
		struct net *n = registered_typed(t);
		uint8_t pti = establish(n);

		assert_int_equal(send_accept_addr(n, pti, t, 0, NULL, 0), 0);
		snprintf(what, sizeof(what), "no IE, type %u", t);
		expect_unusable_accept(n, pti, what);
		free_net(n);
	}

	/* well-formed addresses of another type than the selected one: no IID (or IPv4
	   address) is invented */
	static const uint8_t v4[] = {0x29, 5, 0x01, 10, 45, 0, 9};
	static const uint8_t v6[] = {0x29, 9, 0x02, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55};
	static const uint8_t v4v6[] = {0x29, 13,   0x03, 0x02, 0x11, 0x22, 0xff, 0xfe,
				       0x33, 0x44, 0x55, 10,   45,   0,    7};
	static const struct {
		uint8_t asked, sel;
		const uint8_t *ie;
		size_t len;
	} other[] = {
	    {SEN_NAS_PDU_IPV6, SEN_NAS_PDU_IPV6, v4, sizeof(v4)},
	    {SEN_NAS_PDU_IPV4, SEN_NAS_PDU_IPV4, v6, sizeof(v6)},
	    {SEN_NAS_PDU_IPV4V6, SEN_NAS_PDU_IPV4V6, v4, sizeof(v4)},
	    {SEN_NAS_PDU_IPV4V6, SEN_NAS_PDU_IPV4, v4v6, sizeof(v4v6)},
	    /* a selected type the UE did not ask for, with a matching address */
	    {SEN_NAS_PDU_IPV4, SEN_NAS_PDU_IPV6, v6, sizeof(v6)},
	    {SEN_NAS_PDU_IPV6, SEN_NAS_PDU_IPV4, v4, sizeof(v4)},
	    {SEN_NAS_PDU_IPV4, SEN_NAS_PDU_IPV4V6, v4v6, sizeof(v4v6)},
	};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		struct net *n = registered_typed(other[i].asked);
		uint8_t pti = establish(n);

		assert_int_equal(
		    send_accept_addr(n, pti, other[i].sel, 0, other[i].ie, other[i].len), 0);
		snprintf(what, sizeof(what), "other type %zu", i);
		expect_unusable_accept(n, pti, what);
		free_net(n);
	}
}

/* A Release Command for PSI 5. */
static void rel_command(struct sen_nas_msg *m, uint8_t pti, uint8_t cause)
{
	sen_nas_msg_init(m, SEN_NAS_PDU_SESSION_RELEASE_COMMAND);
	m->pdu_session_id = 5;
	m->pti = pti;
	m->gsm.cause = cause;
}

/* Ask to release PSI 5; returns the PTI of the Release Request (checked). */
static uint8_t release_request(struct net *n, uint8_t est_pti)
{
	struct sen_nas_msg gsm;

	assert_int_equal(sen_ue_pdu_session_release(n->ue, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	ul_gsm(n, 5, &gsm);
	assert_false(n->m.ul_nas_transport.has_request_type);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_REQUEST);
	assert_true(gsm.gsm.has_cause);
	assert_int_equal(gsm.gsm.cause, 36); /* regular deactivation */
	assert_true(gsm.pti >= 1 && gsm.pti <= 254);
	assert_int_not_equal(gsm.pti, est_pti); /* a new transaction */
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	return gsm.pti;
}

/* UE-requested release (6.4.3.2, 6.4.3.3): Release Request -> Command -> Complete. */
static void test_pdu_session_release_command(void **state)
{
	static const uint8_t ie[] = {0x29, 13,	 0x03, 0x02, 0x11, 0x22, 0xff, 0xfe,
				     0x33, 0x44, 0x55, 10,   45,   0,	 7};
	struct net *n = registered_typed(SEN_NAS_PDU_IPV4V6);
	struct sen_ue_session_info info;
	struct sen_nas_msg m, gsm;
	uint8_t pti = establish(n);

	assert_int_equal(send_accept_addr(n, pti, SEN_NAS_PDU_IPV4V6, 0, ie, sizeof(ie)), 0);
	net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(sen_ue_pdu_session_release(n->ue, 0), -SEN_EINVAL);
	assert_int_equal(sen_ue_pdu_session_release(n->ue, 16), -SEN_EINVAL);
	uint8_t rel = release_request(n, pti);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_INACTIVE_PENDING);
	assert_int_equal(sen_ue_pdu_session_release(n->ue, 5), -SEN_ENOENT);

	/* 6.4.3.6: T3582 runs out: the same request again, same transaction */
	assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3582, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	ul_gsm(n, 5, &gsm);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_REQUEST);
	assert_int_equal(gsm.pti, rel);

	/* a command for another transaction: 5GSM STATUS #47, still pending */
	rel_command(&m, (uint8_t)(rel + 1), 36);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	expect_gsm_status(n, 5, 47);
	net_no_event(n);
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));

	/* the answer: Release Complete with the command's PTI */
	rel_command(&m, rel, 36);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	ul_gsm(n, 5, &gsm);
	assert_false(n->m.ul_nas_transport.has_request_type);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
	assert_int_equal(gsm.pti, rel);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_RELEASED);
	assert_int_equal(ev.psi, 5);
	assert_int_equal(ev.cause, 36);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_INACTIVE);
	assert_memory_equal(info.ipv6_iid, zero8, 8); /* forgotten with the session */
	assert_memory_equal(info.ipv4, zero8, 4);
	net_expect_none(n);
	net_no_event(n);

	/* the command again: the session is inactive now (#43) */
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	expect_gsm_status(n, 5, 43);
	net_no_event(n);
	free_net(n);
}

/* 6.4.3.4: PDU Session Release Reject: T3582 stops, the session stays active. */
static void test_pdu_session_release_reject(void **state)
{
	struct net *n = registered();
	struct sen_ue_session_info info;
	struct sen_nas_msg m;
	uint8_t pti = establish(n);

	est_accept(&m, 5, pti);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);

	/* a reject with no release in progress: not compatible with the state (#98) */
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_RELEASE_REJECT);
	m.pdu_session_id = 5;
	m.pti = 77;
	m.gsm.cause = 35;
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	expect_gsm_status(n, 5, 98);
	net_no_event(n);

	uint8_t rel = release_request(n, pti);
	/* another transaction's reject: #47, still pending */
	m.pti = (uint8_t)(rel + 1);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	expect_gsm_status(n, 5, 47);
	net_no_event(n);
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_INACTIVE_PENDING);

	m.pti = rel;
	m.gsm.cause = 35; /* PTI already in use */
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_SESSION_RELEASE_REJECTED);
	assert_int_equal(ev.psi, 5);
	assert_int_equal(ev.cause, 35);
	assert_false(ev.mm_cause);
	assert_string_equal(sen_ue_event_name(ev.type), "session release rejected");
	net_expect_none(n);
	net_no_event(n);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3582, 5));
	assert_int_equal(sen_ue_session(n->ue, 5, &info), 0);
	assert_int_equal(info.state, SEN_UE_SM_ACTIVE);
	assert_memory_equal(info.ipv4, ((uint8_t[]){10, 45, 0, 2}), 4);

	/* the session is still there: released with a new transaction */
	uint8_t rel2 = release_request(n, pti);
	assert_int_not_equal(rel2, rel);
	rel_command(&m, rel2, 36);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	struct sen_nas_msg gsm;
	ul_gsm(n, 5, &gsm);
	assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_RELEASE_COMPLETE);
	assert_int_equal(net_event(n, SEN_UE_EV_SESSION_RELEASED).cause, 36);
	free_net(n);
}

/* ---- de-registration ---- */

static void test_dereg_ue_normal(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;

	assert_int_equal(sen_ue_deregister(n->ue, false), 0);
	net_expect(n, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY_CIPHERED);
	const struct sen_nas_deregistration_request_ue_orig *d =
	    &n->m.deregistration_request_ue_orig;
	assert_int_equal(d->dereg_type, 0x01);
	assert_int_equal(d->ngksi, 0);
	assert_int_equal(d->mobile_id.type, SEN_NAS_ID_GUTI);
	assert_int_equal(d->mobile_id.guti.tmsi, 0xc0ffee01);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED_INITIATED);
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3521, 0));
	assert_int_equal(sen_ue_deregister(n->ue, false), -SEN_EINVAL);
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_DEREGISTERED);
	assert_false(ev.switch_off);
	assert_false(ev.by_network);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3521, 0));
	free_net(n);
}

static void test_dereg_ue_switch_off(void **state)
{
	struct net *n = registered();
	uint8_t pti = establish(n);
	struct sen_nas_msg m;

	est_accept(&m, 5, pti);
	assert_int_equal(net_send_gsm(n, &m, 5), 0);
	net_event(n, SEN_UE_EV_SESSION_ESTABLISHED);
	assert_int_equal(sen_ue_deregister(n->ue, true), 0);
	net_expect(n, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	assert_int_equal(n->m.deregistration_request_ue_orig.dereg_type, 0x09);
	/* the session goes with the registration; de-registered at once */
	assert_int_equal(net_event(n, SEN_UE_EV_SESSION_RELEASED).psi, 5);
	assert_true(net_event(n, SEN_UE_EV_DEREGISTERED).switch_off);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3521, 0));
	free_net(n);
}

static void test_dereg_network(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;

	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_REQUEST_UE_TERM);
	m.deregistration_request_ue_term.dereg_type = 0x05; /* re-registration required, 3GPP */
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_DEREGISTRATION_ACCEPT_UE_TERM);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY_CIPHERED);
	struct sen_ue_event ev = net_event(n, SEN_UE_EV_DEREGISTERED);
	assert_true(ev.by_network);
	assert_true(ev.reregistration_required);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
	/* not registered any more: a Configuration Update Command is out of place (#98) */
	cuc(&m, 1);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_5GMM_STATUS);
	assert_int_equal(n->m.gmm_status.cause, 98);
	free_net(n);
}

/* ---- re-registration with the 5G-GUTI and a ciphered NAS message container (4.4.6) ---- */

static void test_reregister_with_guti(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m, inner;
	uint8_t full[512];

	assert_int_equal(sen_ue_deregister(n->ue, false), 0);
	net_expect(n, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_event(n, SEN_UE_EV_DEREGISTERED);
	sen_ue_conn_release(n->ue);
	assert_false(sen_ue_connected(n->ue));

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_true(n->ul_flags & SEN_UE_UL_INITIAL);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY);
	const struct sen_nas_registration_request *r = &n->m.registration_request;
	assert_int_equal(r->ngksi, 0);
	assert_int_equal(r->mobile_id.type, SEN_NAS_ID_GUTI);
	assert_false(r->has_requested_nssai);
	assert_true(r->has_nas_container);
	/* decipher the container with the COUNT of the message that carried it */
	assert_int_equal(sen_nea_apply(n->sec.nea, n->ul_count, n->sec.bearer, SEN_NAS_DIR_UPLINK,
				       r->nas_container.p, full, r->nas_container.len * 8),
			 0);
	assert_int_equal(sen_nas_decode(full, r->nas_container.len, &inner, NULL), 0);
	assert_int_equal(inner.type, SEN_NAS_REGISTRATION_REQUEST);
	assert_true(inner.registration_request.has_requested_nssai);
	assert_int_equal(inner.registration_request.mobile_id.type, SEN_NAS_ID_GUTI);

	/* the AMF keeps the context: Registration Accept straight away */
	assert_int_equal(net_registration_accept(n), 0);
	net_expect(n, SEN_NAS_REGISTRATION_COMPLETE);
	net_event(n, SEN_UE_EV_REGISTERED);
	check_kgnb(n);
	free_net(n);
}

/* ---- service request (5.6.1) ---- */

static void test_service_request(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;

	assert_int_equal(sen_ue_service_request(n->ue, 1), -SEN_EINVAL); /* still connected */
	sen_ue_conn_release(n->ue);
	assert_int_equal(sen_ue_service_request(n->ue, 1), 0);
	net_expect(n, SEN_NAS_SERVICE_REQUEST);
	assert_true(n->ul_flags & SEN_UE_UL_INITIAL);
	assert_int_equal(n->ul_sht, SEN_NAS_SHT_INTEGRITY);
	assert_int_equal(n->m.service_request.s_tmsi.type, SEN_NAS_ID_S_TMSI);
	assert_int_equal(n->m.service_request.s_tmsi.guti.tmsi, 0xc0ffee01);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_SERVICE_REQUEST_INITIATED);
	sen_nas_msg_init(&m, SEN_NAS_SERVICE_ACCEPT);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_event(n, SEN_UE_EV_SERVICE_ACCEPTED);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_REGISTERED);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3517, 0));
	free_net(n);
}

/* ---- timers ---- */

static void test_t3510_attempts(void **state)
{
	struct net *n = new_default();

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	for (int i = 1; i < 5; i++) {
		assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3510, 0), 0);
		assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
		assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3511, 0));
		net_expect_none(n);
		assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3511, 0), 0);
		net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
		assert_true(n->ul_flags & SEN_UE_UL_INITIAL); /* a new connection each time */
	}
	net_no_event(n);
	assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3510, 0), 0);
	net_event(n, SEN_UE_EV_REGISTRATION_FAILED);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3511, 0));
	assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3511, 0), -SEN_ENOENT);
	net_expect_none(n);
	free_net(n);
}

static void test_t3580_t3521_retransmissions(void **state)
{
	struct net *n = registered();
	uint8_t pti = establish(n);

	for (int i = 0; i < 4; i++) {
		assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3580, 5), 0);
		net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
		struct sen_nas_msg gsm;
		assert_int_equal(sen_nas_decode(n->m.ul_nas_transport.payload_container.p,
						n->m.ul_nas_transport.payload_container.len, &gsm,
						NULL),
				 0);
		assert_int_equal(gsm.type, SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST);
		assert_int_equal(gsm.pti, pti); /* the same transaction */
	}
	assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3580, 5), 0);
	net_expect_none(n);
	assert_int_equal(net_event(n, SEN_UE_EV_SESSION_FAILED).psi, 5);

	assert_int_equal(sen_ue_deregister(n->ue, false), 0);
	net_expect(n, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3521, 0), 0);
		net_expect(n, SEN_NAS_DEREGISTRATION_REQUEST_UE_ORIG);
	}
	assert_int_equal(sen_ue_timer_expire(n->ue, SEN_UE_T3521, 0), 0);
	net_expect_none(n);
	net_event(n, SEN_UE_EV_DEREGISTERED);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_DEREGISTERED);
	free_net(n);
}

static void test_timers_on_loop(void **state)
{
	struct sen_loop *loop;
	struct sen_ue_config cfg;

	assert_int_equal(sen_loop_new(&loop), 0);
	net_ue_config(&cfg);
	cfg.loop = loop;
	cfg.timer_ms[SEN_UE_T3510] = 20;
	cfg.timer_ms[SEN_UE_T3511] = 10;
	struct net *n = new_net(&cfg);

	assert_int_equal(sen_ue_register(n->ue), 0);
	net_expect(n, SEN_NAS_REGISTRATION_REQUEST);
	assert_true(sen_ue_timer_running(n->ue, SEN_UE_T3510, 0));
	uint64_t start = sen_loop_update_now(loop);
	int got = 0;
	while (!got && sen_loop_update_now(loop) - start < 2000) {
		assert_true(sen_loop_run_once(loop, 50) >= 0);
		got = net_recv(n);
	}
	assert_int_equal(got, SEN_NAS_REGISTRATION_REQUEST);
	assert_true(sen_loop_update_now(loop) - start >= 30);
	/* answered in time: registration goes on and T3510 stops with the accept */
	net_register_after_request(n);
	assert_false(sen_ue_timer_running(n->ue, SEN_UE_T3510, 0));
	assert_int_equal(sen_loop_timer_count(loop), 0);
	free_net(n); /* stops the UE's timers */
	sen_loop_free(loop);
}

/* ---- clause 7: malformed and unexpected downlinks ---- */

static void test_bad_downlinks(void **state)
{
	struct net *n = registered();
	struct sen_nas_msg m;
	uint8_t plain[64], prot[128];
	int p;

	/* too short, another EPD, a bad security header type: ignored */
	assert_int_equal(net_send_raw(n, (const uint8_t[]){0x7e, 0x00}, 2), -SEN_EPROTO);
	assert_int_equal(net_send_raw(n, (const uint8_t[]){0x2e, 0x05, 0x00, 0xc2}, 4),
			 -SEN_EPROTO);
	assert_int_equal(
	    net_send_raw(n, (const uint8_t[]){0x7e, 0x07, 0, 0, 0, 0, 0, 0x7e, 0, 0x54}, 10),
	    -SEN_EPROTO);
	net_expect_none(n);
	while (sen_ue_event_pop(n->ue, &(struct sen_ue_event){0}))
		;

	/* protected, unknown message type: 5GMM STATUS #97 */
	static const uint8_t unknown[] = {0x7e, 0x00, 0x7f};
	p = sen_nas_protect(&n->sec, SEN_NAS_SHT_INTEGRITY_CIPHERED, unknown, sizeof(unknown), prot,
			    sizeof(prot));
	assert_int_equal(net_send_raw(n, prot, (size_t)p), 0);
	net_expect(n, SEN_NAS_5GMM_STATUS);
	assert_int_equal(n->m.gmm_status.cause, 97);

	/* protected, an uplink-only message type: #97 too */
	sen_nas_msg_init(&m, SEN_NAS_REGISTRATION_COMPLETE);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_5GMM_STATUS);
	assert_int_equal(n->m.gmm_status.cause, 97);

	/* protected Authentication Request cut inside a mandatory IE: #96 */
	net_auth_request(n); /* consumes a DL COUNT; the UE answers #71 (same ngKSI) */
	net_expect(n, SEN_NAS_AUTHENTICATION_FAILURE);
	net_event(n, SEN_UE_EV_AUTH_FAILED);
	static const uint8_t cut[] = {0x7e, 0x00, 0x56, 0x01, 0x02};
	p = sen_nas_protect(&n->sec, SEN_NAS_SHT_INTEGRITY_CIPHERED, cut, sizeof(cut), prot,
			    sizeof(prot));
	assert_int_equal(net_send_raw(n, prot, (size_t)p), 0);
	net_expect(n, SEN_NAS_5GMM_STATUS);
	assert_int_equal(n->m.gmm_status.cause, 96);

	/* a message the state does not expect: #98 */
	sen_nas_msg_init(&m, SEN_NAS_DEREGISTRATION_ACCEPT_UE_ORIG);
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), 0);
	net_expect(n, SEN_NAS_5GMM_STATUS);
	assert_int_equal(n->m.gmm_status.cause, 98);

	/* a Security Mode Command without header type 3 is not taken */
	sen_nas_msg_init(&m, SEN_NAS_SECURITY_MODE_COMMAND);
	m.security_mode_command.algs = 0x22;
	m.security_mode_command.replayed_ue_sec_cap =
	    (struct sen_nas_ue_sec_cap){.len = 2, .ea = 0xf0, .ia = 0x70};
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), -SEN_EPROTO);
	net_expect_none(n);

	/* a 5GSM message for an inactive session: 5GSM STATUS #43 */
	sen_nas_msg_init(&m, SEN_NAS_PDU_SESSION_MODIFICATION_COMMAND);
	m.pdu_session_id = 9;
	assert_int_equal(net_send_gsm(n, &m, 9), 0);
	net_expect(n, SEN_NAS_UL_NAS_TRANSPORT);
	struct sen_nas_msg gsm;
	assert_int_equal(sen_nas_decode(n->m.ul_nas_transport.payload_container.p,
					n->m.ul_nas_transport.payload_container.len, &gsm, NULL),
			 0);
	assert_int_equal(gsm.type, SEN_NAS_5GSM_STATUS);
	assert_int_equal(gsm.gsm.cause, 43);

	/* garbage payload in DL NAS transport: not a 5GSM message, ignored */
	sen_nas_msg_init(&m, SEN_NAS_DL_NAS_TRANSPORT);
	m.dl_nas_transport.payload_container_type = 1;
	m.dl_nas_transport.payload_container = (struct sen_nas_bytes){plain, 1};
	plain[0] = 0xff;
	m.dl_nas_transport.has_pdu_session_id = true;
	m.dl_nas_transport.pdu_session_id = 5;
	assert_int_equal(net_send(n, &m, SEN_NAS_SHT_INTEGRITY_CIPHERED), -SEN_EPROTO);
	net_expect_none(n);
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_REGISTERED);
	free_net(n);
}

/* Random downlinks before and after security never crash the UE. */
static void test_random_downlinks(void **state)
{
	struct net *n = registered();
	uint8_t buf[300], ul[2048];

	for (int i = 0; i < 3000; i++) {
		size_t len = (size_t)(i % 299) + 1;
		assert_int_equal(RAND_bytes(buf, (int)len), 1);
		if (i % 3 == 0)
			buf[0] = 0x7e;
		if (i % 6 == 0 && len > 1)
			buf[1] = 0x00;
		sen_ue_deliver(n->ue, buf, len);
		while (sen_ue_uplink_pop(n->ue, ul, sizeof(ul), NULL) > 0)
			;
		while (sen_ue_event_pop(n->ue, &(struct sen_ue_event){0}))
			;
	}
	assert_int_equal(sen_ue_mm_state(n->ue), SEN_UE_MM_REGISTERED);
	free_net(n);

	/* before security: random bodies behind the message types processed plain */
	static const uint8_t types[] = {0x56, 0x5b, 0x44, 0x58, 0x46, 0x4d, 0x5a, 0x64};
	for (int i = 0; i < 3000; i++) {
		if (i % 300 == 0) {
			if (i)
				free_net(n);
			n = new_default();
			assert_int_equal(sen_ue_register(n->ue), 0);
		}
		size_t len = (size_t)(i % 60) + 3;
		assert_int_equal(RAND_bytes(buf, (int)len), 1);
		buf[0] = 0x7e;
		buf[1] = 0x00;
		buf[2] = types[i % sizeof(types)];
		sen_ue_deliver(n->ue, buf, len);
		while (sen_ue_uplink_pop(n->ue, ul, sizeof(ul), NULL) > 0)
			;
		while (sen_ue_event_pop(n->ue, &(struct sen_ue_event){0}))
			;
	}
	free_net(n);
}

static void test_bad_config(void **state)
{
	struct sen_ue_config cfg;
	struct sen_ue *ue = NULL;

	net_ue_config(&cfg);
	cfg.supi = "imsi-001010000000001"; /* not in the home PLMN */
	assert_int_equal(sen_ue_new(&cfg, &ue), -SEN_EINVAL);
	net_ue_config(&cfg);
	cfg.supi = "imsi-99970";
	assert_int_equal(sen_ue_new(&cfg, &ue), -SEN_EINVAL);
	net_ue_config(&cfg);
	cfg.suci_scheme = SEN_SUCI_PROFILE_A; /* no home network key */
	assert_int_equal(sen_ue_new(&cfg, &ue), -SEN_EINVAL);
	net_ue_config(&cfg);
	cfg.imeisv = "12345";
	assert_int_equal(sen_ue_new(&cfg, &ue), -SEN_EINVAL);
	net_ue_config(&cfg);
	cfg.op_is_opc = false; /* OP given: OPc derived, so this is another subscriber */
	assert_int_equal(sen_ue_new(&cfg, &ue), 0);
	assert_string_equal(sen_ue_supi(ue), NET_SUPI);
	assert_int_equal(sen_ue_deregister(ue, true), -SEN_EINVAL);
	assert_int_equal(sen_ue_pdu_session_establish(ue, 1, NULL, NULL), -SEN_EINVAL);
	sen_ue_free(ue);
	assert_null(ue = NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_register_null_scheme),
	    cmocka_unit_test(test_register_profile_a),
	    cmocka_unit_test(test_register_profile_b),
	    cmocka_unit_test(test_auth_mac_failure),
	    cmocka_unit_test(test_auth_sync_failure),
	    cmocka_unit_test(test_auth_sqn_delta),
	    cmocka_unit_test(test_auth_non_5g),
	    cmocka_unit_test(test_auth_repeated_and_ngksi),
	    cmocka_unit_test(test_smc_bad_mac),
	    cmocka_unit_test(test_smc_cap_mismatch),
	    cmocka_unit_test(test_smc_ia0_and_unknown_ngksi),
	    cmocka_unit_test(test_dl_after_security),
	    cmocka_unit_test(test_plain_before_security),
	    cmocka_unit_test(test_registration_reject_7),
	    cmocka_unit_test(test_reject_76_needs_protection),
	    cmocka_unit_test(test_identity_request),
	    cmocka_unit_test(test_pdu_session_accept),
	    cmocka_unit_test(test_pdu_session_reject),
	    cmocka_unit_test(test_pdu_session_ue_release),
	    cmocka_unit_test(test_pdu_session_not_forwarded),
	    cmocka_unit_test(test_pdu_session_type_requested),
	    cmocka_unit_test(test_pdu_session_ipv6_accept),
	    cmocka_unit_test(test_pdu_session_ipv4v6_accept),
	    cmocka_unit_test(test_pdu_session_cause_50_51),
	    cmocka_unit_test(test_pdu_address_malformed),
	    cmocka_unit_test(test_pdu_session_release_command),
	    cmocka_unit_test(test_pdu_session_release_reject),
	    cmocka_unit_test(test_dereg_ue_normal),
	    cmocka_unit_test(test_dereg_ue_switch_off),
	    cmocka_unit_test(test_dereg_network),
	    cmocka_unit_test(test_reregister_with_guti),
	    cmocka_unit_test(test_service_request),
	    cmocka_unit_test(test_t3510_attempts),
	    cmocka_unit_test(test_t3580_t3521_retransmissions),
	    cmocka_unit_test(test_timers_on_loop),
	    cmocka_unit_test(test_bad_downlinks),
	    cmocka_unit_test(test_random_downlinks),
	    cmocka_unit_test(test_bad_config),
	};

	sen_log_set_level(getenv("SEN_UE_LOG") ? SEN_LOG_DEBUG : SEN_LOG_OFF);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
