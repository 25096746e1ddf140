/*
 * N-Tinylib's .tlm writer (docs/model-format.md): collect tensors and
 * layers, then serialise them with the alignment and CRC the secure side
 * checks. Converters (Darknet, ONNX) and tests build models through it.
 *
 *   struct tl_tlm_builder b;
 *   tl_tlm_builder_init(&b);
 *   uint32_t in = tl_tlm_add_activation(&b, 3, 32, 32);
 *   ... tl_tlm_add_parameter(), tl_tlm_add_layer() ...
 *   tl_tlm_set_io(&b, in, out);
 *   if (tl_tlm_finish(&b, &blob, &size) == 0) ... write blob ...; free(blob);
 *   tl_tlm_builder_free(&b);
 *
 * Adding fails (returns TL_NONE or -1) only when memory runs out; the
 * builder then refuses to finish. Nothing is checked here beyond what
 * serialising needs: tl_model_open is the checker.
 */
#ifndef TL_TLM_BUILDER_H
#define TL_TLM_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

struct tl_tlm_tensor_entry {
	uint32_t kind, c, h, w, offset;
	enum tl_layout layout;
};

struct tl_tlm_builder {
	struct tl_tlm_tensor_entry *tensors;
	size_t n_tensors, cap_tensors;
	struct tl_layer *layers;
	size_t n_layers, cap_layers;
	uint8_t *weights;         /* parameter data, each array 16-aligned */
	size_t weights_size, cap_weights;
	uint32_t input, output;
	int failed;               /* an allocation failed */
};

void tl_tlm_builder_init(struct tl_tlm_builder *b);
void tl_tlm_builder_free(struct tl_tlm_builder *b);

/* Returns the new tensor's id. */
uint32_t tl_tlm_add_activation(struct tl_tlm_builder *b, uint32_t c,
			       uint32_t h, uint32_t w);
/* Copies c*h*w floats from data. */
uint32_t tl_tlm_add_parameter(struct tl_tlm_builder *b, const float *data,
			      uint32_t c, uint32_t h, uint32_t w);
/* Says that parameter id's floats, as given, are in `layout` (rows
 * unless said; by 16 makes the file minor 2). */
void tl_tlm_set_layout(struct tl_tlm_builder *b, uint32_t id,
		       enum tl_layout layout);
/* Appends a layer; unused inputs and parameters must be TL_NONE. */
int tl_tlm_add_layer(struct tl_tlm_builder *b, const struct tl_layer *layer);
void tl_tlm_set_io(struct tl_tlm_builder *b, uint32_t input, uint32_t output);

/* A layer with no inputs, no parameters and zeroed params. */
struct tl_layer tl_tlm_layer(enum tl_layer_type type,
			     enum tl_activation activation, uint32_t output);
/* A float for an int32 parameter slot (the inverse of tl_param_float). */
int32_t tl_tlm_float_param(float value);

/* Serialises into a new malloc'd blob. 0 on success. */
int tl_tlm_finish(const struct tl_tlm_builder *b, uint8_t **blob,
		  size_t *size);

/* One sentence about a tl_model_open failure, for people. */
void tl_tlm_describe_error(const struct tl_model_error *err,
			   const char *file_name, char *out, size_t len);

#endif /* TL_TLM_BUILDER_H */
