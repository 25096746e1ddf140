/*
 * Loads and stores (op0 x1x0): the class and the bytes one execution
 * moves, from the size, opc and V fields of each encoding group (Arm ARM
 * DDI 0487, "Loads and Stores"). Prefetches (PRFM, PRFUM) are LOAD with
 * 0 bytes: they take the load/store pipe's issue slot and move nothing
 * into a register.
 */
#include "insn_local.h"

static struct sim_insn_info load(unsigned bytes)
{
	struct sim_insn_info i = insn_info(SIM_INSN_LOAD);
	i.bytes_loaded = (uint8_t)bytes;
	return i;
}

static struct sim_insn_info store(unsigned bytes)
{
	struct sim_insn_info i = insn_info(SIM_INSN_STORE);
	i.bytes_stored = (uint8_t)bytes;
	return i;
}

/* Atomics read and write memory in one instruction; they are LOAD (the
 * result is a load's), with both byte counts. */
static struct sim_insn_info atomic(unsigned bytes)
{
	struct sim_insn_info i = load(bytes);
	i.bytes_stored = (uint8_t)bytes;
	return i;
}

/* LD1-LD4/ST1-ST4 (multiple structures): whole registers, 8 or 16
 * bytes each (Q, bit 30); opcode<15:12> gives the register count. */
static struct sim_insn_info simd_multiple(uint32_t w)
{
	static const uint8_t regs[16] = {
		[0] = 4, [2] = 4, [4] = 3, [6] = 3, [7] = 1, [8] = 2, [10] = 2,
	};
	unsigned n = regs[insn_bits(w, 15, 12)];
	unsigned bytes = n * (insn_bits(w, 30, 30) ? 16u : 8u);

	if (n == 0)
		return insn_info(SIM_INSN_OTHER);
	return insn_bits(w, 22, 22) ? load(bytes) : store(bytes);
}

/* LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R: one element per
 * register; selem = (opcode<0>:R) + 1 registers. The element size comes
 * from opcode<2:1>, and for the replicating loads from size<11:10>. */
static struct sim_insn_info simd_single(uint32_t w)
{
	uint32_t opcode = insn_bits(w, 15, 13);
	unsigned selem = ((opcode & 1u) << 1 | insn_bits(w, 21, 21)) + 1;
	unsigned esize;

	switch (opcode >> 1) {
	case 0: esize = 1; break;
	case 1: esize = 2; break;
	case 2: esize = insn_bits(w, 10, 10) ? 8 : 4; break;
	default: esize = 1u << insn_bits(w, 11, 10); break;	/* LDnR */
	}
	return insn_bits(w, 22, 22) ? load(selem * esize) :
				      store(selem * esize);
}

/* LDR (literal): opc<31:30> with V; opc 11 without V is PRFM. */
static struct sim_insn_info literal(uint32_t w)
{
	static const uint8_t gp[4] = { 4, 8, 4, 0 };	/* W, X, SW, PRFM */
	static const uint8_t fp[4] = { 4, 8, 16, 0 };	/* S, D, Q, - */
	uint32_t opc = insn_bits(w, 31, 30);

	if (insn_bits(w, 26, 26)) {
		if (opc == 3)
			return insn_info(SIM_INSN_OTHER);
		return load(fp[opc]);
	}
	return load(gp[opc]);
}

/* LDP/STP, LDNP/STNP, LDPSW: two elements of opc<31:30>'s size. */
static struct sim_insn_info pair(uint32_t w)
{
	uint32_t opc = insn_bits(w, 31, 30);
	int is_load = insn_bits(w, 22, 22);
	unsigned esize;

	if (insn_bits(w, 26, 26))		/* S, D, Q */
		esize = opc == 3 ? 0 : 4u << opc;
	else if (opc == 0 || opc == 1)		/* W; LDPSW; STGP */
		esize = (opc == 1 && !is_load) ? 8 : 4;
	else
		esize = opc == 2 ? 8 : 0;	/* X */
	if (esize == 0)
		return insn_info(SIM_INSN_OTHER);
	return is_load ? load(2 * esize) : store(2 * esize);
}

/* LDR/STR and their unscaled, indexed, unprivileged and register-offset
 * forms: size<31:30>, V<26>, opc<23:22>. Atomics (LDADD, SWP, ...) share
 * the group with bit 21 set and bits<11:10> 00. */
static struct sim_insn_info single_reg(uint32_t w)
{
	uint32_t size = insn_bits(w, 31, 30), opc = insn_bits(w, 23, 22);
	unsigned bytes = 1u << size;

	if (!insn_bits(w, 24, 24) && insn_bits(w, 21, 21)) {
		uint32_t kind = insn_bits(w, 11, 10);
		if (kind == 0 && !insn_bits(w, 26, 26))
			return atomic(bytes);
		if (kind & 1u)			/* LDRAA, LDRAB */
			return load(8);
	}
	if (insn_bits(w, 26, 26)) {		/* B, H, S, D; Q when opc<1> */
		if (opc >= 2 && size != 0)
			return insn_info(SIM_INSN_OTHER);
		bytes = opc >= 2 ? 16 : bytes;
		return (opc & 1u) ? load(bytes) : store(bytes);
	}
	if (opc == 0)
		return store(bytes);
	if (opc == 2 && size == 3)		/* PRFM, PRFUM */
		return load(0);
	if (opc == 3 && size >= 2)
		return insn_info(SIM_INSN_OTHER);
	return load(bytes);			/* LDR, LDRS* */
}

/* Exclusive and ordered (LDXR, LDAXP, STLR, CAS...): size<31:30>,
 * o2<23>, L<22>, o1<21>. CAS and CASP (o1 with o2, or o1 with a size
 * below 32 bits) compare and swap: atomic. */
static struct sim_insn_info exclusive(uint32_t w)
{
	uint32_t size = insn_bits(w, 31, 30);
	int o2 = insn_bits(w, 23, 23), o1 = insn_bits(w, 21, 21);
	unsigned bytes = 1u << size;

	if (o1 && (o2 || size < 2))
		return atomic(o2 ? bytes : 2 * (4u << size));
	if (o1)
		bytes *= 2;			/* LDXP, STXP */
	return insn_bits(w, 22, 22) ? load(bytes) : store(bytes);
}

struct sim_insn_info insn_decode_ldst(uint32_t w)
{
	if ((w & 0xBF000000u) == 0x0C000000u)
		return simd_multiple(w);
	if ((w & 0xBF000000u) == 0x0D000000u)
		return simd_single(w);
	if ((w & 0x3B000000u) == 0x18000000u)
		return literal(w);
	if ((w & 0x3A000000u) == 0x28000000u)
		return pair(w);
	if ((w & 0x3A000000u) == 0x38000000u)
		return single_reg(w);
	if ((w & 0x3F000000u) == 0x08000000u)
		return exclusive(w);
	if ((w & 0x3F200C00u) == 0x19000000u)	/* LDAPUR, STLUR */
		return insn_bits(w, 23, 22) ? load(1u << insn_bits(w, 31, 30))
					    : store(1u << insn_bits(w, 31, 30));
	return insn_info(SIM_INSN_OTHER);	/* memory tags, ... */
}
