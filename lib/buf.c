/* buf.c - growable bounded text buffer (see buf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "buf.h"

#define SBUF_DEFAULT_MAX (16u << 20)

void
ztk_sbuf_clear(struct ztk_sbuf *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

int
ztk_sbuf_grow(struct ztk_sbuf *s, size_t add)
{
	size_t max = s->max ? s->max : SBUF_DEFAULT_MAX;
	if (add > max || s->len > max - add)
		return ZTK_ESPACE;
	size_t need = s->len + add + 1;
	if (need <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : 256;
	while (cap < need)
		cap *= 2;
	char *b = realloc(s->buf, cap);
	if (b == NULL)
		return ZTK_ENOMEM;
	s->buf = b;
	s->cap = cap;
	return 0;
}

int
ztk_sbuf_put(struct ztk_sbuf *s, const char *p, size_t n)
{
	if (s->cap - s->len <= n) {
		int r = ztk_sbuf_grow(s, n);
		if (r)
			return r;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = 0;
	return 0;
}

int
ztk_sbuf_str(struct ztk_sbuf *s, const char *str)
{
	return ztk_sbuf_put(s, str, strlen(str));
}

int
ztk_sbuf_printf(struct ztk_sbuf *s, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ZTK_EINVAL;
	if ((size_t)n < sizeof tmp)
		return ztk_sbuf_put(s, tmp, (size_t)n);
	int r = ztk_sbuf_grow(s, (size_t)n);
	if (r)
		return r;
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
	return 0;
}

int
ztk_sbuf_u32(struct ztk_sbuf *s, uint32_t v)
{
	char tmp[10];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return ztk_sbuf_put(s, tmp + i, sizeof tmp - i);
}
