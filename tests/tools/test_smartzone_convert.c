/*
 * smartzone convert, in-process: a Darknet cfg (seeded weights, and
 * with --weights-by-16 the layers that allow it rewritten) and the
 * digits ONNX model (through tools/onnx2tlm.py, the same bytes as the
 * committed digits.tlm), what is printed in text and JSON, and the
 * refusals: a missing model, a file of another kind, no python3-onnx.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "json_check.h"

static void test_darknet(void **state)
{
	(void)state;
	char dir[64], out[128];
	cli_tmpdir(dir, sizeof dir);
	snprintf(out, sizeof out, "%s/cifar.tlm", dir);
	assert_int_equal(cli_run(sz_cmd_convert, "convert", cli_cfg("cifar"),
				 "-o", out, NULL), 0);
	assert_non_null(strstr(cli_out, "cifar.tlm: "));
	assert_non_null(strstr(cli_out, "(darknet, seeded weights)"));
	assert_int_equal(cli_run(sz_cmd_convert, "convert", cli_cfg("cifar"),
				 "-o", out, "--seed", "7", "--json", NULL), 0);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"from\": \"darknet\""));
	assert_non_null(strstr(cli_out, "\"seeded_weights\": true"));
	assert_non_null(strstr(cli_out, "\"layers_weights_by_16\": 0"));
	/* cifar's five 3x3 layers with 16 channels or more */
	assert_int_equal(cli_run(sz_cmd_convert, "convert", cli_cfg("cifar"),
				 "-o", out, "--weights-by-16", NULL), 0);
	assert_non_null(strstr(cli_out, "cifar.tlm: 5 layers' weights by 16"));
	assert_int_equal(cli_run(sz_cmd_convert, "convert", cli_cfg("cifar"),
				 "-o", out, "--weights-by-16", "--json", NULL), 0);
	assert_non_null(strstr(cli_out, "\"layers_weights_by_16\": 5"));
	cli_rmdir(dir);
}

static bool same_bytes(const char *a, const char *b)
{
	FILE *f = fopen(a, "rb"), *g = fopen(b, "rb");
	assert_non_null(f);
	assert_non_null(g);
	int x, y;
	do {
		x = fgetc(f);
		y = fgetc(g);
	} while (x == y && x != EOF);
	fclose(f);
	fclose(g);
	return x == y;
}

/* The committed digits.tlm is what onnx2tlm makes of digits.onnx. */
static void test_onnx(void **state)
{
	(void)state;
	char dir[64], out[128];
	cli_tmpdir(dir, sizeof dir);
	snprintf(out, sizeof out, "%s/digits.tlm", dir);
	assert_int_equal(cli_run(sz_cmd_convert, "convert", "--json",
				 "models/digits/digits.onnx", "-o", out,
				 NULL), 0);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"from\": \"onnx\", \"bytes\": "
				       "104492, \"layers\": 7"));
	assert_true(same_bytes(out, "models/digits/digits.tlm"));
	cli_rmdir(dir);
}

static void test_refusals(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_convert, "convert", "model.pb", "-o",
				 "x.tlm", NULL), 2);
	assert_non_null(strstr(cli_err, "model.pb: expected a Darknet .cfg or "
				       "an ONNX .onnx"));
	assert_int_equal(cli_run(sz_cmd_convert, "convert", cli_cfg("tiny"),
				 NULL), 2);
	assert_non_null(strstr(cli_err, "-o OUT.tlm is required"));
	assert_int_equal(cli_run(sz_cmd_convert, "convert", "x.onnx", "w",
				 "-o", "x.tlm", NULL), 2);
	assert_non_null(strstr(cli_err, "goes with a Darknet .cfg"));
	assert_int_equal(cli_run(sz_cmd_convert, "convert", "missing.cfg",
				 "-o", "/tmp/sz_never.tlm", NULL), 1);
	assert_non_null(strstr(cli_err, "missing.cfg"));
	/* no python3 with onnx: said, with the packages to install */
	setenv("SMARTZONE_PYTHON", "/bin/false", 1);
	assert_int_equal(cli_run(sz_cmd_convert, "convert",
				 "models/digits/digits.onnx", "-o",
				 "/tmp/sz_never.tlm", NULL), 1);
	unsetenv("SMARTZONE_PYTHON");
	assert_non_null(strstr(cli_err, "apt-get install python3-onnx "
				       "python3-numpy"));
	assert_int_equal(cli_run(sz_cmd_convert, "convert", "--help", NULL),
			 0);
	assert_non_null(strstr(cli_out, "usage: smartzone convert"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_darknet),
		cmocka_unit_test(test_onnx),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
