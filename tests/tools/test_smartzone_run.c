/*
 * smartzone run, in-process, against the real TA in the simulator: the
 * digits samples recognised with every check held (exit status 0), the
 * counts and both kinds of time in text and JSON, the top-k and labels,
 * an encrypted model with its key, a platform without cost figures,
 * and the errors a person meets, each saying what to do.
 */
#include <stdarg.h>
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
#include "run_print.h"

#define DIGITS "models/digits/digits.tlm"
#define SAMPLE(d) "models/digits/samples/digit" d

static const char *const three = SAMPLE("3-test030.pgm");
static const char *const seven = SAMPLE("7-test009.pgm");

/* What of stderr is the program's: ASan's one line about swapcontext
 * (the simulator switches stacks), printed the first time a sanitizing
 * build enters the TA, is the sanitizer's. */
static const char *own_stderr(const char *err)
{
	if (strncmp(err, "==", 2) == 0 &&
	    strstr(err, "makecontext/swapcontext") != NULL &&
	    strchr(err, '\n') != NULL)
		return strchr(err, '\n') + 1;
	return err;
}

static void test_text(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, three,
				 seven, NULL), 0);
	/* no bar: not a terminal */
	assert_string_equal(own_stderr(cli_err), "");
	assert_non_null(strstr(cli_out, "smartzone run: digits on rpi3bplus"));
	assert_non_null(strstr(cli_out, "models/digits/samples/digit3-"
				       "test030.pgm: 3 ("));
	assert_non_null(strstr(cli_out, "models/digits/samples/digit7-"
				       "test009.pgm: 7 ("));
	assert_non_null(strstr(cli_out, "   3. "));
	assert_null(strstr(cli_out, "   4. "));	/* --top defaults to 3 */
	assert_non_null(strstr(cli_out, "measured on this host"));
	assert_non_null(strstr(cli_out, "modelled for rpi3bplus"));
	assert_non_null(strstr(cli_out, "  one inference                        1 "
				       "           256           40"));
	assert_non_null(strstr(cli_out, "leakage: no secret bytes in "
				       "normal-world memory    held"));
	assert_non_null(strstr(cli_out, "Every check held."));
}

/* JSON: one valid object with the counts, both cost reports (host and
 * board apart), the top-k and the checks. */
static void test_json(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--json", "--top",
				 "10", "--platform", "qemu_armv8a", DIGITS,
				 three, NULL), 0);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"platform\": \"qemu_armv8a\""));
	assert_non_null(strstr(cli_out, "{\"index\": 3, \"label\": \"3\""));
	assert_non_null(strstr(cli_out, "\"label\": \"9\""));	/* all ten */
	assert_non_null(strstr(cli_out, "\"measured_on_this_host\""));
	assert_non_null(strstr(cli_out, "\"modelled_for_board\""));
	assert_non_null(strstr(cli_out, "\"checks\": {\"held\": true, "
				       "\"violations\": 0"));
	assert_non_null(strstr(cli_out, "\"runs\": 1,"));
	/* what make qemu-check compares: the client's calls, the TEE's
	 * total count; qemu_armv8a registers the window and the temporary
	 * memrefs: open 1, allocate 1, OPEN_MODEL 1, 4 chunks, release 1,
	 * RUN 1 + 2 x 2, REPORT 1 + 2, close 1 */
	assert_non_null(strstr(cli_out, "\"tee\": \"the simulated TEE\", "
				       "\"layout\": \"planned\""));
	assert_non_null(strstr(cli_out, "{\"call\": \"TEEC_InvokeCommand\", "
				       "\"command\": \"LOAD_CHUNK\", \"result\": "
				       "\"0x00000000\", \"result_name\": "
				       "\"TEEC_SUCCESS\", \"origin\": 4, "
				       "\"count\": 4}"));
	assert_non_null(strstr(cli_out, "\"tee_total\": {\"smc\": 17, "));
}

/* The runs make qemu-check predicts with: the stock layout with the TA
 * built for the plan (a refusal, as JSON, naming the call), outputs
 * saved as raw floats, the leakage check off. */
static void test_validation_options(void **state)
{
	(void)state;
	char dir[64], out[128];
	cli_tmpdir(dir, sizeof dir);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--json",
				 "--no-leak-check", "--save-outputs", dir,
				 DIGITS, three, NULL), 0);
	assert_non_null(strstr(cli_out, "\"leak_armed\": false"));
	snprintf(out, sizeof out, "%s/digit3-test030.pgm.out", dir);
	FILE *f = fopen(out, "rb");
	assert_non_null(f);
	float y[11];
	assert_int_equal(fread(y, sizeof *y, 11, f), 10);
	fclose(f);
	assert_true(y[3] > 0.99f);
	/* a model too big for the stock TZDRAM: refused where OP-TEE does */
	char model[128];
	snprintf(model, sizeof model, "%s/tiny.tlm", dir);
	assert_int_equal(cli_run(sz_cmd_convert, "convert", cli_cfg("tiny"),
				 "-o", model, NULL), 0);
	char input[128];
	snprintf(input, sizeof input, "%s/zeros.f32", dir);
	static float zeros[3 * 224 * 224];
	cli_write_file(input, zeros, sizeof zeros);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--json", "--layout",
				 "stock", "--no-leak-check", model, input,
				 NULL), 1);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"layout\": \"stock\", "
				       "\"session_opened\": false"));
	assert_non_null(strstr(cli_out, "{\"call\": \"TEEC_OpenSession\", "
				       "\"command\": null, \"result\": "
				       "\"0xffff000c\""));
	assert_non_null(strstr(cli_err, "TEEC_ERROR_OUT_OF_MEMORY"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--layout", "big",
				 DIGITS, three, NULL), 2);
	cli_rmdir(dir);
}

/* The bar on stderr when asked, ending at the model's size; the details
 * of the cost model; the fast mode; a window of one's own. */
static void test_options(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--progress",
				 "--details", "--fast", "--window", "8192",
				 DIGITS, three, NULL), 0);
	assert_non_null(strstr(cli_err, "provisioning digits ["));
	assert_non_null(strstr(cli_err, "] 100%  102.0 / 102.0 KiB\n"));
	assert_non_null(strstr(cli_out, "(fast mode)"));
	assert_non_null(strstr(cli_out, "13 chunks through a 8192-byte "
				       "window (--window)"));
	assert_non_null(strstr(cli_out, "Modelled for rpi3bplus, board "
				       "energy:"));
}

static void test_encrypted(void **state)
{
	(void)state;
	char dir[64], key[128], tlme[128];
	cli_tmpdir(dir, sizeof dir);
	cli_seal_digits(dir, key, tlme, sizeof key);
	int rc = cli_run(sz_cmd_run_model, "run", "--encrypted", key, tlme,
			 three, NULL);
	if (rc)
		fail_msg("%s", cli_err);
	assert_non_null(strstr(cli_out, "(sent encrypted)"));
	assert_non_null(strstr(cli_out, "digit3-test030.pgm: 3 ("));
	assert_non_null(strstr(cli_out, "Every check held."));
	/* without its key, and a key for a plain model */
	assert_int_equal(cli_run(sz_cmd_run_model, "run", tlme, three, NULL),
			 1);
	assert_non_null(strstr(cli_err, "is encrypted: give its key with "
				       "--encrypted KEYFILE"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--encrypted", key,
				 DIGITS, three, NULL), 1);
	assert_non_null(strstr(cli_err, "is not encrypted"));
	cli_rmdir(dir);
}

/* The small models of issue 17 run on both boards: provisioned in one
 * call through the smallest window, every check held. */
static void test_small_models(void **state)
{
	(void)state;
	static const unsigned dims[][2] = { { 8, 10 }, { 38, 6 } };
	static const char *const boards[] = { "rpi3bplus", "qemu_armv8a" };
	char dir[64], path[128], input[128];
	cli_tmpdir(dir, sizeof dir);
	snprintf(input, sizeof input, "%s/x.f32", dir);
	cli_write_floats(input, 64);
	for (size_t i = 0; i < 2; i++) {
		char name[16];
		snprintf(name, sizeof name, "small%zu", i);
		cli_small_model(dir, name, 1, dims[i][0], dims[i][1], path,
				sizeof path);
		for (size_t k = 0; k < 2; k++) {
			int rc = cli_run(sz_cmd_run_model, "run", "--platform",
					 boards[k], path, input, NULL);
			if (rc)
				fail_msg("%s", cli_err);
			assert_non_null(strstr(cli_out, "provision  1 chunks "
					       "through a 4096-byte window "
					       "(the plan's)"));
			/* open, OPEN_MODEL, one LOAD_CHUNK */
			assert_non_null(strstr(cli_out, "  provisioning       "
					       "                  3 "));
			assert_non_null(strstr(cli_out, "Every check held."));
		}
	}
	/* an input the static shared memory can not carry: refused with
	 * the plan's numbers, before anything runs */
	cli_small_model(dir, "wide", 16400, 1, 1, path, sizeof path);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--platform",
				 "rpi3bplus", path, input, NULL), 1);
	assert_non_null(strstr(cli_err, "wide on rpi3bplus: no layout holds "
				       "it: model needs 4104 KiB of shared "
				       "memory for one inference"));
	cli_rmdir(dir);
}

/* rpi3bplus without its cost_* keys: the run and its counts, no board
 * figures, and a sentence saying why. */
static void test_no_costs(void **state)
{
	(void)state;
	char dir[64], conf[128];
	cli_tmpdir(dir, sizeof dir);
	cli_costless_platform("rpi3bplus", dir, conf, sizeof conf);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--platform", conf,
				 DIGITS, three, NULL), 0);
	assert_non_null(strstr(cli_out, "Board latency and energy: not "
				       "modelled"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--platform", conf,
				 "--json", DIGITS, three, NULL), 0);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"modelled_for_board\": null"));
	cli_rmdir(dir);
}

static void test_input_errors(void **state)
{
	(void)state;
	char dir[64], path[128];
	cli_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/big.pgm", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "P2\n16 16\n255\n");
	for (int i = 0; i < 256; i++)
		fprintf(f, "%d ", i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, path, NULL),
			 1);
	assert_non_null(strstr(cli_err, "big.pgm: a 16x16 PGM; the model "
				       "takes C x H x W = 1 x 8 x 8: give a "
				       "grey PGM of 8x8 pixels or 64 float32 "
				       "values"));
	/* raw floats of the right count run */
	snprintf(path, sizeof path, "%s/x.f32", dir);
	float x[64] = { 0 };
	cli_write_file(path, x, sizeof x);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, path, NULL),
			 0);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS,
				 "no/such.pgm", NULL), 1);
	assert_non_null(strstr(cli_err, "no/such.pgm: No such file or "
				       "directory"));
	/* raw floats that begin like a PGM ("P5": the bytes of 0.1408...,
	 * found by the generated models) are read as the floats they are */
	const uint8_t p5[4] = { 'P', '5', 0x10, 0x3e };
	memcpy(&x[0], p5, sizeof p5);
	cli_write_file(path, x, sizeof x);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, path, NULL),
			 0);
	/* a directory as the input or the model, an endless input */
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, dir, NULL),
			 1);
	assert_non_null(strstr(cli_err, ": is a directory, not a file\n"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", dir, path, NULL),
			 1);
	assert_non_null(strstr(cli_err, ": is a directory, not a file\n"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, "/dev/zero",
				 NULL), 1);
	assert_non_null(strstr(cli_err, "/dev/zero: a character device, not "
				       "a regular file, and longer than"));
	cli_rmdir(dir);
}

static void test_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_run_model, "run", NULL), 2);
	assert_non_null(strstr(cli_err, "a MODEL is required"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, NULL), 2);
	assert_non_null(strstr(cli_err, "at least one INPUT is required"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--top", "0",
				 DIGITS, three, NULL), 2);
	assert_non_null(strstr(cli_err, "--top 0: expected 1 to 64"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--window", "100",
				 DIGITS, three, NULL), 2);
	assert_non_null(strstr(cli_err, "--window 100: expected 4096"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--bogus", DIGITS,
				 three, NULL), 2);
	assert_non_null(strstr(cli_err, "unknown option --bogus"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--platform", NULL),
			 2);
	assert_non_null(strstr(cli_err, "--platform needs a value"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", cli_cfg("tiny"),
				 three, NULL), 1);
	assert_non_null(strstr(cli_err, "convert it first: smartzone "
				       "convert"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--platform",
				 "no_such_board", DIGITS, three, NULL), 1);
	assert_non_null(strstr(cli_err, "no_such_board.conf"));
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--help", NULL), 0);
	assert_non_null(strstr(cli_out, "usage: smartzone run"));
}

/* A run where a check broke (the honest TA gives none: made up here) is
 * reported as such, with the simulator's sentence. */
static void test_broken_check_report(void **state)
{
	(void)state;
	static struct sz_run r;
	struct sz_run_opts o = { .model = DIGITS, .mode = SZ_MODE_STRICT };
	float y[3] = { 0.1f, 0.7f, 0.2f };
	struct sz_run_output out = { .path = "x.pgm", .y = y, .n = 3 };
	memset(&r, 0, sizeof r);
	r.opts = &o;
	snprintf(r.name, sizeof r.name, "digits");
	snprintf(r.platform.name, sizeof r.platform.name, "rpi3bplus");
	r.outputs = &out;
	r.n_outputs = 1;
	r.checks.ran = r.checks.leak_armed = true;
	r.checks.total = r.checks.leaks = 1;
	snprintf(r.checks.msg[0], sizeof r.checks.msg[0], "secret bytes at "
		 "0x08000000");
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(sz_run_print_text(f, &r, NULL, 2, false), 0);
	rewind(f);
	size_t n = fread(cli_out, 1, sizeof cli_out - 1, f);
	cli_out[n] = '\0';
	assert_non_null(strstr(cli_out, "x.pgm: 1 (0.7000)\n   1. 1 "));
	assert_non_null(strstr(cli_out, "memory    BROKEN: 1 violation(s)"));
	assert_non_null(strstr(cli_out, "  - secret bytes at 0x08000000\n"));
	assert_non_null(strstr(cli_out, "A check broke."));
	rewind(f);
	assert_int_equal(sz_run_print_json(f, &r, NULL, 2), 0);
	n = (size_t)ftell(f);
	rewind(f);
	assert_int_equal(fread(cli_out, 1, n, f), n);
	cli_out[n] = '\0';
	fclose(f);
	assert_int_equal(json_check(cli_out, n), 0);
	assert_non_null(strstr(cli_out, "\"held\": false, \"violations\": 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_validation_options),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_no_costs),
		cmocka_unit_test(test_small_models),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_broken_check_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
