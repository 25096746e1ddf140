/*
 * Cortex-A53 cycles from an instruction mix (sim_insn.h): what the
 * secure code the Unicorn runner executed would take on the RPi 3B+'s
 * core, from how many instructions of each class it ran and the bytes it
 * moved, not from timing anything. An in-order, dual-issue throughput
 * model with no cache misses, stalls on dependencies or branch
 * mispredictions; docs/cost-model.md ("Cortex-A53 estimate from the
 * instruction mix") gives the formula and the source of every figure.
 *
 *   struct sim_insn_mix m = { 0 };   (sim_insn_mix_add per instruction)
 *   double cycles = sim_a53_cycles(&m);
 *   double s = sim_a53_seconds(&m, (double)platform.cost.core_mhz);
 *   sim_a53_print(stdout, &m);
 */
#ifndef SIM_A53_H
#define SIM_A53_H

#include <stdio.h>

#include "sim_insn.h"

/* Issue cycles one instruction of a class holds the core for (a 128-bit
 * FP/SIMD op: its class's cost plus SIM_A53_Q128_EXTRA). */
double sim_a53_class_cost(enum sim_insn_class c);

/* The extra cycle a 128-bit FP/SIMD op takes on the 64-bit datapath. */
#define SIM_A53_Q128_EXTRA 1.0

/* Load/store pipe bandwidth, bytes a cycle: the memory term. */
#define SIM_A53_LOAD_BYTES_PER_CYCLE 16.0
#define SIM_A53_STORE_BYTES_PER_CYCLE 32.0

struct sim_a53_breakdown {
	double cls[SIM_INSN_CLASSES];	/* count x class cost */
	double q128;			/* q128_ops x SIM_A53_Q128_EXTRA */
	double memory;			/* cycles the bytes need beyond one
					 * a load or store; 0 if none */
	double total;			/* the sum of the above */
};

/* Every term of the estimate for m. */
void sim_a53_breakdown(const struct sim_insn_mix *m,
		       struct sim_a53_breakdown *out);

/* The estimate in core cycles: sim_a53_breakdown's total. */
double sim_a53_cycles(const struct sim_insn_mix *m);

/* The same in seconds at a clock of mhz (the platform file's
 * cost_core_mhz; 1400 for rpi3bplus). 0 when mhz is not positive. */
double sim_a53_seconds(const struct sim_insn_mix *m, double mhz);

/* A table of count, cost and cycles per class, the memory term and the
 * total. Returns 0, or -1 when writing to f failed. */
int sim_a53_print(FILE *f, const struct sim_insn_mix *m);

#endif
