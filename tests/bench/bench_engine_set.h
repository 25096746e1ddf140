/*
 * One model ready for every engine of bench_engines: S-Tinylib's plan
 * and arena (strict and fast), Darknet's algorithm with its own
 * allocation, onnxruntime's session (the MODEL.onnx beside MODEL.tlm),
 * the same input for all, each engine's last output and its timings.
 */
#ifndef BENCH_ENGINE_SET_H
#define BENCH_ENGINE_SET_H

#include <stdint.h>
#include <stdio.h>

#include "bench_stats.h"
#include "darknet_algo.h"
#include "ort_client.h"
#include "tl_engine.h"

enum engine { ENGINE_STRICT, ENGINE_FAST, ENGINE_DARKNET, ENGINE_ORT,
	      ENGINES };

/* Their names in the JSON and the report. */
extern const char *const engine_names[ENGINES];

struct engine_set {
	char name[128], path[1024], onnx[1024], work[1024];
	uint8_t *blob;
	size_t size;
	struct tl_model m;	/* what S-Tinylib runs: weights by 16 */
	int by_16;		/* its layers with weights by 16 */
	uint8_t *rows_blob;	/* the file as it is, which Darknet's */
	struct tl_model rows;	/* algorithm reads */
	struct tl_plan *plan;
	void *arena;
	float *x, *y[ENGINES];
	struct darknet_net dk;
	char dk_skipped[256];	/* why Darknet's algorithm does not run it */
	struct ort_client *ort;
	int on[ENGINES];
	struct bench_spread spread[ENGINES];
	uint64_t params, macs;
	double err_fast_ort, err_strict_ort, err_darknet;
};

/* Opens path (a .tlm) for every engine; inputs and outputs of
 * onnxruntime go through files in work. 0, or -1 with a sentence in err
 * (engine_set_close frees what was made either way). */
int engine_set_open(struct engine_set *s, const char *path, const char *work,
		    struct ort_client *ort, char *err, size_t err_len);

/* One run of engine e; *seconds its time when seconds is not NULL. */
int engine_run(struct engine_set *s, enum engine e, double *seconds,
	       char *err, size_t err_len);

/* onnxruntime's last output read back into y[ENGINE_ORT]. */
int engine_set_finish(struct engine_set *s, char *err, size_t err_len);

/* One line of medians for people. */
void engine_set_print(const struct engine_set *s, double peak, FILE *f);

void engine_set_close(struct engine_set *s);

#endif
