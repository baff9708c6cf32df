/*
 * atomic.c - all-or-nothing output files (see atomic.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"

int atomic_open(struct atomic_file *af, const char *path, unsigned mode,
	char *why, size_t whylen)
{
	af->fp = NULL;
	int n = snprintf(af->path, sizeof(af->path), "%s", path);
	int m = snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(af->path) || m < 0 ||
	    (size_t)m >= sizeof(af->tmp)) {
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
		mode = st.st_mode & 07777;
	}
	int fd = mkstemp(af->tmp);
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a file beside %s: %s",
			path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, (mode_t)mode) != 0 ||
	    (af->fp = fdopen(fd, "w")) == NULL) {
		snprintf(why, whylen, "%s: %s", af->tmp, strerror(errno));
		close(fd);
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->fp != NULL) {
		fclose(af->fp);
		af->fp = NULL;
	}
	unlink(af->tmp);
}

int atomic_sync(struct atomic_file *af, char *why, size_t whylen)
{
	if (fflush(af->fp) != 0 || ferror(af->fp) || fsync(fileno(af->fp)) != 0) {
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
	else if (!(flags & (ATOMIC_SYNCED | ATOMIC_SYNC_AFTER)) &&
	    fsync(fileno(af->fp)) != 0)
		err = errno ? errno : EIO;
	if (err == 0 && rename(af->tmp, af->path) != 0)
		err = errno;
	if (err == 0 && (flags & ATOMIC_SYNC_AFTER) &&
	    fsync(fileno(af->fp)) != 0)
		err = errno ? errno : EIO;
	if (fclose(af->fp) != 0 && err == 0)
		err = errno;
	af->fp = NULL;
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
