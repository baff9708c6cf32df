/* lexer.c - presentation-format tokens (see lexer.h). */
#include <ztk/error.h>
#include "lexer.h"
#include "util.h"

/* Character classes: everything that ends or changes a word. */
enum { C_WORD = 0, C_BLANK, C_NL, C_SEMI, C_OPEN, C_CLOSE, C_QUOTE, C_CR };

static const uint8_t cclass[256] = {
	[' '] = C_BLANK, ['\t'] = C_BLANK, ['\n'] = C_NL, ['\r'] = C_CR,
	[';'] = C_SEMI, ['('] = C_OPEN, [')'] = C_CLOSE, ['"'] = C_QUOTE,
};

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
		case C_SEMI:
			while (p < end && *p != '\n')
				p++;
			continue;
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
			while (q < end && *q != '"') {
				if (*q == '\\') {
					esc = true;
					if (q + 1 < end) {
						if (q[1] == '\n') {
							lx->line++;
							lx->line_start = q + 2;
						}
						q++;
					}
				} else if (*q == '\n') {
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
			while (p < end) {
				uint8_t c = (uint8_t)*p;
				if (cclass[c] != C_WORD)
					break;
				if (c == '\\') {
					esc = true;
					if (p + 1 < end)
						p++;
				}
				p++;
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
