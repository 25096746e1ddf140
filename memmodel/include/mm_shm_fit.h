/*
 * The shared-memory window: how large a chunk each call into the TEE
 * should move. Smart-Zone sizes it from an exponential fit of transfer
 * time against window size (Xie et al., INFOCOM 2024; its public code's
 * knob is `-mov_size`, default 1024 floats, example 262144 floats =
 * 1 MiB per call).
 *
 *   size_t n;
 *   const struct mm_shm_point *pts = mm_shm_provisional_table(&n);
 *   struct mm_shm_fit fit;
 *   uint64_t w;
 *   if (mm_shm_fit(pts, n, &fit, err, sizeof err)
 *       || mm_shm_window(&fit, 0.05, 4096, 4096, 4 << 20, &w, NULL,
 *                        err, sizeof err))
 *           ... err says why ...
 *
 * The model is  T(w) = a + b * exp(-w / c)  with b > 0 and c > 0: the
 * time falls from a + b towards the asymptote a as the window grows, c
 * being the window scale of the fall. Units are the caller's (the
 * provisional table uses bytes and seconds); the fit is unit-free.
 *
 * Every function returns MM_SHM_OK or an error code and, on error, writes
 * one sentence into err (when err is not NULL).
 */
#ifndef MM_SHM_FIT_H
#define MM_SHM_FIT_H

#include <stddef.h>
#include <stdint.h>

enum mm_shm_status {
	MM_SHM_OK = 0,
	MM_SHM_E_ARG,		/* a NULL pointer */
	MM_SHM_E_TOO_FEW,	/* fewer than 4 points */
	MM_SHM_E_NONFINITE,	/* a NaN or infinite window or time */
	MM_SHM_E_WINDOW,	/* a window <= 0 */
	MM_SHM_E_DEGENERATE,	/* fewer than 3 distinct windows */
	MM_SHM_E_NOT_DECREASING, /* the best fit has b <= 0 (flat or rising data) */
	MM_SHM_E_UNIDENTIFIED,	/* the best c lies on the search bracket's edge */
	MM_SHM_E_ASYMPTOTE,	/* a <= 0: "within f of the asymptote" means nothing */
	MM_SHM_E_TOLERANCE,	/* f not finite or <= 0 */
	MM_SHM_E_BOUNDS,	/* page, min or max unusable */
};

/* The status as a short phrase ("fewer than 4 points", ...). */
const char *mm_shm_status_str(int status);

struct mm_shm_point {
	double w;	/* window size (bytes in the provisional table) */
	double t;	/* transfer time (seconds in the provisional table) */
};

struct mm_shm_fit {
	double a;	/* asymptote: the time with an unbounded window */
	double b;	/* > 0: extra time at w -> 0 */
	double c;	/* > 0: window scale of the fall, in units of w */
	double rms;	/* sqrt(RSS / n) */
	double r2;	/* 1 - RSS / sum (t_i - mean t)^2 */
};

/*
 * Least-squares fit of T(w) = a + b exp(-w / c) to n >= 4 points with
 * w_i > 0, at least 3 distinct w_i, everything finite.
 *
 * For a fixed c the model is linear in (a, b): x_i = exp(-w_i / c), and
 * (a, b) solve the 2x2 normal equations in closed form (centred sums:
 * b = Sxt / Sxx, a = mean t - b mean x). That leaves the residual sum of
 * squares as a function of c alone, minimised over log c in
 * [min w / 100, max w * 100]: a 400-point log-spaced scan finds the
 * basin, golden-section search on log c refines it to a relative width
 * of 1e-13. A best c on either end of the bracket, or an end whose RSS
 * ties the best to within rounding, is refused (MM_SHM_E_UNIDENTIFIED: the data show no knee, e.g. a straight line
 * or a single step), as is a best fit with b <= 0 (MM_SHM_E_NOT_DECREASING).
 * On error *out is zeroed.
 */
int mm_shm_fit(const struct mm_shm_point *pts, size_t n,
	       struct mm_shm_fit *out, char *err, size_t err_len);

/* a + b exp(-w / c). */
double mm_shm_fit_eval(const struct mm_shm_fit *fit, double w);

/*
 * The window to use: the smallest w with T(w) <= a (1 + f), i.e. within
 * a fraction f of the asymptote (f = 0.05: at most 5% slower than an
 * unbounded window). Since b > 0,
 *
 *   a + b exp(-w/c) <= a (1 + f)  <=>  exp(-w/c) <= a f / b
 *                                 <=>  w >= w* = c ln(b / (a f)),
 *
 * defined when b > a f; when b <= a f every window meets the tolerance
 * and w* is taken as w_min. w* is then rounded up to a multiple of page
 * and clamped to [w_min, w_max]. page >= 1; w_min and w_max must be
 * positive multiples of page with w_min <= w_max, so the result always
 * is one. *capped (when not NULL) is set to 1 when w_max is below the
 * window the tolerance needs (T(w_max) > a (1 + f)), else 0. Needs
 * a > 0 (MM_SHM_E_ASYMPTOTE), b > 0 and c > 0 (MM_SHM_E_ARG).
 */
int mm_shm_window(const struct mm_shm_fit *fit, double f, uint64_t page,
		  uint64_t w_min, uint64_t w_max, uint64_t *out, int *capped,
		  char *err, size_t err_len);

/*
 * The window when the exponential law does not apply (mm_shm_fit or
 * mm_shm_window refused the points: times that do not fall, no knee,
 * too few points), chosen by the points themselves: with t_best the
 * smallest time of any point, the smallest window w_i <= w_max whose
 * time is within f of it (t_i <= t_best + f |t_best|), rounded up to
 * a multiple of page and raised to w_min. A model smaller than every
 * window takes the same time at each (one call whatever the window),
 * so it gets w_min.
 * When no point at or below w_max is within f of t_best, the answer is
 * w_max and *capped (when not NULL) is 1, else 0. page, w_min and
 * w_max as for mm_shm_window; needs n >= 1 (MM_SHM_E_TOO_FEW), finite
 * points (MM_SHM_E_NONFINITE) with windows > 0 (MM_SHM_E_WINDOW).
 */
int mm_shm_window_from_points(const struct mm_shm_point *pts, size_t n,
			      double f, uint64_t page, uint64_t w_min,
			      uint64_t w_max, uint64_t *out, int *capped,
			      char *err, size_t err_len);

/*
 * How a window does on the data themselves, not the fit: the time at w
 * (linear between the nearest windows, the nearest point's time outside
 * them) over the smallest time of any point. The exponential law only
 * approximates a per-call cost that falls as 1/w, so a plan reports this
 * beside the fit's promise of at most 1 + f. NAN without points.
 */
double mm_shm_data_ratio(const struct mm_shm_point *pts, size_t n, double w);

/*
 * PROVISIONAL: NOT A MEASUREMENT. When it is given no points (smartzone
 * plan gives the simulator's counted transfers, costed for the board, on
 * a platform with cost figures), the planner fits this table, derived
 * from an assumed cost model for moving MM_SHM_PROV_TOTAL_BYTES of
 * weights in calls of w bytes:
 *
 *   T(w) = ceil(S / w) * t_smc + S / bw
 *
 * t_smc = MM_SHM_PROV_SMC_S (an ASSUMED 10 us per SMC round trip, normal
 * world -> TEE -> normal world), bw = MM_SHM_PROV_COPY_BPS (an ASSUMED
 * 1 GB/s copy). Per call: t_smc + w / bw. Windows are the powers of two
 * from 4 KiB to 4 MiB (11 points); w in bytes, T in seconds.
 *
 * Note the assumed law is hyperbolic (t_smc S / w), not exponential: the
 * exponential fit only approximates it. Under this law the window within
 * f of the asymptote is exactly w = t_smc bw / f (200000 bytes for
 * f = 0.05), whatever S.
 */
#define MM_SHM_PROV_TOTAL_BYTES	(16.0 * 1024 * 1024)
#define MM_SHM_PROV_SMC_S	10e-6	/* ASSUMED, not measured */
#define MM_SHM_PROV_COPY_BPS	1e9	/* ASSUMED, not measured */

const struct mm_shm_point *mm_shm_provisional_table(size_t *n);

#endif
