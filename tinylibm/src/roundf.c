#include "tinylibm.h"
#include "tl_internal.h"

/*
 * Rounds half away from zero: adds half a unit to the magnitude, then clears
 * the fraction bits. The sign bit is untouched, so -0.4 gives -0.
 */
float tl_roundf(float x)
{
	uint32_t u = tl_bits(x);
	int exponent = (int)((u >> 23) & 0xff) - 127;
	if (exponent >= 23)
		return x;
	if (exponent < 0)
		return tl_copysign_inline(exponent == -1 ? 1.0f : 0.0f, x);
	uint32_t fraction = 0x007fffffu >> exponent;
	u += 0x00400000u >> exponent;
	return tl_from_bits(u & ~fraction);
}
