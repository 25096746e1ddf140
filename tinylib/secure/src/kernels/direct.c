/*
 * Fast mode's direct convolutions with AVX-512 (TL_CONV_DIRECT; conv.c's
 * direct_shape says which layers: 3x3 and 5x5 at stride 1, 3x3 and 7x7
 * at stride 2, 11x11 at stride 4): no im2col. A tile is 16 filters, one
 * vector, by 16 output positions of a row (or the row's last r < 16,
 * each window shape and width its own code). Per tap it loads the 16
 * filters' weights as one vector and broadcasts each input value from
 * where it lies in the input, one fused multiply-add a position, so
 * nothing of the input is copied and no load is misaligned.
 * The weights of a k block go into the workspace once, 16 filters to a
 * vector: every channel of a group where the plan gave the workspace for
 * it (tl_conv_workspace_floats_max), else as many as it holds; weights
 * stored by 16 (format 1.2, tl_kernels.h) already are those vectors, and
 * are read where they lie. The sums
 * come out a position to a vector, and a 16 x 16 transpose in registers
 * writes them as the output's rows.
 *
 * Why: im2col's packing took 6-10% of a 3x3 layer with 64-256 filters and
 * gemm.c's B in runs pays only with few filters (docs/s-tinylib.md). One
 * convolution alone on an AMD EPYC (Zen 4), the minimum of 15 runs, GEMM
 * -> this: 64 -> 64 at 64x64 2.95 -> 2.67 ms, 128 -> 128 at 32x32 2.82 ->
 * 2.63, 256 -> 256 at 16x16 2.75 -> 2.54, 32 -> 64 at 104x104 3.94 ->
 * 3.60, 16 -> 32 at 208x208 4.07 -> 3.85.
 *
 * Each output adds its taps in gemm.c's order, p = 0, 1, ...; a tap in the
 * padding is skipped rather than added as a zero product. Fast mode only.
 */
#include "kernel_mode.h"

#if TL_CONV_DIRECT
#include <immintrin.h>

#define LANES 16	/* filters a tile: one zmm */
#define SEG 16		/* output positions a tile, at most */

/* Rows i of r become its columns: r[i][j] <-> r[j][i]. 64 shuffles. */
static inline __attribute__((always_inline)) void transpose16(__m512 r[16])
{
	__m512 t[16];
	for (int i = 0; i < 16; i += 2) {
		t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
		t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
	}
	for (int i = 0; i < 16; i += 4) {
		r[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
		r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
		r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
		r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
	}
	for (int i = 0; i < 8; i++) {
		int a = i / 4 * 8 + i % 4;
		t[i] = _mm512_shuffle_f32x4(r[a], r[a + 4], 0x88);
		t[i + 8] = _mm512_shuffle_f32x4(r[a], r[a + 4], 0xDD);
	}
	for (int i = 0; i < 4; i++) {
		r[i] = _mm512_shuffle_f32x4(t[i], t[i + 4], 0x88);
		r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 4], 0xDD);
		r[i + 4] = _mm512_shuffle_f32x4(t[i + 8], t[i + 12], 0x88);
		r[i + 12] = _mm512_shuffle_f32x4(t[i + 8], t[i + 12], 0xDD);
	}
}

/* Taps [k0, k0+kn) of filters [f0, f0+16) as kn vectors, lane i filter
 * f0+i: 16 taps at a time through a transpose. */
static void pack_weights(const float *w, size_t k, int f0, size_t k0, int kn,
			 float *dst)
{
	int p = 0;
	for (; p + 16 <= kn; p += 16) {
		__m512 r[16];
		for (int i = 0; i < 16; i++)
			r[i] = _mm512_loadu_ps(w + (size_t)(f0 + i) * k + k0 + p);
		transpose16(r);
		for (int j = 0; j < 16; j++)
			_mm512_storeu_ps(dst + (size_t)(p + j) * LANES, r[j]);
	}
	for (; p < kn; p++)
		for (int i = 0; i < LANES; i++)
			dst[(size_t)p * LANES + i] =
				w[(size_t)(f0 + i) * k + k0 + (size_t)p];
}

/* One k block of one tile of output row y: its channels' input planes,
 * their packed weights, and the tile's first column x0. */
struct block {
	const float *in;
	const float *wp;
	int channels, h, w;	/* the input plane's */
	int out_w, y, x0;	/* the output row's width; the tile's place */
};

/* Keeps GCC from serving a tap's broadcasts with the loads of the tap
 * before (tap kx's value at j is tap kx+1's at j-1): the register moves
 * it made of them left the FMA units idle (64 -> 64 at 64x64: 3.30 ms
 * against 2.74, in a first version of this file). No instruction. */
#define FRESH(q) __asm__("" : "+r"(q))

/* A window shape: K x K taps at stride S, P columns and rows of padding
 * before, and E columns past the row's end that the row's last window
 * reaches (P at stride 1). Constants at each use. */
#define SHAPE int K, int S, int P, int E
#define SHAPE_OF K, S, P, E
#define UNPAREN(...) __VA_ARGS__

/* acc[j] += the tap's weights wv times the input at q[S*j + kx - P],
 * j < r: a tile at the row's left end skips the taps whose input lies
 * before the row, one at its right end those past it (the padding; at
 * the left end q_ then points before the row, and those floats are never
 * read). */
#define TAP(acc, wv, q, kx, K, S, P, E, r, left, right)		\
	do {								\
		const float *q_ = (q) + (kx) - (P);			\
		FRESH(q_);						\
		_Pragma("GCC unroll 16")				\
		for (int j = 0; j < (r); j++) {				\
			if (((left) && (S) * j + (kx) < (P)) ||		\
			    ((right) && (S) * (j - (r) + 1) + (kx) -	\
			     ((K) - 1) + (E) > 0))			\
				continue;				\
			(acc)[j] = _mm512_fmadd_ps(			\
				_mm512_set1_ps(q_[(S) * j]), wv, (acc)[j]); \
		}							\
	} while (0)

/* the input row of output row y's tap ky 0 */
static inline __attribute__((always_inline)) int
first_row(const struct block *b, int S, int P)
{
	return S * b->y - P;
}

/* The K taps kx of one input row q (q[0] the tile's first window's
 * column 0) with their weights wp, unrolled. */
static inline __attribute__((always_inline)) void
row_taps(const float *q, const float *wp, __m512 acc[SEG], SHAPE, int r,
	 int left, int right)
{
	_Pragma("GCC unroll 11")
	for (int kx = 0; kx < K; kx++) {
		__m512 wv = _mm512_loadu_ps(wp + kx * LANES);
		TAP(acc, wv, q, kx, K, S, P, E, r, left, right);
	}
}

/* The block's taps into acc, all K input rows inside the plane, a
 * channel's K * K taps unrolled up to 5x5 (a loop over ky took 4% more of
 * 64 -> 64 at 64x64); from 7x7 on the rows in a loop, each tile's code
 * being K * 16 multiply-adds a row already (7x7 and 11x11 unrolled made
 * direct.o 0.7 MB and took 40 s to compile). */
static inline __attribute__((always_inline)) void
taps_inside(const struct block *b, __m512 acc[SEG], SHAPE, int r, int left,
	    int right)
{
	size_t plane = (size_t)b->h * b->w;
	const float *q = b->in + (size_t)first_row(b, S, P) * b->w +
			 (size_t)S * b->x0;
	const float *wp = b->wp;
	for (int c = 0; c < b->channels; c++, q += plane, wp += K * K * LANES)
		if (K <= 5) {
			_Pragma("GCC unroll 5")
			for (int ky = 0; ky < K; ky++)
				row_taps(q + (size_t)ky * b->w,
					 wp + ky * K * LANES, acc, SHAPE_OF, r,
					 left, right);
		} else {
			_Pragma("GCC unroll 1")
			for (int ky = 0; ky < K; ky++)
				row_taps(q + (size_t)ky * b->w,
					 wp + ky * K * LANES, acc, SHAPE_OF, r,
					 left, right);
		}
}

/* The same in the output rows whose first or last taps ky fall in the
 * padding rows: skipped. */
static inline __attribute__((always_inline)) void
taps_rows(const struct block *b, __m512 acc[SEG], SHAPE, int r, int left,
	  int right)
{
	size_t plane = (size_t)b->h * b->w;
	int top = first_row(b, S, P);
	int ky0 = top < 0 ? -top : 0;
	int ky1 = b->h - top < K ? b->h - top : K;
	for (int c = 0; c < b->channels; c++)
		for (int ky = ky0; ky < ky1; ky++)
			row_taps(b->in + c * plane + (size_t)(top + ky) * b->w +
					 (size_t)S * b->x0,
				 b->wp + ((size_t)c * K + ky) * K * LANES, acc,
				 SHAPE_OF, r, left, right);
}

static inline __attribute__((always_inline)) void
taps(const struct block *b, __m512 acc[SEG], SHAPE, int r, int left,
     int right)
{
	int top = first_row(b, S, P);
	if (top >= 0 && top + K <= b->h)
		taps_inside(b, acc, SHAPE_OF, r, left, right);
	else
		taps_rows(b, acc, SHAPE_OF, r, left, right);
}

/* Where a tile's sums wait between k blocks and end: the output rows of
 * its 16 filters, r floats each at c, ld apart. A tile 16 wide waits
 * there as it is in the registers, a position a row, since only the next
 * k block reads it; a narrower one waits transposed. */
struct sums {
	float *c;
	size_t ld;
	int r;
	int first, last;	/* k blocks */
	__m512 bias;		/* lane i: filter i's */
	enum tl_activation act;
};

static inline __attribute__((always_inline)) int whole(const struct sums *s)
{
	return s->r == SEG;
}

/* the tile's positions: lanes [0, r) of a row */
static inline __attribute__((always_inline)) __mmask16
lanes(const struct sums *s)
{
	return (__mmask16)((1u << s->r) - 1);
}

static inline __attribute__((always_inline)) void
load_sums(const struct sums *s, __m512 acc[SEG])
{
	for (int i = 0; i < SEG; i++)
		acc[i] = s->first ? _mm512_setzero_ps() :
			 _mm512_maskz_loadu_ps(lanes(s), s->c + (size_t)i * s->ld);
	if (!s->first && !whole(s))
		transpose16(acc);
}

/* After the last k block: bias and the cheap activations as tl_relu and
 * tl_leaky have them (a comparison picks x or the other value). */
static inline __attribute__((always_inline)) void
finish(const struct sums *s, __m512 acc[SEG])
{
	const __m512 zero = _mm512_setzero_ps();
	for (int j = 0; j < SEG; j++) {
		__m512 x = _mm512_add_ps(acc[j], s->bias);
		__mmask16 pos = _mm512_cmp_ps_mask(x, zero, _CMP_GT_OQ);
		if (s->act == TL_ACT_RELU)
			x = _mm512_mask_blend_ps(pos, zero, x);
		else if (s->act == TL_ACT_LEAKY)
			x = _mm512_mask_blend_ps(
				pos, _mm512_mul_ps(x, _mm512_set1_ps(0.1f)), x);
		acc[j] = x;
	}
}

static inline __attribute__((always_inline)) void
store_sums(const struct sums *s, __m512 acc[SEG])
{
	int transposed = s->last || !whole(s);
	if (s->last)
		finish(s, acc);
	if (transposed)
		transpose16(acc);
	for (int i = 0; i < SEG; i++)
		_mm512_mask_storeu_ps(s->c + (size_t)i * s->ld, lanes(s), acc[i]);
}

/* Each window size and shape of tile its own code, so that the loops
 * above unroll with constant bounds: 16 columns at either end of the row
 * or not, or the row's last r < 16, alone in the row or not.
 * The sums stay in this frame's registers from load to store: through a
 * pointer from the caller each would go back to memory before the next
 * broadcast's load, a __m512 being allowed to alias a float (44 GFLOP/s). */
typedef void tile_fn(const struct block *b, const struct sums *s);

#define TILE(name, X, r, left, right)					\
	static __attribute__((noinline)) void name(const struct block *b, \
						   const struct sums *s) \
	{								\
		__m512 acc[SEG];					\
		load_sums(s, acc);					\
		taps(b, acc, UNPAREN X, r, left, right);		\
		store_sums(s, acc);					\
	}
#define LAST_TILES(N, X, r)						\
	TILE(tile_last_##r##_##N, X, r, 0, 1)				\
	TILE(tile_alone_##r##_##N, X, r, 1, 1)
#define BY_WIDTH(kind, N)						\
	{ 0, kind##_1_##N, kind##_2_##N, kind##_3_##N, kind##_4_##N,	\
	  kind##_5_##N, kind##_6_##N, kind##_7_##N, kind##_8_##N,	\
	  kind##_9_##N, kind##_10_##N, kind##_11_##N, kind##_12_##N,	\
	  kind##_13_##N, kind##_14_##N, kind##_15_##N }

/* a window shape's tiles: 16 wide inside the row, at its left end, its
 * right end, or both; a row's last tile r < 16 wide, after others (last)
 * or alone */
struct tiles {
	tile_fn *inside, *left, *right, *both;
	tile_fn *last[SEG], *alone[SEG];
};

/* the tiles of shape N: K, S, P, E (above) */
#define TILES(N, K, S, P, E)						\
	TILE(tile_16_##N, (K, S, P, E), 16, 0, 0)			\
	TILE(tile_16_left_##N, (K, S, P, E), 16, 1, 0)			\
	TILE(tile_16_right_##N, (K, S, P, E), 16, 0, 1)			\
	TILE(tile_16_both_##N, (K, S, P, E), 16, 1, 1)			\
	LAST_TILES(N, (K, S, P, E), 1) LAST_TILES(N, (K, S, P, E), 2)	\
	LAST_TILES(N, (K, S, P, E), 3) LAST_TILES(N, (K, S, P, E), 4)	\
	LAST_TILES(N, (K, S, P, E), 5) LAST_TILES(N, (K, S, P, E), 6)	\
	LAST_TILES(N, (K, S, P, E), 7) LAST_TILES(N, (K, S, P, E), 8)	\
	LAST_TILES(N, (K, S, P, E), 9) LAST_TILES(N, (K, S, P, E), 10)	\
	LAST_TILES(N, (K, S, P, E), 11) LAST_TILES(N, (K, S, P, E), 12)	\
	LAST_TILES(N, (K, S, P, E), 13) LAST_TILES(N, (K, S, P, E), 14)	\
	LAST_TILES(N, (K, S, P, E), 15)					\
	static const struct tiles tiles_##N = {				\
		tile_16_##N, tile_16_left_##N, tile_16_right_##N,	\
		tile_16_both_##N, BY_WIDTH(tile_last, N),		\
		BY_WIDTH(tile_alone, N)					\
	};
/* the shapes of conv.c's direct_windows, which says which layers take them */
TILES(3x3, 3, 1, 1, 1)
TILES(5x5, 5, 1, 2, 2)
TILES(3x3_s2, 3, 2, 1, 0)
TILES(7x7_s2, 7, 2, 3, 2)
TILES(11x11_s4, 11, 4, 0, 0)

static void tile(const struct tiles *t, const struct block *b,
		 const struct sums *s)
{
	int left = b->x0 == 0, right = b->x0 + s->r == b->out_w;
	if (s->r < SEG)
		(left ? t->alone : t->last)[s->r](b, s);
	else if (left)
		(right ? t->both : t->left)(b, s);
	else
		(right ? t->right : t->inside)(b, s);
}

/* p's window shape's tiles: conv.c's direct_windows has admitted p, so
 * its size and stride name one */
static const struct tiles *tiles_of(const struct tl_conv_params *p)
{
	static const struct {
		int size, stride;
		const struct tiles *tiles;
	} shapes[] = {
		{ 3, 1, &tiles_3x3 }, { 5, 1, &tiles_5x5 },
		{ 3, 2, &tiles_3x3_s2 }, { 7, 2, &tiles_7x7_s2 },
		{ 11, 4, &tiles_11x11_s4 },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
		if (shapes[i].size == p->size && shapes[i].stride == p->stride)
			return shapes[i].tiles;
	return NULL;	/* not reached: direct_shape admits these alone */
}

/* One k block (channels [c0, c0+cn)) of filters [f0, f0+16) over the
 * whole output plane; the activations too costly for the registers
 * after its last. */
static void filters_block(const struct tl_conv_params *p, const float *in,
			  const float *bias, float *out, const float *wp,
			  int f0, int c0, int cn)
{
	const struct tiles *t = tiles_of(p);
	size_t plane = (size_t)p->h * p->w;
	size_t out_plane = (size_t)p->out_h * p->out_w;
	struct sums s = { .ld = out_plane, .first = c0 == 0,
			  .last = c0 + cn >= p->c / p->groups,
			  .bias = _mm512_loadu_ps(bias + f0), .act = p->act };
	struct block b = { in + (size_t)c0 * plane, wp, cn, p->h, p->w,
			   p->out_w, 0, 0 };
	for (b.y = 0; b.y < p->out_h; b.y++)
		for (b.x0 = 0; b.x0 < p->out_w; b.x0 += SEG) {
			s.r = p->out_w - b.x0 < SEG ? p->out_w - b.x0 : SEG;
			s.c = out + (size_t)f0 * out_plane +
			      (size_t)b.y * p->out_w + b.x0;
			tile(t, &b, &s);
		}
	int cheap = tl_activation_in_registers(p->act);
	for (int i = 0; s.last && !cheap && i < LANES; i++)
		TL_K(tl_activate)(out + (size_t)(f0 + i) * out_plane, out_plane,
				  p->act);
}

void TL_K(tl_conv_direct)(const struct tl_conv_params *p, const float *in,
			  const float *weights, const float *bias, float *out,
			  float *workspace, size_t workspace_floats)
{
	int m = p->filters / p->groups, cg = p->c / p->groups;
	int taps = p->size * p->size;
	size_t k = (size_t)cg * taps, plane = (size_t)p->h * p->w;
	size_t fit = workspace_floats / ((size_t)taps * LANES);	/* channels */
	int block = fit < (size_t)cg && !p->weights_by_16 ? (int)fit : cg;
	for (int g = 0; g < p->groups; g++) {
		const float *gin = in + (size_t)g * cg * plane;
		const float *gw = weights + (size_t)g * m * k;
		float *gout = out + (size_t)g * m * p->out_h * p->out_w;
		for (int f0 = 0; f0 < m; f0 += LANES)
			for (int c0 = 0; c0 < cg; c0 += block) {
				int cn = cg - c0 < block ? cg - c0 : block;
				const float *wp = gw + (size_t)f0 * k;
				if (!p->weights_by_16) {
					pack_weights(gw, k, f0, (size_t)c0 * taps,
						     cn * taps, workspace);
					wp = workspace;
				}
				filters_block(p, gin, bias + (size_t)g * m,
					      gout, wp, f0, c0, cn);
			}
	}
}

#else
typedef int tl_no_conv_direct;	/* ISO C: no empty file */
#endif /* TL_CONV_DIRECT */
