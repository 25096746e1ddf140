#include "tinylibm.h"
#include "tl_internal.h"

float tl_fabsf(float x)
{
	return tl_fabs_inline(x);
}
