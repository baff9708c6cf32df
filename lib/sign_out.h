/*
 * sign_out.h - the signer's output, one node at a time: records in the
 * order of a finished zone, printed as ztk_zone_print() prints them, and
 * encoded as a node of the signature cache (ztk/sigcache.h).  Not
 * installed.
 */
#ifndef ZTK_SIGN_OUT_H
#define ZTK_SIGN_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "dnssec_int.h"

/* One output record; owner and rdata live in the input zone or an arena. */
struct orr {
	const uint8_t *owner;
	const uint8_t *rdata;
	uint32_t ttl;
	uint16_t type;
	uint16_t rdlen;
};

/* Node kinds of the cache: ordinary names and NSEC3 owners. */
enum { SC_KIND_NAME = 0, SC_KIND_NSEC3 = 1, SC_KIND_NONE = -1 };

/*
 * rrs[0..n) are the records of one node (owner: rrs[0].owner): sort them
 * as ztk_zone_finish() does (type, then canonical RDATA), append their
 * text to text (if not NULL) and, unless kind is SC_KIND_NONE, the node to
 * cache.  0 or ZTK_ENOMEM/ZTK_ELIMIT.
 */
int sign_out_node(struct orr *rrs, size_t n, int kind, struct ztk_sbuf *text,
	struct gbuf *cache);

/* Cache node layout (all integers big-endian):
 *   u32 length of the whole node | u8 kind | owner (wire) | u16 count |
 *   count x (u16 type | u32 ttl | u16 rdlen | rdata)                  */
#define SC_NODE_HEAD 5
#define SC_RR_HEAD 8

#endif
