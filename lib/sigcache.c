/*
 * sigcache.c - the signature cache beside ztk-sign's output (see
 * ztk/sigcache.h): written while the output is written, read back with
 * mmap.  The header and index are checked when the cache is opened; a
 * node's records only when the signer first looks at them (their own
 * checksum), so an incremental run reads only what it uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/sigcache.h>

#include "sigcache_int.h"
#include "sign_out.h"
#include "util.h"

/*
 * Header:
 *   0 magic "ZTKSIGC\n" | 8 u32 version | 12 u32 header length |
 *  16 u64 output size | 24 u64 output mtime (s) | 32 u32 mtime (ns) |
 *  36 u32 ctime (ns) | 40 u64 output inode | 48 u64 output device |
 *  56 u64 ctime (s) | 64 u64 ordinary nodes | 72 u64 NSEC3 nodes |
 *  80 u64 length of the node records | 88 u64 index slots | 96 32 octets
 *  zero | 128 u64 checksum of (index | header octets 0..127), see
 *  index_sum | 136 24 octets zero.
 * Then the index (slots x 32 octets, the first nodes' entries in use, the
 * rest a hole), then the records.  The index comes first so that the
 * writer can put each entry in place as the node is handed over (its pages
 * written back with the rest) and hash it then: finishing the cache is
 * then a header, not a pass over tens of megabytes.
 * Index entry: u64 record offset | u32 record length | u32 text length |
 *   u64 text offset | u64 record checksum (sc_sum).
 */
#define HEADER_LEN 160
#define SUM_AT 128
#define ENTRY 32
static const uint8_t magic[8] = { 'Z', 'T', 'K', 'S', 'I', 'G', 'C', '\n' };

enum { V_UNKNOWN = 0, V_GOOD = 1, V_BAD = 2 };

struct ztk_sigcache {
	const uint8_t *map;     /* whole file */
	size_t maplen;
	bool mapped;            /* munmap, else free */
	bool check_sums;
	const uint8_t *data;    /* node records */
	size_t dlen;
	const uint8_t *index;
	size_t nnames, nnsec3;
	int out_fd;             /* the output described, or -1 */
	int fd;                 /* the cache file itself, or -1 */
	atomic_uchar *verdict;  /* per node, V_* */
	struct ztk_sigcache_ident id;
	size_t released;        /* octets of map given back (page multiple) */
};

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)ztk_get32(p) << 32 | ztk_get32(p + 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	ztk_put32(p, (uint32_t)(v >> 32));
	ztk_put32(p + 4, (uint32_t)v);
}

/*
 * Checksum of a node's records: against damage (a flipped bit, a torn
 * page), not against someone who can write the cache; he could write the
 * output as well.  Eight octets a step, so checking every node of a large
 * zone costs a few milliseconds.
 */
static inline uint64_t sc_mix(uint64_t h, const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	h = (h ^ w) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* Four lanes of 8 octets: one chain of multiplies would wait on itself
 * (every node is summed when first used, hundreds of MB at 1M names). */
static uint64_t sc_sum(const uint8_t *p, size_t len)
{
	uint64_t h = 0x6a09e667f3bcc908ull ^ (len * 0x9e3779b97f4a7c15ull);
	uint64_t a = h ^ 1, b = h ^ 2, c = h ^ 3;
	while (len >= 32) {
		h = sc_mix(h, p);
		a = sc_mix(a, p + 8);
		b = sc_mix(b, p + 16);
		c = sc_mix(c, p + 24);
		p += 32;
		len -= 32;
	}
	h ^= (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^
		(c * 0x165667b19e3779f9ull);
	while (len >= 8) {
		h = sc_mix(h, p);
		p += 8;
		len -= 8;
	}
	uint64_t t = 0;
	memcpy(&t, p, len);
	h = (h ^ t) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

static int fail(int rc, char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen)
		snprintf(why, whylen, "%s", msg);
	return rc;
}

static const uint8_t *entry(const struct ztk_sigcache *c, size_t i)
{
	return c->index + ENTRY * i;
}

/*
 * Checksum of the index and header: against damage, like a node's
 * (sc_sum), not SHA-256 (which cost 0.04 s to write and again to read at
 * a million names).  The index is summed in chunks of BATCH entries, as
 * the writer puts them in place, then the header up to the checksum.
 */
enum { BATCH = 8192 };

static uint64_t sum_fold(uint64_t h, uint64_t part)
{
	h = (h ^ part) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

#define ISUM_SEED 0x5a544b5349474331ull       /* "ZTKSIGC1" */

static uint64_t index_sum(const uint8_t *index, size_t n, const uint8_t *h)
{
	uint64_t sum = ISUM_SEED;
	for (size_t i = 0; i < n; i += BATCH) {
		size_t k = n - i < BATCH ? n - i : BATCH;
		sum = sum_fold(sum, sc_sum(index + i * ENTRY, k * ENTRY));
	}
	return sum_fold(sum, sc_sum(h, SUM_AT));
}

/* The index: records back to back, texts in order within the output. */
static int check_index(struct ztk_sigcache *c, char *why, size_t whylen)
{
	uint64_t off = 0, text_end = 0;
	size_t total = c->nnames + c->nnsec3;
	for (size_t i = 0; i < total; i++) {
		const uint8_t *e = entry(c, i);
		uint64_t ro = get64(e), to = get64(e + 16);
		uint32_t rl = ztk_get32(e + 8), tl = ztk_get32(e + 12);
		if (ro != off || rl < SC_NODE_HEAD + 1 + 2 || rl > c->dlen - off)
			return fail(ZTK_EMALF, why, whylen, "its index does not "
				"match its records");
		if (to < text_end || tl == 0 || tl > c->id.size ||
		    to > c->id.size - tl)
			return fail(ZTK_EMALF, why, whylen, "its index places "
				"text outside the output");
		off += rl;
		text_end = to + tl;
	}
	if (off != c->dlen)
		return fail(ZTK_EMALF, why, whylen, "records follow the last "
			"node");
	return 0;
}

/* Check an image held in c->map; fills the rest of c. */
static int check_image(struct ztk_sigcache *c, bool verify_sum, char *why,
	size_t whylen)
{
	const uint8_t *h = c->map;
	size_t len = c->maplen;
	if (len < HEADER_LEN || memcmp(h, magic, sizeof(magic)) != 0)
		return fail(ZTK_EMALF, why, whylen, "it is not a ztk signature "
			"cache");
	if (ztk_get32(h + 8) != ZTK_SIGCACHE_VERSION)
		return fail(ZTK_ENOTSUP, why, whylen, "it is of another format "
			"version");
	if (ztk_get32(h + 12) != HEADER_LEN)
		return fail(ZTK_EMALF, why, whylen, "its header is damaged");
	uint64_t nn = get64(h + 64), n3 = get64(h + 72), dl = get64(h + 80);
	uint64_t slots = get64(h + 88);
	uint64_t room = len - HEADER_LEN;
	if (dl > room || slots > room / ENTRY || slots * ENTRY != room - dl ||
	    nn > slots || n3 > slots - nn)
		return fail(ZTK_EMALF, why, whylen, "its size does not match "
			"its header (cut short?)");
	c->index = h + HEADER_LEN;
	c->data = c->index + slots * ENTRY;
	c->dlen = (size_t)dl;
	c->nnames = (size_t)nn;
	c->nnsec3 = (size_t)n3;
	c->check_sums = verify_sum;
	if (verify_sum) {
		uint8_t sum[HEADER_LEN - SUM_AT] = { 0 };
		put64(sum, index_sum(c->index, (size_t)(nn + n3), h));
		if (memcmp(sum, h + SUM_AT, sizeof(sum)) != 0)
			return fail(ZTK_EMALF, why, whylen, "its checksum does "
				"not match (damaged)");
	}
	c->id.size = get64(h + 16);
	c->id.mtime_sec = (int64_t)get64(h + 24);
	c->id.mtime_nsec = ztk_get32(h + 32);
	c->id.ctime_nsec = ztk_get32(h + 36);
	c->id.ino = get64(h + 40);
	c->id.dev = get64(h + 48);
	c->id.ctime_sec = (int64_t)get64(h + 56);
	/* Zeroed by writing, not calloc: a calloc'd page is first read
	 * (the shared zero page) and then written, a copy-on-write fault
	 * that stops the other threads for a TLB flush, once a page. */
	size_t nv = nn + n3 ? (size_t)(nn + n3) : 1;
	c->verdict = malloc(nv);
	if (c->verdict == NULL)
		return fail(ZTK_ENOMEM, why, whylen, "out of memory");
	memset((void *)c->verdict, V_UNKNOWN, nv);
	int rc = check_index(c, why, whylen);
	/* The apex comes first and is always used (the last serial is
	 * there): without it the cache is of no use. */
	struct sc_node apex;
	if (rc == 0 && nn > 0 && !sigcache_node(c, 0, &apex))
		rc = fail(ZTK_EMALF, why, whylen, "its first node is damaged");
	return rc;
}

static struct ztk_sigcache *cache_new(void)
{
	struct ztk_sigcache *c = calloc(1, sizeof(*c));
	if (c != NULL)
		c->out_fd = c->fd = -1;
	return c;
}

int ztk_sigcache_parse(const uint8_t *buf, size_t len, bool verify_sum,
	struct ztk_sigcache **out, char *why, size_t whylen)
{
	*out = NULL;
	struct ztk_sigcache *c = cache_new();
	uint8_t *copy = malloc(len ? len : 1);
	if (c == NULL || copy == NULL) {
		free(c);
		free(copy);
		return fail(ZTK_ENOMEM, why, whylen, "out of memory");
	}
	if (len)
		memcpy(copy, buf, len);
	c->map = copy;
	c->maplen = len;
	int rc = check_image(c, verify_sum, why, whylen);
	if (rc != 0) {
		ztk_sigcache_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void ident_of(const struct stat *st, struct ztk_sigcache_ident *id)
{
	memset(id, 0, sizeof(*id));
	id->size = (uint64_t)st->st_size;
	id->ino = (uint64_t)st->st_ino;
	id->dev = (uint64_t)st->st_dev;
	id->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	id->mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	id->ctime_sec = (int64_t)st->st_ctim.tv_sec;
	id->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
}

int ztk_sigcache_stat(const char *path, struct ztk_sigcache_ident *id)
{
	struct stat st;
	memset(id, 0, sizeof(*id));
	if (stat(path, &st) != 0)
		return errno == ENOENT ? ZTK_ENOENT : ZTK_EIO;
	ident_of(&st, id);
	return 0;
}

int ztk_sigcache_open(const char *path, const char *output,
	struct ztk_sigcache **out, char *why, size_t whylen)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(errno == ENOENT ? ZTK_ENOENT : ZTK_EIO, why, whylen,
			errno == ENOENT ? "it is missing" : "it cannot be read");
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(ZTK_EIO, why, whylen, "it is not a regular file");
	}
	if ((size_t)st.st_size < HEADER_LEN) {
		close(fd);
		return fail(ZTK_EMALF, why, whylen, "it is cut short");
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return fail(ZTK_EIO, why, whylen, "it cannot be mapped");
	}
	struct ztk_sigcache *c = cache_new();
	if (c == NULL) {
		munmap(m, (size_t)st.st_size);
		close(fd);
		return fail(ZTK_ENOMEM, why, whylen, "out of memory");
	}
	c->fd = fd;             /* unchanged records are copied from it */
	c->map = m;
	c->maplen = (size_t)st.st_size;
	c->mapped = true;
	int rc = check_image(c, true, why, whylen);
	/* The output is judged on the descriptor its text will be copied
	 * from, so it cannot be swapped between the check and the copy. */
	if (rc == 0) {
		c->out_fd = open(output, O_RDONLY | O_CLOEXEC);
		struct stat os;
		if (c->out_fd < 0 || fstat(c->out_fd, &os) != 0)
			rc = fail(ZTK_EINVAL, why, whylen, "the output it "
				"describes is gone");
		else {
			struct ztk_sigcache_ident now;
			ident_of(&os, &now);
			/* Any write, rename or chmod moves the change time,
			 * and nothing can set it back; a copy is another
			 * inode.  Either way the text is read again. */
			if (now.size != c->id.size)
				rc = fail(ZTK_EINVAL, why, whylen, "it is stale "
					"(the output changed since)");
			else if (now.ino != c->id.ino || now.dev != c->id.dev ||
			    now.mtime_sec != c->id.mtime_sec ||
			    now.mtime_nsec != c->id.mtime_nsec ||
			    now.ctime_sec != c->id.ctime_sec ||
			    now.ctime_nsec != c->id.ctime_nsec)
				rc = fail(ZTK_EINVAL, why, whylen, "it is stale "
					"(the output was touched or replaced "
					"since)");
		}
	}
	if (rc != 0) {
		ztk_sigcache_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void ztk_sigcache_free(struct ztk_sigcache *c)
{
	if (c == NULL)
		return;
	if (c->mapped)
		munmap((void *)c->map, c->maplen);
	else
		free((void *)c->map);
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->fd >= 0)
		close(c->fd);
	free(c->verdict);
	free(c);
}

int ztk_sigcache_take_output(struct ztk_sigcache *c)
{
	if (c == NULL)
		return -1;
	int fd = c->out_fd;
	c->out_fd = -1;
	return fd;
}

size_t ztk_sigcache_nodes(const struct ztk_sigcache *c)
{
	return c->nnames + c->nnsec3;
}

const struct ztk_sigcache_ident *ztk_sigcache_ident(
	const struct ztk_sigcache *c)
{
	return &c->id;
}

int sigcache_output_fd(const struct ztk_sigcache *c)
{
	return c->out_fd;
}

void sigcache_section(const struct ztk_sigcache *c, bool nsec3, size_t *begin,
	size_t *end)
{
	*begin = nsec3 ? c->nnames : 0;
	*end = nsec3 ? c->nnames + c->nnsec3 : c->nnames;
}

const uint8_t *sigcache_owner(const struct ztk_sigcache *c, size_t i)
{
	const uint8_t *e = entry(c, i);
	const uint8_t *p = c->data + get64(e);
	size_t len = ztk_get32(e + 8);
	int ol = ztk_dname_wire_check(p + SC_NODE_HEAD, len - SC_NODE_HEAD);
	if (ol <= 0 || (size_t)ol + SC_NODE_HEAD + 2 > len)
		return NULL;
	return p + SC_NODE_HEAD;
}

bool sigcache_owner_is(const struct ztk_sigcache *c, size_t i,
	const uint8_t *name, size_t nlen)
{
	const uint8_t *e = entry(c, i);
	size_t len = ztk_get32(e + 8);
	return len >= SC_NODE_HEAD + nlen + 2 &&
		ztk_same_octets(c->data + get64(e) + SC_NODE_HEAD, name, nlen);
}

/* The structure of node i's record: length, kind, owner, records. */
static bool node_structure(const struct ztk_sigcache *c, size_t i)
{
	const uint8_t *e = entry(c, i);
	const uint8_t *p = c->data + get64(e);
	size_t len = ztk_get32(e + 8);
	int kind = i < c->nnames ? SC_KIND_NAME : SC_KIND_NSEC3;
	if (ztk_get32(p) != len || p[4] != kind)
		return false;
	const uint8_t *owner = sigcache_owner(c, i);
	if (owner == NULL)
		return false;
	size_t ol = ztk_dname_len(owner);
	const uint8_t *q = owner + ol;
	size_t left = len - SC_NODE_HEAD - ol;
	unsigned n = ztk_get16(q);
	q += 2;
	left -= 2;
	for (unsigned k = 0; k < n; k++) {
		if (left < SC_RR_HEAD ||
		    (size_t)ztk_get16(q + 6) > left - SC_RR_HEAD)
			return false;
		size_t rl = SC_RR_HEAD + ztk_get16(q + 6);
		q += rl;
		left -= rl;
	}
	return left == 0;
}

bool sigcache_node(const struct ztk_sigcache *cc, size_t i, struct sc_node *out)
{
	struct ztk_sigcache *c = (struct ztk_sigcache *)cc;
	if (i >= c->nnames + c->nnsec3)
		return false;
	unsigned char v = atomic_load_explicit(&c->verdict[i],
		memory_order_relaxed);
	const uint8_t *e = entry(c, i);
	const uint8_t *p = c->data + get64(e);
	size_t len = ztk_get32(e + 8);
	if (v == V_UNKNOWN) {
		bool ok = (!c->check_sums || sc_sum(p, len) == get64(e + 24)) &&
			node_structure(c, i);
		v = ok ? V_GOOD : V_BAD;
		atomic_store_explicit(&c->verdict[i], v, memory_order_relaxed);
	}
	if (v != V_GOOD)
		return false;
	out->owner = p + SC_NODE_HEAD;
	const uint8_t *q = out->owner + ztk_dname_len(out->owner);
	out->count = ztk_get16(q);
	out->rrs = q + 2;
	out->text_off = get64(e + 16);
	out->text_len = ztk_get32(e + 12);
	return true;
}

size_t sigcache_decode(const struct sc_node *nd, struct ztk_sigcache_rr *rrs,
	size_t cap)
{
	const uint8_t *p = nd->rrs;
	for (size_t k = 0; k < nd->count && k < cap; k++) {
		uint16_t rl = ztk_get16(p + 6);
		rrs[k] = (struct ztk_sigcache_rr){ p + SC_RR_HEAD,
			ztk_get32(p + 2), ztk_get16(p), rl };
		p += SC_RR_HEAD + rl;
	}
	return nd->count;
}

/* First node of [lo, hi) whose owner is not before name (a damaged owner
 * counts as before: the search stays inside the section). */
static size_t lower_bound(const struct ztk_sigcache *c, size_t lo, size_t hi,
	const uint8_t *name)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint8_t *o = sigcache_owner(c, mid);
		if (o == NULL || ztk_dname_canon_cmp(o, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Galloping out from the guess: a job's first name is mostly where it was
 * in the previous run, or a few places off; a binary search over the
 * whole section would touch pages all over a large cache. */
size_t sigcache_lower_bound_near(const struct ztk_sigcache *c, bool nsec3,
	const uint8_t *name, size_t guess)
{
	size_t lo, hi;
	sigcache_section(c, nsec3, &lo, &hi);
	if (lo == hi || guess >= hi - lo)
		return lower_bound(c, lo, hi, name);
	size_t g = lo + guess;
	const uint8_t *o = sigcache_owner(c, g);
	if (o == NULL)
		return lower_bound(c, lo, hi, name);
	size_t step = 1;
	if (ztk_dname_canon_cmp(o, name) < 0) {
		/* everything in [lo, a) is before name */
		for (size_t a = g + 1;; step *= 2) {
			size_t b = a + step - 1;
			if (b >= hi)
				return lower_bound(c, a, hi, name);
			o = sigcache_owner(c, b);
			if (o != NULL && ztk_dname_canon_cmp(o, name) >= 0)
				return lower_bound(c, a, b, name);
			a = b + 1;
		}
	}
	/* b's owner is not before name */
	for (size_t b = g;; step *= 2) {
		if (b - lo <= step)
			return lower_bound(c, lo, b, name);
		size_t a = b - step;
		o = sigcache_owner(c, a);
		if (o == NULL || ztk_dname_canon_cmp(o, name) < 0)
			return lower_bound(c, a + 1, b, name);
		b = a;
	}
}

void sigcache_release_before(const struct ztk_sigcache *cc,
	const uint8_t *name, bool nsec3)
{
	struct ztk_sigcache *c = (struct ztk_sigcache *)cc;
	if (!c->mapped)
		return;
	size_t lo, hi;
	sigcache_section(c, nsec3, &lo, &hi);
	size_t i = name ? lower_bound(c, lo, hi, name) : hi;
	size_t off = i < c->nnames + c->nnsec3 ? (size_t)get64(entry(c, i))
		: c->dlen;
	long pgl = sysconf(_SC_PAGESIZE);
	size_t pg = (size_t)(pgl > 0 ? pgl : 4096);
	/* The header and index, in front of the records, are read to the
	 * end: never released. */
	size_t start = (size_t)(c->data - c->map);
	start += (pg - start % pg) % pg;
	if (c->released < start)
		c->released = start;
	size_t end = (size_t)(c->data - c->map) + off;
	end -= end % pg;
	if (end > c->released) {
		madvise((uint8_t *)c->map + c->released, end - c->released,
			MADV_DONTNEED);
		c->released = end;
	}
}

/* Exact lookup in one section [lo, hi). */
static bool find_in(const struct ztk_sigcache *c, size_t lo, size_t hi,
	const uint8_t *name, size_t *at)
{
	/* The first node (the apex, checked on opening) directly: a damaged
	 * owner further on can mislead the search, and the apex holds the
	 * last serial, which must never be repeated. */
	const uint8_t *first = lo < hi ? sigcache_owner(c, lo) : NULL;
	if (first != NULL && ztk_dname_canon_cmp(first, name) == 0) {
		*at = lo;
		return true;
	}
	size_t i = lower_bound(c, lo, hi, name);
	if (i >= hi)
		return false;
	const uint8_t *o = sigcache_owner(c, i);
	if (o == NULL || ztk_dname_canon_cmp(o, name) != 0)
		return false;
	*at = i;
	return true;
}

static bool decode_at(const struct ztk_sigcache *c, size_t at,
	struct ztk_sigcache_rr *rrs, size_t cap, size_t *n)
{
	struct sc_node nd;
	if (!sigcache_node(c, at, &nd))
		return false;
	*n = sigcache_decode(&nd, rrs, cap);
	return true;
}

bool ztk_sigcache_find(const struct ztk_sigcache *c, const uint8_t *name,
	struct ztk_sigcache_rr *rrs, size_t cap, size_t *n)
{
	size_t at;
	*n = 0;
	if (!find_in(c, 0, c->nnames, name, &at) &&
	    !find_in(c, c->nnames, c->nnames + c->nnsec3, name, &at))
		return false;
	return decode_at(c, at, rrs, cap, n);
}

bool sigcache_find_node(const struct ztk_sigcache *c, const uint8_t *name,
	bool nsec3, struct sc_node *out)
{
	size_t at, lo, hi;
	sigcache_section(c, nsec3, &lo, &hi);
	return find_in(c, lo, hi, name, &at) && sigcache_node(c, at, out);
}

/* --- writing ---------------------------------------------------------- */

/* Index entries are put in place a batch at a time (and summed then). */
/* The records go through a buffer of the writer's own, into which
 * unchanged records of the old cache are read directly (see
 * copy_records): the FILE's buffer stays empty, and its descriptor's
 * offset is where the next record goes. */
#define WBUF (256u << 10)

struct ztk_sigcache_writer {
	FILE *fp;
	uint8_t *buf;           /* WBUF octets, or NULL before the first */
	size_t blen;
	uint64_t isum;          /* over the index entries so far */
	uint8_t batch[BATCH * ENTRY];
	size_t nbatch;          /* entries in batch */
	size_t n, nnames;       /* entries made (flushed + in batch) */
	uint64_t slots;         /* reserved; 0: not yet */
	uint64_t dlen;
	uint64_t written_back;  /* dlen when writeback was last started */
	bool in_nsec3;
	int rc;
};

int ztk_sigcache_writer_new(FILE *fp, struct ztk_sigcache_writer **out)
{
	*out = NULL;
	struct ztk_sigcache_writer *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return ZTK_ENOMEM;
	w->fp = fp;
	w->isum = ISUM_SEED;
	*out = w;
	return 0;
}

int ztk_sigcache_writer_status(const struct ztk_sigcache_writer *w)
{
	return w->rc;
}

int sigcache_writer_reserve(struct ztk_sigcache_writer *w, uint64_t slots)
{
	if (w->rc != 0)
		return w->rc;
	if (w->slots != 0 || w->n != 0 || slots > (UINT64_MAX - HEADER_LEN) /
	    ENTRY / 2)
		return w->rc = ZTK_EINVAL;
	w->slots = slots ? slots : 1;
	/* header and index are written in place later; the records follow
	 * (what lies between stays a hole until then) */
	if (fseeko(w->fp, (off_t)(HEADER_LEN + w->slots * ENTRY), SEEK_SET)
	    != 0)
		return w->rc = ZTK_EIO;
	return 0;
}

/* The batch into its place in the index, and into the hash. */
static int flush_batch(struct ztk_sigcache_writer *w)
{
	if (w->nbatch == 0)
		return 0;
	size_t len = w->nbatch * ENTRY;
	off_t at = (off_t)(HEADER_LEN + (w->n - w->nbatch) * ENTRY);
	w->isum = sum_fold(w->isum, sc_sum(w->batch, len));
	for (size_t done = 0; done < len;) {
		ssize_t k = pwrite(fileno(w->fp), w->batch + done, len - done,
			at + (off_t)done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return w->rc = ZTK_EIO;
		done += (size_t)k;
	}
	w->nbatch = 0;
	return 0;
}

/* Room for the next entry (NULL: an error, in w->rc). */
static uint8_t *next_entry(struct ztk_sigcache_writer *w)
{
	if (w->slots == 0 || w->n >= w->slots) {
		w->rc = ZTK_EINVAL;     /* not reserved, or more than reserved */
		return NULL;
	}
	if (w->nbatch == BATCH && flush_batch(w) != 0)
		return NULL;
	w->n++;
	return w->batch + ENTRY * w->nbatch++;
}

/* Ordinary names first, then NSEC3 owners: switch sections once. */
static int section(struct ztk_sigcache_writer *w, bool n3, size_t k)
{
	if (w->in_nsec3 && !n3)
		return w->rc = ZTK_EINVAL;      /* names after NSEC3 owners */
	w->in_nsec3 = n3;
	if (!n3)
		w->nnames += k;
	return 0;
}

/* The buffered records to the file. */
static int wbuf_flush(struct ztk_sigcache_writer *w)
{
	for (size_t done = 0; done < w->blen;) {
		ssize_t k = write(fileno(w->fp), w->buf + done, w->blen - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return w->rc = ZTK_EIO;
		done += (size_t)k;
	}
	w->blen = 0;
	return 0;
}

/* Room for at least one octet in the buffer (allocated on first use). */
static int wbuf_room(struct ztk_sigcache_writer *w)
{
	if (w->buf == NULL && (w->buf = malloc(WBUF)) == NULL)
		return w->rc = ZTK_ENOMEM;
	if (w->blen == WBUF)
		return wbuf_flush(w);
	return 0;
}

static int wbuf_put(struct ztk_sigcache_writer *w, const uint8_t *p,
	size_t len)
{
	while (len > 0) {
		if (wbuf_room(w) != 0)
			return w->rc;
		size_t n = WBUF - w->blen < len ? WBUF - w->blen : len;
		memcpy(w->buf + w->blen, p, n);
		w->blen += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* Every 2 MB of records, start writing them back without waiting, so that
 * the fsync before the cache is committed has little left to do (with 8
 * MB it waited 2-3 ms longer at the end of a 100k-name run). */
static void maybe_writeback(struct ztk_sigcache_writer *w)
{
	if (w->dlen - w->written_back < (2u << 20))
		return;
	w->written_back = w->dlen;
	if (wbuf_flush(w) == 0)
		(void)sync_file_range(fileno(w->fp), 0, 0,
			SYNC_FILE_RANGE_WRITE);
}

int sigcache_writer_put(struct ztk_sigcache_writer *w, const uint8_t *node,
	size_t len, uint64_t text_off, uint32_t text_len)
{
	if (w->rc != 0)
		return w->rc;
	if (len < SC_NODE_HEAD || ztk_get32(node) != len || text_len == 0)
		return w->rc = ZTK_EINVAL;
	if (section(w, node[4] == SC_KIND_NSEC3, 1) != 0)
		return w->rc;
	uint8_t *e = next_entry(w);
	if (e == NULL)
		return w->rc;
	put64(e, w->dlen);
	ztk_put32(e + 8, (uint32_t)len);
	ztk_put32(e + 12, text_len);
	put64(e + 16, text_off);
	put64(e + 24, sc_sum(node, len));
	if (wbuf_put(w, node, len) != 0)
		return w->rc;
	w->dlen += len;
	maybe_writeback(w);
	return w->rc;
}

/* Copy octets [off, off + len) of old's file image to w: read from its
 * file straight into the buffer when it can (pages of the mapping given
 * back are not brought back in), else through the mapping.  (Read and
 * written again costs the kernel less than copy_file_range, which on a
 * file system without shared extents copies page by page through a pipe:
 * see ztk-sign.c's out_sink.) */
static int copy_records(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache *old, uint64_t off, uint64_t len)
{
	size_t from = (size_t)(old->data - old->map) + (size_t)off;
	if (old->fd < 0)
		return wbuf_put(w, old->map + from, (size_t)len);
	while (len > 0) {
		if (wbuf_room(w) != 0)
			return w->rc;
		size_t room = WBUF - w->blen;
		ssize_t n = pread(old->fd, w->buf + w->blen, len < room ?
			(size_t)len : room, (off_t)from);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return w->rc = ZTK_EIO;  /* 0: the file shrank */
		w->blen += (size_t)n;
		from += (size_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

int sigcache_writer_copy(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache *old, size_t first, size_t count,
	int64_t text_delta)
{
	if (w->rc != 0 || count == 0)
		return w->rc;
	if (first + count > old->nnames + old->nnsec3 ||
	    (first < old->nnames && first + count > old->nnames))
		return w->rc = ZTK_EINVAL;      /* one section at a time */
	if (section(w, first >= old->nnames, count) != 0)
		return w->rc;
	uint64_t from = get64(entry(old, first));
	uint64_t base = w->dlen;
	for (size_t k = 0; k < count; k++) {
		const uint8_t *oe = entry(old, first + k);
		uint8_t *e = next_entry(w);
		if (e == NULL)
			return w->rc;
		memcpy(e, oe, ENTRY);
		put64(e, base + (get64(oe) - from));
		put64(e + 16, (uint64_t)((int64_t)get64(oe + 16) + text_delta));
	}
	const uint8_t *le = entry(old, first + count - 1);
	uint64_t len = get64(le) + ztk_get32(le + 8) - from;
	if (copy_records(w, old, from, len) != 0)
		return w->rc;
	w->dlen += len;
	maybe_writeback(w);
	return 0;
}

int ztk_sigcache_writer_finish(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache_ident *id)
{
	if (w->rc != 0)
		return w->rc;
	if (w->slots == 0)
		return w->rc = ZTK_EINVAL;      /* nothing was reserved */
	if (flush_batch(w) != 0 || wbuf_flush(w) != 0)
		return w->rc;
	uint8_t h[HEADER_LEN] = { 0 };
	memcpy(h, magic, sizeof(magic));
	ztk_put32(h + 8, ZTK_SIGCACHE_VERSION);
	ztk_put32(h + 12, HEADER_LEN);
	put64(h + 16, id->size);
	put64(h + 24, (uint64_t)id->mtime_sec);
	ztk_put32(h + 32, id->mtime_nsec);
	ztk_put32(h + 36, id->ctime_nsec);
	put64(h + 40, id->ino);
	put64(h + 48, id->dev);
	put64(h + 56, (uint64_t)id->ctime_sec);
	put64(h + 64, w->nnames);
	put64(h + 72, w->n - w->nnames);
	put64(h + 80, w->dlen);
	put64(h + 88, w->slots);
	put64(h + SUM_AT, sum_fold(w->isum, sc_sum(h, SUM_AT)));
	if (fflush(w->fp) != 0 ||
	    pwrite(fileno(w->fp), h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return w->rc = ZTK_EIO;
	return 0;
}

void ztk_sigcache_writer_free(struct ztk_sigcache_writer *w)
{
	if (w == NULL)
		return;
	free(w->buf);
	free(w);
}
