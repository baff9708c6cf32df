/*
 * ztk/zonemd.h - message digest of a whole zone (RFC 8976, ZONEMD).
 */
#ifndef ZTK_ZONEMD_H
#define ZTK_ZONEMD_H

#include <stddef.h>
#include <stdint.h>

#include <ztk/visibility.h>
#include <ztk/zone.h>

#define ZTK_ZONEMD_SCHEME_SIMPLE 1
#define ZTK_ZONEMD_SHA384 1
#define ZTK_ZONEMD_SHA512 2

/*
 * Digest of z (finished) by scheme SIMPLE with hash algorithm hash_alg:
 * every in-zone RR (glue and occluded data included, out-of-zone data
 * not) in canonical order and form, without the apex ZONEMD RRset and the
 * RRSIGs covering it.  digest gets 48 (SHA-384) or 64 (SHA-512) octets;
 * *len is its room on entry and the digest length on return.
 */
ZTK_API int ztk_zonemd_compute(const struct ztk_zone *z, unsigned hash_alg,
	uint8_t *digest, size_t *len);

#endif /* ZTK_ZONEMD_H */
