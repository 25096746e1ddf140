/*
 * The shared-memory window from the cost model (sim_cost.h): transfer
 * counters by hand, each point against the per-call law worked out from
 * the platform's figures, the fit and window sane on both platforms,
 * dearer world switches giving a larger window, and the refusals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sim_cost.h"
#include "cost_support.h"

#define KiB 1024ull
#define MiB (1024ull * 1024)

static char err[512];

static void test_transfer_counters(void **state)
{
	(void)state;
	struct sim_counters n;
	/* 10000 bytes through 4 KiB: 4096 + 4096 + 1808, a page each */
	sim_cost_shm_counters(10000, 4096, 1, &n);
	assert_int_equal(n.smc, 3);
	assert_int_equal(n.invokes, 3);
	assert_int_equal(n.params, 6);
	assert_int_equal(n.bytes_to_secure, 10000);
	assert_int_equal(n.pages_mapped, 3);
	assert_int_equal(n.bounce_copy_bytes, 10000);
	assert_int_equal(n.bytes_to_normal + n.open_sessions + n.secure_ns
			 + n.normal_ns + n.shm_registrations, 0);
	/* 16 MiB through 1 MiB, registered memory: no bounce copies */
	sim_cost_shm_counters(16 * MiB, 1 * MiB, 0, &n);
	assert_int_equal(n.smc, 16);
	assert_int_equal(n.pages_mapped, 16 * 256);
	assert_int_equal(n.bounce_copy_bytes, 0);
	/* a window that is no page multiple: 6000 bytes span 2 pages */
	sim_cost_shm_counters(18000, 6000, 0, &n);
	assert_int_equal(n.smc, 3);
	assert_int_equal(n.pages_mapped, 6);
	/* one call when the window holds everything; none for nothing */
	sim_cost_shm_counters(5, 4 * MiB, 1, &n);
	assert_int_equal(n.smc, 1);
	assert_int_equal(n.pages_mapped, 1);
	sim_cost_shm_counters(0, 4096, 1, &n);
	assert_int_equal(n.smc + n.pages_mapped + n.bytes_to_secure, 0);
	sim_cost_shm_counters(4096, 0, 1, &n);
	assert_int_equal(n.smc, 0);
}

/* T(w) = calls t_smc + pages t_page + S / bw (+ S / bw with bounce). */
static double law(const struct mm_cost *c, uint64_t total, uint64_t w,
		  int bounce)
{
	double calls = ceil((double)total / (double)w);
	double pages = floor((double)total / (double)w) * ceil(w / 4096.0)
		       + ceil((double)(total % w) / 4096.0);
	return calls * (double)c->smc_round_trip_ns * 1e-9
	       + pages * (double)c->map_page_ns * 1e-9
	       + (bounce ? 2.0 : 1.0) * (double)total
	       / (double)c->copy_bytes_per_s;
}

/* The 11 points from 4 KiB to 4 MiB follow the law and never rise. */
static void check_points(const struct mm_platform *p, uint64_t total,
			 int bounce)
{
	struct mm_shm_point pts[SIM_COST_SHM_MAX_POINTS];
	size_t n = 99;
	assert_int_equal(sim_cost_shm_points(&p->cost, total, bounce, 4 * KiB,
					     4 * MiB, pts, 40, &n, err,
					     sizeof err), SIM_COST_OK);
	assert_int_equal(n, 11);
	for (size_t j = 0; j < n; j++) {
		uint64_t w = (4 * KiB) << j;
		double want = law(&p->cost, total, w, bounce);
		assert_true(pts[j].w == (double)w);
		if (cost_rel_err(pts[j].t, want) > 1e-12)
			fail_msg("%s w %llu: %.17g, want %.17g", p->name,
				 (unsigned long long)w, pts[j].t, want);
		if (j > 0)
			assert_true(pts[j].t <= pts[j - 1].t);
	}
}

static void test_points_follow_the_law(void **state)
{
	(void)state;
	/* MobileNet v1's 16.11 MiB of folded weights (docs/s-tinylib.md)
	 * is no multiple of any window: the last call is short */
	static const uint64_t totals[] = { 16 * MiB, 16893000 };
	for (size_t i = 0; i < 2; i++) {
		struct mm_platform p;
		cost_load(cost_platforms[i], &p);
		for (size_t k = 0; k < 4; k++)
			check_points(&p, totals[k / 2], (int)(k % 2));
	}
}

/* A counted run and the synthetic counters give the same point. */
static void test_point_from_counted_run(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	struct sim_counters counted;
	memset(&counted, 0, sizeof counted);
	/* as the simulator would count 1 MiB in 4 calls of 256 KiB, with
	 * host times and a session around it that the point ignores */
	counted.smc = 4;
	counted.invokes = 4;
	counted.bytes_to_secure = 1 * MiB;
	counted.pages_mapped = 256;
	counted.bounce_copy_bytes = 1 * MiB;
	counted.secure_ns = 987654321;
	struct mm_shm_point a, b;
	assert_int_equal(sim_cost_shm_point(&p.cost, 256 * KiB, &counted, &a,
					    err, sizeof err), SIM_COST_OK);
	struct sim_counters synth;
	sim_cost_shm_counters(1 * MiB, 256 * KiB, 1, &synth);
	assert_int_equal(sim_cost_shm_point(&p.cost, 256 * KiB, &synth, &b,
					    err, sizeof err), SIM_COST_OK);
	assert_true(a.w == b.w && a.t == b.t);
	assert_true(cost_rel_err(a.t, law(&p.cost, 1 * MiB, 256 * KiB, 1))
		    < 1e-12);
}

/* The window for 16 MiB with bounce copies, f = 0.05, 4 KiB..4 MiB. */
static int window_of(const struct mm_cost *c, struct sim_cost_shm_window *sw)
{
	return sim_cost_shm_window(c, 16 * MiB, 1, 0.05, 4 * KiB, 4 * MiB, sw,
				   err, sizeof err);
}

/*
 * Fit and window on both platforms: the exponential fits the per-call
 * law well but not exactly (R^2 0.982 on the 11 points; the law is
 * t_smc S / w, hyperbolic), the window is a page multiple inside the
 * range and not capped. Pinned, so the mismatch stays visible: under
 * the law itself the fitted window (28672 bytes with the shipped
 * figures, bounce copies on) costs 1.195x the unbounded-window time
 * T_inf = 2 S / bw + (S / 4096) t_page = 60.02 ms, where the fit
 * promises 1.05x; the law's own 5% window, S t_smc / (f T_inf), is
 * 111810 bytes (114688 in pages), 4x larger.
 */
static void test_window_on_both_platforms(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct mm_platform p;
		cost_load(cost_platforms[i], &p);
		struct sim_cost_shm_window sw;
		assert_int_equal(window_of(&p.cost, &sw), SIM_COST_OK);
		print_message("%s: a %.4g s, b %.4g s, c %.0f B, R^2 %.4f, "
			      "window %llu B\n", p.name, sw.fit.a, sw.fit.b,
			      sw.fit.c, sw.fit.r2,
			      (unsigned long long)sw.window);
		assert_int_equal(sw.n_points, 11);
		assert_true(sw.fit.r2 > 0.95 && sw.fit.r2 < 1.0);
		assert_true(sw.fit.a > 0 && sw.fit.b > 0 && sw.fit.c > 0);
		assert_int_equal(sw.capped, 0);
		assert_int_equal(sw.window % 4096, 0);
		assert_true(sw.window > 4 * KiB && sw.window < 4 * MiB);
		/* the smallest page multiple within 5% of the fitted a */
		assert_true(mm_shm_fit_eval(&sw.fit, (double)sw.window)
			    <= sw.fit.a * 1.05);
		assert_true(mm_shm_fit_eval(&sw.fit, (double)sw.window - 4096)
			    > sw.fit.a * 1.05);
		/* the asymptote near the law's unbounded-window time */
		double t_inf = 2.0 * 16 * MiB / p.cost.copy_bytes_per_s
			       + 16 * MiB / 4096.0 * p.cost.map_page_ns * 1e-9;
		assert_true(cost_rel_err(sw.fit.a, t_inf) < 0.05);
		/* the mismatch, pinned */
		double ratio = law(&p.cost, 16 * MiB, sw.window, 1) / t_inf;
		assert_true(ratio > 1.15 && ratio < 1.25);
		double w_law = 16.0 * MiB * p.cost.smc_round_trip_ns * 1e-9
			       / (0.05 * t_inf);
		assert_true(w_law > 3.5 * (double)sw.window);
		uint64_t w_pages = (uint64_t)ceil(w_law / 4096) * 4096;
		assert_true(law(&p.cost, 16 * MiB, w_pages, 1) <= 1.05 * t_inf);
	}
}

/* Dearer world switches never shrink the window, and 4x grows it. */
static void test_dearer_smc_larger_window(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct mm_platform p;
		cost_load(cost_platforms[i], &p);
		uint64_t prev = 0, first = 0;
		for (uint64_t mult = 1; mult <= 64; mult *= 2) {
			struct mm_cost c = p.cost;
			c.smc_round_trip_ns *= mult;
			struct sim_cost_shm_window sw;
			assert_int_equal(window_of(&c, &sw), SIM_COST_OK);
			assert_true(sw.window >= prev);
			if (mult == 1)
				first = sw.window;
			if (mult == 4)
				assert_true(sw.window > first);
			prev = sw.window;
		}
		/* cheaper copies, same switches: relatively dearer switches */
		struct mm_cost fast = p.cost;
		fast.copy_bytes_per_s *= 4;
		struct sim_cost_shm_window a, b;
		assert_int_equal(window_of(&p.cost, &a), SIM_COST_OK);
		assert_int_equal(window_of(&fast, &b), SIM_COST_OK);
		assert_true(b.window > a.window);
	}
}

static void test_refusals(void **state)
{
	(void)state;
	struct mm_platform p;
	cost_load("rpi3bplus.conf", &p);
	struct mm_shm_point pts[SIM_COST_SHM_MAX_POINTS], pt;
	size_t n = 7;
	struct sim_cost_shm_window sw;
	struct sim_counters counted;
	sim_cost_shm_counters(1 * MiB, 4096, 1, &counted);

	assert_int_equal(sim_cost_shm_points(&p.cost, 0, 1, 4096, 8192, pts, 40,
					&n, err, sizeof err),
			 SIM_COST_E_WINDOW);
	assert_int_equal(n, 0);
	static const uint64_t ranges[][2] = {
		{ 0, 8192 }, { 4000, 8000 }, { 4096, 12288 }, { 8192, 4096 },
		{ 4096, 4095 },
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		assert_int_equal(sim_cost_shm_points(&p.cost, 1 * MiB, 1,
						ranges[i][0], ranges[i][1],
						pts, 40, &n, err, sizeof err),
				 SIM_COST_E_WINDOW);
	/* 11 windows, room for 10 */
	assert_int_equal(sim_cost_shm_points(&p.cost, 1 * MiB, 1, 4096, 4 * MiB,
					pts, 10, &n, err, sizeof err),
			 SIM_COST_E_WINDOW);
	assert_non_null(strstr(err, "room for 10 points"));
	assert_int_equal(sim_cost_shm_points(&p.cost, 1 * MiB, 1, 4096, 8192,
					NULL, 40, &n, err, sizeof err),
			 SIM_COST_E_ARG);
	assert_int_equal(sim_cost_shm_point(&p.cost, 0, &counted, &pt, err,
				       sizeof err), SIM_COST_E_WINDOW);
	assert_int_equal(sim_cost_shm_point(&p.cost, 4096, &counted, NULL, err,
				       sizeof err), SIM_COST_E_ARG);
	assert_int_equal(sim_cost_shm_point(&p.cost, 4096, NULL, &pt, err,
				       sizeof err), SIM_COST_E_ARG);
	struct mm_cost broken = p.cost;
	broken.copy_bytes_per_s = 0;
	assert_int_equal(sim_cost_shm_window(&broken, 1 * MiB, 1, 0.05, 4096,
					4 * MiB, &sw, err, sizeof err),
			 SIM_COST_E_PARAM);
	assert_int_equal(sim_cost_shm_window(&p.cost, 1 * MiB, 1, 0.05, 4096,
					4 * MiB, NULL, err, sizeof err),
			 SIM_COST_E_ARG);

	/* free switches: the time no longer falls with the window, so the
	 * fit refuses and says why */
	struct mm_cost free_smc = p.cost;
	free_smc.smc_round_trip_ns = 0;
	sw.window = 123;
	assert_int_equal(window_of(&free_smc, &sw), SIM_COST_E_FIT);
	assert_non_null(strstr(err, "mm_shm_fit"));
	assert_int_equal(sw.window, 0);
	/* a tolerance mm_shm_window refuses */
	assert_int_equal(sim_cost_shm_window(&p.cost, 16 * MiB, 1, 0.0, 4096,
					4 * MiB, &sw, err, sizeof err),
			 SIM_COST_E_FIT);
	assert_non_null(strstr(err, "tolerance"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transfer_counters),
		cmocka_unit_test(test_points_follow_the_law),
		cmocka_unit_test(test_point_from_counted_run),
		cmocka_unit_test(test_window_on_both_platforms),
		cmocka_unit_test(test_dearer_smc_larger_window),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
