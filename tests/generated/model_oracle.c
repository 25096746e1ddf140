/* What every valid model must do (model_oracle.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "commands.h"
#include "digest_file.h"
#include "json_check.h"
#include "model_gen.h"
#include "model_oracle.h"
#include "platform_path.h"
#include "run_session.h"
#include "tl_engine.h"
#include "tl_file.h"
#include "tl_tlm_builder.h"

const char *const gen_platforms[GEN_PLATFORMS] = { "rpi3bplus",
						   "qemu_armv8a" };

static int failf(struct gen_outcome *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int failf(struct gen_outcome *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->failure, sizeof out->failure, fmt, ap);
	va_end(ap);
	return -1;
}

/* What tlmrun does with the opened model and an input, strict: the
 * outputs (malloc'd) and their count. */
static int reference(const struct tl_model *m, const float *x, float **y,
		     size_t *n_out, struct gen_outcome *out)
{
	struct tl_plan *plan = malloc(sizeof *plan);
	void *arena = NULL;
	int rc = -1;
	*y = NULL;
	if (!plan || tl_plan(m, plan) != TL_OK) {
		failf(out, "tl_plan could not plan it");
	} else {
		out->arena_bytes = plan->arena_size;
		*n_out = tl_model_output_elements(m);
		arena = aligned_alloc(TL_ALIGN, (plan->arena_size + TL_ALIGN)
					       / TL_ALIGN * TL_ALIGN);
		*y = malloc(*n_out * sizeof **y);
		if (!arena || !*y)
			failf(out, "out of memory for the arena (%zu bytes)",
			      plan->arena_size);
		else if (tl_run(m, plan, arena, plan->arena_size, x, *y,
				TL_MODE_STRICT) != TL_OK)
			failf(out, "tl_run (strict) failed");
		else
			rc = 0;
	}
	free(arena);
	free(plan);
	return rc;
}

/* A plan: valid JSON, every invariant held, the model file as its
 * weights, a window of whole pages within the static shared memory. */
static int check_planned(const char *board, struct gen_plan_outcome *po,
			 struct gen_outcome *out)
{
	char err[512];
	struct mm_platform p;
	unsigned long long weights = 0, window = 0;
	const char *w = strstr(cli_out, "\"needs\": {\"weights\": ");
	const char *s = strstr(cli_out, "\"shm_window\": {\"bytes\": ");
	if (json_check(cli_out, strlen(cli_out)))
		return failf(out, "plan on %s: not JSON:\n%s", board, cli_out);
	if (!strstr(cli_out, "\"invariants\": {\"hold\": true"))
		return failf(out, "plan on %s: an invariant broke:\n%s", board,
			     cli_out);
	if (!w || sscanf(w, "\"needs\": {\"weights\": %llu", &weights) != 1
	    || weights != out->file_bytes)
		return failf(out, "plan on %s: weights %llu, the file has %llu "
			     "bytes", board, weights,
			     (unsigned long long)out->file_bytes);
	if (sz_platform_load(board, &p, err, sizeof err))
		return failf(out, "%s", err);
	if (!s || sscanf(s, "\"shm_window\": {\"bytes\": %llu", &window) != 1
	    || window < 4096 || window % 4096 || window > p.shmem_size)
		return failf(out, "plan on %s: a window of %llu bytes", board,
			     window);
	po->planned = true;
	po->window = window;
	po->fit_applied = strstr(cli_out, "\"rule\": \"fit\"") != NULL;
	return 0;
}

/* "N MiB" or "N KiB" after at, in MiB; -1 when there is none. */
static double size_after(const char *text, const char *at)
{
	const char *p = text ? strstr(text, at) : NULL;
	double v;
	char unit[4];
	if (!p || sscanf(p + strlen(at), "%lf %3s", &v, unit) != 2)
		return -1;
	return !strcmp(unit, "MiB") ? v : !strcmp(unit, "KiB") ? v / 1024
								: -1;
}

/* A refusal: for size alone, with both numbers (as printed, so equal
 * when they round alike), the need not the smaller. */
static int check_refused(const char *board, struct gen_plan_outcome *po,
			 struct gen_outcome *out)
{
	po->needs_mib = size_after(cli_err, ": refused: model needs ");
	po->gives_mib = size_after(cli_err, " can give at most ");
	if (cli_out[0] || po->needs_mib < 0 || po->gives_mib < 0)
		return failf(out, "plan on %s: refused, but not for size: %s",
			     board, cli_err);
	po->by_shared_memory = strstr(cli_err, " of shared memory for one "
					       "inference") != NULL;
	if (po->needs_mib < po->gives_mib)
		return failf(out, "plan on %s: refused although it needs "
			     "%.1f MiB and the platform gives %.1f: %s", board,
			     po->needs_mib, po->gives_mib, cli_err);
	return 0;
}

static int check_plans(const char *path, const struct gen_check_opts *o,
		       struct gen_outcome *out)
{
	char sessions[16];
	snprintf(sessions, sizeof sessions, "%u", o->sessions);
	for (int k = 0; k < GEN_PLATFORMS; k++) {
		struct gen_plan_outcome *po = &out->plan[k];
		int rc = cli_run(sz_cmd_plan, "plan", "--json", "--platform",
				 gen_platforms[k], "--sessions", sessions,
				 path, NULL);
		if (rc == 0 ? check_planned(gen_platforms[k], po, out)
		    : rc == 1 ? check_refused(gen_platforms[k], po, out)
		    : failf(out, "plan on %s exited %d: %s",
			    gen_platforms[k], rc, cli_err))
			return -1;
	}
	return 0;
}

/* The first output whose bits differ, or n. */
static size_t first_difference(const float *a, const float *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(&a[i], &b[i], sizeof *a))
			return i;
	return n;
}

static int compare_run(const struct sz_run *r, const float *y, size_t n,
		       struct gen_outcome *out)
{
	if (r->checks.total)
		return failf(out, "smartzone run: %zu check(s) broke, the "
			     "first: %s", r->checks.total, r->checks.msg[0]);
	if (r->n_outputs != 1 || r->outputs[0].n != n)
		return failf(out, "smartzone run gave %zu outputs, tlmrun %zu",
			     r->n_outputs ? r->outputs[0].n : 0, n);
	size_t i = first_difference(r->outputs[0].y, y, n);
	if (i < n)
		return failf(out, "smartzone run's output %zu is %.9g, tlmrun "
			     "strict's %.9g (bits differ)", i,
			     (double)r->outputs[0].y[i], (double)y[i]);
	return 0;
}

/* smartzone run on one platform, against the reference outputs. A
 * refusal for size (one session) is only right where the plan refused
 * too: a plan for more sessions holds one. */
static int check_run(const char *model, const char *input, const float *y,
		     size_t n, const struct gen_check_opts *o,
		     struct gen_outcome *out)
{
	char *inputs[] = { (char *)input };
	struct sz_run_opts ro = {
		.platform = gen_platforms[o->run_platform], .model = model,
		.inputs = inputs, .n_inputs = 1, .mode = SZ_MODE_STRICT,
		.double_fetch = o->double_fetch,
	};
	static struct sz_run r;	/* a plan is large for a stack */
	char err[1024];
	int rc = sz_run(&ro, &r, err, sizeof err);
	if (rc && strstr(err, "no layout holds it: model needs") &&
	    !out->plan[o->run_platform].planned) {
		sz_run_free(&r);
		return 0;
	}
	if (rc) {
		sz_run_free(&r);
		return failf(out, "smartzone run on %s: %s", ro.platform, err);
	}
	out->ran = true;
	rc = compare_run(&r, y, n, out);
	sz_run_free(&r);
	return rc;
}

/* The n floats the model takes: drawn from the seed, or the kept
 * file's (malloc'd); NULL after saying why. */
static float *model_input(const struct gen_check_opts *o, size_t n,
			  struct gen_outcome *out)
{
	uint8_t *data = NULL;
	size_t size;
	char why[512];
	if (!o->input_path) {
		float *x = gen_model_input(o->input_seed, n);
		if (!x)
			failf(out, "out of memory for the input");
		return x;
	}
	if (tl_read_file(o->input_path, &data, &size, why, sizeof why))
		failf(out, "%s", why);
	else if (size != n * sizeof(float))
		failf(out, "%s: %zu bytes, the model takes %zu floats",
		      o->input_path, size, n);
	else
		return (float *)(void *)data;
	free(data);
	return NULL;
}

int gen_check_model(const uint8_t *blob, size_t size,
		    const struct gen_check_opts *o, struct gen_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->file_bytes = size;
	char model[512], input[512], why[512];
	snprintf(model, sizeof model, "%s/%s.tlm", o->dir, o->name);
	snprintf(input, sizeof input, "%s/%s.f32", o->dir, o->name);
	struct tl_model m;
	struct tl_model_error merr;
	if (tl_model_open(blob, size, &m, &merr) != TL_OK) {
		tl_tlm_describe_error(&merr, "the model", why, sizeof why);
		return failf(out, "tl_model_open refused it: %s", why);
	}
	size_t n_in = tl_model_input_elements(&m), n_out = 0;
	float *x = model_input(o, n_in, out), *y = NULL;
	int rc = -1;
	if (x && (gen_save(model, blob, size) ||
		  gen_save(input, x, n_in * sizeof *x)))
		failf(out, "could not write %s or its input", model);
	else if (x && !reference(&m, x, &y, &n_out, out) &&
		 !check_plans(model, o, out) &&
		 !check_run(model, input, y, n_out, o, out))
		rc = 0;
	if (y)
		out->digest = digest_floats(DIGEST_START, y, n_out);
	free(x);
	free(y);
	remove(model);
	remove(input);
	return rc;
}
