/*
 * Reading a whole file (tl_file.h). A regular file is sized by fstat,
 * not by seeking to its end: a directory "opens" and seeks to a huge
 * end on Linux, so ftell would ask for an impossible buffer. Anything
 * else that can be read (a FIFO, a pipe, a device) is a stream, read
 * until its end or TL_READ_STREAM_MAX bytes, whichever comes first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tl_file.h"
#include "tl_model.h"

#define STREAM_FIRST_BYTES (64u << 10)

static int fail(char *err, size_t err_len, const char *path,
		const char *fmt, const char *what)
{
	if (err && err_len) {
		int n = snprintf(err, err_len, "%s: ", path);
		if (n >= 0 && (size_t)n < err_len)
			snprintf(err + n, err_len - (size_t)n, fmt, what);
	}
	return -1;
}

/* What a file that is neither regular nor a directory is. */
static const char *kind_of(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO or pipe" : S_ISCHR(m) ? "a character "
	       "device" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m)
	       ? "a socket" : "not a regular file";
}

static void *alloc_aligned(size_t n)
{
	return aligned_alloc(TL_ALIGN, (n + TL_ALIGN) / TL_ALIGN * TL_ALIGN);
}

/* Reads up to n bytes into buf; how many (fewer at the end), or -1. */
static ssize_t read_full(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* A regular file of st_size bytes. */
static int read_regular(int fd, const char *path, off_t st_size,
			uint8_t **data, size_t *size, char *err,
			size_t err_len)
{
	if ((uintmax_t)st_size > SIZE_MAX - 2 * TL_ALIGN)
		return fail(err, err_len, path, "%s", "too large to read "
			    "into memory");
	size_t n = (size_t)st_size;
	*data = alloc_aligned(n);
	if (!*data)
		return fail(err, err_len, path, "%s", strerror(errno));
	ssize_t got = read_full(fd, *data, n);
	if (got < 0 || (size_t)got != n) {
		fail(err, err_len, path, "%s", got < 0 ? strerror(errno)
		     : "shorter than its size (did it change while read?)");
		free(*data);
		*data = NULL;
		return -1;
	}
	*size = n;
	return 0;
}

/* A stream: read in growing steps up to TL_READ_STREAM_MAX bytes and
 * one more, which tells an endless one. */
static int read_stream(int fd, const char *path, const char *kind,
		       uint8_t **data, size_t *size, char *err,
		       size_t err_len)
{
	size_t cap = STREAM_FIRST_BYTES, n = 0;
	uint8_t *buf = alloc_aligned(cap);
	for (;;) {
		if (!buf)
			return fail(err, err_len, path, "%s", strerror(ENOMEM));
		ssize_t got = read_full(fd, buf + n, cap - n);
		if (got < 0) {
			free(buf);
			return fail(err, err_len, path, "%s", strerror(errno));
		}
		n += (size_t)got;
		if (n < cap)
			break;
		if (n > TL_READ_STREAM_MAX) {
			free(buf);
			char what[160];
			snprintf(what, sizeof what, "%s, not a regular file, "
				 "and longer than the %u MiB read from one "
				 "(endless, like /dev/zero?)", kind,
				 TL_READ_STREAM_MAX >> 20);
			return fail(err, err_len, path, "%s; give a file",
				    what);
		}
		size_t grown = cap * 2 > TL_READ_STREAM_MAX
			? TL_READ_STREAM_MAX + 1 : cap * 2;
		uint8_t *more = alloc_aligned(grown);
		if (more)
			memcpy(more, buf, n);
		free(buf);
		buf = more;
		cap = grown;
	}
	*data = buf;
	*size = n;
	return 0;
}

int tl_file_is_regular(int fd, const char *path, char *err, size_t err_len)
{
	struct stat st;
	if (fstat(fd, &st))
		return fail(err, err_len, path, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fail(err, err_len, path, "%s", "is a directory, not a "
			    "file");
	if (!S_ISREG(st.st_mode))
		return fail(err, err_len, path, "%s, not a regular file",
			    kind_of(st.st_mode));
	return 0;
}

int tl_read_file(const char *path, uint8_t **data, size_t *size, char *err,
		 size_t err_len)
{
	*data = NULL;
	*size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return fail(err, err_len, path, "%s", strerror(e));
	}
	int rc;
	if (S_ISDIR(st.st_mode))
		rc = fail(err, err_len, path, "%s", "is a directory, not a "
			  "file");
	else if (S_ISREG(st.st_mode))
		rc = read_regular(fd, path, st.st_size, data, size, err,
				  err_len);
	else
		rc = read_stream(fd, path, kind_of(st.st_mode), data, size,
				 err, err_len);
	close(fd);
	return rc;
}
