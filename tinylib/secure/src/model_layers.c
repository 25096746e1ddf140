/*
 * The layer table of a .tlm, checked layer by layer: the type and its
 * activation, the tensors it reads (the model input or an earlier layer's
 * output, which makes the graph acyclic by construction), the tensor it
 * writes (written by no other layer), its parameters, the shape it must
 * produce, and the size of its weight and bias arrays. Shapes are computed
 * here again from the inputs: nothing the file says about them is trusted.
 */
#include "model_internal.h"
#include "tl_engine.h"

struct shape { uint64_t c, h, w; };

/* What one layer is checked with. */
struct check {
	const struct tl_model *m;
	struct tl_model_error *err;
	int index;
	struct tl_layer l;
	struct shape in[TL_MAX_INPUTS], out;
	uint64_t weights, bias;   /* elements the layer needs */
};

static enum tl_status fail(struct check *k, enum tl_status code,
			   const char *field, uint64_t found, uint64_t expected)
{
	return tl_fail(k->err, code, k->index, -1, field, found, expected);
}

static struct shape tensor_shape(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return (struct shape){ t.c, t.h, t.w };
}

/* a * b, saturating: a count that large never matches a real array. */
static uint64_t mul(uint64_t a, uint64_t b)
{
	return (a != 0 && b > UINT64_MAX / a) ? UINT64_MAX : a * b;
}

static int is_activation(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	if (id >= m->tensor_count)
		return 0;
	tl_model_tensor(m, id, &t);
	return t.kind == TL_TENSOR_ACTIVATION;
}

/* Written by one of the layers before `before`. */
static int produced_before(const struct tl_model *m, uint32_t id, int before)
{
	struct tl_layer l;
	for (int j = 0; j < before; j++) {
		tl_model_layer(m, (uint32_t)j, &l);
		if (l.output == id)
			return 1;
	}
	return 0;
}

/* Per type: inputs, weights and bias (OWN: checked by the type's shape
 * check, shapes and all), an activation, and how many of the parameter
 * slots it uses (the others are 0). */
#define OWN 2
static const struct {
	int min_inputs, max_inputs, has_weights, has_act, params;
} rules[TL_LAYER_TYPE_END] = {
	[TL_LAYER_CONV] = { 1, 1, 1, 1, 8 },
	[TL_LAYER_CONNECTED] = { 1, 1, 1, 1, 0 },
	[TL_LAYER_MAXPOOL] = { 1, 1, 0, 0, 6 },
	[TL_LAYER_AVGPOOL] = { 1, 1, 0, 0, 0 },
	[TL_LAYER_SOFTMAX] = { 1, 1, 0, 0, 0 },
	[TL_LAYER_SHORTCUT] = { 2, 2, 0, 1, 2 },
	[TL_LAYER_ROUTE] = { 1, TL_MAX_INPUTS, 0, 0, 0 },
	[TL_LAYER_UPSAMPLE] = { 1, 1, 0, 0, 2 },
	[TL_LAYER_DROPOUT] = { 1, 1, 0, 0, 0 },
	[TL_LAYER_CROP] = { 1, 1, 0, 0, 2 },
	[TL_LAYER_YOLO] = { 1, 1, 0, 0, 2 },
	[TL_LAYER_ACTIVATION] = { 1, 1, 0, 1, 0 },
	[TL_LAYER_ELTWISE] = { 1, 2, OWN, 1, 2 },
	[TL_LAYER_SHUFFLE] = { 1, 1, 0, 0, 1 },
	[TL_LAYER_SLICE] = { 1, 1, 0, 0, 2 },
	[TL_LAYER_LAYERNORM] = { 1, 1, OWN, 0, 1 },
};

/* Parameter slots in use: a minor-0 file has 1.0's square geometry and
 * logistic yolo classes only, so that a 1.0 reader and this one read it
 * alike. */
static int params_in_use(const struct check *k)
{
	static const int slots_1_0[TL_LAYER_TYPE_END] = {
		[TL_LAYER_CONV] = 4, [TL_LAYER_MAXPOOL] = 3, [TL_LAYER_YOLO] = 1 };
	if (k->m->version_minor == 0 && slots_1_0[k->l.type] != 0)
		return slots_1_0[k->l.type];
	return rules[k->l.type].params;
}

/* The last type and activation a file of this minor version may use:
 * 1.1 adds types 13-16 and activations 7-9, which a minor-0 file is
 * refused for, as a 1.0 reader would refuse it. */
static unsigned last_type(const struct tl_model *m)
{
	return m->version_minor >= 1 ? TL_LAYER_TYPE_END - 1 : TL_LAYER_ACTIVATION;
}

static unsigned last_activation(const struct tl_model *m)
{
	return m->version_minor >= 1 ? TL_ACT_GELU : TL_ACT_HARDSWISH;
}

static enum tl_status check_kind(struct check *k)
{
	const struct tl_layer *l = &k->l;
	if (l->type < TL_LAYER_CONV || (unsigned)l->type > last_type(k->m))
		return fail(k, TL_E_LAYER, "type", l->type, TL_LAYER_CONV);
	if ((unsigned)l->activation > last_activation(k->m) ||
	    (!rules[l->type].has_act && l->activation != TL_ACT_LINEAR))
		return fail(k, TL_E_LAYER, "activation", l->activation,
			    TL_ACT_LINEAR);
	static const char *const unused[TL_MAX_PARAMS] = {
		"params[0]", "params[1]", "params[2]", "params[3]",
		"params[4]", "params[5]", "params[6]", "params[7]" };
	for (int i = params_in_use(k); i < TL_MAX_PARAMS; i++)
		if (l->params[i] != 0)
			return fail(k, TL_E_LAYER, unused[i],
				    (uint32_t)l->params[i], 0);
	return TL_OK;
}

static enum tl_status check_inputs(struct check *k)
{
	const struct tl_layer *l = &k->l;
	static const char *const names[TL_MAX_INPUTS] = {
		"inputs[0]", "inputs[1]", "inputs[2]", "inputs[3]" };
	if (l->n_inputs < rules[l->type].min_inputs ||
	    l->n_inputs > rules[l->type].max_inputs)
		return fail(k, TL_E_LAYER, "input count", (uint64_t)l->n_inputs,
			    (uint64_t)rules[l->type].min_inputs);
	for (int i = 0; i < l->n_inputs; i++) {
		uint32_t id = l->inputs[i];
		if (!is_activation(k->m, id) ||
		    (id != k->m->input && !produced_before(k->m, id, k->index)))
			return fail(k, TL_E_REFERENCE, names[i], id, k->m->input);
		k->in[i] = tensor_shape(k->m, id);
	}
	return TL_OK;
}

static enum tl_status check_output(struct check *k)
{
	uint32_t id = k->l.output;
	if (!is_activation(k->m, id) || id == k->m->input ||
	    produced_before(k->m, id, k->index))
		return fail(k, TL_E_REFERENCE, "output", id, TL_NONE);
	k->out = tensor_shape(k->m, id);
	return TL_OK;
}

static int in_range(int32_t v, int32_t lo, int32_t hi)
{
	return v >= lo && v <= hi;
}

/* A 1.1 field that stores a pad + 1 (0: the default): 0 .. 1025. */
static int pad_field(uint32_t v)
{
	return v <= 1025;
}

/* (pad_left + 1) | (pad_right + 1) << 16: 0, or both halves 1 .. 1025. */
static int pad_pair_field(uint32_t v)
{
	return v == 0 || (in_range((int32_t)(v & 0xffff), 1, 1025) &&
			  in_range((int32_t)(v >> 16), 1, 1025));
}

static enum tl_status check_conv_params(struct check *k)
{
	const int32_t *p = k->l.params;
	if (!in_range(p[0], 1, 1024) || p[1] < 1 || !in_range(p[2], 0, 1024))
		return fail(k, TL_E_LAYER, "size/stride/pad", (uint64_t)p[0], 1);
	if (!in_range(p[4], 0, 1024))
		return fail(k, TL_E_LAYER, "kw", (uint32_t)p[4], 1024);
	if (p[5] < 0)
		return fail(k, TL_E_LAYER, "sw", (uint32_t)p[5], 1);
	if (!pad_field((uint32_t)p[6]))
		return fail(k, TL_E_LAYER, "pad_bottom", (uint32_t)p[6], 1025);
	if (!pad_pair_field((uint32_t)p[7]))
		return fail(k, TL_E_LAYER, "pad_left/right", (uint32_t)p[7],
			    1025u << 16 | 1025u);
	return TL_OK;
}

static enum tl_status check_pool_params(struct check *k)
{
	const int32_t *p = k->l.params;
	if (!in_range(p[0], 1, 1024) || p[1] < 1 || !in_range(p[2], 0, 1024))
		return fail(k, TL_E_LAYER, "size/stride/padding", (uint64_t)p[0], 1);
	if (!in_range(p[3], 0, 1024))
		return fail(k, TL_E_LAYER, "kw", (uint32_t)p[3], 1024);
	if (p[4] < 0)
		return fail(k, TL_E_LAYER, "sw", (uint32_t)p[4], 1);
	if (!pad_field((uint32_t)p[5]))
		return fail(k, TL_E_LAYER, "padding_w", (uint32_t)p[5], 1025);
	return TL_OK;
}

/* The output the window g of a layer with checked parameters makes of
 * its input (in 64 bits: no field can wrap). */
static enum tl_status window_shape(struct check *k, const struct tl_geometry *g,
				   uint64_t c, const char *field,
				   struct shape *want)
{
	struct shape in = k->in[0];
	if (in.h + g->pad_h < g->kh)
		return fail(k, TL_E_SHAPE, field, g->kh, in.h + g->pad_h);
	if (in.w + g->pad_w < g->kw)
		return fail(k, TL_E_SHAPE, field, g->kw, in.w + g->pad_w);
	*want = (struct shape){ c, (in.h + g->pad_h - g->kh) / g->sh + 1,
				(in.w + g->pad_w - g->kw) / g->sw + 1 };
	return TL_OK;
}

/* Convolution: p = kh, sh, pad_top, groups, then 1.1's kw, sw, pad_bottom
 * + 1, pad_left + 1 | pad_right + 1 << 16; filters = output channels. */
static enum tl_status shape_conv(struct check *k, struct shape *want)
{
	const int32_t *p = k->l.params;
	struct shape in = k->in[0];
	struct tl_geometry g;
	enum tl_status s = check_conv_params(k);
	if (s != TL_OK)
		return s;
	if (p[3] < 1 || in.c % (uint64_t)p[3] || k->out.c % (uint64_t)p[3])
		return fail(k, TL_E_LAYER, "groups", (uint64_t)p[3], 1);
	tl_layer_geometry(&k->l, &g);
	k->weights = mul(mul(k->out.c, in.c / (uint64_t)p[3]),
			 (uint64_t)g.kh * g.kw);
	k->bias = k->out.c;
	return window_shape(k, &g, k->out.c, "kernel larger than padded input",
			    want);
}

static enum tl_status shape_connected(struct check *k, struct shape *want)
{
	uint64_t in = k->in[0].c * k->in[0].h * k->in[0].w;
	*want = (struct shape){ k->out.c, 1, 1 };
	k->weights = mul(k->out.c, in);
	k->bias = k->out.c;
	return TL_OK;
}

/* Darknet's maxpool: p = kh, sh, padding_h (total, not per side), then
 * 1.1's kw, sw, padding_w + 1. */
static enum tl_status shape_maxpool(struct check *k, struct shape *want)
{
	struct tl_geometry g;
	enum tl_status s = check_pool_params(k);
	if (s != TL_OK)
		return s;
	tl_layer_geometry(&k->l, &g);
	return window_shape(k, &g, k->in[0].c, "window larger than padded input",
			    want);
}

/* Shortcut: output = the first input; the second may be larger or smaller
 * by the same integer factor in both directions. */
static enum tl_status shape_shortcut(struct check *k, struct shape *want)
{
	struct shape a = k->in[0], b = k->in[1];
	int down = a.w % b.w == 0 && a.h % b.h == 0 && a.w / b.w == a.h / b.h;
	int up = b.w % a.w == 0 && b.h % a.h == 0 && b.w / a.w == b.h / a.h;
	if (!down && !up)
		return fail(k, TL_E_SHAPE, "inputs[1] size ratio", b.w, a.w);
	*want = a;
	return TL_OK;
}

static enum tl_status shape_route(struct check *k, struct shape *want)
{
	*want = (struct shape){ 0, k->in[0].h, k->in[0].w };
	for (int i = 0; i < k->l.n_inputs; i++) {
		if (k->in[i].h != want->h || k->in[i].w != want->w)
			return fail(k, TL_E_SHAPE, "route input size",
				    k->in[i].w, want->w);
		want->c += k->in[i].c;
	}
	return TL_OK;
}

static enum tl_status shape_other(struct check *k, struct shape *want)
{
	const int32_t *p = k->l.params;
	struct shape in = k->in[0];
	*want = in;
	switch (k->l.type) {
	case TL_LAYER_AVGPOOL:
		*want = (struct shape){ in.c, 1, 1 };
		return TL_OK;
	case TL_LAYER_UPSAMPLE:
		if (p[0] < 1 || p[0] > 64)
			return fail(k, TL_E_LAYER, "stride", (uint64_t)p[0], 2);
		*want = (struct shape){ in.c, in.h * (uint64_t)p[0],
					in.w * (uint64_t)p[0] };
		return TL_OK;
	case TL_LAYER_CROP:
		if (k->out.h > in.h || k->out.w > in.w)
			return fail(k, TL_E_SHAPE, "crop larger than input",
				    k->out.w, in.w);
		*want = (struct shape){ in.c, k->out.h, k->out.w };
		return TL_OK;
	case TL_LAYER_YOLO:
		if (p[0] < 1 || in.c % (uint64_t)p[0] || in.c / (uint64_t)p[0] < 5)
			return fail(k, TL_E_LAYER, "anchors", (uint64_t)p[0], 1);
		return p[1] == 0 || p[1] == 1 ? TL_OK :
		       fail(k, TL_E_LAYER, "softmax", (uint32_t)p[1], 1);
	default: /* softmax, dropout, activation: the input's shape */
		return TL_OK;
	}
}

/* Shuffle (groups >= 2 dividing c) and slice (channels [start,
 * start + count) of the input). */
static enum tl_status shape_channels(struct check *k, struct shape *want)
{
	const int32_t *p = k->l.params;
	struct shape in = k->in[0];
	*want = in;
	if (k->l.type == TL_LAYER_SHUFFLE)
		return p[0] >= 2 && in.c % (uint64_t)p[0] == 0 ? TL_OK :
		       fail(k, TL_E_LAYER, "groups", (uint32_t)p[0], 2);
	if (p[0] < 0)
		return fail(k, TL_E_LAYER, "start", (uint32_t)p[0], 0);
	if (p[1] < 1)
		return fail(k, TL_E_LAYER, "count", (uint32_t)p[1], 1);
	if ((uint64_t)p[0] + (uint64_t)p[1] > in.c)
		return fail(k, TL_E_LAYER, "start + count",
			    (uint64_t)p[0] + (uint64_t)p[1], in.c);
	want->c = (uint64_t)p[1];
	return TL_OK;
}

/* The shape of parameter tensor id, which a layer of an OWN type names
 * in field. */
static enum tl_status parameter_of(struct check *k, const char *field,
				   uint32_t id, struct shape *shape)
{
	struct tl_tensor t;
	if (id >= k->m->tensor_count)
		return fail(k, TL_E_REFERENCE, field, id, k->m->tensor_count);
	tl_model_tensor(k->m, id, &t);
	if (t.kind != TL_TENSOR_PARAMETER)
		return fail(k, TL_E_REFERENCE, field, id, TL_NONE);
	*shape = (struct shape){ t.c, t.h, t.w };
	return TL_OK;
}

static enum tl_status no_parameter(struct check *k, const char *field,
				   uint32_t id)
{
	return id == TL_NONE ? TL_OK : fail(k, TL_E_REFERENCE, field, id, TL_NONE);
}

/* Eltwise's b: the second input, else the weights; b's shape is a's,
 * (c, 1, 1) or (1, 1, 1), broadcast over what is 1. */
static enum tl_status shape_eltwise(struct check *k, struct shape *want)
{
	const int32_t *p = k->l.params;
	struct shape a = k->in[0], b = k->in[1];
	int from_input = k->l.n_inputs == 2;
	enum tl_status s = no_parameter(k, "bias", k->l.bias);
	if (p[0] < TL_ELT_ADD || p[0] > TL_ELT_DIV)
		return fail(k, TL_E_LAYER, "op", (uint32_t)p[0], TL_ELT_ADD);
	if (p[1] != 0 && p[1] != 1)
		return fail(k, TL_E_LAYER, "reversed", (uint32_t)p[1], 0);
	if (s == TL_OK)
		s = from_input ? no_parameter(k, "weights", k->l.weights)
			       : parameter_of(k, "weights", k->l.weights, &b);
	if (s != TL_OK)
		return s;
	int pixels = (b.h == a.h && b.w == a.w) || (b.h == 1 && b.w == 1);
	int channels = b.c == a.c || (b.c == 1 && b.h == 1 && b.w == 1);
	if (!pixels || !channels)
		return fail(k, TL_E_SHAPE, from_input ? "inputs[1] shape"
			    : "weights shape", b.c * b.h * b.w, a.c);
	*want = a;
	return TL_OK;
}

/* A parameter of exactly shape `want` (gamma and beta: (c, 1, 1)). */
static enum tl_status parameter_shaped(struct check *k, const char *field,
				       uint32_t id, struct shape want)
{
	struct shape got;
	enum tl_status s = parameter_of(k, field, id, &got);
	if (s == TL_OK && got.c != want.c)
		return fail(k, TL_E_WEIGHTS, field, got.c, want.c);
	if (s == TL_OK && (got.h != want.h || got.w != want.w))
		return fail(k, TL_E_WEIGHTS, field, got.h * got.w, want.h * want.w);
	return s;
}

/* LayerNorm: eps a positive finite float (0 < bits < +inf's), so that
 * var + eps > 0; gamma and beta (c, 1, 1). */
static enum tl_status shape_layernorm(struct check *k, struct shape *want)
{
	uint32_t eps = (uint32_t)k->l.params[0];
	struct shape per_channel = { k->in[0].c, 1, 1 };
	if (eps == 0 || eps >= 0x7f800000u)
		return fail(k, TL_E_LAYER, "eps", eps, 0x3727c5acu /* 1e-5 */);
	enum tl_status s = parameter_shaped(k, "weights", k->l.weights, per_channel);
	if (s == TL_OK)
		s = parameter_shaped(k, "bias", k->l.bias, per_channel);
	*want = k->in[0];
	return s;
}

static enum tl_status expected_shape(struct check *k, struct shape *want)
{
	switch (k->l.type) {
	case TL_LAYER_ELTWISE: return shape_eltwise(k, want);
	case TL_LAYER_SHUFFLE:
	case TL_LAYER_SLICE: return shape_channels(k, want);
	case TL_LAYER_LAYERNORM: return shape_layernorm(k, want);
	case TL_LAYER_CONV: return shape_conv(k, want);
	case TL_LAYER_CONNECTED: return shape_connected(k, want);
	case TL_LAYER_MAXPOOL: return shape_maxpool(k, want);
	case TL_LAYER_SHORTCUT: return shape_shortcut(k, want);
	case TL_LAYER_ROUTE: return shape_route(k, want);
	default: return shape_other(k, want);
	}
}

static enum tl_status compare_shape(struct check *k, const struct shape *want)
{
	if (want->c != k->out.c)
		return fail(k, TL_E_SHAPE, "output channels", k->out.c, want->c);
	if (want->h != k->out.h)
		return fail(k, TL_E_SHAPE, "output height", k->out.h, want->h);
	if (want->w != k->out.w)
		return fail(k, TL_E_SHAPE, "output width", k->out.w, want->w);
	return TL_OK;
}

/* A parameter reference: TL_NONE when the layer has none, else a
 * parameter tensor of exactly `elements`. */
static enum tl_status check_parameter(struct check *k, const char *field,
				      uint32_t id, uint64_t elements)
{
	struct tl_tensor t;
	if (rules[k->l.type].has_weights == OWN)
		return TL_OK;
	if (!rules[k->l.type].has_weights)
		return id == TL_NONE ? TL_OK :
		       fail(k, TL_E_REFERENCE, field, id, TL_NONE);
	if (id >= k->m->tensor_count)
		return fail(k, TL_E_REFERENCE, field, id, k->m->tensor_count);
	tl_model_tensor(k->m, id, &t);
	if (t.kind != TL_TENSOR_PARAMETER)
		return fail(k, TL_E_REFERENCE, field, id, TL_NONE);
	if (t.elements != elements)
		return fail(k, TL_E_WEIGHTS, field, t.elements, elements);
	return TL_OK;
}

/* Whether tensor id is a parameter stored by 16. */
static int by_16(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	if (id >= m->tensor_count)
		return 0;
	tl_model_tensor(m, id, &t);
	return t.kind == TL_TENSOR_PARAMETER && t.layout == TL_LAYOUT_BY_16;
}

/* Weights by 16 (1.2) belong to a convolution that allows them
 * (tl_conv_weights_by_16_allowed); no other parameter is stored so. */
static enum tl_status check_layouts(struct check *k)
{
	if (by_16(k->m, k->l.bias))
		return fail(k, TL_E_LAYER, "bias layout", TL_LAYOUT_BY_16,
			    TL_LAYOUT_ROWS);
	if (!by_16(k->m, k->l.weights))
		return TL_OK;
	struct tl_conv_params p;
	if (k->l.type == TL_LAYER_CONV)
		tl_conv_params_of(k->m, &k->l, &p);
	if (k->l.type != TL_LAYER_CONV || !tl_conv_weights_by_16_allowed(&p))
		return fail(k, TL_E_LAYER, "weights layout", TL_LAYOUT_BY_16,
			    TL_LAYOUT_ROWS);
	return TL_OK;
}

static enum tl_status check_layer(struct check *k)
{
	struct shape want = { 0, 0, 0 };
	enum tl_status s = check_kind(k);
	if (s == TL_OK)
		s = check_inputs(k);
	if (s == TL_OK)
		s = check_output(k);
	if (s == TL_OK)
		s = expected_shape(k, &want);
	if (s == TL_OK)
		s = compare_shape(k, &want);
	if (s == TL_OK)
		s = check_parameter(k, "weights", k->l.weights, k->weights);
	if (s == TL_OK)
		s = check_parameter(k, "bias", k->l.bias, k->bias);
	if (s == TL_OK)
		s = check_layouts(k);
	return s;
}

/* 0 in a 1.1 field: the 1.0 value it extends. */
static uint32_t or_default(int32_t v, int32_t dflt)
{
	return (uint32_t)(v != 0 ? v : dflt);
}

void tl_layer_geometry(const struct tl_layer *l, struct tl_geometry *g)
{
	const int32_t *p = l->params;
	g->kh = (uint32_t)p[0], g->sh = (uint32_t)p[1];
	if (l->type == TL_LAYER_MAXPOOL) {
		g->kw = or_default(p[3], p[0]), g->sw = or_default(p[4], p[1]);
		g->pad_h = (uint32_t)p[2];
		g->pad_w = p[5] != 0 ? (uint32_t)p[5] - 1 : (uint32_t)p[2];
		g->top = g->pad_h / 2, g->left = g->pad_w / 2;
		return;
	}
	uint32_t pair = (uint32_t)p[7];
	g->kw = or_default(p[4], p[0]), g->sw = or_default(p[5], p[1]);
	g->top = (uint32_t)p[2];
	g->pad_h = g->top + (p[6] != 0 ? (uint32_t)p[6] - 1 : g->top);
	g->left = pair != 0 ? (pair & 0xffff) - 1 : g->top;
	g->pad_w = g->left + (pair != 0 ? (pair >> 16) - 1 : g->top);
}

enum tl_status tl_check_layers(const struct tl_model *m,
			       struct tl_model_error *err)
{
	if (!is_activation(m, m->input))
		return tl_fail(err, TL_E_REFERENCE, -1, (int)m->input,
			       "model input", m->input, 0);
	for (uint32_t i = 0; i < m->layer_count; i++) {
		struct check k = { .m = m, .err = err, .index = (int)i };
		tl_model_layer(m, i, &k.l);
		enum tl_status s = check_layer(&k);
		if (s != TL_OK)
			return s;
	}
	if (!is_activation(m, m->output) ||
	    !produced_before(m, m->output, (int)m->layer_count))
		return tl_fail(err, TL_E_REFERENCE, -1, (int)m->output,
			       "model output", m->output, 0);
	return TL_OK;
}
