/* The small hand-built model the format and runner tests share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "small_model.h"
#include "tl_tlm_builder.h"

/* n reproducible values in [-0.5, 0.5): the runner test needs weights
 * that are not all zero; the format tests only need them present. */
static const float *values(size_t n)
{
	static float v[1024];
	for (size_t i = 0; i < n; i++)
		v[i] = (float)((i * 7919u) % 1000u) / 1000.0f - 0.5f;
	return v;
}

uint8_t *small_model(size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t in = tl_tlm_add_activation(&b, 3, 8, 8);
	uint32_t conv = tl_tlm_add_activation(&b, 4, 8, 8);
	uint32_t pool = tl_tlm_add_activation(&b, 4, 4, 4);
	uint32_t fc = tl_tlm_add_activation(&b, 10, 1, 1);
	uint32_t prob = tl_tlm_add_activation(&b, 10, 1, 1);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_CONV, TL_ACT_LEAKY, conv);
	l.inputs[0] = in;
	l.params[0] = 3, l.params[1] = 1, l.params[2] = 1, l.params[3] = 1;
	l.weights = tl_tlm_add_parameter(&b, values(108), 4, 1, 27);
	l.bias = tl_tlm_add_parameter(&b, values(4), 4, 1, 1);
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_MAXPOOL, TL_ACT_LINEAR, pool);
	l.inputs[0] = conv;
	l.params[0] = 2, l.params[1] = 2, l.params[2] = 1;
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_CONNECTED, TL_ACT_LINEAR, fc);
	l.inputs[0] = pool;
	l.weights = tl_tlm_add_parameter(&b, values(640), 10, 1, 64);
	l.bias = tl_tlm_add_parameter(&b, values(10), 10, 1, 1);
	tl_tlm_add_layer(&b, &l);
	l = tl_tlm_layer(TL_LAYER_SOFTMAX, TL_ACT_LINEAR, prob);
	l.inputs[0] = fc;
	tl_tlm_add_layer(&b, &l);
	tl_tlm_set_io(&b, in, prob);
	uint8_t *blob;
	assert_int_equal(tl_tlm_finish(&b, &blob, size), 0);
	tl_tlm_builder_free(&b);
	/* malloc gives 16-byte alignment on the platforms we build for */
	assert_int_equal((uintptr_t)blob % TL_ALIGN, 0);
	return blob;
}

