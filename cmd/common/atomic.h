/*
 * atomic.h - write an output file so that readers see either the old file
 * or the complete new one: temp file in the same directory, fsync, rename,
 * fsync of the directory.  On any failure the temp file is removed and the
 * old file is untouched.
 */
#ifndef ZTK_ATOMIC_H
#define ZTK_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

struct atomic_file {
	FILE *fp;               /* write here */
	char path[4096];
	char tmp[4096];
};

/* Open a temp file beside path with the given mode (e.g. 0644), or the
 * existing file's mode.  An existing path that is not a regular file
 * (device, directory, symlink) is refused. */
int atomic_open(struct atomic_file *af, const char *path, unsigned mode,
	char *why, size_t whylen);
/* Flush, fsync, rename over path, fsync the directory. */
int atomic_commit(struct atomic_file *af, char *why, size_t whylen);
/* Throw the temp file away. */
void atomic_abort(struct atomic_file *af);

/* Whole buffer in one go. */
int atomic_write(const char *path, const void *data, size_t len,
	unsigned mode, char *why, size_t whylen);

#endif
