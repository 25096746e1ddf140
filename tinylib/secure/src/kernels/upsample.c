/*
 * Upsample: each pixel repeated stride times across and down, times
 * scale. One output row is built, the stride-1 rows below it copied.
 */
#include <string.h>

#include "kernel_mode.h"

void TL_K(tl_upsample)(int c, int h, int w, int stride, float scale,
		       const float *in, float *out)
{
	size_t ow = (size_t)w * stride;
	for (size_t y = 0; y < (size_t)c * h; y++) {
		const float *src = in + y * w;
		float *dst = out + y * stride * ow;
		for (size_t x = 0; x < ow; x++)
			dst[x] = scale * src[x / stride];
		for (int r = 1; r < stride; r++)
			memcpy(dst + r * ow, dst, ow * sizeof *dst);
	}
}
