/*
 * Writes the binary part of the corpus of malformed inputs
 * (tests/corpus/README.md): the .tlm files and their expected refusals
 * (tlm/expected.tsv), and the tampered .tlme files (tlme/, with the key
 * they were sealed with and tlme/expected.tsv). Every file is one
 * valid model changed in one way; unless a case says otherwise, the size
 * field and the CRC are made right again afterwards, so that what refuses
 * the file is the structural check the case is about, not the CRC.
 * `make corpus` runs it from the repository's root; the output is
 * deterministic.
 *
 *   make_corpus [DIR]        (default tests/corpus)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_model.h"
#include "smartzone_ta.h"
#include "tl_engine.h"
#include "tl_tlm_builder.h"

static const char *root = "tests/corpus";

/* ---- the valid model every .tlm case starts from ----
 *
 * t0 in 2x8x8 -> L0 conv 3x3 pad 1, 4 filters, relu (t1; w t2, b t3) ->
 * L1 maxpool 2/2 (t4 4x4x4) -> L2 conv 1x1 (t5; w t6, b t7) ->
 * L3 shortcut t5 + t4 (t8) -> L4 route t8, t4 (t9 8x4x4) ->
 * L5 connected 6 (t10; w t11, b t12) -> L6 softmax (t13).
 */
enum { T_IN, T_CONV, T_CONV_W, T_CONV_B, T_POOL, T_PW, T_PW_W, T_PW_B,
       T_SUM, T_CAT, T_FC, T_FC_W, T_FC_B, T_PROB, N_TENSORS };

static uint32_t param(struct tl_tlm_builder *b, uint32_t c, uint32_t h,
		      uint32_t w)
{
	static float v[1024];
	for (size_t i = 0; i < (size_t)c * h * w; i++)
		v[i] = (float)((i * 40503u) % 1009u) / 1009.0f - 0.5f;
	return tl_tlm_add_parameter(b, v, c, h, w);
}

static struct tl_layer layer(enum tl_layer_type type, enum tl_activation act,
			     uint32_t out, uint32_t in0, uint32_t in1)
{
	struct tl_layer l = tl_tlm_layer(type, act, out);
	l.inputs[0] = in0;
	l.inputs[1] = in1;
	return l;
}

static uint8_t *base_model(size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	tl_tlm_add_activation(&b, 2, 8, 8);
	tl_tlm_add_activation(&b, 4, 8, 8);
	param(&b, 4, 1, 18);
	param(&b, 4, 1, 1);
	tl_tlm_add_activation(&b, 4, 4, 4);
	tl_tlm_add_activation(&b, 4, 4, 4);
	param(&b, 4, 1, 4);
	param(&b, 4, 1, 1);
	tl_tlm_add_activation(&b, 4, 4, 4);
	tl_tlm_add_activation(&b, 8, 4, 4);
	tl_tlm_add_activation(&b, 6, 1, 1);
	param(&b, 6, 1, 128);
	param(&b, 6, 1, 1);
	tl_tlm_add_activation(&b, 6, 1, 1);
	struct tl_layer l = layer(TL_LAYER_CONV, TL_ACT_RELU, T_CONV, T_IN,
				  TL_NONE);
	l.params[0] = 3, l.params[1] = 1, l.params[2] = 1, l.params[3] = 1;
	l.weights = T_CONV_W, l.bias = T_CONV_B;
	tl_tlm_add_layer(&b, &l);
	l = layer(TL_LAYER_MAXPOOL, TL_ACT_LINEAR, T_POOL, T_CONV, TL_NONE);
	l.params[0] = 2, l.params[1] = 2, l.params[2] = 0;
	tl_tlm_add_layer(&b, &l);
	l = layer(TL_LAYER_CONV, TL_ACT_LINEAR, T_PW, T_POOL, TL_NONE);
	l.params[0] = 1, l.params[1] = 1, l.params[2] = 0, l.params[3] = 1;
	l.weights = T_PW_W, l.bias = T_PW_B;
	tl_tlm_add_layer(&b, &l);
	l = layer(TL_LAYER_SHORTCUT, TL_ACT_LINEAR, T_SUM, T_PW, T_POOL);
	l.params[0] = tl_tlm_float_param(1.0f);
	l.params[1] = tl_tlm_float_param(1.0f);
	tl_tlm_add_layer(&b, &l);
	l = layer(TL_LAYER_ROUTE, TL_ACT_LINEAR, T_CAT, T_SUM, T_POOL);
	tl_tlm_add_layer(&b, &l);
	l = layer(TL_LAYER_CONNECTED, TL_ACT_LINEAR, T_FC, T_CAT, TL_NONE);
	l.weights = T_FC_W, l.bias = T_FC_B;
	tl_tlm_add_layer(&b, &l);
	l = layer(TL_LAYER_SOFTMAX, TL_ACT_LINEAR, T_PROB, T_FC, TL_NONE);
	tl_tlm_add_layer(&b, &l);
	tl_tlm_set_io(&b, T_IN, T_PROB);
	uint8_t *blob;
	struct tl_model m;
	struct tl_model_error e;
	if (b.n_tensors != N_TENSORS || tl_tlm_finish(&b, &blob, size) ||
	    tl_model_open(blob, *size, &m, &e) != TL_OK) {
		fprintf(stderr, "make_corpus: the base model is not valid\n");
		exit(1);
	}
	tl_tlm_builder_free(&b);
	return blob;
}

/* ---- the cases ---- */

enum op {
	SET32,		/* the u32 at the place = value */
	SET32_SIZE,	/* the u32 at the place = the file's size + value */
	SET16,
	CUT,		/* keep the first `value` bytes past the place, as is */
	CUT_FIXED,	/* keep them, then a size field and CRC that fit */
	FLIP,		/* xor the byte at the place with 1; the CRC as is */
	SET32_1_1,	/* as SET32, in a file of minor version 1 (format 1.1) */
};

enum where { HDR, TENSOR, LAYER, WEIGHTS, END };

#define NONE		TL_NONE
#define PAST_END	0x10000u	/* aligned, past the file */

struct tcase {
	const char *name;
	enum op op;
	enum where where;
	uint32_t index;		/* tensor or layer */
	uint32_t at;		/* byte within it */
	uint32_t value;
	const char *status;	/* tl_status_str of the refusal */
	const char *field;
	int layer, tensor;
};

#define TRUNC "truncated or out-of-bounds data"
#define HEADER "invalid header field"
#define TENSOR_E "invalid tensor entry"
#define LAYER_E "invalid layer entry"
#define REF "invalid tensor reference"
#define SHAPE "shape mismatch"
#define WSIZE "wrong parameter array size"
#define LIMIT "too many layers or tensors"
#define CRC "CRC mismatch"

/* Layer entry offsets (docs/model-format.md). */
#define L_TYPE 0
#define L_ACT 2
#define L_OUT 4
#define L_IN(i) (8 + 4 * (i))
#define L_W 24
#define L_B 28
#define L_P(i) (32 + 4 * (i))
/* Tensor entry offsets. */
#define T_KIND 0
#define T_DTYPE 4
#define T_C 8
#define T_H 12
#define T_W 16
#define T_OFF 20

static const struct tcase tlm_cases[] = {
	/* header */
	{ "magic-tlmx", SET32, HDR, 0, 0, 0x584d4c54, "not a .tlm file", "magic", -1, -1 },
	{ "magic-zero", SET32, HDR, 0, 0, 0, "not a .tlm file", "magic", -1, -1 },
	{ "magic-lowercase", SET32, HDR, 0, 0, 0x666d6c74, "not a .tlm file", "magic", -1, -1 },
	{ "version-major-0", SET16, HDR, 0, 4, 0, "unsupported format version", "version major", -1, -1 },
	{ "version-major-2", SET16, HDR, 0, 4, 2, "unsupported format version", "version major", -1, -1 },
	{ "version-major-ffff", SET16, HDR, 0, 4, 0xffff, "unsupported format version", "version major", -1, -1 },
	{ "flags-1", SET32, HDR, 0, 8, 1, "unknown flags", "flags", -1, -1 },
	{ "flags-top-bit", SET32, HDR, 0, 8, 0x80000000u, "unknown flags", "flags", -1, -1 },
	{ "header-size-0", SET32, HDR, 0, 12, 0, HEADER, "header size", -1, -1 },
	{ "header-size-63", SET32, HDR, 0, 12, 63, HEADER, "header size", -1, -1 },
	{ "header-size-65", SET32, HDR, 0, 12, 65, HEADER, "header size", -1, -1 },
	{ "header-size-max", SET32, HDR, 0, 12, 0xffffffffu, HEADER, "header size", -1, -1 },
	{ "header-reserved-first", SET32, HDR, 0, 52, 1, HEADER, "reserved[0]", -1, -1 },
	{ "header-reserved-last", SET32, HDR, 0, 60, 0x80000000u, HEADER, "reserved[2]", -1, -1 },
	{ "file-size-0", SET32, HDR, 0, 16, 0, TRUNC, "file size", -1, -1 },
	{ "file-size-1", SET32, HDR, 0, 16, 1, TRUNC, "file size", -1, -1 },
	{ "file-size-one-short", SET32_SIZE, HDR, 0, 16, (uint32_t)-1, TRUNC, "file size", -1, -1 },
	{ "file-size-one-over", SET32_SIZE, HDR, 0, 16, 1, TRUNC, "file size", -1, -1 },
	{ "file-size-max", SET32, HDR, 0, 16, 0xffffffffu, TRUNC, "file size", -1, -1 },
	/* cut short, the header and CRC as they were */
	{ "cut-empty", CUT, HDR, 0, 0, 0, TRUNC, "file size", -1, -1 },
	{ "cut-1-byte", CUT, HDR, 0, 0, 1, TRUNC, "file size", -1, -1 },
	{ "cut-magic-only", CUT, HDR, 0, 0, 4, TRUNC, "file size", -1, -1 },
	{ "cut-in-header", CUT, HDR, 0, 0, 63, TRUNC, "file size", -1, -1 },
	{ "cut-header-only", CUT, HDR, 0, 0, 64, TRUNC, "file size", -1, -1 },
	{ "cut-header-and-3", CUT, HDR, 0, 0, 67, TRUNC, "file size", -1, -1 },
	{ "cut-in-tensor-table", CUT, TENSOR, 2, 0, 8, TRUNC, "file size", -1, -1 },
	{ "cut-at-layer-table", CUT, LAYER, 0, 0, 0, TRUNC, "file size", -1, -1 },
	{ "cut-in-layer-table", CUT, LAYER, 3, 0, 40, TRUNC, "file size", -1, -1 },
	{ "cut-at-weights", CUT, WEIGHTS, 0, 0, 0, TRUNC, "file size", -1, -1 },
	{ "cut-in-weights", CUT, WEIGHTS, 0, 0, 1000, TRUNC, "file size", -1, -1 },
	{ "cut-before-crc", CUT, END, 0, 4, 0, TRUNC, "file size", -1, -1 },
	{ "cut-last-byte", CUT, END, 0, 1, 0, TRUNC, "file size", -1, -1 },
	/* cut short, then a size field and CRC that fit: the sections
	 * are what no longer fit */
	{ "cut-fixed-after-header", CUT_FIXED, HDR, 0, 0, 64, TRUNC, "tensor table", -1, -1 },
	{ "cut-fixed-in-tensor-table", CUT_FIXED, TENSOR, 5, 0, 12, TRUNC, "tensor table", -1, -1 },
	{ "cut-fixed-at-layer-table", CUT_FIXED, LAYER, 0, 0, 0, TRUNC, "layer table", -1, -1 },
	{ "cut-fixed-in-layer-table", CUT_FIXED, LAYER, 6, 0, 20, TRUNC, "layer table", -1, -1 },
	{ "cut-fixed-at-weights", CUT_FIXED, WEIGHTS, 0, 0, 0, TRUNC, "weights", -1, -1 },
	{ "cut-fixed-in-weights", CUT_FIXED, WEIGHTS, 0, 0, 500, TRUNC, "weights", -1, -1 },
	{ "cut-fixed-one-short", CUT_FIXED, END, 0, 5, 0, TRUNC, "weights", -1, -1 },
	/* the CRC is what refuses these */
	{ "crc-weight-flipped", FLIP, WEIGHTS, 0, 100, 0, CRC, "crc32", -1, -1 },
	{ "crc-tensor-flipped", FLIP, TENSOR, 4, T_C, 0, CRC, "crc32", -1, -1 },
	{ "crc-layer-flipped", FLIP, LAYER, 2, L_P(0), 0, CRC, "crc32", -1, -1 },
	{ "crc-input-id-flipped", FLIP, HDR, 0, 44, 0, CRC, "crc32", -1, -1 },
	{ "crc-field-flipped", FLIP, END, 0, 4, 0, CRC, "crc32", -1, -1 },
	{ "crc-minor-version-flipped", FLIP, HDR, 0, 6, 0, CRC, "crc32", -1, -1 },
	/* counts */
	{ "tensor-count-0", SET32, HDR, 0, 20, 0, LIMIT, "tensor count", -1, -1 },
	{ "tensor-count-1", SET32, HDR, 0, 20, 1, LIMIT, "tensor count", -1, -1 },
	{ "tensor-count-over-limit", SET32, HDR, 0, 20, TL_MAX_TENSORS + 1, LIMIT, "tensor count", -1, -1 },
	{ "tensor-count-max", SET32, HDR, 0, 20, 0xffffffffu, LIMIT, "tensor count", -1, -1 },
	{ "tensor-count-one-more", SET32, HDR, 0, 20, N_TENSORS + 1, HEADER, "layer table", -1, -1 },
	{ "layer-count-0", SET32, HDR, 0, 28, 0, LIMIT, "layer count", -1, -1 },
	{ "layer-count-over-limit", SET32, HDR, 0, 28, TL_MAX_LAYERS + 1, LIMIT, "layer count", -1, -1 },
	{ "layer-count-max", SET32, HDR, 0, 28, 0xffffffffu, LIMIT, "layer count", -1, -1 },
	{ "layer-count-times-64-wraps", SET32, HDR, 0, 28, 0x04000001u, LIMIT, "layer count", -1, -1 },
	{ "layer-count-one-more", SET32, HDR, 0, 28, 8, HEADER, "weights", -1, -1 },
	{ "layer-count-at-limit", SET32, HDR, 0, 28, TL_MAX_LAYERS, TRUNC, "layer table", -1, -1 },
	/* offsets outside the file, misaligned, or overlapping */
	{ "tensor-table-at-0", SET32, HDR, 0, 24, 0, TRUNC, "tensor table", -1, -1 },
	{ "tensor-table-in-header", SET32, HDR, 0, 24, 32, TRUNC, "tensor table", -1, -1 },
	{ "tensor-table-misaligned", SET32, HDR, 0, 24, 72, HEADER, "tensor table", -1, -1 },
	{ "tensor-table-past-end", SET32, HDR, 0, 24, PAST_END, TRUNC, "tensor table", -1, -1 },
	{ "tensor-table-offset-max", SET32, HDR, 0, 24, 0xfffffff0u, TRUNC, "tensor table", -1, -1 },
	{ "layer-table-at-0", SET32, HDR, 0, 32, 0, TRUNC, "layer table", -1, -1 },
	{ "layer-table-misaligned", SET32, HDR, 0, 32, 520, HEADER, "layer table", -1, -1 },
	{ "layer-table-past-end", SET32, HDR, 0, 32, PAST_END, TRUNC, "layer table", -1, -1 },
	{ "layer-table-offset-max", SET32, HDR, 0, 32, 0xfffffff0u, TRUNC, "layer table", -1, -1 },
	{ "layer-table-on-tensor-table", SET32, HDR, 0, 32, 64, HEADER, "layer table", -1, -1 },
	{ "weights-misaligned", SET32, HDR, 0, 36, 1000, HEADER, "weights", -1, -1 },
	{ "weights-past-end", SET32, HDR, 0, 36, PAST_END, TRUNC, "weights", -1, -1 },
	{ "weights-offset-max", SET32, HDR, 0, 36, 0xfffffff0u, TRUNC, "weights", -1, -1 },
	{ "weights-size-max", SET32, HDR, 0, 40, 0xffffffffu, TRUNC, "weights", -1, -1 },
	{ "weights-on-layer-table", SET32, HDR, 0, 36, 512, HEADER, "weights", -1, -1 },
	{ "weights-on-tensor-table", SET32, HDR, 0, 36, 64, HEADER, "weights", -1, -1 },
	/* tensors */
	{ "tensor-kind-0", SET32, TENSOR, T_IN, T_KIND, 0, TENSOR_E, "kind", -1, T_IN },
	{ "tensor-kind-3", SET32, TENSOR, T_CONV_W, T_KIND, 3, TENSOR_E, "kind", -1, T_CONV_W },
	{ "tensor-dtype-0", SET32, TENSOR, T_CONV, T_DTYPE, 0, TENSOR_E, "dtype", -1, T_CONV },
	{ "tensor-dtype-2", SET32, TENSOR, T_FC_W, T_DTYPE, 2, TENSOR_E, "dtype", -1, T_FC_W },
	{ "tensor-reserved", SET32, TENSOR, T_CONV_B, 24, 1, TENSOR_E, "reserved[0]", -1, T_CONV_B },
	{ "tensor-reserved-second", SET32, TENSOR, T_PROB, 28, 0xffffffffu, TENSOR_E, "reserved[1]", -1, T_PROB },
	{ "tensor-c-0", SET32, TENSOR, T_POOL, T_C, 0, TENSOR_E, "shape", -1, T_POOL },
	{ "tensor-h-0", SET32, TENSOR, T_IN, T_H, 0, TENSOR_E, "shape", -1, T_IN },
	{ "tensor-w-0", SET32, TENSOR, T_FC_B, T_W, 0, TENSOR_E, "shape", -1, T_FC_B },
	{ "tensor-c-times-h-over-32-bits", SET32, TENSOR, T_CAT, T_C, 0x40000000u, TENSOR_E, "elements", -1, T_CAT },
	{ "tensor-bytes-over-32-bits", SET32, TENSOR, T_PROB, T_C, 0x40000000u, TENSOR_E, "elements", -1, T_PROB },
	{ "tensor-c-h-w-max", SET32, TENSOR, T_SUM, T_C, 0xffffffffu, TENSOR_E, "elements", -1, T_SUM },
	{ "activation-with-offset", SET32, TENSOR, T_CONV, T_OFF, 16, TENSOR_E, "offset", -1, T_CONV },
	{ "parameter-offset-misaligned", SET32, TENSOR, T_PW_W, T_OFF, 4, TENSOR_E, "offset alignment", -1, T_PW_W },
	{ "parameter-past-weights", SET32, TENSOR, T_FC_B, T_OFF, 0x10000, TRUNC, "data", -1, T_FC_B },
	{ "parameter-offset-max", SET32, TENSOR, T_CONV_W, T_OFF, 0xfffffff0u, TRUNC, "data", -1, T_CONV_W },
	{ "parameter-larger-than-weights", SET32, TENSOR, T_FC_W, T_C, 1000, TRUNC, "data", -1, T_FC_W },
	/* layers: kinds */
	{ "layer-type-0", SET16, LAYER, 0, L_TYPE, 0, LAYER_E, "type", 0, -1 },
	{ "layer-type-13", SET16, LAYER, 2, L_TYPE, 13, LAYER_E, "type", 2, -1 },
	{ "layer-type-ffff", SET16, LAYER, 6, L_TYPE, 0xffff, LAYER_E, "type", 6, -1 },
	{ "layer-activation-7", SET16, LAYER, 0, L_ACT, 7, LAYER_E, "activation", 0, -1 },
	{ "maxpool-with-relu", SET16, LAYER, 1, L_ACT, 1, LAYER_E, "activation", 1, -1 },
	{ "softmax-with-logistic", SET16, LAYER, 6, L_ACT, 4, LAYER_E, "activation", 6, -1 },
	/* layers: inputs forward, to themselves, out of range */
	{ "conv-two-inputs", SET32, LAYER, 0, L_IN(1), T_IN, LAYER_E, "input count", 0, -1 },
	{ "shortcut-one-input", SET32, LAYER, 3, L_IN(1), NONE, LAYER_E, "input count", 3, -1 },
	{ "route-input-gap", SET32, LAYER, 4, L_IN(0), NONE, REF, "inputs[0]", 4, -1 },
	{ "input-forward", SET32, LAYER, 1, L_IN(0), T_PW, REF, "inputs[0]", 1, -1 },
	{ "input-to-itself", SET32, LAYER, 1, L_IN(0), T_POOL, REF, "inputs[0]", 1, -1 },
	{ "input-out-of-range", SET32, LAYER, 1, L_IN(0), N_TENSORS, REF, "inputs[0]", 1, -1 },
	{ "input-near-none", SET32, LAYER, 0, L_IN(0), 0xfffffffeu, REF, "inputs[0]", 0, -1 },
	{ "input-a-parameter", SET32, LAYER, 1, L_IN(0), T_CONV_W, REF, "inputs[0]", 1, -1 },
	{ "shortcut-input-forward", SET32, LAYER, 3, L_IN(1), T_CAT, REF, "inputs[1]", 3, -1 },
	{ "shortcut-input-itself", SET32, LAYER, 3, L_IN(1), T_SUM, REF, "inputs[1]", 3, -1 },
	{ "route-input-out-of-range", SET32, LAYER, 4, L_IN(1), 0x7fffffffu, REF, "inputs[1]", 4, -1 },
	/* layers: outputs */
	{ "output-is-model-input", SET32, LAYER, 1, L_OUT, T_IN, REF, "output", 1, -1 },
	{ "output-written-twice", SET32, LAYER, 2, L_OUT, T_POOL, REF, "output", 2, -1 },
	{ "output-a-parameter", SET32, LAYER, 1, L_OUT, T_CONV_B, REF, "output", 1, -1 },
	{ "output-out-of-range", SET32, LAYER, 6, L_OUT, 99, REF, "output", 6, -1 },
	/* layers: parameters and shapes */
	{ "conv-size-0", SET32, LAYER, 0, L_P(0), 0, LAYER_E, "size/stride/pad", 0, -1 },
	{ "conv-size-2000", SET32, LAYER, 0, L_P(0), 2000, LAYER_E, "size/stride/pad", 0, -1 },
	{ "conv-stride-0", SET32, LAYER, 0, L_P(1), 0, LAYER_E, "size/stride/pad", 0, -1 },
	{ "conv-stride-negative", SET32, LAYER, 2, L_P(1), 0x80000000u, LAYER_E, "size/stride/pad", 2, -1 },
	{ "conv-pad-negative", SET32, LAYER, 0, L_P(2), 0xffffffffu, LAYER_E, "size/stride/pad", 0, -1 },
	{ "conv-groups-0", SET32, LAYER, 0, L_P(3), 0, LAYER_E, "groups", 0, -1 },
	{ "conv-groups-3", SET32, LAYER, 0, L_P(3), 3, LAYER_E, "groups", 0, -1 },
	{ "conv-kernel-larger-than-input", SET32, LAYER, 2, L_P(0), 9, SHAPE, "kernel larger than padded input", 2, -1 },
	{ "conv-stride-2", SET32, LAYER, 0, L_P(1), 2, SHAPE, "output height", 0, -1 },
	{ "conv-output-height", SET32, TENSOR, T_CONV, T_H, 7, SHAPE, "output height", 0, -1 },
	{ "conv-output-width", SET32, TENSOR, T_CONV, T_W, 9, SHAPE, "output width", 0, -1 },
	{ "maxpool-size-0", SET32, LAYER, 1, L_P(0), 0, LAYER_E, "size/stride/padding", 1, -1 },
	{ "maxpool-padding-negative", SET32, LAYER, 1, L_P(2), 0xfffffffeu, LAYER_E, "size/stride/padding", 1, -1 },
	{ "maxpool-window-too-large", SET32, LAYER, 1, L_P(0), 20, SHAPE, "window larger than padded input", 1, -1 },
	{ "maxpool-stride-1", SET32, LAYER, 1, L_P(1), 1, SHAPE, "output height", 1, -1 },
	/* format 1.1's geometry: its fields in a minor-0 file, bad values */
	{ "conv-kw-in-1.0", SET32, LAYER, 0, L_P(4), 3, LAYER_E, "params[4]", 0, -1 },
	{ "conv-pad-bottom-in-1.0", SET32, LAYER, 0, L_P(6), 2, LAYER_E, "params[6]", 0, -1 },
	{ "maxpool-kw-in-1.0", SET32, LAYER, 1, L_P(3), 2, LAYER_E, "params[3]", 1, -1 },
	{ "conv-kw-1025", SET32_1_1, LAYER, 0, L_P(4), 1025, LAYER_E, "kw", 0, -1 },
	{ "conv-sw-negative", SET32_1_1, LAYER, 0, L_P(5), 0xffffffffu, LAYER_E, "sw", 0, -1 },
	{ "conv-pad-bottom-1026", SET32_1_1, LAYER, 0, L_P(6), 1026, LAYER_E, "pad_bottom", 0, -1 },
	{ "conv-pad-right-missing", SET32_1_1, LAYER, 0, L_P(7), 2, LAYER_E, "pad_left/right", 0, -1 },
	{ "conv-kw-5", SET32_1_1, LAYER, 0, L_P(4), 5, SHAPE, "output width", 0, -1 },
	{ "conv-kw-larger-than-input", SET32_1_1, LAYER, 0, L_P(4), 11, SHAPE, "kernel larger than padded input", 0, -1 },
	{ "maxpool-kw-2000", SET32_1_1, LAYER, 1, L_P(3), 2000, LAYER_E, "kw", 1, -1 },
	{ "maxpool-sw-negative", SET32_1_1, LAYER, 1, L_P(4), 0x80000000u, LAYER_E, "sw", 1, -1 },
	{ "maxpool-padding-w-2000", SET32_1_1, LAYER, 1, L_P(5), 2000, LAYER_E, "padding_w", 1, -1 },
	{ "maxpool-sw-1", SET32_1_1, LAYER, 1, L_P(4), 1, SHAPE, "output width", 1, -1 },
	{ "maxpool-params-6-in-1.1", SET32_1_1, LAYER, 1, L_P(6), 1, LAYER_E, "params[6]", 1, -1 },
	{ "route-sizes-differ", SET32, LAYER, 4, L_IN(1), T_CONV, SHAPE, "route input size", 4, -1 },
	{ "route-channels", SET32, TENSOR, T_CAT, T_C, 9, SHAPE, "output channels", 4, -1 },
	{ "connected-output-height", SET32, TENSOR, T_FC, T_H, 2, SHAPE, "output height", 5, -1 },
	{ "softmax-output-channels", SET32, TENSOR, T_PROB, T_C, 5, SHAPE, "output channels", 6, -1 },
	/* weight sizes that disagree, references that may not be */
	{ "conv-weights-count", SET32, TENSOR, T_CONV_W, T_C, 5, WSIZE, "weights", 0, -1 },
	{ "conv-bias-count", SET32, TENSOR, T_CONV_B, T_W, 2, WSIZE, "bias", 0, -1 },
	{ "pointwise-weights-count", SET32, TENSOR, T_PW_W, T_W, 3, WSIZE, "weights", 2, -1 },
	{ "connected-weights-count", SET32, TENSOR, T_FC_W, T_W, 127, WSIZE, "weights", 5, -1 },
	{ "connected-bias-count", SET32, TENSOR, T_FC_B, T_C, 5, WSIZE, "bias", 5, -1 },
	{ "conv-weights-missing", SET32, LAYER, 0, L_W, NONE, REF, "weights", 0, -1 },
	{ "conv-weights-an-activation", SET32, LAYER, 0, L_W, T_CONV, REF, "weights", 0, -1 },
	{ "conv-bias-out-of-range", SET32, LAYER, 0, L_B, 1000, REF, "bias", 0, -1 },
	{ "conv-weights-are-the-bias", SET32, LAYER, 0, L_W, T_CONV_B, WSIZE, "weights", 0, -1 },
	{ "maxpool-with-weights", SET32, LAYER, 1, L_W, T_CONV_W, REF, "weights", 1, -1 },
	{ "softmax-with-bias", SET32, LAYER, 6, L_B, T_FC_B, REF, "bias", 6, -1 },
	/* the model's input and output */
	{ "model-input-out-of-range", SET32, HDR, 0, 44, 99, REF, "model input", -1, 99 },
	{ "model-input-a-parameter", SET32, HDR, 0, 44, T_CONV_W, REF, "model input", -1, T_CONV_W },
	{ "model-output-never-written", SET32, HDR, 0, 48, T_IN, REF, "model output", -1, T_IN },
	{ "model-output-none", SET32, HDR, 0, 48, NONE, REF, "model output", -1, -1 },
	{ "model-output-a-parameter", SET32, HDR, 0, 48, T_FC_W, REF, "model output", -1, T_FC_W },
};

/* ---- writing ---- */

static void mkdirs(const char *sub)
{
	char path[512];
	mkdir(root, 0755);
	snprintf(path, sizeof path, "%s/%s", root, sub);
	mkdir(path, 0755);
}

static void write_file(const char *sub, const char *name, const void *p,
		       size_t n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s/%s", root, sub, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "make_corpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Where a case's place is in the base model. */
static size_t place(const uint8_t *b, size_t size, const struct tcase *c)
{
	switch (c->where) {
	case TENSOR:
		return get32(b + 24) + (size_t)c->index * TL_TENSOR_ENTRY_SIZE +
		       c->at;
	case LAYER:
		return get32(b + 32) + (size_t)c->index * TL_LAYER_ENTRY_SIZE +
		       c->at;
	case WEIGHTS:
		return get32(b + 36) + c->at;
	case END:
		return size - c->at;
	default:
		return c->at;
	}
}

/* The base model changed as c says; *n its new size. */
static uint8_t *apply(const uint8_t *base, size_t size, const struct tcase *c,
		      size_t *n)
{
	uint8_t *b = malloc(size + 4);
	memcpy(b, base, size);
	size_t at = place(base, size, c);
	bool fix_crc = true;
	*n = size;
	switch (c->op) {
	case SET32:
		put32(b + at, c->value);
		break;
	case SET32_1_1:
		put32(b + at, c->value);
		b[6] = 1;
		break;
	case SET32_SIZE:
		put32(b + at, (uint32_t)size + c->value);
		break;
	case SET16:
		b[at] = (uint8_t)c->value;
		b[at + 1] = (uint8_t)(c->value >> 8);
		break;
	case CUT:
		*n = at + c->value;
		fix_crc = false;
		break;
	case CUT_FIXED:
		*n = at + c->value + TL_CRC_SIZE;
		put32(b + 16, (uint32_t)*n);
		break;
	case FLIP:
		b[at] ^= 1;
		fix_crc = false;
		break;
	}
	if (fix_crc && *n >= TL_HEADER_SIZE + TL_CRC_SIZE)
		put32(b + *n - TL_CRC_SIZE,
		      tl_crc32(0, b, *n - TL_CRC_SIZE));
	return b;
}

static void write_tlm(void)
{
	size_t size;
	uint8_t *base = base_model(&size);
	mkdirs("tlm");
	char path[512];
	snprintf(path, sizeof path, "%s/tlm/expected.tsv", root);
	FILE *tsv = fopen(path, "w");
	if (tsv == NULL) {
		fprintf(stderr, "make_corpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fprintf(tsv, "# file\tstatus\tfield\tlayer\ttensor "
		"(tests/tinylib/test_malformed_tlm.c)\n");
	size_t n_cases = sizeof tlm_cases / sizeof *tlm_cases;
	for (size_t i = 0; i < n_cases; i++) {
		const struct tcase *c = &tlm_cases[i];
		size_t n;
		uint8_t *b = apply(base, size, c, &n);
		char name[96];
		snprintf(name, sizeof name, "%s.tlm", c->name);
		write_file("tlm", name, b, n);
		fprintf(tsv, "%s\t%s\t%s\t%d\t%d\n", name, c->status, c->field,
			c->layer, c->tensor);
		free(b);
	}
	fclose(tsv);
	write_file("tlm", "valid-base.model", base, size);
	free(base);
	printf("make_corpus: %zu .tlm cases\n", n_cases);
}

/* ---- tampered .tlme ---- */

/* This corpus's device key (tlme/key: raw, 32 bytes). */
static const uint8_t tlme_key[SZ_KEY_BYTES] = {
	0xc4, 0x17, 0x6b, 0x92, 0x0d, 0xe8, 0x35, 0xaf, 0x51, 0x7e, 0x23,
	0xb9, 0x06, 0xdc, 0x48, 0x9a, 0xf1, 0x2c, 0x63, 0x8d, 0x3a, 0xe5,
	0x70, 0x1f, 0xb4, 0x09, 0xcb, 0x56, 0x94, 0x2e, 0x81, 0xd7,
};

/* The base model sealed with the corpus's key (fuzz_model.h's sealing,
 * a fixed nonce: reproducible). */
static uint8_t *seal(const uint8_t *tlm, size_t size, size_t *out_size)
{
	struct tl_plan *plan = malloc(sizeof *plan);
	struct tl_model m;
	struct tl_model_error e;
	if (plan == NULL || tl_model_open(tlm, size, &m, &e) != TL_OK ||
	    tl_plan(&m, plan) != TL_OK)
		exit(1);
	uint8_t nonce[SZ_GCM_NONCE_BYTES];
	for (unsigned i = 0; i < SZ_GCM_NONCE_BYTES; i++)
		nonce[i] = (uint8_t)(0x5a + 3 * i);
	uint8_t *out = fz_seal(tlm, size, (uint32_t)plan->arena_size, nonce,
			       tlme_key, out_size);
	free(plan);
	return out;
}

/* Where the refusal comes from: the client's header check (normal side,
 * nothing sent) or the TA (its code). */
struct ecase {
	const char *name;
	uint32_t at;		/* byte of the image; from the end when < 0 */
	int from_end;
	uint32_t xor_mask;	/* 0: cut the image at `at` instead */
	const char *refused_by;	/* "client" or the TA's code */
};

static const struct ecase tlme_cases[] = {
	{ "magic-flipped", 0, 0, 0x01, "client" },
	{ "arena-word-changed", 4, 0, 0x40, "TEE_ERROR_MAC_INVALID" },
	{ "plaintext-size-changed", 8, 0, 0x10, "client" },
	{ "plaintext-size-high-word", 12, 0, 0x01, "client" },
	{ "nonce-first-byte", 16, 0, 0x80, "TEE_ERROR_MAC_INVALID" },
	{ "nonce-last-byte", 27, 0, 0x01, "TEE_ERROR_MAC_INVALID" },
	{ "pad-nonzero", 28, 0, 0x01, "client" },
	{ "ciphertext-first-byte", 32, 0, 0x01, "TEE_ERROR_MAC_INVALID" },
	{ "ciphertext-header-file-size", 48, 0, 0x04, "TEE_ERROR_MAC_INVALID" },
	{ "ciphertext-middle", 500, 0, 0xff, "TEE_ERROR_MAC_INVALID" },
	{ "ciphertext-crc", 20, 1, 0x01, "TEE_ERROR_MAC_INVALID" },
	{ "tag-first-byte", 16, 1, 0x01, "TEE_ERROR_MAC_INVALID" },
	{ "tag-last-byte", 1, 1, 0x80, "TEE_ERROR_MAC_INVALID" },
	{ "cut-in-header", 20, 0, 0, "client" },
	{ "cut-in-ciphertext", 300, 0, 0, "client" },
	{ "cut-tag", 16, 1, 0, "client" },
	{ "cut-last-byte", 1, 1, 0, "client" },
};

static void write_tlme(void)
{
	size_t size, n;
	uint8_t *base = base_model(&size);
	uint8_t *img = seal(base, size, &n);
	mkdirs("tlme");
	write_file("tlme", "key", tlme_key, sizeof tlme_key);
	write_file("tlme", "valid-base.model", img, n);
	char path[512];
	snprintf(path, sizeof path, "%s/tlme/expected.tsv", root);
	FILE *tsv = fopen(path, "w");
	if (tsv == NULL)
		exit(1);
	fprintf(tsv, "# file\trefused by (tests/client/test_malformed_tlme.c)\n");
	size_t n_cases = sizeof tlme_cases / sizeof *tlme_cases;
	for (size_t i = 0; i < n_cases; i++) {
		const struct ecase *c = &tlme_cases[i];
		size_t at = c->from_end ? n - c->at : c->at;
		uint8_t *b = malloc(n);
		memcpy(b, img, n);
		size_t len = n;
		if (c->xor_mask)
			b[at] ^= (uint8_t)c->xor_mask;
		else
			len = at;
		char name[96];
		snprintf(name, sizeof name, "%s.tlme", c->name);
		write_file("tlme", name, b, len);
		fprintf(tsv, "%s\t%s\n", name, c->refused_by);
		free(b);
	}
	fclose(tsv);
	free(img);
	free(base);
	printf("make_corpus: %zu .tlme cases\n", n_cases);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		root = argv[1];
	write_tlm();
	write_tlme();
	return 0;
}
