/*
 * Memory: the error DarkneTZ users meet (TEEC_OpenSession gives
 * 0xffff000c on a stock RPi3 when TA_DATA_SIZE asks for more than
 * TA_RAM holds) and its cure (the same TA opens on the layout mm_plan
 * gives); the plan's session count is what the simulator fits; the heap
 * gives TA_DATA_SIZE and no more; the normal world's view faults on
 * TZDRAM and reads shared memory; a region set that leaves TZDRAM
 * readable makes every secret a leak; a TA's sizes as if rebuilt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_fixture.h"
#include "sim_ta.h"

extern const struct sim_ta_desc sim_ta_desc_good, sim_ta_desc_darknetz;

static TEEC_Result try_open(TEEC_Context *ctx, TEEC_Session *s,
			    const TEEC_UUID *uuid, uint32_t *origin)
{
	return TEEC_OpenSession(ctx, s, uuid, TEEC_LOGIN_PUBLIC, NULL, NULL,
				origin);
}

/* The plan for a TA whose heap holds exactly its TA_DATA_SIZE, on the
 * stock RPi3, for the given number of sessions. */
static void plan_for(const struct sim_ta_desc *d, unsigned sessions,
		     struct mm_platform *p, struct mm_plan *pl)
{
	sim_fixture_platform("rpi3bplus", p);
	struct mm_plan_input in = {
		.weights = d->data_size, .ta_code = d->code_size,
		.ta_stack = d->stack_size, .sessions = sessions, .platform = p,
	};
	char err[320];
	struct mm_violation v;
	if (mm_plan(&in, pl, err, sizeof err))
		fail_msg("mm_plan: %s", err);
	if (mm_check(p, pl, &v))
		fail_msg("mm_check: %s", v.msg);
}

static void test_darknetz_heap_is_out_of_memory_on_stock_rpi3(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin = 0;
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.ta_ram_start, 0x10800000);	/* 0x10100000 + 7 MiB */
	assert_int_equal(mi.ta_ram_size, 8 * MiB);
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	TEEC_Result r = try_open(&ctx, &s, &sztest_darknetz_uuid, &origin);
	printf("  stock RPi3, TA_DATA_SIZE 10 MiB: TEEC_OpenSession = 0x%08x, "
	       "origin %u\n", r, origin);
	assert_int_equal(r, 0xffff000c);	/* TEEC_ERROR_OUT_OF_MEMORY */
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	/* the 64 KiB TA fits */
	assert_int_equal(try_open(&ctx, &s, &sztest_good_uuid, &origin),
			 TEEC_SUCCESS);
	sim_close(&ctx, &s);
}

static void test_darknetz_heap_opens_with_the_plan(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	plan_for(&sim_ta_desc_darknetz, 1, &p, &pl);
	printf("  plan: TZDRAM 0x%llx + 0x%llx, TA_RAM 0x%llx + 0x%llx, "
	       "TA_DATA_SIZE 0x%llx\n", (unsigned long long)pl.tzdram_start,
	       (unsigned long long)pl.tzdram_size,
	       (unsigned long long)pl.ta_ram_start,
	       (unsigned long long)pl.ta_ram_size,
	       (unsigned long long)pl.ta_data_size);
	sim_fixture_configure(&pl);
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_darknetz_uuid);
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	assert_true(i.ram_start >= pl.ta_ram_start &&
		    i.ram_start + i.ram_size <= pl.ta_ram_start + pl.ta_ram_size);
	assert_int_equal(i.ram_size, pl.ta_instance_size);
	/* the heap gives its 10 MiB, less the session and the headers */
	TEEC_Operation op;
	memset(&op, 0, sizeof op);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 1 * MiB;
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_HEAP_PROBE, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(op.params[1].value.a, 9);
	assert_int_equal(op.params[1].value.b, 1);
	sim_close(&ctx, &s);
}

static void test_plan_sessions_are_what_fits(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	plan_for(&sim_ta_desc_darknetz, 2, &p, &pl);
	sim_fixture_configure(&pl);
	TEEC_Context ctx;
	TEEC_Session s[8];
	uint32_t origin;
	unsigned n = 0;
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	while (n < 8 && try_open(&ctx, &s[n], &sztest_darknetz_uuid,
				 &origin) == TEEC_SUCCESS)
		n++;
	printf("  TA_RAM 0x%llx, an instance 0x%llx: %u sessions open\n",
	       (unsigned long long)pl.ta_ram_size,
	       (unsigned long long)pl.ta_instance_size, n);
	assert_true(n >= 2);
	assert_int_equal(n, pl.ta_ram_size / pl.ta_instance_size);
	TEEC_FinalizeContext(&ctx);
}

static void test_heap_is_exactly_ta_data_size(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	const uint32_t blocks[] = { 16, 4096, 10000 };
	for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++) {
		TEEC_Operation op;
		memset(&op, 0, sizeof op);
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
						 TEEC_VALUE_OUTPUT, TEEC_NONE,
						 TEEC_NONE);
		op.params[0].value.a = blocks[k];
		uint32_t origin;
		assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_HEAP_PROBE,
						    &op, &origin),
				 TEEC_SUCCESS);
		/* each block: its bytes rounded to 16, and a 16-byte header;
		 * what the session holds is not free */
		uint64_t block = (blocks[k] + 15) / 16 * 16 + 16;
		uint64_t want = (i.heap_size - i.heap_used) / block;
		printf("  blocks of %u: %u (expected %llu)\n", blocks[k],
		       op.params[1].value.a, (unsigned long long)want);
		assert_int_equal(op.params[1].value.a, want);
		assert_int_equal(op.params[1].value.b, 1);
	}
	sim_close(&ctx, &s);
}

static void test_normal_world_view(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	struct sim_instance_info i;
	struct sim_memory_info mi;
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	sim_memory(&mi);
	uint8_t buf[64];
	/* TZDRAM: the TA's heap and the TEE core are refused */
	assert_int_equal(sim_nw_read(i.heap_start, buf, sizeof buf),
			 SIM_E_DENIED);
	assert_int_equal(sim_nw_write(mi.tzdram_start, buf, 1), SIM_E_DENIED);
	assert_int_equal(sim_violation_count_kind(SIM_V_NW_ACCESS), 2);
	const struct sim_violation *v = sim_violation_at(0);
	assert_int_equal(v->addr, i.heap_start);
	assert_string_equal(v->region, "tzdram");
	v = sim_violation_at(1);
	assert_int_equal(v->addr, mi.tzdram_start);
	/* and the secure view shows what is there */
	assert_int_equal(sim_secure_read(i.heap_start, buf, sizeof buf),
			 SIM_OK);
	/* shared memory: the normal world reads and writes it */
	TEEC_SharedMemory m = { .size = 32, .flags = TEEC_MEM_INPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &m), TEEC_SUCCESS);
	memcpy(m.buffer, "shared with the TEE", 20);
	uint64_t phys;
	assert_int_equal(sim_shm_phys(&m, &phys), SIM_OK);
	assert_int_equal(sim_nw_read(phys, buf, 20), SIM_OK);
	assert_memory_equal(buf, "shared with the TEE", 20);
	assert_int_equal(sim_nw_write(phys, "X", 1), SIM_OK);
	assert_int_equal(((char *)m.buffer)[0], 'X');
	/* registered client memory too */
	char mine[40] = "registered";
	TEEC_SharedMemory r = { mine, sizeof mine, TEEC_MEM_INPUT, {0} };
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &r), TEEC_SUCCESS);
	assert_int_equal(sim_shm_phys(&r, &phys), SIM_OK);
	assert_int_equal(sim_nw_read(phys, buf, 10), SIM_OK);
	assert_memory_equal(buf, "registered", 10);
	/* normal DRAM the simulator does not model: allowed, no bytes */
	assert_int_equal(sim_nw_read(0x00080000, buf, 4), SIM_E_UNBACKED);
	/* below TZDRAM lies TF-A's secure SRAM (BL2, BL31): refused too,
	 * by its own region */
	assert_int_equal(sim_nw_read(mi.tzdram_start - 16, buf, 32),
			 SIM_E_DENIED);
	assert_int_equal(sim_violation_at(2)->addr, mi.tzdram_start - 16);
	assert_string_equal(sim_violation_at(2)->region, "secure_sram");
	assert_int_equal(sim_violation_count(), 3);
	sim_violations_clear();
	TEEC_ReleaseSharedMemory(&r);
	sim_close(&ctx, &s);
}

/* A plan whose region set lets the normal world read TZDRAM: a
 * planning mistake the taint check turns into leaks. */
static void test_readable_tzdram_leaks_everything(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	plan_for(&sim_ta_desc_good, 1, &p, &pl);
	struct mm_region *tz = NULL;
	for (size_t k = 0; k < pl.regions.n; k++)
		if (pl.regions.r[k].owner == MM_OWNER_SECURE)
			tz = &pl.regions.r[k];
	assert_non_null(tz);
	tz->owner = MM_OWNER_NORMAL;
	tz->access = mm_owner_access(MM_OWNER_NORMAL);
	sim_fixture_configure(&pl);
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	size_t n = sim_violation_count_kind(SIM_V_LEAK);
	printf("  %zu leaks reported after TEEC_OpenSession\n", n);
	assert_true(n >= 1);
	const struct sim_violation *v = sim_violation_at(0);
	assert_string_equal(v->region, tz->name);
	assert_true(v->addr >= i.heap_start &&
		    v->addr < i.heap_start + i.heap_size);
	assert_int_equal(v->addr, v->secure_addr);
	sim_violations_clear();
	sim_close(&ctx, &s);
}

/* sim_config's per-TA sizes: DarkneTZ's TA as if rebuilt with a 4 MiB
 * heap and a 64 KiB stack opens on the stock RPi3, and gets exactly
 * those (a recursion 25 KiB deep that its 4 KiB would not hold); the
 * other TAs keep their own; a board's code size is accounted in pages. */
static void test_ta_sizes_as_rebuilt(void **state)
{
	(void)state;
	struct sim_ta_sizes sz = { sztest_darknetz_uuid, 4 * MiB, 64 * KiB, 0 };
	struct sim_config cfg = { .ta_sizes = &sz, .n_ta_sizes = 1 };
	sim_fixture_configure_cfg(&cfg);
	TEEC_Context ctx, ctx2;
	TEEC_Session s, s2;
	sim_open(&ctx, &s, &sztest_darknetz_uuid);
	sim_open(&ctx2, &s2, &sztest_good_uuid);
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	assert_int_equal(i.heap_size, 4 * MiB);
	assert_int_equal(i.stack_size, 64 * KiB);
	assert_int_equal(i.ram_size, i.code_size + 4 * MiB + 64 * KiB +
				     MM_PLAN_TA_OVERHEAD);
	TEEC_Operation op;
	memset(&op, 0, sizeof op);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = 100;
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_RECURSE, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(sim_session_instance(&s2, &i), SIM_OK);
	assert_int_equal(i.heap_size, sim_ta_desc_good.data_size);
	sim_close(&ctx2, &s2);
	sim_close(&ctx, &s);

	/* the board's code size, whatever this build's is */
	sz.code_size = 3 * MiB + 1;
	sim_fixture_configure_cfg(&cfg);
	sim_open(&ctx, &s, &sztest_darknetz_uuid);
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	assert_int_equal(i.code_size, 3 * MiB + 4 * KiB);
	assert_int_equal(i.ram_size, 3 * MiB + 4 * KiB + 4 * MiB + 64 * KiB +
				     MM_PLAN_TA_OVERHEAD);
	sim_close(&ctx, &s);
	cfg.n_ta_sizes = SIM_TA_SIZES_MAX + 1;
	char err[200];
	assert_int_equal(sim_configure(&cfg, err, sizeof err), SIM_E_ARG);
}

/* The QEMU validation's MobileNet v1 case: a 22 MiB heap on a plan for
 * qemu_armv8a. With the plan's page-table cache (13) the session opens;
 * with the firmware's default of 8 (the plan's TZDRAM applied but not
 * its CFG_PGT_CACHE_ENTRIES) OP-TEE 4.10 refused it, "alloc_pgt: Page
 * tables are not available", TEEC_ERROR_OUT_OF_MEMORY from the TEE, and
 * so does the simulator. */
static void test_page_table_cache_too_small_is_out_of_memory(void **state)
{
	(void)state;
	struct mm_platform p;
	struct mm_plan pl;
	sim_fixture_platform("qemu_armv8a", &p);
	struct mm_plan_input in = { .weights = 22 * MiB, .ta_code = 256 * KiB,
				    .ta_stack = 8 * KiB, .sessions = 1,
				    .platform = &p };
	char err[320];
	if (mm_plan(&in, &pl, err, sizeof err))
		fail_msg("mm_plan: %s", err);
	assert_true(pl.pgt_cache_size > p.pgt_cache_size);
	struct sim_ta_sizes sz = { sztest_darknetz_uuid,
				   (uint32_t)pl.ta_data_size,
				   (uint32_t)pl.ta_stack_size, pl.ta_code_size };
	struct sim_config cfg = { .platform = MM_PLATFORM_DIR
				  "/qemu_armv8a.conf", .plan = &pl,
				  .ta_sizes = &sz, .n_ta_sizes = 1 };
	sim_fixture_configure_cfg(&cfg);
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_darknetz_uuid);
	sim_close(&ctx, &s);

	pl.pgt_cache_size = p.pgt_cache_size;	/* the firmware's default */
	sim_fixture_configure_cfg(&cfg);
	uint32_t origin = 0;
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	assert_int_equal(try_open(&ctx, &s, &sztest_darknetz_uuid, &origin),
			 TEEC_ERROR_OUT_OF_MEMORY);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	/* the small TA still opens: the cache is per instance's need */
	assert_int_equal(try_open(&ctx, &s, &sztest_good_uuid, &origin),
			 TEEC_SUCCESS);
	sim_close(&ctx, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sim_fixture_up, sim_fixture_down)
		T(test_darknetz_heap_is_out_of_memory_on_stock_rpi3),
		T(test_page_table_cache_too_small_is_out_of_memory),
		T(test_darknetz_heap_opens_with_the_plan),
		T(test_plan_sessions_are_what_fits),
		T(test_heap_is_exactly_ta_data_size),
		T(test_normal_world_view),
		T(test_readable_tzdram_leaks_everything),
		T(test_ta_sizes_as_rebuilt),
#undef T
	};
	return cmocka_run_group_tests_name("sim_memory", tests, NULL, NULL);
}
