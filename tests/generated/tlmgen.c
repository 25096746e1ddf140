/*
 * tlmgen: the generated model of one seed (model_gen.h) as a file, with
 * its input, to look at or to run by hand:
 *
 *   tlmgen SEED -o MODEL.tlm [--input INPUT.f32]
 *   smartzone plan --platform rpi3bplus MODEL.tlm
 *   smartzone run MODEL.tlm INPUT.f32;  tlmrun MODEL.tlm INPUT.f32
 *
 * It prints the model's layers, one a line: type, activation, inputs,
 * output shape, parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_gen.h"

static const char *const type_names[TL_LAYER_TYPE_END] = {
	"", "conv", "connected", "maxpool", "avgpool", "softmax", "shortcut",
	"route", "upsample", "dropout", "crop", "yolo", "activation" };
static const char *const act_names[7] = { "linear", "relu", "relu6",
	"leaky", "logistic", "tanh", "hardswish" };

static int usage(void)
{
	fprintf(stderr, "usage: tlmgen SEED -o MODEL.tlm [--input "
			"INPUT.f32]\n");
	return 2;
}

static int write_file(const char *path, const void *data, size_t n)
{
	if (!gen_save(path, data, n))
		return 0;
	fprintf(stderr, "tlmgen: could not write %s\n", path);
	return 1;
}

static void describe(const struct gen_model *m, size_t size)
{
	printf("seed %llu: %zu layers, input %ux%ux%u, output activation %d, "
	       "%zu bytes\n", (unsigned long long)m->seed, m->n_layers,
	       m->input.c, m->input.h, m->input.w, m->output, size);
	for (size_t i = 0; i < m->n_layers; i++) {
		const struct gen_layer *l = &m->layers[i];
		printf("  %3zu %-10s %-9s in", i + 1, type_names[l->type],
		       act_names[l->act]);
		for (int k = 0; k < l->n_inputs; k++)
			printf(" %d", l->inputs[k]);
		printf(" -> %ux%ux%u  params", l->out.c, l->out.h, l->out.w);
		for (int k = 0; k < TL_MAX_PARAMS; k++)
			printf(" %d", l->params[k]);
		printf("%s\n", l->shared ? "  shared" : "");
	}
}

int main(int argc, char **argv)
{
	const char *out = NULL, *input = NULL;
	char *end = NULL;
	if (argc < 2)
		return usage();
	unsigned long long seed = strtoull(argv[1], &end, 0);
	if (!*argv[1] || *end)
		return usage();
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--input") && i + 1 < argc)
			input = argv[++i];
		else
			return usage();
	}
	if (!out)
		return usage();
	struct gen_model m;
	uint8_t *blob = NULL;
	size_t size = 0;
	if (gen_model_draw(seed, &m) || gen_model_write(&m, &blob, &size)) {
		fprintf(stderr, "tlmgen: out of memory\n");
		return 1;
	}
	int rc = write_file(out, blob, size);
	struct gen_shape in = m.input;
	size_t n = (size_t)gen_elements(in);
	float *x = input ? gen_model_input(seed, n) : NULL;
	if (!rc && input)
		rc = !x || write_file(input, x, n * sizeof *x);
	if (!rc)
		describe(&m, size);
	free(x);
	free(blob);
	gen_model_free(&m);
	return rc;
}
