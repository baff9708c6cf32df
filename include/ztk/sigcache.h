/*
 * ztk/sigcache.h - the signature cache: the previous signed output of
 * ztk-sign kept in binary form beside it (OUT.ztkcache), so that an
 * incremental run need neither parse tens of megabytes of RRSIG text again
 * nor print the unchanged part of the zone again: every node's records are
 * there, and where the node's text lies in the output.
 *
 * The cache is never trusted blindly.  It names the output it describes by
 * identity (device, inode, size, modification and change times: any write,
 * rename or chmod of the output changes the change time, which no program
 * can set back) and carries a 64-bit checksum over its header and index
 * (against damage: whoever can write the cache can write the output too);
 * ztk_sigcache_open() refuses it when the output is not that file any
 * more (stale), when it is damaged (corrupt) or of another format version,
 * and the caller then reads the previous output as text.  Every node's
 * records carry a checksum of their own, checked before the node is used.
 * What it keeps is judged like signatures read from text: only for RRsets
 * whose data are unchanged, from keys that still sign, valid beyond the
 * refresh window, and a sample verified again.
 *
 * An RRSIG is kept without its signature: its RDATA ends after the
 * signer's name (the signature is in the output's text, which the cache
 * says where to find; a signature is a third of the cache otherwise).
 * What decides whether a signature can be kept (type covered, algorithm,
 * labels, TTL, times, key tag, signer) is all there; the signer reads the
 * signatures it keeps from the text (see sign.c).
 *
 * File layout (integers big-endian):
 *   header (160 octets, see sigcache.c) | index: 32 octets per node
 *   (record offset and length, text offset and length in the output,
 *   record checksum), in slots reserved before signing, the unused ones a
 *   hole | node records: ordinary names in canonical order, then NSEC3
 *   owners in canonical order.
 */
#ifndef ZTK_SIGCACHE_H
#define ZTK_SIGCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ztk/visibility.h>

#define ZTK_SIGCACHE_SUFFIX ".ztkcache"
#define ZTK_SIGCACHE_VERSION 5

struct ztk_sigcache;

/* Identity of the output file a cache describes. */
struct ztk_sigcache_ident {
	uint64_t size, ino, dev;
	int64_t mtime_sec, ctime_sec;
	uint32_t mtime_nsec, ctime_nsec;
};

/*
 * Open the cache at path for the output file output.  0, or: ZTK_ENOENT
 * (no cache), ZTK_ENOTSUP (another format version), ZTK_EMALF (damaged),
 * ZTK_EINVAL (stale: output is not the file it describes), ZTK_EIO,
 * ZTK_ENOMEM; why says which in words.  The output stays open (read only)
 * until ztk_sigcache_free, so that its unchanged text can be copied.
 */
ZTK_API int ztk_sigcache_open(const char *path, const char *output,
	struct ztk_sigcache **out, char *why, size_t whylen);

/*
 * Check a cache image in memory (copied) without looking at any output:
 * structure and, if verify_sum, its checksums.  For the fuzzer and tests.
 * Same codes as ztk_sigcache_open.
 */
ZTK_API int ztk_sigcache_parse(const uint8_t *buf, size_t len,
	bool verify_sum, struct ztk_sigcache **out, char *why, size_t whylen);

ZTK_API void ztk_sigcache_free(struct ztk_sigcache *c);

/*
 * Hand the descriptor of the output the cache holds open to the caller,
 * who closes it (-1 if none); the cache no longer copies text after this.
 * Freeing a replaced output and its cache takes the kernel a while each
 * (the last close of a file gone from the directory): this lets a caller
 * do the two at once, on two threads.
 */
ZTK_API int ztk_sigcache_take_output(struct ztk_sigcache *c);

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
 * cap); RRSIGs without their signatures (see above).  Returns false when
 * the cache has no such node, or its records are damaged.
 */
ZTK_API bool ztk_sigcache_find(const struct ztk_sigcache *c,
	const uint8_t *name, struct ztk_sigcache_rr *rrs, size_t cap,
	size_t *n);

/*
 * Writing a cache: ztk_sign_zone hands it the nodes (opts->cache_out) as
 * the output text is written, then the caller gives the identity of the
 * committed output.  fp is a file the caller commits (atomically) after
 * ztk_sigcache_writer_finish.
 */
struct ztk_sigcache_writer;
ZTK_API int ztk_sigcache_writer_new(FILE *fp,
	struct ztk_sigcache_writer **out);
/* Has anything gone wrong so far (0: no)? */
ZTK_API int ztk_sigcache_writer_status(const struct ztk_sigcache_writer *w);
ZTK_API int ztk_sigcache_writer_finish(struct ztk_sigcache_writer *w,
	const struct ztk_sigcache_ident *ident);
ZTK_API void ztk_sigcache_writer_free(struct ztk_sigcache_writer *w);

/* Identity of a file as the cache records it. */
ZTK_API int ztk_sigcache_stat(const char *path, struct ztk_sigcache_ident *id);

#endif /* ZTK_SIGCACHE_H */
