/*
 * S-Tinylib must link into a TA: the only symbols its archive may take
 * from outside are memcpy, memset and memcmp (OP-TEE's libutils has them)
 * and Tinylibm's tl_ functions. TL_NM and TL_LIBSECURE come from the
 * Makefile, for this flavour.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static int allowed(const char *name)
{
	return strcmp(name, "memcpy") == 0 || strcmp(name, "memset") == 0 ||
	       strcmp(name, "memcmp") == 0 || strncmp(name, "tl_", 3) == 0;
}

static void test_only_libutils_and_tinylibm(void **state)
{
	(void)state;
#ifdef TL_INSTRUMENTED_BUILD
	skip(); /* coverage and sanitizer runtimes add their own symbols */
#endif
	char command[512], line[512], name[256];
	int undefined = 0, refused = 0;
	snprintf(command, sizeof command, "%s -u %s 2>&1", TL_NM, TL_LIBSECURE);
	FILE *nm = popen(command, "r");
	assert_non_null(nm);
	while (fgets(line, sizeof line, nm) != NULL) {
		if (sscanf(line, " U %255s", name) != 1)
			continue;
		undefined++;
		if (!allowed(name)) {
			printf("  not allowed on the secure side: %s\n", name);
			refused++;
		}
	}
	assert_int_equal(pclose(nm), 0);
	assert_true(undefined > 0); /* nm did read the archive */
	assert_int_equal(refused, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_libutils_and_tinylibm),
	};
	return cmocka_run_group_tests_name("tinylib_secure_symbols", tests, NULL, NULL);
}
