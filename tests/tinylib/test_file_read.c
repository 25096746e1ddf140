/*
 * tl_read_file: the whole file, aligned for tl_model_open, an empty file
 * still a buffer, a missing one refused with its path and the reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_file_aligned),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
