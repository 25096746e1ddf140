/*
 * smartzone plan, run in-process: its outputs for a sample model, its
 * refusal of a model no platform holds, its usage errors, and where its
 * shared-memory window comes from: the simulator's counted transfers on
 * a platform with cost figures (the model provisioned through the TA),
 * the cost model's counters for an encrypted model, the provisional
 * table on a platform without costs. TL_TEST_QUICK=1 plans the tiny cfg
 * where MobileNet v1 is planned otherwise (each plan with costs
 * provisions the model eleven times).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "json_check.h"

static const char *const digits = "models/digits/digits.tlm";

/* The model of the output test, and its name in the SVG's title. */
static const char *big_model(void)
{
	return cli_quick() ? "tiny" : "mobilenet_v1";
}

/* A model on the RPi3 that must move TZDRAM: every output written, all
 * telling the same TZDRAM, and stdout the text plan. */
static void test_outputs(void **state)
{
	(void)state;
	char dir[64];
	cli_tmpdir(dir, sizeof dir);
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "--out", dir,
				 cli_cfg(big_model()), NULL), 0);
	const char *start = strstr(cli_out, "CFG_TZDRAM_START      0x10100000");
	assert_non_null(start);
	char tz[16];
	assert_int_equal(sscanf(start + 33, "%15s", tz), 1);
	assert_int_equal(strncmp(tz, "0x", 2), 0);
	assert_non_null(strstr(cli_out, "Invariants: all hold"));
	char want[64], path[512];
	snprintf(want, sizeof want, "CFG_TZDRAM_START := %s\n", tz);
	snprintf(path, sizeof path, "%s/conf.mk", dir);
	assert_non_null(strstr(cli_read_text(path), want));
	snprintf(path, sizeof path, "%s/plan.json", dir);
	snprintf(want, sizeof want, "\"CFG_TZDRAM_START\": %llu",
		 strtoull(tz, NULL, 16));
	assert_non_null(strstr(cli_read_text(path), want));
	snprintf(path, sizeof path, "%s/user_ta_header_defines.h", dir);
	assert_non_null(strstr(cli_read_text(path), "#define TA_DATA_SIZE\t0x"));
	snprintf(path, sizeof path, "%s/memory-map.svg", dir);
	snprintf(want, sizeof want, "%s on rpi3bplus", big_model());
	assert_non_null(strstr(cli_read_text(path), want));
	snprintf(path, sizeof path, "%s/plan.txt", dir);
	assert_string_equal(cli_read_text(path), cli_out);
	cli_rmdir(dir);
}

/* AlexNet's 238 MiB of weights four times over on QEMU's 1 GiB: refused
 * with the numbers, nothing on stdout. */
static void test_refusal(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "qemu_armv8a", "--sessions", "4",
				 cli_cfg("alexnet"), NULL), 1);
	assert_string_equal(cli_out, "");
	assert_non_null(strstr(cli_err, "alexnet on qemu_armv8a: refused: "
				       "model needs"));
	assert_non_null(strstr(cli_err, "4 session(s)"));
	assert_non_null(strstr(cli_err, "can give at most"));
	/* one session fits; planned without cost figures, since the window
	 * is not the point here and counting it would send 238 MiB through
	 * the simulated TA ten times */
	char dir[64], conf[128];
	cli_tmpdir(dir, sizeof dir);
	cli_costless_platform("qemu_armv8a", dir, conf, sizeof conf);
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform", conf,
				 "--json", cli_cfg("alexnet"), NULL), 0);
	assert_non_null(strstr(cli_out, "\"hold\": true"));
	cli_rmdir(dir);
}

/* The small models of issue 17, which were refused because their
 * counted transfers show no knee: planned on both boards, the window
 * chosen by the points, and the plan says that the fit did not apply. */
static void test_small_models(void **state)
{
	(void)state;
	static const unsigned dims[][2] = { { 8, 10 }, { 38, 6 } };
	static const size_t bytes[] = { 1196, 2988 };
	static const char *const boards[] = { "rpi3bplus", "qemu_armv8a" };
	char dir[64], path[128];
	cli_tmpdir(dir, sizeof dir);
	for (size_t i = 0; i < 2; i++) {
		char name[16];
		snprintf(name, sizeof name, "small%zu", bytes[i]);
		cli_small_model(dir, name, 1, dims[i][0], dims[i][1], path,
				sizeof path);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_size, bytes[i]);
		for (size_t k = 0; k < 2; k++) {
			assert_int_equal(cli_run(sz_cmd_plan, "plan",
						 "--platform", boards[k], path,
						 NULL), 0);
			assert_non_null(strstr(cli_out, "Shared-memory window: "
					       "4096 bytes (4 KiB) per call, "
					       "the smallest whose time"));
			assert_non_null(strstr(cli_out, "did not apply"));
			assert_non_null(strstr(cli_out, "Invariants: all "
					       "hold"));
			assert_int_equal(cli_run(sz_cmd_plan, "plan", "--json",
						 "--platform", boards[k], path,
						 NULL), 0);
			assert_int_equal(json_check(cli_out, strlen(cli_out)),
					 0);
			assert_non_null(strstr(cli_out, "\"rule\": \"points\", "
					       "\"fit_not_applied\": \"mm_shm_"
					       "fit: "));
		}
	}
	cli_rmdir(dir);
}

/* An input that the static shared memory can not carry in one RUN
 * (16400 x 8 x 8 floats: 4100 KiB and the output's page, on the RPi3's
 * 4 MiB) is refused for that, with the numbers; qemu_armv8a registers
 * normal-world pages for the call (client_shm registered), and its plan
 * says how much one inference takes. */
static void test_input_past_shared_memory(void **state)
{
	(void)state;
	char dir[64], path[128];
	cli_tmpdir(dir, sizeof dir);
	cli_small_model(dir, "wide", 16400, 1, 1, path, sizeof path);
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", path, NULL), 1);
	assert_string_equal(cli_err, "smartzone plan: wide on rpi3bplus: "
			    "refused: model needs 4104 KiB of shared memory "
			    "for one inference (input 4100 KiB and output 4 "
			    "KiB, a page-rounded buffer each, at once), the "
			    "platform rpi3bplus can give at most 4096 KiB "
			    "(its static shared memory, CFG_SHMEM_SIZE)\n");
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "qemu_armv8a", path, NULL), 0);
	assert_non_null(strstr(cli_out, "  one inference: input and output "
				       "4104 KiB at once in normal-world pages "
				       "registered for the call\n"));
	cli_rmdir(dir);
}

static void test_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_plan, "plan", cli_cfg("tiny"), NULL),
			 2);
	assert_non_null(strstr(cli_err, "--platform is required"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", NULL), 2);
	assert_non_null(strstr(cli_err, "a MODEL is required"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "--sessions", "0",
				 cli_cfg("tiny"), NULL), 2);
	assert_non_null(strstr(cli_err, "--sessions 0: expected 1 to 64"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "--bogus", cli_cfg("tiny"),
				 NULL), 2);
	assert_non_null(strstr(cli_err, "unknown option --bogus"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "--tolerance", "2",
				 cli_cfg("tiny"), NULL), 2);
	/* a platform or model that is not there names the file */
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "no_such_board", cli_cfg("tiny"), NULL), 1);
	assert_non_null(strstr(cli_err, "no_such_board.conf"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "missing.tlm", NULL), 1);
	assert_non_null(strstr(cli_err, "missing.tlm"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "models", NULL), 1);
	assert_string_equal(cli_err, "smartzone plan: models: is a directory, "
			    "not a file\n");
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", "models/zoo/", NULL), 1);
	assert_non_null(strstr(cli_err, "is a directory"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--help", NULL), 0);
	assert_non_null(strstr(cli_out, "usage: smartzone plan"));
}

/* With the platform's cost figures the window is fitted to what the
 * simulator counted provisioning the model through the TA, costed for
 * the board, and the plan says so in both forms. */
static void test_window_counted(void **state)
{
	(void)state;
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", digits, NULL), 0);
	assert_non_null(strstr(cli_out, "fitted to the simulator's counted "
				       "transfers, costed for rpi3bplus"));
	assert_null(strstr(cli_out, "PROVISIONAL"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "qemu_armv8a", "--json", digits, NULL), 0);
	assert_int_equal(json_check(cli_out, strlen(cli_out)), 0);
	assert_non_null(strstr(cli_out, "\"provisional\": false, \"source\": "
				       "\"the simulator's counted transfers, "
				       "costed for qemu_armv8a\""));
}

/* Without cost figures there is nothing to cost transfers with: the
 * provisional table, as before, and the plan says so. */
static void test_window_provisional(void **state)
{
	(void)state;
	char dir[64], conf[128];
	cli_tmpdir(dir, sizeof dir);
	cli_costless_platform("rpi3bplus", dir, conf, sizeof conf);
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform", conf,
				 digits, NULL), 0);
	assert_non_null(strstr(cli_out, "fitted to the PROVISIONAL table"));
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform", conf,
				 "--json", digits, NULL), 0);
	assert_non_null(strstr(cli_out, "\"provisional\": true"));
	cli_rmdir(dir);
}

/* An encrypted model only its device can open: its size from the clear
 * header, the window from the cost model's counters for it. */
static void test_window_encrypted(void **state)
{
	(void)state;
	char dir[64], key[128], tlme[128];
	cli_tmpdir(dir, sizeof dir);
	cli_seal_digits(dir, key, tlme, sizeof key);
	assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
				 "rpi3bplus", tlme, NULL), 0);
	assert_non_null(strstr(cli_out, "the cost model's transfer counters "
				       "(the model is encrypted), costed for "
				       "rpi3bplus"));
	cli_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_refusal),
		cmocka_unit_test(test_small_models),
		cmocka_unit_test(test_input_past_shared_memory),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_window_counted),
		cmocka_unit_test(test_window_provisional),
		cmocka_unit_test(test_window_encrypted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
