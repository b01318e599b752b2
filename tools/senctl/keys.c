/*
 * senctl keys: compute the values of subscriber authentication from SIM data, so an
 * operator can check a SIM profile and debug authentication failures.
 *
 *   milenage  TS 35.206: OPc, f1 (MAC-A), f1* (MAC-S), f2 (RES), f3 (CK), f4 (IK),
 *             f5 (AK), f5* (AK*)
 *   5g-aka    TS 33.501 6.1.3.2 and Annex A: AUTN, XRES*, HXRES*, KAUSF, KSEAF, KAMF
 *   auts      TS 33.102 6.3.5: verify an AUTS (MAC-S) and recover the UE's SQN
 *   suci      TS 33.501 6.12 / Annex C: de-conceal a SUCI to its SUPI
 *
 * Keys are printed because asking for them is the point of this command; nothing here logs.
 */
#include "senctl.h"

#include "core/err.h"
#include "core/hex.h"
#include "crypto/aka.h"
#include "crypto/kdf.h"
#include "crypto/milenage.h"
#include "crypto/suci.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One output value: its label for people and its JSON key. */
struct out_item {
	const char *label;
	const char *json;
	const uint8_t *val;
	size_t len;
	const char *str; /* printed as is when val is NULL */
};

static int print_items(const struct out_item *items, size_t n, bool json)
{
	char hex[2 * 64 + 1];
	bool ok = true;

	if (json) {
		cJSON *o = cJSON_CreateObject();
		if (!o)
			return SENCTL_EXIT_FAIL;
		for (size_t i = 0; i < n; i++) {
			const char *s = items[i].val
					    ? sen_hex_encode(items[i].val, items[i].len, hex)
					    : items[i].str;
			if (!cJSON_AddStringToObject(o, items[i].json, s)) {
				cJSON_Delete(o);
				OPENSSL_cleanse(hex, sizeof(hex));
				return SENCTL_EXIT_FAIL;
			}
		}
		char *text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		OPENSSL_cleanse(hex, sizeof(hex));
		if (!text)
			return SENCTL_EXIT_FAIL;
		ok = puts(text) >= 0;
		OPENSSL_cleanse(text, strlen(text));
		free(text);
	} else {
		for (size_t i = 0; i < n && ok; i++) {
			const char *s = items[i].val
					    ? sen_hex_encode(items[i].val, items[i].len, hex)
					    : items[i].str;
			ok = printf("%-8s %s\n", items[i].label, s) >= 0;
		}
		OPENSSL_cleanse(hex, sizeof(hex));
	}
	/* A result that did not reach its reader (a full disk) is a failure. */
	if (!ok) {
		fprintf(stderr, "senctl: cannot write the output: %s\n", strerror(errno));
		return SENCTL_EXIT_FAIL;
	}
	return senctl_flush_stdout();
}

static int internal(int rc)
{
	fprintf(stderr, "senctl: internal error: %s\n", sen_strerror(rc));
	return SENCTL_EXIT_FAIL;
}

#define HEXV(l, j, v, n)                                                                           \
	{                                                                                          \
		.label = l, .json = j, .val = v, .len = n                                          \
	}

/*
 * Number of leading hex digits in s; *bad gets the 1-based position of the first character
 * that is not one (0 when all are). The value itself is never echoed: it may be a key.
 */
static size_t hex_digits(const char *s, size_t *bad)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF");

	*bad = s[n] ? n + 1 : 0;
	return n;
}

/* Decode option `name` as exactly `len` bytes of hex; reports the problem on failure. */
static int hex_opt(const struct senctl_opt *opts, const char *name, uint8_t *out, size_t len)
{
	const char *v = senctl_opt(opts, name);
	size_t bad, n;

	if (!v)
		return senctl_bad("missing --%s (%zu bytes as %zu hex digits)", name, len, 2 * len);
	n = hex_digits(v, &bad);
	if (bad)
		return senctl_bad(
		    "--%s: character %zu is not a hex digit (%zu hex digits expected)", name, bad,
		    2 * len);
	if (n != 2 * len)
		return senctl_bad("--%s: %zu hex digits, %zu expected (%zu bytes)", name, n,
				  2 * len, len);
	if (sen_hex_decode_exact(v, out, len) < 0)
		return internal(-SEN_EINVAL);
	return 0;
}

/*
 * A serving network name as TS 24.501 9.12.1 (table 9.12.1.1) writes it, used by
 * TS 33.501 6.1.1.4 and Annex A: "5G:mnc<3 digits>.mcc<3 digits>.3gppnetwork.org", the same
 * followed by ":<NID>" (11 hex digits, upper case) for an SNPN, or "5G:NSWO".
 */
static bool snn_ok(const char *s)
{
	static const char *const parts[] = {"5G:mnc", "ddd", ".mcc", "ddd", ".3gppnetwork.org"};

	if (!strcmp(s, "5G:NSWO"))
		return true;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = strlen(parts[i]);
		if (parts[i][0] == 'd') {
			if (strspn(s, "0123456789") < n)
				return false;
		} else if (strncmp(s, parts[i], n)) {
			return false;
		}
		s += n;
	}
	if (*s == '\0')
		return true;
	return s[0] == ':' && strspn(s + 1, "0123456789ABCDEF") == 11 && s[12] == '\0';
}

/* K and OPc from --k and --op | --opc (OPc computed from OP when --op is given). */
static int subscriber_keys(const struct senctl_opt *opts, uint8_t k[16], uint8_t opc[16])
{
	const char *op = senctl_opt(opts, "op"), *opc_s = senctl_opt(opts, "opc");
	int rc;

	if ((rc = hex_opt(opts, "k", k, 16)))
		return rc;
	if (op && opc_s)
		return senctl_bad("give either --op or --opc, not both");
	if (!op && !opc_s)
		return senctl_bad("missing --op or --opc (16 bytes as 32 hex digits)");
	if (opc_s)
		return hex_opt(opts, "opc", opc, 16);
	uint8_t op_b[16];
	if ((rc = hex_opt(opts, "op", op_b, 16)))
		return rc;
	rc = sen_milenage_opc(k, op_b, opc);
	OPENSSL_cleanse(op_b, sizeof(op_b));
	if (rc < 0) {
		fprintf(stderr, "senctl: OPc computation failed: %s\n", sen_strerror(rc));
		return SENCTL_EXIT_FAIL;
	}
	return 0;
}

static int keys_milenage(int argc, char **argv)
{
	struct senctl_opt opts[] = {OPT("k"),	OPT("op"),  OPT("opc"),	  OPT("rand"),
				    OPT("sqn"), OPT("amf"), FLAG("json"), OPT_END};
	uint8_t k[16], opc[16], rand[16], sqn[6], amf[2];
	uint8_t mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], ak_star[6];
	int rc;

	if ((rc = senctl_parse_opts(argc, argv, opts)) || (rc = subscriber_keys(opts, k, opc)) ||
	    (rc = hex_opt(opts, "rand", rand, 16)) || (rc = hex_opt(opts, "sqn", sqn, 6)) ||
	    (rc = hex_opt(opts, "amf", amf, 2)))
		goto out;
	if ((rc = sen_milenage_f1(k, opc, rand, sqn, amf, mac_a, mac_s)) < 0 ||
	    (rc = sen_milenage_f2345(k, opc, rand, res, ck, ik, ak)) < 0 ||
	    (rc = sen_milenage_f5star(k, opc, rand, ak_star)) < 0) {
		rc = internal(rc);
		goto out;
	}
	const struct out_item items[] = {
	    HEXV("OPc", "opc", opc, 16),      HEXV("MAC-A", "mac_a", mac_a, 8),
	    HEXV("MAC-S", "mac_s", mac_s, 8), HEXV("RES", "res", res, 8),
	    HEXV("CK", "ck", ck, 16),	      HEXV("IK", "ik", ik, 16),
	    HEXV("AK", "ak", ak, 6),	      HEXV("AK*", "ak_star", ak_star, 6),
	};
	rc = print_items(items, sizeof(items) / sizeof(items[0]), senctl_opt(opts, "json"));
	OPENSSL_cleanse(ck, sizeof(ck));
	OPENSSL_cleanse(ik, sizeof(ik));
out:
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return rc;
}

/* A SUPI as TS 23.003 2.2A writes it: "imsi-" and 5..15 digits, "nai-" and an NAI, or bare digits.
 */
static bool supi_ok(const char *s)
{
	if (!strncmp(s, "nai-", 4))
		return s[4] != '\0' && strlen(s) < 256;
	if (!strncmp(s, "imsi-", 5))
		s += 5;
	size_t n = strspn(s, "0123456789");
	return s[n] == '\0' && n >= 5 && n <= 15;
}

static int keys_5g_aka(int argc, char **argv)
{
	struct senctl_opt opts[] = {OPT("k"),	 OPT("op"),    OPT("opc"), OPT("rand"),
				    OPT("sqn"),	 OPT("amf"),   OPT("snn"), OPT("supi"),
				    OPT("abba"), FLAG("json"), OPT_END};
	uint8_t k[16], opc[16], rand[16], sqn[6], amf[2], abba[16];
	uint8_t kseaf[32], kamf[32];
	struct sen_aka_he_av av;
	size_t abba_len, bad;
	int rc;

	memset(&av, 0, sizeof(av));
	if ((rc = senctl_parse_opts(argc, argv, opts)) || (rc = subscriber_keys(opts, k, opc)) ||
	    (rc = hex_opt(opts, "rand", rand, 16)) || (rc = hex_opt(opts, "sqn", sqn, 6)) ||
	    (rc = hex_opt(opts, "amf", amf, 2)))
		goto out;
	const char *snn = senctl_opt(opts, "snn"), *supi = senctl_opt(opts, "supi");
	const char *abba_s = senctl_opt(opts, "abba");
	if (!snn) {
		rc = senctl_bad(
		    "missing --snn (serving network name, e.g. 5G:mnc070.mcc999.3gppnetwork.org)");
		goto out;
	}
	if (!snn_ok(snn)) {
		rc =
		    senctl_bad("--snn: '%s' is not a serving network name "
			       "(5G:mnc<3 digits>.mcc<3 digits>.3gppnetwork.org, TS 24.501 9.12.1)",
			       snn);
		goto out;
	}
	if (!supi) {
		rc = senctl_bad("missing --supi (e.g. imsi-999700000000001)");
		goto out;
	}
	if (!supi_ok(supi)) {
		rc = senctl_bad("--supi: '%s' is not a SUPI (imsi- and 5 to 15 digits, or nai-…)",
				supi);
		goto out;
	}
	/*
	 * No default: the ABBA is what the AMF sent the UE (TS 24.501 9.11.3.10, 2 to 255
	 * octets) and goes into KAMF (TS 33.501 A.7.1), so a guess would print a KAMF that may
	 * not match. We accept up to 16 octets.
	 */
	if (!abba_s) {
		rc = senctl_bad("missing --abba (the ABBA the AMF sent, e.g. 0000)");
		goto out;
	}
	abba_len = hex_digits(abba_s, &bad);
	if (bad) {
		rc = senctl_bad("--abba: character %zu is not a hex digit", bad);
		goto out;
	}
	if (abba_len % 2) {
		rc = senctl_bad("--abba: %zu hex digits, an even number expected (whole bytes)",
				abba_len);
		goto out;
	}
	if (abba_len > 2 * sizeof(abba)) {
		rc = senctl_bad("--abba: %zu hex digits, at most 16 bytes (32 hex digits) expected",
				abba_len);
		goto out;
	}
	if (abba_len < 4) {
		rc = senctl_bad("--abba: %zu hex digits, at least 2 bytes (4 hex digits) expected",
				abba_len);
		goto out;
	}
	abba_len /= 2;
	if (sen_hex_decode_exact(abba_s, abba, abba_len) < 0) {
		rc = internal(-SEN_EINVAL);
		goto out;
	}
	if ((rc = sen_aka_he_av(k, opc, rand, sqn, amf, snn, &av)) < 0 ||
	    (rc = sen_kdf_kseaf(av.kausf, snn, kseaf)) < 0 ||
	    (rc = sen_kdf_kamf(kseaf, supi, abba, abba_len, kamf)) < 0) {
		rc = internal(rc);
		goto out;
	}
	const struct out_item items[] = {
	    HEXV("AUTN", "autn", av.autn, 16),
	    HEXV("XRES*", "xres_star", av.xres_star, 16),
	    HEXV("HXRES*", "hxres_star", av.hxres_star, 16),
	    HEXV("KAUSF", "kausf", av.kausf, 32),
	    HEXV("KSEAF", "kseaf", kseaf, 32),
	    HEXV("KAMF", "kamf", kamf, 32),
	};
	rc = print_items(items, sizeof(items) / sizeof(items[0]), senctl_opt(opts, "json"));
out:
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	OPENSSL_cleanse(&av, sizeof(av));
	OPENSSL_cleanse(kseaf, sizeof(kseaf));
	OPENSSL_cleanse(kamf, sizeof(kamf));
	return rc;
}

static int keys_auts(int argc, char **argv)
{
	struct senctl_opt opts[] = {OPT("k"),	 OPT("op"),    OPT("opc"), OPT("rand"),
				    OPT("auts"), FLAG("json"), OPT_END};
	uint8_t k[16], opc[16], rand[16], auts[14], sqn_ms[6];
	int rc;

	if ((rc = senctl_parse_opts(argc, argv, opts)) || (rc = subscriber_keys(opts, k, opc)) ||
	    (rc = hex_opt(opts, "rand", rand, 16)) || (rc = hex_opt(opts, "auts", auts, 14)))
		goto out;
	rc = sen_aka_resync(k, opc, rand, auts, sqn_ms);
	if (rc == -SEN_EAUTH) {
		rc = senctl_bad("AUTS does not verify: MAC-S mismatch (wrong K/OPc or RAND, or "
				"corrupted AUTS)");
		goto out;
	}
	if (rc < 0) {
		rc = internal(rc);
		goto out;
	}
	const struct out_item items[] = {HEXV("SQN-MS", "sqn_ms", sqn_ms, 6)};
	rc = print_items(items, 1, senctl_opt(opts, "json"));
out:
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(opc, sizeof(opc));
	return rc;
}

static int keys_suci(int argc, char **argv)
{
	struct senctl_opt opts[] = {OPT("scheme"), OPT("hn-key"), OPT("suci"), FLAG("json"),
				    OPT_END};
	struct sen_hn_key *key = NULL;
	struct sen_suci suci;
	char supi[300];
	int rc, scheme;

	if ((rc = senctl_parse_opts(argc, argv, opts)))
		return rc;
	const char *sch = senctl_opt(opts, "scheme"), *file = senctl_opt(opts, "hn-key");
	const char *str = senctl_opt(opts, "suci");
	if (!sch)
		return senctl_bad("missing --scheme (null, a or b)");
	if (!strcmp(sch, "null") || !strcmp(sch, "0"))
		scheme = SEN_SUCI_NULL;
	else if (!strcmp(sch, "a") || !strcmp(sch, "A") || !strcmp(sch, "1"))
		scheme = SEN_SUCI_PROFILE_A;
	else if (!strcmp(sch, "b") || !strcmp(sch, "B") || !strcmp(sch, "2"))
		scheme = SEN_SUCI_PROFILE_B;
	else
		return senctl_bad("--scheme: '%s' is not one of null, a, b", sch);
	if (!str)
		return senctl_bad(
		    "missing --suci (suci-0-<mcc>-<mnc>-<routing>-<scheme>-<keyid>-<output>)");
	if (sen_suci_parse(str, &suci) < 0)
		return senctl_bad("--suci: not a valid SUCI "
				  "(suci-<type>-<mcc>-<mnc>-<routing>-<scheme>-<keyid>-<output>)");
	if (suci.scheme != scheme)
		return senctl_bad("--suci uses protection scheme %u but --scheme is %s",
				  suci.scheme, sch);
	/* The null scheme (TS 33.501 Annex C.2) conceals nothing: --hn-key is ignored. */
	if (scheme != SEN_SUCI_NULL) {
		if (!file)
			return senctl_bad("missing --hn-key (home network private key file)");
		rc = sen_hn_key_load_file(scheme, file, &key);
		if (rc == -SEN_EIO)
			return senctl_bad("--hn-key: cannot read %s: %s", file, strerror(errno));
		if (rc < 0)
			return senctl_bad(
			    "--hn-key: %s does not hold a profile %s private key "
			    "(64 hex digits or PEM)",
			    file, scheme == SEN_SUCI_PROFILE_A ? "A (X25519)" : "B (P-256)");
	}
	rc = sen_suci_deconceal(&suci, key, supi, sizeof(supi));
	sen_hn_key_free(key);
	switch (-rc) {
	case SEN_OK:
		break;
	case SEN_EAUTH:
		return senctl_bad(
		    "SUCI MAC tag does not verify (wrong home network key or corrupted SUCI)");
	case SEN_EPROTO:
	case SEN_EMSGSIZE:
		return senctl_bad("SUCI scheme output is malformed (%s)", sen_strerror(rc));
	case SEN_ENOTSUP:
		return senctl_bad("SUCI uses a SUPI type or scheme that is not supported");
	default:
		return internal(rc);
	}
	const struct out_item items[] = {{.label = "SUPI", .json = "supi", .str = supi}};
	return print_items(items, 1, senctl_opt(opts, "json"));
}

int senctl_keys(int argc, char **argv)
{
	if (argc < 1)
		return senctl_bad("keys: missing subcommand (milenage, 5g-aka, auts, suci)");
	if (!strcmp(argv[0], "milenage"))
		return keys_milenage(argc - 1, argv + 1);
	if (!strcmp(argv[0], "5g-aka"))
		return keys_5g_aka(argc - 1, argv + 1);
	if (!strcmp(argv[0], "auts"))
		return keys_auts(argc - 1, argv + 1);
	if (!strcmp(argv[0], "suci"))
		return keys_suci(argc - 1, argv + 1);
	return senctl_bad("keys: unknown subcommand '%s' (milenage, 5g-aka, auts, suci)", argv[0]);
}
