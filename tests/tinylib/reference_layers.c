/* The double-precision reference of reference_layers.h. */
#include <math.h>

#include "reference.h"
#include "reference_layers.h"

static double op(enum tl_eltwise_op o, double x, double y)
{
	switch (o) {
	case TL_ELT_ADD: return x + y;
	case TL_ELT_SUB: return x - y;
	case TL_ELT_MUL: return x * y;
	default: return x / y;
	}
}

void ref_eltwise(const struct tl_eltwise_params *p, const float *a,
		 const float *b, double *out)
{
	for (int k = 0; k < p->c; k++)
		for (int i = 0; i < p->hw; i++) {
			double x = a[(size_t)k * p->hw + i];
			double y = b[(size_t)(p->b_c == 1 ? 0 : k) * p->b_hw +
				     (p->b_hw == 1 ? 0 : i)];
			double v = p->reversed ? op(p->op, y, x) : op(p->op, x, y);
			/* the engine stores a OP b as a float first */
			out[(size_t)k * p->hw + i] = ref_activate((float)v, p->act);
		}
}

/* torch: x.view(g, c/g, h, w).transpose(0, 1): output (j, i) is input
 * (i, j), output channel j*g + i. */
int ref_shuffle_source(int c, int groups, int o)
{
	int i = o % groups, j = o / groups;
	return i * (c / groups) + j;
}

void ref_shuffle(int c, int hw, int groups, const float *in, double *out)
{
	for (int o = 0; o < c; o++)
		for (int i = 0; i < hw; i++)
			out[(size_t)o * hw + i] =
				in[(size_t)ref_shuffle_source(c, groups, o) * hw + i];
}

void ref_slice(int hw, int start, int count, const float *in, double *out)
{
	for (int k = 0; k < count; k++)
		for (int i = 0; i < hw; i++)
			out[(size_t)k * hw + i] = in[(size_t)(start + k) * hw + i];
}

void ref_layernorm(int c, int hw, float eps, const float *in,
		   const float *gamma, const float *beta, double *out)
{
	for (int i = 0; i < hw; i++) {
		double mean = 0, var = 0;
		for (int k = 0; k < c; k++)
			mean += in[(size_t)k * hw + i];
		mean /= c;
		for (int k = 0; k < c; k++) {
			double d = in[(size_t)k * hw + i] - mean;
			var += d * d;
		}
		double sd = sqrt(var / c + eps);
		for (int k = 0; k < c; k++)
			out[(size_t)k * hw + i] = (in[(size_t)k * hw + i] - mean) /
						  sd * gamma[k] + beta[k];
	}
}
