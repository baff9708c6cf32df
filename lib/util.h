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

/* a and b the same n octets.  Inline, for the short things an
 * incremental run compares by the hundred thousand (an A or AAAA record's
 * 4 or 16 octets, an owner of a few dozen), where calling memcmp costs
 * more than the compare: 3% of such a run's CPU went to those calls. */
static inline bool
ztk_same_octets(const void *pa, const void *pb, size_t n)
{
	const uint8_t *a = pa, *b = pb;
	uint64_t x, y;
	for (; n >= 8; a += 8, b += 8, n -= 8) {
		__builtin_memcpy(&x, a, 8);
		__builtin_memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	if (n >= 4) {   /* the first four and the last four, overlapping */
		uint32_t p, q, r, s;
		__builtin_memcpy(&p, a, 4);
		__builtin_memcpy(&q, b, 4);
		__builtin_memcpy(&r, a + n - 4, 4);
		__builtin_memcpy(&s, b + n - 4, 4);
		return p == q && r == s;
	}
	for (; n > 0; n--)
		if (*a++ != *b++)
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
