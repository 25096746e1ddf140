/*
 * Where a model's time goes, layer by layer: S-Tinylib's fast mode timed
 * around each tl_run_layer (tl_engine.h), the median over the rounds, in
 * the arena bench_engines runs it in, beside onnxruntime's own profile
 * of the same model (ort_profile), each of its nodes put to the layer it
 * was made from. A layer's nodes are "l<index>_<op>" (tools/tlm2onnx.py);
 * onnxruntime's blocked (NCHWc) convolutions take their output's name,
 * "t<tensor id>_nchwc" ("y_nchwc" for the model's output). Its layout
 * changes (ReorderInput, ReorderOutput) have no layer: apart. A node of
 * no layer fails the measurement: its time would go unseen.
 */
#ifndef BENCH_LAYERS_H
#define BENCH_LAYERS_H

#include <stddef.h>
#include <stdint.h>

#include "tl_engine.h"

struct bench_layer {
	char kind[24];		/* "conv 3x3", "depthwise", "maxpool", ... */
	char shape[64];		/* "64x56x56 -> 128x56x56" */
	uint64_t macs;
	double ms, ort_ms;	/* medians; ort_ms its nodes' sum */
};

struct bench_layers {
	uint32_t n;			/* the model's layers */
	struct bench_layer *layer;	/* by index */
	double ort_layout_ms;		/* Reorder* nodes */
};

/* Times every layer of s's model rounds times in fast mode (after one
 * run to warm it), then asks onnxruntime for its profile of as many runs
 * (through a file in s->work). 0, or -1 with a sentence in err; *out is
 * bench_layers_free's to free either way. */
struct engine_set;
int bench_layers_measure(struct engine_set *s, int rounds,
			 struct bench_layers *out, char *err, size_t err_len);

void bench_layers_free(struct bench_layers *l);

#endif
