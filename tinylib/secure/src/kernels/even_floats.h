/*
 * The floats at even positions, 16 at a time, for the kernels that read
 * at stride 2 (max pools, im2col), and every fourth, 8 at a time. GCC leaves a load with gaps scalar, so
 * with AVX-512 two loads and a shuffle do it; the second load ends at the
 * last float used (src[30]), never one past it, so a row's last block
 * reads nothing outside the tensor. Elsewhere HAVE_EVEN_16 is undefined
 * and the callers keep their plain loops.
 */
#ifndef TL_EVEN_FLOATS_H
#define TL_EVEN_FLOATS_H

#include "vectors.h"

/* The lanes of (x[0..16), x[15..31)) that hold x[0], x[2], ..., x[30]
 * (depthwise.c's stride-2 blocks load the same way on every machine) */
#define EVEN_16_LANES \
	0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31

/* The even and odd lanes of two 4-float vectors a, b: a[0], a[2], b[0],
 * b[2] and a[1], a[3], b[1], b[3] (NEON's uzp1 and uzp2), for stride 2
 * where vectors hold 4 floats (im2col, depthwise.c's quads). */
#define EVEN_4(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6)
#define ODD_4(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7)

#ifdef __AVX512F__
#define HAVE_EVEN_16 1

/* lanes 0, 2, ..., 14 and 1, 3, ..., 15 of a vec16: a 16-float row's
 * even and odd columns */
#define EVEN_8(v) __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14)
#define ODD_8(v) __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15)

/* the even and odd floats of a 32-float run held as two vec16 a, b */
#define EVEN_32(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, \
	12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
#define ODD_32(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, \
	13, 15, 17, 19, 21, 23, 25, 27, 29, 31)

/* src[0], src[2], ..., src[30] */
static inline vec16 even_16(const float *src)
{
	vec16 low = *(const vec16 *)src;
	vec16 high = *(const vec16 *)(src + 15);
	return __builtin_shufflevector(low, high, EVEN_16_LANES);
}

/* src[0], src[4], ..., src[28]: AlexNet's 11x11 stride-4 first layer,
 * whose im2col copies went one float at a time (the second load ends at
 * src[28] too) */
static inline vec8 fourth_8(const float *src)
{
	vec16 low = *(const vec16 *)src;
	vec16 high = *(const vec16 *)(src + 13);
	return __builtin_shufflevector(low, high, 0, 4, 8, 12, 19, 23, 27, 31);
}
#endif

#endif
