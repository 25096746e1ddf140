/*
 * Darknet's crop layer at inference: the out_h x out_w window centred in
 * the input (offsets rounded down), out = in*scale + trans.
 */
#include "kernel_mode.h"

void TL_K(tl_crop)(const struct tl_crop_params *p, const float *in,
		   float *out)
{
	int dy = (p->h - p->out_h) / 2, dx = (p->w - p->out_w) / 2;
	for (int ch = 0; ch < p->c; ch++)
		for (int y = 0; y < p->out_h; y++) {
			const float *src = in + ((size_t)ch * p->h + y + dy) * p->w + dx;
			for (int x = 0; x < p->out_w; x++)
				*out++ = src[x] * p->scale + p->trans;
		}
}
