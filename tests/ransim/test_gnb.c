/*
 * sen-ransim end to end against the fake AMF and UPF of fake_amf.c: each case writes a
 * ransim.yaml, runs the sen-ransim executable as a child process (its own usrsctp stack on
 * its own UDP port), drives the fake core on this process's loop until the child exits
 * (every wait bounded), then checks the child's exit status and report (JSON or text) and
 * what the fake core saw on the wire. IPv6 cases: PDU session types and the PDU address,
 * Router Solicitation / Advertisement (the UE's checks of RFC 4861 6.1.2, one bad kind per
 * UE), ICMPv6 echo, #50; --release with a Release Command and with a Release Reject.
 *
 * Usage: test-gnb PATH/TO/sen-ransim
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_amf.h"

#include "core/loop.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *exe;
static struct sen_loop *loop;
static char dir[64];
static uint16_t base, amf_udp, upf_port, gnb_gtpu, next_gnb_udp;
static const char *ue_extra; /* more lines of the ue map in write_cfg (reset per case) */
static const uint16_t amf_sctp = 38412;

struct run {
	int status; /* exit status, or -1 (killed at the deadline) */
	char out[65536], err[65536];
	cJSON *json;
	uint64_t ms;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void run_loop(unsigned ms)
{
	uint64_t end = now_ms() + ms;
	for (uint64_t t; (t = now_ms()) < end;)
		sen_loop_run_once(loop, (int)(end - t > 20 ? 20 : end - t));
}

/* Write ransim.yaml; `gnb_extra` goes into the gnb map, `top_extra` at the top level. */
static const char *write_cfg(uint16_t amf_port, unsigned gnbs, const char *gnb_extra,
			     const char *top_extra)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ransim.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"plmn: { mcc: \"999\", mnc: \"70\" }\n"
		"tac: 1\n"
		"slices: [ { sst: 1, sd: \"000001\" } ]\n"
		"log: { level: warn }\n"
		"amf: { addr: 127.0.0.1, port: %u, transport: sctp-udp, udp_port: %u, "
		"connect_timeout_ms: 1500 }\n"
		"gnb: { id: 0x123, id_bits: 24, name: test-gnb, count: %u, cell: 5, n3: 127.0.0.1, "
		"udp_port: %u, gtpu_port: %u, upf_port: %u, streams: 8%s%s }\n"
		"ue:\n"
		"  supi: imsi-999700000000001\n"
		"  k: 465B5CE8B199B49FAA5F0A2EE238A6BC\n"
		"  opc: CD63CB71954A9F4E48A5994E37A02BAF\n"
		"%s"
		"procedure_timeout_ms: 5000\n"
		"%s\n",
		amf_port, amf_udp, gnbs, next_gnb_udp++, gnb_gtpu, upf_port,
		gnb_extra ? ", " : "", gnb_extra ? gnb_extra : "", ue_extra ? ue_extra : "",
		top_extra ? top_extra : "");
	fclose(f);
	return path;
}

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = 0;
}

/* Start sen-ransim -c cfg with argv[] (NULL-terminated); stdout/stderr to files. */
static pid_t ransim_start(const char *cfg, const char *const *args)
{
	const char *argv[32] = {exe, "-c", cfg};
	int argc = 3;
	char out[128], err[128];

	for (; argc < 31 && *args; args++)
		argv[argc++] = *args;
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	snprintf(err, sizeof(err), "%s/err.txt", dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(127);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Serve the fake core until child `pid` exits (at most ms); its status, or -1 (killed). */
static int serve_until_exit(pid_t pid, unsigned ms)
{
	uint64_t t0 = now_ms();
	int st = 0;

	while (now_ms() - t0 < ms) {
		sen_loop_run_once(loop, 10);
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static struct run *ransim_finish(pid_t pid, uint64_t t0)
{
	struct run *r = calloc(1, sizeof(*r));
	char out[128], err[128];

	assert_non_null(r);
	r->status = serve_until_exit(pid, 30000);
	r->ms = now_ms() - t0;
	run_loop(100); /* let the fake core see the association end */
	snprintf(out, sizeof(out), "%s/out.txt", dir);
	snprintf(err, sizeof(err), "%s/err.txt", dir);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	r->json = cJSON_Parse(r->out);
	if (r->status == -1)
		fail_msg("sen-ransim did not finish within 30 s; stderr: %s", r->err);
	return r;
}

/* Run sen-ransim -c cfg ARGS... (NULL-terminated) while serving the fake core. */
static struct run *ransim(const char *cfg, ...)
{
	const char *args[32];
	int n = 0;
	va_list ap;

	va_start(ap, cfg);
	for (const char *a; n < 31 && (a = va_arg(ap, const char *));)
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	uint64_t t0 = now_ms();
	return ransim_finish(ransim_start(cfg, args), t0);
}

static void run_free(struct run *r)
{
	cJSON_Delete(r->json);
	free(r);
}

/* procedures.<proc>.<key> of the JSON report; -1 when absent. */
static double jnum(const struct run *r, const char *proc, const char *key)
{
	const cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(r->json, "procedures"), proc);
	const cJSON *v = cJSON_GetObjectItem(p, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static double jtop(const struct run *r, const char *obj, const char *key)
{
	const cJSON *o = obj ? cJSON_GetObjectItem(r->json, obj) : r->json;
	const cJSON *v = cJSON_GetObjectItem(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void expect_status(const struct run *r, int want)
{
	if (r->status != want)
		fail_msg("exit status %d, expected %d\nstdout: %s\nstderr: %s", r->status, want,
			 r->out, r->err);
}

static int setup_case(void **state)
{
	fa_reset(NULL);
	ue_extra = NULL;
	return 0;
}

/* ---- cases ------------------------------------------------------------------------------- */

static void test_ng_setup(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "0", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(jnum(r, "ng-setup", "ok"), 1);
	assert_int_equal(jnum(r, "ng-setup", "fail"), 0);
	assert_true(jnum(r, "ng-setup", "p50_ms") > 0);
	/* TS 38.413 9.2.6.1 contents, on stream 0 (TS 38.412 7) */
	assert_int_equal(fa_rec.ng_setups, 1);
	assert_int_equal(fa_rec.ng_setup_stream, 0);
	assert_int_equal(fa_rec.gnb_ids[0], 0x123);
	assert_int_equal(fa_rec.gnb_id_bits, 24);
	assert_string_equal(fa_rec.plmn, "999-70");
	assert_int_equal(fa_rec.tac, 1);
	assert_int_equal(fa_rec.n_slices, 1);
	assert_int_equal(fa_rec.sst, 1);
	assert_int_equal(fa_rec.sd, 1);
	assert_int_equal(fa_rec.paging_drx, 2); /* v128 */
	assert_string_equal(fa_rec.ran_node_name, "test-gnb");
	run_free(r);
}

static void test_ng_setup_failure(void **state)
{
	struct fa_opts o = {.ng_setup_fail = true};
	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "3", "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(jnum(r, "ng-setup", "ok"), 0);
	assert_int_equal(jnum(r, "ng-setup", "fail"), 1);
	assert_true(jnum(r, "registration", "ok") < 0); /* no UE was launched: not reported */
	assert_non_null(strstr(r->err, "NG Setup Failure: misc/unknown-PLMN-or-SNPN, time to wait 5 s"));
	assert_int_equal(fa_rec.initial_ue, 0);
	run_free(r);
}

static void test_amf_unreachable(void **state)
{
	/* nobody listens on this SCTP port: the connect times out (bounded by the config) */
	struct run *r = ransim(write_cfg(amf_sctp + 1, 1, NULL, NULL), "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(jnum(r, "ng-setup", "fail"), 1);
	assert_non_null(strstr(r->err, "SCTP association to the AMF"));
	assert_true(r->ms < 10000);
	run_free(r);
}

static void test_register_deregister(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--register",
			       "--deregister", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(jnum(r, "registration", "ok"), 1);
	assert_int_equal(jnum(r, "registration", "fail"), 0);
	assert_int_equal(jnum(r, "deregistration", "ok"), 1);
	assert_true(jnum(r, "registration", "p99_ms") >= jnum(r, "registration", "p50_ms"));
	assert_true(jnum(r, "registration", "p50_ms") > 0);
	assert_int_equal(jtop(r, NULL, "kgnb_mismatch"), 0);
	/* the Initial UE Message (TS 38.413 9.2.5.1) */
	assert_int_equal(fa_rec.initial_ue, 1);
	assert_false(fa_rec.iue_on_stream0);
	assert_true(fa_rec.nas_is_registration_request);
	assert_string_equal(fa_rec.first_supi, "imsi-999700000000001");
	assert_int_equal(fa_rec.rrc_cause, 3); /* mo-Signalling */
	assert_int_equal(fa_rec.nci, (0x123ull << 12) | 5);
	assert_int_equal(fa_rec.uli_tac, 1);
	/* the scripted exchange, completed */
	assert_int_equal(fa_rec.smc_completes, 1);
	assert_int_equal(fa_rec.ics_responses, 1);
	assert_int_equal(fa_rec.reg_completes, 1);
	assert_int_equal(fa_rec.dereg_requests, 1);
	assert_int_equal(fa_rec.release_completes, 1);
	assert_int_equal(fa_rec.error_indications, 0);
	run_free(r);
}

static void test_200_ues_sessions(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "200", "--rate", "2000",
			       "--session", "--deregister", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(jnum(r, "registration", "ok"), 200);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 200);
	assert_int_equal(jnum(r, "deregistration", "ok"), 200);
	assert_int_equal(fa_rec.initial_ue, 200);
	assert_int_equal(fa_rec.max_ran_id, 200); /* one RAN UE NGAP ID each */
	assert_int_equal(fa_rec.psr_responses, 200);
	assert_int_equal(fa_rec.release_completes, 200);
	/* UE signalling spread over several streams, never stream 0 */
	assert_false(fa_rec.iue_on_stream0);
	assert_true(__builtin_popcount(fa_rec.streams_seen) >= 4);
	run_free(r);
}

static void test_two_gnbs(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 2, NULL, NULL), "--ues", "4", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(jtop(r, NULL, "gnbs"), 2);
	assert_int_equal(jnum(r, "ng-setup", "ok"), 2);
	assert_int_equal(jnum(r, "registration", "ok"), 4);
	assert_int_equal(fa_rec.ng_setups, 2);
	assert_int_equal(fa_rec.assocs_up, 2);
	assert_int_equal(fa_rec.gnb_ids[0] + fa_rec.gnb_ids[1], 0x123 + 0x124);
	run_free(r);
}

static void test_wrong_keys(void **state)
{
	struct fa_opts o = {.wrong_k = true};
	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "2", "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(jnum(r, "registration", "ok"), 0);
	assert_int_equal(jnum(r, "registration", "fail"), 2);
	/* a real UE: MAC failure -> Authentication Failure #20 (TS 24.501 5.4.1.3.5) */
	assert_int_equal(fa_rec.auth_failures, 2);
	assert_int_equal(fa_rec.auth_failure_cause, 20);
	assert_int_equal(fa_rec.smc_completes, 0);
	const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "failures"), 0);
	const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(f, "reason"));
	assert_non_null(why);
	assert_non_null(strstr(why, "Authentication Reject"));
	assert_non_null(strstr(why, "#20"));
	run_free(r);
}

static void test_kgnb_mismatch(void **state)
{
	struct fa_opts o = {.bad_kgnb = true};
	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(jnum(r, "registration", "fail"), 1);
	assert_int_equal(jtop(r, NULL, "kgnb_mismatch"), 1);
	assert_int_equal(fa_rec.ics_failures, 1); /* TS 38.413 8.3.1.3 */
	assert_int_equal(fa_rec.ics_responses, 0);
	assert_int_equal(fa_rec.reg_completes, 0);
	run_free(r);
}

static void test_unknown_ue_id(void **state)
{
	struct fa_opts o = {.unknown_ue_dl = true};
	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(jnum(r, "registration", "ok"), 1);
	/* TS 38.413 10.6: Error Indication, unknown-local-UE-NGAP-ID */
	assert_int_equal(fa_rec.error_indications, 1);
	assert_int_equal(fa_rec.last_ei_cause_kind, 0);
	assert_int_equal(fa_rec.last_ei_cause, 14);
	run_free(r);
}

static void test_ping(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "2", "--ping",
			       "192.0.2.1", "--count", "3", "--interval", "20", "--deregister",
			       "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 2);
	assert_int_equal(jnum(r, "ping", "ok"), 6);
	assert_int_equal(jnum(r, "ping", "fail"), 0);
	assert_true(jnum(r, "ping", "p50_ms") > 0);
	assert_int_equal(jtop(r, "user_plane", "ul_packets"), 6);
	assert_int_equal(jtop(r, "user_plane", "dl_packets"), 6);
	assert_int_equal(fa_rec.upf_echo_requests, 6);
	assert_int_equal(fa_rec.upf_bad, 0);
	assert_true(fa_rec.upf_teid_ok);
	assert_true(fa_rec.upf_qfi_ok); /* UL PDU Session Container with QFI 1 */
	run_free(r);
}

static void test_ping_loss(void **state)
{
	struct fa_opts o = {.upf_drop = true};
	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--ping",
			       "192.0.2.1", "--count", "3", "--interval", "20", "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(jnum(r, "ping", "ok"), 0);
	assert_int_equal(jnum(r, "ping", "fail"), 3);
	assert_int_equal(fa_rec.upf_echo_requests, 3);
	assert_true(r->ms < 10000);
	run_free(r);
}

static void test_text_report(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "2", "--session",
			       NULL);

	expect_status(r, 0);
	assert_null(r->json);
	assert_non_null(strstr(r->out, "sen-ransim: 1 gNB, 2 UEs, "));
	assert_non_null(strstr(r->out, "procedure              ok     fail     p50 ms     p99 ms\n"));
	assert_non_null(strstr(r->out, "\nng-setup                1        0 "));
	assert_non_null(strstr(r->out, "\nregistration            2        0 "));
	assert_non_null(strstr(r->out, "\npdu-session             2        0 "));
	assert_null(strstr(r->out, "deregistration"));
	assert_non_null(strstr(r->out, "\nresult: ok\n"));
	run_free(r);
}

static void test_bad_config(void **state)
{
	struct run *r = ransim(write_cfg(amf_sctp, 1, "paging_drx: v999", NULL), NULL);

	expect_status(r, 2);
	assert_non_null(strstr(r->err, "ransim.yaml:6: gnb.paging_drx: "));
	run_free(r);
	r = ransim(write_cfg(amf_sctp, 1, NULL, "colour: blue"), NULL);
	expect_status(r, 2);
	assert_non_null(strstr(r->err, "ransim.yaml:12: colour:"));
	run_free(r);
	r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "x", NULL);
	expect_status(r, 2);
	run_free(r);
}

/* ---- PDU session types, IPv6 Router Solicitation / Advertisement, release ------------------ */

/* The first element of the report's "sessions" whose key `key` exists, and how many do. */
static const cJSON *session_with(const struct run *r, const char *key, int *count)
{
	const cJSON *s, *first = NULL;

	*count = 0;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(r->json, "sessions"))
	{
		if (cJSON_GetObjectItem(s, key)) {
			if (!first)
				first = s;
			++*count;
		}
	}
	return first;
}

static const char *jstr(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
}

/* The IID text of fake UE slot idx ("::200:0:0:1"), and prefix::IID with the UPF's /64. */
static void iid_texts(unsigned idx, char *iid, char *addr)
{
	uint8_t a[16] = {0};

	fa_iid(idx, a + 8);
	inet_ntop(AF_INET6, a, iid, INET6_ADDRSTRLEN);
	memcpy(a, (uint8_t[]){0x20, 0x01, 0x0d, 0xb8, 0xca, 0xfe, 0x00, 0x01}, 8);
	inet_ntop(AF_INET6, a, addr, INET6_ADDRSTRLEN);
}

/*
 * --pdu-type ipv4v6: the Establishment Request asks for IPv4v6; the fake SMF grants both
 * (IID and IPv4 in the PDU address); the UE solicits (RS checked at the UPF) and takes the
 * /64 of the Router Advertisement; ICMPv6 echo from prefix::IID; then --release: Release
 * Request -> PDU Session Resource Release Command with the Release Command -> Release
 * Response and Release Complete; then de-registration.
 */
static void test_ipv4v6_ra_ping_release(void **state)
{
	struct fa_opts o = {.pdu_type = 3};
	char iid[INET6_ADDRSTRLEN], addr[INET6_ADDRSTRLEN];
	int n;

	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--pdu-type",
			       "ipv4v6", "--ping", "2001:db8:ffff::2", "--count", "3", "--interval",
			       "20", "--release", "--deregister", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(fa_rec.est_pdu_type, 3);
	assert_true(fa_rec.est_dns6);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 1);
	assert_int_equal(jnum(r, "ipv6-ra", "ok"), 1);
	assert_int_equal(jnum(r, "ipv6-ra", "fail"), 0);
	assert_int_equal(jnum(r, "ping", "ok"), 3);
	assert_int_equal(jnum(r, "ping", "fail"), 0);
	assert_int_equal(jnum(r, "pdu-release", "ok"), 1);
	assert_int_equal(jnum(r, "pdu-release", "fail"), 0);
	assert_true(jnum(r, "pdu-release", "p50_ms") > 0);
	assert_int_equal(jnum(r, "deregistration", "ok"), 1);
	/* what the session got, as the UE saw it */
	iid_texts(0, iid, addr);
	const cJSON *s = session_with(r, "ipv6", &n);
	assert_int_equal(n, 1);
	assert_string_equal(jstr(s, "pdu_type"), "ipv4v6");
	assert_string_equal(jstr(s, "ipv4"), "10.45.0.2");
	assert_string_equal(jstr(s, "ipv6_iid"), iid);
	assert_string_equal(jstr(s, "ipv6"), addr);
	assert_null(cJSON_GetObjectItem(s, "cause"));
	/* RFC 4861 4.1 Router Solicitation (fe80::IID -> ff02::2, hop limit 255, checksum) */
	assert_int_equal(fa_rec.rs_ok, 1);
	assert_int_equal(fa_rec.rs_bad, 0);
	assert_int_equal(fa_rec.ra_sent, 1);
	/* ICMPv6 echo requests from prefix::IID with a good checksum, all answered */
	assert_int_equal(fa_rec.echo6_requests, 3);
	assert_int_equal(fa_rec.echo6_replies, 3);
	assert_int_equal(fa_rec.upf_echo_requests, 0);
	assert_int_equal(fa_rec.upf_bad, 0);
	assert_true(fa_rec.upf_qfi_ok);
	/* TS 24.501 6.4.3: Release Request #36 -> Command -> Complete with the same PTI;
	   TS 38.413 8.2.2: the Release Response names PSI 1 */
	assert_int_equal(fa_rec.rel_requests, 1);
	assert_int_equal(fa_rec.rel_request_cause, 36);
	assert_int_equal(fa_rec.rel_commands, 1);
	assert_int_equal(fa_rec.rel_responses, 1);
	assert_int_equal(fa_rec.rel_response_psi, 1);
	assert_int_equal(fa_rec.rel_completes, 1);
	assert_int_equal(fa_rec.rel_complete_pti_ok, 1);
	assert_int_equal(fa_rec.dereg_requests, 1);
	assert_int_equal(fa_rec.error_indications, 0);
	run_free(r);
}

/*
 * RFC 4861 6.1.2 / 4.6.2 at the UE: nine IPv6-only UEs; the UPF answers every Router
 * Solicitation of UE slot i with Router Advertisement kind i (fake_amf.h): slot 0 a good
 * one, the others a bad hop limit, a global source, a bad checksum, a truncated option, no
 * prefix option, a /48, a zero-length option, ICMP code 1. Only slot 0 learns its address;
 * the others solicit three times and fail.
 */
static void test_ra_validation(void **state)
{
	struct fa_opts o = {.pdu_type = 2, .ra_variants = true};
	char iid[INET6_ADDRSTRLEN], addr[INET6_ADDRSTRLEN];
	int n;

	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "9", "--rate", "1000",
			       "--session", "--pdu-type", "ipv6", "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(fa_rec.est_pdu_type, 2);
	assert_true(fa_rec.est_dns6);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 9);
	assert_int_equal(jnum(r, "ipv6-ra", "ok"), 1);
	assert_int_equal(jnum(r, "ipv6-ra", "fail"), FA_RA_N - 1);
	assert_int_equal(fa_rec.rs_ok, 1 + 3 * (FA_RA_N - 1));
	assert_int_equal(fa_rec.rs_bad, 0);
	assert_int_equal(fa_rec.ra_sent, fa_rec.rs_ok);
	/* only the good Advertisement gave an address, to the UE it was sent to */
	iid_texts(0, iid, addr);
	const cJSON *s = session_with(r, "ipv6", &n);
	assert_int_equal(n, 1);
	assert_string_equal(jstr(s, "ipv6_iid"), iid);
	assert_string_equal(jstr(s, "ipv6"), addr);
	assert_string_equal(jstr(s, "pdu_type"), "ipv6");
	assert_null(cJSON_GetObjectItem(s, "ipv4"));
	session_with(r, "ipv6_iid", &n);
	assert_int_equal(n, FA_RA_N);
	const cJSON *f;
	n = 0;
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(r->json, "failures"))
	{
		assert_string_equal(jstr(f, "procedure"), "ipv6-ra");
		assert_string_equal(jstr(f, "reason"),
				    "no Router Advertisement after 3 Router Solicitations");
		n++;
	}
	assert_int_equal(n, FA_RA_N - 1);
	assert_true(r->ms < 15000);
	run_free(r);
}

/* IPv4v6 asked for, IPv4 granted with #50: no solicitation, nothing counted for it. */
static void test_ipv4v6_cause_50(void **state)
{
	struct fa_opts o = {.pdu_type = 1, .accept_cause = 50};
	int n;

	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--session",
			       "--pdu-type", "ipv4v6", "--json", NULL);

	expect_status(r, 0);
	assert_int_equal(fa_rec.est_pdu_type, 3);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 1);
	assert_true(jnum(r, "ipv6-ra", "ok") < 0); /* not attempted: absent */
	const cJSON *s = session_with(r, "cause", &n);
	assert_int_equal(n, 1);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(s, "cause")), 50);
	assert_string_equal(jstr(s, "pdu_type"), "ipv4");
	assert_string_equal(jstr(s, "ipv4"), "10.45.0.2");
	assert_null(cJSON_GetObjectItem(s, "ipv6_iid"));
	assert_int_equal(fa_rec.rs_ok + fa_rec.rs_bad, 0);
	run_free(r);
}

/* ue.pdu_type in the config (and bad values of it and of --pdu-type), and the text
 * report's session line (ransim.md). */
static void test_pdu_type_config_text(void **state)
{
	struct fa_opts o = {.pdu_type = 3};
	char iid[INET6_ADDRSTRLEN], addr[INET6_ADDRSTRLEN], line[200];

	fa_reset(&o);
	ue_extra = "  pdu_type: ipv5\n";
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), NULL);
	expect_status(r, 2);
	assert_non_null(strstr(r->err, "ransim.yaml:11: ue.pdu_type"));
	run_free(r);
	ue_extra = "  pdu_type: ipv4v6\n";
	r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--pdu-type", "ipv5", NULL);
	expect_status(r, 2);
	assert_non_null(strstr(r->err, "--pdu-type ipv5"));
	run_free(r);
	r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--session", NULL);
	expect_status(r, 0);
	assert_int_equal(fa_rec.est_pdu_type, 3);
	iid_texts(0, iid, addr);
	snprintf(line, sizeof(line), "\nsession imsi-999700000000001: ipv4v6 10.45.0.2 iid %s %s\n",
		 iid, addr);
	if (!strstr(r->out, line))
		fail_msg("no line '%s' in:\n%s", line + 1, r->out);
	assert_non_null(strstr(r->out, "\nipv6-ra                 1        0 "));
	run_free(r);
}

/* --pdu-type alone asks for a session (as --ping, --release and --tun do). */
static void test_pdu_type_implies_session(void **state)
{
	struct fa_opts o = {.pdu_type = 2};

	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--pdu-type",
			       "ipv6", "--json", NULL);
	expect_status(r, 0);
	assert_int_equal(jnum(r, "registration", "ok"), 1);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 1);
	assert_int_equal(fa_rec.psr_responses, 1);
	assert_int_equal(fa_rec.est_pdu_type, 2);
	run_free(r);
}

/*
 * TS 24.501 6.4.1.3 / 8.3.2.1: an Accept for an IPv4 session without the PDU address: the
 * step fails (no TUN, no ping on an address of zeros), the UE releases the session with
 * #96 and still de-registers.
 */
static void test_accept_without_address(void **state)
{
	struct fa_opts o = {.no_pdu_address = true};

	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--ping",
			       "10.45.0.1", "--count", "1", "--deregister", "--json", NULL);
	expect_status(r, 1);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 0);
	assert_int_equal(jnum(r, "pdu-session", "fail"), 1);
	assert_true(jnum(r, "ping", "ok") <= 0);
	assert_int_equal(jnum(r, "deregistration", "ok"), 1);
	const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "failures"), 0);
	assert_string_equal(jstr(f, "procedure"), "pdu-session");
	const char *why = jstr(f, "reason");
	assert_non_null(why);
	assert_non_null(strstr(why, "unusable PDU Session Establishment Accept"));
	assert_int_equal(fa_rec.rel_requests, 1);
	assert_int_equal(fa_rec.rel_request_cause, 96);
	assert_int_equal(fa_rec.upf_echo_requests, 0);
	run_free(r);
}

/* 6.4.3.4: the network rejects the release (#35): a failure; the UE still de-registers. */
static void test_release_reject(void **state)
{
	struct fa_opts o = {.release_reject = true};

	fa_reset(&o);
	struct run *r = ransim(write_cfg(amf_sctp, 1, NULL, NULL), "--ues", "1", "--release",
			       "--deregister", "--json", NULL);

	expect_status(r, 1);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 1);
	assert_int_equal(jnum(r, "pdu-release", "ok"), 0);
	assert_int_equal(jnum(r, "pdu-release", "fail"), 1);
	assert_int_equal(jnum(r, "deregistration", "ok"), 1);
	assert_int_equal(fa_rec.rel_requests, 1);
	assert_int_equal(fa_rec.rel_rejects, 1);
	assert_int_equal(fa_rec.rel_completes, 0);
	const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "failures"), 0);
	assert_string_equal(jstr(f, "procedure"), "pdu-release");
	assert_string_equal(jstr(f, "reason"), "PDU Session Release Reject, 5GSM cause #35");
	run_free(r);
}

/*
 * --tun (root only): the UE's session gets a TUN device with its address, and an ordinary
 * `ping -I <device>` goes UE -> GTP-U (UL PDU session container) -> UPF and back.
 */
static void test_tun_ping(void **state)
{
	char top[64], dev[32], sys[96], pout[160];
	unsigned tag = (unsigned)getpid() % 10000;

	snprintf(top, sizeof(top), "tun_prefix: rst%u", tag);
	snprintf(dev, sizeof(dev), "rst%u0", tag);
	snprintf(sys, sizeof(sys), "/sys/class/net/%s", dev);
	snprintf(pout, sizeof(pout), "%s/ping.txt", dir);
	const char *args[] = {"--ues", "1", "--session", "--tun", "--duration", "2", "--json", NULL};
	uint64_t t0 = now_ms();
	pid_t pid = ransim_start(write_cfg(amf_sctp, 1, NULL, top), args);
	while (access(sys, F_OK) != 0 && now_ms() - t0 < 10000)
		sen_loop_run_once(loop, 10);
	assert_int_equal(access(sys, F_OK), 0);
	pid_t ping = fork();
	assert_true(ping >= 0);
	if (ping == 0) {
		if (!freopen(pout, "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("ping", "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", "-I", dev,
		       "192.0.2.1", (char *)NULL);
		_exit(127);
	}
	int ping_status = serve_until_exit(ping, 15000);
	struct run *r = ransim_finish(pid, t0);
	char ptxt[4096];
	slurp(pout, ptxt, sizeof(ptxt));
	if (ping_status != 0)
		fail_msg("ping -I %s exited %d: %s", dev, ping_status, ptxt);
	assert_non_null(strstr(ptxt, "3 received"));
	expect_status(r, 0);
	assert_int_equal(jnum(r, "pdu-session", "ok"), 1);
	assert_true(jtop(r, "user_plane", "ul_packets") >= 3);
	assert_true(jtop(r, "user_plane", "dl_packets") >= 3);
	assert_true(fa_rec.upf_echo_requests >= 3);
	assert_true(fa_rec.upf_qfi_ok);
	assert_int_equal(access(sys, F_OK), -1); /* the device went away with the session */
	run_free(r);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-gnb PATH/TO/sen-ransim\n");
		return 2;
	}
	exe = argv[1];
	base = (uint16_t)(30000 + (getpid() % 3000) * 8);
	amf_udp = base;
	upf_port = (uint16_t)(base + 1);
	gnb_gtpu = (uint16_t)(base + 2);
	next_gnb_udp = (uint16_t)(40000 + (getpid() % 2000) * 12);
	snprintf(dir, sizeof(dir), "/tmp/sen-ransim-test-XXXXXX");
	if (!mkdtemp(dir) || sen_loop_new(&loop) < 0 ||
	    fa_start(loop, amf_sctp, amf_udp, upf_port, gnb_gtpu) < 0) {
		fprintf(stderr, "test-gnb: cannot start the fake core\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ng_setup, setup_case),
		cmocka_unit_test_setup(test_ng_setup_failure, setup_case),
		cmocka_unit_test_setup(test_amf_unreachable, setup_case),
		cmocka_unit_test_setup(test_register_deregister, setup_case),
		cmocka_unit_test_setup(test_200_ues_sessions, setup_case),
		cmocka_unit_test_setup(test_two_gnbs, setup_case),
		cmocka_unit_test_setup(test_wrong_keys, setup_case),
		cmocka_unit_test_setup(test_kgnb_mismatch, setup_case),
		cmocka_unit_test_setup(test_unknown_ue_id, setup_case),
		cmocka_unit_test_setup(test_ping, setup_case),
		cmocka_unit_test_setup(test_ping_loss, setup_case),
		cmocka_unit_test_setup(test_text_report, setup_case),
		cmocka_unit_test_setup(test_bad_config, setup_case),
		cmocka_unit_test_setup(test_ipv4v6_ra_ping_release, setup_case),
		cmocka_unit_test_setup(test_ra_validation, setup_case),
		cmocka_unit_test_setup(test_ipv4v6_cause_50, setup_case),
		cmocka_unit_test_setup(test_pdu_type_config_text, setup_case),
		cmocka_unit_test_setup(test_release_reject, setup_case),
		cmocka_unit_test_setup(test_pdu_type_implies_session, setup_case),
		cmocka_unit_test_setup(test_accept_without_address, setup_case),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	/* TUN devices need root (CAP_NET_ADMIN): only then is the case part of the run */
	if (geteuid() == 0 && access("/dev/net/tun", R_OK | W_OK) == 0) {
		const struct CMUnitTest tun[] = {
			cmocka_unit_test_setup(test_tun_ping, setup_case),
		};
		rc |= cmocka_run_group_tests_name("tun", tun, NULL, NULL);
	} else
		printf("# TUN case not run: needs root and /dev/net/tun\n");
	fa_stop();
	run_loop(50);
	sen_loop_free(loop);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test-gnb: could not remove %s\n", dir);
	return rc;
}
