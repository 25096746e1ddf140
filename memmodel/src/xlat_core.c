/*
 * The TEE core's translation tables for a plan: TEE core RAM with pages,
 * TA_RAM and the static shared memory with 2 MiB blocks where they cover
 * a whole window, the map flat (VA = PA); tables from a pool of
 * MAX_XLAT_TABLES, the level-1 base table outside it (mm_plan_xlat_count
 * counts the same way).
 */
#include <stdlib.h>
#include <string.h>

#include "mm_text.h"
#include "xlat_map.h"

#define MiB 1048576.0

static int by_va(const void *a, const void *b)
{
	const struct mm_xlat_area *x = a, *y = b;
	return (x->va > y->va) - (x->va < y->va);
}

/* TEE core RAM's three parts, TA_RAM and shm, ascending: the pool's
 * misses are counted once only when windows are asked for in order. */
static size_t core_areas(const struct mm_platform *p,
			 const struct mm_plan *pl, struct mm_xlat_area *a)
{
	uint64_t rx, ro, rw, s = pl->tzdram_start;
	mm_xlat_core_parts(pl->tee_core, &rx, &ro, &rw);
	size_t n = 0;
	n = xlat_area_add(a, n, "tee_core_rx", s, s, rx, MM_XLAT_R | MM_XLAT_X);
	n = xlat_area_add(a, n, "tee_core_ro", s + rx, s + rx, ro, MM_XLAT_R);
	n = xlat_area_add(a, n, "tee_core_rw", s + rx + ro, s + rx + ro, rw,
			  MM_XLAT_R | MM_XLAT_W);
	n = xlat_area_add(a, n, "ta_ram", pl->ta_ram_start, pl->ta_ram_start,
			  pl->ta_ram_size, MM_XLAT_R | MM_XLAT_W);
	n = xlat_area_add(a, n, "shm", p->shmem_start, p->shmem_start,
			  p->shmem_size, MM_XLAT_R | MM_XLAT_W | MM_XLAT_NS);
	qsort(a, n, sizeof *a, by_va);
	return n;
}

static int exhausted(const struct mm_platform *p, const struct mm_plan *pl,
		     const struct xlat_pool *pool, char *err, size_t err_len)
{
	return mm_fail(err, err_len, -1, "xlat tables exhausted: TZDRAM "
		       "0x%llx + %.1f MiB (TEE core %.1f MiB mapped with "
		       "pages) and the static shared memory 0x%llx + %.1f MiB "
		       "need %u translation tables, MAX_XLAT_TABLES is %u",
		       (unsigned long long)pl->tzdram_start,
		       (double)pl->tzdram_size / MiB,
		       (double)pl->tee_core / MiB,
		       (unsigned long long)p->shmem_start,
		       (double)p->shmem_size / MiB, xlat_pool_needed(pool),
		       pool->max);
}

int mm_xlat_core_build(const struct mm_platform *p, const struct mm_plan *pl,
		       unsigned max_tables, struct mm_phys *mem,
		       struct mm_core_space *out, char *err, size_t err_len)
{
	struct mm_xlat_layout lay;
	memset(out, 0, sizeof *out);
	if (mm_xlat_layout(pl, &lay, err, err_len) ||
	    xlat_check_room(max_tables, pl->max_xlat_tables, "max_tables",
			    "max_xlat_tables", mem, lay.start, lay.size, err,
			    err_len) ||
	    xlat_zero_table(mem, lay.core_l1, err, err_len))
		return -1;
	out->n_areas = core_areas(p, pl, out->area);
	struct xlat_pool pool;
	xlat_pool_init(&pool, lay.core_pool, max_tables);
	struct xlat_ctx c = { mem, lay.core_l1, &pool, &pool };
	uint64_t core_end = pl->tzdram_start + pl->tee_core;
	for (size_t i = 0; i < out->n_areas; i++) {
		const struct mm_xlat_area *a = &out->area[i];
		/* TEE core RAM in pages, as OP-TEE maps it */
		bool in_core = a->va >= pl->tzdram_start && a->va < core_end;
		if (xlat_map_area(&c, a, !in_core, err, err_len))
			return -1;
	}
	if (pool.missed)
		return exhausted(p, pl, &pool, err, err_len);
	out->ttbr = lay.core_l1;
	out->tables_used = pool.used;
	out->l2_tables = pool.taken[2];
	out->l3_tables = pool.taken[3];
	return 0;
}
