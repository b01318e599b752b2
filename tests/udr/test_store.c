/*
 * Tests of the UDR subscriber store (src/udr/store.h). One suite, run once per back end:
 *
 *   test-udr-store sqlite   a fresh SQLite file per test, in a temporary directory
 *   test-udr-store pg       a fresh database per test on the PostgreSQL server that
 *                           tests/udr/pg_run.py started ($SEN_UDR_PG_HOST, $SEN_UDR_PG_USER)
 *
 * Cases: full CRUD round trip; a duplicate add writes nothing; list paging; unknown SUPI;
 * invalid input (and SQL-looking values stored verbatim); SQN rules of TS 33.102 Annex C
 * (SEQ + 1 per vector, IND 0, wrap-around refused); SQN monotonic across reopen; two
 * processes advancing one SQN 500 times each; re-synchronisation (TS 33.102 6.3.5); AMF
 * registration; schema versioning; and a crash test: a child advancing the SQN is killed
 * with SIGKILL mid-way, and the next SQN after reopening exceeds every acknowledged one.
 */
#define _GNU_SOURCE /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "store.h"

static bool use_pg;
static char tmpdir[256]; /* SQLite files */
static const char *pg_host, *pg_user;
static int db_counter;
static char url[512]; /* the current test's fresh database */

/* ---------------------------------------------------------------------------------------- */
/* Databases.                                                                                 */

/* Run SQL directly on the database at u (not through the store). Returns 0 or -1. */
static int raw_exec(const char *u, const char *sql)
{
	if (strncmp(u, "sqlite:", 7) == 0) {
		sqlite3 *db;
		if (sqlite3_open(u + 7, &db) != SQLITE_OK) {
			sqlite3_close(db);
			return -1;
		}
		sqlite3_busy_timeout(db, 10000);
		char *err = NULL;
		int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
		if (rc != SQLITE_OK)
			print_message("sqlite: %s\n", err ? err : "?");
		sqlite3_free(err);
		sqlite3_close(db);
		return rc == SQLITE_OK ? 0 : -1;
	}
	PGconn *c = PQconnectdb(u);
	int rc = -1;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		ExecStatusType st = PQresultStatus(r);
		rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : -1;
		if (rc)
			print_message("postgresql: %s", PQerrorMessage(c));
		PQclear(r);
	} else {
		print_message("postgresql: %s", PQerrorMessage(c));
	}
	PQfinish(c);
	return rc;
}

/* Make a new, empty database for one test and leave its URL in `url`. */
static int fresh_db(void **state)
{
	(void)state;
	db_counter++;
	if (!use_pg) {
		snprintf(url, sizeof(url), "sqlite:%s/t%d.db", tmpdir, db_counter);
		return 0;
	}
	char admin[512], sql[64];
	snprintf(admin, sizeof(admin), "postgresql:///postgres?host=%s&user=%s", pg_host, pg_user);
	snprintf(sql, sizeof(sql), "CREATE DATABASE sen_t%d", db_counter);
	if (raw_exec(admin, sql) < 0)
		return -1;
	snprintf(url, sizeof(url), "postgresql:///sen_t%d?host=%s&user=%s", db_counter, pg_host,
		 pg_user);
	return 0;
}

static struct sen_udr_store *open_store(void)
{
	struct sen_udr_store *s = NULL;
	int rc = sen_udr_store_open(url, &s);
	if (rc != 0)
		fail_msg("open %s: %s", url, sen_strerror(rc));
	assert_string_equal(sen_udr_store_backend(s), use_pg ? "postgresql" : "sqlite");
	return s;
}

/* ---------------------------------------------------------------------------------------- */
/* Subscribers.                                                                               */

static void fill(uint8_t *b, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7);
}

static void add_dnn(struct sen_udr_slice *sl, const char *name, enum sen_udr_pdu_type t,
		    uint8_t qi5, uint8_t arp, uint64_t ul, uint64_t dl, const char *ip)
{
	struct sen_udr_dnn *d = &sl->dnns[sl->n_dnns++];
	snprintf(d->dnn, sizeof(d->dnn), "%s", name);
	d->pdu_type = t;
	d->qi5 = qi5;
	d->arp_priority = arp;
	d->arp_preempt_cap = arp < 5;
	d->arp_preempt_vuln = arp >= 5;
	d->ambr_ul = ul;
	d->ambr_dl = dl;
	if (ip) {
		d->has_static_ipv4 = true;
		inet_pton(AF_INET, ip, &d->static_ipv4);
	}
}

/* A subscriber using every field; `variant` changes every value. */
static void full_sub(struct sen_udr_subscriber *s, const char *supi, int variant)
{
	sen_udr_subscriber_init(s, supi);
	fill(s->auth.k, 16, (uint8_t)(0x10 + variant));
	fill(s->auth.op, 16, (uint8_t)(0x80 + variant));
	s->auth.op_kind = variant ? SEN_UDR_OP : SEN_UDR_OPC;
	s->auth.amf[0] = variant ? 0x90 : 0x80;
	s->auth.amf[1] = (uint8_t)variant;
	s->auth.sqn = 0x0000000000a0ull + (uint64_t)variant * 0x1000;
	s->n_gpsis = variant ? 1 : 2;
	snprintf(s->gpsis[0], SEN_UDR_GPSI_SIZE, "msisdn-4915%07d", 1234567 + variant);
	snprintf(s->gpsis[1], SEN_UDR_GPSI_SIZE, "extid-ue%d@example.org", variant);
	s->ue_ambr_ul = 1000000000ull + (uint64_t)variant;
	s->ue_ambr_dl = 2000000000ull + (uint64_t)variant;
	s->barred = variant != 0;

	struct sen_udr_slice *sl = &s->slices[s->n_slices++];
	sl->sst = 1;
	sl->sd = SEN_UDR_SD_NONE;
	sl->is_default = true;
	add_dnn(sl, "internet", SEN_UDR_PDU_IPV4, 9, 8, 100000000, 200000000,
		variant ? NULL : "10.45.0.7");
	add_dnn(sl, "ims", SEN_UDR_PDU_IPV4V6, 5, 1, 64000, 64000, NULL);
	sl->dnns[variant ? 1 : 0].is_default = true;

	sl = &s->slices[s->n_slices++];
	sl->sst = 2;
	sl->sd = 0x000001u + (uint32_t)variant;
	sl->is_default = variant != 0;
	add_dnn(sl, "iot.example-1.com", SEN_UDR_PDU_UNSTRUCTURED, 80, 15, 1000, 2000, NULL);

	if (!variant) {
		sl = &s->slices[s->n_slices++];
		sl->sst = 255;
		sl->sd = 0xffffffu - 1; /* largest SD that is not "no SD" */
		sl->is_default = false;
		add_dnn(sl, "ether", SEN_UDR_PDU_ETHERNET, 255, 2, 0, 0, "192.168.1.254");
		add_dnn(sl, "v6", SEN_UDR_PDU_IPV6, 1, 3, 1, 1, NULL);
	}
}

static void assert_sub_equal(const struct sen_udr_subscriber *a, const struct sen_udr_subscriber *b,
			     bool compare_sqn)
{
	assert_string_equal(a->supi, b->supi);
	assert_int_equal(a->auth.method, b->auth.method);
	assert_memory_equal(a->auth.k, b->auth.k, 16);
	assert_int_equal(a->auth.op_kind, b->auth.op_kind);
	assert_memory_equal(a->auth.op, b->auth.op, 16);
	assert_memory_equal(a->auth.amf, b->auth.amf, 2);
	if (compare_sqn)
		assert_int_equal(a->auth.sqn, b->auth.sqn);
	assert_int_equal(a->n_gpsis, b->n_gpsis);
	for (size_t i = 0; i < a->n_gpsis; i++)
		assert_string_equal(a->gpsis[i], b->gpsis[i]);
	assert_int_equal(a->ue_ambr_ul, b->ue_ambr_ul);
	assert_int_equal(a->ue_ambr_dl, b->ue_ambr_dl);
	assert_int_equal(a->barred, b->barred);
	assert_int_equal(a->n_slices, b->n_slices);
	for (size_t i = 0; i < a->n_slices; i++) {
		const struct sen_udr_slice *x = &a->slices[i], *y = &b->slices[i];
		assert_int_equal(x->sst, y->sst);
		assert_int_equal(x->sd, y->sd);
		assert_int_equal(x->is_default, y->is_default);
		assert_int_equal(x->n_dnns, y->n_dnns);
		for (size_t d = 0; d < x->n_dnns; d++) {
			const struct sen_udr_dnn *p = &x->dnns[d], *q = &y->dnns[d];
			assert_string_equal(p->dnn, q->dnn);
			assert_int_equal(p->is_default, q->is_default);
			assert_int_equal(p->pdu_type, q->pdu_type);
			assert_int_equal(p->qi5, q->qi5);
			assert_int_equal(p->arp_priority, q->arp_priority);
			assert_int_equal(p->arp_preempt_cap, q->arp_preempt_cap);
			assert_int_equal(p->arp_preempt_vuln, q->arp_preempt_vuln);
			assert_int_equal(p->ambr_ul, q->ambr_ul);
			assert_int_equal(p->ambr_dl, q->ambr_dl);
			assert_int_equal(p->has_static_ipv4, q->has_static_ipv4);
			if (p->has_static_ipv4)
				assert_int_equal(p->static_ipv4.s_addr, q->static_ipv4.s_addr);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Cases.                                                                                     */

static void test_crud(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	assert_non_null(a);
	assert_non_null(b);
	const char *supi = "imsi-999700000000001";

	full_sub(a, supi, 0);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	memset(b, 0x5a, sizeof(*b));
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_sub_equal(a, b, true);

	struct sen_udr_auth auth;
	bool barred = true;
	assert_int_equal(sen_udr_store_auth_get(s, supi, &auth, &barred), 0);
	assert_memory_equal(auth.k, a->auth.k, 16);
	assert_memory_equal(auth.op, a->auth.op, 16);
	assert_int_equal(auth.op_kind, SEN_UDR_OPC);
	assert_int_equal(auth.sqn, a->auth.sqn);
	assert_false(barred);

	/* Update replaces everything but the SQN, which only sqn_next / resync move. */
	uint64_t sqn;
	assert_int_equal(sen_udr_store_sqn_next(s, supi, &sqn), 0);
	full_sub(a, supi, 1);
	assert_int_equal(sen_udr_store_update(s, a), 0);
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_sub_equal(a, b, false);
	assert_int_equal(b->auth.sqn, sqn);
	assert_true(b->barred);

	/* Back to the first shape (more slices and DNNs again). */
	full_sub(a, supi, 0);
	assert_int_equal(sen_udr_store_update(s, a), 0);
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_sub_equal(a, b, false);

	/* A second subscriber is independent. */
	full_sub(a, "imsi-99970123456", 1);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_get(s, "imsi-99970123456", b), 0);
	assert_sub_equal(a, b, true);

	assert_int_equal(sen_udr_store_del(s, supi), 0);
	assert_int_equal(sen_udr_store_get(s, supi, b), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_del(s, supi), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_get(s, "imsi-99970123456", b), 0);

	/* Deleted means gone, children included: the SUPI can be provisioned afresh. */
	full_sub(a, supi, 1);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_sub_equal(a, b, true);

	free(a);
	free(b);
	sen_udr_store_close(s);
}

static void test_duplicate_add(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	assert_non_null(a);
	assert_non_null(b);
	const char *supi = "imsi-001010000000042";

	full_sub(a, supi, 1); /* 1 GPSI, 2 slices */
	assert_int_equal(sen_udr_store_add(s, a), 0);
	full_sub(b, supi, 0); /* 2 GPSIs, 3 slices, other keys */
	assert_int_equal(sen_udr_store_add(s, b), -SEN_EEXIST);
	assert_int_equal(sen_udr_store_add(s, b), -SEN_EEXIST);

	/* Nothing of the second add is there: same keys, same children. */
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_sub_equal(a, b, true);

	/* The store is still usable after the failed transactions. */
	full_sub(a, "imsi-001010000000043", 0);
	assert_int_equal(sen_udr_store_add(s, a), 0);

	free(a);
	free(b);
	sen_udr_store_close(s);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(x, y);
}

static void test_list_paging(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	enum { N = 37 };
	char want[N][SEN_UDR_SUPI_SIZE];
	/* Mixed lengths and values, so byte order differs from numeric order. */
	for (int i = 0; i < N; i++) {
		if (i % 3 == 0)
			snprintf(want[i], sizeof(want[i]), "imsi-99970%010d", i * 7919);
		else if (i % 3 == 1)
			snprintf(want[i], sizeof(want[i]), "imsi-00101%d", 10000 + i);
		else
			snprintf(want[i], sizeof(want[i]), "imsi-9%d", 1000 + i * 13);
		full_sub(a, want[i], i % 2);
		assert_int_equal(sen_udr_store_add(s, a), 0);
	}
	qsort(want, N, sizeof(want[0]), cmp_str);

	char page[10][SEN_UDR_SUPI_SIZE], got[N + 10][SEN_UDR_SUPI_SIZE], after[SEN_UDR_SUPI_SIZE];
	size_t n, total = 0, pages = 0;
	after[0] = '\0';
	do {
		assert_int_equal(sen_udr_store_list(s, pages ? after : NULL, page, 10, &n), 0);
		assert_true(total + n <= N);
		memcpy(got[total], page, n * sizeof(page[0]));
		total += n;
		pages++;
		if (n)
			memcpy(after, page[n - 1], sizeof(after));
	} while (n == 10);
	assert_int_equal(total, N);
	assert_int_equal(pages, 4); /* 10 + 10 + 10 + 7 */
	for (int i = 0; i < N; i++)
		assert_string_equal(got[i], want[i]);

	/* A page of exactly the rest, then an empty one. */
	assert_int_equal(sen_udr_store_list(s, want[N - 4], page, 3, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(page[2], want[N - 1]);
	assert_int_equal(sen_udr_store_list(s, want[N - 1], page, 3, &n), 0);
	assert_int_equal(n, 0);
	/* The cursor need not exist. */
	assert_int_equal(sen_udr_store_list(s, "imsi-00000", page, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(page[0], want[0]);
	/* Bad arguments. */
	assert_int_equal(sen_udr_store_list(s, "x' OR '1'='1", page, 3, &n), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_list(s, NULL, page, 0, &n), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_list(s, NULL, NULL, 3, &n), -SEN_EINVAL);

	free(a);
	sen_udr_store_close(s);
}

static void test_unknown_supi(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	const char *supi = "imsi-001019999999999";
	struct sen_udr_auth auth;
	uint64_t sqn = 77;
	char id[SEN_UDR_NFID_SIZE], *json = (char *)"x";

	assert_int_equal(sen_udr_store_get(s, supi, a), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_auth_get(s, supi, &auth, NULL), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_del(s, supi), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_sqn_next(s, supi, &sqn), -SEN_ENOENT);
	assert_int_equal(sqn, 77);
	assert_int_equal(sen_udr_store_sqn_resync(s, supi, 0x40), -SEN_ENOENT);
	assert_int_equal(
	    sen_udr_store_amf_reg_put(s, supi, "0a0b0c0d-1111-4222-8333-444455556666", "{}"),
	    -SEN_ENOENT);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), -SEN_ENOENT);
	assert_null(json);
	assert_int_equal(sen_udr_store_amf_reg_del(s, supi), -SEN_ENOENT);
	full_sub(a, supi, 0);
	assert_int_equal(sen_udr_store_update(s, a), -SEN_ENOENT);
	/* update did not create it */
	assert_int_equal(sen_udr_store_get(s, supi, a), -SEN_ENOENT);
	free(a);
	sen_udr_store_close(s);
}

static void test_invalid_input(void **state)
{
	(void)state;
	static const char *const bad_supis[] = {
	    "",
	    "imsi-",
	    "imsi-1234",
	    "imsi-1234567890123456",
	    "imsi-12345a",
	    "IMSI-123456",
	    "nai-user@example.org",
	    "imsi-00101'; DROP TABLE subscriber; --",
	    "imsi- 12345",
	    "imsi-123456\n",
	    "suci-0-001-01-0000-0-0-0000000001",
	};
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	assert_non_null(a);
	assert_non_null(b);
	char page[2][SEN_UDR_SUPI_SIZE];
	size_t n;
	uint64_t sqn;

	for (size_t i = 0; i < sizeof(bad_supis) / sizeof(bad_supis[0]); i++) {
		const char *x = bad_supis[i];
		assert_false(sen_udr_supi_valid(x));
		if (strlen(x) < sizeof(a->supi)) { /* longer ones cannot even be in the struct */
			full_sub(a, "imsi-00101000001", 0);
			strcpy(a->supi, x);
			assert_int_equal(sen_udr_store_add(s, a), -SEN_EINVAL);
		}
		assert_int_equal(sen_udr_store_get(s, x, b), -SEN_EINVAL);
		assert_int_equal(sen_udr_store_del(s, x), -SEN_EINVAL);
		assert_int_equal(sen_udr_store_sqn_next(s, x, &sqn), -SEN_EINVAL);
		assert_int_equal(sen_udr_store_sqn_resync(s, x, 0), -SEN_EINVAL);
	}
	assert_true(sen_udr_supi_valid("imsi-12345"));
	assert_true(sen_udr_supi_valid("imsi-123456789012345"));
	assert_int_equal(sen_udr_store_get(s, NULL, b), -SEN_EINVAL);

	/* One bad field at a time; the base is valid. */
	const char *supi = "imsi-001010000000007";
	full_sub(a, supi, 0);
	assert_int_equal(sen_udr_subscriber_check(a), 0);
#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		full_sub(a, supi, 0);                                                              \
		stmt;                                                                              \
		assert_int_equal(sen_udr_subscriber_check(a), -SEN_EINVAL);                        \
		assert_int_equal(sen_udr_store_add(s, a), -SEN_EINVAL);                            \
	} while (0)
	BAD(a->auth.amf[0] = 0x00);		/* separation bit 0 */
	BAD(a->auth.sqn = SEN_UDR_SQN_MAX + 1); /* more than 48 bits */
	BAD(a->auth.op_kind = (enum sen_udr_op_kind)7);
	BAD(a->auth.method = (enum sen_udr_auth_method)3);
	BAD(a->n_gpsis = SEN_UDR_MAX_GPSIS + 1);
	BAD(strcpy(a->gpsis[0], "msisdn-12"));
	BAD(strcpy(a->gpsis[1], "extid-nodomain"));
	BAD(strcpy(a->gpsis[1], "tel:+4912345"));
	BAD(a->n_slices = 0);
	BAD(a->n_slices = SEN_UDR_MAX_SLICES + 1);
	BAD(a->slices[0].is_default = false; a->slices[1].is_default = false);
	BAD(a->slices[1].sd = 0x1000000);
	BAD(a->slices[1].sst = a->slices[0].sst; a->slices[1].sd = a->slices[0].sd);
	BAD(a->slices[0].n_dnns = SEN_UDR_MAX_DNNS + 1);
	BAD(strcpy(a->slices[0].dnns[0].dnn, ""));
	BAD(strcpy(a->slices[0].dnns[0].dnn, "inter net"));
	BAD(strcpy(a->slices[0].dnns[0].dnn, "x'); DROP TABLE dnn; --"));
	BAD(strcpy(a->slices[0].dnns[0].dnn, "a..b"));
	BAD(strcpy(a->slices[0].dnns[0].dnn, "IMS")); /* same as "ims", case-insensitively */
	BAD(a->slices[0].dnns[0].is_default = true; a->slices[0].dnns[1].is_default = true);
	BAD(a->slices[0].dnns[0].qi5 = 0);
	BAD(a->slices[0].dnns[0].arp_priority = 0);
	BAD(a->slices[0].dnns[0].arp_priority = 16);
	BAD(a->slices[0].dnns[0].pdu_type = SEN_UDR_PDU_MAX);
	BAD(a->slices[0].dnns[0].ambr_ul = (uint64_t)INT64_MAX + 1);
	BAD(a->ue_ambr_dl = UINT64_MAX);
	BAD(memset(a->slices[0].dnns[0].dnn, 'a', SEN_UDR_DNN_SIZE)); /* no NUL at all */
	BAD(memset(a->gpsis[0], '1', SEN_UDR_GPSI_SIZE));
	assert_int_equal(sen_udr_store_add(s, NULL), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_add(NULL, a), -SEN_EINVAL);

	/* Nothing got in. */
	assert_int_equal(sen_udr_store_list(s, NULL, page, 2, &n), 0);
	assert_int_equal(n, 0);

	/* Values that look like SQL are data: stored and read back verbatim. */
	full_sub(a, supi, 0);
	strcpy(a->gpsis[1], "extid-x');DELETE/**/FROM/**/subscriber;--@example.org");
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_sub_equal(a, b, true);
	assert_int_equal(sen_udr_store_update(s, a), 0);
	/* A valid update after a refused one. */
	BAD(a->slices[0].dnns[0].arp_priority = 99);
	assert_int_equal(sen_udr_store_update(s, a), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	full_sub(a, supi, 0);
	strcpy(a->gpsis[1], "extid-x');DELETE/**/FROM/**/subscriber;--@example.org");
	assert_sub_equal(a, b, true);
	assert_int_equal(sen_udr_store_sqn_resync(s, supi, SEN_UDR_SQN_MAX + 1), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_sqn_next(s, supi, NULL), -SEN_EINVAL);

	/* Opening. */
	struct sen_udr_store *t = (struct sen_udr_store *)1;
	assert_int_equal(sen_udr_store_open("mysql://localhost/x", &t), -SEN_ENOTSUP);
	assert_null(t);
	assert_int_equal(sen_udr_store_open("sqlite:", &t), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_open(NULL, &t), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_open(url, NULL), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_open("sqlite:/nonexistent-dir/x/y.db", &t), -SEN_EIO);
	assert_null(t);
	sen_udr_store_close(NULL);

	free(a);
	free(b);
	sen_udr_store_close(s);
#undef BAD
}

static void test_sqn_rules(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	uint64_t sqn;

	/* SEQ + 1 per vector, IND 0 (TS 33.102 C.1.1, C.3): steps of 32. */
	full_sub(a, "imsi-00101000000001", 0);
	a->auth.sqn = 0;
	assert_int_equal(sen_udr_store_add(s, a), 0);
	for (uint64_t i = 1; i <= 5; i++) {
		assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
		assert_int_equal(sqn, i << 5);
	}
	struct sen_udr_auth auth;
	assert_int_equal(sen_udr_store_auth_get(s, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, 5 << 5);

	/* A provisioned SQN with IND bits: the next SEQ is one more, IND 0. */
	full_sub(a, "imsi-00101000000002", 0);
	a->auth.sqn = 0x21; /* SEQ 1, IND 1 */
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
	assert_int_equal(sqn, 0x40);

	/* The top of the range: the last SEQ is issued, then wrap-around is refused (C.2.1). */
	full_sub(a, "imsi-00101000000003", 0);
	a->auth.sqn = SEN_UDR_SQN_MAX - 63; /* SEQ = max - 1, IND 0 */
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
	assert_int_equal(sqn, SEN_UDR_SQN_MAX - 31);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), -SEN_ERANGE);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), -SEN_ERANGE);
	assert_int_equal(sen_udr_store_auth_get(s, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, SEN_UDR_SQN_MAX - 31);

	free(a);
	sen_udr_store_close(s);
}

/* Byte 18 and 19 of an SQLite file are 2 in WAL mode (SQLite file format 1.3); the file
 * holds keys, so only its owner may read it. */
static void assert_wal_file(void)
{
	struct stat st;
	assert_int_equal(stat(url + 7, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	FILE *f = fopen(url + 7, "rb");
	assert_non_null(f);
	unsigned char h[100];
	assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	assert_int_equal(h[18], 2);
	assert_int_equal(h[19], 2);
}

static void test_sqn_reopen(void **state)
{
	(void)state;
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	uint64_t last = 0, sqn;
	full_sub(a, "imsi-999700000000123", 0);
	a->auth.sqn = 0x123456789ull;
	struct sen_udr_store *s = open_store();
	assert_int_equal(sen_udr_store_add(s, a), 0);
	sen_udr_store_close(s);
	for (int round = 0; round < 5; round++) {
		s = open_store();
		for (int i = 0; i < 20; i++) {
			assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
			assert_true(sqn > last);
			assert_true(sqn > a->auth.sqn);
			assert_int_equal(sqn & 31, 0);
			last = sqn;
		}
		sen_udr_store_close(s);
	}
	s = open_store();
	struct sen_udr_auth auth;
	assert_int_equal(sen_udr_store_auth_get(s, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, last);
	sen_udr_store_close(s);
	if (!use_pg)
		assert_wal_file();
	free(a);
}

/* Child of the concurrency and crash tests: open its own store, advance `count` times,
 * write each acknowledged SQN to fd. Exit status 0, or 10 + the failing step. */
static void sqn_child(const char *supi, int count, int fd, int start_fd)
{
	struct sen_udr_store *s;
	if (sen_udr_store_open(url, &s) != 0)
		_exit(10);
	char go;
	if (start_fd >= 0 && read(start_fd, &go, 1) != 1)
		_exit(11);
	for (int i = 0; i < count; i++) {
		uint64_t sqn;
		int rc = sen_udr_store_sqn_next(s, supi, &sqn);
		if (rc != 0) {
			fprintf(stderr, "child: sqn_next: %s\n", sen_strerror(rc));
			_exit(12);
		}
		if (write(fd, &sqn, sizeof(sqn)) != sizeof(sqn))
			_exit(13);
	}
	sen_udr_store_close(s);
	_exit(0);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Read exactly n values (or up to EOF); returns how many. */
static size_t read_values(int fd, uint64_t *v, size_t n)
{
	size_t got = 0, bytes = 0;
	unsigned char *p = (unsigned char *)v;
	while (bytes < n * sizeof(*v)) {
		ssize_t r = read(fd, p + bytes, n * sizeof(*v) - bytes);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		bytes += (size_t)r;
	}
	got = bytes / sizeof(*v);
	return got;
}

static void test_sqn_concurrency(void **state)
{
	(void)state;
	enum { PER_CHILD = 500 };
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	full_sub(a, "imsi-999700000000500", 0);
	a->auth.sqn = 0;
	struct sen_udr_store *s = open_store();
	assert_int_equal(sen_udr_store_add(s, a), 0);
	sen_udr_store_close(s);

	int out[2][2], go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pid[2];
	fflush(NULL);
	for (int c = 0; c < 2; c++) {
		assert_int_equal(pipe(out[c]), 0);
		pid[c] = fork();
		assert_true(pid[c] >= 0);
		if (pid[c] == 0) {
			close(out[c][0]);
			close(go[1]);
			sqn_child(a->supi, PER_CHILD, out[c][1], go[0]);
		}
		close(out[c][1]);
	}
	close(go[0]);
	/* Both children have opened their own connection; start them together. */
	assert_int_equal(write(go[1], "gg", 2), 2);
	close(go[1]);

	static uint64_t all[2 * PER_CHILD];
	size_t n[2];
	/* Drain both pipes (a pipe holds 8 KiB, more than 500 values: no deadlock). */
	n[0] = read_values(out[0][0], all, PER_CHILD);
	n[1] = read_values(out[1][0], all + PER_CHILD, PER_CHILD);
	for (int c = 0; c < 2; c++) {
		int st;
		close(out[c][0]);
		assert_int_equal(waitpid(pid[c], &st, 0), pid[c]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
		assert_int_equal(n[c], PER_CHILD);
		/* each child sees its own values increase */
		for (size_t i = 1; i < PER_CHILD; i++)
			assert_true(all[c * PER_CHILD + i] > all[c * PER_CHILD + i - 1]);
	}
	qsort(all, 2 * PER_CHILD, sizeof(all[0]), cmp_u64);
	for (size_t i = 1; i < 2 * PER_CHILD; i++) {
		if (all[i] == all[i - 1])
			fail_msg("SQN %#llx handed out twice", (unsigned long long)all[i]);
	}
	/* No value was lost either: exactly 32, 64, …, 1000 * 32. */
	for (size_t i = 0; i < 2 * PER_CHILD; i++)
		assert_int_equal(all[i], (uint64_t)(i + 1) << 5);
	free(a);
}

static void test_sqn_resync(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	uint64_t sqn;
	full_sub(a, "imsi-00101000000077", 0);
	a->auth.sqn = 10 << 5;
	assert_int_equal(sen_udr_store_add(s, a), 0);

	/* The USIM is ahead (SQN_MS = SEQ 100, IND 7): the next vector is SEQ 101. */
	assert_int_equal(sen_udr_store_sqn_resync(s, a->supi, (100 << 5) | 7), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
	assert_int_equal(sqn, 101 << 5);
	/* A stale AUTS (behind the HE) never moves SQN_HE back: no value is issued twice. */
	assert_int_equal(sen_udr_store_sqn_resync(s, a->supi, 50 << 5), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
	assert_int_equal(sqn, 102 << 5);
	/* Equal SEQ: the next is still fresh for the USIM (SEQ > SEQ_MS, C.2.2). */
	assert_int_equal(sen_udr_store_sqn_resync(s, a->supi, (102 << 5) | 31), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), 0);
	assert_int_equal(sqn, 103 << 5);
	/* Largest SQN_MS: no further vector can be fresh. */
	assert_int_equal(sen_udr_store_sqn_resync(s, a->supi, SEN_UDR_SQN_MAX), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &sqn), -SEN_ERANGE);
	/* Persisted. */
	sen_udr_store_close(s);
	s = open_store();
	struct sen_udr_auth auth;
	assert_int_equal(sen_udr_store_auth_get(s, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, SEN_UDR_SQN_MAX & ~31ull);
	free(a);
	sen_udr_store_close(s);
}

static void test_amf_registration(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	const char *supi = "imsi-999700000000009";
	const char *id1 = "6e4b0a1c-3b1f-4c2e-9d7a-1f2e3d4c5b6a";
	const char *id2 = "ABCDEF01-2345-4789-8BCD-EF0123456789";
	const char *reg1 = "{\"amfInstanceId\":\"6e4b0a1c-3b1f-4c2e-9d7a-1f2e3d4c5b6a\","
			   "\"deregCallbackUri\":\"http://127.0.0.5:7777/namf-callback/v1/"
			   "imsi-999700000000009/dereg-notify\",\"guami\":{\"plmnId\":{\"mcc\":"
			   "\"999\",\"mnc\":\"70\"},\"amfId\":\"020040\"},\"ratType\":\"NR\"}";
	const char *reg2 = "{\"amfInstanceId\":\"ABCDEF01-2345-4789-8BCD-EF0123456789\","
			   "\"note\":\"it's \\\"quoted\\\"; DROP TABLE amf_3gpp_reg; --\"}";
	char id[SEN_UDR_NFID_SIZE], *json = NULL;

	full_sub(a, supi, 0);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_amf_reg_del(s, supi), -SEN_ENOENT);

	/* Invalid: not a UUID, empty or too long JSON. */
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, "amf-1", reg1), -SEN_EINVAL);
	assert_int_equal(
	    sen_udr_store_amf_reg_put(s, supi, "6e4b0a1c-3b1f-4c2e-9d7a-1f2e3d4c5b6", reg1),
	    -SEN_EINVAL);
	assert_int_equal(
	    sen_udr_store_amf_reg_put(s, supi, "6e4b0a1c-3b1f-4c2e-9d7a-1f2e3d4c5b6az", reg1),
	    -SEN_EINVAL);
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, ""), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, NULL), -SEN_EINVAL);
	char *big = malloc(SEN_UDR_AMF_REG_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', SEN_UDR_AMF_REG_MAX + 1);
	big[SEN_UDR_AMF_REG_MAX + 1] = '\0';
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, big), -SEN_EINVAL);
	big[SEN_UDR_AMF_REG_MAX] = '\0'; /* exactly the limit is fine */
	big[0] = '{';
	big[SEN_UDR_AMF_REG_MAX - 1] = '}';
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, big), 0);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), 0);
	assert_string_equal(json, big);
	free(json);
	free(big);

	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, reg1), 0);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), 0);
	assert_string_equal(id, id1);
	assert_string_equal(json, reg1);
	free(json);
	/* Replace (a new AMF registers). */
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id2, reg2), 0);
	json = NULL;
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, NULL, &json), 0);
	assert_string_equal(json, reg2);
	free(json);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), 0);
	assert_string_equal(id, id2);
	free(json);
	/* An update of the subscription keeps the registration. */
	full_sub(a, supi, 1);
	assert_int_equal(sen_udr_store_update(s, a), 0);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), 0);
	free(json);

	assert_int_equal(sen_udr_store_amf_reg_del(s, supi), 0);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_amf_reg_del(s, supi), -SEN_ENOENT);

	/* Deleting the subscriber deletes its registration. */
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, reg1), 0);
	assert_int_equal(sen_udr_store_del(s, supi), 0);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, id, &json), -SEN_ENOENT);
	free(a);
	sen_udr_store_close(s);
}

static void status_fill(struct sen_udr_auth_status *ev, const char *id, bool ok)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->nf_instance_id, sizeof(ev->nf_instance_id), "%s", id);
	ev->success = ok;
	snprintf(ev->time_stamp, sizeof(ev->time_stamp), "2026-11-23T10:00:00Z");
	snprintf(ev->auth_type, sizeof(ev->auth_type), "5G_AKA");
	snprintf(ev->serving_network_name, sizeof(ev->serving_network_name),
		 "5G:mnc070.mcc999.3gppnetwork.org");
}

/* TS 29.505 5.2.24 AuthenticationStatus: put (insert or replace), get, delete. */
static void test_auth_status(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	struct sen_udr_auth_status ev, got;
	const char *supi = "imsi-999700000000011";
	const char *id1 = "5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01";
	const char *ev1 = "{\"nfInstanceId\":\"5e1f1b54-86c4-4d4f-9c53-3f6a1f0a0b01\","
			  "\"success\":true}";
	const char *ev2 = "{\"note\":\"it's \\\"quoted\\\"; DROP TABLE auth_status; --\"}";
	char *json = NULL;

	assert_non_null(a);
	full_sub(a, supi, 0);
	status_fill(&ev, id1, true);
	/* Unknown subscriber: nothing stored. */
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, ev1), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, &got, &json), -SEN_ENOENT);
	assert_null(json);
	assert_int_equal(sen_udr_store_auth_status_del(s, supi), -SEN_ENOENT);

	/* Invalid input. */
	assert_int_equal(sen_udr_store_auth_status_put(s, "imsi-1", &ev, ev1), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, NULL, ev1), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, ""), -SEN_EINVAL);
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, NULL), -SEN_EINVAL);
	status_fill(&got, "ausf-1", true);
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &got, ev1), -SEN_EINVAL);
	status_fill(&got, id1, true);
	got.auth_type[0] = '\0';
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &got, ev1), -SEN_EINVAL);
	status_fill(&got, id1, true);
	got.serving_network_name[3] = '\n';
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &got, ev1), -SEN_EINVAL);
	char *big = malloc(SEN_UDR_AUTH_STATUS_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', SEN_UDR_AUTH_STATUS_MAX + 1);
	big[SEN_UDR_AUTH_STATUS_MAX + 1] = '\0';
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, big), -SEN_EINVAL);
	free(big);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, &got, &json), -SEN_ENOENT);

	/* Put, get, replace. */
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, ev1), 0);
	memset(&got, 0x5a, sizeof(got));
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, &got, &json), 0);
	assert_string_equal(json, ev1);
	free(json);
	assert_string_equal(got.nf_instance_id, id1);
	assert_true(got.success);
	assert_string_equal(got.time_stamp, "2026-11-23T10:00:00Z");
	assert_string_equal(got.auth_type, "5G_AKA");
	assert_string_equal(got.serving_network_name, "5G:mnc070.mcc999.3gppnetwork.org");
	status_fill(&ev, "ABCDEF01-2345-4789-8BCD-EF0123456789", false);
	snprintf(ev.auth_type, sizeof(ev.auth_type), "EAP_AKA_PRIME");
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, ev2), 0);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, NULL, &json), 0);
	assert_string_equal(json, ev2);
	free(json);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, &got, &json), 0);
	free(json);
	assert_false(got.success);
	assert_string_equal(got.auth_type, "EAP_AKA_PRIME");

	/* A provisioning update keeps it; the SQN advance does not touch it. */
	full_sub(a, supi, 1);
	assert_int_equal(sen_udr_store_update(s, a), 0);
	uint64_t sqn;
	assert_int_equal(sen_udr_store_sqn_next(s, supi, &sqn), 0);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, NULL, &json), 0);
	free(json);

	/* Delete; then deleting the subscriber removes a status put again. */
	assert_int_equal(sen_udr_store_auth_status_del(s, supi), 0);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, NULL, &json), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_auth_status_del(s, supi), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, ev1), 0);
	assert_int_equal(sen_udr_store_del(s, supi), 0);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, NULL, &json), -SEN_ENOENT);
	free(a);
	sen_udr_store_close(s);
}

/* First column of the first row of `sql` on the database at u, as text ("" if none). */
static int raw_query(const char *u, const char *sql, char *out, size_t cap)
{
	int rc = -1;

	out[0] = '\0';
	if (strncmp(u, "sqlite:", 7) == 0) {
		sqlite3 *db;
		sqlite3_stmt *st = NULL;
		if (sqlite3_open(u + 7, &db) == SQLITE_OK &&
		    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
			int r = sqlite3_step(st);
			if (r == SQLITE_ROW && sqlite3_column_text(st, 0))
				snprintf(out, cap, "%s", sqlite3_column_text(st, 0));
			rc = (r == SQLITE_ROW || r == SQLITE_DONE) ? 0 : -1;
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
		return rc;
	}
	PGconn *c = PQconnectdb(u);
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK) {
			if (PQntuples(r) > 0)
				snprintf(out, cap, "%s", PQgetvalue(r, 0, 0));
			rc = 0;
		}
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

/*
 * A version 1 database (the tables of the first release: no auth_status) with a subscriber
 * and an AMF registration is migrated to version 2 on open, keeping its data.
 */
static void test_migration_v1(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	struct sen_udr_subscriber *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct sen_udr_auth_status ev;
	const char *supi = "imsi-999700000000012";
	const char *id1 = "6e4b0a1c-3b1f-4c2e-9d7a-1f2e3d4c5b6a";
	char v[32], *json = NULL;
	uint64_t sqn;

	assert_non_null(a);
	assert_non_null(b);
	full_sub(a, supi, 0);
	assert_int_equal(sen_udr_store_add(s, a), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, supi, &sqn), 0);
	assert_int_equal(sen_udr_store_amf_reg_put(s, supi, id1, "{\"ratType\":\"NR\"}"), 0);
	sen_udr_store_close(s);
	assert_int_equal(raw_query(url, "SELECT value FROM meta WHERE key = 'schema_version'", v,
				   sizeof(v)),
			 0);
	assert_string_equal(v, "2");

	/* Back to the version 1 layout. */
	assert_int_equal(raw_exec(url, "DROP TABLE auth_status"), 0);
	assert_int_equal(raw_exec(url, "UPDATE meta SET value = '1' WHERE key = 'schema_version'"),
			 0);
	assert_int_equal(raw_query(url, "SELECT count(*) FROM subscriber", v, sizeof(v)), 0);
	assert_string_equal(v, "1");

	s = open_store();
	assert_int_equal(raw_query(url, "SELECT value FROM meta WHERE key = 'schema_version'", v,
				   sizeof(v)),
			 0);
	assert_string_equal(v, "2");
	assert_int_equal(sen_udr_store_get(s, supi, b), 0);
	assert_int_equal(b->auth.sqn, sqn);
	assert_int_equal(sen_udr_store_amf_reg_get(s, supi, NULL, &json), 0);
	free(json);
	status_fill(&ev, id1, true);
	assert_int_equal(sen_udr_store_auth_status_put(s, supi, &ev, "{}"), 0);
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, NULL, &json), 0);
	assert_string_equal(json, "{}");
	free(json);
	sen_udr_store_close(s);
	/* Opening again: already at version 2, the status is still there. */
	s = open_store();
	assert_int_equal(sen_udr_store_auth_status_get(s, supi, NULL, &json), 0);
	free(json);
	sen_udr_store_close(s);
	free(a);
	free(b);
}

static void test_schema_version(void **state)
{
	(void)state;
	struct sen_udr_store *s = open_store();
	sen_udr_store_close(s);
	/* A second open of an existing database keeps working. */
	s = open_store();
	sen_udr_store_close(s);
	/* A database written by a newer Sen is refused, not misread. */
	assert_int_equal(
	    raw_exec(url, "UPDATE meta SET value = '999' WHERE key = 'schema_version'"), 0);
	s = (struct sen_udr_store *)1;
	assert_int_equal(sen_udr_store_open(url, &s), -SEN_ENOTSUP);
	assert_null(s);
	assert_int_equal(raw_exec(url, "UPDATE meta SET value = '1' WHERE key = 'schema_version'"),
			 0);
	s = open_store();
	sen_udr_store_close(s);
}

static void test_crash_sqn(void **state)
{
	(void)state;
	enum { COUNT = 1000, KILL_AFTER = 200 };
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	full_sub(a, "imsi-999700000000666", 0);
	a->auth.sqn = 0;
	struct sen_udr_store *s = open_store();
	assert_int_equal(sen_udr_store_add(s, a), 0);
	sen_udr_store_close(s);

	int out[2];
	assert_int_equal(pipe(out), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(out[0]);
		sqn_child(a->supi, COUNT, out[1], -1);
	}
	close(out[1]);
	static uint64_t acked[COUNT];
	size_t n = read_values(out[0], acked, KILL_AFTER);
	assert_int_equal(n, KILL_AFTER);
	assert_int_equal(kill(pid, SIGKILL), 0);
	/* Everything the child wrote before it died was acknowledged by the store. */
	n += read_values(out[0], acked + n, COUNT - n);
	close(out[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_true(n < COUNT);
	print_message("# %s: child killed after %zu acknowledged SQNs\n", use_pg ? "pg" : "sqlite",
		      n);
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(acked[i] > max);
		max = acked[i];
	}
	s = open_store();
	uint64_t next;
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &next), 0);
	assert_true(next > max);
	/* At most the one advance in flight at the kill can have been committed unseen. */
	assert_true(next <= max + 64);
	sen_udr_store_close(s);
	free(a);
}

/*
 * Group commit: calls inside a batch see each other, a failing call is undone alone and
 * the rest go on, nothing is visible to another handle before the commit, and after it
 * everything is there.
 */
static void test_batch(void **state)
{
	(void)state;
	struct sen_udr_subscriber *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	assert_non_null(a);
	assert_non_null(b);
	full_sub(a, "imsi-999700000000701", 0);
	full_sub(b, "imsi-999700000000702", 1);
	a->auth.sqn = 0;
	struct sen_udr_store *s = open_store(), *other = open_store();
	assert_int_equal(sen_udr_store_add(s, a), 0);

	assert_int_equal(sen_udr_store_batch_begin(s), 0);
	assert_int_equal(sen_udr_store_batch_begin(s), -SEN_EINVAL); /* one at a time */
	uint64_t q1, q2, q;
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &q1), 0);
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &q2), 0);
	assert_int_equal(q2, q1 + 32);
	/* Failures inside the batch: each undone alone. */
	assert_int_equal(sen_udr_store_sqn_next(s, "imsi-999700000000799", &q), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_add(s, a), -SEN_EEXIST);
	assert_int_equal(sen_udr_store_add(s, b), 0);
	struct sen_udr_subscriber *got = malloc(sizeof(*got));
	assert_non_null(got);
	assert_int_equal(sen_udr_store_get(s, b->supi, got), 0); /* sees its own batch */
	/* Not committed: another handle sees none of it. */
	struct sen_udr_auth auth;
	assert_int_equal(sen_udr_store_auth_get(other, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, 0);
	assert_int_equal(sen_udr_store_get(other, b->supi, got), -SEN_ENOENT);
	assert_int_equal(sen_udr_store_batch_commit(s), 0);
	assert_int_equal(sen_udr_store_batch_commit(s), -SEN_EINVAL); /* ended */

	assert_int_equal(sen_udr_store_auth_get(other, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, q2);
	assert_int_equal(sen_udr_store_get(other, b->supi, got), 0);
	/* After the batch, calls are their own transactions again. */
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &q), 0);
	assert_int_equal(q, q2 + 32);
	assert_int_equal(sen_udr_store_auth_get(other, a->supi, &auth, NULL), 0);
	assert_int_equal(auth.sqn, q);
	sen_udr_store_close(other);
	sen_udr_store_close(s);
	free(got);
	free(a);
	free(b);
}

/* Child of the batched crash test: advance in batches of `per` (one commit each) and write
 * each SQN to fd only after its batch committed, as sen-udr answers only then. */
static void sqn_batch_child(const char *supi, int count, int per, int fd)
{
	struct sen_udr_store *s;
	if (sen_udr_store_open(url, &s) != 0)
		_exit(10);
	uint64_t v[64];
	for (int i = 0; i < count; i += per) {
		if (sen_udr_store_batch_begin(s) != 0)
			_exit(11);
		for (int j = 0; j < per; j++)
			if (sen_udr_store_sqn_next(s, supi, &v[j]) != 0)
				_exit(12);
		if (sen_udr_store_batch_commit(s) != 0)
			_exit(13);
		if (write(fd, v, (size_t)per * sizeof(v[0])) !=
		    (ssize_t)((size_t)per * sizeof(v[0])))
			_exit(14);
	}
	sen_udr_store_close(s);
	_exit(0);
}

/*
 * The crash test with group commit: a child advances in batches of 8 and is killed with
 * SIGKILL mid-run. Every SQN it was told (after its batch's commit) must be below the next
 * one handed out after the restart, and at most the one batch in flight may have been
 * committed unseen.
 */
static void test_crash_sqn_batch(void **state)
{
	(void)state;
	enum { COUNT = 2000, PER = 8, KILL_AFTER = 240 };
	struct sen_udr_subscriber *a = malloc(sizeof(*a));
	assert_non_null(a);
	full_sub(a, "imsi-999700000000667", 0);
	a->auth.sqn = 0;
	struct sen_udr_store *s = open_store();
	assert_int_equal(sen_udr_store_add(s, a), 0);
	sen_udr_store_close(s);

	int out[2];
	assert_int_equal(pipe(out), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(out[0]);
		sqn_batch_child(a->supi, COUNT, PER, out[1]);
	}
	close(out[1]);
	static uint64_t acked[COUNT];
	size_t n = read_values(out[0], acked, KILL_AFTER);
	assert_int_equal(n, KILL_AFTER);
	assert_int_equal(kill(pid, SIGKILL), 0);
	n += read_values(out[0], acked + n, COUNT - n);
	close(out[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_true(n < COUNT);
	assert_int_equal(n % PER, 0); /* a batch is acknowledged whole or not at all */
	print_message("# %s: batched child killed after %zu acknowledged SQNs\n",
		      use_pg ? "pg" : "sqlite", n);
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(acked[i] > max);
		max = acked[i];
	}
	s = open_store();
	uint64_t next;
	assert_int_equal(sen_udr_store_sqn_next(s, a->supi, &next), 0);
	assert_true(next > max);
	assert_true(next <= max + 32 * (PER + 1));
	sen_udr_store_close(s);
	free(a);
}

/* ---------------------------------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "sqlite") != 0 && strcmp(argv[1], "pg") != 0)) {
		fprintf(stderr, "usage: %s sqlite|pg\n", argv[0]);
		return 2;
	}
	use_pg = strcmp(argv[1], "pg") == 0;
	sen_log_set_level(SEN_LOG_OFF); /* expected failures would log errors */
	if (getenv("SEN_UDR_TEST_LOG"))
		sen_log_set_level(SEN_LOG_DEBUG);
	if (use_pg) {
		pg_host = getenv("SEN_UDR_PG_HOST");
		pg_user = getenv("SEN_UDR_PG_USER");
		if (!pg_host || !pg_user) {
			printf("1..1\nnot ok 1 - SEN_UDR_PG_HOST / SEN_UDR_PG_USER not set "
			       "(run through tests/udr/pg_run.py)\n");
			return 1;
		}
	} else {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/sen-udr-test-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpdir)) {
			printf("1..1\nnot ok 1 - mkdtemp: %s\n", strerror(errno));
			return 1;
		}
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_crud, fresh_db),
	    cmocka_unit_test_setup(test_duplicate_add, fresh_db),
	    cmocka_unit_test_setup(test_list_paging, fresh_db),
	    cmocka_unit_test_setup(test_unknown_supi, fresh_db),
	    cmocka_unit_test_setup(test_invalid_input, fresh_db),
	    cmocka_unit_test_setup(test_sqn_rules, fresh_db),
	    cmocka_unit_test_setup(test_sqn_reopen, fresh_db),
	    cmocka_unit_test_setup(test_sqn_concurrency, fresh_db),
	    cmocka_unit_test_setup(test_sqn_resync, fresh_db),
	    cmocka_unit_test_setup(test_amf_registration, fresh_db),
	    cmocka_unit_test_setup(test_auth_status, fresh_db),
	    cmocka_unit_test_setup(test_migration_v1, fresh_db),
	    cmocka_unit_test_setup(test_schema_version, fresh_db),
	    cmocka_unit_test_setup(test_crash_sqn, fresh_db),
	    cmocka_unit_test_setup(test_batch, fresh_db),
	    cmocka_unit_test_setup(test_crash_sqn_batch, fresh_db),
	};
	int failed = cmocka_run_group_tests_name(use_pg ? "udr-store-pg" : "udr-store-sqlite",
						 tests, NULL, NULL);
	if (!use_pg)
		nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return failed ? 1 : 0;
}
