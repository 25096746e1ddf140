#include "tinylibm.h"
#include "tl_internal.h"

/*
 * x * 2^n. In double the product is exact for |n| <= 300, and any n beyond
 * that overflows or underflows a float anyway, so the single rounding to
 * float is the only one, subnormal results included.
 */
float tl_ldexpf(float x, int n)
{
	if (n > 300)
		n = 300;
	if (n < -300)
		n = -300;
	return (float)((double)x * tl_pow2i(n));
}
