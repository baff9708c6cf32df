/*
 * scanner.c - the zone file scanner (see ztk/scanner.h).
 *
 * One struct scan carries the state that outlives a file (origin and TTL
 * defaults are per file, error count and limits are global); each file or
 * $GENERATE line gets its own lexer over a buffer that stays mapped while it
 * is scanned.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include <ztk/scanner.h>
#include "rdata.h"
#include "scan_split.h"
#include "threads.h"
#include "timeconv.h"
#include "util.h"

/* parse_record(): error reported, and the record's line already consumed */
#define ZTK_ESYNTAX_DONE 1

struct scan {
	const struct ztk_scan_opts *o;
	struct ztk_scan_stats st;
	unsigned depth;
	bool stop;              /* max_errors reached */
	int cancel;             /* callback asked to stop */
	uint8_t *rdata;         /* ZTK_RDATA_MAX octets */
	/* two-thread scan (scan_split.h): the first part stops where the
	 * second begins; the second gives up at the first event */
	const char *stop_at;
	bool reached;           /* the first part stopped exactly there */
	bool speculative;       /* second part: events abort it */
	bool aborted;
	const atomic_bool *quit;   /* first part tells the second to stop */
};

/* Per-file state (RFC 1035 5.1: $INCLUDE does not change the parent's
 * origin; we keep $TTL and the last owner per file as well). */
struct file_state {
	const char *name;
	uint8_t origin[ZTK_DNAME_MAX];
	bool have_origin;
	uint8_t owner[ZTK_DNAME_MAX];
	bool have_owner;
	uint32_t dollar_ttl;
	bool have_dollar_ttl;
	uint32_t last_ttl;
	bool have_last_ttl;
	uint16_t last_class;
	bool warned_ttl;
};

static void
emit(struct scan *sc, enum ztk_severity sev, const char *check,
	const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static ZTK_COLD void
emit(struct scan *sc, enum ztk_severity sev, const char *check,
	const char *file, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (sc->speculative) {
		/* the serial scan will raise it, in order, if it is real */
		sc->aborted = sc->stop = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (sev == ZTK_SEV_ERROR)
		sc->st.errors++;
	else
		sc->st.warnings++;
	if (sc->o->on_event) {
		struct ztk_scan_event ev = { sev, check, file, line, col, msg };
		sc->o->on_event(sc->o->ctx, &ev);
	}
	unsigned max = sc->o->max_errors ? sc->o->max_errors : 100;
	if (sev == ZTK_SEV_ERROR && sc->st.errors >= max && !sc->stop) {
		sc->stop = true;
		if (sc->o->on_event) {
			struct ztk_scan_event ev = { ZTK_SEV_INFO, "syntax",
				file, line, col, "too many errors; stopped "
				"reading after this one" };
			sc->o->on_event(sc->o->ctx, &ev);
		}
	}
}

#define TOKQ(t) (int)((t)->len > 40 ? 40 : (t)->len), (t)->s, \
	((t)->len > 40 ? "..." : "")

static bool
tok_is(const struct ztk_token *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == ZTK_TOK_WORD && t->len == n &&
		strncasecmp(t->s, word, n) == 0;
}

static int scan_text(struct scan *sc, struct file_state *fs,
	const char *buf, size_t len);

/*
 * One record whose first token is tok.  owner_tok is NULL for a blank owner.
 * Returns 0 or ZTK_ESYNTAX (event already raised, caller skips the line).
 */
static int
parse_record(struct scan *sc, struct file_state *fs, struct ztk_lexer *lx,
	struct ztk_token *tok, uint16_t rrflags)
{
	uint8_t owner[ZTK_DNAME_MAX];
	struct ztk_rr rr = { .owner = owner, .file = fs->name,
		.line = tok->line, .col = tok->col, .flags = rrflags };
	bool have_ttl = false, have_class = false;
	const char *why;
	int r;

	if (tok->line_start) {
		r = ztk_dname_parse(tok->s, tok->len,
			fs->have_origin ? fs->origin : NULL, owner, &why);
		if (r < 0) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, tok->line,
				tok->col, "bad owner name \"%.*s%s\": %s",
				TOKQ(tok), why);
			return ZTK_ESYNTAX;
		}
		memcpy(fs->owner, owner, (size_t)r);
		fs->have_owner = true;
		r = ztk_lexer_next(lx, tok);
		if (r)
			goto lexerr;
	} else {
		if (!fs->have_owner) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, tok->line,
				tok->col, "line starts with a blank but no "
				"owner name came before it");
			return ZTK_ESYNTAX;
		}
		memcpy(owner, fs->owner, ztk_dname_len(fs->owner));
	}

	/* [TTL] [class] type, TTL and class in either order (RFC 1035 5.1) */
	for (;;) {
		if (tok->kind != ZTK_TOK_WORD) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, tok->line,
				tok->col, tok->kind == ZTK_TOK_QUOTED ?
				"expected a record type, got a quoted string" :
				"record has no type");
			return tok->kind == ZTK_TOK_QUOTED ? ZTK_ESYNTAX :
				ZTK_ESYNTAX_DONE;
		}
		uint8_t c0 = (uint8_t)tok->s[0];
		if (ztk_isdigit(c0)) {
			if (have_ttl || ztk_ttl_parse(tok->s, tok->len,
			    &rr.ttl) != 0) {
				emit(sc, ZTK_SEV_ERROR, "syntax", fs->name,
					tok->line, tok->col, have_ttl ?
					"TTL given twice" : "bad TTL "
					"\"%.*s%s\" (seconds, or units like "
					"1h30m)", TOKQ(tok));
				return ZTK_ESYNTAX;
			}
			if (rr.ttl > 0x7fffffffu)
				emit(sc, ZTK_SEV_WARNING, "ttl-too-large",
					fs->name, tok->line, tok->col,
					"TTL %u is above 2147483647; RFC 2181 "
					"8 says to treat it as 0, servers "
					"differ", rr.ttl);
			have_ttl = true;
		} else if (!have_class &&
		    ztk_rrclass_from_text(tok->s, tok->len, &rr.rclass) == 0) {
			have_class = true;
		} else {
			if (ztk_rrtype_from_text(tok->s, tok->len, &rr.type)) {
				emit(sc, ZTK_SEV_ERROR, "syntax", fs->name,
					tok->line, tok->col, "unknown record "
					"type \"%.*s%s\"", TOKQ(tok));
				return ZTK_ESYNTAX;
			}
			if ((c0 | 0x20) == 't' && tok->len > 4 &&
			    ztk_isdigit((uint8_t)tok->s[4]))
				rr.flags |= ZTK_RR_GENERIC_TYPE;
			break;
		}
		r = ztk_lexer_next(lx, tok);
		if (r)
			goto lexerr;
	}

	/* rdata */
	struct ztk_rdparse rp;
	rd_init(&rp, lx, fs->have_origin ? fs->origin : NULL, rr.type);
	struct ztk_wbuf wb = { sc->rdata, 0, ZTK_RDATA_MAX };
	struct ztk_token t;
	r = rd_next(&rp, &t);
	if (r == 0) {
		if (t.kind == ZTK_TOK_WORD && t.len == 2 && t.s[0] == '\\' &&
		    t.s[1] == '#') {
			rr.flags |= ZTK_RR_GENERIC;
			r = ztk_rdata_parse_generic(&rp, &wb);
		} else {
			rd_unget(&rp, &t);
			r = ztk_rdata_parse(&rp, &wb);
		}
	}
	if (r) {
		emit(sc, ZTK_SEV_ERROR, rp.check ? rp.check : "syntax",
			fs->name, rp.line, rp.col, "%s", rp.msg);
		/* the line is over already: the caller must not skip the
		 * next one */
		return rp.eol_consumed ? ZTK_ESYNTAX_DONE : ZTK_ESYNTAX;
	}
	if (rp.have_ahead)
		*tok = rp.ahead;   /* the EOL/EOF that ended the record */
	rr.rdata = sc->rdata;
	rr.rdlen = (uint16_t)wb.len;

	if (!have_class)
		rr.rclass = fs->last_class ? fs->last_class : ZTK_CLASS_IN;
	fs->last_class = rr.rclass;

	if (have_ttl) {
		fs->last_ttl = rr.ttl;
		fs->have_last_ttl = true;
	} else if (fs->have_dollar_ttl) {
		rr.ttl = fs->dollar_ttl;
		rr.flags |= ZTK_RR_TTL_DEFAULT;
	} else if (fs->have_last_ttl) {
		rr.ttl = fs->last_ttl;
		rr.flags |= ZTK_RR_TTL_PREVIOUS;
		if (!fs->warned_ttl) {
			fs->warned_ttl = true;
			emit(sc, ZTK_SEV_WARNING, "ttl-missing", fs->name,
				rr.line, rr.col, "record without TTL and no "
				"$TTL before it: the previous record's TTL %u "
				"is used (RFC 1035); add a $TTL line", rr.ttl);
		}
	} else if (rr.type == ZTK_TYPE_SOA && wb.len >= 4) {
		/* BIND's fallback: the SOA MINIMUM field */
		rr.ttl = ztk_get32(sc->rdata + wb.len - 4);
		fs->last_ttl = rr.ttl;
		fs->have_last_ttl = true;
		rr.flags |= ZTK_RR_TTL_PREVIOUS;
		fs->warned_ttl = true;
		emit(sc, ZTK_SEV_WARNING, "ttl-missing", fs->name, rr.line,
			rr.col, "SOA without TTL and no $TTL: its MINIMUM %u is "
			"used as TTL, as BIND does; add a $TTL line", rr.ttl);
	} else if (sc->o->ttl_optional) {
		/* Key files and record snippets: no TTL is normal there. */
		rr.ttl = sc->o->default_ttl;
		rr.flags |= ZTK_RR_TTL_DEFAULT;
	} else {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, rr.line, rr.col,
			"record has no TTL and none came before it; add a $TTL "
			"line at the top of the file");
		return ZTK_ESYNTAX_DONE;
	}

	sc->st.records++;
	if (sc->o->on_rr && (r = sc->o->on_rr(sc->o->ctx, &rr)) != 0) {
		sc->cancel = ZTK_ECANCEL;
		return ZTK_ECANCEL;
	}
	return 0;
lexerr:
	emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, lx->err_line, lx->err_col,
		"%s", lx->why);
	return ZTK_ESYNTAX;
}

/* --- $GENERATE (BIND) ----------------------------------------------------- */

/* Expand one template for value i into out; -1 if a modifier is bad. */
static int
generate_expand(const char *s, size_t n, long i, char *out, size_t cap)
{
	size_t w = 0;
	for (size_t k = 0; k < n; k++) {
		char c = s[k];
		if (c == '\\' && k + 1 < n && s[k + 1] == '$') {
			if (w + 2 >= cap)
				return -1;
			out[w++] = '$';
			k++;
			continue;
		}
		if (c != '$') {
			if (w + 2 >= cap)
				return -1;
			out[w++] = c;
			continue;
		}
		long offset = 0;
		unsigned width = 0;
		char base = 'd';
		if (k + 1 < n && s[k + 1] == '{') {
			/* ${offset[,width[,base]]} */
			size_t e = k + 2;
			while (e < n && s[e] != '}')
				e++;
			if (e >= n)
				return -1;
			char mod[64];
			size_t ml = e - k - 2;
			if (ml >= sizeof mod)
				return -1;
			memcpy(mod, s + k + 2, ml);
			mod[ml] = 0;
			char b = 'd';
			int got = sscanf(mod, "%ld,%u,%c", &offset, &width, &b);
			if (got < 1)
				return -1;
			if (got == 3)
				base = b;
			if (width > 64)
				return -1;
			k = e;
		}
		long v = i + offset;
		char num[160];
		int len;
		switch (base) {
		case 'd': len = snprintf(num, sizeof num, "%0*ld", (int)width, v); break;
		case 'o': len = snprintf(num, sizeof num, "%0*lo", (int)width, (unsigned long)v); break;
		case 'x': len = snprintf(num, sizeof num, "%0*lx", (int)width, (unsigned long)v); break;
		case 'X': len = snprintf(num, sizeof num, "%0*lX", (int)width, (unsigned long)v); break;
		case 'n': case 'N': {
			/* nibble mode: reversed hex digits joined by dots */
			char hex[32];
			int hl = snprintf(hex, sizeof hex, base == 'n' ? "%0*lx" :
				"%0*lX", (int)width, (unsigned long)v);
			len = 0;
			for (int h = hl - 1; h >= 0; h--) {
				num[len++] = hex[h];
				if (h)
					num[len++] = '.';
			}
			num[len] = 0;
			break;
		}
		default: return -1;
		}
		if (len < 0 || w + (size_t)len + 2 >= cap)
			return -1;
		memcpy(out + w, num, (size_t)len);
		w += (size_t)len;
	}
	out[w] = 0;
	return (int)w;
}

static int
do_generate(struct scan *sc, struct file_state *fs, struct ztk_lexer *lx,
	const struct ztk_token *dtok)
{
	struct ztk_token range, lhs, mid[3], rhs = { 0 };
	int nmid = 0, r;
	struct ztk_token t;

	if ((r = ztk_lexer_next(lx, &range)) || range.kind != ZTK_TOK_WORD ||
	    (r = ztk_lexer_next(lx, &lhs)) || lhs.kind != ZTK_TOK_WORD)
		goto usage;
	/* [ttl] [class] type, then rhs: collect up to three words */
	for (;;) {
		if ((r = ztk_lexer_next(lx, &t)))
			goto usage;
		if (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF)
			break;
		if (nmid == 4)
			goto usage;   /* at most ttl, class, type and rhs */
		if (nmid < 3)
			mid[nmid] = t;
		else
			rhs = t;
		nmid++;
	}
	if (nmid < 2)
		goto usage;
	/* the last word is the rhs template, the ones before it (1 to 3)
	 * are [ttl] [class] type */
	if (nmid <= 3)
		rhs = mid[nmid - 1];
	nmid--;

	long start, stop, step = 1;
	char rbuf[64];
	if (range.len >= sizeof rbuf)
		goto badrange;
	memcpy(rbuf, range.s, range.len);
	rbuf[range.len] = 0;
	char *e;
	start = strtol(rbuf, &e, 10);
	if (*e != '-')
		goto badrange;
	stop = strtol(e + 1, &e, 10);
	if (*e == '/')
		step = strtol(e + 1, &e, 10);
	if (*e != 0 || start < 0 || stop < start || step < 1)
		goto badrange;
	uint32_t max = sc->o->max_generate ? sc->o->max_generate : 65536;
	if ((stop - start) / step + 1 > (long)max) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, range.line,
			range.col, "$GENERATE range makes more than %u "
			"records", max);
		return ZTK_ESYNTAX;
	}
	emit(sc, ZTK_SEV_INFO, "port-generate", fs->name, dtok->line,
		dtok->col, "$GENERATE is BIND syntax: BIND, PowerDNS and validns "
		"accept it, Knot, NSD and ldns reject it");

	char line[4096];
	for (long i = start; i <= stop && !sc->stop && !sc->cancel; i += step) {
		size_t w = 0;
		int n = generate_expand(lhs.s, lhs.len, i, line, sizeof line);
		if (n < 0)
			goto badmod;
		w = (size_t)n;
		for (int m = 0; m < nmid; m++) {
			if (w + mid[m].len + 2 >= sizeof line)
				goto badmod;
			line[w++] = ' ';
			memcpy(line + w, mid[m].s, mid[m].len);
			w += mid[m].len;
		}
		line[w++] = ' ';
		n = generate_expand(rhs.s, rhs.len, i, line + w, sizeof line - w);
		if (n < 0)
			goto badmod;
		w += (size_t)n;

		struct ztk_lexer glx;
		struct ztk_token gt;
		ztk_lexer_init(&glx, line, w);
		glx.line = dtok->line;
		if (ztk_lexer_next(&glx, &gt) == 0) {
			gt.line = dtok->line;
			gt.col = dtok->col;
			parse_record(sc, fs, &glx, &gt, ZTK_RR_GENERATED);
		}
	}
	return 0;
usage:
	emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, dtok->line, dtok->col,
		"$GENERATE needs: range lhs [ttl] [class] type rhs");
	return ZTK_ESYNTAX;
badrange:
	emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, range.line, range.col,
		"bad $GENERATE range \"%.*s%s\" (start-stop[/step])",
		TOKQ(&range));
	return ZTK_ESYNTAX;
badmod:
	emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, dtok->line, dtok->col,
		"bad $GENERATE template: ${offset,width,base} with base d, o, "
		"x, X, n or N, and lines under 4096 characters");
	return ZTK_ESYNTAX;
}

/* --- files ---------------------------------------------------------------- */

struct mapped {
	const char *buf;
	size_t len;
	bool is_mmap;
};

static int
map_file(const char *path, struct mapped *m, int *err)
{
	int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY);
	struct stat st;
	m->buf = NULL;
	m->len = 0;
	m->is_mmap = false;
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) != 0)
		goto fail_fd;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail_fd;
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_size == 0) {
			close(fd);
			m->buf = "";
			return 0;
		}
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			fd, 0);
		if (p == MAP_FAILED)
			goto fail_fd;
		madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
		m->buf = p;
		m->len = (size_t)st.st_size;
		m->is_mmap = true;
		close(fd);
		return 0;
	}
	/* pipe or terminal: read it whole */
	size_t cap = 1 << 16, len = 0;
	char *b = malloc(cap);
	if (b == NULL)
		goto fail_fd;
	for (;;) {
		if (len == cap) {
			char *nb = realloc(b, cap * 2);
			if (nb == NULL) {
				free(b);
				errno = ENOMEM;
				goto fail_fd;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, b + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			goto fail_fd;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	m->buf = b;
	m->len = len;
	return 0;
fail_fd:
	*err = errno;
	close(fd);
	errno = *err;
fail:
	*err = errno;
	return -1;
}

static void
unmap_file(struct mapped *m)
{
	if (m->is_mmap)
		munmap((void *)m->buf, m->len);
	else if (m->len)
		free((void *)m->buf);
}

static int
errno_code(int e)
{
	switch (e) {
	case ENOENT: case ENOTDIR: return ZTK_ENOENT;
	case EACCES: case EPERM: return ZTK_EACCES;
	case ENOMEM: return ZTK_ENOMEM;
	}
	return ZTK_EIO;
}

static int
do_include(struct scan *sc, struct file_state *fs, struct ztk_lexer *lx,
	const struct ztk_token *dtok)
{
	struct ztk_token ft, ot, t;
	char path[4096];
	struct file_state child = { 0 };
	int r;

	if ((r = ztk_lexer_next(lx, &ft)) || (ft.kind != ZTK_TOK_WORD &&
	    ft.kind != ZTK_TOK_QUOTED)) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, dtok->line,
			dtok->col, "$INCLUDE needs a file name");
		return ZTK_ESYNTAX;
	}
	/* the included file starts with the parent's origin and TTL
	 * defaults (as BIND and Knot do); its changes stay inside it */
	child.have_origin = fs->have_origin;
	memcpy(child.origin, fs->origin, sizeof child.origin);
	child.dollar_ttl = fs->dollar_ttl;
	child.have_dollar_ttl = fs->have_dollar_ttl;
	child.last_ttl = fs->last_ttl;
	child.have_last_ttl = fs->have_last_ttl;
	child.last_class = fs->last_class;
	child.warned_ttl = fs->warned_ttl;
	if ((r = ztk_lexer_next(lx, &ot)))
		goto lexerr;
	if (ot.kind == ZTK_TOK_WORD) {
		const char *why;
		if (ztk_dname_parse(ot.s, ot.len, fs->have_origin ? fs->origin :
		    NULL, child.origin, &why) < 0) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, ot.line,
				ot.col, "bad $INCLUDE origin \"%.*s%s\": %s",
				TOKQ(&ot), why);
			return ZTK_ESYNTAX;
		}
		child.have_origin = true;
		if ((r = ztk_lexer_next(lx, &t)))
			goto lexerr;
		if (t.kind != ZTK_TOK_EOL && t.kind != ZTK_TOK_EOF) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, t.line,
				t.col, "unexpected \"%.*s%s\" after $INCLUDE",
				TOKQ(&t));
			return ZTK_ESYNTAX;
		}
	}
	if (sc->o->no_include) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, dtok->line,
			dtok->col, "$INCLUDE is not allowed here");
		return ZTK_ESYNTAX;
	}
	unsigned maxd = sc->o->max_include_depth ? sc->o->max_include_depth : 8;
	if (sc->depth >= maxd) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, dtok->line,
			dtok->col, "$INCLUDE nested deeper than %u files "
			"(a loop?)", maxd);
		return ZTK_ESYNTAX;
	}
	/* A relative path is taken from the including file's directory, so
	 * the result does not depend on where the tool is started. */
	uint8_t fname[4096];
	int fl = rd_unescape(&ft, fname, sizeof fname - 1);
	if (fl <= 0) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, ft.line, ft.col,
			"bad $INCLUDE file name");
		return ZTK_ESYNTAX;
	}
	fname[fl] = 0;
	const char *slash = strrchr(fs->name, '/');
	int pl;
	if (fname[0] != '/' && slash)
		pl = snprintf(path, sizeof path, "%.*s/%s",
			(int)(slash - fs->name), fs->name, (char *)fname);
	else
		pl = snprintf(path, sizeof path, "%s", (char *)fname);
	/* the file's meaning, not this run's: a server reading it later
	 * resolves the path from its own working directory */
	if (fname[0] != '/')
		emit(sc, ZTK_SEV_INFO, "port-include-path", fs->name, ft.line,
			ft.col, "relative $INCLUDE path: ztk, Knot and validns "
			"read it from the including file's directory, BIND, "
			"NSD and PowerDNS from the working directory");
	if (pl < 0 || (size_t)pl >= sizeof path) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, ft.line, ft.col,
			"$INCLUDE path too long");
		return ZTK_ESYNTAX;
	}

	struct mapped m;
	int err;
	if (map_file(path, &m, &err) != 0) {
		emit(sc, ZTK_SEV_ERROR, "io", fs->name, ft.line, ft.col,
			"cannot read $INCLUDE file %s: %s", path, strerror(err));
		return ZTK_ESYNTAX;
	}
	child.name = path;
	sc->depth++;
	sc->st.files++;
	r = scan_text(sc, &child, m.buf, m.len);
	sc->depth--;
	unmap_file(&m);
	return r;
lexerr:
	emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, lx->err_line, lx->err_col,
		"%s", lx->why);
	return ZTK_ESYNTAX;
}

/* $ORIGIN, $TTL, $INCLUDE, $GENERATE at tok. */
static int
do_directive(struct scan *sc, struct file_state *fs, struct ztk_lexer *lx,
	struct ztk_token *tok)
{
	struct ztk_token a, t;
	int r;

	if (tok_is(tok, "$INCLUDE")) {
		if (sc->speculative) {
			sc->aborted = sc->stop = true;
			return ZTK_ESYNTAX;
		}
		return do_include(sc, fs, lx, tok);
	}
	if (tok_is(tok, "$GENERATE"))
		return do_generate(sc, fs, lx, tok);
	bool is_origin = tok_is(tok, "$ORIGIN"), is_ttl = tok_is(tok, "$TTL");
	if (!is_origin && !is_ttl) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, tok->line, tok->col,
			"unknown directive \"%.*s%s\" (known: $ORIGIN, $TTL, "
			"$INCLUDE, $GENERATE)", TOKQ(tok));
		return ZTK_ESYNTAX;
	}
	if ((r = ztk_lexer_next(lx, &a)))
		goto lexerr;
	if (a.kind != ZTK_TOK_WORD) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, tok->line, tok->col,
			"%s needs a value", is_origin ? "$ORIGIN" : "$TTL");
		return ZTK_ESYNTAX;
	}
	if (is_origin) {
		const char *why;
		uint8_t o[ZTK_DNAME_MAX];
		r = ztk_dname_parse(a.s, a.len, fs->have_origin ? fs->origin :
			NULL, o, &why);
		if (r < 0) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, a.line,
				a.col, "bad $ORIGIN \"%.*s%s\": %s", TOKQ(&a),
				why);
			return ZTK_ESYNTAX;
		}
		memcpy(fs->origin, o, (size_t)r);
		fs->have_origin = true;
	} else {
		if (ztk_ttl_parse(a.s, a.len, &fs->dollar_ttl) != 0) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, a.line,
				a.col, "bad $TTL \"%.*s%s\" (seconds, or units "
				"like 1h30m)", TOKQ(&a));
			return ZTK_ESYNTAX;
		}
		fs->have_dollar_ttl = true;
	}
	if ((r = ztk_lexer_next(lx, &t)))
		goto lexerr;
	if (t.kind != ZTK_TOK_EOL && t.kind != ZTK_TOK_EOF) {
		emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, t.line, t.col,
			"unexpected \"%.*s%s\" after %s", TOKQ(&t),
			is_origin ? "$ORIGIN" : "$TTL");
		return ZTK_ESYNTAX;
	}
	*tok = t;
	return 0;
lexerr:
	emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, lx->err_line, lx->err_col,
		"%s", lx->why);
	return ZTK_ESYNTAX;
}

static void
scan_lexer(struct scan *sc, struct file_state *fs, struct ztk_lexer *lx)
{
	struct ztk_token tok;
	const char *stop_at = sc->stop_at;

	sc->stop_at = NULL;   /* for this (top-level) file only */
	while (!sc->stop && !sc->cancel) {
		if (stop_at && lx->p >= stop_at) {
			/* a record starts exactly at the cut: the second part
			 * saw the same line boundary */
			if (lx->p == stop_at && lx->paren == 0) {
				sc->reached = true;
				return;
			}
			stop_at = NULL;   /* missed it: go on alone */
		}
		if (sc->quit && atomic_load_explicit(sc->quit,
		    memory_order_relaxed)) {
			sc->aborted = true;
			return;
		}
		int r = ztk_lexer_next(lx, &tok);
		if (r) {
			emit(sc, ZTK_SEV_ERROR, "syntax", fs->name, lx->err_line,
				lx->err_col, "%s", lx->why);
			lx->paren = 0;   /* balance unknown: resume at next line */
			ztk_lexer_skip_line(lx);
			continue;
		}
		if (tok.kind == ZTK_TOK_EOF)
			break;
		if (tok.kind == ZTK_TOK_EOL)
			continue;
		if (tok.line_start && tok.kind == ZTK_TOK_WORD &&
		    tok.s[0] == '$') {
			r = do_directive(sc, fs, lx, &tok);
			if (r == ZTK_ESYNTAX)
				ztk_lexer_skip_line(lx);
			continue;
		}
		r = parse_record(sc, fs, lx, &tok, 0);
		if (r == ZTK_ESYNTAX)
			ztk_lexer_skip_line(lx);
	}
}

static int
scan_text(struct scan *sc, struct file_state *fs, const char *buf, size_t len)
{
	struct ztk_lexer lx;

	ztk_lexer_init(&lx, buf, len);
	sc->st.bytes += len;
	scan_lexer(sc, fs, &lx);
	return 0;
}

static int
scan_top(struct scan *sc, const char *name, const char *buf, size_t len,
	struct ztk_scan_stats *stats)
{
	struct file_state fs = { .name = name };
	if (sc->o->origin) {
		memcpy(fs.origin, sc->o->origin, ztk_dname_len(sc->o->origin));
		fs.have_origin = true;
	}
	sc->st.files++;
	scan_text(sc, &fs, buf, len);
	if (fs.have_origin) {
		memcpy(sc->st.origin, fs.origin, ztk_dname_len(fs.origin));
		sc->st.have_origin = true;
	}
	if (stats)
		*stats = sc->st;
	if (sc->cancel)
		return ZTK_ECANCEL;
	return sc->stop ? ZTK_ELIMIT : 0;
}

int
ztk_scan_buffer(const char *name, const char *buf, size_t len,
	const struct ztk_scan_opts *opts, struct ztk_scan_stats *stats)
{
	struct scan sc = { .o = opts };
	sc.rdata = malloc(ZTK_RDATA_MAX);
	if (sc.rdata == NULL)
		return ZTK_ENOMEM;
	int r = scan_top(&sc, name, buf, len, stats);
	free(sc.rdata);
	return r;
}

int
ztk_scan_file(const char *path, const struct ztk_scan_opts *opts,
	struct ztk_scan_stats *stats)
{
	struct mapped m;
	int err;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (map_file(path, &m, &err) != 0) {
		if (opts->on_event) {
			char msg[512];
			snprintf(msg, sizeof msg, "cannot read %s: %s", name,
				strerror(err));
			struct ztk_scan_event ev = { ZTK_SEV_ERROR, "io", name,
				0, 0, msg };
			opts->on_event(opts->ctx, &ev);
		}
		if (stats)
			memset(stats, 0, sizeof *stats);
		return errno_code(err);
	}
	int r = ztk_scan_buffer(name, m.buf, m.len, opts, stats);
	unmap_file(&m);
	return r;
}

/* --- two threads (scan_split.h) ------------------------------------------ */

/* Is p at the start of a line (or of the buffer)? */
static bool
at_line_start(const char *buf, const char *p)
{
	return p == buf || p[-1] == '\n';
}

/* The last line before end that starts with directive (case as BIND
 * reads it: any), or NULL. */
static const char *
last_directive(const char *buf, const char *end, const char *name)
{
	size_t n = strlen(name);
	const char *p = end;
	while (p > buf) {
		const char *d = memrchr(buf, '$', (size_t)(p - buf));
		if (d == NULL)
			return NULL;
		if (at_line_start(buf, d) && (size_t)(end - d) > n &&
		    strncasecmp(d, name, n) == 0 &&
		    (d[n] == ' ' || d[n] == '\t'))
			return d;
		p = d;
	}
	return NULL;
}

/* The origin in force just before end, as far as the text tells without
 * scanning it (the first part checks the guess). */
static bool
guess_origin(const char *buf, const char *end, const uint8_t *given,
	uint8_t *out, unsigned depth)
{
	const char *d = last_directive(buf, end, "$ORIGIN");
	if (d == NULL) {
		if (given == NULL)
			return false;
		memcpy(out, given, ztk_dname_len(given));
		return true;
	}
	struct ztk_lexer lx;
	struct ztk_token t;
	ztk_lexer_init(&lx, d, (size_t)(end - d));
	if (ztk_lexer_next(&lx, &t) || ztk_lexer_next(&lx, &t) ||
	    t.kind != ZTK_TOK_WORD)
		return false;
	uint8_t prev[ZTK_DNAME_MAX];
	bool relative = t.s[t.len - 1] != '.' || t.len == 1 ||
		t.s[t.len - 2] == '\\';
	if (relative && (depth > 16 || !guess_origin(buf, d, given, prev,
	    depth + 1)))
		return false;
	const char *why;
	return ztk_dname_parse(t.s, t.len, relative ? prev : NULL, out,
		&why) > 0;
}

struct part2 {
	struct scan sc;
	struct file_state fs;
	struct ztk_scan_opts o;
	const char *buf, *cut, *end;
	atomic_bool quit;
	bool ok;                /* the guesses could be made */
	/* the guesses, kept apart: the second part may change them */
	uint32_t ttl0;
	bool have_origin0;
	uint8_t origin0[ZTK_DNAME_MAX];
};

static void *
part2_main(void *arg)
{
	struct part2 *p = arg;
	const char *d = last_directive(p->buf, p->cut, "$TTL");
	struct ztk_lexer lx;
	struct ztk_token t;
	if (d == NULL)
		return NULL;   /* no $TTL: records depend on the previous one */
	ztk_lexer_init(&lx, d, (size_t)(p->cut - d));
	if (ztk_lexer_next(&lx, &t) || ztk_lexer_next(&lx, &t) ||
	    t.kind != ZTK_TOK_WORD ||
	    ztk_ttl_parse(t.s, t.len, &p->fs.dollar_ttl) != 0)
		return NULL;
	p->fs.have_dollar_ttl = true;
	p->fs.have_origin = guess_origin(p->buf, p->cut, p->o.origin,
		p->fs.origin, 0);
	p->ttl0 = p->fs.dollar_ttl;
	p->have_origin0 = p->fs.have_origin;
	memcpy(p->origin0, p->fs.origin, sizeof p->origin0);
	p->ok = true;
	/* lines count from the cut: the first part knows how many came
	 * before it once it gets there (*line_offset2) */
	ztk_lexer_init(&lx, p->cut, (size_t)(p->end - p->cut));
	scan_lexer(&p->sc, &p->fs, &lx);
	return NULL;
}

/* A cut near the middle: a line that starts with an owner name. */
static const char *
find_cut(const char *buf, size_t len)
{
	const char *p = buf + len / 2, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL || nl + 1 >= end)
			return NULL;
		p = nl + 1;
		switch (*p) {
		case ' ': case '\t': case ';': case '$': case '\n': case '\r':
		case '(': case ')': case '"':
			continue;
		}
		return p;
	}
	return NULL;
}

int
ztk_scan_file_split(const char *path, const struct ztk_scan_opts *opts,
	int (*on_rr2)(void *ctx, const struct ztk_rr *rr), void *ctx2,
	size_t min_split, struct ztk_scan_stats *stats, bool *used2,
	uint32_t *line_offset2)
{
	struct mapped m;
	int err;
	*used2 = false;
	*line_offset2 = 0;
	if (strcmp(path, "-") == 0 || !ztk_may_use_threads())
		return ztk_scan_file(path, opts, stats);
	if (map_file(path, &m, &err) != 0)
		return ztk_scan_file(path, opts, stats);   /* reports it */
	const char *cut = m.is_mmap && m.len >= min_split ?
		find_cut(m.buf, m.len) : NULL;
	if (cut == NULL) {
		int r = ztk_scan_buffer(path, m.buf, m.len, opts, stats);
		unmap_file(&m);
		return r;
	}
	if (m.is_mmap)   /* both halves are read at once */
		madvise((void *)m.buf, m.len, MADV_WILLNEED);

	struct part2 *p2 = calloc(1, sizeof *p2);
	struct scan sc = { .o = opts };
	sc.rdata = malloc(ZTK_RDATA_MAX);
	if (p2 == NULL || sc.rdata == NULL ||
	    (p2->sc.rdata = malloc(ZTK_RDATA_MAX)) == NULL) {
		if (p2)
			free(p2->sc.rdata);
		free(p2);
		free(sc.rdata);
		int r = ztk_scan_buffer(path, m.buf, m.len, opts, stats);
		unmap_file(&m);
		return r;
	}
	p2->o = *opts;
	p2->o.on_rr = on_rr2;
	p2->o.ctx = ctx2;
	p2->o.on_event = NULL;
	p2->sc.o = &p2->o;
	p2->sc.speculative = true;
	p2->sc.quit = &p2->quit;
	p2->fs.name = path;
	p2->buf = m.buf;
	p2->cut = cut;
	p2->end = m.buf + m.len;
	atomic_init(&p2->quit, false);
	pthread_t th;
	bool threaded = pthread_create(&th, NULL, part2_main, p2) == 0;

	struct file_state fs = { .name = path };
	if (opts->origin) {
		memcpy(fs.origin, opts->origin, ztk_dname_len(opts->origin));
		fs.have_origin = true;
	}
	struct ztk_lexer lx;
	ztk_lexer_init(&lx, m.buf, m.len);
	sc.st.files++;
	sc.st.bytes += m.len;
	sc.stop_at = threaded ? cut : NULL;
	scan_lexer(&sc, &fs, &lx);
	if (threaded) {
		if (!sc.reached)
			atomic_store(&p2->quit, true);
		pthread_join(th, NULL);
	}
	struct file_state *last = &fs;
	if (sc.reached) {
		bool same = p2->ok && !p2->sc.aborted && !p2->sc.cancel &&
			fs.have_dollar_ttl && fs.dollar_ttl == p2->ttl0 &&
			(fs.last_class == 0 || fs.last_class == ZTK_CLASS_IN) &&
			fs.have_origin == p2->have_origin0 && (!fs.have_origin ||
			memcmp(fs.origin, p2->origin0,
			ztk_dname_len(fs.origin)) == 0);
		if (same) {
			*used2 = true;
			*line_offset2 = lx.line - 1;
			sc.st.records += p2->sc.st.records;
			last = &p2->fs;
		} else {
			/* the guess was wrong: read the rest here, in order */
			scan_lexer(&sc, &fs, &lx);
		}
	}
	if (last->have_origin) {
		memcpy(sc.st.origin, last->origin, ztk_dname_len(last->origin));
		sc.st.have_origin = true;
	}
	if (stats)
		*stats = sc.st;
	free(p2->sc.rdata);
	free(p2);
	free(sc.rdata);
	unmap_file(&m);
	if (sc.cancel)
		return ZTK_ECANCEL;
	return sc.stop ? ZTK_ELIMIT : 0;
}
