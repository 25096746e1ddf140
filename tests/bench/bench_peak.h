/* The single-precision FMA peak of one core, measured: what the
 * benchmarks' GFLOP/s are a share of. A header of one static function,
 * for bench_models and bench_engines alike. */
#ifndef BENCH_PEAK_H
#define BENCH_PEAK_H

#include <stdio.h>

#include "bench_clock.h"

/* The FMA peak of one core: 12 independent accumulators of the widest
 * vector the build targets, enough to cover the FMA units' latency on
 * current x86-64 and Arm cores. */
#if defined(__AVX512F__)
#define VEC_FLOATS 16
#elif defined(__AVX__)
#define VEC_FLOATS 8
#else
#define VEC_FLOATS 4
#endif
typedef float vec8 __attribute__((vector_size(VEC_FLOATS * 4)));
static double fma_peak_gflops(void)
{
	vec8 m, a, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11;
	for (int i = 0; i < VEC_FLOATS; i++)
		m[i] = 0.999999f, a[i] = 1e-7f;
	/* distinct starts, or the compiler merges identical chains */
	x0 = a * 1, x1 = a * 2, x2 = a * 3, x3 = a * 4, x4 = a * 5, x5 = a * 6;
	x6 = a * 7, x7 = a * 8, x8 = a * 9, x9 = a * 10, x10 = a * 11, x11 = a * 12;
	const long iters = 50000000;
	double start = bench_now();
	for (long i = 0; i < iters; i++) {
		/* twelve independent chains, in registers */
		x0 = x0 * m + a; x1 = x1 * m + a; x2 = x2 * m + a;
		x3 = x3 * m + a; x4 = x4 * m + a; x5 = x5 * m + a;
		x6 = x6 * m + a; x7 = x7 * m + a; x8 = x8 * m + a;
		x9 = x9 * m + a; x10 = x10 * m + a; x11 = x11 * m + a;
	}
	double t = bench_now() - start;
	vec8 sum = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11;
	if (sum[0] == 12345.0f)
		printf("%g\n", (double)sum[0]); /* keeps the loop */
	return 2.0 * VEC_FLOATS * 12 * iters / t / 1e9;
}

#endif
