/*
 * tl_run on the small model: it computes what the reference computes,
 * stays inside the planned arena (a canary past its end survives), does
 * not depend on what the arena held before, and refuses an arena that is
 * too small or misaligned and a plan made for another model; run a layer
 * at a time, it gives the same bits. tl_arena_alloc's arenas start on a
 * cache line, and an arena off one gives the same bits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reference_model.h"
#include "small_model.h"
#include "tl_arena.h"
#include "tl_engine.h"

struct fixture {
	uint8_t *blob;
	struct tl_model model;
	struct tl_plan plan;
	float input[3 * 8 * 8];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	size_t size;
	struct tl_model_error err;
	f->blob = small_model(&size);
	assert_non_null(f->blob);
	assert_int_equal(tl_model_open(f->blob, size, &f->model, &err), TL_OK);
	assert_int_equal(tl_plan(&f->model, &f->plan), TL_OK);
	for (int i = 0; i < 3 * 8 * 8; i++)
		f->input[i] = (float)(i % 13) / 13.0f - 0.3f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	free(f->blob);
	free(f);
	return 0;
}

/* An arena of the planned size plus a canary, filled with `garbage`. */
static uint8_t *arena_with_canary(const struct fixture *f, uint8_t garbage)
{
	size_t n = f->plan.arena_size;
	uint8_t *a = aligned_alloc(TL_ALIGN, (n + 64 + 15) / 16 * 16);
	memset(a, garbage, n);
	memset(a + n, 0xa5, 64);
	return a;
}

static void test_matches_reference_inside_the_arena(void **state)
{
	struct fixture *f = *state;
	float out[10], again[10];
	uint8_t *a = arena_with_canary(f, 0xff); /* NaN patterns */
	uint8_t *b = arena_with_canary(f, 0x00);
	assert_int_equal(tl_run(&f->model, &f->plan, a, f->plan.arena_size,
				f->input, out, TL_MODE_STRICT), TL_OK);
	assert_int_equal(tl_run(&f->model, &f->plan, b, f->plan.arena_size,
				f->input, again, TL_MODE_STRICT), TL_OK);
	assert_memory_equal(out, again, sizeof out);
	for (int i = 0; i < 64; i++)
		assert_int_equal(a[f->plan.arena_size + i], 0xa5);
	float *ref = reference_run(&f->model, f->input);
	double sum = 0;
	for (int i = 0; i < 10; i++) {
		assert_true(fabs(out[i] - ref[i]) <= 1e-6);
		sum += out[i];
	}
	assert_true(fabs(sum - 1.0) <= 1e-6); /* the softmax */
	free(ref);
	free(a);
	free(b);
}

static void test_refuses_bad_arena_or_plan(void **state)
{
	struct fixture *f = *state;
	float out[10];
	uint8_t *a = arena_with_canary(f, 0);
	size_t n = f->plan.arena_size;
	assert_int_equal(tl_run(&f->model, &f->plan, a, n - 1, f->input, out,
				TL_MODE_FAST), TL_E_ARENA);
	assert_int_equal(tl_run(&f->model, &f->plan, a + 4, n, f->input, out,
				TL_MODE_FAST), TL_E_ARENA);
	assert_int_equal(tl_run(&f->model, &f->plan, NULL, n, f->input, out,
				TL_MODE_FAST), TL_E_ARENA);
	f->plan.layer_count++;
	assert_int_equal(tl_run(&f->model, &f->plan, a, n, f->input, out,
				TL_MODE_FAST), TL_E_ARGUMENT);
	f->plan.layer_count--;
	free(a);
}

/* Infinite inputs of both signs make inf - inf in the convolution: x86-64
 * and AArch64 give that NaN other signs, and the output must not show it
 * (the same bits on the host and the board). */
static void test_nans_leave_as_one_nan(void **state)
{
	struct fixture *f = *state;
	float in[3 * 8 * 8], out[10];
	for (int i = 0; i < 3 * 8 * 8; i++)
		in[i] = i % 2 ? INFINITY : -INFINITY;
	uint8_t *a = arena_with_canary(f, 0);
	for (int mode = 0; mode < 2; mode++) {
		assert_int_equal(tl_run(&f->model, &f->plan, a,
					f->plan.arena_size, in, out,
					mode ? TL_MODE_FAST : TL_MODE_STRICT),
				 TL_OK);
		for (int i = 0; i < 10; i++) {
			uint32_t bits;
			memcpy(&bits, &out[i], sizeof bits);
			assert_int_equal(bits, 0x7fc00000u);
		}
	}
	free(a);
}

/* Whole cache lines from tl_arena_alloc, every byte asked for writable
 * (ASan's builds see an overrun), NULL where the rounding would wrap. */
static void test_arena_alloc_on_a_cache_line(void **state)
{
	struct fixture *f = *state;
	size_t sizes[] = { 0, 1, 15, 63, 64, 65, 100000, f->plan.arena_size };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		uint8_t *a = tl_arena_alloc(sizes[i]);
		assert_non_null(a);
		assert_int_equal((uintptr_t)a % TL_ARENA_FAST_ALIGN, 0);
		memset(a, 0x5a, sizes[i] ? sizes[i] : 1);
		free(a);
	}
	assert_null(tl_arena_alloc(SIZE_MAX));
	assert_null(tl_arena_alloc(SIZE_MAX - TL_ARENA_FAST_ALIGN + 1));
}

/* The kernels' vector loads and stores take any TL_ALIGN offset from a
 * line: the same bits in both modes. */
static void test_same_bits_off_a_cache_line(void **state)
{
	struct fixture *f = *state;
	size_t n = f->plan.arena_size;
	uint8_t *a = tl_arena_alloc(n + TL_ARENA_FAST_ALIGN);
	assert_non_null(a);
	for (int mode = 0; mode < 2; mode++) {
		enum tl_mode m = mode ? TL_MODE_FAST : TL_MODE_STRICT;
		float on_line[10], off_line[10];
		assert_int_equal(tl_run(&f->model, &f->plan, a, n, f->input,
					on_line, m), TL_OK);
		for (size_t off = TL_ALIGN; off < TL_ARENA_FAST_ALIGN;
		     off += TL_ALIGN) {
			memset(a, 0xff, n + TL_ARENA_FAST_ALIGN);
			assert_int_equal(tl_run(&f->model, &f->plan, a + off,
						n, f->input, off_line, m),
					 TL_OK);
			assert_memory_equal(on_line, off_line, sizeof on_line);
		}
	}
	free(a);
}

/* tl_run_start, tl_run_layer for each layer in turn, tl_run_finish: the
 * same bits as tl_run in both modes, from arenas that held other bytes;
 * and tl_run_start refuses what tl_run refuses. */
static void test_layer_at_a_time_is_tl_run(void **state)
{
	struct fixture *f = *state;
	float whole[10], stepped[10];
	uint8_t *a = arena_with_canary(f, 0x00), *b = arena_with_canary(f, 0x7f);
	for (int mode = 0; mode < 2; mode++) {
		enum tl_mode m = mode ? TL_MODE_FAST : TL_MODE_STRICT;
		assert_int_equal(tl_run(&f->model, &f->plan, a,
					f->plan.arena_size, f->input, whole, m),
				 TL_OK);
		assert_int_equal(tl_run_start(&f->model, &f->plan, b,
					      f->plan.arena_size, f->input),
				 TL_OK);
		assert_true(f->model.layer_count > 1);
		for (uint32_t i = 0; i < f->model.layer_count; i++)
			tl_run_layer(&f->model, &f->plan, b, i, m);
		memset(stepped, 0xff, sizeof stepped);
		tl_run_finish(&f->model, &f->plan, b, stepped);
		assert_memory_equal(whole, stepped, sizeof whole);
	}
	for (int i = 0; i < 64; i++)
		assert_int_equal(b[f->plan.arena_size + i], 0xa5);
	assert_int_equal(tl_run_start(&f->model, &f->plan, b,
				      f->plan.arena_size - 1, f->input),
			 TL_E_ARENA);
	assert_int_equal(tl_run_start(&f->model, &f->plan, b + 4,
				      f->plan.arena_size, f->input),
			 TL_E_ARENA);
	f->plan.tensor_count++;
	assert_int_equal(tl_run_start(&f->model, &f->plan, b,
				      f->plan.arena_size, f->input),
			 TL_E_ARGUMENT);
	f->plan.tensor_count--;
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_reference_inside_the_arena),
		cmocka_unit_test(test_refuses_bad_arena_or_plan),
		cmocka_unit_test(test_nans_leave_as_one_nan),
		cmocka_unit_test(test_layer_at_a_time_is_tl_run),
		cmocka_unit_test(test_arena_alloc_on_a_cache_line),
		cmocka_unit_test(test_same_bits_off_a_cache_line),
	};
	return cmocka_run_group_tests_name("tinylib_run", tests, setup, teardown);
}
