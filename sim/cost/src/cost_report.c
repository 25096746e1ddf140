/*
 * The cost report (sim_cost.h): what was counted, what this host
 * measured and what the model gives for the board, each labelled with
 * where it comes from, so that no host time passes for a board figure.
 */
#include <stdio.h>
#include <string.h>

#include "sim_cost.h"
#include "mm_text.h"

#define MS 1e3		/* milliseconds in a second */
#define US 1e-3		/* microseconds in a nanosecond */

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void text_counted(FILE *f, const struct sim_cost_report *r)
{
	const struct sim_counters *n = &r->counted;
	fprintf(f, "Counted in the simulator:\n");
	fprintf(f, "  world switches (SMC)          %llu\n", ull(n->smc));
	fprintf(f, "  open / invoke / close         %llu / %llu / %llu\n",
		ull(n->open_sessions), ull(n->invokes),
		ull(n->close_sessions));
	fprintf(f, "  shared-memory registrations   %llu\n",
		ull(n->shm_registrations));
	fprintf(f, "  parameters                    %llu\n", ull(n->params));
	fprintf(f, "  bytes to the TA / back        %llu / %llu\n",
		ull(n->bytes_to_secure), ull(n->bytes_to_normal));
	fprintf(f, "  shared pages mapped           %llu\n",
		ull(n->pages_mapped));
	fprintf(f, "  bounce-copied bytes           %llu\n",
		ull(n->bounce_copy_bytes));
	fprintf(f, "Declared by the caller:\n");
	fprintf(f, "  secure-world work             %llu MAC\n",
		ull(r->work.macs));
	fprintf(f, "  period                        %.3f ms%s\n",
		r->work.period_s * MS,
		r->work.period_s > 0 ? "" : " (the run alone)");
}

/* One row under the two column headings, each figure ending where its
 * heading ends. */
static void text_row(FILE *f, const char *what, double host_s,
		     double board_s, int board_width)
{
	fprintf(f, "  %-26s %19.3f ms   %*.3f ms\n", what, host_s * MS,
		board_width - 3, board_s * MS);
}

static void text_side_by_side(FILE *f, const struct sim_cost_report *r)
{
	const struct sim_cost_time *t = &r->model.t;
	int width = (int)strlen("modelled for ") + (int)strlen(r->board);
	fprintf(f, "%-28s %22s   modelled for %s\n", "Time",
		"measured on this host", r->board);
	text_row(f, "secure world", r->host.secure_s, t->secure, width);
	text_row(f, "normal world", r->host.normal_s, t->normal, width);
	text_row(f, "total (busy)", r->host.total_s, t->busy, width);
}

static void text_breakdown(FILE *f, const struct sim_cost_report *r)
{
	const struct mm_cost *c = &r->cost;
	const struct sim_cost_time *t = &r->model.t;
	double bw_mb = (double)c->copy_bytes_per_s / 1e6;
	fprintf(f, "Modelled for %s, board time:\n", r->board);
	fprintf(f, "  world switches     %12.3f ms  (%llu x %.3f us)\n",
		t->switches * MS, ull(r->counted.smc),
		(double)c->smc_round_trip_ns * US);
	fprintf(f, "  page mapping       %12.3f ms  (%llu pages x %.3f us)\n",
		t->mapping * MS, ull(r->counted.pages_mapped),
		(double)c->map_page_ns * US);
	fprintf(f, "  secure copies      %12.3f ms  (at %.1f MB/s)\n",
		t->copy_secure * MS, bw_mb);
	fprintf(f, "  bounce copies      %12.3f ms  (normal world, at %.1f "
		"MB/s)\n", t->copy_normal * MS, bw_mb);
	fprintf(f, "  compute            %12.3f ms  (%llu MHz x %llu MAC/cycle"
		" x %llu%%)\n", t->compute * MS, ull(c->core_mhz),
		ull(c->macs_per_cycle), ull(c->compute_efficiency_pct));
	fprintf(f, "  idle               %12.3f ms\n", t->idle * MS);
	fprintf(f, "  total              %12.3f ms\n", t->total * MS);
}

static void text_energy(FILE *f, const struct sim_cost_report *r)
{
	const struct mm_cost *c = &r->cost;
	const struct sim_cost_energy *e = &r->model.e;
	fprintf(f, "Modelled for %s, board energy:\n", r->board);
	fprintf(f, "  secure world       %12.6f J   (at %.3f W)\n", e->secure,
		(double)c->power_secure_mw / 1e3);
	fprintf(f, "  normal world       %12.6f J   (at %.3f W)\n", e->normal,
		(double)c->power_normal_mw / 1e3);
	fprintf(f, "  idle               %12.6f J   (at %.3f W)\n", e->idle,
		(double)c->power_idle_mw / 1e3);
	fprintf(f, "  total              %12.6f J\n", e->total);
}

int sim_cost_print_text(FILE *f, const struct sim_cost_report *r)
{
	if (!f || !r)
		return SIM_COST_E_ARG;
	fprintf(f, "Cost report for %s\n", r->board);
	text_counted(f, r);
	text_side_by_side(f, r);
	text_breakdown(f, r);
	text_energy(f, r);
	fprintf(f, "Host times are measured on this host. Board times and "
		"energy are modelled\nfrom the counts and the cost_* figures "
		"of %s (docs/cost-model.md).\n", r->board);
	return ferror(f) ? SIM_COST_E_IO : SIM_COST_OK;
}

/* ---- JSON ---- */

static void json_counted(FILE *f, const struct sim_counters *n)
{
	fprintf(f, "\"counted\":{\"smc\":%llu,\"open_sessions\":%llu,"
		"\"invokes\":%llu,\"close_sessions\":%llu,"
		"\"shm_registrations\":%llu,\"params\":%llu,"
		"\"bytes_to_secure\":%llu,\"bytes_to_normal\":%llu,"
		"\"pages_mapped\":%llu,\"bounce_copy_bytes\":%llu}",
		ull(n->smc), ull(n->open_sessions), ull(n->invokes),
		ull(n->close_sessions), ull(n->shm_registrations),
		ull(n->params), ull(n->bytes_to_secure),
		ull(n->bytes_to_normal), ull(n->pages_mapped),
		ull(n->bounce_copy_bytes));
}

static void json_cost(FILE *f, const struct mm_cost *c)
{
	fprintf(f, "\"cost\":{\"smc_round_trip_ns\":%llu,"
		"\"map_page_ns\":%llu,\"copy_bytes_per_s\":%llu,"
		"\"core_mhz\":%llu,\"macs_per_cycle\":%llu,"
		"\"compute_efficiency_pct\":%llu,\"power_idle_mw\":%llu,"
		"\"power_normal_mw\":%llu,\"power_secure_mw\":%llu}",
		ull(c->smc_round_trip_ns), ull(c->map_page_ns),
		ull(c->copy_bytes_per_s), ull(c->core_mhz),
		ull(c->macs_per_cycle), ull(c->compute_efficiency_pct),
		ull(c->power_idle_mw), ull(c->power_normal_mw),
		ull(c->power_secure_mw));
}

static void json_model(FILE *f, const struct sim_cost_report *r)
{
	const struct sim_cost_time *t = &r->model.t;
	const struct sim_cost_energy *e = &r->model.e;
	fprintf(f, "\"modelled_for_board\":{\"board\":");
	mm_json_string(f, r->board);
	fprintf(f, ",\"time_s\":{\"switches\":%.9g,\"mapping\":%.9g,"
		"\"copy_secure\":%.9g,\"copy_normal\":%.9g,\"compute\":%.9g,"
		"\"secure\":%.9g,\"normal\":%.9g,\"busy\":%.9g,\"idle\":%.9g,"
		"\"total\":%.9g},", t->switches, t->mapping, t->copy_secure,
		t->copy_normal, t->compute, t->secure, t->normal, t->busy,
		t->idle, t->total);
	fprintf(f, "\"energy_j\":{\"secure\":%.9g,\"normal\":%.9g,"
		"\"idle\":%.9g,\"total\":%.9g},", e->secure, e->normal,
		e->idle, e->total);
	json_cost(f, &r->cost);
	fputc('}', f);
}

int sim_cost_print_json(FILE *f, const struct sim_cost_report *r)
{
	if (!f || !r)
		return SIM_COST_E_ARG;
	fprintf(f, "{\"board\":");
	mm_json_string(f, r->board);
	fputc(',', f);
	json_counted(f, &r->counted);
	fprintf(f, ",\"work\":{\"macs\":%llu,\"period_s\":%.9g},",
		ull(r->work.macs), r->work.period_s);
	fprintf(f, "\"measured_on_this_host\":{\"secure_s\":%.9g,"
		"\"normal_s\":%.9g,\"total_s\":%.9g},", r->host.secure_s,
		r->host.normal_s, r->host.total_s);
	json_model(f, r);
	fprintf(f, "}\n");
	return ferror(f) ? SIM_COST_E_IO : SIM_COST_OK;
}
