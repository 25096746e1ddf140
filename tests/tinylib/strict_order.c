/* See strict_order.h. */
#include "strict_order.h"

#include <math.h>
#include <stddef.h>

float conv_in_order(const struct tl_conv_params *p, const float *in,
		    const float *w, const float *b, int f, int oy, int ox)
{
	int cg = p->c / p->groups, g = f / (p->filters / p->groups);
	int kw = p->kw ? p->kw : p->size, sw = p->kw ? p->sw : p->stride;
	int left = p->kw ? p->pad_left : p->pad;
	float acc = 0.0f;
	for (int ci = 0; ci < cg; ci++)
		for (int ky = 0; ky < p->size; ky++)
			for (int kx = 0; kx < kw; kx++) {
				int iy = oy * p->stride - p->pad + ky;
				int ix = ox * sw - left + kx;
				if (iy < 0 || iy >= p->h || ix < 0 || ix >= p->w)
					continue;
				acc = fmaf(w[(((size_t)f * cg + ci) * p->size + ky) * kw + kx],
					   in[((size_t)(g * cg + ci) * p->h + iy) * p->w + ix],
					   acc);
			}
	float v = acc + b[f];
	tl_activate(&v, 1, p->act);
	return v;
}
