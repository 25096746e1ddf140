/*
 * What smartzone verify prints: the verdict (the rules, the output
 * against the host's), then per layer the instructions by class, bytes
 * loaded and stored, and the Cortex-A53 estimate from that mix beside the
 * MAC-rate estimate of the cost model (docs/cost-model.md).
 */
#include <stdio.h>

#include "sim_a53.h"
#include "tl_baseline.h"
#include "verify_print.h"

/* A convolution with groups (params[3]) > 1: depthwise when every
 * channel is its own group (docs/model-format.md). */
static const char *layer_name(const struct tl_layer *l)
{
	if (l->type == TL_LAYER_CONV && l->params[3] > 1)
		return "dwconv";
	enum tl_layer_type t = l->type;
	static const char *const names[] = {
		[TL_LAYER_CONV] = "conv", [TL_LAYER_CONNECTED] = "connected",
		[TL_LAYER_MAXPOOL] = "maxpool", [TL_LAYER_AVGPOOL] = "avgpool",
		[TL_LAYER_SOFTMAX] = "softmax", [TL_LAYER_SHORTCUT] = "shortcut",
		[TL_LAYER_ROUTE] = "route", [TL_LAYER_UPSAMPLE] = "upsample",
		[TL_LAYER_CROP] = "crop", [TL_LAYER_YOLO] = "yolo",
		[TL_LAYER_ACTIVATION] = "activation",
		[TL_LAYER_DROPOUT] = "dropout", [TL_LAYER_ELTWISE] = "eltwise",
		[TL_LAYER_SHUFFLE] = "shuffle", [TL_LAYER_SLICE] = "slice",
		[TL_LAYER_LAYERNORM] = "layernorm" };
	return (unsigned)t < sizeof names / sizeof *names && names[t] ? names[t]
								     : "?";
}

static void print_header(FILE *f)
{
	fprintf(f, "%5s %-10s %12s %7s", "layer", "type", "instructions",
		"insn/MAC");
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		fprintf(f, " %10s", sim_insn_class_name((enum sim_insn_class)c));
	fprintf(f, " %12s %12s %10s\n", "loaded B", "stored B", "A53 ms");
}

static void print_row(FILE *f, const char *index, const char *type,
		      const struct sim_insn_mix *m, uint64_t macs, double mhz)
{
	uint64_t n = sim_insn_mix_total(m);
	fprintf(f, "%5s %-10s %12llu", index, type, (unsigned long long)n);
	if (macs)
		fprintf(f, " %7.2f", (double)n / (double)macs);
	else
		fprintf(f, " %7s", "-");
	for (int c = 0; c < SIM_INSN_CLASSES; c++)
		fprintf(f, " %10llu", (unsigned long long)m->count[c]);
	fprintf(f, " %12llu %12llu %10.3f\n",
		(unsigned long long)m->bytes_loaded,
		(unsigned long long)m->bytes_stored,
		1e3 * sim_a53_seconds(m, mhz));
}

/* The layer table and the totals; returns the whole run's mix. */
static struct sim_insn_mix print_layers(FILE *f, const struct tl_model *m,
					const struct sz_verify_outcome *o,
					double mhz, bool quiet,
					uint64_t *macs_total)
{
	struct sim_insn_mix all = o->outside;
	*macs_total = 0;
	if (!quiet)
		print_header(f);
	for (uint32_t i = 0; i < o->n_layers; i++) {
		struct tl_layer l;
		tl_model_layer(m, i, &l);
		uint64_t macs = tl_baseline_layer_macs(m, i);
		*macs_total += macs;
		sim_insn_mix_sum(&all, &o->layers[i]);
		char index[12];
		snprintf(index, sizeof index, "%u", i);
		if (!quiet)
			print_row(f, index, layer_name(&l), &o->layers[i],
				  macs, mhz);
	}
	if (!quiet) {
		print_row(f, "-", "TA (RUN)", &o->outside, 0, mhz);
		print_row(f, "all", "RUN", &all, *macs_total, mhz);
		print_row(f, "-", "loading", &o->load, 0, mhz);
	}
	return all;
}

static void print_estimates(FILE *f, const struct mm_platform *p,
			    const struct sim_insn_mix *all, uint64_t macs)
{
	double mhz = (double)p->cost.core_mhz;
	fprintf(f, "board estimate for one RUN on %s (%.0f MHz):\n", p->name,
		mhz);
	fprintf(f, "  Cortex-A53 from the instruction mix: %.3f ms "
		"(%.0f cycles, %llu instructions)\n",
		1e3 * sim_a53_seconds(all, mhz), sim_a53_cycles(all),
		(unsigned long long)sim_insn_mix_total(all));
	if (p->has_cost && p->cost.macs_per_cycle)
		fprintf(f, "  MAC rate (cost model): %.3f ms (%llu MACs at "
			"%llu MAC/cycle, %llu%% of peak)\n",
			1e3 * (double)macs / (mhz * 1e6 *
			(double)p->cost.macs_per_cycle *
			(double)p->cost.compute_efficiency_pct / 100.0),
			(unsigned long long)macs,
			(unsigned long long)p->cost.macs_per_cycle,
			(unsigned long long)p->cost.compute_efficiency_pct);
}

static int print_verdict(FILE *f, const struct sz_verify_job *job,
			 const struct sz_verify_outcome *o)
{
	if (o->violation.stop != SIM_UC_RAN) {
		fprintf(f, "FAILED: %s\n", o->violation.text);
		return 1;
	}
	if (o->result != TEE_SUCCESS) {
		fprintf(f, "FAILED: command %u returned 0x%08x\n",
			o->failed_command, o->result);
		return 1;
	}
	fprintf(f, "rules: held (no unmapped access, code only executed, "
		"shared memory read once inside the inputs, written once "
		"inside the output)\n");
	if (job->mode == TL_MODE_FAST) {
		fprintf(f, "output: fast mode, max relative error %.3g against "
			"the host's fast mode\n", o->max_rel_err);
		return 0;
	}
	if (o->identical) {
		fprintf(f, "output: strict, bit-identical to the host's (%u "
			"values)\n", o->n_outputs);
		return 0;
	}
	fprintf(f, "FAILED: strict output differs from the host's (max "
		"relative error %.3g); first layer that differs: %d\n",
		o->max_rel_err, o->first_layer_differs);
	return 1;
}

int sz_verify_print(FILE *f, const char *model, const struct mm_platform *p,
		    const struct mm_plan *pl, const struct sz_verify_job *job,
		    const struct sz_verify_outcome *o, bool quiet)
{
	struct tl_model m;
	struct tl_model_error e;
	if (tl_model_open(job->tlm, job->tlm_size, &m, &e) != TL_OK)
		return 1;
	fprintf(f, "%s under Unicorn on %s: TA_DATA_SIZE %llu, TA_STACK_SIZE "
		"%llu, window %llu bytes, %llu chunks\n", model, p->name,
		(unsigned long long)pl->ta_data_size,
		(unsigned long long)pl->ta_stack_size,
		(unsigned long long)job->window,
		(unsigned long long)o->chunks);
	int failed = print_verdict(f, job, o);
	uint64_t macs;
	struct sim_insn_mix all = print_layers(f, &m, o,
					       (double)p->cost.core_mhz,
					       quiet || failed, &macs);
	if (!failed)
		print_estimates(f, p, &all, macs);
	return failed;
}
