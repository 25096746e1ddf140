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
 * Every function returning int returns 0 or -1 and, on error, writes one
 * sentence with the numbers into err.
 */
#ifndef MM_XLAT_H
#define MM_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include "mm_plan.h"

#define MM_XLAT_PAGE	4096u

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

struct mm_ta_space {
	struct mm_xlat_area area[MM_TA_AREAS];
	uint64_t ttbr0;		/* PA of the level-1 table */
	unsigned start_level;	/* 1 */
	unsigned l2_tables, l3_tables;	/* l3: from the page-table cache */
};

struct mm_core_space {
	struct mm_xlat_area area[8];	/* TEE core RX/RO/RW, TA_RAM, shm */
	size_t n_areas;
	uint64_t ttbr;			/* PA of the level-1 base table */
	unsigned tables_used;		/* counted against MAX_XLAT_TABLES */
};

/* Builds the core's tables for plan pl into mem (the tables live in TEE
 * core RAM), taking at most max_tables tables (the plan's
 * max_xlat_tables, or fewer to model a firmware built with fewer). */
int mm_xlat_core_build(const struct mm_platform *p, const struct mm_plan *pl,
		       unsigned max_tables, struct mm_phys *mem,
		       struct mm_core_space *out, char *err, size_t err_len);

/* Builds a user TA's tables for plan pl into mem: its areas placed in
 * TA_RAM from pl->ta_ram_start, the window at rq->shm_pa, at most
 * pgt_cache last-level tables (the plan's pgt_cache_size, or fewer). */
int mm_xlat_ta_build(const struct mm_plan *pl, const struct mm_ta_request *rq,
		     unsigned pgt_cache, struct mm_phys *mem,
		     struct mm_ta_space *out, char *err, size_t err_len);

/* The outcome of a walk. */
struct mm_xlat_hit {
	uint64_t pa;
	unsigned attrs;		/* enum mm_xlat_attr */
	unsigned level;		/* of the descriptor that mapped it */
	uint64_t block_size;	/* 4 KiB, 2 MiB or 1 GiB */
};

/* Translates va through the tables at ttbr (start level start_level) as
 * the MMU would; -1 with "translation fault at level N" (or the bad
 * descriptor) when nothing maps it. */
int mm_xlat_walk(const struct mm_phys *mem, uint64_t ttbr,
		 unsigned start_level, uint64_t va, struct mm_xlat_hit *hit,
		 char *err, size_t err_len);

#endif
