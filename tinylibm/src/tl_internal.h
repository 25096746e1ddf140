/*
 * Internals shared by Tinylibm's functions: bit access and the two
 * double-precision kernels (exp and log) that the float functions round.
 *
 * Why double: every float input is exact in double, and a kernel whose
 * relative error stays below 2^-36 leaves the final rounding to float as the
 * only visible error, so the float results are within 0.5 + 2^-12 ULP with
 * short polynomials and two small tables (tl_tables.h). The Cortex-A53 and
 * every x86-64 core have double-precision hardware. Built with
 * -ffp-contract=off, the kernels give the same bits on every IEEE 754
 * machine.
 */
#ifndef TL_INTERNAL_H
#define TL_INTERNAL_H

#include <stdint.h>

#include "tl_tables.h"

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
#define TL_EXP_N   (1 << TL_EXP_BITS)

/*
 * Splits z = (N k + j) ln2/N + r with N = 32, 0 <= j < N and
 * |r| <= ln2/64 (plus a few ulp); sets *scale = 2^k 2^(j/N) from the table.
 * Adding 1.5 * 2^52 rounds z N/ln2 to the nearest integer in the default
 * rounding mode. For |z| <= 2^10 the product n ln2/N is off by at most
 * 2^-43 absolutely, which is what bounds the kernels' relative accuracy.
 */
static inline double tl_exp_reduce(double z, double *scale)
{
	const double shift = 0x1.8p52;
	double nd = z * (TL_INV_LN2 * TL_EXP_N) + shift;
	nd -= shift;
	int n = (int)nd;
	int j = n & (TL_EXP_N - 1);
	*scale = tl_pow2i((n - j) / TL_EXP_N) * tl_exp2_table[j];
	return z - nd * (TL_LN2 / TL_EXP_N);
}

/*
 * e^r - 1 for |r| <= 0.0109 by its Taylor series to degree 5: the first
 * dropped term, r^6/720, is below 2^-42 relative to the result. Written
 * as r * (...) so that -0 gives -0.
 */
static inline double tl_expm1_poly(double r)
{
	double p = 1.0 / 120;
	p = 1.0 / 24 + r * p;
	p = 1.0 / 6 + r * p;
	p = 0.5 + r * p;
	p = 1.0 + r * p;
	return r * p;
}

/* e^z for -745 < z < 709 (callers clamp to the range floats can reach). */
static inline double tl_exp_d(double z)
{
	double scale;
	double r = tl_exp_reduce(z, &scale);
	return scale + scale * tl_expm1_poly(r);
}

/*
 * e^z - 1 for |z| < 709, accurate relative to the result near zero too:
 * there the reduction leaves scale = 1 and the polynomial is the answer;
 * elsewhere |e^z - 1| >= 0.0107 and scale - 1 is exact.
 */
static inline double tl_expm1_d(double z)
{
	double scale;
	double r = tl_exp_reduce(z, &scale);
	double p = tl_expm1_poly(r);
	if (scale == 1.0)
		return p;
	return scale * p + (scale - 1.0);
}

/*
 * ln u for a positive normal finite double u. Writes u = 2^e m with
 * 0.703125 <= m < 1.40625, picks m's bucket (32 of them, by the top bits of
 * m - 0.703125 in bit space) and its c ~ 1/centre, so that m c = 1 + r with
 * |r| <= 1/32; then ln u = e ln2 - ln c + ln(1 + r). For float u, m c and r
 * are exact (c has 24 bits). The two buckets that touch 1 have c = 1, so
 * next to 1 the result is ln(1 + r) with r = m - 1 exact: accurate
 * relative to itself. The series to r^7/7 drops r^8/8 < 2^-38 relative.
 */
static inline double tl_log_d(double u)
{
	union tl_double_bits b = { .d = u };
	/* Bits above 0.703125 * 2^e: the exponent e in the top bits (biased by
	 * 2^63 to stay unsigned), the bucket in the next ones. No branch: the
	 * bucket of a random input is not predictable. */
	uint64_t from_off = b.u - TL_LOG_OFF + (1ull << 63);
	int e = (int)(from_off >> 52) - 2048;
	int bucket = (int)(from_off >> (52 - TL_LOG_BITS)) & ((1 << TL_LOG_BITS) - 1);
	b.u -= (uint64_t)(int64_t)e << 52;
	double r = b.d * tl_log_table[bucket][0] - 1.0;
	double p = 1.0 / 7;
	p = -1.0 / 6 + r * p;
	p = 1.0 / 5 + r * p;
	p = -1.0 / 4 + r * p;
	p = 1.0 / 3 + r * p;
	p = -0.5 + r * p;
	p = 1.0 + r * p;
	return e * TL_LN2 + tl_log_table[bucket][1] + r * p;
}

#endif /* TL_INTERNAL_H */
