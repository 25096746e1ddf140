#include "tinylibm.h"
#include "tl_internal.h"

/*
 * e^x. Above 0x42b17218 (88.7228) the double result exceeds the largest
 * float and rounds to +inf; below 0xc2cff1b5 (-103.9721) it rounds to +0.
 * Clamping far outside those thresholds keeps the kernel's scale in range
 * without changing any rounded result.
 */
float tl_expf(float x)
{
	if (tl_isnan(x))
		return x + x;
	double z = x;
	if (z > 100.0)
		z = 100.0;
	if (z < -110.0)
		z = -110.0;
	return (float)tl_exp_d(z);
}
