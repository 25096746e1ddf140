#include "tinylibm.h"
#include "tl_internal.h"

float tl_copysignf(float x, float y)
{
	return tl_copysign_inline(x, y);
}
