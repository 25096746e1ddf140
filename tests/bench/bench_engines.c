/*
 * S-Tinylib beside the other engines, interleaved: for each model, each
 * round runs S-Tinylib strict, S-Tinylib fast, Darknet's algorithm
 * (darknet_algo.h) and onnxruntime (a node coprocess, ort_client.h,
 * single-threaded) once each, the order rotated every round, all pinned
 * to one core, so that every engine sees the same machine state. Then
 * the outputs are compared (fast against onnxruntime and Darknet's
 * against strict, within 1e-4 of the largest output): a disagreement
 * fails the run, as the comparison would not be honest. Then fast mode
 * layer by layer beside onnxruntime's own profile (bench_layers.h).
 * Writes the figures as JSON (docs/bench.md says what each one is);
 * ci/bench.sh runs it and tools/bench_report.py makes the report.
 *
 *   bench_engines --out FILE.json --work DIR --ort-dir DIR [--rounds N]
 *                 [--core N] [--node NODE] [--server JS]
 *                 [--loading MODEL.tlm] MODEL.tlm...
 *
 * Each MODEL.tlm has its MODEL.onnx beside it (tools/tlm2onnx.py).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../relative_error.h"
#include "bench_engine_set.h"
#include "bench_layers.h"
#include "bench_loading.h"
#include "bench_peak.h"
#include "bench_report_json.h"
#include "ort_client.h"

#define AGREE 1e-4	/* largest difference relative to the largest output */
#define MAX_ROUNDS 1000

struct args {
	const char *out, *work, *ort_dir, *node, *server, *loading;
	int rounds, core;
	char **models;
	int n_models;
};

static int usage(void)
{
	fprintf(stderr, "usage: bench_engines --out FILE.json --work DIR "
		"--ort-dir DIR [--rounds N] [--core N] [--node NODE] "
		"[--server JS] [--loading MODEL.tlm] MODEL.tlm...\n");
	return 2;
}

static int parse(int argc, char **argv, struct args *a)
{
	*a = (struct args){ NULL, NULL, NULL, "node", "tests/bench/ort_server.js",
			    NULL, 15, -1, NULL, 0 };
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc)
			return usage();
		const char *v = argv[i + 1];
		if (!strcmp(argv[i], "--out")) a->out = v;
		else if (!strcmp(argv[i], "--work")) a->work = v;
		else if (!strcmp(argv[i], "--ort-dir")) a->ort_dir = v;
		else if (!strcmp(argv[i], "--node")) a->node = v;
		else if (!strcmp(argv[i], "--server")) a->server = v;
		else if (!strcmp(argv[i], "--loading")) a->loading = v;
		else if (!strcmp(argv[i], "--rounds")) a->rounds = atoi(v);
		else if (!strcmp(argv[i], "--core")) a->core = atoi(v);
		else return usage();
	}
	a->models = argv + i;
	a->n_models = argc - i;
	if (!a->out || !a->work || !a->ort_dir || a->n_models == 0 ||
	    a->rounds < 1 || a->rounds > MAX_ROUNDS)
		return usage();
	return 0;
}

/* The core given, else the last this process may run on. */
static int pin(int core)
{
	cpu_set_t set;
	if (core < 0) {
		if (sched_getaffinity(0, sizeof set, &set))
			return -1;
		for (int c = CPU_SETSIZE - 1; c >= 0 && core < 0; c--)
			if (CPU_ISSET(c, &set))
				core = c;
	}
	CPU_ZERO(&set);
	CPU_SET(core, &set);
	if (sched_setaffinity(0, sizeof set, &set)) {
		fprintf(stderr, "bench_engines: pinning to core %d: %s\n", core,
			strerror(errno));
		return -1;
	}
	return core;
}

/* Times every engine once a round, the first one rotating, after one
 * warm-up run each. */
static int measure(struct engine_set *s, int rounds, char *err,
		   size_t err_len)
{
	static double t[ENGINES][MAX_ROUNDS];
	for (int e = 0; e < ENGINES; e++)
		if (s->on[e] && engine_run(s, e, NULL, err, err_len))
			return -1;
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < ENGINES; k++) {
			int e = (r + k) % ENGINES;
			if (s->on[e] && engine_run(s, e, &t[e][r], err, err_len))
				return -1;
		}
	for (int e = 0; e < ENGINES; e++)
		if (s->on[e])
			s->spread[e] = bench_spread_of(t[e], rounds);
	return 0;
}

/* The outputs compared: fast against onnxruntime, strict against
 * onnxruntime (reported), Darknet's against strict. */
static int agree(struct engine_set *s, const char *name, char *err,
		 size_t err_len)
{
	size_t n = tl_model_output_elements(&s->m);
	s->err_fast_ort = max_relative_error(s->y[ENGINE_FAST], s->y[ENGINE_ORT], n);
	s->err_strict_ort = max_relative_error(s->y[ENGINE_STRICT],
					       s->y[ENGINE_ORT], n);
	s->err_darknet = s->on[ENGINE_DARKNET] ? max_relative_error(
		s->y[ENGINE_DARKNET], s->y[ENGINE_STRICT], n) : 0;
	if (s->err_fast_ort <= AGREE && s->err_darknet <= AGREE)
		return 0;
	snprintf(err, err_len, "%s: outputs disagree: S-Tinylib fast against "
		 "onnxruntime %.3g, Darknet's algorithm against S-Tinylib "
		 "strict %.3g (bound %g, relative to the largest output)",
		 name, s->err_fast_ort, s->err_darknet, AGREE);
	return -1;
}

static int bench_model(const struct args *a, struct ort_client *ort,
		       const char *path, double peak, FILE *json, int *written)
{
	char err[1024];
	struct engine_set s;
	struct bench_layers layers = { 0 };
	int rc = engine_set_open(&s, path, a->work, ort, err, sizeof err);
	if (rc == 0) {
		rc = measure(&s, a->rounds, err, sizeof err) ||
		     engine_set_finish(&s, err, sizeof err) ||
		     agree(&s, s.name, err, sizeof err) ||
		     bench_layers_measure(&s, a->rounds, &layers, err,
					  sizeof err);
	}
	if (rc == 0) {
		engine_set_print(&s, peak, stdout);
		bench_json_model(json, &s, &layers, peak, AGREE,
				 (*written)++ == 0);
	} else {
		fprintf(stderr, "bench_engines: %s\n", err);
	}
	bench_layers_free(&layers);
	engine_set_close(&s);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct args a;
	if (parse(argc, argv, &a))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);	/* in order with stderr in a log */
	int core = pin(a.core);
	if (core < 0)
		return 1;
	/* the peak before node starts, which would share the core; the best
	 * of three, as other work on the machine only ever lowers it */
	double peak = 0;
	for (int i = 0; i < 3; i++) {
		double p = fma_peak_gflops();
		peak = p > peak ? p : peak;
	}
	char err[1024];
	struct ort_client ort;
	if (ort_start(&ort, a.node, a.server, a.ort_dir, err, sizeof err)) {
		fprintf(stderr, "bench_engines: %s\n", err);
		return 1;
	}
	FILE *json = fopen(a.out, "w");
	if (!json) {
		fprintf(stderr, "bench_engines: %s: %s\n", a.out, strerror(errno));
		ort_stop(&ort);
		return 1;
	}
	printf("bench_engines: core %d, FMA peak %.1f GFLOP/s, %d rounds "
	       "(engines in turn, order rotated), medians in ms\n",
	       core, peak, a.rounds);
	bench_json_begin(json, core, peak, a.rounds, VEC_FLOATS);
	int status = 0, written = 0;
	for (int i = 0; i < a.n_models; i++)
		status |= bench_model(&a, &ort, a.models[i], peak, json, &written);
	bench_json_end_models(json, ort.version);
	if (a.loading) {
		struct bench_loading l;
		if (bench_loading_measure(a.loading, &l, err, sizeof err)) {
			fprintf(stderr, "bench_engines: loading: %s\n", err);
			status = 1;
		} else {
			bench_json_loading(json, a.loading, &l);
			printf("loading %s: tl_model_open %.2f GB/s, memcpy %.2f "
			       "GB/s\n", a.loading, l.bytes / l.open_s / 1e9,
			       l.bytes / l.memcpy_s / 1e9);
		}
	}
	bench_json_end(json);
	ort_stop(&ort);
	if (fclose(json)) {
		fprintf(stderr, "bench_engines: %s: %s\n", a.out, strerror(errno));
		status = 1;
	}
	return status;
}
