/*
 * The deliberately wrong TA (tests/sim/ta_bad/) against every check:
 * its leaks past the declared output, into its input and through a
 * temporary memref are found, with the addresses; its double fetch is
 * found, and so is a leak of bytes it decrypted calls before; the
 * hostile parameters find its trust in sizes (canaries) and
 * in types (it dies, or answers where it should refuse). One limit is
 * shown as such: a leak of 12 bytes is too short to be seen.
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

#define N 64			/* words of PROCESS input */

struct reg {
	TEEC_SharedMemory in, out;
	uint32_t *in_buf;
	uint8_t *out_buf;
	uint64_t in_phys, out_phys;
};

/* PROCESS's input and a 256-byte output, both registered. */
static void registered(TEEC_Context *ctx, struct reg *r)
{
	r->in_buf = calloc(1 + N, 4);
	r->out_buf = calloc(256, 1);
	sztest_input(r->in_buf, N, 21);
	r->in = (TEEC_SharedMemory){ r->in_buf, (1 + N) * 4, TEEC_MEM_INPUT,
				     {0} };
	r->out = (TEEC_SharedMemory){ r->out_buf, 256, TEEC_MEM_OUTPUT, {0} };
	assert_int_equal(TEEC_RegisterSharedMemory(ctx, &r->in), TEEC_SUCCESS);
	assert_int_equal(TEEC_RegisterSharedMemory(ctx, &r->out),
			 TEEC_SUCCESS);
	assert_int_equal(sim_shm_phys(&r->in, &r->in_phys), SIM_OK);
	assert_int_equal(sim_shm_phys(&r->out, &r->out_phys), SIM_OK);
}

static void release(struct reg *r)
{
	TEEC_ReleaseSharedMemory(&r->in);
	TEEC_ReleaseSharedMemory(&r->out);
	free(r->in_buf);
	free(r->out_buf);
}

static TEEC_Result run(TEEC_Session *s, uint32_t cmd, struct reg *r)
{
	TEEC_Operation op = sztest_whole(&r->in, &r->out);
	uint32_t origin;
	return TEEC_InvokeCommand(s, cmd, &op, &origin);
}

/* The one leak found: at addr, from the TA's heap, len bytes. */
static void one_leak(uint64_t addr, uint32_t len, const TEEC_Session *s)
{
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(s, &i), SIM_OK);
	assert_int_equal(sim_violation_count(), 1);
	const struct sim_violation *v = sim_violation_at(0);
	printf("  found: %s\n", v->msg);
	assert_int_equal(v->kind, SIM_V_LEAK);
	assert_int_equal(v->addr, addr);
	assert_int_equal(v->len, len);
	assert_true(v->secure_addr >= i.heap_start &&
		    v->secure_addr < i.heap_start + i.heap_size);
	sim_violations_clear();
}

/* A session of the bad TA and its registered buffers, cmd run once. */
struct bench {
	TEEC_Context ctx;
	TEEC_Session s;
	struct reg r;
};

static void bench_run(struct bench *b, uint32_t cmd)
{
	sim_open(&b->ctx, &b->s, &sztest_bad_uuid);
	registered(&b->ctx, &b->r);
	assert_int_equal(run(&b->s, cmd, &b->r), TEEC_SUCCESS);
}

static void bench_down(struct bench *b)
{
	release(&b->r);
	sim_close(&b->ctx, &b->s);
}

static void test_leak_past_the_declared_output(void **state)
{
	(void)state;
	struct bench b;
	bench_run(&b, SZTEST_CMD_LEAK_PAST_OUTPUT);
	/* the declared output is N bytes; 64 bytes of weights follow */
	one_leak(b.r.out_phys + N, 64, &b.s);
	bench_down(&b);
}

/* After calls that leak nothing, the check hashes only the heap pages
 * written since the last check (a write watch tells) and keeps the
 * secrets it found on the others (taint_kept.c): the weights' pages,
 * unchanged since the first call, still count, and a leak of them is
 * found. With decrypts first: pages of bytes the TA decrypted with a key
 * of its own, as an encrypted model's chunks are, and the leak is of
 * those; more than SZTEST_PLAIN_PAGES decrypts write the first page
 * again with other bytes: what it held before is stale in the kept
 * table, what it holds now is found. */
static void leak_after(int decrypts, int quiet, uint32_t leak_cmd)
{
	struct bench b;
	bench_run(&b, SZTEST_CMD_PROCESS);
	for (int i = 0; i < decrypts; i++)
		assert_int_equal(run(&b.s, SZTEST_CMD_DECRYPT, &b.r),
				 TEEC_SUCCESS);
	for (int i = 0; i < quiet; i++)
		assert_int_equal(run(&b.s, SZTEST_CMD_PROCESS, &b.r),
				 TEEC_SUCCESS);
	assert_int_equal(sim_violation_count(), 0);
	assert_int_equal(run(&b.s, leak_cmd, &b.r), TEEC_SUCCESS);
	one_leak(b.r.out_phys + N, 64, &b.s);
	bench_down(&b);
}

static void test_leak_after_quiet_calls(void **state)
{
	(void)state;
	leak_after(0, 5, SZTEST_CMD_LEAK_PAST_OUTPUT);
}

static void test_leak_after_many_quiet_calls(void **state)
{
	(void)state;
	leak_after(0, 300, SZTEST_CMD_LEAK_PAST_OUTPUT);
}

static void test_leak_of_bytes_decrypted_calls_before(void **state)
{
	(void)state;
	leak_after(SZTEST_PLAIN_PAGES, 20, SZTEST_CMD_LEAK_DECRYPTED);
}

static void test_leak_of_bytes_decrypted_over_others(void **state)
{
	(void)state;
	leak_after(SZTEST_PLAIN_PAGES + 3, 5, SZTEST_CMD_LEAK_DECRYPTED);
}

/* 40 secret bytes from an offset no chunk starts at: they hold one whole
 * aligned chunk of the heap, found wherever it lands in the copy. */
static void test_an_unaligned_leak(void **state)
{
	(void)state;
	struct bench b;
	bench_run(&b, SZTEST_CMD_LEAK_UNALIGNED);
	assert_int_equal(sim_violation_count(), 1);
	const struct sim_violation *v = sim_violation_at(0);
	printf("  found: %s\n", v->msg);
	assert_int_equal(v->kind, SIM_V_LEAK);
	assert_true(v->addr >= b.r.out_phys + N &&
		    v->addr + v->len <= b.r.out_phys + N + 40);
	assert_true(v->len >= 16);
	sim_violations_clear();
	bench_down(&b);
}

/* A leak into a free page of the static pool: such pages are left out
 * of the scan while they stay zero, and the TA's store is what makes
 * this one count. */
static void test_a_leak_into_a_free_pool_page(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_bad_uuid);
	TEEC_SharedMemory in = { NULL, (1 + N) * 4, TEEC_MEM_INPUT, {0} };
	TEEC_SharedMemory out = { NULL, 256, TEEC_MEM_OUTPUT, {0} };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &in), TEEC_SUCCESS);
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &out), TEEC_SUCCESS);
	sztest_input(in.buffer, N, 3);
	uint64_t out_phys;
	assert_int_equal(sim_shm_phys(&out, &out_phys), SIM_OK);
	/* quiet calls first: the page after the output stays clean */
	TEEC_Operation op = sztest_whole(&in, &out);
	uint32_t origin;
	for (int i = 0; i < 3; i++)
		assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
						    &origin), TEEC_SUCCESS);
	assert_int_equal(sim_violation_count(), 0);
	op = sztest_whole(&in, &out);
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_LEAK_NEXT_PAGE, &op,
					    &origin), TEEC_SUCCESS);
	assert_int_equal(sim_violation_count(), 1);
	const struct sim_violation *v = sim_violation_at(0);
	printf("  found: %s\n", v->msg);
	assert_int_equal(v->kind, SIM_V_LEAK);
	assert_string_equal(v->region, "shmem");
	assert_int_equal(v->addr, out_phys + 4096);
	assert_int_equal(v->len, 64);
	sim_violations_clear();
	TEEC_ReleaseSharedMemory(&in);
	TEEC_ReleaseSharedMemory(&out);
	sim_close(&ctx, &s);
}

static void test_leak_into_the_input(void **state)
{
	(void)state;
	struct bench b;
	bench_run(&b, SZTEST_CMD_LEAK_INTO_INPUT);
	one_leak(b.r.in_phys + 4, 64, &b.s);
	bench_down(&b);
}

static void test_leak_through_a_temporary_memref(void **state)
{
	(void)state;
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_bad_uuid);
	uint32_t in[1 + N];
	uint32_t out32[64];
	uint8_t *out = (uint8_t *)out32;
	sztest_input(in, N, 5);
	memset(out32, 0, sizeof out32);
	size_t out_size = sizeof out32;
	uint32_t origin;
	assert_int_equal(sztest_process(&s, SZTEST_CMD_LEAK_PAST_OUTPUT, in,
					sizeof in, out32, &out_size, &origin),
			 TEEC_SUCCESS);
	/* the client copied back only the declared bytes... */
	assert_int_equal(out_size, N);
	assert_true(sim_all_zero(out + N, sizeof out32 - N));
	/* ...but the bounce buffer in the pool holds the weights */
	assert_int_equal(sim_violation_count(), 1);
	assert_string_equal(sim_violation_at(0)->region, "shmem");
	struct sim_memory_info mi;
	sim_memory(&mi);
	uint64_t a = sim_violation_at(0)->addr;
	assert_true(a >= mi.shm_start && a < mi.shm_start + mi.shm_size);
	sim_violations_clear();
	sim_close(&ctx, &s);
}

static void test_a_twelve_byte_leak_is_not_seen(void **state)
{
	(void)state;
	struct bench b;
	bench_run(&b, SZTEST_CMD_LEAK_SMALL);
	uint32_t w[SZTEST_WEIGHTS];
	sztest_weights(w);
	/* the bytes are there... */
	assert_memory_equal(b.r.out_buf + N, (uint8_t *)w + 64, 12);
	/* ...and below the check's 16-byte chunk: a documented limit */
	printf("  limit: 12 secret bytes past the output, %zu violations\n",
	       sim_violation_count());
	assert_int_equal(sim_violation_count(), 0);
	bench_down(&b);
}

static void test_double_fetch_is_caught(void **state)
{
	(void)state;
	sim_fixture_double_fetch_on();
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_bad_uuid);
	/* pool memory: the bad TA, its count changed under it, reads past
	 * its input, which in a heap buffer ASan would stop first */
	TEEC_SharedMemory in = { .size = (1 + N) * 4, .flags = TEEC_MEM_INPUT };
	TEEC_SharedMemory out = { .size = 256, .flags = TEEC_MEM_OUTPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &in), TEEC_SUCCESS);
	assert_int_equal(TEEC_AllocateSharedMemory(&ctx, &out), TEEC_SUCCESS);
	sztest_input(in.buffer, N, 21);
	uint64_t in_phys;
	assert_int_equal(sim_shm_phys(&in, &in_phys), SIM_OK);
	TEEC_Operation op = sztest_whole(&in, &out);
	uint32_t origin;
	TEEC_Result res = TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
					     &origin);
	printf("  PROCESS under the trap: 0x%08x\n", res);
	const struct sim_violation *v = NULL;
	for (size_t i = 0; i < sim_violation_count(); i++)
		if (sim_violation_at(i)->kind == SIM_V_DOUBLE_FETCH)
			v = sim_violation_at(i);
	assert_non_null(v);
	printf("  found: %s\n", v->msg);
	assert_int_equal(v->addr, in_phys);	/* the count, read again */
	assert_string_equal(v->region, "shmem");
	sim_violations_clear();
	sim_hostile_set(0, NULL, 0);
	sim_close(&ctx, &s);
}

static const struct sim_hostile_case *find_case(
	const struct sim_hostile_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_cases; i++)
		if (strcmp(r->cases[i].name, name) == 0)
			return &r->cases[i];
	fail_msg("no hostile case \"%s\"", name);
	return NULL;
}

static void test_hostile_parameters_catch_it(void **state)
{
	(void)state;
	if (sim_under_valgrind()) {
		printf("  skipped: the bad TA dies of a wild pointer, which "
		       "valgrind reports as its own error\n");
		skip();
	}
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_bad_uuid);
	struct sim_hostile_report *r = sztest_hostile_process(&s);
	/* it trusts the output's size: writes past it, into the canary */
	const struct sim_hostile_case *c = find_case(r, "p1 one byte short");
	assert_false(c->passed);
	assert_non_null(strstr(c->why, "wrote outside its outputs"));
	/* it reads its count again from memory it also writes: with the
	 * output over the input, the count changes under it and it runs
	 * off its buffers and dies; the run ends there */
	const struct sim_hostile_case *last = &r->cases[r->n_cases - 1];
	assert_false(last->passed);
	assert_string_equal(last->why, "the TA died");
	assert_int_equal(last->ret, TEEC_ERROR_TARGET_DEAD);
	/* and without type checks, a value command takes a memref */
	TEEC_Session s2;
	uint32_t origin;
	assert_int_equal(TEEC_OpenSession(&ctx, &s2, &sztest_bad_uuid,
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin), TEEC_SUCCESS);
	TEEC_Operation op = sztest_op(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE,
				      TEEC_NONE);
	assert_int_equal(sim_hostile_params(&s2, SZTEST_CMD_INC_VALUE, &op, r),
			 SIM_OK);
	sztest_show("INC_VALUE", r);
	c = find_case(r, "p0 as a memref");
	assert_false(c->passed);
	assert_int_equal(c->ret, TEEC_SUCCESS);
	sim_violations_clear();	/* its leaks along the way */
	free(r);
	TEEC_CloseSession(&s2);
	sim_close(&ctx, &s);
}

static void test_a_value_taken_for_a_pointer_kills_it(void **state)
{
	(void)state;
	if (sim_under_valgrind()) {
		printf("  skipped: the wild pointer is valgrind's error too\n");
		skip();
	}
	TEEC_Context ctx;
	TEEC_Session s;
	sim_open(&ctx, &s, &sztest_bad_uuid);
	uint32_t out[16];
	TEEC_Operation op;
	memset(&op, 0, sizeof op);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	/* read as a pointer on a 64-bit host: 0x0000dead00c0ffe0 */
	op.params[0].value.a = 0x00c0ffe0;
	op.params[0].value.b = 0x0000dead;
	op.params[1].tmpref = (TEEC_TempMemoryReference){ out, sizeof out };
	uint32_t origin;
	assert_int_equal(TEEC_InvokeCommand(&s, SZTEST_CMD_PROCESS, &op,
					    &origin), TEEC_ERROR_TARGET_DEAD);
	assert_int_equal(origin, TEEC_ORIGIN_TEE);
	struct sim_instance_info i;
	assert_int_equal(sim_session_instance(&s, &i), SIM_OK);
	assert_true(i.dead);
	sim_close(&ctx, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sim_fixture_up, sim_fixture_down)
		T(test_leak_past_the_declared_output),
		T(test_leak_after_quiet_calls),
		T(test_leak_after_many_quiet_calls),
		T(test_leak_of_bytes_decrypted_calls_before),
		T(test_leak_of_bytes_decrypted_over_others),
		T(test_an_unaligned_leak),
		T(test_a_leak_into_a_free_pool_page),
		T(test_leak_into_the_input),
		T(test_leak_through_a_temporary_memref),
		T(test_a_twelve_byte_leak_is_not_seen),
		T(test_double_fetch_is_caught),
		T(test_hostile_parameters_catch_it),
		T(test_a_value_taken_for_a_pointer_kills_it),
#undef T
	};
	return cmocka_run_group_tests_name("sim_checks_bad", tests, NULL, NULL);
}
