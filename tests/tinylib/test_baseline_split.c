/*
 * The baseline's splitter (tl_baseline.h): every step fits the budget, the
 * steps cover every layer once and in order with the model's own layers
 * and weights, boundaries fall only where one activation crosses, and the
 * steps run one after the other give the whole model's output to the bit
 * (strict mode: the same kernels on the same values). Refusals name the
 * layer and the bytes.
 * TL_TEST_QUICK=1 (qemu, valgrind) leaves out MobileNet v1, ResNet-18 and
 * the Darknet reference model; tiny and the hand-built models stay.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tl_baseline.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"
#include "tl_tlm_builder.h"
#include "tl_tlm_by_16.h"
#include "tlm_runner.h"

#define MIB (1024 * 1024)
/* What a step may take of the RPi3's default TA heap with today's TA
 * sizes (tools/smartzone computes it from the platform file and
 * model_needs.h; docs/compare.md): 7.70 MiB. */
#define RPI3_BUDGET (0x7b5000 - 0x1000)

static bool quick(void)
{
	return getenv("TL_TEST_QUICK") != NULL;
}

static uint8_t *convert(const char *name, size_t *size)
{
	char path[256], err[256];
	uint8_t *blob;
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	if (tl_darknet_convert_files(path, NULL, 1, &blob, size, err,
				     sizeof err))
		fail_msg("%s", err);
	return blob;
}

static void split_ok(const uint8_t *blob, size_t size, size_t budget,
		     struct tl_baseline *b)
{
	char err[512];
	if (tl_baseline_split(blob, size, budget, b, err, sizeof err))
		fail_msg("split at %zu bytes: %s", budget, err);
}

/* Step layer i against the model's layer k: the same type, activation,
 * parameters, and weights and bias with the same bytes. */
static void same_layer(const struct tl_model *m, uint32_t k,
		       const struct tl_model *sm, uint32_t i)
{
	struct tl_layer a, b;
	tl_model_layer(m, k, &a);
	tl_model_layer(sm, i, &b);
	assert_int_equal(a.type, b.type);
	assert_int_equal(a.activation, b.activation);
	assert_int_equal(a.n_inputs, b.n_inputs);
	assert_memory_equal(a.params, b.params, sizeof a.params);
	uint32_t pa[2] = { a.weights, a.bias }, pb[2] = { b.weights, b.bias };
	for (int j = 0; j < 2; j++) {
		assert_int_equal(pa[j] == TL_NONE, pb[j] == TL_NONE);
		if (pa[j] == TL_NONE)
			continue;
		struct tl_tensor ta, tb;
		tl_model_tensor(m, pa[j], &ta);
		tl_model_tensor(sm, pb[j], &tb);
		assert_int_equal(ta.elements, tb.elements);
		assert_memory_equal(ta.data, tb.data,
				    ta.elements * sizeof(float));
	}
}

/* Every step: within budget, its figures recomputed from its own file,
 * its layers the model's; together: every layer once, in order. */
static void check_steps(const uint8_t *blob, size_t size,
			const struct tl_baseline *b)
{
	struct tl_model m, sm;
	struct tl_model_error e;
	assert_int_equal(tl_model_open(blob, size, &m, &e), TL_OK);
	struct tl_plan *plan = malloc(sizeof *plan);
	assert_non_null(plan);
	uint32_t next = 0;
	uint64_t bytes = 0, macs = 0, model_macs = 0;
	for (size_t i = 0; i < b->n_steps; i++) {
		const struct tl_baseline_step *st = &b->steps[i];
		assert_int_equal(st->first, next);
		assert_true(st->count > 0);
		assert_true(st->need <= b->budget);
		assert_int_equal(tl_model_open(st->blob, st->size, &sm, &e),
				 TL_OK);
		assert_int_equal(sm.layer_count, st->count);
		assert_int_equal(tl_plan(&sm, plan), TL_OK);
		assert_int_equal(st->arena, plan->arena_size);
		assert_int_equal(st->in_bytes,
				 tl_model_input_elements(&sm) * sizeof(float));
		assert_int_equal(st->out_bytes,
				 tl_model_output_elements(&sm) * sizeof(float));
		assert_int_equal(st->need, tl_baseline_need(st->size, st->arena,
							    st->in_bytes,
							    st->out_bytes));
		for (uint32_t j = 0; j < st->count; j++)
			same_layer(&m, st->first + j, &sm, j);
		next += st->count;
		bytes += st->size;
		macs += st->macs;
	}
	for (uint32_t k = 0; k < m.layer_count; k++)
		model_macs += tl_baseline_layer_macs(&m, k);
	assert_int_equal(next, m.layer_count);
	assert_int_equal(bytes, b->bytes);
	assert_int_equal(macs, b->macs);
	assert_int_equal(macs, model_macs);
	assert_int_equal(b->in_elements, tl_model_input_elements(&m));
	assert_int_equal(b->out_elements, tl_model_output_elements(&m));
	free(plan);
}

static float *test_input(size_t n)
{
	float *x = malloc(n * sizeof *x);
	assert_non_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((i * 2654435761u) % 2001u) / 1000.0f - 1.0f;
	return x;
}

/* The steps chained on the host, strict mode, equal the whole model to
 * the bit. */
static void check_chained(uint8_t *blob, size_t size,
			  const struct tl_baseline *b)
{
	struct tlm_runner whole;
	uint8_t *copy = aligned_alloc(TL_ALIGN, (size + 15) / 16 * 16);
	assert_non_null(copy);
	memcpy(copy, blob, size);
	runner_open_blob(&whole, copy, size, "whole");
	float *x = test_input(whole.n_in);
	float *want = malloc(whole.n_out * sizeof *want);
	assert_non_null(want);
	runner_run(&whole, x, want, TL_MODE_STRICT);
	float *held = x;
	for (size_t i = 0; i < b->n_steps; i++) {
		struct tlm_runner r;
		uint8_t *sb = aligned_alloc(TL_ALIGN,
					    (b->steps[i].size + 15) / 16 * 16);
		assert_non_null(sb);
		memcpy(sb, b->steps[i].blob, b->steps[i].size);
		runner_open_blob(&r, sb, b->steps[i].size, "step");
		float *out = malloc(r.n_out * sizeof *out);
		assert_non_null(out);
		runner_run(&r, held, out, TL_MODE_STRICT);
		free(held);
		held = out;
		runner_close(&r);
	}
	assert_memory_equal(held, want, whole.n_out * sizeof *want);
	free(held);
	free(want);
	runner_close(&whole);
}

/* Splits, checks the steps and their chain; returns how many. */
static size_t split_checked(uint8_t *blob, size_t size, size_t budget)
{
	struct tl_baseline b;
	split_ok(blob, size, budget, &b);
	check_steps(blob, size, &b);
	check_chained(blob, size, &b);
	size_t n = b.n_steps;
	tl_baseline_free(&b);
	return n;
}

static void split_check_chain(const char *name, size_t budget,
			      size_t min_steps)
{
	size_t size;
	uint8_t *blob = convert(name, &size);
	assert_true(split_checked(blob, size, budget) >= min_steps);
	free(blob);
}

/* Tiny Darknet on the RPi3's default heap: two steps (layers 0..16 and
 * 17..21, docs/compare.md). */
static void test_tiny(void **state)
{
	(void)state;
	split_check_chain("tiny", RPI3_BUDGET, 2);
}

/* Weights by 16 (tl_tlm_by_16.h) stay so in the steps: the chain still
 * equals the whole model. */
static void test_weights_by_16(void **state)
{
	(void)state;
	size_t size;
	char err[256];
	uint8_t *blob = convert("tiny", &size);
	assert_int_equal(tl_tlm_store_by_16(blob, size, err, sizeof err), 7);
	assert_true(split_checked(blob, size, RPI3_BUDGET) >= 2);
	free(blob);
}

/* MobileNet v1 in four steps; ResNet-18, whose shortcuts span its
 * blocks, cut only between two (40 MiB: before layer 23). */
static void test_larger_models(void **state)
{
	(void)state;
	if (quick())
		skip();
	split_check_chain("mobilenet_v1", RPI3_BUDGET, 4);
	size_t size;
	uint8_t *blob = convert("resnet18", &size);
	struct tl_baseline b;
	split_ok(blob, size, 40 * MIB, &b);
	assert_int_equal(b.n_steps, 2);
	assert_int_equal(b.steps[1].first, 23);
	tl_baseline_free(&b);
	assert_int_equal(split_checked(blob, size, 40 * MIB), 2);
	free(blob);
}

/* A budget that holds the whole model gives one step, the model's own
 * layers; a step never exceeds the budget however tight. */
static void test_one_step_and_tight(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = convert("tiny", &size);
	struct tl_baseline b;
	split_ok(blob, size, 64 * MIB, &b);
	assert_int_equal(b.n_steps, 1);
	assert_int_equal(b.steps[0].count, 22);
	check_steps(blob, size, &b);
	tl_baseline_free(&b);
	/* 3 MiB: layer 0 alone needs 7.3 (3.1 MiB out, 0.6 in, its arena) */
	char err[512];
	assert_int_not_equal(tl_baseline_split(blob, size, 3 * MIB, &b, err,
					       sizeof err), 0);
	assert_non_null(strstr(err, "layer 0 (convolution) needs"));
	assert_int_equal(b.n_steps, 0);
	assert_null(b.steps);
	free(blob);
}

/*
 * input -> conv A -> conv B -> shortcut(B, A) -> conv C -> route(C, S)
 * -> softmax. Cuts: before 1 (A alone crosses), before 3 (the shortcut's
 * output S), never before 2 (A and B) or 4 (C and S), before 5.
 */
static const float *values(size_t n)
{
	static float v[4096];
	for (size_t i = 0; i < n; i++)
		v[i] = (float)((i * 7919u) % 1000u) / 1000.0f - 0.5f;
	return v;
}

static uint32_t add_conv(struct tl_tlm_builder *b, uint32_t in, uint32_t c,
			 uint32_t f)
{
	uint32_t out = tl_tlm_add_activation(b, f, 6, 6);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_CONV, TL_ACT_LEAKY, out);
	l.inputs[0] = in;
	l.n_inputs = 1;
	l.params[0] = 3, l.params[1] = 1, l.params[2] = 1, l.params[3] = 1;
	l.weights = tl_tlm_add_parameter(b, values(f * c * 9), f, 1, c * 9);
	l.bias = tl_tlm_add_parameter(b, values(f), f, 1, 1);
	tl_tlm_add_layer(b, &l);
	return out;
}

static uint8_t *branchy_model(size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t in = tl_tlm_add_activation(&b, 3, 6, 6);
	uint32_t a = add_conv(&b, in, 3, 8);
	uint32_t bb = add_conv(&b, a, 8, 8);
	uint32_t s = tl_tlm_add_activation(&b, 8, 6, 6);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_SHORTCUT, TL_ACT_LINEAR, s);
	l.inputs[0] = bb, l.inputs[1] = a, l.n_inputs = 2;
	l.params[0] = tl_tlm_float_param(1.0f);
	l.params[1] = tl_tlm_float_param(1.0f);
	tl_tlm_add_layer(&b, &l);
	uint32_t c = add_conv(&b, s, 8, 4);
	uint32_t r = tl_tlm_add_activation(&b, 12, 6, 6);
	l = tl_tlm_layer(TL_LAYER_ROUTE, TL_ACT_LINEAR, r);
	l.inputs[0] = c, l.inputs[1] = s, l.n_inputs = 2;
	tl_tlm_add_layer(&b, &l);
	uint32_t p = tl_tlm_add_activation(&b, 12, 6, 6);
	l = tl_tlm_layer(TL_LAYER_SOFTMAX, TL_ACT_LINEAR, p);
	l.inputs[0] = r, l.n_inputs = 1;
	tl_tlm_add_layer(&b, &l);
	tl_tlm_set_io(&b, in, p);
	uint8_t *blob;
	assert_int_equal(tl_tlm_finish(&b, &blob, size), 0);
	tl_tlm_builder_free(&b);
	return blob;
}

/* The smallest budget that splits it (to 16 bytes): boundaries only
 * where one activation crosses, [1, 2] and [3, 4] kept whole, and the
 * chain still equals the whole. Below it, refused, naming a branch. */
static void test_branches(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = branchy_model(&size);
	struct tl_baseline b;
	char err[512];
	size_t lo = sizeof(struct tl_plan), hi = MIB;	/* fails, splits */
	while (hi - lo > 16) {
		size_t mid = (lo + hi) / 2;
		bool ok = !tl_baseline_split(blob, size, mid, &b, err,
					     sizeof err);
		tl_baseline_free(&b);
		*(ok ? &hi : &lo) = mid;
	}
	size_t budget = hi;
	split_ok(blob, size, budget, &b);
	/* the cuts are before 1, 3 and 5 (not 2, 4), and the tightest
	 * budget uses the first two: [0], [1, 2], [3, ...] */
	assert_true(b.n_steps == 3 || b.n_steps == 4);
	for (size_t i = 0; i < b.n_steps; i++) {
		static const uint32_t first[] = { 0, 1, 3, 5 };
		assert_int_equal(b.steps[i].first, first[i]);
	}
	check_steps(blob, size, &b);
	check_chained(blob, size, &b);
	tl_baseline_free(&b);
	assert_int_not_equal(tl_baseline_split(blob, size, lo, &b,
					       err, sizeof err), 0);
	assert_non_null(strstr(err, "up to layer"));
	assert_non_null(strstr(err, "a branch spans them"));
	free(blob);
}

/* The Darknet reference model's layer 12 (1024 3x3 filters over 512
 * channels, 18 MiB of weights) does not fit the RPi3's default heap: the
 * baseline can not run it there, and says so with the numbers. */
static void test_refuses_big_layer(void **state)
{
	(void)state;
	if (quick())
		skip();
	size_t size;
	uint8_t *blob = convert("darknet", &size);
	struct tl_baseline b;
	char err[512];
	assert_int_not_equal(tl_baseline_split(blob, size, RPI3_BUDGET, &b,
					       err, sizeof err), 0);
	assert_non_null(strstr(err, "layer 12 (convolution) needs 18.25 MiB "
				    "of TA heap (model file 18.00"));
	assert_non_null(strstr(err, "more than the 7.70 MiB a step may "
				    "take"));
	assert_non_null(strstr(err, "inside a layer"));
	assert_int_equal(b.n_steps, 0);
	assert_true(b.refused_need > 18 * MIB && b.refused_need < 19 * MIB);
	/* with 19 MiB it splits, and the chain holds */
	assert_int_equal(split_checked(blob, size, 19 * MIB), 3);
	free(blob);
}

static void test_bad_model(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = branchy_model(&size);
	blob[20] ^= 1;	/* the CRC no longer holds */
	struct tl_baseline b;
	char err[512];
	assert_int_not_equal(tl_baseline_split(blob, size, 64 * MIB, &b, err,
					       sizeof err), 0);
	assert_non_null(strstr(err, "model"));
	assert_int_equal(b.n_steps, 0);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiny),
		cmocka_unit_test(test_weights_by_16),
		cmocka_unit_test(test_larger_models),
		cmocka_unit_test(test_one_step_and_tight),
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_refuses_big_layer),
		cmocka_unit_test(test_bad_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
