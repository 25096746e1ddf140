#include "mathref.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "tinylibm.h"

uint32_t mix32(uint32_t v)
{
	/* The finaliser of MurmurHash3: a bijection with good avalanche. */
	v ^= v >> 16;
	v *= 0x85ebca6bu;
	v ^= v >> 13;
	v *= 0xc2b2ae35u;
	v ^= v >> 16;
	return v;
}

uint32_t subset_bits(uint32_t i)
{
	return (i << 10) | (mix32(i) & 0x3ffu);
}

float float_from_bits(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

uint32_t float_to_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

uint32_t canonical_bits(float f)
{
	return isnan(f) ? 0x7fc00000u : float_to_bits(f);
}

/* The spacing of floats at v: 2^(e-23) for 2^e <= |v| < 2^(e+1), never
 * below the subnormal spacing 2^-149. */
static double float_ulp_at(double v)
{
	int e;
	if (v == 0.0)
		return 0x1p-149;
	frexp(v, &e); /* v = m 2^e, 0.5 <= |m| < 1 */
	e -= 1;
	if (e < -126)
		e = -126;
	return ldexp(1.0, e - 23);
}

double ulp_error(float got, double want)
{
	if (isnan(want) || isnan(got))
		return isnan(want) && isnan(got) ? 0.0 : INFINITY;
	if (isinf(want) || want == 0.0) {
		int same = got == want && !signbit(got) == !signbit(want);
		if (same)
			return 0.0;
		if (isinf(want))
			return INFINITY;
	}
	/* Past 2^128 the correctly rounded result is the infinity itself. */
	if (isinf(got) && fabs(want) >= 0x1p128 && !signbit(got) == !signbit(want))
		return 0.0;
	double g = isinf(got) ? copysign(0x1p128, got) : (double)got;
	return fabs(g - want) / float_ulp_at(want);
}

int exactly_rounded(float got, double want)
{
	float rounded = (float)want;
	if (isnan(rounded) || isnan(got))
		return isnan(rounded) && isnan(got);
	return float_to_bits(got) == float_to_bits(rounded);
}

double error_of(const struct math_fn *fn, float x, float y)
{
	float got = fn->tl(x, y);
	double want = fn->ref(x, y);
	if (fn->bound_ulp == 0.0)
		return exactly_rounded(got, want) ? 0.0 : INFINITY;
	return ulp_error(got, want);
}

/* ---- Uniform (x, y) signatures ---- */

#define UNARY(name, ref)                                               \
	static float tl2_##name(float x, float y)                      \
	{                                                              \
		(void)y;                                               \
		return tl_##name(x);                                   \
	}                                                              \
	static double ref2_##name(double x, double y)                  \
	{                                                              \
		(void)y;                                               \
		return ref(x);                                         \
	}
#define BINARY(name, ref)                                              \
	static float tl2_##name(float x, float y)                      \
	{                                                              \
		return tl_##name(x, y);                                \
	}                                                              \
	static double ref2_##name(double x, double y)                  \
	{                                                              \
		return ref(x, y);                                      \
	}

/* The ordering fmin and fmax follow: -0 below +0, NaN never chosen over
 * a number. Written over the integer order of the bit patterns, unlike
 * the implementation, so the two can disagree. */
static int64_t order_key(double v)
{
	uint32_t u = float_to_bits((float)v);
	return (u >> 31) ? -(int64_t)(u & 0x7fffffffu) - 1 : (int64_t)u;
}
static double ref_fminf(double x, double y)
{
	if (isnan(x) || isnan(y))
		return isnan(x) ? y : x;
	return order_key(x) <= order_key(y) ? x : y;
}
static double ref_fmaxf(double x, double y)
{
	if (isnan(x) || isnan(y))
		return isnan(x) ? y : x;
	return order_key(x) >= order_key(y) ? x : y;
}

/* ldexpf's int argument travels as a float; saturate like the C cast
 * would if it were defined. */
static int exponent_arg(double y)
{
	if (y >= 2147483647.0)
		return INT_MAX;
	if (y <= -2147483648.0)
		return INT_MIN;
	return (int)y;
}
static float tl2_ldexpf(float x, float y)
{
	return tl_ldexpf(x, exponent_arg(y));
}
static double ref2_ldexpf(double x, double y)
{
	return ldexp(x, exponent_arg(y));
}

UNARY(expf, exp)
UNARY(expm1f, expm1)
UNARY(logf, log)
UNARY(log1pf, log1p)
UNARY(sqrtf, sqrt)
UNARY(tanhf, tanh)
UNARY(erff, erf)
UNARY(floorf, floor)
UNARY(ceilf, ceil)
UNARY(roundf, round)
UNARY(fabsf, fabs)
BINARY(powf, pow)
BINARY(fminf, ref_fminf)
BINARY(fmaxf, ref_fmaxf)
BINARY(copysignf, copysign)

/* ---- Inputs of the dense subset ---- */

static void unary_inputs(uint32_t i, float *x, float *y)
{
	*x = float_from_bits(subset_bits(i));
	*y = 0.0f;
}

static void random_pair_inputs(uint32_t i, float *x, float *y)
{
	*x = float_from_bits(subset_bits(i));
	*y = float_from_bits(mix32(i ^ 0x9e3779b9u));
}

static void ldexp_inputs(uint32_t i, float *x, float *y)
{
	*x = float_from_bits(subset_bits(i));
	*y = (float)((int)(mix32(i) % 701u) - 350);
}

/* A float with random sign and significand and an exponent field in
 * [lo, hi]. */
static float random_float(uint32_t seed, uint32_t lo, uint32_t hi)
{
	uint32_t r = mix32(seed);
	uint32_t exponent = lo + mix32(r) % (hi - lo + 1);
	return float_from_bits((r & 0x807fffffu) | (exponent << 23));
}

/*
 * powf has 2^64 input pairs; the subset takes four slices of 2^20:
 * every x pattern against common exponents, every y pattern against common
 * bases, random pairs of moderate size (integer y for negative x), and
 * bases next to 1 with large exponents (where y ln x loses the most).
 */
static void pow_inputs(uint32_t i, float *x, float *y)
{
	static const float common_y[16] = { 2, 0.5f, 3, -1, -2, 1.0f / 3,
		1.5f, -0.5f, 7, 10.5f, 0.1f, -3.75f, 25, 1e-3f, 100, -100 };
	static const float common_x[16] = { 2, 0.5f, 10, 2.7182817f, -2,
		-0.5f, 1.0001f, 0.9999f, 3, -3, 1e-3f, 123.4f, 1.5f, 0.75f,
		65536, 1e-20f };
	uint32_t j = i >> 2, r = mix32(i);
	switch (i & 3) {
	case 0:
		*x = float_from_bits(subset_bits(i));
		*y = common_y[r & 15];
		break;
	case 1:
		*x = common_x[r & 15];
		*y = float_from_bits(subset_bits(i));
		break;
	case 2:
		*x = tl_fabsf(random_float(j, 107, 147)) * ((r & 1) ? -1 : 1);
		*y = random_float(j ^ 0x55555555u, 120, 132);
		if (*x < 0)
			*y = tl_roundf(*y);
		break;
	default:
		*x = float_from_bits(0x3f800000u + (r & 4095u) - 2048u);
		*y = random_float(j ^ 0xaaaaaaaau, 130, 150);
		break;
	}
}

/* ---- Hard cases ---- */

#define INF INFINITY
#define SPECIALS                                                        \
	{ 0.0f, 0 }, { -0.0f, 0 }, { INF, 0 }, { -INF, 0 }, { NAN, 0 }, \
	{ FLT_MIN, 0 }, { -FLT_MIN, 0 }, { 0x1p-149f, 0 },              \
	{ -0x1p-149f, 0 }, { FLT_MAX, 0 }, { -FLT_MAX, 0 }, { 1, 0 },   \
	{ -1, 0 }, { 0.5f, 0 }, { 2, 0 }, { 0x1.fffffep-1f, 0 },        \
	{ 0x1.000002p0f, 0 }

static const float exp_hard[][2] = { SPECIALS,
	{ 0x1.62e42ep6f, 0 },   /* 88.72283: largest finite result */
	{ 0x1.62e430p6f, 0 },   /* 88.72284: first overflow */
	{ -0x1.9fe368p6f, 0 },  /* -103.97207: last nonzero result */
	{ -0x1.9fe36ap6f, 0 },  /* -103.97208: first +0 */
	{ -0x1.5d589ep6f, 0 },  /* -87.33655: smallest normal result */
	{ 1e-8f, 0 }, { -1e-8f, 0 }, { 0x1p-25f, 0 }, { -0x1p-25f, 0 },
	{ 0x1.62e43p-2f, 0 },   /* ln2/2, the reduction boundary */
	{ -20.0f, 0 }, { -40.0f, 0 }, { 100.0f, 0 } };

static const float log_hard[][2] = { SPECIALS,
	{ 0x1.6a09e6p0f, 0 }, { 0x1.6a09e8p0f, 0 }, /* around sqrt 2 */
	{ 0x1.6a09e6p-1f, 0 }, { 0x1.6a09e8p-1f, 0 },
	{ 0x1p-28f, 0 }, { -0x1p-28f, 0 }, { 0x1.fffffep-29f, 0 },
	{ -0x1.fffffep-1f, 0 }, /* log1p next to -1 */
	{ -2, 0 }, { 2.7182817f, 0 }, { 2.718282f, 0 } };

static const float tanh_erf_hard[][2] = { SPECIALS,
	{ 9.0f, 0 }, { 9.010913f, 0 }, { 10.0f, 0 }, { -10.0f, 0 },
	{ 3.9199998f, 0 }, { 3.92f, 0 }, { 4.0f, 0 }, { -4.0f, 0 },
	{ 0x1p-12f, 0 }, { 1e-5f, 0 }, { 0.55f, 0 }, { 0.8813736f, 0 } };

static const float rounding_hard[][2] = { SPECIALS,
	{ 0.49999997f, 0 }, { -0.49999997f, 0 }, { 1.5f, 0 }, { -1.5f, 0 },
	{ 2.5f, 0 }, { -2.5f, 0 }, { 8388607.5f, 0 }, { -8388607.5f, 0 },
	{ 8388608, 0 }, { 4194303.75f, 0 }, { 0.99999994f, 0 },
	{ -0.99999994f, 0 }, { 1e-30f, 0 }, { -1e-30f, 0 } };

static const float pow_hard[][2] = {
	{ 0, -1 }, { -0.0f, -1 }, { 0, -2 }, { -0.0f, -2 }, { 0, -0.5f },
	{ 0, 3 }, { -0.0f, 3 }, { -0.0f, 2 }, { 0, INF }, { -0.0f, -INF },
	{ -1, INF }, { -1, -INF }, { 0.5f, INF }, { 0.5f, -INF },
	{ 2, INF }, { 2, -INF }, { -INF, -3 }, { -INF, -2 }, { -INF, 3 },
	{ -INF, 2 }, { -INF, 0.5f }, { INF, -1 }, { INF, 1 }, { -2, 0.5f },
	{ -8, 1.0f / 3 }, { NAN, 0 }, { NAN, -0.0f }, { 1, NAN },
	{ -1, NAN }, { NAN, 1 }, { 2, 127.99f }, { 2, 128 }, { 2, -149 },
	{ 2, -150 }, { 2, -149.5f }, { -2, 127 }, { -2, -149 },
	{ 10, 38.5f }, { 0.5f, 149 }, { 0x1.000002p0f, 1e9f },
	{ 0x1.fffffep-1f, -1e9f }, { FLT_MAX, 0.5f }, { 0x1p-149f, 0.5f },
	{ 0x1p-149f, -1 }, { FLT_MAX, -1 }, { 3, 19 }, { 5, 11 },
	{ -3, 15 }, { 7, -3 }, { 16777215, 2 }, { 1e-45f, 0.01f } };

static const float pair_hard[][2] = {
	{ NAN, 1 }, { 1, NAN }, { NAN, NAN }, { -0.0f, 0 }, { 0, -0.0f },
	{ -0.0f, -0.0f }, { INF, -INF }, { -INF, INF }, { NAN, -1 },
	{ INF, -0.0f }, { 1, -0.0f }, { -1, 0 }, { 0x1p-149f, -0x1p-149f } };

static const float ldexp_hard[][2] = {
	{ 1, 127 }, { 1, 128 }, { 1, -149 }, { 1, -150 }, { 1.5f, -150 },
	{ 0x1.8p0f, -149 }, { 0x1.fffffep0f, -150 }, { 0x1.fffffep0f, -127 },
	{ FLT_MAX, -1 }, { FLT_MAX, 1 }, { 0x1p-149f, 149 },
	{ 0x1p-149f, 276 }, { 1, -2147483648.0f }, { 1, 2147483648.0f },
	{ -0.0f, 5 }, { INF, -1000 }, { NAN, 3 }, { -3, 0 } };

#define COUNT(a) (int)(sizeof a / sizeof a[0])

static const float pow_fixed_y[] = { 0.5f, 3, -1.5f, 1.0f / 3 };
static const float pow_fixed_x[] = { 2, -3, 0.7f, 0x1.000002p0f };
static const float pair_fixed[] = { 1, -0.0f, NAN };
static const float ldexp_fixed_y[] = { -150, -1, 1, 127 };

#define UNARY_FN(fn, bound, hard)                                       \
	{ #fn, tl2_##fn, ref2_##fn, bound, unary_inputs, 0, 0, 0, 0,    \
	  hard, COUNT(hard) }
#define PAIR_FN(fn, bound, inputs, fy, fx, hard)                        \
	{ #fn, tl2_##fn, ref2_##fn, bound, inputs, fy, COUNT(fy), fx,   \
	  COUNT(fx), hard, COUNT(hard) }

/* The bounds are the contract in tinylibm.h. */
const struct math_fn math_fns[] = {
	UNARY_FN(expf, 0.6, exp_hard),
	UNARY_FN(expm1f, 0.6, exp_hard),
	UNARY_FN(logf, 0.6, log_hard),
	UNARY_FN(log1pf, 0.6, log_hard),
	UNARY_FN(sqrtf, 0, log_hard),
	UNARY_FN(tanhf, 1.0, tanh_erf_hard),
	UNARY_FN(erff, 1.0, tanh_erf_hard),
	PAIR_FN(powf, 1.0, pow_inputs, pow_fixed_y, pow_fixed_x, pow_hard),
	UNARY_FN(floorf, 0, rounding_hard),
	UNARY_FN(ceilf, 0, rounding_hard),
	UNARY_FN(roundf, 0, rounding_hard),
	UNARY_FN(fabsf, 0, rounding_hard),
	PAIR_FN(fminf, 0, random_pair_inputs, pair_fixed, pair_fixed, pair_hard),
	PAIR_FN(fmaxf, 0, random_pair_inputs, pair_fixed, pair_fixed, pair_hard),
	PAIR_FN(copysignf, 0, random_pair_inputs, pair_fixed, pair_fixed,
		pair_hard),
	PAIR_FN(ldexpf, 0, ldexp_inputs, ldexp_fixed_y, pair_fixed, ldexp_hard),
};

const int math_fn_count = COUNT(math_fns);
