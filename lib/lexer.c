/* lexer.c - presentation-format tokens (see lexer.h). */
#include <string.h>
#include <ztk/error.h>
#include "lexer.h"
#include "util.h"

/* Character classes: everything that ends or changes a word. */
enum { C_WORD = 0, C_BLANK, C_NL, C_SEMI, C_OPEN, C_CLOSE, C_QUOTE, C_CR };

static const uint8_t cclass[256] = {
	[' '] = C_BLANK, ['\t'] = C_BLANK, ['\n'] = C_NL, ['\r'] = C_CR,
	[';'] = C_SEMI, ['('] = C_OPEN, [')'] = C_CLOSE, ['"'] = C_QUOTE,
};

/* What ends the fast run of a word (its end, or an escape) and of a
 * quoted string (its end, an escape, or a newline to count). */
static const uint8_t word_stop[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [';'] = 1, ['('] = 1,
	[')'] = 1, ['"'] = 1, ['\\'] = 1,
};
static const uint8_t quote_stop[256] = {
	['"'] = 1, ['\\'] = 1, ['\n'] = 1,
};

#ifdef __SSE2__
#include <emmintrin.h>
/* Sixteen octets at once: a bit for each that ends a word (word_stop[])
 * or a quoted string (quote_stop[]).  Tab and CR differ only in bit 2,
 * "(" and ")" only in bit 0, so each pair is one compare. */
static inline unsigned
stop_mask16(const char *p, bool quoted)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
		_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
	if (!quoted) {
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_or_si128(v,
			_mm_set1_epi8(0x04)), _mm_set1_epi8('\r')));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_or_si128(v,
			_mm_set1_epi8(0x01)), _mm_set1_epi8(')')));
	}
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* First octet at or after p (before end) that stop[] marks, or end;
 * sixteen at a time with SSE2, else four at a time, while there are
 * that many. */
static inline const char *
skip_to(const char *p, const char *end, const uint8_t *stop)
{
#ifdef __SSE2__
	bool quoted = stop == quote_stop;
	while (end - p >= 16) {
		unsigned m = stop_mask16(p, quoted);
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	while (end - p >= 4 && !(stop[(uint8_t)p[0]] | stop[(uint8_t)p[1]] |
	    stop[(uint8_t)p[2]] | stop[(uint8_t)p[3]]))
		p += 4;
	while (p < end && !stop[(uint8_t)*p])
		p++;
	return p;
}

void
ztk_lexer_init(struct ztk_lexer *lx, const char *buf, size_t len)
{
	lx->p = buf;
	lx->end = buf + len;
	lx->line_start = buf;
	lx->line = 1;
	lx->paren = 0;
	lx->paren_line = lx->paren_col = 0;
	lx->why = NULL;
	lx->err_line = lx->err_col = 0;
}

static ZTK_COLD int
lex_fail(struct ztk_lexer *lx, const char *at, const char *why)
{
	lx->why = why;
	lx->err_line = lx->line;
	lx->err_col = (uint32_t)(at - lx->line_start) + 1;
	return ZTK_ESYNTAX;
}

int
ztk_lexer_next(struct ztk_lexer *lx, struct ztk_token *tok)
{
	const char *p = lx->p, *end = lx->end;

	for (;;) {
		if (p >= end) {
			lx->p = p;
			if (lx->paren) {
				lx->paren = 0;
				lx->line = lx->paren_line;
				lx->why = "end of file inside parentheses";
				lx->err_line = lx->paren_line;
				lx->err_col = lx->paren_col;
				return ZTK_ESYNTAX;
			}
			tok->kind = ZTK_TOK_EOF;
			tok->s = p;
			tok->len = 0;
			tok->line = lx->line;
			tok->col = (uint32_t)(p - lx->line_start) + 1;
			tok->line_start = false;
			tok->escaped = false;
			return 0;
		}
		switch (cclass[(uint8_t)*p]) {
		case C_BLANK:
		case C_CR:
			p++;
			continue;
		case C_SEMI: {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl : end;
			continue;
		}
		case C_NL:
			tok->line = lx->line;
			tok->col = (uint32_t)(p - lx->line_start) + 1;
			p++;
			lx->line++;
			lx->line_start = p;
			if (lx->paren)
				continue;
			lx->p = p;
			tok->kind = ZTK_TOK_EOL;
			tok->s = p - 1;
			tok->len = 0;
			tok->line_start = false;
			tok->escaped = false;
			return 0;
		case C_OPEN:
			if (lx->paren == 0) {
				lx->paren_line = lx->line;
				lx->paren_col = (uint32_t)(p - lx->line_start) + 1;
			}
			lx->paren++;
			p++;
			continue;
		case C_CLOSE:
			if (lx->paren == 0) {
				int r = lex_fail(lx, p, "\")\" without a matching \"(\"");
				lx->p = p + 1;
				return r;
			}
			lx->paren--;
			p++;
			continue;
		case C_QUOTE: {
			const char *q = ++p;
			bool esc = false;
			tok->line = lx->line;
			tok->col = (uint32_t)(q - 1 - lx->line_start) + 1;
			tok->line_start = (q - 1 == lx->line_start);
			for (;;) {
				q = skip_to(q, end, quote_stop);
				if (q >= end || *q == '"')
					break;
				if (*q == '\\') {
					esc = true;
					if (q + 1 < end) {
						if (q[1] == '\n') {
							lx->line++;
							lx->line_start = q + 2;
						}
						q++;
					}
				} else {   /* newline */
					lx->line++;
					lx->line_start = q + 1;
				}
				q++;
			}
			if (q >= end) {
				lx->p = end;
				lx->why = "quoted string without closing quote";
				lx->err_line = tok->line;
				lx->err_col = tok->col;
				lx->paren = 0;
				return ZTK_ESYNTAX;
			}
			tok->kind = ZTK_TOK_QUOTED;
			tok->s = p;
			tok->len = (uint32_t)(q - p);
			tok->escaped = esc;
			lx->p = q + 1;
			return 0;
		}
		default: {
			const char *s = p;
			bool esc = false;
			for (;;) {
				p = skip_to(p, end, word_stop);
				if (p >= end || *p != '\\')
					break;
				esc = true;   /* the escaped octet is part of it */
				p += p + 1 < end ? 2 : 1;
			}
			tok->kind = ZTK_TOK_WORD;
			tok->s = s;
			tok->len = (uint32_t)(p - s);
			tok->escaped = esc;
			tok->line = lx->line;
			tok->col = (uint32_t)(s - lx->line_start) + 1;
			tok->line_start = (s == lx->line_start);
			lx->p = p;
			return 0;
		}
		}
	}
}

void
ztk_lexer_skip_line(struct ztk_lexer *lx)
{
	struct ztk_token t;
	/* Skip to the end of the logical record: an error inside "( ... )"
	 * skips the rest of the parentheses too, so one mistake gives one
	 * error.  (A missing ")" is reported at end of file by next().) */
	for (;;) {
		int r = ztk_lexer_next(lx, &t);
		if (r == 0 && (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF))
			return;
		if (r != 0)
			lx->paren = 0;
	}
}
