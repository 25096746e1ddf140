/*
 * The MLPerf Tiny networks and the activity network (models/mlperf/,
 * converted from PyTorch: tools/mlperf_models.py) end to end, with no
 * PyTorch at run time: each opened and planned by S-Tinylib, planned by
 * smartzone on both platforms, and run on its seeded input through the
 * simulated TEE with every check held (leakage, and the double-fetch
 * trap armed where it runs: x86-64, not valgrind) on both. The strict
 * output is the host engine's to the bit, so equal on both platforms,
 * and within TOLERANCE of PyTorch's output; the fast one within
 * TOLERANCE too. The strict output's digest is
 * compared with the host's under qemu-aarch64 (digest_file.h).
 *
 * TL_TEST_QUICK=1 (qemu, valgrind): the strict run on rpi3bplus only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../digest_file.h"
#include "../relative_error.h"
#include "cli.h"
#include "commands.h"
#include "model_needs.h"
#include "sim.h"
#include "tl_engine.h"

/* As tests/onnx/test_reference_nets.py: the largest difference from
 * PyTorch relative to its largest output. Measured at most 2.1e-6 (the
 * sums' order differs from PyTorch's; models/mlperf/README.md). */
#define TOLERANCE 1e-4

static const char *const networks[] = { "kws_dscnn", "vww_mobilenet_v1",
	"ic_resnet8", "ad_autoencoder", "har_conv1d" };
static const char *const boards[] = { "rpi3bplus", "qemu_armv8a" };

static float *read_floats(const char *path, size_t n)
{
	float *y = malloc((n + 1) * sizeof *y);
	assert_non_null(y);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("%s: cannot open", path);
	/* one more than expected: a longer file fails too */
	assert_int_equal(fread(y, sizeof *y, n + 1, f), n);
	fclose(f);
	return y;
}

struct net {
	const char *name;
	char tlm[128], input[128], torch[128], dir[64];
	uint8_t *blob;
	size_t size, n_in, n_out;
	struct tl_model model;
	struct tl_plan *plan;
	float *x, *host, *ref;	/* input, host strict output, PyTorch's */
};

/* Opens and plans the model, runs it strict on the host (the TA's
 * output must be this, bit for bit). */
static void open_net(struct net *n, const char *name)
{
	char err[512];
	struct tl_model_error e;
	memset(n, 0, sizeof *n);
	n->name = name;
	snprintf(n->tlm, sizeof n->tlm, "models/mlperf/%s.tlm", name);
	snprintf(n->input, sizeof n->input, "models/mlperf/%s.input.f32",
		 name);
	snprintf(n->torch, sizeof n->torch, "models/mlperf/%s.torch.f32",
		 name);
	if (sz_model_blob(n->tlm, NULL, &n->blob, &n->size, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(tl_model_open(n->blob, n->size, &n->model, &e),
			 TL_OK);
	n->plan = malloc(sizeof *n->plan);
	assert_non_null(n->plan);
	assert_int_equal(tl_plan(&n->model, n->plan), TL_OK);
	assert_true(n->plan->arena_size >= n->plan->lower_bound);
	n->n_in = tl_model_input_elements(&n->model);
	n->n_out = tl_model_output_elements(&n->model);
	n->x = read_floats(n->input, n->n_in);
	n->ref = read_floats(n->torch, n->n_out);
	n->host = malloc(n->n_out * sizeof *n->host);
	void *arena = aligned_alloc(TL_ALIGN,
				    (n->plan->arena_size + 15) / 16 * 16);
	assert_non_null(arena);
	assert_int_equal(tl_run(&n->model, n->plan, arena,
				n->plan->arena_size, n->x, n->host,
				TL_MODE_STRICT), TL_OK);
	free(arena);
	cli_tmpdir(n->dir, sizeof n->dir);
}

static void close_net(struct net *n)
{
	cli_rmdir(n->dir);
	free(n->blob);
	free(n->plan);
	free(n->x);
	free(n->host);
	free(n->ref);
}

/* The double-fetch trap single-steps the TA with x86-64's trap flag,
 * and not under valgrind (sim.h): elsewhere the other checks run. */
static bool trap_runs(void)
{
#if defined(__x86_64__)
	return !sim_under_valgrind();
#else
	return false;
#endif
}

/* smartzone run on the board with every check armed; the output it
 * saved. */
static float *run_in_tee(struct net *n, const char *board, bool fast)
{
	const char *opt[3] = { NULL, NULL, NULL };	/* NULL ends the list */
	size_t k = 0;
	if (trap_runs())
		opt[k++] = "--double-fetch";
	if (fast)
		opt[k++] = "--fast";
	int rc = cli_run(sz_cmd_run_model, "run", "--platform", board,
			 "--save-outputs", n->dir, n->tlm, n->input, opt[0],
			 opt[1], NULL);
	if (rc)
		fail_msg("%s on %s: %s%s", n->name, board, cli_out, cli_err);
	assert_non_null(strstr(cli_out, fast ? "(fast mode)"
					     : "(strict mode)"));
	assert_non_null(strstr(cli_out, "leakage: no secret bytes in "
				       "normal-world memory    held"));
	if (trap_runs())
		assert_non_null(strstr(cli_out, "double fetch: shared memory "
					       "read once              held"));
	assert_non_null(strstr(cli_out, "Every check held."));
	char out[256];
	snprintf(out, sizeof out, "%s/%s.input.f32.out", n->dir, n->name);
	return read_floats(out, n->n_out);
}

static void test_network(void **state)
{
	struct net n;
	open_net(&n, *state);
	for (size_t b = 0; b < 2; b++) {
		assert_int_equal(cli_run(sz_cmd_plan, "plan", "--platform",
					 boards[b], n.tlm, NULL), 0);
		assert_non_null(strstr(cli_out, "Invariants: all hold"));
	}
	size_t boards_run = cli_quick() ? 1 : 2;
	for (size_t b = 0; b < boards_run; b++) {
		float *y = run_in_tee(&n, boards[b], false);
		assert_memory_equal(y, n.host, n.n_out * sizeof *y);
		double e = max_relative_error(y, n.ref, n.n_out);
		printf("  %-16s %-11s strict: %.1e from PyTorch\n", n.name,
		       boards[b], e);
		assert_true(e <= TOLERANCE);
		free(y);
	}
	if (!cli_quick()) {
		float *y = run_in_tee(&n, boards[0], true);
		double e = max_relative_error(y, n.ref, n.n_out);
		printf("  %-16s %-11s fast:   %.1e from PyTorch\n", n.name,
		       boards[0], e);
		assert_true(e <= TOLERANCE);
		free(y);
	}
	digest_check("mlperf", n.name,
		     digest_floats(DIGEST_START, n.host, n.n_out));
	close_net(&n);
}

int main(void)
{
	struct CMUnitTest tests[sizeof networks / sizeof *networks];
	for (size_t i = 0; i < sizeof networks / sizeof *networks; i++)
		tests[i] = (struct CMUnitTest){ networks[i], test_network,
			NULL, NULL, (void *)networks[i] };
	digest_start("mlperf");
	return _cmocka_run_group_tests("mlperf models", tests,
				       sizeof tests / sizeof *tests, NULL,
				       NULL);
}
