/*
 * A user TA's translation tables for a plan, laid out as OP-TEE's TA
 * dumps show a user TA ("region N: va 0x4000.... pa ... flags"): pages
 * only, a level-1 table whose entry 1 (VA 0x40000000) points at one
 * level-2 table, and a level-3 table from the page-table cache for every
 * 2 MiB window an area touches.
 */
#include <stdio.h>
#include <string.h>

#include "mm_text.h"
#include "xlat_map.h"

static const struct {
	const char *name;
	unsigned attrs;
} kinds[MM_TA_AREAS] = {
	[MM_TA_CODE] = { "code", MM_XLAT_R | MM_XLAT_X | MM_XLAT_USER },
	[MM_TA_RODATA] = { "rodata", MM_XLAT_R | MM_XLAT_USER },
	[MM_TA_DATA] = { "data", MM_XLAT_R | MM_XLAT_W | MM_XLAT_USER },
	[MM_TA_STACK] = { "stack", MM_XLAT_R | MM_XLAT_W | MM_XLAT_USER },
	[MM_TA_SHM] = { "shm", MM_XLAT_R | MM_XLAT_W | MM_XLAT_USER |
			       MM_XLAT_NS },
};

static uint64_t page_up(uint64_t x)
{
	return (x + MM_XLAT_PAGE - 1) & ~(uint64_t)(MM_XLAT_PAGE - 1);
}

static void set_area(struct mm_ta_space *out, int k, uint64_t va,
		     uint64_t pa, uint64_t size)
{
	struct mm_xlat_area *a = &out->area[k];
	snprintf(a->name, sizeof a->name, "%s", kinds[k].name);
	a->va = va;
	a->pa = pa;
	a->size = size;
	a->attrs = kinds[k].attrs;
}

/* Code, rodata, data and stack: consecutive in VA from MM_TA_VA_START and
 * in TA_RAM from its start; *va_end is the next free VA. */
static int place_image(const struct mm_plan *pl, const struct mm_ta_request *rq,
		       struct mm_ta_space *out, uint64_t *va_end, char *err,
		       size_t err_len)
{
	const uint64_t want[4] = { rq->code, rq->rodata, rq->data, rq->stack };
	uint64_t va = MM_TA_VA_START, pa = pl->ta_ram_start;
	for (int k = 0; k < 4; k++) {
		if (want[k] > MM_XLAT_L1_BLOCK)
			return mm_fail(err, err_len, -1, "TA %s of 0x%llx bytes "
				       "is more than the TA's 1 GiB of VA",
				       kinds[k].name,
				       (unsigned long long)want[k]);
		uint64_t size = page_up(want[k]);
		set_area(out, k, va, pa, size);
		va += size;
		pa += size;
	}
	uint64_t used = pa - pl->ta_ram_start;
	if (used > pl->ta_ram_size)
		return mm_fail(err, err_len, -1, "the TA's code, rodata, data "
			       "and stack need 0x%llx bytes of TA_RAM, the "
			       "plan's TA_RAM holds 0x%llx",
			       (unsigned long long)used,
			       (unsigned long long)pl->ta_ram_size);
	*va_end = va;
	return 0;
}

/* The shared window as whole pages at va, its page offset kept (see
 * struct mm_ta_space); never inside TZDRAM, which it would map
 * non-secure. */
static int place_shm(const struct mm_plan *pl, const struct mm_ta_request *rq,
		     uint64_t va, struct mm_ta_space *out, char *err,
		     size_t err_len)
{
	if (!rq->shm_size) {
		set_area(out, MM_TA_SHM, va, 0, 0);
		return 0;
	}
	uint64_t pa = rq->shm_pa & ~(uint64_t)(MM_XLAT_PAGE - 1);
	if (rq->shm_size > MM_XLAT_L1_BLOCK ||
	    rq->shm_pa > UINT64_MAX - MM_XLAT_L1_BLOCK)
		return mm_fail(err, err_len, -1, "shared window 0x%llx + "
			       "0x%llx: more than the TA's 1 GiB of VA",
			       (unsigned long long)rq->shm_pa,
			       (unsigned long long)rq->shm_size);
	uint64_t end = page_up(rq->shm_pa + rq->shm_size);
	if (pa < pl->tzdram_start + pl->tzdram_size && pl->tzdram_start < end)
		return mm_fail(err, err_len, -1, "shared window 0x%llx + "
			       "0x%llx lies in TZDRAM 0x%llx + 0x%llx: it would "
			       "map secure memory as non-secure",
			       (unsigned long long)rq->shm_pa,
			       (unsigned long long)rq->shm_size,
			       (unsigned long long)pl->tzdram_start,
			       (unsigned long long)pl->tzdram_size);
	set_area(out, MM_TA_SHM, va, pa, end - pa);
	out->shm_va = va + (rq->shm_pa - pa);
	return 0;
}

static int place_areas(const struct mm_plan *pl, const struct mm_ta_request *rq,
		       struct mm_ta_space *out, char *err, size_t err_len)
{
	uint64_t va = 0;
	/* OP-TEE leaves one unmapped page between regions of differing
	 * kinds, the TA's own and the parameters' (select_va_in_range,
	 * core/mm/vm.c: "Insert an unmapped entry to separate regions") */
	if (place_image(pl, rq, out, &va, err, err_len) ||
	    place_shm(pl, rq, rq->shm_size ? va + MM_XLAT_PAGE : va, out, err,
		      err_len))
		return -1;
	const struct mm_xlat_area *last = &out->area[MM_TA_SHM];
	uint64_t end = last->va + last->size;
	if (end > MM_TA_VA_BASE + MM_XLAT_L1_BLOCK)
		return mm_fail(err, err_len, -1, "the TA's areas end at va "
			       "0x%llx, past the 0x%llx that its one level-2 "
			       "table maps", (unsigned long long)end,
			       (unsigned long long)(MM_TA_VA_BASE +
						    MM_XLAT_L1_BLOCK));
	return 0;
}

/* OP-TEE's words (alloc_pgt, #5928) and the numbers. */
static int no_pgt(const struct mm_ta_space *out, const struct xlat_pool *l3,
		  char *err, size_t err_len)
{
	const struct mm_xlat_area *last = &out->area[MM_TA_SHM];
	return mm_fail(err, err_len, -1, "alloc_pgt: page tables not "
		       "available: the TA's areas (va 0x%llx-0x%llx) need %u "
		       "level-3 tables, the page-table cache holds %u "
		       "(PGT_CACHE_SIZE); OP-TEE refuses the session with "
		       "TEE_ERROR_OUT_OF_MEMORY (0xffff000c)",
		       (unsigned long long)MM_TA_VA_START,
		       (unsigned long long)(last->va + last->size - 1),
		       xlat_pool_needed(l3), l3->max);
}

int mm_xlat_ta_build(const struct mm_plan *pl, const struct mm_ta_request *rq,
		     unsigned pgt_cache, struct mm_phys *mem,
		     struct mm_ta_space *out, char *err, size_t err_len)
{
	struct mm_xlat_layout lay;
	memset(out, 0, sizeof *out);
	if (mm_xlat_layout(pl, &lay, err, err_len) ||
	    xlat_check_room(pgt_cache, pl->pgt_cache_size, "pgt_cache",
			    "pgt_cache_size", mem, lay.ta_l1,
			    lay.start + lay.size - lay.ta_l1, err, err_len) ||
	    place_areas(pl, rq, out, err, err_len) ||
	    xlat_zero_table(mem, lay.ta_l1, err, err_len))
		return -1;
	struct xlat_pool l2, l3;
	xlat_pool_init(&l2, lay.ta_l2, 1);
	xlat_pool_init(&l3, lay.ta_pgt, pgt_cache);
	struct xlat_ctx c = { mem, lay.ta_l1, &l2, &l3 };
	for (int k = 0; k < MM_TA_AREAS; k++)
		if (xlat_map_area(&c, &out->area[k], false, err, err_len))
			return -1;
	if (l3.missed)
		return no_pgt(out, &l3, err, err_len);
	out->ttbr0 = lay.ta_l1;
	out->start_level = MM_XLAT_START_LEVEL;
	out->l2_tables = l2.used;
	out->l3_tables = l3.used;
	return 0;
}
