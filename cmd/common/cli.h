/*
 * cli.h - what every ztk binary shares: the option table that feeds both
 * getopt_long and --help, exit statuses, colour choice, error lines.
 */
#ifndef ZTK_CLI_H
#define ZTK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (DESIGN.md; listed in every man page). */
enum {
	CLI_EXIT_OK = 0,        /* all good */
	CLI_EXIT_FINDINGS = 1,  /* the check found problems */
	CLI_EXIT_USAGE = 2,     /* bad usage or bad input */
	CLI_EXIT_ENV = 3,       /* environment: HSM, network, permissions */
};

struct cli_opt {
	const char *lng;        /* long name without "--" */
	char shrt;              /* short letter or 0 */
	bool has_arg;
	const char *arg;        /* argument name for --help, e.g. "LEVEL" */
	const char *help;       /* one line */
	int id;                 /* handed to the handler */
};

/*
 * Parse argv by the table; the handler returns 0, or an exit status to stop
 * with (after printing its own message).  Unknown options print a usage
 * line on stderr and give CLI_EXIT_USAGE.  -1 means "go on"; *first_arg
 * receives the index of the first operand.
 */
/* Let options follow operands (for subcommands: "show 12345 --json").
 * Default false: stop at the first operand, like POSIX. */
extern bool cli_permute;

int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t n,
	int (*handler)(void *ctx, int id, const char *arg), void *ctx,
	int *first_arg);

/* --help text: synopsis, description, then one line per option. */
void cli_help(FILE *out, const char *synopsis, const char *description,
	const struct cli_opt *opts, size_t n);

/* Program name for messages ("ztk-lint"). */
extern const char *cli_prog;

/* "ztk-lint: message" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* auto/always/never; honours NO_COLOR and whether fd is a terminal.
 * Returns 0/1, or -1 for a bad word. */
int cli_color(const char *mode, int fd);

/* Unsigned decimal number of a whole string up to max; -1 if bad. */
int cli_uint(const char *s, unsigned long max, unsigned long *out);

/* Flush stdout and report a write error; returns status, or
 * CLI_EXIT_ENV if stdout could not be written. */
int cli_finish(int status);

/*
 * A point in time: "none" (0), "now", "now+30d", "+1h", "-2w",
 * "@1700000000", YYYYMMDD[HHMM[SS]] or YYYY-MM-DD[THH:MM[:SS]][Z] (UTC).
 * 0 or -1.
 */
int cli_time(const char *s, int64_t now, int64_t *out);

/* A duration: "3600", "14d", "1h30m" (units s m h d w y).  0 or -1. */
int cli_duration(const char *s, uint32_t *out);

/* ISO 8601 UTC ("2026-11-28T12:00:00Z"), or "-" for 0; returns buf. */
const char *cli_utc(int64_t t, char *buf, size_t len);

/* --version line. */
void cli_version(void);

#endif
