/*
 * The comparison every test of a model against another implementation
 * uses (PyTorch's outputs, the double-precision reference): the largest
 * difference relative to the largest reference output, so that a network
 * whose outputs are all small (a softmax over many classes) is held to
 * the same bound as one whose outputs are large. A header of one static
 * function, for tests and benchmarks alike.
 */
#ifndef RELATIVE_ERROR_H
#define RELATIVE_ERROR_H

#include <math.h>
#include <stddef.h>

static inline double max_relative_error(const float *y, const float *ref,
					size_t n)
{
	double worst = 0, top = 1e-30;
	for (size_t i = 0; i < n; i++) {
		worst = fmax(worst, fabs((double)y[i] - ref[i]));
		top = fmax(top, fabs((double)ref[i]));
	}
	return worst / top;
}

#endif
