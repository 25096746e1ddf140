/*
 * The simulator's two allocators, against a model, with seeded random
 * operations: the TA heap behind TEE_Malloc (heap.c: first fit inside
 * exactly TA_DATA_SIZE bytes, headers included, coalescing) and the
 * extent allocator that places instances in TA_RAM and buffers in the
 * shared pool (extents.c). Live blocks never overlap, keep their bytes,
 * stay aligned and in bounds; everything freed, the whole space is one
 * block again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../sim/src/sim_internal.h"

#define HEAP	(64 * 1024)
#define LIVE	64

static uint32_t rng = 0x2545F491u;

static uint32_t next(void)	/* xorshift32 (Marsaglia 2003) */
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

struct block {
	uint8_t *p;
	uint64_t size;
	uint8_t tag;
};

static void check_live(const struct block *b, size_t n, const uint8_t *base)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i].p == NULL)
			continue;
		assert_int_equal((uintptr_t)b[i].p % 16, 0);
		assert_true(b[i].p >= base && b[i].p + b[i].size <= base + HEAP);
		for (uint64_t k = 0; k < b[i].size; k++)
			if (b[i].p[k] != b[i].tag)
				fail_msg("block %zu byte %llu changed", i,
					 (unsigned long long)k);
		for (size_t j = i + 1; j < n; j++)
			if (b[j].p != NULL && b[j].size && b[i].size)
				assert_true(b[i].p + b[i].size <= b[j].p ||
					    b[j].p + b[j].size <= b[i].p);
	}
}

static void test_heap_against_a_model(void **state)
{
	(void)state;
	static _Alignas(16) uint8_t base[HEAP];
	struct sim_heap h;
	struct block b[LIVE] = { 0 };
	sim_heap_init(&h, base, HEAP);
	int fails = 0;
	for (int op = 0; op < 20000; op++) {
		struct block *x = &b[next() % LIVE];
		uint64_t size = next() % 3000;
		if (x->p == NULL) {
			x->p = sim_heap_alloc(&h, size);
			fails += x->p == NULL;
			x->size = x->p ? size : 0;
		} else if (next() % 3 == 0) {
			bool bad;
			uint8_t *q = sim_heap_realloc(&h, x->p, size, &bad);
			assert_false(bad);
			if (q != NULL) {	/* contents kept up to the smaller */
				x->p = q;
				x->size = size < x->size ? size : x->size;
			}
		} else {
			assert_int_equal(sim_heap_free(&h, x->p), 0);
			x->p = NULL;
		}
		x->tag = (uint8_t)next();
		if (x->p != NULL)
			memset(x->p, x->tag, x->size);
		if (op % 256 == 0)
			check_live(b, LIVE, base);
		assert_true(h.used <= HEAP && h.peak >= h.used);
	}
	check_live(b, LIVE, base);
	assert_true(fails > 0);	/* it did run out, and went on */
	for (int i = 0; i < LIVE; i++)
		if (b[i].p != NULL)
			assert_int_equal(sim_heap_free(&h, b[i].p), 0);
	assert_int_equal(h.used, 0);
	/* coalesced back into one block: all but its header */
	void *all = sim_heap_alloc(&h, HEAP - 16);
	assert_ptr_equal(all, base + 16);
	assert_null(sim_heap_alloc(&h, 1));
	assert_int_equal(sim_heap_free(&h, all), 0);
}

static void test_heap_refusals(void **state)
{
	(void)state;
	static _Alignas(16) uint8_t space[8192];
	uint8_t *base = space;	/* the heap is the first half */
	struct sim_heap h;
	sim_heap_init(&h, base, 4096);
	uint8_t *p = sim_heap_alloc(&h, 100);
	assert_non_null(p);
	assert_int_equal(sim_heap_free(&h, p + 16), -1);	/* not a block */
	assert_int_equal(sim_heap_free(&h, base + 4096 + 16), -1); /* outside */
	assert_int_equal(sim_heap_free(&h, p), 0);
	assert_int_equal(sim_heap_free(&h, p), -1);	/* twice */
	bool bad;
	assert_null(sim_heap_realloc(&h, p, 10, &bad));
	assert_true(bad);
	assert_null(sim_heap_alloc(&h, UINT64_MAX - 8));	/* no wrap */
	/* headers broken by a TA overrun: refused, not followed */
	p = sim_heap_alloc(&h, 32);
	memset(p - 16, 0xFF, 16);
	assert_null(sim_heap_alloc(&h, 32));
	assert_int_equal(sim_heap_free(&h, p), -1);
}

static void test_extents_against_a_model(void **state)
{
	(void)state;
	const uint64_t base = 0x10800000, size = 0x800000, pg = 0x1000;
	struct sim_extents e;
	struct { uint64_t start, size; } live[32] = { { 0, 0 } };
	assert_int_equal(sim_extents_init(&e, base, size), 0);
	for (int op = 0; op < 5000; op++) {
		int i = (int)(next() % 32);
		if (live[i].size == 0) {
			uint64_t s = (1 + next() % 300) * pg;
			if (sim_extents_alloc(&e, s, pg, &live[i].start) == 0)
				live[i].size = s;
		} else {
			sim_extents_free(&e, live[i].start, live[i].size);
			live[i].size = 0;
		}
		uint64_t used = 0;
		for (int a = 0; a < 32; a++) {
			if (!live[a].size)
				continue;
			used += live[a].size;
			assert_true(live[a].start >= base &&
				    live[a].start + live[a].size <= base + size);
			assert_int_equal(live[a].start % pg, 0);
			for (int b = a + 1; b < 32; b++)
				if (live[b].size)
					assert_true(live[a].start + live[a].size <=
						    live[b].start ||
						    live[b].start + live[b].size <=
						    live[a].start);
		}
		assert_int_equal(e.used, used);
	}
	for (int i = 0; i < 32; i++)
		if (live[i].size)
			sim_extents_free(&e, live[i].start, live[i].size);
	assert_int_equal(e.n, 1);
	uint64_t at;
	assert_int_equal(sim_extents_alloc(&e, size, pg, &at), 0);
	assert_int_equal(at, base);
	assert_int_equal(sim_extents_alloc(&e, pg, pg, &at), -1);
	/* alignment: a 2 MiB aligned start after a 4 KiB one */
	sim_extents_free(&e, base, size);
	assert_int_equal(sim_extents_alloc(&e, pg, pg, &at), 0);
	assert_int_equal(sim_extents_alloc(&e, pg, 0x200000, &at), 0);
	assert_int_equal(at, 0x10a00000);
	assert_int_equal(e.n, 2);	/* a hole below, the rest above */
	sim_extents_fini(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heap_against_a_model),
		cmocka_unit_test(test_heap_refusals),
		cmocka_unit_test(test_extents_against_a_model),
	};
	return cmocka_run_group_tests_name("sim_allocators", tests, NULL, NULL);
}
