/*
 * Subscriber store, PostgreSQL back end ("postgresql://…", "postgres://…"): runs the
 * statements of store.c over one libpq connection, for deployments with several UDRs on one
 * database (DESIGN.md, "Subscriber data").
 *
 * - Parameters are sent separately from the statement text (PQexecParams, extended query
 *   protocol): a value can never become SQL. store.c's '?' placeholders become $1, $2 ….
 * - Write transactions run at READ COMMITTED; store.c orders its statements so that the
 *   subscriber row is locked first. An SQN advance is one UPDATE … RETURNING: PostgreSQL
 *   locks the row, and a concurrent UPDATE waits and then re-reads the committed value, so
 *   two connections never get the same SQN. Reads of a whole subscriber use a REPEATABLE
 *   READ READ ONLY transaction (one snapshot for several SELECTs).
 * - Durability: the session sets synchronous_commit = on, so COMMIT returns only once the
 *   WAL record is flushed on the server: an acknowledged write survives a crash of either
 *   side and a power loss of the server (given fsync = on, the server default).
 * - Error messages are logged with their primary text only: PostgreSQL's DETAIL can quote a
 *   whole failing row, K included.
 * - A broken connection is re-established (PQreset) before the next statement that is not
 *   inside a transaction; inside one the transaction fails with -SEN_EIO.
 */
#include "store.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

#define LOG_MOD	   "udr"
#define MAX_PARAMS 32
#define MAX_COLS   32
#define MAX_SQL	   4096
#define INT8_OID   20 /* pg_type.oid of bigint */
#define TEXT_OID   25 /* pg_type.oid of text */

struct pg_db {
	PGconn *conn;
	bool in_tx;
};

static void notice_quiet(void *arg, const char *message)
{
	/* e.g. "relation … already exists, skipping" from CREATE TABLE IF NOT EXISTS */
	(void)arg;
	sen_log_debug(LOG_MOD, "postgresql: %s", message);
}

/* Map a failed result to a Sen error (SQLSTATE classes, PostgreSQL Appendix A). */
static int map_err(struct pg_db *d, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state) {
		if (strcmp(state, "23505") == 0) /* unique_violation */
			return -SEN_EEXIST;
		if (strcmp(state, "23503") == 0) /* foreign_key_violation */
			return -SEN_ENOENT;
		if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		    strcmp(state, "55P03") == 0) { /* serialization, deadlock, lock_not_available */
			sen_log_warn(LOG_MOD, "postgresql: %s: %s", what, state);
			return -SEN_EAGAIN;
		}
	}
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(d->conn);
	sen_log_error(LOG_MOD, "postgresql: %s: %s%s%s", what, msg, state ? " SQLSTATE " : "",
		      state ? state : "");
	return -SEN_EIO;
}

/* Run a statement without parameters or rows. */
static int simple(struct pg_db *d, const char *sql)
{
	PGresult *res = PQexec(d->conn, sql);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = map_err(d, res, sql);
	PQclear(res);
	return rc;
}

static void pg_close(void *db)
{
	struct pg_db *d = db;
	if (!d)
		return;
	PQfinish(d->conn);
	free(d);
}

/* Settings each session needs; run after every (re)connection. */
static int session_setup(struct pg_db *d)
{
	PQsetNoticeProcessor(d->conn, notice_quiet, NULL);
	int rc = simple(d, "SET synchronous_commit = on");
	if (rc == 0)
		rc = simple(d, "SET client_min_messages = warning");
	return rc;
}

static int pg_open(const char *url, void **out)
{
	*out = NULL;
	struct pg_db *d = calloc(1, sizeof(*d));
	if (!d)
		return -SEN_ENOMEM;
	d->conn = PQconnectdb(url);
	if (!d->conn) {
		free(d);
		return -SEN_ENOMEM;
	}
	if (PQstatus(d->conn) != CONNECTION_OK) {
		/* libpq's message names host and database, never the password; the URL (which
		 * may hold one) is not logged. */
		sen_log_error(LOG_MOD, "postgresql: cannot connect: %s", PQerrorMessage(d->conn));
		pg_close(d);
		return -SEN_EIO;
	}
	int rc = session_setup(d);
	if (rc < 0) {
		pg_close(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* Outside a transaction, bring a dropped connection back. */
static int ensure_conn(struct pg_db *d)
{
	if (PQstatus(d->conn) == CONNECTION_OK)
		return 0;
	if (d->in_tx)
		return -SEN_EIO;
	sen_log_warn(LOG_MOD, "postgresql: connection lost, reconnecting");
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		sen_log_error(LOG_MOD, "postgresql: reconnect failed: %s", PQerrorMessage(d->conn));
		return -SEN_EIO;
	}
	return session_setup(d);
}

/* Rewrite '?' placeholders as $1, $2 … (store.c's SQL has no '?' anywhere else). */
static int rewrite(const char *sql, char *out, size_t cap, int *count)
{
	size_t o = 0;
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '?') {
			int w = snprintf(out + o, cap - o, "$%d", ++n);
			if (w < 0 || (size_t)w >= cap - o)
				return -SEN_EINVAL;
			o += (size_t)w;
		} else {
			if (o + 1 >= cap)
				return -SEN_EINVAL;
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	*count = n;
	return 0;
}

static int pg_exec(void *db, const char *sql, const struct sen_udr_db_param *p, int np,
		   sen_udr_db_row_fn fn, void *arg)
{
	struct pg_db *d = db;
	char text[MAX_SQL];
	int count;
	if (np < 0 || np > MAX_PARAMS || rewrite(sql, text, sizeof(text), &count) < 0 ||
	    count != np) {
		sen_log_error(LOG_MOD, "postgresql: bad statement or parameter count");
		return -SEN_EINVAL;
	}
	int rc = ensure_conn(d);
	if (rc < 0)
		return rc;
	Oid types[MAX_PARAMS];
	const char *values[MAX_PARAMS];
	char ints[MAX_PARAMS][24];
	for (int i = 0; i < np; i++) {
		switch (p[i].type) {
		case SEN_UDR_DB_INT:
			snprintf(ints[i], sizeof(ints[i]), "%" PRId64, p[i].i);
			types[i] = INT8_OID;
			values[i] = ints[i];
			break;
		case SEN_UDR_DB_TEXT:
			types[i] = TEXT_OID;
			values[i] = p[i].s;
			break;
		default:
			types[i] = 0; /* let the server infer it from the column */
			values[i] = NULL;
			break;
		}
	}
	PGresult *res = PQexecParams(d->conn, text, np, types, values, NULL, NULL, 0);
	/* Integer parameters may include a bit rate or SQN; no keys, but clear anyway. */
	memset(ints, 0, sizeof(ints));
	ExecStatusType st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK) {
		const char *n = PQcmdTuples(res);
		rc = *n ? atoi(n) : 0;
	} else if (st == PGRES_TUPLES_OK) {
		int ncols = PQnfields(res), nrows = PQntuples(res);
		rc = 0;
		if (ncols > MAX_COLS)
			rc = -SEN_EINVAL;
		for (int r = 0; fn && rc == 0 && r < nrows; r++) {
			const char *cols[MAX_COLS];
			for (int c = 0; c < ncols; c++)
				cols[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
			rc = fn(arg, cols, ncols);
		}
		/* UPDATE … RETURNING reports the rows it changed; a SELECT counts as 0. */
		if (rc == 0 && strncmp(PQcmdStatus(res), "SELECT", 6) != 0) {
			const char *n = PQcmdTuples(res);
			rc = *n ? atoi(n) : 0;
		}
	} else {
		rc = map_err(d, res, "statement");
	}
	PQclear(res);
	return rc;
}

static int pg_begin(void *db, bool write)
{
	struct pg_db *d = db;
	int rc = ensure_conn(d);
	if (rc < 0)
		return rc;
	if (PQtransactionStatus(d->conn) != PQTRANS_IDLE)
		simple(d, "ROLLBACK"); /* never expected; start clean */
	rc = simple(d, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	d->in_tx = rc == 0;
	return rc;
}

static int pg_commit(void *db)
{
	struct pg_db *d = db;
	PGresult *res = PQexec(d->conn, "COMMIT");
	int rc = 0;
	/* COMMIT of a failed transaction answers "ROLLBACK" with COMMAND_OK: not a commit. */
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = map_err(d, res, "COMMIT");
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		rc = -SEN_EIO;
	PQclear(res);
	d->in_tx = false;
	return rc;
}

static void pg_rollback(void *db)
{
	struct pg_db *d = db;
	if (PQstatus(d->conn) == CONNECTION_OK && PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(d->conn, "ROLLBACK");
		PQclear(res);
	}
	d->in_tx = false;
}

static bool pg_in_tx(void *db)
{
	struct pg_db *d = db;
	if (PQstatus(d->conn) != CONNECTION_OK)
		return false;
	PGTransactionStatusType t = PQtransactionStatus(d->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

const struct sen_udr_db_ops sen_udr_db_pg = {
    .name = "postgresql",
    .key_type = "TEXT COLLATE \"C\"",
    /* Two UDRs opening a new database at once: CREATE TABLE IF NOT EXISTS is not safe
     * against itself, so the schema transaction holds an advisory lock (an arbitrary
     * constant of Sen's: "SENUDR" in ASCII). */
    .schema_lock = "SELECT pg_advisory_xact_lock(91557132059730)",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_tx = pg_in_tx,
    .exec = pg_exec,
};
