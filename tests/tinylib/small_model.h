/* The small hand-built model the format and runner tests share. */
#ifndef TL_TEST_SMALL_MODEL_H
#define TL_TEST_SMALL_MODEL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A .tlm (malloc'd, 16-byte aligned) of: input 3x8x8 -> conv 3x3 pad 1,
 * 4 filters, leaky -> maxpool 2/2 -> connected 10 -> softmax. Tensors:
 * 0 in, 1 conv, 2 pool, 3 fc, 4 prob, 5 conv.w, 6 conv.b, 7 fc.w, 8 fc.b.
 * Layers: 0 conv, 1 maxpool, 2 connected, 3 softmax.
 */
uint8_t *small_model(size_t *size);

#endif
