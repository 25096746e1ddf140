#include "tinylibm.h"
#include "tl_internal.h"

/* A NaN argument loses to a number (F.9.9.3); -0 counts as below +0. */
float tl_fminf(float x, float y)
{
	if (tl_isnan(x))
		return y;
	if (tl_isnan(y))
		return x;
	if (x == y)
		return (tl_bits(x) >> 31) ? x : y;
	return x < y ? x : y;
}
