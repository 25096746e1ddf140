/*
 * tl_read_file: the whole file, aligned for tl_model_open, an empty file
 * still a buffer, a missing one refused with its path and the reason; a
 * directory named as one; a FIFO read to its end, an endless stream
 * refused at TL_READ_STREAM_MAX.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tl_file.h"
#include "tl_model.h"

static void test_whole_file_aligned(void **state)
{
	(void)state;
	char path[] = "/tmp/tl_read_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	uint8_t want[1000];
	for (size_t i = 0; i < sizeof want; i++)
		want[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(write(fd, want, sizeof want), sizeof want);
	close(fd);
	uint8_t *data;
	size_t size;
	assert_int_equal(tl_read_file(path, &data, &size, NULL, 0), 0);
	assert_int_equal(size, sizeof want);
	assert_memory_equal(data, want, sizeof want);
	assert_int_equal((uintptr_t)data % TL_ALIGN, 0);
	free(data);

	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(tl_read_file(path, &data, &size, NULL, 0), 0);
	assert_non_null(data);
	assert_int_equal(size, 0);
	free(data);
	unlink(path);
}

static void test_missing_file(void **state)
{
	(void)state;
	uint8_t *data = (uint8_t *)1;
	size_t size = 5;
	char err[256];
	assert_int_equal(tl_read_file("/nonexistent/model.tlm", &data, &size,
				      err, sizeof err), -1);
	assert_null(data);
	assert_int_equal(size, 0);
	assert_string_equal(err, "/nonexistent/model.tlm: No such file or "
				 "directory");
}

/* A directory opens and seeks to a huge end on Linux: named, not sized
 * (it read as "Cannot allocate memory", and ASan aborted). */
static void test_directory(void **state)
{
	(void)state;
	uint8_t *data = (uint8_t *)1;
	size_t size = 5;
	char err[256];
	assert_int_equal(tl_read_file("tests", &data, &size, err, sizeof err),
			 -1);
	assert_null(data);
	assert_int_equal(size, 0);
	assert_string_equal(err, "tests: is a directory, not a file");
}

/* An endless stream is read up to TL_READ_STREAM_MAX bytes, then
 * refused with what it is; a finite device reads as what it holds. */
static void test_endless_stream(void **state)
{
	(void)state;
	uint8_t *data;
	size_t size;
	char err[256];
	assert_int_equal(tl_read_file("/dev/zero", &data, &size, err,
				      sizeof err), -1);
	assert_null(data);
	assert_string_equal(err, "/dev/zero: a character device, not a "
			    "regular file, and longer than the 64 MiB read "
			    "from one (endless, like /dev/zero?); give a "
			    "file");
	assert_int_equal(tl_read_file("/dev/null", &data, &size, err,
				      sizeof err), 0);
	assert_non_null(data);
	assert_int_equal(size, 0);
	free(data);
}

struct fifo_writer {
	const char *path;
	const uint8_t *bytes;
	size_t n;
};

static void *write_fifo(void *arg)
{
	const struct fifo_writer *w = arg;
	FILE *f = fopen(w->path, "wb");
	if (f) {
		fwrite(w->bytes, 1, w->n, f);
		fclose(f);
	}
	return NULL;
}

/* A FIFO (a shell's <(...)) is read to its end, over several of the
 * reader's growing steps, into an aligned buffer. */
static void test_fifo(void **state)
{
	(void)state;
	char dir[] = "/tmp/tl_fifo_XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/model", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	static uint8_t want[300000];
	for (size_t i = 0; i < sizeof want; i++)
		want[i] = (uint8_t)(i * 13 + i / 251);
	struct fifo_writer w = { path, want, sizeof want };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, write_fifo, &w), 0);
	uint8_t *data;
	size_t size;
	char err[256];
	int rc = tl_read_file(path, &data, &size, err, sizeof err);
	pthread_join(t, NULL);
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(size, sizeof want);
	assert_memory_equal(data, want, sizeof want);
	assert_int_equal((uintptr_t)data % TL_ALIGN, 0);
	free(data);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_file_aligned),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_endless_stream),
		cmocka_unit_test(test_fifo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
