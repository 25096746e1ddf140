/*
 * The GEMM block behind every convolution but the depthwise one.
 *
 * Register blocking: C is cut into MR x W tiles, W a strip width (NR, then
 * 16 and 8 for the columns left); one microkernel call keeps a tile's
 * MR*W sums in vector registers for the whole k loop and reads, per step
 * p, W floats of B and MR floats of A. Portable C: GCC's vector types at
 * the machine's width, and unroll pragmas so that GCC -O2 keeps acc[][]
 * in registers (AVX-512 or SSE on x86-64, NEON on aarch64). Vectorising
 * across independent outputs never reorders one output's sum, so strict
 * mode adds p = 0, 1, ..., k-1 in turn, the same on every machine. Cache
 * blocking (k blocks and column tiles, B packed contiguous) is the
 * caller's: see conv.c. Each step is one fused multiply-add in strict
 * mode too (fused_steps.h).
 */
#include <string.h>

#include "kernel_mode.h"
#include "fused_steps.h"
#include "vectors.h"
#include "dot_rows.h"
#ifdef __aarch64__
#include <arm_neon.h>	/* A_BY_4 below */
#endif

/* MR x NR: 4 x 16 where vectors hold 4 floats (NEON, SSE): sixteen
 * accumulators fit NEON's 32 registers next to B and A. AVX-512's 32
 * registers hold 16 floats each: 8 rows of two vectors, 16 independent
 * sums, twice what hides the FMA latency, and each broadcast of A serves
 * two FMAs (8 x 16 left the FMA units idle a fifth of the time: 1.2x
 * slower on cifar's 3x3 layers). In both modes since strict mode's steps
 * are fused: at 8 x 16 it took 1.37x fast mode's time on MobileNet v1,
 * at 8 x 32 1.09x (bench_engines, a Xeon). The shape changes no sum's
 * order, only the speed. */
#ifdef __AVX512F__
#define MR 8
#else
#define MR 4
#endif
#define NR TL_GEMM_NR

/* Each of these frames alone on the stack, not all inlined into
 * tl_gemm's: the TA's stack is 8 KiB, and clang's ASan at -O1 (the fuzz
 * builds) gives each inlined tile's arrays redzones of their own. */
#define NOINLINE __attribute__((noinline))

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* GCC's vector types at the machine's width: one AVX-512 zmm (16
 * floats), else 4 floats (NEON q, SSE xmm); aligned(4): loads from any
 * float. A generic 16-float vector on NEON, which GCC splits itself, cost
 * MobileNet v1's pointwise layers 1.04 aarch64 instructions a
 * multiply-add against 0.45 (smartzone verify). Lane by lane arithmetic,
 * so each output's sum keeps its order. */
#ifdef __AVX512F__
typedef vec16 vec;
#define VEC_8 vec8, 1		/* an 8-wide strip: one ymm */
#else
typedef vec4 vec;
#define VEC_8 vec, 2		/* two q */
#endif
#define VEC_FLOATS (int)(sizeof(vec) / sizeof(float))
/* VEC_8's two parts */
#define MICRO_8(name, KW, AS, ...) MICRO(name, KW, AS, __VA_ARGS__)

#define UNROLL _Pragma("GCC unroll 8")	/* every loop below: acc in registers */

/* x as it is after one step of a run, so that fast mode's reassociation
 * cannot add the run's three products together first: GCC made of them a
 * multiply, an FMA and an add, and spilled registers (Tiny YOLOv3's
 * 16 -> 32 at 208x208 took 4.9-5.6 ms rather than 4.4; the three steps
 * as a loop not unrolled, 5.0). No instruction. */
#if TL_GEMM_RUNS
#define KEEP_STEP(x) __asm__("" : "+v"(x))
#else
#define KEEP_STEP(x) ((void)0)
#endif

/* Where a tile's sums start from and go: C itself (direct: a whole tile,
 * and after the last k block only a cheap activation, applied in the
 * registers) or the staging tile t. */
struct tile_io {
	float *restrict c;
	size_t ldc;
	int direct;
	const struct tl_gemm *g;
	int i0;
};

/* The cheap activations of a vector, lane by lane as tl_relu and
 * tl_leaky: a comparison's mask picks x or the other value (SELECT), so
 * the bits are the scalar code's. */
#define ACTIVATE(V, x, act)						\
	do {								\
		const V zero_ = { 0 };					\
		__typeof__((x) > zero_) m_ = (x) > zero_;		\
		if ((act) == TL_ACT_RELU)				\
			(x) = SELECT(V, m_, x, zero_);			\
		else if ((act) == TL_ACT_LEAKY)				\
			(x) = SELECT(V, m_, x, 0.1f * (x));		\
	} while (0)

/* On aarch64 the k loop goes four steps at a time. Each row
 * of A's next 4 floats comes in one vector load, and each step
 * multiplies B by one of its lanes (NEON's multiply by element). One step
 * at a time loads each float of A alone.
 * - The sample models went from 0.46-0.52 to 0.38-0.45 aarch64
 *   instructions a multiply-add (smartzone verify --fast), and the
 *   Cortex-A53 estimate fell 3.6-7.7% (cifar 391 -> 361 ms).
 * - Intrinsics, so that fast mode's reassociation cannot first add the
 *   four steps' products together. GCC did that with vector arithmetic:
 *   16 more adds a block, and spilled registers.
 * - Strict mode too: each lane's step is one fused multiply-add, in the
 *   order p, p+1, p+2, p+3, so the bits are those of one step at a time. */
#ifdef __aarch64__
#define BY_LANE(acc, a4, b, p, ldb, NV, VW, lane)			\
	do {								\
		const float *bp = (b) + (size_t)((p) + (lane)) * (ldb);	\
		UNROLL for (int v = 0; v < NV; v++) {			\
			float32x4_t bv = *(const vec4 *)(bp + v * VW);	\
			UNROLL for (int i = 0; i < MR; i++)		\
				(acc)[i][v] = vfmaq_laneq_f32((acc)[i][v], \
							bv, a4[i], lane); \
		}							\
	} while (0)
#define A_BY_4(k, row, b, ldb, NV, VW, acc, p)				\
	for (; (p) + 4 <= (k); (p) += 4) {				\
		float32x4_t a4[MR];					\
		UNROLL for (int i = 0; i < MR; i++)			\
			a4[i] = *(const vec4 *)((row)[i] + (p));	\
		BY_LANE(acc, a4, b, p, ldb, NV, VW, 0);			\
		BY_LANE(acc, a4, b, p, ldb, NV, VW, 1);			\
		BY_LANE(acc, a4, b, p, ldb, NV, VW, 2);			\
		BY_LANE(acc, a4, b, p, ldb, NV, VW, 3);			\
	}
#else
#define A_BY_4(k, row, b, ldb, NV, VW, acc, p) ((void)0)
#endif

/* A by 16 (struct tl_gemm): its own microkernels, whose steps are 16
 * floats apart as a constant (with the step a variable, strict mode's
 * rows took 2-5% longer: Tiny YOLOv3 59.5-60.1 -> 60.9-63.2 ms). With
 * TL_CONV_DIRECT, conv.c gives direct.c every layer by 16, so none. */
#define TL_GEMM_BY_16 (!TL_CONV_DIRECT)

/* A's row i0, the first of a row tile, and the floats from one row of a
 * tile to the next, with as floats from one step to the next (16: by
 * 16, where a row tile, MR rows from a multiple of MR, lies within one
 * group of 16 rows). */
static inline const float *a_row(const struct tl_gemm *g, int i0, int as)
{
	if (as == 16)
		return g->a + (size_t)(i0 / 16) * g->lda + i0 % 16;
	return g->a + (size_t)i0 * g->lda;
}

static inline size_t a_rows_apart(const struct tl_gemm *g, int as)
{
	return as == 16 ? 1 : g->lda;
}

/* One step p: acc[i][v] += A[i][p] * the NV vectors of B's row at bp;
 * A's floats as apart from one step to the next. */
#define STEP(V, NV, acc, row, p, as, bp)				\
	do {								\
		V bv[NV];						\
		UNROLL for (int v = 0; v < NV; v++)			\
			bv[v] = *(const V *)((bp) + v * VW);		\
		UNROLL for (int i = 0; i < MR; i++) {			\
			float ai = (row)[i][(size_t)(p) * (as)];	\
			UNROLL for (int v = 0; v < NV; v++)		\
				(acc)[i][v] += ai * bv[v];		\
		}							\
	} while (0)

/* t[i][j] += sum over p of a_i[p] * b[p][j], j < NV vectors of V: the
 * sums in acc, vector registers, for the whole k loop; per step p, NV
 * vectors of B and MR floats of A; B's rows come KW to a packed run
 * (struct tl_gemm's run): row p is b + (p / KW) * ldb + p % KW. Rows
 * from mr on repeat row mr-1: computed, never stored, so a short last row
 * tile runs the same code at full width. A direct tile reads and writes C
 * instead of t, and after the last k block adds the bias and applies the
 * activation itself: for a short k (a first layer's 27 taps) the staging
 * copies cost a fifth of the time. */
#define MICRO(name, KW, AS, V, NV)				\
static inline __attribute__((always_inline)) void			\
name(int k, const float *a, size_t lda, int mr, const float *b,	\
     size_t ldb, float t[MR][NR], const struct tile_io *io)		\
{									\
	enum { VW = sizeof(V) / sizeof(float) };			\
	const size_t as = AS;						\
	const float *row[MR];						\
	V acc[MR][NV];							\
	UNROLL for (int i = 0; i < MR; i++) {				\
		row[i] = a + (size_t)min_int(i, mr - 1) * lda;		\
		UNROLL for (int v = 0; v < NV; v++) {			\
			const V zero = { 0 };				\
			if (!io->direct)				\
				acc[i][v] = *(const V *)&t[i][v * VW];	\
			else if (io->g->first)				\
				acc[i][v] = zero;			\
			else						\
				acc[i][v] = *(const V *)(io->c +	\
					(size_t)i * io->ldc + v * VW);	\
		}							\
	}								\
	int p = 0;							\
	if (KW == 1) {							\
		if (as == 1)						\
			A_BY_4(k, row, b, ldb, NV, VW, acc, p);		\
		for (; p < k; p++)					\
			STEP(V, NV, acc, row, p, as, b + (size_t)p * ldb); \
	}								\
	for (const float *run = b; KW > 1 && p < k; p += KW, run += ldb) \
		UNROLL for (int x = 0; x < KW; x++) {			\
			STEP(V, NV, acc, row, p + x, as, run + x);	\
			UNROLL for (int i = 0; i < MR; i++)		\
				UNROLL for (int v = 0; v < NV; v++)	\
					KEEP_STEP(acc[i][v]);		\
		}							\
	if (!io->direct) {						\
		UNROLL for (int i = 0; i < MR; i++)			\
			UNROLL for (int v = 0; v < NV; v++)		\
				*(V *)&t[i][v * VW] = acc[i][v];	\
		return;							\
	}								\
	UNROLL for (int i = 0; i < MR; i++)				\
		UNROLL for (int v = 0; v < NV; v++) {			\
			if (io->g->last) {				\
				acc[i][v] += io->g->bias[io->i0 + i];	\
				ACTIVATE(V, acc[i][v], io->g->act);	\
			}						\
			*(V *)(io->c + (size_t)i * io->ldc + v * VW) =	\
				acc[i][v];				\
		}							\
}
/* Where vectors hold 4 floats (NEON, SSE), a strip of 4 for the last 4
 * columns or fewer: a strip of 8 there is two vectors' work (cifar's 7x7
 * planes, 49 = 3 x 16 + 1: 0.52 -> 0.50 aarch64 instructions a
 * multiply-add). With AVX-512 a strip of 4 would take an 8's time. */
#ifndef __AVX512F__	/* vec is a vec4 */
#define HAVE_STRIP_4 1
#define MICRO_4(sfx, AS) MICRO(micro_4##sfx, 1, AS, vec, 1)
#define CALL_4(sfx) else if (w == 4) micro_4##sfx(MICRO_ARGS);
#else
#define MICRO_4(sfx, AS)
#define CALL_4(sfx)
#endif
#if TL_GEMM_RUNS
#define MICRO_RUNS(sfx, AS)						\
	MICRO(micro_nr_runs##sfx, 3, AS, vec, NR / VEC_FLOATS)		\
	MICRO(micro_16_runs##sfx, 3, AS, vec, 16 / VEC_FLOATS)		\
	MICRO_8(micro_8_runs##sfx, 3, AS, VEC_8)
#define CALL_RUNS(sfx)							\
	if (kw == 3) {							\
		if (w == NR)						\
			micro_nr_runs##sfx(MICRO_ARGS);			\
		else if (w == 16)					\
			micro_16_runs##sfx(MICRO_ARGS);			\
		else							\
			micro_8_runs##sfx(MICRO_ARGS);			\
		return;							\
	}
#else
#define MICRO_RUNS(sfx, AS)
#define CALL_RUNS(sfx) (void)kw;
#endif
#define MICRO_ARGS k, a, lda, mr, b, ldb, t, io

/* The microkernels with A's steps AS floats apart, named with sfx, and
 * the one for strips w wide over B's rows one by one (kw 1) or in runs
 * (kw 3), both constant where it is inlined. */
#define MICROS(sfx, AS)							\
MICRO(micro_nr##sfx, 1, AS, vec, NR / VEC_FLOATS)			\
MICRO(micro_16##sfx, 1, AS, vec, 16 / VEC_FLOATS)			\
MICRO_8(micro_8##sfx, 1, AS, VEC_8)					\
MICRO_RUNS(sfx, AS)							\
MICRO_4(sfx, AS)							\
static inline __attribute__((always_inline)) void			\
micro##sfx(int k, const float *a, size_t lda, int mr, const float *b,	\
	   size_t ldb, float t[MR][NR], const struct tile_io *io, int w,\
	   int kw)							\
{									\
	CALL_RUNS(sfx)							\
	if (w == NR)							\
		micro_nr##sfx(MICRO_ARGS);				\
	else if (w == 16)						\
		micro_16##sfx(MICRO_ARGS);				\
	CALL_4(sfx)							\
	else								\
		micro_8##sfx(MICRO_ARGS);				\
}
MICROS(_rows, 1)
#if TL_GEMM_BY_16
MICROS(_by_16, 16)
#endif

/* The microkernel for A's steps as floats apart (constant where it is
 * inlined), strips w wide, B's rows read as kw says. */
static inline __attribute__((always_inline)) void
micro(int k, const float *a, size_t lda, int mr, const float *b, size_t ldb,
      float t[MR][NR], const struct tile_io *io, int w, int kw, int as)
{
#if TL_GEMM_BY_16
	if (as == 16) {
		micro_by_16(MICRO_ARGS, w, kw);
		return;
	}
#else
	(void)as;
#endif
	micro_rows(MICRO_ARGS, w, kw);
}

/* Copies between C and a staging tile: rows [0, mr), columns [lo, hi).
 * A whole tile takes constant bounds, so GCC moves whole vectors (c is
 * restrict: t's address escapes to tl_activate, and GCC would otherwise
 * fear that c points into it). */
static inline __attribute__((always_inline)) void
load_tile(float t[MR][NR], const float *restrict c, size_t ldc, int mr,
	  int lo, int hi, int w)
{
	if (mr == MR && lo == 0 && hi == w) {
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				t[i][j] = c[(size_t)i * ldc + j];
		return;
	}
	for (int i = 0; i < mr; i++)
		for (int j = lo; j < hi; j++)
			t[i][j] = c[(size_t)i * ldc + j];
}

static inline __attribute__((always_inline)) void
store_tile(float *restrict c, size_t ldc, float t[MR][NR], int mr, int lo,
	   int hi, int w)
{
	if (mr == MR && lo == 0 && hi == w) {
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				c[(size_t)i * ldc + j] = t[i][j];
		return;
	}
	for (int i = 0; i < mr; i++)
		for (int j = lo; j < hi; j++)
			c[(size_t)i * ldc + j] = t[i][j];
}

/* After the last k block: bias, then the activation; the cheap ones in
 * constant-bound loops that GCC vectorises. */
static inline __attribute__((always_inline)) void
finish(const struct tl_gemm *g, int i0, int mr, float t[MR][NR], int w)
{
	for (int i = 0; i < MR; i++) {
		float b = g->bias[i0 + min_int(i, mr - 1)];
		for (int j = 0; j < w; j++)
			t[i][j] += b;
	}
	switch (g->act) {
	case TL_ACT_LINEAR:
		return;
	case TL_ACT_RELU:
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				t[i][j] = tl_relu(t[i][j]);
		return;
	case TL_ACT_LEAKY:
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				t[i][j] = tl_leaky(t[i][j]);
		return;
	default:
		for (int i = 0; i < mr; i++)
			TL_K(tl_activate)(&t[i][0], (size_t)w, g->act);
		return;
	}
}

/* The tile at row i0 over the B strip at column s, w wide; stores
 * columns [s+lo, s+hi) only, as the last strip may start left of the
 * columns still to do. After the last k block, bias and activation go on
 * the staging tile, so C is written once. */
static inline __attribute__((always_inline)) void
tile(const struct tl_gemm *g, int i0, int s, int lo, int hi, int w, int kw,
     int as)
{
	float t[MR][NR];
	int mr = min_int(MR, g->m - i0);
	float *c = g->c + (size_t)i0 * g->ldc + s;
	int cheap = tl_activation_in_registers(g->act);
	struct tile_io io = { c, g->ldc,
			      mr == MR && lo == 0 && hi == w && (cheap || !g->last),
			      g, i0 };

	if (io.direct) {
		micro(g->k, a_row(g, i0, as), a_rows_apart(g, as), mr,
		      g->b + s, g->ldb, t, &io, w, kw, as);
		return;
	}
	/* a part tile's cells outside C's are computed, never stored: zero,
	 * so that nothing reads memory never written */
	if (g->first || mr < MR || lo > 0 || hi < w)
		for (int i = 0; i < MR; i++)
			for (int j = 0; j < w; j++)
				t[i][j] = 0.0f;
	if (!g->first)
		load_tile(t, c, g->ldc, mr, lo, hi, w);
	micro(g->k, a_row(g, i0, as), a_rows_apart(g, as), mr, g->b + s,
	      g->ldb, t, &io, w, kw, as);
	if (g->last)
		finish(g, i0, mr, t, w);
	store_tile(c, g->ldc, t, mr, lo, hi, w);
}

#if TL_GEMM_TAIL
/* The lanes of 16 vectors added up, lane r the sum of acc[r]'s: four
 * rounds, each adding the two halves of every pair's lanes side by side,
 * so that 16 sums cost 15 adds and 30 shuffles rather than 16 reductions
 * of 15 adds each. */
#define HALVES(x, y, lo, hi)						\
	(__builtin_shufflevector(x, y, lo) + __builtin_shufflevector(x, y, hi))
#define L1_LO 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23
#define L1_HI 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31
#define L2_LO 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27
#define L2_HI 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31
#define L3_LO 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29
#define L3_HI 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31
#define L4_LO 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30
#define L4_HI 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31

static inline __attribute__((always_inline)) vec16 lane_sums(vec16 acc[16])
{
	vec16 s8[8], s4[4], s2[2];
	for (int i = 0; i < 8; i++)	/* s8[i]: acc[2i]'s 8 lanes, acc[2i+1]'s */
		s8[i] = HALVES(acc[2 * i], acc[2 * i + 1], L1_LO, L1_HI);
	for (int i = 0; i < 4; i++)	/* 4 lanes each of 4 rows */
		s4[i] = HALVES(s8[2 * i], s8[2 * i + 1], L2_LO, L2_HI);
	for (int i = 0; i < 2; i++)	/* 2 lanes each of 8 rows */
		s2[i] = HALVES(s4[2 * i], s4[2 * i + 1], L3_LO, L3_HI);
	return HALVES(s2[0], s2[1], L4_LO, L4_HI);
}

/* C's column n + j over the row tile at i0: MR dot products of A's rows
 * with B's column j, contiguous in bt, along k (rows from m on repeat
 * row m-1: computed, never stored). Right after the tile's strips, so
 * that its rows of A are still in L1: this form loads a vector of A for
 * every multiply-add (run over all rows at once, from L2, it took the
 * time of four columns in strips). */
static NOINLINE void tail_rows(const struct tl_gemm *g, int i0, int j)
{
	const float *b = g->bt + (size_t)j * g->k;
	const float *row[MR];
	vec16 acc[16] = { 0 };	/* lane_sums' 16: from MR on, 0 */
	float sum[16];
	int rows = min_int(MR, g->m - i0), p = 0;
	for (int r = 0; r < MR; r++)
		row[r] = g->a + (size_t)(i0 + min_int(r, rows - 1)) * g->lda;
	for (; p + 16 <= g->k; p += 16) {
		vec16 bv = *(const vec16 *)(b + p);
		UNROLL for (int r = 0; r < MR; r++)
			acc[r] += *(const vec16 *)(row[r] + p) * bv;
	}
	vec16 sums = lane_sums(acc);
	memcpy(sum, &sums, sizeof sum);
	for (int r = 0; r < rows; r++) {
		float *c = g->c + (size_t)(i0 + r) * g->ldc + g->n + j;
		for (int q = p; q < g->k; q++)
			sum[r] += row[r][q] * b[q];
		*c = g->first ? sum[r] : *c + sum[r];
		if (g->last)
			TL_K(tl_bias_activate)(c, 1, g->bias[i0 + r], g->act);
	}
}
#endif

/* Every row tile over the strips w wide at columns [j0, j1): row tiles
 * outside, so that a tile's MR x k slice of A stays in L1 while it meets
 * every strip of the (L2-sized) B block, and then, if tail, C's tail
 * columns. A strip that would pass j1 starts left of it instead, at
 * nb - w at most (B's readable columns). */
static inline __attribute__((always_inline)) void
strips(const struct tl_gemm *g, int j0, int j1, int w, int tail, int kw,
       int as)
{
	for (int i0 = 0; i0 < g->m; i0 += MR) {
		for (int j = j0; j < j1; j += w) {
			int s = min_int(j, g->nb - w);
			tile(g, i0, s, j - s, min_int(j + w, j1) - s, w, kw, as);
		}
#if TL_GEMM_TAIL
		for (int j = 0; j < tail; j++)
			tail_rows(g, i0, j);
#else
		(void)tail;
#endif
	}
}

/* One function a strip width and way of reading B, so that each keeps
 * its own registers: with B in runs inlined beside B row by row, the
 * latter's layers ran 4% slower (a 64 -> 128 3x3 layer at 52x52, 3.8 ->
 * 3.9 ms). */
#define STRIPS(name, w, kw, as)					\
static NOINLINE void name(const struct tl_gemm *g, int j0, int j1,	\
			  int tail)					\
{									\
	strips(g, j0, j1, w, tail, kw, as);				\
}

struct strip_widths {
	void (*nr)(const struct tl_gemm *g, int j0, int j1, int tail);
	void (*w16)(const struct tl_gemm *g, int j0, int j1, int tail);
	void (*w8)(const struct tl_gemm *g, int j0, int j1, int tail);
	void (*w4)(const struct tl_gemm *g, int j0, int j1, int tail);
};

/* The strips of each width for B read as kw says and A's steps as
 * floats apart: `name`. */
#ifdef HAVE_STRIP_4
#define STRIPS_4(name, kw, as) STRIPS(name##_4, 4, kw, as)
#define NAME_4(name) name##_4
#else
#define STRIPS_4(name, kw, as)
#define NAME_4(name) NULL
#endif
#define STRIP_SET(name, kw, as)						\
	STRIPS(name##_nr, NR, kw, as)					\
	STRIPS(name##_16, 16, kw, as)					\
	STRIPS(name##_8, 8, kw, as)					\
	STRIPS_4(name, kw, as)						\
	static const struct strip_widths name = {			\
		name##_nr, name##_16, name##_8, NAME_4(name)		\
	};
STRIP_SET(row_by_row, 1, 1)
#if TL_GEMM_RUNS
STRIP_SET(in_runs, 3, 1)
#endif
#if TL_GEMM_BY_16
STRIP_SET(row_by_row_by_16, 1, 16)
#if TL_GEMM_RUNS
STRIP_SET(in_runs_by_16, 3, 16)
#endif
#endif

/* One column (n == 1, B contiguous) over rows [i0, i0 + rows), rows at
 * most 8: a matrix-vector product, bound by how fast A streams in. Fast
 * mode: dot_rows.h's lanes, several rows at once (a classifier's 1x1
 * convolution over a 1x1 input, with conv.c's single k block). Strict
 * mode: each sum in order p = 0, 1, ..., the rows side by side so that
 * they do not wait on one another's adds (one sum at a time waits an
 * add's latency every step). */
static inline __attribute__((always_inline)) void
column_rows_of(const struct tl_gemm *g, int i0, int rows)
{
	float sum[8];
#ifdef TL_FAST
	if (rows == 8)
		dot_rows_8(g->a + (size_t)i0 * g->lda, g->lda, g->b, g->k, 8,
			   sum);
	else
		dot_rows(g->a + (size_t)i0 * g->lda, g->lda, g->b, g->k, rows,
			 sum);
	for (int r = 0; r < rows; r++)
		if (!g->first)
			sum[r] += g->c[(size_t)(i0 + r) * g->ldc];
#else
	const float *a[8];
	for (int r = 0; r < rows; r++) {
		a[r] = g->a + (size_t)(i0 + r) * g->lda;
		sum[r] = g->first ? 0.0f : g->c[(size_t)(i0 + r) * g->ldc];
	}
	for (int p = 0; p < g->k; p++)
		for (int r = 0; r < rows; r++)
			sum[r] += a[r][p] * g->b[p];
#endif
	for (int r = 0; r < rows; r++)
		g->c[(size_t)(i0 + r) * g->ldc] = sum[r];
}

/* Eight rows at once, in fast mode only where a row of A is a page or
 * less: the hardware prefetcher stops at a page's end, and more rows side
 * by side keep more misses going (Darknet reference's 1024 -> 1000
 * classifier 0.36 -> 0.26 ms in the model, MobileNet v1's 0.33 -> 0.26;
 * onnxruntime 0.19; on aarch64 too, 1.09 instructions a multiply-add
 * against 1.25 four at a time). Longer rows four at a time: eight streams
 * of AlexNet's 9216 floats ran slower (its connected layer 6.4 -> 6.7
 * ms). With AVX-512, rows of a page or less one at a time instead, A
 * read as one stream from start to end (a row's 16 lanes are one zmm):
 * on an AMD EPYC, the classifiers of Darknet reference and MobileNet v1
 * took 0.26 -> 0.15 ms in the model and ResNet-18's 0.15 -> 0.09, as
 * onnxruntime's own profile gives for it (0.15 and 0.09). Each row's sum
 * keeps its order (dot_rows.h). */
static NOINLINE void column(const struct tl_gemm *g)
{
	int i = 0, page = (size_t)g->k * sizeof(float) <= 4096;
#if !defined(TL_FAST)
	int eight = 1, four = 1;
#elif defined(__AVX512F__)
	int eight = 0, four = !page;
#else
	int eight = page, four = 1;
#endif
	(void)page;
	for (; eight && i + 8 <= g->m; i += 8)
		column_rows_of(g, i, 8);
	for (; four && i + 4 <= g->m; i += 4)
		column_rows_of(g, i, 4);
	for (; i < g->m; i++)
		column_rows_of(g, i, 1);
}

/* Fewer than 8 readable columns: one column as above, else plain loops,
 * the same order. */
static NOINLINE void narrow(const struct tl_gemm *g)
{
	if (g->n == 1 && g->ldb == 1) {
		column(g);
	} else {
		for (int i = 0; i < g->m; i++) {
			const float *a = g->a + (size_t)i * g->lda;
			float *c = g->c + (size_t)i * g->ldc;
			for (int j = 0; j < g->n; j++) {
				float sum = g->first ? 0.0f : c[j];
				for (int p = 0; p < g->k; p++)
					sum += a[p] * g->b[(size_t)p * g->ldb + j];
				c[j] = sum;
			}
		}
	}
	if (g->last)
		for (int i = 0; i < g->m; i++)
			TL_K(tl_bias_activate)(g->c + (size_t)i * g->ldc,
					       (size_t)g->n, g->bias[i], g->act);
}

/*
 * Whole strips of NR, then for the r columns left the fewest strips that
 * cover them: one of NR (r > 24), one of 16 (8 < r <= 16), 16 and 8
 * (16 < r <= 24), or 8; a strip reaches back over columns already done
 * if it must. A 7x7 output (49 columns) costs 56 rather than 64 (cifar's
 * last three layers), a 13x13 one's last 9 columns one strip of 16 rather
 * than two of 8, which wait on their broadcasts (yolov3-tiny, make bench).
 * The tail columns go with the last strips (of 16 or 8: kernel_mode.h).
 * Fewer than 8 readable columns go to narrow().
 */
void TL_K(tl_gemm)(const struct tl_gemm *g)
{
	const struct strip_widths *sw = &row_by_row;
	int j = 0;
#if TL_GEMM_RUNS
	if (g->run)
		sw = &in_runs;
#endif
#if TL_GEMM_BY_16
	if (g->a_by_16)
		sw = &row_by_row_by_16;
#if TL_GEMM_RUNS
	if (g->a_by_16 && g->run)
		sw = &in_runs_by_16;
#endif
#endif
	if (g->nb < 8) {
		narrow(g);
		return;
	}
	if (g->nb >= NR && g->n >= NR) {
		j = g->n / NR * NR;
		sw->nr(g, 0, j, 0);
	}
	int r = g->n - j;
	if (NR > 16 && r > 24 && g->nb >= NR) {
		sw->nr(g, j, g->n, 0);
		return;
	}
	if (r > 8 && g->nb >= 16) {
		int end = r > 16 ? j + 16 : g->n;
		sw->w16(g, j, end, end == g->n ? g->tail : 0);
		j = end;
	}
#ifdef HAVE_STRIP_4
	if (j < g->n && g->n - j <= 4) {
		sw->w4(g, j, g->n, 0);
		return;
	}
#endif
	if (j < g->n)
		sw->w8(g, j, g->n, g->tail);
}
