/* What the planner and the runner share. */
#ifndef TL_ENGINE_INTERNAL_H
#define TL_ENGINE_INTERNAL_H

#include "tl_engine.h"

/* The convolution parameters of an opened model's conv layer. */
void tl_conv_params_of(const struct tl_model *m, const struct tl_layer *l,
		       struct tl_conv_params *p);

/* Bytes of a tensor's data. */
size_t tl_tensor_bytes(const struct tl_model *m, uint32_t id);

#endif
