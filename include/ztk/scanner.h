/*
 * ztk/scanner.h - streaming zone file scanner.
 *
 * Reads the presentation format of RFC 1035 section 5: $ORIGIN, $TTL,
 * $INCLUDE (with its own origin), blank owners, parentheses across lines,
 * quoted strings, escapes, comments, class and TTL in either order, TTL
 * units (1h30m), RFC 3597 generic types and data (TYPEnnn, \#), and BIND's
 * $GENERATE.  It calls back once per record with the record in wire form;
 * nothing is allocated per record, and every pointer handed to a callback
 * is valid only during that call.
 *
 * Problems in the input are not errors of the call: each is an event
 * (file:line:column, check id, message) handed to on_event, after which the
 * scanner skips to the next line and goes on, up to max_errors.
 */
#ifndef ZTK_SCANNER_H
#define ZTK_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ztk/visibility.h>

/* ztk_rr.flags */
#define ZTK_RR_GENERIC      0x01  /* data was written in \# form */
#define ZTK_RR_TTL_DEFAULT  0x02  /* no TTL on the line; $TTL used */
#define ZTK_RR_TTL_PREVIOUS 0x04  /* no TTL and no $TTL; previous TTL used */
#define ZTK_RR_GENERATED    0x08  /* made by $GENERATE */
#define ZTK_RR_GENERIC_TYPE 0x10  /* type written as TYPEnnn */

struct ztk_rr {
	const uint8_t *owner;   /* wire form, case as written */
	const uint8_t *rdata;   /* wire form, names uncompressed */
	uint32_t ttl;
	uint16_t type;
	uint16_t rclass;
	uint16_t rdlen;
	uint16_t flags;         /* ZTK_RR_* */
	const char *file;       /* as named by the caller or $INCLUDE */
	uint32_t line;          /* line and column of the record's start */
	uint32_t col;
};

enum ztk_severity {
	ZTK_SEV_ERROR = 0,
	ZTK_SEV_WARNING = 1,
	ZTK_SEV_INFO = 2,
};

struct ztk_scan_event {
	enum ztk_severity severity;
	const char *check;      /* stable id: "syntax", "ttl-missing", ... */
	const char *file;
	uint32_t line, col;     /* 0 if not tied to a position */
	const char *message;    /* one line, no trailing newline */
};

struct ztk_scan_opts {
	/* Origin in wire form; NULL: none until $ORIGIN (or the caller's
	 * guess from the first SOA, see ztk-lint). */
	const uint8_t *origin;
	/* Stop after this many errors (0: 100). */
	unsigned max_errors;
	/* Nesting limit of $INCLUDE (0: 8); refuse it altogether if set. */
	unsigned max_include_depth;
	bool no_include;
	/* Records without TTL and no $TTL get default_ttl silently (for
	 * BIND K*.key files and records on stdin) instead of an error. */
	bool ttl_optional;
	uint32_t default_ttl;
	/* Most records one $GENERATE may make (0: 65536). */
	uint32_t max_generate;
	/* Called once per record; a non-zero return stops the scan with
	 * ZTK_ECANCEL. */
	int (*on_rr)(void *ctx, const struct ztk_rr *rr);
	/* Called for every problem or note; may be NULL. */
	void (*on_event)(void *ctx, const struct ztk_scan_event *ev);
	void *ctx;
};

struct ztk_scan_stats {
	uint64_t records;
	uint64_t bytes;
	uint32_t errors;
	uint32_t warnings;
	uint32_t files;
	uint8_t origin[255];    /* origin at the end of the top-level file */
	bool have_origin;
};

/*
 * Scan a zone file; path "-" reads standard input.  Returns 0 when the scan
 * ran to the end (whatever it found: see stats->errors), ZTK_ELIMIT when it
 * stopped at max_errors, ZTK_ECANCEL when on_rr asked it to stop, or
 * ZTK_ENOENT/ZTK_EACCES/ZTK_EIO/ZTK_ENOMEM when the file could not be read
 * (an event with the reason is raised too).  stats may be NULL.
 */
ZTK_API int ztk_scan_file(const char *path, const struct ztk_scan_opts *opts,
	struct ztk_scan_stats *stats);

/* The same for text in memory; name is used in events. */
ZTK_API int ztk_scan_buffer(const char *name, const char *buf, size_t len,
	const struct ztk_scan_opts *opts, struct ztk_scan_stats *stats);

#endif /* ZTK_SCANNER_H */
