/* Reading test input files (cmocka must be included first). */
#ifndef TL_TEST_FILES_H
#define TL_TEST_FILES_H

#include <stddef.h>

/* The whole file at path (malloc'd, a NUL after its len bytes, so that
 * text can be read as a string); fails the test if it cannot be read.
 * Paths are relative to the repository root, where the tests run. */
char *read_file(const char *path, size_t *len);

#endif
