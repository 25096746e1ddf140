/*
 * The shared-memory window from the cost model (sim_cost.h): the modelled
 * time of moving a model's weights through windows of each size, fitted
 * with the planner's exponential law (mm_shm_fit.h). The points come
 * from counters, synthetic here or counted on a real provisioning run,
 * so both give the fit the same kind of data.
 */
#include <string.h>

#include "sim_cost.h"
#include "mm_text.h"

/* Values per provisioning call besides the chunk: Smart-Zone's public
 * code sends the chunk's index, size and last flag. */
#define PARAMS_PER_CALL 2

static uint64_t pages_of(uint64_t bytes)
{
	return bytes / SIM_COST_PAGE + (bytes % SIM_COST_PAGE != 0);
}

void sim_cost_shm_counters(uint64_t total, uint64_t window, int bounce,
			   struct sim_counters *out)
{
	memset(out, 0, sizeof *out);
	if (window == 0)
		return;
	uint64_t full = total / window, rest = total % window;
	uint64_t calls = full + (rest != 0);
	out->smc = calls;
	out->invokes = calls;
	out->params = PARAMS_PER_CALL * calls;
	out->bytes_to_secure = total;
	out->pages_mapped = full * pages_of(window) + pages_of(rest);
	out->bounce_copy_bytes = bounce ? total : 0;
}

int sim_cost_shm_point(const struct mm_cost *c, uint64_t window,
		       const struct sim_counters *n, struct mm_shm_point *out,
		       char *err, size_t err_len)
{
	if (!out)
		return mm_fail(err, err_len, SIM_COST_E_ARG,
				     "sim_cost_shm_point: out must not be "
				     "NULL.");
	memset(out, 0, sizeof *out);
	if (window == 0)
		return mm_fail(err, err_len, SIM_COST_E_WINDOW,
				     "sim_cost_shm_point: a window of 0 "
				     "bytes.");
	struct sim_cost_modelled m;
	int s = sim_cost_model(c, n, NULL, &m, err, err_len);
	if (s)
		return s;
	out->w = (double)window;
	out->t = m.t.busy;	/* switches, mapping and copies: no compute */
	return SIM_COST_OK;
}

/* w_lo, w_hi: positive page multiples with w_hi = w_lo x 2^k. */
static int check_range(uint64_t total, uint64_t w_lo, uint64_t w_hi,
		       char *err, size_t err_len)
{
	if (total == 0)
		return mm_fail(err, err_len, SIM_COST_E_WINDOW,
				     "sim_cost_shm_points: nothing to "
				     "transfer (0 bytes).");
	uint64_t w = w_lo;
	while (w != 0 && w < w_hi && w <= UINT64_MAX / 2)
		w *= 2;
	if (w_lo == 0 || w_lo % SIM_COST_PAGE || w_hi % SIM_COST_PAGE
	    || w != w_hi)
		return mm_fail(err, err_len, SIM_COST_E_WINDOW,
				     "sim_cost_shm_points: windows %llu..%llu "
				     "are no page multiples with the top a "
				     "power-of-two multiple of the bottom.",
				     (unsigned long long)w_lo,
				     (unsigned long long)w_hi);
	return SIM_COST_OK;
}

int sim_cost_shm_points(const struct mm_cost *c, uint64_t total,
			int bounce, uint64_t w_lo, uint64_t w_hi,
			struct mm_shm_point *pts, size_t cap, size_t *n,
			char *err, size_t err_len)
{
	if (n)
		*n = 0;
	if (!pts || !n)
		return mm_fail(err, err_len, SIM_COST_E_ARG,
				     "sim_cost_shm_points: pts and n must not "
				     "be NULL.");
	int s = check_range(total, w_lo, w_hi, err, err_len);
	if (s)
		return s;
	size_t k = 0;
	for (uint64_t w = w_lo;; w *= 2) {
		if (k == cap)
			return mm_fail(err, err_len, SIM_COST_E_WINDOW,
					     "sim_cost_shm_points: more "
					     "windows in %llu..%llu than room "
					     "for %zu points.",
					     (unsigned long long)w_lo,
					     (unsigned long long)w_hi, cap);
		struct sim_counters counted;
		sim_cost_shm_counters(total, w, bounce, &counted);
		s = sim_cost_shm_point(c, w, &counted, &pts[k], err,
				       err_len);
		if (s)
			return s;
		k++;
		if (w == w_hi)
			break;
	}
	*n = k;
	return SIM_COST_OK;
}

int sim_cost_shm_window(const struct mm_cost *c, uint64_t total,
			int bounce, double f, uint64_t w_lo, uint64_t w_hi,
			struct sim_cost_shm_window *out, char *err,
			size_t err_len)
{
	if (!out)
		return mm_fail(err, err_len, SIM_COST_E_ARG,
				     "sim_cost_shm_window: out must not be "
				     "NULL.");
	memset(out, 0, sizeof *out);
	struct mm_shm_point pts[SIM_COST_SHM_MAX_POINTS];
	size_t n;
	int s = sim_cost_shm_points(c, total, bounce, w_lo, w_hi, pts,
				    SIM_COST_SHM_MAX_POINTS, &n, err,
				    err_len);
	if (s)
		return s;
	if (mm_shm_fit(pts, n, &out->fit, err, err_len) ||
	    mm_shm_window(&out->fit, f, SIM_COST_PAGE, w_lo, w_hi, &out->window,
			  &out->capped, err, err_len)) {
		memset(out, 0, sizeof *out);
		return SIM_COST_E_FIT;
	}
	out->n_points = n;
	return SIM_COST_OK;
}
