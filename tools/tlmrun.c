/*
 * tlmrun: a .tlm model checked (tl_model_open), planned and run on the
 * host with S-Tinylib, for people and scripts that compare its outputs
 * with another framework's.
 *
 *   tlmrun MODEL.tlm [INPUT.f32 [-o OUTPUT.f32]] [--fast]
 *
 * INPUT.f32 and OUTPUT.f32 are raw little-endian float32 arrays, NCHW, as
 * many values as the model's input and output tensors hold. An input that
 * is a binary PGM (P5, maxval below 256) is read as its pixels divided by
 * maxval: models/digits/samples/ run as they are. Without an input the
 * model is only checked and planned; without -o the outputs are printed,
 * one a line, after the index of the largest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_arena.h"
#include "tl_engine.h"
#include "tl_file.h"
#include "tl_tlm_builder.h"

static int usage(void)
{
	fprintf(stderr, "usage: tlmrun MODEL.tlm [INPUT.f32 [-o OUTPUT.f32]] "
			"[--fast]\n");
	return 2;
}

/* The whole file in a 16-byte aligned buffer (tl_model_open needs it);
 * NULL after saying why. */
static void *read_all(const char *path, size_t *size)
{
	uint8_t *buf;
	char err[512];
	if (tl_read_file(path, &buf, size, err, sizeof err))
		fprintf(stderr, "tlmrun: %s\n", err);
	return buf;
}

static int write_all(const char *path, const float *x, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(x, sizeof *x, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "tlmrun: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static void print_outputs(const float *y, size_t n)
{
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		best = y[i] > y[best] ? i : best;
	printf("top-1 %zu\n", best);
	for (size_t i = 0; i < n; i++)
		printf("%.9g\n", (double)y[i]);
}

/* A P5 header field: a number after blanks and # comments; -1 if none. */
static long pgm_field(const uint8_t *p, size_t n, size_t *at)
{
	while (*at < n && (strchr(" \t\r\n", p[*at]) || p[*at] == '#'))
		if (p[(*at)++] == '#')
			while (*at < n && p[*at] != '\n')
				(*at)++;
	long v = -1;
	for (; *at < n && p[*at] >= '0' && p[*at] <= '9' && v < 65536; (*at)++)
		v = (v < 0 ? 0 : v * 10) + (p[*at] - '0');
	return v;
}

/* A binary PGM in place of raw floats: pixel / maxval. Replaces *data
 * and *bytes; 0 when it is not a PGM or is malformed (then left alone). */
static int pgm_to_floats(float **data, size_t *bytes)
{
	const uint8_t *p = (const uint8_t *)*data;
	size_t n = *bytes, at = 2;
	if (n < 2 || p[0] != 'P' || p[1] != '5')
		return 0;
	long w = pgm_field(p, n, &at), h = pgm_field(p, n, &at);
	long max = pgm_field(p, n, &at);
	if (w < 1 || h < 1 || max < 1 || max > 255 || at >= n ||
	    n - at - 1 != (size_t)(w * h))
		return 0;
	float *x = malloc((size_t)(w * h) * sizeof *x);
	if (x == NULL)
		return 0;
	for (long i = 0; i < w * h; i++)
		x[i] = (float)p[at + 1 + (size_t)i] / (float)max;
	free(*data);
	*data = x;
	*bytes = (size_t)(w * h) * sizeof *x;
	return 1;
}

/* Runs the opened model on the floats (or the PGM) in in_path. */
static int run(const struct tl_model *m, const struct tl_plan *plan,
	       const char *in_path, const char *out_path, enum tl_mode mode)
{
	size_t bytes, n_in = tl_model_input_elements(m);
	size_t n_out = tl_model_output_elements(m);
	float *in = read_all(in_path, &bytes);
	float *out = malloc(n_out * sizeof *out);
	void *arena = tl_arena_alloc(plan->arena_size);
	int status = 1;
	if (in != NULL)
		pgm_to_floats(&in, &bytes);
	if (in != NULL && bytes != n_in * sizeof(float))
		fprintf(stderr, "tlmrun: %s: %zu bytes, the model takes %zu "
			"floats (%zu bytes)\n", in_path, bytes, n_in,
			n_in * sizeof(float));
	else if (in != NULL && out != NULL && arena != NULL &&
		 tl_run(m, plan, arena, plan->arena_size, in, out,
			mode) == TL_OK)
		status = out_path ? write_all(out_path, out, n_out)
				  : (print_outputs(out, n_out), 0);
	free(arena);
	free(out);
	free(in);
	return status;
}

/* Opens and plans the model; 0 on success, else says why. */
static int prepare(const char *path, const uint8_t *blob, size_t size,
		   struct tl_model *m, struct tl_plan *plan)
{
	struct tl_model_error err;
	char why[512];
	if (tl_model_open(blob, size, m, &err) != TL_OK) {
		tl_tlm_describe_error(&err, path, why, sizeof why);
		fprintf(stderr, "tlmrun: %s\n", why);
		return 1;
	}
	if (tl_plan(m, plan) != TL_OK) {
		fprintf(stderr, "tlmrun: %s: cannot plan\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *model = NULL, *input = NULL, *output = NULL;
	enum tl_mode mode = TL_MODE_STRICT;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			output = argv[++i];
		else if (strcmp(argv[i], "--fast") == 0)
			mode = TL_MODE_FAST;
		else if (argv[i][0] == '-' || (model && input))
			return usage();
		else
			*(model ? &input : &model) = argv[i];
	}
	if (model == NULL || (output && !input))
		return usage();
	size_t size;
	uint8_t *blob = read_all(model, &size);
	struct tl_model m;
	struct tl_plan *plan = malloc(sizeof *plan);
	int status = blob == NULL || plan == NULL ||
		     prepare(model, blob, size, &m, plan);
	if (status == 0 && input != NULL)
		status = run(&m, plan, input, output, mode);
	else if (status == 0)
		printf("%s: %u layers, %zu -> %zu floats, arena %zu bytes\n",
		       model, m.layer_count, tl_model_input_elements(&m),
		       tl_model_output_elements(&m), plan->arena_size);
	free(plan);
	free(blob);
	return status;
}
