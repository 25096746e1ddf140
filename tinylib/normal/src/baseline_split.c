/*
 * The baseline's steps (tl_baseline.h): a model cut into consecutive runs
 * of layers, each its own small .tlm, each fitting the default TA heap.
 *
 * A cut before layer k is possible when exactly one activation crosses it:
 * written before k (or the model input) and read at k or later (or the
 * model output). The TA holds one activation between steps, so that one
 * is the next step's input. Sequential models can be cut anywhere;
 * residual blocks and routes only where their branches have joined.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_baseline.h"
#include "tl_engine.h"
#include "tl_layer_names.h"
#include "tl_tlm_builder.h"

#define MIB (1024.0 * 1024.0)

/* Who writes and who last reads each tensor of the model. */
struct graph {
	const struct tl_model *m;
	int32_t *writer;	/* the layer, -1 for the model input, -2 none */
	int32_t *last_read;	/* the last layer reading it; layer_count for
				 * the model output; -1 none */
	uint32_t *cut;		/* [k]: the one activation crossing the cut
				 * before layer k, TL_NONE when 0 or 2+ */
	uint64_t *param_bytes;	/* [k]: parameter bytes of layers < k */
	uint64_t *act_bytes;	/* [k]: layer k's first input + its output,
				 * alive together in any arena */
};

/* What a candidate step costs; scratch shared by all candidates. */
struct work {
	struct graph g;
	uint32_t *map;		/* model tensor -> step tensor */
	struct tl_plan *plan;
	size_t budget;
};

size_t tl_baseline_need(size_t file, size_t arena, size_t in_bytes,
			size_t out_bytes)
{
	return file + arena + sizeof(struct tl_plan) + in_bytes + out_bytes;
}

uint64_t tl_baseline_layer_macs(const struct tl_model *m, uint32_t layer)
{
	struct tl_layer l;
	struct tl_tensor w, out;
	tl_model_layer(m, layer, &l);
	tl_model_tensor(m, l.output, &out);
	/* 1.1's eltwise and layernorm: one per output element */
	if (l.type == TL_LAYER_ELTWISE || l.type == TL_LAYER_LAYERNORM)
		return out.elements;
	if (l.weights == TL_NONE)
		return 0;
	tl_model_tensor(m, l.weights, &w);
	if (l.type == TL_LAYER_CONV)
		return (uint64_t)w.elements * out.h * out.w;
	return l.type == TL_LAYER_CONNECTED ? w.elements : 0;
}

static size_t tensor_bytes(const struct tl_model *m, uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t.elements * sizeof(float);
}

static void graph_free(struct graph *g)
{
	free(g->writer);
	free(g->last_read);
	free(g->cut);
	free(g->param_bytes);
	free(g->act_bytes);
}

/* Layer k's reads, write, busiest activations and parameter bytes (a
 * parameter two layers share is counted twice: the bounds built on it
 * then only err towards trying fewer candidates). */
static void note_layer(struct graph *g, uint32_t k, const struct tl_layer *l)
{
	for (int i = 0; i < l->n_inputs; i++)
		g->last_read[l->inputs[i]] = (int32_t)k;
	g->writer[l->output] = (int32_t)k;
	g->act_bytes[k] = tensor_bytes(g->m, l->inputs[0]) +
			  tensor_bytes(g->m, l->output);
	uint64_t bytes = 0;
	if (l->weights != TL_NONE)
		bytes += tensor_bytes(g->m, l->weights);
	if (l->bias != TL_NONE)
		bytes += tensor_bytes(g->m, l->bias);
	g->param_bytes[k + 1] = g->param_bytes[k] + bytes;
}

/* O(layers x tensors): at most 512 x 1537, nothing next to building. */
static void find_cuts(struct graph *g)
{
	uint32_t n = g->m->layer_count;
	for (uint32_t k = 0; k <= n; k++) {
		uint32_t found = TL_NONE, count = 0;
		for (uint32_t t = 0; t < g->m->tensor_count; t++)
			if (g->writer[t] != -2 && g->writer[t] < (int32_t)k &&
			    g->last_read[t] >= (int32_t)k) {
				found = t;
				count++;
			}
		g->cut[k] = count == 1 ? found : TL_NONE;
	}
}

static int graph_init(struct graph *g, const struct tl_model *m)
{
	uint32_t nt = m->tensor_count, n = m->layer_count;
	memset(g, 0, sizeof *g);
	g->m = m;
	g->writer = malloc(nt * sizeof *g->writer);
	g->last_read = malloc(nt * sizeof *g->last_read);
	g->cut = malloc((n + 1) * sizeof *g->cut);
	g->param_bytes = calloc(n + 1, sizeof *g->param_bytes);
	g->act_bytes = malloc(n * sizeof *g->act_bytes);
	if (!g->writer || !g->last_read || !g->cut || !g->param_bytes ||
	    !g->act_bytes) {
		graph_free(g);
		return -1;
	}
	for (uint32_t t = 0; t < nt; t++) {
		g->writer[t] = -2;
		g->last_read[t] = -1;
	}
	g->writer[m->input] = -1;
	for (uint32_t k = 0; k < n; k++) {
		struct tl_layer l;
		tl_model_layer(m, k, &l);
		note_layer(g, k, &l);
	}
	g->last_read[m->output] = (int32_t)n;
	find_cuts(g);
	return 0;
}

/* A step [s, e) may end at e when one activation crosses there and one
 * of its layers wrote it. */
static bool valid_end(const struct graph *g, uint32_t s, uint32_t e)
{
	uint32_t t = g->cut[e];
	return t != TL_NONE && g->writer[t] >= (int32_t)s &&
	       g->writer[t] < (int32_t)e;
}

/* The model's tensor id in the step's builder, adding it the first time. */
static uint32_t step_tensor(struct work *w, struct tl_tlm_builder *b,
			    uint32_t id)
{
	if (id == TL_NONE)
		return TL_NONE;
	if (w->map[id] == TL_NONE) {
		struct tl_tensor t;
		tl_model_tensor(w->g.m, id, &t);
		w->map[id] = t.kind == TL_TENSOR_PARAMETER
			? tl_tlm_add_parameter(b, t.data, t.c, t.h, t.w)
			: tl_tlm_add_activation(b, t.c, t.h, t.w);
		tl_tlm_set_layout(b, w->map[id], t.layout);	/* as stored */
	}
	return w->map[id];
}

/* Layers [s, e) of the model as a .tlm taking cut[s] and giving cut[e]. */
static int build_step(struct work *w, uint32_t s, uint32_t e,
		      uint8_t **blob, size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	for (uint32_t t = 0; t < w->g.m->tensor_count; t++)
		w->map[t] = TL_NONE;
	uint32_t in = step_tensor(w, &b, w->g.cut[s]);
	for (uint32_t k = s; k < e; k++) {
		struct tl_layer l;
		tl_model_layer(w->g.m, k, &l);
		for (int i = 0; i < l.n_inputs; i++)
			l.inputs[i] = step_tensor(w, &b, l.inputs[i]);
		l.weights = step_tensor(w, &b, l.weights);
		l.bias = step_tensor(w, &b, l.bias);
		l.output = step_tensor(w, &b, l.output);
		tl_tlm_add_layer(&b, &l);
	}
	tl_tlm_set_io(&b, in, w->map[w->g.cut[e]]);
	int rc = tl_tlm_finish(&b, blob, size);
	tl_tlm_builder_free(&b);
	return rc;
}

/* Builds and plans step [s, e) into *st. -1 when out of memory or the
 * step does not open (which a valid model's step always does). */
static int make_step(struct work *w, uint32_t s, uint32_t e,
		     struct tl_baseline_step *st)
{
	memset(st, 0, sizeof *st);
	struct tl_model sm;
	struct tl_model_error me;
	if (build_step(w, s, e, &st->blob, &st->size) ||
	    tl_model_open(st->blob, st->size, &sm, &me) != TL_OK ||
	    tl_plan(&sm, w->plan) != TL_OK) {
		free(st->blob);
		st->blob = NULL;
		return -1;
	}
	st->first = s;
	st->count = e - s;
	st->arena = w->plan->arena_size;
	st->in_bytes = tl_model_input_elements(&sm) * sizeof(float);
	st->out_bytes = tl_model_output_elements(&sm) * sizeof(float);
	st->need = tl_baseline_need(st->size, st->arena, st->in_bytes,
				    st->out_bytes);
	for (uint32_t k = s; k < e; k++)
		st->macs += tl_baseline_layer_macs(w->g.m, k);
	return 0;
}

/* Says why no step from s fits; returns what the shortest one needs. */
static size_t refuse(struct work *w, uint32_t s, char *err, size_t err_len)
{
	uint32_t n = w->g.m->layer_count, e = s + 1;
	while (e < n && !valid_end(&w->g, s, e))
		e++;
	struct tl_layer l;
	tl_model_layer(w->g.m, s, &l);
	char which[64];
	snprintf(which, sizeof which, "layer %u (%s)", s, tl_layer_type_name(l.type));
	if (e - s > 1)
		snprintf(which + strlen(which), sizeof which - strlen(which),
			 " up to layer %u", e - 1);
	struct tl_baseline_step st;
	if (make_step(w, s, e, &st)) {
		snprintf(err, err_len, "%s: can not be made a step (out of "
			 "memory, or the model output is not its last)", which);
		return 0;
	}
	snprintf(err, err_len, "%s needs %.2f MiB of TA heap (model file "
		 "%.2f, arena %.2f, activations %.2f + %.2f MiB), more than "
		 "the %.2f MiB a step may take, and no step boundary lies %s",
		 which, st.need / MIB, st.size / MIB, st.arena / MIB,
		 st.in_bytes / MIB, st.out_bytes / MIB, w->budget / MIB,
		 e - s > 1 ? "between them (a branch spans them)"
			   : "inside a layer (layers are not split)");
	free(st.blob);
	return st.need;
}

/* A need no step [s, e) can be below, without building it: its weights,
 * the activations of its busiest layer, its input and output, the plan.
 * Building a candidate costs two CRC passes over it; this skips most. */
static uint64_t need_floor(const struct graph *g, uint32_t s, uint32_t e)
{
	uint64_t act = 0;
	for (uint32_t k = s; k < e; k++)
		act = g->act_bytes[k] > act ? g->act_bytes[k] : act;
	return g->param_bytes[e] - g->param_bytes[s] + act +
	       tensor_bytes(g->m, g->cut[s]) + tensor_bytes(g->m, g->cut[e]) +
	       sizeof(struct tl_plan);
}

/*
 * The longest step from s that fits; -1 (err written) when none does.
 * Candidates are tried from the longest down: a step's weights only grow
 * with its length, but its arena and activations need not, so the first
 * that fits going down is the longest.
 */
static int next_step(struct work *w, uint32_t s, struct tl_baseline_step *st,
		     size_t *refused_need, char *err, size_t err_len)
{
	uint32_t e = s + 1;
	while (e < w->g.m->layer_count &&
	       w->g.param_bytes[e + 1] - w->g.param_bytes[s] <= w->budget)
		e++;
	for (; e > s; e--) {
		if (!valid_end(&w->g, s, e) ||
		    need_floor(&w->g, s, e) > w->budget)
			continue;
		if (make_step(w, s, e, st)) {
			snprintf(err, err_len, "layers %u..%u: out of memory",
				 s, e - 1);
			return -1;
		}
		if (st->need <= w->budget)
			return 0;
		free(st->blob);
		st->blob = NULL;
	}
	*refused_need = refuse(w, s, err, err_len);
	return -1;
}

static int split(struct work *w, struct tl_baseline *out, char *err,
		 size_t err_len)
{
	uint32_t n = w->g.m->layer_count;
	out->steps = calloc(n, sizeof *out->steps);
	if (!out->steps) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	for (uint32_t s = 0; s < n;) {
		struct tl_baseline_step *st = &out->steps[out->n_steps];
		if (next_step(w, s, st, &out->refused_need, err, err_len))
			return -1;
		out->n_steps++;
		out->bytes += st->size;
		out->macs += st->macs;
		s += st->count;
	}
	return 0;
}

int tl_baseline_split(const void *blob, size_t size, size_t budget,
		      struct tl_baseline *out, char *err, size_t err_len)
{
	struct tl_model m;
	struct tl_model_error me;
	struct work w = { .budget = budget };
	memset(out, 0, sizeof *out);
	if (tl_model_open(blob, size, &m, &me) != TL_OK) {
		tl_tlm_describe_error(&me, "model", err, err_len);
		return -1;
	}
	w.map = malloc(m.tensor_count * sizeof *w.map);
	w.plan = malloc(sizeof *w.plan);
	int rc = -1;
	if (!w.map || !w.plan || graph_init(&w.g, &m)) {
		snprintf(err, err_len, "out of memory");
	} else {
		out->budget = budget;
		out->in_elements = tl_model_input_elements(&m);
		out->out_elements = tl_model_output_elements(&m);
		rc = split(&w, out, err, err_len);
		graph_free(&w.g);
	}
	free(w.map);
	free(w.plan);
	if (rc) {
		size_t need = out->refused_need;
		tl_baseline_free(out);
		out->refused_need = need;
	}
	return rc;
}

void tl_baseline_free(struct tl_baseline *b)
{
	for (size_t i = 0; i < b->n_steps; i++)
		free(b->steps[i].blob);
	free(b->steps);
	memset(b, 0, sizeof *b);
}
