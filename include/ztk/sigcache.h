/*
 * ztk/sigcache.h - the signature cache: the previous signed output of
 * ztk-sign kept in binary form beside it (OUT.ztkcache), so that an
 * incremental run need not parse tens of megabytes of RRSIG text again.
 *
 * The cache is never trusted blindly.  It names the output it describes
 * (size and SHA-256 of its bytes; time, inode and device for information)
 * and carries a SHA-256 of itself; ztk_sigcache_open() refuses it when the
 * output's bytes are not those any more (stale), when it is damaged (corrupt)
 * or of another format version, and the caller then reads the previous
 * output as text.  What it keeps is still judged like signatures read from
 * text: only for RRsets whose data are unchanged, from keys that still
 * sign, valid beyond the refresh window, and a sample verified again.
 *
 * File layout (integers big-endian):
 *   header (HEADER_LEN octets, see sigcache.c) | node records, ordinary
 *   names in canonical order then NSEC3 owners in canonical order |
 *   index: one u64 offset per node.
 */
#ifndef ZTK_SIGCACHE_H
#define ZTK_SIGCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ztk/visibility.h>

#define ZTK_SIGCACHE_SUFFIX ".ztkcache"
#define ZTK_SIGCACHE_VERSION 1

struct ztk_sigcache;

/* Identity of the output file a cache describes. */
struct ztk_sigcache_ident {
	uint64_t size, ino, dev;
	int64_t mtime_sec;
	uint32_t mtime_nsec;
	uint8_t sha256[32];
};

/*
 * Open the cache at path for the output file output.  0, or: ZTK_ENOENT
 * (no cache), ZTK_ENOTSUP (another format version), ZTK_EMALF (damaged),
 * ZTK_EINVAL (stale: output is not the file it describes), ZTK_EIO,
 * ZTK_ENOMEM; why says which in words.
 */
ZTK_API int ztk_sigcache_open(const char *path, const char *output,
	struct ztk_sigcache **out, char *why, size_t whylen);

/*
 * Check a cache image in memory (copied) without looking at any output:
 * structure and, if verify_sum, its checksum.  For the fuzzer and tests.
 * Same codes as ztk_sigcache_open.
 */
ZTK_API int ztk_sigcache_parse(const uint8_t *buf, size_t len,
	bool verify_sum, struct ztk_sigcache **out, char *why, size_t whylen);

ZTK_API void ztk_sigcache_free(struct ztk_sigcache *c);

/* Nodes held (ordinary names + NSEC3 owners), and the output described. */
ZTK_API size_t ztk_sigcache_nodes(const struct ztk_sigcache *c);
ZTK_API const struct ztk_sigcache_ident *ztk_sigcache_ident(
	const struct ztk_sigcache *c);

/* One record of a cached node (borrowed from the cache). */
struct ztk_sigcache_rr {
	const uint8_t *rdata;
	uint32_t ttl;
	uint16_t type, rdlen;
};

/*
 * The records of the node owning name (wire form, any case), in zone
 * order, into rrs (up to cap; *n is the node's count, which may exceed
 * cap).  Returns false when the cache has no such node.
 */
ZTK_API bool ztk_sigcache_find(const struct ztk_sigcache *c,
	const uint8_t *name, struct ztk_sigcache_rr *rrs, size_t cap,
	size_t *n);

/*
 * Writing a cache: nodes as ztk_sign_zone's output sink hands them over,
 * the output text as it is written (hashed), then the identity of the
 * committed output file.  fp is a file the caller commits (atomically)
 * after ztk_sigcache_writer_finish.
 */
struct ztk_sigcache_writer;
ZTK_API int ztk_sigcache_writer_new(FILE *fp,
	struct ztk_sigcache_writer **out);
ZTK_API int ztk_sigcache_writer_nodes(struct ztk_sigcache_writer *w,
	const uint8_t *nodes, size_t len);
ZTK_API void ztk_sigcache_writer_text(struct ztk_sigcache_writer *w,
	const void *text, size_t len);
/* The SHA-256 of the text handed over so far (call once, before finish). */
ZTK_API void ztk_sigcache_writer_digest(struct ztk_sigcache_writer *w,
	uint8_t out[32]);
ZTK_API int ztk_sigcache_writer_finish(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache_ident *ident);
ZTK_API void ztk_sigcache_writer_free(struct ztk_sigcache_writer *w);

/* Identity of a file as the cache records it (sha256 left zero). */
ZTK_API int ztk_sigcache_stat(const char *path, struct ztk_sigcache_ident *id);

#endif /* ZTK_SIGCACHE_H */
