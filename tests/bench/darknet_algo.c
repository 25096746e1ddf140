/* Darknet's algorithm (darknet_algo.h). Built with Darknet's own
 * optimisation flags, -Ofast (its Makefile's OPTS), so that GCC treats
 * these loops as it treats Darknet's (tests/bench/module.mk). */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "darknet_algo.h"

/* What one convolution or pooling layer works on. */
struct shape {
	int c, h, w, out_c, out_h, out_w;
	struct tl_geometry g;
};

static struct shape shape_of(const struct tl_model *m, const struct tl_layer *l)
{
	struct tl_tensor in, out;
	tl_model_tensor(m, l->inputs[0], &in);
	tl_model_tensor(m, l->output, &out);
	struct shape s = { (int)in.c, (int)in.h, (int)in.w, (int)out.c,
			   (int)out.h, (int)out.w, { 0 } };
	if (l->type == TL_LAYER_CONV || l->type == TL_LAYER_MAXPOOL)
		tl_layer_geometry(l, &s.g);
	return s;
}

/* A 1x1 stride-1 convolution without padding reads its input as the
 * im2col matrix (Darknet: "if (l.size == 1) b = im"). */
static int reads_input(const struct shape *s)
{
	return s->g.kh == 1 && s->g.kw == 1 && s->g.sh == 1 && s->g.sw == 1 &&
	       s->out_h == s->h && s->out_w == s->w;
}

static size_t im2col_floats(const struct tl_layer *l, const struct shape *s)
{
	if (l->type != TL_LAYER_CONV || reads_input(s))
		return 0;
	return (size_t)(s->c / l->params[3]) * s->g.kh * s->g.kw *
	       (size_t)s->out_h * s->out_w;
}

/* Row r = (ch, dy, dx) of the matrix holds, at column (oy, ox), input
 * pixel (oy*sh - top + dy, ox*sw - left + dx) of channel ch, 0 outside:
 * Darknet's im2col_cpu, with a kernel, stride and padding per axis. */
static void im2col(const float *im, int channels, const struct shape *s,
		   float *col)
{
	const struct tl_geometry *g = &s->g;
	int rows = channels * (int)g->kh * (int)g->kw;
	for (int r = 0; r < rows; r++) {
		int dx = r % (int)g->kw, dy = r / (int)g->kw % (int)g->kh;
		int ch = r / (int)g->kw / (int)g->kh;
		for (int oy = 0; oy < s->out_h; oy++)
			for (int ox = 0; ox < s->out_w; ox++) {
				int y = oy * (int)g->sh - (int)g->top + dy;
				int x = ox * (int)g->sw - (int)g->left + dx;
				int inside = y >= 0 && y < s->h && x >= 0 && x < s->w;
				col[((size_t)r * s->out_h + oy) * s->out_w + ox] =
					inside ? im[((size_t)ch * s->h + y) * s->w + x] : 0;
			}
	}
}

/* C[m][n] += A[m][k] B[k][n], in Darknet's gemm_nn order: row i of C,
 * then each k, then the whole row, which the compiler vectorises. */
static void gemm_nn(int m, int n, int k, const float *a, const float *b,
		    float *c)
{
	for (int i = 0; i < m; i++)
		for (int p = 0; p < k; p++) {
			float a_ip = a[(size_t)i * k + p];
			const float *brow = b + (size_t)p * n;
			float *crow = c + (size_t)i * n;
			for (int j = 0; j < n; j++)
				crow[j] += a_ip * brow[j];
		}
}

/* out[j] += dot(in, weights row j): Darknet's gemm_nt at batch 1. */
static void gemm_nt(int outputs, int inputs, const float *in,
		    const float *weights, float *out)
{
	for (int j = 0; j < outputs; j++) {
		float sum = 0;
		for (int p = 0; p < inputs; p++)
			sum += in[p] * weights[(size_t)j * inputs + p];
		out[j] += sum;
	}
}

/* Darknet's add_bias: a pass over each filter's plane. */
static void add_bias(float *out, const float *bias, int filters, size_t plane)
{
	for (int f = 0; f < filters; f++)
		for (size_t i = 0; i < plane; i++)
			out[(size_t)f * plane + i] += bias[f];
}

static const float *param(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t.data;
}

static void conv(const struct darknet_net *net, const struct tl_layer *l)
{
	struct shape s = shape_of(net->m, l);
	int groups = l->params[3];
	int fm = s.out_c / groups, cg = s.c / groups;
	int k = cg * (int)s.g.kh * (int)s.g.kw, n = s.out_h * s.out_w;
	const float *in = net->out[l->inputs[0]], *w = param(net->m, l->weights);
	float *out = net->out[l->output];
	memset(out, 0, (size_t)s.out_c * n * sizeof *out);
	for (int g = 0; g < groups; g++) {
		const float *im = in + (size_t)g * cg * s.h * s.w, *b = im;
		if (!reads_input(&s)) {
			im2col(im, cg, &s, net->workspace);
			b = net->workspace;
		}
		gemm_nn(fm, n, k, w + (size_t)g * fm * k, b,
			out + (size_t)g * fm * n);
	}
	add_bias(out, param(net->m, l->bias), s.out_c, (size_t)n);
	tl_activate(out, (size_t)s.out_c * n, l->activation);
}

static void connected(const struct darknet_net *net, const struct tl_layer *l)
{
	struct tl_tensor in, out;
	tl_model_tensor(net->m, l->inputs[0], &in);
	tl_model_tensor(net->m, l->output, &out);
	float *y = net->out[l->output];
	memset(y, 0, out.elements * sizeof *y);
	gemm_nt((int)out.elements, (int)in.elements, net->out[l->inputs[0]],
		param(net->m, l->weights), y);
	add_bias(y, param(net->m, l->bias), (int)out.elements, 1);
	tl_activate(y, out.elements, l->activation);
}

/* Darknet's forward_maxpool_layer: each output's window, -FLT_MAX where
 * it lies outside the input, the first of equal values kept. */
static void maxpool(const struct darknet_net *net, const struct tl_layer *l)
{
	struct shape s = shape_of(net->m, l);
	const float *in = net->out[l->inputs[0]];
	float *out = net->out[l->output];
	for (int ch = 0; ch < s.c; ch++)
		for (int oy = 0; oy < s.out_h; oy++)
			for (int ox = 0; ox < s.out_w; ox++) {
				float max = -FLT_MAX;
				for (int dy = 0; dy < (int)s.g.kh; dy++)
					for (int dx = 0; dx < (int)s.g.kw; dx++) {
						int y = oy * (int)s.g.sh - (int)s.g.top + dy;
						int x = ox * (int)s.g.sw - (int)s.g.left + dx;
						int inside = y >= 0 && y < s.h && x >= 0 &&
							     x < s.w;
						float v = inside ? in[((size_t)ch * s.h + y) *
								      s.w + x] : -FLT_MAX;
						max = v > max ? v : max;
					}
				out[((size_t)ch * s.out_h + oy) * s.out_w + ox] = max;
			}
}

/* The layers Darknet's own code would not make faster here, with
 * S-Tinylib's kernels (run.c's calls). */
static void other(const struct darknet_net *net, const struct tl_layer *l)
{
	struct tl_tensor in, out;
	tl_model_tensor(net->m, l->inputs[0], &in);
	tl_model_tensor(net->m, l->output, &out);
	const float *x = net->out[l->inputs[0]];
	float *y = net->out[l->output];
	switch (l->type) {
	case TL_LAYER_AVGPOOL:
		tl_avgpool_global(TL_MODE_STRICT, (int)in.c, (int)in.h,
				  (int)in.w, x, y);
		break;
	case TL_LAYER_SOFTMAX:
		tl_softmax(x, y, in.elements);
		break;
	case TL_LAYER_SHORTCUT: {
		struct tl_tensor from;
		tl_model_tensor(net->m, l->inputs[1], &from);
		struct tl_shortcut_params p = {
			(int)out.c, (int)out.h, (int)out.w, (int)from.c,
			(int)from.h, (int)from.w, tl_param_float(l->params[0]),
			tl_param_float(l->params[1]), l->activation };
		tl_shortcut(&p, x, net->out[l->inputs[1]], y);
		break;
	}
	case TL_LAYER_ROUTE:
		for (int i = 0; i < l->n_inputs; i++) {
			struct tl_tensor t;
			tl_model_tensor(net->m, l->inputs[i], &t);
			memcpy(y, net->out[l->inputs[i]], t.elements * sizeof *y);
			y += t.elements;
		}
		break;
	case TL_LAYER_UPSAMPLE:
		tl_upsample((int)in.c, (int)in.h, (int)in.w, l->params[0],
			    tl_param_float(l->params[1]), x, y);
		break;
	case TL_LAYER_YOLO:
		tl_yolo(TL_MODE_STRICT, (int)in.c, (int)in.h, (int)in.w, l->params[0],
			l->params[1], x, y);
		break;
	default:	/* dropout and activation: a copy, then the activation */
		memcpy(y, x, in.elements * sizeof *y);
		tl_activate(y, in.elements, l->activation);
		break;
	}
}

static const char *not_covered(enum tl_layer_type t)
{
	switch (t) {
	case TL_LAYER_CROP: return "crop";
	case TL_LAYER_ELTWISE: return "eltwise";
	case TL_LAYER_SHUFFLE: return "shuffle";
	case TL_LAYER_SLICE: return "slice";
	case TL_LAYER_LAYERNORM: return "layernorm";
	default: return NULL;
	}
}

int darknet_open(const struct tl_model *m, struct darknet_net *net,
		 char *err, size_t err_len)
{
	memset(net, 0, sizeof *net);
	net->m = m;
	net->out = calloc(m->tensor_count, sizeof *net->out);
	size_t ws = 0;
	struct tl_tensor t;
	tl_model_tensor(m, m->input, &t);
	int ok = net->out != NULL &&
		 (net->out[m->input] = malloc(t.elements * sizeof(float))) != NULL;
	for (uint32_t i = 0; ok && i < m->layer_count; i++) {
		struct tl_layer l;
		tl_model_layer(m, i, &l);
		if (not_covered(l.type)) {
			snprintf(err, err_len, "layer %u (%s): not covered by the "
				 "Darknet engine (tests/bench/darknet_algo.h)",
				 i, not_covered(l.type));
			darknet_close(net);
			return -1;
		}
		struct shape s = shape_of(m, &l);
		size_t col = im2col_floats(&l, &s);
		ws = col > ws ? col : ws;
		tl_model_tensor(m, l.output, &t);
		ok = (net->out[l.output] = malloc(t.elements * sizeof(float))) != NULL;
		net->bytes += t.elements * sizeof(float);
	}
	if (ok && ws > 0)
		ok = (net->workspace = malloc(ws * sizeof(float))) != NULL;
	net->bytes += ws * sizeof(float);
	if (!ok) {
		snprintf(err, err_len, "out of memory");
		darknet_close(net);
		return -1;
	}
	return 0;
}

void darknet_run(const struct darknet_net *net, const float *input,
		 float *output)
{
	const struct tl_model *m = net->m;
	memcpy(net->out[m->input], input,
	       tl_model_input_elements(m) * sizeof(float));
	for (uint32_t i = 0; i < m->layer_count; i++) {
		struct tl_layer l;
		tl_model_layer(m, i, &l);
		if (l.type == TL_LAYER_CONV)
			conv(net, &l);
		else if (l.type == TL_LAYER_CONNECTED)
			connected(net, &l);
		else if (l.type == TL_LAYER_MAXPOOL)
			maxpool(net, &l);
		else
			other(net, &l);
	}
	memcpy(output, net->out[m->output],
	       tl_model_output_elements(m) * sizeof(float));
}

void darknet_close(struct darknet_net *net)
{
	if (net->out)
		for (uint32_t i = 0; i < net->m->tensor_count; i++)
			free(net->out[i]);
	free(net->out);
	free(net->workspace);
	memset(net, 0, sizeof *net);
}
