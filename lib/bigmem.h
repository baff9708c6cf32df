/*
 * bigmem.h - malloc and realloc for the large arrays of a zone (records,
 * nodes, sort keys, arena chunks), on transparent huge pages where the
 * kernel gives them on request (THP "madvise" mode, Debian's default).
 *
 * Loading a zone of 100,000 names touches some 40 MB of fresh memory: with
 * 4 KiB pages that is 10,000 page faults, each a trip into the kernel to
 * clear, charge and map one page.  With 2 MiB pages it is a few dozen.
 * Free with free().  Not installed.
 */
#ifndef ZTK_BIGMEM_H
#define ZTK_BIGMEM_H

#include <stddef.h>

/* Below this, an allocation is left to malloc as it is: rounded up to
 * whole huge pages it would waste too much. */
#define ZTK_BIGMEM_MIN ((size_t)4 << 20)

/* n rounded up to what ztk_big_malloc(n) really gives (usable to the
 * end). */
size_t ztk_big_round(size_t n);
void *ztk_big_malloc(size_t n);
void *ztk_big_realloc(void *p, size_t n);

#endif
