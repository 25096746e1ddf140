/* smartzone run's work (run_session.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "args.h"
#include "input.h"
#include "keyfile.h"
#include "platform_path.h"
#include "progress.h"
#include "run_session.h"
#include "shm_points.h"
#include "tee.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int out_of_memory(char *err, size_t err_len)
{
	snprintf(err, err_len, "out of memory");
	return -1;
}

int sz_run_plan(const struct mm_platform *p, const struct sz_model_needs *n,
		struct mm_plan *pl, char *err, size_t err_len)
{
	struct mm_plan_input in = sz_model_plan_input(n, p, 1);
	struct mm_shm_point pts[SIM_COST_SHM_MAX_POINTS];
	char source[128];
	if (p->has_cost) {
		if (sz_shm_points_modelled(p, n->file_size, pts,
					   SIM_COST_SHM_MAX_POINTS,
					   &in.n_shm_points, err, err_len))
			return -1;
		snprintf(source, sizeof source, "the cost model's transfer "
			 "counters, costed for %s", p->name);
		in.shm_points = pts;
		in.shm_source = source;
	}
	return mm_plan(&in, pl, err, err_len) ? -1 : 0;
}

/* The model file and its needs; the key given exactly when needed. */
static int load_needs(const struct sz_run_opts *o, struct sz_run *r,
		      char *err, size_t err_len)
{
	if (sz_ends_with(o->model, ".cfg")) {
		snprintf(err, err_len, "%s: a Darknet cfg; convert it first: "
			 "smartzone convert %s [WEIGHTS] -o MODEL.tlm",
			 o->model, o->model);
		return -1;
	}
	if (sz_model_needs_load(o->model, NULL, &r->needs, err, err_len))
		return -1;
	if (r->needs.encrypted && !o->key_path)
		snprintf(err, err_len, "%s is encrypted: give its key with "
			 "--encrypted KEYFILE", o->model);
	else if (!r->needs.encrypted && o->key_path)
		snprintf(err, err_len, "--encrypted %s: %s is not encrypted "
			 "(smartzone encrypt makes a .tlme)", o->key_path,
			 o->model);
	else
		return 0;
	return -1;
}

static int provision_key(struct tl_client *c, const char *path, char *err,
			 size_t err_len)
{
	uint8_t key[SZ_KEY_BYTES];
	int rc = sz_key_read(path, key, err, err_len) ||
		 tl_client_provision_key(c, key, err, err_len);
	mbedtls_platform_zeroize(key, sizeof key);
	return rc ? -1 : 0;
}

static int provision(struct tl_client *c, struct sz_run *r, char *err,
		     size_t err_len)
{
	const struct sz_run_opts *o = r->opts;
	if (o->key_path && provision_key(c, o->key_path, err, err_len))
		return -1;
	char what[300];
	struct sz_progress bar;
	snprintf(what, sizeof what, "provisioning %s", r->name);
	sz_progress_init(&bar, stderr, what);
	struct tl_client_load_opts lo = { .window = r->window };
	if (o->progress) {
		lo.progress = sz_progress_update;
		lo.progress_arg = &bar;
	}
	if (tl_client_load_file(c, o->model, &lo, err, err_len))
		return -1;
	r->model = c->model;
	sz_tee_session_counters(&c->session, &r->provisioning);
	return 0;
}

/* How many floats the model gives: known for a .tlm; an encrypted
 * model's the TA tells (SHORT_BUFFER with the size needed). */
static int output_size(struct tl_client *c, const struct sz_input *in,
		       size_t *n, char *err, size_t err_len)
{
	*n = c->model.output_elements;
	if (*n)
		return 0;
	int st = tl_client_run(c, in->x, in->n, NULL, 0, n, SZ_MODE_STRICT,
			       err, err_len);
	return st == TL_CLIENT_E_SHORT && *n ? 0 : -1;
}

static int run_input(struct tl_client *c, struct sz_run *r, const char *path,
		     struct sz_run_output *out, char *err, size_t err_len)
{
	struct sz_input_shape want = {
		.c = c->model.input_c, .h = c->model.input_h,
		.w = c->model.input_w, .elements = c->model.input_elements,
	};
	struct sz_input in;
	if (sz_input_read(path, &want, &in, err, err_len))
		return -1;
	struct sim_counters before, after;
	size_t n = 0;
	int rc = output_size(c, &in, &n, err, err_len);
	out->path = path;
	out->y = rc ? NULL : malloc(n * sizeof *out->y);
	if (!rc && !out->y)
		rc = out_of_memory(err, err_len);
	if (!rc) {
		sz_tee_session_counters(&c->session, &before);
		double t0 = now_s();
		rc = tl_client_run(c, in.x, in.n, out->y, n, &out->n,
				   r->opts->mode, err, err_len) ? -1 : 0;
		r->inference_s = now_s() - t0;
		sz_tee_session_counters(&c->session, &after);
		sz_counters_sub(&after, &before, &r->inference);
	}
	sz_input_free(&in);
	return rc;
}

static int session(struct sz_run *r, char *err, size_t err_len)
{
	const struct sz_run_opts *o = r->opts;
	struct tl_client c;
	double t0 = now_s();
	int rc = tl_client_open(&c, NULL, err, err_len) ? -1 : 0;
	r->opened = !rc;
	if (!rc)
		rc = provision(&c, r, err, err_len);
	r->provisioning_s = now_s() - t0;
	r->outputs = rc ? NULL : calloc(o->n_inputs, sizeof *r->outputs);
	if (!rc && !r->outputs)
		rc = out_of_memory(err, err_len);
	for (size_t i = 0; !rc && i < o->n_inputs; i++, r->n_outputs++)
		rc = run_input(&c, r, o->inputs[i], &r->outputs[i], err,
			       err_len);
	if (!rc)
		rc = tl_client_report(&c, &r->report, err, err_len) ? -1 : 0;
	tl_client_close(&c);
	r->calls = c.calls;
	return rc;
}

/* The board's figures for both phases, from the simulator's counts; a
 * platform without cost figures still runs, and says so. */
static void cost(struct sz_run *r)
{
	if (!r->has_tee_counters) {
		snprintf(r->no_cost, sizeof r->no_cost, "%s counts no world "
			 "switches of its own: the times above are this "
			 "machine's", sz_tee_name());
		return;
	}
	struct sim_work once = { 0 }, infer = { .macs = r->report.macs };
	r->has_cost = sim_cost_run(&r->platform, &r->provisioning, &once,
				   &r->cost_provisioning, r->no_cost,
				   sizeof r->no_cost) == SIM_COST_OK &&
		      sim_cost_run(&r->platform, &r->inference, &infer,
				   &r->cost_inference, r->no_cost,
				   sizeof r->no_cost) == SIM_COST_OK;
}

int sz_run(const struct sz_run_opts *o, struct sz_run *r, char *err,
	   size_t err_len)
{
	memset(r, 0, sizeof *r);
	r->opts = o;
	char path[4096];
	sz_platform_path(o->platform, path, sizeof path);
	sz_model_name(o->model, r->name, sizeof r->name);
	if (sz_platform_load(o->platform, &r->platform, err, err_len) ||
	    load_needs(o, r, err, err_len))
		return -1;
	if (sz_run_plan(&r->platform, &r->needs, &r->plan, err, err_len)) {
		char why[512];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, err_len, "%s on %s: no layout holds it: %s",
			 r->name, r->platform.name, why);
		return -1;
	}
	r->window = o->window ? o->window : r->plan.shm_window;
	struct sz_tee t = { .platform_path = path, .plan = &r->plan,
			    .stock_layout = o->stock_layout,
			    .taint_off = o->no_leak_check,
			    .double_fetch = o->double_fetch };
	if (sz_tee_start(&t, err, err_len))
		return -1;
	int rc = session(r, err, err_len);
	r->has_tee_counters = sz_tee_total_counters(&r->total);
	sz_tee_checks(&r->checks);
	r->checks.leak_armed = !o->no_leak_check;
	r->checks.double_fetch_armed = o->double_fetch;
	sz_tee_stop();
	if (!rc)
		cost(r);
	return rc;
}

void sz_run_free(struct sz_run *r)
{
	for (size_t i = 0; r->outputs && i < r->n_outputs; i++)
		free(r->outputs[i].y);
	free(r->outputs);
	r->outputs = NULL;
	r->n_outputs = 0;
}
