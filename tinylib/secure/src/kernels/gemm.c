/*
 * The GEMM block behind every convolution but the depthwise one.
 *
 * Register blocking: C is cut into MR x W tiles, W a strip width (NR, or
 * HALF_NR for a B narrower than NR); one microkernel call keeps a tile's
 * MR*W sums in vector registers for the whole k loop and reads, per step
 * p, W floats of B and MR floats of A. Plain C: the constant trip counts
 * and the unroll pragmas are what let GCC -O2 keep acc[][] in registers
 * and vectorise across the columns (SSE or AVX on x86-64, NEON on
 * aarch64). Vectorising across independent outputs never reorders one
 * output's sum, so strict mode adds p = 0, 1, ..., k-1 in turn, the same
 * on every machine. Cache blocking (k blocks and column tiles, B packed
 * contiguous) is the caller's: see conv.c.
 */
#include "kernel_mode.h"

/* MR x NR: 4 x 16 where vectors hold 4 floats (NEON, SSE): sixteen
 * accumulators fit NEON's 32 registers next to B and A, in strict mode
 * too. AVX-512's 32 registers hold 16 floats each: 8 rows of two
 * vectors, 16 independent sums, twice what hides the FMA latency, and
 * each broadcast of A serves two FMAs (measured on the sample models,
 * make bench: 8 x 16, one vector a row, left the FMA units idle a fifth
 * of the time). The shape changes no sum's order, only the speed. */
#ifdef __AVX512F__
#define MR 8
#else
#define MR 4
#endif
#define NR TL_GEMM_NR
#define HALF_NR 16	/* the narrow strip, where NR is wider (AVX-512) */

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* acc[i][j] += sum over p of a_i[p] * b[p][j], j < w. acc is a local
 * of the caller touched only by constant-bound loops (w is a constant in
 * every caller once inlined), so GCC keeps it in registers. Rows from mr
 * on repeat row mr-1: computed, never stored, so a short last row tile
 * runs the same code at full width. */
static inline __attribute__((always_inline)) void
micro(int k, const float *a, size_t lda, int mr, const float *b, size_t ldb,
      float acc[MR][NR], int w)
{
	const float *row[MR];
	for (int i = 0; i < MR; i++)
		row[i] = a + (size_t)min_int(i, mr - 1) * lda;
	for (int p = 0; p < k; p++) {
		const float *bp = b + (size_t)p * ldb;
#pragma GCC unroll 8
		for (int i = 0; i < MR; i++) {
			float ai = row[i][p];
#pragma GCC unroll 32
			for (int j = 0; j < w; j++)
				acc[i][j] += ai * bp[j];
		}
	}
}

/* After the last k block: bias, then the activation, in registers for
 * the cheap ones (the others through tl_activate, in memory). */
static inline __attribute__((always_inline)) void
finish(const struct tl_gemm *g, int i0, int mr, float acc[MR][NR], int w)
{
	for (int i = 0; i < MR; i++) {
		float b = g->bias[i0 + min_int(i, mr - 1)];
		for (int j = 0; j < w; j++)
			acc[i][j] += b;
	}
	switch (g->act) {
	case TL_ACT_LINEAR:
		return;
	case TL_ACT_RELU:
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = tl_relu(acc[i][j]);
		return;
	case TL_ACT_RELU6:
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = tl_relu6(acc[i][j]);
		return;
	case TL_ACT_LEAKY:
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = tl_leaky(acc[i][j]);
		return;
	default: {	/* through memory: acc's own address must not escape */
		float t[MR][NR];
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				t[i][j] = acc[i][j];
		for (int i = 0; i < mr; i++)
			TL_K(tl_activate)(&t[i][0], (size_t)w, g->act);
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = t[i][j];
		return;
	}
	}
}

/* The tile at row i0 over the B strip at column s, w wide; C's columns
 * [s+lo, s+hi) only, as the last strip may start left of the columns
 * still to do. A whole tile goes between C and the registers directly; a
 * part tile through the staging copy t (acc is indexed by constants
 * only, or GCC would keep it in memory). */
static inline __attribute__((always_inline)) void
tile(const struct tl_gemm *g, int i0, int s, int lo, int hi, int w)
{
	float acc[MR][NR], t[MR][NR];
	int mr = min_int(MR, g->m - i0);
	int whole = mr == MR && lo == 0 && hi == w;
	float *restrict c = g->c + (size_t)i0 * g->ldc + s;

	if (g->first || !whole)
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = 0.0f;
	else
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = c[(size_t)i * g->ldc + j];
	if (!g->first && !whole) {
		for (int i = 0; i < mr; i++)
			for (int j = lo; j < hi; j++)
				t[i][j] = c[(size_t)i * g->ldc + j];
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				acc[i][j] = t[i][j];
	}
	micro(g->k, g->a + (size_t)i0 * g->lda, g->lda, mr, g->b + s, g->ldb,
	      acc, w);
	if (g->last)
		finish(g, i0, mr, acc, w);
	if (whole) {
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				c[(size_t)i * g->ldc + j] = acc[i][j];
		return;
	}
	for (int i = 0; i < MR; i++)
		for (int j = 0; j < w; j++)
			t[i][j] = acc[i][j];
	for (int i = 0; i < mr; i++)
		for (int j = lo; j < hi; j++)
			c[(size_t)i * g->ldc + j] = t[i][j];
}

/* Every row tile over strips w wide: row tiles outside, so that a tile's
 * MR x k slice of A stays in L1 while it meets every strip of the
 * (L2-sized) B block. */
static inline __attribute__((always_inline)) void
strips(const struct tl_gemm *g, int w)
{
	for (int i0 = 0; i0 < g->m; i0 += MR)
		for (int j = 0; j < g->n; j += w) {
			int s = min_int(j, g->nb - w);
			tile(g, i0, s, j - s, min_int(j + w, g->n) - s, w);
		}
}

static void strips_nr(const struct tl_gemm *g)
{
	strips(g, NR);
}

static void strips_half(const struct tl_gemm *g)
{
	strips(g, HALF_NR);
}

/* Fewer than HALF_NR readable columns: plain loops, the same order. */
static void narrow(const struct tl_gemm *g)
{
	for (int i = 0; i < g->m; i++) {
		const float *a = g->a + (size_t)i * g->lda;
		float *c = g->c + (size_t)i * g->ldc;
		for (int j = 0; j < g->n; j++) {
			float sum = g->first ? 0.0f : c[j];
			for (int p = 0; p < g->k; p++)
				sum += a[p] * g->b[(size_t)p * g->ldb + j];
			c[j] = sum;
		}
		if (g->last)
			TL_K(tl_bias_activate)(c, (size_t)g->n, g->bias[i],
					       g->act);
	}
}

void TL_K(tl_gemm)(const struct tl_gemm *g)
{
	if (g->nb >= NR)
		strips_nr(g);
	else if (NR > HALF_NR && g->nb >= HALF_NR)
		strips_half(g);
	else
		narrow(g);
}
