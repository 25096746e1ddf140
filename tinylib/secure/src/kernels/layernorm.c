/*
 * LayerNorm over channels (format 1.1, ConvNeXt's channels-first form):
 * at each pixel, the mean and the population variance of its c values,
 * then (x - mean) * (1 / sqrt(var + eps)) * gamma[k] + beta[k].
 *
 * Pixels go in blocks of BLOCK: each pixel's sums run over k = 0, 1, ...,
 * c-1 whatever the block, so strict mode's bits depend on nothing but the
 * input, and a block reads BLOCK consecutive floats of each channel
 * (NCHW) and vectorises. The variance is the two-pass one, sum of
 * (x - mean)^2: no cancellation when the mean is large.
 */
#include "kernel_mode.h"
#include "tinylibm.h"

#define BLOCK 16

/* Pixels [p, p+n) of the input, n <= BLOCK. */
static void block(int c, size_t hw, size_t p, size_t n, float eps,
		  const float *in, const float *gamma, const float *beta,
		  float *out)
{
	float mean[BLOCK] = { 0 }, var[BLOCK] = { 0 };
	for (int k = 0; k < c; k++)
		for (size_t j = 0; j < n; j++)
			mean[j] += in[(size_t)k * hw + p + j];
	for (size_t j = 0; j < n; j++)
		mean[j] /= (float)c;
	for (int k = 0; k < c; k++)
		for (size_t j = 0; j < n; j++) {
			float d = in[(size_t)k * hw + p + j] - mean[j];
			var[j] += d * d;
		}
	for (size_t j = 0; j < n; j++)	/* var becomes the scale */
		var[j] = 1.0f / tl_sqrtf(var[j] / (float)c + eps);
	for (int k = 0; k < c; k++)
		for (size_t j = 0; j < n; j++) {
			size_t at = (size_t)k * hw + p + j;
			out[at] = (in[at] - mean[j]) * var[j] * gamma[k] + beta[k];
		}
}

void TL_K(tl_layernorm)(int c, int hw, float eps, const float *in,
			const float *gamma, const float *beta, float *out)
{
	size_t n = (size_t)hw;
	for (size_t p = 0; p < n; p += BLOCK)
		block(c, n, p, n - p < BLOCK ? n - p : BLOCK, eps, in, gamma,
		      beta, out);
}
