/*
 * zone_int.h - zone internals shared with lint.c (not installed).
 */
#ifndef ZTK_ZONE_INT_H
#define ZTK_ZONE_INT_H

#include <stdint.h>
#include <ztk/zone.h>

/* Start fetching what ztk_zone_find(z, name) will read first (its hash
 * slot), so a loop can look names up a few steps ahead of using them:
 * on a large zone nearly every lookup is a cache miss. */
void ztk_zone_prefetch(const struct ztk_zone *z, const uint8_t *name);

#endif
