/*
 * im2col, one tile at a time: row k of the tile holds, for each output
 * position n of the tile, the input value that tap k = (channel, ky, kx)
 * meets there, or 0 in the padding. No copy has a per-element test: a
 * stride-1 convolution that keeps the input's size copies each tile row
 * at once and then zeroes the few columns that fell off a row's edge;
 * the others go one output-row run at a time, the inside range worked
 * out first where the run reaches into the padding.
 */
#include <string.h>

#include "kernel_mode.h"
#include "even_floats.h"

static long clamp(long x, long lo, long hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* dst[i] = src[i*s] for i < n; at stride 1 in blocks of 16 that GCC
 * moves as vectors (the runs are short: a memcpy call costs more), at
 * strides 2 and 4 by even_floats.h's shuffles where there are some
 * (ResNet-18's 7x7/2 first layer spent 28% of its time packing, one float
 * at a time; AlexNet's 11x11/4 a quarter: 2.67 -> 2.47 ms), elsewhere at
 * stride 2 by a shuffle of 4-float vectors (that layer 0.57 -> 0.51
 * aarch64 instructions a multiply-add, MobileNet v1's first 0.75 ->
 * 0.62). No load reaches past the last float used. */
static void copy(float *restrict dst, const float *restrict src, int n,
		 int s)
{
	int i = 0;
	if (s == 1)
		for (; i + 16 <= n; i += 16)
			for (int j = 0; j < 16; j++)
				dst[i + j] = src[i + j];
#ifdef HAVE_EVEN_16
	if (s == 2)
		for (; i + 16 <= n; i += 16)
			*(vec16 *)(dst + i) = even_16(src + 2 * i);
	if (s == 4)
		for (; i + 8 <= n; i += 8)
			*(vec8 *)(dst + i) = fourth_8(src + 4 * i);
#else
	if (s == 2)	/* the even lanes of two loads, the last src[2i + 7] */
		for (; i + 5 <= n; i += 4) {
			vec4 low = *(const vec4 *)(src + 2 * i);
			vec4 high = *(const vec4 *)(src + 2 * i + 4);
			*(vec4 *)(dst + i) = EVEN_4(low, high);
		}
#endif
	for (; i < n; i++)
		dst[i] = src[(size_t)i * s];
}

/* dst[0 .. x1-x0) = tap (iy, kx) of plane at output columns [x0, x1). */
static void pack_run(const struct tl_conv_params *p, const float *plane,
		     int iy, int kx, int x0, int x1, float *dst)
{
	int off = kx - p->pad_left, s = p->sw;
	if (iy < 0 || iy >= p->h) {
		memset(dst, 0, (size_t)(x1 - x0) * sizeof *dst);
		return;
	}
	const float *row = plane + (size_t)iy * p->w;
	int lo = x0, hi = x1;
	if (x0 * s + off < 0 || (x1 - 1) * s + off >= p->w) {
		lo = (int)clamp(tl_inside_lo(off, s), x0, x1);
		hi = (int)clamp(tl_inside_hi(off, s, p->w, p->out_w), lo, x1);
	}
	if (lo > x0)	/* a call even for nothing: -fno-builtin */
		memset(dst, 0, (size_t)(lo - x0) * sizeof *dst);
	copy(dst + lo - x0, row + lo * s + off, hi - lo, s);
	if (hi < x1)
		memset(dst + hi - x0, 0, (size_t)(x1 - hi) * sizeof *dst);
}

/* One tile row, tap (plane, ky, kx), from output (oy, ox) on: run by run. */
static void pack_row(const struct tl_conv_params *p, const float *plane,
		     int ky, int kx, int oy, int ox, int nc, float *dst)
{
	for (int j = 0; j < nc; oy++, ox = 0) {
		int run = nc - j < p->out_w - ox ? nc - j : p->out_w - ox;
		pack_run(p, plane, oy * p->stride - p->pad + ky, kx, ox,
			 ox + run, dst + j);
		j += run;
	}
}

/* dst[i] = 0 for i in [a, b), cut to [0, n) */
static void zero(float *dst, long a, long b, long n)
{
	for (long i = clamp(a, 0, n); i < clamp(b, 0, n); i++)
		dst[i] = 0.0f;
}

/* One tile row of a stride-1 convolution whose output rows have the
 * input's width (pad_left + pad right = kw - 1; any height): tap (ky, kx)
 * at output n reads plane[n + d], d = (ky-pad)*w + kx-pad_left, or 0
 * where n + d leaves the plane. Then the columns whose input column fell
 * off the row's edge, and so into the row next to it, are set to 0: at
 * most kw - 1 of them per output row. */
static void pack_same(const struct tl_conv_params *p, const float *plane,
		      int ky, int kx, size_t n0, long row0, int nc, float *dst)
{
	long d = (long)(ky - p->pad) * p->w + kx - p->pad_left;
	long lo = clamp(-d - (long)n0, 0, nc);
	long hi = clamp((long)p->h * p->w - d - (long)n0, lo, nc);
	if (lo > 0)
		zero(dst, 0, lo, nc);
	copy(dst + lo, plane + ((long)n0 + d + lo), (int)(hi - lo), 1);
	if (hi < nc)
		zero(dst, hi, nc, nc);
	int left = p->pad_left - kx, right = p->w + p->pad_left - kx;	/* inside: [left, right) */
	if (left <= 0 && right >= p->w)
		return;
	/* r: the tile column of an output row's column 0 (row0 the first's,
	 * worked out once a tile: a division every tile row cost cifar's
	 * 3x3 layers a tenth of their packing) */
	for (long r = row0; r < nc; r += p->w) {
		if (left > 0)
			zero(dst, r, r + left, nc);
		if (right < p->w)
			zero(dst, r + right, r + p->w, nc);
	}
}

/* The columns of a stride-1 "same" tile that tap kx reads off its
 * row's edge, and so must be 0, worked out once a tile: at most EDGES a
 * tap, for kw at most EDGE_TAPS (else found is 0). */
#define EDGE_TAPS 3
#define EDGES 8
struct edges {
	int found;
	int count[EDGE_TAPS];
	short at[EDGE_TAPS][EDGES];
};

/* columns [a, b) cut to [0, nc) onto tap kx's list; 0 if it is full */
static int add_edges(struct edges *e, int kx, long a, long b, int nc)
{
	for (long j = clamp(a, 0, nc); j < clamp(b, 0, nc); j++) {
		if (e->count[kx] == EDGES)
			return 0;
		e->at[kx][e->count[kx]++] = (short)j;
	}
	return 1;
}

static struct edges find_edges(const struct tl_conv_params *p, long row0,
			       int nc)
{
	struct edges e = { p->kw <= EDGE_TAPS, { 0 }, { { 0 } } };
	for (int kx = 0; e.found && kx < p->kw; kx++) {
		int left = p->pad_left - kx, right = p->w + left;
		for (long r = row0; e.found && r < nc; r += p->w)
			e.found = add_edges(&e, kx, r, r + left, nc) &&
				  add_edges(&e, kx, r + right, r + p->w, nc);
	}
	return e;
}

/* The kw tile rows of taps (ky, 0 .. kw-1) of a stride-1 "same"
 * convolution at once where all read inside the plane (all but the first
 * and last output rows' taps) and the tile has its list of edges: kw
 * shifted copies of one run of the plane, then the listed columns set to
 * 0 (cifar's 3x3 packing 0.24 -> 0.18 ms with the copies grouped; then,
 * with the list rather than each output row's bounds worked out again,
 * 0.20 -> 0.16 ns a float at 28x28, 0.27 -> 0.21 at 14x14). Else tap by
 * tap. */
static void pack_same_taps(const struct tl_conv_params *p, const float *plane,
			   int ky, size_t n0, long row0, int nc, float *dst,
			   size_t ld, const struct edges *e)
{
	long start = (long)n0 + (long)(ky - p->pad) * p->w - p->pad_left;
	if (!e->found || start < 0 ||
	    start + p->kw - 1 + nc > (long)p->h * p->w) {
		for (int kx = 0; kx < p->kw; kx++)
			pack_same(p, plane, ky, kx, n0, row0, nc,
				  dst + (size_t)kx * ld);
		return;
	}
	for (int kx = 0; kx < p->kw; kx++)
		copy(dst + (size_t)kx * ld, plane + start + kx, nc, 1);
	for (int kx = 0; kx < p->kw; kx++)
		for (int i = 0; i < e->count[kx]; i++)
			dst[(size_t)kx * ld + e->at[kx][i]] = 0.0f;
}

void TL_K(tl_im2col_tile)(const struct tl_conv_params *p, const float *in,
			  int k0, int kc, size_t n0, int nc, float *dst,
			  size_t ld)
{
	int oy = (int)(n0 / (size_t)p->out_w), ox = (int)(n0 % (size_t)p->out_w);
	long row0 = -(long)ox;	/* pack_same: out_w == w */
	int taps = p->size * p->kw;
	int c = k0 / taps, ky = k0 % taps / p->kw, kx = k0 % p->kw;
	int same = p->stride == 1 && p->sw == 1 && p->out_w == p->w;
	struct edges e = { 0 };
	if (same)
		e = find_edges(p, row0, nc);
	for (int r = 0; r < kc; r++) {
		const float *plane = in + (size_t)c * p->h * p->w;
		float *row = dst + (size_t)r * ld;
		if (same && kx == 0 && r + p->kw <= kc && ld == (size_t)nc) {
			pack_same_taps(p, plane, ky, n0, row0, nc, row, ld, &e);
			r += p->kw - 1;
			kx = p->kw - 1;
		} else if (same)
			pack_same(p, plane, ky, kx, n0, row0, nc, row);
		else
			pack_row(p, plane, ky, kx, oy, ox, nc, row);
		if (ld > (size_t)nc)
			memset(row + nc, 0, (ld - (size_t)nc) * sizeof *row);
		if (++kx == p->kw && (kx = 0, ++ky == p->size))	/* next tap */
			ky = 0, c++;
	}
}

#if TL_GEMM_RUNS
/* B in runs (kernel_mode.h): run r = (channel, ky) of output row oy,
 * the input row it meets from column -pad_left on, 0 in the padding. The
 * row that the next output row's last taps meet first goes on its way to
 * the cache while this row's GEMM runs: each new row came from memory as
 * the runs were packed, and packing took 14% of Tiny YOLOv3's 16 -> 32
 * layer at 208x208, nearly all of it waiting on the loads (perf); with
 * the prefetch, 8% (the layer alone 4.52 -> 4.30 ms). */
void TL_K(tl_im2col_runs)(const struct tl_conv_params *p, const float *in,
			  int r0, int runs, int oy, float *dst, size_t ld)
{
	int len = p->out_w + p->kw - 1;
	int lo = p->pad_left < len ? p->pad_left : len;
	int hi = p->pad_left + p->w < len ? p->pad_left + p->w : len;
	for (int r = r0; r < r0 + runs; r++, dst += ld) {
		int iy = oy - p->pad + r % p->size;
		if (iy < 0 || iy >= p->h) {
			memset(dst, 0, (size_t)len * sizeof *dst);
			continue;
		}
		const float *row = in + ((size_t)(r / p->size) * p->h + iy) * p->w;
		zero(dst, 0, lo, len);
		copy(dst + lo, row + lo - p->pad_left, hi - lo, 1);
		zero(dst, hi, len, len);
		if (r % p->size == p->size - 1 && iy + 1 < p->h)
			tl_prefetch(row + p->w, (size_t)p->w);
	}
}
#endif

#if TL_GEMM_TAIL
/* Columns [n0, n0+nc) of the tile rows [k0, k0+kc), transposed: column
 * j's kc values at dst + j*kc, for gemm.c's few columns past its last
 * whole strip (fast mode with AVX-512, conv.c). Value by value, with a
 * bounds test each: at most six columns. */
void TL_K(tl_im2col_columns)(const struct tl_conv_params *p, const float *in,
			     int k0, int kc, size_t n0, int nc, float *dst)
{
	int taps = p->size * p->kw;
	for (int j = 0; j < nc; j++) {
		int oy = (int)((n0 + (size_t)j) / (size_t)p->out_w);
		int ox = (int)((n0 + (size_t)j) % (size_t)p->out_w);
		int c = k0 / taps, ky = k0 % taps / p->kw, kx = k0 % p->kw;
		for (int r = 0; r < kc; r++) {
			int iy = oy * p->stride - p->pad + ky;
			int ix = ox * p->sw - p->pad_left + kx;
			int inside = iy >= 0 && iy < p->h && ix >= 0 && ix < p->w;
			dst[(size_t)j * kc + r] = inside ?
				in[((size_t)c * p->h + iy) * p->w + ix] : 0.0f;
			if (++kx == p->kw && (kx = 0, ++ky == p->size))
				ky = 0, c++;
		}
	}
}
#endif
