/*
 * A fuzz target as a test program (test_<target>, tests in make check and
 * make coverage): every input of fuzz/regressions/<target>/ (each the
 * input of a crash a fuzzer found, kept once the bug was fixed) and of
 * fuzz/corpus/<target>/ (the seeds) run through the target's
 * LLVMFuzzerTestOneInput, one cmocka test each. A broken invariant aborts
 * the program, which the test runner counts as a failure; so does a
 * sanitizer's report in the sanitizing builds and valgrind's.
 *
 * The program is named test_<target>; it runs from the repository's
 * root.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tl_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Defined by the targets that set up once, called first as libFuzzer
 * and AFL++'s driver call it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define INPUTS_MAX 512

static void replay(void **state)
{
	const char *path = *state;
	uint8_t *data;
	size_t size;
	char err[320];
	if (tl_read_file(path, &data, &size, err, sizeof err))
		fail_msg("%s", err);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
}

static int by_name(const void *a, const void *b)
{
	const struct CMUnitTest *x = a, *y = b;
	return strcmp(x->name, y->name);
}

/* Adds a test for every file of dir; returns the new count. */
static size_t add_dir(const char *dir, struct CMUnitTest *t, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL && n < INPUTS_MAX) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(len);
		if (path == NULL)
			abort();
		snprintf(path, len, "%s/%s", dir, e->d_name);
		t[n++] = (struct CMUnitTest){ .name = path,
					      .test_func = replay,
					      .initial_state = path };
	}
	if (d != NULL)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1
						 : argv[0];
	if (strncmp(name, "test_", 5) == 0)
		name += 5;
	static struct CMUnitTest tests[INPUTS_MAX];
	char dir[256];
	size_t n = 0;
	snprintf(dir, sizeof dir, "fuzz/regressions/%s", name);
	n = add_dir(dir, tests, n);
	size_t regressions = n;
	snprintf(dir, sizeof dir, "fuzz/corpus/%s", name);
	n = add_dir(dir, tests, n);
	if (n == regressions)
		fprintf(stderr, "%s: no seeds in %s\n", name, dir);
	qsort(tests, n, sizeof *tests, by_name);
	int failed = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free((void *)tests[i].name);
	return n == regressions ? 1 : failed;
}
