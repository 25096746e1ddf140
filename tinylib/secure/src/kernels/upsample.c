/*
 * Upsample: each pixel repeated stride times across and down, times
 * scale. One output row is built, the stride-1 rows below it copied.
 * No division an element (x / stride took yolov3-tiny's upsample 0.08
 * ms, onnxruntime's 0.02).
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
		if (stride == 2)	/* YOLO's: a constant GCC vectorises */
			for (size_t x = 0; x < (size_t)w; x++)
				dst[2 * x] = dst[2 * x + 1] = scale * src[x];
		else
			for (size_t x = 0; x < (size_t)w; x++)
				for (int r = 0; r < stride; r++)
					dst[x * stride + r] = scale * src[x];
		for (int r = 1; r < stride; r++)
			memcpy(dst + r * ow, dst, ow * sizeof *dst);
	}
}
