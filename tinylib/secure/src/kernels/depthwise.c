/*
 * Depthwise convolution (groups == c == filters): each channel convolved
 * with its own size x kw filter, straight from the input, no
 * workspace. An output row accumulates its taps in the order ky, kx, each
 * tap over the output columns that read inside the input: padding adds
 * nothing, so strict mode's sum is the same as im2col's with its zeros.
 */
#include <string.h>

#include "kernel_mode.h"

/* y[i] += a * x[i*stride]; stride 1 in blocks of 16 GCC vectorises. */
static void axpy(float *restrict y, const float *restrict x, float a, int n,
		 int stride)
{
	int i = 0;
	if (stride == 1)
		for (; i + 16 <= n; i += 16) {
#pragma GCC unroll 16
			for (int j = 0; j < 16; j++)
				y[i + j] += a * x[i + j];
		}
	for (; i < n; i++)
		y[i] += a * x[(size_t)i * stride];
}

static void depthwise_row(const struct tl_conv_params *p, const float *plane,
			  const float *w, int oy, float *out)
{
	memset(out, 0, (size_t)p->out_w * sizeof *out);
	for (int ky = 0; ky < p->size; ky++) {
		int iy = oy * p->stride - p->pad + ky;
		if (iy < 0 || iy >= p->h)
			continue;
		for (int kx = 0; kx < p->kw; kx++) {
			int off = kx - p->pad_left;
			int lo = tl_inside_lo(off, p->sw);
			int hi = tl_inside_hi(off, p->sw, p->w, p->out_w);
			if (lo >= hi)
				continue;
			const float *x = plane + (size_t)iy * p->w
				+ (size_t)(lo * p->sw + off);
			axpy(out + lo, x, w[ky * p->kw + kx], hi - lo, p->sw);
		}
	}
}

void TL_K(tl_depthwise)(const struct tl_conv_params *p, const float *in,
			const float *weights, const float *bias, float *out)
{
	size_t taps = (size_t)p->size * p->kw;
	size_t plane = (size_t)p->h * p->w;
	for (int ch = 0; ch < p->c; ch++)
		for (int oy = 0; oy < p->out_h; oy++) {
			float *row = out + ((size_t)ch * p->out_h + oy) * p->out_w;
			depthwise_row(p, in + ch * plane, weights + ch * taps,
				      oy, row);
			TL_K(tl_bias_activate)(row, (size_t)p->out_w,
					       bias[ch], p->act);
		}
}
