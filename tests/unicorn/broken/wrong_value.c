/* A max-pool whose first output has a bit of its mantissa flipped (the
 * lowest one alone can vanish in the layers after it): the strict output
 * no longer matches the host's, and the first layer that differs is this
 * one. */
#include "broken.h"

void __wrap_tl_maxpool(const struct tl_pool_params *p, const float *in,
		       float *out)
{
	__real_tl_maxpool(p, in, out);
	union { float f; uint32_t u; } v = { out[0] };
	v.u ^= 1u << 20;
	out[0] = v.f;
}
