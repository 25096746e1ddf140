/*
 * Every file in this folder is compiled twice into libtinylib_secure.a:
 * strict (the order the C source writes; no contraction but the
 * convolutions' fused steps: fused_steps.h) and fast
 * (-ffp-contract=fast -fassociative-math ..., TL_FAST defined). TL_K names
 * each external function after the mode it was built in, so the two
 * copies link side by side; kernel_dispatch.c picks one at run time.
 */
#ifndef TL_KERNEL_MODE_H
#define TL_KERNEL_MODE_H

#include "tl_kernels.h"

#ifdef TL_FAST
#define TL_K(name) name##_fast
#else
#define TL_K(name) name##_strict
#endif

#include "kernel_api.h"

/* Width of gemm.c's column strips (its vector microkernel): 32 with
 * AVX-512 (two zmm a row), 16 otherwise (gemm.c says why). Only the speed
 * depends on it, never the plan. */
#ifdef __AVX512F__
#define TL_GEMM_NR 32
#else
#define TL_GEMM_NR 16
#endif

/* gemm.c's tail columns (conv.c): dot products whose sums add along k in
 * lanes, so fast mode's only; after strips of 32 only. */
#if TL_GEMM_NR > 16 && defined(TL_FAST)
#define TL_GEMM_TAIL 1
#else
#define TL_GEMM_TAIL 0
#endif

/* gemm.c's B in runs (struct tl_gemm's run, conv.c): a 3-tap-wide
 * stride-1 convolution's three taps (c, ky, 0..2) read one packed run of
 * an input row at offsets 0, 1, 2, so the packing copies each input row
 * once a tile rather than three times. With AVX-512 only, for now. */
#ifdef __AVX512F__
#define TL_GEMM_RUNS 1
#else
#define TL_GEMM_RUNS 0
#endif

/* direct.c's convolutions (conv.c's direct_windows): fast mode with
 * AVX-512 only (they skip the padding's taps, and their tiles are 16
 * filters a vector). The same builds as TL_GEMM_TAIL's, so the tail
 * columns never meet weights by 16, which direct.c takes. */
#if defined(__AVX512F__) && defined(TL_FAST)
#define TL_CONV_DIRECT 1
#else
#define TL_CONV_DIRECT 0
#endif

/* The activations cheap enough to apply in the kernels' registers
 * (activation.c has them all). */
static inline float tl_relu(float x)
{
	return x > 0.0f ? x : 0.0f;
}

static inline float tl_relu6(float x)
{
	return x > 0.0f ? (x < 6.0f ? x : 6.0f) : 0.0f;
}

static inline float tl_leaky(float x)
{
	return x > 0.0f ? x : 0.1f * x;
}

/* act is one of those, or none: the kernels apply it in their registers
 * (gemm.c's direct tiles, direct.c), else with tl_activate after */
static inline int tl_activation_in_registers(enum tl_activation act)
{
	return act == TL_ACT_LINEAR || act == TL_ACT_RELU ||
	       act == TL_ACT_LEAKY;
}

/* x[0 .. n) on its way to the cache, a 64-byte line at a time: for
 * reads the hardware's prefetch does not see coming (im2col.c's runs,
 * pool.c's large inputs) */
static inline void tl_prefetch(const float *x, size_t n)
{
	for (size_t i = 0; i < n; i += 16)
		__builtin_prefetch(x + i);
}

/* The output positions o whose input position o*stride + off lies in
 * [0, len) form the range [tl_inside_lo, tl_inside_hi), capped to out. */
static inline int tl_inside_lo(int off, int stride)
{
	return off >= 0 ? 0 : (-off + stride - 1) / stride;
}

static inline int tl_inside_hi(int off, int stride, int len, int out)
{
	int hi = len - off <= 0 ? 0 : (len - off + stride - 1) / stride;
	return hi < out ? hi : out;
}

/* p with the square geometry of kw == 0 spelt out, so that the kernels
 * below read kw, sw and pad_left whatever the caller set. */
static inline struct tl_conv_params tl_conv_explicit(const struct tl_conv_params *p)
{
	struct tl_conv_params q = *p;
	if (q.kw == 0)
		q.kw = q.size, q.sw = q.stride, q.pad_left = q.pad;
	return q;
}

/*
 * One GEMM block for the convolutions:
 *   C[i][j] (+)= sum over p < k of A[i][p] * B[p][j],  i < m, j < n,
 * every C[i][j] summed in the order p = 0, 1, ..., k-1 whatever the tile
 * sizes or vector width. A caller that splits a long sum into k blocks
 * passes first (start from 0, else from C) and last (add bias[i] and
 * apply act). B has nb >= n readable columns from b; the extra ones let
 * the last column strip run at full width.
 */
struct tl_gemm {
	int m, n, nb, k;
	/* A[i][p] at a + i * lda + p, or by 16 (a_by_16: tl_conv_params'
	 * weights_by_16) at a + i / 16 * lda + p * 16 + i % 16, lda then
	 * 16 * K, and m a multiple of 16. By 16 in strict mode, and fast mode
	 * without TL_CONV_DIRECT: the tiles of strips only, so n of NR or
	 * more readable columns and no tail (conv.c's layers by 16 have 100
	 * or more). */
	const float *a;
	size_t lda;
	int a_by_16;
	const float *b;
	size_t ldb;
	float *c;
	size_t ldc;
	const float *bias;
	enum tl_activation act;
	int first, last;
	/* C's columns [n, n + tail) from B's columns transposed: column j's
	 * k values at bt + j*k. Fast mode with AVX-512 only (else tail 0),
	 * and where n % TL_GEMM_NR is 8, 16 or 24: the tail goes with the
	 * last strip of 16 or 8 (conv.c). */
	const float *bt;
	int tail;
	/* 3 (TL_GEMM_RUNS only): B's rows p, p+1, p+2 (p % 3 == 0) are one
	 * packed row read at offsets 0, 1, 2: row p is
	 * b + (p / 3) * ldb + p % 3, and k is a multiple of 3. Else 0. */
	int run;
};

void TL_K(tl_gemm)(const struct tl_gemm *g);

/* im2col of the tile rows [k0, k0+kc) x columns [n0, n0+nc) of one group's
 * input into dst, ld floats a row (ld >= nc, the extra columns zero). */
void TL_K(tl_im2col_tile)(const struct tl_conv_params *p, const float *in,
			  int k0, int kc, size_t n0, int nc, float *dst,
			  size_t ld);

#if TL_GEMM_RUNS
/* The runs [r0, r0+runs) of output row oy of a stride-1 convolution, run
 * r = (channel, ky) of one group's input: input row oy - pad + ky from
 * column -pad_left on, out_w + kw - 1 floats, 0 in the padding; run i
 * at dst + i*ld (gemm.c's B in runs). */
void TL_K(tl_im2col_runs)(const struct tl_conv_params *p, const float *in,
			  int r0, int runs, int oy, float *dst, size_t ld);
#endif

#if TL_CONV_DIRECT
/* p (explicit) one of conv.c's direct_windows, filters a multiple of 16
 * a group: direct.c, its weights packed a k block at a time into the
 * workspace's workspace_floats (at least 9 x 16: conv.c's tiling gives
 * the layers it takes 4096 or more), or read where they lie when stored
 * by 16 (p->weights_by_16). */
void TL_K(tl_conv_direct)(const struct tl_conv_params *p, const float *in,
			  const float *weights, const float *bias, float *out,
			  float *workspace, size_t workspace_floats);
#endif

/* The same values for columns [n0, n0+nc), transposed: column j's kc
 * values at dst + j*kc (gemm.c's tail: TL_GEMM_TAIL only). */
#if TL_GEMM_TAIL
void TL_K(tl_im2col_columns)(const struct tl_conv_params *p, const float *in,
			     int k0, int kc, size_t n0, int nc, float *dst);
#endif

/* groups == c == filters; p explicit (tl_conv_explicit), as for the two
 * functions above */
void TL_K(tl_depthwise)(const struct tl_conv_params *p, const float *in,
			const float *weights, const float *bias, float *out);

/* tl_softmax over n values `stride` apart (softmax.c) */
void TL_K(tl_softmax_strided)(const float *in, float *out, size_t n,
			      size_t stride);

/* x[i] = act(x[i] + bias): the last step of a row of output computed in
 * place (depthwise.c; gemm.c below a strip's width) */
void TL_K(tl_bias_activate)(float *x, size_t n, float bias,
			    enum tl_activation act);

#endif /* TL_KERNEL_MODE_H */
