/*
 * The normal world's shared buffers on a platform with OP-TEE's dynamic
 * shared memory (client_shm = registered, qemu_armv8a): what the QEMU
 * validation (make qemu-check) saw OP-TEE 4.10 and Linux 6.1 do, the
 * optee driver's tracepoints counting every SMC:
 *   - TEEC_AllocateSharedMemory registers normal-world pages (one SMC)
 *     and TEEC_ReleaseSharedMemory unregisters them (one more);
 *   - an invoke with a temporary memref is three: its bounce buffer
 *     registered, the call, the buffer released;
 *   - none of it touches the static pool.
 * The stock RPi3 (client_shm = pool) keeps the pool and no SMC for
 * either (test_sim_client_api).
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

#define N 64				/* words of PROCESS input */
#define IN_SIZE ((1 + N) * 4)
#define OUT_SIZE N			/* n / 4 words = n bytes */

static int qemu_up(void **state)
{
	int rc = sim_fixture_up(state);
	struct sim_config cfg = { .platform = MM_PLATFORM_DIR
				  "/qemu_armv8a.conf" };
	sim_fixture_configure_cfg(&cfg);
	return rc;
}

static struct sim_counters global(void)
{
	struct sim_counters c;
	sim_counters_global(&c);
	return c;
}

static void test_allocation_registers_pages(void **state)
{
	(void)state;
	TEEC_Context ctx;
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	struct sim_memory_info mi;
	sim_memory(&mi);
	TEEC_SharedMemory m = { .size = 32 * KiB, .flags = TEEC_MEM_INPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &m), TEEC_SUCCESS);
	assert_non_null(m.buffer);
	assert_int_equal((uintptr_t)m.buffer % 4096, 0);
	assert_true(sim_all_zero(m.buffer, m.size));
	uint64_t phys;
	assert_int_equal(sim_shm_phys(&m, &phys), SIM_OK);
	/* normal-world pages, not the static pool */
	assert_true(phys >= mi.nw_window_start &&
		    phys + m.size <= mi.nw_window_start + mi.nw_window_size);
	sim_memory(&mi);
	assert_int_equal(mi.shm_used, 0);
	struct sim_counters c = global();
	assert_int_equal(c.smc, 1);
	assert_int_equal(c.shm_registrations, 1);
	TEEC_ReleaseSharedMemory(&m);
	assert_null(m.buffer);
	c = global();
	assert_int_equal(c.smc, 2);
	assert_int_equal(c.shm_registrations, 2);
	TEEC_FinalizeContext(&ctx);
}

/* SZTEST_CMD_PROCESS with one temporary memref in and one out. */
static void test_temp_memrefs_cost_two_smc_each(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	sim_counters_reset();
	uint32_t in[1 + N], out[N], want[N / 4];
	sztest_input(in, N, 5);
	sztest_expect(in, want);
	size_t out_size = sizeof out;
	uint32_t origin;
	assert_int_equal(sztest_process(&s, SZTEST_CMD_PROCESS, in, sizeof in,
					out, &out_size, &origin),
			 TEEC_SUCCESS);
	assert_int_equal(out_size, OUT_SIZE);
	assert_memory_equal(out, want, OUT_SIZE);
	struct sim_counters c;
	assert_int_equal(sim_counters_session(&s, &c), SIM_OK);
	assert_int_equal(c.invokes, 1);
	assert_int_equal(c.smc, 1 + 2 * 2);
	assert_int_equal(c.bounce_copy_bytes, IN_SIZE + OUT_SIZE);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.shm_used, 0);
	sim_close(&ctx, &s);
}

/* Registered whole memrefs cost the call alone, as in the pool case. */
static void test_registered_memrefs_cost_the_call(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	TEEC_SharedMemory in = { .size = IN_SIZE, .flags = TEEC_MEM_INPUT };
	TEEC_SharedMemory out = { .size = OUT_SIZE, .flags = TEEC_MEM_OUTPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &in), TEEC_SUCCESS);
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &out), TEEC_SUCCESS);
	sztest_input(in.buffer, N, 9);
	sim_counters_reset();
	TEEC_Operation op = sztest_whole(&in, &out);
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
					    &origin), TEEC_SUCCESS);
	struct sim_counters c = global();
	assert_int_equal(c.smc, 1);
	assert_int_equal(c.bounce_copy_bytes, 0);
	TEEC_ReleaseSharedMemory(&in);
	TEEC_ReleaseSharedMemory(&out);
	assert_int_equal(global().smc, 3);
	sim_close(&ctx, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, qemu_up, sim_fixture_down)
		T(test_allocation_registers_pages),
		T(test_temp_memrefs_cost_two_smc_each),
		T(test_registered_memrefs_cost_the_call),
#undef T
	};
	return cmocka_run_group_tests_name("sim_registered_shm", tests, NULL,
					   NULL);
}
