/*
 * Nudm-UECM (TS 29.503 clause 5.3 and 6.2): the serving AMF's registration for 3GPP access,
 * kept in the UDR (TS 29.505 context-data/amf-3gpp-access).
 *
 *   PUT /nudm-uecm/v1/{ueId}/registrations/amf-3gpp-access   Amf3GppAccessRegistration
 *       -> 201 Created (new registration, with Location) or 200 OK (replaced), the
 *          registration as body (TS 29.503 6.2.3.2.3.1)
 *   GET same path -> 200 Amf3GppAccessRegistration, or 404 (TS 29.503 6.2.3.2.3.2)
 *
 * The UDM first asks the UDR whether a registration exists (that decides 201 or 200), then
 * stores the new one. Errors: unknown subscriber 404 USER_NOT_FOUND, a missing mandatory
 * member 400 MANDATORY_IE_MISSING.
 *
 * When the stored registration was another AMF's (another amfInstanceId), storing the new
 * one makes the UDM send Nudm_UECM_DeregistrationNotification to the old AMF (TS 23.502
 * 4.2.2.2.2 step 14c; TS 29.503 5.3.2.2.2, 5.3.2.4.2): POST DeregistrationData
 * (6.2.6.2.6) {deregReason, accessType 3GPP_ACCESS} to the old registration's
 * deregCallbackUri. Fire and forget: the new AMF's answer never waits for it, a failure or
 * timeout is logged and nothing else.
 */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/log.h"

/* Time the old AMF has to answer the deregistration notification. */
#define UECM_DEREG_NOTIFY_TIMEOUT_MS 3000
/* Longest deregCallbackUri followed (TS 29.571 Uri: RFC 3986, no length given). */
#define UECM_URI_MAX 512

struct reg {
	struct udm *udm;
	struct sen_sbi_stream *st;
	cJSON *body;
	bool existed;
	bool notify_old; /* the old registration is another AMF's: notify it once stored */
	char supi[SEN_SUPI_MAX];
	char old_uri[UECM_URI_MAX]; /* the old registration's deregCallbackUri */
};

static void reg_free(struct reg *r)
{
	cJSON_Delete(r->body);
	free(r);
}

static void on_dereg_notified(int err, struct sen_sbi_msg *rsp, void *arg)
{
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);

	(void)arg;
	/* TS 29.503 5.3.2.4.2: 204 No Content on success. */
	if (status >= 200 && status < 300)
		sen_log_debug(UDM_LOG, "deregistration notification accepted by the old AMF");
	else
		sen_log_warn(UDM_LOG, "deregistration notification to the old AMF failed: %s",
			     err < 0 ? sen_strerror(err) : sen_sbi_reason_phrase(status));
}

/*
 * TS 29.503 5.3.2.4.2 DeregistrationNotification to the old AMF of r->supi. The reason:
 * UE_REGISTRATION_AREA_CHANGE when the new AMF says it is not an initial registration
 * (initialRegistrationInd false), UE_INITIAL_REGISTRATION otherwise (TS 23.502 4.2.2.2.2
 * step 14c).
 */
static void notify_old_amf(struct reg *r)
{
	const cJSON *ind = cJSON_GetObjectItemCaseSensitive(r->body, "initialRegistrationInd");
	const char *reason =
	    cJSON_IsFalse(ind) ? "UE_REGISTRATION_AREA_CHANGE" : "UE_INITIAL_REGISTRATION";
	char auth[128], path[UECM_URI_MAX];
	struct sen_sbi_msg *req = NULL;
	cJSON *d = NULL;
	int rc = -SEN_ENOMEM;

	if (sen_sbi_uri_split(r->old_uri, auth, sizeof(auth), path, sizeof(path)) < 0) {
		sen_log_warn(UDM_LOG,
			     "[supi=%s] old AMF's deregCallbackUri unusable: no notification",
			     r->supi);
		return;
	}
	/* TS 29.503 6.2.6.2.6 DeregistrationData. */
	if ((d = cJSON_CreateObject()) && cJSON_AddStringToObject(d, "deregReason", reason) &&
	    cJSON_AddStringToObject(d, "accessType", "3GPP_ACCESS") &&
	    (req = sen_sbi_request_new(SEN_SBI_POST, "%s", path)) &&
	    sen_sbi_msg_set_json(req, d, NULL) == 0) {
		sen_sbi_msg_set_header(req, "accept", "application/json, application/problem+json");
		sen_log_info(UDM_LOG,
			     "[supi=%s] deregistration notification (%s) to the old AMF at %s",
			     r->supi, reason, auth);
		rc = sen_sbi_client_send(r->udm->client, auth, req, UECM_DEREG_NOTIFY_TIMEOUT_MS,
					 on_dereg_notified, NULL);
		req = NULL; /* consumed */
	}
	sen_sbi_msg_free(req);
	cJSON_Delete(d);
	if (rc < 0)
		sen_log_warn(UDM_LOG, "[supi=%s] deregistration notification not sent: %s", r->supi,
			     sen_strerror(rc));
}

/*
 * From the registration the UDR holds (`old`): does it belong to another AMF than the new
 * one in r->body? If so keep its deregCallbackUri for notify_old_amf().
 */
static void note_old_amf(struct reg *r, const cJSON *old)
{
	const cJSON *oid = cJSON_GetObjectItemCaseSensitive(old, "amfInstanceId");
	const cJSON *ouri = cJSON_GetObjectItemCaseSensitive(old, "deregCallbackUri");
	const cJSON *nid = cJSON_GetObjectItemCaseSensitive(r->body, "amfInstanceId");

	if (!cJSON_IsString(oid) || !cJSON_IsString(ouri) || !cJSON_IsString(nid))
		return;
	/* NfInstanceId is a UUID (TS 29.571): compare without regard to case. */
	if (!strcasecmp(oid->valuestring, nid->valuestring))
		return;
	if (snprintf(r->old_uri, sizeof(r->old_uri), "%s", ouri->valuestring) >=
	    (int)sizeof(r->old_uri)) {
		sen_log_warn(UDM_LOG,
			     "[supi=%s] old AMF's deregCallbackUri too long: no notification",
			     r->supi);
		return;
	}
	r->notify_old = true;
}

static void on_stored(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct reg *r = arg;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);
	char loc[SEN_SUPI_MAX + 64];

	if (status >= 200 && status < 300) {
		sen_log_info(UDM_LOG, "[supi=%s] AMF registration %s", r->supi,
			     r->existed ? "replaced" : "created");
		if (r->existed) {
			udm_reply(r->udm, r->st, 200, r->body);
		} else {
			snprintf(loc, sizeof(loc), "/nudm-uecm/v1/%s/registrations/amf-3gpp-access",
				 r->supi);
			udm_reply_created(r->udm, r->st, loc, r->body);
		}
		/* After the new registration is stored and answered (TS 23.502 4.2.2.2.2
		 * step 14c): its answer never waits for the old AMF. */
		if (r->notify_old)
			notify_old_amf(r);
	} else {
		udm_error_udr(r->udm, r->st, err, rsp);
	}
	reg_free(r);
}

static void on_existing(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct reg *r = arg;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);
	struct sen_sbi_msg *put;
	cJSON *old = NULL;

	if (status != 200 && status != 404) {
		udm_error_udr(r->udm, r->st, err, rsp);
		reg_free(r);
		return;
	}
	r->existed = status == 200;
	if (r->existed && sen_sbi_msg_json(rsp, &old) == 0 && cJSON_IsObject(old))
		note_old_amf(r, old);
	cJSON_Delete(old);
	/* TS 29.505 5.2.2.4 (AMF 3GPP access context): PUT. */
	put = sen_sbi_request_new(
	    SEN_SBI_PUT, "/nudr-dr/v2/subscription-data/%s/context-data/amf-3gpp-access", r->supi);
	if (put)
		sen_sbi_msg_set_json(put, r->body, NULL);
	if (!put || udm_udr_send(r->udm, r->supi, put, on_stored, r) < 0) {
		udm_error(r->udm, r->st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
			  "cannot reach the UDR");
		reg_free(r);
	}
}

static struct sen_sbi_msg *udr_get(const char *supi)
{
	return sen_sbi_request_new(
	    SEN_SBI_GET, "/nudr-dr/v2/subscription-data/%s/context-data/amf-3gpp-access", supi);
}

static void on_put_registration(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udm *udm = arg;
	const char *supi = sen_sbi_msg_var(req, "ueId");
	static const char *const mandatory[] = {"amfInstanceId", "deregCallbackUri", "ratType"};
	cJSON *body = NULL, *g;
	struct sen_sbi_msg *get;
	struct reg *r;

	if (!udm_supi_valid(supi)) {
		udm_error_ie(udm, st, false, "ueId");
		return;
	}
	if (sen_sbi_msg_json(req, &body) < 0 || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		udm_error(udm, st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT,
			  "Amf3GppAccessRegistration expected");
		return;
	}
	/* TS 29.503 6.2.6.2.2 Amf3GppAccessRegistration: mandatory members. */
	for (size_t i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++) {
		cJSON *m = cJSON_GetObjectItemCaseSensitive(body, mandatory[i]);
		if (!cJSON_IsString(m) || !m->valuestring[0]) {
			udm_error_ie(udm, st, !m, mandatory[i]);
			cJSON_Delete(body);
			return;
		}
	}
	g = cJSON_GetObjectItemCaseSensitive(body, "guami");
	if (!cJSON_IsObject(g) || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(g, "plmnId")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(g, "amfId"))) {
		udm_error_ie(udm, st, !g, "guami");
		cJSON_Delete(body);
		return;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		cJSON_Delete(body);
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL);
		return;
	}
	r->udm = udm;
	r->st = st;
	r->body = body;
	snprintf(r->supi, sizeof(r->supi), "%s", supi);
	get = udr_get(supi);
	if (!get || udm_udr_send(udm, supi, get, on_existing, r) < 0) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
			  "cannot reach the UDR");
		reg_free(r);
	}
}

static void on_got(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct reg *r = arg;
	cJSON *j = NULL;

	if (err < 0 || sen_sbi_msg_status(rsp) != 200) {
		udm_error_udr(r->udm, r->st, err, rsp);
	} else if (sen_sbi_msg_json(rsp, &j) < 0 || !cJSON_IsObject(j)) {
		udm_error(r->udm, r->st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
			  "malformed registration");
	} else {
		udm_reply(r->udm, r->st, 200, j);
	}
	cJSON_Delete(j);
	reg_free(r);
}

static void on_get_registration(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct udm *udm = arg;
	const char *supi = sen_sbi_msg_var(req, "ueId");
	struct sen_sbi_msg *get;
	struct reg *r;

	if (!udm_supi_valid(supi)) {
		udm_error_ie(udm, st, false, "ueId");
		return;
	}
	if (!(r = calloc(1, sizeof(*r)))) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL);
		return;
	}
	r->udm = udm;
	r->st = st;
	get = udr_get(supi);
	if (!get || udm_udr_send(udm, supi, get, on_got, r) < 0) {
		udm_error(udm, st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES,
			  "cannot reach the UDR");
		reg_free(r);
	}
}

int udm_uecm_routes(struct udm *udm)
{
	static const char path[] = "/nudm-uecm/v1/{ueId}/registrations/amf-3gpp-access";
	int rc = sen_sbi_server_route(udm->srv, SEN_SBI_PUT, path, on_put_registration, udm);

	if (rc == 0)
		rc = sen_sbi_server_route(udm->srv, SEN_SBI_GET, path, on_get_registration, udm);
	return rc;
}
