/*
 * ztk-chain - prove the chain of trust from a trust anchor down to a zone.
 *
 * This first version works offline, from zone files (CI: "does the zone I
 * am about to publish validate from the root, or from our parent's DS?");
 * the live walk over the resolver comes next and takes the same shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ztk/ztk.h>
#include <ztk/chain.h>
#include <ztk/dnssec.h>

#include "common/cli.h"

enum { O_HELP, O_VERSION, O_ZONE, O_ANCHOR, O_PARENT_DS, O_NOW,
	O_EXPIRE_WARN, O_ALLOW_INSECURE, O_JSON, O_NAGIOS, O_QUIET };

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
	{ "now", 0, true, "TIME", "validate at TIME (YYYYMMDDHHMMSS, ISO 8601 "
		"or @unix)", O_NOW },
	{ "expire-warn", 0, true, "DURATION", "warn about signatures expiring "
		"within this (default 7d)", O_EXPIRE_WARN },
	{ "allow-insecure", 0, false, NULL, "exit 0 for a provably insecure "
		"zone", O_ALLOW_INSECURE },
	{ "json", 0, false, NULL, "the result as JSON", O_JSON },
	{ "nagios", 0, false, NULL, "one status line and Nagios exit codes",
		O_NAGIOS },
	{ "quiet", 'q', false, NULL, "print only the verdict line", O_QUIET },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

#define MAX_ZONES 32

struct chain_cli {
	const char *zonefiles[MAX_ZONES];
	size_t nzones;
	const char *anchor, *parent_ds;
	int64_t now;
	int64_t expire_warn;
	bool allow_insecure, json, nagios, quiet;
};

static int on_opt(void *ctx, int id, const char *arg)
{
	struct chain_cli *c = ctx;
	switch (id) {
	case O_HELP:
		cli_help(stdout, "[options] --zone FILE... [NAME [TYPE]]",
			"Prove the chain of trust from a trust anchor (or the "
			"parent's DS) through\nthe given zone files: each DS "
			"must match a DNSKEY that signs its zone's\nDNSKEY "
			"RRset, and every zone must validate completely.",
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
static size_t level_warnings(const struct chain_cli *c, const struct zinfo *zi,
	char out[][300], size_t max)
{
	size_t n = 0;
	const struct ztk_chain_level *lv = &zi->lv;
	int64_t warn = c->expire_warn == 0 ? 7 * 86400 : c->expire_warn;
	char ts[32];
	if (lv->verdict == ZTK_SECURE && warn > 0 && lv->earliest_expiry &&
	    lv->earliest_expiry - c->now < warn && n < max)
		snprintf(out[n++], 300, "signatures of %s expire at %s", lv->zone,
			cli_utc(lv->earliest_expiry, ts, sizeof(ts)));
	if (lv->sha1_only && n < max)
		snprintf(out[n++], 300, "the only DS matching %s use SHA-1 "
			"(RFC 8624: publish a SHA-256 DS)", lv->zone);
	if (lv->ksk_without_ds && lv->verdict == ZTK_SECURE && n < max)
		snprintf(out[n++], 300, "%s publishes a KSK without DS at the "
			"parent (fine while it is pre-published)", lv->zone);
	if (lv->warnings && n < max)
		snprintf(out[n++], 300, "%zu DNSSEC warning%s inside %s (run "
			"ztk-lint on it)", lv->warnings, lv->warnings == 1 ? "" : "s",
			lv->zone);
	return n;
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
	if (c.nzones == 0) {
		cli_error("give the zones with --zone FILE: walking the chain "
			"live over DNS is not in this version yet");
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

	char warns[MAX_ZONES * 4][300];
	size_t nw = 0;
	for (size_t i = 0; i < c.nzones; i++)
		nw += level_warnings(&c, &zs[i], warns + nw,
			MAX_ZONES * 4 - nw);

	if (c.json) {
		printf("{\"verdict\":\"%s\",\"now\":", ztk_verdict_name(worst));
		char ts[32];
		ztk_json_string(stdout, cli_utc(c.now, ts, sizeof(ts)));
		printf(",\"levels\":[");
		for (size_t i = 0; i < c.nzones; i++) {
			const struct ztk_chain_level *lv = &zs[i].lv;
			printf("%s{\"zone\":", i ? "," : "");
			ztk_json_string(stdout, lv->zone);
			printf(",\"file\":");
			ztk_json_string(stdout, zs[i].file);
			printf(",\"trustFrom\":");
			ztk_json_string(stdout, zs[i].source);
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
			printf(",\"secondsToExpiry\":%lld,\"errors\":%zu,"
				"\"warnings\":%zu,\"sha1Only\":%s,"
				"\"kskWithoutDs\":%s}",
				lv->earliest_expiry ? (long long)(lv->earliest_expiry
				- c.now) : -1LL, lv->errors, lv->warnings,
				lv->sha1_only ? "true" : "false",
				lv->ksk_without_ds ? "true" : "false");
		}
		printf("],\"answer\":");
		ztk_json_string(stdout, answer);
		printf(",\"warnings\":[");
		for (size_t i = 0; i < nw; i++) {
			printf("%s", i ? "," : "");
			ztk_json_string(stdout, warns[i]);
		}
		printf("]}\n");
	} else if (c.nagios) {
		/* 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
		const struct ztk_chain_level *bad = NULL;
		for (size_t i = 0; i < c.nzones && bad == NULL; i++)
			if (zs[i].lv.verdict == worst && worst != ZTK_SECURE)
				bad = &zs[i].lv;
		int code = worst == ZTK_INDETERMINATE ? 3 : fail ? 2 : nw ? 1 : 0;
		static const char *word[] = { "OK", "WARNING", "CRITICAL",
			"UNKNOWN" };
		const char *who = target >= 0 ? zs[target].lv.zone
			: zs[c.nzones - 1].lv.zone;
		printf("DNSSEC %s - %s%s%s%s%s\n", word[code], bad ? bad->zone
			: who, bad ? ": " : " is secure", bad ? bad->reason : "",
			!bad && nw ? "; " : "", !bad && nw ? warns[0] : "");
		exit_status = code;
	} else {
		if (!c.quiet)
			for (size_t i = 0; i < c.nzones; i++) {
				const struct ztk_chain_level *lv = &zs[i].lv;
				int depth = 0;
				for (int k = zs[i].parent; k >= 0; k = zs[k].parent)
					depth++;
				char ts[32];
				printf("%*s%s%s  %s  (trust from %s", depth * 2, "",
					depth ? "`- " : "", lv->zone,
					ztk_verdict_name(lv->verdict), zs[i].source);
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
		for (size_t i = 0; i < nw && !c.quiet; i++)
			printf("warning: %s\n", warns[i]);
		if (answer[0] && !c.quiet)
			printf("answer: %s\n", answer);
		printf("verdict: %s\n", ztk_verdict_name(worst));
	}
done:
	for (size_t i = 0; i < c.nzones; i++)
		ztk_zone_free(zs[i].z);
	free(zs);
	free(trust);
	return cli_finish(exit_status);
}
