/* Small text helpers memmodel's files share, and sim/ uses too. */
#ifndef MM_TEXT_H
#define MM_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Writes the sentence fmt into err (when err is not NULL and err_len > 0)
 * and returns status, so callers can `return mm_fail(...)`. */
int mm_fail(char *err, size_t err_len, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* s as a JSON string: quotes, backslashes and control bytes escaped
 * (NULL writes ""). */
void mm_json_string(FILE *f, const char *s);

#endif
