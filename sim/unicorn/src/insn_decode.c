/*
 * The A64 decoder's top level (sim_insn.h): the Arm ARM's first table,
 * op0 = bits<28:25>, picks the group; branches and integer data
 * processing are decoded here, loads/stores and SIMD&FP in their own
 * files. Only what the Cortex-A53 costs differently is told apart.
 */
#include "insn_local.h"

static const char *const class_names[SIM_INSN_CLASSES] = {
	[SIM_INSN_INT] = "int",
	[SIM_INSN_MUL] = "mul",
	[SIM_INSN_BRANCH] = "branch",
	[SIM_INSN_LOAD] = "load",
	[SIM_INSN_STORE] = "store",
	[SIM_INSN_FP_SCALAR] = "fp-scalar",
	[SIM_INSN_FP_FMA] = "fp-fma",
	[SIM_INSN_SIMD] = "simd",
	[SIM_INSN_SIMD_FMA] = "simd-fma",
	[SIM_INSN_SIMD_MOVE] = "simd-move",
	[SIM_INSN_SYSTEM] = "system",
	[SIM_INSN_OTHER] = "other",
};

const char *sim_insn_class_name(enum sim_insn_class c)
{
	if ((unsigned)c >= SIM_INSN_CLASSES)
		return "?";
	return class_names[c];
}

/* op0 101x: branches, exception generation and system instructions. */
static struct sim_insn_info decode_branch_sys(uint32_t w)
{
	if ((w & 0xFE000000u) == 0x54000000u)	/* B.cond, BC.cond */
		return insn_info(SIM_INSN_BRANCH);
	if ((w & 0xFF000000u) == 0xD4000000u)	/* SVC, HVC, SMC, BRK */
		return insn_info(SIM_INSN_SYSTEM);
	if ((w & 0xFFC00000u) == 0xD5000000u)	/* hints, barriers, MRS */
		return insn_info(SIM_INSN_SYSTEM);
	if ((w & 0xFE000000u) == 0xD6000000u)	/* BR, BLR, RET, ERET */
		return insn_info(SIM_INSN_BRANCH);
	if ((w & 0x7C000000u) == 0x14000000u)	/* B, BL */
		return insn_info(SIM_INSN_BRANCH);
	if ((w & 0x7C000000u) == 0x34000000u)	/* CBZ/CBNZ, TBZ/TBNZ */
		return insn_info(SIM_INSN_BRANCH);
	return insn_info(SIM_INSN_OTHER);
}

/* op0 x101: integer data processing on registers. The multiplier and
 * divider are the only parts the A53 does not dual-issue. */
static struct sim_insn_info decode_dp_reg(uint32_t w)
{
	if ((w & 0x1F000000u) == 0x1B000000u)	/* 3-source: MADD, SMULL.. */
		return insn_info(SIM_INSN_MUL);
	if ((w & 0x5FE00000u) == 0x1AC00000u) {	/* 2-source */
		uint32_t opcode = insn_bits(w, 15, 10);
		if (opcode == 2 || opcode == 3)	/* UDIV, SDIV */
			return insn_info(SIM_INSN_MUL);
	}
	return insn_info(SIM_INSN_INT);
}

struct sim_insn_info sim_insn_decode(uint32_t w)
{
	uint32_t op0 = insn_bits(w, 28, 25);

	if ((op0 & 0xEu) == 0x8u)		/* 100x */
		return insn_info(SIM_INSN_INT);	/* ADD imm, MOVZ, ADRP.. */
	if ((op0 & 0xEu) == 0xAu)		/* 101x */
		return decode_branch_sys(w);
	if ((op0 & 0x5u) == 0x4u)		/* x1x0 */
		return insn_decode_ldst(w);
	if ((op0 & 0x7u) == 0x5u)		/* x101 */
		return decode_dp_reg(w);
	if ((op0 & 0x7u) == 0x7u)		/* x111 */
		return insn_decode_simd_fp(w);
	return insn_info(SIM_INSN_OTHER);	/* reserved, SME, SVE */
}
