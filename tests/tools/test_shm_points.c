/*
 * The planner's window points from the simulator (shm_points.h): what
 * the simulator counts while N-Tinylib provisions a model through the
 * real TA equals, field by field, what the cost model's
 * sim_cost_shm_counters(total, window, no bounce) says such a transfer
 * is, for windows that divide the model and windows that do not. So the
 * two paths to a point (counted, modelled) agree, and so do the points
 * and the window they give.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "model_needs.h"
#include "platform_path.h"
#include "run_session.h"
#include "shm_points.h"
#include "tee.h"

struct model {
	uint8_t *blob;
	size_t size;
	struct sz_model_needs needs;
	struct mm_platform p;
	struct mm_plan plan;
	char path[4096];
};

/* A model, its needs and a plan of it on rpi3bplus. */
static struct model *load(const char *file, const char *weights_cfg)
{
	static struct model m;
	char err[512];
	memset(&m, 0, sizeof m);
	const char *path = weights_cfg ? cli_cfg(weights_cfg) : file;
	if (sz_model_blob(path, NULL, &m.blob, &m.size, err, sizeof err) ||
	    sz_model_needs_blob(path, m.blob, m.size, &m.needs, err,
				sizeof err) ||
	    sz_platform_load("rpi3bplus", &m.p, err, sizeof err) ||
	    sz_run_plan(&m.p, &m.needs, &m.plan, err, sizeof err))
		fail_msg("%s", err);
	sz_platform_path("rpi3bplus", m.path, sizeof m.path);
	return &m;
}

static void counts_equal(const struct sim_counters *got,
			 const struct sim_counters *want, uint64_t window)
{
	print_message("window %8llu: %llu calls, %llu pages\n",
		      (unsigned long long)window,
		      (unsigned long long)got->smc,
		      (unsigned long long)got->pages_mapped);
	assert_int_equal(got->smc, want->smc);
	assert_int_equal(got->invokes, want->invokes);
	assert_int_equal(got->open_sessions, want->open_sessions);
	assert_int_equal(got->close_sessions, want->close_sessions);
	assert_int_equal(got->shm_registrations, want->shm_registrations);
	assert_int_equal(got->params, want->params);
	assert_int_equal(got->bytes_to_secure, want->bytes_to_secure);
	assert_int_equal(got->bytes_to_normal, want->bytes_to_normal);
	assert_int_equal(got->pages_mapped, want->pages_mapped);
	assert_int_equal(got->bounce_copy_bytes, want->bounce_copy_bytes);
}

/* The digits model (104,492 bytes: no window from 4 KiB up divides it)
 * and the tiny cfg (4,162,884 bytes) through windows from one page to
 * the whole static shared memory. */
static void check_model(const struct model *m, const uint64_t *windows,
			size_t n)
{
	struct sz_tee t = { .platform_path = m->path, .plan = &m->plan,
			    .taint_off = true };
	char err[512];
	if (sz_tee_start(&t, err, sizeof err))
		fail_msg("%s", err);
	for (size_t i = 0; i < n; i++) {
		struct sim_counters got, want;
		if (sz_shm_count_load(m->blob, m->size, m->needs.arena,
				      windows[i], &got, err, sizeof err))
			fail_msg("%s", err);
		sim_cost_shm_counters(m->size, windows[i], 0, &want);
		counts_equal(&got, &want, windows[i]);
	}
	sz_tee_stop();
}

static void test_counted_equals_modelled(void **state)
{
	(void)state;
	static const uint64_t digits_w[] = { 4096, 12288, 32768, 104448,
					     104492, 1 << 20, 4 << 20 };
	struct model *m = load("models/digits/digits.tlm", NULL);
	check_model(m, digits_w, sizeof digits_w / sizeof *digits_w);
	free(m->blob);
	if (cli_quick())
		return;
	static const uint64_t tiny_w[] = { 4096, 65536, 1 << 20, 4 << 20 };
	m = load(NULL, "tiny");
	check_model(m, tiny_w, sizeof tiny_w / sizeof *tiny_w);
	free(m->blob);
}

/* The plan's points, counted, are the modelled ones exactly. */
static void test_points_agree(void **state)
{
	(void)state;
	struct model *m = load("models/digits/digits.tlm", NULL);
	struct mm_shm_point counted[SIM_COST_SHM_MAX_POINTS],
		modelled[SIM_COST_SHM_MAX_POINTS];
	size_t nc, nm;
	char err[512];
	if (sz_shm_points_counted(&m->p, m->path, &m->plan, m->blob, m->size,
				  m->needs.arena, counted,
				  SIM_COST_SHM_MAX_POINTS, &nc, err,
				  sizeof err) ||
	    sz_shm_points_modelled(&m->p, m->size, modelled,
				   SIM_COST_SHM_MAX_POINTS, &nm, err,
				   sizeof err))
		fail_msg("%s", err);
	assert_int_equal(nc, 11);	/* 4 KiB .. 4 MiB */
	assert_int_equal(nm, nc);
	for (size_t i = 0; i < nc; i++) {
		assert_true(counted[i].w == modelled[i].w);
		assert_true(counted[i].t == modelled[i].t);
	}
	free(m->blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counted_equals_modelled),
		cmocka_unit_test(test_points_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
