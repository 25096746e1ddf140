/* What the planner's tests share: the real platform files and a model
 * input with the TA sizes the tests assume. */
#ifndef PLAN_FIXTURES_H
#define PLAN_FIXTURES_H

#include "mm_plan.h"

#define KiB 0x400ull
#define MiB 0x100000ull

/* Loads memmodel/platforms/<name>.conf or fails the test. */
void load_platform(const char *name, struct mm_platform *p);

/* weights and arena with 256 KiB of code, a 64 KiB stack, 64 KiB of
 * heap slack, one session. */
struct mm_plan_input model_input(const struct mm_platform *p,
				 uint64_t weights, uint64_t arena);

/* Plans and checks, or fails the test with the reason. */
void plan_ok(const struct mm_platform *p, const struct mm_plan_input *in,
	     struct mm_plan *pl);

/*
 * The transfer points of a model smaller than every window: n windows
 * of 4 KiB, 8 KiB, ... (n <= 16), each one call of the same time. The
 * exponential fit refuses them; in points to them, at the plan input of
 * the small model of issue 17 (1,196 bytes, arena 3,456).
 */
struct mm_plan_input small_model_flat_points(const struct mm_platform *p,
					     struct mm_shm_point *pts,
					     size_t n);

#endif
