/*
 * The commands over the Unicorn runner as a user meets them: smartzone
 * verify (its verdicts, the layer table, the two board estimates, its
 * failures), and the Cortex-A53 estimate in smartzone run --details and
 * smartzone compare.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../tools/cli.h"
#include "commands.h"

#define DIGITS "models/digits/digits.tlm"
#define SAMPLE "models/digits/samples/digit0-test001.pgm"

static void contains(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("expected \"%s\" in:\n%s", what, text);
}

static void test_verify_digits(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_verify, "verify", DIGITS, NULL), 0);
	contains(cli_out, "rules: held");
	contains(cli_out, "output: strict, bit-identical to the host's (10 "
		 "values)");
	contains(cli_out, "layer type");
	contains(cli_out, "    2 maxpool");
	contains(cli_out, "  all RUN");
	contains(cli_out, "Cortex-A53 from the instruction mix:");
	contains(cli_out, "MAC rate (cost model): 0.716 ms (601600 MACs");
	assert_int_equal(cli_run(sz_cmd_verify, "verify", "--quiet", "--fast",
				 DIGITS, NULL), 0);
	assert_null(strstr(cli_out, "layer type"));
	contains(cli_out, "output: fast mode, max relative error");
}

static void test_verify_catches_a_broken_guest(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_verify, "verify", "--guest",
				 UC_GUEST_DIR "/broken_output_twice.elf",
				 DIGITS, NULL), 1);
	contains(cli_out, "FAILED: store of an intermediate to "
		 "normal-world-readable memory");
	contains(cli_out, "(memmove)");
	assert_null(strstr(cli_out, "layer type"));
	assert_int_equal(cli_run(sz_cmd_verify, "verify", "--guest",
				 UC_GUEST_DIR "/broken_wrong_value.elf",
				 DIGITS, NULL), 1);
	contains(cli_out, "first layer that differs: 2");
}

static void test_verify_refusals(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_verify, "verify", NULL), 2);
	contains(cli_err, "no model given");
	assert_int_equal(cli_run(sz_cmd_verify, "verify", "--guest",
				 "/nonexistent.elf", DIGITS, NULL), 1);
	contains(cli_err, "/nonexistent.elf: cannot open the guest ELF");
	assert_int_equal(cli_run(sz_cmd_verify, "verify", "--platform",
				 "nowhere", DIGITS, NULL), 1);
}

/* run --details with SMARTZONE_GUEST set to guest: it runs, and says why
 * there is no Cortex-A53 estimate. */
static void details_with_guest(const char *guest, const char *why)
{
	setenv("SMARTZONE_GUEST", guest, 1);
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--details", DIGITS,
				 SAMPLE, NULL), 0);
	unsetenv("SMARTZONE_GUEST");
	char line[256];
	snprintf(line, sizeof line,
		 "Cortex-A53 from the instruction mix: not estimated: %s", why);
	contains(cli_out, line);
}

static void test_run_details_estimate(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_run_model, "run", "--details", DIGITS,
				 SAMPLE, NULL), 0);
	contains(cli_out, "Compute of one inference on rpi3bplus, two "
		 "estimates:");
	contains(cli_out, "MAC rate (the cost model):");
	contains(cli_out, "Cortex-A53 from the instruction mix:");
	contains(cli_out, "instructions of the TA's aarch64 code under "
		 "Unicorn");
	details_with_guest("/nonexistent.elf",
			   "/nonexistent.elf: cannot open the guest ELF");
	details_with_guest("none", "turned off (SMARTZONE_GUEST=none)");
	/* without --details, no Unicorn run */
	assert_int_equal(cli_run(sz_cmd_run_model, "run", DIGITS, SAMPLE,
				 NULL), 0);
	assert_null(strstr(cli_out, "Cortex-A53"));
}

static void test_compare_estimate(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_compare, "compare", DIGITS, NULL), 0);
	contains(cli_out, "| compute | compute, A53 estimate |");
	contains(cli_out, "| digits | Smart-Zone | ");
	assert_null(strstr(cli_out, "| - |\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_digits),
		cmocka_unit_test(test_verify_catches_a_broken_guest),
		cmocka_unit_test(test_verify_refusals),
		cmocka_unit_test(test_run_details_estimate),
		cmocka_unit_test(test_compare_estimate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
