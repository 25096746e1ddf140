/*
 * Format 1.1's layers and activations in whole models: a model using all
 * of them (a squeeze-and-excitation gate, a channel shuffle, two slices,
 * a channels LayerNorm, eltwise with input, per-channel, constant and
 * full parameter operands, silu, hardsigmoid, gelu), built with
 * N-Tinylib's builder, opens, says minor 1, and runs in both modes close
 * to the double-precision reference; its strict output's digest is the
 * aarch64 build's too (digest_file.h). Then tl_model_open refuses each
 * way the new entries can be wrong, naming the field, and a minor-0 file
 * that uses a 1.1 type or activation; a 1.0 model still says minor 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reference_model.h"
#include "small_model.h"
#include "tl_engine.h"
#include "tl_tlm_builder.h"
#include "../digest_file.h"
#include "../generated/gen_random.h"

#define TOLERANCE 1e-4
#define N_LAYERS 15

/* The tensors an edit may name besides numbers: parameters of wrong
 * shapes (7 and (1, 8, 1) gammas, an (8, 2, 2) operand) and the SE
 * block's squeezed (4, 1, 1). */
enum { NONE = -1, GAMMA7 = -2, GAMMA_ROW = -3, B_SMALL = -4, SQUEEZED = -5 };

enum target { P0, P1, P2, ACT, TYPE, IN1, WEIGHTS, BIAS };

struct edit { int layer; enum target what; int32_t value; };

struct model_ids { uint32_t gamma7, gamma_row, b_small, squeezed; };

static uint32_t parameter(struct tl_tlm_builder *b, struct gen_rng *r,
			  uint32_t c, uint32_t h, uint32_t w, float lo, float hi)
{
	size_t n = (size_t)c * h * w;
	float *v = malloc(n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = gen_float(r, lo, hi);
	uint32_t id = tl_tlm_add_parameter(b, v, c, h, w);
	free(v);
	return id;
}

static struct tl_layer layer(enum tl_layer_type type, enum tl_activation act,
			     uint32_t out, uint32_t a, uint32_t b)
{
	struct tl_layer l = tl_tlm_layer(type, act, out);
	l.inputs[0] = a;
	l.inputs[1] = b;
	return l;
}

/* The SE block: conv (silu), avgpool, connected (relu), connected
 * (hardsigmoid), the gate times the conv's output. t[] gets the
 * activations 1..5. */
static void se_block(struct tl_tlm_builder *b, struct gen_rng *r,
		     struct tl_layer *L, uint32_t *t)
{
	t[1] = tl_tlm_add_activation(b, 16, 6, 6);
	t[2] = tl_tlm_add_activation(b, 16, 1, 1);
	t[3] = tl_tlm_add_activation(b, 4, 1, 1);
	t[4] = tl_tlm_add_activation(b, 16, 1, 1);
	t[5] = tl_tlm_add_activation(b, 16, 6, 6);
	L[0] = layer(TL_LAYER_CONV, TL_ACT_SILU, t[1], t[0], TL_NONE);
	L[0].params[0] = 3, L[0].params[1] = 1, L[0].params[2] = 1, L[0].params[3] = 1;
	L[0].weights = parameter(b, r, 16, 8 * 9, 1, -0.3f, 0.3f);
	L[0].bias = parameter(b, r, 16, 1, 1, -0.1f, 0.1f);
	L[1] = layer(TL_LAYER_AVGPOOL, TL_ACT_LINEAR, t[2], t[1], TL_NONE);
	L[2] = layer(TL_LAYER_CONNECTED, TL_ACT_RELU, t[3], t[2], TL_NONE);
	L[2].weights = parameter(b, r, 4, 16, 1, -1, 1);
	L[2].bias = parameter(b, r, 4, 1, 1, -0.1f, 0.1f);
	L[3] = layer(TL_LAYER_CONNECTED, TL_ACT_HARDSIGMOID, t[4], t[3], TL_NONE);
	L[3].weights = parameter(b, r, 16, 4, 1, -2, 2);
	L[3].bias = parameter(b, r, 16, 1, 1, -1, 1);
	L[4] = layer(TL_LAYER_ELTWISE, TL_ACT_LINEAR, t[5], t[1], t[4]);
	L[4].params[0] = TL_ELT_MUL;
}

/* Shuffle, slices, layernorm, eltwise by parameters, route, conv. */
static void tail(struct tl_tlm_builder *b, struct gen_rng *r,
		 struct tl_layer *L, uint32_t *t)
{
	static const uint32_t c[16] = { 0, 0, 0, 0, 0, 0, 16, 8, 4, 8, 8, 8, 8,
					8, 12, 5 };
	for (int i = 6; i < 16; i++)
		t[i] = tl_tlm_add_activation(b, c[i], 6, 6);
	L[5] = layer(TL_LAYER_SHUFFLE, TL_ACT_LINEAR, t[6], t[5], TL_NONE);
	L[5].params[0] = 4;
	L[6] = layer(TL_LAYER_SLICE, TL_ACT_LINEAR, t[7], t[6], TL_NONE);
	L[6].params[0] = 4, L[6].params[1] = 8;
	L[7] = layer(TL_LAYER_SLICE, TL_ACT_LINEAR, t[8], t[6], TL_NONE);
	L[7].params[0] = 12, L[7].params[1] = 4;
	L[8] = layer(TL_LAYER_LAYERNORM, TL_ACT_LINEAR, t[9], t[7], TL_NONE);
	L[8].params[0] = tl_tlm_float_param(1e-6f);
	L[8].weights = parameter(b, r, 8, 1, 1, 0.5f, 1.5f);
	L[8].bias = parameter(b, r, 8, 1, 1, -0.5f, 0.5f);
	L[9] = layer(TL_LAYER_ELTWISE, TL_ACT_GELU, t[10], t[9], TL_NONE);
	L[9].params[0] = TL_ELT_SUB, L[9].params[1] = 1;	/* b - x */
	L[9].weights = parameter(b, r, 8, 1, 1, -1, 1);
	L[10] = layer(TL_LAYER_ELTWISE, TL_ACT_LINEAR, t[11], t[10], TL_NONE);
	L[10].params[0] = TL_ELT_DIV;
	L[10].weights = parameter(b, r, 1, 1, 1, 3, 3);
	L[11] = layer(TL_LAYER_ELTWISE, TL_ACT_HARDSWISH, t[12], t[11], t[0]);
	L[11].params[0] = TL_ELT_ADD;
	L[12] = layer(TL_LAYER_ELTWISE, TL_ACT_LINEAR, t[13], t[12], TL_NONE);
	L[12].params[0] = TL_ELT_MUL;
	L[12].weights = parameter(b, r, 8, 6, 6, -2, 2);
	L[13] = layer(TL_LAYER_ROUTE, TL_ACT_LINEAR, t[14], t[13], t[8]);
	L[14] = layer(TL_LAYER_CONV, TL_ACT_GELU, t[15], t[14], TL_NONE);
	L[14].params[0] = 1, L[14].params[1] = 1, L[14].params[3] = 1;
	L[14].weights = parameter(b, r, 5, 12, 1, -0.5f, 0.5f);
	L[14].bias = parameter(b, r, 5, 1, 1, -0.1f, 0.1f);
}

static int32_t resolve(int32_t value, const struct model_ids *x)
{
	switch (value) {
	case NONE: return (int32_t)TL_NONE;
	case GAMMA7: return (int32_t)x->gamma7;
	case GAMMA_ROW: return (int32_t)x->gamma_row;
	case B_SMALL: return (int32_t)x->b_small;
	case SQUEEZED: return (int32_t)x->squeezed;
	default: return value;
	}
}

static void apply(struct tl_layer *l, const struct edit *e,
		  const struct model_ids *x)
{
	int32_t v = resolve(e->value, x);
	switch (e->what) {
	case P0: case P1: case P2: l->params[e->what - P0] = v; break;
	case ACT: l->activation = (enum tl_activation)v; break;
	case TYPE: l->type = (enum tl_layer_type)v; break;
	case IN1: l->inputs[1] = (uint32_t)v; break;
	case WEIGHTS: l->weights = (uint32_t)v; break;
	case BIAS: l->bias = (uint32_t)v; break;
	}
}

/* The model with up to two edits (layer -1: none); malloc'd. */
static uint8_t *build(const struct edit *edits, int n_edits, size_t *size)
{
	struct tl_tlm_builder b;
	struct tl_layer L[N_LAYERS];
	uint32_t t[16];
	struct gen_rng r = { 1901 };
	tl_tlm_builder_init(&b);
	t[0] = tl_tlm_add_activation(&b, 8, 6, 6);
	se_block(&b, &r, L, t);
	tail(&b, &r, L, t);
	struct model_ids x = { parameter(&b, &r, 7, 1, 1, 1, 1),
			       parameter(&b, &r, 1, 8, 1, 1, 1),
			       parameter(&b, &r, 8, 2, 2, 1, 1), t[3] };
	for (int i = 0; i < n_edits; i++)
		apply(&L[edits[i].layer], &edits[i], &x);
	for (int i = 0; i < N_LAYERS; i++)
		tl_tlm_add_layer(&b, &L[i]);
	tl_tlm_set_io(&b, t[0], t[15]);
	uint8_t *blob = NULL;
	assert_int_equal(tl_tlm_finish(&b, &blob, size), 0);
	tl_tlm_builder_free(&b);
	assert_true((uintptr_t)blob % TL_ALIGN == 0);
	return blob;
}

static float *run(const struct tl_model *m, const struct tl_plan *plan,
		  const float *input, enum tl_mode mode)
{
	void *arena = aligned_alloc(TL_ALIGN, (plan->arena_size + 15) / 16 * 16);
	float *out = malloc(tl_model_output_elements(m) * sizeof *out);
	assert_non_null(arena);
	assert_non_null(out);
	assert_int_equal(tl_run(m, plan, arena, plan->arena_size, input, out,
				mode), TL_OK);
	free(arena);
	return out;
}

static void test_model_runs(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = build(NULL, 0, &size);
	struct tl_model m;
	struct tl_model_error err;
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_OK);
	assert_int_equal(blob[6], 1);
	assert_int_equal(m.version_minor, 1);
	struct tl_plan *plan = malloc(sizeof *plan);
	assert_non_null(plan);
	assert_int_equal(tl_plan(&m, plan), TL_OK);
	size_t n_in = tl_model_input_elements(&m), n = tl_model_output_elements(&m);
	float *input = malloc(n_in * sizeof *input);
	struct gen_rng r = { 19 };
	for (size_t i = 0; i < n_in; i++)
		input[i] = gen_float(&r, -1, 1);
	float *strict = run(&m, plan, input, TL_MODE_STRICT);
	float *again = run(&m, plan, input, TL_MODE_STRICT);
	float *fast = run(&m, plan, input, TL_MODE_FAST);
	float *ref = reference_run(&m, input);
	assert_memory_equal(strict, again, n * sizeof *strict);
	double es = relative_error(strict, ref, n), ef = relative_error(fast, ref, n);
	printf("  1.1 model against the reference: strict %.2e, fast %.2e\n",
	       es, ef);
	assert_true(es <= TOLERANCE);
	assert_true(ef <= TOLERANCE);
	digest_check("layers_1_1", "model", digest_floats(DIGEST_START, strict, n));
	free(strict), free(again), free(fast), free(ref), free(input);
	free(plan);
	free(blob);
}

struct refusal {
	const char *what;
	struct edit edits[2];
	int n_edits;
	enum tl_status status;
	int layer;
	const char *field;
};

static const struct refusal refusals[] = {
	{ "eltwise op 5", { { 4, P0, 5 } }, 1, TL_E_LAYER, 4, "op" },
	{ "eltwise op 0", { { 4, P0, 0 } }, 1, TL_E_LAYER, 4, "op" },
	{ "eltwise reversed 2", { { 4, P1, 2 } }, 1, TL_E_LAYER, 4, "reversed" },
	{ "eltwise params[2]", { { 4, P2, 1 } }, 1, TL_E_LAYER, 4, "params[2]" },
	{ "eltwise b (4,1,1) against (16,6,6)", { { 4, IN1, SQUEEZED } }, 1,
	  TL_E_SHAPE, 4, "inputs[1] shape" },
	{ "eltwise b (8,2,2)", { { 9, WEIGHTS, B_SMALL } }, 1, TL_E_SHAPE, 9,
	  "weights shape" },
	{ "eltwise input and weights", { { 4, WEIGHTS, B_SMALL } }, 1,
	  TL_E_REFERENCE, 4, "weights" },
	{ "eltwise neither", { { 9, WEIGHTS, NONE } }, 1, TL_E_REFERENCE, 9,
	  "weights" },
	{ "eltwise with a bias", { { 10, BIAS, B_SMALL } }, 1, TL_E_REFERENCE,
	  10, "bias" },
	{ "shuffle groups 3 of 16", { { 5, P0, 3 } }, 1, TL_E_LAYER, 5, "groups" },
	{ "shuffle groups 1", { { 5, P0, 1 } }, 1, TL_E_LAYER, 5, "groups" },
	{ "shuffle with an activation", { { 5, ACT, TL_ACT_RELU } }, 1,
	  TL_E_LAYER, 5, "activation" },
	{ "slice past the end", { { 6, P0, 9 } }, 1, TL_E_LAYER, 6, "start + count" },
	{ "slice start -1", { { 6, P0, -1 } }, 1, TL_E_LAYER, 6, "start" },
	{ "slice count 0", { { 6, P1, 0 } }, 1, TL_E_LAYER, 6, "count" },
	{ "slice start + count wraps", { { 6, P0, 0x7fffffff } }, 1, TL_E_LAYER,
	  6, "start + count" },
	{ "layernorm gamma of 7", { { 8, WEIGHTS, GAMMA7 } }, 1, TL_E_WEIGHTS, 8,
	  "weights" },
	{ "layernorm gamma (1,8,1)", { { 8, WEIGHTS, GAMMA_ROW } }, 1,
	  TL_E_WEIGHTS, 8, "weights" },
	{ "layernorm beta missing", { { 8, BIAS, NONE } }, 1, TL_E_REFERENCE, 8,
	  "bias" },
	{ "layernorm eps 0", { { 8, P0, 0 } }, 1, TL_E_LAYER, 8, "eps" },
	{ "layernorm eps -1e-5", { { 8, P0, (int32_t)0xb727c5acu } }, 1,
	  TL_E_LAYER, 8, "eps" },
	{ "layernorm eps inf", { { 8, P0, 0x7f800000 } }, 1, TL_E_LAYER, 8, "eps" },
	{ "activation 10", { { 0, ACT, 10 } }, 1, TL_E_LAYER, 0, "activation" },
	{ "type 17", { { 5, TYPE, 17 } }, 1, TL_E_LAYER, 5, "type" },
};

static void expect_refused(const uint8_t *blob, size_t size, const char *what,
			   enum tl_status status, int layer, const char *field)
{
	struct tl_model m;
	struct tl_model_error err;
	enum tl_status s = tl_model_open(blob, size, &m, &err);
	if (s != status || err.layer != layer || strcmp(err.field, field) != 0)
		fail_msg("%s: status %d layer %d field '%s', expected %d, %d, '%s'",
			 what, s, err.layer, err.field, status, layer, field);
}

static void test_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++) {
		const struct refusal *c = &refusals[i];
		size_t size;
		uint8_t *blob = build(c->edits, c->n_edits, &size);
		expect_refused(blob, size, c->what, c->status, c->layer, c->field);
		free(blob);
	}
}

/* The model's minor rewritten to 0 (CRC fixed): its first 1.1 feature is
 * refused as a 1.0 reader would, activation or type. */
static void refuse_as_1_0(const struct edit *edits, int n, int layer,
			  const char *field)
{
	size_t size;
	uint8_t *blob = build(edits, n, &size);
	blob[6] = blob[7] = 0;
	uint32_t crc = tl_crc32(0, blob, size - 4);
	for (int i = 0; i < 4; i++)
		blob[size - 4 + i] = (uint8_t)(crc >> (8 * i));
	expect_refused(blob, size, "minor 0", TL_E_LAYER, layer, field);
	free(blob);
}

static void test_minor_0_refuses_1_1(void **state)
{
	(void)state;
	const struct edit linear[2] = { { 0, ACT, TL_ACT_LINEAR },
					{ 3, ACT, TL_ACT_LINEAR } };
	refuse_as_1_0(NULL, 0, 0, "activation");	/* conv's silu */
	refuse_as_1_0(linear, 1, 3, "activation");	/* hardsigmoid */
	refuse_as_1_0(linear, 2, 4, "type");		/* eltwise */
}

/* A model without 1.1 features is written as 1.0, byte for byte as
 * before, and opens as minor 0. */
static void test_1_0_stays(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = small_model(&size);
	struct tl_model m;
	struct tl_model_error err;
	assert_non_null(blob);
	assert_int_equal(blob[6] | blob[7] << 8, 0);
	assert_int_equal(tl_model_open(blob, size, &m, &err), TL_OK);
	assert_int_equal(m.version_minor, 0);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_runs),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_minor_0_refuses_1_1),
		cmocka_unit_test(test_1_0_stays),
	};
	digest_start("layers_1_1");
	return cmocka_run_group_tests_name("tinylib_layers_1_1", tests, NULL, NULL);
}
