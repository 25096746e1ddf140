/*
 * Advanced SIMD vector forms (bits<31:24> 0Qx01110 and 0Qx01111, Arm ARM
 * "Data Processing -- Scalar Floating-Point and Advanced SIMD"). Every
 * op with Q (bit 30) set is flagged SIM_INSN_F_Q128; FP ops carry their
 * lanes and SIM_INSN_F_FP.
 */
#include "insn_local.h"

static struct sim_insn_info vec(uint32_t w, enum sim_insn_class c)
{
	struct sim_insn_info i = insn_info(c);
	if (insn_bits(w, 30, 30))
		i.flags |= SIM_INSN_F_Q128;
	return i;
}

static struct sim_insn_info vec_fp(uint32_t w, enum sim_insn_class c,
				   int half)
{
	struct sim_insn_info i = vec(w, c);
	i.simd_lanes = insn_fp_lanes(w, half);
	i.flags |= SIM_INSN_F_FP;
	return i;
}

/* Three registers of the same type: U<29>, size<23:22>, opcode<15:11>.
 * Opcodes 11xxx are FP: FMLA/FMLS (U=0, 11001) and FMUL (U=1, 11011,
 * size<1> clear) and FMULX (U=0, 11011) feed the multiply-accumulate
 * pipe; ORR with Rm == Rn is MOV. */
static struct sim_insn_info three_same(uint32_t w)
{
	uint32_t u = insn_bits(w, 29, 29), opcode = insn_bits(w, 15, 11);

	if (opcode >= 0x18) {
		if ((u == 0 && opcode == 0x19) ||
		    (opcode == 0x1B && !insn_bits(w, 23, 23)))
			return vec_fp(w, SIM_INSN_SIMD_FMA, 0);
		return vec_fp(w, SIM_INSN_SIMD, 0);
	}
	if (u == 0 && opcode == 0x03 && insn_bits(w, 23, 22) == 2 &&
	    insn_bits(w, 20, 16) == insn_bits(w, 9, 5))
		return vec(w, SIM_INSN_SIMD_MOVE);
	return vec(w, SIM_INSN_SIMD);
}

/* Three same, FP16 (bits<23:21> x10, bit 10 set): opcode<13:11> 001 is
 * FMLA/FMLS, 011 with U FMUL. */
static struct sim_insn_info three_same_fp16(uint32_t w)
{
	uint32_t opcode = insn_bits(w, 13, 11), u = insn_bits(w, 29, 29);

	if ((u == 0 && opcode == 1) || (opcode == 3 && !insn_bits(w, 23, 23)))
		return vec_fp(w, SIM_INSN_SIMD_FMA, 1);
	return vec_fp(w, SIM_INSN_SIMD, 1);
}

/* By element (bit 24 set, bit 10 clear): opcode<15:12> 0001 FMLA, 0101
 * FMLS, 1001 FMUL/FMULX; size 00 is their FP16 form. */
static struct sim_insn_info by_element(uint32_t w)
{
	uint32_t opcode = insn_bits(w, 15, 12);

	if (opcode == 1 || opcode == 5 || opcode == 9)
		return vec_fp(w, SIM_INSN_SIMD_FMA, insn_bits(w, 23, 22) == 0);
	return vec(w, SIM_INSN_SIMD);		/* MUL, MLA, SMULL, SDOT.. */
}

/* Bit 24 set, bit 10 set: modified immediate when immh<22:19> is 0
 * (MOVI, MVNI, FMOV are moves; ORR and BIC, cmode<0> set below 11xx,
 * are ALU ops), else shift by immediate (xCVTF/FCVTZx fixed-point
 * at opcodes 11100 and 11111 are FP). */
static struct sim_insn_info imm_forms(uint32_t w)
{
	if (insn_bits(w, 22, 19) == 0) {
		uint32_t cmode = insn_bits(w, 15, 12);
		if ((cmode & 1u) && cmode < 0xC)
			return vec(w, SIM_INSN_SIMD);
		return vec(w, SIM_INSN_SIMD_MOVE);
	}
	if (insn_bits(w, 15, 11) == 0x1C || insn_bits(w, 15, 11) == 0x1F)
		return vec_fp(w, SIM_INSN_SIMD, 0);
	return vec(w, SIM_INSN_SIMD);		/* SSHR, SHL, SXTL, ... */
}

/* Bit 21 set, bits<11:10> 10: two-register misc (bits<20:17> 0000),
 * across lanes (1000), and AES/FP16 misc (others). */
static struct sim_insn_info misc_and_across(uint32_t w)
{
	uint32_t op = insn_bits(w, 20, 17);

	if (op == 0 && insn_misc_is_fp(w))
		return vec_fp(w, SIM_INSN_SIMD, 0);
	if (op == 8 && (insn_bits(w, 16, 12) == 0x0C ||	/* FMAXNMV.. */
			insn_bits(w, 16, 12) == 0x0F))	/* FMAXV, FMINV */
		return vec_fp(w, SIM_INSN_SIMD, !insn_bits(w, 29, 29));
	return vec(w, SIM_INSN_SIMD);
}

/* Bit 24 clear, bit 21 clear: DUP/INS/UMOV/SMOV, permutes, EXT and
 * TBL/TBX move data; the FP16 three-same and the "three same extra"
 * (SDOT, FCMLA) compute. */
static struct sim_insn_info no_bit21(uint32_t w)
{
	if ((w & 0x9FE08400u) == 0x0E000400u)	/* copy */
		return vec(w, SIM_INSN_SIMD_MOVE);
	if ((w & 0x9F60C400u) == 0x0E400400u)
		return three_same_fp16(w);
	if ((w & 0xBF208C00u) == 0x0E000800u ||	/* UZP, TRN, ZIP */
	    (w & 0xBF208C00u) == 0x0E000000u ||	/* TBL, TBX */
	    (w & 0xBF208400u) == 0x2E000000u)	/* EXT */
		return vec(w, SIM_INSN_SIMD_MOVE);
	return vec(w, SIM_INSN_SIMD);
}

struct sim_insn_info insn_decode_simd_vector(uint32_t w)
{
	if (insn_bits(w, 24, 24))
		return insn_bits(w, 10, 10) ? imm_forms(w) : by_element(w);
	if (!insn_bits(w, 21, 21))
		return no_bit21(w);
	if (insn_bits(w, 10, 10))
		return three_same(w);
	if (insn_bits(w, 11, 11))
		return misc_and_across(w);
	return vec(w, SIM_INSN_SIMD);		/* three different: SMULL.. */
}
