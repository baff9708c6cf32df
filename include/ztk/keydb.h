/*
 * ztk/keydb.h - the key state store: key metadata, RFC 7583 timing points
 * and the audit trail, in one SQLite database (ZTK_HOME/keys.db).
 *
 * Why SQLite: every change must be atomic and two processes (a cron job and
 * an operator) must be serialised.  SQLite gives both (WAL journal, a busy
 * timeout, BEGIN IMMEDIATE) and survives a kill at any instant, which a
 * hand-written file format would have to re-invent.
 *
 * Writers wrap their changes in ztk_keydb_begin()/ztk_keydb_commit(), and
 * append the audit entry for the change inside the same transaction, so a
 * key never changes without its record, nor the other way round.
 */
#ifndef ZTK_KEYDB_H
#define ZTK_KEYDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/visibility.h>

typedef struct ztk_keydb ztk_keydb;

/* Current schema version; older databases are migrated on open. */
#define ZTK_KEYDB_SCHEMA 1

enum ztk_key_role {
	ZTK_ROLE_KSK = 1,
	ZTK_ROLE_ZSK = 2,
	ZTK_ROLE_CSK = 3,
};

/* "KSK", "ZSK", "CSK" (NULL if bad) and back (0 if bad, any case). */
ZTK_API const char *ztk_role_name(int role);
ZTK_API int ztk_role_from_text(const char *text);

/* RFC 7583 timing points (section 3.3 names in comments); 0 = unset. */
enum ztk_key_time {
	ZTK_T_CREATED = 0,      /* Generate */
	ZTK_T_PUBLISH,          /* Publish: DNSKEY goes into the zone */
	ZTK_T_ACTIVE,           /* Activate: key starts signing */
	ZTK_T_INACTIVE,         /* Retire: key stops signing */
	ZTK_T_DELETE,           /* Remove: DNSKEY leaves the zone */
	ZTK_T_DS_PUBLISH,       /* DS seen at the parent */
	ZTK_T_DS_WITHDRAW,      /* DS gone from the parent */
	ZTK_T_REVOKE,           /* RFC 5011 revoke bit set */
	ZTK_T_COUNT
};

/* "created", "publish", "active", "inactive", "delete", "ds-publish",
 * "ds-withdraw", "revoke" and back (-1 if bad). */
ZTK_API const char *ztk_key_time_name(int which);
ZTK_API int ztk_key_time_from_text(const char *text);

#define ZTK_KEY_DNSKEY_MAX 1024 /* DNSKEY RDATA of an RSA-4096 key fits */

struct ztk_key_rec {
	int64_t id;             /* row id; assigned by ztk_keydb_insert */
	char zone[256];         /* presentation form, lowercase, final dot */
	int role;               /* enum ztk_key_role */
	uint8_t alg;            /* DNSSEC algorithm number */
	uint16_t bits;
	uint16_t keytag;
	uint16_t flags;         /* DNSKEY flags */
	char p11_id[65];        /* CKA_ID in lowercase hex */
	char label[128];        /* CKA_LABEL */
	uint16_t dnskey_len;
	uint8_t dnskey[ZTK_KEY_DNSKEY_MAX]; /* DNSKEY RDATA (public key) */
	int64_t t[ZTK_T_COUNT]; /* Unix seconds; 0 = unset */
};

/*
 * Open (creating if needed, mode 0600) the store at path, set WAL and the
 * busy timeout, and migrate the schema.  On failure *out is NULL and a
 * one-line reason is in why.  ZTK_EDB for a database that is not ours or
 * from a newer ztk.
 */
ZTK_API int ztk_keydb_open(const char *path, ztk_keydb **out, char *why,
	size_t whylen);
ZTK_API void ztk_keydb_close(ztk_keydb *db);

/* Last SQLite message, for error lines. */
ZTK_API const char *ztk_keydb_errmsg(const ztk_keydb *db);

/* Write transaction (BEGIN IMMEDIATE: waits up to the busy timeout for
 * another writer, then ZTK_EBUSY). */
ZTK_API int ztk_keydb_begin(ztk_keydb *db);
/* Commit; on failure the transaction is rolled back, never left open. */
ZTK_API int ztk_keydb_commit(ztk_keydb *db);
ZTK_API void ztk_keydb_rollback(ztk_keydb *db);

/* Insert rec (rec->id is set).  ZTK_EEXIST if the zone already has a key
 * with the same PKCS#11 id. */
ZTK_API int ztk_keydb_insert(ztk_keydb *db, struct ztk_key_rec *rec);
/* Rewrite flags, keytag, DNSKEY and timing points of the key rec->id. */
ZTK_API int ztk_keydb_update(ztk_keydb *db, const struct ztk_key_rec *rec);
ZTK_API int ztk_keydb_delete(ztk_keydb *db, int64_t id);
ZTK_API int ztk_keydb_get(ztk_keydb *db, int64_t id, struct ztk_key_rec *rec);

/*
 * Call cb for every key of zone (all zones if NULL), ordered by zone, then
 * creation time, then id.  cb returns 0 to go on, non-zero to stop (that
 * value is returned).
 */
ZTK_API int ztk_keydb_list(ztk_keydb *db, const char *zone,
	int (*cb)(void *ctx, const struct ztk_key_rec *rec), void *ctx);

/* The audit trail. */
struct ztk_audit_entry {
	int64_t seq;            /* 1, 2, ... without gaps */
	int64_t time;           /* Unix seconds */
	const char *user;       /* OS user */
	const char *command;    /* "ztk-key create" */
	const char *event;      /* "create", "set-time", "pin-failed", ... */
	const char *zone;       /* "" if none */
	int keytag;             /* -1 if none */
	const char *outcome;    /* "ok" or "failed: <reason>" */
	const char *detail;     /* free text, never a secret; may be "" */
	char prev[65];          /* hex SHA-256 of the entry before ("" first) */
	char hash[65];          /* hex SHA-256 of prev and this entry's fields */
};

/* Append an entry (seq, time when 0, prev and hash are filled in).  Inside
 * an open transaction it joins it; otherwise it commits on its own. */
ZTK_API int ztk_keydb_audit(ztk_keydb *db, struct ztk_audit_entry *e);

/* Every entry in order; the entry's strings live only during cb. */
ZTK_API int ztk_keydb_audit_list(ztk_keydb *db,
	int (*cb)(void *ctx, const struct ztk_audit_entry *e), void *ctx);

/*
 * Recompute the chain.  Returns 0 if intact, 1 if not, with the sequence
 * number of the first bad entry in *bad_seq and a one-line reason in why
 * ("entry 7: contents do not match its hash (edited after it was
 * written)"); negative on
 * error.  A removed tail is caught by the head (count and last hash) that
 * the store keeps beside the table.
 */
ZTK_API int ztk_keydb_audit_verify(ztk_keydb *db, int64_t *bad_seq,
	char *why, size_t whylen);

#endif /* ZTK_KEYDB_H */
