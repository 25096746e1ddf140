/*
 * The floats at even positions, 16 at a time, for the kernels that read
 * at stride 2 (max pools, im2col). GCC leaves a load with gaps scalar, so
 * with AVX-512 two loads and a shuffle do it; the second load ends at the
 * last float used (src[30]), never one past it, so a row's last block
 * reads nothing outside the tensor. Elsewhere HAVE_EVEN_16 is undefined
 * and the callers keep their plain loops.
 */
#ifndef TL_EVEN_FLOATS_H
#define TL_EVEN_FLOATS_H

#ifdef __AVX512F__
#define HAVE_EVEN_16 1

typedef float even_vec __attribute__((vector_size(64), aligned(4)));

/* src[0], src[2], ..., src[30] */
static inline even_vec even_16(const float *src)
{
	even_vec low = *(const even_vec *)src;
	even_vec high = *(const even_vec *)(src + 15);
	return __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14,
				       17, 19, 21, 23, 25, 27, 29, 31);
}
#endif

#endif
