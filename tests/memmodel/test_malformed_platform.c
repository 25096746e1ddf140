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
#include <dirent.h>
#include <cmocka.h>

#include "mm_platform.h"

#define CASES_MAX 64

struct expect {
	char file[96];
	char status[64];
	int line;
};

static size_t read_expected(struct expect *e, size_t max)
{
	FILE *f = fopen(MM_CORPUS_DIR "/expected.tsv", "r");
	assert_non_null(f);
	char line[256];
	size_t n = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < max);
		assert_int_equal(sscanf(line, "%95[^\t]\t%63[^\t]\t%d",
					e[n].file, e[n].status, &e[n].line), 3);
		n++;
	}
	fclose(f);
	return n;
}

static void test_every_file_is_refused_as_expected(void **state)
{
	(void)state;
	static struct expect e[CASES_MAX];
	size_t n = read_expected(e, CASES_MAX);
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		char path[256], err[512] = "", where[160];
		snprintf(path, sizeof path, "%s/%.96s", MM_CORPUS_DIR, e[i].file);
		struct mm_platform p;
		int line = -1;
		int s = mm_platform_load(path, &p, err, sizeof err, &line);
		if (e[i].line > 0)
			snprintf(where, sizeof where, "%.96s:%d: ", e[i].file,
				 e[i].line);
		else
			snprintf(where, sizeof where, "%.96s: ", e[i].file);
		if (s == MM_PLATFORM_OK ||
		    strcmp(mm_platform_status_str(s), e[i].status) ||
		    line != e[i].line || strstr(err, where) == NULL)
			fail_msg("%s: got %s on line %d, \"%s\"; expected %s on "
				 "line %d", e[i].file, mm_platform_status_str(s),
				 line, err, e[i].status, e[i].line);
	}
	print_message("%zu malformed platform files refused as expected\n", n);
}

static void test_every_file_is_listed(void **state)
{
	(void)state;
	static struct expect e[CASES_MAX];
	size_t n = read_expected(e, CASES_MAX), files = 0;
	DIR *d = opendir(MM_CORPUS_DIR);
	assert_non_null(d);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		const char *dot = strrchr(de->d_name, '.');
		if (dot == NULL || strcmp(dot, ".conf") != 0)
			continue;
		size_t i = 0;
		while (i < n && strcmp(e[i].file, de->d_name) != 0)
			i++;
		if (i == n)
			fail_msg("%s: not in expected.tsv", de->d_name);
		files++;
	}
	closedir(d);
	assert_int_equal(files, n);
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
