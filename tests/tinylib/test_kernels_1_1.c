/*
 * Format 1.1's kernels (tl_eltwise, tl_shuffle, tl_layernorm, the
 * hardsigmoid, silu and gelu activations) against the double-precision
 * reference (reference_layers.c), in both modes, on seeded random shapes;
 * special values; and the strict outputs' digest, which the aarch64 build
 * must reproduce bit for bit (digest_file.h).
 *
 * Tolerances:
 *  - eltwise, linear: exact. a OP b is one IEEE operation, and a double
 *    result of two floats' +, -, x or / rounds to the float one (53 >=
 *    2 x 24 + 2), so there is no double rounding to excuse.
 *  - activations and eltwise with one: 1e-6 (|ref| + 1.5 |x|) + 1e-37,
 *    x the activation's input: a few roundings, Tinylibm's 1 ULP, and
 *    gelu's 1 + erf(x/sqrt 2), which loses its relative precision below
 *    -3 but keeps an absolute one of about 2^-24 |x|.
 *  - shuffle, slice: exact (copies).
 *  - layernorm: 2^-24 (2 (c + 8) |gamma| M / sd + 4 (|ref| + |beta|)),
 *    M the largest |x| of the pixel, sd = sqrt(var + eps): the float mean
 *    errs by at most about c 2^-24 M, and (x - mean), the variance and
 *    the scale by (c + 8) 2^-24 relative; one wrong or missing channel is
 *    an error of about |x - mean| / (c sd), far outside for c <= 40.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "reference.h"
#include "reference_layers.h"
#include "tl_kernels.h"
#include "../digest_file.h"
#include "../generated/gen_random.h"

#define ULP 0x1p-24

static const enum tl_mode modes[] = { TL_MODE_STRICT, TL_MODE_FAST };
static const char *const mode_name[] = { "strict", "fast" };
static uint64_t strict_digest = DIGEST_START;

static void *alloc(size_t n, size_t size)
{
	void *p = malloc(n ? n * size : 1);
	assert_non_null(p);
	return p;
}

static float *random_floats(struct gen_rng *r, size_t n, float lo, float hi)
{
	float *a = alloc(n, sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i] = gen_float(r, lo, hi);
	return a;
}

/* Away from zero, either sign: divisors. */
static float *divisors(struct gen_rng *r, size_t n)
{
	float *a = random_floats(r, n, 0.25f, 4.0f);
	for (size_t i = 0; i < n; i++)
		a[i] = gen_chance(r, 50) ? -a[i] : a[i];
	return a;
}

static float *nan_floats(size_t n)
{
	float *a = alloc(n, sizeof *a);
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
	return a;
}

static double act_tolerance(double ref, double x)
{
	return 1e-6 * (fabs(ref) + 1.5 * fabs(x)) + 1e-37;
}

/* ---- Activations ---- */

static const enum tl_activation new_acts[] = { TL_ACT_HARDSIGMOID,
					       TL_ACT_SILU, TL_ACT_GELU };

static void test_activations_random(void **state)
{
	(void)state;
	struct gen_rng r = { 71 };
	size_t n = 4000;
	float *x = random_floats(&r, n, -12, 12), *got = alloc(n, sizeof *got);
	x[0] = 0x1p-140f, x[1] = -0x1p-140f, x[2] = 1e-20f, x[3] = -1e-20f;
	for (int a = 0; a < 3; a++) {
		memcpy(got, x, n * sizeof *got);
		tl_activate(got, n, new_acts[a]);
		for (size_t i = 0; i < n; i++) {
			double ref = ref_activate(x[i], new_acts[a]);
			if (!(fabs(got[i] - ref) <= act_tolerance(ref, x[i])))
				fail_msg("activation %d: f(%.9g) = %.9g, reference "
					 "%.9g", new_acts[a], x[i], got[i], ref);
		}
		strict_digest = digest_floats(strict_digest, got, n);
	}
	free(x), free(got);
}

/* Exact results the definitions give (NaN: any NaN). */
static const struct special { enum tl_activation act; float x, y; } specials[] = {
	{ TL_ACT_HARDSIGMOID, -3.0f, 0.0f }, { TL_ACT_HARDSIGMOID, 3.0f, 1.0f },
	{ TL_ACT_HARDSIGMOID, 0.0f, 0.5f }, { TL_ACT_HARDSIGMOID, -INFINITY, 0.0f },
	{ TL_ACT_HARDSIGMOID, INFINITY, 1.0f }, { TL_ACT_HARDSIGMOID, NAN, 0.0f },
	{ TL_ACT_HARDSIGMOID, 1e6f, 1.0f }, { TL_ACT_HARDSIGMOID, -1e6f, 0.0f },
	{ TL_ACT_SILU, 0.0f, 0.0f }, { TL_ACT_SILU, INFINITY, INFINITY },
	{ TL_ACT_SILU, -INFINITY, NAN }, { TL_ACT_SILU, NAN, NAN },
	{ TL_ACT_SILU, -200.0f, -0.0f }, { TL_ACT_SILU, 200.0f, 200.0f },
	{ TL_ACT_GELU, 0.0f, 0.0f }, { TL_ACT_GELU, INFINITY, INFINITY },
	{ TL_ACT_GELU, -INFINITY, NAN }, { TL_ACT_GELU, NAN, NAN },
	{ TL_ACT_GELU, -20.0f, -0.0f }, { TL_ACT_GELU, 20.0f, 20.0f },
};

static void test_activations_special(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof specials / sizeof *specials; i++) {
		const struct special *s = &specials[i];
		float y = s->x;
		tl_activate(&y, 1, s->act);
		int same = isnan(s->y) ? isnan(y) : y == s->y && !signbit(y) == !signbit(s->y);
		if (!same)
			fail_msg("activation %d: f(%g) = %g, expected %g", s->act,
				 s->x, y, s->y);
	}
}

/* Fast mode's logistic and silu (activation.c's exp_fast, a vector at a
 * time) reached through a public kernel: a 1 -> 2 convolution 1x1 with
 * weights 1 and no bias passes each input to the activation unchanged.
 * Every length to 40 (whole vectors and each tail), a sweep past float's
 * exponential range on both sides, and the special values. */
static void fast_activate(float *x, size_t n, enum tl_activation act)
{
	struct tl_conv_params p = { .c = 1, .h = 1, .w = (int)n, .filters = 2,
				    .size = 1, .stride = 1, .groups = 1,
				    .out_h = 1, .out_w = (int)n, .act = act };
	float w[2] = { 1.0f, 1.0f }, b[2] = { 0.0f, 0.0f };
	float *out = alloc(2 * n, sizeof *out);
	size_t floats = tl_conv_workspace_floats(&p);
	float *ws = alloc(floats + 1, sizeof *ws);
	tl_conv(TL_MODE_FAST, &p, x, w, b, out, ws, floats);
	memcpy(x, out + n, n * sizeof *x);	/* the second filter's */
	free(out), free(ws);
}

/* x[0..len) through the fast activation, against the reference. */
static void check_fast_activation(const float *x, size_t len,
				  enum tl_activation act)
{
	float *got = alloc(len, sizeof *got);
	memcpy(got, x, len * sizeof *got);
	fast_activate(got, len, act);
	for (size_t i = 0; i < len; i++) {
		double ref = ref_activate(x[i], act);
		if (!(fabs(got[i] - ref) <= act_tolerance(ref, x[i])))
			fail_msg("fast activation %d, length %zu: f(%.9g) = "
				 "%.9g, reference %.9g", act, len, x[i], got[i],
				 ref);
	}
	free(got);
}

static void test_fast_exp_activations(void **state)
{
	(void)state;
	static const enum tl_activation acts[] = { TL_ACT_LOGISTIC, TL_ACT_SILU };
	size_t n = 2000;
	float *x = alloc(n, sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = -100.0f + 0.1f * (float)i + 0.0137f;
	static const float edges[] = { 0.0f, -0.0f, 88.7f, -88.7f, 88.72f,
		-88.72f, 87.3f, -87.3f, 89.0f, -89.0f, 1e-20f, -1e-20f,
		0.3f, -0.3f, 2.0f, -2.0f };
	memcpy(x, edges, sizeof edges);
	for (int a = 0; a < 2; a++) {
		for (size_t len = 1; len <= 40; len++)
			check_fast_activation(x, len, acts[a]);
		check_fast_activation(x, n, acts[a]);
	}
	static const struct special fast_specials[] = {
		{ TL_ACT_LOGISTIC, INFINITY, 1.0f },
		{ TL_ACT_LOGISTIC, -INFINITY, 0.0f },
		{ TL_ACT_LOGISTIC, NAN, NAN }, { TL_ACT_LOGISTIC, 0.0f, 0.5f },
		{ TL_ACT_SILU, INFINITY, INFINITY }, { TL_ACT_SILU, -INFINITY, NAN },
		{ TL_ACT_SILU, NAN, NAN },
	};
	for (size_t i = 0; i < sizeof fast_specials / sizeof *fast_specials; i++) {
		const struct special *s = &fast_specials[i];
		float y = s->x;
		fast_activate(&y, 1, s->act);
		if (isnan(s->y) ? !isnan(y) : y != s->y)
			fail_msg("fast activation %d: f(%g) = %g, expected %g",
				 s->act, s->x, y, s->y);
	}
	free(x);
}

/* ---- Eltwise ---- */

/* b's shape: 0 a's, 1 (c,1,1), 2 (1,1,1). */
static struct tl_eltwise_params random_eltwise(struct gen_rng *r, int kind)
{
	struct tl_eltwise_params p;
	p.c = (int)gen_between(r, 1, 9);
	p.hw = (int)gen_between(r, 1, 45);
	p.b_c = kind == 2 ? 1 : p.c;
	p.b_hw = kind == 0 ? p.hw : 1;
	p.op = (enum tl_eltwise_op)gen_between(r, TL_ELT_ADD, TL_ELT_DIV);
	p.reversed = gen_chance(r, 50);
	p.act = gen_chance(r, 50) ? TL_ACT_LINEAR
				  : (enum tl_activation)gen_between(r, 1, TL_ACT_GELU);
	return p;
}

static void check_eltwise(const struct tl_eltwise_params *p, const float *a,
			  const float *b, int id)
{
	size_t n = (size_t)p->c * p->hw;
	double *ref = alloc(n, sizeof *ref), *pre = alloc(n, sizeof *pre);
	struct tl_eltwise_params linear = *p;
	linear.act = TL_ACT_LINEAR;
	ref_eltwise(p, a, b, ref);
	ref_eltwise(&linear, a, b, pre);
	for (int m = 0; m < 2; m++) {
		float *out = nan_floats(n);
		tl_eltwise(modes[m], p, a, b, out);
		for (size_t i = 0; i < n; i++) {
			int ok = p->act == TL_ACT_LINEAR ? out[i] == (float)ref[i] :
				 fabs(out[i] - ref[i]) <= act_tolerance(ref[i], pre[i]);
			if (!ok)
				fail_msg("eltwise %s, case %d (op %d%s, act %d): out[%zu] "
					 "= %.9g, reference %.9g", mode_name[m], id,
					 p->op, p->reversed ? " reversed" : "", p->act,
					 i, out[i], ref[i]);
		}
		if (modes[m] == TL_MODE_STRICT)
			strict_digest = digest_floats(strict_digest, out, n);
		free(out);
	}
	free(ref), free(pre);
}

static void test_eltwise_random(void **state)
{
	(void)state;
	struct gen_rng r = { 72 };
	for (int id = 0; id < 300; id++) {
		struct tl_eltwise_params p = random_eltwise(&r, id % 3);
		size_t n = (size_t)p.c * p.hw, nb = (size_t)p.b_c * p.b_hw;
		int div = p.op == TL_ELT_DIV;
		float *a = div && p.reversed ? divisors(&r, n)
					     : random_floats(&r, n, -4, 4);
		float *b = div && !p.reversed ? divisors(&r, nb)
					      : random_floats(&r, nb, -4, 4);
		check_eltwise(&p, a, b, id);
		free(a), free(b);
	}
}

/* Division by constants (ONNX exports' x / 255, x / 6): exact. */
static void test_eltwise_div_constant(void **state)
{
	(void)state;
	static const float constants[] = { 255.0f, 6.0f, 3.0f, 0.1f, -7.5f };
	struct gen_rng r = { 73 };
	for (int i = 0; i < 5; i++) {
		struct tl_eltwise_params p = { 3, 50, 1, 1, TL_ELT_DIV, 0,
					       TL_ACT_LINEAR };
		float *a = random_floats(&r, 150, -300, 300);
		check_eltwise(&p, a, &constants[i], i);
		p.reversed = 1;		/* constant / x */
		check_eltwise(&p, a, &constants[i], 10 + i);
		free(a);
	}
}

/* ---- Shuffle and slice ---- */

static void test_shuffle(void **state)
{
	(void)state;
	/* c 6, groups 2: channels 0 3 1 4 2 5 (ShuffleNet's) */
	static const int six[6] = { 0, 3, 1, 4, 2, 5 };
	for (int o = 0; o < 6; o++)
		assert_int_equal(ref_shuffle_source(6, 2, o), six[o]);
	struct gen_rng r = { 74 };
	for (int id = 0; id < 100; id++) {
		int groups = (int)gen_between(&r, 2, 6), per = (int)gen_between(&r, 1, 7);
		int c = groups * per, hw = (int)gen_between(&r, 1, 30);
		size_t n = (size_t)c * hw;
		float *in = random_floats(&r, n, -1, 1), *out = nan_floats(n);
		double *ref = alloc(n, sizeof *ref);
		ref_shuffle(c, hw, groups, in, ref);
		tl_shuffle(c, hw, groups, in, out);
		for (size_t i = 0; i < n; i++)
			if (!(out[i] == (float)ref[i]))
				fail_msg("shuffle case %d (c %d groups %d): out[%zu]",
					 id, c, groups, i);
		free(in), free(out), free(ref);
	}
}

/* ---- LayerNorm ---- */

static void check_layernorm(int c, int hw, float eps, const float *in,
			    const float *gamma, const float *beta, int id)
{
	size_t n = (size_t)c * hw;
	double *ref = alloc(n, sizeof *ref);
	ref_layernorm(c, hw, eps, in, gamma, beta, ref);
	for (int m = 0; m < 2; m++) {
		float *out = nan_floats(n);
		tl_layernorm(modes[m], c, hw, eps, in, gamma, beta, out);
		for (int i = 0; i < hw; i++) {
			double big = 0, mean = 0, var = 0;
			for (int k = 0; k < c; k++) {
				big = fmax(big, fabs(in[(size_t)k * hw + i]));
				mean += in[(size_t)k * hw + i] / (double)c;
			}
			for (int k = 0; k < c; k++)
				var += pow(in[(size_t)k * hw + i] - mean, 2) / c;
			double sd = sqrt(var + eps);
			for (int k = 0; k < c; k++) {
				size_t at = (size_t)k * hw + i;
				double tol = ULP * (2.0 * (c + 8) * fabs(gamma[k]) * big / sd +
						    4 * (fabs(ref[at]) + fabs(beta[k])));
				if (!(fabs(out[at] - ref[at]) <= tol))
					fail_msg("layernorm %s, case %d (c %d hw %d): "
						 "out[%zu] = %.9g, reference %.9g, "
						 "tolerance %.3g", mode_name[m], id, c,
						 hw, at, out[at], ref[at], tol);
			}
		}
		if (modes[m] == TL_MODE_STRICT)
			strict_digest = digest_floats(strict_digest, out, n);
		free(out);
	}
	free(ref);
}

static void test_layernorm_random(void **state)
{
	(void)state;
	struct gen_rng r = { 75 };
	for (int id = 0; id < 200; id++) {
		int c = (int)gen_between(&r, 1, 40), hw = (int)gen_between(&r, 1, 50);
		size_t n = (size_t)c * hw;
		/* a large common offset now and then: the two-pass variance */
		float offset = gen_chance(&r, 30) ? gen_float(&r, -100, 100) : 0;
		float *in = random_floats(&r, n, offset - 2, offset + 2);
		float *gamma = random_floats(&r, (size_t)c, -2, 2);
		float *beta = random_floats(&r, (size_t)c, -1, 1);
		float eps = gen_chance(&r, 50) ? 1e-5f : 1e-6f;
		check_layernorm(c, hw, eps, in, gamma, beta, id);
		free(in), free(gamma), free(beta);
	}
}

/* One channel: x - mean is 0, the output beta to the bit; equal
 * channels of an exact value likewise. */
static void test_layernorm_degenerate(void **state)
{
	(void)state;
	float in[4 * 3], gamma[4] = { 1, 2, 3, 4 }, beta[4] = { 0.5f, -1, 2, 7 };
	float out[4 * 3];
	for (int i = 0; i < 12; i++)
		in[i] = 1.0f + (float)(i % 3);	/* pixel i%3 sees equal values */
	tl_layernorm(TL_MODE_STRICT, 1, 12, 1e-5f, in, gamma, beta, out);
	for (int i = 0; i < 12; i++)
		assert_true(out[i] == beta[0]);
	tl_layernorm(TL_MODE_STRICT, 4, 3, 1e-5f, in, gamma, beta, out);
	for (int i = 0; i < 12; i++)
		assert_true(out[i] == beta[i / 3]);
}

/* Last: the digest of every strict output above. */
static void test_strict_digest(void **state)
{
	(void)state;
	digest_check("kernels_1_1", "strict", strict_digest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_activations_random),
		cmocka_unit_test(test_activations_special),
		cmocka_unit_test(test_fast_exp_activations),
		cmocka_unit_test(test_eltwise_random),
		cmocka_unit_test(test_eltwise_div_constant),
		cmocka_unit_test(test_shuffle),
		cmocka_unit_test(test_layernorm_random),
		cmocka_unit_test(test_layernorm_degenerate),
		cmocka_unit_test(test_strict_digest),
	};
	digest_start("kernels_1_1");
	return cmocka_run_group_tests_name("tinylib_kernels_1_1", tests, NULL, NULL);
}
