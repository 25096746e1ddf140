#include "tinylibm.h"
#include "tl_internal.h"

enum parity { NOT_INTEGER, ODD_INTEGER, EVEN_INTEGER };

/* Every float of magnitude 2^24 or more, infinity included, is even. */
static enum parity integer_parity(float y)
{
	if (tl_fabs_d(y) >= 0x1p24)
		return EVEN_INTEGER;
	int32_t n = (int32_t)y;
	if ((float)n != y)
		return NOT_INTEGER;
	return (n & 1) ? ODD_INTEGER : EVEN_INTEGER;
}

/*
 * x^y = e^(y ln|x|) in double, with the sign of x kept for odd integer y.
 * ln|x| is within 2^-52 relative, |y ln|x|| <= 110 after the clamp, so the
 * exponent is within 2^-45 absolutely: the result is the double nearest
 * the true power up to 2^-44 relative, then rounded once to float.
 * The special cases are C99 F.9.4.4, in that order.
 */
float tl_powf(float x, float y)
{
	if (y == 0.0f || x == 1.0f)
		return 1.0f;
	if (tl_isnan(x) || tl_isnan(y))
		return x + y;

	enum parity parity = integer_parity(y);
	int negative = (tl_bits(x) >> 31) && parity == ODD_INTEGER;
	float sign = negative ? -1.0f : 1.0f;
	float ax = tl_fabs_inline(x);
	const float inf = 1.0f / 0.0f;

	if (ax == 0.0f)
		return sign * (y < 0.0f ? inf : 0.0f);
	if (ax == inf)
		return sign * (y < 0.0f ? 0.0f : inf);
	if (tl_fabs_inline(y) == inf) {
		if (ax == 1.0f)
			return 1.0f;
		return (ax < 1.0f) == (y < 0.0f) ? inf : 0.0f;
	}
	if (x < 0.0f && parity == NOT_INTEGER)
		return (x - x) / (x - x);

	double z = y * tl_log_d(ax);
	if (z > 100.0)
		z = 100.0;
	if (z < -110.0)
		z = -110.0;
	return sign * (float)tl_exp_d(z);
}
