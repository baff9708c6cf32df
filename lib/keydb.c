/*
 * keydb.c - the key state store (ztk/keydb.h) over SQLite.
 *
 * One SQLite connection per handle.  Every statement is a constant string;
 * values only ever travel as bound parameters.  The schema is built by a
 * table of migration steps, so a later version appends a step and an old
 * file is brought forward inside one transaction.
 *
 * The audit trail is a hash chain: each entry stores the hash of the one
 * before it and its own hash over an unambiguous serialisation of its
 * fields (see chain_hash()).  The head of the chain (entry count and last
 * hash) is kept in the meta table and moved in the same transaction as the
 * insert, so removing the newest entries is caught as well as editing or
 * removing older ones.  Someone who can rewrite the whole file can of course
 * rebuild a consistent chain; an external copy of the head is what detects
 * that.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include <ztk/error.h>
#include <ztk/keydb.h>

#include "util.h"

#define BUSY_TIMEOUT_MS 10000
#define HASH_HEX 64

struct ztk_keydb {
	sqlite3 *h;
	int rc;                 /* SQLite code of the last failure */
	char err[256];          /* last failure, for ztk_keydb_errmsg() */
};

/*
 * Schema migrations: step i brings a file from version steps[i].to - 1 to
 * steps[i].to.  Each step runs inside the transaction that opened the
 * migration, and the version in meta moves with it.  Append; never edit a
 * released step.
 */
static const struct migration {
	int to;
	const char *sql;
} migrations[] = {
	{ 1,
	  "CREATE TABLE meta ("
	  "  key TEXT PRIMARY KEY,"
	  "  value NOT NULL"
	  ");"
	  "CREATE TABLE keys ("
	  "  id INTEGER PRIMARY KEY,"
	  "  zone TEXT NOT NULL CHECK (length(zone) BETWEEN 1 AND 255),"
	  "  role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 3),"
	  "  alg INTEGER NOT NULL CHECK (alg BETWEEN 0 AND 255),"
	  "  bits INTEGER NOT NULL CHECK (bits BETWEEN 0 AND 65535),"
	  "  keytag INTEGER NOT NULL CHECK (keytag BETWEEN 0 AND 65535),"
	  "  flags INTEGER NOT NULL CHECK (flags BETWEEN 0 AND 65535),"
	  "  p11_id TEXT,"          /* NULL when the key has no CKA_ID */
	  "  label TEXT NOT NULL DEFAULT '',"
	  "  dnskey BLOB NOT NULL,"
	  /* RFC 7583 timing points, Unix seconds, NULL when unset */
	  "  created INTEGER,"
	  "  publish INTEGER,"
	  "  active INTEGER,"
	  "  inactive INTEGER,"
	  "  delete_at INTEGER,"
	  "  ds_publish INTEGER,"
	  "  ds_withdraw INTEGER,"
	  "  revoke INTEGER,"
	  "  UNIQUE (zone, p11_id)"
	  ");"
	  "CREATE INDEX keys_by_zone ON keys (zone, created, id);"
	  "CREATE TABLE audit ("
	  "  seq INTEGER PRIMARY KEY,"
	  "  time INTEGER NOT NULL,"
	  "  user TEXT NOT NULL,"
	  "  command TEXT NOT NULL,"
	  "  event TEXT NOT NULL,"
	  "  zone TEXT NOT NULL,"
	  "  keytag INTEGER,"       /* NULL when the entry names no key */
	  "  outcome TEXT NOT NULL,"
	  "  detail TEXT NOT NULL,"
	  "  prev TEXT NOT NULL,"
	  "  hash TEXT NOT NULL"
	  ");"
	  "INSERT INTO meta (key, value) VALUES ('schema_version', 0),"
	  "  ('audit_count', 0), ('audit_head', '');" },
};

_Static_assert(ZTK_ARRAY_LEN(migrations) == ZTK_KEYDB_SCHEMA,
	"one migration step per schema version");
_Static_assert(ZTK_T_COUNT == 8, "KEY_COLS lists eight timing points");

/* Column order matches struct ztk_key_rec and enum ztk_key_time. */
#define KEY_COLS "zone, role, alg, bits, keytag, flags, p11_id, label, " \
	"dnskey, created, publish, active, inactive, delete_at, ds_publish, " \
	"ds_withdraw, revoke"
#define KEY_TIME_COL 10         /* first timing column after "id, " */

#define AUDIT_COLS "seq, time, user, command, event, zone, keytag, " \
	"outcome, detail, prev, hash"

/* ---- names ------------------------------------------------------------ */

static const char *const role_names[] = {
	[ZTK_ROLE_KSK] = "KSK",
	[ZTK_ROLE_ZSK] = "ZSK",
	[ZTK_ROLE_CSK] = "CSK",
};

static const char *const time_names[ZTK_T_COUNT] = {
	[ZTK_T_CREATED] = "created",
	[ZTK_T_PUBLISH] = "publish",
	[ZTK_T_ACTIVE] = "active",
	[ZTK_T_INACTIVE] = "inactive",
	[ZTK_T_DELETE] = "delete",
	[ZTK_T_DS_PUBLISH] = "ds-publish",
	[ZTK_T_DS_WITHDRAW] = "ds-withdraw",
	[ZTK_T_REVOKE] = "revoke",
};

const char *
ztk_role_name(int role)
{
	if (role < 0 || (size_t)role >= ZTK_ARRAY_LEN(role_names))
		return NULL;
	return role_names[role];
}

int
ztk_role_from_text(const char *text)
{
	if (text == NULL)
		return 0;
	for (size_t i = 0; i < ZTK_ARRAY_LEN(role_names); i++)
		if (role_names[i] && strcasecmp(text, role_names[i]) == 0)
			return (int)i;
	return 0;
}

const char *
ztk_key_time_name(int which)
{
	if (which < 0 || which >= ZTK_T_COUNT)
		return NULL;
	return time_names[which];
}

int
ztk_key_time_from_text(const char *text)
{
	if (text == NULL)
		return -1;
	for (int i = 0; i < ZTK_T_COUNT; i++)
		if (strcasecmp(text, time_names[i]) == 0)
			return i;
	return -1;
}

/* ---- errors ----------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void
say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (buf == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int
code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ZTK_EBUSY;
	case SQLITE_NOMEM:
		return ZTK_ENOMEM;
	case SQLITE_CONSTRAINT:
		return rc == SQLITE_CONSTRAINT_UNIQUE ? ZTK_EEXIST : ZTK_EDB;
	default:
		return ZTK_EDB;
	}
}

/* Record SQLite's message for the call that just failed with rc. */
ZTK_COLD static int
fail(struct ztk_keydb *db, int rc, const char *what)
{
	say(db->err, sizeof db->err, "%s: %s", what, sqlite3_errmsg(db->h));
	db->rc = rc;
	return code_of(rc);
}

static int
errno_code(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
	case EROFS:
		return ZTK_EACCES;
	case ENOENT:
	case ENOTDIR:
		return ZTK_ENOENT;
	case ENOMEM:
		return ZTK_ENOMEM;
	default:
		return ZTK_EIO;
	}
}

const char *
ztk_keydb_errmsg(const ztk_keydb *db)
{
	if (db == NULL)
		return "no key store";
	return db->err[0] ? db->err : "not an error";
}

/* ---- statements ------------------------------------------------------- */

static int
exec(struct ztk_keydb *db, const char *sql, const char *what)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(db, rc, what);
}

static int
prep(struct ztk_keydb *db, const char *sql, sqlite3_stmt **st,
	const char *what)
{
	int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		*st = NULL;
		return fail(db, rc, what);
	}
	return 0;
}

/* Step a statement that returns no rows, then finalize it. */
static int
run(struct ztk_keydb *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_DONE ? 0 : fail(db, rc, what);

	sqlite3_finalize(st);
	return r;
}

/* A text column: NULL reads as "", a copy that does not fit is damage. */
static int
col_copy(struct ztk_keydb *db, sqlite3_stmt *st, int col, char *dst,
	size_t size, const char *what)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);

	if (s == NULL) {
		if (sqlite3_column_type(st, col) != SQLITE_NULL)
			return ZTK_ENOMEM;
		n = 0;
	}
	if (n >= size) {
		say(db->err, sizeof db->err, "stored %s is %zu bytes, more "
			"than %zu", what, n, size - 1);
		return ZTK_EDB;
	}
	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* ---- open, close, transactions ---------------------------------------- */

/*
 * Create the file ourselves so that it is born 0600 whatever the umask
 * (SQLite would use 0644 less the umask).  SQLite gives the -wal and -shm
 * files the mode of the database file.
 */
static int
create_file(const char *path, char *why, size_t whylen)
{
	struct stat sb;
	int fd, e;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (fchmod(fd, 0600) != 0) {
			e = errno;
			close(fd);
			say(why, whylen, "cannot set mode 0600 on %s: %s",
				path, strerror(e));
			return errno_code(e);
		}
		/* closed before SQLite opens it: closing any descriptor
		 * of a file drops the process's POSIX locks on it */
		close(fd);
		return 0;
	}
	e = errno;
	if (e != EEXIST) {
		say(why, whylen, "cannot create key store %s: %s", path,
			strerror(e));
		return errno_code(e);
	}
	if (stat(path, &sb) != 0) {
		e = errno;
		say(why, whylen, "key store %s: %s", path, strerror(e));
		return errno_code(e);
	}
	if (!S_ISREG(sb.st_mode)) {
		say(why, whylen, "key store %s is not a regular file", path);
		return ZTK_EDB;
	}
	return 0;
}

/*
 * The schema version of the open file: 0 for an empty file, else the one
 * in meta.  Anything else is not ours.
 */
static int
read_version(struct ztk_keydb *db, const char *path, int64_t *version,
	char *why, size_t whylen)
{
	sqlite3_stmt *st;
	int rc, r;
	int64_t objects, has_meta;

	r = prep(db, "SELECT (SELECT count(*) FROM sqlite_master),"
		" (SELECT count(*) FROM sqlite_master"
		"  WHERE type = 'table' AND name = 'meta')", &st, "open");
	if (r == 0 && (rc = sqlite3_step(st)) != SQLITE_ROW)
		r = fail(db, rc, "open");
	if (r) {
		sqlite3_finalize(st);
		if ((db->rc & 0xff) == SQLITE_NOTADB)
			say(why, whylen, "%s is not an SQLite database", path);
		else
			say(why, whylen, "key store %s: %s", path, db->err);
		return r;
	}
	objects = sqlite3_column_int64(st, 0);
	has_meta = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	if (objects == 0) {
		*version = 0;
		return 0;
	}
	if (!has_meta) {
		say(why, whylen, "%s is an SQLite database but not a ztk key "
			"store (it has no meta table)", path);
		return ZTK_EDB;
	}

	r = prep(db, "SELECT value FROM meta WHERE key = 'schema_version'",
		&st, "open");
	if (r) {
		say(why, whylen, "%s is not a ztk key store (%s)", path,
			db->err);
		return ZTK_EDB;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
		*version = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (*version >= 1)
			return 0;
		say(why, whylen, "key store %s: schema version %" PRId64
			" is not valid", path, *version);
		return ZTK_EDB;
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		say(why, whylen, "%s is not a ztk key store (%s)", path,
			rc == SQLITE_ROW ? "its schema_version is not a number"
			: "its meta table has no schema_version");
		return ZTK_EDB;
	}
	r = fail(db, rc, "open");
	sqlite3_finalize(st);
	say(why, whylen, "key store %s: %s", path, db->err);
	return r;
}

static int
refuse_newer(int64_t version, char *why, size_t whylen)
{
	say(why, whylen, "key store schema version %" PRId64 " is newer "
		"than this ztk (%d); upgrade ztk", version, ZTK_KEYDB_SCHEMA);
	return ZTK_EDB;
}

static int64_t
elapsed_ms(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - t0->tv_sec) * 1000 +
		(now.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Switching to WAL needs an exclusive lock, and SQLite does not call the
 * busy handler where waiting could deadlock (two processes opening a new
 * store at once), so this one statement waits by itself.
 */
static int
set_wal(struct ztk_keydb *db, const char *path, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	const unsigned char *mode;
	struct timespec t0;
	int rc, r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = prep(db, "PRAGMA journal_mode = WAL", &st, "journal mode");
	if (r == 0) {
		while ((rc = sqlite3_step(st)) != SQLITE_ROW &&
		    (rc & 0xff) == SQLITE_BUSY &&
		    elapsed_ms(&t0) < BUSY_TIMEOUT_MS) {
			sqlite3_reset(st);
			sqlite3_sleep(10);
		}
		if (rc != SQLITE_ROW) {
			r = fail(db, rc, "journal mode");
		} else {
			mode = sqlite3_column_text(st, 0);
			if (mode == NULL ||
			    strcasecmp((const char *)mode, "wal") != 0) {
				say(db->err, sizeof db->err, "journal mode: "
					"cannot use a WAL journal here (mode "
					"stays %s)", mode ? (const char *)mode
					: "unknown");
				r = ZTK_EDB;
			}
		}
		sqlite3_finalize(st);
	}
	if (r)
		say(why, whylen, "key store %s: %s", path, db->err);
	return r;
}

/* Bring the schema to ZTK_KEYDB_SCHEMA inside one write transaction. */
static int
migrate(struct ztk_keydb *db, const char *path, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	int64_t version;
	int r;

	r = exec(db, "BEGIN IMMEDIATE", "migrate");
	if (r) {
		say(why, whylen, "key store %s: %s", path, db->err);
		return r;
	}
	/* again under the write lock: another process may have done it */
	r = read_version(db, path, &version, why, whylen);
	if (r)
		goto out;
	if (version > ZTK_KEYDB_SCHEMA) {
		r = refuse_newer(version, why, whylen);
		goto out;
	}
	for (size_t i = 0; i < ZTK_ARRAY_LEN(migrations); i++) {
		if (migrations[i].to <= version)
			continue;
		r = exec(db, migrations[i].sql, "migrate");
		if (r == 0)
			r = prep(db, "UPDATE meta SET value = ?1"
				" WHERE key = 'schema_version'", &st,
				"migrate");
		if (r == 0) {
			sqlite3_bind_int(st, 1, migrations[i].to);
			r = run(db, st, "migrate");
		}
		if (r) {
			say(why, whylen, "key store %s: migration to schema "
				"version %d failed: %s", path, migrations[i].to,
				db->err);
			goto out;
		}
	}
	r = exec(db, "COMMIT", "migrate");
	if (r)
		say(why, whylen, "key store %s: %s", path, db->err);
out:
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

int
ztk_keydb_open(const char *path, ztk_keydb **out, char *why, size_t whylen)
{
	struct ztk_keydb *db;
	int64_t version;
	int rc, r;

	if (why && whylen)
		why[0] = '\0';
	if (out == NULL || path == NULL || path[0] == '\0') {
		say(why, whylen, "no key store path");
		if (out)
			*out = NULL;
		return ZTK_EINVAL;
	}
	*out = NULL;
	r = create_file(path, why, whylen);
	if (r)
		return r;
	db = calloc(1, sizeof *db);
	if (db == NULL) {
		say(why, whylen, "out of memory");
		return ZTK_ENOMEM;
	}
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		say(why, whylen, "key store %s: %s", path, db->h ?
			sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		r = code_of(rc);
		goto fail;
	}
	if (sqlite3_db_readonly(db->h, "main") == 1) {
		say(why, whylen, "key store %s is not writable", path);
		r = ZTK_EACCES;
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	/* a planted trigger or view must not run functions or writes */
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	/* identify the file before changing anything in it */
	r = read_version(db, path, &version, why, whylen);
	if (r)
		goto fail;
	if (version > ZTK_KEYDB_SCHEMA) {
		r = refuse_newer(version, why, whylen);
		goto fail;
	}
	/* synchronous=FULL: a commit is on disk, WAL included, when
	 * COMMIT returns, so a power cut cannot undo a key change */
	r = exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
		"open");
	if (r) {
		say(why, whylen, "key store %s: %s", path, db->err);
		goto fail;
	}
	r = set_wal(db, path, why, whylen);
	if (r)
		goto fail;
	if (version < ZTK_KEYDB_SCHEMA) {
		r = migrate(db, path, why, whylen);
		if (r)
			goto fail;
	}
	db->err[0] = '\0';
	*out = db;
	return 0;
fail:
	sqlite3_close(db->h);
	free(db);
	return r;
}

void
ztk_keydb_close(ztk_keydb *db)
{
	if (db == NULL)
		return;
	/* an open transaction is rolled back by SQLite */
	sqlite3_close(db->h);
	free(db);
}

int
ztk_keydb_begin(ztk_keydb *db)
{
	int rc;

	if (db == NULL)
		return ZTK_EINVAL;
	rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY) {
		say(db->err, sizeof db->err, "begin: another process holds "
			"the key store (waited %d s)", BUSY_TIMEOUT_MS / 1000);
		return ZTK_EBUSY;
	}
	return fail(db, rc, "begin");
}

int
ztk_keydb_commit(ztk_keydb *db)
{
	int r;

	if (db == NULL)
		return ZTK_EINVAL;
	r = exec(db, "COMMIT", "commit");
	/* never leave a failed transaction open for the next begin */
	if (r && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

void
ztk_keydb_rollback(ztk_keydb *db)
{
	if (db != NULL && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- keys ------------------------------------------------------------- */

static bool
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static int
check_times(struct ztk_keydb *db, const struct ztk_key_rec *rec)
{
	for (int i = 0; i < ZTK_T_COUNT; i++)
		if (rec->t[i] < 0) {
			say(db->err, sizeof db->err, "timing point %s is "
				"negative", time_names[i]);
			return ZTK_EINVAL;
		}
	if (rec->dnskey_len > ZTK_KEY_DNSKEY_MAX) {
		say(db->err, sizeof db->err, "DNSKEY RDATA of %u bytes is "
			"over %d", rec->dnskey_len, ZTK_KEY_DNSKEY_MAX);
		return ZTK_EINVAL;
	}
	return 0;
}

static int
check_rec(struct ztk_keydb *db, const struct ztk_key_rec *rec)
{
	if (!terminated(rec->zone, sizeof rec->zone) || rec->zone[0] == '\0' ||
	    !terminated(rec->p11_id, sizeof rec->p11_id) ||
	    !terminated(rec->label, sizeof rec->label)) {
		say(db->err, sizeof db->err, "key record: zone missing or "
			"a text field not terminated");
		return ZTK_EINVAL;
	}
	if (ztk_role_name(rec->role) == NULL) {
		say(db->err, sizeof db->err, "key record: role %d is not "
			"KSK, ZSK or CSK", rec->role);
		return ZTK_EINVAL;
	}
	return check_times(db, rec);
}

static void
bind_times(sqlite3_stmt *st, int first, const int64_t t[ZTK_T_COUNT])
{
	for (int i = 0; i < ZTK_T_COUNT; i++) {
		if (t[i] == 0)
			sqlite3_bind_null(st, first + i);
		else
			sqlite3_bind_int64(st, first + i, t[i]);
	}
}

/* A DNSKEY of length 0 is stored as an empty blob, not NULL. */
static void
bind_dnskey(sqlite3_stmt *st, int col, const struct ztk_key_rec *rec)
{
	sqlite3_bind_blob(st, col, rec->dnskey, rec->dnskey_len,
		SQLITE_STATIC);
}

int
ztk_keydb_insert(ztk_keydb *db, struct ztk_key_rec *rec)
{
	sqlite3_stmt *st;
	int r;

	if (db == NULL || rec == NULL)
		return ZTK_EINVAL;
	r = check_rec(db, rec);
	if (r)
		return r;
	r = prep(db, "INSERT INTO keys (" KEY_COLS ") VALUES (?1, ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
		&st, "insert key");
	if (r)
		return r;
	sqlite3_bind_text(st, 1, rec->zone, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, rec->role);
	sqlite3_bind_int(st, 3, rec->alg);
	sqlite3_bind_int(st, 4, rec->bits);
	sqlite3_bind_int(st, 5, rec->keytag);
	sqlite3_bind_int(st, 6, rec->flags);
	/* no CKA_ID is NULL, so several such keys do not collide */
	if (rec->p11_id[0])
		sqlite3_bind_text(st, 7, rec->p11_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_text(st, 8, rec->label, -1, SQLITE_STATIC);
	bind_dnskey(st, 9, rec);
	bind_times(st, 10, rec->t);
	r = run(db, st, "insert key");
	if (r == 0)
		rec->id = sqlite3_last_insert_rowid(db->h);
	return r;
}

int
ztk_keydb_update(ztk_keydb *db, const struct ztk_key_rec *rec)
{
	sqlite3_stmt *st;
	int r;

	if (db == NULL || rec == NULL)
		return ZTK_EINVAL;
	r = check_times(db, rec);
	if (r)
		return r;
	r = prep(db, "UPDATE keys SET flags = ?1, keytag = ?2, dnskey = ?3,"
		" created = ?4, publish = ?5, active = ?6, inactive = ?7,"
		" delete_at = ?8, ds_publish = ?9, ds_withdraw = ?10,"
		" revoke = ?11 WHERE id = ?12", &st, "update key");
	if (r)
		return r;
	sqlite3_bind_int(st, 1, rec->flags);
	sqlite3_bind_int(st, 2, rec->keytag);
	bind_dnskey(st, 3, rec);
	bind_times(st, 4, rec->t);
	sqlite3_bind_int64(st, 12, rec->id);
	r = run(db, st, "update key");
	if (r == 0 && sqlite3_changes(db->h) == 0) {
		say(db->err, sizeof db->err, "update key: no key with id %"
			PRId64, rec->id);
		r = ZTK_ENOENT;
	}
	return r;
}

int
ztk_keydb_delete(ztk_keydb *db, int64_t id)
{
	sqlite3_stmt *st;
	int r;

	if (db == NULL)
		return ZTK_EINVAL;
	r = prep(db, "DELETE FROM keys WHERE id = ?1", &st, "delete key");
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	r = run(db, st, "delete key");
	if (r == 0 && sqlite3_changes(db->h) == 0) {
		say(db->err, sizeof db->err, "delete key: no key with id %"
			PRId64, id);
		r = ZTK_ENOENT;
	}
	return r;
}

static int
col_int(struct ztk_keydb *db, sqlite3_stmt *st, int col, int64_t lo,
	int64_t hi, int64_t *v)
{
	*v = sqlite3_column_int64(st, col);
	if (*v < lo || *v > hi) {
		const char *name = sqlite3_column_name(st, col);

		say(db->err, sizeof db->err, "key %" PRId64 ": stored %s %"
			PRId64 " is out of range",
			(int64_t)sqlite3_column_int64(st, 0),
			name ? name : "value", *v);
		return ZTK_EDB;
	}
	return 0;
}

/* Decode a row of "id, " KEY_COLS into rec. */
static int
read_key(struct ztk_keydb *db, sqlite3_stmt *st, struct ztk_key_rec *rec)
{
	int64_t role, alg, bits, keytag, flags;
	const void *blob;
	int n, r;

	memset(rec, 0, sizeof *rec);
	rec->id = sqlite3_column_int64(st, 0);
	if ((r = col_copy(db, st, 1, rec->zone, sizeof rec->zone, "zone")) ||
	    (r = col_int(db, st, 2, 1, 3, &role)) ||
	    (r = col_int(db, st, 3, 0, 255, &alg)) ||
	    (r = col_int(db, st, 4, 0, 65535, &bits)) ||
	    (r = col_int(db, st, 5, 0, 65535, &keytag)) ||
	    (r = col_int(db, st, 6, 0, 65535, &flags)) ||
	    (r = col_copy(db, st, 7, rec->p11_id, sizeof rec->p11_id,
		"PKCS#11 id")) ||
	    (r = col_copy(db, st, 8, rec->label, sizeof rec->label, "label")))
		return r;
	rec->role = (int)role;
	rec->alg = (uint8_t)alg;
	rec->bits = (uint16_t)bits;
	rec->keytag = (uint16_t)keytag;
	rec->flags = (uint16_t)flags;
	blob = sqlite3_column_blob(st, 9);
	n = sqlite3_column_bytes(st, 9);
	if (n > ZTK_KEY_DNSKEY_MAX) {
		say(db->err, sizeof db->err, "key %" PRId64 ": stored DNSKEY "
			"of %d bytes is over %d", rec->id, n,
			ZTK_KEY_DNSKEY_MAX);
		return ZTK_EDB;
	}
	if (n > 0 && blob == NULL)
		return ZTK_ENOMEM;
	if (n > 0)
		memcpy(rec->dnskey, blob, (size_t)n);
	rec->dnskey_len = (uint16_t)n;
	for (int i = 0; i < ZTK_T_COUNT; i++)
		rec->t[i] = sqlite3_column_int64(st, KEY_TIME_COL + i);
	return 0;
}

int
ztk_keydb_get(ztk_keydb *db, int64_t id, struct ztk_key_rec *rec)
{
	sqlite3_stmt *st;
	int rc, r;

	if (db == NULL || rec == NULL)
		return ZTK_EINVAL;
	r = prep(db, "SELECT id, " KEY_COLS " FROM keys WHERE id = ?1", &st,
		"get key");
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r = read_key(db, st, rec);
	} else if (rc == SQLITE_DONE) {
		say(db->err, sizeof db->err, "get key: no key with id %"
			PRId64, id);
		r = ZTK_ENOENT;
	} else {
		r = fail(db, rc, "get key");
	}
	sqlite3_finalize(st);
	return r;
}

int
ztk_keydb_list(ztk_keydb *db, const char *zone,
	int (*cb)(void *ctx, const struct ztk_key_rec *rec), void *ctx)
{
	struct ztk_key_rec rec;
	sqlite3_stmt *st;
	int rc, r;

	if (db == NULL || cb == NULL)
		return ZTK_EINVAL;
	if (zone) {
		r = prep(db, "SELECT id, " KEY_COLS " FROM keys"
			" WHERE zone = ?1 ORDER BY zone, created, id", &st,
			"list keys");
		if (r == 0)
			sqlite3_bind_text(st, 1, zone, -1, SQLITE_STATIC);
	} else {
		r = prep(db, "SELECT id, " KEY_COLS " FROM keys"
			" ORDER BY zone, created, id", &st, "list keys");
	}
	if (r)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = read_key(db, st, &rec);
		if (r == 0)
			r = cb(ctx, &rec);
		if (r)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(db, rc, "list keys");
	sqlite3_finalize(st);
	return r;
}

/* ---- audit trail ------------------------------------------------------ */

struct span {
	const char *p;
	size_t n;
};

struct audit_row {
	int64_t seq, time, keytag;
	struct span user, command, event, zone, outcome, detail, prev, hash;
};

static struct span
span_of(const char *s)
{
	return (struct span){ s ? s : "", s ? strlen(s) : 0 };
}

static bool
span_is(struct span a, const char *s)
{
	size_t n = strlen(s);

	return a.n == n && memcmp(a.p, s, n) == 0;
}

/*
 * The hash of an entry: lowercase hex SHA-256 over
 *
 *   field("ztk-audit-1") field(prev) field(seq) field(time) field(user)
 *   field(command) field(event) field(zone) field(keytag) field(outcome)
 *   field(detail)
 *
 * where field(x) is the 4-octet big-endian length of x followed by its
 * octets, and seq, time and keytag are written in decimal ASCII (keytag -1
 * when the entry names no key).  The length prefixes make the encoding
 * injective, so no two different entries share a preimage by moving text
 * from one field to the next.
 */
static int
chain_hash(const struct audit_row *r, char out[HASH_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	char seq[24], tim[24], tag[24];
	struct span f[11];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	uint8_t len[4];
	EVP_MD_CTX *ctx;
	int ok;

	snprintf(seq, sizeof seq, "%" PRId64, r->seq);
	snprintf(tim, sizeof tim, "%" PRId64, r->time);
	snprintf(tag, sizeof tag, "%" PRId64, r->keytag);
	f[0] = span_of("ztk-audit-1");
	f[1] = r->prev;
	f[2] = span_of(seq);
	f[3] = span_of(tim);
	f[4] = r->user;
	f[5] = r->command;
	f[6] = r->event;
	f[7] = r->zone;
	f[8] = span_of(tag);
	f[9] = r->outcome;
	f[10] = r->detail;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return ZTK_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (size_t i = 0; ok && i < ZTK_ARRAY_LEN(f); i++) {
		if (f[i].n > UINT32_MAX) {
			ok = 0;
			break;
		}
		ztk_put32(len, (uint32_t)f[i].n);
		ok = EVP_DigestUpdate(ctx, len, sizeof len) &&
			EVP_DigestUpdate(ctx, f[i].p, f[i].n);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return ZTK_ECRYPTO;
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[HASH_HEX] = '\0';
	return 0;
}

/* The head of the chain as meta records it. */
struct head {
	bool present;           /* both rows are there */
	bool sound;             /* count >= 0, hash "" or 64 characters */
	int64_t count;
	char hash[HASH_HEX + 1];
};

static int
read_head(struct ztk_keydb *db, struct head *hd)
{
	const unsigned char *s;
	sqlite3_stmt *st;
	size_t n;
	int rc, r;

	memset(hd, 0, sizeof *hd);
	r = prep(db, "SELECT"
		" (SELECT value FROM meta WHERE key = 'audit_count'),"
		" (SELECT value FROM meta WHERE key = 'audit_head')", &st,
		"audit head");
	if (r)
		return r;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		r = fail(db, rc, "audit head");
	} else if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_type(st, 1) != SQLITE_NULL) {
		hd->present = true;
		hd->count = sqlite3_column_int64(st, 0);
		s = sqlite3_column_text(st, 1);
		n = (size_t)sqlite3_column_bytes(st, 1);
		if (s == NULL) {
			r = ZTK_ENOMEM;
		} else if (n == HASH_HEX || n == 0) {
			memcpy(hd->hash, s, n);
			hd->hash[n] = '\0';
			hd->sound = hd->count >= 0 &&
				sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
				(n == 0) == (hd->count == 0);
		}
	}
	sqlite3_finalize(st);
	return r;
}

/* Insert row after the head and move the head; row->prev points to head. */
static int
append(struct ztk_keydb *db, struct audit_row *row, char head[HASH_HEX + 1],
	char hash[HASH_HEX + 1])
{
	struct head hd;
	sqlite3_stmt *st;
	int r;

	r = read_head(db, &hd);
	if (r)
		return r;
	if (!hd.present || !hd.sound) {
		say(db->err, sizeof db->err, "audit: the head of the trail "
			"in meta is %s; run an audit verify", hd.present ?
			"damaged" : "missing");
		return ZTK_EDB;
	}
	/* chain to the recorded head, not to the last row: if the newest
	 * rows were removed, the gap stays visible */
	memcpy(head, hd.hash, sizeof hd.hash);
	row->seq = hd.count + 1;
	row->prev = (struct span){ head, strlen(head) };
	r = chain_hash(row, hash);
	if (r)
		return r;

	r = prep(db, "INSERT INTO audit (" AUDIT_COLS ") VALUES (?1, ?2, ?3,"
		" ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &st, "audit");
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, row->seq);
	sqlite3_bind_int64(st, 2, row->time);
	sqlite3_bind_text(st, 3, row->user.p, (int)row->user.n, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->command.p, (int)row->command.n,
		SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->event.p, (int)row->event.n,
		SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->zone.p, (int)row->zone.n, SQLITE_STATIC);
	if (row->keytag < 0)
		sqlite3_bind_null(st, 7);
	else
		sqlite3_bind_int64(st, 7, row->keytag);
	sqlite3_bind_text(st, 8, row->outcome.p, (int)row->outcome.n,
		SQLITE_STATIC);
	sqlite3_bind_text(st, 9, row->detail.p, (int)row->detail.n,
		SQLITE_STATIC);
	sqlite3_bind_text(st, 10, head, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, hash, -1, SQLITE_STATIC);
	r = run(db, st, "audit");
	if (r)
		return r;

	r = prep(db, "UPDATE meta SET value = CASE key"
		" WHEN 'audit_count' THEN ?1 ELSE ?2 END"
		" WHERE key IN ('audit_count', 'audit_head')", &st,
		"audit head");
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, row->seq);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	r = run(db, st, "audit head");
	if (r == 0 && sqlite3_changes(db->h) != 2) {
		say(db->err, sizeof db->err, "audit: the head of the trail "
			"is missing from meta");
		r = ZTK_EDB;
	}
	return r;
}

int
ztk_keydb_audit(ztk_keydb *db, struct ztk_audit_entry *e)
{
	struct audit_row row;
	char head[HASH_HEX + 1], hash[HASH_HEX + 1];
	bool own;
	int r;

	if (db == NULL || e == NULL || e->keytag < -1 || e->keytag > 65535 ||
	    e->time < 0)
		return ZTK_EINVAL;
	memset(&row, 0, sizeof row);
	row.time = e->time ? e->time : (int64_t)time(NULL);
	row.keytag = e->keytag;
	row.user = span_of(e->user);
	row.command = span_of(e->command);
	row.event = span_of(e->event);
	row.zone = span_of(e->zone);
	row.outcome = span_of(e->outcome);
	row.detail = span_of(e->detail);
	if (row.user.n > INT32_MAX || row.command.n > INT32_MAX ||
	    row.event.n > INT32_MAX || row.zone.n > INT32_MAX ||
	    row.outcome.n > INT32_MAX || row.detail.n > INT32_MAX)
		return ZTK_ELIMIT;

	/* join the caller's transaction through a savepoint (so a failure
	 * here leaves it as it was), or make our own */
	own = sqlite3_get_autocommit(db->h) != 0;
	if (own)
		r = ztk_keydb_begin(db);
	else
		r = exec(db, "SAVEPOINT ztk_audit", "audit");
	if (r)
		return r;
	r = append(db, &row, head, hash);
	if (r == 0)
		r = own ? ztk_keydb_commit(db)
			: exec(db, "RELEASE ztk_audit", "audit");
	if (r) {
		if (own) {
			ztk_keydb_rollback(db);
		} else {
			sqlite3_exec(db->h, "ROLLBACK TO ztk_audit; "
				"RELEASE ztk_audit", NULL, NULL, NULL);
		}
		return r;
	}
	e->seq = row.seq;
	e->time = row.time;
	memcpy(e->prev, head, sizeof e->prev);
	memcpy(e->hash, hash, sizeof e->hash);
	return 0;
}

/* A text column as a span; NULL reads as "". */
static int
col_span(sqlite3_stmt *st, int col, struct span *sp)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (s == NULL) {
		if (sqlite3_column_type(st, col) != SQLITE_NULL)
			return ZTK_ENOMEM;
		*sp = span_of("");
		return 0;
	}
	*sp = (struct span){ (const char *)s,
		(size_t)sqlite3_column_bytes(st, col) };
	return 0;
}

/* Decode a row of AUDIT_COLS; spans live until the next step. */
static int
read_audit(sqlite3_stmt *st, struct audit_row *row)
{
	int r;

	row->seq = sqlite3_column_int64(st, 0);
	row->time = sqlite3_column_int64(st, 1);
	row->keytag = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1 :
		sqlite3_column_int64(st, 6);
	if ((r = col_span(st, 2, &row->user)) ||
	    (r = col_span(st, 3, &row->command)) ||
	    (r = col_span(st, 4, &row->event)) ||
	    (r = col_span(st, 5, &row->zone)) ||
	    (r = col_span(st, 7, &row->outcome)) ||
	    (r = col_span(st, 8, &row->detail)) ||
	    (r = col_span(st, 9, &row->prev)) ||
	    (r = col_span(st, 10, &row->hash)))
		return r;
	return 0;
}

static void
copy_hex(char dst[HASH_HEX + 1], struct span s)
{
	size_t n = s.n < HASH_HEX ? s.n : HASH_HEX;

	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

int
ztk_keydb_audit_list(ztk_keydb *db,
	int (*cb)(void *ctx, const struct ztk_audit_entry *e), void *ctx)
{
	struct ztk_audit_entry e;
	struct audit_row row;
	sqlite3_stmt *st;
	int rc, r;

	if (db == NULL || cb == NULL)
		return ZTK_EINVAL;
	r = prep(db, "SELECT " AUDIT_COLS " FROM audit ORDER BY seq", &st,
		"audit list");
	if (r)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = read_audit(st, &row);
		if (r)
			break;
		/* column text is NUL-terminated by SQLite */
		memset(&e, 0, sizeof e);
		e.seq = row.seq;
		e.time = row.time;
		e.keytag = row.keytag < -1 || row.keytag > 65535 ? -1 :
			(int)row.keytag;
		e.user = row.user.p;
		e.command = row.command.p;
		e.event = row.event.p;
		e.zone = row.zone.p;
		e.outcome = row.outcome.p;
		e.detail = row.detail.p;
		copy_hex(e.prev, row.prev);
		copy_hex(e.hash, row.hash);
		r = cb(ctx, &e);
		if (r)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(db, rc, "audit list");
	sqlite3_finalize(st);
	return r;
}

/*
 * Walk the chain in one read transaction.  The first problem found is the
 * one reported: a gap in seq, a prev that is not the hash of the entry
 * before, contents that do not hash to the stored hash, then the head in
 * meta against the last entry.
 */
static int
walk(struct ztk_keydb *db, int64_t *bad, char *why, size_t whylen)
{
	char last[HASH_HEX + 1] = "", calc[HASH_HEX + 1];
	struct audit_row row;
	struct head hd;
	sqlite3_stmt *st;
	int64_t expect = 1, n;
	int rc = SQLITE_DONE, r;

	r = read_head(db, &hd);
	if (r)
		return r;
	r = prep(db, "SELECT " AUDIT_COLS " FROM audit ORDER BY seq", &st,
		"audit verify");
	if (r)
		return r;
	while (*bad == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = read_audit(st, &row);
		if (r)
			break;
		if (row.seq > expect && expect == 1) {
			*bad = 1;
			say(why, whylen, "entry 1: missing (the trail starts "
				"at entry %" PRId64 "; removed)", row.seq);
		} else if (row.seq > expect) {
			*bad = expect;
			say(why, whylen, "entry %" PRId64 ": missing (entry %"
				PRId64 " follows entry %" PRId64 "; removed)",
				expect, row.seq, expect - 1);
		} else if (row.seq < expect) {
			*bad = row.seq;
			say(why, whylen, "entry %" PRId64 ": out of sequence "
				"(the trail starts at 1)", row.seq);
		} else if (!span_is(row.prev, last)) {
			*bad = row.seq;
			if (row.seq == 1)
				say(why, whylen, "entry 1: has a previous "
					"hash but is the first entry (entries "
					"before it were removed)");
			else
				say(why, whylen, "entry %" PRId64 ": does "
					"not chain to entry %" PRId64 " (an "
					"entry was removed, reordered or "
					"rewritten)", row.seq, row.seq - 1);
		} else {
			r = chain_hash(&row, calc);
			if (r)
				break;
			if (!span_is(row.hash, calc)) {
				*bad = row.seq;
				say(why, whylen, "entry %" PRId64
					": contents do not match its hash "
					"(edited after it was written)",
					row.seq);
			}
			memcpy(last, calc, sizeof last);
			expect++;
		}
	}
	if (r == 0 && *bad == 0 && rc != SQLITE_DONE)
		r = fail(db, rc, "audit verify");
	sqlite3_finalize(st);
	if (r || *bad)
		return r;

	n = expect - 1;         /* entries 1..n are intact */
	if (!hd.present) {
		*bad = n + 1;
		say(why, whylen, "entry %" PRId64 ": cannot be vouched for "
			"(the head of the trail was removed from meta)", n + 1);
	} else if (!hd.sound) {
		*bad = n ? n : 1;
		say(why, whylen, "entry %" PRId64 ": cannot be vouched for "
			"(the head of the trail in meta is damaged)", *bad);
	} else if (hd.count > n) {
		*bad = n + 1;
		say(why, whylen, "entry %" PRId64 ": missing (the trail ends "
			"at entry %" PRId64 " but its head records %" PRId64
			" entries; the newest were removed)", n + 1, n,
			hd.count);
	} else if (hd.count < n) {
		*bad = hd.count + 1;
		say(why, whylen, "entry %" PRId64 ": not covered by the head "
			"of the trail (head rolled back, or entry added "
			"outside ztk)", *bad);
	} else if (strcmp(hd.hash, last) != 0) {
		*bad = n;
		say(why, whylen, "entry %" PRId64 ": the head of the trail "
			"does not match it (head edited)", n);
	}
	return 0;
}

int
ztk_keydb_audit_verify(ztk_keydb *db, int64_t *bad_seq, char *why,
	size_t whylen)
{
	int64_t bad = 0;
	bool own;
	int r;

	if (why && whylen)
		why[0] = '\0';
	if (bad_seq)
		*bad_seq = 0;
	if (db == NULL)
		return ZTK_EINVAL;
	/* a read transaction: the head and the rows from one snapshot */
	own = sqlite3_get_autocommit(db->h) != 0;
	if (own && (r = exec(db, "BEGIN", "audit verify")) != 0)
		return r;
	r = walk(db, &bad, why, whylen);
	if (own)
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	if (r) {
		if (why && whylen)
			why[0] = '\0';
		return r;
	}
	if (bad_seq)
		*bad_seq = bad;
	return bad ? 1 : 0;
}
