/*
 * Softmax over all n values: the maximum is subtracted before the
 * exponential, so no term overflows; summed in order, then divided.
 */
#include "kernel_mode.h"
#include "tinylibm.h"

void TL_K(tl_softmax)(const float *in, float *out, size_t n)
{
	float max = in[0];
	for (size_t i = 1; i < n; i++)
		max = in[i] > max ? in[i] : max;
	float sum = 0.0f;
	for (size_t i = 0; i < n; i++) {
		float e = tl_expf(in[i] - max);
		sum += e;
		out[i] = e;
	}
	for (size_t i = 0; i < n; i++)
		out[i] /= sum;
}
