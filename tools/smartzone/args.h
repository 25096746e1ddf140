/* What the commands share: usage errors, numbers, writing a file. */
#ifndef SZ_ARGS_H
#define SZ_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "smartzone CMD: <fmt with what>", a blank line and the usage text on
 * stderr; returns 2 (a usage error). */
int sz_bad_usage(const char *cmd, const char *usage, const char *fmt,
		 const char *what);

/* A whole non-negative number (decimal, 0x hex); false otherwise. */
bool sz_parse_u64(const char *s, uint64_t *out);

/* Whether s ends with suffix. */
bool sz_ends_with(const char *s, const char *suffix);

/* Writes data to path through a temporary file beside it, renamed once
 * complete: an existing file is left as it was when anything fails.
 * mode as for open(2). 0, or -1 with a sentence in err. */
int sz_write_file(const char *path, const void *data, size_t n,
		  unsigned mode, char *err, size_t err_len);

#endif
