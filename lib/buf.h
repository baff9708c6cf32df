/*
 * buf.h - bounded byte and text buffers used by the parsers and printers.
 *
 * struct ztk_wbuf: fixed room for one rdata (RFC 1035: 65535 octets); writes
 *   past the end fail with ZTK_ESPACE and leave len unchanged.
 * struct ztk_sbuf: growable text with a hard maximum; a failed append leaves
 *   the buffer as it was.
 */
#ifndef ZTK_BUF_H
#define ZTK_BUF_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <ztk/error.h>

#define ZTK_RDATA_MAX 65535

struct ztk_wbuf {
	uint8_t *buf;
	size_t len, cap;
};

static inline int
ztk_wbuf_put(struct ztk_wbuf *w, const void *p, size_t n)
{
	if (n > w->cap - w->len)
		return ZTK_ESPACE;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

static inline int
ztk_wbuf_u8(struct ztk_wbuf *w, uint8_t v)
{
	if (w->len >= w->cap)
		return ZTK_ESPACE;
	w->buf[w->len++] = v;
	return 0;
}

static inline int
ztk_wbuf_u16(struct ztk_wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return ztk_wbuf_put(w, b, 2);
}

static inline int
ztk_wbuf_u32(struct ztk_wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };
	return ztk_wbuf_put(w, b, 4);
}

struct ztk_sbuf {
	char *buf;      /* always NUL-terminated when cap > 0 */
	size_t len, cap;
	size_t max;     /* 0: default of 16 MiB */
};

void ztk_sbuf_clear(struct ztk_sbuf *s);   /* frees */
int ztk_sbuf_grow(struct ztk_sbuf *s, size_t add);
int ztk_sbuf_put(struct ztk_sbuf *s, const char *p, size_t n);
int ztk_sbuf_str(struct ztk_sbuf *s, const char *str);
int ztk_sbuf_printf(struct ztk_sbuf *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ztk_sbuf_u32(struct ztk_sbuf *s, uint32_t v);   /* decimal */
static inline int
ztk_sbuf_chr(struct ztk_sbuf *s, char c)
{
	return ztk_sbuf_put(s, &c, 1);
}

#endif /* ZTK_BUF_H */
