/*
 * The Client API against the good test TA: values, temporary and
 * registered (whole, partial) memrefs, output sizes on success and on
 * SHORT_BUFFER, every refusal the client library makes itself (origin
 * API, nothing enters the TEE), the TEE's own (origin TEE), shared
 * memory from the pool and registered, cancellation before start, and
 * what each call adds to the counters.
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

static struct sim_counters counters(void)
{
	struct sim_counters c;
	sim_counters_global(&c);
	return c;
}

static void test_unknown_uuid(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_UUID nobody = { 0x12345678, 1, 2, { 3, 4, 5, 6, 7, 8, 9, 10 } };
	uint32_t origin = 0;
	assert_int_equal(TEEC_InitializeContext("any name", &ctx), TEEC_SUCCESS);
	assert_int_equal(TEEC_OpenSession(&ctx, &s, &nobody, TEEC_LOGIN_PUBLIC,
					  NULL, NULL, &origin),
			 TEEC_ERROR_ITEM_NOT_FOUND);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	struct sim_counters c = counters();
	assert_int_equal(c.smc, 1);	/* it did reach the TEE */
	assert_int_equal(c.open_sessions, 1);
	TEEC_FinalizeContext(&ctx);
}

static void test_null_arguments_refused_by_the_library(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin = 0;
	assert_int_equal(TEEC_InitializeContext(NULL, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(TEEC_OpenSession(NULL, &s, &sztest_good_uuid,
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(origin, TEEC_ORIGIN_API);
	assert_int_equal(TEEC_InvokeCommand(NULL, 0, NULL, &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(origin, TEEC_ORIGIN_API);
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	/* a group login needs its group; an unknown method is refused */
	assert_int_equal(TEEC_OpenSession(&ctx, &s, &sztest_good_uuid,
					  TEEC_LOGIN_GROUP, NULL, NULL,
					  &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(TEEC_OpenSession(&ctx, &s, &sztest_good_uuid, 3, NULL,
					  NULL, &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(counters().smc, 0);
	assert_int_equal(TEEC_OpenSession(&ctx, &s, &sztest_good_uuid,
					  TEEC_LOGIN_USER, NULL, NULL, &origin),
			 TEEC_SUCCESS);
	sim_close(&ctx, &s);
}

static void test_value_inout(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	TEEC_Operation op = sztest_op(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE,
				      TEEC_NONE);
	op.params[0].value.a = 41;
	op.params[0].value.b = 7;
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_INC_VALUE, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(op.params[0].value.a, 42);
	assert_int_equal(op.params[0].value.b, 7);
	assert_int_equal(op.started, 1);
	/* the TA checks types: a VALUE_INPUT is refused by the TA */
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_INC_VALUE, &op,
					    &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
	sim_close(&ctx, &s);
}

static void test_temp_memrefs_bounce_and_count(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	sim_counters_reset();
	uint32_t in[1 + N], out[N], want[N / 4];
	sztest_input(in, N, 11);
	sztest_expect(in, want);
	memset(out, 0xAA, sizeof out);
	size_t out_size = sizeof out;	/* 256: more than the 64 needed */
	uint32_t origin;
	assert_int_equal(sztest_process(&s, SZTEST_CMD_PROCESS, in, sizeof in,
					out, &out_size, &origin),
			 TEEC_SUCCESS);
	assert_int_equal(out_size, OUT_SIZE);
	assert_memory_equal(out, want, OUT_SIZE);
	/* the client copied back only what the TA declared */
	assert_int_equal(((uint8_t *)out)[OUT_SIZE], 0xAA);
	struct sim_counters c;
	assert_int_equal(sim_counters_session(&s, &c), SIM_OK);
	assert_int_equal(c.smc, 1);
	assert_int_equal(c.invokes, 1);
	assert_int_equal(c.params, 2);
	assert_int_equal(c.bytes_to_secure, IN_SIZE);
	assert_int_equal(c.bytes_to_normal, OUT_SIZE);
	assert_int_equal(c.bounce_copy_bytes, IN_SIZE + OUT_SIZE);
	/* each bounce buffer starts a pool page and fits in it */
	assert_int_equal(c.pages_mapped, 2);
	assert_true(c.secure_ns > 0);
	assert_true(c.normal_ns > 0);
	sim_close(&ctx, &s);
}

/* A temporary memref of no bytes (a buffer, size 0) reaches the TA, as
 * libteec hands it over, and the TA answers it. It was once left
 * unbounced, outside shared memory, and the core refused it (origin
 * TEE): found by the TA's test of the malformed .tlm corpus (an empty
 * file). */
static void test_empty_temp_memref_reaches_the_ta(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t in[1], out[4];
	size_t out_size = sizeof out;
	uint32_t origin = 0;
	assert_int_equal(sztest_process(&s, SZTEST_CMD_PROCESS, in, 0, out,
					&out_size, &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.shm_used, 0);	/* its bounce page released */
	sim_close(&ctx, &s);
}

static void test_short_buffer_gives_the_size(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t in[1 + N], out[N];
	sztest_input(in, N, 3);
	memset(out, 0xAA, sizeof out);
	size_t out_size = OUT_SIZE - 4;
	uint32_t origin;
	assert_int_equal(sztest_process(&s, SZTEST_CMD_PROCESS, in, sizeof in,
					out, &out_size, &origin),
			 TEEC_ERROR_SHORT_BUFFER);
	assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(out_size, OUT_SIZE);
	assert_true(((uint8_t *)out)[0] == 0xAA); /* nothing copied back */
	sim_close(&ctx, &s);
}

static void test_registered_whole_and_partial(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint32_t *in = calloc(1 + N, 4), *out = calloc(2 * N, 4);
	uint32_t want[N / 4];
	sztest_input(in, N, 5);
	sztest_expect(in, want);
	TEEC_SharedMemory min = { .buffer = in, .size = IN_SIZE,
				  .flags = TEEC_MEM_INPUT };
	TEEC_SharedMemory mout = { .buffer = out, .size = 8 * N,
				   .flags = TEEC_MEM_OUTPUT };
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &min), TEEC_SUCCESS);
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &mout), TEEC_SUCCESS);
	TEEC_Operation op = sztest_whole(&min, &mout);
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(op.params[1].memref.size, OUT_SIZE);
	assert_memory_equal(out, want, OUT_SIZE);
	/* partial: the output at an offset of 100 bytes */
	memset(out, 0, 8 * N);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &min, IN_SIZE,
								0 };
	op.params[1].memref = (TEEC_RegisteredMemoryReference){ &mout, 200,
								100 };
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(op.params[1].memref.size, OUT_SIZE);
	assert_memory_equal((uint8_t *)out + 100, want, OUT_SIZE);
	assert_true(sim_all_zero(out, 100));
	/* registered memory lies in the normal world's DRAM window */
	struct sim_memory_info mi;
	uint64_t phys;
	sim_memory(&mi);
	assert_int_equal(sim_shm_phys(&mout, &phys), SIM_OK);
	assert_true(phys >= mi.nw_window_start &&
		    phys < mi.nw_window_start + mi.nw_window_size);
	assert_int_equal(phys % 4096, (uintptr_t)out % 4096);
	TEEC_ReleaseSharedMemory(&min);
	TEEC_ReleaseSharedMemory(&mout);
	assert_ptr_equal(min.buffer, in);	/* the client's memory */
	sim_close(&ctx, &s);
	free(in);
	free(out);
}

/* Each malformed operation is refused before it enters the TEE. */
static void refused(TEEC_Session *s, TEEC_Operation *op, const char *what)
{
	uint32_t origin = 0;
	uint64_t smc = counters().smc;
	TEEC_Result r = TEEC_InvokeCommand(s, SZTEST_CMD_PROCESS, op, &origin);
	if (r != TEEC_ERROR_BAD_PARAMETERS || origin != TEEC_ORIGIN_API)
		fail_msg("%s: 0x%08x origin %u", what, r, origin);
	assert_int_equal(counters().smc, smc);
}

static void test_malformed_operations(void **state)
{
	(void)state;
	TEEC_Context ctx, other;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	assert_int_equal(TEEC_InitializeContext(NULL, &other), TEEC_SUCCESS);
	static uint8_t in_buf[256], out_buf[256], io_buf[256];
	TEEC_SharedMemory in = { in_buf, sizeof in_buf, TEEC_MEM_INPUT, {0} };
	TEEC_SharedMemory out = { out_buf, sizeof out_buf, TEEC_MEM_OUTPUT,
				  {0} };
	TEEC_SharedMemory io = { io_buf, sizeof io_buf,
				 TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, {0} };
	TEEC_SharedMemory foreign = { in_buf, sizeof in_buf, TEEC_MEM_INPUT,
				      {0} };
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &in), TEEC_SUCCESS);
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &out), TEEC_SUCCESS);
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &io), TEEC_SUCCESS);
	assert_int_equal(TEEC_RegisterSharedMemory(&other, &foreign),
			 TEEC_SUCCESS);
	TEEC_Operation op;
	const uint32_t pin = TEEC_MEMREF_PARTIAL_INPUT;
	const uint32_t pout = TEEC_MEMREF_PARTIAL_OUTPUT;

	memset(&op, 0, sizeof op);
	op.paramTypes = TEEC_PARAM_TYPES(pin, pout, TEEC_NONE, TEEC_NONE);
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &in, 200, 100 };
	op.params[1].memref = (TEEC_RegisteredMemoryReference){ &out, 16, 0 };
	refused(&s, &op, "partial past its parent");
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &in, 16,
								SIZE_MAX };
	refused(&s, &op, "offset overflowing");
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &out, 16, 0 };
	refused(&s, &op, "input partial on an output-only parent");
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ NULL, 16, 0 };
	refused(&s, &op, "no parent");
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &foreign, 16,
								0 };
	refused(&s, &op, "a parent of another context");
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &io, 64, 0 };
	op.params[1].memref = (TEEC_RegisteredMemoryReference){ &io, 64, 32 };
	refused(&s, &op, "overlapping input and output");
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref = (TEEC_TempMemoryReference){ io_buf, 64 };
	op.params[1].tmpref = (TEEC_TempMemoryReference){ io_buf + 63, 64 };
	refused(&s, &op, "overlapping temporary memrefs");
	op.params[0].tmpref = (TEEC_TempMemoryReference){ NULL, 64 };
	refused(&s, &op, "a NULL temporary buffer with a size");
	op.params[0].tmpref = (TEEC_TempMemoryReference){ io_buf,
		(size_t)UINT32_MAX + 1 };
	refused(&s, &op, "a size the TA's 32 bits can not carry");
	op.paramTypes = TEEC_PARAM_TYPES(4, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	refused(&s, &op, "type 4, which no specification defines");
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &in, 0, 0 };
	TEEC_ReleaseSharedMemory(&in);
	refused(&s, &op, "a released parent");
	/* two inputs may overlap: nothing is written */
	op.paramTypes = TEEC_PARAM_TYPES(pin, pin, TEEC_NONE, TEEC_NONE);
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &io, 64, 0 };
	op.params[1].memref = (TEEC_RegisteredMemoryReference){ &io, 64, 32 };
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
					    &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
	TEEC_FinalizeContext(&other);
	sim_close(&ctx, &s);
}

static void test_allocated_shared_memory(void **state)
{
	(void)state;
	TEEC_Context ctx;
	assert_int_equal(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	struct sim_memory_info mi;
	sim_memory(&mi);
	TEEC_SharedMemory m = { .size = 10000,
				.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &m), TEEC_SUCCESS);
	assert_non_null(m.buffer);
	assert_true(sim_all_zero(m.buffer, m.size));
	uint64_t phys;
	assert_int_equal(sim_shm_phys(&m, &phys), SIM_OK);
	assert_int_equal(phys, mi.shm_start);	/* the pool's first page */
	sim_memory(&mi);
	assert_int_equal(mi.shm_used, 3 * 4096);	/* whole pages */
	struct sim_counters c = counters();
	assert_int_equal(c.smc, 0);	/* the static pool: no SMC */
	assert_int_equal(c.shm_registrations, 1);
	/* more than the 4 MiB pool of the RPi3 */
	TEEC_SharedMemory big = { .size = 5 * MiB, .flags = TEEC_MEM_INPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &big),
			 TEEC_ERROR_OUT_OF_MEMORY);
	big.size = TEEC_CONFIG_SHAREDMEM_MAX_SIZE + 1;
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &big),
			 TEEC_ERROR_BAD_PARAMETERS);
	big.size = 16;
	big.flags = 4;
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &big),
			 TEEC_ERROR_BAD_PARAMETERS);
	big.flags = 0;
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &big),
			 TEEC_ERROR_BAD_PARAMETERS);
	TEEC_ReleaseSharedMemory(&m);
	assert_null(m.buffer);
	sim_memory(&mi);
	assert_int_equal(mi.shm_used, 0);
	/* registering and releasing enter the TEE */
	uint8_t buf[64];
	TEEC_SharedMemory r = { buf, sizeof buf, TEEC_MEM_INPUT, {0} };
	assert_int_equal(TEEC_RegisterSharedMemory(&ctx, &r), TEEC_SUCCESS);
	TEEC_ReleaseSharedMemory(&r);
	TEEC_ReleaseSharedMemory(&r);	/* twice: nothing happens */
	c = counters();
	assert_int_equal(c.smc, 2);
	assert_int_equal(c.shm_registrations, 4);
	TEEC_FinalizeContext(&ctx);
}

static void test_cancellation_before_start(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	uint64_t smc = counters().smc;
	TEEC_Operation op;
	memset(&op, 0, sizeof op);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	TEEC_RequestCancellation(&op);
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_INC_VALUE, &op,
					    &origin), TEEC_ERROR_CANCEL);
	assert_int_equal(origin, TEEC_ORIGIN_COMMS);
	assert_int_equal(counters().smc, smc);
	/* once started, a request changes nothing */
	TEEC_RequestCancellation(&op);
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_INC_VALUE, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(op.params[0].value.a, 1);
	sim_close(&ctx, &s);
}

static void test_finalize_cleans_up(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	TEEC_SharedMemory m = { .size = 100, .flags = TEEC_MEM_INPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &m), TEEC_SUCCESS);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.sessions, 1);
	assert_int_equal(mi.instances, 1);
	TEEC_FinalizeContext(&ctx);	/* session and memory still open */
	sim_memory(&mi);
	assert_int_equal(mi.sessions, 0);
	assert_int_equal(mi.instances, 0);
	assert_int_equal(mi.shm_used, 0);
	assert_int_equal(mi.ta_ram_used, 0);
	/* a closed session's handle is refused, not followed */
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, 0, NULL, &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(sim_shutdown(), SIM_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sim_fixture_up, sim_fixture_down)
		T(test_unknown_uuid),
		T(test_null_arguments_refused_by_the_library),
		T(test_value_inout),
		T(test_temp_memrefs_bounce_and_count),
		T(test_empty_temp_memref_reaches_the_ta),
		T(test_short_buffer_gives_the_size),
		T(test_registered_whole_and_partial),
		T(test_malformed_operations),
		T(test_allocated_shared_memory),
		T(test_cancellation_before_start),
		T(test_finalize_cleans_up),
#undef T
	};
	return cmocka_run_group_tests_name("sim_client_api", tests, NULL, NULL);
}
