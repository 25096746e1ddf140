/*
 * What the TA refuses, with which GlobalPlatform code (origin: the TA),
 * and what a refusal leaves behind: wrong parameter types for every
 * command, commands out of order, chunks out of order, overlapping,
 * oversized or wrongly flagged, headers that are not a model, a model or
 * an arena too large for the heap (nothing allocated), a corrupted model
 * (BAD_FORMAT, everything scrubbed), an arena smaller than the model
 * needs, short outputs (SHORT_BUFFER with the size needed); every file of
 * the corpus of malformed .tlm files (tests/corpus/tlm/), refused with
 * nothing kept; CLOSE_MODEL and the session's end leave no byte of the
 * model in the heap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "ta_client.h"
#include "ta_keep.h"
#include "tl_file.h"

static const TEEC_UUID keep_uuid = SZ_TA_KEEP_UUID;

struct fixture {
	struct tmodel m;
	struct tsession t;
	uint64_t session_heap;	/* what the TA holds with no model */
};

static int up(void **state)
{
	if (sim_fixture_up(state))
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	tmodel_digits(&f->m);
	f->session_heap = ts_open_bare(&f->t, &sz_uuid);
	*state = f;
	return 0;
}

static int down(void **state)
{
	struct fixture *f = *state;
	ts_close(&f->t);
	tmodel_free(&f->m);
	free(f);
	return sim_fixture_down(state);
}

/* Nothing of a load is left: the heap holds the session alone, and past
 * it nothing but the allocator's stale block headers is not zero. */
static void assert_scrubbed(struct fixture *f)
{
	struct sz_report r;
	struct sim_instance_info i;
	ts_report(&f->t, &r);
	ts_instance(&f->t, &i);
	assert_int_equal(r.state, 0);
	assert_int_equal(r.heap_used, f->session_heap);
	assert_int_equal(i.heap_used, f->session_heap);
	assert_true(heap_residue(&i, f->session_heap) <= 16 * 8);
}

static TEEC_Result call(struct fixture *f, uint32_t cmd, uint32_t types)
{
	TEEC_Operation op;
	memset(&op, 0, sizeof op);
	op.paramTypes = types;
	return ts_invoke(&f->t, cmd, &op);
}

static void test_wrong_types_are_bad_parameters(void **state)
{
	struct fixture *f = *state;
	const uint32_t none = TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE, TEEC_NONE,
					       TEEC_NONE);
	const uint32_t value = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
						TEEC_NONE, TEEC_NONE);
	for (uint32_t cmd = SZ_CMD_OPEN_MODEL; cmd <= SZ_CMD_TAKE_OUTPUT;
	     cmd++) {
		bool takes_none = cmd == SZ_CMD_CLOSE_MODEL;
		bool takes_value = cmd == SZ_CMD_RUN_HELD;
		if (!takes_none)
			assert_int_equal(call(f, cmd, none),
					 TEEC_ERROR_BAD_PARAMETERS);
		if (!takes_value)
			assert_int_equal(call(f, cmd, value),
					 TEEC_ERROR_BAD_PARAMETERS);
	}
	assert_int_equal(call(f, 99, none), TEEC_ERROR_NOT_SUPPORTED);
	/* LOAD_CHUNK's tag slot takes a memref or nothing */
	uint8_t byte = 0;
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
				  TEEC_VALUE_INPUT, TEEC_NONE);
	op.params[1].tmpref.buffer = &byte;
	op.params[1].tmpref.size = 1;
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_LOAD_CHUNK, &op),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_scrubbed(f);
}

static void test_commands_out_of_order_are_bad_state(void **state)
{
	struct fixture *f = *state;
	struct tmodel *m = &f->m;
	float out[10];
	assert_int_equal(ts_run(&f->t, m, out, SZ_MODE_STRICT),
			 TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_chunk(&f->t, 0, m->blob, 64, false, NULL),
			 TEEC_ERROR_BAD_STATE);
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
				  TEEC_NONE);
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_RUN_HELD, &op),
			 TEEC_ERROR_BAD_STATE);
	op = ts_op(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = sizeof out;
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_TAKE_OUTPUT, &op),
			 TEEC_ERROR_BAD_STATE);
	/* opened: not again, and no run before the last chunk */
	assert_int_equal(ts_open_model(&f->t, (uint32_t)m->size, 0, m->blob,
				       SZ_HEADER_BYTES,
				       (uint32_t)m->plan->arena_size),
			 TEEC_SUCCESS);
	assert_int_equal(ts_open_model(&f->t, (uint32_t)m->size, 0, m->blob,
				       SZ_HEADER_BYTES,
				       (uint32_t)m->plan->arena_size),
			 TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_run(&f->t, m, out, SZ_MODE_STRICT),
			 TEEC_ERROR_BAD_STATE);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	assert_scrubbed(f);
	/* loaded: no more chunks */
	assert_int_equal(ts_load(&f->t, m, 4096), TEEC_SUCCESS);
	assert_int_equal(ts_chunk(&f->t, (uint32_t)m->size - 4,
				  m->blob + m->size - 4, 4, true, NULL),
			 TEEC_ERROR_BAD_STATE);
	ts_check_runs(&f->t, m);
}

/* Chunks refused for their parameters change nothing: the load goes on
 * and the model runs. */
static void test_chunks_out_of_order_are_refused(void **state)
{
	struct fixture *f = *state;
	struct tmodel *m = &f->m;
	const uint8_t *b = m->blob;
	const uint32_t w = 4096, size = (uint32_t)m->size;
	assert_int_equal(ts_open_model(&f->t, size, 0, b, SZ_HEADER_BYTES,
				       (uint32_t)m->plan->arena_size),
			 TEEC_SUCCESS);
	assert_int_equal(ts_chunk(&f->t, w, b + w, w, false, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);		/* a gap */
	assert_int_equal(ts_chunk(&f->t, 0, b, w, false, NULL), TEEC_SUCCESS);
	assert_int_equal(ts_chunk(&f->t, 0, b, w, false, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);		/* again */
	assert_int_equal(ts_chunk(&f->t, w - 16, b + w - 16, w, false, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);		/* overlap */
	assert_int_equal(ts_chunk(&f->t, w, NULL, 0, false, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);		/* empty */
	uint8_t *longer = calloc(1, size);
	assert_int_equal(ts_chunk(&f->t, w, longer, size, true, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);		/* too long */
	free(longer);
	assert_int_equal(ts_chunk(&f->t, w, b + w, w, true, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);	/* last, not the end */
	assert_int_equal(ts_chunk(&f->t, w, b + w, size - w, false, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);	/* the end, not last */
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = w;
	op.params[0].value.b = 2;			/* an unknown flag */
	op.params[1].tmpref.buffer = (void *)(b + w);
	op.params[1].tmpref.size = size - w;
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_LOAD_CHUNK, &op),
			 TEEC_ERROR_BAD_PARAMETERS);
	uint8_t tag[SZ_GCM_TAG_BYTES] = { 0 };	/* a tag, not encrypted */
	assert_int_equal(ts_chunk(&f->t, w, b + w, size - w, true, tag),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ts_chunk(&f->t, w, b + w, size - w, true, NULL),
			 TEEC_SUCCESS);
	ts_check_runs(&f->t, m);
}

static void test_headers_that_are_no_model_are_refused(void **state)
{
	struct fixture *f = *state;
	struct tmodel *m = &f->m;
	uint32_t size = (uint32_t)m->size, arena = (uint32_t)m->plan->arena_size;
	uint8_t h[SZ_HEADER_BYTES + 1];
	memcpy(h, m->blob, sizeof h);
	assert_int_equal(ts_open_model(&f->t, size, 0, h, 63, arena),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ts_open_model(&f->t, size, 0, h, 65, arena),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ts_open_model(&f->t, size, 4, h, 64, arena),
			 TEEC_ERROR_BAD_PARAMETERS);		/* a flag */
	assert_int_equal(ts_open_model(&f->t, size, 0, h, 64, 0),
			 TEEC_ERROR_BAD_PARAMETERS);		/* no arena */
	assert_int_equal(ts_open_model(&f->t, size - 16, 0, h, 64, arena),
			 TEEC_ERROR_BAD_FORMAT);	/* not its file size */
	/* magic, major version, flags, layer count, tensor count */
	const size_t field[] = { 0, 4, 8, 29, 21 };
	for (size_t k = 0; k < 5; k++) {
		memcpy(h, m->blob, sizeof h);
		h[field[k]] ^= 0x40;
		assert_int_equal(ts_open_model(&f->t, size, 0, h, 64, arena),
				 TEEC_ERROR_BAD_FORMAT);
	}
	assert_scrubbed(f);
}

/* The TA compiled for digits (TA_DATA_SIZE from ta_sizes.h) and models
 * that do not fit it: refused before anything is allocated. */
static void test_too_large_is_out_of_memory(void **state)
{
	struct fixture *f = *state;
	struct tmodel tiny;
	tmodel_cfg(&tiny, "tiny");
	assert_int_equal(ts_load(&f->t, &tiny, 1 << 20),
			 TEEC_ERROR_OUT_OF_MEMORY);
	assert_scrubbed(f);
	struct sim_instance_info i;
	ts_instance(&f->t, &i);
	assert_int_equal(i.heap_peak, f->session_heap);	/* never allocated */
	/* sizes whose sum would overflow 32 bits */
	uint8_t h[SZ_HEADER_BYTES];
	memcpy(h, f->m.blob, sizeof h);
	h[16] = h[17] = h[18] = h[19] = 0xFF;		/* file size */
	assert_int_equal(ts_open_model(&f->t, 0xFFFFFFFFu, 0, h, sizeof h,
				       0xFFFFFFFFu), TEEC_ERROR_OUT_OF_MEMORY);
	/* the model fits, its arena does not */
	assert_int_equal(ts_open_model(&f->t, (uint32_t)f->m.size, 0,
				       f->m.blob, SZ_HEADER_BYTES,
				       (uint32_t)i.heap_size),
			 TEEC_ERROR_OUT_OF_MEMORY);
	ts_instance(&f->t, &i);
	assert_int_equal(i.heap_peak, f->session_heap);
	assert_scrubbed(f);
	tmodel_free(&tiny);
}

static void test_corrupted_model_is_bad_format(void **state)
{
	struct fixture *f = *state;
	struct tmodel *m = &f->m;
	uint8_t byte = m->blob[m->size / 2];
	m->blob[m->size / 2] ^= 1;	/* a weight: only the CRC sees it */
	assert_int_equal(ts_load(&f->t, m, 4096), TEEC_ERROR_BAD_FORMAT);
	m->blob[m->size / 2] = byte;
	assert_scrubbed(f);
	/* an arena smaller than the model's plan */
	assert_int_equal(ts_open_model(&f->t, (uint32_t)m->size, 0, m->blob,
				       SZ_HEADER_BYTES,
				       (uint32_t)m->plan->arena_size - 16),
			 TEEC_SUCCESS);
	assert_int_equal(ts_chunk(&f->t, 0, m->blob, m->size, true, NULL),
			 TEEC_ERROR_BAD_PARAMETERS);
	assert_scrubbed(f);
	assert_int_equal(ts_load(&f->t, m, 4096), TEEC_SUCCESS);
	ts_check_runs(&f->t, m);
}

/* A file of the malformed corpus sent as a client would send it: the
 * header OPEN_MODEL takes (what of it there is), then the whole file as
 * one chunk, with an arena any of them would fit. */
static TEEC_Result load_malformed(struct fixture *f, const uint8_t *b,
				  size_t n)
{
	TEEC_Result r = ts_open_model(&f->t, (uint32_t)n, 0, b,
				      n < SZ_HEADER_BYTES ? n : SZ_HEADER_BYTES,
				      1u << 16);
	return r != TEEC_SUCCESS ? r : ts_chunk(&f->t, 0, b, n, true, NULL);
}

/* tests/corpus/tlm/ through the TA: each refused with BAD_FORMAT (or
 * BAD_PARAMETERS for a header shorter than a header), nothing kept. */
static void test_the_malformed_corpus_is_refused(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(TL_CORPUS_DIR "/tlm");
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		const char *dot = strrchr(de->d_name, '.');
		if (dot == NULL || strcmp(dot, ".tlm") != 0)
			continue;
		char path[320];
		snprintf(path, sizeof path, "%s/tlm/%s", TL_CORPUS_DIR,
			 de->d_name);
		uint8_t *b;
		size_t len;
		char err[320];
		assert_int_equal(tl_read_file(path, &b, &len, err, sizeof err),
				 0);
		TEEC_Result r = load_malformed(f, b, len);
		if (r != TEEC_ERROR_BAD_FORMAT &&
		    !(r == TEEC_ERROR_BAD_PARAMETERS && len < SZ_HEADER_BYTES))
			fail_msg("%s: 0x%08x from the TA", de->d_name, r);
		free(b);
		assert_scrubbed(f);
		n++;
	}
	closedir(d);
	print_message("%zu malformed .tlm files refused by the TA\n", n);
	assert_true(n >= 100);
	assert_int_equal(sim_violation_count(), 0);
}

static void test_short_outputs_say_the_size(void **state)
{
	struct fixture *f = *state;
	struct tmodel *m = &f->m;
	assert_int_equal(ts_load(&f->t, m, 4096), TEEC_SUCCESS);
	float out[10];
	TEEC_Operation op = ts_run_op(m, out, sizeof out - 1, SZ_MODE_STRICT);
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_RUN, &op),
			 TEEC_ERROR_SHORT_BUFFER);
	assert_int_equal(op.params[1].tmpref.size, sizeof out);
	op.params[1].tmpref.size = sizeof out;
	op.params[0].tmpref.size -= 4;			/* a short input */
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_RUN, &op),
			 TEEC_ERROR_BAD_PARAMETERS);
	op.params[0].tmpref.size += 4;
	op.params[2].value.a = 2;			/* no such mode */
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_RUN, &op),
			 TEEC_ERROR_BAD_PARAMETERS);
	struct sz_report r;
	op = ts_op(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = &r;
	op.params[0].tmpref.size = sizeof r - 8;
	assert_int_equal(ts_invoke(&f->t, SZ_CMD_REPORT, &op),
			 TEEC_ERROR_SHORT_BUFFER);
	assert_int_equal(op.params[0].tmpref.size, sizeof r);
	ts_report(&f->t, &r);
	assert_int_equal(r.runs, 0);
}

/* CLOSE_MODEL scrubs; and what the TA leaves when its session closes,
 * read from an instance that outlives the session. */
static void test_close_scrubs(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(ts_load(&f->t, &f->m, 4096), TEEC_SUCCESS);
	ts_check_runs(&f->t, &f->m);
	assert_int_equal(ts_close_model(&f->t), TEEC_SUCCESS);
	assert_scrubbed(f);
	struct tsession k;
	struct sim_instance_info i;
	ts_open(&k, &keep_uuid);
	assert_int_equal(ts_load(&k, &f->m, 4096), TEEC_SUCCESS);
	ts_check_runs(&k, &f->m);
	ts_instance(&k, &i);
	assert_true(heap_residue(&i, 0) > f->m.size / 2);
	ts_close(&k);
	/* the instance lives on: its heap, as the TA left it */
	size_t left = heap_residue(&i, 0);
	printf("  after the session: %zu heap bytes not zero (block headers)"
	       "\n", left);
	assert_true(left <= 16 * 8);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, up, down)
	const struct CMUnitTest tests[] = {
		T(test_wrong_types_are_bad_parameters),
		T(test_commands_out_of_order_are_bad_state),
		T(test_chunks_out_of_order_are_refused),
		T(test_headers_that_are_no_model_are_refused),
		T(test_too_large_is_out_of_memory),
		T(test_corrupted_model_is_bad_format),
		T(test_the_malformed_corpus_is_refused),
		T(test_short_outputs_say_the_size),
		T(test_close_scrubs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
