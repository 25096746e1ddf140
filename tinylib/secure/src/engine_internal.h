/* What the planner and the runner share. */
#ifndef TL_ENGINE_INTERNAL_H
#define TL_ENGINE_INTERNAL_H

#include "tl_engine.h"

/* Bytes of a tensor's data. */
size_t tl_tensor_bytes(const struct tl_model *m, uint32_t id);

#endif
