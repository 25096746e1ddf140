/*
 * What the two table builders share (not public): table pools and the
 * mapping of one area into tables in modelled memory.
 */
#ifndef XLAT_MAP_H
#define XLAT_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mm_xlat.h"

/* The VA bits one entry of a level's table spans: 30 (1 GiB) at level 1,
 * 21 (2 MiB) at level 2, 12 (4 KiB) at level 3. */
static inline unsigned xlat_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

/* va's entry in a level's table (512 entries; 4 used at level 1 with 32
 * VA bits). */
static inline unsigned xlat_index(uint64_t va, unsigned level)
{
	return (unsigned)(va >> xlat_shift(level)) & 511u;
}

/*
 * A pool of max tables of 4 KiB from base. Once it is empty, what is
 * still asked for is counted (missed) so a failure can say how many the
 * whole map needs: requests for one level come in ascending VA order, so
 * a repeat of the last missing window is the same table.
 */
struct xlat_pool {
	uint64_t base;
	unsigned max, used, missed;
	unsigned taken[4];		/* used, by the level of the table */
	uint64_t last_miss[4];		/* the last missing window a level */
};

void xlat_pool_init(struct xlat_pool *pool, uint64_t base, unsigned max);

/* used + missed: the tables the map needs from this pool. */
unsigned xlat_pool_needed(const struct xlat_pool *pool);

struct xlat_ctx {
	struct mm_phys *mem;
	uint64_t l1;			/* the level-1 table's PA */
	struct xlat_pool *l2_pool;	/* level-2 tables come from here */
	struct xlat_pool *l3_pool;	/* level-3 tables from here */
};

/* Zeroes the 4 KiB table at pa (every entry invalid); -1 with err when pa
 * is not modelled. */
int xlat_zero_table(struct mm_phys *mem, uint64_t pa, char *err,
		    size_t err_len);

/*
 * Maps area a (page-aligned, inside the 32-bit space) into c's tables:
 * with blocks, every whole aligned 2 MiB window as a level-2 block, the
 * rest as level-3 pages. A window whose table the pool can not give is
 * counted in the pool and left unmapped; the caller checks the pools.
 * -1 with err when a table is not modelled or a VA is mapped twice.
 */
int xlat_map_area(struct xlat_ctx *c, const struct mm_xlat_area *a,
		  bool blocks, char *err, size_t err_len);

/* The tables' place is laid out from the plan (mm_xlat_layout): a
 * builder may take at most the plan's count (asked <= planned, what and
 * field name them) and [start, start + size) must be modelled. */
int xlat_check_room(unsigned asked, unsigned planned, const char *what,
		    const char *field, const struct mm_phys *mem,
		    uint64_t start, uint64_t size, char *err, size_t err_len);

/* Adds area (name, va, pa, size, attrs) to a[n] when size is not 0;
 * returns the new count. */
size_t xlat_area_add(struct mm_xlat_area *a, size_t n, const char *name,
		     uint64_t va, uint64_t pa, uint64_t size, unsigned attrs);

#endif
