/*
 * Darknet import: .weights headers of both versions, wrong lengths,
 * Darknet's array order and batch-normalisation folding checked by hand on
 * tiny cfgs, and the refusals (activations and routes S-Tinylib lacks).
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

#include "tl_darknet_import.h"
#include "tl_engine.h"

static char err[512];

/* A .weights image: header of the given version, then floats. */
static size_t weights_image(uint8_t *out, int major, int minor,
			    const float *w, size_t n)
{
	int32_t head[3] = { major, minor, 0 };
	size_t seen = major * 10 + minor >= 2 ? 8 : 4;
	memcpy(out, head, sizeof head);
	memset(out + 12, 0, seen);
	memcpy(out + 12 + seen, w, n * sizeof *w);
	return 12 + seen + n * sizeof *w;
}

static void test_weights_header_versions(void **state)
{
	(void)state;
	float w[3] = { 1.5f, -2, 3 }, *got;
	uint8_t image[64];
	size_t count;
	size_t len = weights_image(image, 0, 2, w, 3);   /* 64-bit seen */
	assert_int_equal(tl_darknet_weights_parse(image, len, "a.weights", &got,
						  &count, err, sizeof err), 0);
	assert_int_equal(count, 3);
	assert_memory_equal(got, w, sizeof w);
	free(got);
	len = weights_image(image, 0, 1, w, 3);          /* 32-bit seen */
	assert_int_equal(tl_darknet_weights_parse(image, len, "b.weights", &got,
						  &count, err, sizeof err), 0);
	assert_int_equal(count, 3);
	assert_memory_equal(got, w, sizeof w);
	free(got);
	assert_int_not_equal(tl_darknet_weights_parse(image, len - 1, "c.weights",
						      &got, &count, err, sizeof err), 0);
	assert_non_null(strstr(err, "c.weights"));
	assert_non_null(strstr(err, "whole number of floats"));
}

/* Writes text to a temporary file; returns its path (static buffer). */
static const char *temp_file(const char *name, const void *data, size_t len)
{
	static char path[2][256];
	static int which;
	char *p = path[which++ % 2];
	snprintf(p, 256, "build/tmp-%s", name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fwrite(data, 1, len, f);
	fclose(f);
	return p;
}

static const char conv_bn_cfg[] =
	"[net]\nwidth=3\nheight=3\nchannels=1\n"
	"[convolutional]\nfilters=1\nsize=3\nstride=1\npad=0\n"
	"batch_normalize=1\nactivation=linear\n";

/*
 * Converts cfg text with the given Darknet-order floats (written as a
 * version 0.2 .weights file), runs it on x in strict mode and returns the
 * single output value.
 */
static float convert_and_run(const char *name, const char *cfg_text,
			     const float *w, size_t n, const float *x)
{
	char cfg_name[64], weights_name[64];
	uint8_t image[256], *blob;
	size_t size, len = weights_image(image, 0, 2, w, n);
	snprintf(cfg_name, sizeof cfg_name, "%s.cfg", name);
	snprintf(weights_name, sizeof weights_name, "%s.weights", name);
	const char *cfg = temp_file(cfg_name, cfg_text, strlen(cfg_text));
	const char *weights = temp_file(weights_name, image, len);
	if (tl_darknet_convert_files(cfg, weights, 0, &blob, &size, err, sizeof err))
		fail_msg("%s", err);
	struct tl_model m;
	struct tl_model_error e;
	static struct tl_plan plan;
	assert_int_equal(tl_model_open(blob, size, &m, &e), TL_OK);
	assert_int_equal(tl_plan(&m, &plan), TL_OK);
	assert_int_equal(tl_model_output_elements(&m), 1);
	void *arena = aligned_alloc(16, (plan.arena_size + 15) / 16 * 16);
	float y;
	assert_int_equal(tl_run(&m, &plan, arena, plan.arena_size, x, &y,
				TL_MODE_STRICT), TL_OK);
	free(arena);
	free(blob);
	return y;
}

/* Darknet's conv order: bias, scale, mean, variance, then the kernel. */
static void test_conv_batchnorm_folding(void **state)
{
	(void)state;
	const float bias = 0.5f, scale = 2, mean = 0.25f, var = 4;
	float w[4 + 9], x[9];
	w[0] = bias, w[1] = scale, w[2] = mean, w[3] = var;
	for (int i = 0; i < 9; i++)
		w[4 + i] = 0.1f * (float)(i + 1), x[i] = 1.0f - 0.2f * (float)i;
	float y = convert_and_run("bn", conv_bn_cfg, w, 13, x);
	/* Darknet: scale * (conv - mean) / (sqrt(var) + 1e-6) + bias */
	double conv = 0;
	for (int i = 0; i < 9; i++)
		conv += (double)w[4 + i] * x[i];
	double want = scale * (conv - mean) / (sqrt(var) + 0.000001) + bias;
	assert_true(fabs(y - want) <= 1e-6 * fabs(want) + 1e-6);
}

static const char connected_bn_cfg[] =
	"[net]\nwidth=1\nheight=1\nchannels=2\n"
	"[connected]\noutput=1\nbatch_normalize=1\nactivation=linear\n";

/* Connected keeps its batch-normalisation arrays after the weights. */
static void test_connected_batchnorm_order(void **state)
{
	(void)state;
	/* bias, weights[1x2], scale, mean, variance */
	float w[6] = { 1, 3, -1, 0.5f, 2, 0.25f };
	float x[2] = { 2, 1 };
	float y = convert_and_run("fc", connected_bn_cfg, w, 6, x);
	double want = 0.5 * (3 * 2 - 1 * 1 - 2) / (sqrt(0.25) + 0.000001) + 1;
	assert_true(fabs(y - want) <= 1e-6 * fabs(want));
}

static void test_wrong_weights_length(void **state)
{
	(void)state;
	float w[12] = { 0 };
	uint8_t image[128], *blob;
	size_t size, len = weights_image(image, 0, 2, w, 12); /* needs 13 */
	const char *cfg = temp_file("short.cfg", conv_bn_cfg, strlen(conv_bn_cfg));
	const char *weights = temp_file("short.weights", image, len);
	assert_int_not_equal(tl_darknet_convert_files(cfg, weights, 0, &blob, &size,
						      err, sizeof err), 0);
	assert_non_null(strstr(err, "short.weights"));
	assert_non_null(strstr(err, "holds 12 floats after its header; the cfg needs 13"));
}

static void expect_refusal(const char *name, const char *text, const char *message)
{
	uint8_t *blob;
	size_t size;
	const char *cfg = temp_file(name, text, strlen(text));
	assert_int_not_equal(tl_darknet_convert_files(cfg, NULL, 1, &blob, &size,
						      err, sizeof err), 0);
	if (strstr(err, message) == NULL)
		fail_msg("expected '%s' in: %s", message, err);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_refusal("elu.cfg",
		       "[net]\nwidth=4\nheight=4\nchannels=1\n"
		       "[convolutional]\nfilters=2\nsize=1\nactivation=elu\n",
		       "elu.cfg:5: [convolutional] activation not supported");
	expect_refusal("route5.cfg",
		       "[net]\nwidth=2\nheight=2\nchannels=1\n"
		       "[maxpool]\nsize=1\nstride=1\n[maxpool]\nsize=1\nstride=1\n"
		       "[maxpool]\nsize=1\nstride=1\n[maxpool]\nsize=1\nstride=1\n"
		       "[maxpool]\nsize=1\nstride=1\n"
		       "[route]\nlayers=-1,-2,-3,-4,-5\n",
		       ":20: [route] routes more than 4 layers");
	expect_refusal("empty.cfg", "", "tmp-empty.cfg: the first section must be [net]");
	/* Darknet samples a shortcut of sizes 8 and 3; S-Tinylib does not:
	 * the importer once wrote it, and S-Tinylib refused the .tlm
	 * (fuzz_darknet) */
	expect_refusal("ratio.cfg",
		       "[net]\nwidth=8\nheight=8\nchannels=1\n[dropout]\n"
		       "[maxpool]\nsize=2\nstride=3\npadding=0\n"
		       "[shortcut]\nfrom=0\n",
		       "ratio.cfg:10: [shortcut] layer 0 is 8x8, the previous "
		       "layer 3x3: S-Tinylib adds sizes that are whole "
		       "multiples of each other");
	/* Darknet keeps an output count in an int, a .tlm tensor's bytes
	 * in 32 bits: 2^30 floats fit the one and not the other; the
	 * importer once wrote them (fuzz_darknet) */
	expect_refusal("big-input.cfg",
		       "[net]\nwidth=32768\nheight=32768\nchannels=1\n"
		       "[convolutional]\nfilters=1\nsize=1\n",
		       "big-input.cfg:1: [net] input of 1073741824 floats: a "
		       ".tlm tensor holds at most 1073741823");
	expect_refusal("big-output.cfg",
		       "[net]\nwidth=16384\nheight=16384\nchannels=2\n"
		       "[convolutional]\nfilters=4\nsize=1\n",
		       "big-output.cfg:5: [convolutional] output of 1073741824 "
		       "floats: a .tlm tensor holds at most 1073741823");
	/* files that are not there, or not files: named with the reason */
	uint8_t *blob;
	size_t size;
	const char *cfg = temp_file("dir.cfg", conv_bn_cfg, strlen(conv_bn_cfg));
	assert_int_equal(tl_darknet_convert_files(cfg, "tests", 0, &blob, &size,
						  err, sizeof err),
			 TL_DARKNET_E_MISSING);
	assert_string_equal(err, "tests: is a directory, not a file");
	assert_int_equal(tl_darknet_convert_files("no/such.cfg", NULL, 1, &blob,
						  &size, err, sizeof err),
			 TL_DARKNET_E_MISSING);
	assert_string_equal(err, "no/such.cfg: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights_header_versions),
		cmocka_unit_test(test_conv_batchnorm_folding),
		cmocka_unit_test(test_connected_batchnorm_order),
		cmocka_unit_test(test_wrong_weights_length),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("tinylib_darknet_import", tests, NULL, NULL);
}
