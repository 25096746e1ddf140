/* Per-layer figures of one model (bench_layers.h). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_engine_set.h"
#include "bench_layers.h"
#include "tl_baseline.h"
#include "tl_layer_names.h"

/* What kind of layer l is, for the report's sums: a convolution by its
 * kernel ("conv 3x3"), or depthwise or grouped; else its type's name. */
static void kind_of(const struct tl_layer *l, const struct tl_tensor *in,
		    const struct tl_tensor *out, char *kind, size_t len)
{
	struct tl_geometry g;
	if (l->type != TL_LAYER_CONV) {
		snprintf(kind, len, "%s", tl_layer_type_name(l->type));
	} else if (l->params[3] > 1) {	/* groups (docs/model-format.md) */
		snprintf(kind, len, "%s", (uint32_t)l->params[3] == in->c &&
			 in->c == out->c ? "depthwise" : "grouped conv");
	} else {
		tl_layer_geometry(l, &g);
		snprintf(kind, len, "conv %ux%u", g.kh, g.kw);
	}
}

static void describe(const struct tl_model *m, uint32_t i,
		     struct bench_layer *b)
{
	struct tl_layer l;
	struct tl_tensor in, out;
	tl_model_layer(m, i, &l);
	tl_model_tensor(m, l.inputs[0], &in);
	tl_model_tensor(m, l.output, &out);
	kind_of(&l, &in, &out, b->kind, sizeof b->kind);
	snprintf(b->shape, sizeof b->shape, "%ux%ux%u -> %ux%ux%u", in.c, in.h,
		 in.w, out.c, out.h, out.w);
	b->macs = tl_baseline_layer_macs(m, i);
}

/* Layer times[i * rounds + r] of round r, after one untimed run. */
static int time_layers(struct engine_set *s, int rounds, double *times)
{
	uint32_t n = s->m.layer_count;
	for (int r = -1; r < rounds; r++) {
		if (tl_run_start(&s->m, s->plan, s->arena, s->plan->arena_size,
				 s->x) != TL_OK)
			return -1;
		for (uint32_t i = 0; i < n; i++) {
			double t0 = bench_now();
			tl_run_layer(&s->m, s->plan, s->arena, i, TL_MODE_FAST);
			if (r >= 0)
				times[(size_t)i * (size_t)rounds + (size_t)r] =
					bench_now() - t0;
		}
		tl_run_finish(&s->m, s->plan, s->arena, s->y[ENGINE_FAST]);
	}
	return 0;
}

static long layer_writing(const struct tl_model *m, uint32_t tensor)
{
	for (uint32_t i = 0; i < m->layer_count; i++) {
		struct tl_layer l;
		tl_model_layer(m, i, &l);
		if (l.output == tensor)
			return (long)i;
	}
	return -1;
}

/* The layer an onnxruntime node comes from: "l<index>_" at the start of
 * the name or of a part after "_" ("fused_l8_Gemm"), else the layer
 * writing "t<id>_..." or "y_..."; -2 for a layout change, -1 unknown. */
static long layer_of_node(const struct tl_model *m, const char *name)
{
	if (!strncmp(name, "Reorder", 7))
		return -2;
	for (const char *p = name; *p; p++) {
		if (*p != 'l' || (p > name && p[-1] != '_') ||
		    !isdigit((unsigned char)p[1]))
			continue;
		char *end;
		long index = strtol(p + 1, &end, 10);
		if (*end == '_' && index < (long)m->layer_count)
			return index;
	}
	if (name[0] == 'y' && name[1] == '_')
		return layer_writing(m, m->output);
	if (name[0] == 't' && isdigit((unsigned char)name[1])) {
		char *end;
		long tensor = strtol(name + 1, &end, 10);
		if (*end == '_' && tensor < (long)m->tensor_count)
			return layer_writing(m, (uint32_t)tensor);
	}
	return -1;
}

static int read_profile(const char *path, const struct tl_model *m,
			struct bench_layers *out, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, err_len, "%s: onnxruntime's profile is missing",
			 path);
		return -1;
	}
	double us;
	char op[64], name[256];
	int rc = 0;
	while (rc == 0 && fscanf(f, "%lf %63s %255s", &us, op, name) == 3) {
		long i = layer_of_node(m, name);
		if (i >= 0)
			out->layer[i].ort_ms += us * 1e-3;
		else if (i == -2)
			out->ort_layout_ms += us * 1e-3;
		else
			rc = -1;
	}
	if (rc)
		snprintf(err, err_len, "%s: onnxruntime's node %s (%s) comes "
			 "from no layer that bench_layers.c knows how to find "
			 "(did tools/tlm2onnx.py's or onnxruntime's names "
			 "change?)", path, name, op);
	else if (!feof(f))
		snprintf(err, err_len, "%s: not \"MICROSECONDS OP NODE\" lines",
			 path), rc = -1;
	fclose(f);
	return rc;
}

int bench_layers_measure(struct engine_set *s, int rounds,
			 struct bench_layers *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	out->n = s->m.layer_count;
	out->layer = calloc(out->n, sizeof *out->layer);
	double *times = malloc((size_t)out->n * (size_t)rounds * sizeof *times);
	if (!out->layer || !times) {
		free(times);
		snprintf(err, err_len, "%s: out of memory", s->name);
		return -1;
	}
	if (time_layers(s, rounds, times)) {
		free(times);
		snprintf(err, err_len, "%s: tl_run_start failed", s->name);
		return -1;
	}
	for (uint32_t i = 0; i < out->n; i++) {
		describe(&s->m, i, &out->layer[i]);
		out->layer[i].ms = bench_spread_of(times + (size_t)i * rounds,
						   rounds).median * 1e3;
	}
	free(times);
	char path[1200];
	snprintf(path, sizeof path, "%s/%s.onnxruntime-profile.txt", s->work,
		 s->name);
	if (ort_profile(s->ort, rounds, path, err, err_len))
		return -1;
	return read_profile(path, &s->m, out, err, err_len);
}

void bench_layers_free(struct bench_layers *l)
{
	free(l->layer);
	memset(l, 0, sizeof *l);
}
