/*
 * The arena planner: hand-made plans with their exact offsets, the edges
 * of the contract (capacity, bad lifetimes, overflow), and properties over
 * thousands of seeded random, chain-shaped and branchy buffer sets, with
 * the arena against the lower bound printed for each family and for the
 * seven sample Darknet models.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "files.h"

#include "tl_darknet.h"
#include "tl_planner.h"

#ifndef TL_ZOO_DIR
#error "TL_ZOO_DIR: the folder of the sample cfgs (tests/tinylib/module.mk)"
#endif

#define CAP 256

static struct tl_plan_buffer storage[CAP];
static int scratch[CAP];

static struct tl_planner *fresh(int capacity)
{
	static struct tl_planner p;
	tl_planner_init(&p, storage, scratch, capacity);
	return &p;
}

static size_t padded(size_t n)
{
	return (n + TL_PLAN_ALIGN - 1) / TL_PLAN_ALIGN * TL_PLAN_ALIGN;
}

/* Adds n buffers {size, first, last} and solves. */
static struct tl_planner *plan(const size_t (*bufs)[3], int n)
{
	struct tl_planner *p = fresh(CAP);
	for (int i = 0; i < n; i++)
		assert_int_equal(tl_planner_add(p, bufs[i][0], (int)bufs[i][1],
						(int)bufs[i][2]), i);
	assert_int_equal(tl_planner_solve(p), 0);
	return p;
}

static void expect_offsets(const struct tl_planner *p, const size_t *want,
			   int n, size_t arena)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(tl_planner_offset(p, i), want[i]);
	assert_int_equal(tl_planner_arena_size(p), arena);
	assert_int_equal(tl_planner_lower_bound(p), arena);
}

/* ---- Hand-made plans ---- */

/* Layer i writes tensor i, layer i + 1 reads it: two slots, alternating. */
static void test_chain_alternates(void **state)
{
	(void)state;
	static const size_t bufs[][3] = {
		{ 1000, 0, 1 }, { 600, 1, 2 }, { 1000, 2, 3 },
		{ 600, 3, 4 }, { 1000, 4, 5 },
	};
	static const size_t want[] = { 0, 1008, 0, 1008, 0 };
	expect_offsets(plan(bufs, 5), want, 5, 1008 + 608);
}

/* y = conv(conv(x)) + x: x lives across the block, and y takes the slot
 * of the first conv's output, dead by then. */
static void test_residual_block(void **state)
{
	(void)state;
	static const size_t bufs[][3] = {
		{ 256, 0, 2 },	/* x */
		{ 256, 0, 1 },	/* a = conv(x) */
		{ 256, 1, 2 },	/* b = conv(a) */
		{ 256, 2, 3 },	/* y = b + x, read by layer 3 */
	};
	static const size_t want[] = { 0, 256, 512, 256 };
	expect_offsets(plan(bufs, 4), want, 4, 768);
}

/* The big one goes first, at 0; the small ones fit around it in time. */
static void test_one_large_buffer(void **state)
{
	(void)state;
	static const size_t bufs[][3] = {
		{ 100, 0, 1 }, { 5000, 1, 2 }, { 100, 2, 3 }, { 100, 3, 4 },
	};
	static const size_t want[] = { 5008, 0, 5008, 0 };
	expect_offsets(plan(bufs, 4), want, 4, 5008 + 112);
}

/* Largest first puts both 208s at 0 and leaves the chain needing 432;
 * even steps first stacks each odd tensor on its larger neighbour and
 * meets the bound. */
static void test_parity_beats_size(void **state)
{
	(void)state;
	static const size_t bufs[][3] = {
		{ 200, 0, 1 }, { 100, 1, 2 }, { 100, 2, 3 }, { 200, 3, 4 },
	};
	static const size_t want[] = { 0, 208, 0, 112 };
	expect_offsets(plan(bufs, 4), want, 4, 208 + 112);
}

/* Solving again gives the same plan. */
static void test_deterministic(void **state)
{
	(void)state;
	static const size_t bufs[][3] = {
		{ 64, 0, 3 }, { 64, 0, 1 }, { 32, 1, 2 }, { 64, 2, 3 },
		{ 48, 3, 4 }, { 48, 3, 3 },
	};
	struct tl_planner *p = plan(bufs, 6);
	size_t first[6];
	for (int i = 0; i < 6; i++)
		first[i] = tl_planner_offset(p, i);
	assert_int_equal(tl_planner_solve(p), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(tl_planner_offset(p, i), first[i]);
}

/* ---- The edges of the contract ---- */

static void test_empty_and_unsolved(void **state)
{
	(void)state;
	struct tl_planner *p = fresh(CAP);
	assert_int_equal(tl_planner_lower_bound(p), 0);
	assert_int_equal(tl_planner_solve(p), 0);
	assert_int_equal(tl_planner_arena_size(p), 0);
	assert_int_equal(tl_planner_add(p, 10, 0, 0), 0);
	assert_int_equal(tl_planner_offset(p, 0), SIZE_MAX);
	assert_int_equal(tl_planner_offset(p, 1), SIZE_MAX);
	assert_int_equal(tl_planner_offset(p, -1), SIZE_MAX);
	assert_int_equal(tl_planner_solve(p), 0);
	assert_int_equal(tl_planner_offset(p, 0), 0);
	assert_int_equal(tl_planner_arena_size(p), 16);
	assert_int_equal(tl_planner_add(p, 0, 0, 0), 1);	/* invalidates */
	assert_int_equal(tl_planner_arena_size(p), 0);
}

static void test_capacity(void **state)
{
	(void)state;
	struct tl_planner *p = fresh(2);
	assert_int_equal(tl_planner_add(p, 1, 0, 0), 0);
	assert_int_equal(tl_planner_add(p, 1, 0, 0), 1);
	assert_int_equal(tl_planner_add(p, 1, 0, 0), -1);
	assert_int_equal(p->count, 2);
	assert_int_equal(tl_planner_add(fresh(0), 1, 0, 0), -1);
	assert_int_equal(tl_planner_add(fresh(-5), 1, 0, 0), -1);
}

static void test_bad_lifetime(void **state)
{
	(void)state;
	struct tl_planner *p = fresh(CAP);
	assert_int_equal(tl_planner_add(p, 1, 3, 2), -1);
	assert_int_equal(tl_planner_add(p, 1, 2, 2), 0);
	assert_int_equal(p->count, 1);
}

static void expect_overflow(struct tl_planner *p)
{
	assert_int_not_equal(tl_planner_solve(p), 0);
	assert_int_equal(tl_planner_arena_size(p), 0);
	for (int i = 0; i < p->count; i++)
		assert_int_equal(tl_planner_offset(p, i), SIZE_MAX);
}

static void test_overflow(void **state)
{
	(void)state;
	struct tl_planner *p = fresh(CAP);
	tl_planner_add(p, SIZE_MAX - 14, 0, 0);		/* cannot be rounded */
	assert_int_equal(tl_planner_lower_bound(p), SIZE_MAX);
	expect_overflow(p);

	p = fresh(CAP);				/* two halves alive together */
	tl_planner_add(p, SIZE_MAX / 2 + 1, 0, 1);
	tl_planner_add(p, SIZE_MAX / 2 + 1, 1, 2);
	assert_int_equal(tl_planner_lower_bound(p), SIZE_MAX);
	expect_overflow(p);

	p = fresh(CAP);				/* ... and apart: they share */
	tl_planner_add(p, SIZE_MAX / 2 + 1, 0, 0);
	tl_planner_add(p, SIZE_MAX / 2 + 1, 1, 1);
	assert_int_equal(tl_planner_solve(p), 0);
	assert_int_equal(tl_planner_offset(p, 1), 0);
	assert_int_equal(tl_planner_arena_size(p), SIZE_MAX / 2 + 1);

	p = fresh(CAP);				/* the largest that rounds */
	tl_planner_add(p, SIZE_MAX - 15, 0, 0);
	assert_int_equal(tl_planner_solve(p), 0);
	assert_int_equal(tl_planner_arena_size(p), SIZE_MAX - 15);
}

/* ---- Properties over seeded sets ---- */

static uint64_t rng;

static uint32_t next(uint32_t n)	/* uniform enough in [0, n) */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

static size_t random_size(void)
{
	return 1 + next(1000000);
}

/* Any sizes, any lifetimes within steps 0..50. */
static void random_set(struct tl_planner *p)
{
	int n = 1 + (int)next(100);
	for (int i = 0; i < n; i++) {
		int first = (int)next(51);
		int last = first + (int)next(51 - (uint32_t)first);
		tl_planner_add(p, random_size(), first, last);
	}
}

/* Layer i writes tensor i, layer i + 1 reads it. */
static void chain_set(struct tl_planner *p)
{
	int n = 2 + (int)next(50);
	for (int i = 0; i < n; i++)
		tl_planner_add(p, random_size(), i, i + 1);
}

/* A chain where a quarter of the tensors are also read 2..8 layers on,
 * as shortcut and route layers do. */
static void branchy_set(struct tl_planner *p)
{
	int n = 2 + (int)next(50);
	for (int i = 0; i < n; i++) {
		int last = next(4) == 0 ? i + 2 + (int)next(7) : i + 1;
		tl_planner_add(p, random_size(), i, last);
	}
}

/* The planner's promises for one solved set. */
static void check_plan(const struct tl_planner *p)
{
	size_t arena = tl_planner_arena_size(p), sum = 0;
	for (int i = 0; i < p->count; i++) {
		const struct tl_plan_buffer *a = &p->buffers[i];
		assert_int_equal(a->offset % TL_PLAN_ALIGN, 0);
		assert_true(a->offset + padded(a->size) <= arena);
		sum += padded(a->size);
		for (int j = 0; j < i; j++) {
			const struct tl_plan_buffer *b = &p->buffers[j];
			if (a->first_use > b->last_use || b->first_use > a->last_use)
				continue;
			assert_true(a->offset + padded(a->size) <= b->offset ||
				    b->offset + padded(b->size) <= a->offset);
		}
	}
	assert_true(arena >= tl_planner_lower_bound(p));
	assert_true(arena <= sum);
}

static void sweep(const char *family, void (*make)(struct tl_planner *),
		  int sets)
{
	double worst = 1, total = 0;
	for (int s = 0; s < sets; s++) {
		struct tl_planner *p = fresh(CAP);
		rng = 0x9e3779b97f4a7c15u * (uint64_t)(s + 1);
		make(p);
		assert_int_equal(tl_planner_solve(p), 0);
		check_plan(p);
		double r = (double)tl_planner_arena_size(p) /
			   (double)tl_planner_lower_bound(p);
		total += r;
		if (r > worst)
			worst = r;
	}
	printf("planner: %-8s %5d sets, arena / lower bound: worst %.3f, "
	       "mean %.4f\n", family, sets, worst, total / sets);
}

static void test_random_sets(void **state)
{
	(void)state;
	sweep("random", random_set, 3000);
}

static void test_chain_sets(void **state)
{
	(void)state;
	sweep("chain", chain_set, 3000);
}

static void test_branchy_sets(void **state)
{
	(void)state;
	sweep("branchy", branchy_set, 3000);
}

/* ---- The sample models ---- */

static void build_sample(const char *name, struct tl_darknet_net *net)
{
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	size_t len;
	char *text = read_file(path, &len);
	struct tl_darknet_cfg cfg;
	int status = tl_darknet_cfg_parse(text, len, name, &cfg, err, sizeof err);
	free(text);
	if (status == TL_DARKNET_OK)
		status = tl_darknet_net_build(&cfg, net, err, sizeof err);
	tl_darknet_cfg_free(&cfg);
	if (status != TL_DARKNET_OK)
		fail_msg("%s", err);
}

static void extend(int *last, int tensor, int step)
{
	if (last[tensor] < step)
		last[tensor] = step;
}

/* Tensor 0 is the input, tensor i + 1 layer i's output, alive from the
 * step that writes it to the last that reads it; a route reads only its
 * layers, a shortcut the previous layer and its from; yolo heads and the
 * last layer are outputs, alive to the end. */
static void model_set(struct tl_planner *p, const struct tl_darknet_net *net)
{
	int n = (int)net->n_layers, last[CAP];
	assert_true(n < CAP);
	for (int t = 0; t <= n; t++)
		last[t] = t == 0 ? 0 : t - 1;
	for (int i = 0; i < n; i++) {
		const struct tl_darknet_layer *l = &net->layers[i];
		if (l->type == TL_DN_ROUTE)
			for (int k = 0; k < l->n_route; k++)
				extend(last, l->route[k] + 1, i);
		else
			extend(last, i, i);
		if (l->type == TL_DN_SHORTCUT)
			extend(last, l->from + 1, i);
		if (l->type == TL_DN_YOLO || i == n - 1)
			extend(last, i + 1, n - 1);
	}
	size_t in = (size_t)net->input.c * net->input.h * net->input.w;
	assert_int_equal(tl_planner_add(p, in * sizeof(float), 0, last[0]), 0);
	for (int i = 0; i < n; i++) {
		struct tl_darknet_shape o = net->layers[i].out;
		size_t bytes = (size_t)o.c * o.h * o.w * sizeof(float);
		assert_int_equal(tl_planner_add(p, bytes, i, last[i + 1]), i + 1);
	}
}

static void test_sample_models(void **state)
{
	(void)state;
	static const char *names[] = { "alexnet", "cifar", "darknet",
		"mobilenet_v1", "resnet18", "tiny", "yolov3-tiny" };
	for (size_t m = 0; m < sizeof names / sizeof names[0]; m++) {
		struct tl_darknet_net net;
		build_sample(names[m], &net);
		struct tl_planner *p = fresh(CAP);
		model_set(p, &net);
		tl_darknet_net_free(&net);
		assert_int_equal(tl_planner_solve(p), 0);
		check_plan(p);
		size_t arena = tl_planner_arena_size(p);
		printf("planner: %-12s %3d tensors, arena %9zu B, "
		       "lower bound %9zu B, ratio %.4f\n", names[m], p->count,
		       arena, tl_planner_lower_bound(p),
		       (double)arena / (double)tl_planner_lower_bound(p));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_alternates),
		cmocka_unit_test(test_residual_block),
		cmocka_unit_test(test_one_large_buffer),
		cmocka_unit_test(test_parity_beats_size),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_empty_and_unsolved),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_bad_lifetime),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_random_sets),
		cmocka_unit_test(test_chain_sets),
		cmocka_unit_test(test_branchy_sets),
		cmocka_unit_test(test_sample_models),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
