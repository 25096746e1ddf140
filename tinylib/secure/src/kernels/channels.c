/*
 * Channel shuffle (format 1.1, ShuffleNet's): viewing the c channels as a
 * groups x (c/groups) matrix, the transpose. NCHW keeps each channel one
 * block of hw floats, so it is a copy per channel, exact.
 */
#include <string.h>

#include "kernel_mode.h"

void TL_K(tl_shuffle)(int c, int hw, int groups, const float *in, float *out)
{
	size_t n = (size_t)hw, per = (size_t)(c / groups);
	for (size_t i = 0; i < (size_t)groups; i++)
		for (size_t j = 0; j < per; j++)
			memcpy(out + (j * (size_t)groups + i) * n,
			       in + (i * per + j) * n, n * sizeof *out);
}
