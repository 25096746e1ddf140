/*
 * smartzone compare: latency and energy of Smart-Zone against a
 * non-memory-optimised TEE deployment (the baseline, tl_baseline.h), both
 * run through the simulated TEE, measured on this host and modelled for
 * the board, beside the paper's 3.13x and 66.5% (docs/compare.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "compare.h"
#include "platform_path.h"
#include "tl_baseline.h"

/* The paper's comparison models (Darknet .cfg, seeded weights): the
 * project's own definitions of the sample architectures (models/zoo/;
 * tools/module.mk gives the source tree's path). */
#ifndef SZ_ZOO_DIR
#define SZ_ZOO_DIR "models/zoo"
#endif
static const char *const default_models[] = { "mobilenet_v1", "darknet",
					      "tiny" };
#define N_DEFAULT (sizeof default_models / sizeof default_models[0])
#define MAX_MODELS 16

static const char usage_text[] =
"usage: smartzone compare [--platform NAME|FILE.conf] [--runs N]\n"
"                         [--chunk BYTES] [--encrypted] [--checks] [--json]\n"
"                         [MODEL...]\n"
"\n"
"Runs each MODEL (.cfg with seeded weights, or .tlm) through the\n"
"simulated TEE twice: as Smart-Zone (provisioned once into the memory\n"
"its plan gives, one RUN an inference) and as the baseline (the stock\n"
"layout's TA heap, the model streamed in as steps of layers on every\n"
"inference). Prints host-measured and board-modelled latency and energy\n"
"per inference, apart, beside the paper's 3.13x and 66.5%.\n"
"Default models: mobilenet_v1, darknet and tiny from\n"
"$SMARTZONE_MODELS, else " SZ_ZOO_DIR ".\n"
"\n"
"options:\n"
"  --platform P  the board (rpi3bplus)\n"
"  --runs N      measured inferences a mode, after one warm-up (5)\n"
"  --chunk BYTES the baseline's bytes a LOAD_CHUNK (4096: the public\n"
"                code's -mov_size default of 1024 floats)\n"
"  --encrypted   both modes with the model sealed for a fresh key: the\n"
"                baseline's steps cross as ciphertext and the TA\n"
"                decrypts them on every inference\n"
"  --checks      keep the simulator's leakage check on (slow; off by\n"
"                default, as it is not what is being timed)\n"
"  --json        print JSON instead of tables\n";

struct compare_args {
	const char *platform;
	const char *models[MAX_MODELS];
	size_t n_models;
	struct sz_cmp_opts o;
	bool json;
};

static int bad_usage(const char *fmt, const char *what)
{
	return sz_bad_usage("compare", usage_text, fmt, what);
}

static int parse_number(const char *o, const char *v, uint64_t lo,
			uint64_t hi, uint64_t *out)
{
	if (!v)
		return bad_usage("%s needs a value", o);
	if (!sz_parse_u64(v, out) || *out < lo || *out > hi) {
		char what[96];
		snprintf(what, sizeof what, "%s %s: expected %llu to %llu", o,
			 v, (unsigned long long)lo, (unsigned long long)hi);
		return bad_usage("%s", what);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct compare_args *a)
{
	*a = (struct compare_args){ .platform = "rpi3bplus",
		.o = { .runs = 5, .chunk = TL_BASELINE_CHUNK_DEFAULT } };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;
		int rc;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (!strcmp(o, "--json")) {
			a->json = true;
		} else if (!strcmp(o, "--checks")) {
			a->o.checks = true;
		} else if (!strcmp(o, "--encrypted")) {
			a->o.encrypted = true;
		} else if (!strcmp(o, "--platform")) {
			if (!v)
				return bad_usage("%s needs a value", o);
			a->platform = argv[++i];
		} else if (!strcmp(o, "--runs")) {
			if ((rc = parse_number(o, v, 1, 1000, &n)))
				return rc;
			a->o.runs = (unsigned)n;
			i++;
		} else if (!strcmp(o, "--chunk")) {
			/* the first chunk holds the header; the static
			 * shared memory bounds the rest (4 MiB on the RPi3) */
			if ((rc = parse_number(o, v, 64, 4u << 20,
					       &a->o.chunk)))
				return rc;
			i++;
		} else if (o[0] == '-') {
			return bad_usage("unknown option %s", o);
		} else if (a->n_models == MAX_MODELS) {
			return bad_usage("%s: at most 16 models", o);
		} else {
			a->models[a->n_models++] = o;
		}
	}
	return 0;
}

/* With no MODEL: the three comparison models' cfgs, paths in paths. */
static void default_paths(struct compare_args *a,
			  char paths[N_DEFAULT][4096])
{
	const char *dir = getenv("SMARTZONE_MODELS");
	for (size_t i = 0; i < N_DEFAULT; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s.cfg",
			 dir && *dir ? dir : SZ_ZOO_DIR,
			 default_models[i]);
		a->models[i] = paths[i];
	}
	a->n_models = N_DEFAULT;
}

/* Every model both ways; 1 at the first that fails or whose two modes
 * disagree (said on stderr). */
static int compare_all(const struct mm_platform *p,
		       const struct compare_args *a, struct sz_cmp_result *r)
{
	char err[1024];
	for (size_t i = 0; i < a->n_models; i++) {
		if (sz_cmp_model(p, &a->o, a->models[i], &r[i], err,
				 sizeof err)) {
			fprintf(stderr, "smartzone compare: %s\n", err);
			return 1;
		}
		if (!r[i].identical) {
			fprintf(stderr, "smartzone compare: %s: Smart-Zone and "
				"the baseline gave different outputs\n",
				r[i].name);
			return 1;
		}
	}
	return 0;
}

int sz_cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	char err[1024], platform_path[4096], defaults[N_DEFAULT][4096];
	if (!a.n_models)
		default_paths(&a, defaults);
	struct mm_platform p;
	sz_platform_path(a.platform, platform_path, sizeof platform_path);
	a.o.platform_path = platform_path;
	if (sz_platform_load(a.platform, &p, err, sizeof err)) {
		fprintf(stderr, "smartzone compare: %s\n", err);
		return 1;
	}
	struct sz_cmp_result *r = calloc(a.n_models, sizeof *r);
	if (!r) {
		fprintf(stderr, "smartzone compare: out of memory\n");
		return 1;
	}
	rc = compare_all(&p, &a, r);
	if (!rc)
		rc = (a.json ? sz_cmp_print_json(stdout, &p, &a.o, r,
						 a.n_models)
			     : sz_cmp_print_text(stdout, &p, &a.o, r,
						 a.n_models)) ? 1 : 0;
	free(r);
	return rc;
}
