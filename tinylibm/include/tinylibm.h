/*
 * Tinylibm: freestanding single-precision math for the secure world.
 *
 * OP-TEE's TA environment has no libm, and S-Tinylib needs a handful of
 * functions. Every function here is free of libc, prefixed tl_ so it never
 * clashes with a libm, and tested against a double-precision reference:
 *   - expf, expm1f, logf, log1pf: within 0.6 ULP over all 2^32 inputs;
 *   - tanhf, erff, powf: within 1 ULP;
 *   - sqrtf: correctly rounded; the rest are exact.
 * Special values (NaN, infinities, signed zeros, subnormals, overflow and
 * underflow) follow C99 Annex F. Floating-point exception flags and errno
 * are not part of the contract.
 *
 * The library assumes the default rounding mode (round to nearest).
 */
#ifndef TINYLIBM_H
#define TINYLIBM_H

float tl_expf(float x);
float tl_expm1f(float x);
float tl_logf(float x);
float tl_log1pf(float x);
float tl_sqrtf(float x);
float tl_tanhf(float x);
float tl_erff(float x);
float tl_powf(float x, float y);

float tl_floorf(float x);
float tl_ceilf(float x);
float tl_roundf(float x);
float tl_fabsf(float x);
float tl_fminf(float x, float y);
float tl_fmaxf(float x, float y);
float tl_copysignf(float x, float y);
float tl_ldexpf(float x, int n);

#endif /* TINYLIBM_H */
