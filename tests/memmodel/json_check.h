/* A strict JSON syntax check (RFC 8259) for the tests of writers that
 * emit JSON: no parser library is a dependency of the project. */
#ifndef JSON_CHECK_H
#define JSON_CHECK_H

#include <stddef.h>

/* 0 when text[0..len) is exactly one JSON value (with whitespace around);
 * else the byte offset + 1 of the first error. */
size_t json_check(const char *text, size_t len);

#endif
