/*
 * Depthwise convolution (groups == c == filters): each channel convolved
 * with its own size x kw filter, straight from the input, no
 * workspace. Every output sums its taps in the order ky, kx, skipping
 * those that read outside the input: padding adds nothing, so strict
 * mode's sum is the same as im2col's with its zeros.
 *
 * An output row goes in two parts: the columns whose taps all read
 * inside the row, a vector of outputs at a time with the sums in
 * registers (GCC's vector types: one load a tap for 16 or 4 outputs; at
 * stride 2 two loads and a shuffle of the even lanes), and the columns at
 * either edge one at a time. A 3x3 stride-1 "same" filter over rows of 8,
 * or of 16 and more, takes whole vectors instead, the edge ones shifted a
 * lane with 0 coming in (narrow and wide rows, below). Vector
 * arithmetic is lane by lane, each lane one output's sum in the same order
 * as the scalar code, so strict mode keeps its bits on every machine.
 * Each tap is one fused multiply-add in strict mode too (fused_steps.h).
 */
#include <stdint.h>

#include "kernel_mode.h"
#include "fused_steps.h"
#include "even_floats.h"
#include "vectors.h"


/* What the blocks of one output row read: the channel's plane and
 * filter, the input row under filter row 0 (iy0, maybe above the plane)
 * and the filter rows that read inside the plane. */
struct block {
	const struct tl_conv_params *p;
	const float *plane, *w;
	int iy0, ky0, ky1;	/* the filter rows [ky0, ky1) read inside */
};

/* The output columns [lo, hi) whose every tap kx in [0, kw) reads inside
 * the input row. */
static void inner_columns(const struct tl_conv_params *p, int *lo, int *hi)
{
	*lo = tl_inside_lo(-p->pad_left, p->sw);
	*hi = tl_inside_hi(p->kw - 1 - p->pad_left, p->sw, p->w, p->out_w);
	if (*lo > p->out_w)	/* a padding wider than the output */
		*lo = p->out_w;
	if (*hi < *lo)
		*hi = *lo;
}

/* The input values of the outputs at x[0], x[s], x[2s], ... (s 1 or
 * 2) as a vector v of type vec; at stride 2 the even lanes of x[0 ..
 * 2n-1), from two loads, the second ending at x[2n-2]: a second load
 * from x + n would read one float past the last the outputs need, past
 * the input's end for a last block (valgrind). Lane indices into the two
 * (__builtin_shufflevector: GCC 12 and clang both have it). Macros, not
 * functions: a function returning a 64-byte vector has an ABI that
 * depends on the build's vector extensions. */
#define LOAD(vec, v, x, s, ...)						\
	do {								\
		if ((s) == 1)						\
			(v) = *(const vec *)(x);			\
		else							\
			(v) = __builtin_shufflevector(*(const vec *)(x), \
				*(const vec *)((x) + sizeof(vec) / 4 - 1), \
				__VA_ARGS__);				\
	} while (0)

/* out[0..16) or out[0..4) at output column ox, every tap inside. */
#define BLOCK_FN(name, vec, ...)					\
static inline __attribute__((always_inline)) void			\
name(const struct block *b, int ox, float *out, int s)			\
{									\
	const struct tl_conv_params *p = b->p;				\
	vec acc = { 0 }, x;						\
	for (int ky = b->ky0; ky < b->ky1; ky++) {			\
		const float *row = b->plane + (size_t)(b->iy0 + ky) * p->w \
			+ (size_t)(ox * s - p->pad_left);		\
		for (int kx = 0; kx < p->kw; kx++) {			\
			LOAD(vec, x, row + kx, s, __VA_ARGS__);		\
			acc += b->w[ky * p->kw + kx] * x;		\
		}							\
	}								\
	*(vec *)out = acc;						\
}
BLOCK_FN(block16, vec16, EVEN_16_LANES)
BLOCK_FN(block4, vec4, 0, 2, 5, 7)

/* Blocks over the inner columns [lo, hi), 16 wide while they fit, then 4
 * wide; the last block ends at hi, overlapping the one before: its
 * columns come out again, the same sums in the same order. Returns where
 * the columns left to column() start. */
static inline __attribute__((always_inline)) int
inner_run(const struct block *b, int lo, int hi, float *out, int s)
{
	int ox = lo;
	for (; ox + 16 <= hi; ox += 16)
		block16(b, ox, out + ox, s);
	if (ox < hi && hi - lo >= 16)
		return block16(b, hi - 16, out + hi - 16, s), hi;
	for (; ox + 4 <= hi; ox += 4)
		block4(b, ox, out + ox, s);
	if (ox < hi && hi - lo >= 4)
		return block4(b, hi - 4, out + hi - 4, s), hi;
	return ox;
}

/* A copy for each stride with s a constant, so that the loads are plain
 * vector loads at stride 1. */
static int inner_stride1(const struct block *b, int lo, int hi, float *out)
{
	return inner_run(b, lo, hi, out, 1);
}

static int inner_stride2(const struct block *b, int lo, int hi, float *out)
{
	return inner_run(b, lo, hi, out, 2);
}

/* One output column, the taps that read inside, in order. */
static float column(const struct block *b, int ox)
{
	const struct tl_conv_params *p = b->p;
	int x0 = ox * p->sw - p->pad_left;	/* the input column of kx = 0 */
	int kx0 = x0 < 0 ? -x0 : 0;
	int kx1 = p->w - x0 < p->kw ? p->w - x0 : p->kw;
	float sum = 0.0f;
	for (int ky = b->ky0; ky < b->ky1; ky++) {
		const float *row = b->plane + (size_t)(b->iy0 + ky) * p->w + x0;
		for (int kx = kx0; kx < kx1; kx++)
			sum += b->w[ky * p->kw + kx] * row[kx];
	}
	return sum;
}

static void depthwise_row(const struct tl_conv_params *p, const float *plane,
			  const float *w, int oy, int lo, int hi, float *out)
{
	struct block b = { p, plane, w, oy * p->stride - p->pad, 0, p->size };
	if (b.iy0 < 0)
		b.ky0 = -b.iy0;
	if (p->h - b.iy0 < p->size)
		b.ky1 = p->h - b.iy0;
	int done = lo;
	if (p->sw == 1)
		done = inner_stride1(&b, lo, hi, out);
	else if (p->sw == 2)
		done = inner_stride2(&b, lo, hi, out);
	for (int ox = 0; ox < lo; ox++)
		out[ox] = column(&b, ox);
	for (int ox = done; ox < p->out_w; ox++)
		out[ox] = column(&b, ox);
}

/*
 * A 3x3 stride-1 "same" filter over rows of exactly 8 (and, as
 * wide_rows16 below, 16: MobileNet's last planes, where the blocks above
 * leave few inner columns and the edges cost 0.5 ms a layer): a whole
 * output row in one vector, each
 * input row loaded once and shifted a lane either way with 0 coming in
 * at the edge. A padded lane then adds w x 0 = +-0 to a sum that is never
 * -0, which leaves its bits as skipping the tap does, for finite w: the
 * caller checks the filter (finite_filter).
 */
#define NARROW_FN(name, vec, ...)					\
static void name(const struct tl_conv_params *p, const float *plane,	\
		 const float *w, float *out)				\
{									\
	const vec zero = { 0 };						\
	for (int oy = 0; oy < p->out_h; oy++) {				\
		vec acc = { 0 };					\
		for (int ky = 0; ky < 3; ky++) {			\
			int iy = oy - 1 + ky;				\
			if (iy < 0 || iy >= p->h)			\
				continue;				\
			vec x = *(const vec *)(plane + (size_t)iy * p->w); \
			acc += w[ky * 3] * SHIFT_RIGHT(x, zero, __VA_ARGS__); \
			acc += w[ky * 3 + 1] * x;			\
			acc += w[ky * 3 + 2] * SHIFT_LEFT(x, zero, __VA_ARGS__); \
		}							\
		*(vec *)(out + (size_t)oy * p->w) = acc;		\
	}								\
}
/* x one lane to the right (lane 0 from zero) or to the left (the last
 * lane from zero): indices into (zero, x) and (x, zero). */
#define SHIFT_RIGHT(x, zero, n, ...) \
	__builtin_shufflevector(zero, x, SR_##n)
#define SHIFT_LEFT(x, zero, n, ...) \
	__builtin_shufflevector(x, zero, SL_##n)
#define SR_16 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
#define SL_16 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
#define SR_8 7, 8, 9, 10, 11, 12, 13, 14
#define SL_8 1, 2, 3, 4, 5, 6, 7, 8
NARROW_FN(narrow_rows8, vec8, 8)

/* The same filter over rows of 16 or more, in blocks of 16: the first
 * and last block of a row shift their input a lane with 0 coming in, as
 * above, the others load it a column either side; a last block that
 * does not fit ends at the row's end, over columns already done (the
 * same sums again). The blocks above, with the two edge columns one
 * tap at a time, took MobileNet v1's 3x3 layers over 64x64 and 32x32
 * 2.8x and 3.6x onnxruntime's time, most of it at the edges. */
static void wide_rows16(const struct tl_conv_params *p, const float *plane,
			const float *w, float *out)
{
	const vec16 zero = { 0 };
	int width = p->w;
	for (int oy = 0; oy < p->out_h; oy++)
		for (int ox = 0;; ox += 16) {
			if (ox + 16 > width)
				ox = width - 16;
			int first = ox == 0, last = ox + 16 == width;
			vec16 acc = { 0 };
			for (int ky = 0; ky < 3; ky++) {
				int iy = oy - 1 + ky;
				if (iy < 0 || iy >= p->h)
					continue;
				const float *row = plane + (size_t)iy * width + ox;
				vec16 mid = *(const vec16 *)row;
				vec16 left = first ? SHIFT_RIGHT(mid, zero, 16)
						   : *(const vec16 *)(row - 1);
				vec16 right = last ? SHIFT_LEFT(mid, zero, 16)
						   : *(const vec16 *)(row + 1);
				acc += w[ky * 3] * left;
				acc += w[ky * 3 + 1] * mid;
				acc += w[ky * 3 + 2] * right;
			}
			*(vec16 *)(out + (size_t)oy * width + ox) = acc;
			if (last)
				break;
		}
}

/* The same filter at stride 2 (MobileNet's downsampling: output rows of
 * 16 or more, half the input's even width), with AVX-512's shuffles:
 * per block, from two loads, the even input columns (kx 1) and the odd
 * ones (kx 2); and the odd ones a column before (kx 0), the kx 2 lanes
 * shifted one with the float before the block coming in (0 in the first
 * block; the last float of the 16 before it, where the block starts 16
 * floats or more into the row). The blocks and edge columns above took
 * these layers 2.3-7.5x onnxruntime's time; an even-lane shuffle from two
 * loads for each tap, in the model, 0.186, 0.084 and 0.040 ms against
 * these 0.148, 0.068 and 0.036 (MobileNet v1's at 128, 64 and 32; on an
 * AMD EPYC; onnxruntime 0.129, 0.068, 0.039). */
#ifdef HAVE_EVEN_16
/* the 16 floats before row[0], whose last is row[-1] */
#define BEFORE(row) (*(const vec16 *)((row) - 16))

static void wide_rows16_s2(const struct tl_conv_params *p,
			   const float *plane, const float *w, float *out)
{
	const vec16 zero = { 0 };
	for (int oy = 0; oy < p->out_h; oy++)
		for (int ox = 0;; ox += 16) {
			if (ox + 16 > p->out_w)
				ox = p->out_w - 16;
			int first = ox == 0, last = ox + 16 == p->out_w;
			vec16 acc = { 0 };
			for (int ky = 0; ky < 3; ky++) {
				int iy = 2 * oy - 1 + ky;
				if (iy < 0 || iy >= p->h)
					continue;
				const float *row = plane + (size_t)iy * p->w +
						   2 * ox;
				vec16 a = *(const vec16 *)row;
				vec16 b = *(const vec16 *)(row + 16);
				vec16 mid = EVEN_32(a, b), right = ODD_32(a, b);
				vec16 left = first ? SHIFT_RIGHT(right, zero, 16)
					     : ox < 8 ? even_16(row - 1)
					     : SHIFT_RIGHT(right, BEFORE(row), 16);
				acc += w[ky * 3] * left;
				acc += w[ky * 3 + 1] * mid;
				acc += w[ky * 3 + 2] * right;
			}
			*(vec16 *)(out + (size_t)oy * p->out_w + ox) = acc;
			if (last)
				break;
		}
}

/* ... and over output rows of exactly 8, from input rows of 16 (MobileNet
 * v1's 16x16 -> 8x8: 0.11 ms a layer tap by tap, onnxruntime 0.03): an
 * input row is one vector, the taps its even and odd lanes, as above. */
static void narrow_rows8_s2(const struct tl_conv_params *p,
			    const float *plane, const float *w, float *out)
{
	const vec8 zero = { 0 };
	for (int oy = 0; oy < p->out_h; oy++) {
		vec8 acc = { 0 };
		for (int ky = 0; ky < 3; ky++) {
			int iy = 2 * oy - 1 + ky;
			if (iy < 0 || iy >= p->h)
				continue;
			vec16 x = *(const vec16 *)(plane + (size_t)iy * 16);
			vec8 mid = EVEN_8(x), right = ODD_8(x);
			acc += w[ky * 3] * SHIFT_RIGHT(right, zero, 8);
			acc += w[ky * 3 + 1] * mid;
			acc += w[ky * 3 + 2] * right;
		}
		*(vec8 *)(out + (size_t)oy * 8) = acc;
	}
}
#else
/*
 * The same filter at stride 2 in 4-float vectors (NEON, SSE). The blocks
 * above went through GCC's lowering of a 16-lane shuffle there: MobileNet
 * v1's four downsampling layers took 4.2-7.9 aarch64 instructions a
 * multiply-add, and take 1.8-2.1 this way (its Cortex-A53 estimate 364 ->
 * 353 ms, smartzone verify --fast).
 * - A quad of outputs comes from two loads of 4 input floats: their even
 *   lanes (kx 1) and odd lanes (kx 2) unzipped.
 * - The odd lanes a column before (kx 0) are shifted in from the quad
 *   before, or from the float before the block (0 at the row's start).
 * - Up to four quads a block. A row of 16 or more ends with a block over
 *   columns already done (the same sums again); a shorter one is 1 to 3
 *   quads.
 */
#define AFTER_LAST(prev, x) __builtin_shufflevector(prev, x, 3, 4, 5, 6)

static inline __attribute__((always_inline)) void
quads_s2(const struct tl_conv_params *p, const float *plane, const float *w,
	 int oy, int ox, int quads, float *out)
{
	const vec4 zero = { 0 };
	vec4 acc[4] = { zero, zero, zero, zero };
	for (int ky = 0; ky < 3; ky++) {
		int iy = 2 * oy - 1 + ky;
		if (iy < 0 || iy >= p->h)
			continue;
		const float *row = plane + (size_t)iy * p->w + 2 * ox;
		vec4 prev = { 0, 0, 0, ox == 0 ? 0.0f : row[-1] };
		_Pragma("GCC unroll 4")
		for (int q = 0; q < quads; q++) {
			vec4 a = *(const vec4 *)(row + 8 * q);
			vec4 b = *(const vec4 *)(row + 8 * q + 4);
			vec4 mid = EVEN_4(a, b), right = ODD_4(a, b);
			acc[q] += w[ky * 3] * AFTER_LAST(prev, right);
			acc[q] += w[ky * 3 + 1] * mid;
			acc[q] += w[ky * 3 + 2] * right;
			prev = right;
		}
	}
	_Pragma("GCC unroll 4")
	for (int q = 0; q < quads; q++)
		*(vec4 *)(out + 4 * q) = acc[q];
}

/* A row's first 1 to 3 quads with their count a constant (acc in
 * registers). */
static void short_row_s2(const struct tl_conv_params *p, const float *plane,
			 const float *w, int oy, float *out)
{
	if (p->out_w == 12)
		quads_s2(p, plane, w, oy, 0, 3, out);
	else if (p->out_w == 8)
		quads_s2(p, plane, w, oy, 0, 2, out);
	else
		quads_s2(p, plane, w, oy, 0, 1, out);
}

static void rows_s2_quads(const struct tl_conv_params *p, const float *plane,
			  const float *w, float *out)
{
	for (int oy = 0; oy < p->out_h; oy++) {
		float *row = out + (size_t)oy * p->out_w;
		if (p->out_w < 16) {
			short_row_s2(p, plane, w, oy, row);
			continue;
		}
		for (int ox = 0;; ox += 16) {
			if (ox + 16 > p->out_w)
				ox = p->out_w - 16;
			quads_s2(p, plane, w, oy, ox, 4, row + ox);
			if (ox + 16 == p->out_w)
				break;
		}
	}
}
#endif

static int wide_rows_s2_shape(const struct tl_conv_params *p)
{
	int s2 = p->size == 3 && p->kw == 3 && p->stride == 2 && p->sw == 2 &&
		 p->pad == 1 && p->pad_left == 1 && p->w % 2 == 0 &&
		 p->out_w == p->w / 2;
#ifdef HAVE_EVEN_16
	return s2 && (p->out_w >= 16 || p->out_w == 8);
#else
	return s2 && (p->out_w >= 16 || p->out_w % 4 == 0);
#endif
}

/* A channel by narrow or wide rows: the caller has checked the shape
 * (narrow_rows_shape or wide_rows_s2_shape) and the filter. */
static void whole_rows(const struct tl_conv_params *p, const float *plane,
		       const float *w, float *out)
{
	if (p->stride == 2) {
#ifdef HAVE_EVEN_16
		if (p->out_w == 8)
			narrow_rows8_s2(p, plane, w, out);
		else
			wide_rows16_s2(p, plane, w, out);
#else
		rows_s2_quads(p, plane, w, out);
#endif
		return;
	}
	if (p->w >= 16)
		wide_rows16(p, plane, w, out);
	else
		narrow_rows8(p, plane, w, out);
}

/* The shape narrow and wide rows take, the same for every channel. */
static int narrow_rows_shape(const struct tl_conv_params *p)
{
	return p->size == 3 && p->kw == 3 && p->stride == 1 && p->sw == 1 &&
	       p->pad == 1 && p->pad_left == 1 && p->out_h == p->h &&
	       p->out_w == p->w && (p->w >= 16 || p->w == 8);
}

/* A channel's 9 weights, all finite (exponent bits not all set). */
static int finite_filter(const float *w)
{
	for (int t = 0; t < 9; t++) {
		union { float f; uint32_t bits; } u = { w[t] };
		if ((u.bits & 0x7f800000u) == 0x7f800000u)
			return 0;
	}
	return 1;
}

void TL_K(tl_depthwise)(const struct tl_conv_params *p, const float *in,
			const float *weights, const float *bias, float *out)
{
	size_t taps = (size_t)p->size * p->kw;
	size_t plane = (size_t)p->h * p->w;
	int lo, hi;
	inner_columns(p, &lo, &hi);
	size_t out_plane = (size_t)p->out_h * p->out_w;
	int narrow = narrow_rows_shape(p), wide_s2 = wide_rows_s2_shape(p);
	for (int ch = 0; ch < p->c; ch++) {
		float *o = out + ch * out_plane;
		const float *w = weights + ch * taps;
		if ((narrow || wide_s2) && finite_filter(w)) {
			whole_rows(p, in + ch * plane, w, o);
		} else {
			for (int oy = 0; oy < p->out_h; oy++)
				depthwise_row(p, in + ch * plane, w, oy, lo,
					      hi, o + (size_t)oy * p->out_w);
		}
		/* a plane at once: MobileNet's last rows are 8 and 16 wide */
		TL_K(tl_bias_activate)(o, out_plane, bias[ch], p->act);
	}
}
