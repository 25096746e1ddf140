/*
 * smartzone run's report, as text for people and as JSON for scripts:
 * the top-k of every input, what crossed the world boundary, the time
 * measured on this host beside the board's modelled latency and energy
 * (never mixed: docs/cost-model.md), and what the checks found.
 */
#include <stdio.h>
#include <string.h>

#include "mm_text.h"
#include "run_print.h"

#define TOP_MAX 64

/* The indices of the k largest outputs, largest first (ties: lower
 * index first); returns k clamped to n. */
static size_t top_k(const float *y, size_t n, size_t k, size_t *idx)
{
	k = k < n ? k : n;
	k = k < TOP_MAX ? k : TOP_MAX;
	for (size_t j = 0; j < k; j++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < n; i++) {
			bool taken = false;
			for (size_t t = 0; t < j; t++)
				taken |= idx[t] == i;
			if (!taken && (best == SIZE_MAX || y[i] > y[best]))
				best = i;
		}
		idx[j] = best;
	}
	return k;
}

static void label_text(const struct sz_labels *l, size_t i, char *out,
		       size_t len)
{
	const char *name = sz_label(l, i);
	if (name)
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "%zu", i);
}

static const char *mode_name(uint32_t mode)
{
	return mode == SZ_MODE_FAST ? "fast" : "strict";
}

/* ---- Text ---- */

static void text_model(FILE *f, const struct sz_run *r)
{
	const struct sz_report *t = &r->report;
	fprintf(f, "smartzone run: %s on %s, through %s (%s mode%s)\n",
		r->name, r->platform.name, sz_tee_name(),
		mode_name(r->opts->mode), r->opts->stock_layout
		? ", the platform's stock layout" : "");
	fprintf(f, "  model      %llu bytes%s, %u layers, %.3f M "
		"multiply-adds an inference, arena %llu bytes\n",
		(unsigned long long)t->model_bytes,
		r->model.encrypted ? " (sent encrypted)" : "", t->layers,
		(double)t->macs / 1e6, (unsigned long long)t->arena_bytes);
	fprintf(f, "  TA memory  TA_DATA_SIZE 0x%llx from the plan; the TA "
		"used %llu bytes of its heap at most\n",
		(unsigned long long)r->plan.ta_data_size,
		(unsigned long long)t->heap_peak);
	fprintf(f, "  provision  %llu chunks through a %llu-byte window "
		"(%s)\n\n", (unsigned long long)r->model.chunks,
		(unsigned long long)r->window, r->opts->window
		? "--window" : "the plan's");
}

static void text_output(FILE *f, const struct sz_run_output *o,
			const struct sz_labels *l, unsigned top)
{
	size_t idx[TOP_MAX];
	size_t k = top_k(o->y, o->n, top, idx);
	char name[128];
	if (!k) {
		fprintf(f, "%s: no outputs\n", o->path);
		return;
	}
	label_text(l, idx[0], name, sizeof name);
	fprintf(f, "%s: %s (%.4f)\n", o->path, name, (double)o->y[idx[0]]);
	for (size_t j = 0; j < k; j++) {
		label_text(l, idx[j], name, sizeof name);
		fprintf(f, "  %2zu. %-16s %.6f\n", j + 1, name,
			(double)o->y[idx[j]]);
	}
}

static void text_counts(FILE *f, const char *what,
			const struct sim_counters *n)
{
	fprintf(f, "  %-22s %15llu %14llu %12llu %14llu\n", what,
		(unsigned long long)n->smc,
		(unsigned long long)n->bytes_to_secure,
		(unsigned long long)n->bytes_to_normal,
		(unsigned long long)n->pages_mapped);
}

static double host_s(const struct sim_counters *n)
{
	return (double)(n->secure_ns + n->normal_ns) * 1e-9;
}

/* One phase: host time and board time, each ending under its heading;
 * the energy (modelled only) under the board's. */
static void text_time(FILE *f, const char *what,
		      const struct sim_cost_report *c)
{
	fprintf(f, "  %-22s %21.3f ms %23.3f ms\n", what,
		c->host.total_s * 1e3, c->model.t.total * 1e3);
}

static void text_energy(FILE *f, const char *what,
			const struct sim_cost_report *c)
{
	fprintf(f, "  %-22s %24s %24.6f J\n", what, "", c->model.e.total);
}

/* The client's record: every TEEC call, as it ended. */
static void text_calls(FILE *f, const struct tl_client_calls *k)
{
	fprintf(f, "\nCalls to the TEE, as the client recorded them: %llu "
		"in all, %llu temporary memrefs among their parameters\n",
		(unsigned long long)k->total,
		(unsigned long long)k->temp_memrefs);
	if (k->unrecorded)
		fprintf(f, "  (%llu calls of further kinds not listed)\n",
			(unsigned long long)k->unrecorded);
	for (size_t i = 0; i < k->n; i++) {
		const struct tl_client_call *e = &k->entry[i];
		char cmd[32] = "";
		if (e->kind == TL_CALL_INVOKE_COMMAND)
			snprintf(cmd, sizeof cmd, " %s",
				 tl_client_command_name(e->command));
		fprintf(f, "  %-26s%-14s %8llu x  0x%08x %s%s%s\n",
			tl_client_call_name(e->kind), cmd,
			(unsigned long long)e->count, (unsigned)e->result,
			tl_client_result_name(e->result),
			e->origin ? " from " : "",
			e->origin ? tl_client_origin_name(e->origin) : "");
	}
}

/* Without the TEE's own counts (a board): what was measured here. */
static void text_measured(FILE *f, const struct sz_run *r)
{
	fprintf(f, "\nTime measured here (%s; under an emulator these are "
		"the emulator's times, not a board's):\n  provisioning %.3f "
		"ms, one inference %.3f ms\n", sz_tee_name(),
		r->provisioning_s * 1e3, r->inference_s * 1e3);
}

static void text_costs(FILE *f, const struct sz_run *r)
{
	if (!r->has_tee_counters) {
		text_measured(f, r);
		return;
	}
	char board[MM_NAME_MAX + 16];
	snprintf(board, sizeof board, "modelled for %s", r->platform.name);
	fprintf(f, "\n%-24s %15s %14s %12s %14s\n", "Counted in the TEE",
		"world switches", "bytes to TA", "bytes back", "pages mapped");
	text_counts(f, "provisioning", &r->provisioning);
	text_counts(f, "one inference", &r->inference);
	if (!r->has_cost) {
		fprintf(f, "\nTime measured on this host: provisioning %.3f "
			"ms, one inference %.3f ms\nBoard latency and energy: "
			"not modelled (%s)\n", host_s(&r->provisioning) * 1e3,
			host_s(&r->inference) * 1e3, r->no_cost);
		return;
	}
	fprintf(f, "\n%-24s %24s %26s\n", "Time", "measured on this host",
		board);
	text_time(f, "provisioning", &r->cost_provisioning);
	text_time(f, "one inference", &r->cost_inference);
	fprintf(f, "%-24s %24s %26s\n", "Energy", "", board);
	text_energy(f, "provisioning", &r->cost_provisioning);
	text_energy(f, "one inference", &r->cost_inference);
}

static void text_check(FILE *f, const char *what, size_t n,
		       const char *unarmed)
{
	char v[64];
	if (unarmed)
		snprintf(v, sizeof v, "%s", unarmed);
	else if (n)
		snprintf(v, sizeof v, "BROKEN: %zu violation(s)", n);
	else
		snprintf(v, sizeof v, "held");
	fprintf(f, "  %-50s %s\n", what, v);
}

static void text_checks(FILE *f, const struct sz_tee_checks *k)
{
	if (!k->ran) {
		fprintf(f, "\nChecks: the simulator's checks do not run on "
			"%s.\n", sz_tee_name());
		return;
	}
	fprintf(f, "\nChecks (the simulator's, after every call into the "
		"TA):\n");
	text_check(f, "leakage: no secret bytes in normal-world memory",
		   k->leaks, k->leak_armed ? NULL : "not run (--no-leak-check)");
	text_check(f, "no normal-world access to secure memory",
		   k->nw_access, NULL);
	text_check(f, "double fetch: shared memory read once",
		   k->double_fetches, k->double_fetch_armed ? NULL
		   : "not armed (--double-fetch arms it)");
	for (size_t i = 0; i < k->total && i < SZ_TEE_MESSAGES; i++)
		fprintf(f, "  - %s\n", k->msg[i]);
	fprintf(f, "%s\n", k->total ? "A check broke."
		: k->leak_armed ? "Every check held."
				: "Every check that ran held.");
}

/* The compute of one inference, the cost model's MAC-rate term beside
 * the Cortex-A53 estimate from the instruction mix under Unicorn. */
static void text_compute_estimates(FILE *f, const struct sz_run *r)
{
	const struct sz_a53 *a = &r->a53;
	if (!a->has && !a->why[0])
		return;
	fprintf(f, "\nCompute of one inference on %s, two estimates:\n",
		r->platform.name);
	fprintf(f, "  MAC rate (the cost model):                  %10.3f ms\n",
		r->cost_inference.model.t.compute * 1e3);
	if (a->has)
		fprintf(f, "  Cortex-A53 from the instruction mix:        "
			"%10.3f ms (%.0f cycles, %llu instructions of the TA's "
			"aarch64 code under Unicorn, %.1f s on this host)\n",
			a->seconds * 1e3, a->cycles,
			(unsigned long long)a->instructions, a->unicorn_s);
	else
		fprintf(f, "  Cortex-A53 from the instruction mix: not "
			"estimated: %s\n", a->why);
}

int sz_run_print_text(FILE *f, const struct sz_run *r,
		      const struct sz_labels *l, unsigned top, bool details)
{
	text_model(f, r);
	for (size_t i = 0; i < r->n_outputs; i++)
		text_output(f, &r->outputs[i], l, top);
	text_costs(f, r);
	text_calls(f, &r->calls);
	if (details && r->has_cost) {
		fprintf(f, "\nProvisioning, in detail:\n");
		sim_cost_print_text(f, &r->cost_provisioning);
		fprintf(f, "\nOne inference, in detail:\n");
		sim_cost_print_text(f, &r->cost_inference);
		text_compute_estimates(f, r);
	}
	text_checks(f, &r->checks);
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---- */

static void json_model(FILE *f, const struct sz_run *r)
{
	const struct sz_report *t = &r->report;
	fprintf(f, "{\"model\": {\"name\": ");
	mm_json_string(f, r->name);
	fprintf(f, ", \"file\": ");
	mm_json_string(f, r->opts->model);
	fprintf(f, ", \"encrypted\": %s, \"bytes\": %llu, \"layers\": %u, "
		"\"tensors\": %u, \"macs\": %llu, \"arena_bytes\": %llu},\n",
		r->model.encrypted ? "true" : "false",
		(unsigned long long)t->model_bytes, t->layers, t->tensors,
		(unsigned long long)t->macs,
		(unsigned long long)t->arena_bytes);
	fprintf(f, " \"platform\": ");
	mm_json_string(f, r->platform.name);
	fprintf(f, ", \"tee\": ");
	mm_json_string(f, sz_tee_name());
	fprintf(f, ", \"layout\": \"%s\", \"mode\": \"%s\",\n \"plan\": "
		"{\"TA_DATA_SIZE\": %llu, \"TA_STACK_SIZE\": %llu, "
		"\"window\": %llu},\n",
		r->opts->stock_layout ? "stock" : "planned",
		mode_name(r->opts->mode),
		(unsigned long long)r->plan.ta_data_size,
		(unsigned long long)r->plan.ta_stack_size,
		(unsigned long long)r->plan.shm_window);
}

static void json_report(FILE *f, const struct sz_report *t)
{
	fprintf(f, " \"report\": {\"heap_size\": %llu, \"heap_used\": %llu, "
		"\"heap_peak\": %llu, \"model_bytes\": %llu, "
		"\"arena_bytes\": %llu, \"plan_bytes\": %llu, \"layers\": %u, "
		"\"tensors\": %u, \"runs\": %llu, \"bytes_loaded\": %llu, "
		"\"macs\": %llu, \"state\": %u, \"encrypted\": %u},\n",
		(unsigned long long)t->heap_size,
		(unsigned long long)t->heap_used,
		(unsigned long long)t->heap_peak,
		(unsigned long long)t->model_bytes,
		(unsigned long long)t->arena_bytes,
		(unsigned long long)t->plan_bytes, t->layers, t->tensors,
		(unsigned long long)t->runs,
		(unsigned long long)t->bytes_loaded,
		(unsigned long long)t->macs, t->state, t->encrypted);
}

static void json_output(FILE *f, const struct sz_run_output *o,
			const struct sz_labels *l, unsigned top)
{
	size_t idx[TOP_MAX];
	size_t k = top_k(o->y, o->n, top, idx);
	fprintf(f, "  {\"input\": ");
	mm_json_string(f, o->path);
	fprintf(f, ", \"outputs\": %zu, \"top\": [", o->n);
	for (size_t j = 0; j < k; j++) {
		char name[128];
		label_text(l, idx[j], name, sizeof name);
		fprintf(f, "%s{\"index\": %zu, \"label\": ", j ? ", " : "",
			idx[j]);
		mm_json_string(f, name);
		fprintf(f, ", \"value\": %.9g}", (double)o->y[idx[j]]);
	}
	fprintf(f, "]}");
}

/* A phase: its sim_cost report (counts, host, board), or without cost
 * figures the counts and host time alone. */
static void json_phase(FILE *f, const char *name, const struct sz_run *r,
		       const struct sim_cost_report *c,
		       const struct sim_counters *n)
{
	fprintf(f, " \"%s\": ", name);
	if (!r->has_tee_counters) {
		fprintf(f, "{\"counted\": null, \"measured_here_s\": %.9g, "
			"\"modelled_for_board\": null},\n",
			!strcmp(name, "provisioning") ? r->provisioning_s
						      : r->inference_s);
		return;
	}
	if (r->has_cost) {
		sim_cost_print_json(f, c);
		fprintf(f, ",\n");
		return;
	}
	fprintf(f, "{\"counted\": {\"smc\": %llu, \"bytes_to_secure\": %llu, "
		"\"bytes_to_normal\": %llu, \"pages_mapped\": %llu}, "
		"\"measured_on_this_host\": {\"total_s\": %.9g}, "
		"\"modelled_for_board\": null},\n",
		(unsigned long long)n->smc,
		(unsigned long long)n->bytes_to_secure,
		(unsigned long long)n->bytes_to_normal,
		(unsigned long long)n->pages_mapped, host_s(n));
}

static void json_calls(FILE *f, const struct tl_client_calls *k)
{
	fprintf(f, " \"calls\": {\"total\": %llu, \"unrecorded\": %llu, "
		"\"temp_memrefs\": %llu, \"entries\": [",
		(unsigned long long)k->total,
		(unsigned long long)k->unrecorded,
		(unsigned long long)k->temp_memrefs);
	for (size_t i = 0; i < k->n; i++) {
		const struct tl_client_call *e = &k->entry[i];
		fprintf(f, "%s\n  {\"call\": \"%s\", \"command\": ",
			i ? "," : "", tl_client_call_name(e->kind));
		if (e->kind == TL_CALL_INVOKE_COMMAND)
			fprintf(f, "\"%s\"", tl_client_command_name(e->command));
		else
			fprintf(f, "null");
		fprintf(f, ", \"result\": \"0x%08x\", \"result_name\": "
			"\"%s\", \"origin\": %u, \"count\": %llu}",
			(unsigned)e->result, tl_client_result_name(e->result),
			(unsigned)e->origin, (unsigned long long)e->count);
	}
	fprintf(f, "]},\n");
}

/* What the TEE counted over the whole run (the simulator's). */
static void json_total(FILE *f, const struct sz_run *r)
{
	const struct sim_counters *n = &r->total;
	if (!r->has_tee_counters) {
		fprintf(f, " \"tee_total\": null,\n");
		return;
	}
	fprintf(f, " \"tee_total\": {\"smc\": %llu, \"open_sessions\": %llu, "
		"\"invokes\": %llu, \"close_sessions\": %llu, "
		"\"shm_registrations\": %llu, \"bytes_to_secure\": %llu, "
		"\"bytes_to_normal\": %llu},\n",
		(unsigned long long)n->smc, (unsigned long long)n->open_sessions,
		(unsigned long long)n->invokes,
		(unsigned long long)n->close_sessions,
		(unsigned long long)n->shm_registrations,
		(unsigned long long)n->bytes_to_secure,
		(unsigned long long)n->bytes_to_normal);
}

static void json_checks(FILE *f, const struct sz_tee_checks *k)
{
	if (!k->ran) {
		fprintf(f, " \"checks\": null\n}\n");
		return;
	}
	fprintf(f, " \"checks\": {\"held\": %s, \"violations\": %zu, "
		"\"leak\": %zu, \"nw_access\": %zu, \"double_fetch\": %zu, "
		"\"leak_armed\": %s, \"double_fetch_armed\": %s, "
		"\"messages\": [",
		k->total ? "false" : "true", k->total, k->leaks, k->nw_access,
		k->double_fetches, k->leak_armed ? "true" : "false",
		k->double_fetch_armed ? "true" : "false");
	for (size_t i = 0; i < k->total && i < SZ_TEE_MESSAGES; i++) {
		fprintf(f, "%s", i ? ", " : "");
		mm_json_string(f, k->msg[i]);
	}
	fprintf(f, "]}\n}\n");
}

int sz_run_print_json(FILE *f, const struct sz_run *r,
		      const struct sz_labels *l, unsigned top)
{
	json_model(f, r);
	fprintf(f, " \"provisioning_chunks\": %llu, \"window\": %llu,\n",
		(unsigned long long)r->model.chunks,
		(unsigned long long)r->window);
	fprintf(f, " \"outputs\": [\n");
	for (size_t i = 0; i < r->n_outputs; i++) {
		json_output(f, &r->outputs[i], l, top);
		fprintf(f, "%s\n", i + 1 < r->n_outputs ? "," : "");
	}
	fprintf(f, " ],\n");
	json_report(f, &r->report);
	json_phase(f, "provisioning", r, &r->cost_provisioning,
		   &r->provisioning);
	json_phase(f, "inference", r, &r->cost_inference, &r->inference);
	json_total(f, r);
	json_calls(f, &r->calls);
	json_checks(f, &r->checks);
	return ferror(f) ? -1 : 0;
}

int sz_run_print_json_failure(FILE *f, const struct sz_run *r,
			      const char *error)
{
	fprintf(f, "{\"error\": ");
	mm_json_string(f, error);
	fprintf(f, ",\n \"model\": ");
	mm_json_string(f, r->opts->model);
	fprintf(f, ", \"platform\": ");
	mm_json_string(f, r->platform.name);
	fprintf(f, ", \"tee\": ");
	mm_json_string(f, sz_tee_name());
	fprintf(f, ", \"layout\": \"%s\", \"session_opened\": %s,\n",
		r->opts->stock_layout ? "stock" : "planned",
		r->opened ? "true" : "false");
	json_total(f, r);
	json_calls(f, &r->calls);
	json_checks(f, &r->checks);
	return ferror(f) ? -1 : 0;
}
