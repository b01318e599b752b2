/*
 * sen-ransim: simulated gNBs and UEs for testing a 5G core (docs/ransim.md).
 *
 *   sen-ransim -c ransim.yaml [--ues N] [--register] [--session] [--deregister]
 *              [--rate R] [--duration S] [--ping HOST [--count N] [--interval MS]]
 *              [--tun] [--json] [--log SPEC] [--inject KIND[,KIND...]]
 *              [--pdu-type ipv4|ipv6|ipv4v6] [--release]
 *
 * Brings up the gNBs (NG Setup), runs the procedures for N UEs launched at R per second,
 * and prints per procedure the successes, failures and p50/p99 latency. Exit status: 0
 * when nothing failed, 1 when anything failed (NG Setup included), 2 for bad usage or
 * configuration.
 */
#include "ransim.h"

#include "core/err.h"
#include "core/log.h"
#include "sctp/sctp.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sen-ransim -c FILE [options]\n"
		"  -c, --config FILE   ransim.yaml (docs/ransim.md)\n"
		"  -n, --ues N         UEs to simulate (default 1); SUPIs follow the template's\n"
		"      --register      initial registration (the default when nothing is asked)\n"
		"      --session       a PDU session per UE (implies --register)\n"
		"      --deregister    de-register at the end (implies --register)\n"
		"  -r, --rate R        new UEs per second (default 100)\n"
		"  -d, --duration S    keep the UEs up S seconds before de-registering\n"
		"      --pdu-type T    ipv4 (default), ipv6 or ipv4v6 (overrides ue.pdu_type;\n"
		"                      implies --session)\n"
		"      --ping HOST     send ICMP (IPv4 HOST) or ICMPv6 echo requests through\n"
		"                      each UE's session\n"
		"      --count N       echo requests per UE (default 4)\n"
		"      --interval MS   between echo requests (default 1000)\n"
		"      --tun           a TUN device per session (uesimtun0 ...; needs root;\n"
		"                      implies --session)\n"
		"      --release       release the PDU session (UE-requested) before the end\n"
		"      --json          print the report as one JSON object\n"
		"      --log SPEC      log levels, e.g. info or warn,ngap=debug (stderr)\n"
		"      --inject KINDS  the first registered UE sends faulty uplinks: replay,\n"
		"                      plain, bad-nas, bad-ngap (comma-separated) or all\n"
		"exit status: 0 all procedures succeeded, 1 something failed, 2 usage/config\n");
}

static void on_signal(struct sen_loop *loop, int signo, void *arg)
{
	struct rs *rs = arg;

	if (++rs->signals > 1)
		sen_loop_stop(loop);
	else
		rs_scenario_stop(rs);
}

static int parse_num(const char *s, double min, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

enum { O_REGISTER = 256, O_SESSION, O_DEREGISTER, O_PING, O_COUNT, O_INTERVAL, O_TUN, O_JSON,
       O_LOG, O_INJECT, O_PDU_TYPE, O_RELEASE };

static const struct option longopts[] = {
	{"config", required_argument, NULL, 'c'},
	{"ues", required_argument, NULL, 'n'},
	{"register", no_argument, NULL, O_REGISTER},
	{"session", no_argument, NULL, O_SESSION},
	{"deregister", no_argument, NULL, O_DEREGISTER},
	{"rate", required_argument, NULL, 'r'},
	{"duration", required_argument, NULL, 'd'},
	{"ping", required_argument, NULL, O_PING},
	{"count", required_argument, NULL, O_COUNT},
	{"interval", required_argument, NULL, O_INTERVAL},
	{"tun", no_argument, NULL, O_TUN},
	{"json", no_argument, NULL, O_JSON},
	{"log", required_argument, NULL, O_LOG},
	{"inject", required_argument, NULL, O_INJECT},
	{"pdu-type", required_argument, NULL, O_PDU_TYPE},
	{"release", no_argument, NULL, O_RELEASE},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	static struct rs_config cfg;
	static struct rs rs;
	const char *path = NULL, *log_spec = NULL;
	char err[SEN_CFG_ERR_MAX];
	double v;
	int c, rc;

	rs.opts.ues = 1;
	rs.opts.rate = 100;
	rs.opts.count = 4;
	rs.opts.interval_ms = 1000;
	while ((c = getopt_long(argc, argv, "c:n:r:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			if (parse_num(optarg, 0, 1000000, &v) < 0)
				goto bad;
			rs.opts.ues = (unsigned)v;
			break;
		case 'r':
			if (parse_num(optarg, 0.001, 1e6, &rs.opts.rate) < 0)
				goto bad;
			break;
		case 'd':
			if (parse_num(optarg, 0, 1e6, &rs.opts.duration) < 0)
				goto bad;
			break;
		case O_REGISTER:
			rs.opts.reg = true;
			break;
		case O_SESSION:
			rs.opts.session = true;
			break;
		case O_DEREGISTER:
			rs.opts.dereg = true;
			break;
		case O_PING:
			rs.opts.ping = optarg;
			break;
		case O_COUNT:
			if (parse_num(optarg, 1, 60000, &v) < 0)
				goto bad;
			rs.opts.count = (unsigned)v;
			break;
		case O_INTERVAL:
			if (parse_num(optarg, 1, 3600000, &v) < 0)
				goto bad;
			rs.opts.interval_ms = (unsigned)v;
			break;
		case O_TUN:
			rs.opts.tun = true;
			break;
		case O_JSON:
			rs.opts.json = true;
			break;
		case O_LOG:
			log_spec = optarg;
			break;
		case O_INJECT:
			if (rs_inject_parse(optarg, &rs.opts.inject) < 0) {
				fprintf(stderr, "sen-ransim: --inject %s: kinds are replay, plain, "
						"bad-nas, bad-ngap, all\n", optarg);
				return 2;
			}
			break;
		case O_PDU_TYPE:
			if (!strcmp(optarg, "ipv4"))
				rs.opts.pdu_type = SEN_NAS_PDU_IPV4;
			else if (!strcmp(optarg, "ipv6"))
				rs.opts.pdu_type = SEN_NAS_PDU_IPV6;
			else if (!strcmp(optarg, "ipv4v6"))
				rs.opts.pdu_type = SEN_NAS_PDU_IPV4V6;
			else {
				fprintf(stderr, "sen-ransim: --pdu-type %s: ipv4, ipv6 or ipv4v6\n",
					optarg);
				return 2;
			}
			break;
		case O_RELEASE:
			rs.opts.release = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!path || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (rs.opts.ping && inet_pton(AF_INET, rs.opts.ping, &rs.ping_dst) != 1) {
		if (inet_pton(AF_INET6, rs.opts.ping, &rs.ping_dst6) != 1) {
			fprintf(stderr, "sen-ransim: --ping %s: not an IPv4 or IPv6 address\n",
				rs.opts.ping);
			return 2;
		}
		rs.ping_v6 = true;
	}
	/* what implies what: options that only mean something for a session ask for one
	   (--pdu-type, --tun, --ping, --release; here opts.pdu_type is still the CLI's) */
	if (rs.opts.ping || rs.opts.release || rs.opts.pdu_type || rs.opts.tun)
		rs.opts.session = true;
	if (rs.opts.session || rs.opts.dereg || rs.opts.duration > 0)
		rs.opts.reg = true;
	if (!rs.opts.reg)
		rs.opts.reg = true;

	rc = rs_config_load(path, &cfg, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "sen-ransim: %s\n", err);
		return 2;
	}
	if (cfg.tun)
		rs.opts.tun = true;
	if (!rs.opts.pdu_type)
		rs.opts.pdu_type = cfg.ue.pdu_type;
	sen_log_set_level((enum sen_log_level)cfg.log_level);
	if (log_spec && sen_log_set_levels(log_spec) < 0) {
		fprintf(stderr, "sen-ransim: --log %s: bad level spec\n", log_spec);
		return 2;
	}

	rs.cfg = &cfg;
	rs.gtp_fd = -1;
	rs.n_ues = rs.opts.ues;
	rs.n_gnbs = cfg.gnb.count;
	if ((rc = sen_loop_new(&rs.loop)) < 0) {
		fprintf(stderr, "sen-ransim: event loop: %s\n", sen_strerror(rc));
		return 1;
	}
	sen_loop_signal_watch(rs.loop, SIGINT, on_signal, &rs);
	sen_loop_signal_watch(rs.loop, SIGTERM, on_signal, &rs);
	signal(SIGPIPE, SIG_IGN);

	int exit_code = 1;
	if (rs.opts.session && rs_gtp_open(&rs) < 0)
		goto out;
	if (rs_scenario_init(&rs) < 0)
		goto out;
	uint64_t t0 = rs_now_us();
	for (unsigned i = 0; i < rs.n_gnbs; i++)
		if (rs_gnb_start(&rs, i) < 0)
			goto out;
	sen_loop_run(rs.loop);
	rs.stopping = true;
	rs_stats_print(&rs.stats, rs.opts.json, rs.n_gnbs, rs.n_ues, rs_now_us() - t0);
	exit_code = rs.exit_code || rs_stats_failed(&rs.stats) ? 1 : 0;
out:
	rs.stopping = true;
	rs_scenario_free(&rs);
	for (unsigned i = 0; i < rs.n_gnbs; i++)
		rs_gnb_stop(&rs.gnbs[i]);
	rs_gtp_close(&rs);
	rs_stats_free(&rs.stats);
	/* let the SCTP stack send the SHUTDOWNs queued by the closes */
	for (int i = 0; i < 5; i++)
		sen_loop_run_once(rs.loop, 20);
	sen_loop_free(rs.loop);
	memset(&cfg, 0, sizeof(cfg));
	return exit_code;
bad:
	fprintf(stderr, "sen-ransim: bad value for option: %s\n", optarg);
	usage(stderr);
	return 2;
}
