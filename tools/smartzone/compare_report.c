/*
 * smartzone compare's output (compare.h): Markdown tables for people, one
 * JSON object for tools. Every figure is either measured on this host
 * (the simulator's wall time) or modelled for the board (the cost model
 * over the counted events), and each table or JSON object says which.
 */
#include <stdio.h>

#include "compare.h"
#include "mm_text.h"

#define MS 1e3
#define MJ 1e3
#define MIB (1024.0 * 1024.0)

static double speedup(const struct sz_cmp_result *r)
{
	return r->base.run.model.t.total / r->sz.run.model.t.total;
}

static double energy_saving(const struct sz_cmp_result *r)
{
	return 1.0 - r->sz.run.model.e.total / r->base.run.model.e.total;
}

static double copies(const struct sim_cost_time *t)
{
	return t->copy_secure + t->copy_normal;
}

static void text_intro(FILE *f, const struct mm_platform *p,
		       const struct sz_cmp_opts *o,
		       const struct sz_cmp_result *r, size_t n)
{
	bool same = true;
	for (size_t i = 0; i < n; i++)
		same = same && r[i].identical;
	fprintf(f, "Smart-Zone against the baseline on %s (docs/compare.md)\n"
		"- Smart-Zone: the model provisioned once into the memory its "
		"plan gives, then one RUN an inference.\n"
		"- Baseline: the TA heap the stock layout leaves (%.2f MiB), "
		"the model streamed in again on every inference as steps of "
		"layers, in %llu-byte chunks through temporary memrefs.\n"
		"- %s\n"
		"- %u inferences a mode after one warm-up, strict mode, the "
		"same input; the outputs of the two modes are %s.\n\n", p->name,
		sz_cmp_default_heap(p) / MIB, (unsigned long long)o->chunk,
		o->encrypted ? "Models sealed for the device's key (AES-256-GCM):"
		" Smart-Zone decrypts once, the baseline every step of every "
		"inference (not in the modelled figures)."
			     : "Models in plaintext.",
		o->runs, same ? "the same to the bit" : "NOT the same");
}

static void text_measured(FILE *f, const struct sz_cmp_result *r, size_t n)
{
	fprintf(f, "Per inference, measured on this host (the simulator: "
		"not a board figure; medians; in brackets the time inside the "
		"TA):\n\n"
		"| model | Smart-Zone ms | baseline ms | baseline / "
		"Smart-Zone |\n|---|---:|---:|---:|\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "| %s | %.2f (%.2f) | %.2f (%.2f) | %.2fx |\n",
			r[i].name, r[i].sz.wall_s * MS, r[i].sz.tee_s * MS,
			r[i].base.wall_s * MS, r[i].base.tee_s * MS,
			r[i].base.wall_s / r[i].sz.wall_s);
}

static void text_modelled(FILE *f, const struct mm_platform *p,
			  const struct sz_cmp_result *r, size_t n)
{
	fprintf(f, "\nPer inference, modelled for %s (docs/cost-model.md):\n\n"
		"| model | GMAC | baseline steps | baseline heap MiB | SMCs "
		"Smart-Zone / baseline | Smart-Zone ms | baseline ms | "
		"speedup | Smart-Zone mJ | baseline mJ | energy saved |\n"
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
		p->name);
	for (size_t i = 0; i < n; i++) {
		const struct sz_cmp_result *x = &r[i];
		fprintf(f, "| %s | %.3f | %zu | %.2f%s | %llu / %llu | %.1f | "
			"%.1f | %.2fx | %.1f | %.1f | %.1f%% |\n", x->name,
			x->macs / 1e9, x->steps, x->base.heap / MIB,
			x->base.stock ? "" : " (raised)",
			(unsigned long long)x->sz.run.counted.smc,
			(unsigned long long)x->base.run.counted.smc,
			x->sz.run.model.t.total * MS,
			x->base.run.model.t.total * MS, speedup(x),
			x->sz.run.model.e.total * MJ,
			x->base.run.model.e.total * MJ,
			energy_saving(x) * 100);
	}
	fprintf(f, "| paper (Xie et al., INFOCOM 2024) | | | | | | | %.2fx | "
		"| | %.1f%% (power) |\n", SZ_PAPER_SPEEDUP,
		SZ_PAPER_POWER_SAVING * 100);
}

static void text_terms(FILE *f, const struct mm_platform *p,
		       const struct sz_cmp_result *r, size_t n)
{
	fprintf(f, "\nWhere the modelled time goes, ms for %s (switches, "
		"page mapping, copies both worlds, compute at the MAC rate; "
		"beside it, the compute from the instruction mix of the TA's "
		"aarch64 code under Unicorn on a Cortex-A53):\n\n"
		"| model | mode | switches | mapping | copies | compute | "
		"compute, A53 estimate |\n"
		"|---|---|---:|---:|---:|---:|---:|\n", p->name);
	for (size_t i = 0; i < n; i++) {
		const struct sz_cmp_mode *m[2] = { &r[i].sz, &r[i].base };
		for (int k = 0; k < 2; k++) {
			const struct sim_cost_time *t = &m[k]->run.model.t;
			fprintf(f, "| %s | %s | %.2f | %.2f | %.2f | %.1f | ",
				r[i].name, k ? "baseline" : "Smart-Zone",
				t->switches * MS, t->mapping * MS,
				copies(t) * MS, t->compute * MS);
			if (r[i].a53.has)
				fprintf(f, "%.1f |\n", r[i].a53.seconds * MS);
			else
				fprintf(f, "- |\n");
		}
	}
}

static void text_provision(FILE *f, const struct mm_platform *p,
			   const struct sz_cmp_result *r, size_t n)
{
	fprintf(f, "\nSmart-Zone's one-off provisioning (not in the figures "
		"above):\n\n| model | streamed MiB a baseline inference | "
		"window KiB | chunks | measured ms on this host | modelled ms "
		"for %s | modelled mJ |\n|---|---:|---:|---:|---:|---:|---:|\n",
		p->name);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "| %s | %.2f | %llu | %llu | %.2f | %.1f | %.1f |\n",
			r[i].name, r[i].streamed / MIB,
			(unsigned long long)(r[i].window / 1024),
			(unsigned long long)r[i].chunks,
			r[i].provision_wall_s * MS,
			r[i].provision.model.t.total * MS,
			r[i].provision.model.e.total * MJ);
}

static void text_notes(FILE *f, const struct sz_cmp_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].base.stock)
			continue;
		fprintf(f, "\nNote: %s has a step that needs %.2f MiB of TA "
			"heap, more than the stock layout's %.2f MiB heap "
			"holds: the baseline can not run it there (a DarkneTZ "
			"user would meet 0xffff000c). It ran with the "
			"smallest heap in whole MiB that holds every step, "
			"%.0f MiB, on TZDRAM 0x%08llx + %.0f MiB.\n", r[i].name,
			r[i].refused_need / MIB, r[i].default_heap / MIB,
			r[i].base.heap / MIB,
			(unsigned long long)r[i].base.tzdram_start,
			r[i].base.tzdram_size / MIB);
	}
}

int sz_cmp_print_text(FILE *f, const struct mm_platform *p,
		      const struct sz_cmp_opts *o,
		      const struct sz_cmp_result *r, size_t n)
{
	text_intro(f, p, o, r, n);
	text_measured(f, r, n);
	text_modelled(f, p, r, n);
	text_terms(f, p, r, n);
	text_provision(f, p, r, n);
	text_notes(f, r, n);
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---- */

/* A mode's members (the caller opens and closes its object). */
static void json_mode(FILE *f, const struct sz_cmp_mode *m)
{
	fprintf(f, "\"ta_data_size\":%llu,\"stock_layout\":%s,"
		"\"tzdram_start\":%llu,\"tzdram_size\":%llu,"
		"\"measured_on_this_host\":{\"wall_s\":%.9g,\"tee_s\":%.9g},"
		"\"per_inference\":", (unsigned long long)m->heap,
		m->stock ? "true" : "false",
		(unsigned long long)m->tzdram_start,
		(unsigned long long)m->tzdram_size, m->wall_s, m->tee_s);
	sim_cost_print_json(f, &m->run);
}

static void json_model(FILE *f, const struct sz_cmp_opts *o,
		       const struct sz_cmp_result *r)
{
	fprintf(f, "{\"name\":");
	mm_json_string(f, r->name);
	fprintf(f, ",\"macs\":%llu,\"outputs_identical\":%s,"
		"\"smartzone\":{", (unsigned long long)r->macs,
		r->identical ? "true" : "false");
	json_mode(f, &r->sz);
	fprintf(f, ",\"provisioning\":{\"window\":%llu,\"chunks\":%llu,"
		"\"measured_on_this_host\":{\"wall_s\":%.9g},\"report\":",
		(unsigned long long)r->window, (unsigned long long)r->chunks,
		r->provision_wall_s);
	sim_cost_print_json(f, &r->provision);
	fprintf(f, "}},\"baseline\":{");
	json_mode(f, &r->base);
	fprintf(f, ",\"steps\":%zu,\"streamed_bytes\":%llu,\"chunk\":%llu,"
		"\"default_heap\":%llu,\"refused_need\":%zu},"
		"\"measured_on_this_host\":{\"wall_ratio\":%.9g},"
		"\"modelled_for_board\":{\"board\":", r->steps,
		(unsigned long long)r->streamed, (unsigned long long)o->chunk,
		(unsigned long long)r->default_heap, r->refused_need,
		r->base.wall_s / r->sz.wall_s);
	mm_json_string(f, r->sz.run.board);
	fprintf(f, ",\"speedup\":%.9g,\"energy_saving\":%.9g", speedup(r),
		energy_saving(r));
	if (r->a53.has)
		fprintf(f, ",\"compute_a53_estimate_s\":%.9g", r->a53.seconds);
	fprintf(f, "}}");
}

int sz_cmp_print_json(FILE *f, const struct mm_platform *p,
		      const struct sz_cmp_opts *o,
		      const struct sz_cmp_result *r, size_t n)
{
	fprintf(f, "{\"platform\":");
	mm_json_string(f, p->name);
	fprintf(f, ",\"runs\":%u,\"mode\":\"strict\",\"encrypted\":%s,"
		"\"chunk\":%llu,"
		"\"paper\":{\"speedup\":%.2f,\"power_saving\":%.3f},"
		"\"models\":[", o->runs, o->encrypted ? "true" : "false",
		(unsigned long long)o->chunk,
		SZ_PAPER_SPEEDUP, SZ_PAPER_POWER_SAVING);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_model(f, o, &r[i]);
	}
	fprintf(f, "]}\n");
	return ferror(f) ? -1 : 0;
}
