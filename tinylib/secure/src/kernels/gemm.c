/*
 * The GEMM block behind every convolution but the depthwise one.
 *
 * Register blocking: C is cut into MR x NR tiles; one microkernel call
 * keeps a tile's MR*NR sums in vector registers for the whole k loop and
 * reads, per step p, NR floats of B and MR floats of A. Plain C: the
 * constant trip counts and the unroll pragmas are what let GCC -O2 keep
 * acc[][] in registers and vectorise across the NR columns (SSE or AVX on
 * x86-64, NEON on aarch64). Vectorising across independent outputs never
 * reorders one output's sum, so strict mode adds p = 0, 1, ..., k-1 in
 * turn, the same on every machine. Cache blocking (k blocks and column
 * tiles) is the caller's: see conv.c.
 */
#include "kernel_mode.h"

/* MR x NR = 4 x 16: sixteen 4-float accumulators fit NEON's 32 registers
 * next to B and A, in strict mode too (a multiply and an add, one more
 * live register a product). AVX-512's 32 registers hold 16 floats each:
 * 8 rows, so that enough independent sums hide the FMA latency. The
 * shape changes no sum's order, only the speed. */
#ifdef __AVX512F__
#define MR 8
#else
#define MR 4
#endif
#define NR TL_GEMM_NR

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* t[i][j] += sum over p of a_i[p] * b[p][j]. The sums live in acc, a
 * local touched only by constant-bound loops, so GCC keeps it in
 * registers. Rows from mr on repeat row mr-1: computed, never stored, so
 * a short last row tile runs the same code at full width. */
static void micro(int k, const float *a, size_t lda, int mr, const float *b,
		  size_t ldb, float t[MR][NR])
{
	const float *row[MR];
	float acc[MR][NR];
	for (int i = 0; i < MR; i++) {
		row[i] = a + (size_t)min_int(i, mr - 1) * lda;
		for (int j = 0; j < NR; j++)
			acc[i][j] = t[i][j];
	}
	for (int p = 0; p < k; p++) {
		const float *bp = b + (size_t)p * ldb;
#pragma GCC unroll 8
		for (int i = 0; i < MR; i++) {
			float ai = row[i][p];
#pragma GCC unroll 16
			for (int j = 0; j < NR; j++)
				acc[i][j] += ai * bp[j];
		}
	}
	for (int i = 0; i < MR; i++)
		for (int j = 0; j < NR; j++)
			t[i][j] = acc[i][j];
}

/* Copies between C and a staging tile: rows [0, mr), columns [lo, hi).
 * A whole tile takes constant bounds, so GCC moves whole vectors (c is
 * restrict: t's address escapes to tl_activate, and GCC would otherwise
 * fear that c points into it). */
static void load_tile(float t[MR][NR], const float *restrict c, size_t ldc,
		      int mr, int lo, int hi)
{
	if (mr == MR && lo == 0 && hi == NR) {
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < NR; j++)
				t[i][j] = c[(size_t)i * ldc + j];
		return;
	}
	for (int i = 0; i < mr; i++)
		for (int j = lo; j < hi; j++)
			t[i][j] = c[(size_t)i * ldc + j];
}

static void store_tile(float *restrict c, size_t ldc, float t[MR][NR],
		       int mr, int lo, int hi)
{
	if (mr == MR && lo == 0 && hi == NR) {
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < NR; j++)
				c[(size_t)i * ldc + j] = t[i][j];
		return;
	}
	for (int i = 0; i < mr; i++)
		for (int j = lo; j < hi; j++)
			c[(size_t)i * ldc + j] = t[i][j];
}

/* The tile at row i0 over the B strip at column s; stores columns
 * [s+lo, s+hi) only, as the last strip may start left of the columns
 * still to do. After the last k block, bias and activation go on the
 * staging tile, so C is written once. */
static void tile(const struct tl_gemm *g, int i0, int s, int lo, int hi)
{
	float t[MR][NR] = { { 0.0f } };
	int mr = min_int(MR, g->m - i0);
	float *c = g->c + (size_t)i0 * g->ldc + s;

	if (!g->first)
		load_tile(t, c, g->ldc, mr, lo, hi);
	micro(g->k, g->a + (size_t)i0 * g->lda, g->lda, mr, g->b + s, g->ldb,
	      t);
	if (g->last) {
		for (int i = 0; i < MR; i++) {	/* constant bounds: vectors */
			float b = g->bias[i0 + min_int(i, mr - 1)];
			for (int j = 0; j < NR; j++)
				t[i][j] += b;
		}
		TL_K(tl_activate)(&t[0][0], (size_t)mr * NR, g->act);
	}
	store_tile(c, g->ldc, t, mr, lo, hi);
}

/* Fewer than NR readable columns: plain loops, the same order. */
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
	if (g->nb < NR) {
		narrow(g);
		return;
	}
	/* Row tiles outside: a tile's MR x k slice of A stays in L1 while it
	 * meets every strip of the (L2-sized) B block. */
	for (int i0 = 0; i0 < g->m; i0 += MR)
		for (int j = 0; j < g->n; j += NR) {
			int s = min_int(j, g->nb - NR);
			tile(g, i0, s, j - s, min_int(j + NR, g->n) - s);
		}
}
