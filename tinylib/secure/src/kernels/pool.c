/*
 * Pooling, Darknet's way. Maxpool: the window of output (oy, ox) starts
 * at (oy*stride - padding/2, ox*sw - padding_w/2); positions outside the
 * input are skipped (not taken as 0), so with size 2, stride 1 and the
 * default padding 1 the output keeps the input's size and each window
 * looks one pixel right and down. Avgpool is global.
 */
#include <float.h>

#include "kernel_mode.h"
#include "even_floats.h"

/* Darknet's comparison: NaN never wins, the first of equal values stays. */
static float max_of(float m, float v)
{
	return v > m ? v : m;
}

#ifdef HAVE_EVEN_16
#include <immintrin.h>

/* Lane by lane max_of(m, v). x86's max gives its second operand unless
 * the first is greater, which is max_of: one instruction where SELECT's
 * comparison and blend took two. */
static inline vec8 max_8(vec8 m, vec8 v)
{
	return (vec8)_mm256_max_ps((__m256)v, (__m256)m);
}

static inline vec16 max_16(vec16 m, vec16 v)
{
	return (vec16)_mm512_max_ps((__m512)v, (__m512)m);
}

#define LOWEST_8 ((vec8){ 0 } - FLT_MAX)
#define LOWEST_16 ((vec16){ 0 } - FLT_MAX)

#endif

/* The blocks of W columns from x (16 or 8, a constant at each call)
 * that GCC vectorises: one tap at stride 1 or 2, two at stride 2. */
static inline void max_block_1(float *restrict m, const float *restrict row,
			       int x, int w)
{
	for (int j = x; j < x + w; j++)
		m[j] = max_of(m[j], row[j]);
}

static inline void max_block_2_both(float *restrict m,
				    const float *restrict row, int x, int w)
{
	for (int j = x; j < x + w; j++)
		m[j] = max_of(max_of(m[j], row[2 * j]), row[2 * j + 1]);
}

/* One tap at stride 2: even_floats.h's shuffle where there is one (a
 * load with gaps stays scalar in GCC), for whole blocks of 16. */
static inline void max_block_2(float *restrict m, const float *restrict row,
			       int x, int w)
{
#ifdef HAVE_EVEN_16
	if (w == 16) {
		vec16 even = even_16(row + 2 * x);
		vec16 cur = *(const vec16 *)(m + x);
		/* max_of, lane by lane */
		*(vec16 *)(m + x) = SELECT(vec16, even > cur, even, cur);
		return;
	}
#endif
	for (int j = x; j < x + w; j++)
		m[j] = max_of(m[j], row[2 * j]);
}

static inline void max_block(float *restrict m, const float *restrict row,
			     int x, int w, int stride, int both)
{
	if (stride == 1)
		max_block_1(m, row, x, w);
	else if (both)
		max_block_2_both(m, row, x, w);
	else
		max_block_2(m, row, x, w);
}

/* m[x] = max(m[x], row[x*stride]), then row[x*stride + 1] too when both,
 * for x < n: at strides 1 and 2 in blocks of 16 columns, then of 8, the
 * rest one by one. AlexNet's rows of 27 and 13 columns went mostly scalar
 * (3x3/2 at 55x55 0.32 -> 0.20 ms, 27x27 0.29 -> 0.22; onnxruntime 0.12
 * and 0.09), as did Tiny YOLOv3's 13 (2x2/1, 512 channels: 0.39 -> 0.28
 * ms). A last block reaching back over columns already done would change
 * no value, but its loads waited on the stores just before them. */
static void max_into(float *restrict m, const float *restrict row, int n,
		     int stride, int both)
{
	int x = 0;
	if (stride <= 2 && !(stride == 1 && both)) {
		for (; x + 16 <= n; x += 16)
			max_block(m, row, x, 16, stride, both);
		for (; x + 8 <= n; x += 8)
			max_block(m, row, x, 8, stride, both);
	}
	for (; x < n; x++) {
		m[x] = max_of(m[x], row[(size_t)x * stride]);
		if (both)
			m[x] = max_of(m[x], row[(size_t)x * stride + 1]);
	}
}

/* Window column o + padding/2 (and the next with both) over the output
 * columns [lo, hi), which find it inside the input row. */
static void taps(float *out, const float *row, int o, int lo, int hi,
		 int stride, int both)
{
	if (lo < hi)
		max_into(out + lo, row + lo * stride + o, hi - lo, stride, both);
}

/* 2x2 windows at stride 1 or 2 with no padding before (Darknet's default
 * padding 1 pads after), on an output row whose two input rows are both
 * inside: the four taps in Darknet's order in one pass GCC vectorises;
 * the last columns, whose second column is outside, two taps each.
 * Darknet's reference, Tiny YOLOv3 and cifar pool this way, and the
 * general loop below cost their small planes most in its per-tap calls
 * (16 x 16 -> 8 x 8 over 256 channels: 0.061 ms, onnxruntime 0.012). */
static int rows_2x2(const struct tl_pool_params *p, int oy)
{
	return p->size == 2 && p->kw == 2 && p->stride == p->sw &&
	       p->sw <= 2 && p->padding / 2 == 0 && p->padding_w / 2 == 0 &&
	       p->stride * oy + 1 < p->h;
}

/* S, the stride, a constant at each call */
static inline void max_2x2(const float *restrict top,
			   const float *restrict bottom, float *restrict out,
			   int x0, int x1, int S)
{
	for (int x = x0; x < x1; x++) {
		float m = max_of(-FLT_MAX, top[S * x]);
		m = max_of(m, top[S * x + 1]);
		m = max_of(m, bottom[S * x]);
		out[x] = max_of(m, bottom[S * x + 1]);
	}
}

#ifdef HAVE_EVEN_16
/* 16 outputs at stride 2 from two loads of each input row, its even and
 * odd floats: a quarter of the instructions an output of the 8 below
 * (Tiny YOLOv3's first pool, 16 x 416 x 416, alone after its input was
 * written, on an AMD EPYC: 0.38 -> 0.28 ms at best, 0.87 -> 0.65
 * median) */
static inline void max_2x2_s2_16(const float *top, const float *bottom,
				 float *out)
{
	vec16 t0 = *(const vec16 *)top, t1 = *(const vec16 *)(top + 16);
	vec16 b0 = *(const vec16 *)bottom, b1 = *(const vec16 *)(bottom + 16);
	vec16 m = max_16(max_16(LOWEST_16, EVEN_32(t0, t1)), ODD_32(t0, t1));
	*(vec16 *)out = max_16(max_16(m, EVEN_32(b0, b1)), ODD_32(b0, b1));
}

/* 8 outputs at stride 2 from one load of each input row, its even and
 * odd lanes: rows of fewer than 16 outputs, or their last columns, went
 * one at a time, as GCC leaves max_2x2's loads with gaps scalar (Tiny
 * Darknet's 128 x 56 x 56 -> 28 x 28: 0.071 -> 0.043 ms, 256 x 28 x 28
 * -> 14 x 14: 0.050 -> 0.029) */
static inline void max_2x2_s2_8(const float *top, const float *bottom,
				float *out)
{
	vec16 t = *(const vec16 *)top, b = *(const vec16 *)bottom;
	vec8 m = max_8(max_8(LOWEST_8, EVEN_8(t)), ODD_8(t));
	*(vec8 *)out = max_8(max_8(m, EVEN_8(b)), ODD_8(b));
}
#endif

/* in blocks of 16 (a trip count GCC vectorises), then the rest; at
 * stride 2 with AVX-512 in blocks of 8 outputs (rows of 16 or more go a
 * plane at once: pool_plane_2x2_s2), the last reaching back over columns
 * already done, the loads ending at the last window's */
static void pool_row_2x2(const struct tl_pool_params *p, const float *top,
			 const float *bottom, float *out)
{
	int s = p->sw, inside = p->w >= 2 ? (p->w - 2) / s + 1 : 0, x = 0;
	if (inside > p->out_w)
		inside = p->out_w;
#ifdef HAVE_EVEN_16
	if (s == 2 && inside >= 8) {
		for (; x < inside; x += 8) {
			int at = x + 8 <= inside ? x : inside - 8;
			max_2x2_s2_8(top + 2 * at, bottom + 2 * at, out + at);
		}
		x = inside;
	}
#endif
	for (; x + 16 <= inside; x += 16)
		if (s == 1)
			max_2x2(top, bottom, out, x, x + 16, 1);
		else
			max_2x2(top, bottom, out, x, x + 16, 2);
	max_2x2(top, bottom, out, x, inside, s);
	for (x = inside; x < p->out_w; x++)
		out[x] = max_of(max_of(-FLT_MAX, top[s * x]), bottom[s * x]);
}

/* 3x3 windows at stride 2 on an output row whose three input rows lie
 * inside, with no padding before (AlexNet's pools) or, with AVX-512, one
 * (Darknet's default padding 2: ResNet-18's): each window's nine taps in
 * Darknet's order, a tap outside skipped. With AVX-512, over the columns
 * whose windows lie inside, row by row the three taps of each window's
 * row in order, then the three rows in order (Darknet's order cut into
 * runs), 16 or 8 outputs a vector, the last block reaching back over
 * columns already done; the loads end at the last window's last float.
 * Tap by tap, mostly one column at a time, AlexNet's 55 -> 27, 27 -> 13
 * and 13 -> 6 took 0.34, 0.42 and 0.13 ms; 8 a vector 0.09, 0.05 and
 * 0.07 (onnxruntime 0.06, 0.04 and 0.01). ResNet-18's 64 x 128 x 128
 * took 0.19-0.40 ms by the general loop below, these 0.11-0.17 in the
 * model (onnxruntime 0.14). 16 a vector only from 32 outputs: AlexNet's
 * 27 ran no faster. */
#ifdef HAVE_EVEN_16
#define BEFORE_3X3_MAX 1
#else
#define BEFORE_3X3_MAX 0
#endif

static int rows_3x3_s2(const struct tl_pool_params *p, int oy)
{
	int before = p->padding / 2, top = 2 * oy - before;
	return p->size == 3 && p->kw == 3 && p->stride == 2 && p->sw == 2 &&
	       before <= BEFORE_3X3_MAX && p->padding_w / 2 == before &&
	       top >= 0 && top + 2 < p->h;
}

/* the window of output column x, from its first row top, its columns
 * outside skipped */
static float window_3x3_s2(const struct tl_pool_params *p, const float *top,
			   int x)
{
	int first = 2 * x - p->padding_w / 2;
	int dx0 = first < 0 ? -first : 0;
	int dx1 = p->w - first < 3 ? p->w - first : 3;
	float m = -FLT_MAX;
	for (int dy = 0; dy < 3; dy++)
		for (int dx = dx0; dx < dx1; dx++)
			m = max_of(m, top[dy * p->w + first + dx]);
	return m;
}

#ifdef HAVE_EVEN_16
/* from -FLT_MAX, r[2i], r[2i + 1], r[2i + 2] in turn, i < 8 */
static inline vec8 row_taps_3(const float *r)
{
	vec16 a = *(const vec16 *)r, b = *(const vec16 *)(r + 1);
	vec8 m = max_8(LOWEST_8, EVEN_8(a));
	m = max_8(m, EVEN_8(b));
	return max_8(m, ODD_8(b));
}

/* the same for i < 16: four loads and three shuffles */
static inline vec16 row_taps_3_16(const float *r)
{
	vec16 a = *(const vec16 *)r, b = *(const vec16 *)(r + 16);
	vec16 c = *(const vec16 *)(r + 1), d = *(const vec16 *)(r + 17);
	vec16 m = max_16(LOWEST_16, EVEN_32(a, b));
	m = max_16(m, ODD_32(a, b));
	return max_16(m, ODD_32(c, d));
}

/* outputs [lo, hi), whose windows lie inside, hi - lo >= 8 */
static void windows_3x3_s2(const struct tl_pool_params *p, const float *top,
			   int lo, int hi, float *out)
{
	const float *first = top - p->padding_w / 2;
	size_t w = (size_t)p->w;
	int block = hi - lo >= 32 ? 16 : 8;
	for (int x = lo; x < hi; x += block) {
		int at = x + block <= hi ? x : hi - block;
		const float *r = first + 2 * at;
		if (block == 16) {
			vec16 m = max_16(row_taps_3_16(r), row_taps_3_16(r + w));
			*(vec16 *)(out + at) = max_16(m, row_taps_3_16(r + 2 * w));
		} else {
			vec8 m = max_8(row_taps_3(r), row_taps_3(r + w));
			*(vec8 *)(out + at) = max_8(m, row_taps_3(r + 2 * w));
		}
	}
}
#endif

static void pool_row_3x3_s2(const struct tl_pool_params *p,
			    const float *top, float *out)
{
	/* the windows of columns [lo, hi) lie inside */
	int lo = p->padding_w / 2, last = p->w - 3 + lo;
	int hi = last < 0 ? 0 : last / 2 + 1, x = 0;
	if (hi > p->out_w)
		hi = p->out_w;
	for (; x < lo && x < p->out_w; x++)
		out[x] = window_3x3_s2(p, top, x);
#ifdef HAVE_EVEN_16
	if (hi - lo >= 8) {
		windows_3x3_s2(p, top, lo, hi, out);
		x = hi;
	}
#endif
	/* the windows inside without window_3x3_s2's bounds, which took
	 * AlexNet's 13 -> 6 pool 0.031 -> 0.045 ms */
	for (; x < hi; x++) {
		const float *r = top + 2 * x - lo;
		float m = -FLT_MAX;
		for (int dy = 0; dy < 3; dy++)
			for (int dx = 0; dx < 3; dx++)
				m = max_of(m, r[dy * p->w + dx]);
		out[x] = m;
	}
	for (; x < p->out_w; x++)
		out[x] = window_3x3_s2(p, top, x);
}

/* One output row: the window positions in Darknet's order (dy, then dx),
 * each over the output columns whose input column it finds inside, as
 * depthwise.c does for its taps. At stride 2, columns dx and dx + 1 go
 * in one pass where both are inside, each alone where only it is. */
static void pool_row(const struct tl_pool_params *p, const float *plane,
		     int oy, float *out)
{
	int s = p->sw;
	if (rows_2x2(p, oy)) {
		const float *top = plane + (size_t)p->stride * oy * p->w;
		pool_row_2x2(p, top, top + p->w, out);
		return;
	}
	if (rows_3x3_s2(p, oy)) {
		size_t top = (size_t)(2 * oy - p->padding / 2) * p->w;
		pool_row_3x3_s2(p, plane + top, out);
		return;
	}
	for (int x = 0; x < p->out_w; x++)
		out[x] = -FLT_MAX;	/* Darknet's start: an all-outside window */
	for (int dy = 0; dy < p->size; dy++) {
		int iy = oy * p->stride - p->padding / 2 + dy;
		if (iy < 0 || iy >= p->h)
			continue;
		const float *row = plane + (size_t)iy * p->w;
		for (int dx = 0; dx < p->kw; dx++) {
			int o = dx - p->padding_w / 2;
			int lo = tl_inside_lo(o, s);
			int hi = tl_inside_hi(o, s, p->w, p->out_w);
			if (s != 2 || dx + 1 == p->kw) {
				taps(out, row, o, lo, hi, s, 0);
				continue;
			}
			/* column o + 1 is inside on [lo1, hi1), lo1 <= lo, hi1 <= hi */
			int lo1 = tl_inside_lo(o + 1, s);
			int hi1 = tl_inside_hi(o + 1, s, p->w, p->out_w);
			int mid = hi1 > lo ? hi1 : lo;
			taps(out, row, o + 1, lo1, hi1 < lo ? hi1 : lo, s, 0);
			taps(out, row, o, lo, mid, s, 1);
			taps(out, row, o, mid, hi, s, 0);
			dx++;
		}
	}
}

/* 2x2 windows at stride 1 with no padding before and the input's width
 * out (Darknet's size 2, stride 1, padding 1: Tiny YOLOv3's pool at
 * 13x13), a plane at once: out[i] from in[i], in[i + 1], in[i + w],
 * in[i + w + 1] in turn, i = y*w + x running over the rows as one line in
 * blocks of 16; then each row's last column, whose right taps lay in the
 * next row, two taps; then the last row, whose lower taps lie outside.
 * Rows of 13 went mostly one column at a time (512 channels: 0.27 ->
 * 0.05 ms, onnxruntime 0.025). */
static int plane_2x2_s1(const struct tl_pool_params *p)
{
	return p->size == 2 && p->kw == 2 && p->stride == 1 && p->sw == 1 &&
	       p->padding / 2 == 0 && p->padding_w / 2 == 0 &&
	       p->out_w == p->w && p->h >= 2;
}

static void pool_plane_2x2_s1(const struct tl_pool_params *p,
			      const float *plane, float *out)
{
	long w = p->w, n = (p->h - 1) * w - 1, i = 0;	/* reads < h*w */
	for (; i + 16 <= n; i += 16)
		max_2x2(plane + i, plane + i + w, out + i, 0, 16, 1);
	max_2x2(plane + i, plane + i + w, out + i, 0, (int)(n - i), 1);
	for (long last = w - 1; last < n + 1; last += w)
		out[last] = max_of(max_of(-FLT_MAX, plane[last]),
				   plane[last + w]);
	for (int oy = p->h - 1; oy < p->out_h; oy++)
		pool_row(p, plane, oy, out + (size_t)oy * p->w);
}

/* The input PREFETCH_AHEAD floats past where a pool reads, asked for as
 * it goes, when the input is over PREFETCH_OVER bytes: a pool reads its
 * input once, mostly from memory rather than cache, and the hardware's
 * prefetch alone fed Tiny YOLOv3's first pool (16 x 416 x 416, run again
 * at once 2x faster) at about 14 GB/s. With it, in the model on an AMD
 * EPYC (1 MiB L2, a share of 32 MiB L3): that pool 0.53-0.77 -> 0.29-0.42
 * ms, its second (32 x 208 x 208) 0.17-0.33 -> 0.14-0.15, ResNet-18's
 * (64 x 128 x 128, 3x3/2) 0.29-0.33 -> 0.11-0.13, Tiny Darknet's first
 * (16 x 224 x 224) 0.105 -> 0.077; onnxruntime's own profile gives 0.45,
 * 0.22, 0.14-0.22 and 0.07-0.09. Over inputs of 1.4 and 2.7 MiB, still
 * in cache there, it cost 10% (0.043 -> 0.049 ms, 0.065 -> 0.074): hence
 * the bound, this machine's. */
#define PREFETCH_AHEAD 2048
#define PREFETCH_OVER (3u << 20)

/* A pool's input as it reads it: the floats an output row moves on by
 * (step; 0 where the input is small enough not to prefetch) */
struct input {
	const float *in;
	size_t end, step;
};

/* in[at + PREFETCH_AHEAD ..] for one step, not past in[end - 1] */
static void prefetch_ahead(const struct input *i, size_t at)
{
	size_t from = at + PREFETCH_AHEAD;
	if (i->step && from < i->end)
		tl_prefetch(i->in + from,
			    from + i->step < i->end ? i->step : i->end - from);
}

#ifdef HAVE_EVEN_16
/* 2x2 windows at stride 2 with no padding before, over rows of 16
 * outputs or more, with AVX-512: a plane at once, each row that has both
 * its input rows in blocks of 16 outputs (the last reaching back over
 * columns already done), then its last column alone if the window's
 * second column is outside; a last row with one input row by pool_row.
 * Row by row through pool_row, its calls and tests took a fifth of the
 * time with the input in cache (16 x 208 x 208 alone on an AMD EPYC:
 * 0.048 -> 0.039 ms; 16 x 416 x 416 just written: 0.69 -> 0.60 median). */
static int plane_2x2_s2(const struct tl_pool_params *p)
{
	return p->size == 2 && p->kw == 2 && p->stride == 2 && p->sw == 2 &&
	       p->padding / 2 == 0 && p->padding_w / 2 == 0 && p->w >= 32;
}

static void pool_plane_2x2_s2(const struct tl_pool_params *p,
			      const struct input *i, size_t at, float *out)
{
	const float *plane = i->in + at;
	int inside = (p->w - 2) / 2 + 1, oy = 0;
	if (inside > p->out_w)
		inside = p->out_w;
	for (; 2 * oy + 1 < p->h; oy++, out += p->out_w) {
		const float *top = plane + (size_t)2 * oy * p->w;
		prefetch_ahead(i, at + (size_t)oy * i->step);
		for (int x = 0; x < inside; x += 16) {
			int from = x + 16 <= inside ? x : inside - 16;
			max_2x2_s2_16(top + 2 * from, top + p->w + 2 * from,
				      out + from);
		}
		for (int x = inside; x < p->out_w; x++)
			out[x] = max_of(max_of(-FLT_MAX, top[2 * x]),
					top[p->w + 2 * x]);
	}
	for (; oy < p->out_h; oy++, out += p->out_w)
		pool_row(p, plane, oy, out);
}
#endif

void TL_K(tl_maxpool)(const struct tl_pool_params *given, const float *in,
		      float *out)
{
	struct tl_pool_params q = *given, *p = &q;
	if (q.kw == 0)	/* square: the columns as the rows */
		q.kw = q.size, q.sw = q.stride, q.padding_w = q.padding;
	size_t plane_floats = (size_t)p->h * p->w;
	struct input input = { in, p->c * plane_floats, 0 };
	if (input.end * sizeof(float) > PREFETCH_OVER)
		input.step = (size_t)p->stride * p->w;
	for (int ch = 0; ch < p->c; ch++) {
		size_t at = ch * plane_floats;
		float *out_plane = out + (size_t)ch * p->out_h * p->out_w;
		if (plane_2x2_s1(p)) {
			pool_plane_2x2_s1(p, in + at, out_plane);
			continue;
		}
#ifdef HAVE_EVEN_16
		if (plane_2x2_s2(p)) {
			pool_plane_2x2_s2(p, &input, at, out_plane);
			continue;
		}
#endif
		for (int oy = 0; oy < p->out_h; oy++) {
			prefetch_ahead(&input, at + oy * input.step);
			pool_row(p, in + at, oy,
				 out_plane + (size_t)oy * p->out_w);
		}
	}
}

#ifdef TL_FAST
/* Fast mode: a plane in 16 lanes side by side, then the lanes and the
 * last floats (Tiny Darknet's 1000 x 14 x 14 in strict mode's order took
 * 0.080 ms in the model, this 0.010; onnxruntime 0.036). */
static float plane_sum(const float *x, size_t n)
{
	vec16 lanes = { 0 };
	size_t i = 0;
	for (; i + 16 <= n; i += 16)
		lanes += *(const vec16 *)(x + i);
	float sum = 0.0f;
	for (int j = 0; j < 16; j++)
		sum += lanes[j];
	for (; i < n; i++)
		sum += x[i];
	return sum;
}

void TL_K(tl_avgpool_global)(int c, int h, int w, const float *in,
			     float *out)
{
	size_t n = (size_t)h * w;
	for (int ch = 0; ch < c; ch++)
		out[ch] = plane_sum(in + (size_t)ch * n, n) / (float)n;
}
#else
/* Channels [ch, ch + C) side by side, each summed in order, then
 * divided, as Darknet does: one sum at a time waits an add's latency
 * every step (Tiny Darknet's 1000 x 14 x 14: 0.125 -> 0.081 ms,
 * onnxruntime 0.04). C a constant at each call. */
static inline void average_planes(const float *in, size_t n, int ch, int C,
				  float *out)
{
	float sum[8] = { 0 };
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < C; j++)
			sum[j] += in[(size_t)(ch + j) * n + i];
	for (int j = 0; j < C; j++)
		out[ch + j] = sum[j] / (float)n;
}

void TL_K(tl_avgpool_global)(int c, int h, int w, const float *in,
			     float *out)
{
	size_t n = (size_t)h * w;
	int ch = 0;
	for (; ch + 8 <= c; ch += 8)
		average_planes(in, n, ch, 8, out);
	for (; ch < c; ch++)
		average_planes(in, n, ch, 1, out);
}
#endif /* TL_FAST */
