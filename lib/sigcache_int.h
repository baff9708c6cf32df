/*
 * sigcache_int.h - what the signer asks of the signature cache beyond
 * ztk/sigcache.h: nodes by position (both the cache and the zone being
 * signed are in canonical order, so a job walks them side by side), where
 * a node's text lies in the previous output, and writing the next cache
 * with unchanged nodes copied.  Not installed.
 */
#ifndef ZTK_SIGCACHE_INT_H
#define ZTK_SIGCACHE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/sigcache.h>

/* A node of the cache whose checksum and structure have been checked. */
struct sc_node {
	const uint8_t *owner;           /* wire form, as printed */
	const uint8_t *rrs;             /* count x (u16 type | u32 ttl |
					 * u16 rdlen | rdata) */
	size_t count;
	uint64_t text_off;              /* the node's text in the output */
	uint32_t text_len;
};

/* Node positions [begin, end) of the ordinary (nsec3 false) or NSEC3
 * section. */
void sigcache_section(const struct ztk_sigcache *c, bool nsec3, size_t *begin,
	size_t *end);

/* Owner of node i (NULL if its record is damaged; not checksummed). */
const uint8_t *sigcache_owner(const struct ztk_sigcache *c, size_t i);

/*
 * Whether node i's owner is name (nlen octets, a valid name) octet for
 * octet: a compare of the raw record, without the walk over its labels
 * that sigcache_owner makes (equal octets are a valid name).
 */
bool sigcache_owner_is(const struct ztk_sigcache *c, size_t i,
	const uint8_t *name, size_t nlen);

/* First node of a section whose owner is not before name, searched from
 * node guess of the section (0: its first) out. */
size_t sigcache_lower_bound_near(const struct ztk_sigcache *c, bool nsec3,
	const uint8_t *name, size_t guess);

/* Node i, checked (the verdict is remembered; safe from several threads).
 * false: damaged, not to be used. */
bool sigcache_node(const struct ztk_sigcache *c, size_t i, struct sc_node *out);

/* Decode up to cap records of a checked node into rrs; returns count. */
size_t sigcache_decode(const struct sc_node *nd, struct ztk_sigcache_rr *rrs,
	size_t cap);

/* The previous output, open for reading (-1 for a parsed image). */
int sigcache_output_fd(const struct ztk_sigcache *c);

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
 * ztk_sigcache_find in one section only, giving the node itself (records
 * to decode, and where its text lies in the previous output): an NSEC3
 * owner is never looked for among the ordinary names (a binary search
 * there would touch pages all over them, and bring back what was
 * released).
 */
bool sigcache_find_node(const struct ztk_sigcache *c, const uint8_t *name,
	bool nsec3, struct sc_node *out);

/* Writing: before the first node, room for up to slots index entries
 * (every node the output will have: the records go behind them). */
int sigcache_writer_reserve(struct ztk_sigcache_writer *w, uint64_t slots);

/* Writing: one encoded node (sign_out.h layout) whose text starts at
 * text_off of the new output; all ordinary names before NSEC3 owners. */
int sigcache_writer_put(struct ztk_sigcache_writer *w, const uint8_t *node,
	size_t len, uint64_t text_off, uint32_t text_len);

/* count nodes of old from first on, unchanged; their text moved by
 * text_delta octets in the new output. */
int sigcache_writer_copy(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache *old, size_t first, size_t count,
	int64_t text_delta);

#endif
