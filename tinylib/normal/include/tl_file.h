/*
 * Reading a whole file, for N-Tinylib and the tools: one buffer aligned
 * to TL_ALIGN (tl_model_open reads a model in place and wants it so),
 * freed with free().
 */
#ifndef TL_FILE_H
#define TL_FILE_H

#include <stddef.h>
#include <stdint.h>

/* A stream (a FIFO, a pipe, a device) is read up to this many bytes;
 * one with more is refused: it is endless, like /dev/zero, or should be
 * a regular file. */
#define TL_READ_STREAM_MAX (64u << 20)

/*
 * The file at path into *data (*size bytes, at least one byte allocated
 * so an empty file still gives a buffer). A regular file is read whole,
 * a stream up to TL_READ_STREAM_MAX bytes. 0, or -1 with "PATH: reason"
 * in err (when err is not NULL) and *data NULL: "is a directory, not a
 * file", "a FIFO or pipe, not a regular file, and longer than ...", the
 * system's reason.
 */
int tl_read_file(const char *path, uint8_t **data, size_t *size, char *err,
		 size_t err_len);

/* 0 when fd (opened from path) is a regular file; else -1 with "PATH:
 * is a directory, not a file", "PATH: a FIFO or pipe, not a regular
 * file" (a device, a socket) or the system's reason in err. For readers
 * that need a file's size before reading it. */
int tl_file_is_regular(int fd, const char *path, char *err, size_t err_len);

#endif
