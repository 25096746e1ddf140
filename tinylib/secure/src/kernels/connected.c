/*
 * Connected layer: out = act(W in + bias), W [out][in]. Each weight is
 * used once, so the layer is bound by memory bandwidth; what matters is
 * streaming W at full vector width, several rows at once (dot_rows.h),
 * in both modes. Strict mode's order is dot_rows.h's, the same on every
 * machine: the lanes are independent sums, so vectorising them
 * reassociates nothing.
 */
#include "kernel_mode.h"
#include "dot_rows.h"

/* Rows at once: four with AVX-512 (one zmm of accumulators a row); one
 * elsewhere, where a row's 16 lanes take four vectors: with two or four
 * rows GCC shuffles the accumulators between registers, and AlexNet's
 * connected layers took 0.88 and 0.99 aarch64 instructions a
 * multiply-add, against 0.78 one row at a time (smartzone verify). */
#ifdef __AVX512F__
#define ROWS 4
#else
#define ROWS 1
#endif

void TL_K(tl_connected)(const struct tl_connected_params *p, const float *in,
			const float *weights, const float *bias, float *out)
{
	size_t ldw = (size_t)p->in;
	int o = 0;
	for (; o + ROWS <= p->out; o += ROWS)
		dot_rows(weights + o * ldw, ldw, in, p->in, ROWS, out + o);
#if ROWS > 1
	for (; o < p->out; o++)
		dot_rows(weights + o * ldw, ldw, in, p->in, 1, out + o);
#endif
	for (o = 0; o < p->out; o++)
		out[o] += bias[o];
	TL_K(tl_activate)(out, (size_t)p->out, p->act);
}
