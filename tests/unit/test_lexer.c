/*
 * test_lexer.c - the tokenizer's word and quoted-string ends, octet by
 * octet: every one of the 256 values at every offset of a long token, so
 * both the sixteen-at-a-time path and the tail after it are covered and
 * must agree with the character classes of RFC 1035 section 5.1.
 */
#include <string.h>
#include "lexer.h"
#include "tap.h"

/* What ends an unquoted word, and what a quoted string stops at. */
static int
ends_word(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' ||
		c == '(' || c == ')' || c == '"';
}

int
main(void)
{
	char buf[64];
	int bad_word = 0, bad_quote = 0, bad_rest = 0;

	for (int c = 0; c < 256; c++) {
		for (size_t pos = 1; pos < 40; pos++) {
			/* a word of 48 letters with c at pos */
			struct ztk_lexer lx;
			struct ztk_token t;
			memset(buf, 'x', 48);
			buf[pos] = (char)c;
			ztk_lexer_init(&lx, buf, 48);
			if (ztk_lexer_next(&lx, &t) != 0 || t.kind != ZTK_TOK_WORD)
				bad_word++;
			else if (c == '\\')   /* escapes the next octet */
				bad_word += t.len != 48 || !t.escaped;
			else
				bad_word += t.len != (ends_word(c) ? pos : 48);

			/* the same inside quotes: only '"', '\\' and a newline
			 * (counted as a line) are special */
			buf[0] = '"';
			buf[47] = '"';
			ztk_lexer_init(&lx, buf, 48);
			int r = ztk_lexer_next(&lx, &t);
			if (c == '"') {
				bad_quote += r != 0 || t.len != pos - 1;
			} else if (r != 0 || t.kind != ZTK_TOK_QUOTED ||
			    t.len != 46) {
				bad_quote++;
			} else {
				bad_quote += (c == '\\') != t.escaped;
				/* the token after the string starts on the
				 * line the newline inside it began */
				struct ztk_token e;
				ztk_lexer_next(&lx, &e);
				bad_rest += e.kind != ZTK_TOK_EOF ||
					e.line != (c == '\n' ? 2u : 1u);
			}
		}
	}
	is_int(bad_word, 0, "every octet at every offset ends a word exactly "
		"when RFC 1035 says");
	is_int(bad_quote, 0, "inside quotes only '\"', '\\\\' and newline "
		"are special");
	is_int(bad_rest, 0, "a newline inside quotes is counted once");
	return done_testing();
}
