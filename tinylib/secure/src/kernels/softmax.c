/*
 * Softmax over n values, `stride` apart (1 for a softmax layer, a plane
 * for a [region] head's classes, yolo.c): the maximum is subtracted
 * before the exponential, so no term overflows; summed in order, then
 * divided. in == out is allowed.
 */
#include "kernel_mode.h"
#include "tinylibm.h"

void TL_K(tl_softmax_strided)(const float *in, float *out, size_t n,
			      size_t stride)
{
	if (n == 0)	/* a region head with no classes */
		return;
	float max = in[0];
	for (size_t i = 1; i < n; i++)
		max = in[i * stride] > max ? in[i * stride] : max;
	float sum = 0.0f;
	for (size_t i = 0; i < n; i++) {
		float e = tl_expf(in[i * stride] - max);
		sum += e;
		out[i * stride] = e;
	}
	for (size_t i = 0; i < n; i++)
		out[i * stride] /= sum;
}

void TL_K(tl_softmax)(const float *in, float *out, size_t n)
{
	TL_K(tl_softmax_strided)(in, out, n, 1);
}
