/*
 * The Cortex-A53 estimate (sim_a53.h). The core is in-order and issues
 * at most two instructions a cycle, so the estimate adds up the issue
 * cycles each instruction holds it for (half a cycle for what dual-issues
 * freely, a cycle or more for what has a single pipe), then the cycles
 * the load/store pipe needs for the bytes beyond one access a cycle.
 * Sources, by file and entry (none of their text is copied here):
 *   [LLVM] llvm/llvm-project, llvm/lib/Target/AArch64/AArch64SchedA53.td
 *          (stored version 02b3d4f4)
 *   [GCC]  gcc-mirror/gcc, gcc/config/arm/cortex-a53.md
 * docs/cost-model.md explains the choices.
 */
#include "sim_a53.h"

static const double class_cost[SIM_INSN_CLASSES] = {
	/* [LLVM] A53UnitALU is ProcResource<2> and CortexA53Model has
	 * IssueWidth = 2; [GCC] cortex_a53_alu reserves
	 * cortex_a53_slot_any: two ALU ops a cycle. */
	[SIM_INSN_INT] = 0.5,
	/* [GCC] cortex_a53_mul reserves cortex_a53_single_issue (both
	 * slots, one cycle); [LLVM] A53UnitMAC is ProcResource<1>. Divides
	 * share the class: [GCC] cortex_a53_udiv holds the divider 8 cycles,
	 * which this does not charge (rare in the kernels). */
	[SIM_INSN_MUL] = 1.0,
	/* [GCC] cortex_a53_branch reserves cortex_a53_slot_any plus
	 * cortex_a53_branch: a branch dual-issues, taking one slot. */
	[SIM_INSN_BRANCH] = 0.5,
	/* [LLVM] A53UnitLdSt is ProcResource<1>, WriteLD/WriteST on it;
	 * [GCC] "two load/stores cannot simultaneously issue"
	 * (cortex_a53_ls): one load or store a cycle. */
	[SIM_INSN_LOAD] = 1.0,
	[SIM_INSN_STORE] = 1.0,
	/* [GCC] cortex_a53_fpalu, cortex_a53_fpmul and cortex_a53_fpmac all
	 * reserve cortex_a53_slot0: one FP instruction issues a cycle;
	 * [LLVM] A53UnitFPALU and A53UnitFPMDS are ProcResource<1>. */
	[SIM_INSN_FP_SCALAR] = 1.0,
	[SIM_INSN_FP_FMA] = 1.0,
	/* The same single FP/SIMD issue for 64-bit vector ops; 128-bit
	 * ones add SIM_A53_Q128_EXTRA. */
	[SIM_INSN_SIMD] = 1.0,
	[SIM_INSN_SIMD_FMA] = 1.0,
	[SIM_INSN_SIMD_MOVE] = 1.0,
	/* [LLVM] WriteSys, WriteBarrier and WriteHint take A53UnitB like a
	 * branch; ASSUMED a whole cycle, as barriers and SVC serialise the
	 * pipeline (no figure for that in either file). */
	[SIM_INSN_SYSTEM] = 1.0,
	/* ASSUMED: an undecoded instruction as one single-issued cycle. */
	[SIM_INSN_OTHER] = 1.0,
};

/* [LLVM] WriteVq and A53WriteFMACQ have ReleaseAtCycles = [2] ("The
 * ASIMD datapath is 64 bits wide: 128-bit (Q-form) operations occupy the
 * FP/ASIMD pipe for two cycles"): SIM_A53_Q128_EXTRA = 1 in sim_a53.h.
 *
 * The memory term's bandwidths, sim_a53.h: [LLVM] LD1Twov..LD1Fourv with
 * 128-bit registers are A53WriteVLD2..A53WriteVLD4 (ReleaseAtCycles 2..4
 * for 32..64 bytes: 16 bytes a cycle); ST1Twov is A53WriteVST1 and
 * ST1Fourv A53WriteVST2 (32 and 64 bytes in 1 and 2 cycles: 32 bytes a
 * cycle). */

double sim_a53_class_cost(enum sim_insn_class c)
{
	if ((unsigned)c >= SIM_INSN_CLASSES)
		return 0.0;
	return class_cost[c];
}

/* Cycles the load/store pipe needs for the bytes moved, beyond the one
 * cycle each load and store is already charged: a bound over the whole
 * mix, so small accesses' spare bandwidth absorbs wide ones' extra. */
static double memory_term(const struct sim_insn_mix *m)
{
	double need = (double)m->bytes_loaded / SIM_A53_LOAD_BYTES_PER_CYCLE +
		      (double)m->bytes_stored / SIM_A53_STORE_BYTES_PER_CYCLE;
	double have = (double)(m->count[SIM_INSN_LOAD] +
			       m->count[SIM_INSN_STORE]);

	return need > have ? need - have : 0.0;
}

void sim_a53_breakdown(const struct sim_insn_mix *m,
		       struct sim_a53_breakdown *out)
{
	out->total = 0.0;
	for (int c = 0; c < SIM_INSN_CLASSES; c++) {
		out->cls[c] = (double)m->count[c] * class_cost[c];
		out->total += out->cls[c];
	}
	out->q128 = (double)m->q128_ops * SIM_A53_Q128_EXTRA;
	out->memory = memory_term(m);
	out->total += out->q128 + out->memory;
}

double sim_a53_cycles(const struct sim_insn_mix *m)
{
	struct sim_a53_breakdown b;

	sim_a53_breakdown(m, &b);
	return b.total;
}

double sim_a53_seconds(const struct sim_insn_mix *m, double mhz)
{
	if (!(mhz > 0.0))
		return 0.0;
	return sim_a53_cycles(m) / (mhz * 1e6);
}
