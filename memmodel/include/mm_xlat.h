/*
 * Translation tables as bytes: OP-TEE's LPAE tables (4 KiB granule) for
 * a plan, written into modelled physical memory, and a walker that
 * translates a virtual address through them as the MMU would.
 *
 * Two address spaces are built:
 * - the core's, for TZDRAM (TEE core RAM with pages, TA_RAM and the
 *   static shared memory with 2 MiB blocks where they cover a whole
 *   window), its tables taken from a pool of MAX_XLAT_TABLES; one more
 *   than the pool holds fails as OP-TEE does ("xlat tables exhausted");
 * - a user TA's (code read-execute, read-only data, data and heap and
 *   stack read-write and never-execute, the shared window non-secure),
 *   its last-level tables taken from the page-table cache of
 *   PGT_CACHE_SIZE; more than it holds fails as OP-TEE does
 *   ("alloc_pgt: page tables not available", TEE_ERROR_OUT_OF_MEMORY).
 *
 * Both are stage 1, EL1&0 regime, 4 KiB granule, a 32-bit input address
 * space (OP-TEE's CFG_LPAE_ADDR_SPACE_BITS=32, T0SZ=32), so walks start at
 * level 1, whose table uses 4 of its 512 entries (1 GiB each). The core's
 * map is flat (VA = PA, OP-TEE without ASLR). The tables themselves lie in
 * the last pages of TEE core RAM (mm_xlat_layout), nowhere else.
 *
 *   struct mm_phys mem = { 0 };
 *   mm_phys_add(&mem, pl.tzdram_start, pl.tzdram_size, tzdram_bytes, ...);
 *   struct mm_core_space core;
 *   if (mm_xlat_core_build(&p, &pl, pl.max_xlat_tables, &mem, &core, ...))
 *           ... "xlat tables exhausted: ..." ...
 *   struct mm_ta_request rq = { .code = ..., .data = pl.ta_data_size, ... };
 *   struct mm_ta_space ta;
 *   if (mm_xlat_ta_build(&pl, &rq, pl.pgt_cache_size, &mem, &ta, ...))
 *           ... "alloc_pgt: page tables not available: ..." ...
 *   struct mm_xlat_hit hit;
 *   mm_xlat_walk(&mem, ta.ttbr0, ta.start_level, ta.area[MM_TA_DATA].va,
 *                &hit, ...);
 *
 * Every function returning int returns 0 or -1 and, on error, writes one
 * sentence with the numbers into err.
 */
#ifndef MM_XLAT_H
#define MM_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"

#define MM_XLAT_PAGE	4096u
#define MM_XLAT_VA_BITS	32		/* CFG_LPAE_ADDR_SPACE_BITS */
#define MM_XLAT_START_LEVEL 1		/* what 32 VA bits give with 4 KiB */
#define MM_XLAT_L2_BLOCK 0x200000ull	/* a level-2 block: 2 MiB */
#define MM_XLAT_L1_BLOCK 0x40000000ull	/* a level-1 entry: 1 GiB */
/* The user TA's VA: level-1 entry 1, as OP-TEE's TA dumps show
 * ("region 1: va 0x40006000 ..."); the first page stays unmapped, a guard
 * against NULL-ish pointers, so the first area starts one page in. */
#define MM_TA_VA_BASE	0x40000000ull
#define MM_TA_VA_START	(MM_TA_VA_BASE + MM_XLAT_PAGE)

/* What a mapping allows, decoded from its descriptor. */
enum mm_xlat_attr {
	MM_XLAT_R = 1u << 0,	/* readable (at the regime's level) */
	MM_XLAT_W = 1u << 1,	/* writable */
	MM_XLAT_X = 1u << 2,	/* executable (UXN clear for user, PXN for core) */
	MM_XLAT_NS = 1u << 3,	/* non-secure: normal-world memory */
	MM_XLAT_USER = 1u << 4,	/* EL0 may access (AP[1]) */
};

/* Modelled physical memory: host bytes standing for physical ranges. */
#define MM_PHYS_RANGES 4
struct mm_phys_range {
	uint64_t start, size;
	uint8_t *bytes;
};
struct mm_phys {
	struct mm_phys_range range[MM_PHYS_RANGES];
	size_t n;
};

/* The host bytes of [pa, pa + len), or NULL when they are not inside one
 * range. */
uint8_t *mm_phys_at(const struct mm_phys *m, uint64_t pa, uint64_t len);

/* Adds bytes as [start, start + size); -1 when m is full, the range is
 * empty, wraps or overlaps one already there. */
int mm_phys_add(struct mm_phys *m, uint64_t start, uint64_t size,
		uint8_t *bytes, char *err, size_t err_len);

/* The 64-bit little-endian word at pa (the modelled AArch64 runs
 * little-endian, SCTLR_EL1.EE = 0); -1 when pa is not modelled. */
int mm_phys_read64(const struct mm_phys *m, uint64_t pa, uint64_t *v);
int mm_phys_write64(const struct mm_phys *m, uint64_t pa, uint64_t v);

/*
 * Descriptors (VMSAv8-64 stage 1, 4 KiB granule; Arm ARM DDI 0487, D8
 * "The AArch64 Virtual Memory System Architecture"): a table descriptor
 * is 0b11 with the next table's PA; a leaf is a block (0b01, level 1 or
 * 2) or a page (0b11, level 3) with its output address and attributes:
 * AttrIndx[4:2] (MAIR index), NS[5], AP[2:1] at [7:6], SH[9:8], AF[10],
 * nG[11], PXN[53], UXN[54]. docs/memory-planning.md has the table.
 */
enum mm_xlat_desc_kind {
	MM_DESC_INVALID = 0,	/* translation fault */
	MM_DESC_TABLE,
	MM_DESC_BLOCK,
	MM_DESC_PAGE,
};

struct mm_xlat_desc {
	enum mm_xlat_desc_kind kind;
	uint64_t addr;		/* next table or output address */
	unsigned attrs;		/* leaves: enum mm_xlat_attr */
	int af;			/* leaves: the access flag (0 faults) */
};

uint64_t mm_xlat_desc_table(uint64_t next_pa);

/* A block (level 1 or 2) or page (level 3) mapping pa with attrs (R is
 * implied; USER makes it a non-global EL0 mapping). */
uint64_t mm_xlat_desc_leaf(uint64_t pa, unsigned level, unsigned attrs);

/* What d means at level (1..3). */
struct mm_xlat_desc mm_xlat_desc_decode(uint64_t d, unsigned level);

/*
 * Where the tables lie: the last pages of TEE core RAM, in its read-write
 * part, laid out from the plan so that both address spaces can live in
 * one mm_phys at once: the core's level-1 table, its pool of
 * pl->max_xlat_tables, then the TA's level-1 and level-2 tables and its
 * page-table cache of pl->pgt_cache_size. -1 when TEE core RAM's
 * read-write part can not hold them.
 */
struct mm_xlat_layout {
	uint64_t start, size;		/* the whole tables area */
	uint64_t core_l1, core_pool;	/* PAs */
	uint64_t ta_l1, ta_l2, ta_pgt;
};

int mm_xlat_layout(const struct mm_plan *pl, struct mm_xlat_layout *out,
		   char *err, size_t err_len);

/*
 * TEE core RAM's parts, ASSUMED fixed fractions (OP-TEE's real split
 * comes from its linker script): the first quarter read-execute (text),
 * the next quarter read-only, the rest read-write (data, bss, heap,
 * stacks, the tables), each rounded down to pages.
 */
void mm_xlat_core_parts(uint64_t tee_core, uint64_t *rx, uint64_t *ro,
			uint64_t *rw);

/* One area of an address space. */
struct mm_xlat_area {
	char name[16];
	uint64_t va, pa, size;	/* page-aligned */
	unsigned attrs;		/* enum mm_xlat_attr */
};

enum mm_ta_area_kind {
	MM_TA_CODE,		/* .text: R X USER */
	MM_TA_RODATA,		/* .rodata: R USER */
	MM_TA_DATA,		/* .data, .bss and the heap (TA_DATA_SIZE) */
	MM_TA_STACK,		/* TA_STACK_SIZE */
	MM_TA_SHM,		/* the shared window: R W NS USER */
	MM_TA_AREAS
};

/* What the TA's image and the call need mapped (bytes, rounded up to
 * pages by the builder). shm_pa/shm_size: the client's window in the
 * static shared memory (or registered pages), 0 size for none. */
struct mm_ta_request {
	uint64_t code, rodata, data, stack;
	uint64_t shm_pa, shm_size;
};

/*
 * The TA's areas lie one after the other from MM_TA_VA_START in the order
 * of enum mm_ta_area_kind, each page-aligned; an area of size 0 maps
 * nothing. Physically, code, rodata, data and stack are consecutive in
 * TA_RAM from pl->ta_ram_start. The shared window is mapped at the next
 * free VA as whole pages: area[MM_TA_SHM].pa is shm_pa rounded down to its
 * page, area[MM_TA_SHM].va maps that page, and the client's first byte is
 * at shm_va = area[MM_TA_SHM].va + shm_pa % 4 KiB (OP-TEE keeps a memref's
 * offset within its page the same way).
 */
struct mm_ta_space {
	struct mm_xlat_area area[MM_TA_AREAS];
	uint64_t shm_va;	/* the VA of rq->shm_pa (0 with no window) */
	uint64_t ttbr0;		/* PA of the level-1 table */
	unsigned start_level;	/* 1 */
	unsigned l2_tables, l3_tables;	/* l3: from the page-table cache */
};

struct mm_core_space {
	struct mm_xlat_area area[8];	/* TEE core RX/RO/RW, TA_RAM, shm,
					 * ascending */
	size_t n_areas;
	uint64_t ttbr;			/* PA of the level-1 base table */
	unsigned tables_used;		/* counted against MAX_XLAT_TABLES */
	unsigned l2_tables, l3_tables;	/* tables_used = l2 + l3 */
};

/* Builds the core's tables for plan pl into mem (the tables live in TEE
 * core RAM), taking at most max_tables tables (the plan's
 * max_xlat_tables, or fewer to model a firmware built with fewer; more is
 * refused, the layout is the plan's). On exhaustion the whole map is
 * still counted, so err says how many it needs. */
int mm_xlat_core_build(const struct mm_platform *p, const struct mm_plan *pl,
		       unsigned max_tables, struct mm_phys *mem,
		       struct mm_core_space *out, char *err, size_t err_len);

/* Builds a user TA's tables for plan pl into mem: its areas placed in
 * TA_RAM from pl->ta_ram_start, the window at rq->shm_pa, at most
 * pgt_cache last-level tables (the plan's pgt_cache_size, or fewer; more
 * is refused). One TA at a time: a second build overwrites the first's
 * tables (OP-TEE switches the user map per thread). */
int mm_xlat_ta_build(const struct mm_plan *pl, const struct mm_ta_request *rq,
		     unsigned pgt_cache, struct mm_phys *mem,
		     struct mm_ta_space *out, char *err, size_t err_len);

/* The outcome of a walk. */
struct mm_xlat_hit {
	uint64_t pa;
	unsigned attrs;		/* enum mm_xlat_attr */
	unsigned level;		/* of the descriptor that mapped it */
	uint64_t block_size;	/* 4 KiB, 2 MiB or 1 GiB */
	uint64_t table[4];	/* PA of the table read at each level; 0
				 * for levels the walk did not read */
};

/* Translates va through the tables at ttbr (start level start_level,
 * only MM_XLAT_START_LEVEL is modelled) as the MMU would; -1 with
 * "translation fault at level N" (or the bad descriptor) when nothing
 * maps it. Table attributes (APTable, XNTable, NSTable) are never set by
 * the builders and are ignored. */
int mm_xlat_walk(const struct mm_phys *mem, uint64_t ttbr,
		 unsigned start_level, uint64_t va, struct mm_xlat_hit *hit,
		 char *err, size_t err_len);

#endif
