/* The TA's single copy of a memref reads one word past its end. */
#include "broken.h"

volatile uint32_t broken_sink;

TEE_Result __wrap_sz_take_exact(const TEE_Param *p, void *dst, uint32_t size)
{
	TEE_Result res = __real_sz_take_exact(p, dst, size);
	const volatile uint32_t *past =
		(const uint32_t *)((const uint8_t *)p->memref.buffer +
				   p->memref.size);
	broken_sink = *past;
	return res;
}
