/* What memmodel's files share to report an error. */
#ifndef MM_ERROR_H
#define MM_ERROR_H

#include <stddef.h>

/* Writes the sentence fmt into err (when err is not NULL and err_len > 0)
 * and returns status, so callers can `return mm_fail(...)`. */
int mm_fail(char *err, size_t err_len, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
