/*
 * Data processing, SIMD and floating point (op0 x111): scalar FP
 * (bits<31:24> 0x1E/0x1F), scalar Advanced SIMD (0x5E/0x5F) and
 * cryptography here; the vector forms in insn_simd_vec.c. Moves get
 * SIMD_MOVE; compares, converts and arithmetic FP_SCALAR or FP_FMA.
 */
#include "insn_local.h"

static struct sim_insn_info fp(enum sim_insn_class c, uint8_t lanes)
{
	struct sim_insn_info i = insn_info(c);
	i.simd_lanes = lanes;
	i.flags = SIM_INSN_F_FP;
	return i;
}

uint8_t insn_fp_lanes(uint32_t w, int half)
{
	int q = insn_bits(w, 30, 30);

	if (half)
		return q ? 8 : 4;
	if (insn_bits(w, 22, 22))		/* .2D */
		return 2;
	return q ? 4 : 2;			/* .4S, .2S */
}

/* Two-register miscellaneous (vector and scalar): the FP opcodes are
 * FCMxx #0 and FABS/FNEG (opcode 011xx, size<1> set), FCVTN/FCVTL
 * (1011x, size<1> clear) and 11xxx (FRINT, FCVT, xCVTF, FRECPE,
 * FSQRT); the rest is integer. */
int insn_misc_is_fp(uint32_t w)
{
	uint32_t opcode = insn_bits(w, 16, 12), size1 = insn_bits(w, 23, 23);

	if (opcode >= 0x0C && opcode <= 0x0F)
		return size1;
	if (opcode == 0x16 || opcode == 0x17)
		return !size1;
	return opcode >= 0x18;
}

/* bits<31:24> 0x1E: FP data processing, one or two sources, compare,
 * select, immediate, and the conversions. FMOVs are moves. */
static struct sim_insn_info scalar_fp(uint32_t w)
{
	if (!insn_bits(w, 21, 21))		/* FP <-> fixed point */
		return fp(SIM_INSN_FP_SCALAR, 1);
	if (insn_bits(w, 11, 10))		/* FCCMP, 2-source, FCSEL */
		return fp(SIM_INSN_FP_SCALAR, 1);
	if (insn_bits(w, 12, 12))		/* FMOV (immediate) */
		return insn_info(SIM_INSN_SIMD_MOVE);
	if (insn_bits(w, 13, 13))		/* FCMP, FCMPE */
		return fp(SIM_INSN_FP_SCALAR, 1);
	if (insn_bits(w, 14, 14))		/* 1-source; opcode 0: FMOV */
		return insn_bits(w, 20, 15) ? fp(SIM_INSN_FP_SCALAR, 1) :
					      insn_info(SIM_INSN_SIMD_MOVE);
	if (insn_bits(w, 15, 15))
		return insn_info(SIM_INSN_OTHER);
	if (insn_bits(w, 18, 17) == 3)		/* FMOV to or from a GPR */
		return insn_info(SIM_INSN_SIMD_MOVE);
	return fp(SIM_INSN_FP_SCALAR, 1);	/* SCVTF, FCVTZS, ... */
}

/* bits<31:24> 0x5E: scalar Advanced SIMD on one lane: DUP (element),
 * three-same, two-register misc, pairwise. */
static struct sim_insn_info scalar_simd(uint32_t w)
{
	if ((w & 0xFFE08400u) == 0x5E000400u)	/* DUP (element), MOV */
		return insn_info(SIM_INSN_SIMD_MOVE);
	if (insn_bits(w, 21, 21) && insn_bits(w, 10, 10))	/* 3-same */
		return insn_bits(w, 15, 11) >= 0x18 ?
		       fp(SIM_INSN_FP_SCALAR, 1) : insn_info(SIM_INSN_SIMD);
	if (insn_bits(w, 21, 21) && insn_bits(w, 11, 10) == 2) {
		uint32_t op = insn_bits(w, 20, 17);
		if (op == 0 && insn_misc_is_fp(w))	/* 2-reg misc */
			return fp(SIM_INSN_FP_SCALAR, 1);
		if (op == 8 && insn_bits(w, 16, 12) >= 0x0C &&
		    insn_bits(w, 16, 12) <= 0x0F)	/* FMAXNMP, FADDP.. */
			return fp(SIM_INSN_FP_SCALAR, 1);
	}
	return insn_info(SIM_INSN_SIMD);	/* ADD d, SQADD, ADDP.. */
}

/* bits<31:24> 0x5F: scalar by element (FMLA s, s, v.s[i] is a scalar
 * fused multiply-add) and scalar shifts (with the fixed-point
 * conversions, opcodes 11100 and 11111). */
static struct sim_insn_info scalar_simd_imm(uint32_t w)
{
	uint32_t opcode = insn_bits(w, 15, 12);

	if (!insn_bits(w, 10, 10)) {		/* by element */
		if (opcode == 1 || opcode == 5)	/* FMLA, FMLS */
			return fp(SIM_INSN_FP_FMA, 1);
		if (opcode == 9)		/* FMUL, FMULX */
			return fp(SIM_INSN_FP_SCALAR, 1);
		return insn_info(SIM_INSN_SIMD);
	}
	opcode = insn_bits(w, 15, 11);
	if (opcode == 0x1C || opcode == 0x1F)	/* xCVTF, FCVTZx fixed */
		return fp(SIM_INSN_FP_SCALAR, 1);
	return insn_info(SIM_INSN_SIMD);	/* SSHR d, SHL d, ... */
}

struct sim_insn_info insn_decode_simd_fp(uint32_t w)
{
	uint32_t top = insn_bits(w, 31, 24);

	if ((w & 0x9E000000u) == 0x0E000000u)	/* 0Qx0111x: vector */
		return insn_decode_simd_vector(w);
	switch (top) {
	case 0x1E: return scalar_fp(w);
	case 0x9E: return scalar_fp(w);	/* sf set: to or from X regs */
	case 0x1F: return fp(SIM_INSN_FP_FMA, 1);	/* FMADD, FNMSUB.. */
	case 0x5E: return scalar_simd(w);
	case 0x7E: return scalar_simd(w);
	case 0x5F: return scalar_simd_imm(w);
	case 0x7F: return scalar_simd_imm(w);
	case 0xCE: return insn_info(SIM_INSN_SIMD);	/* SHA512, SM3.. */
	default: return insn_info(SIM_INSN_OTHER);
	}
}
