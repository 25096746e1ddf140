/*
 * AArch64 (A64) instructions by class, for the Unicorn runner's figures:
 * each instruction word the secure code executes is decoded once into a
 * class and the bytes it loads or stores; the runner adds them up per
 * layer. The classes are the ones a Cortex-A53's pipelines cost
 * differently (sim_a53.h).
 */
#ifndef SIM_INSN_H
#define SIM_INSN_H

#include <stdint.h>

enum sim_insn_class {
	SIM_INSN_INT,		/* integer ALU, moves, address arithmetic */
	SIM_INSN_MUL,		/* integer multiply and divide */
	SIM_INSN_BRANCH,	/* branches, calls, returns */
	SIM_INSN_LOAD,		/* loads, integer or FP/SIMD, pairs too */
	SIM_INSN_STORE,		/* stores */
	SIM_INSN_FP_SCALAR,	/* scalar FP arithmetic, compare, convert */
	SIM_INSN_FP_FMA,	/* scalar fused multiply-add */
	SIM_INSN_SIMD,		/* vector arithmetic other than FMA/MUL */
	SIM_INSN_SIMD_FMA,	/* vector FMLA/FMLS and FMUL */
	SIM_INSN_SIMD_MOVE,	/* vector moves, DUP, INS, permutes */
	SIM_INSN_SYSTEM,	/* SVC, barriers, MRS/MSR, hints */
	SIM_INSN_OTHER,		/* anything not decoded above */
	SIM_INSN_CLASSES
};

/* A short name of a class ("fp-fma", ...). */
const char *sim_insn_class_name(enum sim_insn_class c);

struct sim_insn_info {
	enum sim_insn_class cls;
	uint8_t bytes_loaded;	/* by one execution (LDP Q: 32) */
	uint8_t bytes_stored;
	uint8_t simd_lanes;	/* FP lanes of a vector op (4 for .4S), else 1 */
	uint8_t flags;		/* SIM_INSN_F_* below */
};

/* A 128-bit (Q-form) FP/SIMD data-processing op: the Cortex-A53's
 * 64-bit FP/SIMD datapath takes it twice (sim_a53.h). Loads and stores
 * of Q registers are not flagged: the load/store pipe costs them. */
#define SIM_INSN_F_Q128 0x01u
/* Floating-point data processing (arithmetic, compare, convert): its
 * simd_lanes count in sim_insn_mix.flops_lanes. */
#define SIM_INSN_F_FP 0x02u

/* Decodes one little-endian A64 instruction word (sim/unicorn/src/
 * insn_*.c; the choices in docs/cost-model.md). PRFM is LOAD with 0
 * bytes; vector FMLA/FMLS/FMUL are SIMD_FMA, scalar FMADD & co FP_FMA. */
struct sim_insn_info sim_insn_decode(uint32_t word);

/* Counts over many executed instructions. */
struct sim_insn_mix {
	uint64_t count[SIM_INSN_CLASSES];
	uint64_t bytes_loaded, bytes_stored;
	uint64_t flops_lanes;	/* FP lanes of FP/SIMD arithmetic */
	uint64_t q128_ops;	/* of which 128-bit FP/SIMD ops (F_Q128) */
};

/* Adds `times` executions of an instruction decoded as i to m. */
void sim_insn_mix_add(struct sim_insn_mix *m, const struct sim_insn_info *i,
		      uint64_t times);
/* Adds mix m to mix to. */
void sim_insn_mix_sum(struct sim_insn_mix *to, const struct sim_insn_mix *m);
/* The instructions of every class in m. */
uint64_t sim_insn_mix_total(const struct sim_insn_mix *m);

#endif
