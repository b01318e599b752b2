/*
 * NFStatusSubscribe / NFStatusUnSubscribe / NFStatusNotify (TS 29.510 5.2.2.5, 5.2.2.6,
 * 5.2.2.7; resources 6.1.3.4 / 6.1.3.5, notification 6.1.5.2):
 *
 *   POST   /nnrf-nfm/v1/subscriptions                   201 + Location, SubscriptionData
 *                                                       with its subscriptionId
 *   DELETE /nnrf-nfm/v1/subscriptions/{subscriptionID}  204
 *
 * Notifications are POSTed to the subscription's nfStatusNotificationUri with a
 * NotificationData {event, nfInstanceUri, nfProfile} (6.1.6.2.17) on NF_REGISTERED,
 * NF_DEREGISTERED and NF_PROFILE_CHANGED, for the events the subscriber asked for
 * (reqNotifEvents; all when absent) and its subscrCond (NfTypeCond, NfInstanceIdCond,
 * ServiceNameCond; other conditions are accepted and not narrowed on).
 */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

static const struct {
	const char *name;
	unsigned bit;
} events[] = {
    {"NF_REGISTERED", NRF_EV_REGISTERED},
    {"NF_DEREGISTERED", NRF_EV_DEREGISTERED},
    {"NF_PROFILE_CHANGED", NRF_EV_PROFILE_CHANGED},
};

static const char *event_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (events[i].bit == bit)
			return events[i].name;
	return "?";
}

static void sub_free(struct nrf_sub *s)
{
	cJSON_Delete(s->data);
	free(s);
}

void nrf_subs_clear(struct nrf_ctx *ctx)
{
	struct sen_hash_iter it;
	const void *k;
	size_t kl;
	void *v;

	sen_hash_iter_init(&it, ctx->subs);
	while (sen_hash_iter_next(&it, &k, &kl, &v)) {
		sen_hash_del(ctx->subs, k, kl);
		sub_free(v);
	}
}

/* Fill s from SubscriptionData d. Returns NULL or the name of the bad member. */
static const char *parse_subscription(const cJSON *d, struct nrf_sub *s)
{
	const char *uri = sen_nf_json_str(d, "nfStatusNotificationUri");
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(d, "reqNotifEvents"), *e;
	const cJSON *cond = cJSON_GetObjectItemCaseSensitive(d, "subscrCond");
	const char *v;

	if (sen_sbi_uri_split(uri, s->authority, sizeof(s->authority), s->path, sizeof(s->path)) < 0)
		return "nfStatusNotificationUri";
	if (evs) {
		if (!cJSON_IsArray(evs) || !cJSON_GetArraySize(evs))
			return "reqNotifEvents";
		cJSON_ArrayForEach(e, evs)
		{
			size_t i;
			for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
				if (cJSON_IsString(e) && !strcmp(e->valuestring, events[i].name))
					break;
			if (i == sizeof(events) / sizeof(events[0]))
				return "reqNotifEvents";
			s->events |= events[i].bit;
		}
	} else {
		s->events = NRF_EV_REGISTERED | NRF_EV_DEREGISTERED | NRF_EV_PROFILE_CHANGED;
	}
	if (cond && !cJSON_IsObject(cond))
		return "subscrCond";
	if ((v = sen_nf_json_str(cond, "nfType")) &&
	    snprintf(s->cond_type, sizeof(s->cond_type), "%s", v) >= (int)sizeof(s->cond_type))
		return "subscrCond";
	if ((v = sen_nf_json_str(cond, "nfInstanceId")) &&
	    (!sen_nf_uuid_valid(v) || !snprintf(s->cond_id, sizeof(s->cond_id), "%s", v)))
		return "subscrCond";
	if ((v = sen_nf_json_str(cond, "serviceName")) &&
	    snprintf(s->cond_service, sizeof(s->cond_service), "%s", v) >=
		(int)sizeof(s->cond_service))
		return "subscrCond";
	return NULL;
}

void nrf_nfm_subscribe(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	struct sen_sbi_msg *rsp;
	struct nrf_sub *s;
	const char *bad;
	char loc[NRF_URI_MAX];
	cJSON *d;

	if (sen_sbi_msg_json(req, &d) < 0 || !cJSON_IsObject(d)) {
		cJSON_Delete(d);
		nrf_respond_error(st, 400, SEN_SBI_CAUSE_INVALID_MSG_FORMAT, NULL,
				  "SubscriptionData expected");
		return;
	}
	if (sen_hash_count(ctx->subs) >= NRF_MAX_SUBS || !(s = calloc(1, sizeof(*s)))) {
		cJSON_Delete(d);
		nrf_respond_error(st, 500, SEN_SBI_CAUSE_INSUFFICIENT_RESOURCES, NULL,
				  "too many subscriptions");
		return;
	}
	if ((bad = parse_subscription(d, s))) {
		bool missing = !cJSON_GetObjectItemCaseSensitive(d, bad);
		cJSON_Delete(d);
		free(s);
		nrf_respond_error(st, 400,
				  missing ? SEN_SBI_CAUSE_MANDATORY_IE_MISSING
					  : SEN_SBI_CAUSE_MANDATORY_IE_INCORRECT,
				  bad, "%s %s", bad, missing ? "missing" : "incorrect");
		return;
	}
	snprintf(s->id, sizeof(s->id), "%llu", (unsigned long long)ctx->next_sub++);
	cJSON_DeleteItemFromObjectCaseSensitive(d, "subscriptionId");
	if (!cJSON_AddStringToObject(d, "subscriptionId", s->id) ||
	    sen_hash_add_str(ctx->subs, s->id, s) < 0) {
		cJSON_Delete(d);
		free(s);
		nrf_respond_status(st, 500);
		return;
	}
	s->data = d;
	sen_log_info(NRF_LOG, "subscription %s: %s%s%s -> http://%s%s", s->id,
		     *s->cond_type ? "nfType " : "", s->cond_type, *s->cond_id ? s->cond_id : "",
		     s->authority, s->path);
	rsp = sen_sbi_response_new(201);
	if (rsp) {
		sen_sbi_msg_set_json(rsp, d, NULL);
		snprintf(loc, sizeof(loc), "%s/nnrf-nfm/v1/subscriptions/%s", ctx->api_root, s->id);
		sen_sbi_msg_set_header(rsp, "location", loc);
	}
	nrf_respond(st, rsp);
}

void nrf_nfm_unsubscribe(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct nrf_ctx *ctx = arg;
	const char *id = sen_sbi_msg_var(req, "subscriptionID");
	struct nrf_sub *s = id ? sen_hash_del_str(ctx->subs, id) : NULL;

	if (!s) {
		nrf_respond_error(st, 404, NULL, NULL, "no subscription %s", id ? id : "");
		return;
	}
	sen_log_info(NRF_LOG, "subscription %s removed", s->id);
	sub_free(s);
	nrf_respond_status(st, 204);
}

static void on_notified(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct nrf_ctx *ctx = arg;
	int status = err ? 0 : sen_sbi_msg_status(rsp);
	bool ok = status >= 200 && status < 300;

	sen_metric_add(sen_metric_series(ctx->m_notifs, (const char *[]){ok ? "ok" : "failed"}), 1);
	if (!ok)
		sen_log_warn(NRF_LOG, "NFStatusNotify failed: %s",
			     err ? sen_strerror(err) : sen_sbi_reason_phrase(status));
}

static bool wants(const struct nrf_sub *s, const struct nrf_nf *nf, unsigned event)
{
	if (!(s->events & event))
		return false;
	if (*s->cond_type && strcmp(s->cond_type, nf->nf_type))
		return false;
	if (*s->cond_id && strcasecmp(s->cond_id, nf->id))
		return false;
	if (*s->cond_service && !sen_nf_profile_has_service(nf->profile, s->cond_service))
		return false;
	return true;
}

void nrf_notify(struct nrf_ctx *ctx, const struct nrf_nf *nf, unsigned event)
{
	struct sen_hash_iter it;
	cJSON *body = NULL;
	char uri[NRF_URI_MAX];
	const void *k;
	size_t kl;
	void *v;

	if (!ctx->notifier)
		return;
	sen_hash_iter_init(&it, ctx->subs);
	while (sen_hash_iter_next(&it, &k, &kl, &v)) {
		struct nrf_sub *s = v;
		struct sen_sbi_msg *req;
		if (!wants(s, nf, event))
			continue;
		if (!body) {
			/* TS 29.510 6.1.6.2.17 NotificationData. */
			body = cJSON_CreateObject();
			if (!body || !cJSON_AddStringToObject(body, "event", event_name(event)) ||
			    !cJSON_AddStringToObject(body, "nfInstanceUri",
						     nrf_nf_uri(ctx, nf->id, uri, sizeof(uri))) ||
			    (event != NRF_EV_DEREGISTERED &&
			     !cJSON_AddItemReferenceToObject(body, "nfProfile", nf->profile)))
				break;
		}
		req = sen_sbi_request_new(SEN_SBI_POST, "%s", s->path);
		if (req)
			sen_sbi_msg_set_json(req, body, NULL);
		sen_log_debug(NRF_LOG, "notify %s of %s %s to subscription %s", event_name(event),
			      nf->nf_type, nf->id, s->id);
		if (!req ||
		    sen_sbi_client_send(ctx->notifier, s->authority, req, 0, on_notified, ctx) < 0)
			sen_metric_add(sen_metric_series(ctx->m_notifs, (const char *[]){"failed"}),
				       1);
	}
	cJSON_Delete(body);
}
