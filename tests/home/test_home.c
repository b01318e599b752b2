/*
 * The home network in one process: sen-udm and sen-ausf modules (src/udm, src/ausf) and an
 * in-memory UDR (fake_udr.c) on one loop, reached over lib/sbi's local transport, with this
 * test playing the AMF/SEAF (TS 33.501 6.1.3.2) and the UE (USIM arithmetic of lib/crypto).
 *
 * Cases: full 5G AKA with a SUPI and with SUCIs (null scheme, Profile A, Profile B), KSEAF
 * checked against an independent TS 33.501 A.6 derivation on the UE side; a wrong RES*
 * (AUTHENTICATION_FAILURE, no key, context gone); re-synchronisation from AUTS (TS 33.102
 * 6.3.5) and an AUTS whose MAC-S fails; the vector checked member by member against
 * Milenage with the TS 35.208 test set of tests/vectors; SUCI errors (unknown key id, MAC
 * failure, unsupported scheme, malformed); unknown subscriber; serving network not
 * authorised; malformed bodies and missing members; barred subscriber; contexts that
 * expire; 32 concurrent vectors for one SUPI with 32 distinct SQNs; Nudm-SDM and
 * Nudm-UECM; auth events; a UDR of another vendor (no sen-udr-auth: standard GET + PATCH).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ausf/ausf.h"
#include "ausf/context.h"
#include "core/config.h"
#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "core/loop.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"
#include "crypto/milenage.h"
#include "crypto/suci.h"
#include "fake_udr.h"
#include "sbi/sbi.h"
#include "udm/context.h"
#include "udm/udm.h"
#include "vectors.h"

#define SNN    "5G:mnc070.mcc999.3gppnetwork.org"
#define SUPI1  "imsi-999700000000001"
#define MSIN1  "0000000001"
#define SUPI_X "imsi-999709999999999" /* not provisioned */

static struct sen_loop *loop;
static struct sen_config *cfg;
static void *udm_state, *ausf_state;
static struct fake_udr *udr;
static struct sen_sbi_client *seaf; /* the AMF's SBI client */
static char udm_auth[64], ausf_auth[64];
static uint8_t K[16], OPC[16];
static const uint8_t AMF_FIELD[2] = {0x80, 0x00};
static uint8_t pub_a[32], pub_b[33];

/* ---------------------------------------------------------------------------------------- */
/* SBI calls as the AMF, with a bounded wait.                                                 */

struct result {
	bool done;
	int err, status;
	cJSON *json;
	char location[256];
	char ctype[64];
};

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct result *r = arg;
	const char *loc;

	r->done = true;
	r->err = err;
	if (err < 0)
		return;
	r->status = sen_sbi_msg_status(rsp);
	sen_sbi_msg_json(rsp, &r->json);
	if ((loc = sen_sbi_msg_header(rsp, "location")))
		snprintf(r->location, sizeof(r->location), "%s", loc);
	if ((loc = sen_sbi_msg_header(rsp, "content-type")))
		snprintf(r->ctype, sizeof(r->ctype), "%s", loc);
}

static void send_async(struct result *r, enum sen_sbi_method m, const char *auth, const char *path,
		       const char *body)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(m, "%s", path);

	memset(r, 0, sizeof(*r));
	if (body)
		sen_sbi_msg_set_body(req, body, strlen(body), "application/json");
	assert_int_equal(sen_sbi_client_send(seaf, auth, req, 3000, on_answer, r), 0);
}

static void wait_all(struct result *r, size_t n)
{
	uint64_t deadline = sen_loop_update_now(loop) + 5000;

	for (;;) {
		size_t done = 0;
		for (size_t i = 0; i < n; i++)
			done += r[i].done;
		if (done == n)
			return;
		assert_true(sen_loop_update_now(loop) < deadline);
		sen_loop_run_once(loop, 50);
	}
}

static struct result call(enum sen_sbi_method m, const char *auth, const char *path,
			  const char *body)
{
	struct result r;

	send_async(&r, m, auth, path, body);
	wait_all(&r, 1);
	assert_int_equal(r.err, 0);
	return r;
}

static void settle(int ms)
{
	uint64_t end = sen_loop_update_now(loop) + (uint64_t)ms;

	while (sen_loop_update_now(loop) < end)
		sen_loop_run_once(loop, 10);
}

static const char *str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void hex_of(const cJSON *o, const char *name, uint8_t *out, size_t len)
{
	const char *s = str(o, name);

	assert_non_null(s);
	assert_int_equal(sen_hex_decode_exact(s, out, len), 0);
}

static void expect_problem(struct result *r, int status, const char *cause)
{
	assert_int_equal(r->status, status);
	assert_non_null(r->json);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(r->json, "status")->valueint, status);
	if (cause)
		assert_string_equal(str(r->json, "cause"), cause);
	cJSON_Delete(r->json);
	r->json = NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The UE side (USIM + ME), independent of the network code.                                  */

struct ue_out {
	uint8_t res_star[16], kausf[32], kseaf[32];
	uint64_t sqn;
};

/* TS 33.501 6.1.3.2 step 7: check AUTN, compute RES*, KAUSF (A.2) and KSEAF (A.6). */
static int ue_run(const uint8_t rand[16], const uint8_t autn[16], struct ue_out *o)
{
	uint8_t res[8], ck[16], ik[16], sqn[6];
	int rc = sen_aka_usim_check(K, OPC, rand, autn, res, ck, ik, sqn);

	if (rc < 0)
		return rc;
	assert_int_equal(sen_kdf_res_star(ck, ik, SNN, rand, res, 8, o->res_star), 0);
	assert_int_equal(sen_kdf_kausf(ck, ik, SNN, autn /* SQN xor AK */, o->kausf), 0);
	assert_int_equal(sen_kdf_kseaf(o->kausf, SNN, o->kseaf), 0);
	o->sqn = sen_aka_sqn_get(sqn);
	return 0;
}

static void suci_for(int scheme, uint8_t key_id, char *out, size_t cap)
{
	struct sen_suci s = {.supi_type = SEN_SUPI_IMSI,
			     .mcc = "999",
			     .mnc = "70",
			     .routing = "0",
			     .hn_key_id = key_id};

	assert_int_equal(sen_suci_conceal(&s, scheme, scheme == SEN_SUCI_PROFILE_A ? pub_a : pub_b,
					  scheme == SEN_SUCI_PROFILE_A ? 32 : 33, NULL, MSIN1),
			 0);
	assert_true(sen_suci_format(&s, out, cap) > 0);
}

/* ---------------------------------------------------------------------------------------- */
/* The SEAF's two steps.                                                                      */

struct started {
	uint8_t rand[16], autn[16], hxres[16];
	char confirm[256]; /* path of the 5g-aka-confirmation link */
};

static struct result start_auth(const char *id, const char *snn, const char *resync)
{
	char body[1024];

	snprintf(body, sizeof(body), "{\"supiOrSuci\":\"%s\",\"servingNetworkName\":\"%s\"%s%s}",
		 id, snn, resync ? ",\"resynchronizationInfo\":" : "", resync ? resync : "");
	return call(SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications", body);
}

static void parse_started(struct result *r, struct started *s)
{
	const cJSON *d, *l;
	const char *href, *p;

	assert_int_equal(r->status, 201);
	/* TS 29.509 OpenAPI: the 201 UEAuthenticationCtx is application/3gppHal+json. */
	assert_string_equal(r->ctype, "application/3gppHal+json");
	assert_string_equal(str(r->json, "authType"), "5G_AKA");
	d = cJSON_GetObjectItemCaseSensitive(r->json, "5gAuthData");
	hex_of(d, "rand", s->rand, 16);
	hex_of(d, "autn", s->autn, 16);
	hex_of(d, "hxresStar", s->hxres, 16);
	l = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->json, "_links"),
					     "5g-aka");
	href = str(l, "href");
	assert_non_null(href);
	/* An absolute URI on the AUSF: keep the path, and it must extend the Location. */
	assert_true(!strncmp(href, "http://", 7));
	p = strchr(href + 7, '/');
	assert_non_null(p);
	snprintf(s->confirm, sizeof(s->confirm), "%s", p);
	assert_true(r->location[0] != '\0');
	assert_true(strstr(href, r->location) == href);
	cJSON_Delete(r->json);
	r->json = NULL;
}

static struct result confirm(const struct started *s, const uint8_t res_star[16])
{
	char h[33], body[96];

	snprintf(body, sizeof(body), "{\"resStar\":\"%s\"}", sen_hex_encode(res_star, 16, h));
	return call(SEN_SBI_PUT, ausf_auth, s->confirm, body);
}

/* A whole 5G AKA for `id`; returns the SQN the UE saw. */
static uint64_t full_aka(const char *id)
{
	struct result r = start_auth(id, SNN, NULL);
	struct started s;
	struct ue_out ue;
	uint8_t hres[16], kseaf[32];

	parse_started(&r, &s);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	/* TS 33.501 6.1.3.2 step 9: the SEAF checks HRES* against HXRES*. */
	assert_int_equal(sen_kdf_hres_star(s.rand, ue.res_star, hres), 0);
	assert_memory_equal(hres, s.hxres, 16);
	r = confirm(&s, ue.res_star);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "authResult"), "AUTHENTICATION_SUCCESS");
	assert_string_equal(str(r.json, "supi"), SUPI1);
	hex_of(r.json, "kseaf", kseaf, 32);
	assert_memory_equal(kseaf, ue.kseaf, 32);
	cJSON_Delete(r.json);
	/* One confirmation per context. */
	r = confirm(&s, ue.res_star);
	expect_problem(&r, 404, AUSF_CAUSE_CONTEXT_NOT_FOUND);
	return ue.sqn;
}

/* ---------------------------------------------------------------------------------------- */
/* Cases.                                                                                     */

static void aka_supi(void **state)
{
	uint64_t before = fake_udr_sqn(udr, SUPI1);
	uint64_t sqn = full_aka(SUPI1);

	/* TS 33.102 C.3: SEQ + 1, IND 0. */
	assert_int_equal(sqn, ((before >> 5) + 1) << 5);
	assert_int_equal(fake_udr_sqn(udr, SUPI1), sqn);
}

static void aka_suci_null(void **state)
{
	uint64_t a = full_aka("suci-0-999-70-0-0-0-" MSIN1);
	uint64_t b = full_aka("suci-0-999-70-0-0-0-" MSIN1);

	assert_int_equal(b, a + 32);
}

static void aka_suci_profile_a(void **state)
{
	char suci[256];

	suci_for(SEN_SUCI_PROFILE_A, 1, suci, sizeof(suci));
	full_aka(suci);
}

static void aka_suci_profile_b(void **state)
{
	char suci[256];

	suci_for(SEN_SUCI_PROFILE_B, 2, suci, sizeof(suci));
	full_aka(suci);
}

static void wrong_res_star(void **state)
{
	struct result r = start_auth(SUPI1, SNN, NULL);
	struct started s;
	struct ue_out ue;

	parse_started(&r, &s);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	ue.res_star[15] ^= 1;
	r = confirm(&s, ue.res_star);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "authResult"), "AUTHENTICATION_FAILURE");
	assert_null(cJSON_GetObjectItemCaseSensitive(r.json, "kseaf"));
	assert_null(cJSON_GetObjectItemCaseSensitive(r.json, "supi"));
	cJSON_Delete(r.json);
	/* The context is gone: the right RES* no longer helps. */
	ue.res_star[15] ^= 1;
	r = confirm(&s, ue.res_star);
	expect_problem(&r, 404, AUSF_CAUSE_CONTEXT_NOT_FOUND);
	/* A malformed confirmation leaves a context alone. */
	r = start_auth(SUPI1, SNN, NULL);
	parse_started(&r, &s);
	r = call(SEN_SBI_PUT, ausf_auth, s.confirm, "{\"resStar\":\"12\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
	r = call(SEN_SBI_PUT, ausf_auth, s.confirm, "{");
	expect_problem(&r, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	r = confirm(&s, ue.res_star);
	assert_string_equal(str(r.json, "authResult"), "AUTHENTICATION_SUCCESS");
	cJSON_Delete(r.json);
}

/* TS 33.501 6.1.3.3.2 / TS 33.102 6.3.5: the USIM is ahead; AUTS brings the HE along. */
static void resync(void **state)
{
	const uint64_t sqn_ms = 0x5000 + 7; /* SEQ_MS 0x280, IND 7 */
	struct result r;
	struct started s;
	struct ue_out ue;
	uint8_t auts[14], ms[6];
	char body[160], hr[33], ha[29];

	fake_udr_add(udr, SUPI1, K, OPC, AMF_FIELD, 0x40);
	r = start_auth(SUPI1, SNN, NULL);
	parse_started(&r, &s);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	/* The USIM finds SQN not fresh (SEQ <= SEQ_MS): synchronisation failure with AUTS. */
	assert_true((ue.sqn >> 5) <= (sqn_ms >> 5));
	sen_aka_sqn_put(sqn_ms, ms);
	assert_int_equal(sen_aka_usim_auts(K, OPC, s.rand, ms, auts), 0);
	snprintf(body, sizeof(body), "{\"rand\":\"%s\",\"auts\":\"%s\"}",
		 sen_hex_encode(s.rand, 16, hr), sen_hex_encode(auts, 14, ha));
	r = start_auth(SUPI1, SNN, body);
	parse_started(&r, &s);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	assert_int_equal(ue.sqn, ((sqn_ms >> 5) + 1) << 5);
	r = confirm(&s, ue.res_star);
	assert_string_equal(str(r.json, "authResult"), "AUTHENTICATION_SUCCESS");
	cJSON_Delete(r.json);

	/* An AUTS whose MAC-S fails: a fresh vector, no reset (TS 33.102 6.3.5). */
	uint64_t he = fake_udr_sqn(udr, SUPI1);
	sen_aka_sqn_put(0x900000, ms);
	assert_int_equal(sen_aka_usim_auts(K, OPC, s.rand, ms, auts), 0);
	auts[13] ^= 0x01;
	snprintf(body, sizeof(body), "{\"rand\":\"%s\",\"auts\":\"%s\"}",
		 sen_hex_encode(s.rand, 16, hr), sen_hex_encode(auts, 14, ha));
	r = start_auth(SUPI1, SNN, body);
	parse_started(&r, &s);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	assert_int_equal(ue.sqn, he + 32);
	/* Malformed resynchronizationInfo. */
	r = start_auth(SUPI1, SNN, "{\"rand\":\"00\",\"auts\":\"00\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
}

/* The UDM's vector, member by member, against Milenage (TS 35.208 test set 1). */
static void vector_consistency(void **state)
{
	cJSON *v = sen_test_vectors("milenage.json"), *set = NULL, *ts;
	uint8_t k[16], opc[16], op[16], opc2[16], amf[2], sqn[6];
	uint8_t rand[16], autn[16], xres_star[16], kausf[32];
	uint8_t mac_a[8], res[8], ck[16], ik[16], ak[6], exp_autn[16], exp_xs[16], exp_kausf[32];
	struct result r;
	const cJSON *av;
	char path[160];

	assert_non_null(v);
	cJSON_ArrayForEach(
	    ts, cJSON_GetObjectItemCaseSensitive(
		    v, "test_sets")) if (cJSON_GetObjectItemCaseSensitive(ts, "set") &&
					 cJSON_GetObjectItemCaseSensitive(ts, "set")->valueint == 1)
	    set = ts;
	assert_non_null(set);
	assert_int_equal(sen_test_hex(set, "K", k, 16), 16);
	assert_int_equal(sen_test_hex(set, "OPc", opc, 16), 16);
	assert_int_equal(sen_test_hex(set, "OP", op, 16), 16);
	assert_int_equal(sen_test_hex(set, "AMF", amf, 2), 2);
	assert_int_equal(sen_test_hex(set, "SQN", sqn, 6), 6);
	/* The vectors' own consistency: OPc from OP. */
	assert_int_equal(sen_milenage_opc(k, op, opc2), 0);
	assert_memory_equal(opc, opc2, 16);
	/* Provision one SQN below the set's (IND 0), so the vector carries the set's SQN's SEQ. */
	uint64_t s = sen_aka_sqn_get(sqn) >> 5 << 5;
	amf[0] |= 0x80; /* TS 33.501 6.1.3.2: separation bit */
	fake_udr_add(udr, "imsi-999700000000035", k, opc, amf, s - 32);
	snprintf(path, sizeof(path), "/nudm-ueau/v1/%s/security-information/generate-auth-data",
		 "imsi-999700000000035");
	r = call(SEN_SBI_POST, udm_auth, path,
		 "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":\"test\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "authType"), "5G_AKA");
	assert_string_equal(str(r.json, "supi"), "imsi-999700000000035");
	av = cJSON_GetObjectItemCaseSensitive(r.json, "authenticationVector");
	assert_string_equal(str(av, "avType"), "5G_HE_AKA");
	hex_of(av, "rand", rand, 16);
	hex_of(av, "autn", autn, 16);
	hex_of(av, "xresStar", xres_star, 16);
	hex_of(av, "kausf", kausf, 32);
	cJSON_Delete(r.json);
	/* Independently: f1 .. f5 (TS 35.206), AUTN (TS 33.102 6.3.2), A.2, A.4. */
	sen_aka_sqn_put(s, sqn);
	assert_int_equal(sen_milenage_f1(k, opc, rand, sqn, amf, mac_a, NULL), 0);
	assert_int_equal(sen_milenage_f2345(k, opc, rand, res, ck, ik, ak), 0);
	for (int i = 0; i < 6; i++)
		exp_autn[i] = sqn[i] ^ ak[i];
	memcpy(exp_autn + 6, amf, 2);
	memcpy(exp_autn + 8, mac_a, 8);
	assert_memory_equal(autn, exp_autn, 16);
	assert_int_equal(sen_kdf_res_star(ck, ik, SNN, rand, res, 8, exp_xs), 0);
	assert_memory_equal(xres_star, exp_xs, 16);
	assert_int_equal(sen_kdf_kausf(ck, ik, SNN, exp_autn, exp_kausf), 0);
	assert_memory_equal(kausf, exp_kausf, 32);
	/* And the set's published f2..f5 for its own RAND, through the same library. */
	assert_int_equal(sen_test_hex(set, "RAND", rand, 16), 16);
	assert_int_equal(sen_milenage_f2345(k, opc, rand, res, ck, ik, ak), 0);
	assert_int_equal(sen_test_hex(set, "f2", exp_xs, 8), 8);
	assert_memory_equal(res, exp_xs, 8);
	cJSON_Delete(v);
}

static void suci_errors(void **state)
{
	char suci[256], path[400], *p;
	struct result r;

	/* Unknown home network key id: TS 29.503 Table 6.3.7.3-1. */
	suci_for(SEN_SUCI_PROFILE_A, 9, suci, sizeof(suci));
	r = start_auth(suci, SNN, NULL);
	expect_problem(&r, 403, "INVALID_HN_PUBLIC_KEY_IDENTIFIER");
	/* Key id 2 is a Profile B key: a Profile A SUCI naming it is refused the same way. */
	suci_for(SEN_SUCI_PROFILE_A, 2, suci, sizeof(suci));
	r = start_auth(suci, SNN, NULL);
	expect_problem(&r, 403, "INVALID_HN_PUBLIC_KEY_IDENTIFIER");
	/* MAC tag broken: flip the last hex digit. */
	suci_for(SEN_SUCI_PROFILE_B, 2, suci, sizeof(suci));
	p = suci + strlen(suci) - 1;
	*p = *p == '0' ? '1' : '0';
	r = start_auth(suci, SNN, NULL);
	expect_problem(&r, 403, "INVALID_SCHEME_OUTPUT");
	/* Protection scheme 5 (HPLMN proprietary, not supported). */
	r = start_auth("suci-0-999-70-0-5-1-00112233", SNN, NULL);
	expect_problem(&r, 501, "UNSUPPORTED_PROTECTION_SCHEME");
	/* Not a SUCI at all, straight to the UDM. */
	snprintf(path, sizeof(path), "/nudm-ueau/v1/%s/security-information/generate-auth-data",
		 "suci-0-999-70");
	r = call(SEN_SBI_POST, udm_auth, path,
		 "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":\"x\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
	r = call(SEN_SBI_POST, udm_auth,
		 "/nudm-ueau/v1/bogus/security-information/generate-auth-data",
		 "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":\"x\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
}

static void unknown_and_refused(void **state)
{
	struct result r;

	r = start_auth(SUPI_X, SNN, NULL);
	expect_problem(&r, 404, "USER_NOT_FOUND");
	r = start_auth("suci-0-999-70-0-0-0-9999999999", SNN, NULL);
	expect_problem(&r, 404, "USER_NOT_FOUND");
	/* TS 33.501 6.1.2: another network's name. */
	r = start_auth(SUPI1, "5G:mnc001.mcc001.3gppnetwork.org", NULL);
	expect_problem(&r, 403, AUSF_CAUSE_SERVING_NETWORK_NOT_AUTHORIZED);
	/* A barred subscriber (the UDR refuses the vector). */
	fake_udr_set_barred(udr, SUPI1, true);
	r = start_auth(SUPI1, SNN, NULL);
	expect_problem(&r, 403, "AUTHENTICATION_REJECTED");
	fake_udr_set_barred(udr, SUPI1, false);
	/* Malformed and incomplete bodies. */
	r = call(SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications", "{\"supiOrSuci\":");
	expect_problem(&r, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT);
	r = call(SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications",
		 "{\"servingNetworkName\":\"" SNN "\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING);
	r = call(SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications",
		 "{\"supiOrSuci\":\"" SUPI1 "\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING);
	r = call(SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications",
		 "{\"supiOrSuci\":\"a/b\",\"servingNetworkName\":\"" SNN "\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
	r = call(SEN_SBI_POST, udm_auth,
		 "/nudm-ueau/v1/" SUPI1 "/security-information/generate-auth-data",
		 "{\"servingNetworkName\":\"" SNN "\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING);
	r = call(SEN_SBI_GET, ausf_auth, "/nausf-auth/v1/ue-authentications", NULL);
	expect_problem(&r, 405, NULL);
	r = call(SEN_SBI_PUT, ausf_auth,
		 "/nausf-auth/v1/ue-authentications/00112233/5g-aka-confirmation",
		 "{\"resStar\":\"00000000000000000000000000000000\"}");
	expect_problem(&r, 404, AUSF_CAUSE_CONTEXT_NOT_FOUND);
}

static void context_expiry(void **state)
{
	struct ausf *ausf = ausf_state;
	struct result r;
	struct started s;
	struct ue_out ue;

	ausf->ctx_ttl_ms = 100;
	r = start_auth(SUPI1, SNN, NULL);
	ausf->ctx_ttl_ms = AUSF_CTX_TTL_MS;
	parse_started(&r, &s);
	assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
	settle(300);
	r = confirm(&s, ue.res_star);
	expect_problem(&r, 404, AUSF_CAUSE_CONTEXT_NOT_FOUND);
}

/* Many vectors for one SUPI at once: every SQN distinct and consecutive. */
static void concurrent_vectors(void **state)
{
	enum { N = 32 };
	static struct result r[N];
	uint64_t seen[N], base = fake_udr_sqn(udr, SUPI1);
	struct started s;
	struct ue_out ue;

	for (int i = 0; i < N; i++)
		send_async(&r[i], SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications",
			   "{\"supiOrSuci\":\"" SUPI1 "\",\"servingNetworkName\":\"" SNN "\"}");
	wait_all(r, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(r[i].err, 0);
		parse_started(&r[i], &s);
		assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
		seen[i] = ue.sqn;
		for (int j = 0; j < i; j++)
			assert_true(seen[j] != seen[i]);
		assert_true(seen[i] > base && seen[i] <= base + 32 * N);
	}
	assert_int_equal(fake_udr_sqn(udr, SUPI1), base + 32 * N);
}

static void sdm(void **state)
{
	struct result r;
	const cJSON *n;

	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/" SUPI1 "/am-data", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    str(cJSON_GetObjectItemCaseSensitive(r.json, "subscribedUeAmbr"), "uplink"), "1 Gbps");
	cJSON_Delete(r.json);
	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/" SUPI1 "/nssai", NULL);
	assert_int_equal(r.status, 200);
	n = cJSON_GetObjectItemCaseSensitive(r.json, "defaultSingleNssais");
	assert_int_equal(cJSON_GetArraySize(n), 1);
	cJSON_Delete(r.json);
	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/" SUPI1 "/smf-select-data", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(r.json, "subscribedSnssaiInfos"), "1-000001"));
	cJSON_Delete(r.json);
	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/" SUPI1 "/sm-data", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(r.json), 2);
	cJSON_Delete(r.json);
	/* ?single-nssai and ?dnn (TS 29.503 6.1.3.5.3.1). */
	r = call(SEN_SBI_GET, udm_auth,
		 "/nudm-sdm/v2/" SUPI1 "/sm-data?single-nssai=%7B%22sst%22%3A1%7D&dnn=IMS", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(r.json), 1);
	n = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(r.json, 0), "dnnConfigurations");
	assert_int_equal(cJSON_GetArraySize(n), 1);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(n, "ims"));
	cJSON_Delete(r.json);
	r = call(SEN_SBI_GET, udm_auth,
		 "/nudm-sdm/v2/" SUPI1
		 "/sm-data?single-nssai=%7B%22sst%22%3A1%2C%22sd%22%3A%22000001%22%7D",
		 NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(cJSON_GetArraySize(r.json), 1);
	cJSON_Delete(r.json);
	r = call(SEN_SBI_GET, udm_auth,
		 "/nudm-sdm/v2/" SUPI1 "/sm-data?single-nssai=%7B%22sst%22%3A2%7D", NULL);
	expect_problem(&r, 404, "DATA_NOT_FOUND");
	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/" SUPI1 "/sm-data?single-nssai=1", NULL);
	expect_problem(&r, 400, SEN_SBI_CAUSE_INVALID_QUERY_PARAM);
	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/" SUPI_X "/am-data", NULL);
	expect_problem(&r, 404, "USER_NOT_FOUND");
	r = call(SEN_SBI_GET, udm_auth, "/nudm-sdm/v2/nobody/am-data", NULL);
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT);
	r = call(SEN_SBI_POST, udm_auth, "/nudm-sdm/v2/" SUPI1 "/am-data", "{}");
	expect_problem(&r, 405, NULL);
}

static void uecm(void **state)
{
	static const char reg[] =
	    "{\"amfInstanceId\":\"6e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01\","
	    "\"deregCallbackUri\":\"http://127.0.0.5:7777/namf-callback/v1/dereg\","
	    "\"guami\":{\"plmnId\":{\"mcc\":\"999\",\"mnc\":\"70\"},\"amfId\":\"020040\"},"
	    "\"ratType\":\"NR\"}";
	const char *path = "/nudm-uecm/v1/imsi-999700000000002/registrations/amf-3gpp-access";
	struct result r;

	fake_udr_add(udr, "imsi-999700000000002", K, OPC, AMF_FIELD, 0);
	r = call(SEN_SBI_PUT, udm_auth, path, reg);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.location, path));
	assert_string_equal(str(r.json, "ratType"), "NR");
	cJSON_Delete(r.json);
	r = call(SEN_SBI_PUT, udm_auth, path, reg);
	assert_int_equal(r.status, 200);
	cJSON_Delete(r.json);
	r = call(SEN_SBI_GET, udm_auth, path, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "amfInstanceId"), "6e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01");
	cJSON_Delete(r.json);
	r = call(SEN_SBI_PUT, udm_auth, path, "{\"amfInstanceId\":\"x\",\"ratType\":\"NR\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING);
	r = call(SEN_SBI_PUT, udm_auth, path, "[1,2");
	expect_problem(&r, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT);
	r = call(SEN_SBI_PUT, udm_auth, "/nudm-uecm/v1/" SUPI_X "/registrations/amf-3gpp-access",
		 reg);
	expect_problem(&r, 404, "USER_NOT_FOUND");
}

/* ---------------------------------------------------------------------------------------- */
/* Nudm_UECM_DeregistrationNotification (TS 29.503 5.3.2.4.2): a fake AMF callback server.     */

struct dereg_note {
	char amf[16], supi[SEN_SUPI_MAX];
	cJSON *json;
};

static struct {
	struct sen_sbi_server *srv;
	size_t n;
	struct dereg_note notes[8];
	struct sen_sbi_stream *held; /* an answer the test gives later */
	bool hold;
} cb_amf;

static void on_cb_dereg(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct dereg_note *n;

	(void)arg;
	if (cb_amf.n == sizeof(cb_amf.notes) / sizeof(cb_amf.notes[0])) {
		sen_sbi_stream_respond_status(st, 500);
		return;
	}
	n = &cb_amf.notes[cb_amf.n++];
	snprintf(n->amf, sizeof(n->amf), "%s", sen_sbi_msg_var(req, "amf"));
	snprintf(n->supi, sizeof(n->supi), "%s", sen_sbi_msg_var(req, "supi"));
	n->json = NULL;
	sen_sbi_msg_json(req, &n->json);
	if (cb_amf.hold && !cb_amf.held)
		cb_amf.held = st;
	else
		sen_sbi_stream_respond_status(st, 204);
}

static void cb_amf_reset(void)
{
	for (size_t i = 0; i < cb_amf.n; i++)
		cJSON_Delete(cb_amf.notes[i].json);
	cb_amf.n = 0;
}

static void wait_notes(size_t n)
{
	uint64_t deadline = sen_loop_update_now(loop) + 3000;

	while (cb_amf.n < n) {
		assert_true(sen_loop_update_now(loop) < deadline);
		sen_loop_run_once(loop, 20);
	}
}

static void amf_reg(char *out, size_t cap, const char *amf_id, const char *amf, const char *supi,
		    const char *initial)
{
	snprintf(out, cap,
		 "{\"amfInstanceId\":\"%s\","
		 "\"deregCallbackUri\":\"http://%s/%s/namf-callback/v1/%s/dereg-notify\","
		 "\"guami\":{\"plmnId\":{\"mcc\":\"999\",\"mnc\":\"70\"},\"amfId\":\"020040\"},"
		 "\"ratType\":\"NR\"%s}",
		 amf_id, sen_sbi_server_authority(cb_amf.srv), amf, supi, initial);
}

static void uecm_dereg_notification(void **state)
{
	static const char supi[] = "imsi-999700000000003";
	static const char amf1_id[] = "6e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01";
	static const char amf2_id[] = "6e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b02";
	const char *path = "/nudm-uecm/v1/imsi-999700000000003/registrations/amf-3gpp-access";
	char reg1[512], reg2[512], reg1_mob[512];
	struct result r;

	(void)state;
	assert_int_equal(sen_sbi_server_new(
			     loop, &(struct sen_sbi_server_opts){.addr = "127.0.0.1"}, &cb_amf.srv),
			 0);
	assert_int_equal(sen_sbi_server_route(cb_amf.srv, SEN_SBI_POST,
					      "/{amf}/namf-callback/v1/{supi}/dereg-notify",
					      on_cb_dereg, NULL),
			 0);
	assert_int_equal(sen_sbi_server_start(cb_amf.srv), 0);
	amf_reg(reg1, sizeof(reg1), amf1_id, "amf1", supi, ",\"initialRegistrationInd\":true");
	amf_reg(reg2, sizeof(reg2), amf2_id, "amf2", supi, ",\"initialRegistrationInd\":true");
	amf_reg(reg1_mob, sizeof(reg1_mob), amf1_id, "amf1", supi,
		",\"initialRegistrationInd\":false");
	fake_udr_add(udr, supi, K, OPC, AMF_FIELD, 0);

	/* AMF1 registers, then again: the same AMF, nobody to notify. */
	r = call(SEN_SBI_PUT, udm_auth, path, reg1);
	assert_int_equal(r.status, 201);
	cJSON_Delete(r.json);
	r = call(SEN_SBI_PUT, udm_auth, path, reg1);
	assert_int_equal(r.status, 200);
	cJSON_Delete(r.json);
	settle(200);
	assert_int_equal(cb_amf.n, 0);

	/* AMF2 registers (initial registration): AMF1 is told, and AMF2's answer does not
	 * wait for AMF1's (held back here). */
	cb_amf.hold = true;
	r = call(SEN_SBI_PUT, udm_auth, path, reg2);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "amfInstanceId"), amf2_id);
	cJSON_Delete(r.json);
	wait_notes(1);
	assert_string_equal(cb_amf.notes[0].amf, "amf1");
	assert_string_equal(cb_amf.notes[0].supi, supi);
	assert_non_null(cb_amf.notes[0].json);
	assert_string_equal(str(cb_amf.notes[0].json, "deregReason"), "UE_INITIAL_REGISTRATION");
	assert_string_equal(str(cb_amf.notes[0].json, "accessType"), "3GPP_ACCESS");
	assert_non_null(cb_amf.held);
	sen_sbi_stream_respond_status(cb_amf.held, 204);
	cb_amf.held = NULL;
	cb_amf.hold = false;
	settle(100);
	assert_int_equal(cb_amf.n, 1);

	/* AMF1 takes the UE back by a mobility registration: AMF2 is told, with that reason. */
	r = call(SEN_SBI_PUT, udm_auth, path, reg1_mob);
	assert_int_equal(r.status, 200);
	cJSON_Delete(r.json);
	wait_notes(2);
	assert_string_equal(cb_amf.notes[1].amf, "amf2");
	assert_string_equal(str(cb_amf.notes[1].json, "deregReason"),
			    "UE_REGISTRATION_AREA_CHANGE");
	assert_string_equal(str(cb_amf.notes[1].json, "accessType"), "3GPP_ACCESS");
	settle(100);
	assert_int_equal(cb_amf.n, 2);

	/* The old AMF unreachable: the new registration is still answered at once. */
	sen_sbi_server_stop(cb_amf.srv);
	r = call(SEN_SBI_PUT, udm_auth, path, reg2);
	assert_int_equal(r.status, 200);
	cJSON_Delete(r.json);
	settle(100);
	assert_int_equal(cb_amf.n, 2);
	cb_amf_reset();
	sen_sbi_server_free(cb_amf.srv);
	cb_amf.srv = NULL;
}

static void auth_events(void **state)
{
	struct result r;

	r = call(SEN_SBI_POST, udm_auth, "/nudm-ueau/v1/" SUPI1 "/auth-events",
		 "{\"nfInstanceId\":\"5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01\",\"success\":true,"
		 "\"timeStamp\":\"2025-01-31T12:00:00Z\",\"authType\":\"5G_AKA\","
		 "\"servingNetworkName\":\"" SNN "\"}");
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.location, "/nudm-ueau/v1/" SUPI1 "/auth-events/"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.json, "success")));
	cJSON_Delete(r.json);
	/* Persisted in the UDR as the authentication status (TS 29.505 5.2.24) before the 201. */
	const cJSON *st = fake_udr_auth_status(udr, SUPI1);
	assert_non_null(st);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "success")));
	assert_string_equal(str(st, "nfInstanceId"), "5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01");
	assert_string_equal(str(st, "servingNetworkName"), SNN);
	/* A failure replaces it. */
	r = call(SEN_SBI_POST, udm_auth, "/nudm-ueau/v1/" SUPI1 "/auth-events",
		 "{\"nfInstanceId\":\"5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01\",\"success\":false,"
		 "\"timeStamp\":\"2025-01-31T12:00:05Z\",\"authType\":\"5G_AKA\","
		 "\"servingNetworkName\":\"" SNN "\"}");
	assert_int_equal(r.status, 201);
	cJSON_Delete(r.json);
	st = fake_udr_auth_status(udr, SUPI1);
	assert_non_null(st);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(st, "success")));
	/* Unknown subscriber: the UDR's 404 is passed on, nothing is created. */
	r = call(SEN_SBI_POST, udm_auth, "/nudm-ueau/v1/" SUPI_X "/auth-events",
		 "{\"nfInstanceId\":\"5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01\",\"success\":true,"
		 "\"timeStamp\":\"2025-01-31T12:00:00Z\",\"authType\":\"5G_AKA\","
		 "\"servingNetworkName\":\"" SNN "\"}");
	expect_problem(&r, 404, "USER_NOT_FOUND");
	assert_null(fake_udr_auth_status(udr, SUPI_X));
	r = call(SEN_SBI_POST, udm_auth, "/nudm-ueau/v1/" SUPI1 "/auth-events",
		 "{\"nfInstanceId\":\"x\",\"timeStamp\":\"t\",\"authType\":\"5G_AKA\","
		 "\"servingNetworkName\":\"" SNN "\"}");
	expect_problem(&r, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING);
}

/*
 * A UDR of another vendor: standard Nudr only, no sen-udr-auth (its path unknown: 404, or
 * served for another method: 405). The UDM falls back to GET authentication-subscription,
 * SEQ + 1 and PATCH sequenceNumber (TS 29.505), and the vectors are as good: the USIM
 * accepts them, SQNs advance by one SEQ each, concurrent ones never repeat, AUTS works.
 */
static void standard_udr(void **state)
{
	static const enum fake_udr_mode modes[] = {FAKE_UDR_STANDARD_404, FAKE_UDR_STANDARD_405};
	struct udm *udm = udm_state;
	char saved[sizeof(udm->udr_authority)];

	snprintf(saved, sizeof(saved), "%s", udm->udr_authority);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		enum { N = 8 };
		static struct result r[N];
		struct fake_udr *std;
		struct started s;
		struct ue_out ue;
		uint64_t seen[N], base;
		uint8_t auts[14], ms[6];
		char body[160], hr[33], ha[29];

		assert_int_equal(fake_udr_start_mode(loop, "127.0.0.1", 0, modes[m], &std), 0);
		assert_int_equal(fake_udr_add(std, SUPI1, K, OPC, AMF_FIELD, 0x1000 + 3), 0);
		snprintf(udm->udr_authority, sizeof(udm->udr_authority), "%s",
			 fake_udr_authority(std));
		udm->private_off_until = 0;

		/* Two AKAs: SEQ + 1 each (IND 0), written back by PATCH. */
		assert_int_equal(full_aka(SUPI1), 0x1020);
		assert_int_equal(fake_udr_sqn(std, SUPI1), 0x1020);
		assert_int_equal(full_aka("suci-0-999-70-0-0-0-" MSIN1), 0x1040);
		assert_int_equal(fake_udr_sqn(std, SUPI1), 0x1040);
		assert_int_equal(fake_udr_patches(std), 2);
		assert_int_equal(fake_udr_advances(std), 0);

		/* Concurrent vectors: read-modify-write, yet no SQN twice. */
		base = fake_udr_sqn(std, SUPI1);
		for (int i = 0; i < N; i++)
			send_async(
			    &r[i], SEN_SBI_POST, ausf_auth, "/nausf-auth/v1/ue-authentications",
			    "{\"supiOrSuci\":\"" SUPI1 "\",\"servingNetworkName\":\"" SNN "\"}");
		wait_all(r, N);
		for (int i = 0; i < N; i++) {
			assert_int_equal(r[i].err, 0);
			parse_started(&r[i], &s);
			assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
			seen[i] = ue.sqn;
			for (int j = 0; j < i; j++)
				assert_true(seen[j] != seen[i]);
		}
		assert_int_equal(fake_udr_sqn(std, SUPI1), base + 32 * N);

		/* Re-synchronisation: the USIM is ahead, AUTS moves SQN_HE to SQN_MS. */
		r[0] = start_auth(SUPI1, SNN, NULL);
		parse_started(&r[0], &s);
		sen_aka_sqn_put(0x8000 + 9, ms);
		assert_int_equal(sen_aka_usim_auts(K, OPC, s.rand, ms, auts), 0);
		snprintf(body, sizeof(body), "{\"rand\":\"%s\",\"auts\":\"%s\"}",
			 sen_hex_encode(s.rand, 16, hr), sen_hex_encode(auts, 14, ha));
		r[0] = start_auth(SUPI1, SNN, body);
		parse_started(&r[0], &s);
		assert_int_equal(ue_run(s.rand, s.autn, &ue), 0);
		assert_int_equal(ue.sqn, 0x8020);
		assert_int_equal(fake_udr_sqn(std, SUPI1), 0x8020);

		/* Unknown subscriber: still USER_NOT_FOUND. */
		r[0] = start_auth(SUPI_X, SNN, NULL);
		expect_problem(&r[0], 404, "USER_NOT_FOUND");
		fake_udr_free(std);
	}
	/* Back to the Sen UDR: its atomic advance again. */
	snprintf(udm->udr_authority, sizeof(udm->udr_authority), "%s", saved);
	udm->private_off_until = 0;
	unsigned adv = fake_udr_advances(udr);
	full_aka(SUPI1);
	assert_int_equal(fake_udr_advances(udr), adv + 1);
}

/*
 * The standard flow against UDRs that differ: another IND length (sequenceNumber.indLength,
 * TS 29.505), ETags (If-Match on the PATCH, a re-read after 412), a PATCH refused with 400
 * (the UDM's own request: 500 SYSTEM_FAILURE, not the consumer's 400).
 */
static void standard_udr_quirks(void **state)
{
	struct udm *udm = udm_state;
	char saved[sizeof(udm->udr_authority)];
	struct fake_udr *std;
	struct result r;
	unsigned patches;

	snprintf(saved, sizeof(saved), "%s", udm->udr_authority);
	assert_int_equal(fake_udr_start_mode(loop, "127.0.0.1", 0, FAKE_UDR_STANDARD_404, &std), 0);
	snprintf(udm->udr_authority, sizeof(udm->udr_authority), "%s", fake_udr_authority(std));
	udm->private_off_until = 0;

	/* indLength 3: SEQ is SQN >> 3, so 0x1003 -> SEQ 0x200 + 1 -> 0x1008. */
	fake_udr_set_std_quirks(std, 0, 3, false, 0);
	assert_int_equal(fake_udr_add(std, SUPI1, K, OPC, AMF_FIELD, 0x1000 + 3), 0);
	assert_int_equal(full_aka(SUPI1), 0x1008);
	assert_int_equal(fake_udr_sqn(std, SUPI1), 0x1008);

	/* ETag: twice another writer advances the SQN between GET and PATCH (412); the UDM
	 * reads again each time, and its vector carries a SQN nobody else had. */
	fake_udr_set_std_quirks(std, 0, 5, true, 2);
	patches = fake_udr_patches(std);
	assert_int_equal(full_aka(SUPI1), 0x1060);
	assert_int_equal(fake_udr_sqn(std, SUPI1), 0x1060);
	assert_int_equal(fake_udr_patches(std), patches + 1);
	/* Always conflicting: bounded retries, then 500. */
	fake_udr_set_std_quirks(std, 0, 5, true, 100);
	r = call(SEN_SBI_POST, udm_auth,
		 "/nudm-ueau/v1/" SUPI1 "/security-information/generate-auth-data",
		 "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":\"test\"}");
	expect_problem(&r, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE);

	/* The UDR refuses the PATCH with 400: the UDM's request was at fault, 500. */
	fake_udr_set_std_quirks(std, 400, 5, false, 0);
	r = call(SEN_SBI_POST, udm_auth,
		 "/nudm-ueau/v1/" SUPI1 "/security-information/generate-auth-data",
		 "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":\"test\"}");
	expect_problem(&r, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE);

	fake_udr_free(std);
	snprintf(udm->udr_authority, sizeof(udm->udr_authority), "%s", saved);
	udm->private_off_until = 0;
}

/*
 * Shutdown while vectors are queued in the standard flow (the last test): the UDR holds
 * the head's PATCH, three more wait behind it. Freeing the UDM must wipe all four (K, OPc)
 * and release their streams: the ASan build's leak check sees it (teardown).
 */
static struct fake_udr *std_held;

static void shutdown_with_vectors_queued(void **state)
{
	struct udm *udm = udm_state;
	static struct result r[4];
	int i;

	assert_int_equal(
	    fake_udr_start_mode(loop, "127.0.0.1", 0, FAKE_UDR_STANDARD_404, &std_held), 0);
	assert_int_equal(fake_udr_add(std_held, SUPI1, K, OPC, AMF_FIELD, 0x1000), 0);
	fake_udr_set_std_quirks(std_held, -1, 5, false, 0);
	snprintf(udm->udr_authority, sizeof(udm->udr_authority), "%s",
		 fake_udr_authority(std_held));
	udm->private_off_until = UINT64_MAX; /* straight to the standard flow */
	for (i = 0; i < 4; i++)
		send_async(&r[i], SEN_SBI_POST, udm_auth,
			   "/nudm-ueau/v1/" SUPI1 "/security-information/generate-auth-data",
			   "{\"servingNetworkName\":\"" SNN "\",\"ausfInstanceId\":\"test\"}");
	for (i = 0; i < 400 && fake_udr_requests(std_held) < 1; i++)
		sen_loop_run_once(loop, 5);
	assert_int_equal(fake_udr_requests(std_held), 1); /* the head's GET */
	for (i = 0; i < 20; i++)
		sen_loop_run_once(loop, 5);
	for (i = 0; i < 4; i++)
		assert_false(r[i].done);
}

/* ---------------------------------------------------------------------------------------- */
/* Setup: free ports, the configuration, the modules.                                         */

static uint16_t free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static int setup(void **state)
{
	const char *td = getenv("SEN_TESTDATA");
	char text[1024], name[512], err[SEN_CFG_ERR_MAX];
	uint16_t pu = free_port(), pa = free_port(), pr = free_port();
	struct sen_nf_env env;
	struct udm *udm;
	cJSON *v, *ts;

	sen_log_set_levels(getenv("SEN_LOG") ? getenv("SEN_LOG") : "error");
	assert_non_null(td);
	snprintf(name, sizeof(name), "%s/suci/home.yaml", td);
	snprintf(text, sizeof(text),
		 "plmn: { mcc: \"999\", mnc: \"70\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"
		 "ausf: { sbi: 127.0.0.1:%u }\n"
		 "udm:\n  sbi: 127.0.0.1:%u\n"
		 "  hn_keys: [ { id: 1, scheme: a, file: hn-a.hex }, "
		 "{ id: 2, scheme: b, file: hn-b.pem } ]\n"
		 "udr: { sbi: 127.0.0.1:%u }\n",
		 pa, pu, pr);
	assert_int_equal(sen_config_parse(name, text, strlen(text), 0, &cfg, err, sizeof(err)), 0);
	assert_int_equal(sen_loop_new(&loop), 0);
	env = (struct sen_nf_env){.loop = loop, .cfg = cfg};
	assert_int_equal(fake_udr_start(loop, "127.0.0.1", pr, &udr), 0);
	if (sen_udm_module.init(&env, &udm_state, err, sizeof(err)) < 0)
		fail_msg("udm init: %s", err);
	if (sen_ausf_module.init(&env, &ausf_state, err, sizeof(err)) < 0)
		fail_msg("ausf init: %s", err);
	if (sen_udm_module.start(udm_state, err, sizeof(err)) < 0)
		fail_msg("udm start: %s", err);
	if (sen_ausf_module.start(ausf_state, err, sizeof(err)) < 0)
		fail_msg("ausf start: %s", err);
	snprintf(udm_auth, sizeof(udm_auth), "127.0.0.1:%u", pu);
	snprintf(ausf_auth, sizeof(ausf_auth), "127.0.0.1:%u", pa);
	assert_int_equal(sen_sbi_client_new(loop, NULL, &seaf), 0);
	/* The subscriber: K and OPc of the TS 35.208 test set 1. */
	v = sen_test_vectors("milenage.json");
	assert_non_null(v);
	ts = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(v, "test_sets"), 0);
	assert_int_equal(sen_test_hex(ts, "K", K, 16), 16);
	assert_int_equal(sen_test_hex(ts, "OPc", OPC, 16), 16);
	cJSON_Delete(v);
	assert_int_equal(fake_udr_add(udr, SUPI1, K, OPC, AMF_FIELD, 0), 0);
	/* The public keys the USIM would hold (TS 33.501 6.12.2). */
	udm = udm_state;
	assert_int_equal(sen_hn_key_public(udm->keys[0].key, pub_a, sizeof(pub_a)), 32);
	assert_int_equal(sen_hn_key_public(udm->keys[1].key, pub_b, sizeof(pub_b)), 33);
	return 0;
}

static int teardown(void **state)
{
	sen_sbi_client_free(seaf);
	sen_ausf_module.stop(ausf_state);
	sen_udm_module.stop(udm_state);
	for (int i = 0; i < 10; i++)
		sen_loop_run_once(loop, 5);
	sen_ausf_module.free(ausf_state);
	sen_udm_module.free(udm_state);
	fake_udr_free(std_held);
	fake_udr_free(udr);
	sen_loop_free(loop);
	sen_config_free(cfg);
	sen_sbi_pool_trim();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(aka_supi),
	    cmocka_unit_test(aka_suci_null),
	    cmocka_unit_test(aka_suci_profile_a),
	    cmocka_unit_test(aka_suci_profile_b),
	    cmocka_unit_test(wrong_res_star),
	    cmocka_unit_test(resync),
	    cmocka_unit_test(vector_consistency),
	    cmocka_unit_test(suci_errors),
	    cmocka_unit_test(unknown_and_refused),
	    cmocka_unit_test(context_expiry),
	    cmocka_unit_test(concurrent_vectors),
	    cmocka_unit_test(sdm),
	    cmocka_unit_test(uecm),
	    cmocka_unit_test(uecm_dereg_notification),
	    cmocka_unit_test(auth_events),
	    cmocka_unit_test(standard_udr),
	    cmocka_unit_test(standard_udr_quirks),
	    cmocka_unit_test(shutdown_with_vectors_queued), /* last: leaves the UDM busy */
	};

	return cmocka_run_group_tests_name("home", tests, setup, teardown);
}
