/* Shared by the Darknet reader's two files; not part of the API. */
#ifndef TL_DARKNET_INTERNAL_H
#define TL_DARKNET_INTERNAL_H

#include <stddef.h>

/*
 * Writes "file:line: " and then fmt into err (when err is not NULL) and
 * returns status, so that callers can `return tl_darknet_fail(...)`.
 * line 0 leaves the line out.
 */
int tl_darknet_fail(char *err, size_t err_len, int status,
		    const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

#endif
