/* A max-pool that writes its first output value into the RUN's input
 * memref (shared memory, not an output): an intermediate leaking to the
 * normal world. The input's address is kept by the TA's copy of it. */
#include "broken.h"

static float *input_memref;

TEE_Result __wrap_sz_take_exact(const TEE_Param *p, void *dst, uint32_t size)
{
	input_memref = p->memref.buffer;
	return __real_sz_take_exact(p, dst, size);
}

void __wrap_tl_maxpool(const struct tl_pool_params *p, const float *in,
		       float *out)
{
	__real_tl_maxpool(p, in, out);
	*(volatile float *)input_memref = out[0];
}
