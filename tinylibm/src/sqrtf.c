#include "tinylibm.h"

/*
 * Square root, correctly rounded by the hardware instruction (sqrtss on
 * x86-64, fsqrt on AArch64). The library is built with -fno-math-errno,
 * so the builtin never falls back to a libm call: negative inputs give the
 * instruction's NaN, as Annex F asks.
 */
float tl_sqrtf(float x)
{
	return __builtin_sqrtf(x);
}
