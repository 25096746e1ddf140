/*
 * tl_plan: every activation tensor and every layer's kernel workspace
 * becomes a buffer of the greedy planner (tl_planner.h), alive from the
 * layer that writes it to the last layer that reads it. Buffers are added
 * in one fixed order (the model input, then per layer its output and its
 * workspace) and read back in the same order. A convolution whose kernel
 * can put more workspace to use than it needs gets it where the arena
 * does not grow (grant_workspaces).
 */
#include <string.h>

#include "engine_internal.h"

void tl_conv_params_of(const struct tl_model *m, const struct tl_layer *l,
		       struct tl_conv_params *p)
{
	struct tl_tensor in, out;
	struct tl_geometry g;
	tl_model_tensor(m, l->inputs[0], &in);
	tl_model_tensor(m, l->output, &out);
	tl_layer_geometry(l, &g);
	p->c = (int)in.c, p->h = (int)in.h, p->w = (int)in.w;
	p->filters = (int)out.c, p->out_h = (int)out.h, p->out_w = (int)out.w;
	p->size = (int)g.kh, p->kw = (int)g.kw;
	p->stride = (int)g.sh, p->sw = (int)g.sw;
	p->pad = (int)g.top, p->pad_left = (int)g.left;
	p->groups = l->params[3];
	p->act = l->activation;
	p->weights_by_16 = 0;
	if (l->weights < m->tensor_count) {
		struct tl_tensor w;
		tl_model_tensor(m, l->weights, &w);
		p->weights_by_16 = w.layout == TL_LAYOUT_BY_16;
	}
}

size_t tl_tensor_bytes(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t.elements * sizeof(float);
}

/* The last step that needs tensor id: its last reader, or `from`. */
static int last_use(const struct tl_model *m, uint32_t id, int from)
{
	struct tl_layer l;
	int last = id == m->output ? (int)m->layer_count - 1 : from;
	for (uint32_t i = (uint32_t)from; i < m->layer_count; i++) {
		tl_model_layer(m, i, &l);
		for (int k = 0; k < l.n_inputs; k++)
			if (l.inputs[k] == id)
				last = (int)i;
	}
	return last;
}

/* The workspace layer l needs, or with most the most its kernel can put
 * to use (tl_kernels.h), in bytes. */
static size_t workspace_bytes(const struct tl_model *m, const struct tl_layer *l,
			      int most)
{
	struct tl_conv_params p;
	if (l->type != TL_LAYER_CONV)
		return 0;
	tl_conv_params_of(m, l, &p);
	return (most ? tl_conv_workspace_floats_max(&p)
		     : tl_conv_workspace_floats(&p)) * sizeof(float);
}

/* Every layer's workspace: what it needs. */
static void needed_workspaces(const struct tl_model *m, struct tl_plan *plan)
{
	struct tl_layer l;
	for (uint32_t i = 0; i < m->layer_count; i++) {
		tl_model_layer(m, i, &l);
		plan->workspace_size[i] = (uint32_t)workspace_bytes(m, &l, 0);
	}
}

/* Darknet's workspace: the whole im2col matrix of the largest conv (a 1x1
 * stride-1 conv reads its input as it is and needs none). */
static size_t im2col_bytes(const struct tl_model *m, const struct tl_layer *l)
{
	struct tl_conv_params p;
	if (l->type != TL_LAYER_CONV)
		return 0;
	tl_conv_params_of(m, l, &p);
	if (p.size == 1 && p.kw == 1 && p.stride == 1 && p.sw == 1 &&
	    p.out_h == p.h && p.out_w == p.w)
		return 0;
	return (size_t)p.out_h * p.out_w * (size_t)(p.c / p.groups) *
	       (size_t)p.size * p.kw * sizeof(float);
}

static void add_buffers(const struct tl_model *m, struct tl_planner *planner,
			struct tl_plan *plan)
{
	struct tl_layer l;
	plan->workspace_bytes = plan->darknet_style_bytes = 0;
	tl_planner_add(planner, tl_tensor_bytes(m, m->input), 0,
		       last_use(m, m->input, 0));
	for (uint32_t i = 0; i < m->layer_count; i++) {
		tl_model_layer(m, i, &l);
		tl_planner_add(planner, tl_tensor_bytes(m, l.output), (int)i,
			       last_use(m, l.output, (int)i));
		size_t ws = plan->workspace_size[i], full = im2col_bytes(m, &l);
		if (ws > 0)
			tl_planner_add(planner, ws, (int)i, (int)i);
		if (ws > plan->workspace_bytes)
			plan->workspace_bytes = ws;
		if (full > plan->darknet_style_bytes)
			plan->darknet_style_bytes = full;
	}
}

/* The tensors and the workspaces of plan->workspace_size, placed. */
static enum tl_status place(const struct tl_model *m, struct tl_planner *planner,
			    struct tl_plan *plan)
{
	tl_planner_init(planner, plan->buffers, plan->order,
			TL_MAX_PLAN_BUFFERS);
	add_buffers(m, planner, plan);
	return tl_planner_solve(planner) == 0 ? TL_OK : TL_E_LIMIT;
}

static void read_offsets(const struct tl_model *m,
			 const struct tl_planner *planner, struct tl_plan *plan)
{
	struct tl_layer l;
	int id = 0;
	plan->tensor_offset[m->input] = tl_planner_offset(planner, id++);
	for (uint32_t i = 0; i < m->layer_count; i++) {
		tl_model_layer(m, i, &l);
		plan->tensor_offset[l.output] = tl_planner_offset(planner, id++);
		plan->darknet_style_bytes += tl_tensor_bytes(m, l.output);
		if (plan->workspace_size[i] > 0)
			plan->workspace_offset[i] = tl_planner_offset(planner, id++);
	}
}

/* Buffer id's bytes (rounded as the planner places them) if it is alive
 * at step, else 0. */
static size_t alive_at(const struct tl_planner *planner, int id, int step)
{
	const struct tl_plan_buffer *b = &planner->buffers[id];
	if (step < b->first_use || step > b->last_use)
		return 0;
	return (b->size + TL_PLAN_ALIGN - 1) / TL_PLAN_ALIGN * TL_PLAN_ALIGN;
}

/* The activation bytes alive at step, from the lifetimes the planner
 * holds, walking the buffers in add_buffers' order so that workspaces are
 * left out (as in the bound the project reports). */
static size_t activations_at(const struct tl_model *m,
			     const struct tl_planner *planner,
			     const struct tl_plan *plan, int step)
{
	size_t alive = alive_at(planner, 0, step);
	int id = 1;
	for (uint32_t i = 0; i < m->layer_count; i++) {
		alive += alive_at(planner, id++, step);
		id += plan->workspace_size[i] > 0;
	}
	return alive;
}

static size_t activation_lower_bound(const struct tl_model *m,
				     const struct tl_planner *planner,
				     const struct tl_plan *plan)
{
	size_t most = 0;
	for (int step = 0; step < (int)m->layer_count; step++) {
		size_t alive = activations_at(m, planner, plan, step);
		most = alive > most ? alive : most;
	}
	return most;
}

/*
 * With the needed workspaces placed in an arena of `arena` bytes: each
 * convolution whose kernel can put more to use (direct.c's k block of
 * every channel) and whose activations at its step leave room for it in
 * that arena gets it; placed again, the grants stay if the arena is no
 * larger, else the needed sizes are placed once more. So no arena grows
 * for them. The tests hold every plan's arena to its size without
 * grants (tests/tinylib/test_models.c).
 */
static enum tl_status grant_workspaces(const struct tl_model *m,
				       struct tl_planner *planner,
				       struct tl_plan *plan)
{
	struct tl_layer l;
	size_t arena = tl_planner_arena_size(planner);
	int granted = 0;
	for (uint32_t i = 0; i < m->layer_count; i++) {
		tl_model_layer(m, i, &l);
		size_t most = workspace_bytes(m, &l, 1);
		if (plan->workspace_size[i] == 0 || most <= plan->workspace_size[i])
			continue;
		size_t alive = activations_at(m, planner, plan, (int)i);
		if (alive > arena || most > arena - alive)
			continue;
		plan->workspace_size[i] = (uint32_t)most;
		granted = 1;
	}
	if (!granted)
		return TL_OK;
	if (place(m, planner, plan) == TL_OK &&
	    tl_planner_arena_size(planner) <= arena)
		return TL_OK;
	needed_workspaces(m, plan);
	return place(m, planner, plan);
}

enum tl_status tl_plan(const struct tl_model *model, struct tl_plan *plan)
{
	struct tl_planner planner;
	memset(plan, 0, sizeof *plan);
	plan->tensor_count = model->tensor_count;
	plan->layer_count = model->layer_count;
	needed_workspaces(model, plan);
	if (place(model, &planner, plan) != TL_OK ||
	    grant_workspaces(model, &planner, plan) != TL_OK)
		return TL_E_LIMIT;
	read_offsets(model, &planner, plan);
	plan->arena_size = tl_planner_arena_size(&planner);
	plan->lower_bound = activation_lower_bound(model, &planner, plan);
	return TL_OK;
}

size_t tl_model_input_elements(const struct tl_model *model)
{
	return tl_tensor_bytes(model, model->input) / sizeof(float);
}

size_t tl_model_output_elements(const struct tl_model *model)
{
	return tl_tensor_bytes(model, model->output) / sizeof(float);
}
