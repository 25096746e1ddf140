/*
 * Regions and the controller's decision: TZC-380 priorities and
 * fall-through, TZC-400 overlap and background, the configuration view
 * without a controller, and a seeded property test of mm_decide against a
 * page-painting reference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mm_regions.h"

#define MiB 0x100000ull

static char err[256];

static const struct mm_region *decide(const struct mm_regions *rs,
				      uint64_t addr, struct mm_decision *d)
{
	assert_int_equal(mm_decide(rs, addr, d), MM_REGIONS_OK);
	return d->region;
}

/* Background normal, region 1: 16 MiB secure, region 2: its first MiB
 * normal (a TZC-380 needs power-of-two sizes aligned to themselves). */
static void tzc380_set(struct mm_regions *rs)
{
	mm_regions_init(rs, MM_CTRL_TZC380, 16, 1ull << 32);
	mm_regions_add(rs, "bg", 0, 0, 0, MM_OWNER_NORMAL,
		       mm_owner_access(MM_OWNER_NORMAL));
	mm_regions_add(rs, "hole", 0x10000000, 1 * MiB, 2, MM_OWNER_NORMAL,
		       mm_owner_access(MM_OWNER_NORMAL));
	mm_regions_add(rs, "tee", 0x10000000, 16 * MiB, 1, MM_OWNER_SECURE,
		       mm_owner_access(MM_OWNER_SECURE));
	assert_int_equal(mm_regions_validate(rs, err, sizeof err), 0);
}

static void test_tzc380_priority(void **state)
{
	(void)state;
	struct mm_regions rs;
	struct mm_decision d;
	tzc380_set(&rs);
	assert_string_equal(decide(&rs, 0x10000000, &d)->name, "hole");
	assert_true(d.ns_read && d.ns_write);
	assert_string_equal(decide(&rs, 0x100fffff, &d)->name, "hole");
	assert_string_equal(decide(&rs, 0x10100000, &d)->name, "tee");
	assert_false(d.ns_read || d.ns_write);
	assert_true(d.s_read && d.s_write);
	assert_string_equal(decide(&rs, 0x10ffffff, &d)->name, "tee");
	assert_string_equal(decide(&rs, 0x11000000, &d)->name, "bg");
	assert_string_equal(decide(&rs, 0, &d)->name, "bg");
	assert_int_equal(mm_decide(&rs, 1ull << 32, &d),
			 MM_REGIONS_E_NO_REGION);
	assert_null(d.region);
	assert_false(d.s_read || d.ns_read);
}

static void test_tzc380_fall_through(void **state)
{
	(void)state;
	struct mm_regions rs;
	struct mm_decision d;
	tzc380_set(&rs);
	/* a disabled region falls through to the next overlapping one */
	rs.r[1].enabled = false;
	assert_string_equal(decide(&rs, 0x10000000, &d)->name, "tee");
	assert_false(d.ns_read);
	/* a disabled subregion (eighth 0 = 2 MiB) too, down to region 0 */
	rs.r[2].subregion_disable = 0x01;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err), 0);
	assert_string_equal(decide(&rs, 0x10000000, &d)->name, "bg");
	assert_string_equal(decide(&rs, 0x101fffff, &d)->name, "bg");
	assert_string_equal(decide(&rs, 0x10200000, &d)->name, "tee");
	rs.r[2].subregion_disable = 0x80;
	assert_string_equal(decide(&rs, 0x10e00000, &d)->name, "bg");
	assert_string_equal(decide(&rs, 0x10dfffff, &d)->name, "tee");
	/* with region 0 disabled as well, nothing decides */
	rs.r[0].enabled = false;
	assert_int_equal(mm_decide(&rs, 0x10e00000, &d),
			 MM_REGIONS_E_NO_REGION);
}

static void test_tzc380_validate(void **state)
{
	(void)state;
	struct mm_regions rs;
	tzc380_set(&rs);
	rs.r[2].size = 15 * MiB;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_ALIGN);
	assert_non_null(strstr(err, "tee"));
	tzc380_set(&rs);
	rs.r[1].start = 0x10080000;	/* 1 MiB region at a 512 KiB base */
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_ALIGN);
	tzc380_set(&rs);
	rs.r[1].size = 0x20000;		/* 128 KiB: no subregions */
	rs.r[1].subregion_disable = 1;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_SUBREGION);
	tzc380_set(&rs);
	rs.r[1].number = 16;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_NUMBER);
	rs.r[1].number = 1;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_NUMBER);
	assert_non_null(strstr(err, "both have number 1"));
	tzc380_set(&rs);
	rs.r[2].size = 1ull << 32;
	rs.r[2].start = 1ull << 32;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_RANGE);
}

static void tzc400_set(struct mm_regions *rs)
{
	mm_regions_init(rs, MM_CTRL_TZC400, 9, 1ull << 32);
	mm_regions_add(rs, "bg", 0, 0, 0, MM_OWNER_SECURE,
		       mm_owner_access(MM_OWNER_SECURE));
	mm_regions_add(rs, "dram", 0x80000000, 0x1000000, 1, MM_OWNER_NORMAL,
		       mm_owner_access(MM_OWNER_NORMAL));
	mm_regions_add(rs, "tee", 0x81000000, 0x200000, 2, MM_OWNER_SECURE,
		       mm_owner_access(MM_OWNER_SECURE));
}

static void test_tzc400(void **state)
{
	(void)state;
	struct mm_regions rs;
	struct mm_decision d;
	tzc400_set(&rs);
	/* adjacent regions do not overlap */
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err), 0);
	assert_string_equal(decide(&rs, 0x80ffffff, &d)->name, "dram");
	assert_true(d.ns_write);
	assert_string_equal(decide(&rs, 0x81000000, &d)->name, "tee");
	assert_false(d.ns_read);
	/* the background only where no region 1..8 matches */
	assert_string_equal(decide(&rs, 0x81200000, &d)->name, "bg");
	assert_string_equal(decide(&rs, 0x7ffff000, &d)->name, "bg");
	assert_false(d.ns_read);

	/* one page more: an overlap, reported and undefined at the page */
	rs.r[1].size += 0x1000;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_OVERLAP);
	assert_non_null(strstr(err, "dram"));
	assert_non_null(strstr(err, "tee"));
	assert_int_equal(mm_decide(&rs, 0x81000000, &d), MM_REGIONS_E_OVERLAP);
	assert_null(d.region);
	assert_string_equal(decide(&rs, 0x81001000, &d)->name, "tee");

	/* on different filters the validation passes */
	rs.r[1].filters = 0x1;
	rs.r[2].filters = 0x6;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err), 0);
	/* a disabled region neither overlaps nor decides */
	rs.r[1].filters = 0xf;
	rs.r[2].enabled = false;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err), 0);
	assert_string_equal(decide(&rs, 0x81000000, &d)->name, "dram");
	assert_string_equal(decide(&rs, 0x81001000, &d)->name, "bg");

	tzc400_set(&rs);
	rs.r[2].start += 0x800;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_ALIGN);
	tzc400_set(&rs);
	rs.r[2].number = 9;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_NUMBER);
	tzc400_set(&rs);
	rs.r[2].subregion_disable = 1;
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err),
			 MM_REGIONS_E_SUBREGION);
}

/* No controller: the highest configured priority wins, in any order. */
static void test_none(void **state)
{
	(void)state;
	struct mm_regions rs;
	struct mm_decision d;
	mm_regions_init(&rs, MM_CTRL_NONE, MM_REGIONS_MAX, 1ull << 32);
	mm_regions_add(&rs, "tzdram", 0x10100000, 0x4000000, 7,
		       MM_OWNER_SECURE, mm_owner_access(MM_OWNER_SECURE));
	mm_regions_add(&rs, "bl33", 0x11000000, 0x100000, 3, MM_OWNER_NORMAL,
		       mm_owner_access(MM_OWNER_NORMAL));
	/* no region 0: addresses outside every region are undecided */
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err), 0);
	assert_string_equal(decide(&rs, 0x11000000, &d)->name, "tzdram");
	assert_false(d.ns_read || d.ns_write);
	assert_int_equal(mm_decide(&rs, 0x10000000, &d),
			 MM_REGIONS_E_NO_REGION);
	rs.r[0].number = 2;	/* secure loses: BL33 readable again */
	assert_string_equal(decide(&rs, 0x11000000, &d)->name, "bl33");
	assert_true(d.ns_read);
	/* overlaps are allowed without a controller */
	assert_int_equal(mm_regions_validate(&rs, err, sizeof err), 0);
	assert_int_equal(mm_decide(NULL, 0, &d), MM_REGIONS_E_ARG);
	assert_int_equal(mm_decide(&rs, 0, NULL), MM_REGIONS_E_ARG);
	assert_null(mm_regions_find(&rs, 5));
	assert_string_equal(mm_regions_find(&rs, 3)->name, "bl33");
	for (int i = 0; i < MM_REGIONS_MAX; i++)
		mm_regions_add(&rs, "x", 0, 0x1000, 0, MM_OWNER_NORMAL, 0);
	assert_null(mm_regions_add(&rs, "y", 0, 0x1000, 0, MM_OWNER_NORMAL,
				   0));
}

/* ---- The property test ---- */

#define SPACE (16 * MiB)
#define PAGES (SPACE / 0x1000)
#define SETS 3000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return next() % n;
}

/* A random valid-shaped set: unique numbers, in-space, aligned. */
static void random_set(struct mm_regions *rs)
{
	static const enum mm_controller ctrls[] = {
		MM_CTRL_NONE, MM_CTRL_TZC380, MM_CTRL_TZC400 };
	enum mm_controller c = ctrls[below(3)];
	unsigned max = c == MM_CTRL_TZC380 ? 16 : c == MM_CTRL_TZC400 ? 9 : 20;
	mm_regions_init(rs, c, max, SPACE);
	unsigned char used[MM_REGIONS_MAX] = { 0 };
	size_t n = 1 + below(c == MM_CTRL_TZC400 ? 5 : 10);
	for (size_t i = 0; i < n; i++) {
		unsigned num = (unsigned)below(max);
		if (used[num])
			continue;
		used[num] = 1;
		uint64_t start, size;
		if (c == MM_CTRL_TZC380) {
			size = MM_TZC380_MIN_SIZE << below(10); /* to 16 MiB */
			start = below(SPACE / size) * size;
		} else {
			uint64_t pages = 1 + below(PAGES / 2);
			size = pages * 0x1000;
			start = below(PAGES - pages + 1) * 0x1000;
		}
		enum mm_owner o = (enum mm_owner)below(4);
		struct mm_region *r = mm_regions_add(rs, "r", start, size, num,
						     o, (unsigned)below(16));
		r->enabled = below(5) != 0;
		if (c == MM_CTRL_TZC380 && size >= MM_TZC380_SUBREGION_MIN)
			r->subregion_disable = below(2) ? (uint8_t)next() : 0;
		if (c == MM_CTRL_TZC400)
			r->filters = (uint8_t)(1 + below(15));
	}
}

/* The reference: paint each page, lowest number first, so the last paint
 * is the decision; count the painting regions 1..n for TZC-400. */
struct painted {
	int owner[PAGES];	/* index into rs->r, or -1 */
	int count[PAGES];	/* enabled regions != 0 covering the page */
	int overlap;		/* two such regions share a filter and a page */
};

static void paint(const struct mm_regions *rs, struct painted *p)
{
	for (size_t pg = 0; pg < PAGES; pg++) {
		p->owner[pg] = -1;
		p->count[pg] = 0;
	}
	p->overlap = 0;
	unsigned char filters[PAGES];
	memset(filters, 0, sizeof filters);
	for (unsigned num = 0; num < MM_REGIONS_MAX; num++) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct mm_region *r = &rs->r[i];
			if (r->number != num || !r->enabled)
				continue;
			size_t first = num ? r->start / 0x1000 : 0;
			size_t pages = num ? r->size / 0x1000 : PAGES;
			for (size_t k = 0; k < pages; k++) {
				size_t pg = first + k;
				if (num && (r->subregion_disable >> (k * 8 / pages)) & 1)
					continue;
				p->owner[pg] = (int)i;
				if (!num)
					continue;
				p->count[pg]++;
				if (filters[pg] & r->filters)
					p->overlap = 1;
				filters[pg] |= r->filters;
			}
		}
	}
}

static void check_addr(const struct mm_regions *rs, const struct painted *p,
		       uint64_t addr, int set)
{
	struct mm_decision d;
	int s = mm_decide(rs, addr, &d);
	if (addr >= SPACE) {
		assert_int_equal(s, MM_REGIONS_E_NO_REGION);
		return;
	}
	size_t pg = addr / 0x1000;
	int want_status = MM_REGIONS_OK;
	const struct mm_region *want = NULL;
	if (rs->controller == MM_CTRL_TZC400 && p->count[pg] > 1)
		want_status = MM_REGIONS_E_OVERLAP;
	else if (p->owner[pg] < 0)
		want_status = MM_REGIONS_E_NO_REGION;
	else
		want = &rs->r[p->owner[pg]];
	if (s != want_status || d.region != want)
		fail_msg("set %d (%s) addr 0x%llx: got %d region %d, want %d "
			 "region %d", set, mm_controller_name(rs->controller),
			 (unsigned long long)addr, s,
			 d.region ? (int)d.region->number : -1, want_status,
			 want ? (int)want->number : -1);
	unsigned acc = want ? want->access : 0;
	assert_int_equal(d.ns_read, (acc & MM_NS_RD) != 0);
	assert_int_equal(d.ns_write, (acc & MM_NS_WR) != 0);
	assert_int_equal(d.s_read, (acc & MM_S_RD) != 0);
	assert_int_equal(d.s_write, (acc & MM_S_WR) != 0);
}

static void test_property(void **state)
{
	(void)state;
	static struct mm_regions rs;
	static struct painted p;
	for (int set = 0; set < SETS; set++) {
		random_set(&rs);
		int v = mm_regions_validate(&rs, err, sizeof err);
		paint(&rs, &p);
		int want_v = rs.controller == MM_CTRL_TZC400 && p.overlap
				     ? MM_REGIONS_E_OVERLAP : MM_REGIONS_OK;
		if (v != want_v)
			fail_msg("set %d: validate %d, want %d: %s", set, v,
				 want_v, err);
		for (int k = 0; k < 48; k++)
			check_addr(&rs, &p, below(SPACE + 0x4000), set);
		for (size_t i = 0; i < rs.n; i++) {
			const struct mm_region *r = &rs.r[i];
			if (!r->number)
				continue;
			if (r->start)
				check_addr(&rs, &p, r->start - 1, set);
			check_addr(&rs, &p, r->start, set);
			check_addr(&rs, &p, r->start + r->size - 1, set);
			check_addr(&rs, &p, r->start + r->size, set);
		}
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(mm_owner_name(MM_OWNER_BOOT), "boot");
	assert_null(mm_owner_name((enum mm_owner)9));
	assert_string_equal(mm_controller_name(MM_CTRL_TZC400), "tzc400");
	assert_int_equal(mm_owner_access(MM_OWNER_SHARED), MM_S_RW | MM_NS_RW);
	assert_int_equal(mm_owner_access(MM_OWNER_BOOT), MM_S_RW);
	assert_string_equal(mm_regions_status_str(MM_REGIONS_E_OVERLAP),
			    "regions overlap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tzc380_priority),
		cmocka_unit_test(test_tzc380_fall_through),
		cmocka_unit_test(test_tzc380_validate),
		cmocka_unit_test(test_tzc400),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
