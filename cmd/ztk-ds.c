/*
 * ztk-ds - DS, CDS and CDNSKEY records for a zone's key-signing keys, and
 * the parent-side check of a DS RRset replacement (RFC 7344, RFC 8078).
 *
 * Keys come from a zone file, a BIND K*.key file, standard input, or the
 * key store (public DNSKEY RDATA only: the HSM is never opened).  The DS
 * lines are the ones dnssec-dsfromkey prints, byte for byte, so the two
 * can be compared with diff.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <ztk/ztk.h>
#include <ztk/dnssec.h>
#include <ztk/dscheck.h>
#include <ztk/keydb.h>
#include <ztk/msg.h>
#include <ztk/resolver.h>
#include "common/cli.h"
#include "common/keyenv.h"
#include "common/servers.h"

enum { O_HELP, O_VERSION, O_DIGEST, O_ALLOW_SHA1, O_ALLOW_ZSK, O_CDS,
	O_CDNSKEY, O_DELETE, O_TTL, O_JSON, O_QUIET, O_ORIGIN, O_STORE, O_HOME,
	O_DB, O_NOW, O_CHECK_PARENT, O_PREFER_CDNSKEY, O_QUERY, O_SERVER };

static const struct cli_opt opts[] = {
	{ "help", 'h', false, NULL, "show this help and exit", O_HELP },
	{ "version", 'V', false, NULL, "show the version and exit", O_VERSION },
	{ "digest", 'a', true, "TYPE", "digest type: SHA-256 (default), "
		"SHA-384, SHA-1; repeatable", O_DIGEST },
	{ "allow-sha1", 0, false, NULL, "allow SHA-1 digests (RFC 8624 "
		"says MUST NOT)", O_ALLOW_SHA1 },
	{ "allow-zsk", 0, false, NULL, "make DS records for keys without "
		"the SEP bit too", O_ALLOW_ZSK },
	{ "cds", 0, false, NULL, "print CDS records instead of DS (RFC "
		"7344)", O_CDS },
	{ "cdnskey", 0, false, NULL, "print CDNSKEY records (RFC 7344)",
		O_CDNSKEY },
	{ "delete", 0, false, NULL, "print the RFC 8078 delete CDS and "
		"CDNSKEY records", O_DELETE },
	{ "ttl", 'T', true, "SECONDS", "TTL of the records printed (default: "
		"none)", O_TTL },
	{ "json", 0, false, NULL, "print JSON instead of zone file lines",
		O_JSON },
	{ "quiet", 'q', false, NULL, "no notes; with --check-parent only "
		"problems and the verdict", O_QUIET },
	{ "origin", 'o', true, "NAME", "the zone (default: the owner of the "
		"first DNSKEY)", O_ORIGIN },
	{ "store", 0, true, "ZONE", "take the zone's KSKs and CSKs from the "
		"key store", O_STORE },
	{ "home", 0, true, "DIR", "key store directory (default $ZTK_HOME)",
		O_HOME },
	{ "db", 0, true, "FILE", "key state database (default HOME/keys.db)",
		O_DB },
	{ "now", 0, true, "TIME", "check signatures at TIME, and decide which "
		"stored keys are deleted", O_NOW },
	{ "check-parent", 0, true, "DSFILE", "is replacing the DS RRset in "
		"DSFILE safe?", O_CHECK_PARENT },
	{ "prefer-cdnskey", 0, false, NULL, "check the CDNSKEY RRset even if "
		"there is a CDS RRset", O_PREFER_CDNSKEY },
	{ "query", 0, true, "ZONE", "ask DNS servers for the zone's DNSKEY "
		"(and CDS, CDNSKEY) RRsets", O_QUERY },
	{ "server", 0, true, "ADDRESS", "server for --query (repeatable; "
		"default: /etc/resolv.conf)", O_SERVER },
};

#define RRSET_MAX 4096  /* records of one RRset we read */

struct ds_cli {
	uint8_t digests[4];
	size_t ndig;
	bool allow_sha1, allow_zsk, cds, cdnskey, del, json, quiet;
	bool prefer_cdnskey, have_ttl;
	unsigned long ttl;
	const char *origin, *store, *home, *db, *now_text, *parent, *query;
	int64_t now;
	struct cli_servers servers;
};

/* Where a record came from, and for stored keys what the store says. */
struct rrloc {
	char *file;
	uint32_t line, col;
	int role;               /* enum ztk_key_role; 0 from a file */
	bool published;         /* stored key: in the zone now */
	uint8_t *owner;         /* RRSIGs: their owner (others: NULL) */
};

struct rrlist {
	struct ztk_rdata_ref *v;
	struct rrloc *loc;
	size_t n, cap;
};

struct scan_ctx {
	bool parent;            /* collect DS; otherwise DNSKEY/CDS/CDNSKEY */
	bool owner_fixed;       /* owner given: skip other owners quietly */
	bool have_owner;
	uint8_t owner[ZTK_DNAME_MAX];
	uint32_t first_line;
	bool other_owner;
	char other[2 * ZTK_DNAME_TEXT_MAX + 4200];
	struct rrlist *dnskey, *cds, *cdnskey, *ds;
	struct rrlist *rrsig;   /* over DNSKEY, CDS, CDNSKEY, any owner */
	bool signed_input;      /* an RRSIG was seen */
	unsigned errors;
	int fail;               /* CLI_EXIT_* to stop with, 0 if none */
	const char *top;        /* name of the top-level file in events */
};

/* Line numbers are the file's own (kept as a macro for the call sites). */
#define LINE(s, file, line) ((void)(s), (void)(file), (line))

static void
rrlist_clear(struct rrlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((void *)l->v[i].data);
		free(l->loc[i].file);
		free(l->loc[i].owner);
	}
	free(l->v);
	free(l->loc);
	memset(l, 0, sizeof *l);
}

/* Append a copy; 0, or CLI_EXIT_ENV (memory) / CLI_EXIT_USAGE (too many). */
static int
rrlist_add(struct rrlist *l, const uint8_t *rd, size_t len, const char *file,
	uint32_t line, uint32_t col)
{
	if (l->n == RRSET_MAX) {
		cli_error("%s:%u:%u: more than %d records in one RRset", file,
			line, col, RRSET_MAX);
		return CLI_EXIT_USAGE;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		void *v = realloc(l->v, cap * sizeof *l->v);
		if (v == NULL)
			goto oom;
		l->v = v;
		void *loc = realloc(l->loc, cap * sizeof *l->loc);
		if (loc == NULL)
			goto oom;
		l->loc = loc;
		l->cap = cap;
	}
	uint8_t *copy = malloc(len ? len : 1);
	char *f = strdup(file ? file : "");
	if (copy == NULL || f == NULL) {
		free(copy);
		free(f);
		goto oom;
	}
	memcpy(copy, rd, len);
	l->v[l->n].data = copy;
	l->v[l->n].len = (uint16_t)len;
	l->loc[l->n] = (struct rrloc){ .file = f, .line = line, .col = col };
	l->n++;
	return 0;
oom:
	cli_error("out of memory");
	return CLI_EXIT_ENV;
}

static int
parse_now(const char *s, int64_t *out)
{
	/* What every ztk binary reads (now, now+30d, YYYYMMDD[HHMM[SS]],
	 * ISO 8601, @unix), and, as ztk-ds always did, bare Unix seconds:
	 * digits that are not a date's 8, 12 or 14. */
	unsigned long v;
	size_t len = strlen(s);
	if (len != 8 && len != 12 && len != 14 &&
	    cli_uint(s, 0xffffffffffUL, &v) == 0) {
		*out = (int64_t)v;
		return 0;
	}
	return cli_time(s, (int64_t)time(NULL), out);
}

static int
handle(void *ctx, int id, const char *arg)
{
	struct ds_cli *c = ctx;
	switch (id) {
	case O_HELP:
		cli_help(stdout, "[options] FILE [ORIGIN]\n       ztk-ds "
			"[options] --store ZONE\n       ztk-ds [options] "
			"--query ZONE [--server ADDRESS]...\n       ztk-ds "
			"--delete [--cds | --cdnskey] NAME",
			"Print DS records (or CDS, CDNSKEY) for a zone's "
			"key-signing keys, read from a\nzone file or K*.key file "
			"(\"-\" for standard input), from the key store, or\n"
			"live from DNS servers.  Signatures in the input are "
			"checked.\n"
			"With --check-parent, say whether the parent may replace "
			"its DS RRset by\nthe one the child's CDS/CDNSKEY (or SEP "
			"keys) ask for.", opts,
			sizeof opts / sizeof opts[0]);
		exit(cli_finish(CLI_EXIT_OK));
	case O_VERSION:
		cli_version();
		exit(cli_finish(CLI_EXIT_OK));
	case O_DIGEST: {
		int d = ztk_digest_from_text(arg);
		if (d < 0) {
			cli_error("--digest takes SHA-256, SHA-384 or SHA-1, "
				"not \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		bool seen = false;
		for (size_t i = 0; i < c->ndig; i++)
			seen |= c->digests[i] == d;
		if (!seen && c->ndig < sizeof c->digests)
			c->digests[c->ndig++] = (uint8_t)d;
		break;
	}
	case O_ALLOW_SHA1: c->allow_sha1 = true; break;
	case O_ALLOW_ZSK: c->allow_zsk = true; break;
	case O_CDS: c->cds = true; break;
	case O_CDNSKEY: c->cdnskey = true; break;
	case O_DELETE: c->del = true; break;
	case O_TTL:
		if (cli_uint(arg, 2147483647UL, &c->ttl)) {
			cli_error("--ttl takes a number of seconds from 0 to "
				"2147483647, not \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->have_ttl = true;
		break;
	case O_JSON: c->json = true; break;
	case O_QUIET: c->quiet = true; break;
	case O_ORIGIN: c->origin = arg; break;
	case O_STORE: c->store = arg; break;
	case O_HOME: c->home = arg; break;
	case O_DB: c->db = arg; break;
	case O_NOW:
		if (parse_now(arg, &c->now)) {
			cli_error("--now takes Unix seconds, YYYYMMDDHHMMSS "
				"or ISO 8601 (UTC), \"now\" or \"now+30d\", not "
				"\"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->now_text = arg;
		break;
	case O_CHECK_PARENT: c->parent = arg; break;
	case O_PREFER_CDNSKEY: c->prefer_cdnskey = true; break;
	case O_QUERY: c->query = arg; break;
	case O_SERVER: return cli_servers_add(&c->servers, arg);
	}
	return 0;
}

/* --- reading records -------------------------------------------------- */

static void
on_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct scan_ctx *s = ctx;
	if (ev->severity != ZTK_SEV_ERROR)
		return;
	s->errors++;
	if (ev->line > 0)
		cli_error("%s:%u:%u: %s", ev->file,
			LINE(s, ev->file, ev->line), ev->col, ev->message);
	else
		cli_error("%s", ev->message);
}

/* A DNSKEY or CDNSKEY RDATA that the scanner accepted but DNSSEC does
 * not: protocol other than 3, public key malformed for its algorithm. */
static const char *
key_problem(uint16_t type, const uint8_t *rd, size_t len, char *buf,
	size_t buflen)
{
	if (type == ZTK_TYPE_CDNSKEY && ztk_cdnskey_is_delete(rd, len))
		return NULL;
	if (len < 4)
		return "RDATA too short";
	if (rd[2] != 3) {
		snprintf(buf, buflen, "protocol is %u, not 3 (RFC 4034 "
			"2.1.2)", rd[2]);
		return buf;
	}
	const struct ztk_alg_info *a = ztk_alg_by_number(rd[3]);
	if (len == 4 || (a != NULL && ztk_dnskey_bits(rd, len) == 0)) {
		snprintf(buf, buflen, "the public key is malformed for "
			"algorithm %u (%s)", rd[3], a ? a->mnemonic : "?");
		return buf;
	}
	return NULL;
}

/* An RRSIG over DNSKEY, CDS or CDNSKEY, kept with its owner: the apex is
 * not always known yet (ldns sorts RRSIG before DNSKEY). */
static int
keep_rrsig(struct scan_ctx *s, const struct ztk_rr *rr)
{
	if (rr->rdlen < 2)
		return 0;
	uint16_t covered = (uint16_t)(rr->rdata[0] << 8 | rr->rdata[1]);
	if (covered != ZTK_TYPE_DNSKEY && covered != ZTK_TYPE_CDS &&
	    covered != ZTK_TYPE_CDNSKEY)
		return 0;
	int r = rrlist_add(s->rrsig, rr->rdata, rr->rdlen, rr->file,
		rr->line, rr->col);
	if (r == 0) {
		size_t ol = ztk_dname_len(rr->owner);
		uint8_t *o = malloc(ol);
		if (o == NULL) {
			cli_error("out of memory");
			r = CLI_EXIT_ENV;
		} else {
			memcpy(o, rr->owner, ol);
			s->rrsig->loc[s->rrsig->n - 1].owner = o;
		}
	}
	if (r) {
		s->fail = r;
		return 1;
	}
	return 0;
}

/* Move the records keep() accepts to the front, in order; returns their
 * count (the rest follow, still owned by the list). */
static size_t
rrlist_partition(struct rrlist *l, bool (*keep)(const struct rrloc *,
	const void *), const void *arg)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (!keep(&l->loc[i], arg))
			continue;
		struct ztk_rdata_ref v = l->v[i];
		struct rrloc lc = l->loc[i];
		l->v[i] = l->v[k];
		l->loc[i] = l->loc[k];
		l->v[k] = v;
		l->loc[k] = lc;
		k++;
	}
	return k;
}

static bool
owned_by(const struct rrloc *loc, const void *owner)
{
	return loc->owner != NULL && ztk_dname_equal(loc->owner, owner);
}

static bool
is_published(const struct rrloc *loc, const void *unused)
{
	(void)unused;
	return loc->published;
}

/* Drop the RRSIGs of owners other than the zone's. */
static void
rrsig_keep_owner(struct rrlist *l, const uint8_t *owner)
{
	size_t k = rrlist_partition(l, owned_by, owner);
	for (size_t i = k; i < l->n; i++) {
		free((void *)l->v[i].data);
		free(l->loc[i].file);
		free(l->loc[i].owner);
	}
	l->n = k;
}

static int
on_rr(void *ctx, const struct ztk_rr *rr)
{
	struct scan_ctx *s = ctx;
	struct rrlist *l;
	if (rr->type == ZTK_TYPE_RRSIG) {
		s->signed_input = true;
		return s->rrsig && !s->parent ? keep_rrsig(s, rr) : 0;
	}
	if (s->parent)
		l = rr->type == ZTK_TYPE_DS ? s->ds : NULL;
	else
		l = rr->type == ZTK_TYPE_DNSKEY ? s->dnskey :
			rr->type == ZTK_TYPE_CDS ? s->cds :
			rr->type == ZTK_TYPE_CDNSKEY ? s->cdnskey : NULL;
	if (l == NULL)
		return 0;
	if (!s->have_owner) {
		memcpy(s->owner, rr->owner, ztk_dname_len(rr->owner));
		s->have_owner = true;
		s->first_line = LINE(s, rr->file, rr->line);
	} else if (!ztk_dname_equal(s->owner, rr->owner)) {
		if (!s->owner_fixed && !s->other_owner) {
			char a[ZTK_DNAME_TEXT_MAX], b[ZTK_DNAME_TEXT_MAX];
			ztk_dname_print(s->owner, a);
			ztk_dname_print(rr->owner, b);
			snprintf(s->other, sizeof s->other, "%s:%u:%u: records "
				"for %s here, for %s at line %u: name the zone "
				"with ORIGIN or --origin", rr->file,
				LINE(s, rr->file, rr->line), rr->col, b, a,
				s->first_line);
			s->other_owner = true;
		}
		return 0;
	}
	if (rr->type == ZTK_TYPE_DNSKEY || rr->type == ZTK_TYPE_CDNSKEY) {
		char buf[160], tb[16];
		const char *why = key_problem(rr->type, rr->rdata, rr->rdlen,
			buf, sizeof buf);
		if (why != NULL) {
			cli_error("%s:%u:%u: bad %s record: %s", rr->file,
				LINE(s, rr->file, rr->line), rr->col,
				ztk_rrtype_name(rr->type, tb), why);
			s->errors++;
			return 0;
		}
	}
	int r = rrlist_add(l, rr->rdata, rr->rdlen, rr->file,
		LINE(s, rr->file, rr->line), rr->col);
	if (r) {
		s->fail = r;
		return 1;
	}
	return 0;
}

/*
 * The whole of path ("-": standard input) in memory.  A BIND K*.key file
 * has no TTL, which the scanner calls an error in a zone; the scan below
 * asks for ttl_optional, since the TTL of a DNSKEY does not enter its DS.
 */
#define INPUT_MAX ((size_t)1 << 31)

static int
slurp(const char *path, char **out, size_t *outlen)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		cli_error("cannot read %s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	int r = 0;
	if (buf == NULL)
		goto oom;
	for (;;) {
		if (len == cap) {
			if (cap >= INPUT_MAX) {
				cli_error("%s: larger than %zu octets", path,
					INPUT_MAX);
				r = CLI_EXIT_USAGE;
				goto out;
			}
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL)
				goto oom;
			buf = nb;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		cli_error("cannot read %s: %s", strcmp(path, "-") == 0 ?
			"<stdin>" : path, strerror(errno));
		r = CLI_EXIT_USAGE;
		goto out;
	}
	*out = buf;
	*outlen = len;
	buf = NULL;
	goto out;
oom:
	cli_error("out of memory");
	r = CLI_EXIT_ENV;
out:
	free(buf);
	if (f != stdin)
		fclose(f);
	return r;
}

/* Scan path; CLI_EXIT_* (0 when every record was read). */
static int
scan(const char *path, const uint8_t *origin, struct scan_ctx *s)
{
	char *buf = NULL;
	size_t len = 0;
	int r = slurp(path, &buf, &len);
	if (r)
		return r;
	s->top = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct ztk_scan_opts so = { .origin = origin, .on_rr = on_rr,
		.on_event = on_event, .ctx = s, .ttl_optional = true };
	r = ztk_scan_buffer(s->top, buf, len, &so, NULL);
	free(buf);
	if (s->fail)
		return s->fail;
	if (r == ZTK_ENOMEM) {
		cli_error("out of memory");
		return CLI_EXIT_ENV;
	}
	if (r != 0 && s->errors == 0) {
		cli_error("%s: %s", s->top, ztk_strerror(r));
		return CLI_EXIT_USAGE;
	}
	if (s->errors > 0)
		return CLI_EXIT_USAGE;
	if (s->other_owner) {
		cli_error("%s", s->other);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* --- the key store ---------------------------------------------------- */

struct store_ctx {
	struct rrlist *keys;
	const struct ds_cli *c;
	const char *db;
	int fail;
};

static int
on_key(void *ctx, const struct ztk_key_rec *rec)
{
	struct store_ctx *s = ctx;
	int64_t now = s->c->now;
	int64_t del = rec->t[ZTK_T_DELETE], pub = rec->t[ZTK_T_PUBLISH];
	if (del != 0 && del <= now)
		return 0;       /* gone from the zone */
	if (rec->dnskey_len < 4 || rec->dnskey_len > ZTK_KEY_DNSKEY_MAX)
		return 0;
	int r = rrlist_add(s->keys, rec->dnskey, rec->dnskey_len, s->db, 0, 0);
	if (r) {
		s->fail = r;
		return 1;
	}
	struct rrloc *loc = &s->keys->loc[s->keys->n - 1];
	loc->role = rec->role;
	loc->published = pub != 0 && pub <= now;
	return 0;
}

static int
read_store(const struct ds_cli *c, const char *zone, struct rrlist *keys)
{
	struct keyenv env = { 0 };
	env.opt_home = c->home;
	env.opt_db = c->db;
	if (keyenv_resolve(&env) != 0)
		return CLI_EXIT_ENV;
	struct stat st;
	if (stat(env.db, &st) != 0) {
		cli_error("no key store at %s: %s (ztk-key creates it; "
			"--home, --db or ZTK_HOME point elsewhere)", env.db,
			strerror(errno));
		return CLI_EXIT_ENV;
	}
	ztk_keydb *db = NULL;
	char why[512] = "";
	int r = ztk_keydb_open(env.db, &db, why, sizeof why);
	if (r != 0) {
		cli_error("%s: %s", env.db, why[0] ? why : ztk_strerror(r));
		return CLI_EXIT_ENV;
	}
	struct store_ctx s = { .keys = keys, .c = c, .db = env.db };
	r = ztk_keydb_list(db, zone, on_key, &s);
	if (r < 0 && !s.fail) {
		cli_error("%s: %s", env.db, ztk_keydb_errmsg(db));
		s.fail = CLI_EXIT_ENV;
	}
	ztk_keydb_close(db);
	return s.fail;
}

/* --- output ----------------------------------------------------------- */

static void
print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02X", p[i]);
}

/* One record as a zone file line, the way dnssec-dsfromkey prints it:
 * "owner [TTL ]IN TYPE rdata". */
static int
print_rr(const struct ds_cli *c, const char *owner, uint16_t type,
	const uint8_t *rd, size_t len)
{
	char text[8192], tb[16];
	if (ztk_rdata_to_text(type, rd, len, text, sizeof text) < 0) {
		cli_error("cannot print a %s record of %zu octets",
			ztk_rrtype_name(type, tb), len);
		return CLI_EXIT_ENV;
	}
	if (c->have_ttl)
		printf("%s %lu IN %s %s\n", owner, c->ttl,
			ztk_rrtype_name(type, tb), text);
	else
		printf("%s IN %s %s\n", owner, ztk_rrtype_name(type, tb), text);
	return 0;
}

/* Registrar form of a DS: {"owner","keyTag","algorithm","digestType",
 * "digest"}, digest in uppercase hex like BIND. */
static void
json_ds(const char *type, const char *owner, const uint8_t *rd, size_t len)
{
	printf("{");
	if (type)
		printf("\"type\":\"%s\",", type);
	printf("\"owner\":");
	ztk_json_string(stdout, owner);
	printf(",\"keyTag\":%u,\"algorithm\":%u,\"digestType\":%u,"
		"\"digest\":\"", (unsigned)(rd[0] << 8 | rd[1]), rd[2], rd[3]);
	print_hex(rd + 4, len - 4);
	printf("\"}");
}

/* {"type":"CDNSKEY","owner","flags","protocol","algorithm","publicKey"}
 * (the RFC 5910 keyData fields). */
static void
json_key(const char *owner, const uint8_t *rd, size_t len)
{
	char text[8192];
	const char *b64 = "";
	/* the printer gives "flags protocol alg base64" */
	if (ztk_rdata_to_text(ZTK_TYPE_CDNSKEY, rd, len, text, sizeof text) >= 0) {
		const char *p = text;
		for (int f = 0; f < 3 && p; f++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		b64 = p ? p : "";
	}
	printf("{\"type\":\"CDNSKEY\",\"owner\":");
	ztk_json_string(stdout, owner);
	printf(",\"flags\":%u,\"protocol\":%u,\"algorithm\":%u,"
		"\"publicKey\":", (unsigned)(rd[0] << 8 | rd[1]), rd[2], rd[3]);
	ztk_json_string(stdout, b64);
	printf("}");
}

/* --- making records --------------------------------------------------- */

static int
print_delete(const struct ds_cli *c, const char *owner)
{
	static const uint8_t cds[] = { 0, 0, 0, 0, 0 };
	static const uint8_t cdnskey[] = { 0, 0, 3, 0, 0 };
	bool want_cds = c->cds || !c->cdnskey;
	bool want_key = c->cdnskey || !c->cds;
	int r = 0;
	if (c->json) {
		printf("[");
		if (want_cds) {
			printf("\n ");
			json_ds("CDS", owner, cds, sizeof cds);
		}
		if (want_key) {
			printf("%s\n ", want_cds ? "," : "");
			json_key(owner, cdnskey, sizeof cdnskey);
		}
		printf("\n]\n");
		return 0;
	}
	if (want_cds)
		r = print_rr(c, owner, ZTK_TYPE_CDS, cds, sizeof cds);
	if (!r && want_key)
		r = print_rr(c, owner, ZTK_TYPE_CDNSKEY, cdnskey,
			sizeof cdnskey);
	return r;
}

static const char *
where(const struct rrloc *loc, char *buf, size_t len)
{
	if (loc->line > 0)
		snprintf(buf, len, "%s:%u:%u: ", loc->file, loc->line,
			loc->col);
	else
		snprintf(buf, len, "%s: ", loc->file);
	return buf;
}

/*
 * Pick the keys that get a DS: zone keys, not revoked, with the SEP bit
 * (or from the store: KSK and CSK), ZSKs only with --allow-zsk.  sel
 * receives borrowed references.  Returns the count, or -CLI_EXIT_* after
 * a message.
 */
static long
select_keys(const struct ds_cli *c, const struct rrlist *keys,
	struct ztk_rdata_ref *sel)
{
	size_t n = 0, zsk = 0, zsk_first = 0;
	char w[700];
	for (size_t i = 0; i < keys->n; i++) {
		const struct ztk_rdata_ref *k = &keys->v[i];
		const struct rrloc *loc = &keys->loc[i];
		uint16_t flags = (uint16_t)(k->data[0] << 8 | k->data[1]);
		uint16_t tag = ztk_keytag(k->data, k->len);
		if (!(flags & ZTK_DNSKEY_ZONE)) {
			if (!c->quiet)
				fprintf(stderr, "%s: %snote: skipping key %u: "
					"not a zone key (flags %u, RFC 4034 "
					"2.1.1)\n", cli_prog,
					where(loc, w, sizeof w), tag, flags);
			continue;
		}
		if (flags & ZTK_DNSKEY_REVOKE) {
			if (!c->quiet)
				fprintf(stderr, "%s: %snote: skipping revoked "
					"key %u (flags %u, RFC 5011)\n",
					cli_prog, where(loc, w, sizeof w), tag,
					flags);
			continue;
		}
		bool sep = loc->role ? loc->role != ZTK_ROLE_ZSK :
			(flags & ZTK_DNSKEY_SEP) != 0;
		if (!sep) {
			if (zsk++ == 0)
				zsk_first = i;
			if (!c->allow_zsk)
				continue;
		}
		sel[n++] = *k;
	}
	if (n == 0 && zsk > 0) {
		const struct ztk_rdata_ref *k = &keys->v[zsk_first];
		cli_error("%skey %u is a ZSK (flags %u, no SEP bit): refusing "
			"to make a DS for it; --allow-zsk does it anyway "
			"(ldns-key2ds prints nothing for a ZSK, "
			"dnssec-dsfromkey prints its DS without a word)",
			where(&keys->loc[zsk_first], w, sizeof w),
			ztk_keytag(k->data, k->len),
			(unsigned)(k->data[0] << 8 | k->data[1]));
		return -CLI_EXIT_FINDINGS;
	}
	if (n == 0) {
		cli_error("no usable key-signing key: nothing to make a DS "
			"from");
		return -CLI_EXIT_FINDINGS;
	}
	/* RFC 8624 3.1 verdicts, once per key */
	for (size_t i = 0; i < n; i++) {
		const struct ztk_alg_info *a = ztk_alg_by_number(sel[i].data[3]);
		uint16_t tag = ztk_keytag(sel[i].data, sel[i].len);
		if (a == NULL)
			fprintf(stderr, "%s: warning: key %u: algorithm %u is "
				"not one ztk knows; validators will treat the "
				"zone as insecure\n", cli_prog, tag,
				sel[i].data[3]);
		else if (a->why_not != NULL)
			/* MUST NOT, and the SHA-1 algorithms: the table's
			 * reason (RSASHA512 is signed with, so no word) */
			fprintf(stderr, "%s: warning: key %u, algorithm %s: "
				"%s\n", cli_prog, tag, a->mnemonic,
				a->why_not);
	}
	return (long)ztk_dscheck_canon(sel, n);
}

static int
generate(const struct ds_cli *c, const char *owner_text,
	const uint8_t *owner, const struct rrlist *keys)
{
	struct ztk_rdata_ref *sel = calloc(keys->n ? keys->n : 1, sizeof *sel);
	if (sel == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_ENV;
	}
	long n = select_keys(c, keys, sel);
	if (n < 0) {
		free(sel);
		return (int)-n;
	}
	bool want_ds = c->cds || !c->cdnskey;
	uint16_t dtype = c->cds ? ZTK_TYPE_CDS : ZTK_TYPE_DS;
	int r = 0, nout = 0;
	if (c->json)
		printf("[");
	for (long i = 0; want_ds && i < n && !r; i++) {
		for (size_t d = 0; d < c->ndig && !r; d++) {
			uint8_t ds[4 + 64];
			int len = ztk_ds_from_dnskey(owner, sel[i].data,
				sel[i].len, c->digests[d], ds, sizeof ds);
			if (len < 0) {
				cli_error("key %u: cannot make a DS: %s",
					ztk_keytag(sel[i].data, sel[i].len),
					ztk_strerror(len));
				r = CLI_EXIT_ENV;
				break;
			}
			if (c->json) {
				printf("%s\n ", nout++ ? "," : "");
				json_ds(c->cds ? "CDS" : NULL, owner_text, ds,
					(size_t)len);
			} else {
				r = print_rr(c, owner_text, dtype, ds,
					(size_t)len);
			}
		}
	}
	for (long i = 0; c->cdnskey && i < n && !r; i++) {
		if (c->json) {
			printf("%s\n ", nout++ ? "," : "");
			json_key(owner_text, sel[i].data, sel[i].len);
		} else {
			r = print_rr(c, owner_text, ZTK_TYPE_CDNSKEY,
				sel[i].data, sel[i].len);
		}
	}
	if (c->json && !r)
		printf("\n]\n");
	free(sel);
	return r;
}

/* --- live input (--query) --------------------------------------------- */

/*
 * Ask the servers for the zone's RRset of type (RD, DO and CD set: we
 * check the signatures ourselves) and append its RDATA to out and the
 * RRSIGs over it to c's rrsig list.  0, or an exit status after a
 * message: CLI_EXIT_ENV when no server gave an answer (timeout, network,
 * SERVFAIL, REFUSED), CLI_EXIT_FINDINGS when the zone does not exist or,
 * with required, has no such RRset.
 */
static int
query_rrset(const struct ds_cli *c, const uint8_t *zone,
	const char *zone_text, uint16_t type, bool required, struct rrlist *out,
	struct rrlist *rrsig)
{
	struct ztk_query_opts qo = { .rd_bit = true, .do_bit = true,
		.cd_bit = true };
	struct ztk_msg *m = NULL;
	struct ztk_query_info info;
	char tb[16], who[ZTK_SERVER_TEXT_MAX], rb[16];
	const char *tn = ztk_rrtype_name(type, tb);
	int r = ztk_resolver_query(c->servers.v, c->servers.n, zone, type, &qo,
		&m, &info);
	if (r != 0) {
		cli_error("cannot get the %s RRset of %s: %s", tn, zone_text,
			info.reason[0] ? info.reason : ztk_strerror(r));
		return CLI_EXIT_ENV;
	}
	ztk_server_print(&c->servers.v[info.server], who);
	unsigned rcode = ztk_msg_header(m)->rcode;
	if (rcode != 0) {
		bool nx = rcode == 3;
		if (nx)
			cli_error("%s says NXDOMAIN for %s %s: the zone does not "
				"exist", who, zone_text, tn);
		else
			cli_error("%s answered %s %s with %s", who, zone_text, tn,
				ztk_rcode_name(rcode, rb));
		ztk_msg_free(m);
		return nx ? CLI_EXIT_FINDINGS : CLI_EXIT_ENV;
	}
	char src[ZTK_SERVER_TEXT_MAX + 16];
	snprintf(src, sizeof src, "answer from %s", who);
	const struct ztk_msg_rr *rrs;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &rrs);
	size_t before = out->n;
	struct scan_ctx sc = { .rrsig = rrsig };
	for (size_t i = 0; i < n && r == 0; i++) {
		struct ztk_rr rr = rrs[i].rr;
		rr.file = src;
		if (rr.rclass != ZTK_CLASS_IN || !ztk_dname_equal(rr.owner, zone))
			continue;
		if (rr.type == ZTK_TYPE_RRSIG) {
			if (rr.rdlen >= 2 && (rr.rdata[0] << 8 | rr.rdata[1]) ==
			    type && keep_rrsig(&sc, &rr))
				r = sc.fail;
			continue;
		}
		if (rr.type != type)
			continue;
		char buf[160];
		const char *why = type == ZTK_TYPE_DS || type == ZTK_TYPE_CDS ?
			NULL : key_problem(type, rr.rdata, rr.rdlen, buf,
			sizeof buf);
		if (why != NULL) {
			cli_error("%s: record %u: bad %s record: %s", src,
				rr.line, tn, why);
			r = CLI_EXIT_USAGE;
			break;
		}
		r = rrlist_add(out, rr.rdata, rr.rdlen, src, rr.line, 0);
	}
	ztk_msg_free(m);
	if (r == 0 && required && out->n == before) {
		cli_error("%s has no %s RRset (%s)", zone_text, tn, src);
		r = CLI_EXIT_FINDINGS;
	}
	return r;
}

/*
 * A DS only helps if its key signs the DNSKEY RRset.  Quiet while some
 * key-signing key does (a standby key of a double-DS rollover need not);
 * when none does, a warning per key with its own reason (live or signed
 * input only).
 */
static void
warn_not_signing(const struct ds_cli *c, const uint8_t *owner,
	const struct rrlist *dnskey, const struct rrlist *rrsig)
{
	bool *ok = calloc(dnskey->n ? dnskey->n : 1, sizeof *ok);
	char why[320];
	if (ok == NULL)
		return;
	int n = ztk_rrset_signers(owner, NULL, ZTK_TYPE_DNSKEY, dnskey->v, dnskey->n,
		rrsig->v, rrsig->n, dnskey->v, dnskey->n, c->now, ok, why,
		sizeof why);
	bool sep_signs = false;
	for (size_t i = 0; n > 0 && i < dnskey->n; i++)
		sep_signs |= ok[i] && (dnskey->v[i].data[1] & ZTK_DNSKEY_SEP);
	for (size_t i = 0; n >= 0 && !sep_signs && i < dnskey->n; i++) {
		const struct ztk_rdata_ref *k = &dnskey->v[i];
		uint16_t fl = (uint16_t)(k->data[0] << 8 | k->data[1]);
		if (!(fl & ZTK_DNSKEY_SEP) || (fl & ZTK_DNSKEY_REVOKE) ||
		    !(fl & ZTK_DNSKEY_ZONE))
			continue;
		bool one;
		if (ztk_rrset_signers(owner, NULL, ZTK_TYPE_DNSKEY, dnskey->v,
		    dnskey->n, rrsig->v, rrsig->n, k, 1, c->now, &one, why,
		    sizeof why) < 0)
			break;
		fprintf(stderr, "%s: warning: key %u does not sign the DNSKEY "
			"RRset (%s): a DS for it leaves the zone bogus\n",
			cli_prog, ztk_keytag(k->data, k->len), why);
	}
	free(ok);
}

/* --- the parent-side check -------------------------------------------- */

static const char *const level_word[] = {
	[ZTK_DSC_OK] = "ok", [ZTK_DSC_NOTE] = "note",
	[ZTK_DSC_WARNING] = "warning", [ZTK_DSC_UNSAFE] = "unsafe",
};
static const char *const source_word[] = {
	[ZTK_DSC_FROM_CDS] = "CDS", [ZTK_DSC_FROM_CDNSKEY] = "CDNSKEY",
	[ZTK_DSC_FROM_DNSKEY] = "DNSKEY",
};
static const char *const verdict_word[] = {
	[ZTK_DSC_SAFE] = "safe", [ZTK_DSC_BREAKS] = "unsafe",
	[ZTK_DSC_INSECURE] = "insecure",
};

static void
json_ds_list(const char *owner, const struct ztk_rdata_ref *v, size_t n)
{
	size_t shown = 0;
	printf("[");
	for (size_t i = 0; i < n; i++) {
		if (v[i].len < 4)
			continue;
		printf("%s\n  ", shown++ ? "," : "");
		json_ds(NULL, owner, v[i].data, v[i].len);
	}
	printf("%s]", shown ? "\n " : "");
}

static int
check_parent(const struct ds_cli *c, const char *owner_text,
	const uint8_t *owner, const struct rrlist *dnskey,
	const struct rrlist *cds, const struct rrlist *cdnskey,
	const struct rrlist *ds, const struct ztk_rdata_ref *keys, size_t nkeys,
	const struct rrlist *rrsig, bool verify)
{
	struct ztk_dscheck_input in = { .owner = owner,
		.dnskey = dnskey->v, .n_dnskey = dnskey->n,
		.cds = cds->v, .n_cds = cds->n,
		.cdnskey = cdnskey->v, .n_cdnskey = cdnskey->n,
		.ds = ds->v, .n_ds = ds->n, .keys = keys, .n_keys = nkeys,
		.rrsig = rrsig ? rrsig->v : NULL, .n_rrsig = rrsig ? rrsig->n : 0,
		.verify = verify, .now = c->now };
	struct ztk_dscheck_opts o = { .digests = c->digests,
		.n_digests = c->ndig, .prefer_cdnskey = c->prefer_cdnskey };
	struct ztk_dscheck_report *rep = NULL;
	int r = ztk_dscheck_run(&in, &o, &rep);
	if (r != 0) {
		cli_error("cannot check: %s", ztk_strerror(r));
		return r == ZTK_ENOMEM ? CLI_EXIT_ENV : CLI_EXIT_USAGE;
	}
	if (c->json) {
		printf("{\"owner\":");
		ztk_json_string(stdout, owner_text);
		printf(",\"verdict\":\"%s\",\"source\":\"%s\","
			"\"signaturesVerified\":%s,\"unsafe\":%zu,"
			"\"warnings\":%zu,\n \"checks\":[",
			verdict_word[rep->verdict], source_word[rep->source],
			rep->signatures_verified ? "true" : "false",
			rep->n_unsafe, rep->n_warnings);
		size_t shown = 0;
		for (size_t i = 0; i < rep->n_items; i++) {
			const struct ztk_dscheck_item *it = &rep->items[i];
			printf("%s\n  {\"level\":\"%s\",\"id\":\"%s\"",
				shown++ ? "," : "", level_word[it->level],
				it->id);
			if (it->keytag >= 0)
				printf(",\"keyTag\":%d", it->keytag);
			if (it->alg >= 0)
				printf(",\"algorithm\":%d", it->alg);
			printf(",\"message\":");
			ztk_json_string(stdout, it->message);
			printf("}");
		}
		printf("\n ],\n \"currentDS\":");
		json_ds_list(owner_text, ds->v, ds->n);
		printf(",\n \"newDS\":");
		json_ds_list(owner_text, rep->new_ds, rep->n_new_ds);
		printf("\n}\n");
	} else {
		for (size_t i = 0; i < rep->n_items; i++) {
			const struct ztk_dscheck_item *it = &rep->items[i];
			if (c->quiet && it->level < ZTK_DSC_WARNING)
				continue;
			printf("%s: %s [%s]\n", level_word[it->level],
				it->message, it->id);
		}
		switch (rep->verdict) {
		case ZTK_DSC_SAFE:
			printf("verdict: safe: the parent may replace the %zu "
				"DS record%s of %s by the %zu proposed%s\n",
				ds->n, ds->n == 1 ? "" : "s", owner_text,
				rep->n_new_ds, rep->signatures_verified ?
				" (signatures verified)" :
				" (signatures not verified)");
			break;
		case ZTK_DSC_BREAKS:
			printf("verdict: unsafe: %zu problem%s; keep the "
				"current DS RRset of %s\n", rep->n_unsafe,
				rep->n_unsafe == 1 ? "" : "s", owner_text);
			break;
		case ZTK_DSC_INSECURE:
			printf("verdict: insecure: removing the DS RRset of %s "
				"turns DNSSEC validation off for the zone\n",
				owner_text);
			break;
		}
	}
	int status = rep->verdict == ZTK_DSC_SAFE ? CLI_EXIT_OK :
		CLI_EXIT_FINDINGS;
	ztk_dscheck_free(rep);
	return status;
}

/* --- main ------------------------------------------------------------- */

static int
parse_name(const char *text, uint8_t *out, const char *what)
{
	static const uint8_t root[1] = { 0 };
	const char *why = NULL;
	if (ztk_dname_parse(text, strlen(text), root, out, &why) < 0) {
		cli_error("bad %s \"%s\": %s", what, text, why ? why : "?");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static int
run(struct ds_cli *c, int nargs, char **args, struct rrlist *l)
{
	struct rrlist *dnskey = &l[0], *cds = &l[1], *cdnskey = &l[2],
		*ds = &l[3], *rrsig = &l[4];
	uint8_t owner[ZTK_DNAME_MAX];
	char owner_text[ZTK_DNAME_TEXT_MAX];
	bool have_owner = false;
	bool verify = false;    /* signed input: check the RRSIGs */
	int r;

	if (!c->now_text)
		c->now = (int64_t)time(NULL);
	if (c->query && (nargs > 0 || c->store || c->del || c->origin)) {
		cli_error("--query names the zone and reads no FILE; it goes "
			"with neither --store, --delete nor --origin");
		return CLI_EXIT_USAGE;
	}
	if (c->servers.n > 0 && !c->query) {
		cli_error("--server goes with --query");
		return CLI_EXIT_USAGE;
	}

	/* usage */
	if (c->parent && (c->del || c->cds || c->cdnskey || c->have_ttl)) {
		cli_error("--check-parent does not go with --delete, --cds, "
			"--cdnskey or --ttl");
		return CLI_EXIT_USAGE;
	}
	const char *origin = c->origin;
	if (c->store && nargs > 0) {
		cli_error("--store reads no FILE; see --help");
		return CLI_EXIT_USAGE;
	}
	if (c->del && !c->store) {
		if (nargs > 1) {
			cli_error("with --delete, give only the zone name; "
				"see --help");
			return CLI_EXIT_USAGE;
		}
		if (nargs == 1 && origin) {
			cli_error("zone given twice (--origin and operand)");
			return CLI_EXIT_USAGE;
		}
		if (nargs == 1)
			origin = args[0];
		if (origin == NULL) {
			cli_error("--delete needs the zone name; see --help");
			return CLI_EXIT_USAGE;
		}
	} else if (!c->store && !c->query) {
		if (nargs < 1 || nargs > 2) {
			cli_error("expected FILE [ORIGIN] or --store ZONE; "
				"see --help");
			return CLI_EXIT_USAGE;
		}
		if (nargs == 2) {
			if (origin) {
				cli_error("origin given twice (--origin and "
					"operand)");
				return CLI_EXIT_USAGE;
			}
			origin = args[1];
		}
	} else if (origin) {
		cli_error("--store names the zone; --origin is not needed");
		return CLI_EXIT_USAGE;
	}
	if (c->ndig == 0)
		c->digests[c->ndig++] = ZTK_DIGEST_SHA256;
	/* BIND prints the digest types of a key in increasing order */
	for (size_t i = 1; i < c->ndig; i++)
		for (size_t j = i; j > 0 && c->digests[j - 1] > c->digests[j];
		     j--) {
			uint8_t t = c->digests[j];
			c->digests[j] = c->digests[j - 1];
			c->digests[j - 1] = t;
		}
	bool sha1 = false;
	for (size_t i = 0; i < c->ndig; i++)
		sha1 |= c->digests[i] == ZTK_DIGEST_SHA1;
	bool makes_ds = c->parent || ((c->cds || !c->cdnskey) && !c->del);
	if (sha1 && makes_ds) {
		if (!c->allow_sha1) {
			cli_error("refusing SHA-1 DS records: RFC 8624 3.3 says "
				"SHA-1 MUST NOT be used for DS; --allow-sha1 "
				"makes them anyway");
			return CLI_EXIT_FINDINGS;
		}
		fprintf(stderr, "%s: warning: SHA-1 DS records: RFC 8624 3.3 "
			"says MUST NOT; publish them only beside SHA-256 for "
			"validators that know nothing newer\n", cli_prog);
	}
	if (c->store) {
		if ((r = parse_name(c->store, owner, "zone")))
			return r;
		have_owner = true;
	} else if (origin) {
		if ((r = parse_name(origin, owner, "origin")))
			return r;
		have_owner = true;
	} else if (c->query) {
		if ((r = parse_name(c->query, owner, "zone")))
			return r;
		have_owner = true;
	}

	if (c->del) {
		ztk_dname_print(owner, owner_text);
		return print_delete(c, owner_text);
	}

	if (c->store) {
		/* the store keeps zone names lowercase with the final dot */
		char zone[ZTK_DNAME_TEXT_MAX];
		ztk_dname_print(owner, zone);
		for (char *p = zone; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		if ((r = read_store(c, zone, dnskey)))
			return r;
		if (dnskey->n == 0) {
			cli_error("no key for %s in the key store", zone);
			return CLI_EXIT_FINDINGS;
		}
		memcpy(owner_text, zone, sizeof zone);
	} else if (c->query) {
		ztk_dname_print(owner, owner_text);
		if ((r = cli_servers_default(&c->servers, "/etc/resolv.conf")) ||
		    (r = query_rrset(c, owner, owner_text, ZTK_TYPE_DNSKEY, true,
		    dnskey, rrsig)))
			return r;
		if (c->parent &&
		    ((r = query_rrset(c, owner, owner_text, ZTK_TYPE_CDS, false,
		    cds, rrsig)) || (r = query_rrset(c, owner, owner_text,
		    ZTK_TYPE_CDNSKEY, false, cdnskey, rrsig))))
			return r;
		verify = true;
	} else {
		struct scan_ctx s = { .owner_fixed = have_owner,
			.have_owner = have_owner, .dnskey = dnskey, .cds = cds,
			.cdnskey = cdnskey, .ds = ds, .rrsig = rrsig };
		if (have_owner)
			memcpy(s.owner, owner, ztk_dname_len(owner));
		if ((r = scan(args[0], have_owner ? owner : NULL, &s)))
			return r;
		const char *shown = strcmp(args[0], "-") == 0 ? "<stdin>" :
			args[0];
		if (!s.have_owner || (dnskey->n == 0 && !c->parent)) {
			if (have_owner) {
				ztk_dname_print(owner, owner_text);
				cli_error("%s: no DNSKEY record for %s", shown,
					owner_text);
			} else {
				cli_error("%s: no DNSKEY record", shown);
			}
			return CLI_EXIT_USAGE;
		}
		if (!have_owner) {
			memcpy(owner, s.owner, ztk_dname_len(s.owner));
			have_owner = true;
		}
		/* the owner as given (ORIGIN) or as written, like BIND */
		ztk_dname_print(origin ? owner : s.owner, owner_text);
		rrsig_keep_owner(rrsig, owner);
		verify = s.signed_input;
	}

	if (c->parent) {
		if (c->store) {
			/* the DNSKEY RRset is what is published now */
			struct rrlist pub = *dnskey;
			pub.n = rrlist_partition(dnskey, is_published, NULL);
			struct scan_ctx s = { .parent = true,
				.owner_fixed = true, .have_owner = true,
				.ds = ds };
			memcpy(s.owner, owner, ztk_dname_len(owner));
			if ((r = scan(c->parent, owner, &s)))
				return r;
			/* no CDS/CDNSKEY in the store: the proposal is the
			 * DS of its KSKs and CSKs, published or not yet */
			struct ztk_rdata_ref *sel = calloc(dnskey->n + 1,
				sizeof *sel);
			if (sel == NULL) {
				cli_error("out of memory");
				return CLI_EXIT_ENV;
			}
			size_t ns = 0;
			for (size_t i = 0; i < dnskey->n; i++)
				if (dnskey->loc[i].role != ZTK_ROLE_ZSK)
					sel[ns++] = dnskey->v[i];
			struct rrlist none = { 0 };
			r = check_parent(c, owner_text, owner, &pub, &none,
				&none, ds, sel, ns, NULL, false);
			free(sel);
			return r;
		}
		struct scan_ctx s = { .parent = true, .owner_fixed = true,
			.have_owner = true, .ds = ds };
		memcpy(s.owner, owner, ztk_dname_len(owner));
		if ((r = scan(c->parent, owner, &s)))
			return r;
		return check_parent(c, owner_text, owner, dnskey, cds, cdnskey,
			ds, NULL, 0, rrsig, verify);
	}
	if (verify)
		warn_not_signing(c, owner, dnskey, rrsig);
	return generate(c, owner_text, owner, dnskey);
}

int
main(int argc, char **argv)
{
	struct ds_cli c = { 0 };
	int first;

	cli_prog = "ztk-ds";
	int r = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0],
		handle, &c, &first);
	if (r >= 0)
		return r;
	struct rrlist lists[5] = { { 0 } };
	r = run(&c, argc - first, argv + first, lists);
	for (size_t i = 0; i < 5; i++)
		rrlist_clear(&lists[i]);
	return cli_finish(r);
}
