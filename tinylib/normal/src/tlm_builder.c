/* The .tlm writer: see tl_tlm_builder.h and docs/model-format.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_tlm_builder.h"

void tl_tlm_builder_init(struct tl_tlm_builder *b)
{
	memset(b, 0, sizeof *b);
	b->input = b->output = TL_NONE;
}

void tl_tlm_builder_free(struct tl_tlm_builder *b)
{
	free(b->tensors);
	free(b->layers);
	free(b->weights);
	memset(b, 0, sizeof *b);
}

/* Room for one more element of size `elem` in *array; 0 on success. */
static int reserve(struct tl_tlm_builder *b, void **array, size_t *cap,
		   size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t new_cap = *cap ? *cap : 16;
	while (new_cap < need)
		new_cap *= 2;
	void *p = realloc(*array, new_cap * elem);
	if (p == NULL) {
		b->failed = 1;
		return -1;
	}
	*array = p;
	*cap = new_cap;
	return 0;
}

static uint32_t add_tensor(struct tl_tlm_builder *b, uint32_t kind,
			   uint32_t c, uint32_t h, uint32_t w, uint32_t offset)
{
	if (reserve(b, (void **)&b->tensors, &b->cap_tensors,
		    b->n_tensors + 1, sizeof *b->tensors))
		return TL_NONE;
	struct tl_tlm_tensor_entry t = { kind, c, h, w, offset, TL_LAYOUT_ROWS };
	b->tensors[b->n_tensors] = t;
	return (uint32_t)b->n_tensors++;
}

uint32_t tl_tlm_add_activation(struct tl_tlm_builder *b, uint32_t c,
			       uint32_t h, uint32_t w)
{
	return add_tensor(b, TL_TENSOR_ACTIVATION, c, h, w, 0);
}

static size_t align_up(size_t n)
{
	return (n + TL_ALIGN - 1) / TL_ALIGN * TL_ALIGN;
}

uint32_t tl_tlm_add_parameter(struct tl_tlm_builder *b, const float *data,
			      uint32_t c, uint32_t h, uint32_t w)
{
	size_t bytes = (size_t)c * h * w * sizeof(float);
	size_t offset = align_up(b->weights_size);
	if (offset + bytes > UINT32_MAX ||
	    reserve(b, (void **)&b->weights, &b->cap_weights, offset + bytes, 1))
		return (b->failed = 1), TL_NONE;
	memset(b->weights + b->weights_size, 0, offset - b->weights_size);
	memcpy(b->weights + offset, data, bytes);
	b->weights_size = offset + bytes;
	return add_tensor(b, TL_TENSOR_PARAMETER, c, h, w, (uint32_t)offset);
}

void tl_tlm_set_layout(struct tl_tlm_builder *b, uint32_t id,
		       enum tl_layout layout)
{
	if (id < b->n_tensors)
		b->tensors[id].layout = layout;
}

int tl_tlm_add_layer(struct tl_tlm_builder *b, const struct tl_layer *layer)
{
	if (reserve(b, (void **)&b->layers, &b->cap_layers, b->n_layers + 1,
		    sizeof *b->layers))
		return -1;
	b->layers[b->n_layers++] = *layer;
	return 0;
}

void tl_tlm_set_io(struct tl_tlm_builder *b, uint32_t input, uint32_t output)
{
	b->input = input;
	b->output = output;
}

struct tl_layer tl_tlm_layer(enum tl_layer_type type,
			     enum tl_activation activation, uint32_t output)
{
	struct tl_layer l;
	memset(&l, 0, sizeof l);
	l.type = type;
	l.activation = activation;
	l.output = output;
	for (int i = 0; i < TL_MAX_INPUTS; i++)
		l.inputs[i] = TL_NONE;
	l.weights = l.bias = TL_NONE;
	return l;
}

int32_t tl_tlm_float_param(float value)
{
	int32_t bits;
	memcpy(&bits, &value, sizeof bits);
	return bits;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_tensor(uint8_t *e, const struct tl_tlm_tensor_entry *t)
{
	put32(e, t->kind);
	put32(e + 4, TL_DTYPE_F32);
	put32(e + 8, t->c);
	put32(e + 12, t->h);
	put32(e + 16, t->w);
	put32(e + 20, t->offset);
	put32(e + 24, t->layout);
}

static void put_layer(uint8_t *e, const struct tl_layer *l)
{
	put32(e, (uint32_t)l->type | (uint32_t)l->activation << 16);
	put32(e + 4, l->output);
	for (int i = 0; i < TL_MAX_INPUTS; i++)
		put32(e + 8 + 4 * i, l->inputs[i]);
	put32(e + 24, l->weights);
	put32(e + 28, l->bias);
	for (int i = 0; i < TL_MAX_PARAMS; i++)
		put32(e + 32 + 4 * i, (uint32_t)l->params[i]);
}

/* Section offsets: header, tensor table, layer table, weights, CRC. */
struct layout { size_t tensors, layers, weights, crc, size; };

static struct layout plan_layout(const struct tl_tlm_builder *b)
{
	struct layout o;
	o.tensors = TL_HEADER_SIZE;
	o.layers = align_up(o.tensors + b->n_tensors * TL_TENSOR_ENTRY_SIZE);
	o.weights = align_up(o.layers + b->n_layers * TL_LAYER_ENTRY_SIZE);
	o.crc = o.weights + b->weights_size;
	o.size = o.crc + TL_CRC_SIZE;
	return o;
}

/* A parameter slot format 1.1 gave meaning to: a convolution's or a
 * maxpool's rectangular or asymmetric geometry, a yolo head's softmax. */
static int uses_slots_1_1(const struct tl_layer *l)
{
	int from = l->type == TL_LAYER_CONV ? 4
		 : l->type == TL_LAYER_MAXPOOL ? 3
		 : l->type == TL_LAYER_YOLO ? 1 : TL_MAX_PARAMS;
	for (int i = from; i < TL_MAX_PARAMS; i++)
		if (l->params[i] != 0)
			return 1;
	return 0;
}

/* Whether a layer uses what format 1.1 adds: the geometry and softmax
 * slots, types 13-16, activations 7-9. */
static int layer_needs_1_1(const struct tl_layer *l)
{
	return uses_slots_1_1(l) || l->type >= TL_LAYER_ELTWISE ||
	       l->activation > TL_ACT_HARDSWISH;
}

/* The minor version to write: 2 when weights are by 16, 1 only when a
 * layer needs it, so that a 1.0 model's bytes (and every digest of them)
 * stay as they were. */
static uint32_t minor_version(const struct tl_tlm_builder *b)
{
	for (size_t i = 0; i < b->n_tensors; i++)
		if (b->tensors[i].layout != TL_LAYOUT_ROWS)
			return 2;
	for (size_t i = 0; i < b->n_layers; i++)
		if (layer_needs_1_1(&b->layers[i]))
			return 1;
	return 0;
}

static void put_header(uint8_t *p, const struct tl_tlm_builder *b,
		       const struct layout *o)
{
	memcpy(p, TL_MAGIC, 4);
	put32(p + 4, TL_VERSION_MAJOR | minor_version(b) << 16);
	put32(p + 12, TL_HEADER_SIZE);
	put32(p + 16, (uint32_t)o->size);
	put32(p + 20, (uint32_t)b->n_tensors);
	put32(p + 24, (uint32_t)o->tensors);
	put32(p + 28, (uint32_t)b->n_layers);
	put32(p + 32, (uint32_t)o->layers);
	put32(p + 36, (uint32_t)o->weights);
	put32(p + 40, (uint32_t)b->weights_size);
	put32(p + 44, b->input);
	put32(p + 48, b->output);
}

int tl_tlm_finish(const struct tl_tlm_builder *b, uint8_t **blob, size_t *size)
{
	struct layout o = plan_layout(b);
	*blob = NULL;
	if (b->failed || o.size > UINT32_MAX)
		return -1;
	uint8_t *p = calloc(1, o.size);
	if (p == NULL)
		return -1;
	put_header(p, b, &o);
	for (size_t i = 0; i < b->n_tensors; i++)
		put_tensor(p + o.tensors + i * TL_TENSOR_ENTRY_SIZE, &b->tensors[i]);
	for (size_t i = 0; i < b->n_layers; i++)
		put_layer(p + o.layers + i * TL_LAYER_ENTRY_SIZE, &b->layers[i]);
	if (b->weights_size)
		memcpy(p + o.weights, b->weights, b->weights_size);
	put32(p + o.crc, tl_crc32(0, p, o.crc));
	*blob = p;
	*size = o.size;
	return 0;
}

void tl_tlm_describe_error(const struct tl_model_error *err,
			   const char *file_name, char *out, size_t len)
{
	char where[64] = "header";
	if (err->layer >= 0)
		snprintf(where, sizeof where, "layer %d", err->layer);
	else if (err->tensor >= 0)
		snprintf(where, sizeof where, "tensor %d", err->tensor);
	snprintf(out, len, "%s: %s: %s in field '%s': found %llu, expected %llu",
		 file_name, where, tl_status_str(err->code), err->field,
		 (unsigned long long)err->found,
		 (unsigned long long)err->expected);
}
