/*
 * Shared by the A64 decoder's files (insn_*.c): field extraction and the
 * decoders of the three larger encoding groups. Field positions and
 * group patterns follow the Arm ARM (DDI 0487), "A64 Instruction Set
 * Encoding" and its per-group tables.
 */
#ifndef INSN_LOCAL_H
#define INSN_LOCAL_H

#include <stdint.h>

#include "sim_insn.h"

/* Bits hi..lo of w (inclusive), as the Arm ARM writes them: w<hi:lo>. */
static inline uint32_t insn_bits(uint32_t w, unsigned hi, unsigned lo)
{
	return (w >> lo) & ((2u << (hi - lo)) - 1u);
}

/* An info of class c moving no bytes, one lane, no flags. */
static inline struct sim_insn_info insn_info(enum sim_insn_class c)
{
	struct sim_insn_info i = { c, 0, 0, 1, 0 };
	return i;
}

/* Loads and stores: op0 x1x0 (insn_ldst.c). */
struct sim_insn_info insn_decode_ldst(uint32_t w);
/* Data processing, SIMD and floating point: op0 x111 (insn_simd.c). */
struct sim_insn_info insn_decode_simd_fp(uint32_t w);
/* Advanced SIMD vector forms (insn_simd_vec.c). */
struct sim_insn_info insn_decode_simd_vector(uint32_t w);

/* FP lanes of an Advanced SIMD vector op with Q (bit 30) and sz (bit
 * 22) as its element size, single or double; with half, FP16. */
uint8_t insn_fp_lanes(uint32_t w, int half);

/* Whether a two-register-miscellaneous op (vector or scalar) is a
 * floating-point one, from its opcode<16:12> and size<23>. */
int insn_misc_is_fp(uint32_t w);

#endif
