/*
 * Translation tables as bytes (mm_xlat.h): the descriptor bits, modelled
 * memory, the core's tables against mm_plan_xlat_count and a user TA's
 * against mm_plan_pgt_per_instance on both platforms and a few plans,
 * every mapped page walked back to its PA and attributes, the failures
 * OP-TEE users hit ("xlat tables exhausted", "alloc_pgt: page tables not
 * available") with their issues' sizes, and the walker's faults.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_xlat.h"
#include "plan_fixtures.h"

#define R MM_XLAT_R
#define W MM_XLAT_W
#define X MM_XLAT_X
#define NS MM_XLAT_NS
#define USER MM_XLAT_USER

static char err[512];

/* ---- Modelled memory for a plan: TZDRAM and the static shm ---- */

struct world {
	struct mm_platform p;
	struct mm_plan pl;
	struct mm_phys mem;
	uint8_t *tz, *shm;
};

static void world_memory(struct world *w)
{
	memset(&w->mem, 0, sizeof w->mem);
	w->tz = calloc(1, w->pl.tzdram_size);
	w->shm = calloc(1, w->p.shmem_size);
	assert_non_null(w->tz);
	assert_non_null(w->shm);
	assert_int_equal(mm_phys_add(&w->mem, w->pl.tzdram_start,
				     w->pl.tzdram_size, w->tz, err,
				     sizeof err), 0);
	assert_int_equal(mm_phys_add(&w->mem, w->p.shmem_start,
				     w->p.shmem_size, w->shm, err,
				     sizeof err), 0);
}

static void world_free(struct world *w)
{
	free(w->tz);
	free(w->shm);
}

/* A planned world: platform name, the model's weights and arena, TEE
 * core RAM (0: the platform's). */
static void world_plan(struct world *w, const char *platform,
		       uint64_t weights, uint64_t arena, uint64_t tee_core)
{
	load_platform(platform, &w->p);
	struct mm_plan_input in = model_input(&w->p, weights, arena);
	in.tee_core = tee_core;
	plan_ok(&w->p, &in, &w->pl);
	world_memory(w);
}

/* ---- Distinct tables a walk reached ---- */

struct tset {
	uint64_t pa[1024];
	size_t n;
};

static void tset_add(struct tset *s, uint64_t pa)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->pa[i] == pa)
			return;
	assert_true(s->n < 1024);
	s->pa[s->n++] = pa;
}

/* Walks every page of a, checking PA and attributes; adds the level-2
 * and level-3 tables reached to l2 and l3. */
static void walk_area(const struct mm_phys *mem, uint64_t ttbr,
		      const struct mm_xlat_area *a, struct tset *l2,
		      struct tset *l3)
{
	for (uint64_t off = 0; off < a->size; off += MM_XLAT_PAGE) {
		struct mm_xlat_hit hit;
		if (mm_xlat_walk(mem, ttbr, MM_XLAT_START_LEVEL, a->va + off,
				 &hit, err, sizeof err))
			fail_msg("%s + 0x%llx: %s", a->name,
				 (unsigned long long)off, err);
		assert_int_equal(hit.pa, a->pa + off);
		assert_int_equal(hit.attrs, a->attrs);
		assert_int_equal(hit.table[1], ttbr);
		tset_add(l2, hit.table[2]);
		if (hit.level == 3)
			tset_add(l3, hit.table[3]);
		else
			assert_int_equal(hit.block_size, 2 * MiB);
	}
}

/* Walks every page of the core's areas; returns the level-2 and level-3
 * tables reached. */
static size_t walk_core(const struct world *w, const struct mm_core_space *core,
			struct tset *l2, struct tset *l3)
{
	l2->n = l3->n = 0;
	for (size_t i = 0; i < core->n_areas; i++)
		walk_area(&w->mem, core->ttbr, &core->area[i], l2, l3);
	return l2->n + l3->n;
}

/* ---- Descriptors ---- */

/* The bits, from DDI 0487 D8: AttrIndx 1 (bits 4:2), SH 0b11 (9:8), AF
 * (10) in every leaf; a user code page has AP 0b11 (RO, EL0), nG and PXN
 * but not UXN; a user data page AP 0b01, UXN and PXN; the core's TA_RAM
 * block AP 0b00, UXN and PXN, global; the shm NS (5). */
static void test_desc_bits(void **state)
{
	(void)state;
	const uint64_t base = 1u << 2 | 3u << 8 | 1u << 10;
	const uint64_t pxn = 1ull << 53, uxn = 1ull << 54;
	assert_int_equal(mm_xlat_desc_leaf(0x10800000, 3, R | X | USER),
			 0x10800000 | 3 | base | 3u << 6 | 1u << 11 | pxn);
	assert_int_equal(mm_xlat_desc_leaf(0x10900000, 3, R | W | USER),
			 0x10900000 | 3 | base | 1u << 6 | 1u << 11 | pxn |
			 uxn);
	assert_int_equal(mm_xlat_desc_leaf(0x10a00000, 2, R | W),
			 0x10a00000 | 1 | base | pxn | uxn);
	assert_int_equal(mm_xlat_desc_leaf(0x10100000, 3, R | X),
			 0x10100000 | 3 | base | 2u << 6 | uxn);
	assert_int_equal(mm_xlat_desc_leaf(0x08000000, 3, R | W | USER | NS),
			 0x08000000 | 3 | base | 1u << 5 | 1u << 6 |
			 1u << 11 | pxn | uxn);
	assert_int_equal(mm_xlat_desc_table(0x10123000), 0x10123003);
	/* a block's address keeps only its own bits */
	assert_int_equal(mm_xlat_desc_leaf(0x40123000, 1, R) & 0xfffff000,
			 0x40000000);
}

/* Every attribute set survives encode and decode at every level. */
static void test_desc_round_trip(void **state)
{
	(void)state;
	for (unsigned level = 1; level <= 3; level++)
		for (unsigned a = 0; a < 16; a++) {
			unsigned attrs = R | a << 1;	/* W X NS USER */
			uint64_t d = mm_xlat_desc_leaf(0x40000000, level,
						       attrs);
			struct mm_xlat_desc x = mm_xlat_desc_decode(d, level);
			assert_int_equal(x.kind, level == 3 ? MM_DESC_PAGE
							    : MM_DESC_BLOCK);
			assert_int_equal(x.addr, 0x40000000);
			assert_int_equal(x.attrs, attrs);
			assert_true(x.af);
		}
	assert_int_equal(mm_xlat_desc_decode(0, 2).kind, MM_DESC_INVALID);
	/* 0b01 at level 3 is reserved: a fault, not a block */
	assert_int_equal(mm_xlat_desc_decode(0x10000001, 3).kind,
			 MM_DESC_INVALID);
	struct mm_xlat_desc t = mm_xlat_desc_decode(0x10123003, 2);
	assert_int_equal(t.kind, MM_DESC_TABLE);
	assert_int_equal(t.addr, 0x10123000);
}

/* ---- Modelled memory ---- */

static void test_phys(void **state)
{
	(void)state;
	uint8_t a[8192], b[4096];
	struct mm_phys m = { 0 };
	assert_int_equal(mm_phys_add(&m, 0x1000, sizeof a, a, err,
				     sizeof err), 0);
	assert_int_equal(mm_phys_add(&m, 0x2000, sizeof b, b, err,
				     sizeof err), -1);
	assert_non_null(strstr(err, "overlaps 0x1000"));
	assert_int_equal(mm_phys_add(&m, 0x8000, sizeof b, b, err,
				     sizeof err), 0);
	assert_ptr_equal(mm_phys_at(&m, 0x1ff8, 8), a + 0xff8);
	assert_null(mm_phys_at(&m, 0x2ffc, 8));	/* past a's end */
	assert_null(mm_phys_at(&m, 0x4000, 1));
	assert_int_equal(mm_phys_write64(&m, 0x8008, 0x1122334455667788ull), 0);
	assert_int_equal(b[8], 0x88);		/* little-endian */
	assert_int_equal(b[15], 0x11);
	uint64_t v;
	assert_int_equal(mm_phys_read64(&m, 0x8008, &v), 0);
	assert_int_equal(v, 0x1122334455667788ull);
	assert_int_equal(mm_phys_read64(&m, 0x7ffc, &v), -1);
}

/* ---- The core's tables against the planner ---- */

/* Builds the core's tables with the plan's MAX_XLAT_TABLES; the count
 * equals mm_plan_xlat_count, and a walk of every page reaches exactly
 * the tables built and gives back every PA and attribute. */
static void check_core(struct world *w, struct mm_core_space *core)
{
	if (mm_xlat_core_build(&w->p, &w->pl, w->pl.max_xlat_tables, &w->mem,
			       core, err, sizeof err))
		fail_msg("%s", err);
	unsigned planned = mm_plan_xlat_count(&w->p, w->pl.tzdram_start,
					      w->pl.tee_core,
					      w->pl.tzdram_size);
	assert_int_equal(core->tables_used, planned);
	assert_int_equal(core->tables_used, w->pl.xlat_needed);
	assert_int_equal(core->l2_tables + core->l3_tables, core->tables_used);
	static struct tset l2, l3;
	walk_core(w, core, &l2, &l3);
	assert_int_equal(l2.n, core->l2_tables);
	assert_int_equal(l3.n, core->l3_tables);
}

/* ---- A TA's tables against the planner ---- */

/* The plan's TA with the plan's shared window, 0x123 into the static
 * shared memory (a client's buffer need not start on a page). */
static struct mm_ta_request plan_request(const struct world *w)
{
	uint64_t win = w->pl.shm_window;
	if (win > w->p.shmem_size - MM_XLAT_PAGE)
		win = w->p.shmem_size - MM_XLAT_PAGE;
	struct mm_ta_request rq = {
		.code = w->pl.ta_code_size, .rodata = 0,
		.data = w->pl.ta_data_size, .stack = w->pl.ta_stack_size,
		.shm_pa = w->p.shmem_start + 0x123, .shm_size = win,
	};
	return rq;
}

static void check_ta_layout(const struct world *w, const struct mm_ta_space *ta)
{
	const struct mm_xlat_area *a = ta->area;
	assert_int_equal(a[MM_TA_CODE].va, 0x40001000);
	assert_int_equal(a[MM_TA_CODE].pa, w->pl.ta_ram_start);
	assert_int_equal(a[MM_TA_CODE].attrs, R | X | USER);
	assert_int_equal(a[MM_TA_DATA].attrs, R | W | USER);
	assert_int_equal(a[MM_TA_STACK].attrs, R | W | USER);
	assert_int_equal(a[MM_TA_SHM].attrs, R | W | USER | NS);
	for (int k = 1; k < MM_TA_SHM; k++)
		assert_int_equal(a[k].va, a[k - 1].va + a[k - 1].size);
	/* one unmapped page between the TA's regions and the parameters */
	assert_int_equal(a[MM_TA_SHM].va,
			 a[MM_TA_STACK].va + a[MM_TA_STACK].size + 0x1000);
	assert_int_equal(a[MM_TA_SHM].pa, w->p.shmem_start);
	assert_int_equal(ta->shm_va, a[MM_TA_SHM].va + 0x123);
	assert_int_equal(ta->start_level, 1);
	assert_int_equal(ta->l2_tables, 1);
}

/*
 * The planner's pgt_per_instance is (instance + the largest command's
 * memrefs and a page) / 2 MiB + 2: one table a span of the instance
 * (code, data, stack and 128 KiB for ldelf) and of the parameters mapped
 * beside it, and two for windows split at either end by alignment.
 * Built, the image starts one page into a 2 MiB window, so it splits at
 * one end only. So the built count never exceeds the planner's.
 */
static void check_ta(struct world *w, struct mm_ta_space *ta)
{
	struct mm_ta_request rq = plan_request(w);
	if (mm_xlat_ta_build(&w->pl, &rq, w->pl.pgt_cache_size, &w->mem, ta,
			     err, sizeof err))
		fail_msg("%s", err);
	check_ta_layout(w, ta);
	assert_true(ta->l3_tables <= w->pl.pgt_per_instance);
	assert_true(ta->l3_tables <= w->pl.pgt_cache_size);
	static struct tset l2, l3;
	l2.n = l3.n = 0;
	for (int k = 0; k < MM_TA_AREAS; k++)
		walk_area(&w->mem, ta->ttbr0, &ta->area[k], &l2, &l3);
	assert_int_equal(l2.n, 1);
	assert_int_equal(l3.n, ta->l3_tables);
}

struct fixture {
	const char *platform;
	uint64_t weights, arena, tee_core;
};

/* Both platforms with a tiny model, a small one, DarkneTZ #39's 32 MiB
 * and #2's 60 MiB with the user's 2 MiB CFG_TEE_RAM_VA_SIZE. */
static const struct fixture fixtures[] = {
	{ "rpi3bplus", 1 * MiB, 1 * MiB, 0 },
	{ "rpi3bplus", 4 * MiB, 4 * MiB, 0 },
	{ "rpi3bplus", 32 * MiB, 0, 0 },
	{ "rpi3bplus", 60 * MiB, 0, 2 * MiB },
	{ "qemu_armv8a", 1 * MiB, 1 * MiB, 0 },
	{ "qemu_armv8a", 4 * MiB, 4 * MiB, 0 },
	{ "qemu_armv8a", 32 * MiB, 0, 0 },
	{ "qemu_armv8a", 60 * MiB, 0, 2 * MiB },
};

/* Core and TA tables in one memory: built one after the other, the
 * core's map still walks (the two never share a page). */
static void test_planner_counts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		const struct fixture *f = &fixtures[i];
		struct world w;
		struct mm_core_space core;
		struct mm_ta_space ta;
		world_plan(&w, f->platform, f->weights, f->arena, f->tee_core);
		check_core(&w, &core);
		check_ta(&w, &ta);
		static struct tset l2, l3;
		assert_int_equal(walk_core(&w, &core, &l2, &l3),
				 core.tables_used);
		world_free(&w);
	}
}

/* Stock RPi3: the TEE core's 7 MiB at 0x10100000 in pages (four 2 MiB
 * windows, one of them shared with TA_RAM's start), TA_RAM and shm in
 * blocks, one level-2 table: 5 = MAX_XLAT_TABLES, as the planner says. */
static void test_rpi3_stock_core(void **state)
{
	(void)state;
	struct world w;
	struct mm_core_space core;
	world_plan(&w, "rpi3bplus", 1 * MiB, 1 * MiB, 0);
	check_core(&w, &core);
	assert_int_equal(core.tables_used, 5);
	assert_int_equal(core.l3_tables, 4);
	assert_int_equal(core.n_areas, 5);
	assert_string_equal(core.area[0].name, "shm");	/* 0x08000000 */
	struct mm_xlat_hit hit;
	assert_int_equal(mm_xlat_walk(&w.mem, core.ttbr, 1, 0x10100000, &hit,
				      err, sizeof err), 0);
	assert_int_equal(hit.attrs, R | X);
	assert_int_equal(hit.level, 3);
	assert_int_equal(mm_xlat_walk(&w.mem, core.ttbr, 1, 0x10a01234, &hit,
				      err, sizeof err), 0);
	assert_int_equal(hit.pa, 0x10a01234);
	assert_int_equal(hit.attrs, R | W);
	assert_int_equal(hit.level, 2);
	world_free(&w);
}

/* ---- What OP-TEE users hit ---- */

/* The plan pl with TZDRAM moved to start + size and the core's table
 * count the planner gives that layout. */
static void relayout(struct world *w, uint64_t start, uint64_t size)
{
	w->pl.tzdram_start = start;
	w->pl.tzdram_size = size;
	w->pl.ta_ram_start = start + w->pl.tee_core;
	w->pl.ta_ram_size = size - w->pl.tee_core;
	w->pl.xlat_needed = mm_plan_xlat_count(&w->p, start, w->pl.tee_core,
					       size);
	if (w->pl.max_xlat_tables < w->pl.xlat_needed)
		w->pl.max_xlat_tables = w->pl.xlat_needed;
}

/*
 * DarkneTZ's users set CFG_TZDRAM_SIZE=0x04000000 at the RPi3's
 * 0x10100000 (the planner moves it past BL33; the tables do not care
 * where). With the stock 7 MiB TEE core, TA_RAM ends at 0x14100000, in
 * the middle of a 2 MiB window: 4 core windows + 1 + 1 level-2 = 6, one
 * more than OP-TEE 3.8.0's MAX_XLAT_TABLES of 5 ("xlat tables
 * exhausted", OP-TEE #6393). The plan's max_xlat_tables builds it.
 */
static void test_xlat_exhausted_64mib(void **state)
{
	(void)state;
	struct world w;
	struct mm_core_space core;
	load_platform("rpi3bplus", &w.p);
	struct mm_plan_input in = model_input(&w.p, 60 * MiB, 0);
	plan_ok(&w.p, &in, &w.pl);
	relayout(&w, 0x10100000, 0x04000000);
	assert_int_equal(w.pl.tee_core, 7 * MiB);
	assert_int_equal(w.pl.max_xlat_tables, 6);
	world_memory(&w);
	assert_int_equal(mm_xlat_core_build(&w.p, &w.pl, 5, &w.mem, &core,
					    err, sizeof err), -1);
	assert_int_equal(strncmp(err, "xlat tables exhausted", 21), 0);
	assert_non_null(strstr(err, "need 6 translation tables, "
				"MAX_XLAT_TABLES is 5"));
	assert_non_null(strstr(err, "0x10100000 + 64.0 MiB"));
	check_core(&w, &core);
	assert_int_equal(core.tables_used, 6);
	world_free(&w);
}

/* The same 64 MiB with the users' CFG_TEE_RAM_VA_SIZE=0x00200000: the
 * core's pages touch two windows, and 4 tables fit the stock 5. */
static void test_darknetz_tee_ram_2mib_fits(void **state)
{
	(void)state;
	struct world w;
	struct mm_core_space core;
	load_platform("rpi3bplus", &w.p);
	struct mm_plan_input in = model_input(&w.p, 60 * MiB, 0);
	in.tee_core = 2 * MiB;
	plan_ok(&w.p, &in, &w.pl);
	relayout(&w, 0x10100000, 0x04000000);
	world_memory(&w);
	assert_int_equal(mm_xlat_core_build(&w.p, &w.pl, 5, &w.mem, &core,
					    err, sizeof err), 0);
	assert_int_equal(core.tables_used, 4);
	world_free(&w);
}

/*
 * A TA of 4 MiB (OP-TEE #6393's size): TA_DATA_SIZE 4 MiB with 256 KiB of
 * code and a 64 KiB stack spans va 0x40001000-0x40450fff, three 2 MiB
 * windows. A page-table cache of 2 (PGT_CACHE_SIZE for one thread,
 * ROUNDUP(1 * 2, 1)) refuses it as OP-TEE does ("alloc_pgt: page tables
 * not available", #5928); the plan's cache holds it.
 */
static void test_alloc_pgt_4mib_ta(void **state)
{
	(void)state;
	struct world w;
	struct mm_ta_space ta;
	load_platform("rpi3bplus", &w.p);
	struct mm_plan_input in = model_input(&w.p, 4 * MiB, 0);
	in.heap_slack = 0;
	plan_ok(&w.p, &in, &w.pl);
	assert_int_equal(w.pl.ta_data_size, 4 * MiB);
	world_memory(&w);
	struct mm_ta_request rq = {
		.code = w.pl.ta_code_size, .data = w.pl.ta_data_size,
		.stack = w.pl.ta_stack_size,
	};
	assert_int_equal(mm_xlat_ta_build(&w.pl, &rq, 2, &w.mem, &ta, err,
					  sizeof err), -1);
	assert_int_equal(strncmp(err, "alloc_pgt: page tables not available",
				 36), 0);
	assert_non_null(strstr(err, "need 3 level-3 tables, the page-table "
				"cache holds 2"));
	assert_non_null(strstr(err, "0x40001000-0x40450fff"));
	assert_int_equal(mm_xlat_ta_build(&w.pl, &rq, w.pl.pgt_cache_size,
					  &w.mem, &ta, err, sizeof err), 0);
	assert_int_equal(ta.l3_tables, 3);
	assert_true(ta.l3_tables <= w.pl.pgt_per_instance);
	world_free(&w);
}

/*
 * A command's memrefs are mapped into the TA's address space beside it
 * and take tables from the same cache. yolov3-tiny (its sizes: 35,399,968
 * bytes of model, 13,844,480 of arena, a 416x416x3 input and its two
 * heads' output) runs one inference with 2.8 MiB of memrefs: counted
 * without them the planner gave one table fewer than the Unicorn
 * runner's tables took (docs/unicorn.md); counted, the TA and its RUN
 * fit the plan's share of the cache.
 */
static void test_run_memrefs_counted(void **state)
{
	(void)state;
	struct world w;
	memset(&w, 0, sizeof w);
	load_platform("rpi3bplus", &w.p);
	struct mm_plan_input in = model_input(&w.p, 35399968, 13844480);
	in.run_in = 416 * 416 * 3 * 4;
	in.run_out = (13 * 13 + 26 * 26) * 255 * 4;
	plan_ok(&w.p, &in, &w.pl);
	world_memory(&w);
	struct mm_ta_request rq = {
		.code = w.pl.ta_code_size, .data = w.pl.ta_data_size,
		.stack = w.pl.ta_stack_size, .shm_pa = w.p.shmem_start,
		.shm_size = w.pl.run_shm,
	};
	struct mm_ta_space ta;
	if (mm_xlat_ta_build(&w.pl, &rq, w.pl.pgt_per_instance, &w.mem, &ta,
			     err, sizeof err))
		fail_msg("%s", err);
	assert_true(ta.l3_tables <= w.pl.pgt_per_instance);
	assert_true(ta.l3_tables >
		    mm_plan_pgt_per_instance(w.pl.ta_instance_size, 2 * MiB));
	world_free(&w);
}

/* ---- Refusals and faults ---- */

static void test_ta_refusals(void **state)
{
	(void)state;
	struct world w;
	struct mm_ta_space ta;
	world_plan(&w, "rpi3bplus", 1 * MiB, 1 * MiB, 0);
	struct mm_ta_request rq = { .code = 4096, .data = 9 * MiB };
	assert_int_equal(mm_xlat_ta_build(&w.pl, &rq, 8, &w.mem, &ta, err,
					  sizeof err), -1);
	assert_non_null(strstr(err, "the plan's TA_RAM holds 0x800000"));
	rq = (struct mm_ta_request){ .code = 4096, .shm_pa = 0x10900000,
				     .shm_size = 4096 };
	assert_int_equal(mm_xlat_ta_build(&w.pl, &rq, 8, &w.mem, &ta, err,
					  sizeof err), -1);
	assert_non_null(strstr(err, "lies in TZDRAM"));
	rq.shm_size = 0;
	assert_int_equal(mm_xlat_ta_build(&w.pl, &rq, 9, &w.mem, &ta, err,
					  sizeof err), -1);
	assert_non_null(strstr(err, "pgt_cache 9 is more than"));
	struct mm_core_space core;
	assert_int_equal(mm_xlat_core_build(&w.p, &w.pl, 6, &w.mem, &core, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "max_tables 6 is more than"));
	struct mm_phys none = { .n = 0 };
	assert_int_equal(mm_xlat_core_build(&w.p, &w.pl, 5, &none, &core, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "not in the modelled memory"));
	world_free(&w);
}

/* A fault names its level: level 0 past 32 bits, level 1 in an unmapped
 * GiB, level 2 in an unmapped 2 MiB window, level 3 on the TA's guard
 * page. */
static void test_walk_faults(void **state)
{
	(void)state;
	struct world w;
	struct mm_core_space core;
	struct mm_ta_space ta;
	struct mm_xlat_hit hit;
	world_plan(&w, "rpi3bplus", 1 * MiB, 1 * MiB, 0);
	check_core(&w, &core);
	check_ta(&w, &ta);
	const struct { uint64_t ttbr, va; const char *what; } cases[] = {
		{ core.ttbr, 0x100000000ull, "translation fault at level 0" },
		{ core.ttbr, 0xc0000000, "translation fault at level 1" },
		{ core.ttbr, 0x00000000, "translation fault at level 2" },
		{ ta.ttbr0, 0x40000000, "translation fault at level 3" },
		{ ta.ttbr0, 0x10100000, "translation fault at level 1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(mm_xlat_walk(&w.mem, cases[i].ttbr, 1,
					      cases[i].va, &hit, err,
					      sizeof err), -1);
		assert_int_equal(strncmp(err, cases[i].what,
					 strlen(cases[i].what)), 0);
	}
	assert_int_equal(mm_xlat_walk(&w.mem, core.ttbr, 0, 0x10100000, &hit,
				      err, sizeof err), -1);
	assert_non_null(strstr(err, "only level 1"));
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desc_bits),
		cmocka_unit_test(test_desc_round_trip),
		cmocka_unit_test(test_phys),
		cmocka_unit_test(test_planner_counts),
		cmocka_unit_test(test_rpi3_stock_core),
		cmocka_unit_test(test_xlat_exhausted_64mib),
		cmocka_unit_test(test_darknetz_tee_ram_2mib_fits),
		cmocka_unit_test(test_alloc_pgt_4mib_ta),
		cmocka_unit_test(test_run_memrefs_counted),
		cmocka_unit_test(test_ta_refusals),
		cmocka_unit_test(test_walk_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
