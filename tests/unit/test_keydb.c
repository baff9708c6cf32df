/*
 * test_keydb.c - the key state store: file mode and schema, key round
 * trips, names, the audit chain and its tamper detection (each case on a
 * fresh database, tampered through SQLite directly), refusal of foreign and
 * newer files, and four processes writing at once.
 */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include <ztk/error.h>
#include <ztk/keydb.h>

#include "tap.h"

static char dir[1024];
static int seqno;

/* A fresh database path in the test directory. */
static const char *
fresh(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s-%d.db", dir, name, ++seqno);
	return buf;
}

static void
cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[2048];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Run SQL on the file behind ztk's back. */
static int
sql(const char *path, const char *stmt)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, stmt, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		printf("# sql %s: %s\n", stmt, h ? sqlite3_errmsg(h) : "?");
	sqlite3_close(h);
	return rc;
}

/* First column of the first row of a query, as text ("" if none). */
static void
sql_text(const char *path, const char *q, char *out, size_t len)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK &&
	    sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, len, "%s",
			(const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void
mkrec(struct ztk_key_rec *r, const char *zone, int role, const char *p11,
	int64_t created)
{
	memset(r, 0, sizeof *r);
	snprintf(r->zone, sizeof r->zone, "%s", zone);
	r->role = role;
	r->alg = 13;
	r->bits = 256;
	r->keytag = 12345;
	r->flags = role == ZTK_ROLE_ZSK ? 256 : 257;
	snprintf(r->p11_id, sizeof r->p11_id, "%s", p11);
	snprintf(r->label, sizeof r->label, "%s %s", zone, p11);
	r->dnskey_len = 68;
	for (int i = 0; i < r->dnskey_len; i++)
		r->dnskey[i] = (uint8_t)(i * 7 + role);
	r->t[ZTK_T_CREATED] = created;
	for (int i = 1; i < ZTK_T_COUNT; i++)
		r->t[i] = created + 1000 * i;
}

static int
same_rec(const struct ztk_key_rec *a, const struct ztk_key_rec *b)
{
	int same = a->id == b->id && strcmp(a->zone, b->zone) == 0 &&
		a->role == b->role && a->alg == b->alg &&
		a->bits == b->bits && a->keytag == b->keytag &&
		a->flags == b->flags && strcmp(a->p11_id, b->p11_id) == 0 &&
		strcmp(a->label, b->label) == 0 &&
		a->dnskey_len == b->dnskey_len &&
		memcmp(a->dnskey, b->dnskey, a->dnskey_len) == 0;

	for (int i = 0; i < ZTK_T_COUNT; i++)
		if (a->t[i] != b->t[i]) {
			printf("#   %s: %" PRId64 " != %" PRId64 "\n",
				ztk_key_time_name(i), a->t[i], b->t[i]);
			same = 0;
		}
	return same;
}

static int
mode_of(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

/* ---- schema and file -------------------------------------------------- */

static void
test_open(void)
{
	char p[1200], wal[1300], v[64], why[256];
	struct ztk_key_rec r;
	ztk_keydb *db = NULL;
	mode_t old;
	int rc;

	fresh(p, sizeof p, "open");
	old = umask(0);         /* a plain 0644 create would show here */
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	umask(old);
	is_int(rc, 0, "open creates the store (%s)", why);
	ok(db != NULL, "open returns a handle");
	is_int(mode_of(p), 0600, "store file is mode 0600 under umask 0");
	sql_text(p, "PRAGMA journal_mode", v, sizeof v);
	is_str(v, "wal", "journal mode is WAL");
	sql_text(p, "SELECT value FROM meta WHERE key = 'schema_version'", v,
		sizeof v);
	is_str(v, "1", "schema version 1 recorded in meta");
	sql_text(p, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
		" AND name IN ('keys', 'audit', 'meta')", v, sizeof v);
	is_str(v, "3", "keys, audit and meta tables exist");
	sql_text(p, "SELECT value FROM meta WHERE key = 'audit_count'", v,
		sizeof v);
	is_str(v, "0", "empty audit head");

	mkrec(&r, "example.com.", ZTK_ROLE_KSK, "01", 1700000000);
	is_int(ztk_keydb_insert(db, &r), 0, "insert into a new store");
	snprintf(wal, sizeof wal, "%s-wal", p);
	is_int(mode_of(wal), 0600, "WAL file is mode 0600 too");
	ztk_keydb_close(db);
	ztk_keydb_close(NULL);

	/* reopen keeps the data and the mode */
	db = NULL;
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	is_int(rc, 0, "reopen (%s)", why);
	struct ztk_key_rec g;
	is_int(ztk_keydb_get(db, r.id, &g), 0, "key survives reopen");
	ok(same_rec(&r, &g), "reopened key is identical");
	ztk_keydb_close(db);
	is_int(mode_of(p), 0600, "mode still 0600 after reopen");

	/* bad arguments */
	is_int(ztk_keydb_open("", &db, why, sizeof why), ZTK_EINVAL,
		"empty path refused");
	ok(db == NULL, "no handle on failure");
	snprintf(wal, sizeof wal, "%s/no/such/dir/keys.db", dir);
	is_int(ztk_keydb_open(wal, &db, why, sizeof why), ZTK_ENOENT,
		"missing directory: ZTK_ENOENT (%s)", why);
	is_int(ztk_keydb_open(dir, &db, why, sizeof why), ZTK_EDB,
		"a directory is refused (%s)", why);
}

static void
test_refuse(void)
{
	char p[1200], why[256], buf[2048], back[2048];
	ztk_keydb *db = (ztk_keydb *)&db;  /* must be reset to NULL */
	FILE *f;
	int rc;

	/* a text file */
	fresh(p, sizeof p, "text");
	f = fopen(p, "w");
	for (size_t i = 0; i + 32 < sizeof buf; i += 32)
		memcpy(buf + i, "this is not a database at all\n\n", 32);
	fwrite(buf, 1, sizeof buf - 32, f);
	fclose(f);
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	is_int(rc, ZTK_EDB, "non-SQLite file refused with ZTK_EDB");
	ok(db == NULL, "no handle for a non-SQLite file");
	ok(strstr(why, "not an SQLite database") != NULL,
		"why says not an SQLite database: %s", why);
	f = fopen(p, "r");
	ok(f && fread(back, 1, sizeof back, f) == sizeof buf - 32 &&
		memcmp(back, buf, sizeof buf - 32) == 0,
		"the refused file is left untouched");
	if (f)
		fclose(f);

	/* an SQLite database of someone else */
	fresh(p, sizeof p, "foreign");
	sql(p, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	is_int(rc, ZTK_EDB, "foreign SQLite database refused");
	ok(strstr(why, "not a ztk key store") != NULL,
		"why says not a ztk key store: %s", why);
	sql_text(p, "PRAGMA journal_mode", buf, sizeof buf);
	is_str(buf, "delete", "foreign database not switched to WAL");

	/* a meta table without our row */
	fresh(p, sizeof p, "foreignmeta");
	sql(p, "CREATE TABLE meta (key TEXT, value)");
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	is_int(rc, ZTK_EDB, "meta without schema_version refused (%s)", why);

	/* a newer ztk's store */
	fresh(p, sizeof p, "newer");
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	ztk_keydb_close(db);
	sql(p, "UPDATE meta SET value = 2 WHERE key = 'schema_version'");
	rc = ztk_keydb_open(p, &db, why, sizeof why);
	is_int(rc, ZTK_EDB, "newer schema version refused");
	ok(db == NULL, "no handle for a newer store");
	is_str(why, "key store schema version 2 is newer than this ztk (1); "
		"upgrade ztk", "why names both versions");
	sql_text(p, "SELECT value FROM meta WHERE key = 'schema_version'",
		buf, sizeof buf);
	is_str(buf, "2", "newer store left as it was");
}

/* ---- keys ------------------------------------------------------------- */

struct collect {
	int n, stop_at;
	int64_t ids[16];
	char zones[16][256];
};

static int
collect_cb(void *ctx, const struct ztk_key_rec *r)
{
	struct collect *c = ctx;

	if (c->n < 16) {
		c->ids[c->n] = r->id;
		snprintf(c->zones[c->n], sizeof c->zones[0], "%s", r->zone);
	}
	c->n++;
	return c->stop_at && c->n == c->stop_at ? 7 : 0;
}

static void
test_keys(void)
{
	char p[1200], why[256];
	struct ztk_key_rec a, b, c, d, d2, g;
	struct collect col;
	ztk_keydb *db = NULL;

	fresh(p, sizeof p, "keys");
	if (!ok(ztk_keydb_open(p, &db, why, sizeof why) == 0, "open (%s)",
	    why))
		return;

	mkrec(&a, "b.example.", ZTK_ROLE_KSK, "aa01", 1700000300);
	a.dnskey_len = ZTK_KEY_DNSKEY_MAX;     /* the largest blob */
	for (int i = 0; i < a.dnskey_len; i++)
		a.dnskey[i] = (uint8_t)(255 - i);
	a.dnskey[10] = 0;                        /* NULs survive */
	is_int(ztk_keydb_insert(db, &a), 0, "insert KSK");
	ok(a.id > 0, "insert assigns an id (%" PRId64 ")", a.id);
	is_int(ztk_keydb_get(db, a.id, &g), 0, "get it back");
	ok(same_rec(&a, &g), "all fields, timing points and DNSKEY round trip");

	/* unset timing points and an empty PKCS#11 id and DNSKEY */
	mkrec(&b, "b.example.", ZTK_ROLE_ZSK, "", 1700000100);
	for (int i = 1; i < ZTK_T_COUNT; i++)
		b.t[i] = 0;
	b.dnskey_len = 0;
	is_int(ztk_keydb_insert(db, &b), 0, "insert ZSK without CKA_ID");
	is_int(ztk_keydb_get(db, b.id, &g), 0, "get ZSK");
	ok(same_rec(&b, &g), "unset timing points stay 0, empty DNSKEY");
	mkrec(&g, "b.example.", ZTK_ROLE_ZSK, "", 1700000200);
	is_int(ztk_keydb_insert(db, &g), 0,
		"a second key without CKA_ID does not collide");
	is_int(ztk_keydb_delete(db, g.id), 0, "and goes again");

	/* duplicates */
	mkrec(&c, "b.example.", ZTK_ROLE_ZSK, "aa01", 1700000000);
	c.id = 0;
	is_int(ztk_keydb_insert(db, &c), ZTK_EEXIST,
		"same zone and PKCS#11 id: ZTK_EEXIST");
	ok(strstr(ztk_keydb_errmsg(db), "UNIQUE") != NULL,
		"errmsg carries SQLite's message: %s", ztk_keydb_errmsg(db));
	mkrec(&c, "a.example.", ZTK_ROLE_CSK, "aa01", 1700000500);
	is_int(ztk_keydb_insert(db, &c), 0, "same PKCS#11 id in another zone");
	mkrec(&d, "a.example.", ZTK_ROLE_KSK, "aa02", 1700000400);
	is_int(ztk_keydb_insert(db, &d), 0, "insert after a refused one");

	/* invalid records */
	mkrec(&g, "a.example.", ZTK_ROLE_KSK, "ff", 1);
	g.dnskey_len = ZTK_KEY_DNSKEY_MAX + 1;
	is_int(ztk_keydb_insert(db, &g), ZTK_EINVAL, "oversized DNSKEY");
	g.dnskey_len = 4;
	g.role = 9;
	is_int(ztk_keydb_insert(db, &g), ZTK_EINVAL, "unknown role");
	g.role = ZTK_ROLE_KSK;
	g.zone[0] = '\0';
	is_int(ztk_keydb_insert(db, &g), ZTK_EINVAL, "empty zone");

	/* update: flags, keytag, DNSKEY, timing points; nothing else */
	g = a;
	g.flags = 257 | 0x80;   /* REVOKE bit, RFC 5011 */
	g.keytag = 54321;
	g.dnskey_len = 5;
	memcpy(g.dnskey, "\1\2\3\4\5", 5);
	for (int i = 0; i < ZTK_T_COUNT; i++)
		g.t[i] = 1800000000 + i;
	g.t[ZTK_T_DS_WITHDRAW] = 0;
	snprintf(g.label, sizeof g.label, "changed");
	g.alg = 8;
	is_int(ztk_keydb_update(db, &g), 0, "update");
	is_int(ztk_keydb_get(db, a.id, &d2), 0, "get updated");
	snprintf(g.label, sizeof g.label, "%s", a.label);
	g.alg = a.alg;
	ok(same_rec(&g, &d2), "update rewrote flags, keytag, DNSKEY, times "
		"and kept the rest");
	g.id = 999999;
	is_int(ztk_keydb_update(db, &g), ZTK_ENOENT, "update missing key");

	/* list order: zone, then created, then id */
	memset(&col, 0, sizeof col);
	is_int(ztk_keydb_list(db, NULL, collect_cb, &col), 0, "list all");
	is_int(col.n, 4, "four keys");
	is_str(col.zones[0], "a.example.", "a.example. first");
	ok(col.ids[0] == d.id && col.ids[1] == c.id,
		"a.example. keys by creation time");
	ok(col.ids[2] == b.id && col.ids[3] == a.id,
		"b.example. keys by creation time (the update moved one)");
	memset(&col, 0, sizeof col);
	is_int(ztk_keydb_list(db, "a.example.", collect_cb, &col), 0,
		"list one zone");
	is_int(col.n, 2, "two keys in a.example.");
	memset(&col, 0, sizeof col);
	is_int(ztk_keydb_list(db, "nope.", collect_cb, &col), 0,
		"list an unknown zone");
	is_int(col.n, 0, "no keys");
	memset(&col, 0, sizeof col);
	col.stop_at = 2;
	is_int(ztk_keydb_list(db, NULL, collect_cb, &col), 7,
		"callback's non-zero is returned");
	is_int(col.n, 2, "and stops the walk");

	/* delete */
	is_int(ztk_keydb_delete(db, c.id), 0, "delete");
	is_int(ztk_keydb_get(db, c.id, &g), ZTK_ENOENT, "deleted key is gone");
	is_int(ztk_keydb_delete(db, c.id), ZTK_ENOENT, "delete twice");
	is_int(ztk_keydb_get(db, 424242, &g), ZTK_ENOENT, "get missing");

	/* a transaction rolled back leaves neither key nor audit entry */
	struct ztk_audit_entry e = { .user = "u", .command = "ztk-key create",
		.event = "create", .zone = "c.example.", .keytag = 1,
		.outcome = "ok" };
	int64_t bad = -1;
	mkrec(&g, "c.example.", ZTK_ROLE_CSK, "cc", 1700000000);
	is_int(ztk_keydb_begin(db), 0, "begin");
	is_int(ztk_keydb_insert(db, &g), 0, "insert inside");
	is_int(ztk_keydb_audit(db, &e), 0, "audit inside");
	is_int(e.seq, 1, "first audit entry");
	ztk_keydb_rollback(db);
	is_int(ztk_keydb_get(db, g.id, &d2), ZTK_ENOENT,
		"rolled-back key is gone");
	e.seq = 0;
	e.time = 0;
	is_int(ztk_keydb_audit(db, &e), 0, "audit on its own");
	is_int(e.seq, 1, "rolled-back audit entry left no gap");
	is_int(ztk_keydb_audit_verify(db, &bad, why, sizeof why), 0,
		"chain intact after a rollback");
	ztk_keydb_rollback(db);  /* no transaction: harmless */
	is_int(ztk_keydb_commit(db), ZTK_EDB, "commit without begin fails");
	is_int(ztk_keydb_begin(db), 0, "begin works after that");
	is_int(ztk_keydb_commit(db), 0, "commit");
	ztk_keydb_close(db);
}

static void
test_names(void)
{
	static const char *const times[] = { "created", "publish", "active",
		"inactive", "delete", "ds-publish", "ds-withdraw", "revoke" };

	is_str(ztk_role_name(ZTK_ROLE_KSK), "KSK", "KSK name");
	is_str(ztk_role_name(ZTK_ROLE_ZSK), "ZSK", "ZSK name");
	is_str(ztk_role_name(ZTK_ROLE_CSK), "CSK", "CSK name");
	ok(ztk_role_name(0) == NULL && ztk_role_name(4) == NULL &&
		ztk_role_name(-1) == NULL, "bad roles have no name");
	for (int r = ZTK_ROLE_KSK; r <= ZTK_ROLE_CSK; r++)
		is_int(ztk_role_from_text(ztk_role_name(r)), r,
			"role %s round trips", ztk_role_name(r));
	is_int(ztk_role_from_text("zsk"), ZTK_ROLE_ZSK, "role in any case");
	is_int(ztk_role_from_text("Csk"), ZTK_ROLE_CSK, "mixed case");
	is_int(ztk_role_from_text("KSKX"), 0, "bad role text");
	is_int(ztk_role_from_text(""), 0, "empty role text");
	is_int(ztk_role_from_text(NULL), 0, "NULL role text");

	is_int(ZTK_T_COUNT, 8, "eight timing points");
	for (int i = 0; i < ZTK_T_COUNT; i++) {
		is_str(ztk_key_time_name(i), times[i], "timing point %d name",
			i);
		is_int(ztk_key_time_from_text(times[i]), i, "%s round trips",
			times[i]);
	}
	ok(ztk_key_time_name(-1) == NULL &&
		ztk_key_time_name(ZTK_T_COUNT) == NULL,
		"bad timing points have no name");
	is_int(ztk_key_time_from_text("delete_at"), -1, "delete_at is not one");
	is_int(ztk_key_time_from_text("retire"), -1, "unknown timing point");
	is_int(ztk_key_time_from_text(NULL), -1, "NULL timing point");
}

/* ---- audit ------------------------------------------------------------ */

/* The documented serialisation, computed independently of keydb.c. */
static void
ref_hash(const char *prev, int64_t seq, int64_t t, const char *user,
	const char *command, const char *event, const char *zone,
	int64_t keytag, const char *outcome, const char *detail,
	char out[65])
{
	char s[3][32];
	const char *f[11];
	unsigned char md[32], len[4];
	unsigned int mdlen;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	snprintf(s[0], sizeof s[0], "%" PRId64, seq);
	snprintf(s[1], sizeof s[1], "%" PRId64, t);
	snprintf(s[2], sizeof s[2], "%" PRId64, keytag);
	f[0] = "ztk-audit-1";
	f[1] = prev;
	f[2] = s[0];
	f[3] = s[1];
	f[4] = user;
	f[5] = command;
	f[6] = event;
	f[7] = zone;
	f[8] = s[2];
	f[9] = outcome;
	f[10] = detail;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (int i = 0; i < 11; i++) {
		size_t n = strlen(f[i]);
		len[0] = (unsigned char)(n >> 24);
		len[1] = (unsigned char)(n >> 16);
		len[2] = (unsigned char)(n >> 8);
		len[3] = (unsigned char)n;
		EVP_DigestUpdate(ctx, len, 4);
		EVP_DigestUpdate(ctx, f[i], n);
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int
audit_n(ztk_keydb *db, int i)
{
	char detail[64];
	struct ztk_audit_entry e = { .user = "alice",
		.command = "ztk-key create", .event = "create",
		.zone = "example.com.", .keytag = 1000 + i, .outcome = "ok",
		.time = 1700000000 + i };

	snprintf(detail, sizeof detail, "entry number %d", i);
	e.detail = detail;
	return ztk_keydb_audit(db, &e);
}

/* A store with n audit entries, closed again. */
static int
build_trail(const char *path, int n)
{
	char why[256];
	ztk_keydb *db;
	int r = ztk_keydb_open(path, &db, why, sizeof why);

	for (int i = 1; r == 0 && i <= n; i++)
		r = audit_n(db, i);
	ztk_keydb_close(db);
	return r;
}

struct trail {
	int n;
	int ok;
	char last[65];
};

static int
trail_cb(void *ctx, const struct ztk_audit_entry *e)
{
	struct trail *t = ctx;

	t->n++;
	if (e->seq != t->n || strcmp(e->prev, t->last) != 0 ||
	    strlen(e->hash) != 64)
		t->ok = 0;
	snprintf(t->last, sizeof t->last, "%s", e->hash);
	return 0;
}

static void
test_audit(void)
{
	char p[1200], why[256], want[65];
	struct ztk_audit_entry e = { .user = "root",
		.command = "ztk-key create", .event = "create",
		.zone = "example.com.", .keytag = 4711, .outcome = "ok",
		.detail = "alg 13, CKA_ID 01", .time = 1700000000 };
	struct ztk_audit_entry e2 = { .keytag = -1 };  /* NULL strings */
	struct trail t = { 0, 1, "" };
	ztk_keydb *db = NULL;
	int64_t bad = -1;
	time_t before;

	fresh(p, sizeof p, "audit");
	if (!ok(ztk_keydb_open(p, &db, why, sizeof why) == 0, "open (%s)",
	    why))
		return;
	is_int(ztk_keydb_audit_verify(db, &bad, why, sizeof why), 0,
		"empty trail verifies");
	is_int(ztk_keydb_audit(db, &e), 0, "first entry");
	is_int(e.seq, 1, "seq 1");
	is_str(e.prev, "", "first prev is empty");
	ref_hash("", 1, 1700000000, "root", "ztk-key create", "create",
		"example.com.", 4711, "ok", "alg 13, CKA_ID 01", want);
	is_str(e.hash, want, "hash matches the documented serialisation");

	before = time(NULL);
	is_int(ztk_keydb_audit(db, &e2), 0, "entry with NULL strings");
	is_int(e2.seq, 2, "seq 2");
	ok(e2.time >= before && e2.time <= time(NULL) + 1,
		"time 0 becomes now");
	is_str(e2.prev, e.hash, "prev is the hash of entry 1");
	ref_hash(e.hash, 2, e2.time, "", "", "", "", -1, "", "", want);
	is_str(e2.hash, want, "NULL strings hash as empty ones");

	/* length prefixes: moving text between fields changes the hash */
	struct ztk_audit_entry x = e, y = e;
	x.user = "ab";
	x.command = "c";
	y.user = "a";
	y.command = "bc";
	x.time = y.time = 1;
	is_int(ztk_keydb_audit(db, &x), 0, "entry 3");
	is_int(ztk_keydb_audit(db, &y), 0, "entry 4");
	ref_hash(x.hash, 4, 1, "a", "bc", "create", "example.com.", 4711,
		"ok", "alg 13, CKA_ID 01", want);
	is_str(y.hash, want, "entry 4 hash");
	ref_hash(x.prev, 4, 1, "a", "bc", "create", "example.com.", 4711,
		"ok", "alg 13, CKA_ID 01", want);
	ok(strcmp(want, x.hash) != 0, "\"ab\"+\"c\" and \"a\"+\"bc\" differ");

	struct ztk_audit_entry z = e;
	z.keytag = 65536;
	is_int(ztk_keydb_audit(db, &z), ZTK_EINVAL, "keytag out of range");

	is_int(ztk_keydb_audit_list(db, trail_cb, &t), 0, "audit list");
	is_int(t.n, 4, "four entries listed");
	ok(t.ok, "listed entries chain by seq and prev");
	is_int(ztk_keydb_audit_verify(db, &bad, why, sizeof why), 0,
		"trail verifies");
	is_int(bad, 0, "no bad entry");
	ztk_keydb_close(db);

	/* the head continues across reopen */
	if (ztk_keydb_open(p, &db, why, sizeof why) == 0) {
		is_int(audit_n(db, 5), 0, "append after reopen");
		is_int(ztk_keydb_audit_verify(db, &bad, why, sizeof why), 0,
			"still verifies");
		ztk_keydb_close(db);
	}
}

/* Tamper with a fresh 5-entry trail and expect verify to point at want. */
static void
tamper(const char *name, const char *stmt, int64_t want, const char *word)
{
	char p[1200], why[256];
	ztk_keydb *db;
	int64_t bad = -1;
	int rc;

	fresh(p, sizeof p, "tamper");
	if (!ok(build_trail(p, 5) == 0, "%s: build trail", name))
		return;
	if (!ok(sql(p, stmt) == SQLITE_OK, "%s: tamper", name))
		return;
	if (!ok(ztk_keydb_open(p, &db, why, sizeof why) == 0,
	    "%s: reopen (%s)", name, why))
		return;
	rc = ztk_keydb_audit_verify(db, &bad, why, sizeof why);
	is_int(rc, 1, "%s: verify reports damage", name);
	is_int(bad, want, "%s: first bad entry", name);
	char lead[32];
	snprintf(lead, sizeof lead, "entry %" PRId64 ": ", want);
	ok(strncmp(why, lead, strlen(lead)) == 0 && strstr(why, word) &&
		strchr(why, '\n') == NULL, "%s: why: %s", name, why);
	ztk_keydb_close(db);
}

static void
test_tamper(void)
{
	char p[1200], forged[65], prev[65], stmt[512], why[256];

	tamper("edit", "UPDATE audit SET detail = 'nothing to see' "
		"WHERE seq = 2", 2, "edited");
	tamper("remove middle", "DELETE FROM audit WHERE seq = 3", 3,
		"missing");
	tamper("remove last", "DELETE FROM audit WHERE seq = 5", 5,
		"removed");
	tamper("edit head hash", "UPDATE meta SET value = '"
		"00000000000000000000000000000000"
		"00000000000000000000000000000000"
		"' WHERE key = 'audit_head'", 5, "head");
	tamper("roll back head count", "UPDATE meta SET value = 4 "
		"WHERE key = 'audit_count'", 5, "head");
	tamper("remove head", "DELETE FROM meta WHERE key = 'audit_head'", 6,
		"head");
	tamper("malformed head", "UPDATE meta SET value = 'abc' "
		"WHERE key = 'audit_head'", 5, "damaged");
	tamper("remove first", "DELETE FROM audit WHERE seq = 1", 1,
		"missing");
	tamper("remove and renumber", "DELETE FROM audit WHERE seq = 3;"
		"UPDATE audit SET seq = seq - 1 WHERE seq > 3;"
		"UPDATE meta SET value = 4 WHERE key = 'audit_count'", 3,
		"chain");
	tamper("swap contents", "UPDATE audit SET detail = CASE seq "
		"WHEN 2 THEN 'entry number 3' ELSE 'entry number 2' END "
		"WHERE seq IN (2, 3)", 2, "edited");
	tamper("forge prev", "UPDATE audit SET prev = hash WHERE seq = 4", 4,
		"chain");

	/* rewrite entry 2 and its hash consistently: entry 3 no longer
	 * chains to it */
	fresh(p, sizeof p, "rehash");
	build_trail(p, 5);
	sql_text(p, "SELECT prev FROM audit WHERE seq = 2", prev, sizeof prev);
	ref_hash(prev, 2, 1700000002, "alice", "ztk-key create", "create",
		"example.com.", 1002, "ok", "forged", forged);
	snprintf(stmt, sizeof stmt, "UPDATE audit SET detail = 'forged', "
		"hash = '%s' WHERE seq = 2", forged);
	sql(p, stmt);
	ztk_keydb *db;
	int64_t bad = -1;
	if (ok(ztk_keydb_open(p, &db, why, sizeof why) == 0, "rehash: open")) {
		is_int(ztk_keydb_audit_verify(db, &bad, why, sizeof why), 1,
			"rehashed entry: verify reports damage");
		is_int(bad, 3, "rehashed entry: the next one breaks (%s)",
			why);
		ztk_keydb_close(db);
	}
}

/* A damaged head stops new entries rather than chaining to garbage. */
static void
test_damaged_head(void)
{
	char p[1200], why[256];
	struct ztk_audit_entry e = { .event = "x", .keytag = -1 };
	ztk_keydb *db;

	fresh(p, sizeof p, "damaged");
	build_trail(p, 2);
	sql(p, "UPDATE meta SET value = 'abc' WHERE key = 'audit_head'");
	if (!ok(ztk_keydb_open(p, &db, why, sizeof why) == 0,
	    "damaged head: open"))
		return;
	is_int(ztk_keydb_audit(db, &e), ZTK_EDB, "damaged head: append "
		"refused (%s)", ztk_keydb_errmsg(db));
	ok(!ztk_keydb_begin(db) && !ztk_keydb_commit(db),
		"damaged head: no transaction left open");
	ztk_keydb_close(db);
}

/* ---- concurrency ------------------------------------------------------ */

#define WRITERS 4
#define ROUNDS 50

static int
count_cb(void *ctx, const struct ztk_key_rec *r)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}

static int
audit_count_cb(void *ctx, const struct ztk_audit_entry *e)
{
	(void)e;
	++*(int *)ctx;
	return 0;
}

/* One writer process; its exit status names the step that failed. */
static int
writer(const char *path, int w)
{
	struct ztk_key_rec r;
	char why[256], id[32], zone[32];
	ztk_keydb *db;

	if (ztk_keydb_open(path, &db, why, sizeof why) != 0) {
		printf("# writer %d: %s\n", w, why);
		fflush(stdout);
		return 10;
	}
	for (int i = 0; i < ROUNDS; i++) {
		struct ztk_audit_entry e = { .user = "cron",
			.command = "ztk-key create", .event = "create",
			.outcome = "ok", .detail = "concurrent" };
		snprintf(zone, sizeof zone, "w%d.example.", w);
		snprintf(id, sizeof id, "%02x%02x", w, i);
		mkrec(&r, zone, ZTK_ROLE_ZSK, id, 1700000000 + i);
		e.zone = zone;
		e.keytag = i;
		if (ztk_keydb_begin(db) != 0) {
			ztk_keydb_close(db);
			return 11;
		}
		if (ztk_keydb_insert(db, &r) != 0 ||
		    ztk_keydb_audit(db, &e) != 0) {
			ztk_keydb_rollback(db);
			ztk_keydb_close(db);
			return 12;
		}
		if (ztk_keydb_commit(db) != 0) {
			ztk_keydb_close(db);
			return 13;
		}
	}
	ztk_keydb_close(db);
	return 0;
}

static void
run_writers(const char *name, const char *p)
{
	pid_t pids[WRITERS];
	char why[256];
	ztk_keydb *db;
	int n = 0, status, fails = 0;
	int64_t bad = -1;

	fflush(stdout);
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			_exit(writer(p, w));
	}
	for (int w = 0; w < WRITERS; w++) {
		if (pids[w] < 0 || waitpid(pids[w], &status, 0) != pids[w] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("# %s: writer %d failed (status %d)\n", name, w,
				pids[w] < 0 ? -1 : status);
			fails++;
		}
	}
	is_int(fails, 0, "%s: %d writers finished", name, WRITERS);
	if (!ok(ztk_keydb_open(p, &db, why, sizeof why) == 0, "%s: open",
	    name))
		return;
	is_int(ztk_keydb_list(db, NULL, count_cb, &n), 0, "%s: list", name);
	is_int(n, WRITERS * ROUNDS, "%s: every key is there", name);
	n = 0;
	ztk_keydb_audit_list(db, audit_count_cb, &n);
	is_int(n, WRITERS * ROUNDS, "%s: every audit entry is there", name);
	is_int(ztk_keydb_audit_verify(db, &bad, why, sizeof why), 0,
		"%s: audit chain verifies (%s)", name, why);
	ztk_keydb_close(db);
}

static void
test_concurrency(void)
{
	char p[1200], why[256];
	ztk_keydb *db;

	fresh(p, sizeof p, "shared");
	if (ok(ztk_keydb_open(p, &db, why, sizeof why) == 0, "create shared"))
		ztk_keydb_close(db);
	run_writers("existing store", p);
	/* and racing for the creation and migration of a new file */
	fresh(p, sizeof p, "race");
	run_writers("new store", p);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/ztk-keydb-XXXXXX",
		tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_open();
	test_refuse();
	test_keys();
	test_names();
	test_audit();
	test_tamper();
	test_damaged_head();
	test_concurrency();
	cleanup();
	return done_testing();
}
