/*
 * What the Tinylibm tests share: each function with its double-precision
 * reference and its error bound, the inputs of the dense deterministic
 * subset, and the ULP error measure.
 */
#ifndef MATHREF_H
#define MATHREF_H

#include <stdint.h>

/* Every function seen as f(x, y); unary ones ignore y, ldexpf takes (int)y. */
typedef float (*tl_fn)(float x, float y);
typedef double (*ref_fn)(double x, double y);

/* Produces the i-th input pair of a function's dense subset. */
typedef void (*input_fn)(uint32_t i, float *x, float *y);

struct math_fn {
	const char *name;
	tl_fn tl;
	ref_fn ref;
	/* Largest ULP error allowed; 0 means bit-exact to the rounded reference. */
	double bound_ulp;
	input_fn inputs;
	/* Inputs swept in full by verify-math: x over all floats at each fixed y,
	 * and y over all floats at each fixed x (binary functions only). */
	const float *fixed_y;
	int fixed_y_count;
	const float *fixed_x;
	int fixed_x_count;
	/* Hand-picked hard cases: thresholds, boundaries, special values. */
	const float (*hard)[2];
	int hard_count;
};

extern const struct math_fn math_fns[];
extern const int math_fn_count;

/* Inputs per function in the dense subset that `make check` runs. */
#define SUBSET_SIZE (1u << 22)

/* 32-bit mixing (a bijection), so inputs look random but are reproducible. */
uint32_t mix32(uint32_t v);

/* The i-th of SUBSET_SIZE float bit patterns: one in every 1024, jittered,
 * so every binade of both signs, subnormals and NaNs is sampled alike. */
uint32_t subset_bits(uint32_t i);

float float_from_bits(uint32_t u);
uint32_t float_to_bits(float f);

/*
 * Error of `got` against the reference value `want`, in units of the float
 * spacing at `want`. NaN must meet NaN, an exact infinity or zero must be met
 * with the same sign; otherwise a mismatch is reported as an infinite error.
 * An infinite `got` is exact for |want| >= 2^128 and counts as 2^128 below.
 */
double ulp_error(float got, double want);

/* True when `got` is the correctly rounded `want`, bit for bit (any NaN
 * matching any NaN). */
int exactly_rounded(float got, double want);

/* The error of one evaluation under the function's own measure. */
double error_of(const struct math_fn *fn, float x, float y);

/* Bits of a result with every NaN made one NaN: payloads differ between
 * x86-64 and AArch64 hardware and are not part of the result. */
uint32_t canonical_bits(float f);

#endif
