/*
 * ztk-lint - check a zone file: syntax, structure, delegations, and what
 * different name servers would read differently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ztk/ztk.h>
#include <ztk/sign.h>
#include "common/cli.h"

enum { O_HELP, O_VERSION, O_QUIET, O_VERBOSE, O_JSON, O_SARIF, O_FORMAT,
	O_FAIL_ON, O_ENABLE, O_DISABLE, O_LIST, O_COLOR, O_MAX_ERRORS,
	O_ORIGIN, O_NO_HINTS, O_NOW, O_EXPIRE_WARN, O_VERIFY };

static const struct cli_opt opts[] = {
	{ "help", 'h', false, NULL, "show this help and exit", O_HELP },
	{ "version", 'V', false, NULL, "show the version and exit", O_VERSION },
	{ "quiet", 'q', false, NULL, "print only findings at or above "
		"--fail-on, no hints", O_QUIET },
	{ "verbose", 'v', false, NULL, "print a summary even when clean",
		O_VERBOSE },
	{ "json", 0, false, NULL, "findings as JSON", O_JSON },
	{ "sarif", 0, false, NULL, "findings as SARIF 2.1.0", O_SARIF },
	{ "format", 0, true, "FMT", "text, json or sarif", O_FORMAT },
	{ "fail-on", 0, true, "LEVEL", "exit 1 at error (default), warning "
		"or info", O_FAIL_ON },
	{ "enable", 'e', true, "CHECK", "enable checks (comma list, or "
		"\"all\")", O_ENABLE },
	{ "disable", 'd', true, "CHECK", "disable checks (comma list, or "
		"\"all\")", O_DISABLE },
	{ "list-checks", 0, false, NULL, "list every check and exit", O_LIST },
	{ "color", 0, true, "WHEN", "auto, always or never", O_COLOR },
	{ "max-errors", 0, true, "N", "stop reading after N syntax errors "
		"(default 100)", O_MAX_ERRORS },
	{ "origin", 'o', true, "NAME", "zone origin (default: $ORIGIN or "
		"the SOA owner)", O_ORIGIN },
	{ "no-hints", 0, false, NULL, "do not print hints in text output",
		O_NO_HINTS },
	{ "now", 0, true, "TIME", "judge signatures at TIME (YYYYMMDDHHMMSS, "
		"ISO 8601 or @unix)", O_NOW },
	{ "expire-warn", 0, true, "DURATION", "warn about signatures expiring "
		"within this (default 7d)", O_EXPIRE_WARN },
	{ "verify", 0, true, "MODE", "verify signatures: all (default), sample "
		"or none", O_VERIFY },
};

struct lint_cli {
	int quiet, verbose, list, hints;
	enum ztk_render_format fmt;
	enum ztk_severity fail_on;
	const char *color;
	unsigned long max_errors;
	const char *origin;
	struct ztk_lint_opts lopts;
	struct ztk_findings *findings;
	int oom;
	char io_error[600];      /* why the file could not be read */
};

static int
set_checks(struct lint_cli *c, const char *list, bool disable)
{
	const struct ztk_check_info *t;
	size_t n = ztk_lint_checks(&t);
	char *copy = strdup(list), *save = NULL;
	if (copy == NULL)
		return CLI_EXIT_ENV;
	for (char *w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "all") == 0) {
			for (size_t i = 0; i < n; i++)
				c->lopts.disabled[i] = disable;
			continue;
		}
		int i = ztk_lint_check_index(w);
		if (i < 0) {
			cli_error("unknown check \"%s\"; see --list-checks", w);
			free(copy);
			return CLI_EXIT_USAGE;
		}
		c->lopts.disabled[i] = disable;
	}
	free(copy);
	return 0;
}

static int
handle(void *ctx, int id, const char *arg)
{
	struct lint_cli *c = ctx;
	switch (id) {
	case O_HELP:
		cli_help(stdout, "[options] ZONEFILE [ORIGIN]",
			"Check a zone file (\"-\" for standard input): syntax, "
			"SOA and NS, CNAME\nand DNAME rules, delegations and glue, "
			"TTLs, duplicates, NSEC3 parameters,\nand constructs "
			"that BIND, Knot, NSD, PowerDNS and ldns read "
			"differently.", opts, sizeof opts / sizeof opts[0]);
		exit(cli_finish(CLI_EXIT_OK));
	case O_VERSION:
		cli_version();
		exit(cli_finish(CLI_EXIT_OK));
	case O_QUIET: c->quiet = 1; c->hints = 0; break;
	case O_VERBOSE: c->verbose = 1; break;
	case O_JSON: c->fmt = ZTK_RENDER_JSON; break;
	case O_SARIF: c->fmt = ZTK_RENDER_SARIF; break;
	case O_FORMAT:
		if (strcmp(arg, "text") == 0) c->fmt = ZTK_RENDER_TEXT;
		else if (strcmp(arg, "json") == 0) c->fmt = ZTK_RENDER_JSON;
		else if (strcmp(arg, "sarif") == 0) c->fmt = ZTK_RENDER_SARIF;
		else {
			cli_error("--format takes text, json or sarif, not "
				"\"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		break;
	case O_FAIL_ON:
		if (strcmp(arg, "error") == 0) c->fail_on = ZTK_SEV_ERROR;
		else if (strcmp(arg, "warning") == 0) c->fail_on = ZTK_SEV_WARNING;
		else if (strcmp(arg, "info") == 0) c->fail_on = ZTK_SEV_INFO;
		else {
			cli_error("--fail-on takes error, warning or info, not "
				"\"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		break;
	case O_ENABLE: return set_checks(c, arg, false);
	case O_DISABLE: return set_checks(c, arg, true);
	case O_LIST: c->list = 1; break;
	case O_COLOR:
		if (cli_color(arg, 1) < 0) {
			cli_error("--color takes auto, always or never, not "
				"\"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->color = arg;
		break;
	case O_MAX_ERRORS:
		if (cli_uint(arg, 1000000, &c->max_errors) || !c->max_errors) {
			cli_error("--max-errors takes a number from 1 to "
				"1000000, not \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		break;
	case O_ORIGIN: c->origin = arg; break;
	case O_NO_HINTS: c->hints = 0; break;
	case O_NOW: {
		int64_t t;
		if (cli_time(arg, (int64_t)time(NULL), &t) != 0 || t == 0) {
			cli_error("--now takes YYYYMMDDHHMMSS, "
				"YYYY-MM-DDTHH:MM:SSZ or @unix, not \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->lopts.now = t;
		break;
	}
	case O_EXPIRE_WARN: {
		uint32_t d;
		if (cli_duration(arg, &d) != 0) {
			cli_error("--expire-warn takes a duration like 7d or "
				"36h, not \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->lopts.expire_warn = d ? (int64_t)d : -1;
		break;
	}
	case O_VERIFY:
		if (strcmp(arg, "all") == 0) c->lopts.verify = ZTK_VERIFY_ALL;
		else if (strcmp(arg, "sample") == 0)
			c->lopts.verify = ZTK_VERIFY_SAMPLE;
		else if (strcmp(arg, "none") == 0)
			c->lopts.verify = ZTK_VERIFY_NONE;
		else {
			cli_error("--verify takes all, sample or none, not "
				"\"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		break;
	}
	return 0;
}

static const char *
sev_word(enum ztk_severity s)
{
	return s == ZTK_SEV_ERROR ? "error" : s == ZTK_SEV_WARNING ?
		"warning" : "info";
}

static int
list_checks(const struct lint_cli *c)
{
	const struct ztk_check_info *t;
	size_t n = ztk_lint_checks(&t);
	if (c->fmt == ZTK_RENDER_TEXT) {
		for (size_t i = 0; i < n; i++)
			printf("%-22s %-8s %s%s%s%s\n", t[i].id,
				sev_word(t[i].severity), t[i].summary,
				t[i].reference ? " (" : "",
				t[i].reference ? t[i].reference : "",
				t[i].reference ? ")" : "");
		return cli_finish(CLI_EXIT_OK);
	}
	printf("[");
	for (size_t i = 0; i < n; i++) {
		printf("%s\n {\"id\":", i ? "," : "");
		ztk_json_string(stdout, t[i].id);
		printf(",\"severity\":\"%s\",\"summary\":",
			sev_word(t[i].severity));
		ztk_json_string(stdout, t[i].summary);
		printf(",\"enabled\":%s", c->lopts.disabled[i] ? "false" :
			"true");
		if (t[i].reference) {
			printf(",\"reference\":");
			ztk_json_string(stdout, t[i].reference);
		}
		printf("}");
	}
	printf("\n]\n");
	return cli_finish(CLI_EXIT_OK);
}

static void
on_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct lint_cli *c = ctx;
	if (strcmp(ev->check, "io") == 0 && ev->line == 0)
		snprintf(c->io_error, sizeof c->io_error, "%s", ev->message);
	if (!ztk_lint_enabled(&c->lopts, ev->check))
		return;
	if (ztk_findings_add(c->findings, ev->check, ev->severity, ev->file,
	    ev->line, ev->col, NULL, NULL, "%s", ev->message))
		c->oom = 1;
}

int
main(int argc, char **argv)
{
	struct lint_cli c = { .hints = 1, .fmt = ZTK_RENDER_TEXT,
		.fail_on = ZTK_SEV_ERROR, .max_errors = 100,
		.lopts = { .verify = ZTK_VERIFY_ALL } };
	int first;

	cli_prog = "ztk-lint";
	int r = cli_parse(argc, argv, opts, sizeof opts / sizeof opts[0],
		handle, &c, &first);
	if (r >= 0)
		return r;
	if (c.list)
		return list_checks(&c);
	int nargs = argc - first;
	if (nargs < 1 || nargs > 2) {
		cli_error("expected ZONEFILE [ORIGIN]; see --help");
		return CLI_EXIT_USAGE;
	}
	const char *path = argv[first];
	/* the name the scanner gives standard input, for the summary too */
	const char *shown_path = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (nargs == 2) {
		if (c.origin) {
			cli_error("origin given twice (--origin and operand)");
			return CLI_EXIT_USAGE;
		}
		c.origin = argv[first + 1];
	}
	uint8_t origin[ZTK_DNAME_MAX];
	if (c.origin) {
		static const uint8_t root[1] = { 0 };
		const char *why;
		if (ztk_dname_parse(c.origin, strlen(c.origin), root, origin,
		    &why) < 0) {
			cli_error("bad origin \"%s\": %s", c.origin, why);
			return CLI_EXIT_USAGE;
		}
	}
	if (ztk_findings_new(&c.findings)) {
		cli_error("out of memory");
		return CLI_EXIT_ENV;
	}

	/* a quiet text run shows only what fails, so nothing else is made */
	c.lopts.only_upto = c.quiet && c.fmt == ZTK_RENDER_TEXT;
	c.lopts.upto = c.fail_on;

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct ztk_scan_opts so = { .max_errors = (unsigned)c.max_errors,
		.on_event = on_event, .ctx = &c };
	struct ztk_zone *zone = NULL;
	struct ztk_scan_stats st;
	int status = CLI_EXIT_OK;
	r = ztk_zone_load(path, c.origin ? origin : NULL, &so, &zone, &st);
	if (r == ZTK_ENOENT || r == ZTK_EACCES || r == ZTK_EIO) {
		/* the reason was raised as an "io" event */
		cli_error("%s", c.io_error[0] ? c.io_error : ztk_strerror(r));
		ztk_findings_free(c.findings);
		return CLI_EXIT_USAGE;
	}
	if (r == ZTK_ENOMEM || c.oom) {
		cli_error("out of memory");
		ztk_zone_free(zone);
		ztk_findings_free(c.findings);
		return CLI_EXIT_ENV;
	}
	bool syntax_errors = st.errors > 0;
	if (zone && ztk_zone_origin(zone) == NULL) {
		if (!syntax_errors)
			ztk_findings_add(c.findings, "soa-missing",
				ZTK_SEV_ERROR, path, 0, 0, NULL, "give the "
				"origin as the second argument",
				"cannot tell the zone's origin: no $ORIGIN and "
				"no SOA record");
		syntax_errors = true;
	} else if (zone && ztk_lint_zone(zone, &c.lopts, c.findings)) {
		cli_error("out of memory");
		ztk_zone_free(zone);
		ztk_findings_free(c.findings);
		return CLI_EXIT_ENV;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ztk_findings_sort(c.findings);

	/* what to show, and the verdict */
	size_t counts[3] = { 0 };
	bool fail = false;
	for (size_t i = 0; i < ztk_findings_count(c.findings); i++) {
		const struct ztk_finding *f = ztk_findings_get(c.findings, i);
		counts[f->severity]++;
		if (f->severity <= c.fail_on)
			fail = true;
	}
	if (syntax_errors)
		status = CLI_EXIT_USAGE;
	else if (fail)
		status = CLI_EXIT_FINDINGS;

	struct ztk_findings *shown = c.findings;
	struct ztk_findings *filtered = NULL;
	if (c.quiet && c.fmt == ZTK_RENDER_TEXT) {
		if (ztk_findings_new(&filtered) == 0) {
			for (size_t i = 0; i < ztk_findings_count(c.findings);
			     i++) {
				const struct ztk_finding *f =
					ztk_findings_get(c.findings, i);
				if (f->severity <= c.fail_on)
					ztk_findings_add(filtered, f->check,
						f->severity, f->file, f->line,
						f->col, NULL, NULL, "%s",
						f->message);
			}
			shown = filtered;
		}
	}
	const struct ztk_check_info *t;
	size_t nchecks = ztk_lint_checks(&t);
	char extra[4096] = "";
	if (c.fmt == ZTK_RENDER_JSON) {
		char ob[ZTK_DNAME_TEXT_MAX] = "";
		if (zone && ztk_zone_origin(zone))
			ztk_dname_print(ztk_zone_origin(zone), ob);
		/* file and origin are escaped by hand: keep it simple and
		 * safe by refusing quotes/backslashes/control characters */
		char fpath[1024];
		size_t k = 0;
		for (const char *p = shown_path; *p && k + 1 < sizeof fpath; p++)
			fpath[k++] = (*p == '"' || *p == '\\' ||
				(unsigned char)*p < 0x20) ? '?' : *p;
		fpath[k] = 0;
		for (char *p = ob; *p; p++)
			if (*p == '"' || *p == '\\')
				*p = '?';
		snprintf(extra, sizeof extra, "\"file\":\"%s\",\"origin\":"
			"\"%s\",\"records\":%llu,\"exit\":%d", fpath, ob,
			(unsigned long long)st.records, status);
	}
	struct ztk_render_opts ro = { .tool = "ztk-lint",
		.version = ZTK_VERSION, .color = cli_color(c.color, 1),
		.hints = c.hints, .checks = t, .nchecks = nchecks,
		.json_extra = extra };
	if (ztk_findings_render(shown, c.fmt, &ro, stdout) != 0)
		status = CLI_EXIT_ENV;
	if (status == CLI_EXIT_USAGE && ztk_findings_count(shown) == 0)
		/* never fail silently, even with the syntax check disabled */
		cli_error("%s: %u syntax error%s; the zone was not fully read",
			shown_path, st.errors, st.errors == 1 ? "" : "s");
	else if (c.fmt == ZTK_RENDER_TEXT && !c.quiet &&
	    (c.verbose || ztk_findings_count(c.findings))) {
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		fprintf(stderr, "%s: %llu records, %zu error%s, %zu warning%s, "
			"%zu info (%.2f s)\n", shown_path,
			(unsigned long long)st.records, counts[0],
			counts[0] == 1 ? "" : "s", counts[1],
			counts[1] == 1 ? "" : "s", counts[2], secs);
	}
	ztk_findings_free(filtered);
	ztk_findings_free(c.findings);
	ztk_zone_free(zone);
	return cli_finish(status);
}
