/*
 * In-process tests of the NRF pieces (cmocka):
 * - JSON Patch (RFC 6902, including its Appendix A examples) as NFUpdate applies it;
 * - the NFProfile builder and readers (TS 29.510 6.1.6.2.2; supiRanges, amfInfo guamiList,
 *   smfInfo, authority selection);
 * - the nrf module and NRF clients on one loop, as sen-core runs them: registration,
 *   heartbeat, resolution by NF type / service / SUPI, the discovery cache and its
 *   validityPeriod, DNN / S-NSSAI selection, re-registration after the NRF forgets a
 *   profile, and deregistration. The same body runs over the local transport (checking
 *   that no HTTP/2 request was made) and over HTTP/2 (clients with no_local).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "context.h"
#include "core/err.h"
#include "core/log.h"
#include "nrf.h"
#include "sbi/json_patch.h"

/* ---- JSON Patch ---- */

static void patch_case(const char *doc, const char *patch, const char *want, int want_rv)
{
	cJSON *d = cJSON_Parse(doc), *p = cJSON_Parse(patch), *w = want ? cJSON_Parse(want) : NULL;
	char why[128] = "";
	int rv;

	assert_non_null(d);
	assert_non_null(p);
	rv = sen_sbi_json_patch(&d, p, why, sizeof(why));
	if (rv != want_rv)
		fail_msg("patch %s on %s: %d (%s), expected %d", patch, doc, rv, why, want_rv);
	if (w && !cJSON_Compare(d, w, true)) {
		char *got = cJSON_PrintUnformatted(d);
		fail_msg("patch %s gave %s, expected %s", patch, got, want);
	}
	if (rv < 0) {
		/* RFC 6902 5: all or nothing, the document is unchanged. */
		cJSON *orig = cJSON_Parse(doc);
		assert_true(cJSON_Compare(d, orig, true));
		cJSON_Delete(orig);
	}
	cJSON_Delete(d);
	cJSON_Delete(p);
	cJSON_Delete(w);
}

static void test_json_patch(void **state)
{
	/* RFC 6902 Appendix A.1 - A.10 */
	patch_case("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
		   "{\"foo\":\"bar\",\"baz\":\"qux\"}", 0);
	patch_case("{\"foo\":[\"bar\",\"baz\"]}",
		   "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
		   "{\"foo\":[\"bar\",\"qux\",\"baz\"]}", 0);
	patch_case("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
		   "{\"foo\":\"bar\"}", 0);
	patch_case("{\"foo\":[\"bar\",\"qux\",\"baz\"]}",
		   "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]", "{\"foo\":[\"bar\",\"baz\"]}", 0);
	patch_case("{\"baz\":\"qux\",\"foo\":\"bar\"}",
		   "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
		   "{\"baz\":\"boo\",\"foo\":\"bar\"}", 0);
	patch_case("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
		   "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
		   "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}",
		   0);
	patch_case("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}",
		   "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
		   "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}", 0);
	patch_case("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
		   "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},"
		   "{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
		   "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}", 0);
	patch_case("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
		   NULL, -SEN_EAGAIN);
	patch_case("{\"foo\":\"bar\"}",
		   "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
		   "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}", 0);
	/* A.12: adding to a nonexistent target fails; A.14: ~ escapes; A.16: append with "-" */
	patch_case("{\"foo\":\"bar\"}",
		   "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]", NULL, -SEN_EINVAL);
	patch_case("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]",
		   "{\"/\":9,\"~1\":10}", 0);
	patch_case("{\"foo\":[\"bar\"]}",
		   "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\"]}]",
		   "{\"foo\":[\"bar\",[\"abc\"]]}", 0);
	/* copy, replace of the whole document, errors */
	patch_case("{\"a\":{\"b\":1}}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"}]",
		   "{\"a\":{\"b\":1},\"c\":{\"b\":1}}", 0);
	patch_case("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"b\":2}}]",
		   "{\"b\":2}", 0);
	patch_case("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":2}]", NULL,
		   -SEN_EINVAL);
	patch_case("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/01\",\"value\":2}]", NULL,
		   -SEN_EINVAL);
	patch_case("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/5\",\"value\":2}]", NULL,
		   -SEN_EINVAL);
	patch_case("{\"a\":{}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b\"}]", NULL,
		   -SEN_EINVAL);
	patch_case("{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"/a~2\"}]", NULL, -SEN_EINVAL);
	patch_case("{\"a\":1}", "{\"op\":\"remove\",\"path\":\"/a\"}", NULL, -SEN_EPROTO);
	patch_case("{\"a\":1}", "[{\"op\":\"explode\",\"path\":\"/a\"}]", NULL, -SEN_EPROTO);
	patch_case("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/b\"}]", NULL, -SEN_EPROTO);
	patch_case("{\"a\":1}", "[7]", NULL, -SEN_EPROTO);
	patch_case("{\"a\":1}", "[]", "{\"a\":1}", 0);
	patch_case("{\"a\":[1,2,3]}", "[{\"op\":\"replace\",\"path\":\"/a/1\",\"value\":9}]",
		   "{\"a\":[1,9,3]}", 0);
	patch_case("{\"a\":[1,2,3]}", "[{\"op\":\"add\",\"path\":\"/a/0\",\"value\":0}]",
		   "{\"a\":[0,1,2,3]}", 0);
	/* One implementation for every NF (lib/sbi): the later failure undoes the earlier
	 * items; a failed test is -SEN_EAGAIN (409), not a malformed patch. */
	patch_case("{\"a\":1,\"l\":[1,2]}",
		   "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2},"
		   "{\"op\":\"add\",\"path\":\"/l/1\",\"value\":9},"
		   "{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]",
		   NULL, -SEN_EAGAIN);
	patch_case("{\"l\":[[1,2],[3]]}",
		   "[{\"op\":\"copy\",\"from\":\"/l/0\",\"path\":\"/l/1\"},"
		   "{\"op\":\"add\",\"path\":\"/l/1/1\",\"value\":7},"
		   "{\"op\":\"move\",\"from\":\"/l/2\",\"path\":\"/l/0\"}]",
		   "{\"l\":[[3],[1,2],[1,7,2]]}", 0);
	patch_case("{\"a\":1}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a\"}]",
		   "{\"a\":1}", 0);
	patch_case("{\"a\":1}", "[{\"op\":\"copy\",\"path\":\"/b\"}]", NULL, -SEN_EPROTO);
	patch_case("{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"\"}]", NULL, -SEN_EINVAL);
	patch_case("{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/a/b\",\"value\":1}]", NULL,
		   -SEN_EINVAL);
}

/* ---- NFProfile ---- */

static struct sen_cfg_addr addr4(const char *ip, uint16_t port)
{
	struct sen_cfg_addr a;

	memset(&a, 0, sizeof(a));
	a.in.sin_family = AF_INET;
	a.in.sin_port = htons(port);
	inet_pton(AF_INET, ip, &a.in.sin_addr);
	a.len = sizeof(a.in);
	return a;
}

static void test_nfprofile(void **state)
{
	struct sen_cfg_addr a = addr4("127.0.0.12", 7777);
	struct sen_cfg_plmn plmn = {"999", "70"};
	struct sen_cfg_slice sl[2] = {{1, SEN_CFG_SD_NONE}, {1, 0x000001}}, q;
	struct sen_nf_supi_range r = {"999700000000000", "999700000000099", NULL};
	char uuid[SEN_NF_UUID_LEN], auth[64];
	cJSON *p;

	assert_int_equal(sen_nf_uuid_v4(uuid), 0);
	assert_true(sen_nf_uuid_valid(uuid));
	assert_int_equal(uuid[14], '4');
	assert_true(strchr("89ab", uuid[19]) != NULL);
	assert_false(sen_nf_uuid_valid("3fa85f64-5717-4562-b3fc-2c963f66afa"));
	assert_false(sen_nf_uuid_valid("3fa85f64x5717-4562-b3fc-2c963f66afa6"));

	struct sen_nf_profile_desc d = {
	    .nf_type = "UDM",
	    .sbi = &a,
	    .plmns = &plmn,
	    .n_plmns = 1,
	    .snssais = sl,
	    .n_snssais = 1,
	    .services = (const char *[]){"nudm-ueau", "nudm-sdm"},
	    .n_services = 2,
	    .supi_ranges = &r,
	    .n_supi_ranges = 1,
	    .priority = 5,
	};
	assert_int_equal(sen_nf_profile_build(&d, &p), 0);
	assert_string_equal(sen_nf_json_str(p, "nfStatus"), "REGISTERED");
	assert_true(sen_nf_uuid_valid(sen_nf_json_str(p, "nfInstanceId")));
	assert_string_equal(
	    sen_nf_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "plmnList"), 0), "mnc"),
	    "70");
	const cJSON *svc = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "nfServices"), 1);
	assert_string_equal(sen_nf_json_str(svc, "serviceName"), "nudm-sdm");
	assert_string_equal(sen_nf_json_str(svc, "scheme"), "http");
	assert_string_equal(
	    sen_nf_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(svc, "versions"), 0),
			    "apiVersionInUri"),
	    "v1");
	assert_int_equal(sen_nf_profile_authority(p, "nudm-sdm", auth, sizeof(auth)), 0);
	assert_string_equal(auth, "127.0.0.12:7777");
	assert_int_equal(sen_nf_profile_authority(p, "nudm-uecm", auth, sizeof(auth)), -SEN_ENOENT);
	assert_true(sen_nf_profile_serves_supi(p, "imsi-999700000000042"));
	assert_false(sen_nf_profile_serves_supi(p, "imsi-999700000000100"));
	assert_false(sen_nf_profile_serves_supi(p, "imsi-99970000000004"));
	{
		/* TS 29.510 6.1.6.2.9: a pattern is matched against the whole SUPI and cannot
		 * escape that ("x)|(.*" once wrapped as "^(x)|(.*)$" matched every SUPI). */
		static const struct {
			const char *pat, *supi;
			bool hit;
		} pc[] = {
		    {"x)|(.*", "imsi-001010000000001", false},
		    {"x)|.*|(y", "imsi-001010000000001", false},
		    {"x\\", "imsi-001010000000001", false},
		    {"imsi-00101)|(.*", "imsi-001010000000001", false},
		    {"imsi-0010100000000[0-9]{2}", "imsi-001010000000001", true},
		    {"imsi-0010100000000[0-9]", "imsi-001010000000001", false},
		    {"imsi-00101|imsi-0010100000000[0-9]*", "imsi-001010000000001", true},
		    {"^imsi-001.*$", "imsi-001010000000001", true},
		};
		for (size_t i = 0; i < sizeof(pc) / sizeof(pc[0]); i++) {
			cJSON *pj = cJSON_Parse("{\"udmInfo\":{\"supiRanges\":[{}]}}");
			cJSON *rj = cJSON_GetArrayItem(
			    cJSON_GetObjectItem(cJSON_GetObjectItem(pj, "udmInfo"), "supiRanges"),
			    0);
			assert_non_null(cJSON_AddStringToObject(rj, "pattern", pc[i].pat));
			if (sen_nf_profile_serves_supi(pj, pc[i].supi) != pc[i].hit)
				fail_msg("pattern %s on %s: expected %d", pc[i].pat, pc[i].supi,
					 pc[i].hit);
			cJSON_Delete(pj);
		}
	}
	assert_true(sen_nf_profile_serves_snssai(p, &sl[0], 1));
	assert_false(sen_nf_profile_serves_snssai(p, &sl[1], 1));
	assert_true(sen_nf_profile_serves_dnn(p, "internet")); /* no DNN declared */
	cJSON_Delete(p);

	/* AMF: TS 29.571 AmfId = region 8 bits | set 10 bits | pointer 6 bits, in hex. */
	struct sen_nf_guami g = {.plmn = plmn, .region = 2, .set = 1, .pointer = 0};
	uint32_t tac = 1;
	struct sen_nf_profile_desc amf = {.nf_type = "AMF",
					  .guamis = &g,
					  .n_guamis = 1,
					  .tacs = &tac,
					  .n_tacs = 1,
					  .nf_instance_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"};
	assert_int_equal(sen_nf_profile_build(&amf, &p), 0);
	const cJSON *ai = cJSON_GetObjectItem(p, "amfInfo");
	assert_string_equal(sen_nf_json_str(ai, "amfRegionId"), "02");
	assert_string_equal(sen_nf_json_str(ai, "amfSetId"), "001");
	assert_string_equal(
	    sen_nf_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(ai, "guamiList"), 0), "amfId"),
	    "020040");
	assert_string_equal(
	    sen_nf_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(ai, "taiList"), 0), "tac"),
	    "000001");
	assert_string_equal(sen_nf_json_str(p, "nfInstanceId"),
			    "3fa85f64-5717-4562-b3fc-2c963f66afa6");
	cJSON_Delete(p);

	/* SMF: sNssaiSmfInfoList with DNNs. */
	struct sen_nf_profile_desc smf = {.nf_type = "SMF",
					  .snssais = &sl[1],
					  .n_snssais = 1,
					  .dnns = (const char *[]){"internet"},
					  .n_dnns = 1};
	assert_int_equal(sen_nf_profile_build(&smf, &p), 0);
	const cJSON *si = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(p, "smfInfo"), "sNssaiSmfInfoList"), 0);
	assert_int_equal(sen_nf_snssai_parse(cJSON_GetObjectItem(si, "sNssai"), &q), 0);
	assert_int_equal(q.sst, 1);
	assert_int_equal(q.sd, 1);
	assert_true(sen_nf_profile_serves_dnn(p, "INTERNET"));
	assert_false(sen_nf_profile_serves_dnn(p, "ims"));
	assert_true(sen_nf_profile_serves_snssai(p, &sl[1], 1));
	assert_false(sen_nf_profile_serves_snssai(p, &sl[0], 1));
	assert_int_equal(sen_nf_profile_authority(p, NULL, auth, sizeof(auth)), -SEN_ENOENT);
	cJSON_Delete(p);

	assert_int_equal(sen_nf_profile_build(&(struct sen_nf_profile_desc){0}, &p), -SEN_EINVAL);
	assert_int_equal(
	    sen_nf_profile_build(
		&(struct sen_nf_profile_desc){.nf_type = "UDM", .nf_instance_id = "x"}, &p),
	    -SEN_EINVAL);
}

/* ---- the NRF module and NRF clients on one loop ---- */

struct world {
	struct sen_loop *loop;
	struct sen_config *cfg;
	void *nrf;
	char nrf_auth[64];
	/* a UDM-like peer: its server, sbi client and NRF client */
	struct sen_sbi_server *udm_srv;
	struct sen_sbi_client *udm_sbi, *ausf_sbi;
	struct sen_nrf_client *udm, *ausf;
	uint16_t udm_port;
	bool no_local;
	int pings, local_pings;
};

static uint16_t free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static bool run_until(struct world *w, bool (*cond)(struct world *), int ms)
{
	uint64_t end = sen_loop_update_now(w->loop) + (uint64_t)ms;

	while (!cond(w)) {
		if (sen_loop_update_now(w->loop) >= end)
			return false;
		sen_loop_run_once(w->loop, 10);
	}
	return true;
}

static void run_for(struct world *w, int ms)
{
	uint64_t end = sen_loop_update_now(w->loop) + (uint64_t)ms;

	while (sen_loop_update_now(w->loop) < end)
		sen_loop_run_once(w->loop, 10);
}

static bool both_registered(struct world *w)
{
	return sen_nrf_client_registered(w->udm) && sen_nrf_client_registered(w->ausf);
}

static void on_ping(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct world *w = arg;
	cJSON *j = cJSON_CreateObject();

	w->pings++;
	w->local_pings += sen_sbi_stream_is_local(st);
	cJSON_AddStringToObject(j, "pong", sen_sbi_msg_var(req, "x"));
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

struct answer {
	bool done;
	int err, status;
};

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct answer *a = arg;

	a->done = true;
	a->err = err;
	a->status = rsp ? sen_sbi_msg_status(rsp) : 0;
}

static struct answer *g_answer;
static bool answered(struct world *w)
{
	return g_answer->done;
}

/* Send GET /ping/<supi> to {type, service, supi} from the AUSF; wait for the answer. */
static struct answer call(struct world *w, const char *type, const char *service, const char *supi)
{
	struct answer a = {0};
	struct sen_sbi_target t = {.nf_type = type, .service = service, .hint = supi};
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_GET, "/ping/%s", supi ? supi : "x");

	assert_int_equal(sen_sbi_client_request(w->ausf_sbi, &t, req, 2000, on_answer, &a, NULL),
			 0);
	g_answer = &a;
	assert_true(run_until(w, answered, 3000));
	return a;
}

static void world_up(struct world *w, bool no_local)
{
	char yaml[512], err[SEN_CFG_ERR_MAX];
	uint16_t port = free_port();
	int n;

	memset(w, 0, sizeof(*w));
	w->no_local = no_local;
	n = snprintf(yaml, sizeof(yaml),
		     "plmn: { mcc: \"999\", mnc: \"70\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"
		     "nrf: { sbi: 127.0.0.1:%u, heartbeat: 1, validity: 1 }\n",
		     port);
	assert_int_equal(
	    sen_config_parse("test.yaml", yaml, (size_t)n, 0, &w->cfg, err, sizeof(err)), 0);
	assert_int_equal(sen_loop_new(&w->loop), 0);
	struct sen_nf_env env = {.loop = w->loop, .cfg = w->cfg};
	assert_int_equal(sen_nrf_module.init(&env, &w->nrf, err, sizeof(err)), 0);
	assert_int_equal(sen_nrf_module.start(w->nrf, err, sizeof(err)), 0);
	snprintf(w->nrf_auth, sizeof(w->nrf_auth), "127.0.0.1:%u", port);

	/* The UDM: a server with GET /ping/{x}, registered with a SUPI range. */
	struct sen_sbi_server_opts so = {.addr = "127.0.0.1"};
	assert_int_equal(sen_sbi_server_new(w->loop, &so, &w->udm_srv), 0);
	assert_int_equal(sen_sbi_server_route(w->udm_srv, SEN_SBI_GET, "/ping/{x}", on_ping, w), 0);
	assert_int_equal(sen_sbi_server_start(w->udm_srv), 0);
	w->udm_port = sen_sbi_server_port(w->udm_srv);
	struct sen_sbi_client_opts co = {.no_local = no_local};
	assert_int_equal(sen_sbi_client_new(w->loop, &co, &w->udm_sbi), 0);
	assert_int_equal(sen_sbi_client_new(w->loop, &co, &w->ausf_sbi), 0);

	struct sen_cfg_addr a = addr4("127.0.0.1", w->udm_port);
	struct sen_nf_supi_range r = {"999700000000000", "999700000000099", NULL};
	struct sen_cfg_slice sl = {1, SEN_CFG_SD_NONE};
	cJSON *p;
	struct sen_nf_profile_desc d = {.nf_type = "UDM",
					.sbi = &a,
					.services = (const char *[]){"nudm-ueau"},
					.n_services = 1,
					.supi_ranges = &r,
					.n_supi_ranges = 1};
	assert_int_equal(sen_nf_profile_build(&d, &p), 0);
	assert_int_equal(sen_nrf_client_new(w->loop, w->udm_sbi,
					    &(struct sen_nrf_client_opts){
						.nrf = w->nrf_auth, .profile = p, .retry_ms = 100},
					    &w->udm),
			 0);
	cJSON_Delete(p);
	/* The AUSF: serves S-NSSAI 1 (for the S-NSSAI filters below). */
	struct sen_nf_profile_desc ad = {.nf_type = "AUSF",
					 .sbi = &a,
					 .snssais = &sl,
					 .n_snssais = 1,
					 .services = (const char *[]){"nausf-auth"},
					 .n_services = 1};
	assert_int_equal(sen_nf_profile_build(&ad, &p), 0);
	assert_int_equal(sen_nrf_client_new(w->loop, w->ausf_sbi,
					    &(struct sen_nrf_client_opts){
						.nrf = w->nrf_auth, .profile = p, .retry_ms = 100},
					    &w->ausf),
			 0);
	cJSON_Delete(p);
	assert_int_equal(sen_nrf_client_start(w->udm), 0);
	assert_int_equal(sen_nrf_client_start(w->ausf), 0);
	assert_int_equal(sen_nrf_client_start(w->ausf), -SEN_EINVAL);
}

static void world_down(struct world *w)
{
	sen_nrf_client_stop(w->udm);
	sen_nrf_client_stop(w->ausf);
	run_for(w, 100);
	sen_nrf_client_free(w->udm);
	sen_nrf_client_free(w->ausf);
	sen_sbi_client_free(w->udm_sbi);
	sen_sbi_client_free(w->ausf_sbi);
	sen_sbi_server_free(w->udm_srv);
	sen_nrf_module.stop(w->nrf);
	sen_nrf_module.free(w->nrf);
	sen_loop_free(w->loop);
	sen_config_free(w->cfg);
	sen_sbi_pool_trim();
}

struct disc {
	bool done;
	int err, n;
	char first_id[SEN_NF_UUID_LEN];
};

static void on_disc(int err, const cJSON *list, void *arg)
{
	struct disc *d = arg;
	const char *id = sen_nf_json_str(cJSON_GetArrayItem(list, 0), "nfInstanceId");

	d->done = true;
	d->err = err;
	d->n = list ? cJSON_GetArraySize(list) : -1;
	snprintf(d->first_id, sizeof(d->first_id), "%s", id ? id : "");
}

static struct disc *g_disc;
static bool discovered(struct world *w)
{
	return g_disc->done;
}

static struct disc discover(struct world *w, const struct sen_nrf_query *q)
{
	struct disc d = {0};

	assert_int_equal(sen_nrf_client_discover(w->ausf, q, on_disc, &d), 0);
	assert_false(d.done); /* never inside the call, even from the cache */
	g_disc = &d;
	assert_true(run_until(w, discovered, 3000));
	return d;
}

static void registry_suite(bool no_local)
{
	struct sen_nrf_client_stats st0, st;
	struct sen_sbi_client_stats cs;
	struct world w;
	struct answer a;

	world_up(&w, no_local);
	assert_true(run_until(&w, both_registered, 3000));
	assert_int_equal(sen_nrf_client_heartbeat(w.udm), 1);

	/* Resolution by type + service + SUPI reaches the UDM. */
	a = call(&w, "UDM", "nudm-ueau", "imsi-999700000000007");
	assert_int_equal(a.err, 0);
	assert_int_equal(a.status, 200);
	assert_int_equal(w.pings, 1);
	assert_int_equal(w.local_pings, no_local ? 0 : 1);
	a = call(&w, "UDM", "nudm-ueau", "imsi-001010000000001"); /* outside the range */
	assert_int_equal(a.err, -SEN_ENOENT);
	a = call(&w, "UDR", "nudr-dr", NULL); /* nobody */
	assert_int_equal(a.err, -SEN_ENOENT);

	/* The cache: within validityPeriod no new NFDiscover; after it, one. */
	sen_nrf_client_get_stats(w.ausf, &st0);
	a = call(&w, "UDM", "nudm-ueau", "imsi-999700000000008");
	assert_int_equal(a.status, 200);
	sen_nrf_client_get_stats(w.ausf, &st);
	assert_int_equal(st.discoveries, st0.discoveries);
	assert_int_equal(st.cache_hits, st0.cache_hits + 1);
	run_for(&w, 1100);
	a = call(&w, "UDM", "nudm-ueau", "imsi-999700000000009");
	assert_int_equal(a.status, 200);
	sen_nrf_client_get_stats(w.ausf, &st);
	assert_int_equal(st.discoveries, st0.discoveries + 1);

	/* Heartbeats keep both registered well past the heartbeat timer. */
	run_for(&w, 2500);
	assert_true(both_registered(&w));
	sen_nrf_client_get_stats(w.udm, &st);
	assert_true(st.heartbeats >= 2);
	assert_int_equal(st.heartbeat_failures, 0);

	/* Explicit discovery with filters (the NRF applies them). */
	struct sen_cfg_slice s1 = {1, SEN_CFG_SD_NONE}, s2 = {2, SEN_CFG_SD_NONE};
	struct disc d =
	    discover(&w, &(struct sen_nrf_query){.nf_type = "UDM", .supi = "imsi-999700000000050"});
	assert_int_equal(d.err, 0);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.first_id, sen_nrf_client_instance_id(w.udm));
	d = discover(&w, &(struct sen_nrf_query){.nf_type = "UDM", .supi = "imsi-999700000000500"});
	assert_int_equal(d.n, 0);
	d = discover(&w, &(struct sen_nrf_query){.nf_type = "AUSF", .snssai = &s1});
	assert_int_equal(d.n, 1);
	d = discover(&w, &(struct sen_nrf_query){.nf_type = "AUSF", .snssai = &s2});
	assert_int_equal(d.n, 0);
	sen_nrf_client_get_stats(w.ausf, &st0);
	d = discover(&w, &(struct sen_nrf_query){.nf_type = "AUSF", .snssai = &s2});
	sen_nrf_client_get_stats(w.ausf, &st);
	assert_int_equal(st.cache_hits, st0.cache_hits + 1);
	assert_int_equal(sen_nrf_client_discover(w.ausf, &(struct sen_nrf_query){0}, on_disc, &d),
			 -SEN_EINVAL);

	/* sen_nrf_client_request() with a query (S-NSSAI selects the AUSF profile here). */
	struct answer ra = {0};
	struct sen_sbi_msg *req = sen_sbi_request_new(SEN_SBI_GET, "/ping/q");
	assert_int_equal(
	    sen_nrf_client_request(
		w.ausf,
		&(struct sen_nrf_query){.nf_type = "AUSF", .service = "nausf-auth", .snssai = &s1},
		req, 2000, on_answer, &ra, NULL),
	    0);
	g_answer = &ra;
	assert_true(run_until(&w, answered, 3000));
	assert_int_equal(ra.status, 200);
	ra = (struct answer){0};
	req = sen_sbi_request_new(SEN_SBI_GET, "/ping/q");
	assert_int_equal(sen_nrf_client_request(
			     w.ausf, &(struct sen_nrf_query){.nf_type = "AUSF", .snssai = &s2}, req,
			     2000, on_answer, &ra, NULL),
			 0);
	assert_true(run_until(&w, answered, 3000));
	assert_int_equal(ra.err, -SEN_ENOENT);

	/* The NRF forgets the UDM (DELETE by someone): the next heartbeat re-registers. */
	struct answer del = {0};
	req = sen_sbi_request_new(SEN_SBI_DELETE, "/nnrf-nfm/v1/nf-instances/%s",
				  sen_nrf_client_instance_id(w.udm));
	assert_int_equal(sen_sbi_client_send(w.ausf_sbi, w.nrf_auth, req, 2000, on_answer, &del),
			 0);
	g_answer = &del;
	assert_true(run_until(&w, answered, 3000));
	assert_int_equal(del.status, 204);
	run_for(&w, 1500);
	assert_true(both_registered(&w));
	sen_nrf_client_get_stats(w.udm, &st);
	assert_int_equal(st.registrations, 2);
	assert_int_equal(st.heartbeat_failures, 1);

	/* Transport: local means no HTTP/2 request at all; no_local means all were HTTP/2. */
	sen_sbi_client_get_stats(w.udm_sbi, &cs);
	if (no_local) {
		assert_int_equal(cs.local_requests, 0);
		assert_true(cs.requests >= 3);
	} else {
		assert_int_equal(cs.requests, 0);
		assert_true(cs.local_requests >= 3);
	}

	/* Stop: the UDM deregisters; a fresh discovery no longer finds it. */
	sen_nrf_client_stop(w.udm);
	run_for(&w, 200);
	assert_false(sen_nrf_client_registered(w.udm));
	sen_nrf_client_flush(w.ausf);
	d = discover(&w, &(struct sen_nrf_query){.nf_type = "UDM"});
	assert_int_equal(d.n, 0);
	world_down(&w);
}

static void test_registry_local(void **state)
{
	registry_suite(false);
}

static void test_registry_http2(void **state)
{
	registry_suite(true);
}

/* The client keeps retrying until the NRF appears; requests waiting on discovery fail
 * cleanly when the client is freed. */
static void test_retry_and_free(void **state)
{
	struct world w;
	struct answer a = {0};

	world_up(&w, true);
	sen_nrf_module.stop(w.nrf); /* the NRF is down */
	run_for(&w, 350);
	struct sen_nrf_client_stats st;
	sen_nrf_client_get_stats(w.udm, &st);
	assert_false(sen_nrf_client_registered(w.udm));
	assert_true(st.register_failures >= 2);
	char err[SEN_CFG_ERR_MAX];
	assert_int_equal(sen_nrf_module.start(w.nrf, err, sizeof(err)), 0);
	assert_true(run_until(&w, both_registered, 3000));

	/* A request waiting for discovery when its NRF client is freed gets -SEN_EIO. */
	struct sen_sbi_target t = {.nf_type = "UDM", .service = "nudm-ueau"};
	assert_int_equal(sen_sbi_client_request(w.ausf_sbi, &t,
						sen_sbi_request_new(SEN_SBI_GET, "/ping/x"), 2000,
						on_answer, &a, NULL),
			 0);
	sen_nrf_client_free(w.ausf);
	w.ausf = NULL;
	g_answer = &a;
	assert_true(run_until(&w, answered, 1000));
	assert_int_equal(a.err, -SEN_EIO);
	world_down(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_patch),	   cmocka_unit_test(test_nfprofile),
	    cmocka_unit_test(test_registry_local), cmocka_unit_test(test_registry_http2),
	    cmocka_unit_test(test_retry_and_free),
	};

	sen_log_set_levels(getenv("SEN_LOG") ? getenv("SEN_LOG") : "error");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
