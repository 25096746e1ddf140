#include "tinylibm.h"
#include "tl_internal.h"

#define TWO_OVER_SQRT_PI 0x1.20dd750429b6dp0 /* 2 / sqrt(pi) */

/*
 * erf x = 2/sqrt(pi) e^(-x^2) sum_{n>=0} (2x^2)^n x / (1 3 5 ... (2n+1)).
 * Every term is positive, so the sum has no cancellation and its relative
 * error grows only with the term count (under 70 for |x| < 4). x^2 is exact
 * in double. Past |x| = 4, 1 - erf|x| < 2^-26 and the result is +-1.
 */
float tl_erff(float x)
{
	if (tl_isnan(x))
		return x + x;
	double ax = tl_fabs_d(x);
	double r = 1.0;
	if (ax < 4.0) {
		double x2 = ax * ax;
		double term = ax, sum = ax;
		for (int odd = 3; term > sum * 0x1p-56; odd += 2) {
			term *= 2.0 * x2 / odd;
			sum += term;
		}
		r = TWO_OVER_SQRT_PI * tl_exp_d(-x2) * sum;
	}
	return tl_copysign_inline((float)r, x);
}
