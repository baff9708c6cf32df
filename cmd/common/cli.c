/* cli.c - shared command-line plumbing (see cli.h). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ztk/ztk.h>
#include "cli.h"

const char *cli_prog = "ztk";

void
cli_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool cli_permute;

int
cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t n,
	int (*handler)(void *ctx, int id, const char *arg), void *ctx,
	int *first_arg)
{
	struct option *lo = calloc(n + 1, sizeof *lo);
	char shorts[256];
	size_t s = 0;
	if (lo == NULL) {
		cli_error("out of memory");
		return CLI_EXIT_ENV;
	}
	if (!cli_permute)
		shorts[s++] = '+'; /* stop at the first operand, like POSIX */
	shorts[s++] = ':';   /* report a missing argument as ':' */
	for (size_t i = 0; i < n; i++) {
		lo[i].name = opts[i].lng;
		lo[i].has_arg = opts[i].has_arg ? required_argument : no_argument;
		lo[i].val = 256 + (int)i;
		if (opts[i].shrt && s + 2 < sizeof shorts) {
			shorts[s++] = opts[i].shrt;
			if (opts[i].has_arg)
				shorts[s++] = ':';
		}
	}
	shorts[s] = 0;
	opterr = 0;
	int c, ret = -1;
	while (ret < 0 && (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			if (c == ':')
				cli_error("option %s needs an argument; see "
					"--help", bad);
			else if (optopt)
				cli_error("unknown option -%c; see --help",
					optopt);
			else
				cli_error("unknown option %s; see --help", bad);
			ret = CLI_EXIT_USAGE;
			break;
		}
		size_t i;
		if (c >= 256) {
			i = (size_t)c - 256;
		} else {
			for (i = 0; i < n && opts[i].shrt != c; i++)
				;
		}
		int r = handler(ctx, opts[i].id, optarg);
		if (r != 0)
			ret = r;
	}
	free(lo);
	*first_arg = optind;
	return ret;
}

void
cli_help(FILE *out, const char *synopsis, const char *description,
	const struct cli_opt *opts, size_t n)
{
	fprintf(out, "Usage: %s %s\n\n%s\n\nOptions:\n", cli_prog, synopsis,
		description);
	for (size_t i = 0; i < n; i++) {
		char left[64];
		if (opts[i].shrt)
			snprintf(left, sizeof left, "-%c, --%s%s%s",
				opts[i].shrt, opts[i].lng,
				opts[i].has_arg ? "=" : "",
				opts[i].has_arg ? opts[i].arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", opts[i].lng,
				opts[i].has_arg ? "=" : "",
				opts[i].has_arg ? opts[i].arg : "");
		fprintf(out, "  %-28s %s\n", left, opts[i].help);
	}
	fprintf(out, "\nExit status: 0 clean, 1 findings, 2 bad usage or "
		"input, 3 environment failure.\n");
}

int
cli_color(const char *mode, int fd)
{
	if (mode == NULL || strcmp(mode, "auto") == 0) {
		const char *nc = getenv("NO_COLOR");
		if (nc && *nc)
			return 0;
		return isatty(fd) ? 1 : 0;
	}
	if (strcmp(mode, "always") == 0)
		return 1;
	if (strcmp(mode, "never") == 0)
		return 0;
	return -1;
}

int
cli_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int
cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write to standard output: %s",
			strerror(errno));
		return CLI_EXIT_ENV;
	}
	return status;
}

void
cli_version(void)
{
	printf("%s %s (libztk %s)\n", cli_prog, ZTK_VERSION, ztk_version());
}

/* --- times and durations --- */

static int unit_seconds(char u, int64_t *mult)
{
	switch (u) {
	case 's': case 'S': *mult = 1; return 0;
	case 'm': case 'M': *mult = 60; return 0;
	case 'h': case 'H': *mult = 3600; return 0;
	case 'd': case 'D': *mult = 86400; return 0;
	case 'w': case 'W': *mult = 7 * 86400; return 0;
	case 'y': case 'Y': *mult = 365 * 86400; return 0;
	default: return -1;
	}
}

/*
 * "none" (unset), "now", "now+30d", "+1h", "-2w", "@1700000000",
 * YYYYMMDD[HHMM[SS]], or YYYY-MM-DD[THH:MM[:SS]][Z] (UTC).
 */
int cli_time(const char *s, int64_t now, int64_t *out)
{
	if (strcmp(s, "none") == 0) {
		*out = 0;
		return 0;
	}
	int64_t base = now;
	const char *p = s;
	if (strncmp(p, "now", 3) == 0) {
		p += 3;
		if (*p == '\0') {
			*out = now;
			return 0;
		}
	}
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		int64_t total = 0;
		p++;
		if (*p == '\0')
			return -1;
		while (*p) {
			int64_t v = 0, mult = 1;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9') {
				if (v > 1000000000)
					return -1;
				v = v * 10 + (*p++ - '0');
			}
			if (*p && unit_seconds(*p, &mult) == 0)
				p++;
			else if (*p)
				return -1;
			total += v * mult;
		}
		*out = base + sign * total;
		return 0;
	}
	if (p != s)
		return -1;
	if (*p == '@') {
		char *end;
		errno = 0;
		long long v = strtoll(p + 1, &end, 10);
		if (errno || *end || end == p + 1 || v < 0)
			return -1;
		*out = v;
		return 0;
	}
	struct tm tm = { 0 };
	int n = 0;
	size_t len = strlen(s);
	if (len >= 10 && s[4] == '-') {
		int h = 0, mi = 0, se = 0;
		int got = sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon,
			&tm.tm_mday, &n);
		if (got != 3)
			return -1;
		const char *q = s + n;
		if (*q == 'T' || *q == ' ') {
			int m = 0;
			if (sscanf(q + 1, "%2d:%2d%n", &h, &mi, &m) != 2)
				return -1;
			q += 1 + m;
			if (*q == ':') {
				if (sscanf(q + 1, "%2d%n", &se, &m) != 1)
					return -1;
				q += 1 + m;
			}
		}
		if (*q == 'Z')
			q++;
		if (*q)
			return -1;
		tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
	} else {
		if (len != 8 && len != 12 && len != 14)
			return -1;
		for (size_t i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return -1;
		sscanf(s, "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		if (len >= 12)
			sscanf(s + 8, "%2d%2d", &tm.tm_hour, &tm.tm_min);
		if (len == 14)
			sscanf(s + 12, "%2d", &tm.tm_sec);
	}
	if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm);
	return 0;
}


int cli_duration(const char *s, uint32_t *out)
{
	uint64_t total = 0;
	if (*s == '\0')
		return -1;
	while (*s) {
		uint64_t v = 0;
		int64_t mult = 1;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (uint64_t)(*s++ - '0');
			if (v > UINT32_MAX)
				return -1;
		}
		if (*s && unit_seconds(*s, &mult) == 0)
			s++;
		else if (*s)
			return -1;
		total += v * (uint64_t)mult;
		if (total > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)total;
	return 0;
}

const char *cli_utc(int64_t t, char *buf, size_t len)
{
	if (t == 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}
