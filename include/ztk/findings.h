/*
 * ztk/findings.h - diagnostics shared by every ztk tool.
 *
 * A finding is a verdict about the input (a lint problem, a bogus chain),
 * never an error of the call that produced it.  Each has a stable check id,
 * a severity, the place it concerns (file:line:column where known, owner
 * name) and a message; the hint says what to do about it.  One module
 * renders a list of them as text, JSON or SARIF 2.1.0.
 */
#ifndef ZTK_FINDINGS_H
#define ZTK_FINDINGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <ztk/scanner.h>     /* enum ztk_severity */
#include <ztk/visibility.h>

struct ztk_finding {
	const char *check;          /* stable id, e.g. "cname-and-other" */
	enum ztk_severity severity;
	const char *file;           /* NULL if not tied to a file */
	uint32_t line, col;         /* 0 if unknown */
	const char *owner;          /* presentation form, or NULL */
	const char *message;        /* one line */
	const char *hint;           /* what to do, or NULL */
};

struct ztk_findings;

ZTK_API int ztk_findings_new(struct ztk_findings **out);
ZTK_API void ztk_findings_free(struct ztk_findings *f);

/*
 * Add a finding; every string is copied.  owner is a wire name or NULL.
 * Returns 0 or ZTK_ENOMEM.
 */
ZTK_API int ztk_findings_add(struct ztk_findings *f, const char *check,
	enum ztk_severity sev, const char *file, uint32_t line, uint32_t col,
	const uint8_t *owner, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

ZTK_API size_t ztk_findings_count(const struct ztk_findings *f);
ZTK_API const struct ztk_finding *ztk_findings_get(
	const struct ztk_findings *f, size_t i);

/* Count of findings at a severity. */
ZTK_API size_t ztk_findings_count_sev(const struct ztk_findings *f,
	enum ztk_severity sev);

/* Sort by file, line, column, then check id (stable). */
ZTK_API void ztk_findings_sort(struct ztk_findings *f);

enum ztk_render_format {
	ZTK_RENDER_TEXT,
	ZTK_RENDER_JSON,
	ZTK_RENDER_SARIF,
};

/* A check as SARIF and --list-checks describe it. */
struct ztk_check_info {
	const char *id;
	enum ztk_severity severity;     /* default severity */
	const char *summary;            /* one line */
	const char *reference;          /* RFC section or NULL */
};

struct ztk_render_opts {
	const char *tool;               /* "ztk-lint" */
	const char *version;
	int color;                      /* text: ANSI colours if non-zero */
	int hints;                      /* text: print hints */
	const struct ztk_check_info *checks;   /* for SARIF rules */
	size_t nchecks;
	/* JSON: extra members of the top object, already JSON ("k":v,...) */
	const char *json_extra;
};

/* Render all findings.  0 or ZTK_EIO (write error). */
ZTK_API int ztk_findings_render(const struct ztk_findings *f,
	enum ztk_render_format fmt, const struct ztk_render_opts *o,
	FILE *out);

/* Write s as a JSON string literal (quotes included). */
ZTK_API void ztk_json_string(FILE *out, const char *s);

#endif /* ZTK_FINDINGS_H */
