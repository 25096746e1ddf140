/*
 * Tinylibm's special values, each written out from C99 Annex F (F.9) and
 * compared bit for bit (any NaN matches any NaN): zeros keep their sign,
 * infinities and NaN propagate, overflow and underflow land where the
 * standard puts them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "mathref.h"

#define INF INFINITY

struct special {
	const char *fn;
	float x, y, expected;
};

static const struct special specials[] = {
	/* F.9.3.1 exp */
	{ "expf", 0.0f, 0, 1 }, { "expf", -0.0f, 0, 1 },
	{ "expf", -INF, 0, 0.0f }, { "expf", INF, 0, INF },
	{ "expf", NAN, 0, NAN }, { "expf", 89.0f, 0, INF },
	{ "expf", -104.0f, 0, 0.0f }, { "expf", 1, 0, 2.71828183f },
	/* F.9.3.6 expm1 */
	{ "expm1f", 0.0f, 0, 0.0f }, { "expm1f", -0.0f, 0, -0.0f },
	{ "expm1f", -INF, 0, -1 }, { "expm1f", INF, 0, INF },
	{ "expm1f", -60.0f, 0, -1 }, { "expm1f", 0x1p-149f, 0, 0x1p-149f },
	/* F.9.3.7 log */
	{ "logf", 0.0f, 0, -INF }, { "logf", -0.0f, 0, -INF },
	{ "logf", 1, 0, 0.0f }, { "logf", -1, 0, NAN },
	{ "logf", -INF, 0, NAN }, { "logf", INF, 0, INF },
	{ "logf", 0x1p-149f, 0, -103.278931f },
	/* F.9.3.9 log1p */
	{ "log1pf", 0.0f, 0, 0.0f }, { "log1pf", -0.0f, 0, -0.0f },
	{ "log1pf", -1, 0, -INF }, { "log1pf", -2, 0, NAN },
	{ "log1pf", INF, 0, INF }, { "log1pf", -INF, 0, NAN },
	{ "log1pf", -0x1p-149f, 0, -0x1p-149f },
	/* F.9.4.5 sqrt */
	{ "sqrtf", 0.0f, 0, 0.0f }, { "sqrtf", -0.0f, 0, -0.0f },
	{ "sqrtf", INF, 0, INF }, { "sqrtf", -1, 0, NAN },
	{ "sqrtf", -INF, 0, NAN }, { "sqrtf", 4, 0, 2 },
	{ "sqrtf", 0x1p-148f, 0, 0x1p-74f },
	/* F.9.2.6 tanh */
	{ "tanhf", 0.0f, 0, 0.0f }, { "tanhf", -0.0f, 0, -0.0f },
	{ "tanhf", INF, 0, 1 }, { "tanhf", -INF, 0, -1 },
	{ "tanhf", 20, 0, 1 }, { "tanhf", -0x1p-149f, 0, -0x1p-149f },
	/* F.9.5.1 erf */
	{ "erff", 0.0f, 0, 0.0f }, { "erff", -0.0f, 0, -0.0f },
	{ "erff", INF, 0, 1 }, { "erff", -INF, 0, -1 },
	{ "erff", 5, 0, 1 }, { "erff", 0x1p-149f, 0, 0x1p-149f },
	/* F.9.4.4 pow, every case in the order the standard lists them */
	{ "powf", 0.0f, -3, INF }, { "powf", -0.0f, -3, -INF },
	{ "powf", 0.0f, -2, INF }, { "powf", -0.0f, -0.5f, INF },
	{ "powf", 0.0f, 3, 0.0f }, { "powf", -0.0f, 3, -0.0f },
	{ "powf", -0.0f, 2, 0.0f }, { "powf", -0.0f, 0.5f, 0.0f },
	{ "powf", -1, INF, 1 }, { "powf", -1, -INF, 1 },
	{ "powf", 1, NAN, 1 }, { "powf", 1, -INF, 1 },
	{ "powf", NAN, 0.0f, 1 }, { "powf", NAN, -0.0f, 1 },
	{ "powf", -2, 0.5f, NAN }, { "powf", -8, 1.0f / 3, NAN },
	{ "powf", 0.5f, -INF, INF }, { "powf", -2, -INF, 0.0f },
	{ "powf", -0.5f, INF, 0.0f }, { "powf", 2, INF, INF },
	{ "powf", -INF, -3, -0.0f }, { "powf", -INF, -2, 0.0f },
	{ "powf", -INF, 3, -INF }, { "powf", -INF, 2.5f, INF },
	{ "powf", INF, -1, 0.0f }, { "powf", INF, 0.5f, INF },
	{ "powf", NAN, 1, NAN }, { "powf", 2, NAN, NAN },
	{ "powf", -2, 3, -8 }, { "powf", 2, 128, INF },
	{ "powf", -2, 129, -INF }, { "powf", 2, -150, 0.0f },
	{ "powf", -2, -151, -0.0f }, { "powf", 2, -149, 0x1p-149f },
	/* F.9.6.2 floor, F.9.6.1 ceil, F.9.6.6 round */
	{ "floorf", -0.0f, 0, -0.0f }, { "floorf", INF, 0, INF },
	{ "floorf", -0.5f, 0, -1 }, { "floorf", 0.5f, 0, 0.0f },
	{ "floorf", NAN, 0, NAN }, { "floorf", -8388607.5f, 0, -8388608 },
	{ "ceilf", -0.0f, 0, -0.0f }, { "ceilf", -INF, 0, -INF },
	{ "ceilf", -0.5f, 0, -0.0f }, { "ceilf", 0x1p-149f, 0, 1 },
	{ "ceilf", 8388607.5f, 0, 8388608 }, { "ceilf", NAN, 0, NAN },
	{ "roundf", -0.0f, 0, -0.0f }, { "roundf", 0.5f, 0, 1 },
	{ "roundf", -0.5f, 0, -1 }, { "roundf", 2.5f, 0, 3 },
	{ "roundf", 0.49999997f, 0, 0.0f }, { "roundf", -0.4f, 0, -0.0f },
	{ "roundf", 8388607.5f, 0, 8388608 }, { "roundf", INF, 0, INF },
	/* F.9.4.2 fabs, F.9.9.2 fmax, F.9.9.3 fmin, F.9.8.1 copysign */
	{ "fabsf", -0.0f, 0, 0.0f }, { "fabsf", -INF, 0, INF },
	{ "fminf", NAN, 1, 1 }, { "fminf", 1, NAN, 1 },
	{ "fminf", NAN, NAN, NAN }, { "fminf", 0.0f, -0.0f, -0.0f },
	{ "fmaxf", NAN, -1, -1 }, { "fmaxf", -1, NAN, -1 },
	{ "fmaxf", -0.0f, 0.0f, 0.0f }, { "fmaxf", -INF, INF, INF },
	{ "copysignf", 1, -0.0f, -1 }, { "copysignf", INF, -2, -INF },
	{ "copysignf", -3, 0.0f, 3 },
	/* F.9.3.12 ldexp: ties to even below the subnormal range */
	{ "ldexpf", -0.0f, 7, -0.0f }, { "ldexpf", -INF, -500, -INF },
	{ "ldexpf", 1, 128, INF }, { "ldexpf", 1, -150, 0.0f },
	{ "ldexpf", 1.5f, -149, 0x1p-148f }, { "ldexpf", 0x1p-149f, 276, 0x1p127f },
	{ "ldexpf", 3, 0, 3 }, { "ldexpf", 1, 2147483648.0f, INF },
};

static int same_value(float got, float expected)
{
	if (isnan(expected))
		return isnan(got);
	return float_to_bits(got) == float_to_bits(expected);
}

static const struct math_fn *find_fn(const char *name)
{
	for (int i = 0; i < math_fn_count; i++)
		if (strcmp(math_fns[i].name, name) == 0)
			return &math_fns[i];
	return NULL;
}

static void test_special_values(void **state)
{
	const struct math_fn *fn = *state;
	int checked = 0;
	for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
		const struct special *s = &specials[i];
		if (strcmp(s->fn, fn->name) != 0)
			continue;
		float got = fn->tl(s->x, s->y);
		if (!same_value(got, s->expected))
			fail_msg("%s(%a, %a) gave %a, Annex F says %a", s->fn,
				 (double)s->x, (double)s->y, (double)got,
				 (double)s->expected);
		checked++;
	}
	assert_true(checked > 0);
}

static void test_table_names_exist(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++)
		if (find_fn(specials[i].fn) == NULL)
			fail_msg("no function named %s", specials[i].fn);
}

int main(void)
{
	struct CMUnitTest tests[33];
	int n = 0;
	for (int i = 0; i < math_fn_count; i++) {
		struct CMUnitTest t = { math_fns[i].name, test_special_values,
					NULL, NULL, (void *)&math_fns[i] };
		tests[n++] = t;
	}
	struct CMUnitTest names = { "table names", test_table_names_exist,
				    NULL, NULL, NULL };
	tests[n++] = names;
	return _cmocka_run_group_tests("tinylibm_special_values", tests,
				       (size_t)n, NULL, NULL);
}
