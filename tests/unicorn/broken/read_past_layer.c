/* A max-pool that reads 64 MiB past its input: far beyond the arena and
 * every other area, into what the TA's tables do not map. */
#include "broken.h"

volatile float broken_sink;

void __wrap_tl_maxpool(const struct tl_pool_params *p, const float *in,
		       float *out)
{
	broken_sink = in[(64u << 20) / sizeof(float)];
	__real_tl_maxpool(p, in, out);
}
