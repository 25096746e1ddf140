/*
 * Internals shared by Tinylibm's functions: bit access and the two
 * double-precision kernels (exp and log) that the float functions round.
 *
 * Why double: every float input is exact in double, and a kernel whose
 * relative error stays below 2^-40 leaves the final rounding to float as the
 * only visible error, so the float results are within 0.5 + 2^-16 ULP
 * without tables or float tricks. The Cortex-A53 and every x86-64 core
 * have double-precision hardware. Built with -ffp-contract=off, the kernels
 * give the same bits on every IEEE 754 machine.
 */
#ifndef TL_INTERNAL_H
#define TL_INTERNAL_H

#include <stdint.h>

union tl_float_bits { float f; uint32_t u; };
union tl_double_bits { double d; uint64_t u; };

static inline uint32_t tl_bits(float x)
{
	union tl_float_bits b = { .f = x };
	return b.u;
}

static inline float tl_from_bits(uint32_t u)
{
	union tl_float_bits b = { .u = u };
	return b.f;
}

static inline int tl_isnan(float x)
{
	return (tl_bits(x) & 0x7fffffffu) > 0x7f800000u;
}

/*
 * The bit-level functions are inline here so that no object file of the
 * library refers to another: `nm -u libtinylibm.a` lists nothing at all.
 */
static inline float tl_fabs_inline(float x)
{
	return tl_from_bits(tl_bits(x) & 0x7fffffffu);
}

static inline float tl_copysign_inline(float x, float y)
{
	return tl_from_bits((tl_bits(x) & 0x7fffffffu) | (tl_bits(y) & 0x80000000u));
}

/*
 * ceil: clears the fraction bits, first adding the mask (a carry into the
 * integer part) when x is positive and has any. |x| >= 2^23, infinities
 * and NaN are returned as they are.
 */
static inline float tl_ceil_inline(float x)
{
	uint32_t u = tl_bits(x);
	int exponent = (int)((u >> 23) & 0xff) - 127;
	int positive = !(u >> 31);
	if (exponent >= 23)
		return x;
	if (exponent < 0) {
		if ((u & 0x7fffffffu) == 0)
			return x;
		return positive ? 1.0f : -0.0f;
	}
	uint32_t fraction = 0x007fffffu >> exponent;
	if ((u & fraction) == 0)
		return x;
	if (positive)
		u += fraction;
	return tl_from_bits(u & ~fraction);
}

static inline double tl_fabs_d(double x)
{
	return x < 0 ? -x : x;
}

/* 2^k as a double, for -1022 <= k <= 1023 (a normal double). */
static inline double tl_pow2i(int k)
{
	union tl_double_bits b = { .u = (uint64_t)(k + 1023) << 52 };
	return b.d;
}

#define TL_LN2     0x1.62e42fefa39efp-1  /* ln 2 rounded to double */
#define TL_INV_LN2 0x1.71547652b82fep0   /* 1 / ln 2 */

/*
 * Splits z into k ln2 + r with k an integer and |r| <= ln2/2 (plus a few
 * ulp). Adding 1.5 * 2^52 rounds z/ln2 to the nearest integer in the
 * default rounding mode. For |z| <= 2^10 the product k * TL_LN2 is off by
 * at most 2^-43 absolutely, which is what bounds the kernels' accuracy.
 */
static inline double tl_reduce_ln2(double z, int *k)
{
	const double shift = 0x1.8p52;
	double kd = z * TL_INV_LN2 + shift;
	kd -= shift;
	*k = (int)kd;
	return z - kd * TL_LN2;
}

/*
 * e^r - 1 for |r| <= 0.3466 by its Taylor series to degree 9: the first
 * dropped term, r^10/10!, is below 7e-12 relative to the result. Written
 * as r * (...) so that -0 gives -0.
 */
static inline double tl_expm1_poly(double r)
{
	double p = 1.0 / 362880;
	p = 1.0 / 40320 + r * p;
	p = 1.0 / 5040 + r * p;
	p = 1.0 / 720 + r * p;
	p = 1.0 / 120 + r * p;
	p = 1.0 / 24 + r * p;
	p = 1.0 / 6 + r * p;
	p = 0.5 + r * p;
	p = 1.0 + r * p;
	return r * p;
}

/* e^z for -745 < z < 709 (callers clamp to the range floats can reach). */
static inline double tl_exp_d(double z)
{
	int k;
	double r = tl_reduce_ln2(z, &k);
	return tl_pow2i(k) * (1.0 + tl_expm1_poly(r));
}

/* e^z - 1 for |z| < 709, accurate relative to the result near zero too. */
static inline double tl_expm1_d(double z)
{
	int k;
	double r = tl_reduce_ln2(z, &k);
	double p = tl_expm1_poly(r);
	if (k == 0)
		return p;
	double scale = tl_pow2i(k);
	return scale * p + (scale - 1.0);
}

/*
 * ln u for a positive normal finite double u. Writes u = 2^e m with
 * sqrt(2)/2 <= m < sqrt(2), then ln m = 2 atanh(s), s = (m-1)/(m+1),
 * |s| <= 0.1716. The series 2s (1 + s^2/3 + ... + s^16/17) drops
 * s^18/19 < 4e-16 relative. m - 1 is exact (Sterbenz), so the result is
 * accurate relative to itself even next to u = 1.
 */
static inline double tl_log_d(double u)
{
	union tl_double_bits b = { .d = u };
	int e = (int)(b.u >> 52) - 1023;
	b.u = (b.u & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
	if (b.d > 0x1.6a09e667f3bcdp0) { /* sqrt(2) */
		b.d *= 0.5;
		e += 1;
	}
	double s = (b.d - 1.0) / (b.d + 1.0);
	double s2 = s * s;
	double p = 1.0 / 17;
	p = 1.0 / 15 + s2 * p;
	p = 1.0 / 13 + s2 * p;
	p = 1.0 / 11 + s2 * p;
	p = 1.0 / 9 + s2 * p;
	p = 1.0 / 7 + s2 * p;
	p = 1.0 / 5 + s2 * p;
	p = 1.0 / 3 + s2 * p;
	double ln_m = 2.0 * s + 2.0 * s * (s2 * p);
	return e * TL_LN2 + ln_m;
}

#endif /* TL_INTERNAL_H */
