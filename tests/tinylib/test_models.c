/*
 * The seven sample Darknet models end to end: converted with seeded
 * weights, opened, planned and run in both numeric modes.
 *   - The plan's live lower bound and Darknet-style total equal BRIEF.md's
 *     independent figures, and the arena stays within 5% of the bound.
 *   - Each workspace is what its convolution needs or the most it can put
 *     to use; the buffers alive at one step lie apart, and the arena is no
 *     larger than with the needed workspaces alone.
 *   - Strict mode gives the same bits twice, and the same bits on aarch64
 *     as on the host (digest_file.h).
 *   - Both modes match the whole-model double-precision reference
 *     (reference_model.c) within TOLERANCE.
 *   - With the weights stored by 16 (tl_tlm_by_16.h), every layer that
 *     allows it rewritten, the plan is the same and each mode gives the
 *     same bits as with rows (strict mode in the quick runs too: there
 *     aarch64's GEMM reads them).
 * Environment: TL_TEST_MODELS="a b" picks models (default all);
 * TL_TEST_QUICK=1 runs strict mode once and skips the reference and fast
 * mode (make check sets it for the qemu and valgrind phases, where the
 * point is the cross-architecture digest and the memory checks).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../digest_file.h"
#include "reference_model.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"
#include "tl_tlm_by_16.h"

/*
 * Largest difference from the reference allowed, relative to the largest
 * reference output. The engine differs from the reference only in the
 * order of float sums (about 1e-6 relative per layer) and in contraction
 * (strict mode's convolutions fuse each step, fast mode contracts more); over
 * these depths the measured worst is 1.7e-5 (mobilenet_v1), so 1e-4
 * leaves a margin of six and still catches any wrong index or missing
 * term.
 */
#define TOLERANCE 1e-4

struct sample {
	const char *name;
	double lower_bound_mib;   /* BRIEF.md, "activation lower bound MiB" */
	double darknet_mib;       /* BRIEF.md, "Darknet-style MiB" */
	int granted;              /* direct.c's layers given more
				   * workspace than they need (plan.c) */
	int by_16;                /* the layers direct.c takes: their
				   * weights may be stored by 16 */
};

/* granted: every 3x3 layer with output rows of 10 or more and 57
 * channels or more, where direct.c's k block of every channel (144
 * floats a channel) is more than the GEMM's 8,192 floats (at stride 1,
 * and ResNet-18's two at stride 2), and AlexNet's 5x5 (96 channels of
 * 400 floats); but cifar's two 128 -> 128 at 28x28, whose step is the
 * arena's peak. */
/* by_16: every 3x3 layer at stride 1 with 16 channels or more, 16n
 * filters and output rows of 10 or more (Tiny YOLOv3's 13x13 layers
 * too, not its first from 3 channels); ResNet-18's first 7x7/2 and its
 * two 3x3/2 over even widths; AlexNet's 11x11/4 and 5x5. */
static const struct sample samples[] = {
	{ "alexnet", 1.70, 9.69, 4, 5 }, { "cifar", 0.77, 5.84, 3, 5 },
	{ "darknet", 5.00, 18.92, 2, 4 }, { "mobilenet_v1", 6.00, 26.82, 0, 0 },
	{ "resnet18", 5.00, 25.45, 12, 13 }, { "tiny", 3.83, 20.09, 2, 7 },
	{ "yolov3-tiny", 13.20, 55.03, 6, 8 },
};

struct loaded {
	uint8_t *blob;
	size_t size;
	struct tl_model model;
	struct tl_plan *plan;
	void *arena;
	float *input;
	size_t n_out;
};

static void load(const char *name, struct loaded *L)
{
	char path[256], err[512];
	struct tl_model_error e;
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	if (tl_darknet_convert_files(path, NULL, 11, &L->blob, &L->size, err,
				     sizeof err))
		fail_msg("%s", err);
	assert_int_equal(tl_model_open(L->blob, L->size, &L->model, &e), TL_OK);
	L->plan = malloc(sizeof *L->plan);
	assert_int_equal(tl_plan(&L->model, L->plan), TL_OK);
	L->arena = aligned_alloc(TL_ALIGN, (L->plan->arena_size + 15) / 16 * 16);
	size_t n_in = tl_model_input_elements(&L->model);
	L->input = malloc(n_in * sizeof(float));
	uint64_t s = 99;
	for (size_t i = 0; i < n_in; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		L->input[i] = (float)(s >> 40) / (float)(1 << 24);
	}
	L->n_out = tl_model_output_elements(&L->model);
}

static void unload(struct loaded *L)
{
	free(L->blob);
	free(L->plan);
	free(L->arena);
	free(L->input);
}

static float *run(struct loaded *L, enum tl_mode mode)
{
	float *out = malloc(L->n_out * sizeof *out);
	assert_int_equal(tl_run(&L->model, L->plan, L->arena, L->plan->arena_size,
				L->input, out, mode), TL_OK);
	return out;
}

static void check_plan(const struct sample *s, const struct tl_plan *plan)
{
	double lb = plan->lower_bound / 1048576.0, arena = plan->arena_size / 1048576.0;
	printf("  %-12s live lower bound %.2f MiB, arena %.2f MiB (+%.1f%%)\n",
	       s->name, lb, arena, 100 * (arena / lb - 1));
	double darknet = plan->darknet_style_bytes / 1048576.0;
	if (fabs(lb - s->lower_bound_mib) >= 0.005)
		fail_msg("%s: lower bound %.4f MiB, BRIEF.md says %.2f", s->name,
			 lb, s->lower_bound_mib);
	if (fabs(darknet - s->darknet_mib) >= 0.005)
		fail_msg("%s: Darknet-style %.4f MiB, BRIEF.md says %.2f", s->name,
			 darknet, s->darknet_mib);
	assert_true(plan->arena_size <= plan->lower_bound * 1.05);
}

/* Layer i's workspace: what its convolution needs, or with most the most
 * it can put to use; bytes. */
static size_t workspace_of(const struct tl_model *m, uint32_t i, int most)
{
	struct tl_layer l;
	struct tl_conv_params p;
	tl_model_layer(m, i, &l);
	if (l.type != TL_LAYER_CONV)
		return 0;
	tl_conv_params_of(m, &l, &p);
	return (most ? tl_conv_workspace_floats_max(&p)
		     : tl_conv_workspace_floats(&p)) * sizeof(float);
}

static int apart(const struct tl_plan_buffer *a, const struct tl_plan_buffer *b)
{
	return a->last_use < b->first_use || b->last_use < a->first_use ||
	       a->offset + a->size <= b->offset ||
	       b->offset + b->size <= a->offset;
}

/* The plan's workspaces (plan.c's grants): each the needed size or the
 * most; every two buffers alive together apart; and the same buffers with
 * the needed workspaces, placed again, take no smaller arena. Returns how
 * many layers got more than they need. */
static int check_workspaces(const struct loaded *L)
{
	const struct tl_plan *plan = L->plan;
	struct tl_plan *needed = malloc(sizeof *needed);
	struct tl_planner planner;
	int count = 1, granted = 0;	/* the model input, then per layer */
	for (uint32_t i = 0; i < plan->layer_count; i++) {
		size_t need = workspace_of(&L->model, i, 0);
		size_t most = workspace_of(&L->model, i, 1);
		size_t given = plan->workspace_size[i];
		assert_true(given == need || given == most);
		granted += given > need;
		count += 1 + (given > 0);
	}
	for (int a = 0; a < count; a++)
		for (int b = a + 1; b < count; b++)
			assert_true(apart(&plan->buffers[a], &plan->buffers[b]));
	tl_planner_init(&planner, needed->buffers, needed->order,
			TL_MAX_PLAN_BUFFERS);
	int id = 0;
	tl_planner_add(&planner, plan->buffers[id].size,
		       plan->buffers[id].first_use, plan->buffers[id].last_use);
	for (uint32_t i = 0; i < plan->layer_count; i++) {
		const struct tl_plan_buffer *out = &plan->buffers[++id];
		tl_planner_add(&planner, out->size, out->first_use, out->last_use);
		if (plan->workspace_size[i] > 0) {
			id++;
			tl_planner_add(&planner, workspace_of(&L->model, i, 0),
				       (int)i, (int)i);
		}
	}
	assert_int_equal(tl_planner_solve(&planner), 0);
	assert_true(plan->arena_size <= tl_planner_arena_size(&planner));
	free(needed);
	return granted;
}

/* The model again with its weights by 16: as many layers as s says, the
 * same plan, and the same bits as `strict` and `fast` (fast NULL: not
 * run). */
static void check_by_16(const struct sample *s, const struct loaded *L,
			const float *strict, const float *fast)
{
	struct loaded B = *L;
	char err[256];
	B.blob = aligned_alloc(TL_ALIGN, (L->size + 15) / 16 * 16);
	memcpy(B.blob, L->blob, L->size);
	int n = tl_tlm_store_by_16(B.blob, B.size, err, sizeof err);
	printf("  %-12s %d layers' weights by 16\n", s->name, n);
	assert_int_equal(n, s->by_16);
	struct tl_model_error e;
	assert_int_equal(tl_model_open(B.blob, B.size, &B.model, &e), TL_OK);
	B.plan = malloc(sizeof *B.plan);
	assert_int_equal(tl_plan(&B.model, B.plan), TL_OK);
	assert_int_equal(B.plan->arena_size, L->plan->arena_size);
	assert_memory_equal(B.plan->workspace_size, L->plan->workspace_size,
			    sizeof L->plan->workspace_size);
	float *y = run(&B, TL_MODE_STRICT);
	assert_memory_equal(y, strict, L->n_out * sizeof *y);
	free(y);
	if (fast != NULL) {
		y = run(&B, TL_MODE_FAST);
		assert_memory_equal(y, fast, L->n_out * sizeof *y);
		free(y);
	}
	free(B.plan);
	free(B.blob);
}

/* Strict mode again (same bits), fast mode, and both against the
 * reference; then with the weights by 16. */
static void check_modes(struct loaded *L, const struct sample *s,
			const float *strict)
{
	const char *name = s->name;
	float *again = run(L, TL_MODE_STRICT), *fast = run(L, TL_MODE_FAST);
	float *ref = reference_run(&L->model, L->input);
	assert_memory_equal(strict, again, L->n_out * sizeof *strict);
	double es = relative_error(strict, ref, L->n_out);
	double ef = relative_error(fast, ref, L->n_out);
	printf("  %-12s against the reference: strict %.2e, fast %.2e\n", name,
	       es, ef);
	assert_true(es <= TOLERANCE);
	assert_true(ef <= TOLERANCE);
	check_by_16(s, L, strict, fast);
	free(ref);
	free(fast);
	free(again);
}

static void test_model(void **state)
{
	const struct sample *s = *state;
	struct loaded L;
	load(s->name, &L);
	check_plan(s, L.plan);
	int granted = check_workspaces(&L);
	printf("  %-12s %d layers with more workspace than they need\n",
	       s->name, granted);
	assert_int_equal(granted, s->granted);
	float *strict = run(&L, TL_MODE_STRICT);
	if (getenv("TL_TEST_QUICK") == NULL)
		check_modes(&L, s, strict);
	else
		check_by_16(s, &L, strict, NULL);
	uint64_t digest = digest_floats(DIGEST_START, strict, L.n_out);
	free(strict);
	unload(&L);
	digest_check("models", s->name, digest);
}

static int wanted(const char *name)
{
	const char *list = getenv("TL_TEST_MODELS");
	if (list == NULL)
		return 1;
	size_t n = strlen(name);
	for (const char *p = strstr(list, name); p; p = strstr(p + 1, name))
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int main(void)
{
	struct CMUnitTest tests[8];
	size_t n = 0;
	digest_start("models");
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		if (!wanted(samples[i].name))
			continue;
		struct CMUnitTest t = { samples[i].name, test_model, NULL, NULL,
					(void *)&samples[i] };
		tests[n++] = t;
	}
	return _cmocka_run_group_tests("tinylib_models", tests, n, NULL, NULL);
}
