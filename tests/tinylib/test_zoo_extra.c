/*
 * Extra Darknet models from a folder outside the checkout, an optional
 * addition to the project's own definitions in models/zoo/.
 *
 * SMARTZONE_EXTRA_CFG_DIR names the folder (default
 * ../shared/models/darknet-cfg, beside the checkout). When it is absent
 * the test is skipped with the reason printed: nothing the project
 * builds or tests needs it. When present, every .cfg in it is converted
 * with seeded weights and opened by S-Tinylib, and one that shares its
 * name with a model of models/zoo/ must convert to the very same bytes:
 * the project's definition is the same network as the one users have.
 * TL_TEST_QUICK=1 (the qemu and valgrind phases) skips it: the
 * conversion is the same code on every machine.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "tl_darknet_import.h"
#include "tl_engine.h"

#define DEFAULT_EXTRA_DIR "../shared/models/darknet-cfg"
#define SEED 11

static const char *extra_dir(void)
{
	const char *dir = getenv("SMARTZONE_EXTRA_CFG_DIR");
	return dir && *dir ? dir : DEFAULT_EXTRA_DIR;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The .tlm of path with seeded weights, after S-Tinylib accepts it. */
static uint8_t *convert_and_open(const char *path, size_t *size)
{
	char err[512];
	uint8_t *blob;
	if (tl_darknet_convert_files(path, NULL, SEED, &blob, size, err,
				     sizeof err))
		fail_msg("%s", err);
	struct tl_model model;
	struct tl_model_error e;
	int status = tl_model_open(blob, *size, &model, &e);
	if (status != TL_OK)
		fail_msg("%s: S-Tinylib refuses the conversion (status %d)",
			 path, status);
	return blob;
}

/* One extra cfg: converts and opens; if models/zoo/ has a model of the
 * same name, the two .tlm files are the same bytes. 1 if compared. */
static int check_one(const char *dir, const char *file)
{
	char extra[4096], ours[4096];
	snprintf(extra, sizeof extra, "%s/%s", dir, file);
	snprintf(ours, sizeof ours, "%s/%s", TL_ZOO_DIR, file);
	size_t extra_size, ours_size;
	uint8_t *a = convert_and_open(extra, &extra_size);
	int compared = 0;
	if (is_file(ours)) {
		uint8_t *b = convert_and_open(ours, &ours_size);
		if (extra_size != ours_size || memcmp(a, b, extra_size) != 0)
			fail_msg("%s and %s are different networks: their "
				 ".tlm files (seed %d) differ (%zu and %zu "
				 "bytes)", extra, ours, SEED, extra_size,
				 ours_size);
		free(b);
		compared = 1;
	}
	printf("  %-24s %s\n", file,
	       compared ? "converts to the same bytes as models/zoo/'s"
			: "converts and opens (no model of that name in "
			  "models/zoo/)");
	free(a);
	return compared;
}

static void test_extra_cfgs(void **state)
{
	(void)state;
	const char *quick = getenv("TL_TEST_QUICK");
	if (quick && *quick && strcmp(quick, "0") != 0) {
		printf("skipped: TL_TEST_QUICK (the host phase converts "
		       "them)\n");
		skip();
	}
	const char *dir = extra_dir();
	DIR *d = opendir(dir);
	if (d == NULL) {
		printf("skipped: no folder %s (set SMARTZONE_EXTRA_CFG_DIR to "
		       "a folder of Darknet .cfg files to check them against "
		       "models/zoo/)\n", dir);
		skip();
	}
	int seen = 0, compared = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (!has_suffix(e->d_name, ".cfg"))
			continue;
		compared += check_one(dir, e->d_name);
		seen++;
	}
	closedir(d);
	printf("%d cfg files in %s, %d of them compared with models/zoo/\n",
	       seen, dir, compared);
	assert_true(seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extra_cfgs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
