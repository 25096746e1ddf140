/*
 * smartzone verify: the model's secure code, the aarch64 build of the TA
 * with S-Tinylib and Tinylibm, run under Unicorn in the address space its
 * plan gives the TA (sim_uc.h): every rule held, the strict output bit
 * for bit the host's, and per layer the instructions by class, the bytes
 * loaded and stored, and a Cortex-A53 estimate beside the MAC-rate one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a53_run.h"
#include "args.h"
#include "commands.h"
#include "input.h"
#include "model_needs.h"
#include "platform_path.h"
#include "run_session.h"
#include "sim_a53.h"
#include "verify_run.h"
#include "tl_model.h"
#include "verify_print.h"

static const char usage_text[] =
"usage: smartzone verify [options] MODEL.tlm\n"
"\n"
"Runs the model through the TA's aarch64 code under Unicorn, mapped as its\n"
"translation tables map it, and holds it to the rules (no unmapped access,\n"
"no execution outside the code, shared memory read once and only inside\n"
"the inputs, written once and only inside the output); the strict output\n"
"must be bit-identical to the host's. Prints the figures per layer.\n"
"\n"
"options:\n"
"  --platform NAME|FILE   (rpi3bplus; " SZ_PLATFORM_DIR_HELP ")\n"
"  --input FILE           a PGM or raw float32 input (default: a seeded\n"
"                         pseudo-random one)\n"
"  --fast                 fast mode (default strict)\n"
"  --guest ELF            the guest (default $SMARTZONE_GUEST, else the\n"
"                         aarch64 build's " SZ_GUEST_DEFAULT ")\n"
"  --quiet                no per-layer table\n";

struct verify_args {
	const char *platform, *input, *guest, *model;
	bool fast, quiet;
};

static int bad_usage(const char *fmt, const char *what)
{
	return sz_bad_usage("verify", usage_text, fmt, what);
}

static int parse_args(int argc, char **argv, struct verify_args *a)
{
	*a = (struct verify_args){ "rpi3bplus", NULL, sz_guest_path(), NULL,
				   false, false };
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool has_value = i + 1 < argc;
		if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
			fputs(usage_text, stdout);
			return -1;
		} else if (!strcmp(o, "--fast")) {
			a->fast = true;
		} else if (!strcmp(o, "--quiet")) {
			a->quiet = true;
		} else if (!strcmp(o, "--platform") && has_value) {
			a->platform = argv[++i];
		} else if (!strcmp(o, "--input") && has_value) {
			a->input = argv[++i];
		} else if (!strcmp(o, "--guest") && has_value) {
			a->guest = argv[++i];
		} else if (o[0] == '-') {
			return bad_usage("unknown option or missing value: %s", o);
		} else if (a->model) {
			return bad_usage("one model only, found also %s", o);
		} else {
			a->model = o;
		}
	}
	return a->model ? 0 : bad_usage("%s", "no model given");
}

/* A seeded input in [-1, 1): the same every run (xorshift32). */
static float *seeded_input(size_t n)
{
	float *x = malloc((n ? n : 1) * sizeof *x);
	uint32_t s = 0x2545f491u;
	for (size_t i = 0; x && i < n; i++) {
		s ^= s << 13, s ^= s >> 17, s ^= s << 5;
		x[i] = (float)(s >> 8) / (float)(1u << 23) - 1.0f;
	}
	return x;
}

static float *read_input(const struct verify_args *a, const uint8_t *blob,
			 size_t size, char *err, size_t err_len)
{
	struct tl_model m;
	struct tl_model_error e;
	struct tl_tensor t;
	if (tl_model_open(blob, size, &m, &e) != TL_OK) {
		snprintf(err, err_len, "%s: S-Tinylib refuses it", a->model);
		return NULL;
	}
	tl_model_tensor(&m, m.input, &t);
	if (a->input == NULL)
		return seeded_input(t.elements);
	struct sz_input_shape want = { t.c, t.h, t.w, t.elements };
	struct sz_input in;
	if (sz_input_read(a->input, &want, &in, err, err_len))
		return NULL;
	return in.x;
}

struct verify_job {
	struct mm_platform p;
	struct sz_model_needs needs;
	struct mm_plan plan;
	uint8_t *blob;
	size_t size;
	float *input;
};

static int prepare(const struct verify_args *a, struct verify_job *j,
		   char *err, size_t err_len)
{
	if (sz_platform_load(a->platform, &j->p, err, err_len) ||
	    sz_model_blob(a->model, NULL, &j->blob, &j->size, err, err_len) ||
	    sz_model_needs_blob(a->model, j->blob, j->size, &j->needs, err,
				err_len) ||
	    sz_run_plan(&j->p, &j->needs, &j->plan, err, err_len))
		return -1;
	j->input = read_input(a, j->blob, j->size, err, err_len);
	return j->input ? 0 : -1;
}

int sz_cmd_verify(int argc, char **argv)
{
	struct verify_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	char err[512];
	struct verify_job *j = calloc(1, sizeof *j);
	struct sz_verify_outcome o;
	memset(&o, 0, sizeof o);
	rc = 1;
	if (j == NULL || prepare(&a, j, err, sizeof err)) {
		fprintf(stderr, "smartzone verify: %s\n", j ? err : "out of memory");
		goto done;
	}
	struct sz_verify_job job = {
		a.guest, &j->plan, j->p.shmem_start,
		j->plan.shm_window, j->blob, j->size, j->input,
		a.fast ? TL_MODE_FAST : TL_MODE_STRICT, true };
	if (sz_verify_model(&job, &o, err, sizeof err)) {
		fprintf(stderr, "smartzone verify: %s: %s\n", a.model, err);
		goto done;
	}
	rc = sz_verify_print(stdout, a.model, &j->p, &j->plan, &job, &o,
			     a.quiet) ? 1 : 0;
done:
	sz_verify_outcome_free(&o);
	if (j) {
		free(j->blob);
		free(j->input);
	}
	free(j);
	return rc;
}
