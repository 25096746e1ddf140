/*
 * Darknet's algorithm, for make bench only: a .tlm model run the way
 * Darknet (pjreddie/darknet, src/convolutional_layer.c, gemm.c, im2col.c,
 * maxpool_layer.c, connected_layer.c) runs it on one CPU thread, written
 * again here from what those functions do:
 *
 * - convolution: the output zeroed, then per group the whole im2col
 *   matrix of the input (c/groups*kh*kw rows by out_h*out_w columns; a
 *   1x1 stride-1 convolution without padding reads its input as it is),
 *   multiplied into the output by Darknet's gemm_nn loop order (for each
 *   filter row i, for each k, C[i][:] += A[i][k] * B[k][:]); then the
 *   bias added in a pass of its own, then the activation;
 * - connected: the output zeroed, gemm_nt's order (for each output j, a
 *   dot product of the input with weight row j), the bias, the activation;
 * - maxpool: Darknet's window loop, -FLT_MAX outside the input;
 * - every other layer (avgpool, softmax, shortcut, route, upsample, yolo,
 *   dropout, activation) with S-Tinylib's kernels, which follow Darknet's
 *   semantics and take a small share of the time.
 * Batch normalisation comes folded into the weights, as in the .tlm
 * (Darknet applies it at run time, in passes of its own). The activations
 * are S-Tinylib's (tl_activate), the same functions. Memory is
 * Darknet's: a buffer per layer output and one workspace for the largest
 * whole im2col (tl_plan's darknet_style_bytes). Crop and format 1.1's
 * layers are not covered: darknet_open refuses the model, naming them.
 */
#ifndef DARKNET_ALGO_H
#define DARKNET_ALGO_H

#include <stddef.h>

#include "tl_engine.h"

struct darknet_net {
	const struct tl_model *m;
	float **out;		/* by tensor id: the input and every layer output */
	float *workspace;	/* the largest whole im2col */
	size_t bytes;		/* layer outputs + workspace, as allocated */
};

/* 0, or -1 with a sentence in err (a layer not covered, out of memory). */
int darknet_open(const struct tl_model *m, struct darknet_net *net,
		 char *err, size_t err_len);

/* One inference: input in, output out (the model's sizes). */
void darknet_run(const struct darknet_net *net, const float *input,
		 float *output);

void darknet_close(struct darknet_net *net);

#endif
