/*
 * ztk/zone.h - a zone in memory, in canonical order.
 *
 * Records are added one by one (typically from the scanner's callback), then
 * ztk_zone_finish() sorts them into the canonical order of RFC 4034 6.1,
 * groups them into nodes (one per owner name) and marks what each node is:
 * apex, delegation point, occluded (below a delegation or DNAME), out of
 * zone, wildcard.  NSEC3 owner names (RFC 5155) are kept apart from the
 * ordinary names, as they live in their own hashed name space.
 *
 * Memory: one arena per zone; nothing is allocated per record.  All
 * pointers handed out stay valid until ztk_zone_free().
 */
#ifndef ZTK_ZONE_H
#define ZTK_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <ztk/scanner.h>
#include <ztk/visibility.h>

struct ztk_zone;

/* One record of the zone (plain data, borrowed from the zone). */
struct ztk_zone_rr {
	const uint8_t *rdata;
	uint32_t node;          /* index of its node */
	uint32_t ttl;
	uint32_t line;          /* where it was written (file_id, line, col) */
	uint16_t type;
	uint16_t rclass;
	uint16_t rdlen;
	uint16_t flags;         /* ZTK_RR_* of the scanner */
	uint16_t file_id;
	uint16_t col;
};

/* ztk_zone_node.flags */
#define ZTK_NODE_APEX        0x0001
#define ZTK_NODE_DELEGATION  0x0002  /* NS below the apex: a zone cut */
#define ZTK_NODE_BELOW_CUT   0x0004  /* below a delegation: glue/occluded */
#define ZTK_NODE_BELOW_DNAME 0x0008  /* below a DNAME owner: occluded */
#define ZTK_NODE_OUT_OF_ZONE 0x0010  /* not at or below the origin */
#define ZTK_NODE_WILDCARD    0x0020  /* first label is "*" */
#define ZTK_NODE_NSEC3       0x0040  /* an NSEC3 owner (hashed name) */

struct ztk_zone_node {
	const uint8_t *owner;   /* wire form, case as first written */
	uint32_t first;         /* index of its first record */
	uint32_t count;         /* records, sorted by type then rdata */
	uint32_t flags;         /* ZTK_NODE_* */
	uint32_t cut;           /* for BELOW_*: node index of the cut */
};

/* A new empty zone for origin (wire form).  0 or ZTK_ENOMEM. */
ZTK_API int ztk_zone_new(const uint8_t *origin, struct ztk_zone **zone_out);
ZTK_API void ztk_zone_free(struct ztk_zone *zone);

/* Add a record (copied).  0 or ZTK_ENOMEM / ZTK_ELIMIT (2^32 records). */
ZTK_API int ztk_zone_add(struct ztk_zone *zone, const struct ztk_rr *rr);

/* Adapter for ztk_scan_opts.on_rr with ctx = the zone. */
ZTK_API int ztk_zone_add_cb(void *zone, const struct ztk_rr *rr);

/* Sort and index; call once after the last add.  0 or ZTK_ENOMEM. */
ZTK_API int ztk_zone_finish(struct ztk_zone *zone);

ZTK_API const uint8_t *ztk_zone_origin(const struct ztk_zone *zone);

/* Ordinary nodes in canonical order (NSEC3 owners excluded). */
ZTK_API size_t ztk_zone_node_count(const struct ztk_zone *zone);
ZTK_API const struct ztk_zone_node *ztk_zone_nodes(const struct ztk_zone *z);

/* NSEC3 owner nodes in canonical order. */
ZTK_API size_t ztk_zone_nsec3_count(const struct ztk_zone *zone);
ZTK_API const struct ztk_zone_node *ztk_zone_nsec3_nodes(
	const struct ztk_zone *zone);

/* All records, grouped by node; a node's are rrs[first .. first+count). */
ZTK_API size_t ztk_zone_rr_count(const struct ztk_zone *zone);
ZTK_API const struct ztk_zone_rr *ztk_zone_rrs(const struct ztk_zone *zone);

/* The node of a name, or NULL; ordinary nodes first, then NSEC3 ones. */
ZTK_API const struct ztk_zone_node *ztk_zone_find(const struct ztk_zone *z,
	const uint8_t *name);

/* True if a name exists as a node or as an empty non-terminal. */
ZTK_API bool ztk_zone_name_exists(const struct ztk_zone *z,
	const uint8_t *name);

/* File name for a record's file_id (as given to the scanner). */
ZTK_API const char *ztk_zone_file_name(const struct ztk_zone *zone,
	uint16_t file_id);

/*
 * Print the zone in canonical order, one record per line with absolute
 * names, in a form the scanner reads back to the same records.
 * 0, or ZTK_EIO on a write error.
 */
ZTK_API int ztk_zone_print(const struct ztk_zone *zone, FILE *out);

/*
 * Load a zone file: scan + add + finish.  origin may be NULL: then the
 * first $ORIGIN, or else the owner of the first SOA, is used.  Events go to
 * opts->on_event (opts may be NULL).  Returns what ztk_scan_file returns,
 * or ZTK_ENOMEM; on ZTK_ESYNTAX no origin could be found.
 */
ZTK_API int ztk_zone_load(const char *path, const uint8_t *origin,
	const struct ztk_scan_opts *opts, struct ztk_zone **zone_out,
	struct ztk_scan_stats *stats_out);

#endif /* ZTK_ZONE_H */
