/*
 * atomic.h - write an output file so that readers see either the old file
 * or the complete new one: temp file in the same directory, fsync, rename,
 * fsync of the directory.  On any failure the temp file is removed and the
 * old file is untouched.
 */
#ifndef ZTK_ATOMIC_H
#define ZTK_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct atomic_file {
	FILE *fp;               /* write here */
	char path[4096];
	char tmp[4096];
	bool reused;            /* tmp is a taken-over file (atomic_reuse):
				 * cut to what was written before it syncs */
	char *buf;              /* fp's buffer (see atomic.c) */
};

/* Open a temp file beside path with the given mode (e.g. 0644), or the
 * existing file's mode.  An existing path that is not a regular file
 * (device, directory, symlink) is refused. */
int atomic_open(struct atomic_file *af, const char *path, unsigned mode,
	char *why, size_t whylen);
/* Flush, fsync, rename over path, fsync the directory. */
int atomic_commit(struct atomic_file *af, char *why, size_t whylen);

/*
 * The same in steps, for two files made durable together (ztk-sign's
 * output and its cache): atomic_sync flushes and fsyncs the temp file and
 * keeps it open (one thread per file, so that both wait for the disk at
 * once); atomic_commit_ex then renames it, with flags saying what is left
 * to do first; atomic_sync_dir makes the renames of a directory durable.
 */
int atomic_sync(struct atomic_file *af, char *why, size_t whylen);
enum {
	ATOMIC_SYNCED = 1,      /* nothing written since atomic_sync */
	/* What was written since atomic_sync checks itself (a header with a
	 * checksum): renamed first, then synced with the rename, one wait
	 * for the disk instead of two.  A crash in between leaves the file in
	 * place with that part missing, which its reader must refuse. */
	ATOMIC_SYNC_AFTER = 2,
	ATOMIC_NO_DIR_SYNC = 4, /* the caller calls atomic_sync_dir */
};
int atomic_commit_ex(struct atomic_file *af, unsigned flags, char *why,
	size_t whylen);
void atomic_sync_dir(const char *path);
/* Throw the temp file away. */
void atomic_abort(struct atomic_file *af);

/*
 * A file the caller no longer needs (ztk-sign's OUT.ztk-old, the output
 * of two runs ago) taken over as the next temp file instead of a new
 * one.  Writing over pages already in the page cache, on blocks already
 * allocated, costs the kernel about half of what filling a new file does
 * (no pages to allocate, no blocks to reserve, write back or free), and
 * the old file no longer has to be deleted.  Taken only when nobody can
 * see the difference: a regular file of ours with no other link, open
 * nowhere (not even mapped: a write lease says so), and nine tenths in the
 * page cache (else writing parts of pages would read them from disk; the
 * rest is read ahead at once).
 */
struct atomic_reuse {
	int fd;                 /* -1: none */
	char tmp[4096];         /* its name now, beside path */
};
/* Take old over for a temp file beside path (it is renamed to a temp name
 * at once).  Returns 0 with r filled; else -1 with r->fd -1 and old
 * deleted, as the caller would have. */
int atomic_reuse_take(struct atomic_reuse *r, const char *old,
	const char *path);
/* A taken file not used after all: deleted. */
void atomic_reuse_drop(struct atomic_reuse *r);
/* atomic_open, writing over r's file when there is one (r is then
 * emptied); falls back to a new file. */
int atomic_open_reuse(struct atomic_file *af, const char *path, unsigned mode,
	struct atomic_reuse *r, char *why, size_t whylen);

/* Whole buffer in one go. */
int atomic_write(const char *path, const void *data, size_t len,
	unsigned mode, char *why, size_t whylen);

#endif
