/*
 * S-Tinylib's kernels (tl_kernels.h) against the double-precision
 * reference (reference.c), in both numeric modes, on seeded random shapes
 * and data; then strict mode's order, to the bit.
 *
 * Tolerances, asserted for every output:
 *  - sums (convolution, connected, avgpool): |got - ref| <=
 *    s * (1e-5 * mag + 1e-6), mag = |bias| + sum of |terms|, s the
 *    activation's steepest slope (1.5 for hardswish, else 1). A float sum
 *    of k terms errs by about sqrt(k) * 2^-24 * mag on random data (at
 *    most k * 2^-24 * mag); one wrong or missing term, about mag / k, is
 *    far outside for every k used here (k <= 600).
 *  - elementwise (activations, shortcut, crop, yolo): |got - ref| <=
 *    1e-6 * (|ref| + s * mag) + 1e-37: a few roundings and Tinylibm's
 *    1 ULP, with 1e-37 for results that underflow.
 *  - softmax (and a yolo head's softmax classes): relative (2 * range +
 *    n + 8) * 2^-24, range = max - min of the inputs: the rounding of
 *    x - max, the exponential, the sum of n terms and the division.
 *  - exact: maxpool, upsample (a float product is the exact one rounded
 *    once), yolo's raw w and h, and strict mode against its documented
 *    order.
 * Outputs start as NaN, so an output a kernel never writes fails.
 */
#define _DEFAULT_SOURCE	/* mmap's MAP_ANONYMOUS */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "reference.h"
#include "strict_order.h"
#include "tl_kernels.h"

/* ---- Seeded data ---- */

struct rng { uint64_t s; };

static uint64_t next(struct rng *r)	/* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static int rnd_int(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static float rnd_float(struct rng *r, float lo, float hi)
{
	return lo + (hi - lo) * (float)((next(r) >> 40) * 0x1p-24);
}

static void *alloc(size_t n, size_t size)
{
	void *p = malloc(n ? n * size : 1);
	assert_non_null(p);
	return p;
}

static float *rnd_array(struct rng *r, size_t n, float lo, float hi)
{
	float *a = alloc(n, sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i] = rnd_float(r, lo, hi);
	return a;
}

/* A copy of a[0..n) that ends where an unreadable page begins, so that a
 * kernel reading one float past its input or its weights dies there
 * (valgrind cannot run the AVX-512 build, whose vector loads are the
 * likeliest to). */
struct guarded { void *map; size_t len; float *floats; };

static struct guarded guarded_copy(const float *a, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (n * sizeof *a + page - 1) / page * page;
	struct guarded g = { NULL, data + page, NULL };
	g.map = mmap(NULL, g.len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g.map != MAP_FAILED);
	assert_int_equal(mprotect((char *)g.map + data, page, PROT_NONE), 0);
	g.floats = (float *)((char *)g.map + data) - n;
	memcpy(g.floats, a, n * sizeof *a);
	return g;
}

static void guarded_free(struct guarded g)
{
	munmap(g.map, g.len);
}

static float *nan_array(size_t n)
{
	float *a = alloc(n, sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
	return a;
}

/* ---- Checks ---- */

static const char *const mode_name[] = { "strict", "fast" };

static double slope(enum tl_activation act)
{
	return act == TL_ACT_HARDSWISH ? 1.5 : 1.0;
}

static void check_sums(const char *what, int id, const float *got,
		       const double *ref, const double *mag, size_t n,
		       enum tl_activation act)
{
	for (size_t i = 0; i < n; i++) {
		double tol = slope(act) * (1e-5 * mag[i] + 1e-6);
		if (!(fabs(got[i] - ref[i]) <= tol))
			fail_msg("%s, case %d: out[%zu] = %.9g, reference %.9g, "
				 "tolerance %.3g", what, id, i, got[i], ref[i], tol);
	}
}

static void check_elementwise(const char *what, int id, const float *got,
			      const double *ref, const double *mag, size_t n,
			      enum tl_activation act)
{
	for (size_t i = 0; i < n; i++) {
		double m = mag != NULL ? mag[i] : 0;
		double tol = 1e-6 * (fabs(ref[i]) + slope(act) * m) + 1e-37;
		if (!(fabs(got[i] - ref[i]) <= tol))
			fail_msg("%s, case %d: out[%zu] = %.9g, reference %.9g, "
				 "tolerance %.3g", what, id, i, got[i], ref[i], tol);
	}
}

static void check_exact(const char *what, int id, const float *got,
			const double *ref, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(got[i] == (float)ref[i]))
			fail_msg("%s, case %d: out[%zu] = %.9g, reference %.9g",
				 what, id, i, got[i], ref[i]);
}

/* ---- Convolution ---- */

static size_t conv_taps(const struct tl_conv_params *p)
{
	return (size_t)(p->c / p->groups) * p->size * p->size;
}

static size_t conv_positions(const struct tl_conv_params *p)
{
	return (size_t)p->out_h * p->out_w;
}

static void set_out_size(struct tl_conv_params *p)
{
	if (p->h + 2 * p->pad < p->size)
		p->h = p->size - 2 * p->pad;
	if (p->w + 2 * p->pad < p->size)
		p->w = p->size - 2 * p->pad;
	p->out_h = (p->h + 2 * p->pad - p->size) / p->stride + 1;
	p->out_w = (p->w + 2 * p->pad - p->size) / p->stride + 1;
}

/* Odd sizes, strides 1-3, sizes 1-7, every padding kind, and a share of
 * depthwise, 1x1 and grouped convolutions. */
static struct tl_conv_params random_conv(struct rng *r)
{
	struct tl_conv_params p = {
		.c = rnd_int(r, 1, 12), .h = rnd_int(r, 1, 20),
		.w = rnd_int(r, 1, 20), .filters = rnd_int(r, 1, 20),
		.size = rnd_int(r, 1, 7), .stride = rnd_int(r, 1, 3),
		.groups = 1, .act = (enum tl_activation)rnd_int(r, 0, 6),
	};
	int kind = rnd_int(r, 0, 9), padding = rnd_int(r, 0, 2);
	p.pad = padding == 0 ? 0 : padding == 1 ? p.size / 2
		: rnd_int(r, 0, p.size - 1);
	if (kind <= 1) {
		p.groups = p.filters = p.c;
	} else if (kind <= 3) {
		p.size = 1, p.stride = 1, p.pad = 0;
	} else if (kind == 4) {
		p.groups = rnd_int(r, 2, 4);
		p.c = p.groups * rnd_int(r, 1, 4);
		p.filters = p.groups * rnd_int(r, 1, 5);
	}
	set_out_size(&p);
	return p;
}

/* Shapes that reach every path of the blocking: several k blocks,
 * several column tiles, a last tile narrower than a strip, fewer columns
 * than a strip, row tiles cut short, 1x1 reading the input directly,
 * depthwise with stride and padding, a depth multiplier of 2. */
static const struct tl_conv_params fixed_convs[] = {
	{ 40, 17, 19, 13, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 300, 9, 9, 10, 1, 1, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 7, 3, 3, 9, 1, 1, 0, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 3, 31, 29, 16, 3, 2, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 24, 14, 14, 17, 3, 1, 1, 1, 0, 0, TL_ACT_LOGISTIC, 0, 0, 0, 0 },
	{ 8, 5, 5, 12, 7, 1, 3, 1, 0, 0, TL_ACT_TANH, 0, 0, 0, 0 },
	{ 16, 20, 20, 16, 3, 2, 1, 16, 0, 0, TL_ACT_RELU6, 0, 0, 0, 0 },
	{ 32, 11, 11, 32, 5, 1, 2, 32, 0, 0, TL_ACT_HARDSWISH, 0, 0, 0, 0 },
	{ 6, 10, 10, 9, 3, 1, 1, 3, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 4, 9, 9, 8, 3, 1, 1, 4, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 64, 10, 10, 33, 3, 3, 0, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 20, 40, 3, 5, 2, 1, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	/* stride 1 keeping the size (one copy per tile row, the columns off
	 * a row's edge zeroed): tiles across rows, rows wider than a tile,
	 * a padding wider than the input; stride 2 over wide rows; 1x1
	 * whose last columns join the tile before (196 = 6*32 + 4, 47) */
	{ 5, 12, 45, 18, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 4, 12, 3, 5, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },	/* 11 rows a tile: more edges than im2col.c lists */
	{ 3, 6, 70, 9, 5, 1, 2, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 2, 5, 2, 7, 7, 1, 3, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 6, 9, 50, 10, 3, 2, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 40, 14, 14, 20, 1, 1, 0, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 8, 1, 47, 5, 1, 1, 0, 1, 0, 0, TL_ACT_HARDSWISH, 0, 0, 0, 0 },
	/* 1x1 in place, the plane one tile: 28 strips of 32 and 4 columns
	 * over two k blocks (256 + 44), 8 x 5 filters; 5 strips + 9 over
	 * 13x13 (Tiny YOLOv3's) */
	{ 300, 30, 30, 40, 1, 1, 0, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 64, 13, 13, 24, 1, 1, 0, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	/* large planes (1024 positions or more): 1x1 packed, a short k in
	 * wide tiles, a last tile of 16 + 8 + 3 columns */
	{ 12, 41, 41, 20, 1, 1, 0, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 12, 41, 41, 16, 1, 1, 0, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },	/* 16 filters: in place */
	{ 3, 33, 35, 9, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 20, 33, 33, 10, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },	/* k 180: two k blocks of 128 */
	{ 300, 1, 1, 17, 1, 1, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },	/* a classifier: 8 + 8 + 1 rows, two k blocks */
	/* classifiers in fast mode: 8 + 4 + 1 rows at once where a row is a
	 * page or less, 4 + 4 + 4 + 1 over longer rows */
	{ 40, 1, 1, 13, 1, 1, 0, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 1100, 1, 1, 13, 1, 1, 0, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	/* stride 4 over rows of 8 and 11 outputs (AlexNet's first layer:
	 * im2col's copies 8 at a time with AVX-512), unpadded (the last
	 * window ends at the input's last float) and padded */
	{ 3, 15, 39, 5, 11, 4, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 3, 19, 47, 6, 11, 4, 2, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	/* fast mode with AVX-512: the last 1 to 6 columns after a strip of
	 * 16 or 8 as dot products (gemm.c's tail): 7x7 (32 + 16 + 1) with 13
	 * filters over k 360 = 256 + 104, 13x13 (5 * 32 + 8 + 1) over k 270 =
	 * 256 + 14, 2x31 (32 + 16 + 8 + 6) */
	{ 40, 7, 7, 13, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 30, 13, 13, 20, 3, 1, 1, 1, 0, 0, TL_ACT_LOGISTIC, 0, 0, 0, 0 },
	{ 6, 2, 31, 9, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	/* depthwise 3x3 over rows of 16 and 8: a row a vector; over wider
	 * rows in blocks of 16, the last one overlapping when 16 does not
	 * divide the width */
	{ 6, 16, 16, 6, 3, 1, 1, 6, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 5, 8, 8, 5, 3, 1, 1, 5, 0, 0, TL_ACT_RELU6, 0, 0, 0, 0 },
	{ 5, 9, 37, 5, 3, 1, 1, 5, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 4, 5, 32, 4, 3, 1, 1, 4, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	/* ... and at stride 2 over rows of 32, 20, 26 and 8 outputs (AVX-512;
	 * elsewhere in quads of 4 outputs), and of 4, 12, 18 and 17 (quads:
	 * one block of 1 or 3, or a block of 4 and one over columns done,
	 * starting at output column 1) */
	{ 4, 6, 64, 4, 3, 2, 1, 4, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 3, 7, 40, 3, 3, 2, 1, 3, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 3, 5, 52, 3, 3, 2, 1, 3, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },	/* 26: 16 + 16 from column 10 */
	{ 5, 9, 16, 5, 3, 2, 1, 5, 0, 0, TL_ACT_RELU6, 0, 0, 0, 0 },
	{ 3, 8, 8, 3, 3, 2, 1, 3, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 4, 5, 24, 4, 3, 2, 1, 4, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 2, 7, 36, 2, 3, 2, 1, 2, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 2, 4, 34, 2, 3, 2, 1, 2, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	/* depthwise, a padding wider than the output row (out_w 1) */
	{ 2, 3, 1, 2, 5, 1, 2, 2, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	/* stride 2 over rows of 16 columns and more (im2col's vector copy);
	 * without padding the last tap reads the input's last float */
	{ 3, 9, 65, 4, 3, 2, 0, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 2, 6, 64, 5, 1, 2, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 3, 12, 40, 6, 7, 2, 3, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	/* 3x3 at stride 1 over output rows of 32 or more, a multiple of 8
	 * (with AVX-512 B in runs, conv.c): rows of 32 + 8 with 13 filters,
	 * three k blocks of 60 runs, no padding (out_w 32), a padding wider
	 * than the window, grouped, and a row of 6 * 32 + 16 (Tiny YOLOv3's
	 * 208) with a staged activation */
	{ 5, 6, 40, 13, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 60, 4, 64, 12, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 4, 5, 34, 7, 3, 1, 0, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 3, 4, 30, 5, 3, 1, 2, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 6, 4, 48, 9, 3, 1, 1, 3, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 4, 3, 208, 10, 3, 1, 1, 1, 0, 0, TL_ACT_LOGISTIC, 0, 0, 0, 0 },
	/* 3x3 at stride 1, padding 1, from 16 channels and in multiples of
	 * 16 filters a group, rows of 10 or more, planes of 100 positions
	 * or more (fast mode with AVX-512: direct.c): a row of two tiles;
	 * of four, over two k blocks (56 + 14 channels); of 16 + 8 over
	 * three k blocks; the same on a small plane over six; of one tile
	 * with a staged activation; of 13 alone over three k blocks; of
	 * 3 * 16 + 4; of 16 + 1; of 15 alone; of 10 alone; grouped; one
	 * and two rows, every tap row but one or two in the padding */
	{ 16, 32, 32, 16, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 70, 16, 64, 32, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 120, 48, 24, 16, 3, 1, 1, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 300, 8, 24, 16, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 8, 16, 32, 3, 1, 1, 1, 0, 0, TL_ACT_LOGISTIC, 0, 0, 0, 0 },
	{ 130, 13, 13, 16, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 20, 4, 52, 16, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 8, 17, 16, 3, 1, 1, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 16, 7, 15, 32, 3, 1, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 24, 10, 10, 16, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 32, 32, 32, 32, 3, 1, 1, 2, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 1, 1024, 16, 3, 1, 1, 1, 0, 0, TL_ACT_RELU6, 0, 0, 0, 0 },
	{ 20, 2, 512, 16, 3, 1, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	/* ... and 5x5, padding 2 (AlexNet's second layer): a row of 16 + 11
	 * over three k blocks (20 + 20 + 10 channels); of 12 alone; of 16 +
	 * 2, the last tile's every column but one reaching into the padding;
	 * of two tiles on five rows, each with taps rows in the padding;
	 * one and two rows; grouped; and 16 + 1, whose first tile would
	 * reach past the row's end, so the GEMM's */
	{ 50, 27, 27, 32, 5, 1, 2, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 10, 12, 16, 5, 1, 2, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 16, 8, 18, 32, 5, 1, 2, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 24, 5, 32, 16, 5, 1, 2, 1, 0, 0, TL_ACT_LOGISTIC, 0, 0, 0, 0 },
	{ 16, 1, 100, 16, 5, 1, 2, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 17, 2, 60, 16, 5, 1, 2, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 32, 12, 12, 32, 5, 1, 2, 2, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 7, 17, 16, 5, 1, 2, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	/* ... and at stride 2, 3x3 with padding 1 over an even width (no
	 * window past the row; ResNet-18's): rows of 16 + 4 outputs; of 16
	 * alone; at an odd width, whose last window reaches past, the GEMM's.
	 * 7x7 with padding 3 from 3 channels (ResNet-18's first layer): rows
	 * of two tiles, the last window two columns past; of 16 + 1; of 13
	 * alone; from 16 channels in two k blocks (10 + 6) */
	{ 32, 40, 40, 16, 3, 2, 1, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 21, 32, 32, 3, 2, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 16, 21, 41, 32, 3, 2, 1, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 3, 24, 64, 16, 7, 2, 3, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 3, 14, 34, 32, 7, 2, 3, 1, 0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 },
	{ 4, 26, 26, 16, 7, 2, 3, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 16, 20, 20, 16, 7, 2, 3, 1, 0, 0, TL_ACT_LOGISTIC, 0, 0, 0, 0 },
	/* ... and 11x11 at stride 4 without padding (AlexNet's first
	 * layer): rows of 10 alone and of 16 + 5, the last window ending at
	 * the row's last column; one ending before it, the GEMM's */
	{ 3, 47, 47, 16, 11, 4, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
	{ 3, 87, 91, 32, 11, 4, 0, 1, 0, 0, TL_ACT_LEAKY, 0, 0, 0, 0 },
	{ 3, 47, 49, 16, 11, 4, 0, 1, 0, 0, TL_ACT_RELU, 0, 0, 0, 0 },
};
#define FIXED_CONVS (int)(sizeof fixed_convs / sizeof *fixed_convs)

/* w (filters rows of k) by 16 (tl_kernels.h): W[f][q] at
 * f / 16 * 16 * k + q * 16 + f % 16 */
static float *by_16(const float *w, size_t filters, size_t k)
{
	float *b = alloc(filters * k, sizeof *b);
	for (size_t f = 0; f < filters; f++)
		for (size_t q = 0; q < k; q++)
			b[f / 16 * 16 * k + q * 16 + f % 16] = w[f * k + q];
	return b;
}

/* Where p allows weights by 16: the same bits from them as from rows
 * (`out`), with the workspace p needs, the weights up to a guard page. */
static void check_by_16(const struct tl_conv_params *p, enum tl_mode mode,
			const float *in, const float *w, const float *b,
			float *work, const float *out)
{
	if (!tl_conv_weights_by_16_allowed(p))
		return;
	struct tl_conv_params q = *p;
	size_t k = conv_taps(p), n_out = (size_t)p->filters * conv_positions(p);
	float *packed = by_16(w, (size_t)p->filters, k);
	struct guarded w_end = guarded_copy(packed, (size_t)p->filters * k);
	float *y = nan_array(n_out);
	q.weights_by_16 = 1;
	tl_conv(mode, &q, in, w_end.floats, b, y, work,
		tl_conv_workspace_floats(p));
	assert_memory_equal(y, out, n_out * sizeof *y);
	guarded_free(w_end);
	free(packed);
	free(y);
}

static void run_conv(const struct tl_conv_params *p, struct rng *r, int id)
{
	size_t k = conv_taps(p), n = conv_positions(p);
	size_t n_out = (size_t)p->filters * n;
	float *in = rnd_array(r, (size_t)p->c * p->h * p->w, -1, 1);
	float *w = rnd_array(r, (size_t)p->filters * k, -1, 1);
	float *b = rnd_array(r, (size_t)p->filters, -1, 1);
	double *ref = alloc(n_out, sizeof *ref), *mag = alloc(n_out, sizeof *mag);
	ref_conv(p, in, w, b, ref, mag);

	/* The workspace bounds the memory planner relies on: what a layer
	 * needs, and the most it can put to use (16 filters' weights over at
	 * most 512 channels of 3x3 taps, or as many floats of 5x5 or 7x7). */
	size_t ws = tl_conv_workspace_floats(p);
	size_t most = tl_conv_workspace_floats_max(p);
	assert_true(ws <= k * n && ws <= 256 * 32);
	assert_true(most >= ws && (most == ws || most <= 16 * 9 * 512));
	float *work = ws ? alloc(ws, sizeof *work) : NULL;
	float *zeros = alloc(most + 1, sizeof *zeros);
	struct guarded more = guarded_copy(zeros, most);
	struct guarded in_end = guarded_copy(in, (size_t)p->c * p->h * p->w);
	struct guarded w_end = guarded_copy(w, (size_t)p->filters * k);
	for (int mode = 0; mode < 2; mode++) {
		/* 16 guard floats after the output: nothing may write there
		 * (a depthwise padding wider than the output once did) */
		float *out = nan_array(n_out + 16);
		for (int g = 0; g < 16; g++)
			out[n_out + g] = 1234.5f;
		tl_conv((enum tl_mode)mode, p, in_end.floats, w_end.floats, b,
			out, work, ws);
		for (int g = 0; g < 16; g++)
			assert_true(out[n_out + g] == 1234.5f);
		check_sums(mode_name[mode], id, out, ref, mag, n_out, p->act);
		check_by_16(p, (enum tl_mode)mode, in_end.floats, w, b, work,
			    out);
		/* all of it given (direct.c's k block of every channel, where
		 * it runs), up to a guard page: the same bits */
		float *given_most = nan_array(n_out);
		tl_conv((enum tl_mode)mode, p, in_end.floats, w_end.floats, b,
			given_most, more.floats, most);
		assert_memory_equal(out, given_most, n_out * sizeof *out);
		free(given_most);
		free(out);
	}
	guarded_free(more);
	guarded_free(in_end);
	guarded_free(w_end);
	free(zeros);
	free(work), free(in), free(w), free(b), free(ref), free(mag);
}

static void test_conv_fixed(void **state)
{
	(void)state;
	struct rng r = { 1 };
	for (int i = 0; i < FIXED_CONVS; i++) {
		struct tl_conv_params p = fixed_convs[i];
		set_out_size(&p);
		run_conv(&p, &r, i);
	}
}

static void test_conv_random(void **state)
{
	(void)state;
	struct rng r = { 2 };
	for (int i = 0; i < 600; i++) {
		struct tl_conv_params p = random_conv(&r);
		run_conv(&p, &r, i);
	}
}

/* A convolution's workspace is 256 x 32 floats at most, whatever the
 * image size: none for a 1x1 one on a small plane (read in place); on a
 * large plane (1024 positions or more) 1x1 ones are packed too, and a
 * short k takes wider tiles. */
static void test_conv_workspace_bound(void **state)
{
	(void)state;
	struct tl_conv_params p = { 256, 8, 8, 64, 1, 1, 0, 1, 8, 8, TL_ACT_LINEAR, 0, 0, 0, 0 };
	assert_int_equal(tl_conv_workspace_floats(&p), 0);
	struct tl_conv_params s = { 64, 128, 128, 64, 1, 1, 0, 1, 128, 128, TL_ACT_LINEAR, 0, 0, 0, 0 };
	assert_int_equal(tl_conv_workspace_floats(&s), 64 * 128);
	struct tl_conv_params f = { 64, 128, 128, 16, 1, 1, 0, 1, 128, 128, TL_ACT_LINEAR, 0, 0, 0, 0 };
	assert_int_equal(tl_conv_workspace_floats(&f), 0);	/* 16 filters: in place */
	struct tl_conv_params q = { 64, 416, 416, 64, 3, 1, 1, 1, 416, 416, TL_ACT_LINEAR, 0, 0, 0, 0 };
	assert_int_equal(tl_conv_workspace_floats(&q), 256 * 32);
	struct tl_conv_params d = { 64, 56, 56, 64, 3, 1, 1, 64, 56, 56, TL_ACT_LINEAR, 0, 0, 0, 0 };
	assert_int_equal(tl_conv_workspace_floats(&d), 0);
}

/* ---- Connected ---- */

static void run_connected(int in_n, int out_n, enum tl_activation act,
			  struct rng *r, int id)
{
	struct tl_connected_params p = { in_n, out_n, act };
	float *in = rnd_array(r, (size_t)in_n, -1, 1);
	float *w = rnd_array(r, (size_t)in_n * out_n, -1, 1);
	float *b = rnd_array(r, (size_t)out_n, -1, 1);
	double *ref = alloc((size_t)out_n, sizeof *ref);
	double *mag = alloc((size_t)out_n, sizeof *mag);
	ref_connected(&p, in, w, b, ref, mag);
	for (int mode = 0; mode < 2; mode++) {
		float *out = nan_array((size_t)out_n);
		tl_connected((enum tl_mode)mode, &p, in, w, b, out);
		check_sums(mode_name[mode], id, out, ref, mag, (size_t)out_n, act);
		free(out);
	}
	free(in), free(w), free(b), free(ref), free(mag);
}

static void test_connected(void **state)
{
	(void)state;
	struct rng r = { 3 };
	static const int sizes[] = { 1, 15, 16, 17, 31, 33, 600 };
	for (int i = 0; i < 7; i++)
		run_connected(sizes[i], 5, TL_ACT_LEAKY, &r, i);
	for (int i = 0; i < 100; i++)
		run_connected(rnd_int(&r, 1, 300), rnd_int(&r, 1, 40),
			      (enum tl_activation)rnd_int(&r, 0, 6), &r, 100 + i);
}

/* ---- Pooling ---- */

static void run_maxpool(struct tl_pool_params p, struct rng *r, int id)
{
	if (p.h + p.padding < p.size)
		p.h = p.size - p.padding;
	if (p.w + p.padding < p.size)
		p.w = p.size - p.padding;
	p.out_h = (p.h + p.padding - p.size) / p.stride + 1;
	p.out_w = (p.w + p.padding - p.size) / p.stride + 1;
	size_t n_out = (size_t)p.c * p.out_h * p.out_w;
	float *in = rnd_array(r, (size_t)p.c * p.h * p.w, -4, 4);
	float *out = nan_array(n_out);
	double *ref = alloc(n_out, sizeof *ref);
	ref_maxpool(&p, in, ref);
	struct guarded in_end = guarded_copy(in, (size_t)p.c * p.h * p.w);
	tl_maxpool(&p, in_end.floats, out);
	check_exact("maxpool", id, out, ref, n_out);
	guarded_free(in_end);
	free(in), free(out), free(ref);
}

static void test_maxpool(void **state)
{
	(void)state;
	struct rng r = { 4 };
	/* size 2 stride 1 and stride 2 with the default padding size-1, 3/2 */
	run_maxpool((struct tl_pool_params){ 3, 13, 13, 2, 1, 1, 0, 0, 0, 0, 0 }, &r, 0);
	run_maxpool((struct tl_pool_params){ 3, 13, 12, 2, 2, 1, 0, 0, 0, 0, 0 }, &r, 1);
	run_maxpool((struct tl_pool_params){ 2, 9, 11, 3, 2, 2, 0, 0, 0, 0, 0 }, &r, 2);
	/* rows of 16 output columns and more at stride 2 (the vector blocks),
	 * without padding: the last window ends at the input's last float */
	run_maxpool((struct tl_pool_params){ 2, 5, 65, 3, 2, 0, 0, 0, 0, 0, 0 }, &r, 3);
	run_maxpool((struct tl_pool_params){ 2, 4, 64, 2, 2, 0, 0, 0, 0, 0, 0 }, &r, 4);
	run_maxpool((struct tl_pool_params){ 1, 3, 45, 3, 2, 2, 0, 0, 0, 0, 0 }, &r, 5);
	run_maxpool((struct tl_pool_params){ 3, 13, 13, 2, 1, 1, 0, 0, 0, 0, 0 }, &r, 6);
	/* 3x3/2 without padding, 8 outputs a vector (AVX-512): the last
	 * window's loads end at the input's last float */
	run_maxpool((struct tl_pool_params){ 2, 7, 55, 3, 2, 0, 0, 0, 0, 0, 0 }, &r, 7);
	run_maxpool((struct tl_pool_params){ 1, 9, 17, 3, 2, 0, 0, 0, 0, 0, 0 }, &r, 8);
	/* ... and with padding 1 (none before, one after) over an even
	 * width: the last window's third column lies outside */
	run_maxpool((struct tl_pool_params){ 1, 9, 18, 3, 2, 1, 0, 0, 0, 0, 0 }, &r, 9);
	/* 2x2/2 over rows of 14 and 22 outputs, 8 a vector (AVX-512): the
	 * last block reaches back */
	run_maxpool((struct tl_pool_params){ 1, 4, 28, 2, 2, 0, 0, 0, 0, 0, 0 }, &r, 10);
	run_maxpool((struct tl_pool_params){ 2, 6, 44, 2, 2, 1, 0, 0, 0, 0, 0 }, &r, 11);
	/* 3x3/2 with padding 2, one before (ResNet-18's), over rows of 19,
	 * 25 and 9 outputs: the first window and at an odd width the last
	 * reach outside; those between 16 or 8 a vector (AVX-512) */
	run_maxpool((struct tl_pool_params){ 2, 9, 37, 3, 2, 2, 0, 0, 0, 0, 0 }, &r, 13);
	run_maxpool((struct tl_pool_params){ 1, 7, 50, 3, 2, 2, 0, 0, 0, 0, 0 }, &r, 14);
	run_maxpool((struct tl_pool_params){ 1, 5, 17, 3, 2, 2, 0, 0, 0, 0, 0 }, &r, 15);
	/* an input over 3 MiB (3.25), whose rows ahead are prefetched, the
	 * last plane's up to the input's end only */
	run_maxpool((struct tl_pool_params){ 13, 256, 256, 2, 2, 0, 0, 0, 0, 0, 0 }, &r, 12);
	for (int i = 0; i < 200; i++) {
		int size = rnd_int(&r, 1, 4);
		struct tl_pool_params p = {
			rnd_int(&r, 1, 5), rnd_int(&r, 1, 13), rnd_int(&r, 1, 13),
			size, rnd_int(&r, 1, 3),
			rnd_int(&r, 0, 1) ? size - 1 : rnd_int(&r, 0, size), 0, 0,
			0, 0, 0
		};
		run_maxpool(p, &r, 20 + i);
	}
}

/* Darknet's forward_maxpool for one output: from -FLT_MAX, the window in
 * order (dy, then dx), positions outside skipped, max = v > max ? v : max. */
static float darknet_window_max(const struct tl_pool_params *p,
				const float *plane, int oy, int ox)
{
	float m = -FLT_MAX;
	for (int dy = 0; dy < p->size; dy++)
		for (int dx = 0; dx < p->size; dx++) {
			int y = oy * p->stride - p->padding / 2 + dy;
			int x = ox * p->stride - p->padding / 2 + dx;
			if (y < 0 || y >= p->h || x < 0 || x >= p->w)
				continue;
			float v = plane[(size_t)y * p->w + x];
			m = v > m ? v : m;
		}
	return m;
}

/* To the bit against Darknet's loop, on rows wide enough for the vector
 * blocks and on data full of ties, signed zeros, infinities and NaNs:
 * which of two equal values wins, and that NaN never does. */
static void test_maxpool_darknet_order(void **state)
{
	(void)state;
	struct rng r = { 15 };
	static const float special[] = { 0.0f, -0.0f, 1.0f, -1.0f, INFINITY,
					 -INFINITY, NAN, -FLT_MAX };
	/* then Darknet's 2x2 pools (stride 1 and 2, padding 1) and others,
	 * first on signed zeros and NaN alone (which zero a tie keeps shows
	 * the order), then on the mixed values */
	static const float zero_or_nan[] = { 0.0f, -0.0f, NAN };
	static const struct tl_pool_params fixed_pools[] = {
		{ 2, 13, 13, 2, 1, 1, 0, 0, 0, 0, 0 },
		{ 2, 7, 37, 2, 2, 1, 0, 0, 0, 0, 0 },
		{ 2, 8, 36, 2, 2, 1, 0, 0, 0, 0, 0 },
		/* a plane at once (2x2/1, rows of 1 and 2 too), and AlexNet's
		 * 3x3/2 without padding over rows of 27, 13, 8 and 6 outputs */
		{ 2, 5, 1, 2, 1, 1, 0, 0, 0, 0, 0 },
		{ 2, 6, 2, 2, 1, 1, 0, 0, 0, 0, 0 },
		{ 2, 7, 55, 3, 2, 0, 0, 0, 0, 0, 0 },
		{ 2, 9, 27, 3, 2, 0, 0, 0, 0, 0, 0 },
		{ 2, 5, 18, 3, 2, 0, 0, 0, 0, 0, 0 },
		{ 2, 13, 13, 3, 2, 0, 0, 0, 0, 0, 0 },
		{ 2, 9, 18, 3, 2, 1, 0, 0, 0, 0, 0 },
		{ 2, 6, 44, 2, 2, 1, 0, 0, 0, 0, 0 },
		/* ResNet-18's 3x3/2 with one column and row before */
		{ 2, 9, 37, 3, 2, 2, 0, 0, 0, 0, 0 },
		{ 2, 5, 50, 3, 2, 2, 0, 0, 0, 0, 0 },
	};
	enum { FIXED_POOLS = sizeof fixed_pools / sizeof *fixed_pools };
	for (int t = 0; t < 120 + 2 * FIXED_POOLS; t++) {
		int size = rnd_int(&r, 1, 4);
		struct tl_pool_params p = {
			rnd_int(&r, 1, 3), rnd_int(&r, 1, 9), rnd_int(&r, 1, 80),
			size, t % 3 == 0 ? 2 : rnd_int(&r, 1, 3),
			rnd_int(&r, 0, 1) ? size - 1 : rnd_int(&r, 0, size), 0, 0,
			0, 0, 0
		};
		int zeros_only = t >= 120 && t < 120 + FIXED_POOLS;
		if (t >= 120)
			p = fixed_pools[(t - 120) % FIXED_POOLS];
		if (p.h + p.padding < p.size)
			p.h = p.size - p.padding;
		if (p.w + p.padding < p.size)
			p.w = p.size - p.padding;
		p.out_h = (p.h + p.padding - p.size) / p.stride + 1;
		p.out_w = (p.w + p.padding - p.size) / p.stride + 1;
		size_t n_in = (size_t)p.c * p.h * p.w;
		size_t n_out = (size_t)p.c * p.out_h * p.out_w;
		float *in = alloc(n_in, sizeof *in);
		for (size_t i = 0; i < n_in; i++)
			in[i] = zeros_only ? zero_or_nan[rnd_int(&r, 0, 2)]
				: rnd_int(&r, 0, 1) ? special[rnd_int(&r, 0, 7)]
						    : rnd_float(&r, -2, 2);
		float *out = nan_array(n_out), *expect = alloc(n_out, sizeof *expect);
		tl_maxpool(&p, in, out);
		size_t o = 0;
		for (int ch = 0; ch < p.c; ch++)
			for (int oy = 0; oy < p.out_h; oy++)
				for (int ox = 0; ox < p.out_w; ox++)
					expect[o++] = darknet_window_max(
						&p, in + (size_t)ch * p.h * p.w, oy, ox);
		assert_memory_equal(out, expect, n_out * sizeof *out);
		free(in), free(out), free(expect);
	}
}

static void test_avgpool(void **state)
{
	(void)state;
	struct rng r = { 5 };
	for (int i = 0; i < 50; i++) {
		int c = rnd_int(&r, 1, 20), h = rnd_int(&r, 1, 15), w = rnd_int(&r, 1, 15);
		float *in = rnd_array(&r, (size_t)c * h * w, -2, 2);
		float *out = nan_array((size_t)c);
		double *ref = alloc((size_t)c, sizeof *ref), *mag = alloc((size_t)c, sizeof *mag);
		ref_avgpool_global(c, h, w, in, ref, mag);
		tl_avgpool_global(TL_MODE_FAST, c, h, w, in, out);
		check_sums("avgpool fast", i, out, ref, mag, (size_t)c,
			   TL_ACT_LINEAR);
		tl_avgpool_global(TL_MODE_STRICT, c, h, w, in, out);
		check_sums("avgpool", i, out, ref, mag, (size_t)c, TL_ACT_LINEAR);
		/* strict: to the bit Darknet's, each channel summed in order,
		 * then divided */
		for (int ch = 0; ch < c; ch++) {
			float sum = 0.0f;
			for (int j = 0; j < h * w; j++)
				sum += in[(size_t)ch * h * w + j];
			float mean = sum / (float)(h * w);
			assert_memory_equal(&out[ch], &mean, sizeof mean);
		}
		free(in), free(out), free(ref), free(mag);
	}
}

/* ---- Elementwise ---- */

static void test_activations(void **state)
{
	(void)state;
	static const float edges[] = { 0.0f, -0.0f, 3.0f, -3.0f, 6.0f, -6.0f,
		1e-30f, -1e-30f, 50.0f, -50.0f, 87.0f, -87.5f, 100.0f, -100.0f };
	struct rng r = { 6 };
	size_t n = 14 + 1000;
	float *x = rnd_array(&r, n, -8, 8);
	memcpy(x, edges, sizeof edges);
	double *ref = alloc(n, sizeof *ref);
	float *got = alloc(n, sizeof *got);
	for (int act = 0; act <= TL_ACT_HARDSWISH; act++) {
		for (size_t i = 0; i < n; i++)
			ref[i] = ref_activate(x[i], (enum tl_activation)act);
		memcpy(got, x, n * sizeof *got);
		tl_activate(got, n, (enum tl_activation)act);
		check_elementwise("activation", act, got, ref, NULL, n,
				  (enum tl_activation)act);
	}
	free(x), free(ref), free(got);
}

static void test_softmax(void **state)
{
	(void)state;
	struct rng r = { 7 };
	for (int t = 0; t < 40; t++) {
		size_t n = (size_t)rnd_int(&r, 1, 1000);
		float *in = rnd_array(&r, n, -10, 10);
		float *out = nan_array(n);
		double *ref = alloc(n, sizeof *ref);
		double lo = INFINITY, hi = -INFINITY;
		for (size_t i = 0; i < n; i++)
			lo = fmin(lo, in[i]), hi = fmax(hi, in[i]);
		ref_softmax(in, ref, n);
		tl_softmax(in, out, n);
		double rel = (2 * (hi - lo) + (double)n + 8) * 0x1p-24;
		for (size_t i = 0; i < n; i++)
			if (!(fabs(out[i] - ref[i]) <= rel * ref[i]))
				fail_msg("softmax, case %d: out[%zu] = %.9g, "
					 "reference %.9g", t, i, out[i], ref[i]);
		tl_softmax(in, in, n);	/* in place: the same bits */
		assert_memory_equal(in, out, n * sizeof *in);
		free(in), free(out), free(ref);
	}
}

/* from the same size, 2-3 times larger (a downsampling shortcut) or
 * smaller, with more or fewer channels. */
static struct tl_shortcut_params random_shortcut(struct rng *r)
{
	struct tl_shortcut_params p = {
		.c = rnd_int(r, 1, 6), .h = rnd_int(r, 1, 9), .w = rnd_int(r, 1, 9),
		.from_c = rnd_int(r, 1, 6), .alpha = 1, .beta = 1,
		.act = (enum tl_activation)rnd_int(r, 0, 6),
	};
	int kind = rnd_int(r, 0, 2), f = rnd_int(r, 2, 3);
	p.from_h = kind == 1 ? p.h * f : p.h;
	p.from_w = kind == 1 ? p.w * f : p.w;
	if (kind == 2)
		p.h *= f, p.w *= f;
	if (rnd_int(r, 0, 1))
		p.alpha = rnd_float(r, -2, 2), p.beta = rnd_float(r, -2, 2);
	return p;
}

static void test_shortcut(void **state)
{
	(void)state;
	struct rng r = { 8 };
	for (int t = 0; t < 102; t++) {
		struct tl_shortcut_params p = random_shortcut(&r);
		if (t >= 100) {	/* one shape, over two chunks of 1024 and a tail */
			p.c = p.from_c = 5, p.h = p.from_h = 17, p.w = p.from_w = 31;
			p.act = t == 100 ? TL_ACT_LEAKY : TL_ACT_LOGISTIC;
		}
		size_t n = (size_t)p.c * p.h * p.w;
		float *prev = rnd_array(&r, n, -3, 3);
		float *from = rnd_array(&r, (size_t)p.from_c * p.from_h * p.from_w, -3, 3);
		float *out = nan_array(n);
		double *ref = alloc(n, sizeof *ref), *mag = alloc(n, sizeof *mag);
		ref_shortcut(&p, prev, from, ref, mag);
		tl_shortcut(&p, prev, from, out);
		check_elementwise("shortcut", t, out, ref, mag, n, p.act);
		tl_shortcut(&p, prev, from, prev);	/* in place */
		assert_memory_equal(prev, out, n * sizeof *out);
		free(prev), free(from), free(out), free(ref), free(mag);
	}
}

static void test_upsample(void **state)
{
	(void)state;
	struct rng r = { 9 };
	for (int t = 0; t < 50; t++) {
		int c = rnd_int(&r, 1, 4), h = rnd_int(&r, 1, 9), w = rnd_int(&r, 1, 9);
		int stride = rnd_int(&r, 1, 4);
		float scale = rnd_int(&r, 0, 1) ? 1.0f : rnd_float(&r, -2, 2);
		size_t n = (size_t)c * h * w * stride * stride;
		float *in = rnd_array(&r, (size_t)c * h * w, -3, 3);
		float *out = nan_array(n);
		double *ref = alloc(n, sizeof *ref);
		ref_upsample(c, h, w, stride, scale, in, ref);
		tl_upsample(c, h, w, stride, scale, in, out);
		check_exact("upsample", t, out, ref, n);
		free(in), free(out), free(ref);
	}
}

static void test_crop(void **state)
{
	(void)state;
	struct rng r = { 10 };
	for (int t = 0; t < 50; t++) {
		struct tl_crop_params p = {
			rnd_int(&r, 1, 4), rnd_int(&r, 1, 15), rnd_int(&r, 1, 15),
			0, 0, 1.0f, 0.0f
		};
		p.out_h = rnd_int(&r, 1, p.h), p.out_w = rnd_int(&r, 1, p.w);
		if (rnd_int(&r, 0, 1))	/* Darknet without noadjust: 2x - 1 */
			p.scale = 2.0f, p.trans = -1.0f;
		size_t n = (size_t)p.c * p.out_h * p.out_w;
		float *in = rnd_array(&r, (size_t)p.c * p.h * p.w, -1, 1);
		float *out = nan_array(n);
		double *ref = alloc(n, sizeof *ref), *mag = alloc(n, sizeof *mag);
		ref_crop(&p, in, ref, mag);
		tl_crop(&p, in, out);
		check_elementwise("crop", t, out, ref, mag, n, TL_ACT_LINEAR);
		free(in), free(out), free(ref), free(mag);
	}
}

/* A yolo head's output: the class entries of a softmax head within the
 * softmax's bound (inputs in [-6, 6], so range <= 12), the others
 * elementwise. */
static void check_yolo(int id, const float *out, const double *ref,
		       size_t n, size_t plane, int per, int softmax)
{
	double rel = (2 * 12.0 + (per - 5) + 8) * 0x1p-24;
	for (size_t i = 0; i < n; i++) {
		int entry = (int)(i / plane % (size_t)per);
		if (!softmax || entry < 5)
			check_elementwise("yolo", id, out + i, ref + i, NULL, 1,
					  TL_ACT_LOGISTIC);
		else if (!(fabs(out[i] - ref[i]) <= rel * ref[i]))
			fail_msg("yolo softmax, case %d: out[%zu] = %.9g, "
				 "reference %.9g", id, i, out[i], ref[i]);
	}
}

/* Logistic heads ([yolo]) and softmax heads ([region] softmax=1, up to
 * COCO's 80 classes), alternately. */
static void test_yolo(void **state)
{
	(void)state;
	struct rng r = { 11 };
	for (int t = 0; t < 60; t++) {
		int softmax = t % 2;
		int anchors = rnd_int(&r, 1, 3);
		int classes = rnd_int(&r, 0, softmax ? 80 : 4);
		int c = anchors * (5 + classes), h = rnd_int(&r, 1, 7), w = rnd_int(&r, 1, 7);
		size_t n = (size_t)c * h * w;
		float *in = rnd_array(&r, n, -6, 6);
		float *out = nan_array(n);
		double *ref = alloc(n, sizeof *ref);
		ref_yolo(c, h, w, anchors, softmax, in, ref);
		enum tl_mode mode = (enum tl_mode)(t / 2 % 2);	/* both, both kinds */
		tl_yolo(mode, c, h, w, anchors, softmax, in, out);
		check_yolo(t, out, ref, n, (size_t)h * w, 5 + classes, softmax);
		for (size_t i = 0; i < n; i++)	/* w and h: copied raw */
			if (ref[i] == in[i])
				assert_true(out[i] == in[i]);
		tl_yolo(mode, c, h, w, anchors, softmax, in, in);	/* in place */
		assert_memory_equal(in, out, n * sizeof *in);
		free(in), free(out), free(ref);
	}
}

/* ---- Strict mode: the documented order, to the bit ---- */

static void test_strict_conv_order(void **state)
{
	(void)state;
	struct rng r = { 12 };
	for (int t = 0; t < 60; t++) {
		struct tl_conv_params p = t < FIXED_CONVS ? fixed_convs[t]
							  : random_conv(&r);
		set_out_size(&p);
		size_t k = conv_taps(&p), n = conv_positions(&p);
		float *in = rnd_array(&r, (size_t)p.c * p.h * p.w, -1, 1);
		float *w = rnd_array(&r, (size_t)p.filters * k, -1, 1);
		float *b = rnd_array(&r, (size_t)p.filters, -1, 1);
		float *out = nan_array((size_t)p.filters * n);
		float *expect = alloc((size_t)p.filters * n, sizeof *expect);
		size_t ws = tl_conv_workspace_floats(&p);
		float *work = ws ? alloc(ws, sizeof *work) : NULL;
		tl_conv(TL_MODE_STRICT, &p, in, w, b, out, work, ws);
		for (int f = 0; f < p.filters; f++)
			for (int oy = 0; oy < p.out_h; oy++)
				for (int ox = 0; ox < p.out_w; ox++)
					expect[((size_t)f * p.out_h + oy) * p.out_w + ox] =
						conv_in_order(&p, in, w, b, f, oy, ox);
		assert_memory_equal(out, expect, (size_t)p.filters * n * sizeof *out);
		free(in), free(w), free(b), free(out), free(expect), free(work);
	}
}

/* dot_rows.h's documented order: 16 lanes over the whole blocks, folded
 * pairwise, then the tail one by one, then the bias. */
static float connected_in_order(const float *w, const float *x, int n,
				float bias, enum tl_activation act)
{
	float lane[16] = { 0 };
	int i = 0;
	for (; i + 16 <= n; i += 16)
		for (int j = 0; j < 16; j++) {
			volatile float t = w[i + j] * x[i + j];
			lane[j] += t;
		}
	for (int half = 8; half > 0; half /= 2)
		for (int j = 0; j < half; j++)
			lane[j] += lane[j + half];
	float sum = lane[0];
	for (; i < n; i++) {
		volatile float t = w[i] * x[i];
		sum += t;
	}
	float v = sum + bias;
	tl_activate(&v, 1, act);
	return v;
}

static void test_strict_connected_order(void **state)
{
	(void)state;
	struct rng r = { 13 };
	for (int t = 0; t < 30; t++) {
		struct tl_connected_params p = { rnd_int(&r, 1, 200), rnd_int(&r, 1, 20),
			(enum tl_activation)rnd_int(&r, 0, 6) };
		float *in = rnd_array(&r, (size_t)p.in, -1, 1);
		float *w = rnd_array(&r, (size_t)p.in * p.out, -1, 1);
		float *b = rnd_array(&r, (size_t)p.out, -1, 1);
		float *out = nan_array((size_t)p.out);
		tl_connected(TL_MODE_STRICT, &p, in, w, b, out);
		for (int o = 0; o < p.out; o++) {
			float e = connected_in_order(w + (size_t)o * p.in, in, p.in, b[o], p.act);
			assert_memory_equal(&out[o], &e, sizeof e);
		}
		free(in), free(w), free(b), free(out);
	}
}

/* A depthwise filter with an infinite or NaN weight: the taps that read
 * the padding are skipped, not multiplied by 0 (which would make a NaN),
 * so the whole-row kernels (rows of 16 and 8 at stride 1, and at stride
 * 2 rows of 16 or more, of 8, and elsewhere of 4) fall back to the
 * tap-by-tap code for that channel, to the bit. */
static void test_strict_depthwise_nonfinite(void **state)
{
	(void)state;
	struct rng r = { 15 };
	static const int shapes[][2] = {	/* width, stride */
		{ 8, 1 }, { 16, 1 }, { 8, 2 }, { 16, 2 }, { 32, 2 },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
		int width = shapes[i][0], stride = shapes[i][1];
		struct tl_conv_params p = { 3, width, width, 3, 3, stride, 1, 3,
					    0, 0, TL_ACT_LINEAR, 0, 0, 0, 0 };
		set_out_size(&p);
		size_t n = (size_t)p.out_h * p.out_w;
		float *in = rnd_array(&r, (size_t)p.c * p.h * p.w, -1, 1);
		float *w = rnd_array(&r, 27, -1, 1);
		float *b = rnd_array(&r, 3, -1, 1);
		w[0] = INFINITY;	/* channel 0's tap (0, 0) */
		w[9 + 8] = NAN;		/* channel 1's tap (2, 2) */
		float *out = nan_array(3 * n), *expect = alloc(3 * n, sizeof *expect);
		tl_conv(TL_MODE_STRICT, &p, in, w, b, out, NULL, 0);
		for (int f = 0; f < 3; f++)
			for (int oy = 0; oy < p.out_h; oy++)
				for (int ox = 0; ox < p.out_w; ox++)
					expect[((size_t)f * p.out_h + oy) * p.out_w + ox] =
						conv_in_order(&p, in, w, b, f, oy, ox);
		assert_memory_equal(out, expect, 3 * n * sizeof *out);
		assert_false(isnan(out[0]));	/* (0, 0) skips the infinite tap */
		free(in), free(w), free(b), free(out), free(expect);
	}
}

/* Two runs, different garbage in the workspace and the output: the same
 * bits, in both modes. */
static void test_deterministic(void **state)
{
	(void)state;
	struct rng r = { 14 };
	for (int t = 0; t < FIXED_CONVS; t++) {
		struct tl_conv_params p = fixed_convs[t];
		set_out_size(&p);
		size_t k = conv_taps(&p), n = (size_t)p.filters * conv_positions(&p);
		size_t ws = tl_conv_workspace_floats(&p);
		float *in = rnd_array(&r, (size_t)p.c * p.h * p.w, -1, 1);
		float *w = rnd_array(&r, (size_t)p.filters * k, -1, 1);
		float *b = rnd_array(&r, (size_t)p.filters, -1, 1);
		float *work = alloc(ws, sizeof *work);
		float *first = alloc(n, sizeof *first), *second = alloc(n, sizeof *second);
		for (int mode = 0; mode < 2; mode++) {
			memset(work, 0, ws * sizeof *work);
			memset(first, 0, n * sizeof *first);
			tl_conv((enum tl_mode)mode, &p, in, w, b, first, work, ws);
			memset(work, 0xff, ws * sizeof *work);
			memset(second, 0xff, n * sizeof *second);
			tl_conv((enum tl_mode)mode, &p, in, w, b, second, work, ws);
			assert_memory_equal(first, second, n * sizeof *first);
		}
		free(in), free(w), free(b), free(work), free(first), free(second);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conv_fixed),
		cmocka_unit_test(test_conv_random),
		cmocka_unit_test(test_conv_workspace_bound),
		cmocka_unit_test(test_connected),
		cmocka_unit_test(test_maxpool),
		cmocka_unit_test(test_maxpool_darknet_order),
		cmocka_unit_test(test_avgpool),
		cmocka_unit_test(test_activations),
		cmocka_unit_test(test_softmax),
		cmocka_unit_test(test_shortcut),
		cmocka_unit_test(test_upsample),
		cmocka_unit_test(test_crop),
		cmocka_unit_test(test_yolo),
		cmocka_unit_test(test_strict_conv_order),
		cmocka_unit_test(test_strict_connected_order),
		cmocka_unit_test(test_strict_depthwise_nonfinite),
		cmocka_unit_test(test_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
