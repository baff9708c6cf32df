/*
 * ztk/lint.h - zone checks.
 *
 * Every check has a stable id listed in one table (ztk_lint_checks()).  Some
 * are raised while the file is read (syntax, ttl-missing, port-generate...);
 * the rest run over a loaded zone (ztk_lint_zone()).  Findings are data: the
 * call fails only when it cannot run (out of memory).
 */
#ifndef ZTK_LINT_H
#define ZTK_LINT_H

#include <stdbool.h>
#include <stdint.h>
#include <ztk/findings.h>
#include <ztk/visibility.h>
#include <ztk/zone.h>

#define ZTK_LINT_MAX_CHECKS 128

/* The table of every check: id, default severity, summary, reference. */
ZTK_API size_t ztk_lint_checks(const struct ztk_check_info **table_out);

/* Index of a check id in the table, or -1. */
ZTK_API int ztk_lint_check_index(const char *id);

struct ztk_lint_opts {
	/* disabled[i] set: check i of the table is not reported */
	bool disabled[ZTK_LINT_MAX_CHECKS];
	/* DNSSEC checks: the time they judge signatures at (0: now), how
	 * close an expiry draws a warning (0: 7 days; <0: never), and
	 * whether signatures are verified (0 = ZTK_VERIFY_NONE ... see
	 * ztk/sign.h; the CLI asks for all). */
	int64_t now;
	int64_t expire_warn;
	int verify;
	/* only_upto set: findings less severe than upto are not made at
	 * all (a quiet run that shows only what fails needs no others, and
	 * a zone can carry a hundred thousand informational ones) */
	bool only_upto;
	enum ztk_severity upto;
};

/* True if the check id is enabled in opts (unknown ids are enabled). */
ZTK_API bool ztk_lint_enabled(const struct ztk_lint_opts *opts,
	const char *id);

/*
 * Run the zone checks on a finished zone, adding findings to out.
 * Returns 0 or ZTK_ENOMEM.
 */
ZTK_API int ztk_lint_zone(const struct ztk_zone *zone,
	const struct ztk_lint_opts *opts, struct ztk_findings *out);

#endif /* ZTK_LINT_H */
