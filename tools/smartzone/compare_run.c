/*
 * smartzone compare, one model both ways through the simulated TEE
 * (compare.h):
 * - Smart-Zone: the machine laid out as the model's plan says (mm_plan),
 *   the TA given the plan's TA_DATA_SIZE, the model provisioned once
 *   through the plan's window, then one RUN per inference.
 * - The baseline: the platform's stock layout and the heap it leaves a TA
 *   (sz_cmp_default_heap; raised, on a grown layout, only when a step
 *   can not fit it), the model split into steps that fit (tl_baseline.h)
 *   and streamed in again on every inference.
 * Both run the same TA code, the same S-Tinylib kernels on the same
 * input in strict mode, so their outputs must agree to the bit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare.h"
#include "mm_plan.h"
#include "model_needs.h"
#include "sim.h"
#include "tee.h"
#include "tl_baseline.h"
#include "tl_client.h"
#include "tl_tlme.h"

#define MIB 0x100000ull
/* A heap raised for a step that does not fit grows in whole MiB. */
#define RAISE_GRANULE MIB
/* Raising stops after this many tries (each step that does not fit
 * raises it once at most: the need only grows). */
#define RAISE_TRIES 8

static uint64_t round_up(uint64_t n, uint64_t to)
{
	return (n + to - 1) / to * to;
}

uint64_t sz_cmp_default_heap(const struct mm_platform *p)
{
	uint64_t ta_ram = p->tzdram_size - p->tee_ram_size;
	uint64_t rest = round_up(SZ_TA_CODE, MM_PLAN_PAGE) +
			round_up(SZ_TA_STACK, MM_PLAN_PAGE) + MM_PLAN_TA_OVERHEAD;
	return ta_ram > rest ? (ta_ram - rest) / MM_PLAN_PAGE * MM_PLAN_PAGE
			     : 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* One mode while it runs. */
struct mode_run {
	const struct mm_platform *p;
	const struct sz_cmp_opts *o;
	struct sz_cmp_mode *out;
	struct tl_client c;
	const uint8_t *key;		/* NULL: plaintext models */
	const struct tl_baseline *b;	/* NULL: Smart-Zone's RUN */
	size_t n_in, n_out;
	uint64_t macs;
};

static void stop(struct mode_run *m)
{
	tl_client_close(&m->c);
	sz_tee_stop();
}

/* The machine as plan lays it out, the TA as if built with its
 * TA_DATA_SIZE and TA_STACK_SIZE (tee.h); then a session, and the key. */
static int start(struct mode_run *m, const struct mm_plan *plan, char *err,
		 size_t err_len)
{
	struct sz_tee t = { .platform_path = m->o->platform_path,
			    .plan = plan, .taint_off = !m->o->checks };
	if (plan->ta_data_size > UINT32_MAX) {
		snprintf(err, err_len, "a TA heap of %llu bytes: TA_DATA_SIZE "
			 "is 32-bit", (unsigned long long)plan->ta_data_size);
		return -1;
	}
	if (sz_tee_start(&t, err, err_len))
		return -1;
	m->out->heap = plan->ta_data_size;
	m->out->stock = plan->placement == MM_PLACE_UNCHANGED;
	m->out->tzdram_start = plan->tzdram_start;
	m->out->tzdram_size = plan->tzdram_size;
	if (tl_client_open(&m->c, NULL, err, err_len) ||
	    (m->key && tl_client_provision_key(&m->c, m->key, err, err_len))) {
		stop(m);
		return -1;
	}
	return 0;
}

static int infer(struct mode_run *m, const float *in, float *out, char *err,
		 size_t err_len)
{
	if (m->b)
		return tl_baseline_infer(&m->c, m->b, m->o->chunk,
					 SZ_MODE_STRICT, in, out, err, err_len)
		       ? -1 : 0;
	size_t got = 0;
	if (tl_client_run(&m->c, in, m->n_in, out, m->n_out, &got,
			  SZ_MODE_STRICT, err, err_len))
		return -1;
	if (got != m->n_out) {
		snprintf(err, err_len, "RUN gave %zu floats, the model has %zu",
			 got, m->n_out);
		return -1;
	}
	return 0;
}

/* Counters and host time since the last reset, as one of `runs` equal
 * runs (the counts of each inference are the same; the times vary). */
static int report_since_reset(const struct mode_run *m, unsigned runs,
			      uint64_t macs, struct sim_cost_report *r,
			      char *err, size_t err_len)
{
	struct sim_counters n;
	sim_counters_global(&n);
	uint64_t *f[] = { &n.smc, &n.open_sessions, &n.invokes,
			  &n.close_sessions, &n.shm_registrations, &n.params,
			  &n.bytes_to_secure, &n.bytes_to_normal,
			  &n.pages_mapped, &n.bounce_copy_bytes, &n.secure_ns,
			  &n.normal_ns };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		*f[i] /= runs;
	struct sim_work w = { .macs = macs };
	return sim_cost_run(m->p, &n, &w, r, err, err_len) ? -1 : 0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of n > 0 values (sorted in place): this host is shared,
 * and one run slowed by another program should not move the figure. */
static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof *v, by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One inference, timed: wall and inside the TA (the counters' time). */
static int timed(struct mode_run *m, const float *in, float *out,
		 double *wall, double *tee, char *err, size_t err_len)
{
	struct sim_counters a, b;
	sim_counters_global(&a);
	double t0 = now_s();
	int rc = infer(m, in, out, err, err_len);
	*wall = now_s() - t0;
	sim_counters_global(&b);
	*tee = (double)(b.secure_ns - a.secure_ns) * 1e-9;
	return rc;
}

/* One warm-up inference into out (not counted), then o->runs measured,
 * each giving out's bits again; host times are their medians. */
static int measure(struct mode_run *m, const float *in, float *out,
		   char *err, size_t err_len)
{
	unsigned runs = m->o->runs;
	float *again = malloc(m->n_out * sizeof *again);
	double *wall = malloc(runs * sizeof *wall);
	double *tee = malloc(runs * sizeof *tee);
	int rc = -1;
	if (!again || !wall || !tee) {
		snprintf(err, err_len, "out of memory");
		goto out;
	}
	if (infer(m, in, out, err, err_len))
		goto out;
	sim_counters_reset();
	for (unsigned i = 0; i < runs; i++) {
		if (timed(m, in, again, &wall[i], &tee[i], err, err_len))
			goto out;
		if (memcmp(again, out, m->n_out * sizeof *out)) {
			snprintf(err, err_len, "run %u gave other bits than "
				 "the first", i + 2);
			goto out;
		}
	}
	m->out->wall_s = median(wall, runs);
	m->out->tee_s = median(tee, runs);
	rc = report_since_reset(m, runs, m->macs, &m->out->run, err,
				err_len);
out:
	free(again);
	free(wall);
	free(tee);
	return rc;
}

/* Plans for the model as it is sent (a .tlme's clear header sizes it),
 * provisions it once, then measures its inferences. */
static int provision_and_measure(struct mode_run *m, const char *path,
				 const uint8_t *blob, size_t size,
				 const float *in, float *out,
				 struct sz_cmp_result *r, char *err,
				 size_t err_len)
{
	struct sz_model_needs needs;
	static struct mm_plan plan;
	if (sz_model_needs_blob(path, blob, size, &needs, err, err_len))
		return -1;
	struct mm_plan_input pin = sz_model_plan_input(&needs, m->p, 1);
	if (mm_plan(&pin, &plan, err, err_len) ||
	    start(m, &plan, err, err_len))
		return -1;
	struct tl_client_load_opts lo = { .window = plan.shm_window };
	sim_counters_reset();
	double t0 = now_s();
	int rc = tl_client_load_blob(&m->c, blob, size, &lo, err, err_len);
	if (!rc) {
		r->provision_wall_s = now_s() - t0;
		r->window = plan.shm_window;
		r->chunks = m->c.model.chunks;
		rc = report_since_reset(m, 1, 0, &r->provision, err, err_len);
	}
	if (!rc)
		rc = measure(m, in, out, err, err_len);
	stop(m);
	return rc ? -1 : 0;
}

/* Smart-Zone: plan, provision once (its own figures), then measure. */
static int run_smartzone(struct mode_run *m, const char *path,
			 const uint8_t *blob, size_t size, const float *in,
			 float *out, struct sz_cmp_result *r, char *err,
			 size_t err_len)
{
	uint8_t *sealed = NULL;
	if (m->key) {
		if (tl_tlme_encrypt(blob, size, path, m->key, &sealed, &size,
				    err, err_len))
			return -1;
		blob = sealed;
	}
	int rc = provision_and_measure(m, path, blob, size, in, out, r, err,
				       err_len);
	free(sealed);
	return rc;
}

/* The TA heap a step may not take: the TA's own, and with sealed steps
 * its bounce buffer for the ciphertext (model_needs.h). */
static uint64_t ta_extra(const struct sz_cmp_opts *o)
{
	return SZ_TA_HEAP_EXTRA + (o->encrypted ? SZ_TA_DECRYPT_EXTRA : 0);
}

/* The baseline's steps at the default heap; when a step can not fit it,
 * at the smallest heap (whole MiB) that holds every step. */
static int split_baseline(const struct mm_platform *p,
			  const struct sz_cmp_opts *o, const uint8_t *blob,
			  size_t size, struct tl_baseline *b,
			  struct sz_cmp_result *r, uint64_t *heap, char *err,
			  size_t err_len)
{
	*heap = r->default_heap = sz_cmp_default_heap(p);
	for (int i = 0; i < RAISE_TRIES; i++) {
		if (*heap > ta_extra(o) &&
		    !tl_baseline_split(blob, size, *heap - ta_extra(o), b, err,
				       err_len))
			return 0;
		if (!b->refused_need)
			return -1;
		if (!r->refused_need)
			r->refused_need = b->refused_need;
		*heap = round_up(b->refused_need + ta_extra(o), RAISE_GRANULE);
	}
	return -1;
}

int sz_cmp_baseline_plan(const struct mm_platform *p, uint64_t heap,
			 struct mm_plan *out, char *err, size_t err_len)
{
	struct mm_plan_input pin = {
		.weights = heap, .ta_code = SZ_TA_CODE,
		.ta_stack = SZ_TA_STACK, .sessions = 1, .platform = p,
	};
	if (mm_plan(&pin, out, err, err_len))
		return -1;
	if (out->ta_data_size != heap) {
		snprintf(err, err_len, "the planner gives a %llu-byte heap for "
			 "%llu", (unsigned long long)out->ta_data_size,
			 (unsigned long long)heap);
		return -1;
	}
	return 0;
}

/* The baseline: the layout that holds one TA instance with that heap,
 * the stock one unless the heap was raised. */
static int run_baseline(struct mode_run *m, const struct tl_baseline *b,
			uint64_t heap, const float *in, float *out,
			char *err, size_t err_len)
{
	static struct mm_plan plan;
	if (sz_cmp_baseline_plan(m->p, heap, &plan, err, err_len))
		return -1;
	m->b = b;
	if (start(m, &plan, err, err_len))
		return -1;
	int rc = measure(m, in, out, err, err_len);
	stop(m);
	return rc;
}

/* A fixed input in [-1, 1]: the figures do not depend on its values. */
static float *make_input(size_t n)
{
	float *x = malloc(n * sizeof *x);
	for (size_t i = 0; x && i < n; i++)
		x[i] = (float)((i * 2654435761u) % 2001u) / 1000.0f - 1.0f;
	return x;
}

static int run_both(const struct mm_platform *p, const struct sz_cmp_opts *o,
		    const char *path, const uint8_t *blob, size_t size,
		    const uint8_t *key, struct tl_baseline *b, uint64_t heap,
		    struct sz_cmp_result *r, char *err, size_t err_len)
{
	float *in = make_input(b->in_elements);
	float *out_sz = malloc(b->out_elements * sizeof(float));
	float *out_base = malloc(b->out_elements * sizeof(float));
	int rc = -1;
	struct mode_run m = { .p = p, .o = o, .key = key,
			      .n_in = b->in_elements, .n_out = b->out_elements,
			      .macs = b->macs };
	if (!in || !out_sz || !out_base) {
		snprintf(err, err_len, "out of memory");
	} else {
		m.out = &r->sz;
		rc = run_smartzone(&m, path, blob, size, in, out_sz, r, err,
				   err_len);
	}
	if (!rc) {
		m.out = &r->base;
		rc = run_baseline(&m, b, heap, in, out_base, err, err_len);
	}
	if (!rc)
		r->identical = !memcmp(out_sz, out_base,
				       b->out_elements * sizeof(float));
#ifdef SZ_WITH_UNICORN
	if (!rc)
		sz_a53_estimate(p, path, blob, size, in, TL_MODE_STRICT, &r->a53);
#endif
	free(in);
	free(out_sz);
	free(out_base);
	return rc;
}

int sz_cmp_model(const struct mm_platform *p, const struct sz_cmp_opts *o,
		 const char *path, struct sz_cmp_result *r, char *err,
		 size_t err_len)
{
	char why[768];
	uint8_t *blob = NULL;
	size_t size = 0;
	struct tl_baseline b = { 0 };
	uint64_t heap = 0;
	memset(r, 0, sizeof *r);
	sz_model_name(path, r->name, sizeof r->name);
	int rc = sz_model_blob(path, NULL, &blob, &size, why, sizeof why);
	if (!rc && tl_tlme_is_encrypted(blob, size)) {
		snprintf(why, sizeof why, "an encrypted model: compare takes a "
			 ".cfg or .tlm, which the baseline splits in the "
			 "normal world");
		rc = -1;
	}
	uint8_t key[SZ_KEY_BYTES];
	if (!rc && (split_baseline(p, o, blob, size, &b, r, &heap, why,
				   sizeof why) ||
		    (o->encrypted &&
		     (tl_tlme_random(key, sizeof key, why, sizeof why) ||
		      tl_baseline_seal(&b, key, why, sizeof why)))))
		rc = -1;
	if (!rc) {
		r->macs = b.macs;
		r->n_out = b.out_elements;
		r->steps = b.n_steps;
		r->streamed = b.bytes;
		rc = run_both(p, o, path, blob, size,
			      o->encrypted ? key : NULL, &b, heap, r, why,
			      sizeof why);
	}
	if (rc)
		snprintf(err, err_len, "%s: %s", r->name, why);
	tl_baseline_free(&b);
	free(blob);
	return rc;
}
