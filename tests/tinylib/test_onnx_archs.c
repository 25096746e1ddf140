/*
 * Models from PyTorch that the repository keeps small in
 * tests/onnx/models/ (written by tools/export_torch_models.py --mini):
 * reduced MobileNet v1 and ResNet-18, defined in PyTorch layer for layer
 * like the sample Darknet cfgs, and a model that uses every operator
 * onnx2tlm maps.
 *   - Each .tlm (from the .onnx by onnx2tlm) matches PyTorch's output for
 *     the same input within TORCH_BOUND, in both numeric modes.
 *   - For the two architectures, the Darknet import of the scaled sample
 *     cfg with the same weights (.weights) gives the same layers, tensors
 *     and shapes, and parameters and outputs equal within DARKNET_BOUND.
 * Strict-mode outputs are digested for the aarch64 comparison.
 * TL_TEST_QUICK=1 leaves out the fast mode.
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
#include "tl_darknet_import.h"
#include "tlm_runner.h"

#define DIR "tests/onnx/models/"
/* The bound, relative to the largest output. Measured: at most
 * 1.1e-7 in either mode (docs/onnx.md). */
#define TORCH_BOUND 1e-4
/* ONNX and Darknet imports of the same weights differ only in how the
 * batch normalisation is folded (each rounds once to float): measured
 * 4.3e-7 on parameters and 6.4e-8 on outputs, relative. */
#define DARKNET_BOUND 1e-5

static const char *const names[] = { "mobilenet_v1-mini", "resnet18-mini",
				     "ops" };

static double relative(const float *a, const float *b, size_t n)
{
	double scale = 1e-30;
	for (size_t i = 0; i < n; i++)
		scale = fmax(scale, fabs((double)b[i]));
	return max_abs_diff(a, b, n) / scale;
}

/* The .tlm opened and its reference file read: input, then output. */
static float *load(const char *name, struct tlm_runner *r)
{
	char path[128];
	size_t count;
	snprintf(path, sizeof path, DIR "%s.tlm", name);
	runner_open(r, path);
	snprintf(path, sizeof path, DIR "%s.ref.txt", name);
	float *ref = read_numbers(path, &count);
	assert_int_equal(count, r->n_in + r->n_out);
	return ref;
}

static void test_against_torch(void **state)
{
	const char *name = *state;
	struct tlm_runner r;
	float *ref = load(name, &r), *torch = ref + r.n_in;
	float *out = malloc(r.n_out * sizeof *out);
	runner_run(&r, ref, out, TL_MODE_STRICT);
	double strict = relative(out, torch, r.n_out), fast = 0;
	digest_check("onnx_archs", name,
		     digest_floats(DIGEST_START, out, r.n_out));
	if (getenv("TL_TEST_QUICK") == NULL) {
		runner_run(&r, ref, out, TL_MODE_FAST);
		fast = relative(out, torch, r.n_out);
	}
	printf("  %-18s against PyTorch: strict %.2e, fast %.2e (bound %.0e)\n",
	       name, strict, fast, TORCH_BOUND);
	assert_true(strict <= TORCH_BOUND);
	assert_true(fast <= TORCH_BOUND);
	free(out);
	free(ref);
	runner_close(&r);
}

static void same_layer(const struct tl_model *a, const struct tl_model *b,
		       uint32_t i)
{
	struct tl_layer x, y;
	tl_model_layer(a, i, &x);
	tl_model_layer(b, i, &y);
	if (x.type != y.type || x.activation != y.activation ||
	    x.output != y.output || x.n_inputs != y.n_inputs ||
	    memcmp(x.inputs, y.inputs, sizeof x.inputs) != 0 ||
	    x.weights != y.weights || x.bias != y.bias ||
	    memcmp(x.params, y.params, sizeof x.params) != 0)
		fail_msg("layer %u: type %d/%d, activation %d/%d, params[0..3] "
			 "%d %d %d %d / %d %d %d %d", i, x.type, y.type,
			 x.activation, y.activation, x.params[0], x.params[1],
			 x.params[2], x.params[3], y.params[0], y.params[1],
			 y.params[2], y.params[3]);
}

/* Same kind and shape; parameters within DARKNET_BOUND. */
static double same_tensor(const struct tl_model *a, const struct tl_model *b,
			  uint32_t i)
{
	struct tl_tensor x, y;
	tl_model_tensor(a, i, &x);
	tl_model_tensor(b, i, &y);
	if (x.kind != y.kind || x.c != y.c || x.h != y.h || x.w != y.w)
		fail_msg("tensor %u: kind %d/%d, shape %ux%ux%u / %ux%ux%u", i,
			 x.kind, y.kind, x.c, x.h, x.w, y.c, y.h, y.w);
	return x.data ? relative(x.data, y.data, x.elements) : 0;
}

static void test_same_as_darknet(void **state)
{
	const char *name = *state;
	char cfg[128], weights[128], err[512];
	struct tlm_runner onnx, darknet;
	uint8_t *blob;
	size_t size;
	snprintf(cfg, sizeof cfg, DIR "%s.cfg", name);
	snprintf(weights, sizeof weights, DIR "%s.weights", name);
	if (tl_darknet_convert_files(cfg, weights, 0, &blob, &size, err,
				     sizeof err))
		fail_msg("%s", err);
	runner_open_blob(&darknet, blob, size, cfg);
	float *ref = load(name, &onnx);
	const struct tl_model *a = &onnx.model, *b = &darknet.model;
	assert_int_equal(a->layer_count, b->layer_count);
	assert_int_equal(a->tensor_count, b->tensor_count);
	assert_int_equal(a->input, b->input);
	assert_int_equal(a->output, b->output);
	double params = 0;
	for (uint32_t i = 0; i < a->layer_count; i++)
		same_layer(a, b, i);
	for (uint32_t i = 0; i < a->tensor_count; i++)
		params = fmax(params, same_tensor(a, b, i));
	float *x = malloc(onnx.n_out * sizeof *x);
	float *y = malloc(onnx.n_out * sizeof *y);
	runner_run(&onnx, ref, x, TL_MODE_STRICT);
	runner_run(&darknet, ref, y, TL_MODE_STRICT);
	double outputs = relative(x, y, onnx.n_out);
	printf("  %-18s ONNX vs Darknet import: %u layers alike; parameters "
	       "%.2e, outputs %.2e\n", name, a->layer_count, params, outputs);
	assert_true(params <= DARKNET_BOUND);
	assert_true(outputs <= DARKNET_BOUND);
	free(x);
	free(y);
	free(ref);
	runner_close(&onnx);
	runner_close(&darknet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		{ "mobilenet_v1-mini vs PyTorch", test_against_torch, NULL,
		  NULL, (void *)names[0] },
		{ "resnet18-mini vs PyTorch", test_against_torch, NULL, NULL,
		  (void *)names[1] },
		{ "ops vs PyTorch", test_against_torch, NULL, NULL,
		  (void *)names[2] },
		{ "mobilenet_v1-mini vs Darknet", test_same_as_darknet, NULL,
		  NULL, (void *)names[0] },
		{ "resnet18-mini vs Darknet", test_same_as_darknet, NULL, NULL,
		  (void *)names[1] },
	};
	digest_start("onnx_archs");
	return cmocka_run_group_tests_name("tinylib_onnx_archs", tests, NULL,
					   NULL);
}
