/*
 * Convolution as GEMM, group by group: out[f][n] = sum over k of
 * W[f][k] * col[k][n], with K = c/groups*size*kw taps and
 * N = out_h*out_w positions, then bias and activation.
 *
 * Cache blocking: the N positions go in tiles of NC columns, the K taps
 * in blocks of KC, and each tile x block of im2col is packed into the
 * workspace just before use, so the workspace is KC x NC floats at most
 * (32 KiB), where Darknet keeps the whole K x N im2col; some 1x1
 * convolutions read their input in place instead, since it already is col
 * (in_place below). struct tiling holds these choices, made once a
 * convolution. Partial sums over k blocks wait in the output, as floats,
 * which leaves strict mode's order (k = 0, 1, ...) unchanged.
 */
#include "kernel_mode.h"

#define KC 256	/* a KC x NR strip of col (16 KiB) and an MR x KC slice of W
		 * (4-8 KiB) share a Cortex-A53's 32 KiB L1 */
#define NC 32	/* columns of a tile where k >= KC: a KC x NC block of col
		 * (32 KiB) sits in L2; 32 rather than 64 keeps the planned
		 * arena within 5% of the live lower bound on every sample
		 * model (cifar: 4.1% against 8.2% at 64) */
#define WS_FLOATS (KC * NC)	/* the workspace, whatever k */
#define NR TL_GEMM_NR

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static int is_depthwise(const struct tl_conv_params *p)
{
	return p->groups == p->c && p->groups == p->filters;
}

static size_t taps(const struct tl_conv_params *p)
{
	return (size_t)(p->c / p->groups) * p->size * p->kw;
}

/* An output plane this large (4 KiB a row of col) takes the wider tiles
 * and shorter k blocks below, and packs its 1x1 convolutions; a smaller
 * one keeps NC columns, KC taps and its 1x1 input in place, and so a
 * workspace the size it had before those. */
#define LARGE_PLANE 1024

static int is_pointwise(const struct tl_conv_params *p)
{
	return p->size == 1 && p->kw == 1 && p->stride == 1 && p->sw == 1 &&
	       p->pad == 0 && p->pad_left == 0 && p->out_h == p->h &&
	       p->out_w == p->w;
}

static size_t positions(const struct tl_conv_params *p)
{
	return (size_t)p->out_h * p->out_w;
}

/* A 1x1 convolution reads its input in place (the input already is col)
 * unless the plane is large and the filters many: the rows of a k block
 * then lie a plane apart, a multiple of 4 KiB for most images, all in the
 * same few L1 sets, and MobileNet v1's 256x256 pointwise layers ran at up
 * to 1.3x the time of packed ones (make bench). With 16 filters or fewer
 * a packed tile serves too few rows to repay its copy (Tiny Darknet's
 * 128 -> 16 at 56x56: 1.4x slower packed). */
static int in_place(const struct tl_conv_params *p)
{
	return is_pointwise(p) && (positions(p) < LARGE_PLANE ||
				   p->filters / p->groups <= 16);
}

/* Taps of a k block: KC, or half of it for a large plane with few
 * filters (128 or fewer a group): each packed tile then serves only a few
 * row tiles, and a tile twice as wide halves the packing's cost a column
 * (a 64-filter 3x3 layer at 64x64: 1.1x faster; 208x208: 1.2x). */
static size_t k_block(const struct tl_conv_params *p)
{
	if (positions(p) >= LARGE_PLANE && p->filters / p->groups <= 128)
		return KC / 2;
	return KC;
}

/* Columns of a tile: on a large plane as many as keep the k block within
 * WS_FLOATS, in whole NC: a short k (MobileNet's first pointwise layers:
 * 32, 64) then writes each output row and reads each input row in runs
 * of 128 floats or more rather than 32 (its 64 -> 128 pointwise layer at
 * 128x128: 1.3x faster).
 * In place, a plane under LARGE_PLANE is one tile (tile_columns): W, read
 * from L3 or memory in a model, is then read once rather than once every
 * 48 columns, and B's k block, at most 1 MiB, from L2 for each 8 rows of
 * W. In the model (one core, minimum of 21 runs, layer by layer): MobileNet
 * v1's 512 -> 512 at 16x16 1.30 -> 1.25 ms, 512 -> 1024 at 8x8 0.76 ->
 * 0.69, 1024 -> 1024 at 8x8 1.36 -> 1.27; Tiny YOLOv3's 1024 -> 256 at
 * 13x13 0.92 -> 0.88; Tiny Darknet's 128 -> 1000 at 14x14 0.50 -> 0.48.
 * Alone, W in L2, both ran alike (256 -> 512 at 16x16 0.59 ms). */
static size_t tile_width(const struct tl_conv_params *p)
{
	if (in_place(p))
		return positions(p) < LARGE_PLANE ? LARGE_PLANE : NC + NR;
	if (positions(p) < LARGE_PLANE)
		return NC;
	return WS_FLOATS / min_size(taps(p), k_block(p)) / NC * NC;
}

/* How one convolution is cut, worked out once: the GEMM's sizes (a
 * group's), the k block, the tile width, where B comes from and the loop
 * order (conv_group). */
struct tiling {
	int m, k, kc;
	size_t n, width;
	int in_place, k_outer;
	int run;	/* 3: B in runs (use_runs); else 0 */
	size_t run_ld;	/* then: floats from one run to the next */
};

static struct tiling tiling_of(const struct tl_conv_params *p)
{
	struct tiling t = { p->filters / p->groups, (int)taps(p),
			    (int)k_block(p), positions(p), tile_width(p),
			    in_place(p), 0, 0, 0 };
	/* W (m x k) outweighs the output (m x n): read it once (conv_group) */
	t.k_outer = (size_t)t.k > t.n;
	/* One position (a classifier over a 1x1 input): a matrix-vector
	 * product, whose B is one column that stays in cache anyway; k in
	 * blocks would only read W in short runs and the sums back from C
	 * (Darknet reference's 1024 -> 1000 layer, with gemm.c's four rows at
	 * once: 0.37 -> 0.32 ms). In place, so the workspace does not depend
	 * on it. */
	if (t.n == 1 && t.in_place)
		t.kc = t.k;
	return t;
}

static size_t workspace_floats(const struct tiling *t)
{
	if (t->in_place)
		return 0;
	return min_size((size_t)t->k, (size_t)t->kc) * min_size(t->n, t->width);
}

size_t TL_K(tl_conv_workspace_floats)(const struct tl_conv_params *given)
{
	struct tl_conv_params q = tl_conv_explicit(given), *p = &q;
	if (is_depthwise(p))
		return 0;
	struct tiling t = tiling_of(p);
	return workspace_floats(&t);
}

/*
 * B in runs (gemm.c, TL_GEMM_RUNS): a stride-1 convolution 3 taps wide
 * with 32 filters a group or fewer, over output rows of 32 or more, a
 * multiple of 8, takes a tile an output row and packs each input row
 * that its taps (c, ky) meet once, out_w + 2 floats with the padding,
 * rather than im2col's three shifted copies; gemm.c reads tap (c, ky, kx)
 * at offset kx. As many runs a k block as the workspace tiling_of planned
 * holds (the plan does not depend on the build), in equal blocks. The
 * taps keep their order, so no output's sum changes. On an AMD EPYC (one
 * convolution, the minimum of 20-30 runs, builds interleaved):
 * - few filters, where im2col's copies serve few row tiles: 16 -> 32 at
 *   208x208 (Tiny YOLOv3) 4.8-5.0 -> 4.5 ms (4.3 with im2col.c's
 *   prefetch of the next rows), at 112x112 (Tiny Darknet) 1.25 -> 1.15;
 *   3 -> 16 at 256x256 0.69 -> 0.65, at 416x416 1.85 -> 1.73;
 * - 64 filters or more, 3-7% slower: 64 -> 64 at 64x64 2.96 -> 3.01-3.10,
 *   128 -> 128 at 32x32 2.84 -> 3.03, 32 -> 64 at 104x104 4.20 -> 4.34;
 * - rows of 52 (32 + 16 + a strip of 8 over 4 columns done): 1.15x
 *   slower than im2col's tiles across rows, hence whole strips of 8.
 */
static void use_runs(const struct tl_conv_params *p, struct tiling *t)
{
#if TL_GEMM_RUNS
	size_t ld = ((size_t)p->out_w + 2 + 15) / 16 * 16;	/* 64-byte rows */
	size_t fit = min_size(workspace_floats(t) / ld, KC / 3);
	size_t runs = (size_t)(p->c / p->groups) * p->size;
	if (p->kw != 3 || p->sw != 1 || p->stride != 1 || t->m > 32 ||
	    p->out_w < 32 || p->out_w % 8 != 0 || t->in_place || fit == 0)
		return;
	size_t blocks = (runs + fit - 1) / fit;
	t->kc = (int)((runs + blocks - 1) / blocks * 3);
	t->width = (size_t)p->out_w;
	t->run = 3;
	t->run_ld = ld;
#else
	(void)p;
	(void)t;
#endif
}

/*
 * direct.c's convolution (TL_CONV_DIRECT: fast mode, AVX-512): the
 * windows of direct_windows (size, stride, padding each side, how far
 * the row's last window reaches past its end, fewest channels a group),
 * in multiples of 16 filters a group, over output rows of 10 or more and
 * planes of 100 positions or more. It packs the weights into the
 * workspace (below), unless they are stored by 16
 * (tl_conv_weights_by_16_allowed is this test). Its tiles
 * are a row's 16 positions, or the row's last r < 16, so rows of any
 * width: cifar's 128 -> 128 at 28x28 2.17 -> 2.01 ms, Tiny YOLOv3's
 * 128 -> 256 at 26x26 3.71 -> 3.56 and 256 -> 512 at 13x13 3.85 -> 3.63
 * (one convolution alone on an AMD EPYC, the minimum of 10-15 runs,
 * GEMM -> direct). What stays with the GEMM, measured the same way or in
 * make bench's per-layer times:
 * - small planes and short rows: 512 -> 512 at 8x8 2.76 -> 3.00 ms, at
 *   7x7 2.22 (the GEMM with its tail columns) -> 2.40; at 10x10 256 ->
 *   256 went 1.18 -> 1.09;
 * - fewer channels, whose taps leave the transposes and stores a large
 *   share: Tiny YOLOv3's 3 -> 16 at 416x416 1.98 -> 2.63 ms, Tiny
 *   Darknet's at 224x224 0.55 -> 0.72;
 * - filters not a multiple of 16, whose last tile's lanes are partly
 *   empty: 13 -> 21 at 40x40 0.10 -> 0.12 ms;
 * - rows whose last tile is too narrow for the columns its window
 *   reaches past the row (5x5 over 16n + 1): the 16-wide tile before it
 *   would read past the row's end, which only a row's last tile skips;
 * - windows that reach past the row other than as direct_windows says
 *   (3x3/2 over an odd width): each shape is its own code.
 * AlexNet's 5x5, 96 -> 256 at 27x27, went 8.75 -> 7.55 ms (onnxruntime
 * 8.08 in make bench); ResNet-18's 7x7/2 from 3 channels (147 taps a
 * tile, as many as a 3x3 layer's from 16) 3.77 -> 3.58, its 3x3/2 64 ->
 * 128 at 64 -> 32 1.75 -> 1.49 and 128 -> 256 at 32 -> 16 1.65 -> 1.45,
 * AlexNet's 11x11/4 from 3 channels 2.61-2.73 -> 2.17-2.19 (onnxruntime
 * 2.97, 1.38, 1.40 and 2.00-2.16 in the model). An earlier try at these
 * computed 16 positions for a row's last tile of 11 or 7 and lost.
 * The test holds on every machine, so that the workspace below, and the
 * plans, do not depend on where they are made.
 */
/* direct.c has each of these its own tiles (TILES) */
static const struct direct_window {
	int size, stride, pad, past, channels;
} direct_windows[] = {
	{ 3, 1, 1, 1, 16 }, { 5, 1, 2, 2, 16 }, { 3, 2, 1, 0, 16 },
	{ 7, 2, 3, 2, 3 }, { 11, 4, 0, 0, 3 },
};

static int direct_shape(const struct tl_conv_params *p)
{
	const struct direct_window *d = direct_windows;
	const struct direct_window *end = d + sizeof direct_windows /
						  sizeof *direct_windows;
	while (d < end && !(p->size == d->size && p->stride == d->stride &&
			    p->pad == d->pad))
		d++;
	int last = p->out_w % 16;	/* the last tile's width, if not 16 */
	return d < end && p->kw == p->size && p->sw == p->stride &&
	       p->pad_left == p->pad &&
	       /* how far the row's last window reaches past it */
	       p->stride * (p->out_w - 1) - p->pad + p->size - p->w == d->past &&
	       (p->filters / p->groups) % 16 == 0 &&
	       p->c / p->groups >= d->channels && p->out_w >= 10 &&
	       positions(p) >= 100 && (last == 0 || p->stride * last >= d->past);
}

int TL_K(tl_conv_weights_by_16_allowed)(const struct tl_conv_params *given)
{
	struct tl_conv_params q = tl_conv_explicit(given);
	return direct_shape(&q);
}

/*
 * direct.c packs the weights of 16 filters over a k block of channels
 * into the workspace, and the sums of a row tile narrower than 16 go
 * through two transposes at each k block's end. With every channel in
 * one k block, one convolution alone on an AMD EPYC (Zen 4), minimum of
 * 11-21 runs, 56 channels a block (the GEMM's 32 KiB) -> all: 512 ->
 * 1024 at 13x13 14.93 -> 13.93 ms, 256 -> 512 at 13x13 3.63 -> 3.37, 384
 * -> 256 at 26x26 10.62 -> 10.21, 256 -> 256 at 16x16 2.60 -> 2.52, 64
 * -> 64 at 64x64 2.67 -> 2.63. Up to DIRECT_FLOATS (295 KiB of
 * weights, in L2: 512 channels of 3x3, 184 of 5x5); the plan grants it
 * where the arena stays the size it is without (plan.c).
 */
#define DIRECT_FLOATS (512 * 9 * 16)

size_t TL_K(tl_conv_workspace_floats_max)(const struct tl_conv_params *given)
{
	struct tl_conv_params q = tl_conv_explicit(given), *p = &q;
	size_t least = TL_K(tl_conv_workspace_floats)(p);
	if (!direct_shape(p))
		return least;
	size_t channel = (size_t)p->size * p->size * 16;
	size_t direct = min_size((size_t)(p->c / p->groups),
				 DIRECT_FLOATS / channel) * channel;
	return direct > least ? direct : least;
}

/* Columns of the tile at n0: its width, or what is left; in place, NC
 * until fewer than the width are left, which go in one tile (so a last
 * tile narrower than a strip joins the one before). */
static size_t tile_columns(const struct tiling *t, size_t n0)
{
	if (t->in_place)
		return t->n - n0 < t->width ? t->n - n0 : NC;
	return min_size(t->n - n0, t->width);
}

/* Columns of a packed tile that gemm.c takes one by one, from a
 * transposed copy, after its last strip of 16 or 8 rather than in a strip
 * of 8 of their own: n % 8 when that is 6 or less, where the strip would
 * cost more than the columns it holds (a 7x7 plane's 49th column: cifar's
 * 512-filter 3x3 layers 2.56 -> 2.24 ms; 13x13's 169th: yolov3-tiny's
 * 512 -> 1024 layer 15.4 -> 15.1). Not after a strip of NR, nor alone:
 * gemm.c then reads the rows of A from L2 for them, and a 14x14 plane's
 * last 4 columns took longer than their strip of 8. Fast mode with
 * AVX-512 only (TL_GEMM_TAIL): the dot products add along k in lanes
 * (strict mode keeps each sum in order), and strips are 16 floats wide
 * elsewhere. */
static int tail_columns(int n)
{
#if TL_GEMM_TAIL
	int tail = n % 8;
	return tail <= 6 && (n - tail) % NR != 0 ? tail : 0;
#else
	(void)n;
	return 0;
#endif
}

/* B for the tile of columns [n0, n0+g->n) and taps [k0, k0+g->k): the
 * input itself (in place) or its im2col packed into ws. A tile narrower
 * than NR is packed NR wide (zero columns) when the workspace has room,
 * so that it too runs on the vector microkernel. Packed, the tail
 * columns go after the others, transposed (the workspace holds k x n). */
static void set_operand(const struct tl_conv_params *p, const struct tiling *t,
			const float *in, size_t n0, int k0, float *ws,
			struct tl_gemm *g)
{
#if TL_GEMM_RUNS
	if (t->run) {
		g->run = t->run;
		g->b = ws;
		g->ldb = t->run_ld;
		g->nb = g->n;
		TL_K(tl_im2col_runs)(p, in, k0 / t->run, g->k / t->run,
				     (int)(n0 / (size_t)p->out_w), ws, g->ldb);
		return;
	}
#endif
	if (t->in_place) {
		g->b = in + (size_t)k0 * t->n + n0;
		g->ldb = t->n;
		g->nb = (int)(t->n - n0);
		return;
	}
	g->tail = tail_columns(g->n);
	g->n -= g->tail;
	float *tail = ws + (size_t)g->k * (size_t)g->n;
#if TL_GEMM_TAIL
	if (g->tail > 0)
		TL_K(tl_im2col_columns)(p, in, k0, g->k, n0 + (size_t)g->n,
					g->tail, tail);
#endif
	g->bt = tail;
	g->nb = (g->tail == 0 && t->n >= NR && g->n < NR) ? NR : g->n;
	g->b = ws;
	g->ldb = (size_t)g->nb;
	TL_K(tl_im2col_tile)(p, in, k0, g->k, n0, g->n, ws, g->ldb);
}

/* One GEMM block: output columns [n0, n0 + tile) over taps [k0, k0 + kc).
 * W by 16 has 16 floats a tap, and 16 rows a k (struct tl_gemm). */
static void block(const struct tl_conv_params *p, const struct tiling *t,
		  const float *in, const float *w, const float *bias,
		  float *out, float *ws, size_t n0, int k0)
{
	size_t by = p->weights_by_16 ? 16 : 1;
	struct tl_gemm g = {
		.m = t->m,
		.n = (int)tile_columns(t, n0),
		.k = t->k - k0 < t->kc ? t->k - k0 : t->kc,
		.a = w + (size_t)k0 * by, .lda = (size_t)t->k * by,
		.a_by_16 = p->weights_by_16,
		.c = out + n0, .ldc = t->n,
		.bias = bias, .act = p->act,
		.first = k0 == 0, .last = k0 + t->kc >= t->k,
	};
	set_operand(p, t, in, n0, k0, ws, &g);
	TL_K(tl_gemm)(&g);
}

/*
 * Column tiles outside and k blocks inside keep each tile's partial sums
 * in cache and read all of W once a tile; k blocks outside read W once
 * and the partial sums of all the output once a block. The second where
 * W is the larger (t->k_outer: a 512 -> 1024 3x3 layer at 16x16, 18 MiB
 * of W: 1.2x faster; a 128 -> 256 one at 64x64, 4 MiB of output: 1.1x
 * slower). The order changes no output's sum.
 */
static void conv_group(const struct tl_conv_params *p, const struct tiling *t,
		       const float *in, const float *w, const float *bias,
		       float *out, float *ws)
{
	if (t->k_outer) {
		for (int k0 = 0; k0 < t->k; k0 += t->kc)
			for (size_t n0 = 0; n0 < t->n; n0 += tile_columns(t, n0))
				block(p, t, in, w, bias, out, ws, n0, k0);
		return;
	}
	for (size_t n0 = 0; n0 < t->n; n0 += tile_columns(t, n0))
		for (int k0 = 0; k0 < t->k; k0 += t->kc)
			block(p, t, in, w, bias, out, ws, n0, k0);
}

void TL_K(tl_conv)(const struct tl_conv_params *given, const float *in,
		   const float *weights, const float *bias, float *out,
		   float *workspace, size_t workspace_floats)
{
	struct tl_conv_params q = tl_conv_explicit(given), *p = &q;
	if (is_depthwise(p)) {
		TL_K(tl_depthwise)(p, in, weights, bias, out);
		return;
	}
	struct tiling t = tiling_of(p);
#if TL_CONV_DIRECT
	if (direct_shape(p)) {
		TL_K(tl_conv_direct)(p, in, weights, bias, out, workspace,
				     workspace_floats);
		return;
	}
#else
	(void)workspace_floats;	/* the GEMM keeps to what it needs */
#endif
	use_runs(p, &t);
	size_t in_step = (size_t)(p->c / p->groups) * p->h * p->w;
	size_t w_step = (size_t)t.m * (size_t)t.k;
	size_t out_step = (size_t)t.m * t.n;
	for (int g = 0; g < p->groups; g++)
		conv_group(p, &t, in + g * in_step, weights + g * w_step,
			   bias + (size_t)g * t.m, out + g * out_step,
			   workspace);
}
