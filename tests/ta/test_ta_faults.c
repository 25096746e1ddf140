/*
 * Fault injection on every command path of the TA (sim_fault_set): the
 * path runs once to count the fallible Internal Core API calls it makes
 * (TEE_Malloc, the property, the crypto and storage calls), then once for
 * each of them, on a fresh session, with that call failing as the
 * specification lets it fail. Each time:
 *
 * - the path ends in a clean error: the TA answers (origin TRUSTED_APP,
 *   never a dead TA) with the failed call's own code (OUT_OF_MEMORY for
 *   TEE_Malloc), or succeeds where the TA may do without the call;
 * - nothing leaks: REPORT's heap figures equal the simulator's, and once
 *   the model is closed and the held activation taken the TA holds what a
 *   fresh session holds, with no object or operation handle left open
 *   (and valgrind, which runs this test in make check, finds no host
 *   memory lost);
 * - the session is usable: the same path, with no fault, then succeeds
 *   on it and gives tl_run's bits.
 * Opening a session is a path too: it fails cleanly and leaves no
 * instance. Closing one makes no fallible call (asserted).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ta_client.h"
#include "tee_api_defines.h"

#define WINDOW	20000	/* chunks across the 16 KiB bounce buffer */

/* Any 32 bytes: this test's device key. */
static const uint8_t key[SZ_KEY_BYTES] = {
	0x51, 0x0c, 0xe7, 0x2a, 0x93, 0x4d, 0xb8, 0x16, 0x7f, 0xc2, 0x05,
	0x68, 0xda, 0x31, 0x9e, 0x47, 0xa0, 0x1b, 0xf4, 0x8c, 0x26, 0x5d,
	0xe9, 0x72, 0x0f, 0xb3, 0x44, 0xcd, 0x18, 0x6a, 0x95, 0x3e,
};

struct fixture {
	struct tmodel digits, step[2];
	uint8_t *sealed;
	size_t sealed_size;
	struct tsession t;
	uint64_t bare;		/* a fresh session's heap */
};

/* One command path, run on f->t from a fresh session. */
struct path {
	const char *name;
	TEEC_Result (*run)(struct fixture *f);
};

/* The code each fallible call fails with (sim.h, sim_fault_set), as
 * the TA passes it on. */
static TEEC_Result code_of(const char *call)
{
	static const struct { const char *call; TEEC_Result code; } codes[] = {
		{ "TEE_Malloc", TEE_ERROR_OUT_OF_MEMORY },
		{ "TEE_GetPropertyAsU32", TEE_ERROR_ITEM_NOT_FOUND },
		{ "TEE_AllocateOperation", TEE_ERROR_OUT_OF_MEMORY },
		{ "TEE_AllocateTransientObject", TEE_ERROR_OUT_OF_MEMORY },
		{ "TEE_PopulateTransientObject", TEE_ERROR_BAD_PARAMETERS },
		{ "TEE_SetOperationKey", TEE_ERROR_CORRUPT_OBJECT },
		{ "TEE_AEInit", TEE_ERROR_NOT_SUPPORTED },
		{ "TEE_AEUpdate", TEE_ERROR_SHORT_BUFFER },
		{ "TEE_AEDecryptFinal", TEE_ERROR_MAC_INVALID },
		{ "TEE_OpenPersistentObject", TEE_ERROR_STORAGE_NOT_AVAILABLE },
		{ "TEE_ReadObjectData", TEE_ERROR_CORRUPT_OBJECT },
		{ "TEE_CreatePersistentObject", TEE_ERROR_STORAGE_NO_SPACE },
	};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (strcmp(codes[i].call, call) == 0)
			return codes[i].code;
	fail_msg("a fault in %s, which the TA does not call", call);
	return 0;
}

/* RUN on m, checked against tl_run on the host when it succeeds. */
static TEEC_Result run_checked(struct tsession *t, const struct tmodel *m)
{
	float *got = malloc(m->n_out * sizeof(float));
	float *want = malloc(m->n_out * sizeof(float));
	assert_true(got && want);
	TEEC_Result r = ts_run(t, m, got, SZ_MODE_STRICT);
	if (r == TEEC_SUCCESS) {
		tmodel_reference(m, m->input, want, TL_MODE_STRICT);
		assert_memory_equal(got, want, m->n_out * sizeof(float));
	}
	free(got);
	free(want);
	return r;
}

/* ---- the paths ---- */

static TEEC_Result plain_path(struct fixture *f)
{
	TEEC_Result r = ts_load(&f->t, &f->digits, WINDOW);
	if (r == TEEC_SUCCESS)
		r = run_checked(&f->t, &f->digits);
	if (r == TEEC_SUCCESS)
		r = ts_close_model(&f->t);
	return r;
}

static TEEC_Result provision_path(struct fixture *f)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)key;
	op.params[0].tmpref.size = sizeof key;
	return ts_invoke(&f->t, SZ_CMD_PROVISION_KEY, &op);
}

static TEEC_Result encrypted_path(struct fixture *f)
{
	TEEC_Result r = ts_load_encrypted(&f->t, &f->digits, f->sealed,
					  f->sealed_size, WINDOW);
	if (r == TEEC_SUCCESS)
		r = run_checked(&f->t, &f->digits);
	if (r == TEEC_SUCCESS)
		r = ts_close_model(&f->t);
	return r;
}

/* The baseline: the digits model in two steps, the activation held. */
static TEEC_Result baseline_path(struct fixture *f)
{
	const struct tmodel *m = &f->digits;
	TEEC_Result r = ts_hold(&f->t, m->input, m->n_in * sizeof(float));
	for (int s = 0; s < 2 && r == TEEC_SUCCESS; s++) {
		r = ts_load(&f->t, &f->step[s], WINDOW);
		if (r == TEEC_SUCCESS)
			r = ts_run_held(&f->t, SZ_MODE_STRICT);
		if (r == TEEC_SUCCESS)
			r = ts_close_model(&f->t);
	}
	size_t n = m->n_out * sizeof(float);
	float *got = malloc(n), *want = malloc(n);
	assert_true(got && want);
	if (r == TEEC_SUCCESS)
		r = ts_take(&f->t, got, &n);
	if (r == TEEC_SUCCESS) {
		tmodel_reference(m, m->input, want, TL_MODE_STRICT);
		assert_memory_equal(got, want, n);
	}
	free(got);
	free(want);
	return r;
}

/* ---- the walk ---- */

/* What the TA holds after the path, then cleaned up: REPORT equal to
 * the heap, and a fresh session's heap with no handle once the model is
 * closed and the held activation taken. */
static void check_clean(struct fixture *f, const char *what)
{
	struct sz_report r;
	struct sim_instance_info i;
	ts_report(&f->t, &r);
	ts_instance(&f->t, &i);
	assert_int_equal(r.heap_used, i.heap_used);
	assert_int_equal(r.heap_peak, i.heap_peak);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	size_t n = 1 << 16;
	void *out = malloc(n);
	TEEC_Result taken = ts_take(&f->t, out, &n);
	assert_true(taken == TEEC_SUCCESS || taken == TEEC_ERROR_BAD_STATE);
	free(out);
	ts_instance(&f->t, &i);
	if (i.heap_used != f->bare || i.handles != 0)
		fail_msg("%s: %llu bytes and %u handles left, a fresh session "
			 "holds %llu bytes and none", what,
			 (unsigned long long)i.heap_used, i.handles,
			 (unsigned long long)f->bare);
	assert_int_equal(sim_violation_count(), 0);
}

/* The fallible calls the path makes with none failing. */
static uint64_t count_calls(struct fixture *f, const struct path *p)
{
	ts_open(&f->t, &sz_uuid);
	sim_fault_set(0);
	assert_int_equal(p->run(f), TEEC_SUCCESS);
	uint64_t n = sim_fault_calls();
	check_clean(f, p->name);
	ts_close(&f->t);
	return n;
}

static void walk(struct fixture *f, const struct path *p)
{
	uint64_t n = count_calls(f, p), absorbed = 0;
	assert_true(n > 0);
	for (uint64_t k = 1; k <= n; k++) {
		ts_open(&f->t, &sz_uuid);
		sim_fault_set(k);
		TEEC_Result r = p->run(f);
		const char *call = sim_fault_fired();
		sim_fault_set(0);
		char what[128];
		snprintf(what, sizeof what, "%s, call %llu of %llu (%s)",
			 p->name, (unsigned long long)k,
			 (unsigned long long)n, call ? call : "none");
		if (call == NULL)
			fail_msg("%s: the path made fewer calls", what);
		if (r == TEEC_SUCCESS)
			absorbed++;
		else if (r != code_of(call))
			fail_msg("%s: the TA answered 0x%08x, the call failed "
				 "with 0x%08x", what, r, code_of(call));
		check_clean(f, what);
		assert_int_equal(p->run(f), TEEC_SUCCESS);	/* usable */
		check_clean(f, what);
		ts_close(&f->t);
	}
	print_message("%s: %llu fallible calls, each failed in turn: %llu "
		      "clean errors, %llu done without\n", p->name,
		      (unsigned long long)n, (unsigned long long)(n - absorbed),
		      (unsigned long long)absorbed);
}

static void test_plain_path(void **state)
{
	static const struct path p = { "OPEN_MODEL, LOAD_CHUNK..., RUN, "
				       "CLOSE_MODEL", plain_path };
	walk(*state, &p);
}

static void test_provision_path(void **state)
{
	static const struct path p = { "PROVISION_KEY", provision_path };
	walk(*state, &p);
}

static void test_encrypted_path(void **state)
{
	static const struct path p = { "encrypted OPEN_MODEL, LOAD_CHUNK..., "
				       "RUN, CLOSE_MODEL", encrypted_path };
	walk(*state, &p);
}

static void test_baseline_path(void **state)
{
	static const struct path p = { "HOLD_INPUT, two steps, TAKE_OUTPUT",
				       baseline_path };
	walk(*state, &p);
}

/* TA_OpenSessionEntryPoint: the property, the session's block. A failed
 * open leaves no instance; the next one opens. */
static void test_open_session(void **state)
{
	struct fixture *f = *state;
	sim_fault_set(0);
	ts_open(&f->t, &sz_uuid);
	uint64_t n = sim_fault_calls();
	ts_close(&f->t);
	assert_int_equal(n, 2);
	for (uint64_t k = 1; k <= n; k++) {
		TEEC_Context ctx;
		TEEC_Session s;
		uint32_t origin = 0;
		assert_int_equal(TEEC_InitializeContext(NULL, &ctx),
				 TEEC_SUCCESS);
		sim_fault_set(k);
		TEEC_Result r = TEEC_OpenSession(&ctx, &s, &sz_uuid,
						 TEEC_LOGIN_PUBLIC, NULL, NULL,
						 &origin);
		const char *call = sim_fault_fired();
		sim_fault_set(0);
		assert_non_null(call);
		assert_int_equal(origin, TEEC_ORIGIN_TRUSTED_APP);
		assert_int_equal(r, code_of(call));
		struct sim_memory_info mi;
		sim_memory(&mi);
		assert_int_equal(mi.instances, 0);
		TEEC_FinalizeContext(&ctx);
		ts_open(&f->t, &sz_uuid);
		ts_close(&f->t);
	}
}

/* TA_CloseSessionEntryPoint frees, scrubs and fails at nothing. */
static void test_close_session(void **state)
{
	struct fixture *f = *state;
	ts_open(&f->t, &sz_uuid);
	assert_int_equal(ts_hold(&f->t, f->digits.input,
				 f->digits.n_in * sizeof(float)), TEEC_SUCCESS);
	assert_int_equal(ts_load_encrypted(&f->t, &f->digits, f->sealed,
					   f->sealed_size, WINDOW),
			 TEEC_SUCCESS);
	sim_fault_set(0);
	ts_close(&f->t);
	assert_int_equal(sim_fault_calls(), 0);
}

static int up(void **state)
{
	if (sim_fixture_up(state))
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	tmodel_digits(&f->digits);
	uint32_t cut = 3, n = f->digits.m.layer_count;	/* after a maxpool */
	tmodel_step(&f->digits, 0, cut, &f->step[0]);
	tmodel_step(&f->digits, cut, n, &f->step[1]);
	f->sealed = ts_encrypt(&f->digits, key, 14, &f->sealed_size);
	/* the TA's sizes as planned for the encrypted model (the bounce
	 * buffer too), so that every path fits */
	ts_configure_for(&f->digits, true);
	f->bare = ts_open_bare(&f->t, &sz_uuid);
	ts_provision(&f->t, key);
	ts_close(&f->t);
	*state = f;
	return 0;
}

static int down(void **state)
{
	struct fixture *f = *state;
	sim_fault_set(0);
	tmodel_free(&f->digits);
	tmodel_free(&f->step[0]);
	tmodel_free(&f->step[1]);
	free(f->sealed);
	free(f);
	return sim_fixture_down(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, up, down)
		T(test_open_session),
		T(test_plain_path),
		T(test_provision_path),
		T(test_encrypted_path),
		T(test_baseline_path),
		T(test_close_session),
#undef T
	};
	return cmocka_run_group_tests_name("ta_faults", tests, NULL, NULL);
}
