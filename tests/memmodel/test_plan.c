/*
 * The secure-memory planner and mm_check: the real platforms with a small
 * model and with DarkneTZ's cases, the paper's NUM_pgt, a model no board
 * holds, broken plans (each invariant once) and a seeded property test
 * over random but consistent platforms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_plan.h"
#include "plan_fixtures.h"

static char err[512];


/* RPi3, 1 MiB + 1 MiB: today's 8 MiB TA_RAM holds it, nothing moves. */
static void test_rpi3_tiny_in_place(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("rpi3bplus", &p);
	struct mm_plan_input in = model_input(&p, 1 * MiB, 1 * MiB);
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.placement, MM_PLACE_UNCHANGED);
	assert_int_equal(pl.tzdram_start, 0x10100000);
	assert_int_equal(pl.tzdram_size, 0x00f00000);
	assert_int_equal(pl.tee_core, 0x00700000);
	assert_int_equal(pl.ta_ram_start, 0x10800000);
	assert_int_equal(pl.ta_ram_size, 8 * MiB);
	assert_int_equal(pl.ta_data_size, 2 * MiB + 64 * KiB);
	/* stock RPi3: TEE core 0x10100000-0x107fffff touches 4 windows,
	 * TA_RAM and shm are 2 MiB blocks, one 1 GiB table: 5 = MAX */
	assert_int_equal(pl.xlat_needed, 5);
	assert_int_equal(pl.max_xlat_tables, 5);
	assert_int_equal(pl.pgt_cache_size, 8);
	assert_int_equal(pl.n_conflicts, 0);
}

/* RPi3, M_s 4 MiB + F_gc 4 MiB: 8 MiB + slack no longer fits 8 MiB of
 * TA_RAM; growing in place runs into BL33 at 0x11000000, so TZDRAM moves
 * past BL33 to 0x11200000 (16 MiB). */
static void test_rpi3_small_relocates(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("rpi3bplus", &p);
	struct mm_plan_input in = model_input(&p, 4 * MiB, 4 * MiB);
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.ta_data_size, 8 * MiB + 64 * KiB);
	assert_int_equal(pl.ta_instance_size, 8 * MiB + 512 * KiB);
	assert_int_equal(pl.placement, MM_PLACE_RELOCATED);
	assert_int_equal(pl.n_conflicts, 1);
	assert_string_equal(pl.conflicts[0].name, "bl33");
	assert_int_equal(pl.tzdram_start, 0x11200000);
	assert_int_equal(pl.tzdram_size, 16 * MiB);
	assert_non_null(strstr(pl.note, "CFG_TZDRAM_START=0x11200000"));
	assert_non_null(strstr(pl.note, "reserved-memory"));
	assert_int_equal(pl.tee_ram_paper, 15 * MiB);
	assert_int_equal(pl.num_pgt_paper, 8);
}

/* DarkneTZ #2/#23: 60 MiB of heap on RPi3 (the user's
 * CFG_TZDRAM_SIZE 0x04000000 at 0x10100000 would cover BL33). */
static void test_rpi3_darknetz_60mib(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("rpi3bplus", &p);
	struct mm_plan_input in = model_input(&p, 60 * MiB, 0);
	in.heap_slack = 0;
	in.tee_core = 2 * MiB;	/* the user's CFG_TEE_RAM_VA_SIZE */
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.ta_data_size, 60 * MiB);
	assert_int_equal(pl.placement, MM_PLACE_RELOCATED);
	assert_int_equal(pl.tzdram_start, 0x11200000);
	assert_int_equal(pl.tzdram_size, 63 * MiB); /* 2 + 60.5 -> 63 */
	assert_int_equal(pl.tee_core, 2 * MiB);
	assert_int_equal(pl.xlat_needed, 3); /* 1 core + 1 partial + 1 GiB */
	assert_int_equal(pl.num_pgt_paper, 32);
	assert_true(pl.pgt_cache_size > 8);

	/* the user's layout itself breaks the invariants */
	struct mm_plan bad = pl;
	bad.tzdram_start = 0x10100000;
	bad.tzdram_size = 0x04000000;
	bad.ta_ram_start = bad.tzdram_start + bad.tee_core;
	bad.ta_ram_size = bad.tzdram_size - bad.tee_core;
	struct mm_violation v;
	assert_int_equal(mm_check(&p, &bad, &v), MM_INV_NORMAL_AREA);
	assert_string_equal(v.region, "bl33");
	assert_int_equal(v.addr, 0x11000000);
}

/* QEMU v8: 4 + 4 MiB fits today's 13 MiB TA_RAM. */
static void test_qemu_small_in_place(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("qemu_armv8a", &p);
	struct mm_plan_input in = model_input(&p, 4 * MiB, 4 * MiB);
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.placement, MM_PLACE_UNCHANGED);
	assert_int_equal(pl.tzdram_start, 0x0e100000);
	assert_int_equal(pl.ta_ram_size, 13 * MiB);
	assert_int_equal(pl.xlat_needed, 4);
}

/* DarkneTZ #39: TA_DATA 32 MiB on qemu_v8 can not grow past the end of
 * secure RAM; it moves into DRAM after the shared memory. */
static void test_qemu_darknetz_32mib(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("qemu_armv8a", &p);
	struct mm_plan_input in = model_input(&p, 32 * MiB, 0);
	in.heap_slack = 0;
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.ta_data_size, 32 * MiB);
	assert_int_equal(pl.placement, MM_PLACE_RELOCATED);
	assert_string_equal(pl.conflicts[0].name, "end of secure RAM");
	assert_int_equal(pl.conflicts[0].start, 0x0f000000);
	assert_int_equal(pl.tzdram_start, 0x42200000);
	assert_true(pl.tzdram_start + pl.tzdram_size <= 0x60000000);

	/* #39's own layout: 0x04000000 at 0x0e100000 runs off secure RAM */
	struct mm_plan bad = pl;
	bad.tzdram_start = 0x0e100000;
	bad.tzdram_size = 0x04000000;
	struct mm_violation v;
	assert_int_equal(mm_check(&p, &bad, &v), MM_INV_PLACE);
	assert_non_null(strstr(v.msg, "0xe100000"));
}

static void test_num_pgt(void **state)
{
	(void)state;
	assert_int_equal(mm_plan_num_pgt(0, 2 * MiB), 1);
	assert_int_equal(mm_plan_num_pgt(2 * MiB - 1, 2 * MiB), 1);
	assert_int_equal(mm_plan_num_pgt(2 * MiB, 2 * MiB), 2);
	/* 16.23 MiB MobileNet + 26.82 MiB arena + 7 MiB core ~ 50 MiB */
	assert_int_equal(mm_plan_num_pgt(50 * MiB, 2 * MiB), 26);
	assert_int_equal(mm_plan_num_pgt(200 * MiB + 7 * MiB, 2 * MiB), 104);
}

static void test_too_big_refused(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("rpi3bplus", &p);
	struct mm_plan_input in = model_input(&p, 2048 * MiB, 0);
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err), MM_PLAN_E_NO_FIT);
	assert_non_null(strstr(err, "model needs 2048.5 MiB of TA RAM"));
	assert_non_null(strstr(err, "can give at most 667.0 MiB"));
	assert_int_equal(pl.tzdram_size, 0);
	load_platform("qemu_armv8a", &p);
	in.platform = &p;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err), MM_PLAN_E_NO_FIT);
	/* the largest gap of the QEMU validation's boot: after the static
	 * shared memory up to the kernel at 0x60000000, less the core */
	assert_non_null(strstr(err, "can give at most 476.0 MiB"));
	/* beyond the 32-bit space: the same numbers, and why */
	in.weights = 5ull << 30;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err),
			 MM_PLAN_E_OVERFLOW);
	assert_non_null(strstr(err, "model needs 5120.5 MiB of TA RAM"));
	assert_non_null(strstr(err, "the platform qemu_armv8a (beyond its "
				    "32-bit physical address space) can give "
				    "at most 476.0 MiB"));
	in.weights = UINT64_MAX;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err),
			 MM_PLAN_E_OVERFLOW);
	in.weights = 1;
	in.sessions = 0;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err), MM_PLAN_E_ARG);
	assert_int_equal(mm_plan(NULL, &pl, err, sizeof err), MM_PLAN_E_ARG);
	/* a TZC-400 without its 9 regions can not hold the plan */
	p.tzasc = MM_CTRL_TZC400;
	in.sessions = 1;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err),
			 MM_PLAN_E_CONTROLLER);
	assert_non_null(strstr(err, "tzc400"));
}

/* The window is a recommendation: points the exponential fit refuses
 * (a model smaller than every window takes one call at each: the same
 * time), or too few of them, still give a plan; the points choose the
 * window and the plan says why the fit did not apply. Only points no
 * window can be read from are refused, as the caller's mistake. */
static void test_window_never_refuses(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("rpi3bplus", &p);
	struct mm_shm_point flat[11];
	struct mm_plan_input in = small_model_flat_points(&p, flat, 11);
	plan_ok(&p, &in, &pl);
	assert_false(pl.shm_fit_applied);
	assert_int_equal(pl.shm_window, 4096);
	assert_non_null(strstr(pl.shm_fit_skipped, "mm_shm_fit: "));
	assert_true(pl.shm_fit.a == 0 && pl.shm_fit.b == 0 &&
		    pl.shm_fit.c == 0);
	assert_float_equal(pl.shm_data_ratio, 1.0, 1e-12);
	/* two points: too few to fit, enough to choose */
	struct mm_shm_point two[] = { { 4096, 2 }, { 8192, 1 } };
	in.shm_points = two;
	in.n_shm_points = 2;
	plan_ok(&p, &in, &pl);
	assert_false(pl.shm_fit_applied);
	assert_int_equal(pl.shm_window, 8192);
	assert_non_null(strstr(pl.shm_fit_skipped, "2 points, at least 4"));
	/* where the fit applies, nothing is said against it */
	size_t n;
	in.shm_points = mm_shm_provisional_table(&n);
	in.n_shm_points = n;
	plan_ok(&p, &in, &pl);
	assert_true(pl.shm_fit_applied);
	assert_string_equal(pl.shm_fit_skipped, "");
	/* points no window can be read from: the caller's mistake */
	two[1].t = NAN;
	in.shm_points = two;
	in.n_shm_points = 2;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err), MM_PLAN_E_ARG);
	assert_non_null(strstr(err, "transfer points"));
	in.n_shm_points = 0;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err), MM_PLAN_E_ARG);
}

/* One inference's input and output go through the static shared
 * memory at once, a page-rounded buffer each: a model whose do not fit
 * is refused for size, with both numbers. */
static void test_run_shared_memory(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	load_platform("qemu_armv8a", &p);	/* 2 MiB of shared memory */
	p.client_shm = MM_SHM_POOL;		/* as the RPi3 takes buffers */
	struct mm_plan_input in = model_input(&p, 1 * MiB, 1 * MiB);
	in.run_in = 1 * MiB;
	in.run_out = 1 * MiB;
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.run_shm, 2 * MiB);
	in.run_out = 1 * MiB + 1;		/* one page more */
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err),
			 MM_PLAN_E_NO_FIT);
	assert_string_equal(err, "model needs 2052 KiB of shared memory for "
			    "one inference (input 1024 KiB and output 1028 "
			    "KiB, a page-rounded buffer each, at once), the "
			    "platform qemu_armv8a can give at most 2048 KiB "
			    "(its static shared memory, CFG_SHMEM_SIZE)");
	assert_int_equal(pl.tzdram_size, 0);
	/* registered buffers are normal-world pages: not refused, and
	 * still reported */
	p.client_shm = MM_SHM_REGISTERED;
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.run_shm, 2 * MiB + 4 * KiB);
	load_platform("rpi3bplus", &p);	/* 4 MiB */
	in.platform = &p;
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.run_shm, 2 * MiB + 4 * KiB);
	/* not given: not checked */
	in.run_in = in.run_out = 0;
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.run_shm, 0);
}

/* Each invariant caught once, on a good RPi3 plan broken by hand. */
static void test_check_catches(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan good, b;
	struct mm_violation v;
	load_platform("rpi3bplus", &p);
	struct mm_plan_input in = model_input(&p, 4 * MiB, 4 * MiB);
	plan_ok(&p, &in, &good);

	b = good;	/* off the end of DRAM */
	b.tzdram_start = 0x3f000000;
	b.tzdram_size = 32 * MiB;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_PLACE);

	b = good;	/* over the shared memory */
	b.tzdram_start = 0x07800000;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_SHM_OVERLAP);
	assert_int_equal(v.addr, 0x08000000);

	b = good;	/* over the device tree */
	b.tzdram_start = 0x00f00000;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_NORMAL_AREA);
	assert_string_equal(v.region, "kernel");

	b = good;	/* a normal region above TZDRAM in priority */
	mm_regions_add(&b.regions, "rogue", 0x11a00000, 1 * MiB,
		       (unsigned)b.regions.n, MM_OWNER_NORMAL,
		       mm_owner_access(MM_OWNER_NORMAL));
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_NOT_SECURE);
	assert_string_equal(v.region, "rogue");
	assert_int_equal(v.addr, 0x11a00000);
	b = good;	/* the TZDRAM region lost: background decides */
	b.regions.n--;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_NOT_SECURE);
	assert_string_equal(v.region, "background");

	b = good;	/* three sessions in one session's TA_RAM */
	b.sessions = 3;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_TA_RAM);
	b = good;	/* a heap smaller than the model */
	b.ta_data_size = 4 * MiB;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_TA_RAM);

	b = good;	/* too few tables */
	b.max_xlat_tables = 2;
	assert_int_equal(mm_check(&p, &b, &v), MM_INV_XLAT);
	assert_non_null(strstr(v.msg, "MAX_XLAT_TABLES is 2"));
}

/* ---- Property test ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t pick(uint64_t lo, uint64_t hi)	/* [lo, hi] */
{
	return lo + rnd() % (hi - lo + 1);
}

/* A power of two >= x (x >= 1). */
static uint64_t pow2_at_least(uint64_t x)
{
	uint64_t p = 1;
	while (p < x)
		p <<= 1;
	return p;
}

static const char *const ctrl_keys[] = {
	[MM_CTRL_NONE] = "tzasc = none\ntzasc_regions = 0\n",
	[MM_CTRL_TZC380] = "tzasc = tzc380\ntzasc_regions = 16\n",
	[MM_CTRL_TZC400] = "tzasc = tzc400\ntzasc_regions = 9\n",
};

/* A random platform file in the style of one of the real ones, for the
 * given controller (a TZC-380's regions are powers of two aligned to
 * their size), then the parser's checks make it consistent. */
static int random_platform(struct mm_platform *p, enum mm_controller ctrl,
			   char *text, size_t len)
{
	bool tzc380 = ctrl == MM_CTRL_TZC380;
	uint64_t dram_base = pick(0, 1) ? 0x40000000 : 0;
	uint64_t dram_size = pick(1, 4) * 256 * MiB;
	if (dram_base + dram_size > (1ull << 32))
		dram_size = (1ull << 32) - dram_base;
	/* QEMU's virt has no TZASC: a board with one is RPi3-like */
	bool qemu = ctrl == MM_CTRL_NONE && dram_base != 0 && pick(0, 1);
	uint64_t sram, sram_size, tz, tz_size, core;
	tz_size = pick(4, 15) * MiB;
	core = pick(1, tz_size / MiB - 1) * MiB;
	if (qemu) {
		sram = 0x0e000000;
		sram_size = 16 * MiB;
		tz = sram + 1 * MiB;
	} else {
		sram = dram_base + pick(32, dram_size / MiB / 2) * MiB;
		sram_size = 1 * MiB;
		tz = sram + sram_size;
	}
	uint64_t shm_size = pick(1, 8) * MiB;
	uint64_t shm = dram_base + pick(8, 24) * MiB;
	uint64_t kernel_size = pick(1, 7) * MiB;
	if (tzc380) {	/* regions a TZC-380 can hold, as the parser asks */
		tz_size = pow2_at_least(tz_size);
		tz = (tz + tz_size - 1) & ~(tz_size - 1);
		shm_size = pow2_at_least(shm_size);
		shm = (shm + shm_size - 1) & ~(shm_size - 1);
		kernel_size = pow2_at_least(kernel_size);
	}
	uint64_t kernel = tzc380 ? dram_base : dram_base + 0x80000;
	uint64_t bl33 = qemu ? dram_base + pick(64, dram_size / MiB - 4) * MiB
			     : tz + tz_size + pick(0, 3) * MiB;
	int n = snprintf(text, len,
		"name = rand\npa_bits = 32\n"
		"dram_base = 0x%llx\ndram_size = 0x%llx\n"
		"secure_sram_start = 0x%llx\nsecure_sram_size = 0x%llx\n"
		"tzdram_start = 0x%llx\ntzdram_size = 0x%llx\n"
		"tee_ram_size = 0x%llx\nshmem_start = 0x%llx\n"
		"shmem_size = 0x%llx\nbl33_base = 0x%llx\n"
		"kernel_base = 0x%llx\ndtb_base = 0x%llx\n"
		"%stzasc_granule = 0x1000\n"
		"background = normal\nxlat_tables = 5\n"
		"xlat_table_size = 0x1000\nxlat_table_span = 0x200000\n"
		"num_threads = %u\npgt_per_page = 1\ncores = 4\n"
		"region = kernel 0x%llx 0x%llx normal\n"
		"region = shmem 0x%llx 0x%llx shared\n"
		"region = bl33 0x%llx 0x100000 normal\n"
		"region = sram 0x%llx 0x%llx boot\n"
		"region = tzdram 0x%llx 0x%llx secure\n",
		(unsigned long long)dram_base, (unsigned long long)dram_size,
		(unsigned long long)sram, (unsigned long long)sram_size,
		(unsigned long long)tz, (unsigned long long)tz_size,
		(unsigned long long)core, (unsigned long long)shm,
		(unsigned long long)shm_size, (unsigned long long)bl33,
		(unsigned long long)(dram_base + 0x80000),
		(unsigned long long)(dram_base + 4 * MiB), ctrl_keys[ctrl],
		(unsigned)pick(1, 8),
		(unsigned long long)kernel, (unsigned long long)kernel_size,
		(unsigned long long)shm, (unsigned long long)shm_size,
		(unsigned long long)bl33, (unsigned long long)sram,
		(unsigned long long)sram_size, (unsigned long long)tz,
		(unsigned long long)tz_size);
	/* sometimes a normal area somewhere random, even over TZDRAM (where
	 * a higher region wins; a TZC-400's regions may not overlap, and
	 * the parser refuses a platform whose do) */
	if (ctrl != MM_CTRL_TZC400 && pick(0, 3) == 0) {
		uint64_t size = tzc380 ? 32 * KiB << pick(0, 3)
				       : pick(1, 64) * 4 * KiB;
		uint64_t s = dram_base + pick(0, dram_size / MiB - 2) * MiB;
		n += snprintf(text + n, len - (size_t)n,
			      "region = extra 0x%llx 0x%llx normal\n",
			      (unsigned long long)s, (unsigned long long)size);
	}
	int line;
	return mm_platform_parse(text, strlen(text), "rand", p, err,
				 sizeof err, &line);
}

static struct mm_plan_input random_input(const struct mm_platform *p)
{
	struct mm_plan_input in = {
		.weights = rnd() % (pick(0, 1) ? 16 * MiB : 1200 * MiB),
		.arena = rnd() % (64 * MiB),
		.ta_code = rnd() % (2 * MiB),
		.ta_stack = rnd() % (1 * MiB),
		.heap_slack = rnd() % (1 * MiB),
		.sessions = (unsigned)pick(1, 4),
		.platform = p,
		.tee_core = pick(0, 1) ? 0 : pick(1, 8) * MiB,
	};
	return in;
}

struct tally { unsigned planned, refused, relocated, controller, bad; };

/* Plans in on p; a refusal must say why, a plan must pass mm_check. */
static int plan_or_refuse(const struct mm_platform *p,
			  const struct mm_plan_input *in, struct mm_plan *pl,
			  struct tally *t, const char *text)
{
	int rc = mm_plan(in, pl, err, sizeof err);
	if (rc == MM_PLAN_E_CONTROLLER) {
		assert_non_null(strstr(err, mm_controller_name(p->tzasc)));
		t->controller++;
		return rc;
	}
	if (rc) {
		assert_true(rc == MM_PLAN_E_NO_FIT ||
			    rc == MM_PLAN_E_OVERFLOW);
		assert_non_null(strstr(err, "MiB of TA RAM"));
		t->refused++;
		return rc;
	}
	struct mm_violation v;
	if (mm_check(p, pl, &v))
		fail_msg("%s\n%s", v.msg, text);
	assert_true(pl->ta_ram_size / pl->sessions >= pl->ta_instance_size);
	assert_true(pl->shm_window >= 4 * KiB &&
		    pl->shm_window <= p->shmem_size);
	t->relocated += pl->placement == MM_PLACE_RELOCATED;
	t->planned++;
	return rc;
}

static void property_for(enum mm_controller ctrl, int cases)
{
	static char text[4096];
	struct tally t = { 0 };
	for (int i = 0; i < cases; i++) {
		struct mm_platform p;
		if (random_platform(&p, ctrl, text, sizeof text)) {
			t.bad++;
			continue;
		}
		struct mm_plan_input in = random_input(&p);
		struct mm_plan pl;
		plan_or_refuse(&p, &in, &pl, &t, text);
	}
	print_message("property %s: %u planned (%u relocated), %u refused "
		      "(no fit), %u refused by the controller, %u platforms "
		      "the parser refused\n", mm_controller_name(ctrl),
		      t.planned, t.relocated, t.refused, t.controller, t.bad);
	assert_true(t.planned > (unsigned)cases / 3 &&
		    t.refused > (unsigned)cases / 20 &&
		    t.relocated > (unsigned)cases / 10);
	assert_true(t.bad < (unsigned)cases / 10);
}

static void test_property(void **state)
{
	(void)state;
	rng_state = 0x9e3779b97f4a7c15ull;
	property_for(MM_CTRL_NONE, 2000);
	property_for(MM_CTRL_TZC380, 1500);
	property_for(MM_CTRL_TZC400, 1500);
}

static bool in_range(uint64_t a, uint64_t s, uint64_t n)
{
	return a >= s && a - s < n;
}

/* The scrub ranges are exactly old \ new: every segment between two
 * bounds is scrubbed iff it was in the old TZDRAM and is not in the new. */
static void assert_scrub_exact(uint64_t os, uint64_t on, uint64_t ns,
			       uint64_t nn, const struct mm_range *r,
			       size_t k)
{
	uint64_t b[8] = { os, os + on, ns, ns + nn };
	size_t nb = 4;
	for (size_t i = 0; i < k; i++) {
		b[nb++] = r[i].start;
		b[nb++] = r[i].start + r[i].size;
	}
	for (size_t i = 0; i < nb; i++) {
		uint64_t a = b[i];	/* the byte at each bound, and before */
		for (int d = 0; d < 2; d++, a--) {
			bool scrubbed = false;
			for (size_t j = 0; j < k; j++)
				scrubbed |= in_range(a, r[j].start, r[j].size);
			assert_int_equal(scrubbed, in_range(a, os, on) &&
					 !in_range(a, ns, nn));
		}
	}
}

/* Plans that follow each other on one device: each plan starts from the
 * platform the previous one left, may grow, shrink or move TZDRAM, and
 * what leaves TZDRAM is scrubbed. */
static void test_grow_shrink_sequences(void **state)
{
	(void)state;
	static char text[4096];
	struct tally t = { 0 };
	unsigned shrunk = 0, grown = 0, scrubs = 0;
	rng_state = 0x2545f4914f6cdd1dull;
	for (int dev = 0; dev < 400; dev++) {
		struct mm_platform p;
		enum mm_controller ctrl = (enum mm_controller)pick(0, 2);
		if (random_platform(&p, ctrl, text, sizeof text))
			continue;
		for (int step = 0; step < 8; step++) {
			struct mm_plan_input in = random_input(&p);
			in.allow_shrink = pick(0, 1);
			if (pick(0, 1))	/* small models shrink more often */
				in.weights %= 8 * MiB;
			struct mm_plan pl;
			if (plan_or_refuse(&p, &in, &pl, &t, text))
				continue;
			struct mm_range r[2];
			size_t k = mm_plan_scrub_ranges(p.tzdram_start,
				p.tzdram_size, pl.tzdram_start,
				pl.tzdram_size, r);
			assert_scrub_exact(p.tzdram_start, p.tzdram_size,
					   pl.tzdram_start, pl.tzdram_size,
					   r, k);
			/* scrubbed memory is no longer decided secure only
			 * where the next platform hands it back */
			scrubs += k > 0;
			shrunk += pl.placement == MM_PLACE_SHRUNK;
			grown += pl.placement == MM_PLACE_GROWN;
			if (!in.allow_shrink)
				assert_true(pl.tzdram_size >= p.tzdram_size ||
					    pl.placement ==
					    MM_PLACE_RELOCATED);
			struct mm_platform next;
			assert_int_equal(mm_platform_after(&p, &pl, &next, err,
							   sizeof err), 0);
			p = next;
		}
	}
	print_message("sequences: %u plans (%u grown, %u shrunk, %u "
		      "relocated, %u with scrubbing), %u refused, %u refused "
		      "by the controller\n", t.planned, grown, shrunk,
		      t.relocated, scrubs, t.refused, t.controller);
	assert_true(t.planned > 1000 && shrunk > 50 && grown > 50 &&
		    scrubs > 100 && t.relocated > 100);
}

static void test_scrub_ranges(void **state)
{
	(void)state;
	struct mm_range r[2];
	/* shrink in place: the tail leaves */
	assert_int_equal(mm_plan_scrub_ranges(0x100, 0x100, 0x100, 0x40, r),
			 1);
	assert_int_equal(r[0].start, 0x140);
	assert_int_equal(r[0].size, 0xc0);
	/* moved away: all of it */
	assert_int_equal(mm_plan_scrub_ranges(0x100, 0x100, 0x1000, 0x800,
					      r), 1);
	assert_int_equal(r[0].start, 0x100);
	assert_int_equal(r[0].size, 0x100);
	/* grown: nothing */
	assert_int_equal(mm_plan_scrub_ranges(0x100, 0x100, 0x100, 0x800, r),
			 0);
	/* a new TZDRAM inside the old one: both ends */
	assert_int_equal(mm_plan_scrub_ranges(0x100, 0x300, 0x200, 0x100, r),
			 2);
	assert_int_equal(r[0].start, 0x100);
	assert_int_equal(r[1].start, 0x300);
	assert_int_equal(r[1].size, 0x100);
}

/* TZC-380: TZDRAM as aligned power-of-two regions on top. */
static void test_tzc380_blocks(void **state)
{
	(void)state;
	uint64_t s[8], n[8];
	/* 15 MiB at 0x10100000: 1 + 2 + 4 + 8 */
	size_t k = mm_plan_pow2_blocks(0x10100000, 15 * MiB, s, n, 8);
	assert_int_equal(k, 4);
	uint64_t at = 0x10100000;
	for (size_t i = 0; i < k; i++) {
		assert_int_equal(s[i], at);
		assert_int_equal(s[i] % n[i], 0);
		at += n[i];
	}
	assert_int_equal(at, 0x10100000 + 15 * MiB);
	/* 64 MiB at 0x11200000 (2 MiB aligned): 2 + 4 + 8 + 32 + 16 + 2 */
	assert_int_equal(mm_plan_pow2_blocks(0x11200000, 64 * MiB, s, n, 8),
			 6);
	assert_int_equal(n[3], 32 * MiB);
	assert_int_equal(s[5], 0x15000000);

	struct mm_platform p;
	load_platform("rpi3bplus", &p);
	p.tzasc = MM_CTRL_TZC380;
	p.tzasc_regions = 16;
	/* the GPU's 76 MiB is no power of two: a TZC-380 board would not
	 * have it; keep kernel, dtb, shmem, bl33, then the secure ones */
	assert_string_equal(p.regions[4].name, "videocore");
	memmove(&p.regions[4], &p.regions[6], 2 * sizeof p.regions[0]);
	p.n_regions -= 2;
	p.regions[0].start = 0;		/* kernel: 16 MiB at 0, a power of two */
	p.regions[0].size = 16 * MiB;
	p.regions[1].size = 64 * KiB;	/* dtb already is */
	struct mm_plan pl;
	struct mm_plan_input in = model_input(&p, 4 * MiB, 4 * MiB);
	plan_ok(&p, &in, &pl);
	/* the secure blocks are numbered above every other region */
	unsigned top_normal = 0, low_secure = 99;
	for (size_t i = 0; i < pl.regions.n; i++) {
		const struct mm_region *r = &pl.regions.r[i];
		if (r->owner == MM_OWNER_SECURE && r->number < low_secure)
			low_secure = r->number;
		if (r->owner != MM_OWNER_SECURE && r->number > top_normal)
			top_normal = r->number;
	}
	assert_true(low_secure > top_normal);

	/* too few regions left for the blocks */
	p.tzasc_regions = 6;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err),
			 MM_PLAN_E_CONTROLLER);
	assert_non_null(strstr(err, "tzc380"));
	/* a platform region the TZC-380 can not hold */
	p.tzasc_regions = 16;
	p.regions[0].size = 15 * MiB;
	assert_int_equal(mm_plan(&in, &pl, err, sizeof err),
			 MM_PLAN_E_CONTROLLER);
	assert_non_null(strstr(err, "kernel"));
}

/* TZC-400: the boot region that held today's TZDRAM is cut around it,
 * so that no two regions match a TZDRAM byte. */
static void test_tzc400_cut(void **state)
{
	(void)state;
	struct mm_platform p;
	load_platform("qemu_armv8a", &p);
	p.tzasc = MM_CTRL_TZC400;
	p.tzasc_regions = 9;
	struct mm_plan pl;
	struct mm_plan_input in = model_input(&p, 4 * MiB, 4 * MiB);
	plan_ok(&p, &in, &pl);
	assert_int_equal(pl.placement, MM_PLACE_UNCHANGED);
	const struct mm_region *before = NULL, *after = NULL;
	for (size_t i = 0; i < pl.regions.n; i++) {
		const struct mm_region *r = &pl.regions.r[i];
		if (strcmp(r->name, "secure_ram"))
			continue;
		if (r->start == 0x0e000000)
			before = r;
		else
			after = r;
	}
	assert_non_null(before);
	assert_int_equal(before->size, 1 * MiB);	/* BL1/BL2/BL31 */
	assert_null(after);	/* TZDRAM runs to the end of secure RAM */
	/* a normal region over today's TZDRAM can not be planned around */
	p.regions[p.n_regions - 1].owner = MM_OWNER_NORMAL;
	assert_int_not_equal(mm_plan(&in, &pl, err, sizeof err), MM_PLAN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpi3_tiny_in_place),
		cmocka_unit_test(test_rpi3_small_relocates),
		cmocka_unit_test(test_rpi3_darknetz_60mib),
		cmocka_unit_test(test_qemu_small_in_place),
		cmocka_unit_test(test_qemu_darknetz_32mib),
		cmocka_unit_test(test_num_pgt),
		cmocka_unit_test(test_too_big_refused),
		cmocka_unit_test(test_window_never_refuses),
		cmocka_unit_test(test_run_shared_memory),
		cmocka_unit_test(test_check_catches),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_grow_shrink_sequences),
		cmocka_unit_test(test_scrub_ranges),
		cmocka_unit_test(test_tzc380_blocks),
		cmocka_unit_test(test_tzc400_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
