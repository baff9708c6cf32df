/*
 * tap.h - a tiny TAP harness for unit tests.  Each test file is one program:
 * ok()/is_int()/is_str()/is_mem() print "ok N - msg" or "not ok N - msg"
 * with the values that differed; done_testing() prints the plan and returns
 * the exit status (non-zero if anything failed).
 */
#ifndef ZTK_TAP_H
#define ZTK_TAP_H

#include <stdio.h>
#include <string.h>
#include <stdarg.h>
#include <stdlib.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3), unused)) static int
ok(int cond, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

#define is_int(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (!ok(g_ == w_, __VA_ARGS__)) \
		printf("#   got %lld, want %lld (%s:%d)\n", g_, w_, __FILE__, __LINE__); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__)) \
		printf("#   got  \"%s\"\n#   want \"%s\" (%s:%d)\n", g_ ? g_ : "(null)", \
			w_ ? w_ : "(null)", __FILE__, __LINE__); \
} while (0)

#define is_mem(got, glen, want, wlen, ...) do { \
	size_t gl_ = (glen), wl_ = (wlen); \
	if (!ok(gl_ == wl_ && memcmp((got), (want), gl_) == 0, __VA_ARGS__)) { \
		printf("#   got  (%zu):", gl_); \
		for (size_t i_ = 0; i_ < gl_; i_++) printf(" %02x", ((const unsigned char *)(got))[i_]); \
		printf("\n#   want (%zu):", wl_); \
		for (size_t i_ = 0; i_ < wl_; i_++) printf(" %02x", ((const unsigned char *)(want))[i_]); \
		printf(" (%s:%d)\n", __FILE__, __LINE__); \
	} \
} while (0)

__attribute__((unused)) static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
