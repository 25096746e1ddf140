/*
 * The corpus of malformed platform files (tests/corpus/platform/): each
 * the stock RPi3 file (memmodel/platforms/rpi3bplus.conf) changed in one
 * way. Every file is refused by mm_platform_load with the status and the
 * line expected.tsv gives (0 for what no line holds, such as a missing
 * key), its sentence naming the file and that line; every file of the
 * folder is listed there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "corpus_manifest.h"
#include "mm_platform.h"

/* expected.tsv: file, status phrase, line. */
static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	size_t n = corpus_rows(MM_CORPUS_DIR, e);
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		const char *file = e[i].col[0], *status = e[i].col[1];
		int want_line = atoi(e[i].col[2]);
		char path[256], err[512] = "", where[160];
		snprintf(path, sizeof path, "%s/%.128s", MM_CORPUS_DIR, file);
		struct mm_platform p;
		int line = -1;
		int s = mm_platform_load(path, &p, err, sizeof err, &line);
		if (want_line > 0)
			snprintf(where, sizeof where, "%.128s:%d: ", file,
				 want_line);
		else
			snprintf(where, sizeof where, "%.128s: ", file);
		if (s == MM_PLATFORM_OK ||
		    strcmp(mm_platform_status_str(s), status) ||
		    line != want_line || strstr(err, where) == NULL)
			fail_msg("%s: got %s on line %d, \"%s\"; expected %s on "
				 "line %d", file, mm_platform_status_str(s), line,
				 err, status, want_line);
	}
	print_message("%zu malformed platform files refused as expected\n", n);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct corpus_row e[CORPUS_ROWS_MAX];
	corpus_assert_listed(MM_CORPUS_DIR, ".conf", e,
			     corpus_rows(MM_CORPUS_DIR, e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file_is_refused_as_expected),
		cmocka_unit_test(test_every_file_is_listed),
	};
	return cmocka_run_group_tests_name("malformed_platform", tests, NULL,
					   NULL);
}
