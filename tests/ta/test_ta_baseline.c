/*
 * The baseline's commands (smartzone_ta.h): the digits model cut into two
 * steps, each its own .tlm, streamed through the TA with the activation
 * held between them (HOLD_INPUT, then per step OPEN_MODEL, LOAD_CHUNK,
 * RUN_HELD, CLOSE_MODEL, then TAKE_OUTPUT), gives the whole model's
 * output bit for bit; what those commands refuse; and the held
 * activation out of the way of the next step's model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ta_client.h"

struct fixture {
	struct tmodel whole, step[2];
	struct tsession t;
	uint64_t session_heap;
};

static int up(void **state)
{
	if (sim_fixture_up(state))
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	tmodel_digits(&f->whole);
	uint32_t cut = 3, n = f->whole.m.layer_count;	/* after a maxpool */
	tmodel_step(&f->whole, 0, cut, &f->step[0]);
	tmodel_step(&f->whole, cut, n, &f->step[1]);
	f->session_heap = ts_open_bare(&f->t, &sz_uuid);
	*state = f;
	return 0;
}

static int down(void **state)
{
	struct fixture *f = *state;
	ts_close(&f->t);
	tmodel_free(&f->whole);
	tmodel_free(&f->step[0]);
	tmodel_free(&f->step[1]);
	free(f);
	return sim_fixture_down(state);
}

static void test_two_steps_give_the_whole_model(void **state)
{
	struct fixture *f = *state;
	size_t n_out = f->whole.n_out * sizeof(float);
	float *want = malloc(n_out), *got = malloc(n_out);
	int modes = getenv("TL_TEST_QUICK") ? 1 : 2;
	for (int mode = 0; mode < modes; mode++) {
		tmodel_reference(&f->whole, f->whole.input, want,
				 (enum tl_mode)mode);
		assert_int_equal(ts_hold(&f->t, f->whole.input,
				      f->whole.n_in * sizeof(float)),
				 TEEC_SUCCESS);
		for (int s = 0; s < 2; s++) {
			assert_int_equal(ts_load(&f->t, &f->step[s], 4096),
					 TEEC_SUCCESS);
			assert_int_equal(ts_run_held(&f->t, (uint32_t)mode),
					 TEEC_SUCCESS);
			assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
		}
		size_t n = n_out - 1;
		assert_int_equal(ts_take(&f->t, got, &n), TEEC_ERROR_SHORT_BUFFER);
		assert_int_equal(n, n_out);
		assert_int_equal(ts_take(&f->t, got, &n), TEEC_SUCCESS);
		assert_int_equal(n, n_out);
		assert_memory_equal(got, want, n_out);
		assert_int_equal(ts_take(&f->t, got, &n), TEEC_ERROR_BAD_STATE);
	}
	struct sz_report r;
	ts_report(&f->t, &r);
	assert_int_equal(r.heap_used, f->session_heap);
	assert_int_equal(sim_violation_count(), 0);
	free(want);
	free(got);
}

static void test_held_refusals(void **state)
{
	struct fixture *f = *state;
	float x[3] = { 1, 2, 3 };
	assert_int_equal(ts_hold(&f->t, x, 5), TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ts_hold(&f->t, NULL, 0), TEEC_ERROR_BAD_PARAMETERS);
	/* held, but not what the loaded step takes */
	assert_int_equal(ts_hold(&f->t, x, sizeof x), TEEC_SUCCESS);
	assert_int_equal(ts_run_held(&f->t, SZ_MODE_STRICT), TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_load(&f->t, &f->step[0], 4096), TEEC_SUCCESS);
	assert_int_equal(ts_run_held(&f->t, SZ_MODE_STRICT), TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_run_held(&f->t, 7), TEEC_ERROR_BAD_PARAMETERS);
	/* replaced by the right one: the step runs */
	assert_int_equal(ts_hold(&f->t, f->whole.input,
			      f->whole.n_in * sizeof(float)), TEEC_SUCCESS);
	assert_int_equal(ts_run_held(&f->t, SZ_MODE_STRICT), TEEC_SUCCESS);
	/* the step's output is now held: not its input */
	assert_int_equal(ts_run_held(&f->t, SZ_MODE_STRICT), TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	struct sz_report r;
	ts_report(&f->t, &r);
	assert_true(r.heap_used > f->session_heap);	/* it stays held */
	assert_int_equal(sim_violation_count(), 0);
}

/* After a step's CLOSE_MODEL the held activation is out of the way: a
 * model nearly as large as all the free heap opens (OPEN_MODEL takes it
 * in one block), which it would not if the activation, written while the
 * step was loaded, still cut the free heap in two. */
static void test_close_leaves_the_heap_in_one_piece(void **state)
{
	struct fixture *f = *state;
	struct tmodel *step = &f->step[0];
	assert_int_equal(ts_hold(&f->t, f->whole.input,
			      f->whole.n_in * sizeof(float)), TEEC_SUCCESS);
	assert_int_equal(ts_load(&f->t, step, 4096), TEEC_SUCCESS);
	assert_int_equal(ts_run_held(&f->t, SZ_MODE_STRICT), TEEC_SUCCESS);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	struct sz_report r;
	ts_report(&f->t, &r);
	/* all that is free but the plan struct, the arena and 8 KiB (the
	 * TA's reserve and the blocks' headers) */
	uint32_t arena = 16;
	uint32_t size = (uint32_t)(r.heap_size - r.heap_used - 8192 -
				   sizeof(struct tl_plan) - arena);
	uint8_t h[SZ_HEADER_BYTES];
	memcpy(h, step->blob, sizeof h);
	memcpy(h + 16, &size, 4);			/* its file size */
	assert_int_equal(ts_open_model(&f->t, size, 0, h, sizeof h, arena),
			 TEEC_SUCCESS);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	assert_int_equal(sim_violation_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_two_steps_give_the_whole_model, up, down),
		cmocka_unit_test_setup_teardown(test_held_refusals, up, down),
		cmocka_unit_test_setup_teardown(
			test_close_leaves_the_heap_in_one_piece, up, down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
