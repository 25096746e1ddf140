#include "tinylibm.h"
#include "tl_internal.h"

/* floor x = -ceil(-x): the signs of zero and of halves come out right. */
float tl_floorf(float x)
{
	return -tl_ceil_inline(-x);
}
