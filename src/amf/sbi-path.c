/*
 * sen-amf SBI path (see sbi-path.h). JSON shapes from the 3GPP OpenAPI files:
 *   TS 29.509 AuthenticationInfo {supiOrSuci, servingNetworkName, resynchronizationInfo
 *     {rand, auts}} -> 201 UEAuthenticationCtx {authType "5G_AKA", 5gAuthData {rand, autn,
 *     hxresStar}, _links {"5g-aka": {href}}}; PUT ConfirmationData {resStar} -> 200
 *     ConfirmationDataResponse {authResult, supi, kseaf}.
 *   TS 29.503 Amf3GppAccessRegistration {amfInstanceId, deregCallbackUri, guami, ratType,
 *     initialRegistrationInd}; AccessAndMobilitySubscriptionData {subscribedUeAmbr, nssai};
 *     Nssai {defaultSingleNssais, singleNssais}; DeregistrationData {deregReason}.
 * Key material (kseaf) goes from the JSON straight into KAMF and is wiped; never logged.
 */
#include "sbi-path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "context.h"
#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "crypto/kdf.h"
#include "gmm.h"
#include "sbi/sbi.h"

enum sbi_step {
	STEP_NONE = 0,
	STEP_AUSF_AUTH,
	STEP_AUSF_CONFIRM,
	STEP_UECM,
	STEP_AM_DATA,
	STEP_NSSAI,
	STEP_SMF_SEL
};

/* 5GMM cause when an SBI step fails for a reason other than the subscriber: #111 protocol
 * error, unspecified (TS 24.501 9.11.3.2). */
#define CAUSE_SBI_FAILURE 111
/* 9.11.3.2 #11 PLMN not allowed */
#define CAUSE_PLMN_NOT_ALLOWED 11

static void fail(struct amf_ue *ue, uint8_t cause, bool auth_reject)
{
	struct gmm_ev ev = {.type = GMM_EV_SBI_FAIL, .cause = cause, .auth_reject = auth_reject};
	gmm_dispatch(ue, &ev);
}

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg);

/* Send req to `authority` (an apiRoot, may be NULL) or to the NF type's service. */
static void call(struct amf_ue *ue, enum sbi_step step, const char *nf_type, const char *service,
		 const char *authority, struct sen_sbi_msg *req)
{
	struct sen_sbi_target t = {.authority = authority, .nf_type = nf_type, .service = service,
				   .hint = ue->supi};
	int rc;

	if (!req) {
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	ue->sbi_step = (uint8_t)step;
	sen_sbi_msg_set_header(req, "accept", "application/json, application/problem+json");
	rc = sen_sbi_client_request(ue->amf->sbi, &t, req, ue->amf->cfg.sbi_timeout, on_answer, ue,
				    &ue->xact);
	if (rc < 0) {
		ue->xact = NULL;
		sen_log_ue_warn("sbi", ue->tag, "%s request not sent: %s", nf_type, sen_strerror(rc));
		fail(ue, CAUSE_SBI_FAILURE, false);
	}
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool jhex(const cJSON *o, const char *name, uint8_t *out, size_t len)
{
	const char *s = jstr(o, name);
	return s && strlen(s) == 2 * len && sen_hex_decode_exact(s, out, len) >= 0;
}

/* ---- Nausf_UEAuthentication ---- */

void amf_sbi_ausf_authenticate(struct amf_ue *ue, const uint8_t *auts)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_POST, "/nausf-auth/v1/ue-authentications");
	const char *id = ue->supi ? ue->supi : ue->suci; /* amf_ue_set_suci: the string form */
	char hex[64];
	cJSON *j = cJSON_CreateObject(), *rs;

	if (!j || !req || !id) {
		cJSON_Delete(j);
		sen_sbi_msg_free(req);
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	cJSON_AddStringToObject(j, "supiOrSuci", id);
	cJSON_AddStringToObject(j, "servingNetworkName", ue->amf->snn);
	if (auts && (rs = cJSON_AddObjectToObject(j, "resynchronizationInfo"))) {
		cJSON_AddStringToObject(rs, "rand", sen_hex_encode(ue->rand, 16, hex));
		cJSON_AddStringToObject(rs, "auts", sen_hex_encode(auts, 14, hex));
	}
	sen_sbi_msg_set_json(req, j, NULL);
	cJSON_Delete(j);
	call(ue, STEP_AUSF_AUTH, "AUSF", "nausf-auth", NULL, req);
}

static void ausf_auth_answer(struct amf_ue *ue, struct sen_sbi_msg *rsp)
{
	int status = sen_sbi_msg_status(rsp);
	cJSON *j = NULL;
	const cJSON *av, *links, *aka;
	const char *href;
	char cause[64] = "";

	if (status != 201) {
		sen_sbi_problem_read(rsp, cause, sizeof(cause), NULL, 0);
		sen_log_ue_info("sbi", ue->tag, "AUSF answered %d %s", status, cause);
		if (status == 404)
			fail(ue, ue->amf->cfg.unknown_subscriber_cause, false);
		else if (status == 403 && !strcmp(cause, "SERVING_NETWORK_NOT_AUTHORIZED"))
			fail(ue, CAUSE_PLMN_NOT_ALLOWED, false);
		else if (status == 403)
			fail(ue, 7, false); /* #7 5GS services not allowed */
		else
			fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	if (sen_sbi_msg_json(rsp, &j) < 0)
		goto bad;
	av = cJSON_GetObjectItemCaseSensitive(j, "5gAuthData");
	links = cJSON_GetObjectItemCaseSensitive(j, "_links");
	aka = links ? cJSON_GetObjectItemCaseSensitive(links, "5g-aka") : NULL;
	href = aka ? jstr(aka, "href") : NULL;
	if (!jstr(j, "authType") || strcmp(jstr(j, "authType"), "5G_AKA") || !av ||
	    !jhex(av, "rand", ue->rand, 16) || !jhex(av, "autn", ue->autn, 16) ||
	    !jhex(av, "hxresStar", ue->hxres_star, 16) || !href || strlen(href) >= AMF_URI_MAX)
		goto bad;
	free(ue->confirm_uri);
	if (!(ue->confirm_uri = strdup(href))) {
		cJSON_Delete(j);
		sen_log_ue_warn("sbi", ue->tag, "no memory for the 5G AKA confirmation URI");
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	cJSON_Delete(j);
	struct gmm_ev ev = {.type = GMM_EV_AUSF_AUTH};
	gmm_dispatch(ue, &ev);
	return;
bad:
	cJSON_Delete(j);
	sen_log_ue_warn("sbi", ue->tag, "AUSF answer is not a 5G AKA UEAuthenticationCtx");
	fail(ue, CAUSE_SBI_FAILURE, false);
}

void amf_sbi_ausf_confirm(struct amf_ue *ue, const uint8_t res_star[16])
{
	const char *uri = ue->confirm_uri, *path = uri, *p;
	char authority[128] = "", hex[40];
	struct sen_sbi_msg *req;
	cJSON *j;

	if (!uri) {
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	/* The link is an absolute URI (apiRoot + path) or a path. */
	if ((p = strstr(uri, "://")) != NULL) {
		path = strchr(p + 3, '/');
		if (!path || (size_t)(path - uri) >= sizeof(authority)) {
			fail(ue, CAUSE_SBI_FAILURE, false);
			return;
		}
		memcpy(authority, uri, (size_t)(path - uri));
		authority[path - uri] = '\0';
	} else if (uri[0] != '/') {
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	req = sen_sbi_request_new(SEN_SBI_PUT, "%s", path);
	/* The link is used once: the request holds its own copy now. */
	free(ue->confirm_uri);
	ue->confirm_uri = NULL;
	j = cJSON_CreateObject();
	if (!req || !j) {
		sen_sbi_msg_free(req);
		cJSON_Delete(j);
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	cJSON_AddStringToObject(j, "resStar", sen_hex_encode(res_star, 16, hex));
	sen_sbi_msg_set_json(req, j, NULL);
	cJSON_Delete(j);
	call(ue, STEP_AUSF_CONFIRM, "AUSF", "nausf-auth", authority[0] ? authority : NULL, req);
}

static void ausf_confirm_answer(struct amf_ue *ue, struct sen_sbi_msg *rsp)
{
	uint8_t kseaf[32];
	const char *result, *supi;
	cJSON *j = NULL;
	int rc;

	if (sen_sbi_msg_status(rsp) != 200 || sen_sbi_msg_json(rsp, &j) < 0) {
		sen_log_ue_info("sbi", ue->tag, "AUSF confirmation answered %d",
				sen_sbi_msg_status(rsp));
		cJSON_Delete(j);
		fail(ue, CAUSE_SBI_FAILURE, sen_sbi_msg_status(rsp) / 100 == 4);
		return;
	}
	result = jstr(j, "authResult");
	supi = jstr(j, "supi");
	if (!result || strcmp(result, "AUTHENTICATION_SUCCESS")) {
		sen_log_ue_info("sbi", ue->tag, "AUSF: %s", result ? result : "no authResult");
		cJSON_Delete(j);
		fail(ue, 0, true);
		return;
	}
	if (!supi || !jhex(j, "kseaf", kseaf, 32) || amf_ue_set_supi(ue, supi) < 0) {
		cJSON_Delete(j);
		OPENSSL_cleanse(kseaf, sizeof(kseaf));
		sen_log_ue_warn("sbi", ue->tag, "AUSF confirmation without a usable SUPI or KSEAF");
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	cJSON_Delete(j);
	/* TS 33.501 6.1.3.2 step 12, A.7: KAMF from KSEAF, SUPI and ABBA 0x0000. */
	static const uint8_t abba[2] = {0, 0};
	rc = sen_kdf_kamf(kseaf, ue->supi, abba, sizeof(abba), ue->kamf);
	OPENSSL_cleanse(kseaf, sizeof(kseaf));
	if (rc < 0) {
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	ue->has_kamf = true;
	struct gmm_ev ev = {.type = GMM_EV_AUSF_CONFIRM};
	gmm_dispatch(ue, &ev);
}

/* ---- Nudm_UECM, Nudm_SDM ---- */

void amf_sbi_guami_json(const struct amf *amf, cJSON *o)
{
	cJSON *g = cJSON_AddObjectToObject(o, "guami"), *p;
	char amf_id[8];

	if (!g || !(p = cJSON_AddObjectToObject(g, "plmnId")))
		return;
	cJSON_AddStringToObject(p, "mcc", amf->nas_plmn.mcc);
	cJSON_AddStringToObject(p, "mnc", amf->nas_plmn.mnc);
	/* TS 29.571 AmfId: region (8) | set (10) | pointer (6), 6 hex digits */
	snprintf(amf_id, sizeof(amf_id), "%06x",
		 (unsigned)amf->cfg.guami.region << 16 | (unsigned)amf->cfg.guami.set << 6 |
		     amf->cfg.guami.pointer);
	cJSON_AddStringToObject(g, "amfId", amf_id);
}

void amf_sbi_udm_register(struct amf_ue *ue)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(
	    SEN_SBI_PUT, "/nudm-uecm/v1/%s/registrations/amf-3gpp-access", ue->supi);
	cJSON *j = cJSON_CreateObject();
	char uri[sizeof(ue->amf->sbi_authority) + SEN_SUPI_MAX + 48];

	if (!req || !j) {
		sen_sbi_msg_free(req);
		cJSON_Delete(j);
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	snprintf(uri, sizeof(uri), "http://%s/namf-callback/v1/%s/dereg-notify",
		 ue->amf->sbi_authority, ue->supi);
	cJSON_AddStringToObject(j, "amfInstanceId", ue->amf->instance_id);
	cJSON_AddStringToObject(j, "deregCallbackUri", uri);
	amf_sbi_guami_json(ue->amf, j);
	cJSON_AddStringToObject(j, "ratType", "NR");
	cJSON_AddBoolToObject(j, "initialRegistrationInd", ue->reg_type == 1);
	sen_sbi_msg_set_json(req, j, NULL);
	cJSON_Delete(j);
	call(ue, STEP_UECM, "UDM", "nudm-uecm", NULL, req);
}

static void udm_get(struct amf_ue *ue, enum sbi_step step, const char *what)
{
	char plmn[64];
	struct sen_sbi_msg *req =
	    sen_sbi_request_new(SEN_SBI_GET, "/nudm-sdm/v2/%s/%s", ue->supi, what);

	snprintf(plmn, sizeof(plmn), "{\"mcc\":\"%s\",\"mnc\":\"%s\"}", ue->amf->nas_plmn.mcc,
		 ue->amf->nas_plmn.mnc);
	if (req)
		sen_sbi_msg_add_query(req, "plmn-id", plmn);
	call(ue, step, "UDM", "nudm-sdm", NULL, req);
}

/* TS 29.571 BitRate: "<number>[.<fraction>] (bps|Kbps|Mbps|Gbps|Tbps)" -> bit/s. */
static uint64_t bitrate(const char *s)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {{"bps", 1}, {"Kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9}, {"Tbps", 1e12}};
	char *end;
	double v;

	if (!s)
		return 0;
	v = strtod(s, &end);
	if (end == s || *end != ' ' || v < 0)
		return 0;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end + 1, units[i].unit)) {
			double r = v * units[i].mult;
			return r > 4e12 ? (uint64_t)4e12 : (uint64_t)r;
		}
	return 0;
}

/* Nssai (TS 29.503): default and other single NSSAIs -> the subscribed list, the defaults
 * first (*n_default of them). */
static bool parse_nssai(struct sen_nas_nssai *out, uint8_t *n_default, const cJSON *nssai)
{
	static const char *const lists[] = {"defaultSingleNssais", "singleNssais"};
	const cJSON *s;

	out->n = 0;
	*n_default = 0;
	if (!cJSON_IsObject(nssai))
		return false;
	for (int l = 0; l < 2; l++) {
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(nssai, lists[l]))
		{
			const cJSON *sst = cJSON_GetObjectItemCaseSensitive(s, "sst");
			const char *sd = jstr(s, "sd");
			struct sen_nas_snssai v = {.len = 1};

			if (!cJSON_IsNumber(sst) || sst->valuedouble < 0 || sst->valuedouble > 255 ||
			    out->n >= SEN_NAS_NSSAI_MAX)
				continue;
			v.sst = (uint8_t)sst->valueint;
			if (sd && strlen(sd) == 6) {
				v.sd = (uint32_t)strtoul(sd, NULL, 16);
				v.len = 4;
			}
			bool dup = false;
			for (unsigned i = 0; i < out->n; i++)
				dup |= out->s[i].sst == v.sst && out->s[i].len == v.len &&
				       out->s[i].sd == v.sd;
			if (!dup)
				out->s[out->n++] = v;
		}
		if (l == 0)
			*n_default = out->n;
	}
	return true;
}

/* TS 29.503 SmfSelectionSubscriptionData: subscribedSnssaiInfos {"<sst>[-<sd>]": {dnnInfos
 * [{dnn, defaultDnnIndicator}]}} -> ue->sub_dnn, sized to what it holds. 0 or -SEN_ENOMEM. */
static int parse_smf_sel(struct amf_ue *ue, const cJSON *j)
{
	const cJSON *infos = cJSON_GetObjectItemCaseSensitive(j, "subscribedSnssaiInfos"), *info, *d;
	struct amf_sub_dnn list[AMF_MAX_SUB_DNN];
	unsigned n = 0;

	cJSON_ArrayForEach(info, infos)
	{
		struct sen_nas_snssai sn = {.len = 1};
		char *end;
		unsigned long sst = strtoul(info->string ? info->string : "", &end, 10);

		if (end == info->string || sst > 255)
			continue;
		sn.sst = (uint8_t)sst;
		if (*end == '-' && strlen(end + 1) == 6) {
			sn.sd = (uint32_t)strtoul(end + 1, NULL, 16);
			sn.len = 4;
		} else if (*end) {
			continue;
		}
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(info, "dnnInfos"))
		{
			const char *dnn = jstr(d, "dnn");
			const cJSON *def = cJSON_GetObjectItemCaseSensitive(d, "defaultDnnIndicator");
			struct amf_sub_dnn *x;

			if (!dnn || strlen(dnn) >= sizeof(x->dnn) || n >= AMF_MAX_SUB_DNN)
				continue;
			x = &list[n++];
			x->snssai = sn;
			snprintf(x->dnn, sizeof(x->dnn), "%s", dnn);
			x->is_default = cJSON_IsTrue(def);
		}
	}
	if (n && !(ue->sub_dnn = malloc(n * sizeof(*ue->sub_dnn))))
		return -SEN_ENOMEM;
	if (n)
		memcpy(ue->sub_dnn, list, n * sizeof(*ue->sub_dnn));
	ue->n_sub_dnn = (uint8_t)n;
	ue->has_smf_sel = cJSON_IsObject(infos);
	return 0;
}

static void udm_answer(struct amf_ue *ue, enum sbi_step step, struct sen_sbi_msg *rsp)
{
	int status = sen_sbi_msg_status(rsp);
	cJSON *j = NULL;
	bool have_nssai = false;
	struct sen_nas_nssai nssai = {0};
	uint8_t n_default = 0;
	int rc = 0;

	if (step == STEP_UECM) {
		if (status != 200 && status != 201 && status != 204) {
			char cause[64] = "";
			sen_sbi_problem_read(rsp, cause, sizeof(cause), NULL, 0);
			sen_log_ue_info("sbi", ue->tag, "UDM UECM registration answered %d %s",
					status, cause);
			/* TS 29.503 6.2.3.2.3.1: 403 UNKNOWN_5GS_SUBSCRIPTION, NO_PS_SUBSCRIPTION,
			 * ROAMING_NOT_ALLOWED, ACCESS_NOT_ALLOWED, RAT_NOT_ALLOWED: the subscriber
			 * may not use this network (#11 when roaming, #7 5GS services not allowed
			 * otherwise, TS 24.501 5.5.1.2.5). */
			fail(ue, status == 404 ? ue->amf->cfg.unknown_subscriber_cause
			     : status == 403 && !strcmp(cause, "ROAMING_NOT_ALLOWED") ? CAUSE_PLMN_NOT_ALLOWED
			     : status == 403 ? 7 : CAUSE_SBI_FAILURE, false);
			return;
		}
		ue->udm_registered = true;
		udm_get(ue, STEP_AM_DATA, "am-data");
		return;
	}
	if (step == STEP_SMF_SEL) {
		/* optional (TS 23.502 4.2.2.2.2 step 14): without it the DNN comes from config */
		amf_ue_drop_smf_sel(ue);
		if (status == 200 && sen_sbi_msg_json(rsp, &j) == 0)
			rc = parse_smf_sel(ue, j);
		cJSON_Delete(j);
		if (rc < 0) {
			sen_log_ue_warn("sbi", ue->tag, "no memory for the SMF selection data");
			fail(ue, CAUSE_SBI_FAILURE, false);
			return;
		}
		struct gmm_ev ev = {.type = GMM_EV_UDM_DONE};
		gmm_dispatch(ue, &ev);
		return;
	}
	if (status != 200 || sen_sbi_msg_json(rsp, &j) < 0) {
		sen_log_ue_info("sbi", ue->tag, "UDM SDM %s answered %d",
				step == STEP_AM_DATA ? "am-data" : "nssai", status);
		cJSON_Delete(j);
		fail(ue, status == 404 ? ue->amf->cfg.unknown_subscriber_cause : CAUSE_SBI_FAILURE,
		     false);
		return;
	}
	if (step == STEP_AM_DATA) {
		const cJSON *ambr = cJSON_GetObjectItemCaseSensitive(j, "subscribedUeAmbr");
		ue->ambr_ul = bitrate(jstr(ambr, "uplink"));
		ue->ambr_dl = bitrate(jstr(ambr, "downlink"));
		have_nssai = parse_nssai(&nssai, &n_default,
					 cJSON_GetObjectItemCaseSensitive(j, "nssai"));
	} else {
		have_nssai = parse_nssai(&nssai, &n_default, j);
	}
	cJSON_Delete(j);
	/* held until the allowed NSSAI is computed (gmm_on_udm_done) */
	if (amf_nssai_hold(&ue->subscribed_nssai, &nssai) < 0) {
		sen_log_ue_warn("sbi", ue->tag, "no memory for the subscribed NSSAI");
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	ue->sub_n_default = n_default;
	if (!have_nssai && step == STEP_AM_DATA) {
		udm_get(ue, STEP_NSSAI, "nssai");
		return;
	}
	udm_get(ue, STEP_SMF_SEL, "smf-select-data");
}

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct amf_ue *ue = arg;
	enum sbi_step step = (enum sbi_step)ue->sbi_step;

	ue->xact = NULL;
	ue->sbi_step = STEP_NONE;
	if (err < 0 && step == STEP_SMF_SEL) {
		amf_ue_drop_smf_sel(ue);
		struct gmm_ev ev = {.type = GMM_EV_UDM_DONE};
		gmm_dispatch(ue, &ev);
		return;
	}
	if (err < 0) {
		sen_log_ue_warn("sbi", ue->tag, "SBI request failed: %s", sen_strerror(err));
		fail(ue, CAUSE_SBI_FAILURE, false);
		return;
	}
	switch (step) {
	case STEP_AUSF_AUTH:
		ausf_auth_answer(ue, rsp);
		break;
	case STEP_AUSF_CONFIRM:
		ausf_confirm_answer(ue, rsp);
		break;
	case STEP_UECM:
	case STEP_AM_DATA:
	case STEP_NSSAI:
	case STEP_SMF_SEL:
		udm_answer(ue, step, rsp);
		break;
	default:
		break;
	}
}

/* ---- Namf callback: UDM deregistration notification (TS 29.503 5.3.2.2.4) ---- */

/* What the AMF does for each DeregistrationReason (TS 29.503 6.2.6.3.x). */
enum dereg_action {
	DEREG_MOVED_RELEASE,	/* registered at another AMF: remove, release SM contexts */
	DEREG_MOVED_KEEP,	/* registered at another AMF: remove, SM contexts moved */
	DEREG_NETWORK,		/* network-initiated deregistration (TS 24.501 5.5.2.3) */
	DEREG_REREGISTER,	/* the same with "re-registration required" */
	DEREG_IGNORE,		/* not about an AMF registration */
};

static const struct {
	const char *reason;
	enum dereg_action action;
	uint8_t cause; /* 5GMM cause of the Deregistration Request (9.11.3.2), 0 none */
} dereg_reasons[] = {
	/* TS 23.502 4.2.2.2.2 step 14c: the old AMF removes the MM context; for an initial
	 * registration at the new AMF the SMFs release the PDU sessions. */
	{"UE_INITIAL_REGISTRATION", DEREG_MOVED_RELEASE, 0},
	/* mobility registration at the new AMF: the SM contexts went with the UE context */
	{"UE_REGISTRATION_AREA_CHANGE", DEREG_MOVED_KEEP, 0},
	/* TS 23.502 4.2.4.3 / 4.11.1.2.2: the UE moved to EPS; its PDN connections carry the
	 * sessions (kept), unless it attached there afresh (released). */
	{"5GS_TO_EPS_MOBILITY", DEREG_MOVED_KEEP, 0},
	{"5GS_TO_EPS_MOBILITY_UE_INITIAL_REGISTRATION", DEREG_MOVED_RELEASE, 0},
	/* TS 23.502 4.2.2.3.3: subscription withdrawn -> the AMF deregisters the UE;
	 * TS 24.501 5.5.2.3.2: #7 "5GS services not allowed". */
	{"SUBSCRIPTION_WITHDRAWN", DEREG_NETWORK, 7},
	/* TS 23.502 4.2.2.3.3 / 5.2.3.2.2: the UE shall register again (TS 24.501 9.11.3.20
	 * "re-registration required"); so does a UE whose disaster condition ended. */
	{"REREGISTRATION_REQUIRED", DEREG_REREGISTER, 0},
	{"DISASTER_CONDITION_TERMINATED", DEREG_REREGISTER, 0},
	/* reasons of the SMF registrations (Nudm_UECM for SMFs), not of an AMF's */
	{"SMF_CONTEXT_TRANSFERRED", DEREG_IGNORE, 0},
	{"DUPLICATE_PDU_SESSION", DEREG_IGNORE, 0},
	{"PDU_SESSION_REACTIVATION_REQUIRED", DEREG_IGNORE, 0},
};

static void on_dereg_notify(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct amf *amf = arg;
	const char *supi = sen_sbi_msg_var(req, "supi");
	struct amf_ue *ue = supi ? amf_ue_by_supi(amf, supi) : NULL;
	enum dereg_action action = DEREG_NETWORK;
	uint8_t cause = 0;
	const char *reason;
	bool known = false;
	cJSON *j;

	if (sen_sbi_msg_json(req, &j) < 0 || !(reason = jstr(j, "deregReason"))) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_bad_json(st, "DeregistrationData expected");
		return;
	}
	if (!ue) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND", "no UE context");
		return;
	}
	for (size_t i = 0; i < sizeof(dereg_reasons) / sizeof(dereg_reasons[0]); i++)
		if (!strcmp(reason, dereg_reasons[i].reason)) {
			action = dereg_reasons[i].action;
			cause = dereg_reasons[i].cause;
			known = true;
			break;
		}
	/* An unknown (later release) reason: the UDM wants the registration gone. */
	sen_log_ue_info("amf", ue->tag, "UDM deregistration notification: %.64s%s", reason,
			known ? "" : " (unknown reason: network deregistration)");
	cJSON_Delete(j);
	sen_sbi_stream_respond_status(st, 204);
	switch (action) {
	case DEREG_MOVED_RELEASE:
	case DEREG_MOVED_KEEP:
		/* the UDM has the other AMF as the serving one already */
		ue->udm_registered = false;
		amf_ue_remove_moved(ue, action == DEREG_MOVED_RELEASE);
		return;
	case DEREG_IGNORE:
		return;
	case DEREG_NETWORK:
	case DEREG_REREGISTER:
		break;
	}
	ue->nw_dereg_rereg = action == DEREG_REREGISTER;
	struct gmm_ev ev = {.type = GMM_EV_NW_DEREGISTER, .cause = cause};
	gmm_dispatch(ue, &ev);
}

/* ---- peers: the NRF, else the same sen.yaml ---- */

/* A resolution waiting for the NRF (the xact stays valid until resolved, even cancelled). */
struct resolve {
	struct amf *amf;
	struct sen_sbi_xact *x;
	char nf_type[8], service[32], supi[SEN_SUPI_MAX], dnn[SEN_NAS_DNN_MAX + 1];
	struct sen_cfg_slice slice;
	bool has_slice, any_smf_pass; /* second query: is there any SMF at all? */
};

/* Does smf.dnn of the same file list `dnn` (or list no DNN at all)? */
static bool file_smf_serves(const struct amf *amf, const char *dnn)
{
	const struct sen_cfg_node *l = sen_cfg_map_get(amf->file->global.smf, "dnn");

	if (!dnn || !l || l->type != SEN_CFG_T_SEQ)
		return true;
	for (size_t i = 0; i < l->count; i++) {
		const struct sen_cfg_node *n = sen_cfg_map_get(l->items[i], "name");
		if (n && n->type == SEN_CFG_T_SCALAR && !strcasecmp(n->str, dnn))
			return true;
	}
	return false;
}

/* The peer of the same sen.yaml for r, or NULL with *err. */
static const char *file_peer(const struct resolve *r, int *err)
{
	const struct amf *amf = r->amf;

	*err = -SEN_ENOENT;
	if (!strcmp(r->nf_type, "AUSF") && amf->ausf_authority[0])
		return amf->ausf_authority;
	if (!strcmp(r->nf_type, "UDM") && amf->udm_authority[0])
		return amf->udm_authority;
	if (!strcmp(r->nf_type, "SMF") && amf->smf_authority[0]) {
		if (file_smf_serves(amf, r->dnn[0] ? r->dnn : NULL))
			return amf->smf_authority;
		*err = -SEN_ERANGE; /* an SMF, but not for this DNN */
	}
	return NULL;
}

static void resolve_done(struct resolve *r, const char *auth, int err)
{
	sen_sbi_xact_resolved(r->x, auth, auth ? 0 : err);
	free(r);
}

static void discover(struct resolve *r);

static void on_discovered(int err, const cJSON *nf_instances, void *arg)
{
	struct resolve *r = arg;
	const cJSON *p, *best = NULL;
	char auth[80];
	const char *fb;
	int ferr;

	if (err == 0)
		cJSON_ArrayForEach(p, nf_instances)
		{
			const cJSON *pr = cJSON_GetObjectItemCaseSensitive(p, "priority");
			const cJSON *bp = best ? cJSON_GetObjectItemCaseSensitive(best, "priority") : NULL;
			if (sen_nf_profile_authority(p, r->service[0] ? r->service : NULL, auth,
						     sizeof(auth)) < 0)
				continue;
			/* TS 29.510 6.1.6.2.2: the lowest priority value is preferred */
			if (!best || (cJSON_IsNumber(pr) && cJSON_IsNumber(bp) &&
				      pr->valuedouble < bp->valuedouble))
				best = p;
		}
	if (r->any_smf_pass) { /* no SMF for the DNN / slice: is there any SMF? */
		resolve_done(r, NULL, best ? -SEN_ERANGE : -SEN_ENOENT);
		return;
	}
	if (best && sen_nf_profile_authority(best, r->service[0] ? r->service : NULL, auth,
					     sizeof(auth)) == 0) {
		resolve_done(r, auth, 0);
		return;
	}
	fb = file_peer(r, &ferr);
	if (fb || ferr == -SEN_ERANGE || strcmp(r->nf_type, "SMF") || !r->dnn[0]) {
		resolve_done(r, fb, ferr);
		return;
	}
	r->any_smf_pass = true;
	discover(r);
}

static void discover(struct resolve *r)
{
	struct sen_nrf_query q = {.nf_type = r->nf_type, .service = r->service[0] ? r->service : NULL};

	if (!r->any_smf_pass) {
		q.supi = r->supi[0] ? r->supi : NULL;
		q.dnn = r->dnn[0] ? r->dnn : NULL;
		q.snssai = r->has_slice ? &r->slice : NULL;
	}
	if (sen_nrf_client_discover(r->amf->nrf, &q, on_discovered, r) < 0)
		on_discovered(-SEN_ENOMEM, NULL, r);
}

/*
 * Targets by NF type (TS 29.510 5.3.2.2 discovery when there is an NRF, then the `sbi` of
 * that NF's section of the same file). For "SMF" the hint is a struct amf_smf_hint (DNN and
 * S-NSSAI, TS 23.502 4.3.2.2.3); for the others it is the SUPI.
 */
static void resolve(struct sen_sbi_client *c, struct sen_sbi_xact *x, const struct sen_sbi_target *t,
		    void *arg)
{
	struct amf *amf = arg;
	struct resolve *r = calloc(1, sizeof(*r));
	const char *fb;
	int err;

	(void)c;
	if (!r || !t->nf_type) {
		free(r);
		sen_sbi_xact_resolved(x, NULL, r ? -SEN_ENOENT : -SEN_ENOMEM);
		return;
	}
	r->amf = amf;
	r->x = x;
	snprintf(r->nf_type, sizeof(r->nf_type), "%s", t->nf_type);
	snprintf(r->service, sizeof(r->service), "%s", t->service ? t->service : "");
	if (!strcmp(t->nf_type, "SMF") && t->hint) {
		const struct amf_smf_hint *h = t->hint;
		snprintf(r->dnn, sizeof(r->dnn), "%s", h->dnn ? h->dnn : "");
		if (h->snssai) {
			r->slice = *h->snssai;
			r->has_slice = true;
		}
	} else if (t->hint) {
		snprintf(r->supi, sizeof(r->supi), "%s", (const char *)t->hint);
	}
	if (amf->nrf) {
		discover(r);
		return;
	}
	fb = file_peer(r, &err);
	resolve_done(r, fb, err);
}

/* The `sbi` address of another NF's section of the same sen.yaml (static discovery). */
static void peer_from_file(const struct sen_cfg_node *section, char *out, size_t cap)
{
	const struct sen_cfg_node *n = sen_cfg_map_get(section, "sbi");
	out[0] = '\0';
	if (n && n->type == SEN_CFG_T_SCALAR)
		snprintf(out, cap, "%s", n->str);
}

/* NFRegister (TS 29.510 5.2.2.2): type AMF, Namf_Communication, amfInfo with the GUAMI
 * and the TAIs (6.1.6.2.11), heartbeats, deregistration at stop. */
static int nrf_start(struct amf *amf, char *err, size_t errlen)
{
	static const char *const services[] = {"namf-comm"};
	const struct sen_cfg_plmn *plmn = &amf->file->global.plmn;
	struct sen_nf_guami g = {.plmn = *plmn,
				 .region = amf->cfg.guami.region,
				 .set = amf->cfg.guami.set,
				 .pointer = amf->cfg.guami.pointer};
	cJSON *profile = NULL;
	char nrf_auth[64];
	int rc;

	rc = sen_nf_profile_build(
	    &(struct sen_nf_profile_desc){
		.nf_instance_id = amf->instance_id,
		.nf_type = "AMF",
		.sbi = &amf->cfg.sbi,
		.plmns = plmn,
		.n_plmns = 1,
		.snssais = amf->cfg.slices,
		.n_snssais = amf->cfg.n_slices,
		.services = services,
		.n_services = 1,
		.guamis = &g,
		.n_guamis = 1,
		.tacs = amf->cfg.tac,
		.n_tacs = amf->cfg.n_tac,
	    },
	    &profile);
	if (rc < 0) {
		snprintf(err, errlen, "amf: cannot build the NFProfile: %s", sen_strerror(rc));
		return rc;
	}
	rc = sen_nrf_client_new(
	    amf->loop, amf->sbi,
	    &(struct sen_nrf_client_opts){
		.nrf = sen_nrf_addr_authority(&amf->nrf_cfg.sbi, nrf_auth, sizeof(nrf_auth)),
		.profile = profile,
		.no_resolver = true, /* resolve() asks it, with the same-file fallback */
	    },
	    &amf->nrf);
	cJSON_Delete(profile);
	if (rc == 0)
		rc = sen_nrf_client_start(amf->nrf);
	if (rc < 0)
		snprintf(err, errlen, "amf: cannot start the NRF client: %s", sen_strerror(rc));
	return rc;
}

int amf_sbi_start(struct amf *amf, char *err, size_t errlen)
{
	struct sen_sbi_client_opts co = {.timeout_ms = amf->cfg.sbi_timeout};
	struct sen_sbi_server_opts so = {0};
	char ip[48];
	int rc;

	if (sen_nf_uuid_v4(amf->instance_id) < 0) {
		snprintf(err, errlen, "amf: no random numbers for the NF instance id");
		return -SEN_EIO;
	}
	peer_from_file(amf->file->global.ausf, amf->ausf_authority, sizeof(amf->ausf_authority));
	peer_from_file(amf->file->global.udm, amf->udm_authority, sizeof(amf->udm_authority));
	peer_from_file(amf->file->global.smf, amf->smf_authority, sizeof(amf->smf_authority));

	if ((rc = sen_sbi_client_new(amf->loop, &co, &amf->sbi)) < 0) {
		snprintf(err, errlen, "amf: SBI client: %s", sen_strerror(rc));
		return rc;
	}
	sen_sbi_client_set_resolver(amf->sbi, resolve, amf);

	if (amf->cfg.sbi.sa.sa_family == AF_INET6) {
		struct sockaddr_in6 *a = &amf->cfg.sbi.in6;
		struct sen_cfg_ip x = {.family = AF_INET6, .v6 = a->sin6_addr};
		sen_cfg_ip_str(&x, ip, sizeof(ip));
		so.port = ntohs(a->sin6_port);
		snprintf(amf->sbi_authority, sizeof(amf->sbi_authority), "[%s]:%u", ip, so.port);
	} else {
		struct sockaddr_in *a = &amf->cfg.sbi.in;
		struct sen_cfg_ip x = {.family = AF_INET, .v4 = a->sin_addr};
		sen_cfg_ip_str(&x, ip, sizeof(ip));
		so.port = ntohs(a->sin_port);
		snprintf(amf->sbi_authority, sizeof(amf->sbi_authority), "%s:%u", ip, so.port);
	}
	so.addr = ip;
	if ((rc = sen_sbi_server_new(amf->loop, &so, &amf->sbi_server)) < 0 ||
	    (rc = sen_sbi_server_route(amf->sbi_server, SEN_SBI_POST,
				       "/namf-callback/v1/{supi}/dereg-notify", on_dereg_notify,
				       amf)) < 0 ||
	    (rc = amf_nsmf_routes(amf)) < 0 || (rc = sen_sbi_server_start(amf->sbi_server)) < 0) {
		snprintf(err, errlen, "%s: amf.sbi: cannot serve on %s: %s", amf->file->file,
			 amf->sbi_authority, sen_strerror(rc));
		return rc;
	}
	if (amf->have_nrf && (rc = nrf_start(amf, err, errlen)) < 0)
		return rc;
	return 0;
}

void amf_sbi_stop(struct amf *amf)
{
	if (amf->nrf)
		sen_nrf_client_stop(amf->nrf);
	sen_sbi_server_free(amf->sbi_server);
	amf->sbi_server = NULL;
}
