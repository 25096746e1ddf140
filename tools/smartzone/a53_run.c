/* The Cortex-A53 estimate of one inference (a53_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "a53_run.h"
#include "model_needs.h"
#include "run_session.h"
#include "sim_a53.h"
#include "verify_run.h"

const char *sz_guest_path(void)
{
	const char *env = getenv("SMARTZONE_GUEST");
	return env && *env ? env : SZ_GUEST_DEFAULT;
}

int sz_a53_wanted(void)
{
	const char *env = getenv("SMARTZONE_GUEST");
	return env == NULL || strcmp(env, "none") != 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The RUN's mix: every layer and the TA's own part. */
static struct sim_insn_mix run_mix(const struct sz_verify_outcome *o)
{
	struct sim_insn_mix all = o->outside;
	for (uint32_t i = 0; i < o->n_layers; i++)
		sim_insn_mix_sum(&all, &o->layers[i]);
	return all;
}

static void from_outcome(const struct mm_platform *p,
			 const struct sz_verify_outcome *o,
			 struct sz_a53 *out)
{
	if (o->violation.stop != SIM_UC_RAN || o->result != 0) {
		snprintf(out->why, sizeof out->why, "the run under Unicorn "
			 "failed: %.200s", o->violation.stop != SIM_UC_RAN
			 ? o->violation.text : "a command was refused");
		return;
	}
	struct sim_insn_mix all = run_mix(o);
	out->instructions = sim_insn_mix_total(&all);
	out->cycles = sim_a53_cycles(&all);
	out->seconds = sim_a53_seconds(&all, (double)p->cost.core_mhz);
	out->has = true;
}

void sz_a53_estimate(const struct mm_platform *p, const char *path,
		     const uint8_t *blob, size_t size, const float *input,
		     enum tl_mode mode, struct sz_a53 *out)
{
	memset(out, 0, sizeof *out);
	if (!sz_a53_wanted()) {
		snprintf(out->why, sizeof out->why, "turned off "
			 "(SMARTZONE_GUEST=none)");
		return;
	}
	struct sz_model_needs needs;
	struct mm_plan *plan = malloc(sizeof *plan);
	char err[512];
	if (plan == NULL || !p->has_cost ||
	    sz_model_needs_blob(path, blob, size, &needs, err, sizeof err) ||
	    sz_run_plan(p, &needs, plan, err, sizeof err)) {
		snprintf(out->why, sizeof out->why, "%.250s", plan == NULL
			 ? "out of memory" : !p->has_cost
			 ? "the platform has no cost figures (core MHz)" : err);
		free(plan);
		return;
	}
	struct sz_verify_job job = { sz_guest_path(), plan, p->shmem_start,
					plan->shm_window, blob, size, input,
					mode, true };
	struct sz_verify_outcome o;
	double t0 = now_s();
	if (sz_verify_model(&job, &o, err, sizeof err))
		snprintf(out->why, sizeof out->why, "%.250s", err);
	else
		from_outcome(p, &o, out);
	out->unicorn_s = now_s() - t0;
	sz_verify_outcome_free(&o);
	free(plan);
}
