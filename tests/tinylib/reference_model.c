/*
 * A whole model run with the double-precision reference kernels: each
 * layer computed in double from float inputs, its result rounded to float
 * as the engine stores it. What remains between this and tl_run is the
 * engine's own summation error, layer by layer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "reference_layers.h"
#include "reference_model.h"

struct ref_run {
	const struct tl_model *m;
	float **act;     /* one buffer per tensor id (activations only) */
	double *tmp;     /* the largest layer output, in double */
};

static const float *param(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t.data;
}

static struct tl_tensor tensor(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t;
}

/* Format 1.1's layers into r->tmp. */
static void compute_1_1(struct ref_run *r, const struct tl_layer *l)
{
	struct tl_tensor in = tensor(r->m, l->inputs[0]), out = tensor(r->m, l->output);
	const float *x = r->act[l->inputs[0]];
	const int32_t *p = l->params;
	int hw = (int)(in.h * in.w);
	if (l->type == TL_LAYER_ELTWISE) {
		int two = l->n_inputs == 2;
		struct tl_tensor b = tensor(r->m, two ? l->inputs[1] : l->weights);
		struct tl_eltwise_params e = { (int)in.c, hw, (int)b.c,
			(int)(b.h * b.w), (enum tl_eltwise_op)p[0], p[1],
			l->activation };
		ref_eltwise(&e, x, two ? r->act[l->inputs[1]] : b.data, r->tmp);
	} else if (l->type == TL_LAYER_SHUFFLE) {
		ref_shuffle((int)in.c, hw, p[0], x, r->tmp);
	} else if (l->type == TL_LAYER_SLICE) {
		ref_slice(hw, p[0], (int)out.c, x, r->tmp);
	} else {
		ref_layernorm((int)in.c, hw, tl_param_float(p[0]), x,
			      param(r->m, l->weights), param(r->m, l->bias), r->tmp);
	}
}

/* Computes one layer into r->tmp; returns 0 when the layer is a copy
 * that already wrote its float output. */
static int compute(struct ref_run *r, const struct tl_layer *l)
{
	struct tl_tensor in = tensor(r->m, l->inputs[0]), out = tensor(r->m, l->output);
	const float *x = r->act[l->inputs[0]];
	const int32_t *p = l->params;
	switch (l->type) {
	case TL_LAYER_CONV: {
		struct tl_geometry g;
		tl_layer_geometry(l, &g);
		struct tl_conv_params c = { (int)in.c, (int)in.h, (int)in.w,
			(int)out.c, (int)g.kh, (int)g.sh, (int)g.top, p[3],
			(int)out.h, (int)out.w, l->activation, (int)g.kw,
			(int)g.sw, (int)g.left, 0 };
		ref_conv(&c, x, param(r->m, l->weights), param(r->m, l->bias),
			 r->tmp, NULL);
		return 1;
	}
	case TL_LAYER_CONNECTED: {
		struct tl_connected_params c = { (int)in.elements,
						 (int)out.elements, l->activation };
		ref_connected(&c, x, param(r->m, l->weights),
			      param(r->m, l->bias), r->tmp, NULL);
		return 1;
	}
	case TL_LAYER_MAXPOOL: {
		struct tl_geometry g;
		tl_layer_geometry(l, &g);
		struct tl_pool_params c = { (int)in.c, (int)in.h, (int)in.w,
			(int)g.kh, (int)g.sh, (int)g.pad_h, (int)out.h, (int)out.w,
			(int)g.kw, (int)g.sw, (int)g.pad_w };
		ref_maxpool(&c, x, r->tmp);
		return 1;
	}
	case TL_LAYER_AVGPOOL:
		ref_avgpool_global((int)in.c, (int)in.h, (int)in.w, x, r->tmp, NULL);
		return 1;
	case TL_LAYER_SOFTMAX:
		ref_softmax(x, r->tmp, in.elements);
		return 1;
	case TL_LAYER_SHORTCUT: {
		struct tl_tensor f = tensor(r->m, l->inputs[1]);
		struct tl_shortcut_params c = { (int)out.c, (int)out.h, (int)out.w,
			(int)f.c, (int)f.h, (int)f.w, tl_param_float(p[0]),
			tl_param_float(p[1]), l->activation };
		ref_shortcut(&c, x, r->act[l->inputs[1]], r->tmp, NULL);
		return 1;
	}
	case TL_LAYER_UPSAMPLE:
		ref_upsample((int)in.c, (int)in.h, (int)in.w, p[0],
			     tl_param_float(p[1]), x, r->tmp);
		return 1;
	case TL_LAYER_CROP: {
		struct tl_crop_params c = { (int)in.c, (int)in.h, (int)in.w,
			(int)out.h, (int)out.w, tl_param_float(p[0]),
			tl_param_float(p[1]) };
		ref_crop(&c, x, r->tmp, NULL);
		return 1;
	}
	case TL_LAYER_YOLO:
		ref_yolo((int)in.c, (int)in.h, (int)in.w, p[0], p[1], x, r->tmp);
		return 1;
	case TL_LAYER_ACTIVATION:
		for (size_t i = 0; i < in.elements; i++)
			r->tmp[i] = ref_activate(x[i], l->activation);
		return 1;
	case TL_LAYER_ROUTE: {
		float *o = r->act[l->output];
		for (int i = 0; i < l->n_inputs; i++) {
			size_t n = tensor(r->m, l->inputs[i]).elements;
			memcpy(o, r->act[l->inputs[i]], n * sizeof *o);
			o += n;
		}
		return 0;
	}
	case TL_LAYER_ELTWISE:
	case TL_LAYER_SHUFFLE:
	case TL_LAYER_SLICE:
	case TL_LAYER_LAYERNORM:
		compute_1_1(r, l);
		return 1;
	default: /* dropout */
		memcpy(r->act[l->output], x, in.elements * sizeof(float));
		return 0;
	}
}

float *reference_run(const struct tl_model *m, const float *input)
{
	struct ref_run r = { m, calloc(m->tensor_count, sizeof(float *)), NULL };
	size_t largest = 0;
	for (uint32_t id = 0; id < m->tensor_count; id++) {
		struct tl_tensor t = tensor(m, id);
		if (t.kind != TL_TENSOR_ACTIVATION)
			continue;
		r.act[id] = malloc(t.elements * sizeof(float));
		largest = t.elements > largest ? t.elements : largest;
	}
	r.tmp = malloc(largest * sizeof(double));
	memcpy(r.act[m->input], input, tensor(m, m->input).elements * sizeof(float));
	for (uint32_t i = 0; i < m->layer_count; i++) {
		struct tl_layer l;
		tl_model_layer(m, i, &l);
		if (compute(&r, &l))
			for (size_t k = 0; k < tensor(m, l.output).elements; k++)
				r.act[l.output][k] = (float)r.tmp[k];
	}
	size_t n = tensor(m, m->output).elements;
	float *output = malloc(n * sizeof *output);
	memcpy(output, r.act[m->output], n * sizeof *output);
	for (uint32_t id = 0; id < m->tensor_count; id++)
		free(r.act[id]);
	free(r.act);
	free(r.tmp);
	return output;
}

double relative_error(const float *a, const float *b, size_t n)
{
	double diff = 0, scale = 1e-30;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(a[i]))
			return INFINITY;
		diff = fmax(diff, fabs((double)a[i] - b[i]));
		scale = fmax(scale, fabs((double)b[i]));
	}
	return diff / scale;
}
