/* The small hand-built model the format and runner tests share, and the
 * fuzz targets' own (fuzz/support/fuzz_model.c) in another shape. */
#ifndef TL_TEST_SMALL_MODEL_H
#define TL_TEST_SMALL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tl_kernels.h"

/*
 * input c x hw x hw -> conv 3x3 pad 1, `filters` filters, act -> maxpool
 * 2/2 with pool_padding -> connected `classes` -> softmax. Tensors: 0 in,
 * 1 conv, 2 pool, 3 fc, 4 prob, 5 conv.w, 6 conv.b, 7 fc.w, 8 fc.b.
 * Layers: 0 conv, 1 maxpool, 2 connected, 3 softmax. Weight i of each
 * array is value(i).
 */
struct small_model_shape {
	uint32_t c, hw, filters, classes;
	enum tl_activation act;
	int32_t pool_padding;
	float (*value)(size_t i);
};

/* A .tlm of that shape (malloc'd, 16-byte aligned), or NULL when the
 * builder fails. */
uint8_t *small_model_build(const struct small_model_shape *s, size_t *size);

/* The tests' shape: 3x8x8, 4 filters, leaky, pool padding 1, 10 classes
 * (conv.w is 4 x 1 x 27, fc.w 10 x 1 x 64); NULL when the builder
 * fails. */
uint8_t *small_model(size_t *size);

#endif
