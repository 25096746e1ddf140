/*
 * The secure-memory planner (Smart-Zone part 1, "secure memory
 * resizing", and part 2, "memory priority"): from a model's numbers and a
 * platform, the OP-TEE settings that hold it, and a check of the result.
 *
 *   struct mm_plan_input in = { .weights = M_s, .arena = F_gc,
 *                               .ta_code = ..., .ta_stack = ...,
 *                               .heap_slack = ..., .sessions = 1,
 *                               .platform = &p };
 *   struct mm_plan plan;
 *   struct mm_violation v;
 *   if (mm_plan(&in, &plan, err, sizeof err)) ... refused, err says why
 *   if (mm_check(&p, &plan, &v)) ... v.msg says which invariant broke
 *
 * Rules (all sizes in bytes; "round" = round up):
 * - TA_DATA_SIZE = round(weights + arena + heap_slack, 4 KiB): the TA
 *   heap holds the model. TA_STACK_SIZE = round(ta_stack, 4 KiB) (0 means
 *   optee_examples' 2 KiB). TA code = round(ta_code, 4 KiB).
 * - One TA instance = TA_DATA + TA_STACK + code + MM_PLAN_TA_OVERHEAD.
 *   ASSUMED: every session is its own instance (a multi-instance TA), so
 *   TA_RAM needs sessions x instance.
 * - TEE core RAM = in.tee_core (0: the platform's tee_ram_size), rounded
 *   to 4 KiB; CFG_TEE_RAM_VA_SIZE = TEE core RAM. TZDRAM = TEE core RAM
 *   followed by TA_RAM, as in OP-TEE's layout.
 * - TZDRAM size = round(TEE core + sessions x instance, 1 MiB)
 *   (MM_PLAN_TZDRAM_GRANULE, the granule of both real platforms'
 *   CFG_TZDRAM_SIZE), never below the platform's current size unless
 *   in.allow_shrink (then what leaves TZDRAM is scrubbed first:
 *   mm_plan_scrub_ranges).
 * - Placement: in place at CFG_TZDRAM_START when the (grown) TZDRAM stays
 *   inside the DRAM or secure RAM that holds it today and overlaps no
 *   forbidden area; else relocated to the first 2 MiB aligned start in
 *   DRAM that fits, trying starts at or above today's start first (the
 *   ends of forbidden areas, rounded up to 2 MiB); else refused with the
 *   largest TA_RAM the platform can give.
 * - Forbidden areas: every normal or shared region, the static shared
 *   memory, the bl33/kernel/dtb load addresses (one page each when no
 *   region covers them), and the part of every boot region not covered
 *   by today's TZDRAM (TF-A's BL1/BL2/BL31).
 * - The region set (mm_plan_regions): the platform's regions without its
 *   secure ones (they describe today's TZDRAM), then the new TZDRAM as
 *   secure region(s) that decide over every TZDRAM byte: numbered
 *   highest with no controller or a TZC-380 (there as power-of-two
 *   blocks), the only match with a TZC-400 (boot regions cut around it).
 *   MM_PLAN_E_CONTROLLER when the controller can not express it.
 * - The shared-memory window: the smallest within in.shm_tolerance
 *   (0: MM_PLAN_SHM_TOLERANCE) of the asymptote of the exponential fit
 *   of in.shm_points (NULL: mm_shm_provisional_table, and the plan says
 *   so; else in.shm_source says where they come from), between 4 KiB and
 *   the static shared memory's size. Where the fit does not apply (the
 *   points show no knee or do not fall, as for a model smaller than the
 *   smallest window, which takes one call at every window), the window
 *   is the smallest point within the tolerance of the best point
 *   (mm_shm_window_from_points), and the plan says why the fit did not
 *   apply. The window is a recommendation, never a reason to refuse.
 * - One inference's input and output (in.run_in, in.run_out, each
 *   rounded up to 4 KiB) must fit the static shared memory at once where
 *   the client library bounces temporary memrefs through it (client_shm
 *   pool); where it registers normal-world pages for them (registered,
 *   OP-TEE's dynamic shared memory) they are not planned.
 * - Refusals: a model is refused only when it does not fit
 *   (MM_PLAN_E_NO_FIT; MM_PLAN_E_OVERFLOW beyond the physical address
 *   space), with the TA RAM or shared memory it needs and the most the
 *   platform can give, or when the platform's address-space controller can not
 *   express the TZDRAM it needs (MM_PLAN_E_CONTROLLER, with its
 *   regions). MM_PLAN_E_ARG is the caller's mistake, not the model's.
 */
#ifndef MM_PLAN_H
#define MM_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm_platform.h"
#include "mm_regions.h"
#include "mm_shm_fit.h"

/* ASSUMED, not in BRIEF: per TA instance, OP-TEE 3.8.0 also loads ldelf
 * (its image, about 64 KiB, and its 16 KiB stack) into TA_RAM and pads
 * segments to pages: 128 KiB covers it. */
#define MM_PLAN_TA_OVERHEAD	0x20000ull
#define MM_PLAN_DEFAULT_STACK	0x800ull	/* optee_examples TA_STACK_SIZE */
#define MM_PLAN_PAGE		0x1000ull
#define MM_PLAN_TZDRAM_GRANULE	0x100000ull	/* 1 MiB */
/* A window at most 5% slower than an unbounded one: the project's
 * choice, not the paper's (it states no tolerance). */
#define MM_PLAN_SHM_TOLERANCE	0.05

enum mm_plan_status {
	MM_PLAN_OK = 0,
	MM_PLAN_E_ARG,		/* NULL, zero sessions, a bad platform,
				 * unusable transfer points */
	MM_PLAN_E_OVERFLOW,	/* sizes beyond the address space */
	MM_PLAN_E_CONTROLLER,	/* the TZASC can not express the regions */
	MM_PLAN_E_NO_FIT,	/* no place in the platform holds it */
};

const char *mm_plan_status_str(int status);

enum mm_placement {
	MM_PLACE_UNCHANGED = 0,	/* today's TZDRAM already holds it */
	MM_PLACE_GROWN,		/* same CFG_TZDRAM_START, larger size */
	MM_PLACE_RELOCATED,	/* a new CFG_TZDRAM_START in DRAM */
	MM_PLACE_SHRUNK,	/* same start, smaller (allow_shrink) */
};

struct mm_plan_input {
	uint64_t weights;	/* M_s */
	uint64_t arena;		/* F_gc: activations and workspaces */
	uint64_t ta_code;	/* TA code + data (ELF) */
	uint64_t ta_stack;	/* 0: MM_PLAN_DEFAULT_STACK */
	uint64_t heap_slack;	/* the plan struct, allocator slack */
	unsigned sessions;	/* >= 1 */
	const struct mm_platform *platform;
	uint64_t tee_core;	/* 0: platform->tee_ram_size */
	bool allow_shrink;	/* TZDRAM may end below today's size */
	const struct mm_shm_point *shm_points;	/* NULL: provisional */
	size_t n_shm_points;
	const char *shm_source;	/* what the points are, for the plan's
				 * text ("the simulator's counted
				 * transfers, costed for rpi3bplus");
				 * NULL: "the given transfer times" */
	double shm_tolerance;	/* 0: MM_PLAN_SHM_TOLERANCE */
	/* bytes one inference sends and returns through the static shared
	 * memory (temporary memrefs, which the client library bounces
	 * through it, a page-rounded buffer each, at once); 0: unknown */
	uint64_t run_in, run_out;
};

/* An area the grown TZDRAM would have overlapped in place. */
struct mm_conflict {
	char name[MM_NAME_MAX];	/* region name, or "end of secure RAM" ... */
	uint64_t start, size;
	enum mm_owner owner;
};

#define MM_PLAN_CONFLICTS_MAX	24

struct mm_plan {
	/* the inputs, rounded */
	uint64_t weights, arena, heap_slack;
	unsigned sessions;
	uint64_t ta_data_size;		/* TA_DATA_SIZE */
	uint64_t ta_stack_size;		/* TA_STACK_SIZE */
	uint64_t ta_code_size;
	uint64_t ta_instance_size;	/* data + stack + code + overhead */
	uint64_t ta_ram_needed;		/* sessions x instance */
	/* the paper's view */
	uint64_t tee_ram_paper;		/* M_s + F_gc + TEE_CORE */
	unsigned num_pgt_paper;		/* floor(TEE_RAM / 2 MiB) + 1 */
	/* the settings */
	uint64_t tee_core;		/* CFG_TEE_RAM_VA_SIZE */
	uint64_t tzdram_start, tzdram_size;	/* CFG_TZDRAM_START/SIZE */
	uint64_t ta_ram_start, ta_ram_size;
	enum mm_placement placement;
	unsigned xlat_needed;		/* core tables: see mm_plan_xlat_count */
	unsigned max_xlat_tables;	/* max(platform, needed) */
	unsigned pgt_per_instance;	/* user tables one TA instance needs */
	unsigned pgt_cache_size;	/* PGT_CACHE_SIZE */
	struct mm_conflict conflicts[MM_PLAN_CONFLICTS_MAX];
	size_t n_conflicts;
	struct mm_regions regions;	/* after planning, TZDRAM on top */
	/* the shared-memory window */
	uint64_t run_shm;		/* one inference's shared memory:
					 * run_in + run_out in pages */
	uint64_t shm_window;		/* bytes per call */
	int shm_capped;			/* the tolerance needs more than shm */
	bool shm_provisional;		/* fitted to the provisional table */
	char shm_source[128];		/* what the points were */
	double shm_tolerance;
	double shm_data_ratio;		/* data's T(window) / best T */
	bool shm_fit_applied;		/* false: the points chose it */
	struct mm_shm_fit shm_fit;	/* zero when not applied */
	char shm_fit_skipped[256];	/* why the fit did not apply */
	char note[320];			/* what to change, who must be told */
	/* What keeps the normal world out of TZDRAM beyond the region set
	 * (plan_guard.c): with no TZASC and TZDRAM outside hardware-enforced
	 * secure RAM, the normal world's kernel must neither map it (a
	 * reserved-memory node with no-map) nor let user space read
	 * physical memory (lockdown: QEMU's Linux gave an mmap of /dev/mem
	 * the whole model otherwise). */
	bool nw_must_lock_down;
	bool core_aslr_off;		/* CFG_CORE_ASLR := n (relocated) */
};

/* Sets the plan's normal-world requirements and ASLR (see struct
 * mm_plan); mm_plan calls it. */
void mm_plan_guard(const struct mm_platform *p, struct mm_plan *pl);

/* Plans; on refusal writes one sentence with the numbers into err and
 * zeroes *out. */
int mm_plan(const struct mm_plan_input *in, struct mm_plan *out, char *err,
	    size_t err_len);

/* The region set after planning for TZDRAM [tz_start, +tz_size) (see
 * the top of this file), validated for the platform's controller. */
int mm_plan_regions(const struct mm_platform *p, uint64_t tz_start,
		    uint64_t tz_size, struct mm_regions *rs, char *err,
		    size_t err_len);

/* [start, start + size) as power-of-two blocks aligned to their size
 * (TZC-380 regions), largest first where alignment allows; writes at most
 * max, returns how many there are. */
size_t mm_plan_pow2_blocks(uint64_t start, uint64_t size, uint64_t *starts,
			   uint64_t *sizes, size_t max);

/* The paper: floor(tee_ram / span) + 1 (span 2 MiB with LPAE). */
unsigned mm_plan_num_pgt(uint64_t tee_ram, uint64_t span);

/* The user-mode tables one TA instance of instance_bytes (code, heap,
 * stack and loader) takes from OP-TEE's page-table cache: one a span,
 * and two more for windows split by alignment. More than the cache
 * holds and OP-TEE refuses the session ("alloc_pgt: Page tables are not
 * available", TEE_ERROR_OUT_OF_MEMORY; seen under QEMU, docs/qemu.md). */
unsigned mm_plan_pgt_per_instance(uint64_t instance_bytes, uint64_t span);

/*
 * OP-TEE core translation tables for TZDRAM at tz_start (TEE core RAM of
 * tee_core bytes, then TA_RAM up to tz_start + tz_size) and the static
 * shared memory, LPAE with p->xlat_table_span (2 MiB) per last-level
 * table. Rule: TEE core RAM is mapped with pages (RX/RO/RW parts), so
 * every 2 MiB window it touches needs a table; TA_RAM and shared memory
 * use 2 MiB blocks where they cover a whole window and a table for each
 * window they cover only in part; plus one middle-level table per 1 GiB
 * (512 x 2 MiB) window touched. The level-1 base table is not counted
 * (OP-TEE keeps it outside xlat_tables[]). ASSUMED: device mappings
 * (UART, GIC) are mapped with 2 MiB blocks in already counted 1 GiB
 * windows (register_phys_mem_pgdir), so they add nothing. On stock RPi3
 * this gives 4 + 1 = 5 = MAX_XLAT_TABLES.
 */
unsigned mm_plan_xlat_count(const struct mm_platform *p, uint64_t tz_start,
			    uint64_t tee_core, uint64_t tz_size);

/* The forbidden areas (see the top of this file) of p, at most max into
 * out; returns how many there are. */
size_t mm_plan_forbidden(const struct mm_platform *p, struct mm_conflict *out,
			 size_t max);

struct mm_range { uint64_t start, size; };

/*
 * Shrinking or moving TZDRAM hands memory back to the normal world: every
 * byte of the old TZDRAM [old_start, +old_size) outside the new one must
 * be zeroed, while still secure, before the new settings take effect.
 * Writes those ranges (at most 2, ascending) into out; returns how many.
 */
size_t mm_plan_scrub_ranges(uint64_t old_start, uint64_t old_size,
			    uint64_t new_start, uint64_t new_size,
			    struct mm_range out[2]);

/* The platform once plan pl is applied: TZDRAM, CFG_TEE_RAM_VA_SIZE,
 * MAX_XLAT_TABLES and PGT_CACHE_SIZE from the plan, the secure region
 * lines replaced by one `tzdram` line. So the next plan starts from it. */
int mm_platform_after(const struct mm_platform *p, const struct mm_plan *pl,
		      struct mm_platform *out, char *err, size_t err_len);

enum mm_invariant {
	MM_INV_OK = 0,
	MM_INV_PLACE,		/* TZDRAM neither inside DRAM nor secure RAM */
	MM_INV_SHM_OVERLAP,	/* static shared memory overlaps TZDRAM */
	MM_INV_NORMAL_AREA,	/* TZDRAM overlaps a normal/shared/boot area */
	MM_INV_NOT_SECURE,	/* a TZDRAM byte decided by a non-secure region */
	MM_INV_TA_RAM,		/* TA allocations do not lie in TA_RAM */
	MM_INV_XLAT,		/* too few translation tables */
};

const char *mm_invariant_str(int inv);

struct mm_violation {
	enum mm_invariant inv;
	uint64_t addr;			/* where it broke */
	char region[MM_NAME_MAX];	/* the region at fault, if any */
	char msg[256];
};

/* Checks the invariants in the order of enum mm_invariant; returns the
 * first broken one (MM_INV_OK when none) and describes it in *v. */
int mm_check(const struct mm_platform *p, const struct mm_plan *plan,
	     struct mm_violation *v);

#endif
