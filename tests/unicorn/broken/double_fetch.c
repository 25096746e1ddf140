/* The TA's copy of a memref, then a second read of its first word (the
 * double fetch: the normal world may have changed it in between). */
#include "broken.h"

volatile uint32_t broken_sink;

TEE_Result __wrap_sz_take_exact(const TEE_Param *p, void *dst, uint32_t size)
{
	TEE_Result res = __real_sz_take_exact(p, dst, size);
	broken_sink = *(const volatile uint32_t *)p->memref.buffer;
	return res;
}
