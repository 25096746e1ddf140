/*
 * A model's needs from S-Tinylib (model_needs.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "model_needs.h"
#include "tl_darknet_import.h"
#include "tl_engine.h"
#include "tl_file.h"
#include "tl_tlm_builder.h"
#include "tl_tlme.h"

int sz_model_blob(const char *path, const char *weights_path,
		  uint8_t **blob, size_t *size, char *err, size_t err_len)
{
	*blob = NULL;
	*size = 0;
	if (sz_ends_with(path, ".cfg"))
		return tl_darknet_convert_files(path, weights_path, 1, blob,
						size, err, err_len) ? -1 : 0;
	if (weights_path) {
		snprintf(err, err_len, "%s: a weights file goes with a Darknet "
			 ".cfg, not with a .tlm", weights_path);
		return -1;
	}
	return tl_read_file(path, blob, size, err, err_len);
}

/* An encrypted model: what its clear header says (tl_tlme.h). */
static int needs_encrypted(const char *path, const uint8_t *blob,
			   size_t size, struct sz_model_needs *out, char *err,
			   size_t err_len)
{
	struct sz_enc_header h;
	if (size < sizeof h) {
		snprintf(err, err_len, "%s: %zu bytes, shorter than the "
			 "encrypted header", path, size);
		return -1;
	}
	memcpy(&h, blob, sizeof h);
	if (tl_tlme_check_header(&h, size, path, err, err_len))
		return -1;
	out->encrypted = true;
	out->file_size = h.plaintext_bytes;
	out->arena = tl_tlme_arena_bytes(&h);
	out->heap_slack = sizeof(struct tl_plan) + SZ_TA_HEAP_EXTRA +
			  SZ_TA_DECRYPT_EXTRA + 2 * out->arena;
	return 0;
}

int sz_model_needs_blob(const char *path, const uint8_t *blob, size_t size,
			struct sz_model_needs *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	if (tl_tlme_is_encrypted(blob, size))
		return needs_encrypted(path, blob, size, out, err, err_len);
	struct tl_model model;
	struct tl_model_error merr;
	struct tl_plan *plan = malloc(sizeof *plan);
	int rc = -1;
	if (!plan) {
		snprintf(err, err_len, "%s: out of memory", path);
	} else if (tl_model_open(blob, size, &model, &merr) != TL_OK) {
		tl_tlm_describe_error(&merr, path, err, err_len);
	} else if (tl_plan(&model, plan) != TL_OK) {
		snprintf(err, err_len, "%s: S-Tinylib can not plan its arena",
			 path);
	} else {
		out->file_size = size;
		out->weights_size = model.weights_size;
		out->arena = plan->arena_size;
		out->lower_bound = plan->lower_bound;
		/* RUN's secure copies of the input and the output */
		out->input_bytes = tl_model_input_elements(&model) *
				   sizeof(float);
		out->output_bytes = tl_model_output_elements(&model) *
				    sizeof(float);
		out->heap_slack = sizeof *plan + SZ_TA_HEAP_EXTRA +
				  out->input_bytes + out->output_bytes;
		out->layers = model.layer_count;
		rc = 0;
	}
	free(plan);
	return rc;
}

int sz_model_needs_load(const char *path, const char *weights_path,
			struct sz_model_needs *out, char *err, size_t err_len)
{
	uint8_t *blob;
	size_t size;
	memset(out, 0, sizeof *out);
	if (sz_model_blob(path, weights_path, &blob, &size, err, err_len))
		return -1;
	int rc = sz_model_needs_blob(path, blob, size, out, err, err_len);
	free(blob);
	return rc;
}

struct mm_plan_input sz_model_plan_input(const struct sz_model_needs *n,
					 const struct mm_platform *p,
					 unsigned sessions)
{
	struct mm_plan_input in = {
		.weights = n->file_size, .arena = n->arena,
		.heap_slack = n->heap_slack, .ta_code = SZ_TA_CODE,
		.ta_stack = SZ_TA_STACK, .sessions = sessions,
		.platform = p, .run_in = n->input_bytes,
		.run_out = n->output_bytes,
	};
	return in;
}

void sz_model_name(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	snprintf(out, len, "%.*s", (int)n, base);
}
