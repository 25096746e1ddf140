/* The TA writes a scratch value into the output memref before the real
 * output: a store of something other than the output to
 * normal-world-readable memory. */
#include "broken.h"

TEE_Result __wrap_sz_give(TEE_Param *p, const void *src, uint32_t n)
{
	if (p->memref.size >= sizeof(float))
		*(volatile float *)p->memref.buffer = 1.0f;
	return __real_sz_give(p, src, n);
}
