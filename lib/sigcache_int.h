/*
 * sigcache_int.h - what the signer asks of the signature cache beyond
 * ztk/sigcache.h.  Not installed.
 */
#ifndef ZTK_SIGCACHE_INT_H
#define ZTK_SIGCACHE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <ztk/sigcache.h>

/*
 * The signer is done with every node before name (wire form) in the
 * ordinary (nsec3 false) or NSEC3 section, and with everything of the
 * sections before; NULL: the whole section.  Their pages are given back
 * to the kernel (they are read again from the file if touched), so an
 * incremental run does not hold the old signatures and the new zone at
 * once.  Only for a mapped cache; one thread at a time.
 */
void sigcache_release_before(const struct ztk_sigcache *c,
	const uint8_t *name, bool nsec3);

/*
 * ztk_sigcache_find in one section only: an NSEC3 owner is never looked
 * for among the ordinary names (a binary search there would touch pages
 * all over them, and bring back what was released).
 */
bool sigcache_find_section(const struct ztk_sigcache *c, const uint8_t *name,
	bool nsec3, struct ztk_sigcache_rr *rrs, size_t cap, size_t *n);

#endif
