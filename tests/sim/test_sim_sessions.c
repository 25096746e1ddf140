/*
 * Sessions and instances: isolation between instances (their own heaps,
 * their own state, their memory accounted in TA_RAM), OP-TEE's
 * single-instance, multi-session and keep-alive flags, TEE_Panic (the
 * session dies with TARGET_DEAD, its heap and stack are zeroed, later
 * calls are refused), a stack overflow into the guard page, a host
 * timer's signal kept off the TA's stack, scrubbing on close, and
 * per-session counters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_fixture.h"
#include "sim_ta.h"

extern const struct sim_ta_desc sim_ta_desc_good;

static TEEC_Result value_call(TEEC_Session *s, uint32_t cmd, uint32_t type,
			      uint32_t *a, uint32_t *origin)
{
	TEEC_Operation op = sztest_op(type, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = *a;
	TEEC_Result r = TEEC_InvokeCommand(s, cmd, &op, origin);
	*a = op.params[0].value.a;
	return r;
}

static void store(TEEC_Session *s, uint32_t v)
{
	uint32_t origin;
	assert_int_equal(value_call(s, SZTEST_CMD_STORE, TEEC_VALUE_INPUT, &v,
				    &origin), TEEC_SUCCESS);
}

static uint32_t load(TEEC_Session *s)
{
	uint32_t v = 0, origin;
	assert_int_equal(value_call(s, SZTEST_CMD_LOAD, TEEC_VALUE_OUTPUT, &v,
				    &origin), TEEC_SUCCESS);
	return v;
}

static TEEC_Result open_on(TEEC_Context *ctx, TEEC_Session *s,
			   const TEEC_UUID *uuid, uint32_t *origin)
{
	return TEEC_OpenSession(ctx, s, uuid, TEEC_LOGIN_PUBLIC, NULL, NULL,
				origin);
}

/* A context and two sessions on uuid. */
static void open_two(TEEC_Context *ctx, TEEC_Session *a, TEEC_Session *b,
		     const TEEC_UUID *uuid)
{
	uint32_t origin;
	sim_open(ctx, a, uuid);
	assert_int_equal(open_on(ctx, b, uuid, &origin), TEEC_SUCCESS);
}

static struct sim_instance_info instance(TEEC_Session *s)
{
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(s, &i), SIM_OK);
	return i;
}

/* The footprint mm_plan counts for one instance of the good TA. */
static uint64_t footprint(void)
{
	const struct sim_ta_desc *d = &sim_ta_desc_good;
	uint64_t pg = 4096;
	return (d->code_size + pg - 1) / pg * pg + d->data_size +
	       d->stack_size + MM_PLAN_TA_OVERHEAD;
}

static void test_instances_are_isolated(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session a, b;
	open_two(&ctx, &a, &b, &sztest_good_uuid);
	store(&a, 0x1111);
	store(&b, 0x2222);
	assert_int_equal(load(&a), 0x1111);
	assert_int_equal(load(&b), 0x2222);
	struct sim_instance_info ia = instance(&a), ib = instance(&b);
	assert_int_not_equal(ia.id, ib.id);
	/* each heap is its own TA_DATA_SIZE bytes; no byte shared */
	assert_int_equal(ia.heap_size, sim_ta_desc_good.data_size);
	assert_true(ia.heap_start + ia.heap_size <= ib.ram_start ||
		    ib.heap_start + ib.heap_size <= ia.ram_start);
	assert_true(ia.heap_start >= ia.ram_start &&
		    ia.stack_start + ia.stack_size <= ia.ram_start + ia.ram_size);
	assert_int_equal(ia.ram_size, footprint());
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.instances, 2);
	assert_int_equal(mi.ta_ram_used, 2 * footprint());
	assert_true(ia.ram_start >= mi.ta_ram_start &&
		    ia.ram_start + ia.ram_size <= mi.ta_ram_start + mi.ta_ram_size);
	/* the session struct (weights, key) is in use in each heap */
	assert_true(ia.heap_used > SZTEST_WEIGHTS * 4);
	TEEC_CloseSession(&b);
	sim_memory(&mi);
	assert_int_equal(mi.ta_ram_used, footprint());
	sim_close(&ctx, &a);
}

static void test_single_instance_is_shared_and_kept(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session a, b;
	uint32_t origin;
	open_two(&ctx, &a, &b, &sztest_single_uuid);
	struct sim_instance_info ia = instance(&a), ib = instance(&b);
	assert_int_equal(ia.id, ib.id);
	assert_int_equal(ib.sessions, 2);
	store(&a, 7);
	store(&b, 9);	/* state per session, in the one heap */
	assert_int_equal(load(&a), 7);
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&b);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.instances, 1);	/* TA_FLAG_INSTANCE_KEEP_ALIVE */
	assert_int_equal(open_on(&ctx, &a, &sztest_single_uuid, &origin),
			 TEEC_SUCCESS);
	assert_int_equal(instance(&a).id, ia.id);
	sim_close(&ctx, &a);
}

static void test_single_session_ta_is_busy(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session a, b;
	uint32_t origin = 0;
	sim_open(&ctx, &a, &sztest_exclusive_uuid);
	assert_int_equal(open_on(&ctx, &b, &sztest_exclusive_uuid, &origin),
			 TEEC_ERROR_BUSY);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	TEEC_CloseSession(&a);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.instances, 0);	/* not kept alive */
	assert_int_equal(open_on(&ctx, &b, &sztest_exclusive_uuid, &origin),
			 TEEC_SUCCESS);
	sim_close(&ctx, &b);
}

static void test_panic_kills_and_scrubs(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session a, b;
	uint32_t origin = 0, v = 0;
	open_two(&ctx, &a, &b, &sztest_good_uuid);
	store(&a, 0xfeed);
	struct sim_instance_info ia = instance(&a);
	uint8_t *heap = malloc(ia.heap_size), *stack = malloc(ia.stack_size);
	assert_int_equal(sim_secure_read(ia.heap_start, heap, ia.heap_size),
			 SIM_OK);
	assert_int_equal(sim_secure_read(ia.stack_start, stack, ia.stack_size),
			 SIM_OK);
	assert_false(sim_all_zero(heap, ia.heap_size));	/* weights, key */
	assert_false(sim_all_zero(stack, ia.stack_size));	/* frames */
	assert_int_equal(value_call(&a, SZTEST_CMD_PANIC, TEEC_NONE, &v,
				    &origin), TEEC_ERROR_TARGET_DEAD);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	assert_true(instance(&a).dead);
	assert_int_equal(sim_secure_read(ia.heap_start, heap, ia.heap_size),
			 SIM_OK);
	assert_int_equal(sim_secure_read(ia.stack_start, stack, ia.stack_size),
			 SIM_OK);
	assert_true(sim_all_zero(heap, ia.heap_size));
	assert_true(sim_all_zero(stack, ia.stack_size));
	/* later calls on the dead session, and the other instance lives */
	assert_int_equal(value_call(&a, SZTEST_CMD_LOAD, TEEC_VALUE_OUTPUT, &v,
				    &origin), TEEC_ERROR_TARGET_DEAD);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	store(&b, 5);
	assert_int_equal(load(&b), 5);
	TEEC_CloseSession(&a);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.instances, 1);
	free(heap);
	free(stack);
	sim_close(&ctx, &b);
}

static void test_panic_in_shared_instance_kills_its_sessions(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session a, b;
	uint32_t origin, v = 0;
	open_two(&ctx, &a, &b, &sztest_single_uuid);
	assert_int_equal(value_call(&a, SZTEST_CMD_PANIC, TEEC_NONE, &v,
				    &origin), TEEC_ERROR_TARGET_DEAD);
	assert_int_equal(value_call(&b, SZTEST_CMD_LOAD, TEEC_VALUE_OUTPUT, &v,
				    &origin), TEEC_ERROR_TARGET_DEAD);
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&b);
	struct sim_memory_info mi;
	sim_memory(&mi);
	assert_int_equal(mi.instances, 0);	/* a dead one is not kept */
	/* a new session gets a new instance */
	assert_int_equal(open_on(&ctx, &a, &sztest_single_uuid, &origin),
			 TEEC_SUCCESS);
	store(&a, 1);
	sim_close(&ctx, &a);
}

static void test_stack_overflow_is_target_dead(void **state)
{
	(void)state;
	if (sim_under_valgrind()) {
		printf("  skipped: valgrind reports the write to the guard "
		       "page as its own error\n");
		skip();
	}
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin, depth = 4;	/* about 1 KiB of a 4 KiB stack */
	sim_open(&ctx, &s, &sztest_good_uuid);
	assert_int_equal(value_call(&s, SZTEST_CMD_RECURSE, TEEC_VALUE_INPUT,
				    &depth, &origin), TEEC_SUCCESS);
	depth = 64;	/* 16 KiB */
	assert_int_equal(value_call(&s, SZTEST_CMD_RECURSE, TEEC_VALUE_INPUT,
				    &depth, &origin), TEEC_ERROR_TARGET_DEAD);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	sim_close(&ctx, &s);
}

static volatile sig_atomic_t alarm_on_alt_stack = -1;

static void note_alarm(int sig)
{
	(void)sig;
	stack_t ss;
	sigaltstack(NULL, &ss);
	alarm_on_alt_stack = (ss.ss_flags & SS_ONSTACK) != 0;
}

/* A host timer's handler installed without SA_ONSTACK (libFuzzer's
 * SIGALRM) runs on the alternate stack once a TA has run, never on the
 * TA's (world_switch.c: a fuzz run's TA died of its signal frame). */
static void test_timer_signal_off_the_ta_stack(void **state)
{
	(void)state;
	struct sigaction sa, old, now;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note_alarm;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	store(&s, 7);
	assert_int_equal(sigaction(SIGALRM, NULL, &now), 0);
	assert_true(now.sa_flags & SA_ONSTACK);
	assert_ptr_equal(now.sa_handler, note_alarm);
	assert_int_equal(raise(SIGALRM), 0);
	assert_int_equal(alarm_on_alt_stack, 1);
	sim_close(&ctx, &s);
	sigaction(SIGALRM, &old, NULL);
}

static void test_close_scrubs(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_good_uuid);
	struct sim_instance_info i = instance(&s);
	uint8_t *heap = malloc(i.heap_size);
	sim_close(&ctx, &s);
	assert_int_equal(sim_secure_read(i.heap_start, heap, i.heap_size),
			 SIM_OK);
	assert_true(sim_all_zero(heap, i.heap_size));
	free(heap);
}

static void test_counters_per_session(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session a, b;
	uint32_t origin, v = 1;
	open_two(&ctx, &a, &b, &sztest_good_uuid);
	sim_counters_reset();
	for (int i = 0; i < 3; i++)
		assert_int_equal(value_call(&a, SZTEST_CMD_INC_VALUE,
					    TEEC_VALUE_INOUT, &v, &origin),
				 TEEC_SUCCESS);
	assert_int_equal(v, 4);
	struct sim_counters ca, cb, g;
	assert_int_equal(sim_counters_session(&a, &ca), SIM_OK);
	assert_int_equal(sim_counters_session(&b, &cb), SIM_OK);
	sim_counters_global(&g);
	assert_int_equal(ca.invokes, 3);
	assert_int_equal(ca.smc, 3);
	assert_int_equal(ca.params, 3);
	assert_int_equal(cb.smc, 0);
	assert_int_equal(g.smc, 3);
	TEEC_CloseSession(&b);
	sim_counters_global(&g);
	assert_int_equal(g.close_sessions, 1);
	assert_int_equal(g.smc, 4);
	sim_close(&ctx, &a);
}

/* The descriptor the build made from user_ta_header_defines.h and the
 * TA's objects: sizes as written there, the code measured. Instances
 * share the program's one copy of a TA's static data, which OP-TEE
 * would give each instance: the test TA has none to share. */
static void test_descriptor_from_the_ta_header(void **state)
{
	(void)state;
	const struct sim_ta_desc *d = &sim_ta_desc_good;
	const TEEC_UUID u = SZTEST_GOOD_UUID;
	assert_int_equal(d->uuid.timeLow, u.timeLow);
	assert_memory_equal(d->uuid.clockSeqAndNode, u.clockSeqAndNode, 8);
	assert_int_equal(d->data_size, 64 * 1024);
	assert_int_equal(d->stack_size, 4 * 1024);
	assert_int_equal(d->flags, 0);
	assert_true(d->code_size > 1024);
#ifndef TL_INSTRUMENTED_BUILD	/* gcov and ASan add data of their own */
	assert_int_equal(d->static_rw_size, 0);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sim_fixture_up, sim_fixture_down)
		T(test_instances_are_isolated),
		T(test_single_instance_is_shared_and_kept),
		T(test_single_session_ta_is_busy),
		T(test_panic_kills_and_scrubs),
		T(test_panic_in_shared_instance_kills_its_sessions),
		T(test_stack_overflow_is_target_dead),
		T(test_timer_signal_off_the_ta_stack),
		T(test_close_scrubs),
		T(test_counters_per_session),
		T(test_descriptor_from_the_ta_header),
#undef T
	};
	return cmocka_run_group_tests_name("sim_sessions", tests, NULL, NULL);
}
