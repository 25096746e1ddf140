#include "tinylibm.h"
#include "tl_internal.h"

/*
 * ln(1 + x). For |x| >= 2^-28, 1 + x is exact in double (x has 24
 * significant bits), so the log kernel sees the true argument. Below that,
 * x - x^2/2 is exact to far beyond float precision and keeps -0 as -0.
 */
float tl_log1pf(float x)
{
	if (tl_isnan(x))
		return x + x;
	if (x == -1.0f)
		return -1.0f / 0.0f;
	if (x < -1.0f)
		return (x - x) / (x - x);
	if (x == 1.0f / 0.0f)
		return x;
	double d = x;
	if (tl_fabs_d(d) < 0x1p-28)
		return (float)(d - d * d * 0.5);
	return (float)tl_log_d(1.0 + d);
}
