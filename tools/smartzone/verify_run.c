/*
 * A model through the TA under Unicorn, held against the host
 * (verify_run.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smartzone_ta.h"
#include "tee_api_defines.h"
#include "verify_run.h"

#define TYPES TEE_PARAM_TYPES

/* The host's view of the model: opened and planned as the TA does. */
struct host_model {
	struct tl_model m;
	struct tl_plan plan;
	void *arena;
};

static int host_open(const struct sz_verify_job *job, struct host_model *h,
		     char *err, size_t err_len)
{
	struct tl_model_error e;
	if (tl_model_open(job->tlm, job->tlm_size, &h->m, &e) != TL_OK ||
	    tl_plan(&h->m, &h->plan) != TL_OK) {
		snprintf(err, err_len, "the host refuses the model (field %s)",
			 e.field ? e.field : "?");
		return -1;
	}
	h->arena = aligned_alloc(TL_ALIGN, (h->plan.arena_size + TL_ALIGN - 1) /
					   TL_ALIGN * TL_ALIGN);
	if (h->arena == NULL) {
		snprintf(err, err_len, "no host memory for the arena");
		return -1;
	}
	return 0;
}

/* Where S-Tinylib's layers are: tl_run(model, plan, arena, ...) starts
 * them, tl_model_layer(model, index, ...) inside it starts each. */
static const struct sim_uc_layer_marks tinylib_marks = {
	"tl_run", "tl_model_layer", 1, 2 };

/* Each layer's output tensor, where the plan puts it in the arena. */
static int watch_layers(struct sim_uc *uc, const struct host_model *h)
{
	uint32_t n = h->m.layer_count;
	struct sim_uc_region *r = calloc(n ? n : 1, sizeof *r);
	for (uint32_t i = 0; r && i < n; i++) {
		struct tl_layer l;
		struct tl_tensor t;
		tl_model_layer(&h->m, i, &l);
		tl_model_tensor(&h->m, l.output, &t);
		r[i] = (struct sim_uc_region){ h->plan.tensor_offset[l.output],
					       t.elements * sizeof(float) };
	}
	int rc = r ? sim_uc_watch(uc, r, n) : -1;
	free(r);
	return rc;
}

static float *host_run(const struct host_model *h, const float *input,
		       enum tl_mode mode)
{
	float *out = calloc(tl_model_output_elements(&h->m), sizeof(float));
	if (out && tl_run(&h->m, &h->plan, h->arena, h->plan.arena_size, input,
			  out, mode) != TL_OK) {
		free(out);
		out = NULL;
	}
	return out;
}

static TEE_Result open_model(struct sim_uc *uc, const struct sz_verify_job *j,
			     const struct host_model *h)
{
	struct sim_uc_param p[4] = {
		{ .a = (uint32_t)j->tlm_size },
		{ .in = j->tlm, .size = SZ_HEADER_BYTES },
		{ .a = (uint32_t)h->plan.arena_size },
		{ 0 } };
	return sim_uc_invoke(uc, SZ_CMD_OPEN_MODEL,
			     TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
				   TEE_PARAM_TYPE_MEMREF_INPUT,
				   TEE_PARAM_TYPE_VALUE_INPUT,
				   TEE_PARAM_TYPE_NONE), p);
}

static TEE_Result load(struct sim_uc *uc, const struct sz_verify_job *j,
		       uint64_t *chunks)
{
	TEE_Result res = TEE_SUCCESS;
	for (size_t at = 0; at < j->tlm_size && res == TEE_SUCCESS;) {
		size_t n = j->tlm_size - at < j->window ? j->tlm_size - at
							 : j->window;
		bool last = at + n == j->tlm_size;
		struct sim_uc_param p[4] = {
			{ .a = (uint32_t)at, .b = last ? SZ_CHUNK_LAST : 0 },
			{ .in = j->tlm + at, .size = (uint32_t)n },
			{ 0 }, { 0 } };
		res = sim_uc_invoke(uc, SZ_CMD_LOAD_CHUNK,
				    TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
					  TEE_PARAM_TYPE_MEMREF_INPUT,
					  TEE_PARAM_TYPE_NONE,
					  TEE_PARAM_TYPE_NONE), p);
		(*chunks)++;
		at += n;
	}
	return res;
}

static TEE_Result run(struct sim_uc *uc, const struct sz_verify_job *j,
		      const struct host_model *h, float *out)
{
	uint32_t n_in = (uint32_t)(tl_model_input_elements(&h->m) * 4);
	uint32_t n_out = (uint32_t)(tl_model_output_elements(&h->m) * 4);
	struct sim_uc_param p[4] = {
		{ .in = j->input, .size = n_in },
		{ .out = out, .size = n_out },
		{ .a = j->mode == TL_MODE_FAST ? SZ_MODE_FAST : SZ_MODE_STRICT },
		{ 0 } };
	return sim_uc_invoke(uc, SZ_CMD_RUN,
			     TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				   TEE_PARAM_TYPE_MEMREF_OUTPUT,
				   TEE_PARAM_TYPE_VALUE_INPUT,
				   TEE_PARAM_TYPE_NONE), p);
}

static void keep_figures(const struct sim_uc *uc, struct sz_verify_outcome *o)
{
	const struct sim_uc_figures *f = sim_uc_figures(uc);
	o->n_layers = f->n_layers;
	o->layers = calloc(f->n_layers ? f->n_layers : 1, sizeof *o->layers);
	if (o->layers)
		memcpy(o->layers, f->layers, f->n_layers * sizeof *o->layers);
	o->outside = f->outside;
}

/* OPEN_MODEL, LOAD_CHUNK..., RUN, each stopping the sequence on failure;
 * then the session ends. */
static void drive(struct sim_uc *uc, const struct sz_verify_job *j,
		  const struct host_model *h, struct sz_verify_outcome *o)
{
	struct { uint32_t cmd; TEE_Result res; } step = { 0, TEE_SUCCESS };
	step.res = sim_uc_open_session(uc);
	if (step.res == TEE_SUCCESS)
		step.cmd = SZ_CMD_OPEN_MODEL, step.res = open_model(uc, j, h);
	if (step.res == TEE_SUCCESS)
		step.cmd = SZ_CMD_LOAD_CHUNK, step.res = load(uc, j, &o->chunks);
	if (step.res == TEE_SUCCESS) {
		o->load = sim_uc_figures(uc)->outside;
		sim_uc_figures_reset(uc);
		step.cmd = SZ_CMD_RUN;
		step.res = run(uc, j, h, o->output);
	}
	o->result = step.res;
	o->failed_command = step.cmd;
	const struct sim_uc_violation *v = sim_uc_violation(uc);
	if (v)
		o->violation = *v;
	keep_figures(uc, o);	/* the RUN's, before the session's end */
	sim_uc_close_session(uc);
}

/* Bit for bit, and the largest difference relative to the largest host
 * output (as tests/tinylib/test_models.c measures the engine). */
static void compare(struct sz_verify_outcome *o)
{
	o->identical = memcmp(o->output, o->host_output,
			      o->n_outputs * sizeof(float)) == 0;
	double diff = 0, scale = 0;
	for (uint32_t i = 0; i < o->n_outputs; i++) {
		double d = fabs((double)o->output[i] - o->host_output[i]);
		diff = d > diff || isnan(d) ? d : diff;
		scale = fmax(scale, fabs((double)o->host_output[i]));
	}
	o->max_rel_err = isnan(diff) ? INFINITY : diff / (scale > 0 ? scale : 1);
}

int sz_verify_model(const struct sz_verify_job *job,
		     struct sz_verify_outcome *out, char *err,
		     size_t err_len)
{
	memset(out, 0, sizeof *out);
	out->first_layer_differs = -1;
	struct host_model *h = calloc(1, sizeof *h);
	struct sim_uc *uc = NULL;
	int rc = -1;
	if (h == NULL || host_open(job, h, err, err_len))
		goto done;
	/* the window holds a chunk, or RUN's input and output */
	uint64_t io = (tl_model_input_elements(&h->m) +
		       tl_model_output_elements(&h->m)) * sizeof(float) +
		      2 * SIM_UC_REF_ALIGN;
	struct sim_uc_options opt = { job->guest_elf, job->plan, job->shm_pa,
				      job->window > io ? job->window : io,
				      job->figures, tinylib_marks };
	if (sim_uc_open(&opt, &uc, err, err_len))
		goto done;
	out->n_outputs = (uint32_t)tl_model_output_elements(&h->m);
	out->output = calloc(out->n_outputs, sizeof(float));
	out->host_output = host_run(h, job->input, job->mode);
	if (out->output == NULL || out->host_output == NULL) {
		snprintf(err, err_len, "no host memory for the outputs");
		goto done;
	}
	if (watch_layers(uc, h)) {
		snprintf(err, err_len, "no host memory for the layers");
		goto done;
	}
	out->window_va = sim_uc_window_va(uc);
	drive(uc, job, h, out);
	if (out->result == TEE_SUCCESS) {
		compare(out);
		uint32_t n;
		const uint64_t *hashes = sim_uc_layer_hashes(uc, &n);
		if (!out->identical && job->mode == TL_MODE_STRICT)
			out->first_layer_differs =
				sz_verify_first_difference(job, hashes, n);
	}
	rc = 0;
done:
	sim_uc_close(uc);
	if (h)
		free(h->arena);
	free(h);
	return rc;
}

void sz_verify_outcome_free(struct sz_verify_outcome *out)
{
	free(out->output);
	free(out->host_output);
	free(out->layers);
	memset(out, 0, sizeof *out);
}
