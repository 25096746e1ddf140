/*
 * VMSAv8-64 stage-1 descriptors, 4 KiB granule, written from the Arm
 * Architecture Reference Manual for A-profile (DDI 0487), chapter D8 "The
 * AArch64 Virtual Memory System Architecture", its translation table
 * descriptor formats and memory attribute fields.
 */
#include "mm_xlat.h"

/* Bits [1:0]: bit 0 valid; bit 1 table (levels 0-2) or page (level 3),
 * clear for a block (levels 1-2; reserved, so invalid, at level 3). */
#define D_VALID		(1ull << 0)
#define D_TABLE_PAGE	(1ull << 1)
/* The output address (next table, page) with 48-bit PAs: bits [47:12]. */
#define D_OA_MASK	0x0000fffffffff000ull
/* Lower attributes of a block or page. */
#define D_ATTRINDX_SHIFT 2		/* AttrIndx[2:0], bits [4:2] */
#define D_NS		(1ull << 5)	/* non-secure output address */
#define D_AP_RO		(1ull << 7)	/* AP[2]: read-only */
#define D_AP_EL0	(1ull << 6)	/* AP[1]: EL0 may access */
#define D_SH_INNER	(3ull << 8)	/* SH[1:0] = 0b11, inner shareable */
#define D_AF		(1ull << 10)	/* access flag: set, no AF fault */
#define D_NG		(1ull << 11)	/* not global: tagged with the ASID */
/* Upper attributes. */
#define D_PXN		(1ull << 53)	/* privileged (EL1) execute-never */
#define D_UXN		(1ull << 54)	/* unprivileged (EL0) execute-never */

/* ASSUMED MAIR_EL1 layout (the builders' choice, as OP-TEE's is a
 * configuration of its own): attribute 0 Device-nGnRE, attribute 1
 * Normal, inner and outer write-back cacheable. Every mapping here is
 * normal memory. */
#define MAIR_IDX_NORMAL	1ull

/* The output address bits of a leaf at level: [47:30] for a 1 GiB block,
 * [47:21] for a 2 MiB block, [47:12] for a page. */
static uint64_t oa_mask(unsigned level)
{
	unsigned shift = 12 + 9 * (3 - level);
	return D_OA_MASK & ~((1ull << shift) - 1);
}

uint64_t mm_xlat_desc_table(uint64_t next_pa)
{
	return (next_pa & D_OA_MASK) | D_TABLE_PAGE | D_VALID;
}

uint64_t mm_xlat_desc_leaf(uint64_t pa, unsigned level, unsigned attrs)
{
	uint64_t d = (pa & oa_mask(level)) | D_VALID |
		     MAIR_IDX_NORMAL << D_ATTRINDX_SHIFT | D_SH_INNER | D_AF;
	if (level == 3)
		d |= D_TABLE_PAGE;
	if (!(attrs & MM_XLAT_W))
		d |= D_AP_RO;
	if (attrs & MM_XLAT_NS)
		d |= D_NS;
	if (attrs & MM_XLAT_USER) {
		/* EL0's: per-ASID, and never executable by the kernel */
		d |= D_AP_EL0 | D_NG | D_PXN;
		if (!(attrs & MM_XLAT_X))
			d |= D_UXN;
	} else {
		/* the core's: global, never executable from EL0 */
		d |= D_UXN;
		if (!(attrs & MM_XLAT_X))
			d |= D_PXN;
	}
	return d;
}

/* R always; W from AP[2] clear; USER from AP[1]; X from UXN for EL0's
 * mappings and from PXN for the core's; NS from NS. */
static unsigned leaf_attrs(uint64_t d)
{
	unsigned a = MM_XLAT_R;
	if (!(d & D_AP_RO))
		a |= MM_XLAT_W;
	if (d & D_NS)
		a |= MM_XLAT_NS;
	if (d & D_AP_EL0) {
		a |= MM_XLAT_USER;
		if (!(d & D_UXN))
			a |= MM_XLAT_X;
	} else if (!(d & D_PXN)) {
		a |= MM_XLAT_X;
	}
	return a;
}

struct mm_xlat_desc mm_xlat_desc_decode(uint64_t d, unsigned level)
{
	struct mm_xlat_desc r = { MM_DESC_INVALID, 0, 0, 0 };
	if (!(d & D_VALID) || level < 1 || level > 3)
		return r;
	if (level < 3 && (d & D_TABLE_PAGE)) {
		r.kind = MM_DESC_TABLE;
		r.addr = d & D_OA_MASK;
		return r;
	}
	if (level == 3 && !(d & D_TABLE_PAGE))
		return r;	/* 0b01 at level 3 is reserved: a fault */
	r.kind = level == 3 ? MM_DESC_PAGE : MM_DESC_BLOCK;
	r.addr = d & oa_mask(level);
	r.attrs = leaf_attrs(d);
	r.af = !!(d & D_AF);
	return r;
}
