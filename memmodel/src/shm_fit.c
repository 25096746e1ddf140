/*
 * The shared-memory window: an exponential fit of transfer time against
 * window size, and the window it implies. See mm_shm_fit.h.
 */
#include "mm_shm_fit.h"
#include "mm_text.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MIN_POINTS	4
#define SCAN_POINTS	400	/* coarse log-spaced scan over the bracket */
#define BRACKET		100.0	/* c in [min w / BRACKET, max w * BRACKET] */
#define GOLDEN_TOL	1e-13	/* final width of the log c bracket */
#define GOLDEN_MAX_IT	200

const char *mm_shm_status_str(int status)
{
	switch (status) {
	case MM_SHM_OK: return "ok";
	case MM_SHM_E_ARG: return "bad argument";
	case MM_SHM_E_TOO_FEW: return "fewer than 4 points";
	case MM_SHM_E_NONFINITE: return "non-finite input";
	case MM_SHM_E_WINDOW: return "window not positive";
	case MM_SHM_E_DEGENERATE: return "fewer than 3 distinct windows";
	case MM_SHM_E_NOT_DECREASING: return "time does not fall with the window";
	case MM_SHM_E_UNIDENTIFIED: return "window scale not identified by the data";
	case MM_SHM_E_ASYMPTOTE: return "asymptote not positive";
	case MM_SHM_E_TOLERANCE: return "tolerance not positive";
	case MM_SHM_E_BOUNDS: return "bad page or window bounds";
	}
	return "unknown status";
}

/*
 * Scaled data: u_i = w_i / max w, so the search runs over c / max w and
 * the numbers stay near 1 whatever the caller's units.
 */
struct data {
	const struct mm_shm_point *pts;
	size_t n;
	double scale;	/* max w */
	double tmean;
};

struct lin {
	double a, b, rss;
};

/*
 * For a fixed (scaled) c: the least-squares (a, b) of t = a + b x with
 * x_i = exp(-u_i / c), from the centred normal equations, and the residual
 * sum of squares summed directly (not as Stt - b Sxt, which cancels).
 * When the x_i are all equal (to the last bit) b is not determined; the
 * fit is the mean (b = 0).
 */
static struct lin solve_lin(const struct data *d, double c)
{
	double xmean = 0, sxx = 0, sxt = 0;
	for (size_t i = 0; i < d->n; i++)
		xmean += exp(-d->pts[i].w / d->scale / c);
	xmean /= (double)d->n;
	for (size_t i = 0; i < d->n; i++) {
		double dx = exp(-d->pts[i].w / d->scale / c) - xmean;
		sxx += dx * dx;
		sxt += dx * (d->pts[i].t - d->tmean);
	}
	struct lin r;
	r.b = sxx > 0 ? sxt / sxx : 0.0;
	r.a = d->tmean - r.b * xmean;
	r.rss = 0;
	for (size_t i = 0; i < d->n; i++) {
		double e = d->pts[i].t - r.a
			   - r.b * exp(-d->pts[i].w / d->scale / c);
		r.rss += e * e;
	}
	return r;
}

static double rss_at(const struct data *d, double logc)
{
	return solve_lin(d, exp(logc)).rss;
}

/* Whether the points hold at least 3 distinct windows (one pass). */
static int three_distinct(const struct mm_shm_point *pts, size_t n)
{
	double w0 = pts[0].w, w1 = w0;
	int have1 = 0;
	for (size_t i = 1; i < n; i++) {
		if (pts[i].w == w0)
			continue;
		if (!have1) {
			w1 = pts[i].w;
			have1 = 1;
		} else if (pts[i].w != w1) {
			return 1;
		}
	}
	return 0;
}

/* Every point finite, with a window > 0; else the error, named for fn. */
static int check_points(const char *fn, const struct mm_shm_point *pts,
			size_t n, char *err, size_t err_len)
{
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(pts[i].w) || !isfinite(pts[i].t))
			return mm_fail(err, err_len, MM_SHM_E_NONFINITE,
				    "%s: point %zu is not finite.", fn, i);
		if (pts[i].w <= 0)
			return mm_fail(err, err_len, MM_SHM_E_WINDOW,
				    "%s: point %zu has window %g <= 0.", fn,
				    i, pts[i].w);
	}
	return MM_SHM_OK;
}

/* page >= 1 and 0 < w_min <= w_max, both multiples of page. */
static int check_bounds(const char *fn, uint64_t page, uint64_t w_min,
			uint64_t w_max, char *err, size_t err_len)
{
	if (page == 0 || w_min == 0 || w_min > w_max || w_min % page
	    || w_max % page)
		return mm_fail(err, err_len, MM_SHM_E_BOUNDS,
			    "%s: need page >= 1 and 0 < min <= max, both "
			    "multiples of page (page %llu, min %llu, max "
			    "%llu).", fn, (unsigned long long)page,
			    (unsigned long long)w_min,
			    (unsigned long long)w_max);
	return MM_SHM_OK;
}

/* w (0 <= w <= w_max) rounded up to a multiple of page, within
 * [w_min, w_max]. */
static uint64_t page_window(double w, uint64_t page, uint64_t w_min,
			    uint64_t w_max)
{
	/* w <= w_max < 2^64: the conversions below are exact or safe. */
	uint64_t r = (uint64_t)ceil(w / (double)page) * page;
	if (r > w_max)	/* rounding of w/page near w_max */
		r = w_max;
	return r < w_min ? w_min : r;
}

int mm_shm_fit(const struct mm_shm_point *pts, size_t n,
	       struct mm_shm_fit *out, char *err, size_t err_len)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!pts || !out)
		return mm_fail(err, err_len, MM_SHM_E_ARG,
			    "mm_shm_fit: points and out must not be NULL.");
	if (n < MIN_POINTS)
		return mm_fail(err, err_len, MM_SHM_E_TOO_FEW,
			    "mm_shm_fit: %zu points, at least %d needed.", n,
			    MIN_POINTS);

	int bad = check_points("mm_shm_fit", pts, n, err, err_len);
	if (bad)
		return bad;
	double wmin = INFINITY, wmax = 0, tsum = 0, tmax = 0;
	for (size_t i = 0; i < n; i++) {
		wmin = fmin(wmin, pts[i].w);
		wmax = fmax(wmax, pts[i].w);
		tsum += pts[i].t;
		tmax = fmax(tmax, fabs(pts[i].t));
	}
	if (!three_distinct(pts, n))
		return mm_fail(err, err_len, MM_SHM_E_DEGENERATE,
			    "mm_shm_fit: fewer than 3 distinct windows; three "
			    "parameters need at least 3.");
	struct data d = { pts, n, wmax, tsum / (double)n };
	if (!isfinite(d.tmean))
		return mm_fail(err, err_len, MM_SHM_E_NONFINITE,
			    "mm_shm_fit: the times overflow when summed.");

	/* Coarse scan over log c (scaled) in [wmin/wmax / 100, 100]. */
	double lo = log(wmin / wmax / BRACKET), hi = log(BRACKET);
	double step = (hi - lo) / (SCAN_POINTS - 1);
	size_t best = 0;
	double best_rss = INFINITY, rss_lo = 0, rss_hi = 0;
	for (size_t k = 0; k < SCAN_POINTS; k++) {
		double r = rss_at(&d, lo + step * (double)k);
		if (k == 0)
			rss_lo = r;
		if (k == SCAN_POINTS - 1)
			rss_hi = r;
		if (r < best_rss) {
			best_rss = r;
			best = k;
		}
	}
	if (!isfinite(best_rss))
		return mm_fail(err, err_len, MM_SHM_E_NONFINITE,
			    "mm_shm_fit: the residuals overflow; times too "
			    "large.");
	if (solve_lin(&d, exp(lo + step * (double)best)).b <= 0)
		return mm_fail(err, err_len, MM_SHM_E_NOT_DECREASING,
			    "mm_shm_fit: the best fit has b <= 0: the times do "
			    "not fall as the window grows.");
	/*
	 * An edge counts as the best when its RSS ties the scan's minimum to
	 * within rounding (an exact limit, e.g. a single step as c -> 0,
	 * leaves only rounding noise to pick an interior point).
	 */
	double floor_rss = (double)n * (64 * DBL_EPSILON * tmax)
			   * (64 * DBL_EPSILON * tmax);
	if (rss_lo <= best_rss + floor_rss)
		best = 0;
	else if (rss_hi <= best_rss + floor_rss)
		best = SCAN_POINTS - 1;
	if (best == 0 || best == SCAN_POINTS - 1)
		return mm_fail(err, err_len, MM_SHM_E_UNIDENTIFIED,
			    "mm_shm_fit: the best window scale c lies at the "
			    "%s end of [%g, %g]: the data show no exponential "
			    "knee.", best == 0 ? "lower" : "upper",
			    wmin / BRACKET, wmax * BRACKET);

	/* Golden-section search on log c over the basin's two cells. */
	const double g = 0.5 * (sqrt(5.0) - 1.0);	/* 0.618... */
	double x0 = lo + step * (double)(best - 1);
	double x3 = lo + step * (double)(best + 1);
	double x1 = x3 - g * (x3 - x0), x2 = x0 + g * (x3 - x0);
	double f1 = rss_at(&d, x1), f2 = rss_at(&d, x2);
	for (int it = 0; it < GOLDEN_MAX_IT && x3 - x0 > GOLDEN_TOL; it++) {
		if (f1 <= f2) {
			x3 = x2;
			x2 = x1;
			f2 = f1;
			x1 = x3 - g * (x3 - x0);
			f1 = rss_at(&d, x1);
		} else {
			x0 = x1;
			x1 = x2;
			f1 = f2;
			x2 = x0 + g * (x3 - x0);
			f2 = rss_at(&d, x2);
		}
	}
	/* The best point seen: the scan's, or the golden search's. */
	double logc = lo + step * (double)best;
	double fbest = best_rss;
	if (f1 <= fbest) {
		logc = x1;
		fbest = f1;
	}
	if (f2 < fbest)
		logc = x2;

	double cs = exp(logc);
	struct lin r = solve_lin(&d, cs);
	if (!(r.b > 0))
		return mm_fail(err, err_len, MM_SHM_E_NOT_DECREASING,
			    "mm_shm_fit: the best fit has b <= 0: the times do "
			    "not fall as the window grows.");
	double stt = 0;
	for (size_t i = 0; i < n; i++) {
		double e = pts[i].t - d.tmean;
		stt += e * e;
	}
	out->a = r.a;
	out->b = r.b;
	out->c = cs * d.scale;
	out->rms = sqrt(r.rss / (double)n);
	out->r2 = stt > 0 ? 1.0 - r.rss / stt : 1.0;
	return MM_SHM_OK;
}

double mm_shm_fit_eval(const struct mm_shm_fit *fit, double w)
{
	return fit->a + fit->b * exp(-w / fit->c);
}

/* The data's time at w: linear between the nearest windows on either
 * side, the nearest point's time outside their range. */
static double data_time(const struct mm_shm_point *pts, size_t n, double w)
{
	const struct mm_shm_point *lo = NULL, *hi = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct mm_shm_point *q = &pts[i];
		if (q->w <= w && (!lo || q->w > lo->w))
			lo = q;
		if (q->w >= w && (!hi || q->w < hi->w))
			hi = q;
	}
	if (!lo)
		return hi->t;
	if (!hi || hi->w == lo->w)
		return lo->t;
	return lo->t + (hi->t - lo->t) * (w - lo->w) / (hi->w - lo->w);
}

double mm_shm_data_ratio(const struct mm_shm_point *pts, size_t n, double w)
{
	if (!pts || !n)
		return NAN;
	double best = pts[0].t;
	for (size_t i = 1; i < n; i++)
		if (pts[i].t < best)
			best = pts[i].t;
	return data_time(pts, n, w) / best;
}

int mm_shm_window(const struct mm_shm_fit *fit, double f, uint64_t page,
		  uint64_t w_min, uint64_t w_max, uint64_t *out, int *capped,
		  char *err, size_t err_len)
{
	if (out)
		*out = 0;
	if (capped)
		*capped = 0;
	if (!fit || !out)
		return mm_fail(err, err_len, MM_SHM_E_ARG,
			    "mm_shm_window: fit and out must not be NULL.");
	if (!isfinite(fit->a) || !isfinite(fit->b) || !isfinite(fit->c)
	    || !(fit->b > 0) || !(fit->c > 0))
		return mm_fail(err, err_len, MM_SHM_E_ARG,
			    "mm_shm_window: the fit needs finite a, b > 0 and "
			    "c > 0.");
	if (!(fit->a > 0))
		return mm_fail(err, err_len, MM_SHM_E_ASYMPTOTE,
			    "mm_shm_window: asymptote a = %g is not positive.",
			    fit->a);
	if (!isfinite(f) || !(f > 0))
		return mm_fail(err, err_len, MM_SHM_E_TOLERANCE,
			    "mm_shm_window: tolerance %g is not positive.", f);
	int bad = check_bounds("mm_shm_window", page, w_min, w_max, err,
			       err_len);
	if (bad)
		return bad;

	double af = fit->a * f;
	if (fit->b <= af) {	/* every window is within f of a */
		*out = w_min;
		return MM_SHM_OK;
	}
	double wstar = fit->c * log(fit->b / af);	/* > 0 */
	if (!(wstar <= (double)w_max)) {	/* also catches inf */
		*out = w_max;
		if (capped)
			*capped = 1;
		return MM_SHM_OK;
	}
	*out = page_window(wstar, page, w_min, w_max);
	return MM_SHM_OK;
}

int mm_shm_window_from_points(const struct mm_shm_point *pts, size_t n,
			      double f, uint64_t page, uint64_t w_min,
			      uint64_t w_max, uint64_t *out, int *capped,
			      char *err, size_t err_len)
{
	static const char fn[] = "mm_shm_window_from_points";
	if (out)
		*out = 0;
	if (capped)
		*capped = 0;
	if (!pts || !out)
		return mm_fail(err, err_len, MM_SHM_E_ARG,
			    "%s: points and out must not be NULL.", fn);
	if (n == 0)
		return mm_fail(err, err_len, MM_SHM_E_TOO_FEW,
			    "%s: no points.", fn);
	if (!isfinite(f) || !(f > 0))
		return mm_fail(err, err_len, MM_SHM_E_TOLERANCE,
			    "%s: tolerance %g is not positive.", fn, f);
	int bad = check_points(fn, pts, n, err, err_len);
	if (!bad)
		bad = check_bounds(fn, page, w_min, w_max, err, err_len);
	if (bad)
		return bad;
	double best = pts[0].t, chosen = INFINITY;
	for (size_t i = 1; i < n; i++)
		best = fmin(best, pts[i].t);
	/* within f of best: t <= best + f |best| (best may be <= 0) */
	double limit = best + f * fabs(best);
	for (size_t i = 0; i < n; i++)
		if (pts[i].w <= (double)w_max && pts[i].t <= limit)
			chosen = fmin(chosen, pts[i].w);
	if (isinf(chosen)) {
		*out = w_max;
		if (capped)
			*capped = 1;
		return MM_SHM_OK;
	}
	*out = page_window(chosen, page, w_min, w_max);
	return MM_SHM_OK;
}

/*
 * PROVISIONAL: NOT A MEASUREMENT. The assumed cost model of mm_shm_fit.h,
 * T(w) = (S / w) t_smc + S / bw with S = 16 MiB (a multiple of every
 * window, so ceil(S / w) = S / w), t_smc = 10 us (assumed SMC round trip),
 * bw = 1 GB/s (assumed copy). Replace with the simulator's measurements.
 */
#define PROV_T(w) ((MM_SHM_PROV_TOTAL_BYTES / (w)) * MM_SHM_PROV_SMC_S \
		   + MM_SHM_PROV_TOTAL_BYTES / MM_SHM_PROV_COPY_BPS)
#define PROV_ROW(k) { (double)(1UL << (k)), PROV_T((double)(1UL << (k))) }

static const struct mm_shm_point provisional[] = {
	PROV_ROW(12), PROV_ROW(13), PROV_ROW(14), PROV_ROW(15),
	PROV_ROW(16), PROV_ROW(17), PROV_ROW(18), PROV_ROW(19),
	PROV_ROW(20), PROV_ROW(21), PROV_ROW(22),
};

const struct mm_shm_point *mm_shm_provisional_table(size_t *n)
{
	if (n)
		*n = sizeof provisional / sizeof provisional[0];
	return provisional;
}
