/*
 * atomic.c - all-or-nothing output files (see atomic.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "atomic.h"

/*
 * Writes go out in pieces of this size, not stdio's 4 KiB: the page cache
 * keeps a file in pieces (folios) as large as the writes that made it,
 * for as long as it stays cached, and writing over a file of 4 KiB pieces
 * (which the next ztk-sign run does, see atomic_reuse) costs the kernel
 * twice what writing over one of large pieces does.
 */
#define WRITE_BUF ((size_t)256 << 10)

/* fp = fd as a stream with a WRITE_BUF buffer; -1 if out of memory. */
static int open_stream(struct atomic_file *af, int fd)
{
	af->buf = malloc(WRITE_BUF);
	if (af->buf == NULL || (af->fp = fdopen(fd, "w")) == NULL) {
		free(af->buf);
		af->buf = NULL;
		return -1;
	}
	(void)setvbuf(af->fp, af->buf, _IOFBF, WRITE_BUF);
	return 0;
}

/* The stream closed and its buffer freed; fclose's result. */
static int close_stream(struct atomic_file *af)
{
	int rc = fclose(af->fp);
	af->fp = NULL;
	free(af->buf);
	af->buf = NULL;
	return rc;
}

/* The pattern of a temp file beside path, for mkstemp; false if the
 * name would not fit. */
static bool tmp_template(char *buf, size_t size, const char *path)
{
	int n = snprintf(buf, size, "%s.tmp.XXXXXX", path);
	return n >= 0 && (size_t)n < size;
}

/* Names and mode of af for path; -1 (why filled) if path cannot be
 * replaced. */
static int prepare(struct atomic_file *af, const char *path, unsigned *mode,
	char *why, size_t whylen)
{
	af->fp = NULL;
	af->buf = NULL;
	af->reused = false;
	int n = snprintf(af->path, sizeof(af->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(af->path) ||
	    !tmp_template(af->tmp, sizeof(af->tmp), path)) {
		snprintf(why, whylen, "%s: path too long", path);
		return -1;
	}
	/* Replacing a device, a directory or a symlink by rename would
	 * surprise everyone (ztk-sign -o /dev/null once did); an existing
	 * file keeps its permissions. */
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(why, whylen, "%s exists and is not a regular "
				"file%s; write to a regular file", path,
				S_ISLNK(st.st_mode) ? " (a symlink)" : "");
			return -1;
		}
		*mode = st.st_mode & 07777;
	}
	return 0;
}

int atomic_open(struct atomic_file *af, const char *path, unsigned mode,
	char *why, size_t whylen)
{
	if (prepare(af, path, &mode, why, whylen) != 0)
		return -1;
	int fd = mkstemp(af->tmp);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a file beside %s: %s",
			path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, (mode_t)mode) != 0 || open_stream(af, fd) != 0) {
		snprintf(why, whylen, "%s: %s", af->tmp, strerror(errno));
		close(fd);
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

/* --- taking over a file no longer needed (see atomic.h) --------------- */

/* cachestat(2) (Linux 6.5); older kernels: mincore(2) on a mapping. */
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
struct cachestat_range_ {
	uint64_t off, len;
};
struct cachestat_ {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted,
		nr_recently_evicted;
};

/* Nine tenths of the file's pages in the page cache; the rest is then
 * asked for (read ahead while the caller does other work), so that
 * writing parts of those pages does not wait for the disk. */
static bool mostly_cached(int fd, off_t size)
{
	long pg = sysconf(_SC_PAGESIZE);
	if (pg <= 0 || size <= 0)
		return size == 0;
	uint64_t pages = ((uint64_t)size + (uint64_t)pg - 1) / (uint64_t)pg;
	uint64_t cached = 0;
	struct cachestat_range_ range = { 0, 0 };     /* 0: to the end */
	struct cachestat_ cs;
	if (syscall(SYS_cachestat, fd, &range, &cs, 0) == 0) {
		cached = cs.nr_cache;
	} else {
		if ((uint64_t)size > SIZE_MAX / 2)
			return false;
		void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd,
			0);
		if (map == MAP_FAILED)
			return false;
		unsigned char *vec = malloc(pages);
		if (vec != NULL && mincore(map, (size_t)size, vec) == 0)
			for (uint64_t i = 0; i < pages; i++)
				cached += vec[i] & 1;
		free(vec);
		munmap(map, (size_t)size);
	}
	if (cached * 10 < pages * 9)
		return false;
	if (cached < pages)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
	return true;
}

/* Nobody else has the file open or mapped: a write lease is granted only
 * then.  It is let go at once; while held, someone opening the file would
 * make the kernel signal us, so the signal is one ignored by default
 * (SIGURG) instead of SIGIO, which would end the process. */
static bool open_nowhere_else(int fd)
{
	if (fcntl(fd, F_SETSIG, SIGURG) != 0 ||
	    fcntl(fd, F_SETLEASE, F_WRLCK) != 0)
		return false;
	(void)fcntl(fd, F_SETLEASE, F_UNLCK);
	return true;
}

int atomic_reuse_take(struct atomic_reuse *r, const char *old,
	const char *path)
{
	r->fd = -1;
	struct stat a, b;
	if (lstat(old, &a) != 0)
		return -1;
	int tfd = -1;
	if (!S_ISREG(a.st_mode) || a.st_nlink != 1 || a.st_uid != geteuid() ||
	    !tmp_template(r->tmp, sizeof(r->tmp), path) ||
	    (tfd = mkstemp(r->tmp)) < 0) {
		(void)unlink(old);
		return -1;
	}
	close(tfd);
	/* Renamed first, so that it is out of sight while it is checked. */
	if (rename(old, r->tmp) != 0) {
		(void)unlink(r->tmp);
		(void)unlink(old);
		return -1;
	}
	int fd = open(r->tmp, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &b) != 0 || !S_ISREG(b.st_mode) ||
	    b.st_ino != a.st_ino || b.st_dev != a.st_dev || b.st_nlink != 1 ||
	    !open_nowhere_else(fd) || !mostly_cached(fd, b.st_size)) {
		if (fd >= 0)
			close(fd);
		(void)unlink(r->tmp);
		return -1;
	}
	r->fd = fd;
	return 0;
}

void atomic_reuse_drop(struct atomic_reuse *r)
{
	if (r == NULL || r->fd < 0)
		return;
	close(r->fd);
	(void)unlink(r->tmp);
	r->fd = -1;
}

int atomic_open_reuse(struct atomic_file *af, const char *path, unsigned mode,
	struct atomic_reuse *r, char *why, size_t whylen)
{
	if (r == NULL || r->fd < 0)
		return atomic_open(af, path, mode, why, whylen);
	if (prepare(af, path, &mode, why, whylen) != 0) {
		atomic_reuse_drop(r);
		return -1;
	}
	/* (fdopen does not truncate: the old contents are written over and
	 * cut off behind the new ones when they are synced) */
	if (fchmod(r->fd, (mode_t)mode) != 0 || open_stream(af, r->fd) != 0) {
		atomic_reuse_drop(r);
		return atomic_open(af, path, mode, why, whylen);
	}
	_Static_assert(sizeof(af->tmp) == sizeof(r->tmp), "same temp names");
	memcpy(af->tmp, r->tmp, sizeof(af->tmp));
	af->reused = true;
	r->fd = -1;
	return 0;
}

/* A taken-over file ends where the writing ended. */
static int cut(struct atomic_file *af)
{
	if (!af->reused)
		return 0;
	if (fflush(af->fp) != 0)
		return -1;
	int fd = fileno(af->fp);
	off_t end = lseek(fd, 0, SEEK_CUR);
	return end < 0 || ftruncate(fd, end) != 0 ? -1 : 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->fp != NULL)
		(void)close_stream(af);
	unlink(af->tmp);
}

int atomic_sync(struct atomic_file *af, char *why, size_t whylen)
{
	if (fflush(af->fp) != 0 || ferror(af->fp) || cut(af) != 0 ||
	    fsync(fileno(af->fp)) != 0) {
		snprintf(why, whylen, "cannot write %s: %s", af->path,
			strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

int atomic_commit_ex(struct atomic_file *af, unsigned flags, char *why,
	size_t whylen)
{
	int err = 0;
	if (fflush(af->fp) != 0 || ferror(af->fp))
		err = errno ? errno : EIO;
	else if (!(flags & ATOMIC_SYNCED) && cut(af) != 0)
		err = errno ? errno : EIO;
	else if (!(flags & (ATOMIC_SYNCED | ATOMIC_SYNC_AFTER)) &&
	    fsync(fileno(af->fp)) != 0)
		err = errno ? errno : EIO;
	if (err == 0 && rename(af->tmp, af->path) != 0)
		err = errno;
	if (err == 0 && (flags & ATOMIC_SYNC_AFTER) &&
	    fsync(fileno(af->fp)) != 0)
		err = errno ? errno : EIO;
	if (close_stream(af) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		snprintf(why, whylen, "cannot write %s: %s", af->path,
			strerror(err));
		unlink(af->tmp);
		return -1;
	}
	if (!(flags & ATOMIC_NO_DIR_SYNC))
		atomic_sync_dir(af->path);
	return 0;
}

/* The rename itself must reach the disk too. */
void atomic_sync_dir(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

int atomic_commit(struct atomic_file *af, char *why, size_t whylen)
{
	return atomic_commit_ex(af, 0, why, whylen);
}

int atomic_write(const char *path, const void *data, size_t len,
	unsigned mode, char *why, size_t whylen)
{
	struct atomic_file af;
	if (atomic_open(&af, path, mode, why, whylen) != 0)
		return -1;
	if (len > 0 && fwrite(data, 1, len, af.fp) != len) {
		snprintf(why, whylen, "cannot write %s: %s", path,
			strerror(errno));
		atomic_abort(&af);
		return -1;
	}
	return atomic_commit(&af, why, whylen);
}
