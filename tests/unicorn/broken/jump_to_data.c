/* A softmax that calls into its input tensor (data, never-execute). */
#include "broken.h"

void __wrap_tl_softmax(const float *in, float *out, size_t n)
{
	void (*into_data)(void) = (void (*)(void))(uintptr_t)in;
	into_data();
	__real_tl_softmax(in, out, n);
}
