/*
 * Tinylibm accuracy on the dense deterministic subset: 2^22 inputs per
 * function spread over every binade, then the hand-picked hard cases, each
 * against the function's bound (see mathref.c). verify_math.c runs the same
 * measure over all 2^32 inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "mathref.h"

struct worst {
	double error;
	float x, y;
};

static void consider(const struct math_fn *fn, float x, float y,
		     struct worst *worst)
{
	double error = error_of(fn, x, y);
	if (error > worst->error || worst->error < 0) {
		worst->error = error;
		worst->x = x;
		worst->y = y;
	}
}

static void test_within_bound(void **state)
{
	const struct math_fn *fn = *state;
	struct worst worst = { -1.0, 0, 0 };
	float x, y;

	for (uint32_t i = 0; i < SUBSET_SIZE; i++) {
		fn->inputs(i, &x, &y);
		consider(fn, x, y, &worst);
	}
	for (int i = 0; i < fn->hard_count; i++)
		consider(fn, fn->hard[i][0], fn->hard[i][1], &worst);

	if (fn->bound_ulp == 0.0 && worst.error == 0.0)
		printf("  %-10s correctly rounded on every input\n", fn->name);
	else
		printf("  %-10s worst %.6f ULP (bound %.1f) at x=%a y=%a\n",
		       fn->name, worst.error, fn->bound_ulp, (double)worst.x,
		       (double)worst.y);
	if (worst.error > fn->bound_ulp)
		fail_msg("%s(%a, %a): error %g ULP exceeds the bound %g",
			 fn->name, (double)worst.x, (double)worst.y,
			 worst.error, fn->bound_ulp);
}

int main(void)
{
	struct CMUnitTest tests[32];
	for (int i = 0; i < math_fn_count; i++) {
		struct CMUnitTest t = { math_fns[i].name, test_within_bound,
					NULL, NULL, (void *)&math_fns[i] };
		tests[i] = t;
	}
	return _cmocka_run_group_tests("tinylibm_accuracy", tests,
				       (size_t)math_fn_count, NULL, NULL);
}
