/*
 * senctl subscriber: provision subscribers in sen-udr through its provisioning API
 * (/sen-prov/v1, docs/udr.md), over SBI (HTTP/2, lib/sbi client). senctl never opens the
 * database itself: the UDR's single writer thread orders every write.
 *
 *   senctl subscriber add --supi imsi-… --k HEX (--opc HEX | --op HEX) [--amf HEX]
 *                         [--sqn HEX] [--dnn NAME[,NAME…]] [--snssai SST[:SD][,…]]
 *                         [--ambr-ul RATE --ambr-dl RATE] [--json]
 *   senctl subscriber list [--json]
 *   senctl subscriber show SUPI [--secrets] [--json]
 *   senctl subscriber del SUPI
 *   senctl subscriber import FILE.csv
 * and on each: -c sen.yaml (default /etc/sen/sen.yaml: the udr section's sbi address) or
 * --udr HOST:PORT.
 *
 * Input is checked here before anything is sent, with the same parser the UDR runs
 * (sen_udr_json_parse_prov), so a bad SUPI, a key of the wrong length … give one line on
 * stderr and exit 2 with nothing written; a duplicate SUPI is refused by the UDR (409) and
 * reported the same way. `import` checks every row, and that no SUPI in the file exists
 * yet, before it writes the first one. K and OP/OPc are printed only by `show --secrets`.
 */
#include "senctl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/loop.h"
#include "sbi/sbi.h"
#include "udr_json.h"

#define PROV	       "/sen-prov/v1/subscribers"
#define TIMEOUT_MS     10000
#define WINDOW	       32 /* requests in flight during import */
#define MAX_ROWS       100000
#define MAX_LINE       1024
#define DEFAULT_CONFIG "/etc/sen/sen.yaml"

/* One request and its answer. */
struct call {
	bool done;
	int err;    /* transport error (-SEN_E…) */
	int status; /* HTTP status */
	cJSON *json;
	char cause[64];
	char detail[256];
};

struct cli {
	struct sen_loop *loop;
	struct sen_sbi_client *client;
	char udr[128]; /* authority */
	bool json, secrets;
	int pending;
};

/* ---------------------------------------------------------------------------------------- */
/* Talking to the UDR.                                                                        */

static void on_answer(int err, struct sen_sbi_msg *rsp, void *arg)
{
	struct call *c = arg;

	c->done = true;
	c->err = err;
	if (err < 0)
		return;
	c->status = sen_sbi_msg_status(rsp);
	if (c->status >= 400)
		sen_sbi_problem_read(rsp, c->cause, sizeof(c->cause), c->detail, sizeof(c->detail));
	else if (sen_sbi_msg_json(rsp, &c->json) < 0)
		c->json = NULL;
}

static void call_done_cb(int err, struct sen_sbi_msg *rsp, void *arg);

/* Start a request; the answer lands in *c (c->done) while the loop runs. */
static void start(struct cli *cli, struct call *c, enum sen_sbi_method m, const char *path,
		  const cJSON *body)
{
	struct sen_sbi_msg *req = sen_sbi_request_new(m, "%s", path);

	memset(c, 0, sizeof(*c));
	if (!req) {
		c->done = true;
		c->err = -SEN_ENOMEM;
		return;
	}
	sen_sbi_msg_set_header(req, "accept", "application/json");
	if (body)
		sen_sbi_msg_set_json(req, body, NULL);
	cli->pending++;
	int rc = sen_sbi_client_send(cli->client, cli->udr, req, TIMEOUT_MS, call_done_cb, c);
	if (rc < 0) {
		cli->pending--;
		c->done = true;
		c->err = rc;
	}
}

static struct cli *g_cli; /* for call_done_cb: one CLI per process */

static void call_done_cb(int err, struct sen_sbi_msg *rsp, void *arg)
{
	g_cli->pending--;
	on_answer(err, rsp, arg);
}

/* Run the loop until every request started has its answer (each has a timeout). */
static void wait_all(struct cli *cli)
{
	while (cli->pending > 0)
		sen_loop_run_once(cli->loop, 100);
}

static void call_clear(struct call *c)
{
	sen_udr_json_wipe_delete(c->json);
	c->json = NULL;
}

/*
 * A failed call that is not the caller's fault: exit 1 with one line. The line goes through
 * senctl_bad for its escaping: the address is the user's and the cause and detail the UDR's
 * (a ProblemDetails detail may hold newlines), and neither may split it.
 */
static int call_fail(const struct cli *cli, const struct call *c, const char *what)
{
	if (c->err < 0)
		senctl_bad("%s: cannot reach the UDR at %s: %s", what, cli->udr,
			   sen_strerror(c->err));
	else
		senctl_bad("%s: the UDR answered %d %s%s%s", what, c->status, c->cause,
			   c->detail[0] ? ": " : "", c->detail);
	return SENCTL_EXIT_FAIL;
}

/* ---------------------------------------------------------------------------------------- */
/* Options common to every subcommand.                                                        */

/*
 * Find the UDR: --udr HOST:PORT, else the udr.sbi address of the configuration file
 * (-c / --config, default /etc/sen/sen.yaml).
 */
static int find_udr(struct cli *cli, const char *udr, const char *config)
{
	struct sen_config *cfg = NULL;
	struct sen_cfg_udr u;
	char err[SEN_CFG_ERR_MAX], ip[64];
	int rc;

	if (udr) {
		if (strlen(udr) >= sizeof(cli->udr) || !strchr(udr, ':'))
			return senctl_bad("--udr: expected HOST:PORT, e.g. 127.0.0.20:7777");
		snprintf(cli->udr, sizeof(cli->udr), "%s", udr);
		return 0;
	}
	if (!config)
		config = DEFAULT_CONFIG;
	if ((rc = sen_config_load(config, &cfg, err, sizeof(err))) < 0)
		return senctl_bad("%s", err);
	rc = sen_config_bind_section(cfg, "udr", sen_cfg_udr_schema, &u, err, sizeof(err));
	sen_config_free(cfg);
	if (rc < 0)
		return senctl_bad("%s", err);
	if (u.sbi.sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &u.sbi.in6.sin6_addr, ip, sizeof(ip));
		snprintf(cli->udr, sizeof(cli->udr), "[%s]:%u", ip, ntohs(u.sbi.in6.sin6_port));
	} else {
		inet_ntop(AF_INET, &u.sbi.in.sin_addr, ip, sizeof(ip));
		snprintf(cli->udr, sizeof(cli->udr), "%s:%u", ip, ntohs(u.sbi.in.sin_port));
	}
	return 0;
}

/*
 * Take "-c FILE" out of argv (the shared parser knows only "--name" options) and copy the
 * rest to out[]. Returns the new count, or -1 when -c has no value.
 */
static int take_c(int argc, char **argv, char **out, const char **config)
{
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-c")) {
			if (i + 1 >= argc)
				return -1;
			*config = argv[++i];
			continue;
		}
		out[n++] = argv[i];
	}
	return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Building a subscriber from the command line or a CSV row.                                  */

struct sub_in {
	const char *supi, *k, *opc, *op, *amf, *sqn, *snssai, *dnn, *ambr_ul, *ambr_dl;
};

/*
 * Split `list` at `sep` into at most max items of at most cap-1 characters. Returns the
 * count, or -1 when an item is empty or too long, or there are too many.
 */
static int split(const char *list, char sep, char items[][SEN_UDR_DNN_SIZE], int max)
{
	int n = 0;
	const char *p = list;

	for (;;) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0 || len >= SEN_UDR_DNN_SIZE || n == max)
			return -1;
		memcpy(items[n], p, len);
		items[n++][len] = '\0';
		if (!e)
			return n;
		p = e + 1;
	}
}

/*
 * The provisioning JSON of a subscriber (udr_json.h form), checked: the first S-NSSAI is
 * the default one, every DNN goes on every S-NSSAI, the first DNN is the default one, and
 * the rates are the UE-AMBR and each DNN's session AMBR (default 1 Gbps both ways). Returns
 * 0 with *out set, or -SEN_EINVAL with the reason in why (`sep` separates list items).
 */
static int build_sub(const struct sub_in *in, char sep, cJSON **out, char *why, size_t whylen)
{
	char snssais[SEN_UDR_MAX_SLICES][SEN_UDR_DNN_SIZE],
	    dnns[SEN_UDR_MAX_DNNS][SEN_UDR_DNN_SIZE];
	int n_s, n_d;
	uint64_t ul = 1000000000ull, dl = 1000000000ull;
	cJSON *o = NULL, *slices, *ambr;
	struct sen_udr_subscriber *sub = NULL;
	int rc = -SEN_EINVAL;

	*out = NULL;
#define BAD(...)                                                                                   \
	do {                                                                                       \
		snprintf(why, whylen, __VA_ARGS__);                                                \
		goto done;                                                                         \
	} while (0)
	if (!in->supi || !sen_udr_supi_valid(in->supi))
		BAD("supi: must be imsi- and 5 to 15 digits (TS 23.003 2.2)");
	if (!in->k)
		BAD("k: missing (16 bytes as 32 hex digits)");
	if (!in->opc && !in->op)
		BAD("opc or op: missing (16 bytes as 32 hex digits)");
	if (in->opc && in->op)
		BAD("give either opc or op, not both");
	if ((in->ambr_ul == NULL) != (in->ambr_dl == NULL))
		BAD("ambr-ul and ambr-dl: give both or neither");
	if (in->ambr_ul && sen_udr_bitrate_parse(in->ambr_ul, &ul) < 0)
		BAD("ambr-ul: not a bit rate such as \"100 Mbps\" or \"1Gbps\"");
	if (in->ambr_dl && sen_udr_bitrate_parse(in->ambr_dl, &dl) < 0)
		BAD("ambr-dl: not a bit rate such as \"100 Mbps\" or \"1Gbps\"");
	n_s = split(in->snssai ? in->snssai : "1", sep, snssais, SEN_UDR_MAX_SLICES);
	if (n_s < 0)
		BAD("snssai: at most %d S-NSSAIs, each SST[:SD]", SEN_UDR_MAX_SLICES);
	n_d = split(in->dnn ? in->dnn : "internet", sep, dnns, SEN_UDR_MAX_DNNS);
	if (n_d < 0)
		BAD("dnn: at most %d DNN names", SEN_UDR_MAX_DNNS);

	char ulr[SEN_UDR_BITRATE_SIZE], dlr[SEN_UDR_BITRATE_SIZE];
	sen_udr_bitrate_format(ul, ulr);
	sen_udr_bitrate_format(dl, dlr);
	if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "supi", in->supi) ||
	    !cJSON_AddStringToObject(o, "k", in->k) ||
	    !cJSON_AddStringToObject(o, in->opc ? "opc" : "op", in->opc ? in->opc : in->op) ||
	    (in->amf && !cJSON_AddStringToObject(o, "amf", in->amf)) ||
	    !(ambr = cJSON_AddObjectToObject(o, "subscribedUeAmbr")) ||
	    !cJSON_AddStringToObject(ambr, "uplink", ulr) ||
	    !cJSON_AddStringToObject(ambr, "downlink", dlr) ||
	    !(slices = cJSON_AddArrayToObject(o, "slices"))) {
		rc = -SEN_ENOMEM;
		BAD("out of memory");
	}
	if (in->sqn) {
		/* Accept 1..12 hex digits; the UDR takes exactly 12. */
		char sqn[13];
		size_t len = strlen(in->sqn);
		if (len == 0 || len > 12 || strspn(in->sqn, "0123456789abcdefABCDEF") != len)
			BAD("sqn: must be 1 to 12 hex digits (48 bits)");
		memset(sqn, '0', 12);
		memcpy(sqn + 12 - len, in->sqn, len);
		sqn[12] = '\0';
		if (!cJSON_AddStringToObject(o, "sqn", sqn)) {
			rc = -SEN_ENOMEM;
			BAD("out of memory");
		}
	}
	for (int i = 0; i < n_s; i++) {
		uint8_t sst;
		uint32_t sd;
		cJSON *sl, *da;
		if (sen_udr_snssai_parse(snssais[i], ':', &sst, &sd) < 0)
			BAD("snssai: %.32s is not SST[:SD] (SST 0..255, SD 6 hex digits)",
			    snssais[i]);
		if (!(sl = sen_udr_json_snssai(sst, sd)) || !cJSON_AddItemToArray(slices, sl) ||
		    !cJSON_AddBoolToObject(sl, "default", i == 0) ||
		    !(da = cJSON_AddArrayToObject(sl, "dnns"))) {
			rc = -SEN_ENOMEM;
			BAD("out of memory");
		}
		for (int d = 0; d < n_d; d++) {
			cJSON *dn = cJSON_CreateObject(), *sa;
			if (!dn || !cJSON_AddItemToArray(da, dn) ||
			    !cJSON_AddStringToObject(dn, "dnn", dnns[d]) ||
			    !cJSON_AddBoolToObject(dn, "default", d == 0) ||
			    !(sa = cJSON_AddObjectToObject(dn, "sessionAmbr")) ||
			    !cJSON_AddStringToObject(sa, "uplink", ulr) ||
			    !cJSON_AddStringToObject(sa, "downlink", dlr)) {
				rc = -SEN_ENOMEM;
				BAD("out of memory");
			}
		}
	}
	/* The UDR's own check, so that what passes here is accepted there. */
	if (!(sub = malloc(sizeof(*sub)))) {
		rc = -SEN_ENOMEM;
		BAD("out of memory");
	}
	if (sen_udr_json_parse_prov(o, sub, why, whylen) < 0)
		goto done;
	rc = 0;
	*out = o;
	o = NULL;
done:
#undef BAD
	if (sub) {
		OPENSSL_cleanse(sub, sizeof(*sub));
		free(sub);
	}
	sen_udr_json_wipe_delete(o);
	return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Output.                                                                                    */

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void print_json(const cJSON *j)
{
	char *t = cJSON_Print(j);
	if (t) {
		puts(t);
		OPENSSL_cleanse(t, strlen(t));
		free(t);
	}
}

/* "1 Gbps / 2 Gbps" for an Ambr object, "-" when absent. */
static void ambr_text(const cJSON *a, char *out, size_t cap)
{
	if (!cJSON_IsObject(a))
		snprintf(out, cap, "-");
	else
		snprintf(out, cap, "%s / %s", jstr(a, "uplink"), jstr(a, "downlink"));
}

/* "1:internet,ims 2:000001:ims" */
static void slices_text(const cJSON *sub, char *out, size_t cap)
{
	const cJSON *sl;
	size_t n = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(sl, cJSON_GetObjectItemCaseSensitive(sub, "slices"))
	{
		const cJSON *sst = cJSON_GetObjectItemCaseSensitive(sl, "sst"), *d;
		const char *sd = jstr(sl, "sd");
		bool first = true;
		n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%d%s%s:", n ? " " : "",
				      cJSON_IsNumber(sst) ? sst->valueint : -1, *sd ? ":" : "", sd);
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(sl, "dnns"))
		{
			n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s",
					      first ? "" : ",", jstr(d, "dnn"));
			first = false;
		}
	}
}

static void print_row(const cJSON *s)
{
	char ambr[80], sl[512];
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(s, "barred");

	ambr_text(cJSON_GetObjectItemCaseSensitive(s, "subscribedUeAmbr"), ambr, sizeof(ambr));
	slices_text(s, sl, sizeof(sl));
	printf("%-21s %-12s %-4s %-24s %-7s %s\n", jstr(s, "supi"), jstr(s, "sqn"), jstr(s, "amf"),
	       ambr, cJSON_IsTrue(b) ? "barred" : "-", sl);
}

static void print_show(const cJSON *s)
{
	const cJSON *sl, *d, *g;
	char ambr[80];

	printf("%-14s %s\n", "supi", jstr(s, "supi"));
	if (*jstr(s, "k"))
		printf("%-14s %s\n", "k", jstr(s, "k"));
	if (*jstr(s, "opc"))
		printf("%-14s %s\n", "opc", jstr(s, "opc"));
	else if (*jstr(s, "op"))
		printf("%-14s %s\n", "op", jstr(s, "op"));
	else
		printf("%-14s %s (K and the OP value are shown with --secrets)\n", "op-type",
		       jstr(s, "opType"));
	printf("%-14s %s\n", "amf", jstr(s, "amf"));
	printf("%-14s %s\n", "sqn", jstr(s, "sqn"));
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(s, "gpsis"))
	    printf("%-14s %s\n", "gpsi", cJSON_IsString(g) ? g->valuestring : "");
	ambr_text(cJSON_GetObjectItemCaseSensitive(s, "subscribedUeAmbr"), ambr, sizeof(ambr));
	printf("%-14s %s\n", "ue-ambr", ambr);
	printf("%-14s %s\n", "barred",
	       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "barred")) ? "yes" : "no");
	cJSON_ArrayForEach(sl, cJSON_GetObjectItemCaseSensitive(s, "slices"))
	{
		const cJSON *sst = cJSON_GetObjectItemCaseSensitive(sl, "sst");
		printf("%-14s %d%s%s%s\n", "snssai", cJSON_IsNumber(sst) ? sst->valueint : -1,
		       *jstr(sl, "sd") ? ":" : "", jstr(sl, "sd"),
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sl, "default")) ? " (default)"
										     : "");
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(sl, "dnns"))
		{
			const cJSON *q = cJSON_GetObjectItemCaseSensitive(d, "5qi");
			const cJSON *arp = cJSON_GetObjectItemCaseSensitive(d, "arp");
			const cJSON *pl = cJSON_GetObjectItemCaseSensitive(arp, "priorityLevel");
			ambr_text(cJSON_GetObjectItemCaseSensitive(d, "sessionAmbr"), ambr,
				  sizeof(ambr));
			printf("  %-12s %s%s %s 5qi=%d arp=%d session-ambr=%s%s%s\n", "dnn",
			       jstr(d, "dnn"),
			       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "default"))
				   ? " (default)"
				   : "",
			       jstr(d, "pduSessionType"), cJSON_IsNumber(q) ? q->valueint : 0,
			       cJSON_IsNumber(pl) ? pl->valueint : 0, ambr,
			       *jstr(d, "staticIpv4") ? " static-ipv4=" : "",
			       jstr(d, "staticIpv4"));
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Subcommands.                                                                               */

static int cmd_add(struct cli *cli, const struct senctl_opt *opts)
{
	struct sub_in in = {
	    .supi = senctl_opt(opts, "supi"),
	    .k = senctl_opt(opts, "k"),
	    .opc = senctl_opt(opts, "opc"),
	    .op = senctl_opt(opts, "op"),
	    .amf = senctl_opt(opts, "amf"),
	    .sqn = senctl_opt(opts, "sqn"),
	    .snssai = senctl_opt(opts, "snssai"),
	    .dnn = senctl_opt(opts, "dnn"),
	    .ambr_ul = senctl_opt(opts, "ambr-ul"),
	    .ambr_dl = senctl_opt(opts, "ambr-dl"),
	};
	char why[256];
	cJSON *body;
	struct call c;
	int rc = build_sub(&in, ',', &body, why, sizeof(why));

	if (rc == -SEN_EINVAL)
		return senctl_bad("add: %s", why);
	if (rc < 0)
		return SENCTL_EXIT_FAIL;
	start(cli, &c, SEN_SBI_POST, PROV, body);
	sen_udr_json_wipe_delete(body);
	wait_all(cli);
	if (c.err == 0 && c.status == 409)
		rc = senctl_bad("add: %s is already provisioned (nothing written)", in.supi);
	else if (c.err == 0 && c.status == 400)
		rc = senctl_bad("add: the UDR refused the subscriber: %s", c.detail);
	else if (c.err < 0 || c.status != 201)
		rc = call_fail(cli, &c, "add");
	else if (cli->json)
		print_json(c.json);
	else
		printf("added %s\n", in.supi);
	call_clear(&c);
	return rc;
}

static int cmd_list(struct cli *cli)
{
	char after[SEN_UDR_SUPI_SIZE] = "", path[128];
	cJSON *all = cli->json ? cJSON_CreateArray() : NULL;
	int rc = SENCTL_EXIT_OK;
	struct call c;

	bool header = false;

	if (cli->json && !all)
		return SENCTL_EXIT_FAIL;
	for (;;) {
		snprintf(path, sizeof(path), PROV "?limit=500%s%s", after[0] ? "&after=" : "",
			 after);
		start(cli, &c, SEN_SBI_GET, path, NULL);
		wait_all(cli);
		if (c.err < 0 || c.status != 200 || !c.json) {
			rc = call_fail(cli, &c, "list");
			break;
		}
		const cJSON *s, *next = cJSON_GetObjectItemCaseSensitive(c.json, "next");
		if (!cli->json && !header) {
			printf("%-21s %-12s %-4s %-24s %-7s %s\n", "SUPI", "SQN", "AMF",
			       "UE-AMBR (UL / DL)", "BARRED", "S-NSSAI:DNNs");
			header = true;
		}
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(c.json, "subscribers"))
		{
			if (all)
				cJSON_AddItemToArray(all, cJSON_Duplicate(s, true));
			else
				print_row(s);
		}
		if (!cJSON_IsString(next) || !sen_udr_supi_valid(next->valuestring)) {
			call_clear(&c);
			break;
		}
		snprintf(after, sizeof(after), "%s", next->valuestring);
		call_clear(&c);
		if (ferror(stdout))
			break; /* the output is lost: senctl_subscriber reports it */
	}
	call_clear(&c);
	if (all && rc == SENCTL_EXIT_OK)
		print_json(all);
	cJSON_Delete(all);
	return rc;
}

static int cmd_show_del(struct cli *cli, const char *supi, bool del)
{
	char path[128];
	struct call c;
	int rc = SENCTL_EXIT_OK;

	if (!sen_udr_supi_valid(supi))
		return senctl_bad("%s: '%s' is not a SUPI (imsi- and 5 to 15 digits)",
				  del ? "del" : "show", supi);
	snprintf(path, sizeof(path), PROV "/%s%s", supi,
		 !del && cli->secrets ? "?secrets=true" : "");
	start(cli, &c, del ? SEN_SBI_DELETE : SEN_SBI_GET, path, NULL);
	wait_all(cli);
	if (c.err == 0 && c.status == 404)
		rc = senctl_bad("%s: no subscriber %s", del ? "del" : "show", supi);
	else if (c.err < 0 || c.status != (del ? 204 : 200) || (!del && !c.json))
		rc = call_fail(cli, &c, del ? "del" : "show");
	else if (del)
		printf("deleted %s\n", supi);
	else if (cli->json)
		print_json(c.json);
	else
		print_show(c.json);
	call_clear(&c);
	return rc;
}

/* ---- import ---- */

/* CSV columns (docs/udr.md): the header row names them, in any order. */
static const char *const csv_cols[] = {"supi", "k",	 "opc", "op",	   "amf",
				       "sqn",  "snssai", "dnn", "ambr_ul", "ambr_dl"};
#define N_COLS (sizeof(csv_cols) / sizeof(csv_cols[0]))

struct row {
	int line;
	char supi[SEN_UDR_SUPI_SIZE];
	cJSON *body;
	struct call c;
};

/* Split a CSV line at commas into fields (no quoting: no value needs a comma). */
static int csv_fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *e = strchr(p, ',');
		if (n == max)
			return -1;
		if (e)
			*e = '\0';
		/* Trim spaces. */
		while (*p == ' ' || *p == '\t')
			p++;
		char *end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		f[n++] = p;
		if (!e)
			return n;
		p = e + 1;
	}
}

static void free_rows(struct row *rows, int n)
{
	for (int i = 0; i < n; i++) {
		sen_udr_json_wipe_delete(rows[i].body);
		call_clear(&rows[i].c);
	}
	free(rows);
}

/* Read and check every row. Returns 0 with *rows / *n, or an exit status (message printed). */
static int csv_read(const char *file, struct row **rows_out, int *n_out)
{
	FILE *f = fopen(file, "r");
	char line[MAX_LINE + 2];
	int col_of[N_COLS], n_hdr = 0, lineno = 0, n = 0, cap = 0, rc = SENCTL_EXIT_OK;
	struct row *rows = NULL;

	*rows_out = NULL;
	*n_out = 0;
	if (!f)
		return senctl_bad("import: cannot open %s: %s", file, strerror(errno));
	for (size_t i = 0; i < N_COLS; i++)
		col_of[i] = -1;
	while (fgets(line, sizeof(line), f)) {
		char *fld[N_COLS + 1];
		size_t len = strlen(line);
		lineno++;
		if (len > MAX_LINE || (len && line[len - 1] != '\n' && !feof(f))) {
			rc = senctl_bad("import: %s:%d: line longer than %d bytes", file, lineno,
					MAX_LINE);
			goto out;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (strchr(line, '"')) {
			rc = senctl_bad("import: %s:%d: quoted fields are not supported", file,
					lineno);
			goto out;
		}
		int nf = csv_fields(line, fld, (int)N_COLS);
		if (nf < 0) {
			rc = senctl_bad("import: %s:%d: more than %zu columns", file, lineno,
					N_COLS);
			goto out;
		}
		if (!n_hdr) {
			/* The header row. */
			for (int i = 0; i < nf; i++) {
				size_t c;
				for (c = 0; c < N_COLS && strcmp(fld[i], csv_cols[c]); c++)
					;
				if (c == N_COLS || col_of[c] >= 0) {
					rc =
					    senctl_bad("import: %s:%d: header: unknown or repeated "
						       "column '%s'",
						       file, lineno, fld[i]);
					goto out;
				}
				col_of[c] = i;
			}
			if (col_of[0] < 0 || col_of[1] < 0 || (col_of[2] < 0 && col_of[3] < 0)) {
				rc = senctl_bad(
				    "import: %s:%d: header: needs columns supi, k and opc "
				    "or op",
				    file, lineno);
				goto out;
			}
			n_hdr = nf;
			continue;
		}
		if (nf != n_hdr) {
			rc = senctl_bad("import: %s:%d: %d columns, the header has %d", file,
					lineno, nf, n_hdr);
			goto out;
		}
		const char *v[N_COLS];
		for (size_t c = 0; c < N_COLS; c++)
			v[c] = col_of[c] >= 0 && fld[col_of[c]][0] ? fld[col_of[c]] : NULL;
		struct sub_in in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
		char why[256];
		cJSON *body;
		if (n == MAX_ROWS) {
			rc = senctl_bad("import: %s:%d: more than %d subscribers", file, lineno,
					MAX_ROWS);
			goto out;
		}
		char supi[SEN_UDR_SUPI_SIZE];
		int b = build_sub(&in, ';', &body, why, sizeof(why));
		snprintf(supi, sizeof(supi), "%s", in.supi ? in.supi : "");
		OPENSSL_cleanse(line, sizeof(line));
		if (b == -SEN_EINVAL) {
			rc = senctl_bad("import: %s:%d: %s (nothing written)", file, lineno, why);
			goto out;
		}
		if (b < 0) {
			rc = SENCTL_EXIT_FAIL;
			goto out;
		}
		for (int i = 0; i < n; i++)
			if (!strcmp(rows[i].supi, supi)) {
				sen_udr_json_wipe_delete(body);
				rc = senctl_bad(
				    "import: %s:%d: %s is also on line %d (nothing written)", file,
				    lineno, supi, rows[i].line);
				goto out;
			}
		if (n == cap) {
			int nc = cap ? 2 * cap : 64;
			struct row *r = realloc(rows, (size_t)nc * sizeof(*r));
			if (!r) {
				sen_udr_json_wipe_delete(body);
				rc = SENCTL_EXIT_FAIL;
				goto out;
			}
			rows = r;
			cap = nc;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].line = lineno;
		snprintf(rows[n].supi, sizeof(rows[n].supi), "%s", supi);
		rows[n].body = body;
		n++;
	}
	if (ferror(f))
		rc = senctl_bad("import: cannot read %s", file);
	else if (!n_hdr)
		rc = senctl_bad("import: %s: no header row (columns: supi,k,opc|op,…)", file);
out:
	OPENSSL_cleanse(line, sizeof(line));
	fclose(f);
	if (rc != SENCTL_EXIT_OK) {
		free_rows(rows, n);
		return rc;
	}
	*rows_out = rows;
	*n_out = n;
	return 0;
}

/* Send `method` for rows [0, n) with at most WINDOW in flight. */
static void send_rows(struct cli *cli, struct row *rows, int n, enum sen_sbi_method m)
{
	char path[128];
	for (int i = 0; i < n; i++) {
		while (cli->pending >= WINDOW)
			sen_loop_run_once(cli->loop, 100);
		if (m == SEN_SBI_POST) {
			start(cli, &rows[i].c, m, PROV, rows[i].body);
		} else {
			snprintf(path, sizeof(path), PROV "/%s", rows[i].supi);
			start(cli, &rows[i].c, m, path, NULL);
		}
	}
	wait_all(cli);
}

static int cmd_import(struct cli *cli, const char *file)
{
	struct row *rows;
	int n, rc = SENCTL_EXIT_OK, written = 0;

	if ((rc = csv_read(file, &rows, &n)))
		return rc;
	/* Nothing is written while any row's SUPI already exists. */
	send_rows(cli, rows, n, SEN_SBI_GET);
	for (int i = 0; i < n; i++) {
		struct call *c = &rows[i].c;
		if (c->err == 0 && c->status == 200) {
			rc =
			    senctl_bad("import: %s:%d: %s is already provisioned (nothing written)",
				       file, rows[i].line, rows[i].supi);
			goto out;
		}
		if (c->err < 0 || c->status != 404) {
			rc = call_fail(cli, c, "import");
			goto out;
		}
		call_clear(c);
	}
	send_rows(cli, rows, n, SEN_SBI_POST);
	for (int i = 0; i < n; i++)
		written += rows[i].c.err == 0 && rows[i].c.status == 201;
	for (int i = 0; i < n; i++) {
		struct call *c = &rows[i].c;
		if (c->err == 0 && c->status == 201)
			continue;
		/*
		 * Someone provisioned it meanwhile, or the UDR failed: say where we stand, on one
		 * line (senctl_bad escapes the file name and the UDR's words), and exit 1. The
		 * counts come before the UDR's words, which are cut if the line is too long.
		 */
		if (c->err < 0)
			senctl_bad(
			    "import: %s:%d: %s not written (%d of %d subscribers written): %s",
			    file, rows[i].line, rows[i].supi, written, n, sen_strerror(c->err));
		else
			senctl_bad("import: %s:%d: %s not written (%d of %d subscribers written): "
				   "%d %s %s",
				   file, rows[i].line, rows[i].supi, written, n, c->status,
				   c->cause, c->detail);
		rc = SENCTL_EXIT_FAIL;
		goto out;
	}
	printf("imported %d subscribers from %s\n", n, file);
out:
	free_rows(rows, n);
	return rc;
}

/* ---------------------------------------------------------------------------------------- */

/* Declared in senctl.h once wired into senctl.c's table; repeated here until then. */
int senctl_subscriber(int argc, char **argv);

static const char usage[] =
    "usage: senctl subscriber <add|list|show|del|import> [-c sen.yaml | --udr HOST:PORT] …\n";

int senctl_subscriber(int argc, char **argv)
{
	struct senctl_opt opts[] = {OPT("supi"),    OPT("k"),	     OPT("opc"), OPT("op"),
				    OPT("amf"),	    OPT("sqn"),	     OPT("dnn"), OPT("snssai"),
				    OPT("ambr-ul"), OPT("ambr-dl"),  OPT("udr"), OPT("config"),
				    FLAG("json"),   FLAG("secrets"), OPT_END};
	const char *config = NULL, *pos[1] = {NULL};
	struct cli cli = {0};
	char **args;
	int n, rc;

	if (argc < 1) {
		fputs(usage, stderr);
		return SENCTL_EXIT_USAGE;
	}
	const char *cmd = argv[0];
	bool is_add = !strcmp(cmd, "add"), is_list = !strcmp(cmd, "list");
	bool one = !strcmp(cmd, "show") || !strcmp(cmd, "del") || !strcmp(cmd, "import");
	if (!is_add && !is_list && !one)
		return senctl_bad("subscriber: unknown command '%s' (add, list, show, del, import)",
				  cmd);
	if (!(args = calloc((size_t)argc, sizeof(*args))))
		return SENCTL_EXIT_FAIL;
	if ((n = take_c(argc - 1, argv + 1, args, &config)) < 0) {
		free(args);
		return senctl_bad("option -c needs a value");
	}
	rc = senctl_parse_args(n, args, opts, pos, one ? 1 : 0,
			       !strcmp(cmd, "import") ? "FILE.csv" : "SUPI");
	free(args);
	if (rc)
		return rc;
	/* Options that belong to add only. */
	static const char *const add_only[] = {"supi", "k",   "opc",	"op",	   "amf",
					       "sqn",  "dnn", "snssai", "ambr-ul", "ambr-dl"};
	for (size_t i = 0; !is_add && i < sizeof(add_only) / sizeof(add_only[0]); i++)
		if (senctl_opt(opts, add_only[i]))
			return senctl_bad("%s: option --%s is for add only", cmd, add_only[i]);
	if (senctl_opt(opts, "secrets") && strcmp(cmd, "show"))
		return senctl_bad("%s: --secrets is for show only", cmd);
	if (config && senctl_opt(opts, "config"))
		return senctl_bad("give -c or --config, not both");
	if (!config)
		config = senctl_opt(opts, "config");
	if (config && senctl_opt(opts, "udr"))
		return senctl_bad("give -c or --udr, not both");
	cli.json = senctl_opt(opts, "json") != NULL;
	cli.secrets = senctl_opt(opts, "secrets") != NULL;
	if ((rc = find_udr(&cli, senctl_opt(opts, "udr"), config)))
		return rc;

	/* lib/sbi logs connection trouble; senctl reports it in its own words. */
	sen_log_set_level(SEN_LOG_ERROR);
	if (sen_loop_new(&cli.loop) < 0 ||
	    sen_sbi_client_new(
		cli.loop, &(struct sen_sbi_client_opts){.timeout_ms = TIMEOUT_MS, .no_local = true},
		&cli.client) < 0) {
		sen_loop_free(cli.loop);
		fprintf(stderr, "senctl: cannot set up the SBI client\n");
		return SENCTL_EXIT_FAIL;
	}
	g_cli = &cli;
	if (is_add)
		rc = cmd_add(&cli, opts);
	else if (is_list)
		rc = cmd_list(&cli);
	else if (!strcmp(cmd, "import"))
		rc = cmd_import(&cli, pos[0]);
	else
		rc = cmd_show_del(&cli, pos[0], !strcmp(cmd, "del"));
	sen_sbi_client_free(cli.client);
	sen_loop_free(cli.loop);
	g_cli = NULL;
	/* A failure keeps its status; success is success only once it is written. */
	return rc != SENCTL_EXIT_OK ? rc : senctl_flush_stdout();
}
