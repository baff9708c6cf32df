/*
 * ztk-key - keys in the HSM-backed store: init, create, list, show,
 * set-time, delete, import, export, reconcile, check, audit.
 *
 * One table (commands[] below) drives parsing, --help, the man page's
 * COMMANDS section and the shell completions; tests/docs-sync.sh checks
 * that the last two agree with it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <ztk/ztk.h>
#include <ztk/dnssec.h>
#include <ztk/keydb.h>
#include <ztk/keystore.h>

#include "common/atomic.h"
#include "common/cli.h"
#include "common/keyctx.h"

/* Option ids: global ones, then every subcommand option. */
enum {
	G_HELP, G_VERSION, G_HOME, G_MODULE, G_TOKEN, G_PIN_FILE, G_DB, G_URI,
	G_JSON, G_QUIET, G_NOW, G_LIST_COMMANDS,
	O_ZONE, O_ROLE, O_ALG, O_BITS, O_FORCE, O_OUTDIR, O_VERIFY,
	O_T_PUBLISH, O_T_ACTIVE, O_T_INACTIVE, O_T_DELETE, O_T_DS_PUBLISH,
	O_T_DS_WITHDRAW, O_T_REVOKE, O_SUBHELP,
};

static const struct cli_opt global_opts[] = {
	{ "help", 'h', false, NULL, "show this help and exit", G_HELP },
	{ "version", 'V', false, NULL, "show the version and exit", G_VERSION },
	{ "home", 0, true, "DIR", "state directory (default $ZTK_HOME, else "
		"$XDG_DATA_HOME/ztk or ~/.local/share/ztk)", G_HOME },
	{ "module", 0, true, "PATH", "PKCS#11 module (default SoftHSM2)",
		G_MODULE },
	{ "token", 0, true, "LABEL", "token label (default \"ztk\")", G_TOKEN },
	{ "pin-file", 0, true, "FILE", "file holding the user PIN (mode 0600)",
		G_PIN_FILE },
	{ "db", 0, true, "FILE", "key state store (default HOME/keys.db)",
		G_DB },
	{ "uri", 0, true, "URI", "RFC 7512 pkcs11: URI naming module, token "
		"and PIN source", G_URI },
	{ "json", 0, false, NULL, "machine-readable output", G_JSON },
	{ "quiet", 'q', false, NULL, "no confirmation lines; print only what "
		"was asked for", G_QUIET },
	{ "now", 0, true, "TIME", "evaluate key states at TIME instead of "
		"now", G_NOW },
	{ "list-commands", 0, false, NULL, "list the commands and exit",
		G_LIST_COMMANDS },
};

#define SUBHELP { "help", 'h', false, NULL, "show help for this command", \
	O_SUBHELP }
#define ZONE_OPT(req) { "zone", 'z', true, "ZONE", req ? "the zone (required)" \
	: "only keys of this zone", O_ZONE }
#define TIME_OPTS \
	{ "publish", 0, true, "TIME", "DNSKEY published from TIME", \
		O_T_PUBLISH }, \
	{ "active", 0, true, "TIME", "key signs from TIME", O_T_ACTIVE }, \
	{ "inactive", 0, true, "TIME", "key stops signing at TIME", \
		O_T_INACTIVE }, \
	{ "delete", 0, true, "TIME", "DNSKEY removed at TIME", O_T_DELETE }

static const struct cli_opt init_opts[] = { SUBHELP };
static const struct cli_opt create_opts[] = {
	SUBHELP, ZONE_OPT(1),
	{ "role", 'r', true, "ROLE", "KSK, ZSK or CSK (required)", O_ROLE },
	{ "algorithm", 'a', true, "ALG", "DNSSEC algorithm (default "
		"ECDSAP256SHA256)", O_ALG },
	{ "bits", 'b', true, "N", "RSA key size, 2048-4096 (default 2048)",
		O_BITS },
	TIME_OPTS,
};
static const struct cli_opt list_opts[] = { SUBHELP, ZONE_OPT(0) };
static const struct cli_opt show_opts[] = { SUBHELP, ZONE_OPT(0) };
static const struct cli_opt settime_opts[] = {
	SUBHELP, ZONE_OPT(0), TIME_OPTS,
	{ "ds-publish", 0, true, "TIME", "DS seen at the parent from TIME",
		O_T_DS_PUBLISH },
	{ "ds-withdraw", 0, true, "TIME", "DS gone from the parent at TIME",
		O_T_DS_WITHDRAW },
	{ "revoke", 0, true, "TIME", "REVOKE bit set from TIME (RFC 5011)",
		O_T_REVOKE },
	{ "force", 'f', false, NULL, "accept timing points out of order",
		O_FORCE },
};
static const struct cli_opt delete_opts[] = {
	SUBHELP, ZONE_OPT(0),
	{ "force", 'f', false, NULL, "delete even a published or active key",
		O_FORCE },
};
static const struct cli_opt import_opts[] = {
	SUBHELP, ZONE_OPT(0),
	{ "role", 'r', true, "ROLE", "KSK, ZSK or CSK (default from the "
		"DNSKEY flags)", O_ROLE },
	{ "algorithm", 'a', true, "ALG", "algorithm of a PEM key (RSA: "
		"default RSASHA256)", O_ALG },
	TIME_OPTS,
	{ "force", 'f', false, NULL, "accept timing points out of order",
		O_FORCE },
};
static const struct cli_opt export_opts[] = {
	SUBHELP, ZONE_OPT(0),
	{ "output-dir", 'o', true, "DIR", "write K*.key here (default .)",
		O_OUTDIR },
};
static const struct cli_opt reconcile_opts[] = { SUBHELP, ZONE_OPT(0) };
static const struct cli_opt check_opts[] = { SUBHELP, ZONE_OPT(0) };
static const struct cli_opt audit_opts[] = {
	SUBHELP,
	{ "verify", 0, false, NULL, "check the hash chain; exit 1 at the "
		"first bad entry", O_VERIFY },
};

struct app;
struct command {
	const char *name;
	const char *args;       /* operands for the synopsis */
	const char *summary;
	const struct cli_opt *opts;
	size_t nopts;
	int (*run)(struct app *a, int argc, char **argv);
};

#define N(x) (sizeof(x) / sizeof((x)[0]))

struct app {
	struct keyctx kc;
	const struct command *cmd;
	bool json, quiet, force, verify, subhelp;
	int64_t now;
	const char *zone, *role, *alg, *bits, *outdir;
	const char *times[ZTK_T_COUNT];         /* as given, NULL = not */
};

static int run_init(struct app *, int, char **);
static int run_create(struct app *, int, char **);
static int run_list(struct app *, int, char **);
static int run_show(struct app *, int, char **);
static int run_settime(struct app *, int, char **);
static int run_delete(struct app *, int, char **);
static int run_import(struct app *, int, char **);
static int run_export(struct app *, int, char **);
static int run_reconcile(struct app *, int, char **);
static int run_check(struct app *, int, char **);
static int run_audit(struct app *, int, char **);

static const struct command commands[] = {
	{ "init", "", "create the state directory, SoftHSM2 token, PIN file "
		"and key store", init_opts, N(init_opts), run_init },
	{ "create", "", "generate a key pair inside the token",
		create_opts, N(create_opts), run_create },
	{ "list", "", "list keys and their states", list_opts, N(list_opts),
		run_list },
	{ "show", "KEY", "show a key: DNSKEY, key tag, DS, timing",
		show_opts, N(show_opts), run_show },
	{ "set-time", "KEY", "set timing points (like dnssec-settime)",
		settime_opts, N(settime_opts), run_settime },
	{ "delete", "KEY", "destroy a key in the token and the store",
		delete_opts, N(delete_opts), run_delete },
	{ "import", "FILE", "import a BIND K*.private or PEM private key",
		import_opts, N(import_opts), run_import },
	{ "export", "KEY", "write the public key as a BIND K*.key file",
		export_opts, N(export_opts), run_export },
	{ "reconcile", "", "compare the store with the token",
		reconcile_opts, N(reconcile_opts), run_reconcile },
	{ "check", "", "preflight: module, token, PIN and the zone's keys",
		check_opts, N(check_opts), run_check },
	{ "audit", "", "print or verify the audit trail", audit_opts,
		N(audit_opts), run_audit },
};

/* --- time -------------------------------------------------------------- */


static void json_time(FILE *out, int64_t t)
{
	char b[32];
	if (t == 0)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", cli_utc(t, b, sizeof(b)));
}

/* --- key records ------------------------------------------------------- */

static const char *key_state(const struct ztk_key_rec *r, int64_t now)
{
	const int64_t *t = r->t;
#define PAST(i) (t[i] != 0 && t[i] <= now)
	if (PAST(ZTK_T_DELETE))
		return "removed";
	if (PAST(ZTK_T_REVOKE))
		return "revoked";
	if (PAST(ZTK_T_INACTIVE))
		return PAST(ZTK_T_PUBLISH) ? "retired" : "inactive";
	if (PAST(ZTK_T_ACTIVE))
		return PAST(ZTK_T_PUBLISH) ? "active" : "active-unpublished";
	if (PAST(ZTK_T_PUBLISH))
		return "published";
	return "generated";
#undef PAST
}

static bool key_live(const struct ztk_key_rec *r, int64_t now, bool *pub,
	bool *act)
{
	const int64_t *t = r->t;
	*pub = t[ZTK_T_PUBLISH] && t[ZTK_T_PUBLISH] <= now &&
		!(t[ZTK_T_DELETE] && t[ZTK_T_DELETE] <= now);
	*act = t[ZTK_T_ACTIVE] && t[ZTK_T_ACTIVE] <= now &&
		!(t[ZTK_T_INACTIVE] && t[ZTK_T_INACTIVE] <= now);
	return *pub || *act;
}

static int zone_arg(const char *in, char *out, size_t len)
{
	uint8_t wire[ZTK_DNAME_MAX];
	const char *why = NULL;
	static const uint8_t root[1] = { 0 };
	if (ztk_dname_parse(in, strlen(in), root, wire, &why) < 0) {
		cli_error("bad zone name \"%s\": %s", in, why ? why : "invalid");
		return -1;
	}
	ztk_dname_to_lower(wire);
	char text[ZTK_DNAME_TEXT_MAX];
	ztk_dname_print(wire, text);
	if (strlen(text) >= len) {
		cli_error("zone name too long");
		return -1;
	}
	snprintf(out, len, "%s", text);
	return 0;
}

struct collect {
	struct ztk_key_rec *recs;
	size_t n, cap;
	int oom;
};

static int collect_cb(void *ctx, const struct ztk_key_rec *r)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		struct ztk_key_rec *nr = realloc(c->recs, nc * sizeof(*nr));
		if (nr == NULL) {
			c->oom = 1;
			return 1;
		}
		c->recs = nr;
		c->cap = nc;
	}
	c->recs[c->n++] = *r;
	return 0;
}

static int load_keys(struct app *a, const char *zone, struct collect *c)
{
	memset(c, 0, sizeof(*c));
	int rc = ztk_keydb_list(a->kc.db, zone, collect_cb, c);
	if (c->oom) {
		cli_error("out of memory");
		return CLI_EXIT_ENV;
	}
	if (rc < 0) {
		cli_error("cannot read the key store: %s",
			ztk_keydb_errmsg(a->kc.db));
		return CLI_EXIT_ENV;
	}
	return 0;
}

/*
 * KEY operand: a key tag ("12345") or a store id ("#7").  With several
 * matches, say which and ask for --zone or the id.
 */
static int find_key(struct app *a, const char *arg, struct ztk_key_rec *out)
{
	char zone[256] = "";
	if (a->zone && zone_arg(a->zone, zone, sizeof(zone)) != 0)
		return CLI_EXIT_USAGE;
	unsigned long v;
	bool by_id = arg[0] == '#';
	if (cli_uint(arg + by_id, by_id ? 1UL << 62 : 65535, &v) != 0) {
		cli_error("bad key \"%s\": give a key tag (0-65535) or a store "
			"id as #N (see 'ztk-key list')", arg);
		return CLI_EXIT_USAGE;
	}
	if (by_id) {
		int rc = ztk_keydb_get(a->kc.db, (int64_t)v, out);
		if (rc == 0 && (!zone[0] || strcmp(out->zone, zone) == 0))
			return 0;
		cli_error("no key #%lu%s%s in the store", v,
			zone[0] ? " in zone " : "", zone);
		return CLI_EXIT_FINDINGS;
	}
	struct collect c;
	int rc = load_keys(a, zone[0] ? zone : NULL, &c);
	if (rc != 0)
		return rc;
	size_t hits = 0;
	for (size_t i = 0; i < c.n; i++)
		if (c.recs[i].keytag == v) {
			if (hits++ == 0)
				*out = c.recs[i];
		}
	if (hits == 1) {
		free(c.recs);
		return 0;
	}
	if (hits == 0)
		cli_error("no key with tag %lu%s%s in the store", v,
			zone[0] ? " in zone " : "", zone);
	else {
		char list[512] = "";
		size_t o = 0;
		for (size_t i = 0; i < c.n && o < sizeof(list) - 40; i++)
			if (c.recs[i].keytag == v)
				o += (size_t)snprintf(list + o, sizeof(list) - o,
					"%s#%lld (%s)", o ? ", " : "",
					(long long)c.recs[i].id, c.recs[i].zone);
		cli_error("key tag %lu is ambiguous: %s; add --zone or use the "
			"#id", v, list);
	}
	free(c.recs);
	return CLI_EXIT_FINDINGS;
}

static void dnskey_text(const struct ztk_key_rec *r, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s IN DNSKEY ", r->zone);
	if (n < 0 || (size_t)n >= len ||
	    ztk_rdata_to_text(48, r->dnskey, r->dnskey_len, buf + n,
		len - (size_t)n) < 0)
		snprintf(buf, len, "%s IN DNSKEY ?", r->zone);
}

/* DS text ("12345 13 2 ABCD...") of a key for a digest type. */
static int ds_text(const struct ztk_key_rec *r, unsigned dt, char *buf,
	size_t len)
{
	uint8_t owner[ZTK_DNAME_MAX], ds[64];
	static const uint8_t root[1] = { 0 };
	if (ztk_dname_parse(r->zone, strlen(r->zone), root, owner, NULL) < 0)
		return -1;
	int n = ztk_ds_from_dnskey(owner, r->dnskey, r->dnskey_len, dt, ds,
		sizeof(ds));
	if (n < 0)
		return -1;
	int o = snprintf(buf, len, "%u %u %u ", r->keytag, ds[2], ds[3]);
	for (int i = 4; i < n && (size_t)o + 3 < len; i++)
		o += snprintf(buf + o, len - (size_t)o, "%02X", ds[i]);
	return 0;
}

static void json_key(FILE *out, const struct ztk_key_rec *r, int64_t now)
{
	char dk[4200], ds[200];
	const struct ztk_alg_info *ai = ztk_alg_by_number(r->alg);
	fprintf(out, "{\"id\":%lld,\"zone\":", (long long)r->id);
	ztk_json_string(out, r->zone);
	fprintf(out, ",\"role\":\"%s\",\"keyTag\":%u,\"algorithm\":%u,"
		"\"algorithmName\":\"%s\",\"bits\":%u,\"flags\":%u,\"state\":"
		"\"%s\",\"pkcs11Id\":\"%s\",\"label\":",
		ztk_role_name(r->role), r->keytag, r->alg,
		ai ? ai->mnemonic : "?", r->bits, r->flags, key_state(r, now),
		r->p11_id);
	ztk_json_string(out, r->label);
	static const char *json_names[ZTK_T_COUNT] = { "created", "publish",
		"active", "inactive", "delete", "dsPublish", "dsWithdraw",
		"revoke" };
	for (int i = 0; i < ZTK_T_COUNT; i++) {
		fprintf(out, ",\"%s\":", json_names[i]);
		json_time(out, r->t[i]);
	}
	dnskey_text(r, dk, sizeof(dk));
	fputs(",\"dnskey\":", out);
	ztk_json_string(out, dk);
	if ((r->flags & ZTK_DNSKEY_SEP) && ds_text(r, 2, ds, sizeof(ds)) == 0) {
		fputs(",\"ds\":", out);
		ztk_json_string(out, ds);
	}
	fputc('}', out);
}

/* --- option handling ----------------------------------------------------- */

static int on_opt(void *ctx, int id, const char *arg)
{
	struct app *a = ctx;
	switch (id) {
	case G_HELP: case O_SUBHELP: a->subhelp = true; return 0;
	case G_VERSION: cli_version(); return CLI_EXIT_OK + 100;
	case G_HOME: a->kc.env.opt_home = arg; return 0;
	case G_MODULE: a->kc.env.opt_module = arg; return 0;
	case G_TOKEN: a->kc.env.opt_token = arg; return 0;
	case G_PIN_FILE: a->kc.env.opt_pin_file = arg; return 0;
	case G_DB: a->kc.env.opt_db = arg; return 0;
	case G_URI: a->kc.env.opt_uri = arg; return 0;
	case G_JSON: a->json = true; return 0;
	case G_QUIET: a->quiet = true; return 0;
	case G_NOW:
		if (cli_time(arg, (int64_t)time(NULL), &a->now) != 0 ||
		    a->now == 0) {
			cli_error("bad time for --now: \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case G_LIST_COMMANDS:
		for (size_t i = 0; i < N(commands); i++)
			printf("%s\n", commands[i].name);
		return CLI_EXIT_OK + 100;
	case O_ZONE: a->zone = arg; return 0;
	case O_ROLE: a->role = arg; return 0;
	case O_ALG: a->alg = arg; return 0;
	case O_BITS: a->bits = arg; return 0;
	case O_FORCE: a->force = true; return 0;
	case O_OUTDIR: a->outdir = arg; return 0;
	case O_VERIFY: a->verify = true; return 0;
	case O_T_PUBLISH: a->times[ZTK_T_PUBLISH] = arg; return 0;
	case O_T_ACTIVE: a->times[ZTK_T_ACTIVE] = arg; return 0;
	case O_T_INACTIVE: a->times[ZTK_T_INACTIVE] = arg; return 0;
	case O_T_DELETE: a->times[ZTK_T_DELETE] = arg; return 0;
	case O_T_DS_PUBLISH: a->times[ZTK_T_DS_PUBLISH] = arg; return 0;
	case O_T_DS_WITHDRAW: a->times[ZTK_T_DS_WITHDRAW] = arg; return 0;
	case O_T_REVOKE: a->times[ZTK_T_REVOKE] = arg; return 0;
	}
	return 0;
}

static void print_opts(FILE *out, const struct cli_opt *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char left[64];
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			o[i].shrt ? "-" : "  ", o[i].shrt ? o[i].shrt : ' ',
			o[i].shrt ? ", " : "  ", o[i].lng,
			o[i].has_arg ? "=" : "", o[i].has_arg ? o[i].arg : "");
		fprintf(out, "  %-28s %s\n", left, o[i].help);
	}
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: ztk-key [options] COMMAND [command options] "
		"[ARG]\n\nManage DNSSEC keys that live in a PKCS#11 token "
		"(SoftHSM2 by default) and\ntheir state: timing points and an "
		"audit trail.\n\nCommands:\n");
	for (size_t i = 0; i < N(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\nOptions:\n");
	print_opts(out, global_opts, N(global_opts));
	fprintf(out, "\nSecrets: the PIN comes from ZTK_PIN or a 0600 file "
		"(ZTK_PIN_FILE, --pin-file),\nnever from the command line.\n"
		"Run 'ztk-key COMMAND --help' for a command's options.\n"
		"\nExit status: 0 success, 1 refused or problems found, 2 bad "
		"usage or input,\n3 environment failure (module, token, PIN, "
		"store).\n");
}

static void command_help(const struct command *c)
{
	printf("Usage: ztk-key [options] %s [options]%s%s\n\n%s.\n\n"
		"Options:\n", c->name, c->args[0] ? " " : "", c->args,
		c->summary);
	print_opts(stdout, c->opts, c->nopts);
	printf("\nThe global options (ztk-key --help) are accepted here too.\n");
}

static int need_args(const struct command *c, int argc, int want)
{
	if (argc != want) {
		cli_error("%s: %s; see 'ztk-key %s --help'", c->name,
			argc < want ? (want == 1 ? "missing operand" : "?")
			: "too many operands", c->name);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* The timing points given on the command line into rec->t. */
static int apply_times(struct app *a, struct ztk_key_rec *r, char *detail,
	size_t dlen)
{
	size_t o = 0;
	detail[0] = '\0';
	for (int i = 0; i < ZTK_T_COUNT; i++) {
		if (a->times[i] == NULL)
			continue;
		int64_t t;
		if (cli_time(a->times[i], a->now, &t) != 0) {
			cli_error("bad time for --%s: \"%s\" (use now, now+30d, "
				"YYYYMMDDHHMMSS, YYYY-MM-DDTHH:MM:SSZ, @unix or "
				"none)", ztk_key_time_name(i), a->times[i]);
			return CLI_EXIT_USAGE;
		}
		r->t[i] = t;
		char b[32];
		int n = snprintf(detail + o, dlen - o, "%s%s=%s", o ? " " : "",
			ztk_key_time_name(i), cli_utc(t, b, sizeof(b)));
		if (n > 0 && (size_t)n < dlen - o)
			o += (size_t)n;
	}
	return 0;
}

/* RFC 7583 order: publish <= active <= inactive <= delete. */
static int check_order(const struct ztk_key_rec *r, char *why, size_t len)
{
	static const int chain[] = { ZTK_T_PUBLISH, ZTK_T_ACTIVE,
		ZTK_T_INACTIVE, ZTK_T_DELETE };
	for (size_t i = 0; i < N(chain); i++)
		for (size_t j = i + 1; j < N(chain); j++) {
			int64_t a = r->t[chain[i]], b = r->t[chain[j]];
			if (a && b && b < a) {
				char ta[32], tb[32];
				snprintf(why, len, "%s (%s) comes before %s "
					"(%s): RFC 7583 wants publish <= "
					"active <= inactive <= delete",
					ztk_key_time_name(chain[j]),
					cli_utc(b, tb, sizeof(tb)),
					ztk_key_time_name(chain[i]),
					cli_utc(a, ta, sizeof(ta)));
				return -1;
			}
		}
	if (r->t[ZTK_T_PUBLISH] == 0 && r->t[ZTK_T_ACTIVE] != 0) {
		snprintf(why, len, "the key would sign without its DNSKEY ever "
			"being published");
		return -1;
	}
	return 0;
}

/* --- init ---------------------------------------------------------------- */

static int ensure_dir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		cli_error("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
				cli_error("cannot create %s: %s", buf,
					strerror(errno));
				return -1;
			}
			*p = '/';
		}
	return ensure_dir(buf);
}

/* A random secret into a new 0600 file, unless the file exists. */
static int make_secret_file(const char *path, char *secret, size_t len,
	bool *created)
{
	*created = false;
	if (access(path, F_OK) == 0) {
		FILE *f = fopen(path, "r");
		if (f == NULL || fgets(secret, (int)len, f) == NULL) {
			cli_error("cannot read %s", path);
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		secret[strcspn(secret, "\r\n")] = '\0';
		return 0;
	}
	uint8_t raw[16];
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		cli_error("no randomness for a PIN");
		return -1;
	}
	keyctx_hex(raw, sizeof(raw), secret);
	OPENSSL_cleanse(raw, sizeof(raw));
	char line[64], why[512];
	int n = snprintf(line, sizeof(line), "%s\n", secret);
	int rc = atomic_write(path, line, (size_t)n, 0600, why, sizeof(why));
	OPENSSL_cleanse(line, sizeof(line));
	if (rc != 0) {
		cli_error("%s", why);
		return -1;
	}
	*created = true;
	return 0;
}

static int run_init(struct app *a, int argc, char **argv)
{
	(void)argv;
	int rc = need_args(a->cmd, argc, 0);
	if (rc)
		return rc;
	struct keyenv *env = &a->kc.env;
	if (mkdirs(env->home) != 0)
		return CLI_EXIT_ENV;
	char why[1024];
	bool token_made = false;
	if (env->default_module) {
		if (ensure_dir(env->tokendir) != 0)
			return CLI_EXIT_ENV;
		if (access(env->softhsm_conf, F_OK) != 0) {
			char conf[16384];
			int n = snprintf(conf, sizeof(conf),
				"# SoftHSM2 configuration written by ztk-key "
				"init\ndirectories.tokendir = %s\n"
				"objectstore.backend = file\nlog.level = ERROR\n"
				"slots.removable = false\n", env->tokendir);
			if (atomic_write(env->softhsm_conf, conf, (size_t)n,
				0600, why, sizeof(why)) != 0) {
				cli_error("%s", why);
				return CLI_EXIT_ENV;
			}
		}
		keyenv_export_softhsm(env);
		char so_path[4200], so_pin[64], pin[256];
		bool made;
		snprintf(so_path, sizeof(so_path), "%s/so-pin", env->home);
		if (make_secret_file(so_path, so_pin, sizeof(so_pin), &made))
			return CLI_EXIT_ENV;
		const char *envpin = getenv("ZTK_PIN");
		if (envpin != NULL && *envpin && env->opt_pin_file == NULL &&
		    getenv("ZTK_PIN_FILE") == NULL) {
			snprintf(pin, sizeof(pin), "%s", envpin);
		} else if (make_secret_file(env->pin_file, pin, sizeof(pin),
			&made) != 0) {
			OPENSSL_cleanse(so_pin, sizeof(so_pin));
			return CLI_EXIT_ENV;
		}
		rc = ztk_p11_init_token(env->module, env->token, so_pin, pin,
			why, sizeof(why));
		OPENSSL_cleanse(so_pin, sizeof(so_pin));
		OPENSSL_cleanse(pin, sizeof(pin));
		if (rc != 0 && rc != ZTK_EEXIST) {
			cli_error("%s", why);
			return CLI_EXIT_ENV;
		}
		token_made = rc == 0;
	}
	if ((rc = keyctx_open_db(&a->kc, true)) != 0)
		return rc;
	/* Prove the PIN opens the token before calling it done. */
	if ((rc = keyctx_open_token(&a->kc, true)) != 0)
		return rc;
	keyctx_audit(&a->kc, "init", NULL, -1, "ok", token_made ?
		"token created" : "token already present");
	if (a->json) {
		printf("{\"home\":");
		ztk_json_string(stdout, env->home);
		printf(",\"module\":");
		ztk_json_string(stdout, env->module);
		printf(",\"token\":");
		ztk_json_string(stdout, env->token);
		printf(",\"tokenCreated\":%s,\"pinFile\":",
			token_made ? "true" : "false");
		ztk_json_string(stdout, env->pin_file);
		printf(",\"store\":");
		ztk_json_string(stdout, env->db);
		printf("}\n");
	} else if (!a->quiet) {
		printf("token '%s' %s in %s\n", env->token,
			token_made ? "created" : "ready", env->home);
		printf("PIN file: %s (mode 0600)\n", env->pin_file);
		printf("key store: %s\n", env->db);
	}
	return 0;
}

/* --- create / import ------------------------------------------------------- */

/* Would tag (or its revoked twin) clash with a key of the zone? */
static bool tag_clash(const struct collect *c, const uint8_t *rdata,
	size_t len)
{
	uint8_t rev[ZTK_KEY_DNSKEY_MAX];
	memcpy(rev, rdata, len);
	rev[1] |= ZTK_DNSKEY_REVOKE;
	uint16_t t1 = ztk_keytag(rdata, len), t2 = ztk_keytag(rev, len);
	for (size_t i = 0; i < c->n; i++) {
		const struct ztk_key_rec *r = &c->recs[i];
		uint8_t other[ZTK_KEY_DNSKEY_MAX];
		memcpy(other, r->dnskey, r->dnskey_len);
		other[1] |= ZTK_DNSKEY_REVOKE;
		uint16_t o2 = ztk_keytag(other, r->dnskey_len);
		if (r->keytag == t1 || r->keytag == t2 || o2 == t1 || o2 == t2)
			return true;
	}
	return false;
}

static void fill_rec(struct ztk_key_rec *r, const char *zone, int role,
	const struct ztk_p11_key *k)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->zone, sizeof(r->zone), "%s", zone);
	r->role = role;
	r->alg = k->alg;
	r->bits = (uint16_t)k->bits;
	r->flags = (role == ZTK_ROLE_ZSK) ? ZTK_DNSKEY_ZONE
		: (ZTK_DNSKEY_ZONE | ZTK_DNSKEY_SEP);
	int n = ztk_dnskey_rdata(r->flags, k->alg, k->pub, k->publen, r->dnskey,
		sizeof(r->dnskey));
	r->dnskey_len = n > 0 ? (uint16_t)n : 0;
	r->keytag = ztk_keytag(r->dnskey, r->dnskey_len);
	r->bits = (uint16_t)ztk_dnskey_bits(r->dnskey, r->dnskey_len);
	keyctx_hex(k->id, k->idlen, r->p11_id);
	snprintf(r->label, sizeof(r->label), "%s", k->label);
}

/* The key size as its DNSKEY shows it (what list and the store say). */
static unsigned key_bits(const struct ztk_p11_key *k)
{
	uint8_t rd[2048];
	int n = ztk_dnskey_rdata(ZTK_DNSKEY_ZONE, k->alg, k->pub, k->publen, rd,
		sizeof(rd));
	return n > 0 ? ztk_dnskey_bits(rd, (size_t)n) : k->bits;
}

/* Sign a fixed message with the new key and verify it with its DNSKEY:
 * catches a token that hands back the wrong public key. */
static int self_test(struct app *a, const struct ztk_p11_key *k,
	const struct ztk_key_rec *r)
{
	static const uint8_t msg[] = "ztk key self-test";
	char why[512];
	ztk_signer *s;
	if (ztk_p11_signer_new(a->kc.p11, k->id, k->idlen, k->alg, &s, why,
		sizeof(why)) != 0) {
		cli_error("self-test: %s", why);
		return -1;
	}
	uint8_t sig[1024];
	size_t siglen = sizeof(sig);
	int rc = ztk_signer_sign(s, msg, sizeof(msg), sig, &siglen);
	ztk_signer_free(s);
	if (rc != 0) {
		cli_error("self-test: the token cannot sign with the new key "
			"(%s)", ztk_strerror(rc));
		return -1;
	}
	if (ztk_dnssec_verify(r->dnskey, r->dnskey_len, msg, sizeof(msg), sig,
		siglen) != 0) {
		cli_error("self-test: a signature of the new key does not "
			"verify with its public key; the token is faulty");
		return -1;
	}
	return 0;
}

/* Store the key and its audit entry in one transaction; on a key tag
 * clash return 1 so the caller can make another key. */
static int store_key(struct app *a, struct ztk_key_rec *r, const char *event,
	const char *detail)
{
	if (ztk_keydb_begin(a->kc.db) != 0) {
		cli_error("the key store is busy (another ztk-key or ztk-roll "
			"holds it): %s", ztk_keydb_errmsg(a->kc.db));
		return -1;
	}
	struct collect c;
	if (load_keys(a, r->zone, &c) != 0) {
		ztk_keydb_rollback(a->kc.db);
		return -1;
	}
	bool clash = tag_clash(&c, r->dnskey, r->dnskey_len);
	free(c.recs);
	if (clash) {
		ztk_keydb_rollback(a->kc.db);
		return 1;
	}
	int rc = ztk_keydb_insert(a->kc.db, r);
	if (rc == 0)
		rc = keyctx_audit(&a->kc, event, r->zone, r->keytag, "ok",
			detail);
	if (rc == 0)
		rc = ztk_keydb_commit(a->kc.db);
	if (rc != 0) {
		ztk_keydb_rollback(a->kc.db);
		cli_error("cannot store the key: %s", ztk_keydb_errmsg(a->kc.db));
		return -1;
	}
	return 0;
}

/*
 * A key new in the token becomes a stored key: its record with the given
 * timing, a signature that verifies (self_test), its final label, then the
 * store row with its audit entry.  Whatever fails, the token object is
 * destroyed, so no key is left in the token that the store does not know.
 * Returns 0 (stored, *r filled), 1 (the key tag is taken by another key of
 * the zone: RFC 4034 allows it, operators hate it), or -1 after a message.
 */
static int adopt_key(struct app *a, const struct ztk_p11_key *k,
	const char *zone, int role, const int64_t *times, const char *event,
	const char *detail, struct ztk_key_rec *r)
{
	fill_rec(r, zone, role, k);
	memcpy(r->t, times, sizeof(r->t));
	if (self_test(a, k, r) != 0) {
		ztk_p11_destroy(a->kc.p11, k->id, k->idlen);
		keyctx_audit(&a->kc, event, zone, r->keytag, "failed",
			"self-test failed");
		return -1;
	}
	snprintf(r->label, sizeof(r->label), "ztk:%.100s:%s:%u", zone,
		ztk_role_name(role), r->keytag);
	ztk_p11_set_label(a->kc.p11, k->id, k->idlen, r->label);
	int st = store_key(a, r, event, detail);
	if (st != 0)
		ztk_p11_destroy(a->kc.p11, k->id, k->idlen);
	return st;
}

static void print_created(struct app *a, const struct ztk_key_rec *r,
	const char *verb)
{
	if (a->json) {
		json_key(stdout, r, a->now);
		putchar('\n');
	} else if (!a->quiet) {
		const struct ztk_alg_info *ai = ztk_alg_by_number(r->alg);
		printf("%s %s %u for %s (%s, %u bits), id #%lld, state %s\n",
			verb, ztk_role_name(r->role), r->keytag, r->zone,
			ai ? ai->mnemonic : "?", r->bits, (long long)r->id,
			key_state(r, a->now));
	}
}

static int run_create(struct app *a, int argc, char **argv)
{
	(void)argv;
	int rc = need_args(a->cmd, argc, 0);
	if (rc)
		return rc;
	char zone[256];
	if (a->zone == NULL || a->role == NULL) {
		cli_error("create needs --zone and --role (KSK, ZSK or CSK)");
		return CLI_EXIT_USAGE;
	}
	if (zone_arg(a->zone, zone, sizeof(zone)) != 0)
		return CLI_EXIT_USAGE;
	int role = ztk_role_from_text(a->role);
	if (role == 0) {
		cli_error("bad role \"%s\": use KSK, ZSK or CSK", a->role);
		return CLI_EXIT_USAGE;
	}
	const struct ztk_alg_info *ai = ztk_alg_by_name(a->alg ? a->alg
		: "ECDSAP256SHA256");
	if (ai == NULL) {
		cli_error("unknown algorithm \"%s\"", a->alg);
		return CLI_EXIT_USAGE;
	}
	if (!ai->supported) {
		cli_error("refusing %s (%u): %s", ai->mnemonic, ai->number,
			ai->why_not ? ai->why_not : "not supported by ztk");
		return CLI_EXIT_FINDINGS;
	}
	unsigned long bits = 0;
	if (a->bits && (cli_uint(a->bits, 65535, &bits) != 0)) {
		cli_error("bad --bits \"%s\"", a->bits);
		return CLI_EXIT_USAGE;
	}
	if (bits && (bits < ai->min_bits || bits > ai->max_bits)) {
		cli_error("%s key size must be %u-%u bits, not %lu",
			ai->mnemonic, ai->min_bits, ai->max_bits, bits);
		return CLI_EXIT_FINDINGS;
	}
	struct ztk_key_rec r;
	char detail[512], why[1024], label[128];
	memset(&r, 0, sizeof(r));
	r.t[ZTK_T_PUBLISH] = a->now;
	r.t[ZTK_T_ACTIVE] = a->now;
	if ((rc = apply_times(a, &r, detail, sizeof(detail))) != 0)
		return rc;
	int64_t times[ZTK_T_COUNT];
	memcpy(times, r.t, sizeof(times));
	if (check_order(&r, why, sizeof(why)) != 0) {
		cli_error("%s", why);
		return CLI_EXIT_USAGE;
	}
	if ((rc = keyctx_open_db(&a->kc, false)) != 0 ||
	    (rc = keyctx_open_token(&a->kc, true)) != 0)
		return rc;
	snprintf(label, sizeof(label), "ztk:%.100s:%s", zone, ztk_role_name(role));
	for (int attempt = 0; attempt < 8; attempt++) {
		struct ztk_p11_key k;
		rc = ztk_p11_generate(a->kc.p11, ai->number, (unsigned)bits,
			label, &k, why, sizeof(why));
		if (rc != 0) {
			cli_error("%s", why);
			keyctx_audit(&a->kc, "create", zone, -1, "failed", why);
			return rc == ZTK_EPOLICY ? CLI_EXIT_FINDINGS : CLI_EXIT_ENV;
		}
		times[ZTK_T_CREATED] = a->now;
		char full[700];
		snprintf(full, sizeof(full), "%s %s %u bits%s%s",
			ztk_role_name(role), ai->mnemonic, key_bits(&k),
			detail[0] ? " " : "", detail);
		int s = adopt_key(a, &k, zone, role, times, "create", full, &r);
		if (s == 0) {
			print_created(a, &r, "created");
			return 0;
		}
		if (s < 0)
			return CLI_EXIT_ENV;
		/* a key tag clash: make another key */
	}
	cli_error("could not make a key whose tag differs from the zone's "
		"other keys in 8 tries");
	return CLI_EXIT_ENV;
}

static int run_import(struct app *a, int argc, char **argv)
{
	int rc = need_args(a->cmd, argc, 1);
	if (rc)
		return rc;
	const char *path = argv[0];
	char zone[256] = "", why[1024], detail[512];
	int role = 0;
	if (a->role && (role = ztk_role_from_text(a->role)) == 0) {
		cli_error("bad role \"%s\": use KSK, ZSK or CSK", a->role);
		return CLI_EXIT_USAGE;
	}
	if (a->zone && zone_arg(a->zone, zone, sizeof(zone)) != 0)
		return CLI_EXIT_USAGE;
	uint8_t alg = 0;
	if (a->alg) {
		const struct ztk_alg_info *ai = ztk_alg_by_name(a->alg);
		if (ai == NULL) {
			cli_error("unknown algorithm \"%s\"", a->alg);
			return CLI_EXIT_USAGE;
		}
		alg = ai->number;
	}
	size_t plen = strlen(path);
	bool bind = plen > 8 && strcmp(path + plen - 8, ".private") == 0;
	struct ztk_key_rec r;
	memset(&r, 0, sizeof(r));
	int64_t bt[5] = { 0 };
	uint16_t bind_flags = 0;
	if (bind) {
		uint8_t dnskey[ZTK_KEY_DNSKEY_MAX], owner[ZTK_DNAME_MAX];
		size_t dlen = sizeof(dnskey);
		int mrc = ztk_bind_key_meta(path, owner, dnskey, &dlen, bt,
			why, sizeof(why));
		if (mrc != 0) {
			cli_error("%s", why);
			return mrc == ZTK_EPOLICY ? CLI_EXIT_FINDINGS
				: CLI_EXIT_USAGE;
		}
		char ozone[ZTK_DNAME_TEXT_MAX];
		ztk_dname_to_lower(owner);
		ztk_dname_print(owner, ozone);
		if (zone[0] && strcmp(zone, ozone) != 0) {
			cli_error("%s is a key of %s, not %s", path, ozone, zone);
			return CLI_EXIT_USAGE;
		}
		if (strlen(ozone) >= sizeof(zone)) {
			cli_error("%s: owner name too long", path);
			return CLI_EXIT_USAGE;
		}
		memcpy(zone, ozone, strlen(ozone) + 1);
		bind_flags = (uint16_t)(dnskey[0] << 8 | dnskey[1]);
		if (role == 0)
			role = (bind_flags & ZTK_DNSKEY_SEP) ? ZTK_ROLE_KSK
				: ZTK_ROLE_ZSK;
	} else if (!zone[0] || role == 0) {
		cli_error("importing a PEM key needs --zone and --role");
		return CLI_EXIT_USAGE;
	}
	/* BIND's timing comes along; flags given here win. */
	r.t[ZTK_T_CREATED] = bt[0] ? bt[0] : a->now;
	r.t[ZTK_T_PUBLISH] = bind ? bt[1] : a->now;
	r.t[ZTK_T_ACTIVE] = bind ? bt[2] : a->now;
	r.t[ZTK_T_INACTIVE] = bt[3];
	r.t[ZTK_T_DELETE] = bt[4];
	if ((rc = apply_times(a, &r, detail, sizeof(detail))) != 0)
		return rc;
	int64_t times[ZTK_T_COUNT];
	memcpy(times, r.t, sizeof(times));
	if (check_order(&r, why, sizeof(why)) != 0 && !a->force) {
		cli_error("%s: %s; use --force if you mean it", path, why);
		return CLI_EXIT_FINDINGS;
	}
	if ((rc = keyctx_open_db(&a->kc, false)) != 0 ||
	    (rc = keyctx_open_token(&a->kc, true)) != 0)
		return rc;
	char label[128];
	snprintf(label, sizeof(label), "ztk:%.100s:%s", zone, ztk_role_name(role));
	struct ztk_p11_key k;
	rc = ztk_p11_import(a->kc.p11, path, alg, label, &k, why, sizeof(why));
	if (rc != 0) {
		cli_error("%s", why);
		keyctx_audit(&a->kc, "import", zone, -1, "failed", why);
		return rc == ZTK_EPOLICY ? CLI_EXIT_FINDINGS
			: rc == ZTK_EP11 ? CLI_EXIT_ENV : CLI_EXIT_USAGE;
	}
	char full[1200];
	snprintf(full, sizeof(full), "from %s%s%s", path, detail[0] ? " " : "",
		detail);
	int s = adopt_key(a, &k, zone, role, times, "import", full, &r);
	if (s != 0) {
		if (s > 0)
			cli_error("key tag %u is already used by another key of "
				"%s (or its revoked form); not imported",
				r.keytag, zone);
		return s > 0 ? CLI_EXIT_FINDINGS : CLI_EXIT_ENV;
	}
	print_created(a, &r, "imported");
	return 0;
}

/* --- list / show ------------------------------------------------------------ */

static int run_list(struct app *a, int argc, char **argv)
{
	(void)argv;
	int rc = need_args(a->cmd, argc, 0);
	if (rc)
		return rc;
	char zone[256] = "";
	if (a->zone && zone_arg(a->zone, zone, sizeof(zone)) != 0)
		return CLI_EXIT_USAGE;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0)
		return rc;
	struct collect c;
	if ((rc = load_keys(a, zone[0] ? zone : NULL, &c)) != 0)
		return rc;
	if (a->json) {
		printf("{\"keys\":[");
		for (size_t i = 0; i < c.n; i++) {
			if (i)
				putchar(',');
			json_key(stdout, &c.recs[i], a->now);
		}
		printf("]}\n");
		free(c.recs);
		return 0;
	}
	if (c.n == 0) {
		if (!a->quiet)
			printf("no keys%s%s\n", zone[0] ? " for " : "", zone);
		free(c.recs);
		return 0;
	}
	/* Aligned columns, widths from the data. */
	enum { NCOL = 11 };
	static const char *head[NCOL] = { "ID", "ZONE", "ROLE", "TAG", "ALG",
		"BITS", "STATE", "PUBLISH", "ACTIVE", "INACTIVE", "DELETE" };
	size_t w[NCOL];
	for (int j = 0; j < NCOL; j++)
		w[j] = strlen(head[j]);
	char (*cells)[NCOL][64] = calloc(c.n, sizeof(*cells));
	if (cells == NULL) {
		free(c.recs);
		cli_error("out of memory");
		return CLI_EXIT_ENV;
	}
	for (size_t i = 0; i < c.n; i++) {
		const struct ztk_key_rec *r = &c.recs[i];
		const struct ztk_alg_info *ai = ztk_alg_by_number(r->alg);
		char t[32];
		snprintf(cells[i][0], 64, "#%lld", (long long)r->id);
		snprintf(cells[i][1], 64, "%.63s", r->zone);
		snprintf(cells[i][2], 64, "%s", ztk_role_name(r->role));
		snprintf(cells[i][3], 64, "%u", r->keytag);
		snprintf(cells[i][4], 64, "%s", ai ? ai->mnemonic : "?");
		snprintf(cells[i][5], 64, "%u", r->bits);
		snprintf(cells[i][6], 64, "%s", key_state(r, a->now));
		static const int tcol[4] = { ZTK_T_PUBLISH, ZTK_T_ACTIVE,
			ZTK_T_INACTIVE, ZTK_T_DELETE };
		for (int j = 0; j < 4; j++)
			snprintf(cells[i][7 + j], 64, "%s",
				cli_utc(r->t[tcol[j]], t, sizeof(t)));
		for (int j = 0; j < NCOL; j++)
			if (strlen(cells[i][j]) > w[j])
				w[j] = strlen(cells[i][j]);
	}
	for (int j = 0; j < NCOL; j++)
		printf("%-*s%s", j + 1 < NCOL ? (int)w[j] : 0, head[j],
			j + 1 < NCOL ? "  " : "\n");
	for (size_t i = 0; i < c.n; i++)
		for (int j = 0; j < NCOL; j++)
			printf("%-*s%s", j + 1 < NCOL ? (int)w[j] : 0,
				cells[i][j], j + 1 < NCOL ? "  " : "\n");
	free(cells);
	free(c.recs);
	return 0;
}

static int run_show(struct app *a, int argc, char **argv)
{
	int rc = need_args(a->cmd, argc, 1);
	if (rc)
		return rc;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0)
		return rc;
	struct ztk_key_rec r;
	if ((rc = find_key(a, argv[0], &r)) != 0)
		return rc;
	if (a->json) {
		json_key(stdout, &r, a->now);
		putchar('\n');
		return 0;
	}
	const struct ztk_alg_info *ai = ztk_alg_by_number(r.alg);
	char dk[4200], ds[200], t[32];
	dnskey_text(&r, dk, sizeof(dk));
	printf("key %u of %s: %s, %s (%u), %u bits, %s\n", r.keytag, r.zone,
		ztk_role_name(r.role), ai ? ai->mnemonic : "?", r.alg, r.bits,
		key_state(&r, a->now));
	printf("  store id    #%lld\n", (long long)r.id);
	printf("  PKCS#11 id  %s\n", r.p11_id);
	printf("  label       %s\n", r.label);
	printf("  DNSKEY      %s\n", dk);
	if (r.flags & ZTK_DNSKEY_SEP) {
		if (ds_text(&r, 2, ds, sizeof(ds)) == 0)
			printf("  DS          %s IN DS %s\n", r.zone, ds);
	}
	for (int i = 0; i < ZTK_T_COUNT; i++)
		printf("  %-11s %s\n", ztk_key_time_name(i),
			cli_utc(r.t[i], t, sizeof(t)));
	return 0;
}

/* --- set-time / delete -------------------------------------------------- */

static int run_settime(struct app *a, int argc, char **argv)
{
	int rc = need_args(a->cmd, argc, 1);
	if (rc)
		return rc;
	bool any = false;
	for (int i = 0; i < ZTK_T_COUNT; i++)
		any |= a->times[i] != NULL;
	if (!any) {
		cli_error("set-time: give at least one of --publish, --active, "
			"--inactive, --delete, --ds-publish, --ds-withdraw, "
			"--revoke");
		return CLI_EXIT_USAGE;
	}
	if ((rc = keyctx_open_db(&a->kc, false)) != 0)
		return rc;
	if (ztk_keydb_begin(a->kc.db) != 0) {
		cli_error("the key store is busy: %s", ztk_keydb_errmsg(a->kc.db));
		return CLI_EXIT_ENV;
	}
	struct ztk_key_rec r;
	if ((rc = find_key(a, argv[0], &r)) != 0) {
		ztk_keydb_rollback(a->kc.db);
		return rc;
	}
	char detail[512], why[512];
	if ((rc = apply_times(a, &r, detail, sizeof(detail))) != 0) {
		ztk_keydb_rollback(a->kc.db);
		return rc;
	}
	if (check_order(&r, why, sizeof(why)) != 0 && !a->force) {
		ztk_keydb_rollback(a->kc.db);
		cli_error("key %u: %s; use --force if you mean it", r.keytag,
			why);
		return CLI_EXIT_FINDINGS;
	}
	if (ztk_keydb_update(a->kc.db, &r) != 0 ||
	    keyctx_audit(&a->kc, "set-time", r.zone, r.keytag, "ok",
		detail) != 0 || ztk_keydb_commit(a->kc.db) != 0) {
		cli_error("cannot update key %u: %s", r.keytag,
			ztk_keydb_errmsg(a->kc.db));
		ztk_keydb_rollback(a->kc.db);
		return CLI_EXIT_ENV;
	}
	if (a->json) {
		json_key(stdout, &r, a->now);
		putchar('\n');
	} else if (!a->quiet)
		printf("key %u of %s: %s; now %s\n", r.keytag, r.zone, detail,
			key_state(&r, a->now));
	return 0;
}

static int run_delete(struct app *a, int argc, char **argv)
{
	int rc = need_args(a->cmd, argc, 1);
	if (rc)
		return rc;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0)
		return rc;
	struct ztk_key_rec r;
	if ((rc = find_key(a, argv[0], &r)) != 0)
		return rc;
	bool pub, act;
	if (key_live(&r, a->now, &pub, &act) && !a->force) {
		cli_error("key %u of %s is %s%s%s; deleting it would break "
			"validation. Retire it first ('ztk-key set-time %u "
			"--inactive now --delete now+2d'), or use --force",
			r.keytag, r.zone, pub ? "published" : "",
			pub && act ? " and " : "", act ? "signing" : "",
			r.keytag);
		return CLI_EXIT_FINDINGS;
	}
	if ((rc = keyctx_open_token(&a->kc, true)) != 0)
		return rc;
	uint8_t id[ZTK_P11_ID_MAX];
	size_t idlen = 0;
	if (ztk_keydb_begin(a->kc.db) != 0) {
		cli_error("the key store is busy: %s", ztk_keydb_errmsg(a->kc.db));
		return CLI_EXIT_ENV;
	}
	bool gone = false;
	if (ztk_keydb_delete(a->kc.db, r.id) != 0 ||
	    keyctx_audit(&a->kc, "delete", r.zone, r.keytag, "ok",
		a->force ? "forced" : "") != 0) {
		ztk_keydb_rollback(a->kc.db);
		cli_error("cannot delete key %u: %s", r.keytag,
			ztk_keydb_errmsg(a->kc.db));
		return CLI_EXIT_ENV;
	}
	/* Destroy inside the transaction: if the token refuses, the store
	 * keeps the key and nothing is lost. */
	if (keyctx_unhex(r.p11_id, id, &idlen) == 0) {
		rc = ztk_p11_destroy(a->kc.p11, id, idlen);
		if (rc == ZTK_ENOENT)
			gone = true;
		else if (rc != 0) {
			ztk_keydb_rollback(a->kc.db);
			cli_error("the token refused to destroy key %u: %s",
				r.keytag, ztk_strerror(rc));
			return CLI_EXIT_ENV;
		}
	}
	if (ztk_keydb_commit(a->kc.db) != 0) {
		cli_error("key %u was destroyed in the token but the store "
			"could not record it: %s; run 'ztk-key reconcile'",
			r.keytag, ztk_keydb_errmsg(a->kc.db));
		return CLI_EXIT_ENV;
	}
	if (a->json)
		printf("{\"deleted\":%u,\"zone\":\"%s\",\"tokenObject\":%s}\n",
			r.keytag, r.zone, gone ? "\"absent\"" : "\"destroyed\"");
	else if (!a->quiet)
		printf("deleted key %u of %s%s\n", r.keytag, r.zone,
			gone ? " (it was already gone from the token)" : "");
	return 0;
}

/* --- export ----------------------------------------------------------------- */

static int run_export(struct app *a, int argc, char **argv)
{
	int rc = need_args(a->cmd, argc, 1);
	if (rc)
		return rc;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0)
		return rc;
	struct ztk_key_rec r;
	if ((rc = find_key(a, argv[0], &r)) != 0)
		return rc;
	const char *dir = a->outdir ? a->outdir : ".";
	char path[4400], body[8192], dk[4200];
	/* As dnssec-keygen: "Kexample.com.+013+12345.key", "K.+008+20326". */
	snprintf(path, sizeof(path), "%s/K%s+%03u+%05u.key", dir, r.zone, r.alg,
		r.keytag);
	dnskey_text(&r, dk, sizeof(dk));
	size_t o = 0;
	o += (size_t)snprintf(body + o, sizeof(body) - o,
		"; This is a %s, keyid %u, for %s\n",
		(r.flags & ZTK_DNSKEY_SEP) ? "key-signing key" : "zone-signing key",
		r.keytag, r.zone);
	static const struct { int t; const char *name; } bt[] = {
		{ ZTK_T_CREATED, "Created" }, { ZTK_T_PUBLISH, "Publish" },
		{ ZTK_T_ACTIVE, "Activate" }, { ZTK_T_INACTIVE, "Inactive" },
		{ ZTK_T_DELETE, "Delete" }, { ZTK_T_REVOKE, "Revoke" } };
	for (size_t i = 0; i < N(bt); i++) {
		int64_t t = r.t[bt[i].t];
		if (t == 0)
			continue;
		time_t tt = (time_t)t;
		struct tm tm;
		char b1[32], b2[64];
		gmtime_r(&tt, &tm);
		strftime(b1, sizeof(b1), "%Y%m%d%H%M%S", &tm);
		strftime(b2, sizeof(b2), "%a %b %e %H:%M:%S %Y", &tm);
		o += (size_t)snprintf(body + o, sizeof(body) - o,
			"; %s: %s (%s)\n", bt[i].name, b1, b2);
	}
	o += (size_t)snprintf(body + o, sizeof(body) - o, "%s\n", dk);
	char why[512];
	if (atomic_write(path, body, o, 0644, why, sizeof(why)) != 0) {
		cli_error("%s", why);
		return CLI_EXIT_ENV;
	}
	keyctx_audit(&a->kc, "export", r.zone, r.keytag, "ok", path);
	if (a->json) {
		printf("{\"file\":");
		ztk_json_string(stdout, path);
		printf(",\"keyTag\":%u}\n", r.keytag);
	} else if (!a->quiet)
		printf("%s\n", path);
	return 0;
}

/* --- reconcile / check -------------------------------------------------------- */

struct recon {
	struct app *a;
	const char *zone;
	struct collect store;
	int problems;
	bool first;
};

static void report(struct recon *rc, const char *kind, const char *zone,
	int tag, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void report(struct recon *rc, const char *kind, const char *zone,
	int tag, const char *id, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rc->problems++;
	if (rc->a->json) {
		printf("%s{\"problem\":\"%s\",\"zone\":", rc->first ? "" : ",",
			kind);
		ztk_json_string(stdout, zone ? zone : "");
		printf(",\"keyTag\":");
		if (tag >= 0)
			printf("%d", tag);
		else
			printf("null");
		printf(",\"pkcs11Id\":\"%s\",\"message\":", id);
		ztk_json_string(stdout, msg);
		putchar('}');
		rc->first = false;
	} else {
		printf("%s: %s\n", kind, msg);
	}
}

static int recon_token_key(void *ctx, const struct ztk_p11_key *k)
{
	struct recon *rc = ctx;
	char hex[2 * ZTK_P11_ID_MAX + 1];
	keyctx_hex(k->id, k->idlen, hex);
	for (size_t i = 0; i < rc->store.n; i++)
		if (strcmp(rc->store.recs[i].p11_id, hex) == 0)
			return 0;
	/* With --zone, only our own labels for that zone are orphans. */
	if (rc->zone != NULL) {
		char pre[300];
		snprintf(pre, sizeof(pre), "ztk:%s:", rc->zone);
		if (strncmp(k->label, pre, strlen(pre)) != 0)
			return 0;
	}
	report(rc, "orphan-in-token", NULL, -1, hex, "token object id %s "
		"label '%s' is not in the store (import it, or destroy it if "
		"it is left over)", hex, k->label);
	return 0;
}

static int run_reconcile(struct app *a, int argc, char **argv)
{
	(void)argv;
	int rc = need_args(a->cmd, argc, 0);
	if (rc)
		return rc;
	char zone[256] = "";
	if (a->zone && zone_arg(a->zone, zone, sizeof(zone)) != 0)
		return CLI_EXIT_USAGE;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0 ||
	    (rc = keyctx_open_token(&a->kc, false)) != 0)
		return rc;
	struct recon rec = { .a = a, .zone = zone[0] ? zone : NULL,
		.first = true };
	if ((rc = load_keys(a, rec.zone, &rec.store)) != 0)
		return rc;
	if (a->json)
		printf("{\"problems\":[");
	for (size_t i = 0; i < rec.store.n; i++) {
		const struct ztk_key_rec *r = &rec.store.recs[i];
		uint8_t id[ZTK_P11_ID_MAX];
		size_t idlen;
		struct ztk_p11_key k;
		if (keyctx_unhex(r->p11_id, id, &idlen) != 0 ||
		    ztk_p11_find(a->kc.p11, id, idlen, &k) != 0) {
			report(&rec, "missing-in-token", r->zone, r->keytag,
				r->p11_id, "key %u of %s (%s, %s) has no "
				"private key in token '%s'", r->keytag, r->zone,
				ztk_role_name(r->role), key_state(r, a->now),
				a->kc.env.token);
			continue;
		}
		if (k.publen != (size_t)r->dnskey_len - 4 ||
		    memcmp(k.pub, r->dnskey + 4, k.publen) != 0)
			report(&rec, "public-key-mismatch", r->zone, r->keytag,
				r->p11_id, "key %u of %s: the token's public key "
				"differs from the DNSKEY in the store",
				r->keytag, r->zone);
		if (!k.sensitive || k.extractable)
			report(&rec, "extractable", r->zone, r->keytag,
				r->p11_id, "key %u of %s: private key is %s%s%s",
				r->keytag, r->zone,
				k.sensitive ? "" : "not CKA_SENSITIVE",
				!k.sensitive && k.extractable ? " and " : "",
				k.extractable ? "CKA_EXTRACTABLE" : "");
		if (k.can_decrypt || k.can_unwrap || k.can_derive)
			report(&rec, "not-sign-only", r->zone, r->keytag,
				r->p11_id, "key %u of %s: private key may also "
				"%s%s%s", r->keytag, r->zone,
				k.can_decrypt ? "decrypt " : "",
				k.can_unwrap ? "unwrap " : "",
				k.can_derive ? "derive" : "");
		if (!k.can_sign)
			report(&rec, "cannot-sign", r->zone, r->keytag,
				r->p11_id, "key %u of %s: private key lacks "
				"CKA_SIGN", r->keytag, r->zone);
		if (ztk_p11_probe_extract(a->kc.p11, id, idlen) == 1)
			report(&rec, "key-material-readable", r->zone,
				r->keytag, r->p11_id, "key %u of %s: the token "
				"hands out private key material", r->keytag,
				r->zone);
	}
	ztk_p11_enumerate(a->kc.p11, recon_token_key, &rec);
	keyctx_audit(&a->kc, "reconcile", zone, -1, rec.problems ? "problems"
		: "ok", NULL);
	if (a->json)
		printf("],\"keys\":%zu}\n", rec.store.n);
	else if (!a->quiet || rec.problems)
		printf("reconcile: %zu key%s in the store, %d problem%s\n",
			rec.store.n, rec.store.n == 1 ? "" : "s", rec.problems,
			rec.problems == 1 ? "" : "s");
	free(rec.store.recs);
	return rec.problems ? CLI_EXIT_FINDINGS : 0;
}

static int run_check(struct app *a, int argc, char **argv)
{
	(void)argv;
	int rc = need_args(a->cmd, argc, 0);
	if (rc)
		return rc;
	char zone[256] = "";
	if (a->zone && zone_arg(a->zone, zone, sizeof(zone)) != 0)
		return CLI_EXIT_USAGE;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0 ||
	    (rc = keyctx_open_token(&a->kc, false)) != 0)
		return rc;
	if ((rc = keyctx_preflight_zone(&a->kc, zone[0] ? zone : NULL,
		a->now)) != 0)
		return rc;
	if (a->json) {
		printf("{\"ok\":true,\"module\":");
		ztk_json_string(stdout, a->kc.env.module);
		printf(",\"token\":");
		ztk_json_string(stdout, a->kc.env.token);
		printf("}\n");
	} else if (!a->quiet)
		printf("ok: module %s, token '%s', PIN accepted%s%s%s\n",
			a->kc.env.module, a->kc.env.token,
			zone[0] ? ", every live key of " : "", zone,
			zone[0] ? " present" : "");
	return 0;
}

/* --- audit --------------------------------------------------------------------- */

struct audit_print {
	struct app *a;
	bool first;
};

static int audit_line(void *ctx, const struct ztk_audit_entry *e)
{
	struct audit_print *ap = ctx;
	char t[32];
	cli_utc(e->time, t, sizeof(t));
	if (ap->a->json) {
		printf("%s{\"seq\":%lld,\"time\":\"%s\",\"user\":",
			ap->first ? "" : ",", (long long)e->seq, t);
		ztk_json_string(stdout, e->user);
		printf(",\"command\":");
		ztk_json_string(stdout, e->command);
		printf(",\"event\":");
		ztk_json_string(stdout, e->event);
		printf(",\"zone\":");
		ztk_json_string(stdout, e->zone);
		if (e->keytag >= 0)
			printf(",\"keyTag\":%d", e->keytag);
		else
			printf(",\"keyTag\":null");
		printf(",\"outcome\":");
		ztk_json_string(stdout, e->outcome);
		printf(",\"detail\":");
		ztk_json_string(stdout, e->detail);
		printf(",\"hash\":\"%s\"}", e->hash);
		ap->first = false;
	} else {
		char tag[16] = "-";
		if (e->keytag >= 0)
			snprintf(tag, sizeof(tag), "%d", e->keytag);
		printf("%5lld  %s  %-10s %-16s %-10s %-20s %5s  %s%s%s\n",
			(long long)e->seq, t, e->user, e->command, e->event,
			e->zone[0] ? e->zone : "-", tag, e->outcome,
			e->detail[0] ? "  " : "", e->detail);
	}
	return 0;
}

static int run_audit(struct app *a, int argc, char **argv)
{
	(void)argv;
	int rc = need_args(a->cmd, argc, 0);
	if (rc)
		return rc;
	if ((rc = keyctx_open_db(&a->kc, false)) != 0)
		return rc;
	if (a->verify) {
		int64_t bad = 0;
		char why[512] = "";
		int v = ztk_keydb_audit_verify(a->kc.db, &bad, why, sizeof(why));
		if (v < 0) {
			cli_error("cannot read the audit trail: %s",
				ztk_keydb_errmsg(a->kc.db));
			return CLI_EXIT_ENV;
		}
		if (a->json) {
			printf("{\"intact\":%s,\"firstBad\":", v ? "false"
				: "true");
			if (v)
				printf("%lld", (long long)bad);
			else
				printf("null");
			printf(",\"message\":");
			ztk_json_string(stdout, v ? why : "intact");
			printf("}\n");
		} else if (v) {
			printf("audit trail broken: %s\n", why);
		} else if (!a->quiet) {
			printf("audit trail intact\n");
		}
		return v ? CLI_EXIT_FINDINGS : 0;
	}
	struct audit_print ap = { .a = a, .first = true };
	if (a->json)
		printf("{\"entries\":[");
	rc = ztk_keydb_audit_list(a->kc.db, audit_line, &ap);
	if (a->json)
		printf("]}\n");
	if (rc < 0) {
		cli_error("cannot read the audit trail: %s",
			ztk_keydb_errmsg(a->kc.db));
		return CLI_EXIT_ENV;
	}
	return 0;
}

/* --- main ----------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	cli_prog = "ztk-key";
	struct app a;
	memset(&a, 0, sizeof(a));
	a.kc.lock_fd = -1;
	a.now = (int64_t)time(NULL);
	int first;
	int rc = cli_parse(argc, argv, global_opts, N(global_opts), on_opt, &a,
		&first);
	if (rc >= 100)
		return cli_finish(rc - 100);
	if (rc >= 0)
		return rc;
	if (first >= argc) {
		if (a.subhelp) {
			usage(stdout);
			return cli_finish(0);
		}
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	const char *name = argv[first];
	if (strcmp(name, "help") == 0) {
		if (first + 1 < argc)
			name = argv[first + 1], a.subhelp = true;
		else {
			usage(stdout);
			return cli_finish(0);
		}
	}
	for (size_t i = 0; i < N(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			a.cmd = &commands[i];
	if (a.cmd == NULL) {
		cli_error("unknown command \"%s\"; see 'ztk-key --help'", name);
		return CLI_EXIT_USAGE;
	}
	if (a.subhelp) {
		command_help(a.cmd);
		return cli_finish(0);
	}
	/* The command's own options may follow its operands. */
	int sub_argc = argc - first;
	char **sub_argv = argv + first;
	extern int optind;
	optind = 0;
	cli_permute = true;
	/* Global options are welcome after the command too. */
	struct cli_opt all[64];
	size_t nall = 0;
	for (size_t i = 0; i < a.cmd->nopts; i++)
		all[nall++] = a.cmd->opts[i];
	for (size_t i = 0; i < N(global_opts); i++)
		if (global_opts[i].id != G_HELP)
			all[nall++] = global_opts[i];
	rc = cli_parse(sub_argc, sub_argv, all, nall, on_opt, &a, &first);
	if (rc >= 100)
		return cli_finish(rc - 100);
	if (rc >= 0)
		return rc;
	if (a.subhelp) {
		command_help(a.cmd);
		return cli_finish(0);
	}
	if (keyenv_resolve(&a.kc.env) != 0)
		return CLI_EXIT_USAGE;
	char cmdname[64];
	snprintf(cmdname, sizeof(cmdname), "ztk-key %s", a.cmd->name);
	a.kc.command = cmdname;
	rc = a.cmd->run(&a, sub_argc - first, sub_argv + first);
	keyctx_close(&a.kc);
	return cli_finish(rc);
}
