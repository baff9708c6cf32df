/*
 * arena.h - bump allocator for zone data.
 *
 * Records, names and rdata of a zone live as long as the zone, so they are
 * carved out of large chunks and freed all at once: no malloc per record,
 * no per-object header, and good locality when the zone is walked in order.
 */
#ifndef ZTK_ARENA_H
#define ZTK_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct ztk_arena_chunk;

struct ztk_arena {
	struct ztk_arena_chunk *head;
	uint8_t *p, *end;       /* free space of the head chunk */
	size_t chunk_size;      /* 0: 1 MiB */
	size_t total;           /* octets handed out */
};

/* n octets, aligned to align (power of two, at most 16); NULL if out of
 * memory.  The memory is not zeroed. */
void *ztk_arena_alloc(struct ztk_arena *a, size_t n, size_t align);
void *ztk_arena_dup(struct ztk_arena *a, const void *p, size_t n);
void ztk_arena_free(struct ztk_arena *a);

/* Move every chunk of src into dst (src is left empty); what was handed
 * out from src stays valid and now lives as long as dst. */
void ztk_arena_take(struct ztk_arena *dst, struct ztk_arena *src);

#endif
