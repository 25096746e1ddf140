/*
 * Weights stored by 16 (format 1.2; tl_tlm_by_16.h, tl_kernels.h): the
 * small model with a convolution that allows them (3x3, 16 -> 32 at
 * 12x12) rewritten by tl_tlm_store_by_16:
 *   - the weights moved as the format says, the layout word, minor 2,
 *     a CRC that holds, the rest of the file unchanged; a second call
 *     rewrites nothing;
 *   - the same plan, and the same bits in both modes as the file in rows
 *     (with AVX-512 fast mode's direct.c reads them, elsewhere the GEMM);
 *   - weights read by two layers stay in rows; a file that does not open
 *     is refused and left as it was;
 *   - tl_model_open refuses by 16 where the format does not allow it,
 *     naming the field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "small_model.h"
#include "tl_engine.h"
#include "tl_tlm_builder.h"
#include "tl_tlm_by_16.h"
#include "tlm_bytes.h"

/* Tensors and layers of small_model.h */
enum { T_CONV = 1, T_CONV_W = 5, T_CONV_B = 6, T_FC_W = 7 };
enum { FILTERS = 32, TAPS = 16 * 9 };

static float value(size_t i)
{
	return (float)((i * 7919u) % 1000u) / 1000.0f - 0.5f;
}

static uint8_t *model_16_to_32(size_t *size)
{
	static const struct small_model_shape shape = {
		.c = 16, .hw = 12, .filters = FILTERS, .classes = 10,
		.act = TL_ACT_LEAKY, .pool_padding = 0, .value = value,
	};
	uint8_t *blob = small_model_build(&shape, size);
	assert_non_null(blob);
	return blob;
}

static size_t tensor_entry(const uint8_t *blob, uint32_t id)
{
	return get32(blob + 24) + (size_t)id * TL_TENSOR_ENTRY_SIZE;
}

static void set_and_seal(uint8_t *blob, size_t size, size_t at, uint32_t v)
{
	set32(blob + at, v);
	fix_crc(blob, size);
}

static uint8_t *copy_of(const uint8_t *blob, size_t size)
{
	uint8_t *c = aligned_alloc(TL_ALIGN, (size + 15) / 16 * 16);
	assert_non_null(c);
	memcpy(c, blob, size);
	return c;
}

/* The model in rows, and (*b16) a copy with its one convolution by 16 */
static uint8_t *rows_and_by_16(size_t *size, uint8_t **b16)
{
	char err[256];
	uint8_t *rows = model_16_to_32(size);
	*b16 = copy_of(rows, *size);
	assert_int_equal(tl_tlm_store_by_16(*b16, *size, err, sizeof err), 1);
	return rows;
}

static float *run(const uint8_t *blob, size_t size, enum tl_mode mode,
		  struct tl_plan *plan)
{
	struct tl_model m;
	struct tl_model_error e;
	assert_int_equal(tl_model_open(blob, size, &m, &e), TL_OK);
	assert_int_equal(tl_plan(&m, plan), TL_OK);
	size_t nx = tl_model_input_elements(&m);
	float *x = malloc(nx * sizeof *x);
	float *y = malloc(tl_model_output_elements(&m) * sizeof *y);
	void *arena = aligned_alloc(TL_ALIGN, (plan->arena_size + 15) / 16 * 16);
	for (size_t i = 0; i < nx; i++)
		x[i] = value(i * 31 + 7);
	assert_int_equal(tl_run(&m, plan, arena, plan->arena_size, x, y, mode),
			 TL_OK);
	free(arena);
	free(x);
	return y;
}

static void test_stored_as_the_format_says(void **state)
{
	(void)state;
	size_t size;
	char err[256];
	uint8_t *b16, *rows = rows_and_by_16(&size, &b16);
	size_t w_entry = tensor_entry(b16, T_CONV_W);
	size_t w_at = get32(b16 + 36) + get32(b16 + w_entry + 20);
	const uint8_t *w = rows + w_at, *w16 = b16 + w_at;
	for (size_t f = 0; f < FILTERS; f++)
		for (size_t q = 0; q < TAPS; q++)
			assert_memory_equal(w16 + 4 * (f / 16 * 16 * TAPS + q * 16 +
						       f % 16),
					    w + 4 * (f * TAPS + q), 4);
	assert_int_equal(get32(b16 + w_entry + 24), TL_LAYOUT_BY_16);
	assert_int_equal(get32(b16 + 4) >> 16, 2);
	assert_int_equal(get32(b16 + size - 4), tl_crc32(0, b16, size - 4));
	/* nothing else moved: the rows file with the same three changes */
	uint8_t *expect = copy_of(rows, size);
	memcpy(expect + w_at, w16, FILTERS * TAPS * 4);
	set32(expect + w_entry + 24, TL_LAYOUT_BY_16);
	set32(expect + 4, 1 | 2u << 16);
	set32(expect + size - 4, get32(b16 + size - 4));
	assert_memory_equal(expect, b16, size);
	/* stored once: a second call finds nothing left to do */
	assert_int_equal(tl_tlm_store_by_16(b16, size, err, sizeof err), 0);
	assert_memory_equal(expect, b16, size);
	free(expect);
	free(b16);
	free(rows);
}

static void test_same_plan_and_bits(void **state)
{
	(void)state;
	size_t size;
	uint8_t *b16, *rows = rows_and_by_16(&size, &b16);
	static struct tl_plan plan_rows, plan_16;
	for (int mode = 0; mode < 2; mode++) {
		float *y = run(rows, size, (enum tl_mode)mode, &plan_rows);
		float *y16 = run(b16, size, (enum tl_mode)mode, &plan_16);
		assert_memory_equal(y, y16, 10 * sizeof *y);
		assert_int_equal(plan_rows.arena_size, plan_16.arena_size);
		assert_memory_equal(plan_rows.workspace_size,
				    plan_16.workspace_size,
				    sizeof plan_16.workspace_size);
		free(y);
		free(y16);
	}
	free(b16);
	free(rows);
}

/* Two 16 -> 16 convolutions reading one weights tensor: both allow by
 * 16, but a tensor stays one layout, so neither is rewritten. */
static void test_shared_weights_stay_rows(void **state)
{
	(void)state;
	struct tl_tlm_builder b;
	float *w = malloc(16 * TAPS * sizeof *w), bias[16] = { 0 };
	for (size_t i = 0; i < 16 * TAPS; i++)
		w[i] = value(i);
	tl_tlm_builder_init(&b);
	uint32_t t[3];
	for (int i = 0; i < 3; i++)
		t[i] = tl_tlm_add_activation(&b, 16, 12, 12);
	uint32_t wt = tl_tlm_add_parameter(&b, w, 16, 1, TAPS);
	uint32_t bt = tl_tlm_add_parameter(&b, bias, 16, 1, 1);
	for (int i = 0; i < 2; i++) {
		struct tl_layer l = tl_tlm_layer(TL_LAYER_CONV, TL_ACT_RELU,
						 t[i + 1]);
		l.inputs[0] = t[i];
		l.params[0] = 3, l.params[1] = 1, l.params[2] = 1;
		l.params[3] = 1;
		l.weights = wt, l.bias = bt;
		assert_int_equal(tl_tlm_add_layer(&b, &l), 0);
	}
	tl_tlm_set_io(&b, t[0], t[2]);
	uint8_t *blob;
	size_t size;
	char err[256];
	assert_int_equal(tl_tlm_finish(&b, &blob, &size), 0);
	uint8_t *before = copy_of(blob, size);
	assert_int_equal(tl_tlm_store_by_16(blob, size, err, sizeof err), 0);
	assert_memory_equal(before, blob, size);
	tl_tlm_builder_free(&b);
	free(before);
	free(blob);
	free(w);
}

static void test_a_bad_file_is_left_as_it_was(void **state)
{
	(void)state;
	size_t size;
	char err[256];
	uint8_t *blob = model_16_to_32(&size);
	blob[size - 20] ^= 1;	/* a weight's byte: the CRC no longer holds */
	uint8_t *before = copy_of(blob, size);
	assert_int_equal(tl_tlm_store_by_16(blob, size, err, sizeof err), -1);
	assert_non_null(strstr(err, "tl_model_open: CRC"));
	assert_memory_equal(before, blob, size);
	free(before);
	free(blob);
}

struct refusal {
	const char *what;
	int from_small;		/* small_model()'s 3 -> 4, else 16 -> 32 */
	uint16_t minor;
	uint32_t tensor, word, value;	/* word 0: layout, 1: reserved[1] */
	enum tl_status status;
	const char *field;
	int layer;
};

static const struct refusal refusals[] = {
	{ "a bias by 16", 0, 2, T_CONV_B, 0, 1, TL_E_LAYER, "bias layout", 0 },
	{ "a connected layer's weights", 0, 2, T_FC_W, 0, 1, TL_E_LAYER,
	  "weights layout", 2 },
	{ "a convolution that does not allow it (4 filters)", 1, 2, T_CONV_W,
	  0, 1, TL_E_LAYER, "weights layout", 0 },
	{ "an activation", 0, 2, T_CONV, 0, 1, TL_E_TENSOR, "layout", -1 },
	{ "a layout 1.2 does not know", 0, 2, T_CONV_W, 0, 2, TL_E_TENSOR,
	  "layout", -1 },
	{ "by 16 in a 1.1 file", 0, 1, T_CONV_W, 0, 1, TL_E_TENSOR,
	  "reserved[0]", -1 },
	{ "the second word still reserved", 0, 2, T_CONV_W, 1, 1, TL_E_TENSOR,
	  "reserved[1]", -1 },
};

static void test_refused_where_not_allowed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refusals / sizeof *refusals; i++) {
		const struct refusal *r = &refusals[i];
		size_t size;
		uint8_t *blob = r->from_small ? small_model(&size)
					      : model_16_to_32(&size);
		assert_non_null(blob);
		set32(blob + 4, 1 | (uint32_t)r->minor << 16);
		set_and_seal(blob, size, tensor_entry(blob, r->tensor) + 24 +
				 4 * r->word, r->value);
		struct tl_model m;
		struct tl_model_error e;
		enum tl_status s = tl_model_open(blob, size, &m, &e);
		if (s != r->status || strcmp(e.field, r->field) != 0 ||
		    e.layer != r->layer)
			fail_msg("%s: %s, field %s, layer %d", r->what,
				 tl_status_str(s), e.field, e.layer);
		free(blob);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stored_as_the_format_says),
		cmocka_unit_test(test_same_plan_and_bits),
		cmocka_unit_test(test_shared_weights_stay_rows),
		cmocka_unit_test(test_a_bad_file_is_left_as_it_was),
		cmocka_unit_test(test_refused_where_not_allowed),
	};
	return cmocka_run_group_tests_name("weights_by_16", tests, NULL, NULL);
}
