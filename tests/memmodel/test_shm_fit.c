/*
 * The shared-memory window fit: exact recovery of T(w) = a + b exp(-w/c)
 * from noiseless data over many orders of magnitude, recovery within
 * stated bounds from seeded 1% noise, the refusals, the window formula
 * on hand-computed cases, the PROVISIONAL table end to end (with
 * the exponential model's mismatch to that table's assumed cost law
 * pinned, so that it stays visible), and the window the points choose
 * where the fit does not apply.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mm_shm_fit.h"

#define MAX_PTS 64

static char err[256];

static double rel_err(double got, double want)
{
	return fabs(got - want) / fabs(want);
}

/* n points of the exact model, w log-spaced over [w_lo, w_hi]. */
static void synth(struct mm_shm_point *p, size_t n, double a, double b,
		  double c, double w_lo, double w_hi)
{
	for (size_t i = 0; i < n; i++) {
		double w = w_lo * pow(w_hi / w_lo, (double)i / (double)(n - 1));
		p[i].w = w;
		p[i].t = a + b * exp(-w / c);
	}
}

/* ---- Exact recovery ---- */

struct case_exact {
	double a, b, c, w_lo, w_hi;
	size_t n;
};

static void test_exact_recovery(void **state)
{
	(void)state;
	static const struct case_exact cases[] = {
		{ 1.0, 1.0, 1.0, 0.05, 10.0, 20 },
		/* seconds against bytes, Smart-Zone-like magnitudes */
		{ 16.8e-3, 41e-3, 16384.0, 4096.0, 4194304.0, 11 },
		{ 1e6, 3e7, 1e-3, 1e-5, 1e-2, 30 },
		/* b tiny against a, huge windows */
		{ 0.5, 1e-3, 1e9, 1e7, 1e10, 25 },
		/* a negative is a valid fit (only the window needs a > 0) */
		{ -2.0, 7.0, 50.0, 1.0, 1000.0, 12 },
		/* the minimum: 4 points */
		{ 3.0, 2.0, 5.0, 1.0, 20.0, 4 },
		/* c near the data's upper end */
		{ 100.0, 250.0, 900.0, 10.0, 1000.0, 15 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct case_exact *e = &cases[k];
		struct mm_shm_point p[MAX_PTS];
		struct mm_shm_fit f;
		synth(p, e->n, e->a, e->b, e->c, e->w_lo, e->w_hi);
		int r = mm_shm_fit(p, e->n, &f, err, sizeof err);
		if (r)
			fail_msg("case %zu: %s", k, err);
		if (rel_err(f.a, e->a) >= 1e-6 || rel_err(f.b, e->b) >= 1e-6
		    || rel_err(f.c, e->c) >= 1e-6)
			fail_msg("case %zu: a %.12g b %.12g c %.12g", k, f.a,
				 f.b, f.c);
		assert_true(f.r2 > 1.0 - 1e-9);
		/* rms far below the spread of the data */
		assert_true(f.rms <= 1e-7 * e->b);
	}
}

/* Point order and duplicates do not matter. */
static void test_order_and_duplicates(void **state)
{
	(void)state;
	struct mm_shm_point p[24], q[24];
	struct mm_shm_fit f;
	synth(p, 12, 2.0, 3.0, 0.7, 0.1, 5.0);
	for (size_t i = 0; i < 12; i++) {
		q[i] = p[11 - i];
		q[12 + i] = p[(i * 5) % 12];
	}
	assert_int_equal(mm_shm_fit(q, 24, &f, err, sizeof err), MM_SHM_OK);
	assert_true(rel_err(f.a, 2.0) < 1e-6);
	assert_true(rel_err(f.b, 3.0) < 1e-6);
	assert_true(rel_err(f.c, 0.7) < 1e-6);
}

/* ---- Noisy recovery ---- */

/* SplitMix64: seeded, the same sequence on every machine. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_uniform(void)	/* in (0, 1) */
{
	return ((double)(rng_next() >> 11) + 0.5) * 0x1p-53;
}

static double rng_gauss(void)	/* Box-Muller */
{
	double u = rng_uniform(), v = rng_uniform();
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/*
 * 40 log-spaced points, each time multiplied by (1 + 0.01 z), z standard
 * normal; seeds 1..8. Bounds asserted for every seed (the worst over
 * seeds 1..3000, seen while writing this, in brackets):
 *   set 1: a 2% [1.6%], b 4% [1.7%], c 8% [4.6%]
 *   set 2: a 2% [0.9%], b 4% [2.6%], c 8% [4.5%]
 *   R^2 > 0.995 [0.9985]; rms >= 0.5 x the noise's own rms [0.60].
 * And rms <= the noise's rms (+1e-9 relative): the true (a, b, c) leave
 * exactly the noise as residual, so a least-squares optimum can not do
 * worse; this checks the search found the global minimum.
 */
struct case_noisy {
	double a, b, c, w_lo, w_hi;
};

static void test_noisy_recovery(void **state)
{
	(void)state;
	static const struct case_noisy cases[] = {
		{ 2.0, 5.0, 0.3, 0.01, 3.0 },
		{ 16.8e-3, 40e-3, 20000.0, 1024.0, 4194304.0 },
	};
	for (size_t k = 0; k < 2; k++) {
		const struct case_noisy *e = &cases[k];
		for (uint64_t seed = 1; seed <= 8; seed++) {
			struct mm_shm_point p[40];
			struct mm_shm_fit f;
			double noise2 = 0;
			rng_state = seed;
			synth(p, 40, e->a, e->b, e->c, e->w_lo, e->w_hi);
			for (size_t i = 0; i < 40; i++) {
				double d = 0.01 * rng_gauss() * p[i].t;
				p[i].t += d;
				noise2 += d * d;
			}
			double noise_rms = sqrt(noise2 / 40);
			int r = mm_shm_fit(p, 40, &f, err, sizeof err);
			if (r)
				fail_msg("set %zu seed %llu: %s", k,
					 (unsigned long long)seed, err);
			if (rel_err(f.a, e->a) > 0.02
			    || rel_err(f.b, e->b) > 0.04
			    || rel_err(f.c, e->c) > 0.08 || !(f.r2 > 0.995)
			    || f.rms < 0.5 * noise_rms
			    || f.rms > noise_rms * (1 + 1e-9))
				fail_msg("set %zu seed %llu: a %g b %g c %g "
					 "r2 %g rms %g (noise %g)", k,
					 (unsigned long long)seed, f.a, f.b,
					 f.c, f.r2, f.rms, noise_rms);
		}
	}
}

/* ---- Refusals ---- */

static int fit_status(const struct mm_shm_point *p, size_t n)
{
	struct mm_shm_fit f;
	err[0] = '\0';
	int r = mm_shm_fit(p, n, &f, err, sizeof err);
	if (r) {
		/* on error: a sentence, and the output zeroed */
		assert_true(strlen(err) > 10);
		assert_true(f.a == 0 && f.b == 0 && f.c == 0);
	}
	return r;
}

static void test_fit_refusals(void **state)
{
	(void)state;
	struct mm_shm_point p[8];
	struct mm_shm_fit f;
	synth(p, 8, 1.0, 2.0, 3.0, 0.5, 20.0);
	assert_int_equal(fit_status(p, 8), MM_SHM_OK);

	assert_int_equal(mm_shm_fit(NULL, 8, &f, NULL, 0), MM_SHM_E_ARG);
	assert_int_equal(mm_shm_fit(p, 8, NULL, NULL, 0), MM_SHM_E_ARG);
	assert_int_equal(fit_status(p, 3), MM_SHM_E_TOO_FEW);
	assert_int_equal(fit_status(p, 0), MM_SHM_E_TOO_FEW);

	struct mm_shm_point q[8];
	memcpy(q, p, sizeof q);
	q[3].t = NAN;
	assert_int_equal(fit_status(q, 8), MM_SHM_E_NONFINITE);
	memcpy(q, p, sizeof q);
	q[5].w = INFINITY;
	assert_int_equal(fit_status(q, 8), MM_SHM_E_NONFINITE);
	memcpy(q, p, sizeof q);
	q[0].t = -INFINITY;
	assert_int_equal(fit_status(q, 8), MM_SHM_E_NONFINITE);
	memcpy(q, p, sizeof q);
	q[0].t = q[1].t = 1e308;	/* finite, but the mean overflows */
	assert_int_equal(fit_status(q, 8), MM_SHM_E_NONFINITE);

	memcpy(q, p, sizeof q);
	q[2].w = 0.0;
	assert_int_equal(fit_status(q, 8), MM_SHM_E_WINDOW);
	q[2].w = -4096.0;
	assert_int_equal(fit_status(q, 8), MM_SHM_E_WINDOW);

	/* one window only, then two: c is not determined */
	for (size_t i = 0; i < 8; i++)
		q[i] = (struct mm_shm_point){ 4096.0, 1.0 + (double)i };
	assert_int_equal(fit_status(q, 8), MM_SHM_E_DEGENERATE);
	for (size_t i = 0; i < 8; i++)
		q[i] = (struct mm_shm_point){ i % 2 ? 4096.0 : 8192.0,
					      i % 2 ? 2.0 : 1.0 };
	assert_int_equal(fit_status(q, 8), MM_SHM_E_DEGENERATE);

	/* flat times, rising times */
	for (size_t i = 0; i < 8; i++)
		q[i] = (struct mm_shm_point){ 1.0 + (double)i, 5.0 };
	assert_int_equal(fit_status(q, 8), MM_SHM_E_NOT_DECREASING);
	synth(q, 8, 1.0, -2.0, 3.0, 0.5, 20.0);
	assert_int_equal(fit_status(q, 8), MM_SHM_E_NOT_DECREASING);

	/* a straight line has no knee: c runs to the upper end */
	for (size_t i = 0; i < 8; i++)
		q[i] = (struct mm_shm_point){ 1.0 + (double)i,
					      10.0 - (double)i };
	assert_int_equal(fit_status(q, 8), MM_SHM_E_UNIDENTIFIED);
	/* a single step: c runs to the lower end */
	for (size_t i = 0; i < 8; i++)
		q[i] = (struct mm_shm_point){ 1.0 + (double)i,
					      i == 0 ? 10.0 : 1.0 };
	assert_int_equal(fit_status(q, 8), MM_SHM_E_UNIDENTIFIED);

	/* err may be NULL */
	assert_int_equal(mm_shm_fit(p, 3, &f, NULL, 0), MM_SHM_E_TOO_FEW);
	assert_string_equal(mm_shm_status_str(MM_SHM_E_TOO_FEW),
			    "fewer than 4 points");
	assert_string_equal(mm_shm_status_str(99), "unknown status");
}

/* ---- The window formula ---- */

static uint64_t window(double a, double b, double c, double f, uint64_t page,
		       uint64_t lo, uint64_t hi, int *capped)
{
	struct mm_shm_fit fit = { a, b, c, 0, 1 };
	uint64_t w = 12345;
	int r = mm_shm_window(&fit, f, page, lo, hi, &w, capped, err,
			      sizeof err);
	if (r)
		fail_msg("%s", err);
	return w;
}

static void test_window_hand_cases(void **state)
{
	(void)state;
	int capped = -1;
	/* a 1, b 20, c 1000, f 0.05: b / (a f) = 400,
	 * w* = 1000 ln 400 = 5991.4645... */
	assert_int_equal(window(1, 20, 1000, 0.05, 1, 1, 1u << 22, &capped),
			 5992);
	assert_int_equal(capped, 0);
	assert_int_equal(window(1, 20, 1000, 0.05, 1000, 1000, 1000000, NULL),
			 6000);
	assert_int_equal(window(1, 20, 1000, 0.05, 4096, 4096, 1u << 22, NULL),
			 8192);
	/* units of a and b cancel: a 16 ms, b 320 ms is the same 400 */
	assert_int_equal(window(16e-3, 320e-3, 1000, 0.05, 4096, 4096,
				1u << 22, NULL), 8192);
	/* f 0.01: b / (a f) = 2000, w* = 1000 ln 2000 = 7600.9020... */
	assert_int_equal(window(1, 20, 1000, 0.01, 1, 1, 1u << 22, NULL),
			 7601);
	/* b <= a f: every window will do, the smallest allowed */
	assert_int_equal(window(1, 0.04, 1000, 0.05, 4096, 8192, 1u << 22,
				&capped), 8192);
	assert_int_equal(capped, 0);
	assert_int_equal(window(1, 0.05, 1000, 0.05, 4096, 4096, 1u << 22,
				NULL), 4096);
	/* w* = 10 ln 400 = 59.9: below the minimum */
	assert_int_equal(window(1, 20, 10, 0.05, 4096, 8192, 1u << 22, NULL),
			 8192);
	/* w* = 1e6 ln 400 = 5.99e6 bytes: above 4 MiB, capped */
	assert_int_equal(window(1, 20, 1e6, 0.05, 4096, 4096, 1u << 22,
				&capped), 1u << 22);
	assert_int_equal(capped, 1);
	/* w* overflowing uint64 is capped too */
	assert_int_equal(window(1e-300, 1e300, 1e300, 0.05, 4096, 4096,
				1u << 22, &capped), 1u << 22);
	assert_int_equal(capped, 1);
}

/* The window is the smallest page multiple within the tolerance. */
static void test_window_is_smallest(void **state)
{
	(void)state;
	static const double cs[] = { 3000, 16384, 65536, 250000 };
	static const double fs[] = { 0.01, 0.05, 0.2 };
	for (size_t i = 0; i < 4; i++) {
		for (size_t j = 0; j < 3; j++) {
			struct mm_shm_fit fit = { 0.0168, 0.041, cs[i], 0, 1 };
			uint64_t w;
			int capped;
			assert_int_equal(mm_shm_window(&fit, fs[j], 4096, 4096,
						       1u << 30, &w, &capped,
						       err, sizeof err),
					 MM_SHM_OK);
			assert_int_equal(capped, 0);
			assert_int_equal(w % 4096, 0);
			double lim = fit.a * (1 + fs[j]);
			assert_true(mm_shm_fit_eval(&fit, (double)w) <= lim);
			if (w > 4096)
				assert_true(mm_shm_fit_eval(&fit,
						(double)(w - 4096)) > lim);
		}
	}
}

static void test_window_refusals(void **state)
{
	(void)state;
	struct mm_shm_fit good = { 1, 20, 1000, 0, 1 }, bad;
	uint64_t w = 7;
	int capped = 7;
	assert_int_equal(mm_shm_window(NULL, 0.05, 4096, 4096, 8192, &w,
				       NULL, err, sizeof err), MM_SHM_E_ARG);
	assert_int_equal(mm_shm_window(&good, 0.05, 4096, 4096, 8192, NULL,
				       NULL, err, sizeof err), MM_SHM_E_ARG);
	bad = good;
	bad.a = 0;
	assert_int_equal(mm_shm_window(&bad, 0.05, 4096, 4096, 8192, &w,
				       &capped, err, sizeof err),
			 MM_SHM_E_ASYMPTOTE);
	assert_true(w == 0 && capped == 0);
	bad.a = -1;
	assert_int_equal(mm_shm_window(&bad, 0.05, 4096, 4096, 8192, &w,
				       NULL, err, sizeof err),
			 MM_SHM_E_ASYMPTOTE);
	bad = good;
	bad.b = 0;
	assert_int_equal(mm_shm_window(&bad, 0.05, 4096, 4096, 8192, &w,
				       NULL, err, sizeof err), MM_SHM_E_ARG);
	bad = good;
	bad.c = -5;
	assert_int_equal(mm_shm_window(&bad, 0.05, 4096, 4096, 8192, &w,
				       NULL, err, sizeof err), MM_SHM_E_ARG);
	bad = good;
	bad.a = NAN;
	assert_int_equal(mm_shm_window(&bad, 0.05, 4096, 4096, 8192, &w,
				       NULL, err, sizeof err), MM_SHM_E_ARG);
	assert_int_equal(mm_shm_window(&good, 0, 4096, 4096, 8192, &w, NULL,
				       err, sizeof err), MM_SHM_E_TOLERANCE);
	assert_int_equal(mm_shm_window(&good, -0.05, 4096, 4096, 8192, &w,
				       NULL, err, sizeof err),
			 MM_SHM_E_TOLERANCE);
	assert_int_equal(mm_shm_window(&good, NAN, 4096, 4096, 8192, &w, NULL,
				       err, sizeof err), MM_SHM_E_TOLERANCE);
	assert_int_equal(mm_shm_window(&good, 0.05, 0, 4096, 8192, &w, NULL,
				       err, sizeof err), MM_SHM_E_BOUNDS);
	assert_int_equal(mm_shm_window(&good, 0.05, 4096, 0, 8192, &w, NULL,
				       err, sizeof err), MM_SHM_E_BOUNDS);
	assert_int_equal(mm_shm_window(&good, 0.05, 4096, 8192, 4096, &w,
				       NULL, err, sizeof err),
			 MM_SHM_E_BOUNDS);
	assert_int_equal(mm_shm_window(&good, 0.05, 4096, 5000, 8192, &w,
				       NULL, err, sizeof err),
			 MM_SHM_E_BOUNDS);
	assert_int_equal(mm_shm_window(&good, 0.05, 4096, 4096, 9000, &w,
				       NULL, err, sizeof err),
			 MM_SHM_E_BOUNDS);
}

/* ---- The PROVISIONAL table ---- */

static void test_provisional_table(void **state)
{
	(void)state;
	size_t n = 0;
	const struct mm_shm_point *p = mm_shm_provisional_table(&n);
	assert_int_equal(n, 11);
	for (size_t i = 0; i < n; i++) {
		double w = 4096.0 * (double)(1u << i);
		double calls = 16777216.0 / w;
		assert_true(p[i].w == w);
		/* 10 us per call plus 16 MiB at 1 GB/s */
		assert_true(rel_err(p[i].t, calls * 10e-6 + 16777216e-9)
			    < 1e-15);
	}
	assert_true(rel_err(p[0].t, 0.057737216) < 1e-15);
	assert_true(rel_err(p[10].t, 0.016817216) < 1e-15);
	assert_true(mm_shm_provisional_table(NULL) == p);
}

/*
 * Fit, then window, on the provisional table. The fit (a 18.01 ms,
 * b 68.2 ms, c 7206 bytes, R^2 0.982) gives 32 KiB, whose time is within
 * 5% of the FITTED asymptote. It is NOT within 5% of the table's own
 * asymptote: the table's assumed law is t_smc S / w (hyperbolic), the
 * exponential falls too fast, so under that law 32 KiB costs 1.305x the
 * asymptote; the law's own 5% window is t_smc bw / f = 200000 bytes
 * (49 pages = 200704). Pinned here so that the mismatch stays visible
 * until the table is replaced by measurements.
 */
static void test_provisional_fit_and_window(void **state)
{
	(void)state;
	size_t n;
	const struct mm_shm_point *p = mm_shm_provisional_table(&n);
	struct mm_shm_fit f;
	assert_int_equal(mm_shm_fit(p, n, &f, err, sizeof err), MM_SHM_OK);
	assert_true(rel_err(f.a, 0.018012822) < 1e-4);
	assert_true(rel_err(f.b, 0.0682287) < 1e-4);
	assert_true(rel_err(f.c, 7205.81) < 1e-4);
	assert_true(f.r2 > 0.98 && f.r2 < 0.99);

	const double tol = 0.05;
	uint64_t w;
	int capped;
	assert_int_equal(mm_shm_window(&f, tol, 4096, 4096, 4u << 20, &w,
				       &capped, err, sizeof err), MM_SHM_OK);
	assert_int_equal(capped, 0);
	assert_int_equal(w, 32768);
	/* within the tolerance of the fitted asymptote, and the smallest */
	assert_true(mm_shm_fit_eval(&f, (double)w) <= f.a * (1 + tol));
	assert_true(mm_shm_fit_eval(&f, (double)(w - 4096)) > f.a * (1 + tol));

	/* the assumed cost law at that window: 1.305x its asymptote */
	double S = MM_SHM_PROV_TOTAL_BYTES;
	double t_inf = S / MM_SHM_PROV_COPY_BPS;
	double t_w = S / (double)w * MM_SHM_PROV_SMC_S + t_inf;
	assert_true(fabs(t_w / t_inf - 1.3052) < 1e-3);
	double w_law = MM_SHM_PROV_SMC_S * MM_SHM_PROV_COPY_BPS / tol;
	assert_true(fabs(w_law - 200000.0) < 1e-6);
}

/* The data's own verdict on a window: interpolated, then over the best. */
static void test_data_ratio(void **state)
{
	(void)state;
	const struct mm_shm_point pts[] = { { 8, 3 }, { 1, 10 }, { 4, 4 },
					    { 2, 6 } };
	assert_float_equal(mm_shm_data_ratio(pts, 4, 3), 5.0 / 3, 1e-12);
	assert_float_equal(mm_shm_data_ratio(pts, 4, 4), 4.0 / 3, 1e-12);
	assert_float_equal(mm_shm_data_ratio(pts, 4, 0.5), 10.0 / 3, 1e-12);
	assert_float_equal(mm_shm_data_ratio(pts, 4, 100), 1.0, 1e-12);
	assert_true(isnan(mm_shm_data_ratio(NULL, 0, 1)));
	/* the provisional table's 1/w law at the fit's window: the fit
	 * promises 5% and the data say more, which plans report */
	size_t n;
	const struct mm_shm_point *prov = mm_shm_provisional_table(&n);
	assert_true(mm_shm_data_ratio(prov, n, 32768) > 1.2);
	assert_float_equal(mm_shm_data_ratio(prov, n, 4 << 20), 1.0, 1e-12);
}

/* ---- The window chosen by the points, where the fit does not apply ---- */

static int from_points(const struct mm_shm_point *pts, size_t n, double f,
		       uint64_t lo, uint64_t hi, uint64_t *w, int *capped)
{
	return mm_shm_window_from_points(pts, n, f, 4096, lo, hi, w, capped,
					 err, sizeof err);
}

/* The counted transfers of a model smaller than every window: the same
 * time at each (one call), which the fit refuses; the points choose the
 * smallest window. */
static void test_points_flat(void **state)
{
	(void)state;
	struct mm_shm_point pts[11];
	for (size_t i = 0; i < 11; i++)
		pts[i] = (struct mm_shm_point){ (double)(4096u << i), 64e-6 };
	struct mm_shm_fit f;
	assert_int_not_equal(mm_shm_fit(pts, 11, &f, err, sizeof err),
			     MM_SHM_OK);
	uint64_t w;
	int capped = -1;
	assert_int_equal(from_points(pts, 11, 0.05, 4096, 4 << 20, &w,
				     &capped), MM_SHM_OK);
	assert_int_equal(w, 4096);
	assert_int_equal(capped, 0);
	/* times that rise with the window: still the smallest */
	for (size_t i = 0; i < 11; i++)
		pts[i].t = 64e-6 + 1e-9 * (double)i;
	assert_int_equal(mm_shm_fit(pts, 11, &f, err, sizeof err),
			 MM_SHM_E_NOT_DECREASING);
	assert_int_equal(from_points(pts, 11, 0.05, 4096, 4 << 20, &w, NULL),
			 MM_SHM_OK);
	assert_int_equal(w, 4096);
}

/* A step (two calls at 4 KiB, one from 8 KiB on), given in any order:
 * the smallest window within f of the best, rounded up to a page and
 * kept within the bounds. */
static void test_points_step(void **state)
{
	(void)state;
	const struct mm_shm_point pts[] = {
		{ 65536, 50 }, { 4096, 100 }, { 16384, 50 }, { 8192, 52 },
		{ 32768, 50 },
	};
	uint64_t w;
	int capped;
	assert_int_equal(from_points(pts, 5, 0.05, 4096, 65536, &w, &capped),
			 MM_SHM_OK);
	assert_int_equal(w, 8192);	/* 52 <= 50 * 1.05 */
	assert_int_equal(from_points(pts, 5, 0.01, 4096, 65536, &w, &capped),
			 MM_SHM_OK);
	assert_int_equal(w, 16384);	/* 52 > 50.5 */
	assert_int_equal(capped, 0);
	/* the best is beyond w_max: the largest allowed window, capped */
	assert_int_equal(from_points(pts, 5, 0.01, 4096, 12288, &w, &capped),
			 MM_SHM_OK);
	assert_int_equal(w, 12288);
	assert_int_equal(capped, 1);
	/* raised to w_min; a window between pages rounded up */
	assert_int_equal(from_points(pts, 5, 0.05, 12288, 65536, &w, NULL),
			 MM_SHM_OK);
	assert_int_equal(w, 12288);
	const struct mm_shm_point odd[] = { { 5000, 1 }, { 1000, 2 } };
	assert_int_equal(from_points(odd, 2, 0.05, 4096, 65536, &w, NULL),
			 MM_SHM_OK);
	assert_int_equal(w, 8192);
	/* one point is enough */
	assert_int_equal(from_points(odd, 1, 0.05, 4096, 65536, &w, NULL),
			 MM_SHM_OK);
	assert_int_equal(w, 8192);
}

static void test_points_refusals(void **state)
{
	(void)state;
	const struct mm_shm_point good[] = { { 4096, 1 }, { 8192, 1 } };
	struct mm_shm_point bad[] = { { 4096, 1 }, { 8192, NAN } };
	uint64_t w = 1;
	int capped = 1;
	assert_int_equal(mm_shm_window_from_points(NULL, 2, 0.05, 4096, 4096,
						   8192, &w, &capped, err,
						   sizeof err), MM_SHM_E_ARG);
	assert_int_equal(w, 0);
	assert_int_equal(capped, 0);
	assert_int_equal(mm_shm_window_from_points(good, 2, 0.05, 4096, 4096,
						   8192, NULL, NULL, NULL, 0),
			 MM_SHM_E_ARG);
	assert_int_equal(from_points(good, 0, 0.05, 4096, 8192, &w, NULL),
			 MM_SHM_E_TOO_FEW);
	assert_int_equal(from_points(good, 2, 0, 4096, 8192, &w, NULL),
			 MM_SHM_E_TOLERANCE);
	assert_int_equal(from_points(bad, 2, 0.05, 4096, 8192, &w, NULL),
			 MM_SHM_E_NONFINITE);
	assert_non_null(strstr(err, "point 1 is not finite"));
	bad[1] = (struct mm_shm_point){ 0, 1 };
	assert_int_equal(from_points(bad, 2, 0.05, 4096, 8192, &w, NULL),
			 MM_SHM_E_WINDOW);
	assert_int_equal(from_points(good, 2, 0.05, 8192, 4096, &w, NULL),
			 MM_SHM_E_BOUNDS);
	assert_non_null(strstr(err, "mm_shm_window_from_points: need page"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_recovery),
		cmocka_unit_test(test_order_and_duplicates),
		cmocka_unit_test(test_noisy_recovery),
		cmocka_unit_test(test_fit_refusals),
		cmocka_unit_test(test_window_hand_cases),
		cmocka_unit_test(test_window_is_smallest),
		cmocka_unit_test(test_window_refusals),
		cmocka_unit_test(test_provisional_table),
		cmocka_unit_test(test_provisional_fit_and_window),
		cmocka_unit_test(test_data_ratio),
		cmocka_unit_test(test_points_flat),
		cmocka_unit_test(test_points_step),
		cmocka_unit_test(test_points_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
