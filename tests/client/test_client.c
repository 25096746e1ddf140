/*
 * N-Tinylib's client (tl_client.h) with a plaintext model, against the
 * real TA in the simulator: the digits model provisioned and run on its
 * ten samples gives S-Tinylib's host outputs bit for bit; the progress
 * callback's calls; windows and chunks; the report; and the error
 * sentences, from the normal side's refusals to the TEE's codes with
 * their GlobalPlatform names and origins.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "client_fixture.h"
#include "sim.h"
#include "tl_client.h"

static char err[512];

static void open_ok(struct tl_client *c)
{
	if (tl_client_open(c, NULL, err, sizeof err))
		fail_msg("%s", err);
}

static void load_ok(struct tl_client *c, uint64_t window)
{
	struct tl_client_load_opts o = { .window = window };
	if (tl_client_load_file(c, CF_DIGITS, &o, err, sizeof err))
		fail_msg("%s", err);
}

struct calls { uint64_t done[64], total; size_t n; };

static void record(void *arg, uint64_t done, uint64_t total)
{
	struct calls *k = arg;
	if (k->n < 64)
		k->done[k->n] = done;
	k->n++;
	k->total = total;
}

/* Every sample recognised, each output what S-Tinylib gives on the
 * host, bit for bit; the report says what the TA holds and did. */
static void test_digits(void **state)
{
	(void)state;
	struct cf_model m;
	cf_digits(&m);
	struct tl_client c;
	open_ok(&c);
	load_ok(&c, 4096);
	assert_int_equal(c.model.file_bytes, m.size);
	assert_int_equal(c.model.arena_bytes, m.arena);
	assert_int_equal(c.model.input_elements, CF_IN);
	assert_int_equal(c.model.output_elements, CF_OUT);
	assert_int_equal(c.model.chunks, (m.size + 4095) / 4096);
	for (int d = 0; d < CF_SAMPLES; d++) {
		float x[CF_IN], y[CF_OUT], ref[CF_OUT];
		size_t n;
		cf_sample(d, x);
		cf_reference(&m, x, ref);
		if (tl_client_run(&c, x, CF_IN, y, CF_OUT, &n, SZ_MODE_STRICT,
				  err, sizeof err))
			fail_msg("%s", err);
		assert_int_equal(n, CF_OUT);
		assert_memory_equal(y, ref, sizeof y);
		int best = 0;
		for (int i = 1; i < CF_OUT; i++)
			best = y[i] > y[best] ? i : best;
		assert_int_equal(best, d);
	}
	struct sz_report r;
	if (tl_client_report(&c, &r, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(r.model_bytes, m.size);
	assert_int_equal(r.bytes_loaded, m.size);
	assert_int_equal(r.layers, 7);
	assert_int_equal(r.runs, CF_SAMPLES);
	assert_int_equal(r.state, 2);
	assert_int_equal(r.encrypted, 0);
	assert_true(r.arena_bytes >= m.arena);
	assert_true(r.macs > 0);
	tl_client_close(&c);
	tl_client_close(&c);	/* twice is fine */
	cf_model_free(&m);
}

/* The fast mode runs too; the digits agree with strict mode's. */
static void test_fast(void **state)
{
	(void)state;
	struct tl_client c;
	open_ok(&c);
	load_ok(&c, 0);
	assert_int_equal(c.model.chunks, 1);	/* the 1 MiB default */
	float x[CF_IN], y[CF_OUT];
	size_t n;
	cf_sample(4, x);
	if (tl_client_run(&c, x, CF_IN, y, CF_OUT, &n, SZ_MODE_FAST, err,
			  sizeof err))
		fail_msg("%s", err);
	int best = 0;
	for (int i = 1; i < CF_OUT; i++)
		best = y[i] > y[best] ? i : best;
	assert_int_equal(best, 4);
	tl_client_close(&c);
}

/* Called once after OPEN_MODEL with 0, then after every chunk, rising to
 * the file's size. */
static void test_progress(void **state)
{
	(void)state;
	struct tl_client c;
	struct calls k = { .n = 0 };
	open_ok(&c);
	struct tl_client_load_opts o = { .window = 32768, .progress = record,
					 .progress_arg = &k };
	if (tl_client_load_file(&c, CF_DIGITS, &o, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(k.n, c.model.chunks + 1);
	assert_int_equal(k.done[0], 0);
	for (size_t i = 1; i < k.n; i++)
		assert_true(k.done[i] > k.done[i - 1]);
	assert_int_equal(k.done[k.n - 1], c.model.file_bytes);
	assert_int_equal(k.total, c.model.file_bytes);
	tl_client_close(&c);
}

/* What crossed: the session's counters against the calls made. */
static void test_counters(void **state)
{
	(void)state;
	struct tl_client c;
	open_ok(&c);
	load_ok(&c, 8192);
	struct sim_counters n;
	assert_int_equal(sim_counters_session(&c.session, &n), SIM_OK);
	/* open, OPEN_MODEL, the chunks; the window from the pool, no SMC */
	assert_int_equal(n.smc, 2 + c.model.chunks);
	assert_int_equal(n.bytes_to_secure, SZ_HEADER_BYTES +
			 c.model.file_bytes);
	assert_int_equal(n.bounce_copy_bytes, 0);
	tl_client_close(&c);
}

/* A blob anywhere in memory (tl_model_open wants 16-byte alignment; the
 * client copies when it must), and a caller's arena. */
static void test_blob(void **state)
{
	(void)state;
	struct cf_model m;
	cf_digits(&m);
	uint8_t *odd = malloc(m.size + 1);
	assert_non_null(odd);
	memcpy(odd + 1, m.blob, m.size);
	struct tl_client c;
	open_ok(&c);
	if (tl_client_load_blob(&c, odd + 1, m.size, NULL, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(c.model.arena_bytes, m.arena);
	struct tl_client_load_opts o = { .window = 65536, .arena = m.arena };
	if (tl_client_load_blob(&c, m.blob, m.size, &o, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(c.model.input_elements, 0);	/* not checked here */
	float x[CF_IN], y[CF_OUT], ref[CF_OUT];
	size_t n;
	cf_sample(8, x);
	cf_reference(&m, x, ref);
	if (tl_client_run(&c, x, CF_IN, y, CF_OUT, &n, SZ_MODE_STRICT, err,
			  sizeof err))
		fail_msg("%s", err);
	assert_memory_equal(y, ref, sizeof y);
	/* an arena smaller than the model's plan: the TA refuses it */
	o.arena = 16;
	assert_int_equal(tl_client_load_blob(&c, m.blob, m.size, &o, err,
					     sizeof err), TL_CLIENT_E_TEE);
	assert_non_null(strstr(err, "LOAD_CHUNK"));
	assert_non_null(strstr(err, "0xffff0006 (TEEC_ERROR_BAD_PARAMETERS) "
				    "from TEEC_ORIGIN_TRUSTED_APP"));
	assert_false(c.loaded);
	tl_client_close(&c);
	free(odd);
	cf_model_free(&m);
}

/* What the normal side refuses before anything enters the TEE. */
static void test_normal_side_errors(void **state)
{
	(void)state;
	struct cf_model m;
	cf_digits(&m);
	struct tl_client c;
	open_ok(&c);
	assert_int_equal(tl_client_load_file(&c, "no/such.tlm", NULL, err,
					     sizeof err), TL_CLIENT_E_IO);
	assert_string_equal(err, "no/such.tlm: No such file or directory");
	/* a directory, and a device with no size to send a model by */
	assert_int_equal(tl_client_load_file(&c, "models", NULL, err,
					     sizeof err), TL_CLIENT_E_IO);
	assert_string_equal(err, "models: is a directory, not a file; give "
			    "a file, or the model in memory "
			    "(tl_client_load_blob)");
	assert_int_equal(tl_client_load_file(&c, "/dev/zero", NULL, err,
					     sizeof err), TL_CLIENT_E_IO);
	assert_non_null(strstr(err, "/dev/zero: a character device, not a "
				    "regular file; give a file"));
	m.blob[100] ^= 1;	/* the CRC no longer matches */
	const char *bad = cf_path("bad.tlm");
	cf_write(bad, m.blob, m.size);
	assert_int_equal(tl_client_load_file(&c, bad, NULL, err, sizeof err),
			 TL_CLIENT_E_MODEL);
	assert_non_null(strstr(err, bad));
	assert_non_null(strstr(err, "crc"));
	cf_write(bad, "P5 8 8 16\n", 10);	/* not a model at all */
	assert_int_equal(tl_client_load_file(&c, bad, NULL, err, sizeof err),
			 TL_CLIENT_E_MODEL);
	struct tl_client_load_opts o = { .window = 4095 };
	assert_int_equal(tl_client_load_file(&c, CF_DIGITS, &o, err,
					     sizeof err), TL_CLIENT_E_ARG);
	assert_string_equal(err, "a window of 4095 bytes: at least 4096 are "
			    "needed");
	float x[CF_IN], y[CF_OUT];
	size_t n;
	assert_int_equal(tl_client_run(&c, x, CF_IN, y, CF_OUT, &n,
				       SZ_MODE_STRICT, err, sizeof err),
			 TL_CLIENT_E_ARG);
	assert_string_equal(err, "running the model: no model loaded");
	struct sim_counters k;
	sim_counters_session(&c.session, &k);
	assert_int_equal(k.invokes, 0);		/* nothing reached the TA */
	tl_client_close(&c);
	cf_model_free(&m);
}

/* The TEE's refusals: code, GlobalPlatform name, origin, a hint. */
static void test_tee_errors(void **state)
{
	(void)state;
	struct tl_client c;
	const TEEC_UUID other = { 0x12345678, 0, 0, { 0 } };
	assert_int_equal(tl_client_open(&c, &other, err, sizeof err),
			 TL_CLIENT_E_TEE);
	assert_non_null(strstr(err, "opening a session with the Smart-Zone "
				    "TA: 0xffff0008 (TEEC_ERROR_ITEM_NOT_FOUND)"
				    " from TEEC_ORIGIN_TEE; no such TA: is the "
				    "Smart-Zone TA installed?"));
	assert_int_equal(c.last_result, TEEC_ERROR_ITEM_NOT_FOUND);
	assert_int_equal(c.last_origin, TEEC_ORIGIN_TEE);
	tl_client_close(&c);
	/* a TA built with too small a heap: DarkneTZ's 0xffff000c */
	cf_configure(0x10000);
	open_ok(&c);
	assert_int_equal(tl_client_load_file(&c, CF_DIGITS, NULL, err,
					     sizeof err), TL_CLIENT_E_TEE);
	assert_string_equal(err, "opening the model in the TA (OPEN_MODEL): "
			    "0xffff000c (TEEC_ERROR_OUT_OF_MEMORY) from "
			    "TEEC_ORIGIN_TRUSTED_APP; the TA's memory "
			    "(TA_DATA_SIZE, TA_RAM) does not hold the model: "
			    "`smartzone plan` gives the settings that do");
	assert_int_equal(c.last_result, TEEC_ERROR_OUT_OF_MEMORY);
	assert_int_equal(c.last_origin, TEEC_ORIGIN_TRUSTED_APP);
	tl_client_close(&c);
	cf_configure(0);
}

/* The entry of c's record for this call, or NULL. */
static const struct tl_client_call *recorded(const struct tl_client *c,
					     uint32_t kind, uint32_t command,
					     uint32_t result)
{
	for (size_t i = 0; i < c->calls.n; i++) {
		const struct tl_client_call *e = &c->calls.entry[i];
		if (e->kind == kind && e->command == command &&
		    e->result == result)
			return e;
	}
	return NULL;
}

/* The client's record of its calls, what make qemu-check holds a run on
 * OP-TEE against the simulator with: every TEEC call, in the order kinds
 * first happened, alike calls counted together, failures with their
 * result and origin, temporary memrefs counted. */
static void test_call_record(void **state)
{
	(void)state;
	struct tl_client c;
	open_ok(&c);
	load_ok(&c, 8192);
	float x[CF_IN], y[CF_OUT];
	cf_sample(3, x);
	size_t n;
	for (int i = 0; i < 3; i++)
		assert_int_equal(tl_client_run(&c, x, CF_IN, y, CF_OUT, &n,
					       SZ_MODE_STRICT, err, sizeof err),
				 TL_CLIENT_OK);
	/* a refused run: the input one float short */
	assert_int_equal(tl_client_run(&c, x, CF_IN - 1, y, CF_OUT, &n,
				       SZ_MODE_STRICT, err, sizeof err),
			 TL_CLIENT_E_TEE);
	tl_client_close(&c);
	static const uint32_t order[] = { TL_CALL_INITIALIZE_CONTEXT,
		TL_CALL_OPEN_SESSION, TL_CALL_ALLOCATE_SHARED_MEMORY };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(c.calls.entry[i].kind, order[i]);
	const struct tl_client_call *e =
		recorded(&c, TL_CALL_INVOKE_COMMAND, SZ_CMD_LOAD_CHUNK, 0);
	assert_non_null(e);
	assert_int_equal(e->count, c.model.chunks);
	assert_int_equal(e->origin, TEEC_ORIGIN_TRUSTED_APP);
	e = recorded(&c, TL_CALL_INVOKE_COMMAND, SZ_CMD_RUN, 0);
	assert_non_null(e);
	assert_int_equal(e->count, 3);
	e = recorded(&c, TL_CALL_INVOKE_COMMAND, SZ_CMD_RUN,
		     TEEC_ERROR_BAD_PARAMETERS);
	assert_non_null(e);
	assert_int_equal(e->count, 1);
	assert_int_equal(e->origin, TEEC_ORIGIN_TRUSTED_APP);
	assert_non_null(recorded(&c, TL_CALL_RELEASE_SHARED_MEMORY, 0, 0));
	assert_non_null(recorded(&c, TL_CALL_CLOSE_SESSION, 0, 0));
	assert_non_null(recorded(&c, TL_CALL_FINALIZE_CONTEXT, 0, 0));
	/* init, open, allocate, OPEN_MODEL, chunks, release, 4 runs, close,
	 * finalize */
	assert_int_equal(c.calls.total, 11 + c.model.chunks);
	assert_int_equal(c.calls.temp_memrefs, 4 * 2);
	assert_int_equal(c.calls.unrecorded, 0);
	assert_string_equal(tl_client_call_name(TL_CALL_INVOKE_COMMAND),
			    "TEEC_InvokeCommand");
	assert_string_equal(tl_client_command_name(SZ_CMD_PROVISION_KEY),
			    "PROVISION_KEY");
	assert_string_equal(tl_client_command_name(99), "?");
}

/* Outputs that do not fit say how many there are; a wrong input size is
 * the TA's to refuse. */
static void test_run_sizes(void **state)
{
	(void)state;
	struct tl_client c;
	open_ok(&c);
	load_ok(&c, 0);
	float x[CF_IN + 1] = { 0 }, y[CF_OUT];
	size_t n = 0;
	assert_int_equal(tl_client_run(&c, x, CF_IN, y, 3, &n, SZ_MODE_STRICT,
				       err, sizeof err), TL_CLIENT_E_SHORT);
	assert_int_equal(n, CF_OUT);
	assert_int_equal(tl_client_run(&c, x, CF_IN, NULL, 0, &n,
				       SZ_MODE_STRICT, err, sizeof err),
			 TL_CLIENT_E_SHORT);
	assert_int_equal(n, CF_OUT);
	assert_int_equal(tl_client_run(&c, x, CF_IN + 1, y, CF_OUT, &n,
				       SZ_MODE_STRICT, err, sizeof err),
			 TL_CLIENT_E_TEE);
	assert_non_null(strstr(err, "running the model (RUN): 0xffff0006 "
				    "(TEEC_ERROR_BAD_PARAMETERS) from "
				    "TEEC_ORIGIN_TRUSTED_APP"));
	/* no room left in the shared memory for RUN's buffers: the API's
	 * 0xffff000c, said to be the shared memory's, not the TA's */
	TEEC_SharedMemory all = { .size = 4u << 20,
				  .flags = TEEC_MEM_INPUT };
	assert_int_equal(TEEC_AllocateSharedMemory(&c.ctx, &all),
			 TEEC_SUCCESS);
	assert_int_equal(tl_client_run(&c, x, CF_IN, y, CF_OUT, &n,
				       SZ_MODE_STRICT, err, sizeof err),
			 TL_CLIENT_E_TEE);
	assert_string_equal(err, "running the model (RUN): 0xffff000c "
			    "(TEEC_ERROR_OUT_OF_MEMORY) from TEEC_ORIGIN_API; "
			    "the client library found no room in the shared "
			    "memory for the call's buffers (temporary memrefs "
			    "go through the static shared memory, "
			    "CFG_SHMEM_SIZE): `smartzone plan` says what one "
			    "inference needs");
	TEEC_ReleaseSharedMemory(&all);
	tl_client_close(&c);
}

/* A second load replaces the first; unloading scrubs the model. */
static void test_reload_unload(void **state)
{
	(void)state;
	struct tl_client c;
	struct sz_report r;
	open_ok(&c);
	load_ok(&c, 0);
	load_ok(&c, 16384);
	if (tl_client_unload(&c, err, sizeof err) ||
	    tl_client_report(&c, &r, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(r.state, 0);
	assert_int_equal(r.model_bytes, 0);
	assert_false(c.loaded);
	tl_client_close(&c);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(tl_client_result_name(0xffff000c),
			    "TEEC_ERROR_OUT_OF_MEMORY");
	assert_string_equal(tl_client_result_name(0xffff3024),
			    "TEEC_ERROR_TARGET_DEAD");
	assert_string_equal(tl_client_result_name(0xffff3071),
			    "TEE_ERROR_MAC_INVALID");
	assert_string_equal(tl_client_result_name(0x12345678), "unknown");
	assert_string_equal(tl_client_origin_name(TEEC_ORIGIN_API),
			    "TEEC_ORIGIN_API");
	assert_string_equal(tl_client_origin_name(TEEC_ORIGIN_TRUSTED_APP),
			    "TEEC_ORIGIN_TRUSTED_APP");
	assert_string_equal(tl_client_origin_name(9), "unknown");
	assert_string_equal(tl_client_status_str(TL_CLIENT_E_TEE),
			    "TEE call failed");
	assert_string_equal(tl_client_status_str(99), "unknown status");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, cf_up, cf_down)
	const struct CMUnitTest tests[] = {
		T(test_digits), T(test_fast), T(test_progress),
		T(test_counters),
		T(test_call_record), T(test_blob), T(test_normal_side_errors),
		T(test_tee_errors), T(test_run_sizes), T(test_reload_unload),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
