/*
 * bench-crypto: throughput of the 5G ciphering and integrity algorithms (lib/crypto/nxa.h,
 * TS 33.501 Annex D) on one thread, with 1,500-byte messages (a full-size IP packet).
 *
 * Each algorithm runs through a keyed context, as the AMF and a gNB use it: one context per
 * key, then one call per message with a new COUNT. Beside 128-NEA2 / 128-NIA2 the same work
 * is timed with raw OpenSSL on a pre-keyed context (AES-128-CTR: reset IV + one update;
 * AES-CMAC via EVP_MAC: re-init + header + message + final), and the ratio printed.
 *
 * Each item runs for a fixed time (default 0.4 s) split into 10 slices after a warm-up; the
 * median slice is reported. An item and its baseline run in alternating slices, so that a
 * change in CPU clock or other load hits both alike; the ratio is the median of the ratios
 * of neighbouring slices.
 * Usage: bench-crypto [-q] [-t SECONDS] [-c CPU]
 *   -q          quick run (0.05 s per item), for smoke tests
 *   -t SECONDS  time per item (and per baseline)
 *   -c CPU      pin the thread to that CPU
 * Goals (docs/BENCHMARKS.md): NEA2/NIA2 >= 0.8 of raw OpenSSL; NEA1/NIA1/NEA3/NIA3
 * >= 1 Gbit/s. They are reported, not enforced: the exit status is 0 whenever the benchmark
 * ran (1 if OpenSSL could not be set up, 2 on bad usage).
 */
#define _GNU_SOURCE
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/nxa.h"
#include "crypto/snow3g.h"
#include "crypto/zuc.h"
#include "summary.h"

#define MSG_BYTES 1500
#define SLICES	  10

static uint8_t msg[MSG_BYTES];
static uint8_t key[16];
static volatile uint32_t sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One message of work; returns 0 or a negative error. */
typedef int (*work_fn)(void *arg, uint32_t count);

struct nxa_arg {
	struct sen_nxa *ctx;
};

static int do_nea(void *arg, uint32_t count)
{
	struct nxa_arg *a = arg;

	return sen_nea_apply(a->ctx, count, 5, 1, msg, msg, 8 * MSG_BYTES);
}

static int do_nia(void *arg, uint32_t count)
{
	struct nxa_arg *a = arg;
	uint8_t mac[4];
	int rc = sen_nia_mac(a->ctx, count, 5, 1, msg, 8 * MSG_BYTES, mac);

	sink ^= (uint32_t)mac[0] << 24 | (uint32_t)mac[1] << 16 | (uint32_t)mac[2] << 8 | mac[3];
	return rc;
}

/* Raw OpenSSL AES-128-CTR, pre-keyed: what NEA2 does minus Sen's code. */
static int do_ossl_ctr(void *arg, uint32_t count)
{
	EVP_CIPHER_CTX *c = arg;
	uint8_t iv[16] = {0};
	int outl;

	iv[0] = (uint8_t)(count >> 24);
	iv[1] = (uint8_t)(count >> 16);
	iv[2] = (uint8_t)(count >> 8);
	iv[3] = (uint8_t)count;
	iv[4] = 5 << 3 | 1 << 2;
	if (!EVP_EncryptInit_ex2(c, NULL, NULL, iv, NULL) ||
	    !EVP_EncryptUpdate(c, msg, &outl, msg, MSG_BYTES))
		return -1;
	return 0;
}

/* Raw OpenSSL AES-CMAC (EVP_MAC), pre-keyed, over the same 8-byte header + message. */
static int do_ossl_cmac(void *arg, uint32_t count)
{
	EVP_MAC_CTX *m = arg;
	uint8_t hdr[8] = {0}, out[16];
	size_t outl;

	hdr[0] = (uint8_t)(count >> 24);
	hdr[1] = (uint8_t)(count >> 16);
	hdr[2] = (uint8_t)(count >> 8);
	hdr[3] = (uint8_t)count;
	hdr[4] = 5 << 3 | 1 << 2;
	if (!EVP_MAC_init(m, NULL, 0, NULL) || !EVP_MAC_update(m, hdr, 8) ||
	    !EVP_MAC_update(m, msg, MSG_BYTES) || !EVP_MAC_final(m, out, &outl, sizeof(out)))
		return -1;
	sink ^= out[0];
	return 0;
}

/* Run fn until ~1 ms batches; returns the batch size, or -1 on error. */
static long calibrate(work_fn fn, void *arg, uint32_t *count)
{
	long batch = 16;

	for (;;) {
		double t0 = now();
		for (long i = 0; i < batch; i++)
			if (fn(arg, (*count)++) != 0)
				return -1;
		if (now() - t0 > 1e-3)
			return batch;
		batch *= 2;
	}
}

/* Gbit/s of one slice of about `secs` seconds. */
static double slice(work_fn fn, void *arg, long batch, uint32_t *count, double secs)
{
	double t0 = now(), t;
	long msgs = 0;

	do {
		for (long i = 0; i < batch; i++)
			if (fn(arg, (*count)++) != 0)
				return -1;
		msgs += batch;
		t = now();
	} while (t - t0 < secs);
	return (double)msgs * MSG_BYTES * 8 / (t - t0) / 1e9;
}

static double median(double *v, int n)
{
	for (int i = 1; i < n; i++) /* insertion sort */
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}

/*
 * Gbit/s of fn_a (and of fn_b when given) over `secs` seconds each: SLICES slices after a
 * warm-up, the median reported. With two functions the slices alternate a, b, a, b, ... so
 * that both see the same machine (CPU clock, other load), and *ratio is the median of the
 * per-pair ratios a/b.
 */
static int measure(work_fn fn_a, void *arg_a, work_fn fn_b, void *arg_b, double secs,
		   double *gbps_a, double *gbps_b, double *ratio)
{
	double ra[SLICES], rb[SLICES], q[SLICES];
	uint32_t count = 0;
	long ba = calibrate(fn_a, arg_a, &count), bb = fn_b ? calibrate(fn_b, arg_b, &count) : 1;

	if (ba < 0 || bb < 0)
		return -1;
	for (int s = 0; s < SLICES; s++) {
		ra[s] = slice(fn_a, arg_a, ba, &count, secs / SLICES);
		if (fn_b) {
			rb[s] = slice(fn_b, arg_b, bb, &count, secs / SLICES);
			q[s] = ra[s] / rb[s];
		}
		if (ra[s] < 0 || (fn_b && rb[s] < 0))
			return -1;
	}
	*gbps_a = median(ra, SLICES);
	if (fn_b) {
		*gbps_b = median(rb, SLICES);
		*ratio = median(q, SLICES);
	}
	return 0;
}

static double ns_per_msg(double gbps)
{
	return MSG_BYTES * 8 / gbps;
}

static int failed;

/* One result line; `met` < 0 for lines without a goal; `ratio` NAN without a baseline. */
static void row_r(const char *name, double gbps, const char *goal, int met, double ratio)
{
	if (gbps < 0) {
		printf("%-28s   failed to run\n", name);
		failed = 1;
		return;
	}
	printf("%-28s %8.2f %9.0f   %-24s %s\n", name, gbps, ns_per_msg(gbps), goal,
	       met < 0 ? ""
	       : met   ? "met"
		       : "MISSED");
	if (met == 0)
		failed = 1;
	if (met >= 0)
		bench_summary("crypto", name, gbps, "Gbit/s", ratio,
			      isfinite(ratio) ? ">= 0.8 x OpenSSL" : goal, met);
}

static void row(const char *name, double gbps, const char *goal, int met)
{
	row_r(name, gbps, goal, met, NAN);
}

/*
 * Gbit/s of NEA/NIA `alg` through a keyed context; with `base` also that baseline function
 * (alternating slices) and the ratio. Returns -1 on error.
 */
static double nxa_item(int nia, int alg, double secs, work_fn base, void *base_arg,
		       double *base_gbps, double *ratio)
{
	struct nxa_arg a = {nia ? sen_nia_new(alg, key) : sen_nea_new(alg, key)};
	double r = -1;

	if (a.ctx &&
	    measure(nia ? do_nia : do_nea, &a, base, base_arg, secs, &r, base_gbps, ratio) != 0)
		r = -1;
	sen_nxa_free(a.ctx);
	return r;
}

int main(int argc, char **argv)
{
	double secs = 0.4, base = 0, ratio = 0, r;
	int cpu = -1;
	char goal[64];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			secs = 0.05;
		} else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			secs = atof(argv[++i]);
			if (secs <= 0) {
				fprintf(stderr, "bench-crypto: bad time %s\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			cpu = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [-q] [-t SECONDS] [-c CPU]\n", argv[0]);
			return 2;
		}
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0) {
			fprintf(stderr, "bench-crypto: cannot run on CPU %d\n", cpu);
			return 2;
		}
	}
	srand(12345);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)rand();
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)rand();

	/* raw OpenSSL baselines, keyed once */
	EVP_CIPHER *ctr = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
	EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
	EVP_MAC *cmac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *mctx = cmac ? EVP_MAC_CTX_new(cmac) : NULL;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", 0),
	    OSSL_PARAM_construct_end(),
	};
	uint8_t iv0[16] = {0};
	if (!ctr || !cctx || !mctx || !EVP_EncryptInit_ex2(cctx, ctr, key, iv0, NULL) ||
	    !EVP_MAC_init(mctx, key, sizeof(key), params)) {
		fprintf(stderr, "bench-crypto: OpenSSL setup failed\n");
		return 1;
	}

	printf("bench-crypto: %d-byte messages, one thread%s, %.2f s per item, median of %d "
	       "slices\n",
	       MSG_BYTES, cpu >= 0 ? " (pinned)" : "", secs, SLICES);
	printf("%s; PCLMULQDQ for NIA1/NIA3: %s\n\n", OpenSSL_version(OPENSSL_VERSION),
	       sen_snow3g_clmul(1) && sen_zuc_clmul(1) ? "yes" : "no (portable path)");
	printf("%-28s %8s %9s   %-24s %s\n", "item", "Gbit/s", "ns/msg", "goal", "");

	r = nxa_item(0, SEN_NXA_1, secs, NULL, NULL, NULL, NULL);
	row("128-NEA1 (SNOW 3G)", r, ">= 1 Gbit/s", r >= 1.0);

	r = nxa_item(0, SEN_NXA_2, secs, do_ossl_ctr, cctx, &base, &ratio);
	snprintf(goal, sizeof(goal), ">= 0.8 x OpenSSL: %.2f", ratio);
	row_r("128-NEA2 (AES-CTR)", r, goal, ratio >= 0.8, ratio);
	row("  raw OpenSSL AES-128-CTR", base, "(baseline, same data)", -1);

	r = nxa_item(0, SEN_NXA_3, secs, NULL, NULL, NULL, NULL);
	row("128-NEA3 (ZUC)", r, ">= 1 Gbit/s", r >= 1.0);

	r = nxa_item(1, SEN_NXA_1, secs, NULL, NULL, NULL, NULL);
	row("128-NIA1 (SNOW 3G)", r, ">= 1 Gbit/s", r >= 1.0);

	r = nxa_item(1, SEN_NXA_2, secs, do_ossl_cmac, mctx, &base, &ratio);
	snprintf(goal, sizeof(goal), ">= 0.8 x OpenSSL: %.2f", ratio);
	row_r("128-NIA2 (AES-CMAC)", r, goal, ratio >= 0.8, ratio);
	row("  raw OpenSSL AES-CMAC", base, "(baseline, same data)", -1);

	r = nxa_item(1, SEN_NXA_3, secs, NULL, NULL, NULL, NULL);
	row("128-NIA3 (ZUC)", r, ">= 1 Gbit/s", r >= 1.0);

	/* the portable MAC paths, used on CPUs without PCLMULQDQ (informative) */
	if (sen_snow3g_clmul(0) == 0 && sen_zuc_clmul(0) == 0) {
		r = nxa_item(1, SEN_NXA_1, secs, NULL, NULL, NULL, NULL);
		row("  NIA1, portable GF(2^64)", r, "(informative)", -1);
		r = nxa_item(1, SEN_NXA_3, secs, NULL, NULL, NULL, NULL);
		row("  NIA3, portable EIA3", r, "(informative)", -1);
		sen_snow3g_clmul(1);
		sen_zuc_clmul(1);
	}

	printf("\n%s\n", failed ? "some goals MISSED" : "all goals met");
	EVP_MAC_CTX_free(mctx);
	EVP_MAC_free(cmac);
	EVP_CIPHER_CTX_free(cctx);
	EVP_CIPHER_free(ctr);
	return 0;
}
