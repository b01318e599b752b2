/*
 * home-tool: helpers for tests/home/test_daemons.py, which runs sen-udm and sen-ausf as
 * processes and plays the AMF with curl. Each subcommand prints one line (JSON or text).
 *
 *   home-tool fake-udr ADDR PORT [SUPI K OPC SQN]...
 *       serve the in-memory UDR (fake_udr.h) until SIGTERM; prints "ready" when listening
 *   home-tool provision DB_URL SUPI K OPC SQN
 *       add a subscriber to a sen-udr store (src/udr/store.h) with slices 1 (DNNs internet,
 *       ims) and 1:000001 (internet)
 *   home-tool suci SCHEME(null|a|b) KEY_FILE KEY_ID MCC MNC MSIN
 *       conceal MSIN for the home network whose private key is KEY_FILE (TS 33.501 C.3)
 *   home-tool ue K OPC RAND AUTN SNN
 *       the USIM and ME of TS 33.501 6.1.3.2 step 7: {"mac":true,"sqn":N,"resStar","kseaf"}
 *       or {"mac":false} (exit 3)
 *   home-tool auts K OPC RAND SQN_MS      AUTS for re-synchronisation (TS 33.102 6.3.3)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"
#include "core/loop.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"
#include "crypto/suci.h"
#include "fake_udr.h"
#include "store.h"

static int hexarg(const char *s, uint8_t *out, size_t len)
{
	if (sen_hex_decode_exact(s, out, len) < 0) {
		fprintf(stderr, "home-tool: '%s' is not %zu bytes of hex\n", s, len);
		exit(2);
	}
	return 0;
}

static int cmd_fake_udr(int argc, char **argv)
{
	static const uint8_t amf[2] = {0x80, 0x00};
	struct sen_loop *loop;
	struct fake_udr *u;
	uint8_t k[16], opc[16];
	int rc;

	if (argc < 2 || (argc - 2) % 4)
		return 2;
	sen_log_set_levels(getenv("SEN_LOG") ? getenv("SEN_LOG") : "warn");
	if (sen_loop_new(&loop) < 0 || sen_loop_stop_on_signals(loop) < 0)
		return 1;
	rc = fake_udr_start(loop, argv[0], (uint16_t)atoi(argv[1]), &u);
	if (rc < 0) {
		fprintf(stderr, "home-tool: fake UDR: %s\n", sen_strerror(rc));
		return 1;
	}
	for (int i = 2; i < argc; i += 4) {
		hexarg(argv[i + 1], k, 16);
		hexarg(argv[i + 2], opc, 16);
		fake_udr_add(u, argv[i], k, opc, amf, strtoull(argv[i + 3], NULL, 0));
	}
	printf("ready %s\n", fake_udr_authority(u));
	fflush(stdout);
	sen_loop_run(loop);
	fake_udr_free(u);
	sen_loop_free(loop);
	return 0;
}

static void add_dnn(struct sen_udr_slice *s, const char *name, bool def, uint8_t qi)
{
	struct sen_udr_dnn *d = &s->dnns[s->n_dnns++];

	snprintf(d->dnn, sizeof(d->dnn), "%s", name);
	d->is_default = def;
	d->pdu_type = SEN_UDR_PDU_IPV4;
	d->qi5 = qi;
	d->arp_priority = 8;
	d->ambr_ul = 100000000;
	d->ambr_dl = 200000000;
}

static int cmd_provision(int argc, char **argv)
{
	struct sen_udr_subscriber sub;
	struct sen_udr_store *st;
	int rc;

	if (argc != 5)
		return 2;
	sen_udr_subscriber_init(&sub, argv[1]);
	hexarg(argv[2], sub.auth.k, 16);
	hexarg(argv[3], sub.auth.op, 16);
	sub.auth.op_kind = SEN_UDR_OPC;
	sub.auth.sqn = strtoull(argv[4], NULL, 0);
	sub.ue_ambr_ul = 1000000000;
	sub.ue_ambr_dl = 2000000000;
	sub.n_slices = 2;
	sub.slices[0] = (struct sen_udr_slice){.sst = 1, .sd = SEN_UDR_SD_NONE, .is_default = true};
	add_dnn(&sub.slices[0], "internet", true, 9);
	add_dnn(&sub.slices[0], "ims", false, 5);
	sub.slices[1] = (struct sen_udr_slice){.sst = 1, .sd = 1};
	add_dnn(&sub.slices[1], "internet", true, 9);
	if ((rc = sen_udr_store_open(argv[0], &st)) == 0) {
		rc = sen_udr_store_add(st, &sub);
		sen_udr_store_close(st);
	}
	if (rc < 0) {
		fprintf(stderr, "home-tool: provision %s: %s\n", argv[1], sen_strerror(rc));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_suci(int argc, char **argv)
{
	struct sen_suci s = {.supi_type = SEN_SUPI_IMSI, .routing = "0"};
	struct sen_hn_key *key = NULL;
	uint8_t pub[65];
	char out[SEN_SUCI_STR_MAX + 1];
	int scheme, n = 0, rc;

	if (argc != 6)
		return 2;
	scheme = !strcmp(argv[0], "a")	 ? SEN_SUCI_PROFILE_A
		 : !strcmp(argv[0], "b") ? SEN_SUCI_PROFILE_B
					 : SEN_SUCI_NULL;
	if (scheme != SEN_SUCI_NULL) {
		if ((rc = sen_hn_key_load_file(scheme, argv[1], &key)) < 0 ||
		    (n = sen_hn_key_public(key, pub, sizeof(pub))) < 0) {
			fprintf(stderr, "home-tool: key %s: %s\n", argv[1], sen_strerror(rc));
			return 1;
		}
		s.hn_key_id = (uint8_t)atoi(argv[2]);
	}
	snprintf(s.mcc, sizeof(s.mcc), "%s", argv[3]);
	snprintf(s.mnc, sizeof(s.mnc), "%s", argv[4]);
	rc = sen_suci_conceal(&s, scheme, pub, (size_t)n, NULL, argv[5]);
	sen_hn_key_free(key);
	if (rc < 0 || sen_suci_format(&s, out, sizeof(out)) < 0) {
		fprintf(stderr, "home-tool: cannot conceal: %s\n", sen_strerror(rc));
		return 1;
	}
	printf("%s\n", out);
	return 0;
}

static int cmd_ue(int argc, char **argv)
{
	uint8_t k[16], opc[16], rand[16], autn[16], res[8], ck[16], ik[16], sqn[6];
	uint8_t res_star[16], kausf[32], kseaf[32];
	char h1[33], h2[65];

	if (argc != 5)
		return 2;
	hexarg(argv[0], k, 16);
	hexarg(argv[1], opc, 16);
	hexarg(argv[2], rand, 16);
	hexarg(argv[3], autn, 16);
	if (sen_aka_usim_check(k, opc, rand, autn, res, ck, ik, sqn) < 0) {
		printf("{\"mac\":false}\n");
		return 3;
	}
	if (sen_kdf_res_star(ck, ik, argv[4], rand, res, 8, res_star) < 0 ||
	    sen_kdf_kausf(ck, ik, argv[4], autn, kausf) < 0 ||
	    sen_kdf_kseaf(kausf, argv[4], kseaf) < 0)
		return 1;
	printf("{\"mac\":true,\"sqn\":%llu,\"resStar\":\"%s\",\"kseaf\":\"%s\"}\n",
	       (unsigned long long)sen_aka_sqn_get(sqn), sen_hex_encode(res_star, 16, h1),
	       sen_hex_encode(kseaf, 32, h2));
	return 0;
}

static int cmd_auts(int argc, char **argv)
{
	uint8_t k[16], opc[16], rand[16], ms[6], auts[14];
	char h[29];

	if (argc != 4)
		return 2;
	hexarg(argv[0], k, 16);
	hexarg(argv[1], opc, 16);
	hexarg(argv[2], rand, 16);
	sen_aka_sqn_put(strtoull(argv[3], NULL, 0), ms);
	if (sen_aka_usim_auts(k, opc, rand, ms, auts) < 0)
		return 1;
	printf("%s\n", sen_hex_encode(auts, 14, h));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
	    {"fake-udr", cmd_fake_udr}, {"provision", cmd_provision},
	    {"suci", cmd_suci},		{"ue", cmd_ue},
	    {"auts", cmd_auts},
	};

	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			int rc = cmds[i].fn(argc - 2, argv + 2);
			if (rc == 2)
				fprintf(stderr, "home-tool %s: wrong arguments\n", argv[1]);
			return rc;
		}
	fprintf(stderr, "usage: home-tool fake-udr|provision|suci|ue|auts ...\n");
	return 2;
}
