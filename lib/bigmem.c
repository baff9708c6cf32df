/* bigmem.c - large arrays on huge pages where the kernel allows (see
 * bigmem.h). */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bigmem.h"

#define HUGE_PAGE ((size_t)2 << 20)

size_t ztk_big_round(size_t n)
{
	if (n < ZTK_BIGMEM_MIN || n > SIZE_MAX - HUGE_PAGE)
		return n;
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *ztk_big_malloc(size_t n)
{
	if (n < ZTK_BIGMEM_MIN || n > SIZE_MAX - HUGE_PAGE)
		return malloc(n);
	/* Whole huge pages, aligned: the kernel maps a huge page only where
	 * all of it lies inside the advised range. */
	size_t len = ztk_big_round(n);
	void *p = aligned_alloc(HUGE_PAGE, len);
#ifdef MADV_HUGEPAGE
	if (p != NULL)
		(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

void *ztk_big_realloc(void *p, size_t n)
{
	if (n < ZTK_BIGMEM_MIN || n > SIZE_MAX - HUGE_PAGE)
		return realloc(p, n);
	/* Moved by hand: realloc would move it to where huge pages do not
	 * fit.  (The arrays grow by doubling, so all the copying together is
	 * about one array's worth.) */
	void *q = ztk_big_malloc(n);
	if (q == NULL)
		return NULL;
	if (p != NULL) {
		size_t old = malloc_usable_size(p);
		memcpy(q, p, old < n ? old : n);
		free(p);
	}
	return q;
}
