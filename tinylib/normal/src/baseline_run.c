/*
 * The baseline's inference (tl_baseline.h): the steps streamed into the
 * TA again on every run, as a non-memory-optimised deployment must when
 * the model does not fit its secure memory. The commands and their
 * parameters are ta/include/smartzone_ta.h's; a sealed step (.tlme,
 * tl_baseline_seal) is sent as Smart-Zone sends an encrypted model.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "client_internal.h"
#include "tl_baseline.h"
#include "tl_tlme.h"

#define OP(a, b, c) { .paramTypes = TEEC_PARAM_TYPES(a, b, c, TEEC_NONE) }

/* "step 2 of 5 (layers 4..9): " */
static void step_what(char *what, size_t len, const struct tl_baseline *b,
		      size_t i, const char *doing)
{
	const struct tl_baseline_step *st = &b->steps[i];
	snprintf(what, len, "step %zu of %zu (layers %u..%u): %s", i + 1,
		 b->n_steps, st->first, st->first + st->count - 1, doing);
}

static int hold_input(struct tl_client *c, const struct tl_baseline *b,
		      const float *input, char *err, size_t err_len)
{
	TEEC_Operation op = OP(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)input;
	op.params[0].tmpref.size = b->in_elements * sizeof *input;
	return tl_client_invoke(c, SZ_CMD_HOLD_INPUT, &op, "holding the "
				"input (HOLD_INPUT)", err, err_len);
}

/* What a step sends: a .tlm as it is, or a sealed step's (.tlme) clear
 * header, then its ciphertext, then its tag with the last chunk. */
struct wire {
	uint32_t flags;		/* SZ_OPEN_ENCRYPTED or 0 */
	uint32_t file_bytes;	/* the .tlm's: OPEN_MODEL's a */
	size_t header;		/* the bytes OPEN_MODEL gets */
	const uint8_t *body;	/* file_bytes of chunks */
	const uint8_t *tag;	/* NULL for a .tlm */
};

static void step_wire(const struct tl_baseline_step *st, struct wire *w)
{
	struct sz_enc_header h;
	if (!tl_tlme_is_encrypted(st->blob, st->size)) {
		*w = (struct wire){ 0, (uint32_t)st->size, SZ_HEADER_BYTES,
				    st->blob, NULL };
		return;
	}
	memcpy(&h, st->blob, sizeof h);	/* sealed here: sizes hold */
	*w = (struct wire){ SZ_OPEN_ENCRYPTED, (uint32_t)h.plaintext_bytes,
			    sizeof h, st->blob + sizeof h,
			    st->blob + sizeof h + h.plaintext_bytes };
}

static int open_step(struct tl_client *c, const struct tl_baseline *b,
		     size_t i, const struct wire *w, char *err,
		     size_t err_len)
{
	TEEC_Operation op = OP(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
			       TEEC_VALUE_INPUT);
	op.params[0].value.a = w->file_bytes;
	op.params[0].value.b = w->flags;
	op.params[1].tmpref.buffer = b->steps[i].blob;
	op.params[1].tmpref.size = w->header;
	op.params[2].value.a = (uint32_t)b->steps[i].arena;
	op.params[2].value.b = 0;
	char what[160];
	step_what(what, sizeof what, b, i, "opening (OPEN_MODEL)");
	return tl_client_invoke(c, SZ_CMD_OPEN_MODEL, &op, what, err,
				err_len);
}

static int load_step(struct tl_client *c, const struct tl_baseline *b,
		     size_t i, const struct wire *w, size_t chunk, char *err,
		     size_t err_len)
{
	for (size_t off = 0; off < w->file_bytes; off += chunk) {
		size_t n = w->file_bytes - off < chunk ? w->file_bytes - off
						       : chunk;
		bool last = off + n == w->file_bytes;
		TEEC_Operation op = OP(TEEC_VALUE_INPUT,
				       TEEC_MEMREF_TEMP_INPUT,
				       last && w->tag ? TEEC_MEMREF_TEMP_INPUT
						      : TEEC_NONE);
		op.params[0].value.a = (uint32_t)off;
		op.params[0].value.b = last ? SZ_CHUNK_LAST : 0;
		op.params[1].tmpref.buffer = (void *)(w->body + off);
		op.params[1].tmpref.size = n;
		op.params[2].tmpref.buffer = (void *)w->tag;
		op.params[2].tmpref.size = SZ_GCM_TAG_BYTES;
		char what[160], doing[64];
		snprintf(doing, sizeof doing, "loading (LOAD_CHUNK at byte "
			 "%zu)", off);
		step_what(what, sizeof what, b, i, doing);
		int s = tl_client_invoke(c, SZ_CMD_LOAD_CHUNK, &op, what, err,
					 err_len);
		if (s)
			return s;
	}
	return TL_CLIENT_OK;
}

static int run_held(struct tl_client *c, const struct tl_baseline *b,
		    size_t i, uint32_t mode, char *err, size_t err_len)
{
	TEEC_Operation op = OP(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = mode;
	op.params[0].value.b = 0;
	char what[160];
	step_what(what, sizeof what, b, i, "running (RUN_HELD)");
	return tl_client_invoke(c, SZ_CMD_RUN_HELD, &op, what, err, err_len);
}

static int take_output(struct tl_client *c, const struct tl_baseline *b,
		       float *output, char *err, size_t err_len)
{
	TEEC_Operation op = OP(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	size_t want = b->out_elements * sizeof *output;
	op.params[0].tmpref.buffer = output;
	op.params[0].tmpref.size = want;
	int s = tl_client_invoke(c, SZ_CMD_TAKE_OUTPUT, &op, "taking the "
				 "output (TAKE_OUTPUT)", err, err_len);
	if (!s && op.params[0].tmpref.size != want)
		return tl_client_fail(err, err_len, TL_CLIENT_E_TEE, "taking "
				      "the output: %zu bytes, the model gives "
				      "%zu", op.params[0].tmpref.size, want);
	return s;
}

/* One step: open, load, run on the held activation, close. A step that
 * fails after opening is still closed, so that the TA frees it. */
static int one_step(struct tl_client *c, const struct tl_baseline *b,
		    size_t i, size_t chunk, uint32_t mode, char *err,
		    size_t err_len)
{
	struct wire w;
	step_wire(&b->steps[i], &w);
	int s = open_step(c, b, i, &w, err, err_len);
	if (s)
		return s;
	s = load_step(c, b, i, &w, chunk, err, err_len);
	if (!s)
		s = run_held(c, b, i, mode, err, err_len);
	if (s) {
		tl_client_unload(c, NULL, 0);
		return s;
	}
	return tl_client_unload(c, err, err_len);
}

int tl_baseline_infer(struct tl_client *c, const struct tl_baseline *b,
		      size_t chunk, uint32_t mode, const float *input,
		      float *output, char *err, size_t err_len)
{
	if (!c || !b || !b->n_steps || !input || !output)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG, "baseline "
				      "inference: a NULL or empty argument");
	if (chunk < SZ_HEADER_BYTES)
		return tl_client_fail(err, err_len, TL_CLIENT_E_ARG, "baseline "
				      "inference: chunks of %zu bytes, the "
				      "first must hold the %u-byte header",
				      chunk, SZ_HEADER_BYTES);
	int s = hold_input(c, b, input, err, err_len);
	for (size_t i = 0; !s && i < b->n_steps; i++)
		s = one_step(c, b, i, chunk, mode, err, err_len);
	return s ? s : take_output(c, b, output, err, err_len);
}
