/* findings.c - the list of diagnostics (see ztk/findings.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/findings.h>
#include "arena.h"

struct ztk_findings {
	struct ztk_arena arena;     /* strings */
	struct ztk_finding *v;
	size_t n, cap;
	const char *last_file;      /* kept copy of the last file name */
};

int
ztk_findings_new(struct ztk_findings **out)
{
	*out = calloc(1, sizeof **out);
	if (*out == NULL)
		return ZTK_ENOMEM;
	(*out)->arena.chunk_size = 64u << 10;
	return 0;
}

void
ztk_findings_free(struct ztk_findings *f)
{
	if (f == NULL)
		return;
	ztk_arena_free(&f->arena);
	free(f->v);
	free(f);
}

static const char *
keep(struct ztk_findings *f, const char *s)
{
	return s ? ztk_arena_dup(&f->arena, s, strlen(s) + 1) : NULL;
}

int
ztk_findings_add(struct ztk_findings *f, const char *check,
	enum ztk_severity sev, const char *file, uint32_t line, uint32_t col,
	const uint8_t *owner, const char *hint, const char *fmt, ...)
{
	char msg[1024];
	char otext[ZTK_DNAME_TEXT_MAX];
	va_list ap;

	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 64;
		struct ztk_finding *nv = realloc(f->v, nc * sizeof *nv);
		if (nv == NULL)
			return ZTK_ENOMEM;
		f->v = nv;
		f->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (owner)
		ztk_dname_print(owner, otext);
	struct ztk_finding *d = &f->v[f->n];
	d->check = keep(f, check);
	d->severity = sev;
	/* findings come in runs from one file: share its name, which also
	 * lets the sort skip comparing it */
	if (file && f->last_file && strcmp(file, f->last_file) == 0)
		d->file = f->last_file;
	else if ((d->file = keep(f, file)) != NULL)
		f->last_file = d->file;
	d->line = line;
	d->col = col;
	d->owner = owner ? keep(f, otext) : NULL;
	d->message = keep(f, msg);
	d->hint = keep(f, hint);
	if (!d->check || !d->message || (file && !d->file) ||
	    (owner && !d->owner) || (hint && !d->hint))
		return ZTK_ENOMEM;
	f->n++;
	return 0;
}

size_t
ztk_findings_count(const struct ztk_findings *f)
{
	return f->n;
}

const struct ztk_finding *
ztk_findings_get(const struct ztk_findings *f, size_t i)
{
	return i < f->n ? &f->v[i] : NULL;
}

size_t
ztk_findings_count_sev(const struct ztk_findings *f, enum ztk_severity sev)
{
	size_t c = 0;
	for (size_t i = 0; i < f->n; i++)
		c += f->v[i].severity == sev;
	return c;
}

static int
finding_cmp(const struct ztk_finding *a, const struct ztk_finding *b)
{
	int c = a->file == b->file ? 0 :
		strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return strcmp(a->check, b->check);
}

void
ztk_findings_sort(struct ztk_findings *f)
{
	/* merge sort: stable, so equal positions keep the order of checks */
	if (f->n < 2)
		return;
	struct ztk_finding *tmp = malloc(f->n * sizeof *tmp);
	if (tmp == NULL)
		return;   /* unsorted output is still correct output */
	for (size_t width = 1; width < f->n; width *= 2) {
		for (size_t lo = 0; lo < f->n; lo += 2 * width) {
			size_t mid = lo + width < f->n ? lo + width : f->n;
			size_t hi = lo + 2 * width < f->n ? lo + 2 * width : f->n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = finding_cmp(&f->v[j], &f->v[i]) < 0 ?
					f->v[j++] : f->v[i++];
			while (i < mid)
				tmp[k++] = f->v[i++];
			while (j < hi)
				tmp[k++] = f->v[j++];
		}
		memcpy(f->v, tmp, f->n * sizeof *tmp);
	}
	free(tmp);
}
