/* arena.c - bump allocator (see arena.h). */
#include <stdlib.h>
#include <string.h>
#include "arena.h"

struct ztk_arena_chunk {
	struct ztk_arena_chunk *next;
	max_align_t data[];
};

void *
ztk_arena_alloc(struct ztk_arena *a, size_t n, size_t align)
{
	uintptr_t p = ((uintptr_t)a->p + (align - 1)) & ~(uintptr_t)(align - 1);
	if (a->p == NULL || n > (size_t)((uintptr_t)a->end - p)) {
		size_t cs = a->chunk_size ? a->chunk_size : (1u << 20);
		if (n + 16 > cs)
			cs = n + 16;
		struct ztk_arena_chunk *c = malloc(sizeof *c + cs);
		if (c == NULL)
			return NULL;
		c->next = a->head;
		a->head = c;
		a->p = (uint8_t *)c->data;
		a->end = a->p + cs;
		p = ((uintptr_t)a->p + (align - 1)) & ~(uintptr_t)(align - 1);
	}
	a->p = (uint8_t *)(p + n);
	a->total += n;
	return (void *)p;
}

void *
ztk_arena_dup(struct ztk_arena *a, const void *src, size_t n)
{
	void *d = ztk_arena_alloc(a, n, 1);
	if (d)
		memcpy(d, src, n);
	return d;
}

void
ztk_arena_free(struct ztk_arena *a)
{
	struct ztk_arena_chunk *c = a->head;
	while (c) {
		struct ztk_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->p = a->end = NULL;
	a->total = 0;
}

void
ztk_arena_take(struct ztk_arena *dst, struct ztk_arena *src)
{
	if (src->head == NULL)
		return;
	if (dst->head == NULL) {
		*dst = (struct ztk_arena){ src->head, src->p, src->end,
			dst->chunk_size, src->total };
	} else {
		/* behind dst's head, which keeps serving allocations */
		struct ztk_arena_chunk *t = src->head;
		while (t->next)
			t = t->next;
		t->next = dst->head->next;
		dst->head->next = src->head;
		dst->total += src->total;
	}
	src->head = NULL;
	src->p = src->end = NULL;
	src->total = 0;
}
