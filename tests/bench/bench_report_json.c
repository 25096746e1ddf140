/* bench_engines' JSON (bench_report_json.h). */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "bench_report_json.h"

/* A line of a /proc file (its first line, or the first that starts with
 * key), JSON-safe: quotes and backslashes dropped, the newline cut. */
static void proc_line(const char *path, const char *key, char *out, size_t n)
{
	char line[512];
	FILE *f = fopen(path, "r");
	snprintf(out, n, "unknown");
	while (f && fgets(line, sizeof line, f)) {
		if (key && strncmp(line, key, strlen(key)))
			continue;
		char *v = key ? strchr(line, ':') : line;
		v = v ? v + (key ? 2 : 0) : line;
		size_t k = 0;
		for (; *v && *v != '\n' && k + 1 < n; v++)
			if (*v != '"' && *v != '\\')
				out[k++] = *v;
		out[k] = '\0';
		break;
	}
	if (f)
		fclose(f);
}

void bench_json_begin(FILE *f, int core, double peak, int rounds,
		      int vector_floats)
{
	char cpu[256], load[128];
	proc_line("/proc/cpuinfo", "model name", cpu, sizeof cpu);
	proc_line("/proc/loadavg", NULL, load, sizeof load);
	fprintf(f, "{\"host\": {\"cpu\": \"%s\", \"core\": %d, "
		"\"fma_peak_gflops\": %.2f, \"vector_floats\": %d, "
		"\"loadavg_at_start\": \"%s\"},\n \"rounds\": %d,\n "
		"\"engines\": [", cpu, core, peak, vector_floats, load, rounds);
	for (int e = 0; e < ENGINES; e++)
		fprintf(f, "%s\"%s\"", e ? ", " : "", engine_names[e]);
	fprintf(f, "],\n \"models\": [");
}

static void engine(FILE *f, const struct engine_set *s, int e, double peak)
{
	fprintf(f, "%s\n    \"%s\": ", e ? "," : "", engine_names[e]);
	if (!s->on[e]) {
		fprintf(f, "{\"skipped\": \"%s\"}", s->dk_skipped);
		return;
	}
	const struct bench_spread *t = &s->spread[e];
	double gflops = 2.0 * s->macs / t->median / 1e9;
	fprintf(f, "{\"median_s\": %.9f, \"q1_s\": %.9f, \"q3_s\": %.9f, "
		"\"min_s\": %.9f, \"max_s\": %.9f, \"runs\": %d, "
		"\"gflops\": %.3f, \"peak_share\": %.4f}", t->median, t->q1,
		t->q3, t->min, t->max, t->n, gflops, gflops / peak);
}

/* Per layer: fast mode's median and onnxruntime's nodes of it. */
static void layers_json(FILE *f, const struct bench_layers *l)
{
	fprintf(f, ",\n   \"layers\": {\"onnxruntime_layout_ms\": %.4f, "
		"\"list\": [", l->ort_layout_ms);
	for (uint32_t i = 0; i < l->n; i++) {
		const struct bench_layer *b = &l->layer[i];
		fprintf(f, "%s\n    {\"index\": %u, \"kind\": \"%s\", "
			"\"shape\": \"%s\", \"macs\": %llu, \"fast_ms\": %.4f, "
			"\"onnxruntime_ms\": %.4f}", i ? "," : "", i, b->kind,
			b->shape, (unsigned long long)b->macs, b->ms, b->ort_ms);
	}
	fprintf(f, "]}");
}

void bench_json_model(FILE *f, const struct engine_set *s,
		      const struct bench_layers *layers, double peak,
		      double bound, int first)
{
	struct tl_tensor in;
	tl_model_tensor(&s->m, s->m.input, &in);
	fprintf(f, "%s\n  {\"name\": \"%s\", \"file\": \"%s\", \"onnx\": \"%s\", "
		"\"input\": [%u, %u, %u], \"parameters\": %llu, \"macs\": %llu, "
		"\"weights_bytes\": %u,\n   \"memory\": {\"lower_bound\": %zu, "
		"\"arena\": %zu, \"darknet_style\": %zu, "
		"\"darknet_allocated\": %zu},\n   \"engines\": {",
		first ? "" : ",", s->name, s->path, s->onnx, in.c, in.h, in.w,
		(unsigned long long)s->params, (unsigned long long)s->macs,
		s->m.weights_size, s->plan->lower_bound, s->plan->arena_size,
		s->plan->darknet_style_bytes, s->dk.bytes);
	for (int e = 0; e < ENGINES; e++)
		engine(f, s, e, peak);
	fprintf(f, "},\n   \"agreement\": {\"bound\": %g, "
		"\"fast_vs_onnxruntime\": %.3g, \"strict_vs_onnxruntime\": %.3g, "
		"\"darknet_vs_strict\": %.3g},\n   \"fast_at_or_under_onnxruntime\""
		": %s", bound, s->err_fast_ort, s->err_strict_ort, s->err_darknet,
		s->spread[ENGINE_FAST].median <= s->spread[ENGINE_ORT].median
		? "true" : "false");
	if (layers)
		layers_json(f, layers);
	fprintf(f, "}");
}

void bench_json_end_models(FILE *f, const char *ort_version)
{
	fprintf(f, "\n ],\n \"onnxruntime_node\": \"%s\"", ort_version);
}

void bench_json_loading(FILE *f, const char *path,
			const struct bench_loading *l)
{
	fprintf(f, ",\n \"loading\": {\"model\": \"%s\", \"bytes\": %zu, "
		"\"open_s\": %.6f, \"open_gbps\": %.3f, \"memcpy_s\": %.6f, "
		"\"memcpy_gbps\": %.3f}", path, l->bytes, l->open_s,
		l->bytes / l->open_s / 1e9, l->memcpy_s,
		l->bytes / l->memcpy_s / 1e9);
}

void bench_json_end(FILE *f)
{
	char load[128];
	proc_line("/proc/loadavg", NULL, load, sizeof load);
	fprintf(f, ",\n \"loadavg_at_end\": \"%s\"}\n", load);
}
