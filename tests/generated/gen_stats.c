/* The counts of a run of generated models (gen_stats.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gen_stats.h"

static const char *const type_names[TL_LAYER_TYPE_END] = {
	"", "conv", "connected", "maxpool", "avgpool", "softmax", "shortcut",
	"route", "upsample", "dropout", "crop", "yolo", "activation",
	"eltwise", "shuffle", "slice", "layernorm" };
static const char *const act_names[GEN_ACTIVATIONS] = { "linear", "relu",
	"relu6", "leaky", "logistic", "tanh", "hardswish", "hardsigmoid",
	"silu", "gelu" };

static void range_add(struct gen_range *r, uint64_t v)
{
	if (!r->n || v < r->min)
		r->min = v;
	if (!r->n || v > r->max)
		r->max = v;
	r->n++;
}

static void count_layer(struct gen_stats *st, const struct gen_model *m,
			const struct gen_layer *l)
{
	st->types[l->type]++;
	if (l->type == TL_LAYER_CONV || l->type == TL_LAYER_CONNECTED ||
	    l->type == TL_LAYER_SHORTCUT || l->type == TL_LAYER_ACTIVATION)
		st->acts[l->act]++;
	struct gen_shape in = gen_model_act(m, l->inputs[0]);
	if (l->type == TL_LAYER_CONV && l->params[3] > 1)
		*(l->params[3] == (int32_t)in.c ? &st->depthwise
						: &st->grouped) += 1;
	if (l->type == TL_LAYER_SHORTCUT) {
		struct gen_shape b = gen_model_act(m, l->inputs[1]);
		st->smaller_from += b.w < in.w;
		st->larger_from += b.w > in.w;
	}
	if (l->type == TL_LAYER_ROUTE)
		st->route_inputs[l->n_inputs]++;
	st->yolo_softmax += l->type == TL_LAYER_YOLO && l->params[1];
	st->shared += l->shared;
}

static void count_plans(struct gen_stats *st, const struct gen_outcome *out)
{
	for (int k = 0; k < GEN_PLATFORMS; k++) {
		const struct gen_plan_outcome *p = &out->plan[k];
		if (p->planned) {
			st->planned[k]++;
			range_add(&st->planned_bytes[k], out->file_bytes);
			*(p->fit_applied ? &st->by_fit[k]
					 : &st->by_points[k]) += 1;
			continue;
		}
		if (!st->refused[k] || p->needs_mib < st->needs_min[k])
			st->needs_min[k] = p->needs_mib;
		if (!st->refused[k] || p->needs_mib > st->needs_max[k])
			st->needs_max[k] = p->needs_mib;
		st->refused[k]++;
		st->refused_shm[k] += p->by_shared_memory;
		range_add(&st->refused_bytes[k], out->file_bytes);
	}
}

void gen_stats_add(struct gen_stats *st, const struct gen_model *m,
		   const struct gen_check_opts *o,
		   const struct gen_outcome *out)
{
	st->checked++;
	st->ran += out->ran;
	range_add(&st->files, out->file_bytes);
	range_add(&st->arenas, out->arena_bytes);
	range_add(&st->layers, m->n_layers);
	count_plans(st, out);
	for (size_t i = 0; i < m->n_layers; i++)
		count_layer(st, m, &m->layers[i]);
	st->output_not_last += m->output != (int)m->n_layers;
	st->shuffled += m->layout.shuffle;
	st->gaps += m->layout.gap[0] || m->layout.gap[1] || m->layout.gap[2];
	st->sessions_over_one += o->sessions > 1;
}

/* Bytes as people read them. */
static const char *human(uint64_t b, char *buf, size_t len)
{
	if (b < 10240)
		snprintf(buf, len, "%llu B", (unsigned long long)b);
	else if (b < 10u << 20)
		snprintf(buf, len, "%.1f KiB", (double)b / 1024);
	else
		snprintf(buf, len, "%.1f MiB", (double)b / (1 << 20));
	return buf;
}

static void print_platform(const struct gen_stats *st, int k)
{
	char a[32], b[32], c[32], d[32];
	const struct gen_range *p = &st->planned_bytes[k];
	const struct gen_range *r = &st->refused_bytes[k];
	print_message("  %-11s %u planned (files %s .. %s; window by the fit "
		      "%u, by the points %u), %u refused for size", gen_platforms[k],
		      st->planned[k], human(p->min, a, sizeof a),
		      human(p->max, b, sizeof b), st->by_fit[k],
		      st->by_points[k], st->refused[k]);
	if (st->refused[k])
		print_message(" (%u for one inference's shared memory; files "
			      "%s .. %s, needing %.1f .. %.1f MiB)",
			      st->refused_shm[k], human(r->min, c, sizeof c),
			      human(r->max, d, sizeof d), st->needs_min[k],
			      st->needs_max[k]);
	print_message("\n");
}

void gen_stats_print(const struct gen_stats *st, uint64_t first,
		     uint64_t count, uint64_t every)
{
	char a[32], b[32], c[32], d[32];
	print_message("generated models: seeds %llu to %llu, every %llu: %u "
		      "generated, %u checked, %u left out of this phase, %u "
		      "failed, in %.1f s\n", (unsigned long long)first,
		      (unsigned long long)(first + count - 1),
		      (unsigned long long)every, st->generated, st->checked,
		      st->skipped, st->failures, st->seconds);
	print_message("  files %s .. %s, arenas %s .. %s, %llu .. %llu "
		      "layers\n", human(st->files.min, a, sizeof a),
		      human(st->files.max, b, sizeof b),
		      human(st->arenas.min, c, sizeof c),
		      human(st->arenas.max, d, sizeof d),
		      (unsigned long long)st->layers.min,
		      (unsigned long long)st->layers.max);
	for (int k = 0; k < GEN_PLATFORMS; k++)
		print_platform(st, k);
	print_message("  smartzone run: %u ran with every check held, outputs "
		      "bit-identical to tlmrun strict; %u compared bit for bit "
		      "with the host's\n", st->ran, st->cross_compared);
	print_message("  layers:");
	for (int t = 1; t < TL_LAYER_TYPE_END; t++)
		print_message(" %s %u", type_names[t], st->types[t]);
	print_message("\n  activations:");
	for (int k = 0; k < GEN_ACTIVATIONS; k++)
		print_message(" %s %u", act_names[k], st->acts[k]);
	print_message("\n  depthwise %u, grouped %u, yolo softmax %u, "
		      "shortcuts from smaller %u "
		      "and larger %u, routes of 1-4: %u %u %u %u, outputs not "
		      "the last layer %u, shared parameters %u, shuffled ids "
		      "%u, gaps %u, plans for 2-64 sessions %u\n",
		      st->depthwise, st->grouped, st->yolo_softmax,
		      st->smaller_from,
		      st->larger_from, st->route_inputs[1],
		      st->route_inputs[2], st->route_inputs[3],
		      st->route_inputs[4], st->output_not_last, st->shared,
		      st->shuffled, st->gaps, st->sessions_over_one);
}

void gen_stats_write(const struct gen_stats *st, const char *path)
{
	FILE *f = path && *path ? fopen(path, "w") : NULL;
	if (!f)
		return;
	fprintf(f, "generated %u\nchecked %u\nskipped %u\nfailures %u\n"
		"ran %u\ncross_compared %u\nseconds %.1f\nfile_min %llu\n"
		"file_max %llu\n", st->generated, st->checked, st->skipped,
		st->failures, st->ran, st->cross_compared, st->seconds,
		(unsigned long long)st->files.min,
		(unsigned long long)st->files.max);
	for (int k = 0; k < GEN_PLATFORMS; k++) {
		const char *p = gen_platforms[k];
		fprintf(f, "planned_%s %u\nrefused_%s %u\nrefused_shm_%s %u\n"
			"by_fit_%s %u\nby_points_%s %u\n", p, st->planned[k],
			p, st->refused[k], p, st->refused_shm[k], p,
			st->by_fit[k], p, st->by_points[k]);
		if (st->planned[k])
			fprintf(f, "planned_min_%s %llu\nplanned_max_%s %llu\n",
				p, (unsigned long long)st->planned_bytes[k].min,
				p, (unsigned long long)st->planned_bytes[k].max);
		if (st->refused[k])
			fprintf(f, "refused_min_%s %llu\nrefused_max_%s %llu\n"
				"needs_min_%s %.1f\nneeds_max_%s %.1f\n", p,
				(unsigned long long)st->refused_bytes[k].min, p,
				(unsigned long long)st->refused_bytes[k].max, p,
				st->needs_min[k], p, st->needs_max[k]);
	}
	fclose(f);
}

static void must(unsigned count, const char *what)
{
	if (!count)
		fail_msg("no generated model held %s: the generator no longer "
			 "draws it", what);
}

void gen_stats_assert_coverage(const struct gen_stats *st)
{
	for (int t = 1; t < TL_LAYER_TYPE_END; t++)
		must(st->types[t], type_names[t]);
	for (int k = 0; k < GEN_ACTIVATIONS; k++)
		must(st->acts[k], act_names[k]);
	must(st->depthwise, "a depthwise convolution");
	must(st->grouped, "a grouped convolution");
	must(st->yolo_softmax, "a yolo head with softmax classes");
	must(st->smaller_from, "a shortcut from a smaller input");
	must(st->larger_from, "a shortcut from a larger input");
	must(st->route_inputs[4], "a route of 4 inputs");
	must(st->output_not_last, "an output before the last layer");
	for (int k = 0; k < GEN_PLATFORMS; k++) {
		must(st->by_fit[k], "a window from the exponential fit");
		must(st->by_points[k], "a window chosen by the points");
	}
	must(st->files.min < 1024, "a file under 1 KiB");
	must(st->files.max > 10u << 20, "a file over 10 MiB");
}
