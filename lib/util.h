/* util.h - small inline helpers shared inside libztk (not installed). */
#ifndef ZTK_UTIL_H
#define ZTK_UTIL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define ZTK_LIKELY(x)   __builtin_expect(!!(x), 1)
#define ZTK_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define ZTK_COLD        __attribute__((cold, noinline))
#define ZTK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static inline uint8_t
ztk_tolower(uint8_t c)
{
	return (uint8_t)((unsigned)(c - 'A') < 26u ? c + 32 : c);
}

/* ASCII case-insensitive equality of n octets: inline, without the
 * locale machinery of strncasecmp, for the short words of zone text. */
static inline bool
ztk_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ztk_tolower((uint8_t)a[i]) != ztk_tolower((uint8_t)b[i]))
			return false;
	return true;
}

static inline int
ztk_isalpha(uint8_t c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u;
}

static inline int
ztk_isdigit(uint8_t c)
{
	return (unsigned)(c - '0') < 10u;
}

static inline uint16_t
ztk_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
ztk_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		((uint32_t)p[2] << 8) | p[3];
}

static inline void
ztk_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
ztk_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* ZTK_UTIL_H */
