/* What a benchmark reports of its repeated timings: the median and the
 * spread around it (interquartile range, min and max). A header of one
 * static function. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdlib.h>

#include "bench_clock.h"

struct bench_spread {
	double median, q1, q3, min, max;	/* seconds */
	int n;
};

/* Linear interpolation between closest ranks, of sorted t[0..n). */
static inline double bench_quantile(const double *t, int n, double q)
{
	double at = q * (n - 1);
	int lo = (int)at;
	return lo + 1 < n ? t[lo] + (at - lo) * (t[lo + 1] - t[lo]) : t[lo];
}

/* Sorts t in place. */
static inline struct bench_spread bench_spread_of(double *t, int n)
{
	struct bench_spread s = { 0, 0, 0, 0, 0, n };
	if (n == 0)
		return s;
	qsort(t, (size_t)n, sizeof t[0], bench_compare_doubles);
	s.median = bench_quantile(t, n, 0.5);
	s.q1 = bench_quantile(t, n, 0.25);
	s.q3 = bench_quantile(t, n, 0.75);
	s.min = t[0];
	s.max = t[n - 1];
	return s;
}

#endif
