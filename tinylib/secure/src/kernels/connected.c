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

void TL_K(tl_connected)(const struct tl_connected_params *p, const float *in,
			const float *weights, const float *bias, float *out)
{
	size_t ldw = (size_t)p->in;
	int o = 0;
	for (; o + DOT_ROWS <= p->out; o += DOT_ROWS)
		dot_rows(weights + o * ldw, ldw, in, p->in, DOT_ROWS, out + o);
	for (; o < p->out; o++)
		dot_rows(weights + o * ldw, ldw, in, p->in, 1, out + o);
	for (o = 0; o < p->out; o++)
		out[o] += bias[o];
	TL_K(tl_activate)(out, (size_t)p->out, p->act);
}
