/*
 * Valid .tlm models from a seed: the suite's oracle for the format
 * checker, the planner, the TA and the kernels. A model is first a
 * description (struct gen_model: shapes, layers, parameters, the file's
 * layout), drawn at random within the format's rules, then written to
 * bytes from docs/model-format.md alone (not with N-Tinylib's writer).
 *
 *   struct gen_model m;
 *   gen_model_draw(seed, &m);           the same seed, the same model
 *   uint8_t *blob; size_t size;
 *   gen_model_write(&m, &blob, &size);  16-byte aligned, free() it
 *   gen_model_free(&m);
 *
 * What is drawn: all 12 layer types and all 7 activations (on the types
 * that take one); grouped and depthwise convolutions, kernels larger
 * than the input where padding allows, strides past the input, paddings
 * beyond the kernel; maxpool's own padding; routes of 1 to 4 inputs;
 * shortcuts whose second input is the same size, smaller or larger by
 * any integer factor, with fewer or more channels; crop, upsample
 * (strides to 64), yolo (any anchors the channels allow, logistic or
 * softmax classes), softmax
 * anywhere; an output that is not the last layer's; and sizes from a few
 * hundred bytes to tens of megabytes, of weights (a budget drawn
 * log-uniformly up to GEN_MAX_WEIGHT_FLOATS) and of activations (up to
 * GEN_MAX_ACT_ELEMENTS a tensor). The file's layout varies too: the
 * three sections in any order with gaps between them, parameter arrays
 * in any order and shape, parameters shared by layers, tensors nobody
 * uses, tensor ids shuffled, any minor version.
 */
#ifndef GEN_MODEL_GEN_H
#define GEN_MODEL_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

/* The largest weights (floats) and activation tensor (elements) a model
 * is drawn with: 48 MiB and 16 MiB. */
#define GEN_MAX_WEIGHT_FLOATS	(12u << 20)
#define GEN_MAX_ACT_ELEMENTS	(4u << 20)
/* The multiply-adds an inference of one model may take at most: keeps
 * a model to tens of milliseconds on the host. */
#define GEN_MAX_MACS		(40u << 20)

struct gen_shape { uint32_t c, h, w; };

/* Activations 0 .. GEN_ACTIVATIONS - 1: 1.0's seven and 1.1's
 * hardsigmoid, silu and gelu. */
#define GEN_ACTIVATIONS 10

struct gen_layer {
	enum tl_layer_type type;
	enum tl_activation act;
	int inputs[TL_MAX_INPUTS];	/* activations: 0 the model input,
					 * k + 1 the output of layer k */
	int n_inputs;
	int32_t params[TL_MAX_PARAMS];
	struct gen_shape out;
	uint32_t weights, bias;		/* elements; 0: none */
	struct gen_shape wshape;	/* the weights' (and bias') shape where
					 * the format fixes it (eltwise,
					 * layernorm); c 0: any of the count */
	int shared;			/* reuse an earlier layer's weights
					 * and bias of the same sizes */
	uint64_t values;		/* seed of its weight values */
};

/* How the file is laid out (every choice valid by the format). */
struct gen_layout {
	uint16_t minor;			/* version minor */
	int order[3];			/* sections: 0 tensors, 1 layers,
					 * 2 weights, in file order */
	uint32_t gap[3];		/* bytes before each, multiples of 16 */
	int shuffle;			/* tensor ids in a drawn order */
	int reverse_arrays;		/* parameter arrays last layer first */
	uint32_t unused_tensors;	/* tensors no layer uses */
	uint64_t seed;			/* for the choices above */
};

struct gen_model {
	uint64_t seed;
	struct gen_shape input;
	struct gen_layer *layers;
	size_t n_layers;
	int output;			/* an activation, as in inputs[] */
	struct gen_layout layout;
};

/* Draws the model of seed (0 allowed). Returns 0, or -1 when memory
 * runs out. */
int gen_model_draw(uint64_t seed, struct gen_model *m);

/* The shape of activation a (0: the input, k + 1: layer k's output). */
struct gen_shape gen_model_act(const struct gen_model *m, int a);

/* Elements of a shape. */
uint64_t gen_elements(struct gen_shape s);

/* The .tlm bytes (malloc'd, 16-byte aligned): 0, or -1 when memory runs
 * out. */
int gen_model_write(const struct gen_model *m, uint8_t **blob, size_t *size);

/* n bytes to the file at path (a model, an input): 0, or -1. */
int gen_save(const char *path, const void *data, size_t n);

/* The model's input for seed: its elements in [-1, 1), malloc'd. */
float *gen_model_input(uint64_t seed, size_t n);

/* A deep copy of src into dst (for the shrinker). 0, or -1. */
int gen_model_copy(const struct gen_model *src, struct gen_model *dst);

void gen_model_free(struct gen_model *m);

#endif
