/* One model for every engine (bench_engine_set.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "bench_engine_set.h"
#include "tl_arena.h"
#include "tl_baseline.h"
#include "tl_file.h"
#include "tl_tlm_by_16.h"

const char *const engine_names[ENGINES] = { "strict", "fast", "darknet",
					    "onnxruntime" };

/* The same input for every engine: values in [0, 1) from a fixed
 * multiplicative hash of the index (bench_models' input). */
static void fill_input(float *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((i * 2654435761u) % 1000) / 1000.0f;
}

static int write_floats(const char *path, const float *x, size_t n,
			char *err, size_t err_len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(x, sizeof *x, n, f) == n;
	if ((f && fclose(f)) || !ok) {
		snprintf(err, err_len, "%s: cannot write the input", path);
		return -1;
	}
	return 0;
}

/* name: the file's base name without ".tlm"; onnx: the same path with
 * ".onnx". */
static int names(struct engine_set *s, const char *path, const char *work,
		 char *err, size_t err_len)
{
	size_t n = strlen(path);
	if (n < 5 || strcmp(path + n - 4, ".tlm") || n + 2 >= sizeof s->path) {
		snprintf(err, err_len, "%s: a MODEL.tlm expected", path);
		return -1;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(s->path, sizeof s->path, "%s", path);
	snprintf(s->onnx, sizeof s->onnx, "%.*s.onnx", (int)(n - 4), path);
	snprintf(s->name, sizeof s->name, "%.*s", (int)strlen(base) - 4, base);
	snprintf(s->work, sizeof s->work, "%s", work);
	return 0;
}

static void count_work(struct engine_set *s)
{
	for (uint32_t t = 0; t < s->m.tensor_count; t++) {
		struct tl_tensor tensor;
		tl_model_tensor(&s->m, t, &tensor);
		if (tensor.kind == TL_TENSOR_PARAMETER)
			s->params += tensor.elements;
	}
	for (uint32_t i = 0; i < s->m.layer_count; i++)
		s->macs += tl_baseline_layer_macs(&s->m, i);
}

/* s->m: the file with its convolutions' weights by 16, as an x86-64 host
 * with direct.c (AVX-512) would be given it (tl_tlm_by_16.h); s->rows:
 * the file as it is. */
static int open_models(struct engine_set *s, char *err, size_t err_len)
{
	struct tl_model_error e;
	s->rows_blob = tl_arena_alloc(s->size);
	if (s->rows_blob == NULL) {
		snprintf(err, err_len, "%s: out of memory", s->path);
		return -1;
	}
	memcpy(s->rows_blob, s->blob, s->size);
	char why[512];
	s->by_16 = tl_tlm_store_by_16(s->blob, s->size, why, sizeof why);
	if (s->by_16 < 0) {
		snprintf(err, err_len, "%s: %s", s->path, why);
		return -1;
	}
	if (tl_model_open(s->rows_blob, s->size, &s->rows, &e) != TL_OK ||
	    tl_model_open(s->blob, s->size, &s->m, &e) != TL_OK) {
		snprintf(err, err_len, "%s: tl_model_open: %s (layer %d, "
			 "field %s)", s->path, tl_status_str(e.code), e.layer,
			 e.field ? e.field : "-");
		return -1;
	}
	return 0;
}

static int open_onnxruntime(struct engine_set *s, const char *input,
			    char *err, size_t err_len)
{
	struct tl_tensor in;
	tl_model_tensor(&s->m, s->m.input, &in);
	return ort_load(s->ort, s->onnx, input, in.c, in.h, in.w, err, err_len);
}

int engine_set_open(struct engine_set *s, const char *path, const char *work,
		    struct ort_client *ort, char *err, size_t err_len)
{
	memset(s, 0, sizeof *s);
	s->ort = ort;
	if (names(s, path, work, err, err_len) ||
	    tl_read_file(path, &s->blob, &s->size, err, err_len) ||
	    open_models(s, err, err_len))
		return -1;
	s->plan = malloc(sizeof *s->plan);
	if (!s->plan || tl_plan(&s->m, s->plan) != TL_OK) {
		snprintf(err, err_len, "%s: cannot plan", path);
		return -1;
	}
	size_t nx = tl_model_input_elements(&s->m);
	size_t ny = tl_model_output_elements(&s->m);
	s->arena = tl_arena_alloc(s->plan->arena_size);
	s->x = malloc(nx * sizeof *s->x);
	for (int i = 0; i < ENGINES; i++)
		s->y[i] = calloc(ny, sizeof(float));
	if (!s->arena || !s->x || !s->y[0] || !s->y[1] || !s->y[2] || !s->y[3]) {
		snprintf(err, err_len, "%s: out of memory", path);
		return -1;
	}
	fill_input(s->x, nx);
	count_work(s);
	char input[1200];
	snprintf(input, sizeof input, "%s/%s.input.f32", work, s->name);
	if (write_floats(input, s->x, nx, err, err_len) ||
	    open_onnxruntime(s, input, err, err_len))
		return -1;
	s->on[ENGINE_STRICT] = s->on[ENGINE_FAST] = s->on[ENGINE_ORT] = 1;
	s->on[ENGINE_DARKNET] = darknet_open(&s->rows, &s->dk, s->dk_skipped,
					     sizeof s->dk_skipped) == 0;
	return 0;
}

int engine_run(struct engine_set *s, enum engine e, double *seconds,
	       char *err, size_t err_len)
{
	double t0 = bench_now(), ort_s = 0;
	switch (e) {
	case ENGINE_STRICT:
	case ENGINE_FAST:
		if (tl_run(&s->m, s->plan, s->arena, s->plan->arena_size, s->x,
			   s->y[e], e == ENGINE_FAST ? TL_MODE_FAST
						     : TL_MODE_STRICT) != TL_OK) {
			snprintf(err, err_len, "%s: tl_run failed", s->name);
			return -1;
		}
		break;
	case ENGINE_DARKNET:
		darknet_run(&s->dk, s->x, s->y[e]);
		break;
	default:
		if (ort_run(s->ort, &ort_s, err, err_len))
			return -1;
		break;
	}
	if (seconds)
		*seconds = e == ENGINE_ORT ? ort_s : bench_now() - t0;
	return 0;
}

int engine_set_finish(struct engine_set *s, char *err, size_t err_len)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s.onnxruntime.f32", s->work, s->name);
	if (ort_save(s->ort, path, err, err_len))
		return -1;
	uint8_t *data;
	size_t size, n = tl_model_output_elements(&s->m);
	if (tl_read_file(path, &data, &size, err, err_len))
		return -1;
	int ok = size == n * sizeof(float);
	if (ok)
		memcpy(s->y[ENGINE_ORT], data, size);
	else
		snprintf(err, err_len, "%s: onnxruntime gave %zu floats, the "
			 "model's output has %zu (is %s the same model?)", path,
			 size / sizeof(float), n, s->onnx);
	free(data);
	return ok ? 0 : -1;
}

void engine_set_print(const struct engine_set *s, double peak, FILE *f)
{
	fprintf(f, "%-12s", s->name);
	for (int e = 0; e < ENGINES; e++) {
		if (!s->on[e]) {
			fprintf(f, "  %s -", engine_names[e]);
			continue;
		}
		fprintf(f, "  %s %.3f", engine_names[e], s->spread[e].median * 1e3);
	}
	double fast = s->spread[ENGINE_FAST].median;
	fprintf(f, "  (fast %.1f GFLOP/s, %.0f%% of peak; fast %s onnxruntime)\n",
		2.0 * s->macs / fast / 1e9, 100.0 * 2.0 * s->macs / fast / 1e9 / peak,
		fast <= s->spread[ENGINE_ORT].median ? "<=" : ">");
}

void engine_set_close(struct engine_set *s)
{
	if (s->on[ENGINE_DARKNET])
		darknet_close(&s->dk);
	for (int i = 0; i < ENGINES; i++)
		free(s->y[i]);
	free(s->x);
	free(s->arena);
	free(s->plan);
	free(s->blob);
	free(s->rows_blob);
	memset(s, 0, sizeof *s);
}
