/*
 * A plaintext model through the TA with every check on (the leakage
 * check after every call; the double-fetch trap where it runs; the
 * hostile-parameter driver): loaded in chunks, it runs in the TA to the
 * same bits as tl_run on the host, for the digits model and for a sample
 * Darknet cfg on the layout and TA sizes its plan gives; REPORT agrees
 * with the simulator's heap to the byte; the TA's stack use, measured.
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
#include "tl_darknet.h"

/* REPORT against what the TA was given and what the simulator saw. */
static void check_report(struct tsession *t, const struct tmodel *m,
			 uint64_t runs)
{
	struct sz_report r;
	struct sim_instance_info i;
	ts_report(t, &r);
	ts_instance(t, &i);
	assert_int_equal(r.state, 2);
	assert_int_equal(r.encrypted, 0);
	assert_int_equal(r.model_bytes, m->size);
	assert_int_equal(r.bytes_loaded, m->size);
	assert_int_equal(r.arena_bytes, m->plan->arena_size);
	assert_int_equal(r.plan_bytes, sizeof(struct tl_plan));
	assert_int_equal(r.layers, m->m.layer_count);
	assert_int_equal(r.tensors, m->m.tensor_count);
	assert_int_equal(r.runs, runs);
	/* the TA's own accounting is the simulator's heap, to the byte */
	assert_int_equal(r.heap_size, i.heap_size);
	assert_int_equal(r.heap_used, i.heap_used);
	assert_int_equal(r.heap_peak, i.heap_peak);
	printf("  %s: heap %llu of %llu bytes, peak %llu, stack %zu of %llu "
	       "bytes used, %llu MACs\n", m->name,
	       (unsigned long long)r.heap_used,
	       (unsigned long long)r.heap_size,
	       (unsigned long long)r.heap_peak, stack_used(&i),
	       (unsigned long long)i.stack_size, (unsigned long long)r.macs);
}

static void test_digits_runs_as_tl_run(void **state)
{
	(void)state;
	struct tmodel m;
	struct tsession t;
	struct sz_report after;
	tmodel_digits(&m);
	uint64_t bare = ts_open_bare(&t, &sz_uuid);
	/* a window of 4 KiB, one not a multiple of 16, the whole file */
	const size_t windows[] = { 4096, 1000, m.size };
	for (size_t w = 0; w < 3; w++) {
		assert_int_equal(ts_load(&t, &m, windows[w]), TEEC_SUCCESS);
		ts_check_runs(&t, &m);
		check_report(&t, &m, getenv("TL_TEST_QUICK") ? 1 : 2);
		assert_int_equal(ts_close_model(&t), TEEC_SUCCESS);
		ts_report(&t, &after);
		assert_int_equal(after.state, 0);
		assert_int_equal(after.heap_used, bare);
	}
	assert_int_equal(sim_violation_count(), 0);
	ts_close(&t);
	tmodel_free(&m);
}

/* Darknet's own multiply-add count for the cfg (N-Tinylib's reader). */
static uint64_t darknet_macs(const char *name)
{
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	struct tl_darknet_cfg cfg;
	struct tl_darknet_net net;
	if (tl_darknet_cfg_parse(text, n, path, &cfg, err, sizeof err) ||
	    tl_darknet_net_build(&cfg, &net, err, sizeof err))
		fail_msg("%s", err);
	uint64_t macs = net.macs;
	tl_darknet_net_free(&net);
	tl_darknet_cfg_free(&cfg);
	return macs;
}

/* A sample model far larger than the TA's compiled TA_DATA_SIZE, on the
 * TZDRAM layout and TA sizes its plan gives (the simulator's size
 * override: the TA as rebuilt with the plan's header). */
static void test_sample_cfg_runs_as_tl_run(void **state)
{
	(void)state;
	struct tmodel m;
	struct tsession t;
	struct sz_report r;
	tmodel_cfg(&m, "tiny");
	uint64_t planned = ts_configure_for(&m, false);
	ts_open(&t, &sz_uuid);
	assert_int_equal(ts_load(&t, &m, 1 << 20), TEEC_SUCCESS);
	ts_check_runs(&t, &m);
	check_report(&t, &m, getenv("TL_TEST_QUICK") ? 1 : 2);
	ts_report(&t, &r);
	assert_int_equal(r.heap_size, planned);
	assert_int_equal(r.macs, darknet_macs("tiny"));
	printf("  tiny: the plan's TA_DATA_SIZE %llu bytes, %llu left at the "
	       "peak\n", (unsigned long long)planned,
	       (unsigned long long)(planned - r.heap_peak));
	assert_int_equal(sim_violation_count(), 0);
	ts_close(&t);
	tmodel_free(&m);
}

/* The normal world rewrites every shared byte behind each read: a TA
 * that read one twice would be caught, and would load or run something
 * else than what it was sent. */
static void test_double_fetch_finds_nothing(void **state)
{
	(void)state;
	sim_fixture_double_fetch_on();
	struct tmodel m;
	struct tsession t;
	tmodel_digits(&m);
	ts_open(&t, &sz_uuid);
	assert_int_equal(ts_load(&t, &m, 4096), TEEC_SUCCESS);
	ts_check_runs(&t, &m);
	/* the input in registered memory: rewritten after the TA's copy */
	size_t n_in = m.n_in * sizeof(float), n_out = m.n_out * sizeof(float);
	float *in = malloc(n_in), *want = malloc(n_out);
	memcpy(in, m.input, n_in);
	tmodel_reference(&m, m.input, want, TL_MODE_STRICT);
	TEEC_SharedMemory min = { in, n_in, TEEC_MEM_INPUT, { 0 } };
	TEEC_SharedMemory mout = { .size = n_out, .flags = TEEC_MEM_OUTPUT };
	assert_int_equal(TEEC_RegisterSharedMemory(&t.ctx, &min), TEEC_SUCCESS);
	assert_int_equal(TEEC_AllocateSharedMemory(&t.ctx, &mout),
			 TEEC_SUCCESS);
	TEEC_Operation op = ts_op(TEEC_MEMREF_WHOLE, TEEC_MEMREF_WHOLE,
				  TEEC_VALUE_INPUT, TEEC_NONE);
	op.params[0].memref.parent = &min;
	op.params[1].memref.parent = &mout;
	op.params[2].value.a = SZ_MODE_STRICT;
	assert_int_equal(ts_invoke(&t, SZ_CMD_RUN, &op), TEEC_SUCCESS);
	assert_memory_equal(mout.buffer, want, n_out);
	assert_memory_not_equal(in, m.input, n_in);
	assert_int_equal(sim_violation_count_kind(SIM_V_DOUBLE_FETCH), 0);
	assert_int_equal(sim_violation_count(), 0);
	assert_int_equal(sim_hostile_set(0, NULL, 0), SIM_OK);
	TEEC_ReleaseSharedMemory(&min);
	TEEC_ReleaseSharedMemory(&mout);
	ts_close(&t);
	free(in);
	free(want);
	tmodel_free(&m);
}

static void show(const char *what, const struct sim_hostile_report *r)
{
	sztest_show(what, r);
	assert_true(r->n_cases >= 8);
	assert_int_equal(r->n_failed, 0);
}

/* RUN and REPORT (fixed inputs, deterministic outputs: what the driver
 * is for) and a chunk of LOAD_CHUNK, whose refusals must leave the load
 * as it was: the rest of the model still loads and runs. */
static void test_hostile_parameters_are_refused(void **state)
{
	(void)state;
	struct tmodel m;
	struct tsession t;
	struct sim_hostile_report *r = malloc(sizeof *r);
	tmodel_digits(&m);
	ts_open(&t, &sz_uuid);
	const size_t w = 4096;
	assert_int_equal(ts_open_model(&t, (uint32_t)m.size, 0, m.blob,
				       SZ_HEADER_BYTES,
				       (uint32_t)m.plan->arena_size),
			 TEEC_SUCCESS);
	assert_int_equal(ts_chunk(&t, 0, m.blob, w, false, NULL),
			 TEEC_SUCCESS);
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = (uint32_t)w;
	op.params[1].tmpref.buffer = m.blob + w;
	op.params[1].tmpref.size = w;
	assert_int_equal(sim_hostile_params(&t.s, SZ_CMD_LOAD_CHUNK, &op, r),
			 SIM_OK);
	show("LOAD_CHUNK", r);
	for (size_t off = 2 * w; off < m.size; off += w) {
		size_t len = m.size - off < w ? m.size - off : w;
		assert_int_equal(ts_chunk(&t, (uint32_t)off, m.blob + off, len,
					  off + len == m.size, NULL),
				 TEEC_SUCCESS);
	}
	ts_check_runs(&t, &m);
	float *out = malloc(m.n_out * sizeof(float));
	op = ts_run_op(&m, out, m.n_out * sizeof(float), SZ_MODE_STRICT);
	assert_int_equal(sim_hostile_params(&t.s, SZ_CMD_RUN, &op, r), SIM_OK);
	show("RUN", r);
	struct sz_report rep;
	op = ts_op(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = &rep;
	op.params[0].tmpref.size = sizeof rep;
	assert_int_equal(sim_hostile_params(&t.s, SZ_CMD_REPORT, &op, r),
			 SIM_OK);
	show("REPORT", r);
	assert_int_equal(sim_violation_count(), 0);
	ts_close(&t);
	free(out);
	free(r);
	tmodel_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_digits_runs_as_tl_run,
						sim_fixture_up,
						sim_fixture_down),
		cmocka_unit_test_setup_teardown(test_sample_cfg_runs_as_tl_run,
						sim_fixture_up,
						sim_fixture_down),
		cmocka_unit_test_setup_teardown(test_double_fetch_finds_nothing,
						sim_fixture_up,
						sim_fixture_down),
		cmocka_unit_test_setup_teardown(
			test_hostile_parameters_are_refused, sim_fixture_up,
			sim_fixture_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
