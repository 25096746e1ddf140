#include "tinylibm.h"
#include "tl_internal.h"

/* ln x: -inf at +-0, NaN below zero, +inf at +inf. */
float tl_logf(float x)
{
	if (tl_isnan(x))
		return x + x;
	if (x == 0.0f)
		return -1.0f / 0.0f;
	if (x < 0.0f)
		return (x - x) / (x - x);
	if (x == 1.0f / 0.0f)
		return x;
	return (float)tl_log_d(x);
}
