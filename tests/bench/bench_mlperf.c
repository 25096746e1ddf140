/*
 * The five networks of models/mlperf/ (MLPerf Tiny's four and the
 * activity network; models/mlperf/README.md keeps the table this prints):
 *   - size and work: parameters, multiply-adds (the TA's own count);
 *   - secure memory on rpi3bplus: the plan's TA_DATA_SIZE, and the arena
 *     against tl_plan's lower bound (the most activation bytes alive at
 *     once);
 *   - error: the largest difference from PyTorch's output relative to
 *     its largest output, strict and fast (the TA's outputs, through the
 *     simulated TEE with the leakage check on);
 *   - host latency: tl_run alone, median and interquartile range of
 *     enough runs to take ~0.3 s, strict and fast;
 *   - the board: the cost model's estimate of one inference on rpi3bplus
 *     (its MAC rate plus switches, mapping and copies) and the
 *     Cortex-A53 estimate from the instruction mix the TA's aarch64 code
 *     executes under the Unicorn runner (a53_run.h; needs the guest:
 *     make FLAVOR=aarch64 guests, which make bench builds).
 *
 *   bench_mlperf     (run from the repository's root)
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../relative_error.h"
#include "a53_run.h"
#include "bench_clock.h"
#include "run_session.h"
#include "tl_arena.h"
#include "tl_engine.h"

#define BOARD "rpi3bplus"
#define MIN_RUNS 15
#define MAX_RUNS 2001
#define MIN_SECONDS 0.3

static const char *const networks[] = { "kws_dscnn", "vww_mobilenet_v1",
	"ic_resnet8", "ad_autoencoder", "har_conv1d" };

struct latency {
	double median, iqr;	/* seconds */
};

/* Runs until MIN_SECONDS have passed (at least MIN_RUNS): the small
 * networks take tens of microseconds, where a few runs say little. */
static struct latency time_runs(const struct tl_model *m,
				const struct tl_plan *plan, void *arena,
				const float *in, float *out,
				enum tl_mode mode)
{
	static double t[MAX_RUNS];
	int n = 0;
	double start = bench_now();
	while (n < MAX_RUNS &&
	       (n < MIN_RUNS || bench_now() - start < MIN_SECONDS)) {
		double t0 = bench_now();
		tl_run(m, plan, arena, plan->arena_size, in, out, mode);
		t[n++] = bench_now() - t0;
	}
	qsort(t, (size_t)n, sizeof t[0], bench_compare_doubles);
	return (struct latency){ t[n / 2], t[3 * n / 4] - t[n / 4] };
}

static float *read_floats(const char *path, size_t n)
{
	float *y = malloc(n * sizeof *y);
	FILE *f = fopen(path, "rb");
	if (y == NULL || f == NULL || fread(y, sizeof *y, n, f) != n) {
		fprintf(stderr, "bench_mlperf: %s: cannot read %zu floats\n",
			path, n);
		exit(1);
	}
	fclose(f);
	return y;
}

/* One run of the model through the simulated TEE on BOARD, the leakage
 * check on; 0 when it ran and every check held. */
static int tee_run(const char *model, const char *input, uint32_t mode,
		   struct sz_run *r)
{
	char *inputs[1] = { (char *)input }, err[1024];
	struct sz_run_opts o = { .platform = BOARD, .model = model,
				 .inputs = inputs, .n_inputs = 1,
				 .mode = mode };
	if (sz_run(&o, r, err, sizeof err)) {
		fprintf(stderr, "bench_mlperf: %s\n", err);
		return 1;
	}
	if (r->checks.total) {
		fprintf(stderr, "bench_mlperf: %s: a check broke: %s\n", model,
			r->checks.msg[0]);
		return 1;
	}
	return 0;
}

/* The A53 estimate, in ms, or "-" (the reason once, below the table). */
static void a53_text(const struct sz_run *r, const char *model,
		     const float *x, char *out, size_t len, char *why,
		     size_t why_len)
{
	uint8_t *blob;
	size_t size;
	struct sz_a53 a;
	snprintf(out, len, "-");
	if (sz_model_blob(model, NULL, &blob, &size, why, why_len))
		return;
	sz_a53_estimate(&r->platform, model, blob, size, x, TL_MODE_STRICT,
			&a);
	free(blob);
	if (a.has)
		snprintf(out, len, "%.2f", a.seconds * 1e3);
	else if (!*why)
		snprintf(why, why_len, "%s", a.why);
}

static int bench(const char *name, char *why, size_t why_len)
{
	char model[128], input[128], torch[128];
	snprintf(model, sizeof model, "models/mlperf/%s.tlm", name);
	snprintf(input, sizeof input, "models/mlperf/%s.input.f32", name);
	snprintf(torch, sizeof torch, "models/mlperf/%s.torch.f32", name);
	static struct sz_run strict, fast;	/* large for a stack */
	if (tee_run(model, input, SZ_MODE_STRICT, &strict) ||
	    tee_run(model, input, SZ_MODE_FAST, &fast))
		return 1;
	const struct sz_model_needs *n = &strict.needs;
	size_t n_in = n->input_bytes / sizeof(float);
	size_t n_out = n->output_bytes / sizeof(float);
	float *x = read_floats(input, n_in), *ref = read_floats(torch, n_out);
	double es = max_relative_error(strict.outputs[0].y, ref, n_out);
	double ef = max_relative_error(fast.outputs[0].y, ref, n_out);

	/* the engine alone, as the TA runs it */
	uint8_t *blob;
	size_t size;
	struct tl_model m;
	struct tl_model_error e;
	struct tl_plan *plan = malloc(sizeof *plan);
	if (sz_model_blob(model, NULL, &blob, &size, why, why_len) ||
	    plan == NULL || tl_model_open(blob, size, &m, &e) != TL_OK ||
	    tl_plan(&m, plan) != TL_OK) {
		fprintf(stderr, "bench_mlperf: %s: cannot open or plan\n",
			name);
		return 1;
	}
	void *arena = tl_arena_alloc(plan->arena_size);
	float *out = malloc(n_out * sizeof *out);
	struct latency ls = time_runs(&m, plan, arena, x, out, TL_MODE_STRICT);
	struct latency lf = time_runs(&m, plan, arena, x, out, TL_MODE_FAST);

	char a53[32];
	a53_text(&strict, model, x, a53, sizeof a53, why, why_len);
	const double kib = 1024.0;
	printf("%-16s %7.1fk %6.2fM %8.0f %7.1f %6.1f %5.1f%% %8.1e %8.1e "
	       "%7.3f %6.3f %7.3f %6.3f %7.3f %6s\n", name,
	       n->weights_size / sizeof(float) / 1e3,
	       strict.report.macs / 1e6, strict.plan.ta_data_size / kib,
	       n->arena / kib, n->lower_bound / kib,
	       100.0 * ((double)n->arena / n->lower_bound - 1), es, ef,
	       ls.median * 1e3, ls.iqr * 1e3, lf.median * 1e3, lf.iqr * 1e3,
	       strict.has_cost ? strict.cost_inference.model.t.total * 1e3
			       : NAN, a53);
	free(out);
	free(arena);
	free(plan);
	free(blob);
	free(x);
	free(ref);
	sz_run_free(&strict);
	sz_run_free(&fast);
	return 0;
}

int main(void)
{
	printf("bench_mlperf: models/mlperf/ (seeded weights), secure memory "
	       "and board on %s;\nhost latency of tl_run on this host, one "
	       "thread: median and interquartile range over >= %.1f s\n",
	       BOARD, MIN_SECONDS);
	printf("%-16s %8s %7s %8s %7s %6s %6s %8s %8s %7s %6s %7s %6s %7s "
	       "%6s\n", "network", "params", "MACs", "TA_DATA", "arena", "LB",
	       "over", "err strc", "err fast", "strict", "iqr", "fast", "iqr",
	       "MACrate", "A53");
	printf("%-16s %8s %7s %8s %7s %6s %6s %8s %8s %7s %6s %7s %6s %7s "
	       "%6s\n", "", "", "", "KiB", "KiB", "KiB", "", "vs torch",
	       "vs torch", "ms", "ms", "ms", "ms", "ms", "ms");
	char why[512] = "";
	int status = 0;
	for (size_t i = 0; i < sizeof networks / sizeof *networks; i++)
		status |= bench(networks[i], why, sizeof why);
	printf("TA_DATA: the plan's TA_DATA_SIZE (weights + arena + heap "
	       "slack); LB: tl_plan's live lower bound; over: the arena above "
	       "it;\nMACrate: the cost model's one inference on %s; A53: "
	       "the Cortex-A53 estimate from the instruction mix (strict)\n",
	       BOARD);
	if (*why)
		printf("A53 not estimated: %s\n", why);
	return status;
}
