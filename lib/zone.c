/* zone.c - zone in canonical order (see ztk/zone.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include <ztk/zone.h>
#include "arena.h"
#include "buf.h"
#include "rdata.h"
#include "scan_split.h"
#include "threads.h"
#include "zone_int.h"
#include "util.h"
#ifdef ZTK_PHASES
double ph_last;
long ph_lflt;
#endif

/* A run of consecutive added records with the same owner (as written). */
struct run {
	const uint8_t *key;     /* canonical sort key of the owner */
	const uint8_t *owner;
	uint32_t first;         /* first record of the run (add order) */
	uint16_t keylen;
	bool wild;              /* first label is "*" */
	uint32_t hash;          /* name_hash() of the owner */
	uint64_t ab, ab2;       /* key octets after the origin's (pre_ok) */
};

struct hslot {
	const uint8_t *owner;   /* NULL: empty */
	uint32_t hash;
	uint32_t node;
};

/* The table has any number of slots (1.5 per name, so that it fits where
 * the runs were): a hash picks its first slot by multiply-shift. */
static inline size_t
hslot0(uint32_t h, size_t cap)
{
	return (size_t)(((uint64_t)h * cap) >> 32);
}

static inline size_t
hslot_next(size_t i, size_t cap)
{
	return i + 1 < cap ? i + 1 : 0;
}

struct ztk_zone {
	struct ztk_arena arena;
	uint8_t origin[ZTK_DNAME_MAX];
	bool have_origin;
	uint8_t origin_key[ZTK_DNAME_KEY_MAX];
	size_t origin_keylen;
	/* With the origin known from the start, the abbreviated sort keys
	 * (the octets after its key) are made as the names come in, while
	 * each key is at hand; pre_ok stays set while every name is at or
	 * below the origin. */
	bool pre_ok;
	size_t pre_cp;
	uint8_t pre_key[ZTK_DNAME_KEY_MAX];

	struct ztk_zone_rr *rrs;
	size_t nrr, caprr;
	struct run *runs;
	size_t nrun, caprun;
	/* After zone_append: the other zone's records and runs, left where
	 * they are (copying them behind these cost a page fault per page);
	 * finish reads both.  Their run indices follow this zone's. */
	struct ztk_zone_rr *rrs2;
	size_t nrr2;
	struct run *runs2;
	size_t nrun2, caprun2;
	uint32_t line_off2;     /* add to the line of each of rrs2 */
	uint16_t fmap2[16];     /* file_id of rrs2 -> this zone's */

	struct ztk_zone_node *nodes;    /* ordinary, then NSEC3 ones */
	size_t nnode, nnsec3;
	const uint8_t **keys;           /* per node, for binary search */
	uint16_t *keylens;
	uint64_t *abbrevs;              /* per node: key octets after cp */
	size_t cp;                      /* prefix all node keys share */
	struct hslot *htab;             /* name hash -> node, see find() */
	size_t hcap;            /* slots */

	char **files;
	size_t nfiles;
	const char *last_file_ptr;
	uint16_t last_file_id;
	bool finished;
};

int
ztk_zone_new(const uint8_t *origin, struct ztk_zone **zone_out)
{
	struct ztk_zone *z = calloc(1, sizeof *z);
	if (z == NULL)
		return ZTK_ENOMEM;
	z->arena.chunk_size = 4u << 20;
	if (origin) {
		memcpy(z->origin, origin, ztk_dname_len(origin));
		z->have_origin = true;
		z->pre_cp = ztk_dname_key(origin, z->pre_key);
		z->pre_ok = true;
	}
	*zone_out = z;
	return 0;
}

void
ztk_zone_free(struct ztk_zone *z)
{
	if (z == NULL)
		return;
	ztk_arena_free(&z->arena);
	free(z->rrs);
	free(z->runs);
	free(z->rrs2);
	free(z->runs2);
	free(z->nodes);
	free(z->keys);
	free(z->keylens);
	free(z->abbrevs);
	free(z->htab);
	for (size_t i = 0; i < z->nfiles; i++)
		free(z->files[i]);
	free(z->files);
	free(z);
}

static int
grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 1024;
	while (nc < need)
		nc *= 2;
	void *p = realloc(*arr, nc * elem);
	if (p == NULL)
		return ZTK_ENOMEM;
	*arr = p;
	*cap = nc;
	return 0;
}

static int
file_id(struct ztk_zone *z, const char *file, uint16_t *id)
{
	/* The scanner hands the same pointer for every record of one file. */
	if (file == z->last_file_ptr && z->nfiles) {
		*id = z->last_file_id;
		return 0;
	}
	for (size_t i = 0; i < z->nfiles; i++) {
		if (strcmp(z->files[i], file) == 0) {
			*id = (uint16_t)i;
			goto done;
		}
	}
	if (z->nfiles >= 65535)
		return ZTK_ELIMIT;
	char **nf = realloc(z->files, (z->nfiles + 1) * sizeof *nf);
	if (nf == NULL)
		return ZTK_ENOMEM;
	z->files = nf;
	if ((z->files[z->nfiles] = strdup(file)) == NULL)
		return ZTK_ENOMEM;
	*id = (uint16_t)z->nfiles++;
done:
	z->last_file_ptr = file;
	z->last_file_id = *id;
	return 0;
}

static uint32_t name_hash(const uint8_t *name);
static uint64_t abbrev(const uint8_t *key, size_t kl, size_t from);

int
ztk_zone_add(struct ztk_zone *z, const struct ztk_rr *rr)
{
	int r;
	if (z->nrr >= UINT32_MAX - 1)
		return ZTK_ELIMIT;
	if ((r = grow((void **)&z->rrs, &z->caprr, z->nrr + 1, sizeof *z->rrs)))
		return r;
	if (!z->have_origin && rr->type == ZTK_TYPE_SOA) {
		memcpy(z->origin, rr->owner, ztk_dname_len(rr->owner));
		z->have_origin = true;
	}

	/* A new run when the owner differs from the previous record's, as
	 * written; runs with equal names are merged by finish(). */
	size_t olen = ztk_dname_len(rr->owner);
	struct run *last = z->nrun ? &z->runs[z->nrun - 1] : NULL;
	if (last == NULL || !ztk_same_octets(last->owner, rr->owner, olen)) {
		if ((r = grow((void **)&z->runs, &z->caprun, z->nrun + 1,
		    sizeof *z->runs)))
			return r;
		uint8_t key[ZTK_DNAME_KEY_MAX];
		size_t kl = ztk_dname_key(rr->owner, key);
		uint8_t *mem = ztk_arena_alloc(&z->arena, olen + kl, 1);
		if (mem == NULL)
			return ZTK_ENOMEM;
		memcpy(mem, rr->owner, olen);
		memcpy(mem + olen, key, kl);
		last = &z->runs[z->nrun++];
		last->owner = mem;
		last->key = mem + olen;
		last->keylen = (uint16_t)kl;
		last->first = (uint32_t)z->nrr;
		last->hash = name_hash(rr->owner);
		if (z->pre_ok && kl >= z->pre_cp &&
		    ztk_same_octets(key, z->pre_key, z->pre_cp)) {
			last->ab = abbrev(key, kl, z->pre_cp);
			last->ab2 = abbrev(key, kl, z->pre_cp + 8);
		} else {
			z->pre_ok = false;
		}
		last->wild = ztk_dname_is_wildcard(rr->owner);
	}

	struct ztk_zone_rr *d = &z->rrs[z->nrr];
	uint8_t *rd = NULL;
	if (rr->rdlen) {
		rd = ztk_arena_dup(&z->arena, rr->rdata, rr->rdlen);
		if (rd == NULL)
			return ZTK_ENOMEM;
	}
	if ((r = file_id(z, rr->file ? rr->file : "-", &d->file_id)))
		return r;
	d->rdata = rd;
	d->node = (uint32_t)(z->nrun - 1);   /* run index until finish() */
	d->ttl = rr->ttl;
	d->line = rr->line;
	d->col = (uint16_t)(rr->col > 65535 ? 65535 : rr->col);
	d->type = rr->type;
	d->rclass = rr->rclass;
	d->rdlen = rr->rdlen;
	d->flags = rr->flags;
	z->nrr++;
	return 0;
}

int
ztk_zone_add_cb(void *zone, const struct ztk_rr *rr)
{
	return ztk_zone_add(zone, rr);
}

static int
key_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	if (n <= 16) {   /* addresses and short names: no call */
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return a[i] < b[i] ? -1 : 1;
		return (al > bl) - (al < bl);
	}
	int c = memcmp(a, b, n);
	return c ? c : (al > bl) - (al < bl);
}

static bool
has_upper(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned)(p[i] - 'A') < 26u)
			return true;
	return false;
}

/* Order of records inside a node: type, then canonical rdata (RFC 4034
 * 6.3), then position in the input so duplicates stay in file order. */
static int
rr_cmp(const void *pa, const void *pb)
{
	const struct ztk_zone_rr *a = pa, *b = pb;
	if (a->type != b->type)
		return (a->type > b->type) - (a->type < b->type);
	int c;
	/* canonical form only folds the case of embedded names: rdata
	 * without an upper-case octet anywhere is already canonical */
	if (ztk_rdata_has_names(a->type) && (has_upper(a->rdata, a->rdlen) ||
	    has_upper(b->rdata, b->rdlen))) {
		uint8_t ca[1024], cb[1024];
		if (a->rdlen <= sizeof ca && b->rdlen <= sizeof cb) {
			memcpy(ca, a->rdata, a->rdlen);
			memcpy(cb, b->rdata, b->rdlen);
			ztk_rdata_canonicalize(a->type, ca, a->rdlen);
			ztk_rdata_canonicalize(b->type, cb, b->rdlen);
			c = key_cmp(ca, a->rdlen, cb, b->rdlen);
			goto tie;
		}
	}
	c = key_cmp(a->rdata ? a->rdata : (const uint8_t *)"", a->rdlen,
		b->rdata ? b->rdata : (const uint8_t *)"", b->rdlen);
tie:
	if (c)
		return c;
	if (a->file_id != b->file_id)
		return (a->file_id > b->file_id) - (a->file_id < b->file_id);
	return (a->line > b->line) - (a->line < b->line);
}

static bool
is_prefix(const uint8_t *p, size_t pl, const uint8_t *k, size_t kl)
{
	return pl <= kl && ztk_same_octets(p, k, pl);
}

/* An NSEC3 owner: one label below the apex, holding NSEC3 (and RRSIGs). */
static bool
is_nsec3_node(const struct ztk_zone *z, const struct ztk_zone_node *n)
{
	bool nsec3 = false;
	for (uint32_t i = 0; i < n->count; i++) {
		uint16_t t = z->rrs[n->first + i].type;
		if (t == ZTK_TYPE_NSEC3)
			nsec3 = true;
		else if (t != ZTK_TYPE_RRSIG)
			return false;
	}
	return nsec3 && n->owner[0] != 0 &&
		ztk_dname_equal(n->owner + n->owner[0] + 1, z->origin);
}

/*
 * Sorting a million names by memcmp of their keys is dominated by cache
 * misses and by the prefix every key shares (the origin's labels).  So the
 * sort works on 16-octet items: the 8 key octets after the common prefix as
 * a big-endian integer ("abbreviated key"), falling back to the full key
 * only on a tie.
 */
struct skey {
	uint64_t ab, ab2;       /* key octets cp..cp+15 */
	uint32_t run;
	uint32_t nrec;          /* records of the run */
};

/* The runs of a zone before finish: its own, then those of rrs2. */
struct runset {
	const struct run *a, *b;
	size_t na;
};

static inline const struct run *
run_at(const struct runset *rs, uint32_t i)
{
	return i < rs->na ? &rs->a[i] : &rs->b[i - rs->na];
}

static uint64_t
abbrev(const uint8_t *key, size_t kl, size_t from)
{
	uint64_t v = 0;
	if (from + 8 <= kl) {
		memcpy(&v, key + from, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		v = __builtin_bswap64(v);   /* big-endian: memcmp order */
#endif
		return v;
	}
	for (size_t i = 0; i < 8; i++)
		v = (v << 8) | (from + i < kl ? key[from + i] : 0);
	return v;
}

static int
skey_cmp(const struct skey *a, const struct skey *b, const struct runset *runs)
{
	if (a->ab != b->ab)
		return a->ab < b->ab ? -1 : 1;
	if (a->ab2 != b->ab2)
		return a->ab2 < b->ab2 ? -1 : 1;
	const struct run *ra = run_at(runs, a->run), *rb = run_at(runs, b->run);
	int c = key_cmp(ra->key, ra->keylen, rb->key, rb->keylen);
	if (c)
		return c;
	return (a->run > b->run) - (a->run < b->run);
}

static size_t
common_prefix(const struct runset *rs, size_t n)
{
	if (n == 0)
		return 0;
	const struct run *r0 = run_at(rs, 0);
	size_t cp = r0->keylen;
	for (size_t i = 1; i < n && cp; i++) {
		const struct run *r = run_at(rs, (uint32_t)i);
		size_t k = 0, m = r->keylen < cp ? r->keylen : cp;
		while (k < m && r->key[k] == r0->key[k])
			k++;
		cp = k;
	}
	return cp;
}

static void
skey_isort(struct skey *v, size_t n, const struct runset *runs)
{
	for (size_t i = 1; i < n; i++) {
		struct skey x = v[i];
		size_t j = i;
		while (j > 0 && skey_cmp(&v[j - 1], &x, runs) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static inline unsigned
skey_digit(const struct skey *k, unsigned depth)
{
	return depth < 8 ? (unsigned)(k->ab >> (56 - 8 * depth)) & 0xff :
		(unsigned)(k->ab2 >> (56 - 8 * (depth - 8))) & 0xff;
}

/*
 * MSD radix sort of the 16 abbreviated key octets, one octet per level:
 * names of a zone share long stretches (the origin, "www-", "host"), and a
 * level where every item falls into one bucket costs one counting pass and
 * no moves.  Small buckets, and items equal in all 16 octets, go to
 * insertion sort with the full comparison.
 */
static void
skey_radix(struct skey *v, struct skey *tmp, size_t n, unsigned depth,
	const struct runset *runs)
{
	while (n > 48 && depth < 16) {
		size_t count[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[skey_digit(&v[i], depth)]++;
		if (count[skey_digit(&v[0], depth)] == n) {
			depth++;   /* one bucket: look at the next octet */
			continue;
		}
		size_t start[256], pos = 0;
		for (unsigned b = 0; b < 256; b++) {
			start[b] = pos;
			pos += count[b];
		}
		size_t at[256];
		memcpy(at, start, sizeof at);
		for (size_t i = 0; i < n; i++)
			tmp[at[skey_digit(&v[i], depth)]++] = v[i];
		memcpy(v, tmp, n * sizeof *v);
		for (unsigned b = 0; b < 256; b++)
			if (count[b] > 1)
				skey_radix(v + start[b], tmp, count[b],
					depth + 1, runs);
		return;
	}
	if (n > 48) {
		/* equal in 16 octets: long shared stretches, rare */
		for (size_t w = 1; w < n; w *= 2) {
			for (size_t lo = 0; lo < n; lo += 2 * w) {
				size_t mid = lo + w < n ? lo + w : n;
				size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
				size_t i = lo, j = mid, k = lo;
				while (i < mid && j < hi)
					tmp[k++] = skey_cmp(&v[j], &v[i],
						runs) < 0 ? v[j++] : v[i++];
				while (i < mid)
					tmp[k++] = v[i++];
				while (j < hi)
					tmp[k++] = v[j++];
			}
			memcpy(v, tmp, n * sizeof *v);
		}
		return;
	}
	skey_isort(v, n, runs);
}

/*
 * The first level of skey_radix that spreads the items over more than one
 * bucket, with the buckets then sorted on two threads: each takes the
 * next unsorted bucket, largest first, until none is left.  The result is
 * the one skey_radix gives (the buckets are disjoint ranges of v and tmp).
 */
struct radix_par {
	struct skey *v, *tmp;
	const struct runset *runs;
	unsigned depth;         /* of the buckets' items */
	size_t start[256], count[256];
	uint8_t order[256];     /* buckets of more than one item */
	unsigned norder;
	atomic_uint next;
};

static void *
radix_par_main(void *arg)
{
	struct radix_par *p = arg;
	for (;;) {
		unsigned k = atomic_fetch_add_explicit(&p->next, 1,
			memory_order_relaxed);
		if (k >= p->norder)
			return NULL;
		unsigned b = p->order[k];
		skey_radix(p->v + p->start[b], p->tmp + p->start[b],
			p->count[b], p->depth, p->runs);
	}
}

/* The buckets of a level already distributed (v holds them in order,
 * count[] their sizes), each sorted from depth on, on two threads. */
static void
radix_par_buckets(struct skey *v, struct skey *tmp, const size_t count[256],
	unsigned depth, const struct runset *runs)
{
	struct radix_par *p = malloc(sizeof *p);
	if (p == NULL) {
		size_t at = 0;
		for (unsigned b = 0; b < 256; at += count[b++])
			if (count[b] > 1)
				skey_radix(v + at, tmp + at, count[b], depth,
					runs);
		return;
	}
	size_t pos = 0;
	for (unsigned b = 0; b < 256; b++) {
		p->start[b] = pos;
		p->count[b] = count[b];
		pos += count[b];
	}
	p->v = v;
	p->tmp = tmp;
	p->runs = runs;
	p->depth = depth;
	p->norder = 0;
	for (unsigned b = 0; b < 256; b++)
		if (count[b] > 1)
			p->order[p->norder++] = (uint8_t)b;
	/* largest first, so that the two finish close together */
	for (unsigned i = 1; i < p->norder; i++) {
		uint8_t x = p->order[i];
		unsigned j = i;
		while (j > 0 && p->count[p->order[j - 1]] < p->count[x]) {
			p->order[j] = p->order[j - 1];
			j--;
		}
		p->order[j] = x;
	}
	atomic_init(&p->next, 0);
	pthread_t th;
	bool threaded = pthread_create(&th, NULL, radix_par_main, p) == 0;
	radix_par_main(p);
	if (threaded)
		pthread_join(th, NULL);
	free(p);
}

static void
skey_sort(struct skey *v, struct skey *tmp, size_t n,
	const struct runset *runs, bool two)
{
	unsigned depth = 0;
	size_t count[256];
	for (;;) {
		if (!two || n <= 48 || depth >= 16) {
			skey_radix(v, tmp, n, depth, runs);
			return;
		}
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[skey_digit(&v[i], depth)]++;
		if (count[skey_digit(&v[0], depth)] != n)
			break;
		depth++;
	}
	size_t at[256], pos = 0;
	for (unsigned b = 0; b < 256; b++) {
		at[b] = pos;
		pos += count[b];
	}
	for (size_t i = 0; i < n; i++)
		tmp[at[skey_digit(&v[i], depth)]++] = v[i];
	memcpy(v, tmp, n * sizeof *v);
	radix_par_buckets(v, tmp, count, depth + 1, runs);
}

/*
 * Runs into canonical order: sk[i].run is the i-th run.  *spare_out is
 * the sort's scratch array of an skey per run (its pages are faulted in
 * already: worth using again), or NULL.
 *
 * On a large zone with two threads, each builds the sort keys of half of
 * the runs and counts their first octets, then moves its half into the
 * buckets of that octet (the first half's items first in each, as one
 * thread would have put them), and the buckets are sorted on both
 * (radix_par_buckets): one thread alone took 4 of a 100k-name load's 45
 * ms here while the other core idled.
 */
struct sk_half {
	const struct ztk_zone *z;
	const struct runset *rs;
	struct skey *sk, *tmp;
	size_t from, to, cp;
	bool in_order;
	size_t count[256];      /* of the first octets (depth 0) */
	size_t at[256];         /* where its items of each bucket go */
};

static void *
sk_build(void *arg)
{
	struct sk_half *h = arg;
	const struct ztk_zone *z = h->z;
	const struct runset *rs = h->rs;
	struct skey *sk = h->sk;
	size_t n = z->nrun + z->nrun2;
	h->in_order = true;
	memset(h->count, 0, sizeof h->count);
	for (size_t i = h->from; i < h->to; i++) {
		const struct run *r = run_at(rs, (uint32_t)i);
		if (z->pre_ok) {
			sk[i].ab = r->ab;
			sk[i].ab2 = r->ab2;
		} else {
			sk[i].ab = abbrev(r->key, r->keylen, h->cp);
			sk[i].ab2 = abbrev(r->key, r->keylen, h->cp + 8);
		}
		sk[i].run = (uint32_t)i;
		/* a run's records end where the next one's start, or at the
		 * end of its part */
		if (i < z->nrun)
			sk[i].nrec = (i + 1 < z->nrun ? r[1].first :
				(uint32_t)z->nrr) - r->first;
		else
			sk[i].nrec = (i + 1 < n ? r[1].first :
				(uint32_t)z->nrr2) - r->first;
		h->count[skey_digit(&sk[i], 0)]++;
		if (i > h->from && h->in_order &&
		    skey_cmp(&sk[i - 1], &sk[i], rs) > 0)
			h->in_order = false;
	}
	return NULL;
}

static void *
sk_distribute(void *arg)
{
	struct sk_half *h = arg;
	for (size_t i = h->from; i < h->to; i++)
		h->tmp[h->at[skey_digit(&h->sk[i], 0)]++] = h->sk[i];
	return NULL;
}

static int
sort_runs(struct ztk_zone *z, struct skey **sk_out, size_t *cp_out,
	void **spare_out)
{
	size_t n = z->nrun + z->nrun2;
	struct skey *sk = malloc((n ? n : 1) * sizeof *sk);
	struct skey *tmp = malloc((n ? n : 1) * sizeof *tmp);
	if (sk == NULL || tmp == NULL) {
		free(sk);
		free(tmp);
		return ZTK_ENOMEM;
	}
	const struct runset rs = { z->runs, z->runs2, z->nrun };
	/* any prefix all keys share will do; the longest discriminates best */
	size_t cp = z->pre_ok ? z->pre_cp : common_prefix(&rs, n);
	bool two = n >= 50000 && ztk_may_use_threads();
	struct sk_half h[2];
	for (int k = 0; k < 2; k++)
		h[k] = (struct sk_half){ .z = z, .rs = &rs, .sk = sk,
			.tmp = tmp, .cp = cp };
	h[0].to = h[1].from = two ? n / 2 : n;
	h[1].to = n;
	pthread_t th;
	bool threaded = two && pthread_create(&th, NULL, sk_build, &h[1]) == 0;
	if (!threaded)
		h[0].to = n;
	sk_build(&h[0]);
	if (threaded)
		pthread_join(th, NULL);
	bool in_order = h[0].in_order && (!threaded || (h[1].in_order &&
		(h[0].to == 0 || h[1].from == n ||
		skey_cmp(&sk[h[0].to - 1], &sk[h[1].from], &rs) <= 0)));
	*sk_out = sk;
	*cp_out = cp;
	*spare_out = tmp;
	if (in_order)   /* zones written by tools often come sorted */
		return 0;
	size_t count[256];
	for (unsigned b = 0; b < 256; b++)
		count[b] = h[0].count[b] + (threaded ? h[1].count[b] : 0);
	if (!threaded || count[skey_digit(&sk[0], 0)] == n) {
		/* one thread, or the first octet is the same everywhere */
		skey_sort(sk, tmp, n, &rs, two);
		return 0;
	}
	size_t pos = 0;
	for (unsigned b = 0; b < 256; b++) {
		h[0].at[b] = pos;
		h[1].at[b] = pos + h[0].count[b];
		pos += count[b];
	}
	if (pthread_create(&th, NULL, sk_distribute, &h[1]) == 0) {
		sk_distribute(&h[0]);
		pthread_join(th, NULL);
	} else {
		sk_distribute(&h[0]);
		sk_distribute(&h[1]);
	}
	memcpy(sk, tmp, n * sizeof *sk);
	radix_par_buckets(sk, tmp, count, 1, &rs);
	return 0;
}

/* Records of one node: few, so insertion sort beats qsort's overhead. */
static void
sort_node_rrs(struct ztk_zone_rr *v, size_t n)
{
	if (n > 16) {
		qsort(v, n, sizeof *v, rr_cmp);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct ztk_zone_rr x = v[i];
		size_t j = i;
		while (j > 0 && rr_cmp(&v[j - 1], &x) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * Exact lookups go through a hash table of the node names: a binary search
 * over a million keys costs twenty scattered compares, many of them memcmp
 * of keys that agree beyond the abbreviated octets.  The hash folds case,
 * as name equality does.  A slot holds the owner (NULL: empty), the hash
 * and the node's index.
 */
/* Eight octets at once to lower case: label lengths (at most 63) are
 * never letters, so the whole wire form can be folded. */
static inline uint64_t
lower8(uint64_t w)
{
	const uint64_t hi = 0x8080808080808080u, lo7 = 0x7f7f7f7f7f7f7f7fu;
	uint64_t h7 = w & lo7;
	uint64_t ge_a = h7 + 0x0101010101010101u * (0x80 - 'A');
	uint64_t gt_z = h7 + 0x0101010101010101u * (0x7f - 'Z');
	uint64_t upper = ~w & (ge_a ^ gt_z) & hi;
	return w | (upper >> 2);
}

static uint32_t
name_hash(const uint8_t *name)
{
	size_t n = ztk_dname_len(name);
	uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
	for (; n >= 8; n -= 8, name += 8) {
		memcpy(&w, name, 8);
		h = (h ^ lower8(w)) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (n) {
		w = 0;
		memcpy(&w, name, n);
		h = (h ^ lower8(w)) * 0xff51afd7ed558ccdu;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* Whether the i-th run in canonical order (i > 0) has the name of the one
 * before: different abbreviated keys mean different names, without a
 * look at the keys. */
static bool
same_name(const struct skey *sk, size_t i, const struct runset *runs)
{
	if (sk[i].ab != sk[i - 1].ab || sk[i].ab2 != sk[i - 1].ab2)
		return false;
	const struct run *a = run_at(runs, sk[i].run),
		*b = run_at(runs, sk[i - 1].run);
	return key_cmp(a->key, a->keylen, b->key, b->keylen) == 0;
}

/*
 * Runs [from, to) of the canonical order into nodes, and their records
 * copied behind each other into out: a node's records come out together,
 * in add order, and are sorted while still in the cache.  from is the
 * first run of a node, node0 its index, pos0 the index of its first
 * record.  Two of these run at once on the two halves of the order.
 */
struct fill_job {
	const struct runset *runs;
	const struct ztk_zone_rr *rrs, *rrs2;   /* of runs a, b */
	uint32_t line_off2;
	const uint16_t *fmap2;
	const struct skey *sk;
	size_t from, to, node0;
	uint32_t pos0;
	struct ztk_zone_node *nodes;
	const uint8_t **keys;
	uint16_t *keylens;
	uint64_t *nab;
	uint32_t *nhash;
	struct ztk_zone_rr *out;
	struct ztk_arena owners;        /* the nodes' owners, in node order */
	bool any_nsec3;
};

enum { HAS_NS = 1, HAS_DNAME = 2 };

/* A node's records are all there: sort them, and note the types step 4
 * asks about while they are in the cache (in its cut field, which step
 * 4 sets). */
static void
close_node(struct fill_job *j, size_t idx)
{
	const struct ztk_zone_node *nd = &j->nodes[idx];
	struct ztk_zone_rr *v = &j->out[nd->first];
	if (nd->count > 1)
		sort_node_rrs(v, nd->count);
	uint8_t has = 0;
	for (uint32_t i = 0; i < nd->count; i++)
		has |= v[i].type == ZTK_TYPE_NS ? HAS_NS :
			v[i].type == ZTK_TYPE_DNAME ? HAS_DNAME : 0;
	j->nodes[idx].cut = has;
}

/* How many runs ahead fill_nodes fetches a run's records (and twice as
 * far the run itself): the runs are read in canonical order, scattered
 * over memory in the order the file gave. */
#define FILL_AHEAD 8
static void *
fill_nodes(void *arg)
{
	struct fill_job *j = arg;
	const struct runset *runs = j->runs;
	const struct skey *sk = j->sk;
	struct ztk_zone_node *nodes = j->nodes;
	struct ztk_zone_rr *out = j->out;
	size_t nnode = j->node0;
	uint32_t pos = j->pos0;
	bool any_nsec3 = false;
	for (size_t i = j->from; i < j->to; i++) {
		if (i + 2 * FILL_AHEAD < j->to)
			__builtin_prefetch(run_at(runs,
				sk[i + 2 * FILL_AHEAD].run));
		if (i + FILL_AHEAD < j->to) {
			const struct skey *ka = &sk[i + FILL_AHEAD];
			const struct run *ahead = run_at(runs, ka->run);
			const struct ztk_zone_rr *rp = (ka->run < runs->na ?
				j->rrs : j->rrs2) + ahead->first;
			/* a run of several records spans two cache lines */
			__builtin_prefetch(rp);
			if (ka->nrec > 1)
				__builtin_prefetch(rp + ka->nrec - 1);
			__builtin_prefetch(ahead->owner);
		}
		uint32_t ri = sk[i].run;
		const struct run *r = run_at(runs, ri);
		if (i == j->from || !same_name(sk, i, runs)) {
			if (i != j->from)
				close_node(j, nnode - 1);
			/* Owners copied in canonical order: every later walk
			 * of the nodes (signing, checks) then reads them in
			 * sequence, not scattered in the input's order. */
			uint8_t *ow = ztk_arena_dup(&j->owners, r->owner,
				ztk_dname_len(r->owner));
			nodes[nnode].owner = ow != NULL ? ow : r->owner;
			nodes[nnode].flags = r->wild ? ZTK_NODE_WILDCARD : 0;
			nodes[nnode].first = pos;
			nodes[nnode].count = 0;
			nodes[nnode].cut = 0;
			j->keys[nnode] = r->key;
			j->keylens[nnode] = r->keylen;
			j->nab[nnode] = sk[i].ab;
			j->nhash[nnode] = r->hash;
			nnode++;
		}
		bool second = ri >= runs->na;
		const struct ztk_zone_rr *src = (second ? j->rrs2 : j->rrs) +
			r->first;
		for (uint32_t k = 0; k < sk[i].nrec; k++) {
			out[pos] = src[k];
			any_nsec3 |= src[k].type == ZTK_TYPE_NSEC3;
			if (second) {
				out[pos].line += j->line_off2;
				out[pos].file_id = j->fmap2[src[k].file_id];
			}
			out[pos++].node = (uint32_t)(nnode - 1);
		}
		nodes[nnode - 1].count += sk[i].nrec;
	}
	if (j->to > j->from)
		close_node(j, nnode - 1);
	j->any_nsec3 = any_nsec3;
	return NULL;
}

/* Nodes [from, to) into the hash table, which the other half may be
 * filling at the same time: a slot is taken by setting its owner. */
struct hash_job {
	const struct ztk_zone_node *nodes;
	const uint32_t *hashes;
	size_t from, to;
	struct hslot *tab;
	size_t cap;
};

static void *
build_hash(void *arg)
{
	struct hash_job *j = arg;
	/* the slots are scattered over the table: fetch them ahead */
	for (size_t n = j->from; n < j->to; n++) {
		if (n + 16 < j->to)
			__builtin_prefetch(&j->tab[hslot0(j->hashes[n + 16],
				j->cap)], 1);
		uint32_t h = j->hashes[n];
		const uint8_t *owner = j->nodes[n].owner;
		for (size_t i = hslot0(h, j->cap);; i = hslot_next(i, j->cap)) {
			const uint8_t *none = NULL;
			if (__atomic_load_n(&j->tab[i].owner, __ATOMIC_RELAXED)
			    == NULL && __atomic_compare_exchange_n(
			    &j->tab[i].owner, &none, owner, false,
			    __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
				j->tab[i].hash = h;
				j->tab[i].node = (uint32_t)n;
				break;
			}
		}
	}
	return NULL;
}

int
ztk_zone_finish(struct ztk_zone *z)
{
	if (z->finished)
		return 0;
	z->finished = true;
	if (z->have_origin)
		z->origin_keylen = ztk_dname_key(z->origin, z->origin_key);

	/* 1. runs into canonical order */
	struct skey *sk;
	size_t cp;
	void *spare = NULL;
	if (sort_runs(z, &sk, &cp, &spare) != 0)
		return ZTK_ENOMEM;

	/* 2. equal names merged into nodes, records copied into node order
	 * and sorted there (fill_nodes), on two threads for large zones: the
	 * count of nodes first, and where the second half starts */
	const struct runset rs = { z->runs, z->runs2, z->nrun };
	size_t nrun = z->nrun + z->nrun2, nrr = z->nrr + z->nrr2;
	bool two = nrun >= 50000 && ztk_may_use_threads();
	size_t nnode = 0, mid = nrun, mid_node = 0;
	uint32_t mid_pos = 0, pos = 0;
	size_t want = two ? nrun / 2 : nrun;
	for (size_t i = 0; i < nrun; i++) {
		if (i == 0 || !same_name(sk, i, &rs)) {
			if (i >= want && mid == nrun) {
				mid = i;
				mid_node = nnode;
				mid_pos = pos;
			}
			nnode++;
		}
		pos += sk[i].nrec;
	}
	size_t cap = nnode ? nnode : 1;
	/* fresh memory costs a page fault per page: the nodes go where the
	 * sort's scratch array was (nnode <= nrun, and a node is no larger
	 * than an skey) */
	_Static_assert(sizeof(struct ztk_zone_node) <= sizeof(struct skey),
		"nodes fit the sort's scratch array");
	struct ztk_zone_node *nodes = spare && cap <= nrun ? spare :
		malloc(cap * sizeof *nodes);
	if (nodes != spare)
		free(spare);
	const uint8_t **keys = malloc(cap * sizeof *keys);
	uint16_t *keylens = malloc(cap * sizeof *keylens);
	uint64_t *nab = malloc(cap * sizeof *nab);
	uint32_t *nhash = malloc(cap * sizeof *nhash);
	struct ztk_zone_rr *out = malloc((nrr ? nrr : 1) * sizeof *out);
	if (!nodes || !keys || !keylens || !nab || !nhash || !out) {
		free(sk); free(nodes); free(keys);
		free(keylens); free(nab); free(nhash); free(out);
		return ZTK_ENOMEM;
	}
	struct fill_job fj[2];
	for (int k = 0; k < 2; k++)
		fj[k] = (struct fill_job){ .runs = &rs, .rrs = z->rrs,
			.rrs2 = z->rrs2, .line_off2 = z->line_off2,
			.fmap2 = z->fmap2, .sk = sk, .nodes = nodes, .keys = keys,
			.keylens = keylens, .nab = nab, .nhash = nhash,
			.out = out };
	fj[0].to = fj[1].from = mid;
	fj[1].to = nrun;
	fj[1].node0 = mid_node;
	fj[1].pos0 = mid_pos;
	pthread_t th;
	bool threaded = mid < nrun &&
		pthread_create(&th, NULL, fill_nodes, &fj[1]) == 0;
	if (!threaded)
		fj[0].to = nrun;
	fill_nodes(&fj[0]);
	if (threaded)
		pthread_join(th, NULL);
	for (int k = 0; k < 2; k++)
		ztk_arena_take(&z->arena, &fj[k].owners);
	bool any_nsec3 = fj[0].any_nsec3 || (threaded && fj[1].any_nsec3);
	free(sk);
	free(z->rrs);
	free(z->rrs2);
	z->rrs = out;
	z->rrs2 = NULL;
	z->nrr = z->caprr = nrr;
	z->nrr2 = 0;

	/* 3. the hash table of the names, with the indices before the NSEC3
	 * partition, which moves nodes rarely; in the runs' memory when it
	 * is large enough (it is but for tiny zones: a run takes 48 octets,
	 * the table 24 per node, and the larger of the two runs arrays
	 * holds at least half the runs) */
	size_t hcap = nnode + nnode / 2 + 16;
	struct hslot *tab;
	if (z->runs2 && z->caprun2 > z->caprun) {   /* the larger one */
		struct run *t = z->runs;
		z->runs = z->runs2;
		z->runs2 = t;
		z->caprun = z->caprun2;
	}
	free(z->runs2);
	if (z->runs && z->caprun * sizeof *z->runs >= hcap * sizeof *tab) {
		tab = (struct hslot *)(void *)z->runs;
	} else {
		free(z->runs);
		tab = malloc(hcap * sizeof *tab);
	}
	z->runs = z->runs2 = NULL;
	z->nrun = z->caprun = z->nrun2 = z->caprun2 = 0;
	if (tab)   /* written, not calloc'd: no read fault on a zero page */
		memset(tab, 0, hcap * sizeof *tab);
	struct hash_job hj[2] = {
		{ .nodes = nodes, .hashes = nhash, .from = 0, .to = nnode,
		  .tab = tab, .cap = hcap },
	};
	if (hj[0].tab) {
		hj[1] = hj[0];
		threaded = two && nnode >= 2;
		if (threaded) {
			hj[0].to = hj[1].from = nnode / 2;
			threaded = pthread_create(&th, NULL, build_hash,
				&hj[1]) == 0;
			if (!threaded)
				hj[0].to = nnode;
		}
		build_hash(&hj[0]);
		if (threaded)
			pthread_join(th, NULL);
	}
	free(nhash);
	size_t nn3 = 0;
	uint32_t *moved = NULL;
	if (any_nsec3 && z->have_origin) {
		struct ztk_zone_node *part = malloc(nnode * sizeof *part);
		const uint8_t **pk = malloc(nnode * sizeof *pk);
		uint16_t *pkl = malloc(nnode * sizeof *pkl);
		uint64_t *pab = malloc(nnode * sizeof *pab);
		uint8_t *is3 = malloc(nnode);
		moved = malloc(nnode * sizeof *moved);
		if (!part || !pk || !pkl || !pab || !is3 || !moved) {
			free(part); free(pk); free(pkl); free(pab); free(is3);
			free(moved);
			free(hj[0].tab);
			free(nodes); free(keys); free(keylens); free(nab);
			return ZTK_ENOMEM;
		}
		for (size_t n = 0; n < nnode; n++)
			nn3 += is3[n] = is_nsec3_node(z, &nodes[n]);
		size_t w = 0;
		for (int pass = 0; pass < 2; pass++) {
			for (size_t n = 0; n < nnode; n++) {
				if (is3[n] != (pass == 1))
					continue;
				part[w] = nodes[n];
				if (is3[n])
					part[w].flags |= ZTK_NODE_NSEC3;
				pk[w] = keys[n];
				pkl[w] = keylens[n];
				pab[w] = nab[n];
				moved[n] = (uint32_t)w;
				if (w != n)   /* only behind an NSEC3 owner */
					for (uint32_t i = 0; i < part[w].count;
					    i++)
						z->rrs[part[w].first + i].node =
							(uint32_t)w;
				w++;
			}
		}
		free(is3);
		free(nodes); free(keys); free(keylens); free(nab);
		nodes = part;
		keys = pk;
		keylens = pkl;
		nab = pab;
	}
	if (hj[0].tab && nn3)
		for (size_t i = 0; i < hj[0].cap; i++)
			if (hj[0].tab[i].owner)
				hj[0].tab[i].node = moved[hj[0].tab[i].node];
	free(moved);
	z->htab = hj[0].tab;
	z->hcap = hj[0].cap;
	z->nodes = nodes;
	z->keys = keys;
	z->keylens = keylens;
	z->nnode = nnode - nn3;
	z->nnsec3 = nn3;

	/* abbreviated keys make lookups mostly integer compares: the octets
	 * after the prefix every name shares, as the sort saw them */
	z->abbrevs = nab;
	z->cp = cp;
	if (z->htab == NULL)
		return ZTK_ENOMEM;

	/* 4. what each node is; descendants follow their ancestor directly
	 * in canonical order, so one (outermost) cut at a time is enough. */
	size_t cut = SIZE_MAX;
	/* when the prefix every name shares covers the origin, all of them
	 * are in the zone, and their keys need not be fetched for that */
	bool all_in = z->have_origin && nnode && cp >= z->origin_keylen &&
		is_prefix(z->origin_key, z->origin_keylen, z->keys[0],
		z->keylens[0]);
	for (size_t n = z->nnode; n < nnode; n++)
		z->nodes[n].cut = 0;   /* NSEC3 owners: no HAS_* left over */
	for (size_t n = 0; n < z->nnode; n++) {
		struct ztk_zone_node *nd = &z->nodes[n];
		const uint8_t *k = z->keys[n];
		size_t kl = z->keylens[n];
		uint32_t has = nd->cut;   /* from close_node */
		nd->cut = 0;
		if (!all_in && (!z->have_origin ||
		    !is_prefix(z->origin_key, z->origin_keylen, k, kl))) {
			nd->flags |= ZTK_NODE_OUT_OF_ZONE;
			continue;
		}
		if (kl == z->origin_keylen)
			nd->flags |= ZTK_NODE_APEX;
		if (cut != SIZE_MAX &&
		    is_prefix(z->keys[cut], z->keylens[cut], k, kl)) {
			nd->flags |= (z->nodes[cut].flags &
				ZTK_NODE_DELEGATION) ? ZTK_NODE_BELOW_CUT :
				ZTK_NODE_BELOW_DNAME;
			nd->cut = (uint32_t)cut;
		} else {
			cut = SIZE_MAX;
		}
		if (!(nd->flags & ZTK_NODE_APEX) && (has & HAS_NS))
			nd->flags |= ZTK_NODE_DELEGATION;
		if (cut == SIZE_MAX && ((nd->flags & ZTK_NODE_DELEGATION) ||
		    (has & HAS_DNAME)))
			cut = n;
	}
	return 0;
}

const uint8_t *
ztk_zone_origin(const struct ztk_zone *z)
{
	return z->have_origin ? z->origin : NULL;
}

size_t
ztk_zone_node_count(const struct ztk_zone *z)
{
	return z->nnode;
}

const struct ztk_zone_node *
ztk_zone_nodes(const struct ztk_zone *z)
{
	return z->nodes;
}

size_t
ztk_zone_nsec3_count(const struct ztk_zone *z)
{
	return z->nnsec3;
}

const struct ztk_zone_node *
ztk_zone_nsec3_nodes(const struct ztk_zone *z)
{
	return z->nodes + z->nnode;
}

size_t
ztk_zone_rr_count(const struct ztk_zone *z)
{
	return z->nrr;
}

const struct ztk_zone_rr *
ztk_zone_rrs(const struct ztk_zone *z)
{
	return z->rrs;
}

const char *
ztk_zone_file_name(const struct ztk_zone *z, uint16_t id)
{
	return id < z->nfiles ? z->files[id] : "?";
}

/* Binary search of key in nodes [lo, hi); index of the first node not
 * below key. */
static size_t
lower_bound(const struct ztk_zone *z, size_t lo, size_t hi,
	const uint8_t *key, size_t kl)
{
	/* with the shared prefix, compare abbreviated keys first */
	bool fast = z->abbrevs && kl >= z->cp &&
		memcmp(key, z->keys[0], z->cp) == 0;
	uint64_t ab = fast ? abbrev(key, kl, z->cp) : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c;
		if (fast && z->abbrevs[mid] != ab)
			c = z->abbrevs[mid] < ab ? -1 : 1;
		else
			c = key_cmp(z->keys[mid], z->keylens[mid], key, kl);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ztk_zone_node *
ztk_zone_find(const struct ztk_zone *z, const uint8_t *name)
{
	if (z->htab == NULL)
		return NULL;   /* not finished */
	uint32_t h = name_hash(name);
	/* the slot keeps the owner, so a miss costs no visit to the node */
	for (size_t i = hslot0(h, z->hcap); z->htab[i].owner;
	    i = hslot_next(i, z->hcap)) {
		const struct hslot *e = &z->htab[i];
		if (e->hash == h && ztk_dname_equal(e->owner, name))
			return &z->nodes[e->node];
	}
	return NULL;
}

void
ztk_zone_prefetch(const struct ztk_zone *z, const uint8_t *name)
{
	if (z->htab)
		__builtin_prefetch(&z->htab[hslot0(name_hash(name), z->hcap)]);
}

bool
ztk_zone_name_exists(const struct ztk_zone *z, const uint8_t *name)
{
	uint8_t key[ZTK_DNAME_KEY_MAX];
	size_t kl = ztk_dname_key(name, key);
	size_t i = lower_bound(z, 0, z->nnode, key, kl);
	/* the name itself, or a descendant (empty non-terminal) */
	return i < z->nnode && is_prefix(key, kl, z->keys[i], z->keylens[i]);
}

int
ztk_zone_print(const struct ztk_zone *z, FILE *out)
{
	struct ztk_sbuf s = { 0 };
	char owner[ZTK_DNAME_TEXT_MAX], cb[16], tb[16];
	int r = 0;
	size_t total = z->nnode + z->nnsec3;
	for (size_t n = 0; n < total && r == 0; n++) {
		const struct ztk_zone_node *nd = &z->nodes[n];
		ztk_dname_print(nd->owner, owner);
		for (uint32_t i = 0; i < nd->count && r == 0; i++) {
			const struct ztk_zone_rr *rr = &z->rrs[nd->first + i];
			r = ztk_sbuf_printf(&s, "%s\t%u\t%s\t%s\t", owner,
				rr->ttl, ztk_rrclass_name(rr->rclass, cb),
				ztk_rrtype_name(rr->type, tb));
			if (r == 0) {
				size_t at = s.len;
				r = ztk_rdata_print(rr->type, rr->rdata,
					rr->rdlen, &s);
				if (r == ZTK_EMALF) {
					/* cannot happen for scanned data;
					 * keep output readable anyway */
					s.len = at;
					r = ztk_rdata_print_generic(rr->rdata,
						rr->rdlen, &s);
				}
			}
			if (r == 0)
				r = ztk_sbuf_chr(&s, '\n');
			if (r == 0 && s.len > (1u << 16)) {
				if (fwrite(s.buf, 1, s.len, out) != s.len)
					r = ZTK_EIO;
				s.len = 0;
			}
		}
	}
	if (r == 0 && s.len && fwrite(s.buf, 1, s.len, out) != s.len)
		r = ZTK_EIO;
	ztk_sbuf_clear(&s);
	return r;
}

struct load_ctx {
	struct ztk_zone *z;
	int err;
	void (*on_event)(void *ctx, const struct ztk_scan_event *ev);
	void *ctx;
};

static void
load_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct load_ctx *lc = ctx;
	if (lc->on_event)
		lc->on_event(lc->ctx, ev);
}

static int
load_rr(void *ctx, const struct ztk_rr *rr)
{
	struct load_ctx *lc = ctx;
	lc->err = ztk_zone_add(lc->z, rr);
	return lc->err;
}

/* Records of b (added after a's, from the rest of the same file) go
 * behind a's, as if they had been added to a: they stay in b's arrays,
 * which a takes over (rrs2, runs2), for finish to read.  Nothing may be
 * added to a afterwards. */
static int
zone_append(struct ztk_zone *a, struct ztk_zone *b, uint32_t line_offset)
{
	int r;
	if (b->nfiles > ZTK_ARRAY_LEN(a->fmap2) || a->runs2 || a->rrs2)
		return ZTK_ELIMIT;
	for (size_t i = 0; i < b->nfiles; i++)
		if ((r = file_id(a, b->files[i], &a->fmap2[i])))
			return r;
	a->rrs2 = b->rrs;
	a->nrr2 = b->nrr;
	a->runs2 = b->runs;
	a->nrun2 = b->nrun;
	a->caprun2 = b->caprun;
	a->line_off2 = line_offset;
	b->rrs = NULL;
	b->runs = NULL;
	b->nrr = b->caprr = b->nrun = b->caprun = 0;
	a->pre_ok = a->pre_ok && b->pre_ok && a->pre_cp == b->pre_cp;
	ztk_arena_take(&a->arena, &b->arena);
	if (!a->have_origin && b->have_origin) {
		memcpy(a->origin, b->origin, ztk_dname_len(b->origin));
		a->have_origin = true;
	}
	return 0;
}

/* Files at least this large are scanned on two threads (scan_split.h);
 * ZTK_SPLIT_MIN sets the size (tests use it to run the two-thread path
 * on small files). */
static size_t
split_min(void)
{
	const char *m = getenv("ZTK_SPLIT_MIN");
	if (m && *m) {
		char *e;
		unsigned long long v = strtoull(m, &e, 10);
		if (*e == 0)
			return (size_t)v;
	}
	return 8u << 20;
}

int
ztk_zone_load(const char *path, const uint8_t *origin,
	const struct ztk_scan_opts *opts, struct ztk_zone **zone_out,
	struct ztk_scan_stats *stats_out)
{
	struct ztk_scan_opts o = { 0 };
	struct ztk_zone *z, *z2;
	struct load_ctx lc, lc2;
	int r;

	if (opts)
		o = *opts;
	o.origin = origin;
	if ((r = ztk_zone_new(origin, &z)))
		return r;
	if ((r = ztk_zone_new(origin, &z2))) {
		ztk_zone_free(z);
		return r;
	}
	lc.z = z;
	lc.err = 0;
	lc.on_event = o.on_event;
	lc.ctx = o.ctx;
	lc2 = (struct load_ctx){ .z = z2 };
	o.on_rr = load_rr;
	o.on_event = load_event;
	o.ctx = &lc;
	struct ztk_scan_stats st;
	bool used2;
	uint32_t line_offset2;
	r = ztk_scan_file_split(path, &o, load_rr, &lc2, split_min(), &st,
		&used2, &line_offset2);

	if (r == ZTK_ECANCEL && lc.err)
		r = lc.err;
	if (stats_out)
		*stats_out = st;
	if (r == 0 && used2)
		r = zone_append(z, z2, line_offset2);
	ztk_zone_free(z2);
	if (r != 0 && r != ZTK_ELIMIT) {
		ztk_zone_free(z);
		return r;
	}
	if (!z->have_origin && st.have_origin) {
		memcpy(z->origin, st.origin, ztk_dname_len(st.origin));
		z->have_origin = true;
	}
	int fr = ztk_zone_finish(z);
	if (fr) {
		ztk_zone_free(z);
		return fr;
	}
	*zone_out = z;
	return r;
}
