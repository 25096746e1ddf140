/*
 * Drawing a valid model (model_gen.h): the input, then layer after layer
 * a type and the earlier activations it reads, with parameters drawn
 * until the format's rules and the model's budgets hold, then the
 * output and the file's layout. Every shape rule here is the format's
 * (docs/model-format.md), written again from the page.
 */
#include <stdlib.h>
#include <string.h>

#include "gen_random.h"
#include "model_gen.h"

/* What one model is drawn within. */
struct draw {
	struct gen_rng r;
	struct gen_model *m;
	size_t cap;
	uint64_t weights_left;	/* floats */
	uint64_t act_max;	/* elements of one activation */
	uint64_t macs_left;
};

/* The layer types, each as often as its weight here: the types that
 * change shapes or need partners a little more often, so that deep
 * graphs keep meeting them. */
static const struct { enum tl_layer_type type; unsigned weight; } types[] = {
	{ TL_LAYER_CONV, 6 }, { TL_LAYER_CONNECTED, 3 },
	{ TL_LAYER_MAXPOOL, 3 }, { TL_LAYER_AVGPOOL, 1 },
	{ TL_LAYER_SOFTMAX, 1 }, { TL_LAYER_SHORTCUT, 4 },
	{ TL_LAYER_ROUTE, 3 }, { TL_LAYER_UPSAMPLE, 2 },
	{ TL_LAYER_DROPOUT, 1 }, { TL_LAYER_CROP, 2 },
	{ TL_LAYER_YOLO, 2 }, { TL_LAYER_ACTIVATION, 2 },
	/* format 1.1 */
	{ TL_LAYER_ELTWISE, 2 }, { TL_LAYER_SHUFFLE, 1 },
	{ TL_LAYER_SLICE, 1 }, { TL_LAYER_LAYERNORM, 1 },
};

uint64_t gen_elements(struct gen_shape s)
{
	return (uint64_t)s.c * s.h * s.w;
}

struct gen_shape gen_model_act(const struct gen_model *m, int a)
{
	return a == 0 ? m->input : m->layers[a - 1].out;
}

static int32_t float_bits(float f)
{
	int32_t i;
	memcpy(&i, &f, sizeof i);
	return i;
}

/* A float parameter: mostly the plain values, sometimes any in
 * [-2, 2). */
static float draw_scalar(struct gen_rng *r)
{
	static const float plain[] = { 1.0f, 1.0f, 0.5f, -1.0f, 2.0f, 0.0f };
	return gen_chance(r, 70) ? plain[gen_below(r, 6)]
				 : gen_float(r, -2.0f, 2.0f);
}

/* A divisor of n (n >= 1) drawn uniformly among those d with
 * n / d >= min_quotient; 0 when there is none. */
static uint32_t draw_divisor(struct gen_rng *r, uint32_t n,
			     uint32_t min_quotient)
{
	uint32_t count = 0;
	for (uint32_t d = 1; d <= n && d <= 4096; d++)
		count += n % d == 0 && n / d >= min_quotient;
	if (!count)
		return 0;
	uint32_t k = gen_below(r, count);
	for (uint32_t d = 1; d <= n; d++)
		if (n % d == 0 && n / d >= min_quotient && k-- == 0)
			return d;
	return 0;
}

/* Whether an output of these elements, weights and multiply-adds fits
 * what is left. */
static int fits(const struct draw *d, struct gen_shape out, uint64_t weights,
		uint64_t macs)
{
	return gen_elements(out) <= d->act_max && weights <= d->weights_left &&
	       macs <= d->macs_left;
}

/* fits(), and then takes them. */
static int take(struct draw *d, struct gen_shape out, uint64_t weights,
		uint64_t macs)
{
	if (!fits(d, out, weights, macs))
		return 0;
	d->weights_left -= weights;
	d->macs_left -= macs;
	return 1;
}

/* ---- One builder a layer type: 1 when the layer was drawn ---- */

/* Groups 1, depthwise (groups = channels, one to four filters a
 * channel) or any divisor of the channels; filters a multiple of them. */
static void draw_groups(struct gen_rng *r, uint32_t c, uint32_t *groups,
			uint32_t *filters)
{
	uint32_t pick = gen_below(r, 10);
	*groups = 1;
	if (pick >= 5 && pick <= 6) {
		*groups = c;
		*filters = c * (gen_chance(r, 70) ? 1 : gen_between(r, 2, 4));
		return;
	}
	if (pick > 6)
		*groups = draw_divisor(r, c, 1);
	*filters = *groups * gen_between(r, 1, gen_chance(r, 80) ? 16 : 64);
}

/* Kernels 1 to 11, paddings from 0 past the kernel (and as much as a
 * kernel larger than the input needs), strides from 1 to far past the
 * input. */
static void draw_window(struct gen_rng *r, struct gen_shape in,
			uint32_t *size, uint32_t *pad, uint32_t *stride)
{
	static const uint32_t sizes[] = { 1, 1, 3, 3, 3, 5, 7 };
	*size = gen_chance(r, 85) ? sizes[gen_below(r, 7)]
				  : gen_between(r, 2, 11);
	*pad = gen_chance(r, 60) ? *size / 2 : gen_chance(r, 50)
		? 0 : gen_between(r, 0, *size + 2);
	uint32_t least = in.h < in.w ? in.h : in.w;
	if (least + 2 * *pad < *size)
		*pad = (*size - least + 1) / 2;
	*stride = gen_chance(r, 70) ? 1 : gen_chance(r, 70) ? 2
		: gen_chance(r, 80) ? gen_between(r, 3, 4)
				    : gen_between(r, 5, 40);
}

/* A convolution: groups and window as drawn, fewer filters when the
 * budgets want it. */
/* Format 1.1's geometry, a quarter of the time: the width's kernel,
 * stride and paddings drawn on their own, the bottom's too; paddings
 * raised where the padded input would be smaller than the kernel. */
struct geometry { uint32_t kh, kw, sh, sw, pt, pb, pl, pr; int rect; };

static struct geometry draw_geometry(struct gen_rng *r, struct gen_shape in)
{
	struct geometry g;
	draw_window(r, in, &g.kh, &g.pt, &g.sh);
	g.kw = g.kh, g.sw = g.sh, g.pb = g.pl = g.pr = g.pt;
	g.rect = gen_chance(r, 25);
	if (g.rect) {
		draw_window(r, in, &g.kw, &g.pl, &g.sw);
		g.pr = gen_chance(r, 50) ? g.pl : gen_between(r, 0, g.kw + 1);
		g.pb = gen_chance(r, 50) ? g.pt : gen_between(r, 0, g.kh + 1);
	}
	if (in.h + g.pt + g.pb < g.kh)
		g.pb = g.kh - in.h - g.pt;
	if (in.w + g.pl + g.pr < g.kw)
		g.pr = g.kw - in.w - g.pl;
	return g;
}

static int draw_conv(struct draw *d, struct gen_layer *l,
		     struct gen_shape in)
{
	struct gen_rng *r = &d->r;
	uint32_t groups, filters;
	draw_groups(r, in.c, &groups, &filters);
	struct geometry g = draw_geometry(r, in);
	uint64_t per = (uint64_t)(in.c / groups) * g.kh * g.kw;
	l->out = (struct gen_shape){ filters,
		(in.h + g.pt + g.pb - g.kh) / g.sh + 1,
		(in.w + g.pl + g.pr - g.kw) / g.sw + 1 };
	uint64_t plane = (uint64_t)l->out.h * l->out.w;
	/* fewer filters (a multiple of groups) when the budgets say so */
	while (filters > groups && !fits(d, l->out, filters * per + filters,
					 plane * filters * per)) {
		filters = filters / groups / 2 * groups;
		if (filters < groups)
			filters = groups;
		l->out.c = filters;
	}
	if (!take(d, l->out, filters * per + filters, plane * filters * per))
		return 0;
	l->act = (enum tl_activation)gen_below(r, GEN_ACTIVATIONS);
	l->params[0] = (int32_t)g.kh, l->params[1] = (int32_t)g.sh;
	l->params[2] = (int32_t)g.pt, l->params[3] = (int32_t)groups;
	if (g.rect) {	/* docs/model-format.md, version 1.1 */
		l->params[4] = (int32_t)g.kw, l->params[5] = (int32_t)g.sw;
		l->params[6] = (int32_t)g.pb + 1;
		l->params[7] = (int32_t)((g.pl + 1) | (g.pr + 1) << 16);
	}
	l->weights = (uint32_t)(filters * per);
	l->bias = filters;
	return 1;
}

/* A few outputs, or many; now and then as many as the weights left
 * allow (the models of tens of megabytes). */
static int draw_connected(struct draw *d, struct gen_layer *l,
			  struct gen_shape in)
{
	struct gen_rng *r = &d->r;
	uint64_t in_e = gen_elements(in), out;
	uint32_t pick = gen_below(r, 100);
	if (pick < 60)
		out = gen_between(r, 1, 64);
	else if (pick < 85)
		out = gen_between(r, 1, 1024);
	else
		out = d->weights_left / (in_e + 1);
	if (out > d->act_max)
		out = d->act_max;
	if (out * (in_e + 1) > d->weights_left)
		out = d->weights_left / (in_e + 1);
	if (out * in_e > d->macs_left)
		out = d->macs_left / in_e;
	l->out = (struct gen_shape){ (uint32_t)out, 1, 1 };
	if (!out || !take(d, l->out, out * (in_e + 1), out * in_e))
		return 0;
	l->act = (enum tl_activation)gen_below(r, GEN_ACTIVATIONS);
	l->weights = (uint32_t)(out * in_e);
	l->bias = (uint32_t)out;
	return 1;
}

/* One axis of Darknet's maxpool: its padding is the total, often
 * size - 1. */
static void draw_pool_axis(struct gen_rng *r, uint32_t *size,
			   uint32_t *stride, uint32_t *pad)
{
	*size = gen_chance(r, 90) ? gen_between(r, 1, 5) : gen_between(r, 6, 12);
	*stride = gen_chance(r, 95) ? gen_between(r, 1, *size + 1)
		: gen_between(r, *size + 2, 3 * *size + 2);
	*pad = gen_chance(r, 50) ? *size - 1 : gen_chance(r, 60)
		? 0 : gen_between(r, 0, *size + 1);
}

/* Square, or (a quarter of the time, format 1.1) each axis its own. */
static int draw_maxpool(struct draw *d, struct gen_layer *l,
			struct gen_shape in)
{
	struct gen_rng *r = &d->r;
	uint32_t kh, sh, ph, kw, sw, pw;
	draw_pool_axis(r, &kh, &sh, &ph);
	int rect = gen_chance(r, 25);
	if (rect)
		draw_pool_axis(r, &kw, &sw, &pw);
	else
		kw = kh, sw = sh, pw = ph;
	if (in.h + ph < kh || in.w + pw < kw)
		return 0;
	l->out = (struct gen_shape){ in.c, (in.h + ph - kh) / sh + 1,
				     (in.w + pw - kw) / sw + 1 };
	uint64_t macs = gen_elements(l->out) * kh * kw / 4;
	if (!take(d, l->out, 0, macs))
		return 0;
	l->params[0] = (int32_t)kh, l->params[1] = (int32_t)sh;
	l->params[2] = (int32_t)ph;
	if (rect) {	/* docs/model-format.md, version 1.1 */
		l->params[3] = (int32_t)kw, l->params[4] = (int32_t)sw;
		l->params[5] = (int32_t)pw + 1;
	}
	return 1;
}

/* Whether b may be a shortcut's second input beside a: the same size,
 * or smaller or larger by one integer factor in both directions. */
static int shortcut_pair(struct gen_shape a, struct gen_shape b)
{
	int down = a.w % b.w == 0 && a.h % b.h == 0 && a.w / b.w == a.h / b.h;
	int up = b.w % a.w == 0 && b.h % a.h == 0 && b.w / a.w == b.h / a.h;
	return down || up;
}

/* The second input among every earlier activation that pairs with the
 * first, one of another size when there is one (half the time). */
static int draw_shortcut(struct draw *d, struct gen_layer *l,
			 struct gen_shape in, int n_acts)
{
	struct gen_rng *r = &d->r;
	int other = gen_chance(r, 50), count = 0, chosen = -1;
	for (int pass = 0; pass < 2 && chosen < 0; pass++, other = 0) {
		count = 0;
		for (int a = 0; a < n_acts; a++) {
			struct gen_shape b = gen_model_act(d->m, a);
			if (!shortcut_pair(in, b) ||
			    (other && b.h == in.h && b.w == in.w))
				continue;
			/* reservoir sampling: each candidate equally likely */
			if (gen_below(r, (uint32_t)++count) == 0)
				chosen = a;
		}
	}
	l->out = in;
	if (chosen < 0 || !take(d, l->out, 0, gen_elements(in)))
		return 0;
	l->inputs[1] = chosen;
	l->n_inputs = 2;
	l->act = (enum tl_activation)gen_below(r, GEN_ACTIVATIONS);
	l->params[0] = float_bits(draw_scalar(r));
	l->params[1] = float_bits(draw_scalar(r));
	return 1;
}

/* 1 to 4 inputs of the first's height and width (the same one again
 * allowed), channels concatenated. */
static int draw_route(struct draw *d, struct gen_layer *l,
		      struct gen_shape in, int n_acts)
{
	struct gen_rng *r = &d->r;
	int want = (int)gen_between(r, 1, TL_MAX_INPUTS);
	l->out = in;
	for (int k = 1; k < want; k++) {
		int tries = 8, a;
		do
			a = (int)gen_below(r, (uint32_t)n_acts);
		while (--tries && (gen_model_act(d->m, a).h != in.h ||
				   gen_model_act(d->m, a).w != in.w));
		if (!tries)
			break;
		l->inputs[l->n_inputs++] = a;
		l->out.c += gen_model_act(d->m, a).c;
	}
	return take(d, l->out, 0, 0);
}

static int draw_upsample(struct draw *d, struct gen_layer *l,
			 struct gen_shape in)
{
	struct gen_rng *r = &d->r;
	uint32_t pick = gen_below(r, 10);
	uint32_t stride = pick < 5 ? 2 : pick < 7 ? 1 : pick < 9
		? gen_between(r, 3, 4) : gen_between(r, 5, 64);
	while (stride > 1 && gen_elements(in) * stride * stride > d->act_max)
		stride /= 2;
	l->out = (struct gen_shape){ in.c, in.h * stride, in.w * stride };
	if (!take(d, l->out, 0, gen_elements(l->out)))
		return 0;
	l->params[0] = (int32_t)stride;
	l->params[1] = float_bits(gen_chance(r, 60) ? 1.0f : draw_scalar(r));
	return 1;
}

/* A centred window no larger than the input; out = in * scale + trans. */
static int draw_crop(struct draw *d, struct gen_layer *l,
		     struct gen_shape in)
{
	struct gen_rng *r = &d->r;
	l->out = (struct gen_shape){ in.c,
		gen_chance(r, 20) ? in.h : gen_between(r, 1, in.h),
		gen_chance(r, 20) ? in.w : gen_between(r, 1, in.w) };
	if (!take(d, l->out, 0, gen_elements(l->out)))
		return 0;
	int plain = gen_chance(r, 40);
	l->params[0] = float_bits(plain ? 1.0f : draw_scalar(r));
	l->params[1] = float_bits(plain ? 0.0f : gen_float(r, -1.0f, 1.0f));
	return 1;
}

/* Any number of anchors that leaves each at least 5 channels; the
 * classes through the logistic ([yolo]) or, in 1.1, a softmax
 * ([region]). */
static int draw_yolo(struct draw *d, struct gen_layer *l,
		     struct gen_shape in)
{
	uint32_t anchors = draw_divisor(&d->r, in.c, 5);
	l->out = in;
	if (!anchors || !take(d, l->out, 0, gen_elements(in)))
		return 0;
	l->params[0] = (int32_t)anchors;
	l->params[1] = gen_chance(&d->r, 50);
	return 1;
}

/* An earlier activation eltwise may take as its second operand: in's
 * shape, (c, 1, 1) of in's channels or (1, 1, 1); -1 when none. */
static int eltwise_partner(struct draw *d, struct gen_shape in, int n_acts)
{
	int count = 0, chosen = -1;
	for (int a = 0; a < n_acts; a++) {
		struct gen_shape b = gen_model_act(d->m, a);
		int same = b.c == in.c && b.h == in.h && b.w == in.w;
		int gate = b.h == 1 && b.w == 1 && (b.c == in.c || b.c == 1);
		if ((same || gate) && gen_below(&d->r, (uint32_t)++count) == 0)
			chosen = a;
	}
	return chosen;
}

/* Eltwise (1.1): a op b, b a second activation half the time, else a
 * constant of one value, one per channel or the whole shape. */
static int draw_eltwise(struct draw *d, struct gen_layer *l,
			struct gen_shape in, int n_acts)
{
	struct gen_rng *r = &d->r;
	int partner = gen_chance(r, 50) ? eltwise_partner(d, in, n_acts) : -1;
	uint64_t weights = 0;
	if (partner >= 0) {
		l->inputs[1] = partner;
		l->n_inputs = 2;
	} else {
		uint32_t pick = gen_below(r, 3);
		l->wshape = pick == 0 ? (struct gen_shape){ 1, 1, 1 }
			  : pick == 1 ? (struct gen_shape){ in.c, 1, 1 } : in;
		weights = gen_elements(l->wshape);
	}
	l->out = in;
	if (!take(d, l->out, weights, gen_elements(in)))
		return 0;
	l->weights = (uint32_t)weights;
	l->params[0] = (int32_t)gen_between(r, 1, 4);	/* add .. div */
	l->params[1] = (int32_t)gen_below(r, 2);	/* reversed */
	l->act = (enum tl_activation)gen_below(r, GEN_ACTIVATIONS);
	return 1;
}

/* Shuffle (1.1): groups a divisor of the channels, at least 2. */
static int draw_shuffle(struct draw *d, struct gen_layer *l,
			struct gen_shape in)
{
	uint32_t groups = 0;
	for (int tries = 0; tries < 4 && groups < 2; tries++)
		groups = draw_divisor(&d->r, in.c, 1);
	l->out = in;
	if (groups < 2 || !take(d, l->out, 0, gen_elements(in)))
		return 0;
	l->params[0] = (int32_t)groups;
	return 1;
}

/* Slice (1.1): a run of the channels. */
static int draw_slice(struct draw *d, struct gen_layer *l,
		      struct gen_shape in)
{
	uint32_t start = gen_below(&d->r, in.c);
	uint32_t count = gen_between(&d->r, 1, in.c - start);
	l->out = (struct gen_shape){ count, in.h, in.w };
	if (!take(d, l->out, 0, gen_elements(l->out)))
		return 0;
	l->params[0] = (int32_t)start, l->params[1] = (int32_t)count;
	return 1;
}

/* LayerNorm (1.1) over the channels: gamma and beta of (c, 1, 1), an
 * eps mostly PyTorch's. */
static int draw_layernorm(struct draw *d, struct gen_layer *l,
			  struct gen_shape in)
{
	struct gen_rng *r = &d->r;
	l->out = in;
	if (!take(d, l->out, 2 * (uint64_t)in.c, 2 * gen_elements(in)))
		return 0;
	l->wshape = (struct gen_shape){ in.c, 1, 1 };
	l->weights = l->bias = in.c;
	l->params[0] = float_bits(gen_chance(r, 70) ? 1e-5f
				  : gen_float(r, 1e-6f, 1.0f));
	return 1;
}

/* Avgpool, softmax, dropout and activation: shapes of their own rule,
 * no parameters. */
static int draw_simple(struct draw *d, struct gen_layer *l,
		       struct gen_shape in)
{
	l->out = l->type == TL_LAYER_AVGPOOL
		? (struct gen_shape){ in.c, 1, 1 } : in;
	if (l->type == TL_LAYER_ACTIVATION)
		l->act = (enum tl_activation)gen_below(&d->r, GEN_ACTIVATIONS);
	return take(d, l->out, 0, gen_elements(in));
}

static int draw_typed(struct draw *d, struct gen_layer *l, int n_acts)
{
	struct gen_shape in = gen_model_act(d->m, l->inputs[0]);
	switch (l->type) {
	case TL_LAYER_CONV: return draw_conv(d, l, in);
	case TL_LAYER_CONNECTED: return draw_connected(d, l, in);
	case TL_LAYER_MAXPOOL: return draw_maxpool(d, l, in);
	case TL_LAYER_SHORTCUT: return draw_shortcut(d, l, in, n_acts);
	case TL_LAYER_ROUTE: return draw_route(d, l, in, n_acts);
	case TL_LAYER_UPSAMPLE: return draw_upsample(d, l, in);
	case TL_LAYER_CROP: return draw_crop(d, l, in);
	case TL_LAYER_YOLO: return draw_yolo(d, l, in);
	case TL_LAYER_ELTWISE: return draw_eltwise(d, l, in, n_acts);
	case TL_LAYER_SHUFFLE: return draw_shuffle(d, l, in);
	case TL_LAYER_SLICE: return draw_slice(d, l, in);
	case TL_LAYER_LAYERNORM: return draw_layernorm(d, l, in);
	default: return draw_simple(d, l, in);
	}
}

static enum tl_layer_type draw_type(struct gen_rng *r)
{
	unsigned total = 0;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		total += types[i].weight;
	unsigned k = gen_below(r, total);
	size_t i = 0;
	while (k >= types[i].weight)
		k -= types[i++].weight;
	return types[i].type;
}

/* Layer i: a type and what it reads (mostly the newest activation),
 * drawn again until one fits; a dropout of the newest when none does. */
static void draw_layer(struct draw *d, int i)
{
	struct gen_layer *l = &d->m->layers[i];
	/* a builder that fails has taken nothing from the budgets */
	for (int attempt = 0; attempt < 24; attempt++) {
		memset(l, 0, sizeof *l);
		l->type = draw_type(&d->r);
		l->inputs[0] = gen_chance(&d->r, 65) ? i
				: (int)gen_below(&d->r, (uint32_t)i + 1);
		l->n_inputs = 1;
		if (draw_typed(d, l, i + 1))
			break;
		memset(l, 0, sizeof *l);
	}
	if (!l->type) {
		l->type = TL_LAYER_DROPOUT;
		l->inputs[0] = i;
		l->n_inputs = 1;
		l->out = gen_model_act(d->m, i);
	}
	/* shapes the format fixes are not shared: an earlier layer's
	 * parameters of the same count may have another shape */
	l->shared = (l->weights > 0) & !l->wshape.c & gen_chance(&d->r, 15);
	l->values = gen_next(&d->r);
}

/* The input: up to 64 channels, a plane of any aspect. */
static struct gen_shape draw_input(struct draw *d)
{
	struct gen_rng *r = &d->r;
	uint64_t e = gen_log_uniform(r, 1, d->act_max);
	static const uint32_t channels[] = { 1, 1, 3, 3, 2, 4, 8, 16, 64 };
	uint32_t c = channels[gen_below(r, 9)];
	while (c > 1 && c > e)
		c /= 2;
	uint64_t plane = e / c;
	uint32_t h = (uint32_t)gen_log_uniform(r, 1, plane);
	if (gen_chance(r, 50)) {	/* square */
		h = 1;
		while ((uint64_t)(h + 1) * (h + 1) <= plane)
			h++;
	}
	return (struct gen_shape){ c, h, (uint32_t)(plane / h) };
}

/* How many layers: mostly a few, sometimes dozens or hundreds, and now
 * and then the format's limit, TL_MAX_LAYERS. */
static size_t draw_depth(struct gen_rng *r)
{
	uint32_t pick = gen_below(r, 100);
	return pick < 40 ? gen_between(r, 1, 4) : pick < 80
		? gen_between(r, 5, 16) : pick < 95 ? gen_between(r, 17, 64)
		: pick < 99 ? gen_between(r, 65, 200) : TL_MAX_LAYERS;
}

/* A connected layer that takes the weights left, when more than half of
 * the model's budget is (so that model sizes spread as drawn). */
static void fill_weights(struct draw *d, uint64_t budget)
{
	struct gen_model *m = d->m;
	if (m->n_layers >= d->cap || m->n_layers >= TL_MAX_LAYERS ||
	    budget < 1024 ||
	    d->weights_left < budget / 2)
		return;
	struct gen_layer *l = &m->layers[m->n_layers];
	memset(l, 0, sizeof *l);
	l->type = TL_LAYER_CONNECTED;
	l->inputs[0] = m->output;
	l->n_inputs = 1;
	uint64_t in_e = gen_elements(gen_model_act(m, m->output));
	uint64_t out = d->weights_left / (in_e + 1);
	if (out > d->act_max)
		out = d->act_max;
	if (out * in_e > d->macs_left)
		out = d->macs_left / in_e;
	if (!out)
		return;
	l->out = (struct gen_shape){ (uint32_t)out, 1, 1 };
	l->weights = (uint32_t)(out * in_e);
	l->bias = (uint32_t)out;
	l->act = (enum tl_activation)gen_below(&d->r, GEN_ACTIVATIONS);
	l->values = gen_next(&d->r);
	take(d, l->out, out * (in_e + 1), out * in_e);
	m->output = (int)++m->n_layers;
}

static void draw_layout(struct gen_rng *r, struct gen_layout *o)
{
	o->minor = gen_chance(r, 80) ? 0 : (uint16_t)gen_between(r, 1, 65535);
	int order[3] = { 0, 1, 2 };
	for (int i = 2; i > 0; i--) {
		int j = (int)gen_below(r, (uint32_t)i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < 3; i++) {
		o->order[i] = order[i];
		o->gap[i] = gen_chance(r, 70) ? 0 : 16 * gen_between(r, 1, 64);
	}
	o->shuffle = gen_chance(r, 30);
	o->reverse_arrays = gen_chance(r, 30);
	o->unused_tensors = gen_chance(r, 80) ? 0 : gen_between(r, 1, 4);
	o->seed = gen_next(r);
}

/* Whether the model uses what format 1.1 adds (its minor must then be
 * at least 1): a geometry field, a yolo softmax, a type from 13 or an
 * activation from 7. */
static int uses_1_1(const struct gen_model *m)
{
	for (size_t i = 0; i < m->n_layers; i++) {
		const struct gen_layer *l = &m->layers[i];
		int from = l->type == TL_LAYER_CONV ? 4
			 : l->type == TL_LAYER_MAXPOOL ? 3
			 : l->type == TL_LAYER_YOLO ? 1 : TL_MAX_PARAMS;
		if (l->type >= TL_LAYER_ELTWISE || l->act > TL_ACT_HARDSWISH)
			return 1;
		for (int k = from; k < TL_MAX_PARAMS; k++)
			if (l->params[k])
				return 1;
	}
	return 0;
}

int gen_model_draw(uint64_t seed, struct gen_model *m)
{
	memset(m, 0, sizeof *m);
	m->seed = seed;
	struct draw d = { .r = { seed * 0x2545f4914f6cdd1dull + 1 }, .m = m };
	d.act_max = gen_log_uniform(&d.r, 16, GEN_MAX_ACT_ELEMENTS);
	uint64_t budget = gen_chance(&d.r, 5) ? 0
		: gen_log_uniform(&d.r, 1, GEN_MAX_WEIGHT_FLOATS);
	d.weights_left = budget;
	d.macs_left = GEN_MAX_MACS;
	size_t depth = draw_depth(&d.r);
	d.cap = depth + 1;
	m->layers = calloc(d.cap, sizeof *m->layers);
	if (!m->layers)
		return -1;
	m->input = draw_input(&d);
	for (size_t i = 0; i < depth; i++, m->n_layers++)
		draw_layer(&d, (int)i);
	m->output = gen_chance(&d.r, 85) ? (int)m->n_layers
		: (int)gen_between(&d.r, 1, (uint32_t)m->n_layers);
	fill_weights(&d, budget);
	draw_layout(&d.r, &m->layout);
	if (m->layout.minor == 0 && uses_1_1(m))
		m->layout.minor = 1;
	return 0;
}

float *gen_model_input(uint64_t seed, size_t n)
{
	struct gen_rng r = { seed ^ 0x5bd1e9955bd1e995ull };
	float *x = malloc((n ? n : 1) * sizeof *x);
	for (size_t i = 0; x && i < n; i++)
		x[i] = gen_float(&r, -1.0f, 1.0f);
	return x;
}

int gen_model_copy(const struct gen_model *src, struct gen_model *dst)
{
	*dst = *src;
	dst->layers = malloc((src->n_layers ? src->n_layers : 1) *
			     sizeof *dst->layers);
	if (!dst->layers)
		return -1;
	memcpy(dst->layers, src->layers, src->n_layers * sizeof *dst->layers);
	return 0;
}

void gen_model_free(struct gen_model *m)
{
	free(m->layers);
	memset(m, 0, sizeof *m);
}
