/*
 * Moving from one plan to the next: what must be scrubbed before memory
 * leaves TZDRAM, and the platform as it stands once a plan is applied,
 * so that plans can follow each other (grow, shrink, move).
 */
#include <stdio.h>
#include <string.h>

#include "mm_plan.h"
#include "mm_text.h"

size_t mm_plan_scrub_ranges(uint64_t old_start, uint64_t old_size,
			    uint64_t new_start, uint64_t new_size,
			    struct mm_range out[2])
{
	uint64_t os = old_start, oe = old_start + old_size;
	uint64_t ns = new_start, ne = new_start + new_size;
	size_t n = 0;
	if (!old_size)
		return 0;
	if (!new_size || ne <= os || ns >= oe) {
		out[n++] = (struct mm_range){ os, old_size };
		return n;
	}
	if (os < ns)
		out[n++] = (struct mm_range){ os, ns - os };
	if (oe > ne)
		out[n++] = (struct mm_range){ ne, oe - ne };
	return n;
}

int mm_platform_after(const struct mm_platform *p, const struct mm_plan *pl,
		      struct mm_platform *out, char *err, size_t err_len)
{
	*out = *p;
	out->tzdram_start = pl->tzdram_start;
	out->tzdram_size = pl->tzdram_size;
	out->tee_ram_size = pl->tee_core;
	out->xlat_tables = pl->max_xlat_tables;
	out->pgt_cache_size = pl->pgt_cache_size;
	out->n_regions = 0;
	for (size_t i = 0; i < p->n_regions; i++)
		if (p->regions[i].owner != MM_OWNER_SECURE)
			out->regions[out->n_regions++] = p->regions[i];
	if (out->n_regions >= MM_PLATFORM_REGIONS_MAX)
		return mm_fail(err, err_len, MM_PLAN_E_ARG, "platform %s: no "
			       "room for the TZDRAM region after %zu others",
			       p->name, out->n_regions);
	struct mm_platform_region *t = &out->regions[out->n_regions++];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "tzdram");
	t->start = pl->tzdram_start;
	t->size = pl->tzdram_size;
	t->owner = MM_OWNER_SECURE;
	return MM_PLAN_OK;
}
