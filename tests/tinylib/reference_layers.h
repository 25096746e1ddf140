/*
 * The double-precision reference of format 1.1's layers (tl_kernels.h's
 * tl_eltwise, tl_shuffle, tl_layernorm and the slice), written from the
 * definitions in docs/model-format.md (PyTorch's semantics), sharing no
 * code with the kernels. Shapes as the kernels take them.
 */
#ifndef TL_TEST_REFERENCE_LAYERS_H
#define TL_TEST_REFERENCE_LAYERS_H

#include "tl_kernels.h"

/* out = act(a OP b) (b OP a when reversed), b broadcast. */
void ref_eltwise(const struct tl_eltwise_params *p, const float *a,
		 const float *b, double *out);
/* The input channel output channel o is a copy of. */
int ref_shuffle_source(int c, int groups, int o);
void ref_shuffle(int c, int hw, int groups, const float *in, double *out);
void ref_slice(int hw, int start, int count, const float *in, double *out);
void ref_layernorm(int c, int hw, float eps, const float *in,
		   const float *gamma, const float *beta, double *out);

#endif
