#include "tinylibm.h"
#include "tl_internal.h"

float tl_ceilf(float x)
{
	return tl_ceil_inline(x);
}
