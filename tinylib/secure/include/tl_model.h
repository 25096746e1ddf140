/*
 * The .tlm model format and its checker (docs/model-format.md).
 *
 * A .tlm file is the unit that crosses into the secure world. It is checked
 * whole by tl_model_open before anything uses it: header, tables, every
 * tensor's shape and bytes, every layer's inputs, parameters and the shape
 * it must produce, and a CRC-32 over the file. Nothing outside the blob is
 * read, and every size is computed with overflow checks. After a successful
 * open, the accessors below return decoded, checked values and weight
 * pointers into the blob (read in place: no copy).
 *
 *   struct tl_model model;
 *   struct tl_model_error err;
 *   if (tl_model_open(blob, size, &model, &err) != TL_OK)
 *       ... err.code, err.layer, err.field, err.found, err.expected ...
 */
#ifndef TL_MODEL_H
#define TL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tl_kernels.h"

#define TL_MAGIC "TLMF"
#define TL_VERSION_MAJOR 1
#define TL_VERSION_MINOR 2   /* 1.1: rectangular geometry, layers 13-16,
				 activations 7-9, yolo softmax classes;
				 1.2: weights stored by 16
				 (docs/model-format.md) */
#define TL_HEADER_SIZE 64
#define TL_TENSOR_ENTRY_SIZE 32
#define TL_LAYER_ENTRY_SIZE 64
#define TL_CRC_SIZE 4
#define TL_ALIGN 16
#define TL_NONE 0xffffffffu   /* an unused tensor reference */
#define TL_MAX_INPUTS 4       /* tensor inputs of one layer */
#define TL_MAX_PARAMS 8       /* int32 parameters of one layer */
#define TL_MAX_LAYERS 512     /* so that a plan fits a fixed structure */
#define TL_MAX_TENSORS (3 * TL_MAX_LAYERS + 1) /* output, weights, bias */

enum tl_status {
	TL_OK = 0,
	TL_E_ARGUMENT,        /* a NULL pointer, or a blob not 16-byte aligned */
	TL_E_TRUNCATED,       /* the blob is shorter than what it describes */
	TL_E_MAGIC,
	TL_E_VERSION,
	TL_E_FLAGS,           /* a flag this version does not know */
	TL_E_HEADER,          /* a header field out of range or misaligned */
	TL_E_CRC,
	TL_E_TENSOR,          /* a tensor entry is invalid */
	TL_E_LAYER,           /* a layer entry is invalid */
	TL_E_REFERENCE,       /* a layer refers to a tensor it may not use */
	TL_E_SHAPE,           /* a tensor's shape is not what its layer makes */
	TL_E_WEIGHTS,         /* a parameter array has the wrong size */
	TL_E_ARENA,           /* the arena given to tl_run is too small */
	TL_E_LIMIT,           /* more layers or tensors than TL_MAX_* */
};

enum tl_layer_type {
	TL_LAYER_CONV = 1,        /* groups > 1 gives grouped and depthwise */
	TL_LAYER_CONNECTED = 2,
	TL_LAYER_MAXPOOL = 3,
	TL_LAYER_AVGPOOL = 4,     /* global */
	TL_LAYER_SOFTMAX = 5,
	TL_LAYER_SHORTCUT = 6,
	TL_LAYER_ROUTE = 7,
	TL_LAYER_UPSAMPLE = 8,
	TL_LAYER_DROPOUT = 9,     /* identity at inference */
	TL_LAYER_CROP = 10,
	TL_LAYER_YOLO = 11,       /* 1.1: params[1] softmax classes ([region]) */
	TL_LAYER_ACTIVATION = 12,
	TL_LAYER_ELTWISE = 13,    /* 1.1: a OP b, b broadcast (tl_eltwise) */
	TL_LAYER_SHUFFLE = 14,    /* 1.1: channel shuffle */
	TL_LAYER_SLICE = 15,      /* 1.1: a run of channels */
	TL_LAYER_LAYERNORM = 16,  /* 1.1: over the channels of each pixel */
	TL_LAYER_TYPE_END
};

enum tl_tensor_kind { TL_TENSOR_ACTIVATION = 1, TL_TENSOR_PARAMETER = 2 };
enum tl_dtype { TL_DTYPE_F32 = 1 };
/* How a parameter tensor's floats lie (1.2; before, rows only). */
enum tl_layout {
	TL_LAYOUT_ROWS = 0,	/* [c][h][w] */
	TL_LAYOUT_BY_16 = 1	/* a convolution's weights by 16 (tl_kernels.h) */
};

/* Where a problem was found, for a message the normal side can write. */
struct tl_model_error {
	enum tl_status code;
	int layer;            /* -1 when not about a layer */
	int tensor;           /* -1 when not about a tensor */
	const char *field;    /* the field or check, e.g. "inputs[1]" */
	uint64_t found, expected;
};

struct tl_tensor {
	enum tl_tensor_kind kind;
	uint32_t c, h, w;
	size_t elements;
	const float *data;    /* parameters only: in the blob */
	enum tl_layout layout;
};

struct tl_layer {
	enum tl_layer_type type;
	enum tl_activation activation;
	uint32_t output;
	uint32_t inputs[TL_MAX_INPUTS];
	int n_inputs;
	uint32_t weights, bias;   /* parameter tensors or TL_NONE */
	int32_t params[TL_MAX_PARAMS];
};

struct tl_model {
	const uint8_t *blob;
	size_t size;
	uint32_t tensor_count, layer_count;
	uint32_t tensor_table, layer_table, weights_offset, weights_size;
	uint32_t input, output;   /* tensor ids */
	uint16_t version_minor;
};

/* Checks the whole blob and fills *model; *err says what failed. */
enum tl_status tl_model_open(const void *blob, size_t size,
			     struct tl_model *model,
			     struct tl_model_error *err);

/* Decoded entries of an opened model (ids must be < the counts). */
void tl_model_tensor(const struct tl_model *m, uint32_t id, struct tl_tensor *t);
void tl_model_layer(const struct tl_model *m, uint32_t index, struct tl_layer *l);

/*
 * The window of a convolution or maxpool layer, with format 1.1's
 * defaults applied (docs/model-format.md): kernel kh x kw, strides sh and
 * sw, pad_h rows and pad_w columns added around the input in all, of
 * which top and left come before it (a convolution's pad_top and
 * pad_left; Darknet's padding/2 for maxpool). The output is
 * ((h + pad_h - kh)/sh + 1, (w + pad_w - kw)/sw + 1). Meaningful once
 * tl_model_open has checked the layer.
 */
struct tl_geometry { uint32_t kh, kw, sh, sw, pad_h, pad_w, top, left; };
void tl_layer_geometry(const struct tl_layer *l, struct tl_geometry *g);

/* A float stored in an int32 parameter slot (alpha, beta, scale, ...). */
float tl_param_float(int32_t bits);

/* The status as a short phrase ("CRC mismatch", ...). */
const char *tl_status_str(enum tl_status status);

/* CRC-32 (IEEE 802.3, reflected, as zlib): crc = tl_crc32(0, data, n). */
uint32_t tl_crc32(uint32_t crc, const void *data, size_t n);

#endif /* TL_MODEL_H */
