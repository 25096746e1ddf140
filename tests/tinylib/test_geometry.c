/*
 * Format 1.1's geometry (issue 19, docs/model-format.md): rectangular
 * kernels and strides, asymmetric pads, 1-D convolution (h = 1) and
 * rectangular inputs.
 *  - kernels: convolution (im2col, 1x1, grouped, depthwise) and maxpool
 *    against the double-precision reference (reference.c) in both modes,
 *    and strict mode against its documented order, to the bit;
 *  - tl_model_open: a 1.1 model opens, a 1.1 field in a minor-0 file is
 *    refused by name, bad 1.1 values are refused;
 *  - the builder writes minor 1 only when a layer needs it;
 *  - two small models (2-D and 1-D) run strict and fast, against the
 *    reference, and their strict digests must be the host's on aarch64
 *    (digest_file.h, group "geometry").
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
#include "strict_order.h"
#include "reference_model.h"
#include "tl_engine.h"
#include "tl_tlm_builder.h"
#include "tlm_bytes.h"
#include "../digest_file.h"

/* ---- Seeded data ---- */

struct rng { uint64_t s; };

static uint64_t next(struct rng *r)	/* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static int rnd(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static float *rnd_array(struct rng *r, size_t n)
{
	float *a = malloc((n ? n : 1) * sizeof *a);
	assert_non_null(a);
	for (size_t i = 0; i < n; i++)
		a[i] = (float)((next(r) >> 40) * 0x1p-23) - 1.0f;
	return a;
}

static float *nan_array(size_t n)
{
	float *a = malloc((n ? n : 1) * sizeof *a);
	assert_non_null(a);
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
	return a;
}

/* ---- Convolution ---- */

/* A convolution as the format describes it: pads per side. */
struct geo {
	int c, h, w, filters, groups, kh, kw, sh, sw, top, bottom, left, right;
	enum tl_activation act;
};

static struct tl_conv_params conv_params(const struct geo *g)
{
	struct tl_conv_params p = {
		g->c, g->h, g->w, g->filters, g->kh, g->sh, g->top, g->groups,
		(g->h + g->top + g->bottom - g->kh) / g->sh + 1,
		(g->w + g->left + g->right - g->kw) / g->sw + 1, g->act,
		g->kw, g->sw, g->left, 0 };
	return p;
}

/* Every kernel path with kh != kw, sh != sw and top != bottom: im2col
 * (one tile row copied at once when the rows keep their width), 1x1 with
 * padding after the input only, 1-D (h = 1), grouped, depthwise with a
 * stride on one axis, rows wider than a column tile. */
static const struct geo fixed[] = {
	{ 3, 9, 14, 5, 1, 3, 5, 1, 2, 1, 0, 2, 1, TL_ACT_LEAKY },
	{ 4, 7, 20, 6, 1, 1, 3, 1, 1, 0, 0, 1, 1, TL_ACT_RELU },
	{ 4, 7, 20, 6, 1, 3, 1, 1, 1, 2, 0, 0, 0, TL_ACT_LINEAR },
	{ 5, 12, 45, 8, 1, 2, 3, 1, 1, 0, 1, 1, 1, TL_ACT_LINEAR },
	{ 6, 1, 50, 7, 1, 1, 5, 1, 1, 0, 0, 2, 2, TL_ACT_TANH },
	{ 6, 1, 50, 7, 1, 1, 7, 1, 3, 0, 0, 3, 0, TL_ACT_RELU6 },
	{ 8, 1, 33, 8, 8, 1, 3, 1, 2, 0, 0, 1, 1, TL_ACT_HARDSWISH },
	{ 8, 10, 16, 8, 8, 3, 5, 2, 1, 1, 2, 2, 2, TL_ACT_LEAKY },
	{ 8, 16, 9, 8, 8, 5, 1, 1, 1, 2, 2, 0, 0, TL_ACT_LINEAR },
	{ 6, 11, 13, 9, 3, 2, 3, 3, 2, 1, 0, 0, 2, TL_ACT_LOGISTIC },
	{ 3, 4, 4, 5, 1, 1, 1, 1, 1, 0, 2, 0, 3, TL_ACT_LINEAR },
	{ 300, 3, 40, 4, 1, 1, 2, 1, 1, 0, 0, 0, 1, TL_ACT_LINEAR },
	{ 2, 40, 3, 3, 1, 7, 2, 1, 1, 3, 3, 0, 1, TL_ACT_RELU },
	/* 3 wide at stride 1 over rows of 40 (with AVX-512 B in runs):
	 * 1 x 3 padded below only, 5 x 3 padded on the left only */
	{ 5, 6, 40, 7, 1, 1, 3, 1, 1, 0, 2, 1, 1, TL_ACT_LEAKY },
	{ 4, 5, 40, 6, 1, 5, 3, 1, 1, 2, 1, 2, 0, TL_ACT_RELU },
};
#define FIXED (int)(sizeof fixed / sizeof *fixed)

/* Random geometry, a quarter of it 1-D, a fifth depthwise. */
static struct geo random_geo(struct rng *r)
{
	struct geo g = { rnd(r, 1, 10), rnd(r, 1, 16), rnd(r, 1, 24),
			 rnd(r, 1, 12), 1, rnd(r, 1, 5), rnd(r, 1, 7),
			 rnd(r, 1, 3), rnd(r, 1, 3), 0, 0, 0, 0,
			 (enum tl_activation)rnd(r, 0, 6) };
	if (rnd(r, 0, 3) == 0)
		g.h = 1, g.kh = 1, g.sh = 1;
	g.top = rnd(r, 0, g.kh - 1), g.bottom = rnd(r, 0, g.kh - 1);
	g.left = rnd(r, 0, g.kw - 1), g.right = rnd(r, 0, g.kw - 1);
	if (rnd(r, 0, 4) == 0)
		g.groups = g.filters = g.c;
	if (g.h + g.top + g.bottom < g.kh)
		g.h = g.kh - g.top - g.bottom;
	if (g.w + g.left + g.right < g.kw)
		g.w = g.kw - g.left - g.right;
	return g;
}

static void check_strict_order(const struct tl_conv_params *p, const float *in,
			       const float *w, const float *b, const float *out,
			       int id)
{
	size_t i = 0;
	for (int f = 0; f < p->filters; f++)
		for (int oy = 0; oy < p->out_h; oy++)
			for (int ox = 0; ox < p->out_w; ox++, i++) {
				float e = conv_in_order(p, in, w, b, f, oy, ox);
				if (memcmp(&e, &out[i], sizeof e) != 0)
					fail_msg("case %d: strict out[%zu] = %a, in order %a",
						 id, i, out[i], e);
			}
}

static void run_geo(const struct geo *g, struct rng *r, int id)
{
	struct tl_conv_params p = conv_params(g);
	size_t k = (size_t)(p.c / p.groups) * p.size * p.kw;
	size_t n = (size_t)p.filters * p.out_h * p.out_w;
	float *in = rnd_array(r, (size_t)p.c * p.h * p.w);
	float *w = rnd_array(r, (size_t)p.filters * k), *b = rnd_array(r, (size_t)p.filters);
	double *ref = malloc(n * sizeof *ref), *mag = malloc(n * sizeof *mag);
	assert_true(ref != NULL && mag != NULL);
	ref_conv(&p, in, w, b, ref, mag);
	size_t ws = tl_conv_workspace_floats(&p);
	assert_true(ws <= k * (size_t)p.out_h * p.out_w && ws <= 256 * 32);
	float *work = ws ? malloc(ws * sizeof *work) : NULL;
	for (int mode = 0; mode < 2; mode++) {
		float *out = nan_array(n);
		tl_conv((enum tl_mode)mode, &p, in, w, b, out, work, ws);
		double s = p.act == TL_ACT_HARDSWISH ? 1.5 : 1.0;
		for (size_t i = 0; i < n; i++)
			if (!(fabs(out[i] - ref[i]) <= s * (1e-5 * mag[i] + 1e-6)))
				fail_msg("case %d mode %d: out[%zu] = %.9g, reference %.9g",
					 id, mode, i, out[i], ref[i]);
		if (mode == TL_MODE_STRICT)
			check_strict_order(&p, in, w, b, out, id);
		free(out);
	}
	free(in), free(w), free(b), free(ref), free(mag), free(work);
}

static void test_conv_geometry(void **state)
{
	(void)state;
	struct rng r = { 19 };
	for (int i = 0; i < FIXED; i++)
		run_geo(&fixed[i], &r, i);
	for (int i = 0; i < 500; i++) {
		struct geo g = random_geo(&r);
		run_geo(&g, &r, 100 + i);
	}
}

/* ---- Maxpool ---- */

static void run_pool(struct tl_pool_params p, struct rng *r, int id)
{
	if (p.h + p.padding < p.size)
		p.h = p.size - p.padding;
	if (p.w + p.padding_w < p.kw)
		p.w = p.kw - p.padding_w;
	p.out_h = (p.h + p.padding - p.size) / p.stride + 1;
	p.out_w = (p.w + p.padding_w - p.kw) / p.sw + 1;
	size_t n = (size_t)p.c * p.out_h * p.out_w;
	float *in = rnd_array(r, (size_t)p.c * p.h * p.w), *out = nan_array(n);
	double *ref = malloc(n * sizeof *ref);
	assert_non_null(ref);
	ref_maxpool(&p, in, ref);
	tl_maxpool(&p, in, out);
	for (size_t i = 0; i < n; i++)
		if (!(out[i] == (float)ref[i]))
			fail_msg("maxpool case %d: out[%zu] = %.9g, reference %.9g",
				 id, i, out[i], ref[i]);
	free(in), free(out), free(ref);
}

/* Windows kh x kw with strides and paddings of their own per axis, rows
 * wide enough for the vector blocks, and 1-D (h = 1, kh = 1). */
static void test_maxpool_geometry(void **state)
{
	(void)state;
	struct rng r = { 20 };
	run_pool((struct tl_pool_params){ 3, 8, 7, 2, 2, 0, 0, 0, 3, 1, 2 }, &r, 0);
	run_pool((struct tl_pool_params){ 2, 1, 40, 1, 1, 0, 0, 0, 3, 2, 1 }, &r, 1);
	run_pool((struct tl_pool_params){ 2, 9, 70, 3, 1, 2, 0, 0, 2, 2, 0 }, &r, 2);
	for (int i = 0; i < 300; i++) {
		int kh = rnd(&r, 1, 4), kw = rnd(&r, 1, 4);
		struct tl_pool_params p = {
			rnd(&r, 1, 4), rnd(&r, 1, 12), rnd(&r, 1, 40), kh,
			rnd(&r, 1, 3), rnd(&r, 0, kh), 0, 0, kw, rnd(&r, 1, 3),
			rnd(&r, 0, kw) };
		if (i % 4 == 0)
			p.h = 1, p.size = 1, p.stride = 1, p.padding = 0;
		run_pool(p, &r, 10 + i);
	}
}

/* ---- Models ---- */

static float weight(size_t i)
{
	return (float)((i * 40503u) % 1009u) / 1009.0f - 0.5f;
}

static uint32_t param(struct tl_tlm_builder *b, uint32_t c, uint32_t h, uint32_t w)
{
	size_t n = (size_t)c * h * w;
	float *v = malloc(n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = weight(i);
	uint32_t id = tl_tlm_add_parameter(b, v, c, h, w);
	free(v);
	return id;
}

/* pad_left + 1 | pad_right + 1 << 16 (params[7]) */
static int32_t pads_lr(int left, int right)
{
	return (int32_t)((uint32_t)(left + 1) | (uint32_t)(right + 1) << 16);
}

/* A conv layer from `in` to a new (filters, oh, ow) tensor, parameters
 * p[0..7] as the format stores them; returns the output's id. */
static uint32_t add_conv(struct tl_tlm_builder *b, uint32_t in, uint32_t c,
			 uint32_t filters, uint32_t oh, uint32_t ow,
			 const int32_t p[8], enum tl_activation act)
{
	uint32_t kh = (uint32_t)p[0], kw = p[4] ? (uint32_t)p[4] : kh;
	uint32_t out = tl_tlm_add_activation(b, filters, oh, ow);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_CONV, act, out);
	l.inputs[0] = in;
	l.weights = param(b, filters, 1, c / (uint32_t)p[3] * kh * kw);
	l.bias = param(b, filters, 1, 1);
	memcpy(l.params, p, sizeof l.params);
	tl_tlm_add_layer(b, &l);
	return out;
}

static uint32_t add_pool(struct tl_tlm_builder *b, uint32_t in, uint32_t c,
			 uint32_t oh, uint32_t ow, const int32_t p[6])
{
	uint32_t out = tl_tlm_add_activation(b, c, oh, ow);
	struct tl_layer l = tl_tlm_layer(TL_LAYER_MAXPOOL, TL_ACT_LINEAR, out);
	l.inputs[0] = in;
	memcpy(l.params, p, 6 * sizeof *p);
	tl_tlm_add_layer(b, &l);
	return out;
}

static uint8_t *finish(struct tl_tlm_builder *b, uint32_t in, uint32_t out,
		       size_t *size)
{
	uint8_t *blob;
	tl_tlm_set_io(b, in, out);
	assert_int_equal(tl_tlm_finish(b, &blob, size), 0);
	tl_tlm_builder_free(b);
	return blob;
}

/* 3x9x14 -> conv 3x5, strides 1x2, pads top 1 bottom 0 left 2 right 1,
 * leaky (4x8x7) -> maxpool 2x3, strides 2x1, paddings 0 and 2 (4x4x7) ->
 * depthwise 1x3, pads left 1 right 1 (4x4x7) -> conv 2x1 stride 1, pad
 * bottom 1 only (5x4x7). */
static uint8_t *model_2d(size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t x = tl_tlm_add_activation(&b, 3, 9, 14);
	uint32_t t = add_conv(&b, x, 3, 4, 8, 7, (const int32_t[8]){
		3, 1, 1, 1, 5, 2, 0 + 1, pads_lr(2, 1) }, TL_ACT_LEAKY);
	t = add_pool(&b, t, 4, 4, 7, (const int32_t[6]){ 2, 2, 0, 3, 1, 2 + 1 });
	t = add_conv(&b, t, 4, 4, 4, 7, (const int32_t[8]){
		1, 1, 0, 4, 3, 0, 0, pads_lr(1, 1) }, TL_ACT_RELU);
	t = add_conv(&b, t, 4, 5, 4, 7, (const int32_t[8]){
		2, 1, 0, 1, 1, 0, 1 + 1, 0 }, TL_ACT_LINEAR);
	return finish(&b, x, t, size);
}

/* 1-D: 4x1x30 -> conv 1x5, stride 2, pads 2 and 2, relu (6x1x15) ->
 * maxpool 1x3, stride 2, padding 1 (6x1x7) -> conv 1x1 (3x1x7). */
static uint8_t *model_1d(size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t x = tl_tlm_add_activation(&b, 4, 1, 30);
	uint32_t t = add_conv(&b, x, 4, 6, 1, 15, (const int32_t[8]){
		1, 1, 0, 1, 5, 2, 0, pads_lr(2, 2) }, TL_ACT_RELU);
	t = add_pool(&b, t, 6, 1, 7, (const int32_t[6]){ 1, 1, 0, 3, 2, 1 + 1 });
	t = add_conv(&b, t, 6, 3, 1, 7, (const int32_t[8]){ 1, 1, 0, 1 },
		     TL_ACT_LINEAR);
	return finish(&b, x, t, size);
}

static uint16_t minor_of(const uint8_t *blob)
{
	return (uint16_t)(blob[6] | blob[7] << 8);
}

static float *run_model(const struct tl_model *m, const float *in,
			enum tl_mode mode)
{
	struct tl_plan *plan = malloc(sizeof *plan);
	assert_non_null(plan);
	assert_int_equal(tl_plan(m, plan), TL_OK);
	void *arena = aligned_alloc(TL_ALIGN, (plan->arena_size + TL_ALIGN - 1)
					      / TL_ALIGN * TL_ALIGN);
	float *out = nan_array(tl_model_output_elements(m));
	assert_int_equal(tl_run(m, plan, arena, plan->arena_size, in, out, mode),
			 TL_OK);
	free(arena);
	free(plan);
	return out;
}

/* Opens, runs strict (twice: the same bits) and fast against the
 * reference, and writes or compares the strict digest. */
static void check_model(const char *name, uint8_t *blob, size_t size)
{
	struct tl_model m;
	struct tl_model_error e;
	assert_int_equal(minor_of(blob), 1);
	if (tl_model_open(blob, size, &m, &e) != TL_OK)
		fail_msg("%s: %s, layer %d, %s: found %llu, expected %llu", name,
			 tl_status_str(e.code), e.layer, e.field,
			 (unsigned long long)e.found, (unsigned long long)e.expected);
	assert_int_equal(m.version_minor, 1);
	struct rng r = { 21 };
	float *in = rnd_array(&r, tl_model_input_elements(&m));
	size_t n = tl_model_output_elements(&m);
	float *strict = run_model(&m, in, TL_MODE_STRICT);
	float *again = run_model(&m, in, TL_MODE_STRICT);
	float *fast = run_model(&m, in, TL_MODE_FAST);
	float *ref = reference_run(&m, in);
	assert_memory_equal(strict, again, n * sizeof *strict);
	for (size_t i = 0; i < n; i++) {
		double tol = 1e-5 * (1 + fabs((double)ref[i]));
		if (!(fabs((double)strict[i] - ref[i]) <= tol &&
		      fabs((double)fast[i] - ref[i]) <= tol))
			fail_msg("%s: out[%zu] strict %.9g fast %.9g reference %.9g",
				 name, i, strict[i], fast[i], ref[i]);
	}
	digest_check("geometry", name, digest_floats(DIGEST_START, strict, n));
	free(in), free(strict), free(again), free(fast), free(ref);
}

static void test_model_2d(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = model_2d(&size);
	check_model("rect2d", blob, size);
	free(blob);
}

static void test_model_1d(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = model_1d(&size);
	check_model("conv1d", blob, size);
	free(blob);
}

/* ---- What tl_model_open refuses ---- */

/* A copy of good (16-byte aligned) with the given minor version. */
static uint8_t *copy_as(const uint8_t *good, size_t size, int minor)
{
	uint8_t *blob = aligned_alloc(TL_ALIGN, (size + TL_ALIGN - 1) / TL_ALIGN * TL_ALIGN);
	assert_non_null(blob);
	memcpy(blob, good, size);
	blob[6] = (uint8_t)minor, blob[7] = 0;
	fix_crc(blob, size);
	return blob;
}

/* Layer `layer`'s params[slot] = value, the CRC made right again. */
static void patch(uint8_t *blob, size_t size, int layer, int slot, uint32_t value)
{
	set32(blob + get32(blob + 32) + (size_t)layer * TL_LAYER_ENTRY_SIZE + 32 +
	      4 * (size_t)slot, value);
	fix_crc(blob, size);
}

static void expect_status(uint8_t *blob, size_t size, int layer,
			  enum tl_status code, const char *field)
{
	struct tl_model m;
	struct tl_model_error e;
	enum tl_status s = tl_model_open(blob, size, &m, &e);
	if (s != code || e.layer != layer || strcmp(e.field, field) != 0)
		fail_msg("%s '%s' layer %d, expected %s '%s' layer %d",
			 tl_status_str(s), e.field, e.layer, tl_status_str(code),
			 field, layer);
	free(blob);
}

/* good with layer's params[slot] = value in a file of that minor version:
 * refused with code and field. */
static void expect_refusal(const uint8_t *good, size_t size, int minor,
			   int layer, int slot, uint32_t value,
			   enum tl_status code, const char *field)
{
	uint8_t *blob = copy_as(good, size, minor);
	patch(blob, size, layer, slot, value);
	expect_status(blob, size, layer, code, field);
}

/* conv 3x3 pad 1 (2x6x6 -> 3x6x6) -> maxpool 2/2 (3x3x3): all 1.0. */
static uint8_t *model_square(size_t *size)
{
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t x = tl_tlm_add_activation(&b, 2, 6, 6);
	uint32_t t = add_conv(&b, x, 2, 3, 6, 6, (const int32_t[8]){ 3, 1, 1, 1 },
			      TL_ACT_LINEAR);
	t = add_pool(&b, t, 3, 3, 3, (const int32_t[6]){ 2, 2, 0 });
	return finish(&b, x, t, size);
}

/* A 1.1 field in a minor-0 file is an unused slot of 1.0, named; the
 * same fields in minor 1 are read (the geometry they give is checked). */
static void test_open_minor_0(void **state)
{
	(void)state;
	size_t size;
	size_t size2d;
	uint8_t *sq = model_square(&size), *blob = model_2d(&size2d);
	expect_refusal(sq, size, 0, 0, 4, 3, TL_E_LAYER, "params[4]");
	expect_refusal(sq, size, 0, 0, 5, 1, TL_E_LAYER, "params[5]");
	expect_refusal(sq, size, 0, 0, 6, 2, TL_E_LAYER, "params[6]");
	expect_refusal(sq, size, 0, 0, 7, (uint32_t)pads_lr(1, 1), TL_E_LAYER,
		       "params[7]");
	expect_refusal(sq, size, 0, 1, 3, 2, TL_E_LAYER, "params[3]");
	expect_refusal(sq, size, 0, 1, 5, 1, TL_E_LAYER, "params[5]");
	/* in minor 1 the explicit square values and the defaults are alike */
	uint8_t *same = copy_as(sq, size, 1);
	patch(same, size, 0, 4, 3), patch(same, size, 0, 5, 1);
	patch(same, size, 0, 6, 2), patch(same, size, 0, 7, (uint32_t)pads_lr(1, 1));
	patch(same, size, 1, 3, 2), patch(same, size, 1, 4, 2);
	patch(same, size, 1, 5, 1);
	struct tl_model m;
	struct tl_model_error e;
	assert_int_equal(tl_model_open(same, size, &m, &e), TL_OK);
	free(same);
	/* a 1.1 model marked 1.0 */
	uint8_t *old = copy_as(blob, size2d, 0);
	expect_status(old, size2d, 0, TL_E_LAYER, "params[4]");
	free(sq), free(blob);
}

static void test_open_refusals(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = model_2d(&size);
	expect_refusal(blob, size, 1, 0, 4, 1025, TL_E_LAYER, "kw");
	expect_refusal(blob, size, 1, 0, 4, 0xffffffffu, TL_E_LAYER, "kw");
	expect_refusal(blob, size, 1, 0, 5, 0x80000000u, TL_E_LAYER, "sw");
	expect_refusal(blob, size, 1, 0, 6, 1026, TL_E_LAYER, "pad_bottom");
	expect_refusal(blob, size, 1, 0, 6, 0xffffffffu, TL_E_LAYER, "pad_bottom");
	expect_refusal(blob, size, 1, 0, 7, 3, TL_E_LAYER, "pad_left/right");
	expect_refusal(blob, size, 1, 0, 7, 0x04020000u, TL_E_LAYER, "pad_left/right");
	expect_refusal(blob, size, 1, 0, 7, 0x04020403u, TL_E_LAYER, "pad_left/right");
	expect_refusal(blob, size, 1, 1, 3, 1025, TL_E_LAYER, "kw");
	expect_refusal(blob, size, 1, 1, 4, 0xffffffffu, TL_E_LAYER, "sw");
	expect_refusal(blob, size, 1, 1, 5, 1026, TL_E_LAYER, "padding_w");
	expect_refusal(blob, size, 1, 1, 6, 1, TL_E_LAYER, "params[6]");
	/* shapes the new fields make */
	expect_refusal(blob, size, 1, 0, 4, 18, TL_E_SHAPE,
		       "kernel larger than padded input");
	expect_refusal(blob, size, 1, 0, 5, 1, TL_E_SHAPE, "output width");
	expect_refusal(blob, size, 1, 0, 6, 2 + 1, TL_E_SHAPE, "output height");
	expect_refusal(blob, size, 1, 0, 7, (uint32_t)pads_lr(2, 3), TL_E_SHAPE,
		       "output width");
	expect_refusal(blob, size, 1, 1, 3, 1, TL_E_SHAPE, "output width");
	expect_refusal(blob, size, 1, 1, 3, 10, TL_E_SHAPE,
		       "window larger than padded input");
	expect_refusal(blob, size, 1, 2, 4, 1, TL_E_SHAPE, "output width");
	/* kw 5 -> 7 with pads 3 and 2 keeps the output's width: the weights
	 * (4 x 3*3*5) are what no longer fit (4 x 3*3*7) */
	uint8_t *wide = copy_as(blob, size, 1);
	patch(wide, size, 0, 4, 7);
	patch(wide, size, 0, 7, (uint32_t)pads_lr(3, 2));
	expect_status(wide, size, 0, TL_E_WEIGHTS, "weights");
	free(blob);
}

/* The geometry tl_layer_geometry decodes: the rows' values where a 1.1
 * field is 0. */
static void test_open_defaults(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = model_2d(&size);
	struct tl_model m;
	struct tl_model_error e;
	assert_int_equal(tl_model_open(blob, size, &m, &e), TL_OK);
	struct tl_layer l;
	struct tl_geometry g;
	tl_model_layer(&m, 0, &l);
	tl_layer_geometry(&l, &g);
	assert_true(g.kh == 3 && g.kw == 5 && g.sh == 1 && g.sw == 2);
	assert_true(g.top == 1 && g.pad_h == 1 && g.left == 2 && g.pad_w == 3);
	tl_model_layer(&m, 1, &l);
	tl_layer_geometry(&l, &g);
	assert_true(g.kh == 2 && g.kw == 3 && g.sh == 2 && g.sw == 1);
	assert_true(g.pad_h == 0 && g.pad_w == 2 && g.top == 0 && g.left == 1);
	tl_model_layer(&m, 3, &l);
	tl_layer_geometry(&l, &g);
	assert_true(g.kh == 2 && g.kw == 1 && g.sw == 1 && g.top == 0 &&
		    g.pad_h == 1 && g.left == 0 && g.pad_w == 0);
	struct tl_layer square = l;
	square.params[4] = square.params[5] = 0;
	square.params[6] = square.params[7] = 0;
	square.params[0] = 3, square.params[1] = 2, square.params[2] = 1;
	tl_layer_geometry(&square, &g);
	assert_true(g.kw == 3 && g.sw == 2 && g.left == 1 && g.pad_h == 2 &&
		    g.pad_w == 2);
	free(blob);
}

/* A square model stays 1.0: the builder writes minor 0. */
static void test_builder_minor(void **state)
{
	(void)state;
	size_t size;
	uint8_t *blob = model_square(&size);
	assert_int_equal(minor_of(blob), 0);
	struct tl_model m;
	struct tl_model_error e;
	assert_int_equal(tl_model_open(blob, size, &m, &e), TL_OK);
	assert_int_equal(m.version_minor, 0);
	free(blob);
}

int main(void)
{
	digest_start("geometry");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conv_geometry),
		cmocka_unit_test(test_maxpool_geometry),
		cmocka_unit_test(test_model_2d),
		cmocka_unit_test(test_model_1d),
		cmocka_unit_test(test_open_minor_0),
		cmocka_unit_test(test_open_refusals),
		cmocka_unit_test(test_open_defaults),
		cmocka_unit_test(test_builder_minor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
