/* What the model checker's files share. */
#ifndef TL_MODEL_INTERNAL_H
#define TL_MODEL_INTERNAL_H

#include "tl_model.h"

/* A little-endian 32-bit field at p (any alignment). */
uint32_t tl_read32(const uint8_t *p);

/* Fills *err and returns code. */
enum tl_status tl_fail(struct tl_model_error *err, enum tl_status code,
		       int layer, int tensor, const char *field,
		       uint64_t found, uint64_t expected);

/* The layer table, once header and tensors are known good. */
enum tl_status tl_check_layers(const struct tl_model *m,
			       struct tl_model_error *err);

#endif
