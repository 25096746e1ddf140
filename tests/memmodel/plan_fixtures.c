#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "plan_fixtures.h"

void load_platform(const char *name, struct mm_platform *p)
{
	char path[256], err[512];
	int line;
	snprintf(path, sizeof path, "%s/%s.conf", MM_PLATFORM_DIR, name);
	if (mm_platform_load(path, p, err, sizeof err, &line))
		fail_msg("%s", err);
}

struct mm_plan_input model_input(const struct mm_platform *p,
				 uint64_t weights, uint64_t arena)
{
	struct mm_plan_input in = {
		.weights = weights, .arena = arena, .ta_code = 256 * KiB,
		.ta_stack = 64 * KiB, .heap_slack = 64 * KiB, .sessions = 1,
		.platform = p,
	};
	return in;
}

void plan_ok(const struct mm_platform *p, const struct mm_plan_input *in,
	     struct mm_plan *pl)
{
	char err[512];
	struct mm_violation v;
	if (mm_plan(in, pl, err, sizeof err))
		fail_msg("%s", err);
	if (mm_check(p, pl, &v))
		fail_msg("%s", v.msg);
}

struct mm_plan_input small_model_flat_points(const struct mm_platform *p,
					     struct mm_shm_point *pts,
					     size_t n)
{
	for (size_t i = 0; i < n; i++)
		pts[i] = (struct mm_shm_point){ (double)(4096u << i), 64e-6 };
	struct mm_plan_input in = model_input(p, 1196, 3456);
	in.shm_points = pts;
	in.n_shm_points = n;
	return in;
}
