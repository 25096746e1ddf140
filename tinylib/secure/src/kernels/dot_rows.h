/*
 * Dot products of ROWS rows of a matrix with one vector, side by side:
 * a matrix-vector product (a connected layer, a 1x1 convolution over a
 * 1x1 input) reads each weight once, so it runs at the speed the weights
 * stream in, and one row at a time keeps a single stream going. Four rows
 * at once: AlexNet's 4096 x 9216 layer 8.5 -> 6.1 ms (17.7 -> 24.8 GB/s,
 * one pinned core, make bench's host), where onnxruntime takes 8.9.
 *
 * Each row's sum is in one order, whatever ROWS (strict mode's, for
 * connected layers, the same on every machine): lane j sums the terms i = j, j + DOT_LANES, ... of the whole blocks,
 * the lanes are folded pairwise (lane j += lane j + DOT_LANES/2, then
 * /4, ...), and the last n % DOT_LANES terms are added one by one. The
 * 16 lanes are held in vectors of the machine's width: one zmm with
 * AVX-512, else four of 4 floats (a 16-float vector that GCC splits
 * itself goes through the stack on aarch64: 1.32 instructions a
 * multiply-add in AlexNet's connected layers, against 0.78 now).
 */
#ifndef TL_DOT_ROWS_H
#define TL_DOT_ROWS_H

#include <stddef.h>

#include "vectors.h"

#define DOT_LANES 16
#define DOT_ROWS 4	/* dot_rows' rows at most */

#ifdef __AVX512F__
typedef vec16 dot_vec;
#else
typedef vec4 dot_vec;
#endif
#define DOT_WIDTH (int)(sizeof(dot_vec) / sizeof(float))
#define DOT_PARTS (DOT_LANES / DOT_WIDTH)	/* vectors a row's lanes take */
#define DOT_UNROLL _Pragma("GCC unroll 8")	/* acc in registers */

/* sums[r] = w[r * ldw ..] . x over n terms, r < rows (rows <= MAX_ROWS,
 * a constant at each call, so the accumulators stay in registers). Two
 * sizes, so that a caller of four rows keeps four rows' accumulators on
 * the stack where a build spills them (the TA's 8 KiB under ASan). */
#define DOT_ROWS_FN(name, MAX_ROWS)					\
static inline __attribute__((always_inline)) void			\
name(const float *w, size_t ldw, const float *x, int n, int rows,	\
     float *sums)							\
{									\
	dot_vec acc[MAX_ROWS][DOT_PARTS];				\
	int i = 0;							\
	DOT_UNROLL for (int r = 0; r < rows; r++)			\
		DOT_UNROLL for (int q = 0; q < DOT_PARTS; q++)		\
			acc[r][q] = (dot_vec){ 0 };			\
	for (; i + DOT_LANES <= n; i += DOT_LANES) {			\
		dot_vec xv[DOT_PARTS];					\
		DOT_UNROLL for (int q = 0; q < DOT_PARTS; q++)		\
			xv[q] = *(const dot_vec *)(x + i + q * DOT_WIDTH); \
		DOT_UNROLL for (int r = 0; r < rows; r++)		\
			DOT_UNROLL for (int q = 0; q < DOT_PARTS; q++)	\
				acc[r][q] += *(const dot_vec *)(w + r * ldw + \
					i + q * DOT_WIDTH) * xv[q];	\
	}								\
	for (int r = 0; r < rows; r++) {				\
		float lane[DOT_LANES];					\
		for (int j = 0; j < DOT_LANES; j++)			\
			lane[j] = acc[r][j / DOT_WIDTH][j % DOT_WIDTH];	\
		for (int half = DOT_LANES / 2; half > 0; half /= 2)	\
			for (int j = 0; j < half; j++)			\
				lane[j] += lane[j + half];		\
		float sum = lane[0];					\
		for (int k = i; k < n; k++)				\
			sum += w[r * ldw + k] * x[k];			\
		sums[r] = sum;						\
	}								\
}
DOT_ROWS_FN(dot_rows, DOT_ROWS)
DOT_ROWS_FN(dot_rows_8, 8)

#endif
