/*
 * Connected layer: out = act(W in + bias), W [out][in]. Each weight is
 * used once, so the layer is bound by memory bandwidth; what matters is
 * streaming W at full vector width in both modes.
 */
#include "kernel_mode.h"

#define LANES 16

/*
 * w . x in an order fixed by this source: lane j sums the terms
 * i = j, j + LANES, ... of the whole blocks of LANES, the lanes are then
 * folded pairwise (lane j += lane j + LANES/2, then LANES/4, ...), and the
 * last n % LANES terms are added one by one. Strict mode follows it to the
 * bit on every machine; the lanes are independent sums, so GCC
 * vectorises them without reassociating anything.
 */
static float dot(const float *w, const float *x, int n)
{
	float lane[LANES];
	int i = 0;
#pragma GCC unroll 16
	for (int j = 0; j < LANES; j++)
		lane[j] = 0.0f;
	for (; i + LANES <= n; i += LANES) {
#pragma GCC unroll 16
		for (int j = 0; j < LANES; j++)
			lane[j] += w[i + j] * x[i + j];
	}
	for (int half = LANES / 2; half > 0; half /= 2)
		for (int j = 0; j < half; j++)
			lane[j] += lane[j + half];
	float sum = lane[0];
	for (; i < n; i++)
		sum += w[i] * x[i];
	return sum;
}

void TL_K(tl_connected)(const struct tl_connected_params *p, const float *in,
			const float *weights, const float *bias, float *out)
{
	for (int o = 0; o < p->out; o++)
		out[o] = dot(weights + (size_t)o * p->in, in, p->in) + bias[o];
	TL_K(tl_activate)(out, (size_t)p->out, p->act);
}
