/*
 * The double-precision reference of reference.h. Plain loops over the
 * outputs; every index written out in full.
 */
#include <float.h>
#include <math.h>

#include "reference.h"

static double relu6(double x)
{
	return x < 0 ? 0 : x > 6 ? 6 : x;
}

double ref_activate(double x, enum tl_activation act)
{
	switch (act) {
	case TL_ACT_RELU:
		return x > 0 ? x : 0;
	case TL_ACT_RELU6:
		return relu6(x);
	case TL_ACT_LEAKY:
		return x > 0 ? x : 0.1 * x;
	case TL_ACT_LOGISTIC:
		return 1 / (1 + exp(-x));
	case TL_ACT_TANH:
		return tanh(x);
	case TL_ACT_HARDSWISH:
		return x * relu6(x + 3) / 6;
	case TL_ACT_HARDSIGMOID:	/* NaN to 0, as the kernel's relu6 */
		return x / 6 + 0.5 > 0 ? fmin(x / 6 + 0.5, 1) : 0;
	case TL_ACT_SILU:
		return x / (1 + exp(-x));
	case TL_ACT_GELU:	/* erfc: no cancellation below zero */
		return 0.5 * x * erfc(-x / sqrt(2));
	case TL_ACT_LINEAR:
	default:
		return x;
	}
}

static void store(double *out, double *mag, size_t i, double sum, double m,
		  enum tl_activation act)
{
	out[i] = ref_activate(sum, act);
	if (mag != NULL)
		mag[i] = m;
}

/* The columns' kernel size, stride and padding before the input: the
 * rows' when kw is 0 (tl_kernels.h). */
struct columns { int kw, sw, pad; };

static struct columns conv_columns(const struct tl_conv_params *p)
{
	return p->kw ? (struct columns){ p->kw, p->sw, p->pad_left }
		     : (struct columns){ p->size, p->stride, p->pad };
}

/* Output (f, oy, ox): filter f sees the c/groups input channels of its
 * group; taps outside the input (the padding) are zero. */
static void conv_one(const struct tl_conv_params *p, const float *in,
		     const float *weights, int f, int oy, int ox,
		     double *sum, double *m)
{
	int cg = p->c / p->groups, group = f / (p->filters / p->groups);
	struct columns x_ = conv_columns(p);
	for (int ci = 0; ci < cg; ci++)
		for (int ky = 0; ky < p->size; ky++)
			for (int kx = 0; kx < x_.kw; kx++) {
				int iy = oy * p->stride - p->pad + ky;
				int ix = ox * x_.sw - x_.pad + kx;
				if (iy < 0 || iy >= p->h || ix < 0 || ix >= p->w)
					continue;
				double x = in[((size_t)(group * cg + ci) * p->h + iy) * p->w + ix];
				double wt = weights[(((size_t)f * cg + ci) * p->size + ky) * x_.kw + kx];
				*sum += wt * x;
				*m += fabs(wt * x);
			}
}

void ref_conv(const struct tl_conv_params *p, const float *in,
	      const float *weights, const float *bias, double *out,
	      double *mag)
{
	for (int f = 0; f < p->filters; f++)
		for (int oy = 0; oy < p->out_h; oy++)
			for (int ox = 0; ox < p->out_w; ox++) {
				double sum = bias[f], m = fabs(bias[f]);
				conv_one(p, in, weights, f, oy, ox, &sum, &m);
				store(out, mag, ((size_t)f * p->out_h + oy) * p->out_w + ox,
				      sum, m, p->act);
			}
}

void ref_connected(const struct tl_connected_params *p, const float *in,
		   const float *weights, const float *bias, double *out,
		   double *mag)
{
	for (int o = 0; o < p->out; o++) {
		double sum = bias[o], m = fabs(bias[o]);
		for (int i = 0; i < p->in; i++) {
			double t = (double)weights[(size_t)o * p->in + i] * in[i];
			sum += t;
			m += fabs(t);
		}
		store(out, mag, (size_t)o, sum, m, p->act);
	}
}

/* Window of (oy, ox): rows oy*stride - padding/2 + [0, size), columns
 * ox*sw - padding_w/2 + [0, kw) (the rows' when kw is 0); positions
 * outside are skipped; an empty window gives -FLT_MAX, Darknet's
 * starting value. */
void ref_maxpool(const struct tl_pool_params *p, const float *in,
		 double *out)
{
	size_t o = 0;
	struct columns x_ = p->kw ? (struct columns){ p->kw, p->sw, p->padding_w }
				  : (struct columns){ p->size, p->stride, p->padding };
	for (int ch = 0; ch < p->c; ch++)
		for (int oy = 0; oy < p->out_h; oy++)
			for (int ox = 0; ox < p->out_w; ox++) {
				double m = -FLT_MAX;
				for (int dy = 0; dy < p->size; dy++)
					for (int dx = 0; dx < x_.kw; dx++) {
						int y = oy * p->stride - p->padding / 2 + dy;
						int x = ox * x_.sw - x_.pad / 2 + dx;
						if (y >= 0 && y < p->h && x >= 0 && x < p->w)
							m = fmax(m, in[((size_t)ch * p->h + y) * p->w + x]);
					}
				out[o++] = m;
			}
}

void ref_avgpool_global(int c, int h, int w, const float *in, double *out,
			double *mag)
{
	for (int ch = 0; ch < c; ch++) {
		double sum = 0, m = 0;
		for (int i = 0; i < h * w; i++) {
			sum += in[(size_t)ch * h * w + i];
			m += fabs(in[(size_t)ch * h * w + i]);
		}
		out[ch] = sum / (h * w);
		if (mag != NULL)
			mag[ch] = m / (h * w);
	}
}

void ref_softmax(const float *in, double *out, size_t n)
{
	double max = -INFINITY, sum = 0;
	for (size_t i = 0; i < n; i++)
		max = fmax(max, in[i]);
	for (size_t i = 0; i < n; i++)
		sum += exp(in[i] - max);
	for (size_t i = 0; i < n; i++)
		out[i] = exp(in[i] - max) / sum;
}

/* Output-driven: output pixel (k, y, x) takes a `from` term when k is a
 * channel both have and (y, x) is one of the pixels the shortcut writes:
 * every sample-th one (from smaller), reading from pixel
 * (y/sample*stride, x/sample*stride) (every stride-th when from is
 * larger), within the smaller of the two heights and widths. */
void ref_shortcut(const struct tl_shortcut_params *p, const float *prev,
		  const float *from, double *out, double *mag)
{
	int stride = p->from_w / p->w > 1 ? p->from_w / p->w : 1;
	int sample = p->w / p->from_w > 1 ? p->w / p->from_w : 1;
	int minh = p->h < p->from_h ? p->h : p->from_h;
	int minw = p->w < p->from_w ? p->w : p->from_w;
	for (int k = 0; k < p->c; k++)
		for (int y = 0; y < p->h; y++)
			for (int x = 0; x < p->w; x++) {
				size_t o = ((size_t)k * p->h + y) * p->w + x;
				double v = prev[o], m = fabs(v);
				int j = y / sample, i = x / sample;
				if (k < p->from_c && y % sample == 0 && x % sample == 0
				    && j < minh && i < minw) {
					double f = from[((size_t)k * p->from_h + j * stride)
							* p->from_w + i * stride];
					v = (double)p->alpha * v + (double)p->beta * f;
					m = fabs((double)p->alpha * prev[o])
						+ fabs((double)p->beta * f);
				}
				store(out, mag, o, v, m, p->act);
			}
}

void ref_upsample(int c, int h, int w, int stride, float scale,
		  const float *in, double *out)
{
	int oh = h * stride, ow = w * stride;
	for (int ch = 0; ch < c; ch++)
		for (int y = 0; y < oh; y++)
			for (int x = 0; x < ow; x++)
				out[((size_t)ch * oh + y) * ow + x] = (double)scale
					* in[((size_t)ch * h + y / stride) * w + x / stride];
}

void ref_crop(const struct tl_crop_params *p, const float *in, double *out,
	      double *mag)
{
	int dh = (p->h - p->out_h) / 2, dw = (p->w - p->out_w) / 2;
	for (int ch = 0; ch < p->c; ch++)
		for (int y = 0; y < p->out_h; y++)
			for (int x = 0; x < p->out_w; x++) {
				size_t o = ((size_t)ch * p->out_h + y) * p->out_w + x;
				double v = in[((size_t)ch * p->h + y + dh) * p->w + x + dw];
				out[o] = v * p->scale + p->trans;
				if (mag != NULL)
					mag[o] = fabs(v * p->scale) + fabs((double)p->trans);
			}
}

/* Darknet's region softmax of class entry `entry` at pixel o of an
 * anchor whose classes (entries 5 .. per-1) start at `classes`, one
 * plane apart: exp(v - max) / sum of exp(v_j - max) over the cell. */
static double class_softmax(const float *classes, int n, size_t plane,
			    int entry, size_t o)
{
	double max = -INFINITY, sum = 0;
	for (int j = 0; j < n; j++)
		max = fmax(max, classes[j * plane + o]);
	for (int j = 0; j < n; j++)
		sum += exp(classes[j * plane + o] - max);
	return exp(classes[(size_t)(entry - 5) * plane + o] - max) / sum;
}

/* Channel ch is entry ch % (c/anchors) of its anchor: 2 and 3 (w, h)
 * stay raw, x, y and objectness take the logistic, the classes too, or
 * with softmax (Darknet's [region] softmax=1) a softmax over their
 * cell's classes. */
void ref_yolo(int c, int h, int w, int anchors, int softmax,
	      const float *in, double *out)
{
	int per = c / anchors;
	size_t plane = (size_t)h * w;
	for (int ch = 0; ch < c; ch++)
		for (size_t i = 0; i < plane; i++) {
			size_t o = (size_t)ch * plane + i;
			int entry = ch % per;
			const float *classes = in + ((size_t)(ch / per) * per + 5) * plane;
			if (entry == 2 || entry == 3)
				out[o] = in[o];
			else if (entry >= 5 && softmax)
				out[o] = class_softmax(classes, per - 5, plane,
						       entry, i);
			else
				out[o] = ref_activate(in[o], TL_ACT_LOGISTIC);
		}
}
