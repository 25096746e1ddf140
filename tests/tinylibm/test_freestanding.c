/*
 * Tinylibm must link into a TA that has no libc: its archive may refer to
 * no symbol at all that it does not define in the same object, and it may
 * export only tl_ names. The archive and the nm that reads it are this
 * flavour's (TL_LIBTINYLIBM and TL_NM come from the Makefile).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static FILE *open_nm(const char *options)
{
	char command[512];
	snprintf(command, sizeof command, "%s %s %s 2>&1", TL_NM, options,
		 TL_LIBTINYLIBM);
	FILE *out = popen(command, "r");
	if (out == NULL)
		fail_msg("cannot run: %s", command);
	return out;
}

/* A line of nm's symbol list, not a member header ("x.o:") or a blank. */
static int is_symbol_line(const char *line)
{
	size_t n = strlen(line);
	return n > 2 && line[n - 2] != ':';
}

/* Coverage and sanitizer builds add their runtimes' symbols on purpose. */
static void skip_if_instrumented(void)
{
#ifdef TL_INSTRUMENTED_BUILD
	skip();
#endif
}

static void test_no_undefined_symbol(void **state)
{
	(void)state;
	skip_if_instrumented();
	char line[512];
	int undefined = 0;
	FILE *nm = open_nm("-u");
	while (fgets(line, sizeof line, nm) != NULL)
		if (is_symbol_line(line)) {
			printf("  undefined: %s", line);
			undefined++;
		}
	assert_int_equal(pclose(nm), 0);
	assert_int_equal(undefined, 0);
}

static void test_exports_only_tl_names(void **state)
{
	(void)state;
	skip_if_instrumented();
	char line[512], name[256];
	int exported = 0;
	FILE *nm = open_nm("-g --defined-only");
	while (fgets(line, sizeof line, nm) != NULL) {
		if (!is_symbol_line(line))
			continue;
		/* "<address> <type> <name>" */
		if (sscanf(line, "%*s %*s %255s", name) != 1)
			fail_msg("unexpected nm line: %s", line);
		if (strncmp(name, "tl_", 3) != 0)
			fail_msg("exported symbol without the tl_ prefix: %s", name);
		exported++;
	}
	assert_int_equal(pclose(nm), 0);
	assert_int_equal(exported, 16); /* the functions of tinylibm.h */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_undefined_symbol),
		cmocka_unit_test(test_exports_only_tl_names),
	};
	return cmocka_run_group_tests_name("tinylibm_freestanding", tests, NULL, NULL);
}
