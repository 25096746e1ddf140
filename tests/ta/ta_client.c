#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/gcm.h>

#include "model_needs.h"
#include "sim_ta.h"
#include "ta_client.h"
#include "tl_darknet_import.h"
#include "tl_tlm_builder.h"

const TEEC_UUID sz_uuid = SZ_TA_UUID;
extern const struct sim_ta_desc sim_ta_desc_smartzone;

static uint8_t *aligned_copy(const void *p, size_t n)
{
	uint8_t *b = aligned_alloc(16, (n + 15) / 16 * 16);
	assert_non_null(b);
	memcpy(b, p, n);
	return b;
}

void tmodel_blob(struct tmodel *t, const char *name, uint8_t *blob,
		 size_t size)
{
	struct tl_model_error err;
	memset(t, 0, sizeof *t);
	t->name = name;
	t->blob = blob;
	t->size = size;
	if (tl_model_open(blob, size, &t->m, &err) != TL_OK) {
		char msg[256];
		tl_tlm_describe_error(&err, name, msg, sizeof msg);
		fail_msg("%s", msg);
	}
	t->plan = malloc(sizeof *t->plan);
	assert_non_null(t->plan);
	assert_int_equal(tl_plan(&t->m, t->plan), TL_OK);
	t->n_in = tl_model_input_elements(&t->m);
	t->n_out = tl_model_output_elements(&t->m);
	t->input = malloc(t->n_in * sizeof(float));
	assert_non_null(t->input);
	uint32_t x = 12345;	/* a fixed pseudo-random input in [0, 1) */
	for (size_t i = 0; i < t->n_in; i++) {
		x = x * 1664525u + 1013904223u;
		t->input[i] = (float)(x >> 8) / 16777216.0f;
	}
}

void tmodel_digits(struct tmodel *t)
{
	FILE *f = fopen("models/digits/digits.tlm", "rb");
	assert_non_null(f);
	uint8_t *buf = malloc(1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_true(n > 0 && n < (1 << 20));
	tmodel_blob(t, "digits", aligned_copy(buf, n), n);
	free(buf);
}

void tmodel_cfg(struct tmodel *t, const char *name)
{
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/%s.cfg", TL_ZOO_DIR, name);
	uint8_t *blob;
	size_t size;
	if (tl_darknet_convert_files(path, NULL, 1, &blob, &size, err,
				     sizeof err))
		fail_msg("%s", err);
	tmodel_blob(t, name, aligned_copy(blob, size), size);
	free(blob);
}

void tmodel_free(struct tmodel *t)
{
	free(t->blob);
	free(t->plan);
	free(t->input);
	memset(t, 0, sizeof *t);
}

void tmodel_reference(const struct tmodel *t, const float *in, float *out,
		      enum tl_mode mode)
{
	void *arena = aligned_alloc(16, (t->plan->arena_size + 15) / 16 * 16);
	assert_non_null(arena);
	assert_int_equal(tl_run(&t->m, t->plan, arena, t->plan->arena_size,
				in, out, mode), TL_OK);
	free(arena);
}

void ts_open(struct tsession *t, const TEEC_UUID *uuid)
{
	t->uuid = uuid;
	sim_open(&t->ctx, &t->s, uuid);
}

uint64_t ts_open_bare(struct tsession *t, const TEEC_UUID *uuid)
{
	struct sz_report r;
	ts_open(t, uuid);
	ts_report(t, &r);
	assert_int_equal(r.state, 0);
	return r.heap_used;
}

void ts_close(struct tsession *t)
{
	sim_close(&t->ctx, &t->s);
}

TEEC_Operation ts_op(uint32_t t0, uint32_t t1, uint32_t t2, uint32_t t3)
{
	return sztest_op(t0, t1, t2, t3);
}

TEEC_Result ts_invoke(struct tsession *t, uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;
	TEEC_Result r = TEEC_InvokeCommand(&t->s, cmd, op, &origin);
	if (r != TEEC_SUCCESS && origin != TEEC_ORIGIN_TRUSTED_APP)
		fail_msg("command %u: 0x%08x from origin %u, not the TA", cmd,
			 r, origin);
	return r;
}

TEEC_Result ts_open_model(struct tsession *t, uint32_t size, uint32_t flags,
			  const void *header, size_t header_len,
			  uint32_t arena)
{
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
				  TEEC_VALUE_INPUT, TEEC_NONE);
	op.params[0].value.a = size;
	op.params[0].value.b = flags;
	op.params[1].tmpref.buffer = (void *)header;
	op.params[1].tmpref.size = header_len;
	op.params[2].value.a = arena;
	return ts_invoke(t, SZ_CMD_OPEN_MODEL, &op);
}

TEEC_Result ts_chunk(struct tsession *t, uint32_t offset, const void *p,
		     size_t n, bool last, const uint8_t *tag)
{
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
				  tag ? TEEC_MEMREF_TEMP_INPUT : TEEC_NONE,
				  TEEC_NONE);
	op.params[0].value.a = offset;
	op.params[0].value.b = last ? SZ_CHUNK_LAST : 0;
	op.params[1].tmpref.buffer = (void *)p;
	op.params[1].tmpref.size = n;
	if (tag) {
		op.params[2].tmpref.buffer = (void *)tag;
		op.params[2].tmpref.size = SZ_GCM_TAG_BYTES;
	}
	return ts_invoke(t, SZ_CMD_LOAD_CHUNK, &op);
}

/* The chunks of data[0, n) window bytes at a time, the tag with the last. */
static TEEC_Result send_chunks(struct tsession *t, const uint8_t *data,
			       size_t n, size_t window, const uint8_t *tag)
{
	TEEC_Result r = TEEC_SUCCESS;
	for (size_t off = 0; off < n && r == TEEC_SUCCESS; off += window) {
		size_t len = n - off < window ? n - off : window;
		bool last = off + len == n;
		r = ts_chunk(t, (uint32_t)off, data + off, len, last,
			     last ? tag : NULL);
	}
	return r;
}

TEEC_Result ts_load(struct tsession *t, const struct tmodel *m, size_t window)
{
	TEEC_Result r = ts_open_model(t, (uint32_t)m->size, 0, m->blob,
				      SZ_HEADER_BYTES,
				      (uint32_t)m->plan->arena_size);
	return r != TEEC_SUCCESS ? r
				 : send_chunks(t, m->blob, m->size, window, NULL);
}

TEEC_Result ts_load_encrypted(struct tsession *t, const struct tmodel *m,
			      const uint8_t *image, size_t image_size,
			      size_t window)
{
	size_t hdr = sizeof(struct sz_enc_header);
	size_t n = image_size - hdr - SZ_GCM_TAG_BYTES;
	TEEC_Result r = ts_open_model(t, (uint32_t)n, SZ_OPEN_ENCRYPTED, image,
				      hdr, (uint32_t)m->plan->arena_size);
	return r != TEEC_SUCCESS ? r
				 : send_chunks(t, image + hdr, n, window,
					       image + hdr + n);
}

TEEC_Operation ts_run_op(const struct tmodel *m, float *out, size_t out_bytes,
			 uint32_t mode)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_INPUT,
				  TEEC_MEMREF_TEMP_OUTPUT, TEEC_VALUE_INPUT,
				  TEEC_NONE);
	op.params[0].tmpref.buffer = m->input;
	op.params[0].tmpref.size = m->n_in * sizeof(float);
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = out_bytes;
	op.params[2].value.a = mode;
	return op;
}

TEEC_Result ts_run(struct tsession *t, const struct tmodel *m, float *out,
		   uint32_t mode)
{
	TEEC_Operation op = ts_run_op(m, out, m->n_out * sizeof(float), mode);
	TEEC_Result r = ts_invoke(t, SZ_CMD_RUN, &op);
	if (r == TEEC_SUCCESS)
		assert_int_equal(op.params[1].tmpref.size,
				 m->n_out * sizeof(float));
	return r;
}

void ts_report(struct tsession *t, struct sz_report *r)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = r;
	op.params[0].tmpref.size = sizeof *r;
	assert_int_equal(ts_invoke(t, SZ_CMD_REPORT, &op), TEEC_SUCCESS);
	assert_int_equal(op.params[0].tmpref.size, sizeof *r);
}

TEEC_Result ts_close_model(struct tsession *t)
{
	TEEC_Operation op = ts_op(TEEC_NONE, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	return ts_invoke(t, SZ_CMD_CLOSE_MODEL, &op);
}

void ts_provision(struct tsession *t, const uint8_t key[SZ_KEY_BYTES])
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)key;
	op.params[0].tmpref.size = SZ_KEY_BYTES;
	assert_int_equal(ts_invoke(t, SZ_CMD_PROVISION_KEY, &op),
			 TEEC_SUCCESS);
}

void ts_check_runs(struct tsession *t, const struct tmodel *m)
{
	float *want = malloc(m->n_out * sizeof(float));
	float *got = malloc(m->n_out * sizeof(float));
	assert_true(want && got);
	int modes = getenv("TL_TEST_QUICK") ? 1 : 2;
	for (int mode = 0; mode < modes; mode++) {
		tmodel_reference(m, m->input, want, (enum tl_mode)mode);
		memset(got, 0xA5, m->n_out * sizeof(float));
		assert_int_equal(ts_run(t, m, got, (uint32_t)mode),
				 TEEC_SUCCESS);
		assert_memory_equal(got, want, m->n_out * sizeof(float));
	}
	free(want);
	free(got);
}

uint8_t *ts_encrypt(const struct tmodel *m, const uint8_t key[SZ_KEY_BYTES],
		    uint32_t seed, size_t *size)
{
	struct sz_enc_header h = { .magic = SZ_ENC_MAGIC,
				   .plaintext_bytes = m->size };
	for (unsigned i = 0; i < SZ_GCM_NONCE_BYTES; i++)
		h.nonce[i] = (uint8_t)(seed * 31u + i * 7u);
	*size = sizeof h + m->size + SZ_GCM_TAG_BYTES;
	uint8_t *out = malloc(*size);
	assert_non_null(out);
	memcpy(out, &h, sizeof h);
	mbedtls_gcm_context g;
	mbedtls_gcm_init(&g);
	assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key,
					    SZ_KEY_BYTES * 8), 0);
	assert_int_equal(mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT,
						   m->size, h.nonce,
						   SZ_GCM_NONCE_BYTES,
						   out, sizeof h, m->blob,
						   out + sizeof h,
						   SZ_GCM_TAG_BYTES,
						   out + sizeof h + m->size),
			 0);
	mbedtls_gcm_free(&g);
	return out;
}

void ts_instance(struct tsession *t, struct sim_instance_info *i)
{
	assert_int_equal(sim_session_instance(&t->s, i), SIM_OK);
}

static uint8_t *read_secure(uint64_t addr, uint64_t n)
{
	uint8_t *b = malloc(n ? n : 1);
	assert_non_null(b);
	assert_int_equal(sim_secure_read(addr, b, n), SIM_OK);
	return b;
}

size_t heap_residue(const struct sim_instance_info *i, uint64_t from)
{
	uint8_t *b = read_secure(i->heap_start, i->heap_size);
	size_t n = 0;
	for (uint64_t k = from; k < i->heap_size; k++)
		n += b[k] != 0;
	free(b);
	return n;
}

size_t stack_used(const struct sim_instance_info *i)
{
	uint8_t *b = read_secure(i->stack_start, i->stack_size);
	size_t k = 0;
	while (k < i->stack_size && b[k] == 0)
		k++;
	free(b);
	return i->stack_size - k;
}

uint64_t ts_configure_for(const struct tmodel *m, bool encrypted)
{
	static struct mm_platform p;
	static struct mm_plan pl;
	static struct sim_ta_sizes sizes;
	struct sz_model_needs needs;
	char err[320];
	if (sz_model_needs_blob(m->name, m->blob, m->size, &needs, err,
				sizeof err))
		fail_msg("%s", err);
	if (encrypted)
		needs.heap_slack += SZ_TA_DECRYPT_EXTRA;
	sim_fixture_platform("rpi3bplus", &p);
	struct mm_plan_input in = sz_model_plan_input(&needs, &p, 1);
	/* an instrumented build's code is larger than a board's */
	if (sim_ta_desc_smartzone.code_size > in.ta_code)
		in.ta_code = sim_ta_desc_smartzone.code_size;
	if (mm_plan(&in, &pl, err, sizeof err))
		fail_msg("mm_plan: %s", err);
	sizes = (struct sim_ta_sizes){ sz_uuid, (uint32_t)pl.ta_data_size,
				       (uint32_t)pl.ta_stack_size,
				       pl.ta_code_size };
	struct sim_config cfg = { .plan = &pl, .ta_sizes = &sizes,
				  .n_ta_sizes = 1 };
	sim_fixture_configure_cfg(&cfg);
	return pl.ta_data_size;
}

/* A tensor of m copied into b; returns its id there. */
static uint32_t copy_tensor(struct tl_tlm_builder *b, const struct tl_model *m,
			    uint32_t id)
{
	struct tl_tensor t;
	tl_model_tensor(m, id, &t);
	return t.kind == TL_TENSOR_PARAMETER
		       ? tl_tlm_add_parameter(b, t.data, t.c, t.h, t.w)
		       : tl_tlm_add_activation(b, t.c, t.h, t.w);
}

void tmodel_step(const struct tmodel *m, uint32_t first, uint32_t end,
		       struct tmodel *step)
{
	const struct tl_model *tm = &m->m;
	struct tl_tlm_builder b;
	tl_tlm_builder_init(&b);
	uint32_t *map = malloc(tm->tensor_count * sizeof *map);
	memset(map, 0xFF, tm->tensor_count * sizeof *map);	/* TL_NONE */
	struct tl_layer l;
	tl_model_layer(tm, first, &l);
	uint32_t in = l.inputs[0], out = in;
	map[in] = copy_tensor(&b, tm, in);
	for (uint32_t k = first; k < end; k++) {
		tl_model_layer(tm, k, &l);
		for (int i = 0; i < l.n_inputs; i++) {
			assert_int_not_equal(map[l.inputs[i]], TL_NONE);
			l.inputs[i] = map[l.inputs[i]];
		}
		if (l.weights != TL_NONE)
			l.weights = copy_tensor(&b, tm, l.weights);
		if (l.bias != TL_NONE)
			l.bias = copy_tensor(&b, tm, l.bias);
		out = l.output;
		l.output = map[out] = copy_tensor(&b, tm, out);
		assert_int_equal(tl_tlm_add_layer(&b, &l), 0);
	}
	tl_tlm_set_io(&b, map[in], map[out]);
	uint8_t *blob;
	size_t size;
	assert_int_equal(tl_tlm_finish(&b, &blob, &size), 0);
	tl_tlm_builder_free(&b);
	free(map);
	uint8_t *aligned = aligned_alloc(16, (size + 15) / 16 * 16);
	memcpy(aligned, blob, size);
	free(blob);
	tmodel_blob(step, "step", aligned, size);
}

TEEC_Result ts_hold(struct tsession *t, const void *in, size_t n)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)in;
	op.params[0].tmpref.size = n;
	return ts_invoke(t, SZ_CMD_HOLD_INPUT, &op);
}

TEEC_Result ts_run_held(struct tsession *t, uint32_t mode)
{
	TEEC_Operation op = ts_op(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
				  TEEC_NONE);
	op.params[0].value.a = mode;
	return ts_invoke(t, SZ_CMD_RUN_HELD, &op);
}

TEEC_Result ts_take(struct tsession *t, void *out, size_t *n)
{
	TEEC_Operation op = ts_op(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
				  TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = *n;
	TEEC_Result r = ts_invoke(t, SZ_CMD_TAKE_OUTPUT, &op);
	*n = op.params[0].tmpref.size;
	return r;
}
