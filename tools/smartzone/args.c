/* What the commands share (args.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "args.h"

int sz_bad_usage(const char *cmd, const char *usage, const char *fmt,
		 const char *what)
{
	fprintf(stderr, "smartzone %s: ", cmd);
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\n\n%s", usage);
	return 2;
}

bool sz_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		return false;
	*out = v;
	return true;
}

bool sz_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int sz_write_file(const char *path, const void *data, size_t n,
		  unsigned mode, char *err, size_t err_len)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
	mode_t mask = umask(0);		/* mkstemp gives 0600: the */
	umask(mask);			/* mode as open(2) would */
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 && fchmod(fd, (mode_t)mode & ~mask) == 0;
	const char *p = data;
	for (size_t done = 0; ok && done < n;) {
		ssize_t w = write(fd, p + done, n - done);
		ok = w > 0;
		done += ok ? (size_t)w : 0;
	}
	int e = ok ? 0 : errno;
	if (fd >= 0 && close(fd) && ok) {
		ok = false;
		e = errno;
	}
	if (ok && rename(tmp, path)) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		snprintf(err, err_len, "%s: %s", path, strerror(e));
		if (fd >= 0)
			unlink(tmp);
	}
	return ok ? 0 : -1;
}
