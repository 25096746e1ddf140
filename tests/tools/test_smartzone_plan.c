/*
 * smartzone plan, run in-process: its outputs for a sample model, its
 * refusal of a model no platform holds, and its usage errors.
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

#include "commands.h"

static char out_text[1 << 16], err_text[1 << 14];

static void slurp(FILE *f, char *buf, size_t len)
{
	rewind(f);
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Runs `smartzone plan ARGS...` with stdout and stderr captured. */
static int run_plan(const char *first, ...)
{
	char *argv[32] = { "plan" };
	int argc = 1;
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	FILE *o = tmpfile(), *e = tmpfile();
	assert_non_null(o);
	assert_non_null(e);
	fflush(stdout);
	fflush(stderr);
	int so = dup(1), se = dup(2);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	int rc = sz_cmd_plan(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(o, out_text, sizeof out_text);
	slurp(e, err_text, sizeof err_text);
	return rc;
}

static const char *cfg(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s.cfg", TL_DARKNET_CFG_DIR, name);
	return path;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s was not written", path);
	static char buf[1 << 16];
	slurp(f, buf, sizeof buf);
	return buf;
}

/* MobileNet v1 on the RPi3: every output written, all telling the same
 * TZDRAM, and stdout the text plan. */
static void test_outputs(void **state)
{
	(void)state;
	char dir[] = "/tmp/sz_plan_XXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_int_equal(run_plan("--platform", "rpi3bplus", "--out", dir,
				  cfg("mobilenet_v1"), NULL), 0);
	const char *start = strstr(out_text, "CFG_TZDRAM_START     0x10100000");
	assert_non_null(start);
	char tz[16];
	assert_int_equal(sscanf(start + 33, "%15s", tz), 1);
	assert_int_equal(strncmp(tz, "0x", 2), 0);
	assert_non_null(strstr(out_text, "Invariants: all hold"));
	char want[64], path[512];
	snprintf(want, sizeof want, "CFG_TZDRAM_START := %s\n", tz);
	snprintf(path, sizeof path, "%s/conf.mk", dir);
	assert_non_null(strstr(read_text(path), want));
	snprintf(path, sizeof path, "%s/plan.json", dir);
	snprintf(want, sizeof want, "\"CFG_TZDRAM_START\": %llu",
		 strtoull(tz, NULL, 16));
	assert_non_null(strstr(read_text(path), want));
	snprintf(path, sizeof path, "%s/user_ta_header_defines.h", dir);
	assert_non_null(strstr(read_text(path), "#define TA_DATA_SIZE\t0x"));
	snprintf(path, sizeof path, "%s/memory-map.svg", dir);
	assert_non_null(strstr(read_text(path), "mobilenet_v1 on rpi3bplus"));
	snprintf(path, sizeof path, "%s/plan.txt", dir);
	assert_string_equal(read_text(path), out_text);
	const char *files[] = { "plan.txt", "plan.json", "conf.mk",
				"user_ta_header_defines.h", "memory-map.svg" };
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* AlexNet's 238 MiB of weights four times over on QEMU's 1 GiB: refused
 * with the numbers, nothing on stdout. */
static void test_refusal(void **state)
{
	(void)state;
	assert_int_equal(run_plan("--platform", "qemu_armv8a", "--sessions",
				  "4", cfg("alexnet"), NULL), 1);
	assert_string_equal(out_text, "");
	assert_non_null(strstr(err_text, "alexnet on qemu_armv8a: refused: "
				       "model needs"));
	assert_non_null(strstr(err_text, "4 session(s)"));
	assert_non_null(strstr(err_text, "can give at most"));
	/* one session fits */
	assert_int_equal(run_plan("--platform", "qemu_armv8a", "--json",
				  cfg("alexnet"), NULL), 0);
	assert_non_null(strstr(out_text, "\"hold\": true"));
}

static void test_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(run_plan(cfg("tiny"), NULL), 2);
	assert_non_null(strstr(err_text, "--platform is required"));
	assert_int_equal(run_plan("--platform", "rpi3bplus", NULL), 2);
	assert_non_null(strstr(err_text, "a MODEL is required"));
	assert_int_equal(run_plan("--platform", "rpi3bplus", "--sessions",
				  "0", cfg("tiny"), NULL), 2);
	assert_non_null(strstr(err_text, "--sessions 0: expected 1 to 64"));
	assert_int_equal(run_plan("--platform", "rpi3bplus", "--bogus",
				  cfg("tiny"), NULL), 2);
	assert_non_null(strstr(err_text, "unknown option --bogus"));
	assert_int_equal(run_plan("--platform", "rpi3bplus", "--tolerance",
				  "2", cfg("tiny"), NULL), 2);
	/* a platform or model that is not there names the file */
	assert_int_equal(run_plan("--platform", "no_such_board", cfg("tiny"),
				  NULL), 1);
	assert_non_null(strstr(err_text, "no_such_board.conf"));
	assert_int_equal(run_plan("--platform", "rpi3bplus", "missing.tlm",
				  NULL), 1);
	assert_non_null(strstr(err_text, "missing.tlm"));
	assert_int_equal(run_plan("--help", NULL), 0);
	assert_non_null(strstr(out_text, "usage: smartzone plan"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_refusal),
		cmocka_unit_test(test_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
