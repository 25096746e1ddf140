/*
 * The cost model's formulas (sim_cost.h; docs/cost-model.md derives
 * them): counted events times the board's per-event cost, the declared
 * work at the board's compute rate, and time in each state times that
 * state's power.
 */
#include <math.h>
#include <string.h>

#include "sim_cost.h"
#include "mm_text.h"

#define NS 1e-9		/* seconds in a nanosecond */
#define MW 1e-3		/* watts in a milliwatt */
#define MHZ 1e6		/* hertz in a megahertz */

/* Figures the formulas divide by must be positive; an efficiency is a
 * share of the peak. The parser already enforces this for files; a
 * caller may build struct mm_cost by hand. */
static int check_cost(const struct mm_cost *c, char *err, size_t err_len)
{
	if (c->copy_bytes_per_s == 0)
		return mm_fail(err, err_len, SIM_COST_E_PARAM,
				     "cost_copy_bytes_per_s is 0: copies would "
				     "take forever.");
	if (c->core_mhz == 0 || c->macs_per_cycle == 0)
		return mm_fail(err, err_len, SIM_COST_E_PARAM,
				     "cost_core_mhz %llu and "
				     "cost_macs_per_cycle %llu must both be "
				     "positive.",
				     (unsigned long long)c->core_mhz,
				     (unsigned long long)c->macs_per_cycle);
	if (c->compute_efficiency_pct == 0 || c->compute_efficiency_pct > 100)
		return mm_fail(err, err_len, SIM_COST_E_PARAM,
				     "cost_compute_efficiency_pct %llu is "
				     "outside 1..100.", (unsigned long long)
				     c->compute_efficiency_pct);
	return SIM_COST_OK;
}

/* MAC/s the TA's kernels reach: one core (a TA session runs in one
 * thread) at its peak issue rate, times the efficiency. */
static double mac_rate(const struct mm_cost *c)
{
	return (double)c->core_mhz * MHZ * (double)c->macs_per_cycle
	       * (double)c->compute_efficiency_pct / 100.0;
}

static struct sim_cost_time times(const struct mm_cost *c,
				  const struct sim_counters *n,
				  const struct sim_work *w)
{
	double bw = (double)c->copy_bytes_per_s;
	struct sim_cost_time t;
	t.switches = (double)n->smc * (double)c->smc_round_trip_ns * NS;
	t.mapping = (double)n->pages_mapped * (double)c->map_page_ns * NS;
	t.copy_secure = ((double)n->bytes_to_secure
			 + (double)n->bytes_to_normal) / bw;
	t.copy_normal = (double)n->bounce_copy_bytes / bw;
	t.compute = (double)w->macs / mac_rate(c);
	t.secure = t.switches + t.mapping + t.copy_secure + t.compute;
	t.normal = t.copy_normal;
	t.busy = t.secure + t.normal;
	t.idle = w->period_s > t.busy ? w->period_s - t.busy : 0.0;
	t.total = t.busy + t.idle;
	return t;
}

static struct sim_cost_energy energy(const struct mm_cost *c,
				     const struct sim_cost_time *t)
{
	struct sim_cost_energy e;
	e.secure = t->secure * (double)c->power_secure_mw * MW;
	e.normal = t->normal * (double)c->power_normal_mw * MW;
	e.idle = t->idle * (double)c->power_idle_mw * MW;
	e.total = e.secure + e.normal + e.idle;
	return e;
}

int sim_cost_model(const struct mm_cost *c, const struct sim_counters *n,
		   const struct sim_work *w, struct sim_cost_modelled *out,
		   char *err, size_t err_len)
{
	static const struct sim_work none = { 0, 0.0 };
	if (out)
		memset(out, 0, sizeof *out);
	if (!c || !n || !out)
		return mm_fail(err, err_len, SIM_COST_E_ARG,
				     "sim_cost_model: cost, counters and out "
				     "must not be NULL.");
	if (!w)
		w = &none;
	if (!isfinite(w->period_s) || w->period_s < 0)
		return mm_fail(err, err_len, SIM_COST_E_WORK,
				     "sim_cost_model: period %g s is negative "
				     "or not finite.", w->period_s);
	int s = check_cost(c, err, err_len);
	if (s)
		return s;
	out->t = times(c, n, w);
	out->e = energy(c, &out->t);
	return SIM_COST_OK;
}

int sim_cost_run(const struct mm_platform *p, const struct sim_counters *n,
		 const struct sim_work *w, struct sim_cost_report *out,
		 char *err, size_t err_len)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!p || !n || !out)
		return mm_fail(err, err_len, SIM_COST_E_ARG,
				     "sim_cost_run: platform, counters and out "
				     "must not be NULL.");
	if (!p->has_cost)
		return mm_fail(err, err_len, SIM_COST_E_NO_COST,
				     "%s: the platform file has no cost_* "
				     "keys; the cost model needs them "
				     "(docs/cost-model.md).", p->name);
	int s = sim_cost_model(&p->cost, n, w, &out->model, err, err_len);
	if (s) {
		memset(out, 0, sizeof *out);
		return s;
	}
	memcpy(out->board, p->name, sizeof out->board);
	out->board[sizeof out->board - 1] = '\0';
	out->cost = p->cost;
	out->counted = *n;
	if (w)
		out->work = *w;
	out->host.secure_s = (double)n->secure_ns * NS;
	out->host.normal_s = (double)n->normal_ns * NS;
	out->host.total_s = out->host.secure_s + out->host.normal_s;
	return SIM_COST_OK;
}
