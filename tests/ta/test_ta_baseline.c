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
#include "tl_tlm_builder.h"

/* A tensor of m copied into b; returns its id there. */
static uint32_t copy_tensor(struct tl_tlm_builder *b, const struct tl_model *m,
			    uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t.kind == TL_TENSOR_PARAMETER
		       ? tl_tlm_add_parameter(b, t.data, t.c, t.h, t.w)
		       : tl_tlm_add_activation(b, t.c, t.h, t.w);
}

/* Layers [first, end) of a sequential model as a model of their own,
 * whose input is the first layer's input. */
static void step_model(const struct tmodel *m, uint32_t first, uint32_t end,
		       struct tmodel *step)
{
	const struct tl_model *tm = &m->m;
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t *map = malloc(tm->tensor_count * sizeof *map);
	memset(map, 0xFF, tm->tensor_count * sizeof *map);	/* TL_NONE */
	struct tl_layer l;
	tl_model_layer(tm, first, &l);
	uint32_t in = l.inputs[0], out = in;
	map[in] = copy_tensor(&b, tm, in);
	for (uint32_t k = first; k < end; k++) {
		tl_model_layer(tm, k, &l);
		for (int i = 0; i < l.n_inputs; i++) {
			assert_int_not_equal(map[l.inputs[i]], TL_NONE);
			l.inputs[i] = map[l.inputs[i]];
		}
		if (l.weights != TL_NONE)
			l.weights = copy_tensor(&b, tm, l.weights);
		if (l.bias != TL_NONE)
			l.bias = copy_tensor(&b, tm, l.bias);
		out = l.output;
		l.output = map[out] = copy_tensor(&b, tm, out);
		assert_int_equal(tl_tlm_add_layer(&b, &l), 0);
	}
	tl_tlm_set_io(&b, map[in], map[out]);
	uint8_t *blob;
	size_t size;
	assert_int_equal(tl_tlm_finish(&b, &blob, &size), 0);
	tl_tlm_builder_free(&b);
	free(map);
	uint8_t *aligned = aligned_alloc(16, (size + 15) / 16 * 16);
	memcpy(aligned, blob, size);
	free(blob);
	tmodel_blob(step, "step", aligned, size);
}

static TEEC_Result hold(struct tsession *t, const void *in, size_t n)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)in;
	op.params[0].tmpref.size = n;
	return ts_invoke(t, SZ_CMD_HOLD_INPUT, &op);
}

static TEEC_Result run_held(struct tsession *t, uint32_t mode)
{
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
				  TEEC_NONE);
	op.params[0].value.a = mode;
	return ts_invoke(t, SZ_CMD_RUN_HELD, &op);
}

static TEEC_Result take(struct tsession *t, void *out, size_t *n)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = *n;
	TEEC_Result r = ts_invoke(t, SZ_CMD_TAKE_OUTPUT, &op);
	*n = op.params[0].tmpref.size;
	return r;
}

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
	step_model(&f->whole, 0, cut, &f->step[0]);
	step_model(&f->whole, cut, n, &f->step[1]);
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
		assert_int_equal(hold(&f->t, f->whole.input,
				      f->whole.n_in * sizeof(float)),
				 TEEC_SUCCESS);
		for (int s = 0; s < 2; s++) {
			assert_int_equal(ts_load(&f->t, &f->step[s], 4096),
					 TEEC_SUCCESS);
			assert_int_equal(run_held(&f->t, (uint32_t)mode),
					 TEEC_SUCCESS);
			assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
		}
		size_t n = n_out - 1;
		assert_int_equal(take(&f->t, got, &n), TEEC_ERROR_SHORT_BUFFER);
		assert_int_equal(n, n_out);
		assert_int_equal(take(&f->t, got, &n), TEEC_SUCCESS);
		assert_int_equal(n, n_out);
		assert_memory_equal(got, want, n_out);
		assert_int_equal(take(&f->t, got, &n), TEEC_ERROR_BAD_STATE);
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
	assert_int_equal(hold(&f->t, x, 5), TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(hold(&f->t, NULL, 0), TEEC_ERROR_BAD_PARAMETERS);
	/* held, but not what the loaded step takes */
	assert_int_equal(hold(&f->t, x, sizeof x), TEEC_SUCCESS);
	assert_int_equal(run_held(&f->t, SZ_MODE_STRICT), TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_load(&f->t, &f->step[0], 4096), TEEC_SUCCESS);
	assert_int_equal(run_held(&f->t, SZ_MODE_STRICT), TEEC_ERROR_BAD_STATE);
	assert_int_equal(run_held(&f->t, 7), TEEC_ERROR_BAD_PARAMETERS);
	/* replaced by the right one: the step runs */
	assert_int_equal(hold(&f->t, f->whole.input,
			      f->whole.n_in * sizeof(float)), TEEC_SUCCESS);
	assert_int_equal(run_held(&f->t, SZ_MODE_STRICT), TEEC_SUCCESS);
	/* the step's output is now held: not its input */
	assert_int_equal(run_held(&f->t, SZ_MODE_STRICT), TEEC_ERROR_BAD_STATE);
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
	assert_int_equal(hold(&f->t, f->whole.input,
			      f->whole.n_in * sizeof(float)), TEEC_SUCCESS);
	assert_int_equal(ts_load(&f->t, step, 4096), TEEC_SUCCESS);
	assert_int_equal(run_held(&f->t, SZ_MODE_STRICT), TEEC_SUCCESS);
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
