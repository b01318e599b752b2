/*
 * The subscriber store, back-end independent part: input checks, the schema and every SQL
 * statement (written once, with '?' placeholders), transactions, and the mapping between
 * rows and struct sen_udr_subscriber. store_sqlite.c and store_pg.c only run statements.
 *
 * Tables (docs/udr-store.md has the full schema):
 *   meta          key/value; schema_version
 *   subscriber    one row per SUPI: authentication subscription (TS 29.505
 *                 AuthenticationSubscription: K, OPc/OP, AMF, SQN), UE-AMBR, barred
 *   gpsi          the subscriber's GPSIs, in order
 *   snssai        subscribed S-NSSAIs, in order, with the default flag (TS 29.503 Nssai)
 *   dnn           per S-NSSAI its DNNs (TS 29.503 DnnConfiguration / DnnInfo)
 *   amf_3gpp_reg  the AMF 3GPP access registration (TS 29.503 Amf3GppAccessRegistration)
 *   auth_status   the authentication status (TS 29.505 5.2.24: the last AuthEvent); v2
 * Child rows reference subscriber with ON DELETE CASCADE, so deleting a subscriber is one
 * statement and cannot leave orphans.
 *
 * SQN: the stored value is SQN_HE (TS 33.102 C.1.1). sqn_next and sqn_resync are each a
 * single UPDATE statement, so the database serialises them per row: two processes can
 * never read the same SQN_HE and both advance from it.
 */
#include "store.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/hex.h"
#include "core/log.h"

#define LOG_MOD "udr"

struct sen_udr_store {
	const struct sen_udr_db_ops *ops;
	void *db;
	/* Group commit (sen_udr_store_batch_begin): the batch's transaction is open; each call
	 * runs in a savepoint of it (in_call: inside a call's own savepoint). broken: the
	 * transaction was lost (an error rolled it all back): every call and the commit fail. */
	bool batch, in_call, broken;
};

#define P_INT(v)  ((struct sen_udr_db_param){.type = SEN_UDR_DB_INT, .i = (int64_t)(v)})
#define P_TEXT(v) ((struct sen_udr_db_param){.type = SEN_UDR_DB_TEXT, .s = (v)})
#define P_NULL	  ((struct sen_udr_db_param){.type = SEN_UDR_DB_NULL})
#define NPARAM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* SEQ is SQN without its IND bits: 43 bits (TS 33.102 C.1.1, C.3). */
#define SEQ_MAX	 ((SEN_UDR_SQN_MAX >> SEN_UDR_IND_BITS))
#define IND_MASK ((1ull << SEN_UDR_IND_BITS) - 1)

/* ---------------------------------------------------------------------------------------- */
/* Names stored in the database (TS 29.505 / TS 29.571 enumeration values).                   */

/* clang-format off */
static const char *const pdu_type_names[SEN_UDR_PDU_MAX] = {
	[SEN_UDR_PDU_IPV4] = "IPV4",
	[SEN_UDR_PDU_IPV6] = "IPV6",
	[SEN_UDR_PDU_IPV4V6] = "IPV4V6",
	[SEN_UDR_PDU_UNSTRUCTURED] = "UNSTRUCTURED",
	[SEN_UDR_PDU_ETHERNET] = "ETHERNET",
};
/* clang-format on */

#define AUTH_5G_AKA "5G_AKA"
#define OP_KIND_OPC "OPC"
#define OP_KIND_OP  "OP"

/* ---------------------------------------------------------------------------------------- */
/* Checks.                                                                                    */

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n == max)
			return false;
	}
	return n >= min;
}

bool sen_udr_supi_valid(const char *supi)
{
	/* TS 23.003 2.2: IMSI is at most 15 digits (MCC 3 + MNC 2..3 + MSIN); TS 29.571 Supi
	 * "imsi-<IMSI>". Five digits is the shortest accepted, as TS 29.571's pattern allows. */
	return supi && strncmp(supi, "imsi-", 5) == 0 && digits(supi + 5, 5, 15);
}

/* TS 29.571 Gpsi: "msisdn-<MSISDN>" (TS 23.003 3.3: at most 15 digits) or
 * "extid-<username>@<realm>" (TS 23.003 19.7.2). Printable ASCII only. */
static bool gpsi_valid(const char *g, size_t cap)
{
	size_t len = strnlen(g, cap);
	if (len == cap)
		return false;
	if (strncmp(g, "msisdn-", 7) == 0)
		return digits(g + 7, 5, 15);
	if (strncmp(g, "extid-", 6) != 0)
		return false;
	const char *at = strchr(g + 6, '@');
	if (!at || at == g + 6 || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const char *p = g + 6; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	}
	return true;
}

/* TS 23.003 9.1: a DNN (APN Network Identifier) is labels of letters, digits and '-',
 * separated by '.', each label 1..63 characters, at most 100 octets in all. */
static bool dnn_valid(const char *d, size_t cap)
{
	size_t len = strnlen(d, cap), label = 0;
	if (len == 0 || len == cap || len > 100)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)d[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum(c) || c == '-') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0;
}

static bool slice_same(const struct sen_udr_slice *a, const struct sen_udr_slice *b)
{
	return a->sst == b->sst && a->sd == b->sd;
}

int sen_udr_subscriber_check(const struct sen_udr_subscriber *sub)
{
	if (!sub || !sen_udr_supi_valid(sub->supi))
		return -SEN_EINVAL;
	const struct sen_udr_auth *a = &sub->auth;
	if (a->method != SEN_UDR_AUTH_5G_AKA ||
	    (a->op_kind != SEN_UDR_OPC && a->op_kind != SEN_UDR_OP))
		return -SEN_EINVAL;
	/* TS 33.501 6.1.3.2 / TS 33.102 Annex H: the AMF separation bit (bit 0, the most
	 * significant) is 1 in 5G; a USIM refuses an AUTN without it. */
	if (!(a->amf[0] & 0x80))
		return -SEN_EINVAL;
	if (a->sqn > SEN_UDR_SQN_MAX)
		return -SEN_EINVAL;
	if (sub->ue_ambr_ul > INT64_MAX || sub->ue_ambr_dl > INT64_MAX)
		return -SEN_EINVAL;
	if (sub->n_gpsis > SEN_UDR_MAX_GPSIS)
		return -SEN_EINVAL;
	for (size_t i = 0; i < sub->n_gpsis; i++) {
		if (!gpsi_valid(sub->gpsis[i], SEN_UDR_GPSI_SIZE))
			return -SEN_EINVAL;
	}
	if (sub->n_slices == 0 || sub->n_slices > SEN_UDR_MAX_SLICES)
		return -SEN_EINVAL;
	bool any_default = false;
	for (size_t i = 0; i < sub->n_slices; i++) {
		const struct sen_udr_slice *sl = &sub->slices[i];
		if (sl->sd > 0xffffff && sl->sd != SEN_UDR_SD_NONE)
			return -SEN_EINVAL;
		for (size_t j = 0; j < i; j++) {
			if (slice_same(sl, &sub->slices[j]))
				return -SEN_EINVAL;
		}
		any_default |= sl->is_default;
		if (sl->n_dnns > SEN_UDR_MAX_DNNS)
			return -SEN_EINVAL;
		size_t n_default_dnn = 0;
		for (size_t d = 0; d < sl->n_dnns; d++) {
			const struct sen_udr_dnn *dn = &sl->dnns[d];
			if (!dnn_valid(dn->dnn, SEN_UDR_DNN_SIZE))
				return -SEN_EINVAL;
			for (size_t e = 0; e < d; e++) {
				/* DNNs compare case-insensitively (TS 23.003 9.1). */
				if (strcasecmp(dn->dnn, sl->dnns[e].dnn) == 0)
					return -SEN_EINVAL;
			}
			n_default_dnn += dn->is_default;
			if ((unsigned)dn->pdu_type >= SEN_UDR_PDU_MAX)
				return -SEN_EINVAL;
			/* TS 23.501 5.7.4: 5QI 0 is not a valid value. */
			if (dn->qi5 == 0)
				return -SEN_EINVAL;
			/* TS 23.501 5.7.2.2, TS 29.571 ArpPriorityLevel: 1..15. */
			if (dn->arp_priority < 1 || dn->arp_priority > 15)
				return -SEN_EINVAL;
			if (dn->ambr_ul > INT64_MAX || dn->ambr_dl > INT64_MAX)
				return -SEN_EINVAL;
		}
		if (n_default_dnn > 1)
			return -SEN_EINVAL;
	}
	/* TS 29.503 Nssai: defaultSingleNssais has at least one entry. */
	if (!any_default)
		return -SEN_EINVAL;
	return 0;
}

void sen_udr_subscriber_init(struct sen_udr_subscriber *sub, const char *supi)
{
	memset(sub, 0, sizeof(*sub));
	if (supi)
		snprintf(sub->supi, sizeof(sub->supi), "%s", supi);
	sub->auth.method = SEN_UDR_AUTH_5G_AKA;
	sub->auth.op_kind = SEN_UDR_OPC;
	sub->auth.amf[0] = 0x80; /* TS 33.102 Annex H: separation bit set, the rest 0 */
	sub->auth.amf[1] = 0x00;
}

/* TS 29.571 NfInstanceId: a UUID in its text form (RFC 4122 3), 8-4-4-4-12 hex digits. */
static bool uuid_valid(const char *s)
{
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return s[36] == '\0';
}

/* ---------------------------------------------------------------------------------------- */
/* Statements and transactions.                                                               */

/*
 * Inside a batch, a call's work is a savepoint of the batch's transaction: a failed call
 * is undone alone (on PostgreSQL a failed statement would otherwise abort the whole
 * transaction). The transaction must still be open: if an error rolled it back (SQLite does
 * for an I/O error or a full disk), nothing more may run, or it would run, and commit, on
 * its own while the earlier calls of the batch are lost.
 */
static int sp_begin(struct sen_udr_store *s)
{
	if (s->broken || !s->ops->in_tx(s->db)) {
		s->broken = true;
		return -SEN_EIO;
	}
	int rc = s->ops->exec(s->db, "SAVEPOINT sen_call", NULL, 0, NULL, NULL);
	if (rc < 0)
		return rc;
	s->in_call = true;
	return 0;
}

static int sp_end(struct sen_udr_store *s, int rc)
{
	s->in_call = false;
	if (rc < 0 && s->ops->in_tx(s->db))
		s->ops->exec(s->db, "ROLLBACK TO SAVEPOINT sen_call", NULL, 0, NULL, NULL);
	if (!s->ops->in_tx(s->db)) {
		s->broken = true;
		return rc < 0 ? rc : -SEN_EIO;
	}
	int r = s->ops->exec(s->db, "RELEASE SAVEPOINT sen_call", NULL, 0, NULL, NULL);
	if (r < 0 && rc >= 0) {
		s->broken = true;
		rc = r;
	}
	return rc;
}

static int run(struct sen_udr_store *s, const char *sql, const struct sen_udr_db_param *p, int np,
	       sen_udr_db_row_fn fn, void *arg)
{
	if (s->batch && !s->in_call) {
		/* A one-statement call inside a batch: its own savepoint. */
		int rc = sp_begin(s);
		if (rc < 0)
			return rc;
		return sp_end(s, s->ops->exec(s->db, sql, p, np, fn, arg));
	}
	return s->ops->exec(s->db, sql, p, np, fn, arg);
}

/* Start a call's transaction (inside a batch: its savepoint). */
static int tx_begin(struct sen_udr_store *s, bool write)
{
	if (s->batch)
		return sp_begin(s);
	return s->ops->begin(s->db, write);
}

/* End a transaction: commit when rc >= 0 (and return the commit's error if it fails),
 * roll back otherwise. Returns rc or the commit error. Inside a batch: release or roll
 * back the call's savepoint (the commit is the batch's). */
static int tx_end(struct sen_udr_store *s, int rc)
{
	if (s->batch)
		return sp_end(s, rc);
	if (rc >= 0) {
		int c = s->ops->commit(s->db);
		if (c < 0) {
			s->ops->rollback(s->db);
			return c;
		}
		return rc;
	}
	s->ops->rollback(s->db);
	return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Column parsing (rows come as text; anything unexpected means a damaged database).          */

static int col_u64(const char *c, uint64_t max, uint64_t *v)
{
	if (!c || !*c)
		return -SEN_EIO;
	uint64_t x = 0;
	for (const char *p = c; *p; p++) {
		if (*p < '0' || *p > '9')
			return -SEN_EIO;
		unsigned d = (unsigned)(*p - '0');
		if (x > (max - d) / 10)
			return -SEN_EIO;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static int col_flag(const char *c, bool *b)
{
	uint64_t v;
	if (col_u64(c, 1, &v) < 0)
		return -SEN_EIO;
	*b = v != 0;
	return 0;
}

static int col_hex(const char *c, uint8_t *out, size_t len)
{
	if (!c || sen_hex_decode_exact(c, out, len) < 0)
		return -SEN_EIO;
	return 0;
}

static int col_str(const char *c, char *out, size_t cap)
{
	if (!c || strlen(c) >= cap)
		return -SEN_EIO;
	memcpy(out, c, strlen(c) + 1);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Schema.                                                                                    */

/*
 * {key} is the type of the SUPI key column: the back end's TEXT with byte-order collation,
 * so that list paging orders the same on both. Flags are 0/1 SMALLINTs, bit rates
 * BIGINT bit/s, keys lower-case hex TEXT.
 */
/* clang-format off */
static const char *const schema_fmt[] = {
	"CREATE TABLE IF NOT EXISTS meta ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL)",

	"CREATE TABLE IF NOT EXISTS subscriber ("
	" supi {key} PRIMARY KEY,"
	" auth_method TEXT NOT NULL,"
	" k TEXT NOT NULL CHECK (length(k) = 32),"
	" op_kind TEXT NOT NULL CHECK (op_kind IN ('OPC', 'OP')),"
	" op TEXT NOT NULL CHECK (length(op) = 32),"
	" amf TEXT NOT NULL CHECK (length(amf) = 4),"
	" sqn BIGINT NOT NULL CHECK (sqn >= 0 AND sqn <= 281474976710655),"
	" ue_ambr_ul BIGINT NOT NULL CHECK (ue_ambr_ul >= 0),"
	" ue_ambr_dl BIGINT NOT NULL CHECK (ue_ambr_dl >= 0),"
	" barred SMALLINT NOT NULL CHECK (barred IN (0, 1)))",

	"CREATE TABLE IF NOT EXISTS gpsi ("
	" supi {key} NOT NULL REFERENCES subscriber (supi) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL,"
	" gpsi TEXT NOT NULL,"
	" PRIMARY KEY (supi, idx))",

	"CREATE TABLE IF NOT EXISTS snssai ("
	" supi {key} NOT NULL REFERENCES subscriber (supi) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL,"
	" sst INTEGER NOT NULL CHECK (sst >= 0 AND sst <= 255),"
	" sd INTEGER CHECK (sd >= 0 AND sd <= 16777215),"
	" is_default SMALLINT NOT NULL CHECK (is_default IN (0, 1)),"
	" PRIMARY KEY (supi, idx))",

	"CREATE TABLE IF NOT EXISTS dnn ("
	" supi {key} NOT NULL,"
	" snssai_idx INTEGER NOT NULL,"
	" idx INTEGER NOT NULL,"
	" dnn TEXT NOT NULL,"
	" is_default SMALLINT NOT NULL CHECK (is_default IN (0, 1)),"
	" pdu_type TEXT NOT NULL,"
	" qi5 INTEGER NOT NULL CHECK (qi5 >= 1 AND qi5 <= 255),"
	" arp_priority INTEGER NOT NULL CHECK (arp_priority >= 1 AND arp_priority <= 15),"
	" arp_preempt_cap SMALLINT NOT NULL CHECK (arp_preempt_cap IN (0, 1)),"
	" arp_preempt_vuln SMALLINT NOT NULL CHECK (arp_preempt_vuln IN (0, 1)),"
	" ambr_ul BIGINT NOT NULL CHECK (ambr_ul >= 0),"
	" ambr_dl BIGINT NOT NULL CHECK (ambr_dl >= 0),"
	" static_ipv4 TEXT,"
	" PRIMARY KEY (supi, snssai_idx, idx),"
	" FOREIGN KEY (supi, snssai_idx) REFERENCES snssai (supi, idx) ON DELETE CASCADE)",

	"CREATE TABLE IF NOT EXISTS amf_3gpp_reg ("
	" supi {key} PRIMARY KEY REFERENCES subscriber (supi) ON DELETE CASCADE,"
	" amf_instance_id TEXT NOT NULL,"
	" registration TEXT NOT NULL)",
};

/*
 * Migrations: migration_fmt[v - 1] takes a database from schema version v to v + 1. A new
 * database gets the version 1 tables above and then every migration, so that a new and a
 * migrated database are the same. Each list ends with NULL.
 */
static const char *const v1_to_v2[] = {
	/* TS 29.505 5.2.24 AuthenticationStatus: the last AuthEvent (TS 29.503 6.3.6.2.6). */
	"CREATE TABLE IF NOT EXISTS auth_status ("
	" supi {key} PRIMARY KEY REFERENCES subscriber (supi) ON DELETE CASCADE,"
	" nf_instance_id TEXT NOT NULL,"
	" success SMALLINT NOT NULL CHECK (success IN (0, 1)),"
	" time_stamp TEXT NOT NULL,"
	" auth_type TEXT NOT NULL,"
	" serving_network_name TEXT NOT NULL,"
	" event TEXT NOT NULL)",
	NULL,
};

static const char *const *const migration_fmt[SEN_UDR_SCHEMA_VERSION - 1] = {
	v1_to_v2,
};
/* clang-format on */

/* Copy the schema statement `fmt` to out with every "{key}" replaced by key_type. */
static int schema_text(const char *fmt, const char *key_type, char *out, size_t cap)
{
	size_t o = 0, kl = strlen(key_type);
	for (const char *p = fmt; *p;) {
		const char *src = p;
		size_t len = 1;
		if (strncmp(p, "{key}", 5) == 0) {
			src = key_type;
			len = kl;
			p += 5;
		} else {
			p++;
		}
		if (o + len >= cap)
			return -SEN_EINVAL;
		memcpy(out + o, src, len);
		o += len;
	}
	out[o] = '\0';
	return 0;
}

static int version_row(void *arg, const char *const *cols, int ncols)
{
	uint64_t *v = arg;
	if (ncols != 1 || col_u64(cols[0], UINT32_MAX, v) < 0)
		return -SEN_EIO;
	return 0;
}

/* Run the schema statements `fmt` (NULL-terminated or n long) with {key} filled in. */
static int run_schema(struct sen_udr_store *s, const char *const *fmt, size_t n)
{
	int rc = 0;

	for (size_t i = 0; rc >= 0 && i < n && fmt[i]; i++) {
		char sql[2048];
		rc = schema_text(fmt[i], s->ops->key_type, sql, sizeof(sql));
		if (rc >= 0)
			rc = run(s, sql, NULL, 0, NULL, NULL);
	}
	return rc;
}

/*
 * In one write transaction (which also serialises concurrent first opens): create the
 * version 1 tables if missing, read meta.schema_version (none: a new database, at 1 now),
 * refuse a newer version, and run the migrations from it up to SEN_UDR_SCHEMA_VERSION.
 * A failure rolls everything back, so a database is never left half-migrated.
 */
static int schema_init(struct sen_udr_store *s)
{
	int rc = s->ops->begin(s->db, true);
	if (rc < 0)
		return rc;
	if (s->ops->schema_lock)
		rc = run(s, s->ops->schema_lock, NULL, 0, NULL, NULL);
	if (rc >= 0)
		rc = run_schema(s, schema_fmt, sizeof(schema_fmt) / sizeof(schema_fmt[0]));
	uint64_t version = 0, found;
	if (rc >= 0)
		rc = run(s, "SELECT value FROM meta WHERE key = 'schema_version'", NULL, 0,
			 version_row, &version);
	found = version;
	if (rc >= 0 && version > SEN_UDR_SCHEMA_VERSION) {
		/* Written by a later Sen: refuse rather than misread it. */
		sen_log_error(
		    LOG_MOD, "subscriber store has schema version %" PRIu64 ", this build knows %d",
		    version, SEN_UDR_SCHEMA_VERSION);
		rc = -SEN_ENOTSUP;
	}
	if (version == 0)
		version = 1; /* a new database: the version 1 tables were just created */
	for (; rc >= 0 && version < SEN_UDR_SCHEMA_VERSION; version++)
		rc = run_schema(s, migration_fmt[version - 1], SIZE_MAX);
	if (rc >= 0 && found != SEN_UDR_SCHEMA_VERSION) {
		struct sen_udr_db_param p[] = {P_INT(SEN_UDR_SCHEMA_VERSION)};
		rc = run(s,
			 "INSERT INTO meta (key, value) VALUES ('schema_version', ?)"
			 " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			 p, NPARAM(p), NULL, NULL);
	}
	rc = tx_end(s, rc);
	if (rc >= 0 && found != 0 && found < SEN_UDR_SCHEMA_VERSION)
		sen_log_info(LOG_MOD, "subscriber store migrated from schema version %" PRIu64
				      " to %d", found, SEN_UDR_SCHEMA_VERSION);
	return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Open / close.                                                                              */

int sen_udr_store_batch_begin(struct sen_udr_store *store)
{
	if (!store || store->batch)
		return -SEN_EINVAL;
	int rc = store->ops->begin(store->db, true);
	if (rc < 0)
		return rc;
	store->batch = true;
	store->in_call = false;
	store->broken = false;
	return 0;
}

int sen_udr_store_batch_commit(struct sen_udr_store *store)
{
	if (!store || !store->batch)
		return -SEN_EINVAL;
	bool broken = store->broken || !store->ops->in_tx(store->db);
	store->batch = false;
	store->broken = false;
	if (broken) {
		store->ops->rollback(store->db);
		return -SEN_EIO;
	}
	return tx_end(store, 0);
}

int sen_udr_store_open(const char *url, struct sen_udr_store **store)
{
	if (!store)
		return -SEN_EINVAL;
	*store = NULL;
	if (!url)
		return -SEN_EINVAL;
	const struct sen_udr_db_ops *ops;
	const char *target;
	if (strncmp(url, "sqlite:", 7) == 0) {
		ops = &sen_udr_db_sqlite;
		target = url + 7;
		if (strncmp(target, "//", 2) == 0) /* also accept sqlite:///abs/path */
			target += 2;
		if (!*target)
			return -SEN_EINVAL;
	} else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		ops = &sen_udr_db_pg;
		target = url;
	} else {
		return -SEN_ENOTSUP;
	}
	struct sen_udr_store *s = calloc(1, sizeof(*s));
	if (!s)
		return -SEN_ENOMEM;
	s->ops = ops;
	int rc = ops->open(target, &s->db);
	if (rc < 0) {
		free(s);
		return rc;
	}
	rc = schema_init(s);
	if (rc < 0) {
		sen_log_error(LOG_MOD, "%s subscriber store: cannot initialise the schema: %s",
			      ops->name, sen_strerror(rc));
		sen_udr_store_close(s);
		return rc;
	}
	*store = s;
	return 0;
}

void sen_udr_store_close(struct sen_udr_store *store)
{
	if (!store)
		return;
	store->ops->close(store->db);
	free(store);
}

const char *sen_udr_store_backend(const struct sen_udr_store *store)
{
	return store ? store->ops->name : "";
}

/* ---------------------------------------------------------------------------------------- */
/* Writing a subscriber.                                                                      */

/* The auth-and-subscriber columns common to INSERT and UPDATE, in this order:
 * auth_method, k, op_kind, op, amf, ue_ambr_ul, ue_ambr_dl, barred. */
struct sub_text {
	char k[33], op[33], amf[5];
};

static void sub_params(const struct sen_udr_subscriber *sub, struct sub_text *t,
		       struct sen_udr_db_param p[8])
{
	sen_hex_encode(sub->auth.k, 16, t->k);
	sen_hex_encode(sub->auth.op, 16, t->op);
	sen_hex_encode(sub->auth.amf, 2, t->amf);
	p[0] = P_TEXT(AUTH_5G_AKA);
	p[1] = P_TEXT(t->k);
	p[2] = P_TEXT(sub->auth.op_kind == SEN_UDR_OP ? OP_KIND_OP : OP_KIND_OPC);
	p[3] = P_TEXT(t->op);
	p[4] = P_TEXT(t->amf);
	p[5] = P_INT(sub->ue_ambr_ul);
	p[6] = P_INT(sub->ue_ambr_dl);
	p[7] = P_INT(sub->barred ? 1 : 0);
}

static void wipe_text(struct sub_text *t)
{
	/* Do not leave hex copies of K and OP on the stack. */
	volatile char *v = (volatile char *)t;
	for (size_t i = 0; i < sizeof(*t); i++)
		v[i] = 0;
}

/* Insert the GPSI, S-NSSAI and DNN rows of sub. */
static int write_children(struct sen_udr_store *s, const struct sen_udr_subscriber *sub)
{
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < sub->n_gpsis; i++) {
		struct sen_udr_db_param p[] = {P_TEXT(sub->supi), P_INT(i), P_TEXT(sub->gpsis[i])};
		rc = run(s, "INSERT INTO gpsi (supi, idx, gpsi) VALUES (?, ?, ?)", p, NPARAM(p),
			 NULL, NULL);
	}
	for (size_t i = 0; rc >= 0 && i < sub->n_slices; i++) {
		const struct sen_udr_slice *sl = &sub->slices[i];
		struct sen_udr_db_param p[] = {P_TEXT(sub->supi), P_INT(i), P_INT(sl->sst),
					       sl->sd == SEN_UDR_SD_NONE ? P_NULL : P_INT(sl->sd),
					       P_INT(sl->is_default)};
		rc = run(s,
			 "INSERT INTO snssai (supi, idx, sst, sd, is_default)"
			 " VALUES (?, ?, ?, ?, ?)",
			 p, NPARAM(p), NULL, NULL);
		for (size_t d = 0; rc >= 0 && d < sl->n_dnns; d++) {
			const struct sen_udr_dnn *dn = &sl->dnns[d];
			char ip[INET_ADDRSTRLEN] = "";
			if (dn->has_static_ipv4)
				inet_ntop(AF_INET, &dn->static_ipv4, ip, sizeof(ip));
			struct sen_udr_db_param q[] = {
			    P_TEXT(sub->supi),
			    P_INT(i),
			    P_INT(d),
			    P_TEXT(dn->dnn),
			    P_INT(dn->is_default),
			    P_TEXT(pdu_type_names[dn->pdu_type]),
			    P_INT(dn->qi5),
			    P_INT(dn->arp_priority),
			    P_INT(dn->arp_preempt_cap),
			    P_INT(dn->arp_preempt_vuln),
			    P_INT(dn->ambr_ul),
			    P_INT(dn->ambr_dl),
			    dn->has_static_ipv4 ? P_TEXT(ip) : P_NULL,
			};
			rc =
			    run(s,
				"INSERT INTO dnn (supi, snssai_idx, idx, dnn, is_default, pdu_type,"
				" qi5, arp_priority, arp_preempt_cap, arp_preempt_vuln, ambr_ul,"
				" ambr_dl, static_ipv4)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				q, NPARAM(q), NULL, NULL);
		}
	}
	return rc;
}

int sen_udr_store_add(struct sen_udr_store *store, const struct sen_udr_subscriber *sub)
{
	if (!store || sen_udr_subscriber_check(sub) < 0)
		return -SEN_EINVAL;
	struct sub_text t;
	struct sen_udr_db_param p[10];
	p[0] = P_TEXT(sub->supi);
	sub_params(sub, &t, p + 1);
	p[9] = P_INT(sub->auth.sqn);
	int rc = tx_begin(store, true);
	if (rc < 0)
		goto out;
	/* A duplicate SUPI fails here on the primary key (-SEN_EEXIST), before any other row. */
	rc = run(store,
		 "INSERT INTO subscriber (supi, auth_method, k, op_kind, op, amf, ue_ambr_ul,"
		 " ue_ambr_dl, barred, sqn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		 p, NPARAM(p), NULL, NULL);
	if (rc >= 0)
		rc = write_children(store, sub);
	rc = tx_end(store, rc);
out:
	wipe_text(&t);
	return rc < 0 ? rc : 0;
}

int sen_udr_store_update(struct sen_udr_store *store, const struct sen_udr_subscriber *sub)
{
	if (!store || sen_udr_subscriber_check(sub) < 0)
		return -SEN_EINVAL;
	struct sub_text t;
	struct sen_udr_db_param p[9];
	sub_params(sub, &t, p);
	p[8] = P_TEXT(sub->supi);
	struct sen_udr_db_param key[] = {P_TEXT(sub->supi)};
	int rc = tx_begin(store, true);
	if (rc < 0)
		goto out;
	/* The subscriber row first: it is the lock that orders concurrent writers (PostgreSQL
	 * row lock), and it tells whether the SUPI exists. The SQN is left alone. */
	rc = run(store,
		 "UPDATE subscriber SET auth_method = ?, k = ?, op_kind = ?, op = ?, amf = ?,"
		 " ue_ambr_ul = ?, ue_ambr_dl = ?, barred = ? WHERE supi = ?",
		 p, NPARAM(p), NULL, NULL);
	if (rc == 0)
		rc = -SEN_ENOENT;
	if (rc >= 0)
		rc = run(store, "DELETE FROM gpsi WHERE supi = ?", key, NPARAM(key), NULL, NULL);
	if (rc >= 0) /* cascades to dnn */
		rc = run(store, "DELETE FROM snssai WHERE supi = ?", key, NPARAM(key), NULL, NULL);
	if (rc >= 0)
		rc = write_children(store, sub);
	rc = tx_end(store, rc);
out:
	wipe_text(&t);
	return rc < 0 ? rc : 0;
}

int sen_udr_store_del(struct sen_udr_store *store, const char *supi)
{
	if (!store || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	/* One statement; the child rows and the AMF registration go by ON DELETE CASCADE. */
	int rc = run(store, "DELETE FROM subscriber WHERE supi = ?", p, NPARAM(p), NULL, NULL);
	if (rc == 0)
		return -SEN_ENOENT;
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Reading a subscriber.                                                                      */

struct auth_row {
	struct sen_udr_auth *auth;
	bool *barred;
	uint64_t *ambr_ul, *ambr_dl; /* NULL: not wanted */
	bool found;
};

#define AUTH_COLS "auth_method, k, op_kind, op, amf, sqn, ue_ambr_ul, ue_ambr_dl, barred"

static int auth_row_fn(void *arg, const char *const *c, int ncols)
{
	struct auth_row *r = arg;
	struct sen_udr_auth a;
	uint64_t ul, dl;
	bool barred;
	if (ncols != 9 || r->found)
		return -SEN_EIO;
	memset(&a, 0, sizeof(a));
	if (!c[0] || strcmp(c[0], AUTH_5G_AKA) != 0)
		return -SEN_EIO;
	a.method = SEN_UDR_AUTH_5G_AKA;
	if (!c[2])
		return -SEN_EIO;
	if (strcmp(c[2], OP_KIND_OPC) == 0)
		a.op_kind = SEN_UDR_OPC;
	else if (strcmp(c[2], OP_KIND_OP) == 0)
		a.op_kind = SEN_UDR_OP;
	else
		return -SEN_EIO;
	if (col_hex(c[1], a.k, 16) < 0 || col_hex(c[3], a.op, 16) < 0 ||
	    col_hex(c[4], a.amf, 2) < 0 || col_u64(c[5], SEN_UDR_SQN_MAX, &a.sqn) < 0 ||
	    col_u64(c[6], INT64_MAX, &ul) < 0 || col_u64(c[7], INT64_MAX, &dl) < 0 ||
	    col_flag(c[8], &barred) < 0) {
		memset(&a, 0, sizeof(a));
		return -SEN_EIO;
	}
	*r->auth = a;
	memset(&a, 0, sizeof(a));
	if (r->barred)
		*r->barred = barred;
	if (r->ambr_ul) {
		*r->ambr_ul = ul;
		*r->ambr_dl = dl;
	}
	r->found = true;
	return 0;
}

static int gpsi_row_fn(void *arg, const char *const *c, int ncols)
{
	struct sen_udr_subscriber *sub = arg;
	uint64_t idx;
	if (ncols != 2 || col_u64(c[0], SEN_UDR_MAX_GPSIS - 1, &idx) < 0 || idx != sub->n_gpsis ||
	    col_str(c[1], sub->gpsis[idx], SEN_UDR_GPSI_SIZE) < 0)
		return -SEN_EIO;
	sub->n_gpsis++;
	return 0;
}

static int snssai_row_fn(void *arg, const char *const *c, int ncols)
{
	struct sen_udr_subscriber *sub = arg;
	uint64_t idx, sst, sd = SEN_UDR_SD_NONE;
	if (ncols != 4 || col_u64(c[0], SEN_UDR_MAX_SLICES - 1, &idx) < 0 || idx != sub->n_slices ||
	    col_u64(c[1], 255, &sst) < 0 || (c[2] && col_u64(c[2], 0xffffff, &sd) < 0))
		return -SEN_EIO;
	struct sen_udr_slice *sl = &sub->slices[idx];
	memset(sl, 0, sizeof(*sl));
	sl->sst = (uint8_t)sst;
	sl->sd = (uint32_t)sd;
	if (col_flag(c[3], &sl->is_default) < 0)
		return -SEN_EIO;
	sub->n_slices++;
	return 0;
}

static int dnn_row_fn(void *arg, const char *const *c, int ncols)
{
	struct sen_udr_subscriber *sub = arg;
	uint64_t si, idx, qi5, arp, ul, dl;
	if (ncols != 12 || col_u64(c[0], SEN_UDR_MAX_SLICES - 1, &si) < 0 || si >= sub->n_slices)
		return -SEN_EIO;
	struct sen_udr_slice *sl = &sub->slices[si];
	if (col_u64(c[1], SEN_UDR_MAX_DNNS - 1, &idx) < 0 || idx != sl->n_dnns)
		return -SEN_EIO;
	struct sen_udr_dnn *dn = &sl->dnns[idx];
	memset(dn, 0, sizeof(*dn));
	if (col_str(c[2], dn->dnn, sizeof(dn->dnn)) < 0 || col_flag(c[3], &dn->is_default) < 0 ||
	    !c[4] || col_u64(c[5], 255, &qi5) < 0 || col_u64(c[6], 15, &arp) < 0 ||
	    col_flag(c[7], &dn->arp_preempt_cap) < 0 || col_flag(c[8], &dn->arp_preempt_vuln) < 0 ||
	    col_u64(c[9], INT64_MAX, &ul) < 0 || col_u64(c[10], INT64_MAX, &dl) < 0)
		return -SEN_EIO;
	int t = 0;
	while (t < SEN_UDR_PDU_MAX && strcmp(c[4], pdu_type_names[t]) != 0)
		t++;
	if (t == SEN_UDR_PDU_MAX)
		return -SEN_EIO;
	dn->pdu_type = (enum sen_udr_pdu_type)t;
	dn->qi5 = (uint8_t)qi5;
	dn->arp_priority = (uint8_t)arp;
	dn->ambr_ul = ul;
	dn->ambr_dl = dl;
	if (c[11]) {
		if (inet_pton(AF_INET, c[11], &dn->static_ipv4) != 1)
			return -SEN_EIO;
		dn->has_static_ipv4 = true;
	}
	sl->n_dnns++;
	return 0;
}

int sen_udr_store_get(struct sen_udr_store *store, const char *supi, struct sen_udr_subscriber *sub)
{
	if (!store || !sub || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	struct sen_udr_subscriber *tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return -SEN_ENOMEM;
	sen_udr_subscriber_init(tmp, supi);
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	struct auth_row ar = {.auth = &tmp->auth,
			      .barred = &tmp->barred,
			      .ambr_ul = &tmp->ue_ambr_ul,
			      .ambr_dl = &tmp->ue_ambr_dl};
	/* Several SELECTs: one read transaction, so they see one snapshot. */
	int rc = tx_begin(store, false);
	if (rc < 0)
		goto out;
	rc = run(store, "SELECT " AUTH_COLS " FROM subscriber WHERE supi = ?", p, NPARAM(p),
		 auth_row_fn, &ar);
	if (rc >= 0 && !ar.found)
		rc = -SEN_ENOENT;
	if (rc >= 0)
		rc = run(store, "SELECT idx, gpsi FROM gpsi WHERE supi = ? ORDER BY idx", p,
			 NPARAM(p), gpsi_row_fn, tmp);
	if (rc >= 0)
		rc = run(store,
			 "SELECT idx, sst, sd, is_default FROM snssai WHERE supi = ? ORDER BY idx",
			 p, NPARAM(p), snssai_row_fn, tmp);
	if (rc >= 0)
		rc = run(store,
			 "SELECT snssai_idx, idx, dnn, is_default, pdu_type, qi5, arp_priority,"
			 " arp_preempt_cap, arp_preempt_vuln, ambr_ul, ambr_dl, static_ipv4"
			 " FROM dnn WHERE supi = ? ORDER BY snssai_idx, idx",
			 p, NPARAM(p), dnn_row_fn, tmp);
	rc = tx_end(store, rc);
	if (rc >= 0) {
		memcpy(sub, tmp, sizeof(*sub));
		rc = 0;
	}
out:
	memset(tmp, 0, sizeof(*tmp));
	free(tmp);
	return rc;
}

int sen_udr_store_auth_get(struct sen_udr_store *store, const char *supi, struct sen_udr_auth *auth,
			   bool *barred)
{
	if (!store || !auth || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	struct auth_row ar = {.auth = auth, .barred = barred};
	int rc = run(store, "SELECT " AUTH_COLS " FROM subscriber WHERE supi = ?", p, NPARAM(p),
		     auth_row_fn, &ar);
	if (rc < 0)
		return rc;
	return ar.found ? 0 : -SEN_ENOENT;
}

/* ---------------------------------------------------------------------------------------- */
/* Listing.                                                                                   */

struct list_ctx {
	char (*supis)[SEN_UDR_SUPI_SIZE];
	size_t max, n;
};

static int list_row_fn(void *arg, const char *const *c, int ncols)
{
	struct list_ctx *l = arg;
	if (ncols != 1 || l->n == l->max || col_str(c[0], l->supis[l->n], SEN_UDR_SUPI_SIZE) < 0)
		return -SEN_EIO;
	l->n++;
	return 0;
}

int sen_udr_store_list(struct sen_udr_store *store, const char *after,
		       char (*supis)[SEN_UDR_SUPI_SIZE], size_t max, size_t *n)
{
	if (!store || !supis || !n || max == 0 || max > INT32_MAX)
		return -SEN_EINVAL;
	*n = 0;
	if (after && *after && !sen_udr_supi_valid(after))
		return -SEN_EINVAL;
	/* "" sorts before every SUPI, so one statement serves the first page too. */
	struct sen_udr_db_param p[] = {P_TEXT(after ? after : ""), P_INT(max)};
	struct list_ctx l = {.supis = supis, .max = max};
	int rc = run(store, "SELECT supi FROM subscriber WHERE supi > ? ORDER BY supi LIMIT ?", p,
		     NPARAM(p), list_row_fn, &l);
	if (rc < 0)
		return rc;
	*n = l.n;
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* SQN (TS 33.102 6.3, Annex C).                                                              */

struct sqn_row {
	uint64_t sqn;
	bool found;
};

static int sqn_row_fn(void *arg, const char *const *c, int ncols)
{
	struct sqn_row *r = arg;
	if (ncols != 1 || r->found || col_u64(c[0], SEN_UDR_SQN_MAX, &r->sqn) < 0)
		return -SEN_EIO;
	r->found = true;
	return 0;
}

/* After an UPDATE that touched nothing: -SEN_ENOENT, or `if_exists` when the row is there. */
static int exists_or(struct sen_udr_store *s, const char *supi, int if_exists)
{
	struct sqn_row r = {0};
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	int rc = run(s, "SELECT sqn FROM subscriber WHERE supi = ?", p, NPARAM(p), sqn_row_fn, &r);
	if (rc < 0)
		return rc;
	return r.found ? if_exists : -SEN_ENOENT;
}

int sen_udr_store_sqn_next(struct sen_udr_store *store, const char *supi, uint64_t *sqn)
{
	if (!store || !sqn || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	/*
	 * C.1.1 / C.3: SEQ := SEQ_HE + 1, IND := 0. One statement in its own transaction
	 * (autocommit): the database locks the row (PostgreSQL) or the file (SQLite) for the
	 * read-modify-write, and the returned value is committed, durably, before we see it.
	 */
	struct sen_udr_db_param p[] = {P_TEXT(supi), P_INT(SEQ_MAX)};
	struct sqn_row r = {0};
	int rc = run(store,
		     "UPDATE subscriber SET sqn = ((sqn >> 5) + 1) << 5"
		     " WHERE supi = ? AND (sqn >> 5) < ? RETURNING sqn",
		     p, NPARAM(p), sqn_row_fn, &r);
	if (rc < 0)
		return rc;
	if (!r.found) /* no row: unknown, or SEQ exhausted (C.2.1 wrap-around) */
		return exists_or(store, supi, -SEN_ERANGE);
	*sqn = r.sqn;
	return 0;
}

int sen_udr_store_sqn_resync(struct sen_udr_store *store, const char *supi, uint64_t sqn_ms)
{
	if (!store || !sen_udr_supi_valid(supi) || sqn_ms > SEN_UDR_SQN_MAX)
		return -SEN_EINVAL;
	/* TS 33.102 6.3.5: SQN_HE := SQN_MS, here with IND cleared and never backwards, so
	 * the next vector carries SEQ_MS + 1 (or more) and no value is issued twice. */
	int64_t floor_v = (int64_t)(sqn_ms & ~IND_MASK);
	struct sen_udr_db_param p[] = {P_INT(floor_v), P_INT(floor_v), P_TEXT(supi)};
	int rc = run(store,
		     "UPDATE subscriber SET sqn = CASE WHEN sqn < ? THEN ? ELSE sqn END"
		     " WHERE supi = ?",
		     p, NPARAM(p), NULL, NULL);
	if (rc < 0)
		return rc;
	return rc == 0 ? -SEN_ENOENT : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* AMF 3GPP access registration (TS 29.503 6.2.6.2.2 Amf3GppAccessRegistration).             */

int sen_udr_store_amf_reg_put(struct sen_udr_store *store, const char *supi,
			      const char *amf_instance_id, const char *json)
{
	if (!store || !sen_udr_supi_valid(supi) || !amf_instance_id ||
	    !uuid_valid(amf_instance_id) || !json)
		return -SEN_EINVAL;
	size_t len = strnlen(json, SEN_UDR_AMF_REG_MAX + 1);
	if (len == 0 || len > SEN_UDR_AMF_REG_MAX)
		return -SEN_EINVAL;
	/* Insert-or-replace, only if the subscriber exists: 0 rows means unknown SUPI. A
	 * concurrent delete (PostgreSQL) shows as a foreign-key failure, also -SEN_ENOENT. */
	struct sen_udr_db_param p[] = {P_TEXT(amf_instance_id), P_TEXT(json), P_TEXT(supi)};
	int rc = run(store,
		     "INSERT INTO amf_3gpp_reg (supi, amf_instance_id, registration)"
		     " SELECT supi, ?, ? FROM subscriber WHERE supi = ?"
		     " ON CONFLICT (supi) DO UPDATE SET amf_instance_id = excluded.amf_instance_id,"
		     " registration = excluded.registration",
		     p, NPARAM(p), NULL, NULL);
	if (rc < 0)
		return rc;
	return rc == 0 ? -SEN_ENOENT : 0;
}

struct reg_row {
	char *id;
	char *json;
	bool found;
};

static int reg_row_fn(void *arg, const char *const *c, int ncols)
{
	struct reg_row *r = arg;
	if (ncols != 2 || r->found || !c[0] || !c[1] || strlen(c[0]) >= SEN_UDR_NFID_SIZE)
		return -SEN_EIO;
	r->json = strdup(c[1]);
	if (!r->json)
		return -SEN_ENOMEM;
	if (r->id)
		memcpy(r->id, c[0], strlen(c[0]) + 1);
	r->found = true;
	return 0;
}

int sen_udr_store_amf_reg_get(struct sen_udr_store *store, const char *supi,
			      char amf_instance_id[SEN_UDR_NFID_SIZE], char **json)
{
	if (!store || !json || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	*json = NULL;
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	struct reg_row r = {.id = amf_instance_id};
	int rc = run(store, "SELECT amf_instance_id, registration FROM amf_3gpp_reg WHERE supi = ?",
		     p, NPARAM(p), reg_row_fn, &r);
	if (rc < 0) {
		free(r.json);
		return rc;
	}
	if (!r.found)
		return -SEN_ENOENT;
	*json = r.json;
	return 0;
}

int sen_udr_store_amf_reg_del(struct sen_udr_store *store, const char *supi)
{
	if (!store || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	int rc = run(store, "DELETE FROM amf_3gpp_reg WHERE supi = ?", p, NPARAM(p), NULL, NULL);
	if (rc < 0)
		return rc;
	return rc == 0 ? -SEN_ENOENT : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Authentication status (TS 29.505 5.2.24; AuthEvent, TS 29.503 6.3.6.2.6).                 */

/* A non-empty string of printable ASCII, NUL-terminated within cap. */
static bool text_valid(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == 0 || n == cap)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < ' ' || s[i] > '~')
			return false;
	}
	return true;
}

int sen_udr_store_auth_status_put(struct sen_udr_store *store, const char *supi,
				  const struct sen_udr_auth_status *ev, const char *json)
{
	if (!store || !sen_udr_supi_valid(supi) || !ev || !json ||
	    strnlen(ev->nf_instance_id, SEN_UDR_NFID_SIZE) != SEN_UDR_NFID_SIZE - 1 ||
	    !uuid_valid(ev->nf_instance_id) || !text_valid(ev->time_stamp, SEN_UDR_TIME_SIZE) ||
	    !text_valid(ev->auth_type, SEN_UDR_AUTH_TYPE_SIZE) ||
	    !text_valid(ev->serving_network_name, SEN_UDR_SNN_SIZE))
		return -SEN_EINVAL;
	size_t len = strnlen(json, SEN_UDR_AUTH_STATUS_MAX + 1);
	if (len == 0 || len > SEN_UDR_AUTH_STATUS_MAX)
		return -SEN_EINVAL;
	/* Insert-or-replace, only for an existing subscriber (as amf_reg_put). */
	struct sen_udr_db_param p[] = {
	    P_TEXT(ev->nf_instance_id), P_INT(ev->success),	     P_TEXT(ev->time_stamp),
	    P_TEXT(ev->auth_type),	P_TEXT(ev->serving_network_name), P_TEXT(json),
	    P_TEXT(supi),
	};
	int rc = run(store,
		     "INSERT INTO auth_status (supi, nf_instance_id, success, time_stamp, auth_type,"
		     " serving_network_name, event)"
		     " SELECT supi, ?, ?, ?, ?, ?, ? FROM subscriber WHERE supi = ?"
		     " ON CONFLICT (supi) DO UPDATE SET nf_instance_id = excluded.nf_instance_id,"
		     " success = excluded.success, time_stamp = excluded.time_stamp,"
		     " auth_type = excluded.auth_type,"
		     " serving_network_name = excluded.serving_network_name, event = excluded.event",
		     p, NPARAM(p), NULL, NULL);
	if (rc < 0)
		return rc;
	return rc == 0 ? -SEN_ENOENT : 0;
}

struct status_row {
	struct sen_udr_auth_status *ev;
	char *json;
	bool found;
};

static int status_row_fn(void *arg, const char *const *c, int ncols)
{
	struct status_row *r = arg;
	struct sen_udr_auth_status ev;
	if (ncols != 6 || r->found || !c[5])
		return -SEN_EIO;
	memset(&ev, 0, sizeof(ev));
	if (col_str(c[0], ev.nf_instance_id, sizeof(ev.nf_instance_id)) < 0 ||
	    col_flag(c[1], &ev.success) < 0 ||
	    col_str(c[2], ev.time_stamp, sizeof(ev.time_stamp)) < 0 ||
	    col_str(c[3], ev.auth_type, sizeof(ev.auth_type)) < 0 ||
	    col_str(c[4], ev.serving_network_name, sizeof(ev.serving_network_name)) < 0)
		return -SEN_EIO;
	if (!(r->json = strdup(c[5])))
		return -SEN_ENOMEM;
	if (r->ev)
		*r->ev = ev;
	r->found = true;
	return 0;
}

int sen_udr_store_auth_status_get(struct sen_udr_store *store, const char *supi,
				  struct sen_udr_auth_status *ev, char **json)
{
	if (!store || !json || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	*json = NULL;
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	struct status_row r = {.ev = ev};
	int rc = run(store,
		     "SELECT nf_instance_id, success, time_stamp, auth_type, serving_network_name,"
		     " event FROM auth_status WHERE supi = ?",
		     p, NPARAM(p), status_row_fn, &r);
	if (rc < 0) {
		free(r.json);
		return rc;
	}
	if (!r.found)
		return -SEN_ENOENT;
	*json = r.json;
	return 0;
}

int sen_udr_store_auth_status_del(struct sen_udr_store *store, const char *supi)
{
	if (!store || !sen_udr_supi_valid(supi))
		return -SEN_EINVAL;
	struct sen_udr_db_param p[] = {P_TEXT(supi)};
	int rc = run(store, "DELETE FROM auth_status WHERE supi = ?", p, NPARAM(p), NULL, NULL);
	if (rc < 0)
		return rc;
	return rc == 0 ? -SEN_ENOENT : 0;
}
