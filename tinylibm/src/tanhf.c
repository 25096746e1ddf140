#include "tinylibm.h"
#include "tl_internal.h"

/*
 * tanh x = t / (t + 2) with t = e^(2|x|) - 1, the sign restored at the end.
 * expm1 keeps small arguments accurate; past |x| = 10 the result is +-1 in
 * float (1 - tanh 10 < 2^-26).
 */
float tl_tanhf(float x)
{
	if (tl_isnan(x))
		return x + x;
	double ax = tl_fabs_d(x);
	double r = 1.0;
	if (ax < 10.0) {
		double t = tl_expm1_d(2.0 * ax);
		r = t / (t + 2.0);
	}
	return tl_copysign_inline((float)r, x);
}
