/*
 * bench_engines' JSON (docs/bench.md, "report.json"): the host, then a
 * model at a time, then onnxruntime-node's version and the loading
 * figures. Written as the run goes, so that the calls come in this order:
 * begin, model..., end_models, [loading], end.
 */
#ifndef BENCH_REPORT_JSON_H
#define BENCH_REPORT_JSON_H

#include <stdio.h>

#include "bench_engine_set.h"
#include "bench_layers.h"
#include "bench_loading.h"

void bench_json_begin(FILE *f, int core, double peak, int rounds,
		      int vector_floats);
void bench_json_model(FILE *f, const struct engine_set *s,
		      const struct bench_layers *layers, double peak,
		      double bound, int first);
void bench_json_end_models(FILE *f, const char *ort_version);
void bench_json_loading(FILE *f, const char *path,
			const struct bench_loading *l);
void bench_json_end(FILE *f);

#endif
