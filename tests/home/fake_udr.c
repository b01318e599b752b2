/*
 * The in-memory UDR of the UDM/AUSF tests (see fake_udr.h): TS 29.505 resources and Sen's
 * sqn-advance, as sen-udr serves them, without a database.
 */
#include "fake_udr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hash.h"
#include "core/hex.h"
#include "sbi/sbi.h"

#define IND_BITS 5

struct sub {
	char supi[32];
	uint8_t k[16], opc[16], amf[2];
	uint64_t sqn;
	unsigned ind_len;
	bool barred;
	cJSON *amf_reg;
	cJSON *auth_status; /* the last AuthEvent PUT (TS 29.505 5.2.24) */
};

struct fake_udr {
	struct sen_sbi_server *srv;
	struct sen_hash *subs;
	unsigned requests, advances, patches;
	/* Standard-flow quirks (fake_udr_set_std_quirks) */
	int patch_status; /* answer PATCHes with this (0: normal; -1: hold one, unanswered) */
	struct sen_sbi_stream *held; /* the PATCH held (answered when freed) */
	unsigned ind_len;	     /* SequenceNumber.indLength given (5) */
	bool etag;		     /* ETag on GET, If-Match checked on PATCH */
	unsigned conflicts; /* the next PATCHes with If-Match: another writer got there first */
	uint64_t version;   /* the ETag value (bumped by every SQN write) */
};

void fake_udr_set_std_quirks(struct fake_udr *u, int patch_status, unsigned ind_len, bool etag,
			     unsigned conflicts)
{
	u->patch_status = patch_status;
	u->ind_len = ind_len;
	u->etag = etag;
	u->conflicts = conflicts;
}

/* ---- data ---- */

static const char am_data[] =
    "{\"subscribedUeAmbr\":{\"uplink\":\"1 Gbps\",\"downlink\":\"2 Gbps\"},"
    "\"nssai\":{\"defaultSingleNssais\":[{\"sst\":1}],"
    "\"singleNssais\":[{\"sst\":1,\"sd\":\"000001\"}]}}";
static const char smf_sel[] =
    "{\"subscribedSnssaiInfos\":{\"1\":{\"dnnInfos\":[{\"dnn\":\"internet\","
    "\"defaultDnnIndicator\":true},{\"dnn\":\"ims\"}]},"
    "\"1-000001\":{\"dnnInfos\":[{\"dnn\":\"internet\",\"defaultDnnIndicator\":true}]}}}";
#define DNN_CFG(qi)                                                                                \
	"{\"pduSessionTypes\":{\"defaultSessionType\":\"IPV4\"},"                                  \
	"\"sscModes\":{\"defaultSscMode\":\"SSC_MODE_1\"},"                                        \
	"\"5gQosProfile\":{\"5qi\":" #qi ",\"arp\":{\"priorityLevel\":8,"                          \
	"\"preemptCap\":\"NOT_PREEMPT\",\"preemptVuln\":\"PREEMPTABLE\"}},"                        \
	"\"sessionAmbr\":{\"uplink\":\"100 Mbps\",\"downlink\":\"200 Mbps\"}}"
static const char sm_data[] = "[{\"singleNssai\":{\"sst\":1},\"dnnConfigurations\":{"
			      "\"internet\":" DNN_CFG(9) ",\"ims\":" DNN_CFG(
				  5) "}},"
				     "{\"singleNssai\":{\"sst\":1,\"sd\":\"000001\"},"
				     "\"dnnConfigurations\":{\"internet\":" DNN_CFG(9) "}}]";

static void answer(struct fake_udr *u, struct sen_sbi_stream *st, int status, cJSON *j)
{
	u->requests++;
	if (j)
		sen_sbi_stream_respond_json(st, status, j);
	else
		sen_sbi_stream_respond_status(st, status);
	cJSON_Delete(j);
}

static struct sub *find(struct fake_udr *u, struct sen_sbi_stream *st, struct sen_sbi_msg *req)
{
	const char *supi = sen_sbi_msg_var(req, "ueId");
	struct sub *s = supi ? sen_hash_get_str(u->subs, supi) : NULL;

	if (!s) {
		u->requests++;
		sen_sbi_stream_respond_error(st, 404, "USER_NOT_FOUND", "no such subscriber");
	}
	return s;
}

static cJSON *auth_json(const struct sub *s, uint64_t sqn)
{
	char k[33], opc[33], amf[5], q[13];
	uint8_t b[6];
	cJSON *o = cJSON_CreateObject(), *n;

	for (int i = 0; i < 6; i++)
		b[i] = (uint8_t)(sqn >> (8 * (5 - i)));
	cJSON_AddStringToObject(o, "authenticationMethod", "5G_AKA");
	cJSON_AddStringToObject(o, "encPermanentKey", sen_hex_encode(s->k, 16, k));
	cJSON_AddStringToObject(o, "protectionParameterId", "none");
	n = cJSON_AddObjectToObject(o, "sequenceNumber");
	cJSON_AddStringToObject(n, "sqnScheme", "NON_TIME_BASED");
	cJSON_AddStringToObject(n, "sqn", sen_hex_encode(b, 6, q));
	cJSON_AddNumberToObject(n, "indLength", s->ind_len);
	cJSON_AddStringToObject(o, "authenticationManagementField", sen_hex_encode(s->amf, 2, amf));
	cJSON_AddStringToObject(o, "algorithmId", "milenage");
	cJSON_AddStringToObject(o, "encOpcKey", sen_hex_encode(s->opc, 16, opc));
	return o;
}

/* ---- handlers ---- */

static void on_auth_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);
	struct sen_sbi_msg *rsp;
	cJSON *j;
	char tag[32];

	if (!s)
		return;
	s->ind_len = u->ind_len;
	if (!u->etag) {
		answer(u, st, 200, auth_json(s, s->sqn));
		return;
	}
	u->requests++;
	j = auth_json(s, s->sqn);
	rsp = sen_sbi_response_new(200);
	snprintf(tag, sizeof(tag), "\"v%llu\"", (unsigned long long)u->version);
	if (rsp) {
		sen_sbi_msg_set_json(rsp, j, NULL);
		sen_sbi_msg_set_header(rsp, "etag", tag);
	}
	cJSON_Delete(j);
	sen_sbi_stream_respond(st, rsp);
}

static void on_sqn_advance(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);
	cJSON *body = NULL, *ms;
	uint8_t b[6];

	if (!s)
		return;
	if (s->barred) {
		u->requests++;
		sen_sbi_stream_respond_error(st, 403, "AUTHENTICATION_REJECTED", "barred");
		return;
	}
	if (sen_sbi_msg_json(req, &body) < 0 || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		u->requests++;
		sen_sbi_stream_respond_bad_json(st, "{} or {sqnMs}");
		return;
	}
	ms = cJSON_GetObjectItemCaseSensitive(body, "sqnMs");
	if (ms) {
		uint64_t v = 0;
		if (!cJSON_IsString(ms) || sen_hex_decode_exact(ms->valuestring, b, 6) < 0) {
			cJSON_Delete(body);
			u->requests++;
			sen_sbi_stream_respond_error(st, 400, "MANDATORY_IE_INCORRECT", "sqnMs");
			return;
		}
		for (int i = 0; i < 6; i++)
			v = v << 8 | b[i];
		v = v >> IND_BITS << IND_BITS;
		if (v > s->sqn)
			s->sqn = v;
	}
	cJSON_Delete(body);
	s->sqn = ((s->sqn >> IND_BITS) + 1) << IND_BITS;
	u->advances++;
	answer(u, st, 200, auth_json(s, s->sqn));
}

/* A GET where a UDR without sen-udr-auth might serve something else (for the 405 mode). */
static void on_other(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	answer(arg, st, 200, cJSON_CreateObject());
}

/* 12 hex digits -> SQN; -1 if not. */
static int sqn_hex(const cJSON *v, uint64_t *sqn)
{
	uint8_t b[6];

	if (!cJSON_IsString(v) || strlen(v->valuestring) != 12 ||
	    sen_hex_decode_exact(v->valuestring, b, 6) < 0)
		return -1;
	*sqn = 0;
	for (int i = 0; i < 6; i++)
		*sqn = *sqn << 8 | b[i];
	return 0;
}

/*
 * TS 29.505 5.2.2.2.3 PATCH authentication-subscription: PatchItems replacing
 * /sequenceNumber (a SequenceNumber) or /sequenceNumber/sqn. Stored as given, no max():
 * a plain store, as another vendor's UDR would be.
 */
static void on_auth_patch(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);
	cJSON *patch = NULL, *item;
	uint64_t sqn = 0;
	bool got = false;

	if (!s)
		return;
	if (u->patch_status < 0 && !u->held) {
		u->held = st;
		return;
	}
	if (u->patch_status) {
		u->requests++;
		sen_sbi_stream_respond_error(st, u->patch_status, "MANDATORY_IE_INCORRECT",
					     "quirk");
		return;
	}
	if (u->etag) {
		const char *im = sen_sbi_msg_header(req, "if-match");
		char tag[32];
		if (im && u->conflicts) {
			u->conflicts--;
			s->sqn = ((s->sqn >> u->ind_len) + 1) << u->ind_len;
			u->version++;
		}
		snprintf(tag, sizeof(tag), "\"v%llu\"", (unsigned long long)u->version);
		if (im && strcmp(im, tag)) {
			u->requests++;
			sen_sbi_stream_respond_error(st, 412, NULL, "stale If-Match");
			return;
		}
	}
	if (sen_sbi_msg_json(req, &patch) < 0 || !cJSON_IsArray(patch)) {
		cJSON_Delete(patch);
		u->requests++;
		sen_sbi_stream_respond_bad_json(st, "PatchItem array");
		return;
	}
	cJSON_ArrayForEach(item, patch)
	{
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(item, "op");
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(item, "path");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(item, "value");
		if (!cJSON_IsString(op) || strcmp(op->valuestring, "replace") ||
		    !cJSON_IsString(path))
			break;
		if (!strcmp(path->valuestring, "/sequenceNumber"))
			val = cJSON_GetObjectItemCaseSensitive(val, "sqn");
		else if (strcmp(path->valuestring, "/sequenceNumber/sqn"))
			break;
		if (sqn_hex(val, &sqn) < 0)
			break;
		got = true;
	}
	if (item || !got) {
		cJSON_Delete(patch);
		u->requests++;
		sen_sbi_stream_respond_error(st, 400, "MANDATORY_IE_INCORRECT", "PatchItem");
		return;
	}
	cJSON_Delete(patch);
	s->sqn = sqn;
	u->version++;
	u->patches++;
	answer(u, st, 204, NULL);
}

static void on_am(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);
	cJSON *j;

	if (!s)
		return;
	j = cJSON_Parse(am_data);
	cJSON *g = cJSON_AddArrayToObject(j, "gpsis");
	char m[40];
	snprintf(m, sizeof(m), "msisdn-%s", s->supi + strlen(s->supi) - 10);
	cJSON_AddItemToArray(g, cJSON_CreateString(m));
	answer(u, st, 200, j);
}

static void on_smf_sel(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;

	if (find(u, st, req))
		answer(u, st, 200, cJSON_Parse(smf_sel));
}

static void on_sm(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;

	if (find(u, st, req))
		answer(u, st, 200, cJSON_Parse(sm_data));
}

static void on_reg_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);

	if (!s)
		return;
	if (!s->amf_reg) {
		u->requests++;
		sen_sbi_stream_respond_error(st, 404, "DATA_NOT_FOUND", "no registration");
		return;
	}
	answer(u, st, 200, cJSON_Duplicate(s->amf_reg, true));
}

static void on_reg_put(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);
	cJSON *j = NULL;

	if (!s)
		return;
	if (sen_sbi_msg_json(req, &j) < 0 || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		u->requests++;
		sen_sbi_stream_respond_bad_json(st, "Amf3GppAccessRegistration");
		return;
	}
	bool existed = s->amf_reg != NULL;
	cJSON_Delete(s->amf_reg);
	s->amf_reg = j;
	answer(u, st, existed ? 204 : 201, NULL);
}

/* TS 29.505 5.2.24 AuthenticationStatus: PUT -> 204, GET -> 200 / 404 DATA_NOT_FOUND. */
static void on_status_put(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);
	cJSON *j = NULL;

	if (!s)
		return;
	if (sen_sbi_msg_json(req, &j) < 0 || !cJSON_IsObject(j) ||
	    !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(j, "success"))) {
		cJSON_Delete(j);
		u->requests++;
		sen_sbi_stream_respond_bad_json(st, "AuthEvent");
		return;
	}
	cJSON_Delete(s->auth_status);
	s->auth_status = j;
	answer(u, st, 204, NULL);
}

static void on_status_get(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_udr *u = arg;
	struct sub *s = find(u, st, req);

	if (!s)
		return;
	if (!s->auth_status) {
		u->requests++;
		sen_sbi_stream_respond_error(st, 404, "DATA_NOT_FOUND", "no authentication status");
		return;
	}
	answer(u, st, 200, cJSON_Duplicate(s->auth_status, true));
}

/* ---- API ---- */

int fake_udr_start(struct sen_loop *loop, const char *addr, uint16_t port, struct fake_udr **out)
{
	return fake_udr_start_mode(loop, addr, port, FAKE_UDR_SEN, out);
}

int fake_udr_start_mode(struct sen_loop *loop, const char *addr, uint16_t port,
			enum fake_udr_mode mode, struct fake_udr **out)
{
	static const struct {
		enum sen_sbi_method m;
		const char *path;
		sen_sbi_handler_fn fn;
	} routes[] = {
	    {SEN_SBI_GET,
	     "/nudr-dr/v2/subscription-data/{ueId}/authentication-data/"
	     "authentication-subscription",
	     on_auth_get},
	    {SEN_SBI_PATCH,
	     "/nudr-dr/v2/subscription-data/{ueId}/authentication-data/"
	     "authentication-subscription",
	     on_auth_patch},
	    {SEN_SBI_GET, "/nudr-dr/v2/subscription-data/{ueId}/{plmn}/provisioned-data/am-data",
	     on_am},
	    {SEN_SBI_GET,
	     "/nudr-dr/v2/subscription-data/{ueId}/{plmn}/provisioned-data/"
	     "smf-selection-subscription-data",
	     on_smf_sel},
	    {SEN_SBI_GET, "/nudr-dr/v2/subscription-data/{ueId}/{plmn}/provisioned-data/sm-data",
	     on_sm},
	    {SEN_SBI_GET, "/nudr-dr/v2/subscription-data/{ueId}/context-data/amf-3gpp-access",
	     on_reg_get},
	    {SEN_SBI_PUT, "/nudr-dr/v2/subscription-data/{ueId}/context-data/amf-3gpp-access",
	     on_reg_put},
	    {SEN_SBI_PUT,
	     "/nudr-dr/v2/subscription-data/{ueId}/authentication-data/authentication-status",
	     on_status_put},
	    {SEN_SBI_GET,
	     "/nudr-dr/v2/subscription-data/{ueId}/authentication-data/authentication-status",
	     on_status_get},
	};
	struct fake_udr *u = calloc(1, sizeof(*u));
	int rc;

	if (!u)
		return -SEN_ENOMEM;
	u->ind_len = IND_BITS;
	rc = sen_hash_new(&u->subs);
	if (rc == 0)
		rc = sen_sbi_server_new(
		    loop, &(struct sen_sbi_server_opts){.addr = addr, .port = port}, &u->srv);
	for (size_t i = 0; rc == 0 && i < sizeof(routes) / sizeof(routes[0]); i++)
		rc = sen_sbi_server_route(u->srv, routes[i].m, routes[i].path, routes[i].fn, u);
	if (rc == 0 && mode != FAKE_UDR_STANDARD_404)
		rc = sen_sbi_server_route(u->srv, mode == FAKE_UDR_SEN ? SEN_SBI_POST : SEN_SBI_GET,
					  "/sen-udr-auth/v1/{ueId}/sqn-advance",
					  mode == FAKE_UDR_SEN ? on_sqn_advance : on_other, u);
	if (rc == 0)
		rc = sen_sbi_server_start(u->srv);
	if (rc < 0) {
		fake_udr_free(u);
		return rc;
	}
	*out = u;
	return 0;
}

void fake_udr_free(struct fake_udr *u)
{
	struct sen_hash_iter it;
	void *v;

	if (!u)
		return;
	sen_sbi_server_free(u->srv);
	if (u->held) /* orphaned by the server's end: answering frees it */
		sen_sbi_stream_respond_status(u->held, 500);
	if (u->subs) {
		sen_hash_iter_init(&it, u->subs);
		while (sen_hash_iter_next(&it, NULL, NULL, &v)) {
			cJSON_Delete(((struct sub *)v)->amf_reg);
			cJSON_Delete(((struct sub *)v)->auth_status);
			free(v);
		}
		sen_hash_free(u->subs);
	}
	free(u);
}

const char *fake_udr_authority(const struct fake_udr *u)
{
	return sen_sbi_server_authority(u->srv);
}

int fake_udr_add(struct fake_udr *u, const char *supi, const uint8_t k[16], const uint8_t opc[16],
		 const uint8_t amf[2], uint64_t sqn)
{
	struct sub *s = sen_hash_get_str(u->subs, supi);

	if (!s) {
		if (!(s = calloc(1, sizeof(*s))))
			return -SEN_ENOMEM;
		snprintf(s->supi, sizeof(s->supi), "%s", supi);
		s->ind_len = u->ind_len;
		sen_hash_put_str(u->subs, supi, s);
	}
	memcpy(s->k, k, 16);
	memcpy(s->opc, opc, 16);
	memcpy(s->amf, amf, 2);
	s->sqn = sqn;
	return 0;
}

uint64_t fake_udr_sqn(const struct fake_udr *u, const char *supi)
{
	const struct sub *s = sen_hash_get_str(u->subs, supi);

	return s ? s->sqn : UINT64_MAX;
}

void fake_udr_set_barred(struct fake_udr *u, const char *supi, bool barred)
{
	struct sub *s = sen_hash_get_str(u->subs, supi);

	if (s)
		s->barred = barred;
}

const cJSON *fake_udr_auth_status(const struct fake_udr *u, const char *supi)
{
	const struct sub *s = sen_hash_get_str(u->subs, supi);

	return s ? s->auth_status : NULL;
}

unsigned fake_udr_requests(const struct fake_udr *u)
{
	return u->requests;
}

unsigned fake_udr_advances(const struct fake_udr *u)
{
	return u->advances;
}

unsigned fake_udr_patches(const struct fake_udr *u)
{
	return u->patches;
}
