/*
 * Every check on, and the good TA passes them all: no leak after any of
 * its commands, no double fetch with the normal world rewriting shared
 * memory behind each read, every hostile parameter set answered as it
 * should be. Also what the checks cost on this host (measured).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "sim_fixture.h"

#define N 256			/* words of PROCESS input */

static TEEC_Result invoke(TEEC_Session *s, uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin;
	return TEEC_InvokeCommand(s, cmd, op, &origin);
}

static TEEC_Operation values(uint32_t t0, uint32_t a, uint32_t t1)
{
	TEEC_Operation op = sztest_op(t0, t1, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = a;
	return op;
}

/* Runs every command of the good TA once, checking its results. */
static void every_command(TEEC_Session *s)
{
	uint32_t in[1 + N], out[N / 4], want[N / 4];
	sztest_input(in, N, 99);
	sztest_expect(in, want);
	TEEC_Operation op = sztest_temp(in, sizeof in, out, sizeof out);
	assert_int_equal(invoke(s, SZTEST_CMD_PROCESS, &op), TEEC_SUCCESS);
	assert_memory_equal(out, want, sizeof want);
	uint8_t sealed[12 + 64 + 16], plain[64];
	op = sztest_temp(in, 64, sealed, sizeof sealed);
	assert_int_equal(invoke(s, SZTEST_CMD_SEAL, &op), TEEC_SUCCESS);
	op = sztest_temp(sealed, sizeof sealed, plain, sizeof plain);
	assert_int_equal(invoke(s, SZTEST_CMD_UNSEAL, &op), TEEC_SUCCESS);
	assert_memory_equal(plain, in, 64);
	op = values(TEEC_VALUE_INOUT, 1, TEEC_NONE);
	assert_int_equal(invoke(s, SZTEST_CMD_INC_VALUE, &op), TEEC_SUCCESS);
	op = values(TEEC_VALUE_INPUT, 64, TEEC_VALUE_OUTPUT);
	assert_int_equal(invoke(s, SZTEST_CMD_HEAP_PROBE, &op), TEEC_SUCCESS);
	op = values(TEEC_VALUE_INPUT, 0xabcdef, TEEC_NONE);
	assert_int_equal(invoke(s, SZTEST_CMD_STORE, &op), TEEC_SUCCESS);
	op = values(TEEC_VALUE_OUTPUT, 0, TEEC_NONE);
	assert_int_equal(invoke(s, SZTEST_CMD_LOAD, &op), TEEC_SUCCESS);
	assert_int_equal(op.params[0].value.a, 0xabcdef);
	op = sztest_temp(in, 32, out, 32);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE);
	assert_int_equal(invoke(s, SZTEST_CMD_ACCESS, &op), TEEC_SUCCESS);
	assert_int_equal(op.params[2].value.a, SZTEST_ACCESS_ALL);
	op = values(TEEC_VALUE_OUTPUT, 0, TEEC_NONE);
	assert_int_equal(invoke(s, SZTEST_CMD_STORAGE_RULES, &op),
			 TEEC_SUCCESS);
	assert_int_equal(op.params[0].value.a, SZTEST_STORAGE_ALL);
}

static void test_no_command_leaks(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	for (int round = 0; round < 3; round++)	/* stale heap, old outputs */
		every_command(&s);
	assert_int_equal(sim_violation_count(), 0);
	sim_close(&ctx, &s);
}

/* Bytes the normal world put in shared memory itself are no leak, even
 * when they equal the TA's secret: the TA wrote nothing. (The check once
 * counted only bytes of input memrefs as known, so a TA that came to
 * hold, after a call, a window of what the normal world had left beyond
 * a memref was reported: the Smart-Zone TA decoding a .tlm's tensor
 * table, fuzz/regressions/fuzz_ta_boundary/.) Here the normal world
 * knows the test TA's weights, as the tests do, and leaves them in a
 * pool buffer it never passes; a bad TA's copy of them into shared
 * memory is still found (test_sim_checks_bad). */
static void test_what_the_normal_world_wrote_is_no_leak(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t w[SZTEST_WEIGHTS];
	sztest_weights(w);
	TEEC_SharedMemory shm = { .size = sizeof w + 3,
				  .flags = TEEC_MEM_INPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	memcpy((uint8_t *)shm.buffer + 3, w, sizeof w);	/* any offset */
	every_command(&s);
	assert_int_equal(sim_violation_count(), 0);
	TEEC_ReleaseSharedMemory(&shm);
	sim_close(&ctx, &s);
}

static void test_double_fetch_trap_passes_copy_once(void **state)
{
	(void)state;
	sim_fixture_double_fetch_on();
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t *in = calloc(1 + N, 4), want[N / 4];
	sztest_input(in, N, 7);
	sztest_expect(in, want);
	uint32_t *orig = malloc((1 + N) * 4);
	memcpy(orig, in, (1 + N) * 4);
	TEEC_SharedMemory min = { in, (1 + N) * 4, TEEC_MEM_INPUT, {0} };
	TEEC_SharedMemory mout = { .size = N, .flags = TEEC_MEM_OUTPUT };
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &min), TEEC_SUCCESS);
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &mout), TEEC_SUCCESS);
	TEEC_Operation op = sztest_whole(&min, &mout);
	assert_int_equal(invoke(&s, SZTEST_CMD_PROCESS, &op), TEEC_SUCCESS);
	/* the result is that of the input as it was when copied... */
	assert_memory_equal(mout.buffer, want, sizeof want);
	/* ...though the normal world rewrote all of it behind the copy */
	for (int i = 0; i < 1 + N; i++)
		assert_int_not_equal(in[i], orig[i]);
	assert_int_equal(sim_violation_count_kind(SIM_V_DOUBLE_FETCH), 0);
	/* the other commands, through temporary memrefs */
	every_command(&s);
	assert_int_equal(sim_violation_count(), 0);
	assert_int_equal(sim_hostile_set(0, NULL, 0), SIM_OK);
	TEEC_ReleaseSharedMemory(&min);
	sim_close(&ctx, &s);
	free(in);
	free(orig);
}

/* The commands whose input the parameters fix (a short one is
 * malformed) and whose output is deterministic: what the driver is for
 * (sim.h). SEAL takes any length and draws a random nonce. */
static void test_hostile_parameters_are_refused(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	struct sim_hostile_report *r = sztest_hostile_process(&s);
	assert_true(r->n_cases >= 15);
	assert_int_equal(r->n_failed, 0);
	TEEC_Operation op = values(TEEC_VALUE_INOUT, 5, TEEC_NONE);
	assert_int_equal(sim_hostile_params(&s, SZTEST_CMD_INC_VALUE, &op, r),
			 SIM_OK);
	sztest_show("INC_VALUE", r);
	assert_int_equal(r->n_failed, 0);
	/* an operation that does not succeed can not be the reference */
	op = values(TEEC_VALUE_INPUT, 5, TEEC_NONE);
	assert_int_equal(sim_hostile_params(&s, SZTEST_CMD_INC_VALUE, &op, r),
			 SIM_E_STATE);
	free(r);
	sim_close(&ctx, &s);
}

static void test_lying_counts_are_refused(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t in[1 + 8], out[8];
	sztest_input(in, 8, 1);
	const uint32_t lies[] = { 0x40000001u, 12, 4, 0, 7 };
	for (size_t k = 0; k < sizeof lies / sizeof lies[0]; k++) {
		in[0] = lies[k];	/* the buffer holds 8 words */
		TEEC_Operation op = sztest_temp(in, sizeof in, out, sizeof out);
		assert_int_equal(invoke(&s, SZTEST_CMD_PROCESS, &op),
				 TEEC_ERROR_BAD_PARAMETERS);
	}
	sim_close(&ctx, &s);
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Host time of one PROCESS call with the checks off, with the taint
 * check, and with the double-fetch trap too (measured on this host). */
static void test_cost_of_the_checks(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t in[1 + N], out[N / 4], want[N / 4];
	sztest_input(in, N, 3);
	sztest_expect(in, want);
	const char *mode[] = { "no checks", "taint", "taint + double fetch" };
	const int reps = getenv("TL_TEST_QUICK") ? 5 : 50;
	for (int m = 0; m < 3; m++) {
		sim_taint_set(m > 0);
		if (m == 2 && sim_hostile_set(SIM_HOSTILE_DOUBLE_FETCH, NULL, 0))
			break;
		double t0 = seconds();
		for (int i = 0; i < reps; i++) {
			sztest_input(in, N, 3);
			TEEC_Operation op = sztest_temp(in, sizeof in, out,
							sizeof out);
			assert_int_equal(invoke(&s, SZTEST_CMD_PROCESS, &op),
					 TEEC_SUCCESS);
			assert_memory_equal(out, want, sizeof want);
		}
		printf("  PROCESS of %u words, %s: %.1f us a call (measured "
		       "on this host)\n", N, mode[m],
		       (seconds() - t0) / reps * 1e6);
	}
	sim_hostile_set(0, NULL, 0);
	sim_taint_set(true);
	sim_close(&ctx, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sim_fixture_up, sim_fixture_down)
		T(test_no_command_leaks),
		T(test_what_the_normal_world_wrote_is_no_leak),
		T(test_double_fetch_trap_passes_copy_once),
		T(test_hostile_parameters_are_refused),
		T(test_lying_counts_are_refused),
		T(test_cost_of_the_checks),
#undef T
	};
	return cmocka_run_group_tests_name("sim_checks_good", tests, NULL,
					   NULL);
}
