/* The small hand-built model the format and runner tests share
 * (small_model.h). No cmocka here: the fuzz targets build it too. */
#include <stdint.h>
#include <stdlib.h>

#include "small_model.h"
#include "tl_tlm_builder.h"

static uint32_t param(struct tl_tlm_builder *b, const struct small_model_shape *s,
		      uint32_t c, uint32_t w)
{
	float *v = malloc((size_t)c * w * sizeof *v);
	if (v == NULL)
		return TL_NONE;
	for (size_t i = 0; i < (size_t)c * w; i++)
		v[i] = s->value(i);
	uint32_t id = tl_tlm_add_parameter(b, v, c, 1, w);
	free(v);
	return id;
}

uint8_t *small_model_build(const struct small_model_shape *s, size_t *size)
{
	struct tl_tlm_builder b;
	uint32_t half = (s->hw + (uint32_t)s->pool_padding - 2) / 2 + 1;
	tl_tlm_builder_init(&b);
	uint32_t in = tl_tlm_add_activation(&b, s->c, s->hw, s->hw);
	uint32_t conv = tl_tlm_add_activation(&b, s->filters, s->hw, s->hw);
	uint32_t pool = tl_tlm_add_activation(&b, s->filters, half, half);
	uint32_t fc = tl_tlm_add_activation(&b, s->classes, 1, 1);
	uint32_t prob = tl_tlm_add_activation(&b, s->classes, 1, 1);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_CONV, s->act, conv);
	l.inputs[0] = in;
	l.params[0] = 3, l.params[1] = 1, l.params[2] = 1, l.params[3] = 1;
	l.weights = param(&b, s, s->filters, s->c * 9);
	l.bias = param(&b, s, s->filters, 1);
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_MAXPOOL, TL_ACT_LINEAR, pool);
	l.inputs[0] = conv;
	l.params[0] = 2, l.params[1] = 2, l.params[2] = s->pool_padding;
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_CONNECTED, TL_ACT_LINEAR, fc);
	l.inputs[0] = pool;
	l.weights = param(&b, s, s->classes, s->filters * half * half);
	l.bias = param(&b, s, s->classes, 1);
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_SOFTMAX, TL_ACT_LINEAR, prob);
	l.inputs[0] = fc;
	tl_tlm_add_layer(&b, &l);
	tl_tlm_set_io(&b, in, prob);
	uint8_t *blob = NULL;
	int failed = tl_tlm_finish(&b, &blob, size);
	tl_tlm_builder_free(&b);
	/* malloc gives 16-byte alignment on the platforms we build for */
	if (failed || (uintptr_t)blob % TL_ALIGN) {
		free(blob);
		return NULL;
	}
	return blob;
}

/* Reproducible values in [-0.5, 0.5): the runner test needs weights
 * that are not all zero; the format tests only need them present. */
static float test_value(size_t i)
{
	return (float)((i * 7919u) % 1000u) / 1000.0f - 0.5f;
}

uint8_t *small_model(size_t *size)
{
	static const struct small_model_shape tests = {
		.c = 3, .hw = 8, .filters = 4, .classes = 10,
		.act = TL_ACT_LEAKY, .pool_padding = 1, .value = test_value,
	};
	return small_model_build(&tests, size);
}
