/*
 * Activations, in place. Each is a loop of its own, in blocks of 16 with
 * constant trip counts, so GCC -O2 vectorises the cheap ones; the logistic,
 * tanh, silu and gelu go through Tinylibm, the same bits on every machine.
 */
#include "kernel_mode.h"
#include "tinylibm.h"

static float logistic(float x)
{
	return 1.0f / (1.0f + tl_expf(-x));
}

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

static float silu(float x)
{
	return x / (1.0f + tl_expf(-x));
}

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
		MAP(logistic);
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
		MAP(silu);
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
