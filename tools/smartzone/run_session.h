/*
 * smartzone run's work, apart from its printing: plan the TA's memory
 * for the model, make the TEE ready (the simulated one on that plan, or
 * OP-TEE on a board: tee.h), provision the model through N-Tinylib's
 * client (the key first for an encrypted one), run every input, read
 * the TA's report, keep the client's record of its calls, and in the
 * simulator count what crossed the boundary, cost it for the board and
 * collect what the checks found.
 */
#ifndef SZ_RUN_SESSION_H
#define SZ_RUN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "a53_run.h"
#include "mm_plan.h"
#include "model_needs.h"
#include "sim_cost.h"
#include "tee.h"
#include "tl_client.h"

struct sz_run_opts {
	const char *platform;		/* a name or a .conf file */
	const char *model;		/* .tlm or .tlme */
	const char *key_path;		/* the key for a .tlme, else NULL */
	char *const *inputs;
	size_t n_inputs;
	uint64_t window;		/* 0: the plan's */
	uint32_t mode;			/* SZ_MODE_STRICT or SZ_MODE_FAST */
	bool progress;			/* draw the bar on stderr */
	bool double_fetch;		/* arm the double-fetch trap */
	bool no_leak_check;		/* skip the leakage check (speed) */
	bool stock_layout;		/* the simulator: the platform's TZDRAM
					 * as shipped, the TA built with the
					 * plan's sizes (what a user meets who
					 * rebuilt the TA but not the
					 * firmware) */
};

struct sz_run_output {
	const char *path;		/* the input */
	float *y;			/* malloc'd */
	size_t n;
};

struct sz_run {
	const struct sz_run_opts *opts;
	struct mm_platform platform;
	struct mm_plan plan;
	char name[256];			/* the model's */
	struct sz_model_needs needs;
	struct tl_client_model model;	/* what the client knew and sent */
	struct tl_client_calls calls;	/* every TEEC call and its result */
	uint64_t window;
	bool opened;			/* the session with the TA opened */
	/* The TEE's own counts (the simulator's; has_tee_counters false on
	 * a board) */
	bool has_tee_counters;
	struct sim_counters provisioning; /* open, key, OPEN_MODEL, chunks */
	struct sim_counters inference;	/* the last RUN */
	struct sim_counters total;	/* the whole run, every call */
	/* Wall-clock time measured here, on whatever this runs on */
	double provisioning_s, inference_s;
	struct sz_report report;
	struct sz_run_output *outputs;
	size_t n_outputs;
	struct sz_tee_checks checks;
	bool has_cost;
	struct sim_cost_report cost_provisioning, cost_inference;
	char no_cost[256];		/* why, when !has_cost */
	/* The Cortex-A53 estimate of one inference (--details, where the
	 * Unicorn runner is built; a53_run.h) */
	struct sz_a53 a53;
};

/* 0 when everything ran (the checks may still have broken: see
 * r->checks.total); -1 with a sentence in err otherwise, r->calls then
 * saying which call failed and how. Free r with sz_run_free either
 * way. */
int sz_run(const struct sz_run_opts *o, struct sz_run *r, char *err,
	   size_t err_len);

void sz_run_free(struct sz_run *r);

/* The plan run and compare give a model: sessions 1, the window fitted
 * to the cost model's transfer law for the board when the platform has
 * cost figures (the counters the simulator counts: test_shm_points),
 * else to the provisional table. */
int sz_run_plan(const struct mm_platform *p, const struct sz_model_needs *n,
		struct mm_plan *pl, char *err, size_t err_len);

#endif
