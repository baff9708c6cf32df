/*
 * sigcache.c - the signature cache beside ztk-sign's output (see
 * ztk/sigcache.h): written while the output is written, read back with
 * mmap, every octet checked before anything in it is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

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
 *  36 u32 zero | 40 u64 output inode | 48 u64 output device |
 *  56 32 octets SHA-256 of the output | 88 u64 ordinary nodes |
 *  96 u64 NSEC3 nodes | 104 u64 length of the node records |
 * 112 16 octets zero | 128 32 octets SHA-256 of (node records | index |
 *   header octets 0..127).
 */
#define HEADER_LEN 160
#define SUM_AT 128
static const uint8_t magic[8] = { 'Z', 'T', 'K', 'S', 'I', 'G', 'C', '\n' };

struct ztk_sigcache {
	const uint8_t *map;     /* whole file */
	size_t maplen;
	bool mapped;            /* munmap, else free */
	const uint8_t *data;    /* node records */
	const uint8_t *index;   /* u64 offsets into data */
	size_t nnames, nnsec3;
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

static int fail(int rc, char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen)
		snprintf(why, whylen, "%s", msg);
	return rc;
}

static const uint8_t *owner_of(const struct ztk_sigcache *c, size_t i)
{
	return c->data + get64(c->index + 8 * i) + SC_NODE_HEAD;
}

/* Walk every node: lengths, kinds, owners in strict canonical order. */
static int check_nodes(struct ztk_sigcache *c, size_t dlen, char *why,
	size_t whylen)
{
	size_t off = 0, total = c->nnames + c->nnsec3;
	const uint8_t *prev = NULL;
	for (size_t i = 0; i < total; i++) {
		if (get64(c->index + 8 * i) != off || dlen - off < SC_NODE_HEAD)
			return fail(ZTK_EMALF, why, whylen, "its index does not "
				"match its records");
		const uint8_t *p = c->data + off;
		size_t len = ztk_get32(p);
		int kind = i < c->nnames ? SC_KIND_NAME : SC_KIND_NSEC3;
		if (len < SC_NODE_HEAD + 1 + 2 || len > dlen - off ||
		    p[4] != kind)
			return fail(ZTK_EMALF, why, whylen, "a node record is "
				"cut short or of the wrong kind");
		int ol = ztk_dname_wire_check(p + SC_NODE_HEAD,
			len - SC_NODE_HEAD);
		if (ol <= 0 || (size_t)ol + SC_NODE_HEAD + 2 > len)
			return fail(ZTK_EMALF, why, whylen, "a node has a bad "
				"owner name");
		const uint8_t *owner = p + SC_NODE_HEAD;
		if (i == c->nnames)
			prev = NULL;    /* NSEC3 owners sort on their own */
		if (prev != NULL && ztk_dname_canon_cmp(prev, owner) >= 0)
			return fail(ZTK_EMALF, why, whylen, "its nodes are not in "
				"canonical order");
		prev = owner;
		const uint8_t *q = owner + ol;
		size_t left = len - SC_NODE_HEAD - (size_t)ol;
		unsigned n = ztk_get16(q);
		q += 2;
		left -= 2;
		for (unsigned k = 0; k < n; k++) {
			if (left < SC_RR_HEAD ||
			    (size_t)ztk_get16(q + 6) > left - SC_RR_HEAD)
				return fail(ZTK_EMALF, why, whylen, "a record "
					"runs past its node");
			size_t rl = SC_RR_HEAD + ztk_get16(q + 6);
			q += rl;
			left -= rl;
		}
		if (left != 0)
			return fail(ZTK_EMALF, why, whylen, "a node holds more "
				"than its records");
		off += len;
	}
	if (off != dlen)
		return fail(ZTK_EMALF, why, whylen, "records follow the last "
			"node");
	return 0;
}

static int sha256_parts(const uint8_t *a, size_t al, const uint8_t *b,
	size_t bl, uint8_t out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned got = 0;
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		EVP_DigestUpdate(ctx, a, al) && EVP_DigestUpdate(ctx, b, bl) &&
		EVP_DigestFinal_ex(ctx, out, &got);
	EVP_MD_CTX_free(ctx);
	return ok && got == 32 ? 0 : ZTK_ECRYPTO;
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
	uint64_t nn = get64(h + 88), n3 = get64(h + 96), dl = get64(h + 104);
	uint64_t room = len - HEADER_LEN;
	if (dl > room || nn > room / 8 || n3 > room / 8 ||
	    (nn + n3) * 8 != room - dl)
		return fail(ZTK_EMALF, why, whylen, "its size does not match "
			"its header (cut short?)");
	if (verify_sum) {
		uint8_t sum[32];
		if (sha256_parts(h + HEADER_LEN, len - HEADER_LEN, h, SUM_AT,
			sum) != 0)
			return fail(ZTK_ECRYPTO, why, whylen, "SHA-256 failed");
		if (memcmp(sum, h + SUM_AT, 32) != 0)
			return fail(ZTK_EMALF, why, whylen, "its checksum does "
				"not match (damaged)");
	}
	c->data = h + HEADER_LEN;
	c->index = c->data + dl;
	c->nnames = (size_t)nn;
	c->nnsec3 = (size_t)n3;
	c->id.size = get64(h + 16);
	c->id.mtime_sec = (int64_t)get64(h + 24);
	c->id.mtime_nsec = ztk_get32(h + 32);
	c->id.ino = get64(h + 40);
	c->id.dev = get64(h + 48);
	memcpy(c->id.sha256, h + 56, 32);
	return check_nodes(c, (size_t)dl, why, whylen);
}

int ztk_sigcache_parse(const uint8_t *buf, size_t len, bool verify_sum,
	struct ztk_sigcache **out, char *why, size_t whylen)
{
	*out = NULL;
	struct ztk_sigcache *c = calloc(1, sizeof(*c));
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

int ztk_sigcache_stat(const char *path, struct ztk_sigcache_ident *id)
{
	struct stat st;
	memset(id, 0, sizeof(*id));
	if (stat(path, &st) != 0)
		return errno == ENOENT ? ZTK_ENOENT : ZTK_EIO;
	id->size = (uint64_t)st.st_size;
	id->ino = (uint64_t)st.st_ino;
	id->dev = (uint64_t)st.st_dev;
	id->mtime_sec = (int64_t)st.st_mtim.tv_sec;
	id->mtime_nsec = (uint32_t)st.st_mtim.tv_nsec;
	return 0;
}

/* SHA-256 of a whole file, read in pieces: the output is tens of
 * megabytes, and mapping it would count all of them as our memory. */
static int file_sha256(const char *path, uint64_t size, uint8_t out[32])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ZTK_EIO;
	enum { PIECE = 1 << 20 };
	uint8_t *buf = malloc(PIECE);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = buf && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ? 0
		: ZTK_ENOMEM;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	uint64_t total = 0;
	while (rc == 0) {
		ssize_t n = read(fd, buf, PIECE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = ZTK_EIO;
		else if (n == 0)
			break;
		else if (!EVP_DigestUpdate(ctx, buf, (size_t)n))
			rc = ZTK_ECRYPTO;
		else
			total += (uint64_t)n;
	}
	unsigned got = 0;
	if (rc == 0 && (total != size || !EVP_DigestFinal_ex(ctx, out, &got) ||
	    got != 32))
		rc = ZTK_EIO;
	EVP_MD_CTX_free(ctx);
	free(buf);
	close(fd);
	return rc;
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
	close(fd);
	if (m == MAP_FAILED)
		return fail(ZTK_EIO, why, whylen, "it cannot be mapped");
	struct ztk_sigcache *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		munmap(m, (size_t)st.st_size);
		return fail(ZTK_ENOMEM, why, whylen, "out of memory");
	}
	c->map = m;
	c->maplen = (size_t)st.st_size;
	c->mapped = true;
	int rc = check_image(c, true, why, whylen);
	struct ztk_sigcache_ident now;
	if (rc == 0 && ztk_sigcache_stat(output, &now) != 0)
		rc = fail(ZTK_EINVAL, why, whylen, "the output it describes is "
			"gone");
	/* The content decides, not where the file lives or when it was
	 * touched: a copy (cp -p, a backup restored) stays usable, an edit
	 * that keeps size and time does not. */
	if (rc == 0 && now.size != c->id.size)
		rc = fail(ZTK_EINVAL, why, whylen, "it is stale (the output "
			"changed since)");
	if (rc == 0) {
		uint8_t sum[32];
		if (file_sha256(output, now.size, sum) != 0)
			rc = fail(ZTK_EIO, why, whylen, "the output cannot be "
				"read");
		else if (memcmp(sum, c->id.sha256, 32) != 0)
			rc = fail(ZTK_EINVAL, why, whylen, "it is stale (the "
				"output's content differs)");
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
	free(c);
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

/* First node of [lo, hi) whose owner is not before name. */
static size_t lower_bound(const struct ztk_sigcache *c, size_t lo, size_t hi,
	const uint8_t *name)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ztk_dname_canon_cmp(owner_of(c, mid), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void sigcache_release_before(const struct ztk_sigcache *cc,
	const uint8_t *name, bool nsec3)
{
	struct ztk_sigcache *c = (struct ztk_sigcache *)cc;
	if (!c->mapped)
		return;
	size_t lo = nsec3 ? c->nnames : 0;
	size_t hi = nsec3 ? c->nnames + c->nnsec3 : c->nnames;
	size_t i = name ? lower_bound(c, lo, hi, name) : hi;
	size_t off = i < c->nnames + c->nnsec3 ?
		(size_t)get64(c->index + 8 * i) : (size_t)(c->index - c->data);
	long pg = sysconf(_SC_PAGESIZE);
	size_t end = (size_t)(c->data - c->map) + off;
	end -= end % (size_t)(pg > 0 ? pg : 4096);
	if (end > c->released) {
		madvise((uint8_t *)c->map + c->released, end - c->released,
			MADV_DONTNEED);
		c->released = end;
	}
}

/* Binary search of one section [lo, hi). */
static bool find_in(const struct ztk_sigcache *c, size_t lo, size_t hi,
	const uint8_t *name, size_t *at)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = ztk_dname_canon_cmp(name, owner_of(c, mid));
		if (cmp == 0) {
			*at = mid;
			return true;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool decode(const struct ztk_sigcache *c, size_t at,
	struct ztk_sigcache_rr *rrs, size_t cap, size_t *n);

bool ztk_sigcache_find(const struct ztk_sigcache *c, const uint8_t *name,
	struct ztk_sigcache_rr *rrs, size_t cap, size_t *n)
{
	size_t at;
	*n = 0;
	if (!find_in(c, 0, c->nnames, name, &at) &&
	    !find_in(c, c->nnames, c->nnames + c->nnsec3, name, &at))
		return false;
	return decode(c, at, rrs, cap, n);
}

bool sigcache_find_section(const struct ztk_sigcache *c, const uint8_t *name,
	bool nsec3, struct ztk_sigcache_rr *rrs, size_t cap, size_t *n)
{
	size_t at;
	*n = 0;
	if (!(nsec3 ? find_in(c, c->nnames, c->nnames + c->nnsec3, name, &at)
		: find_in(c, 0, c->nnames, name, &at)))
		return false;
	return decode(c, at, rrs, cap, n);
}

static bool decode(const struct ztk_sigcache *c, size_t at,
	struct ztk_sigcache_rr *rrs, size_t cap, size_t *n)
{
	const uint8_t *p = owner_of(c, at);
	p += ztk_dname_len(p);
	size_t cnt = ztk_get16(p);
	p += 2;
	for (size_t k = 0; k < cnt; k++) {
		uint16_t rl = ztk_get16(p + 6);
		if (k < cap)
			rrs[k] = (struct ztk_sigcache_rr){ p + SC_RR_HEAD,
				ztk_get32(p + 2), ztk_get16(p), rl };
		p += SC_RR_HEAD + rl;
	}
	*n = cnt;
	return true;
}

/* --- writing ---------------------------------------------------------- */

struct ztk_sigcache_writer {
	FILE *fp;
	EVP_MD_CTX *sum, *text;
	uint64_t *index;
	size_t n, cap, nnames;
	uint64_t dlen;
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
	w->sum = EVP_MD_CTX_new();
	w->text = EVP_MD_CTX_new();
	uint8_t zero[HEADER_LEN] = { 0 };
	if (w->sum == NULL || w->text == NULL ||
	    !EVP_DigestInit_ex(w->sum, EVP_sha256(), NULL) ||
	    !EVP_DigestInit_ex(w->text, EVP_sha256(), NULL) ||
	    fwrite(zero, 1, sizeof(zero), fp) != sizeof(zero)) {
		ztk_sigcache_writer_free(w);
		return ZTK_EIO;
	}
	*out = w;
	return 0;
}

int ztk_sigcache_writer_nodes(struct ztk_sigcache_writer *w,
	const uint8_t *nodes, size_t len)
{
	if (w->rc != 0)
		return w->rc;
	for (size_t off = 0; off < len;) {
		if (len - off < SC_NODE_HEAD ||
		    ztk_get32(nodes + off) > len - off ||
		    ztk_get32(nodes + off) < SC_NODE_HEAD) {
			w->rc = ZTK_EINVAL;
			return w->rc;
		}
		bool n3 = nodes[off + 4] == SC_KIND_NSEC3;
		if (w->in_nsec3 && !n3) {
			w->rc = ZTK_EINVAL;     /* names after NSEC3 owners */
			return w->rc;
		}
		w->in_nsec3 = n3;
		if (w->n == w->cap) {
			size_t nc = w->cap ? w->cap * 2 : 4096;
			uint64_t *p = realloc(w->index, nc * sizeof(*p));
			if (p == NULL) {
				w->rc = ZTK_ENOMEM;
				return w->rc;
			}
			w->index = p;
			w->cap = nc;
		}
		w->index[w->n++] = w->dlen + off;
		if (!n3)
			w->nnames++;
		off += ztk_get32(nodes + off);
	}
	if (len && (fwrite(nodes, 1, len, w->fp) != len ||
	    !EVP_DigestUpdate(w->sum, nodes, len)))
		w->rc = ZTK_EIO;
	w->dlen += len;
	return w->rc;
}

void ztk_sigcache_writer_text(struct ztk_sigcache_writer *w,
	const void *text, size_t len)
{
	if (w->rc == 0 && len && !EVP_DigestUpdate(w->text, text, len))
		w->rc = ZTK_ECRYPTO;
}

void ztk_sigcache_writer_digest(struct ztk_sigcache_writer *w,
	uint8_t out[32])
{
	unsigned got = 0;
	if (!EVP_DigestFinal_ex(w->text, out, &got) || got != 32) {
		memset(out, 0, 32);
		w->rc = ZTK_ECRYPTO;
	}
}

int ztk_sigcache_writer_finish(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache_ident *id)
{
	if (w->rc != 0)
		return w->rc;
	uint8_t b[8];
	for (size_t i = 0; i < w->n; i++) {
		put64(b, w->index[i]);
		if (fwrite(b, 1, 8, w->fp) != 8 ||
		    !EVP_DigestUpdate(w->sum, b, 8))
			return w->rc = ZTK_EIO;
	}
	uint8_t h[HEADER_LEN] = { 0 };
	memcpy(h, magic, sizeof(magic));
	ztk_put32(h + 8, ZTK_SIGCACHE_VERSION);
	ztk_put32(h + 12, HEADER_LEN);
	put64(h + 16, id->size);
	put64(h + 24, (uint64_t)id->mtime_sec);
	ztk_put32(h + 32, id->mtime_nsec);
	put64(h + 40, id->ino);
	put64(h + 48, id->dev);
	memcpy(h + 56, id->sha256, 32);
	put64(h + 88, w->nnames);
	put64(h + 96, w->n - w->nnames);
	put64(h + 104, w->dlen);
	unsigned got = 0;
	if (!EVP_DigestUpdate(w->sum, h, SUM_AT) ||
	    !EVP_DigestFinal_ex(w->sum, h + SUM_AT, &got) || got != 32)
		return w->rc = ZTK_ECRYPTO;
	if (fseek(w->fp, 0, SEEK_SET) != 0 ||
	    fwrite(h, 1, sizeof(h), w->fp) != sizeof(h) || fflush(w->fp) != 0)
		return w->rc = ZTK_EIO;
	return 0;
}

void ztk_sigcache_writer_free(struct ztk_sigcache_writer *w)
{
	if (w == NULL)
		return;
	EVP_MD_CTX_free(w->sum);
	EVP_MD_CTX_free(w->text);
	free(w->index);
	free(w);
}
