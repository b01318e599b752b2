/*
 * sen-ransim statistics: per procedure (NG Setup, registration, PDU session, ping echo,
 * de-registration) the successes, the failures and the latency of each success, and the
 * report printed at the end: a fixed-width table for people, or one JSON object (cJSON,
 * the project's JSON library) for machines. Percentiles are nearest-rank over all samples.
 */
#include "ransim.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const proc_names[RS_PROC_N] = {
    [RS_PROC_NG_SETUP] = "ng-setup",
    [RS_PROC_REGISTRATION] = "registration",
    [RS_PROC_PDU_SESSION] = "pdu-session",
    [RS_PROC_RA] = "ipv6-ra",
    [RS_PROC_PING] = "ping",
    [RS_PROC_RELEASE] = "pdu-release",
    [RS_PROC_DEREGISTRATION] = "deregistration",
};

const char *rs_proc_name(enum rs_proc p)
{
	return p < RS_PROC_N ? proc_names[p] : "?";
}

uint64_t rs_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void rs_stats_ok(struct rs_stats *s, enum rs_proc p, uint64_t us)
{
	struct rs_samples *smp = &s->proc[p];

	s->used[p] = true;
	smp->ok++;
	if (smp->n == smp->cap) {
		size_t cap = smp->cap ? smp->cap * 2 : 256;
		uint32_t *n = realloc(smp->us, cap * sizeof(*n));
		if (!n)
			return; /* the count stays right; the percentile loses a sample */
		smp->us = n;
		smp->cap = cap;
	}
	smp->us[smp->n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

void rs_stats_fail(struct rs_stats *s, enum rs_proc p, const char *supi, const char *why)
{
	s->used[p] = true;
	s->proc[p].fail++;
	if (s->n_failures < sizeof(s->failures) / sizeof(s->failures[0])) {
		snprintf(s->failures[s->n_failures].supi, sizeof(s->failures[0].supi), "%s",
			 supi ? supi : "-");
		s->failures[s->n_failures].proc = p;
		snprintf(s->failures[s->n_failures].why, sizeof(s->failures[0].why), "%s",
			 why ? why : "");
		s->n_failures++;
	}
}

int rs_stats_addr_slot(struct rs_stats *s, const char *supi)
{
	if (s->n_addrs >= RS_MAX_ADDR_REPORT)
		return -1;
	memset(&s->addrs[s->n_addrs], 0, sizeof(s->addrs[0]));
	snprintf(s->addrs[s->n_addrs].supi, sizeof(s->addrs[0].supi), "%s", supi);
	return (int)s->n_addrs++;
}

static const char *pdu_type_name(uint8_t t)
{
	return t == 1 ? "ipv4" : t == 2 ? "ipv6" : t == 3 ? "ipv4v6" : "?";
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

uint32_t rs_stats_pct(struct rs_samples *smp, unsigned pct)
{
	if (!smp->n)
		return 0;
	qsort(smp->us, smp->n, sizeof(smp->us[0]), cmp_u32);
	size_t rank = (smp->n * pct + 99) / 100; /* nearest rank, 1-based */
	if (rank < 1)
		rank = 1;
	return smp->us[rank - 1];
}

bool rs_stats_failed(const struct rs_stats *s)
{
	for (int p = 0; p < RS_PROC_N; p++)
		if (s->proc[p].fail)
			return true;
	return false;
}

static void print_json(struct rs_stats *s, unsigned n_gnbs, unsigned n_ues, uint64_t elapsed)
{
	cJSON *root = cJSON_CreateObject(), *procs = cJSON_CreateObject();
	cJSON *fails = cJSON_CreateArray(), *up = cJSON_CreateObject();

	cJSON_AddNumberToObject(root, "gnbs", n_gnbs);
	cJSON_AddNumberToObject(root, "ues", n_ues);
	cJSON_AddNumberToObject(root, "elapsed_ms", (double)elapsed / 1000.0);
	cJSON_AddItemToObject(root, "procedures", procs);
	for (int p = 0; p < RS_PROC_N; p++) {
		if (!s->used[p])
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "ok", (double)s->proc[p].ok);
		cJSON_AddNumberToObject(o, "fail", (double)s->proc[p].fail);
		cJSON_AddNumberToObject(o, "p50_ms", rs_stats_pct(&s->proc[p], 50) / 1000.0);
		cJSON_AddNumberToObject(o, "p99_ms", rs_stats_pct(&s->proc[p], 99) / 1000.0);
		cJSON_AddItemToObject(procs, proc_names[p], o);
	}
	cJSON_AddNumberToObject(up, "ul_packets", (double)s->gtp_ul_packets);
	cJSON_AddNumberToObject(up, "dl_packets", (double)s->gtp_dl_packets);
	cJSON_AddNumberToObject(up, "dl_dropped", (double)s->gtp_dl_dropped);
	cJSON_AddItemToObject(root, "user_plane", up);
	cJSON_AddNumberToObject(root, "kgnb_mismatch", (double)s->kgnb_mismatch);
	cJSON_AddNumberToObject(root, "error_indications", (double)s->error_indications);
	cJSON *q = cJSON_CreateObject();
	cJSON_AddNumberToObject(q, "queued", (double)s->ngap_queued);
	cJSON_AddNumberToObject(q, "peak", (double)s->ngap_queue_peak);
	cJSON_AddNumberToObject(q, "dropped", (double)s->ngap_queue_dropped);
	cJSON_AddItemToObject(root, "ngap_send_queue", q);
	cJSON *inj = cJSON_CreateObject();
	for (int k = 0; k < RS_INJ_N; k++) {
		if (!s->inject[k].sent && !s->inject[k].not_sent)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "sent", (double)s->inject[k].sent);
		cJSON_AddNumberToObject(o, "not_sent", (double)s->inject[k].not_sent);
		cJSON_AddNumberToObject(o, "gmm_status", (double)s->inject[k].gmm_status);
		cJSON *causes = cJSON_CreateArray();
		for (uint64_t i = 0; i < s->inject[k].gmm_status && i < RS_INJ_CAUSES; i++)
			cJSON_AddItemToArray(causes, cJSON_CreateNumber(s->inject[k].gmm_causes[i]));
		cJSON_AddItemToObject(o, "gmm_status_causes", causes);
		cJSON_AddNumberToObject(o, "error_indication",
					(double)s->inject[k].error_indication);
		cJSON_AddItemToObject(inj, rs_inject_name((enum rs_inject)k), o);
	}
	cJSON_AddItemToObject(root, "injections", inj);
	/* what each session got: the Accept's type and cause, IPv4, the IPv6 interface
	 * identifier and the address made from the advertised /64 (absent until one came) */
	cJSON *sess = cJSON_CreateArray();
	for (unsigned i = 0; i < s->n_addrs; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "supi", s->addrs[i].supi);
		cJSON_AddStringToObject(o, "pdu_type", pdu_type_name(s->addrs[i].pdu_type));
		if (s->addrs[i].cause)
			cJSON_AddNumberToObject(o, "cause", s->addrs[i].cause);
		if (s->addrs[i].ipv4[0])
			cJSON_AddStringToObject(o, "ipv4", s->addrs[i].ipv4);
		if (s->addrs[i].iid[0])
			cJSON_AddStringToObject(o, "ipv6_iid", s->addrs[i].iid);
		if (s->addrs[i].ipv6[0])
			cJSON_AddStringToObject(o, "ipv6", s->addrs[i].ipv6);
		cJSON_AddItemToArray(sess, o);
	}
	cJSON_AddItemToObject(root, "sessions", sess);
	for (unsigned i = 0; i < s->n_failures; i++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "supi", s->failures[i].supi);
		cJSON_AddStringToObject(f, "procedure", proc_names[s->failures[i].proc]);
		cJSON_AddStringToObject(f, "reason", s->failures[i].why);
		cJSON_AddItemToArray(fails, f);
	}
	cJSON_AddItemToObject(root, "failures", fails);
	cJSON_AddBoolToObject(root, "success", !rs_stats_failed(s));
	char *txt = cJSON_PrintUnformatted(root);
	if (txt)
		printf("%s\n", txt);
	free(txt);
	cJSON_Delete(root);
}

void rs_stats_print(struct rs_stats *s, bool json, unsigned n_gnbs, unsigned n_ues,
		    uint64_t elapsed_us)
{
	if (json) {
		print_json(s, n_gnbs, n_ues, elapsed_us);
		fflush(stdout);
		return;
	}
	printf("sen-ransim: %u gNB%s, %u UE%s, %.3f s\n", n_gnbs, n_gnbs == 1 ? "" : "s", n_ues,
	       n_ues == 1 ? "" : "s", (double)elapsed_us / 1e6);
	printf("%-16s %8s %8s %10s %10s\n", "procedure", "ok", "fail", "p50 ms", "p99 ms");
	for (int p = 0; p < RS_PROC_N; p++) {
		if (!s->used[p])
			continue;
		printf("%-16s %8llu %8llu %10.3f %10.3f\n", proc_names[p],
		       (unsigned long long)s->proc[p].ok, (unsigned long long)s->proc[p].fail,
		       rs_stats_pct(&s->proc[p], 50) / 1000.0,
		       rs_stats_pct(&s->proc[p], 99) / 1000.0);
	}
	if (s->used[RS_PROC_PING]) {
		uint64_t sent = s->proc[RS_PROC_PING].ok + s->proc[RS_PROC_PING].fail;
		printf("ping: %llu sent, %llu received, %.1f%% loss\n", (unsigned long long)sent,
		       (unsigned long long)s->proc[RS_PROC_PING].ok,
		       sent ? 100.0 * (double)s->proc[RS_PROC_PING].fail / (double)sent : 0.0);
	}
	printf("user plane: %llu packets up, %llu down, %llu dropped\n",
	       (unsigned long long)s->gtp_ul_packets, (unsigned long long)s->gtp_dl_packets,
	       (unsigned long long)s->gtp_dl_dropped);
	if (s->ngap_queued || s->ngap_queue_dropped)
		printf("ngap send queue: %llu PDUs waited for SCTP send space (at most %llu at once), "
		       "%llu dropped\n",
		       (unsigned long long)s->ngap_queued, (unsigned long long)s->ngap_queue_peak,
		       (unsigned long long)s->ngap_queue_dropped);
	for (int k = 0; k < RS_INJ_N; k++) {
		char causes[8 * RS_INJ_CAUSES + 8] = "";
		size_t used = 0;
		if (!s->inject[k].sent && !s->inject[k].not_sent)
			continue;
		for (uint64_t i = 0; i < s->inject[k].gmm_status && i < RS_INJ_CAUSES; i++)
			used += (size_t)snprintf(causes + used, sizeof(causes) - used, "%s#%u",
						 i ? " " : " (", s->inject[k].gmm_causes[i]);
		if (used)
			snprintf(causes + used, sizeof(causes) - used, ")");
		printf("inject %s: %s, %llu 5GMM STATUS%s, %llu Error Indication\n",
		       rs_inject_name((enum rs_inject)k), s->inject[k].sent ? "sent" : "not sent",
		       (unsigned long long)s->inject[k].gmm_status, causes,
		       (unsigned long long)s->inject[k].error_indication);
	}
	for (unsigned i = 0; i < s->n_addrs && i < 4; i++)
		if (s->addrs[i].iid[0]) /* IPv6 / IPv4v6 sessions (IPv4 keeps the old format) */
			printf("session %s: %s%s%s%s%s%s%s\n", s->addrs[i].supi,
			       pdu_type_name(s->addrs[i].pdu_type), s->addrs[i].ipv4[0] ? " " : "",
			       s->addrs[i].ipv4, s->addrs[i].iid[0] ? " iid " : "", s->addrs[i].iid,
			       s->addrs[i].ipv6[0] ? " " : "", s->addrs[i].ipv6);
	for (unsigned i = 0; i < s->n_failures; i++)
		printf("failed: %s %s: %s\n", s->failures[i].supi, proc_names[s->failures[i].proc],
		       s->failures[i].why);
	printf("result: %s\n", rs_stats_failed(s) ? "FAIL" : "ok");
	fflush(stdout);
}

void rs_stats_free(struct rs_stats *s)
{
	for (int p = 0; p < RS_PROC_N; p++)
		free(s->proc[p].us);
	memset(s, 0, sizeof(*s));
}
