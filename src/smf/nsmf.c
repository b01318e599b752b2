/*
 * Nsmf_PDUSession, the SM context service of the SMF (TS 29.502 5.2.2; resources of
 * 6.1.3.2 / 6.1.3.3), driving the procedures of TS 23.502:
 *
 *   POST /nsmf-pdusession/v1/sm-contexts                 Create SM Context (5.2.2.2)
 *        JSON SmContextCreateData + N1 PDU Session Establishment Request (multipart/related)
 *        4.3.2.2.1 steps 3-5: check DNN and slice, Nudm-SDM sm-data, UE address, UPF;
 *        201 SmContextCreatedData + Location, or 4xx/5xx SmContextCreateError with the N1
 *        PDU Session Establishment Reject (TS 24.501 6.4.1.4);
 *        steps 10-11: PFCP Session Establishment, then Namf N1N2MessageTransfer with the
 *        Accept and the PDU Session Resource Setup Request Transfer (a failure now sends
 *        the Reject the same way).
 *   POST /nsmf-pdusession/v1/sm-contexts/{smContextRef}/modify   Update SM Context (5.2.2.3)
 *        n2SmInfoType PDU_RES_SETUP_RSP: step 16: PFCP Session Modification, DL to the gNB;
 *        PDU_RES_SETUP_FAIL / upCnxState DEACTIVATED: DL buffered (4.2.6);
 *        upCnxState ACTIVATING: the Setup Request Transfer again (4.2.3.2 service request);
 *        n1SmMsg PDU Session Release Request: UE-requested release (4.3.4.2): PFCP Session
 *        Deletion, address freed, 200 with the N1 Release Command and the N2 Release Command
 *        Transfer; PDU_RES_REL_RSP: noted; Release Complete: context gone, status notified.
 *   POST /nsmf-pdusession/v1/sm-contexts/{smContextRef}/release  Release SM Context (5.2.2.4)
 *        PFCP Session Deletion, address freed, 204.
 *
 * Bad requests (not JSON, broken multipart, missing or wrong members, an N1 part that is
 * not the expected 5GSM message) get 400 ProblemDetails (TS 29.500 5.2.7.2) and change
 * nothing; an unknown smContextRef gets 404 CONTEXT_NOT_FOUND.
 */
#include "context.h"
#include "multipart.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/log.h"
#include "nas/nas.h"

#define BASE "/nsmf-pdusession/v1/sm-contexts"

/* TS 24.501 9.11.4.2 5GSM causes used here */
#define GSM_INSUFFICIENT_RESOURCES 26
#define GSM_MISSING_DNN		   27
#define GSM_UNKNOWN_PDU_TYPE	   28
#define GSM_USER_AUTH_FAILED	   29
#define GSM_REQUEST_REJECTED	   31
#define GSM_REGULAR_DEACTIVATION   36
#define GSM_IPV4_ONLY		   50
#define GSM_DNN_NOT_IN_SLICE	   70
#define GSM_INVALID_MANDATORY	   96

#define NAS_MAX 1024
#define N2_MAX	1024

/* Defaults when the subscription leaves them out (TS 23.501 5.7.4: 5QI 9, best effort). */
#define DEFAULT_5QI	 9
#define DEFAULT_ARP	 8
#define DEFAULT_AMBR_BPS 1000000000ull

/* A request body: the JSON object, plus the parts of a multipart/related body. */
struct body {
	cJSON *json;
	struct smf_mp mp;
};

/* ---------------------------------------------------------------------------------------- */
/* Reading requests.                                                                          */

/*
 * Read req's body as JSON or multipart/related (JSON root part first, TS 29.500
 * 6.1.2.2.2). On a problem answer 400 / 415 and return -1. `optional`: an empty body is an
 * empty object.
 */
static int read_body(struct sen_sbi_stream *st, struct sen_sbi_msg *req, struct body *b,
		     bool optional)
{
	const char *ct = sen_sbi_msg_header(req, "content-type");
	size_t len;
	const uint8_t *data = sen_sbi_msg_body(req, &len);

	memset(b, 0, sizeof(*b));
	if (len == 0) {
		if (!optional) {
			sen_sbi_stream_respond_bad_json(st, "the request has no body");
			return -1;
		}
		b->json = cJSON_CreateObject();
		return b->json ? 0 : (sen_sbi_stream_respond_status(st, 500), -1);
	}
	if (smf_mp_is_multipart(ct)) {
		const char *why;
		const struct smf_mp_part *root;
		if (smf_mp_parse(ct, data, len, &b->mp, &why) < 0) {
			sen_sbi_stream_respond_bad_json(st, why);
			return -1;
		}
		root = &b->mp.part[0];
		if (strcmp(root->type, SMF_MT_JSON) != 0) {
			sen_sbi_stream_respond_bad_json(st,
							"the first part is not application/json");
			return -1;
		}
		b->json = cJSON_ParseWithLength((const char *)root->data, root->len);
	} else if (sen_sbi_msg_is_json(req)) {
		if (sen_sbi_msg_json(req, &b->json) < 0)
			b->json = NULL;
	} else {
		sen_sbi_stream_respond_error(st, 415, NULL,
					     "expected application/json or multipart/related");
		return -1;
	}
	if (!cJSON_IsObject(b->json)) {
		cJSON_Delete(b->json);
		b->json = NULL;
		sen_sbi_stream_respond_bad_json(st, "the JSON body is not an object");
		return -1;
	}
	return 0;
}

/* The part a RefToBinaryData member {contentId} names, or NULL. */
static const struct smf_mp_part *ref_part(const struct body *b, const char *member)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(b->json, member);

	return smf_mp_find(&b->mp, sen_nf_json_str(ref, "contentId"));
}

static const char *json_str(const cJSON *o, const char *name, size_t max)
{
	const char *s = sen_nf_json_str(o, name);

	return s && s[0] && strlen(s) <= max ? s : NULL;
}

static bool json_int(const cJSON *o, const char *name, int min, int max, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble ||
	    v->valuedouble < min || v->valuedouble > max)
		return false;
	*out = (int)v->valuedouble;
	return true;
}

static const char *pdu_type_name(uint8_t t)
{
	return t == SEN_NAS_PDU_IPV4	 ? "IPv4"
	       : t == SEN_NAS_PDU_IPV6	 ? "IPv6"
	       : t == SEN_NAS_PDU_IPV4V6 ? "IPv4v6"
					 : "non-IP";
}

static void fail_count(struct smf *smf, uint8_t cause)
{
	char c[8];

	snprintf(c, sizeof(c), "%u", cause);
	sen_metric_add(sen_metric_series(smf->m.cfail, (const char *[]){c}), 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Rejecting an establishment.                                                                */

/*
 * In the create response (TS 29.502 5.2.2.2.1, 6.1.3.2.3.1): SmContextCreateError {error
 * ProblemDetails, n1SmMsg} with the N1 PDU Session Establishment Reject.
 */
static void create_error(struct smf *smf, struct sen_sbi_stream *st, int status, const char *cause,
			 uint8_t psi, uint8_t pti, uint8_t gsm, const char *detail)
{
	uint8_t n1[64];
	int n = smf_build_reject(psi, pti, gsm, n1, sizeof(n1));
	cJSON *j = cJSON_CreateObject(), *e, *r;

	fail_count(smf, gsm);
	if (!j || !(e = cJSON_AddObjectToObject(j, "error")) ||
	    !cJSON_AddNumberToObject(e, "status", status) ||
	    !cJSON_AddStringToObject(e, "cause", cause) ||
	    !cJSON_AddStringToObject(e, "detail", detail) ||
	    !(r = cJSON_AddObjectToObject(j, "n1SmMsg")) ||
	    !cJSON_AddStringToObject(r, "contentId", "n1msg") || n < 0) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_error(st, status, cause, "%s", detail);
		return;
	}
	smf_respond_parts(st, status, j, NULL, n1, (size_t)n, NULL, 0);
	cJSON_Delete(j);
}

/* Reject before 201: answer the held stream and free the context. */
static void sess_create_error(struct smf_sess *s, int status, const char *cause, uint8_t gsm,
			      const char *detail)
{
	struct sen_sbi_stream *st = s->st;

	sen_log_ue_info(SMF_LOG, s->tag, "PDU session establishment rejected: #%u (%s)", gsm,
			detail);
	s->st = NULL;
	if (st)
		create_error(s->smf, st, status, cause, s->psi, s->pti, gsm, detail);
	smf_n4_delete_detached(s);
	smf_sess_free(s);
}

static void on_reject_sent(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;

	s->sbi_x = NULL;
	if (err < 0 || sen_sbi_msg_status(rsp) >= 300)
		sen_log_ue_warn(SMF_LOG, s->tag, "the AMF did not take the reject: %s",
				err < 0 ? sen_strerror(err) : "error status");
	smf_sess_free(s);
}

/* Reject after 201: the Reject goes through N1N2MessageTransfer (TS 23.502 4.3.2.2.1). */
static void sess_reject_late(struct smf_sess *s, uint8_t gsm, const char *detail)
{
	uint8_t n1[64];
	int n = smf_build_reject(s->psi, s->pti, gsm, n1, sizeof(n1));

	sen_log_ue_warn(SMF_LOG, s->tag, "PDU session establishment failed: #%u (%s)", gsm, detail);
	fail_count(s->smf, gsm);
	s->state = SESS_RELEASED; /* no N2 setup follows a Reject (see on_modify) */
	smf_n4_delete_detached(s);
	smf_sess_release_ip(s);
	if (n < 0 || smf_amf_n1n2(s, n1, (size_t)n, NULL, 0, NULL, on_reject_sent) < 0)
		smf_sess_free(s);
}

/* ---------------------------------------------------------------------------------------- */
/* Create: TS 23.502 4.3.2.2.1 steps 3-11.                                                     */

static void on_n1n2_accept(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);

	s->sbi_x = NULL;
	/* TS 29.518 6.1.3.5.3.1: 200 N1_N2_TRANSFER_INITIATED, 202 ATTEMPTING_TO_REACH_UE */
	if (status != 200 && status != 202) {
		sen_log_ue_warn(SMF_LOG, s->tag, "N1N2MessageTransfer failed: %s",
				err < 0 ? sen_strerror(err) : "error status");
		fail_count(s->smf, GSM_REQUEST_REJECTED);
		smf_n4_delete_detached(s);
		smf_sess_free(s);
		return;
	}
	/* the gNB's answer may have come first (see on_modify): keep the state it set */
	if (s->state == SESS_N1N2)
		s->state = SESS_ACTIVATING;
	sen_metric_add(s->smf->m.csucc, 1);
	char addr[128];
	smf_sess_addr_text(s, addr, sizeof(addr));
	sen_log_ue_info(SMF_LOG, s->tag, "PDU session accepted: %s %s on UPF %s TEID 0x%x",
			pdu_type_name(s->pdu_type), addr, s->upf->name, s->ul_teid);
}

static void send_accept(struct smf_sess *s)
{
	uint8_t n1[NAS_MAX], n2[N2_MAX];
	int l1 = smf_build_accept(s, n1, sizeof(n1));
	int l2 = smf_build_setup_request_transfer(s, n2, sizeof(n2));

	if (l1 < 0 || l2 < 0) {
		sess_reject_late(s, GSM_REQUEST_REJECTED, "cannot build the accept");
		return;
	}
	s->state = SESS_N1N2;
	if (smf_amf_n1n2(s, n1, (size_t)l1, n2, (size_t)l2, "PDU_RES_SETUP_REQ", on_n1n2_accept) <
	    0)
		sess_reject_late(s, GSM_REQUEST_REJECTED, "cannot reach the AMF");
}

static void on_established(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	const struct sen_pfcp_session_establishment_response *r;

	if (!rsp) {
		sen_metric_add(smf->m.n4_fail, 1);
		/* the UPF may have created the session: the address is quarantined */
		smf_n4_establish_lost(s);
		sess_reject_late(s, GSM_INSUFFICIENT_RESOURCES, "no answer from the UPF");
		return;
	}
	r = &rsp->session_establishment_response;
	if (r->has_up_fseid)
		s->up_seid = r->up_fseid.seid;
	if (r->cause != SEN_PFCP_CAUSE_REQUEST_ACCEPTED || !r->has_up_fseid) {
		sen_metric_add(smf->m.n4_fail, 1);
		sen_log_ue_warn(N4_LOG, s->tag, "the UPF refused the session: cause %u (%s)",
				r->cause, sen_pfcp_cause_name(r->cause));
		sess_reject_late(s, GSM_INSUFFICIENT_RESOURCES, "the UPF refused the session");
		return;
	}
	for (size_t i = 0; i < r->n_created_pdr; i++) {
		const struct sen_pfcp_created_pdr *c = &r->created_pdr[i];
		if (c->pdr_id == 1 && c->has_local_fteid &&
		    (c->local_fteid.flags & SEN_PFCP_FTEID_V4)) {
			s->ul_teid = c->local_fteid.teid;
			memcpy(s->ul_addr, c->local_fteid.ipv4, 4);
		}
	}
	if (!s->ul_teid) {
		sen_metric_add(smf->m.n4_fail, 1);
		sess_reject_late(s, GSM_INSUFFICIENT_RESOURCES, "the UPF chose no N3 F-TEID");
		return;
	}
	send_accept(s);
}

/* TS 29.503 DnnConfiguration -> s (5QI, ARP, session AMBR, static address). */
static void read_dnn_config(struct smf_sess *s, const cJSON *dc)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(dc, "5gQosProfile");
	const cJSON *arp = cJSON_GetObjectItemCaseSensitive(q, "arp");
	const cJSON *ambr = cJSON_GetObjectItemCaseSensitive(dc, "sessionAmbr");
	const cJSON *ips = cJSON_GetObjectItemCaseSensitive(dc, "staticIpAddress");
	const char *v;
	uint64_t bps;
	int n;

	s->qi5 = json_int(q, "5qi", 1, 255, &n) ? (uint8_t)n : DEFAULT_5QI;
	s->arp_prio = json_int(arp, "priorityLevel", 1, 15, &n) ? (uint8_t)n : DEFAULT_ARP;
	v = sen_nf_json_str(arp, "preemptCap");
	s->arp_cap = v && !strcmp(v, "MAY_PREEMPT");
	v = sen_nf_json_str(arp, "preemptVuln");
	s->arp_vuln = v && !strcmp(v, "PREEMPTABLE");
	s->ambr_ul = smf_bitrate_parse(sen_nf_json_str(ambr, "uplink"), &bps) == 0 && bps
			 ? bps
			 : DEFAULT_AMBR_BPS;
	s->ambr_dl = smf_bitrate_parse(sen_nf_json_str(ambr, "downlink"), &bps) == 0 && bps
			 ? bps
			 : DEFAULT_AMBR_BPS;
	if (cJSON_IsArray(ips)) {
		const cJSON *ip;
		cJSON_ArrayForEach(ip, ips)
		{
			struct in_addr a;
			v = sen_nf_json_str(ip, "ipv4Addr");
			if (v && inet_pton(AF_INET, v, &a) == 1) {
				s->has_static_ip = true;
				s->static_ip = ntohl(a.s_addr);
				break;
			}
		}
	}
}

/* The DnnConfiguration of s's slice and DNN in a SessionManagementSubscriptionData array
 * (TS 29.503 6.1.6.2.8; a single object is accepted too). */
static const cJSON *find_dnn_config(const struct smf_sess *s, const cJSON *data)
{
	const cJSON *one[1] = {data}, *smd;
	size_t n = cJSON_IsArray(data) ? (size_t)cJSON_GetArraySize(data)
				       : (size_t)(cJSON_IsObject(data) != 0);

	smd = cJSON_IsArray(data) ? data->child : one[0];
	for (size_t i = 0; i < n && smd; i++, smd = smd->next) {
		struct sen_cfg_slice sl;
		const cJSON *cfgs, *dc;
		if (sen_nf_snssai_parse(cJSON_GetObjectItemCaseSensitive(smd, "singleNssai"), &sl) <
			0 ||
		    sl.sst != s->snssai.sst || sl.sd != s->snssai.sd)
			continue;
		cfgs = cJSON_GetObjectItemCaseSensitive(smd, "dnnConfigurations");
		cJSON_ArrayForEach(dc, cfgs)
		{
			if (dc->string && !strcasecmp(dc->string, s->dnn_name) &&
			    cJSON_IsObject(dc))
				return dc;
		}
	}
	return NULL;
}

/*
 * TS 23.501 5.8.2.2.1: the interface identifier the UE uses with the /64 (its link-local
 * address fe80::IID and prefix::IID). The /64 is the session's own, so the IID only needs
 * to be non-zero; the smContextRef (never 0) makes it unique per session as well. The
 * 1 in the upper half keeps it off ::1, the UPF's own link-local fe80::1 (RA source).
 */
static void choose_iid(struct smf_sess *s)
{
	memset(s->ue_ip6 + 8, 0, 4);
	s->ue_ip6[11] = 1;
	s->ue_ip6[12] = (uint8_t)(s->ref >> 24);
	s->ue_ip6[13] = (uint8_t)(s->ref >> 16);
	s->ue_ip6[14] = (uint8_t)(s->ref >> 8);
	s->ue_ip6[15] = (uint8_t)s->ref;
}

/* The /64 of an IPv6 / IPv4v6 session (TS 23.501 5.8.2.2.3). */
static int allocate_ip6(struct smf_sess *s)
{
	int rc;

	if (s->pdu_type != SEN_NAS_PDU_IPV6 && s->pdu_type != SEN_NAS_PDU_IPV4V6)
		return 0;
	if ((rc = smf_ip6pool_alloc(&s->dnn->pool6, s->ue_ip6)) < 0)
		return rc;
	s->has_ip6 = true;
	choose_iid(s);
	return 0;
}

static int allocate_ip(struct smf_sess *s)
{
	struct smf_ippool *pool = &s->dnn->pool;

	if (s->pdu_type == SEN_NAS_PDU_IPV6)
		return allocate_ip6(s);

	/* TS 23.501 5.8.2.2.1: a static address from the subscription is used */
	if (s->has_static_ip) {
		if (!smf_ippool_contains(pool, s->static_ip)) {
			s->ue_ip = s->static_ip; /* routed by the operator, not from the pool */
			return allocate_ip6(s);
		}
		int rc = smf_ippool_claim(pool, s->static_ip);
		if (rc == 0)
			s->ue_ip = s->static_ip;
		return rc < 0 ? rc : allocate_ip6(s);
	}
	int rc = smf_ippool_alloc(pool, &s->ue_ip);
	return rc < 0 ? rc : allocate_ip6(s);
}

static void on_sm_data(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	struct smf *smf = s->smf;
	int status = err < 0 ? 0 : sen_sbi_msg_status(rsp);
	const cJSON *dc;
	cJSON *j = NULL, *created;
	char loc[160];

	s->sbi_x = NULL;
	if (err < 0) {
		sess_create_error(s, 504, "NETWORK_FAILURE", GSM_REQUEST_REJECTED,
				  "no answer from the UDM");
		return;
	}
	if (status == 404) {
		sess_create_error(s, 403, "SUBSCRIPTION_DENIED", GSM_USER_AUTH_FAILED,
				  "the UDM knows no such subscriber");
		return;
	}
	if (status != 200 || sen_sbi_msg_json(rsp, &j) < 0) {
		cJSON_Delete(j);
		sess_create_error(s, 504, "NETWORK_FAILURE", GSM_REQUEST_REJECTED,
				  "the UDM did not give the sm-data");
		return;
	}
	dc = find_dnn_config(s, j);
	if (!dc) {
		cJSON_Delete(j);
		sess_create_error(s, 403, "DNN_DENIED", GSM_MISSING_DNN,
				  "the subscription has no such DNN on this slice");
		return;
	}
	read_dnn_config(s, dc);
	cJSON_Delete(j);

	if (allocate_ip(s) < 0) {
		sess_create_error(s, 500, "INSUFFICIENT_RESOURCES_SLICE_DNN",
				  GSM_INSUFFICIENT_RESOURCES,
				  "no UE address (or IPv6 prefix) left in the DNN's pool");
		return;
	}
	smf_update_gauges(smf);
	s->upf = smf_upf_select(smf, s->dnn_name, &s->snssai);
	if (!s->upf) {
		sess_create_error(s, 504, "UPF_NOT_RESPONDING", GSM_INSUFFICIENT_RESOURCES,
				  "no UPF associated for this DNN and slice");
		return;
	}
	s->upf->n_sess++;

	/* 201 Created, TS 29.502 6.1.3.2.3.1: Location = the new SM context */
	snprintf(loc, sizeof(loc), "%s" BASE "/%s", smf->api_root, s->ref_str);
	created = cJSON_CreateObject();
	if (created) {
		cJSON_AddNumberToObject(created, "pduSessionId", s->psi);
		cJSON_AddItemToObject(created, "sNssai", smf_snssai_json(&s->snssai));
	}
	smf_respond_parts(s->st, 201, created, loc, NULL, 0, NULL, 0);
	s->st = NULL;
	cJSON_Delete(created);

	s->state = SESS_N4_EST;
	sen_metric_add(smf->m.n4_req, 1);
	if (smf_n4_establish(s, on_established) < 0)
		sess_reject_late(s, GSM_INSUFFICIENT_RESOURCES, "cannot send the N4 request");
}

/* The parts of SmContextCreateData (TS 29.502 6.1.6.2.2) the SMF acts on. */
static int check_create(const struct body *b, const char **supi, int *psi, const char **dnn,
			struct sen_cfg_slice *sl, const struct smf_mp_part **n1, const char **bad)
{
	const cJSON *j = b->json;
	const char *uri;

	if (!(*supi = json_str(j, "supi", SMF_SUPI_MAX)))
		return *bad = "supi", -1;
	if (!json_int(j, "pduSessionId", 1, 15, psi))
		return *bad = "pduSessionId", -1;
	if (!(*dnn = json_str(j, "dnn", SMF_DNN_MAX)))
		return *bad = "dnn", -1;
	if (sen_nf_snssai_parse(cJSON_GetObjectItemCaseSensitive(j, "sNssai"), sl) < 0)
		return *bad = "sNssai", -1;
	if (!json_str(j, "servingNfId", 64))
		return *bad = "servingNfId", -1;
	uri = sen_nf_json_str(j, "smContextStatusUri");
	if (uri && (strlen(uri) >= SMF_URI_MAX || strncmp(uri, "http", 4) != 0))
		return *bad = "smContextStatusUri", -1;
	if (!(*n1 = ref_part(b, "n1SmMsg")))
		return *bad = "n1SmMsg", -1;
	/* TS 29.571 Supi (imsi-…, nai-…): it goes into request paths, so no '/', '?', '%' */
	for (const char *p = *supi; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("-._@+", *p)))
			return *bad = "supi", -1;
	return 0;
}

static void on_create(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct smf *smf = arg;
	struct body b;
	const char *supi, *dnn, *bad = NULL, *uri;
	const struct smf_mp_part *n1;
	struct sen_cfg_slice sl;
	struct sen_nas_msg m;
	struct sen_nas_error ne;
	struct smf_sess *s, *old;
	struct smf_dnn *d;
	int psi;
	uint8_t pti, req_type;

	sen_metric_add(smf->m.creq, 1);
	if (read_body(st, req, &b, false) < 0) {
		fail_count(smf, GSM_INVALID_MANDATORY);
		return;
	}
	if (check_create(&b, &supi, &psi, &dnn, &sl, &n1, &bad) < 0) {
		fail_count(smf, GSM_INVALID_MANDATORY);
		sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					     "SmContextCreateData: %s is missing or wrong", bad);
		goto out;
	}
	/* TS 24.501 7: the N1 SM message must be a PDU Session Establishment Request */
	pti = n1->len >= 3 ? n1->data[2] : 0;
	if (sen_nas_decode(n1->data, n1->len, &m, &ne) < 0 || m.epd != SEN_NAS_EPD_5GSM ||
	    m.type != SEN_NAS_PDU_SESSION_ESTABLISHMENT_REQUEST || m.pdu_session_id != psi) {
		create_error(smf, st, 403, "N1_SM_ERROR", (uint8_t)psi, pti, GSM_INVALID_MANDATORY,
			     "the N1 SM message is not a valid PDU Session Establishment Request");
		goto out;
	}
	pti = m.pti;
	req_type = m.pdu_session_establishment_request.has_pdu_session_type
		       ? m.pdu_session_establishment_request.pdu_session_type
		       : SEN_NAS_PDU_IPV4;
	if (req_type != SEN_NAS_PDU_IPV4 && req_type != SEN_NAS_PDU_IPV6 &&
	    req_type != SEN_NAS_PDU_IPV4V6) {
		create_error(smf, st, 403, "PDUTYPE_NOT_SUPPORTED", (uint8_t)psi, pti,
			     GSM_UNKNOWN_PDU_TYPE, "only IP PDU sessions are served");
		goto out;
	}
	if (!(d = smf_dnn_find(smf, dnn))) {
		create_error(smf, st, 403, "DNN_NOT_SUPPORTED", (uint8_t)psi, pti, GSM_MISSING_DNN,
			     "the SMF does not serve this DNN");
		goto out;
	}
	/* TS 24.501 6.4.1.4.2 / TS 23.501 5.8.2.2.1: IPv6 asked for on a DNN with no
	 * ipv6_prefix (every DNN has an IPv4 pool): #50 "PDU session type IPv4 only allowed" */
	if (req_type == SEN_NAS_PDU_IPV6 && !d->pool6.len) {
		create_error(smf, st, 403, "PDUTYPE_DENIED", (uint8_t)psi, pti, GSM_IPV4_ONLY,
			     "the DNN has no IPv6 prefix: IPv4 only");
		goto out;
	}
	if (!smf_serves_slice(smf, &sl)) {
		create_error(smf, st, 403, "SNSSAI_DENIED", (uint8_t)psi, pti, GSM_DNN_NOT_IN_SLICE,
			     "the SMF does not serve this S-NSSAI");
		goto out;
	}
	/* TS 23.502 4.3.2.2.1 step 3: an existing session with this PSI is replaced */
	if ((old = smf_sess_by_psi(smf, supi, (uint8_t)psi))) {
		sen_log_ue_info(SMF_LOG, old->tag, "replaced by a new establishment");
		smf_n4_delete_detached(old);
		smf_sess_free(old);
	}
	if (!(s = smf_sess_new(smf, supi, (uint8_t)psi))) {
		create_error(smf, st, 500, "INSUFFICIENT_RESOURCES", (uint8_t)psi, pti,
			     GSM_INSUFFICIENT_RESOURCES, "out of memory");
		goto out;
	}
	s->pti = pti;
	s->dnn = d;
	snprintf(s->dnn_name, sizeof(s->dnn_name), "%s", d->cfg->name);
	s->snssai = sl;
	s->req_pdu_type = req_type;
	/* TS 24.501 6.4.1.3: IPv4v6 asked for: both when the DNN has both, else IPv4 and #50 */
	s->pdu_type = req_type;
	if (req_type == SEN_NAS_PDU_IPV4V6 && !d->pool6.len) {
		s->pdu_type = SEN_NAS_PDU_IPV4;
		s->accept_cause = GSM_IPV4_ONLY;
	}
	if (m.pdu_session_establishment_request.has_epco) {
		const struct sen_nas_epco *e = &m.pdu_session_establishment_request.epco;
		s->want_dns = sen_nas_epco_find(e, SEN_NAS_PCO_DNS_IPV4) != NULL;
		s->want_dns6 = sen_nas_epco_find(e, SEN_NAS_PCO_DNS_IPV6) != NULL;
		s->want_mtu = sen_nas_epco_find(e, SEN_NAS_PCO_IPV4_MTU) != NULL;
	}
	uri = sen_nf_json_str(b.json, "smContextStatusUri");
	if (uri)
		snprintf(s->status_uri, sizeof(s->status_uri), "%s", uri);
	s->state = SESS_SDM;
	s->st = st;
	sen_log_ue_info(SMF_LOG, s->tag, "Create SM context %u: dnn %s sst %u, %s (asked %s)",
			s->ref, s->dnn_name, sl.sst, pdu_type_name(s->pdu_type),
			pdu_type_name(req_type));
	if (smf_udm_get_sm_data(s, on_sm_data) < 0)
		sess_create_error(s, 504, "NETWORK_FAILURE", GSM_REQUEST_REJECTED,
				  "cannot reach the UDM");
out:
	cJSON_Delete(b.json);
}

/* ---------------------------------------------------------------------------------------- */
/* Update.                                                                                    */

static void respond_updated(struct sen_sbi_stream *st, const char *up_cnx, const uint8_t *n1,
			    size_t n1len, const uint8_t *n2, size_t n2len, const char *n2type)
{
	cJSON *j = cJSON_CreateObject(), *r;

	/* TS 29.502 6.1.6.2.3 SmContextUpdatedData */
	if (j && up_cnx)
		cJSON_AddStringToObject(j, "upCnxState", up_cnx);
	if (j && n1 && (r = cJSON_AddObjectToObject(j, "n1SmMsg")))
		cJSON_AddStringToObject(r, "contentId", "n1msg");
	if (j && n2 && (r = cJSON_AddObjectToObject(j, "n2SmInfo"))) {
		cJSON_AddStringToObject(r, "contentId", "n2msg");
		cJSON_AddStringToObject(j, "n2SmInfoType", n2type);
	}
	smf_respond_parts(st, 200, j, NULL, n1, n1len, n2, n2len);
	cJSON_Delete(j);
}

static void on_dl_modified(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	struct sen_sbi_stream *st = s->st;
	bool ok = rsp && rsp->session_response.cause == SEN_PFCP_CAUSE_REQUEST_ACCEPTED;
	bool fwd = s->dl_known;

	(void)smf;
	s->st = NULL;
	if (!ok) {
		sen_log_ue_warn(N4_LOG, s->tag, "PFCP Session Modification failed: %s",
				rsp ? sen_pfcp_cause_name(rsp->session_response.cause)
				    : "no answer");
		s->state = SESS_INACTIVE;
		if (st)
			sen_sbi_stream_respond_error(st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
						     "the UPF did not take the change");
		return;
	}
	s->state = fwd ? SESS_ACTIVE : SESS_INACTIVE;
	if (fwd)
		sen_log_ue_info(SMF_LOG, s->tag, "user plane active: DL to gNB TEID 0x%x",
				s->dl_teid);
	if (st)
		respond_updated(st, fwd ? "ACTIVATED" : "DEACTIVATED", NULL, 0, NULL, 0, NULL);
}

static void on_n1_release_deleted(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	struct sen_sbi_stream *st = s->st;
	uint8_t n1[64], n2[64];
	int l1, l2;

	(void)smf;
	(void)rsp; /* released either way: TS 23.502 4.3.4.2 step 2 */
	s->st = NULL;
	s->up_seid = 0;
	smf_sess_release_ip(s);
	s->state = SESS_RELEASED;
	l1 = smf_build_release_command(s, GSM_REGULAR_DEACTIVATION, n1, sizeof(n1));
	l2 = smf_build_release_command_transfer(n2, sizeof(n2));
	if (!st)
		return;
	if (l1 < 0 || l2 < 0) {
		sen_sbi_stream_respond_error(st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE, "cannot build");
		return;
	}
	respond_updated(st, "DEACTIVATED", n1, (size_t)l1, n2, (size_t)l2, "PDU_RES_REL_CMD");
}

/* Start a PFCP request for s that answers st later; on failure answer now. */
static void n4_for_stream(struct smf_sess *s, struct sen_sbi_stream *st, int rc)
{
	if (rc == 0) {
		s->st = st;
		return;
	}
	sen_sbi_stream_respond_error(st, 504, "UPF_NOT_RESPONDING", "the UPF cannot be reached");
}

static void update_n1(struct smf_sess *s, struct sen_sbi_stream *st, const struct smf_mp_part *p)
{
	struct sen_nas_msg m;

	if (sen_nas_decode(p->data, p->len, &m, NULL) < 0 || m.epd != SEN_NAS_EPD_5GSM ||
	    m.pdu_session_id != s->psi) {
		sen_sbi_stream_respond_error(st, 403, "N1_SM_ERROR",
					     "an undecodable N1 SM message");
		return;
	}
	switch (m.type) {
	case SEN_NAS_PDU_SESSION_RELEASE_REQUEST:
		/* TS 23.502 4.3.4.2 UE-requested release */
		sen_log_ue_info(SMF_LOG, s->tag, "UE-requested release");
		s->pti = m.pti;
		s->state = SESS_RELEASING;
		if (s->up_seid && s->upf && s->upf->state == UPF_ASSOCIATED) {
			n4_for_stream(s, st, smf_n4_delete(s, on_n1_release_deleted));
		} else {
			s->st = st;
			on_n1_release_deleted(s->smf, NULL, s);
		}
		return;
	case SEN_NAS_PDU_SESSION_RELEASE_COMPLETE:
		/* 4.3.4.2 steps 9-11: done; tell the AMF the context is gone */
		sen_sbi_stream_respond_status(st, 204);
		smf_notify_released(s);
		smf_n4_delete_detached(s);
		smf_sess_free(s);
		return;
	case SEN_NAS_5GSM_STATUS:
		sen_log_ue_info(SMF_LOG, s->tag, "5GSM STATUS from the UE: cause #%u", m.gsm.cause);
		sen_sbi_stream_respond_status(st, 204);
		return;
	default:
		sen_sbi_stream_respond_error(st, 403, "N1_SM_ERROR", "%s is not handled",
					     sen_nas_msg_name(m.epd, m.type)
						 ? sen_nas_msg_name(m.epd, m.type)
						 : "the message");
	}
}

static void on_modify(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct smf *smf = arg;
	struct smf_sess *s = smf_sess_by_ref(smf, sen_sbi_msg_var(req, "smContextRef"));
	const struct smf_mp_part *n1, *n2;
	const char *n2type, *upcnx;
	struct body b;

	if (!s) {
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND", "no such SM context");
		return;
	}
	if (read_body(st, req, &b, false) < 0)
		return;
	n1 = ref_part(&b, "n1SmMsg");
	n2 = ref_part(&b, "n2SmInfo");
	n2type = sen_nf_json_str(b.json, "n2SmInfoType");
	upcnx = sen_nf_json_str(b.json, "upCnxState");
	if ((cJSON_GetObjectItemCaseSensitive(b.json, "n1SmMsg") && !n1) ||
	    (cJSON_GetObjectItemCaseSensitive(b.json, "n2SmInfo") && (!n2 || !n2type))) {
		sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
					     "a RefToBinaryData names no part of the body");
		goto out;
	}
	/* TS 23.502 4.3.2.2.1: the AMF answers the N1N2MessageTransfer (step 11) and sends the
	 * N2 request to the gNB (step 12) independently, and the Update SM Context with the
	 * gNB's answer (step 15) comes on another connection: it may overtake that response.
	 * Only an accept still in flight is not a conflict for the N2 SM information. */
	bool accept_in_flight = s->state == SESS_N1N2 && s->sbi_x && !s->st && !s->n4_x;
	if ((s->st || s->n4_x || s->sbi_x) && !(accept_in_flight && n2 && !n1)) {
		sen_log_ue_warn(SMF_LOG, s->tag, "Update SM Context refused: a procedure runs");
		sen_sbi_stream_respond_error(st, 409, NULL,
					     "a procedure of this SM context is running");
		goto out;
	}
	if (n1) {
		update_n1(s, st, n1);
	} else if (n2 && !strcmp(n2type, "PDU_RES_SETUP_RSP")) {
		if (smf_parse_setup_response_transfer(n2->data, n2->len, s->dl_addr, &s->dl_teid) <
		    0) {
			sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
						     "n2SmInfo: not a PDU Session Resource Setup "
						     "Response Transfer with an IPv4 GTP tunnel");
			goto out;
		}
		s->dl_known = true;
		s->state = SESS_N4_MOD;
		n4_for_stream(s, st, smf_n4_modify_dl(s, true, on_dl_modified));
	} else if ((n2 && !strcmp(n2type, "PDU_RES_SETUP_FAIL")) ||
		   (upcnx && !strcmp(upcnx, "DEACTIVATED"))) {
		/* the gNB could not set it up, or the AN released it (TS 23.502 4.2.6) */
		s->dl_known = false;
		s->state = SESS_N4_MOD;
		n4_for_stream(s, st, smf_n4_modify_dl(s, false, on_dl_modified));
	} else if (n2 && !strcmp(n2type, "PDU_RES_REL_RSP")) {
		sen_sbi_stream_respond_status(st, 204);
	} else if (upcnx && !strcmp(upcnx, "ACTIVATING")) {
		/* TS 23.502 4.2.3.2 step 4: service request: the N2 SM information again */
		uint8_t n2b[N2_MAX];
		int l2 = smf_build_setup_request_transfer(s, n2b, sizeof(n2b));
		if (l2 < 0 || !s->ul_teid)
			sen_sbi_stream_respond_error(st, 500, SEN_SBI_CAUSE_SYSTEM_FAILURE,
						     "no user plane to activate");
		else
			respond_updated(st, "ACTIVATING", NULL, 0, n2b, (size_t)l2,
					"PDU_RES_SETUP_REQ");
	} else {
		sen_sbi_stream_respond_error(st, 400, SEN_SBI_CAUSE_MANDATORY_IE_MISSING,
					     "SmContextUpdateData asks for nothing Sen does");
	}
out:
	cJSON_Delete(b.json);
}

/* ---------------------------------------------------------------------------------------- */
/* Release.                                                                                   */

static void on_release_deleted(struct smf *smf, const struct sen_pfcp_msg *rsp, void *arg)
{
	struct smf_sess *s = arg;
	struct sen_sbi_stream *st = s->st;

	(void)smf;
	(void)rsp;
	s->st = NULL;
	if (st)
		sen_sbi_stream_respond_status(st, 204);
	smf_sess_free(s);
}

static void on_release(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct smf *smf = arg;
	struct smf_sess *s = smf_sess_by_ref(smf, sen_sbi_msg_var(req, "smContextRef"));
	struct body b;

	if (!s) {
		sen_sbi_stream_respond_error(st, 404, "CONTEXT_NOT_FOUND", "no such SM context");
		return;
	}
	if (read_body(st, req, &b, true) < 0)
		return;
	cJSON_Delete(b.json);
	sen_log_ue_info(SMF_LOG, s->tag, "Release SM context %u", s->ref);
	/* whatever was running for this context ends here */
	if (s->sbi_x) {
		sen_sbi_xact_cancel(s->sbi_x);
		s->sbi_x = NULL;
	}
	/* an Establishment in flight may still create the session: its orphan waits */
	smf_n4_abandon(s);
	if (s->st) {
		sen_sbi_stream_respond_error(s->st, 409, NULL, "the SM context is being released");
		s->st = NULL;
	}
	s->state = SESS_RELEASING;
	if (s->up_seid && s->upf && s->upf->state == UPF_ASSOCIATED &&
	    smf_n4_delete(s, on_release_deleted) == 0) {
		s->st = st;
		return;
	}
	sen_sbi_stream_respond_status(st, 204);
	smf_sess_free(s);
}

void smf_sess_lost(struct smf_sess *s)
{
	s->up_seid = 0;
	smf_notify_released(s);
	smf_sess_free(s);
}

int smf_nsmf_routes(struct smf *smf)
{
	int rc = sen_sbi_server_route(smf->srv, SEN_SBI_POST, BASE, on_create, smf);

	if (rc == 0)
		rc = sen_sbi_server_route(smf->srv, SEN_SBI_POST, BASE "/{smContextRef}/modify",
					  on_modify, smf);
	if (rc == 0)
		rc = sen_sbi_server_route(smf->srv, SEN_SBI_POST, BASE "/{smContextRef}/release",
					  on_release, smf);
	return rc;
}
