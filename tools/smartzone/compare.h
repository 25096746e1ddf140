/*
 * smartzone compare's parts: running one model both ways through the
 * simulated TEE (compare_run.c) and writing the comparison
 * (compare_report.c); cmd_compare.c parses the arguments and calls them.
 * docs/compare.md says what each mode does and how to read the figures.
 */
#ifndef SZ_COMPARE_H
#define SZ_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "a53_run.h"
#include "mm_plan.h"
#include "mm_platform.h"
#include "sim_cost.h"

/* Xie et al., INFOCOM 2024 (BRIEF.md, "Results"): Smart-Zone against a
 * non-memory-optimised method in the TEE. */
#define SZ_PAPER_SPEEDUP	3.13
#define SZ_PAPER_POWER_SAVING	0.665

struct sz_cmp_opts {
	const char *platform_path;	/* the platform file */
	unsigned runs;			/* measured inferences per mode */
	uint64_t chunk;			/* the baseline's bytes a LOAD_CHUNK */
	bool checks;			/* the simulator's leakage check */
	bool encrypted;			/* both modes with sealed models */
};

/* One mode of one model: the TA it ran in and one inference's figures. */
struct sz_cmp_mode {
	uint64_t heap;			/* TA_DATA_SIZE */
	bool stock;			/* the platform's own layout */
	uint64_t tzdram_start, tzdram_size;
	double wall_s;			/* measured on this host: the median */
	double tee_s;			/* of those, inside the TA: the median */
	struct sim_cost_report run;	/* counted, host-measured, modelled */
};

struct sz_cmp_result {
	char name[64];
	uint64_t macs;			/* one inference, both modes */
	size_t n_out;
	bool identical;			/* the outputs' bits */
	struct sz_cmp_mode sz, base;
	/* Smart-Zone's one-off provisioning, not in the per-inference run */
	uint64_t window, chunks;
	double provision_wall_s;	/* measured on this host */
	struct sim_cost_report provision;
	/* the baseline's steps */
	size_t steps;
	uint64_t streamed;		/* the steps' bytes, every inference */
	uint64_t default_heap;		/* what the stock layout gives */
	size_t refused_need;		/* why the heap was raised, else 0 */
	/* One inference's compute on the board's core from the instruction
	 * mix under Unicorn (a53_run.h; where the runner is built) */
	struct sz_a53 a53;
};

/* The TA heap the platform's stock layout gives one TA instance: stock
 * TA_RAM less the TA's code, stack and OP-TEE's per-instance overhead,
 * as the planner counts them (mm_plan.h, model_needs.h). */
uint64_t sz_cmp_default_heap(const struct mm_platform *p);

/* The layout that holds one TA instance with a heap (TA_DATA_SIZE) of
 * heap bytes, a multiple of 4 KiB: the stock one (placement unchanged)
 * for sz_cmp_default_heap, a grown one for more. */
int sz_cmp_baseline_plan(const struct mm_platform *p, uint64_t heap,
			 struct mm_plan *out, char *err, size_t err_len);

/* Both modes of the model at path on platform p; 0, or -1 with a
 * sentence naming the model in err. */
int sz_cmp_model(const struct mm_platform *p, const struct sz_cmp_opts *o,
		 const char *path, struct sz_cmp_result *r, char *err,
		 size_t err_len);

/* The comparison of n models, for people (Markdown tables) or tools. */
int sz_cmp_print_text(FILE *f, const struct mm_platform *p,
		      const struct sz_cmp_opts *o,
		      const struct sz_cmp_result *r, size_t n);
int sz_cmp_print_json(FILE *f, const struct mm_platform *p,
		      const struct sz_cmp_opts *o,
		      const struct sz_cmp_result *r, size_t n);

#endif
