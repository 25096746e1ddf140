/*
 * Where the translation tables lie in TEE core RAM, and TEE core RAM's
 * read-execute, read-only and read-write parts.
 */
#include "mm_text.h"
#include "mm_xlat.h"

void mm_xlat_core_parts(uint64_t tee_core, uint64_t *rx, uint64_t *ro,
			uint64_t *rw)
{
	uint64_t quarter = tee_core / 4 & ~(uint64_t)(MM_XLAT_PAGE - 1);
	*rx = quarter;
	*ro = quarter;
	*rw = tee_core - 2 * quarter;
}

int mm_xlat_layout(const struct mm_plan *pl, struct mm_xlat_layout *out,
		   char *err, size_t err_len)
{
	const uint64_t page = MM_XLAT_PAGE;
	/* the core: its level-1 table (outside xlat_tables[], as OP-TEE
	 * keeps it) and the pool; the TA: level 1, level 2, the cache */
	uint64_t core_pages = 1ull + pl->max_xlat_tables;
	uint64_t ta_pages = 2ull + pl->pgt_cache_size;
	uint64_t size = (core_pages + ta_pages) * page;
	uint64_t rx, ro, rw;
	mm_xlat_core_parts(pl->tee_core, &rx, &ro, &rw);
	if (size > rw)
		return mm_fail(err, err_len, -1, "the translation tables (%llu "
			       "pages: %u core, %u TA page-table cache and 3 "
			       "level-1/2 tables) do not fit the read-write "
			       "part of TEE core RAM (0x%llx bytes)",
			       (unsigned long long)(size / page),
			       pl->max_xlat_tables, pl->pgt_cache_size,
			       (unsigned long long)rw);
	out->start = pl->tzdram_start + pl->tee_core - size;
	out->size = size;
	out->core_l1 = out->start;
	out->core_pool = out->core_l1 + page;
	out->ta_l1 = out->core_pool + (uint64_t)pl->max_xlat_tables * page;
	out->ta_l2 = out->ta_l1 + page;
	out->ta_pgt = out->ta_l2 + page;
	return 0;
}
