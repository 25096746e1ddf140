/*
 * The Unicorn runner on the bundled digits model (layers: 0 conv, 1 conv,
 * 2 maxpool, 3 conv, 4 maxpool, 5 connected, 6 softmax), planned on the
 * RPi3:
 * - the real guest holds every rule, its strict output is bit-identical
 *   to the host's, fast mode is within the engine's tolerance, and the
 *   figures are the same on a second run;
 * - each broken guest (tests/unicorn/broken/) is stopped by the right
 *   rule, at the right address, in the right layer and command;
 * - a plan whose page-table cache is too small fails as OP-TEE does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mm_xlat.h"
#include "smartzone_ta.h"
#include "uc_fixture.h"

#define MAXPOOL_LAYER	2
#define SOFTMAX_LAYER	6
/* As tests/tinylib/test_models.c: fast mode differs from strict only in
 * the order of sums and contraction. */
#define FAST_TOLERANCE	1e-4

static struct uc_fixture digits;

static int setup(void **state)
{
	(void)state;
	uc_fixture_load(&digits, "digits", "rpi3bplus");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uc_fixture_free(&digits);
	return 0;
}

static void run(const char *guest, enum tl_mode mode,
		struct sz_verify_outcome *o)
{
	char err[512];
	struct sz_verify_job job = uc_fixture_job(&digits, guest, mode);
	if (sz_verify_model(&job, o, err, sizeof err))
		fail_msg("%s: %s", guest, err);
}

static void test_real_guest_holds_and_matches(void **state)
{
	(void)state;
	struct sz_verify_outcome a, b;
	run("smartzone_ta", TL_MODE_STRICT, &a);
	assert_int_equal(a.violation.stop, SIM_UC_RAN);
	assert_int_equal(a.result, TEE_SUCCESS);
	assert_true(a.identical);
	assert_int_equal(a.first_layer_differs, -1);
	assert_int_equal(a.n_layers, 7);
	/* every layer ran, and loaded and stored something */
	for (uint32_t i = 0; i < a.n_layers; i++) {
		assert_true(sim_insn_mix_total(&a.layers[i]) > 0);
		assert_true(a.layers[i].bytes_loaded > 0);
		assert_true(a.layers[i].bytes_stored > 0);
	}
	/* the convolutions did the multiply-adds */
	assert_true(a.layers[1].count[SIM_INSN_SIMD_FMA] +
		    a.layers[1].count[SIM_INSN_FP_FMA] +
		    a.layers[1].count[SIM_INSN_SIMD] > 0);
	assert_true(sim_insn_mix_total(&a.load) > 0);
	run("smartzone_ta", TL_MODE_STRICT, &b);
	assert_memory_equal(a.layers, b.layers, a.n_layers * sizeof *a.layers);
	assert_memory_equal(&a.load, &b.load, sizeof a.load);
	assert_memory_equal(a.output, b.output, a.n_outputs * sizeof(float));
	sz_verify_outcome_free(&a);
	sz_verify_outcome_free(&b);
}

static void test_fast_mode_within_tolerance(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	run("smartzone_ta", TL_MODE_FAST, &o);
	assert_int_equal(o.violation.stop, SIM_UC_RAN);
	assert_int_equal(o.result, TEE_SUCCESS);
	assert_true(o.max_rel_err < FAST_TOLERANCE);
	sz_verify_outcome_free(&o);
}

/* Runs a broken guest: it must stop with stop in command, layer. */
static void expect_stop(const char *guest, struct sz_verify_outcome *o,
			enum sim_uc_stop stop, uint32_t command, int layer)
{
	run(guest, TL_MODE_STRICT, o);
	print_message("%s: %s\n", guest, o->violation.text);
	assert_int_equal(o->violation.stop, stop);
	assert_int_equal(o->result, TEE_ERROR_TARGET_DEAD);
	assert_int_equal(o->failed_command, command);
	assert_int_equal(o->violation.command, command);
	assert_string_equal(o->violation.entry, "TA_InvokeCommandEntryPoint");
	assert_int_equal(o->violation.layer, layer);
	/* the instruction named is the one that accessed the address */
	struct sim_insn_info i = sim_insn_decode(o->violation.insn);
	if (stop == SIM_UC_UNMAPPED || stop == SIM_UC_SHM_READ ||
	    stop == SIM_UC_DOUBLE_FETCH)
		assert_true(i.bytes_loaded > 0);
	if (stop == SIM_UC_SHM_WRITE || stop == SIM_UC_INTERMEDIATE)
		assert_true(i.bytes_stored > 0);
}

/* RUN's memrefs: the input from the window's start, the output from
 * the next multiple of 64 bytes. */
static uint64_t run_output_va(const struct sz_verify_outcome *o)
{
	uint64_t end = o->window_va + digits.needs.input_bytes;
	return (end + 63) / 64 * 64;
}

static void test_read_past_layer_input(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	expect_stop("broken_read_past_layer", &o, SIM_UC_UNMAPPED, SZ_CMD_RUN,
		    MAXPOOL_LAYER);
	assert_string_equal(o.violation.area, "unmapped");
	assert_string_equal(o.violation.function, "__wrap_tl_maxpool");
	/* 64 MiB past an input in the heap: beyond every area */
	assert_true(o.violation.addr > MM_TA_VA_START + (64u << 20));
	sz_verify_outcome_free(&o);
}

static void test_read_past_shared_input(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	/* the first copy is OPEN_MODEL's header, 64 bytes */
	expect_stop("broken_read_past_input", &o, SIM_UC_SHM_READ,
		    SZ_CMD_OPEN_MODEL, SIM_UC_OUTSIDE_LAYERS);
	assert_string_equal(o.violation.area, "shm");
	assert_int_equal(o.violation.addr, o.window_va + SZ_HEADER_BYTES);
	assert_string_equal(o.violation.function, "__wrap_sz_take_exact");
	sz_verify_outcome_free(&o);
}

static void test_double_fetch(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	expect_stop("broken_double_fetch", &o, SIM_UC_DOUBLE_FETCH,
		    SZ_CMD_OPEN_MODEL, SIM_UC_OUTSIDE_LAYERS);
	assert_int_equal(o.violation.addr, o.window_va);
	assert_string_equal(o.violation.function, "__wrap_sz_take_exact");
	sz_verify_outcome_free(&o);
}

static void test_intermediate_into_shared_input(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	expect_stop("broken_shm_write", &o, SIM_UC_SHM_WRITE, SZ_CMD_RUN,
		    MAXPOOL_LAYER);
	assert_int_equal(o.violation.addr, o.window_va);
	assert_string_equal(o.violation.function, "__wrap_tl_maxpool");
	sz_verify_outcome_free(&o);
}

static void test_scratch_before_output(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	expect_stop("broken_output_twice", &o, SIM_UC_INTERMEDIATE, SZ_CMD_RUN,
		    SIM_UC_OUTSIDE_LAYERS);
	assert_int_equal(o.violation.addr, run_output_va(&o));
	sz_verify_outcome_free(&o);
}

static void test_jump_into_data(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	expect_stop("broken_jump_to_data", &o, SIM_UC_NOT_CODE, SZ_CMD_RUN,
		    SOFTMAX_LAYER);
	/* the softmax's input lies in the arena, in the data area */
	assert_string_equal(o.violation.area, "data");
	assert_int_equal(o.violation.addr, o.violation.pc);
	sz_verify_outcome_free(&o);
}

static void test_first_differing_layer_named(void **state)
{
	(void)state;
	struct sz_verify_outcome o;
	run("broken_wrong_value", TL_MODE_STRICT, &o);
	assert_int_equal(o.violation.stop, SIM_UC_RAN);
	assert_int_equal(o.result, TEE_SUCCESS);
	assert_false(o.identical);
	assert_int_equal(o.first_layer_differs, MAXPOOL_LAYER);
	sz_verify_outcome_free(&o);
}

/* OP-TEE refuses a TA whose tables its page-table cache can not hold
 * ("alloc_pgt: page tables not available", #5928): so does the runner,
 * before running anything. A TA with a 4 MiB heap (#6393's size) spans
 * three 2 MiB windows of its address space: a cache of two refuses it,
 * the plan's cache runs it. */
static void test_page_table_cache_too_small(void **state)
{
	(void)state;
	struct mm_plan big_heap = digits.plan;
	big_heap.ta_data_size = 4u << 20;
	struct sz_verify_job job =
		uc_fixture_job(&digits, "smartzone_ta", TL_MODE_STRICT);
	job.plan = &big_heap;
	struct sz_verify_outcome o;
	char err[512];
	assert_int_equal(sz_verify_model(&job, &o, err, sizeof err), 0);
	assert_true(o.identical);
	sz_verify_outcome_free(&o);
	big_heap.pgt_cache_size = 2;
	assert_int_equal(sz_verify_model(&job, &o, err, sizeof err), -1);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "alloc_pgt: page tables not available"));
	sz_verify_outcome_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_guest_holds_and_matches),
		cmocka_unit_test(test_fast_mode_within_tolerance),
		cmocka_unit_test(test_read_past_layer_input),
		cmocka_unit_test(test_read_past_shared_input),
		cmocka_unit_test(test_double_fetch),
		cmocka_unit_test(test_intermediate_into_shared_input),
		cmocka_unit_test(test_scratch_before_output),
		cmocka_unit_test(test_jump_into_data),
		cmocka_unit_test(test_first_differing_layer_named),
		cmocka_unit_test(test_page_table_cache_too_small),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
