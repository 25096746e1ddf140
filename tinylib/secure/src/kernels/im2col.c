/*
 * im2col, one tile at a time: row k of the tile holds, for each output
 * position n of the tile, the input value that tap k = (channel, ky, kx)
 * meets there, or 0 in the padding. Rows are filled one output-row run
 * at a time, with the inside range worked out once per run, so the copy
 * itself has no per-element test (and is a memcpy at stride 1).
 */
#include <string.h>

#include "kernel_mode.h"

static int clamp(int x, int lo, int hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* dst[0 .. x1-x0) = tap (iy, kx) of plane at output columns [x0, x1). */
static void pack_run(const struct tl_conv_params *p, const float *plane,
		     int iy, int kx, int x0, int x1, float *dst)
{
	if (iy < 0 || iy >= p->h) {
		memset(dst, 0, (size_t)(x1 - x0) * sizeof *dst);
		return;
	}
	const float *row = plane + (size_t)iy * p->w;
	int off = kx - p->pad, s = p->stride;
	int lo = clamp(tl_inside_lo(off, s), x0, x1);
	int hi = clamp(tl_inside_hi(off, s, p->w, p->out_w), lo, x1);

	memset(dst, 0, (size_t)(lo - x0) * sizeof *dst);
	if (s == 1)
		memcpy(dst + lo - x0, row + lo + off,
		       (size_t)(hi - lo) * sizeof *dst);
	else
		for (int x = lo; x < hi; x++)
			dst[x - x0] = row[x * s + off];
	memset(dst + hi - x0, 0, (size_t)(x1 - hi) * sizeof *dst);
}

/* One tile row: tap (plane, ky, kx) at output positions [n0, n0+nc). */
static void pack_row(const struct tl_conv_params *p, const float *plane,
		     int ky, int kx, size_t n0, int nc, float *dst)
{
	int oy = (int)(n0 / (size_t)p->out_w), ox = (int)(n0 % (size_t)p->out_w);
	for (int j = 0; j < nc; oy++, ox = 0) {
		int run = nc - j < p->out_w - ox ? nc - j : p->out_w - ox;
		pack_run(p, plane, oy * p->stride - p->pad + ky, kx, ox,
			 ox + run, dst + j);
		j += run;
	}
}

void TL_K(tl_im2col_tile)(const struct tl_conv_params *p, const float *in,
			  int k0, int kc, size_t n0, int nc, float *dst,
			  size_t ld)
{
	int taps = p->size * p->size;
	for (int r = 0; r < kc; r++) {
		int k = k0 + r;
		const float *plane = in + (size_t)(k / taps) * p->h * p->w;
		float *row = dst + (size_t)r * ld;
		pack_row(p, plane, k % taps / p->size, k % p->size, n0, nc, row);
		memset(row + nc, 0, (ld - (size_t)nc) * sizeof *row);
	}
}
