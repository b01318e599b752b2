/*
 * sen-udr registers with the NRF (TS 29.510 5.2.2.2 NFRegister) and deregisters at stop
 * (5.2.2.4): the UDR module runs in this process against a fake NRF (a lib/sbi server
 * answering PUT / DELETE /nnrf-nfm/v1/nf-instances/{id}), and the test checks the
 * NFProfile: nfType UDR, a UUID nfInstanceId equal to the path's, the PLMN of sen.yaml, and
 * the service nudr-dr with API version v2 and the UDR's SBI endpoint.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "nf.h"
#include "sbi/sbi.h"
#include "udr.h"

struct fake_nrf {
	int puts, deletes;
	char put_id[64], del_id[64];
	cJSON *profile;
};

static void on_put(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_nrf *f = arg;
	cJSON *p = NULL;

	f->puts++;
	snprintf(f->put_id, sizeof(f->put_id), "%s", sen_sbi_msg_var(req, "id"));
	if (sen_sbi_msg_json(req, &p) < 0) {
		sen_sbi_stream_respond_bad_json(st, "NFProfile expected");
		return;
	}
	cJSON_Delete(f->profile);
	f->profile = p;
	cJSON *rsp = cJSON_Duplicate(p, true);
	cJSON_AddNumberToObject(rsp, "heartBeatTimer", 60);
	sen_sbi_stream_respond_json(st, 201, rsp);
	cJSON_Delete(rsp);
}

static void on_delete(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	struct fake_nrf *f = arg;

	f->deletes++;
	snprintf(f->del_id, sizeof(f->del_id), "%s", sen_sbi_msg_var(req, "id"));
	sen_sbi_stream_respond_status(st, 204);
}

static const char *str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void registers_and_deregisters(void **state)
{
	char dir[] = "/tmp/sen-udr-nrf-XXXXXX", path[128], err[SEN_CFG_ERR_MAX] = "";
	struct sen_loop *loop;
	struct sen_sbi_server *nrf;
	struct sen_config *cfg;
	struct fake_nrf f = {0};
	void *udr = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sen.yaml", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "plmn: { mcc: \"001\", mnc: \"01\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"
		    "nrf: { sbi: 127.0.0.1:17910 }\n"
		    "udr: { sbi: 127.0.0.1:17920, db: \"sqlite:subs.db\" }\n");
	fclose(fp);
	assert_int_equal(sen_config_load(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(sen_loop_new(&loop), 0);
	assert_int_equal(
	    sen_sbi_server_new(
		loop, &(struct sen_sbi_server_opts){.addr = "127.0.0.1", .port = 17910}, &nrf),
	    0);
	sen_sbi_server_route(nrf, SEN_SBI_PUT, "/nnrf-nfm/v1/nf-instances/{id}", on_put, &f);
	sen_sbi_server_route(nrf, SEN_SBI_DELETE, "/nnrf-nfm/v1/nf-instances/{id}", on_delete, &f);
	assert_int_equal(sen_sbi_server_start(nrf), 0);

	struct sen_nf_env env = {.loop = loop, .cfg = cfg};
	assert_int_equal(sen_udr_module.init(&env, &udr, err, sizeof(err)), 0);
	assert_int_equal(sen_udr_module.start(udr, err, sizeof(err)), 0);
	for (int i = 0; i < 500 && f.puts == 0; i++)
		sen_loop_run_once(loop, 10);
	assert_int_equal(f.puts, 1);
	/* Let the answer reach the NRF client (registered), and no second PUT come. */
	for (int i = 0; i < 20; i++)
		sen_loop_run_once(loop, 10);
	assert_int_equal(f.puts, 1);

	/* The NFProfile (TS 29.510 6.1.6.2.2). */
	assert_non_null(f.profile);
	assert_string_equal(str(f.profile, "nfType"), "UDR");
	assert_string_equal(str(f.profile, "nfInstanceId"), f.put_id);
	assert_int_equal(strlen(f.put_id), 36);
	assert_string_equal(str(f.profile, "nfStatus"), "REGISTERED");
	const cJSON *plmn = cJSON_GetArrayItem(cJSON_GetObjectItem(f.profile, "plmnList"), 0);
	assert_string_equal(str(plmn, "mcc"), "001");
	assert_string_equal(str(plmn, "mnc"), "01");
	const cJSON *svc = cJSON_GetArrayItem(cJSON_GetObjectItem(f.profile, "nfServices"), 0);
	assert_non_null(svc);
	assert_string_equal(str(svc, "serviceName"), "nudr-dr");
	const cJSON *ver = cJSON_GetArrayItem(cJSON_GetObjectItem(svc, "versions"), 0);
	assert_string_equal(str(ver, "apiVersionInUri"), "v2");
	const cJSON *ep = cJSON_GetArrayItem(cJSON_GetObjectItem(svc, "ipEndPoints"), 0);
	assert_string_equal(str(ep, "ipv4Address"), "127.0.0.1");
	assert_int_equal(cJSON_GetObjectItem(ep, "port")->valueint, 17920);
	/* Sen's own service (the atomic SQN advance), advertised so that a UDM uses it only
	 * with a UDR that has it; its API version stays v1. */
	svc = cJSON_GetArrayItem(cJSON_GetObjectItem(f.profile, "nfServices"), 1);
	assert_non_null(svc);
	assert_string_equal(str(svc, "serviceName"), "sen-udr-auth");
	ver = cJSON_GetArrayItem(cJSON_GetObjectItem(svc, "versions"), 0);
	assert_string_equal(str(ver, "apiVersionInUri"), "v1");

	/* Stop: NFDeregister for the same instance. */
	sen_udr_module.stop(udr);
	for (int i = 0; i < 200 && f.deletes == 0; i++)
		sen_loop_run_once(loop, 10);
	assert_int_equal(f.deletes, 1);
	assert_string_equal(f.del_id, f.put_id);

	sen_udr_module.free(udr);
	sen_sbi_server_free(nrf);
	sen_loop_free(loop);
	sen_config_free(cfg);
	cJSON_Delete(f.profile);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Without an nrf section the UDR runs alone (tests, provisioning) and sends nothing. */
static void runs_without_nrf(void **state)
{
	char dir[] = "/tmp/sen-udr-nrf-XXXXXX", path[128], err[SEN_CFG_ERR_MAX] = "";
	struct sen_loop *loop;
	struct sen_config *cfg;
	void *udr = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sen.yaml", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "plmn: { mcc: \"001\", mnc: \"01\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"
		    "udr: { sbi: 127.0.0.1:17921, db: \"sqlite:subs.db\" }\n");
	fclose(fp);
	assert_int_equal(sen_config_load(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(sen_loop_new(&loop), 0);
	struct sen_nf_env env = {.loop = loop, .cfg = cfg};
	assert_int_equal(sen_udr_module.init(&env, &udr, err, sizeof(err)), 0);
	assert_int_equal(sen_udr_module.start(udr, err, sizeof(err)), 0);
	sen_loop_run_once(loop, 10);
	sen_udr_module.stop(udr);
	sen_udr_module.free(udr);
	sen_loop_free(loop);
	sen_config_free(cfg);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A bad udr section stops start-up with "file:line: key: problem". */
static void bad_config_is_reported(void **state)
{
	char dir[] = "/tmp/sen-udr-nrf-XXXXXX", path[128], err[SEN_CFG_ERR_MAX] = "";
	struct sen_loop *loop;
	struct sen_config *cfg;
	void *udr = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sen.yaml", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "plmn: { mcc: \"001\", mnc: \"01\" }\ntac: [1]\nslices: [ { sst: 1 } ]\n"
		    "udr: { sbi: 127.0.0.1:99999 }\n");
	fclose(fp);
	assert_int_equal(sen_config_load(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(sen_loop_new(&loop), 0);
	struct sen_nf_env env = {.loop = loop, .cfg = cfg};
	assert_int_equal(sen_udr_module.init(&env, &udr, err, sizeof(err)), -SEN_ECONFIG);
	assert_null(udr);
	assert_non_null(strstr(err, "sen.yaml:4: udr.sbi"));
	sen_loop_free(loop);
	sen_config_free(cfg);
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(registers_and_deregisters),
	    cmocka_unit_test(runs_without_nrf),
	    cmocka_unit_test(bad_config_is_reported),
	};
	sen_log_set_level(SEN_LOG_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
