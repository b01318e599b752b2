/*
 * Subscriber store, SQLite back end ("sqlite:<path>"): runs the statements of store.c on
 * one SQLite connection.
 *
 * Durability (DESIGN.md, "Subscriber data"): the file is in WAL mode with synchronous=FULL,
 * so every commit appends to the WAL and fsyncs it before sqlite3_step() reports it done.
 * An acknowledged write (an SQN advance above all) therefore survives kill -9 of the process
 * and, on storage that honours fsync, a power loss too. (synchronous=NORMAL would survive a
 * process crash only: the last commits could be lost with the page cache, and an SQN could
 * then be handed out again.)
 *
 * Concurrency: write transactions start with BEGIN IMMEDIATE, taking the single write lock
 * before reading anything, so a read-modify-write can never be based on a stale snapshot;
 * other connections wait for the lock up to BUSY_TIMEOUT_MS (then -SEN_EAGAIN). Readers
 * never block writers in WAL mode.
 *
 * Prepared statements are kept in a small cache keyed by the SQL text.
 */
#include "store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"

#define LOG_MOD		"udr"
#define BUSY_TIMEOUT_MS 10000
#define CACHE_SIZE	32
#define MAX_COLS	32

struct cached {
	char *sql;
	sqlite3_stmt *st;
};

struct sqlite_db {
	sqlite3 *db;
	struct cached cache[CACHE_SIZE];
	unsigned next_evict;
};

/* Map an (extended) SQLite result code to a Sen error. */
static int map_err(struct sqlite_db *d, int rc, const char *what)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return -SEN_EEXIST;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return -SEN_ENOENT;
	case SQLITE_NOMEM:
		return -SEN_ENOMEM;
	default:
		break;
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		sen_log_warn(LOG_MOD, "sqlite: %s: database busy", what);
		return -SEN_EAGAIN;
	}
	/* SQLite's messages name tables and columns, never bound values. */
	sen_log_error(LOG_MOD, "sqlite: %s: %s (%d)", what, d->db ? sqlite3_errmsg(d->db) : "", rc);
	return -SEN_EIO;
}

/* Run a statement without parameters or rows (pragmas, BEGIN …): returns 0 or an error. */
static int simple(struct sqlite_db *d, const char *sql)
{
	int rc = sqlite3_exec(d->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : map_err(d, sqlite3_extended_errcode(d->db), sql);
}

/* Read a one-row, one-column pragma's value as text into out. */
static int pragma_text(struct sqlite_db *d, const char *sql, char *out, size_t cap)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return map_err(d, sqlite3_extended_errcode(d->db), sql);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		snprintf(out, cap, "%s", v ? (const char *)v : "");
		rc = SQLITE_OK;
	} else {
		rc = sqlite3_extended_errcode(d->db);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : map_err(d, rc, sql);
}

static void sq_close(void *db)
{
	struct sqlite_db *d = db;
	if (!d)
		return;
	for (int i = 0; i < CACHE_SIZE; i++) {
		sqlite3_finalize(d->cache[i].st);
		free(d->cache[i].sql);
	}
	sqlite3_close(d->db);
	free(d);
}

static int sq_open(const char *path, void **out)
{
	*out = NULL;
	/* The file holds K and OP in clear: create it readable by its owner only (SQLite gives
	 * the -wal and -shm files the same permissions). An existing file keeps its mode. */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	struct sqlite_db *d = calloc(1, sizeof(*d));
	if (!d)
		return -SEN_ENOMEM;
	/* One thread at a time per handle (store.h), so no SQLite mutexes. */
	int rc = sqlite3_open_v2(
	    path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		sen_log_error(LOG_MOD, "sqlite: cannot open %s: %s", path,
			      d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
		sq_close(d);
		return rc == SQLITE_NOMEM ? -SEN_ENOMEM : -SEN_EIO;
	}
	sqlite3_extended_result_codes(d->db, 1);
	sqlite3_busy_timeout(d->db, BUSY_TIMEOUT_MS);
	char mode[16];
	int err = pragma_text(d, "PRAGMA journal_mode = WAL", mode, sizeof(mode));
	if (err == 0 && strcmp(mode, "wal") != 0) {
		sen_log_error(LOG_MOD, "sqlite: %s: WAL mode refused (journal_mode is %s)", path,
			      mode);
		err = -SEN_EIO;
	}
	/* FULL: each commit fsyncs the WAL (survives kill -9 and power loss; see top). */
	if (err == 0)
		err = simple(d, "PRAGMA synchronous = FULL");
	/* Child rows cascade from subscriber; SQLite enforces foreign keys only when asked. */
	char fk[8] = "";
	if (err == 0)
		err = simple(d, "PRAGMA foreign_keys = ON");
	if (err == 0)
		err = pragma_text(d, "PRAGMA foreign_keys", fk, sizeof(fk));
	if (err == 0 && strcmp(fk, "1") != 0) {
		sen_log_error(LOG_MOD, "sqlite: foreign keys unavailable in this SQLite build");
		err = -SEN_ENOTSUP;
	}
	if (err < 0) {
		sq_close(d);
		return err;
	}
	*out = d;
	return 0;
}

/* The prepared statement for sql, from the cache or newly prepared into it. */
static int stmt_get(struct sqlite_db *d, const char *sql, sqlite3_stmt **st)
{
	for (int i = 0; i < CACHE_SIZE; i++) {
		if (d->cache[i].sql && strcmp(d->cache[i].sql, sql) == 0) {
			*st = d->cache[i].st;
			return 0;
		}
	}
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK)
		return map_err(d, sqlite3_extended_errcode(d->db), "prepare");
	char *copy = strdup(sql);
	if (!copy) {
		sqlite3_finalize(s);
		return -SEN_ENOMEM;
	}
	struct cached *c = NULL;
	for (int i = 0; i < CACHE_SIZE && !c; i++) {
		if (!d->cache[i].sql)
			c = &d->cache[i];
	}
	if (!c) {
		c = &d->cache[d->next_evict];
		d->next_evict = (d->next_evict + 1) % CACHE_SIZE;
		sqlite3_finalize(c->st);
		free(c->sql);
	}
	c->sql = copy;
	c->st = s;
	*st = s;
	return 0;
}

static int sq_exec(void *db, const char *sql, const struct sen_udr_db_param *p, int np,
		   sen_udr_db_row_fn fn, void *arg)
{
	struct sqlite_db *d = db;
	sqlite3_stmt *st = NULL;
	int err = stmt_get(d, sql, &st);
	if (err < 0)
		return err;
	if (np != sqlite3_bind_parameter_count(st)) {
		sen_log_error(LOG_MOD, "sqlite: statement wants %d parameters, got %d",
			      sqlite3_bind_parameter_count(st), np);
		return -SEN_EINVAL;
	}
	int rc = SQLITE_OK;
	for (int i = 0; i < np && rc == SQLITE_OK; i++) {
		switch (p[i].type) {
		case SEN_UDR_DB_INT:
			rc = sqlite3_bind_int64(st, i + 1, p[i].i);
			break;
		case SEN_UDR_DB_TEXT:
			/* STATIC: the caller's string outlives the statement run (reset below). */
			rc = sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, i + 1);
			break;
		}
	}
	if (rc != SQLITE_OK) {
		err = map_err(d, rc, "bind");
		goto done;
	}
	int ncols = sqlite3_column_count(st);
	if (ncols > MAX_COLS) {
		err = -SEN_EINVAL;
		goto done;
	}
	/* Step to completion even if fn fails, so a write is never left half-run. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!fn || err < 0)
			continue;
		const char *cols[MAX_COLS];
		for (int c = 0; c < ncols; c++) {
			if (sqlite3_column_type(st, c) == SQLITE_NULL) {
				cols[c] = NULL;
			} else {
				cols[c] = (const char *)sqlite3_column_text(st, c);
				if (!cols[c]) {
					err = -SEN_ENOMEM;
					break;
				}
			}
		}
		if (err == 0)
			err = fn(arg, cols, ncols);
	}
	if (rc != SQLITE_DONE) {
		int e = map_err(d, sqlite3_extended_errcode(d->db), "step");
		if (err == 0)
			err = e;
	}
	if (err == 0 && !sqlite3_stmt_readonly(st))
		err = sqlite3_changes(d->db);
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return err;
}

/* BEGIN and COMMIT run as cached prepared statements: sqlite3_exec() would parse them
 * on every call, and each UE's registration runs several transactions. */
static int sq_begin(void *db, bool write)
{
	int rc = sq_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, 0, NULL, NULL);
	return rc < 0 ? rc : 0;
}

static int sq_commit(void *db)
{
	int rc = sq_exec(db, "COMMIT", NULL, 0, NULL, NULL);
	return rc < 0 ? rc : 0;
}

static void sq_rollback(void *db)
{
	struct sqlite_db *d = db;
	/* Some errors (I/O, a full disk) already rolled the transaction back. */
	if (!sqlite3_get_autocommit(d->db))
		sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
}

static bool sq_in_tx(void *db)
{
	struct sqlite_db *d = db;
	return !sqlite3_get_autocommit(d->db);
}

const struct sen_udr_db_ops sen_udr_db_sqlite = {
    .name = "sqlite",
    .key_type = "TEXT COLLATE BINARY",
    .schema_lock = NULL,
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_tx = sq_in_tx,
    .exec = sq_exec,
};
