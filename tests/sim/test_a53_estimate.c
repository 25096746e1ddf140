/*
 * The Cortex-A53 estimate (sim_a53.h). Every expected figure is worked
 * out by hand in the comments from the costs docs/cost-model.md lists
 * (INT and BRANCH 0.5 a cycle; MUL, LOAD, STORE, FP and SIMD ops,
 * SYSTEM, OTHER 1; a 128-bit FP/SIMD op 1 more; the load/store pipe
 * moves 16 bytes loaded or 32 stored a cycle), not by calling the code
 * again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm_platform.h"
#include "sim_a53.h"

#define EPS 1e-9

/* One iteration of a 4x4 FP32 GEMM micro-kernel as GCC builds S-Tinylib's
 * fast kernel: LDR q0 and q1 (16 bytes each), four FMLA .4S, ADD, SUBS
 * and B.NE. */
static struct sim_insn_mix gemm_iteration(void)
{
	struct sim_insn_mix m = { { 0 }, 0, 0, 0, 0 };

	m.count[SIM_INSN_LOAD] = 2;
	m.bytes_loaded = 32;
	m.count[SIM_INSN_SIMD_FMA] = 4;
	m.flops_lanes = 16;
	m.q128_ops = 4;
	m.count[SIM_INSN_INT] = 2;
	m.count[SIM_INSN_BRANCH] = 1;
	return m;
}

static void test_gemm_iteration(void **state)
{
	struct sim_insn_mix m = gemm_iteration();

	(void)state;
	/* loads 2 x 1 = 2; FMLA 4 x 1 = 4, plus 4 x 1 for Q = 8; INT
	 * 2 x 0.5 = 1; branch 0.5. Memory: 32 B / 16 = 2 cycles, the two
	 * loads already have 2: 0. Total 2 + 8 + 1 + 0.5 = 11.5. */
	assert_true(fabs(sim_a53_cycles(&m) - 11.5) < EPS);
}

static void test_wide_vector_load_and_store(void **state)
{
	struct sim_insn_mix m = { { 0 }, 0, 0, 0, 0 };

	(void)state;
	/* LD1 {v0.4s-v3.4s}: 1 load of 64 B. The pipe needs 64 / 16 = 4
	 * cycles; 1 is the load's own, memory 3: 4 in all, LLVM's
	 * A53WriteVLD4 for LD1Fourv. */
	m.count[SIM_INSN_LOAD] = 1;
	m.bytes_loaded = 64;
	assert_true(fabs(sim_a53_cycles(&m) - 4.0) < EPS);
	/* Plus ST1 {v0.4s-v3.4s}: 1 store of 64 B, 64 / 32 = 2 cycles.
	 * Need 4 + 2 = 6, have 2 (one load, one store): memory 4, total
	 * 1 + 1 + 4 = 6. */
	m.count[SIM_INSN_STORE] = 1;
	m.bytes_stored = 64;
	assert_true(fabs(sim_a53_cycles(&m) - 6.0) < EPS);
}

static void test_scalar_and_single_issue(void **state)
{
	struct sim_insn_mix m = { { 0 }, 0, 0, 0, 0 };
	struct sim_a53_breakdown b;

	(void)state;
	/* 1000 FADD s + 1000 FMADD s + 500 MUL + 100 SYSTEM + 10 OTHER,
	 * one cycle each: 2610. 40 STR w of 4 B: 40 cycles, 160 / 32 = 5
	 * cycles of bandwidth, no memory term: 2650. */
	m.count[SIM_INSN_FP_SCALAR] = 1000;
	m.count[SIM_INSN_FP_FMA] = 1000;
	m.count[SIM_INSN_MUL] = 500;
	m.count[SIM_INSN_SYSTEM] = 100;
	m.count[SIM_INSN_OTHER] = 10;
	m.count[SIM_INSN_STORE] = 40;
	m.bytes_stored = 160;
	sim_a53_breakdown(&m, &b);
	assert_true(fabs(b.cls[SIM_INSN_MUL] - 500.0) < EPS);
	assert_true(fabs(b.memory) < EPS);
	assert_true(fabs(b.q128) < EPS);
	assert_true(fabs(b.total - 2650.0) < EPS);
}

/* Every class costs at least half a cycle, so the estimate never beats
 * the dual-issue bound of instructions / 2. */
static void test_never_below_dual_issue(void **state)
{
	(void)state;
	srand(13);
	for (int k = 0; k < 1000; k++) {
		struct sim_insn_mix m = { { 0 }, 0, 0, 0, 0 };
		uint64_t n = 0;
		for (int c = 0; c < SIM_INSN_CLASSES; c++) {
			m.count[c] = (uint64_t)(rand() % 100);
			n += m.count[c];
		}
		m.bytes_loaded = (uint64_t)(rand() % 4000);
		assert_true(sim_a53_cycles(&m) >= (double)n / 2.0);
	}
}

static void test_seconds_at_the_platform_clock(void **state)
{
	struct mm_platform p;
	char err[256];
	int line;
	struct sim_insn_mix m = gemm_iteration();

	(void)state;
	assert_int_equal(mm_platform_load(MM_PLATFORM_DIR "/rpi3bplus.conf",
					  &p, err, sizeof err, &line), 0);
	assert_int_equal(p.cost.core_mhz, 1400);
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		m.count[c] *= 1000000;
	m.bytes_loaded *= 1000000;
	m.q128_ops *= 1000000;
	/* 1e6 iterations x 11.5 cycles / 1.4e9 Hz = 8.2142857 ms. */
	assert_true(fabs(sim_a53_seconds(&m, (double)p.cost.core_mhz) -
			 11.5e6 / 1.4e9) < 1e-12);
	assert_true(sim_a53_seconds(&m, 0.0) == 0.0);
}

static void test_empty_mix(void **state)
{
	struct sim_insn_mix m = { { 0 }, 0, 0, 0, 0 };

	(void)state;
	assert_true(sim_a53_cycles(&m) == 0.0);
}

static void test_print(void **state)
{
	struct sim_insn_mix m = gemm_iteration();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(sim_a53_print(f, &m), 0);
	fclose(f);
	/* The FMLA row: 4 at 1.00 a cycle; the Q extra: 4 more; total. */
	assert_non_null(strstr(text, "simd-fma"));
	assert_non_null(strstr(text, "4.0"));
	assert_non_null(strstr(text, "q128-extra"));
	assert_non_null(strstr(text, "11.5"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gemm_iteration),
		cmocka_unit_test(test_wide_vector_load_and_store),
		cmocka_unit_test(test_scalar_and_single_issue),
		cmocka_unit_test(test_never_below_dual_issue),
		cmocka_unit_test(test_seconds_at_the_platform_clock),
		cmocka_unit_test(test_empty_mix),
		cmocka_unit_test(test_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
