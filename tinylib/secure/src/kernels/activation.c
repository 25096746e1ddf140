/*
 * Activations, in place. Each is a loop of its own, in blocks of 16 with
 * constant trip counts, so GCC -O2 vectorises the cheap ones; the logistic,
 * tanh, silu and gelu go through Tinylibm, the same bits on every machine
 * (fast mode: the logistic and silu through exp_fast below).
 */
#include <stdint.h>

#include "kernel_mode.h"
#include "vectors.h"
#include "tinylibm.h"

#ifdef TL_FAST
/*
 * Fast mode's logistic and SiLU a vector at a time: tl_expf works in
 * double a value at a time, and yolov3-tiny's two yolo heads took 0.95 ms
 * of its 60 (onnxruntime 0.2). GCC's vector types at the machine's
 * width (as gemm.c's), every operation lane by lane.
 */
#ifdef __AVX512F__
#define V_FLOATS 16
typedef vec16 vec;
#else
#define V_FLOATS 4	/* NEON q, SSE xmm */
typedef vec4 vec;
#endif
typedef int32_t vec_int __attribute__((vector_size(V_FLOATS * 4)));

/* e^x: x = n ln 2 + r, |r| <= ln 2 / 2 (up to 0.67 at the very top),
 * e^r by its Taylor series to r^7 (the first term left out is below 6e-9
 * of e^r, 1e-6 at 0.67), 2^n from exponent bits, ln 2 in two parts so
 * that n ln 2 loses nothing. Beyond float's range inf or 0; NaN stays. */
static vec exp_fast(vec x)
{
	vec zero = { 0 }, c = x;
	c = SELECT(vec, c > 88.7f, zero + 88.7f, c);
	c = SELECT(vec, c < -87.3f, zero - 87.3f, c);
	c = SELECT(vec, c == c, c, zero);
	vec t = c * 1.44269504f;	/* log2(e) */
	vec_int n = __builtin_convertvector(
		t + SELECT(vec, t < 0.0f, zero - 0.5f, zero + 0.5f), vec_int);
	vec_int top = n > 127;
	n = (top & 127) | (~top & n);
	vec nf = __builtin_convertvector(n, vec);
	vec r = c - nf * 0.693359375f - nf * -2.12194440e-4f;
	vec p = 1.0f + r * (1.0f + r * (1.0f / 2 + r * (1.0f / 6 +
		r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 +
		r * (1.0f / 5040)))))));
	vec e = p * (vec)((n + 127) << 23);
	e = SELECT(vec, x > 88.7f, zero + __builtin_inff(), e);
	e = SELECT(vec, x < -87.3f, zero, e);
	return SELECT(vec, x == x, e, x);
}

static vec logistic_vec(vec x)
{
	return 1.0f / (1.0f + exp_fast(-x));
}

static vec silu_vec(vec x)
{
	return x / (1.0f + exp_fast(-x));
}

/* x[i] = f(x[i]), a vector at a time; the last floats through a copy. */
#define MAP_VEC(f)							\
	do {								\
		size_t i = 0;						\
		for (; i + V_FLOATS <= n; i += V_FLOATS)		\
			*(vec *)(x + i) = f(*(vec *)(x + i));		\
		vec tail = { 0 };					\
		for (size_t j = i; j < n; j++)				\
			tail[j - i] = x[j];				\
		tail = f(tail);						\
		for (size_t j = i; j < n; j++)				\
			x[j] = tail[j - i];				\
	} while (0)
#endif

#ifndef TL_FAST
static float logistic(float x)
{
	return 1.0f / (1.0f + tl_expf(-x));
}
#endif

static float hardswish(float x)
{
	return x * tl_relu6(x + 3.0f) / 6.0f;
}

/* 1.1's three (PyTorch's Hardsigmoid, SiLU, exact GELU). A NaN gives 0
 * in hardsigmoid, as in relu6; silu(-inf) is NaN (-inf / inf), as
 * PyTorch's x * sigmoid(x). */
static float hardsigmoid(float x)
{
	float y = x / 6.0f + 0.5f;
	return y > 0.0f ? (y < 1.0f ? y : 1.0f) : 0.0f;
}

#ifndef TL_FAST
static float silu(float x)
{
	return x / (1.0f + tl_expf(-x));
}
#endif

static float gelu(float x)
{
	return 0.5f * x * (1.0f + tl_erff(x * 0.70710678118654752f));
}

#define MAP(f)								\
	do {								\
		size_t i = 0;						\
		for (; i + 16 <= n; i += 16)				\
			for (int j = 0; j < 16; j++)			\
				x[i + j] = f(x[i + j]);			\
		for (; i < n; i++)					\
			x[i] = f(x[i]);					\
	} while (0)

void TL_K(tl_activate)(float *x, size_t n, enum tl_activation act)
{
	switch (act) {
	case TL_ACT_LINEAR:
	default:	/* tl_model_open admits no other; OP-TEE's -Wswitch-default */
		break;
	case TL_ACT_RELU:
		MAP(tl_relu);
		break;
	case TL_ACT_RELU6:
		MAP(tl_relu6);
		break;
	case TL_ACT_LEAKY:
		MAP(tl_leaky);
		break;
	case TL_ACT_LOGISTIC:
#ifdef TL_FAST
		MAP_VEC(logistic_vec);
#else
		MAP(logistic);
#endif
		break;
	case TL_ACT_TANH:
		MAP(tl_tanhf);
		break;
	case TL_ACT_HARDSWISH:
		MAP(hardswish);
		break;
	case TL_ACT_HARDSIGMOID:
		MAP(hardsigmoid);
		break;
	case TL_ACT_SILU:
#ifdef TL_FAST
		MAP_VEC(silu_vec);
#else
		MAP(silu);
#endif
		break;
	case TL_ACT_GELU:
		MAP(gelu);
		break;
	}
}

/* The last step of an output row: the bias, then the activation. */
void TL_K(tl_bias_activate)(float *x, size_t n, float bias,
			    enum tl_activation act)
{
	size_t i = 0;
	for (; i + 16 <= n; i += 16)
		for (int j = 0; j < 16; j++)
			x[i + j] += bias;
	for (; i < n; i++)
		x[i] += bias;
	TL_K(tl_activate)(x, n, act);
}
