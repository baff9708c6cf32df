/*
 * ztk-chain - prove the chain of trust from a trust anchor down to a zone.
 *
 * Two sources, one report: offline from zone files (--zone; CI: "does the
 * zone I am about to publish validate from the root, or from our parent's
 * DS?"), or live over DNS (ztk_chain_walk(): the iterative resolver from
 * root hints or --server).  Both fill the same levels, printed by one
 * renderer as a text tree, --json or --nagios; --prometheus writes the
 * same per zone for node_exporter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ztk/ztk.h>
#include <ztk/chain.h>
#include <ztk/chain_walk.h>
#include <ztk/dnssec.h>
#include <ztk/iterate.h>

#include "common/atomic.h"
#include "common/cli.h"

enum { O_HELP, O_VERSION, O_ZONE, O_ANCHOR, O_PARENT_DS, O_SERVER,
	O_ROOT_HINTS, O_TIMEOUT, O_NAMES_FROM, O_NOW, O_EXPIRE_WARN,
	O_ALLOW_INSECURE, O_JSON, O_NAGIOS, O_PROMETHEUS, O_QUIET };

static const struct cli_opt opts[] = {
	{ "help", 'h', false, NULL, "show this help and exit", O_HELP },
	{ "version", 'V', false, NULL, "show the version and exit", O_VERSION },
	{ "zone", 'z', true, "FILE", "a signed zone file of the chain "
		"(repeatable: parent and children)", O_ZONE },
	{ "anchor", 'a', true, "FILE", "trust anchor: DS or DNSKEY records, or "
		"a BIND trust-anchors block (default /usr/share/dns/root.key)",
		O_ANCHOR },
	{ "parent-ds", 'p', true, "FILE", "the parent's DS records for the top "
		"zone (instead of an anchor)", O_PARENT_DS },
	{ "server", 's', true, "ADDR[#PORT]", "a server of the top zone "
		"(repeatable; instead of the root hints)", O_SERVER },
	{ "root-hints", 0, true, "FILE", "root hints for the live walk "
		"(default /usr/share/dns/root.hints)", O_ROOT_HINTS },
	{ "timeout", 't', true, "DURATION", "give up on a name after this "
		"(default 10s; e.g. 3s, 500ms)", O_TIMEOUT },
	{ "names-from", 'f', true, "FILE", "check every NAME [TYPE] line of "
		"FILE (- for standard input)", O_NAMES_FROM },
	{ "now", 0, true, "TIME", "validate at TIME (YYYYMMDDHHMMSS, ISO 8601 "
		"or @unix)", O_NOW },
	{ "expire-warn", 0, true, "DURATION", "warn about signatures expiring "
		"within this (default 7d)", O_EXPIRE_WARN },
	{ "allow-insecure", 0, false, NULL, "exit 0 for a provably insecure "
		"zone", O_ALLOW_INSECURE },
	{ "json", 0, false, NULL, "the result as JSON", O_JSON },
	{ "nagios", 0, false, NULL, "one status line and Nagios exit codes",
		O_NAGIOS },
	{ "prometheus", 0, true, "FILE", "also write metrics for node_exporter's "
		"textfile collector to FILE", O_PROMETHEUS },
	{ "quiet", 'q', false, NULL, "print only the verdict line", O_QUIET },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

#define MAX_ZONES 32

struct chain_cli {
	const char *zonefiles[MAX_ZONES];
	size_t nzones;
	const char *anchor, *parent_ds, *root_hints, *names_from, *prometheus;
	struct ztk_server servers[ZTK_ITER_MAX_SERVERS];
	size_t nservers;
	unsigned timeout_ms;
	int64_t now;
	int64_t expire_warn;
	bool allow_insecure, json, nagios, quiet;
};

static int on_opt(void *ctx, int id, const char *arg)
{
	struct chain_cli *c = ctx;
	switch (id) {
	case O_HELP:
		cli_help(stdout, "[options] NAME [TYPE]\n"
			"       ztk-chain [options] --names-from FILE\n"
			"       ztk-chain [options] --zone FILE... [NAME [TYPE]]",
			"Prove the chain of trust from a trust anchor down to "
			"NAME: live over DNS\n(walking delegations from the root "
			"hints or --server), or through the given\nzone files. "
			"Each DS must match a DNSKEY that signs its zone's DNSKEY "
			"RRset,\nand the answer (or its proof of non-existence) "
			"must validate.",
			opts, NOPTS);
		return 100;
	case O_VERSION: cli_version(); return 100;
	case O_ZONE:
		if (c->nzones == MAX_ZONES) {
			cli_error("at most %d zone files", MAX_ZONES);
			return CLI_EXIT_USAGE;
		}
		c->zonefiles[c->nzones++] = arg;
		return 0;
	case O_ANCHOR: c->anchor = arg; return 0;
	case O_PARENT_DS: c->parent_ds = arg; return 0;
	case O_SERVER: {
		char why[200];
		if (c->nservers == ZTK_ITER_MAX_SERVERS) {
			cli_error("at most %d --server", ZTK_ITER_MAX_SERVERS);
			return CLI_EXIT_USAGE;
		}
		if (ztk_server_parse(arg, &c->servers[c->nservers], why,
			sizeof(why)) != 0) {
			cli_error("bad --server \"%s\": %s (give an address, "
				"e.g. 127.0.0.1#5300)", arg, why);
			return CLI_EXIT_USAGE;
		}
		c->nservers++;
		return 0;
	}
	case O_ROOT_HINTS: c->root_hints = arg; return 0;
	case O_TIMEOUT: {
		size_t l = strlen(arg);
		unsigned long ms;
		uint32_t sec;
		if (l > 2 && strcmp(arg + l - 2, "ms") == 0) {
			char num[32];
			if (l - 2 >= sizeof(num))
				goto bad_timeout;
			memcpy(num, arg, l - 2);
			num[l - 2] = '\0';
			if (cli_uint(num, 86400000, &ms) != 0)
				goto bad_timeout;
		} else if (cli_duration(arg, &sec) == 0 && sec <= 86400) {
			ms = sec * 1000ul;
		} else {
			goto bad_timeout;
		}
		if (ms == 0)
			goto bad_timeout;
		c->timeout_ms = (unsigned)ms;
		return 0;
bad_timeout:
		cli_error("bad --timeout \"%s\" (e.g. 10s, 500ms)", arg);
		return CLI_EXIT_USAGE;
	}
	case O_NAMES_FROM: c->names_from = arg; return 0;
	case O_PROMETHEUS: c->prometheus = arg; return 0;
	case O_NOW:
		if (cli_time(arg, (int64_t)time(NULL), &c->now) != 0 ||
		    c->now == 0) {
			cli_error("bad --now \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case O_EXPIRE_WARN: {
		uint32_t d;
		if (cli_duration(arg, &d) != 0) {
			cli_error("bad --expire-warn \"%s\" (e.g. 7d)", arg);
			return CLI_EXIT_USAGE;
		}
		c->expire_warn = d ? (int64_t)d : -1;
		return 0;
	}
	case O_ALLOW_INSECURE: c->allow_insecure = true; return 0;
	case O_JSON: c->json = true; return 0;
	case O_NAGIOS: c->nagios = true; return 0;
	case O_QUIET: c->quiet = true; return 0;
	}
	return 0;
}

struct zinfo {
	const char *file;
	struct ztk_zone *z;
	uint8_t origin[ZTK_DNAME_MAX];
	int parent;                     /* index of the closest ancestor, -1 */
	struct ztk_chain_level lv;
	char source[300];               /* where the trusted set came from */
	int errors;
};

static void on_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct zinfo *zi = ctx;
	if (ev->severity != ZTK_SEV_ERROR)
		return;
	if (zi->errors++ == 0)
		fprintf(stderr, "ztk-chain: %s:%u:%u: %s\n", ev->file, ev->line,
			ev->col, ev->message);
}

static int depth_cmp(const void *a, const void *b)
{
	const struct zinfo *x = a, *y = b;
	unsigned lx = ztk_dname_labels(x->origin), ly = ztk_dname_labels(y->origin);
	return (lx > ly) - (lx < ly);
}


/* Warnings about what is about to break, per level. */
static size_t level_warnings(const struct chain_cli *c,
	const struct ztk_chain_level *lv, char out[][300], size_t max)
{
	size_t n = 0;
	int64_t warn = c->expire_warn == 0 ? 7 * 86400 : c->expire_warn;
	char ts[32];
	if (lv->verdict == ZTK_SECURE && warn > 0 && lv->earliest_expiry &&
	    lv->earliest_expiry - c->now < warn && n < max)
		snprintf(out[n++], 300, "signatures of %.200s expire at %s", lv->zone,
			cli_utc(lv->earliest_expiry, ts, sizeof(ts)));
	if (lv->sha1_only && n < max)
		snprintf(out[n++], 300, "the only DS matching %.200s use SHA-1 "
			"(RFC 8624: publish a SHA-256 DS)", lv->zone);
	if (lv->ksk_without_ds && lv->verdict == ZTK_SECURE && n < max)
		snprintf(out[n++], 300, "%.200s publishes a KSK without DS at the "
			"parent (fine while it is pre-published)", lv->zone);
	if (lv->warnings && n < max)
		snprintf(out[n++], 300, "%zu DNSSEC warning%s inside %.200s (run "
			"ztk-lint on it)", lv->warnings, lv->warnings == 1 ? "" : "s",
			lv->zone);
	return n;
}

/* One level as the renderer sees it, from either mode. */
struct view {
	const struct ztk_chain_level *lv;
	const char *source;             /* where its trust came from */
	const char *file;               /* offline: its zone file */
	const char *servers;            /* online: who was asked */
	int parent;
	int ds_match;                   /* online: 1, 0, -1; -2 offline */
	bool have_serial;
	uint32_t serial;
};

struct report {
	const struct view *v;
	size_t n;
	const char *name, *type;        /* online */
	const char *answer;
	enum ztk_verdict worst;
	int target;
	const char (*extra)[300];       /* online warnings */
	size_t nextra;
	const char *error;              /* online: could not reach an answer */
	unsigned queries, elapsed_ms;
};

#define MAX_WARN 128

/* --nagios with --names-from: one status line for the whole run (Nagios
 * reads the first line), the worst name's, kept here while names stream. */
static struct {
	int code;               /* -1: no name yet */
	char line[1400];
	unsigned names, not_ok;
} nsum = { .code = -1 };

/* Nagios severity for a summary: CRITICAL, UNKNOWN, WARNING, OK. */
static int nagios_rank(int code)
{
	static const int rank[4] = { 0, 1, 3, 2 };
	return code >= 0 && code < 4 ? rank[code] : 0;
}

/* Print the report as text, JSON or a Nagios line; returns the exit
 * status (status as computed, or the Nagios code). */
static int render(const struct chain_cli *c, const struct report *r,
	int status)
{
	static char warns[MAX_WARN][300];
	size_t nw = 0;
	for (size_t i = 0; i < r->n; i++)
		nw += level_warnings(c, r->v[i].lv, warns + nw, MAX_WARN - nw);
	for (size_t i = 0; i < r->nextra && nw < MAX_WARN; i++)
		memcpy(warns[nw++], r->extra[i], 300);
	enum ztk_verdict worst = r->worst;
	bool fail = worst == ZTK_BOGUS || worst == ZTK_INDETERMINATE ||
		(worst == ZTK_INSECURE && !c->allow_insecure);
	char ts[32];
	if (c->json) {
		printf("{\"verdict\":\"%s\",\"now\":", ztk_verdict_name(worst));
		ztk_json_string(stdout, cli_utc(c->now, ts, sizeof(ts)));
		if (r->name) {
			printf(",\"name\":");
			ztk_json_string(stdout, r->name);
			printf(",\"type\":");
			ztk_json_string(stdout, r->type);
		}
		printf(",\"levels\":[");
		for (size_t i = 0; i < r->n; i++) {
			const struct view *v = &r->v[i];
			const struct ztk_chain_level *lv = v->lv;
			printf("%s{\"zone\":", i ? "," : "");
			ztk_json_string(stdout, lv->zone);
			if (v->file) {
				printf(",\"file\":");
				ztk_json_string(stdout, v->file);
			}
			if (v->servers) {
				printf(",\"servers\":");
				ztk_json_string(stdout, v->servers);
			}
			printf(",\"trustFrom\":");
			ztk_json_string(stdout, v->source);
			printf(",\"verdict\":\"%s\",\"reason\":",
				ztk_verdict_name(lv->verdict));
			ztk_json_string(stdout, lv->reason);
			printf(",\"hint\":");
			ztk_json_string(stdout, lv->hint);
			printf(",\"matchedKeys\":[");
			for (size_t k = 0; k < lv->nmatched; k++)
				printf("%s%u", k ? "," : "", lv->matched[k]);
			printf("],\"sepKeys\":[");
			for (size_t k = 0; k < lv->npublished; k++)
				printf("%s%u", k ? "," : "", lv->published[k]);
			printf("],\"earliestExpiry\":");
			if (lv->earliest_expiry)
				ztk_json_string(stdout, cli_utc(lv->earliest_expiry,
					ts, sizeof(ts)));
			else
				printf("null");
			if (v->ds_match > -2)
				printf(",\"dsMatch\":%s", v->ds_match < 0 ? "null"
					: v->ds_match ? "true" : "false");
			if (v->servers) {
				printf(",\"soaSerial\":");
				if (v->have_serial)
					printf("%u", v->serial);
				else
					printf("null");
			}
			printf(",\"secondsToExpiry\":%lld,\"errors\":%zu,"
				"\"warnings\":%zu,\"sha1Only\":%s,"
				"\"kskWithoutDs\":%s}",
				lv->earliest_expiry ? (long long)(lv->earliest_expiry
				- c->now) : -1LL, lv->errors, lv->warnings,
				lv->sha1_only ? "true" : "false",
				lv->ksk_without_ds ? "true" : "false");
		}
		printf("],\"answer\":");
		ztk_json_string(stdout, r->answer);
		printf(",\"warnings\":[");
		for (size_t i = 0; i < nw; i++) {
			printf("%s", i ? "," : "");
			ztk_json_string(stdout, warns[i]);
		}
		printf("]");
		if (r->name) {
			printf(",\"error\":");
			if (r->error && r->error[0])
				ztk_json_string(stdout, r->error);
			else
				printf("null");
			printf(",\"queries\":%u,\"elapsedMs\":%u", r->queries,
				r->elapsed_ms);
		}
		printf("}\n");
	} else if (c->nagios) {
		/* 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
		const struct ztk_chain_level *bad = NULL;
		for (size_t i = 0; i < r->n && bad == NULL; i++)
			if (r->v[i].lv->verdict == worst && worst != ZTK_SECURE)
				bad = r->v[i].lv;
		int code = worst == ZTK_INDETERMINATE ? 3 : fail ? 2 : nw ? 1 : 0;
		static const char *word[] = { "OK", "WARNING", "CRITICAL",
			"UNKNOWN" };
		const char *who = r->target >= 0 ? r->v[r->target].lv->zone
			: r->n ? r->v[r->n - 1].lv->zone : r->name ? r->name : ".";
		char line[1400];
		if (r->error && r->error[0] && bad == NULL) {
			code = 3;
			snprintf(line, sizeof(line), "DNSSEC UNKNOWN - %.300s: %s",
				r->name ? r->name : who, r->error);
		} else {
			snprintf(line, sizeof(line), "DNSSEC %s - %.300s%s%.600s%s"
				"%.300s", word[code], bad ? bad->zone : who, bad ?
				": " : " is secure", bad ? bad->reason : "",
				!bad && nw ? "; " : "", !bad && nw ? warns[0] : "");
		}
		if (!c->names_from) {
			printf("%s\n", line);
			return code;
		}
		nsum.names++;
		nsum.not_ok += code != 0;
		if (nsum.code < 0 || nagios_rank(code) > nagios_rank(nsum.code)) {
			nsum.code = code;
			memcpy(nsum.line, line, sizeof(line));
		}
		return code;
	} else {
		if (r->name && r->n && !c->quiet)
			printf("%s %s\n", r->name, r->type);
		if (!c->quiet)
			for (size_t i = 0; i < r->n; i++) {
				const struct view *v = &r->v[i];
				const struct ztk_chain_level *lv = v->lv;
				int depth = 0;
				for (int k = v->parent; k >= 0; k = r->v[k].parent)
					depth++;
				printf("%*s%s%s  %s  (trust from %s", depth * 2, "",
					depth ? "`- " : "", lv->zone,
					ztk_verdict_name(lv->verdict), v->source);
				if (lv->nmatched)
					printf(", key %u", lv->matched[0]);
				if (lv->earliest_expiry)
					printf(", earliest expiry %s", cli_utc(
						lv->earliest_expiry, ts, sizeof(ts)));
				printf(")\n");
				if (lv->reason[0])
					printf("%*s   %s\n", depth * 2, "", lv->reason);
				if (lv->hint[0])
					printf("%*s   hint: %s\n", depth * 2, "",
						lv->hint);
			}
		for (size_t i = 0; i < nw && !c->quiet; i++)
			printf("warning: %s\n", warns[i]);
		if (r->answer[0] && !c->quiet)
			printf("answer: %s\n", r->answer);
		if (c->quiet && c->names_from)
			printf("%s %s ", r->name, r->type);
		printf("verdict: %s\n", ztk_verdict_name(worst));
	}
	return status;
}

/* --- --prometheus: text exposition, one temp file per metric family so
 * every family stays one group while names stream by ------------------- */

enum { PM_VERDICT, PM_EXPIRY, PM_DS, PM_ANSWER, PM_REACH, PM_DURATION, PM_N };

static const char *const pm_head[PM_N] = {
	"# HELP ztk_chain_verdict Verdict of each zone on the chain to a name "
	"(1 for the verdict it has).\n# TYPE ztk_chain_verdict gauge\n",
	"# HELP ztk_chain_signature_expiry_seconds Seconds from the check to "
	"the earliest expiry of the zone's signatures seen.\n"
	"# TYPE ztk_chain_signature_expiry_seconds gauge\n",
	"# HELP ztk_chain_ds_match 1 if a DS at the parent matches a DNSKEY "
	"of the zone, 0 if none does.\n# TYPE ztk_chain_ds_match gauge\n",
	"# HELP ztk_chain_answer_verdict Overall verdict for the name "
	"(1 for the verdict it has).\n# TYPE ztk_chain_answer_verdict gauge\n",
	"# HELP ztk_chain_reachable 1 if an answer could be reached for the "
	"name, 0 if not.\n# TYPE ztk_chain_reachable gauge\n",
	"# HELP ztk_chain_check_duration_seconds Wall time of the check.\n"
	"# TYPE ztk_chain_check_duration_seconds gauge\n",
};

struct prom {
	FILE *f[PM_N];
};

/* A label value with \, " and newline escaped. */
static void pm_label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

static int prom_open(struct prom *pm)
{
	for (int i = 0; i < PM_N; i++)
		if ((pm->f[i] = tmpfile()) == NULL) {
			cli_error("--prometheus: cannot make a temporary file: %s",
				strerror(errno));
			return CLI_EXIT_ENV;
		}
	return 0;
}

static void prom_add(struct prom *pm, const struct report *r,
	const char *name, const char *type, bool reached, int64_t now)
{
	static const enum ztk_verdict all[4] = { ZTK_SECURE, ZTK_INSECURE,
		ZTK_BOGUS, ZTK_INDETERMINATE };
	for (size_t i = 0; i < r->n; i++) {
		const struct ztk_chain_level *lv = r->v[i].lv;
		for (int k = 0; k < 4; k++) {
			fputs("ztk_chain_verdict{name=\"", pm->f[PM_VERDICT]);
			pm_label(pm->f[PM_VERDICT], name);
			fputs("\",zone=\"", pm->f[PM_VERDICT]);
			pm_label(pm->f[PM_VERDICT], lv->zone);
			fprintf(pm->f[PM_VERDICT], "\",verdict=\"%s\"} %d\n",
				ztk_verdict_name(all[k]), lv->verdict == all[k]);
		}
		if (lv->earliest_expiry) {
			fputs("ztk_chain_signature_expiry_seconds{name=\"",
				pm->f[PM_EXPIRY]);
			pm_label(pm->f[PM_EXPIRY], name);
			fputs("\",zone=\"", pm->f[PM_EXPIRY]);
			pm_label(pm->f[PM_EXPIRY], lv->zone);
			fprintf(pm->f[PM_EXPIRY], "\"} %lld\n",
				(long long)(lv->earliest_expiry - now));
		}
		int dm = r->v[i].ds_match;
		if (dm == -2)   /* offline: trusted set matched or not */
			dm = lv->verdict == ZTK_INSECURE ? -1 : lv->nmatched > 0;
		if (dm >= 0) {
			fputs("ztk_chain_ds_match{name=\"", pm->f[PM_DS]);
			pm_label(pm->f[PM_DS], name);
			fputs("\",zone=\"", pm->f[PM_DS]);
			pm_label(pm->f[PM_DS], lv->zone);
			fprintf(pm->f[PM_DS], "\"} %d\n", dm);
		}
	}
	for (int k = 0; k < 4; k++) {
		fputs("ztk_chain_answer_verdict{name=\"", pm->f[PM_ANSWER]);
		pm_label(pm->f[PM_ANSWER], name);
		fputs("\",type=\"", pm->f[PM_ANSWER]);
		pm_label(pm->f[PM_ANSWER], type);
		fprintf(pm->f[PM_ANSWER], "\",verdict=\"%s\"} %d\n",
			ztk_verdict_name(all[k]), r->worst == all[k]);
	}
	fputs("ztk_chain_reachable{name=\"", pm->f[PM_REACH]);
	pm_label(pm->f[PM_REACH], name);
	fputs("\",type=\"", pm->f[PM_REACH]);
	pm_label(pm->f[PM_REACH], type);
	fprintf(pm->f[PM_REACH], "\"} %d\n", reached);
	fputs("ztk_chain_check_duration_seconds{name=\"", pm->f[PM_DURATION]);
	pm_label(pm->f[PM_DURATION], name);
	fputs("\",type=\"", pm->f[PM_DURATION]);
	pm_label(pm->f[PM_DURATION], type);
	fprintf(pm->f[PM_DURATION], "\"} %.3f\n", r->elapsed_ms / 1000.0);
}

/* Write the families into path atomically; closes the temp files. */
static int prom_commit(struct prom *pm, const char *path)
{
	struct atomic_file af;
	char why[300];
	int rc = 0;
	if (atomic_open(&af, path, 0644, why, sizeof(why)) != 0) {
		cli_error("--prometheus: %s", why);
		rc = CLI_EXIT_ENV;
	}
	for (int i = 0; i < PM_N; i++) {
		if (rc == 0) {
			fputs(pm_head[i], af.fp);
			rewind(pm->f[i]);
			char buf[8192];
			size_t got;
			while ((got = fread(buf, 1, sizeof(buf), pm->f[i])) > 0)
				fwrite(buf, 1, got, af.fp);
			if (ferror(pm->f[i]))
				rc = CLI_EXIT_ENV;
		}
		fclose(pm->f[i]);
		pm->f[i] = NULL;
	}
	if (rc == 0) {
		fprintf(af.fp, "# HELP ztk_chain_last_run_timestamp_seconds When "
			"ztk-chain wrote this file.\n# TYPE "
			"ztk_chain_last_run_timestamp_seconds gauge\n"
			"ztk_chain_last_run_timestamp_seconds %lld\n",
			(long long)time(NULL));
		if (atomic_commit(&af, why, sizeof(why)) != 0) {
			cli_error("--prometheus: %s", why);
			rc = CLI_EXIT_ENV;
		}
	} else if (af.fp) {
		cli_error("--prometheus: cannot write the metrics");
		atomic_abort(&af);
		rc = CLI_EXIT_ENV;
	}
	return rc;
}

/* --- the live walk ------------------------------------------------------- */

struct online {
	struct chain_cli *c;
	struct ztk_iter *it;
	struct ztk_trust *trust;
	size_t ntrust;
	const char *tpath;
	struct ztk_walk_cache *cache;
	struct ztk_walk_report *rep;
	struct prom pm;
	bool prom;
};

/* Exit status of one result; 3 (could not reach) above 1 above 0. */
static int verdict_status(const struct chain_cli *c, enum ztk_verdict v,
	bool unreachable)
{
	if (unreachable || v == ZTK_INDETERMINATE)
		return CLI_EXIT_ENV;
	if (v == ZTK_BOGUS || (v == ZTK_INSECURE && !c->allow_insecure))
		return CLI_EXIT_FINDINGS;
	return 0;
}

/* Check one name; where names a line of --names-from for errors. */
static int check_one(struct online *on, const char *name, const char *type,
	const char *where)
{
	struct chain_cli *c = on->c;
	uint8_t qname[ZTK_DNAME_MAX];
	uint16_t qtype = ZTK_TYPE_A;
	const char *why = NULL;
	static const uint8_t root[1] = { 0 };
	if (ztk_dname_parse(name, strlen(name), root, qname, &why) < 0) {
		cli_error("%s%sbad name \"%s\": %s", where ? where : "",
			where ? ": " : "", name, why ? why : "invalid");
		return CLI_EXIT_USAGE;
	}
	ztk_dname_to_lower(qname);
	if (type && ztk_rrtype_from_text(type, strlen(type), &qtype) != 0) {
		cli_error("%s%sbad type \"%s\"", where ? where : "",
			where ? ": " : "", type);
		return CLI_EXIT_USAGE;
	}
	char tname[16], qtext[ZTK_DNAME_TEXT_MAX];
	const char *tn = ztk_rrtype_name(qtype, tname);
	ztk_dname_print(qname, qtext);
	ztk_iter_set_deadline(on->it);
	struct ztk_walk_opts wo = { .now = c->now, .cache = on->cache,
		.expire_warn = c->expire_warn, .anchor_name = on->tpath };
	struct ztk_walk_report *rep = on->rep;
	int rc = ztk_chain_walk(on->it, on->trust, on->ntrust, qname, qtype,
		&wo, rep);
	if (rc == ZTK_EINVAL) {
		char an[ZTK_DNAME_TEXT_MAX];
		ztk_dname_print(on->trust[0].owner, an);
		cli_error("%s%s%s is not below the trust anchor's zone %s",
			where ? where : "", where ? ": " : "", qtext, an);
		return CLI_EXIT_USAGE;
	}
	if (rc != 0) {
		cli_error("%s: %s", qtext, ztk_strerror(rc));
		return CLI_EXIT_ENV;
	}
	if (rep->unreachable)
		cli_error("%s %s: could not reach an answer: %s", qtext, tn,
			rep->error);
	struct view vs[ZTK_WALK_MAX_LEVELS];
	for (size_t i = 0; i < rep->nlevels; i++) {
		const struct ztk_walk_level *l = &rep->levels[i];
		vs[i] = (struct view){ .lv = &l->lv, .source = l->source,
			.servers = l->servers, .parent = l->parent,
			.ds_match = l->ds_match, .have_serial = l->have_serial,
			.serial = l->serial };
	}
	struct report r = { .v = vs, .n = rep->nlevels, .name = qtext,
		.type = tn, .answer = rep->answer, .worst = rep->verdict,
		.target = rep->target, .extra = rep->warnings,
		.nextra = rep->nwarnings, .error = rep->error,
		.queries = rep->queries, .elapsed_ms = rep->elapsed_ms };
	int status = verdict_status(c, rep->verdict, rep->unreachable);
	status = render(c, &r, status);
	if (on->prom)
		prom_add(&on->pm, &r, qtext, tn, !rep->unreachable, c->now);
	return status;
}

/* The worse of two exit statuses: 3, then 2, then 1, then 0. */
static int worse(int a, int b)
{
	return a > b ? a : b;
}

/* Stream --names-from: one "NAME [TYPE]" per line, '#' comments. */
static int names_from(struct online *on)
{
	const char *path = on->c->names_from;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		cli_error("cannot read %s: %s", path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long ln = 0, checked = 0;
	int status = 0;
	while ((got = getline(&line, &cap, f)) >= 0) {
		ln++;
		char *save = NULL, *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *name = strtok_r(line, " \t\r\n", &save);
		if (name == NULL)
			continue;
		char *type = strtok_r(NULL, " \t\r\n", &save);
		char where[300];
		snprintf(where, sizeof(where), "%.250s:%lu", path, ln);
		if (strtok_r(NULL, " \t\r\n", &save) != NULL) {
			cli_error("%s: give NAME [TYPE] on each line", where);
			status = worse(status, CLI_EXIT_USAGE);
			continue;
		}
		int st = check_one(on, name, type, where);
		status = on->c->nagios && st != CLI_EXIT_USAGE ? status
			: worse(status, st);
		checked++;
		fflush(stdout);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (on->c->nagios && nsum.code >= 0) {
		printf("%s (%u of %u names not OK)\n", nsum.line, nsum.not_ok,
			nsum.names);
		/* the plugin status; a malformed line was reported on
		 * stderr and must not read as CRITICAL */
		return nsum.code;
	}
	if (checked == 0 && status == 0) {
		cli_error("%s: no names in it", path);
		return CLI_EXIT_USAGE;
	}
	return status;
}

static int online_main(struct chain_cli *c, int argc, char **argv, int first)
{
	if (c->parent_ds) {
		cli_error("--parent-ds is for --zone; the live walk starts at "
			"an --anchor");
		return CLI_EXIT_USAGE;
	}
	if (c->names_from ? argc - first != 0 : argc - first < 1) {
		cli_error(c->names_from ? "give names either with --names-from "
			"or as NAME [TYPE], not both" : "give a NAME to check "
			"(or --zone FILE, or --names-from FILE); see --help");
		return CLI_EXIT_USAGE;
	}
	const char *tpath = c->anchor ? c->anchor : "/usr/share/dns/root.key";
	struct online on = { .c = c, .tpath = tpath };
	char why[700];
	int status = 0;
	if (ztk_trust_load(tpath, &on.trust, &on.ntrust, why, sizeof(why))
	    != 0) {
		cli_error("%s", why);
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 1; i < on.ntrust; i++)
		if (!ztk_dname_equal(on.trust[i].owner, on.trust[0].owner)) {
			cli_error("%s: trust anchors for more than one zone; give "
				"the anchor of the top of the walk only", tpath);
			free(on.trust);
			return CLI_EXIT_USAGE;
		}
	unsigned total = c->timeout_ms ? c->timeout_ms : 10000;
	/* per try: short enough that a silent server leaves time for the
	 * others and for the rest of the walk */
	unsigned per_try = total / 4 < 800 ? (total / 4 ? total / 4 : 1) : 800;
	/* Learned servers are asked on the port of the first --server: a
	 * test hierarchy may run every server on one other port. */
	struct ztk_iter_opts io = { .deadline_ms = total,
		.timeout_ms = per_try,
		.port = c->nservers ? c->servers[0].port : 0 };
	on.rep = calloc(1, sizeof(*on.rep));
	if (on.rep == NULL || ztk_iter_new(&io, &on.it) != 0 ||
	    (c->names_from && ztk_walk_cache_new(&on.cache) != 0)) {
		cli_error("out of memory");
		status = CLI_EXIT_ENV;
		goto out;
	}
	if (c->nservers) {
		if (c->root_hints) {
			cli_error("--server and --root-hints both name the top's "
				"servers: give one");
			status = CLI_EXIT_USAGE;
			goto out;
		}
		if (ztk_iter_set_top(on.it, on.trust[0].owner, c->servers,
			c->nservers) != 0) {
			cli_error("no usable --server");
			status = CLI_EXIT_USAGE;
			goto out;
		}
	} else {
		const char *hp = c->root_hints ? c->root_hints
			: "/usr/share/dns/root.hints";
		if (ztk_iter_load_hints(on.it, hp, why, sizeof(why)) != 0) {
			cli_error("%s", why);
			status = CLI_EXIT_USAGE;
			goto out;
		}
	}
	if (c->prometheus) {
		if ((status = prom_open(&on.pm)) != 0)
			goto out;
		on.prom = true;
	}
	if (c->names_from)
		status = names_from(&on);
	else
		status = check_one(&on, argv[first], argc - first > 1 ?
			argv[first + 1] : NULL, NULL);
	if (on.prom) {
		on.prom = false;
		status = worse(status, prom_commit(&on.pm, c->prometheus));
	}
out:
	if (on.prom)
		for (int i = 0; i < PM_N; i++)
			if (on.pm.f[i])
				fclose(on.pm.f[i]);
	ztk_iter_free(on.it);
	ztk_walk_cache_free(on.cache);
	free(on.rep);
	free(on.trust);
	return status;
}

int main(int argc, char **argv)
{
	cli_prog = "ztk-chain";
	struct chain_cli c = { .now = (int64_t)time(NULL) };
	int first;
	cli_permute = true;
	int rc = cli_parse(argc, argv, opts, NOPTS, on_opt, &c, &first);
	if (rc == 100)
		return cli_finish(0);
	if (rc >= 0)
		return rc;
	if (argc - first > 2) {
		cli_error("give at most NAME and TYPE; see --help");
		return CLI_EXIT_USAGE;
	}
	if (c.nzones == 0)
		return cli_finish(online_main(&c, argc, argv, first));
	if (c.nservers || c.root_hints || c.names_from || c.timeout_ms) {
		cli_error("--server, --root-hints, --names-from and --timeout "
			"are for the live walk, not --zone");
		return CLI_EXIT_USAGE;
	}
	if (c.anchor && c.parent_ds) {
		cli_error("--anchor and --parent-ds both name the top zone's "
			"trust: give one");
		return CLI_EXIT_USAGE;
	}
	uint8_t qname[ZTK_DNAME_MAX];
	bool have_name = false;
	uint16_t qtype = 0;
	if (argc - first >= 1) {
		const char *why = NULL;
		static const uint8_t root[1] = { 0 };
		if (ztk_dname_parse(argv[first], strlen(argv[first]), root,
			qname, &why) < 0) {
			cli_error("bad name \"%s\": %s", argv[first],
				why ? why : "invalid");
			return CLI_EXIT_USAGE;
		}
		ztk_dname_to_lower(qname);
		have_name = true;
		if (argc - first == 2) {
			if (ztk_rrtype_from_text(argv[first + 1],
				strlen(argv[first + 1]), &qtype) != 0) {
				cli_error("bad type \"%s\"", argv[first + 1]);
				return CLI_EXIT_USAGE;
			}
		}
	}

	/* Trust for the top zone. */
	const char *tpath = c.parent_ds ? c.parent_ds
		: c.anchor ? c.anchor : "/usr/share/dns/root.key";
	struct ztk_trust *trust = NULL;
	size_t ntrust = 0;
	char why[700];
	if (ztk_trust_load(tpath, &trust, &ntrust, why, sizeof(why)) != 0) {
		cli_error("%s", why);
		return CLI_EXIT_USAGE;
	}

	struct zinfo *zs = calloc(c.nzones, sizeof(*zs));
	if (zs == NULL)
		return CLI_EXIT_ENV;
	int exit_status = 0;
	for (size_t i = 0; i < c.nzones; i++) {
		zs[i].file = c.zonefiles[i];
		struct ztk_scan_opts so = { .on_event = on_event, .ctx = &zs[i] };
		int lr = ztk_zone_load(zs[i].file, NULL, &so, &zs[i].z, NULL);
		if (lr != 0 || zs[i].errors) {
			if (zs[i].errors == 0)
				cli_error("%s: %s", zs[i].file, ztk_strerror(lr));
			exit_status = CLI_EXIT_USAGE;
			goto done;
		}
		const uint8_t *o = ztk_zone_origin(zs[i].z);
		memcpy(zs[i].origin, o, ztk_dname_len(o));
		ztk_dname_to_lower(zs[i].origin);
	}
	qsort(zs, c.nzones, sizeof(*zs), depth_cmp);

	/* Each zone's trusted set: the closest loaded ancestor's DS, or the
	 * anchor for a zone with no loaded ancestor. */
	enum ztk_verdict worst = ZTK_SECURE;
	/* With a NAME the chain is proven link by link down to the answer
	 * (RFC 4035 5); without one, every zone is checked completely. */
	struct ztk_chain_opts co = { .now = c.now, .expire_warn = c.expire_warn,
		.whole_zone = !have_name };
	for (size_t i = 0; i < c.nzones; i++) {
		struct zinfo *zi = &zs[i];
		zi->parent = -1;
		for (size_t k = 0; k < i; k++)
			if (ztk_dname_is_subdomain(zi->origin, zs[k].origin) &&
			    !ztk_dname_equal(zi->origin, zs[k].origin))
				zi->parent = (int)k;
		struct ztk_trust ds[32];
		const struct ztk_trust *set = trust;
		size_t nset = ntrust;
		char pname[ZTK_DNAME_TEXT_MAX];
		if (zi->parent >= 0) {
			struct zinfo *p = &zs[zi->parent];
			bool deleg = false;
			nset = ztk_chain_ds_of(p->z, zi->origin, ds, 32, &deleg);
			set = ds;
			ztk_dname_print(p->origin, pname);
			snprintf(zi->source, sizeof(zi->source), "DS in %.200s",
				pname);
			if (!deleg) {
				memset(&zi->lv, 0, sizeof(zi->lv));
				ztk_dname_print(zi->origin, zi->lv.zone);
				zi->lv.verdict = ZTK_INDETERMINATE;
				snprintf(zi->lv.reason, sizeof(zi->lv.reason),
					"%.150s does not delegate %.150s: no NS "
					"records for it in %.150s", pname,
					zi->lv.zone, p->file);
				continue;       /* counted below, if on the path */
			}
			if (p->lv.verdict != ZTK_SECURE) {
				/* Nothing below an insecure or bogus parent is
				 * secure (RFC 4035 4.3). */
				int rc2 = ztk_chain_zone(zi->z, set, nset, &co,
					&zi->lv, NULL);
				(void)rc2;
				zi->lv.verdict = p->lv.verdict;
				snprintf(zi->lv.reason, sizeof(zi->lv.reason),
					"its parent %.200s is %s", pname,
					ztk_verdict_name(p->lv.verdict));
				continue;
			}
		} else {
			snprintf(zi->source, sizeof(zi->source), "%.280s", tpath);
		}
		if (ztk_chain_zone(zi->z, set, nset, &co, &zi->lv, NULL) != 0) {
			cli_error("out of memory");
			exit_status = CLI_EXIT_ENV;
			goto done;
		}
		if (zi->parent < 0 && zi->lv.verdict == ZTK_INSECURE &&
		    zi->lv.nmatched == 0) {
			/* The anchor names another zone: we know nothing. */
			bool covers = false;
			for (size_t t = 0; t < ntrust; t++)
				covers |= ztk_dname_equal(trust[t].owner,
					zi->origin);
			if (!covers) {
				zi->lv.verdict = ZTK_INDETERMINATE;
				snprintf(zi->lv.reason, sizeof(zi->lv.reason),
					"%.280s holds no DS or DNSKEY for %.200s, "
					"and no loaded zone is its parent", tpath,
					zi->lv.zone);
				snprintf(zi->lv.hint, sizeof(zi->lv.hint),
					"add the parent's zone with --zone, or give "
					"its DS with --parent-ds");
			}
		}
	}

	/* The verdict: the zone holding NAME and its ancestors, or all. */
	int target = -1;
	if (have_name)
		for (size_t i = 0; i < c.nzones; i++)
			if (ztk_dname_is_subdomain(qname, zs[i].origin))
				target = (int)i;
	if (have_name && target < 0) {
		cli_error("no loaded zone contains the name %s", argv[first]);
		exit_status = CLI_EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < c.nzones; i++) {
		bool on_path = !have_name;
		for (int k = target; k >= 0 && !on_path; k = zs[k].parent)
			on_path = (size_t)k == i;
		if (on_path && zs[i].lv.verdict > worst)
			worst = zs[i].lv.verdict;
	}
	/* The answer itself: present (its signatures were checked with the
	 * zone), or absent (the zone's denial chain was checked). */
	char answer[400] = "";
	if (have_name && target >= 0) {
		const struct ztk_zone_node *nd = ztk_zone_find(zs[target].z, qname);
		const struct ztk_zone_rr *rrs = ztk_zone_rrs(zs[target].z);
		size_t cnt = 0;
		for (uint32_t k = 0; nd && k < nd->count; k++)
			if (qtype == 0 || rrs[nd->first + k].type == qtype)
				cnt++;
		char tn[16] = "";
		snprintf(answer, sizeof(answer), "%s%s%s: %s", argv[first],
			qtype ? " " : "", qtype ? ztk_rrtype_name(qtype, tn) : "",
			cnt ? "present" : nd ? "no such type (NODATA)"
			: "no such name (NXDOMAIN)");
		struct zinfo *zt = &zs[target];
		if (zt->lv.verdict == ZTK_SECURE && qtype != 0 && cnt > 0) {
			char aw[600];
			enum ztk_verdict av = ztk_chain_rrset(zt->z, qname, qtype,
				&co, aw, sizeof(aw));
			if (av != ZTK_SECURE) {
				zt->lv.verdict = ZTK_BOGUS;
				snprintf(zt->lv.reason, sizeof(zt->lv.reason), "%s",
					aw);
				worst = ZTK_BOGUS;
			}
		} else if (zt->lv.verdict == ZTK_SECURE) {
			/* No such RRset: its denial is proven by the zone's
			 * NSEC/NSEC3 chain, which the whole-zone check judges. */
			struct ztk_chain_opts wz = co;
			wz.whole_zone = true;
			struct ztk_trust ds2[32];
			const struct ztk_trust *set = trust;
			size_t nset = ntrust;
			if (zt->parent >= 0) {
				bool deleg;
				nset = ztk_chain_ds_of(zs[zt->parent].z, zt->origin,
					ds2, 32, &deleg);
				set = ds2;
			}
			if (ztk_chain_zone(zt->z, set, nset, &wz, &zt->lv, NULL)
			    == 0 && zt->lv.verdict > worst)
				worst = zt->lv.verdict;
		}
	}

	bool fail = worst == ZTK_BOGUS || worst == ZTK_INDETERMINATE ||
		(worst == ZTK_INSECURE && !c.allow_insecure);
	exit_status = worst == ZTK_INDETERMINATE ? CLI_EXIT_ENV
		: fail ? CLI_EXIT_FINDINGS : 0;

	struct view vs[MAX_ZONES];
	for (size_t i = 0; i < c.nzones; i++) {
		vs[i] = (struct view){ .lv = &zs[i].lv, .source = zs[i].source,
			.file = zs[i].file, .parent = zs[i].parent, .ds_match = -2 };
	}
	struct report rp = { .v = vs, .n = c.nzones, .answer = answer,
		.worst = worst, .target = target };
	exit_status = render(&c, &rp, exit_status);
	if (c.prometheus) {
		struct prom pm = { 0 };
		char tn[16] = "";
		int pr = prom_open(&pm);
		if (pr == 0) {
			prom_add(&pm, &rp, have_name ? argv[first] : "",
				qtype ? ztk_rrtype_name(qtype, tn) : "", true,
				c.now);
			pr = prom_commit(&pm, c.prometheus);
		} else {
			for (int i = 0; i < PM_N; i++)
				if (pm.f[i])
					fclose(pm.f[i]);
		}
		if (pr)
			exit_status = pr;
	}
done:
	for (size_t i = 0; i < c.nzones; i++)
		ztk_zone_free(zs[i].z);
	free(zs);
	free(trust);
	return cli_finish(exit_status);
}
