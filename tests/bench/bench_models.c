/*
 * S-Tinylib on the seven sample Darknet models (seeded weights): size,
 * work, memory plan and host latency. Measured on this host, one thread:
 * the median of several runs in each numeric mode, and GFLOP/s (2 FLOP
 * per multiply-add) against this core's measured single-precision FMA
 * peak. Memory figures are the plan's, exact for any machine.
 *
 *   bench_models [CFG_DIR]       (default models/zoo, run from the root)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"
#include "bench_peak.h"
#include "tl_arena.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"

#define RUNS 7

static double median_run(const struct tl_model *m, const struct tl_plan *plan,
			 void *arena, const float *in, float *out,
			 enum tl_mode mode)
{
	double t[RUNS];
	for (int r = 0; r < RUNS; r++) {
		double start = bench_now();
		tl_run(m, plan, arena, plan->arena_size, in, out, mode);
		t[r] = bench_now() - start;
	}
	qsort(t, RUNS, sizeof t[0], bench_compare_doubles);
	return t[RUNS / 2];
}

static uint64_t model_macs(const char *cfg_path)
{
	FILE *f = fopen(cfg_path, "rb");
	char *text = malloc(1 << 20);
	size_t len = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	uint64_t macs = 0;
	char err[256];
	if (tl_darknet_cfg_parse(text, len, cfg_path, &cfg, err, sizeof err) == 0) {
		if (tl_darknet_net_build(&cfg, &net, err, sizeof err) == 0) {
			macs = net.macs;
			tl_darknet_net_free(&net);
		}
		tl_darknet_cfg_free(&cfg);
	}
	free(text);
	return macs;
}

static int bench_model(const char *dir, const char *name, double peak)
{
	char path[512], err[512];
	uint8_t *blob;
	size_t size;
	snprintf(path, sizeof path, "%s/%s.cfg", dir, name);
	if (tl_darknet_convert_files(path, NULL, 1, &blob, &size, err, sizeof err)) {
		fprintf(stderr, "bench_models: %s\n", err);
		return 1;
	}
	struct tl_model m;
	struct tl_model_error e;
	struct tl_plan *plan = malloc(sizeof *plan);
	if (tl_model_open(blob, size, &m, &e) != TL_OK || tl_plan(&m, plan) != TL_OK) {
		fprintf(stderr, "bench_models: %s: cannot open or plan\n", name);
		return 1;
	}
	void *arena = tl_arena_alloc(plan->arena_size);
	float *in = calloc(tl_model_input_elements(&m), sizeof *in);
	float *out = malloc(tl_model_output_elements(&m) * sizeof *out);
	for (size_t i = 0; i < tl_model_input_elements(&m); i++)
		in[i] = (float)((i * 2654435761u) % 1000) / 1000.0f;
	uint64_t macs = model_macs(path);
	double strict = median_run(&m, plan, arena, in, out, TL_MODE_STRICT);
	double fast = median_run(&m, plan, arena, in, out, TL_MODE_FAST);
	const double mib = 1048576.0;
	printf("%-12s %7.2f %6.2f %8.2f %8.2f %6.1f%% %9.2f %9.1f %9.1f %7.1f %5.0f%%\n",
	       name, (size - 4) / mib, macs / 1e9, plan->lower_bound / mib,
	       plan->arena_size / mib,
	       100.0 * ((double)plan->arena_size / plan->lower_bound - 1),
	       plan->darknet_style_bytes / mib, strict * 1e3, fast * 1e3,
	       2.0 * macs / fast / 1e9, 100.0 * 2.0 * macs / fast / 1e9 / peak);
	free(arena);
	free(in);
	free(out);
	free(plan);
	free(blob);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const models[] = { "alexnet", "cifar", "darknet",
		"mobilenet_v1", "resnet18", "tiny", "yolov3-tiny" };
	const char *dir = argc > 1 ? argv[1] : "models/zoo";
	double peak = fma_peak_gflops();
	printf("bench_models: measured on this host, one thread, seeded weights; "
	       "median of %d runs\nFMA peak of this core: %.1f GFLOP/s\n",
	       RUNS, peak);
	printf("%-12s %7s %6s %8s %8s %7s %9s %9s %9s %7s %6s\n", "model",
	       "MiB", "GMAC", "live LB", "arena", "over", "darknet",
	       "strict ms", "fast ms", "GFLOP/s", "peak");
	int status = 0;
	for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
		status |= bench_model(dir, models[i], peak);
	printf("MiB: the .tlm weights; live LB: the most activation bytes alive "
	       "at once; arena: the plan (activations + workspaces); darknet: "
	       "one buffer per layer output + the largest im2col\n");
	return status;
}
