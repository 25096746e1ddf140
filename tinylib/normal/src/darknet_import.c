/* Darknet to .tlm: see tl_darknet_import.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_darknet_import.h"
#include "tl_tlm_builder.h"
#include "darknet_internal.h"

struct importer {
	const struct tl_darknet_cfg *cfg;
	const struct tl_darknet_net *net;
	const float *weights;     /* Darknet order, consumed front to back */
	struct tl_tlm_builder b;
	uint32_t *outputs;        /* tensor id of each Darknet layer's output */
	uint32_t input;
	char *err;
	size_t err_len;
};

static int fail_layer(struct importer *im, const struct tl_darknet_layer *l,
		      const char *what)
{
	return tl_darknet_fail(im->err, im->err_len, TL_DARKNET_E_VALUE,
			       im->cfg->file_name, l->line, "[%s] %s",
			       tl_darknet_layer_name(l->type), what);
}

static int map_activation(enum tl_darknet_activation a, enum tl_activation *out)
{
	switch (a) {
	case TL_DN_LINEAR: *out = TL_ACT_LINEAR; return 0;
	case TL_DN_RELU: *out = TL_ACT_RELU; return 0;
	case TL_DN_LEAKY: *out = TL_ACT_LEAKY; return 0;
	case TL_DN_LOGISTIC: *out = TL_ACT_LOGISTIC; return 0;
	case TL_DN_TANH: *out = TL_ACT_TANH; return 0;
	default: return -1;
	}
}

/* The tensor a layer reads: the previous layer's output. */
static uint32_t previous_output(const struct importer *im, size_t index)
{
	return index == 0 ? im->input : im->outputs[index - 1];
}

/*
 * Folds Darknet's batch normalisation, y = scale (x - mean) /
 * (sqrt(var) + 1e-6) + bias, into weights[n][per_filter] and bias[n],
 * in double so the fold adds no error of its own beyond the final rounding.
 */
static void fold_batchnorm(float *weights, float *bias, size_t n,
			   size_t per_filter, const float *scales,
			   const float *mean, const float *var)
{
	for (size_t f = 0; f < n; f++) {
		double k = scales[f] / (sqrt((double)var[f]) + 0.000001);
		for (size_t i = 0; i < per_filter; i++)
			weights[f * per_filter + i] = (float)(weights[f * per_filter + i] * k);
		bias[f] = (float)(bias[f] - mean[f] * k);
	}
}

/* The most elements a .tlm tensor holds: c*h*w*4 bytes fit 32 bits
 * (docs/model-format.md). Darknet lets an output reach INT_MAX. */
#define TLM_ELEMENTS_MAX ((uint64_t)UINT32_MAX / sizeof(float))

/* A tensor of elements values: one the .tlm holds, or the layer's
 * refusal naming what does not fit. */
static int tensor_fits(struct importer *im, const char *section, int line,
		       const char *what, uint64_t elements)
{
	if (elements <= TLM_ELEMENTS_MAX)
		return 0;
	return tl_darknet_fail(im->err, im->err_len, TL_DARKNET_E_SHAPE,
			       im->cfg->file_name, line, "[%s] %s of %llu "
			       "floats: a .tlm tensor holds at most %llu",
			       section, what, (unsigned long long)elements,
			       (unsigned long long)TLM_ELEMENTS_MAX);
}

static uint64_t elements_of(struct tl_darknet_shape s)
{
	return (uint64_t)s.c * (uint64_t)s.h * (uint64_t)s.w;
}

/* Reads a conv or connected layer's arrays in Darknet's order, folds, and
 * adds the weight and bias tensors. */
static int add_parameters(struct importer *im, const struct tl_darknet_layer *l,
			  size_t n, size_t per_filter, struct tl_layer *out)
{
	size_t total = n * per_filter;
	if (tensor_fits(im, tl_darknet_layer_name(l->type), l->line, "weights",
			total))
		return TL_DARKNET_E_SHAPE;
	const float *biases = im->weights, *bn = biases + n, *kernel = bn;
	if (l->batch_normalize && l->type == TL_DN_CONNECTED)
		bn = biases + n + total;  /* connected: BN arrays come last */
	else if (l->batch_normalize)
		kernel = bn + 3 * n;
	float *w = malloc(total * sizeof *w), *b = malloc(n * sizeof *b);
	if (w == NULL || b == NULL) {
		free(w);
		free(b);
		return fail_layer(im, l, "out of memory");
	}
	memcpy(w, kernel, total * sizeof *w);
	memcpy(b, biases, n * sizeof *b);
	if (l->batch_normalize)
		fold_batchnorm(w, b, n, per_filter, bn, bn + n, bn + 2 * n);
	out->weights = tl_tlm_add_parameter(&im->b, w, (uint32_t)n, 1,
					    (uint32_t)per_filter);
	out->bias = tl_tlm_add_parameter(&im->b, b, (uint32_t)n, 1, 1);
	free(w);
	free(b);
	im->weights += l->params;
	return 0;
}

static int emit_conv(struct importer *im, const struct tl_darknet_layer *l,
		     struct tl_layer *t)
{
	t->type = TL_LAYER_CONV;
	t->params[0] = l->size;
	t->params[1] = l->stride;
	t->params[2] = l->padding;
	t->params[3] = l->groups;
	size_t per_filter = (size_t)(l->in.c / l->groups) * l->size * l->size;
	return add_parameters(im, l, (size_t)l->filters, per_filter, t);
}

static int emit_connected(struct importer *im, const struct tl_darknet_layer *l,
			  struct tl_layer *t)
{
	t->type = TL_LAYER_CONNECTED;
	size_t in = (size_t)l->in.c * l->in.h * l->in.w;
	return add_parameters(im, l, (size_t)l->filters, in, t);
}

/* Darknet's crop maps [0,1] pixels to [-1,1] unless noadjust is set. */
static void crop_params(const struct importer *im, size_t index,
			struct tl_layer *t)
{
	const struct tl_darknet_section *sec = &im->cfg->sections[index + 1];
	const struct tl_darknet_option *o = tl_darknet_find(sec, "noadjust");
	int noadjust = o != NULL && atoi(o->value) != 0;
	t->params[0] = tl_tlm_float_param(noadjust ? 1.0f : 2.0f);
	t->params[1] = tl_tlm_float_param(noadjust ? 0.0f : -1.0f);
}

/* S-Tinylib's shortcut rule (docs/model-format.md): the second input
 * larger or smaller than the first by one whole factor in both
 * directions. */
static int whole_multiples(struct tl_darknet_shape a, struct tl_darknet_shape b)
{
	return (a.w % b.w == 0 && a.h % b.h == 0 && a.w / b.w == a.h / b.h) ||
	       (b.w % a.w == 0 && b.h % a.h == 0 && b.w / a.w == b.h / a.h);
}

/* Layers without parameters: their settings and inputs. */
static int emit_plain(struct importer *im, size_t index,
		      const struct tl_darknet_layer *l, struct tl_layer *t)
{
	switch (l->type) {
	case TL_DN_MAXPOOL:
		t->type = TL_LAYER_MAXPOOL;
		t->params[0] = l->size;
		t->params[1] = l->stride;
		t->params[2] = l->padding;
		return 0;
	case TL_DN_AVGPOOL: t->type = TL_LAYER_AVGPOOL; return 0;
	case TL_DN_SOFTMAX: t->type = TL_LAYER_SOFTMAX; return 0;
	case TL_DN_DROPOUT: t->type = TL_LAYER_DROPOUT; return 0;
	case TL_DN_SHORTCUT:
		if (!whole_multiples(l->in, im->net->layers[l->from].out))
			return tl_darknet_fail(im->err, im->err_len,
				TL_DARKNET_E_SHAPE, im->cfg->file_name, l->line,
				"[shortcut] layer %d is %dx%d, the previous "
				"layer %dx%d: S-Tinylib adds sizes that are "
				"whole multiples of each other (Darknet samples "
				"other ratios)", l->from,
				im->net->layers[l->from].out.w,
				im->net->layers[l->from].out.h, l->in.w,
				l->in.h);
		t->type = TL_LAYER_SHORTCUT;
		t->inputs[1] = im->outputs[l->from];
		t->params[0] = tl_tlm_float_param(l->alpha);
		t->params[1] = tl_tlm_float_param(l->beta);
		return 0;
	case TL_DN_ROUTE:
		if (l->n_route > TL_MAX_INPUTS)
			return fail_layer(im, l, "routes more than 4 layers");
		t->type = TL_LAYER_ROUTE;
		for (int i = 0; i < l->n_route; i++)
			t->inputs[i] = im->outputs[l->route[i]];
		return 0;
	case TL_DN_UPSAMPLE:
		t->type = TL_LAYER_UPSAMPLE;
		t->params[0] = l->stride;
		t->params[1] = tl_tlm_float_param(l->scale);
		return 0;
	case TL_DN_YOLO:
	case TL_DN_REGION:
		t->type = TL_LAYER_YOLO;
		t->params[0] = l->anchors;
		t->params[1] = l->softmax;	/* format 1.1 when set */
		return 0;
	case TL_DN_CROP:
		t->type = TL_LAYER_CROP;
		crop_params(im, index, t);
		return 0;
	default:
		return fail_layer(im, l, "has no S-Tinylib equivalent");
	}
}

static int has_activation(enum tl_darknet_layer_type type)
{
	return type == TL_DN_CONVOLUTIONAL || type == TL_DN_DEPTHWISE ||
	       type == TL_DN_CONNECTED || type == TL_DN_SHORTCUT;
}

static int emit_layer(struct importer *im, size_t index)
{
	const struct tl_darknet_layer *l = &im->net->layers[index];
	if (l->type == TL_DN_COST) { /* no output of its own at inference */
		im->outputs[index] = previous_output(im, index);
		return 0;
	}
	if (tensor_fits(im, tl_darknet_layer_name(l->type), l->line, "output",
			elements_of(l->out)))
		return TL_DARKNET_E_SHAPE;
	enum tl_activation act = TL_ACT_LINEAR;
	if (has_activation(l->type) && map_activation(l->activation, &act))
		return fail_layer(im, l, "activation not supported by S-Tinylib "
				  "(linear, relu, leaky, logistic, tanh)");
	im->outputs[index] = tl_tlm_add_activation(&im->b, (uint32_t)l->out.c,
						   (uint32_t)l->out.h,
						   (uint32_t)l->out.w);
	struct tl_layer t = tl_tlm_layer(TL_LAYER_DROPOUT, act, im->outputs[index]);
	t.inputs[0] = previous_output(im, index);
	int status;
	if (l->type == TL_DN_CONVOLUTIONAL || l->type == TL_DN_DEPTHWISE)
		status = emit_conv(im, l, &t);
	else if (l->type == TL_DN_CONNECTED)
		status = emit_connected(im, l, &t);
	else
		status = emit_plain(im, index, l, &t);
	if (status == 0 && tl_tlm_add_layer(&im->b, &t))
		status = fail_layer(im, l, "out of memory");
	return status;
}

int tl_darknet_to_tlm(const struct tl_darknet_cfg *cfg,
		      const struct tl_darknet_net *net, const float *weights,
		      uint8_t **blob, size_t *size, char *err, size_t err_len)
{
	struct importer im = { cfg, net, weights, { 0 }, NULL, 0, err, err_len };
	int status = 0;
	tl_tlm_builder_init(&im.b);
	im.outputs = calloc(net->n_layers ? net->n_layers : 1, sizeof *im.outputs);
	im.input = tl_tlm_add_activation(&im.b, (uint32_t)net->input.c,
					 (uint32_t)net->input.h,
					 (uint32_t)net->input.w);
	if (im.outputs == NULL || net->n_layers == 0)
		status = tl_darknet_fail(err, err_len, TL_DARKNET_E_MISSING,
					 cfg->file_name, 0, "no layers");
	else
		status = tensor_fits(&im, cfg->sections[0].type,
				     cfg->sections[0].line, "input",
				     elements_of(net->input));
	for (size_t i = 0; status == 0 && i < net->n_layers; i++)
		status = emit_layer(&im, i);
	if (status == 0) {
		tl_tlm_set_io(&im.b, im.input, im.outputs[net->n_layers - 1]);
		if (tl_tlm_finish(&im.b, blob, size))
			status = tl_darknet_fail(err, err_len, TL_DARKNET_E_NOMEM,
						 cfg->file_name, 0,
						 "cannot write the .tlm");
	}
	free(im.outputs);
	tl_tlm_builder_free(&im.b);
	return status;
}
