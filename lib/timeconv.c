/* timeconv.c - TTL units and RRSIG timestamps. */
#include <stdio.h>
#include "timeconv.h"
#include "util.h"

int
ztk_ttl_parse(const char *s, size_t len, uint32_t *out)
{
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)s[i];
		if (ztk_isdigit(c)) {
			cur = cur * 10 + (c - '0');
			if (cur > 0xffffffffu)
				return -1;
			digits = true;
			continue;
		}
		uint64_t mul;
		switch (c | 0x20) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 604800; break;
		default: return -1;
		}
		if (!digits)
			return -1;
		total += cur * mul;
		if (total > 0xffffffffu)
			return -1;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits) {
		/* a trailing bare number after units counts as seconds */
		total += cur;
		if (total > 0xffffffffu)
			return -1;
	} else if (!units) {
		return -1;
	}
	*out = (uint32_t)total;
	return 0;
}

int64_t
ztk_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* H. Hinnant's days_from_civil, valid for the proleptic calendar */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static unsigned
num(const char *s, unsigned n)
{
	unsigned v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

int
ztk_timestamp_parse(const char *s, size_t len, uint32_t *out)
{
	for (size_t i = 0; i < len; i++)
		if (!ztk_isdigit((uint8_t)s[i]))
			return -1;
	if (len == 14) {
		unsigned y = num(s, 4), mo = num(s + 4, 2), d = num(s + 6, 2);
		unsigned h = num(s + 8, 2), mi = num(s + 10, 2), se = num(s + 12, 2);
		static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31,
			31, 30, 31, 30, 31 };
		if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
		    h > 23 || mi > 59 || se > 60)
			return -1;
		int64_t t = ztk_days_from_civil(y, mo, d) * 86400 + h * 3600 +
			mi * 60 + se;
		/* RFC 4034 3.1.5: serial number arithmetic, modulo 2^32 */
		*out = (uint32_t)t;
		return 0;
	}
	if (len == 0 || len > 10)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (v > 0xffffffffu)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

void
ztk_timestamp_print(uint32_t t, char *buf)
{
	int64_t days = t / 86400, rem = t % 86400;
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(buf, 16, "%04u%02u%02u%02u%02u%02u", (unsigned)y % 10000u, m % 100u, d % 100u,
		(unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
		(unsigned)(rem % 60));
}
