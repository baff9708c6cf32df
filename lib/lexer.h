/*
 * lexer.h - tokens of the zone file presentation format (RFC 1035 5.1).
 *
 * The lexer walks a buffer that the caller keeps alive; tokens point into it,
 * so nothing is copied or allocated.  It handles comments, quoted strings,
 * parentheses (newlines inside them are blanks) and tracks line and column
 * for diagnostics.  Escapes are left in the token text and flagged, because
 * only the field parser knows what an escape means for its field.
 */
#ifndef ZTK_LEXER_H
#define ZTK_LEXER_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

enum ztk_tok_kind {
	ZTK_TOK_WORD,    /* unquoted characters */
	ZTK_TOK_QUOTED,  /* "..." with the quotes stripped */
	ZTK_TOK_EOL,     /* end of a logical line (outside parentheses) */
	ZTK_TOK_EOF,     /* end of buffer */
};

struct ztk_token {
	const char *s;      /* first character (after the opening quote) */
	uint32_t len;       /* characters, quotes excluded */
	uint8_t kind;       /* enum ztk_tok_kind */
	bool escaped;       /* contains a backslash */
	bool line_start;    /* begins in column 1 of a physical line */
	uint32_t line;      /* 1-based */
	uint32_t col;       /* 1-based, in octets */
};

struct ztk_lexer {
	const char *p, *end;
	const char *line_start;   /* first character of the current line */
	uint32_t line;
	int paren;                /* open parentheses */
	uint32_t paren_line;      /* where the outermost one was opened */
	uint32_t paren_col;
	/* set when next() fails: what went wrong and where */
	const char *why;
	uint32_t err_line, err_col;
};

void ztk_lexer_init(struct ztk_lexer *lx, const char *buf, size_t len);

/*
 * Next token.  Returns 0, or ZTK_ESYNTAX with lx->why and lx->err_* set
 * (unterminated quoted string, ")" without "(", end of file inside
 * parentheses).  After an error the lexer stands at the next line.
 */
int ztk_lexer_next(struct ztk_lexer *lx, struct ztk_token *tok);

/* Skip the rest of the logical record, parentheses included (error
 * recovery after a field error). */
void ztk_lexer_skip_line(struct ztk_lexer *lx);

#endif /* ZTK_LEXER_H */
