/* timeconv.h - TTLs with units and RRSIG timestamps (RFC 4034 3.2). */
#ifndef ZTK_TIMECONV_H
#define ZTK_TIMECONV_H

#include <stddef.h>
#include <stdint.h>

/* "3600", "1h30m", "2W" (BIND units s m h d w, any case).  0 or -1. */
int ztk_ttl_parse(const char *s, size_t len, uint32_t *out);

/* YYYYMMDDHHmmSS (UTC) or up to 10 decimal digits.  0 or -1. */
int ztk_timestamp_parse(const char *s, size_t len, uint32_t *out);

/* YYYYMMDDHHmmSS of a 32-bit time, into buf of 16 octets. */
void ztk_timestamp_print(uint32_t t, char *buf);

/* Seconds since 1970 of a UTC calendar time (proleptic Gregorian). */
int64_t ztk_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
