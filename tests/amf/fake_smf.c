/*
 * A fake SMF for the sen-amf tests (lib/sbi): Nsmf_PDUSession create / modify / release as
 * TS 29.502 shapes them, recording what the AMF sent (JSON and the binary parts, read by a
 * multipart parser of its own, independent of the AMF's), and a client that plays the SMF
 * towards the AMF: N1N2MessageTransfer (TS 29.518) and the SM context status notification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "harness.h"
#include "sbi/sbi.h"

#define ADDR "127.0.0.1"

struct h_smf h_smf;
static struct sen_sbi_server *srv;
static struct sen_sbi_client *cli;

bool h_wait_count(const unsigned *c, unsigned n, int ms)
{
	for (int i = 0; i < ms / 10 && *c < n; i++)
		h_run(10);
	return *c >= n;
}

/* ---- multipart, independently of src/amf ---- */

static const uint8_t *mem_find(const uint8_t *h, size_t hl, const char *n)
{
	size_t nl = strlen(n);
	for (size_t i = 0; nl && i + nl <= hl; i++)
		if (!memcmp(h + i, n, nl))
			return h + i;
	return NULL;
}

/* Copy the part with Content-ID `id` of req's multipart body into out. */
static bool part(struct sen_sbi_msg *m, const char *id, uint8_t *out, size_t cap, size_t *len)
{
	const char *ct = sen_sbi_msg_header(m, "content-type"), *b;
	char delim[128], want[128];
	size_t bl;
	const uint8_t *body = sen_sbi_msg_body(m, &bl), *p, *end;

	if (!id || !ct || !(b = strstr(ct, "boundary=")))
		return false;
	snprintf(delim, sizeof(delim), "--%s", b + 9);
	snprintf(want, sizeof(want), "Content-Id: %s\r\n", id);
	for (p = body; p && (p = mem_find(p, bl - (size_t)(p - body), delim)) != NULL;) {
		p += strlen(delim);
		const uint8_t *hend = mem_find(p, bl - (size_t)(p - body), "\r\n\r\n");
		if (!hend)
			return false;
		bool mine = false;
		for (const uint8_t *q = p; q < hend; q++)
			if (!strncasecmp((const char *)q, want, strlen(want)))
				mine = true;
		end = mem_find(hend + 4, bl - (size_t)(hend + 4 - body), delim);
		if (mine && end && end - 2 >= hend + 4 && (size_t)(end - 2 - (hend + 4)) <= cap) {
			*len = (size_t)(end - 2 - (hend + 4)); /* CRLF before the delimiter */
			memcpy(out, hend + 4, *len);
			return true;
		}
	}
	return false;
}

/* The JSON root part (or the whole JSON body). */
static cJSON *root(struct sen_sbi_msg *m, char *copy, size_t cap)
{
	const char *ct = sen_sbi_msg_header(m, "content-type");
	size_t bl;
	const uint8_t *body = sen_sbi_msg_body(m, &bl), *s, *e;
	char delim[128];

	copy[0] = '\0';
	if (ct && !strncmp(ct, "multipart/related", 17) && strstr(ct, "boundary=")) {
		snprintf(delim, sizeof(delim), "--%s", strstr(ct, "boundary=") + 9);
		if (!(s = mem_find(body, bl, "\r\n\r\n")) || !(e = mem_find(s, bl - (size_t)(s - body), delim)))
			return NULL;
		s += 4;
		e -= 2;
	} else {
		s = body;
		e = body + bl;
	}
	if (!s || e < s || (size_t)(e - s) >= cap)
		return NULL;
	memcpy(copy, s, (size_t)(e - s));
	copy[e - s] = '\0';
	return cJSON_Parse(copy);
}

static void record(struct sen_sbi_msg *req, struct h_smf_req *r, cJSON **j)
{
	const cJSON *ref;

	memset(r, 0, sizeof(*r));
	*j = root(req, r->json, sizeof(r->json));
	if (!*j) {
		snprintf(h_smf.bad, sizeof(h_smf.bad), "the JSON part does not parse");
		return;
	}
	ref = cJSON_GetObjectItemCaseSensitive(*j, "n1SmMsg");
	if (ref)
		r->has_n1 = part(req, cJSON_GetStringValue(cJSON_GetObjectItem(ref, "contentId")),
				 r->n1, sizeof(r->n1), &r->n1len);
	ref = cJSON_GetObjectItemCaseSensitive(*j, "n2SmInfo");
	if (ref)
		r->has_n2 = part(req, cJSON_GetStringValue(cJSON_GetObjectItem(ref, "contentId")),
				 r->n2, sizeof(r->n2), &r->n2len);
	if (sen_sbi_msg_var(req, "ref"))
		snprintf(r->ref, sizeof(r->ref), "%s", sen_sbi_msg_var(req, "ref"));
}

/* A multipart/related response: JSON, then parts "p1" (5gnas) and "p2" (ngap). */
static void respond_parts(struct sen_sbi_stream *st, int status, cJSON *j, const uint8_t *n1,
			  size_t n1len, const uint8_t *n2, size_t n2len)
{
	static const char b[] = "fake-smf-boundary-7f3a";
	struct sen_sbi_msg *rsp = sen_sbi_response_new(status);
	char *text = cJSON_PrintUnformatted(j), ct[96];
	uint8_t buf[4096];
	size_t at = 0;

	at += (size_t)snprintf((char *)buf, sizeof(buf),
			       "--%s\r\nContent-Type: application/json\r\n\r\n%s", b, text);
	if (n1) {
		at += (size_t)snprintf((char *)buf + at, sizeof(buf) - at,
				       "\r\n--%s\r\nContent-Type: application/vnd.3gpp.5gnas\r\n"
				       "Content-Id: p1\r\n\r\n", b);
		memcpy(buf + at, n1, n1len);
		at += n1len;
	}
	if (n2) {
		at += (size_t)snprintf((char *)buf + at, sizeof(buf) - at,
				       "\r\n--%s\r\nContent-Type: application/vnd.3gpp.ngap\r\n"
				       "Content-Id: p2\r\n\r\n", b);
		memcpy(buf + at, n2, n2len);
		at += n2len;
	}
	at += (size_t)snprintf((char *)buf + at, sizeof(buf) - at, "\r\n--%s--\r\n", b);
	snprintf(ct, sizeof(ct), "multipart/related; boundary=%s", b);
	sen_sbi_msg_set_body(rsp, buf, at, ct);
	free(text);
	sen_sbi_stream_respond(st, rsp);
}

static void on_create(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j, *r;
	char loc[128];
	int psi;

	record(req, &h_smf.create, &j);
	h_smf.creates++;
	psi = j ? cJSON_GetObjectItem(j, "pduSessionId") ? cJSON_GetObjectItem(j, "pduSessionId")->valueint : 0 : 0;
	if (j && cJSON_GetStringValue(cJSON_GetObjectItem(j, "smContextStatusUri")))
		snprintf(h_smf.status_uri, sizeof(h_smf.status_uri), "%s",
			 cJSON_GetStringValue(cJSON_GetObjectItem(j, "smContextStatusUri")));
	cJSON_Delete(j);
	if (h_smf.mode == H_SMF_ERROR) {
		sen_sbi_stream_respond_error(st, 500, "SYSTEM_FAILURE", "fake failure");
		return;
	}
	if (h_smf.mode == H_SMF_REJECT) {
		/* SmContextCreateError {error, n1SmMsg}: Establishment Reject #27 */
		uint8_t rej[] = {0x2e, (uint8_t)psi, 1, 0xc3, 27};
		r = cJSON_CreateObject();
		cJSON *e = cJSON_AddObjectToObject(r, "error");
		cJSON_AddNumberToObject(e, "status", 403);
		cJSON_AddStringToObject(e, "cause", "DNN_DENIED");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "n1SmMsg"), "contentId", "p1");
		respond_parts(st, 403, r, rej, sizeof(rej), NULL, 0);
		cJSON_Delete(r);
		return;
	}
	snprintf(loc, sizeof(loc), "http://" ADDR ":%u/nsmf-pdusession/v1/sm-contexts/%u",
		 h_port("smf"), h_smf.creates);
	struct sen_sbi_msg *rsp = sen_sbi_response_new(201);
	r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "pduSessionId", psi);
	sen_sbi_msg_set_header(rsp, "location", loc);
	sen_sbi_msg_set_json(rsp, r, NULL);
	cJSON_Delete(r);
	sen_sbi_stream_respond(st, rsp);
}

static void on_modify(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct h_smf_req *m = &h_smf.modify;
	cJSON *j, *r;

	record(req, m, &j);
	h_smf.modifies++;
	cJSON_Delete(j);
	if (m->has_n1 && m->n1len >= 4 && m->n1[3] == 0xd1) {
		/* UE-requested release (TS 23.502 4.3.4.2): Release Command + N2 transfer */
		uint8_t cmd[] = {0x2e, m->n1[1], m->n1[2], 0xd3, 36};
		static const uint8_t xfer[] = "REL-CMD-TRANSFER";
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "upCnxState", "DEACTIVATED");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "n1SmMsg"), "contentId", "p1");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "n2SmInfo"), "contentId", "p2");
		cJSON_AddStringToObject(r, "n2SmInfoType", "PDU_RES_REL_CMD");
		respond_parts(st, 200, r, cmd, sizeof(cmd), xfer, sizeof(xfer) - 1);
		cJSON_Delete(r);
		return;
	}
	sen_sbi_stream_respond_status(st, 204);
}

static void on_release(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	h_smf.releases++;
	sen_sbi_stream_respond_status(st, 204);
}

int h_smf_start(void)
{
	struct sen_sbi_server_opts o = {.addr = ADDR, .port = h_port("smf")};
	int rc;

	if ((rc = sen_sbi_server_new(h_loop, &o, &srv)) < 0)
		return rc;
	sen_sbi_server_route(srv, SEN_SBI_POST, "/nsmf-pdusession/v1/sm-contexts", on_create, NULL);
	sen_sbi_server_route(srv, SEN_SBI_POST, "/nsmf-pdusession/v1/sm-contexts/{ref}/modify",
			     on_modify, NULL);
	sen_sbi_server_route(srv, SEN_SBI_POST, "/nsmf-pdusession/v1/sm-contexts/{ref}/release",
			     on_release, NULL);
	if ((rc = sen_sbi_server_start(srv)) < 0)
		return rc;
	return sen_sbi_client_new(h_loop, NULL, &cli);
}

void h_smf_stop(void)
{
	sen_sbi_client_free(cli);
	sen_sbi_server_free(srv);
}

void h_smf_reset(enum h_smf_mode mode)
{
	memset(&h_smf, 0, sizeof(h_smf));
	h_smf.mode = mode;
}

/* ---- the SMF as a client of the AMF ---- */

static int c_status;
static bool c_done;
static char c_cause[64];

static void on_rsp(int err, struct sen_sbi_msg *rsp, void *arg)
{
	cJSON *j = NULL;

	c_status = err < 0 ? -1 : sen_sbi_msg_status(rsp);
	c_cause[0] = '\0';
	if (err == 0 && sen_sbi_msg_json(rsp, &j) == 0 && cJSON_GetStringValue(cJSON_GetObjectItem(j, "cause")))
		snprintf(c_cause, sizeof(c_cause), "%s", cJSON_GetStringValue(cJSON_GetObjectItem(j, "cause")));
	cJSON_Delete(j);
	c_done = true;
}

static int call(const char *auth, struct sen_sbi_msg *req)
{
	c_done = false;
	if (sen_sbi_client_send(cli, auth, req, 3000, on_rsp, NULL) < 0)
		return -1;
	for (int i = 0; i < 400 && !c_done; i++)
		h_run(10);
	return c_done ? c_status : -1;
}

int h_smf_n1n2(const char *ue_ctx, int psi, const uint8_t *n1, size_t n1len, const uint8_t *n2,
	       size_t n2len, const char *ngap_ie_type, char *cause, size_t cap)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(
	    SEN_SBI_POST, "/namf-comm/v1/ue-contexts/%s/n1-n2-messages", ue_ctx);
	cJSON *j = cJSON_CreateObject(), *c, *sm, *ic;
	char auth[64];
	int st;

	/* TS 29.518 N1N2MessageTransferReqData */
	cJSON_AddNumberToObject(j, "pduSessionId", psi);
	if (n1) {
		c = cJSON_AddObjectToObject(j, "n1MessageContainer");
		cJSON_AddStringToObject(c, "n1MessageClass", "SM");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "n1MessageContent"), "contentId", "p1");
	}
	if (n2) {
		c = cJSON_AddObjectToObject(j, "n2InfoContainer");
		cJSON_AddStringToObject(c, "n2InformationClass", "SM");
		sm = cJSON_AddObjectToObject(c, "smInfo");
		cJSON_AddNumberToObject(sm, "pduSessionId", psi);
		ic = cJSON_AddObjectToObject(sm, "n2InfoContent");
		cJSON_AddStringToObject(ic, "ngapIeType", ngap_ie_type);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(ic, "ngapData"), "contentId", "p2");
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(sm, "sNssai"), "sst", 1);
	}
	/* respond_parts builds on a response; build the same body on the request */
	{
		static const char b[] = "fake-smf-req-boundary";
		char *text = cJSON_PrintUnformatted(j), ct[96];
		uint8_t buf[4096];
		size_t at = (size_t)snprintf((char *)buf, sizeof(buf),
					     "--%s\r\nContent-Type: application/json\r\n\r\n%s", b, text);
		if (n1) {
			at += (size_t)snprintf((char *)buf + at, sizeof(buf) - at,
					       "\r\n--%s\r\nContent-Type: application/vnd.3gpp.5gnas\r\n"
					       "Content-Id: p1\r\n\r\n", b);
			memcpy(buf + at, n1, n1len);
			at += n1len;
		}
		if (n2) {
			at += (size_t)snprintf((char *)buf + at, sizeof(buf) - at,
					       "\r\n--%s\r\nContent-Type: application/vnd.3gpp.ngap\r\n"
					       "Content-Id: p2\r\n\r\n", b);
			memcpy(buf + at, n2, n2len);
			at += n2len;
		}
		at += (size_t)snprintf((char *)buf + at, sizeof(buf) - at, "\r\n--%s--\r\n", b);
		snprintf(ct, sizeof(ct), "multipart/related; boundary=%s", b);
		sen_sbi_msg_set_body(req, buf, at, ct);
		free(text);
	}
	cJSON_Delete(j);
	snprintf(auth, sizeof(auth), ADDR ":%u", h_port("amf-sbi"));
	st = call(auth, req);
	if (cause)
		snprintf(cause, cap, "%s", c_cause);
	return st;
}

int h_smf_notify_released(void)
{
	const char *u = h_smf.status_uri, *p = strstr(u, "://"), *path;
	char auth[64];
	struct sen_sbi_msg *req;
	cJSON *j;

	if (!p || !(path = strchr(p + 3, '/')) || (size_t)(path - p - 3) >= sizeof(auth))
		return -1;
	memcpy(auth, p + 3, (size_t)(path - p - 3));
	auth[path - p - 3] = '\0';
	req = sen_sbi_request_new(SEN_SBI_POST, "%s", path);
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(j, "statusInfo"), "resourceStatus", "RELEASED");
	sen_sbi_msg_set_json(req, j, NULL);
	cJSON_Delete(j);
	return call(auth, req);
}
