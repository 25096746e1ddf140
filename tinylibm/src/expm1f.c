#include "tinylibm.h"
#include "tl_internal.h"

/*
 * e^x - 1, accurate next to zero where e^x - 1 would cancel. Below -20
 * the result is -1 in float (e^-20 < 2^-25), so clamping at -40 changes
 * nothing; above 100 it is +inf.
 */
float tl_expm1f(float x)
{
	if (tl_isnan(x))
		return x + x;
	double z = x;
	if (z > 100.0)
		z = 100.0;
	if (z < -40.0)
		z = -40.0;
	return (float)tl_expm1_d(z);
}
