/*
 * The generator and the shrinker themselves, without the planner or the
 * TA: a seed gives the same bytes every time; every model it draws is
 * one tl_model_open accepts, with the shapes the generator computed; the
 * file layouts vary as promised; the shrinker keeps a failure and ends
 * with a small valid model, its layers all read, its layout plain.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model_gen.h"
#include "model_shrink.h"

static int quick(void)
{
	return getenv("TL_TEST_QUICK") != NULL;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint8_t *written(const struct gen_model *m, size_t *size)
{
	uint8_t *blob;
	assert_int_equal(gen_model_write(m, &blob, size), 0);
	return blob;
}

static void test_same_seed_same_bytes(void **state)
{
	(void)state;
	uint8_t *last = NULL;
	size_t last_size = 0;
	for (uint64_t seed = 100; seed < 130; seed++) {
		struct gen_model a, b;
		size_t na, nb;
		assert_int_equal(gen_model_draw(seed, &a), 0);
		assert_int_equal(gen_model_draw(seed, &b), 0);
		uint8_t *x = written(&a, &na), *y = written(&b, &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(x, y, na);
		assert_false(last && last_size == na && !memcmp(last, x, na));
		free(last);
		free(y);
		last = x;
		last_size = na;
		gen_model_free(&a);
		gen_model_free(&b);
	}
	free(last);
	float *u = gen_model_input(7, 1000), *v = gen_model_input(7, 1000);
	assert_memory_equal(u, v, 1000 * sizeof *u);
	for (int i = 0; i < 1000; i++)
		assert_true(u[i] >= -1.0f && u[i] < 1.0f);
	free(u);
	free(v);
}

static void same_shape(const struct tl_model *tm, uint32_t id,
		       struct gen_shape want)
{
	struct tl_tensor t;
	tl_model_tensor(tm, id, &t);
	assert_int_equal(t.kind, TL_TENSOR_ACTIVATION);
	assert_int_equal(t.c, want.c);
	assert_int_equal(t.h, want.h);
	assert_int_equal(t.w, want.w);
}

/* Opens, with the generator's counts, input and output shapes. */
static void opens_as_drawn(const struct gen_model *m)
{
	size_t size;
	uint8_t *blob = written(m, &size);
	struct tl_model tm;
	struct tl_model_error err;
	if (tl_model_open(blob, size, &tm, &err) != TL_OK)
		fail_msg("seed %llu: %s in field %s, found %llu, expected "
			 "%llu (layer %d, tensor %d)",
			 (unsigned long long)m->seed, tl_status_str(err.code),
			 err.field, (unsigned long long)err.found,
			 (unsigned long long)err.expected, err.layer,
			 err.tensor);
	assert_int_equal(tm.layer_count, m->n_layers);
	same_shape(&tm, tm.input, m->input);
	same_shape(&tm, tm.output, gen_model_act(m, m->output));
	for (size_t i = 0; i < m->n_layers; i++) {
		struct tl_layer l;
		tl_model_layer(&tm, (uint32_t)i, &l);
		assert_int_equal(l.type, m->layers[i].type);
		same_shape(&tm, l.output, m->layers[i].out);
	}
	free(blob);
}

static uint64_t weight_floats(const struct gen_model *m);

/* Every model drawn opens. Models above 4 MiB are drawn, not written:
 * the oracle's run writes them; this one is about shapes and layouts. */
static void test_every_model_opens(void **state)
{
	(void)state;
	unsigned n = quick() ? 40 : 1500, written_n = 0;
	for (uint64_t seed = 1; seed <= n; seed++) {
		struct gen_model m;
		assert_int_equal(gen_model_draw(seed, &m), 0);
		if (weight_floats(&m) < (1u << 20)) {
			opens_as_drawn(&m);
			written_n++;
		}
		gen_model_free(&m);
	}
	print_message("%u of %u seeds' models written and opened\n",
		      written_n, n);
	assert_true(written_n > n / 2);
}

static uint64_t weight_floats(const struct gen_model *m)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->n_layers; i++)
		n += m->layers[i].weights;
	return n;
}

/* The sections in the drawn order (all six orders drawn), gaps before
 * the first, other minor versions. */
static void test_layouts_vary(void **state)
{
	(void)state;
	unsigned orders[3][3] = { { 0 } }, gaps = 0, minors = 0;
	for (uint64_t seed = 1; seed <= 200; seed++) {
		struct gen_model m;
		assert_int_equal(gen_model_draw(seed, &m), 0);
		m.n_layers = 1;		/* the layout, not the size */
		m.output = 1;
		size_t size;
		uint8_t *b = written(&m, &size);
		const int *o = m.layout.order;
		uint32_t at[3] = { get32(b + 24), get32(b + 32), get32(b + 36) };
		assert_true(at[o[0]] <= at[o[1]] && at[o[1]] <= at[o[2]]);
		orders[o[0]][o[1]]++;
		gaps += at[o[0]] > 64;
		minors += get32(b + 4) >> 16 != 0;
		free(b);
		gen_model_free(&m);
	}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			assert_true(i == j || orders[i][j] > 0);
	assert_true(gaps > 0 && minors > 0);
}

/* ---- The shrinker ---- */

struct has_type {
	enum tl_layer_type type;
	unsigned calls;
};

/* "Fails" when the model has a layer of that type and opens. */
static int has_type(const struct gen_model *m, void *arg)
{
	struct has_type *h = arg;
	h->calls++;
	size_t size;
	uint8_t *blob = written(m, &size);
	struct tl_model tm;
	struct tl_model_error err;
	int opens = tl_model_open(blob, size, &tm, &err) == TL_OK;
	free(blob);
	assert_true(opens);	/* every candidate is a valid model */
	for (size_t i = 0; i < m->n_layers; i++)
		if (m->layers[i].type == h->type)
			return 1;
	return 0;
}

static void all_layers_read(const struct gen_model *m)
{
	for (size_t j = 0; j + 1 < m->n_layers; j++) {
		int read = m->output == (int)j + 1;
		for (size_t i = j + 1; i < m->n_layers; i++)
			for (int k = 0; k < m->layers[i].n_inputs; k++)
				read |= m->layers[i].inputs[k] == (int)j + 1;
		assert_true(read);
	}
}

/* Deep models shrink to the first layer of the type and what it reads,
 * in the plain layout. */
static void test_shrink(void **state)
{
	(void)state;
	unsigned shrunk = 0, want = quick() ? 2 : 12;
	for (uint64_t seed = 1; seed <= 200 && shrunk < want; seed++) {
		struct gen_model m;
		assert_int_equal(gen_model_draw(seed, &m), 0);
		struct has_type h = { TL_LAYER_YOLO, 0 };
		if (m.n_layers < 12 || weight_floats(&m) > (1u << 18) ||
		    !has_type(&m, &h)) {
			gen_model_free(&m);
			continue;
		}
		size_t first = 0, before = m.n_layers;
		while (m.layers[first].type != TL_LAYER_YOLO)
			first++;
		gen_model_shrink(&m, has_type, &h);
		assert_true(has_type(&m, &h));
		assert_true(m.n_layers <= first + 1 && m.n_layers < before);
		assert_int_equal(m.layers[m.n_layers - 1].type, TL_LAYER_YOLO);
		all_layers_read(&m);
		assert_int_equal(m.layout.order[0], 0);
		assert_int_equal(m.layout.gap[0] + m.layout.gap[1] +
				 m.layout.gap[2], 0);
		assert_int_equal(m.layout.shuffle + m.layout.unused_tensors, 0);
		gen_model_free(&m);
		shrunk++;
	}
	assert_true(shrunk > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_bytes),
		cmocka_unit_test(test_every_model_opens),
		cmocka_unit_test(test_layouts_vary),
		cmocka_unit_test(test_shrink),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
