/*
 * tl_run: the layers of an opened model, in order, in the planned arena.
 * Shapes come from the checked tensor table, so every pointer below stays
 * inside the arena or the model.
 */
#include <string.h>

#include "engine_internal.h"

/* What every layer is run with. */
struct step {
	const struct tl_model *m;
	const struct tl_plan *plan;
	unsigned char *arena;
	enum tl_mode mode;
	uint32_t index;
	struct tl_layer l;
	struct tl_tensor in, out;
};

static float *activation(const struct step *s, uint32_t id)
{
	return (float *)(void *)(s->arena + s->plan->tensor_offset[id]);
}

static const float *parameter(const struct step *s, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(s->m, id, &t);
	return t.data;
}

static void run_conv(const struct step *s)
{
	struct tl_conv_params p;
	tl_conv_params_of(s->m, &s->l, &p);
	float *ws = (float *)(void *)(s->arena + s->plan->workspace_offset[s->index]);
	tl_conv(s->mode, &p, activation(s, s->l.inputs[0]),
		parameter(s, s->l.weights), parameter(s, s->l.bias),
		activation(s, s->l.output), ws,
		s->plan->workspace_size[s->index] / sizeof(float));
}

static void run_connected(const struct step *s)
{
	struct tl_connected_params p = { (int)s->in.elements,
					 (int)s->out.elements, s->l.activation };
	tl_connected(s->mode, &p, activation(s, s->l.inputs[0]),
		     parameter(s, s->l.weights), parameter(s, s->l.bias),
		     activation(s, s->l.output));
}

static void run_maxpool(const struct step *s)
{
	struct tl_geometry g;
	tl_layer_geometry(&s->l, &g);
	struct tl_pool_params p = { (int)s->in.c, (int)s->in.h, (int)s->in.w,
				    (int)g.kh, (int)g.sh, (int)g.pad_h,
				    (int)s->out.h, (int)s->out.w, (int)g.kw,
				    (int)g.sw, (int)g.pad_w };
	tl_maxpool(&p, activation(s, s->l.inputs[0]), activation(s, s->l.output));
}

static void run_shortcut(const struct step *s)
{
	struct tl_tensor from;
	tl_model_tensor(s->m, s->l.inputs[1], &from);
	struct tl_shortcut_params p = {
		(int)s->out.c, (int)s->out.h, (int)s->out.w, (int)from.c,
		(int)from.h, (int)from.w, tl_param_float(s->l.params[0]),
		tl_param_float(s->l.params[1]), s->l.activation };
	tl_shortcut(&p, activation(s, s->l.inputs[0]),
		    activation(s, s->l.inputs[1]), activation(s, s->l.output));
}

/* Concatenation along channels: NCHW makes each input one block. */
static void run_route(const struct step *s)
{
	unsigned char *out = (unsigned char *)activation(s, s->l.output);
	for (int i = 0; i < s->l.n_inputs; i++) {
		size_t bytes = tl_tensor_bytes(s->m, s->l.inputs[i]);
		memcpy(out, activation(s, s->l.inputs[i]), bytes);
		out += bytes;
	}
}

static void run_crop(const struct step *s)
{
	struct tl_crop_params p = { (int)s->in.c, (int)s->in.h, (int)s->in.w,
				    (int)s->out.h, (int)s->out.w,
				    tl_param_float(s->l.params[0]),
				    tl_param_float(s->l.params[1]) };
	tl_crop(&p, activation(s, s->l.inputs[0]), activation(s, s->l.output));
}

/* b: the second input, else the weights (a parameter). */
static void run_eltwise(const struct step *s)
{
	struct tl_tensor b;
	int from_input = s->l.n_inputs == 2;
	tl_model_tensor(s->m, from_input ? s->l.inputs[1] : s->l.weights, &b);
	struct tl_eltwise_params p = {
		(int)s->in.c, (int)(s->in.h * s->in.w), (int)b.c,
		(int)(b.h * b.w), (enum tl_eltwise_op)s->l.params[0],
		s->l.params[1], s->l.activation };
	tl_eltwise(s->mode, &p, activation(s, s->l.inputs[0]),
		   from_input ? activation(s, s->l.inputs[1]) : b.data,
		   activation(s, s->l.output));
}

/* Channels [start, start + count): one block in NCHW. */
static void run_slice(const struct step *s)
{
	size_t plane = (size_t)s->in.h * s->in.w;
	memcpy(activation(s, s->l.output),
	       activation(s, s->l.inputs[0]) + (size_t)s->l.params[0] * plane,
	       s->out.elements * sizeof(float));
}

static void run_layernorm(const struct step *s)
{
	tl_layernorm(s->mode, (int)s->in.c, (int)(s->in.h * s->in.w),
		     tl_param_float(s->l.params[0]), activation(s, s->l.inputs[0]),
		     parameter(s, s->l.weights), parameter(s, s->l.bias),
		     activation(s, s->l.output));
}

static void run_layer(const struct step *s)
{
	float *in = activation(s, s->l.inputs[0]), *out = activation(s, s->l.output);
	switch (s->l.type) {
	case TL_LAYER_CONV: run_conv(s); break;
	case TL_LAYER_CONNECTED: run_connected(s); break;
	case TL_LAYER_MAXPOOL: run_maxpool(s); break;
	case TL_LAYER_AVGPOOL:
		tl_avgpool_global(s->mode, (int)s->in.c, (int)s->in.h,
				  (int)s->in.w, in, out);
		break;
	case TL_LAYER_SOFTMAX: tl_softmax(in, out, s->in.elements); break;
	case TL_LAYER_SHORTCUT: run_shortcut(s); break;
	case TL_LAYER_ROUTE: run_route(s); break;
	case TL_LAYER_UPSAMPLE:
		tl_upsample((int)s->in.c, (int)s->in.h, (int)s->in.w,
			    s->l.params[0], tl_param_float(s->l.params[1]), in, out);
		break;
	case TL_LAYER_CROP: run_crop(s); break;
	case TL_LAYER_YOLO:
		tl_yolo(s->mode, (int)s->in.c, (int)s->in.h, (int)s->in.w, s->l.params[0],
			s->l.params[1], in, out);
		break;
	case TL_LAYER_ACTIVATION:
		memcpy(out, in, s->in.elements * sizeof(float));
		tl_activate(out, s->in.elements, s->l.activation);
		break;
	case TL_LAYER_ELTWISE: run_eltwise(s); break;
	case TL_LAYER_SHUFFLE:
		tl_shuffle((int)s->in.c, (int)(s->in.h * s->in.w),
			   s->l.params[0], in, out);
		break;
	case TL_LAYER_SLICE: run_slice(s); break;
	case TL_LAYER_LAYERNORM: run_layernorm(s); break;
	default: /* dropout: the identity at inference */
		memcpy(out, in, s->in.elements * sizeof(float));
		break;
	}
}

/* Every NaN of the output leaves as the quiet NaN AArch64 makes,
 * 0x7fc00000. An invalid operation (inf - inf, 0 x inf) gives a NaN with
 * the sign bit set on x86-64 (SSE's default NaN, 0xffc00000) and clear on
 * AArch64; a NaN's sign means nothing, but it made one model's output
 * bits differ between the host and the board (make generate-check, seed
 * 1861). */
static void canonical_nans(float *out, size_t bytes)
{
	for (size_t at = 0; at + sizeof(float) <= bytes; at += sizeof(float)) {
		uint32_t bits;
		memcpy(&bits, (unsigned char *)out + at, sizeof bits);
		if ((bits & 0x7fffffffu) > 0x7f800000u) {
			bits = 0x7fc00000u;
			memcpy((unsigned char *)out + at, &bits, sizeof bits);
		}
	}
}

enum tl_status tl_run_start(const struct tl_model *model,
			    const struct tl_plan *plan, void *arena,
			    size_t arena_size, const float *input)
{
	if (arena == NULL || (uintptr_t)arena % TL_ALIGN != 0 ||
	    arena_size < plan->arena_size)
		return TL_E_ARENA;
	if (plan->tensor_count != model->tensor_count ||
	    plan->layer_count != model->layer_count)
		return TL_E_ARGUMENT;
	memcpy((unsigned char *)arena + plan->tensor_offset[model->input], input,
	       tl_tensor_bytes(model, model->input));
	return TL_OK;
}

void tl_run_layer(const struct tl_model *model, const struct tl_plan *plan,
		  void *arena, uint32_t index, enum tl_mode mode)
{
	struct step s = { model, plan, arena, mode, index, { 0 }, { 0 }, { 0 } };
	tl_model_layer(model, index, &s.l);
	tl_model_tensor(model, s.l.inputs[0], &s.in);
	tl_model_tensor(model, s.l.output, &s.out);
	run_layer(&s);
}

void tl_run_finish(const struct tl_model *model, const struct tl_plan *plan,
		   const void *arena, float *output)
{
	size_t bytes = tl_tensor_bytes(model, model->output);
	memcpy(output, (const unsigned char *)arena +
	       plan->tensor_offset[model->output], bytes);
	canonical_nans(output, bytes);
}

enum tl_status tl_run(const struct tl_model *model, const struct tl_plan *plan,
		      void *arena, size_t arena_size, const float *input,
		      float *output, enum tl_mode mode)
{
	enum tl_status status = tl_run_start(model, plan, arena, arena_size,
					     input);
	if (status != TL_OK)
		return status;
	for (uint32_t i = 0; i < model->layer_count; i++)
		tl_run_layer(model, plan, arena, i, mode);
	tl_run_finish(model, plan, arena, output);
	return TL_OK;
}
