/*
 * Reading a whole file, for N-Tinylib and the tools: one buffer aligned
 * to TL_ALIGN (tl_model_open reads a model in place and wants it so),
 * freed with free().
 */
#ifndef TL_FILE_H
#define TL_FILE_H

#include <stddef.h>
#include <stdint.h>

/* The file at path into *data (*size bytes, at least one byte allocated
 * so an empty file still gives a buffer). 0, or -1 with "PATH: reason"
 * in err (when err is not NULL) and *data NULL. */
int tl_read_file(const char *path, uint8_t **data, size_t *size, char *err,
		 size_t err_len);

#endif
