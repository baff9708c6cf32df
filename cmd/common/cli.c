/* cli.c - shared command-line plumbing (see cli.h). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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
