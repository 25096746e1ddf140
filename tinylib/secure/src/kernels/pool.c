/*
 * Pooling, Darknet's way. Maxpool: the window of output (oy, ox) starts
 * at (oy*stride - padding/2, ox*stride - padding/2); positions outside the
 * input are skipped (not taken as 0), so with size 2, stride 1 and the
 * default padding 1 the output keeps the input's size and each window
 * looks one pixel right and down. Avgpool is global.
 */
#include <float.h>

#include "kernel_mode.h"

static float window_max(const struct tl_pool_params *p, const float *plane,
			int y0, int x0)
{
	float m = -FLT_MAX;	/* Darknet's start: an all-outside window */
	for (int y = y0; y < y0 + p->size; y++) {
		if (y < 0 || y >= p->h)
			continue;
		for (int x = x0; x < x0 + p->size; x++) {
			float v = x >= 0 && x < p->w ? plane[(size_t)y * p->w + x]
						      : -FLT_MAX;
			m = v > m ? v : m;
		}
	}
	return m;
}

void TL_K(tl_maxpool)(const struct tl_pool_params *p, const float *in,
		      float *out)
{
	int off = p->padding / 2;
	for (int ch = 0; ch < p->c; ch++) {
		const float *plane = in + (size_t)ch * p->h * p->w;
		for (int oy = 0; oy < p->out_h; oy++)
			for (int ox = 0; ox < p->out_w; ox++)
				*out++ = window_max(p, plane,
						    oy * p->stride - off,
						    ox * p->stride - off);
	}
}

/* Summed in order, then divided, as Darknet does. */
void TL_K(tl_avgpool_global)(int c, int h, int w, const float *in,
			     float *out)
{
	size_t n = (size_t)h * w;
	for (int ch = 0; ch < c; ch++) {
		float sum = 0.0f;
		for (size_t i = 0; i < n; i++)
			sum += in[(size_t)ch * n + i];
		out[ch] = sum / (float)n;
	}
}
