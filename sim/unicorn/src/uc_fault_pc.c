/*
 * The instruction that made a data access. Unicorn 2.0 reports the start
 * of the translation block as the program counter inside a memory hook
 * on AArch64 (unicorn-engine/unicorn#972, #1699: the PC is synced only
 * with a code hook, which would cost a callback per instruction). The
 * registers, though, are those the faulting instruction sees. So the
 * block is scanned from its start: the first load (or store) whose
 * effective address, computed from the registers now, covers the
 * address accessed is the one.
 *
 * Addressing forms (Arm ARM DDI 0487, C4.1.66 "Loads and Stores"):
 * unsigned offset (imm12 scaled by the access size), unscaled and pre-
 * and post-indexed (imm9), register offset (Rm extended and optionally
 * shifted by the size), pairs (imm7 scaled), and the SIMD structure
 * loads and stores (the base alone, or post-indexed).
 */
#include <string.h>

#include "uc_internal.h"

/* Register r as an address operand reads it: 31 is SP as a base (sp),
 * else the zero register. X0..X28 are consecutive in Unicorn's ids, X29
 * and X30 are not. */
static uint64_t xreg(uc_engine *e, unsigned r, bool sp)
{
	uint64_t v = 0;
	int id = r <= 28 ? UC_ARM64_REG_X0 + (int)r
		 : r == 29 ? UC_ARM64_REG_X29
		 : r == 30 ? UC_ARM64_REG_X30
		 : sp ? UC_ARM64_REG_SP : -1;
	if (id >= 0)
		uc_reg_read(e, id, &v);
	return v;
}

static int64_t sign_extend(uint64_t v, unsigned bits)
{
	uint64_t m = 1ull << (bits - 1);
	return (int64_t)((v ^ m) - m);
}

/* Rm as the register-offset form extends it (option, bits 15:13). */
static uint64_t extended(uc_engine *e, uint32_t w)
{
	uint64_t rm = xreg(e, (w >> 16) & 31, false);
	switch ((w >> 13) & 7) {
	case 2: return (uint32_t)rm;			/* UXTW */
	case 6: return (uint64_t)(int64_t)(int32_t)rm;	/* SXTW */
	default: return rm;				/* LSL, SXTX */
	}
}

/* The access size's log2 of a single-register load or store. */
static unsigned size_log2(uint32_t w)
{
	unsigned size = w >> 30;
	bool simd = (w >> 26) & 1;
	/* a 128-bit SIMD&FP register: size 00 with opc<1> set */
	return simd && size == 0 && ((w >> 23) & 1) ? 4 : size;
}

/* The effective address of a load or store word, or false when the
 * form is none of the above (literal loads, exclusives). */
static bool effective_address(uc_engine *e, uint32_t w, uint64_t *ea)
{
	uint64_t base = xreg(e, (w >> 5) & 31, true);
	if ((w & 0x3b000000u) == 0x39000000u) {	/* unsigned offset */
		*ea = base + (((w >> 10) & 0xfff) << size_log2(w));
	} else if ((w & 0x3b200000u) == 0x38000000u) {	/* imm9 forms */
		unsigned mode = (w >> 10) & 3;	/* 0 unscaled, 1 post, 3 pre */
		*ea = mode == 1 ? base
				: base + (uint64_t)sign_extend((w >> 12) & 0x1ff, 9);
	} else if ((w & 0x3b200c00u) == 0x38200800u) {	/* register offset */
		unsigned shift = ((w >> 12) & 1) ? size_log2(w) : 0;
		*ea = base + (extended(e, w) << shift);
	} else if ((w & 0x3a000000u) == 0x28000000u) {	/* pairs */
		unsigned opc = w >> 30, simd = (w >> 26) & 1;
		unsigned scale = simd ? 2 + opc : 2 + (opc >> 1);
		bool post = ((w >> 23) & 3) == 1;
		int64_t off = sign_extend((w >> 15) & 0x7f, 7) * (1ll << scale);
		*ea = post ? base : base + (uint64_t)off;
	} else if ((w & 0xbe000000u) == 0x0c000000u) {	/* SIMD structures */
		*ea = base;
	} else {
		return false;
	}
	return true;
}

uint64_t uc_fault_pc(struct sim_uc *uc, uint64_t addr, bool write)
{
	const uint8_t *code = uc_space_host(&uc->sp, uc->block_addr,
					    uc->block_size);
	for (uint32_t at = 0; code && at + 4 <= uc->block_size; at += 4) {
		uint32_t w;
		memcpy(&w, code + at, sizeof w);
		struct sim_insn_info i = sim_insn_decode(w);
		unsigned bytes = write ? i.bytes_stored : i.bytes_loaded;
		uint64_t ea;
		if (bytes == 0 || !effective_address(uc->e, w, &ea))
			continue;
		if (addr >= ea && addr - ea < bytes)
			return uc->block_addr + at;
	}
	return uc->block_addr;	/* not found: the block, at least */
}
